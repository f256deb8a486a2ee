"""factory_boy factories for reviews: themes, reviews, milestones, findings, recommendations, resources
and media. Every review is a fictional training review unless a test says otherwise."""

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from safeguarding.reviews.models import (
    Finding,
    Media,
    Recommendation,
    Resource,
    Review,
    ReviewMilestone,
    Theme,
)


def _many(field: str) -> factory.PostGeneration:
    """A many-to-many field set from a list given at creation: `ReviewFactory(boards=[a, b])`."""

    def set_field(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(set_field)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"review-{n}")
    title = factory.Sequence(lambda n: f"Training review {n} into a fictional case")
    short_title = factory.Sequence(lambda n: f"Training review {n}")
    review_type = Review.Type.SAFEGUARDING_ADULTS_REVIEW
    published_on = datetime.date(2024, 3, 1)
    summary = "A fictional review used in tests."
    is_demo = True
    boards = _many("boards")


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = ReviewMilestone

    review = factory.SubFactory(ReviewFactory)
    date = datetime.date(2024, 3, 1)
    title = factory.Sequence(lambda n: f"Milestone {n}")


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    review = factory.SubFactory(ReviewFactory)
    reference = factory.Sequence(lambda n: f"F{n}")
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Finding {n}")


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    text = "Agencies should share what they know."
    addressee = Recommendation.Addressee.LOCAL
    audience = Recommendation.Audience.BOTH
    public_status = Recommendation.PublicStatus.IN_PROGRESS
    boards = _many("boards")
    themes = _many("themes")
    lead_agencies = _many("lead_agencies")


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    review = factory.SubFactory(ReviewFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = "https://example.org/guidance"


class MediaFactory(DjangoModelFactory):
    class Meta:
        model = Media

    review = factory.SubFactory(ReviewFactory)
    title = "A short film about the review"
    url = "https://example.org/film"
    transcript = "Narrator: this is a fictional transcript."
