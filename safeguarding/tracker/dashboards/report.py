"""The board report as a PDF, made with WeasyPrint the same way as the 7-minute briefing (decision 0007).

WeasyPrint is loaded through reviews/pdf.py, which reports a missing library as PdfUnavailableError.
The fetcher here refuses every URL except data: URLs and files in this report's own asset folder,
so nothing in a recommendation's text can make the server fetch from the network.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from safeguarding.reviews.pdf import PdfUnavailableError, _weasyprint

ASSET_DIR = Path(__file__).resolve().parents[1] / "templates" / "tracker" / "dashboards" / "pdf"
STYLESHEET = ASSET_DIR / "board_report.css"

__all__ = ["PdfUnavailableError", "report_document", "report_pdf"]


def _local_only_fetcher(weasyprint: Any) -> Any:
    class LocalOnlyURLFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(ASSET_DIR) and path.is_file():
                    return weasyprint.urls.URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"Refused a URL outside the report assets: {url[:80]}")

    return LocalOnlyURLFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def report_document(*, html: str) -> Any:
    """Lay out a report's HTML as pages (a weasyprint.Document). Raises PdfUnavailableError where
    WeasyPrint cannot load."""
    weasyprint = _weasyprint()
    fetcher = _local_only_fetcher(weasyprint)
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.render(stylesheets=[stylesheet])


def report_pdf(*, html: str) -> bytes:
    """The PDF of a report's HTML, as bytes."""
    return report_document(html=html).write_pdf()
