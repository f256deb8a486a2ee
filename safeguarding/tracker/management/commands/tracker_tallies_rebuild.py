"""Count every recommendation's actions again from scratch into the dashboards' stored aggregates."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.tracker.services import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the tracker's stored aggregates (RAG, status, overdue and due-soon counts, progressed "
        "in full) from the actions, evidence and sign-offs. Safe at any time; run it after loading data "
        "in bulk (SQL, bulk_create, queryset update) that bypassed the tracker's services."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        counted = tallies_rebuild()
        self.stdout.write(f"Counted {counted} recommendations in {time.perf_counter() - start:.1f} s.")
