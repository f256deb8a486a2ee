"""The Django admin at /staff/admin/: verified superusers only (administrators use the settings pages),
and every change audited."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Role, User
from safeguarding.audit.models import AuditEvent
from tests.accounts.factories import BackupCodesFactory, UserFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.staff import login_unverified, login_verified

pytestmark = pytest.mark.django_db
ADMIN = "/staff/admin/"


def admin_post(client, url, data):
    token = html(client.get(url)).select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def test_anonymous_is_sent_to_the_staff_sign_in(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/account/login/?next=/staff/admin/"


def test_an_unverified_administrator_is_sent_to_two_step(client):
    login_unverified(client, UserFactory(administrator=True))
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/account/two-step/?next=/staff/admin/"


def test_an_unverified_superuser_is_sent_to_two_step(client):
    user = UserFactory(username="root2", is_superuser=True, is_staff=True)
    login_unverified(client, user)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/staff/account/two-step/")


def test_a_verified_user_who_is_not_an_administrator_is_refused(client):
    login_verified(client, UserFactory(viewer=True))
    assert client.get(ADMIN, follow=True).status_code == 403


def test_a_verified_administrator_who_is_not_a_superuser_is_refused(client):
    login_verified(client, UserFactory(administrator=True))
    assert client.get(ADMIN, follow=True).status_code == 403
    assert client.get("/staff/admin/accounts/user/").status_code in (302, 403)


def test_a_verified_superuser_gets_in_without_is_staff(client):
    user = UserFactory(is_superuser=True)
    assert not user.is_staff
    login_verified(client, user)
    response = client.get(ADMIN)
    assert response.status_code == 200
    assert client.get("/staff/admin/accounts/user/").status_code == 200


def test_role_scope_is_checked_in_the_admin(client):
    admin_user = UserFactory(is_superuser=True)
    target = UserFactory()
    login_verified(client, admin_user)
    url = f"/staff/admin/accounts/user/{target.pk}/change/"
    data = _change_form_data(client, url)
    data.update({"roles-0-kind": "agency_lead", "roles-0-board": "", "roles-0-agency": ""})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose the agency this role is for, and no board." in response.content.decode()
    assert not Role.objects.filter(user=target).exists()


def _change_form_data(client, url):
    page = html(client.get(url))
    form = page.select_one("form#user_form")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button"):
            data[name] = field.get("value", "")
    return data


def test_giving_a_role_and_deactivating_in_the_admin_are_audited_and_end_sessions(client):
    admin_user = UserFactory(is_superuser=True)
    agency = AgencyFactory()
    target = UserFactory()
    target_browser = login_verified(Client(), target)
    login_verified(client, admin_user)
    url = f"/staff/admin/accounts/user/{target.pk}/change/"

    data = _change_form_data(client, url)
    data.update({"roles-0-kind": "agency_lead", "roles-0-agency": str(agency.pk), "roles-0-board": ""})
    assert client.post(url, data).status_code == 302
    assert Role.objects.filter(user=target, kind="agency_lead", agency=agency).exists()
    event = AuditEvent.objects.get(kind="user_changed", target_id=str(target.pk))
    assert event.changes == {"roles": [[], [f"Agency lead ({agency})"]]}
    assert event.actor_id == admin_user.pk

    data = _change_form_data(client, url)
    data.pop("is_active", None)
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert target_browser.get("/staff/account/two-step/")["Location"].startswith("/staff/account/login/")
    assert AuditEvent.objects.filter(kind="user_changed", changes={"is_active": [True, False]}).exists()


def test_the_deactivate_action_ends_sessions(client):
    admin_user = UserFactory(is_superuser=True)
    target = UserFactory(viewer=True)
    target_browser = login_verified(Client(), target)
    key = target_browser.session.session_key
    login_verified(client, admin_user)
    response = admin_post(
        client,
        "/staff/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [str(target.pk), str(admin_user.pk)]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    admin_user.refresh_from_db()
    assert not target.is_active
    assert admin_user.is_active  # nobody deactivates themself by accident
    assert not Session.objects.filter(session_key=key).exists()


def test_reset_two_step_removes_devices_and_is_audited(client):
    admin_user = UserFactory(is_superuser=True)
    target = UserFactory(viewer=True)
    BackupCodesFactory(user=target, codes=["abcdefgh"])
    login_verified(client, admin_user)
    response = admin_post(
        client,
        "/staff/admin/accounts/user/",
        {"action": "reset_two_step", "_selected_action": [str(target.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(kind="mfa_reset")
    assert event.target_id == str(target.pk)
    assert event.actor_id == admin_user.pk


def test_creating_a_user_in_the_admin_is_audited_without_the_password(client):
    admin_user = UserFactory(is_superuser=True)
    login_verified(client, admin_user)
    board = BoardFactory()
    response = admin_post(
        client,
        "/staff/admin/accounts/user/add/",
        {
            "username": "new.person",
            "first_name": "Nia",
            "last_name": "Example",
            "email": "nia@example.org",
            "password1": "Another-long-passphrase-9",
            "password2": "Another-long-passphrase-9",
            "usable_password": "true",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-kind": "board_member",
            "roles-0-board": str(board.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new.person")
    assert user.roles.get().board == board
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Another-long-passphrase-9" not in everything
    assert AuditEvent.objects.filter(kind="user_changed", target_id=str(user.pk)).exists()
