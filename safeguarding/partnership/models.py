"""The partnership, its two boards, its agencies, and its contact points (front doors, helplines).

A deployment serves one area: a children's safeguarding partnership and a safeguarding adults board
working together. Everything here is configurable by administrators and loaded from the partnership
pack (content/partnership.yaml).
"""

from typing import Any

from django.db import models


class PartnershipManager(models.Manager["Partnership"]):
    def current(self) -> "Partnership":
        """The deployment's partnership, or an unsaved placeholder before any content is loaded."""
        return self.filter(pk=1).first() or Partnership(name="Safeguarding Partnership Toolkit", area="")


class Partnership(models.Model):
    """The partnership as the public sees it: the name in the header and the area it serves.

    There is one row. `Partnership.objects.current()` returns it.
    """

    name = models.CharField(max_length=200, help_text="Shown in the header of every page.")
    area = models.CharField(max_length=200, help_text="The place the partnership serves.")
    about = models.TextField(blank=True, help_text="A short paragraph for the home page (Markdown).")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipManager()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="partnership_single_row")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class Board(models.Model):
    """A statutory board: the children's safeguarding partnership or the safeguarding adults board."""

    class Kind(models.TextChoices):
        CHILDREN = "children", "Children's safeguarding partnership"
        ADULTS = "adults", "Safeguarding adults board"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=20, help_text="For example NSCP or NSAB.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation that takes part in safeguarding: police, health, social care, schools..."""

    class Sector(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        SOCIAL_CARE = "social_care", "Social care"
        EDUCATION = "education", "Education"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary sector"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice"
        NATIONAL = "national", "National body"
        OTHER = "other", "Other"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    """A place to report a concern or get help: a front door, the out-of-hours team, 999, a helpline."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        FRONT_DOOR = "front_door", "Front door"
        OUT_OF_HOURS = "out_of_hours", "Out of hours"
        HELPLINE = "helpline", "National helpline"

    class Audience(models.TextChoices):
        CHILDREN = "children", "A child or young person (under 18)"
        ADULTS = "adults", "An adult (18 or over)"
        ANYONE = "anyone", "Anyone"

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    name = models.CharField(max_length=200, help_text="The service, for example 'Initial Response Service'.")
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40)
    hours = models.CharField(max_length=200, help_text="When the line is open, in plain words.")
    description = models.TextField(blank=True, help_text="When to use it (Markdown).")
    website = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"

    @property
    def phone_href(self) -> str:
        """The number as a tel: link target, without spaces."""
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
