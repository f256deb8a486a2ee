"""Background work of learning across reviews, run by the task worker (`manage.py db_worker`), and the
receivers that queue it when reviews change. Tasks only call a service.

Any saved or deleted review or recommendation (the admin, a review pack, a spreadsheet import, the
tracker's status changes) queues one `similarities_recompute_task` when its transaction commits: one
per transaction, and none while a run is already waiting in the queue. The task skips the work when
no text it reads has changed. The scheduler's sweep (`learning_catch_up_task`) catches a change whose
queuing failed.
"""

from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import TaskResultStatus, task

from safeguarding.reviews.models import Recommendation, Review

from . import services


@task()
def similarities_recompute_task() -> dict[str, Any]:
    """Work out similar recommendations again, if anything they depend on has changed."""
    result = services.similarities_recompute()
    return {"recommendations": result.recommendations, "pairs": result.pairs, "skipped": result.skipped}


@task()
def learning_catch_up_task() -> dict[str, Any]:
    """The scheduler's sweep: the same as similarities_recompute_task (it does nothing if nothing changed)."""
    result = services.similarities_recompute()
    return {"recommendations": result.recommendations, "pairs": result.pairs, "skipped": result.skipped}


def _waiting() -> bool:
    """Whether a run is already in the database queue and has not started (it will see this change)."""
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(similarities_recompute_task.get_backend(), DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=similarities_recompute_task.module_path, status=TaskResultStatus.READY
    ).exists()


class _RecomputeEnqueue:
    """The on-commit call that queues a recompute, recognisable so it is scheduled once a transaction."""

    def __call__(self) -> None:
        if not _waiting():
            similarities_recompute_task.enqueue()


def similarities_recompute_schedule() -> None:
    """Queue a recompute when the current transaction commits (at once, outside a transaction)."""
    # Each entry is (savepoint ids, callback, robust): the callback is second whatever else it holds.
    if any(isinstance(entry[1], _RecomputeEnqueue) for entry in connection.run_on_commit):
        return
    transaction.on_commit(_RecomputeEnqueue(), robust=True)


def _content_changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures, not edits
    similarities_recompute_schedule()


def receivers_connect() -> None:
    for model in (Review, Recommendation):
        label = model._meta.label_lower
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"learning.{label}.saved")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"learning.{label}.deleted")
