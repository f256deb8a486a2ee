"""The scenario of issue 9: five concerns from three sources over eighteen months, one car written three
ways, one phone written two ways and a nickname, about three different young people, make one network
and one alert, every link explained; a concern sharing only a common first name is not drawn in.
Then an analyst's rejection, new evidence, and a retention deletion."""

import datetime
import json

import pytest
from django.utils import timezone

from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import concern_delete_expired
from safeguarding.linking.models import Alert, Link, Network
from safeguarding.linking.services import link_reject
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 1, 13, 10, 0, tzinfo=datetime.UTC)


def _sent(days: int, source: str, people: list[dict], **answers) -> Concern:
    return ConcernFactory(
        source=source, received_at=START + datetime.timedelta(days=days), people=people, **answers
    )


def _zeph(**more) -> dict:
    return {"role": "harming", "nicknames": "Zeph", **more}


@pytest.fixture
def concerns(django_capture_on_commit_callbacks):
    """Sent one by one; each is linked through the task queue as its transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        report = _sent(
            0,
            "public",
            [{"role": "at_risk", "name": "Tia Fictional", "age": "14"}, _zeph()],
            vehicles=["KX19 FTV"],
            phones=["07700 900777"],
        )
        referral = _sent(
            120,
            "professional",
            [{"role": "at_risk", "name": "Maya Madeup", "age": "15"}, _zeph()],
            vehicles=["kx19ftv"],
        )
        api = _sent(
            240,
            "api",
            [{"role": "at_risk", "name": "Skye Notreal", "date_of_birth": "2010-06-01"}, _zeph()],
            phones=["+44 7700 900777"],
        )
        again = _sent(
            400, "public", [{"role": "at_risk", "name": "Tia Fictional", "age": "15"}], vehicles=["KX-19-FTV"]
        )
        latest = _sent(
            530,
            "professional",
            [{"role": "at_risk", "name": "Maya Madeup", "age": "16"}, _zeph()],
            phones=["07700900777"],
        )
        unrelated = _sent(
            300,
            "public",
            [{"role": "at_risk", "name": "Tia Somebody", "age": "14"}],
            places=[{"venue": "Pretend Parade", "postcode": "NE6 1ZZ"}],
        )
    return [report, referral, api, again, latest], unrelated


def _reasons(link: Link) -> list[str]:
    return json.loads(link.reasons)


def test_five_concerns_make_one_network_and_one_alert_every_link_explained(concerns):
    five, unrelated = concerns
    assert {c.source for c in five} == {"public", "professional", "api"}
    assert (five[-1].received_at - five[0].received_at).days <= 548
    [network] = Network.objects.filter(active=True)
    assert set(network.members.values_list("concern_id", flat=True)) == {c.pk for c in five}
    links = list(Link.objects.filter(concern_low__in=five, concern_high__in=five))
    assert all(_reasons(link) for link in links)
    reasons = {reason for link in links for reason in _reasons(link)}
    assert "same registration KX19 FTV in both" in reasons
    assert "same phone +447700900777 in both" in reasons
    assert "same nickname Zeph in both, no age to compare" in reasons
    [alert] = Alert.objects.all()
    assert alert.network == network
    assert alert.team.kind == "exploitation"
    references = [c.reference for c in sorted(five, key=lambda c: c.received_at)]
    assert alert.reason == (
        "3 different people at risk, in 5 concerns received between January 2025 and June 2026, are linked "
        "to the same phone +447700900777 and vehicle KX19 FTV "
        f"(concerns {', '.join(references[:-1])} and {references[-1]})."
    )
    # The concern sharing only the common first name "Tia" is at most possibly linked, in no network.
    assert not Link.objects.filter(concern_low=unrelated, strength__in=["probable", "confirmed"]).exists()
    assert not Link.objects.filter(concern_high=unrelated, strength__in=["probable", "confirmed"]).exists()
    assert not network.members.filter(concern_id=unrelated.pk).exists()
    others = Link.objects.filter(concern_high=unrelated) | Link.objects.filter(concern_low=unrelated)
    assert {link.strength for link in others} <= {"possible"}


def test_a_rejected_link_stays_rejected_until_new_evidence_and_then_says_so(
    concerns, django_capture_on_commit_callbacks
):
    (report, referral, *_), _ = concerns
    link = Link.objects.get(concern_low=report, concern_high=referral)
    link_reject(link=link, by=UserFactory(viewer=True), reason="The car was sold between the two reports.")
    with django_capture_on_commit_callbacks(execute=True):
        ConcernFactory(people=[_zeph()], vehicles=["KX19 FTV"])  # more of the same: no new evidence
    link.refresh_from_db()
    assert (link.status, link.new_evidence_since_rejection) == ("rejected", False)
    with django_capture_on_commit_callbacks(execute=True):
        referral_phone = referral.phones.model.objects.create(concern=referral, number="07700 900777")
        from safeguarding.linking.services import concern_link

        concern_link(concern_id=referral.pk)
    link.refresh_from_db()
    assert referral_phone.pk
    assert (link.status, link.new_evidence_since_rejection) == ("open", True)
    assert "same phone +447700900777 in both" in _reasons(link)


def test_retention_deletion_removes_the_concerns_links_and_recomputes_its_network(
    concerns, django_capture_on_commit_callbacks
):
    five, _ = concerns
    report = five[0]
    [network] = Network.objects.filter(active=True)
    Concern.objects.filter(pk=report.pk).update(
        retain_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        concern_delete_expired(pk=report.pk)
    assert not Link.objects.filter(concern_low=report.pk).exists()
    network.refresh_from_db()
    assert network.active
    assert network.size == 4
    assert set(network.members.values_list("concern_id", flat=True)) == {c.pk for c in five[1:]}


def test_no_identifier_reason_or_finding_is_stored_in_plain_text(concerns):
    from tests.concerns.conftest import database_text

    assert Link.objects.exists()
    assert Alert.objects.exists()
    text = database_text()
    for plain in ["KX19", "kx19", "+447700900777", "900777", "Zeph", "zeph", "Tia Fictional", "Maya Madeup"]:
        assert plain not in text
    assert "same registration" not in text
    assert "different people at risk" not in text
