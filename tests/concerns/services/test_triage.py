"""Triage services (concerns/services.py): each action changes the concern, writes one audit event with
no personal content, and keeps what a worker typed encrypted in the database."""

import datetime
import hashlib
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.concerns import selectors, services
from safeguarding.concerns.models import Concern, DecisionOption, Team
from safeguarding.concerns.permissions import concerns_visible_to
from tests.concerns.conftest import database_text
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CANARY_REASONS = "Canary reasons: Thaddeus Wrenfield was seen at Marlowe Court"
CANARY_NOTE = "Canary note: spoke to Thaddeus Wrenfield's aunt on 0191 498 0555"
CANARY_FILE_NAME = "Thaddeus Wrenfield canary statement.txt"
CANARY_RECIPIENT = "DC Octavia Canarystone, CSE team"
CANARY_WHAT = "Canary what: the address of Thaddeus Wrenfield"
CANARY_PURPOSE = "Canary purpose: safety planning"
CANARY_DECIDER = "Perpetua Canaryhall, team manager"
CANARY_SHARE_REASON = "Canary share: Thaddeus Wrenfield is known to them"
CANARY_HOLD = "Canary hold: Wrenfield inquiry"
CANARIES = [
    CANARY_REASONS,
    CANARY_NOTE,
    CANARY_FILE_NAME,
    CANARY_RECIPIENT,
    CANARY_WHAT,
    CANARY_PURPOSE,
    CANARY_DECIDER,
    CANARY_SHARE_REASON,
    CANARY_HOLD,
    "Thaddeus Wrenfield",
]


def option(code: str) -> DecisionOption:
    return DecisionOption.objects.get(code=code)


def events_for(concern: Concern) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(subject_type="concerns.concern", subject_id=str(concern.pk)))


def audit_text() -> str:
    return "\n".join(
        f"{e.summary} {json.dumps(e.changes)} {json.dumps(e.data)}" for e in AuditEvent.objects.all()
    )


@pytest.fixture
def concern():
    return ConcernFactory(about="child")


@pytest.fixture
def worker():
    return TeamMemberFactory(teams=["children-front-door"], viewer=True)


# --- Assignment -------------------------------------------------------------------------------------


def test_assigning_moves_a_new_concern_into_triage_and_is_audited(concern, worker):
    colleague = TeamMemberFactory(teams=["children-front-door"], viewer=True)
    services.concern_assign(concern=concern, assignee=colleague, by=worker)
    concern.refresh_from_db()
    assert concern.assigned_to == colleague
    assert concern.status == Concern.Status.IN_TRIAGE
    assert concern.assigned_at is not None
    event = events_for(concern)[-1]
    assert event.kind == AuditEvent.Kind.UPDATED
    assert event.actor_id == worker.pk
    assert event.changes == {"assigned_to": [None, colleague.pk], "status": ["received", "in_triage"]}


def test_assigning_to_yourself_and_unassigning(concern, worker):
    services.concern_assign(concern=concern, assignee=worker, by=worker)
    services.concern_unassign(concern=concern, by=worker)
    concern.refresh_from_db()
    assert concern.assigned_to is None
    # Unassigning does not take it back out of triage.
    assert concern.status == Concern.Status.IN_TRIAGE
    assert events_for(concern)[-1].changes == {"assigned_to": [worker.pk, None]}
    with pytest.raises(ValidationError, match="not assigned"):
        services.concern_unassign(concern=concern, by=worker)


def test_a_concern_cannot_be_assigned_outside_its_teams(concern, worker):
    stranger = TeamMemberFactory(teams=["adult-social-care"], viewer=True)
    with pytest.raises(ValidationError) as raised:
        services.concern_assign(concern=concern, assignee=stranger, by=worker)
    assert "assignee" in raised.value.message_dict
    concern.refresh_from_db()
    assert concern.assigned_to is None
    assert concern.status == Concern.Status.RECEIVED


def test_reassigning_does_not_move_a_decided_concern_back(concern, worker):
    services.concern_decide(concern=concern, option=option("early_help"), reasons="Fictional.", by=worker)
    services.concern_assign(concern=concern, assignee=worker, by=worker)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.DECIDED


# --- Decisions, status and retention ----------------------------------------------------------------


def test_default_decision_options_exist():
    codes = set(DecisionOption.objects.values_list("code", flat=True))
    assert codes >= {
        "no_further_action",
        "advice_information",
        "early_help",
        "assessment",
        "section_47",
        "section_42",
        "police",
        "exploitation_meeting",
    }


def test_options_offered_fit_who_the_concern_is_about():
    child, adult, unsure = (
        ConcernFactory(about="child"),
        ConcernFactory(about="adult"),
        ConcernFactory(about="not_sure"),
    )
    child_codes = set(selectors.decision_options_for(child).values_list("code", flat=True))
    adult_codes = set(selectors.decision_options_for(adult).values_list("code", flat=True))
    assert "section_47" in child_codes
    assert "section_42" not in child_codes
    assert "section_42" in adult_codes
    assert not {"section_47", "early_help", "assessment"} & adult_codes
    assert {"section_42", "section_47"} <= set(
        selectors.decision_options_for(unsure).values_list("code", flat=True)
    )
    DecisionOption.objects.filter(code="police").update(active=False)
    assert not selectors.decision_options_for(child).filter(code="police").exists()


def test_a_decision_sets_status_retention_and_is_audited_without_its_reasons(concern, worker):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        decision = services.concern_decide(
            concern=concern, option=option("section_47"), reasons=CANARY_REASONS, by=worker
        )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.DECIDED
    assert concern.retain_until == datetime.date(2051, 6, 1)  # 25 years
    assert decision.decided_by == worker
    event = AuditEvent.objects.get(target_type="concerns.concerndecision", target_id=str(decision.pk))
    assert event.kind == AuditEvent.Kind.CREATED
    assert event.subject_id == str(concern.pk)
    assert event.data == {"option": "section_47"}
    assert event.changes["status"] == ["received", "decided"]
    assert CANARY_REASONS not in audit_text()
    assert CANARY_REASONS not in database_text()
    assert concern.decisions.get().reasons == CANARY_REASONS


def test_decisions_are_kept_the_latest_is_current_and_the_longest_retention_wins(concern, worker):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        services.concern_decide(concern=concern, option=option("section_47"), reasons="First.", by=worker)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 10, tzinfo=datetime.UTC), tick=False):
        services.concern_decide(
            concern=concern, option=option("no_further_action"), reasons="Second.", by=worker
        )
    concern.refresh_from_db()
    assert [d.option.code for d in concern.decisions.all()] == ["section_47", "no_further_action"]
    # The later decision closes it, but the longer retention of the earlier one still holds.
    assert concern.status == Concern.Status.CLOSED
    assert concern.retain_until == datetime.date(2051, 6, 1)


def test_a_decision_on_29_february_is_kept_until_28_february(concern, worker):
    with time_machine.travel(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC), tick=False):
        services.concern_decide(concern=concern, option=option("no_further_action"), reasons="R.", by=worker)
    concern.refresh_from_db()
    assert concern.retain_until == datetime.date(2034, 2, 28)


@pytest.mark.parametrize(
    ("code", "reasons", "field"),
    [("section_42", "Fictional.", "option"), ("early_help", "   ", "reasons")],
)
def test_a_decision_needs_a_fitting_option_and_reasons(concern, worker, code, reasons, field):
    with pytest.raises(ValidationError) as raised:
        services.concern_decide(concern=concern, option=option(code), reasons=reasons, by=worker)
    assert field in raised.value.message_dict
    assert not concern.decisions.exists()


def test_close_and_reopen(concern, worker):
    with pytest.raises(ValidationError, match="cannot be closed"):
        services.concern_close(concern=concern, by=worker)
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.concern_reopen(concern=concern, by=worker)
    services.concern_decide(concern=concern, option=option("early_help"), reasons="Fictional.", by=worker)
    services.concern_close(concern=concern, by=worker)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert events_for(concern)[-1].changes == {"status": ["decided", "closed"]}
    services.concern_reopen(concern=concern, by=worker)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_TRIAGE
    assert events_for(concern)[-1].changes == {"status": ["closed", "in_triage"]}


# --- Notes, attachments, information sharing, sharing with a team ----------------------------------


def test_a_note_is_encrypted_and_audited_without_its_text(concern, worker):
    note = services.note_add(concern=concern, text=CANARY_NOTE, by=worker)
    assert note.author == worker
    assert concern.notes.get().text == CANARY_NOTE
    assert CANARY_NOTE not in database_text()
    assert "0191 498 0555" not in database_text()
    event = events_for(concern)[-1]
    assert (event.kind, event.target_type) == (AuditEvent.Kind.CREATED, "concerns.concernnote")
    assert "Thaddeus" not in audit_text()
    with pytest.raises(ValidationError):
        services.note_add(concern=concern, text="", by=worker)


def test_an_attachment_is_stored_privately_under_a_random_name_with_its_name_encrypted(concern, worker):
    content = b"A fictional witness statement.\n"
    attachment = services.attachment_add(
        concern=concern, file=io.BytesIO(content), name=CANARY_FILE_NAME, by=worker
    )
    assert attachment.file.name.startswith("concerns/")
    assert attachment.file.name.endswith(".txt")
    assert "Wrenfield" not in attachment.file.name
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    assert attachment.original_name == CANARY_FILE_NAME
    assert "Wrenfield" not in database_text()
    assert "Wrenfield" not in audit_text()
    with services.attachment_open(attachment=attachment, by=worker) as handle:
        assert handle.read() == content
    downloaded = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.VIEWED, target_type="concerns.concernattachment"
    )
    assert downloaded.count() == 1
    assert downloaded.get().subject_id == str(concern.pk)


def test_a_refused_file_is_not_stored(concern, worker, settings):
    folder = settings.PRIVATE_FILES_ROOT / "concerns"
    before = set(folder.iterdir()) if folder.exists() else set()
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(concern=concern, file=io.BytesIO(b"%PDF-1.4 fake"), name="a.txt", by=worker)
    assert "PDF" in raised.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        services.attachment_add(concern=concern, file=io.BytesIO(b""), name="empty.txt", by=worker)
    with pytest.raises(ValidationError):
        services.attachment_add(concern=concern, file=None, name="", by=worker)
    assert not concern.attachments.exists()
    assert (set(folder.iterdir()) if folder.exists() else set()) == before


def test_an_altered_attachment_is_refused_and_the_refusal_audited(concern, worker):
    attachment = services.attachment_add(
        concern=concern, file=io.BytesIO(b"Original fictional text."), name="notes.txt", by=worker
    )
    with attachment.file.storage.open(attachment.file.name, "wb") as handle:
        handle.write(b"Altered fictional text.")
    with pytest.raises(services.AttachmentAltered):
        services.attachment_open(attachment=attachment, by=worker)
    assert "no longer matches" in events_for(concern)[-1].summary
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).exists()


def _details(**overrides) -> services.ShareDetails:
    values = {
        "agency": AgencyFactory(),
        "recipient": CANARY_RECIPIENT,
        "what_shared": CANARY_WHAT,
        "purpose": CANARY_PURPOSE,
        "lawful_basis": "public_task",
        "decided_by": CANARY_DECIDER,
        "shared_on": datetime.date(2026, 5, 1),
    }
    values.update(overrides)
    return services.ShareDetails(**values)


def test_an_information_share_is_logged_encrypted_and_audited_by_codes_only(concern, worker):
    details = _details()
    share = services.information_share_record(concern=concern, details=details, by=worker)
    share.refresh_from_db()
    assert (share.recipient, share.what_shared, share.purpose, share.decided_by) == (
        CANARY_RECIPIENT,
        CANARY_WHAT,
        CANARY_PURPOSE,
        CANARY_DECIDER,
    )
    assert share.recorded_by == worker
    text = database_text()
    for canary in (CANARY_RECIPIENT, CANARY_WHAT, CANARY_PURPOSE, CANARY_DECIDER):
        assert canary not in text
    event = events_for(concern)[-1]
    assert event.data == {
        "agency": details.agency.pk,
        "lawful_basis": "public_task",
        "shared_on": "2026-05-01",
    }


def test_an_information_share_with_gaps_says_what_is_missing(concern, worker):
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as raised:
        services.information_share_record(
            concern=concern,
            details=_details(recipient=" ", purpose="", lawful_basis="because", shared_on=future),
            by=worker,
        )
    assert set(raised.value.message_dict) == {"recipient", "purpose", "lawful_basis", "shared_on"}
    assert not concern.information_shares.exists()


def test_sharing_with_a_team_lets_its_members_see_the_concern(concern, worker):
    exploitation = Team.objects.get(slug="exploitation")
    analyst = TeamMemberFactory(teams=["exploitation"], viewer=True)
    assert not concerns_visible_to(analyst).filter(pk=concern.pk).exists()
    route = services.concern_share_with_team(
        concern=concern, team=exploitation, reason=CANARY_SHARE_REASON, by=worker
    )
    assert concerns_visible_to(analyst).filter(pk=concern.pk).exists()
    assert route.rule is None
    assert route.shared_by == worker
    assert route.reason.startswith("Shared by ")
    assert CANARY_SHARE_REASON not in database_text()
    assert events_for(concern)[-1].data == {"team": "exploitation"}
    # The team's members can now be given the concern.
    services.concern_assign(concern=concern, assignee=analyst, by=worker)
    with pytest.raises(ValidationError, match="already with"):
        services.concern_share_with_team(concern=concern, team=exploitation, reason="Again.", by=worker)


def test_legal_hold_on_and_off_is_audited_and_its_reason_encrypted(concern, worker):
    services.legal_hold_set(concern=concern, reason=CANARY_HOLD, by=worker)
    concern.refresh_from_db()
    assert concern.legal_hold is True
    change = concern.legal_hold_changes.get()
    assert (change.hold, change.reason, change.changed_by) == (True, CANARY_HOLD, worker)
    assert CANARY_HOLD not in database_text()
    assert events_for(concern)[-1].changes == {"legal_hold": [False, True]}
    with pytest.raises(ValidationError, match="already on legal hold"):
        services.legal_hold_set(concern=concern, reason="Again.", by=worker)
    with pytest.raises(ValidationError):
        services.legal_hold_clear(concern=concern, reason="", by=worker)
    services.legal_hold_clear(concern=concern, reason="Inquiry finished.", by=worker)
    concern.refresh_from_db()
    assert concern.legal_hold is False
    assert [c.hold for c in concern.legal_hold_changes.all()] == [True, False]
    assert events_for(concern)[-1].changes == {"legal_hold": [True, False]}


def test_no_canary_reaches_the_audit_trail_and_the_chain_holds(concern, worker):
    services.concern_assign(concern=concern, assignee=worker, by=worker)
    services.concern_decide(concern=concern, option=option("early_help"), reasons=CANARY_REASONS, by=worker)
    services.note_add(concern=concern, text=CANARY_NOTE, by=worker)
    services.attachment_add(concern=concern, file=io.BytesIO(b"Fictional."), name=CANARY_FILE_NAME, by=worker)
    services.information_share_record(concern=concern, details=_details(), by=worker)
    services.concern_share_with_team(
        concern=concern, team=Team.objects.get(slug="exploitation"), reason=CANARY_SHARE_REASON, by=worker
    )
    services.legal_hold_set(concern=concern, reason=CANARY_HOLD, by=worker)
    text, raw = audit_text(), database_text()
    for canary in CANARIES:
        assert canary not in text, canary
        assert canary not in raw, canary
    assert audit_verify().ok


def test_a_team_shared_in_is_told_at_once_without_the_reason(
    concern, worker, django_capture_on_commit_callbacks
):
    from django.core import mail

    analyst = TeamMemberFactory(teams=["exploitation"], viewer=True)
    concern.routes.update(notified_at=concern.received_at)  # the front door was told on arrival
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_share_with_team(
            concern=concern, team=Team.objects.get(slug="exploitation"), reason=CANARY_SHARE_REASON, by=worker
        )
    assert [message.to for message in mail.outbox] == [[analyst.email]]
    assert CANARY_SHARE_REASON not in mail.outbox[0].body
