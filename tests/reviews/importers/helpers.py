"""Helpers for the importer tests: fixture paths, and a snapshot of every content row."""

from pathlib import Path
from typing import Any

from django.conf import settings

from safeguarding.partnership.models import Agency, Board, ContactPoint, Partnership
from safeguarding.reviews.models import (
    Finding,
    Media,
    Recommendation,
    Resource,
    Review,
    ReviewMilestone,
    SearchDocument,
    Theme,
)

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures"
CONTENT = Path(settings.CONTENT_DIR)
TESTBOROUGH_PARTNERSHIP = FIXTURES / "partnership-testborough.yaml"
TESTBOROUGH_REVIEW = FIXTURES / "review-testborough.yaml"
TESTBOROUGH_ACTION_PLAN = FIXTURES / "action-plan-testborough.csv"

MODELS = [
    Partnership,
    Board,
    Agency,
    ContactPoint,
    Theme,
    Review,
    Review.boards.through,
    ReviewMilestone,
    Finding,
    Recommendation,
    Recommendation.lead_agencies.through,
    Recommendation.themes.through,
    Resource,
    Media,
    SearchDocument,
]


def db_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every content table, with every value (updated_at included), in id order."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}


def db_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
