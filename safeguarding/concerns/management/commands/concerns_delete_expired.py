"""`manage.py concerns_delete_expired`: delete concerns kept past their retention date.

A dry run by default: it lists the references it would delete and deletes nothing. With `--delete`
it deletes each concern past its `retain_until` date and not on legal hold, with everything about it
and its files, writing one audit event per concern (reference only) first (docs/decisions/0015).
Prints references and counts, never anything a concern says. Safe to run daily.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.concerns.selectors import concerns_expired
from safeguarding.concerns.services import concern_delete_expired


class Command(BaseCommand):
    help = "Delete concerns past their retention date and not on legal hold (a dry run unless --delete)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Delete them. Without this, only list what would go."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Treat this date (YYYY-MM-DD) as today; for checking what a later run would delete.",
        )

    def handle(self, *args: Any, delete: bool, today: datetime.date | None, **options: Any) -> None:
        today = today or timezone.localdate()
        due = list(concerns_expired(today=today).values_list("pk", "reference", "retain_until"))
        if not delete:
            for _pk, reference, retain_until in due:
                self.stdout.write(f"Would delete {reference} (kept until {retain_until:%Y-%m-%d}).")
            self.stdout.write(
                f"Dry run: {len(due)} concerns would be deleted. Run with --delete to delete them."
            )
            return
        deleted = failed = 0
        for pk, reference, _retain_until in due:
            try:
                concern_delete_expired(pk=pk, today=today)
            except ValidationError:
                # Placed on legal hold, kept longer or deleted since the list was made: left alone.
                self.stdout.write(f"Kept {reference}: no longer due for deletion.")
                continue
            except Exception as error:  # noqa: BLE001  (one failure must not stop the rest)
                failed += 1
                self.stderr.write(f"Could not delete {reference}: {type(error).__name__}.")
                continue
            deleted += 1
            self.stdout.write(f"Deleted {reference}.")
        self.stdout.write(f"Done: {deleted} concerns deleted, {failed} could not be deleted.")
        if failed:
            raise CommandError(f"{failed} concerns could not be deleted.")
