"""When the database fails (a PostgreSQL restart), people get a plain retry page, never a traceback.

This module is also the URLconf of its tests: the site's URLs plus views and a middleware that fail
with database errors the way a restart makes them fail.
"""

import logging
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns
from safeguarding.core import views
from tests.conftest import html

RETRY_HEADING = "Sorry, we could not save or load that just now"
CANARY = "Canary narrative: Zephyrine Quillbrook was driven to Larkspur Lodge"


def operational_error_view(request: HttpRequest) -> HttpResponse:
    raise OperationalError("terminating connection due to administrator command")


def interface_error_view(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def database_error_view(request: HttpRequest) -> HttpResponse:
    raise DatabaseError("the database refused")


def integrity_error_view(request: HttpRequest) -> HttpResponse:
    raise IntegrityError("duplicate key value violates unique constraint")


def chained_error_view(request: HttpRequest) -> HttpResponse:
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise RuntimeError("could not finish the page") from None  # context still chains it


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, not the database")


def session_view(request: HttpRequest) -> HttpResponse:
    request.session["answers"] = {"narrative": request.POST.get("narrative", "")}
    return HttpResponse("saved")


class DatabaseDownMiddleware:
    """A middleware whose first database access fails, as any would while PostgreSQL restarts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    path("test-operational/", operational_error_view),
    path("test-interface/", interface_error_view),
    path("test-database-error/", database_error_view),
    path("test-integrity/", integrity_error_view),
    path("test-chained/", chained_error_view),
    path("test-broken/", broken_view),
    path("test-session/", session_view),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

pytestmark = pytest.mark.urls(__name__)


def assert_retry_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    page = html(response)
    assert [h1.get_text(strip=True) for h1 in page.select("h1")] == [RETRY_HEADING]
    main = page.select_one("main")
    assert main is not None
    text = " ".join(main.get_text(" ", strip=True).split())
    assert "try again" in text
    assert "If you saw a reference number, your report has been received" in text
    assert page.select_one('main a[href="tel:999"]') is not None
    assert {"/", "/get-help/"} <= {a["href"] for a in page.select("main a")}
    # A traceback or the database's own words must never reach the person.
    body = response.content.decode()
    assert "Traceback" not in body
    assert "Error" not in body


@pytest.mark.parametrize(
    "url", ["/test-operational/", "/test-interface/", "/test-database-error/", "/test-integrity/"]
)
@pytest.mark.django_db
def test_a_database_error_in_a_view_gets_the_retry_page(url):
    assert_retry_page(Client(raise_request_exception=False).get(url))


@pytest.mark.django_db
def test_an_error_raised_while_handling_a_database_error_gets_the_retry_page():
    assert_retry_page(Client(raise_request_exception=False).get("/test-chained/"))


@pytest.mark.django_db
def test_any_other_error_still_gets_the_500_page():
    response = Client(raise_request_exception=False).get("/test-broken/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert [h1.get_text(strip=True) for h1 in html(response).select("h1")] == [
        "Sorry, there is a problem with the service"
    ]


@pytest.mark.django_db
def test_the_session_failing_to_save_after_the_view_gets_the_retry_page(monkeypatch):
    """SessionMiddleware saves the session after the view has returned: that failure is handled too."""

    def save(self, must_create=False):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "save", save)
    response = Client(raise_request_exception=False).post("/test-session/", {"narrative": CANARY})
    assert_retry_page(response)


@pytest.mark.django_db
def test_an_existing_session_failing_to_save_gets_the_retry_page_not_a_400(monkeypatch):
    """Django's database sessions turn any database error on update into SessionInterrupted, which
    it reports as a bad request (400): when a database error lies behind it, it is the retry page."""
    from django.contrib.sessions.models import Session

    client = Client(raise_request_exception=False)
    assert client.post("/test-session/", {"narrative": "first"}).status_code == 200  # session made

    def save(self, *args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(Session, "save", save)
    assert_retry_page(client.post("/test-session/", {"narrative": CANARY}))


@pytest.mark.django_db
def test_a_middleware_failing_before_the_view_gets_the_retry_page():
    middleware = [*settings.MIDDLEWARE, f"{__name__}.DatabaseDownMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get("/get-help/")
    assert_retry_page(response)


@pytest.mark.django_db
def test_nothing_the_person_sent_is_logged(monkeypatch, caplog):
    def save(self, must_create=False):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "save", save)
    with caplog.at_level(logging.DEBUG):
        response = Client(raise_request_exception=False).post("/test-session/", {"narrative": CANARY})
    assert response.status_code == 503
    assert caplog.records, "the failure should still be logged for the people who run the service"
    logged = "\n".join(caplog.text.splitlines())
    assert "Zephyrine" not in logged
    assert "Quillbrook" not in logged


# No django_db mark: pytest-django makes any database query here fail the test.
def test_the_retry_page_renders_without_touching_the_database():
    try:
        raise OperationalError("the database is restarting")
    except OperationalError:
        assert sys.exception() is not None
        response = views.error_500(RequestFactory().get("/report/check-answers/"))
    assert_retry_page(response)


def test_outside_a_database_error_the_handler_gives_the_500_page():
    response = views.error_500(RequestFactory().get("/somewhere/"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_broken_connections_are_replaced_at_the_next_request():
    """A connection kept between requests and closed by a restart is checked and replaced."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
