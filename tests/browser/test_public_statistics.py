"""Public statistics in Chromium: a partnership manager signs in with two-step verification, previews
the last ended quarter, prepares and publishes it, and /statistics/ shows it with its small numbers
suppressed. axe-core (with best-practice rules) checks every page visited, at 1280 and 375 pixels.

STATISTICS_SCREENSHOTS=<folder> saves a screenshot of each page at both widths.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguarding.statistics.quarters import Quarter
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_tracker_journey import sign_in
from tests.partnership.factories import BoardFactory, PartnershipFactory
from tests.statistics.factories import concerns

pytestmark = pytest.mark.django_db(transaction=True)


def check(page: Page, name: str) -> None:
    """No axe violation at either width; screenshots when asked for."""
    folder = os.environ.get("STATISTICS_SCREENSHOTS")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_manager_publishes_a_quarter_and_the_public_sees_it_suppressed(browser, live_server):
    PartnershipFactory()
    quarter = Quarter.containing(timezone.now()).preceding()
    middle = quarter.start + (quarter.end - quarter.start) / 2
    concerns(3, when=middle, about="child", source="public")
    concerns(20, when=middle, about="child", source="professional", signs=["missing"])
    concerns(12, when=middle, about="adult", source="public")
    concerns(30, when=middle, about="adult", source="professional")
    manager = UserFactory(partnership_manager=BoardFactory(), username="mina.manager")

    page = sign_in(browser, live_server, manager)
    page.goto("/staff/statistics/")
    check(page, "staff-quarters")
    page.get_by_role("link", name=f"Preview figures for {quarter.label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quarter.label)
    check(page, "staff-preview")
    page.get_by_role("button", name="Prepare these figures for publishing").click()
    expect(page.get_by_text("Figures prepared")).to_be_visible()
    check(page, "staff-draft")
    page.get_by_role("button", name=f"Publish {quarter.label}").click()
    expect(page.get_by_text(f"{quarter.label} is published")).to_be_visible()
    check(page, "staff-published")

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto("/")
    public.get_by_role("link", name="Statistics", exact=True).click()
    expect(public).to_have_url(re.compile(r"/statistics/$"))
    check(public, "public-list")
    public.get_by_role("link", name=quarter.label).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(quarter.label)
    table = public.locator("#received")
    expect(table.get_by_role("row", name=re.compile("^A child")).get_by_role("cell").first).to_have_text(
        "fewer than 5"
    )
    expect(table.get_by_text("withheld").first).to_be_visible()
    check(public, "public-quarter")
    public.get_by_role("link", name="How we count and protect these figures").last.click()
    check(public, "public-method")
