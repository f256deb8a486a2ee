"""Bar charts drawn on the server as SVG, as the tracker's dashboards are (no JavaScript, no library).

Colours and lines are SVG presentation attributes (the Content-Security-Policy forbids style
attributes); every piece of text is escaped. Each chart has role="img" with a <title> and <desc>
naming the figures in words, and the page shows the same numbers in a table beside it.
"""

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A small viewBox, so the text stays readable where the chart is drawn in a narrow column.
WIDTH, HEIGHT = 440, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 12, 40
BLUE, BLACK, GREY, MID_GREY = "#1d70b8", "#0b0c0c", "#b1b4b6", "#505a5f"
FONT = "arial, sans-serif"
MAX_X_LABELS = 6


def nice_top(value: float) -> int:
    """The top of the axis: four equal whole-number steps, each 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 4
    quarter = value / 4
    power = 10 ** math.floor(math.log10(quarter)) if quarter >= 1 else 1
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * power
        if step == int(step) and quarter <= step:
            return int(4 * step)
    return int(40 * power)


def _text(
    x: float, y: float, content: str, *, anchor: str = "middle", size: int = 15, fill: str = BLACK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}" '
        f'fill="{fill}">{escape(content)}</text>'
    )


def bar_chart_svg(
    *,
    chart_id: str,
    bars: Sequence[tuple[str, float]],
    title: str,
    description: str,
    unit: str = "",
    top: float | None = None,
) -> SafeString:
    """Vertical bars, one per (label, value), with gridlines; `unit` follows each value ("%")."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = top if top is not None else nice_top(max([0, *(value for _, value in bars)]))

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * value / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):
        value = top_value * i / 4
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GREY}" />')
        shown = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
        parts.append(_text(LEFT - 8, y + 5, f"{shown}{unit}", anchor="end", fill=MID_GREY))
    slot = plot_w / max(len(bars), 1)
    label_every = math.ceil(len(bars) / MAX_X_LABELS) if bars else 1
    for i, (label, value) in enumerate(bars):
        x = LEFT + i * slot
        y = y_of(value)
        tip = escape(f"{label}: {value:,g}{unit}")
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{TOP + plot_h - y:.1f}" fill="{BLUE}"><title>{tip}</title></rect>'
        )
        if i % label_every == 0:
            short = label if len(label) <= 12 else label[:11] + "…"
            parts.append(_text(x + slot / 2, TOP + plot_h + 20, short))
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{BLACK}" />'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped  # nosec B308, B703


HBAR_LEFT, HBAR_ROW = 170, 34


def hbar_chart_svg(
    *,
    chart_id: str,
    bars: Sequence[tuple[str, float]],
    title: str,
    description: str,
    unit: str = "",
    top: float | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value), for categories with long names (teams, lawful bases)."""
    height = TOP + HBAR_ROW * max(len(bars), 1) + 28
    plot_w = WIDTH - HBAR_LEFT - RIGHT - 40
    top_value = top if top is not None else nice_top(max([0, *(value for _, value in bars)]))

    def x_of(value: float) -> float:
        return HBAR_LEFT + plot_w * value / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    bottom = TOP + HBAR_ROW * len(bars)
    for i in range(5):
        value = top_value * i / 4
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="{GREY}" />')
        shown = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
        parts.append(_text(x, bottom + 18, f"{shown}{unit}", fill=MID_GREY))
    for i, (label, value) in enumerate(bars):
        y = TOP + i * HBAR_ROW
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(_text(HBAR_LEFT - 8, y + HBAR_ROW / 2 + 5, short, anchor="end"))
        tip = escape(f"{label}: {value:,g}{unit}")
        parts.append(
            f'<rect x="{HBAR_LEFT}" y="{y + 6:.1f}" width="{x_of(value) - HBAR_LEFT:.1f}" '
            f'height="{HBAR_ROW - 12}" fill="{BLUE}"><title>{tip}</title></rect>'
        )
        parts.append(_text(x_of(value) + 4, y + HBAR_ROW / 2 + 5, f"{value:,g}{unit}", anchor="start"))
    parts.append(f'<line x1="{HBAR_LEFT}" y1="{TOP}" x2="{HBAR_LEFT}" y2="{bottom}" stroke="{BLACK}" />')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped  # nosec B308, B703
