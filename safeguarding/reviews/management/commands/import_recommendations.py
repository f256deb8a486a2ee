"""manage.py import_recommendations --review SLUG PATH: a CSV or XLSX action plan, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.commands import problems_report
from safeguarding.reviews.services import recommendations_import


class Command(BaseCommand):
    help = (
        "Add or update a review's recommendations from a spreadsheet (.csv or .xlsx; columns in "
        "docs/review-pack.md). Any error loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--review", required=True, metavar="SLUG", help="The review's slug.")
        parser.add_argument("path", type=Path, metavar="PATH")

    def handle(self, *args: Any, review: str, path: Path, **options: Any) -> None:
        try:
            summary = recommendations_import(review_slug=review, path=path)
        except ContentLoadError as exc:
            raise problems_report(self, exc) from None
        self.stdout.write(f"Imported {path}: {summary.as_line()}.")
