"""manage.py load_review_pack PATH [PATH...]: load review packs (YAML), all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.commands import problems_report
from safeguarding.reviews.services import review_packs_load


class Command(BaseCommand):
    help = "Load one or more review packs (see docs/review-pack.md). Any error in any file loads nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        try:
            summary = review_packs_load(paths=paths)
        except ContentLoadError as exc:
            raise problems_report(self, exc) from None
        self.stdout.write(
            f"Loaded {len(paths)} review pack{'s' if len(paths) != 1 else ''}: {summary.as_line()}."
        )
