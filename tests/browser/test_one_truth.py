"""One truth about a recommendation's status (issue 11), in Chromium: the five JSCR recommendations
read "Progressed in full" on the public pages, on the staff dashboard and in the board report alike,
from the boards' 2019 sign-offs loaded with the review pack."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Review
from safeguarding.reviews.services import default_content_load
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_tracker_journey import sign_in
from tests.reviews.importers.helpers import CONTENT
from tests.tracker.dashboards.test_report import _document_text, documents  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _screenshots(page: Page, name: str) -> None:
    """Full-page screenshots at 1280 and 375 px, into $BOARDLINE_SCREENSHOTS when it is set."""
    folder = os.environ.get("BOARDLINE_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_jscr_reads_progressed_in_full_on_every_page_that_says(browser, live_server, documents):  # noqa: F811
    default_content_load(content_dir=CONTENT)
    review = Review.objects.get(slug="newcastle-jscr-2018")
    nscp = Board.objects.get(slug="nscp")

    public = browser.new_context(base_url=live_server.url).new_page()
    for reference in ["N1", "N2", "N3", "N4", "N5"]:
        public.goto(f"/reviews/newcastle-jscr-2018/recommendations/{reference}/")
        expect(public.locator("main .govuk-tag").first).to_have_text("Progressed in full")
        expect(public.locator("main")).not_to_contain_text("has not recorded this yet")
    assert_accessible(public)

    staff = sign_in(browser, live_server, UserFactory(viewer=True))
    staff.goto(f"/staff/dashboards/reviews/{review.pk}/")
    expect(staff.locator('[data-figure="progressed"]')).to_have_text(
        re.compile(r"5\s+of 5 recommendations progressed in full")
    )
    assert_accessible(staff)

    # The board's dashboard draws the report's 26-week line, with its figures behind a details
    # component; axe checks the page with the chart, closed and open, at a desktop and a phone width.
    staff.goto(f"/staff/dashboards/boards/{nscp.pk}/")
    chart = staff.get_by_role("img", name=re.compile("Progress over the last 26 weeks"))
    expect(chart).to_be_visible()
    expect(staff.locator("#weekly-summary")).to_contain_text("Recommendations this board has signed off")
    assert_accessible(staff)
    staff.locator("#weekly-details summary").click()
    expect(staff.locator("#weekly-table tbody tr")).to_have_count(26)
    assert_accessible(staff)
    _screenshots(staff, "board-dashboard")
    staff.set_viewport_size({"width": 375, "height": 900})
    assert_accessible(staff)
    # The chart keeps its labels readable: it scrolls in its own region; the page does not widen.
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] >= 540
    assert staff.evaluate("document.documentElement.scrollWidth") <= 375
    staff.set_viewport_size({"width": 1280, "height": 900})

    with staff.expect_download():
        staff.get_by_role("link", name=re.compile("board report", re.IGNORECASE)).first.click()
    text = _document_text(documents[-1])
    assert text.count("Progressed in full, meeting of November 2019") == 5
    assert "Not signed off" not in text
