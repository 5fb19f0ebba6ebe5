"""Sign-off chains on the real Temporal dev server: groups, quorum, delegation, deadlines."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from activities.archive import ArchiveStore
from activities.documents import ProcessPoolRenderer
from activities.notifier import EmailChannel, NotifierActivities
from app.stack import free_port
from tests import factories
from tests.conftest import Harness, own_register
from tests.doctext import normalise, pdf_text
from tests.test_replication_workflow import (
    assert_eventually,
    history_length,
    record_history,
    status,
    through_transfer,
)
from worker import create_worker
from workflows.models import (
    DecisionInput,
    MoveDeadlineInput,
    ReplicationInput,
    ReplicationResult,
    Timing,
)
from workflows.replication import ReplicationWorkflow

SEED = Path(__file__).resolve().parents[1] / "examples" / "palopo-2020"


def chained(harness: Harness, **changes: object) -> ReplicationInput:
    """The sample replication with the Palopo chain and a Plh. for the Sekda."""
    defaults: dict[str, object] = {
        "approvers": [],
        "rantai": {"rencana_aksi": factories.chain()},
        "delegasi": [factories.plh_sekda()],
    }
    return harness.replication(**(defaults | changes))


async def to_pengesahan(handle: WorkflowHandle) -> None:
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))


async def decide(
    handle: WorkflowHandle, user: str, decision: str = "approve", note: str = "", tanggal: str = ""
) -> str:
    result = await handle.execute_update(
        ReplicationWorkflow.decide,
        DecisionInput(approver=user, decision=decision, note=note, tanggal=tanggal),
    )
    return str(result.message)


async def test_chain_with_a_plh_signer_prints_plh_in_the_signed_documents(
    harness: Harness,
) -> None:
    """Paraf in parallel, then the Kepala Dinas, then a Plh. for the Sekda: the lembar
    pengesahan prints each role's block, "Plh. SEKRETARIS DAERAH" with the Plh.'s name."""
    handle = await harness.start(chained(harness))
    await to_pengesahan(handle)

    await decide(handle, "sekdis.palopo", tanggal="2020-11-23")
    await decide(handle, "kabid.kesmas", tanggal="2020-11-24")
    await decide(handle, "kadinkes.palopo", tanggal="2020-11-26")
    await decide(handle, "asisten1.palopo", tanggal="2020-12-03")
    result: ReplicationResult = await handle.result()
    await record_history(handle, "selesai-rantai")

    lembar = read_pdf(harness.archive, result, "lembar_pengesahan")
    final = read_pdf(harness.archive, result, "rencana_aksi_final")
    assert "selesai" == result.stage
    assert "asisten1.palopo" == (await status(handle)).signer
    for expected in (
        "Diperiksa oleh:",
        "Disetujui oleh:",
        "Disahkan oleh:",
        "Plh. SEKRETARIS DAERAH KOTA PALOPO,",
        factories.ASISTEN_PALOPO.nama,
        "Palopo, 3 Desember 2020",
        factories.KABID_KESMAS.nama,
        factories.SEKDIS_PALOPO.nama,
    ):
        assert expected in lembar
    assert "KEPALA DINAS KESEHATAN KOTA PALOPO," in final  # the head of the replikator
    assert factories.SEKDA_PALOPO.nama not in lembar  # (the final plan lists him as Pengarah)


async def test_decisions_record_who_acted_for_whom(harness: Harness) -> None:
    """Each decision keeps the acting user, the holder, the delegation and the group."""
    handle = await harness.start(chained(harness))
    await to_pengesahan(handle)
    for user in ("kabid.kesmas", "sekdis.palopo", "kadinkes.palopo"):
        await decide(handle, user)
    await decide(handle, "asisten1.palopo", tanggal="2020-12-03")

    result: ReplicationResult = await handle.result()
    decisions = result_decisions(harness.archive, result)

    expected = [
        ("kabid.kesmas", "kabid.kesmas", "", 1, "paraf"),
        ("sekdis.palopo", "sekdis.palopo", "", 1, "paraf"),
        ("kadinkes.palopo", "kadinkes.palopo", "", 2, "persetujuan"),
        ("asisten1.palopo", "sekda.palopo", "Plh.", 3, "penandatangan"),
    ]
    assert expected == [
        (d["approver"], d["pemegang"], d["sebagai"], d["kelompok"], d["jenis"]) for d in decisions
    ]
    assert all(d["at"] for d in decisions)


async def test_signer_cannot_decide_before_the_approvers(harness: Harness) -> None:
    """The Sekda and the Kepala Dinas are refused while paraf is pending; nothing written."""
    handle = await harness.start(chained(harness))
    await to_pengesahan(handle)
    before = await history_length(handle)
    rid = (await status(handle)).replication_id

    for user in ("sekda.palopo", "kadinkes.palopo", "asisten1.palopo"):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await decide(handle, user)
        message = str(refused.value.cause)
        assert f"Pengguna '{user}' tidak sedang diminta memutuskan replikasi {rid}." in message
        assert "menunggu: kabid.kesmas, sekdis.palopo" in message
    current = await status(handle)

    assert before == await history_length(handle)
    assert ["kabid.kesmas", "sekdis.palopo"] == current.waiting_on
    assert (1, 3, "paraf", 2) == (current.group, current.groups, current.group_kind, current.kuorum)
    assert ["kabid.kesmas", "sekdis.palopo"] == [p.user for p in current.pending]
    assert all(current.since < p.due for p in current.pending)
    await handle.terminate("test selesai")


async def test_quorum_of_one_paraf_moves_on(harness: Harness) -> None:
    """With kuorum 1, one paraf suffices; the other paraf official is no longer asked."""
    inp = chained(harness, rantai={"rencana_aksi": factories.chain(paraf_kuorum=1)})
    handle = await harness.start(inp)
    await to_pengesahan(handle)

    message = await decide(handle, "sekdis.palopo")
    current = await status(handle)

    assert "Kelompok selesai; menunggu kadinkes.palopo." == message
    assert ["kadinkes.palopo"] == current.waiting_on
    assert [] == current.approved  # the persetujuan group has no approval yet
    with pytest.raises(WorkflowUpdateFailedError):
        await decide(handle, "kabid.kesmas")
    await handle.terminate("test selesai")


async def test_revision_by_a_paraf_official_restarts_the_chain(harness: Harness) -> None:
    """A paraf official asks for a revision: version 2, and paraf is asked again."""
    handle = await harness.start(chained(harness))
    await to_pengesahan(handle)
    await decide(handle, "kabid.kesmas")

    await decide(handle, "sekdis.palopo", "revise", "Indikator belum terukur.")
    assert "rencana_aksi" == (await status(handle)).stage
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(2))
    current = await status(handle)

    assert (2, ["kabid.kesmas", "sekdis.palopo"]) == (current.version, current.waiting_on)
    assert [] == current.approved
    await handle.terminate("test selesai")


async def test_rejection_by_the_approver_closes_the_replication(harness: Harness) -> None:
    """The Kepala Dinas rejects after paraf: the replication ends 'ditolak' with its record."""
    handle = await harness.start(chained(harness))
    await to_pengesahan(handle)
    await decide(handle, "kabid.kesmas")
    await decide(handle, "sekdis.palopo")

    await decide(handle, "kadinkes.palopo", "reject", "Tidak sesuai prioritas daerah.")
    result: ReplicationResult = await handle.result()

    assert "ditolak" == result.stage
    assert "rekam_jejak" == result.documents[-1].kind


@dataclass
class Inbox:
    """aiosmtpd handler: keeps every message the local SMTP server receives."""

    messages: list[tuple[list[str], str]] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content.decode("utf-8", "replace")  # type: ignore[attr-defined]
        self.messages.append((list(envelope.rcpt_tos), content))  # type: ignore[attr-defined]
        return "250 OK"


ADDRESSES = {
    "kabid.kesmas": "kabid.kesmas@palopo.example",
    "sekdis.palopo": "sekdis@palopo.example",
    "kadinkes.palopo": "kadinkes@palopo.example",
    "koordinator": "organisasi@sulsel.example",
}


async def test_reminders_escalation_and_a_moved_deadline_by_email(
    client: object, archive: ArchiveStore, renderer: ProcessPoolRenderer
) -> None:
    """Short durations: each paraf official is reminded, then escalated to their superior
    by e-mail (local SMTP server); a coordinator moves one deadline and it is re-armed;
    then everyone decides and the replication ends selesai."""
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    channel = EmailChannel("127.0.0.1", port, "replikasi@sulsel.example", ADDRESSES)
    notifier = NotifierActivities(channel)
    task_queue = f"uji-{uuid.uuid4()}"
    worker = create_worker(client, task_queue, archive, renderer, render_slots=2, notifier=notifier)  # type: ignore[arg-type]
    try:
        async with worker:
            harness = Harness(client, task_queue, archive, notifier, worker)  # type: ignore[arg-type]
            handle = await harness.start(chained(harness, timing=Timing(1, 2.5)))
            await to_pengesahan(handle)
            await check_escalations(handle, inbox)
            await check_moved_deadline(handle)
            for user in ("kabid.kesmas", "sekdis.palopo", "kadinkes.palopo"):
                await decide(handle, user)
            await decide(handle, "asisten1.palopo", tanggal="2020-12-03")
            assert "selesai" == (await handle.result()).stage
            await record_history(handle, "selesai-rantai-pengingat")
    finally:
        smtp.stop()


async def check_escalations(handle: WorkflowHandle, inbox: Inbox) -> None:
    def mailed(address: str, word: str) -> bool:
        return any(address in to and word in text for to, text in inbox.messages)

    async def both_escalated() -> bool:
        return mailed("sekdis@palopo.example", "Eskalasi") and mailed(
            "kadinkes@palopo.example", "Eskalasi"
        )

    await assert_eventually(both_escalated, timeout=60)
    current = await status(handle)

    assert mailed("kabid.kesmas@palopo.example", "Pengingat")
    assert all(p.escalated and p.overdue for p in current.pending)
    assert ["sekdis.palopo", "kadinkes.palopo"] == [p.eskalasi_ke for p in current.pending]
    text = next(t for to, t in inbox.messages if "kadinkes@palopo.example" in to)
    assert "Tenggat:" in text and "WITA" in text
    history = (await handle.fetch_history()).to_json()
    assert "@palopo.example" not in history  # addresses are configuration, never history


async def check_moved_deadline(handle: WorkflowHandle) -> None:
    later = (datetime.now().astimezone() + timedelta(days=7)).replace(microsecond=0)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            ReplicationWorkflow.tenggat, MoveDeadlineInput(user="sekda.palopo", sampai="besok")
        )
    assert "Pengguna 'sekda.palopo' tidak sedang diminta" in str(refused.value.cause)
    assert "Tenggat 'besok' tidak dikenali" in str(refused.value.cause)

    await handle.execute_update(
        ReplicationWorkflow.tenggat,
        MoveDeadlineInput(user="kabid.kesmas", sampai=later.isoformat(), oleh="Koordinator"),
    )
    kabid = next(p for p in (await status(handle)).pending if p.user == "kabid.kesmas")

    assert later == datetime.fromisoformat(kabid.due)
    assert (False, False) == (kabid.escalated, kabid.overdue)


def read_pdf(archive: ArchiveStore, result: ReplicationResult, kind: str) -> str:
    ref = next(d for d in result.documents if d.kind == kind)
    return normalise(pdf_text(archive.get(ref.pdf_key)))


def result_decisions(archive: ArchiveStore, result: ReplicationResult) -> list[dict]:
    """The decisions as the manifest keeps them for auditors."""
    return list(archive.get_json(result.manifest_key)["decisions"])


async def test_seed_scenario_01_signs_with_a_plh(harness: Harness) -> None:
    """examples/palopo-2020/01-hipno-bunda.yaml on the server: paraf, approval, a revision,
    and version 2 disahkan by the Plh. Sekretaris Daerah, as its lembar pengesahan prints."""
    from app.demo import apply_step, load_scenarios

    seed = next(s for s in load_scenarios(SEED) if s.replication.replication_id.endswith("01"))
    inp = own_register(replace(seed.replication, replication_id=f"seed-{uuid.uuid4().hex[:8]}"))
    handle = await harness.start(inp)
    for step in seed.steps:
        await apply_step(harness.client, inp.replication_id, step)
    result: ReplicationResult = await handle.result()

    lembar = read_pdf(harness.archive, result, "lembar_pengesahan")
    assert (seed.expect_stage, seed.expect_documents) == (result.stage, len(result.documents))
    assert "Plh. SEKRETARIS DAERAH KOTA PALOPO, Andi Baso Rahman, S.H., M.H." in lembar
    assert "Palopo, 30 November 2020 Diperiksa oleh: KEPALA BIDANG KESEHATAN" in lembar
    assert "Palopo, 1 Desember 2020 Diperiksa oleh: SEKRETARIS DINAS KESEHATAN" in lembar
    rekam = read_pdf(harness.archive, result, "rekam_jejak")
    assert "Andi Baso Rahman, S.H., M.H. Plh. Sekretaris Daerah Kota Palopo" in rekam


async def test_mail_server_away_leaves_a_note_not_a_failure(
    client: object, archive: ArchiveStore, renderer: ProcessPoolRenderer
) -> None:
    """No SMTP server listens: the reminder fails after its retries, the replication keeps
    waiting and its status says the reminder was not sent."""
    channel = EmailChannel("127.0.0.1", free_port(), "replikasi@sulsel.example", ADDRESSES)
    notifier = NotifierActivities(channel)
    task_queue = f"uji-{uuid.uuid4()}"
    worker = create_worker(client, task_queue, archive, renderer, render_slots=2, notifier=notifier)  # type: ignore[arg-type]
    async with worker:
        harness = Harness(client, task_queue, archive, notifier, worker)  # type: ignore[arg-type]
        handle = await harness.start(chained(harness, timing=Timing(1, 3600)))
        await to_pengesahan(handle)

        async def noted() -> bool:
            return "gagal dikirim" in (await status(handle)).note

        await assert_eventually(noted, timeout=120)
        current = await status(handle)

        assert ("pengesahan", ["kabid.kesmas", "sekdis.palopo"]) == (
            current.stage,
            current.waiting_on,
        )
        await handle.terminate("test selesai")
