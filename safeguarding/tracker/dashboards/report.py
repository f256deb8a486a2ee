"""The board report as a PDF, laid out by core/pdf.py with the report's print stylesheet."""

from pathlib import Path
from typing import Any

from safeguarding.core import pdf as core_pdf
from safeguarding.core.pdf import PdfUnavailableError

ASSET_DIR = Path(__file__).resolve().parents[1] / "templates" / "tracker" / "dashboards" / "pdf"
STYLESHEET = ASSET_DIR / "board_report.css"

__all__ = ["PdfUnavailableError", "report_document", "report_pdf"]


def report_document(*, html: str) -> Any:
    """Lay out a report's HTML as pages. Raises PdfUnavailableError where WeasyPrint cannot load."""
    return core_pdf.pdf_document(html=html, asset_dir=ASSET_DIR, stylesheet=STYLESHEET)


def report_pdf(*, html: str) -> bytes:
    """The PDF of a report's HTML, as bytes."""
    return core_pdf.pdf_write(report_document(html=html))
