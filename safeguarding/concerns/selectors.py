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
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from .models import Concern, ConcernRoute, DecisionOption, Team

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
class TriagePage:
    rows: list[Concern]
    # Give this back as `after` for the next page; None on the last page.
    next_cursor: str | None

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


def triage_queue(*, team: Team, after: str | None = None, limit: int = 50) -> TriagePage:
    """One page of `team`'s triage queue: concerns routed to it and not closed, most pressing first.

    Urgent concerns come first, then by when the decision is due (soonest first), then by id. `after`
    is the `next_cursor` of the page before (keyset pagination: as fast at page 1,000 as at page 1).
    One query, whatever the page size; no count over the table. Rows carry only the queue's plain
    columns (reference, dates, flags); reading any other field loads and decrypts it, so do not.
    Raises CursorInvalid for a cursor this module did not make.
    """
    if not 1 <= limit <= TRIAGE_PAGE_MAX:
        raise ValueError(f"limit must be between 1 and {TRIAGE_PAGE_MAX}")
    segments = list(enumerate(_SEGMENTS))
    position: tuple[datetime.datetime | None, int] | None = None
    if after is not None:
        urgent, due, pk = _cursor_read(after)
        start = _SEGMENTS.index((urgent, due is not None))
        segments = segments[start:]
        position = (due, pk)

    concern_table = connection.ops.quote_name(Concern._meta.db_table)
    route_table = connection.ops.quote_name(ConcernRoute._meta.db_table)
    columns = ", ".join(f"c.{connection.ops.quote_name(name)}" for name in _QUEUE_COLUMNS)
    parts, params = [], []
    for number, (urgent, has_due) in segments:
        where = [
            "r.team_id = %s",
            "c.status <> %s",
            "c.urgent = %s",
            "c.decision_due_at IS NOT NULL" if has_due else "c.decision_due_at IS NULL",
        ]
        params += [team.pk, Concern.Status.CLOSED, urgent]
        if position is not None and number == segments[0][0]:
            due, pk = position
            if has_due:
                where.append("(c.decision_due_at, c.id) > (%s, %s)")
                params += [connection.ops.adapt_datetimefield_value(due), pk]
            else:
                where.append("c.id > %s")
                params.append(pk)
        order = "c.decision_due_at, c.id" if has_due else "c.id"
        parts.append(
            f"SELECT * FROM (SELECT {number} AS queue_segment, {columns} "  # noqa: S608 (no user input)  # nosec B608
            f"FROM {concern_table} c INNER JOIN {route_table} r ON r.concern_id = c.id "
            f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s) segment_{number}"
        )
        params.append(limit + 1)
    # Within a segment the deadline is all NULL or all set, so where each database sorts NULL is moot.
    sql = " UNION ALL ".join(parts) + " ORDER BY queue_segment, decision_due_at, id LIMIT %s"
    params.append(limit + 1)
    rows = list(Concern.objects.raw(sql, params))
    more = len(rows) > limit
    rows = rows[:limit]
    return TriagePage(rows=rows, next_cursor=_cursor_make(rows[-1]) if more else None)


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
