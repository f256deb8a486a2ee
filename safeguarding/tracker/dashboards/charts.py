"""Charts drawn on the server as SVG: no JavaScript, no chart library, nothing fetched.

The chart is inline SVG in the page. The Content-Security-Policy forbids style attributes, so colours
and lines use SVG presentation attributes (fill, stroke), which it allows. Every piece of text is
escaped. The chart has role="img" with a <title> and <desc>, and the page shows the same numbers in
a table beside it, which is what assistive technology should read.
"""

import base64
import datetime
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import MonthProgress

WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 96
BLUE, BLACK, GREY, MID_GREY = "#1d70b8", "#0b0c0c", "#b1b4b6", "#505a5f"
FONT = "arial, sans-serif"
MAX_X_LABELS = 8


def _nice_ceiling(value: int) -> int:
    """A round number at or above value, for the top of the axis: 1, 2, 5 or 10 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # not reached: 10 * power is always enough


def _text(
    x: float, y: float, content: str, *, anchor: str = "middle", size: int = 16, fill: str = BLACK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}" '
        f'fill="{fill}">{escape(content)}</text>'
    )


def progress_chart_svg(
    *, months: list[MonthProgress], total: int, title: str, description: str
) -> SafeString:
    """Bars of actions done by the end of each month, and a line at the number of actions in all."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_ceiling(max([total, *(m.done_by_end for m in months)]))

    def y_of(value: int) -> float:
        return TOP + plot_h - plot_h * value / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="progress-chart-title progress-chart-desc" focusable="false">',
        f'<title id="progress-chart-title">{escape(title)}</title>',
        f'<desc id="progress-chart-desc">{escape(description)}</desc>',
    ]
    for i in range(5):  # gridlines and labels at 0, 1/4, 1/2, 3/4 and the top
        value = top_value * i // 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}" />')
        parts.append(_text(LEFT - 8, y + 4, f"{value:,}", anchor="end", size=15, fill=MID_GREY))
    slot = plot_w / max(len(months), 1)
    label_every = math.ceil(len(months) / MAX_X_LABELS) if months else 1
    for i, month in enumerate(months):
        x = LEFT + i * slot
        y = y_of(month.done_by_end)
        label = f"{month.month:%b %Y}: {month.done_by_end:,} done"
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{TOP + plot_h - y:.1f}" fill="{BLUE}"><title>{escape(label)}</title></rect>'
        )
        if i % label_every == 0:
            parts.append(_text(x + slot / 2, TOP + plot_h + 22, f"{month.month:%b %y}", size=15))
    total_y = y_of(total)
    parts.append(
        f'<line x1="{LEFT}" y1="{total_y:.1f}" x2="{WIDTH - RIGHT}" y2="{total_y:.1f}" stroke="{BLACK}" '
        f'stroke-width="3" stroke-dasharray="8 5" />'
    )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{BLACK}" />'
    )
    legend_y = HEIGHT - 24
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 13}" width="16" height="16" fill="{BLUE}" />')
    parts.append(_text(LEFT + 22, legend_y + 1, "Actions done, running total", anchor="start"))
    parts.append(
        f'<line x1="{LEFT + 290}" y1="{legend_y - 4}" x2="{LEFT + 320}" y2="{legend_y - 4}" stroke="{BLACK}" '
        f'stroke-width="3" stroke-dasharray="8 5" />'
    )
    parts.append(_text(LEFT + 328, legend_y + 1, f"All actions ({total:,})", anchor="start"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped  # nosec B308, B703


@dataclass(frozen=True)
class LineSeries:
    """One line of a line chart: a label for the legend, values in percent, and how it is drawn."""

    label: str
    percents: list[int]
    colour: str
    dashed: bool = False


LINE_WIDTH, LINE_HEIGHT = 640, 340
LINE_BOTTOM = 88
GREEN = "#00703c"


def progress_line_svg(
    *,
    weeks: list[datetime.date],
    series: list[LineSeries],
    title: str,
    description: str,
    id_prefix: str,
    described_by: str = "",
) -> SafeString:
    """Lines of percentages (0 to 100) over weeks, each with its own dash pattern as well as colour.

    `weeks` are the Mondays the weeks start on; each series has a value for each week. Where the page
    shows the description as text, `described_by` is that element's id: the chart points to it rather
    than carry a copy, so a screen reader reads it once.
    """
    plot_w, plot_h = LINE_WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - LINE_BOTTOM

    def x_of(index: int) -> float:
        return LEFT + (plot_w * index / (len(weeks) - 1) if len(weeks) > 1 else plot_w / 2)

    def y_of(percent: int) -> float:
        return TOP + plot_h - plot_h * min(max(percent, 0), 100) / 100

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    names = (
        f'aria-labelledby="{title_id}" aria-describedby="{escape(described_by)}"'
        if described_by
        else f'aria-labelledby="{title_id} {desc_id}"'
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LINE_WIDTH} {LINE_HEIGHT}" width="100%" '
        f'role="img" {names} focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    if not described_by:
        parts.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    for percent in (0, 25, 50, 75, 100):
        y = y_of(percent)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LINE_WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}" />'
        )
        parts.append(_text(LEFT - 8, y + 5, f"{percent}%", anchor="end", size=15, fill=MID_GREY))
    label_every = math.ceil(len(weeks) / MAX_X_LABELS) if weeks else 1
    for index, week in enumerate(weeks):
        if (len(weeks) - 1 - index) % label_every == 0:  # counted back, so this week is labelled
            is_last = index == len(weeks) - 1 and len(weeks) > 1
            anchor = "end" if is_last else "middle"  # the last label ends at the plot's edge, not past it
            parts.append(_text(x_of(index), TOP + plot_h + 22, f"{week:%-d %b}", anchor=anchor, size=14))
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LINE_WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{BLACK}" />'
    )
    for line in series:
        dash = ' stroke-dasharray="9 6"' if line.dashed else ""
        points = " ".join(f"{x_of(i):.1f},{y_of(value):.1f}" for i, value in enumerate(line.percents))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="3"{dash} />'
        )
        if line.percents:
            last = len(line.percents) - 1
            parts.append(
                f'<circle cx="{x_of(last):.1f}" cy="{y_of(line.percents[last]):.1f}" r="5" '
                f'fill="{line.colour}" />'
            )
    legend_y = LINE_HEIGHT - 22
    x = float(LEFT)
    for line in series:
        dash = ' stroke-dasharray="9 6"' if line.dashed else ""
        parts.append(
            f'<line x1="{x:.1f}" y1="{legend_y - 5}" x2="{x + 34:.1f}" y2="{legend_y - 5}" '
            f'stroke="{line.colour}" stroke-width="3"{dash} />'
        )
        parts.append(_text(x + 42, legend_y, line.label, anchor="start", size=15))
        x += 42 + 8.2 * len(line.label) + 28
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped  # nosec B308, B703


def svg_data_uri(svg: str) -> str:
    """The SVG as a data: URL, for an <img> in a PDF, where the alt text becomes the figure's /Alt."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
