"""Issue 12's settings "done when": an administrator signs in with two-step verification, adds a
routing rule and a decision option on the settings pages, and a new concern follows the rule: it
arrives in the rule's team's queue, and the new option is there to choose when deciding it. axe-core
(with its best-practice rules) finds no violation of any impact on every settings page visited.

SETTINGS_SCREENSHOTS=/some/dir saves each page at 1280 and 375 pixels wide, to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguarding.concerns.models import ConcernRoute
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_concern_journey import teams_and_options  # noqa: F401 (a fixture)
from tests.browser.test_tracker_journey import sign_in
from tests.concerns.factories import ConcernFactory, TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def checked(page: Page, name: str) -> None:
    """axe-core (WCAG 2.2 AA and best practice) finds nothing; one <h1>; screenshots if asked."""
    assert_accessible(page)
    folder = os.environ.get("SETTINGS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.usefixtures("teams_and_options")
def test_an_administrator_adds_a_rule_and_an_option_and_a_new_concern_follows_the_rule(browser, live_server):
    team = TeamFactory(name="Missing from home team", slug="missing-from-home")
    administrator = UserFactory(administrator=True, username="ada.admin", first_name="Ada", last_name="Admin")
    page = sign_in(browser, live_server, administrator)
    page.goto("/staff/settings/")
    expect(page.locator("h1")).to_have_text("Settings")
    checked(page, "settings")

    page.get_by_role("link", name="Routing rules").first.click()
    expect(page.locator("h1")).to_have_text("Routing rules")
    checked(page, "routing-rules")
    page.get_by_role("link", name="Add a routing rule").click()
    checked(page, "routing-rule-add")
    page.get_by_role("button", name="Add the rule").click()  # nothing filled in: errors
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the rule")
    checked(page, "routing-rule-add-error")
    page.get_by_label("Name of the rule").fill("Exploitation signs to the missing-from-home team")
    page.get_by_label("A child or young person (under 18)").check()
    page.get_by_role("group", name="Signs of exploitation were ticked").get_by_label("Yes").check()
    page.get_by_label("Send matching concerns to").select_option(label="Missing from home team")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Routing rule added")
    row = page.locator("#rules tbody tr").last
    expect(row).to_contain_text("Exploitation signs to the missing-from-home team")
    expect(row).to_contain_text("Send to Missing from home team")
    checked(page, "routing-rules-after")
    row.get_by_role("button", name=re.compile("^Up")).click()
    expect(page.locator("#rules tbody tr").nth(-2)).to_contain_text("missing-from-home team")
    row = page.locator("#rules tbody tr").nth(-2)
    row.get_by_role("link", name=re.compile("^Switch off")).click()
    checked(page, "routing-rule-switch")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Exploitation signs to the missing-from-home team")).click()
    expect(page.get_by_label("Name of the rule")).to_have_value(
        "Exploitation signs to the missing-from-home team"
    )
    checked(page, "routing-rule-edit")

    page.get_by_role("link", name="Decision options").first.click()
    checked(page, "decision-options")
    page.get_by_role("link", name="Add a decision option").click()
    checked(page, "decision-option-add")
    page.get_by_label("Name of the decision").fill("Refer to the missing-from-home team")
    page.get_by_label("Concerns about children").check()
    page.get_by_label("Years a concern decided this way is kept").fill("twenty")
    page.get_by_role("button", name="Add the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Years kept must be a whole number")
    checked(page, "decision-option-add-error")
    page.get_by_label("Years a concern decided this way is kept").fill("25")
    page.get_by_role("button", name="Add the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision option added")
    expect(page.locator("#options")).to_contain_text("Refer to the missing-from-home team")
    checked(page, "decision-options-after")
    page.context.close()

    # A concern about a child with signs of exploitation arrives: the rule sends it to the new team.
    concern = ConcernFactory(about="child", signs=["missing", "vehicles"])
    route = ConcernRoute.objects.get(concern=concern, team=team)
    assert route.rule.name == "Exploitation signs to the missing-from-home team"

    worker = TeamMemberFactory(teams=[team], triage_worker=True, username="mo.missing")
    page = sign_in(browser, live_server, worker)
    page.goto(f"/staff/concerns/teams/{team.slug}/")
    expect(page.locator("main")).to_contain_text(concern.reference)
    page.goto(f"/staff/concerns/{concern.pk}/decide/")
    expect(page.get_by_label("Refer to the missing-from-home team")).to_be_visible()
    page.context.close()


def test_a_triage_worker_cannot_open_the_settings(browser, live_server):
    worker = UserFactory(triage_worker=True, username="tia.triage")
    page = sign_in(browser, live_server, worker)
    assert page.goto("/staff/settings/").status == 403
    page.context.close()
