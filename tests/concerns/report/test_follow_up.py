"""Following up a report with its reference and receipt code: right code, wrong code, rate limit."""

import pytest

from safeguarding.concerns.models import AdditionalInformation, Concern
from tests.concerns.factories import ConcernFactory
from tests.concerns.report.conftest import post
from tests.conftest import html

pytestmark = pytest.mark.django_db

NOT_FOUND = "We could not find a report with that reference number and receipt code."


@pytest.fixture
def sent():
    return ConcernFactory()


def test_adding_information_with_the_right_code(client, sent):
    response = post(
        client,
        "/report/follow-up/",
        {
            "reference": sent.reference,
            "receipt_code": sent.receipt_code.lower(),
            "information": "He has a new car.",
        },
    )
    assert response["Location"] == "/report/follow-up/result/"
    page = html(client.get(response["Location"]))
    assert page.h1.get_text(strip=True) == "Information added"
    assert page.select_one("#report-status").get_text(" ", strip=True) == "Your report has been received ."
    added = AdditionalInformation.objects.get()
    assert added.concern_id == sent.pk
    assert added.text == "He has a new car."
    # Shown once: a refresh does not show it, or add it, again.
    assert client.get("/report/follow-up/result/")["Location"] == "/report/follow-up/"


def test_checking_status_only_says_received_or_being_looked_at(client, sent):
    Concern.objects.filter(pk=sent.pk).update(status=Concern.Status.DECIDED)
    response = post(
        client, "/report/follow-up/", {"reference": sent.reference, "receipt_code": sent.receipt_code}
    )
    page = html(client.get(response["Location"]))
    assert "received and is being looked at" in page.select_one("#report-status").get_text()
    assert "decided" not in page.get_text().lower()
    assert AdditionalInformation.objects.count() == 0


@pytest.mark.parametrize("wrong", ["reference", "code", "both", "malformed"])
def test_a_wrong_reference_or_code_gets_one_message_that_says_nothing_more(client, sent, wrong):
    data = {"reference": sent.reference, "receipt_code": sent.receipt_code, "information": "More."}
    if wrong in {"reference", "both"}:
        data["reference"] = "C-2026-999999"
    if wrong in {"code", "both"}:
        data["receipt_code"] = "ABCD-EFGH-JKMN-PQRS"
    if wrong == "malformed":
        data["receipt_code"] = "not a code at all!"
    response = post(client, "/report/follow-up/", data)
    assert response.status_code == 200
    summary = html(response).select_one(".govuk-error-summary")
    assert [li.get_text(strip=True) for li in summary.select("li")] == [NOT_FOUND]
    assert AdditionalInformation.objects.count() == 0


def test_missing_answers_are_asked_for(client):
    response = post(client, "/report/follow-up/", {})
    text = html(response).select_one(".govuk-error-summary").get_text()
    assert "Enter your reference number" in text
    assert "Enter your receipt code" in text


def test_every_follow_up_post_counts_towards_the_rate_limit(client, sent, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow_up": "3/h"}
    wrong = {"reference": sent.reference, "receipt_code": "ABCD-EFGH-JKMN-PQRS"}
    for _ in range(3):
        assert post(client, "/report/follow-up/", wrong).status_code == 200
    right = {"reference": sent.reference, "receipt_code": sent.receipt_code}
    response = post(client, "/report/follow-up/", right)
    assert response.status_code == 429
    assert "Too many attempts" in html(response).h1.get_text()
    assert client.get("/report/follow-up/").status_code == 200  # reading the page is not an attempt
