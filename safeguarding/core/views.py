"""Pages that belong to no domain: the health check and the error pages."""

import sys
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
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


def rate_limited(
    request: HttpRequest, exception: Exception | None = None, *, retry_after: int = 600
) -> HttpResponse:
    """Shown when a client has sent a public form too often (`core.ratelimit`).

    `retry_after` is the seconds until the limit's window ends, when the caller knows it.
    """
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response
