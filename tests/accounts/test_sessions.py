"""Sessions end: after 30 idle minutes, a fixed time after sign-in, at sign-out, and at deactivation."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from safeguarding.accounts.models import User, UserSession
from safeguarding.accounts.services import user_deactivate
from safeguarding.audit.models import AuditEvent
from tests.accounts.conftest import csrf_post
from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.staff import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.probe_urls")]
PROBE = "/staff/probe/"


def test_idle_for_more_than_30_minutes_ends_the_session(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login_verified(client, UserFactory(viewer=True))
        assert client.get(PROBE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(PROBE).status_code == 200  # and this request renews the session
    with time_machine.travel(start + timedelta(minutes=29 + 29), tick=False):
        assert client.get(PROBE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 29 + 31), tick=False):
        response = client.get(PROBE)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/account/login/")


def test_a_busy_session_is_renewed_at_most_once_a_minute(client):
    """Each renewal is a database write: a worker paging through a queue renews once a minute."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login_verified(client, UserFactory(viewer=True))
        assert client.get(PROBE).status_code == 200
    key = client.session.session_key

    def expires():
        return Session.objects.get(session_key=key).expire_date

    renewed = expires()
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert client.get(PROBE).status_code == 200
    assert expires() == renewed
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert client.get(PROBE).status_code == 200
    assert expires() == renewed + timedelta(seconds=61)


@override_settings(SESSION_ABSOLUTE_SECONDS=2 * 60 * 60)
def test_a_session_ends_a_fixed_time_after_sign_in_however_busy(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        user = UserFactory(viewer=True)
        login_verified(client, user)
    for minutes in range(20, 120, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(PROBE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        response = client.get(PROBE)
        assert response.status_code == 302
        assert response["Location"] == "/staff/account/login/?next=/staff/probe/"
        assert "_auth_user_id" not in client.session
        page = html(client.get(response["Location"]))
    banner = page.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "You have been signed out because you signed in 2 hours ago" in banner
    assert AuditEvent.objects.filter(kind="logout", actor_id=user.pk).exists()


def test_the_absolute_lifetime_default_is_10_hours():
    from config.settings import base

    assert base.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60
    assert base.SESSION_COOKIE_AGE == 30 * 60
    # Staff sessions are renewed by the middleware (see the test above); only changed public ones are saved.
    assert base.SESSION_SAVE_EVERY_REQUEST is False


def test_an_inactive_user_is_refused_on_their_next_request(client):
    """Django's ModelBackend refuses inactive users on every request, even with a live session."""
    user = UserFactory(viewer=True)
    login_verified(client, user)
    assert client.get(PROBE).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(PROBE)["Location"].startswith("/staff/account/login/")


def test_deactivation_ends_every_session_of_the_user_at_once(client):
    from django.test import Client

    user, admin, bystander = (
        UserFactory(viewer=True),
        UserFactory(administrator=True),
        UserFactory(viewer=True),
    )
    other_browser = Client()
    login_verified(client, user)
    login_verified(other_browser, user)
    bystander_browser = login_verified(Client(), bystander)
    keys = [client.session.session_key, other_browser.session.session_key]
    assert set(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == set(keys)

    user_deactivate(user=user, by=admin)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get(PROBE)["Location"].startswith("/staff/account/login/")
    assert other_browser.get(PROBE)["Location"].startswith("/staff/account/login/")
    assert bystander_browser.get(PROBE).status_code == 200
    event = AuditEvent.objects.get(kind="user_changed", target_id=str(user.pk))
    assert event.actor_id == admin.pk
    assert event.changes == {"is_active": [True, False]}
    assert event.data == {"sessions_ended": 2}


def test_sign_out_forgets_the_session(client):
    user = UserFactory(viewer=True)
    login_verified(client, user)
    key = client.session.session_key
    assert UserSession.objects.filter(session_key=key).exists()
    csrf_post(client, "/staff/account/logout/", {})
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert client.get(PROBE)["Location"].startswith("/staff/account/login/")
