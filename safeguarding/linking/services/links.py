"""Changes to what linking knows. This module: links between concerns, incrementally and in batch, and
an analyst's decisions on them.

`concern_link` is what the task queue runs for a new or changed concern: it refreshes the concern's
identifiers, finds candidates by shared key in one SQL query, decrypts only the candidates' identifiers,
scores each pair with `matching.pair_score`, writes the links, recomputes the networks touched and
raises alerts, with one audit event (ids and counts only). `relink_all` does the same for every concern
from scratch, in batches, and gives the same links. Both keep what analysts decided:
- a confirmed link stays confirmed (its reasons are kept up to date);
- a rejected link stays rejected unless a piece of evidence not seen when it was rejected arrives; then
  it reopens, saying so (`new_evidence_since_rejection`). Evidence merely going away reopens nothing;
- a link no analyst decided on goes when its evidence has gone.
Every run holds one lock (PostgreSQL advisory lock; SQLite has one writer anyway), so two workers never
recompute the same network at once.
"""

import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.concerns.models import AdditionalInformation, Concern

from .. import batch
from ..matching import ConcernProfile, PairScore
from ..models import ConcernLinking, Link, NetworkMember
from .alerts import alerts_notify_missed, alerts_raise
from .identifiers import concern_identifiers_refresh
from .networks import JOINING, networks_recompute, networks_recompute_stale

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 2000
# Any number no other advisory lock uses (audit uses 7_240_418): one linking run at a time.
_LOCK_ID = 7_240_419
# A concern is left to its own task for this long before the sweep links it.
SWEEP_AFTER = datetime.timedelta(minutes=1)
SWEEP_LIMIT = 500
CREATED, UPDATED, REMOVED, REOPENED = "created", "updated", "removed", "reopened"


def linking_lock(*, rebuildable: bool = False) -> None:
    """Take the linking lock until the current transaction ends (call inside transaction.atomic).

    `rebuildable`: the transaction writes only what relink rebuilds anyway, so its commit need not wait
    for the disk (PostgreSQL's synchronous_commit off, for this transaction only): a crash can lose the
    last chunks of a relink, never an analyst's decision or a concern, and the next relink makes them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
            if rebuildable:
                cursor.execute("SET LOCAL synchronous_commit = off")


@dataclass
class LinkRun:
    """What one run did, by id and count (no personal data)."""

    concerns: int = 0
    candidates: int = 0
    links: dict[str, int] = field(default_factory=dict)
    networks: list[int] = field(default_factory=list)
    networks_closed: list[int] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)

    def count(self, what: str) -> None:
        if what:
            self.links[what] = self.links.get(what, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "concerns": self.concerns,
            "candidates": self.candidates,
            "links": dict(sorted(self.links.items())),
            "networks": self.networks,
            "networks_closed": self.networks_closed,
            "alerts": self.alerts,
        }


def _items(text: str) -> set[str]:
    try:
        loaded = json.loads(text or "[]")
    except ValueError:
        return set()
    return {str(item) for item in loaded} if isinstance(loaded, list) else set()


def link_apply(low: int, high: int, score: PairScore, link: Link | None) -> str:
    """Write what a pair's score says into its link, keeping analysts' decisions. Returns what changed
    (CREATED, UPDATED, REOPENED, REMOVED) or "" for nothing."""
    now = timezone.now()
    items = score.evidence_items
    if link is None:
        if score.strength is None:
            return ""
        _link_new(low, high, score).save(force_insert=True)
        return CREATED
    if score.strength is None and link.status == Link.Status.OPEN:
        link.delete()  # its evidence has gone, and no analyst decided on it
        return REMOVED
    changed = {
        "score": score.score,
        "reasons": json.dumps(score.reasons),
        "evidence": score.evidence,
        "evidence_items": json.dumps(items),
    }
    what = UPDATED
    if link.status == Link.Status.OPEN and score.strength is not None:
        changed["strength"] = score.strength
    elif link.status == Link.Status.REJECTED and set(items) - _items(link.rejected_evidence_items):
        changed.update(status=Link.Status.OPEN, strength=score.strength, new_evidence_since_rejection=True)
        what = REOPENED
    current = {name: getattr(link, name) for name in changed}
    if current == changed:
        return ""
    Link.objects.filter(pk=link.pk).update(**changed, updated_at=now)
    return what


def _link_new(low: int, high: int, score: PairScore) -> Link:
    """A pair's new link, as its score says (not saved); the score has a strength."""
    if score.strength is None:
        raise ValueError("a link needs a strength")
    return Link(
        concern_low_id=low,
        concern_high_id=high,
        strength=score.strength,
        score=score.score,
        reasons=json.dumps(score.reasons),
        evidence=score.evidence,
        evidence_items=json.dumps(score.evidence_items),
    )


def _joins(link: Link | None) -> bool:
    """Whether a link joins its concerns' networks (as JOINING in networks.py)."""
    if link is None:
        return False
    return link.status == Link.Status.CONFIRMED or (
        link.status == Link.Status.OPEN and link.strength == Link.Strength.PROBABLE
    )


def _joins_after(before: Link | None, score: PairScore, what: str) -> bool:
    """Whether the link joins networks after `link_apply` did `what` to it."""
    if what == REMOVED:
        return False
    if before is not None and before.status == Link.Status.CONFIRMED:
        return True
    if before is not None and before.status == Link.Status.REJECTED and what != REOPENED:
        return False
    return score.strength == Link.Strength.PROBABLE


def _links_of(concern_id: int) -> dict[tuple[int, int], Link]:
    links = Link.objects.filter(Q(concern_low_id=concern_id) | Q(concern_high_id=concern_id))
    return {(link.concern_low_id, link.concern_high_id): link for link in links}


def concern_link(*, concern_id: int) -> LinkRun | None:
    """Link one new or changed concern. None if it no longer exists (deleted before its turn)."""
    run = LinkRun(concerns=1)
    with transaction.atomic():
        linking_lock()
        concern = Concern.objects.filter(pk=concern_id).first()
        if concern is None:
            return None
        concern_identifiers_refresh(concern=concern)
        candidates = batch.candidates_of(concern_id)
        run.candidates = len(candidates)
        pairs = [(min(concern_id, pk), max(concern_id, pk)) for pk in candidates]
        existing = _links_of(concern_id)
        pairs += [pair for pair in existing if pair not in pairs]
        profiles: dict[int, ConcernProfile] = {}
        touched = {concern_id}
        scored = {(low, high): score for low, high, score in batch.pairs_score(pairs, profiles)}
        for pair in pairs:
            # A pair whose other concern has gone meanwhile scores nothing: its link goes by cascade.
            score, before = scored.get(pair, _NOTHING), existing.get(pair)
            what = link_apply(*pair, score, before)
            run.count(what)
            # Only links that join networks (probable or confirmed) change them: a possible link made
            # or dropped leaves every network, and so every alert, as it was.
            if what and (_joins(before) or _joins_after(before, score, what)):
                touched.update(pair)
        change = networks_recompute(concern_ids=touched)
        run.networks, run.networks_closed = change.networks, change.closed
        run.alerts = [alert.pk for alert in alerts_raise(network_ids=change.networks, profiles=profiles)]
        now = timezone.now()
        ConcernLinking.objects.update_or_create(concern=concern, defaults={"linked_at": now})
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            target=concern,
            summary=f"Concern {concern.reference} linked",
            data={"linking": run.as_dict()},
        )
    logger.info(
        "Linking: concern %s, %d candidates, links %s, networks %s, alerts %s",
        concern_id,
        run.candidates,
        run.links,
        run.networks,
        run.alerts,
    )
    return run


_NOTHING = PairScore(strength=None, score=0.0, reasons=[], evidence="")


def concerns_link_pending(*, now: datetime.datetime | None = None, limit: int = SWEEP_LIMIT) -> LinkRun:
    """Link the concerns the task queue missed (the worker was down, a task failed): never linked, or
    changed or given information since they were, a minute or more ago. Oldest first, up to `limit`."""
    now = now or timezone.now()
    later_information = AdditionalInformation.objects.filter(
        concern_id=OuterRef("pk"), added_at__gt=OuterRef("linking__linked_at")
    )
    pending = (
        Concern.objects.filter(received_at__lte=now - SWEEP_AFTER)
        .filter(
            Q(linking__isnull=True)
            | Q(linking__linked_at__isnull=True)
            | Q(linking__linked_at__lt=F("linking__changed_at"))
            | Exists(later_information)
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    total = LinkRun()
    for concern_id in list(pending):
        try:
            run = concern_link(concern_id=concern_id)
        except Exception:  # one concern that fails must not stop the others; the next sweep tries again
            logger.exception("Linking: concern %s could not be linked", concern_id)
            continue
        if run is not None:
            total.concerns += 1
            total.candidates += run.candidates
            for what, n in run.links.items():
                total.links[what] = total.links.get(what, 0) + n
            total.alerts += run.alerts
    return total


def linking_catch_up() -> dict[str, Any]:
    """What the scheduler runs every few minutes: link the concerns the queue missed, recompute the
    networks a retention deletion left stale, and tell teams of alerts not told yet."""
    run = concerns_link_pending()
    stale = networks_recompute_stale()
    emails = alerts_notify_missed()
    return {"linked": run.as_dict(), "networks_recomputed": stale.networks, "alert_emails": emails}


# --- Analysts' decisions -----------------------------------------------------------------------------


def _reason_check(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for your decision"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"})
    return reason


def _decide(link: Link, *, status: str, by: Any, reason: str) -> Link:
    reason = _reason_check(reason)
    with transaction.atomic():
        linking_lock()
        link = Link.objects.select_for_update().get(pk=link.pk)
        before = [link.status, link.strength]
        link.status = status
        link.decided_by = by
        link.decided_at = timezone.now()
        link.decision_reason = reason
        link.new_evidence_since_rejection = False
        if status == Link.Status.CONFIRMED:
            link.strength = Link.Strength.CONFIRMED
        else:
            link.rejected_evidence = link.evidence
            link.rejected_evidence_items = link.evidence_items
            if link.strength == Link.Strength.CONFIRMED:
                link.strength = Link.Strength.PROBABLE if link.score else Link.Strength.POSSIBLE
        link.updated_at = link.decided_at
        link.save()
        change = networks_recompute(concern_ids=[link.concern_low_id, link.concern_high_id])
        alerts = alerts_raise(network_ids=change.networks)
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=link,
            summary=f"Link {link.pk} {'confirmed' if status == Link.Status.CONFIRMED else 'rejected'}",
            changes={"status": [before[0], link.status], "strength": [before[1], link.strength]},
            data={
                "concerns": [link.concern_low_id, link.concern_high_id],
                "networks": change.networks,
                "networks_closed": change.closed,
                "alerts": [alert.pk for alert in alerts],
            },
        )
    return link


def link_confirm(*, link: Link, by: Any, reason: str) -> Link:
    """An analyst says the two concerns are linked: the link is confirmed, and joins their networks."""
    return _decide(link, status=Link.Status.CONFIRMED, by=by, reason=reason)


def link_reject(*, link: Link, by: Any, reason: str) -> Link:
    """An analyst says the two concerns are not linked: the link stays rejected until new evidence."""
    return _decide(link, status=Link.Status.REJECTED, by=by, reason=reason)


# --- The batch ---------------------------------------------------------------------------------------


def relink_all(*, progress: Callable[[int], None] | None = None, chunk: int = 1000) -> LinkRun:
    """Rebuild every link from scratch, keeping analysts' decisions; then every network, and the alerts
    they call for. One transaction per chunk of concerns, so linking of new concerns goes on meanwhile.
    `progress` is told how many concerns each chunk held. One audit event for the run."""
    run = LinkRun()
    ids = list(Concern.objects.order_by("pk").values_list("pk", flat=True))
    profiles: dict[int, ConcernProfile] = {}
    with batch.CommonKeys() as common:
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            first, last = part[0], part[-1]
            with transaction.atomic():
                linking_lock(rebuildable=True)
                pairs = batch.candidate_pairs(first, last, common=common)
                run.candidates += len(pairs)
                existing = {
                    (link.concern_low_id, link.concern_high_id): link
                    for link in Link.objects.filter(concern_low_id__gte=first, concern_low_id__lte=last)
                }
                # Profiles of concerns below this chunk are not needed again.
                profiles = {pk: profile for pk, profile in profiles.items() if pk > last}
                scored = {(low, high): score for low, high, score in batch.pairs_score(pairs, profiles)}
                new = []
                for pair in sorted(set(pairs) | existing.keys()):
                    score, link = scored.get(pair, _NOTHING), existing.get(pair)
                    if link is None and score.strength is not None:
                        new.append(_link_new(*pair, score))  # written together below
                        run.count(CREATED)
                    else:
                        run.count(link_apply(*pair, score, link))
                Link.objects.bulk_create(new, batch_size=1000)
            run.concerns += len(part)
            if progress is not None:
                progress(len(part))
    with transaction.atomic():
        linking_lock()
        linked = set(Link.objects.filter(JOINING).values_list("concern_low_id", flat=True))
        linked |= set(Link.objects.filter(JOINING).values_list("concern_high_id", flat=True))
        linked |= set(NetworkMember.objects.filter(network__active=True).values_list("concern_id", flat=True))
        change = networks_recompute(concern_ids=linked)
        run.networks, run.networks_closed = change.networks, change.closed
        run.alerts = [alert.pk for alert in alerts_raise(network_ids=change.networks)]
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            summary="Every link rebuilt (relink)",
            data={
                "linking": {
                    "concerns": run.concerns,
                    "candidates": run.candidates,
                    "links": dict(sorted(run.links.items())),
                    "networks": len(run.networks),
                    "networks_closed": len(run.networks_closed),
                    "alerts": run.alerts,
                }
            },
        )
    return run
