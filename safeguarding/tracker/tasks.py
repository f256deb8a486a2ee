"""Background tasks of the tracker, run by the task worker (`manage.py db_worker`).

Tasks only call a service: the work, and the rules that make it safe to repeat, live in the service.
`manage.py run_scheduler` enqueues `reminders_send_due` and `tallies_refresh_due` every few minutes.
"""

from django_tasks import task

from .reminders import reminders_send_due as reminders_send_due_service
from .services import tallies_refresh_due as tallies_refresh_due_service


@task()
def reminders_send_due() -> dict[str, int]:
    """Send the reminder e-mails due today that have not been sent yet."""
    return reminders_send_due_service().as_dict()


@task()
def tallies_refresh_due() -> dict[str, int]:
    """Count again the recommendations whose day-dependent counts (RAG, overdue, due soon) have expired:
    a due date passed or came near. Usually none; on a new day, the few whose actions moved."""
    return {"counted": tallies_refresh_due_service()}
