"""Signing in end to end: password, then setting up or using two-step verification."""

import base64
from datetime import timedelta
from urllib.parse import unquote

import pytest
import segno
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from tests.accounts.conftest import code_for, csrf_post
from tests.accounts.factories import PASSWORD, BackupCodesFactory, UserFactory
from tests.conftest import html
from tests.staff import login_verified

pytestmark = pytest.mark.django_db
LOGIN = "/staff/account/login/"


def sign_in(client, user, *, password=PASSWORD, next_url=None):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return csrf_post(client, LOGIN, data)


def test_sign_in_page_is_a_govuk_form():
    from django.test import Client

    page = html(Client().get(LOGIN))
    assert page.h1.get_text(strip=True) == "Sign in to the staff area"
    form = page.select_one("main form")
    assert form["method"] == "post"
    assert page.select_one("label[for=id_username]").get_text(strip=True) == "Username"
    assert page.select_one("#id_username")["autocomplete"] == "username"
    assert page.select_one("#id_password")["type"] == "password"
    assert page.select_one("#id_password")["autocomplete"] == "current-password"


def test_first_sign_in_sets_up_two_step_with_a_qr_code_then_goes_to_next(client):
    user = UserFactory(viewer=True, mfa=False)
    response = sign_in(client, user, next_url="/staff/somewhere/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/account/two-step/set-up/?next=%2Fstaff%2Fsomewhere%2F"
    # Password alone opens no staff page.
    assert DEVICE_ID_SESSION_KEY not in client.session

    page = html(client.get(response["Location"]))
    assert page.h1.get_text(strip=True) == "Set up two-step verification"
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    img = page.select_one("main img")
    assert img["src"].startswith("data:image/svg+xml;")
    svg = unquote(img["src"].split(",", 1)[1])
    assert svg.startswith("<svg xmlns=")  # a data: URI SVG needs its namespace to show
    # The QR code holds the device's otpauth:// address (decoded with segno's own encoder to compare).
    assert svg == unquote(
        segno.make(device.config_url, error="m")
        .svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")
        .split(",", 1)[1]
    )
    assert img["alt"]
    # The secret, for typing by hand, is the device's key in base32.
    typed = page.select_one("#secret-key").get_text().replace(" ", "").strip()
    assert typed == base64.b32encode(device.bin_key).decode().rstrip("=")
    assert page.select_one("input[name=next]")["value"] == "/staff/somewhere/"

    response = csrf_post(
        client,
        "/staff/account/two-step/set-up/",
        {"code": code_for(device), "next": "/staff/somewhere/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/account/two-step/backup-codes/?next=%2Fstaff%2Fsomewhere%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    page = html(client.get(response["Location"]))
    shown = [li.get_text(strip=True) for li in page.select("#backup-codes li")]
    stored = sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(shown) == 10
    assert sorted(shown) == stored
    assert page.select_one("main a.govuk-button")["href"] == "/staff/somewhere/"
    # Shown once only.
    again = html(client.get("/staff/account/two-step/backup-codes/"))
    assert not again.select("#backup-codes li")
    assert "shown only once" in again.get_text()

    kinds = list(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user.pk))
        .exclude(kind="created")  # the factory made the account (audit.watch)
        .values_list("kind", flat=True)
    )
    assert kinds == ["login", "mfa_enrolled"]


def test_set_up_refuses_a_wrong_code_and_keeps_the_device_unconfirmed(client):
    user = UserFactory(viewer=True, mfa=False)
    sign_in(client, user)
    client.get("/staff/account/two-step/set-up/")
    response = csrf_post(client, "/staff/account/two-step/set-up/", {"code": "12"})
    page = html(response)
    assert response.status_code == 200
    assert (
        page.select_one(".govuk-error-summary a").get_text(strip=True).startswith("The security code is not")
    )
    assert page.title.get_text().startswith("Error: ")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_returning_user_enters_the_code_from_their_app(client):
    user = UserFactory(viewer=True)
    device = TOTPDevice.objects.get(user=user)
    response = sign_in(client, user, next_url="/staff/reviews/3/")
    assert response["Location"] == "/staff/account/two-step/?next=%2Fstaff%2Freviews%2F3%2F"
    # Someone with only the password cannot set up a second device.
    assert client.get("/staff/account/two-step/set-up/")["Location"].startswith("/staff/account/two-step/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    page = html(client.get(response["Location"]))
    assert page.h1.get_text(strip=True) == "Enter your security code"
    response = csrf_post(
        client, "/staff/account/two-step/", {"code": code_for(device), "next": "/staff/reviews/3/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/reviews/3/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    event = AuditEvent.objects.get(kind="mfa_verified")
    assert event.actor_id == user.pk


def test_a_backup_code_works_once(client):
    user = UserFactory(viewer=True)
    backup = BackupCodesFactory(user=user, codes=["abcdefgh", "stuvwxyz"])
    sign_in(client, user)
    response = csrf_post(client, "/staff/account/two-step/", {"code": "ABCD EFGH"})
    assert response.status_code == 302
    assert not backup.token_set.filter(token="abcdefgh").exists()

    client.post("/staff/account/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    sign_in(client, user)
    with time_machine.travel(
        timezone.now() + timedelta(minutes=1), tick=True
    ):  # past the first code's throttle, which a success reset anyway
        response = csrf_post(client, "/staff/account/two-step/", {"code": "abcdefgh"})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_same_message_for_an_unknown_username_and_a_wrong_password(client):
    user = UserFactory(viewer=True)
    wrong_password = html(sign_in(client, user, password="not-the-password"))
    unknown = html(csrf_post(client, LOGIN, {"username": "nobody-by-this-name", "password": "x"}))
    message = wrong_password.select_one(".govuk-error-summary__list").get_text(strip=True)
    assert message == "Enter a correct username and password"
    assert unknown.select_one(".govuk-error-summary__list").get_text(strip=True) == message
    assert wrong_password.select_one(".govuk-error-summary a")["href"] == "#id_username"
    # The password is never sent back to the browser.
    assert "not-the-password" not in str(wrong_password)


def test_empty_fields_get_their_own_messages(client):
    page = html(csrf_post(client, LOGIN, {"username": "", "password": ""}))
    links = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert links == ["Enter your username", "Enter your password"]
    assert page.select_one("#id_username")["aria-describedby"].strip() == "id_username-error"


@pytest.mark.parametrize(
    "next_url",
    ["https://elsewhere.example/staff/", "//elsewhere.example/staff/", "/reviews/", "/staff/account/logout/"],
)
def test_next_outside_the_staff_area_is_ignored(client, next_url):
    user = UserFactory(viewer=True)
    sign_in(client, user, next_url=next_url)
    response = csrf_post(
        client,
        "/staff/account/two-step/",
        {"code": code_for(TOTPDevice.objects.get(user=user)), "next": next_url},
    )
    assert response["Location"] == reverse("workspace:home") == "/staff/"


def test_session_key_changes_at_sign_in_and_at_verification(client):
    user = UserFactory(viewer=True)
    client.get(LOGIN)
    client.session.save()
    anonymous_key = client.session.session_key
    sign_in(client, user)
    password_key = client.session.session_key
    csrf_post(client, "/staff/account/two-step/", {"code": code_for(TOTPDevice.objects.get(user=user))})
    verified_key = client.session.session_key
    assert len({anonymous_key, password_key, verified_key}) == 3


def test_sign_out_asks_on_get_and_signs_out_on_post(client):
    user = UserFactory(viewer=True)
    login_verified(client, user)
    key = client.session.session_key
    page = html(client.get("/staff/account/logout/"))
    assert page.h1.get_text(strip=True) == "Sign out of the staff area"
    assert "_auth_user_id" in client.session  # a GET signs nobody out

    response = csrf_post(client, "/staff/account/logout/", {})
    assert response["Location"] == "/staff/account/login/"
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    page = html(client.get(response["Location"]))
    assert (
        page.select_one(".govuk-notification-banner")
        .get_text(" ", strip=True)
        .endswith("You have signed out")
    )
    assert AuditEvent.objects.filter(kind="logout", actor_id=user.pk).exists()


def test_verified_user_visiting_sign_in_goes_on(client):
    user = UserFactory(viewer=True)
    login_verified(client, user)
    response = client.get(LOGIN + "?next=/staff/x/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/x/"


def test_superuser_without_a_role_lands_in_the_admin_after_setting_up(client):
    user = UserFactory(username="rootish", is_superuser=True, is_staff=True, mfa=False)
    response = sign_in(client, user)
    assert response["Location"] == "/staff/account/two-step/set-up/"
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=user)
    response = csrf_post(client, "/staff/account/two-step/set-up/", {"code": code_for(device)})
    assert response["Location"] == "/staff/account/two-step/backup-codes/"
    page = html(client.get(response["Location"]))
    assert page.select_one("main a.govuk-button")["href"] == "/staff/admin/"
