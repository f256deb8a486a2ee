"""Benchmark: linking a million concerns on PostgreSQL (issue 9).

1. Loads a seeded synthetic city (tests/linking/synthetic.py `city_population`): 1,000,000 concerns,
   1,000 planted networks among them, identifiers misspelt and reformatted as people type them. The
   concerns themselves go in by SQL with a placeholder in every encrypted column (linking never reads
   them); their identifiers go through the real extraction (`extract.reported_identifiers`), cleaning,
   encryption and blind indexes, copied in with COPY.
2. Runs `manage.py relink` in a child process: every link from scratch, every network and alert.
   Prints the wall time and the child's peak memory (its maximum resident set).
3. Precision and recall of probable-or-confirmed links against the planted truth (a pair is truly
   linked when both are in one planted network and share a planted thing or the young person).
4. Sends new concerns through the real path (`concern_submit`, then `concern_link` as the worker runs
   it) on top of the million, half of them joining planted networks, and prints p50/p95/max ms each.

    .venv/bin/python bench/linking.py                       # 1,000,000 concerns (load ~15 min)
    .venv/bin/python bench/linking.py --concerns 20000 --networks 100
    .venv/bin/python bench/linking.py --skip-load           # relink from nothing the loaded concerns

Targets (issue 9): relink under 10 minutes and 4 GB; incremental p95 under 200 ms; precision at
least 0.95 and recall at least 0.9.
"""

import argparse
import datetime
import itertools
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace

from common import ROOT, django_setup

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_linking"
CHUNK = 5000


class _Rows(list):
    def all(self):
        return self


def _as_concern(item, concern_id: int):
    """What `extract.reported_identifiers` reads of a concern, built from the planted answers in memory
    (the same models, unsaved), so the million need no child rows."""
    from safeguarding.concerns.models import (
        ConcernOnlineAccount,
        ConcernPerson,
        ConcernPhone,
        ConcernPlace,
        ConcernVehicle,
    )

    answers = item.answers
    return SimpleNamespace(
        pk=concern_id,
        received_at=item.received_at,
        people=_Rows(ConcernPerson(**person) for person in answers.get("people", [])),
        vehicles=_Rows(ConcernVehicle(registration=v) for v in answers.get("vehicles", [])),
        phones=_Rows(ConcernPhone(number=n) for n in answers.get("phones", [])),
        places=_Rows(ConcernPlace(**place) for place in answers.get("places", [])),
        online_accounts=_Rows(ConcernOnlineAccount(**a) for a in answers.get("online_accounts", [])),
    )


def _copy(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(concerns: int, networks: int, seed: int) -> dict[int, object]:
    """Load the city; return the planted concerns by id (the truth)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from safeguarding.concerns.models import Concern
    from safeguarding.linking import extract
    from safeguarding.linking.keys import identifier_keys
    from safeguarding.linking.models import ConcernLinking, Identifier, IdentifierKey, Link, Network
    from safeguarding.linking.normalise import NORMALISER_VERSION
    from tests.linking.synthetic import city_population

    sys.path.insert(0, str(ROOT / "bench"))
    from common import column_values  # one way of filling a concern's columns for benchmarks

    fields = {f.name: f for f in Identifier._meta.concrete_fields}
    identifier_columns = [f.column for f in Identifier._meta.concrete_fields]
    now = timezone.now()
    truth: dict[int, object] = {}
    start = time.perf_counter()
    counts = {"identifiers": 0, "keys": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Link, Network, Identifier, ConcernLinking):
            cursor.execute(f"TRUNCATE {model._meta.db_table} RESTART IDENTITY CASCADE")
        cursor.execute(f"TRUNCATE {Concern._meta.db_table} RESTART IDENTITY CASCADE")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("CREATE TEMP TABLE bench_received (g bigint PRIMARY KEY, received_at timestamptz)")
        raw = cursor.connection  # psycopg's own connection, for COPY
        stream = city_population(seed=seed, concerns=concerns, networks=networks)
        next_identifier = 1
        concern_id = 0
        while chunk := list(itertools.islice(stream, CHUNK)):
            received_rows, identifier_rows, key_rows, linking_rows = [], [], [], []
            for item in chunk:
                concern_id += 1
                received_rows.append((concern_id, item.received_at))
                linking_rows.append((concern_id, now, now, now))
                if item.network is not None:
                    truth[concern_id] = item
                for spec in extract.reported_identifiers(_as_concern(item, concern_id)):
                    identifier = Identifier(
                        id=next_identifier,
                        concern_id=concern_id,
                        kind=spec.kind,
                        role=spec.role,
                        origin=spec.origin,
                        status=Identifier.Status.ACTIVE,
                        value=spec.value,
                        normal=spec.normal,
                        normalised=spec.normalised,
                        details=json.dumps(spec.details),
                        source=spec.source,
                        version=NORMALISER_VERSION,
                        created_at=now,
                    )
                    identifier_rows.append(
                        tuple(
                            fields[f.name].get_db_prep_save(getattr(identifier, f.attname), connection)
                            for f in Identifier._meta.concrete_fields
                        )
                    )
                    for key in identifier_keys(
                        kind=spec.kind,
                        normal=spec.normal,
                        normalised=spec.normalised,
                        value=spec.value,
                        details=spec.details,
                    ):
                        key_rows.append((next_identifier, concern_id, key.kind, key.index))
                    next_identifier += 1
            with raw.cursor() as copier:
                _copy(copier, "bench_received", ["g", "received_at"], received_rows)
            given = {
                "reference": "'BENCH-' || s.g",
                "received_at": "s.received_at",
                "source": "'public'",
                "about": "'child'",
                "status": "'closed'",
                "signs": "'[]'::jsonb",
                "adult_knows": "''",
                "consent": "''",
                "lawful_basis": "''",
                "receipt_code_hash": "repeat('0', 64)",
                "idempotency_key": "'bench-' || s.g",
                "legal_hold": "false",
                "decision_due_at": "s.received_at + interval '24 hours'",
                "immediate_danger": "false",
                "urgent": "false",
                "reporter_anonymous": "true",
            }
            columns, expressions, params = column_values(Concern, given)
            cursor.execute(
                f"INSERT INTO {Concern._meta.db_table} (id, {', '.join(columns)}) "  # noqa: S608 (ours)
                f"SELECT s.g, {', '.join(expressions)} FROM bench_received s ORDER BY s.g",
                params,
            )
            cursor.execute("TRUNCATE bench_received")
            with raw.cursor() as copier:
                _copy(copier, Identifier._meta.db_table, identifier_columns, identifier_rows)
                _copy(
                    copier,
                    IdentifierKey._meta.db_table,
                    ["identifier_id", "concern_id", "kind", "index"],
                    key_rows,
                )
                _copy(
                    copier,
                    ConcernLinking._meta.db_table,
                    ["concern_id", "identifiers_at", "linked_at", "changed_at"],
                    linking_rows,
                )
            counts["identifiers"] += len(identifier_rows)
            counts["keys"] += len(key_rows)
            if concern_id % 100_000 < CHUNK:
                print(f"  {concern_id:,} concerns, {time.perf_counter() - start:.0f} s", flush=True)
        for model in (Concern, Identifier):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (from _meta)
                f"(SELECT MAX(id) FROM {table}))"
            )

    # As autovacuum would soon after a bulk load: statistics, and the visibility map that lets the
    # candidate query read the key index alone.
    with connection.cursor() as cursor:
        for model in (Concern, Identifier, IdentifierKey, ConcernLinking):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(
        f"loaded {concern_id:,} concerns ({len(truth):,} planted), {counts['identifiers']:,} identifiers, "
        f"{counts['keys']:,} keys in {time.perf_counter() - start:.0f} s"
    )
    return truth


def truth_of(concerns: int, networks: int, seed: int) -> dict[int, object]:
    """The planted concerns by id, without loading (ids follow the stream's order)."""
    from tests.linking.synthetic import city_population

    return {
        position: item
        for position, item in enumerate(city_population(seed=seed, concerns=concerns, networks=networks), 1)
        if item.network is not None
    }


def links_clear() -> None:
    """Start the relink from nothing: no links, networks or alerts (the identifiers stay), and none of
    the concerns an earlier run's incremental step added (the truth knows only the city's)."""
    from django.db import connection
    from django.test import override_settings

    from safeguarding.concerns.models import Concern
    from safeguarding.linking.models import Alert, Link, Network, NetworkMember

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        Concern.objects.exclude(reference__startswith="BENCH-").delete()
    with connection.cursor() as cursor:
        for model in (Alert, NetworkMember, Network, Link):
            cursor.execute(f"TRUNCATE {model._meta.db_table} RESTART IDENTITY CASCADE")


def relink(database_url: str) -> tuple[float, float]:
    """Run `manage.py relink` in a child process: (seconds, peak resident megabytes)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "relink"], check=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def quality(truth: dict[int, object]) -> None:
    from safeguarding.linking.models import Link, NetworkMember
    from tests.linking.synthetic import truly_linked

    true_pairs = set()
    by_network: dict[int, list[int]] = {}
    for pk, item in truth.items():
        by_network.setdefault(item.network, []).append(pk)
    for members in by_network.values():
        for a, b in itertools.combinations(sorted(members), 2):
            if truly_linked(truth[a], truth[b]):
                true_pairs.add((a, b))
    probable = set(
        Link.objects.filter(strength__in=["probable", "confirmed"]).values_list(
            "concern_low_id", "concern_high_id"
        )
    )
    possible = Link.objects.filter(strength="possible").count()
    found = probable & true_pairs
    precision = len(found) / len(probable) if probable else 0.0
    recall = len(found) / len(true_pairs) if true_pairs else 0.0
    wrong_planted = sum(1 for a, b in probable - true_pairs if a in truth and b in truth)
    wrong_background = len(probable - true_pairs) - wrong_planted
    in_network = set(NetworkMember.objects.filter(network__active=True).values_list("concern_id", flat=True))
    print(
        f"probable or confirmed links: {len(probable):,}; true pairs planted: {len(true_pairs):,}; "
        f"found {len(found):,}\n"
        f"  precision {precision:.3f} (target >= 0.95), recall {recall:.3f} (target >= 0.9)\n"
        f"  wrong probable links: {wrong_planted:,} between planted concerns, {wrong_background:,} "
        f"touching background concerns; possible links: {possible:,}\n"
        f"  planted concerns in a network: {len(in_network & truth.keys()):,}/{len(truth):,}; "
        f"background concerns in a network: {len(in_network - truth.keys()):,}"
    )


def incremental(count: int, seed: int) -> None:
    """New concerns through the real path, each linked as the worker would link it. The tasks are held
    (a dummy queue) so that the timed call is the concern's first linking, as in the worker."""
    from django.test import override_settings

    from safeguarding.linking.services import concern_link
    from tests.concerns.factories import ConcernFactory
    from tests.linking.synthetic import city_population

    # A second city: its planted networks have the same drama-range phones as the first city's
    # (a phone per network number), so half the new concerns link to concerns already loaded.
    city = list(city_population(seed=seed, concerns=count * 20, networks=count // 2))
    joining = [item for item in city if item.network is not None][: count // 2]
    fresh = joining + [item for item in city if item.network is None]
    times = []
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        for item in fresh[:count]:
            concern = ConcernFactory(received_at=datetime.datetime.now(datetime.UTC), **item.answers)
            start = time.perf_counter()
            concern_link(concern_id=concern.pk)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"incremental link of {len(times)} new concerns: p50 {statistics.median(times):.0f} ms, "
        f"p95 {p95:.0f} ms (target < 200), max {times[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--incremental", type=int, default=200, help="new concerns to link one by one")
    parser.add_argument("--skip-load", action="store_true", help="use the concerns loaded last time")
    args = parser.parse_args()
    django_setup(args.database_url)
    logging.disable(logging.INFO)  # one line a concern from the services: the numbers are below

    print(
        f"linking benchmark: {args.concerns:,} concerns, {args.networks:,} planted networks, seed {args.seed}"
    )
    if args.skip_load:
        truth = truth_of(args.concerns, args.networks, args.seed)
    else:
        truth = load(args.concerns, args.networks, args.seed)
    links_clear()
    seconds, peak = relink(args.database_url)
    print(f"relink: {seconds:.0f} s (target < 600), peak memory {peak:,.0f} MB (target < 4,096)")
    quality(truth)
    incremental(args.incremental, args.seed + 1)


if __name__ == "__main__":
    main()
