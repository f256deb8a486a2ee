"""Benchmark: the public statistics pages with 1,000,000 concerns on PostgreSQL (issue 13).

Loads synthetic concerns straight into PostgreSQL with INSERT ... SELECT over generate_series (no ORM,
no encryption: encrypted columns hold one placeholder token no key opens, so counting that decrypted
anything would fail), spread over the last two years by about, source and signs, and a decision for
about 70% of them. Then, in-process:
  1. prepares the last ended quarter's publication (the three aggregate queries over the quarter's
     concerns and decisions, and disclosure control), and times it: the partnership manager's wait;
  2. publishes it, and measures each public statistics page with django.test.Client (server time:
     middleware, page cache, selectors, template; no network) beside a bare Django view, /bench/bare/,
     measured in the same run: first the pages as served to visitors (kept in memory after the first
     request, docs/decisions/0021), then with the page cache off (PAGE_CACHE_SECONDS=0), the worst case.

    .venv/bin/python bench/public_statistics.py                 # loads once; later runs reuse the data
    .venv/bin/python bench/public_statistics.py --reload --concerns 200000

Target (issue 13): the public statistics page p95 under 50 ms with 1,000,000 concerns.
"""

import argparse
import os
import time

from common import django_setup, insert_select, measure, report

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_public_statistics"
KEY_PREFIX = "bench-statistics-"


def load(concerns: int) -> None:
    from django.db import connection, transaction

    from safeguarding.concerns.models import Concern, ConcernDecision, DecisionOption
    from safeguarding.partnership.models import Agency

    start = time.perf_counter()
    agency, _ = Agency.objects.get_or_create(name="Benchmark agency", defaults={"slug": "benchmark-agency"})
    options = list(DecisionOption.objects.values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        ConcernDecision.objects.filter(concern__idempotency_key__startswith=KEY_PREFIX).delete()
        Concern.objects.filter(idempotency_key__startswith=KEY_PREFIX).delete()
        given = {
            "reference": "'BENCH-S-' || s.g",
            "received_at": "s.received_at",
            "source": "s.source",
            "about": "s.about",
            "status": "'decided'",
            "signs": "CASE WHEN s.r3 < 0.2 THEN '[\"vehicles\"]'::jsonb ELSE '[]'::jsonb END",
            "agency": f"CASE WHEN s.source = 'public' THEN NULL ELSE {int(agency.pk)} END",
            "adult_knows": "''",
            "consent": "''",
            "lawful_basis": "''",
            "receipt_code_hash": "repeat('0', 64)",
            "idempotency_key": f"'{KEY_PREFIX}' || s.g",
        }
        insert_select(
            cursor,
            Concern,
            given=given,
            source=(
                "(SELECT g, now() - random() * interval '730 days' AS received_at,"
                " CASE WHEN r1 < 0.55 THEN 'child' WHEN r1 < 0.9 THEN 'adult' ELSE 'not_sure' END AS about,"
                " CASE WHEN r2 < 0.4 THEN 'public' WHEN r2 < 0.9 THEN 'professional' ELSE 'api' END"
                " AS source,"
                "    r3"
                "  FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3"
                "        FROM generate_series(1, %s) AS g) AS inner_s"
                ") AS s"
            ),
            params=[concerns],
        )
        print(f"  {concerns:,} concerns inserted in {time.perf_counter() - start:.1f} s")
        insert_select(
            cursor,
            ConcernDecision,
            given={
                "concern": "c.id",
                "option": f"(ARRAY{options})[1 + (c.id %% {len(options)})]",
                "decided_at": "c.received_at + interval '3 days'",
            },
            source=f"{Concern._meta.db_table} c WHERE c.idempotency_key LIKE %s AND random() < 0.7",
            params=[KEY_PREFIX + "%"],
        )
        cursor.execute(f"ANALYZE {Concern._meta.db_table}")
        cursor.execute(f"ANALYZE {ConcernDecision._meta.db_table}")
    print(f"  loaded in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    django_setup(args.database_url)
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.utils import timezone

    from safeguarding.accounts.models import Role, User
    from safeguarding.concerns.models import Concern
    from safeguarding.core.page_cache import local_clear
    from safeguarding.partnership.models import Board
    from safeguarding.statistics import services
    from safeguarding.statistics.models import Publication
    from safeguarding.statistics.quarters import Quarter

    have = Concern.objects.filter(idempotency_key__startswith=KEY_PREFIX).count()
    if args.reload or have != args.concerns:
        print(f"Loading {args.concerns:,} concerns (found {have:,})")
        load(args.concerns)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    board = Board.objects.first() or Board.objects.create(
        name="Benchmark board", short_name="BB", kind="children"
    )
    manager, _ = User.objects.get_or_create(username="bench-statistics-manager")
    Role.objects.get_or_create(user=manager, kind=Role.Kind.PARTNERSHIP_MANAGER, board=board)
    manager.is_verified = lambda: True  # type: ignore[method-assign]
    quarter = Quarter.containing(timezone.now()).preceding()
    Publication.objects.filter(quarter=str(quarter)).delete()

    start = time.perf_counter()
    figures, release = services.release_for(quarter=quarter)
    counted = time.perf_counter() - start
    publication = services.publication_prepare(quarter=quarter, user=manager)
    services.publication_publish(publication=publication, user=manager)
    withheld = sum(1 for status in release.statuses.values() if status != "shown")
    print(
        f"{quarter}: {figures.values['received.all.all']:,} concerns, "
        f"{figures.values['decisions.all.all']:,} decisions; "
        f"counted and protected in {counted * 1000:.0f} ms ({withheld} figures withheld)"
    )

    paths = {
        "bare Django view": "/bench/bare/",
        "statistics list": "/statistics/",
        "statistics quarter page": f"/statistics/{quarter}/",
        "statistics quarter CSV": f"/statistics/{quarter}.csv",
        "statistics method": "/statistics/method/",
    }
    with override_settings(ROOT_URLCONF="public_urls"):
        for cached in (True, False):
            cache.clear()
            local_clear()
            print("\nAs served (kept in memory after the first request)" if cached else "\nPage cache off")
            with override_settings(**({} if cached else {"PAGE_CACHE_SECONDS": 0})):
                client = Client()
                for name, path in paths.items():
                    client.get(path)  # warm-up (and, when cached, the request that fills the cache)
                    times, queries = measure(client, [path] * args.requests)
                    report(name, times, queries)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("Target: the public statistics page p95 under 50 ms.")


if __name__ == "__main__":
    main()
