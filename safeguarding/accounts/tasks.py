"""Background tasks of accounts, run by the task worker (`manage.py db_worker`)."""

from importlib import import_module

from django.conf import settings
from django_tasks import task


@task()
def sessions_clear_expired() -> None:
    """Delete expired sessions, as `manage.py clearsessions` does: they may hold the encrypted draft or
    receipt of a report never sent. Enqueued by `manage.py run_scheduler` (issue 10, finding 8)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
