"""Benchmark: the public /report/ journey over HTTP against PostgreSQL, with many people at once (issue 4).

Starts the real server (gunicorn with the local settings, on PostgreSQL) on a port of its own. Then:

1. the journey: CLIENTS simulated people, each with their own cookies, walk the journey in parallel
   page by page as a browser would (every POST followed by the GET of the page it leads to) up to
   "Check your answers", SUBMISSIONS times in all. Each report carries a unique marker;
2. sending: "Send report" is pressed on those prepared reports, RATE a second (open loop, from up to
   CLIENTS people at once: latency at a stated load), or with --rate 0 by CLIENTS people one after
   another as fast as the server answers (the most it can take). This is the write path: numbering,
   encryption, routing, the audit chain.

Then it checks, by reading the database with the field keys: every reference a person was shown on
the confirmation page exists, and every marker is in exactly one concern (none lost, none duplicated).

With --restart it restarts PostgreSQL twice: half-way through the journeys and 40% of the way
through the sending. People in flight then see the retry page (HTTP 503) or lose their connection;
like a person, a client waits a moment and sends the same page again (the hidden idempotency key
makes a resent report safe). The same checks follow.

With --backup it takes a backup (`manage.py backup`) once 40% of the reports are acknowledged, while
the rest are being sent, then restores it (`manage.py restore`) into a new database and counts the
references acknowledged before the backup started that the restored database holds (all of them, or
the run fails), and runs `audit_verify` on it (decision 0027).

    .venv/bin/python bench/intake.py                      # 20 clients, 400 reports, sent 20 a second
    .venv/bin/python bench/intake.py --rate 0             # send as fast as the server answers
    .venv/bin/python bench/intake.py --restart            # restart PostgreSQL mid-run (needs root)
    .venv/bin/python bench/intake.py --backup             # back up mid-load, restore, count
    .venv/bin/python bench/intake.py --clients 40 --submissions 1000

It prints journeys and reports per second and p50/p95/p99 response times. Targets: p95 under 300 ms,
at least 20 reports a second (this 2-core machine runs the server, PostgreSQL and the clients).
"""

import argparse
import base64
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, create_postgres_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/toolkit_bench_intake"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
REFERENCE = re.compile(r"\b(C-\d{4}-\d{6})\b")
RETRYABLE = {502, 503, 504}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: list[float] = field(default_factory=list)
    submit_times: list[float] = field(default_factory=list)
    retries: int = 0
    retry_pages: int = 0  # 503 retry pages seen by people in flight
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # marker -> reference shown
    abandoned: list[str] = field(default_factory=list)  # markers whose client gave up


class Person:
    """One simulated person with their own cookies, walking the journey like a browser."""

    def __init__(self, base: str, stats: Stats):
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.csrf = ""
        self.page = ""

    def _request(self, path: str, data: dict | None = None, *, submit: bool = False) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (our own http server)
        if body is not None:
            request.add_header("Referer", self.base + path)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        elapsed = (time.perf_counter() - start) * 1000
        with self.stats.lock:
            self.stats.times.append(elapsed)
            if submit:
                self.stats.submit_times.append(elapsed)
        return status, text, location

    def call(self, path: str, data: dict | None = None, *, submit: bool = False, attempts: int = 40) -> str:
        """GET (or POST `data` to) `path`, following redirects; retried like a person would when the
        server is briefly unavailable. Returns the final page's HTML and remembers its CSRF token."""
        for attempt in range(attempts):
            try:
                if data is not None:
                    data = {**data, "csrfmiddlewaretoken": self.csrf}
                status, text, location = self._request(path, data, submit=submit)
                hops = 0
                while status in {301, 302, 303} and location and hops < 5:
                    path, data = urllib.parse.urlsplit(location).path, None
                    status, text, location = self._request(path)
                    hops += 1
            except (OSError, urllib.error.URLError):
                status, text = 0, ""
            if status == 200:
                found = CSRF.search(text)
                if found:
                    self.csrf = found.group(1)
                self.page = text
                return text
            with self.stats.lock:
                self.stats.retries += 1
                self.stats.retry_pages += status == 503
            if status not in RETRYABLE and status != 0:
                raise RuntimeError(f"{path}: HTTP {status}")
            time.sleep(min(0.25 * (attempt + 1), 2.0))
        raise RuntimeError(f"{path}: still failing after {attempts} attempts")

    def prepare(self, marker: str, number: int) -> str:
        """Walk the journey up to "Check your answers" for one anonymous report about an adult with two
        vehicles and a phone number, as the issue's browser test does; return the form's idempotency key."""
        self.call("/report/")
        self.call("/report/danger/")  # "Start now"; after this each POST's redirect GETs the next page
        self.call("/report/danger/", {"immediate_danger": "no"})
        self.call("/report/about/", {"about": "adult"})
        self.call("/report/what-is-happening/", {"narrative": f"Bench report {marker}: a fictional account."})
        self.call("/report/signs/", {"signs": ["vehicles", "gifts_money"]})
        self.call("/report/where-and-when/", {"where_and_when": "Fictional place, most evenings"})
        self.call("/report/people/", {"add": "no"})
        self.call("/report/vehicles/", {"add": "yes"})
        self.call(
            "/report/vehicles/add/", {"registration": f"BN{number % 90 + 10} XYZ", "description": "grey van"}
        )
        self.call("/report/vehicles/", {"add": "yes"})
        self.call("/report/vehicles/add/", {"registration": "", "description": "white hatchback"})
        self.call("/report/vehicles/", {"add": "no"})
        self.call("/report/phones/", {"add": "yes"})
        self.call("/report/phones/add/", {"number": f"07700 900{number % 1000:03d}"})
        self.call("/report/phones/", {"add": "no"})
        self.call("/report/places/", {"add": "no"})
        self.call("/report/online-accounts/", {"add": "no"})
        self.call("/report/about-you/", {"anonymous": "yes"})
        self.call("/report/relationship/", {"relationship": ""})
        self.call("/report/does-the-person-know/", {"adult_knows": "not_sure"})
        self.call("/report/what-they-want/", {"adult_wants": ""})
        key = IDEMPOTENCY.search(self.page)
        if not key:
            raise RuntimeError("the check answers page has no idempotency key")
        return key.group(1)

    def send(self, key: str) -> str:
        """Press "Send report" (again after a failure, as a person would); return the reference shown."""
        sent = self.call("/report/check/", {"idempotency_key": key}, submit=True)
        found = REFERENCE.search(sent)
        if not found:
            raise RuntimeError("the confirmation page shows no reference")
        return found.group(1)


def _drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.split("?", 1)[0].rsplit("/", 1)[1]
    admin_url = url.split("?", 1)[0].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # name from our own command line


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database_url: str, var_dir: str, redis_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url,
        "TOOLKIT_VAR_DIR": var_dir,
        # One address sends every report here: the per-client limits would stop the benchmark.
        "RATE_LIMIT_REPORT_STEP": "1000000/h",
        "RATE_LIMIT_REPORT_SUBMIT": "1000000/h",
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url  # the rate-limit counters in Redis, as in production
    else:
        env.pop("REDIS_URL", None)  # the database cache of the embedded default
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait_until_serving(base: str, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("bench/intake.py: the server stopped while starting")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 (our own http server)
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench/intake.py: the server did not start")


def _restart_postgres(when: str, ready, done: threading.Event) -> None:
    """Restart PostgreSQL once `ready()` is true (unless the run is over first)."""
    while not done.is_set() and not ready():
        time.sleep(0.02)
    if done.is_set():
        return
    command = ["pg_ctlcluster", "15", "main", "restart"] if shutil.which("pg_ctlcluster") else None
    if command is None:
        command = ["service", "postgresql", "restart"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    print(f"restarted PostgreSQL {when} ({' '.join(command)}: {time.perf_counter() - started:.1f} s)")


def _check_database(database_url: str, var_dir: str, stats: Stats, run_id: str) -> tuple[int, int, int]:
    """(acknowledged references missing, markers in more than one concern, concerns of this run)."""
    os.environ.update(_environment(database_url, var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from safeguarding.concerns.models import Concern

    found: dict[str, list[str]] = {}
    marker_pattern = re.compile(rf"Bench report ({run_id}-\d+):")
    for concern in Concern.objects.filter(source="public").only("reference", "narrative").iterator():
        match = marker_pattern.search(concern.narrative)
        if match:
            found.setdefault(match.group(1), []).append(concern.reference)
    missing = sum(1 for marker, ref in stats.acknowledged.items() if ref not in found.get(marker, []))
    duplicated = sum(1 for refs in found.values() if len(refs) > 1)
    return missing, duplicated, sum(len(refs) for refs in found.values())


@dataclass
class BackupRun:
    """What --backup measured."""

    before: set[str] = field(default_factory=set)  # references acknowledged before it started
    seconds: float = 0.0
    path: str = ""
    size: int = 0
    error: str = ""


def _backup_midway(
    env: dict[str, str], into: str, ready, done: threading.Event, stats, run: BackupRun
) -> None:
    while not done.is_set() and not ready():
        time.sleep(0.02)
    if done.is_set():
        return
    with stats.lock:
        run.before = set(stats.acknowledged.values())
    started = time.perf_counter()
    made = subprocess.run(
        [sys.executable, "manage.py", "backup", "--into", into],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    run.seconds = time.perf_counter() - started
    if made.returncode:
        run.error = made.stderr.strip()[-500:]
        return
    run.path = str(next(Path(into).iterdir()))
    run.size = sum(part.stat().st_size for part in Path(run.path).iterdir())


def _restore_and_count(database_url: str, env: dict[str, str], run: BackupRun) -> None:
    """Restore into a new database beside the benchmark's, and count what it holds."""
    import psycopg

    restored_url = database_url.split("?", 1)[0] + "_restored"
    _drop_postgres_database(restored_url)
    create_postgres_database(restored_url)
    restore_var = tempfile.mkdtemp(prefix="toolkit-bench-restore-")
    restore_env = {**env, "DATABASE_URL": restored_url, "TOOLKIT_VAR_DIR": restore_var}
    started = time.perf_counter()
    restored = subprocess.run(
        [sys.executable, "manage.py", "restore", run.path],
        cwd=ROOT,
        env=restore_env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if restored.returncode:
        raise SystemExit(f"bench/intake.py: restore failed: {restored.stderr.strip()[-500:]}")
    audit_line = next((line for line in restored.stdout.splitlines() if line.startswith("Audit trail")), "")
    with psycopg.connect(restored_url) as conn:
        references = {row[0] for row in conn.execute("SELECT reference FROM concerns_concern")}
    present = len(run.before & references)
    print(
        f"backup: taken in {run.seconds:.1f} s while reports were being sent "
        f"({run.size / 1e6:.1f} MB encrypted); restored into a new database in {seconds:.1f} s"
    )
    print(
        f"  acknowledged before the backup started: {len(run.before)}; present after restore: {present}; "
        f"concerns restored in all: {len(references)}"
    )
    print(f"  {audit_line.split('. Head hash')[0] or 'audit_verify printed nothing'}")
    _drop_postgres_database(restored_url)
    shutil.rmtree(restore_var, ignore_errors=True)
    shutil.rmtree(Path(run.path).parent, ignore_errors=True)
    if present != len(run.before) or not audit_line.startswith("Audit trail intact"):
        raise SystemExit(1)


def _cuts(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50={cuts[49]:6.1f} ms  p95={cuts[94]:6.1f} ms  p99={cuts[98]:6.1f} ms  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument(
        "--rate",
        type=float,
        default=20,
        help="reports sent a second in the sending phase; 0 sends as fast as the server answers",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/15",
        help="Redis for the rate-limit counters, as production uses; '' for the database cache",
    )
    parser.add_argument("--restart", action="store_true", help="restart PostgreSQL part-way through")
    parser.add_argument(
        "--backup", action="store_true", help="back up while reports are sent, restore, count what is there"
    )
    args = parser.parse_args()

    # A fresh database each run: the field keys below are made afresh too (in a throw-away var dir).
    _drop_postgres_database(args.database_url)
    create_postgres_database(args.database_url)
    var_dir = tempfile.mkdtemp(prefix="toolkit-bench-intake-")
    env = _environment(args.database_url, var_dir, args.redis_url)
    if args.backup:
        env["TOOLKIT_BACKUP_KEY"] = f"bench:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"
    backup_run = BackupRun()
    backups_dir = tempfile.mkdtemp(prefix="toolkit-bench-backups-")
    _manage(env, "migrate", "--no-input", "--verbosity", "0")
    _manage(env, "createcachetable")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    stats = Stats()
    client_cpu = 0.0  # CPU seconds the simulated people used, on the same cores as the server
    run_id = uuid.uuid4().hex[:8]
    done = threading.Event()
    try:
        _wait_until_serving(base, server)
        # Phase 1: CLIENTS people walk the journey up to "Check your answers", SUBMISSIONS times in all.
        numbers = iter(range(args.submissions))
        prepared: list[tuple[Person, str, str]] = []
        lock = threading.Lock()

        def walk() -> None:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                person, marker = Person(base, stats), f"{run_id}-{number}"
                try:
                    key = person.prepare(marker, number)
                except Exception as error:  # noqa: BLE001 (a benchmark reports every failure)
                    with stats.lock:
                        stats.errors.append(f"{marker}: {error}")
                        stats.abandoned.append(marker)
                    continue
                with lock:
                    prepared.append((person, marker, key))

        # Phase 2: reports are sent at RATE a second (or, with --rate 0, by CLIENTS people pressing
        # "Send report" one after another as fast as the server answers), until all are sent.
        queue = iter(list(enumerate(prepared)))
        send_started = 0.0

        def send() -> None:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                number, (person, marker, key) = item
                if args.rate:  # open loop: report number N is sent N/RATE seconds after the start
                    time.sleep(max(0.0, send_started + number / args.rate - time.perf_counter()))
                try:
                    reference = person.send(key)
                except Exception as error:  # noqa: BLE001
                    with stats.lock:
                        stats.errors.append(f"{marker}: {error}")
                        stats.abandoned.append(marker)
                    continue
                with stats.lock:
                    stats.acknowledged[marker] = reference

        def run(target) -> float:
            nonlocal client_cpu
            started, cpu = time.perf_counter(), time.process_time()
            threads = [threading.Thread(target=target) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            client_cpu += time.process_time() - cpu
            return time.perf_counter() - started

        restarters = []
        if args.restart:
            restarters = [
                threading.Thread(
                    target=_restart_postgres,
                    args=(
                        "while people walk the journey",
                        lambda: len(prepared) >= args.submissions // 2,
                        done,
                    ),
                ),
            ]
            restarters[0].start()
        journey_seconds = run(walk)
        journey_times, stats.times = stats.times, []
        done.set()
        for thread in restarters:
            thread.join()
        done = threading.Event()  # the sending phase's own
        restarters = []
        if args.restart:
            restarters = [
                threading.Thread(
                    target=_restart_postgres,
                    args=(
                        "while reports are being sent",
                        lambda: len(stats.acknowledged) >= len(prepared) * 0.4,
                        done,
                    ),
                )
            ]
            restarters[0].start()
        if args.backup:
            restarters.append(
                threading.Thread(
                    target=_backup_midway,
                    args=(
                        env,
                        backups_dir,
                        lambda: len(stats.acknowledged) >= len(prepared) * 0.4,
                        done,
                        stats,
                        backup_run,
                    ),
                )
            )
            restarters[-1].start()
        queue = iter(list(enumerate(prepared)))
        send_started = time.perf_counter()
        send_seconds = run(send)
        done.set()
        for thread in restarters:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    missing, duplicated, stored = _check_database(args.database_url, var_dir, stats, run_id)
    shutil.rmtree(var_dir, ignore_errors=True)
    acknowledged = len(stats.acknowledged)
    requests_per_report = len(journey_times) / max(1, len(prepared))
    cache = "Redis" if args.redis_url else "the database"
    print(
        f"clients={args.clients}  reports asked={args.submissions}  server={args.workers}x{args.threads}  "
        f"rate-limit counters in {cache}"
    )
    print(
        f"journey: {len(prepared)} people walked to 'Check your answers' in {journey_seconds:.1f} s "
        f"({len(prepared) / journey_seconds:.1f} journeys/s, {requests_per_report:.0f} requests each, "
        f"{len(journey_times) / journey_seconds:.0f} requests/s)"
    )
    print(f"  every journey request: {_cuts(journey_times)}")
    rate = acknowledged / send_seconds
    offered = f"offered {args.rate:g}/s" if args.rate else "as fast as the server answers"
    print(f"sending ({offered}): {acknowledged} acknowledged in {send_seconds:.1f} s: {rate:.1f} reports/s")
    print(f"  the 'send report' POST: {_cuts(stats.submit_times)}")
    print(f"  every sending request: {_cuts(stats.times)}")
    wall = journey_seconds + send_seconds
    print(f"end to end: {acknowledged / wall:.1f} reports/s")
    cores = os.cpu_count() or 1
    print(
        f"the clients themselves used {client_cpu:.0f} of the {cores * wall:.0f} CPU-seconds of {cores} cores"
    )
    print(
        f"retries {stats.retries} (retry pages seen: {stats.retry_pages}); abandoned {len(stats.abandoned)}"
    )
    for error in stats.errors[:5]:
        print(f"  error: {error}")
    print(
        f"database: {stored} concerns from this run; acknowledged but missing {missing}; "
        f"duplicated {duplicated}"
    )
    if args.backup:
        if backup_run.error or not backup_run.path:
            raise SystemExit(
                f"bench/intake.py: no backup was taken: {backup_run.error or 'the run ended first'}"
            )
        _restore_and_count(args.database_url, env, backup_run)
    if missing or duplicated or stats.abandoned:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
