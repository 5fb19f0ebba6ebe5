"""Every document kind, rendered once, read back from its PDF, its DOCX and LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from typing import Any

import pytest

from activities.contexts import build_context, known_kinds
from activities.rendering import DOCX_DIR, HTML_DIR, RenderedDocument, render_document
from tests.doctext import assert_readable, docx_text, normalise, pdf_fonts_embedded, pdf_text
from tests.factories import sample_input
from workflows.models import NUMBERED_KINDS, DocumentKind

KINDS = [kind.value for kind in DocumentKind]


@cache
def rendered(kind: str) -> tuple[dict[str, Any], RenderedDocument]:
    context = build_context(sample_input(kind))
    return context, render_document(kind, context)


def leaf_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in leaf_strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in leaf_strings(item)]
    return []


def test_every_kind_has_a_builder_and_both_templates() -> None:
    """No kind of the lifecycle lacks its context builder, HTML or DOCX template."""
    assert sorted(KINDS) == known_kinds()
    for kind in KINDS:
        assert (HTML_DIR / f"{kind}.html").is_file(), kind
        assert (DOCX_DIR / f"{kind}.docx").is_file(), kind


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_and_docx_say_the_same_thing(kind: str) -> None:
    """Each value the PDF prints is in the DOCX too; nomor and date are in both."""
    context, document = rendered(kind)
    pdf, docx = normalise(pdf_text(document.pdf)), normalise(docx_text(document.docx))

    for value in {normalise(s).strip() for s in leaf_strings(context)}:
        if len(value) >= 4 and value in pdf:
            assert value in docx, f"{kind}: {value!r} is in the PDF but not in the DOCX"
    if kind in NUMBERED_KINDS:
        assert context["nomor"] in pdf and context["nomor"] in docx
    assert_readable(pdf)
    assert_readable(docx)
    assert pdf_fonts_embedded(document.pdf)


@pytest.fixture(scope="module")
def libreoffice_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every kind's DOCX converted by LibreOffice, as Word users would open it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("soffice missing: scripts/system-deps.sh installs libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("lo")
    for kind in KINDS:
        (folder / f"{kind}.docx").write_bytes(rendered(kind)[1].docx)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sorted(folder.glob("*.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {kind: normalise(pdf_text((folder / f"{kind}.pdf").read_bytes())) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_docx_opens_in_libreoffice(kind: str, libreoffice_texts: dict[str, str]) -> None:
    """LibreOffice opens the DOCX and shows its kop and, where it has one, its nomor."""
    context, _ = rendered(kind)
    text = libreoffice_texts[kind]

    assert context["kop"]["nama"] in text
    if kind in NUMBERED_KINDS:
        assert context["nomor"] in text
    assert_readable(text)
