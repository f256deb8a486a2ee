"""What a triage worker does with a concern: assign, decide, note, attach, log a share, keep or let go.

Every function here changes one concern and writes one audit event in the same transaction, naming
ids, codes and dates only: what a note, reason or file name says never reaches the audit trail. The
views check that the worker may see the concern (`permissions.concern_for_user`); the functions that
take a user to act on (an assignee, a team) check those choices here, where every caller gets them.
Retention and deletion are described in docs/decisions/0015.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.partnership.models import Agency
from safeguarding.tracker.uploads import UploadRefused, evidence_file_check

from .models import (
    Concern,
    ConcernAttachment,
    ConcernDecision,
    ConcernNote,
    ConcernRoute,
    DecisionOption,
    InformationShare,
    LegalHoldChange,
    Team,
)
from .tasks import concern_notification_enqueue

__all__ = [
    "AttachmentAltered",
    "UploadRefused",
    "attachment_add",
    "attachment_open",
    "concern_assign",
    "concern_close",
    "concern_decide",
    "concern_delete_expired",
    "concern_reopen",
    "concern_share_with_team",
    "concern_unassign",
    "concerns_expired",
    "decision_options_for",
    "information_share_record",
    "legal_hold_clear",
    "legal_hold_set",
    "note_add",
    "receiving_team_members",
    "receiving_teams",
]

TEXT_MAX_LENGTH = 20000
_CHUNK = 64 * 1024


class AttachmentAltered(Exception):
    """The stored file differs from the one that was uploaded: it is not served."""


def _locked(concern: Concern) -> Concern:
    """The concern's row, locked for the rest of the transaction, so two workers do not cross."""
    return Concern.objects.select_for_update().get(pk=concern.pk)


def _text_required(value: str, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({field: f"Must be {TEXT_MAX_LENGTH:,} characters or fewer."})
    return text


# --- Who works on it --------------------------------------------------------------------------------


def receiving_teams(concern: Concern) -> QuerySet[Team]:
    """The teams the concern was routed or shared to."""
    return Team.objects.filter(routes__concern=concern).distinct().order_by("name")


def receiving_team_members(concern: Concern) -> QuerySet[Any]:
    """Active members of any receiving team: the people the concern may be assigned to."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(concern_teams__routes__concern=concern, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def concern_assign(*, concern: Concern, assignee: Any, by: Any) -> Concern:
    """Give the concern to a member of one of its receiving teams. A new concern moves into triage."""
    if not receiving_team_members(concern).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "Choose someone in a team this concern was sent or shared to."})
    with transaction.atomic():
        concern = _locked(concern)
        before = [concern.assigned_to_id, concern.status]
        concern.assigned_to = assignee
        concern.assigned_at = timezone.now()
        if concern.status == Concern.Status.RECEIVED:
            concern.status = Concern.Status.IN_TRIAGE
        concern.save(update_fields=["assigned_to", "assigned_at", "status"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Concern {concern.reference} assigned",
            changes={"assigned_to": [before[0], assignee.pk], "status": [before[1], concern.status]},
        )
    return concern


def concern_unassign(*, concern: Concern, by: Any) -> Concern:
    with transaction.atomic():
        concern = _locked(concern)
        if concern.assigned_to_id is None:
            raise ValidationError("This concern is not assigned to anyone.")
        before = concern.assigned_to_id
        concern.assigned_to = None
        concern.assigned_at = None
        concern.save(update_fields=["assigned_to", "assigned_at"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Concern {concern.reference} unassigned",
            changes={"assigned_to": [before, None]},
        )
    return concern


# --- Decisions and status ---------------------------------------------------------------------------


def decision_options_for(concern: Concern) -> QuerySet[DecisionOption]:
    """The active options that fit: children's for a child, adults' for an adult, all if unsure."""
    options = DecisionOption.objects.filter(active=True)
    if concern.about == "child":
        options = options.exclude(applies_to=DecisionOption.AppliesTo.ADULTS)
    elif concern.about == "adult":
        options = options.exclude(applies_to=DecisionOption.AppliesTo.CHILDREN)
    return options.order_by("order", "name")


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_date(concern: Concern) -> datetime.date | None:
    """The latest date any of the concern's decisions says to keep it until: the longest period wins."""
    dates = [
        _years_after(timezone.localdate(decision.decided_at), decision.option.retention_years)
        for decision in concern.decisions.select_related("option")
    ]
    return max(dates, default=None)


def concern_decide(*, concern: Concern, option: DecisionOption, reasons: str, by: Any) -> ConcernDecision:
    """Record a decision: it becomes the current one, and sets the status and how long the concern is kept."""
    reasons = _text_required(reasons, field="reasons", message="Enter the reasons for the decision.")
    if not decision_options_for(concern).filter(pk=option.pk).exists():
        raise ValidationError({"option": "Choose a decision from the list."})
    with transaction.atomic():
        concern = _locked(concern)
        before = [concern.status, concern.retain_until]
        decision = ConcernDecision.objects.create(
            concern=concern, option=option, reasons=reasons, decided_by=by, decided_at=timezone.now()
        )
        concern.status = Concern.Status.CLOSED if option.closes_concern else Concern.Status.DECIDED
        concern.retain_until = retention_date(concern)
        concern.save(update_fields=["status", "retain_until"])
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=decision,
            subject=concern,
            summary=f"Decision recorded on concern {concern.reference}: {option.code}",
            changes={
                "status": [before[0], concern.status],
                "retain_until": [before[1], concern.retain_until],
            },
            data={"option": option.code},
        )
    return decision


def _status_change(*, concern: Concern, status: str, by: Any, allowed_from: set[str], verb: str) -> Concern:
    with transaction.atomic():
        concern = _locked(concern)
        if concern.status not in allowed_from:
            raise ValidationError(
                f"A concern that is {concern.get_status_display().lower()} cannot be {verb}."
            )
        before = concern.status
        concern.status = status
        concern.save(update_fields=["status"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Concern {concern.reference} {verb}",
            changes={"status": [before, status]},
        )
    return concern


def concern_close(*, concern: Concern, by: Any) -> Concern:
    """Close a decided concern. A concern must have a decision before it is closed."""
    return _status_change(
        concern=concern,
        status=Concern.Status.CLOSED,
        by=by,
        allowed_from={Concern.Status.DECIDED},
        verb="closed",
    )


def concern_reopen(*, concern: Concern, by: Any) -> Concern:
    """Put a decided or closed concern back into triage (back in the queue)."""
    return _status_change(
        concern=concern,
        status=Concern.Status.IN_TRIAGE,
        by=by,
        allowed_from={Concern.Status.DECIDED, Concern.Status.CLOSED},
        verb="reopened",
    )


# --- Notes, attachments, information sharing -------------------------------------------------------


def note_add(*, concern: Concern, text: str, by: Any) -> ConcernNote:
    text = _text_required(text, field="text", message="Enter the note.")
    with transaction.atomic():
        note = ConcernNote.objects.create(concern=concern, text=text, author=by, added_at=timezone.now())
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=note,
            subject=concern,
            summary=f"Note added to concern {concern.reference}",
        )
    return note


def attachment_add(*, concern: Concern, file: IO[bytes] | None, name: str, by: Any) -> ConcernAttachment:
    """Check and store a file exactly as tracker evidence is; UploadRefused says why one is refused."""
    if file is None:
        raise ValidationError({"file": "Choose a file to upload."})
    try:
        checked = evidence_file_check(file, name=name)
    except UploadRefused as refused:
        raise ValidationError({"file": str(refused)}) from None
    storage = ConcernAttachment._meta.get_field("file").storage  # type: ignore[attr-defined]
    stored_name = "concerns/" + checked.stored_name.rsplit("/", 1)[-1]
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    stored = None
    try:
        with transaction.atomic():
            stored = storage.save(stored_name, file)
            attachment = ConcernAttachment.objects.create(
                concern=concern,
                file=stored,
                original_name=checked.display_name,
                content_type=checked.file_type.content_type,
                size=checked.size,
                sha256=digest.hexdigest(),
                uploaded_by=by,
                uploaded_at=timezone.now(),
            )
            audit_record(
                kind=AuditEvent.Kind.CREATED,
                actor=by,
                target=attachment,
                subject=concern,
                summary=f"Attachment {attachment.pk} added to concern {concern.reference}",
                data={"content_type": checked.file_type.content_type, "size": checked.size},
            )
    except BaseException:
        # Nothing is kept from a change that did not happen.
        if stored:
            storage.delete(stored)
        raise
    return attachment


def attachment_open(*, attachment: ConcernAttachment, by: Any) -> IO[bytes]:
    """Open an attachment for download, recording who read it. FileNotFoundError if it is missing."""
    handle = attachment.file.storage.open(attachment.file.name or "", "rb")
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    if digest.hexdigest() != attachment.sha256:
        handle.close()
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=attachment,
            subject=attachment.concern,
            summary=f"Attachment {attachment.pk} no longer matches its checksum: download refused",
        )
        raise AttachmentAltered(f"Attachment {attachment.pk} changed after it was added.")
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=by,
        target=attachment,
        subject=attachment.concern,
        summary=f"Attachment {attachment.pk} of concern {attachment.concern.reference} downloaded",
    )
    return handle


@dataclass(frozen=True)
class ShareDetails:
    agency: Agency
    recipient: str
    what_shared: str
    purpose: str
    lawful_basis: str
    decided_by: str
    shared_on: datetime.date


def information_share_record(*, concern: Concern, details: ShareDetails, by: Any) -> InformationShare:
    """Log one disclosure to another agency: what, to whom, why, on what lawful basis, who decided."""
    errors: dict[str, str] = {}
    texts = {}
    for field, message in (
        ("recipient", "Enter the person or team it was shared with."),
        ("what_shared", "Enter what was shared."),
        ("purpose", "Enter why it was shared."),
        ("decided_by", "Enter who decided to share it."),
    ):
        try:
            texts[field] = _text_required(getattr(details, field), field=field, message=message)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
    if details.lawful_basis not in Concern.LawfulBasis.values:
        errors["lawful_basis"] = "Choose the lawful basis for sharing."
    if details.shared_on > timezone.localdate():
        errors["shared_on"] = "The date it was shared must be today or in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        share = InformationShare.objects.create(
            concern=concern,
            agency=details.agency,
            lawful_basis=details.lawful_basis,
            shared_on=details.shared_on,
            recorded_by=by,
            recorded_at=timezone.now(),
            **texts,
        )
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=share,
            subject=concern,
            summary=f"Information sharing recorded on concern {concern.reference}",
            data={
                "agency": details.agency.pk,
                "lawful_basis": details.lawful_basis,
                "shared_on": details.shared_on.isoformat(),
            },
        )
    return share


def concern_share_with_team(*, concern: Concern, team: Team, reason: str, by: Any) -> ConcernRoute:
    """Let another team see the concern, by routing it to them, naming who shared it. Why is encrypted."""
    reason = _text_required(reason, field="reason", message="Enter why you are sharing it with this team.")
    if concern.routes.filter(team=team).exists():
        raise ValidationError({"team": f"This concern is already with {team.name}."})
    with transaction.atomic():
        _locked(concern)
        route = ConcernRoute.objects.create(
            concern=concern,
            team=team,
            rule=None,
            reason=f"Shared by {by.get_full_name() or by.get_username()}"[:500],
            shared_by=by,
            share_reason=reason,
            routed_at=timezone.now(),
        )
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=route,
            subject=concern,
            summary=f"Concern {concern.reference} shared with team {team.slug}",
            data={"team": team.slug},
        )
        # The team is told now, not at the next sweep (notifications.py sends each route once).
        transaction.on_commit(
            partial(concern_notification_enqueue, concern_id=concern.pk, urgent=concern.urgent), robust=True
        )
    return route


# --- Retention --------------------------------------------------------------------------------------


def legal_hold_set(*, concern: Concern, reason: str, by: Any) -> Concern:
    """Keep the concern past its retention date, whatever it is, until the hold is cleared."""
    reason = _text_required(reason, field="reason", message="Enter why the concern must be kept.")
    return _legal_hold_write(concern=concern, hold=True, reason=reason, by=by)


def legal_hold_clear(*, concern: Concern, reason: str, by: Any) -> Concern:
    reason = _text_required(reason, field="reason", message="Enter why the hold is no longer needed.")
    return _legal_hold_write(concern=concern, hold=False, reason=reason, by=by)


def _legal_hold_write(*, concern: Concern, hold: bool, reason: str, by: Any) -> Concern:
    with transaction.atomic():
        concern = _locked(concern)
        if concern.legal_hold == hold:
            raise ValidationError(
                "The concern is already on legal hold." if hold else "The concern is not on legal hold."
            )
        concern.legal_hold = hold
        concern.save(update_fields=["legal_hold"])
        LegalHoldChange.objects.create(
            concern=concern, hold=hold, reason=reason, changed_by=by, changed_at=timezone.now()
        )
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Legal hold {'placed on' if hold else 'lifted from'} concern {concern.reference}",
            changes={"legal_hold": [not hold, hold]},
        )
    return concern


def concerns_expired(*, today: datetime.date | None = None) -> QuerySet[Concern]:
    """Concerns past their retention date and not on legal hold: what the deletion command removes."""
    today = today or timezone.localdate()
    return Concern.objects.filter(retain_until__lt=today, legal_hold=False).order_by("retain_until", "id")


def concern_delete_expired(*, pk: int, today: datetime.date | None = None) -> str:
    """Delete the expired concern `pk` with everything about it, and its files; returns its reference.

    ValidationError if it is not (or no longer) due: on legal hold, kept longer, or already gone.
    The audit event (reference and dates only) is written first, in the same transaction: if the
    deletion fails, the event rolls back with it. Audit events name their target by type and id, not a
    foreign key, so the chain still verifies once the concern is gone. Files go once the rows have.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        concern = Concern.objects.select_for_update().filter(pk=pk).first()
        if concern is None:
            raise ValidationError(f"Concern {pk} no longer exists.")
        if concern.legal_hold or concern.retain_until is None or concern.retain_until >= today:
            raise ValidationError(f"Concern {concern.reference} is not due for deletion.")
        files = list(concern.attachments.values_list("file", flat=True))
        reference = concern.reference
        audit_record(
            kind=AuditEvent.Kind.DELETED,
            target=concern,
            summary=f"Concern {reference} deleted at the end of its retention period",
            data={"retain_until": concern.retain_until.isoformat(), "files": len(files)},
        )
        concern.delete()
        storage = ConcernAttachment._meta.get_field("file").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: _files_delete(storage, files))
    return reference


def _files_delete(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
