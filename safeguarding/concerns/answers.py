"""The answers a concern is made from, validated: one model for the public journey, referrals and the API.

`answers_validate(data, source=...)` returns `ConcernAnswers` or raises `ConcernInvalid`, whose
`errors` say in plain English which answer is wrong and why. Nothing else escapes it, whatever the
input. Every rule lives here, in the models: `PublicAnswers` for the public journey, `ReferralAnswers`
for a professional's referral (on /refer/ or from an agency's system, whose schema subclasses it).
Forms word the errors their own way from each error's `code`; they do not check the answers again.
Text is kept as typed (trimmed); it is encrypted when stored.
"""

import datetime
import re
from typing import Annotated, Any, Literal, NotRequired, TypedDict

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from safeguarding.core.ages import age_parse

from .models import About, Concern, Sign

ITEMS_MAX = 20  # people, vehicles, phones, places or online accounts in one concern


class AnswerError(TypedDict):
    """One thing wrong with the answers: where (a dotted path), and what, in plain English."""

    field: str
    message: str
    # What went wrong, for a form to say it in its own words: pydantic's error type, or a rule below.
    code: NotRequired[str]
    # The length or number the answer had to keep within, where there is one.
    limit: NotRequired[int]


class ConcernInvalid(Exception):
    """The answers cannot make a concern. `errors` is a list of {"field": ..., "message": ...}."""

    def __init__(self, errors: list[AnswerError]):
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid answers")


# The rules no type can say, by code: forms read the code, everyone else the message.
RULES = {
    "unreadable": "contains characters that cannot be read",
    "sign_unknown": "choose signs from the list given",
    "signs_repeated": "each sign can be ticked once",
    "date_format": "enter a real date, as YYYY-MM-DD",
    "born_in_future": "date of birth must be in the past",
    "born_too_early": "date of birth must be after 1890",
    "age_unreadable": "enter an age in years, like 15, about 15, 15 to 16 or mid teens",
    "person_empty": "tell us at least one thing about this person, or remove them",
    "vehicle_empty": "give a registration or describe the vehicle, or remove it",
    "place_empty": "give a place name, an address or a postcode, or remove it",
    "anonymous_named": "an anonymous report cannot include your name or contact details",
    "referrer_anonymous": "professionals must give their name and contact details",
    "basis_not_consent": "the person agreed, so the lawful basis is consent",
    "basis_needed": "without the person's agreement, choose the lawful basis for sharing",
    "adult_questions_for_child": "what the person knows and wants is asked only about adults",
    "professional_not_public": "professional details belong in a referral",
}


def _broken(code: str) -> PydanticCustomError:
    return PydanticCustomError(code, RULES[code])


def text_readable(value: str) -> str:
    # Lone surrogates cannot be stored as UTF-8; NUL is refused by PostgreSQL text in some paths.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _broken("unreadable") from None
    if "\x00" in value:
        raise _broken("unreadable")
    return value


def _sign_known(value: str) -> str:
    if value not in Sign.values:
        raise _broken("sign_unknown")
    return value


def _each_once(signs: list[str]) -> list[str]:
    if len(set(signs)) != len(signs):
        raise _broken("signs_repeated")
    return signs


def _date_read(value: Any) -> Any:
    """A date written as YYYY-MM-DD, read here rather than by pydantic, which in lax mode also takes
    "0" or 86400 as a date (seconds since 1970), and in strict mode no string at all."""
    if value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _broken("date_format")


def _born_in_range(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > datetime.date.today():
        raise _broken("born_in_future")
    if value is not None and value < datetime.date(1890, 1, 1):
        raise _broken("born_too_early")
    return value


def _age_typed(value: Any) -> Any:
    """An age is text as typed ("about 15", "15-16", "mid teens"); a whole number (as agency systems
    and older drafts send it) is read as its text. Anything else is left for the string check."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _age_readable(value: str) -> str:
    if value and age_parse(value) is None:
        raise _broken("age_unreadable")
    return value


_Trim = StringConstraints(strip_whitespace=True)
_Given = StringConstraints(min_length=1)  # after trimming: not blank
_Readable = AfterValidator(text_readable)
Short = Annotated[str, _Trim, StringConstraints(max_length=200), _Readable]
Medium = Annotated[str, _Trim, StringConstraints(max_length=2000), _Readable]
Long = Annotated[str, _Trim, StringConstraints(max_length=20000), _Readable]
Postcode = Annotated[str, _Trim, StringConstraints(max_length=20), _Readable]
ShortRequired = Annotated[str, _Trim, _Given, StringConstraints(max_length=200), _Readable]
MediumRequired = Annotated[str, _Trim, _Given, StringConstraints(max_length=2000), _Readable]
LongRequired = Annotated[str, _Trim, _Given, StringConstraints(max_length=20000), _Readable]
PhoneNumber = Annotated[str, _Trim, _Given, StringConstraints(max_length=40), _Readable]
SignCode = Annotated[str, AfterValidator(_sign_known)]
Age = Annotated[
    str,
    BeforeValidator(_age_typed),
    _Trim,
    StringConstraints(max_length=40),
    _Readable,
    AfterValidator(_age_readable),
    # What the API accepts: text as typed, or (as before ages were text) a whole number, or null.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": 40},
                {"type": "integer", "minimum": 0, "maximum": 120},
                {"type": "null"},
            ],
            "description": 'As typed: "15", "about 15", "15 to 16", "mid teens"; or a whole number.',
        }
    ),
]
DateOfBirth = Annotated[datetime.date | None, BeforeValidator(_date_read), AfterValidator(_born_in_range)]
AgencyId = Annotated[int, Field(ge=1, le=2**62)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PersonAnswer(_Strict):
    role: Literal["at_risk", "harming", "other"] = "other"
    name: Short = ""
    nicknames: Short = ""
    age: Age = ""
    date_of_birth: DateOfBirth = None
    description: Medium = ""

    @model_validator(mode="after")
    def _something_told(self) -> "PersonAnswer":
        if not any([self.name, self.nicknames, self.age, self.date_of_birth, self.description]):
            raise _broken("person_empty")
        return self


class VehicleAnswer(_Strict):
    registration: Short = ""
    description: Medium = ""

    @model_validator(mode="after")
    def _something(self) -> "VehicleAnswer":
        if not (self.registration or self.description):
            raise _broken("vehicle_empty")
        return self


class PhoneAnswer(_Strict):
    number: PhoneNumber


class PlaceAnswer(_Strict):
    venue: Short = ""
    address: Medium = ""
    postcode: Postcode = ""

    @model_validator(mode="after")
    def _something(self) -> "PlaceAnswer":
        if not (self.venue or self.address or self.postcode):
            raise _broken("place_empty")
        return self


class OnlineAccountAnswer(_Strict):
    platform: Short = ""
    handle: ShortRequired


class ReporterAnswer(_Strict):
    anonymous: bool = False
    name: Short = ""
    contact: Medium = ""
    relationship: Short = ""

    @model_validator(mode="after")
    def _anonymous_means_anonymous(self) -> "ReporterAnswer":
        if self.anonymous and (self.name or self.contact):
            raise _broken("anonymous_named")
        return self


class ReferrerAnswer(ReporterAnswer):
    """The professional who refers: named, with a way to be contacted, never anonymous."""

    anonymous: bool = Field(default=False, description="Must be false: professionals are not anonymous.")
    name: ShortRequired = Field(description="The referrer's name.")
    contact: MediumRequired = Field(description="How to reach the referrer: phone or e-mail.")

    @field_validator("anonymous")
    @classmethod
    def _named(cls, anonymous: bool) -> bool:
        if anonymous:
            raise _broken("referrer_anonymous")
        return anonymous


class ProfessionalAnswer(_Strict):
    agency_id: AgencyId
    role: ShortRequired
    existing_involvement: Medium = ""
    consent: Literal["given", "not_given", "not_asked"]
    lawful_basis: Literal["consent", "vital_interests", "public_task", "legal_obligation", "safeguarding"]
    lawful_basis_detail: Medium = ""

    @field_validator("lawful_basis")
    @classmethod
    def _basis_fits_consent(cls, basis: str, info: ValidationInfo) -> str:
        consent = info.data.get("consent")  # absent if the consent answer was itself wrong
        if consent == "given" and basis != "consent":
            raise _broken("basis_not_consent")
        if consent in {"not_given", "not_asked"} and basis == "consent":
            raise _broken("basis_needed")
        return basis


class ConcernAnswers(_Strict):
    """What every concern says, whoever sends it; `answers_validate` picks the subclass for the source."""

    immediate_danger: bool
    about: Literal["child", "adult", "not_sure"]
    narrative: LongRequired
    signs: Annotated[list[SignCode], AfterValidator(_each_once)] = Field(
        default_factory=list, max_length=len(Sign.values)
    )
    where_and_when: Long = ""
    people: list[PersonAnswer] = Field(default_factory=list, max_length=ITEMS_MAX)
    vehicles: list[VehicleAnswer] = Field(default_factory=list, max_length=ITEMS_MAX)
    phones: list[PhoneAnswer] = Field(default_factory=list, max_length=ITEMS_MAX)
    places: list[PlaceAnswer] = Field(default_factory=list, max_length=ITEMS_MAX)
    online_accounts: list[OnlineAccountAnswer] = Field(default_factory=list, max_length=ITEMS_MAX)
    reporter: ReporterAnswer = Field(default_factory=ReporterAnswer)
    adult_knows: Literal["yes", "no", "not_sure", ""] = ""
    adult_wants: Medium = ""
    professional: ProfessionalAnswer | None = None

    @model_validator(mode="after")
    def _adult_questions_about_adults(self) -> "ConcernAnswers":
        if self.about == About.CHILD.value and (self.adult_knows or self.adult_wants):
            raise _broken("adult_questions_for_child")
        return self


class PublicAnswers(ConcernAnswers):
    """A concern from a member of the public, through /report/."""

    @field_validator("professional", mode="before")
    @classmethod
    def _not_from_the_public(cls, professional: Any) -> Any:
        if professional is not None:
            raise _broken("professional_not_public")
        return professional


class ReferralAnswers(ConcernAnswers):
    """A professional's referral, on /refer/ or from an agency's system: who refers, from where, and on
    what basis they share."""

    reporter: ReferrerAnswer
    professional: ProfessionalAnswer

    @model_validator(mode="before")
    @classmethod
    def _referrer_asked(cls, data: Any) -> Any:
        # Without the reporter block, say which of its answers are missing, not only that it is.
        if isinstance(data, dict) and "reporter" not in data:
            return {**data, "reporter": {}}
        return data


_FIELD_NAMES = {
    "immediate_danger": "Immediate danger",
    "about": "Who the concern is about",
    "narrative": "What is happening",
    "signs": "Signs of exploitation",
    "where_and_when": "Where and when",
    "people": "People involved",
    "vehicles": "Vehicles",
    "phones": "Phone numbers",
    "places": "Places",
    "online_accounts": "Online accounts",
    "reporter": "About you",
    "adult_knows": "Does the person know",
    "adult_wants": "What the person wants",
    "professional": "Your agency and role",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _message(error: Any) -> str:
    kind = error.get("type", "")
    if kind in RULES:
        return _sentence(str(error.get("msg", "")))
    if kind == "missing":
        return "Answer this question"
    if kind == "string_too_short":
        return "This cannot be blank"
    if kind == "string_too_long":
        return f"Keep this to {error.get('ctx', {}).get('max_length', 'fewer')} characters or fewer"
    if kind == "too_long":
        return "There are too many of these"
    if kind.startswith("string"):
        return "Enter this as text"
    if kind == "extra_forbidden":
        return "This is not a question we ask"
    if kind in {"literal_error", "enum"}:
        return "Choose one of the options given"
    if kind.startswith("bool"):
        return "Answer yes or no"
    if kind.startswith(("int", "greater_than", "less_than")):
        return "Enter a whole number in the range asked for"
    if kind.startswith("date"):
        return "Enter a real date"
    if kind.startswith(("list", "model", "dict")):
        return "This answer is not in the form expected"
    if kind == "value_error":
        return _sentence(str(error.get("msg", "")).removeprefix("Value error, ")) or "Check this answer"
    return "Check this answer"


def _limit(error: Any) -> int | None:
    context = error.get("ctx") or {}
    for name in ("max_length", "le", "ge"):
        if isinstance(context.get(name), int):
            return int(context[name])
    return None


def validation_errors(error: ValidationError, *, whole: str = "answers") -> list[AnswerError]:
    """Pydantic's errors as {"field", "message", "code"} in plain English; `whole` names the top level."""
    errors: list[AnswerError] = []
    for item in error.errors(include_url=False, include_input=False):
        if item.get("type") == "json_invalid":
            errors.append({"field": whole, "message": "The body is not valid JSON", "code": "json_invalid"})
            continue
        location = [str(part) for part in item.get("loc", ())]
        head = _FIELD_NAMES.get(location[0], "Answers") if location else "Answers"
        found: AnswerError = {
            "field": ".".join(location) or whole,
            "message": f"{head}: {_message(item)}",
            "code": item.get("type", ""),
        }
        limit = _limit(item)
        if limit is not None:
            found["limit"] = limit
        errors.append(found)
    return errors


# Which answers each source gives: the public journey, or a professional's referral (form or API).
_ANSWERS_FROM: dict[str, type[ConcernAnswers]] = {
    Concern.Source.PUBLIC: PublicAnswers,
    Concern.Source.PROFESSIONAL: ReferralAnswers,
    Concern.Source.API: ReferralAnswers,
}


def answers_validate(data: Any, *, source: str) -> ConcernAnswers:
    """Validate raw answers for a concern from `source` (public, professional or api)."""
    model = _ANSWERS_FROM.get(source)
    if model is None:
        raise ConcernInvalid([{"field": "source", "message": "Unknown source of concern", "code": "source"}])
    if not isinstance(data, dict):
        raise ConcernInvalid(
            [
                {
                    "field": "answers",
                    "message": "The answers are not in the form expected",
                    "code": "model_type",
                }
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ConcernInvalid(validation_errors(error)) from None
