"""Render one document context to DOCX (docxtpl) and PDF (WeasyPrint).

Both renditions come from the same context dict, so they say the same thing. This module
is imported once per render process: WeasyPrint's import costs ~0.4 s and its
FontConfiguration copies the fonts to a temp folder, so both are kept per process.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from activities import naskah

# REPLIKASI_TEMPLATES_DIR: a deployment's own copy of templates/ (and the fault tests' broken
# one); read at import, so each worker and render process sees its environment's value.
TEMPLATES_DIR = Path(
    os.environ.get("REPLIKASI_TEMPLATES_DIR") or Path(__file__).resolve().parents[1] / "templates"
).resolve()
HTML_DIR = TEMPLATES_DIR / "html"
DOCX_DIR = TEMPLATES_DIR / "docx"
TEMPLATE_VERSION = "2026.12-3"


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


class _CompilingOnceEnvironment(jinja2.Environment):
    """docxtpl compiles the XML of every part with `from_string` on every render: about
    half of a DOCX's render time (measured: 20 → 11 ms a letter). A template's XML is the
    same for every document of its kind, so each source is compiled once per process."""

    MAX_TEMPLATES = 512  # every part of every kind is ~120; a bound, not an expected size

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: Any = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self.MAX_TEMPLATES:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


@lru_cache(maxsize=1)
def docx_environment() -> jinja2.Environment:
    """docxtpl's own environment with our filters; undefined values fail loudly."""
    # autoescape as render_docx asks docxtpl for it on every render anyway.
    env = _CompilingOnceEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


# Elements that are blocks, table parts or list items in naskah.css (never inline): CSS
# drops white space at the start and end of their lines and between table parts anyway, so
# removing the template's indentation around them changes no pixel. WeasyPrint would still
# make a box of every such run and lay it out (3-4 % of a report's PDF time, issue 7).
_BLOCK_TAG = (
    r"(?:!DOCTYPE html|html|head|meta|title|body|div|p|table|thead|tbody|tr|td|th|ol|ul|li)"
)
_SPACE_BEFORE_BLOCK = re.compile(r"\s+(?=</?" + _BLOCK_TAG + r"[\s>/])")
_SPACE_AFTER_BLOCK = re.compile(r"(<" + _BLOCK_TAG + r"(?:\s[^>]*)?>|</" + _BLOCK_TAG + r">)\s+")


def without_block_indentation(html: str) -> str:
    """``html`` without the white space that only indents block-level tags."""
    return _SPACE_AFTER_BLOCK.sub(r"\1", _SPACE_BEFORE_BLOCK.sub("", html))


def render_html(kind: str, context: dict[str, Any]) -> str:
    try:
        template = html_environment().get_template(f"{kind}.html")
        return without_block_indentation(template.render(**context))
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template HTML tidak ada: templates/html/{kind}.html") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template HTML rusak: templates/html/{kind}.html: {exc}") from exc


@lru_cache(maxsize=64)
def docx_template_bytes(kind: str) -> bytes:
    """The template file, read once per process. Parsing it again for each document is
    still needed (docxtpl changes the parsed tree), but only costs ~5 ms; keeping a parsed
    copy to deep-copy would save ~1 ms and tie us to python-docx internals."""
    path = DOCX_DIR / f"{kind}.docx"
    if not path.is_file():
        raise TemplateError(f"template DOCX tidak ada: templates/docx/{kind}.docx")
    return path.read_bytes()


def render_docx(kind: str, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    try:
        document = DocxTemplate(io.BytesIO(docx_template_bytes(kind)))
        # autoescape: "&", "<" and ">" in a name would otherwise corrupt the DOCX
        # (elapouya/python-docx-template#634).
        document.render(_gambar(document, context), jinja_env=docx_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template DOCX rusak: templates/docx/{kind}.docx: {exc}") from exc
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Height of a picture in the DOCX: the kop logo, as `.kop img` in naskah.css.
GAMBAR_TINGGI_MM = 21


def _gambar(document: Any, value: Any, key: str = "") -> Any:
    """A copy of the context where each non-empty `*_gambar` value, a path under
    templates/ (e.g. "logos/palopo.png"), is a picture docxtpl can place (InlineImage).

    So is each dict {"_gambar_png": PNG bytes, "lebar_cm": width}, at any depth: a picture
    made at render time (the verification QR code, activities/verification.py)."""
    from docx.shared import Cm, Mm
    from docxtpl import InlineImage

    if isinstance(value, dict) and "_gambar_png" in value:
        png = io.BytesIO(value["_gambar_png"])
        return InlineImage(document, png, width=Cm(float(value.get("lebar_cm", 2.0))))
    if isinstance(value, dict):
        return {k: _gambar(document, v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_gambar(document, item) for item in value]
    if key.endswith("_gambar") and isinstance(value, str) and value:
        path = (TEMPLATES_DIR / value).resolve()
        if not (path.is_relative_to(TEMPLATES_DIR) and path.is_file()):
            raise TemplateError(f"gambar tidak ada di templates/: {value}")
        return InlineImage(document, str(path), height=Mm(GAMBAR_TINGGI_MM))
    return value


def render_pdf(html: str) -> tuple[bytes, int]:
    """HTML to a PDF/A-3b document; returns the bytes and the page count."""
    from activities import pdf

    return pdf.write_pdf(html, base_url=HTML_DIR)


def render_document(kind: str, context: dict[str, Any]) -> RenderedDocument:
    pdf_bytes, pages = render_pdf(render_html(kind, context))
    return RenderedDocument(docx=render_docx(kind, context), pdf=pdf_bytes, pages=pages)
