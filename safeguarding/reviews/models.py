"""Reviews, their findings and recommendations, themes, resources and media.

Long text fields hold Markdown, rendered and sanitised by the `markdown` template filter.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from safeguarding.partnership.models import Agency, Board


class Theme(models.Model):
    """A topic that cuts across reviews, such as 'Transition to adulthood'."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> "ReviewQuerySet":
        return self.filter(is_published=True)


class Review(models.Model):
    """A published review: what happened, what it found, and what it recommended."""

    class Type(models.TextChoices):
        JOINT_SERIOUS_CASE_REVIEW = "jscr", "Joint serious case review"
        SERIOUS_CASE_REVIEW = "scr", "Serious case review"
        SAFEGUARDING_ADULTS_REVIEW = "sar", "Safeguarding adults review"
        CHILD_SAFEGUARDING_PRACTICE_REVIEW = "cspr", "Child safeguarding practice review"
        JOINT_REVIEW = "joint", "Joint review"
        DOMESTIC_HOMICIDE_REVIEW = "dhr", "Domestic homicide review"
        OTHER = "other", "Other review"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, help_text="Used in lists, breadcrumbs and the briefing.")
    review_type = models.CharField(max_length=10, choices=Type.choices)
    boards = models.ManyToManyField(
        Board, related_name="reviews", help_text="The boards that commissioned it."
    )
    commissioned = models.CharField(
        max_length=200, blank=True, help_text="When, in words: sources may differ."
    )
    published_on = models.DateField(null=True, blank=True)
    period_covered = models.CharField(max_length=100, blank=True)
    reviewer = models.CharField(max_length=200, blank=True)
    review_team = models.TextField(blank=True)
    summary = models.TextField(help_text="What happened and why the review was held (Markdown).")
    background = models.TextField(
        blank=True, help_text="Context, such as a related investigation (Markdown)."
    )
    recommendations_summary = models.TextField(
        blank=True,
        help_text="How many recommendations the review made and where the full list is (Markdown).",
    )
    content_note = models.TextField(
        blank=True,
        help_text="Where this content comes from, shown on the review and every recommendation: for "
        "example, that the text summarises the report in the toolkit's own words (Markdown).",
    )
    report_url = models.URLField(blank=True, help_text="The published report.")
    report_description = models.CharField(max_length=200, blank=True)
    briefing_key_learning = models.TextField(
        blank=True, help_text="7-minute briefing: key learning (Markdown)."
    )
    briefing_for_you = models.TextField(
        blank=True, help_text="7-minute briefing: what it means for you (Markdown)."
    )
    briefing_questions = models.JSONField(default=list, blank=True, help_text="Questions for your team.")
    is_demo = models.BooleanField(
        default=False, help_text="Training or demonstration content, not a real review."
    )
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not isinstance(self.briefing_questions, list) or not all(
            isinstance(q, str) for q in self.briefing_questions
        ):
            raise ValidationError({"briefing_questions": "Give a list of questions, each a piece of text."})


class ReviewMilestone(models.Model):
    """A dated event in the life of a review: commissioned, published, signed off in full."""

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField()
    precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How exactly the date is known.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "title"], name="milestone_title_unique_in_review")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def date_display_format(self) -> str:
        return {"day": "j F Y", "month": "F Y", "year": "Y"}[self.precision]


class Finding(models.Model):
    """Something the review found, in the project's own words."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    reference = models.CharField(max_length=20)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reference"], name="finding_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Recommendation(models.Model):
    """What the review asked someone to do, and the learning that goes with it."""

    class Addressee(models.TextChoices):
        LOCAL = "local", "Local agencies"
        NATIONAL = "national", "National bodies"

    class Audience(models.TextChoices):
        CHILDREN = "children", "Children"
        ADULTS = "adults", "Adults"
        BOTH = "both", "Children and adults"

    class PublicStatus(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        PROGRESSED_IN_FULL = "progressed_in_full", "Progressed in full"
        NOT_KNOWN = "not_known", "Not recorded"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    reference = models.CharField(max_length=20, help_text="Its number in the report, such as 12, or N1.")
    reference_is_provisional = models.BooleanField(
        default=False,
        help_text="The toolkit gave this reference because the report's own number is not known here.",
    )
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300, help_text="What it asks, in a plain-English line.")
    text = models.TextField(help_text="What it asks, in full (Markdown).")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    why = models.TextField(blank=True, help_text="Why: the finding behind it (Markdown).")
    addressee = models.CharField(max_length=10, choices=Addressee.choices)
    addressed_to = models.CharField(max_length=200, blank=True, help_text="For example 'Government'.")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    lead_agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    boards = models.ManyToManyField(
        Board,
        blank=True,
        related_name="addressed_recommendations",
        help_text="The boards that must sign it off. Empty means every board that commissioned the review.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    what_changed = models.TextField(blank=True, help_text="What has changed because of it (Markdown).")
    practice_learning = models.TextField(blank=True, help_text="What it means for practice (Markdown).")
    reflective_questions = models.JSONField(default=list, blank=True)
    public_status = models.CharField(
        max_length=20, choices=PublicStatus.choices, default=PublicStatus.NOT_KNOWN
    )
    public_status_note = models.TextField(blank=True, help_text="A public-safe sentence on progress.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reference"], name="recommendation_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:recommendation", kwargs={"slug": self.review.slug, "reference": self.reference}
        )

    def clean(self) -> None:
        if self.finding is not None and self.review_id and self.finding.review_id != self.review_id:
            raise ValidationError({"finding": "Choose a finding from the same review."})
        if not isinstance(self.reflective_questions, list) or not all(
            isinstance(q, str) for q in self.reflective_questions
        ):
            raise ValidationError({"reflective_questions": "Give a list of questions, each a piece of text."})


class Resource(models.Model):
    """A link to guidance, training or a service, for a review or one of its recommendations."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="resources")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.recommendation is not None
            and self.review_id
            and self.recommendation.review_id != self.review_id
        ):
            raise ValidationError({"recommendation": "Choose a recommendation from the same review."})


class Media(models.Model):
    """A video or audio recording about a review. A recording always comes with its transcript."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.VIDEO)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="media/", blank=True, help_text="Served from this site.")
    url = models.URLField(blank=True, help_text="Or a link to where it is published.")
    duration = models.CharField(max_length=40, blank=True, help_text="For example '4 minutes'.")
    transcript = models.TextField(
        help_text="Everything said and shown, for people who cannot watch or hear it."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.file and not self.url:
            raise ValidationError("Upload the recording or give a link to it.")
        if not (self.transcript or "").strip():
            raise ValidationError({"transcript": "A recording needs a transcript."})


class SearchDocument(models.Model):
    """One searchable text per review and per recommendation, kept in step by `search_index_review`.

    The full-text index itself is outside the ORM: a generated tsvector column with a GIN index on
    PostgreSQL, an FTS5 table on SQLite (see migrations and search.py).
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    recommendation = models.OneToOneField(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField()
    body = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(recommendation=None),
                name="one_search_document_per_review",
            )
        ]

    def __str__(self) -> str:
        return self.title
