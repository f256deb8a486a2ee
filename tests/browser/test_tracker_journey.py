"""The tracker's whole journey in Chromium: from an agency's evidence to a joint sign-off, and back.

An agency lead signs in with two-step verification, updates an action and uploads evidence; a
partnership manager accepts it; members of both boards sign off the joint recommendation, which the
public page then shows as progressed in full; a later change reopens it. axe-core checks every staff
page visited.
"""

import datetime
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguarding.partnership.models import Board
from safeguarding.tracker.models import Action
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import assert_accessible
from tests.partnership.factories import AgencyFactory, BoardFactory, PartnershipFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.samples import PDF_BYTES
from tests.tracker.factories import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def joint_recommendation():
    PartnershipFactory()
    children = BoardFactory(
        short_name="TSCP", name="Testborough Children's Partnership", kind=Board.Kind.CHILDREN
    )
    adults = BoardFactory(short_name="TSAB", name="Testborough Adults Board", kind=Board.Kind.ADULTS)
    health = AgencyFactory(name="Testborough Health Trust")
    review = ReviewFactory(slug="training-review", is_demo=True, boards=[children, adults])
    recommendation = RecommendationFactory(
        review=review,
        reference="7",
        title="Share what agencies know about exploitation",
        boards=[children, adults],
    )
    action = ActionFactory(
        recommendation=recommendation,
        description="Train every health front-door worker to spot exploitation",
        owner_agency=health,
        due_date=datetime.date.today() + datetime.timedelta(days=90),
        status=Action.Status.IN_PROGRESS,
    )
    users = {
        "lead": UserFactory(agency_lead=health, username="lee.lead"),
        "manager": UserFactory(partnership_manager=children, username="mina.manager"),
        "member_children": UserFactory(board_member=children, username="mo.member"),
        "member_adults": UserFactory(board_member=adults, username="meg.member"),
    }
    return recommendation, action, users


def sign_in(browser, live_server, user):
    """A new browser session, signed in with a password and a code from the user's authenticator."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/account/login/"))
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/staff/account/two-step/"))
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Enter your security code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    return page


def fill_date(page, group: str, day: datetime.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def sign_off(page, recommendation, board_name: str) -> None:
    page.goto(f"/staff/recommendations/{recommendation.pk}/sign-off/")
    assert_accessible(page)
    board = page.get_by_label(board_name)
    if board.count():
        board.check()
    fill_date(page, "Date of the meeting", datetime.date.today())
    page.get_by_label("Minute reference").fill("JB/2026/14")
    page.get_by_label("Progressed in full", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)


def public_status(page, recommendation) -> str:
    page.goto(f"/reviews/training-review/recommendations/{recommendation.reference}/")
    return page.locator("main .govuk-tag").first.inner_text()


def test_from_evidence_to_joint_sign_off_and_reopening(browser, live_server, joint_recommendation, tmp_path):
    recommendation, action, users = joint_recommendation

    # The agency lead marks the action complete and uploads the training register.
    lead = sign_in(browser, live_server, users["lead"])
    assert_accessible(lead)
    lead.goto(f"/staff/actions/{action.pk}/")
    expect(lead.locator("h1")).to_have_text("Train every health front-door worker to spot exploitation")
    assert_accessible(lead)
    # One task per page: the status is changed on a page of its own.
    lead.get_by_role("link", name="Change status").click()
    expect(lead.locator("h1")).to_have_text("Change the status, due date or lead")
    assert_accessible(lead)
    lead.get_by_label("Complete", exact=True).check()
    lead.get_by_role("button", name="Save changes").click()
    expect(lead.locator(".govuk-error-summary")).to_have_count(0)
    expect(lead.locator(".moj-timeline__title").first).to_have_text("Status changed to complete")
    # A progress note, on its own page.
    lead.get_by_role("button", name="Add a progress note").click()
    assert_accessible(lead)
    lead.get_by_role("button", name="Add the note").click()
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Enter the progress note")
    assert_accessible(lead)
    lead.get_by_label("Progress note").fill("All sessions delivered")
    lead.get_by_role("button", name="Add the note").click()
    expect(lead.locator(".moj-timeline__item").first).to_contain_text("All sessions delivered")
    # Evidence: choosing "File" reveals only the file field.
    lead.get_by_role("button", name="Add evidence").click()
    expect(lead.locator("h1")).to_have_text("Add evidence")
    expect(lead.get_by_label("Upload the file")).to_be_hidden()
    expect(lead.get_by_label("Link to the evidence")).to_be_hidden()
    assert_accessible(lead)
    register = tmp_path / "training-register.pdf"
    register.write_bytes(PDF_BYTES)
    lead.get_by_label("File", exact=True).check()
    expect(lead.get_by_label("Upload the file")).to_be_visible()
    expect(lead.get_by_label("Link to the evidence")).to_be_hidden()
    expect(lead.get_by_label("The note")).to_be_hidden()
    assert_accessible(lead)
    lead.get_by_label("Title").fill("Training register, March")
    lead.get_by_label("Upload the file").set_input_files(str(register))
    fill_date(lead, "Date the evidence applies from", datetime.date.today())
    lead.get_by_role("button", name="Add the evidence").click()
    expect(lead.locator(".govuk-error-summary")).to_have_count(0)
    expect(lead.get_by_text("Training register, March").first).to_be_visible()
    assert_accessible(lead)

    # The partnership manager accepts it.
    manager = sign_in(browser, live_server, users["manager"])
    manager.goto(f"/staff/recommendations/{recommendation.pk}/")
    assert_accessible(manager)
    manager.get_by_role("link", name=re.compile("Training register, March")).first.click()
    expect(manager.locator("h1")).to_be_visible()
    assert_accessible(manager)
    manager.get_by_label("Accept it").check()
    manager.get_by_role("button", name="Save the decision").click()
    expect(manager.get_by_text("Accepted").first).to_be_visible()
    # The manager overrides the RAG status on its own page, then removes the override on another.
    manager.get_by_role("button", name="Override the RAG status").click()
    expect(manager.locator("h1")).to_have_text("Override the RAG status")
    assert_accessible(manager)
    manager.get_by_label("Amber").check()
    manager.get_by_label("Why the computed status is wrong").fill("Register still being checked")
    manager.get_by_role("button", name="Save the override").click()
    expect(manager.locator("#rag")).to_contain_text("Amber (override)")
    assert_accessible(manager)
    manager.get_by_role("link", name="Remove the override").click()
    assert_accessible(manager)
    manager.get_by_label("Why the override is no longer needed").fill("Checked")
    manager.get_by_role("button", name="Remove the override").click()
    expect(manager.locator(".moj-timeline__title").first).to_have_text("RAG override removed")

    # One board signs off: a joint recommendation is not yet progressed in full.
    children = sign_in(browser, live_server, users["member_children"])
    sign_off(children, recommendation, "Testborough Children's Partnership")
    assert public_status(children, recommendation) == "In progress"

    # The other board signs off: now it is, on the public page.
    adults = sign_in(browser, live_server, users["member_adults"])
    sign_off(adults, recommendation, "Testborough Adults Board")
    assert public_status(adults, recommendation) == "Progressed in full"
    adults.goto(f"/staff/recommendations/{recommendation.pk}/")
    assert_accessible(adults)

    # A later change by the agency reopens it, and the staff page says what changed.
    lead.goto(f"/staff/actions/{action.pk}/change/")
    lead.get_by_label("In progress", exact=True).check()
    lead.get_by_role("button", name="Save changes").click()
    assert public_status(lead, recommendation) == "In progress"
    lead.goto(f"/staff/recommendations/{recommendation.pk}/")
    expect(
        lead.get_by_text(re.compile(r"status changed from complete to in progress", re.I)).first
    ).to_be_visible()
    assert_accessible(lead)


def test_without_javascript_every_evidence_field_shows_and_only_the_chosen_one_is_read(
    browser, live_server, joint_recommendation
):
    _recommendation, action, users = joint_recommendation
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/staff/")
    page.get_by_label("Username").fill(users["lead"].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.get(user=users["lead"])
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Enter your security code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"/staff/actions/{action.pk}/evidence/")
    for label in ("Upload the file", "Link to the evidence", "The note"):
        expect(page.get_by_label(label)).to_be_visible()
    page.get_by_label("Title").fill("Team briefing")
    page.get_by_label("Note", exact=True).check()
    page.get_by_label("The note").fill("Briefed the whole team")
    page.get_by_label("Link to the evidence").fill("not a link")  # typed, then the kind changed
    fill_date(page, "Date the evidence applies from", datetime.date.today())
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text("Team briefing").first).to_be_visible()
    context.close()
