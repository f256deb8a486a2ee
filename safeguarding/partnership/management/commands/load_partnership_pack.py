"""manage.py load_partnership_pack PATH: the partnership, boards, agencies and contact points."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.commands import problems_report
from safeguarding.partnership.services import partnership_pack_load


class Command(BaseCommand):
    help = "Load a partnership pack (see docs/review-pack.md). Any error loads nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="PATH")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            summary = partnership_pack_load(path=path)
        except ContentLoadError as exc:
            raise problems_report(self, exc) from None
        self.stdout.write(f"Loaded {path}: {summary.as_line()}.")
