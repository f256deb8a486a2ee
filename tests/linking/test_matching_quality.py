"""How well linking finds the planted networks of a synthetic population: precision and recall of
probable links, measured through the real path (concerns submitted, each linked as it arrives).

The targets of the benchmark (bench/linking.py, on a million concerns) are precision at least 0.95 and
recall at least 0.9; this smaller set is held to the same. Run with -s to see the numbers. A pair whose
only true link is a misread plate or a nickname can only ever be possible, so it counts against recall.
"""

import itertools

import pytest

from safeguarding.linking.models import Link, NetworkMember
from safeguarding.linking.services import concern_link
from tests.concerns.factories import ConcernFactory
from tests.linking.synthetic import population, truly_linked

pytestmark = pytest.mark.django_db


def test_probable_links_find_the_planted_networks_and_little_else():
    planted = population(seed=9, networks=12, background=160)
    concerns = {}
    for item in planted:
        concern = ConcernFactory(received_at=item.received_at, **item.answers)
        concerns[concern.pk] = item
        concern_link(concern_id=concern.pk)
    truth = {
        (min(a, b), max(a, b))
        for a, b in itertools.combinations(concerns, 2)
        if truly_linked(concerns[a], concerns[b])
    }
    probable = set(
        Link.objects.filter(strength__in=["probable", "confirmed"]).values_list(
            "concern_low_id", "concern_high_id"
        )
    )
    possible = set(Link.objects.filter(strength="possible").values_list("concern_low_id", "concern_high_id"))
    found = probable & truth
    precision = len(found) / len(probable)
    recall = len(found) / len(truth)
    in_network = {m.concern_id: m.network_id for m in NetworkMember.objects.filter(network__active=True)}
    grouped = sum(1 for pk, item in concerns.items() if item.network is not None and pk in in_network)
    planted_total = sum(1 for item in concerns.values() if item.network is not None)
    strays = sum(1 for pk, item in concerns.items() if item.network is None and pk in in_network)
    print(
        f"\n{len(concerns)} concerns, {len(truth)} true pairs; probable links {len(probable)}: "
        f"precision {precision:.3f}, recall {recall:.3f}; possible links {len(possible)} "
        f"({len(possible & truth)} true); planted concerns in a network {grouped}/{planted_total}; "
        f"background concerns in a network {strays}"
    )
    assert precision >= 0.95
    assert recall >= 0.9
    background = len(concerns) - planted_total
    assert strays <= 0.02 * background  # a common name with a compatible age, now and then
