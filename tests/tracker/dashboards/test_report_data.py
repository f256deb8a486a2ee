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


# --- The stored weeks (WeekTally) against the line worked out from scratch ---------------------------


def _stored_and_from_scratch(board, *, weeks: int = report_data.PROGRESS_WEEKS):
    """The dashboard's line (stored weeks and tallies) and `weekly_progress` from scratch, for a viewer."""
    from safeguarding.tracker.dashboards import selectors

    scope = selectors.dashboard_scope(user=UserFactory(viewer=True), board_id=board.pk)
    counts = selectors.scope_action_counts(scope=scope, today=TODAY)
    recommendations = selectors.scope_recommendation_counts(scope=scope)
    stored = report_data.scope_weekly_progress(
        scope=scope,
        today=TODAY,
        done_now=counts.done,
        actions_total=counts.total,
        recommendations_total=recommendations.total,
        weeks=weeks,
    )
    scratch = report_data.weekly_progress(
        board=board, recommendations=scope.recommendations, actions=scope.actions, today=TODAY, weeks=weeks
    )
    return stored, scratch


def _sign_off(recommendation, board, *, by, day: datetime.date) -> None:
    with _at(day):
        services.sign_off_record(
            recommendation=recommendation,
            board=board,
            meeting_date=day,
            minute_reference=f"{board.short_name}/{day:%Y%m%d}",
            decision="progressed_in_full",
            by=by,
        )


def test_the_stored_weeks_draw_the_line_worked_out_from_scratch_through_months_of_changes(tracker):
    from safeguarding.tracker.models import WeekTally
    from tests.tracker.dashboards.conftest import add_action

    d = datetime.date
    manager = tracker.supplier
    admin = UserFactory(administrator=True)
    children_manager = UserFactory(partnership_manager=tracker.children)
    assert WeekTally.objects.filter(week=WeekTally.NOW, board=tracker.adults).get().signed_off == 1

    _status(tracker.actions["a6"], "complete", by=admin, day=d(2025, 10, 1))  # before the 26 weeks
    _status(tracker.actions["a2"], "complete", by=manager, day=d(2026, 1, 6))
    _status(tracker.actions["a3"], "complete", by=manager, day=d(2026, 3, 3))
    _status(tracker.actions["a3"], "in_progress", by=manager, day=d(2026, 3, 4))  # and back, same week
    _status(tracker.actions["a3"], "impact_evidenced", by=manager, day=d(2026, 3, 17))
    _status(tracker.actions["a5"], "complete", by=admin, day=d(2026, 2, 2))
    for name in ("a2", "a3"):
        EvidenceFactory(
            action=tracker.actions[name], state="accepted", effective_date=TODAY, supplied_by=manager
        )
    _sign_off(tracker.r1, tracker.adults, by=manager, day=d(2026, 4, 1))
    _sign_off(tracker.r1, tracker.children, by=children_manager, day=d(2026, 4, 8))
    # A change after the sign-offs reopens both of them.
    _status(tracker.actions["a2"], "in_progress", by=manager, day=d(2026, 5, 5))
    _status(tracker.actions["a2"], "complete", by=manager, day=d(2026, 5, 12))
    _status(tracker.actions["a5"], "in_progress", by=admin, day=d(2026, 6, 15))  # this week
    stored, scratch = _stored_and_from_scratch(tracker.adults)
    assert stored == scratch
    by_week = {w.week: w.signed_off for w in scratch.weeks}
    assert [by_week[d(2026, 3, 23)], by_week[d(2026, 3, 30)], by_week[d(2026, 5, 4)]] == [1, 2, 1]
    stored, scratch = _stored_and_from_scratch(tracker.children)
    assert stored == scratch
    assert scratch.changes_recorded > 0

    # Records with no history count from the start; a deleted action's history no longer moves the
    # line; a recommendation given to another board takes its history with it.
    add_action(tracker.r3, tracker.agency_a, status="complete", done=d(2026, 6, 1))
    tracker.actions["a5"].delete()
    tracker.r3.boards.add(tracker.adults)  # r3 now names the adults' board only
    for board in (tracker.adults, tracker.children):
        for weeks in (report_data.PROGRESS_WEEKS, 4, 1):
            stored, scratch = _stored_and_from_scratch(board, weeks=weeks)
            assert stored == scratch, (board.short_name, weeks)


def test_the_stored_weeks_match_a_rebuild(tracker):
    """What the same-transaction upkeep leaves in WeekTally is what counting everything again gives."""
    from safeguarding.tracker import aggregates
    from safeguarding.tracker.models import WeekTally

    manager = tracker.supplier
    _status(tracker.actions["a2"], "complete", by=manager, day=datetime.date(2026, 5, 6))
    _status(tracker.actions["a3"], "complete", by=manager, day=datetime.date(2026, 5, 13))
    tracker.r2.boards.add(tracker.children)
    kept = sorted(WeekTally.objects.values_list("board_id", "week", "actions_done", "signed_off", "changes"))

    aggregates.tallies_rebuild(today=TODAY)

    rebuilt = sorted(
        WeekTally.objects.values_list("board_id", "week", "actions_done", "signed_off", "changes")
    )
    assert kept == rebuilt
    assert any(row[2] for row in rebuilt)


def test_an_agency_lead_gets_the_line_of_their_own_agencys_actions(tracker):
    from safeguarding.tracker.dashboards import selectors

    _status(tracker.actions["a3"], "complete", by=tracker.supplier, day=datetime.date(2026, 6, 2))
    lead = UserFactory(agency_lead=tracker.agency_a)
    scope = selectors.dashboard_scope(user=lead, board_id=tracker.adults.pk)

    progress = report_data.scope_weekly_progress(
        scope=scope, today=TODAY, done_now=0, actions_total=0, recommendations_total=0, weeks=4
    )

    assert progress == report_data.weekly_progress(
        board=tracker.adults,
        recommendations=scope.recommendations,
        actions=scope.actions,
        today=TODAY,
        weeks=4,
    )
    assert progress.actions_total == 3  # a1, a3 and a4: agency A's actions on the adults' board
