"""What a triage worker does with a concern: assign, decide, note, attach, log a share, hold.

Every function here changes one concern and writes one audit event in the same transaction, naming
ids, codes and dates only: what a note, reason or file name says never reaches the audit trail. The
views check that the worker may see the concern (`permissions.concern_for_user`); the functions that
take a user to act on (an assignee, a team) check those choices here, where every caller gets them.
Retention and deletion are described in docs/decisions/0015.
"""

import datetime
import hashlib
import tempfile
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.crypto import DecryptionError
from safeguarding.core.file_crypto import file_decrypt_chunks, file_encrypt, is_encrypted
from safeguarding.core.uploads import UploadRefused, upload_check
from safeguarding.partnership.models import Agency

from ..clocks import concern_deadline, urgent_deadline
from ..models import (
    Concern,
    ConcernAttachment,
    ConcernDecision,
    ConcernNote,
    ConcernRoute,
    DecisionOption,
    InformationShare,
    LegalHoldChange,
    PoliceCallRecord,
    Team,
    UrgencyRemoval,
)
from ..selectors import decision_options_for, receiving_team_members, retention_date
from ..tasks import concern_notification_enqueue

TEXT_MAX_LENGTH = 20000
_CHUNK = 64 * 1024
# Files up to this size are encrypted and decrypted in memory; larger ones in a temporary file.
_SPOOL_BYTES = 2 * 1024 * 1024
ATTACHMENT_PURPOSE = "concerns.concernattachment.file"


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


# --- Reading it -------------------------------------------------------------------------------------


def concern_viewed(*, concern: Concern, by: Any, page: str) -> None:
    """Record that a page about the concern is shown to `by` (call before showing it): every read of a
    concern is audited, whichever app's page it is."""
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=by,
        target=concern,
        summary=f"Concern {concern.reference} viewed: {page}",
    )


# --- Who works on it --------------------------------------------------------------------------------


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


# --- Urgency and the police -------------------------------------------------------------------------


def concern_mark_urgent(*, concern: Concern, by: Any) -> Concern:
    """Mark a concern urgent: it goes to the top of its teams' queues, and a decision is due within the
    urgent clock (TOOLKIT_URGENT_DECISION_HOURS) from now, unless it was due sooner already."""
    with transaction.atomic():
        concern = _locked(concern)
        if concern.urgent:
            raise ValidationError("This concern is already urgent.")
        if concern.status == Concern.Status.CLOSED:
            raise ValidationError("A closed concern cannot be marked urgent. Reopen it first.")
        before = [concern.urgent, concern.decision_due_at]
        now = timezone.now()
        due = urgent_deadline(now)
        concern.urgent = True
        if concern.decision_due_at is None or due < concern.decision_due_at:
            concern.decision_due_at = due
        concern.save(update_fields=["urgent", "decision_due_at"])
        name = by.get_full_name() or by.get_username()
        ConcernRoute.objects.create(
            concern=concern, marked_urgent=True, reason=f"Marked urgent by {name}.", routed_at=now
        )
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Concern {concern.reference} marked urgent",
            changes={
                "urgent": [before[0], True],
                "decision_due_at": [
                    before[1].isoformat() if before[1] else None,
                    concern.decision_due_at.isoformat() if concern.decision_due_at else None,
                ],
            },
        )
    return concern


def concern_remove_urgent(*, concern: Concern, reason: str, by: Any) -> Concern:
    """Undo "Mark as urgent" (or a rule's marking): the concern leaves the top of its teams' queues, and
    the decision is due when its clock from receipt says without urgency: the statutory clock, or the
    urgent clock from receipt where immediate danger was reported. Why is kept, encrypted."""
    reason = _text_required(reason, field="reason", message="Enter why the concern is no longer urgent.")
    with transaction.atomic():
        concern = _locked(concern)
        if not concern.urgent:
            raise ValidationError("This concern is not urgent.")
        if concern.status == Concern.Status.CLOSED:
            raise ValidationError("A closed concern's urgency cannot be removed. Reopen it first.")
        before = concern.decision_due_at
        concern.urgent = False
        concern.decision_due_at = concern_deadline(concern, urgent=False)
        concern.save(update_fields=["urgent", "decision_due_at"])
        UrgencyRemoval.objects.create(
            concern=concern, reason=reason, removed_by=by, removed_at=timezone.now()
        )
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=concern,
            summary=f"Concern {concern.reference} no longer urgent",
            changes={
                "urgent": [True, False],
                "decision_due_at": [
                    before.isoformat() if before else None,
                    concern.decision_due_at.isoformat() if concern.decision_due_at else None,
                ],
            },
        )
    return concern


def police_call_record(*, concern: Concern, answer: str, note: str, by: Any) -> PoliceCallRecord:
    """Record whether the police were called about a concern where immediate danger was reported.

    A later answer corrects an earlier one (both are kept). The note is encrypted; the audit trail
    holds only the answer's code."""
    if answer not in PoliceCallRecord.Answer.values:
        raise ValidationError({"answer": "Select whether the police were called."})
    note = (note or "").strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError({"note": f"Must be {TEXT_MAX_LENGTH:,} characters or fewer."})
    with transaction.atomic():
        concern = _locked(concern)
        record = PoliceCallRecord.objects.create(
            concern=concern, answer=answer, note=note, recorded_by=by, recorded_at=timezone.now()
        )
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=record,
            subject=concern,
            summary=f"Whether the police were called recorded on concern {concern.reference}",
            data={"answer": answer, "note": bool(note)},
        )
    return record


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
        checked = upload_check(file, name=name, folder="concerns")
    except UploadRefused as refused:
        raise ValidationError({"file": str(refused)}) from None
    storage = ConcernAttachment._meta.get_field("file").storage
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        digest.update(chunk)
    # Stored encrypted, streamed, under a key of its own sealed by the field keys (core.file_crypto).
    sealed = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115  (closed below)
    file_encrypt(file, sealed, purpose=ATTACHMENT_PURPOSE)
    sealed.seek(0)
    stored = None
    try:
        with transaction.atomic():
            stored = storage.save(checked.stored_name, File(sealed))
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
    finally:
        sealed.close()
    return attachment


def attachment_open(*, attachment: ConcernAttachment, by: Any) -> IO[bytes]:
    """The attachment's content, decrypted and checked against its checksum, recording who read it.
    FileNotFoundError if it is missing; AttachmentAltered if it was changed after it was added."""
    plain = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115  (the caller closes it)
    digest = hashlib.sha256()
    with attachment.file.storage.open(attachment.file.name or "", "rb") as stored:
        try:
            # A file stored before attachments were encrypted is read as it is, until
            # `rotate_field_keys` encrypts it.
            chunks = (
                file_decrypt_chunks(stored, purpose=ATTACHMENT_PURPOSE)
                if is_encrypted(stored)
                else iter(lambda: stored.read(_CHUNK), b"")
            )
            for chunk in chunks:
                digest.update(chunk)
                plain.write(chunk)
        except DecryptionError:
            digest = hashlib.sha256(b"unreadable")
    plain.seek(0)
    if digest.hexdigest() != attachment.sha256:
        plain.close()
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
    return plain


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


# --- Legal hold -------------------------------------------------------------------------------------


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
