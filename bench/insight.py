"""Benchmark: the concern statistics pages (/staff/insight/) with 1,000,000 concerns on PostgreSQL.

The pages read only the rollups, which are built from one fact row per concern. So the benchmark loads
1,000,000 realistic fact rows straight into PostgreSQL (INSERT ... SELECT over generate_series: three
years of concerns; 55% about children, 35% adults, 10% not sure; professional, public and agency-system
sources; a fifth with signs of exploitation, 3% urgent, 15% repeats; decisions with times to decision
spread from minutes to weeks, and most of the last fortnight's still waiting), their teams (as the
default routing rules send them) and an information share for one in ten; then builds the rollups with
the same `rollups_rebuild()` that `rebuild_insight` runs, and says how many rollup rows that made.

Then it requests each section, as a verified board member through django.test.Client (server time:
middleware, session, sign-in and role checks, the form, the selectors and the template; no network),
with a mix of filters: the default (the last 12 months by month), a quarter by week, three years by
quarter, one team, and a board with a source, decision and signs. Beside them, in the same run, a bare
Django view and a bare view behind the staff gate (sign-in and two-step checks) through the same client.

    .venv/bin/python bench/insight.py                 # loads once; later runs reuse the data
    .venv/bin/python bench/insight.py --reload        # load again
    .venv/bin/python bench/insight.py --concerns 200000 --requests 60

Target (issue 13): every staff insight page p95 under 300 ms with 1,000,000 concerns.
"""

import argparse
import datetime
import os
import random
import time

from common import django_setup, measure, report

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_insight"
PREFIX = "benchin-"
CODES = [
    "no_further_action",
    "advice_information",
    "early_help",
    "assessment",
    "section_47",
    "section_42",
    "police",
    "exploitation_meeting",
]
BASES = ["consent", "vital_interests", "public_task", "legal_obligation", "safeguarding"]


def _bucket(column: str) -> str:
    from safeguarding.insight.models import BUCKET_UPPER_MINUTES

    whens = " ".join(f"WHEN {column} <= {upper} THEN {i}" for i, upper in enumerate(BUCKET_UPPER_MINUTES))
    return f"CASE WHEN {column} IS NULL THEN NULL {whens} ELSE {len(BUCKET_UPPER_MINUTES)} END"


def load(concerns: int) -> None:
    from django.db import connection, transaction

    from safeguarding.concerns.models import Team
    from safeguarding.insight.rollups import rollups_rebuild

    teams = {team.slug: team.pk for team in Team.objects.all()}
    codes = "ARRAY[" + ", ".join(f"'{c}'" for c in CODES) + "]"
    bases = "ARRAY[" + ", ".join(f"'{b}'" for b in BASES) + "]"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE insight_concernfact, insight_concernfactteam, insight_concernfactshare")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            "CREATE TEMP TABLE bench_facts ON COMMIT DROP AS "
            "SELECT g AS id, now() - random() * interval '1095 days' AS received_at, random() AS r1, "
            "random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, "
            "random() AS r8 FROM generate_series(1, %s) AS g",
            [concerns],
        )
        # Minutes to decision: log-uniform from 1 minute to about 3 weeks; to first action, a third of it.
        cursor.execute(
            "CREATE TEMP TABLE bench_shaped ON COMMIT DROP AS SELECT id, received_at, "
            "CASE WHEN r1 < 0.5 THEN 'professional' WHEN r1 < 0.85 THEN 'public' ELSE 'api' END AS source, "
            "CASE WHEN r2 < 0.55 THEN 'child' WHEN r2 < 0.9 THEN 'adult' ELSE 'not_sure' END AS about, "
            "r3 < 0.2 AS signs, r4 < 0.03 AS urgent, r8 < 0.15 AS repeat_, "
            "(received_at < now() - interval '14 days' OR r5 < 0.4) AS decided, "
            "floor(exp(r6 * ln(30000)))::int AS minutes, r7 FROM bench_facts"
        )
        cursor.execute(
            "INSERT INTO insight_concernfact (concern_id, received_at, received_on, source, about, signs, "  # noqa: S608
            "urgent, route, decision, waiting, due_at, decided_at, decision_minutes, decision_bucket, "
            'within_clock, first_action_at, first_action_minutes, first_action_bucket, "repeat", '
            "refreshed_at) "
            "SELECT id, received_at, (received_at AT TIME ZONE 'Europe/London')::date, source, about, signs, "
            "urgent, CASE WHEN r7 < 0.97 THEN 'rule' ELSE 'safety_net' END, "
            f"CASE WHEN decided THEN ({codes})[1 + floor(r7 * 8)::int] ELSE '' END, "
            "NOT decided AND r7 < 0.95, received_at + interval '30 hours', "
            "CASE WHEN decided THEN received_at + minutes * interval '1 minute' END, "
            f"CASE WHEN decided THEN minutes END, CASE WHEN decided THEN {_bucket('minutes')} END, "
            "CASE WHEN decided THEN minutes <= 1800 END, "
            "received_at + (minutes / 3) * interval '1 minute', minutes / 3, "
            f"{_bucket('(minutes / 3)')}, repeat_, now() FROM bench_shaped"
        )
        cursor.execute(
            "INSERT INTO insight_concernfactteam (concern_id, team_id) "
            "SELECT concern_id, %s FROM insight_concernfact WHERE about IN ('child', 'not_sure') "
            "UNION ALL SELECT concern_id, %s FROM insight_concernfact WHERE about IN ('adult', 'not_sure') "
            "UNION ALL SELECT concern_id, %s FROM insight_concernfact WHERE signs",
            [teams["children-front-door"], teams["adult-social-care"], teams["exploitation"]],
        )
        cursor.execute(
            "INSERT INTO insight_concernfactshare (concern_id, shared_on, lawful_basis) "  # noqa: S608
            "SELECT concern_id, received_on + floor(random() * 10)::int, "
            f"({bases})[1 + floor(random() * 5)::int] "
            "FROM insight_concernfact WHERE random() < 0.1"
        )
    print(f"facts loaded in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    rollups_rebuild()
    print(f"rollups built (rollups_rebuild) in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def signed_in_client(*, board):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username=f"{PREFIX}member", defaults={"first_name": "Bench"})
    Role.objects.get_or_create(user=user, kind=Role.Kind.BOARD_MEMBER, board=board)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Bench", confirmed=True
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _date_query(name: str, day: datetime.date) -> str:
    return f"{name}_0={day.day}&{name}_1={day.month}&{name}_2={day.year}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument(
        "--rebuild-rollups", action="store_true", help="build the rollups again from the facts"
    )
    args = parser.parse_args()

    django_setup(args.database_url)
    import django
    from django.test.utils import override_settings

    from safeguarding.insight.models import ConcernFact, ConcernRollup, ShareRollup
    from safeguarding.partnership.models import Board

    if args.reload or ConcernFact.objects.count() != args.concerns:
        print(f"loading {args.concerns:,} concern facts ...")
        load(args.concerns)
    elif args.rebuild_rollups:
        from django.db import connection

        from safeguarding.insight.rollups import rollups_rebuild

        start = time.perf_counter()
        rollups_rebuild()
        print(f"rollups built (rollups_rebuild) in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE insight_concernrollup")
            cursor.execute("VACUUM ANALYZE insight_sharerollup")
    children, _ = Board.objects.get_or_create(
        slug=f"{PREFIX}children",
        defaults={"name": "Bench children's partnership", "short_name": "BCP", "kind": "children"},
    )
    adults, _ = Board.objects.get_or_create(
        slug=f"{PREFIX}adults", defaults={"name": "Bench adults board", "short_name": "BAB", "kind": "adults"}
    )
    print(
        f"database: {django.db.connection.vendor}; concern facts: {ConcernFact.objects.count():,}; "
        f"rollup rows: {ConcernRollup.objects.count():,} "
        f"(day {ConcernRollup.objects.filter(grain='day').count():,}, "
        f"week {ConcernRollup.objects.filter(grain='week').count():,}, "
        f"month {ConcernRollup.objects.filter(grain='month').count():,}); "
        f"share rollup rows: {ShareRollup.objects.count():,}"
    )

    from django.utils import timezone

    today = timezone.localdate()
    rng = random.Random(13)
    quarter_start = datetime.date(today.year - 1, 1 + 3 * rng.randint(0, 3), 1)
    quarter_end = (quarter_start + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)
    three_years = today - datetime.timedelta(days=3 * 365)
    mixes = [
        "",
        f"{_date_query('start', quarter_start)}&{_date_query('end', quarter_end)}&period=week",
        f"{_date_query('start', three_years)}&{_date_query('end', today)}&period=quarter",
        "team=children-front-door",
        f"board={adults.slug}&source=professional&signs=yes&decision=section_42",
        f"{_date_query('start', three_years)}&{_date_query('end', today)}&period=month&team=exploitation",
    ]
    client = signed_in_client(board=children)
    n = args.requests
    with override_settings(ROOT_URLCONF="bench.insight_urls"):
        measure(client, ["/bench/bare/", "/staff/insight/"])  # warm up
        suites = {
            "bare Django view": ["/bench/bare/"] * n,
            "bare staff view (sign-in, 2FA)": ["/bench/bare-staff/"] * n,
        }
        for path, name in [
            ("", "volumes"),
            ("within-the-clock/", "within the clock"),
            ("urgent/", "urgent"),
            ("repeats/", "repeats"),
            ("information-shares/", "information shares"),
            ("queue-age/", "open queue age"),
        ]:
            suites[f"insight: {name}"] = [f"/staff/insight/{path}?{mixes[i % len(mixes)]}" for i in range(n)]
        suites["insight: CSV export (clock by team)"] = [
            f"/staff/insight/download/clock/clock-teams.csv?{mixes[i % len(mixes)]}"
            for i in range(max(2, n // 4))
        ]
        for name, paths in suites.items():
            report(name, *measure(client, paths))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
