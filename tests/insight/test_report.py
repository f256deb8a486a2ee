"""The board report's concern statistics section."""

import datetime

import pytest

from safeguarding.insight.report import board_report_section
from safeguarding.partnership.models import Board
from safeguarding.tracker.dashboards.report_sections import board_report_sections
from tests.conftest import html
from tests.partnership.factories import BoardFactory

from .seed import seed_concerns

pytestmark = pytest.mark.django_db


class _Page:
    def __init__(self, text):
        self.content = text.encode()


def test_the_section_shows_the_board_s_concerns_for_the_period():
    seed = seed_concerns()
    adults = BoardFactory(kind=Board.Kind.ADULTS, name="Testborough Safeguarding Adults Board")
    text = board_report_section(board=adults, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    page = html(_Page(text))
    assert (
        "Concerns: Testborough Safeguarding Adults Board, 1 January 2026 to 31 March 2026"
        in page.h2.get_text()
    )
    # The adults board counts c3 (adult, January) and c4 (not sure, February), by month.
    rows = [
        [c.get_text(strip=True) for c in r.find_all(["th", "td"])] for r in page.select("#volumes tbody tr")
    ]
    assert [row[:2] for row in rows] == [["Jan 2026", "1"], ["Feb 2026", "1"], ["Mar 2026", "0"]]
    assert page.select_one("#shares")
    assert seed.c3.reference not in text  # counts only: no reference, nothing personal


def test_the_section_is_registered_with_the_tracker_report():
    board = BoardFactory()
    rendered = board_report_sections(
        board=board, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    assert any('id="concern-statistics"' in section for section in rendered)


def test_the_board_report_pdf_carries_the_concern_statistics_after_its_summary(client):
    from tests.accounts.factories import UserFactory
    from tests.pdf_checks import page_texts
    from tests.staff import login_verified

    adults = BoardFactory(kind=Board.Kind.ADULTS, name="Testborough Safeguarding Adults Board")
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{adults.pk}/report.pdf")

    assert response.status_code == 200
    texts = page_texts(response.content)
    first_with_concerns = next(n for n, text in enumerate(texts) if "Concerns: Testborough" in text)
    assert first_with_concerns >= 1  # after the one-page summary
