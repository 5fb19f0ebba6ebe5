"""Each letter kind, read back from its PDF and its DOCX."""

from __future__ import annotations

import pytest

from activities.contexts import build_context
from activities.rendering import RenderedDocument, render_document
from tests.doctext import assert_readable, docx_text, normalise, pdf_fonts_embedded, pdf_text
from tests.factories import document_input


def render(kind: str, **facts: object) -> tuple[RenderedDocument, str, str]:
    inp = document_input(kind, **facts)
    rendered = render_document(kind, build_context(inp))
    return rendered, normalise(pdf_text(rendered.pdf)), normalise(docx_text(rendered.docx))


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_permohonan_fields(reader: str) -> None:
    """The Surat Permohonan names the innovation, both agencies, nomor, date and signer."""
    rendered, pdf, docx = render("surat_permohonan")
    text = pdf if reader == "pdf" else docx

    for expected in [
        "PEMERINTAH KOTA PALOPO",
        "Nomor",
        "000.8.3.3/15/Dinkes/2020",
        "Palopo, 5 Oktober 2020",
        "Hal",
        "Permohonan Replikasi Inovasi",
        "Yth. Kepala Dinas Kesehatan Kabupaten Luwu Utara",
        "ANC Hipnoterapi",
        "HIPNO-BUNDA Wara Utara",
        "KEPALA DINAS KESEHATAN KOTA PALOPO,",
        "dr. Andi Rahmawati Saleh, M.Kes.",
        "NIP 197503122003122004",
        "Tembusan",
    ]:
        assert expected in text, expected
    assert_readable(text)
    assert pdf_fonts_embedded(rendered.pdf)
