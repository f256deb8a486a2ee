"""Keeping the concern statistics up to date: refresh the facts of changed concerns, or rebuild all.

`concern_facts_refresh(*, concern_ids)` is what the task queue runs after concerns change (receivers.py);
`insight_rebuild()` is `manage.py rebuild_insight`. Both read only plain columns (facts.py).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from safeguarding.concerns.models import Concern

from .facts import facts_compute
from .models import ConcernFact, ConcernFactShare, ConcernFactTeam
from .rollups import insight_lock, rollups_rebuild, rollups_refresh

REBUILD_CHUNK = 2000


@dataclass(frozen=True)
class RefreshResult:
    refreshed: int
    removed: int
    days: int

    def as_dict(self) -> dict[str, int]:
        return {"refreshed": self.refreshed, "removed": self.removed, "days": self.days}


def _facts_write(concern_ids: list[int]) -> tuple[set[datetime.date], int, int]:
    """Replace the facts of these concerns; the days whose rollups that changed."""
    insight_lock()  # a refresh task and a rebuild never write the same concern's facts at once
    batch = facts_compute(concern_ids)
    days = set(ConcernFact.objects.filter(concern_id__in=concern_ids).values_list("received_on", flat=True))
    days.update(
        ConcernFactShare.objects.filter(concern_id__in=concern_ids).values_list("shared_on", flat=True)
    )
    ConcernFact.objects.filter(concern_id__in=concern_ids).delete()
    ConcernFactTeam.objects.filter(concern_id__in=concern_ids).delete()
    ConcernFactShare.objects.filter(concern_id__in=concern_ids).delete()
    ConcernFact.objects.bulk_create(batch.facts)
    ConcernFactTeam.objects.bulk_create(batch.teams)
    ConcernFactShare.objects.bulk_create(batch.shares)
    days.update(fact.received_on for fact in batch.facts)
    days.update(share.shared_on for share in batch.shares)
    return days, len(batch.facts), len(concern_ids) - len(batch.facts)


def concern_facts_refresh(*, concern_ids: Iterable[int]) -> RefreshResult:
    """The facts of these concerns again (removed for any that no longer exist), and their rollups."""
    ids = sorted(set(concern_ids))
    with transaction.atomic():
        days, refreshed, removed = _facts_write(ids)
        rollups_refresh(days=days)
    return RefreshResult(refreshed=refreshed, removed=removed, days=len(days))


def insight_rebuild(*, progress: Callable[[str], None] | None = None, chunk: int = REBUILD_CHUNK) -> int:
    """Every fact and rollup again, from the concerns. Returns how many concerns have facts."""
    say = progress or (lambda _message: None)
    with transaction.atomic():
        insight_lock()
        ConcernFact.objects.all().delete()
        ConcernFactTeam.objects.all().delete()
        ConcernFactShare.objects.all().delete()
    done, after = 0, 0
    while True:
        ids = list(Concern.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        with transaction.atomic():
            _facts_write(ids)
        done += len(ids)
        after = ids[-1]
        say(f"Facts of {done:,} concerns written")
    rollups_rebuild()
    say("Rollups rebuilt")
    return ConcernFact.objects.count()
