"""Benchmark: the triage queue with 1,000,000 concerns on PostgreSQL (issue 4).

Loads synthetic concerns straight into PostgreSQL with INSERT ... SELECT over generate_series (no ORM,
no encryption: every encrypted column holds one fixed placeholder token that no key opens, so if the
queue ever decrypted a field the benchmark would fail). The concerns are spread over the three default
teams by what they are about (not sure goes to both front doors; a fifth also go to the exploitation
team), about 2% are urgent, received over the last two years, and most older ones are closed. Their
deadlines are the real statutory clocks (clocks.py), worked out once per day of receipt in Python.

Then it calls `triage_queue` in-process for each team, on the first page, on a page from the middle of
the queue (by cursor), and walking on page by page from there, and prints p50/p95/max milliseconds and
queries per call. Then it measures the whole queue page, GET /staff/concerns/teams/<slug>/, as a
verified member of the team through django.test.Client: server time with middleware, the session,
sign-in and permission checks, the selector and the template (no network). First page, a page from
the middle of the queue (its cursor in ?after=), and paging on by following each page's "next" link;
p50/p95/p99/max milliseconds and queries per request.

    .venv/bin/python bench/triage.py            # loads once; later runs reuse the data
    .venv/bin/python bench/triage.py --reload   # load again
    .venv/bin/python bench/triage.py --concerns 200000 --explain
    .venv/bin/python bench/triage.py --pages-only --page-requests 300

Then the queue page with every filter (FILTER_CASES: each filter alone, and combinations), per team,
first page and paging on, beside a bare Django view through the same client in the same run.

    .venv/bin/python bench/triage.py --filters-only --filter-requests 100
    .venv/bin/python bench/triage.py --filters-only --only signs --explain   # and each case's plans

Target (issues 4 and 12): p95 under 300 ms server time with 1,000,000 concerns, with every filter.
"""

import argparse
import datetime
import html
import re
import statistics
import time
from functools import partial
from urllib.parse import quote

from common import django_setup, insert_select, report

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_triage"
# Real-looking references (the search by reference must accept them) in a year no real one has.
REFERENCE_PREFIX = "C-2099-"
BENCH_TEAMS = ("adult-social-care", "children-front-door", "exploitation")


def load(concerns: int) -> None:
    from django.db import connection, transaction

    from safeguarding.concerns.clocks import clock_deadline
    from safeguarding.concerns.models import Concern, ConcernRoute, Team
    from safeguarding.partnership.models import Agency

    teams = {team.slug: team.pk for team in Team.objects.all()}
    # Workers the concerns in triage are assigned to: each team's bench member (so "mine" has
    # concerns) and others, BENCH_WORKERS in all.
    workers = [bench_member(team).pk for team in Team.objects.filter(slug__in=BENCH_TEAMS).order_by("slug")]
    workers += [bench_user(f"{BENCH_MEMBER_PREFIX}other-{n}").pk for n in range(BENCH_WORKERS - len(workers))]
    agency, _ = Agency.objects.get_or_create(
        slug="bench-agency", defaults={"name": "Bench agency (synthetic)"}
    )
    children, adults, exploitation = (
        teams["children-front-door"],
        teams["adult-social-care"],
        teams["exploitation"],
    )
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    concern_table, route_table = Concern._meta.db_table, ConcernRoute._meta.db_table

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {concern_table} RESTART IDENTITY CASCADE")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT setseed(0.2018)")

        # The children's deadline depends only on the day of receipt: one row per day, from Python.
        cursor.execute("CREATE TEMP TABLE bench_child_due (day date PRIMARY KEY, due timestamptz NOT NULL)")
        first_day = (now - datetime.timedelta(days=732)).date()
        rows = []
        for offset in range(735):
            day = first_day + datetime.timedelta(days=offset)
            noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
            rows.append((day, clock_deadline(received_at=noon, about="child")))
        cursor.executemany("INSERT INTO bench_child_due VALUES (%s, %s)", rows)

        received = "s.received_at"
        status_sql = (
            "CASE WHEN s.received_at > now() - interval '30 days' "
            "THEN (ARRAY['received', 'in_triage', 'decided'])[1 + floor(s.r4 * 3)::int] "
            "WHEN s.r4 < 0.8 THEN 'closed' "
            "WHEN s.r4 < 0.9 THEN 'in_triage' ELSE 'decided' END"
        )
        child_due = "d.due"
        adult_due = f"{received} + interval '24 hours'"
        given = {
            "reference": (
                f"'{REFERENCE_PREFIX}' || "
                "CASE WHEN s.g < 1000000 THEN lpad(s.g::text, 6, '0') ELSE s.g::text END"
            ),
            "received_at": received,
            # About 60% from the public, 30% professional referrals, 10% from agency systems (API);
            # referrals carry an agency (a constraint).
            "source": "CASE WHEN s.r7 < 0.6 THEN 'public' WHEN s.r7 < 0.9 THEN 'professional' ELSE 'api' END",
            "agency": f"CASE WHEN s.r7 < 0.6 THEN NULL ELSE {int(agency.pk)} END",
            "about": "s.about",
            "immediate_danger": "s.r3 < 0.015",
            "urgent": "s.r3 < 0.02",
            "status": status_sql,
            "signs": "CASE WHEN s.r6 < 0.2 THEN '[\"vehicles\", \"missing\"]'::jsonb ELSE '[]'::jsonb END",
            "has_signs": "s.r6 < 0.2",
            # Concerns in triage or decided are assigned, to one of the workers.
            "assigned_to": (
                f"CASE WHEN {status_sql} IN ('in_triage', 'decided') "
                f"THEN (ARRAY{workers})[1 + floor(s.r8 * {len(workers)})::int] END"
            ),
            "reporter_anonymous": "s.r5 < 0.15",
            "adult_knows": "''",
            "consent": "''",
            "lawful_basis": "''",
            "receipt_code_hash": "repeat('0', 64)",
            "idempotency_key": "'bench-' || s.g",
            "legal_hold": "false",
            # Urgent concerns (immediate danger among them) get the urgent clock: 4 hours (0030).
            "decision_due_at": (
                f"CASE WHEN s.r3 < 0.02 THEN LEAST({received} + interval '4 hours', "
                f"CASE s.about WHEN 'child' THEN {child_due} WHEN 'adult' THEN {adult_due} "
                f"ELSE LEAST({child_due}, {adult_due}) END) "
                f"ELSE CASE s.about WHEN 'child' THEN {child_due} WHEN 'adult' THEN {adult_due} "
                f"ELSE LEAST({child_due}, {adult_due}) END END"
            ),
        }
        insert_select(
            cursor,
            Concern,
            given=given,
            source=(
                "(SELECT g, now() - random() * interval '730 days' AS received_at,"
                " CASE WHEN r2 < 0.55 THEN 'child' WHEN r2 < 0.9 THEN 'adult' ELSE 'not_sure' END AS about,"
                "    r3, r4, r5, r6, r7, r8"
                "  FROM (SELECT g, random() AS r2, random() AS r3, random() AS r4, random() AS r5,"
                "        random() AS r6, random() AS r7, random() AS r8"
                "        FROM generate_series(1, %s) AS g) AS inner_s"
                ") AS s JOIN bench_child_due d ON d.day = (s.received_at AT TIME ZONE 'Europe/London')::date"
            ),
            params=[concerns],
        )
        print(f"  concerns inserted in {time.perf_counter() - start:.1f} s")

        step = time.perf_counter()
        route_given = {
            "concern": "c.id",
            "team": "t.team_id",
            "marked_urgent": "false",
            "rule": "NULL",
            "reason": "'Benchmark route'",
            "routed_at": "c.received_at",
            # The route's copies of its concern's fields (decision 0030), as ConcernRoute.save() makes them.
            **{name: f"c.{name}" for name in ConcernRoute.COPIED_FIELDS},
        }
        insert_select(
            cursor,
            ConcernRoute,
            given=route_given,
            source=(
                f"{concern_table} c CROSS JOIN LATERAL ("
                "  SELECT %s AS team_id WHERE c.about IN ('child', 'not_sure')"
                "  UNION ALL SELECT %s WHERE c.about IN ('adult', 'not_sure')"
                "  UNION ALL SELECT %s WHERE c.signs <> '[]'::jsonb"
                ") t"
            ),
            params=[children, adults, exploitation],
        )
        print(f"  routes inserted in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        cursor.execute(f"ANALYZE {concern_table}")
        cursor.execute(f"ANALYZE {route_table}")
        print(f"  analysed in {time.perf_counter() - step:.1f} s")
    # As autovacuum would leave them: the visibility map set, so the join to routes is index-only.
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {concern_table}")
        cursor.execute(f"VACUUM ANALYZE {route_table}")
    print(f"  vacuumed in {time.perf_counter() - step:.1f} s")
    print(f"loaded in {time.perf_counter() - start:.1f} s")


def _cursor_at(team, depth: int) -> str | None:
    """A queue cursor at `depth` rows into `team`'s queue (found once, slowly, with OFFSET)."""
    from safeguarding.concerns.models import Concern
    from safeguarding.concerns.selectors import _cursor_make

    row = (
        Concern.objects.filter(routes__team=team)
        .exclude(status=Concern.Status.CLOSED)
        .order_by("-urgent", "decision_due_at", "id")
        .only("id", "urgent", "decision_due_at")[depth : depth + 1]
        .first()
    )
    return _cursor_make(row) if row is not None else None


def timed(calls) -> tuple[list[float], list[int]]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for call in calls:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            page = call()
            # Touch what the queue page shows, to be sure nothing else loads (or decrypts) per row.
            shown = [
                (row.reference, row.urgent, row.decision_due_at, row.status, row.about, row.received_at)
                for row in page.rows
            ]
            elapsed = (time.perf_counter() - start) * 1000
        assert len(shown) == len(page.rows)
        times.append(elapsed)
        queries.append(len(captured.captured_queries))
    return times, queries


def _paging(team, middle: str | None, calls: int):
    """Calls that each fetch the page after the one before, starting from the middle of the queue."""
    from safeguarding.concerns.selectors import triage_queue

    state = {"after": middle}

    def next_page():
        page = triage_queue(team=team, after=state["after"])
        state["after"] = page.next_cursor or middle
        return page

    return [next_page] * calls


BENCH_MEMBER_PREFIX = "bench-triage-"
BENCH_WORKERS = 20
NEXT_LINK = re.compile(r'href="([^"]*\?[^"]*after=[^"]+)"[^>]*rel="next"')


def bench_user(username: str):
    """A verified-capable member of staff for the benchmark (a viewer, with a TOTP device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": "Worker"}
    )
    Role.objects.get_or_create(user=user, kind="viewer")
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    return user


def bench_member(team):
    """The bench's member of `team` only."""
    user = bench_user(f"{BENCH_MEMBER_PREFIX}{team.slug}")
    team.members.add(user)
    return user


def team_member_client(team):
    """A test client signed in, with two-step verification passed, as a member of `team` only."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = bench_member(team)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed_pages(
    client, path: str, query: str, requests: int, *, follow: bool = False
) -> tuple[list[float], list[int]]:
    """GET path+query `requests` times; with `follow`, each GET is instead the page after the one
    before (the page's own "next" link), starting again at `query` at the end of the queue."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    start_url = path + query
    url = start_url
    times, queries = [], []
    for _ in range(requests):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        assert b"That page of the queue could not be found" not in response.content, "cursor refused"
        times.append(elapsed)
        queries.append(len(captured.captured_queries))
        if follow:
            found = NEXT_LINK.search(response.content.decode())
            url = html.unescape(found.group(1)) if found else start_url
    return times, queries


def report_pages(name: str, times: list[float], queries: list[int]) -> float:
    """Print p50/p95/p99/max and queries per request; return the p95."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{name:<34} n={len(times):<4} p50={cuts[49]:7.1f} ms  p95={cuts[94]:7.1f} ms  "
        f"p99={cuts[98]:7.1f} ms  max={max(times):7.1f} ms  queries/request={min(queries)}-{max(queries)}"
    )
    return cuts[94]


def measure_pages(teams_and_middles, requests: int) -> list[float]:
    """The whole queue page per team: first page, middle of the queue, paging on. Returns the p95s."""
    from django.urls import reverse

    p95s = []
    print(f"\nQueue page (GET as a verified team member, server time in-process, {requests} requests each)")
    for team, middle in teams_and_middles:
        client = team_member_client(team)
        path = reverse("concerns:team_queue", kwargs={"slug": team.slug})
        warm = client.get(path)  # warm up: templates compiled, connection open
        assert NEXT_LINK.search(warm.content.decode()), "no next link on the first page: paging not measured"
        middle_query = f"?after={quote(middle)}" if middle else ""
        print(f"{team.name}:")
        p95s.append(report_pages("  first page", *timed_pages(client, path, "", requests)))
        p95s.append(report_pages("  middle of the queue", *timed_pages(client, path, middle_query, requests)))
        p95s.append(
            report_pages(
                "  paging on from the middle", *timed_pages(client, path, middle_query, requests, follow=True)
            )
        )
    return p95s


# Every filter of the queue page (docs/decisions/0030), alone and in the combinations a worker uses.
FILTER_CASES = [
    ("no filter", ""),
    ("assigned=mine", "assigned=mine"),
    ("assigned=unassigned", "assigned=unassigned"),
    ("show=urgent", "show=urgent"),
    ("show=immediate_danger", "show=immediate_danger"),
    ("show=signs", "show=signs"),
    ("show=overdue", "show=overdue"),
    ("show=due_today", "show=due_today"),
    ("status=received", "status=received"),
    ("status=in_triage", "status=in_triage"),
    ("status=decided", "status=decided"),
    ("status=closed", "status=closed"),
    ("source=public", "source=public"),
    ("source=professional", "source=professional"),
    ("source=api", "source=api"),
    ("about=child", "about=child"),
    ("about=adult", "about=adult"),
    ("about=not_sure", "about=not_sure"),
    ("q=<reference>", "q={reference}"),
    ("unassigned + signs", "assigned=unassigned&show=signs"),
    ("mine + overdue", "assigned=mine&show=overdue"),
    ("urgent + unassigned + child", "show=urgent&assigned=unassigned&about=child"),
    ("signs + api + in_triage", "show=signs&source=api&status=in_triage"),
]


def measure_bare(client, requests: int) -> tuple[float, float]:
    """A view that does nothing, through the same client, middleware and session: the baseline."""
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="public_urls"):
        client.get("/bench/bare/")
        times, queries = timed_pages(client, "/bench/bare/", "", requests)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{'bare Django view (baseline)':<34} n={len(times):<4} p50={cuts[49]:7.1f} ms  "
        f"p95={cuts[94]:7.1f} ms  max={max(times):7.1f} ms  queries/request={min(queries)}-{max(queries)}"
    )
    return cuts[49], cuts[94]


def explain_queue_statements(captured) -> None:
    """EXPLAIN ANALYZE each statement a queue page ran on concerns or routes, with the planner settings
    the page set for it (in a transaction, as the page does)."""
    from django.db import connection, transaction

    settings = None
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT set_config"):
            settings = sql
            continue
        if "queue_segment" not in sql and not sql.startswith(
            'SELECT r.concern_id FROM "concerns_concernroute"'
        ):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            if settings and "queue_segment" in sql:
                cursor.execute(settings)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [line for (line,) in cursor.fetchall()]
        settings = None
        print(f"    {sql[:100]}...")
        print("\n".join("      " + line for line in plan))


def measure_filters(teams, requests: int, only: str | None = None, explain: bool = False) -> list[float]:
    """The queue page with each filter, per team: the first page, and paging on by the next links."""
    import os

    from django.urls import reverse

    from safeguarding.concerns.models import Concern

    p95s = []
    print(f"\nQueue page with filters ({requests} GETs of the first page, {requests} paging on, each)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for team in teams:
        client = team_member_client(team)
        measure_bare(client, requests)
        path = reverse("concerns:team_queue", kwargs={"slug": team.slug})
        in_team = Concern.objects.filter(routes__team=team).exclude(status="closed")
        reference = in_team.values_list("reference", flat=True).first()
        print(f"{team.name}:")
        for name, query in FILTER_CASES:
            if only and only not in name:
                continue
            query = "?" + query.replace("{reference}", reference) if query else ""
            if explain:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    client.get(path + query)
                print(f"  {name}: the statements of its first page, explained")
                explain_queue_statements(captured)
            warm = client.get(path + query)
            assert warm.status_code == 200, (name, warm.status_code)
            p95s.append(report_pages(f"  {name}", *timed_pages(client, path, query, requests)))
            if NEXT_LINK.search(warm.content.decode()):
                paging = timed_pages(client, path, query, requests, follow=True)
                p95s.append(report_pages(f"  {name}, paging on", *paging))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return p95s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--reload", action="store_true", help="load the concerns again")
    parser.add_argument("--explain", action="store_true", help="print the plan of a deep page")
    parser.add_argument("--page-requests", type=int, default=200, help="GETs of the queue page per case")
    parser.add_argument("--pages-only", action="store_true", help="measure only the queue page")
    parser.add_argument("--load-only", action="store_true", help="load (or reuse) the data and stop")
    parser.add_argument("--filters-only", action="store_true", help="measure only the queue page's filters")
    parser.add_argument("--filter-requests", type=int, default=100, help="GETs per filter case")
    parser.add_argument("--only", help="measure only the filter cases whose name contains this")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("This benchmark is for PostgreSQL.")

    django_setup(args.database_url)
    from django.db import connection

    from safeguarding.concerns.models import Concern, ConcernRoute, Team
    from safeguarding.concerns.selectors import triage_queue

    loaded = Concern.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    if args.reload or loaded != args.concerns:
        print(f"loading {args.concerns:,} concerns ...")
        load(args.concerns)
    open_count = Concern.objects.exclude(status=Concern.Status.CLOSED).count()
    print(
        f"database: {connection.vendor} {connection.pg_version}; concerns: {Concern.objects.count():,} "
        f"({open_count:,} not closed); routes: {ConcernRoute.objects.count():,}"
    )

    if args.load_only:
        return
    teams = list(Team.objects.filter(slug__in=BENCH_TEAMS).order_by("slug"))
    if args.filters_only:
        p95s = measure_filters(teams, args.filter_requests, args.only, args.explain)
        verdict = "under" if max(p95s) < 300 else "OVER"
        print(f"\nQueue page with filters: worst p95 {max(p95s):.1f} ms, {verdict} the 300 ms target")
        return
    teams_and_middles = []
    for team in teams:
        in_queue = (
            ConcernRoute.objects.filter(team=team).exclude(concern__status=Concern.Status.CLOSED).count()
        )
        middle = _cursor_at(team, in_queue // 2)
        teams_and_middles.append((team, middle))
        print(f"{team.name}: {in_queue:,} concerns in the queue (counted once, here, not by the queue)")
        if args.pages_only:
            continue
        triage_queue(team=team)  # warm up
        first = partial(triage_queue, team=team)
        deep = partial(triage_queue, team=team, after=middle)
        report("  first page", *timed([first] * args.calls))
        report("  middle of the queue", *timed([deep] * args.calls))
        report("  paging on from the middle", *timed(_paging(team, middle, args.calls)))
        if args.explain:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            connection.force_debug_cursor = True
            triage_queue(team=team, after=middle)
            sql = connection.queries[-1]["sql"]
            connection.force_debug_cursor = False
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join("    " + line for (line,) in cursor.fetchall()))

    p95s = measure_pages(teams_and_middles, args.page_requests)
    p95s += measure_filters(teams, args.filter_requests, args.only)
    verdict = "under" if max(p95s) < 300 else "OVER"
    print(f"\nQueue page, all cases: worst p95 {max(p95s):.1f} ms, {verdict} the 300 ms target")


if __name__ == "__main__":
    main()
