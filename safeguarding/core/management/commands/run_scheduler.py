"""Enqueue the periodic tasks, every few minutes, for the task worker to run.

django-tasks has no periodic scheduler, so this small loop is one (docs/decisions/0011). It only
enqueues: the work runs in `manage.py db_worker`, and every periodic task is safe to run twice, so
two schedulers, or a restart, do no harm. In production, cron can run `run_scheduler --once` instead.
"""

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# The tasks enqueued on every tick. Each must be idempotent: running it twice does nothing twice.
PERIODIC_TASKS = [
    "safeguarding.tracker.tasks.reminders_send_due",
    # Dashboard counts that a new day changes: RAG, overdue and due soon (docs/decisions/0032).
    "safeguarding.tracker.tasks.tallies_refresh_due",
    # Catches new-concern notifications that did not go at once (docs/decisions/0018).
    "safeguarding.concerns.tasks.concern_routes_notify_missed",
    # Expired sessions go: they may hold the encrypted draft of an unsent report.
    "safeguarding.accounts.tasks.sessions_clear_expired",
    # Links concerns the queue missed, recomputes networks after deletions, tells teams of alerts.
    "safeguarding.linking.tasks.linking_catch_up_task",
    # Works out similar recommendations again if a review changed and its queued run was missed.
    "safeguarding.learning.tasks.learning_catch_up_task",
]


def _waiting(task: Task) -> bool:
    """Whether the database queue already holds a run of this task that has not started.

    The worker may be stopped for a while; without this check every tick would add another run.
    """
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists()


def periodic_tasks_enqueue() -> list[str]:
    """Enqueue each periodic task that is not already waiting. Returns the paths enqueued."""
    enqueued = []
    for path in PERIODIC_TASKS:
        task = import_string(path)
        if _waiting(task):
            logger.info("Scheduler: %s is already waiting in the queue", path)
            continue
        task.enqueue()
        enqueued.append(path)
        logger.info("Scheduler: enqueued %s", path)
    return enqueued


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (reminders, missed notifications, expired sessions) now and every "
        "--interval seconds, or once with --once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=int,
            default=300,
            help="Seconds between runs (default: 300, five minutes).",
        )
        parser.add_argument("--once", action="store_true", help="Enqueue once and exit (for cron).")

    def handle(self, *args: Any, interval: int, once: bool, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if once:
            self._tick()
            return
        stop = threading.Event()

        def _stop(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"Scheduler: enqueuing {len(PERIODIC_TASKS)} periodic task(s) every {interval} s.")
        while not stop.is_set():
            try:
                self._tick()
            except Exception:  # a database hiccup must not stop the scheduler; try again next tick
                logger.exception("Scheduler: could not enqueue the periodic tasks")
            stop.wait(interval)
        self.stdout.write("Scheduler: stopped.")

    def _tick(self) -> None:
        close_old_connections()  # a long-running loop must not keep a broken or stale connection
        enqueued = periodic_tasks_enqueue()
        if self.verbosity > 1:
            self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing (already waiting)'}")
