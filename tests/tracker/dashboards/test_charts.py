"""The progress chart: accessible SVG, text escaped, no style attributes (the CSP forbids them)."""

import base64
import datetime

from bs4 import BeautifulSoup

from safeguarding.tracker.dashboards.charts import (
    LineSeries,
    _nice_ceiling,
    progress_chart_svg,
    progress_line_svg,
    svg_data_uri,
)
from safeguarding.tracker.dashboards.selectors import MonthProgress


def _months(*done: int) -> list[MonthProgress]:
    running, points = 0, []
    for i, n in enumerate(done):
        running += n
        points.append(MonthProgress(datetime.date(2026, i + 1, 1), n, running, 20))
    return points


def test_the_chart_is_an_image_with_a_title_and_description():
    svg = BeautifulSoup(
        progress_chart_svg(months=_months(1, 2, 3), total=20, title="Actions done", description="Bars"),
        "html.parser",
    ).svg

    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "progress-chart-title progress-chart-desc"
    assert svg.find("title", id="progress-chart-title").get_text() == "Actions done"
    assert svg.find("desc", id="progress-chart-desc").get_text() == "Bars"
    assert len([r for r in svg.find_all("rect") if r.find("title")]) == 3
    assert not svg.select("[style]")
    assert not svg.find_all("script")


def test_bars_grow_with_the_running_total():
    svg = BeautifulSoup(
        progress_chart_svg(months=_months(1, 2, 3), total=20, title="t", description="d"), "html.parser"
    ).svg
    heights = [float(r["height"]) for r in svg.find_all("rect") if r.find("title")]

    assert heights == sorted(heights)
    assert heights[0] < heights[-1]


def test_text_in_the_chart_is_escaped():
    markup = progress_chart_svg(
        months=_months(1), total=1, title='<script>alert("x")</script>', description="A & B"
    )

    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "A &amp; B" in markup


def test_the_axis_tops_out_at_a_round_number():
    assert [_nice_ceiling(n) for n in (0, 1, 7, 20, 37, 101, 50_000)] == [1, 1, 10, 20, 50, 200, 50_000]


def _line_svg(**overrides):
    weeks = [datetime.date(2026, 6, 1) + datetime.timedelta(weeks=i) for i in range(3)]
    arguments = {
        "weeks": weeks,
        "series": [
            LineSeries("Recommendations signed off", [0, 50, 100], "#1d70b8"),
            LineSeries("Actions <done>", [10, 20, 120], "#00703c", dashed=True),
        ],
        "title": "Progress <weekly>",
        "description": "Line & table",
        "id_prefix": "weekly",
        **overrides,
    }
    return BeautifulSoup(progress_line_svg(**arguments), "html.parser").svg


def test_the_line_chart_is_an_image_with_escaped_text_and_a_line_per_series():
    svg = _line_svg()

    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "weekly-title weekly-desc"
    assert svg.find("title", id="weekly-title").get_text() == "Progress <weekly>"
    assert svg.find("desc", id="weekly-desc").get_text() == "Line & table"
    lines = svg.find_all("polyline")
    assert len(lines) == 2
    assert "stroke-dasharray" not in lines[0].attrs
    assert lines[1]["stroke-dasharray"]  # told apart by the dashes, not by colour alone
    # 120% is drawn at the top of the axis, never above it.
    top = min(float(point.split(",")[1]) for point in lines[1]["points"].split())
    assert top >= 16
    assert "Actions <done>" in svg.get_text()
    assert not svg.select("[style]")


def test_the_line_chart_labels_this_week_and_keeps_it_inside():
    svg = _line_svg()

    labels = [t for t in svg.find_all("text") if t.get_text() in {"1 Jun", "8 Jun", "15 Jun"}]
    assert labels[-1].get_text() == "15 Jun"
    assert labels[-1]["text-anchor"] == "end"


def test_svg_data_uri_round_trips():
    uri = svg_data_uri("<svg>é</svg>")

    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == "<svg>é</svg>"
