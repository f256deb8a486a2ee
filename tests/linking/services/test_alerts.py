"""Alerts: different people at risk linked to the same person, vehicle, phone, place or account."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Team
from safeguarding.linking.models import Alert, Link, Network
from safeguarding.linking.services import (
    alert_acknowledge,
    alert_assign,
    alert_close,
    concern_link,
    link_reject,
)
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.UTC)


def _linked(person: dict, days: int = 0, **answers):
    concern = ConcernFactory(
        received_at=START + datetime.timedelta(days=days), people=[{"role": "at_risk", **person}], **answers
    )
    concern_link(concern_id=concern.pk)
    return concern


@pytest.fixture
def team():
    return Team.objects.get(kind=Team.Kind.EXPLOITATION)


def test_two_different_people_at_risk_and_one_car_raise_one_alert_for_the_team(
    team, django_capture_on_commit_callbacks
):
    members = [TeamMemberFactory(teams=[team], viewer=True) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        first = _linked({"name": "Tia Fictional", "age": "14"}, vehicles=["FT67 TXG"])
        second = _linked({"name": "Maya Madeup", "age": "15"}, days=40, vehicles=["ft67 txg"])
        third = _linked({"name": "Skye Notreal", "age": "15"}, days=90, vehicles=["FT67TXG"])
    [alert] = Alert.objects.all()
    assert (alert.team, alert.status, alert.network.size) == (team, "new", 3)
    assert alert.reason == (
        f"3 different people at risk, in 3 concerns received between March 2025 and June 2025, are linked "
        f"to the same vehicle FT67 TXG (concerns {first.reference}, {second.reference} and "
        f"{third.reference})."
    )
    # Each member is told once, without a word of what the alert is about.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    everything = " ".join(m.subject + m.body for m in mail.outbox)
    assert "FT67" not in everything
    assert "Tia" not in everything
    assert first.reference not in everything
    assert "/staff/alerts/" in everything


def test_the_same_person_at_risk_in_two_concerns_raises_nothing():
    _linked({"name": "Mohammed Ali", "date_of_birth": "2010-02-03"}, phones=["07700 900401"])
    _linked({"name": "Muhammad Aly", "date_of_birth": "2010-02-03"}, days=30, phones=["07700900401"])
    assert Link.objects.get().strength == "probable"
    assert not Alert.objects.exists()


@override_settings(LINKING_ALERT_WINDOW_DAYS=60)
def test_people_at_risk_further_apart_than_the_window_raise_nothing():
    _linked({"name": "Tia Fictional", "age": "14"}, phones=["07700 900402"])
    _linked({"name": "Maya Madeup", "age": "15"}, days=61, phones=["07700 900402"])
    assert Link.objects.get().strength == "probable"
    assert not Alert.objects.exists()
    _linked({"name": "Skye Notreal", "age": "15"}, days=100, phones=["07700 900402"])
    assert Alert.objects.count() == 1


def test_a_rejected_link_joins_nothing_and_raises_nothing():
    analyst = UserFactory(viewer=True)
    a = _linked({"name": "Tia Fictional", "age": "14"}, phones=["07700 900403"])
    b = _linked({"name": "Maya Madeup", "age": "15"}, days=5, phones=["07700900403"])
    assert Alert.objects.count() == 1
    Alert.objects.all().delete()
    link_reject(link=Link.objects.get(), by=analyst, reason="A shared phone in a children's home.")
    concern_link(concern_id=a.pk)
    concern_link(concern_id=b.pk)
    assert not Alert.objects.exists()
    assert not Network.objects.filter(active=True).exists()


def test_an_alert_is_acknowledged_assigned_and_closed_with_an_outcome_each_audited(team):
    member, outsider = TeamMemberFactory(teams=[team], viewer=True), UserFactory(viewer=True)
    _linked({"name": "Tia Fictional", "age": "14"}, phones=["07700 900404"])
    _linked({"name": "Maya Madeup", "age": "15"}, days=5, phones=["07700 900404"])
    alert = Alert.objects.get()
    before = AuditEvent.objects.count()
    alert = alert_acknowledge(alert=alert, by=member)
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, by=member)
    with pytest.raises(ValidationError) as error:
        alert_assign(alert=alert, to=outsider, by=member)
    assert error.value.message_dict == {"to": [f"Choose someone in {team.name}."]}
    alert = alert_assign(alert=alert, to=member, by=member)
    with pytest.raises(ValidationError) as error:
        alert_close(alert=alert, outcome="  ", by=member)
    assert error.value.message_dict == {"outcome": ["Enter the outcome"]}
    alert = alert_close(alert=alert, outcome="Taken to the exploitation meeting on Tuesday.", by=member)
    assert (alert.status, alert.assigned_to, alert.outcome) == (
        "closed",
        member,
        "Taken to the exploitation meeting on Tuesday.",
    )
    events = AuditEvent.objects.filter(sequence__gt=before, target_type="linking.alert")
    assert [e.summary for e in events] == [
        f"Linking alert {alert.pk} acknowledged",
        f"Linking alert {alert.pk} assigned",
        f"Linking alert {alert.pk} closed",
    ]
    assert all(e.actor_id == member.pk for e in events)
    assert "meeting" not in str([e.data for e in events] + [e.changes for e in events])
