"""Reading the tracker for staff pages, always through what the user may see.

Anything outside `recommendations_visible_to(user)` is "not found" (404) to that user. Pages read in a
fixed number of queries whatever the number of actions and evidence: RAG counts for a page of
recommendations come from one grouped query using the SQL form of the RAG rules.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.selectors import audit_history
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, Review

from . import permissions
from .models import Action, Evidence, ProgressNote, Rag, SignOff
from .rag import rag_annotation
from .snapshots import recommendation_snapshot, snapshot_hash


def recommendation_with_tracker(pk: int) -> Recommendation:
    """One recommendation with everything the snapshot and progress need, in a fixed number of queries."""
    return (
        Recommendation.objects.select_related("review")
        .prefetch_related(
            "boards",
            "review__boards",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "owner_agency", "lead", "rag_override_by"
                ).prefetch_related(
                    Prefetch(
                        "evidence", queryset=Evidence.objects.select_related("supplied_by", "reviewed_by")
                    )
                ),
            ),
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("board", "recorded_by")),
        )
        .get(pk=pk)
    )


def addressed_boards(recommendation: Recommendation) -> list[Board]:
    """The boards that must sign the recommendation off (its own list, or else the review's boards)."""
    return list(recommendation.boards.all()) or list(recommendation.review.boards.all())


@dataclass(frozen=True)
class BoardSignOff:
    board: Board
    sign_off: SignOff | None  # the board's latest sign-off that has not been reopened
    matches: bool  # it is "progressed in full" and approved exactly what is there now
    reopened: SignOff | None  # the latest reopened sign-off, to say what changed


@dataclass(frozen=True)
class Progress:
    is_progressed_in_full: bool
    missing: list[str]
    boards: list[BoardSignOff]
    actions_total: int
    actions_done: int
    current_hash: str = field(repr=False)


def recommendation_progress(recommendation: Recommendation, *, current_hash: str | None = None) -> Progress:
    """Is the recommendation "progressed in full", and if not, what is missing, in plain sentences.

    Progressed in full: at least one action; every action complete or impact evidenced, with evidence,
    all of it accepted; and every addressed board's current sign-off says "progressed in full" and
    approved exactly what is there now (the same snapshot hash).
    """
    if current_hash is None:
        current_hash = snapshot_hash(recommendation_snapshot(recommendation))
    missing = work_missing(recommendation)
    boards = []
    for board in addressed_boards(recommendation):
        own = [s for s in recommendation.sign_offs.all() if s.board_id == board.pk]
        current = next((s for s in own if s.reopened_at is None), None)
        reopened = next((s for s in own if s.reopened_at is not None), None)
        matches = bool(
            current
            and current.decision == SignOff.Decision.PROGRESSED_IN_FULL
            and current.snapshot_hash == current_hash
        )
        boards.append(BoardSignOff(board=board, sign_off=current, matches=matches, reopened=reopened))
        if matches:
            continue
        if current is None and reopened is not None:
            missing.append(
                f"{board.short_name} signed it off, but it changed afterwards: it needs signing off again."
            )
        elif current is None:
            missing.append(f"{board.short_name} has not signed it off.")
        elif current.decision != SignOff.Decision.PROGRESSED_IN_FULL:
            missing.append(f"{board.short_name} decided it is not yet progressed in full.")
        else:
            missing.append(f"{board.short_name} signed it off, but it has changed since.")
    if boards and all(b.matches and b.sign_off and b.sign_off.from_review_pack for b in boards):
        # The boards agreed it before the toolkit held the review (their minutes, from the review pack):
        # the work was done then, so no actions here are missing. Adding any reopens the sign-offs.
        missing = []
    actions = list(recommendation.actions.all())
    return Progress(
        is_progressed_in_full=not missing,
        missing=missing,
        boards=boards,
        actions_total=len(actions),
        actions_done=sum(action.is_done for action in actions),
        current_hash=current_hash,
    )


def work_missing(recommendation: Recommendation) -> list[str]:
    """What stops the work itself being complete (the sign-offs aside)."""
    actions = list(recommendation.actions.all())
    if not actions:
        return ["No actions have been added."]
    missing = []
    not_done = sum(not action.is_done for action in actions)
    no_evidence = sum(not action.evidence.all() for action in actions)
    not_accepted = sum(
        evidence.state != Evidence.State.ACCEPTED for action in actions for evidence in action.evidence.all()
    )
    if not_done:
        missing.append(f"{count_phrase(not_done, 'action is', 'actions are')} not complete.")
    if no_evidence:
        missing.append(f"{count_phrase(no_evidence, 'action has', 'actions have')} no evidence.")
    if not_accepted:
        missing.append(
            f"{count_phrase(not_accepted, 'piece of evidence is', 'pieces of evidence are')} not accepted."
        )
    return missing


def count_phrase(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class RecommendationSummary:
    """A row of the staff list: counts of actions by RAG and how many are done."""

    recommendation: Recommendation
    rag_counts: dict[str, int] = field(default_factory=dict)
    actions_total: int = 0
    actions_done: int = 0

    @property
    def rags(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.rag_counts.get(value, 0)) for value, label in Rag.choices]


def recommendation_filter_options() -> dict[str, list[tuple[str, str]]]:
    return {
        "review": [(str(pk), title) for pk, title in Review.objects.values_list("pk", "short_title")],
        "board": [(str(pk), name) for pk, name in Board.objects.values_list("pk", "short_name")],
        "agency": [(str(pk), name) for pk, name in Agency.objects.values_list("pk", "name")],
        "status": [(str(value), str(label)) for value, label in Recommendation.PublicStatus.choices],
    }


def recommendation_list(
    *,
    user: Any,
    review: int | None = None,
    board: int | None = None,
    agency: int | None = None,
    status: str | None = None,
) -> QuerySet[Recommendation]:
    """The recommendations the user sees, filtered, in review and report order."""
    recommendations = permissions.recommendations_visible_to(user).select_related("review")
    if review:
        recommendations = recommendations.filter(review_id=review)
    if board:
        own_boards = Recommendation.boards.through.objects.filter(recommendation_id=OuterRef("pk"))
        recommendations = recommendations.filter(
            Exists(own_boards.filter(board_id=board))
            | (
                ~Exists(own_boards)
                & Exists(
                    Review.boards.through.objects.filter(review_id=OuterRef("review_id"), board_id=board)
                )
            )
        )
    if agency:
        recommendations = recommendations.filter(
            Exists(Action.objects.filter(recommendation=OuterRef("pk"), owner_agency_id=agency))
        )
    if status:
        recommendations = recommendations.filter(public_status=status)
    return recommendations.order_by("review__short_title", "review_id", "order", "id")


def recommendation_summaries(
    recommendations: list[Recommendation], *, today: datetime.date
) -> list[RecommendationSummary]:
    """RAG counts and progress for a page of recommendations: one query for all of them."""
    summaries = {r.pk: RecommendationSummary(recommendation=r) for r in recommendations}
    rows = (
        Action.objects.filter(recommendation_id__in=list(summaries))
        .annotate(rag=rag_annotation(today=today))
        .values("recommendation_id", "rag", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        summary = summaries[row["recommendation_id"]]
        counts[row["recommendation_id"]][row["rag"]] += row["n"]
        summary.actions_total += row["n"]
        if row["status"] in Action.DONE:
            summary.actions_done += row["n"]
    for pk, counter in counts.items():
        summaries[pk].rag_counts = dict(counter)
    return list(summaries.values())


def recommendation_for_user(*, user: Any, pk: int) -> Recommendation:
    """One recommendation with its actions, evidence and sign-offs, or 404 if the user cannot see it."""
    if not permissions.recommendations_visible_to(user).filter(pk=pk).exists():
        raise Http404("No such recommendation.")
    return recommendation_with_tracker(pk)


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    who: str
    changes: list[tuple[str, Any, Any]]  # (label, before, after)


def recommendation_history(*, recommendation: Recommendation) -> list[HistoryEntry]:
    """Every recorded change to the recommendation and its actions, evidence and sign-offs, newest first.

    Who: the person's name now, or the username the log kept if the account has gone.
    """
    events = list(audit_history(subject=recommendation))
    actor_ids = {event.actor_id for event in events if event.actor_id}
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=actor_ids)} if actor_ids else {}
    return [
        HistoryEntry(
            event=event,
            who=names.get(event.actor_id or 0) or event.actor_label or "The system",
            changes=[
                (name.replace("_", " ").capitalize(), values[0], values[1])
                for name, values in event.changes.items()
                # A new record's empty fields say nothing.
                if isinstance(values, list) and len(values) == 2 and (values[0] or values[1])
            ],
        )
        for event in events
    ]


def action_for_user(*, user: Any, pk: int) -> Action:
    """One action with its notes and evidence, or 404 if the user cannot see it."""
    queryset = (
        permissions.actions_visible_to(user)
        .select_related("recommendation__review", "owner_agency", "lead", "rag_override_by")
        .prefetch_related(
            "recommendation__boards",
            "recommendation__review__boards",
            Prefetch("progress_notes", queryset=ProgressNote.objects.select_related("author")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("supplied_by", "reviewed_by")),
        )
    )
    try:
        return queryset.get(pk=pk)
    except Action.DoesNotExist:
        raise Http404("No such action.") from None


def evidence_for_user(*, user: Any, pk: int) -> Evidence:
    queryset = (
        permissions.evidence_visible_to(user)
        .select_related(
            "action__recommendation__review", "action__owner_agency", "supplied_by", "reviewed_by"
        )
        .prefetch_related("action__recommendation__boards", "action__recommendation__review__boards")
    )
    try:
        return queryset.get(pk=pk)
    except Evidence.DoesNotExist:
        raise Http404("No such evidence.") from None


def agency_lead_choices(*, agency: Agency) -> QuerySet[Any]:
    """The people who may lead an action for an agency: its active staff."""
    return agency.users.filter(is_active=True).order_by("last_name", "first_name", "username")
