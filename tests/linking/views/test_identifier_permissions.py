"""Who may open and change a concern's identifiers: members of the teams it was routed to, nobody else
(not administrators, not superusers); a stranger gets a 404, never a hint that the concern exists."""

import pytest
from django.conf import settings
from django.urls import reverse

from safeguarding.linking.models import Identifier, IdentifierChange
from safeguarding.linking.services import concern_identifiers_refresh
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.staff import login_verified
from tests.tracker.test_staff_area_permissions import IDENTIFIER_URLS

pytestmark = pytest.mark.django_db

ROLES = ["member", "other_team", "admin", "superuser", "viewer", "anonymous", "unverified"]


@pytest.fixture
def concern():
    concern = ConcernFactory(
        about="adult", phones=[{"number": "07700 900111"}], narrative="Call 07700 900222"
    )
    concern_identifiers_refresh(concern=concern)
    return concern


def _user(role: str):
    if role == "member":
        return TeamMemberFactory(teams=["adult-social-care"], viewer=True)
    if role == "other_team":
        return TeamMemberFactory(teams=["children-front-door"], viewer=True)
    if role == "admin":
        return UserFactory(administrator=True)
    if role == "superuser":
        return UserFactory(administrator=True, is_superuser=True, is_staff=True)
    return UserFactory(viewer=True)


def _urls(concern) -> dict[str, str]:
    phone = Identifier.objects.get(concern=concern, kind="phone", origin="reported")
    suggestion = Identifier.objects.get(concern=concern, origin="text")
    one = {"pk": concern.pk, "identifier_pk": phone.pk}
    suggested = {"pk": concern.pk, "identifier_pk": suggestion.pk}
    return {
        "concern_identifiers": reverse("linking_identifiers:concern_identifiers", kwargs={"pk": concern.pk}),
        "identifier_add": reverse(
            "linking_identifiers:identifier_add", kwargs={"pk": concern.pk, "kind": "phone"}
        ),
        "identifier_correct": reverse("linking_identifiers:identifier_correct", kwargs=one),
        "identifier_remove": reverse("linking_identifiers:identifier_remove", kwargs=one),
        "suggestion_accept": reverse("linking_identifiers:suggestion_accept", kwargs=suggested),
        "suggestion_dismiss": reverse("linking_identifiers:suggestion_dismiss", kwargs=suggested),
    }


def test_the_matrix_covers_every_identifier_url(concern):
    assert set(_urls(concern)) == IDENTIFIER_URLS


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, concern, role):
    if role != "anonymous":
        user = _user(role)
        if role == "unverified":
            client.force_login(user)
        else:
            login_verified(client, user)
    for name, url in _urls(concern).items():
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", (role, name)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        elif role == "unverified":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:verify"))
        elif role == "member":
            # Accepting and dismissing are POST only.
            assert response.status_code == (405 if name.startswith("suggestion_") else 200), name
        else:
            # The method is refused before the concern is looked up: a 405 says nothing of it.
            assert response.status_code == (405 if name.startswith("suggestion_") else 404), (role, name)
    if role not in ("member", "anonymous", "unverified"):
        client.get(reverse("concerns:team_list"), follow=True)
        token = client.cookies["csrftoken"].value
        for name in ("identifier_remove", "suggestion_accept", "suggestion_dismiss", "identifier_add"):
            data = {"csrfmiddlewaretoken": token, "number": "07700 900333"}
            assert client.post(_urls(concern)[name], data).status_code == 404, (role, name)
        assert not IdentifierChange.objects.exists()
