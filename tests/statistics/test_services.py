"""Preparing, publishing, withdrawing and publishing a quarter again; who may; what is audited."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from safeguarding.audit.models import AuditEvent
from safeguarding.statistics import services
from safeguarding.statistics.disclosure import Status
from safeguarding.statistics.models import Publication
from safeguarding.statistics.quarters import Quarter
from tests.accounts.factories import UserFactory
from tests.partnership.factories import BoardFactory

from .factories import at, concerns

pytestmark = pytest.mark.django_db
Q1 = Quarter(2026, 1)


@pytest.fixture
def manager():
    return UserFactory(partnership_manager=BoardFactory())


@pytest.fixture(autouse=True)
def _after_the_quarter():
    with time_machine.travel(at(2026, 4, 15), tick=False):
        yield


def seed():
    concerns(3, when=at(2026, 1, 5), about="child", source="public")
    concerns(20, when=at(2026, 1, 6), about="child", source="professional")
    concerns(12, when=at(2026, 2, 6), about="adult", source="public")
    concerns(30, when=at(2026, 2, 7), about="adult", source="professional")


def cells(publication):
    return {(c.table, c.row, c.column): c for c in publication.cells.all()}


def test_prepare_freezes_suppressed_figures_as_a_draft(manager):
    seed()
    publication = services.publication_prepare(quarter=Q1, user=manager)
    assert publication.state == Publication.State.DRAFT
    assert publication.threshold == 5
    found = cells(publication)
    small = found[("received", "child", "public")]
    assert (small.value, small.status, small.shown) == (3, Status.FEWER, None)
    assert found[("received", "all", "all")].shown == 65
    assert any(c.status == Status.WITHHELD for c in found.values())
    assert AuditEvent.objects.filter(kind="created", target_type="statistics.publication").count() == 1


def test_nothing_is_published_until_a_manager_publishes(manager):
    seed()
    publication = services.publication_prepare(quarter=Q1, user=manager)
    assert not Publication.objects.filter(state=Publication.State.PUBLISHED).exists()
    services.publication_publish(publication=publication, user=manager)
    publication.refresh_from_db()
    assert publication.state == Publication.State.PUBLISHED
    assert publication.published_by == manager
    assert AuditEvent.objects.filter(kind="updated", summary__contains="published").exists()


def test_a_quarter_not_ended_cannot_be_prepared(manager):
    with pytest.raises(ValidationError, match="not ended"):
        services.publication_prepare(quarter=Quarter(2026, 2), user=manager)


@pytest.mark.parametrize("role", [{"board_member": True}, {"viewer": True}, {"administrator": True}])
def test_only_partnership_managers_prepare(role):
    if "board_member" in role:
        role = {"board_member": BoardFactory()}
    with pytest.raises(Http404):
        services.publication_prepare(quarter=Q1, user=UserFactory(**role))


def test_withdraw_takes_it_down_and_says_why(manager):
    seed()
    publication = services.publication_prepare(quarter=Q1, user=manager)
    services.publication_publish(publication=publication, user=manager)
    services.publication_withdraw(publication=publication, user=manager, reason="A fictional error")
    publication.refresh_from_db()
    assert publication.state == Publication.State.WITHDRAWN
    assert publication.withdrawn_reason == "A fictional error"
    with pytest.raises(ValidationError):
        services.publication_withdraw(publication=publication, user=manager, reason="Again")


def test_publishing_again_replaces_and_keeps_what_was_withheld_withheld(manager):
    seed()
    first = services.publication_prepare(quarter=Q1, user=manager)
    services.publication_publish(publication=first, user=manager)
    concerns(4, when=at(2026, 1, 7), about="child", source="public")  # late: now 7, shown
    again = services.publication_prepare(quarter=Q1, user=manager)
    services.publication_publish(publication=again, user=manager)
    first.refresh_from_db()
    assert first.state == Publication.State.WITHDRAWN
    assert first.withdrawn_reason == services.REPLACED
    before, now = cells(first), cells(again)
    for position, cell in before.items():
        if cell.status != Status.SHOWN:
            assert now[position].status != Status.SHOWN, position


def test_a_draft_prepared_before_another_publication_cannot_be_published(manager):
    seed()
    stale = services.publication_prepare(quarter=Q1, user=manager)
    stale.state = Publication.State.PUBLISHED  # as if published, then a new draft made, then it went out
    stale.save()
    draft = services.publication_prepare(quarter=Q1, user=manager)
    Publication.objects.filter(pk=stale.pk).update(published_at=at(2026, 4, 15, 13))
    with pytest.raises(ValidationError, match="Prepare them again"):
        services.publication_publish(publication=draft, user=manager)


def test_discarding_a_draft(manager):
    seed()
    draft = services.publication_prepare(quarter=Q1, user=manager)
    services.publication_discard(publication=draft, user=manager)
    assert not Publication.objects.exists()
    assert AuditEvent.objects.filter(kind="deleted", target_type="statistics.publication").exists()
