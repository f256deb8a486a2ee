"""The board report's own reads: its period, what changed in it, and progress week by week."""

import datetime

import pytest
import time_machine

from safeguarding.tracker import services
from safeguarding.tracker.dashboards import report_data
from safeguarding.tracker.models import Action
from tests.accounts.factories import UserFactory
from tests.tracker.factories import EvidenceFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=datetime.UTC))


def _status(action: Action, status: str, *, by, day: datetime.date) -> None:
    with _at(day):
        action.refresh_from_db()
        services.action_update(
            action=action,
            by=by,
            description=action.description,
            lead=action.lead,
            due_date=action.due_date,
            status=status,
        )


def _scope(tracker, board):
    return {
        "board": board,
        "recommendations": board_recommendations(tracker, board),
        "actions": Action.objects.filter(recommendation__in=board_recommendations(tracker, board)),
    }


def board_recommendations(tracker, board):
    from safeguarding.reviews.models import Recommendation

    if board == tracker.adults:
        return Recommendation.objects.filter(pk__in=[tracker.r1.pk, tracker.r2.pk])
    return Recommendation.objects.filter(pk__in=[tracker.r1.pk, tracker.r3.pk])


def test_the_period_runs_from_the_day_after_the_boards_last_meeting(tracker):
    period = report_data.report_period(board=tracker.adults, today=TODAY)

    assert period.last_meeting == datetime.date(2026, 6, 1)
    assert (period.start, period.end) == (datetime.date(2026, 6, 2), TODAY)
    assert period.since == "since the board's meeting of 1 June 2026"


def test_with_no_meeting_recorded_the_period_is_the_last_quarter(tracker):
    period = report_data.report_period(board=tracker.children, today=TODAY)

    assert period.last_meeting is None
    assert period.start == datetime.date(2026, 3, 16)
    assert period.since.startswith("in the last quarter, since 16 March 2026")


def test_what_changed_counts_status_changes_sign_offs_and_evidence_in_the_period_only(tracker):
    a2, a3 = tracker.actions["a2"], tracker.actions["a3"]
    _status(a3, "in_progress", by=tracker.supplier, day=datetime.date(2026, 5, 20))  # before the meeting
    _status(a2, "complete", by=tracker.supplier, day=datetime.date(2026, 6, 10))
    _status(a3, "complete", by=tracker.supplier, day=datetime.date(2026, 6, 11))
    period = report_data.report_period(board=tracker.adults, today=TODAY)

    changes = report_data.changes_since(**_scope(tracker, tracker.adults), period=period)

    assert changes.status_changes_total == 2
    assert changes.actions_done == 2
    assert [(c.action.pk, c.before, c.after) for c in changes.status_changes] == [
        (a3.pk, "In progress", "Complete"),
        (a2.pk, "In progress", "Complete"),
    ]
    assert [s.recommendation_id for s in changes.signed_off] == [tracker.r2.pk]  # recorded on 15 June
    assert changes.evidence_total == 2
    assert [(row.label, row.count) for row in changes.evidence_by_state] == [("Accepted", 2)]
    assert not changes.nothing


def test_what_changed_leaves_out_actions_of_other_boards(tracker):
    admin = UserFactory(administrator=True)
    _status(tracker.actions["a5"], "complete", by=admin, day=datetime.date(2026, 6, 10))
    period = report_data.report_period(board=tracker.adults, today=TODAY)

    changes = report_data.changes_since(**_scope(tracker, tracker.adults), period=period)

    assert changes.status_changes_total == 0


def test_weekly_progress_ends_on_todays_figures_and_is_worked_back_through_the_audit_trail(tracker):
    _status(tracker.actions["a2"], "complete", by=tracker.supplier, day=datetime.date(2026, 6, 10))
    _status(tracker.actions["a3"], "complete", by=tracker.supplier, day=datetime.date(2026, 5, 27))
    _status(tracker.actions["a3"], "in_progress", by=tracker.supplier, day=datetime.date(2026, 5, 28))

    progress = report_data.weekly_progress(**_scope(tracker, tracker.adults), today=TODAY, weeks=4)

    by_week = {w.week: (w.actions_done, w.signed_off) for w in progress.weeks}
    assert list(by_week) == [datetime.date(2026, 5, 25) + datetime.timedelta(weeks=i) for i in range(4)]
    # a1 and a4 were done from the start (no history); a3 went done and back in the week of 25 May;
    # a2 was done on 10 June. The adults' board's sign-off of r2 came from a factory: counted throughout.
    assert by_week == {
        datetime.date(2026, 5, 25): (2, 1),
        datetime.date(2026, 6, 1): (2, 1),
        datetime.date(2026, 6, 8): (3, 1),
        datetime.date(2026, 6, 15): (3, 1),
    }
    assert progress.weeks[-1].actions_percent == 75
    assert progress.weeks[-1].signed_off_percent == 50
    assert progress.changes_recorded == 3


def test_weekly_progress_counts_a_sign_off_recorded_and_one_reopened(tracker):
    manager = tracker.supplier  # the adults' board's partnership manager
    _status(tracker.actions["a2"], "complete", by=manager, day=datetime.date(2026, 6, 2))
    _status(tracker.actions["a3"], "complete", by=manager, day=datetime.date(2026, 6, 2))
    for name in ("a2", "a3"):
        EvidenceFactory(
            action=tracker.actions[name], state="accepted", effective_date=TODAY, supplied_by=manager
        )
    with _at(datetime.date(2026, 6, 3)):
        services.sign_off_record(
            recommendation=tracker.r1,
            board=tracker.adults,
            meeting_date=datetime.date(2026, 6, 3),
            minute_reference="TAB/2026/15",
            decision="progressed_in_full",
            by=manager,
        )
    # A change after the sign-off reopens it: the line steps down again.
    _status(tracker.actions["a2"], "in_progress", by=manager, day=datetime.date(2026, 6, 9))

    progress = report_data.weekly_progress(**_scope(tracker, tracker.adults), today=TODAY, weeks=4)

    assert [(w.week.isoformat(), w.signed_off, w.actions_done) for w in progress.weeks] == [
        ("2026-05-25", 1, 2),
        ("2026-06-01", 2, 4),
        ("2026-06-08", 1, 3),
        ("2026-06-15", 1, 3),
    ]
