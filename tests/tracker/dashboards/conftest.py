"""A known set of actions for the dashboard tests, with the day frozen so RAG and due dates are fixed.

Today is Monday 15 June 2026. Ten working days on is 29 June; thirty days on is 15 July.

| action | recommendation | agency | status            | due / done          | evidence   | RAG      |
| a1     | r1 (review 1)  | A      | complete          | done 10 March       | accepted   | complete |
| a2     | r1             | B      | in progress       | due 1 June          |            | red      |
| a3     | r1             | A      | not started       | due 1 July          |            | green    |
| a4     | r2 (review 1)  | A      | impact evidenced  | done 20 May         | accepted   | complete |
| a5     | r3 (review 2)  | B      | in progress       | due 20 June         |            | amber    |
| a6     | r3             | B      | not started       | no due date         |            | amber    |
| a7     | r3             | A      | complete          | done 2 June         | none       | amber    |

Review 1 is commissioned by both boards; r2 names only the adults' board, and the adults' board has
signed it off (the only recommendation progressed in full). Review 2 is the children's board's.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from safeguarding.accounts.models import User
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.tracker.models import Action, Evidence
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory, PartnershipFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.tracker.factories import ActionFactory, EvidenceFactory, SignOffFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@dataclass
class Tracker:
    children: Board
    adults: Board
    review1: Review
    review2: Review
    r1: Recommendation
    r2: Recommendation
    r3: Recommendation
    agency_a: Agency
    agency_b: Agency
    actions: dict[str, Action]
    supplier: User


def add_action(recommendation, agency, *, status="not_started", due=None, done=None, evidence=(), **fields):
    action = ActionFactory(
        recommendation=recommendation,
        description=fields.pop("description", f"Action for {recommendation.reference}"),
        owner_agency=agency,
        status=status,
        due_date=due,
        completed_on=done,
        **fields,
    )
    supplier = User.objects.get_or_create(username="evidence-supplier")[0]
    for state in evidence:
        EvidenceFactory(
            action=action,
            note="Everyone in the team attended.",
            effective_date=TODAY,
            supplied_by=supplier,
            state=state,
            return_reason="Please add the dates" if state == Evidence.State.RETURNED else "",
        )
    return action


@pytest.fixture
def tracker(db) -> Tracker:
    PartnershipFactory()
    children = BoardFactory(name="Testborough Children's Partnership", short_name="TCP")
    adults = BoardFactory(name="Testborough Adults Board", short_name="TAB", kind=Board.Kind.ADULTS)
    review1 = ReviewFactory(short_title="Review one", boards=[children, adults])
    review2 = ReviewFactory(short_title="Review two", boards=[children])
    r1 = RecommendationFactory(review=review1, reference="1", title="Share what agencies know")
    r2 = RecommendationFactory(
        review=review1, reference="2", title="Train adult social care", boards=[adults]
    )
    r3 = RecommendationFactory(review=review2, reference="1", title="Disrupt perpetrators")
    agency_a = AgencyFactory(name="Testborough Police")
    agency_b = AgencyFactory(name="Testborough Health")
    d = datetime.date
    actions = {
        "a1": add_action(r1, agency_a, status="complete", done=d(2026, 3, 10), evidence=["accepted"]),
        "a2": add_action(r1, agency_b, status="in_progress", due=d(2026, 6, 1)),
        "a3": add_action(r1, agency_a, status="not_started", due=d(2026, 7, 1)),
        "a4": add_action(r2, agency_a, status="impact_evidenced", done=d(2026, 5, 20), evidence=["accepted"]),
        "a5": add_action(r3, agency_b, status="in_progress", due=d(2026, 6, 20)),
        "a6": add_action(r3, agency_b, status="not_started"),
        "a7": add_action(r3, agency_a, status="complete", done=d(2026, 6, 2)),
    }
    manager = UserFactory(partnership_manager=adults)
    SignOffFactory(
        recommendation=r2,
        board=adults,
        meeting_date=d(2026, 6, 1),
        minute_reference="TAB/2026/14",
        recorded_by=manager,
    )
    return Tracker(children, adults, review1, review2, r1, r2, r3, agency_a, agency_b, actions, manager)
