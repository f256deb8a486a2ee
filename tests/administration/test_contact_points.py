"""Contact points on the settings pages: what the public is told on /get-help/ changes at once, each
change audited with before and after; bad numbers and addresses get a specific message."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.partnership.models import ContactPoint
from tests.partnership.factories import ContactPointFactory

pytestmark = pytest.mark.django_db

POINT = {
    "name": "Fictional Adults Front Door",
    "organisation": "Testborough Council",
    "kind": "front_door",
    "audience": "adults",
    "phone": "0191 498 0456",
    "hours": "Monday to Friday, 8:30am to 5pm",
    "description": "",
    "website": "https://www.example.org/adults",
    "order": "10",
}


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in _page(response).select(".govuk-error-summary__list a")]


def _events(point_pk) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="partnership.contactpoint", target_id=str(point_pk)).order_by(
            "sequence"
        )
    )


def test_an_added_contact_point_is_on_the_help_page_at_once(admin_client, administrator):
    Client().get("/get-help/")  # the page is cached before the change
    assert admin_client.post(reverse("administration:contact_point_add"), POINT).status_code == 302
    point = ContactPoint.objects.get(name=POINT["name"])
    assert point.slug == "fictional-adults-front-door"
    (event,) = _events(point.pk)
    assert event.actor_id == administrator.pk
    assert event.changes["phone"] == [None, "0191 498 0456"]
    assert "Fictional Adults Front Door" in Client().get("/get-help/").content.decode()


def test_changing_a_number_records_before_and_after(admin_client):
    point = ContactPointFactory(phone="0191 498 0123")
    url = reverse("administration:contact_point_edit", kwargs={"pk": point.pk})
    form = _page(admin_client.get(url))
    assert form.select_one("#f-phone")["value"] == "0191 498 0123"
    data = {
        **POINT,
        "name": point.name,
        "kind": point.kind,
        "audience": point.audience,
        "phone": "0191 498 0999",
    }
    assert admin_client.post(url, data).status_code == 302
    assert _events(point.pk)[-1].changes["phone"] == ["0191 498 0123", "0191 498 0999"]
    assert "0191 498 0999" in Client().get("/get-help/").content.decode()


def test_removing_a_contact_point_keeps_what_it_said_in_the_audit_trail(admin_client):
    point = ContactPointFactory(name="Old Helpline", phone="0191 498 0777")
    url = reverse("administration:contact_point_delete", kwargs={"pk": point.pk})
    assert "0191 498 0777" in _page(admin_client.get(url)).get_text()
    assert admin_client.post(url).status_code == 302
    assert not ContactPoint.objects.filter(pk=point.pk).exists()
    event = _events(point.pk)[-1]
    assert event.kind == AuditEvent.Kind.DELETED
    assert event.changes["phone"] == ["0191 498 0777", None]
    assert "Old Helpline" not in Client().get("/get-help/").content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "call us"}, "Enter a phone number, like 0191 498 0000 or 999"),
        ({"phone": "12"}, "Enter a phone number, like 0191 498 0000 or 999"),
        ({"phone": ""}, "Enter the phone number"),
        ({"name": "  "}, "Enter the name of the service"),
        ({"hours": ""}, "Enter when the line is open, like 'Monday to Friday, 8:30am to 5pm'"),
        ({"website": "not a web address"}, "Enter a web address, like https://www.example.org"),
        ({"order": "first"}, "Position must be a whole number, like 10"),
        ({"order": "-1"}, "Position must be 0 or more"),
        ({"kind": "pigeon"}, "Select what kind of contact point it is"),
        ({"audience": ""}, "Select who it is for"),
    ],
)
def test_bad_contact_points_get_a_specific_message(admin_client, changes, message):
    response = admin_client.post(reverse("administration:contact_point_add"), {**POINT, **changes})
    assert response.status_code == 400
    assert message in _errors(response)
    assert not ContactPoint.objects.filter(name=POINT["name"]).exists()
