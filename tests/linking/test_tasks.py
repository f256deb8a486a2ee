"""Linking through the task queue: within seconds of a concern being sent, and after the worker was down."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.concerns.services import concern_follow_up
from safeguarding.core.management.commands.run_scheduler import PERIODIC_TASKS
from safeguarding.linking.models import ConcernLinking, Link
from safeguarding.linking.services import concerns_link_pending
from tests.concerns.factories import ConcernFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")


@pytest.mark.django_db
def test_a_concern_sent_is_linked_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = ConcernFactory(phones=["07700 900501"])
        second = ConcernFactory(phones=["07700900501"])
    assert Link.objects.filter(concern_low=first, concern_high=second, strength="probable").exists()
    assert ConcernLinking.objects.get(concern=second).linked_at is not None


@pytest.mark.django_db(transaction=True)
def test_concerns_sent_while_the_worker_is_down_are_linked_when_it_comes_back():
    with override_settings(TASKS=DATABASE_QUEUE):
        # A transactional test commits for real, so the on_commit enqueue runs as in production.
        first = ConcernFactory(phones=["07700 900502"])
        second = ConcernFactory(phones=["+44 7700 900502"])
        assert first.pk
        assert second.pk
        assert not Link.objects.exists()  # waiting for the worker
        waiting = DBTaskResult.objects.filter(task_path="safeguarding.linking.tasks.concern_link_task")
        assert waiting.count() == 2
        _worker()
    assert Link.objects.get().strength == "probable"
    assert set(waiting.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_concern_whose_task_was_never_queued_is_linked_by_the_scheduler_sweep():
    assert "safeguarding.linking.tasks.linking_catch_up_task" in PERIODIC_TASKS
    with override_settings(TASKS=DATABASE_QUEUE):
        with mock.patch("safeguarding.linking.tasks.concern_linking_enqueue", side_effect=RuntimeError):
            first = ConcernFactory(phones=["07700 900503"])
            second = ConcernFactory(phones=["07700900503"])
        assert not DBTaskResult.objects.filter(task_path__startswith="safeguarding.linking").exists()
        assert not Link.objects.exists()
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
            call_command("run_scheduler", "--once")
            _worker()
    assert Link.objects.filter(concern_low=first, concern_high=second).exists()


@pytest.mark.django_db
def test_the_sweep_finds_concerns_never_linked_and_information_added_since():
    concern = ConcernFactory(phones=["07700 900504"])  # no on_commit run: never linked
    later = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(later):
        assert concerns_link_pending().concerns == 1
        assert concerns_link_pending().concerns == 0
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        concern_follow_up(
            reference=concern.reference, receipt_code=concern.receipt_code, text="He rings from 07700 900505."
        )
    with time_machine.travel(later + datetime.timedelta(minutes=5)):
        assert concerns_link_pending().concerns == 1
