"""The shape of a review pack, as pydantic models (the shared field types are in core.content_loading.fields).

Pack files are read into plain strings, lists and mappings (see yaml_source.py), so every scalar
arrives here as text and pydantic parses dates, booleans and choices from it. Unknown keys are
refused, and text lengths match the database columns so that a valid pack always fits.
"""

import calendar
import datetime
from typing import Annotated

from pydantic import BeforeValidator, Field

from safeguarding.core.content_loading.fields import (
    PackModel,
    Questions,
    Reference,
    RequiredText,
    RequiredText10,
    RequiredText120,
    RequiredText200,
    RequiredText300,
    RequiredUrl,
    ReviewSlug,
    Slug,
    Slugs,
    Text,
    Text40,
    Text100,
    Text200,
    Url,
    none_to_empty_list,
)
from safeguarding.reviews.models import Media, Recommendation, Review, ReviewMilestone

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


class SignOffPack(PackModel):
    """A decision the boards made before the toolkit held the review (from their own minutes): each
    board named agreed that the recommendations listed (all of them if none are listed) had been
    progressed in full. Loaded as the tracker's sign-off records, so every page tells the same story."""

    boards: Slugs
    date: RequiredText10
    precision: ReviewMilestone.Precision | None = None
    minute_reference: RequiredText200
    recommendations: Annotated[list[Reference], BeforeValidator(none_to_empty_list)] = []
    notes: Text = ""

    def parsed(self) -> tuple[datetime.date, str]:
        return partial_date_parse(self.date, self.precision)


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


Resources = Annotated[list[ResourcePack], BeforeValidator(none_to_empty_list)]


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
    milestones: Annotated[list[MilestonePack], BeforeValidator(none_to_empty_list)] = []
    themes: Annotated[list[ThemePack], BeforeValidator(none_to_empty_list)] = []
    findings: Annotated[list[FindingPack], BeforeValidator(none_to_empty_list)] = []
    recommendations: Annotated[list[RecommendationPack], BeforeValidator(none_to_empty_list)] = []
    resources: Resources = []
    media: Annotated[list[MediaPack], BeforeValidator(none_to_empty_list)] = []
    sign_offs: Annotated[list[SignOffPack], BeforeValidator(none_to_empty_list)] = []
