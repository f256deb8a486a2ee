"""Throughput of the public pages beside a bare Django view, under the same gunicorn as `make run`.

For each database (SQLite, the embedded default, and PostgreSQL), in one run:
  1. a fresh database with the default content (`load_default_content`), as `make run` makes it;
  2. gunicorn with `make run`'s settings (2 workers, 4 threads each, --reuse-port) on a port of its
     own, serving the project with one extra URL, /bench/bare/: a view that returns a short response,
     under the same middleware, so it is the ceiling any page of this project could reach here;
  3. wrk (Debian's package `wrk`, one thread, 16 connections, keep-alive as browsers use) on each URL
     after a one-second warm-up: --rounds times the bare view then the page, --duration seconds each;
     every response must be a 200.

It prints, for each page, the round with the median share: the page's requests a second, the bare
view's measured just before it, and the share. These machines are noisy, so only figures measured side
by side are compared. Target (issue 8): every public page at least 25% of the bare view.
Anonymous visitors with no cookies, as wrk sends, are served from the page cache where a page allows.

    .venv/bin/python bench/public.py                       # both databases
    .venv/bin/python bench/public.py --databases sqlite    # one
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, create_postgres_database

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_public"
REVIEW = "newcastle-jscr-2018"
PAGES = [
    ("bare Django view", "/bench/bare/"),
    ("home", "/"),
    ("reviews list", "/reviews/"),
    ("search", "/reviews/?q=exploitation"),
    ("review", f"/reviews/{REVIEW}/"),
    ("recommendation", f"/reviews/{REVIEW}/recommendations/N1/"),
    ("get help", "/get-help/"),
    ("report start", "/report/"),
]
TARGET_SHARE = 0.25


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # name from our own command line


def _environment(database_url: str, var_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        # The local settings `make run` uses, with the bare view's URL added (bench/public_settings.py).
        "DJANGO_SETTINGS_MODULE": "public_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        "DATABASE_URL": database_url,
        "TOOLKIT_VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # the embedded default: the database cache, as `make run` has it
    return env


def _serve(env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--reuse-port",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("bench/public.py: the server stopped while starting")
        try:
            with urllib.request.urlopen(base + "/bench/bare/", timeout=2):  # noqa: S310 (our own server)
                return server, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench/public.py: the server did not start")


def _wrk(url: str, *, duration: int, connections: int) -> tuple[float, str, int]:
    """(requests a second, p99 latency as wrk prints it, responses that were not 2xx or 3xx)."""
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    if errors:
        print(f"    wrk: {errors.group(0)}")
    return rate, p99.group(1) if p99 else "?", int(bad.group(1)) if bad else 0


def _measure(database: str, database_url: str, args: argparse.Namespace) -> None:
    var_dir = tempfile.mkdtemp(prefix="toolkit-bench-public-")
    env = _environment(database_url, var_dir)
    for command in (
        ["migrate", "--no-input"],
        ["createcachetable"],
        ["load_default_content"],
        ["collectstatic", "--no-input"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env, check=True
        )
    server, base = _serve(env, args.workers, args.threads)
    try:
        for _, path in PAGES:
            with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310 (our own server)
                if response.status != 200:
                    raise SystemExit(f"bench/public.py: {path} answered {response.status}")
        print(
            f"\n{database}: gunicorn {args.workers} workers x {args.threads} threads, "
            f"wrk 1 thread x {args.connections} connections, {args.rounds} rounds of {args.duration} s"
        )
        for name, path in PAGES[1:]:
            # Bare view and page in turn, ROUNDS times: a burst of noise from another process then
            # touches both figures of a round, and the median round is reported.
            _wrk(base + path, duration=1, connections=args.connections)  # warm-up
            rounds = []
            for _ in range(args.rounds):
                bare, _, _ = _wrk(base + PAGES[0][1], duration=args.duration, connections=args.connections)
                rate, p99, bad = _wrk(base + path, duration=args.duration, connections=args.connections)
                if bad:
                    raise SystemExit(f"bench/public.py: {bad} responses to {path} were not 200")
                rounds.append((rate / bare, rate, bare, p99))
            share, rate, bare, p99 = sorted(rounds)[len(rounds) // 2]
            verdict = "ok" if share >= TARGET_SHARE else "BELOW TARGET"
            print(
                f"  {name:<15} {path:<50} {rate:7.0f} req/s  bare {bare:6.0f} req/s  "
                f"{share:6.1%} of bare  p99 {p99:>8}  {verdict}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--duration", type=int, default=3, help="seconds of load in each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="bare/page pairs measured for each page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="as make run")
    parser.add_argument("--threads", type=int, default=4, help="as make run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/public.py needs wrk: apt-get install wrk")
    print(f"{os.cpu_count()} CPUs; server and wrk share them")
    for database in args.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as directory:
                _measure("SQLite", f"sqlite:///{directory}/bench.sqlite3", args)
        elif database == "postgres":
            _drop_postgres_database(args.postgres_url)
            create_postgres_database(args.postgres_url)
            _measure("PostgreSQL", args.postgres_url, args)
        else:
            raise SystemExit(f"bench/public.py: unknown database {database!r}")


if __name__ == "__main__":
    main()
