"""What every page of the journey shares: the exit button, no caching, rate limits, and the exit itself."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from tests.concerns.report.conftest import canary_journey, minimal_journey, post, send
from tests.conftest import html

pytestmark = pytest.mark.django_db

JOURNEY_PAGES = [
    "/report/",
    "/report/danger/",
    "/report/call-999/",
    "/report/about/",
    "/report/what-is-happening/",
    "/report/signs/",
    "/report/where-and-when/",
    "/report/people/",
    "/report/people/add/",
    "/report/people/1/change/",
    "/report/people/1/remove/",
    "/report/vehicles/",
    "/report/vehicles/1/change/",
    "/report/phones/",
    "/report/places/",
    "/report/online-accounts/",
    "/report/online-accounts/1/remove/",
    "/report/about-you/",
    "/report/relationship/",
    "/report/does-the-person-know/",
    "/report/what-they-want/",
    "/report/check/",
    "/report/follow-up/",
]


def _assert_private_page_with_exit(response, url: str) -> None:
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"], url
    page = html(response)
    assert len(page.find_all("h1")) == 1, url
    exit_link = page.select_one(
        ".govuk-exit-this-page[data-module=govuk-exit-this-page] a.govuk-exit-this-page__button"
    )
    assert exit_link is not None, f"{url}: no Exit this page button"
    assert exit_link["href"] == "/report/exit/", url
    assert not page.find_all("script", src=False), f"{url}: inline script (the CSP would block it)"
    assert not page.select("[style]"), f"{url}: inline style attribute (the CSP would block it)"
    for tag, attribute in [("script", "src"), ("link", "href"), ("img", "src")]:
        for element in page.find_all(tag):
            assert not (element.get(attribute) or "").startswith(("http:", "https:", "//")), url


def test_every_page_of_the_journey_has_the_exit_button_and_is_never_cached(client):
    canary_journey(client)
    for url in JOURNEY_PAGES:
        _assert_private_page_with_exit(client.get(url), url)


def test_the_confirmation_and_follow_up_result_pages_too(client):
    minimal_journey(client)
    url = send(client)["Location"]
    confirmation = client.get(url)
    _assert_private_page_with_exit(confirmation, url)
    page = html(confirmation)
    data = {
        "reference": page.select_one(".govuk-panel__body strong").get_text(strip=True),
        "receipt_code": page.select_one("#receipt-code").get_text(strip=True),
    }
    url = post(client, "/report/follow-up/", data)["Location"]
    _assert_private_page_with_exit(client.get(url), url)


def test_errors_and_redirects_are_not_cached_either(client):
    response = post(client, "/report/about/", {})
    assert "no-store" in response["Cache-Control"]
    response = post(client, "/report/about/", {"about": "child"})
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_exit_forgets_the_report_and_goes_to_an_ordinary_site(client):
    canary_journey(client)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get("/report/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert "no-store" in response["Cache-Control"]
    assert SessionStore(session_key).load() == {}
    assert client.get("/report/check/")["Location"] == "/report/danger/"
    assert html(client.get("/report/what-is-happening/")).select_one("textarea").get_text() == ""


def test_the_start_page_says_what_happens_and_how_to_stay_safe(client):
    page = html(client.get("/report/"))
    text = page.get_text(" ", strip=True)
    for words in ["999", "anonymous", "private", "history", "Exit this page", "a device they cannot check"]:
        assert words in text, words
    start = page.select_one("a.govuk-button--start")
    assert start["href"] == "/report/danger/"


def test_journey_posts_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report_step": "2/h"}
    assert post(client, "/report/danger/", {"immediate_danger": "no"}).status_code == 302
    assert post(client, "/report/about/", {"about": "child"}).status_code == 302
    response = post(client, "/report/what-is-happening/", {"narrative": "A fictional account."})
    assert response.status_code == 429
    assert "Too many attempts" in html(response).get_text()


def test_sending_counts_towards_its_own_stricter_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report_submit": "0/h"}
    minimal_journey(client)
    assert send(client).status_code == 429


def test_the_exit_buttons_css_and_javascript_are_in_the_built_assets():
    css = (settings.BASE_DIR / "frontend" / "dist" / "css" / "toolkit.css").read_text()
    js = (settings.BASE_DIR / "frontend" / "dist" / "js" / "govuk-frontend.min.js").read_text()
    assert ".govuk-exit-this-page" in css
    assert "govuk-exit-this-page" in js
    assert "initAll" in (settings.BASE_DIR / "frontend" / "dist" / "js" / "toolkit.js").read_text()
