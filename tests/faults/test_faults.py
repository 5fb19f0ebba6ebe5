"""Nothing lost, nothing archived twice: a killed worker, a restarted Temporal, S3 away for
30 s, a broken template. Each test prints and asserts what it counted."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType, PendingActivityState
from temporalio.client import WorkflowHandle

from app import service
from app.payloads import to_dict
from app.stack import port_open
from tests import factories
from tests.faults.conftest import ROOT, FaultStack, count_archive, eventually, report
from workflows.models import CancelInput, ReplicationResult, Stage
from workflows.replication import ReplicationWorkflow

pytestmark = pytest.mark.timeout(600)

CONSENT = factories.document_input("berita_acara_kesepakatan").facts.consent
BATAL = CancelInput(tanggal="2020-10-20", alasan="Anggaran dialihkan.")


async def documents(handle: WorkflowHandle[Any, Any]) -> int:
    return len((await handle.query(ReplicationWorkflow.status)).documents)


async def finish(handle: WorkflowHandle[Any, ReplicationResult]) -> ReplicationResult:
    await handle.execute_update(ReplicationWorkflow.batal, BATAL)
    return await handle.result()


def assert_nothing_lost(name: str, faults: FaultStack, result: ReplicationResult) -> None:
    counts = count_archive(faults.archive, result)
    report(name, counts)
    assert (counts.archived, counts.duplicated, counts.lost) == (counts.expected, 0, 0)
    seqs = [ref.seq for ref in result.documents]
    assert list(range(1, len(seqs) + 1)) == seqs, "a document was produced twice"


async def test_worker_killed_while_rendering(faults: FaultStack) -> None:
    """kill -9 the worker that runs produce_document; the other one finishes it."""
    first = await faults.start_worker()
    second = await faults.start_worker()
    by_pid = {first.pid: first, second.pid: second}
    handle = await faults.start(faults.replication())

    async def rendering_worker() -> int | None:
        described = await handle.describe()
        for pending in described.raw_description.pending_activities:
            if (
                pending.activity_type.name == "produce_document"
                and pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            ):
                return int(pending.last_worker_identity.split("@")[0])
        return None

    async def drive() -> ReplicationResult:
        await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)
        await handle.execute_update(ReplicationWorkflow.jadwal_sesi, factories.forum_session())
        return await finish(handle)

    driver = asyncio.create_task(drive())
    # The first documents render within ~0.2 s each: poll fast, kill whoever renders.
    pid = await eventually(rendering_worker, 60, "a produce_document attempt", every=0.01)
    faults.kill(by_pid[pid])
    survivor = second if pid == first.pid else first
    # No heartbeat: the server learns of the dead attempt at its start-to-close timeout
    # (DOCUMENT_TIMEOUT, 2 min); then the survivor runs attempt 2.
    result = await asyncio.wait_for(driver, 400)

    assert survivor.poll() is None
    history = await handle.fetch_history()
    retried = [
        e
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        and e.activity_task_started_event_attributes.attempt >= 2
    ]
    assert retried, "the killed attempt was not retried"
    assert Stage.DIBATALKAN == result.stage
    assert_nothing_lost("kill -9 worker", faults, result)


async def test_temporal_restarted_mid_scenario(faults: FaultStack) -> None:
    """The dev server stops and starts on the same SQLite file: everything resumes."""
    await faults.start_worker()
    handle = await faults.start(faults.replication())
    await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)

    async def schedule() -> Any:
        # The same update id after the restart: Temporal answers with the first outcome
        # if the first call got through, so the session is never scheduled twice.
        return await handle.execute_update(
            ReplicationWorkflow.jadwal_sesi, factories.forum_session(), id="jadwal-forum"
        )

    in_flight = asyncio.create_task(schedule())
    await asyncio.sleep(0.1)
    await asyncio.to_thread(faults.restart, "temporal")
    await asyncio.gather(in_flight, return_exceptions=True)
    await eventually(schedule, 120, "the update after the restart", every=1)
    result = await finish(handle)

    assert Stage.DIBATALKAN == result.stage
    kinds = [ref.kind for ref in result.documents]
    assert 1 == kinds.count("surat_undangan")
    assert_nothing_lost("temporal restart", faults, result)


async def test_s3_unreachable_for_30_seconds(faults: FaultStack) -> None:
    """SeaweedFS stops for ~30 s during an event; activities retry and finish."""
    await faults.start_worker()
    handle = await faults.start(faults.replication())
    await eventually(lambda: documents(handle), 60, "the Surat Permohonan")

    began = time.monotonic()
    outage = asyncio.create_task(asyncio.to_thread(faults.restart, "s3", 30.0))
    await eventually(
        lambda: asyncio.to_thread(lambda: not port_open("127.0.0.1", faults.stack.ports.s3)),
        30,
        "S3 to go away",
    )
    consent = await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)
    waited = time.monotonic() - began
    await outage
    result = await finish(handle)

    assert 2 == len(consent.documents)
    assert waited >= 25, f"the update finished while S3 was down ({waited:.0f} s)"
    assert_nothing_lost("S3 away 30 s", faults, result)


async def test_broken_template_waits_for_a_fix(faults: FaultStack) -> None:
    """A missing template: the opening letter waits (no failed workflow), an event's update
    fails naming the template and commits nothing; after the fix everything completes."""
    templates = faults.tmp / "templates"
    shutil.copytree(ROOT / "templates", templates)
    await faults.start_worker(REPLIKASI_TEMPLATES_DIR=str(templates))
    html = templates / "html" / "surat_permohonan.html"
    html.rename(html.with_suffix(".rusak"))
    handle = await faults.start(faults.replication())

    async def waiting_note() -> str:
        note = (await handle.query(ReplicationWorkflow.status)).note
        return note if "surat_permohonan" in note else ""

    note = await eventually(waiting_note, 60, "the workflow to report the template")
    assert "templates/html/surat_permohonan.html" in note
    assert 0 == await documents(handle)
    assert "RUNNING" == (await handle.describe()).status.name  # type: ignore[union-attr]

    html.with_suffix(".rusak").rename(html)
    await handle.execute_update(ReplicationWorkflow.coba_lagi)
    await eventually(lambda: documents(handle), 60, "the Surat Permohonan after the fix")

    docx = templates / "docx" / "berita_acara_kesepakatan.docx"
    docx.rename(docx.with_suffix(".rusak"))
    client = faults.client
    with pytest.raises(service.EventRejected) as refused:
        await service.send_event(
            client, handle.id.removeprefix("replikasi-"), "kesediaan", to_dict(CONSENT)
        )
    assert "templates/docx/berita_acara_kesepakatan.docx" in str(refused.value)
    current = await handle.query(ReplicationWorkflow.status)
    assert (Stage.SELEKSI, 1) == (current.stage, len(current.documents))

    docx.with_suffix(".rusak").rename(docx)
    consent = await handle.execute_update(ReplicationWorkflow.kesediaan, CONSENT)
    assert 2 == len(consent.documents)
    result = await finish(handle)

    assert Stage.DIBATALKAN == result.stage
    assert_nothing_lost("broken template", faults, result)


def test_fault_tests_are_not_in_the_default_run() -> None:
    """`make test` ignores tests/faults (they take minutes); `make test-faults` runs them."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "--ignore=tests/faults" in makefile and "test-faults:" in makefile
