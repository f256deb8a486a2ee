"""The snapshot of what a board approved when it signed a recommendation off, and its hash.

A snapshot is plain JSON: the recommendation's text, each action's description, owner, status and due
date, and each piece of evidence's id, state, effective date and a checksum of its content (the
file's bytes, the link or the note). Its hash is the SHA-256 of the canonical JSON (sorted keys, no
spaces), so the same content always gives the same hash. Comparing two snapshots says what changed.
"""

import hashlib
import json
from typing import Any

from safeguarding.reviews.models import Recommendation

from .models import Action, Evidence

SNAPSHOT_VERSION = 1
_RECOMMENDATION_FIELDS = ("reference", "title", "text", "why")
_ACTION_LABELS = {
    "description": "description",
    "owner_agency": "owner",
    "status": "status",
    "due_date": "due date",
}
_EVIDENCE_LABELS = {
    "state": "review state",
    "effective_date": "effective date",
    "checksum": "content",
    "kind": "kind",
}
_STATUS_LABELS = dict(Action.Status.choices)
_STATE_LABELS = dict(Evidence.State.choices)


def evidence_checksum(evidence: Evidence) -> str:
    """SHA-256 of what the evidence is: the stored file's bytes, or the link, or the note.

    Taken once when the evidence is added and kept in `Evidence.sha256`; computed here only for
    evidence saved without one.
    """
    if evidence.sha256:
        return evidence.sha256
    digest = hashlib.sha256()
    if evidence.kind == Evidence.Kind.FILE:
        name = evidence.file.name if evidence.file else None
        if not name:
            return "missing"
        try:
            with evidence.file.storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(64 * 1024), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            return "missing"
    elif evidence.kind == Evidence.Kind.LINK:
        digest.update(evidence.url.encode())
    else:
        digest.update(evidence.note.encode())
    return digest.hexdigest()


def recommendation_snapshot(recommendation: Recommendation) -> dict[str, Any]:
    """What a sign-off approves. Uses prefetched actions, owner agencies and evidence when present."""
    actions = sorted(recommendation.actions.all(), key=lambda action: action.pk)
    return {
        "version": SNAPSHOT_VERSION,
        "recommendation": {
            "id": recommendation.pk,
            **{name: getattr(recommendation, name) for name in _RECOMMENDATION_FIELDS},
        },
        "actions": [
            {
                "id": action.pk,
                "description": action.description,
                "owner_agency": action.owner_agency.name,
                "status": action.status,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "evidence": [
                    {
                        "id": evidence.pk,
                        "kind": evidence.kind,
                        "state": evidence.state,
                        "effective_date": evidence.effective_date.isoformat(),
                        "checksum": evidence_checksum(evidence),
                    }
                    for evidence in sorted(action.evidence.all(), key=lambda evidence: evidence.pk)
                ],
            }
            for action in actions
        ],
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    if name == "status":
        return str(_STATUS_LABELS.get(value, value)).lower()
    if name == "state":
        return str(_STATE_LABELS.get(value, value)).lower()
    return str(value)


def snapshot_differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed between two snapshots, one plain sentence per change, for staff."""
    changes: list[str] = []
    old_rec, new_rec = before.get("recommendation", {}), after.get("recommendation", {})
    changes += [
        f"The recommendation's {name} changed."
        for name in _RECOMMENDATION_FIELDS
        if old_rec.get(name) != new_rec.get(name)
    ]
    old_actions = {a["id"]: a for a in before.get("actions", [])}
    new_actions = {a["id"]: a for a in after.get("actions", [])}
    for action_id in sorted(old_actions.keys() - new_actions.keys()):
        changes.append(f"Action {action_id} was removed.")
    for action_id in sorted(new_actions.keys() - old_actions.keys()):
        changes.append(f"Action {action_id} was added: {new_actions[action_id]['description'][:80]}")
    for action_id in sorted(old_actions.keys() & new_actions.keys()):
        old, new = old_actions[action_id], new_actions[action_id]
        for name, label in _ACTION_LABELS.items():
            if old.get(name) == new.get(name):
                continue
            if name == "description":
                changes.append(f"Action {action_id}: the description changed.")
            else:
                changes.append(
                    f"Action {action_id}: {label} changed from {_shown(name, old.get(name))} "
                    f"to {_shown(name, new.get(name))}."
                )
        changes += _evidence_differences(action_id, old.get("evidence", []), new.get("evidence", []))
    return changes


def _evidence_differences(action_id: int, before: list[dict], after: list[dict]) -> list[str]:
    changes: list[str] = []
    old_items = {e["id"]: e for e in before}
    new_items = {e["id"]: e for e in after}
    for evidence_id in sorted(old_items.keys() - new_items.keys()):
        changes.append(f"Action {action_id}: evidence {evidence_id} was removed.")
    for evidence_id in sorted(new_items.keys() - old_items.keys()):
        changes.append(f"Action {action_id}: evidence {evidence_id} was added.")
    for evidence_id in sorted(old_items.keys() & new_items.keys()):
        old, new = old_items[evidence_id], new_items[evidence_id]
        for name, label in _EVIDENCE_LABELS.items():
            if old.get(name) == new.get(name):
                continue
            if name == "checksum":
                changes.append(f"Action {action_id}: the content of evidence {evidence_id} changed.")
            else:
                changes.append(
                    f"Action {action_id}: evidence {evidence_id} {label} changed from "
                    f"{_shown(name, old.get(name))} to {_shown(name, new.get(name))}."
                )
    return changes
