"""Snapshots of what a board approved: stable hashes, and plain words for what changed."""

import hashlib

import pytest

from safeguarding.tracker.models import Action, Evidence
from safeguarding.tracker.selectors import recommendation_with_tracker
from safeguarding.tracker.snapshots import recommendation_snapshot, snapshot_differences, snapshot_hash
from tests.tracker.factories import ActionFactory, EvidenceFactory, FileEvidenceFactory


def _snapshot(world):
    return recommendation_snapshot(recommendation_with_tracker(world.recommendation.pk))


@pytest.mark.django_db
def test_the_same_content_gives_the_same_hash(world):
    EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    first, second = _snapshot(world), _snapshot(world)
    assert snapshot_hash(first) == snapshot_hash(second)
    assert len(snapshot_hash(first)) == 64


@pytest.mark.django_db
def test_a_snapshot_holds_actions_and_evidence_with_a_checksum_of_file_bytes(world):
    evidence = FileEvidenceFactory(
        action=world.action_x, supplied_by=world.user("lead_x"), data=b"%PDF-1.4 register"
    )
    snapshot = _snapshot(world)
    action = next(a for a in snapshot["actions"] if a["id"] == world.action_x.pk)
    assert action["owner_agency"] == "Testborough Health Trust"
    assert action["due_date"] == "2027-06-30"
    assert action["evidence"][0]["id"] == evidence.pk
    assert action["evidence"][0]["checksum"] == hashlib.sha256(b"%PDF-1.4 register").hexdigest()


@pytest.mark.django_db
def test_differences_say_what_changed(world):
    evidence = EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    before = _snapshot(world)
    Action.objects.filter(pk=world.action_y.pk).update(status=Action.Status.COMPLETE, description="Changed")
    Evidence.objects.filter(pk=evidence.pk).update(
        state=Evidence.State.RETURNED, return_reason="x", note="new"
    )
    world.recommendation.title = "A new title"
    world.recommendation.save()
    after = _snapshot(world)
    assert snapshot_hash(before) != snapshot_hash(after)
    assert snapshot_differences(before, after) == [
        "The recommendation's title changed.",
        f"Action {world.action_x.pk}: evidence {evidence.pk} review state changed "
        "from waiting for review to returned.",
        f"Action {world.action_x.pk}: the content of evidence {evidence.pk} changed.",
        f"Action {world.action_y.pk}: the description changed.",
        f"Action {world.action_y.pk}: status changed from not started to complete.",
    ]


@pytest.mark.django_db
def test_added_and_removed_actions_are_named(world):
    before = _snapshot(world)
    Action.objects.filter(pk=world.action_y.pk).delete()
    added = ActionFactory(
        recommendation=world.recommendation, description="Brand new", owner_agency=world.agency_x
    )
    assert snapshot_differences(before, _snapshot(world)) == [
        f"Action {world.action_y.pk} was removed.",
        f"Action {added.pk} was added: Brand new",
    ]
