"""Reminder e-mails: 30, 7 and 1 days before the due date and once when overdue, each sent once."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from safeguarding.accounts.models import Role
from safeguarding.tracker import reminders, tasks
from safeguarding.tracker.models import Action, ReminderSent
from safeguarding.tracker.reminders import reminders_send_due
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory
from tests.reviews.factories import RecommendationFactory
from tests.tracker.factories import ActionFactory

LONDON = ZoneInfo("Europe/London")
# Thursday 25 March 2027: Good Friday (26th) and Easter Monday (29th) are bank holidays, so the first
# working day after it is Tuesday 30 March.
DUE = datetime.date(2027, 3, 25)
EXPECTED = {
    datetime.date(2027, 2, 23): ReminderSent.Kind.DAYS_30,
    datetime.date(2027, 3, 18): ReminderSent.Kind.DAYS_7,
    datetime.date(2027, 3, 24): ReminderSent.Kind.DAYS_1,
    datetime.date(2027, 3, 30): ReminderSent.Kind.OVERDUE,
}


def _at(day: datetime.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


@pytest.fixture
def agency():
    return AgencyFactory(name="Testborough Health Trust")


@pytest.fixture
def action(agency):
    lead = UserFactory(username="lead", first_name="Sam", last_name="Fictional")
    UserFactory(username="agencylead", agency_lead=agency)
    # Not owners, or not reachable: none of these is e-mailed.
    UserFactory(username="gone", is_active=False, agency_lead=agency)
    UserFactory(username="noemail", email="", agency_lead=agency)
    UserFactory(username="elsewhere", agency_lead=AgencyFactory())
    return ActionFactory(
        recommendation=RecommendationFactory(reference="7", review__short_title="Training review T"),
        description="Train every front-door worker in professional curiosity",
        owner_agency=agency,
        lead=lead,
        due_date=DUE,
        status=Action.Status.IN_PROGRESS,
    )


def _run_every_day(first: datetime.date, last: datetime.date, *, times: int = 2) -> dict[datetime.date, int]:
    """Run the job `times` times on every day from first to last; the number of e-mails sent each day."""
    sent_on = {}
    day = first
    while day <= last:
        before = len(mail.outbox)
        for hour in range(9, 9 + times):
            with _at(day, hour):
                reminders_send_due()
        if len(mail.outbox) > before:
            sent_on[day] = len(mail.outbox) - before
        day += datetime.timedelta(days=1)
    return sent_on


@pytest.mark.django_db
def test_each_reminder_is_sent_once_on_its_day_however_often_the_job_runs(action):
    sent_on = _run_every_day(DUE - datetime.timedelta(days=40), DUE + datetime.timedelta(days=20), times=3)

    assert sent_on == dict.fromkeys(EXPECTED, 1)
    rows = ReminderSent.objects.filter(action=action).order_by("sent_at", "id")
    assert [r.kind for r in rows] == list(EXPECTED.values())
    assert {r.due_date for r in rows} == {DUE}


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "kind"), list(EXPECTED.items()))
def test_running_twice_on_a_reminder_day_sends_one_email(action, day, kind):
    with _at(day):
        first = reminders_send_due()
        second = reminders_send_due()

    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().kind == kind


@pytest.mark.django_db
def test_the_owners_are_the_lead_and_the_active_agency_leads_with_an_email(action):
    with _at(datetime.date(2027, 3, 18)):
        reminders_send_due()

    assert sorted(mail.outbox[0].to) == ["agencylead@example.org", "lead@example.org"]


@pytest.mark.django_db
@override_settings(SITE_URL="https://toolkit.example.org/")
def test_the_email_says_what_is_due_when_and_links_to_the_action(action):
    with _at(datetime.date(2027, 3, 18)):
        reminders_send_due()

    message = mail.outbox[0]
    assert message.subject == "Reminder: an action is due in 7 days"
    assert "due in 7 days, on Thursday 25 March 2027" in message.body
    assert "Train every front-door worker in professional curiosity" in message.body
    assert "Recommendation: 7" in message.body
    assert "Owner agency: Testborough Health Trust" in message.body
    assert f"https://toolkit.example.org/staff/actions/{action.pk}/" in message.body
    # No personal data beyond the action and its recommendation: not even the lead's name.
    assert "Sam" not in message.body
    assert "Fictional" not in message.body


@pytest.mark.django_db
def test_the_overdue_email_says_when_it_was_due(action):
    with _at(datetime.date(2027, 3, 30)):
        reminders_send_due()

    message = mail.outbox[0]
    assert message.subject == "Overdue: an action was due on 25 March 2027"
    assert "was due on Thursday 25 March 2027 and is not yet marked as done" in message.body


@pytest.mark.django_db
def test_overdue_waits_for_the_first_working_day_after_the_due_date(action):
    # Friday to Monday of Easter 2027 are not working days (Good Friday, weekend, Easter Monday).
    sent_on = _run_every_day(DUE - datetime.timedelta(days=1), datetime.date(2027, 3, 31))

    assert list(sent_on) == [DUE - datetime.timedelta(days=1), datetime.date(2027, 3, 30)]


@pytest.mark.django_db
def test_an_action_first_due_today_gets_a_due_today_reminder(action):
    with _at(DUE):
        reminders_send_due()

    assert mail.outbox[0].subject == "Reminder: an action is due today"
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.DAYS_1


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(Action.DONE))
def test_a_done_action_gets_no_reminder(action, status):
    action.status = status
    action.save()

    sent_on = _run_every_day(DUE - datetime.timedelta(days=31), DUE + datetime.timedelta(days=10), times=1)

    assert sent_on == {}
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_reminders_stop_once_the_action_is_done(action):
    with _at(datetime.date(2027, 2, 23)):
        reminders_send_due()
    action.status = Action.Status.COMPLETE
    action.save()

    sent_on = _run_every_day(datetime.date(2027, 2, 24), DUE + datetime.timedelta(days=10), times=1)

    assert len(mail.outbox) == 1
    assert sent_on == {}


@pytest.mark.django_db
def test_an_action_without_a_due_date_gets_no_reminder(action):
    action.due_date = None
    action.save()

    _run_every_day(DUE - datetime.timedelta(days=31), DUE + datetime.timedelta(days=10), times=1)

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_new_due_date_gets_fresh_reminders(action):
    with _at(datetime.date(2027, 3, 18)):
        reminders_send_due()
    new_due = datetime.date(2027, 4, 30)
    action.due_date = new_due
    action.save()

    with _at(datetime.date(2027, 3, 31)):  # 30 days before the new date
        reminders_send_due()
        reminders_send_due()

    assert len(mail.outbox) == 2
    assert "30 April 2027" in mail.outbox[1].body
    assert set(ReminderSent.objects.values_list("kind", "due_date")) == {
        (ReminderSent.Kind.DAYS_7, DUE),
        (ReminderSent.Kind.DAYS_30, new_due),
    }


@pytest.mark.django_db
def test_only_the_latest_reminder_due_is_sent_when_the_action_is_set_up_late(action):
    with _at(datetime.date(2027, 3, 20)):  # five days before: the 30-day reminder's time has passed
        reminders_send_due()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reminder: an action is due in 5 days"
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.DAYS_7


@pytest.mark.django_db
def test_a_failed_send_leaves_no_record_and_is_retried_next_run(action, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with _at(datetime.date(2027, 3, 18)):
        run = reminders_send_due()
    assert (run.sent, run.failed) == (0, 1)
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    with _at(datetime.date(2027, 3, 18), hour=10):
        run = reminders_send_due()
    assert (run.sent, run.failed) == (1, 0)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


@pytest.mark.django_db
def test_one_failed_send_does_not_stop_the_others(action, agency, monkeypatch):
    other = ActionFactory(
        recommendation=action.recommendation,
        description="Audit the front door's records",
        owner_agency=agency,
        lead=action.lead,
        due_date=DUE,
    )
    real_send = EmailMessage.send

    def refuse_for_first(self, fail_silently=False):
        if f"/staff/actions/{action.pk}/" in self.body:
            raise ConnectionRefusedError("the mail server is down")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", refuse_for_first)
    with _at(datetime.date(2027, 3, 18)):
        run = reminders_send_due()

    assert (run.sent, run.failed) == (1, 1)
    assert list(ReminderSent.objects.values_list("action_id", flat=True)) == [other.pk]


@pytest.mark.django_db
def test_no_one_to_email_records_nothing_so_a_lead_added_later_is_reminded(action):
    Role.objects.filter(kind=Role.Kind.AGENCY_LEAD).delete()
    lead = action.lead
    action.lead = None
    action.save()
    with _at(datetime.date(2027, 3, 18)):
        run = reminders_send_due()
    assert (run.sent, run.no_recipients) == (0, 1)
    assert not ReminderSent.objects.exists()

    action.lead = lead
    action.save()
    with _at(datetime.date(2027, 3, 19)):
        reminders_send_due()
    assert mail.outbox[0].to == ["lead@example.org"]


@pytest.mark.django_db
def test_the_task_sends_the_reminders_through_the_queue(action):
    with _at(datetime.date(2027, 3, 18)):
        result = tasks.reminders_send_due.enqueue()
        tasks.reminders_send_due.enqueue()

    assert result.return_value == {"sent": 1, "failed": 0, "no_recipients": 0, "skipped": 0}
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scheduled_job_and_sends_each_reminder_once(action):
    from django_tasks_db.models import DBTaskResult

    # The scheduler also queues other jobs (the concern notification sweep): count the reminders job.
    reminder_jobs = DBTaskResult.objects.filter(task_path__endswith="reminders_send_due")

    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}),
        _at(datetime.date(2027, 3, 18)),
    ):
        call_command("run_scheduler", "--once")
        call_command("run_scheduler", "--once")  # still waiting: not queued twice
        assert reminder_jobs.count() == 1
        assert mail.outbox == []  # nothing is sent until the worker runs
        call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
        call_command("run_scheduler", "--once")
        call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")

    assert len(mail.outbox) == 1
    assert list(reminder_jobs.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert [r.return_value["sent"] for r in reminder_jobs.order_by("enqueued_at")] == [1, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(action, monkeypatch):
    # Both runs find the reminder unsent before either records it: the unique constraint decides.
    both_found = threading.Barrier(2, timeout=10)
    real_reminders_due = reminders.reminders_due

    def reminders_due_then_wait(*, today):
        found = real_reminders_due(today=today)
        both_found.wait()
        return found

    monkeypatch.setattr(reminders, "reminders_due", reminders_due_then_wait)
    runs, errors = [], []

    def run() -> None:
        try:
            runs.append(reminders_send_due(today=datetime.date(2027, 3, 18)))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.sent for r in runs) == [0, 1]
    assert sorted(r.skipped for r in runs) == [0, 1]
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


# transaction=True: each tick closes old connections, as a long-running process must.
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_loop_enqueues_every_interval_until_stopped(action, monkeypatch):
    from safeguarding.core.management.commands import run_scheduler

    waits = []

    class StopAfterThreeTicks(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            if len(waits) == 3:
                self.set()
            return self.is_set()

    monkeypatch.setattr(run_scheduler.threading, "Event", StopAfterThreeTicks)
    monkeypatch.setattr(run_scheduler.signal, "signal", lambda *args: None)
    enqueued = []
    real_enqueue = run_scheduler.periodic_tasks_enqueue
    monkeypatch.setattr(run_scheduler, "periodic_tasks_enqueue", lambda: enqueued.append(1) or real_enqueue())

    with _at(datetime.date(2027, 3, 18)):
        call_command("run_scheduler", "--interval", "60", stdout=io.StringIO())

    assert waits == [60, 60, 60]
    assert len(enqueued) == 3
    assert len(mail.outbox) == 1  # three runs of the job, one reminder


def test_the_scheduler_refuses_an_interval_under_a_second():
    with pytest.raises(CommandError, match="at least 1 second"):
        call_command("run_scheduler", "--interval", "0")
