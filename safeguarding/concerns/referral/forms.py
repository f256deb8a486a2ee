"""The referral form: what it asks, how it reads a posted form, and its plain-English errors.

One page, in GOV.UK fieldsets (docs/decisions/0017). Repeatable groups (people, vehicles, phones,
places, online accounts) are rows named `<group>-<n>-<field>`; an "Add another" button posts the
form back with one more empty row, so the page works without JavaScript and nothing is kept on the
server between those posts. A row left wholly blank is ignored.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from safeguarding.concerns.models import About, Concern, ConcernPerson, Sign
from safeguarding.partnership.models import Agency

ROWS_MAX = 20


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

SINGLE_FIELDS = (
    "agency",
    "role",
    "reporter_name",
    "reporter_contact",
    "existing_involvement",
    "immediate_danger",
    "about",
    "narrative",
    "where_and_when",
    "adult_knows",
    "adult_wants",
    "consent",
    "lawful_basis",
    "lawful_basis_detail",
)

# Where each answers path (from concerns.answers) is shown on the form.
_ANSWER_TO_INPUT = {
    "immediate_danger": "immediate_danger",
    "about": "about",
    "narrative": "narrative",
    "signs": "signs",
    "where_and_when": "where_and_when",
    "adult_knows": "adult_knows",
    "adult_wants": "adult_wants",
    "reporter": "reporter_name",
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


_DATE_PARTS = re.compile(r"^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})$")


def _date_of_birth(text: str) -> str | None:
    """ "27 3 2007", "27/03/2007" or "2007-03-27" as an ISO date; None if it is not a real date."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text).isoformat()
        match = _DATE_PARTS.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
    return None


def _number(text: str, most: int) -> bool:
    # ASCII digits only: "²" and "٣" pass str.isdigit() but are not what a person means.
    return text.isascii() and text.isdigit() and len(text) <= 20 and int(text) <= most


def _row_filled(row: dict[str, str], group: Group) -> bool:
    # The person's role alone is a default choice, not something typed.
    return any(value for name, value in row.items() if not (group.key == "people" and name == "role"))


def referral_errors(form: ReferralInput) -> dict[str, str]:
    """Required answers missing, and answers in the wrong form: {input id: message}, in page order."""
    v = form.values
    errors: dict[str, str] = {}
    if not _number(v["agency"], 2**62) or not Agency.objects.filter(pk=int(v["agency"])).exists():
        errors["agency"] = "Select your agency"
    if not v["role"]:
        errors["role"] = "Enter your role"
    if not v["reporter_name"]:
        errors["reporter_name"] = "Enter your name"
    if not v["reporter_contact"]:
        errors["reporter_contact"] = "Enter a phone number or email address we can contact you on"
    if v["immediate_danger"] not in {"yes", "no"}:
        errors["immediate_danger"] = "Select yes if someone is in immediate danger now"
    if v["about"] not in About.values:
        errors["about"] = "Select whether the concern is about a child, an adult, or you are not sure"
    if not v["narrative"]:
        errors["narrative"] = "Enter what is happening"
    if any(code not in Sign.values for code in form.signs):
        errors["signs"] = "Select signs from the list"
    for n, row in enumerate(form.rows["people"]):
        if row["age"] and not _number(row["age"], 130):
            errors[f"people-{n}-age"] = "Enter the age as a whole number, like 15"
        born = _date_of_birth(row["date_of_birth"]) if row["date_of_birth"] else ""
        if born is None or (born and not ("1890-01-01" <= born <= datetime.date.today().isoformat())):
            errors[f"people-{n}-date_of_birth"] = (
                "Enter the date of birth as day, month and year, like 27 3 2007"
            )
        if row["role"] not in dict(PERSON_ROLES):
            errors[f"people-{n}-role"] = "Select who this person is"
    if v["adult_knows"] and v["adult_knows"] not in dict(KNOWS_CHOICES):
        errors["adult_knows"] = "Select whether the person knows about this referral"
    if v["consent"] not in dict(CONSENT_CHOICES):
        errors["consent"] = "Select whether the person has agreed to this referral"
    elif v["consent"] != Concern.Consent.GIVEN:
        if v["lawful_basis"] not in dict(LAWFUL_BASES):
            errors["lawful_basis"] = "Select the lawful basis for sharing without the person's agreement"
        if not v["lawful_basis_detail"]:
            errors["lawful_basis_detail"] = "Explain why you are sharing without the person's agreement"
    return errors


def referral_answers(form: ReferralInput) -> dict[str, Any]:
    """The answers for concern_submit, from a form with no errors from `referral_errors`."""
    v = form.values
    about = v["about"]
    answers: dict[str, Any] = {
        "immediate_danger": v["immediate_danger"] == "yes",
        "about": about,
        "narrative": v["narrative"],
        "signs": list(dict.fromkeys(form.signs)),
        "where_and_when": v["where_and_when"],
        "reporter": {"anonymous": False, "name": v["reporter_name"], "contact": v["reporter_contact"]},
        "professional": {
            "agency_id": int(v["agency"]),
            "role": v["role"],
            "existing_involvement": v["existing_involvement"],
            "consent": v["consent"],
            "lawful_basis": (
                Concern.LawfulBasis.CONSENT if v["consent"] == Concern.Consent.GIVEN else v["lawful_basis"]
            ),
            "lawful_basis_detail": v["lawful_basis_detail"],
        },
    }
    if about != About.CHILD:
        # What an adult knows and wants (Making Safeguarding Personal) is not asked about a child.
        answers["adult_knows"] = v["adult_knows"]
        answers["adult_wants"] = v["adult_wants"]
    for group in GROUPS:
        items = []
        for row in form.rows[group.key]:
            if not _row_filled(row, group):
                continue
            item: dict[str, Any] = dict(row)
            if group.key == "people":
                item["age"] = int(row["age"]) if row["age"] else None
                item["date_of_birth"] = _date_of_birth(row["date_of_birth"]) if row["date_of_birth"] else None
            items.append(item)
        answers[group.key] = items
    return answers


def referral_errors_from_answers(errors: list[dict[str, str]], form: ReferralInput) -> dict[str, str]:
    """concern_submit's errors ({"field": "people.0.name", ...}) placed against the form's inputs."""
    placed: dict[str, str] = {}
    # Rows left blank were dropped, so answer row n is the nth filled row on the form.
    filled = {
        group.key: [n for n, row in enumerate(form.rows[group.key]) if _row_filled(row, group)]
        for group in GROUPS
    }
    for error in errors:
        path = error.get("field", "").split(".")
        message = error.get("message", "Check this answer")
        message = message.split(": ", 1)[1] if ": " in message else message
        if path and path[0] in filled and len(path) >= 2 and path[1].isdigit():
            index = int(path[1])
            rows = filled[path[0]]
            n = rows[index] if index < len(rows) else 0
            group = GROUPS_BY_KEY[path[0]]
            name = path[2] if len(path) > 2 and path[2] in dict(group.fields) else group.fields[-1][0]
            if group.key == "people" and len(path) == 2:
                name = "name"
            placed.setdefault(f"{path[0]}-{n}-{name}", message)
            continue
        target = _ANSWER_TO_INPUT.get(".".join(path[:2])) or _ANSWER_TO_INPUT.get(path[0]) or "form"
        placed.setdefault(target, message)
    return placed
