"""The six sections of the insight pages: for each, its tables (what the page, the exports and the board
report show) and a chart of its main figure, from the selectors."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from safeguarding.concerns.models import About, Concern

from . import selectors
from .charts import bar_chart_svg, hbar_chart_svg
from .selectors import MONTH, QUARTER, WEEK, Filters, Period


@dataclass(frozen=True)
class StatTable:
    """A table of figures: the first column names the row; the others are numbers or words."""

    table_id: str
    caption: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Section:
    slug: str
    title: str
    summary: str
    tables: list[StatTable] = field(default_factory=list)
    chart: SafeString | None = None
    notes: list[str] = field(default_factory=list)

    def table(self, table_id: str) -> StatTable | None:
        return next((table for table in self.tables if table.table_id == table_id), None)


SHORT_BASES = {
    "consent": "Consent",
    "vital_interests": "Vital interests",
    "public_task": "Public task",
    "legal_obligation": "Legal obligation",
    "safeguarding": "Safeguarding",
}


def _short(period: Period, kind: str) -> str:
    if kind == WEEK:
        return f"{period.start:%d %b}"
    if kind == QUARTER:
        return f"Q{(period.start.month - 1) // 3 + 1} {period.start:%y}"
    return f"{period.start:%b %y}"


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _range_words(filters: Filters) -> str:
    return f"{filters.start:%-d %B %Y} to {filters.end:%-d %B %Y}"


def _period_words(filters: Filters) -> str:
    return {WEEK: "week", MONTH: "month", QUARTER: "quarter"}[filters.period]


def volumes(filters: Filters, *, today: datetime.date) -> Section:
    rows = selectors.volumes(filters)
    sources, abouts = Concern.Source.choices, About.choices
    table = StatTable(
        "volumes",
        f"Concerns received each {_period_words(filters)}",
        [
            "Period",
            "Received",
            *(label for _, label in sources),
            *(label for _, label in abouts),
            "With signs",
        ],
        [
            [
                row.period.label,
                row.received,
                *(row.by_source.get(code, 0) for code, _ in sources),
                *(row.by_about.get(code, 0) for code, _ in abouts),
                row.signs,
            ]
            for row in rows
        ],
    )
    total = sum(row.received for row in rows)
    busiest = max(rows, key=lambda row: row.received, default=None)
    description = (
        f"Bar chart of concerns received each {_period_words(filters)}, {_range_words(filters)}: "
        f"{total:,} in all"
        + (f"; the most, {busiest.received:,}, in {busiest.period.label}" if busiest and total else "")
        + ". The table gives the same numbers."
    )
    return Section(
        "volumes",
        "Volumes and trends",
        "How many concerns arrived, from whom, about whom, and how many ticked a sign of exploitation.",
        [table],
        bar_chart_svg(
            chart_id="chart-volumes",
            bars=[(_short(row.period, filters.period), row.received) for row in rows],
            title=f"Concerns received each {_period_words(filters)}",
            description=description,
        ),
    )


def _clock_table(table_id: str, caption: str, first: str, rows: list[selectors.ClockRow]) -> StatTable:
    return StatTable(
        table_id,
        caption,
        [
            first,
            "Decided",
            "Within the clock",
            "Share within the clock",
            "Median time",
            "90th percentile time",
        ],
        [[r.label, r.decided, r.within, _pct(r.share), r.median, r.p90] for r in rows],
    )


def clock(filters: Filters, *, today: datetime.date) -> Section:
    by_team = selectors.clock_by_team(filters)
    by_period = selectors.clock_by_period(filters)
    teams_only = [row for row in by_team if row.team_id]
    described = "; ".join(f"{row.label} {_pct(row.share) or 'none decided'}" for row in teams_only)
    return Section(
        "clock",
        "Decided within the clock",
        "Of the concerns received in the period and decided, how many were decided within their statutory "
        "clock, and how long the decision took.",
        [
            _clock_table("clock-teams", "Decided within the clock, by team", "Team", by_team),
            _clock_table(
                "clock-periods",
                f"Decided within the clock, each {_period_words(filters)}",
                "Period",
                by_period,
            ),
        ],
        hbar_chart_svg(
            chart_id="chart-clock",
            bars=[(row.label, row.share or 0) for row in teams_only],
            title="Share of decided concerns decided within the statutory clock, by team",
            description=(
                f"Bar chart of the percentage of concerns received {_range_words(filters)} and decided that "
                f"were decided within the clock, by team: {described or 'no team'}. The table gives the same "
                "numbers with the median and 90th percentile time to decision."
            ),
            unit="%",
            top=100,
        ),
        [
            "Times are bucketed: “Within 4 hours” means the middle (or 90th percentile) concern was "
            "decided in more than 1 hour and no more than 4. The buckets are 1, 4 and 8 hours, and 1, 2, "
            "3, 5, 7 and 14 days.",
            "A concern shared with or routed to several teams counts in each of their rows, and once in "
            "the row for all teams.",
        ],
    )


def urgent(filters: Filters, *, today: datetime.date) -> Section:
    rows = selectors.urgent(filters)
    total = sum(row.urgent for row in rows)
    return Section(
        "urgent",
        "Urgent concerns",
        "Urgent concerns received, how many staff have acted on (assigned, noted, decided or shared), "
        "and how soon after the concern arrived.",
        [
            StatTable(
                "urgent",
                f"Urgent concerns each {_period_words(filters)}",
                ["Period", "Urgent", "Acted on", "Median time to first action", "90th percentile time"],
                [[r.period.label, r.urgent, r.actioned, r.median, r.p90] for r in rows],
            )
        ],
        bar_chart_svg(
            chart_id="chart-urgent",
            bars=[(_short(row.period, filters.period), row.urgent) for row in rows],
            title=f"Urgent concerns received each {_period_words(filters)}",
            description=(
                f"Bar chart of urgent concerns received each {_period_words(filters)}, "
                f"{_range_words(filters)}: "
                f"{total:,} in all. The table gives the same numbers with the time to first action."
            ),
        ),
        ["Times are bucketed, as for decisions: 1, 4 and 8 hours, and 1, 2, 3, 5, 7 and 14 days."],
    )


def repeats(filters: Filters, *, today: datetime.date) -> Section:
    rows = selectors.repeats(filters)
    total = sum(row.repeats for row in rows)
    return Section(
        "repeats",
        "Repeat concerns",
        "Concerns about a person at risk who was already in an earlier concern.",
        [
            StatTable(
                "repeats",
                f"Repeat concerns each {_period_words(filters)}",
                ["Period", "Received", "Repeat concerns", "Share that are repeats"],
                [[r.period.label, r.received, r.repeats, _pct(r.share)] for r in rows],
            )
        ],
        bar_chart_svg(
            chart_id="chart-repeats",
            bars=[(_short(row.period, filters.period), row.repeats) for row in rows],
            title=f"Repeat concerns each {_period_words(filters)}",
            description=(
                f"Bar chart of repeat concerns received each {_period_words(filters)}, "
                f"{_range_words(filters)}: "
                f"{total:,} in all. The table gives the same numbers beside all concerns received."
            ),
        ),
        [
            "A person at risk is matched on the keyed blind index of their full name that linking keeps, so "
            "nothing is decrypted; a concern whose people linking has not yet read counts as not a repeat."
        ],
    )


def shares(filters: Filters, *, today: datetime.date) -> Section:
    rows = selectors.shares(filters)
    bases = Concern.LawfulBasis.choices
    totals = {code: sum(row.by_basis.get(code, 0) for row in rows) for code, _ in bases}
    return Section(
        "shares",
        "Information shares",
        "Information about concerns shared with other agencies, by the day it was shared and its "
        "lawful basis.",
        [
            StatTable(
                "shares",
                f"Information shares each {_period_words(filters)}, by lawful basis",
                ["Period", *(label for _, label in bases), "All shares"],
                [[r.period.label, *(r.by_basis.get(code, 0) for code, _ in bases), r.total] for r in rows],
            )
        ],
        hbar_chart_svg(
            chart_id="chart-shares",
            bars=[(SHORT_BASES.get(code, label), totals[code]) for code, label in bases],
            title="Information shares by lawful basis",
            description=(
                f"Bar chart of information shares made {_range_words(filters)}, by lawful basis: "
                + "; ".join(f"{label} {totals[code]:,}" for code, label in bases)
                + ". The table gives them for each period."
            ),
        ),
    )


def queue(filters: Filters, *, today: datetime.date) -> Section:
    rows = selectors.queue_age(filters, today=today)
    return Section(
        "queue",
        "Open queue age",
        f"Concerns waiting for a decision today ({today:%-d %B %Y}), by how long ago they arrived. The date "
        "range does not apply here; the other filters do.",
        [
            StatTable(
                "queue",
                "Concerns waiting for a decision, by age",
                ["Received", "Waiting"],
                [[r.label, r.waiting] for r in rows],
            )
        ],
        hbar_chart_svg(
            chart_id="chart-queue",
            bars=[(r.label, r.waiting) for r in rows],
            title="Concerns waiting for a decision, by age",
            description=(
                "Bar chart of concerns waiting for a decision today by how long ago they arrived: "
                + "; ".join(f"{r.label.lower()} {r.waiting:,}" for r in rows)
                + "."
            ),
        ),
    )


# Each section's heading, as its page shows it (also when the filters have an error).
HEADINGS = {
    "volumes": "Volumes and trends",
    "clock": "Decided within the clock",
    "urgent": "Urgent concerns",
    "repeats": "Repeat concerns",
    "shares": "Information shares",
    "queue": "Open queue age",
}
SECTIONS: dict[str, tuple[str, Callable[..., Section]]] = {
    "volumes": ("Volumes and trends", volumes),
    "clock": ("Within the clock", clock),
    "urgent": ("Urgent concerns", urgent),
    "repeats": ("Repeat concerns", repeats),
    "shares": ("Information shares", shares),
    "queue": ("Open queue age", queue),
}
