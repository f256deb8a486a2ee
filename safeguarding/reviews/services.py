"""Writes to reviews: loading review packs, importing recommendation spreadsheets, default content."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from safeguarding.core.content_loading import ChangeSummary, ContentLoadError, ContentProblem
from safeguarding.partnership.importers import partnership_pack_check
from safeguarding.partnership.models import Partnership
from safeguarding.partnership.services import partnership_pack_load

from .importers.recommendations_sheet import recommendations_sheet_check, recommendations_sheet_write
from .importers.review_pack import review_pack_write, review_packs_check
from .models import Review


def review_packs_load(*, paths: list[Path]) -> ChangeSummary:
    """Load one or more review packs: every file is checked first, then all are written, or none.

    Raises ContentLoadError (listing every problem in every file) having written nothing.
    """
    summary = ChangeSummary()
    with transaction.atomic():
        for checked in review_packs_check(paths=paths):
            review_pack_write(checked=checked, summary=summary)
    return summary


def recommendations_import(*, review_slug: str, path: Path) -> ChangeSummary:
    """Add or update a review's recommendations from a CSV or XLSX action plan: all rows, or none."""
    review = Review.objects.filter(slug=review_slug).first()
    if review is None:
        raise ContentLoadError(
            [ContentProblem(str(path), f"there is no review {review_slug!r} to import into")]
        )
    summary = ChangeSummary()
    with transaction.atomic():
        checked = recommendations_sheet_check(review=review, path=path)
        recommendations_sheet_write(checked=checked, summary=summary)
    return summary


@dataclass
class DefaultContentResult:
    summary: ChangeSummary
    loaded: list[str] = field(default_factory=list)  # files written
    kept: list[str] = field(default_factory=list)  # files whose content was already there, left alone


def default_content_load(*, content_dir: Path, force: bool = False) -> DefaultContentResult:
    """Load the default content: content_dir/partnership.yaml, then every content_dir/reviews/*.yaml.

    Every file is always checked. A file is written only if its content is not in the database yet
    (no partnership row; no review with the pack's slug), unless `force` is given: once installed,
    the content belongs to the partnership, and a restart must not undo their edits in the admin
    or the action plan they imported over the provisional recommendations. All or nothing.
    """
    partnership_path = content_dir / "partnership.yaml"
    review_paths = sorted((content_dir / "reviews").glob("*.yaml"))
    result = DefaultContentResult(summary=ChangeSummary())
    with transaction.atomic():
        if partnership_path.exists():
            if force or not Partnership.objects.filter(pk=1).exists():
                result.summary.add(partnership_pack_load(path=partnership_path))
                result.loaded.append(str(partnership_path))
            else:
                partnership_pack_check(path=partnership_path)
                result.kept.append(str(partnership_path))
        checked_packs = review_packs_check(paths=review_paths)
        for checked in checked_packs:
            if force or not Review.objects.filter(slug=checked.pack.slug).exists():
                review_pack_write(checked=checked, summary=result.summary)
                result.loaded.append(checked.file)
            else:
                result.kept.append(checked.file)
    return result
