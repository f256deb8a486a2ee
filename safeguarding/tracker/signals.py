"""Keep the stored aggregates (aggregates.py) true in the same transaction as the change that moves them.

Every save or delete of an action, a piece of evidence or a sign-off, and every change to the boards
a recommendation or a review is addressed to, counts the recommendations concerned again from
scratch; an audit event recording an action's status change or a sign-off counts its
recommendation's weeks again (the event is written after the change it records). The tracker's
services write through model saves inside their transaction, so the counts commit or roll back with
the change; so do the Django admin, review-pack loading and factories.

Queryset `update()`, `bulk_create()` and raw SQL send no signals: code that writes that way must call
`aggregates.tallies_count` itself, or run `manage.py tracker_tallies_rebuild` afterwards.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.reviews.models import Recommendation, Review

from . import aggregates, week_changes
from .models import Action, Evidence, SignOff


def _count(recommendation_ids: set[int]) -> None:
    ids = {pk for pk in recommendation_ids if pk is not None}
    if not ids:
        return
    with transaction.atomic():
        # Only recommendations still there: a recommendation being deleted takes its tallies with it.
        present = Recommendation.objects.filter(pk__in=ids).values_list("pk", flat=True)
        aggregates.tallies_count(recommendation_ids=list(present), today=timezone.localdate())


def _action_changed(sender: Any, instance: Action, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the rebuild command counts afterwards
    _count({instance.recommendation_id})


def _evidence_changed(sender: Any, instance: Evidence, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    cached = Evidence.action.field.get_cached_value(instance, None)
    if isinstance(cached, Action):
        _count({cached.recommendation_id})
    else:
        _count(set(Action.objects.filter(pk=instance.action_id).values_list("recommendation_id", flat=True)))


def _sign_off_changed(sender: Any, instance: SignOff, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _count({instance.recommendation_id})


def _recommendation_saved(sender: Any, instance: Recommendation, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        _count({instance.pk})


def _audit_event_saved(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    """A change to an action's status or to a sign-off, now in the audit trail, moves the board's
    weeks (WeekTally): the services record the event after the change, so count its weeks again."""
    if not created or kwargs.get("raw") or instance.subject_type != week_changes.RECOMMENDATION:
        return
    if instance.target_type == week_changes.ACTION:
        if not week_changes.touches_done(week_changes.status_pair(instance.changes)):
            return
    elif instance.target_type != week_changes.SIGN_OFF:
        return
    if instance.subject_id.isdigit():
        aggregates.weeks_count(recommendation_ids=[int(instance.subject_id)])


_CLEARING = "_tracker_tally_clearing"


def _m2m_recommendations(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, *, forward: Any, reverse_ids: Any
) -> set[int] | None:
    """The recommendations an m2m change concerns, or None when there is nothing to count yet.

    A reverse clear (a board's rows all removed) is known only before it happens: the ids are kept on
    the instance at pre_clear and counted at post_clear.
    """
    if action == "pre_clear":
        if reverse:
            setattr(instance, _CLEARING, reverse_ids(None))
        return None
    if action == "post_clear":
        return forward(instance) if not reverse else getattr(instance, _CLEARING, set())
    if action in {"post_add", "post_remove"}:
        return forward(instance) if not reverse else reverse_ids(pk_set or set())
    return None


def _recommendation_boards_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    through = Recommendation.boards.through.objects

    def reverse_ids(pks: set[int] | None) -> set[int]:
        if pks is None:
            return set(through.filter(board=instance).values_list("recommendation_id", flat=True))
        return set(pks)

    ids = _m2m_recommendations(
        instance, action, reverse, pk_set, forward=lambda r: {r.pk}, reverse_ids=reverse_ids
    )
    if ids:
        _count(ids)


def _review_boards_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    def of_reviews(review_ids: Any) -> set[int]:
        return set(Recommendation.objects.filter(review_id__in=review_ids).values_list("pk", flat=True))

    def reverse_ids(pks: set[int] | None) -> set[int]:
        if pks is None:
            return of_reviews(Review.boards.through.objects.filter(board=instance).values("review_id"))
        return of_reviews(pks)

    ids = _m2m_recommendations(
        instance, action, reverse, pk_set, forward=lambda r: of_reviews([r.pk]), reverse_ids=reverse_ids
    )
    if ids:
        _count(ids)


def connect() -> None:
    """Called from the app's ready()."""
    for model, handler, name in (
        (Action, _action_changed, "action"),
        (Evidence, _evidence_changed, "evidence"),
        (SignOff, _sign_off_changed, "sign_off"),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"tracker.tally.{name}_saved")
        post_delete.connect(handler, sender=model, dispatch_uid=f"tracker.tally.{name}_deleted")
    post_save.connect(_audit_event_saved, sender=AuditEvent, dispatch_uid="tracker.tally.audit_event")
    post_save.connect(
        _recommendation_saved, sender=Recommendation, dispatch_uid="tracker.tally.recommendation"
    )
    m2m_changed.connect(
        _recommendation_boards_changed,
        sender=Recommendation.boards.through,
        dispatch_uid="tracker.tally.recommendation_boards",
    )
    m2m_changed.connect(
        _review_boards_changed, sender=Review.boards.through, dispatch_uid="tracker.tally.review_boards"
    )
