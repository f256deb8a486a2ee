"""Contact points: the numbers the public is given on /get-help/ (front doors, out of hours, 999,
helplines). Added, changed or removed here; the public pages show the change at once (the page cache
watches the model)."""

import re
from typing import Any

from django.core.exceptions import ValidationError

from safeguarding.partnership.models import ContactPoint

from ._audit import config_delete, config_save
from ._slugs import slug_unused

CONTACT_FIELDS = [
    "slug",
    "kind",
    "audience",
    "name",
    "organisation",
    "phone",
    "hours",
    "description",
    "website",
    "order",
]
# Digits, spaces, brackets, hyphens and a leading +: what people write a number with.
_PHONE = re.compile(r"^\+?[\d\s()-]+$")


PHONE_INVALID = "Enter a phone number, like 0191 498 0000 or 999"


def phone_valid(phone: str) -> bool:
    """Whether `phone` reads as a phone number: 3 to 15 digits, with spaces, brackets, hyphens, a +."""
    digits = sum(ch.isdigit() for ch in phone)
    return bool(_PHONE.match(phone)) and 3 <= digits <= 15


def _contact_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    errors: dict[str, str] = {}
    if not cleaned.get("name"):
        errors["name"] = "Enter the name of the service"
    phone = cleaned.get("phone") or ""
    if not phone:
        errors["phone"] = "Enter the phone number"
    elif not phone_valid(phone):
        errors["phone"] = PHONE_INVALID
    if not cleaned.get("hours"):
        errors["hours"] = "Enter when the line is open, like 'Monday to Friday, 8:30am to 5pm'"
    if cleaned.get("kind") not in ContactPoint.Kind.values:
        errors["kind"] = "Select what kind of contact point it is"
    if cleaned.get("audience") not in ContactPoint.Audience.values:
        errors["audience"] = "Select who it is for"
    if errors:
        raise ValidationError(errors)
    return cleaned


def contact_point_create(*, by: Any, **values: Any) -> ContactPoint:
    values = _contact_values(values)
    values["slug"] = slug_unused(ContactPoint, values["name"], fallback="contact")
    point, _ = config_save(
        instance=ContactPoint(), values=values, fields=CONTACT_FIELDS, by=by, noun="Contact point"
    )
    return point


def contact_point_update(*, point: ContactPoint, by: Any, **values: Any) -> ContactPoint:
    values = _contact_values(values)
    point, _ = config_save(instance=point, values=values, fields=CONTACT_FIELDS, by=by, noun="Contact point")
    return point


def contact_point_delete(*, point: ContactPoint, by: Any) -> None:
    """Take a contact point off the help page for good. The audit trail keeps what it said."""
    config_delete(instance=point, fields=CONTACT_FIELDS, by=by, noun="Contact point")
