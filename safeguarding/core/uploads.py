"""Checks on an uploaded file (tracker evidence, concern attachments) before anything is stored.

A file is accepted only when:
- it is no bigger than MAX_UPLOAD_BYTES (we read at most one byte more than that);
- its contents are one of the types below, recognised from its bytes, never from its name;
- its name's extension agrees with those contents, and the name is a plain file name;
- for the zip-based office formats, it is not a zip bomb: few enough entries, a sensible total
  uncompressed size and compression ratio, no zip inside the zip, and no macros.

A refused file raises UploadRefused with a message for the person uploading. An accepted file is
stored under a random name in its folder (`stored_name`); the cleaned original name is kept for display only.
"""

import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from defusedxml import ElementTree

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The largest request a page with an upload takes: the file and room for the rest of its form.
UPLOAD_REQUEST_MAX_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 150  # uncompressed size / compressed size, for an entry bigger than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 150
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (".pdf",))
PNG = FileType("PNG image", "image/png", (".png",))
JPEG = FileType("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = FileType(
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ODT = FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
TEXT = FileType("text file", "text/plain; charset=utf-8", (".txt",))
CSV = FileType("CSV file", "text/csv; charset=utf-8", (".csv",))

ALLOWED_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, TEXT, CSV)
ALLOWED_EXTENSIONS = tuple(ext for file_type in ALLOWED_TYPES for ext in file_type.extensions)
ALLOWED_DESCRIPTION = (
    "a PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument text or spreadsheet, text or CSV file"
)

# The main part of each Office Open XML format, as [Content_Types].xml declares it.
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
_ZIP_MAGIC = b"PK\x03\x04"


class UploadRefused(ValueError):
    """A file we will not store, with a message that says why in plain words."""


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    display_name: str
    size: int
    stored_name: str  # random, under the folder asked for, with the type's own extension


def upload_check(file: IO[bytes], *, name: str, folder: str) -> CheckedFile:
    """Check an uploaded file and say how to store it in `folder`, or raise UploadRefused. Stores nothing."""
    display_name, extension = _name_check(name)
    size = _size_check(file)
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    file_type = _detect(file, head, size, extension)
    if file_type is None:
        raise UploadRefused(
            f"“{display_name}” is not a type of file that can be uploaded. Upload {ALLOWED_DESCRIPTION}."
        )
    if extension not in file_type.extensions:
        claimed = next((t for t in ALLOWED_TYPES if extension in t.extensions), None)
        if claimed is None:
            raise UploadRefused(
                f"“{display_name}” has a name ending {extension or 'with no extension'}, which cannot be "
                f"uploaded. Upload {ALLOWED_DESCRIPTION}."
            )
        raise UploadRefused(
            f"“{display_name}” is called a {claimed.label} but its contents are a {file_type.label}. "
            f"Check you chose the right file, or rename it to end {file_type.extensions[0]}."
        )
    stored_name = f"{folder}/{secrets.token_hex(16)}{file_type.extensions[0]}"
    return CheckedFile(file_type=file_type, display_name=display_name, size=size, stored_name=stored_name)


def _name_check(name: str) -> tuple[str, str]:
    """The cleaned name for display and its lower-case extension; refuses names that try to be paths."""
    if not name or not name.strip():
        raise UploadRefused("The file has no name. Rename it and upload it again.")
    if "/" in name or "\\" in name or name.strip().startswith(".") or ".." in name:
        raise UploadRefused(
            "The file's name looks like a path to another place, not a file name. "
            "Rename it to a plain name such as report.pdf and upload it again."
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused("The file's name contains hidden characters. Rename it and upload it again.")
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(
            f"The file's name is too long. Rename it to {MAX_NAME_LENGTH} characters or fewer."
        )
    cleaned = re.sub(r"[^\w .()\-]", "_", name.strip())
    extension = ""
    if "." in cleaned:
        extension = "." + cleaned.rsplit(".", 1)[1].lower()
    return cleaned, extension


def _size_check(file: IO[bytes]) -> int:
    """Count the bytes, reading no more than one past the cap."""
    file.seek(0)
    size = 0
    while size <= MAX_UPLOAD_BYTES:
        chunk = file.read(min(_CHUNK, MAX_UPLOAD_BYTES + 1 - size))
        if not chunk:
            break
        size += len(chunk)
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if size == 0:
        raise UploadRefused("The file is empty. Choose a file with something in it.")
    return size


def _detect(file: IO[bytes], head: bytes, size: int, extension: str) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_MAGIC):
        return _zip_type(file)
    return _text_type(file, size, extension)


def _text_type(file: IO[bytes], size: int, extension: str) -> FileType | None:
    """Plain text: valid UTF-8 with no NUL bytes. The same bytes may be text or CSV: the name decides."""
    file.seek(0)
    data = file.read(size)
    file.seek(0)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return CSV if extension == ".csv" else TEXT


def _zip_type(file: IO[bytes]) -> FileType | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _zip_bomb_check(archive, entries)
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                return _ooxml_type(archive, names)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise UploadRefused(
            "The file is damaged and cannot be opened. Save it again and upload it."
        ) from error
    finally:
        file.seek(0)
    return None


def _zip_bomb_check(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    bomb = (
        "The file expands to far more than its size when opened, as a “zip bomb” does, so it cannot be "
        "uploaded. Save it as a PDF and upload that instead."
    )
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRefused(f"The file holds more than {MAX_ZIP_ENTRIES} parts, so it cannot be uploaded.")
    if sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise UploadRefused(bomb)
    for entry in entries:
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > MAX_ZIP_RATIO * max(
            entry.compress_size, 1
        ):
            raise UploadRefused(bomb)
        if entry.filename.lower().endswith("vbaproject.bin"):
            raise UploadRefused("The file contains macros, which cannot be uploaded. Save it without macros.")
        if entry.is_dir() or entry.file_size < 4:
            continue
        with archive.open(entry) as member:
            if member.read(4) == _ZIP_MAGIC:
                raise UploadRefused(
                    "The file has another compressed file inside it (for example an embedded spreadsheet), "
                    "so it cannot be uploaded. Save it as a PDF and upload that instead."
                )


def _ooxml_type(archive: zipfile.ZipFile, names: set[str]) -> FileType | None:
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > 1024 * 1024:
        return None
    try:
        root = ElementTree.fromstring(archive.read(info))
    except Exception:  # noqa: BLE001  (defusedxml raises several kinds; all mean "not a document")
        return None
    found = None
    for element in root:
        content_type = element.get("ContentType", "")
        part = element.get("PartName", "").lstrip("/")
        if content_type in _OOXML_MAIN_PARTS and part in names:
            found = _OOXML_MAIN_PARTS[content_type]
        if "macroEnabled" in content_type:
            raise UploadRefused("The file contains macros, which cannot be uploaded. Save it without macros.")
    return found
