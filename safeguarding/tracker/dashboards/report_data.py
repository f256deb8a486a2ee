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
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.reviews.models import Recommendation

from ..models import Action, Evidence, SignOff

RECOMMENDATION = "reviews.recommendation"
ACTION = Action._meta.label_lower
SIGN_OFF = SignOff._meta.label_lower
QUARTER_DAYS = 91
PROGRESS_WEEKS = 26
CHANGES_LIMIT = 6
DONE_LABELS = frozenset(str(Action.Status(value).label) for value in Action.DONE)
PROGRESSED_LABEL = str(SignOff.Decision.PROGRESSED_IN_FULL.label)


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


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_progress(
    *,
    board: Any,
    recommendations: QuerySet[Recommendation],
    actions: QuerySet[Action],
    today: datetime.date,
    weeks: int = PROGRESS_WEEKS,
) -> WeeklyProgress:
    """Actions done and recommendations signed off by the end of each of the last `weeks` weeks.

    Today's figures come from the tracker's tables; the weeks before are worked back from them
    through the audit trail (each action made done or not done, each sign-off recorded or reopened),
    so the line ends on the figure the dashboards show, and records that came in without a change
    history (a review pack, demo data) count from the start.
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
    first_week = _monday(today) - datetime.timedelta(weeks=weeks - 1)
    since = _day_start(first_week)
    until = _day_start(today + datetime.timedelta(days=1))

    action_delta: dict[int, int] = defaultdict(int)
    sign_off_delta: dict[int, int] = defaultdict(int)
    # Only changes into or out of done move the line: the database leaves out every other change.
    done_labels = sorted(DONE_LABELS)
    status_events = list(
        _status_events(recommendation_ids=recommendation_ids, since=since, until=until)
        .filter(Q(changes__status__0__in=done_labels) | Q(changes__status__1__in=done_labels))
        .values_list("at", "target_id", "changes__status")
    )
    visible = set(actions.values_list("pk", flat=True)) if status_events else set()
    for at, target_id, pair in status_events:
        readable = isinstance(pair, list) and len(pair) == 2
        if readable and target_id.isdigit() and int(target_id) in visible:
            done_change = int(pair[1] in DONE_LABELS) - int(pair[0] in DONE_LABELS)
            action_delta[_week_index(at, first_week)] += done_change
    sign_off_ids = {str(pk) for pk in board_sign_offs.values_list("pk", flat=True)}
    sign_off_events = AuditEvent.objects.filter(
        subject_type=RECOMMENDATION,
        subject_id__in=[str(pk) for pk in recommendation_ids],
        target_type=SIGN_OFF,
        at__gte=since,
        at__lt=until,
    ).only("at", "kind", "target_id", "changes")
    recorded = 0
    for event in sign_off_events:
        if event.target_id not in sign_off_ids:
            continue
        index = _week_index(event.at, first_week)
        decision = (event.changes.get("decision") or [None, None])[-1]
        if event.kind == AuditEvent.Kind.CREATED and decision == PROGRESSED_LABEL:
            sign_off_delta[index] += 1
        elif event.kind == AuditEvent.Kind.UPDATED and "reopened_at" in event.changes:
            sign_off_delta[index] -= 1
        recorded += 1

    points: list[WeekProgress] = []
    done, signed = done_now, signed_now
    for index in range(weeks - 1, -1, -1):  # from this week back, undoing each week's changes
        points.append(
            WeekProgress(
                first_week + datetime.timedelta(weeks=index),
                max(done, 0),
                max(signed, 0),
                actions_total,
                len(recommendation_ids),
            )
        )
        done -= action_delta.get(index, 0)
        signed -= sign_off_delta.get(index, 0)
    points.reverse()
    return WeeklyProgress(
        weeks=points,
        actions_total=actions_total,
        recommendations_total=len(recommendation_ids),
        changes_recorded=len(status_events) + recorded,
    )


def _week_index(at: datetime.datetime, first_week: datetime.date) -> int:
    return (timezone.localtime(at).date() - first_week).days // 7
