"""Changes to accounts, second factors and API tokens are audited wherever they are made, once each,
and never with a password, a hash, a secret key or a code (issue 10, item 1)."""

import io
import json
import os

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import AgencyApiToken, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from tests.accounts.conftest import csrf_post
from tests.accounts.factories import PASSWORD, BackupCodesFactory, UserFactory
from tests.accounts.test_admin import admin_post
from tests.partnership.factories import AgencyFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db


def _since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=mark).order_by("sequence"))


def _mark() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_createsuperuser_is_audited_with_the_password_only_as_set(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "A-long-enough-passphrase-71")
    call_command("createsuperuser", "--noinput", "--username", "night.admin", "--email", "n@example.org")
    user = User.objects.get(username="night.admin")
    [event] = [e for e in _since(0) if e.target_type == "accounts.user"]
    assert event.kind == "created"
    assert event.actor_id is None  # a command: nobody signed in
    assert event.changes["is_superuser"] == [None, True]
    assert event.changes["password"] == [None, "set"]
    assert user.password not in json.dumps(event.changes)
    assert "A-long-enough-passphrase-71" not in json.dumps(event.changes)


def test_a_shell_making_someone_a_superuser_or_changing_their_password_is_audited():
    user = UserFactory(viewer=True)
    mark = _mark()
    user.is_superuser = True
    user.set_password("Changed-in-a-shell-42")
    user.save()
    [event] = _since(mark)
    assert (event.kind, event.target_type, event.target_id) == ("updated", "accounts.user", str(user.pk))
    assert event.changes == {"is_superuser": [False, True], "password": ["set", "set"]}
    assert user.password not in json.dumps(event.changes)


def test_signing_in_records_no_change_to_the_account(client):
    user = UserFactory(viewer=True)
    mark = _mark()
    csrf_post(client, "/staff/account/login/", {"username": user.username, "password": PASSWORD})
    assert [e.kind for e in _since(mark)] == ["login"]  # last_login moved: not a change to the account


def test_removing_a_second_factor_outside_the_services_is_audited_on_the_users_history():
    user = UserFactory(viewer=True)
    BackupCodesFactory(user=user, codes=["abcdefgh"])
    device = TOTPDevice.objects.get(user=user)
    mark = _mark()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    events = _since(mark)
    assert [(e.kind, e.target_type, e.subject_type, e.subject_id) for e in events] == [
        ("deleted", "otp_totp.totpdevice", "accounts.user", str(user.pk)),
        ("deleted", "otp_static.staticdevice", "accounts.user", str(user.pk)),
    ]
    assert device.key not in json.dumps([e.changes for e in events])


def test_using_a_second_factor_records_no_change():
    user = UserFactory(viewer=True)
    device = TOTPDevice.objects.get(user=user)
    mark = _mark()
    device.throttle_increment()  # saved on every wrong code
    device.last_t = 12345
    device.save()
    assert _since(mark) == []


def test_an_administrator_resetting_devices_is_one_event_and_the_user_must_set_up_again(client):
    administrator = UserFactory(is_superuser=True)
    target = UserFactory(viewer=True)
    BackupCodesFactory(user=target, codes=["abcdefgh"])
    login_verified(client, administrator)
    mark = _mark()
    admin_post(
        client, "/staff/admin/accounts/user/", {"action": "reset_two_step", "_selected_action": [target.pk]}
    )
    events = _since(mark)
    assert [(e.kind, e.actor_id, e.target_id) for e in events] == [
        ("mfa_reset", administrator.pk, str(target.pk))
    ]
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticToken.objects.filter(device__user=target).exists()

    client.logout()
    response = csrf_post(client, "/staff/account/login/", {"username": target.username, "password": PASSWORD})
    assert response["Location"].startswith("/staff/account/two-step/set-up/")
    # Until they have set up again, no staff page opens.
    assert client.get("/staff/")["Location"].startswith("/staff/account/two-step/")


def test_an_account_changed_in_the_admin_is_one_event(client):
    administrator = UserFactory(is_superuser=True)
    target = UserFactory(viewer=True, username="kit.example")
    login_verified(client, administrator)
    mark = _mark()
    url = f"/staff/admin/accounts/user/{target.pk}/change/"
    response = admin_post(
        client,
        url,
        {
            "username": "kit.example",
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "job_title": "",
            "agency": "",
            "is_active": "on",
            "is_superuser": "on",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account_events = [e for e in _since(mark) if e.target_type == "accounts.user"]
    assert [(e.kind, e.actor_id) for e in account_events] == [("user_changed", administrator.pk)]
    assert account_events[0].changes["is_superuser"] == [False, True]


def test_api_tokens_made_by_the_command_are_audited_once_and_renaming_in_a_shell_is_too():
    agency = AgencyFactory(slug="police")
    mark = _mark()
    call_command("api_token_create", "--agency", "police", "--name", "Case system", stdout=io.StringIO())
    token = AgencyApiToken.objects.get()
    assert [(e.kind, e.target_type) for e in _since(mark)] == [("created", "accounts.agencyapitoken")]
    mark = _mark()
    token.name = "Another system"
    token.save()
    [event] = _since(mark)
    assert event.changes == {"name": ["Case system", "Another system"]}
    assert token.secret_hash not in json.dumps([e.data for e in AuditEvent.objects.all()])
    assert audit_verify().ok
    assert agency.api_tokens.count() == 1
