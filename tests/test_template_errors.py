"""A broken template never fails a replication silently (fast version of the fault test:
a renderer that reports TemplateError for chosen kinds, on the shared servers)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowUpdateFailedError

from activities.archive import ArchiveStore
from activities.documents import ProcessPoolRenderer
from activities.notifier import NotifierActivities
from activities.rendering import RenderedDocument, TemplateError
from app import service
from tests import factories
from tests.conftest import Harness
from worker import create_worker
from workflows.models import CancelInput, ProduceDocumentInput, Stage, Timing
from workflows.replication import ReplicationWorkflow

CONSENT = factories.document_input("berita_acara_kesepakatan").facts.consent


@dataclass
class BrokenTemplates:
    """Renders like the pool, except kinds in `broken`: as if their template were missing."""

    pool: ProcessPoolRenderer
    broken: set[str] = field(default_factory=set)

    def render_input(self, inp: ProduceDocumentInput) -> RenderedDocument:
        if inp.kind in self.broken:
            raise TemplateError(f"template HTML tidak ada: templates/html/{inp.kind}.html")
        return self.pool.render_input(inp)


@pytest_asyncio.fixture
async def broken(
    client: Client, archive: ArchiveStore, renderer: ProcessPoolRenderer
) -> AsyncIterator[tuple[Harness, BrokenTemplates]]:
    task_queue = f"uji-{uuid.uuid4()}"
    templates = BrokenTemplates(renderer)
    worker = create_worker(client, task_queue, archive, templates, render_slots=2)
    async with worker:
        yield Harness(client, task_queue, archive, NotifierActivities(), worker), templates


async def test_event_with_broken_template_fails_and_keeps_nothing(
    broken: tuple[Harness, BrokenTemplates],
) -> None:
    harness, templates = broken
    inp = harness.replication()
    handle = await harness.start(inp)
    templates.broken = {"berita_acara_kesepakatan"}

    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)

    reason = service._reason(failed.value)
    assert "templates/html/berita_acara_kesepakatan.html" in reason
    assert "kirim ulang" in reason
    current = await handle.query(ReplicationWorkflow.status)
    assert (Stage.SELEKSI, 1) == (current.stage, len(current.documents))

    templates.broken = set()
    done = await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)
    # The resent event gets the sequence numbers (and so keys) the failed one had.
    assert [
        f"2020/{inp.replication_id}/02-surat_kesediaan-v1.pdf",
        f"2020/{inp.replication_id}/03-berita_acara_kesepakatan-v1.pdf",
    ] == done.documents
    await handle.terminate("test selesai")


async def test_final_document_with_broken_template_keeps_the_stage(
    broken: tuple[Harness, BrokenTemplates],
) -> None:
    """penolakan's rekam jejak fails after the stage was set: the stage goes back and the
    workflow does not end in a stage nobody reached."""
    harness, templates = broken
    handle = await harness.start(harness.replication())
    templates.broken = {"rekam_jejak"}
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(ReplicationWorkflow.batal, CancelInput(alasan="Belum siap."))
    await asyncio.sleep(0.5)
    assert "RUNNING" == (await handle.describe()).status.name  # type: ignore[union-attr]
    assert Stage.SELEKSI == (await handle.query(ReplicationWorkflow.status)).stage

    templates.broken = set()
    await handle.execute_update(ReplicationWorkflow.batal, CancelInput(alasan="Belum siap."))
    result = await handle.result()
    assert Stage.DIBATALKAN == result.stage
    assert [1, 2, 3] == [ref.seq for ref in result.documents]


async def test_opening_letter_waits_for_the_fix(broken: tuple[Harness, BrokenTemplates]) -> None:
    """The Surat Permohonan retries on a durable timer (here 1 s), and `coba_lagi` is
    refused when nothing waits."""
    harness, templates = broken
    templates.broken = {"surat_permohonan"}
    handle = await harness.start(
        harness.replication(timing=Timing(reminder_seconds=1, deadline_seconds=3600))
    )
    for _ in range(100):
        note = (await handle.query(ReplicationWorkflow.status)).note
        if "surat_permohonan" in note:
            break
        await asyncio.sleep(0.1)
    assert "Menunggu perbaikan template" in note
    await asyncio.sleep(1.5)  # a timer retry fails again; still running
    assert "RUNNING" == (await handle.describe()).status.name  # type: ignore[union-attr]

    templates.broken = set()
    for _ in range(100):
        if (await handle.query(ReplicationWorkflow.status)).documents:
            break
        await asyncio.sleep(0.1)
    assert 1 == len((await handle.query(ReplicationWorkflow.status)).documents)
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(ReplicationWorkflow.coba_lagi)
    await handle.terminate("test selesai")
