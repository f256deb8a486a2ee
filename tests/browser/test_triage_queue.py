"""Issue 12's queue "done when" in Chromium: a triage worker signs in with two-step verification,
filters the queue to "not assigned" and "signs of exploitation", opens a concern, assigns it to
themself and then sees it under "Assigned to me"; on a concern where immediate danger was reported,
they answer the prompt about the police and it goes; a concern marked urgent has its urgency removed,
with a reason, and its clock goes back. axe-core (with best-practice rules) finds no
violation of any impact on any page visited, and the filters work without JavaScript too.

QUEUE_SCREENSHOTS=/some/dir saves each page at 1280 and 375 pixels wide, to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safeguarding.concerns.clocks import clock_deadline
from safeguarding.concerns.models import Concern, PoliceCallRecord
from tests.browser.conftest import assert_accessible
from tests.browser.test_concern_journey import teams_and_options  # noqa: F401 (a fixture)
from tests.browser.test_tracker_journey import sign_in
from tests.concerns.factories import ConcernFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def look(page: Page, name: str) -> None:
    """axe-core with best-practice rules: no violation of any impact; screenshots when asked for."""
    assert_accessible(page)
    folder = os.environ.get("QUEUE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def queue_references(page: Page) -> list[str]:
    return [row.get_attribute("data-reference") or "" for row in page.locator("#queue tbody tr").all()]


@pytest.fixture
def world(request):
    request.getfixturevalue("teams_and_options")
    worker = TeamMemberFactory(
        teams=["children-front-door"],
        viewer=True,
        username="tia.triage",
        first_name="Tia",
        last_name="Triage",
    )
    colleague = TeamMemberFactory(
        teams=["children-front-door"], viewer=True, first_name="Cal", last_name="Colleague"
    )
    signs = ConcernFactory(about="child", signs=["vehicles", "missing"])
    taken = ConcernFactory(about="child", signs=["gifts_money"])
    Concern.objects.filter(pk=taken.pk).update(assigned_to=colleague, status=Concern.Status.IN_TRIAGE)
    plain = ConcernFactory(about="child", source="professional")
    danger = ConcernFactory(about="child", immediate_danger=True, signs=["controlled"])
    return {"worker": worker, "signs": signs, "taken": taken, "plain": plain, "danger": danger}


def test_a_triage_worker_filters_assigns_to_themself_and_finds_it_under_mine(browser, live_server, world):
    page = sign_in(browser, live_server, world["worker"])
    page.get_by_role("link", name=re.compile(r"^Concerns")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's front door")
    expect(page.locator("#queue-count")).to_have_text("4 concerns")
    look(page, "queue")

    filters = page.locator("#filter-form")
    filters.get_by_label("Not assigned").check()
    filters.get_by_label("Signs of exploitation").check()
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"\?assigned=unassigned&show=signs$"))
    assert sorted(queue_references(page)) == sorted([world["signs"].reference, world["danger"].reference])
    expect(page.locator("#selected-filters")).to_contain_text("Not assigned")
    expect(page.locator("#queue-count")).to_have_text("2 concerns match the filters")
    first_row = page.locator("#queue tbody tr").first
    expect(first_row).to_contain_text("Immediate danger")
    expect(first_row).to_contain_text("Urgent")
    expect(first_row).to_contain_text("Signs of exploitation")
    look(page, "queue-filtered")

    page.get_by_role("link", name=world["signs"].reference).click()
    look(page, "concern")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator("#assigned-to")).to_contain_text("Tia Triage")

    page.goto("/staff/concerns/teams/children-front-door/?assigned=mine")
    assert queue_references(page) == [world["signs"].reference]
    expect(page.locator("#queue [data-column=assigned]")).to_have_text("Tia Triage (you)")
    look(page, "queue-mine")

    # Removing a filter is a link: back to "not assigned" only.
    page.goto("/staff/concerns/teams/children-front-door/?assigned=unassigned&show=signs")
    assert queue_references(page) == [world["danger"].reference]
    page.get_by_role("link", name="Remove this filter: Signs of exploitation").click()
    assert sorted(queue_references(page)) == sorted([world["danger"].reference, world["plain"].reference])

    # Bad input in the address: a clear error, not a failure.
    response = page.goto("/staff/concerns/teams/children-front-door/?show=everything")
    assert response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what to show from the list.")
    look(page, "queue-error")

    # The search by reference.
    page.goto("/staff/concerns/teams/children-front-door/")
    page.get_by_label("Find a concern by its reference").fill(world["plain"].reference.lower())
    page.get_by_role("button", name="Find the concern").click()
    assert queue_references(page) == [world["plain"].reference]


def test_the_police_prompt_on_an_immediate_danger_concern(browser, live_server, world):
    page = sign_in(browser, live_server, world["worker"])
    page.goto(f"/staff/concerns/{world['danger'].pk}/")
    prompt = page.locator("#police-prompt")
    expect(prompt).to_contain_text("Record whether the police were called.")
    look(page, "concern-police-prompt")
    prompt.get_by_role("button", name="Record the answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the police were called.")
    look(page, "police-call-error")
    page.get_by_label("Yes, the police were called").check()
    page.get_by_label("Note (optional)").fill("Fictional: called at 10:05, incident 0417.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("#police-prompt")).to_have_count(0)
    expect(page.locator("#police-called")).to_contain_text("Yes, the police were called")
    expect(page.locator("#timeline")).to_contain_text("Police called: Yes, the police were called")
    assert PoliceCallRecord.objects.get().answer == "yes"
    look(page, "concern-police-answered")


def test_the_filters_work_without_javascript(browser, live_server, world):
    page = sign_in(browser, live_server, world["worker"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    plain.goto("/staff/concerns/teams/children-front-door/")
    plain.locator("#filter-form").get_by_label("Professional").check()
    plain.locator("#filter-form").get_by_role("button", name="Apply filters").click()
    expect(plain).to_have_url(re.compile(r"\?source=professional$"))
    assert queue_references(plain) == [world["plain"].reference]
    # axe-core needs JavaScript to run: this page was checked above with it on.
    context.close()


def test_urgency_is_removed_with_a_reason_and_the_clock_goes_back(browser, live_server, world):
    page = sign_in(browser, live_server, world["worker"])
    concern = world["plain"]
    page.goto(f"/staff/concerns/{concern.pk}/")
    page.get_by_role("button", name="Mark as urgent").click()
    expect(page.locator("#urgency")).to_contain_text("Urgent")
    page.get_by_role("link", name="Remove urgent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove urgent")
    look(page, "remove-urgent")
    page.get_by_role("button", name="Remove urgent").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the concern is no longer urgent.")
    look(page, "remove-urgent-error")
    page.get_by_label("Why is the concern no longer urgent?").fill(
        "Fictional: the child is safe with family."
    )
    page.get_by_role("button", name="Remove urgent").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The concern is no longer urgent.")
    expect(page.locator("#urgency")).to_contain_text("Not urgent")
    expect(page.locator("#timeline .moj-timeline__title").first).to_have_text("Urgent removed")
    expect(page.get_by_role("button", name="Mark as urgent")).to_be_visible()
    look(page, "concern-urgent-removed")
    concern.refresh_from_db()
    assert not concern.urgent
    assert concern.decision_due_at == clock_deadline(received_at=concern.received_at, about="child")
