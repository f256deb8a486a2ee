"""The stored aggregates always equal a from-scratch count (decision 0032).

A Hypothesis state machine applies random changes through the tracker's services (actions added,
changed and removed, evidence added, accepted and returned, RAG overrides, sign-offs, boards changed,
and days passing with the scheduler's refresh) and after each one compares every stored tally with
the counts worked out again in Python from the rules themselves (`action_rag`, the due dates,
`recommendation_progress`), not from the SQL that fills the tallies.
"""

import contextlib
import datetime
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Recommendation
from safeguarding.tracker import aggregates, services
from safeguarding.tracker.dashboards import selectors as dashboard_selectors
from safeguarding.tracker.models import (
    Action,
    AgencyTally,
    Evidence,
    MonthTally,
    RecommendationTally,
    SignOff,
    TallyBoard,
)
from safeguarding.tracker.rag import action_rag
from safeguarding.tracker.selectors import (
    addressed_boards,
    recommendation_progress,
    recommendation_with_tracker,
)
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.tracker.factories import ActionFactory, EvidenceFactory

START = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)  # a Monday
DUE_SOON = datetime.timedelta(days=aggregates.DUE_SOON_DAYS)


# --- The rules, in Python, for one action and one day -------------------------------------------------


def _timing(action: Action, today: datetime.date) -> str:
    if action.is_done or action.due_date is None:
        return ""
    if action.due_date < today:
        return "overdue"
    if action.due_date <= today + DUE_SOON:
        return "due_soon"
    return ""


def _expected(recommendation_ids: list[int], today: datetime.date) -> tuple[dict, dict]:
    """(per recommendation, per recommendation and agency): counts and progressed, from scratch."""
    whole: dict[int, Counter] = {}
    by_agency: dict[tuple[int, int], Counter] = {}
    progressed: dict[int, bool] = {}
    for pk in recommendation_ids:
        recommendation = recommendation_with_tracker(pk)
        progressed[pk] = recommendation_progress(recommendation).is_progressed_in_full
        whole[pk] = Counter()
        for action in recommendation.actions.all():
            rag = action_rag(action, today=today).rag.value
            counts = Counter(
                {
                    "actions": 1,
                    action.status: 1,
                    "rag_complete" if rag == "complete" else rag: 1,
                }
            )
            if timing := _timing(action, today):
                counts[timing] += 1
            whole[pk] += counts
            by_agency.setdefault((pk, action.owner_agency_id), Counter())
            by_agency[(pk, action.owner_agency_id)] += counts
    return {pk: (+counts, progressed[pk]) for pk, counts in whole.items()}, {
        key: +counts for key, counts in by_agency.items()
    }


def _counts(tally) -> Counter:
    return +Counter({name: getattr(tally, name) for name in RecommendationTally.COUNTS})


def _stored(recommendation_ids: list[int]) -> tuple[dict, dict]:
    whole = {
        tally.recommendation_id: (_counts(tally), tally.progressed)
        for tally in RecommendationTally.objects.filter(recommendation_id__in=recommendation_ids)
    }
    by_agency = {
        (tally.recommendation_id, tally.agency_id): _counts(tally)
        for tally in AgencyTally.objects.filter(recommendation_id__in=recommendation_ids)
    }
    return whole, by_agency


def _expected_months_and_boards(recommendation_ids: list[int]) -> tuple[Counter, set]:
    months: Counter = Counter()
    boards = set()
    for pk in recommendation_ids:
        recommendation = recommendation_with_tracker(pk)
        addressed = [board.pk for board in addressed_boards(recommendation)]
        boards |= {(pk, board) for board in addressed}
        for action in recommendation.actions.all():
            if action.is_done:
                month = action.completed_on.replace(day=1) if action.completed_on else MonthTally.NO_DATE
                for scope in ("all", f"agency:{action.owner_agency_id}", *(f"board:{b}" for b in addressed)):
                    months[(scope, month)] += 1
    return months, boards


def assert_tallies_true(recommendation_ids: list[int], today: datetime.date) -> None:
    """The stored tallies of these recommendations (the only ones there) equal a count from scratch."""
    stored = _stored(recommendation_ids)
    expected = _expected(recommendation_ids, today)
    assert stored[0] == expected[0]
    assert stored[1] == expected[1]
    months, boards = _expected_months_and_boards(recommendation_ids)
    assert Counter({(row.scope, row.month): row.n for row in MonthTally.objects.all()}) == months
    assert set(TallyBoard.objects.values_list("recommendation_id", "board_id")) == boards
    for tally in RecommendationTally.objects.filter(recommendation_id__in=recommendation_ids):
        assert tally.counted_on <= today
        assert tally.fresh_until is None or tally.fresh_until >= today


# --- Random changes through the services ----------------------------------------------------------


STATUSES = st.sampled_from(Action.Status.values)
DUE = st.one_of(st.none(), st.integers(min_value=-40, max_value=60))


class TrackerChanges(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = time_machine.travel(START, tick=False)
        self.traveller = self.clock.start()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.clock.stop()

    @property
    def today(self) -> datetime.date:
        return datetime.datetime.now(tz=datetime.UTC).date()

    @initialize()
    def world(self) -> None:
        self.children = BoardFactory(short_name="TCP")
        self.adults = BoardFactory(short_name="TAB", kind=Board.Kind.ADULTS)
        review = ReviewFactory(boards=[self.children, self.adults])
        self.recommendations = [
            RecommendationFactory(review=review, reference="1"),
            RecommendationFactory(review=review, reference="2", boards=[self.adults]),
        ]
        self.agencies = [AgencyFactory(), AgencyFactory()]
        self.manager = UserFactory(
            roles=[("partnership_manager", self.children), ("partnership_manager", self.adults)]
        )
        self.supplier = UserFactory(administrator=True)
        self.ids = [r.pk for r in self.recommendations]
        # Work under way from the start, due within the windows the days move actions through.
        for which, agency, status, due in (
            (0, 0, "not_started", 3),
            (0, 1, "in_progress", 12),
            (1, 0, "in_progress", 25),
        ):
            self.add_action(which, agency, status, due)

    def _due(self, days: int | None) -> datetime.date | None:
        return None if days is None else self.today + datetime.timedelta(days=days)

    def _actions(self) -> list[Action]:
        return list(Action.objects.filter(recommendation_id__in=self.ids).order_by("pk"))

    def _evidence(self) -> list[Evidence]:
        return list(Evidence.objects.filter(action__recommendation_id__in=self.ids).order_by("pk"))

    @rule(which=st.integers(0, 1), agency=st.integers(0, 1), status=STATUSES, due=DUE)
    def add_action(self, which: int, agency: int, status: str, due: int | None) -> None:
        services.action_create(
            recommendation=self.recommendations[which],
            description="Train the team",
            owner_agency=self.agencies[agency],
            by=self.manager,
            due_date=self._due(due),
            status=status,
        )

    @rule(pick=st.integers(0, 50), status=STATUSES, due=DUE, agency=st.integers(0, 1))
    def change_action(self, pick: int, status: str, due: int | None, agency: int) -> None:
        actions = self._actions()
        if actions:
            services.action_update(
                action=actions[pick % len(actions)],
                by=self.manager,
                description="Train the whole team",
                lead=None,
                due_date=self._due(due),
                status=status,
                owner_agency=self.agencies[agency],
            )

    @rule(pick=st.integers(0, 50))
    def remove_action(self, pick: int) -> None:
        actions = [a for a in self._actions() if not a.evidence.exists()]
        if actions:
            action = actions[pick % len(actions)]
            with transaction.atomic():
                action.delete()
                services.recommendations_recheck(recommendations=[action.recommendation])

    @rule(pick=st.integers(0, 50))
    def add_evidence(self, pick: int) -> None:
        actions = self._actions()
        if actions:
            services.evidence_add(
                action=actions[pick % len(actions)],
                kind=Evidence.Kind.NOTE,
                title="Training register",
                note="Everyone attended.",
                effective_date=self.today,
                by=self.supplier,
            )

    @rule(pick=st.integers(0, 50), accept=st.booleans())
    def review_evidence(self, pick: int, accept: bool) -> None:
        evidence = self._evidence()
        if not evidence:
            return
        item = evidence[pick % len(evidence)]
        try:
            if accept:
                services.evidence_accept(evidence=item, by=self.manager)
            else:
                services.evidence_return(evidence=item, reason="Please add the dates.", by=self.manager)
        except ValidationError:
            pass  # already in that state

    @rule(pick=st.integers(0, 50), rag=st.sampled_from(["", "red", "amber", "green", "complete"]))
    def override(self, pick: int, rag: str) -> None:
        actions = self._actions()
        if not actions:
            return
        action = actions[pick % len(actions)]
        if rag:
            services.action_rag_override_set(
                action=action, rag=rag, reason="Agreed at the meeting.", by=self.manager
            )
        elif action.rag_override:
            services.action_rag_override_clear(action=action, reason="No longer needed.", by=self.manager)

    @rule(which=st.integers(0, 1), adults=st.booleans(), in_full=st.booleans())
    def sign_off(self, which: int, adults: bool, in_full: bool) -> None:
        recommendation = self.recommendations[which]
        board = self.adults if adults else self.children
        decision = SignOff.Decision.PROGRESSED_IN_FULL if in_full else SignOff.Decision.NOT_YET
        # Refused when not ready to be progressed in full, or not addressed to that board.
        with contextlib.suppress(ValidationError, PermissionDenied):
            services.sign_off_record(
                recommendation=recommendation,
                board=board,
                meeting_date=self.today,
                minute_reference="TB/1",
                decision=decision,
                by=self.manager,
            )

    @rule(which=st.integers(0, 1), add=st.booleans())
    def change_boards(self, which: int, add: bool) -> None:
        recommendation = self.recommendations[which]
        if add:
            recommendation.boards.add(self.children)
        else:
            recommendation.boards.remove(self.children)

    @rule(days=st.sampled_from([1, 1, 2, 3, 7, 12, 20, 31]))
    def days_pass(self, days: int) -> None:
        self.traveller.shift(datetime.timedelta(days=days))
        services.tallies_refresh_due()  # what the scheduler runs every few minutes

    @invariant()
    def tallies_equal_a_count_from_scratch(self) -> None:
        if hasattr(self, "ids"):
            assert_tallies_true(self.ids, self.today)

    @invariant()
    def weekly_lines_equal_the_audit_trail_worked_back(self) -> None:
        """Each board's 26-week line from the stored weeks is the one worked out from scratch."""
        if not hasattr(self, "ids"):
            return
        from safeguarding.tracker.dashboards import report_data, selectors

        viewer = getattr(self, "viewer", None) or UserFactory(viewer=True)
        self.viewer = viewer
        for board in (self.children, self.adults):
            scope = selectors.dashboard_scope(user=viewer, board_id=board.pk)
            counts = selectors.scope_action_counts(scope=scope, today=self.today)
            stored = report_data.scope_weekly_progress(
                scope=scope,
                today=self.today,
                done_now=counts.done,
                actions_total=counts.total,
                recommendations_total=selectors.scope_recommendation_counts(scope=scope).total,
            )
            assert stored == report_data.weekly_progress(
                board=board, recommendations=scope.recommendations, actions=scope.actions, today=self.today
            )


@pytest.mark.django_db
def test_stored_tallies_always_equal_a_count_from_scratch():
    run_state_machine_as_test(
        TrackerChanges,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# --- When the counts change with the days -------------------------------------------------------------


def _classification(due: datetime.date, today: datetime.date, status: str) -> tuple[str, str]:
    action = Action(status=status, due_date=due)
    action.evidence.all = lambda: []  # type: ignore[method-assign]  # not done: evidence is not read
    return action_rag(action, today=today).rag.value, _timing(action, today)


@settings(max_examples=200, deadline=None)
@given(
    today=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)),
    offset=st.integers(-60, 90),
    status=st.sampled_from([Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]),
)
def test_next_change_is_the_first_day_an_action_not_done_counts_differently(today, offset, status):
    due = today + datetime.timedelta(days=offset)
    change = aggregates.next_change(due, today=today)
    now = _classification(due, today, status)
    last = change or today + datetime.timedelta(days=150)
    day = today + datetime.timedelta(days=1)
    while day < last:
        assert _classification(due, day, status) == now, day
        day += datetime.timedelta(days=1)
    if change is not None:
        assert change > today
        assert _classification(due, change, status) != now


# --- The rebuild, the scheduler and the dashboards ----------------------------------------------------


@pytest.mark.django_db
def test_the_rebuild_command_counts_what_bulk_writes_left_uncounted():
    with time_machine.travel(START, tick=False):
        recommendation = RecommendationFactory()
        agency = AgencyFactory()
        Action.objects.bulk_create(
            [
                Action(recommendation=recommendation, description="Bulk", owner_agency=agency, status=status)
                for status in ("not_started", "complete")
            ]
        )
        RecommendationTally.objects.all().delete()

        call_command("tracker_tallies_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

        assert_tallies_true([recommendation.pk], START.date())
        assert RecommendationTally.objects.get(recommendation=recommendation).actions == 2


@pytest.mark.django_db
def test_the_scheduler_counts_only_what_a_new_day_changed():
    with time_machine.travel(START, tick=False) as traveller:
        quiet, busy = RecommendationFactory(), RecommendationFactory()
        agency = AgencyFactory()
        ActionFactory(
            recommendation=quiet, owner_agency=agency, due_date=START.date() + datetime.timedelta(days=200)
        )
        ActionFactory(
            recommendation=busy, owner_agency=agency, due_date=START.date() + datetime.timedelta(days=1)
        )

        assert services.tallies_refresh_due() == 0
        traveller.shift(datetime.timedelta(days=2))

        assert services.tallies_refresh_due() == 1
        assert RecommendationTally.objects.get(recommendation=busy).overdue == 1
        assert_tallies_true([quiet.pk, busy.pk], START.date() + datetime.timedelta(days=2))


@pytest.mark.django_db
def test_a_dashboard_brings_expired_counts_up_to_date_before_reading_them():
    with time_machine.travel(START, tick=False) as traveller:
        recommendation = RecommendationFactory()
        ActionFactory(recommendation=recommendation, due_date=START.date(), status="in_progress")
        viewer = UserFactory(viewer=True)
        traveller.shift(datetime.timedelta(days=1))  # the scheduler has not run

        scope = dashboard_selectors.dashboard_scope(user=viewer)
        counts = dashboard_selectors.scope_action_counts(
            scope=scope, today=START.date() + datetime.timedelta(days=1)
        )

        assert counts.overdue == 1
        assert {c.value: c.count for c in counts.by_rag}["red"] == 1


@pytest.mark.django_db
def test_removing_a_recommendation_takes_its_tallies_with_it():
    recommendation = RecommendationFactory()
    assert RecommendationTally.objects.filter(recommendation=recommendation).exists()

    Recommendation.objects.filter(pk=recommendation.pk).delete()

    assert not RecommendationTally.objects.exists()


@pytest.mark.django_db
def test_evidence_saved_outside_the_services_is_counted_too():
    with time_machine.travel(START, tick=False):
        action = ActionFactory(status="complete", completed_on=START.date())
        assert RecommendationTally.objects.get(recommendation=action.recommendation).amber == 1

        EvidenceFactory(action=action, accepted=True)

        assert RecommendationTally.objects.get(recommendation=action.recommendation).rag_complete == 1


@pytest.mark.django_db
def test_the_scheduler_queues_the_refresh_and_the_task_runs_it():
    from safeguarding.core.management.commands.run_scheduler import PERIODIC_TASKS
    from safeguarding.tracker.tasks import tallies_refresh_due

    assert "safeguarding.tracker.tasks.tallies_refresh_due" in PERIODIC_TASKS
    with time_machine.travel(START, tick=False) as traveller:
        ActionFactory(due_date=START.date(), status="in_progress")
        traveller.shift(datetime.timedelta(days=1))

        assert tallies_refresh_due.call() == {"counted": 1}
        assert RecommendationTally.objects.get().overdue == 1
