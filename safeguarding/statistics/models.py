"""Publications of a quarter's statistics, and the figures each froze when it was prepared.

A publication is prepared (draft) from the concerns of one quarter, with disclosure control applied
(disclosure.py); a partnership manager reviews exactly those frozen figures, then publishes or
discards them. A published quarter may later be withdrawn, or replaced by a new publication of the same
quarter (the old one is then withdrawn). Only published figures reach the public pages.

Each figure keeps its true count beside what is shown: the true counts are aggregates, never personal
data, and are needed to protect the figures of a later publication of the same quarter. They are shown
to partnership managers only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .disclosure import Status


class Publication(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft, waiting for review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    quarter = models.CharField(max_length=7, db_index=True, help_text='For example "2026-q1".')
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    threshold = models.PositiveSmallIntegerField()
    rounding = models.PositiveSmallIntegerField(null=True, blank=True)
    # The tables as prepared: [{"name", "caption", "row_heading", "rows": [[code, label]], "columns": ...}],
    # each row and column list ending with the total ("all").
    layout = models.JSONField(default=list)
    # Counted from fictional demo concerns: every page showing it says so.
    is_demo = models.BooleanField(default=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-quarter", "-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter"], condition=models.Q(state="published"), name="publication_one_published"
            ),
            models.UniqueConstraint(
                fields=["quarter"], condition=models.Q(state="draft"), name="publication_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} ({self.get_state_display()})"


class PublicationCell(models.Model):
    """One figure of a publication: where it sits in which table, its true count, and what is shown."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="cells")
    key = models.CharField(max_length=120)
    table = models.CharField(max_length=30)
    row = models.CharField(max_length=60)
    column = models.CharField(max_length=60)
    value = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=[(status.value, status.value) for status in Status])
    shown = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "table", "row", "column"], name="cell_once"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.table} {self.row} {self.column}"
