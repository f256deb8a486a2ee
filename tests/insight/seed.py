"""A small, hand-checkable set of concerns in January and February 2026, and their statistics.

All times are London time, which is GMT in January and February. 5 January 2026 is a Monday. A child's
clock runs to 17:00 on the next working day; an adult's for 24 hours (docs/decisions/0014).

c1  Mon 5 Jan 10:00   child     public        no signs  front door (rule)
    first action = decision Tue 6 Jan 12:00: 26 h, bucket 4; due Tue 17:00: within the clock
c2  Mon 5 Jan 11:00   child     professional  signs     front door + exploitation team
    first action = decision (police) Wed 7 Jan 09:00: 46 h, bucket 4; due Tue 17:00: late
c3  Mon 12 Jan 09:00  adult     public        no signs  adult social care; urgent (immediate danger)
    assigned 09:30 (30 min, bucket 0); decision (section 42) 12:00: 3 h, bucket 1; due Tue 09:00: within
c4  Mon 2 Feb 14:00   not sure  api           no signs  front door + adult social care; undecided: waiting
c5  Tue 3 Feb 10:00   child     public        no signs  front door
    first action = decision Wed 4 Feb 10:00: 24 h, bucket 3; due Wed 17:00: within the clock

c1 and c5 name the same person at risk, so c5 is a repeat. Information shares: c2 on 8 Jan (safeguarding),
c3 on 12 Jan (vital interests). Buckets (models.BUCKET_LABELS): b0 1 hour or less, b1 1 to 4 hours, b3 8 to
24 hours, b4 1 to 2 days.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

import time_machine

from safeguarding.concerns.models import Concern, InformationShare, Team
from safeguarding.concerns.services import concern_assign
from safeguarding.insight.services import insight_rebuild
from safeguarding.linking.services import concern_identifiers_refresh
from tests.concerns.factories import ConcernDecisionFactory, ConcernFactory, TeamMemberFactory
from tests.partnership.factories import AgencyFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 2, 10)


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Seed:
    c1: Concern
    c2: Concern
    c3: Concern
    c4: Concern
    c5: Concern


def seed_concerns() -> Seed:
    person = {"role": "at_risk", "name": "Fictional Repeatperson"}
    c1 = ConcernFactory(about="child", received_at=at(5, 1, 10), people=[person])
    c2 = ConcernFactory(about="child", source="professional", signs=["missing"], received_at=at(5, 1, 11))
    c3 = ConcernFactory(about="adult", immediate_danger=True, received_at=at(12, 1, 9))
    c4 = ConcernFactory(about="not_sure", source="api", received_at=at(2, 2, 14))
    c5 = ConcernFactory(about="child", received_at=at(3, 2, 10), people=[person])
    for concern in (c1, c5):
        concern_identifiers_refresh(concern=concern)

    ConcernDecisionFactory(concern=c1, option="no_further_action", decided_at=at(6, 1, 12))
    ConcernDecisionFactory(concern=c2, option="police", decided_at=at(7, 1, 9))
    worker = TeamMemberFactory(teams=["adult-social-care"], triage_worker=True)
    with time_machine.travel(at(12, 1, 9, 30), tick=False):
        concern_assign(concern=c3, assignee=worker, by=worker)
    ConcernDecisionFactory(concern=c3, option="section_42", decided_at=at(12, 1, 12))
    ConcernDecisionFactory(concern=c5, option="advice_information", decided_at=at(4, 2, 10))

    agency = AgencyFactory()
    for concern, basis, day, when in (
        (c2, "safeguarding", datetime.date(2026, 1, 8), at(8, 1, 9)),
        # c3's share is recorded after its assignment, so its first action stays the assignment.
        (c3, "vital_interests", datetime.date(2026, 1, 12), at(12, 1, 10)),
    ):
        InformationShare.objects.create(
            concern=concern,
            agency=agency,
            recipient="A fictional duty desk",
            what_shared="A fictional summary",
            purpose="A fictional purpose",
            lawful_basis=basis,
            decided_by="A fictional manager",
            shared_on=day,
            recorded_at=when,
        )
    insight_rebuild()
    return Seed(c1, c2, c3, c4, c5)


def team(slug: str) -> Team:
    return Team.objects.get(slug=slug)
