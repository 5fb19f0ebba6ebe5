"""ForumWorkflow: a Forum Replikasi Inovasi Pelayanan Publik, from invitation to report.

One provincial day where many innovators meet many replicators (domain.md §0). The forum
sends its Surat Undangan at start (one per invitee agency, or one with a lampiran), records
attendance and notes through the update `kehadiran` (Daftar Hadir, Notula), and on
`forum_selesai` archives the Laporan Pelaksanaan Forum and starts one child
`ReplicationWorkflow` per agreed pair. The children outlive the forum (ABANDON) and count
the forum as their first knowledge-transfer session.

Like the replication, its documents go through the `produce_document` activity called by
name, with a ReplicationInput-shaped record of the forum (replication_id = forum id,
replikator = penyelenggara), so keys are `<year>/<forum id>/<nn>-<kind>-v1`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    import workflows.archiving as archiving
    import workflows.validation as validation
    from workflows.models import (
        FORUM_HISTORY_LIMIT,
        NOTIFY_RETRY,
        SHORT_TIMEOUT,
        DocumentFacts,
        DocumentKind,
        DocumentRef,
        EventResult,
        ForumCarry,
        ForumClosingInput,
        ForumInput,
        ForumReport,
        ForumResult,
        ForumStage,
        ForumStatus,
        Inovasi,
        Instansi,
        PasanganRingkas,
        Peserta,
        RecordSessionInput,
        ReminderInput,
        ReplicationInput,
        SessionRecord,
    )

WAITS = {
    ForumStage.UNDANGAN: ["kehadiran"],
    ForumStage.TERLAKSANA: ["forum_selesai"],
}


def reject(problems: list[str]) -> None:
    """Fail the validator: the update is refused and nothing reaches history."""
    if problems:
        raise ApplicationError(" ".join(problems), type="EventRejected", non_retryable=True)


def per_instansi(undangan: list[Peserta]) -> list[list[Peserta]]:
    """Invitees grouped by agency, in order of first appearance (one letter per group).

    An invitee without `instansi` is addressed by office and gets a letter of their own.
    """
    groups: dict[str, list[Peserta]] = {}
    for p in undangan:
        groups.setdefault(p.instansi or p.jabatan or p.nama, []).append(p)
    return list(groups.values())


@workflow.defn
class ForumWorkflow:
    @workflow.init
    def __init__(self, input: ForumInput) -> None:
        self._input = input
        self._stage = ForumStage.UNDANGAN
        self._documents: list[DocumentRef] = []
        self._laporan: RecordSessionInput | None = None
        self._closing: ForumClosingInput | None = None
        self._children: list[str] = []
        self._notes: list[str] = []
        self._since = workflow.now()
        self._wait_marker = 0
        self._lock = asyncio.Lock()
        self._opened = False
        if input.lanjutan is not None:
            self._resume(input.lanjutan)
        # The forum as a replication-shaped record, for produce_document and its builders.
        zona = input.zona or input.penyelenggara.zona
        penyelenggara = replace(input.penyelenggara, zona=zona)
        self._record = ReplicationInput(
            replication_id=input.forum_id,
            nama_lokal=input.acara,
            inovasi=Inovasi(),
            inovator=Instansi(),
            replikator=penyelenggara,
            koordinator=Instansi(),
            timing=input.timing,
            tanggal=input.tanggal_surat or input.tanggal,
            tahun=input.tahun,
            render_task_queue=input.render_task_queue,
        )

    @workflow.run
    async def run(self, input: ForumInput) -> ForumResult:
        reject(validation.check_forum(input))
        if input.lanjutan is None:  # a continued forum sent its invitations already
            async with self._lock:
                await self._invite()
                await self._write_manifest()
        self._opened = True
        while self._stage != ForumStage.SELESAI:
            await self._wait_with_reminders()
            if self._history_full():
                await self._continue_as_new()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return ForumResult(
            forum_id=input.forum_id,
            stage=self._stage,
            documents=list(self._documents),
            replikasi=list(self._children),
            manifest_key=f"{self._year}/{input.forum_id}/manifest.json",
        )

    async def _invite(self) -> None:
        jadwal = self._input.jadwal()
        tanggal = jadwal.tanggal_surat or self._today()
        groups = (
            per_instansi(jadwal.undangan)
            if self._input.undangan_per_instansi
            else [jadwal.undangan]
        )
        for group in groups:
            session = SessionRecord(jadwal=replace(jadwal, undangan=group, tanggal_surat=tanggal))
            await self._produce(DocumentKind.SURAT_UNDANGAN, tanggal, self._facts(session))

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        # An event that arrives with the start must not overtake the invitations.
        await workflow.wait_condition(lambda: self._opened)
        async with self._lock:
            yield

    # --- bounded history ------------------------------------------------------------

    def _history_full(self) -> bool:
        limit = self._input.continue_after_events or FORUM_HISTORY_LIMIT
        info = workflow.info()
        full = info.is_continue_as_new_suggested() or info.get_current_history_length() >= limit
        # Old histories never continued as new: the check itself is the new behaviour.
        return full and workflow.patched("issue5-forum-continue-as-new")

    async def _continue_as_new(self) -> None:
        # Let every accepted update answer first; one not yet accepted is retried by the
        # server on the new run, so no delivery is lost.
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._stage == ForumStage.SELESAI:
            return
        carry = ForumCarry(
            stage=self._stage,
            since=self._since.isoformat(),
            documents=list(self._documents),
            laporan=self._laporan,
            closing=self._closing,
            children=list(self._children),
            notes=list(self._notes),
        )
        workflow.continue_as_new(replace(self._input, lanjutan=carry))

    def _resume(self, carry: ForumCarry) -> None:
        self._stage = ForumStage(carry.stage)
        self._since = datetime.fromisoformat(carry.since) if carry.since else self._since
        self._documents = list(carry.documents)
        self._laporan, self._closing = carry.laporan, carry.closing
        self._children, self._notes = list(carry.children), list(carry.notes)
        self._opened = True

    # --- waiting for people ---------------------------------------------------------

    async def _wait_with_reminders(self) -> None:
        marker = self._wait_marker
        try:
            await workflow.wait_condition(
                lambda: self._wait_marker != marker or self._stage == ForumStage.SELESAI,
                timeout=timedelta(seconds=self._input.timing.reminder_seconds),
            )
        except TimeoutError:
            deadline = self._since + timedelta(seconds=self._input.timing.deadline_seconds)
            await workflow.execute_activity(
                "send_reminder",
                ReminderInput(
                    replication_id=self._input.forum_id,
                    stage=self._stage,
                    waiting_for=", ".join(WAITS.get(self._stage, [])),
                    recipients=[f"Panitia {self._input.penyelenggara.nama}"],
                    escalation=workflow.now() >= deadline,
                ),
                start_to_close_timeout=SHORT_TIMEOUT,
                retry_policy=NOTIFY_RETRY,
            )

    def _set_stage(self, stage: ForumStage) -> None:
        self._stage = stage
        self._since = workflow.now()
        self._wait_marker += 1

    # --- events ---------------------------------------------------------------------

    @workflow.update
    async def kehadiran(self, event: RecordSessionInput) -> EventResult:
        async with self._exclusive():
            self.validate_kehadiran(event)
            event = replace(event, sesi_id=self._input.forum_id)
            session = SessionRecord(jadwal=self._input.jadwal(), laporan=event)
            tanggal = self._input.tanggal
            refs = [
                await self._produce(kind, tanggal, self._facts(session))
                for kind in (DocumentKind.DAFTAR_HADIR, DocumentKind.NOTULA)
            ]
            self._laporan = event
            self._set_stage(ForumStage.TERLAKSANA)
            return await self._answer(refs, "Kehadiran dan notula forum dicatat.")

    @kehadiran.validator
    def validate_kehadiran(self, event: RecordSessionInput) -> None:
        self._require_stage("kehadiran", ForumStage.UNDANGAN)
        forum_id = self._input.forum_id
        event = replace(event, sesi_id=forum_id)
        reject(validation.check_record(event, {forum_id}, set()))

    @workflow.update
    async def forum_selesai(self, event: ForumClosingInput) -> EventResult:
        async with self._exclusive():
            self.validate_forum_selesai(event)
            tanggal = event.tanggal or self._today()
            event = replace(event, tanggal=tanggal)
            self._closing = event
            session = SessionRecord(jadwal=self._input.jadwal(), laporan=self._laporan)
            refs = [await self._produce(DocumentKind.LAPORAN_FORUM, tanggal, self._facts(session))]
            await self._start_replications(session)
            self._set_stage(ForumStage.SELESAI)
            started = len(self._children)
            return await self._answer(
                refs,
                f"Forum selesai; {started} replikasi dimulai dengan forum sebagai sesi pertama.",
            )

    @forum_selesai.validator
    def validate_forum_selesai(self, event: ForumClosingInput) -> None:
        self._require_stage("forum_selesai", ForumStage.TERLAKSANA)
        known = [pair.replication_id for pair in self._input.pasangan]
        held = validation.parse_date(self._input.tanggal)
        reject(validation.check_forum_closing(event, known, held))

    async def _start_replications(self, session: SessionRecord) -> None:
        for pair in self._agreed():
            child_id = f"replikasi-{pair.replication_id}"
            try:
                await workflow.start_child_workflow(
                    "ReplicationWorkflow",
                    replace(pair, sesi_forum=session, render_task_queue=self._render_queue(pair)),
                    id=child_id,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                )
            except WorkflowAlreadyStartedError:
                self._notes.append(f"{child_id} sudah berjalan; tidak dimulai ulang.")
                continue
            self._children.append(child_id)

    def _render_queue(self, pair: ReplicationInput) -> str:
        # The forum's render queue carries over to the replications it starts.
        return pair.render_task_queue or self._input.render_task_queue

    def _agreed(self) -> list[ReplicationInput]:
        chosen = self._closing.disepakati if self._closing else []
        return [p for p in self._input.pasangan if not chosen or p.replication_id in chosen]

    @workflow.signal
    def catatan(self, note: str) -> None:
        self._notes.append(note[:500])

    @workflow.query
    def status(self) -> ForumStatus:
        return ForumStatus(
            forum_id=self._input.forum_id,
            acara=self._input.acara,
            stage=self._stage,
            waiting_for=list(WAITS.get(self._stage, [])),
            since=self._since.isoformat(),
            hadir=len(self._laporan.hadir) if self._laporan else 0,
            documents=list(self._documents),
            replikasi=list(self._children),
            note=self._notes[-1] if self._notes else "",
        )

    # --- helpers --------------------------------------------------------------------

    def _require_stage(self, event: str, stage: ForumStage) -> None:
        if self._stage != stage:
            expected = ", ".join(WAITS.get(self._stage, [])) or "tidak ada"
            reject(
                [
                    f"Peristiwa '{event}' tidak sesuai tahap forum '{self._stage}'. "
                    f"Yang ditunggu sekarang: {expected}."
                ]
            )

    def _facts(self, session: SessionRecord) -> DocumentFacts:
        report = ForumReport(
            agenda=list(self._input.agenda),
            pasangan=[
                PasanganRingkas(
                    replication_id=p.replication_id,
                    nama_lokal=p.nama_lokal,
                    inovasi=p.inovasi.nama,
                    inovator=p.inovator.nama,
                    replikator=p.replikator.nama,
                )
                for p in self._agreed()
            ],
            penutupan=self._closing,
            undangan_per_instansi=self._input.undangan_per_instansi,
        )
        return DocumentFacts(session=session, forum=report, documents=list(self._documents))

    @property
    def _year(self) -> int:
        return archiving.archive_year(self._input.tanggal, self._input.tahun)

    def _today(self) -> str:
        return archiving.today_in(self._record.replikator.zona)

    async def _produce(self, kind: DocumentKind, tanggal: str, facts: DocumentFacts) -> DocumentRef:
        seq = len(self._documents) + 1
        nomor = await self._reserve_nomor(kind, seq, tanggal)
        facts = replace(facts, workflow_run_id=workflow.info().run_id)
        ref = await archiving.produce_document(
            archiving.document_input(self._record, kind, seq, 1, self._year, nomor, tanggal, facts)
        )
        self._documents.append(ref)
        return ref

    async def _reserve_nomor(self, kind: DocumentKind, seq: int, tanggal: str) -> str:
        key = f"{self._input.forum_id}/{seq:02d}-{kind}-v1"
        return await archiving.reserve_nomor(
            self._record.replikator, key, kind, tanggal, self._year
        )

    async def _answer(self, refs: list[DocumentRef], message: str) -> EventResult:
        await self._write_manifest()
        return EventResult(
            stage=self._stage, message=message, documents=[ref.pdf_key for ref in refs]
        )

    async def _write_manifest(self) -> None:
        await archiving.write_manifest(
            self._input.forum_id, self._year, self._stage, self._input.acara, self._documents
        )
