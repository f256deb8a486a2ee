"""Background tasks of the tracker, run by the task worker (`manage.py db_worker`).

Tasks only call a service: the work, and the rules that make it safe to repeat, live in the service.
`manage.py run_scheduler` enqueues `reminders_send_due` every few minutes.
"""

from django_tasks import task

from .reminders import reminders_send_due as reminders_send_due_service


@task()
def reminders_send_due() -> dict[str, int]:
    """Send the reminder e-mails due today that have not been sent yet."""
    return reminders_send_due_service().as_dict()
