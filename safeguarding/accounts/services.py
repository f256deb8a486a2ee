"""Changes to staff accounts: sessions, two-step verification devices, deactivation.

Every change that matters for security is written to the audit trail here, never a password, a code
or a secret key.
"""

import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.audit.watch import audited_elsewhere

from .models import User, UserSession

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# What a person types: an authenticator code is 6 digits; a backup code is 8 letters and digits.
_TOTP_CODE = re.compile(r"^\d{6}$")
_BACKUP_CODE = re.compile(r"^[a-z2-7]{8}$")
# Session key holding when the user signed in, as a POSIX timestamp (accounts.middleware).
SIGNED_IN_AT_SESSION_KEY = "accounts_signed_in_at"


def _session_store(session_key: str) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


# --- Sessions --------------------------------------------------------------------------------------
def user_session_record(*, user: User, session_key: str) -> UserSession:
    """Remember that `user` holds the session `session_key`, so it can be ended from outside."""
    session, _ = UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    return session


def user_session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user: User) -> int:
    """End every session `user` holds, at once. Returns how many there were."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def user_deactivate(*, user: User, by: Any) -> User:
    """Stop `user` signing in, and end the sessions they hold now."""
    with transaction.atomic(), audited_elsewhere():
        was_active = user.is_active
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = user_sessions_end(user=user)
        audit_record(
            kind=AuditEvent.Kind.USER_CHANGED,
            actor=by,
            target=user,
            summary=f"Deactivated {user.get_username()}",
            changes={"is_active": [was_active, False]},
            data={"sessions_ended": ended},
        )
    return user


def user_change_record(*, user: User, by: Any, changes: dict[str, list[Any]], summary: str = "") -> None:
    """Audit a change to an account made in the admin (details, roles, active or not)."""
    if changes:
        audit_record(
            kind=AuditEvent.Kind.USER_CHANGED,
            actor=by,
            target=user,
            summary=summary or f"Changed the account of {user.get_username()}",
            changes=changes,
        )


# --- Two-step verification -------------------------------------------------------------------------


def mfa_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up for `user`, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def mfa_backup_codes_create(*, user: User) -> list[str]:
    """Replace the user's backup codes with a fresh set; the codes are returned to show once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why it was refused."""

    device: Any = None
    throttled_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def _throttle_wait(device: Any) -> int:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))


def mfa_code_normalise(code: str) -> str:
    """People type codes with spaces or dashes, and backup codes in capitals."""
    return re.sub(r"[\s-]", "", code or "").lower()


def mfa_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a new authenticator device with the first code it shows."""
    code = mfa_code_normalise(code)
    wait = _throttle_wait(device)
    if wait:
        return CodeCheck(throttled_seconds=wait)
    if not (_TOTP_CODE.match(code) and device.verify_token(code)):
        audit_record(kind=AuditEvent.Kind.MFA_FAILED, actor=user, target=user, summary="Wrong code at set-up")
        return CodeCheck(throttled_seconds=0)
    with transaction.atomic(), audited_elsewhere():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other unconfirmed devices were abandoned attempts; their secrets should not linger.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(
            kind=AuditEvent.Kind.MFA_ENROLLED,
            actor=user,
            target=user,
            summary="Set up two-step verification with an authenticator app",
        )
    return CodeCheck(device=device)


def mfa_verify(*, user: User, code: str) -> CodeCheck:
    """Check a code from the user's authenticator app, or one of their backup codes.

    A device that has refused recent wrong codes refuses every code for a while, growing each
    time (django-otp's throttling), so codes cannot be guessed however often a person signs in.
    """
    code = mfa_code_normalise(code)
    backup = bool(_BACKUP_CODE.match(code))
    well_formed = backup or bool(_TOTP_CODE.match(code))
    model: Any = StaticDevice if backup else TOTPDevice
    method = "backup code" if backup else "authenticator code"
    waits: list[int] = []
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            wait = _throttle_wait(device)
            if wait:
                waits.append(wait)
                continue
            if well_formed and device.verify_token(code):
                audit_record(
                    kind=AuditEvent.Kind.MFA_VERIFIED,
                    actor=user,
                    target=user,
                    summary=f"Signed in with a {method}",
                    data={"method": method, "backup_codes_left": _backup_codes_left(device)},
                )
                return CodeCheck(device=device)
            if not well_formed:
                # Not even the shape of a code: still a wrong attempt, so it still slows the next one.
                device.throttle_increment()
            waits.append(0)
        if waits and all(waits):
            return CodeCheck(throttled_seconds=min(waits))
        audit_record(kind=AuditEvent.Kind.MFA_FAILED, actor=user, target=user, summary=f"Wrong {method}")
    return CodeCheck()


def _backup_codes_left(device: Any) -> int | None:
    if isinstance(device, StaticDevice):
        return device.token_set.count()
    return None


def mfa_reset(*, user: User, by: Any) -> int:
    """Remove the user's authenticator and backup codes: they set up again at their next sign-in.

    Their sessions end too, so a session verified with the old device cannot carry on.
    """
    with transaction.atomic(), audited_elsewhere():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        user_sessions_end(user=user)
        audit_record(
            kind=AuditEvent.Kind.MFA_RESET,
            actor=by,
            target=user,
            summary=f"Reset two-step verification for {user.get_username()}",
        )
    return removed


def session_signed_in_record(*, request: HttpRequest, user: User) -> None:
    """At sign-in: note the time (for the absolute lifetime) and the session (for deactivation)."""
    request.session[SIGNED_IN_AT_SESSION_KEY] = timezone.now().timestamp()
    if request.session.session_key is None:
        request.session.save()
    user_session_record(user=user, session_key=request.session.session_key or "")
