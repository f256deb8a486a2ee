"""Selectors: what they return, and a number of queries that does not grow with the rows returned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.partnership.models import ContactPoint
from safeguarding.reviews import selectors
from safeguarding.reviews.models import Recommendation
from safeguarding.reviews.search import search_index_review
from tests.partnership.factories import AgencyFactory, BoardFactory, ContactPointFactory
from tests.reviews.factories import (
    FindingFactory,
    MilestoneFactory,
    RecommendationFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def _review_with_recommendations(count: int, **review_fields):
    review = ReviewFactory(**review_fields, boards=BoardFactory.create_batch(2))
    FindingFactory.create_batch(2, review=review)
    MilestoneFactory(review=review)
    theme, agency = ThemeFactory(), AgencyFactory()
    for _ in range(count):
        recommendation = RecommendationFactory(
            review=review, practice_learning="Notice persistent perpetrators."
        )
        recommendation.themes.add(theme, ThemeFactory())
        recommendation.lead_agencies.add(agency)
        ResourceFactory(review=review, recommendation=recommendation)
    search_index_review(review=review)
    return review


def _touch_review_list():
    for review in selectors.review_list():
        list(review.boards.all())
        assert review.recommendation_count >= 0


def _touch_recommendations(review):
    def touch():
        for recommendation in selectors.recommendation_list(review=review):
            list(recommendation.themes.all())
            list(recommendation.lead_agencies.all())
            assert recommendation.review.slug

    return touch


def test_review_list_queries_do_not_grow_with_reviews():
    _review_with_recommendations(1)
    one = _queries(_touch_review_list)
    for _ in range(29):
        _review_with_recommendations(2)

    assert _queries(_touch_review_list) == one


def test_recommendation_list_queries_do_not_grow_with_recommendations():
    small, large = _review_with_recommendations(1), _review_with_recommendations(30)

    assert _queries(_touch_recommendations(large)) == _queries(_touch_recommendations(small))


def test_search_queries_do_not_grow_with_hits(settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the selectors' own queries, not what the page cache saves

    def search_and_load():
        results = selectors.search_results(query="persistent")
        for result in selectors.search_results_load(hits=results.hits):
            assert result.review.slug

    _review_with_recommendations(1, slug="first")
    one = _queries(search_and_load)
    _review_with_recommendations(30)

    results = selectors.search_results(query="persistent")
    assert results.recommendation_count == 31
    assert len(selectors.search_results_load(hits=results.hits)) == 31
    assert _queries(search_and_load) == one


def test_review_get_and_recommendation_get_queries_do_not_grow():
    small, large = _review_with_recommendations(1), _review_with_recommendations(30)

    def touch_review(review):
        def touch():
            found = selectors.review_get(slug=review.slug)
            list(found.boards.all()), list(found.milestones.all()), list(found.findings.all())
            list(found.media.all()), list(found.review_resources)

        return touch

    def touch_recommendation(review):
        def touch():
            recommendation = selectors.recommendation_get(
                slug=review.slug, reference=review.recommendations.last().reference
            )
            list(recommendation.themes.all()), list(recommendation.resources.all())
            selectors.recommendation_neighbours(recommendation=recommendation)

        return touch

    assert _queries(touch_review(large)) == _queries(touch_review(small))
    assert _queries(touch_recommendation(large)) == _queries(touch_recommendation(small))


def test_review_list_excludes_unpublished_and_counts_recommendations():
    shown = _review_with_recommendations(3)
    _review_with_recommendations(1, is_published=False)

    reviews = list(selectors.review_list())

    assert [r.pk for r in reviews] == [shown.pk]
    assert reviews[0].recommendation_count == 3


def test_review_list_filters_by_type_board_theme_and_audience():
    board, theme = BoardFactory(), ThemeFactory()
    sar = ReviewFactory(review_type="sar")
    sar.boards.add(board)
    RecommendationFactory(review=sar, audience="adults").themes.add(theme)
    cspr = ReviewFactory(review_type="cspr")
    RecommendationFactory(review=cspr, audience="children")
    joint = ReviewFactory(review_type="jscr")
    RecommendationFactory(review=joint, audience="both")

    def slugs(**filters):
        return {r.slug for r in selectors.review_list(filters=selectors.ReviewFilters(**filters))}

    assert slugs(review_types=["sar", "cspr"]) == {sar.slug, cspr.slug}
    assert slugs(boards=[board.slug]) == {sar.slug}
    assert slugs(themes=[theme.slug]) == {sar.slug}
    assert slugs(audiences=["children"]) == {cspr.slug, joint.slug}
    assert slugs(audiences=["both"]) == {joint.slug}
    assert slugs(audiences=["adults"], review_types=["jscr"]) == {joint.slug}


def test_recommendation_list_filters_do_not_repeat_rows():
    review = ReviewFactory()
    first, second = ThemeFactory(), ThemeFactory()
    both_themes = RecommendationFactory(
        review=review, addressee="national", public_status="progressed_in_full"
    )
    both_themes.themes.add(first, second)
    RecommendationFactory(review=review, addressee="local", public_status="not_started")

    def references(**filters):
        return [
            r.reference
            for r in selectors.recommendation_list(
                review=review, filters=selectors.RecommendationFilters(**filters)
            )
        ]

    assert references(themes=[first.slug, second.slug]) == [both_themes.reference]
    assert references(addressees=["national"]) == [both_themes.reference]
    assert references(statuses=["progressed_in_full", "in_progress"]) == [both_themes.reference]
    assert len(references()) == 2


def test_neighbours_follow_the_review_order():
    review = ReviewFactory()
    third = RecommendationFactory(review=review, order=3)
    first = RecommendationFactory(review=review, order=1)
    second = RecommendationFactory(review=review, order=2)

    assert selectors.recommendation_neighbours(recommendation=second) == (first, third)
    assert selectors.recommendation_neighbours(recommendation=first) == (None, second)
    assert selectors.recommendation_neighbours(recommendation=third) == (second, None)


def test_recommendation_get_is_for_published_reviews_only():
    recommendation = RecommendationFactory(review=ReviewFactory(is_published=False))

    assert (
        selectors.recommendation_get(slug=recommendation.review.slug, reference=recommendation.reference)
        is None
    )


def test_briefing_brings_findings_and_where_to_get_help():
    review = ReviewFactory()
    finding = FindingFactory(review=review)
    front_door = ContactPointFactory(kind=ContactPoint.Kind.FRONT_DOOR)
    ContactPointFactory(kind=ContactPoint.Kind.HELPLINE)
    RecommendationFactory.create_batch(2, review=review)

    briefing = selectors.review_briefing_get(slug=review.slug)

    assert briefing.findings == [finding]
    assert briefing.contact_points == [front_door]
    assert briefing.review.recommendation_count == 2
    assert selectors.review_briefing_get(slug="no-such-review") is None


def test_search_results_apply_the_filters_to_recommendations():
    review = ReviewFactory(summary="Nothing to see.")
    children = RecommendationFactory(
        review=review, audience=Recommendation.Audience.CHILDREN, text="Disrupt abusers."
    )
    RecommendationFactory(review=review, audience=Recommendation.Audience.ADULTS, text="Disrupt abusers.")
    search_index_review(review=review)

    results = selectors.search_results(
        query="disrupt", filters=selectors.ReviewFilters(audiences=["children"])
    )

    assert [r.recommendation for r in selectors.search_results_load(hits=results.hits)] == [children]
    assert (results.review_count, results.recommendation_count) == (0, 1)
