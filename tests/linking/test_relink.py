"""`manage.py relink`: every link rebuilt from scratch gives what linking each concern as it came gave."""

import io
import json

import pytest
from django.core.management import call_command

from safeguarding.audit.models import AuditEvent
from safeguarding.linking.models import Alert, Link, Network
from safeguarding.linking.services import concern_link, link_confirm, link_reject
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory
from tests.linking.synthetic import population

pytestmark = pytest.mark.django_db


def _links() -> dict[tuple[int, int], tuple]:
    return {
        (link.concern_low_id, link.concern_high_id): (
            link.strength,
            link.status,
            link.score,
            json.loads(link.reasons),
            link.evidence,
        )
        for link in Link.objects.all()
    }


def _networks() -> set[frozenset[int]]:
    return {
        frozenset(network.members.values_list("concern_id", flat=True))
        for network in Network.objects.filter(active=True)
    }


def test_relink_from_scratch_gives_the_links_and_networks_of_linking_one_by_one():
    for item in population(seed=3, networks=5, background=40):
        concern = ConcernFactory(received_at=item.received_at, **item.answers)
        concern_link(concern_id=concern.pk)
    incremental_links, incremental_networks = _links(), _networks()
    assert len(incremental_links) > 20
    Alert.objects.all().delete()
    Link.objects.all().delete()
    Network.objects.all().delete()
    stderr, stdout = io.StringIO(), io.StringIO()
    call_command("relink", "--chunk", "7", stdout=stdout, stderr=stderr)
    assert _links() == incremental_links
    assert _networks() == incremental_networks
    assert "concerns" in stderr.getvalue()
    assert "100%" in stderr.getvalue()
    assert stdout.getvalue().startswith(
        f"Relinked {len(population(seed=3, networks=5, background=40))} concerns"
    )


def test_relink_keeps_analysts_decisions_and_writes_one_audit_event():
    analyst = UserFactory(viewer=True)
    concerns = [ConcernFactory(phones=["07700 900601"]) for _ in range(3)]
    for concern in concerns:
        concern_link(concern_id=concern.pk)
    first, second, _third = Link.objects.order_by("pk")
    link_confirm(link=first, by=analyst, reason="Known to the team.")
    link_reject(link=second, by=analyst, reason="A shared phone.")
    before_links, before = _links(), AuditEvent.objects.count()
    call_command("relink", stdout=io.StringIO(), stderr=io.StringIO())
    assert _links() == before_links
    [event] = AuditEvent.objects.filter(sequence__gt=before)
    assert event.summary == "Every link rebuilt (relink)"
    assert event.data["linking"]["concerns"] == 3
    assert "900601" not in json.dumps(event.data)
