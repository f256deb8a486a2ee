"""The report journey's questions, one form a page, with GOV.UK error messages.

Each form turns the answers kept in the session into its initial values (`initial_from`) and its
cleaned data back into answers (`answers_from`), in the shape `concerns.answers.ConcernAnswers`
validates, with the same length limits. Those limits are checked here first so that a reporter sees
the problem on the page that asked, not at the end.
"""

import datetime
from typing import Any, ClassVar

from django import forms

from safeguarding.core.ages import age_parse

from ..models import About, Concern, Sign

SHORT, MEDIUM, LONG, POSTCODE, PHONE, AGE = 200, 2000, 20000, 20, 40, 40
YES_NO = [("yes", "Yes"), ("no", "No")]
NONE_OF_THESE = "none"
AGE_UNREADABLE = "Enter an age in years, like 15, about 15, 15 to 16 or mid teens"


def _text(label: str, max_length: int, *, required: bool = False, blank: str = "") -> forms.CharField:
    return forms.CharField(
        required=required,
        max_length=max_length,
        strip=True,
        error_messages={
            "required": blank or f"Enter {label.lower()}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
            "null_characters_not_allowed": f"{label} contains characters that cannot be read",
        },
    )


def _choice(choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, error_messages={"required": message, "invalid_choice": message})


class StepForm(forms.Form):
    """A question page: how its answers are read from and written to the report in progress."""

    fields_in_answers: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        return {name: answers[name] for name in cls.fields_in_answers if name in answers}

    def answers_from(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields_in_answers}

    def answers_update(self, answers: dict[str, Any]) -> None:
        """Write this page's answers into the report in progress."""
        answers.update(self.answers_from())


class ReporterStepForm(StepForm):
    """A page about the reporter: its answers live under answers["reporter"]."""

    def answers_update(self, answers: dict[str, Any]) -> None:
        reporter = answers.get("reporter")
        answers["reporter"] = {**(reporter if isinstance(reporter, dict) else {}), **self.answers_from()}


class DangerForm(StepForm):
    immediate_danger = _choice(YES_NO, "Select yes if someone is in immediate danger now")

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        if "immediate_danger" not in answers:
            return {}
        return {"immediate_danger": "yes" if answers["immediate_danger"] else "no"}

    def answers_from(self) -> dict[str, Any]:
        return {"immediate_danger": self.cleaned_data["immediate_danger"] == "yes"}


class AboutForm(StepForm):
    fields_in_answers = ("about",)
    about = _choice(About.choices, "Select who your concern is about")

    def answers_update(self, answers: dict[str, Any]) -> None:
        super().answers_update(answers)
        if answers["about"] == About.CHILD:
            # What the person knows and wants is asked only about adults.
            answers.pop("adult_knows", None)
            answers.pop("adult_wants", None)


class NarrativeForm(StepForm):
    fields_in_answers = ("narrative",)
    narrative = _text("What is happening", LONG, required=True, blank="Enter what is happening")


class SignsForm(StepForm):
    signs = forms.MultipleChoiceField(
        required=False,
        choices=[*Sign.choices, (NONE_OF_THESE, "None of these, or I do not know")],
        error_messages={"invalid_choice": "Select signs from the list"},
    )

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        if "signs" not in answers:
            return {}
        return {"signs": answers["signs"] or [NONE_OF_THESE]}

    def clean_signs(self) -> list[str]:
        signs = self.cleaned_data["signs"]
        if NONE_OF_THESE in signs and len(signs) > 1:
            # GOV.UK style: curly quotes round the option's name.
            raise forms.ValidationError("Select the signs you have seen, or select ‘None of these’")  # noqa: RUF001
        return [sign for sign in signs if sign != NONE_OF_THESE]

    def answers_from(self) -> dict[str, Any]:
        return {"signs": self.cleaned_data["signs"]}


class WhereAndWhenForm(StepForm):
    fields_in_answers = ("where_and_when",)
    where_and_when = _text("Where and when", LONG)


class AboutYouForm(ReporterStepForm):
    anonymous = _choice(
        [("yes", "No, I want to stay anonymous"), ("no", "Yes, I will give my name")],
        "Select whether you want to give your name",
    )
    name = _text("Your name", SHORT)
    contact = _text("How we can contact you", MEDIUM)

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        reporter = answers.get("reporter")
        if not isinstance(reporter, dict):
            return {}
        return {
            "anonymous": "yes" if reporter.get("anonymous") else "no",
            "name": reporter.get("name", ""),
            "contact": reporter.get("contact", ""),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anonymous") == "no" and not data.get("name") and "name" not in self.errors:
            self.add_error("name", "Enter your name, or choose to stay anonymous")
        return data

    def answers_from(self) -> dict[str, Any]:
        anonymous = self.cleaned_data["anonymous"] == "yes"
        return {
            "anonymous": anonymous,
            # Anonymous means anonymous: anything typed before choosing so is dropped.
            "name": "" if anonymous else self.cleaned_data["name"],
            "contact": "" if anonymous else self.cleaned_data["contact"],
        }


class RelationshipForm(ReporterStepForm):
    relationship = _text("Your relationship to the person", SHORT)

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        reporter = answers.get("reporter")
        return {"relationship": reporter.get("relationship", "")} if isinstance(reporter, dict) else {}

    def answers_from(self) -> dict[str, Any]:
        return {"relationship": self.cleaned_data["relationship"]}


class AdultKnowsForm(StepForm):
    fields_in_answers = ("adult_knows",)
    adult_knows = _choice(Concern.Knows.choices, "Select whether the person knows about this report")


class AdultWantsForm(StepForm):
    fields_in_answers = ("adult_wants",)
    adult_wants = _text("What they want to happen", MEDIUM)


class AddAnotherForm(forms.Form):
    add = _choice(YES_NO, "Select yes or no")

    def __init__(self, *args: Any, message: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if message:
            self.fields["add"].error_messages = {"required": message, "invalid_choice": message}


class ItemForm(forms.Form):
    """One entry of a repeatable list (a person, a vehicle...): a dict in the answers' list."""

    item_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name, "") for name in cls.item_fields}

    def item(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.item_fields}


def _date_part(value: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not value.isdigit() or len(value) > 4:
        return None
    number = int(value)
    return number if low <= number <= high else None


class PersonForm(ItemForm):
    item_fields = ("role", "name", "nicknames", "age", "description")
    role = _choice(
        [
            ("at_risk", "The person at risk"),
            ("harming", "Someone who may be harming them"),
            ("other", "Someone else"),
        ],
        "Select who this person is",
    )
    name = _text("Name", SHORT)
    nicknames = _text("Nicknames or other names", SHORT)
    # As typed: "15", "about fifteen", "15 to 16", "mid teens" (core.ages reads it).
    age = _text("Age", AGE)
    date_of_birth_day = forms.CharField(required=False, max_length=10)
    date_of_birth_month = forms.CharField(required=False, max_length=10)
    date_of_birth_year = forms.CharField(required=False, max_length=10)
    description = _text("Description", MEDIUM)

    def clean_age(self) -> str:
        age = str(self.cleaned_data.get("age") or "")
        if age and age_parse(age) is None:
            raise forms.ValidationError(AGE_UNREADABLE)
        return age

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(item)
        initial["age"] = "" if item.get("age") is None else str(item["age"])
        if item.get("date_of_birth"):
            year, month, day = str(item["date_of_birth"]).split("-")
            initial.update(
                date_of_birth_day=str(int(day)), date_of_birth_month=str(int(month)), date_of_birth_year=year
            )
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["date_of_birth"] = self._date_of_birth(data)
        told = [data.get(name) for name in ("name", "nicknames", "description", "date_of_birth")]
        if not any(told) and not data.get("age") and not self.errors:
            self.add_error(
                None, "Tell us at least one thing about this person: a name, an age or a description"
            )
        return data

    def _date_of_birth(self, data: dict[str, Any]) -> str | None:
        parts = {name: (data.get(f"date_of_birth_{name}") or "").strip() for name in ("day", "month", "year")}
        if not any(parts.values()):
            return None
        missing = [name for name, value in parts.items() if not value]
        if missing:
            self.add_error(f"date_of_birth_{missing[0]}", f"Date of birth must include a {missing[0]}")
            return None
        day, month = _date_part(parts["day"], 1, 31), _date_part(parts["month"], 1, 12)
        year = _date_part(parts["year"], 1000, 9999)
        if year is None:
            self.add_error("date_of_birth_year", "Year must include 4 numbers")
            return None
        try:
            born = datetime.date(year, month or 0, day or 0)
        except ValueError:
            self.add_error("date_of_birth_day", "Date of birth must be a real date")
            return None
        if born > datetime.date.today():
            self.add_error("date_of_birth_day", "Date of birth must be in the past")
            return None
        if born < datetime.date(1890, 1, 1):
            self.add_error("date_of_birth_year", "Date of birth must be after 1890")
            return None
        return born.isoformat()

    def item(self) -> dict[str, Any]:
        item = super().item()
        if not item["age"]:
            del item["age"]
        if self.cleaned_data.get("date_of_birth"):
            item["date_of_birth"] = self.cleaned_data["date_of_birth"]
        return item


class VehicleForm(ItemForm):
    item_fields = ("registration", "description")
    registration = _text("Registration number", SHORT)
    description = _text("Description", MEDIUM)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("registration") or data.get("description")):
            self.add_error("registration", "Enter a registration number or describe the vehicle")
        return data


class PhoneForm(ItemForm):
    item_fields = ("number",)
    number = _text("Phone number", PHONE, required=True)


class PlaceForm(ItemForm):
    item_fields = ("venue", "address", "postcode")
    venue = _text("Name of the place", SHORT)
    address = _text("Address", MEDIUM)
    postcode = _text("Postcode", POSTCODE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("venue") or data.get("address") or data.get("postcode")):
            self.add_error("venue", "Enter the name of the place, an address or a postcode")
        return data


class OnlineAccountForm(ItemForm):
    item_fields = ("platform", "handle")
    platform = _text("App or website", SHORT)
    handle = _text("Username or account name", SHORT, required=True)
