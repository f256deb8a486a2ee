"""Writing to the audit trail, and checking that nobody has altered it.

`audit_record(...)` is the only way anything is written to the log. Each row's hash covers its own
content and the hash of the row before, so altering or removing any row breaks every link after it.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_HASHED_FIELDS = (
    "sequence",
    "at",
    "kind",
    "actor_id",
    "actor_label",
    "target_type",
    "target_id",
    "subject_type",
    "subject_id",
    "summary",
    "changes",
    "data",
    "previous_hash",
)
# Any number that no advisory lock elsewhere uses: it serialises appends on PostgreSQL.
_ADVISORY_LOCK_ID = 7_240_418


def _event_hash(event: AuditEvent) -> str:
    content = {name: getattr(event, name) for name in _HASHED_FIELDS}
    content["at"] = event.at.isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _label(instance: models.Model | None) -> tuple[str, str]:
    if instance is None:
        return "", ""
    return instance._meta.label_lower, str(instance.pk)


def audit_record(
    *,
    kind: str,
    actor: Any = None,
    target: models.Model | None = None,
    subject: models.Model | None = None,
    summary: str = "",
    changes: dict[str, list[Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction: if the change rolls back, so does this."""
    target_type, target_id = _label(target)
    subject_type, subject_id = _label(subject if subject is not None else target)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])
        # On SQLite the IMMEDIATE transaction already holds the database's single write lock.
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            sequence=sequence,
            at=timezone.now(),
            kind=kind,
            actor_id=actor.pk if authenticated else None,
            actor_label=(actor.get_username() if authenticated else ""),
            target_type=target_type,
            target_id=target_id,
            subject_type=subject_type,
            subject_id=subject_id,
            summary=summary[:300],
            changes=_jsonable(changes or {}),
            data=_jsonable(data or {}),
            previous_hash=previous_hash,
        )
        event.hash = _event_hash(event)
        event.save()
    return event


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    """What JSONField will store and give back, so the hash is computed over the stored values."""
    return json.loads(json.dumps(value, default=str))


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    head_hash: str
    broken_sequence: int | None = None
    reason: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainCheck:
    """Walk the chain from the start; report the first row whose hash or link does not hold."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainCheck(
                False, checked, previous_hash, expected_sequence, "row missing from the sequence"
            )
        if event.previous_hash != previous_hash:
            return ChainCheck(
                False, checked, previous_hash, event.sequence, "link to the previous row broken"
            )
        if _event_hash(event) != event.hash:
            return ChainCheck(False, checked, previous_hash, event.sequence, "row content altered")
        previous_hash = event.hash
        expected_sequence += 1
        checked += 1
    return ChainCheck(True, checked, previous_hash)


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as {field: [before, after]}."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def model_values(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """A record's field values, as JSON-ready values, for before-and-after comparisons."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, getattr(field, "attname", name))
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
