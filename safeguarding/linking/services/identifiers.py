"""Changes to what linking knows. This module: a concern's identifiers and their keys.

`concern_identifiers_refresh` is idempotent: it rebuilds the identifiers a concern's answers give, keeps
what staff added, removed or corrected and what they decided about each suggestion, and rewrites every
key. Staff changes (`identifier_add`, `identifier_correct`, `identifier_remove`, `suggestion_accept`,
`suggestion_dismiss`) are each audited, keep what the identifier was before and after, encrypted, in
`IdentifierChange`, and queue the concern to be linked again (through `concern_changed`).
"""

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.concerns.models import Concern
from safeguarding.concerns.signals import concern_changed_on_commit

from .. import extract, normalise
from ..keys import identifier_keys
from ..models import ConcernLinking, Identifier, IdentifierChange, IdentifierKey, ReindexRun
from ..normalise import NORMALISER_VERSION


def identifier_keys_write(identifier: Identifier, details: dict[str, Any] | None = None) -> None:
    """(Re)write the keys of one identifier; a dismissed or merely suggested one has none."""
    IdentifierKey.objects.filter(identifier=identifier).delete()
    if identifier.status != Identifier.Status.ACTIVE:
        return
    details = details if details is not None else json.loads(identifier.details or "{}")
    keys = identifier_keys(
        kind=identifier.kind,
        normal=identifier.normal,
        normalised=identifier.normalised,
        value=identifier.value,
        details=details,
    )
    IdentifierKey.objects.bulk_create(
        IdentifierKey(identifier=identifier, concern_id=identifier.concern_id, kind=key.kind, index=key.index)
        for key in keys
    )


def concern_identifiers_refresh(*, concern: Concern) -> list[Identifier]:
    """Rebuild the concern's identifiers from its answers and text, keeping staff work. Returns the
    identifiers in use."""
    reported = extract.reported_identifiers(concern)
    reported_identities = {spec.identity for spec in reported}
    suggested = [
        spec for spec in extract.text_suggestions(concern) if spec.identity not in reported_identities
    ]
    with transaction.atomic():
        kept = list(Identifier.objects.filter(concern=concern).exclude(origin=Identifier.Origin.REPORTED))
        decided = {_identity(i): i for i in kept if i.origin == Identifier.Origin.TEXT}
        # A reported identifier staff removed or corrected stays dismissed, and is not made again.
        removed = Identifier.objects.filter(
            concern=concern, origin=Identifier.Origin.REPORTED, status=Identifier.Status.DISMISSED
        )
        removed_identities = {_identity(i) for i in removed}
        Identifier.objects.filter(concern=concern, origin=Identifier.Origin.REPORTED).exclude(
            status=Identifier.Status.DISMISSED
        ).delete()
        for spec in reported:
            if spec.identity not in removed_identities:
                _store(concern, spec, Identifier.Status.ACTIVE)
        wanted = {spec.identity for spec in suggested}
        for identity, identifier in decided.items():
            if identity not in wanted and identifier.status == Identifier.Status.SUGGESTED:
                identifier.delete()  # the text no longer says it
        for spec in suggested:
            if spec.identity not in decided:
                _store(concern, spec, Identifier.Status.SUGGESTED)
        for identifier in Identifier.objects.filter(concern=concern).exclude(
            origin=Identifier.Origin.REPORTED
        ):
            if identifier.version != NORMALISER_VERSION:
                identifier_keys_write(identifier)
                Identifier.objects.filter(pk=identifier.pk).update(version=NORMALISER_VERSION)
        now = timezone.now()
        ConcernLinking.objects.update_or_create(
            concern=concern, defaults={"identifiers_at": now, "changed_at": now}
        )
    return list(Identifier.objects.filter(concern=concern, status=Identifier.Status.ACTIVE))


def _identity(identifier: Identifier) -> tuple[str, str, str]:
    value = identifier.normal if identifier.normalised else identifier.value.strip().lower()
    return (identifier.kind, identifier.role, value)


def _store(concern: Concern, spec: extract.IdentifierSpec, status: str) -> Identifier:
    identifier = Identifier.objects.create(
        concern=concern,
        kind=spec.kind,
        role=spec.role,
        origin=spec.origin,
        status=status,
        value=spec.value,
        normal=spec.normal,
        normalised=spec.normalised,
        details=json.dumps(spec.details),
        source=spec.source,
        version=NORMALISER_VERSION,
    )
    identifier_keys_write(identifier, spec.details)
    return identifier


# --- Staff changes ------------------------------------------------------------------------------------

# The most a typed part may hold, as the answers of a concern allow.
PART_MAX = {"address": 2000, "postcode": 20, "number": 40, "age": 40}
PART_MAX_DEFAULT = 200
# Which roles fit each kind of identifier.
ROLES: dict[str, tuple[str, ...]] = {
    Identifier.Kind.PERSON: (Identifier.Role.AT_RISK, Identifier.Role.HARMING, Identifier.Role.OTHER),
    Identifier.Kind.PHONE: (Identifier.Role.CONTACT,),
    Identifier.Kind.VEHICLE: (Identifier.Role.VEHICLE_USED,),
    Identifier.Kind.PLACE: (Identifier.Role.PLACE_OF_HARM,),
    Identifier.Kind.ACCOUNT: (Identifier.Role.CONTACT,),
}


def identifier_shown(identifier: Identifier) -> str:
    """The identifier as a person reads it in a history: its typed parts, labelled."""
    details = json.loads(identifier.details or "{}")
    parts = extract.parts_of(
        kind=identifier.kind, value=identifier.value, normalised=identifier.normalised, details=details
    )
    shown = "; ".join(f"{name.replace('_', ' ')}: {value}" for name, value in parts.items() if value)
    return f"{identifier.get_role_display()}: {shown}"


def _spec(*, concern: Concern, kind: str, role: str, parts: dict[str, str]) -> extract.IdentifierSpec:
    """The staff-typed parts, checked and cleaned, or a ValidationError saying what is wrong."""
    if kind not in ROLES:
        raise ValidationError("Choose what kind of identifier this is", code="kind")
    if role not in ROLES[kind]:
        raise ValidationError({"role": "Select who this is in the concern"}, code="role")
    typed: dict[str, str] = {}
    for name in extract.PARTS[kind]:
        value = str(parts.get(name) or "").strip()
        label = name.replace("_", " ").capitalize()
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError({name: f"{label} contains characters that cannot be read"}) from None
        if "\x00" in value:
            raise ValidationError({name: f"{label} contains characters that cannot be read"})
        limit = PART_MAX.get(name, PART_MAX_DEFAULT)
        if len(value) > limit:
            raise ValidationError({name: f"{label} must be {limit:,} characters or fewer"})
        typed[name] = value
    if kind == Identifier.Kind.PERSON:
        if typed["age"] and normalise.age_parse(typed["age"]) is None:
            raise ValidationError({"age": "Enter an age in years, like 15, about 15, 15 to 16 or mid teens"})
        if typed["date_of_birth"] and normalise.date_of_birth_parse(typed["date_of_birth"]) is None:
            raise ValidationError({"date_of_birth": "Enter the date of birth as a real date"})
    spec = extract.spec_from_parts(
        kind=kind,
        role=role,
        origin=Identifier.Origin.STAFF,
        parts=typed,
        source="staff",
        on=timezone.localdate(concern.received_at),
    )
    if spec is None:
        raise ValidationError("Enter at least one detail", code="empty")
    return spec


def _changed(
    *, concern: Concern, identifier: Identifier, action: str, before: str, after: str, by: Any
) -> IdentifierChange:
    change = IdentifierChange.objects.create(
        concern=concern,
        identifier=identifier,
        kind=identifier.kind,
        action=action,
        before=before,
        after=after,
        changed_by=by,
    )
    # Ids and codes only: what the identifier says is in the encrypted change, never in the trail.
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=by,
        target=concern,
        subject=identifier,
        summary=f"Concern {concern.reference}: {identifier.get_kind_display().lower()} {action}",
        data={"identifier": identifier.pk, "change": change.pk, "action": action, "kind": identifier.kind},
    )
    ConcernLinking.objects.update_or_create(concern=concern, defaults={"changed_at": timezone.now()})
    # Linked again through the queue once this commits (linking.tasks listens).
    concern_changed_on_commit(concern_id=concern.pk, what="identifiers_changed")
    return change


def identifier_add(*, concern: Concern, kind: str, role: str, parts: dict[str, str], by: Any) -> Identifier:
    """Staff add an identifier the answers did not give (or gave wrongly)."""
    spec = _spec(concern=concern, kind=kind, role=role, parts=parts)
    with transaction.atomic():
        identifier = _store(concern, spec, Identifier.Status.ACTIVE)
        Identifier.objects.filter(pk=identifier.pk).update(created_by=by)
        _changed(
            concern=concern,
            identifier=identifier,
            action=IdentifierChange.Action.ADDED,
            before="",
            after=identifier_shown(identifier),
            by=by,
        )
    return identifier


def identifier_correct(*, identifier: Identifier, role: str, parts: dict[str, str], by: Any) -> Identifier:
    """Staff correct an identifier in use. A reported one is kept, dismissed, as what was reported, and
    the correction takes its place (so the concern's answers, read again, do not bring it back)."""
    if identifier.status != Identifier.Status.ACTIVE:
        raise ValidationError("Only an identifier in use can be corrected", code="status")
    concern = identifier.concern
    spec = _spec(concern=concern, kind=identifier.kind, role=role, parts=parts)
    before = identifier_shown(identifier)
    with transaction.atomic():
        if identifier.origin == Identifier.Origin.REPORTED:
            Identifier.objects.filter(pk=identifier.pk).update(status=Identifier.Status.DISMISSED)
            IdentifierKey.objects.filter(identifier=identifier).delete()
            corrected = _store(concern, spec, Identifier.Status.ACTIVE)
            Identifier.objects.filter(pk=corrected.pk).update(created_by=by)
        else:
            corrected = identifier
            corrected.role = spec.role
            corrected.value, corrected.normal, corrected.normalised = spec.value, spec.normal, spec.normalised
            corrected.details = json.dumps(spec.details)
            corrected.version = NORMALISER_VERSION
            corrected.save(update_fields=["role", "value", "normal", "normalised", "details", "version"])
            identifier_keys_write(corrected, spec.details)
        _changed(
            concern=concern,
            identifier=corrected,
            action=IdentifierChange.Action.CORRECTED,
            before=before,
            after=identifier_shown(corrected),
            by=by,
        )
    return corrected


def identifier_remove(*, identifier: Identifier, by: Any) -> Identifier:
    """Staff take an identifier out of use: it is kept, dismissed, for the history, with no keys."""
    if identifier.status != Identifier.Status.ACTIVE:
        raise ValidationError("Only an identifier in use can be removed", code="status")
    return _decide(identifier, Identifier.Status.DISMISSED, IdentifierChange.Action.REMOVED, by)


def suggestion_accept(*, identifier: Identifier, by: Any) -> Identifier:
    """An identifier found in the text is accepted: it is used for linking from now on."""
    if identifier.status != Identifier.Status.SUGGESTED:
        raise ValidationError("This suggestion has already been decided", code="status")
    return _decide(identifier, Identifier.Status.ACTIVE, IdentifierChange.Action.ACCEPTED, by)


def suggestion_dismiss(*, identifier: Identifier, by: Any) -> Identifier:
    """An identifier found in the text is dismissed: it is not suggested again for this concern."""
    if identifier.status != Identifier.Status.SUGGESTED:
        raise ValidationError("This suggestion has already been decided", code="status")
    return _decide(identifier, Identifier.Status.DISMISSED, IdentifierChange.Action.DISMISSED, by)


def _decide(identifier: Identifier, status: str, action: str, by: Any) -> Identifier:
    shown = identifier_shown(identifier)
    with transaction.atomic():
        # Locked, so two people deciding at once make one change, not two.
        locked = Identifier.objects.select_for_update().select_related("concern").get(pk=identifier.pk)
        if locked.status != identifier.status:
            raise ValidationError("Someone else changed this identifier first. Check it again", code="stale")
        locked.status = status
        locked.save(update_fields=["status"])
        identifier_keys_write(locked)
        active = status == Identifier.Status.ACTIVE
        _changed(
            concern=locked.concern,
            identifier=locked,
            action=action,
            before="" if action == IdentifierChange.Action.ACCEPTED else shown,
            after=shown if active else "",
            by=by,
        )
    return locked


# --- Rebuilding every key ----------------------------------------------------------------------------


def identifiers_reindex(
    *, chunk: int = 500, progress: Callable[[int], object] | None = None, restart: bool = False
) -> ReindexRun:
    """Clean every identifier again from its encrypted typed parts and rewrite all its keys: after a
    normaliser changes (NORMALISER_VERSION) or the blind index key is rotated. Concern by concern in id
    order, one transaction a chunk; the run records how far it has got, so a run that was stopped
    carries on from there when started again (unless `restart`). One audit event when a run finishes.
    """
    run = None if restart else ReindexRun.objects.filter(finished_at__isnull=True).first()
    if run is None or run.version != NORMALISER_VERSION:
        run = ReindexRun.objects.create(version=NORMALISER_VERSION)
    resumed_from = run.last_concern_id
    with_identifiers = Identifier.objects.order_by("concern_id").values_list("concern_id", flat=True)
    while True:
        ids = list(with_identifiers.filter(concern_id__gt=run.last_concern_id).distinct()[:chunk])
        if not ids:
            break
        with transaction.atomic():
            count = _reindex_concerns(ids)
            run.last_concern_id = ids[-1]
            run.identifiers += count
            run.save(update_fields=["last_concern_id", "identifiers"])
        if progress is not None:
            progress(len(ids))
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            summary=f"Identifier keys rebuilt: run {run.pk}, {run.identifiers} identifiers",
            data={
                "reindex_run": run.pk,
                "version": run.version,
                "identifiers": run.identifiers,
                "resumed_from_concern": resumed_from,
            },
        )
    return run


def _reindex_concerns(concern_ids: list[int]) -> int:
    received = dict(Concern.objects.filter(pk__in=concern_ids).values_list("pk", "received_at"))
    identifiers = list(Identifier.objects.filter(concern_id__in=concern_ids))
    keys: list[IdentifierKey] = []
    for identifier in identifiers:
        details = json.loads(identifier.details or "{}")
        parts = extract.parts_of(
            kind=identifier.kind, value=identifier.value, normalised=identifier.normalised, details=details
        )
        spec = extract.spec_from_parts(
            kind=identifier.kind,
            role=identifier.role,
            origin=identifier.origin,
            parts=parts,
            source=identifier.source,
            on=timezone.localdate(received[identifier.concern_id]),
        )
        if spec is not None:
            identifier.normal, identifier.normalised = spec.normal, spec.normalised
            identifier.details = json.dumps(spec.details)
            details = spec.details
        identifier.version = NORMALISER_VERSION
        if identifier.status == Identifier.Status.ACTIVE:
            keys += [
                IdentifierKey(
                    identifier=identifier, concern_id=identifier.concern_id, kind=key.kind, index=key.index
                )
                for key in identifier_keys(
                    kind=identifier.kind,
                    normal=identifier.normal,
                    normalised=identifier.normalised,
                    value=identifier.value,
                    details=details,
                )
            ]
    Identifier.objects.bulk_update(identifiers, ["normal", "normalised", "details", "version"])
    IdentifierKey.objects.filter(concern_id__in=concern_ids).delete()
    IdentifierKey.objects.bulk_create(keys)
    return len(identifiers)
