"""What every benchmark shares: Django set up on a chosen database, timing requests, printing numbers.

Requests go through Django's test client in-process, so the times are server time (routing,
middleware, queries, templates) without the network.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# What every encrypted column of a benchmark's concerns holds: a token no key opens, so a page or
# count that decrypted anything would fail.
PLACEHOLDER_TOKEN = "v1:bench-placeholder:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  # noqa: S105 (not a secret)


def django_setup(database_url: str) -> None:
    """Point Django at `database_url` (creating a PostgreSQL database if need be), set up, migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    (ROOT / "var").mkdir(exist_ok=True)
    if database_url.startswith("postgres"):
        create_postgres_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    # The test settings close the database connection after every request (each test starts clean);
    # production keeps it for DB_CONN_MAX_AGE seconds (config/settings/base.py), so a request runs on
    # a warm connection whose server process has already read the catalogue. Measure as served: a
    # fresh connection per request made planning alone cost up to 16 ms per query on PostgreSQL.
    for connection in connections.all():
        connection.settings_dict["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    call_command("migrate", verbosity=0)


def create_postgres_database(url: str) -> None:
    import psycopg

    url = url.split("?", 1)[0]  # any ?options=... are for the benchmark's own connections
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name comes from our own command line


def measure(client, paths: list[str]) -> tuple[list[float], list[int]]:
    """Milliseconds and queries for each GET; every response must be 200."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for path in paths:
        reset_queries()  # the query log is capped; an overflowing log would count nothing
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (path, response.status_code)
        times.append(elapsed)
        queries.append(len(captured.captured_queries))
    return times, queries


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes), to print beside the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def bare_view_times(client, n: int) -> tuple[list[float], list[int]]:
    """Times for a view that does nothing, through the same client, middleware and database: the
    floor under every page measured in the same run (bench/public_urls.py adds its URL)."""
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="public_urls"):
        from django.urls import clear_url_caches

        clear_url_caches()
        try:
            return measure(client, ["/bench/bare/"] * n)
        finally:
            clear_url_caches()


def report(name: str, times: list[float], queries: list[int]) -> None:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{name:<34} n={len(times):<4} p50={cuts[49]:7.1f} ms  p95={cuts[94]:7.1f} ms  "
        f"max={max(times):7.1f} ms  queries/request={min(queries)}-{max(queries)}"
    )


# --- Loading rows straight into PostgreSQL -----------------------------------------------------------


def column_values(model, given: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Columns and SQL expressions for every concrete column of `model`; `given` wins, others get a
    neutral value (encrypted columns the placeholder token), so fields added to the model later do not
    break a load. A required column with no default and no given value stops the benchmark."""
    from django.db import connection

    from safeguarding.core.crypto import EncryptedTextField

    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.name in given:
            expressions.append(given[field.name])
        elif isinstance(field, EncryptedTextField):
            expressions.append("%s")
            params.append(PLACEHOLDER_TOKEN)
        elif field.null:
            expressions.append("NULL")
        elif field.has_default():
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection=connection))
        else:
            raise SystemExit(f"{Path(sys.argv[0]).name}: no value for {model.__name__}.{field.name}; add one")
    return columns, expressions, params


def insert_select(cursor, model, *, given: dict[str, str], source: str, params: list | tuple = ()) -> None:
    """INSERT INTO `model`'s table every column (`column_values`) SELECTed FROM `source` (SQL whose
    placeholders `params` fill): how the benchmarks load a million concerns without the ORM."""
    columns, expressions, column_params = column_values(model, given)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 (our own SQL)
        f"SELECT {', '.join(expressions)} FROM {source}",
        [*column_params, *params],
    )
