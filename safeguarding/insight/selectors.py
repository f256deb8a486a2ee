"""Reading concern statistics from the rollups: each section's table, for a period and filters.

A range is read as whole weeks or months from the week or month rows, and the days at either edge from
the day rows: two grouped queries over a few thousand rows whatever the number of concerns. Times to
decision and to first action are kept in fixed buckets, so medians and 90th percentiles are bucketed:
"within 4 hours" means the middle concern was decided in 1 to 4 hours.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum

from safeguarding.concerns.models import About, Concern, Team
from safeguarding.partnership.models import Board

from .models import BUCKETS, ConcernRollup, Grain, ShareRollup
from .rollups import month_start, week_start

WEEK, MONTH, QUARTER = "week", "month", "quarter"
PERIODS = ((WEEK, "Week"), (MONTH, "Month"), (QUARTER, "Quarter"))
BUCKET_UPPER_TEXT = (
    "1 hour",
    "4 hours",
    "8 hours",
    "1 day",
    "2 days",
    "3 days",
    "5 days",
    "7 days",
    "14 days",
)
# Which concerns each board's figures count: the children's partnership those about children, the adults
# board those about adults, and both count "not sure" (it may be either).
BOARD_ABOUT: dict[str, tuple[str, ...]] = {
    Board.Kind.CHILDREN: (About.CHILD, About.NOT_SURE),
    Board.Kind.ADULTS: (About.ADULT, About.NOT_SURE),
}
QUEUE_AGES = (
    (0, 0, "Received today"),
    (1, 2, "1 to 2 days"),
    (3, 7, "3 to 7 days"),
    (8, 28, "8 to 28 days"),
    (29, None, "More than 28 days"),
)


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    period: str = MONTH
    board: Board | None = None
    team: Team | None = None
    source: str = ""
    about: str = ""
    signs: str = ""  # "yes", "no" or "" for either
    decision: str = ""  # an option code, "none" for undecided, or "" for any
    route: str = ""
    # When set, only these teams' figures may be read (a team lead's); `team` is then one of them.
    teams_allowed: tuple[int, ...] | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values, for links and exports (ids, slugs and codes only)."""
        values = {
            **{
                f"start_{i}": str(part)
                for i, part in enumerate((self.start.day, self.start.month, self.start.year))
            },
            **{f"end_{i}": str(part) for i, part in enumerate((self.end.day, self.end.month, self.end.year))},
            "period": self.period,
            "board": self.board.slug if self.board else "",
            "team": self.team.slug if self.team else "",
            "source": self.source,
            "about": self.about,
            "signs": self.signs,
            "decision": self.decision,
            "route": self.route,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive, clipped to the range
    label: str


def _period_start(day: datetime.date, period: str) -> datetime.date:
    if period == WEEK:
        return week_start(day)
    if period == MONTH:
        return month_start(day)
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_period(start: datetime.date, period: str) -> datetime.date:
    if period == WEEK:
        return start + datetime.timedelta(days=7)
    months = 1 if period == MONTH else 3
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def _label(start: datetime.date, period: str) -> str:
    if period == WEEK:
        return f"Week of {start.day} {start:%b %Y}"
    if period == MONTH:
        return f"{start:%b %Y}"
    end = _next_period(start, QUARTER) - datetime.timedelta(days=1)
    return f"{start:%b} to {end:%b %Y}"


def periods_of(filters: Filters) -> list[Period]:
    out = []
    start = _period_start(filters.start, filters.period)
    while start <= filters.end:
        following = _next_period(start, filters.period)
        out.append(
            Period(
                start=max(start, filters.start),
                end=min(following - datetime.timedelta(days=1), filters.end),
                label=_label(start, filters.period),
            )
        )
        start = following
    return out


def _level(filters: Filters, *, by_source_about_signs: bool = False) -> int:
    """The least detailed rollup rows that answer these filters (models.ConcernRollup.level)."""
    if filters.decision or filters.route:
        return 0
    if by_source_about_signs or filters.board or filters.source or filters.about or filters.signs:
        return 1
    return 2


def _dimension_q(filters: Filters, *, any_team: bool = False, level: int | None = 0) -> Q:
    """The rows of the chosen team (or of every team) and filters; `level` None for share rollups."""
    q = ~Q(team_id=0) if any_team else Q(team_id=filters.team.pk if filters.team else 0)
    if level is not None:
        q &= Q(level=level)
    if filters.board is not None:
        q &= Q(about__in=BOARD_ABOUT.get(filters.board.kind, ()))
    for name in ("source", "about", "route"):
        value = getattr(filters, name)
        if value:
            q &= Q(**{name: value})
    if filters.signs:
        q &= Q(signs=filters.signs == "yes")
    if filters.decision:
        q &= Q(decision="" if filters.decision == "none" else filters.decision)
    return q


def _range_q(filters: Filters) -> Q:
    """Whole weeks (or months) from their rows, and the days at the edges from day rows."""
    coarse = Grain.WEEK if filters.period == WEEK else Grain.MONTH
    step = WEEK if coarse == Grain.WEEK else MONTH
    first = _period_start(filters.start, step)
    if first < filters.start:
        first = _next_period(first, step)
    last_end = first
    cursor = first
    while _next_period(cursor, step) - datetime.timedelta(days=1) <= filters.end:
        cursor = _next_period(cursor, step)
        last_end = cursor
    if last_end == first:  # no whole period inside the range: days only
        return Q(grain=Grain.DAY, period_start__range=(filters.start, filters.end))
    q = Q(grain=coarse, period_start__gte=first, period_start__lt=last_end)
    if filters.start < first:
        q |= Q(grain=Grain.DAY, period_start__gte=filters.start, period_start__lt=first)
    if last_end <= filters.end:
        q |= Q(grain=Grain.DAY, period_start__gte=last_end, period_start__lte=filters.end)
    return q


def _grouped(
    model: type[ConcernRollup] | type[ShareRollup],
    filters: Filters,
    *,
    by: Iterable[str],
    measures: Iterable[str],
    q: Q | None = None,
    breakdown: bool = False,
) -> list[dict[str, Any]]:
    """Sums of `measures` grouped `by`, from the least detailed rows that answer the filters (with
    source, about and signs kept when `breakdown`)."""
    level = _level(filters, by_source_about_signs=breakdown) if model is ConcernRollup else None
    dimensions = _dimension_q(filters, level=level)
    rows: QuerySet = model.objects.filter(_range_q(filters) if q is None else q).filter(dimensions)
    by = list(by)
    sums = {m: Sum(m) for m in measures}
    if not by:
        return [rows.aggregate(**sums)]
    return list(rows.values(*by).annotate(**sums).order_by(*by))


def _by_period(filters: Filters, rows: list[dict[str, Any]]) -> dict[datetime.date, list[dict[str, Any]]]:
    grouped: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[_period_start(row["period_start"], filters.period)].append(row)
    return grouped


def percent(part: int, whole: int) -> int | None:
    return None if not whole else round(100 * part / whole)


def bucket_quantile(counts: list[int], q: float) -> str:
    """The bucket the q-th quantile falls in, in words ("Within 4 hours"), or "" with no counts."""
    total = sum(counts)
    if not total:
        return ""
    rank, running = max(1, math.ceil(q * total)), 0
    for index, count in enumerate(counts[: len(BUCKET_UPPER_TEXT)]):
        running += count
        if running >= rank:
            return f"Within {BUCKET_UPPER_TEXT[index]}"
    return f"More than {BUCKET_UPPER_TEXT[-1]}"


# --- Sections -----------------------------------------------------------------------------------------


@dataclass
class VolumeRow:
    period: Period
    received: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_about: dict[str, int] = field(default_factory=dict)
    signs: int = 0


def volumes(filters: Filters) -> list[VolumeRow]:
    """Concerns received in each period: in all, by source, by who they are about, and with signs."""
    rows = _grouped(
        ConcernRollup,
        filters,
        by=("period_start", "source", "about", "signs"),
        measures=("received",),
        breakdown=True,
    )
    grouped = _by_period(filters, rows)
    out = []
    for period in periods_of(filters):
        line = VolumeRow(
            period,
            by_source=dict.fromkeys(Concern.Source.values, 0),
            by_about=dict.fromkeys(About.values, 0),
        )
        for row in grouped.get(_period_start(period.start, filters.period), []):
            line.received += row["received"]
            line.by_source[row["source"]] = line.by_source.get(row["source"], 0) + row["received"]
            line.by_about[row["about"]] = line.by_about.get(row["about"], 0) + row["received"]
            line.signs += row["received"] if row["signs"] else 0
        out.append(line)
    return out


@dataclass(frozen=True)
class ClockRow:
    label: str
    decided: int
    within: int
    share: int | None
    median: str
    p90: str
    team_id: int = 0


def _clock_row(label: str, row: dict[str, Any], team_id: int = 0) -> ClockRow:
    decided, within = row.get("decided") or 0, row.get("within_clock") or 0
    counts = [row.get(f"d{i}") or 0 for i in range(BUCKETS)]
    return ClockRow(
        label=label,
        decided=decided,
        within=within,
        share=percent(within, decided),
        median=bucket_quantile(counts, 0.5),
        p90=bucket_quantile(counts, 0.9),
        team_id=team_id,
    )


CLOCK_MEASURES = ("decided", "within_clock", *(f"d{i}" for i in range(BUCKETS)))


def clock_by_team(filters: Filters) -> list[ClockRow]:
    """For each team (and all teams together), of the concerns received in the range and decided: how
    many were decided within the statutory clock, and the median and 90th percentile time to decision."""
    teams = Team.objects.order_by("name")
    if filters.team is not None:
        teams = teams.filter(pk=filters.team.pk)
    elif filters.teams_allowed is not None:
        teams = teams.filter(pk__in=filters.teams_allowed)
    team_ids = [team.pk for team in teams]
    q = _range_q(filters) & _dimension_q(filters, any_team=True, level=_level(filters))
    rows = {
        row["team_id"]: row
        for row in ConcernRollup.objects.filter(q)
        .filter(team_id__in=team_ids)
        .values("team_id")
        .annotate(**{m: Sum(m) for m in CLOCK_MEASURES})
        .order_by("team_id")
    }
    out = [_clock_row(team.name, dict(rows.get(team.pk) or {}), team.pk) for team in teams]
    if filters.team is None and filters.teams_allowed is None:
        everything = _grouped(ConcernRollup, filters, by=(), measures=CLOCK_MEASURES)
        out.append(_clock_row("All teams (each concern once)", everything[0] if everything else {}))
    return out


def clock_by_period(filters: Filters) -> list[ClockRow]:
    rows = _grouped(ConcernRollup, filters, by=("period_start",), measures=CLOCK_MEASURES)
    grouped = _by_period(filters, rows)
    out = []
    for period in periods_of(filters):
        total: dict[str, int] = defaultdict(int)
        for row in grouped.get(_period_start(period.start, filters.period), []):
            for m in CLOCK_MEASURES:
                total[m] += row[m] or 0
        out.append(_clock_row(period.label, total))
    return out


@dataclass(frozen=True)
class UrgentRow:
    period: Period
    urgent: int
    actioned: int
    median: str
    p90: str


def urgent(filters: Filters) -> list[UrgentRow]:
    """Urgent concerns received in each period, how many staff have acted on, and how soon (bucketed)."""
    measures = ("urgent", "urgent_actioned", *(f"a{i}" for i in range(BUCKETS)))
    grouped = _by_period(filters, _grouped(ConcernRollup, filters, by=("period_start",), measures=measures))
    out = []
    for period in periods_of(filters):
        total: dict[str, int] = defaultdict(int)
        for row in grouped.get(_period_start(period.start, filters.period), []):
            for m in measures:
                total[m] += row[m] or 0
        counts = [total[f"a{i}"] for i in range(BUCKETS)]
        out.append(
            UrgentRow(
                period,
                total["urgent"],
                total["urgent_actioned"],
                bucket_quantile(counts, 0.5),
                bucket_quantile(counts, 0.9),
            )
        )
    return out


@dataclass(frozen=True)
class RepeatRow:
    period: Period
    received: int
    repeats: int
    share: int | None


def repeats(filters: Filters) -> list[RepeatRow]:
    """Concerns received in each period, and how many were about a person at risk already in an
    earlier concern."""
    grouped = _by_period(
        filters,
        _grouped(ConcernRollup, filters, by=("period_start",), measures=("received", "repeats")),
    )
    out = []
    for period in periods_of(filters):
        rows = grouped.get(_period_start(period.start, filters.period), [])
        received = sum(row["received"] or 0 for row in rows)
        repeated = sum(row["repeats"] or 0 for row in rows)
        out.append(RepeatRow(period, received, repeated, percent(repeated, received)))
    return out


@dataclass
class ShareRow:
    period: Period
    by_basis: dict[str, int]
    total: int = 0


def shares(filters: Filters) -> list[ShareRow]:
    """Information shares recorded in each period (by the day shared), by lawful basis."""
    rows = _grouped(ShareRollup, filters, by=("period_start", "lawful_basis"), measures=("shares",))
    grouped = _by_period(filters, rows)
    out = []
    for period in periods_of(filters):
        line = ShareRow(period, dict.fromkeys(Concern.LawfulBasis.values, 0))
        for row in grouped.get(_period_start(period.start, filters.period), []):
            line.by_basis[row["lawful_basis"]] = line.by_basis.get(row["lawful_basis"], 0) + row["shares"]
            line.total += row["shares"]
        out.append(line)
    return out


@dataclass(frozen=True)
class QueueRow:
    label: str
    waiting: int


def queue_age(filters: Filters, *, today: datetime.date) -> list[QueueRow]:
    """Concerns waiting for a decision now, by how many days ago they were received. The date range
    does not apply: this is the queue as it stands today."""
    q = Q(grain=Grain.DAY, waiting__gt=0)
    rows = _grouped(ConcernRollup, filters, by=("period_start",), measures=("waiting",), q=q)
    totals = [0] * len(QUEUE_AGES)
    for row in rows:
        age = (today - row["period_start"]).days
        for index, (low, high, _label) in enumerate(QUEUE_AGES):
            if age >= low and (high is None or age <= high):
                totals[index] += row["waiting"] or 0
                break
        else:
            totals[0] += row["waiting"] or 0  # received "in the future": a clock skew, count as today
    return [QueueRow(label, total) for (_low, _high, label), total in zip(QUEUE_AGES, totals, strict=True)]
