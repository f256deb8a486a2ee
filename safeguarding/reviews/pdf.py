"""PDFs made from HTML with WeasyPrint, such as the 7-minute briefing (docs/decisions/0007).

The HTML comes from our own templates and is styled by a print stylesheet read from this app's
templates folder. WeasyPrint fetches nothing from the network: its URL fetcher refuses every URL that
is not a data: URL or a file inside that folder. WeasyPrint needs Pango from the operating system; where
it cannot be loaded, `PdfUnavailableError` lets the view answer with a plain 503.
"""

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

logger = logging.getLogger(__name__)

ASSET_DIR = Path(__file__).resolve().parent / "templates" / "reviews" / "pdf"
STYLESHEET = ASSET_DIR / "briefing.css"


class PdfUnavailableError(Exception):
    """WeasyPrint or the system libraries it needs cannot be loaded here."""


def _weasyprint() -> Any:
    try:
        # Imported here: it loads Pango, and a missing library must not stop the rest of the site.
        import weasyprint
    except (ImportError, OSError) as error:
        logger.warning("PDF generation unavailable: %s", type(error).__name__)
        raise PdfUnavailableError from error
    return weasyprint


def _url_fetcher(weasyprint: Any) -> Any:
    """A fetcher that serves data: URLs and files under ASSET_DIR, and refuses everything else."""

    class LocalOnlyURLFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(ASSET_DIR) and path.is_file():
                    return weasyprint.urls.URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"Refused a URL outside the PDF assets: {url[:80]}")

    return LocalOnlyURLFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def pdf_document(*, html: str) -> Any:
    """Lay out the HTML as pages (a weasyprint.Document): title and language come from the HTML."""
    weasyprint = _weasyprint()
    fetcher = _url_fetcher(weasyprint)
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.render(stylesheets=[stylesheet])


def pdf_render(*, html: str) -> bytes:
    """The PDF of the HTML, as bytes."""
    return pdf_document(html=html).write_pdf()
