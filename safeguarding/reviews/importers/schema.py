"""The shape of a review pack and a partnership pack, as pydantic models.

Pack files are read into plain strings, lists and mappings (see yaml_source.py), so every scalar
arrives here as text and pydantic parses dates, booleans and choices from it. Unknown keys are
refused, and text lengths match the database columns so that a valid pack always fits.
"""

import calendar
import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from safeguarding.partnership.models import Agency, Board, ContactPoint
from safeguarding.reviews.models import Media, Recommendation, Review, ReviewMilestone

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def _none_to_empty_text(value: Any) -> Any:
    # An empty key in YAML (`background:`) means "no text", not "missing".
    return "" if value is None else value


def _none_to_empty_list(value: Any) -> Any:
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


_Optional = BeforeValidator(_none_to_empty_text)
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
    str, BeforeValidator(_none_to_empty_text), StringConstraints(max_length=200), AfterValidator(_check_url)
]
RequiredUrl = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_check_url)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Questions = Annotated[list[Question], BeforeValidator(_none_to_empty_list)]
Slugs = Annotated[list[Slug], BeforeValidator(_none_to_empty_list)]


class PackModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Review pack -----------------------------------------------------------------------------------


class BriefingPack(PackModel):
    key_learning: Text = ""
    for_you: Text = ""
    questions: Questions = []


class MilestonePack(PackModel):
    """`date` is 2015, 2019-11 or 2019-11-01; `precision` says how much of it is known."""

    date: RequiredText10
    precision: ReviewMilestone.Precision | None = None
    title: RequiredText200
    description: Text = ""

    def parsed(self) -> tuple[datetime.date, str]:
        """The date to store (the first day of a month or year) and its precision.

        Raises ValueError with a message for the person who wrote the pack; the pack loader
        checks every milestone this way and reports the error at the date's line.
        """
        return partial_date_parse(self.date, self.precision)


def partial_date_parse(text: str, precision: ReviewMilestone.Precision | None) -> tuple[datetime.date, str]:
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError("give the date as 2015, 2019-11 or 2019-11-01")
    try:
        year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
        if len(parts) == 2 and not 1 <= month <= 12:
            raise ValueError
        if len(parts) == 3 and day > calendar.monthrange(year, month)[1]:
            raise ValueError
        value = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    given = ["year", "month", "day"][len(parts) - 1]
    wanted = precision.value if precision else given
    finer = ["year", "month", "day"]
    if finer.index(wanted) > finer.index(given):
        raise ValueError(f"precision is {wanted!r} but the date gives only the {given}")
    return value, wanted


class ThemePack(PackModel):
    slug: Slug
    name: RequiredText120
    description: Text = ""


class FindingPack(PackModel):
    reference: Reference
    title: RequiredText300
    text: Text = ""


class ResourcePack(PackModel):
    title: RequiredText300
    url: Url = ""
    description: Text = ""


Resources = Annotated[list[ResourcePack], BeforeValidator(_none_to_empty_list)]


class RecommendationPack(PackModel):
    reference: Reference
    reference_is_provisional: bool = False
    title: RequiredText300
    text: RequiredText
    finding: Reference | None = None
    why: Text = ""
    addressee: Recommendation.Addressee
    addressed_to: Text200 = ""
    audience: Recommendation.Audience
    lead_agencies: Slugs = []
    themes: Slugs = []
    what_changed: Text = ""
    practice_learning: Text = ""
    reflective_questions: Questions = []
    public_status: Recommendation.PublicStatus = Recommendation.PublicStatus.NOT_KNOWN
    public_status_note: Text = ""
    resources: Resources = []


class MediaPack(PackModel):
    kind: Media.Kind = Media.Kind.VIDEO
    title: RequiredText300
    url: RequiredUrl
    duration: Text40 = ""
    transcript: RequiredText


class ReviewPack(PackModel):
    slug: ReviewSlug
    title: RequiredText300
    short_title: RequiredText120
    review_type: Review.Type
    boards: Slugs = []
    commissioned: Text200 = ""
    published_on: datetime.date | None = None
    period_covered: Text100 = ""
    reviewer: Text200 = ""
    review_team: Text = ""
    summary: RequiredText
    background: Text = ""
    recommendations_summary: Text = ""
    content_note: Text = ""
    report_url: Url = ""
    report_description: Text200 = ""
    briefing: BriefingPack = Field(default_factory=BriefingPack)
    is_demo: bool = False
    milestones: Annotated[list[MilestonePack], BeforeValidator(_none_to_empty_list)] = []
    themes: Annotated[list[ThemePack], BeforeValidator(_none_to_empty_list)] = []
    findings: Annotated[list[FindingPack], BeforeValidator(_none_to_empty_list)] = []
    recommendations: Annotated[list[RecommendationPack], BeforeValidator(_none_to_empty_list)] = []
    resources: Resources = []
    media: Annotated[list[MediaPack], BeforeValidator(_none_to_empty_list)] = []


# --- Partnership pack ------------------------------------------------------------------------------


class PartnershipDetails(PackModel):
    name: RequiredText200
    area: RequiredText200
    about: Text = ""


class BoardPack(PackModel):
    slug: Slug
    name: RequiredText200
    short_name: RequiredText20
    kind: Board.Kind
    website: Url = ""


class AgencyPack(PackModel):
    slug: Slug
    name: RequiredText200
    sector: Agency.Sector = Agency.Sector.OTHER


class ContactPointPack(PackModel):
    slug: Slug
    kind: ContactPoint.Kind
    audience: ContactPoint.Audience
    name: RequiredText200
    organisation: Text200 = ""
    phone: RequiredText40
    hours: RequiredText200
    description: Text = ""
    website: Url = ""


class PartnershipPack(PackModel):
    partnership: PartnershipDetails
    boards: Annotated[list[BoardPack], BeforeValidator(_none_to_empty_list)] = []
    agencies: Annotated[list[AgencyPack], BeforeValidator(_none_to_empty_list)] = []
    contact_points: Annotated[list[ContactPointPack], BeforeValidator(_none_to_empty_list)] = []
