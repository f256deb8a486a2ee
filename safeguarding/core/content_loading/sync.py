"""Writing validated content so that loading the same content twice changes nothing.

A row is saved only when one of its values differs, so `updated_at` and the history stay still on a
re-load. `ChangeSummary` counts what was created, updated and removed, for the one-line report.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class ChangeSummary:
    """What a load changed, counted by kind of record."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def add(self, other: "ChangeSummary") -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.removed.update(other.removed)

    def as_line(self) -> str:
        """For example: "created 1 review, 5 recommendations; updated 1 theme; removed nothing"."""
        if not self.changed:
            return "nothing changed"
        parts = []
        for verb, counts in (("created", self.created), ("updated", self.updated), ("removed", self.removed)):
            listed = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in sorted(counts.items()))
            parts.append(f"{verb} {listed or 'nothing'}")
        return "; ".join(parts)


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    if kind.endswith("y"):
        return kind[:-1] + "ies"
    if kind == "media":
        return kind
    return kind + "s"


def _kind(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def record_upsert(
    *,
    model: type[ModelT],
    existing: ModelT | None,
    values: dict[str, Any],
    summary: ChangeSummary,
) -> tuple[ModelT, bool]:
    """Create the record, or save `existing` only if a value differs. Returns it and whether it changed.

    `values` are keyed by attribute name (`review_id`, not `review`), so comparisons need no queries.
    """
    if existing is None:
        record = model(**values)
        record.save()
        summary.created[_kind(model)] += 1
        return record, True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, False
    for name in changed:
        setattr(existing, name, values[name])
    existing.save()
    summary.updated[_kind(model)] += 1
    return existing, True


def relations_sync(
    *,
    record: models.Model,
    wanted: dict[str, set[int]],
    saved: bool,
    summary: ChangeSummary,
) -> bool:
    """Make each many-to-many relation named in `wanted` hold exactly those ids.

    `saved` says whether the record was just created or updated; if only its relations change, it is
    saved again (so `updated_at` moves) and counted as updated once. Returns whether anything changed.
    """
    changed = False
    for name, ids in wanted.items():
        manager = getattr(record, name)
        if {related.pk for related in manager.all()} != ids:  # uses prefetched rows when there are
            manager.set(sorted(ids))
            changed = True
    if changed and not saved:
        record.save()
        summary.updated[_kind(type(record))] += 1
    return changed


def records_remove(*, queryset: models.QuerySet[Any], summary: ChangeSummary) -> bool:
    """Delete the records in `queryset` (those no longer in the content). Returns whether any were."""
    count = queryset.count()
    if count:
        queryset.delete()
        summary.removed[_kind(queryset.model)] += count
    return bool(count)
