"""The document activity: facts → context → DOCX + PDF → archive → small reference.

Rendering is CPU-bound, so it runs in a pool of processes (never on the event loop, and
not in the worker's threads where the GIL would serialise it); the activity thread only
builds the context and writes to S3.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.archive import ArchiveStore, StoredObject, document_key
from activities.contexts import InvalidDocumentData, build_context
from activities.rendering import TEMPLATE_VERSION, RenderedDocument, TemplateError
from workflows.models import DOCUMENT_TITLES, DocumentRef, ProduceDocumentInput

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Renderer(Protocol):
    def render(self, kind: str, context: dict[str, Any]) -> RenderedDocument: ...


class InProcessRenderer:
    """Renders in the calling thread: for tests and one-off commands."""

    def render(self, kind: str, context: dict[str, Any]) -> RenderedDocument:
        from activities.rendering import render_document

        return render_document(kind, context)


def warm_up_render_process() -> None:
    # Import WeasyPrint and load fonts once per process, before the first real document.
    from activities import pdf

    pdf.write_pdf("<p>siap</p>", base_url=pdf.TEMPLATES_DIR / "html")


def _render_in_child(kind: str, context: dict[str, Any]) -> RenderedDocument:
    from activities.rendering import render_document

    return render_document(kind, context)


class ProcessPoolRenderer:
    """A pool of render processes, started with spawn: forking a process that runs the
    Temporal SDK's threads is unsafe."""

    def __init__(self, processes: int) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=max(1, processes),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up_render_process,
        )

    def render(self, kind: str, context: dict[str, Any]) -> RenderedDocument:
        return self._pool.submit(_render_in_child, kind, context).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def object_metadata(inp: ProduceDocumentInput) -> dict[str, str]:
    metadata = {
        "kind": inp.kind,
        "title": DOCUMENT_TITLES.get(inp.kind, inp.kind),
        "replication": inp.replication.replication_id,
        "version": str(inp.version),
        "tanggal": inp.tanggal,
        "workflow-run-id": inp.workflow_run_id,
        "template-version": TEMPLATE_VERSION,
    }
    if inp.nomor:
        metadata["nomor"] = inp.nomor
    return metadata


class DocumentActivities:
    def __init__(self, archive: ArchiveStore, renderer: Renderer) -> None:
        self._archive = archive
        self._renderer = renderer

    @activity.defn
    def produce_document(self, inp: ProduceDocumentInput) -> DocumentRef:
        """Render and archive one document version; safe to retry (same keys, same bytes)."""
        rendered = self._render(inp)
        metadata = object_metadata(inp)
        pdf = self._store(inp, "pdf", rendered.pdf, "application/pdf", metadata)
        docx = self._store(inp, "docx", rendered.docx, DOCX_TYPE, metadata)
        return DocumentRef(
            seq=inp.seq,
            kind=inp.kind,
            version=inp.version,
            nomor=inp.nomor,
            tanggal=inp.tanggal,
            pdf_key=pdf.key,
            pdf_sha256=pdf.sha256,
            pdf_size=pdf.size,
            pages=rendered.pages,
            docx_key=docx.key,
            docx_sha256=docx.sha256,
            docx_size=docx.size,
        )

    def _render(self, inp: ProduceDocumentInput) -> RenderedDocument:
        try:
            return self._renderer.render(inp.kind, build_context(inp))
        except InvalidDocumentData as exc:
            raise ApplicationError(
                str(exc), type="InvalidDocumentData", non_retryable=True
            ) from exc
        except TemplateError as exc:
            raise ApplicationError(str(exc), type="TemplateError", non_retryable=True) from exc

    def _store(
        self,
        inp: ProduceDocumentInput,
        ext: str,
        body: bytes,
        content_type: str,
        metadata: dict[str, str],
    ) -> StoredObject:
        key = document_key(
            inp.year, inp.replication.replication_id, inp.seq, inp.kind, inp.version, ext
        )
        return self._archive.put(key, body, content_type, metadata)
