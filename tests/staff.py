"""Shared helpers for tests of staff pages: a staff user with roles and a second factor, signed in.

    user = staff_user(roles=[("agency_lead", agency), ("board_member", board), "viewer"])
    login_verified(client, user)

A role is given as a kind ("viewer", "administrator"), or as (kind, board or agency) for the roles
held for a board or an agency. Every user gets a confirmed TOTP device, as every real account must.
"""

import itertools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Role, User
from safeguarding.partnership.models import Agency, Board

PASSWORD = "correct-horse-battery-staple-42"
_numbers = itertools.count(1)


def _role(user: User, spec: Any) -> Role:
    if isinstance(spec, str | Role.Kind):
        return Role.objects.create(user=user, kind=spec)
    kind, scope = spec
    if isinstance(scope, Board):
        return Role.objects.create(user=user, kind=kind, board=scope)
    if isinstance(scope, Agency):
        return Role.objects.create(user=user, kind=kind, agency=scope)
    if scope is None:
        return Role.objects.create(user=user, kind=kind)
    raise TypeError(f"A role's scope is a Board or an Agency, not {scope!r}")


def staff_user(
    *,
    roles: Iterable[Any] = ("viewer",),
    agency: Agency | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    first_name: str = "Alex",
    last_name: str | None = None,
    device: bool = True,
    **fields: Any,
) -> User:
    """A staff user holding `roles`, with a confirmed TOTP device (unless device=False)."""
    number = next(_numbers)
    user = User.objects.create_user(
        username=username or f"staff{number}",
        password=password,
        first_name=first_name,
        last_name=last_name if last_name is not None else f"Tester {number}",
        email=f"staff{number}@example.org",
        agency=agency,
        **fields,
    )
    for spec in roles:
        _role(user, spec)
    if device:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device (created if the user has none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


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
