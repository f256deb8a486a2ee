"""The identifiers page of a concern: what a receiving team's member sees and changes, without
JavaScript; every showing audited; every change through a service, with its history on the page."""

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Concern
from safeguarding.linking.models import Identifier, IdentifierChange, IdentifierKey, Link
from safeguarding.linking.services import concern_identifiers_refresh, concern_link
from tests.concerns.conftest import database_text
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.conftest import html
from tests.staff import concern_views, login_verified, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern():
    concern = ConcernFactory(
        about="adult",
        people=[{"role": "harming", "name": "Orrin Madeup", "nicknames": "Ozzy", "age": "about 30"}],
        vehicles=[{"registration": "KX19 FTV"}],
        phones=[{"number": "ring the flat bell"}],
        narrative="He rings from 07700 900456 and is @ozzy_fake online.",
    )
    concern_identifiers_refresh(concern=concern)
    return concern


@pytest.fixture
def worker(client):
    user = TeamMemberFactory(teams=["adult-social-care"], viewer=True, first_name="Ada", last_name="Worker")
    login_verified(client, user)
    return user


def url(name: str, concern: Concern, **kwargs) -> str:
    return reverse(f"linking_identifiers:{name}", kwargs={"pk": concern.pk, **kwargs})


def main_text(response) -> str:
    return html(response).find("main").get_text(" ", strip=True)


def active(concern: Concern, kind: str) -> list[Identifier]:
    return list(Identifier.objects.filter(concern=concern, kind=kind, status="active"))


def test_the_concern_page_links_to_its_identifiers(client, worker, concern):
    page = html(client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk})))
    link = page.select_one("#identifiers-link a")
    assert link["href"] == url("concern_identifiers", concern)


def test_the_page_shows_identifiers_cleaned_suggestions_and_marks_what_could_not_be_cleaned(
    client, worker, concern
):
    response = client.get(url("concern_identifiers", concern))
    assert response.status_code == 200
    page = html(response)
    assert page.select("h1")[0].get_text(strip=True) == "Identifiers"
    text = main_text(response)
    assert "Orrin Madeup" in text
    assert "Ozzy" in text
    assert "about 30" in text
    assert "KX19FTV" in text
    phones = page.select_one("#phone").find_next("div", class_="govuk-summary-card")
    assert "Not normalised" in phones.get_text()
    suggestions = [row.select("td")[1].get_text(strip=True) for row in page.select("[data-suggestion]")]
    assert sorted(suggestions) == ["07700 900456", "@ozzy_fake"]
    assert concern_views(concern) == [f"Concern {concern.reference} viewed: identifiers"]


def test_someone_outside_the_receiving_teams_gets_a_404_on_every_page(client, concern):
    login_verified(client, TeamMemberFactory(teams=["children-front-door"], viewer=True))
    phone = active(concern, "phone")[0]
    assert client.get(url("concern_identifiers", concern)).status_code == 404
    assert client.get(url("identifier_add", concern, kind="phone")).status_code == 404
    assert client.get(url("identifier_correct", concern, identifier_pk=phone.pk)).status_code == 404
    assert post(client, url("identifier_remove", concern, identifier_pk=phone.pk)).status_code == 404
    assert active(concern, "phone") == [phone]


def test_adding_a_phone_keys_it_records_the_change_and_links_the_concern_again(
    client, worker, concern, django_capture_on_commit_callbacks
):
    other = ConcernFactory(phones=[{"number": "+44 7700 900321"}])
    concern_link(concern_id=other.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url("identifier_add", concern, kind="phone"), {"number": "07700 900321"})
    assert response.status_code == 302
    [added] = [i for i in active(concern, "phone") if i.origin == "staff"]
    assert (added.normal, added.normalised, added.created_by) == ("+447700900321", True, worker)
    assert IdentifierKey.objects.filter(identifier=added, kind="phone").exists()
    # Linked again through the queue: the shared number now links the two concerns.
    assert Link.objects.filter(concern_low=min(concern, other, key=lambda c: c.pk)).exists()
    [change] = IdentifierChange.objects.filter(concern=concern)
    assert (change.action, change.before, change.changed_by) == ("added", "", worker)
    assert "07700 900321" in change.after
    page = client.get(url("concern_identifiers", concern))
    history = html(page).select_one("#history").find_next("table").get_text(" ", strip=True)
    assert "Added: phone number" in history
    assert "Ada Worker" in history
    event = AuditEvent.objects.get(kind="updated", target_id=str(concern.pk), data__action="added")
    assert "900321" not in event.summary + str(event.data)


def test_correcting_a_reported_registration_keeps_the_report_and_survives_reading_the_answers_again(
    client, worker, concern
):
    [reported] = active(concern, "vehicle")
    response = post(
        client, url("identifier_correct", concern, identifier_pk=reported.pk), {"registration": "KX19 FTW"}
    )
    assert response.status_code == 302
    [corrected] = active(concern, "vehicle")
    assert (corrected.normal, corrected.origin) == ("KX19FTW", "staff")
    reported.refresh_from_db()
    assert reported.status == "dismissed"
    assert not IdentifierKey.objects.filter(identifier=reported).exists()
    concern_identifiers_refresh(concern=concern)  # more information arrives: the answers are read again
    assert [i.normal for i in active(concern, "vehicle")] == ["KX19FTW"]
    [change] = IdentifierChange.objects.filter(concern=concern)
    assert "KX19 FTV" in change.before
    assert "KX19 FTW" in change.after


def test_a_person_is_corrected_with_an_age_in_words_and_a_bad_age_is_a_clear_error(client, worker, concern):
    [person] = active(concern, "person")
    path = url("identifier_correct", concern, identifier_pk=person.pk)
    form = html(client.get(path))
    assert form.select_one("#identifier-name")["value"] == "Orrin Madeup"
    bad = post(client, path, {"role": "harming", "name": "Orrin Madeup", "age": "not known"})
    assert bad.status_code == 200
    errors = [a.get_text() for a in html(bad).select(".govuk-error-summary a")]
    assert errors == ["Enter an age in years, like 15, about 15, 15 to 16 or mid teens"]
    good = post(
        client,
        path,
        {
            "role": "harming",
            "name": "Orrin Madeup",
            "aliases": "O Madeup",
            "nicknames": "Ozzy, Oz",
            "age": "mid thirties",
        },
    )
    assert good.status_code == 302
    [corrected] = active(concern, "person")
    keys = set(IdentifierKey.objects.filter(identifier=corrected).values_list("kind", flat=True))
    assert {"name", "name_block", "nickname"} <= keys
    import json

    details = json.loads(corrected.details)
    assert (details["age_low"], details["age_high"], details["nicknames"]) == (33, 36, ["Ozzy", "Oz"])


def test_removing_asks_first_then_keeps_it_dismissed_without_keys(client, worker, concern):
    [vehicle] = active(concern, "vehicle")
    path = url("identifier_remove", concern, identifier_pk=vehicle.pk)
    assert "Remove this vehicle?" in main_text(client.get(path))
    assert post(client, path).status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.status == "dismissed"
    assert not IdentifierKey.objects.filter(identifier=vehicle).exists()
    assert IdentifierChange.objects.get(concern=concern).action == "removed"
    assert concern_views(concern) == [f"Concern {concern.reference} viewed: remove an identifier"]


def test_suggestions_are_accepted_or_dismissed_once(client, worker, concern):
    phone = Identifier.objects.get(concern=concern, origin="text", kind="phone")
    account = Identifier.objects.get(concern=concern, origin="text", kind="account")
    assert post(client, url("suggestion_accept", concern, identifier_pk=phone.pk)).status_code == 302
    assert post(client, url("suggestion_dismiss", concern, identifier_pk=account.pk)).status_code == 302
    phone.refresh_from_db()
    account.refresh_from_db()
    assert (phone.status, account.status) == ("active", "dismissed")
    assert IdentifierKey.objects.filter(identifier=phone, kind="phone").exists()
    again = post(client, url("suggestion_accept", concern, identifier_pk=account.pk), follow=True)
    assert "already been decided" in html(again).get_text(" ", strip=True)
    assert sorted(IdentifierChange.objects.values_list("action", flat=True)) == ["accepted", "dismissed"]
    concern_identifiers_refresh(concern=concern)  # read again: decisions stand
    account.refresh_from_db()
    assert account.status == "dismissed"


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("phone", {"number": ""}, "Enter at least one detail"),
        ("phone", {"number": "0" * 41}, "Phone number must be 40 characters or fewer"),
        ("place", {"postcode": "P" * 21}, "Postcode must be 20 characters or fewer"),
        ("person", {"name": "Ada"}, "Select who this person is"),
        (
            "person",
            {
                "role": "at_risk",
                "date_of_birth_0": "31",
                "date_of_birth_1": "2",
                "date_of_birth_2": "2001",
            },
            "The date of birth must be a real date.",
        ),
    ],
)
def test_bad_input_is_a_clear_error_on_the_page(client, worker, concern, kind, data, message):
    response = post(client, url("identifier_add", concern, kind=kind), data)
    assert response.status_code == 200
    assert message in [a.get_text() for a in html(response).select(".govuk-error-summary li")]
    assert not IdentifierChange.objects.exists()


def test_an_unknown_kind_or_identifier_is_a_404(client, worker, concern):
    assert client.get(url("identifier_add", concern, kind="cat")).status_code == 404
    assert client.get(url("identifier_correct", concern, identifier_pk=10**9)).status_code == 404


def test_history_keeps_before_and_after_encrypted(client, worker, concern):
    [vehicle] = active(concern, "vehicle")
    post(client, url("identifier_correct", concern, identifier_pk=vehicle.pk), {"registration": "ZZ99 QQQ"})
    assert IdentifierChange.objects.exists()
    text = database_text()
    assert "ZZ99" not in text
    assert "KX19" not in text
