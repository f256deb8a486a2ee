"""Full-text search over reviews and recommendations, behind one interface for both databases.

`search_index_review(review=...)` rewrites the review's SearchDocument rows (one for the review, one
per recommendation). `search_documents(query=...)` returns ranked hits.

PROVISIONAL: the ranking below is a plain substring match; the database-specific full-text index
(PostgreSQL tsvector, SQLite FTS5) replaces it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .models import Recommendation, Review, SearchDocument


@dataclass(frozen=True)
class SearchHit:
    review_id: int
    recommendation_id: int | None
    rank: float


def _review_text(review: Review) -> str:
    parts = [review.summary, review.background, review.recommendations_summary]
    parts += [f"{f.title}\n{f.text}" for f in review.findings.all()]
    return "\n".join(p for p in parts if p)


def _recommendation_text(recommendation: Recommendation) -> str:
    parts = [
        recommendation.text,
        recommendation.why,
        recommendation.what_changed,
        recommendation.practice_learning,
        " ".join(recommendation.reflective_questions or []),
        " ".join(theme.name for theme in recommendation.themes.all()),
    ]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def search_index_review(*, review: Review) -> None:
    """Rewrite the search documents of one review and its recommendations."""
    SearchDocument.objects.filter(review=review).delete()
    documents = [SearchDocument(review=review, title=review.title, body=_review_text(review))]
    for recommendation in review.recommendations.prefetch_related("themes"):
        documents.append(
            SearchDocument(
                review=review,
                recommendation=recommendation,
                title=f"{recommendation.reference} {recommendation.title}",
                body=_recommendation_text(recommendation),
            )
        )
    SearchDocument.objects.bulk_create(documents)


def search_documents(*, query: str, limit: int = 200) -> list[SearchHit]:
    """Ranked hits for a query typed by a person. Any text is safe; an empty query finds nothing."""
    words = query.split()
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    rows = SearchDocument.objects.filter(condition, review__is_published=True).values_list(
        "review_id", "recommendation_id"
    )[:limit]
    return [SearchHit(review_id=r, recommendation_id=c, rank=1.0) for r, c in rows]
