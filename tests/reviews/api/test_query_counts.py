"""The number of database queries of each endpoint does not grow with the rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Review, Theme
from safeguarding.reviews.search import search_index_review
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import (
    FindingFactory,
    MediaFactory,
    MilestoneFactory,
    RecommendationFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)


def build_review(*, recommendations: int) -> Review:
    """A review with every kind of related row, so that a missing prefetch shows up as extra queries.

    Every review shares the board `shared-board` and every recommendation the theme `shared`, so the
    filtered lists below match every row.
    """
    shared_board = Board.objects.filter(slug="shared-board").first() or BoardFactory(slug="shared-board")
    review = ReviewFactory(boards=[shared_board, BoardFactory()])
    shared_theme = Theme.objects.filter(slug="shared").first() or ThemeFactory(slug="shared")
    MilestoneFactory(review=review)
    MediaFactory(review=review)
    ResourceFactory(review=review)
    finding = FindingFactory(review=review)
    for _ in range(recommendations):
        recommendation = RecommendationFactory(
            review=review,
            finding=finding,
            text="Share what you know.",
            themes=[shared_theme, ThemeFactory()],
            lead_agencies=[AgencyFactory()],
        )
        ResourceFactory(review=review, recommendation=recommendation)
    search_index_review(review=review)
    return review


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/api/v1/reviews/", 3),
        ("/api/v1/reviews/?q=share&theme=shared&audience=both&board=shared-board", 4),
        ("/api/v1/recommendations/", 5),
        ("/api/v1/recommendations/?q=share&theme=shared&status=in_progress&audience=adults", 6),
        ("/api/v1/themes/", 2),
    ],
)
def test_lists_need_the_same_queries_for_1_or_30_rows(
    api_client, db, django_assert_num_queries, path, budget
):
    build_review(recommendations=1)
    with_one = queries_for(api_client, path)
    for _ in range(29):
        build_review(recommendations=1)

    with django_assert_num_queries(with_one):
        response = api_client.get(path)

    assert len(response.json()["results"]) >= 30
    assert with_one <= budget


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/api/v1/reviews/{slug}/", 10),
        ("/api/v1/reviews/{slug}/recommendations/", 6),
    ],
)
def test_a_review_needs_the_same_queries_for_1_or_30_recommendations(
    api_client, db, django_assert_num_queries, path, budget
):
    few = build_review(recommendations=1)
    many = build_review(recommendations=30)
    with_one = queries_for(api_client, path.format(slug=few.slug))

    with django_assert_num_queries(with_one):
        response = api_client.get(path.format(slug=many.slug))

    body = response.json()
    assert len(body.get("recommendations", body.get("results", []))) == 30
    assert with_one <= budget
