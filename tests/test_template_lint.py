"""Templates read only what their context builder provides, and escape what people type."""

from __future__ import annotations

import re
from dataclasses import replace

import jinja2.meta
import pytest
from docxtpl import DocxTemplate

from activities.contexts import build_context
from activities.rendering import DOCX_DIR, docx_environment, html_environment, render_document
from tests.doctext import docx_text, normalise, pdf_text
from tests.factories import sample_input
from workflows.models import DocumentKind

KINDS = [kind.value for kind in DocumentKind]
IMPLICIT = {"parts", "loop"}


def html_variables(kind: str) -> set[str]:
    env = html_environment()
    source = env.loader.get_source(env, f"{kind}.html")[0]  # type: ignore[union-attr]
    names = jinja2.meta.find_undeclared_variables(env.parse(source))
    base = env.loader.get_source(env, "base.html")[0]  # type: ignore[union-attr]
    return (names | jinja2.meta.find_undeclared_variables(env.parse(base))) - IMPLICIT


@pytest.mark.parametrize("kind", KINDS)
def test_templates_use_only_context_keys(kind: str) -> None:
    """Every variable of the HTML and the DOCX template is a key the builder returns."""
    context = build_context(sample_input(kind))
    docx_names = DocxTemplate(DOCX_DIR / f"{kind}.docx").get_undeclared_template_variables(
        docx_environment()
    )

    assert set() == html_variables(kind) - set(context)
    assert set() == set(docx_names) - set(context)


@pytest.mark.parametrize("kind", KINDS)
def test_markup_characters_in_names_render_as_text(kind: str) -> None:
    """A name with & < > " prints as typed in both files and corrupts neither."""
    inp = sample_input(kind)
    tricky = 'PT "Maju & Jaya" <Makassar>'
    replikator = replace(inp.replication.replikator, nama=tricky)
    inp = replace(inp, replication=replace(inp.replication, replikator=replikator))

    document = render_document(kind, build_context(inp))

    assert tricky.upper() in normalise(pdf_text(document.pdf)).upper()
    assert tricky.upper() in normalise(docx_text(document.docx)).upper()


@pytest.mark.parametrize("kind", KINDS)
def test_very_long_names_wrap_instead_of_overflowing(kind: str) -> None:
    """A 200-character agency name and official's name still render, in full, in both files."""
    inp = sample_input(kind)
    long_agency = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat " * 4
    replikator = replace(inp.replication.replikator, nama=long_agency.strip())
    kepala = replace(replikator.kepala, nama="Andi " + "Muhammad " * 20 + "Saleh")
    replikator = replace(replikator, kepala=kepala)
    inp = replace(inp, replication=replace(inp.replication, replikator=replikator))

    document = render_document(kind, build_context(inp))

    pdf, docx = normalise(pdf_text(document.pdf)), normalise(docx_text(document.docx))
    assert long_agency.strip().upper()[:120] in pdf.upper()
    assert long_agency.strip().upper()[:120] in docx.upper()


@pytest.mark.parametrize("kind", KINDS)
def test_times_use_a_period_never_a_colon(kind: str) -> None:
    """Times read "pukul 09.00 WITA", never "09:00" (PUEBI; domain.md §3.5)."""
    document = render_document(kind, build_context(sample_input(kind)))

    for text in (pdf_text(document.pdf), docx_text(document.docx)):
        assert re.search(r"\b\d{1,2}:\d{2}\b", text) is None
