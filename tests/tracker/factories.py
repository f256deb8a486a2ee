"""factory_boy factories for the tracker: actions, progress notes, evidence and sign-offs.

    ActionFactory(recommendation=r, owner_agency=agency, due_date=..., status="in_progress")
    EvidenceFactory(action=action, supplied_by=lead)              a note, waiting for review
    EvidenceFactory(action=action, accepted=True)                 ... accepted (or returned=True)
    FileEvidenceFactory(action=action, data=b"%PDF-1.4 ...")      a file in private storage
    SignOffFactory(recommendation=r, board=board, recorded_by=manager)

These make rows directly, as the tracker's own tests always have: no audit events, and a sign-off's
snapshot is empty unless given. Tests of what the services record call the services.
"""

import datetime
import secrets

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from safeguarding.tracker.models import Action, Evidence, ProgressNote, SignOff
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory
from tests.samples import PDF_BYTES


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    description = factory.Sequence(lambda n: f"Action number {n}")
    owner_agency = factory.SubFactory(AgencyFactory)


class ProgressNoteFactory(DjangoModelFactory):
    class Meta:
        model = ProgressNote

    action = factory.SubFactory(ActionFactory)
    text = "Half the team trained so far."
    author = factory.SubFactory(UserFactory)


class EvidenceFactory(DjangoModelFactory):
    """A note of evidence, waiting for review."""

    class Meta:
        model = Evidence

    class Params:
        accepted = factory.Trait(state=Evidence.State.ACCEPTED)
        returned = factory.Trait(state=Evidence.State.RETURNED, return_reason="Please add the dates")

    action = factory.SubFactory(ActionFactory)
    kind = Evidence.Kind.NOTE
    title = "Training register"
    note = "42 of 45 staff trained"
    effective_date = datetime.date(2026, 1, 5)
    supplied_by = factory.SubFactory(UserFactory)


def _stored(data: bytes) -> str:
    """`data` saved in private storage under a random name, as an upload is."""
    storage = Evidence._meta.get_field("file").storage
    return storage.save(f"evidence/{secrets.token_hex(16)}.pdf", ContentFile(data))


class FileEvidenceFactory(EvidenceFactory):
    """A PDF (or `data`) stored in private storage under a random name, as an upload would be."""

    class Params:
        data = PDF_BYTES

    kind = Evidence.Kind.FILE
    note = ""
    file = factory.LazyAttribute(lambda evidence: _stored(evidence.data))
    original_name = "Training register.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda evidence: len(evidence.data))


class SignOffFactory(DjangoModelFactory):
    """A board's decision that a recommendation is progressed in full, with an empty snapshot."""

    class Meta:
        model = SignOff

    recommendation = factory.SubFactory(RecommendationFactory)
    board = factory.SubFactory(BoardFactory)
    meeting_date = datetime.date(2026, 6, 1)
    minute_reference = factory.Sequence(lambda n: f"TB/2026/{n}")
    decision = SignOff.Decision.PROGRESSED_IN_FULL
    recorded_by = factory.SubFactory(UserFactory)
    snapshot = factory.LazyFunction(dict)
    snapshot_hash = "0" * 64
