"""Dashboard counts for the known set of actions in conftest.py, overall and by review, board and agency."""

import datetime

import pytest
from django.http import Http404

from safeguarding.reviews.models import Recommendation
from safeguarding.tracker import services
from safeguarding.tracker.dashboards import selectors
from safeguarding.tracker.models import Action, SignOff
from tests.accounts.factories import UserFactory
from tests.reviews.factories import RecommendationFactory
from tests.tracker.factories import SignOffFactory

from .conftest import TODAY, add_action

pytestmark = pytest.mark.django_db


def _counts(scope):
    counts = selectors.action_counts(actions=scope.actions, today=TODAY)
    return (
        {c.value: c.count for c in counts.by_status},
        {c.value: c.count for c in counts.by_rag},
        counts.overdue,
        counts.due_soon,
        counts.total,
    )


def test_overall_counts_by_status_rag_and_dates(tracker):
    scope = selectors.dashboard_scope(user=UserFactory(viewer=True))

    status, rag, overdue, due_soon, total = _counts(scope)

    assert status == {"not_started": 2, "in_progress": 2, "complete": 2, "impact_evidenced": 1}
    assert rag == {"red": 1, "amber": 3, "green": 1, "complete": 2}
    assert (overdue, due_soon, total) == (1, 2, 7)


@pytest.mark.parametrize(
    ("narrow", "expected_actions", "expected_total", "expected_progressed"),
    [
        ({"review": "review1"}, {"a1", "a2", "a3", "a4"}, 2, 1),
        ({"review": "review2"}, {"a5", "a6", "a7"}, 1, 0),
        # r1 is addressed to the review's boards; r2 names only the adults' board; review 2 is children's.
        ({"board": "adults"}, {"a1", "a2", "a3", "a4"}, 2, 1),
        ({"board": "children"}, {"a1", "a2", "a3", "a5", "a6", "a7"}, 2, 0),
        ({"agency": "agency_a"}, {"a1", "a3", "a4", "a7"}, 3, 1),
        ({"agency": "agency_b"}, {"a2", "a5", "a6"}, 2, 0),
    ],
)
def test_scopes_narrow_actions_and_recommendations(
    tracker, narrow, expected_actions, expected_total, expected_progressed
):
    ((key, attribute),) = narrow.items()
    scope = selectors.dashboard_scope(
        user=UserFactory(viewer=True), **{f"{key}_id": getattr(tracker, attribute).pk}
    )

    names = {name for name, action in tracker.actions.items() if scope.actions.filter(pk=action.pk).exists()}
    recommendations = selectors.recommendation_counts(recommendations=scope.recommendations)

    assert names == expected_actions
    assert (recommendations.total, recommendations.progressed) == (expected_total, expected_progressed)
    assert _counts(scope)[4] == len(expected_actions)


def test_an_agency_lead_counts_only_their_agencys_actions(tracker):
    lead = UserFactory(agency_lead=tracker.agency_b)

    scope = selectors.dashboard_scope(user=lead)

    assert set(scope.actions.values_list("owner_agency", flat=True)) == {tracker.agency_b.pk}
    assert set(scope.recommendations.values_list("pk", flat=True)) == {tracker.r1.pk, tracker.r3.pk}
    with pytest.raises(Http404):
        selectors.dashboard_scope(user=lead, agency_id=tracker.agency_a.pk)


def test_unknown_review_board_or_agency_is_not_found(tracker):
    viewer = UserFactory(viewer=True)
    for key in ("review_id", "board_id", "agency_id"):
        with pytest.raises(Http404):
            selectors.dashboard_scope(user=viewer, **{key: 999_999})


def test_overdue_and_due_soon_lists_in_due_order(tracker):
    actions = selectors.dashboard_scope(user=UserFactory(viewer=True)).actions

    overdue = selectors.actions_overdue(actions=actions, today=TODAY)
    due_soon = selectors.actions_due_soon(actions=actions, today=TODAY)

    assert [a.pk for a in overdue] == [tracker.actions["a2"].pk]
    assert [a.pk for a in due_soon] == [tracker.actions["a5"].pk, tracker.actions["a3"].pk]
    assert [a.rag for a in due_soon] == ["amber", "green"]


@pytest.mark.parametrize("role", ["viewer", "agency_lead"])
def test_the_lists_read_the_partial_indexes_of_open_actions(tracker, role):
    """SQLite uses a partial index only where the query repeats its condition word for word, values
    included: the lists write the open condition with its values in, not as parameters."""
    from django.db import connection

    user = UserFactory(agency_lead=tracker.agency_a) if role == "agency_lead" else UserFactory(viewer=True)
    actions = selectors.dashboard_scope(user=user).actions
    first = actions.filter(selectors._Open("status"), due_date__lt=TODAY).order_by("due_date", "pk")
    sql, params = first.values("pk")[:20].query.sql_with_params()
    assert "'complete'" in sql
    assert "'impact_evidenced'" in sql
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        index = "action_open_agency_due" if role == "agency_lead" else "action_open_due"
        assert f"USING INDEX {index}" in plan
        assert "TEMP B-TREE" not in plan  # read in order from the index, not sorted
    assert set(first) == set(
        actions.exclude(status__in=["complete", "impact_evidenced"]).filter(due_date__lt=TODAY)
    )


def test_progress_over_time_is_a_running_total_by_month(tracker):
    actions = selectors.dashboard_scope(user=UserFactory(viewer=True)).actions

    progress = selectors.progress_over_time(actions=actions, today=TODAY, total=7)

    assert [(p.month, p.done_in_month, p.done_by_end) for p in progress.months] == [
        (datetime.date(2026, 3, 1), 1, 1),
        (datetime.date(2026, 4, 1), 0, 1),
        (datetime.date(2026, 5, 1), 1, 2),
        (datetime.date(2026, 6, 1), 1, 3),
    ]
    assert progress.months[-1].percent == 43
    assert progress.done_without_date == 0


def test_progress_over_time_keeps_earlier_completions_in_the_first_month_shown(tracker):
    add_action(tracker.r1, tracker.agency_a, status="complete", done=datetime.date(2023, 1, 5))
    add_action(tracker.r1, tracker.agency_a, status="complete", done=None)
    actions = selectors.dashboard_scope(user=UserFactory(viewer=True)).actions

    progress = selectors.progress_over_time(actions=actions, today=TODAY, total=9, months=6)

    assert progress.months[0].month == datetime.date(2026, 1, 1)
    assert progress.months[0].done_by_end == 1  # the January 2023 completion
    assert progress.months[-1].done_by_end == 4
    assert progress.done_without_date == 1


def _python_rule(recommendation: Recommendation) -> bool:
    return services.recommendation_progress(
        services.recommendation_with_tracker(recommendation.pk)
    ).is_progressed_in_full


def _sql_rule(recommendation: Recommendation) -> bool:
    return Recommendation.objects.filter(
        selectors.progressed_in_full_condition(), pk=recommendation.pk
    ).exists()


def test_progressed_in_full_in_sql_agrees_with_the_services(tracker):
    r1, r2, r3 = tracker.r1, tracker.r2, tracker.r3
    # The hash check in services: make the sign-off approve exactly what is there now.
    sign_off = SignOff.objects.get(recommendation=r2)
    sign_off.snapshot_hash = services.recommendation_progress(
        services.recommendation_with_tracker(r2.pk)
    ).current_hash
    sign_off.save()

    assert (
        [_sql_rule(r) for r in (r1, r2, r3)]
        == [_python_rule(r) for r in (r1, r2, r3)]
        == [
            False,
            True,
            False,
        ]
    )

    # Evidence missing on a done action: no longer progressed in full, by either rule.
    add_action(r2, tracker.agency_a, status="complete", done=TODAY)
    assert _sql_rule(r2) is False
    Action.objects.filter(recommendation=r2, evidence__isnull=True).delete()

    # A reopened sign-off no longer counts.
    SignOff.objects.filter(pk=sign_off.pk).update(
        reopened_at=datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC)
    )
    assert _sql_rule(r2) is _python_rule(r2) is False


def test_a_recommendation_addressed_to_both_boards_needs_both_sign_offs(tracker):
    r1 = RecommendationFactory(review=tracker.review1, reference="9")  # the review's two boards
    add_action(r1, tracker.agency_a, status="complete", done=TODAY, evidence=["accepted"])
    SignOffFactory(
        recommendation=r1, board=tracker.children, meeting_date=TODAY, recorded_by=tracker.supplier
    )
    assert _sql_rule(r1) is False

    SignOffFactory(recommendation=r1, board=tracker.adults, meeting_date=TODAY, recorded_by=tracker.supplier)
    assert _sql_rule(r1) is True


SCOPES = [
    {},
    {"review": "review1"},
    {"review": "review2"},
    {"board": "adults"},
    {"board": "children"},
    {"agency": "agency_a"},
    {"agency": "agency_b"},
    {"agency": "agency_a", "board": "children"},
]


@pytest.mark.parametrize("as_lead", [False, True])
def test_a_review_dashboards_progress_counts_only_the_agencies_it_shows(tracker, as_lead):
    """A review's months come from its recommendations' stored months, summed over the agencies the
    user's dashboard counts: an agency lead's line leaves out another agency's done actions."""
    add_action(tracker.r1, tracker.agency_b, status="complete", done=datetime.date(2026, 5, 5))
    user = UserFactory(agency_lead=tracker.agency_a) if as_lead else UserFactory(viewer=True)
    scope = selectors.dashboard_scope(user=user, review_id=tracker.review1.pk)
    total = selectors.scope_action_counts(scope=scope, today=TODAY).total

    progress = selectors.scope_progress_over_time(scope=scope, today=TODAY, total=total)

    assert progress == selectors.progress_over_time(actions=scope.actions, today=TODAY, total=total)
    may = next(point for point in progress.months if point.month == datetime.date(2026, 5, 1))
    assert may.done_in_month == (1 if as_lead else 2)


@pytest.mark.parametrize("narrow", SCOPES)
@pytest.mark.parametrize("as_lead", [False, True])
def test_dashboards_read_from_the_stored_aggregates_what_a_count_from_scratch_gives(tracker, narrow, as_lead):
    user = UserFactory(agency_lead=tracker.agency_a) if as_lead else UserFactory(viewer=True)
    if as_lead and narrow.get("agency") == "agency_b":
        pytest.skip("another agency's dashboard is not found for a lead")
    scope = selectors.dashboard_scope(
        user=user, **{f"{key}_id": getattr(tracker, attribute).pk for key, attribute in narrow.items()}
    )

    stored = selectors.scope_action_counts(scope=scope, today=TODAY)
    counted = selectors.action_counts(actions=scope.actions, today=TODAY)
    progress = selectors.scope_progress_over_time(scope=scope, today=TODAY, total=stored.total)

    assert stored == counted
    assert selectors.scope_recommendation_counts(scope=scope) == selectors.recommendation_counts(
        recommendations=scope.recommendations
    )
    assert progress == selectors.progress_over_time(actions=scope.actions, today=TODAY, total=counted.total)
