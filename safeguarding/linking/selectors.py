"""Reads for the analyst's pages and the triage panel: networks, a network's people, things, links,
timeline and graph, hotspots, the alert queue, and what a triage worker may know of a concern's links.

Lists and counts come from plain columns and blind indexes, so nothing is decrypted to make them; a
network's page and the hotspots decrypt what they show (for analysts only: views check permissions.py
and audit each showing). `concern_link_summary` decrypts nothing and names no other concern.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from safeguarding.concerns.models import Concern, ConcernRoute, Team

from .matching import platform_display, registration_display
from .models import Alert, Identifier, IdentifierKey, Link, Network, NetworkMember
from .services.networks import JOINING

Kind, Role, KeyKind = Identifier.Kind, Identifier.Role, IdentifierKey.Kind

# The alert queue's filter: "open" is what nobody has picked up yet.
ALERT_FILTERS = {
    "open": [Alert.Status.NEW],
    "acknowledged": [Alert.Status.ACKNOWLEDGED],
    "closed": [Alert.Status.CLOSED],
}
# A network bigger than this is listed, not drawn: a picture of hundreds of dots explains nothing.
GRAPH_MAX_NODES = 150
HOTSPOT_KINDS = {
    "places": ("Places", [KeyKind.PLACE, KeyKind.POSTCODE]),
    "vehicles": ("Vehicles", [KeyKind.VEHICLE]),
    "phones": ("Phone numbers", [KeyKind.PHONE]),
    "accounts": ("Online accounts", [KeyKind.ACCOUNT]),
}
HOTSPOTS_PER_KIND = 10


def _members(network_ids: Iterable[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for network_id, concern_id in NetworkMember.objects.filter(network_id__in=list(network_ids)).values_list(
        "network_id", "concern_id"
    ):
        members[network_id].append(concern_id)
    return members


def _people_at_risk_by_concern(concern_ids: Iterable[int]) -> dict[int, set[str]]:
    """For each concern, its people at risk, as the blind index of their name (or nickname, or the
    identifier itself): the same name in two concerns counts once, and nothing is decrypted."""
    at_risk = list(
        Identifier.objects.filter(
            concern_id__in=list(concern_ids),
            kind=Kind.PERSON,
            role=Role.AT_RISK,
            status=Identifier.Status.ACTIVE,
        ).values_list("pk", "concern_id")
    )
    keys: dict[int, dict[str, str]] = defaultdict(dict)
    for identifier_id, kind, index in IdentifierKey.objects.filter(
        identifier_id__in=[pk for pk, _ in at_risk], kind__in=[KeyKind.NAME, KeyKind.NICKNAME]
    ).values_list("identifier_id", "kind", "index"):
        keys[identifier_id].setdefault(kind, index)
    people: dict[int, set[str]] = defaultdict(set)
    for pk, concern_id in at_risk:
        found = keys.get(pk, {})
        people[concern_id].add(found.get(KeyKind.NAME) or found.get(KeyKind.NICKNAME) or f"identifier:{pk}")
    return people


@dataclass(frozen=True)
class NetworkRow:
    network: Network
    concerns: int
    people_at_risk: int
    changed_at: datetime.datetime
    open_alerts: int


def networks_active() -> list[NetworkRow]:
    """Every active network, the most recently changed first, with its counts (nothing decrypted)."""
    networks = list(
        Network.objects.filter(active=True)
        .annotate(open_alerts=Count("alerts", filter=~Q(alerts__status=Alert.Status.CLOSED)))
        .order_by("-updated_at", "-pk")
    )
    members = _members(network.pk for network in networks)
    people = _people_at_risk_by_concern(pk for ids in members.values() for pk in ids)
    rows = []
    for network in networks:
        ids = members.get(network.pk, [])
        named = set().union(*(people.get(pk, set()) for pk in ids)) if ids else set()
        rows.append(
            NetworkRow(
                network=network,
                concerns=len(ids),
                people_at_risk=len(named),
                changed_at=network.updated_at,
                open_alerts=network.open_alerts,
            )
        )
    return rows


# --- One network -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    pk: int
    reference: str
    received_at: datetime.datetime
    source: str
    teams: list[str]


@dataclass
class Thing:
    """A person or thing of the network, as analysts read it, with the concerns that mention it."""

    kind: str
    value: str
    more: list[str] = field(default_factory=list)  # nicknames, ages, descriptions, "not cleaned"
    concerns: list[str] = field(default_factory=list)  # references, in order received


@dataclass(frozen=True)
class LinkRow:
    link: Link
    low: str  # references
    high: str
    reasons: list[str]


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    title: str
    by: str
    description: str


@dataclass(frozen=True)
class GraphNode:
    reference: str
    x: float
    y: float

    @property
    def label_y(self) -> float:
        """Where its label goes: under the circle."""
        return self.y + 30


@dataclass(frozen=True)
class GraphEdge:
    low: GraphNode
    high: GraphNode
    strength: str
    status: str


@dataclass
class Graph:
    width: int
    height: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    drawn: bool


@dataclass
class NetworkView:
    network: Network
    concerns: list[ConcernRow]
    people_at_risk: list[Thing]
    people_harming: list[Thing]
    others: list[Thing]
    vehicles: list[Thing]
    phones: list[Thing]
    places: list[Thing]
    accounts: list[Thing]
    links: list[LinkRow]
    timeline: list[TimelineEvent]
    graph: Graph
    alerts: list[Alert]

    @property
    def counts(self) -> dict[str, int]:
        """What the view shows, by count only: for the audit trail."""
        return {"concerns": len(self.concerns), "links": len(self.links), "alerts": len(self.alerts)}


def _details(identifier: Identifier) -> dict[str, Any]:
    try:
        details = json.loads(identifier.details or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def _thing_of(identifier: Identifier) -> tuple[str, str, list[str]]:
    """(what to group by, what to show, more to say) of one decrypted identifier."""
    details = _details(identifier)
    # A person with only a nickname is not "cleaned" either, and that is nothing to remark on.
    cleanable = identifier.kind != Kind.PERSON
    more = ["Kept as typed: it could not be cleaned"] if cleanable and not identifier.normalised else []
    if identifier.kind == Kind.PERSON:
        nicknames = [str(n) for n in details.get("nicknames") or [] if str(n).strip()]
        name = identifier.value.strip()
        shown = name or (f"Known as {nicknames[0]}" if nicknames else "No name given")
        if nicknames:
            more.append("Known as " + ", ".join(nicknames))
        low, high = details.get("born_low"), details.get("born_high")
        if isinstance(low, int) and isinstance(high, int):
            more.append(f"Born {low}" if low == high else f"Born between {low} and {high}")
        group = identifier.normal or name.lower() or "nick:" + ",".join(sorted(n.lower() for n in nicknames))
        return group, shown, more
    if identifier.kind == Kind.VEHICLE and identifier.normalised:
        return identifier.normal, registration_display(identifier.normal), more
    if identifier.kind == Kind.PLACE:
        words = [" ".join(str(details.get(p) or "").split()) for p in ("venue", "address", "postcode")]
        shown = ", ".join(w for w in words if w) or identifier.value
        return identifier.normal or shown.lower(), shown, more
    if identifier.kind == Kind.ACCOUNT:
        platform = str(details.get("platform_normal") or "")
        shown = f"{identifier.normal or identifier.value} on {platform_display(platform)}" if platform else ""
        return f"{platform}:{identifier.normal or identifier.value}", shown or identifier.value, more
    return identifier.normal or identifier.value, identifier.normal or identifier.value, more


def _things(identifiers: list[Identifier], references: dict[int, str], order: dict[int, int]) -> list[Thing]:
    grouped: dict[str, Thing] = {}
    for identifier in sorted(identifiers, key=lambda i: (order[i.concern_id], i.pk)):
        group, shown, more = _thing_of(identifier)
        thing = grouped.setdefault(group, Thing(kind=identifier.kind, value=shown))
        thing.more += [m for m in more if m not in thing.more]
        if references[identifier.concern_id] not in thing.concerns:
            thing.concerns.append(references[identifier.concern_id])
    # What most concerns mention first.
    return sorted(grouped.values(), key=lambda t: (-len(t.concerns), t.value.lower()))


def _reasons(link: Link) -> list[str]:
    try:
        loaded = json.loads(link.reasons or "[]")
    except ValueError:
        return []
    return [str(reason) for reason in loaded] if isinstance(loaded, list) else []


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def network_graph(references: dict[int, str], links: list[Link]) -> Graph:
    """Where to draw each concern and link: networkx's spring layout with a fixed seed, so the same
    network is always drawn the same way, scaled into a box with room for the labels."""
    import networkx as nx

    width, height, margin = 640, 420, 60
    if len(references) > GRAPH_MAX_NODES:
        return Graph(width, height, [], [], drawn=False)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(references))
    graph.add_edges_from((link.concern_low_id, link.concern_high_id) for link in links)
    positions = nx.spring_layout(graph, seed=9, iterations=100) if len(graph) > 1 else {}
    nodes: dict[int, GraphNode] = {}
    xs = [float(p[0]) for p in positions.values()] or [0.0]
    ys = [float(p[1]) for p in positions.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    for pk in sorted(references):
        x, y = positions.get(pk, (0.0, 0.0))
        nodes[pk] = GraphNode(
            reference=references[pk],
            x=round(margin + (float(x) - min(xs)) / span_x * (width - 2 * margin), 1),
            y=round(margin / 2 + (float(y) - min(ys)) / span_y * (height - 1.5 * margin), 1),
        )
    edges = [
        GraphEdge(nodes[link.concern_low_id], nodes[link.concern_high_id], link.strength, link.status)
        for link in links
        if link.concern_low_id in nodes and link.concern_high_id in nodes
    ]
    return Graph(width, height, list(nodes.values()), edges, drawn=True)


def network_view(network: Network) -> NetworkView:
    """Everything an analyst's page shows of one network, decrypted: the caller audits the showing."""
    member_ids = list(network.members.values_list("concern_id", flat=True))
    concerns = list(Concern.objects.filter(pk__in=member_ids).order_by("received_at", "pk"))
    references = {c.pk: c.reference for c in concerns}
    order = {c.pk: n for n, c in enumerate(concerns)}
    teams: dict[int, list[str]] = defaultdict(list)
    for concern_id, name in (
        ConcernRoute.objects.filter(concern_id__in=member_ids, team__isnull=False)
        .order_by("team__name")
        .values_list("concern_id", "team__name")
    ):
        if name not in teams[concern_id]:
            teams[concern_id].append(name)
    rows = [
        ConcernRow(c.pk, c.reference, c.received_at, c.get_source_display(), teams.get(c.pk, []))
        for c in concerns
    ]
    identifiers = list(
        Identifier.objects.filter(concern_id__in=member_ids, status=Identifier.Status.ACTIVE).order_by("pk")
    )

    def of(kind: str, *roles: str) -> list[Thing]:
        chosen = [i for i in identifiers if i.kind == kind and (not roles or i.role in roles)]
        return _things(chosen, references, order)

    links = list(
        Link.objects.filter(concern_low_id__in=member_ids, concern_high_id__in=member_ids)
        .select_related("decided_by")
        .order_by("concern_low__received_at", "concern_high__received_at", "pk")
    )
    link_rows = [
        LinkRow(link, references[link.concern_low_id], references[link.concern_high_id], _reasons(link))
        for link in links
    ]
    alerts = list(network.alerts.select_related("assigned_to").order_by("raised_at", "pk"))
    events = [
        TimelineEvent(c.received_at, f"Concern {c.reference} received", "", c.get_source_display())
        for c in concerns
    ]
    for link in links:
        if link.decided_at is not None and link.status != Link.Status.OPEN:
            events.append(
                TimelineEvent(
                    link.decided_at,
                    f"Link between {references[link.concern_low_id]} and {references[link.concern_high_id]} "
                    f"{link.get_status_display().lower()}",
                    _who(link.decided_by),
                    link.decision_reason,
                )
            )
    for alert in alerts:
        raised = TimelineEvent(alert.raised_at, f"Alert {alert.pk} raised", "", alert.reason)
        events.append(raised)
        if alert.closed_at is not None:
            events.append(TimelineEvent(alert.closed_at, f"Alert {alert.pk} closed", "", alert.outcome))
    events.sort(key=lambda e: e.at, reverse=True)
    drawn = [link for link in links if link.status != Link.Status.REJECTED]
    return NetworkView(
        network=network,
        concerns=rows,
        people_at_risk=of(Kind.PERSON, Role.AT_RISK),
        people_harming=of(Kind.PERSON, Role.HARMING),
        others=of(Kind.PERSON, Role.OTHER),
        vehicles=of(Kind.VEHICLE),
        phones=of(Kind.PHONE),
        places=of(Kind.PLACE),
        accounts=of(Kind.ACCOUNT),
        links=link_rows,
        timeline=events,
        graph=network_graph(references, drawn),
        alerts=alerts,
    )


def network_current(network: Network) -> Network | None:
    """The active network that now holds what `network` held (itself, or what it merged into)."""
    seen = set()
    while network is not None and not network.active and network.pk not in seen:
        seen.add(network.pk)
        network = network.merged_into  # type: ignore[assignment]  # None ends the walk
    return network if network is not None and network.active else None


def link_networks(link: Link) -> list[Network]:
    """The active networks either concern of the link is in."""
    return list(
        Network.objects.filter(
            active=True, members__concern_id__in=[link.concern_low_id, link.concern_high_id]
        ).distinct()
    )


def link_networks_of(concern: Concern) -> list[Network]:
    """The active networks a concern is in (for an analyst's link from the triage page)."""
    return list(Network.objects.filter(active=True, members__concern=concern).order_by("pk"))


def link_reasons(link: Link) -> list[str]:
    return _reasons(link)


# --- Hotspots ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hotspot:
    value: str
    concerns: int
    first: datetime.datetime
    last: datetime.datetime


def hotspots(*, since: datetime.datetime | None, kinds: Iterable[str]) -> dict[str, list[Hotspot]]:
    """The places, vehicles, phones and accounts across the most concerns received since `since` (all
    time when None), by kind: counted on blind indexes in SQL, then one identifier of each decrypted."""
    found: dict[str, list[Hotspot]] = {}
    for name in kinds:
        key_kinds = HOTSPOT_KINDS[name][1]
        keys = IdentifierKey.objects.filter(kind__in=key_kinds, identifier__status=Identifier.Status.ACTIVE)
        if since is not None:
            keys = keys.filter(concern__received_at__gte=since)
        top = list(
            keys.values("kind", "index")
            .annotate(
                n=Count("concern", distinct=True),
                first=Min("concern__received_at"),
                last=Max("concern__received_at"),
                example=Min("identifier_id"),
            )
            .filter(n__gte=2)
            .order_by("-n", "-last")[:HOTSPOTS_PER_KIND]
        )
        examples = Identifier.objects.in_bulk([row["example"] for row in top])
        spots, seen = [], set()
        for row in top:
            identifier = examples.get(row["example"])
            if identifier is None:
                continue
            shown = _thing_of(identifier)[1]
            if shown in seen:  # a place's postcode and its venue can name the same place
                continue
            seen.add(shown)
            spots.append(Hotspot(shown, row["n"], row["first"], row["last"]))
        found[name] = spots
    return found


# --- Alerts ------------------------------------------------------------------------------------------


def alert_queue(*, show: str) -> QuerySet[Alert]:
    """The exploitation team's alerts with this status filter, oldest unhandled first."""
    statuses = ALERT_FILTERS.get(show, ALERT_FILTERS["open"])
    order = ["-closed_at", "-pk"] if show == "closed" else ["raised_at", "pk"]
    return (
        Alert.objects.filter(status__in=statuses)
        .select_related("assigned_to", "team", "network")
        .annotate(concerns=Count("network__members", distinct=True))
        .order_by(*order)
    )


def alert_counts() -> dict[str, int]:
    counts = dict(Alert.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {name: sum(counts.get(s, 0) for s in statuses) for name, statuses in ALERT_FILTERS.items()}


def exploitation_team() -> Team | None:
    """The team alerts go to (the first of kind exploitation), as alerts_raise chooses it."""
    return Team.objects.filter(kind=Team.Kind.EXPLOITATION).order_by("pk").first()


def team_members(team: Team) -> list[Any]:
    return list(team.members.filter(is_active=True).order_by("first_name", "last_name", "username"))


# --- What a triage worker may know -------------------------------------------------------------------


@dataclass(frozen=True)
class LinkSummary:
    """Only that a concern is linked: how many other concerns, earlier and later, and whom to ask.
    No reference, value or reason of any other concern."""

    earlier: int
    later: int
    team: Team | None
    contacts: list[Any]

    @property
    def linked(self) -> bool:
        return bool(self.earlier or self.later)


def concern_link_summary(concern: Concern) -> LinkSummary:
    """How many other concerns may involve the same people or things as `concern`: those joined to it
    by a probable or confirmed link, or in its network. Counted from ids and dates; nothing decrypted."""
    pk = concern.pk
    others: set[int] = set()
    for low, high in Link.objects.filter(JOINING, Q(concern_low_id=pk) | Q(concern_high_id=pk)).values_list(
        "concern_low_id", "concern_high_id"
    ):
        others.add(high if low == pk else low)
    networks = NetworkMember.objects.filter(concern_id=pk, network__active=True).values("network_id")
    others.update(NetworkMember.objects.filter(network_id__in=networks).values_list("concern_id", flat=True))
    others.discard(pk)
    received = list(Concern.objects.filter(pk__in=others).values_list("pk", "received_at"))
    earlier = sum(1 for other, at in received if (at, other) < (concern.received_at, pk))
    team = exploitation_team() if others else None
    return LinkSummary(
        earlier=earlier,
        later=len(received) - earlier,
        team=team,
        contacts=team_members(team)[:5] if team is not None else [],
    )


def today_minus(*, months: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=round(months * 30.44))
