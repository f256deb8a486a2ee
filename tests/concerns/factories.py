"""factory_boy factories for concerns, made the way every real concern is made: through `concern_submit`.

    ConcernFactory()                                          a public concern about a child
    ConcernFactory(about="adult", people=2, vehicles=1, phones=1, places=1, online_accounts=1)
    ConcernFactory(people=[{"role": "harming", "name": "Orrin Fictional"}], phones=["07700 900123"])
    ConcernFactory(**canary_answers())                        every canary, in every kind of field
    ConcernFactory(source="professional", agency=agency)      a referral (its agency made if not given)
    ConcernFactory(received_at=monday_10am)                   received then, so its clock runs from then
    ConcernFactory(follow_up=["He has a new car."])           with information the reporter added later

Every parameter but source, agency, submitted_by, received_at, idempotency_key and follow_up is an
answer, as the report journey, a referral or the API gives it; a number of people, vehicles, phones,
places or online accounts makes that many fictional ones. The service validates the answers, encrypts
every personal field, takes the blind indexes, numbers, routes, clocks and audits the concern, so a
concern made here is one a reporter could have made. Its one-time receipt code is kept on the returned
concern as `receipt_code`, as the reporter would have it.

Notes and decisions go through the triage services too (ConcernNoteFactory, ConcernDecisionFactory).
Teams, routing rules and decision options exist from the data migrations; their factories make more.
TeamMemberFactory makes a user in teams. ConcernRowFactory makes a bare row (no routes, clock or audit)
for the few tests of queries that need exact deadlines and urgency; ConcernRouteFactory routes it.
"""

import itertools
from collections.abc import Callable
from typing import Any

import factory
import time_machine
from factory.django import DjangoModelFactory

from safeguarding.concerns.models import (
    Concern,
    ConcernDecision,
    ConcernNote,
    ConcernRoute,
    DecisionOption,
    RoutingRule,
    Team,
)
from safeguarding.concerns.services import (
    concern_decide,
    concern_follow_up,
    concern_submit,
    note_add,
)
from tests.accounts.factories import UserFactory
from tests.concerns.conftest import new_key
from tests.partnership.factories import AgencyFactory

# Distinct across the whole run, so that no two concerns share an identifier unless a test says so.
_numbers = itertools.count(1)

_ROLES = ["at_risk", "harming", "other"]


def _person(n: int, index: int) -> dict[str, Any]:
    return {"role": _ROLES[min(index, 2)], "name": f"Fictional Person {n}"}


def _vehicle(n: int, index: int) -> dict[str, Any]:
    return {"registration": f"FT{10 + n % 90} TST", "description": "silver hatchback"}


def _phone(n: int, index: int) -> dict[str, Any]:
    return {"number": f"07700 900{n % 1000:03d}"}


def _place(n: int, index: int) -> dict[str, Any]:
    return {"venue": f"Fictional Lodge {n}", "address": f"{n} Testborough Road", "postcode": "TE1 9ZZ"}


def _online_account(n: int, index: int) -> dict[str, Any]:
    return {"platform": "Snapchat", "handle": f"@fictional_account_{n}"}


# For each list answer: how to make up its nth entry, and what a plain string given in it stands for.
_LISTS: dict[str, tuple[Callable[[int, int], dict[str, Any]], Callable[[str], dict[str, Any]]]] = {
    "people": (_person, lambda text: {"role": "other", "name": text}),
    "vehicles": (_vehicle, lambda text: {"registration": text}),
    "phones": (_phone, lambda text: {"number": text}),
    "places": (_place, lambda text: {"venue": text}),
    "online_accounts": (_online_account, lambda text: {"handle": text}),
}
_ANSWERS = [
    "immediate_danger",
    "about",
    "narrative",
    "signs",
    "where_and_when",
    *_LISTS,
    "reporter",
    "adult_knows",
    "adult_wants",
    "professional",
]


def concern_answers(**parameters: Any) -> dict[str, Any]:
    """The answers ConcernFactory submits for these parameters: those given, and no others.

    A number for a list answer makes that many fictional entries up; a string stands for an entry's
    main field (a person's name, a registration, a number, a place's name, a handle).
    """
    answers = {name: parameters[name] for name in _ANSWERS if parameters.get(name) is not None}
    for name, (make_up, from_text) in _LISTS.items():
        value = answers.get(name)
        if isinstance(value, int):
            answers[name] = [make_up(next(_numbers), index) for index in range(value)]
        elif value is not None:
            answers[name] = [dict(entry) if isinstance(entry, dict) else from_text(entry) for entry in value]
    return answers


class ConcernFactory(factory.Factory):
    class Meta:
        model = Concern

    source = Concern.Source.PUBLIC
    immediate_danger = False
    about = "child"
    narrative = "A fictional account of what is happening, for a test."
    signs = None
    where_and_when = None
    people = None
    vehicles = None
    phones = None
    places = None
    online_accounts = None
    reporter = None
    adult_knows = None
    adult_wants = None
    professional = None
    # A referral's agency: made when a referral is asked for without one.
    agency = factory.Maybe(
        factory.LazyAttribute(lambda concern: concern.source != Concern.Source.PUBLIC),
        yes_declaration=factory.SubFactory(AgencyFactory),
        no_declaration=None,
    )
    submitted_by = None
    received_at = None
    idempotency_key = factory.LazyFunction(new_key)

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Concern:
        raise TypeError("A concern exists only once submitted: use ConcernFactory(), not .build()")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Concern:
        answers = concern_answers(**kwargs)
        agency = kwargs["agency"]
        if kwargs["source"] != Concern.Source.PUBLIC:
            answers["professional"] = {
                "agency_id": agency.pk,
                "role": "Designated safeguarding lead",
                "consent": "not_asked",
                "lawful_basis": "safeguarding",
                **answers.get("professional", {}),
            }
            answers.setdefault("reporter", {"name": "Robin Referrer", "contact": "0191 498 0102"})
        submit = {
            "answers": answers,
            "source": kwargs["source"],
            "idempotency_key": kwargs["idempotency_key"],
            "submitted_by": kwargs["submitted_by"],
        }
        if kwargs["received_at"] is None:
            result = concern_submit(**submit)
        else:
            with time_machine.travel(kwargs["received_at"], tick=False):
                result = concern_submit(**submit)
        concern = result.concern
        concern.receipt_code = result.receipt_code
        return concern

    @factory.post_generation
    def follow_up(concern: Concern, create: bool, extracted: Any, **kwargs: Any) -> None:
        for text in extracted or ():
            concern_follow_up(reference=concern.reference, receipt_code=concern.receipt_code, text=text)


class ConcernNoteFactory(factory.Factory):
    """An internal note, added with `note_add` (encrypted, audited)."""

    class Meta:
        model = ConcernNote

    concern = factory.SubFactory(ConcernFactory)
    text = "A fictional note."
    author = factory.SubFactory(UserFactory, viewer=True)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> ConcernNote:
        return note_add(concern=kwargs["concern"], text=kwargs["text"], by=kwargs["author"])


class ConcernDecisionFactory(factory.Factory):
    """A decision recorded with `concern_decide`, which sets the concern's status and retention date.

    `option` is a DecisionOption or the code of one; `decided_at` travels there to decide. The concern
    given is refreshed afterwards, so it shows what the decision changed.
    """

    class Meta:
        model = ConcernDecision

    concern = factory.SubFactory(ConcernFactory)
    option = "no_further_action"
    reasons = "Fictional reasons."
    decided_by = factory.SubFactory(UserFactory, viewer=True)
    decided_at = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> ConcernDecision:
        concern, option = kwargs["concern"], kwargs["option"]
        if isinstance(option, str):
            option = DecisionOption.objects.get(code=option)
        decide = {
            "concern": concern,
            "option": option,
            "reasons": kwargs["reasons"],
            "by": kwargs["decided_by"],
        }
        if kwargs["decided_at"] is None:
            decision = concern_decide(**decide)
        else:
            with time_machine.travel(kwargs["decided_at"], tick=False):
                decision = concern_decide(**decide)
        concern.refresh_from_db()
        return decision


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testborough Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    kind = Team.Kind.OTHER

    @factory.post_generation
    def members(team: Team, create: bool, extracted: Any, **kwargs: Any) -> None:
        if extracted:
            team.members.add(*extracted)


class TeamMemberFactory(UserFactory):
    """A member of staff in concern teams, given as teams or slugs: `TeamMemberFactory(teams=[...])`."""

    @factory.post_generation
    def teams(user: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        for team in extracted or ():
            (team if isinstance(team, Team) else Team.objects.get(slug=team)).members.add(user)


class RoutingRuleFactory(DjangoModelFactory):
    """A rule that sends every concern (until conditions are given) to a new team."""

    class Meta:
        model = RoutingRule

    order = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Fictional rule {n}")
    team = factory.SubFactory(TeamFactory)


class DecisionOptionFactory(DjangoModelFactory):
    class Meta:
        model = DecisionOption

    name = factory.Sequence(lambda n: f"Fictional outcome {n}")
    code = factory.Sequence(lambda n: f"fictional_outcome_{n}")
    order = factory.Sequence(lambda n: 100 + n)
    retention_years = 6


class ConcernRowFactory(DjangoModelFactory):
    """A bare concern row: no answers checked, no routes, clock or audit. Only for tests of queries that
    need exact control of urgency and deadlines; everything else uses ConcernFactory."""

    class Meta:
        model = Concern

    reference = factory.Sequence(lambda n: f"TEST-{n:06d}")
    source = Concern.Source.PUBLIC
    about = "child"
    narrative = "A fictional account, for a test."
    receipt_code_hash = "0" * 64
    idempotency_key = factory.Sequence(lambda n: f"row-test-{n}")


class ConcernRouteFactory(DjangoModelFactory):
    class Meta:
        model = ConcernRoute

    concern = factory.SubFactory(ConcernRowFactory)
    team = factory.SubFactory(TeamFactory)
    reason = "Routed for a test"
