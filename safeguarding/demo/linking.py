"""Demo data for "Seeing the pattern": a small linked network of fictional concerns, so an analyst can
try the network, its picture and table, the alert and a link decision in two minutes.

Five concerns over about eighteen months mention one car written three ways, one phone written two
ways and a nickname, about three different young people: the engine links them into one network and
raises one alert, as issue 9's scenario does. Everything is fictional (a made-up registration, a phone
in Ofcom's drama range, made-up names), each narrative says "Training example", and each concern has
a fixed idempotency key, so running load_demo again adds nothing.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import concern_submit
from safeguarding.linking.services import concern_link

_NARRATIVE = "Training example (fictional): {}"
_ZEPH = {"role": "harming", "nicknames": "Zeph", "description": "Drives a silver hatchback"}
# (days after the first, what happened, people, vehicles, phones)
_CONCERNS: list[tuple[int, str, list[dict[str, str]], list[str], list[str]]] = [
    (
        0,
        "a girl of 14 is picked up from school by an older man in a silver car.",
        [{"role": "at_risk", "name": "Tia Fictional", "age": "14"}, _ZEPH],
        ["KX19 FTV"],
        ["07700 900777"],
    ),
    (
        120,
        "a 15-year-old says a man called Zeph gives her lifts and a phone.",
        [{"role": "at_risk", "name": "Maya Madeup", "age": "15"}, _ZEPH],
        ["kx19ftv"],
        [],
    ),
    (
        240,
        "a young person missing overnight had a number saved as Zeph.",
        [{"role": "at_risk", "name": "Skye Notreal", "age": "15"}, _ZEPH],
        [],
        ["+44 7700 900777"],
    ),
    (
        400,
        "the same girl was seen getting into a silver car late at night.",
        [{"role": "at_risk", "name": "Tia Fictional", "age": "15"}],
        ["KX-19-FTV"],
        [],
    ),
    (
        530,
        "a 16-year-old has new clothes and says Zeph pays for them.",
        [{"role": "at_risk", "name": "Maya Madeup", "age": "16"}, _ZEPH],
        [],
        ["07700900777"],
    ),
]
_KEY = "demo-linking-{}"


def demo_network_concerns() -> QuerySet[Concern]:
    return Concern.objects.filter(idempotency_key__startswith="demo-linking-")


def demo_network_load() -> int:
    """Submit and link whatever of the demo network is missing; returns how many concerns were made."""
    start = timezone.now() - datetime.timedelta(days=560)
    made = []
    for number, (days, what, people, vehicles, phones) in enumerate(_CONCERNS, start=1):
        answers = {
            "immediate_danger": False,
            "about": "child",
            "narrative": _NARRATIVE.format(what),
            "signs": ["vehicles", "gifts_money"],
            "people": people,
            "vehicles": [{"registration": r, "description": "silver hatchback"} for r in vehicles],
            "phones": [{"number": p} for p in phones],
        }
        result = concern_submit(answers=answers, source="public", idempotency_key=_KEY.format(number))
        if result.created:
            # Received over eighteen months, so the timeline and the alert's window mean something.
            Concern.objects.filter(pk=result.concern.pk).update(
                received_at=start + datetime.timedelta(days=days)
            )
            made.append(result.concern.pk)
    for pk in made:  # in the order received, as the task queue would have linked them
        concern_link(concern_id=pk)
    return len(made)
