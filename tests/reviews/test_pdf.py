"""The 7-minute briefing as a PDF: a real PDF, with the review's content, and no network fetches."""

import pytest
from django.urls import reverse

from safeguarding.core import pdf as core_pdf
from safeguarding.core.pdf import local_only_fetcher, weasyprint_module
from safeguarding.reviews import pdf
from tests.partnership.factories import ContactPointFactory, PartnershipFactory
from tests.reviews.factories import FindingFactory, ReviewFactory

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
