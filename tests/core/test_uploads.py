"""Uploaded files (tracker evidence, concern attachments): checked by content, size and name before
anything is stored."""

import io

import pytest

from safeguarding.core import uploads
from safeguarding.core.uploads import UploadRefused, upload_check
from tests.samples import EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, XLSX_MAIN, odf, ooxml


def check(data: bytes, name: str) -> uploads.CheckedFile:
    return upload_check(io.BytesIO(data), name=name, folder="evidence")


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF_BYTES, "register.pdf", "application/pdf"),
        (PDF_BYTES, "REGISTER.PDF", "application/pdf"),
        (PNG_BYTES, "chart.png", "image/png"),
        (JPEG_BYTES, "photo of poster.jpeg", "image/jpeg"),
        (JPEG_BYTES, "poster.jpg", "image/jpeg"),
        (ooxml(), "minutes.docx", uploads.DOCX.content_type),
        (ooxml(XLSX_MAIN, "xl/workbook.xml"), "tracker.xlsx", uploads.XLSX.content_type),
        (odf(uploads.ODT.content_type), "minutes.odt", uploads.ODT.content_type),
        (odf(uploads.ODS.content_type), "figures.ods", uploads.ODS.content_type),
        ("Notes from the session \u2013 5 staff\n".encode(), "notes.txt", "text/plain; charset=utf-8"),
        (b"name,date\nSession 1,2027-01-04\n", "sessions.csv", "text/csv; charset=utf-8"),
    ],
)
def test_allowed_files_are_recognised_by_their_content(data, name, content_type):
    checked = check(data, name)
    assert checked.file_type.content_type == content_type
    assert checked.size == len(data)
    assert checked.stored_name.startswith("evidence/")
    assert checked.stored_name.endswith(checked.file_type.extensions[0])
    assert name.rsplit(".", 1)[0] not in checked.stored_name


def test_stored_names_are_random():
    assert check(PDF_BYTES, "a.pdf").stored_name != check(PDF_BYTES, "a.pdf").stored_name


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF_BYTES, "register.docx", "is called a Word document but its contents are a PDF"),
        (EXE_BYTES, "register.pdf", "is not a type of file that can be uploaded"),
        (PDF_BYTES, "../../etc/passwd.pdf", "looks like a path"),
        (PDF_BYTES, "..\\windows\\evil.pdf", "looks like a path"),
        (PDF_BYTES, ".hidden.pdf", "looks like a path"),
        (PDF_BYTES, "report\x00.pdf", "hidden characters"),
        (PDF_BYTES, "a" * 200 + ".pdf", "too long"),
        (PDF_BYTES, "register.exe", "cannot be uploaded"),
        (PDF_BYTES, "register", "with no extension"),
        (b"", "empty.pdf", "The file is empty"),
        (b"abc\x00def", "notes.txt", "is not a type of file that can be uploaded"),
        (b"\xff\xfe\x00b\xc3", "notes.txt", "is not a type of file that can be uploaded"),
        (b"PK\x03\x04 not really a zip", "minutes.docx", "damaged"),
        (ooxml(extra={"word/vbaProject.bin": "macro"}), "minutes.docx", "macros"),
        (ooxml(extra={"word/embeddings/inner.xlsx": ooxml()}), "minutes.docx", "another compressed file"),
        (ooxml(main_type="application/xml"), "minutes.docx", "is not a type of file that can be uploaded"),
    ],
)
def test_refusals_say_why(data, name, message):
    with pytest.raises(UploadRefused, match=message):
        check(data, name)


def test_a_zip_bomb_docx_is_refused():
    bomb = ooxml(extra={"word/media/padding.xml": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # tiny on disk, 30 MB when opened
    with pytest.raises(UploadRefused, match="zip bomb"):
        check(bomb, "minutes.docx")


def test_a_zip_with_too_much_declared_content_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(UploadRefused, match="zip bomb"):
        check(ooxml(extra={"word/styles.xml": "x" * 2000}), "minutes.docx")


def test_a_zip_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRIES", 5)
    with pytest.raises(UploadRefused, match="more than 5 parts"):
        check(ooxml(extra={f"word/part{n}.xml": "x" for n in range(10)}), "minutes.docx")


class CountingFile(io.BytesIO):
    """Counts the bytes read, to show an oversize file is not read to its end."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def test_an_oversize_file_is_refused_after_reading_at_most_one_byte_past_the_cap():
    data = PDF_BYTES + b"0" * (uploads.MAX_UPLOAD_BYTES + 5 * 1024 * 1024)
    handle = CountingFile(data)
    with pytest.raises(UploadRefused, match="smaller than 20 MB"):
        upload_check(handle, name="big.pdf", folder="evidence")
    assert handle.read_bytes == uploads.MAX_UPLOAD_BYTES + 1


def test_a_file_exactly_at_the_cap_is_accepted():
    data = PDF_BYTES + b"0" * (uploads.MAX_UPLOAD_BYTES - len(PDF_BYTES))
    assert check(data, "big.pdf").size == uploads.MAX_UPLOAD_BYTES


def test_display_names_are_cleaned():
    assert check(PDF_BYTES, "Minutes <draft> & notes.pdf").display_name == "Minutes _draft_ _ notes.pdf"


# --- Through the page: refused files leave nothing behind -----------------------------------------
