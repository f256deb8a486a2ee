"""Known devices: a browser where someone has fully signed in (password and second factor) gets a signed
cookie naming, by a keyed hash, the username it signed in as. While someone else hammers that username
from elsewhere, the per-username throttle (RATE_LIMITS["sign_in_account"]) holds back every device but
the ones its owner has used, so an attacker cannot keep a member of staff out (issue 10, finding 1;
OWASP's "device cookies"). The cookie holds no name, expires, and is refused if altered.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from safeguarding.core.crypto import blind_index

COOKIE = "staff_device"
_SALT = "safeguarding.accounts.devices"
_PURPOSE = "accounts.known_device.username"
MAX_AGE_SECONDS = 180 * 24 * 60 * 60


def _username_hash(username: str) -> str:
    return blind_index(username.strip().lower(), purpose=_PURPOSE)


def known_device_remember(response: HttpResponse, *, username: str) -> None:
    """Mark this browser as one that `username` has fully signed in from."""
    value = signing.dumps({"u": _username_hash(username)}, salt=_SALT, compress=True)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
        path="/staff/",
    )


def known_device(request: HttpRequest, *, username: str) -> bool:
    """Whether this browser carries a valid mark of `username` having fully signed in from it."""
    value = request.COOKIES.get(COOKIE, "")
    if not value or not username:
        return False
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == _username_hash(username)
