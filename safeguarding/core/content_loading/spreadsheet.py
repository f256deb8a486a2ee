"""Reading the first worksheet of a CSV or XLSX file into rows of trimmed text.

CSV must be UTF-8 (a byte order mark is fine). XLSX is checked before it is opened: its size, and the
uncompressed sizes its zip directory declares (Python's zipfile never inflates a member beyond its
declared size, so checking the declared total bounds the memory used). It is then read with openpyxl
in read-only mode with cached values only, so formulas are never evaluated, and openpyxl parses the
XML through defusedxml. Only the first worksheet is read.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from .errors import ContentLoadError, ContentProblem
from .source import file_read_bytes, utf8_position

MAX_XLSX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100


@dataclass(frozen=True)
class SheetRow:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: list[str]


@dataclass(frozen=True)
class Sheet:
    file: str
    headers: list[str]
    rows: list[SheetRow]


def _fail(file: str, message: str, row: int | None = None) -> ContentLoadError:
    return ContentLoadError([ContentProblem(file, message, row=row)])


def _sheet_from_rows(file: str, rows: list[list[str]]) -> Sheet:
    if not rows or not any(rows[0]):
        raise _fail(file, "the first row must hold the column headers, such as reference and title", row=1)
    if len(rows) > MAX_ROWS:
        raise _fail(file, f"the sheet has more than {MAX_ROWS} rows")
    width = max(len(row) for row in rows)
    if width > MAX_COLUMNS:
        raise _fail(file, f"the sheet has more than {MAX_COLUMNS} columns")
    padded = [row + [""] * (width - len(row)) for row in rows]
    body = [SheetRow(number=index + 2, cells=cells) for index, cells in enumerate(padded[1:]) if any(cells)]
    return Sheet(file=file, headers=padded[0], rows=body)


def _csv_rows(data: bytes, file: str) -> list[list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_position(data, exc.start)
        # The row is the CSV record that holds the bad byte (a quoted cell may span lines).
        prefix = data[: exc.start].decode("utf-8")
        row = max(1, sum(1 for _ in csv.reader(io.StringIO(prefix, newline=""))))
        raise ContentLoadError(
            [
                ContentProblem(
                    file,
                    f"the file is not UTF-8 text (line {line}, character {column}): "
                    "save it as CSV UTF-8 and try again",
                    row=row,
                )
            ]
        ) from None
    if "\x00" in text:
        # A NUL character cannot be stored in PostgreSQL text, and never belongs in a cell.
        row = sum(1 for _ in csv.reader(io.StringIO(text[: text.index("\x00")], newline=""))) or 1
        raise _fail(file, "the file holds a NUL character: it may not be a CSV file", row=row)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for record in reader:
            rows.append([cell.strip() for cell in record])
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise _fail(file, f"this is not a readable CSV file ({exc})", row=reader.line_num) from None
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes, file: str) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _fail(
            file, "this is not an XLSX workbook (save it as Excel Workbook .xlsx, or as CSV UTF-8)"
        ) from None
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise _fail(
            file,
            f"the workbook would expand to {expanded // (1024 * 1024)} MB when opened; the limit is "
            f"{MAX_XLSX_EXPANDED_BYTES // (1024 * 1024)} MB",
        )
    rows: list[list[str]] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            worksheet = workbook.worksheets[0]
            # Ignore the declared dimensions: a false one would make openpyxl pad with empty rows.
            worksheet.reset_dimensions()
            for values in worksheet.iter_rows(values_only=True):
                rows.append([_cell_text(value) for value in values[: MAX_COLUMNS + 1]])
                if len(rows) > MAX_ROWS:
                    break
        finally:
            workbook.close()
    except ContentLoadError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a damaged workbook
        raise _fail(file, "this workbook cannot be read: it may be damaged, or not an .xlsx file") from None
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def sheet_read(*, path: Path) -> Sheet:
    """The first worksheet of a .csv or .xlsx file, or a ContentLoadError naming the problem."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise _fail(file, "give a .csv file (CSV UTF-8) or an .xlsx workbook")
    data = file_read_bytes(path=path)
    rows = _csv_rows(data, file) if suffix == ".csv" else _xlsx_rows(data, file)
    return _sheet_from_rows(file, rows)
