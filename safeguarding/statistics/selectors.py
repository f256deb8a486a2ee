"""Reading statistics: a quarter's counts from the concerns app (aggregates only: nothing is decrypted)
and publications.

`quarter_figures` counts, with three grouped queries over plain columns (codes and dates):
- concerns received in the quarter, by who they were about and who reported them;
- the same concerns by whether any sign of exploitation was ticked (its row totals are the first
  table's, so both tables are protected together);
- decisions recorded in the quarter, by decision and who the concern was about.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from safeguarding.concerns.models import About, Concern, ConcernDecision, DecisionOption

from .disclosure import Equation, Release, Status
from .models import Publication, PublicationCell
from .quarters import Quarter

TOTAL = "all"
# Concerns made by load_demo carry this idempotency key prefix (safeguarding/demo).
DEMO_KEY_PREFIX = "demo-"

_ABOUT = [(code, label) for code, label in About.choices]
_ABOUT_SHORT = {"child": "A child", "adult": "An adult", "not_sure": "Not sure"}
_SOURCE = [("public", "Member of the public"), ("professional", "Professional"), ("api", "Agency system")]
_SIGNS = [("with_signs", "Signs of exploitation ticked"), ("without_signs", "No signs ticked")]


@dataclass
class Table:
    name: str
    caption: str
    row_heading: str
    rows: list[list[str]]  # [code, label], the total last
    columns: list[list[str]]

    def key(self, row: str, column: str) -> str:
        if self.name == "signs" and column == TOTAL:
            return f"received.{row}.{TOTAL}"  # the same figure as in the received table
        return f"{self.name}.{row}.{column}"

    def equations(self) -> list[Equation]:
        rows = [code for code, _ in self.rows[:-1]]
        columns = [code for code, _ in self.columns[:-1]]
        found = [Equation(self.key(r, TOTAL), tuple(self.key(r, c) for c in columns)) for r in rows]
        found += [Equation(self.key(TOTAL, c), tuple(self.key(r, c) for r in rows)) for c in columns]
        grand = self.key(TOTAL, TOTAL)
        found.append(Equation(grand, tuple(self.key(r, TOTAL) for r in rows)))
        found.append(Equation(grand, tuple(self.key(TOTAL, c) for c in columns)))
        return found

    def as_layout(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "caption": self.caption,
            "row_heading": self.row_heading,
            "rows": self.rows,
            "columns": self.columns,
        }


@dataclass
class Figures:
    """A quarter's counts: the tables, every figure by key, and the sums tying them together."""

    quarter: Quarter
    tables: list[Table]
    values: dict[str, int]
    is_demo: bool
    equations: list[Equation] = field(default_factory=list)


def _with_total(items: Sequence[tuple[str, str]], label: str = "Total") -> list[list[str]]:
    return [[code, label] for code, label in items] + [[TOTAL, label]]


def quarter_figures(*, quarter: Quarter) -> Figures:
    """Count the quarter's concerns and decisions (three aggregate queries, nothing decrypted)."""
    received = Concern.objects.filter(received_at__gte=quarter.start, received_at__lt=quarter.end)
    by_about_source = Counter(
        {
            (row["about"], row["source"]): row["n"]
            for row in received.order_by().values("about", "source").annotate(n=Count("id"))
        }
    )
    without_signs = Counter(
        {
            row["about"]: row["n"]
            for row in received.filter(Q(signs=[]) | Q(signs__isnull=True))
            .order_by()
            .values("about")
            .annotate(n=Count("id"))
        }
    )
    decisions = Counter(
        {
            (row["option_id"], row["concern__about"]): row["n"]
            for row in ConcernDecision.objects.filter(
                decided_at__gte=quarter.start, decided_at__lt=quarter.end
            )
            .order_by()
            .values("option_id", "concern__about")
            .annotate(n=Count("id"))
        }
    )
    used = {option for option, _ in decisions}
    options = list(DecisionOption.objects.filter(Q(active=True) | Q(pk__in=used)).order_by("order", "name"))

    about = [(code, _ABOUT_SHORT.get(code, label)) for code, label in _ABOUT]
    tables = [
        Table("received", "Concerns received, by who they were about and who reported them",
              "Who the concern was about", _with_total(about), _with_total(_SOURCE)),
        Table("signs", "Concerns received, by whether the reporter ticked any sign of exploitation",
              "Who the concern was about", _with_total(about), _with_total(_SIGNS)),
        Table("decisions", "Decisions made, by decision and who the concern was about",
              "Decision", _with_total([(option.code, option.name) for option in options]),
              _with_total(about)),
    ]  # fmt: skip
    interior: dict[str, int] = {}
    for a, _ in about:
        for s, _ in _SOURCE:
            interior[tables[0].key(a, s)] = by_about_source[(a, s)]
        total = sum(by_about_source[(a, s)] for s, _ in _SOURCE)
        interior[tables[1].key(a, "without_signs")] = without_signs[a]
        interior[tables[1].key(a, "with_signs")] = total - without_signs[a]
    for option in options:
        for a, _ in about:
            interior[tables[2].key(option.code, a)] = decisions[(option.pk, a)]
    values = dict(interior)
    for table in tables:
        rows = [code for code, _ in table.rows[:-1]]
        columns = [code for code, _ in table.columns[:-1]]
        for r in rows:
            values[table.key(r, TOTAL)] = sum(interior[table.key(r, c)] for c in columns)
        for c in columns:
            values[table.key(TOTAL, c)] = sum(interior[table.key(r, c)] for r in rows)
        values[table.key(TOTAL, TOTAL)] = sum(values[table.key(r, TOTAL)] for r in rows)
    equations = [equation for table in tables for equation in table.equations()]
    is_demo = received.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists()
    return Figures(quarter, tables, values, is_demo, equations)


def publication_release(publication: Publication) -> Release:
    """What a publication showed, as disclosure control reads it (for a later one of its quarter)."""
    cells = {cell.key: cell for cell in publication.cells.all()}
    return Release(
        values={key: cell.value for key, cell in cells.items()},
        statuses={key: Status(cell.status) for key, cell in cells.items()},
        shown={key: cell.shown for key, cell in cells.items()},
        threshold=publication.threshold,
        rounding=publication.rounding,
    )


def publications_earlier(*, quarter: Quarter) -> QuerySet[Publication]:
    """Every publication of the quarter the public has seen (published now, or once and withdrawn)."""
    return Publication.objects.filter(quarter=str(quarter), published_at__isnull=False).order_by(
        "published_at"
    )


def publications_published() -> QuerySet[Publication]:
    return Publication.objects.filter(state=Publication.State.PUBLISHED).order_by("-quarter")


def publication_published(*, quarter: Quarter) -> Publication | None:
    return publications_published().filter(quarter=str(quarter)).first()


def publications_by_quarter(*, quarters: Sequence[Quarter]) -> dict[str, list[Publication]]:
    found: dict[str, list[Publication]] = {str(quarter): [] for quarter in quarters}
    for publication in Publication.objects.filter(quarter__in=list(found)).order_by("-prepared_at"):
        found[publication.quarter].append(publication)
    return found


@dataclass
class ShownTable:
    """A table of a publication as a page shows it: rows of (label, [(text, status, true count)])."""

    name: str
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[tuple[str, str, int]]]]


def publication_tables(*, publication: Publication, threshold_label: str) -> list[ShownTable]:
    cells: dict[tuple[str, str, str], PublicationCell] = {
        (cell.table, cell.row, cell.column): cell for cell in publication.cells.all()
    }
    return tables_shown(
        layout=publication.layout,
        figure=lambda table, row, column: cells[(table, row, column)],
        threshold_label=threshold_label,
    )


def tables_shown(*, layout: list[dict[str, Any]], figure: Any, threshold_label: str) -> list[ShownTable]:
    shown = []
    for table in layout:
        rows = []
        for row_code, row_label in table["rows"]:
            line = []
            for column_code, _ in table["columns"]:
                cell = figure(table["name"], row_code, column_code)
                line.append((_text(cell.status, cell.shown, threshold_label), cell.status, cell.value))
            rows.append((row_label, line))
        shown.append(
            ShownTable(
                table["name"],
                table["caption"],
                table["row_heading"],
                [label for _, label in table["columns"]],
                rows,
            )
        )
    return shown


def _text(status: str, shown: int | None, threshold_label: str) -> str:
    if status == Status.FEWER:
        return threshold_label
    if status == Status.WITHHELD:
        return "withheld"
    return f"{shown:,}"
