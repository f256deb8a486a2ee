"""Field types for content packs, as pydantic annotated types: text with its database limit, slugs,
web addresses, and the model every pack section derives from.

Pack files are read into plain strings, lists and mappings (see yaml_source.py), so every scalar
arrives as text and pydantic parses dates, booleans and choices from it. Unknown keys are refused,
and text lengths match the database columns so that a valid pack always fits.
"""

from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def none_to_empty_text(value: Any) -> Any:
    # An empty key in YAML (`background:`) means "no text", not "missing".
    return "" if value is None else value


def none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def _check_url(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError:
            raise ValueError("give a full web address starting with https:// or http://") from None
    return value


def _check_required_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


_Optional = BeforeValidator(none_to_empty_text)
_Required = AfterValidator(_check_required_text)

# Optional text (empty if left out or blank), and text that must be given; the number is the limit.
Text = Annotated[str, _Optional, StringConstraints(strip_whitespace=True)]
Text40 = Annotated[str, _Optional, StringConstraints(strip_whitespace=True, max_length=40)]
Text100 = Annotated[str, _Optional, StringConstraints(strip_whitespace=True, max_length=100)]
Text200 = Annotated[str, _Optional, StringConstraints(strip_whitespace=True, max_length=200)]
RequiredText = Annotated[str, StringConstraints(strip_whitespace=True), _Required]
RequiredText10 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10), _Required]
RequiredText20 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20), _Required]
RequiredText40 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), _Required]
RequiredText120 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), _Required]
RequiredText200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), _Required]
RequiredText300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), _Required]


Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN, max_length=50)]
ReviewSlug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN, max_length=80)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Url = Annotated[
    str, BeforeValidator(none_to_empty_text), StringConstraints(max_length=200), AfterValidator(_check_url)
]
RequiredUrl = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_check_url)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Questions = Annotated[list[Question], BeforeValidator(none_to_empty_list)]
Slugs = Annotated[list[Slug], BeforeValidator(none_to_empty_list)]


class PackModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
