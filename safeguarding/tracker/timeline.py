"""An action's timeline, newest first: its changes from the audit trail, its progress notes, and its
evidence supplied and reviewed. Read only; shown with the MoJ timeline component on the action's page.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

from .models import Action, Evidence


@dataclass(frozen=True)
class TimelineItem:
    title: str
    at: datetime.datetime
    by: str
    lines: list[str] = field(default_factory=list)
    evidence: Evidence | None = None


def _change_lines(event: AuditEvent) -> list[str]:
    lines = []
    for name, values in event.changes.items():
        if not isinstance(values, list) or len(values) != 2 or not (values[0] or values[1]):
            continue
        label = name.replace("_", " ").capitalize()
        before, after = values
        if before and after:
            lines.append(f"{label}: {before} to {after}")
        elif after:
            lines.append(f"{label}: {after}")
        else:
            lines.append(f"{label}: removed (was {before})")
    return lines


def _event_title(event: AuditEvent) -> str:
    if event.kind == AuditEvent.Kind.CREATED:
        return "Action added"
    if "rag_override" in event.changes:
        return "RAG status overridden" if event.changes["rag_override"][1] else "RAG override removed"
    if "status" in event.changes:
        return f"Status changed to {str(event.changes['status'][1]).lower()}"
    return "Action changed"


def _name(user: Any, fallback: str = "A former member of staff") -> str:
    return str(user) if user is not None else fallback


def action_timeline(*, action: Action) -> list[TimelineItem]:
    """Everything that has happened to the action, newest first (notes and evidence prefetched)."""
    events = list(
        AuditEvent.objects.filter(
            subject_type="reviews.recommendation",
            subject_id=str(action.recommendation_id),
            target_type=Action._meta.label_lower,
            target_id=str(action.pk),
        ).only("at", "kind", "actor_id", "actor_label", "changes", "data")
    )
    actor_ids = {event.actor_id for event in events if event.actor_id}
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=actor_ids)} if actor_ids else {}
    items = []
    for event in events:
        lines = _change_lines(event)
        if event.data.get("reason"):
            lines.append(f"Reason: {event.data['reason']}")
        who = names.get(event.actor_id or 0) or event.actor_label or "The system"
        items.append(TimelineItem(_event_title(event), event.at, who, lines))
    for note in action.progress_notes.all():
        items.append(TimelineItem("Progress note", note.created_at, _name(note.author), [note.text]))
    for evidence in action.evidence.all():
        kind = evidence.get_kind_display().lower()
        items.append(
            TimelineItem(
                f"Evidence added ({kind})", evidence.supplied_at, _name(evidence.supplied_by), [], evidence
            )
        )
        if evidence.reviewed_at is not None and evidence.state != Evidence.State.SUBMITTED:
            verb = "accepted" if evidence.state == Evidence.State.ACCEPTED else "returned"
            reason = [f"Reason: {evidence.return_reason}"] if evidence.return_reason else []
            items.append(
                TimelineItem(
                    f"Evidence {verb}", evidence.reviewed_at, _name(evidence.reviewed_by), reason, evidence
                )
            )
    return sorted(items, key=lambda item: item.at, reverse=True)
