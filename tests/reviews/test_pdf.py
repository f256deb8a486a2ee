"""The 7-minute briefing as a PDF: a real PDF, with the review's content, and no network fetches."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from safeguarding.core import pdf as core_pdf
from safeguarding.core.pdf import local_only_fetcher, weasyprint_module
from safeguarding.reviews import pdf
from safeguarding.reviews.services import default_content_load
from tests.partnership.factories import ContactPointFactory, PartnershipFactory
from tests.pdf_checks import assert_accessible_pdf, page_texts, pdf_facts, stranded_headings
from tests.reviews.factories import FindingFactory, ReviewFactory
from tests.reviews.importers.helpers import CONTENT

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
def review():
    PartnershipFactory()
    review = ReviewFactory(
        slug="training-review",
        title="Training review into a fictional case",
        briefing_questions=["Who in your team knows the signs?"],
    )
    FindingFactory(review=review, title="Perpetrators were persistent")
    ContactPointFactory(name="Children's front door", phone="0191 498 0100")
    return review


def test_the_briefing_pdf_is_a_pdf_shown_inline(client, review):
    response = client.get(reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="training-review-7-minute-briefing.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


def test_the_briefing_pdf_holds_the_review_content(client, review, monkeypatch):
    documents = []
    real_document = pdf.pdf_document

    def keep_document(*, html):
        documents.append(real_document(html=html))
        return documents[-1]

    monkeypatch.setattr(pdf, "pdf_document", keep_document)

    client.get(reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}))

    text = _document_text(documents[0])
    assert "Training review into a fictional case" in text
    assert "Who in your team knows the signs?" in text
    assert "Perpetrators were persistent" in text
    assert "0191 498 0100" in text
    assert "call 999" in text
    assert "Training example: this is not a real review." in text
    assert documents[0].metadata.title == "7-minute briefing: Training review into a fictional case"
    assert documents[0].metadata.lang == "en-GB"


def test_an_unknown_or_unpublished_review_has_no_pdf(client):
    hidden = ReviewFactory(is_published=False)

    assert client.get(reverse("reviews:briefing-pdf", kwargs={"slug": "no-such-review"})).status_code == 404
    assert client.get(reverse("reviews:briefing-pdf", kwargs={"slug": hidden.slug})).status_code == 404


def test_without_weasyprint_the_pdf_is_unavailable_not_an_error(client, review, monkeypatch):
    def unavailable():
        raise pdf.PdfUnavailableError

    monkeypatch.setattr(core_pdf, "weasyprint_module", unavailable)

    response = client.get(reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}))

    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"Traceback" not in response.content
    assert b"printable briefing page" in response.content


def test_a_missing_system_library_means_unavailable(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)

    with pytest.raises(pdf.PdfUnavailableError):
        pdf.pdf_render(html="<p>x</p>")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://127.0.0.1:8000/secret",
        "ftp://example.org/file",
        "file:///etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_anything_but_local_assets(url):
    fetcher = local_only_fetcher(weasyprint_module(), asset_dir=pdf.ASSET_DIR)

    with pytest.raises(ValueError, match=r"Refused|disallowed"):
        fetcher.fetch(url)


def test_the_url_fetcher_serves_the_pdf_assets():
    fetcher = local_only_fetcher(weasyprint_module(), asset_dir=pdf.ASSET_DIR)

    response = fetcher.fetch(pdf.STYLESHEET.as_uri())

    assert b"@page" in response.read()


def test_remote_images_are_not_fetched(monkeypatch):
    fetched = []
    weasyprint = weasyprint_module()
    real_fetch = weasyprint.urls.URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", spy)

    content = pdf.pdf_render(html='<img src="http://example.org/tracker.png" alt=""><p>Hello</p>')

    assert content.startswith(b"%PDF-")
    assert fetched == []  # refused before the default fetcher could open a connection


def test_the_briefing_pdf_is_tagged_with_its_language_and_title(client, review):
    response = client.get(reverse("reviews:briefing-pdf", kwargs={"slug": review.slug}))

    facts = assert_accessible_pdf(
        response.content, title="7-minute briefing: Training review into a fictional case"
    )
    assert {"H2", "L", "LI"} <= facts.structure_roles


@pytest.fixture
def jscr_briefing(client, monkeypatch):
    """The default content's briefing (the Newcastle JSCR), as PDF bytes and the HTML it was made from."""
    default_content_load(content_dir=CONTENT)
    htmls = []
    real_document = pdf.pdf_document

    def keep_html(*, html):
        htmls.append(html)
        return real_document(html=html)

    monkeypatch.setattr(pdf, "pdf_document", keep_html)
    response = client.get(reverse("reviews:briefing-pdf", kwargs={"slug": "newcastle-jscr-2018"}))
    assert response.status_code == 200
    return response.content, htmls[0]


def test_the_default_briefing_fits_two_pages(jscr_briefing):
    content, _html = jscr_briefing

    facts = pdf_facts(content)
    texts = page_texts(content)

    assert facts.pages <= 2
    assert "1. What happened" in texts[0]
    assert "6. Find out more" in texts[-1]
    assert "call 999" in " ".join(texts)


def test_no_heading_of_the_default_briefing_is_left_at_a_page_foot(jscr_briefing):
    content, html = jscr_briefing
    headings = [h.get_text(" ", strip=True) for h in BeautifulSoup(html, "html.parser").select("h2, h3")]

    stranded = stranded_headings(content, headings=headings, running=[r"^7-minute briefing Page \d+ of \d+$"])

    assert len(headings) >= 7
    assert stranded == []


def test_the_stranded_heading_check_finds_a_heading_at_a_page_foot():
    html = (
        '<html lang="en-GB"><head><title>T</title></head><body>'
        '<p>Filler</p><h2>Left behind</h2><p style="break-before: page">Its text</p></body></html>'
    )
    weasyprint = weasyprint_module()
    content = weasyprint.HTML(string=html).write_pdf()

    assert stranded_headings(content, headings=["Left behind"], running=[]) == [(1, "Left behind")]
