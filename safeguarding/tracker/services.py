"""Every change to the tracker: actions, progress notes, evidence, RAG overrides and sign-offs.

Each service checks permission (raising PermissionDenied), validates (raising ValidationError with
messages for the form), writes inside one transaction, records the change in the audit trail with
its before and after (subject: the recommendation, so it shows in that recommendation's history),
and then re-checks the recommendation (`recommendation_recheck`): a sign-off whose snapshot no longer
matches is reopened, saying what changed, and the public status is brought up to date.
"""

import datetime
import hashlib
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, model_changes
from safeguarding.core.uploads import UploadRefused, upload_check
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation

from . import aggregates, permissions
from .models import Action, Evidence, ProgressNote, Rag, SignOff
from .selectors import (
    Progress,
    count_phrase,
    recommendation_progress,
    recommendation_with_tracker,
    work_missing,
)
from .snapshots import evidence_checksum, recommendation_snapshot, snapshot_differences, snapshot_hash

# --- Keeping sign-offs and the public status true --------------------------------------------------


def recommendation_recheck(*, recommendation: Recommendation, by: Any = None) -> Recommendation:
    """Reopen sign-offs that no longer match what is there, and update the public status.

    Every tracker write calls this inside its transaction. Returns the freshly read recommendation.
    """
    fresh = recommendation_with_tracker(recommendation.pk)
    snapshot = recommendation_snapshot(fresh)
    current_hash = snapshot_hash(snapshot)
    now = timezone.now()
    for sign_off in fresh.sign_offs.all():
        if (
            sign_off.reopened_at is not None
            or sign_off.decision != SignOff.Decision.PROGRESSED_IN_FULL
            or sign_off.snapshot_hash == current_hash
        ):
            continue
        what_changed = snapshot_differences(sign_off.snapshot, snapshot) or [
            "What was approved can no longer be matched to what is there now."
        ]
        sign_off.reopened_at = now
        sign_off.reopened_reason = "\n".join(what_changed)
        sign_off.save(update_fields=["reopened_at", "reopened_reason"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=sign_off,
            subject=fresh,
            summary=f"{sign_off.board.short_name} sign-off reopened: the recommendation changed after it",
            changes={
                "reopened_at": [None, now.isoformat()],
                "reopened_reason": ["", sign_off.reopened_reason],
            },
            data={"what_changed": what_changed},
        )
    progress = recommendation_progress(fresh, current_hash=current_hash)
    status, note = _public_status(fresh, progress)
    if (status, note) != (fresh.public_status, fresh.public_status_note):
        before = {
            "public_status": fresh.get_public_status_display(),
            "public_status_note": fresh.public_status_note,
        }
        fresh.public_status, fresh.public_status_note = status, note
        fresh.save(update_fields=["public_status", "public_status_note", "updated_at"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=fresh,
            subject=fresh,
            summary=f"Public status now: {fresh.get_public_status_display()}",
            changes=model_changes(
                before, {"public_status": fresh.get_public_status_display(), "public_status_note": note}
            ),
        )
    return fresh


def _public_status(recommendation: Recommendation, progress: Progress) -> tuple[str, str]:
    """The status and a sentence the public may see: counts and board names, never people's names."""
    board_names = " and ".join(b.board.short_name for b in progress.boards)
    if progress.is_progressed_in_full:
        last = max((b.sign_off for b in progress.boards if b.sign_off), key=lambda s: s.meeting_date)
        when = (
            f"on {last.meeting_when}" if last.meeting_date_precision == "day" else f"in {last.meeting_when}"
        )
        return (
            Recommendation.PublicStatus.PROGRESSED_IN_FULL,
            f"{board_names} agreed it has been progressed in full ({when}).",
        )
    actions = list(recommendation.actions.all())
    reopened = any(b.reopened and not b.matches for b in progress.boards)
    again = " It was signed off, then changed, so it is being looked at again." if reopened else ""
    if actions and any(action.status != Action.Status.NOT_STARTED for action in actions):
        done = f"{progress.actions_done} of {count_phrase(progress.actions_total, 'action', 'actions')}"
        return Recommendation.PublicStatus.IN_PROGRESS, f"{done} complete.{again}"
    if actions:
        return Recommendation.PublicStatus.NOT_STARTED, f"Actions are agreed but not yet started.{again}"
    return Recommendation.PublicStatus.NOT_STARTED, again.strip()


# --- Actions ---------------------------------------------------------------------------------------


def _locked(recommendation: Recommendation) -> Recommendation:
    """Lock the recommendation's row, so that two changes to it (and their re-checks) do not interleave."""
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


def _action_locked(action: Action) -> Action:
    """Lock the action's recommendation, then read the action afresh under a row lock of its own."""
    _locked(action.recommendation)
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to `lead`.
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("owner_agency", "lead")
        .get(pk=action.pk)
    )


def _action_values(action: Action) -> dict[str, Any]:
    return {
        "description": action.description,
        "owner_agency": action.owner_agency.name if action.owner_agency_id else None,
        "lead": str(action.lead) if action.lead_id else None,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.get_status_display(),
        "completed_on": action.completed_on.isoformat() if action.completed_on else None,
        "rag_override": action.get_rag_override_display() if action.rag_override else "",
        "rag_override_reason": action.rag_override_reason,
    }


def _lead_check(lead: User | None, owner_agency: Agency) -> None:
    if lead is not None and (lead.agency_id != owner_agency.pk or not lead.is_active):
        raise ValidationError({"lead": f"Choose a lead who works for {owner_agency.name}."})


def _status_dates(action: Action, today: datetime.date) -> None:
    if action.is_done and action.completed_on is None:
        action.completed_on = today
    elif not action.is_done:
        action.completed_on = None


def action_create(
    *,
    recommendation: Recommendation,
    description: str,
    owner_agency: Agency,
    by: User,
    lead: User | None = None,
    due_date: datetime.date | None = None,
    status: str = Action.Status.NOT_STARTED,
) -> Action:
    if not permissions.can_create_action(by, recommendation):
        raise PermissionDenied("Only the partnership's managers for this recommendation can add actions.")
    if not description.strip():
        raise ValidationError({"description": "Enter what the action is."})
    _lead_check(lead, owner_agency)
    with transaction.atomic():
        _locked(recommendation)
        action = Action(
            recommendation=recommendation,
            description=description.strip(),
            owner_agency=owner_agency,
            lead=lead,
            due_date=due_date,
            status=status,
        )
        _status_dates(action, timezone.localdate())
        action.full_clean()
        action.save()
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=action,
            subject=recommendation,
            summary=f"Action {action.pk} added for {owner_agency.name}",
            changes=model_changes({}, _action_values(action)),
        )
        recommendation_recheck(recommendation=recommendation, by=by)
    return action


def action_update(
    *,
    action: Action,
    by: User,
    description: str,
    lead: User | None,
    due_date: datetime.date | None,
    status: str,
    owner_agency: Agency | None = None,
) -> Action:
    """Change an action. `owner_agency` None leaves the owner as it is; moving it is for managers."""
    if not permissions.can_edit_action(by, action):
        raise PermissionDenied(
            "Only the owner agency's leads and the partnership's managers can change this."
        )
    if owner_agency is not None and owner_agency.pk != action.owner_agency_id:
        if not permissions.can_assign_action(by, action):
            raise PermissionDenied("Only the partnership's managers can give an action to another agency.")
    else:
        owner_agency = action.owner_agency
    if not description.strip():
        raise ValidationError({"description": "Enter what the action is."})
    _lead_check(lead, owner_agency)
    with transaction.atomic():
        action = _action_locked(action)
        before = _action_values(action)
        action.description = description.strip()
        action.owner_agency = owner_agency
        action.lead = lead
        action.due_date = due_date
        action.status = status
        _status_dates(action, timezone.localdate())
        action.full_clean()
        after = _action_values(action)
        changes = model_changes(before, after)
        if not changes:
            return action
        action.save()
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=action,
            subject=action.recommendation,
            summary=f"Action {action.pk} changed",
            changes=changes,
        )
        recommendation_recheck(recommendation=action.recommendation, by=by)
    return action


def progress_note_add(*, action: Action, text: str, by: User) -> ProgressNote:
    if not permissions.can_edit_action(by, action):
        raise PermissionDenied("Only the owner agency's leads and the partnership's managers can add notes.")
    if not text.strip():
        raise ValidationError({"text": "Enter the progress note."})
    with transaction.atomic():
        _locked(action.recommendation)
        note = ProgressNote.objects.create(action=action, text=text.strip(), author=by)
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=note,
            subject=action.recommendation,
            summary=f"Progress note added to action {action.pk}",
            changes={"text": [None, note.text]},
        )
        recommendation_recheck(recommendation=action.recommendation, by=by)
    return note


def action_rag_override_set(*, action: Action, rag: str, reason: str, by: User) -> Action:
    if not permissions.can_override_rag(by, action):
        raise PermissionDenied("Only the partnership's managers can override a RAG status.")
    if rag not in Rag.values:
        raise ValidationError({"rag": "Choose a RAG status."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the computed RAG status is being overridden."})
    return _rag_override_write(
        action=action, rag=rag, reason=reason.strip(), by=by, summary="RAG override set"
    )


def action_rag_override_clear(*, action: Action, reason: str, by: User) -> Action:
    if not permissions.can_override_rag(by, action):
        raise PermissionDenied("Only the partnership's managers can remove a RAG override.")
    if not action.rag_override:
        raise ValidationError("This action's RAG status is not overridden.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the override is being removed."})
    return _rag_override_write(
        action=action, rag="", reason="", by=by, summary="RAG override removed", why=reason.strip()
    )


def _rag_override_write(
    *, action: Action, rag: str, reason: str, by: User, summary: str, why: str = ""
) -> Action:
    with transaction.atomic():
        action = _action_locked(action)
        before = _action_values(action)
        action.rag_override, action.rag_override_reason = rag, reason
        action.rag_override_by = by if rag else None
        action.save(update_fields=["rag_override", "rag_override_reason", "rag_override_by", "updated_at"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=action,
            subject=action.recommendation,
            summary=f"{summary} on action {action.pk}",
            changes=model_changes(before, _action_values(action)),
            data={"reason": why} if why else {},
        )
        recommendation_recheck(recommendation=action.recommendation, by=by)
    return action


# --- Evidence --------------------------------------------------------------------------------------


def _evidence_values(evidence: Evidence) -> dict[str, Any]:
    return {
        "kind": evidence.get_kind_display(),
        "title": evidence.title,
        "file": evidence.original_name or None,
        "url": evidence.url or None,
        "note": evidence.note or None,
        "effective_date": evidence.effective_date.isoformat() if evidence.effective_date else None,
        "state": evidence.get_state_display(),
        "return_reason": evidence.return_reason or None,
    }


def evidence_add(
    *,
    action: Action,
    kind: str,
    title: str,
    effective_date: datetime.date,
    by: User,
    file: IO[bytes] | None = None,
    file_name: str = "",
    url: str = "",
    note: str = "",
) -> Evidence:
    """Add a file, a link or a note. A file is checked (uploads.py) before anything is stored."""
    if not permissions.can_add_evidence(by, action):
        raise PermissionDenied(
            "Only the owner agency's leads and the partnership's managers can add evidence."
        )
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title for the evidence."
    if effective_date > timezone.localdate():
        errors["effective_date"] = "The date the evidence applies from must be today or in the past."
    checked = None
    if kind == Evidence.Kind.FILE:
        if file is None:
            errors["file"] = "Choose a file to upload."
        else:
            try:
                checked = upload_check(file, name=file_name, folder="evidence")
            except UploadRefused as refusal:
                errors["file"] = str(refusal)
    elif kind == Evidence.Kind.LINK:
        if not url.strip():
            errors["url"] = "Enter the link to the evidence."
    elif kind == Evidence.Kind.NOTE:
        if not note.strip():
            errors["note"] = "Enter the note."
    else:
        errors["kind"] = "Choose whether the evidence is a file, a link or a note."
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        action=action,
        kind=kind,
        title=title.strip(),
        url=url.strip() if kind == Evidence.Kind.LINK else "",
        note=note.strip() if kind == Evidence.Kind.NOTE else "",
        effective_date=effective_date,
        supplied_by=by,
    )
    evidence.full_clean(exclude=["file"])
    storage = Evidence._meta.get_field("file").storage
    stored = None
    try:
        with transaction.atomic():
            _locked(action.recommendation)
            if checked is not None and file is not None:
                file.seek(0)
                stored = storage.save(checked.stored_name, file)
                evidence.file.name = stored
                evidence.original_name = checked.display_name
                evidence.content_type = checked.file_type.content_type
                evidence.size = checked.size
            # Evidence never changes once added: its checksum is taken once, here, so snapshots
            # need not re-read files.
            evidence.sha256 = evidence_checksum(evidence)
            evidence.save()
            audit_record(
                kind=AuditEvent.Kind.CREATED,
                actor=by,
                target=evidence,
                subject=action.recommendation,
                summary=f"Evidence {evidence.pk} added to action {action.pk}",
                changes=model_changes({}, _evidence_values(evidence)),
            )
            recommendation_recheck(recommendation=action.recommendation, by=by)
    except BaseException:
        # Nothing is kept from a change that did not happen.
        if stored:
            storage.delete(stored)
        raise
    return evidence


def evidence_accept(*, evidence: Evidence, by: User) -> Evidence:
    return _evidence_review(evidence=evidence, by=by, state=Evidence.State.ACCEPTED, reason="")


def evidence_return(*, evidence: Evidence, reason: str, by: User) -> Evidence:
    if not permissions.can_review_evidence(by, evidence):
        raise PermissionDenied("Only the partnership's managers for this recommendation can review evidence.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the evidence is being returned."})
    return _evidence_review(evidence=evidence, by=by, state=Evidence.State.RETURNED, reason=reason.strip())


def _evidence_review(*, evidence: Evidence, by: User, state: str, reason: str) -> Evidence:
    if not permissions.can_review_evidence(by, evidence):
        raise PermissionDenied("Only the partnership's managers for this recommendation can review evidence.")
    if evidence.supplied_by_id == by.pk:
        raise ValidationError("Someone other than the person who supplied the evidence must review it.")
    if evidence.state == state:
        raise ValidationError(f"This evidence is already {evidence.get_state_display().lower()}.")
    recommendation = evidence.action.recommendation
    with transaction.atomic():
        _locked(recommendation)
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        before = _evidence_values(evidence)
        evidence.state = state
        evidence.return_reason = reason
        evidence.reviewed_by = by
        evidence.reviewed_at = timezone.now()
        evidence.save(update_fields=["state", "return_reason", "reviewed_by", "reviewed_at"])
        verb = "accepted" if state == Evidence.State.ACCEPTED else "returned"
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=evidence,
            subject=recommendation,
            summary=f"Evidence {evidence.pk} {verb}",
            changes=model_changes(before, _evidence_values(evidence)),
        )
        recommendation_recheck(recommendation=recommendation, by=by)
    return evidence


# --- Sign-off --------------------------------------------------------------------------------------


def sign_off_record(
    *,
    recommendation: Recommendation,
    board: Board,
    meeting_date: datetime.date,
    minute_reference: str,
    decision: str,
    by: User,
    notes: str = "",
) -> SignOff:
    """Record a board's decision at a meeting, with a snapshot of what it approved."""
    if not permissions.can_sign_off(by, recommendation, board):
        raise PermissionDenied("Only members and managers of a board it is addressed to can record this.")
    errors: dict[str, str] = {}
    if meeting_date > timezone.localdate():
        errors["meeting_date"] = "The meeting date must be today or in the past."
    if not minute_reference.strip():
        errors["minute_reference"] = "Enter the minute reference."
    if decision not in SignOff.Decision.values:
        errors["decision"] = "Choose what the board decided."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked(recommendation)
        fresh = recommendation_with_tracker(recommendation.pk)
        if decision == SignOff.Decision.PROGRESSED_IN_FULL:
            missing = work_missing(fresh)
            if missing:
                raise ValidationError(
                    {"decision": "It cannot be signed off as progressed in full yet: " + " ".join(missing)}
                )
        snapshot = recommendation_snapshot(fresh)
        sign_off = SignOff.objects.create(
            recommendation=recommendation,
            board=board,
            meeting_date=meeting_date,
            minute_reference=minute_reference.strip(),
            decision=decision,
            notes=notes.strip(),
            recorded_by=by,
            snapshot=snapshot,
            snapshot_hash=snapshot_hash(snapshot),
        )
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=sign_off,
            subject=recommendation,
            summary=f"{board.short_name} sign-off recorded: {sign_off.get_decision_display()}",
            changes=model_changes(
                {},
                {
                    "board": board.short_name,
                    "meeting_date": meeting_date.isoformat(),
                    "minute_reference": sign_off.minute_reference,
                    "decision": sign_off.get_decision_display(),
                    "notes": sign_off.notes or None,
                    "snapshot_hash": sign_off.snapshot_hash,
                },
            ),
        )
        recommendation_recheck(recommendation=recommendation, by=by)
    return sign_off


def recommendations_recheck(*, recommendations: Iterable[Recommendation], by: Any = None) -> None:
    """Re-check several recommendations, for writers outside this module (imports, demo data)."""
    for recommendation in recommendations:
        with transaction.atomic():
            _locked(recommendation)
            recommendation_recheck(recommendation=recommendation, by=by)


class EvidenceFileAltered(Exception):
    """The stored file differs from the one that was uploaded: it is not served."""


def evidence_file_open(*, evidence: Evidence, by: User) -> IO[bytes]:
    """Open an evidence file for download, recording who read it. FileNotFoundError if it is missing."""
    if not permissions.can_download_evidence(by, evidence):
        raise PermissionDenied("You cannot see this evidence.")
    if not evidence.file or not evidence.file.name:
        raise FileNotFoundError("This evidence has no file.")
    handle = evidence.file.storage.open(evidence.file.name, "rb")
    if evidence.sha256:
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            digest.update(chunk)
        handle.seek(0)
        if digest.hexdigest() != evidence.sha256:
            handle.close()
            audit_record(
                kind=AuditEvent.Kind.UPDATED,
                actor=by,
                target=evidence,
                subject=evidence.action.recommendation,
                summary=f"Evidence file {evidence.pk} no longer matches its checksum: download refused",
            )
            raise EvidenceFileAltered(f"The file of evidence {evidence.pk} changed after it was added.")
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        actor=by,
        target=evidence,
        summary=f"Evidence file {evidence.pk} downloaded",
    )
    return handle


# --- Stored aggregates ------------------------------------------------------------------------------


def tallies_refresh_due(*, today: datetime.date | None = None) -> int:
    """Count again, from scratch, the recommendations whose stored counts no longer hold today (a due
    date passed or came within a window) or that have none. Safe to run as often as you like: with
    nothing due it is one indexed query. Returns how many were counted."""
    today = today or timezone.localdate()
    due = sorted(set(aggregates.tallies_stale(today=today)) | set(aggregates.tallies_missing()))
    for start in range(0, len(due), aggregates.CHUNK):
        with transaction.atomic():
            # Locked as every tracker write locks them, so a change cannot interleave with the count.
            chunk = list(
                Recommendation.objects.select_for_update()
                .filter(pk__in=due[start : start + aggregates.CHUNK])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            aggregates.tallies_count(recommendation_ids=chunk, today=today)
    return len(due)


def tallies_rebuild(*, today: datetime.date | None = None) -> int:
    """Count every recommendation again from scratch (after a bulk load, or to put anything right)."""
    return aggregates.tallies_rebuild(today=today or timezone.localdate())
