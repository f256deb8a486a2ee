"""Signing a test client in to the staff area, with or without two-step verification passed.

user = UserFactory(agency_lead=agency, board_member=board)    # tests/accounts/factories.py
login_verified(client, user)
"""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from tests.accounts.factories import TOTPDeviceFactory


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device (created if the user has none)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)


def login_verified(client: Client, user: User) -> Client:
    """Sign `client` in as `user`, with the session marked as having passed two-step verification."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


def login_unverified(client: Client, user: User) -> Client:
    """Sign `client` in with a password only: two-step verification not yet passed."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def client_session(client: Client) -> SessionBase:
    """The client's session, as the server stores it."""
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    return engine.SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)


def post(client: Client, path: str, data: dict | None = None, **kwargs):
    """POST as a browser does: with the CSRF token of a staff page it was on."""
    if "csrftoken" not in client.cookies:
        client.get(reverse("concerns:team_list"), follow=True)
    token = client.cookies["csrftoken"].value
    return client.post(path, {"csrfmiddlewaretoken": token, **(data or {})}, **kwargs)


def concern_views(concern) -> list[str]:
    """The audit trail's record of each page about the concern that was shown."""
    return list(
        AuditEvent.objects.filter(
            kind=AuditEvent.Kind.VIEWED, target_type="concerns.concern", target_id=str(concern.pk)
        ).values_list("summary", flat=True)
    )
