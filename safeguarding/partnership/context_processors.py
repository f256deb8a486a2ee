"""Values every page template needs: the partnership's name for the header and footer."""

import logging

from django.db import DatabaseError
from django.http import HttpRequest

from safeguarding.core.views import PARTNERSHIP_PLACEHOLDER

from .models import Partnership
from .selectors import partnership_current

logger = logging.getLogger(__name__)


def partnership(request: HttpRequest) -> dict[str, object]:
    current: Partnership | object
    try:
        current = partnership_current()
    except DatabaseError:
        # Error pages render through here too, and must still render while the database is down.
        logger.warning("Partnership not read: the database is unavailable", exc_info=True)
        current = PARTNERSHIP_PLACEHOLDER
    return {"partnership": current}
