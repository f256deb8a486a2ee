"""Reads for the JSON API: published content only, with a fixed number of queries per request.

Every queryset here prefetches what its serializer shows, so the number of queries does not grow
with the number of rows on a page. The HTML pages have their own selectors (reviews/selectors.py);
these are kept apart because the API shows more fields, and differently.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from safeguarding.reviews.models import Recommendation, Resource, Review, Theme
from safeguarding.reviews.search import search_documents

# The most search hits one API request considers. Enough for any real question; it bounds the work.
SEARCH_HIT_LIMIT = 1000


def _recommendation_prefetches(prefix: str = "") -> list:
    return [
        f"{prefix}themes",
        f"{prefix}lead_agencies",
        Prefetch(f"{prefix}resources", queryset=Resource.objects.order_by("order", "id")),
    ]


def review_list() -> QuerySet[Review]:
    """Published reviews, newest first, with their boards and how many recommendations each has."""
    return (
        Review.objects.published()
        .annotate(recommendation_count=Count("recommendations", distinct=True))
        .prefetch_related("boards")
        .order_by("-published_on", "title", "id")
    )


def review_get(*, slug: str) -> Review | None:
    """One published review with everything its API page shows, or None."""
    recommendations = (
        Recommendation.objects.select_related("finding")
        .prefetch_related(*_recommendation_prefetches())
        .order_by("order", "id")
    )
    return (
        Review.objects.published()
        .filter(slug=slug)
        .prefetch_related(
            "boards",
            "milestones",
            "findings",
            "media",
            Prefetch("recommendations", queryset=recommendations),
            Prefetch(
                "resources",
                queryset=Resource.objects.filter(recommendation=None).order_by("order", "id"),
                to_attr="review_resources",
            ),
        )
        .first()
    )


def review_exists(*, slug: str) -> bool:
    return Review.objects.published().filter(slug=slug).exists()


def recommendation_list(*, review_slug: str | None = None) -> QuerySet[Recommendation]:
    """Recommendations of published reviews, in review order (newest review first) then report order."""
    queryset = Recommendation.objects.filter(review__is_published=True)
    if review_slug is not None:
        queryset = queryset.filter(review__slug=review_slug)
    return (
        queryset.select_related("review", "finding")
        .prefetch_related(*_recommendation_prefetches())
        .order_by("-review__published_on", "review__title", "review_id", "order", "id")
    )


def recommendation_get(*, review_slug: str, reference: str) -> Recommendation | None:
    return recommendation_list(review_slug=review_slug).filter(reference=reference).first()


def theme_list() -> QuerySet[Theme]:
    """Themes used by at least one recommendation of a published review, with their counts."""
    published = Q(recommendations__review__is_published=True)
    return (
        Theme.objects.annotate(
            recommendation_count=Count("recommendations", filter=published, distinct=True),
            review_count=Count("recommendations__review", filter=published, distinct=True),
        )
        .filter(recommendation_count__gt=0)
        .order_by("name", "id")
    )


def review_ids_matching(*, query: str) -> list[int]:
    """Reviews found by full-text search, through the review itself or any of its recommendations."""
    return sorted({hit.review_id for hit in search_documents(query=query, limit=SEARCH_HIT_LIMIT)})


def recommendation_ids_matching(*, query: str) -> list[int]:
    hits = search_documents(query=query, limit=SEARCH_HIT_LIMIT)
    return sorted({hit.recommendation_id for hit in hits if hit.recommendation_id is not None})


def reviews_with_recommendations(*, condition: Q) -> Exists:
    """A subquery condition: the review has at least one recommendation matching `condition`."""
    return Exists(Recommendation.objects.filter(condition, review=OuterRef("pk")))
