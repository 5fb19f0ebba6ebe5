"""Templates read only what their context builder provides, and escape what people type."""

from __future__ import annotations

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
