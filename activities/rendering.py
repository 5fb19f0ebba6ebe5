"""Render one document context to DOCX (docxtpl) and PDF (WeasyPrint).

Both renditions come from the same context dict, so they say the same thing. This module
is imported once per render process: WeasyPrint's import costs ~0.4 s and its
FontConfiguration copies the fonts to a temp folder, so both are kept per process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from activities import naskah

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
HTML_DIR = TEMPLATES_DIR / "html"
DOCX_DIR = TEMPLATES_DIR / "docx"
TEMPLATE_VERSION = "2026.11-1"


class TemplateError(Exception):
    """A template is missing or broken: retrying will not help until it is fixed."""


@dataclass
class RenderedDocument:
    docx: bytes
    pdf: bytes
    pages: int


FILTERS = {
    "tanggal": naskah.tanggal,
    "hari_tanggal": naskah.hari_tanggal,
    "rupiah": naskah.rupiah,
    "terbilang": naskah.terbilang,
}


@lru_cache(maxsize=1)
def html_environment() -> jinja2.Environment:
    """One Jinja environment per process; autoescape because values come from people."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HTML_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def docx_environment() -> jinja2.Environment:
    """docxtpl's own environment with our filters; undefined values fail loudly."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env


def render_html(kind: str, context: dict[str, Any]) -> str:
    try:
        template = html_environment().get_template(f"{kind}.html")
        return template.render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template HTML tidak ada: templates/html/{kind}.html") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template HTML rusak: templates/html/{kind}.html: {exc}") from exc


def render_docx(kind: str, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    path = DOCX_DIR / f"{kind}.docx"
    if not path.is_file():
        raise TemplateError(f"template DOCX tidak ada: templates/docx/{kind}.docx")
    try:
        document = DocxTemplate(path)
        # autoescape: "&", "<" and ">" in a name would otherwise corrupt the DOCX
        # (elapouya/python-docx-template#634).
        document.render(context, jinja_env=docx_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template DOCX rusak: templates/docx/{kind}.docx: {exc}") from exc
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(html: str) -> tuple[bytes, int]:
    """HTML to a PDF/A-3b document; returns the bytes and the page count."""
    from activities import pdf

    return pdf.write_pdf(html, base_url=HTML_DIR)


def render_document(kind: str, context: dict[str, Any]) -> RenderedDocument:
    pdf_bytes, pages = render_pdf(render_html(kind, context))
    return RenderedDocument(docx=render_docx(kind, context), pdf=pdf_bytes, pages=pages)
