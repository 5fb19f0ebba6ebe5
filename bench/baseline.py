"""The ceiling: the same documents rendered by bare docxtpl + WeasyPrint in a process pool.

No Temporal, no S3, no hashing: contexts are built up front, and a pool of the worker's
size renders them with the project's own render functions (same templates, fonts and
per-process caches), so the ratio measures what orchestration and storage cost.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from activities.contexts import build_context
from activities.documents import warm_up_render_process
from activities.heap import document_rendered
from workflows.models import ProduceDocumentInput

# The 2-page letter of `pdf_ms_median`, in order of preference.
LETTER_KINDS = ("laporan_transfer", "surat_undangan")

# A fixed page of text in the project's stylesheet: the same work in every run and phase,
# so its CPU time shows how fast the machine itself is at that moment (this VM drifts by
# +-20 % within minutes, issue 7).
REFERENCE_PARAGRAPH = (
    "Dalam rangka replikasi inovasi pelayanan publik, dengan hormat kami sampaikan bahwa "
    "transfer pengetahuan dari inovator kepada replikator telah dilaksanakan sesuai jadwal."
)
REFERENCE_HTML = (
    "<html lang='id'><body>"
    + "".join(f"<p class='indent'>{REFERENCE_PARAGRAPH}</p>" for _ in range(24))
    + "</body></html>"
)


@dataclass
class BaselineResult:
    documents: int
    seconds: float
    pages: int
    cpu_seconds: float

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def _render(kind: str, context: dict[str, Any]) -> tuple[int, float]:
    from activities.rendering import render_document

    began = time.process_time()
    rendered = render_document(kind, context)
    elapsed = time.process_time() - began
    document_rendered()  # as the worker's render processes do, outside the timing too
    return rendered.pages, elapsed


def _noop() -> None:
    return None


def _timed_render(html: str, clock: Callable[[], float]) -> tuple[float, int]:
    from activities.rendering import render_pdf

    began = clock()
    _, pages = render_pdf(html)
    return (clock() - began) * 1000, pages


def _render_times(html: str, repeat: int, clock: Callable[[], float]) -> list[float]:
    """ms of each of ``repeat`` renders of ``html`` by ``clock``."""
    _timed_render(html, clock)  # first use of this template in the process is not the median's
    return [_timed_render(html, clock)[0] for _ in range(repeat)]


def _time_pdf(kind: str, context: dict[str, Any], repeat: int) -> dict[str, Any]:
    """Median wall ms of the letter, and the reference page's median CPU ms from renders
    alternating with it: the letter's figure comes with the machine's speed at the time."""
    from activities.rendering import render_html

    html = render_html(kind, context)
    # The first use of a template in the process is not the median's.
    _timed_render(html, time.perf_counter)
    _timed_render(REFERENCE_HTML, time.process_time)
    letter, reference, pages = [], [], 0
    for _ in range(repeat):
        ms, pages = _timed_render(html, time.perf_counter)
        letter.append(ms)
        reference.append(_timed_render(REFERENCE_HTML, time.process_time)[0])
    return {
        "kind": kind,
        "pages": pages,
        "median_ms": statistics.median(letter),
        "reference_pdf_cpu_ms": round(statistics.median(reference), 1),
    }


class BarePool:
    """A warm spawn pool of ``processes`` render processes."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up_render_process,
        )
        # Start every process and let it import and load fonts before anything is timed.
        for future in [self._pool.submit(_noop) for _ in range(processes * 2)]:
            future.result()

    def render_all(self, inputs: list[ProduceDocumentInput]) -> BaselineResult:
        contexts = [(inp.kind, build_context(inp)) for inp in inputs]
        began = time.perf_counter()
        futures = [self._pool.submit(_render, kind, context) for kind, context in contexts]
        results = [future.result() for future in futures]
        seconds = time.perf_counter() - began
        return BaselineResult(
            len(results), seconds, sum(r[0] for r in results), sum(r[1] for r in results)
        )

    def pdf_ms(self, inputs: list[ProduceDocumentInput], repeat: int = 21) -> dict[str, Any]:
        """Median PDF time of one 2-page letter, rendered ``repeat`` times in a warm process."""
        by_kind = {inp.kind: inp for inp in inputs}
        kind = next((k for k in LETTER_KINDS if k in by_kind), inputs[0].kind)
        return self._pool.submit(_time_pdf, kind, build_context(by_kind[kind]), repeat).result()

    def reference_ms(self, repeat: int = 15) -> float:
        """Median CPU ms of the reference page in one warm process: the machine's speed."""
        times = self._pool.submit(_render_times, REFERENCE_HTML, repeat, time.process_time)
        return statistics.median(times.result())

    def close(self) -> None:
        self._pool.shutdown(wait=True)
