"""One truth about a recommendation's status (issue 11), in Chromium: the five JSCR recommendations
read "Progressed in full" on the public pages, on the staff dashboard and in the board report alike,
from the boards' 2019 sign-offs loaded with the review pack."""

import re

import pytest
from playwright.sync_api import expect

from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Review
from safeguarding.reviews.services import default_content_load
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_tracker_journey import sign_in
from tests.reviews.importers.helpers import CONTENT
from tests.tracker.dashboards.test_report import _document_text, documents  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


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

    with staff.expect_download():
        staff.goto(f"/staff/dashboards/boards/{nscp.pk}/")
        staff.get_by_role("link", name=re.compile("board report", re.IGNORECASE)).first.click()
    text = _document_text(documents[-1])
    assert text.count("Progressed in full, meeting of November 2019") == 5
    assert "Not signed off" not in text
