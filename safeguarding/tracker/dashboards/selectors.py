"""Reads for the tracker dashboards, the board report and the exports.

Dashboards count from the stored aggregates (decision 0032): `scope_action_counts`,
`scope_recommendation_counts`, `review_summaries` and `progress_over_time` add up one row per
recommendation (or per recommendation and agency), kept true by the services in the same transaction
as each change. `action_counts` and `recommendation_counts` are the same figures worked out from the
actions themselves (RAG from `rag_annotation()` grouped in SQL): the board report uses them, and the
tests hold the two equal. Lists are capped, and related rows come through select_related, so each
page issues a fixed number of queries.

Who sees what comes from the tracker's permissions module: every staff role sees every
recommendation, except agency leads (with no wider role), who see the recommendations that have an
action of their agency; their dashboards and exports count only their own agency's actions.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, TruncMonth
from django.http import Http404

from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, Review

from .. import permissions, services
from ..aggregates import DUE_SOON_DAYS as DUE_SOON_DAYS  # the views show it
from ..aggregates import timing_annotation
from ..models import (
    DONE_STATUSES,
    Action,
    AgencyTally,
    Evidence,
    MonthTally,
    Rag,
    RecommendationTally,
    SignOff,
    TallyBoard,
    TallyCounts,
)
from ..rag import rag_annotation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

LIST_LIMIT = 20
CHART_MONTHS = 24


# --- Who sees what ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """What a user may see: everything, or the actions of some agencies (and their recommendations)."""

    everything: bool
    agency_ids: frozenset[int] = frozenset()


def user_reach(*, user: Any) -> Reach:
    roles = permissions.user_roles(user)
    return Reach(everything=roles.sees_everything, agency_ids=roles.lead_agencies)


def actions_visible(*, user: Any, reach: Reach) -> QuerySet[Action]:
    """The actions a dashboard or export counts: an agency lead reads other agencies' actions on a
    recommendation page, but their dashboards and exports are about their own agency's actions."""
    if reach.everything:
        return permissions.actions_visible_to(user)
    # Their agencies' own actions. Each is on a recommendation the lead sees (one with an action of
    # their agency), so adding the visibility subquery would only repeat the agency condition, and
    # made SQLite read every recommendation for it.
    return Action.objects.filter(owner_agency_id__in=reach.agency_ids)


# --- Scopes: the whole tracker, or one review, board or agency -----------------------------------------


def _addressed_to_board(board_id: int) -> Q:
    """Recommendations a board must sign off: named on the recommendation, or else its review's boards."""
    own_boards = Recommendation.boards.through.objects.filter(recommendation=OuterRef("pk"))
    return Q(Exists(own_boards.filter(board_id=board_id))) | (
        ~Q(Exists(own_boards)) & Q(review__boards=board_id)
    )


@dataclass
class Scope:
    """The recommendations and actions one dashboard, report or export covers, for one user."""

    reach: Reach
    recommendations: QuerySet[Recommendation]
    actions: QuerySet[Action]
    review: Review | None = None
    board: Board | None = None
    agency: Agency | None = None
    filters: dict[str, int] = field(default_factory=dict)
    # The stored counts of the same actions: one row per recommendation, or per recommendation and
    # agency when the scope is some agencies' actions (decision 0032).
    tallies: "QuerySet[Any]" = field(default_factory=RecommendationTally.objects.all)
    fresh_on: datetime.date | None = None  # the day the tallies were last checked to hold

    @property
    def title(self) -> str:
        if self.review:
            return self.review.short_title or self.review.title
        if self.board:
            return self.board.name
        if self.agency:
            return self.agency.name
        return "All reviews"


def dashboard_scope(
    *, user: Any, review_id: int | None = None, board_id: int | None = None, agency_id: int | None = None
) -> Scope:
    """The scope for a user, narrowed by any of review, board and agency. Unknown or unreachable: 404."""
    reach = user_reach(user=user)
    recommendations = permissions.recommendations_visible_to(user)
    actions = actions_visible(user=user, reach=reach)
    scope = Scope(reach=reach, recommendations=recommendations, actions=actions)
    by_agency = agency_id is not None or not reach.everything
    tallies: QuerySet[Any] = AgencyTally.objects.all() if by_agency else RecommendationTally.objects.all()
    if not reach.everything:
        tallies = tallies.filter(agency_id__in=reach.agency_ids)
    if agency_id is not None:
        tallies = tallies.filter(agency_id=agency_id)
    if review_id is not None:
        scope.review = Review.objects.filter(pk=review_id).first()
        if scope.review is None:
            raise Http404("No such review")
        scope.recommendations = scope.recommendations.filter(review_id=review_id)
        scope.actions = scope.actions.filter(recommendation__review_id=review_id)
        tallies = tallies.filter(recommendation__review_id=review_id)
        scope.filters["review"] = review_id
    if board_id is not None:
        scope.board = Board.objects.filter(pk=board_id).first()
        if scope.board is None:
            raise Http404("No such board")
        addressed = Recommendation.objects.filter(_addressed_to_board(board_id)).values("pk")
        # The board's recommendations as stored beside their tallies (kept in the same transaction as
        # any change of addressing, decision 0032): one index, where working out the addressing tests
        # every recommendation, which SQLite did before reading a single action (24 ms a list).
        stored = TallyBoard.objects.filter(board_id=board_id).values("recommendation_id")
        scope.recommendations = scope.recommendations.filter(pk__in=addressed)
        # Written so no index on the recommendation can serve it: the lists then read open actions in
        # due order, keeping the board's, and stop at twenty (SQLite read the board's every action
        # by its recommendation and sorted them all: 15 ms a list).
        scope.actions = scope.actions.alias(of_recommendation=F("recommendation_id") + 0).filter(
            of_recommendation__in=stored
        )
        tallies = tallies.filter(recommendation_id__in=stored)
        scope.filters["board"] = board_id
    if agency_id is not None:
        if not reach.everything and agency_id not in reach.agency_ids:
            raise Http404("No such agency")
        scope.agency = Agency.objects.filter(pk=agency_id).first()
        if scope.agency is None:
            raise Http404("No such agency")
        scope.recommendations = scope.recommendations.filter(
            Exists(Action.objects.filter(recommendation=OuterRef("pk"), owner_agency_id=agency_id))
        )
        scope.actions = scope.actions.filter(owner_agency_id=agency_id)
        scope.filters["agency"] = agency_id
    scope.tallies = tallies
    return scope


@dataclass(frozen=True)
class ScopeLinks:
    reviews: list[Review]
    boards: list[Board]
    agencies: list[Agency]


def scope_links(*, scope: Scope) -> ScopeLinks:
    """The reviews, boards and agencies this user can open a dashboard for."""
    # An agency lead sees the recommendations their actions are on: asked through the actions, the
    # database reads the agency's actions instead of testing every recommendation for one.
    if scope.reach.everything:
        shown = Review.objects.filter(pk__in=scope.recommendations.values("review_id"))
    else:
        shown = Review.objects.filter(pk__in=scope.actions.values("recommendation__review_id"))
    # Only what the links show: a review's other columns are long texts.
    reviews = list(shown.only("title", "short_title").order_by("title"))
    boards = list(Board.objects.only("name").order_by("kind", "name"))
    agencies = Agency.objects.only("name").order_by("name")
    if not scope.reach.everything:
        agencies = agencies.filter(pk__in=scope.reach.agency_ids)
    return ScopeLinks(reviews=reviews, boards=boards, agencies=list(agencies))


# --- Counts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class ActionCounts:
    total: int
    by_status: list[LabelledCount]
    by_rag: list[LabelledCount]
    overdue: int
    due_soon: int
    done: int


def _timing(*, today: datetime.date) -> Case:
    """'overdue' or 'due_soon' for actions not done, '' otherwise: grouped on, with status."""
    return timing_annotation(today=today)


def action_counts(*, actions: QuerySet[Action], today: datetime.date) -> ActionCounts:
    """Actions by status, by RAG, overdue and due in the next 30 days: two grouped queries.

    Status with timing, and RAG, are grouped apart: grouping on all three at once makes the database
    sort every row on three computed keys, which costs more than a second pass over the table.
    """
    actions = actions.order_by()
    status: dict[str, int] = dict.fromkeys(Action.Status.values, 0)
    rag: dict[str, int] = dict.fromkeys(Rag.values, 0)
    timing = {"overdue": 0, "due_soon": 0, "": 0}
    # At most 4 statuses x 3 timings, and 4 RAG, rows: whatever the number of actions.
    for group in (
        actions.annotate(timing=_timing(today=today)).values("status", "timing").annotate(n=Count("pk"))
    ):
        status[group["status"]] = status.get(group["status"], 0) + group["n"]
        timing[group["timing"]] += group["n"]
    for rag_group in actions.annotate(rag=rag_annotation(today=today)).values("rag").annotate(n=Count("pk")):
        rag[rag_group["rag"]] = rag.get(rag_group["rag"], 0) + rag_group["n"]
    return ActionCounts(
        total=sum(status.values()),
        by_status=[LabelledCount(v, label, status[v]) for v, label in Action.Status.choices],
        by_rag=[LabelledCount(v, label, rag[v]) for v, label in Rag.choices],
        overdue=timing["overdue"],
        due_soon=timing["due_soon"],
        done=sum(status[s] for s in Action.DONE),
    )


def _tallies_checked(scope: Scope, today: datetime.date) -> None:
    """`tallies_bring_up_to_date`, once per scope and day."""
    if scope.fresh_on != today:
        tallies_bring_up_to_date(today=today)
        scope.fresh_on = today


def tallies_bring_up_to_date(*, today: datetime.date) -> None:
    """Make sure the stored counts hold today before a dashboard reads them.

    The scheduler counts again, every few minutes, the recommendations whose day-dependent counts
    have expired; this covers the minutes after midnight before it has run (and a stopped scheduler).
    Usually one indexed query that finds nothing.
    """
    if RecommendationTally.objects.filter(fresh_until__lt=today).exists():
        services.tallies_refresh_due(today=today)


def scope_action_counts(*, scope: Scope, today: datetime.date) -> ActionCounts:
    """`action_counts` for a dashboard, added up from the stored aggregates: one query."""
    _tallies_checked(scope, today)
    sums = {
        name: value or 0
        for name, value in scope.tallies.order_by()
        .aggregate(**{name: Sum(name) for name in TallyCounts.COUNTS})
        .items()
    }
    status = {value: sums[value] for value in Action.Status.values}
    rag = {value: sums["rag_complete" if value == Rag.COMPLETE else value] for value in Rag.values}
    return ActionCounts(
        total=sums["actions"],
        by_status=[LabelledCount(v, label, status[v]) for v, label in Action.Status.choices],
        by_rag=[LabelledCount(v, label, rag[v]) for v, label in Rag.choices],
        overdue=sums["overdue"],
        due_soon=sums["due_soon"],
        done=sum(status[s] for s in Action.DONE),
    )


def _current_decision() -> Subquery:
    """For a board (the outer row) and a recommendation (the outer row's outer row): the decision of
    the board's latest sign-off that has not been reopened (a material change reopens it), with "+pack"
    after it when that sign-off was loaded from the review pack."""
    current = (
        SignOff.objects.filter(
            recommendation=OuterRef(OuterRef("pk")), board=OuterRef("pk"), reopened_at__isnull=True
        )
        .order_by("-recorded_at", "-id")
        .annotate(
            marked=Concat(
                "decision",
                Case(When(from_review_pack=True, then=Value("+pack")), default=Value("")),
                output_field=CharField(),
            )
        )
        .values("marked")[:1]
    )
    return Subquery(current, output_field=CharField())


def progressed_in_full_condition() -> Q:
    """The rule of services.recommendation_progress, as one SQL condition on recommendations.

    Progressed in full: at least one action; every action done and with evidence, all of it accepted;
    and every addressed board (the recommendation's own boards, or else its review's) has a current
    sign-off deciding so. Services reopen a sign-off as soon as what it approved changes, so "current"
    (not reopened) stands for the snapshot-hash check done there. When every one of those sign-offs was
    loaded from the review pack (the boards decided before the toolkit held the review), the work
    conditions do not apply.
    """
    actions = Action.objects.filter(recommendation=OuterRef("pk"))
    evidence_of_action = Evidence.objects.filter(action=OuterRef("pk"))
    unaccepted = Evidence.objects.filter(action__recommendation=OuterRef("pk")).exclude(
        state=Evidence.State.ACCEPTED
    )
    signed = [SignOff.Decision.PROGRESSED_IN_FULL.value, SignOff.Decision.PROGRESSED_IN_FULL.value + "+pack"]
    from_pack = [SignOff.Decision.PROGRESSED_IN_FULL.value + "+pack"]

    def boards_missing(boards: Any, wanted: list[str]) -> Any:
        return boards.annotate(decision=Coalesce(_current_decision(), Value(""))).exclude(decision__in=wanted)

    own_boards = Board.objects.filter(addressed_recommendations=OuterRef("pk"))
    review_boards = Board.objects.filter(reviews=OuterRef("review_id"))

    def all_boards(wanted: list[str], *, some: bool = False) -> Q:
        """Every addressed board's current sign-off is one of `wanted` (and, with `some`, there is a
        board: a recommendation no board is addressed has no sign-off to come from a pack)."""
        review_side = ~Q(Exists(own_boards)) & ~Q(Exists(boards_missing(review_boards, wanted)))
        if some:
            review_side &= Q(Exists(review_boards))
        return (Q(Exists(own_boards)) & ~Q(Exists(boards_missing(own_boards, wanted)))) | review_side

    work_done = (
        Q(Exists(actions))
        & ~Q(Exists(actions.exclude(status__in=list(Action.DONE))))
        & ~Q(Exists(actions.filter(~Exists(evidence_of_action))))
        & ~Q(Exists(unaccepted))
    )
    return (work_done & all_boards(signed)) | all_boards(from_pack, some=True)


@dataclass(frozen=True)
class RecommendationCounts:
    total: int
    progressed: int

    @property
    def not_progressed(self) -> int:
        return self.total - self.progressed


def scope_recommendation_counts(*, scope: Scope) -> RecommendationCounts:
    """`recommendation_counts` for a dashboard, from the stored aggregates: the scope's recommendations
    are those with a tally row in it (per agency: those with an action of the agency)."""
    tallies = scope.tallies.order_by()
    if tallies.model is RecommendationTally:
        totals = tallies.aggregate(total=Count("pk"), progressed=Count("pk", filter=Q(progressed=True)))
    else:
        totals = tallies.aggregate(
            total=Count("recommendation_id", distinct=True),
            progressed=Count(
                "recommendation_id", distinct=True, filter=Q(recommendation__tally__progressed=True)
            ),
        )
    return RecommendationCounts(total=totals["total"], progressed=totals["progressed"])


def recommendation_counts(*, recommendations: QuerySet[Recommendation]) -> RecommendationCounts:
    totals = recommendations.order_by().aggregate(
        total=Count("pk"), progressed=Count("pk", filter=progressed_in_full_condition())
    )
    return RecommendationCounts(total=totals["total"], progressed=totals["progressed"])


# --- Lists ----------------------------------------------------------------------------------------


# What a dashboard's list of actions shows (includes/action_table.html), and no more: the rows join
# four tables, and reading every column of the review and recommendation cost more than the query.
_LISTED_FIELDS = (
    "description",
    "due_date",
    "recommendation__reference",
    "recommendation__review__title",
    "recommendation__review__short_title",
    "owner_agency__name",
)


def _sql_literal(code: str) -> str:
    if not re.fullmatch(r"[a-z_]+", code):
        raise ValueError(f"Not a status code: {code!r}")
    return f"'{code}'"


class _Open(Func):
    """An action is open (not done): `NOT (status IN ('complete', 'impact_evidenced'))`, the values
    written into the SQL. That is the condition of the partial indexes on open actions by due date
    (models.Action.Meta), and SQLite uses a partial index only for a query that repeats its condition:
    a bound parameter never does, so the lists read and sorted every action (10 ms a list at 50,000).
    The values are the code's own constants, never input."""

    template = (
        "NOT (%(expressions)s IN (" + ", ".join(_sql_literal(status) for status in DONE_STATUSES) + "))"
    )
    output_field = BooleanField()


def _first_by_due_date(
    actions: QuerySet[Action], *, today: datetime.date, limit: int, report: bool
) -> list[Action]:
    """The first actions by due date, with what a list shows (`report`: what the board report's
    list shows too, its lead and status). The ids are chosen in a subquery on actions alone, so the
    joins and RAG apply to those few rows, not to every candidate."""
    first = actions.order_by("due_date", "pk").values("pk")[:limit]
    rows = Action.objects.filter(pk__in=Subquery(first))
    if report:
        rows = rows.select_related("recommendation__review", "owner_agency", "lead")
    else:
        rows = rows.select_related("recommendation__review", "owner_agency").only(*_LISTED_FIELDS)
    return list(rows.annotate(rag=rag_annotation(today=today)).order_by("due_date", "pk"))


def actions_overdue(
    *, actions: QuerySet[Action], today: datetime.date, limit: int = LIST_LIMIT, report: bool = False
) -> list[Action]:
    overdue = actions.filter(_Open("status"), due_date__lt=today)
    return _first_by_due_date(overdue, today=today, limit=limit, report=report)


def actions_due_soon(
    *, actions: QuerySet[Action], today: datetime.date, limit: int = LIST_LIMIT
) -> list[Action]:
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    due = actions.filter(_Open("status"), due_date__gte=today, due_date__lte=soon)
    return _first_by_due_date(due, today=today, limit=limit, report=False)


@dataclass(frozen=True)
class ReviewSummary:
    review: Review
    actions: int
    done: int
    overdue: int


def review_summaries(*, scope: Scope, reviews: list[Review], today: datetime.date) -> list[ReviewSummary]:
    """Actions, done and overdue for each review in the list: one grouped query on the stored counts."""
    _tallies_checked(scope, today)
    rows = {
        row["recommendation__review_id"]: row
        for row in scope.tallies.order_by()
        .values("recommendation__review_id")
        .annotate(
            total=Sum("actions"), done=Sum("complete") + Sum("impact_evidenced"), overdue=Sum("overdue")
        )
    }
    empty = {"total": 0, "done": 0, "overdue": 0}
    return [
        ReviewSummary(
            review=r,
            actions=rows.get(r.pk, empty)["total"],
            done=rows.get(r.pk, empty)["done"],
            overdue=rows.get(r.pk, empty)["overdue"],
        )
        for r in reviews
    ]


# --- Progress over time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthProgress:
    month: datetime.date  # the first day of the month
    done_in_month: int
    done_by_end: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_by_end / self.total) if self.total else 0


@dataclass(frozen=True)
class Progress:
    months: list[MonthProgress]
    total: int
    done_without_date: int


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def progress_over_time(
    *, actions: QuerySet[Action], today: datetime.date, total: int, months: int = CHART_MONTHS
) -> Progress:
    """Actions done by the end of each month (by the date first done), against all actions now.

    Months run from the first completion to this month, at most `months` of them: earlier
    completions count in the first month shown's running total.
    """
    per_month: dict[datetime.date | None, int] = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row["n"]
        for row in actions.order_by()
        .filter(status__in=DONE_STATUSES)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    return _progress(per_month, today=today, total=total, months=months)


def scope_progress_over_time(
    *, scope: Scope, today: datetime.date, total: int, months: int = CHART_MONTHS
) -> Progress:
    """`progress_over_time` for a dashboard: from the stored month tallies for the whole tracker, a
    board or some agencies; from its recommendations' stored months for a review; from the actions
    for agencies on a board."""
    if set(scope.filters) == {"review"}:
        return _review_progress(scope=scope, today=today, total=total, months=months)
    if "review" in scope.filters:
        return progress_over_time(actions=scope.actions, today=today, total=total, months=months)
    if scope.tallies.model is RecommendationTally:
        keys = [f"board:{scope.filters['board']}"] if "board" in scope.filters else ["all"]
    elif "board" in scope.filters:
        return progress_over_time(actions=scope.actions, today=today, total=total, months=months)
    else:
        agencies = [scope.filters["agency"]] if "agency" in scope.filters else sorted(scope.reach.agency_ids)
        keys = [f"agency:{agency_id}" for agency_id in agencies]
    per_month: dict[datetime.date | None, int] = {}
    for month, n in MonthTally.objects.filter(scope__in=keys).values_list("month", "n"):
        key = None if month == MonthTally.NO_DATE else month
        per_month[key] = per_month.get(key, 0) + n
    return _progress(per_month, today=today, total=total, months=months)


def _review_progress(*, scope: Scope, today: datetime.date, total: int, months: int) -> Progress:
    """A review's done actions by month, summed from its recommendations' tallies (each keeps its done
    actions by agency and month): a few dozen rows, where grouping the actions by month cost SQLite
    50 ms. An agency lead's dashboard counts only their agencies' actions, as its other figures do."""
    agencies = None if scope.reach.everything else {str(agency_id) for agency_id in scope.reach.agency_ids}
    no_date = MonthTally.NO_DATE.isoformat()
    per_month: dict[datetime.date | None, int] = {}
    stored = RecommendationTally.objects.filter(recommendation__in=scope.recommendations.values("pk"))
    for by_agency in stored.values_list("months", flat=True):
        for agency_id, by_month in by_agency.items():
            if agencies is not None and agency_id not in agencies:
                continue
            for month, n in by_month.items():
                key = None if month == no_date else datetime.date.fromisoformat(month)
                per_month[key] = per_month.get(key, 0) + n
    return _progress(per_month, today=today, total=total, months=months)


def _progress(
    per_month: dict[datetime.date | None, int], *, today: datetime.date, total: int, months: int
) -> Progress:
    without_date = per_month.pop(None, 0)
    dated = {month: n for month, n in per_month.items() if month is not None}
    if not dated:
        return Progress(months=[], total=total, done_without_date=without_date)
    this_month = _month_start(today)
    first = min(min(dated), this_month)
    # The window's first month: `months` months back from this month, or the first completion.
    start = this_month
    for _ in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    start = max(first, start)
    last = max(max(dated), this_month)
    running = sum(n for m, n in dated.items() if m < start)
    points = []
    month = start
    while month <= last:
        running += dated.get(month, 0)
        points.append(MonthProgress(month, dated.get(month, 0), running, total))
        month = _next_month(month)
    return Progress(months=points, total=total, done_without_date=without_date)


# --- Board report ---------------------------------------------------------------------------------


@dataclass
class ReportRecommendation:
    recommendation: Recommendation
    progressed: bool
    rag: dict[str, int]
    actions: int
    done: int
    sign_off: SignOff | None = None


def board_report(*, scope: Scope, today: datetime.date) -> list[ReportRecommendation]:
    """The board's recommendations with progress, RAG counts and this board's latest sign-off."""
    if scope.board is None:
        raise ValueError("A board report needs a scope with a board.")
    recommendations = list(
        scope.recommendations.select_related("review")
        .annotate(
            progressed=Case(When(progressed_in_full_condition(), then=Value(True)), default=Value(False))
        )
        .order_by("review__title", "review_id", "order", "pk")
    )
    rag_rows = (
        scope.actions.order_by()
        .annotate(rag=rag_annotation(today=today))
        .values("recommendation_id", "rag", "status")
        .annotate(n=Count("pk"))
    )
    by_recommendation: dict[int, ReportRecommendation] = {
        r.pk: ReportRecommendation(r, bool(r.progressed), dict.fromkeys(Rag.values, 0), 0, 0)
        for r in recommendations
    }
    for row in rag_rows:
        entry = by_recommendation.get(row["recommendation_id"])
        if entry is None:
            continue
        entry.rag[row["rag"]] = entry.rag.get(row["rag"], 0) + row["n"]
        entry.actions += row["n"]
        entry.done += row["n"] if row["status"] in Action.DONE else 0
    sign_offs = SignOff.objects.filter(
        board=scope.board, recommendation__in=[r.pk for r in recommendations]
    ).select_related("recorded_by")
    for sign_off in sign_offs.order_by("recommendation_id", "recorded_at", "id"):
        by_recommendation[sign_off.recommendation_id].sign_off = sign_off  # the latest wins
    return list(by_recommendation.values())


# --- Exports --------------------------------------------------------------------------------------


def _evidence_count(state: str) -> Coalesce:
    counted = (
        Evidence.objects.filter(action=OuterRef("pk"), state=state)
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ExportAnnotations(TypedDict):
    """What `export_actions` adds to each action, beyond its own fields."""

    rag: str
    evidence_submitted: int
    evidence_accepted: int
    evidence_returned: int


def export_actions(
    *, scope: Scope, today: datetime.date
) -> "QuerySet[WithAnnotations[Action, ExportAnnotations]]":
    """The actions of a scope with everything an export row needs, in one query: iterate it in chunks.

    Evidence counts are correlated subqueries rather than a join, so no GROUP BY spans the rows.
    """
    return (
        scope.actions.select_related("recommendation__review", "owner_agency", "lead")
        .annotate(
            rag=rag_annotation(today=today),
            evidence_submitted=_evidence_count(Evidence.State.SUBMITTED),
            evidence_accepted=_evidence_count(Evidence.State.ACCEPTED),
            evidence_returned=_evidence_count(Evidence.State.RETURNED),
        )
        .order_by(
            "recommendation__review__title",
            "recommendation__review_id",
            "recommendation__order",
            "recommendation_id",
            "pk",
        )
    )


def export_row_iter(
    *, actions: "QuerySet[WithAnnotations[Action, ExportAnnotations]]", chunk_size: int = 2000
) -> "Iterator[WithAnnotations[Action, ExportAnnotations]]":
    """The export's actions in chunks, so a large export never holds every row in memory."""
    return actions.iterator(chunk_size=chunk_size)
