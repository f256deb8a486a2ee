"""Statistics follow changes to concerns through the task queue, and never decrypt anything."""

import datetime

import pytest
from django.core.management import call_command

from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import concern_delete_expired
from safeguarding.core import crypto
from safeguarding.insight import selectors
from safeguarding.insight.models import ConcernFact, ConcernRollup
from safeguarding.insight.selectors import Filters
from tests.concerns.factories import ConcernDecisionFactory, ConcernFactory

from .seed import at

pytestmark = pytest.mark.django_db

JAN = Filters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))


def test_a_new_concern_and_its_decision_reach_the_rollups_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = ConcernFactory(about="child", received_at=at(5, 1, 10))
    assert ConcernFact.objects.get(concern_id=concern.pk).waiting
    assert [r.received for r in selectors.volumes(JAN)] == [1]
    with django_capture_on_commit_callbacks(execute=True):
        ConcernDecisionFactory(concern=concern, option="no_further_action", decided_at=at(6, 1, 9))
    (row,) = selectors.clock_by_period(JAN)
    assert (row.decided, row.within) == (1, 1)
    assert ConcernRollup.objects.filter(grain="day", team_id=0, level=0).count() == 1
    assert ConcernRollup.objects.get(grain="day", team_id=0, level=2).decided == 1


def test_a_deleted_concern_leaves_the_statistics(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = ConcernFactory(about="child", received_at=at(5, 1, 10))
        ConcernDecisionFactory(concern=concern, option="no_further_action", decided_at=at(6, 1, 9))
    Concern.objects.filter(pk=concern.pk).update(retain_until=datetime.date(2026, 1, 7))
    with django_capture_on_commit_callbacks(execute=True):
        concern_delete_expired(pk=concern.pk, today=datetime.date(2026, 6, 1))
    assert not ConcernFact.objects.exists()
    assert [r.received for r in selectors.volumes(JAN)] == [0]


def test_rebuild_decrypts_nothing(monkeypatch):
    ConcernFactory(about="adult", received_at=at(5, 1, 10), people=1, phones=1)

    def refuse(*args, **kwargs):
        raise AssertionError("insight decrypted a field")

    monkeypatch.setattr(crypto.EncryptedTextField, "from_db_value", refuse)
    call_command("rebuild_insight", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ConcernFact.objects.count() == 1
