"""staff_required: signed in, verified, and holding a role, or no staff page."""

import pytest
from django.test import override_settings

from tests.accounts.factories import UserFactory
from tests.staff import login_unverified, login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.probe_urls")]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/staff/probe/?a=1")
    assert response.status_code == 302
    assert response["Location"] == "/staff/account/login/?next=/staff/probe/%3Fa%3D1"


def test_signed_in_with_a_password_only_is_sent_to_two_step(client):
    login_unverified(client, UserFactory(viewer=True))
    response = client.get("/staff/probe/")
    assert response["Location"] == "/staff/account/two-step/?next=/staff/probe/"


def test_verified_without_a_role_is_refused(client):
    login_verified(client, UserFactory())
    assert client.get("/staff/probe/").status_code == 403


def test_verified_with_a_role_gets_in(client):
    user = UserFactory(viewer=True)
    login_verified(client, user)
    response = client.get("/staff/probe/")
    assert response.status_code == 200
    assert response.content.decode() == f"Hello {user.username}"
    assert response["Cache-Control"] == "no-store"


def test_a_device_id_for_someone_elses_device_does_not_verify(client):
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.staff import totp_device

    user, other = UserFactory(viewer=True), UserFactory(viewer=True)
    login_unverified(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(other).persistent_id
    session.save()
    assert client.get("/staff/probe/")["Location"].startswith("/staff/account/two-step/")


@override_settings(SESSION_ABSOLUTE_SECONDS=60)
def test_a_session_not_made_by_signing_in_is_ended(client):
    """A session with a user but no sign-in time did not come through sign-in: it is ended."""
    from safeguarding.accounts.services import SIGNED_IN_AT_SESSION_KEY

    login_verified(client, UserFactory(viewer=True))
    session = client.session
    del session[SIGNED_IN_AT_SESSION_KEY]
    session.save()
    assert client.get("/staff/probe/")["Location"].startswith("/staff/account/login/")
