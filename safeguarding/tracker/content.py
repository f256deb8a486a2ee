"""What a review pack holds for the tracker: the sign-offs the boards made before the toolkit held the
review, from their own minutes (a pack's `sign_offs`, docs/review-pack.md).

Each becomes a SignOff marked `from_review_pack`, recorded by nobody, with a snapshot of the
recommendation as loaded, so the public page, the dashboards and the board report all read one record.
Loading the pack again adds nothing that is already there; a later change to the recommendation (an
action added, its text changed) reopens the sign-off as any other.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, model_changes
from safeguarding.reviews.importers.schema import ReviewPack
from safeguarding.reviews.models import Recommendation, Review

from .models import SignOff
from .selectors import recommendation_with_tracker
from .services import recommendation_recheck
from .snapshots import recommendation_snapshot, snapshot_hash


def review_pack_sign_offs_load(*, review: Review, pack: ReviewPack, board_ids: dict[str, int]) -> int:
    """Record the pack's sign-offs not yet recorded, then bring each public status up to date. Returns
    how many were added."""
    recommendations = {r.reference: r for r in review.recommendations.all()}
    added = 0
    touched = set()
    with transaction.atomic():
        for sign_off in pack.sign_offs:
            meeting_date, precision = sign_off.parsed()
            for reference in sign_off.recommendations or list(recommendations):
                recommendation = recommendations[reference]
                touched.add(recommendation.pk)
                for slug in sign_off.boards:
                    board_id = board_ids[slug]
                    if SignOff.objects.filter(
                        recommendation=recommendation,
                        board_id=board_id,
                        meeting_date=meeting_date,
                        from_review_pack=True,
                    ).exists():
                        continue
                    snapshot = recommendation_snapshot(recommendation_with_tracker(recommendation.pk))
                    record = SignOff.objects.create(
                        recommendation=recommendation,
                        board_id=board_id,
                        meeting_date=meeting_date,
                        meeting_date_precision=precision,
                        minute_reference=sign_off.minute_reference,
                        decision=SignOff.Decision.PROGRESSED_IN_FULL,
                        notes=sign_off.notes,
                        recorded_by=None,
                        from_review_pack=True,
                        snapshot=snapshot,
                        snapshot_hash=snapshot_hash(snapshot),
                    )
                    added += 1
                    audit_record(
                        kind=AuditEvent.Kind.CREATED,
                        actor=None,
                        target=record,
                        subject=recommendation,
                        summary=f"{record.board.short_name} sign-off loaded from the review pack",
                        changes=model_changes(
                            {},
                            {
                                "board": record.board.short_name,
                                "meeting_date": record.meeting_when,
                                "minute_reference": record.minute_reference,
                                "decision": record.get_decision_display(),
                            },
                        ),
                    )
        for recommendation in review.recommendations.filter(pk__in=touched):
            recommendation_recheck(recommendation=recommendation)
    return added


def _on_review_pack_written(
    sender: Any, *, review: Review, pack: Any, board_ids: dict[str, int], **kwargs: Any
) -> None:
    review_pack_sign_offs_load(review=review, pack=pack, board_ids=board_ids)


def _on_recommendations_removing(
    sender: Any, *, recommendations: QuerySet[Recommendation], **kwargs: Any
) -> None:
    """A recommendation taken out of its pack takes the sign-offs the pack gave it (nothing else: one
    with actions or sign-offs recorded here stays protected)."""
    SignOff.objects.filter(recommendation__in=recommendations, from_review_pack=True).delete()
