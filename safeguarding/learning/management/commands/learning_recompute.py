"""manage.py learning_recompute: work out similar recommendations again, now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.learning.services import similarities_recompute


class Command(BaseCommand):
    help = (
        "Work out each recommendation's most similar recommendations in other reviews. The task worker "
        "does this whenever reviews change; this runs it at once. Without --force, nothing is done if "
        "no text has changed since the last run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Recompute even if nothing has changed.")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        result = similarities_recompute(force=force)
        if result.skipped:
            self.stdout.write(f"Nothing has changed: {result.pairs} similar recommendations kept as before.")
            return
        self.stdout.write(
            f"{result.recommendations} recommendations compared in {result.seconds:.2f} s: "
            f"{result.pairs} similar recommendations kept{'' if result.changed else ' (as before)'}."
        )
