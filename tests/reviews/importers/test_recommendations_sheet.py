"""Spreadsheet imports of recommendations (CSV and XLSX): columns, rows, errors, safety, idempotency."""

import io
import re
import time
import zipfile

import openpyxl
import pytest

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.reviews.services import recommendations_import, review_packs_load

from .helpers import TESTBOROUGH_ACTION_PLAN, TESTBOROUGH_REVIEW, db_counts, db_snapshot, write

SLUG = "testborough-sar-2024"
HEADER = "reference,title,recommendation,addressee,audience"


@pytest.fixture
def review(testborough) -> Review:
    review_packs_load(paths=[TESTBOROUGH_REVIEW])
    return Review.objects.get(slug=SLUG)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _problems(caught: pytest.ExceptionInfo[ContentLoadError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def test_replaces_reference_turns_a_provisional_reference_into_the_reports_number(review):
    summary = recommendations_import(review_slug=SLUG, path=TESTBOROUGH_ACTION_PLAN)

    assert sorted(review.recommendations.values_list("reference", flat=True)) == ["7", "8", "N2"]
    seven = review.recommendations.get(reference="7")
    assert seven.reference_is_provisional is False
    assert seven.public_status == "progressed_in_full"
    assert seven.reflective_questions == ["Who else might know?", "What do we share?"]
    assert sorted(a.slug for a in seven.lead_agencies.all()) == ["testborough-health", "testborough-police"]
    # The renamed recommendation keeps what the sheet does not mention, such as its resources.
    assert [r.title for r in seven.resources.all()] == ["Information sharing guide"]
    eight = review.recommendations.get(reference="8")
    assert (eight.addressee, eight.audience, eight.public_status) == ("local", "both", "in_progress")
    assert summary.created == {"recommendation": 1}
    assert summary.updated == {"recommendation": 1}


def test_importing_the_same_sheet_twice_changes_nothing(review):
    recommendations_import(review_slug=SLUG, path=TESTBOROUGH_ACTION_PLAN)
    before = db_snapshot()

    summary = recommendations_import(review_slug=SLUG, path=TESTBOROUGH_ACTION_PLAN)

    assert not summary.changed
    assert db_snapshot() == before


def test_an_xlsx_sheet_imports_like_the_csv(review, tmp_path):
    rows = [line.split(",") for line in TESTBOROUGH_ACTION_PLAN.read_text().splitlines()]
    rows[1][0] = 7  # a number cell, as a spreadsheet stores it
    path = write(tmp_path, "plan.xlsx", _xlsx(rows))

    recommendations_import(review_slug=SLUG, path=path)

    assert sorted(review.recommendations.values_list("reference", flat=True)) == ["7", "8", "N2"]


def test_headers_are_case_insensitive_and_trimmed_and_empty_rows_are_skipped(review, tmp_path):
    text = " REFERENCE ,Title,  recommendation,ADDRESSEE,Audience\n\n,,,,\n9,Nine,Do nine.,local,children\n"
    recommendations_import(review_slug=SLUG, path=write(tmp_path, "plan.csv", text))

    assert review.recommendations.get(reference="9").audience == "children"


def test_a_csv_with_a_byte_order_mark_is_read(review, tmp_path):
    data = ("\ufeff" + HEADER + "\n9,Nine,Do nine.,local,adults\n").encode("utf-8")
    recommendations_import(review_slug=SLUG, path=write(tmp_path, "plan.csv", data))

    assert review.recommendations.filter(reference="9").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + ",colour\n9,Nine,Do nine.,local,adults,blue\n",
            "row 1, column F (colour): unknown column: the columns are reference, replaces_reference",
        ),
        (
            "reference,title,addressee,audience\n9,Nine,local,adults\n",
            "row 1: the required column 'recommendation'",
        ),
        (
            HEADER + "\n9,Nine,Do nine.,local,kids\n",
            "row 2, column E (audience): 'kids' is not one of children",
        ),
        (HEADER + "\n9,,Do nine.,local,adults\n", "row 2, column B (title): this cell must not be empty"),
        (
            HEADER + "\n" + "9," + "x" * 301 + ",Do.,local,adults\n",
            "column B (title): this is 301 characters long",
        ),
        (
            HEADER + ",finding\n9,Nine,Do.,local,adults,F9\n",
            "row 2, column F (finding): the review has no finding 'F9'",
        ),
        (
            HEADER + ",lead_agencies\n9,N,Do.,local,adults,testborough-police;ghost\n",
            "there is no agency 'ghost'",
        ),
        (
            HEADER + ",themes\n9,N,Do.,local,adults,nothing\n",
            "row 2, column F (themes): there is no theme 'nothing'",
        ),
        (
            HEADER + ",title\n9,N,Do.,local,adults,T\n",
            "row 1, column F (title): this column is already given in column B",
        ),
        (
            HEADER + "\n9,Nine,Do.,local,adults\n10,Ten,Do.,local,adults\n9,Again,Do.,local,adults\n",
            "row 4, column A (reference): '9' is on row 2 and row 4",
        ),
        (
            HEADER + ",replaces_reference\nN2,Two,Do.,local,adults,N1\n",
            "row 2, column F (replaces_reference): the review already has both 'N2' and 'N1'",
        ),
        (
            HEADER + ",replaces_reference\n9,Nine,Do.,local,adults,N7\n",
            "row 2, column F (replaces_reference): the review has no recommendation 'N7'",
        ),
        (
            HEADER + ",replaces_reference\n9,Nine,Do.,local,adults,N1\nN1,One,Do.,local,adults,\n",
            "row 3, column A (reference): row 2 already changes recommendation 'N1'",
        ),
        ("", "row 1: the first row must hold the column headers"),
        (HEADER + "\n9,Nine,Do\x00.,local,adults\n", "row 2: the file holds a NUL character"),
    ],
)
def test_an_error_names_the_row_and_column_and_changes_nothing(review, tmp_path, text, expected):
    path = write(tmp_path, "plan.csv", text)
    before = db_snapshot()

    with pytest.raises(ContentLoadError) as caught:
        recommendations_import(review_slug=SLUG, path=path)

    assert any(p.startswith(f"{path}: ") and expected in p for p in _problems(caught)), _problems(caught)
    assert db_snapshot() == before


def test_every_bad_cell_is_reported_and_no_row_is_written(review, tmp_path):
    text = HEADER + "\n9,Nine,Do nine.,local,adults\n10,Ten,Do ten.,nowhere,adults\n11,,Do.,local,adults\n"
    path = write(tmp_path, "plan.csv", text)
    before = db_counts()

    with pytest.raises(ContentLoadError) as caught:
        recommendations_import(review_slug=SLUG, path=path)

    assert [(p.row, p.column_letter) for p in caught.value.problems] == [(3, "D"), (4, "B")]
    assert db_counts() == before
    assert not Recommendation.objects.filter(reference="9").exists()


def test_a_csv_that_is_not_utf8_names_the_row(review, tmp_path):
    data = (HEADER + "\n9,Nine,Do nine.,local,adults\n10,Caf\u00e9,Do ten.,local,adults\n").encode("cp1252")
    path = write(tmp_path, "plan.csv", data)

    with pytest.raises(ContentLoadError) as caught:
        recommendations_import(review_slug=SLUG, path=path)

    assert _problems(caught) == [
        f"{path}: row 3: the file is not UTF-8 text (line 3, character 7): save it as CSV UTF-8 and try again"
    ]


def test_a_20_mb_sheet_is_refused_quickly(review, tmp_path):
    path = tmp_path / "plan.csv"
    with path.open("wb") as handle:
        handle.write((HEADER + "\n").encode())
        handle.truncate(20 * 1024 * 1024)
    started = time.monotonic()

    with pytest.raises(ContentLoadError, match="the file is too large"):
        recommendations_import(review_slug=SLUG, path=path)

    assert time.monotonic() - started < 1


def test_an_xlsx_that_would_expand_too_far_is_refused_before_it_is_opened(review, tmp_path, monkeypatch):
    buffer = io.BytesIO(_xlsx([HEADER.split(","), ["9", "Nine", "Do.", "local", "adults"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))  # deflates to about 60 KB
    path = write(tmp_path, "bomb.xlsx", buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(ContentLoadError) as caught:
        recommendations_import(review_slug=SLUG, path=path)

    assert _problems(caught) == [
        f"{path}: the workbook would expand to 60 MB when opened; the limit is 50 MB"
    ]


def test_formulas_in_an_xlsx_are_not_evaluated(review, tmp_path):
    data = _xlsx([[*HEADER.split(","), "what_changed"], ["9", "Nine", "Do.", "local", "adults", "=SUM(1,1)"]])
    # Give the formula a saved value, as a spreadsheet program would: that value is what is imported.
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="F2"><f>SUM(1,1)</f><v /></c>' in content
                content = content.replace(
                    b'<c r="F2"><f>SUM(1,1)</f><v /></c>',
                    b'<c r="F2" t="str"><f>SUM(1,1)</f><v>As saved</v></c>',
                )
            target.writestr(item, content)
    path = write(tmp_path, "plan.xlsx", buffer.getvalue())

    recommendations_import(review_slug=SLUG, path=path)

    assert review.recommendations.get(reference="9").what_changed == "As saved"


def test_a_formula_in_a_csv_is_kept_as_text(review, tmp_path):
    path = write(tmp_path, "plan.csv", HEADER + ",what_changed\n9,Nine,Do.,local,adults,=1+1\n")

    recommendations_import(review_slug=SLUG, path=path)

    assert review.recommendations.get(reference="9").what_changed == "=1+1"


def test_only_the_first_worksheet_is_read(review, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["9", "Nine", "Do.", "local", "adults"])
    workbook.create_sheet("Notes").append(["colour"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    recommendations_import(review_slug=SLUG, path=write(tmp_path, "plan.xlsx", buffer.getvalue()))

    assert review.recommendations.filter(reference="9").exists()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("plan.xlsx", b"not a zip at all", "this is not an XLSX workbook"),
        ("plan.xlsx", b"", "this is not an XLSX workbook"),
        ("plan.ods", b"x", "give a .csv file (CSV UTF-8) or an .xlsx workbook"),
    ],
)
def test_files_that_are_not_spreadsheets(review, tmp_path, name, data, expected):
    path = write(tmp_path, name, data)

    with pytest.raises(ContentLoadError, match=re.escape(expected)):
        recommendations_import(review_slug=SLUG, path=path)


def test_a_damaged_workbook_is_a_clear_error(review, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
    path = write(tmp_path, "plan.xlsx", buffer.getvalue())

    with pytest.raises(ContentLoadError, match="this workbook cannot be read"):
        recommendations_import(review_slug=SLUG, path=path)


def test_an_unknown_review_is_a_clear_error(db, tmp_path):
    path = write(tmp_path, "plan.csv", HEADER + "\n")

    with pytest.raises(ContentLoadError, match="there is no review 'nothing-here' to import into"):
        recommendations_import(review_slug="nothing-here", path=path)
