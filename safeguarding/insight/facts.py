"""The fact row of a concern, read from plain columns only: codes, flags, dates and ids.

`facts_compute(concern_ids)` reads a batch of concerns and what happened to them in a handful of
queries (never one per concern) and returns unsaved `ConcernFact`s and their teams. No encrypted field
is selected, so nothing is decrypted (tests/insight/test_facts.py proves it).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min
from django.utils import timezone

from safeguarding.concerns.models import (
    Concern,
    ConcernDecision,
    ConcernNote,
    ConcernRoute,
    InformationShare,
)
from safeguarding.linking.models import Identifier, IdentifierKey

from .models import BUCKET_UPPER_MINUTES, ConcernFact, ConcernFactShare, ConcernFactTeam, Route


def bucket_of(minutes: int) -> int:
    """The fixed bucket a duration in minutes falls in (0 for an hour or less, 9 for over 14 days)."""
    for index, upper in enumerate(BUCKET_UPPER_MINUTES):
        if minutes <= upper:
            return index
    return len(BUCKET_UPPER_MINUTES)


def _minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


@dataclass
class FactBatch:
    facts: list[ConcernFact] = field(default_factory=list)
    teams: list[ConcernFactTeam] = field(default_factory=list)
    shares: list[ConcernFactShare] = field(default_factory=list)


def _repeats(rows: Sequence[Mapping[str, Any]]) -> set[int]:
    """The concerns, of `rows`, with a person at risk already in an earlier concern.

    A person at risk is known by the blind index linking keeps of their full name (IdentifierKey kind
    "name" on an in-use identifier with the role "person at risk"): equal names give equal indexes and
    nothing is decrypted. Earlier means received before (or at the same moment with a lower id).
    """
    ids = [row["pk"] for row in rows]
    at_risk = IdentifierKey.objects.filter(
        kind=IdentifierKey.Kind.NAME,
        identifier__role=Identifier.Role.AT_RISK,
        identifier__status=Identifier.Status.ACTIVE,
    )
    mine = list(at_risk.filter(concern_id__in=ids).values_list("concern_id", "index"))
    if not mine:
        return set()
    holders: dict[str, list[tuple[datetime.datetime, int]]] = defaultdict(list)
    for concern_id, index, received_at in at_risk.filter(index__in={index for _, index in mine}).values_list(
        "concern_id", "index", "concern__received_at"
    ):
        holders[index].append((received_at, concern_id))
    received = {row["pk"]: row["received_at"] for row in rows}
    return {
        concern_id
        for concern_id, index in mine
        if any((when, other) < (received[concern_id], concern_id) for when, other in holders[index])
    }


def facts_compute(concern_ids: Iterable[int]) -> FactBatch:
    """The facts of the concerns that still exist among `concern_ids`."""
    ids = list(concern_ids)
    batch = FactBatch()
    if not ids:
        return batch
    rows = list(
        Concern.objects.filter(pk__in=ids).values(
            "pk",
            "received_at",
            "source",
            "about",
            "signs",
            "urgent",
            "status",
            "decision_due_at",
            "assigned_at",
        )
    )
    if not rows:
        return batch
    ids = [row["pk"] for row in rows]
    first_decided: dict[int, datetime.datetime] = {}
    latest_code: dict[int, str] = {}
    for concern_id, when, code in (
        ConcernDecision.objects.filter(concern_id__in=ids)
        .order_by("concern_id", "decided_at", "id")
        .values_list("concern_id", "decided_at", "option__code")
    ):
        first_decided.setdefault(concern_id, when)
        latest_code[concern_id] = code
    first_note = dict(
        ConcernNote.objects.filter(concern_id__in=ids)
        .values("concern_id")
        .annotate(first=Min("added_at"))
        .values_list("concern_id", "first")
    )
    first_share: dict[int, datetime.datetime] = {}
    for concern_id, recorded_at, shared_on, basis in InformationShare.objects.filter(
        concern_id__in=ids
    ).values_list("concern_id", "recorded_at", "shared_on", "lawful_basis"):
        first_share[concern_id] = min(recorded_at, first_share.get(concern_id, recorded_at))
        batch.shares.append(ConcernFactShare(concern_id=concern_id, shared_on=shared_on, lawful_basis=basis))
    route_kind: dict[int, str] = {}
    teams: dict[int, set[int]] = defaultdict(set)
    for concern_id, team_id, rule_id, shared_by_id in ConcernRoute.objects.filter(
        concern_id__in=ids
    ).values_list("concern_id", "team_id", "rule_id", "shared_by_id"):
        if team_id is None:
            continue  # a route that only marked the concern urgent
        teams[concern_id].add(team_id)
        if rule_id is not None:
            route_kind[concern_id] = Route.RULE
        elif shared_by_id is None:
            route_kind.setdefault(concern_id, Route.SAFETY_NET)
    repeats = _repeats(rows)
    now = timezone.now()
    for row in rows:
        pk, received_at, due = row["pk"], row["received_at"], row["decision_due_at"]
        decided_at = first_decided.get(pk)
        actions = [
            when for when in (row["assigned_at"], decided_at, first_note.get(pk), first_share.get(pk)) if when
        ]
        first_action = min(actions) if actions else None
        decision_minutes = _minutes(received_at, decided_at) if decided_at else None
        action_minutes = _minutes(received_at, first_action) if first_action else None
        batch.facts.append(
            ConcernFact(
                concern_id=pk,
                received_at=received_at,
                received_on=timezone.localdate(received_at),
                source=row["source"],
                about=row["about"],
                signs=bool(row["signs"]),
                urgent=row["urgent"],
                route=route_kind.get(pk, Route.NONE),
                decision=latest_code.get(pk, ""),
                waiting=decided_at is None and row["status"] != Concern.Status.CLOSED,
                due_at=due,
                decided_at=decided_at,
                decision_minutes=decision_minutes,
                decision_bucket=None if decision_minutes is None else bucket_of(decision_minutes),
                within_clock=None if decided_at is None or due is None else decided_at <= due,
                first_action_at=first_action,
                first_action_minutes=action_minutes,
                first_action_bucket=None if action_minutes is None else bucket_of(action_minutes),
                repeat=pk in repeats,
                refreshed_at=now,
            )
        )
        batch.teams.extend(ConcernFactTeam(concern_id=pk, team_id=team_id) for team_id in sorted(teams[pk]))
    return batch
