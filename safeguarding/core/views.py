"""Pages that belong to no domain: the health check and the error pages."""

import datetime
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


# What the header and footer show on a page rendered without the database (the 500 and 503 pages):
# core imports no domain app, so this stands in for the partnership (see partnership.context_processors).
@dataclass(frozen=True)
class PartnershipPlaceholder:
    name: str = "Safeguarding Partnership Toolkit"
    area: str = ""
    about: str = ""


PARTNERSHIP_PLACEHOLDER = PartnershipPlaceholder()


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. Says nothing else about the system."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django reports a session it could not save as "bad request" (SessionInterrupted), even when the
    # reason was the database going away mid-request: that is the retry page's case, not a 400.
    if _caused_by_database(exception):
        return _database_retry_page()
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


# Seconds a person (or a client honouring Retry-After) should wait before trying again. A PostgreSQL
# restart takes a few seconds; CONN_HEALTH_CHECKS then replaces the broken connections.
DATABASE_RETRY_AFTER_SECONDS = 60


def _caused_by_database(exception: BaseException | None) -> bool:
    """Whether `exception`, or any exception it was raised from or while handling, is a database error.

    OperationalError (the database restarting or unreachable) is a DatabaseError, as is anything else
    the database refused; InterfaceError (a connection already closed) is not, so it is named. The
    chain is followed because code that catches a database error may raise its own while handling it.
    """
    seen: set[int] = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DatabaseError | InterfaceError):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without the request, so no context processor runs and nothing touches the database:
    the failure may be the database itself.

    Django calls this handler (handler500) while it is handling the exception, from a view or from a
    middleware such as SessionMiddleware saving the session after the view, so `sys.exception()` is
    that exception. A database failure gets the 503 retry page: most are a restart or a moment's
    overload, and the person should try again rather than think their report was lost.
    """
    if _caused_by_database(sys.exception()):
        return _database_retry_page()
    page = loader.get_template("errors/500.html").render({"partnership": PARTNERSHIP_PLACEHOLDER})
    response = HttpResponseServerError(page)
    response["Cache-Control"] = "no-store"
    return response


def _database_retry_page() -> HttpResponse:
    """The 503 "try again" page, rendered without touching the database."""
    page = loader.get_template("errors/503_database.html").render({"partnership": PARTNERSHIP_PLACEHOLDER})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    # The page shows no concern data, but the page a person was on may have; keep nothing.
    response["Cache-Control"] = "no-store"
    return response


def wait_in_words(seconds: int, now: datetime.datetime | None = None) -> str:
    """How long to wait, as a person would say it, with the clock time it ends ("about 12 minutes,
    until 3:45pm")."""
    now = now or timezone.now()
    minutes = max(1, math.ceil(seconds / 60))
    until = timezone.localtime(now + datetime.timedelta(seconds=seconds))
    if until.second or until.microsecond:  # never an end time before the wait ends
        until = until.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    clock = f"{until:%-I:%M%p}".lower()
    if minutes == 1:
        return f"about a minute, until {clock}"
    if minutes < 90:
        return f"about {minutes} minutes, until {clock}"
    hours = round(minutes / 60)
    return f"about {hours} hours, until {clock}"


def rate_limited(
    request: HttpRequest, exception: Exception | None = None, *, retry_after: int = 600
) -> HttpResponse:
    """Shown when a client has sent a public form too often (`core.ratelimit`).

    `retry_after` is the seconds until the limit's window ends, when the caller knows it.
    """
    response = render(request, "errors/429.html", {"wait": wait_in_words(retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# Where each public form journey starts again, by the start of its path: a URL name, resolved late so
# that core names no domain app's module (docs/decisions/0019).
JOURNEY_STARTS = {"/report/": "report:start", "/refer/": "referral:start"}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its session (cookies cleared, or a page left open past the
    session's end). Says what is lost and how to start again; never Django's technical page."""
    start_url = ""
    for prefix, name in JOURNEY_STARTS.items():
        if request.path.startswith(prefix):
            try:
                start_url = reverse(name)
            except NoReverseMatch:
                start_url = ""
    response = render(
        request,
        "errors/403_csrf.html",
        {"start_url": start_url},
        status=403,
    )
    response["Cache-Control"] = "no-store"
    return response


class BrandedErrorPagesMiddleware:
    """Django answers some requests with a bare status and no page: 405 (a method the view does not
    take, from require_POST or a class-based view). Give those our page, keeping their headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code == 405 and isinstance(response, HttpResponse) and not response.content:
            page = render(request, "errors/405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
