"""Reading concerns: queues per team, concerns that reached no team, who may work on a concern, the
decisions that fit it, and how long it is kept.

Access control (who may see which queue) belongs to the triage views built on these; every read of a
concern's content must be audited by the caller with `audit_record(kind="viewed", ...)`.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import About, Concern, ConcernRoute, DecisionOption, Team

TRIAGE_PAGE_MAX = 200
# Only these columns are read for the queue: codes, flags and dates, never an encrypted field.
_QUEUE_COLUMNS = (
    "id",
    "reference",
    "received_at",
    "source",
    "about",
    "immediate_danger",
    "urgent",
    "status",
    "decision_due_at",
    "assigned_to_id",
    "has_signs",
)


def team_concerns(*, team: Team) -> QuerySet[Concern]:
    """The concerns routed to `team`: urgent first, then oldest first."""
    return Concern.objects.filter(routes__team=team).order_by("-urgent", "received_at", "id").distinct()


def concerns_unrouted() -> QuerySet[Concern]:
    """Concerns routed to no team at all: should never happen; an administrator must act on any."""
    return Concern.objects.exclude(routes__team__isnull=False).order_by("received_at", "id")


class CursorInvalid(ValueError):
    """A triage queue cursor that this module did not make. Start again from the first page."""


@dataclass(frozen=True)
class QueueFilters:
    """What a queue is narrowed to (docs/decisions/0030). Every value is a code, never personal data.

    `assigned` is MINE (to `user_id`) or UNASSIGNED; `show` holds any of SHOW, all of which must hold;
    `status`, `source` and `about` are codes of the concern's fields; `reference` a normalised reference.
    Overdue: the deadline has passed. Due today: not yet overdue, and due before midnight tonight.
    Both only of concerns still waiting for a decision (received or in triage): a decided concern's
    clock has been met.
    """

    MINE = "mine"
    UNASSIGNED = "unassigned"
    URGENT = "urgent"
    IMMEDIATE_DANGER = "immediate_danger"
    SIGNS = "signs"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    SHOW = (URGENT, IMMEDIATE_DANGER, SIGNS, OVERDUE, DUE_TODAY)

    assigned: str | None = None
    user_id: int | None = None
    show: frozenset[str] = frozenset()
    status: str | None = None
    source: str | None = None
    about: str | None = None
    reference: str | None = None

    def __post_init__(self) -> None:
        if self.assigned not in (None, self.MINE, self.UNASSIGNED):
            raise ValueError(f"assigned must be mine or unassigned, not {self.assigned!r}")
        if self.assigned == self.MINE and not self.user_id:
            raise ValueError("assigned=mine needs the user_id it means")
        if not self.show <= set(self.SHOW):
            raise ValueError(f"show must be some of {self.SHOW}")
        for name, allowed in (
            ("status", Concern.Status.values),
            ("source", Concern.Source.values),
            ("about", About.values),
        ):
            if getattr(self, name) not in (None, *allowed):
                raise ValueError(f"{name} must be one of {allowed}")

    @property
    def active(self) -> bool:
        return bool(self.assigned or self.show or self.status or self.source or self.about or self.reference)


@dataclass(frozen=True)
class TriagePage:
    rows: list[Concern]
    # Give this back as `after` for the next page; None on the last page.
    next_cursor: str | None
    # With count_up_to: how many concerns match (at most count_up_to), and whether there are more.
    count: int | None = None
    count_more: bool = False

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


# The queue order is: urgent first; then by deadline, soonest first, with any concern whose clock
# was never set before the rest (it may be overdue: better seen early than late); then by id. Each
# (urgent, has a deadline) pair is a segment that an index range scan reads in order, so the page is
# at most four short index scans glued together, however deep in the queue the cursor is.
_SEGMENTS = ((True, False), (True, True), (False, False), (False, True))


def _cursor_make(row: Concern) -> str:
    due = row.decision_due_at.isoformat() if row.decision_due_at is not None else None
    raw = json.dumps([bool(row.urgent), due, row.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _cursor_read(cursor: str) -> tuple[bool, datetime.datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        urgent, due_text, pk = json.loads(raw)
        due = datetime.datetime.fromisoformat(due_text) if due_text is not None else None
    except (binascii.Error, UnicodeError, ValueError, TypeError):
        raise CursorInvalid("That page of the queue could not be found.") from None
    valid = (
        isinstance(urgent, bool)
        and isinstance(pk, int)
        and not isinstance(pk, bool)
        # A primary key is a positive 64-bit integer: anything else cannot be bound in SQL.
        and 0 < pk < 2**63
        and (due is None or due.tzinfo is not None)
    )
    if not valid:
        raise CursorInvalid("That page of the queue could not be found.")
    return urgent, due, pk


def _day_end(now: datetime.datetime) -> datetime.datetime:
    """The end of `now`'s day in the partnership's time zone (midnight after it)."""
    local = timezone.localtime(now)
    return datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(0), tzinfo=local.tzinfo
    )


# Which filter leads the query when several are given: the first here that is in force. Its condition
# is written plainly, so its index drives the query in queue order; the others are written so that no
# index can serve them (the same meaning, e.g. COALESCE(x, 0) = 0 for "x IS NULL"), so they only
# filter the rows it reads. Left to itself the planner may lead with an index whose rows it thinks
# are spread evenly through the queue when they are not (unassigned concerns are the newest; the
# oldest open ones are mostly assigned), and read a whole queue to find a page (decision 0030).
_DRIVERS = (
    "reference",
    "closed",
    "mine",
    "immediate_danger",
    "unassigned",
    "signs",
    "status",
    "source",
    "about",
)


def _driver(filters: QueueFilters) -> str | None:
    in_force = {
        "reference": bool(filters.reference),
        "closed": filters.status == Concern.Status.CLOSED,
        "mine": filters.assigned == QueueFilters.MINE,
        "immediate_danger": QueueFilters.IMMEDIATE_DANGER in filters.show,
        "unassigned": filters.assigned == QueueFilters.UNASSIGNED,
        "signs": QueueFilters.SIGNS in filters.show,
        "status": bool(filters.status),
        "source": bool(filters.source),
        "about": bool(filters.about),
    }
    return next((name for name in _DRIVERS if in_force[name]), None)


# A team may never receive some kinds of concern: the routing rules send it only concerns about
# adults, or only those with signs of exploitation, or no agency system sends to it. The leading
# filter's index holds every team's concerns, so looking through it for a page of such a team's would
# read it to its end (seconds at 1,000,000 concerns). So when a filter on a field the route carries a
# copy of is in force, the team's routes are asked first, in their own index, for up to _FEW_ROUTES
# concerns of that kind: none, and the page is empty without reading the queue; up to _FEW_ROUTES,
# the queue is read from those concerns alone, by primary key; more, and the team has enough of the
# kind that the leading filter's ordered scan finds a page soon (decision 0030).
_FEW_ROUTES = 500


def _team_concerns_of_kind(*, team: Team, filters: QueueFilters) -> list[int] | None:
    """The ids of the concerns routed to `team` (open or closed) that match one of the filters on the
    route's copies of the concern's fields (about, source, immediate danger, signs), if there are at
    most _FEW_ROUTES; None if there are more for each such filter, or none is in force. Each filter is
    asked alone, in its own index and nothing else (an index-only read of at most _FEW_ROUTES + 1
    entries): asked together, the planner chose to scan the whole table for the first 501 matches."""
    if filters.reference:
        return None  # the unique index on the reference finds it at once
    conditions: list[tuple[str, list[Any]]] = [
        (f"r.{column} = %s", [getattr(filters, column)])
        for column in ("about", "source")
        if getattr(filters, column)
    ]
    # Written as the partial indexes' conditions are, so the database uses them.
    if QueueFilters.IMMEDIATE_DANGER in filters.show:
        conditions.append(("r.immediate_danger", []))
    if QueueFilters.SIGNS in filters.show:
        conditions.append(("r.has_signs", []))
    route_table = connection.ops.quote_name(ConcernRoute._meta.db_table)
    for condition, params in conditions:
        with connection.cursor() as cursor:
            # Our own table and column names; every value is bound.
            cursor.execute(
                f"SELECT r.concern_id FROM {route_table} r "  # noqa: S608  # nosec B608
                f"WHERE r.team_id = %s AND {condition} LIMIT %s",
                [team.pk, *params, _FEW_ROUTES + 1],
            )
            ids = [concern_id for (concern_id,) in cursor.fetchall()]
        if len(ids) <= _FEW_ROUTES:
            return ids
    return None


def _filter_where(
    filters: QueueFilters, now: datetime.datetime, within: list[int] | None = None
) -> tuple[list[str], list[Any]]:
    """SQL conditions on the concern (alias c) for `filters`: the leading one plain, the rest not
    indexable (see _DRIVERS). Given `within` (ids from _team_concerns_of_kind), the primary key
    leads instead."""
    adapt = connection.ops.adapt_datetimefield_value
    lead = "within" if within is not None else _driver(filters)
    where: list[str] = []
    params: list[Any] = []
    if within is not None:
        where.append(f"c.id IN ({', '.join(['%s'] * len(within))})")
        params += within

    def flag(column: str, name: str) -> None:
        where.append(f"c.{column} = %s" if lead == name else f"CASE WHEN c.{column} THEN 1 ELSE 0 END = 1")
        if lead == name:
            params.append(True)

    def code(column: str, value: str, name: str) -> None:
        where.append(f"c.{column} = %s" if lead == name else f"c.{column} || '' = %s")
        params.append(value)

    if filters.reference:
        # A search finds the concern whatever its status, through the unique index on the reference.
        where.append("c.reference = %s")
        params.append(filters.reference)
    elif filters.status == Concern.Status.CLOSED:
        where.append("c.status = %s")
        params.append(Concern.Status.CLOSED)
    else:
        # Always plain: it is what lets the partial indexes serve the query.
        where.append("c.status <> %s")
        params.append(Concern.Status.CLOSED)
    if filters.status and not filters.reference and filters.status != Concern.Status.CLOSED:
        code("status", filters.status, "status")
    if filters.assigned == QueueFilters.MINE:
        where.append("c.assigned_to_id = %s" if lead == "mine" else "COALESCE(c.assigned_to_id, 0) = %s")
        params.append(filters.user_id)
    elif filters.assigned == QueueFilters.UNASSIGNED:
        where.append(
            "c.assigned_to_id IS NULL" if lead == "unassigned" else "COALESCE(c.assigned_to_id, 0) = 0"
        )
    if QueueFilters.IMMEDIATE_DANGER in filters.show:
        flag("immediate_danger", "immediate_danger")
    if QueueFilters.SIGNS in filters.show:
        flag("has_signs", "signs")
    if filters.show & {QueueFilters.OVERDUE, QueueFilters.DUE_TODAY}:
        # A clock runs only while the concern waits for a decision (as the staff home counts it).
        where.append("c.status || '' IN (%s, %s)")
        params += [Concern.Status.RECEIVED, Concern.Status.IN_TRIAGE]
    if QueueFilters.OVERDUE in filters.show:
        where.append("c.decision_due_at < %s")
        params.append(adapt(now))
    if QueueFilters.DUE_TODAY in filters.show:
        where.append("c.decision_due_at >= %s AND c.decision_due_at < %s")
        params += [adapt(now), adapt(_day_end(now))]
    for column in ("source", "about"):
        value = getattr(filters, column)
        if value:
            code(column, value, column)
    return where, params


def _segments_for(filters: QueueFilters) -> list[tuple[int, tuple[bool, bool]]]:
    """The (urgent, has a deadline) segments the filters can match, with their place in the order."""
    needs_deadline = bool(filters.show & {QueueFilters.OVERDUE, QueueFilters.DUE_TODAY})
    return [
        (number, (urgent, has_due))
        for number, (urgent, has_due) in enumerate(_SEGMENTS)
        if (urgent or QueueFilters.URGENT not in filters.show) and (has_due or not needs_deadline)
    ]


def _queue_rows(
    *,
    team: Team,
    filters: QueueFilters,
    after: str | None,
    fetch: int,
    columns_wanted: tuple[str, ...],
    now: datetime.datetime,
    within: list[int] | None = None,
) -> list[Concern]:
    """Up to `fetch` rows of the queue after the cursor `after`, in queue order: one SQL statement.
    Given `within`, only among those concerns (none: no statement)."""
    if within is not None and not within:
        return []
    segments = _segments_for(filters)
    position: tuple[datetime.datetime | None, int] | None = None
    if after is not None:
        urgent, due, pk = _cursor_read(after)
        start = _SEGMENTS.index((urgent, due is not None))
        segments = [segment for segment in segments if segment[0] >= start]
        if segments and segments[0][0] == start:
            position = (due, pk)
    if not segments:
        return []

    concern_table = connection.ops.quote_name(Concern._meta.db_table)
    route_table = connection.ops.quote_name(ConcernRoute._meta.db_table)
    columns = ", ".join(f"c.{connection.ops.quote_name(name)}" for name in columns_wanted)
    filter_where, filter_params = _filter_where(filters, now, within)
    parts, params = [], []
    for number, (urgent, has_due) in segments:
        where = [
            "r.team_id = %s",
            *filter_where,
            "c.urgent = %s",
            "c.decision_due_at IS NOT NULL" if has_due else "c.decision_due_at IS NULL",
        ]
        params += [team.pk, *filter_params, urgent]
        if position is not None and number == segments[0][0]:
            due, pk = position
            if has_due:
                where.append("(c.decision_due_at, c.id) > (%s, %s)")
                params += [connection.ops.adapt_datetimefield_value(due), pk]
            else:
                where.append("c.id > %s")
                params.append(pk)
        # Without a deadline every row's is NULL: ordering by it too lets the index give the order.
        order = "c.decision_due_at, c.id"
        parts.append(
            f"SELECT * FROM (SELECT {number} AS queue_segment, {columns} "  # noqa: S608 (no user input)  # nosec B608
            f"FROM {concern_table} c INNER JOIN {route_table} r ON r.concern_id = c.id "
            f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s) segment_{number}"
        )
        params.append(fetch)
    # Within a segment the deadline is all NULL or all set, so where each database sorts NULL is moot.
    sql = " UNION ALL ".join(parts) + " ORDER BY queue_segment, decision_due_at, id LIMIT %s"
    params.append(fetch)
    if connection.vendor != "postgresql" or within is not None or not filters.active or filters.reference:
        # Within a few concerns, the planner reads them by primary key and sorts them, unaided; the
        # whole queue, and a reference, it reads well by itself.
        return list(Concern.objects.raw(sql, params))
    # With a filter, read the leading filter's index (or, with none leading, the queue's: urgent,
    # overdue, due today) in queue order and stop at the page: the planner, not knowing how few rows
    # the other filters keep, may otherwise read and sort all it could match. (Overdue alone, the
    # count on a later page, reading only id, urgent and deadline, was read from the every-status
    # index in parallel, 290,000 entries, then sorted: 400 ms; in queue order it is a few ms.)
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement: is_local=true, so the settings end with this transaction.
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), "
            "set_config('enable_sort', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
        )
        return list(Concern.objects.raw(sql, params))


def triage_queue(
    *,
    team: Team,
    after: str | None = None,
    limit: int = 50,
    filters: QueueFilters | None = None,
    count_up_to: int | None = None,
    now: datetime.datetime | None = None,
) -> TriagePage:
    """One page of `team`'s triage queue: concerns routed to it and not closed, most pressing first.

    Urgent concerns come first, then by when the decision is due (soonest first), then by id. `after`
    is the `next_cursor` of the page before (keyset pagination: as fast at page 1,000 as at page 1).
    `filters` narrow the queue (docs/decisions/0030); each is served by an index in queue order.
    One query, whatever the page size (with filters on about, source, immediate danger or signs,
    after a small index-only read of the team's routes for each: _team_concerns_of_kind); no count over
    the table: with `count_up_to`, the matches are counted up to that many (`count`, and
    `count_more` when there are more), in the same query on
    the first page and in one more on later pages. Rows carry only the queue's plain columns
    (reference, dates, flags); reading any other field loads and decrypts it, so do not.
    Raises CursorInvalid for a cursor this module did not make.
    """
    if not 1 <= limit <= TRIAGE_PAGE_MAX:
        raise ValueError(f"limit must be between 1 and {TRIAGE_PAGE_MAX}")
    if count_up_to is not None and not 1 <= count_up_to <= TRIAGE_PAGE_MAX:
        raise ValueError(f"count_up_to must be between 1 and {TRIAGE_PAGE_MAX}")
    filters = filters or QueueFilters()
    now = now or timezone.now()
    counting_here = count_up_to is not None and after is None
    fetch = max(limit, count_up_to or 0) + 1 if counting_here else limit + 1
    within = _team_concerns_of_kind(team=team, filters=filters)
    rows = _queue_rows(
        team=team,
        filters=filters,
        after=after,
        fetch=fetch,
        columns_wanted=_QUEUE_COLUMNS,
        now=now,
        within=within,
    )
    count, counted = None, 0
    if count_up_to is not None:
        counted = (
            len(rows)
            if counting_here
            else len(
                _queue_rows(
                    team=team,
                    filters=filters,
                    after=None,
                    fetch=count_up_to + 1,
                    columns_wanted=("id", "urgent", "decision_due_at"),
                    now=now,
                    within=within,
                )
            )
        )
        count = min(counted, count_up_to)
    more = len(rows) > limit
    rows = rows[:limit]
    return TriagePage(
        rows=rows,
        next_cursor=_cursor_make(rows[-1]) if more else None,
        count=count,
        count_more=count_up_to is not None and counted > count_up_to,
    )


# --- Triage: who works on a concern, what may be decided, how long it is kept -----------------------


def receiving_teams(concern: Concern) -> QuerySet[Team]:
    """The teams the concern was routed or shared to."""
    return Team.objects.filter(routes__concern=concern).distinct().order_by("name")


def receiving_team_members(concern: Concern) -> QuerySet[Any]:
    """Active members of any receiving team: the people the concern may be assigned to."""
    return (
        get_user_model()
        .objects.filter(concern_teams__routes__concern=concern, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def decision_options_for(concern: Concern) -> QuerySet[DecisionOption]:
    """The active options that fit: children's for a child, adults' for an adult, all if unsure."""
    options = DecisionOption.objects.filter(active=True)
    if concern.about == "child":
        options = options.exclude(applies_to=DecisionOption.AppliesTo.ADULTS)
    elif concern.about == "adult":
        options = options.exclude(applies_to=DecisionOption.AppliesTo.CHILDREN)
    return options.order_by("order", "name")


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_date(concern: Concern) -> datetime.date | None:
    """The latest date any of the concern's decisions says to keep it until: the longest period wins."""
    dates = [
        _years_after(timezone.localdate(decision.decided_at), decision.option.retention_years)
        for decision in concern.decisions.select_related("option")
    ]
    return max(dates, default=None)


def concerns_expired(*, today: datetime.date | None = None) -> QuerySet[Concern]:
    """Concerns past their retention date and not on legal hold: what the deletion command removes."""
    today = today or timezone.localdate()
    return Concern.objects.filter(retain_until__lt=today, legal_hold=False).order_by("retain_until", "id")


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    title: str
    by: str = ""
    description: str = ""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def concern_timeline(concern: Concern) -> list[TimelineEvent]:
    """What happened to a concern, newest first: receipt, routing, urgency (marked and removed),
    decisions, the police call, notes, sharing and legal holds. Reads encrypted text (police call
    notes, why urgency was removed): the caller audits the view."""
    events = [
        TimelineEvent(
            at=concern.received_at, title="Concern received", description=concern.get_source_display()
        )
    ]
    for route in concern.routes.select_related("team", "shared_by"):
        if route.team_id is None:
            events.append(TimelineEvent(at=route.routed_at, title="Marked urgent", description=route.reason))
        elif route.shared_by_id is not None:
            events.append(
                TimelineEvent(
                    at=route.routed_at, title=f"Shared with {route.team}", by=_name(route.shared_by)
                )
            )
        else:
            events.append(
                TimelineEvent(at=route.routed_at, title=f"Sent to {route.team}", description=route.reason)
            )
    for removal in concern.urgency_removals.select_related("removed_by"):
        events.append(
            TimelineEvent(
                at=removal.removed_at,
                title="Urgent removed",
                by=_name(removal.removed_by),
                description=removal.reason,
            )
        )
    for decision in concern.decisions.select_related("option", "decided_by"):
        events.append(
            TimelineEvent(
                at=decision.decided_at, title=f"Decision: {decision.option}", by=_name(decision.decided_by)
            )
        )
    for record in concern.police_call_records.select_related("recorded_by"):
        events.append(
            TimelineEvent(
                at=record.recorded_at,
                title=f"Police called: {record.get_answer_display()}",
                by=_name(record.recorded_by),
                description=record.note,
            )
        )
    for note in concern.notes.select_related("author"):
        events.append(TimelineEvent(at=note.added_at, title="Note added", by=_name(note.author)))
    for share in concern.information_shares.select_related("agency", "recorded_by"):
        events.append(
            TimelineEvent(
                at=share.recorded_at,
                title=f"Information shared with {share.agency}",
                by=_name(share.recorded_by),
            )
        )
    for change in concern.legal_hold_changes.select_related("changed_by"):
        title = "Legal hold placed" if change.hold else "Legal hold lifted"
        events.append(TimelineEvent(at=change.changed_at, title=title, by=_name(change.changed_by)))
    return sorted(events, key=lambda event: event.at, reverse=True)


def concern_team_names(concern: Concern) -> list[str]:
    """The names of the teams a concern was sent to, for the person who sent it (no content)."""
    names = (
        concern.routes.filter(team__isnull=False).order_by("team__name").values_list("team__name", flat=True)
    )
    return list(dict.fromkeys(names))


# --- Counts for the staff home (workspace) --------------------------------------------------------

# A count stops here: a home page never counts a whole year's queue, it says "100 or more".
QUEUE_COUNT_CAP = 100
WAITING_FOR_DECISION = (Concern.Status.RECEIVED, Concern.Status.IN_TRIAGE)


def queue_counts(*, team: Team, user: Any = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many of `team`'s open concerns are urgent, unassigned, due today, overdue and waiting for a
    decision (and, given a user, assigned to that user): what the staff home shows, each beside a
    link to the queue filtered the same way (`?show=urgent`, `?assigned=unassigned`...).

    Due today and overdue count only concerns still waiting for a decision: a decided concern's clock
    has been met. "Today" ends at local midnight. Each count is one COUNT that stops at
    QUEUE_COUNT_CAP, over open concerns read through the queue's partial index (`urgent IN (true,
    false)` lets the database use it for a range of deadlines) with the team checked by the
    (concern, team) unique index; no personal field is read.
    """
    from django.db.models import Exists, OuterRef  # here: this section is kept apart from the queue's

    now = now or timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_today = midnight + datetime.timedelta(days=1)
    routed = ConcernRoute.objects.filter(concern=OuterRef("pk"), team=team)
    queue = (
        Concern.objects.filter(Exists(routed), urgent__in=[True, False])
        .exclude(status=Concern.Status.CLOSED)
        .order_by()
    )
    waiting = queue.filter(status__in=WAITING_FOR_DECISION)
    wanted = {
        "urgent": queue.filter(urgent=True),
        "unassigned": queue.filter(assigned_to__isnull=True),
        "due_today": waiting.filter(decision_due_at__gte=now, decision_due_at__lt=end_of_today),
        "overdue": waiting.filter(decision_due_at__lt=now),
        "waiting": waiting,
    }
    if user is not None:
        wanted["mine"] = queue.filter(assigned_to=user)
    return _capped_counts(wanted)


def _capped_counts(wanted: dict[str, QuerySet[Concern]]) -> dict[str, int]:
    """Each queryset's count, stopped at QUEUE_COUNT_CAP, all in one round trip to the database."""
    parts: list[str] = []
    params: list[Any] = []
    for number, rows in enumerate(wanted.values()):
        sql, row_params = rows.values("pk")[:QUEUE_COUNT_CAP].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{number})")  # noqa: S608 (Django's SQL)
        params.extend(row_params)
    with connection.cursor() as cursor:
        # Django's own SQL for each queryset, its values bound as parameters.
        cursor.execute("SELECT " + ", ".join(parts), params)  # nosec B608
        counts = cursor.fetchone()
    return {name: int(count) for name, count in zip(wanted, counts, strict=True)}


def concerns_waiting_count(*, teams: list[Team]) -> int:
    """Concerns routed to any of `teams` waiting for a decision, each once, stopped at QUEUE_COUNT_CAP."""
    from django.db.models import Exists, OuterRef

    routed = ConcernRoute.objects.filter(concern=OuterRef("pk"), team__in=[team.pk for team in teams])
    waiting = Concern.objects.filter(
        Exists(routed), urgent__in=[True, False], status__in=WAITING_FOR_DECISION
    ).order_by()
    return waiting.values("pk")[:QUEUE_COUNT_CAP].count()
