"""Sending a report: one concern, the receipt code shown once, nothing readable in the database."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from safeguarding.concerns.answers import ConcernInvalid
from safeguarding.concerns.models import Concern
from safeguarding.concerns.references import receipt_code_matches
from safeguarding.concerns.report import views
from tests.concerns.conftest import (
    CANARY_ADDRESS,
    CANARY_HANDLE,
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_PHONE_E164,
    CANARY_REGISTRATION,
    database_text,
)
from tests.concerns.report.conftest import canary_journey, minimal_journey, send
from tests.conftest import html

pytestmark = pytest.mark.django_db

CANARIES = [
    CANARY_NARRATIVE,
    CANARY_NAME,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_PHONE_E164,
    CANARY_REGISTRATION,
    CANARY_ADDRESS,
    CANARY_HANDLE,
    "Wilhelmina Canaryreporter",
    "Canary wants",
]


def _assert_no_canary_in_database() -> None:
    text = database_text()
    found = [canary for canary in CANARIES if canary in text]
    assert not found, f"found in plain text in the database: {found}"


def _session_text(client) -> str:
    """The session as the server stores it, decoded: what anyone reading django_session can read."""
    return str(SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value).load())


def _receipt_code(response) -> str:
    return html(response).select_one("#receipt-code").get_text(strip=True)


def test_the_whole_journey_makes_the_concern_and_leaves_nothing_readable(client):
    canary_journey(client)
    _assert_no_canary_in_database()
    session = _session_text(client)
    assert not [canary for canary in CANARIES if canary in session]

    response = send(client)
    assert response.status_code == 302
    assert response["Location"] == "/report/confirmation/"
    _assert_no_canary_in_database()

    page = client.get(response["Location"])
    reference = html(page).select_one(".govuk-panel__body strong").get_text(strip=True)
    code = _receipt_code(page)
    concern = Concern.objects.get(reference=reference)
    assert receipt_code_matches(code, concern.receipt_code_hash)
    assert concern.source == Concern.Source.PUBLIC
    assert concern.about == "adult"
    assert concern.narrative == CANARY_NARRATIVE
    assert concern.signs == ["vehicles", "taken_to_addresses"]
    assert concern.adult_knows == "no"
    assert concern.reporter_name == "Wilhelmina Canaryreporter"
    assert not concern.reporter_anonymous
    people = {person.role: person for person in concern.people.all()}
    assert people["at_risk"].name == CANARY_NAME
    assert people["at_risk"].age == "about nineteen"  # as typed, in words
    assert people["harming"].date_of_birth == "1990-02-03"
    assert [v.registration for v in concern.vehicles.all()] == [CANARY_REGISTRATION]
    assert [p.number for p in concern.phones.all()] == [CANARY_PHONE]
    assert [a.handle for a in concern.online_accounts.all()] == [CANARY_HANDLE]
    _assert_no_canary_in_database()

    # The answers are gone from the session; the code stays, encrypted, to be shown again on reload.
    assert "'concerns.report.receipt':" in _session_text(client)
    assert "'concerns.report':" not in _session_text(client)
    assert client.get("/report/check/")["Location"] == "/report/danger/"


def test_an_anonymous_child_report_with_only_the_required_answers(client):
    minimal_journey(client)
    response = client.get(send(client)["Location"])
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert concern.about == "child"
    assert concern.reporter_anonymous
    assert concern.adult_knows == ""


def test_the_check_page_carries_the_journeys_key_and_prevents_double_clicks(client):
    minimal_journey(client)
    page = html(client.get("/report/check/"))
    key = page.select_one("input[name=idempotency_key]")["value"]
    assert len(key) >= 16
    assert page.select_one("button[data-prevent-double-click=true]")
    assert html(client.get("/report/check/")).select_one("input[name=idempotency_key]")["value"] == key


def test_a_double_click_makes_one_concern_and_the_second_response_shows_the_code(client):
    minimal_journey(client)
    page = html(client.get("/report/check/"))
    data = {
        "csrfmiddlewaretoken": page.select_one("input[name=csrfmiddlewaretoken]")["value"],
        "idempotency_key": page.select_one("input[name=idempotency_key]")["value"],
    }
    first = client.post("/report/check/", data)
    second = client.post("/report/check/", data)  # the browser shows this response, not the first
    assert first["Location"] == second["Location"] == "/report/confirmation/"
    assert Concern.objects.count() == 1
    code = _receipt_code(client.get("/report/confirmation/"))
    assert receipt_code_matches(code, Concern.objects.get().receipt_code_hash)


def test_a_second_submit_racing_the_first_still_finds_the_code(client):
    """Both submits load the session before either saves: the second must not lose the first's code."""
    minimal_journey(client)
    key = html(client.get("/report/check/")).select_one("input[name=idempotency_key]")["value"]
    stale = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    list(stale.items())  # the second request has read the session, answers and all

    assert send(client)["Location"] == "/report/confirmation/"  # the first click, never shown

    request = RequestFactory().post("/report/check/", {"idempotency_key": key})
    request.session = stale
    request.user = AnonymousUser()
    response = views.check(request)
    assert response.status_code == 302
    assert response["Location"] == "/report/confirmation/"
    stale.save()  # as the session middleware does when the second response leaves

    assert Concern.objects.count() == 1
    code = _receipt_code(client.get("/report/confirmation/"))
    assert receipt_code_matches(code, Concern.objects.get().receipt_code_hash)


def test_an_invalid_report_is_shown_on_the_check_page_not_a_500(client, monkeypatch):
    minimal_journey(client)

    def refuse(**kwargs):
        raise ConcernInvalid([{"field": "narrative", "message": "What is happening: This cannot be blank"}])

    monkeypatch.setattr(views, "concern_submit", refuse)
    response = send(client)
    assert response.status_code == 200
    page = html(response)
    assert "What is happening: This cannot be blank" in page.select_one(".govuk-error-summary").get_text()
    assert page.title.get_text().startswith("Error: ")
    assert Concern.objects.count() == 0


def test_a_submit_without_a_journey_goes_back_to_the_start(client):
    minimal_journey(client)
    token = html(client.get("/report/check/")).select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post(
        "/report/check/", {"csrfmiddlewaretoken": token, "idempotency_key": "not-this-journey"}
    )
    assert response["Location"] == "/report/"
    assert Concern.objects.count() == 0


def test_the_receipt_code_is_shown_again_on_reload_saved_as_text_and_forgotten_by_exit(client):
    minimal_journey(client)
    confirmation = client.get(send(client)["Location"])
    code = _receipt_code(confirmation)
    concern = Concern.objects.get()
    assert _receipt_code(client.get("/report/confirmation/")) == code  # a reload
    client.get("/report/follow-up/")  # the page's own link, then back
    assert _receipt_code(client.get("/report/confirmation/")) == code

    saved = client.get("/report/confirmation/receipt.txt")
    assert saved["Content-Type"] == "text/plain; charset=utf-8"
    assert saved["Content-Disposition"] == 'attachment; filename="report-receipt.txt"'
    assert "no-store" in saved["Cache-Control"]
    text = saved.content.decode()
    assert f"Reference number: {concern.reference}" in text
    assert f"Receipt code: {code}" in text

    client.get("/report/exit/")
    assert client.get("/report/confirmation/")["Location"] == "/report/"
    assert client.get("/report/confirmation/receipt.txt")["Location"] == "/report/"


def test_the_receipt_code_is_not_shown_after_its_time(client, settings):
    minimal_journey(client)
    url = send(client)["Location"]
    assert client.get(url).status_code == 200
    settings.REPORT_RECEIPT_SHOW_SECONDS = 0
    assert client.get(url)["Location"] == "/report/"
