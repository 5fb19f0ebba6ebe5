"""Read documents as a reader would: the text of a PDF and of a DOCX."""

from __future__ import annotations

import io
import re

import docx
from pypdf import PdfReader

ENGLISH_WORDS = re.compile(
    r"\b(January|February|March|May|June|July|August|October|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
LEFTOVER_TAGS = re.compile(r"\{\{|\}\}|\{%|%\}")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_fonts_embedded(data: bytes) -> bool:
    """Every font used on every page carries its font file (PDF/A requires it)."""
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None:
                return False
            descriptor = descriptor.get_object()
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def _cell_texts(table: docx.table.Table) -> list[str]:
    lines = []
    for row in table.rows:
        for cell in row.cells:
            lines.extend(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                lines.extend(_cell_texts(inner))
    return lines


def docx_text(data: bytes) -> str:
    """Paragraphs, then tables (with nested tables), then headers and footers."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(_cell_texts(table))
    for section in document.sections:
        lines.extend(p.text for p in section.header.paragraphs)
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def normalise(text: str) -> str:
    """Collapse whitespace so words broken over lines by the PDF layout still match."""
    return re.sub(r"\s+", " ", text)


def assert_readable(text: str) -> None:
    """No English month/day names and no template tags left in a rendered document."""
    assert ENGLISH_WORDS.search(text) is None, ENGLISH_WORDS.search(text)
    assert LEFTOVER_TAGS.search(text) is None, LEFTOVER_TAGS.search(text)
