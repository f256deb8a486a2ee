"""Repeated failures lock a username out: wrong passwords, and wrong security codes."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from tests.accounts.conftest import code_for, csrf_post, wrong_code_for
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import html

pytestmark = pytest.mark.django_db
LOGIN = "/staff/account/login/"
VERIFY = "/staff/account/two-step/"


def attempt(client, username, password):
    return csrf_post(client, LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_username_out_for_15_minutes(client):
    user = UserFactory(viewer=True)
    for _ in range(4):
        assert attempt(client, user.username, "wrong-password-guess").status_code == 200
    locked = attempt(client, user.username, "wrong-password-guess")
    assert locked.status_code == 429
    page = html(locked)
    assert page.h1.get_text(strip=True) == "Your account is locked for now"
    assert "Wait 15 minutes" in page.get_text()

    # Even the right password is refused while locked, and gives nothing away.
    assert attempt(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=True):
        response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_failures_and_the_lockout_are_audited_with_the_username_but_never_the_password(client):
    user = UserFactory(viewer=True)
    for _ in range(5):
        attempt(client, user.username, "Sekret-guess-123")
    failed = AuditEvent.objects.filter(kind="login_failed")
    assert failed.count() == 5
    assert {e.data["username"] for e in failed} == {user.username}
    assert {e.target_id for e in failed} == {str(user.pk)}
    assert AuditEvent.objects.filter(kind="locked_out", data__username=user.username).exists()
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Sekret-guess-123" not in everything


def test_a_lockout_of_one_username_leaves_others_alone(client):
    locked, other = UserFactory(viewer=True), UserFactory(viewer=True)
    for _ in range(5):
        attempt(client, locked.username, "nope")
    assert attempt(client, other.username, PASSWORD).status_code == 302


def test_wrong_codes_are_refused_then_slowed_then_locked(client):
    user = UserFactory(viewer=True)
    device = TOTPDevice.objects.get(user=user)
    attempt(client, user.username, PASSWORD)

    first = csrf_post(client, VERIFY, {"code": wrong_code_for(device)})
    assert first.status_code == 200
    error = html(first).select_one("#id_code-error").get_text(" ", strip=True)
    assert error == "Error: The security code is not correct. Check the code and try again"

    # Straight after a wrong code the device refuses even the right one, and says why.
    throttled = csrf_post(client, VERIFY, {"code": code_for(device)})
    message = html(throttled).select_one(".govuk-error-summary a").get_text(strip=True)
    assert message.startswith("You have entered too many wrong codes. Wait ")
    assert DEVICE_ID_SESSION_KEY not in client.session

    # Four more wrong codes (waiting out each slow-down) lock the username and sign the person out.
    response = None
    start = timezone.now()
    for step in range(1, 5):
        with time_machine.travel(start + timedelta(minutes=2 * step), tick=False):
            response = csrf_post(client, VERIFY, {"code": wrong_code_for(device)})
            if step < 4:
                assert response.status_code == 200
    assert response.status_code == 429
    assert html(response).h1.get_text(strip=True) == "Your account is locked for now"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="mfa_failed", actor_id=user.pk).count() == 5
    assert AuditEvent.objects.filter(kind="locked_out", data__username=user.username).exists()
    # The codes typed are not kept, by the audit trail or by axes.
    from axes.models import AccessAttempt

    assert all("123456" not in a.post_data or "****" in a.post_data for a in AccessAttempt.objects.all())
    assert all(f"code={wrong_code_for(device)}" not in a.post_data for a in AccessAttempt.objects.all())


def test_signing_in_again_does_not_undo_the_slow_down(client):
    user = UserFactory(viewer=True)
    device = TOTPDevice.objects.get(user=user)
    attempt(client, user.username, PASSWORD)
    csrf_post(client, VERIFY, {"code": wrong_code_for(device)})
    csrf_post(client, VERIFY, {"code": wrong_code_for(device)})
    attempt(client, user.username, PASSWORD)
    response = csrf_post(client, VERIFY, {"code": code_for(device)})
    assert "too many wrong codes" in html(response).get_text()


# --- Lockout that cannot be turned against a member of staff (issue 10, finding 1) ----------------

ATTACKER, VICTIM = "81.2.69.66", "81.2.69.160"


def _attempt_from(client, address, username, password):
    client.get(LOGIN, REMOTE_ADDR=address)
    return client.post(
        LOGIN,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "username": username,
            "password": password,
        },
        REMOTE_ADDR=address,
    )


def _verified_on(client, user, address):
    """Sign in fully (password and code) from `address`, as the owner does from their own browser."""
    assert _attempt_from(client, address, user.username, PASSWORD).status_code == 302
    client.post(
        VERIFY,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "code": code_for(TOTPDevice.objects.get(user=user, confirmed=True)),
        },
        REMOTE_ADDR=address,
    )
    client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_an_attacker_locks_only_themselves_out_not_the_owner_at_their_own_address():
    victim = UserFactory(viewer=True)
    attacker, owner = Client(), Client()
    for _ in range(5):
        _attempt_from(attacker, ATTACKER, victim.username, "wrong-password-guess")
    assert _attempt_from(attacker, ATTACKER, victim.username, PASSWORD).status_code == 429
    # Before the fix the account itself was locked: the owner's right password got 429 too.
    response = _attempt_from(owner, VICTIM, victim.username, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, VERIFY)


def test_the_owners_own_browser_signs_in_while_the_account_is_hammered_from_everywhere(settings):
    victim = UserFactory(viewer=True)
    owner = Client()
    _verified_on(owner, victim, VICTIM)  # the owner's browser is now a known device for this account
    for guess in range(35):  # spread over addresses, under each address's lockout
        _attempt_from(Client(), f"81.2.69.{guess + 1}", victim.username, "wrong-password-guess")
    # A new browser is held back by the per-account limit...
    stranger = _attempt_from(Client(), "81.2.70.1", victim.username, PASSWORD)
    assert stranger.status_code == 429
    assert html(stranger).h1.get_text(strip=True) == "Too many attempts to sign in to this account"
    assert int(stranger["Retry-After"]) > 0
    # ...and the owner's own browser is not.
    response = _attempt_from(owner, VICTIM, victim.username, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, VERIFY)


def test_a_known_device_mark_is_for_one_account_and_cannot_be_forged():
    victim, other = UserFactory(viewer=True), UserFactory(viewer=True)
    owner = Client()
    _verified_on(owner, other, VICTIM)  # known for `other`, not for `victim`
    for guess in range(35):
        _attempt_from(Client(), f"81.2.69.{guess + 1}", victim.username, "wrong-password-guess")
    assert _attempt_from(owner, VICTIM, victim.username, PASSWORD).status_code == 429
    forged = Client()
    forged.cookies["staff_device"] = "eyJ1IjoiMDAwMCJ9:forged:signature"
    assert _attempt_from(forged, VICTIM, victim.username, PASSWORD).status_code == 429
