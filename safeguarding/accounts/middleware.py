"""The absolute lifetime of a staff session: signed out a fixed time after signing in, however active.

It also renews a signed-in session on every request, so it ends only after SESSION_COOKIE_AGE idle
seconds (Django's SESSION_SAVE_EVERY_REQUEST would do the same for every visitor, and cost the public
report journey a database write on every page it shows). And it ends
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

SIGNED_OUT_MESSAGE = "You have been signed out because you signed in {hours} hours ago. Sign in again."


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only sessions with a signed-in user; public visitors are never touched (no session load).
        if auth.SESSION_KEY in request.session:
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            age = timezone.now().timestamp() - signed_in_at if signed_in_at else None
            # A session with no sign-in time did not come through sign-in: end it too.
            if age is None or age > settings.SESSION_ABSOLUTE_SECONDS:
                return self._end(request)
            request.session.modified = True  # saved, and so renewed, at the end of this request
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
