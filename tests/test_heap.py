"""Render processes settle their heap: frozen after warm-up and after their first documents."""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from activities.documents import warm_up_render_process
from activities.heap import SETTLE_AFTER_DOCUMENTS, document_rendered


def _frozen() -> int:
    return gc.get_freeze_count()


def _frozen_after_each_document(documents: int) -> list[int]:
    counts = []
    for _ in range(documents):
        document_rendered()
        counts.append(gc.get_freeze_count())
    return counts


def test_render_process_freezes_its_heap_after_warm_up_and_after_its_first_documents() -> None:
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_up_render_process,
    )
    with pool:
        after_warm_up = pool.submit(_frozen).result()
        counts = pool.submit(_frozen_after_each_document, SETTLE_AFTER_DOCUMENTS + 5).result()

    # WeasyPrint, fonts and the stylesheet: far more than a bare interpreter's objects.
    assert after_warm_up > 50_000
    before, at, after = (
        counts[: SETTLE_AFTER_DOCUMENTS - 1],
        counts[SETTLE_AFTER_DOCUMENTS - 1],
        counts[SETTLE_AFTER_DOCUMENTS:],
    )
    assert {after_warm_up} == set(before)
    assert at > after_warm_up
    assert {at} == set(after)
