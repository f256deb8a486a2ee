"""CSV and XLSX exports of actions, safe to open in a spreadsheet, and the audit record of each export.

Spreadsheet programs run a cell that starts with =, +, - or @ as a formula (and tab or carriage
return can hide one), so a description typed as `=HYPERLINK(...)` could run on a colleague's machine.
In CSV such a value gets a leading single quote, which spreadsheets show as text. In XLSX every text
value is written as a string cell, never a formula, so the text is kept exactly as typed.

CSV is streamed row by row; XLSX is built with openpyxl's write-only mode, which keeps memory flat.
Neither issues a query per row: `selectors.export_actions` brings everything in one query.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from ..models import Action, Rag
from .selectors import ExportAnnotations, Scope

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "Review",
    "Recommendation reference",
    "Recommendation title",
    "Action ID",
    "Description",
    "Owner agency",
    "Lead",
    "Due date",
    "Status",
    "RAG",
    "RAG override",
    "Evidence waiting for review",
    "Evidence accepted",
    "Evidence returned",
    "Last updated",
]
RAG_LABELS = dict(Rag.choices)
STATUS_LABELS = dict(Action.Status.choices)


def action_row(action: "WithAnnotations[Action, ExportAnnotations]") -> list[Any]:
    """One action as export values: text, numbers, dates (naive local time for the last update)."""
    recommendation = action.recommendation
    lead = action.lead
    return [
        recommendation.review.short_title or recommendation.review.title,
        recommendation.reference,
        recommendation.title,
        action.pk,
        action.description,
        action.owner_agency.name,
        (lead.get_full_name() or lead.get_username()) if lead else "",
        action.due_date,
        STATUS_LABELS.get(action.status, action.status),
        RAG_LABELS.get(action.rag, action.rag),
        "Yes" if action.rag_override else "No",
        action.evidence_submitted,
        action.evidence_accepted,
        action.evidence_returned,
        timezone.localtime(action.updated_at).replace(tzinfo=None, microsecond=0),
    ]


def csv_safe(value: Any) -> str:
    """The value as CSV text, with a leading quote on anything a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Line:
    """A file-like object whose write() hands back the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """The header and each row as a CSV line, starting with a byte-order mark so Excel reads UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([csv_safe(value) for value in row])


def _xlsx_cell(sheet: Any, value: Any) -> Cell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, whatever it starts with: never a formula
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_bytes(rows: Iterable[list[Any]], *, sheet_title: str = "Actions") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append([_xlsx_cell(sheet, name) for name in COLUMNS])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(*, scope: Scope, extension: str, today: datetime.date, what: str = "actions") -> str:
    """A filename from ids and the date only: no names, nothing personal."""
    parts = [what, *(f"{key}-{value}" for key, value in sorted(scope.filters.items())), today.isoformat()]
    return "-".join(parts) + "." + extension


def export_record(*, user: Any, scope: Scope, what: str, file_format: str, rows: int | None = None) -> None:
    """Audit an export: who, what, in which format, with which filters. Never the content."""
    target = scope.review or scope.board or scope.agency
    data: dict[str, Any] = {"export": what, "format": file_format, "filters": scope.filters}
    if rows is not None:
        data["rows"] = rows
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=user,
        target=target,
        summary=f"Exported {what} ({file_format.upper()}): {scope.title}",
        data=data,
    )
