"""The insight pages: who may see them, what they show, bad input, and audited exports."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.audit.models import AuditEvent
from safeguarding.core.staff_menu import staff_menu_for
from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.staff import login_verified

from .seed import seed_concerns

pytestmark = pytest.mark.django_db

SECTIONS = ["volumes", "clock", "urgent", "repeats", "shares", "queue"]
Q1 = "start_0=1&start_1=1&start_2=2026&end_0=31&end_1=3&end_2=2026"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-02-10 12:00:00+00:00", tick=False):
        yield


@pytest.fixture
def board():
    return BoardFactory()


@pytest.fixture
def member(client, board):
    return login_verified(client, UserFactory(board_member=board))


def table_rows(page, table_id):
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in page.select(f"#{table_id} tbody tr")
    ]


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ({"board_member": True}, 200),
        ({"partnership_manager": True}, 200),
        ({"administrator": True}, 200),
        ({"viewer": True}, 403),
        ({"triage_worker": True}, 403),
        ({"exploitation_analyst": True}, 403),
        ({"agency_lead": True}, 403),
    ],
)
@pytest.mark.parametrize("section", SECTIONS)
def test_who_may_see_each_section(client, board, roles, status, section):
    scoped = {
        key: (board if key in {"board_member", "partnership_manager"} else AgencyFactory())
        if key in {"board_member", "partnership_manager", "agency_lead"}
        else value
        for key, value in roles.items()
    }
    login_verified(client, UserFactory(**scoped))
    assert client.get(reverse(f"insight:{section}")).status_code == status


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("insight:volumes"))
    assert response.status_code == 302


def test_the_menu_shows_insight_only_to_those_who_may_see_it(board):
    assert "Insight" in [e.label for e in staff_menu_for(UserFactory(board_member=board))]
    assert "Insight" not in [e.label for e in staff_menu_for(UserFactory(viewer=True))]


def test_each_section_shows_a_chart_with_a_description_and_its_table(client, member):
    seed_concerns()
    for section in SECTIONS:
        page = html(client.get(reverse(f"insight:{section}") + "?" + Q1))
        svg = page.select_one("#insight-chart svg[role=img]")
        assert svg.find("title").get_text()
        assert svg.find("desc").get_text()
        assert page.select("table.govuk-table tbody tr")
        assert page.select_one(".moj-sub-navigation a[aria-current=page]")
        assert len(page.find_all("h1")) == 1


def test_volumes_page_shows_the_hand_checked_table(client, member):
    seed_concerns()
    page = html(client.get(reverse("insight:volumes") + "?" + Q1))
    assert table_rows(page, "volumes") == [
        ["Jan 2026", "3", "2", "1", "0", "2", "1", "0", "1"],
        ["Feb 2026", "2", "1", "0", "1", "1", "0", "1", "0"],
        ["Mar 2026", "0", "0", "0", "0", "0", "0", "0", "0"],
    ]


def test_clock_page_by_quarter(client, member):
    seed_concerns()
    page = html(client.get(reverse("insight:clock") + "?" + Q1 + "&period=quarter"))
    assert table_rows(page, "clock-periods") == [
        ["Jan to Mar 2026", "4", "3", "75%", "Within 1 day", "Within 2 days"]
    ]
    assert ["Exploitation team", "1", "0", "0%", "Within 2 days", "Within 2 days"] in table_rows(
        page, "clock-teams"
    )


def test_a_team_lead_sees_only_their_team(client, monkeypatch):
    from safeguarding.concerns.models import Team
    from safeguarding.insight import permissions

    seed_concerns()
    lead = UserFactory(triage_worker=True)
    monkeypatch.setattr(
        permissions,
        "teams_led_by",
        lambda user: Team.objects.filter(slug="exploitation") if user == lead else Team.objects.none(),
    )
    login_verified(client, lead)
    page = html(client.get(reverse("insight:volumes") + "?" + Q1))
    assert [row[:2] for row in table_rows(page, "volumes")] == [
        ["Jan 2026", "1"],
        ["Feb 2026", "0"],
        ["Mar 2026", "0"],
    ]
    assert [o["value"] for o in page.select("#filter-team option")] == ["exploitation"]
    response = client.get(reverse("insight:volumes") + "?" + Q1 + "&team=children-front-door")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start_0=x&start_1=1&start_2=2026", "The start date must be a real date."),
        ("start_0=31&start_1=2&start_2=2026", "The start date must be a real date."),
        ("start_0=1&start_1=1", "The start date must include a year."),
        ("start_0=1&start_1=1&start_2=99999999999999999999", "The start date must be a real date."),
        ("start_0=1&start_1=1&start_2=1066", "The start date must be between 2000 and 2100."),
        ("start_0=1&start_1=3&start_2=2026&end_0=1&end_1=1&end_2=2026", "The end date must be the same as"),
        ("start_0=1&start_1=1&start_2=2000&end_0=1&end_1=1&end_2=2026", "10 years or less"),
        ("start_0=1&start_1=1&start_2=2020&period=week", "Show by month or quarter"),
        ("period=fortnight", "Select a show by shown in the list"),
        ("board=nowhere", "Select a board shown in the list"),
        ("team=%3Cscript%3E", "Select a team shown in the list"),
        ("source=pigeon", "Select a source shown in the list"),
        ("about=dog", "Select a about shown in the list"),
        ("signs=maybe", "Select a signs of exploitation shown in the list"),
        ("decision=';drop", "Select a decision shown in the list"),
        ("route=%00", "Select a route shown in the list"),
    ],
)
def test_bad_filters_give_a_clear_error_and_400(client, member, query, message):
    response = client.get(reverse("insight:volumes") + "?" + query)
    assert response.status_code == 400
    page = html(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.title.get_text().startswith("Error:")
    assert client.get(reverse("insight:csv", args=["volumes", "volumes"]) + "?" + query).status_code == 400


def test_csv_export_is_audited_and_formula_safe(client, member):
    from safeguarding.concerns.models import Team

    seed_concerns()
    Team.objects.filter(slug="exploitation").update(name='=HYPERLINK("http://example.org")')
    response = client.get(reverse("insight:csv", args=["clock", "clock-teams"]) + "?" + Q1)
    assert response.status_code == 200
    assert (
        'filename="concern-statistics-clock-teams-2026-01-01-to-2026-03-31.csv"'
        in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Team",
        "Decided",
        "Within the clock",
        "Share within the clock",
        "Median time",
        "90th percentile time",
    ]
    assert ['\'=HYPERLINK("http://example.org")', "1", "0", "0%", "Within 2 days", "Within 2 days"] in rows
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.data["export"] == "insight:clock:clock-teams"
    assert event.data["format"] == "csv"
    assert event.data["filters"]["start_2"] == "2026"


def test_xlsx_export_is_audited_and_keeps_text_as_text(client, member):
    seed_concerns()
    response = client.get(reverse("insight:xlsx", args=["volumes", "volumes"]) + "?" + Q1)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:2] == ["Jan 2026", 3]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, data__format="xlsx").count() == 1


def test_unknown_tables_are_not_found(client, member):
    assert client.get(reverse("insight:csv", args=["volumes", "nothing"])).status_code == 404
    assert client.get(reverse("insight:csv", args=["nothing", "volumes"])).status_code == 404
