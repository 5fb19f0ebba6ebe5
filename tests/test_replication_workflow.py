"""ReplicationWorkflow on the real Temporal dev server, archiving to a real SeaweedFS."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.worker import Replayer

from activities.verification import verify_file
from tests import factories
from tests.conftest import Harness
from workflows.models import (
    STAGE_KEY,
    CancelInput,
    DecisionInput,
    InnovatorDeclineInput,
    Kegiatan,
    ReplicationResult,
    ReplicationStatus,
    Stage,
    Timing,
)
from workflows.nomor import NomorRegisterWorkflow
from workflows.replication import ReplicationWorkflow

HISTORIES = Path(__file__).with_name("histories")


async def assert_eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    """Poll instead of sleeping a fixed time: passes as soon as the check holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.2)


async def record_history(handle: WorkflowHandle, name: str) -> None:
    """With REPLIKASI_RECORD_HISTORIES=1, keep the history for tests/test_replay.py; with
    REPLIKASI_RECORD_SUFFIX too, as a new file beside the old one (after a patch, both the
    old and the new path must keep replaying)."""
    if os.environ.get("REPLIKASI_RECORD_HISTORIES") == "1":
        history = await handle.fetch_history()
        suffix = os.environ.get("REPLIKASI_RECORD_SUFFIX", "")
        (HISTORIES / f"{name}{suffix}.json").write_text(history.to_json())


async def history_length(handle: WorkflowHandle) -> int:
    return len((await handle.fetch_history()).events)


async def status(handle: WorkflowHandle) -> ReplicationStatus:
    return await handle.query(ReplicationWorkflow.status)


async def through_transfer(handle: WorkflowHandle) -> None:
    """Consent, a forum and a studi tiru, then the transfer report."""
    await handle.execute_update(
        ReplicationWorkflow.kesediaan,
        factories.document_input("berita_acara_kesepakatan").facts.consent,
    )
    await handle.execute_update(ReplicationWorkflow.jadwal_sesi, factories.forum_session())
    await handle.execute_update(ReplicationWorkflow.sesi_terlaksana, factories.forum_record())
    await handle.execute_update(ReplicationWorkflow.jadwal_sesi, factories.studi_tiru_session())
    record = replace(factories.forum_record(), sesi_id="studi-tiru-masamba")
    await handle.execute_update(ReplicationWorkflow.sesi_terlaksana, record)
    transfer = factories.document_input("laporan_transfer").facts.transfer
    await handle.execute_update(ReplicationWorkflow.transfer_selesai, transfer)


async def decide(handle: WorkflowHandle, user: str, decision: str, note: str = "") -> None:
    await handle.execute_update(
        ReplicationWorkflow.decide, DecisionInput(approver=user, decision=decision, note=note)
    )


async def test_whole_lifecycle_with_one_revision(harness: Harness) -> None:
    """Selection to selesai, with a revision: every document archived, v1 and v2 side by side."""
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    await decide(handle, "kadinkes.palopo", "approve")
    await decide(handle, "sekda.palopo", "revise", "Anggaran sosialisasi terlalu besar.")
    assert "rencana_aksi" == (await status(handle)).stage
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(2))
    await decide(handle, "kadinkes.palopo", "approve")
    await decide(handle, "sekda.palopo", "approve")

    result: ReplicationResult = await handle.result()
    await record_history(handle, "selesai-dengan-revisi")

    assert "selesai" == result.stage
    kinds = [(d.kind, d.version) for d in result.documents]
    assert ("rencana_aksi", 1) in kinds and ("rencana_aksi", 2) in kinds
    assert ("rencana_aksi_final", 2) in kinds and ("lembar_pengesahan", 2) in kinds
    assert 13 <= len({kind for kind, _ in kinds})
    assert_archived(harness, result)
    await assert_one_timer_and_one_upsert_per_event(handle)


async def assert_one_timer_and_one_upsert_per_event(handle: WorkflowHandle) -> None:
    """Events and decisions move the reminders' due times without cancelling the timer
    (issue 7: 13 timers started and cancelled in this history before); only a switch
    between waiting for events and waiting for decisions does. A stage change upserts the
    search attributes once, not twice."""
    events = (await handle.fetch_history()).events
    counts = Counter(EventType.Name(event.event_type) for event in events)
    updates = counts["EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED"]

    # Waiting from the start; into pengesahan, back to rencana aksi, into pengesahan again.
    assert 4 == counts["EVENT_TYPE_TIMER_STARTED"]
    # Each entry into and exit from pengesahan.
    assert 4 == counts["EVENT_TYPE_TIMER_CANCELED"]
    # One upsert when the run starts and one per event (each moves the due date); the
    # SDK's own TemporalChangeVersion upserts, one per patch marker, are not ours.
    ours = [
        event
        for event in events
        if STAGE_KEY.name
        in event.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
    ]
    assert 1 + updates == len(ours)


def assert_archived(harness: Harness, result: ReplicationResult) -> None:
    """Every file is in S3 with the hash the workflow recorded, and in the manifest."""
    manifest = harness.archive.get_json(result.manifest_key)
    listed = {entry["key"]: entry["sha256"] for entry in manifest["documents"]}
    assert 2 * len(result.documents) == len(listed)
    for ref in result.documents:
        for key, sha in ((ref.pdf_key, ref.pdf_sha256), (ref.docx_key, ref.docx_sha256)):
            assert sha == hashlib.sha256(harness.archive.get(key)).hexdigest()
            assert sha == listed[key]
            assert sha == harness.archive.metadata(key)["sha256"]
    final = next(ref for ref in result.documents if ref.kind == "rencana_aksi_final")
    metadata = harness.archive.metadata(final.pdf_key)
    assert ("000.8.3.3", "permanen") == (
        metadata["kode-klasifikasi"],
        metadata["retensi-keterangan"],
    )
    assert verify_file(
        harness.archive, harness.archive.get(final.pdf_key), harness.trust_pem
    ).authentic
    numbered = [ref.nomor for ref in result.documents if ref.nomor]
    assert len(numbered) == len(set(numbered)), "a nomor was given twice"


async def test_event_at_wrong_stage_is_rejected_without_history(harness: Harness) -> None:
    """An event that does not fit the stage is refused with a reason; history is unchanged."""
    handle = await harness.start(harness.replication())
    consent = factories.document_input("berita_acara_kesepakatan").facts.consent
    await handle.execute_update(ReplicationWorkflow.kesediaan, consent)
    before = await history_length(handle)

    with pytest.raises(WorkflowUpdateFailedError) as plan:
        await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    with pytest.raises(WorkflowUpdateFailedError) as again:
        await handle.execute_update(ReplicationWorkflow.kesediaan, consent)

    assert "tidak sesuai tahap 'transfer_pengetahuan'" in str(plan.value.cause)
    expected = "jadwal_sesi, sesi_terlaksana, transfer_selesai"
    assert expected in str(again.value.cause)
    assert before == await history_length(handle)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda p: replace(p, kegiatan=[replace(p.kegiatan[0], anggaran=-5)]),
            "anggaran tidak boleh negatif",
        ),
        (
            lambda p: replace(
                p, kegiatan=[replace(p.kegiatan[0], mulai="2021-05", selesai="2021-02")]
            ),
            "waktu selesai sebelum waktu mulai",
        ),
        (lambda p: replace(p, kegiatan=[Kegiatan(tahapan="Sosialisasi")]), "output wajib diisi"),
        (lambda p: replace(p, kegiatan=[]), "minimal satu kegiatan"),
    ],
)
async def test_invalid_plan_is_rejected_without_history(
    harness: Harness, change: Callable, expected: str
) -> None:
    """A negative budget, an end before its start or a missing field is refused, unwritten."""
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    before = await history_length(handle)

    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(ReplicationWorkflow.rencana_aksi, change(factories.plan(1)))

    assert expected in str(failure.value.cause)
    assert before == await history_length(handle)


async def test_session_dates_out_of_order_are_rejected(harness: Harness) -> None:
    """A session that ends before it starts, or an invitation dated after it, is refused."""
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.kesediaan,
        factories.document_input("berita_acara_kesepakatan").facts.consent,
    )
    before = await history_length(handle)
    session = replace(
        factories.studi_tiru_session(), tanggal_selesai="2020-11-01", tanggal_surat="2020-11-10"
    )

    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(ReplicationWorkflow.jadwal_sesi, session)

    assert "Tanggal selesai sesi tidak boleh sebelum" in str(failure.value.cause)
    assert "Surat undangan harus bertanggal sebelum" in str(failure.value.cause)
    assert before == await history_length(handle)


async def test_unknown_approver_and_wrong_turn_are_rejected(harness: Harness) -> None:
    """Only the approvers of the chain decide, and each in turn."""
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    before = await history_length(handle)

    with pytest.raises(WorkflowUpdateFailedError) as unknown:
        await decide(handle, "walikota.palopo", "approve")
    with pytest.raises(WorkflowUpdateFailedError) as early:
        await decide(handle, "sekda.palopo", "approve")
    with pytest.raises(WorkflowUpdateFailedError) as no_note:
        await decide(handle, "kadinkes.palopo", "revise")

    assert "tidak termasuk dalam rantai persetujuan" in str(unknown.value.cause)
    assert "Pengguna 'sekda.palopo' tidak sedang diminta memutuskan" in str(early.value.cause)
    assert "menunggu: kadinkes.palopo." in str(early.value.cause)
    assert "wajib diberi catatan" in str(no_note.value.cause)
    assert before == await history_length(handle)


async def test_decline_closes_the_replication(harness: Harness) -> None:
    """The inovator's decline produces the closing letter and ends 'ditolak'."""
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.penolakan,
        InnovatorDeclineInput(tanggal="2020-10-09", alasan="Inovasi sedang dievaluasi."),
    )

    result: ReplicationResult = await handle.result()
    await record_history(handle, "ditolak-inovator")

    assert "ditolak" == result.stage
    expected = ["surat_permohonan", "surat_penutupan", "rekam_jejak"]
    assert expected == [d.kind for d in result.documents]


async def test_cancel_during_transfer(harness: Harness) -> None:
    """A coordinator cancels with a reason: a letter, the record, and 'dibatalkan'."""
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.kesediaan,
        factories.document_input("berita_acara_kesepakatan").facts.consent,
    )
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(ReplicationWorkflow.batal, CancelInput(alasan=" "))

    await handle.execute_update(
        ReplicationWorkflow.batal, CancelInput(alasan="Anggaran dialihkan.", oleh="Koordinator")
    )
    result: ReplicationResult = await handle.result()
    await record_history(handle, "dibatalkan")

    assert "dibatalkan" == result.stage
    assert ["surat_pembatalan", "rekam_jejak"] == [d.kind for d in result.documents[-2:]]


async def test_reminder_and_escalation_fire_with_short_durations(harness: Harness) -> None:
    """Waiting on the inovator sends reminders on a durable timer, then one escalation."""
    handle = await harness.start(harness.replication(timing=Timing(1, 2.5)))

    async def escalated_then_reminded() -> bool:
        sent = harness.notifier.sent
        return any(r.escalation for r in sent) and not sent[-1].escalation

    await assert_eventually(escalated_then_reminded)
    current = await status(handle)

    assert 2 <= current.reminders
    assert current.overdue
    assert ["kesediaan", "penolakan"] == current.waiting_for
    assert 1 == sum(
        r.escalation for r in harness.notifier.sent if r.replication_id == current.replication_id
    )
    await handle.terminate("test selesai")


async def test_an_event_restarts_the_reminder_period(harness: Harness) -> None:
    """The first reminder comes a full period after the latest event, not after the start:
    the running timer sleeps on when the event moved the due time."""
    period = 3.0
    handle = await harness.start(harness.replication(timing=Timing(period, 3600)))
    await asyncio.sleep(period / 2)
    await handle.execute_update(
        ReplicationWorkflow.kesediaan,
        factories.document_input("berita_acara_kesepakatan").facts.consent,
    )
    answered = time.monotonic()
    replication_id = (await status(handle)).replication_id

    async def reminded() -> bool:
        return any(r.replication_id == replication_id for r in harness.notifier.sent)

    await assert_eventually(reminded)
    reminder = next(r for r in harness.notifier.sent if r.replication_id == replication_id)

    assert time.monotonic() - answered >= period - 0.3
    assert Stage.TRANSFER == reminder.stage
    await handle.terminate("test selesai")


async def test_status_tells_stage_waits_and_who(harness: Harness) -> None:
    """The status query names the stage, the awaited events, the person and the due time."""
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))

    current = await status(handle)

    assert "pengesahan" == current.stage
    assert ["decide"] == current.waiting_for
    assert ["kadinkes.palopo"] == current.waiting_on
    assert "dr. Andi Rahmawati Saleh, M.Kes." == current.pending[0].nama
    assert current.since < current.due
    await handle.terminate("test selesai")


async def test_completed_history_replays_deterministically(harness: Harness) -> None:
    """A finished workflow's history replays against the current code without errors."""
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.penolakan, InnovatorDeclineInput(alasan="Belum siap.")
    )
    await handle.result()

    history = await handle.fetch_history()
    replay = await Replayer(workflows=[ReplicationWorkflow, NomorRegisterWorkflow]).replay_workflow(
        history
    )

    assert replay.replay_failure is None
