"""manage.py load_sample_reviews: the fictional training reviews in content/training-reviews/."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.commands import problems_report
from safeguarding.learning.services import sample_reviews_allowed, sample_reviews_load, similarities_recompute


class Command(BaseCommand):
    help = (
        "Load three fictional training reviews (Testborough) whose recommendations partly repeat, "
        "labelled as training material, and work out similar recommendations. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not sample_reviews_allowed():
            raise CommandError(
                "Training reviews are demo data, not allowed here: these are production settings, or "
                "DEMO_DATA_ALLOWED is False."
            )
        try:
            summary = sample_reviews_load()
        except ContentLoadError as exc:
            raise problems_report(self, exc) from None
        self.stdout.write(f"Training reviews (fictional): {summary.as_line()}.")
        result = similarities_recompute()
        self.stdout.write(
            f"Similar recommendations: {result.pairs} kept for {result.recommendations} recommendations."
        )
