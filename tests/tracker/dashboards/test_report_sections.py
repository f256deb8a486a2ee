from datetime import date

from django.utils.html import format_html

from safeguarding.tracker.dashboards import report_sections


def test_registered_sections_render_in_order_and_silent_ones_are_left_out(monkeypatch):
    monkeypatch.setattr(report_sections, "_sections", {})

    def second(*, board, start, end):
        return format_html("<h2>Second for {}</h2>", board)

    def first(*, board, start, end):
        return format_html("<h2>First {} to {}</h2>", start.isoformat(), end.isoformat())

    def silent(*, board, start, end):
        return None

    report_sections.board_report_section_register(order=20, section=second)
    report_sections.board_report_section_register(order=10, section=first)
    report_sections.board_report_section_register(order=15, section=silent)
    report_sections.board_report_section_register(order=10, section=first)  # ready() twice

    html = report_sections.board_report_sections(board="B", start=date(2026, 1, 1), end=date(2026, 3, 31))

    assert html == ["<h2>First 2026-01-01 to 2026-03-31</h2>", "<h2>Second for B</h2>"]
