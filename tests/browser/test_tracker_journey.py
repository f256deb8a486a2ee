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
    expect(lead.get_by_text("Train every health front-door worker").first).to_be_visible()
    assert_accessible(lead)
    lead.get_by_label("Complete", exact=True).check()
    lead.get_by_role("button", name="Save changes").click()
    expect(lead.locator(".govuk-error-summary")).to_have_count(0)
    register = tmp_path / "training-register.pdf"
    register.write_bytes(PDF_BYTES)
    lead.get_by_label("File", exact=True).check()
    lead.get_by_label("Title").fill("Training register, March")
    lead.get_by_label("File (if it is a file)").set_input_files(str(register))
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
    lead.goto(f"/staff/actions/{action.pk}/")
    lead.get_by_label("In progress", exact=True).check()
    lead.get_by_role("button", name="Save changes").click()
    assert public_status(lead, recommendation) == "In progress"
    lead.goto(f"/staff/recommendations/{recommendation.pk}/")
    expect(
        lead.get_by_text(re.compile(r"status changed from complete to in progress", re.I)).first
    ).to_be_visible()
    assert_accessible(lead)
