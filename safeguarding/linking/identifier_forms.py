"""Forms of the identifiers page: one per kind of identifier, asking for the parts people type, and a
person's role. They only gather input; services.identifiers checks and cleans it."""

import datetime
from typing import Any

from django import forms

from safeguarding.core.forms import GovukDateField, GovukForm

from .models import Identifier

Kind, Role = Identifier.Kind, Identifier.Role


def _text(label: str, max_length: int, *, help_text: str = "", width: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
    )
    if width:
        field.widget.attrs["class"] = f"govuk-input {width}"
    return field


class IdentifierForm(GovukForm):
    """The parts of one identifier. Subclasses name the kind; `parts()` is what the service takes."""

    id_prefix = "identifier"
    kind: str = ""

    def chosen_role(self) -> str:
        fixed: dict[str, str] = {
            Kind.PHONE: Role.CONTACT,
            Kind.VEHICLE: Role.VEHICLE_USED,
            Kind.PLACE: Role.PLACE_OF_HARM,
            Kind.ACCOUNT: Role.CONTACT,
        }
        return fixed.get(self.kind, Role.OTHER)

    def parts(self) -> dict[str, str]:
        return {name: str(value or "") for name, value in self.cleaned_data.items() if name != "role"}

    @classmethod
    def initial_from(cls, parts: dict[str, str], role: str) -> dict[str, Any]:
        return {**parts, "role": role}


class PersonForm(IdentifierForm):
    kind = Kind.PERSON

    role = forms.ChoiceField(
        label="Who is this person in the concern?",
        choices=[(r.value, r.label) for r in (Role.AT_RISK, Role.HARMING, Role.OTHER)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who this person is",
            "invalid_choice": "Select who this person is",
        },
    )
    name = _text("Name", 200)
    aliases = _text("Other names", 200, help_text="Separate names with commas")
    nicknames = _text("Nicknames", 200, help_text="Separate nicknames with commas")
    age = _text(
        "Age on the date of the concern",
        40,
        help_text="For example, 15, about 15, 15 to 16 or mid teens",
        width="govuk-input--width-10",
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 2009")

    def chosen_role(self) -> str:
        return str(self.cleaned_data.get("role") or "")

    def parts(self) -> dict[str, str]:
        parts = super().parts()
        born = self.cleaned_data.get("date_of_birth")
        parts["date_of_birth"] = born.isoformat() if isinstance(born, datetime.date) else ""
        return parts

    @classmethod
    def initial_from(cls, parts: dict[str, str], role: str) -> dict[str, Any]:
        initial = super().initial_from(parts, role)
        try:
            initial["date_of_birth"] = datetime.date.fromisoformat(parts.get("date_of_birth", ""))
        except ValueError:
            initial["date_of_birth"] = None
        return initial


class PhoneForm(IdentifierForm):
    kind = Kind.PHONE
    number = _text(
        "Phone number", 40, help_text="As written, for example 07700 900123", width="govuk-input--width-20"
    )


class VehicleForm(IdentifierForm):
    kind = Kind.VEHICLE
    registration = _text("Registration number", 200, width="govuk-input--width-10")


class PlaceForm(IdentifierForm):
    kind = Kind.PLACE
    venue = _text("Name of the place", 200)
    address = forms.CharField(
        label="Address",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Address must be 2,000 characters or fewer"},
    )
    postcode = _text(
        "Postcode", 20, help_text="A full postcode or its first part, like NE1", width="govuk-input--width-10"
    )


class AccountForm(IdentifierForm):
    kind = Kind.ACCOUNT
    platform = _text("Platform", 200, help_text="For example, Snapchat or Instagram")
    handle = _text("Username or handle", 200, help_text="With or without the @")


FORMS: dict[str, type[IdentifierForm]] = {
    form.kind: form for form in (PersonForm, PhoneForm, VehicleForm, PlaceForm, AccountForm)
}
# The kinds in URLs: words, never anything typed.
KIND_SLUGS = {
    "person": Kind.PERSON,
    "phone": Kind.PHONE,
    "vehicle": Kind.VEHICLE,
    "place": Kind.PLACE,
    "account": Kind.ACCOUNT,
}
ADD_TITLES: dict[str, str] = {
    Kind.PERSON: "Add a person",
    Kind.PHONE: "Add a phone number",
    Kind.VEHICLE: "Add a vehicle",
    Kind.PLACE: "Add a place",
    Kind.ACCOUNT: "Add an online account",
}
