"""Reads for the public toolkit and the API: reviews, their recommendations, search and the briefing.

Only published reviews (and the recommendations of published reviews) are ever returned. Every
selector issues a fixed number of queries however many rows it returns: related rows come through
select_related / prefetch_related, counts through annotations, and filters on many-to-many relations
through subqueries (which also keep rows from repeating).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from safeguarding.core.page_cache import content_memo
from safeguarding.partnership.models import Board, ContactPoint

from .models import Finding, Recommendation, Resource, Review, Theme
from .search import SearchHit, search_documents

# Most search hits considered for one query: the best-ranked ones.
SEARCH_LIMIT = 500

# A recommendation for "both" is for children and for adults, so it is found under either.
AUDIENCE_MATCHES: dict[str, set[str]] = {
    "children": {Recommendation.Audience.CHILDREN, Recommendation.Audience.BOTH},
    "adults": {Recommendation.Audience.ADULTS, Recommendation.Audience.BOTH},
    "both": {Recommendation.Audience.BOTH},
}


@dataclass(frozen=True)
class ReviewFilters:
    """Filters on reviews. Theme and audience keep reviews with at least one such recommendation."""

    review_types: Sequence[str] = ()
    boards: Sequence[str] = ()  # board slugs
    themes: Sequence[str] = ()  # theme slugs
    audiences: Sequence[str] = ()  # keys of AUDIENCE_MATCHES


@dataclass(frozen=True)
class RecommendationFilters:
    audiences: Sequence[str] = ()  # keys of AUDIENCE_MATCHES
    themes: Sequence[str] = ()  # theme slugs
    addressees: Sequence[str] = ()
    statuses: Sequence[str] = ()
    review_types: Sequence[str] = ()
    boards: Sequence[str] = ()  # board slugs of the recommendation's review


@dataclass(frozen=True)
class SearchResult:
    """A review or a recommendation (with its review) matching a search, best first."""

    review: Review
    recommendation: Recommendation | None
    rank: float


@dataclass(frozen=True)
class SearchResults:
    """The hits of a search within the filters, best first. `search_results_load` turns a page of
    them into SearchResult objects, so that only the rows shown are loaded."""

    hits: list[SearchHit]
    review_count: int
    recommendation_count: int
    truncated: bool  # more matched than SEARCH_LIMIT: only the best are here


@dataclass(frozen=True)
class Briefing:
    review: Review
    findings: list[Finding]
    contact_points: list[ContactPoint] = field(default_factory=list)


def audience_values(audiences: Sequence[str]) -> set[str]:
    """The stored audiences a filter matches: a recommendation for both is for children and for adults."""
    values: set[str] = set()
    for audience in audiences:
        values |= AUDIENCE_MATCHES.get(audience, set())
    return values


def _reviews_on_boards(boards: Sequence[str]) -> QuerySet:
    return Review.boards.through.objects.filter(board__slug__in=boards).values("review_id")


def _recommendations_in_themes(themes: Sequence[str]) -> QuerySet:
    return Recommendation.themes.through.objects.filter(theme__slug__in=themes).values("recommendation_id")


def review_list(*, filters: ReviewFilters | None = None) -> QuerySet[Review]:
    """Published reviews, newest first, with their boards and `recommendation_count`."""
    filters = filters or ReviewFilters()
    reviews = (
        Review.objects.published()
        .prefetch_related("boards")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
        # Stated again: Django leaves Meta.ordering out of a GROUP BY query, and pages need an order.
        .order_by("-published_on", "title", "pk")
    )
    if filters.review_types:
        reviews = reviews.filter(review_type__in=filters.review_types)
    if filters.boards:
        reviews = reviews.filter(pk__in=_reviews_on_boards(filters.boards))
    if filters.themes or filters.audiences:
        recommendations = Recommendation.objects.all()
        if filters.themes:
            recommendations = recommendations.filter(pk__in=_recommendations_in_themes(filters.themes))
        if filters.audiences:
            recommendations = recommendations.filter(audience__in=audience_values(filters.audiences))
        reviews = reviews.filter(pk__in=recommendations.values("review_id"))
    return reviews


def review_list_filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices worth offering on the review list: only values some published review has. Computed
    once per content version."""
    return content_memo("reviews.list_filter_options", _review_list_filter_options)


def _review_list_filter_options() -> dict[str, list[tuple[str, str]]]:
    published = Review.objects.published()
    types_present = set(published.order_by().values_list("review_type", flat=True).distinct())
    boards = Board.objects.filter(
        pk__in=Review.boards.through.objects.filter(review__in=published).values("board_id")
    )
    themes = Theme.objects.filter(
        pk__in=Recommendation.themes.through.objects.filter(recommendation__review__in=published).values(
            "theme_id"
        )
    )
    return {
        "review_type": [(value, label) for value, label in Review.Type.choices if value in types_present],
        "board": list(boards.values_list("slug", "name")),
        "theme": list(themes.values_list("slug", "name")),
    }


def recommendation_list(
    *, filters: RecommendationFilters | None = None, review: Review | None = None
) -> QuerySet[Recommendation]:
    """Recommendations of published reviews (or of one review), in report order, with their review,
    themes and lead agencies."""
    filters = filters or RecommendationFilters()
    recommendations = (
        Recommendation.objects.filter(review__is_published=True)
        .select_related("review")
        .prefetch_related("themes", "lead_agencies")
    )
    if review is not None:
        recommendations = recommendations.filter(review=review)
    if filters.audiences:
        recommendations = recommendations.filter(audience__in=audience_values(filters.audiences))
    if filters.themes:
        recommendations = recommendations.filter(pk__in=_recommendations_in_themes(filters.themes))
    if filters.addressees:
        recommendations = recommendations.filter(addressee__in=filters.addressees)
    if filters.statuses:
        recommendations = recommendations.filter(public_status__in=filters.statuses)
    if filters.review_types:
        recommendations = recommendations.filter(review__review_type__in=filters.review_types)
    if filters.boards:
        recommendations = recommendations.filter(review__in=_reviews_on_boards(filters.boards))
    return recommendations


@dataclass(frozen=True)
class SearchScope:
    """The ids of what a search may show within some filters: published reviews and recommendations."""

    review_ids: frozenset[int]
    recommendation_ids: frozenset[int]

    def __contains__(self, hit: object) -> bool:
        if not isinstance(hit, SearchHit):
            return False
        if hit.recommendation_id is None:
            return hit.review_id in self.review_ids
        return hit.recommendation_id in self.recommendation_ids


def search_scope(*, filters: ReviewFilters) -> SearchScope:
    """What a search within `filters` may show. It depends on content alone, so it is computed once
    per content version (core.page_cache) and not for every search."""

    def compute() -> SearchScope:
        recommendation_filters = RecommendationFilters(
            audiences=filters.audiences,
            themes=filters.themes,
            review_types=filters.review_types,
            boards=filters.boards,
        )
        return SearchScope(
            review_ids=frozenset(review_list(filters=filters).values_list("pk", flat=True)),
            recommendation_ids=frozenset(
                recommendation_list(filters=recommendation_filters).values_list("pk", flat=True)
            ),
        )

    key = "reviews.search_scope:" + "|".join(
        ",".join(sorted(values))
        for values in (filters.review_types, filters.boards, filters.themes, filters.audiences)
    )
    return content_memo(key, compute)


def search_results(*, query: str, filters: ReviewFilters | None = None) -> SearchResults:
    """Reviews and recommendations matching a query, best first, within the filters."""
    hits = search_documents(query=query, limit=SEARCH_LIMIT)
    scope = search_scope(filters=filters or ReviewFilters())
    kept = [hit for hit in hits if hit in scope]
    recommendation_count = sum(1 for hit in kept if hit.recommendation_id is not None)
    return SearchResults(
        hits=kept,
        review_count=len(kept) - recommendation_count,
        recommendation_count=recommendation_count,
        truncated=len(hits) >= SEARCH_LIMIT,
    )


def search_results_load(*, hits: Sequence[SearchHit]) -> list[SearchResult]:
    """The reviews and recommendations of some hits (a page of them), in the same order."""
    review_ids = {hit.review_id for hit in hits if hit.recommendation_id is None}
    recommendation_ids = {hit.recommendation_id for hit in hits if hit.recommendation_id is not None}
    reviews = {r.pk: r for r in review_list().filter(pk__in=review_ids)} if review_ids else {}
    recommendations = (
        {r.pk: r for r in Recommendation.objects.select_related("review").filter(pk__in=recommendation_ids)}
        if recommendation_ids
        else {}
    )
    results = []
    for hit in hits:
        if hit.recommendation_id is None and hit.review_id in reviews:
            results.append(SearchResult(reviews[hit.review_id], None, hit.rank))
        elif hit.recommendation_id in recommendations:
            recommendation = recommendations[hit.recommendation_id]
            results.append(SearchResult(recommendation.review, recommendation, hit.rank))
    return results


def review_get(*, slug: str) -> Review | None:
    """One published review with everything its page shows except its recommendations.

    Adds `recommendation_count` and `review_resources` (resources not tied to a recommendation).
    """
    return (
        Review.objects.published()
        .filter(slug=slug)
        .prefetch_related(
            "boards",
            "milestones",
            "findings",
            "media",
            Prefetch(
                "resources", queryset=Resource.objects.filter(recommendation=None), to_attr="review_resources"
            ),
        )
        .annotate(recommendation_count=Count("recommendations"))
        .first()
    )


def review_theme_options(*, review: Review) -> list[tuple[str, str]]:
    """(slug, name) of the themes the review's recommendations have, for its filters."""
    themes = Theme.objects.filter(
        pk__in=Recommendation.themes.through.objects.filter(recommendation__review=review).values("theme_id")
    )
    return list(themes.values_list("slug", "name"))


def recommendation_get(*, slug: str, reference: str) -> Recommendation | None:
    """One recommendation of a published review, with its finding, themes, agencies and resources."""
    return (
        Recommendation.objects.filter(review__slug=slug, review__is_published=True, reference=reference)
        .select_related("review", "finding")
        .prefetch_related("themes", "lead_agencies", "resources")
        .first()
    )


def recommendation_neighbours(
    *, recommendation: Recommendation
) -> tuple[Recommendation | None, Recommendation | None]:
    """The recommendations before and after this one in the review's order."""
    siblings = Recommendation.objects.filter(review_id=recommendation.review_id).only("reference", "title")
    order, pk = recommendation.order, recommendation.pk
    previous = (
        siblings.filter(Q(order__lt=order) | Q(order=order, pk__lt=pk)).order_by("-order", "-pk").first()
    )
    following = (
        siblings.filter(Q(order__gt=order) | Q(order=order, pk__gt=pk)).order_by("order", "pk").first()
    )
    return previous, following


def review_briefing_get(*, slug: str) -> Briefing | None:
    """What the 7-minute briefing of a published review shows, with where to get help."""
    review = (
        Review.objects.published()
        .filter(slug=slug)
        .prefetch_related("boards", "milestones")
        .annotate(recommendation_count=Count("recommendations"))
        .first()
    )
    if review is None:
        return None
    contact_points = ContactPoint.objects.filter(
        kind__in=[ContactPoint.Kind.EMERGENCY, ContactPoint.Kind.FRONT_DOOR, ContactPoint.Kind.OUT_OF_HOURS]
    )
    return Briefing(review=review, findings=list(review.findings.all()), contact_points=list(contact_points))
