"""Listening for changes to concerns, without the concerns app knowing insight exists.

Any save of a concern or of what happens to it (a route, a decision, a note, an information share) and
any deletion queues a refresh of that concern's statistics once the transaction commits. Ids are
gathered per thread and sent as one task, so a concern made with several rows queues one refresh.
Receivers never fail the sender: a failure to queue is logged by id, and `rebuild_insight` mends all.
"""

import logging
import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from safeguarding.concerns.models import Concern, ConcernDecision, ConcernNote, ConcernRoute, InformationShare
from safeguarding.concerns.signals import concern_changed, concern_deleted

logger = logging.getLogger(__name__)
_pending = threading.local()


def _flush() -> None:
    ids: set[int] = getattr(_pending, "ids", set())
    _pending.ids = set()
    if not ids:
        return
    from .tasks import insight_concerns_refresh

    try:
        insight_concerns_refresh.enqueue(sorted(ids))
    except Exception:  # the statistics must never break the work they count
        logger.exception("Could not queue the insight refresh of %d concerns", len(ids))


def concern_refresh_soon(concern_id: int) -> None:
    """Queue a refresh of this concern's statistics when the current transaction commits."""
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(concern_id)
    transaction.on_commit(_flush, robust=True)


def _on_concern_save(sender: Any, instance: Concern, **kwargs: Any) -> None:
    concern_refresh_soon(instance.pk)


def _on_related_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    concern_refresh_soon(instance.concern_id)


def _on_signal(sender: Any, concern_id: int, **kwargs: Any) -> None:
    concern_refresh_soon(concern_id)


def receivers_connect() -> None:
    uid = "insight"
    post_save.connect(_on_concern_save, sender=Concern, dispatch_uid=f"{uid}-concern-save")
    post_delete.connect(_on_concern_save, sender=Concern, dispatch_uid=f"{uid}-concern-delete")
    for model in (ConcernDecision, ConcernNote, ConcernRoute, InformationShare):
        post_save.connect(_on_related_save, sender=model, dispatch_uid=f"{uid}-{model.__name__}-save")
    concern_changed.connect(_on_signal, dispatch_uid=f"{uid}-concern-changed")
    concern_deleted.connect(_on_signal, dispatch_uid=f"{uid}-concern-deleted")
