"""Issue 9's browser "done when": an analyst signs in with two-step verification, opens the alert, the
network and its table, rejects one link with a reason, and the network updates; a triage worker sees
"linked" on a concern and nothing of the other concerns. axe-core finds no violation of any impact on
any of these pages, with JavaScript (MoJ's sortable tables) and without.

LINKING_SCREENSHOTS=/some/dir saves each page at 1280 and 375 pixels wide, to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguarding.linking.models import Link
from tests.browser.conftest import assert_accessible
from tests.browser.test_concern_journey import teams_and_options  # noqa: F401 (a fixture)
from tests.browser.test_tracker_journey import sign_in
from tests.concerns.factories import TeamMemberFactory
from tests.linking.factories import AnalystFactory, linked_network

pytestmark = pytest.mark.django_db(transaction=True)


def assert_no_violation(page: Page, name: str) -> None:
    """axe-core finds no violation of any impact (stricter than the suite's serious-or-critical)."""
    from axe_playwright_python.sync_playwright import Axe

    assert_accessible(page)
    violations = Axe().run(page).response["violations"]
    assert not violations, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )
    folder = os.environ.get("LINKING_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.usefixtures("teams_and_options")
def test_an_analyst_rejects_a_link_and_a_triage_worker_sees_only_linked(browser, live_server):
    world = linked_network()
    analyst = AnalystFactory(username="ana.lyst", first_name="Ana", last_name="Lyst")
    page = sign_in(browser, live_server, analyst)
    page.get_by_role("link", name="Networks", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/staff/networks/$"))
    assert_no_violation(page, "networks")

    page.get_by_role("link", name="Alerts", exact=True).first.click()
    assert_no_violation(page, "alerts")
    page.get_by_role("link", name=f"Alert {world.alert.pk}").click()
    expect(page.locator("#reason")).to_contain_text("3 different people at risk")
    assert_no_violation(page, "alert")

    page.get_by_role("link", name=f"Network {world.network.pk}").click()
    expect(page.locator("h1")).to_have_text(f"Network {world.network.pk}")
    expect(page.locator("svg.toolkit-network-graph circle")).to_have_count(5)
    table = page.locator("#graph-table")
    expect(table).to_contain_text("same registration KX19 FTV in both")
    rows_before = page.locator("#links tbody tr").count()
    lines_before = page.locator("svg.toolkit-network-graph line").count()
    assert_no_violation(page, "network")

    link = world.link(0, 3)  # the same young person, in the same car, a year apart
    page.locator(f"#links tr[data-link='{link.pk}']").get_by_role("link").click()
    assert_no_violation(page, "link")
    page.get_by_label("No, reject the link").check()
    page.get_by_role("button", name="Save the decision").click()  # no reason: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for your decision")
    assert_no_violation(page, "link-error")
    page.get_by_label("No, reject the link").check()
    page.get_by_label("Reason for your decision").fill("Fictional: a different car, the plate was misread.")
    page.get_by_role("button", name="Save the decision").click()

    expect(page.locator("h1")).to_have_text(f"Network {world.network.pk}")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("rejected")
    row = page.locator(f"#links tr[data-link='{link.pk}']")
    expect(row.locator(".moj-badge")).to_have_text("Rejected")
    expect(row).to_contain_text("a different car, the plate was misread")
    expect(page.locator("svg.toolkit-network-graph line")).to_have_count(lines_before - 1)
    assert page.locator("#links tbody tr").count() == rows_before
    expect(page.locator("#timeline")).to_contain_text("rejected")
    assert Link.objects.get(pk=link.pk).status == "rejected"
    assert_no_violation(page, "network-after")

    page.goto("/staff/networks/hotspots/?period=all")
    expect(page.locator(".moj-filter-layout__content")).to_contain_text("KX19 FTV")
    assert_no_violation(page, "hotspots")
    page.context.close()

    # A triage worker of the children's front door, where the concerns went: "linked", nothing more.
    worker = TeamMemberFactory(teams=["children-front-door"], triage_worker=True, username="tri.age")
    page = sign_in(browser, live_server, worker)
    page.goto(f"/staff/concerns/{world.concerns[-1].pk}/")
    expect(page.locator("#linked")).to_contain_text("earlier concerns may involve the same person")
    text = page.locator("main").inner_text()
    for other in world.concerns[:-1]:
        assert other.reference not in text
    assert "Tia Fictional" not in text
    assert "KX19" not in text
    assert_no_violation(page, "triage-linked")
    assert page.goto("/staff/networks/").status == 404
    page.context.close()


@pytest.mark.usefixtures("teams_and_options")
def test_the_pages_work_without_javascript(browser, live_server):
    world = linked_network()
    analyst = AnalystFactory(username="no.script")
    page = sign_in(browser, live_server, analyst)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    quiet = context.new_page()
    quiet.goto(f"/staff/networks/{world.network.pk}/")
    expect(quiet.locator("#graph-table tbody tr").first).to_be_visible()
    expect(quiet.locator("svg.toolkit-network-graph")).to_be_visible()
    quiet.goto("/staff/networks/hotspots/")
    quiet.get_by_label("All time").check()
    quiet.get_by_role("button", name="Apply filter").click()
    expect(quiet).to_have_url(re.compile(r"period=all"))
    expect(quiet.locator(".moj-filter-layout__content")).to_contain_text("KX19 FTV")
    context.close()
    page.context.close()
