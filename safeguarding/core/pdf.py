"""PDFs made from our own HTML with WeasyPrint: the one way the toolkit makes a PDF (decision 0007).

Each kind of PDF has an asset folder holding its print stylesheet. WeasyPrint fetches nothing from
the network: its URL fetcher serves data: URLs and files inside that folder, and refuses everything
else, so nothing in the content can make the server fetch a URL. WeasyPrint needs Pango from the
operating system; where it cannot be loaded, `PdfUnavailableError` lets a view answer with a plain 503.

Every PDF is written as PDF/UA-1 (decision 0033): tagged, so a screen reader follows headings, lists
and tables in reading order, with the document's language and title (from `<html lang>` and `<title>`)
in both the document information and the XMP metadata. Use `pdf_write`, never `write_pdf()` directly.
"""

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

logger = logging.getLogger(__name__)

#: The PDF variant every PDF is written as: PDF/UA-1 turns on WeasyPrint's tagging (pdf_tags).
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailableError(Exception):
    """WeasyPrint or the system libraries it needs cannot be loaded here."""


def weasyprint_module() -> Any:
    try:
        # Imported here: it loads Pango, and a missing library must not stop the rest of the site.
        import weasyprint
    except (ImportError, OSError) as error:
        logger.warning("PDF generation unavailable: %s", type(error).__name__)
        raise PdfUnavailableError from error
    return weasyprint


def local_only_fetcher(weasyprint: Any, *, asset_dir: Path) -> Any:
    """A fetcher that serves data: URLs and files under asset_dir, and refuses everything else."""

    class LocalOnlyURLFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(asset_dir) and path.is_file():
                    return weasyprint.urls.URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"Refused a URL outside the PDF assets: {url[:80]}")

    return LocalOnlyURLFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def pdf_document(*, html: str, asset_dir: Path, stylesheet: Path) -> Any:
    """Lay out the HTML as pages (a weasyprint.Document): title and language come from the HTML."""
    weasyprint = weasyprint_module()
    fetcher = local_only_fetcher(weasyprint, asset_dir=asset_dir)
    css = weasyprint.CSS(string=stylesheet.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=asset_dir.as_uri() + "/", url_fetcher=fetcher)
    return document.render(stylesheets=[css])


def pdf_write(document: Any) -> bytes:
    """The bytes of a laid-out document as a tagged PDF/UA-1 file, with its language and title."""
    content: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return content
