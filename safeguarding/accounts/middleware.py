"""The absolute lifetime of a staff session: signed out a fixed time after signing in, however active.

It also renews a signed-in session as it is used, so it ends only after SESSION_COOKIE_AGE idle
seconds: at most once a minute (RENEW_AFTER_SECONDS), since a renewal is a database write and a
worker moving through the queue asks for many pages a minute; the idle limit is then kept to within a
minute. (Django's SESSION_SAVE_EVERY_REQUEST would write on every request of every visitor, the
public report journey's pages included.) And it ends
a session SESSION_ABSOLUTE_SECONDS after sign-in, so a stolen or forgotten session cannot be kept
alive for ever by use. It sits after the authentication, django-otp and messages middleware.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .services import SIGNED_IN_AT_SESSION_KEY

RENEW_AFTER_SECONDS = 60
RENEWED_AT_SESSION_KEY = "toolkit_renewed_at"
SIGNED_OUT_MESSAGE = "You have been signed out because you signed in {hours} hours ago. Sign in again."


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only sessions with a signed-in user; public visitors are never touched (no session load).
        if auth.SESSION_KEY in request.session:
            now = timezone.now().timestamp()
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            age = now - signed_in_at if signed_in_at else None
            # A session with no sign-in time did not come through sign-in: end it too.
            if age is None or age > settings.SESSION_ABSOLUTE_SECONDS:
                return self._end(request)
            if now - request.session.get(RENEWED_AT_SESSION_KEY, 0) >= RENEW_AFTER_SECONDS:
                request.session[RENEWED_AT_SESSION_KEY] = now  # saved, and so renewed, after this request
        return self.get_response(request)

    def _end(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            audit_record(
                kind=AuditEvent.Kind.LOGOUT,
                actor=user,
                target=user,
                summary="Signed out: session reached its maximum length",
            )
        auth.logout(request)
        hours = max(1, round(settings.SESSION_ABSOLUTE_SECONDS / 3600))
        messages.info(request, SIGNED_OUT_MESSAGE.format(hours=hours))
        if request.path.startswith("/staff/"):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
