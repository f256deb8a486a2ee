"""The board report PDF: a real PDF, with the board's recommendations, sign-offs and overdue actions."""

import datetime

import pytest
from django.utils.html import format_html

from safeguarding.audit.models import AuditEvent
from safeguarding.core.pdf import local_only_fetcher, weasyprint_module
from safeguarding.tracker.dashboards import report, report_sections
from tests.accounts.factories import UserFactory
from tests.pdf_checks import assert_accessible_pdf, figure_alts, page_texts, pdf_facts
from tests.staff import login_verified

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _document_text(document) -> str:
    """The text laid out on every page of a weasyprint Document, as one string."""
    words = []

    def walk(box):
        if getattr(box, "text", None):
            words.append(box.text)
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(" ".join(words).split())


@pytest.fixture
def documents(monkeypatch):
    """The laid-out documents of the PDFs made during a test, to read their text."""
    made = []
    real = report.report_document

    def keep(*, html):
        made.append(real(html=html))
        return made[-1]

    monkeypatch.setattr(report, "report_document", keep)
    return made


def test_the_board_report_is_a_pdf_download(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = f"board-report-board-{tracker.adults.pk}-{TODAY.isoformat()}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF-")


def test_the_board_report_holds_the_boards_recommendations_and_sign_offs(client, tracker, documents):
    login_verified(client, UserFactory(viewer=True))

    client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    text = _document_text(documents[0])
    assert "Testborough Adults Board" in text
    assert "1. Share what agencies know" in text
    assert "2. Train adult social care" in text
    assert "Disrupt perpetrators" not in text  # review 2 is the children's board's only
    assert "Progressed in full, meeting of 1 June 2026 (minute TAB/" in text  # the PDF may wrap after "/"
    assert "Not signed off" in text
    # The one overdue action, and the summary's figures.
    assert "Testborough Health" in text
    assert "Overdue 1" in text


def test_the_board_report_is_audited_as_an_export(client, tracker):
    user = UserFactory(viewer=True)
    login_verified(client, user)

    client.get(f"/staff/dashboards/boards/{tracker.children.pk}/report.pdf")

    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).latest("sequence")
    assert event.actor_id == user.pk
    assert event.data == {
        "export": "board report",
        "format": "pdf",
        "filters": {"board": tracker.children.pk},
    }
    assert (event.target_type, event.target_id) == ("partnership.board", str(tracker.children.pk))


def test_an_unknown_board_has_no_report(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    assert client.get("/staff/dashboards/boards/999999/report.pdf").status_code == 404


def test_the_report_fetches_nothing_from_the_network():
    html = (
        '<html lang="en-GB"><head><title>t</title>'
        '<link rel="stylesheet" href="http://attacker.example/x.css"></head>'
        '<body><img src="https://attacker.example/pixel.png" alt=""><p>Report</p></body></html>'
    )
    fetched = []
    fetcher = local_only_fetcher(weasyprint_module(), asset_dir=report.ASSET_DIR)

    for url in ("http://attacker.example/x.css", "https://attacker.example/pixel.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)
        fetched.append(url)

    assert report.report_pdf(html=html).startswith(b"%PDF-")
    assert len(fetched) == 3


def test_the_board_report_is_tagged_with_its_language_and_title(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    facts = assert_accessible_pdf(response.content, title="Board report: Testborough Adults Board")
    assert {"H2", "Table", "TR", "TH", "TD"} <= facts.structure_roles


def test_the_first_page_is_a_summary_with_rag_words_chart_changes_and_overdue_actions(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    pages = page_texts(response.content)
    first = pages[0]
    assert "Testborough Adults Board" in first
    # RAG counts with their words (the colour only repeats them): 1 red, 0 amber, 1 green, 2 complete.
    assert "1 Red 0 Amber 1 Green 2 Complete" in first
    assert "1 of 2 recommendations progressed in full" in first
    assert "Progress over the last 26 weeks" in first
    assert "Recommendations signed off" in first  # the chart's legend
    assert "What changed since the board's meeting of 1 June 2026" in first
    assert "1 sign-off recorded: 2 (progressed in full)" in first
    assert "2 pieces of evidence supplied (2 accepted)" in first
    assert "Overdue actions: 1" in first
    assert "Review one 1, Testborough Health: due 1 Jun 2026" in first
    # The detail starts on the next page.
    assert "This board's sign-off" not in first
    assert "This board's sign-off" in " ".join(pages[1:])
    assert "Progress week by week" in " ".join(pages[1:])


def test_the_chart_is_a_figure_whose_alt_text_gives_its_figures(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    facts = pdf_facts(response.content)
    assert "Figure" in facts.structure_roles
    alts = figure_alts(response.content)
    assert len(alts) == 1
    assert alts[0].startswith("Progress over the last 26 weeks: Testborough Adults Board. Line chart")
    assert "signed off as progressed in full: 50% (1 of 2) at the start, 50% (1) now" in alts[0]


def test_with_no_meeting_the_summary_covers_the_last_quarter(client, tracker):
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.children.pk}/report.pdf")

    first = page_texts(response.content)[0]
    assert "What changed in the last quarter, since 16 March 2026" in first


def test_sections_other_apps_register_follow_the_summary_for_the_reports_period(client, tracker, monkeypatch):
    monkeypatch.setattr(report_sections, "_sections", {})
    calls = []

    def concern_figures(*, board, start, end):
        calls.append((board, start, end))
        return format_html(
            "<section><h2>Concerns about {}</h2><p>Figures here.</p></section>", board.short_name
        )

    report_sections.board_report_section_register(order=50, section=concern_figures)
    login_verified(client, UserFactory(viewer=True))

    response = client.get(f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf")

    assert calls == [(tracker.adults, datetime.date(2026, 6, 2), TODAY)]
    pages = page_texts(response.content)
    assert "Concerns about TAB" not in pages[0]
    assert "Concerns about TAB Figures here." in pages[1]
