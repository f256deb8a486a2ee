"""The 7-minute briefing as a PDF, laid out by core/pdf.py with the briefing's print stylesheet."""

from pathlib import Path
from typing import Any

from safeguarding.core import pdf as core_pdf
from safeguarding.core.pdf import PdfUnavailableError

ASSET_DIR = Path(__file__).resolve().parent / "templates" / "reviews" / "pdf"
STYLESHEET = ASSET_DIR / "briefing.css"

__all__ = ["PdfUnavailableError", "pdf_document", "pdf_render"]


def pdf_document(*, html: str) -> Any:
    return core_pdf.pdf_document(html=html, asset_dir=ASSET_DIR, stylesheet=STYLESHEET)


def pdf_render(*, html: str) -> bytes:
    """The PDF of the briefing's HTML, as bytes."""
    return core_pdf.pdf_write(pdf_document(html=html))
