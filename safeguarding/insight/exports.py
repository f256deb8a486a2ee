"""CSV and XLSX files of one insight table, safe to open in a spreadsheet, and the audit of each.

Cells are counts, percentages, bucket names and period labels, but a team or decision option is
named by administrators, so every text cell goes through the tracker's formula guard: in CSV a
leading quote before =, +, -, @, tab or carriage return; in XLSX a string cell, never a formula.
"""

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.tracker.dashboards.exports import csv_safe

from .sections import StatTable
from .selectors import Filters


class _Line:
    def write(self, value: str) -> str:
        return value


def csv_text(table: StatTable) -> str:
    writer = csv.writer(_Line())
    lines: Iterator[str] = (writer.writerow([csv_safe(value) for value in row]) for row in table.rows)
    return "\ufeff" + writer.writerow([csv_safe(c) for c in table.columns]) + "".join(lines)


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text, whatever it starts with: never a formula
        return cell
    return WriteOnlyCell(sheet, value=value)


def xlsx_bytes(table: StatTable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.table_id[:31])
    sheet.append([_cell(sheet, name) for name in table.columns])
    for row in table.rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(*, table: StatTable, filters: Filters, extension: str) -> str:
    """Codes and dates only: nothing personal, nothing typed."""
    span = f"{filters.start.isoformat()}-to-{filters.end.isoformat()}"
    return f"concern-statistics-{table.table_id}-{span}.{extension}"


def export_record(*, user: Any, section: str, table: StatTable, filters: Filters, file_format: str) -> None:
    """Audit an export: who, which table, which format and filters. Never the figures."""
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        actor=user,
        summary=f"Exported concern statistics ({file_format.upper()}): {table.caption}",
        data={
            "export": f"insight:{section}:{table.table_id}",
            "format": file_format,
            "filters": filters.as_query(),
            "rows": len(table.rows),
        },
    )
