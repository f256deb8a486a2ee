"""Recommendations and action plans from a spreadsheet (CSV or XLSX), for a review already loaded.

The column layout is documented in docs/review-pack.md. Each row adds or updates one recommendation,
matched by its reference; `replaces_reference` renames a recommendation, so that a provisional
reference such as N1 becomes the report's own number. Recommendations the sheet does not mention are
left as they are: a partnership may import its local recommendations on their own.

As with packs, everything is checked before anything is written, and a re-import changes nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import TextChoices

from safeguarding.core.content_loading.errors import ContentLoadError, ContentProblem, column_letter
from safeguarding.core.content_loading.spreadsheet import Sheet, SheetRow, sheet_read
from safeguarding.core.content_loading.sync import ChangeSummary, record_upsert, relations_sync
from safeguarding.partnership.models import Agency
from safeguarding.reviews.models import Recommendation, Review, Theme
from safeguarding.reviews.search import search_index_review


@dataclass
class _Lookups:
    agencies: dict[str, int]
    themes: dict[str, int]
    findings: dict[str, int]


Parser = Callable[[str, _Lookups], Any]


def _norm(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def _text(max_length: int | None = None, *, required: bool = False) -> Parser:
    def parse(raw: str, lookups: _Lookups) -> str:
        if required and not raw:
            raise ValueError("this cell must not be empty")
        if max_length and len(raw) > max_length:
            raise ValueError(f"this is {len(raw)} characters long; the limit is {max_length}")
        return raw

    return parse


def _choice(choices: type[TextChoices], *, default: str | None = None) -> Parser:
    accepted = {}
    for value, label in choices.choices:
        accepted[_norm(value)] = value
        accepted[_norm(str(label))] = value
    listed = ", ".join(f"{value} ({label})" for value, label in choices.choices)

    def parse(raw: str, lookups: _Lookups) -> str:
        if not raw:
            if default is None:
                raise ValueError(f"this cell must not be empty: use one of {listed}")
            return default
        if _norm(raw) not in accepted:
            raise ValueError(f"{raw!r} is not one of {listed}")
        return accepted[_norm(raw)]

    return parse


def _items(raw: str, separator: str) -> list[str]:
    return [item.strip() for item in raw.split(separator) if item.strip()]


def _slugs(kind: str, table: str) -> Parser:
    def parse(raw: str, lookups: _Lookups) -> set[int]:
        known: dict[str, int] = getattr(lookups, table)
        ids = set()
        for item in _items(raw, ";"):
            if item.lower() not in known:
                raise ValueError(f"there is no {kind} {item!r} (give its short name (slug) or full name)")
            ids.add(known[item.lower()])
        return ids

    return parse


def _finding(raw: str, lookups: _Lookups) -> int | None:
    if not raw:
        return None
    if raw not in lookups.findings:
        raise ValueError(f"the review has no finding {raw!r}")
    return lookups.findings[raw]


def _questions(raw: str, lookups: _Lookups) -> list[str]:
    return _items(raw, "|")


@dataclass(frozen=True)
class _Column:
    field: str  # the Recommendation attribute (or relation) it fills
    parse: Parser
    required: bool = False


COLUMNS: dict[str, _Column] = {
    "reference": _Column("reference", _text(20, required=True), required=True),
    "replaces_reference": _Column("", _text(20)),
    "title": _Column("title", _text(300, required=True), required=True),
    "recommendation": _Column("text", _text(required=True), required=True),
    "finding": _Column("finding_id", _finding),
    "why": _Column("why", _text()),
    "addressee": _Column("addressee", _choice(Recommendation.Addressee), required=True),
    "addressed_to": _Column("addressed_to", _text(200)),
    "audience": _Column("audience", _choice(Recommendation.Audience), required=True),
    "lead_agencies": _Column("lead_agencies", _slugs("agency", "agencies")),
    "themes": _Column("themes", _slugs("theme", "themes")),
    "public_status": _Column("public_status", _choice(Recommendation.PublicStatus, default="not_known")),
    "public_status_note": _Column("public_status_note", _text()),
    "what_changed": _Column("what_changed", _text()),
    "practice_learning": _Column("practice_learning", _text()),
    "reflective_questions": _Column("reflective_questions", _questions),
}
RELATIONS = {"lead_agencies", "themes"}


@dataclass
class _RowPlan:
    row: SheetRow
    target: Recommendation | None
    values: dict[str, Any]
    relations: dict[str, set[int]] = field(default_factory=dict)


@dataclass
class CheckedSheet:
    file: str
    review: Review
    rows: list[_RowPlan]


def _columns(sheet: Sheet) -> tuple[dict[str, int], list[ContentProblem]]:
    columns: dict[str, int] = {}
    problems = []
    for index, header in enumerate(sheet.headers):

        def header_problem(message: str, index: int = index, header: str = header) -> ContentProblem:
            return ContentProblem(
                sheet.file, message, row=1, column_letter=column_letter(index), header=header or None
            )

        name = _norm(header)
        if not name:
            if any(row.cells[index] for row in sheet.rows):
                problems.append(header_problem("this column has values but no header"))
        elif name not in COLUMNS:
            problems.append(header_problem(f"unknown column: the columns are {', '.join(COLUMNS)}"))
        elif name in columns:
            problems.append(
                header_problem(f"this column is already given in column {column_letter(columns[name])}")
            )
        else:
            columns[name] = index
    for name, column in COLUMNS.items():
        if column.required and name not in columns:
            problems.append(ContentProblem(sheet.file, f"the required column {name!r} is missing", row=1))
    return columns, problems


def _lookups(review: Review) -> _Lookups:
    agencies: dict[str, int] = {}
    for pk, slug, name in Agency.objects.values_list("pk", "slug", "name"):
        agencies[slug.lower()] = pk
        agencies[name.lower()] = pk
    themes: dict[str, int] = {}
    for pk, slug, name in Theme.objects.values_list("pk", "slug", "name"):
        themes[slug.lower()] = pk
        themes[name.lower()] = pk
    findings = dict(review.findings.values_list("reference", "pk"))
    return _Lookups(agencies=agencies, themes=themes, findings=findings)


def recommendations_sheet_check(*, review: Review, path: Path) -> CheckedSheet:
    """The sheet read and every cell checked, or a ContentLoadError listing every problem."""
    sheet = sheet_read(path=path)
    columns, problems = _columns(sheet)
    if problems:
        raise ContentLoadError(problems)

    def problem(row: SheetRow, name: str, message: str) -> ContentProblem:
        index = columns[name]
        return ContentProblem(
            sheet.file,
            message,
            row=row.number,
            column_letter=column_letter(index),
            header=sheet.headers[index],
        )

    lookups = _lookups(review)
    existing = {r.reference: r for r in review.recommendations.prefetch_related("lead_agencies", "themes")}
    plans: list[_RowPlan] = []
    first_row_of: dict[str, int] = {}
    targeted_by: dict[int, int] = {}
    for row in sheet.rows:
        values: dict[str, Any] = {}
        relations: dict[str, set[int]] = {}
        row_problems = []
        for name, index in columns.items():
            column = COLUMNS[name]
            try:
                parsed = column.parse(row.cells[index], lookups)
            except ValueError as exc:
                row_problems.append(problem(row, name, str(exc)))
                continue
            if name in RELATIONS:
                relations[name] = parsed
            elif column.field:
                values[column.field] = parsed
        problems += row_problems
        if row_problems:
            continue
        reference = values["reference"]
        replaces = row.cells[columns["replaces_reference"]] if "replaces_reference" in columns else ""
        if reference in first_row_of:
            problems.append(
                problem(
                    row,
                    "reference",
                    f"{reference!r} is on row {first_row_of[reference]} and row {row.number}",
                )
            )
            continue
        first_row_of[reference] = row.number
        target = existing.get(reference)
        if replaces and replaces != reference:
            replaced = existing.get(replaces)
            if replaced is not None and target is not None:
                problems.append(
                    problem(
                        row,
                        "replaces_reference",
                        f"the review already has both {reference!r} and {replaces!r}: "
                        "a recommendation can only be renamed to a reference not in use",
                    )
                )
                continue
            if replaced is None and target is None:
                problems.append(
                    problem(row, "replaces_reference", f"the review has no recommendation {replaces!r}")
                )
                continue
            if target is None:
                target = replaced
                values["reference_is_provisional"] = False
        if target is None:
            values["reference_is_provisional"] = False
        else:
            if target.pk in targeted_by:
                problems.append(
                    problem(
                        row,
                        "reference",
                        f"row {targeted_by[target.pk]} already changes recommendation {target.reference!r}",
                    )
                )
                continue
            targeted_by[target.pk] = row.number
        plans.append(_RowPlan(row=row, target=target, values=values, relations=relations))
    if problems:
        raise ContentLoadError(problems)
    return CheckedSheet(file=sheet.file, review=review, rows=plans)


def recommendations_sheet_write(*, checked: CheckedSheet, summary: ChangeSummary) -> bool:
    """Write a checked sheet. Call inside a transaction. Returns whether anything changed."""
    review = checked.review
    changed = False
    for order, plan in enumerate(checked.rows):
        values = {"review_id": review.pk, "order": order, **plan.values}
        recommendation, saved = record_upsert(
            model=Recommendation, existing=plan.target, values=values, summary=summary
        )
        changed |= saved
        changed |= relations_sync(record=recommendation, wanted=plan.relations, saved=saved, summary=summary)
    if changed:
        search_index_review(review=review)
    return changed
