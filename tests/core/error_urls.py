"""The site's URLs plus two that fail on purpose, for testing the error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, for testing the 500 page")


def database_view(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("database answered")


urlpatterns = [
    path("test-broken/", broken_view),
    path("test-database/", database_view),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
