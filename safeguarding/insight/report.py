"""The board report's concern statistics: the board's concerns in the report's period, as HTML.

Registered with the tracker's report sections from InsightConfig.ready(); the tracker renders it in
the board report without importing insight. Counts only, from the rollups: no personal data.
"""

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from . import sections
from .selectors import MONTH, QUARTER, Filters


def board_report_section(*, board: Any, start: datetime.date, end: datetime.date) -> SafeString:
    """The concern statistics of `board` from `start` to `end` (inclusive): volumes, the clock by team,
    urgent concerns, repeats and information shares. By quarter for a period over six months."""
    period = QUARTER if (end - start).days > 186 else MONTH
    filters = Filters(start=start, end=end, period=period, board=board)
    today = timezone.localdate()
    parts = [
        sections.volumes(filters, today=today),
        sections.clock(filters, today=today),
        sections.urgent(filters, today=today),
        sections.repeats(filters, today=today),
        sections.shares(filters, today=today),
    ]
    return render_to_string(
        "insight/board_report_section.html", {"board": board, "filters": filters, "sections": parts}
    )
