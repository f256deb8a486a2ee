"""Expired sessions are cleared by the scheduler (issue 10, finding 8): they may hold the encrypted
draft or receipt of a report that was never sent."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from safeguarding.accounts.tasks import sessions_clear_expired
from safeguarding.core.management.commands.run_scheduler import PERIODIC_TASKS, periodic_tasks_enqueue

pytestmark = pytest.mark.django_db


def _session(key: str, *, expires_in: datetime.timedelta) -> None:
    Session.objects.create(session_key=key, session_data="e30:x", expire_date=timezone.now() + expires_in)


def test_expired_sessions_go_and_live_ones_stay():
    _session("expired" + "0" * 25, expires_in=-datetime.timedelta(minutes=1))
    _session("live" + "0" * 28, expires_in=datetime.timedelta(minutes=30))
    sessions_clear_expired.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" + "0" * 28]


def test_the_scheduler_enqueues_the_clearing():
    assert "safeguarding.accounts.tasks.sessions_clear_expired" in PERIODIC_TASKS
    _session("expired" + "0" * 25, expires_in=-datetime.timedelta(minutes=1))
    # The test settings run tasks at once (the immediate backend), as the worker would.
    assert "safeguarding.accounts.tasks.sessions_clear_expired" in periodic_tasks_enqueue()
    assert not Session.objects.exists()
