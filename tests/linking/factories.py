"""Factories for linking tests: analysts, exploitation team members, and a linked network.

    AnalystFactory()                        a user with the exploitation analyst role (and MFA)
    ExploitationMemberFactory()             a triage worker in the exploitation team
    network = linked_network()              issue 9's scenario: five concerns from three sources over
                                            eighteen months, one car, one phone, a nickname, three young
                                            people: one network, one alert; plus an unrelated concern

Concerns are made through `concern_submit` (ConcernFactory) and linked through the engine's own
service (`concern_link`), one by one in the order received, as the task queue would link them.
"""

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from safeguarding.concerns.models import Concern, Team
from safeguarding.linking.models import Alert, Link, Network
from safeguarding.linking.services import concern_link
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamMemberFactory

# Synthetic only: a registration nobody holds, a phone in Ofcom's drama range, made-up names.
REGISTRATION = "KX19 FTV"
PHONE = "07700 900777"
NICKNAME = "Zeph"
AT_RISK = ["Tia Fictional", "Maya Madeup", "Skye Notreal"]


class AnalystFactory(UserFactory):
    class Params:
        exploitation_analyst = True


class ExploitationMemberFactory(TeamMemberFactory):
    """A triage worker in the exploitation team."""

    class Params:
        triage_worker = True

    @factory.post_generation
    def exploitation_team(user, create: bool, extracted, **kwargs) -> None:
        Team.objects.get(slug="exploitation").members.add(user)


@dataclass
class LinkedNetwork:
    concerns: list[Concern]  # the five, in the order received
    unrelated: Concern
    network: Network
    alert: Alert

    def link(self, a: int, b: int) -> Link:
        low, high = sorted([self.concerns[a].pk, self.concerns[b].pk])
        return Link.objects.get(concern_low_id=low, concern_high_id=high)


def _zeph() -> dict:
    return {"role": "harming", "nicknames": NICKNAME}


def linked_network(*, start: datetime.datetime | None = None) -> LinkedNetwork:
    start = start or timezone.now() - datetime.timedelta(days=540)

    def sent(days: int, source: str, people: list[dict], **answers) -> Concern:
        concern = ConcernFactory(
            source=source, received_at=start + datetime.timedelta(days=days), people=people, **answers
        )
        concern_link(concern_id=concern.pk)
        return concern

    five = [
        sent(
            0,
            "public",
            [{"role": "at_risk", "name": AT_RISK[0], "age": "14"}, _zeph()],
            vehicles=[REGISTRATION],
            phones=[PHONE],
        ),
        sent(
            120,
            "professional",
            [{"role": "at_risk", "name": AT_RISK[1], "age": "15"}, _zeph()],
            vehicles=["kx19ftv"],
        ),
        sent(
            240,
            "api",
            [{"role": "at_risk", "name": AT_RISK[2], "date_of_birth": "2010-06-01"}, _zeph()],
            phones=["+44 7700 900777"],
        ),
        sent(400, "public", [{"role": "at_risk", "name": AT_RISK[0], "age": "15"}], vehicles=["KX-19-FTV"]),
        sent(
            530,
            "professional",
            [{"role": "at_risk", "name": AT_RISK[1], "age": "16"}, _zeph()],
            phones=["07700900777"],
        ),
    ]
    unrelated = sent(
        300,
        "public",
        [{"role": "at_risk", "name": "Tia Somebody", "age": "14"}],
        places=[{"venue": "Pretend Parade", "postcode": "NE6 1ZZ"}],
    )
    network = Network.objects.get(active=True, members__concern=five[0])
    return LinkedNetwork(five, unrelated, network, Alert.objects.get(network=network))
