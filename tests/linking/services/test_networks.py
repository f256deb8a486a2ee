"""Networks: connected components of probable and confirmed links, keeping their identity as they grow."""

import datetime

import pytest
from django.utils import timezone

from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import concern_delete_expired
from safeguarding.linking.models import Alert, Link, Network
from safeguarding.linking.services import concern_link, link_confirm, link_reject
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _linked(**answers):
    concern = ConcernFactory(**answers)
    concern_link(concern_id=concern.pk)
    return concern


def _members(network: Network) -> set[int]:
    return set(network.members.values_list("concern_id", flat=True))


def _active() -> list[Network]:
    return list(Network.objects.filter(active=True).order_by("pk"))


def test_a_network_keeps_its_identity_while_it_grows():
    a, b = _linked(phones=["07700 900301"]), _linked(phones=["07700900301"])
    [network] = _active()
    assert (_members(network), network.size) == ({a.pk, b.pk}, 2)
    c = _linked(phones=["+447700900301"], vehicles=["FT63 TXC"])
    d = _linked(vehicles=["ft63txc"])
    [grown] = _active()
    assert grown.pk == network.pk
    assert (_members(grown), grown.size) == ({a.pk, b.pk, c.pk, d.pk}, 4)


def test_possible_links_and_lone_concerns_make_no_network():
    _linked(vehicles=["AB12 CDE"])
    _linked(vehicles=["A812 CDE"])  # a misread plate: possible
    _linked(phones=["07700 900302"])
    assert Link.objects.get().strength == "possible"
    assert _active() == []


def test_merging_networks_keeps_the_larger_one_and_moves_its_alerts():
    big = [_linked(phones=["07700 900303"]) for _ in range(3)]
    small = [_linked(vehicles=["FT64 TXD"]) for _ in range(2)]
    larger, smaller = _active()
    assert (_members(larger), _members(smaller)) == ({c.pk for c in big}, {c.pk for c in small})
    team = larger.alerts.model._meta.get_field("team").related_model.objects.get(slug="exploitation")
    moved = Alert.objects.create(network=smaller, team=team, reason="A fictional alert.", finding="f" * 64)
    _linked(phones=["07700900303"], vehicles=["ft64txd"])  # joins the two
    [merged] = _active()
    assert merged.pk == larger.pk
    assert len(_members(merged)) == 6
    smaller.refresh_from_db()
    assert (smaller.active, smaller.merged_into_id, smaller.size) == (False, larger.pk, 0)
    moved.refresh_from_db()
    assert moved.network_id == larger.pk


def test_rejecting_the_bridge_splits_the_network_and_the_larger_part_keeps_it():
    analyst = UserFactory(viewer=True)
    three = [_linked(phones=["07700 900304"]) for _ in range(3)]
    bridge = _linked(phones=["07700 900304"], vehicles=["FT65 TXE"])
    other = _linked(vehicles=["FT65TXE"])
    [network] = _active()
    link = Link.objects.get(concern_low=bridge, concern_high=other)
    link_reject(link=link, by=analyst, reason="A different car, misheard.")
    [kept] = _active()
    assert kept.pk == network.pk
    assert _members(kept) == {c.pk for c in three} | {bridge.pk}
    link_confirm(link=Link.objects.get(pk=link.pk), by=analyst, reason="The same car after all.")
    [rejoined] = _active()
    assert (rejoined.pk, len(_members(rejoined))) == (network.pk, 5)


def test_retention_deletion_recomputes_the_networks_of_the_deleted_concern(
    django_capture_on_commit_callbacks,
):
    a = _linked(phones=["07700 900305"])
    b = _linked(phones=["07700900305"], vehicles=["FT66 TXF"])
    c = _linked(vehicles=["ft66txf"])
    [network] = _active()
    assert _members(network) == {a.pk, b.pk, c.pk}
    Concern.objects.filter(pk=b.pk).update(retain_until=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        concern_delete_expired(pk=b.pk)
    # b held the network together: its links went with it, and what is left is two lone concerns.
    assert not Link.objects.filter(pk__isnull=False).exists()
    network.refresh_from_db()
    assert (network.active, network.size) == (False, 0)
    assert _active() == []
