"""Error pages: our own, helpful, and able to render while the database is down."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from safeguarding.core import views
from tests.conftest import html
from tests.partnership.factories import PartnershipFactory


def assert_helpful_error_page(page, heading: str) -> None:
    assert [h1.get_text(strip=True) for h1 in page.select("h1")] == [heading]
    main_links = {a["href"] for a in page.select("main a")}
    assert {"/", "/get-help/"} <= main_links
    assert page.select_one('a[href="tel:999"]') is not None


@pytest.mark.django_db
def test_an_unknown_url_gets_our_404_page(client):
    PartnershipFactory(name="Testborough Safeguarding Partnerships")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert_helpful_error_page(page, "Page not found")
    assert "Testborough Safeguarding Partnerships" in page.select_one("header").get_text()


@pytest.mark.django_db
def test_the_404_page_renders_while_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert_helpful_error_page(page, "Page not found")
    assert "Safeguarding Partnership Toolkit" in page.select_one("header").get_text()


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (views.error_400, 400, "Sorry, there is a problem with the request"),
        (views.error_403, 403, "You cannot see this page"),
        (views.error_404, 404, "Page not found"),
    ],
)
@pytest.mark.django_db
def test_client_error_pages(handler, status, heading):
    response = handler(RequestFactory().get("/somewhere/"), Exception("test"))
    assert response.status_code == status
    assert_helpful_error_page(html(response), heading)


# No django_db mark: pytest-django makes any database query here fail the test.
def test_the_500_page_renders_without_touching_the_database():
    response = views.error_500(RequestFactory().get("/somewhere/"))
    assert response.status_code == 500
    page = html(response)
    assert_helpful_error_page(page, "Sorry, there is a problem with the service")
    assert "Safeguarding Partnership Toolkit" in page.select_one("header").get_text()


@pytest.mark.urls("tests.core.error_urls")
def test_an_unhandled_error_gets_our_500_page():
    response = Client(raise_request_exception=False).get("/test-broken/")
    assert response.status_code == 500
    assert_helpful_error_page(html(response), "Sorry, there is a problem with the service")


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.django_db
def test_a_database_failure_gets_the_retry_page(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client(raise_request_exception=False).get("/test-database/")
    # A database failure is usually brief (a restart): the page says to try again (test_database_errors.py).
    assert response.status_code == 503
    assert_helpful_error_page(html(response), "Sorry, we could not save or load that just now")


# --- Every error status a public URL can give: our page, with 999 and help, never Django's own -------


def _assert_ours(response, status: int, heading: str) -> None:
    assert response.status_code == status
    text = response.content.decode()
    for technical in ("Traceback", "DEBUG", "CSRF verification failed", "settings.py"):
        assert technical not in text
    assert_helpful_error_page(html(response), heading)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading", "start"),
    [
        ("/report/about/", "Your answers could not be kept", "/report/"),
        ("/refer/", "Your answers could not be kept", "/refer/"),
        ("/report/follow-up/", "Your answers could not be kept", "/report/"),
        ("/staff/account/login/", "This page has expired", None),
    ],
)
def test_a_form_sent_without_its_session_gets_our_page_and_a_way_to_start_again(path, heading, start):
    """Cookies cleared mid-report (the site's own safety advice can cause it): the form comes back
    without the session its CSRF token was made in."""
    response = Client(enforce_csrf_checks=True).post(path, {"about": "child"})
    _assert_ours(response, 403, heading)
    page = html(response)
    if start:
        assert page.select_one(f'main a.govuk-button[href="{start}"]').get_text(strip=True) == "Start again"
    else:
        assert page.select_one("main a.govuk-button") is None
    exit_button = page.select_one("main .govuk-exit-this-page a")
    assert (exit_button is not None) == bool(start)  # on every journey's page
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_method_a_page_does_not_take_gets_our_405_page():
    response = Client().post("/get-help/")
    _assert_ours(response, 405, "Sorry, this page cannot do that")
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_a_host_we_do_not_serve_gets_our_400_page(client):
    _assert_ours(client.get("/", HTTP_HOST="evil.example"), 400, "Sorry, there is a problem with the request")


@pytest.mark.django_db
def test_the_too_many_attempts_page_says_how_long_to_wait(settings):
    client = Client()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow_up": "1/h"}
    client.post("/report/follow-up/", {"reference": "X", "receipt_code": "Y"})
    response = client.post("/report/follow-up/", {"reference": "X", "receipt_code": "Y"})
    _assert_ours(response, 429, "Too many attempts from this device")
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    assert f"You can try again in about {-(-wait // 60)} minutes, until " in html(response).get_text(" ")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (20, "about a minute, until 9:01am"),
        (60, "about a minute, until 9:01am"),
        (61, "about 2 minutes, until 9:02am"),
        (45 * 60, "about 45 minutes, until 9:45am"),
        (3 * 3600, "about 3 hours, until 12:00pm"),
    ],
)
def test_waits_are_said_in_words_with_the_clock_time(seconds, words, settings):
    import datetime

    settings.TIME_ZONE = "Europe/London"
    nine = datetime.datetime(2026, 12, 2, 9, 0, 0, tzinfo=datetime.UTC)
    assert views.wait_in_words(seconds, now=nine) == words
