"""Checks on the PDFs the toolkit makes, read back with pypdf: tagged for accessibility, with language
and title, page by page text, and headings left stranded at a page foot (decision 0033).
"""

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class PdfFacts:
    """What a reader (and a screen reader) learns about a PDF before its content."""

    pages: int
    tagged: bool  # a structure tree, and MarkInfo /Marked true
    lang: str
    title: str  # from the document information
    xmp_title: str
    xmp_has_pdfua: bool  # XMP declares pdfuaid:part
    display_doc_title: bool  # viewers show the title, not the file name
    structure_roles: frozenset[str]


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _structure_roles(element, roles: set[str], depth: int = 0) -> None:
    element = _resolve(element)
    if depth > 60:
        return
    if isinstance(element, ArrayObject):
        for child in element:
            _structure_roles(child, roles, depth + 1)
        return
    if not isinstance(element, DictionaryObject):
        return
    if "/S" in element:
        roles.add(str(element["/S"]).lstrip("/"))
    if "/K" in element:
        _structure_roles(element["/K"], roles, depth + 1)


def _figure_alts(element, alts: list[str], depth: int = 0) -> None:
    element = _resolve(element)
    if depth > 60:
        return
    if isinstance(element, ArrayObject):
        for child in element:
            _figure_alts(child, alts, depth + 1)
        return
    if not isinstance(element, DictionaryObject):
        return
    if str(element.get("/S", "")) == "/Figure":
        alts.append(str(element.get("/Alt", "")))
    if "/K" in element:
        _figure_alts(element["/K"], alts, depth + 1)


def figure_alts(content: bytes) -> list[str]:
    """The alternative text of every figure in the structure tree (a chart's description)."""
    root = pdf_reader(content).trailer["/Root"].get_object()
    alts: list[str] = []
    struct_tree = _resolve(root.get("/StructTreeRoot"))
    if struct_tree is not None:
        _figure_alts(struct_tree.get("/K"), alts)
    return alts


def pdf_reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), "not a PDF"
    return PdfReader(io.BytesIO(content))


def pdf_facts(content: bytes) -> PdfFacts:
    reader = pdf_reader(content)
    root = reader.trailer["/Root"].get_object()
    mark_info = _resolve(root.get("/MarkInfo")) or {}
    struct_tree = _resolve(root.get("/StructTreeRoot"))
    roles: set[str] = set()
    if struct_tree is not None:
        _structure_roles(struct_tree.get("/K"), roles)
    viewer = _resolve(root.get("/ViewerPreferences")) or {}
    xmp = reader.xmp_metadata
    xmp_raw = ""
    if xmp is not None:
        xmp_raw = _resolve(root["/Metadata"]).get_data().decode("utf-8", "replace")
    xmp_title = ""
    if xmp is not None and xmp.dc_title:
        xmp_title = next(iter(xmp.dc_title.values()), "")
    metadata = reader.metadata or {}
    return PdfFacts(
        pages=len(reader.pages),
        tagged=struct_tree is not None and bool(mark_info.get("/Marked", False)),
        lang=str(root.get("/Lang", "")),
        title=str(metadata.get("/Title", "")),
        xmp_title=xmp_title,
        xmp_has_pdfua="pdfuaid:part" in xmp_raw or "pdfuaid:part=" in xmp_raw,
        display_doc_title=bool(viewer.get("/DisplayDocTitle", False)),
        structure_roles=frozenset(roles),
    )


def assert_accessible_pdf(content: bytes, *, title: str, lang: str = "en-GB") -> PdfFacts:
    """The PDF is tagged (PDF/UA-1) and names its language and title wherever a reader looks."""
    facts = pdf_facts(content)
    assert facts.tagged, "no structure tree, or MarkInfo /Marked is not true"
    assert facts.lang == lang
    assert facts.title == title
    assert facts.xmp_title == title
    assert facts.xmp_has_pdfua, "the XMP metadata does not declare PDF/UA"
    assert facts.display_doc_title, "viewers would show the file name, not the title"
    assert {"H1", "P"} <= facts.structure_roles, facts.structure_roles
    return facts


def page_texts(content: bytes) -> list[str]:
    """The text of each page, whitespace squeezed, in the order the PDF draws it."""
    return [" ".join((page.extract_text() or "").split()) for page in pdf_reader(content).pages]


def page_lines(content: bytes) -> list[list[str]]:
    """The non-empty lines of each page's text."""
    pages = []
    for page in pdf_reader(content).pages:
        text = page.extract_text() or ""
        pages.append([" ".join(line.split()) for line in text.splitlines() if line.strip()])
    return pages


# List bullets and numbers, which pypdf gives as lines of their own.
MARKER_ONLY = re.compile(r"[\u2022\d.\s]+")


def stranded_headings(
    content: bytes, *, headings: list[str], running: list[str], lines_after: int = 1
) -> list[tuple[int, str]]:
    """(page number, heading) for each heading left at the foot of a page other than the last, with no
    more than `lines_after` lines of its text under it (so the reader turns over to read the rest).

    `running` are patterns of the running header and footer (drawn in the page margins), skipped.
    """
    wanted = {" ".join(h.split()) for h in headings}
    pages = page_lines(content)
    found = []
    for number, lines in enumerate(pages[:-1], start=1):
        body = [
            line
            for line in lines
            if not MARKER_ONLY.fullmatch(line) and not any(re.search(pattern, line) for pattern in running)
        ]
        found.extend((number, line) for line in body[-(lines_after + 1) :] if line in wanted)
    return found
