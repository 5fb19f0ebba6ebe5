"""ForumWorkflow on the real Temporal dev server, archiving to a real SeaweedFS."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError

from tests import factories
from tests.conftest import Harness, own_register
from tests.doctext import normalise, pdf_text
from tests.test_replication_workflow import assert_eventually, history_length, record_history
from workflows.forum import ForumWorkflow, per_instansi
from workflows.models import (
    EventResult,
    ForumInput,
    ForumResult,
    ForumStatus,
    ReplicationStatus,
)
from workflows.replication import ReplicationWorkflow


def sample_forum(pasangan: int = 2, **changes: object) -> ForumInput:
    """The sample forum with unique ids and registers (so tests never share workflows)."""
    forum_id = f"forum-uji-{uuid.uuid4().hex[:8]}"
    forum = factories.forum(forum_id, pasangan)
    penyelenggara = replace(forum.penyelenggara, kode=f"{forum.penyelenggara.kode}-{forum_id}")
    forum = replace(
        forum, penyelenggara=penyelenggara, pasangan=[own_register(p) for p in forum.pasangan]
    )
    return replace(forum, **changes)  # type: ignore[arg-type]


async def start(harness: Harness, forum: ForumInput) -> WorkflowHandle:
    return await harness.client.start_workflow(
        ForumWorkflow.run, forum, id=f"forum-{forum.forum_id}", task_queue=harness.task_queue
    )


async def forum_status(handle: WorkflowHandle) -> ForumStatus:
    return await handle.query(ForumWorkflow.status)


def pdf_of(harness: Harness, key: str) -> str:
    return normalise(pdf_text(harness.archive.get(key)))


async def test_forum_invites_records_reports_and_starts_replications(harness: Harness) -> None:
    """One letter with a lampiran of every invitee, attendance, report, children outlive it."""
    forum = sample_forum()
    handle = await start(harness, forum)
    await assert_eventually(lambda: _has_documents(handle, 1))

    attended: EventResult = await handle.execute_update(
        ForumWorkflow.kehadiran, factories.forum_attendance()
    )
    assert "terlaksana" == attended.stage
    closed: EventResult = await handle.execute_update(
        ForumWorkflow.forum_selesai, factories.forum_closing()
    )
    result: ForumResult = await handle.result()
    await record_history(handle, "forum")

    assert "selesai" == closed.stage
    kinds = [d.kind for d in result.documents]
    assert ["surat_undangan", "daftar_hadir", "notula", "laporan_forum"] == kinds
    assert all(d.pdf_key.startswith(f"2020/{forum.forum_id}/") for d in result.documents)
    assert f"2020/{forum.forum_id}/01-surat_undangan-v1.pdf" == result.documents[0].pdf_key
    undangan = pdf_of(harness, result.documents[0].pdf_key)
    assert "Bapak/Ibu (daftar terlampir)" in undangan and "DAFTAR UNDANGAN" in undangan
    for invitee in forum.undangan:
        assert normalise(invitee.nama or invitee.jabatan) in undangan
    hadir = pdf_of(harness, result.documents[1].pdf_key)
    assert all(p.nama in hadir for p in factories.forum_attendance().hadir)
    laporan = pdf_of(harness, result.documents[3].pdf_key)
    assert "LAPORAN PELAKSANAAN FORUM REPLIKASI INOVASI PELAYANAN PUBLIK" in laporan
    assert "Forum dihadiri oleh 5 (lima) orang peserta" in laporan
    assert all(p.nama_lokal in laporan for p in forum.pasangan)
    manifest = harness.archive.get_json(result.manifest_key)
    assert 2 * len(result.documents) == len(manifest["documents"])

    # The children outlive the forum, each with the forum as its first session.
    expected = [f"replikasi-{p.replication_id}" for p in forum.pasangan]
    assert expected == result.replikasi
    for child_id in expected:
        description = await harness.client.get_workflow_handle(child_id).describe()
        assert WorkflowExecutionStatus.RUNNING == description.status
    child = harness.client.get_workflow_handle(expected[0])
    status: ReplicationStatus = await child.query(ReplicationWorkflow.status)
    assert any(s.startswith(f"{forum.forum_id}: ") and "terlaksana" in s for s in status.sesi)
    await child.execute_update(
        ReplicationWorkflow.kesediaan,
        factories.document_input("berita_acara_kesepakatan").facts.consent,
    )
    transfer = factories.document_input("laporan_transfer").facts.transfer
    done: EventResult = await child.execute_update(ReplicationWorkflow.transfer_selesai, transfer)
    assert "rencana_aksi" == done.stage
    child_kinds = [d.kind for d in (await child.query(ReplicationWorkflow.status)).documents]
    assert ["surat_permohonan", "surat_kesediaan", "berita_acara_kesepakatan"] == child_kinds[:3]
    assert "daftar_hadir" not in child_kinds and "surat_undangan" not in child_kinds
    for child_id in expected:
        await harness.client.get_workflow_handle(child_id).terminate("uji selesai")


async def _has_documents(handle: WorkflowHandle, n: int) -> bool:
    return len((await forum_status(handle)).documents) >= n


async def test_one_invitation_per_agency(harness: Harness) -> None:
    """undangan_per_instansi: one numbered Surat Undangan for each invitee agency."""
    forum = sample_forum(pasangan=0, undangan_per_instansi=True)
    handle = await start(harness, forum)
    groups = per_instansi(forum.undangan)
    assert 4 == len(groups)
    await assert_eventually(lambda: _has_documents(handle, len(groups)))

    refs = (await forum_status(handle)).documents
    assert ["surat_undangan"] * len(groups) == [d.kind for d in refs]
    assert len({d.nomor for d in refs}) == len(groups)
    for ref, group in zip(refs, groups, strict=True):
        text = pdf_of(harness, ref.pdf_key)
        assert "daftar terlampir" not in text
        assert all(normalise(p.jabatan) in text for p in group)
    await handle.terminate("uji selesai")


async def test_event_at_wrong_stage_is_rejected_without_history(harness: Harness) -> None:
    """forum_selesai before the attendance, or a bad attendance: refused, nothing written."""
    handle = await start(harness, sample_forum(pasangan=1))
    await assert_eventually(lambda: _has_documents(handle, 1))
    before = await history_length(handle)

    with pytest.raises(WorkflowUpdateFailedError) as early:
        await handle.execute_update(ForumWorkflow.forum_selesai, factories.forum_closing())
    with pytest.raises(WorkflowUpdateFailedError) as empty:
        await handle.execute_update(
            ForumWorkflow.kehadiran, replace(factories.forum_attendance(), hadir=[])
        )

    assert "tidak sesuai tahap forum 'undangan'" in str(early.value.cause)
    assert "Yang ditunggu sekarang: kehadiran." in str(early.value.cause)
    assert "Daftar hadir tidak boleh kosong." in str(empty.value.cause)
    assert before == await history_length(handle)
    await handle.terminate("uji selesai")


async def test_a_pair_already_running_is_not_started_twice(harness: Harness) -> None:
    """A pair started earlier on its own keeps running; the forum notes it and goes on."""
    forum = sample_forum(pasangan=2)
    await harness.start(forum.pasangan[0])
    handle = await start(harness, forum)
    await handle.execute_update(ForumWorkflow.kehadiran, factories.forum_attendance())
    await handle.execute_update(ForumWorkflow.forum_selesai, factories.forum_closing())
    result: ForumResult = await handle.result()

    assert [f"replikasi-{forum.pasangan[1].replication_id}"] == result.replikasi
    note = (await forum_status(handle)).note
    assert f"replikasi-{forum.pasangan[0].replication_id} sudah berjalan" in note
    for pair in forum.pasangan:
        await harness.client.get_workflow_handle(f"replikasi-{pair.replication_id}").terminate(
            "uji selesai"
        )
