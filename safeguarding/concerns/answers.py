"""The answers a concern is made from, validated: one shape for the public journey, referrals and the API.

`answers_validate(data, source=...)` returns `ConcernAnswers` or raises `ConcernInvalid`, whose
`errors` say in plain English which answer is wrong and why. Nothing else escapes it, whatever the
input. Text is kept as typed (trimmed); it is encrypted when stored.
"""

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from .models import About, Concern, Sign


class ConcernInvalid(Exception):
    """The answers cannot make a concern. `errors` is a list of {"field": ..., "message": ...}."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid answers")


def text_readable(value: str) -> str:
    # Lone surrogates cannot be stored as UTF-8; NUL is refused by PostgreSQL text in some paths.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("contains characters that cannot be read") from error
    if "\x00" in value:
        raise ValueError("contains characters that cannot be read")
    return value


def _sign_known(value: str) -> str:
    if value not in Sign.values:
        raise ValueError("choose signs from the list given")
    return value


_Trim = StringConstraints(strip_whitespace=True)
Short = Annotated[str, _Trim, StringConstraints(max_length=200), AfterValidator(text_readable)]
Medium = Annotated[str, _Trim, StringConstraints(max_length=2000), AfterValidator(text_readable)]
Long = Annotated[str, _Trim, StringConstraints(max_length=20000), AfterValidator(text_readable)]
Postcode = Annotated[str, _Trim, StringConstraints(max_length=20), AfterValidator(text_readable)]
SignCode = Annotated[str, AfterValidator(_sign_known)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PersonAnswer(_Strict):
    role: Literal["at_risk", "harming", "other"] = "other"
    name: Short = ""
    nicknames: Short = ""
    age: int | None = Field(default=None, ge=0, le=130)
    date_of_birth: datetime.date | None = None
    description: Medium = ""

    @model_validator(mode="after")
    def _sensible(self) -> "PersonAnswer":
        if self.date_of_birth and not (
            datetime.date(1890, 1, 1) <= self.date_of_birth <= datetime.date.today()
        ):
            raise ValueError("date of birth must be a real date in the past")
        if not any([self.name, self.nicknames, self.age is not None, self.date_of_birth, self.description]):
            raise ValueError("tell us at least one thing about this person, or remove them")
        return self


class VehicleAnswer(_Strict):
    registration: Short = ""
    description: Medium = ""

    @model_validator(mode="after")
    def _something(self) -> "VehicleAnswer":
        if not (self.registration or self.description):
            raise ValueError("give a registration or describe the vehicle, or remove it")
        return self


class PhoneAnswer(_Strict):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]

    @model_validator(mode="after")
    def _readable_number(self) -> "PhoneAnswer":
        text_readable(self.number)
        return self


class PlaceAnswer(_Strict):
    venue: Short = ""
    address: Medium = ""
    postcode: Postcode = ""

    @model_validator(mode="after")
    def _something(self) -> "PlaceAnswer":
        if not (self.venue or self.address or self.postcode):
            raise ValueError("give a place name, an address or a postcode, or remove it")
        return self


class OnlineAccountAnswer(_Strict):
    platform: Short = ""
    handle: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _readable_handle(self) -> "OnlineAccountAnswer":
        text_readable(self.handle)
        return self


class ReporterAnswer(_Strict):
    anonymous: bool = False
    name: Short = ""
    contact: Medium = ""
    relationship: Short = ""

    @model_validator(mode="after")
    def _anonymous_means_anonymous(self) -> "ReporterAnswer":
        if self.anonymous and (self.name or self.contact):
            raise ValueError("an anonymous report cannot include your name or contact details")
        return self


class ProfessionalAnswer(_Strict):
    agency_id: int = Field(ge=1, le=2**62)
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    existing_involvement: Medium = ""
    consent: Literal["given", "not_given", "not_asked"]
    lawful_basis: Literal["consent", "vital_interests", "public_task", "legal_obligation", "safeguarding"]
    lawful_basis_detail: Medium = ""

    @model_validator(mode="after")
    def _basis_fits_consent(self) -> "ProfessionalAnswer":
        text_readable(self.role)
        if self.consent == "given" and self.lawful_basis != "consent":
            raise ValueError("the person agreed, so the lawful basis is consent")
        if self.consent != "given" and self.lawful_basis == "consent":
            raise ValueError("without the person's agreement, choose the lawful basis for sharing")
        return self


class ConcernAnswers(_Strict):
    immediate_danger: bool
    about: Literal["child", "adult", "not_sure"]
    narrative: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    signs: list[SignCode] = Field(default_factory=list, max_length=len(Sign.values))
    where_and_when: Long = ""
    people: list[PersonAnswer] = Field(default_factory=list, max_length=20)
    vehicles: list[VehicleAnswer] = Field(default_factory=list, max_length=20)
    phones: list[PhoneAnswer] = Field(default_factory=list, max_length=20)
    places: list[PlaceAnswer] = Field(default_factory=list, max_length=20)
    online_accounts: list[OnlineAccountAnswer] = Field(default_factory=list, max_length=20)
    reporter: ReporterAnswer = Field(default_factory=ReporterAnswer)
    adult_knows: Literal["yes", "no", "not_sure", ""] = ""
    adult_wants: Medium = ""
    professional: ProfessionalAnswer | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "ConcernAnswers":
        text_readable(self.narrative)
        if len(set(self.signs)) != len(self.signs):
            raise ValueError("each sign can be ticked once")
        if self.about == About.CHILD and (self.adult_knows or self.adult_wants):
            raise ValueError("what the person knows and wants is asked only about adults")
        return self


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


def _message(error: Any) -> str:
    kind = error.get("type", "")
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
        return str(error.get("msg", "")).removeprefix("Value error, ").capitalize() or "Check this answer"
    return "Check this answer"


def validation_errors(error: ValidationError, *, whole: str = "answers") -> list[dict[str, str]]:
    """Pydantic's errors as {"field", "message"} pairs in plain English; `whole` names the top level."""
    errors = []
    for item in error.errors(include_url=False, include_input=False):
        if item.get("type") == "json_invalid":
            errors.append({"field": whole, "message": "The body is not valid JSON"})
            continue
        location = [str(part) for part in item.get("loc", ())]
        head = _FIELD_NAMES.get(location[0], "Answers") if location else "Answers"
        errors.append({"field": ".".join(location) or whole, "message": f"{head}: {_message(item)}"})
    return errors


def answers_validate(data: Any, *, source: str) -> ConcernAnswers:
    """Validate raw answers for a concern from `source` (public, professional or api)."""
    if not isinstance(data, dict):
        raise ConcernInvalid([{"field": "answers", "message": "The answers are not in the form expected"}])
    try:
        answers = ConcernAnswers.model_validate(data)
    except ValidationError as error:
        raise ConcernInvalid(validation_errors(error)) from None
    if source == Concern.Source.PUBLIC and answers.professional is not None:
        raise ConcernInvalid(
            [{"field": "professional", "message": "Professional details belong in a referral"}]
        )
    if source in {Concern.Source.PROFESSIONAL, Concern.Source.API}:
        missing = []
        if answers.professional is None:
            missing.append({"field": "professional", "message": "Your agency and role: Answer this question"})
        if answers.reporter.anonymous or not answers.reporter.name:
            missing.append(
                {"field": "reporter.name", "message": "About you: Professionals must give their name"}
            )
        if not answers.reporter.contact:
            missing.append({"field": "reporter.contact", "message": "About you: Give a way to contact you"})
        if missing:
            raise ConcernInvalid(missing)
    return answers
