"""`manage.py rebuild_insight`: every concern statistic again, from the concerns' plain columns."""

from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.insight.services import insight_rebuild


class Command(BaseCommand):
    help = "Rebuild the concern statistics (facts and rollups) from the concerns. Decrypts nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        count = insight_rebuild(progress=lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS(f"Statistics rebuilt for {count:,} concerns."))
