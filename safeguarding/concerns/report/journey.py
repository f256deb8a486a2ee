"""The order of the report journey's pages, and which of them a reporter sees (docs/decisions/0016).

One list of steps and two small rules: the questions about what an adult knows and wants are skipped
for a child, and "yes" to immediate danger shows the call-999 page before the next question. Views
ask this module where to go next or back; nothing else in the journey knows the order.
"""

from typing import Any

DANGER = "danger"
ABOUT = "about"
NARRATIVE = "what-is-happening"
SIGNS = "signs"
WHERE_AND_WHEN = "where-and-when"
PEOPLE = "people"
VEHICLES = "vehicles"
PHONES = "phones"
PLACES = "places"
ONLINE_ACCOUNTS = "online-accounts"
ABOUT_YOU = "about-you"
RELATIONSHIP = "relationship"
ADULT_KNOWS = "does-the-person-know"
ADULT_WANTS = "what-they-want"
CHECK = "check"
CALL_999 = "call-999"

STEPS: tuple[str, ...] = (
    DANGER,
    ABOUT,
    NARRATIVE,
    SIGNS,
    WHERE_AND_WHEN,
    PEOPLE,
    VEHICLES,
    PHONES,
    PLACES,
    ONLINE_ACCOUNTS,
    ABOUT_YOU,
    RELATIONSHIP,
    ADULT_KNOWS,
    ADULT_WANTS,
    CHECK,
)
# Making Safeguarding Personal: asked when the concern is, or may be, about an adult.
ADULT_STEPS = frozenset({ADULT_KNOWS, ADULT_WANTS})
# The answers without which there is no report; the check page sends the reporter back for them.
REQUIRED = ((DANGER, "immediate_danger"), (ABOUT, "about"), (NARRATIVE, "narrative"))


def steps_for(answers: dict[str, Any]) -> list[str]:
    """The steps this reporter sees, in order, given the answers so far."""
    if answers.get("about") == "child":
        return [step for step in STEPS if step not in ADULT_STEPS]
    return list(STEPS)


def step_next(step: str, answers: dict[str, Any], *, returning_to_check: bool = False) -> str:
    """Where to go after answering `step`: the call-999 page after "yes" to danger, then the next step.

    A reporter changing an answer from the check page goes back to it, unless they have just said
    someone is in immediate danger (they must see the call-999 page first).
    """
    if step == DANGER and answers.get("immediate_danger") is True:
        return CALL_999
    if step == CALL_999:
        return CHECK if returning_to_check else ABOUT
    if returning_to_check:
        return CHECK
    visible = steps_for(answers)
    if step not in visible:
        return visible[0]
    return visible[min(visible.index(step) + 1, len(visible) - 1)]


def step_previous(step: str, answers: dict[str, Any], *, returning_to_check: bool = False) -> str | None:
    """The page a back link goes to; None on the first question (the start page is outside the steps)."""
    if returning_to_check:
        return CHECK
    if step == CALL_999:
        return DANGER
    visible = steps_for(answers)
    if step not in visible:
        return None
    position = visible.index(step)
    if position == 0:
        return None
    previous = visible[position - 1]
    if previous == DANGER and answers.get("immediate_danger") is True:
        return CALL_999
    return previous


def step_missing(answers: dict[str, Any]) -> str | None:
    """The first step whose required answer is missing, or None when the report can be checked."""
    for step, field in REQUIRED:
        if answers.get(field) in (None, ""):
            return step
    return None


def answers_for_submit(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as concern_submit takes them: adults' questions dropped for a child, and a reporter
    who never said who they are counted as anonymous."""
    data = dict(answers)
    if data.get("about") == "child":
        data.pop("adult_knows", None)
        data.pop("adult_wants", None)
    reporter = dict(data.get("reporter") or {})
    reporter.setdefault("anonymous", not reporter.get("name"))
    data["reporter"] = reporter
    return data
