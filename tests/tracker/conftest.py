"""A small tracker world for tests: two boards (A children's, B adults'), two agencies (X and Y), a
joint review addressed to both boards with one recommendation holding an action for each agency, and
a member of staff for each role.
"""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile

from safeguarding.partnership.models import Board
from safeguarding.tracker.models import Action, Evidence
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.samples import PDF_BYTES
from tests.staff import staff_user


@dataclass
class World:
    board_a: Any
    board_b: Any
    agency_x: Any
    agency_y: Any
    review: Any
    recommendation: Any
    action_x: Any
    action_y: Any
    users: dict[str, Any]

    def user(self, role: str) -> Any:
        return self.users[role]


@pytest.fixture
def world(db) -> World:
    board_a = BoardFactory(
        short_name="TSCP", name="Testborough Children's Partnership", kind=Board.Kind.CHILDREN
    )
    board_b = BoardFactory(short_name="TSAB", name="Testborough Adults Board", kind=Board.Kind.ADULTS)
    agency_x = AgencyFactory(name="Testborough Health Trust")
    agency_y = AgencyFactory(name="Testborough Police")
    review = ReviewFactory()
    review.boards.set([board_a, board_b])
    recommendation = RecommendationFactory(review=review, title="Share what agencies know about exploitation")
    users = {
        "admin": staff_user(roles=["administrator"], first_name="Ada"),
        "viewer": staff_user(roles=["viewer"], first_name="Vic"),
        "manager_a": staff_user(roles=[("partnership_manager", board_a)], first_name="Mina"),
        "manager_b": staff_user(roles=[("partnership_manager", board_b)], first_name="Max"),
        "member_a": staff_user(roles=[("board_member", board_a)], first_name="Mo"),
        "member_b": staff_user(roles=[("board_member", board_b)], first_name="Meg"),
        "lead_x": staff_user(roles=[("agency_lead", agency_x)], agency=agency_x, first_name="Lee"),
        "lead_y": staff_user(roles=[("agency_lead", agency_y)], agency=agency_y, first_name="Lou"),
        "no_role": staff_user(roles=[], first_name="Nia"),
        "triage_worker": staff_user(roles=["triage_worker"], first_name="Tia"),
    }
    action_x = Action.objects.create(
        recommendation=recommendation,
        description="Train every health front-door worker to spot exploitation",
        owner_agency=agency_x,
        due_date=datetime.date(2027, 6, 30),
    )
    action_y = Action.objects.create(
        recommendation=recommendation,
        description="Record vehicles seen with young people",
        owner_agency=agency_y,
        due_date=datetime.date(2027, 6, 30),
    )
    return World(board_a, board_b, agency_x, agency_y, review, recommendation, action_x, action_y, users)


def note_evidence(action: Action, supplier: Any, **fields: Any) -> Evidence:
    return Evidence.objects.create(
        action=action,
        kind=Evidence.Kind.NOTE,
        title=fields.pop("title", "Training register"),
        note=fields.pop("note", "42 of 45 staff trained"),
        effective_date=fields.pop("effective_date", datetime.date(2026, 1, 5)),
        supplied_by=supplier,
        **fields,
    )


def file_evidence(action: Action, supplier: Any, data: bytes = PDF_BYTES, **fields: Any) -> Evidence:
    """A PDF stored in private storage under a random name, as an upload would be."""
    storage = Evidence._meta.get_field("file").storage
    stored = storage.save(f"evidence/{secrets.token_hex(16)}.pdf", ContentFile(data))
    return Evidence.objects.create(
        action=action,
        kind=Evidence.Kind.FILE,
        title=fields.pop("title", "Training register"),
        file=stored,
        original_name=fields.pop("original_name", "Training register.pdf"),
        content_type="application/pdf",
        size=len(data),
        effective_date=fields.pop("effective_date", datetime.date(2026, 1, 5)),
        supplied_by=supplier,
        **fields,
    )
