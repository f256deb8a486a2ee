"""Background tasks of concerns, run by the task worker (`manage.py db_worker`).

Tasks only call a service: the work, and the rules that make it safe to repeat, live in
notifications.py. `concern_submit` enqueues `concern_routes_notify` once its transaction has committed;
`manage.py run_scheduler` enqueues `concern_routes_notify_missed` every few minutes.
"""

from django_tasks import task

from .notifications import concern_notify, routes_notify_missed

# Urgent concerns jump the queue: the database worker takes the highest priority first.
URGENT_PRIORITY = 100
ROUTINE_PRIORITY = 0


@task()
def concern_routes_notify(concern_id: int) -> dict[str, int]:
    """Tell each team the concern was routed to that it has arrived (once per team)."""
    return concern_notify(concern_id=concern_id).as_dict()


@task()
def concern_routes_notify_missed() -> dict[str, int]:
    """Tell the teams of any route not notified a minute after routing (a failed send, a shared team)."""
    return routes_notify_missed().as_dict()


def concern_notification_enqueue(*, concern_id: int, urgent: bool) -> None:
    """Queue the notification of a new concern's teams: urgent ones at the front of the queue.

    Call after the concern's transaction has committed (transaction.on_commit), so the worker finds it.
    """
    priority = URGENT_PRIORITY if urgent else ROUTINE_PRIORITY
    concern_routes_notify.using(priority=priority).enqueue(concern_id)
