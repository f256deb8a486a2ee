"""Changes to what linking knows. This module: alerts for the exploitation team, and their handling.

An alert is raised when two or more different people at risk are linked, within the window
(LINKING_ALERT_WINDOW_DAYS), to the same person who may be causing harm, vehicle, phone, place or
account. "The same" is decided by probable matches between the identifiers of a network's concerns
(people at risk matched to each other as probably the same person count once); a rejected link joins
nothing. One alert per finding per network, not one per concern: the finding is a keyed hash of the
pattern's earliest concern, so the same pattern growing (another concern, another person at risk,
another shared thing) or seen again by a relink updates the open alert's reason and raises nothing
new. Team members are told by e-mail, without content, through the task queue, once each (`notified_at`,
and the sweep for any missed).
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.concerns.models import Team
from safeguarding.concerns.notifications import team_recipients
from safeguarding.core.crypto import blind_index

from ..matching import PROBABLE, ConcernProfile, Mention, pair_score, platform_display, profiles_load
from ..matching import registration_display as _registration
from ..models import Alert, Identifier, Link, Network, NetworkMember

logger = logging.getLogger(__name__)

Kind, Role = Identifier.Kind, Identifier.Role
OUTCOME_MAX_LENGTH = 2000
# Where the team's alert queue is, for the e-mail (the analyst's pages serve it).
ALERT_QUEUE_PATH = "/staff/alerts/"
# An alert is left to its own task for this long before the sweep tells the team.
SWEEP_AFTER = datetime.timedelta(minutes=1)


# --- Finding the pattern -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """People at risk linked to the same things within the window: the words, and the keyed hash."""

    key: str
    reason: str
    people: int
    concerns: tuple[int, ...]


class _Entities:
    """Mentions joined when they are probably the same person or thing (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, mention_id: int) -> int:
        root = self.parent.setdefault(mention_id, mention_id)
        while root != self.parent[root]:
            root = self.parent[root]
        while mention_id != root:
            self.parent[mention_id], mention_id = root, self.parent[mention_id]
        return root

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _is_thing(mention: Mention) -> bool:
    if mention.kind == Kind.PERSON:
        return mention.role == Role.HARMING
    return mention.normalised


def _is_person_at_risk(mention: Mention) -> bool:
    """A person at risk who can be told apart from another: with a name or nickname to go by."""
    return mention.kind == Kind.PERSON and mention.role == Role.AT_RISK and bool(mention.exact_indexes())


def _describe(mentions: list[Mention]) -> str:
    first = min(mentions, key=lambda m: (m.concern_id, m.id))
    if first.kind == Kind.VEHICLE:
        return f"vehicle {_registration(first.normal)}"
    if first.kind == Kind.PHONE:
        return f"phone {first.normal}"
    if first.kind == Kind.PLACE:
        details = first.details
        words = [str(details.get(p) or "").strip() for p in ("venue", "address", "postcode")]
        return "place " + (", ".join(" ".join(w.split()) for w in words if w) or first.value)
    if first.kind == Kind.ACCOUNT:
        platform = next((p for m in mentions if (p := str(m.details.get("platform_normal") or ""))), "")
        return (
            f"{platform_display(platform)} account {first.normal}" if platform else f"handle {first.normal}"
        )
    names = [m.value for m in mentions if m.normalised and m.value]
    nicknames = [str(n) for m in mentions for n in m.details.get("nicknames", [])]
    if names and nicknames:
        return f"person who may be causing harm {names[0]}, known as {nicknames[0]}"
    if names:
        return f"person who may be causing harm {names[0]}"
    return f"person who may be causing harm known as {nicknames[0] if nicknames else first.value}"


def _month(when: datetime.datetime) -> str:
    return f"{timezone.localtime(when):%B %Y}"


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def network_finding(
    profiles: dict[int, ConcernProfile], pairs: Iterable[tuple[int, int]], *, window: datetime.timedelta
) -> Finding | None:
    """The alert a network's concerns call for, if any: `pairs` are its linked, not rejected, pairs."""
    entities = _Entities()
    mentions = {m.id: m for profile in profiles.values() for m in profile.mentions}
    for low, high in pairs:
        if low not in profiles or high not in profiles:
            continue
        for match in pair_score(profiles[low], profiles[high]).matches:
            if match.level == PROBABLE:
                entities.join(match.a.id, match.b.id)
    groups: dict[int, list[Mention]] = {}
    for mention in mentions.values():
        groups.setdefault(entities.find(mention.id), []).append(mention)
    at_risk: dict[int, set[int]] = {}  # concern -> entities of its people at risk
    for root, group in groups.items():
        for mention in group:
            if _is_person_at_risk(mention):
                at_risk.setdefault(mention.concern_id, set()).add(root)
    received = {pk: profile.received_at for pk, profile in profiles.items()}
    things: list[tuple[str, set[int], set[int]]] = []  # (its words, its people at risk, its concerns)
    for group in groups.values():
        if not _is_thing(group[0]):
            continue
        concerns = sorted({m.concern_id for m in group}, key=lambda pk: (received[pk], pk))
        best: tuple[int, set[int], set[int]] = (0, set(), set())
        for start, first in enumerate(concerns):
            inside = [pk for pk in concerns[start:] if received[pk] - received[first] <= window]
            people = set().union(*(at_risk.get(pk, set()) for pk in inside))
            if len(inside) >= 2 and len(people) > best[0]:
                best = (len(people), people, set(inside))
        if best[0] >= 2:
            things.append((_describe(group), best[1], best[2]))
    if not things:
        return None
    people = set().union(*(found[1] for found in things))
    concerns = sorted(set().union(*(found[2] for found in things)), key=lambda pk: (received[pk], pk))
    # What the finding is about: the pattern from its earliest concern on. It stays the same as more
    # people at risk, concerns and things join the pattern, so the alert grows instead of being raised
    # again; a pattern reaching back to an earlier concern is a new finding.
    key = blind_index(f"from-concern:{concerns[0]}", purpose="linking.alert")
    references = [profiles[pk].reference for pk in concerns]
    when = _month(received[concerns[0]])
    last = _month(received[concerns[-1]])
    span = f"in {when}" if when == last else f"between {when} and {last}"
    reason = (
        f"{len(people)} different people at risk, in {len(concerns)} concerns received {span}, are linked "
        f"to the same {_words(sorted({found[0] for found in things}))} "
        f"(concerns {_words(references)})."
    )
    return Finding(key=key, reason=reason, people=len(people), concerns=tuple(concerns))


def alerts_raise(
    *, network_ids: Iterable[int], profiles: dict[int, ConcernProfile] | None = None
) -> list[Alert]:
    """Raise the alerts these networks call for and have not raised yet; the team is told on commit."""
    profiles = profiles if profiles is not None else {}
    networks = list(Network.objects.filter(pk__in=set(network_ids), active=True).order_by("pk"))
    if not networks:
        return []
    team = Team.objects.filter(kind=Team.Kind.EXPLOITATION).order_by("pk").first()
    if team is None:
        logger.warning("Linking: no exploitation team to raise alerts for (%d networks)", len(networks))
        return []
    window = datetime.timedelta(days=settings.LINKING_ALERT_WINDOW_DAYS)
    raised = []
    all_members: dict[int, set[int]] = {}
    for network_id, concern_id in NetworkMember.objects.filter(network__in=networks).values_list(
        "network_id", "concern_id"
    ):
        all_members.setdefault(network_id, set()).add(concern_id)
    missing = set().union(*all_members.values()) - profiles.keys()
    if missing:
        profiles.update(profiles_load(missing))  # every network's members at once
    for network in networks:
        members = all_members.get(network.pk, set())
        pairs = list(
            Link.objects.filter(concern_low__in=members, concern_high__in=members)
            .exclude(status=Link.Status.REJECTED)
            .values_list("concern_low_id", "concern_high_id")
        )
        finding = network_finding(
            {pk: profiles[pk] for pk in members if pk in profiles}, pairs, window=window
        )
        if finding is None:
            continue
        alert = Alert.objects.filter(network=network, finding=finding.key).first()
        if alert is not None:
            # The same pattern, grown or seen again: an open alert says what it is now; a closed one
            # stays closed (the network's page shows what joined it since).
            if alert.status != Alert.Status.CLOSED and alert.reason != finding.reason:
                Alert.objects.filter(pk=alert.pk).update(reason=finding.reason)
            continue
        alert = Alert.objects.create(network=network, team=team, reason=finding.reason, finding=finding.key)
        raised.append(alert)
        transaction.on_commit(partial(_notify_enqueue, alert.pk), robust=True)
    return raised


def _notify_enqueue(alert_id: int) -> None:
    from ..tasks import alert_notify_task  # tasks import the services: imported here, once needed

    alert_notify_task.enqueue(alert_id)


# --- Telling the team --------------------------------------------------------------------------------


def alert_notify(*, alert_id: int) -> int:
    """E-mail each member of the alert's team that it is in their queue, once; returns e-mails sent.
    Nothing of the alert is in the e-mail. Raises if sending fails: the claim rolls back, the sweep
    tries again."""
    alert = Alert.objects.select_related("team").filter(pk=alert_id, notified_at__isnull=True).first()
    if alert is None:
        return 0
    recipients = team_recipients(team=alert.team)
    if not recipients:
        return 0
    with transaction.atomic():
        if not Alert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(notified_at=timezone.now()):
            return 0
        context = {
            "team": alert.team,
            "raised_at": timezone.localtime(alert.raised_at),
            "url": settings.SITE_URL.rstrip("/") + ALERT_QUEUE_PATH,
        }
        subject = " ".join(render_to_string("linking/email/new_alert_subject.txt", context).split())
        body = render_to_string("linking/email/new_alert.txt", context)
        messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]
        with get_connection() as connection:
            connection.send_messages(messages)
    logger.info("Linking alert %s: %d members of team %s told", alert.pk, len(messages), alert.team_id)
    return len(messages)


def alerts_notify_missed(*, now: datetime.datetime | None = None) -> int:
    """Tell the teams of alerts still not told a minute after they were raised. Returns e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for alert_id in Alert.objects.filter(
        notified_at__isnull=True, raised_at__lte=now - SWEEP_AFTER, status=Alert.Status.NEW
    ).values_list("pk", flat=True):
        try:
            sent += alert_notify(alert_id=alert_id)
        except Exception:  # one failed send must not stop the others; the next sweep tries again
            logger.exception("Linking alert %s: the team could not be told", alert_id)
    return sent


# --- Handling an alert -------------------------------------------------------------------------------


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _audit(alert: Alert, by: Any, summary: str, changes: dict[str, list[Any]]) -> None:
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=by,
        target=alert,
        summary=f"Linking alert {alert.pk} {summary}",
        changes=changes,
        data={"network": alert.network_id},
    )


def alert_acknowledge(*, alert: Alert, by: Any) -> Alert:
    """Say someone has seen the alert and is on it."""
    with transaction.atomic():
        alert = _locked(alert)
        if alert.status != Alert.Status.NEW:
            raise ValidationError("This alert has already been acknowledged.")
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["status", "acknowledged_at"])
        _audit(alert, by, "acknowledged", {"status": [Alert.Status.NEW, alert.status]})
    return alert


def alert_assign(*, alert: Alert, to: Any, by: Any) -> Alert:
    """Give the alert to a member of its team; a new alert is acknowledged by it."""
    if not alert.team.members.filter(pk=to.pk, is_active=True).exists():
        raise ValidationError({"to": f"Choose someone in {alert.team.name}."})
    with transaction.atomic():
        alert = _locked(alert)
        if alert.status == Alert.Status.CLOSED:
            raise ValidationError("This alert is closed.")
        before = [alert.assigned_to_id, alert.status]
        alert.assigned_to = to
        if alert.status == Alert.Status.NEW:
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["assigned_to", "status", "acknowledged_at"])
        _audit(
            alert, by, "assigned", {"assigned_to": [before[0], to.pk], "status": [before[1], alert.status]}
        )
    return alert


def alert_close(*, alert: Alert, outcome: str, by: Any) -> Alert:
    """Close the alert with what came of it (kept encrypted)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter the outcome"})
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise ValidationError({"outcome": f"The outcome must be {OUTCOME_MAX_LENGTH:,} characters or fewer"})
    with transaction.atomic():
        alert = _locked(alert)
        if alert.status == Alert.Status.CLOSED:
            raise ValidationError("This alert is already closed.")
        before = alert.status
        alert.status = Alert.Status.CLOSED
        alert.closed_at = timezone.now()
        alert.outcome = outcome
        alert.save(update_fields=["status", "closed_at", "outcome"])
        _audit(alert, by, "closed", {"status": [before, alert.status]})
    return alert
