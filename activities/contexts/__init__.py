"""Per-kind context builders: workflow facts in, display-ready strings out.

Every value a template prints is formatted here (Indonesian dates, Rupiah, signature
blocks), so the DOCX and the PDF of one document print the same strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflows.models import ProduceDocumentInput

Context = dict[str, Any]
Builder = Callable[[ProduceDocumentInput], Context]

_BUILDERS: dict[str, Builder] = {}


class InvalidDocumentData(ValueError):
    """The facts cannot make this document; retrying will not help."""


def builder(kind: str) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        _BUILDERS[kind] = function
        return function

    return register


def build_context(inp: ProduceDocumentInput) -> Context:
    """The template context for one document; raises InvalidDocumentData if impossible."""
    _load_builders()
    try:
        build = _BUILDERS[inp.kind]
    except KeyError as exc:
        raise InvalidDocumentData(f"jenis dokumen tidak dikenal: {inp.kind}") from exc
    return build(inp)


def known_kinds() -> list[str]:
    _load_builders()
    return sorted(_BUILDERS)


def _load_builders() -> None:
    # Imported for their @builder registrations.
    from activities.contexts import letters, reports  # noqa: F401
