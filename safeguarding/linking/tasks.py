"""Background tasks of linking, run by the task worker (`manage.py db_worker`), and the receivers that
queue them when concerns change. Tasks only call a service.

A concern sent or given more information is linked within seconds: `concerns.signals.concern_changed`
(sent once its transaction has committed) queues `concern_link_task`. If the worker is down the task
waits in the database queue; if queuing failed, the scheduler's sweep (`linking_catch_up_task`, every
few minutes) links what was missed. A concern deleted at the end of its retention period takes its
identifiers and links with it by cascade; `concern_deleted` queues the recompute of its networks.
"""

from typing import Any

from django.dispatch import receiver
from django_tasks import task

from safeguarding.concerns.signals import concern_changed, concern_deleted

from . import services


@task()
def concern_link_task(concern_id: int) -> dict[str, Any]:
    """Refresh the concern's identifiers and link it (services.concern_link)."""
    run = services.concern_link(concern_id=concern_id)
    return run.as_dict() if run is not None else {}


@task()
def concern_unlinked_task(concern_id: int) -> dict[str, list[int]]:
    """Recompute the networks a deleted concern was in (they no longer have all their members)."""
    change = services.networks_recompute_stale()
    return {"networks": change.networks, "closed": change.closed}


@task()
def linking_catch_up_task() -> dict[str, Any]:
    """Link what the queue missed, recompute stale networks, tell teams of alerts not yet told."""
    return services.linking_catch_up()


@task()
def alert_notify_task(alert_id: int) -> int:
    """E-mail the alert's team that it is in their queue (once)."""
    return services.alert_notify(alert_id=alert_id)


def concern_linking_enqueue(concern_id: int) -> None:
    """Queue the linking of a new or changed concern."""
    concern_link_task.enqueue(concern_id)


@receiver(concern_changed, dispatch_uid="linking.concern_changed")
def _concern_changed(sender: Any, *, concern_id: int, **kwargs: Any) -> None:
    concern_linking_enqueue(concern_id)


@receiver(concern_deleted, dispatch_uid="linking.concern_deleted")
def _concern_deleted(sender: Any, *, concern_id: int, **kwargs: Any) -> None:
    concern_unlinked_task.enqueue(concern_id)
