"""Tracker work pages: what each person sees, the forms, downloads, and constant query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.tracker import services
from safeguarding.tracker.models import Action, Evidence, SignOff
from tests.conftest import html
from tests.reviews.factories import RecommendationFactory
from tests.samples import PDF_BYTES
from tests.staff import login_verified
from tests.tracker.factories import ActionFactory, EvidenceFactory, FileEvidenceFactory

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _get(client, user, name, **kwargs):
    login_verified(client, user)
    response = client.get(reverse(f"tracker:{name}", kwargs=kwargs))
    assert response.status_code == 200
    page = html(response)
    assert len(page.find_all("h1")) == 1
    return page


def _post(client, name, data, **kwargs):
    return client.post(
        reverse(f"tracker:{name}", kwargs=kwargs),
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data},
    )


# --- List ------------------------------------------------------------------------------------------


def test_the_list_shows_rag_counts_and_progress(client, world):
    Action.objects.filter(pk=world.action_y.pk).update(status=Action.Status.COMPLETE)
    EvidenceFactory(action=world.action_y, supplied_by=world.user("lead_y"), accepted=True)
    page = _get(client, world.user("viewer"), "recommendation_list")
    row = page.select_one("tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    assert cells[0] == f"{world.recommendation.reference}: Share what agencies know about exploitation"
    # Red, amber, green, complete: X's action is not started but due in June (green); Y's is done.
    assert cells[2:6] == ["0", "0", "1", "1"]
    assert cells[6] == "1 of 2"


def test_an_agency_lead_lists_only_recommendations_with_their_agencys_actions(client, world):
    other = RecommendationFactory(review=world.review, title="Only for the police")
    ActionFactory(recommendation=other, description="Police only", owner_agency=world.agency_y)
    page = _get(client, world.user("lead_x"), "recommendation_list")
    titles = [a.get_text() for a in page.select("tbody a")]
    assert titles == [f"{world.recommendation.reference}: Share what agencies know about exploitation"]
    page = _get(client, world.user("lead_y"), "recommendation_list")
    assert len(page.select("tbody tr")) == 2


def test_the_list_filters_by_agency_and_board(client, world):
    other = RecommendationFactory(review=world.review, title="Adults only", boards=[world.board_b])
    ActionFactory(recommendation=other, description="Adults", owner_agency=world.agency_y)
    login_verified(client, world.user("viewer"))
    url = reverse("tracker:recommendation_list")
    by_agency = html(client.get(url, {"agency": world.agency_x.pk}))
    assert by_agency.select_one("tbody a").get_text().endswith("Share what agencies know about exploitation")
    assert len(by_agency.select("tbody tr")) == 1
    by_board = html(client.get(url, {"board": world.board_a.pk}))
    assert len(by_board.select("tbody tr")) == 1  # "Adults only" is addressed to board B alone
    by_board_b = html(client.get(url, {"board": world.board_b.pk}))
    assert len(by_board_b.select("tbody tr")) == 2
    nonsense = client.get(url, {"board": "nonsense", "status": "<script>"})
    assert nonsense.status_code == 200


def _add_actions(world, count: int) -> None:
    for number in range(count):
        action = ActionFactory(
            recommendation=world.recommendation,
            description=f"Action number {number}",
            owner_agency=world.agency_x,
            lead=world.user("lead_x"),
            due_date=datetime.date(2027, 2, 1),
            status=Action.Status.IN_PROGRESS,
        )
        EvidenceFactory(action=action, supplied_by=world.user("lead_x"))


@pytest.mark.parametrize("name", ["recommendation_list", "recommendation_detail"])
def test_query_count_does_not_grow_with_the_number_of_actions(client, world, name):
    login_verified(client, world.user("manager_a"))
    kwargs = {"pk": world.recommendation.pk} if name == "recommendation_detail" else {}
    url = reverse(f"tracker:{name}", kwargs=kwargs)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_actions(world, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- One recommendation ----------------------------------------------------------------------------


def test_the_recommendation_page_shows_actions_rag_overrides_and_what_is_missing(client, world):
    services.action_rag_override_set(
        action=world.action_y, rag="red", reason="Vehicle system delayed", by=world.user("manager_a")
    )
    page = _get(client, world.user("member_a"), "recommendation_detail", pk=world.recommendation.pk)
    assert page.h1.get_text() == "Share what agencies know about exploitation"
    cards = page.select(".govuk-summary-card")
    assert len(cards) == 2
    card_y = next(card for card in cards if f"Action {world.action_y.pk}:" in card.get_text())
    assert "Red (override)" in card_y.select_one(".govuk-tag").get_text()
    assert "Override reason: Vehicle system delayed" in card_y.get_text()
    missing = [li.get_text() for li in page.select("#missing li")]
    assert missing == [
        "2 actions are not complete.",
        "2 actions have no evidence.",
        "TSAB has not signed it off.",
        "TSCP has not signed it off.",
    ]
    boards = [row.th.get_text() for row in page.select("#sign-off-table tbody tr")]
    assert boards == ["Testborough Adults Board (TSAB)", "Testborough Children's Partnership (TSCP)"]
    # A board member records sign-off; only managers add actions.
    assert page.find("a", string="Record a board decision")
    assert not page.find("a", string="Add an action")
    history = page.select_one("#history-table")
    assert "RAG override set" in history.get_text()
    assert "Vehicle system delayed" in history.get_text()
    assert str(world.user("manager_a")) in history.get_text()


def test_a_manager_sees_the_add_action_button_and_a_viewer_sees_no_forms(client, world):
    page = _get(client, world.user("manager_a"), "recommendation_detail", pk=world.recommendation.pk)
    assert page.find("a", string="Add an action")
    page = _get(client, world.user("viewer"), "recommendation_detail", pk=world.recommendation.pk)
    assert not page.find("a", string="Add an action")
    assert not page.find("a", string="Record a board decision")


def test_history_shows_who_when_before_and_after(client, world):
    services.action_update(
        action=world.action_x,
        by=world.user("lead_x"),
        description=world.action_x.description,
        lead=None,
        due_date=datetime.date(2027, 3, 31),
        status=Action.Status.IN_PROGRESS,
    )
    page = _get(client, world.user("viewer"), "recommendation_detail", pk=world.recommendation.pk)
    row = next(
        tr
        for tr in page.select("#history-table tbody tr")
        if f"Action {world.action_x.pk} changed" in tr.get_text()
    )
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0] == "15 Jan 2027 12:00"
    assert cells[1] == str(world.user("lead_x"))
    assert "Status Not started → In progress" in cells[3]
    assert "Due date 2027-06-30 → 2027-03-31" in cells[3]


# --- Forms -----------------------------------------------------------------------------------------


def _task_links(page) -> list[str]:
    return [a.get_text(" ", strip=True) for a in page.select("#tasks a")]


def test_the_action_page_shows_the_action_and_links_to_one_task_per_page(client, world):
    page = _get(client, world.user("manager_a"), "action_detail", pk=world.action_x.pk)
    assert page.h1.get_text(strip=True) == world.action_x.description
    assert not page.select("main form[method=post]")  # no forms stacked on the action's page
    assert _task_links(page) == ["Add a progress note", "Add evidence", "Override the RAG status"]
    change = reverse("tracker:action_change", kwargs={"pk": world.action_x.pk})
    assert page.select_one("#status").find_next("a")["href"] == change
    assert f"Action {world.action_x.pk}" not in page.get_text()


def test_a_lead_sees_their_tasks_and_a_viewer_none(client, world):
    page = _get(client, world.user("lead_x"), "action_detail", pk=world.action_x.pk)
    assert _task_links(page) == ["Add a progress note", "Add evidence"]  # no RAG override for a lead
    page = _get(client, world.user("viewer"), "action_detail", pk=world.action_x.pk)
    assert _task_links(page) == []
    assert not page.select(".govuk-summary-list__actions a")


@pytest.mark.parametrize(
    ("name", "heading", "role"),
    [
        ("action_change", "Change the status, due date or lead", "lead_x"),
        ("progress_note_create", "Add a progress note", "lead_x"),
        ("evidence_create", "Add evidence", "lead_x"),
        ("rag_override_set", "Override the RAG status", "manager_a"),
    ],
)
def test_each_task_is_a_page_with_one_form(client, world, name, heading, role):
    page = _get(client, world.user(role), name, pk=world.action_x.pk)
    assert page.h1.get_text(strip=True) == heading
    assert page.select_one(".govuk-caption-l").get_text(strip=True) == world.action_x.description
    assert len(page.select("main form[method=post]")) == 1
    back = reverse("tracker:action_detail", kwargs={"pk": world.action_x.pk})
    assert page.find("a", string="Cancel")["href"] == back
    crumb = page.select(".govuk-breadcrumbs__link")[-1]
    assert (crumb["href"], crumb.get_text(strip=True)) == (back, "Train every health front-door worker to …")


def test_the_remove_override_page_shows_only_when_there_is_an_override(client, world):
    login_verified(client, world.user("manager_a"))
    url = reverse("tracker:rag_override_clear", kwargs={"pk": world.action_x.pk})
    assert client.get(url).status_code == 303  # nothing to remove
    services.action_rag_override_set(
        action=world.action_x, rag="green", reason="Agreed at board", by=world.user("manager_a")
    )
    page = _get(client, world.user("manager_a"), "rag_override_clear", pk=world.action_x.pk)
    assert page.h1.get_text(strip=True) == "Remove the RAG override"
    response = _post(client, "rag_override_clear", {"reason": ""}, pk=world.action_x.pk)
    assert (
        "Enter why the override is no longer needed"
        in html(response).select_one("#override-clear-reason-error").get_text()
    )
    response = _post(client, "rag_override_clear", {"reason": "Contract signed"}, pk=world.action_x.pk)
    assert response.status_code == 303
    world.action_x.refresh_from_db()
    assert world.action_x.rag_override == ""


def test_an_agency_lead_updates_their_action_through_the_change_page(client, world):
    page = _get(client, world.user("lead_x"), "action_change", pk=world.action_x.pk)
    assert not page.select_one("#action-owner_agency")  # leads cannot give the action away
    leads = [option.get_text() for option in page.select("#action-lead option")]
    assert leads == ["No named lead yet", f"{world.user('lead_x')} (Testborough Health Trust)"]
    response = _post(
        client,
        "action_change",
        {"description": "Train all front-door staff", "status": "complete", "due_date_0": "", "lead": ""},
        pk=world.action_x.pk,
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("tracker:action_detail", kwargs={"pk": world.action_x.pk})
    page = html(client.get(response["Location"]))
    assert page.select_one(".govuk-notification-banner").get_text(strip=True).endswith("Action updated.")
    world.action_x.refresh_from_db()
    assert world.action_x.status == Action.Status.COMPLETE
    timeline = page.select(".moj-timeline__item")
    assert timeline[0].select_one(".moj-timeline__title").get_text(strip=True) == "Status changed to complete"
    assert f"by {world.user('lead_x')}" in timeline[0].get_text(" ", strip=True)
    assert "Status: Not started to Complete" in timeline[0].get_text(" ", strip=True)


def test_the_timeline_shows_notes_and_evidence_newest_first(client, world):
    lead = world.user("lead_x")
    services.progress_note_add(action=world.action_x, text="Booked the sessions", by=lead)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        EvidenceFactory(action=world.action_x, supplied_by=lead, title="Training register")
    page = _get(client, world.user("viewer"), "action_detail", pk=world.action_x.pk)
    titles = [t.get_text(strip=True) for t in page.select(".moj-timeline__title")]
    assert titles[:2] == ["Evidence added (note)", "Progress note"]
    assert "Training register" in page.select(".moj-timeline__item")[0].get_text()
    assert "Booked the sessions" in page.select(".moj-timeline__item")[1].get_text()


def test_a_half_typed_date_shows_an_error_beside_the_field(client, world):
    _get(client, world.user("lead_x"), "action_change", pk=world.action_x.pk)
    response = _post(
        client,
        "action_change",
        {
            "description": "x",
            "status": "in_progress",
            "due_date_0": "31",
            "due_date_1": "2",
            "due_date_2": "2027",
        },
        pk=world.action_x.pk,
    )
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(".govuk-error-summary a")["href"] == "#action-due_date"
    assert page.select_one("#action-due_date")  # the day box the summary links to
    assert "The due date must be a real date." in page.select_one("#action-due_date-error").get_text()
    assert page.title.get_text().startswith("Error:")


# --- Evidence: each kind reveals only its own field ------------------------------------------------


def test_each_kind_of_evidence_reveals_its_own_field(client, world):
    page = _get(client, world.user("lead_x"), "evidence_create", pk=world.action_x.pk)
    radios = page.select("input[name=kind]")
    assert [r["value"] for r in radios] == ["file", "link", "note"]
    for radio, field in zip(radios, ["evidence-file", "evidence-url", "evidence-note"], strict=True):
        conditional = page.select_one(f"#{radio['data-aria-controls']}")
        assert "govuk-radios__conditional" in conditional["class"]
        assert "govuk-radios__conditional--hidden" in conditional["class"]  # none chosen yet
        assert [el["id"] for el in conditional.select("input, textarea")] == [field]
    assert page.select_one("main form")["enctype"] == "multipart/form-data"


def _evidence(kind: str, **fields) -> dict:
    return {
        "kind": kind,
        "title": "Register",
        "effective_date_0": "4",
        "effective_date_1": "1",
        "effective_date_2": "2027",
        **fields,
    }


def test_only_the_chosen_kinds_field_is_read(client, world):
    _get(client, world.user("lead_x"), "evidence_create", pk=world.action_x.pk)
    # Without JavaScript every field shows: a stray, even invalid, link is ignored for a note.
    response = _post(
        client,
        "evidence_create",
        _evidence("note", note="All trained", url="not a link"),
        pk=world.action_x.pk,
    )
    assert response.status_code == 303
    evidence = Evidence.objects.get(action=world.action_x)
    assert (evidence.kind, evidence.note, evidence.url) == ("note", "All trained", "")


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("file", "evidence-file", "Choose a file to upload."),
        ("link", "evidence-url", "Enter the link to the evidence."),
        ("note", "evidence-note", "Enter the note."),
    ],
)
def test_the_chosen_kinds_field_has_its_own_error_and_stays_revealed(client, world, kind, field, message):
    _get(client, world.user("lead_x"), "evidence_create", pk=world.action_x.pk)
    response = _post(client, "evidence_create", _evidence(kind), pk=world.action_x.pk)
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(f"#{field}-error").get_text(" ", strip=True) == f"Error: {message}"
    assert [a["href"] for a in page.select(".govuk-error-summary a")] == [f"#{field}"]
    conditional = page.select_one(f"#{field}").find_parent(class_="govuk-radios__conditional")
    assert "govuk-radios__conditional--hidden" not in conditional["class"]
    assert "This field is required." not in page.get_text()


def test_an_empty_evidence_form_says_what_is_missing_for_each_field(client, world):
    _get(client, world.user("lead_x"), "evidence_create", pk=world.action_x.pk)
    response = _post(client, "evidence_create", {}, pk=world.action_x.pk)
    page = html(response)
    messages = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert messages == [
        "Enter a title for the evidence",
        "Select what kind of evidence it is",
        "Enter the date the evidence applies from",
    ]
    assert "This field is required." not in page.get_text()


def test_a_manager_adds_an_action(client, world):
    page = _get(client, world.user("manager_a"), "action_create", pk=world.recommendation.pk)
    assert page.h1.get_text() == "Add an action"
    response = _post(
        client,
        "action_create",
        {
            "description": "Set up a multi-agency vehicle log",
            "owner_agency": world.agency_y.pk,
            "lead": world.user("lead_x").pk,
            "status": "not_started",
        },
        pk=world.recommendation.pk,
    )
    assert response.status_code == 200  # the lead works for the other agency
    assert (
        "Choose a lead who works for Testborough Police."
        in html(response).select_one(".govuk-error-summary").get_text()
    )
    response = _post(
        client,
        "action_create",
        {
            "description": "Set up a multi-agency vehicle log",
            "owner_agency": world.agency_y.pk,
            "lead": world.user("lead_y").pk,
            "status": "not_started",
            "due_date_0": "1",
            "due_date_1": "9",
            "due_date_2": "2027",
        },
        pk=world.recommendation.pk,
    )
    assert response.status_code == 303
    action = Action.objects.get(description="Set up a multi-agency vehicle log")
    assert (action.lead, action.due_date) == (world.user("lead_y"), datetime.date(2027, 9, 1))


def test_a_manager_overrides_rag_with_a_reason(client, world):
    page = _get(client, world.user("manager_a"), "rag_override_set", pk=world.action_x.pk)
    assert "The status worked out now is" in page.select_one("main").get_text()
    response = _post(client, "rag_override_set", {"rag": "green", "reason": ""}, pk=world.action_x.pk)
    assert response.status_code == 200
    assert "#override-reason" in [a["href"] for a in html(response).select(".govuk-error-summary a")]
    response = _post(client, "rag_override_set", {"rag": "purple", "reason": "x"}, pk=world.action_x.pk)
    assert html(response).select_one("#override-rag-error").get_text(" ", strip=True) == (
        "Error: Select the RAG status to show"
    )
    response = _post(
        client, "rag_override_set", {"rag": "amber", "reason": "Waiting on a contract"}, pk=world.action_x.pk
    )
    assert response.status_code == 303
    page = html(client.get(response["Location"]))
    assert page.select_one("#rag .govuk-tag").get_text() == "Amber (override)"
    assert "Reason: Waiting on a contract" in page.select_one("#rag").get_text()
    assert page.select_one(".moj-timeline__title").get_text(strip=True) == "RAG status overridden"


def test_evidence_is_reviewed_on_its_page(client, world):
    evidence = EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    page = _get(client, world.user("manager_a"), "evidence_detail", pk=evidence.pk)
    assert page.find("legend", string="Your decision")
    response = _post(client, "evidence_detail", {"decision": "return", "reason": ""}, pk=evidence.pk)
    assert (
        "Enter why the evidence is being returned."
        in html(response).select_one("#review-reason-error").get_text()
    )
    response = _post(client, "evidence_detail", {"decision": "return", "reason": "No dates"}, pk=evidence.pk)
    assert response.status_code == 303
    evidence.refresh_from_db()
    assert (evidence.state, evidence.return_reason) == (Evidence.State.RETURNED, "No dates")


def test_the_supplier_is_told_someone_else_must_review(client, world):
    evidence = EvidenceFactory(action=world.action_x, supplied_by=world.user("manager_a"))
    page = _get(client, world.user("manager_a"), "evidence_detail", pk=evidence.pk)
    assert not page.find("legend", string="Your decision")
    assert "someone else must review it" in page.select_one(".govuk-inset-text").get_text()


def test_a_board_member_records_a_sign_off_through_the_page(client, world):
    page = _get(client, world.user("member_a"), "sign_off_create", pk=world.recommendation.pk)
    # Board A's member may record board A's decision only.
    labels = [label.get_text() for label in page.select("fieldset")[0].select(".govuk-radios__label")]
    assert labels == ["Testborough Children's Partnership"]
    response = _post(
        client,
        "sign_off_create",
        {
            "board": world.board_a.pk,
            "meeting_date_0": "12",
            "meeting_date_1": "1",
            "meeting_date_2": "2027",
            "minute_reference": "2027/01/7",
            "decision": "progressed_in_full",
        },
        pk=world.recommendation.pk,
    )
    assert response.status_code == 200
    assert (
        "cannot be signed off as progressed in full yet"
        in html(response).select_one("#sign-off-decision-error").get_text()
    )
    response = _post(
        client,
        "sign_off_create",
        {
            "board": world.board_a.pk,
            "meeting_date_0": "12",
            "meeting_date_1": "1",
            "meeting_date_2": "2027",
            "minute_reference": "2027/01/7",
            "decision": "not_yet",
        },
        pk=world.recommendation.pk,
    )
    assert response.status_code == 303
    assert SignOff.objects.get().recorded_by == world.user("member_a")


# --- Download --------------------------------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_that_is_never_sniffed_or_cached(client, world):
    evidence = FileEvidenceFactory(
        action=world.action_x, supplied_by=world.user("lead_x"), original_name="Register, March.pdf"
    )
    login_verified(client, world.user("lead_x"))
    response = client.get(reverse("tracker:evidence_download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Register, March.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_download_is_recorded(client, world):
    evidence = FileEvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    login_verified(client, world.user("viewer"))
    client.get(reverse("tracker:evidence_download", kwargs={"pk": evidence.pk}))
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).get()
    assert (event.actor_id, event.target_id) == (world.user("viewer").pk, str(evidence.pk))


def test_a_missing_file_is_not_found(client, world):
    evidence = FileEvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    evidence.file.storage.delete(evidence.file.name)
    login_verified(client, world.user("viewer"))
    assert client.get(reverse("tracker:evidence_download", kwargs={"pk": evidence.pk})).status_code == 404
