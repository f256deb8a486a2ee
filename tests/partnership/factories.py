"""factory_boy factories for the partnership, its boards, agencies and contact points (all fictional)."""

import factory
from factory.django import DjangoModelFactory

from safeguarding.partnership.models import Agency, Board, ContactPoint, Partnership


class PartnershipFactory(DjangoModelFactory):
    """The one partnership row (id 1): made once, then fetched."""

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
