"""manage.py load_default_content: the partnership pack and review packs in content/, idempotently."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from safeguarding.core.content_loading import ContentLoadError
from safeguarding.core.content_loading.commands import problems_report
from safeguarding.reviews.services import default_content_load


class Command(BaseCommand):
    help = (
        "Load content/partnership.yaml and content/reviews/*.yaml. Content already installed is left "
        "as the partnership has it, unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content-dir", type=Path, default=None, help="Default: the project's content/.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload every file, undoing changes made since it was loaded.",
        )

    def handle(self, *args: Any, content_dir: Path | None, force: bool, **options: Any) -> None:
        directory = content_dir or Path(settings.CONTENT_DIR)
        try:
            result = default_content_load(content_dir=directory, force=force)
        except ContentLoadError as exc:
            raise problems_report(self, exc) from None
        loaded = len(result.loaded)
        kept = f"; {len(result.kept)} already installed, left as they are" if result.kept else ""
        files = f"{loaded} file{'s' if loaded != 1 else ''}"
        self.stdout.write(f"Default content: {files} loaded{kept}; {result.summary.as_line()}.")
