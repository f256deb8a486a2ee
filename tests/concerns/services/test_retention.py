"""Retention: `manage.py concerns_delete_expired` deletes only concerns past their date and not on hold,
with their files, one audit event each written first, and the audit chain still verifies afterwards."""

import datetime
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.concerns import services
from safeguarding.concerns.models import (
    AdditionalInformation,
    Concern,
    ConcernAttachment,
    ConcernDecision,
    ConcernNote,
    ConcernPerson,
    ConcernRoute,
    LegalHoldChange,
)
from safeguarding.concerns.signals import concern_deleted
from tests.concerns.conftest import canary_answers
from tests.concerns.factories import (
    ConcernDecisionFactory,
    ConcernFactory,
    ConcernNoteFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

DECIDED = datetime.datetime(2020, 3, 2, 10, tzinfo=datetime.UTC)
# No further action keeps a concern 6 years: these concerns may go from 3 March 2026.
AFTER = datetime.date(2026, 3, 3)


def decided_concern(worker, code: str = "no_further_action") -> Concern:
    concern = ConcernFactory(**canary_answers())
    ConcernDecisionFactory(concern=concern, option=code, decided_by=worker, decided_at=DECIDED)
    return concern


@pytest.fixture
def worker():
    return TeamMemberFactory(teams=["adult-social-care"], viewer=True)


@pytest.fixture
def world(worker):
    expired = decided_concern(worker)
    ConcernNoteFactory(concern=expired, author=worker)
    services.legal_hold_set(concern=expired, reason="Fictional inquiry.", by=worker)
    services.legal_hold_clear(concern=expired, reason="Fictional inquiry over.", by=worker)
    attachment = services.attachment_add(
        concern=expired, file=io.BytesIO(b"Fictional file."), name="statement.txt", by=worker
    )
    held = decided_concern(worker)
    services.legal_hold_set(concern=held, reason="Fictional inquiry.", by=worker)
    kept = decided_concern(worker, code="section_42")  # 15 years
    undecided = ConcernFactory(**canary_answers())
    return {
        "expired": expired,
        "held": held,
        "kept": kept,
        "undecided": undecided,
        "file": attachment.file.name,
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("concerns_delete_expired", *args, f"--today={AFTER.isoformat()}", stdout=out, stderr=out)
    return out.getvalue()


def test_retention_dates_are_set_by_decisions(world):
    assert world["expired"].retain_until == datetime.date(2026, 3, 2)
    assert world["kept"].retain_until == datetime.date(2035, 3, 2)
    assert world["undecided"].retain_until is None


def test_a_dry_run_deletes_nothing(world, settings):
    events = AuditEvent.objects.count()
    output = run()
    assert f"Would delete {world['expired'].reference}" in output
    assert f"Would delete {world['held'].reference}" not in output
    assert "Dry run: 1 concerns would be deleted" in output
    assert Concern.objects.count() == 4
    assert AuditEvent.objects.count() == events
    assert (settings.PRIVATE_FILES_ROOT / world["file"]).exists()


def test_nothing_is_due_the_day_before(world):
    out = StringIO()
    call_command("concerns_delete_expired", "--delete", "--today=2026-03-02", stdout=out)
    assert "Done: 0 concerns deleted" in out.getvalue()
    assert Concern.objects.count() == 4


def test_delete_removes_expired_concerns_with_everything_and_keeps_the_rest(
    world, settings, django_capture_on_commit_callbacks
):
    expired = world["expired"]
    told = []
    concern_deleted.connect(receiver := lambda **kw: told.append(kw["concern_id"]), weak=False)
    # Files go, and the apps above concerns are told, once the deletion has committed.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run("--delete")
    concern_deleted.disconnect(receiver)
    # The concerns app's own two (apps above it, such as insight, may add theirs).
    assert len([c for c in callbacks if c.__module__.startswith("safeguarding.concerns")]) == 2
    assert told == [expired.pk]
    assert f"Deleted {expired.reference}." in output
    assert "Done: 1 concerns deleted, 0 could not be deleted." in output
    assert set(Concern.objects.values_list("pk", flat=True)) == {
        world["held"].pk,
        world["kept"].pk,
        world["undecided"].pk,
    }
    for model in (
        ConcernPerson,
        ConcernRoute,
        ConcernDecision,
        ConcernNote,
        ConcernAttachment,
        LegalHoldChange,
    ):
        assert not model.objects.filter(concern_id=expired.pk).exists(), model
    assert not AdditionalInformation.objects.filter(concern_id=expired.pk).exists()
    assert not (settings.PRIVATE_FILES_ROOT / world["file"]).exists()
    # One event, naming the concern by reference only, and the chain still holds.
    deleted = AuditEvent.objects.get(kind=AuditEvent.Kind.DELETED)
    assert (deleted.target_type, deleted.target_id) == ("concerns.concern", str(expired.pk))
    assert deleted.summary == f"Concern {expired.reference} deleted at the end of its retention period"
    assert deleted.data == {"retain_until": "2026-03-02", "files": 1}
    assert deleted.actor_id is None
    assert audit_verify().ok
    verify = StringIO()
    call_command("audit_verify", stdout=verify)
    assert "Audit trail intact" in verify.getvalue()
    # The earlier events about the deleted concern are still there, and still chained.
    assert AuditEvent.objects.filter(subject_id=str(expired.pk), subject_type="concerns.concern").count() > 3


def test_running_again_deletes_nothing_more(world):
    run("--delete")
    output = run("--delete")
    assert "Done: 0 concerns deleted" in output
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETED).count() == 1


def test_lifting_a_hold_lets_the_next_run_delete_it(world, worker):
    services.legal_hold_clear(concern=world["held"], reason="Inquiry finished.", by=worker)
    run("--delete")
    assert not Concern.objects.filter(pk=world["held"].pk).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETED).count() == 2
    assert audit_verify().ok


def test_a_concern_put_on_hold_after_listing_is_kept(world, worker):
    services.legal_hold_set(concern=world["expired"], reason="Fictional.", by=worker)
    with pytest.raises(ValidationError, match="not due"):
        services.concern_delete_expired(pk=world["expired"].pk, today=AFTER)
    assert Concern.objects.filter(pk=world["expired"].pk).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DELETED).exists()
