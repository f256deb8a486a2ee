"""The referral form: what it asks, how a posted form becomes answers, and its errors in GOV.UK words.

One page, in GOV.UK fieldsets (docs/decisions/0017). Repeatable groups (people, vehicles, phones,
places, online accounts) are rows named `<group>-<n>-<field>`; an "Add another" button posts the
form back with one more empty row, so the page works without JavaScript and nothing is kept on the
server between those posts. A row left wholly blank is ignored.

Whether the answers are right is for `concerns.answers` to say, as for the public journey and the API.
This module only reads the form into answers (`referral_answers`: the rows, a date typed as day, month
and year) and puts what `answers_validate` finds against the inputs that asked, in the form's own
words (`referral_errors`). One rule is the form's own: a professional sharing without the person's
agreement says why (0017); the answers, and so the API, take a referral without it.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from safeguarding.concerns.answers import ITEMS_MAX, AnswerError, ConcernInvalid, answers_validate
from safeguarding.concerns.models import About, Concern, ConcernPerson

ROWS_MAX = ITEMS_MAX


@dataclass(frozen=True)
class Group:
    """A repeatable group of the form, and the answers key it fills."""

    key: str
    title: str
    one: str
    fields: tuple[tuple[str, str], ...]  # (name, label)


GROUPS = (
    Group(
        "people",
        "People involved",
        "person",
        (
            ("role", "Who they are"),
            ("name", "Name"),
            ("nicknames", "Nicknames or other names"),
            ("age", "Age"),
            ("date_of_birth", "Date of birth"),
            ("description", "Description"),
        ),
    ),
    Group(
        "vehicles", "Vehicles", "vehicle", (("registration", "Registration"), ("description", "Description"))
    ),
    Group("phones", "Phone numbers", "phone number", (("number", "Phone number"),)),
    Group(
        "places",
        "Places",
        "place",
        (("venue", "Name of the place"), ("address", "Address"), ("postcode", "Postcode")),
    ),
    Group(
        "online_accounts",
        "Online accounts",
        "online account",
        (("platform", "App or website"), ("handle", "Username or handle")),
    ),
)
GROUPS_BY_KEY = {group.key: group for group in GROUPS}
PERSON_ROLES = ConcernPerson.Role.choices
CONSENT_CHOICES = Concern.Consent.choices
LAWFUL_BASES = [(v, label) for v, label in Concern.LawfulBasis.choices if v != Concern.LawfulBasis.CONSENT]
KNOWS_CHOICES = Concern.Knows.choices
ABOUT_CHOICES = About.choices
YES_NO = [("yes", "Yes"), ("no", "No")]
_YES_NO_ANSWERS = {"yes": True, "no": False}

# The form's inputs other than the rows, in page order, each with how a message names its answer.
_BEFORE_ROWS = {
    "agency": "Your agency",
    "role": "Your role",
    "reporter_name": "Your name",
    "reporter_contact": "Your phone number or email address",
    "existing_involvement": "What your agency is already doing",
    "immediate_danger": "Whether anyone is in immediate danger",
    "about": "Who the concern is about",
    "narrative": "What is happening",
    "signs": "Signs of exploitation",
    "where_and_when": "Where and when it is happening",
}
_AFTER_ROWS = {
    "adult_knows": "Whether the person knows",
    "adult_wants": "What they want to happen",
    "consent": "Whether the person has agreed",
    "lawful_basis": "The lawful basis for sharing",
    "lawful_basis_detail": "Why you are sharing without their agreement",
}
SINGLE_FIELDS = {**_BEFORE_ROWS, **_AFTER_ROWS}

# Where each answer (its path in concerns.answers) is asked, when not under its own name.
_ASKED_AT = {
    "reporter": "reporter_name",
    "reporter.anonymous": "reporter_name",
    "reporter.name": "reporter_name",
    "reporter.contact": "reporter_contact",
    "professional": "agency",
    "professional.agency_id": "agency",
    "professional.role": "role",
    "professional.existing_involvement": "existing_involvement",
    "professional.consent": "consent",
    "professional.lawful_basis": "lawful_basis",
    "professional.lawful_basis_detail": "lawful_basis_detail",
}

# What to say when an answer is missing or not one the form offers, whatever the answers' reason.
# Rows are named "<group>-<field>".
_ASK = {
    "agency": "Select your agency",
    "role": "Enter your role",
    "reporter_name": "Enter your name",
    "reporter_contact": "Enter a phone number or email address we can contact you on",
    "immediate_danger": "Select yes if someone is in immediate danger now",
    "about": "Select whether the concern is about a child, an adult, or you are not sure",
    "narrative": "Enter what is happening",
    "signs": "Select signs from the list",
    "adult_knows": "Select whether the person knows about this referral",
    "consent": "Select whether the person has agreed to this referral",
    "lawful_basis": "Select the lawful basis for sharing without the person's agreement",
    "lawful_basis_detail": "Explain why you are sharing without the person's agreement",
    "people-role": "Select who this person is",
    "people-age": "Enter an age in years, like 15, about 15, 15 to 16 or mid teens",
    "people-date_of_birth": "Enter the date of birth as day, month and year, like 27 3 2007",
}
# Answers worded by what is wrong with them ({limit}: the number they had to keep within); None: in
# the answers' own words, which say why a real date cannot be a date of birth as the journey does.
_BY_CODE: dict[tuple[str, str], str | None] = {
    ("people-date_of_birth", "date_not_real"): "Date of birth must be a real date",
    ("people-date_of_birth", "born_in_future"): None,
    ("people-date_of_birth", "born_too_early"): None,
}


@dataclass
class ReferralInput:
    """A posted referral form, as typed: single values, ticked signs, and the rows of each group."""

    values: dict[str, str] = field(default_factory=dict)
    signs: list[str] = field(default_factory=list)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    idempotency_key: str = ""


def _count(data: QueryDict, key: str) -> int:
    try:
        return max(1, min(ROWS_MAX, int(data.get(f"{key}-count", "1"))))
    except (TypeError, ValueError):
        return 1


def referral_read(data: QueryDict) -> ReferralInput:
    """What the form says. Never fails: every value is a string, however odd."""
    values = {name: str(data.get(name, "")).strip() for name in SINGLE_FIELDS}
    rows = {
        group.key: [
            {name: str(data.get(f"{group.key}-{n}-{name}", "")).strip() for name, _ in group.fields}
            for n in range(_count(data, group.key))
        ]
        for group in GROUPS
    }
    return ReferralInput(
        values=values,
        signs=[str(code) for code in data.getlist("signs")],
        rows=rows,
        idempotency_key=str(data.get("idempotency_key", "")),
    )


def referral_action(data: QueryDict) -> str:
    """What the button pressed asks for: "send", or "add-<group>" for one more row."""
    return str(data.get("action", "send"))


def referral_add_row(form: ReferralInput, key: str) -> str | None:
    """Add an empty row to group `key`; returns the id of its first input, or None if it is full."""
    group = GROUPS_BY_KEY.get(key)
    if group is None or len(form.rows[key]) >= ROWS_MAX:
        return None
    form.rows[key].append({name: "" for name, _ in group.fields})
    return f"{key}-{len(form.rows[key]) - 1}-{group.fields[0][0]}"


def _row_filled(row: dict[str, str], group: Group) -> bool:
    # A person's role alone (chosen, nothing typed) is not a person to send.
    return any(value for name, value in row.items() if not (group.key == "people" and name == "role"))


_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[\s/.-]+([0-9]{1,2})[\s/.-]+([0-9]{4})")


def _date_typed(text: str) -> str | None:
    """A date typed as day, month and year ("27 3 2007", "27/03/2007") as the answers take it
    ("2007-03-27"). Blank is no date; anything else goes as typed, for the answers to refuse or take."""
    if not text:
        return None
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return text
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _date_unreal(text: str) -> bool:
    """Whether `text` is a day, month and year that no calendar has (31 2 2011, 12 13 2010)."""
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return False
    day, month, year = (int(part) for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return True
    return False


def _row_answers(group: Group, row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = dict(row)
    if group.key == "people":
        item["age"] = row["age"]  # as typed ("about 15"): the answers refuse text with no age in it
        item["date_of_birth"] = _date_typed(row["date_of_birth"])
    return item


def referral_answers(form: ReferralInput) -> dict[str, Any]:
    """The answers the form gives, for `answers_validate` to judge. Never fails, whatever was posted."""
    v = form.values
    answers: dict[str, Any] = {
        # Anything but the two choices goes as posted, for the answers to refuse.
        "immediate_danger": _YES_NO_ANSWERS.get(v["immediate_danger"], v["immediate_danger"]),
        "about": v["about"],
        "narrative": v["narrative"],
        "signs": form.signs,
        "where_and_when": v["where_and_when"],
        "reporter": {"anonymous": False, "name": v["reporter_name"], "contact": v["reporter_contact"]},
        "professional": {
            "agency_id": v["agency"],  # the answers read "12" as 12, and refuse anything else
            "role": v["role"],
            "existing_involvement": v["existing_involvement"],
            "consent": v["consent"],
            # The form asks for a lawful basis only when the person has not agreed: agreeing is consent.
            "lawful_basis": (
                Concern.LawfulBasis.CONSENT if v["consent"] == Concern.Consent.GIVEN else v["lawful_basis"]
            ),
            "lawful_basis_detail": v["lawful_basis_detail"],
        },
    }
    if v["about"] != About.CHILD:
        # What an adult knows and wants (Making Safeguarding Personal) is not asked about a child.
        answers["adult_knows"] = v["adult_knows"]
        answers["adult_wants"] = v["adult_wants"]
    for group in GROUPS:
        answers[group.key] = [
            _row_answers(group, row) for row in form.rows[group.key] if _row_filled(row, group)
        ]
    return answers


def referral_errors(form: ReferralInput, answers: dict[str, Any]) -> dict[str, str]:
    """Everything wrong with the form, {input id: message} in page order: what `answers_validate`
    finds in its answers, and the form's own rule (module docstring)."""
    try:
        answers_validate(answers, source=Concern.Source.PROFESSIONAL)
        found: list[AnswerError] = []
    except ConcernInvalid as invalid:
        found = list(invalid.errors)
    # A day, month and year that make no date ("31 2 2011"): said so, before the answers' own words.
    people = [row for row in form.rows["people"] if _row_filled(row, GROUPS_BY_KEY["people"])]
    for index, row in enumerate(people):
        if _date_unreal(row["date_of_birth"]):
            found.insert(
                0,
                {
                    "field": f"people.{index}.date_of_birth",
                    "message": "Date of birth must be a real date",
                    "code": "date_not_real",
                },
            )
    v = form.values
    not_agreed = v["consent"] in Concern.Consent.values and v["consent"] != Concern.Consent.GIVEN
    if not_agreed and not v["lawful_basis_detail"]:
        found.append(
            {
                "field": "professional.lawful_basis_detail",
                "message": _ASK["lawful_basis_detail"],
                "code": "reason_missing",
            }
        )
    return referral_errors_placed(form, found)


def _asked_at(path: list[str], filled: dict[str, list[int]]) -> tuple[str, str]:
    """The input that asked for the answer at `path`, and its key in the message tables."""
    group = GROUPS_BY_KEY.get(path[0])
    if group is not None and len(path) >= 2 and path[1].isdigit():
        # Rows left blank were dropped, so answer row i is the ith filled row on the form.
        rows, index = filled[group.key], int(path[1])
        n = rows[index] if index < len(rows) else 0
        names = [name for name, _ in group.fields]
        # An error about the whole row (nothing told) goes on its first typed input.
        name = path[2] if len(path) > 2 and path[2] in names else next(i for i in names if i != "role")
        return f"{group.key}-{n}-{name}", f"{group.key}-{name}"
    target = _ASKED_AT.get(".".join(path[:2])) or _ASKED_AT.get(path[0])
    if target is None:
        target = path[0] if path[0] in SINGLE_FIELDS else "form"
    return target, target


def _message(key: str, name: str, error: AnswerError) -> str:
    code, limit = error.get("code", ""), error.get("limit")
    answers_say = error.get("message", "Check this answer").split(": ", 1)[-1]
    if (key, code) in _BY_CODE:
        worded = _BY_CODE[(key, code)]
        return answers_say if worded is None else worded.format(limit=limit)
    if code == "string_too_long" and limit is not None:
        return f"{name} must be {limit:,} characters or fewer"
    if code == "unreadable":
        return f"{name} contains characters that cannot be read"
    return _ASK.get(key, answers_say)


def referral_errors_placed(form: ReferralInput, errors: list[AnswerError]) -> dict[str, str]:
    """Errors of the answers (paths such as "people.0.name") put on the form's inputs, in page order."""
    filled = {
        group.key: [n for n, row in enumerate(form.rows[group.key]) if _row_filled(row, group)]
        for group in GROUPS
    }
    placed: dict[str, str] = {}
    for error in errors:
        path = str(error.get("field", "")).split(".")
        target, key = _asked_at(path, filled)
        group = GROUPS_BY_KEY.get(key.split("-", 1)[0]) if "-" in key else None
        name = dict(group.fields)[key.split("-", 1)[1]] if group else SINGLE_FIELDS.get(key, "This answer")
        placed.setdefault(target, _message(key, name, error))
    order = [
        "form",
        *_BEFORE_ROWS,
        *(
            f"{group.key}-{n}-{name}"
            for group in GROUPS
            for n in range(len(form.rows[group.key]))
            for name, _ in group.fields
        ),
        *_AFTER_ROWS,
    ]
    return {target: placed[target] for target in order if target in placed}
