"""A small tracker world for tests: two boards (A children's, B adults'), two agencies (X and Y), a
joint review addressed to both boards with one recommendation holding an action for each agency, and
a member of staff for each role.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from safeguarding.partnership.models import Board
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.tracker.factories import ActionFactory


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
    review = ReviewFactory(boards=[board_a, board_b])
    recommendation = RecommendationFactory(review=review, title="Share what agencies know about exploitation")
    users = {
        "admin": UserFactory(administrator=True, first_name="Ada"),
        "viewer": UserFactory(viewer=True, first_name="Vic"),
        "manager_a": UserFactory(partnership_manager=board_a, first_name="Mina"),
        "manager_b": UserFactory(partnership_manager=board_b, first_name="Max"),
        "member_a": UserFactory(board_member=board_a, first_name="Mo"),
        "member_b": UserFactory(board_member=board_b, first_name="Meg"),
        "lead_x": UserFactory(agency_lead=agency_x, first_name="Lee"),
        "lead_y": UserFactory(agency_lead=agency_y, first_name="Lou"),
        "no_role": UserFactory(first_name="Nia"),
        "triage_worker": UserFactory(triage_worker=True, first_name="Tia"),
    }
    action_x = ActionFactory(
        recommendation=recommendation,
        description="Train every health front-door worker to spot exploitation",
        owner_agency=agency_x,
        due_date=datetime.date(2027, 6, 30),
    )
    action_y = ActionFactory(
        recommendation=recommendation,
        description="Record vehicles seen with young people",
        owner_agency=agency_y,
        due_date=datetime.date(2027, 6, 30),
    )
    return World(board_a, board_b, agency_x, agency_y, review, recommendation, action_x, action_y, users)
