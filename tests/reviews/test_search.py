"""Full-text search: stemming, ranking, published reviews only, hostile input, and an index that follows
edits. Runs on whichever database DATABASE_URL names (SQLite FTS5 or PostgreSQL tsvector)."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.reviews.models import SearchDocument
from safeguarding.reviews.search import _fts5_query, search_documents, search_index_review
from safeguarding.reviews.signals import _ReviewReindex
from tests.reviews.factories import FindingFactory, RecommendationFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _indexed(review):
    search_index_review(review=review)
    return review


def _recommendation_ids(hits):
    return [hit.recommendation_id for hit in hits if hit.recommendation_id is not None]


def test_a_word_finds_other_forms_of_it():
    review = ReviewFactory(summary="Nothing relevant here.")
    recommendation = RecommendationFactory(
        review=review, text="Agencies should recognise exploitation of adults."
    )
    _indexed(review)

    hits = search_documents(query="exploited")

    assert _recommendation_ids(hits) == [recommendation.pk]


def test_words_found_in_a_title_rank_above_words_found_in_a_body():
    review = ReviewFactory(summary="Nothing relevant here.")
    in_body = RecommendationFactory(
        review=review, order=1, title="Share records", text="Think about transition to adulthood early."
    )
    in_title = RecommendationFactory(review=review, order=2, title="Plan the transition", text="Start at 16.")
    _indexed(review)

    hits = search_documents(query="transition")

    assert _recommendation_ids(hits) == [in_title.pk, in_body.pk]
    assert hits[0].rank > hits[1].rank


def test_a_review_matches_on_its_summary_and_findings():
    review = _indexed(ReviewFactory(summary="Perpetrators were persistent."))
    FindingFactory(review=review, title="Court was destructive for victims")
    _indexed(review)

    assert [h.review_id for h in search_documents(query="persistent") if h.recommendation_id is None] == [
        review.pk
    ]
    assert [h.review_id for h in search_documents(query="destructive courts")] == [review.pk]


def test_every_word_must_match():
    review = ReviewFactory(summary="Nothing relevant here.")
    both = RecommendationFactory(review=review, text="Housing and health should meet.")
    RecommendationFactory(review=review, text="Housing should meet.")
    _indexed(review)

    assert _recommendation_ids(search_documents(query="housing health")) == [both.pk]


def test_phrases_or_and_exclusions_work_the_same_on_both_databases():
    review = ReviewFactory(summary="Nothing relevant here.")
    sexual_health = RecommendationFactory(review=review, text="Confidentiality in sexual health services.")
    health_visits = RecommendationFactory(review=review, text="Health visits for young people.")
    court = RecommendationFactory(review=review, text="Giving evidence in court.")
    _indexed(review)

    assert _recommendation_ids(search_documents(query='"sexual health"')) == [sexual_health.pk]
    assert set(_recommendation_ids(search_documents(query="court or visits"))) == {health_visits.pk, court.pk}
    assert _recommendation_ids(search_documents(query="health -sexual")) == [health_visits.pk]


def test_unpublished_reviews_are_not_found():
    published = _indexed(ReviewFactory(summary="Persistent perpetrators."))
    _indexed(ReviewFactory(summary="Persistent perpetrators.", is_published=False))

    assert {hit.review_id for hit in search_documents(query="persistent")} == {published.pk}


def test_the_index_holds_published_reviews_only_and_follows_publishing():
    review = _indexed(ReviewFactory(summary="Persistent perpetrators."))
    RecommendationFactory(review=review)
    search_index_review(review=review)
    assert SearchDocument.objects.filter(review=review).count() == 2
    review.is_published = False
    search_index_review(review=review)
    assert not SearchDocument.objects.filter(review=review).exists()
    review.is_published = True
    search_index_review(review=review)
    assert [hit.review_id for hit in search_documents(query="persistent")] == [review.pk]


def test_an_empty_query_finds_nothing():
    _indexed(ReviewFactory(summary="Persistent perpetrators."))

    assert search_documents(query="") == []
    assert search_documents(query="   ") == []


def test_the_limit_is_respected():
    review = ReviewFactory(summary="Nothing relevant here.")
    RecommendationFactory.create_batch(5, review=review, text="Exploitation happens to adults too.")
    _indexed(review)

    assert len(search_documents(query="adults", limit=3)) == 3


HOSTILE = [
    '"',
    '""',
    '"unbalanced',
    "*",
    "exploit*",
    "AND",
    "OR",
    "NOT",
    "a AND OR b",
    "-",
    "-adults",
    "--",
    "NEAR(",
    "NEAR(a b, 2)",
    "title:adults",
    "^adults",
    "(((",
    ")",
    "'; DROP TABLE reviews_review; --",
    "\x00",
    "adults\x00children",
    "%",
    "_",
    "\\",
    "{title}: x",
    "🙂",
    "x" * 5000,
    " ".join(["adults"] * 200),
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_not_errors(query):
    review = ReviewFactory(summary="Exploitation happens to adults too.")
    _indexed(review)

    hits = search_documents(query=query)

    assert isinstance(hits, list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text())
def test_any_text_is_a_safe_query(query):
    hits = search_documents(query=query)

    assert isinstance(hits, list)


@given(query=st.text())
def test_fts5_expressions_only_ever_hold_quoted_tokens(query):
    expression = _fts5_query(query)

    # Outside the quoted strings there is only the syntax this module writes itself.
    outside = expression.split('"')[::2]
    assert all(set(part) <= set("()ANDORT ") for part in outside)


@pytest.mark.django_db(transaction=True)
def test_the_index_follows_edits_and_deletes_made_through_the_models():
    """The admin saves models; the signals keep the index in step (on commit)."""
    review = ReviewFactory(summary="Nothing relevant here.")
    recommendation = RecommendationFactory(review=review, text="Agencies should share information.")
    assert _recommendation_ids(search_documents(query="information")) == [recommendation.pk]

    recommendation.text = "Agencies should hold joint meetings."
    recommendation.save()
    assert search_documents(query="information") == []
    assert _recommendation_ids(search_documents(query="meetings")) == [recommendation.pk]

    theme = ThemeFactory(name="Transition to adulthood")
    recommendation.themes.add(theme)
    assert _recommendation_ids(search_documents(query="adulthood")) == [recommendation.pk]
    theme.name = "Moving to adult services"
    theme.save()
    assert search_documents(query="adulthood") == []
    recommendation.themes.remove(theme)
    assert search_documents(query="moving") == []

    FindingFactory(review=review, title="Victims were seen as making choices")
    assert [h.review_id for h in search_documents(query="choices")] == [review.pk]

    recommendation.delete()
    assert search_documents(query="meetings") == []

    review.delete()
    assert search_documents(query="choices") == []
    assert SearchDocument.objects.count() == 0


def test_changes_in_one_transaction_reindex_the_review_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        review = ReviewFactory()
        RecommendationFactory.create_batch(3, review=review)

    assert len([callback for callback in callbacks if isinstance(callback, _ReviewReindex)]) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_the_fts5_table_stays_in_step_with_the_documents():
    review = _indexed(ReviewFactory())
    RecommendationFactory(review=review)
    _indexed(review)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reviews_searchdocument_fts(reviews_searchdocument_fts) VALUES ('integrity-check')"
        )
        cursor.execute("SELECT count(*) FROM reviews_searchdocument_fts")
        (count,) = cursor.fetchone()
    assert count == SearchDocument.objects.count() == 2
