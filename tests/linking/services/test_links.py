"""Incremental linking and analysts' decisions: links written with their reasons, decisions kept."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import ConcernPhone
from safeguarding.linking.models import Link
from safeguarding.linking.services import concern_link, link_confirm, link_reject
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _linked(**answers):
    concern = ConcernFactory(**answers)
    concern_link(concern_id=concern.pk)
    return concern


def _link(a, b) -> Link:
    return Link.objects.get(concern_low=min(a.pk, b.pk), concern_high=max(a.pk, b.pk))


@pytest.fixture
def analyst():
    return UserFactory(viewer=True)


def test_a_new_concern_is_linked_to_earlier_ones_with_reasons_and_one_audit_event_without_values():
    first = _linked(phones=["07700 900201"], vehicles=["FT61 TXA"])
    before = AuditEvent.objects.count()
    second = _linked(phones=["+44 7700 900201"], vehicles=["ft61txa"])
    link = _link(first, second)
    assert (link.strength, link.status) == ("probable", "open")
    assert json.loads(link.reasons) == [
        "same phone +447700900201 in both",
        "same registration FT61 TXA in both",
    ]
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    linking = [e for e in events if e.summary == f"Concern {second.reference} linked"]
    assert len(linking) == 1
    recorded = json.dumps([linking[0].summary, linking[0].data, linking[0].changes])
    assert "900201" not in recorded
    assert "FT61" not in recorded.upper()
    assert linking[0].data["linking"]["links"] == {"created": 1}


def test_a_concern_that_shares_nothing_makes_no_link():
    _linked(phones=["07700 900202"])
    _linked(phones=["07700 900203"], places=[{"postcode": "NE1 4ST"}])
    _linked(places=[{"postcode": "NE1 7RU"}])  # the same district only
    assert not Link.objects.exists()


def test_a_concern_gone_before_its_turn_is_skipped():
    assert concern_link(concern_id=987654) is None


def test_confirming_makes_the_link_confirmed_audited_with_the_reason_kept_encrypted(analyst):
    a, b = _linked(phones=["07700 900204"]), _linked(phones=["07700900204"])
    before = AuditEvent.objects.count()
    link = link_confirm(link=_link(a, b), by=analyst, reason="Same man, per the police intelligence log.")
    assert (link.strength, link.status, link.decided_by) == ("confirmed", "confirmed", analyst)
    event = AuditEvent.objects.get(sequence__gt=before, target_type="linking.link")
    assert event.actor_id == analyst.pk
    assert "intelligence" not in json.dumps([event.summary, event.data, event.changes])
    from tests.concerns.conftest import database_text

    assert "intelligence log" not in database_text()


def test_a_confirmed_link_stays_confirmed_when_the_concern_is_linked_again(analyst):
    a, b = _linked(phones=["07700 900205"]), _linked(phones=["07700900205"])
    link_confirm(link=_link(a, b), by=analyst, reason="Known to the team.")
    ConcernPhone.objects.filter(concern=b).update(number="07700 900206")  # the evidence goes
    concern_link(concern_id=b.pk)
    link = _link(a, b)
    assert (link.strength, link.status, json.loads(link.reasons)) == ("confirmed", "confirmed", [])


def test_an_open_link_goes_when_its_evidence_goes():
    a, b = _linked(phones=["07700 900207"]), _linked(phones=["07700900207"])
    ConcernPhone.objects.filter(concern=b).update(number="07700 900208")
    run = concern_link(concern_id=b.pk)
    assert run.links == {"removed": 1}
    assert not Link.objects.filter(concern_low=a, concern_high=b).exists()


def test_a_rejected_link_stays_rejected_and_comes_back_only_with_new_evidence_saying_so(analyst):
    a = _linked(phones=["07700 900209"])
    b = _linked(phones=["07700900209"])
    link_reject(link=_link(a, b), by=analyst, reason="A shared family phone, not the same man.")
    concern_link(concern_id=b.pk)
    concern_link(concern_id=a.pk)
    assert (_link(a, b).status, _link(a, b).new_evidence_since_rejection) == ("rejected", False)
    # New evidence: the same car turns up in both.
    from safeguarding.concerns.models import ConcernVehicle

    ConcernVehicle.objects.create(concern=a, registration="FT62 TXB")
    ConcernVehicle.objects.create(concern=b, registration="FT62TXB")
    concern_link(concern_id=b.pk)  # refreshes b's identifiers; a's are refreshed when a is linked
    assert _link(a, b).status == "rejected"
    concern_link(concern_id=a.pk)
    link = _link(a, b)
    assert (link.status, link.strength, link.new_evidence_since_rejection) == ("open", "probable", True)
    assert "same registration FT62 TXB in both" in json.loads(link.reasons)
    # Rejected again on this evidence, it stays rejected, and evidence merely going away reopens nothing.
    link_reject(link=link, by=analyst, reason="Still not the same man.")
    ConcernVehicle.objects.filter(concern=b).delete()
    concern_link(concern_id=b.pk)
    link = _link(a, b)
    assert (link.status, link.new_evidence_since_rejection) == ("rejected", False)


def test_a_decision_needs_a_reason(analyst):
    a, b = _linked(phones=["07700 900210"]), _linked(phones=["07700900210"])
    with pytest.raises(ValidationError) as error:
        link_reject(link=_link(a, b), by=analyst, reason="   ")
    assert error.value.message_dict == {"reason": ["Enter the reason for your decision"]}
    with pytest.raises(ValidationError) as error:
        link_confirm(link=_link(a, b), by=analyst, reason="x" * 2001)
    assert error.value.message_dict == {"reason": ["The reason must be 2,000 characters or fewer"]}
    assert _link(a, b).status == "open"


@override_settings(LINKING_KEY_MAX_CONCERNS=2)
def test_a_name_shared_by_too_many_concerns_finds_no_candidates_but_a_phone_always_does():
    people = [{"role": "at_risk", "name": "Kacey Fictional", "age": "15"}]
    first, second = _linked(people=people), _linked(people=people)
    assert _link(first, second).strength == "probable"
    third = _linked(people=people)  # the third concern with this name: too common to block on
    assert not Link.objects.filter(concern_high=third).exists()
    phones = [_linked(phones=["07700 900211"]) for _ in range(4)]
    assert Link.objects.filter(concern_high=phones[-1]).count() == 3
