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
