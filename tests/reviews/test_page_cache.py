"""Public pages come from the page cache, and any change to what they show is seen on the next visit."""

import pickle
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.reviews.search import search_index_review
from tests.conftest import html
from tests.partnership.factories import ContactPointFactory, PartnershipFactory
from tests.reviews.factories import FindingFactory, RecommendationFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    PartnershipFactory()
    review = ReviewFactory(slug="cached-review", title="A fictional review of shared learning")
    RecommendationFactory(review=review, reference="1", title="Share what you know")
    return review


PAGES = [
    "/",
    "/reviews/",
    "/reviews/cached-review/",
    "/reviews/cached-review/recommendations/1/",
    "/reviews/cached-review/briefing/",
    "/get-help/",
    "/report/",
    "/refer/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_second_visit_is_served_without_touching_the_database(client, review, path):
    first = client.get(path)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert second.status_code == 200
    assert second.content == first.content
    assert queries.captured_queries == []


def test_a_changed_recommendation_shows_at_once(client, review):
    assert "Share what you know" in client.get("/reviews/cached-review/").text
    recommendation = review.recommendations.get()
    recommendation.title = "Share what you know, and record it"
    recommendation.save()
    for path in ("/reviews/cached-review/", "/reviews/cached-review/recommendations/1/"):
        assert "Share what you know, and record it" in client.get(path).text


def test_a_new_review_shows_on_the_home_page_and_the_list(client, review):
    client.get("/"), client.get("/reviews/")
    ReviewFactory(title="A second fictional review about transitions")
    assert "A second fictional review about transitions" in client.get("/").text
    assert "A second fictional review about transitions" in client.get("/reviews/").text


def test_a_theme_given_to_a_recommendation_shows_at_once(client, review):
    client.get("/reviews/cached-review/recommendations/1/")
    theme = ThemeFactory(name="Night-time economy")
    review.recommendations.get().themes.add(theme)
    assert "Night-time economy" in client.get("/reviews/cached-review/recommendations/1/").text


def test_a_deleted_finding_goes_at_once(client, review):
    finding = FindingFactory(review=review, title="Agencies did not share what they knew")
    assert "Agencies did not share what they knew" in client.get("/reviews/cached-review/").text
    finding.delete()
    assert "Agencies did not share what they knew" not in client.get("/reviews/cached-review/").text


def test_a_changed_contact_point_shows_on_get_help(client, review):
    point = ContactPointFactory(name="Children's front door", phone="0191 498 0001")
    assert "0191 498 0001" in client.get("/get-help/").text
    point.phone = "0191 498 0002"
    point.save()
    page = html(client.get("/get-help/")).get_text()
    assert "0191 498 0002" in page
    assert "0191 498 0001" not in page


def test_the_partnerships_new_name_shows_on_every_page(client, review):
    client.get("/"), client.get("/reviews/cached-review/")
    partnership = PartnershipFactory()
    partnership.name = "Testborough Safeguarding Children and Adults"
    partnership.save()
    for path in ("/", "/reviews/cached-review/"):
        assert "Testborough Safeguarding Children and Adults" in client.get(path).text


def test_a_signed_in_visitor_gets_a_fresh_page(client, review):
    client.get("/reviews/cached-review/")
    client.cookies["sessionid"] = "a-staff-session"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reviews/cached-review/").status_code == 200
    assert queries.captured_queries != []


def test_a_search_page_is_built_from_kept_parts_that_hold_nothing_of_the_search(client, review):
    from safeguarding.core import page_cache

    theme = ThemeFactory(name="Night-time economy")
    for number in range(25):  # two pages of results, so the page links carry the search too
        RecommendationFactory(review=review, title=f"Share what you know {number}", themes=[theme])
    search_index_review(review=review)  # as the commit would
    words = 'share OR <b>Zephyrine</b> OR "Quillbrook"'
    for _ in range(2):  # the second time from the kept parts
        response = client.get("/reviews/", {"q": words, "theme": theme.slug})
        page = html(response)
        assert page.title.get_text().startswith("Search results for “share OR <b>Zephyrine</b>")
        assert page.select_one("#q")["value"] == words
        assert "match “share OR <b>Zephyrine</b>" in page.select_one("#results h2").get_text()
        assert page.select_one("#results b") is None  # escaped, never markup
        next_link = page.select_one(".govuk-pagination__next a")["href"]
        assert "q=share+OR+%3Cb%3EZephyrine" in next_link
        assert not re.search(r"mark[0-9a-f]{24}", response.text)
    kept = b"".join(pickle.dumps(value) for value in page_cache._local.store().values())
    assert b"Zephyrine" not in kept
    assert b"Quillbrook" not in kept
