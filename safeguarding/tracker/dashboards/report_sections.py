"""Sections that apps above the tracker add to a board's report, without the tracker knowing them.

The board report is the tracker's, but a board also wants what other apps know about its period (the
concern statistics of `insight`, for one). Those apps sit above the tracker in the import layers
(docs/decisions/0019), so the tracker cannot ask them; instead each registers a section here from its
AppConfig.ready(), and the report renders whatever is registered, in order:

    board_report_section_register(order=50, section=concern_statistics_section)

A section is a function called with keyword arguments `board`, `start` and `end` (dates, the report's
period, both inclusive) that returns HTML (already escaped: build it with render_to_string) or None
when it has nothing to say for that board. It must never put personal data in the report.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.safestring import SafeString

BoardReportSection = Callable[..., SafeString | str | None]

_sections: dict[str, tuple[int, BoardReportSection]] = {}


def board_report_section_register(*, order: int, section: BoardReportSection) -> None:
    """Adds a section (or replaces one of the same name: ready() may run more than once)."""
    _sections[f"{section.__module__}.{section.__qualname__}"] = (order, section)


def board_report_sections(*, board: Any, start: date, end: date) -> list[str]:
    """The HTML of every registered section that has something to say for this board and period."""
    rendered = []
    for _order, section in sorted(_sections.values(), key=lambda pair: pair[0]):
        html = section(board=board, start=start, end=end)
        if html:
            rendered.append(html)
    return rendered
