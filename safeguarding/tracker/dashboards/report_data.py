"""What the board report's summary reads, beyond the dashboard selectors: the report's period (since the
board's last recorded meeting), what changed in it, and progress week by week from the audit trail.

A board has no meeting table: its meetings are the dates of the sign-offs it records, so the last
meeting is the latest of those on or before today. Changes come from the audit trail (action status
changes) and from the tracker's own timestamps (sign-offs recorded or reopened, evidence supplied).
Nothing here writes, and nothing reads a concern.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.reviews.models import Recommendation

from .. import week_changes
from ..models import Action, Evidence, SignOff, WeekTally

if TYPE_CHECKING:
    from .selectors import Scope

RECOMMENDATION = week_changes.RECOMMENDATION
ACTION = week_changes.ACTION
SIGN_OFF = week_changes.SIGN_OFF
QUARTER_DAYS = 91
PROGRESS_WEEKS = 26
CHANGES_LIMIT = 6
DONE_LABELS = week_changes.DONE_LABELS


@dataclass(frozen=True)
class ReportPeriod:
    """The days the report's "what changed" covers, both inclusive."""

    start: datetime.date
    end: datetime.date
    last_meeting: datetime.date | None

    @property
    def since(self) -> str:
        """How the report names the period, after "What changed"."""
        if self.last_meeting is not None:
            return f"since the board's meeting of {self.last_meeting:%-d %B %Y}"
        return f"in the last quarter, since {self.start:%-d %B %Y} (no meeting of this board is recorded)"


def board_last_meeting(*, board: Any, today: datetime.date) -> datetime.date | None:
    """The date of the board's latest recorded meeting (a sign-off it recorded) on or before today."""
    latest: datetime.date | None = SignOff.objects.filter(board=board, meeting_date__lte=today).aggregate(
        latest=Max("meeting_date")
    )["latest"]
    return latest


def report_period(*, board: Any, today: datetime.date) -> ReportPeriod:
    """From the day after the board's last meeting to today; the last quarter when none is recorded."""
    last_meeting = board_last_meeting(board=board, today=today)
    if last_meeting is None:
        return ReportPeriod(today - datetime.timedelta(days=QUARTER_DAYS), today, None)
    return ReportPeriod(min(last_meeting + datetime.timedelta(days=1), today), today, last_meeting)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class StatusChange:
    action: Action
    before: str
    after: str
    at: datetime.datetime


@dataclass(frozen=True)
class EvidenceCount:
    label: str
    count: int


@dataclass(frozen=True)
class ChangesSince:
    period: ReportPeriod
    signed_off: list[SignOff]  # recorded in the period
    reopened: list[SignOff]  # reopened in the period: the recommendation changed after its sign-off
    status_changes: list[StatusChange]  # the latest few
    status_changes_total: int
    actions_done: int  # status changes in the period that made an action done
    evidence_total: int
    evidence_by_state: list[EvidenceCount] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.signed_off or self.reopened or self.status_changes_total or self.evidence_total)


def _status_events(
    *, recommendation_ids: list[int], since: datetime.datetime, until: datetime.datetime
) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=RECOMMENDATION,
        subject_id__in=[str(pk) for pk in recommendation_ids],
        target_type=ACTION,
        at__gte=since,
        at__lt=until,
        changes__has_key="status",
    ).only("at", "kind", "target_id", "changes")


def _visible_action_ids(actions: QuerySet[Action], events: list[AuditEvent]) -> set[int]:
    """The ids of the events' actions that are in the report's scope (what its reader may see).

    One read of the scope's action ids: cheaper than a long IN list of the events' ids once a board
    has thousands of changes, and bounded by the board's actions either way.
    """
    if not events:
        return set()
    return set(actions.order_by().values_list("pk", flat=True))


def changes_since(
    *, board: Any, recommendations: QuerySet[Recommendation], actions: QuerySet[Action], period: ReportPeriod
) -> ChangesSince:
    """Sign-offs recorded and reopened, action status changes and evidence supplied in the period."""
    since, until = _day_start(period.start), _day_start(period.end + datetime.timedelta(days=1))
    recommendation_ids = list(recommendations.order_by().values_list("pk", flat=True))
    sign_offs = SignOff.objects.filter(board=board, recommendation_id__in=recommendation_ids).select_related(
        "recommendation__review"
    )
    signed_off = list(sign_offs.filter(recorded_at__gte=since, recorded_at__lt=until).order_by("recorded_at"))
    reopened = list(sign_offs.filter(reopened_at__gte=since, reopened_at__lt=until).order_by("reopened_at"))

    events = [
        event
        for event in _status_events(recommendation_ids=recommendation_ids, since=since, until=until)
        if _status_pair(event)[0] != _status_pair(event)[1]
    ]
    visible = _visible_action_ids(actions, events)
    events = [event for event in events if int(event.target_id) in visible]
    done = sum(1 for event in events if _done_delta(event) > 0)
    latest = sorted(events, key=lambda event: event.at, reverse=True)[:CHANGES_LIMIT]
    by_id = actions.select_related("owner_agency", "recommendation__review").in_bulk(
        [int(event.target_id) for event in latest]
    )
    status_changes = [
        StatusChange(by_id[int(event.target_id)], *_status_labels(event), event.at)
        for event in latest
        if int(event.target_id) in by_id
    ]

    evidence = Evidence.objects.filter(action__in=actions.order_by().values("pk"))
    evidence = evidence.filter(supplied_at__gte=since, supplied_at__lt=until)
    counts = dict(evidence.order_by().values_list("state").annotate(n=Count("pk")))
    by_state = [
        EvidenceCount(label, counts[value]) for value, label in Evidence.State.choices if value in counts
    ]
    return ChangesSince(
        period=period,
        signed_off=signed_off,
        reopened=reopened,
        status_changes=status_changes,
        status_changes_total=len(events),
        actions_done=done,
        evidence_total=sum(row.count for row in by_state),
        evidence_by_state=by_state,
    )


def _status_pair(event: AuditEvent) -> tuple[str | None, str | None]:
    pair = event.changes.get("status") or [None, None]
    if not isinstance(pair, list) or len(pair) != 2:
        return None, None
    return pair[0], pair[1]


def _status_labels(event: AuditEvent) -> tuple[str, str]:
    before, after = _status_pair(event)
    return before or "New", after or ""


def _done_delta(event: AuditEvent) -> int:
    """+1 when the change made the action done, -1 when it made a done action not done, else 0."""
    before, after = _status_pair(event)
    return int(after in DONE_LABELS) - int(before in DONE_LABELS)


# --- Progress week by week ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekProgress:
    week: datetime.date  # the Monday the week starts on
    actions_done: int  # by the end of the week
    signed_off: int  # recommendations this board had signed off as progressed in full, by the week's end
    actions_total: int
    recommendations_total: int

    @property
    def actions_percent(self) -> int:
        return round(100 * self.actions_done / self.actions_total) if self.actions_total else 0

    @property
    def signed_off_percent(self) -> int:
        return round(100 * self.signed_off / self.recommendations_total) if self.recommendations_total else 0


@dataclass(frozen=True)
class WeeklyProgress:
    weeks: list[WeekProgress]
    actions_total: int
    recommendations_total: int
    changes_recorded: int  # audit events the line is drawn from (0: a flat line from today's figures)


def weekly_points(
    *,
    today: datetime.date,
    weeks: int,
    done_now: int,
    signed_now: int,
    actions_total: int,
    recommendations_total: int,
    changes: dict[datetime.date, tuple[int, int, int]],
) -> WeeklyProgress:
    """The line, from today's figures and each week's changes ({Monday: (actions done, signed off,
    changes)}): each week's figure is today's less the changes of the weeks after it. Changes before
    the first week shown, or after this week, do not move it."""
    this_week = week_changes.monday(today)
    first_week = this_week - datetime.timedelta(weeks=weeks - 1)
    points: list[WeekProgress] = []
    done, signed = done_now, signed_now
    for index in range(weeks - 1, -1, -1):  # from this week back, undoing each week's changes
        week = first_week + datetime.timedelta(weeks=index)
        points.append(WeekProgress(week, max(done, 0), max(signed, 0), actions_total, recommendations_total))
        done_change, signed_change, _ = changes.get(week, (0, 0, 0))
        done -= done_change
        signed -= signed_change
    points.reverse()
    return WeeklyProgress(
        weeks=points,
        actions_total=actions_total,
        recommendations_total=recommendations_total,
        changes_recorded=sum(n for week, (_, _, n) in changes.items() if first_week <= week <= this_week),
    )


def weekly_progress(
    *,
    board: Any,
    recommendations: QuerySet[Recommendation],
    actions: QuerySet[Action],
    today: datetime.date,
    weeks: int = PROGRESS_WEEKS,
) -> WeeklyProgress:
    """Actions done and recommendations signed off by the end of each of the last `weeks` weeks,
    worked out from scratch.

    Today's figures come from the tracker's tables; the weeks before are worked back from them
    through the audit trail (each action made done or not done, each sign-off recorded or reopened),
    so the line ends on the figure the dashboards show, and records that came in without a change
    history (a review pack, demo data) count from the start. Too slow for a page at partnership
    scale: the dashboard and the report read `scope_weekly_progress`, which the tests hold equal.
    """
    recommendation_ids = list(recommendations.order_by().values_list("pk", flat=True))
    actions = actions.order_by()
    actions_total = actions.count()
    done_now = actions.filter(status__in=list(Action.DONE)).count()
    board_sign_offs = SignOff.objects.filter(board=board, recommendation_id__in=recommendation_ids)
    signed_now = (
        board_sign_offs.filter(decision=SignOff.Decision.PROGRESSED_IN_FULL, reopened_at__isnull=True)
        .values("recommendation_id")
        .distinct()
        .count()
    )
    first_week = week_changes.monday(today) - datetime.timedelta(weeks=weeks - 1)
    since = _day_start(first_week)
    until = _day_start(today + datetime.timedelta(days=1))

    changes: dict[datetime.date, tuple[int, int, int]] = defaultdict(lambda: (0, 0, 0))

    def add(at: datetime.datetime, done: int, signed: int) -> None:
        week = week_changes.week_of(at)
        before = changes[week]
        changes[week] = (before[0] + done, before[1] + signed, before[2] + 1)

    status_events = list(
        _status_events(recommendation_ids=recommendation_ids, since=since, until=until)
        .filter(week_changes.done_events_condition())
        .values_list("at", "target_id", "changes__status")
    )
    visible = set(actions.values_list("pk", flat=True)) if status_events else set()
    for at, target_id, pair in status_events:
        readable = isinstance(pair, list) and len(pair) == 2
        if readable and target_id.isdigit() and int(target_id) in visible:
            add(at, week_changes.done_change((pair[0], pair[1])), 0)
    sign_off_ids = {str(pk) for pk in board_sign_offs.values_list("pk", flat=True)}
    sign_off_events = AuditEvent.objects.filter(
        subject_type=RECOMMENDATION,
        subject_id__in=[str(pk) for pk in recommendation_ids],
        target_type=SIGN_OFF,
        at__gte=since,
        at__lt=until,
    ).values_list("at", "kind", "target_id", "changes")
    for at, kind, target_id, event_changes in sign_off_events:
        if target_id in sign_off_ids:
            add(at, 0, week_changes.sign_off_change(kind, event_changes))
    return weekly_points(
        today=today,
        weeks=weeks,
        done_now=done_now,
        signed_now=signed_now,
        actions_total=actions_total,
        recommendations_total=len(recommendation_ids),
        changes=changes,
    )


def scope_weekly_progress(
    *,
    scope: "Scope",
    today: datetime.date,
    done_now: int,
    actions_total: int,
    recommendations_total: int,
    weeks: int = PROGRESS_WEEKS,
) -> WeeklyProgress:
    """`weekly_progress` for a board's dashboard and report, from the stored weeks (WeekTally, decision
    0032) and today's figures the caller has already counted: one query.

    Someone who sees only some agencies' actions gets the line worked out from scratch: the stored
    weeks count every action on the board, and their scope is a small part of it.
    """
    if scope.board is None:
        raise ValueError("A weekly progress line needs a scope with a board.")
    if not scope.reach.everything:
        return weekly_progress(
            board=scope.board,
            recommendations=scope.recommendations,
            actions=scope.actions,
            today=today,
            weeks=weeks,
        )
    first_week = week_changes.monday(today) - datetime.timedelta(weeks=weeks - 1)
    changes: dict[datetime.date, tuple[int, int, int]] = {}
    signed_now = 0
    for week, done, signed, n in WeekTally.objects.filter(
        Q(week__gte=first_week) | Q(week=WeekTally.NOW), board=scope.board
    ).values_list("week", "actions_done", "signed_off", "changes"):
        if week == WeekTally.NOW:
            signed_now = signed
        else:
            changes[week] = (done, signed, n)
    return weekly_points(
        today=today,
        weeks=weeks,
        done_now=done_now,
        signed_now=signed_now,
        actions_total=actions_total,
        recommendations_total=recommendations_total,
        changes=changes,
    )
