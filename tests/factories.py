"""factory_boy factories for every model the tests build. Names and numbers are fictional."""

import datetime

import factory
from factory.django import DjangoModelFactory

from safeguarding.partnership.models import Agency, Board, ContactPoint, Partnership
from safeguarding.reviews.models import (
    Finding,
    Media,
    Recommendation,
    Resource,
    Review,
    ReviewMilestone,
    Theme,
)


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["id"]

    id = 1
    name = "Testborough Safeguarding Partnerships"
    area = "Testborough"


class BoardFactory(DjangoModelFactory):
    class Meta:
        model = Board

    slug = factory.Sequence(lambda n: f"board-{n}")
    name = factory.Sequence(lambda n: f"Testborough Board {n}")
    short_name = factory.Sequence(lambda n: f"TB{n}")
    kind = Board.Kind.CHILDREN


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Testborough Agency {n}")
    sector = Agency.Sector.HEALTH


class ContactPointFactory(DjangoModelFactory):
    class Meta:
        model = ContactPoint

    slug = factory.Sequence(lambda n: f"contact-{n}")
    kind = ContactPoint.Kind.FRONT_DOOR
    audience = ContactPoint.Audience.CHILDREN
    name = factory.Sequence(lambda n: f"Front door {n}")
    phone = "0191 498 0123"
    hours = "Monday to Friday, 9am to 5pm"


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    slug = factory.Sequence(lambda n: f"review-{n}")
    title = factory.Sequence(lambda n: f"Training review {n} into a fictional case")
    short_title = factory.Sequence(lambda n: f"Training review {n}")
    review_type = Review.Type.SAFEGUARDING_ADULTS_REVIEW
    published_on = datetime.date(2024, 3, 1)
    summary = "A fictional review used in tests."
    is_demo = True


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

    review = factory.SubFactory(ReviewFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    text = "Agencies should share what they know."
    addressee = Recommendation.Addressee.LOCAL
    audience = Recommendation.Audience.BOTH
    public_status = Recommendation.PublicStatus.IN_PROGRESS


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
