"""Tracker services: who may do what, the history they record, and joint sign-off that reopens."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.selectors import audit_history
from safeguarding.reviews.models import Recommendation
from safeguarding.tracker import services
from safeguarding.tracker.models import Action, Evidence, SignOff
from safeguarding.tracker.selectors import recommendation_progress, recommendation_with_tracker
from tests.conftest import html
from tests.samples import PDF_BYTES
from tests.tracker.factories import EvidenceFactory

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
MEETING = datetime.date(2027, 1, 12)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _history(recommendation) -> list[AuditEvent]:
    return list(audit_history(subject=recommendation))


# --- Actions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager_a", "manager_b", "admin"])
def test_managers_of_an_addressed_board_and_administrators_add_actions(world, role):
    action = services.action_create(
        recommendation=world.recommendation,
        description="Audit the exploitation screening tool",
        owner_agency=world.agency_x,
        lead=world.user("lead_x"),
        due_date=datetime.date(2027, 3, 1),
        by=world.user(role),
    )
    created = [e for e in _history(world.recommendation) if e.target_id == str(action.pk)]
    assert created[0].kind == AuditEvent.Kind.CREATED
    assert created[0].actor_id == world.user(role).pk
    assert created[0].changes["description"] == [None, "Audit the exploitation screening tool"]
    assert created[0].changes["owner_agency"] == [None, "Testborough Health Trust"]
    assert created[0].changes["due_date"] == [None, "2027-03-01"]


@pytest.mark.parametrize("role", ["viewer", "member_a", "lead_x", "no_role"])
def test_others_cannot_add_actions(world, role):
    with pytest.raises(PermissionDenied):
        services.action_create(
            recommendation=world.recommendation,
            description="Anything",
            owner_agency=world.agency_x,
            by=world.user(role),
        )
    assert Action.objects.count() == 2


def test_a_manager_of_a_board_the_recommendation_is_not_addressed_to_cannot_add_actions(world):
    world.recommendation.boards.set([world.board_a])
    with pytest.raises(PermissionDenied):
        services.action_create(
            recommendation=world.recommendation,
            description="Anything",
            owner_agency=world.agency_x,
            by=world.user("manager_b"),
        )


def test_an_agency_lead_updates_their_own_agencys_action_with_before_and_after(world):
    services.action_update(
        action=world.action_x,
        by=world.user("lead_x"),
        description=world.action_x.description,
        lead=world.user("lead_x"),
        due_date=datetime.date(2027, 2, 1),
        status=Action.Status.COMPLETE,
    )
    world.action_x.refresh_from_db()
    assert world.action_x.status == Action.Status.COMPLETE
    assert world.action_x.completed_on == TODAY
    event = next(
        e for e in _history(world.recommendation) if e.summary == f"Action {world.action_x.pk} changed"
    )
    assert event.actor_label == world.user("lead_x").username
    assert event.changes["status"] == ["Not started", "Complete"]
    assert event.changes["due_date"] == ["2027-06-30", "2027-02-01"]
    assert event.changes["completed_on"] == [None, "2027-01-15"]
    assert event.changes["lead"] == [None, str(world.user("lead_x"))]
    assert "description" not in event.changes


@pytest.mark.parametrize("role", ["lead_y", "viewer", "member_a", "member_b"])
def test_others_cannot_update_agency_xs_action(world, role):
    with pytest.raises(PermissionDenied):
        services.action_update(
            action=world.action_x,
            by=world.user(role),
            description="Changed",
            lead=None,
            due_date=None,
            status=Action.Status.IN_PROGRESS,
        )
    world.action_x.refresh_from_db()
    assert world.action_x.status == Action.Status.NOT_STARTED


def test_an_agency_lead_cannot_give_the_action_to_another_agency_but_a_manager_can(world):
    with pytest.raises(PermissionDenied):
        services.action_update(
            action=world.action_x,
            by=world.user("lead_x"),
            description=world.action_x.description,
            lead=None,
            due_date=None,
            status=Action.Status.IN_PROGRESS,
            owner_agency=world.agency_y,
        )
    services.action_update(
        action=world.action_x,
        by=world.user("manager_a"),
        description=world.action_x.description,
        lead=None,
        due_date=None,
        status=Action.Status.IN_PROGRESS,
        owner_agency=world.agency_y,
    )
    world.action_x.refresh_from_db()
    assert world.action_x.owner_agency == world.agency_y


def test_the_named_lead_must_work_for_the_owner_agency(world):
    with pytest.raises(ValidationError) as error:
        services.action_update(
            action=world.action_x,
            by=world.user("manager_a"),
            description=world.action_x.description,
            lead=world.user("lead_y"),
            due_date=None,
            status=Action.Status.IN_PROGRESS,
        )
    assert "works for Testborough Health Trust" in error.value.message_dict["lead"][0]


def test_going_back_from_done_clears_the_completion_date(world):
    for status in (Action.Status.COMPLETE, Action.Status.IN_PROGRESS):
        services.action_update(
            action=world.action_x,
            by=world.user("lead_x"),
            description=world.action_x.description,
            lead=None,
            due_date=None,
            status=status,
        )
    world.action_x.refresh_from_db()
    assert world.action_x.completed_on is None


def test_progress_notes_are_added_by_the_owner_agency_and_recorded(world):
    note = services.progress_note_add(
        action=world.action_x, text="Sessions booked for March", by=world.user("lead_x")
    )
    assert note.author == world.user("lead_x")
    assert any(
        e.changes.get("text") == [None, "Sessions booked for March"] for e in _history(world.recommendation)
    )
    with pytest.raises(PermissionDenied):
        services.progress_note_add(action=world.action_x, text="Not mine", by=world.user("lead_y"))


# --- RAG override ----------------------------------------------------------------------------------


def test_a_rag_override_needs_a_reason_and_a_manager(world):
    with pytest.raises(ValidationError):
        services.action_rag_override_set(
            action=world.action_x, rag="green", reason="  ", by=world.user("manager_a")
        )
    with pytest.raises(PermissionDenied):
        services.action_rag_override_set(
            action=world.action_x, rag="green", reason="Agreed at board", by=world.user("lead_x")
        )
    services.action_rag_override_set(
        action=world.action_x, rag="green", reason="Agreed at board", by=world.user("manager_a")
    )
    world.action_x.refresh_from_db()
    assert (world.action_x.rag_override, world.action_x.rag_override_reason) == ("green", "Agreed at board")
    event = next(e for e in _history(world.recommendation) if e.summary.startswith("RAG override set"))
    assert event.changes["rag_override"] == ["", "Green"]

    with pytest.raises(ValidationError):
        services.action_rag_override_clear(action=world.action_x, reason="", by=world.user("manager_a"))
    services.action_rag_override_clear(
        action=world.action_x, reason="Back on track", by=world.user("manager_a")
    )
    world.action_x.refresh_from_db()
    assert world.action_x.rag_override == ""
    event = next(e for e in _history(world.recommendation) if e.summary.startswith("RAG override removed"))
    assert event.data == {"reason": "Back on track"}


# --- Evidence --------------------------------------------------------------------------------------


def test_evidence_is_added_by_the_owner_agency_with_an_effective_date(world):
    evidence = services.evidence_add(
        action=world.action_x,
        kind=Evidence.Kind.LINK,
        title="Training policy",
        url="https://example.org/policy",
        effective_date=datetime.date(2026, 11, 1),
        by=world.user("lead_x"),
    )
    assert evidence.supplied_by == world.user("lead_x")
    assert evidence.state == Evidence.State.SUBMITTED
    assert evidence.effective_date == datetime.date(2026, 11, 1)
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            action=world.action_x,
            kind=Evidence.Kind.NOTE,
            title="x",
            note="y",
            effective_date=TODAY,
            by=world.user("lead_y"),
        )


def test_evidence_cannot_apply_from_a_future_date(world):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            action=world.action_x,
            kind=Evidence.Kind.NOTE,
            title="Plan",
            note="To do",
            effective_date=TODAY + datetime.timedelta(days=1),
            by=world.user("lead_x"),
        )
    assert "effective_date" in error.value.message_dict


def test_a_file_is_stored_under_a_random_name_with_its_clean_name_for_display(world, settings):
    upload = SimpleUploadedFile("Training register.pdf", PDF_BYTES)
    evidence = services.evidence_add(
        action=world.action_x,
        kind=Evidence.Kind.FILE,
        title="Register",
        file=upload,
        file_name=upload.name,
        effective_date=TODAY,
        by=world.user("lead_x"),
    )
    assert evidence.original_name == "Training register.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.file.name.startswith("evidence/")
    assert "Training" not in evidence.file.name
    assert evidence.file.read() == PDF_BYTES


def test_a_partnership_manager_accepts_or_returns_evidence_with_a_reason(world):
    first = EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    second = EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"), title="Attendance")
    for role in ("lead_x", "viewer", "member_a"):
        with pytest.raises(PermissionDenied):
            services.evidence_accept(evidence=first, by=world.user(role))
    services.evidence_accept(evidence=first, by=world.user("manager_a"))
    with pytest.raises(ValidationError):
        services.evidence_return(evidence=second, reason=" ", by=world.user("manager_b"))
    services.evidence_return(evidence=second, reason="The dates are missing", by=world.user("manager_b"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.reviewed_by) == (Evidence.State.ACCEPTED, world.user("manager_a"))
    assert (second.state, second.return_reason) == (Evidence.State.RETURNED, "The dates are missing")
    returned = next(
        e for e in _history(world.recommendation) if e.summary == f"Evidence {second.pk} returned"
    )
    assert returned.changes["state"] == ["Waiting for review", "Returned"]
    assert returned.changes["return_reason"] == [None, "The dates are missing"]


def test_nobody_reviews_their_own_evidence(world):
    evidence = EvidenceFactory(action=world.action_x, supplied_by=world.user("manager_a"))
    with pytest.raises(ValidationError):
        services.evidence_accept(evidence=evidence, by=world.user("manager_a"))


# --- Sign-off --------------------------------------------------------------------------------------


def _complete_the_work(world, reviewer="manager_a"):
    for action, lead in ((world.action_x, "lead_x"), (world.action_y, "lead_y")):
        services.action_update(
            action=action,
            by=world.user(lead),
            description=action.description,
            lead=None,
            due_date=action.due_date,
            status=Action.Status.COMPLETE,
        )
        evidence = services.evidence_add(
            action=action,
            kind=Evidence.Kind.NOTE,
            title="What was done",
            note="Done, with dates",
            effective_date=datetime.date(2027, 1, 4),
            by=world.user(lead),
        )
        services.evidence_accept(evidence=evidence, by=world.user(reviewer))


def _sign(world, role, board, decision=SignOff.Decision.PROGRESSED_IN_FULL):
    return services.sign_off_record(
        recommendation=world.recommendation,
        board=board,
        meeting_date=MEETING,
        minute_reference="2027/01/7",
        decision=decision,
        notes="Agreed",
        by=world.user(role),
    )


def test_progressed_in_full_cannot_be_signed_off_while_work_is_missing(world):
    with pytest.raises(ValidationError) as error:
        _sign(world, "member_a", world.board_a)
    assert "2 actions are not complete" in error.value.message_dict["decision"][0]
    not_yet = _sign(world, "member_a", world.board_a, decision=SignOff.Decision.NOT_YET)
    assert not_yet.decision == SignOff.Decision.NOT_YET


@pytest.mark.parametrize(
    ("role", "board", "allowed"),
    [
        ("member_a", "board_a", True),
        ("manager_a", "board_a", True),
        ("member_a", "board_b", False),
        ("manager_b", "board_a", False),
        ("admin", "board_a", False),
        ("viewer", "board_a", False),
        ("lead_x", "board_a", False),
    ],
)
def test_only_members_and_managers_of_a_board_record_its_sign_off(world, role, board, allowed):
    _complete_the_work(world)
    if allowed:
        assert _sign(world, role, getattr(world, board)).board == getattr(world, board)
    else:
        with pytest.raises(PermissionDenied):
            _sign(world, role, getattr(world, board))


def test_a_board_the_recommendation_is_not_addressed_to_cannot_sign_it_off(world):
    world.recommendation.boards.set([world.board_a])
    _complete_the_work(world)
    with pytest.raises(PermissionDenied):
        _sign(world, "member_b", world.board_b)


def test_a_joint_recommendation_needs_both_boards_then_a_change_reopens_it(world, client):
    _complete_the_work(world)
    first = _sign(world, "member_a", world.board_a)
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    assert recommendation.public_status == Recommendation.PublicStatus.IN_PROGRESS
    progress = recommendation_progress(recommendation_with_tracker(recommendation.pk))
    assert progress.missing == ["TSAB has not signed it off."]

    second = _sign(world, "member_b", world.board_b)
    assert first.snapshot_hash == second.snapshot_hash
    recommendation.refresh_from_db()
    assert recommendation.public_status == Recommendation.PublicStatus.PROGRESSED_IN_FULL
    assert (
        recommendation.public_status_note
        == "TSAB and TSCP agreed it has been progressed in full (on 12 January 2027)."
    )
    page = html(client.get(recommendation.get_absolute_url()))
    assert "Progressed in full" in page.select_one(".govuk-summary-list").get_text()
    # No names of staff on the public page.
    assert "Lee" not in page.get_text()
    assert "Meg" not in page.get_text()

    # A later material change: the action goes back to in progress.
    services.action_update(
        action=world.action_x,
        by=world.user("lead_x"),
        description=world.action_x.description,
        lead=None,
        due_date=world.action_x.due_date,
        status=Action.Status.IN_PROGRESS,
    )
    for sign_off in (first, second):
        sign_off.refresh_from_db()
        assert sign_off.reopened_at is not None
        assert (
            f"Action {world.action_x.pk}: status changed from complete to in progress."
            in sign_off.reopened_reason
        )
    recommendation.refresh_from_db()
    assert recommendation.public_status == Recommendation.PublicStatus.IN_PROGRESS
    assert "being looked at again" in recommendation.public_status_note
    progress = recommendation_progress(recommendation_with_tracker(recommendation.pk))
    assert "TSAB signed it off, but it changed afterwards: it needs signing off again." in progress.missing
    page = html(client.get(recommendation.get_absolute_url()))
    assert "In progress" in page.select_one(".govuk-summary-list").get_text()
    reopened = [e for e in _history(recommendation) if "sign-off reopened" in e.summary]
    assert len(reopened) == 2
    assert reopened[0].data["what_changed"] == [
        f"Action {world.action_x.pk}: status changed from complete to in progress."
    ]


def test_one_board_alone_does_not_make_a_joint_recommendation_progressed_in_full(world):
    _complete_the_work(world)
    _sign(world, "manager_a", world.board_a)
    _sign(world, "member_a", world.board_a)
    world.recommendation.refresh_from_db()
    assert world.recommendation.public_status != Recommendation.PublicStatus.PROGRESSED_IN_FULL


def test_a_recommendation_addressed_to_one_board_needs_only_that_board(world):
    world.recommendation.boards.set([world.board_b])
    _complete_the_work(world, reviewer="manager_b")
    _sign(world, "member_b", world.board_b)
    world.recommendation.refresh_from_db()
    assert world.recommendation.public_status == Recommendation.PublicStatus.PROGRESSED_IN_FULL


def test_a_file_changed_on_disk_is_refused_at_download_not_served(world):
    upload = SimpleUploadedFile("register.pdf", PDF_BYTES)
    evidence = services.evidence_add(
        action=world.action_x,
        kind=Evidence.Kind.FILE,
        title="Register",
        file=upload,
        file_name=upload.name,
        effective_date=TODAY,
        by=world.user("lead_x"),
    )
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    with services.evidence_file_open(evidence=evidence, by=world.user("lead_x")) as handle:
        assert handle.read() == PDF_BYTES
    with evidence.file.storage.open(evidence.file.name, "wb") as handle:
        handle.write(PDF_BYTES + b"% altered\n")
    with pytest.raises(services.EvidenceFileAltered):
        services.evidence_file_open(evidence=evidence, by=world.user("lead_x"))
    assert AuditEvent.objects.filter(summary__contains="no longer matches its checksum").count() == 1


def test_new_evidence_after_sign_off_reopens_it_and_says_so(world):
    _complete_the_work(world)
    sign_off = _sign(world, "member_b", world.board_b)
    note_id = services.evidence_add(
        action=world.action_y,
        kind=Evidence.Kind.NOTE,
        title="Late addition",
        note="More",
        effective_date=TODAY,
        by=world.user("lead_y"),
    ).pk
    sign_off.refresh_from_db()
    assert sign_off.reopened_reason == f"Action {world.action_y.pk}: evidence {note_id} was added."


def test_public_status_follows_the_work(world):
    services.recommendation_recheck(recommendation=world.recommendation)
    world.recommendation.refresh_from_db()
    assert world.recommendation.public_status == Recommendation.PublicStatus.NOT_STARTED
    services.action_update(
        action=world.action_y,
        by=world.user("lead_y"),
        description=world.action_y.description,
        lead=None,
        due_date=None,
        status=Action.Status.IN_PROGRESS,
    )
    world.recommendation.refresh_from_db()
    assert world.recommendation.public_status == Recommendation.PublicStatus.IN_PROGRESS
    assert world.recommendation.public_status_note == "0 of 2 actions complete."
