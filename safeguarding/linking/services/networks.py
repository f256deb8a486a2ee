"""Changes to what linking knows. This module: networks, the connected components of concerns joined by
probable or confirmed links (networkx), recomputed around the concerns whose links changed.

A network keeps its identity while it grows: of the networks a new component overlaps, the one with
the most members in common (the older on a tie) continues, and the others become inactive, pointing to
it (`merged_into`) with their alerts moved to it. A network that splits keeps its identity in its
larger part. A lone concern is not a network.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ..models import Alert, Link, Network, NetworkMember

_CHUNK = 500
# The links that join concerns into a network: confirmed by an analyst, or probable and not rejected.
JOINING = Q(status=Link.Status.CONFIRMED) | Q(status=Link.Status.OPEN, strength=Link.Strength.PROBABLE)


@dataclass
class NetworkChange:
    """What a recompute did, by id: the networks of the components it looked at, those made or whose
    members changed, and those made inactive (merged, split away to nothing, or emptied)."""

    networks: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _neighbours(nodes: set[int]) -> tuple[list[tuple[int, int]], set[int]]:
    """The joining links of these concerns, and the fellow members of their active networks."""
    edges: list[tuple[int, int]] = []
    fellows: set[int] = set()
    for part in _chunks(nodes):
        edges += Link.objects.filter(JOINING, Q(concern_low__in=part) | Q(concern_high__in=part)).values_list(
            "concern_low_id", "concern_high_id"
        )
        networks = NetworkMember.objects.filter(concern_id__in=part, network__active=True).values(
            "network_id"
        )
        fellows.update(
            NetworkMember.objects.filter(network_id__in=networks).values_list("concern_id", flat=True)
        )
    return edges, fellows


def _signature(members: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(pk) for pk in sorted(members)).encode()).hexdigest()


def networks_recompute(*, concern_ids: Iterable[int]) -> NetworkChange:
    """Recompute the networks around these concerns: every concern reachable from them through joining
    links, and every member of a network any of them was in."""
    seen = set(concern_ids)
    change = NetworkChange()
    if not seen:
        return change
    with transaction.atomic():
        graph = nx.Graph()
        graph.add_nodes_from(seen)
        frontier = set(seen)
        while frontier:
            edges, fellows = _neighbours(frontier)
            graph.add_edges_from(edges)
            found = {pk for edge in edges for pk in edge} | fellows
            graph.add_nodes_from(found)
            frontier = found - seen
            seen |= found
        components = [set(c) for c in nx.connected_components(graph) if len(c) >= 2]
        existing: dict[int, set[int]] = {}
        for part in _chunks(seen):
            for network_id, concern_id in NetworkMember.objects.filter(
                concern_id__in=part, network__active=True
            ).values_list("network_id", "concern_id"):
                existing.setdefault(network_id, set()).add(concern_id)
        sizes = dict(Network.objects.filter(pk__in=existing).values_list("pk", "size"))
        _assign(components, existing, sizes, change)
    return change


def _assign(
    components: list[set[int]], existing: dict[int, set[int]], sizes: dict[int, int], change: NetworkChange
) -> None:
    # The greatest overlaps first; on a tie, the older network keeps its identity.
    overlaps = sorted(
        (-len(component & members), network_id, index)
        for index, component in enumerate(components)
        for network_id, members in existing.items()
        if component & members
    )
    owner: dict[int, int] = {}  # component index -> network id
    taken: set[int] = set()
    for _, network_id, index in overlaps:
        if index not in owner and network_id not in taken:
            owner[index] = network_id
            taken.add(network_id)
    now = timezone.now()
    for index, component in enumerate(components):
        kept = owner.get(index)
        if kept is None:
            network = Network.objects.create(signature=_signature(component), size=len(component))
            NetworkMember.objects.bulk_create(
                NetworkMember(network=network, concern_id=pk) for pk in component
            )
            owner[index] = network.pk
            change.changed.append(network.pk)
        elif existing[kept] != component or sizes.get(kept) != len(component):
            NetworkMember.objects.filter(network_id=kept).exclude(concern_id__in=component).delete()
            NetworkMember.objects.bulk_create(
                NetworkMember(network_id=kept, concern_id=pk) for pk in component - existing[kept]
            )
            Network.objects.filter(pk=kept).update(
                signature=_signature(component), size=len(component), updated_at=now
            )
            change.changed.append(kept)
        change.networks.append(owner[index])
    for network_id, members in existing.items():
        if network_id in taken:
            continue
        # Merged into the network that took most of its members, or left with fewer than two.
        into = max(
            ((len(members & component), -owner[index]) for index, component in enumerate(components)),
            default=(0, 0),
        )
        target = -into[1] if into[0] else None
        NetworkMember.objects.filter(network_id=network_id).delete()
        Network.objects.filter(pk=network_id).update(
            active=False, size=0, merged_into_id=target, updated_at=now
        )
        if target is not None:
            _alerts_move(network_id, target)
        change.closed.append(network_id)
    change.networks.sort()
    change.changed.sort()
    change.closed.sort()


def _alerts_move(source: int, target: int) -> None:
    """Alerts of a merged network go with its members, unless the same finding is already raised there."""
    raised = set(Alert.objects.filter(network_id=target).values_list("finding", flat=True))
    Alert.objects.filter(network_id=source).exclude(finding__in=raised).update(network_id=target)


def networks_stale() -> list[int]:
    """Active networks whose members no longer number what they did: a member concern was deleted at
    the end of its retention period (its membership went by cascade)."""
    return list(
        Network.objects.filter(active=True)
        .annotate(members_now=Count("members"))
        .exclude(members_now=F("size"))
        .values_list("pk", flat=True)
    )


def networks_recompute_stale() -> NetworkChange:
    """Recompute every stale network around its remaining members; one emptied is made inactive."""
    stale = networks_stale()
    if not stale:
        return NetworkChange()
    members = set(NetworkMember.objects.filter(network_id__in=stale).values_list("concern_id", flat=True))
    change = networks_recompute(concern_ids=members)
    now = timezone.now()
    for network_id in stale:
        if network_id not in change.networks and network_id not in change.closed:
            NetworkMember.objects.filter(network_id=network_id).delete()
            Network.objects.filter(pk=network_id).update(active=False, size=0, updated_at=now)
            change.closed.append(network_id)
    return change
