"""Triage pages: what a worker sees and does on a concern, through the pages, with JavaScript off.

Every form page is a GOV.UK form with an error summary; every showing is audited as a view; every
change is a POST that comes back to the concern with a message; files download only as attachments.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns import services
from safeguarding.concerns.models import Concern, DecisionOption, Team
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory
from tests.staff import concern_views, login_verified, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern():
    return ConcernFactory(about="adult")


@pytest.fixture
def worker(client):
    user = TeamMemberFactory(teams=["adult-social-care"], viewer=True, first_name="Ada", last_name="Worker")
    login_verified(client, user)
    return user


def url(name: str, concern: Concern, **kwargs) -> str:
    return reverse(f"concerns:{name}", kwargs={"pk": concern.pk, **kwargs})


def main_text(response) -> str:
    return html(response).find("main").get_text(" ", strip=True)


def test_the_detail_page_shows_triage_with_links_to_every_action(client, worker, concern):
    page = html(client.get(url("concern_detail", concern)))
    assert page.find(id="status").get_text(strip=True) == "Received"
    assert page.find(id="assigned-to").get_text(strip=True) == "Nobody"
    assert page.find(id="current-decision").get_text(strip=True) == "No decision yet"
    hrefs = {a["href"] for a in page.select("main a.govuk-link")}
    for name in (
        "concern_assign",
        "concern_decide",
        "concern_note_add",
        "concern_attachment_add",
        "concern_information_share_add",
        "concern_team_share",
        "concern_legal_hold",
    ):
        assert url(name, concern) in hrefs, name
    assert len(page.find_all("h1")) == 1


def test_assign_to_me_and_unassign(client, worker, concern):
    response = post(client, url("concern_assign", concern), {"assignee": worker.pk}, follow=True)
    assert response.redirect_chain[-1][0] == url("concern_detail", concern)
    page = html(response)
    assert "The concern has been assigned." in page.select_one(".govuk-notification-banner").get_text()
    assert page.find(id="assigned-to").get_text(" ", strip=True).startswith("Ada Worker")
    assert page.find(id="status").get_text(strip=True) == "In triage"
    response = post(client, url("concern_unassign", concern), follow=True)
    assert html(response).find(id="assigned-to").get_text(strip=True) == "Nobody"


def test_the_assign_page_offers_only_members_of_the_receiving_teams(client, worker, concern):
    TeamMemberFactory(teams=["adult-social-care"], viewer=True, first_name="Bo", last_name="Colleague")
    outsider = TeamMemberFactory(
        teams=["children-front-door"], viewer=True, first_name="Cy", last_name="Outsider"
    )
    response = client.get(url("concern_assign", concern))
    options = [o.get_text(strip=True) for o in html(response).select("select#assign-assignee option")]
    assert "Bo Colleague" in options
    assert "Ada Worker" in options
    assert "Cy Outsider" not in options
    assert f"Concern {concern.reference} viewed: Assign the concern" in concern_views(concern)
    # Posting someone outside the teams is an error on the page, not a change.
    response = post(client, url("concern_assign", concern), {"assignee": outsider.pk})
    assert response.status_code == 200
    assert html(response).select_one(".govuk-error-summary")
    concern.refresh_from_db()
    assert concern.assigned_to is None


def test_an_empty_decision_shows_gov_uk_errors(client, worker, concern):
    response = post(client, url("concern_decide", concern), {})
    page = html(response)
    summary = page.select_one(".govuk-error-summary")
    links = {a.get_text(strip=True): a["href"] for a in summary.select("a")}
    assert links == {
        "Choose a decision.": "#decision-option",
        "Enter the reasons for the decision.": "#decision-reasons",
    }
    assert page.find("title").get_text().startswith("Error: ")
    assert page.select_one("fieldset legend").get_text(strip=True) == "What is the decision?"
    assert page.find(id="decision-reasons-error")
    assert not concern.decisions.exists()


def test_recording_a_decision(client, worker, concern):
    page = html(client.get(url("concern_decide", concern)))
    labels = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert "Section 42 enquiry (adults)" in labels
    assert "Child protection enquiry (section 47)" not in labels
    option = DecisionOption.objects.get(code="section_42")
    response = post(
        client,
        url("concern_decide", concern),
        {"option": option.pk, "reasons": "Fictional reasons."},
        follow=True,
    )
    page = html(response)
    assert page.find(id="status").get_text(strip=True) == "Decided"
    assert page.find(id="current-decision").get_text(" ", strip=True).startswith("Section 42 enquiry")
    assert "Fictional reasons." in page.find(id="decisions").get_text()
    assert page.find(id="retention").get_text(strip=True) != "Set when a decision is recorded"
    # Now it can be closed, then reopened, with buttons on the page.
    post(client, url("concern_close", concern))
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    post(client, url("concern_reopen", concern))
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_TRIAGE


def test_closing_an_undecided_concern_says_why_not(client, worker, concern):
    response = post(client, url("concern_close", concern), follow=True)
    assert "cannot be closed" in main_text(response) or "cannot be closed" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED


def test_notes_show_newest_last(client, worker, concern):
    post(client, url("concern_note_add", concern), {"text": "First fictional note."})
    post(client, url("concern_note_add", concern), {"text": "Second fictional note."})
    notes = html(client.get(url("concern_detail", concern))).find(id="notes")
    text = notes.get_text(" ", strip=True)
    assert text.index("First fictional note.") < text.index("Second fictional note.")


def test_an_attachment_uploads_and_downloads_only_as_an_attachment(client, worker, concern):
    upload = SimpleUploadedFile("fictional statement.txt", b"Fictional words.", content_type="text/plain")
    response = post(client, url("concern_attachment_add", concern), {"file": upload}, follow=True)
    assert "The file has been added." in response.content.decode()
    attachment = concern.attachments.get()
    link = html(response).find(id="attachments").find("a")
    assert link.get_text(strip=True) == "fictional statement.txt"
    download = client.get(link["href"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Fictional words."
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.VIEWED, target_type="concerns.concernattachment", target_id=str(attachment.pk)
    ).exists()


def test_a_refused_upload_is_an_error_on_the_page(client, worker, concern):
    upload = SimpleUploadedFile("report.pdf", b"not really a pdf", content_type="application/pdf")
    response = post(client, url("concern_attachment_add", concern), {"file": upload})
    assert response.status_code == 200
    assert html(response).select_one(".govuk-error-summary a")["href"] == "#attachment-file"
    assert not concern.attachments.exists()


def test_an_altered_attachment_is_not_served(client, worker, concern):
    attachment = services.attachment_add(
        concern=concern, file=io.BytesIO(b"Fictional."), name="a.txt", by=worker
    )
    with attachment.file.storage.open(attachment.file.name, "wb") as handle:
        handle.write(b"Changed.")
    response = client.get(url("concern_attachment_download", concern, attachment_pk=attachment.pk))
    assert response.status_code == 409
    assert "The file has changed" in main_text(response)


def test_an_attachment_of_another_concern_is_not_found(client, worker, concern):
    other = ConcernFactory(about="adult")
    attachment = services.attachment_add(
        concern=other, file=io.BytesIO(b"Fictional."), name="a.txt", by=worker
    )
    response = client.get(url("concern_attachment_download", concern, attachment_pk=attachment.pk))
    assert response.status_code == 404


def test_recording_information_shared_with_another_agency(client, worker, concern):
    agency = AgencyFactory(name="Testborough Police")
    page = html(client.get(url("concern_information_share_add", concern)))
    assert page.find(id="share-decided_by")["value"] == "Ada Worker"
    today = datetime.date.today()
    response = post(
        client,
        url("concern_information_share_add", concern),
        {
            "agency": agency.pk,
            "recipient": "Fictional CSE desk",
            "what_shared": "The fictional vehicle details.",
            "purpose": "Fictional disruption.",
            "lawful_basis": "public_task",
            "decided_by": "Ada Worker, social worker",
            "shared_on_0": today.day,
            "shared_on_1": today.month,
            "shared_on_2": today.year,
        },
        follow=True,
    )
    log = html(response).find(id="information-sharing").get_text(" ", strip=True)
    assert "Testborough Police: Fictional CSE desk" in log
    assert "Statutory safeguarding duty (public task)" in log
    assert concern.information_shares.count() == 1


def test_an_incomplete_information_share_says_what_to_fix(client, worker, concern):
    response = post(client, url("concern_information_share_add", concern), {"lawful_basis": "nonsense"})
    assert response.status_code == 200
    errors = [a.get_text(strip=True) for a in html(response).select(".govuk-error-summary a")]
    assert "Choose the agency it was shared with." in errors
    assert "Enter what was shared." in errors
    assert not concern.information_shares.exists()


def test_sharing_with_another_team(client, worker, concern):
    exploitation = Team.objects.get(slug="exploitation")
    options = [
        o.get_text(strip=True) for o in html(client.get(url("concern_team_share", concern))).select("option")
    ]
    assert "Exploitation team" in options
    assert "Adult social care" not in options
    response = post(
        client,
        url("concern_team_share", concern),
        {"team": exploitation.pk, "reason": "Fictional overlap."},
        follow=True,
    )
    routes = html(response).find(id="routes").get_text(" ", strip=True)
    assert "Shared with Exploitation team" in routes
    assert "Shared by Ada Worker: Fictional overlap." in routes
    analyst = TeamMemberFactory(teams=[exploitation], viewer=True)
    other = login_verified(type(client)(), analyst)
    assert other.get(url("concern_detail", concern)).status_code == 200


def test_legal_hold_on_and_off(client, worker, concern):
    page = html(client.get(url("concern_legal_hold", concern)))
    assert page.find("h1").get_text(strip=True) == "Place the concern on legal hold"
    response = post(client, url("concern_legal_hold", concern), {"reason": "Fictional inquiry."}, follow=True)
    assert "Legal hold Fictional inquiry." in html(response).find(id="retention").get_text(" ", strip=True)
    page = html(client.get(url("concern_legal_hold", concern)))
    assert page.find("h1").get_text(strip=True) == "Lift the legal hold"
    post(client, url("concern_legal_hold", concern), {"reason": "Inquiry over."})
    concern.refresh_from_db()
    assert concern.legal_hold is False


@pytest.mark.parametrize(
    "name",
    [
        "concern_assign",
        "concern_decide",
        "concern_note_add",
        "concern_attachment_add",
        "concern_information_share_add",
        "concern_team_share",
        "concern_legal_hold",
    ],
)
def test_every_form_page_is_audited_not_cached_and_has_one_h1(client, worker, concern, name):
    response = client.get(url(name, concern))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = html(response)
    assert len(page.find_all("h1")) == 1
    assert page.select_one("form[method=post] input[name=csrfmiddlewaretoken]")
    for field in page.select("main form input:not([type=hidden]), main form textarea, main form select"):
        assert page.find("label", attrs={"for": field["id"]}), (name, field["id"])
    assert len(concern_views(concern)) == 1


def test_a_change_without_the_csrf_token_is_refused(client, worker, concern):
    response = client.post(url("concern_note_add", concern), {"text": "Fictional."})
    assert response.status_code == 403
    assert not concern.notes.exists()
