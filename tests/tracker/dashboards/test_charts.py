"""The progress chart: accessible SVG, text escaped, no style attributes (the CSP forbids them)."""

import datetime

from bs4 import BeautifulSoup

from safeguarding.tracker.dashboards.charts import _nice_ceiling, progress_chart_svg
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
