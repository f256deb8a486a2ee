"""`manage.py audit_verify`: check the audit trail's hash chain; exit 1 naming the first broken row."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeguarding.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check that no row of the audit trail has been altered, removed or reordered."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Audit trail broken at row {result.broken_sequence}: {result.reason}. "
                f"{result.checked} rows before it are intact."
            )
        self.stdout.write(f"Audit trail intact: {result.checked} rows. Head hash: {result.head_hash}")
