"""WeasyPrint, configured once per process: fonts, stylesheet and a locked-down fetcher."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML, html
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from activities.rendering import TEMPLATES_DIR  # one setting: REPLIKASI_TEMPLATES_DIR


class TemplateAssetFetcher(URLFetcher):
    """Serve only the project's own template assets.

    WeasyPrint's default fetcher follows file:// and http:// URLs found in the HTML, so a
    value typed into a form could read local files or reach internal hosts (SSRF;
    GHSA-35jj-wx47-4w8r). Everything outside templates/ is refused.
    """

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if path.is_relative_to(TEMPLATES_DIR) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"resource not allowed in documents: {url[:80]}")


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    # A fresh FontConfiguration copies every @font-face file to a new temp folder; one
    # per process keeps the temp dir clean and saves ~10 % per document.
    return FontConfiguration()


@lru_cache(maxsize=1)
def stylesheet() -> CSS:
    return CSS(
        filename=str(TEMPLATES_DIR / "html" / "naskah.css"),
        font_config=font_configuration(),
        url_fetcher=TemplateAssetFetcher(),
    )


# WeasyPrint's user-agent stylesheet gives *every* element ::marker and five footnote/note
# pseudo-elements, so the cascade computes six pseudo styles per element: 642 of the 730
# styles of a 2-page report. Our templates use no footnotes or notes (tests/test_pdf_ua.py
# keeps it so) and markers only on list items, so the sheet without those rules and with
# `li::marker` gives the same pages ~5 % faster (issue 7).
_UNUSED_UA_RULES = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback)\b[^\n]*\n",
    re.MULTILINE,
)


def slim_user_agent_css(source: str) -> str:
    """``source`` (WeasyPrint's html5_ua.css) without the pseudo-element rules we never use."""
    return _UNUSED_UA_RULES.sub("", source).replace("\n::marker {", "\nli::marker {")


@lru_cache(maxsize=1)
def user_agent_stylesheet() -> CSS:
    # Built as WeasyPrint builds its own (weasyprint/html.py), from the same source.
    return CSS(string=slim_user_agent_css(html.UA), counter_style=html.UA_COUNTER_STYLE)


class NaskahHTML(HTML):
    """An HTML document of ours: WeasyPrint's user-agent defaults, less what we never use."""

    def _ua_stylesheets(self, forms: bool | None = False) -> list[CSS]:
        if forms:  # a form field in a letter: WeasyPrint's own sheets, whole
            return list(super()._ua_stylesheets(forms))
        return [user_agent_stylesheet()]


def write_pdf(
    html: str, base_url: Path, document_class: type[HTML] = NaskahHTML
) -> tuple[bytes, int]:
    """Render HTML to PDF/A-3b, the archival variant DESIGN.md asks for. ``document_class``
    only for comparing with WeasyPrint's own user-agent sheet (tests/test_pdf_ua.py)."""
    document = document_class(
        string=html, base_url=str(base_url) + "/", url_fetcher=TemplateAssetFetcher()
    ).render(stylesheets=[stylesheet()], font_config=font_configuration())
    buffer = io.BytesIO()
    # Fonts were configured at render(); write_pdf takes no font_config in WeasyPrint 70.
    document.write_pdf(buffer, pdf_variant="pdf/a-3b", uncompressed_pdf=False)
    return buffer.getvalue(), len(document.pages)
