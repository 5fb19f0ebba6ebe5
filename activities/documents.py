"""The document activity: facts → context → DOCX + PDF → archive → small reference.

Building the context and rendering are CPU-bound, so they run in a pool of processes
(never on the event loop, and not in the worker's threads where the GIL would serialise
them and delay workflow tasks); the activity thread only waits and writes to S3.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import Protocol

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.archive import ArchiveStore, StoredObject, document_key
from activities.contexts import InvalidDocumentData, build_context
from activities.heap import document_rendered, settle_heap
from activities.kearsipan import kearsipan_metadata
from activities.rendering import TEMPLATE_VERSION, RenderedDocument, TemplateError
from activities.signing import Signer, SignerUnavailable
from activities.signing.request import is_signed, sign_request
from activities.verification import index_document, kode_dokumen
from workflows.models import (
    DOCUMENT_TITLES,
    DocumentRef,
    ProduceDocumentInput,
    ProduceDocumentsInput,
)

# Threads that wait for render processes on behalf of produce_documents; they hold no
# CPU, so enough for every activity slot's event (up to 3 documents) on a large worker.
WAITING_THREADS = 64

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

logger = logging.getLogger(__name__)


class Renderer(Protocol):
    def render_input(self, inp: ProduceDocumentInput) -> RenderedDocument: ...


def render_input(inp: ProduceDocumentInput) -> RenderedDocument:
    """Context and both renditions of one document (raises InvalidDocumentData or
    TemplateError, which the activity turns into non-retryable failures)."""
    from activities.rendering import render_document

    return render_document(inp.kind, build_context(inp))


class InProcessRenderer:
    """Renders in the calling thread: for tests and one-off commands."""

    def render_input(self, inp: ProduceDocumentInput) -> RenderedDocument:
        return render_input(inp)


def warm_up_render_process() -> None:
    # Import WeasyPrint and load fonts once per process, before the first real document.
    from activities import pdf

    pdf.write_pdf("<p>siap</p>", base_url=pdf.TEMPLATES_DIR / "html")
    settle_heap()


def warm_up_signing() -> None:
    """Load pyhanko and its crypto stack (~26 MB) before the worker polls: in the first
    signed document's activity it cost ~0.4 s, and it showed as worker memory growth."""
    import activities.signing.local  # noqa: F401


def _peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KB. The peak, not the current size: memory WeasyPrint
    # allocated once stays with the process until it exits.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _render_in_child(inp: ProduceDocumentInput) -> tuple[RenderedDocument, float]:
    # The context is built here, not in the worker: it is pure CPU (the QR code alone is
    # ~15 ms), and in the worker it would hold the GIL that the SDK's workflow tasks need.
    rendered = render_input(inp)
    document_rendered()
    return rendered, _peak_rss_mb()


def _ready() -> int:
    return os.getpid()


# A render process is replaced after this many documents (on average over the pool)...
DOCUMENTS_PER_PROCESS = 500
# ...or as soon as one has grown past this. WeasyPrint keeps what it allocated until the
# process exits (Kozea/WeasyPrint#220). Measured here, a render process stays at 100-130 MB
# over 1,000 ordinary letters, so both are guards. A replacement (spawn, imports, fonts)
# costs ~0.8 s of CPU: ~1.6 ms a document at 500, about 1 % of rendering one.
RSS_LIMIT_MB = 400


class ProcessPoolRenderer:
    """A pool of render processes, started with spawn: forking a process that runs the
    Temporal SDK's threads is unsafe.

    Processes are recycled a whole pool at a time: when the pool has rendered
    DOCUMENTS_PER_PROCESS x processes documents (or a process passed RSS_LIMIT_MB), a
    successor pool starts and warms up while the old one keeps rendering; documents go
    to the successor once it is warm, and the old pool exits when its last document is
    done. Nobody waits for a process start. Not `max_tasks_per_child`: on Python 3.11 it
    deadlocks once a backlog is queued (python/cpython#115634, reproduced here).
    """

    def __init__(
        self,
        processes: int,
        documents_per_process: int = DOCUMENTS_PER_PROCESS,
        rss_limit_mb: float = RSS_LIMIT_MB,
    ) -> None:
        self._processes = max(1, processes)
        self._limit = max(1, documents_per_process) * self._processes
        self._rss_limit_mb = rss_limit_mb
        self._lock = threading.Lock()
        self._pool, self._warm = self._start_pool()
        self._successor: tuple[ProcessPoolExecutor, list[Future[int]]] | None = None
        self._submitted = 0
        self._recycle = False
        self.pools_started = 1

    def _start_pool(self) -> tuple[ProcessPoolExecutor, list[Future[int]]]:
        pool = ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up_render_process,
        )
        # With spawn, processes start on demand; one task each starts them all now, so
        # the first document does not wait ~0.8 s for imports and fonts.
        return pool, [pool.submit(_ready) for _ in range(self._processes)]

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the current pool's processes have warmed up."""
        with self._lock:
            warm = list(self._warm)
        wait(warm, timeout=timeout)

    def render_input(self, inp: ProduceDocumentInput) -> RenderedDocument:
        rendered, peak_mb = self._submit(inp).result()
        if peak_mb > self._rss_limit_mb:
            self._recycle = True
        return rendered

    def _submit(self, inp: ProduceDocumentInput) -> Future[tuple[RenderedDocument, float]]:
        # Under the lock: a pool is only shut down here, so none is shut down between
        # choosing it and submitting to it.
        with self._lock:
            self._submitted += 1
            if self._successor is None and (self._recycle or self._submitted > self._limit):
                self._successor = self._start_pool()
                self.pools_started += 1
            if self._successor is not None and all(f.done() for f in self._successor[1]):
                retired = self._pool
                self._pool, self._warm = self._successor
                self._successor, self._submitted, self._recycle = None, 0, False
                # Documents already queued on the old pool still render; then it exits.
                retired.shutdown(wait=False)
            return self._pool.submit(_render_in_child, inp)

    def close(self) -> None:
        with self._lock:
            pools = [self._pool] + ([self._successor[0]] if self._successor else [])
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


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
    if is_signed(inp):
        metadata["penandatangan"] = inp.penandatangan
    return metadata


class DocumentActivities:
    """Render → sign (the signed kinds) → hash → archive: one document per activity, or
    an event's documents side by side in one."""

    def __init__(
        self, archive: ArchiveStore, renderer: Renderer, signer: Signer | None = None
    ) -> None:
        """``signer``: who signs the signed kinds; by default the dev PKI of the worker's
        REPLIKASI_PKI_DIR, made at the first signature (so every worker role signs)."""
        self._archive = archive
        self._renderer = renderer
        self._signer = signer
        self._signer_lock = threading.Lock()
        # An event's documents wait for their render processes side by side.
        self._side_by_side = ThreadPoolExecutor(WAITING_THREADS, "dokumen")

    @activity.defn
    def produce_document(self, inp: ProduceDocumentInput) -> DocumentRef:
        """Render and archive one document version; safe to retry (same keys, same bytes)."""
        return self._produce(inp)

    @activity.defn
    def produce_documents(self, inp: ProduceDocumentsInput) -> list[DocumentRef]:
        """An event's documents at the same time, in one activity: one task and one result
        for the workflow instead of one each. Every document is produced as by
        produce_document (same keys, same bytes), so a retry after a failure rewrites the
        same objects; the first failure, in document order, fails the activity."""
        return list(self._side_by_side.map(self._produce, inp.documents))

    def _produce(self, inp: ProduceDocumentInput) -> DocumentRef:
        rendered = self._render(inp)
        # After numbering (the nomor is in the input) and before hashing: the archive keeps
        # the signed bytes as they are, and nothing renders them again.
        signed_pdf = self._sign(inp, rendered.pdf)
        metadata = {**object_metadata(inp), **kearsipan_metadata(inp)}
        pdf = self._store(inp, "pdf", signed_pdf, "application/pdf", metadata)
        docx = self._store(inp, "docx", rendered.docx, DOCX_TYPE, metadata)
        # After both files: the index points only at objects that exist.
        index_document(self._archive, kode=kode_dokumen(inp), pdf=pdf, docx=docx, metadata=metadata)
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
            return self._renderer.render_input(inp)
        except InvalidDocumentData as exc:
            raise ApplicationError(
                str(exc), type="InvalidDocumentData", non_retryable=True
            ) from exc
        except TemplateError as exc:
            raise ApplicationError(str(exc), type="TemplateError", non_retryable=True) from exc

    def _sign(self, inp: ProduceDocumentInput, pdf: bytes) -> bytes:
        if not is_signed(inp):
            return pdf
        started = time.perf_counter()
        try:
            signed = self._the_signer().sign(pdf, sign_request(inp))
        except SignerUnavailable as exc:
            # Retryable: once the certificate is provisioned the same activity succeeds.
            raise ApplicationError(str(exc), type="SignerUnavailable") from None
        logger.info(
            "signed %s for %s in %.0f ms",
            inp.kind,
            inp.penandatangan,
            (time.perf_counter() - started) * 1000,
        )
        return signed

    def _the_signer(self) -> Signer:
        with self._signer_lock:
            if self._signer is None:
                from activities.signing.local import signer_from_settings  # pyhanko: lazily

                self._signer = signer_from_settings()
            return self._signer

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
