"""Keeps the full-text index in step when content changes outside the importers (the admin).

A change to a review, a finding, a recommendation, its themes or a theme's name schedules one
`search_index_review` for the review, run when the transaction commits. Saving fifty recommendations
in one transaction (an admin page with inlines, an import) re-indexes the review once, not fifty times;
a rolled-back change re-indexes nothing. Outside a transaction the index is rewritten at once.
"""

from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Finding, Recommendation, Review, Theme
from .search import search_index_review


class _ReviewReindex:
    """An on-commit callback for one review, recognisable so that it is scheduled only once."""

    def __init__(self, review_id: int) -> None:
        self.review_id = review_id

    def __call__(self) -> None:
        review = Review.objects.filter(pk=self.review_id).first()
        if review is not None:  # a deleted review takes its documents with it (on delete cascade)
            search_index_review(review=review)


def review_reindex_schedule(*, review_id: int | None) -> None:
    """Re-index the review when the current transaction commits (now, outside a transaction)."""
    if review_id is None:
        return
    # Django drops callbacks registered in a savepoint that rolls back, so a callback found here
    # will run if the transaction commits.
    # Each entry is (savepoint ids, callback, robust); django-stubs still knows it as a pair.
    for entry in connection.run_on_commit:
        callback = entry[1]
        if isinstance(callback, _ReviewReindex) and callback.review_id == review_id:
            return
    transaction.on_commit(_ReviewReindex(review_id))


@receiver(post_save, sender=Review, dispatch_uid="search_review_saved")
def _review_saved(sender: type[Review], instance: Review, **kwargs: Any) -> None:
    review_reindex_schedule(review_id=instance.pk)


@receiver(post_save, sender=Finding, dispatch_uid="search_finding_saved")
@receiver(post_delete, sender=Finding, dispatch_uid="search_finding_deleted")
@receiver(post_save, sender=Recommendation, dispatch_uid="search_recommendation_saved")
@receiver(post_delete, sender=Recommendation, dispatch_uid="search_recommendation_deleted")
def _part_changed(
    sender: type[Finding | Recommendation], instance: Finding | Recommendation, **kwargs: Any
) -> None:
    review_reindex_schedule(review_id=instance.review_id)


@receiver(m2m_changed, sender=Recommendation.themes.through, dispatch_uid="search_themes_changed")
def _recommendation_themes_changed(
    sender: type[models.Model],
    instance: Recommendation | Theme,
    action: str,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if isinstance(instance, Recommendation):  # changed from the recommendation's side
        if action != "pre_clear":
            review_reindex_schedule(review_id=instance.review_id)
        return
    # From the theme's side: the recommendations are in pk_set, or (for a clear) still linked.
    if action == "pre_clear":
        review_ids = instance.recommendations.values_list("review_id", flat=True)
    elif action == "post_clear":
        return
    else:
        review_ids = Recommendation.objects.filter(pk__in=pk_set or ()).values_list("review_id", flat=True)
    for review_id in set(review_ids):
        review_reindex_schedule(review_id=review_id)


@receiver(post_save, sender=Theme, dispatch_uid="search_theme_saved")
@receiver(pre_delete, sender=Theme, dispatch_uid="search_theme_deleted")
def _theme_changed(sender: type[Theme], instance: Theme, **kwargs: Any) -> None:
    """Theme names are part of each recommendation's searchable text."""
    if instance.pk is None:
        return
    review_ids = Recommendation.objects.filter(themes=instance).values_list("review_id", flat=True).distinct()
    for review_id in review_ids:
        review_reindex_schedule(review_id=review_id)
