"""Telling teams a concern has arrived: one e-mail per member, no content, each team exactly once."""

import datetime
import importlib
import threading

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.concerns import notifications
from safeguarding.concerns.models import Concern, ConcernRoute, Team
from safeguarding.concerns.notifications import concern_notify, route_notify, routes_notify_missed
from safeguarding.concerns.services import concern_submit
from safeguarding.concerns.tasks import URGENT_PRIORITY, concern_notification_enqueue
from safeguarding.core.management.commands.run_scheduler import PERIODIC_TASKS
from tests.concerns.conftest import (
    CANARY_ADDRESS,
    CANARY_HANDLE,
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_REGISTRATION,
    answers,
    canary_answers,
    new_key,
)
from tests.concerns.factories import ConcernFactory, ConcernRouteFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

SITE = "https://toolkit.example.org"


def _team(slug: str) -> Team:
    return Team.objects.get(slug=slug)


def _member(team: Team, **fields) -> str:
    return TeamMemberFactory(teams=[team], viewer=True, **fields).email


@pytest.fixture(autouse=True)
def default_teams_and_rules():
    """Transactional tests that ran earlier empty every table, the migration's default rules too."""
    migration = importlib.import_module("safeguarding.concerns.migrations.0002_default_teams_and_rules")
    migration.create_defaults(apps, None)


@pytest.fixture
def members():
    """Two reachable members of each default team, and two members who cannot be e-mailed."""
    addresses = {}
    for slug in ("children-front-door", "adult-social-care", "exploitation"):
        team = _team(slug)
        addresses[slug] = sorted([_member(team), _member(team)])
        _member(team, is_active=False)
        _member(team, email="")
    return addresses


def _submit(django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return ConcernFactory(**overrides)


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@override_settings(SITE_URL=SITE)
def test_each_member_of_the_receiving_team_gets_one_email(members, django_capture_on_commit_callbacks):
    concern = _submit(django_capture_on_commit_callbacks, about="child")
    assert _recipients() == members["children-front-door"]
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others' addresses
    message = mail.outbox[0]
    assert message.subject == "A new concern has arrived for Children's front door"
    assert "A new concern has arrived for Children's front door." in message.body
    assert "Urgent: No" in message.body
    assert f"{SITE}/staff/concerns/teams/children-front-door/" in message.body
    received = timezone.localtime(concern.received_at)
    assert f"at {received:%H:%M}" in message.body
    assert ConcernRoute.objects.get(concern=concern, team__slug="children-front-door").notified_at


def test_members_of_other_teams_get_nothing(members, django_capture_on_commit_callbacks):
    _submit(django_capture_on_commit_callbacks, about="adult")
    assert _recipients() == members["adult-social-care"]


def test_a_concern_for_two_teams_tells_both(members, django_capture_on_commit_callbacks):
    _submit(django_capture_on_commit_callbacks, about="not_sure")
    assert _recipients() == sorted(members["children-front-door"] + members["adult-social-care"])


def test_the_email_holds_nothing_of_the_concern(members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = ConcernFactory(**canary_answers())
    assert len(mail.outbox) == 4  # adult social care and, for the signs ticked, the exploitation team
    everything = "\n".join(message.subject + "\n" + message.body for message in mail.outbox)
    for canary in (
        CANARY_NARRATIVE,
        CANARY_NAME,
        "Zephyrine",
        "Quillbrook",
        CANARY_NICKNAME,
        CANARY_PHONE,
        CANARY_REGISTRATION,
        CANARY_ADDRESS,
        CANARY_HANDLE,
        "Larkspur",
        "Canaryman",
        "Canaryreporter",
        "Canary wants",
    ):
        assert canary not in everything
    # Not even the reference: the e-mail is a doorbell, the concern is read behind sign-in.
    assert concern.reference not in everything
    assert "/staff/concerns/teams/" in everything


def test_an_urgent_concern_says_so_in_the_subject(members, django_capture_on_commit_callbacks):
    _submit(django_capture_on_commit_callbacks, about="adult", immediate_danger=True)
    assert {message.subject for message in mail.outbox} == {
        "URGENT: a new concern has arrived for Adult social care"
    }
    assert "Urgent: Yes" in mail.outbox[0].body


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_urgent_concerns_jump_the_task_queue(members, django_capture_on_commit_callbacks):
    urgent = _submit(django_capture_on_commit_callbacks, about="adult", immediate_danger=True)
    routine = _submit(django_capture_on_commit_callbacks, about="adult")
    queued = {
        row.args_kwargs["args"][0]: row.priority
        for row in DBTaskResult.objects.filter(task_path__endswith="concern_routes_notify")
    }
    assert queued == {urgent.pk: URGENT_PRIORITY, routine.pk: 0}
    assert mail.outbox == []  # waiting for the worker


def test_nothing_is_queued_until_the_concern_is_committed(members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ConcernFactory()
    assert mail.outbox == []
    notifying = [c for c in callbacks if getattr(c, "func", None) is concern_notification_enqueue]
    assert len(notifying) == 1


def test_a_double_submit_tells_the_team_once(members, django_capture_on_commit_callbacks):
    key = new_key()
    with django_capture_on_commit_callbacks(execute=True):
        concern_submit(answers=answers(), source="public", idempotency_key=key)
        concern_submit(answers=answers(), source="public", idempotency_key=key)
    assert len(mail.outbox) == 2  # two members, one e-mail each


def test_running_the_task_again_sends_nothing_more(members, django_capture_on_commit_callbacks):
    concern = _submit(django_capture_on_commit_callbacks, about="child")
    assert len(mail.outbox) == 2
    again = concern_notify(concern_id=concern.pk)
    assert again.sent == 0
    for route in ConcernRoute.objects.filter(concern=concern):
        assert route_notify(route=route) == (notifications.SKIPPED, 0)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        assert routes_notify_missed().sent == 0
    assert len(mail.outbox) == 2


def test_a_route_loaded_before_another_runner_told_the_team_is_skipped(members):
    concern = ConcernFactory()
    stale = ConcernRoute.objects.get(concern=concern, team__slug="children-front-door")
    concern_notify(concern_id=concern.pk)  # another runner, meanwhile
    assert stale.notified_at is None
    assert route_notify(route=stale) == (notifications.SKIPPED, 0)
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_by_the_sweep(members, monkeypatch):
    concern = ConcernFactory()

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        run = concern_notify(concern_id=concern.pk)
    assert (run.sent, run.failed) == (0, 1)
    route = ConcernRoute.objects.get(concern=concern, team__slug="children-front-door")
    assert route.notified_at is None  # the claim rolled back with the failed send
    assert routes_notify_missed().sent == 0  # too soon: the task may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert routes_notify_missed().sent == 1
    assert len(mail.outbox) == 2


def test_a_team_shared_in_later_is_told_by_the_sweep(members, django_capture_on_commit_callbacks):
    concern = _submit(django_capture_on_commit_callbacks, about="child")
    mail.outbox.clear()
    ConcernRouteFactory(concern=concern, team=_team("adult-social-care"), reason="Shared by the front door")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run = routes_notify_missed()
    assert (run.sent, run.emails) == (1, 2)
    assert _recipients() == members["adult-social-care"]


@override_settings(CONCERN_NOTIFY_SWEEP_HOURS=72)
def test_the_sweep_leaves_routes_older_than_its_window(members):
    concern = ConcernFactory()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        assert routes_notify_missed().sent == 0
    assert mail.outbox == []
    assert not ConcernRoute.objects.filter(concern=concern, notified_at__isnull=False).exists()


def test_a_team_with_no_one_to_email_is_told_when_someone_joins(django_capture_on_commit_callbacks):
    concern = _submit(django_capture_on_commit_callbacks, about="child")
    assert mail.outbox == []
    route = ConcernRoute.objects.get(concern=concern, team__slug="children-front-door")
    assert route.notified_at is None
    newcomer = _member(_team("children-front-door"))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        routes_notify_missed()
    assert _recipients() == [newcomer]


def test_the_scheduler_runs_the_sweep():
    assert "safeguarding.concerns.tasks.concern_routes_notify_missed" in PERIODIC_TASKS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_tell_the_team_once(members):
    concern = ConcernFactory()
    route_id = ConcernRoute.objects.get(concern=concern, team__slug="children-front-door").pk
    # Committed for real here, so the (immediate) task has run: start again from "not told".
    ConcernRoute.objects.filter(pk=route_id).update(notified_at=None)
    mail.outbox.clear()
    barrier = threading.Barrier(4)
    outcomes = []

    def worker():
        from django.db import connection as thread_connection

        try:
            route = ConcernRoute.objects.select_related("team").get(pk=route_id)
            barrier.wait()
            outcomes.append(route_notify(route=route)[0])
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [notifications.SENT] + [notifications.SKIPPED] * 3
    assert len(mail.outbox) == 2
    assert Concern.objects.filter(pk=concern.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_notifications_once(members):
    from django.core.management import call_command

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        # A transactional test commits for real, so the on_commit enqueue runs as in production.
        ConcernFactory(about="child")
        assert mail.outbox == []  # queued, waiting for the worker
        call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
        assert _recipients() == members["children-front-door"]
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
            call_command("run_scheduler", "--once")
            call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
    assert len(mail.outbox) == 2
    results = DBTaskResult.objects.filter(task_path__startswith="safeguarding.concerns.tasks")
    assert {(r.task_path.rsplit(".", 1)[1], r.status) for r in results} == {
        ("concern_routes_notify", "SUCCESSFUL"),
        ("concern_routes_notify_missed", "SUCCESSFUL"),
    }
