"""Issue 13's browser "done when" for staff statistics: a board member signs in with two-step
verification, opens /staff/insight/, filters a quarter, reads a chart and its table, and downloads the
table; the export is audited. axe-core finds no violation of any impact on every section, and on the
page with a filter error.

INSIGHT_SCREENSHOTS=/some/dir saves each page at 1280 and 375 pixels wide, to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguarding.audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_concern_journey import teams_and_options  # noqa: F401 (a fixture)
from tests.browser.test_tracker_journey import sign_in
from tests.insight.seed import seed_concerns
from tests.partnership.factories import BoardFactory

pytestmark = pytest.mark.django_db(transaction=True)


def look(page: Page, name: str) -> None:
    assert_accessible(page)
    folder = os.environ.get("INSIGHT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def fill_date(page: Page, group: str, day: int, month: int, year: int) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day))
    fieldset.get_by_label("Month").fill(str(month))
    fieldset.get_by_label("Year").fill(str(year))


@pytest.mark.usefixtures("teams_and_options")
def test_a_board_member_filters_a_quarter_reads_a_chart_and_its_table_and_exports(browser, live_server):
    seed_concerns()
    board = BoardFactory(name="Testborough Safeguarding Children Partnership")
    member = UserFactory(board_member=board, username="board.member")
    page = sign_in(browser, live_server, member)
    page.goto("/staff/insight/")
    expect(page.locator("h1")).to_have_text("Volumes and trends")
    look(page, "insight-volumes-default")

    fill_date(page, "Start date", 1, 1, 2026)
    fill_date(page, "End date", 31, 3, 2026)
    page.get_by_label("Show by").select_option("quarter")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    chart = page.locator("#insight-chart svg[role=img]")
    expect(chart.locator("desc")).to_contain_text("5 in all")
    expect(page.locator("#volumes tbody tr")).to_have_count(1)
    expect(page.locator("#volumes tbody tr").first).to_contain_text("Jan to Mar 2026")
    assert page.locator("#volumes tbody tr td").first.inner_text() == "5"
    look(page, "insight-volumes-quarter")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download this table as CSV")).first.click()
    assert download.value.suggested_filename == "concern-statistics-volumes-2026-01-01-to-2026-03-31.csv"
    assert "Jan to Mar 2026,5" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor_id == member.pk
    assert event.data["filters"]["period"] == "quarter"

    for name, heading in [
        ("Within the clock", "Decided within the clock"),
        ("Urgent concerns", "Urgent concerns"),
        ("Repeat concerns", "Repeat concerns"),
        ("Information shares", "Information shares"),
        ("Open queue age", "Open queue age"),
    ]:
        page.locator(".moj-sub-navigation").get_by_role("link", name=name).click()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page).to_have_url(re.compile(r"period=quarter"))  # the filters travel with the sections
        look(page, "insight-" + name.lower().replace(" ", "-"))
    expect(page.locator("#clock-teams")).to_have_count(0)

    page.locator(".moj-sub-navigation").get_by_role("link", name="Within the clock").click()
    expect(page.locator("#clock-teams")).to_contain_text("Exploitation team")

    fill_date(page, "Start date", 31, 2, 2026)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The start date must be a real date.")
    look(page, "insight-error")
