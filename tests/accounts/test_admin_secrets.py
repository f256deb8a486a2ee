"""No superuser (nor administrator) can read a user's second factor (issue 10, finding 4): django-otp's
admin pages showed TOTP secrets, the otpauth QR code and unused backup codes."""

import pytest
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import BackupCodesFactory, UserFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db


def test_the_device_admin_pages_are_gone(client):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    login_verified(client, UserFactory(is_superuser=True))
    for path in ("/staff/admin/otp_totp/totpdevice/", "/staff/admin/otp_static/staticdevice/"):
        assert client.get(path).status_code == 404


def test_no_admin_page_of_a_user_shows_their_secret_or_backup_codes(client):
    target = UserFactory(viewer=True)
    BackupCodesFactory(user=target, codes=["zx81spectrum"])
    device = TOTPDevice.objects.get(user=target, confirmed=True)
    login_verified(client, UserFactory(is_superuser=True))
    pages = [
        client.get(f"/staff/admin/accounts/user/{target.pk}/change/").content.decode(),
        client.get("/staff/admin/accounts/user/").content.decode(),
    ]
    for page in pages:
        assert device.key not in page
        assert "otpauth://" not in page
        for token in StaticToken.objects.filter(device__user=target).values_list("token", flat=True):
            assert token not in page
