"""Writes to the partnership's settings: loading the partnership pack."""

from pathlib import Path

from django.db import transaction

from safeguarding.core.content_loading import ChangeSummary
from safeguarding.partnership.importers import partnership_pack_check, partnership_pack_write


def partnership_pack_load(*, path: Path) -> ChangeSummary:
    """Load content/partnership.yaml (or another partnership pack): all of it, or nothing.

    Raises ContentLoadError, having written nothing, if anything in the file is wrong.
    """
    summary = ChangeSummary()
    with transaction.atomic():
        pack = partnership_pack_check(path=path)
        partnership_pack_write(pack=pack, summary=summary)
    return summary
