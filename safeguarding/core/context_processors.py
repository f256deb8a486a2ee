"""Values every page template needs: the partnership's name for the header and footer."""

import logging

from django.db import DatabaseError
from django.http import HttpRequest

from safeguarding.partnership.models import Partnership

logger = logging.getLogger(__name__)

PLACEHOLDER_NAME = "Safeguarding Partnership Toolkit"


def partnership_placeholder() -> Partnership:
    """An unsaved partnership for pages that must not touch the database, such as the 500 page."""
    return Partnership(name=PLACEHOLDER_NAME, area="")


def partnership(request: HttpRequest) -> dict[str, object]:
    try:
        current = Partnership.objects.current()
    except DatabaseError:
        # Error pages render through here too, and must still render while the database is down.
        logger.warning("Partnership not read: the database is unavailable", exc_info=True)
        current = partnership_placeholder()
    return {"partnership": current}
