"""Issue 4's "done when" in Chromium: a concern about an adult, from the public to the right team, and
no further.

A member of the public reports a concern about an adult anonymously, with two vehicles and a phone
number, and gets a reference and a receipt code; with them, they add information later. A triage
worker of adult social care signs in with two-step verification, finds the concern in the team's
queue, sees everything that was reported, assigns it to themself, records a section 42 enquiry and
logs a disclosure to the police. The database then holds the decision, the log entry and an audit
event for every view and change. A worker of the children's front door cannot see the concern: it is
not in their queue, and its address is a 404. axe-core checks every page of both journeys, error
pages included.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Concern, DecisionOption, InformationShare
from safeguarding.partnership.models import Agency
from tests.browser.conftest import assert_accessible
from tests.browser.test_tracker_journey import sign_in
from tests.concerns.factories import TeamMemberFactory
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Synthetic data only: fictional registrations, a phone number from Ofcom's drama range.
NARRATIVE = "A fictional account for a browser test: a neighbour is collected late at night by strangers."
REGISTRATIONS = ["AB12 CDE", "XY34 FGH"]
PHONE = "07700 900123"
ADDED = "A fictional further detail: the same silver car came back on Sunday."
REASONS = "Fictional reasons: an adult with care and support needs may be being exploited."


@pytest.fixture
def teams_and_options():
    """The default teams, routing rules and decision options, as the data migrations make them.

    Transactional tests empty the database after each test, so what the migrations put in may have
    gone before this test runs: the migrations' own functions (idempotent) put it back.
    """
    for name, function in (
        ("0002_default_teams_and_rules", "create_defaults"),
        ("0006_default_decision_options", "add_defaults"),
    ):
        migration = importlib.import_module(f"safeguarding.concerns.migrations.{name}")
        getattr(migration, function)(apps, None)


@pytest.fixture
def police(teams_and_options):
    return AgencyFactory(slug="testborough-police", name="Testborough Police", sector=Agency.Sector.POLICE)


@pytest.fixture
def adult_worker(teams_and_options):
    return TeamMemberFactory(
        teams=["adult-social-care"], viewer=True, username="ada.adults", first_name="Ada", last_name="Adults"
    )


@pytest.fixture
def children_worker(teams_and_options):
    return TeamMemberFactory(
        teams=["children-front-door"],
        viewer=True,
        username="cy.children",
        first_name="Cy",
        last_name="Children",
    )


# --- The public journey -------------------------------------------------------------------------


def _continue(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Continue|Save and continue)$")).click()


def _answer_no_more(page: Page) -> None:
    """ "Do you want to add another?" (or "Do you know of any?"): no."""
    page.get_by_label("No").check()
    assert_accessible(page)
    _continue(page)


def report_concern(page: Page) -> tuple[str, str]:
    """Walk every page of /report/ as an anonymous reporter; returns the reference and receipt code."""
    page.goto("/report/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    _continue(page)  # no answer: the error state is checked too
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if someone is in immediate danger"
    )
    assert_accessible(page)
    page.get_by_label("No").check()
    _continue(page)

    page.get_by_label("An adult (18 or over)").check()
    assert_accessible(page)
    _continue(page)
    page.get_by_label("What is happening?").fill(NARRATIVE)
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Picked up or dropped off in cars").check()
    assert_accessible(page)
    _continue(page)
    assert_accessible(page)
    _continue(page)  # where and when: optional

    _answer_no_more(page)  # people
    for registration in REGISTRATIONS:
        page.get_by_label("Yes").check()
        assert_accessible(page)
        _continue(page)
        page.get_by_label(re.compile("Registration number")).fill(registration)
        assert_accessible(page)
        _continue(page)
    expect(page.locator("h1")).to_have_text("You have added 2 vehicles")
    _answer_no_more(page)

    page.get_by_label("Yes").check()  # phones
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Phone number").fill(PHONE)
    assert_accessible(page)
    _continue(page)
    _answer_no_more(page)  # no more phones
    _answer_no_more(page)  # places
    _answer_no_more(page)  # online accounts

    page.get_by_label("No, I want to stay anonymous").check()
    assert_accessible(page)
    _continue(page)
    assert_accessible(page)
    _continue(page)  # relationship: optional
    page.get_by_label("Not sure").check()  # does the adult know?
    assert_accessible(page)
    _continue(page)
    assert_accessible(page)
    _continue(page)  # what they want: optional

    expect(page.locator("h1")).to_have_text("Check your answers before sending your report")
    main = page.locator("main")
    for value in [*REGISTRATIONS, PHONE]:
        expect(main).to_contain_text(value)
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    assert_accessible(page)
    reference = page.locator(".govuk-panel__body strong").inner_text().strip()
    code = page.locator("#receipt-code").inner_text().strip()
    assert reference
    assert code
    return reference, code


def follow_up(page: Page, reference: str, code: str, information: str = "") -> None:
    """Fill /report/follow-up/ (reached from wherever the page is) with a reference and a code."""
    page.get_by_label("Reference number").fill(reference)
    page.get_by_label("Receipt code").fill(code)
    page.get_by_label(re.compile("Information to add")).fill(information)
    _continue(page)


def add_information(page: Page, reference: str, code: str) -> None:
    """From the confirmation page to /report/follow-up/: a wrong code first, then the right one."""
    page.get_by_role("link", name=re.compile("add information to your report")).click()
    expect(page).to_have_url(re.compile(r"/report/follow-up/$"))
    assert_accessible(page)

    follow_up(page, reference, "ABCD-EFGH-JKMN-PQRS", ADDED)  # a wrong code learns nothing
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "We could not find a report with that reference number and receipt code."
    )
    assert_accessible(page)

    follow_up(page, reference, code, ADDED)
    expect(page.locator("h1")).to_have_text("Information added")
    expect(page.locator("#report-status")).to_have_text("Your report has been received.")
    assert_accessible(page)


# --- The staff journey --------------------------------------------------------------------------


def open_from_queue(page: Page, reference: str) -> None:
    """From the service navigation to the team's queue, then the concern by its reference."""
    # The staff menu item, whose name may end with its count ("Concerns 1 waiting for a decision").
    page.locator("header nav").get_by_role("link", name=re.compile(r"^Concerns\b")).click()
    # A member of one team goes straight to its queue.
    expect(page).to_have_url(re.compile(r"/staff/concerns/teams/adult-social-care/$"))
    expect(page.locator("h1")).to_have_text("Adult social care")
    assert_accessible(page)
    page.locator("#queue").get_by_role("link", name=reference, exact=True).click()
    expect(page.locator("h1")).to_contain_text(reference)
    assert_accessible(page)


def check_what_was_reported(page: Page) -> None:
    expect(page.locator("#narrative")).to_have_text(NARRATIVE)
    vehicles = page.locator("#vehicles li")
    expect(vehicles).to_have_count(2)
    for registration in REGISTRATIONS:
        expect(page.locator("#vehicles")).to_contain_text(registration)
    expect(page.locator("#phones")).to_contain_text(PHONE)
    expect(page.locator("#additional-information")).to_contain_text(ADDED)
    expect(page.locator("#reporter")).to_contain_text("Anonymous")
    expect(page.locator("#status")).to_have_text("Received")


def assign_to_me(page: Page) -> None:
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The concern has been assigned.")
    expect(page.locator("#assigned-to")).to_contain_text("Ada Adults")
    expect(page.locator("#status")).to_have_text("In triage")
    assert_accessible(page)


def record_decision(page: Page) -> None:
    page.locator("#current-decision").locator("xpath=..").get_by_role(
        "link", name="Record a decision"
    ).click()
    expect(page.locator("h1")).to_have_text("Record a decision")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()  # nothing chosen: the error state
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a decision.")
    assert_accessible(page)
    page.get_by_label("Section 42 enquiry (adults)").check()
    page.get_by_label("Reasons for the decision").fill(REASONS)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The decision has been recorded.")
    expect(page.locator("#current-decision")).to_contain_text("Section 42 enquiry (adults)")
    expect(page.locator("#status")).to_have_text("Decided")
    assert_accessible(page)


def record_police_share(page: Page) -> None:
    page.get_by_role("link", name="Record information shared with another agency").click()
    expect(page.locator("h1")).to_have_text("Record information shared with another agency")
    assert_accessible(page)
    page.get_by_label("Agency it was shared with").select_option(label="Testborough Police")
    page.get_by_label("Person or team at the agency").fill("Exploitation desk, fictional")
    page.get_by_label("What was shared").fill("The two vehicle registrations and the phone number.")
    page.get_by_label("Why it was shared").fill("To check them against police intelligence.")
    page.get_by_label("Safeguarding of children or individuals at risk").check()
    # "Who decided" and the date are filled in for the worker; the date is today.
    expect(page.get_by_label("Who decided to share it")).to_have_value("Ada Adults")
    page.get_by_label("Who decided to share it").fill("Ada Adults, triage social worker")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The information sharing has been recorded."
    )
    log = page.locator("#information-sharing")
    expect(log).to_contain_text("Testborough Police: Exploitation desk, fictional")
    expect(log).to_contain_text("Safeguarding of children or individuals at risk")
    assert_accessible(page)


# --- What the database holds ----------------------------------------------------------------------


def check_database(concern: Concern, worker, police: Agency) -> None:
    concern.refresh_from_db()
    assert concern.about == "adult"
    assert concern.reporter_anonymous
    assert sorted(v.registration for v in concern.vehicles.all()) == REGISTRATIONS
    assert [p.number for p in concern.phones.all()] == [PHONE]
    assert [a.text for a in concern.additional_information.all()] == [ADDED]
    # An adult: to adult social care; a sign of exploitation ticked: also to the exploitation team.
    routed_to = set(concern.routes.values_list("team__slug", flat=True))
    assert routed_to == {"adult-social-care", "exploitation"}

    assert concern.status == Concern.Status.DECIDED
    assert concern.assigned_to == worker
    decision = concern.decisions.get()
    assert decision.option == DecisionOption.objects.get(code="section_42")
    assert decision.decided_by == worker
    assert decision.reasons == REASONS
    # A section 42 enquiry is kept for 15 years from the decision (migration 0006).
    assert concern.retain_until is not None
    assert concern.retain_until.year == timezone.localdate().year + 15

    share = InformationShare.objects.get(concern=concern)
    assert share.agency == police
    assert share.recipient == "Exploitation desk, fictional"
    assert share.lawful_basis == Concern.LawfulBasis.SAFEGUARDING
    assert share.decided_by == "Ada Adults, triage social worker"
    assert share.shared_on == timezone.localdate()
    assert share.recorded_by == worker

    events = AuditEvent.objects.filter(
        subject_type="concerns.concern", subject_id=str(concern.pk), actor_id=worker.pk
    )
    summaries = list(events.values_list("kind", "summary"))
    ref = concern.reference
    # Every showing: the concern itself (opened, and again after each change), and each form page.
    views = [summary for kind, summary in summaries if kind == AuditEvent.Kind.VIEWED]
    assert views.count(f"Concern {ref} viewed") >= 4
    assert f"Concern {ref} viewed: Record a decision" in views
    assert f"Concern {ref} viewed: Record information shared with another agency" in views
    # Every change.
    assert (AuditEvent.Kind.UPDATED, f"Concern {ref} assigned") in summaries
    assert (AuditEvent.Kind.CREATED, f"Decision recorded on concern {ref}: section_42") in summaries
    assert (AuditEvent.Kind.CREATED, f"Information sharing recorded on concern {ref}") in summaries
    # None of what was reported is in the audit trail.
    trail = " ".join(str(value) for row in events.values_list("summary", "changes", "data") for value in row)
    for secret in [NARRATIVE, ADDED, PHONE, *REGISTRATIONS, REASONS, "Exploitation desk"]:
        assert secret not in trail


# --- Someone in another team ----------------------------------------------------------------------


def check_hidden_from(page: Page, concern: Concern) -> None:
    """A children's front door worker: not in their queue, and a 404 at its address."""
    # The staff menu item, whose name may end with its count ("Concerns 1 waiting for a decision").
    page.locator("header nav").get_by_role("link", name=re.compile(r"^Concerns\b")).click()
    expect(page).to_have_url(re.compile(r"/staff/concerns/teams/children-front-door/$"))
    expect(page.locator("main")).not_to_contain_text(concern.reference)
    assert_accessible(page)

    response = page.goto(f"/staff/concerns/{concern.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text(concern.reference)
    expect(page.locator("main")).not_to_contain_text(NARRATIVE)
    assert_accessible(page)
    response = page.goto(f"/staff/concerns/{concern.pk}/information-sharing/add/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    response = page.goto("/staff/concerns/teams/adult-social-care/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)


def test_an_adult_concern_reaches_adult_social_care_and_no_one_else(
    page, browser, live_server, police, adult_worker, children_worker
):
    reference, code = report_concern(page)
    add_information(page, reference, code)
    concern = Concern.objects.get(reference=reference)

    worker_page = sign_in(browser, live_server, adult_worker)
    assert_accessible(worker_page)
    open_from_queue(worker_page, reference)
    check_what_was_reported(worker_page)
    assign_to_me(worker_page)
    record_decision(worker_page)
    record_police_share(worker_page)
    check_database(concern, adult_worker, police)

    # The reporter, checking back, learns only that the report is being looked at.
    page.goto("/report/follow-up/")
    assert_accessible(page)
    follow_up(page, reference, code)
    expect(page.locator("h1")).to_have_text("Your report")
    expect(page.locator("#report-status")).to_have_text(
        "Your report has been received and is being looked at."
    )
    assert_accessible(page)

    children_page = sign_in(browser, live_server, children_worker)
    assert_accessible(children_page)
    check_hidden_from(children_page, concern)
    assert not AuditEvent.objects.filter(
        kind=AuditEvent.Kind.VIEWED,
        target_type="concerns.concern",
        target_id=str(concern.pk),
        actor_id=children_worker.pk,
    ).exists()
