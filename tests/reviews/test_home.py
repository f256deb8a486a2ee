"""The home page: what the toolkit is, the latest reviews, and the way to get help."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import html
from tests.partnership.factories import PartnershipFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_the_toolkit_is_with_one_h1(client):
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert [h1.get_text(strip=True) for h1 in page.select("h1")] == ["Learning from safeguarding reviews"]
    main = page.select_one("main").get_text(" ", strip=True)
    for audience in ("Practitioners", "Members of the public", "Victims, survivors and families"):
        assert audience in main


def test_home_shows_the_partnerships_about_text(client):
    PartnershipFactory(about="We are the **Testborough** partnership.")
    page = html(client.get("/"))
    assert page.select_one("main strong", string="Testborough") is not None


def test_home_leads_to_get_help_and_shows_999(client):
    page = html(client.get("/"))
    help_link = page.select_one("main a.govuk-button")
    assert help_link["href"] == "/get-help/"
    assert help_link.get_text(strip=True) == "Get help or report a concern"
    assert page.select_one('a[href="tel:999"]') is not None


def test_home_lists_the_latest_published_reviews_newest_first(client):
    older = ReviewFactory(title="An older review", published_on=datetime.date(2019, 1, 1), is_demo=False)
    newer = ReviewFactory(title="A newer review", published_on=datetime.date(2023, 1, 1), is_demo=False)
    ReviewFactory(title="A draft review", is_published=False)
    page = html(client.get("/"))
    links = [(a.get_text(strip=True), a["href"]) for a in page.select(".toolkit-review-list a")]
    assert links == [
        ("A newer review", newer.get_absolute_url()),
        ("An older review", older.get_absolute_url()),
    ]
    assert page.select_one("a[href='/reviews/']") is not None


def test_home_says_so_when_there_are_no_reviews(client):
    page = html(client.get("/"))
    assert "No reviews have been published here yet." in page.select_one("main").get_text()


def test_home_labels_demo_reviews_where_listed_not_with_a_banner_over_the_real_ones(client):
    ReviewFactory(title="A fictional training review", is_demo=True)
    page = html(client.get("/"))
    item = page.select_one(".toolkit-review-list__item")
    assert "Training example" in item.get_text()
    assert page.select_one(".govuk-notification-banner") is None


def test_home_has_no_training_banner_when_every_review_is_real(client):
    ReviewFactory(title="A real review", is_demo=False)
    page = html(client.get("/"))
    assert page.select_one(".govuk-notification-banner") is None
    assert "Training example" not in page.get_text()


def test_home_query_count_does_not_grow_with_the_number_of_reviews(client):
    ReviewFactory(is_demo=False)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    ReviewFactory.create_batch(6, is_demo=False)
    with CaptureQueriesContext(connection) as many:
        page = html(client.get("/"))
    assert len(page.select(".toolkit-review-list__item")) == 5
    assert len(many) == len(one)
