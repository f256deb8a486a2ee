"""Whole-site checks: every public page has one <h1> and every response carries the security headers.

The walk covers every named public URL pattern; a new pattern without an entry here fails the test,
so no page escapes these checks.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from safeguarding.statistics.models import Publication
from tests.conftest import html
from tests.partnership.factories import ContactPointFactory, PartnershipFactory
from tests.reviews.factories import (
    FindingFactory,
    MediaFactory,
    RecommendationFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

# The staff area has its own whole-area checks (tests/test_staff_permissions.py).
NOT_WALKED = ("staff/",)


@pytest.fixture
def site_content():
    PartnershipFactory()
    ContactPointFactory()
    review = ReviewFactory(slug="walk-review", briefing_questions=["What would you do?"])
    finding = FindingFactory(review=review)
    theme = ThemeFactory()
    recommendation = RecommendationFactory(review=review, reference="3", finding=finding)
    recommendation.themes.add(theme)
    MediaFactory(review=review)
    Publication.objects.create(
        quarter="2026-q1", state=Publication.State.PUBLISHED, published_at=timezone.now(), threshold=5
    )
    return review


def public_pages() -> dict[str, str]:
    """Each public route pattern, with a concrete URL that exercises it."""
    return {
        "": "/",
        "get-help/": "/get-help/",
        "healthz": "/healthz",
        "reviews/": "/reviews/?q=share",
        "reviews/<slug:slug>/": "/reviews/walk-review/",
        "reviews/<slug:slug>/briefing/": "/reviews/walk-review/briefing/",
        "reviews/<slug:slug>/briefing.pdf": "/reviews/walk-review/briefing.pdf",
        "reviews/<slug:slug>/recommendations/<str:reference>/": "/reviews/walk-review/recommendations/3/",
        "refer/": "/refer/",
        "refer/referral/": "/refer/referral/",
        "refer/sent/": "/refer/sent/",
        "report/": "/report/",
        "report/call-999/": "/report/call-999/",
        "report/<report_question:step>/": "/report/danger/",
        "report/<report_list:step>/": "/report/people/",
        "report/<report_list:step>/add/": "/report/vehicles/add/",
        "report/<report_list:step>/<int:position>/change/": "/report/phones/1/change/",
        "report/<report_list:step>/<int:position>/remove/": "/report/places/1/remove/",
        "report/check/": "/report/check/",
        "report/confirmation/": "/report/confirmation/",
        "report/confirmation/receipt.txt": "/report/confirmation/receipt.txt",
        "report/exit/": "/report/exit/",
        "report/follow-up/": "/report/follow-up/",
        "report/follow-up/result/": "/report/follow-up/result/",
        "statistics/": "/statistics/",
        "statistics/method/": "/statistics/method/",
        "statistics/<statistics_quarter:quarter>/": "/statistics/2026-q1/",
        "statistics/<statistics_quarter:quarter>.csv": "/statistics/2026-q1.csv",
    }


# Pages that, without a report in progress, send the visitor elsewhere or find nothing at the position
# asked for. tests/concerns/report/test_pages.py checks them with a report in progress.
REDIRECTS = {
    "/report/check/",
    "/report/confirmation/",
    "/report/confirmation/receipt.txt",
    "/report/exit/",
    "/report/follow-up/result/",
}
NEEDS_A_REPORT = {"/report/phones/1/change/", "/report/places/1/remove/"}


def html_pages() -> list[str]:
    skipped = REDIRECTS | NEEDS_A_REPORT
    return [
        u for u in public_pages().values() if not u.endswith((".pdf", ".csv", "healthz")) and u not in skipped
    ]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def test_every_public_route_is_walked():
    routes = [r for r in _patterns(get_resolver()) if not r.startswith((*NOT_WALKED, "api/"))]
    missing = sorted(set(routes) - set(public_pages()))
    assert not missing, f"add these routes to public_pages() in {__file__}: {missing}"


def _assert_security_headers(response, url: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, f"{url}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp, f"{url}: {csp}"
    assert "unsafe-eval" not in csp, f"{url}: {csp}"
    assert "frame-ancestors 'none'" in csp, f"{url}: {csp}"
    assert "default-src 'none'" in csp, f"{url}: {csp}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), url
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", url


@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("url", [*public_pages().values(), "/no-such-page/", "/api/v1/schema/"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    expected = {302} if url in REDIRECTS else {200, 404}
    assert response.status_code in expected, (url, response.status_code)
    _assert_security_headers(response, url)


@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("url", html_pages())
def test_every_page_has_exactly_one_h1(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    assert len(html(response).find_all("h1")) == 1, url


@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("url", html_pages())
def test_no_page_loads_anything_from_another_host(client, url):
    page = html(client.get(url))
    for tag, attribute in [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")]:
        for element in page.find_all(tag):
            value = element.get(attribute) or ""
            assert not value.startswith(("http:", "https:", "//")), f"{url}: {tag} loads {value}"
    assert not page.find_all("script", src=False), f"{url}: inline script (the CSP would block it)"
    assert not page.select("[style]"), f"{url}: inline style attribute (the CSP would block it)"


@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("url", [*public_pages().values(), "/no-such-page/", "/api/v1/schema/"])
def test_no_public_get_writes_to_the_database_or_starts_a_session(client, url):
    # Twice: the first visit may fill the page cache (in memory), the second is served from it.
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        writes = [
            q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
        ]
        assert writes == [], f"{url}: {writes}"
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url
