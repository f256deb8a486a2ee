"""Benchmark: the staff home (/staff/) with 1,000,000 concerns on PostgreSQL (issue 12).

Loads the triage benchmark's synthetic concerns (bench/triage.py's `load`: three default teams, about
2% urgent, two years of concerns, most older ones closed, about 230,000 still open) into its own
database and vacuums it (as autovacuum would soon after), then GETs /staff/ through
django.test.Client, signed in with two-step verification passed:

- as a triage worker in each team (the home's team section: urgent, not assigned, due today,
  overdue and mine, each one capped COUNT; the Concerns menu badge);
- as a viewer, whose home is the partnership picture: the counts of every team (and RAG per board,
  which costs nothing here: this database holds no tracker actions; see bench/tracker.py for those).

Beside them, in the same run and through the same client, middleware and session, a bare Django view
that does nothing (/bench/bare/): the baseline. Prints p50/p95/max milliseconds and queries per request.

    .venv/bin/python bench/workspace.py                 # loads once; later runs reuse the data
    .venv/bin/python bench/workspace.py --concerns 200000 --requests 100

Target: the home's p95 under 300 ms (the queue page's target) at 1,000,000 concerns.
"""

import argparse
import os

from common import django_setup, measure, report

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_staffhome"
MEMBER_PREFIX = "bench-home-"


def signed_in_client(username: str, *, role: str, team=None):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": "Home"}
    )
    Role.objects.get_or_create(user=user, kind=role)
    if team is not None:
        team.members.add(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Bench", confirmed=True
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reload", action="store_true", help="load the concerns again")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("This benchmark is for PostgreSQL.")

    django_setup(args.database_url)
    from django.db import connection
    from django.test.utils import override_settings
    from django.urls import clear_url_caches
    from triage import BENCH_TEAMS, REFERENCE_PREFIX, load

    from safeguarding.concerns.models import Concern, Team

    loaded = Concern.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    if args.reload or loaded != args.concerns:
        print(f"loading {args.concerns:,} concerns ...")
        load(args.concerns)
        # What autovacuum does to a live table soon after: without it, the first index-only scans
        # after a bulk load visit the table for every row (no visibility map yet).
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            for table in ("concerns_concern", "concerns_concernroute"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")  # our own table names
    open_count = Concern.objects.exclude(status=Concern.Status.CLOSED).count()
    print(
        f"database: {connection.vendor} {connection.pg_version}; concerns: {Concern.objects.count():,} "
        f"({open_count:,} not closed); load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    n = args.requests
    with override_settings(ROOT_URLCONF="public_urls"):  # the project's URLs and /bench/bare/
        clear_url_caches()
        cases = []
        for team in Team.objects.filter(slug__in=BENCH_TEAMS).order_by("slug"):
            client = signed_in_client(f"{MEMBER_PREFIX}{team.slug}", role="triage_worker", team=team)
            cases.append((f"home, triage worker: {team.slug}", client))
        viewer = signed_in_client(f"{MEMBER_PREFIX}viewer", role="viewer")
        cases.append(("home, viewer (partnership picture)", viewer))

        measure(viewer, ["/bench/bare/"] * 5 + ["/staff/"] * 5)  # warm up
        report("bare Django view (baseline)", *measure(viewer, ["/bench/bare/"] * n))
        p95s = []
        for name, client in cases:
            times, queries = measure(client, ["/staff/"] * n)
            report(name, times, queries)
            p95s.append(sorted(times)[int(0.95 * (len(times) - 1))])
        report("bare Django view (baseline, again)", *measure(viewer, ["/bench/bare/"] * n))
    verdict = "under" if max(p95s) < 300 else "OVER"
    print(f"\nStaff home: worst p95 {max(p95s):.1f} ms, {verdict} the 300 ms target")


if __name__ == "__main__":
    main()
