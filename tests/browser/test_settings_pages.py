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

from safeguarding.accounts.models import User
from safeguarding.concerns.models import ConcernRoute
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_concern_journey import teams_and_options  # noqa: F401 (a fixture)
from tests.browser.test_tracker_journey import sign_in
from tests.concerns.factories import ConcernFactory, TeamFactory, TeamMemberFactory
from tests.partnership.factories import AgencyFactory, BoardFactory, ContactPointFactory, PartnershipFactory

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


@pytest.mark.usefixtures("teams_and_options")
def test_every_other_settings_page_passes_axe(browser, live_server):
    """Teams, contact points, users and API tokens: each list, form, error and confirmation page."""
    AgencyFactory(name="Testborough Police")
    ContactPointFactory(name="Fictional Children's Front Door", phone="0191 498 0123")
    administrator = UserFactory(administrator=True, username="ada.admin", first_name="Ada", last_name="Admin")
    worker = UserFactory(triage_worker=True, username="tia.triage", first_name="Tia", last_name="Triage")
    page = sign_in(browser, live_server, administrator)

    # Teams: add one, add a member, make them lead, then look at removing them.
    page.goto("/staff/settings/teams/")
    checked(page, "teams")
    page.get_by_role("link", name="Add a team").click()
    page.get_by_role("button", name="Add the team").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the team")
    checked(page, "team-add-error")
    page.get_by_label("Name of the team").fill("Missing from home team")
    page.get_by_role("button", name="Add the team").click()
    expect(page.locator("h1")).to_have_text("Missing from home team")
    page.get_by_role("link", name="Add a member").click()
    checked(page, "team-member-add")
    page.get_by_label("Who to add").select_option(label="Tia Triage (tia.triage)")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator("#members")).to_contain_text("Tia Triage")
    page.get_by_role("link", name="Change lead").click()
    checked(page, "team-lead")
    page.get_by_label("Tia Triage").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#team-summary")).to_contain_text("Tia Triage")
    checked(page, "team")
    page.locator("#members").get_by_role("link", name=re.compile("^Remove")).click()
    checked(page, "team-member-remove")
    page.get_by_role("link", name="Cancel").click()

    # Contact points.
    page.goto("/staff/settings/contact-points/")
    checked(page, "contact-points")
    page.get_by_role("link", name="Add a contact point").click()
    page.get_by_label("Name of the service").fill("Fictional Adults Front Door")
    page.get_by_label("Phone number").fill("call us")
    page.get_by_role("button", name="Add the contact point").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a phone number")
    checked(page, "contact-point-add-error")
    page.get_by_label("Phone number").fill("0191 498 0456")
    page.get_by_label("When it is open").fill("Monday to Friday, 8:30am to 5pm")
    page.get_by_role("button", name="Add the contact point").click()
    expect(page.locator("#contact-points")).to_contain_text("0191 498 0456")
    page.get_by_role("link", name=re.compile("^Remove Fictional Adults")).click()
    checked(page, "contact-point-remove")

    # Users: add one, give a role, and look at deactivating.
    page.goto("/staff/settings/users/")
    checked(page, "users")
    page.get_by_role("link", name="Add a user").click()
    checked(page, "user-add")
    page.get_by_label("Username").fill("sam.newstarter")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Newstarter")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Add the user").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter an e-mail address in the correct format"
    )
    checked(page, "user-add-error")
    page.get_by_label("E-mail address").fill("sam.newstarter@example.org")
    page.get_by_role("button", name="Add the user").click()
    expect(page.locator("h1")).to_have_text("Sam Newstarter")
    checked(page, "user")
    page.get_by_role("link", name="Give a role").click()
    page.get_by_label("Partnership manager", exact=True).check()
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the board this role is for")
    checked(page, "role-add-error")
    page.get_by_label("Triage worker", exact=True).check()
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator("#roles")).to_contain_text("Triage worker")
    page.get_by_role("link", name="Deactivate").click()
    checked(page, "user-deactivate")
    page.get_by_role("link", name="Cancel").click()
    page.goto(f"/staff/settings/users/{worker.pk}/")
    page.get_by_role("link", name="Reset two-step verification").click()
    checked(page, "user-two-step-reset")

    # API tokens: make one (shown once), then look at revoking it.
    page.goto("/staff/settings/api-tokens/")
    checked(page, "api-tokens")
    page.get_by_role("link", name="Make an API token").click()
    checked(page, "api-token-add")
    page.get_by_label("Agency").select_option(label="Testborough Police")
    page.get_by_label("Name of the system that will use it").fill("Police case management")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("#token-secret")).to_have_value(re.compile(r"^sgpt_"))
    checked(page, "api-token-created")
    page.get_by_role("link", name="Back to the API tokens").click()
    page.get_by_role("link", name=re.compile("^Revoke")).click()
    checked(page, "api-token-revoke")
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.locator("#tokens")).to_contain_text("Revoked")
    page.context.close()


def test_the_partnership_boards_agencies_and_the_users_search_pass_axe(browser, live_server):
    """The partnership, boards and agencies (list, add with errors, change, remove or why not) and the
    users list searched, filtered and paged."""
    PartnershipFactory(name="Testborough Safeguarding Partnerships", area="Testborough")
    police = AgencyFactory(name="Testborough Police", sector="police")
    board = BoardFactory(name="Testborough Safeguarding Children Partnership", short_name="TSCP")
    administrator = UserFactory(administrator=True, username="ada.admin", first_name="Ada", last_name="Admin")
    UserFactory(first_name="Pat", last_name="Constable", username="pat.c", agency_lead=police)
    UserFactory(board_member=board)
    User.objects.bulk_create(
        User(username=f"zed.person{n:03}", first_name="Zed", last_name=f"Person {n:03}") for n in range(60)
    )
    page = sign_in(browser, live_server, administrator)

    # The partnership: its new name is in the header of the very next page.
    page.goto("/staff/settings/")
    sections = page.get_by_role("navigation", name="Settings sections")
    sections.get_by_role("link", name="Partnership", exact=True).click()
    expect(page.locator("h1")).to_have_text("The partnership")
    checked(page, "partnership")
    page.get_by_label("Name of the partnership").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the partnership")
    checked(page, "partnership-error")
    page.get_by_label("Name of the partnership").fill("Northfield Safeguarding Partnership")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Partnership saved")
    expect(page.locator(".toolkit-header__name")).to_have_text("Northfield Safeguarding Partnership")

    # Boards: add one (errors first), change it, remove it; the board with a member stays.
    sections.get_by_role("link", name="Boards", exact=True).click()
    checked(page, "boards")
    page.get_by_role("link", name="Add a board").click()
    page.get_by_label("Website (optional)").fill("not a web address")
    page.get_by_role("button", name="Add the board").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the board")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a web address")
    checked(page, "board-add-error")
    page.get_by_label("Name of the board").fill("Testborough Safeguarding Adults Board")
    page.get_by_label("Short name").fill("TSAB")
    page.get_by_label("Safeguarding adults board").check()
    page.get_by_label("Website (optional)").fill("https://www.example.org/tsab")
    page.get_by_role("button", name="Add the board").click()
    expect(page.locator("#boards")).to_contain_text("Testborough Safeguarding Adults Board")
    page.get_by_role("link", name=re.compile("^Testborough Safeguarding Adults Board")).click()
    expect(page.locator("main")).to_contain_text("testborough-safeguarding-adults-board")
    checked(page, "board-change")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Remove Testborough Safeguarding Children")).click()
    expect(page.locator("#named-by")).to_contain_text("1 role name it")
    checked(page, "board-cannot-remove")
    page.get_by_role("link", name="Back to the boards").click()
    page.get_by_role("link", name=re.compile("^Remove Testborough Safeguarding Adults")).click()
    checked(page, "board-remove")
    page.get_by_role("button", name="Remove the board").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been removed")
    expect(page.locator("#boards")).not_to_contain_text("Testborough Safeguarding Adults Board")

    # Agencies.
    sections.get_by_role("link", name="Agencies", exact=True).click()
    checked(page, "agencies")
    page.get_by_role("link", name="Add an agency").click()
    page.get_by_label("Name of the agency").fill("testborough police")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("An agency with this name already exists")
    checked(page, "agency-add-error")
    page.get_by_label("Name of the agency").fill("Testborough Youth Project")
    page.get_by_label("Voluntary sector").check()
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator("#agencies")).to_contain_text("Testborough Youth Project")
    page.get_by_role("link", name=re.compile("^Testborough Police")).click()
    checked(page, "agency-change")
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Remove Testborough Police")).click()
    expect(page.locator("#named-by")).to_contain_text("1 user account and 1 role name it")
    checked(page, "agency-cannot-remove")

    # Users: search, filter by role, and page through.
    page.goto("/staff/settings/users/")
    expect(page.locator("#users-count")).to_contain_text("63 active users: showing 1 to 50")
    checked(page, "users")
    page.get_by_label("Name, username or e-mail").fill("pat constable")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#users tbody tr")).to_have_count(1)
    expect(page.locator("#users")).to_contain_text("Pat Constable")
    checked(page, "users-search")
    page.get_by_label("Name, username or e-mail").fill("")
    page.get_by_label("Role").select_option(label="Board member")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#users tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Clear the search").click()
    page.get_by_role("link", name="Page 2").click()
    expect(page.locator("#users tbody tr")).to_have_count(13)
    expect(page.locator("#users tbody tr").last).to_contain_text("Zed Person 059")
    checked(page, "users-page-2")
    assert page.goto("/staff/settings/users/?role=emperor").status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a role from the list")
    checked(page, "users-error")
    page.context.close()
