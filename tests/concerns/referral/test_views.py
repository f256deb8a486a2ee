"""The professional referral at /refer/: start, one form page, add-another without JavaScript, sent."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Concern
from tests.concerns.conftest import (
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_PHONE,
    CANARY_REGISTRATION,
    database_text,
)
from tests.conftest import html
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db
FORM = "/refer/referral/"
AGE_UNREADABLE = "Enter an age in years, like 15, about 15, 15 to 16 or mid teens"


@pytest.fixture
def agency():
    return AgencyFactory(name="Testborough Academy", slug="testborough-academy")


def fresh_form(client) -> dict:
    """The hidden fields of a newly shown form (CSRF token, idempotency key, row counts)."""
    page = html(client.get(FORM))
    return {field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")}


def filled(client, for_agency, **overrides) -> dict:
    data = fresh_form(client)
    data.update(
        {
            "agency": str(for_agency.pk),
            "role": "Designated safeguarding lead",
            "reporter_name": "Wilhelmina Canaryreporter",
            "reporter_contact": "0191 498 0417",
            "existing_involvement": "Open to early help",
            "immediate_danger": "no",
            "about": "adult",
            "narrative": CANARY_NARRATIVE,
            "signs": ["vehicles", "missing"],
            "where_and_when": "Friday evenings",
            "people-0-role": "at_risk",
            "people-0-name": CANARY_NAME,
            "people-0-age": "19",
            "vehicles-0-registration": CANARY_REGISTRATION,
            "phones-0-number": CANARY_PHONE,
            "adult_knows": "no",
            "adult_wants": "To be safe",
            "consent": "not_asked",
            "lawful_basis": "safeguarding",
            "lawful_basis_detail": "Asking could put her at more risk",
            "action": "send",
        }
    )
    data.update(overrides)
    return data


def test_the_start_page_says_what_is_needed_and_to_call_999(client):
    response = client.get("/refer/")

    page = html(response)
    assert page.h1.get_text(strip=True) == "Make a safeguarding referral as a professional"
    assert "call 999" in page.get_text()
    assert page.select_one("a.govuk-button--start")["href"] == FORM
    assert "no-store" in response["Cache-Control"]


def test_the_form_lists_agencies_signs_and_has_a_key_per_instance(client, agency):
    first, second = fresh_form(client), fresh_form(client)
    page = html(client.get(FORM))

    assert agency.name in [o.get_text() for o in page.select("select#agency option")]
    assert len(page.select("input[name=signs]")) == 14
    assert first["idempotency_key"] != second["idempotency_key"]
    for field in page.select("input:not([type=hidden]), textarea, select"):
        assert page.select_one(f"label[for='{field['id']}']"), field["id"]


def test_a_referral_is_sent_and_confirmed_once(client, agency):
    response = client.post(FORM, filled(client, agency))

    assert response.status_code == 302
    assert response["Location"] == "/refer/sent/"
    concern = Concern.objects.get()
    assert concern.source == "professional"
    assert concern.agency == agency
    assert concern.about == "adult"
    assert concern.signs == ["vehicles", "missing"]
    assert [p.name for p in concern.people.all()] == [CANARY_NAME]
    assert concern.lawful_basis == "safeguarding"
    sent = client.get("/refer/sent/")
    page = html(sent)
    assert page.select_one("#reference").get_text() == concern.reference
    assert re.fullmatch(
        r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", page.select_one("#receipt-code").get_text(strip=True)
    )
    assert "no-store" in sent["Cache-Control"]
    # Shown once.
    assert not html(client.get("/refer/sent/")).select_one("#receipt-code")
    assert AuditEvent.objects.filter(summary=f"Concern {concern.reference} received").exists()


def test_consent_given_means_the_lawful_basis_is_consent(client, agency):
    client.post(FORM, filled(client, agency, consent="given", lawful_basis="", lawful_basis_detail=""))

    assert Concern.objects.get().lawful_basis == "consent"


@pytest.mark.parametrize(
    ("blank", "message"),
    [
        ("agency", "Select your agency"),
        ("role", "Enter your role"),
        ("reporter_name", "Enter your name"),
        ("reporter_contact", "Enter a phone number or email address we can contact you on"),
        ("immediate_danger", "Select yes if someone is in immediate danger now"),
        ("about", "Select whether the concern is about a child, an adult, or you are not sure"),
        ("narrative", "Enter what is happening"),
        ("consent", "Select whether the person has agreed to this referral"),
        ("lawful_basis", "Select the lawful basis for sharing without the person's agreement"),
        ("lawful_basis_detail", "Explain why you are sharing without the person's agreement"),
    ],
)
def test_each_required_answer_has_a_clear_error(client, agency, blank, message):
    response = client.post(FORM, filled(client, agency, **{blank: ""}))

    assert response.status_code == 200
    page = html(response)
    summary = page.select_one(".govuk-error-summary")
    assert [a.get_text() for a in summary.select("a")] == [message]
    assert summary.select_one("a")["href"] == f"#{blank}"
    assert page.select_one(f"#{blank}"), "the summary links to a real input"
    assert message in page.select_one(f"#{blank}-error").get_text()
    assert page.title.get_text().startswith("Error:")
    assert not Concern.objects.exists()
    # What was typed is kept.
    assert CANARY_NARRATIVE in page.get_text() or blank == "narrative"


def test_bad_ages_and_dates_are_clear_errors(client, agency):
    response = client.post(
        FORM, filled(client, agency, **{"people-0-age": "not sure", "people-0-date_of_birth": "31 2 2001"})
    )

    errors = [a.get_text() for a in html(response).select(".govuk-error-summary a")]
    assert errors == [
        "Enter an age in years, like 15, about 15, 15 to 16 or mid teens",
        "Date of birth must be a real date",  # 31 February: not a format problem (issue 11)
    ]
    response = client.post(FORM, filled(client, agency, **{"people-0-date_of_birth": "last spring"}))
    errors = [a.get_text() for a in html(response).select(".govuk-error-summary a")]
    assert errors == ["Enter the date of birth as day, month and year, like 27 3 2007"]


def test_a_person_s_role_is_chosen_never_assumed(client, agency):
    page = html(client.get(FORM))
    role = page.select_one("#people-0-role")
    assert role.select_one("option[selected]") is None
    assert role.select_one("option").get_text() == "Select who they are"
    response = client.post(
        FORM, filled(client, agency, **{"people-0-role": "", "people-0-name": "Jay Fictional"})
    )
    errors = [a.get_text() for a in html(response).select(".govuk-error-summary a")]
    assert errors == ["Select who this person is"]


def test_add_another_comes_back_at_the_new_row_with_its_first_question_focused(client, agency):
    response = client.post(FORM, {**filled(client, agency), "action": "add-vehicles"})
    page = html(response)
    assert page.select_one("fieldset#vehicles-1") is not None
    assert page.select_one("#vehicles-1-registration").has_attr("autofocus")
    assert len(page.select("[autofocus]")) == 1


def test_the_confirmation_names_the_teams_it_went_to(client, agency):
    response = client.post(FORM, filled(client, agency))
    page = html(client.get(response["Location"]))
    teams = [li.get_text() for li in page.select("main ul.govuk-list--bullet li")]
    concern = Concern.objects.get()
    assert teams == sorted({route.team.name for route in concern.routes.all() if route.team})
    assert teams  # the default rules route every referral somewhere


def test_an_age_written_in_words_or_as_a_range_is_kept_as_typed(client, agency):
    response = client.post(FORM, filled(client, agency, **{"people-0-age": "about fifteen"}))

    assert response.status_code == 302
    assert Concern.objects.get().people.get().age == "about fifteen"


def test_errors_from_the_answers_land_on_the_right_input(client, agency):
    response = client.post(
        FORM, filled(client, agency, narrative="x" * 20001, **{"places-0-postcode": "P" * 21})
    )

    links = html(response).select(".govuk-error-summary a")
    # The limits are the answers' own (concerns.answers); the words name the answer, as GOV.UK asks.
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#narrative", "What is happening must be 20,000 characters or fewer"),
        ("#places-0-postcode", "Postcode must be 20 characters or fewer"),
    ]
    assert not Concern.objects.exists()


def test_a_date_of_birth_in_the_future_is_an_error(client, agency):
    response = client.post(FORM, filled(client, agency, **{"people-0-date_of_birth": "1 1 2999"}))

    link = html(response).select_one(".govuk-error-summary a")
    assert link["href"] == "#people-0-date_of_birth"
    assert link.get_text() == "Date of birth must be in the past"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("131", AGE_UNREADABLE),
        ("-1", AGE_UNREADABLE),
        ("2009", AGE_UNREADABLE),  # a year of birth in the age box
        ("not sure", AGE_UNREADABLE),
    ],
)
def test_an_age_out_of_range_or_not_an_age_says_so(client, agency, typed, message):
    response = client.post(FORM, filled(client, agency, **{"people-0-age": typed}))

    links = html(response).select(".govuk-error-summary a")
    assert [(a["href"], a.get_text()) for a in links] == [("#people-0-age", message)]
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("27 3 2007", "2007-03-27"), ("27/03/2007", "2007-03-27"), ("2007-03-27", "2007-03-27")],
)
def test_a_date_of_birth_is_read_as_day_month_and_year(client, agency, typed, stored):
    assert client.post(FORM, filled(client, agency, **{"people-0-date_of_birth": typed})).status_code == 302

    assert Concern.objects.get().people.get().date_of_birth == stored


@pytest.mark.parametrize("typed", ["0", "86400", "27 March", "2007-3-27"])
def test_a_date_of_birth_that_is_not_a_date_is_an_error_not_1970(client, agency, typed):
    response = client.post(FORM, filled(client, agency, **{"people-0-date_of_birth": typed}))

    links = html(response).select(".govuk-error-summary a")
    assert [a.get_text() for a in links] == ["Enter the date of birth as day, month and year, like 27 3 2007"]
    assert not Concern.objects.exists()


def test_every_error_is_shown_at_once_in_page_order(client, agency):
    data = filled(
        client,
        agency,
        agency="",
        narrative="",
        lawful_basis_detail="",
        **{"people-0-age": "old", "phones-0-number": "0" * 41},
    )

    links = html(client.post(FORM, data)).select(".govuk-error-summary a")

    assert [(a["href"], a.get_text()) for a in links] == [
        ("#agency", "Select your agency"),
        ("#narrative", "Enter what is happening"),
        ("#people-0-age", AGE_UNREADABLE),
        ("#phones-0-number", "Phone number must be 40 characters or fewer"),
        ("#lawful_basis_detail", "Explain why you are sharing without the person's agreement"),
    ]


def test_text_that_cannot_be_stored_is_a_clear_error(client, agency):
    response = client.post(FORM, filled(client, agency, role="Nurse\x00"))

    links = html(response).select(".govuk-error-summary a")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#role", "Your role contains characters that cannot be read")
    ]


def test_errors_in_a_later_row_land_on_that_row(client, agency):
    data = filled(
        client, agency, **{"people-count": "3", "people-2-role": "harming", "people-2-name": "N" * 201}
    )

    links = html(client.post(FORM, data)).select(".govuk-error-summary a")

    # The blank middle row is dropped from the answers, yet the error is put on the row typed in.
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#people-2-name", "Name must be 200 characters or fewer")
    ]


def test_an_agency_that_no_longer_exists_is_asked_for_again(client, agency):
    data = filled(client, agency)
    agency.delete()

    response = client.post(FORM, data)

    assert response.status_code == 200
    links = html(response).select(".govuk-error-summary a")
    assert [(a["href"], a.get_text()) for a in links] == [("#agency", "Select your agency")]
    assert not Concern.objects.exists()


def test_add_another_works_without_javascript_and_keeps_answers(client, agency):
    data = filled(client, agency, action="add-vehicles")
    response = client.post(FORM, data)

    page = html(response)
    assert response.status_code == 200
    assert not page.select(".govuk-error-summary")
    assert page.select_one("#vehicles-0-registration")["value"] == CANARY_REGISTRATION
    assert page.select_one("#vehicles-1-registration")["value"] == ""
    assert page.select_one("input[name=vehicles-count]")["value"] == "2"
    assert page.select_one("input[name=idempotency_key]")["value"] == data["idempotency_key"]
    assert not Concern.objects.exists()

    second = {field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")}
    response = client.post(FORM, {**data, **second, "vehicles-1-registration": "TE57 ABC", "action": "send"})
    assert response.status_code == 302
    assert sorted(v.registration for v in Concern.objects.get().vehicles.all()) == [
        CANARY_REGISTRATION,
        "TE57 ABC",
    ]


def test_blank_rows_are_ignored(client, agency):
    client.post(FORM, filled(client, agency, **{"places-count": "3"}))

    assert Concern.objects.get().places.count() == 0


def test_a_double_submit_makes_one_concern(client, agency):
    data = filled(client, agency)
    client.post(FORM, data)
    again = client.post(FORM, data)

    assert again.status_code == 302
    assert Concern.objects.count() == 1
    assert (
        html(client.get("/refer/sent/")).select_one("#reference").get_text()
        == Concern.objects.get().reference
    )


def test_nothing_personal_in_plain_text_anywhere_in_the_database(client, agency):
    client.post(FORM, filled(client, agency))

    text = database_text()
    for canary in (CANARY_NARRATIVE, CANARY_NAME, CANARY_REGISTRATION, "Wilhelmina Canaryreporter"):
        assert canary not in text
    # The confirmation kept in the session for the next page is encrypted.
    stored = Session.objects.get().get_decoded()
    assert stored["referral_confirmation"].startswith("v1:")


def test_about_a_child_drops_the_adult_questions(client, agency):
    client.post(FORM, filled(client, agency, about="child"))

    concern = Concern.objects.get()
    assert concern.adult_knows == ""
    assert concern.adult_wants == ""


def test_an_odd_form_never_gives_a_500(client, agency):
    data = filled(
        client,
        agency,
        **{"people-count": "zzz", "signs": ["nope"], "agency": "x\x00", "action": "add-nothing"},
    )

    assert client.post(FORM, data).status_code == 200
    assert client.post(FORM, {**data, "action": "send"}).status_code == 200


@override_settings(RATE_LIMITS={"report_step": "2/h", "report_submit": "30/h"})
def test_too_many_posts_get_the_429_page(client, agency):
    data = filled(client, agency, action="add-phones")
    statuses = [client.post(FORM, data).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@override_settings(RATE_LIMITS={"report_step": "300/h", "report_submit": "1/h"})
def test_sending_has_its_own_lower_limit(client, agency):
    assert client.post(FORM, filled(client, agency)).status_code == 302
    assert client.post(FORM, filled(client, agency)).status_code == 429


@override_settings(RATE_LIMITS={"report_step": "300/h", "report_submit": "1/h"})
def test_add_another_does_not_count_as_sending(client, agency):
    data = filled(client, agency, action="add-phones")
    assert [client.post(FORM, data).status_code for _ in range(3)] == [200, 200, 200]

    assert client.post(FORM, {**data, "action": "send"}).status_code == 302
