"""Reads for each role's home: the work waiting for this person, as counts and short lists.

One section per kind of work the person has (a person with several roles sees each):
- a member of a receiving team: each team's queue with counts (urgent, unassigned, due today, overdue);
- a board member: the recommendations waiting for their board's sign-off;
- an agency lead: their agency's actions not yet done, soonest due first, overdue marked;
- a partnership manager, viewer or administrator: the partnership picture, RAG by board and the
  concerns waiting in each team (counts only: they do not open concerns unless they are in a team);
- an exploitation analyst or the exploitation team: open alerts and active networks.

Counts only, capped where a table could be large; no personal field of a concern is read.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery

from safeguarding.concerns import selectors as concern_selectors
from safeguarding.concerns.models import Team
from safeguarding.concerns.permissions import teams_of
from safeguarding.linking.models import Alert, Network
from safeguarding.linking.permissions import sees_networks
from safeguarding.linking.selectors import ALERT_FILTERS
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation
from safeguarding.tracker.dashboards import selectors as dashboards
from safeguarding.tracker.models import Action, Evidence, SignOff
from safeguarding.tracker.permissions import user_roles

LIST_LIMIT = 20


@dataclass(frozen=True)
class TeamQueue:
    team: Team
    counts: dict[str, int]

    @property
    def cap(self) -> int:
        """Counts stop here (the template says "100 or more")."""
        return concern_selectors.QUEUE_COUNT_CAP


@dataclass(frozen=True)
class BoardSignOffs:
    board: Board
    recommendations: Sequence[Recommendation]  # each with .ready: all its work done and accepted
    total: int


@dataclass(frozen=True)
class AgencyActions:
    agency: Agency
    actions: list[Action]  # each with .overdue
    total: int
    overdue: int


@dataclass(frozen=True)
class BoardPicture:
    board: Board
    by_rag: list[dashboards.LabelledCount]
    overdue: int
    total: int


@dataclass(frozen=True)
class PartnershipPicture:
    boards: list[BoardPicture]
    teams: list[TeamQueue]


@dataclass(frozen=True)
class AnalystPicture:
    open_alerts: int
    networks: int


@dataclass
class Home:
    teams: list[TeamQueue] = field(default_factory=list)
    sign_offs: list[BoardSignOffs] = field(default_factory=list)
    actions: list[AgencyActions] = field(default_factory=list)
    partnership: PartnershipPicture | None = None
    analyst: AnalystPicture | None = None

    @property
    def shows_demo(self) -> bool:
        """Whether any recommendation or action listed is from a demo (training) review."""
        reviews = [r.review for board in self.sign_offs for r in board.recommendations]
        reviews += [a.recommendation.review for agency in self.actions for a in agency.actions]
        return any(review.is_demo for review in reviews)

    @property
    def is_empty(self) -> bool:
        return not (self.teams or self.sign_offs or self.actions or self.partnership or self.analyst)


def team_queues(*, user: Any, now: datetime.datetime) -> list[TeamQueue]:
    """The queues of the teams `user` is a member of, with their counts (and the user's own)."""
    return [
        TeamQueue(team, concern_selectors.queue_counts(team=team, user=user, now=now))
        for team in teams_of(user)
    ]


def _addressed_to(board: Board) -> Q:
    """Recommendations the board signs off: named on the recommendation, or else its review's boards."""
    own = Recommendation.boards.through.objects.filter(recommendation=OuterRef("pk"))
    return Q(Exists(own.filter(board_id=board.pk))) | (~Q(Exists(own)) & Q(review__boards=board.pk))


def board_sign_offs_waiting(*, board: Board, limit: int = LIST_LIMIT) -> BoardSignOffs:
    """Recommendations addressed to `board` whose current decision by the board is not "progressed in
    full": ready ones (every action done, with evidence, all accepted) first."""
    decision = (
        SignOff.objects.filter(recommendation=OuterRef("pk"), board=board, reopened_at__isnull=True)
        .order_by("-recorded_at", "-id")
        .values("decision")[:1]
    )
    actions = Action.objects.filter(recommendation=OuterRef("pk"))
    unaccepted = Evidence.objects.filter(action__recommendation=OuterRef("pk")).exclude(
        state=Evidence.State.ACCEPTED
    )
    without_evidence = actions.filter(~Exists(Evidence.objects.filter(action=OuterRef("pk"))))
    ready = (
        Q(Exists(actions))
        & ~Q(Exists(actions.exclude(status__in=list(Action.DONE))))
        & ~Q(Exists(without_evidence))
        & ~Q(Exists(unaccepted))
    )
    waiting = (
        Recommendation.objects.filter(_addressed_to(board))
        .annotate(decision=Subquery(decision))
        .filter(Q(decision__isnull=True) | ~Q(decision=SignOff.Decision.PROGRESSED_IN_FULL))
        .distinct()
    )
    rows = list(
        waiting.annotate(ready=ready)
        .select_related("review")
        .order_by("-ready", "review__title", "order", "pk")[:limit]
    )
    return BoardSignOffs(board=board, recommendations=rows, total=waiting.order_by().count())


def agency_actions_due(*, agency: Agency, today: datetime.date, limit: int = LIST_LIMIT) -> AgencyActions:
    """The agency's actions not yet done, soonest due first (those with no date last)."""
    open_actions = Action.objects.filter(owner_agency=agency).exclude(status__in=list(Action.DONE))
    rows = list(
        open_actions.select_related("recommendation__review", "lead").order_by(
            F("due_date").asc(nulls_last=True), "pk"
        )[:limit]
    )
    for action in rows:
        action.overdue = action.due_date is not None and action.due_date < today  # type: ignore[attr-defined]
    return AgencyActions(
        agency=agency,
        actions=rows,
        total=open_actions.order_by().count(),
        overdue=open_actions.filter(due_date__lt=today).order_by().count(),
    )


def partnership_picture(*, user: Any, today: datetime.date, now: datetime.datetime) -> PartnershipPicture:
    """Actions by RAG for each board, and the concerns waiting in each team (counts only)."""
    boards = []
    for board in Board.objects.order_by("kind", "name"):
        scope = dashboards.dashboard_scope(user=user, board_id=board.pk)
        counts = dashboards.action_counts(actions=scope.actions, today=today)
        boards.append(BoardPicture(board, counts.by_rag, counts.overdue, counts.total))
    teams = [
        TeamQueue(team, concern_selectors.queue_counts(team=team, now=now))
        for team in Team.objects.order_by("name")
    ]
    return PartnershipPicture(boards=boards, teams=teams)


def analyst_picture() -> AnalystPicture:
    return AnalystPicture(
        open_alerts=Alert.objects.filter(status__in=ALERT_FILTERS["open"]).count(),
        networks=Network.objects.filter(active=True).count(),
    )


def home_for(*, user: Any, now: datetime.datetime, today: datetime.date) -> Home:
    """Every section of `user`'s home."""
    roles = user_roles(user)
    home = Home(teams=team_queues(user=user, now=now))
    home.sign_offs = [
        board_sign_offs_waiting(board=board) for board in Board.objects.filter(pk__in=roles.member_boards)
    ]
    home.actions = [
        agency_actions_due(agency=agency, today=today)
        for agency in Agency.objects.filter(pk__in=roles.lead_agencies).order_by("name")
    ]
    if roles.manager_boards or roles.viewer or roles.administrator:
        home.partnership = partnership_picture(user=user, today=today, now=now)
    if sees_networks(user):
        home.analyst = analyst_picture()
    return home
