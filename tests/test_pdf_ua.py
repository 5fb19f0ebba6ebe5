"""Our user-agent stylesheet: WeasyPrint's own, less pseudo-element rules no template uses,
and the same pages to the pixel."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

import pytest
from weasyprint import CSS, HTML, html

from activities import pdf
from activities.contexts import build_context
from activities.rendering import HTML_DIR, render_html
from tests import factories

REMOVED = ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")


def test_the_slim_sheet_is_weasyprints_less_the_unused_pseudo_elements() -> None:
    slim = pdf.slim_user_agent_css(html.UA)
    removed = [line for line in html.UA.splitlines() if line not in slim.splitlines()]

    assert sorted(line.split()[0] for line in removed) == sorted(
        ["::marker", *(f"::{name}" for name in REMOVED)]
    )
    assert "\nli::marker {" in slim
    assert len(html.UA) - len(slim) < 400  # nothing else went
    assert pdf.NaskahHTML(string="<p>x</p>")._ua_stylesheets() == [pdf.user_agent_stylesheet()]


def test_no_template_uses_footnotes_or_notes() -> None:
    """The slim sheet has no styles for them: a footnote would lose its superscript call."""
    sources = [p.read_text("utf-8") for p in sorted(HTML_DIR.glob("*.*"))]

    assert sources
    assert not [word for word in ("footnote", "note") for s in sources if f"float: {word}" in s]
    assert not [name for name in REMOVED for s in sources if f"::{name}" in s]


def _page_hashes(document: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "d.pdf").write_bytes(document)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", f"{folder}/d.pdf", f"{folder}/p"], check=True
        )
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).glob("p*"))]


def _pdf_with(cls: type[HTML], source: str) -> bytes:
    document, _ = pdf.write_pdf(source, HTML_DIR, document_class=cls)
    return document


@pytest.mark.parametrize("kind", ["surat_undangan", "laporan_transfer"])
def test_pages_are_the_same_as_with_weasyprints_sheet(kind: str) -> None:
    """A letter with a numbered Tembusan list (markers) and a 2-page report with a table."""
    source = render_html(kind, build_context(factories.sample_input(kind)))
    assert kind != "surat_undangan" or "<ol>" in source

    ours = _page_hashes(_pdf_with(pdf.NaskahHTML, source))

    assert ours == _page_hashes(_pdf_with(HTML, source))
    assert len(ours) == (2 if kind == "laporan_transfer" else 1)


def test_weasyprint_takes_the_user_agent_sheet_from_our_document_class() -> None:
    """The override is a private hook of WeasyPrint's: an upgrade that stopped calling it
    would silently bring the six pseudo styles per element back."""
    calls: list[bool] = []

    class Spy(pdf.NaskahHTML):
        def _ua_stylesheets(self, forms: bool | None = False) -> list[CSS]:
            calls.append(bool(forms))
            return super()._ua_stylesheets(forms)

    _pdf_with(Spy, "<p>Tembusan:</p><ol><li>Arsip</li></ol>")

    assert calls == [False]
