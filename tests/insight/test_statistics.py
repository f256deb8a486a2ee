"""Each statistic on the seeded concerns (seed.py), against tables worked out by hand there."""

import datetime

import pytest

from safeguarding.insight import selectors
from safeguarding.insight.models import ConcernFact
from safeguarding.insight.selectors import Filters
from safeguarding.partnership.models import Board
from tests.partnership.factories import BoardFactory

from .seed import TODAY, seed_concerns, team

pytestmark = pytest.mark.django_db

Q1 = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 3, 31)}


@pytest.fixture
def seed():
    return seed_concerns()


def test_facts_hold_what_was_worked_out_by_hand(seed):
    facts = {fact.concern_id: fact for fact in ConcernFact.objects.all()}
    c1, c2, c3, c4, c5 = (facts[c.pk] for c in (seed.c1, seed.c2, seed.c3, seed.c4, seed.c5))
    assert (c1.decision_minutes, c1.decision_bucket, c1.within_clock) == (26 * 60, 4, True)
    assert (c2.decision_minutes, c2.decision_bucket, c2.within_clock) == (46 * 60, 4, False)
    assert (c3.decision_minutes, c3.decision_bucket, c3.within_clock) == (180, 1, True)
    assert (c3.urgent, c3.first_action_minutes, c3.first_action_bucket) == (True, 30, 0)
    assert (c4.waiting, c4.decision, c4.decided_at) == (True, "", None)
    assert (c5.decision_minutes, c5.decision_bucket, c5.within_clock) == (24 * 60, 3, True)
    assert [f.repeat for f in (c1, c2, c3, c4, c5)] == [False, False, False, False, True]
    assert c2.signs
    assert not c1.signs
    assert {c1.route, c4.route} == {"rule"}


def test_volumes_by_month(seed):
    rows = selectors.volumes(Filters(**Q1))
    assert [(r.period.label, r.received, r.signs) for r in rows] == [
        ("Jan 2026", 3, 1),
        ("Feb 2026", 2, 0),
        ("Mar 2026", 0, 0),
    ]
    jan, feb = rows[0], rows[1]
    assert jan.by_source == {"public": 2, "professional": 1, "api": 0}
    assert jan.by_about == {"child": 2, "adult": 1, "not_sure": 0}
    assert feb.by_source == {"public": 1, "professional": 0, "api": 1}
    assert feb.by_about == {"child": 1, "adult": 0, "not_sure": 1}


def test_volumes_by_quarter_and_by_week_with_part_periods_at_the_edges(seed):
    assert [(r.period.label, r.received) for r in selectors.volumes(Filters(**Q1, period="quarter"))] == [
        ("Jan to Mar 2026", 5)
    ]
    weeks = Filters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 14), period="week")
    # 1 Jan is a Thursday: the first week is cut to 1-4 Jan, the last to 12-14 Jan.
    assert [(r.period.label, r.received) for r in selectors.volumes(weeks)] == [
        ("Week of 29 Dec 2025", 0),
        ("Week of 5 Jan 2026", 2),
        ("Week of 12 Jan 2026", 1),
    ]
    # 6 Jan to 2 Feb: c1 and c2 (5 Jan) fall outside; c3 (12 Jan) and c4 (2 Feb) inside.
    edges = Filters(start=datetime.date(2026, 1, 6), end=datetime.date(2026, 2, 2))
    assert [r.received for r in selectors.volumes(edges)] == [1, 1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"source": "public"}, [2, 1, 0]),  # c1, c3 | c5
        ({"about": "not_sure"}, [0, 1, 0]),  # c4
        ({"signs": "yes"}, [1, 0, 0]),  # c2
        ({"signs": "no"}, [2, 2, 0]),
        ({"decision": "none"}, [0, 1, 0]),  # c4 waits
        ({"decision": "police"}, [1, 0, 0]),  # c2
        ({"route": "rule"}, [3, 2, 0]),
        ({"route": "safety_net"}, [0, 0, 0]),
    ],
)
def test_volumes_filtered(seed, filters, expected):
    assert [r.received for r in selectors.volumes(Filters(**Q1, **filters))] == expected


def test_volumes_by_board_and_team(seed):
    adults = BoardFactory(kind=Board.Kind.ADULTS)
    children = BoardFactory(kind=Board.Kind.CHILDREN)
    # The adults board counts adults and "not sure": c3 | c4. The children's: c1, c2 | c4, c5.
    assert [r.received for r in selectors.volumes(Filters(**Q1, board=adults))] == [1, 1, 0]
    assert [r.received for r in selectors.volumes(Filters(**Q1, board=children))] == [2, 2, 0]
    assert [r.received for r in selectors.volumes(Filters(**Q1, team=team("exploitation")))] == [1, 0, 0]
    front_door = Filters(**Q1, team=team("children-front-door"))
    assert [r.received for r in selectors.volumes(front_door)] == [2, 2, 0]


def test_decided_within_the_clock_and_time_to_decision_per_team(seed):
    rows = {row.label: row for row in selectors.clock_by_team(Filters(**Q1))}
    # Front door: c1 within (b4), c2 late (b4), c5 within (b3); c4 undecided. Sorted b3, b4, b4:
    # the median (2nd of 3) and the 90th percentile (3rd of 3) are both in b4, "1 to 2 days".
    front = rows["Children's front door"]
    assert (front.decided, front.within, front.share, front.median, front.p90) == (
        3,
        2,
        67,
        "Within 2 days",
        "Within 2 days",
    )
    adults = rows["Adult social care"]  # c3 only (b1); c4 undecided
    assert (adults.decided, adults.within, adults.share, adults.median, adults.p90) == (
        1,
        1,
        100,
        "Within 4 hours",
        "Within 4 hours",
    )
    exploitation = rows["Exploitation team"]  # c2, late
    assert (exploitation.decided, exploitation.within, exploitation.share) == (1, 0, 0)
    # All teams, each concern once: c3 b1, c5 b3, c1 b4, c2 b4. Median: 2nd of 4 (b3, "8 to 24 hours");
    # 90th percentile: 4th of 4 (b4).
    everyone = rows["All teams (each concern once)"]
    assert (everyone.decided, everyone.within, everyone.share, everyone.median, everyone.p90) == (
        4,
        3,
        75,
        "Within 1 day",
        "Within 2 days",
    )


def test_decided_within_the_clock_by_period(seed):
    rows = selectors.clock_by_period(Filters(**Q1))
    # January: c1 within, c2 late, c3 within. February: c5 within (c4 waits).
    assert [(r.label, r.decided, r.within, r.share) for r in rows] == [
        ("Jan 2026", 3, 2, 67),
        ("Feb 2026", 1, 1, 100),
        ("Mar 2026", 0, 0, None),
    ]


def test_urgent_concerns_and_time_to_first_action(seed):
    rows = selectors.urgent(Filters(**Q1))
    # c3 is urgent (immediate danger), assigned 30 minutes after it arrived: bucket 0.
    assert [(r.period.label, r.urgent, r.actioned, r.median, r.p90) for r in rows] == [
        ("Jan 2026", 1, 1, "Within 1 hour", "Within 1 hour"),
        ("Feb 2026", 0, 0, "", ""),
        ("Mar 2026", 0, 0, "", ""),
    ]


def test_repeat_concerns(seed):
    rows = selectors.repeats(Filters(**Q1))
    assert [(r.received, r.repeats, r.share) for r in rows] == [(3, 0, 0), (2, 1, 50), (0, 0, None)]


def test_information_shares_by_lawful_basis(seed):
    rows = selectors.shares(Filters(**Q1))
    assert rows[0].by_basis == {
        "consent": 0,
        "vital_interests": 1,
        "public_task": 0,
        "legal_obligation": 0,
        "safeguarding": 1,
    }
    assert [r.total for r in rows] == [2, 0, 0]
    assert [r.total for r in selectors.shares(Filters(**Q1, team=team("exploitation")))] == [1, 0, 0]


def test_open_queue_age(seed):
    rows = selectors.queue_age(Filters(**Q1), today=TODAY)
    # Only c4 waits: received 2 Feb, 8 days before 10 Feb.
    assert [(r.label, r.waiting) for r in rows] == [
        ("Received today", 0),
        ("1 to 2 days", 0),
        ("3 to 7 days", 0),
        ("8 to 28 days", 1),
        ("More than 28 days", 0),
    ]


def test_total_rows_agree_with_the_rows_of_each_combination(seed):
    # Every seeded concern was routed by a rule, so filtering on it reads the detailed rows and must
    # give what the unfiltered page reads from the total rows.
    everything, by_rule = Filters(**Q1), Filters(**Q1, route="rule")
    assert selectors.clock_by_period(everything) == selectors.clock_by_period(by_rule)
    assert selectors.urgent(everything) == selectors.urgent(by_rule)
    assert selectors.repeats(everything) == selectors.repeats(by_rule)
    assert selectors.queue_age(everything, today=TODAY) == selectors.queue_age(by_rule, today=TODAY)
    assert selectors.clock_by_team(everything) == selectors.clock_by_team(by_rule)
