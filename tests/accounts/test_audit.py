"""Every sign-in event reaches the audit trail, and no password, code or secret key does."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from tests.accounts.conftest import code_for, csrf_post, wrong_code_for
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import html

pytestmark = pytest.mark.django_db


def test_a_whole_sign_in_story_is_audited_without_secrets(client):
    user = UserFactory(mfa=False, viewer=True)
    before = AuditEvent.objects.count()  # giving the role is audited too (audit.watch)
    csrf_post(client, "/staff/account/login/", {"username": user.username, "password": "Wrong-pass-987"})
    csrf_post(client, "/staff/account/login/", {"username": user.username, "password": PASSWORD})
    client.get("/staff/account/two-step/set-up/")
    device = TOTPDevice.objects.get(user=user)
    typed = [wrong_code_for(device), code_for(device)]
    csrf_post(client, "/staff/account/two-step/set-up/", {"code": typed[0]})
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        typed[1] = code_for(device)
        csrf_post(client, "/staff/account/two-step/set-up/", {"code": typed[1]})
        codes = [
            li.get_text(strip=True)
            for li in html(client.get("/staff/account/two-step/backup-codes/")).select("#backup-codes li")
        ]
        csrf_post(client, "/staff/account/logout/", {})

    kinds = list(AuditEvent.objects.order_by("sequence").values_list("kind", "target_type"))[before:]
    assert kinds == [
        ("login_failed", "accounts.user"),
        ("login", "accounts.user"),
        ("created", "otp_totp.totpdevice"),  # the device being set up (audit.watch)
        ("mfa_failed", "accounts.user"),
        ("mfa_enrolled", "accounts.user"),
        ("created", "otp_static.staticdevice"),  # the backup codes, never the codes themselves
        ("logout", "accounts.user"),
    ]
    assert len(codes) == 10
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    secrets = ["Wrong-pass-987", PASSWORD, device.key, *typed, *codes]
    secrets += list(StaticToken.objects.values_list("token", flat=True))
    for secret in secrets:
        assert secret not in everything
    assert audit_verify().ok
