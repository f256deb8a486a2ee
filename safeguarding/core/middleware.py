"""Our middleware: response headers that Django's SecurityMiddleware does not set itself, and a cap on
request bodies."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response, and keeps non-public pages out of shared caches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith("/staff/"):
            response["Cache-Control"] = "no-store"
        return response


def request_body_limit(max_bytes: int | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a view take a larger request body than REQUEST_BODY_MAX_BYTES (an upload), or None for a view
    that bounds its own body and answers in its own format (the JSON API)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, "request_body_max_bytes", max_bytes)  # noqa: B010  (an attribute the view lacks)
        return view

    return mark


class RequestBodyLimitMiddleware:
    """Refuses, with 413 and before anything reads it, a request body larger than its view accepts.

    Django keeps only form fields in memory (DATA_UPLOAD_MAX_MEMORY_SIZE); files of any size were
    parsed to disk, so a 30 MB body to a public form page was read in full (issue 10, finding 7). Must
    come before CsrfViewMiddleware, whose process_view reads the form. The proxy in front caps bodies
    too (docs/deployment.md).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        limit = getattr(view, "request_body_max_bytes", settings.REQUEST_BODY_MAX_BYTES)
        if limit is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length <= limit:
            return None
        response = render(
            request, "errors/413.html", {"limit_mb": max(1, limit // (1024 * 1024))}, status=413
        )
        response["Connection"] = "close"  # do not read the rest of the body to keep the connection
        return response
