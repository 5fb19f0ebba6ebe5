"""ReplicationWorkflow: one replication from selection to a signed action plan.

Handlers:
- updates (with validators) for every coordinator event and every approver decision: the
  caller needs an answer, and a validator rejects a bad event before history is written;
- a query `status` for the stage, what it waits for, from whom and since when;
- a signal `catatan` for fire-and-forget notes.
Activities are called by name, so this module imports neither boto3 nor the renderers
(they would be re-imported in the sandbox for every run). Each event's documents are
produced inside its update handler, so the caller learns which
documents were archived; `run` only keeps the reminder timers until a final stage.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    # `import workflows.x as x`, not `from workflows import x`: the sandbox reloads the
    # `workflows` package with each run, and a from-import of its submodules bypasses the
    # passthrough, so every run compiled and ran them again (~20 ms, issue 7).
    import workflows.approval as approval
    import workflows.archiving as archiving
    import workflows.chain_checks as chain_checks
    import workflows.search as search
    import workflows.validation as validation
    from workflows.approval import ChainProgress
    from workflows.archiving import DOCUMENTS_TOGETHER, Planned
    from workflows.models import (
        FINAL_STAGES,
        NOTIFY_RETRY,
        SHORT_TIMEOUT,
        SIGNED_KINDS,
        STAGE_KEY,
        TRAVEL_SESSIONS,
        CancelInput,
        CompleteTransferInput,
        DecisionInput,
        DecisionRecord,
        DocumentFacts,
        DocumentKind,
        DocumentRef,
        EventResult,
        FormTeamInput,
        InnovatorConsentInput,
        InnovatorDeclineInput,
        MoveDeadlineInput,
        ProduceDocumentInput,
        RecordSessionInput,
        ReminderInput,
        ReminderRecord,
        ReplicationInput,
        ReplicationResult,
        ReplicationStatus,
        ScheduleSessionInput,
        SessionRecord,
        Stage,
        SubmitPlanInput,
    )

WAITS = {
    Stage.SELEKSI: ["kesediaan", "penolakan"],
    Stage.TRANSFER: ["jadwal_sesi", "sesi_terlaksana", "transfer_selesai"],
    Stage.PENGESAHAN: ["decide"],
}


def template_error(exc: BaseException) -> ApplicationError | None:
    """The activity's TemplateError behind ``exc``, if that is what failed."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.type == "TemplateError":
            return cause
        cause = cause.__cause__
    return None


def reject(problems: list[str]) -> None:
    """Fail the validator: the update is refused and nothing reaches history."""
    if problems:
        raise ApplicationError(" ".join(problems), type="EventRejected", non_retryable=True)


SEARCH_ATTRIBUTES = "issue5-search-attributes"
# Issue 7: the reminder timer runs across events, and a stage change upserts once.
STEADY_WAITS = "7-steady-waits"


@workflow.defn
class ReplicationWorkflow:
    @workflow.init
    def __init__(self, input: ReplicationInput) -> None:
        self._input = input
        self._stage = Stage.SELEKSI
        self._version = 1
        self._documents: list[DocumentRef] = []
        self._decisions: list[DecisionRecord] = []
        self._sessions: dict[str, SessionRecord] = {}
        if input.sesi_forum is not None:
            # Started by a ForumWorkflow: the forum, held and recorded, is the first session
            # (its documents are in the forum's archive, none are made here).
            self._sessions[input.sesi_forum.jadwal.sesi_id] = input.sesi_forum
        self._facts = DocumentFacts()
        self._approver_index = 0
        self._reminders: list[ReminderRecord] = []
        self._notes: list[str] = []
        self._since = workflow.now()
        self._wait_marker = 0
        self._escalated = False
        self._reminded_at: datetime | None = None
        self._lock = asyncio.Lock()
        self._opened = False
        self._retry_requested = 0
        self._template_problem = ""
        # Chains (issue 4): set in `run`; False replays histories of the flat list.
        self._chains = False
        self._chain: ChainProgress | None = None

    @workflow.run
    async def run(self, input: ReplicationInput) -> ReplicationResult:
        reject(validation.check_replication(input))
        # Validators and queries read this only at pengesahan, long after run began.
        self._chains = workflow.patched("4-chains")
        self._set_stage(Stage.SELEKSI)
        async with self._lock:
            await self._produce_when_fixed(DocumentKind.SURAT_PERMOHONAN, input.tanggal)
            await self._write_manifest()
        self._opened = True
        while True:
            while self._stage not in FINAL_STAGES:
                if self._chains and self._stage == Stage.PENGESAHAN:
                    await self._wait_for_decisions()
                else:
                    await self._wait_with_reminders()
            await workflow.wait_condition(workflow.all_handlers_finished)
            # A handler that failed on a broken template put its stage back (_exclusive):
            # keep waiting instead of ending in a stage nobody reached.
            if self._stage in FINAL_STAGES:
                break
        return ReplicationResult(
            replication_id=input.replication_id,
            stage=self._stage,
            documents=list(self._documents),
            manifest_key=f"{self._year}/{input.replication_id}/manifest.json",
        )

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        # Handlers run concurrently with `run` and with each other; an event that arrives
        # with the start must not overtake the Surat Permohonan (document 01).
        await workflow.wait_condition(lambda: self._opened)
        async with self._lock:
            # A broken template fails the update, and nothing of it may stay: the
            # coordinator resends the same event after the fix and gets the same sequence
            # numbers, keys and nomor (reserved per key). Pure state, no commands.
            saved = (
                len(self._documents),
                len(self._decisions),
                self._stage,
                replace(self._facts),
                dict(self._sessions),
                self._version,
                self._approver_index,
                copy.deepcopy(self._chain),
            )
            try:
                yield
            except ActivityError as exc:
                problem = template_error(exc)
                if problem is None:
                    raise
                del self._documents[saved[0] :]
                del self._decisions[saved[1] :]
                if self._stage != saved[2]:
                    self._set_stage(saved[2])
                self._facts, self._sessions = saved[3], saved[4]
                self._version, self._approver_index = saved[5], saved[6]
                self._chain = saved[7]
                raise ApplicationError(
                    f"{problem.message}. Tidak ada yang disimpan; kirim ulang setelah "
                    "template diperbaiki.",
                    type="TemplateError",
                    non_retryable=True,
                ) from exc

    # --- waiting for people ---------------------------------------------------------

    async def _wait_with_reminders(self) -> None:
        if not workflow.patched(STEADY_WAITS):
            await self._wait_restarting_on_events()
            return
        # One timer per reminder period, not one per event (issue 7: every event cancelled
        # the timer and started another). An event only moves `_since`; a timer that fires
        # before the period since then is over sleeps for the rest of it.
        period = timedelta(seconds=self._input.timing.reminder_seconds)
        while True:
            due = max(self._since, self._reminded_at or self._since) + period
            if workflow.now() >= due:
                await self._remind()
                self._reminded_at = workflow.now()
                return
            try:
                await workflow.wait_condition(self._plain_wait_over, timeout=due - workflow.now())
                return
            except TimeoutError:
                continue

    def _plain_wait_over(self) -> bool:
        """The run loop waits differently from here on: finished, or decisions in a chain."""
        return self._stage in FINAL_STAGES or (self._chains and self._stage == Stage.PENGESAHAN)

    async def _wait_restarting_on_events(self) -> None:
        # Before STEADY_WAITS: every event woke this wait and restarted its timer.
        marker = self._wait_marker
        try:
            await workflow.wait_condition(
                lambda: self._wait_marker != marker or self._stage in FINAL_STAGES,
                timeout=timedelta(seconds=self._input.timing.reminder_seconds),
            )
        except TimeoutError:
            await self._remind()

    async def _remind(self) -> None:
        deadline = self._since + timedelta(seconds=self._input.timing.deadline_seconds)
        escalation = workflow.now() >= deadline and not self._escalated
        self._escalated = self._escalated or escalation
        waiting_for = ", ".join(self._waiting_for())
        self._reminders.append(
            ReminderRecord(self._stage, waiting_for, workflow.now().isoformat(), escalation)
        )
        await workflow.execute_activity(
            "send_reminder",
            ReminderInput(
                replication_id=self._input.replication_id,
                stage=self._stage,
                waiting_for=waiting_for,
                recipients=self._waiting_on(),
                escalation=escalation,
            ),
            start_to_close_timeout=SHORT_TIMEOUT,
            retry_policy=NOTIFY_RETRY,
        )

    def _restart_wait(self) -> None:
        self._since = workflow.now()
        self._escalated = False
        self._wait_marker += 1
        self._upsert_search()

    def _upsert_search(self) -> None:
        # Every stage change and every new wait passes here (the due date moves with it).
        if workflow.patched(SEARCH_ATTRIBUTES):
            workflow.upsert_search_attributes(search.updates(self._input, self._stage, self._since))

    def _set_stage(self, stage: Stage) -> None:
        self._stage = stage
        # The full upsert of _restart_wait (issue 5) sets the stage as well; before
        # STEADY_WAITS the stage was upserted twice on every change.
        if not (workflow.patched(STEADY_WAITS) and workflow.patched(SEARCH_ATTRIBUTES)):
            workflow.upsert_search_attributes([STAGE_KEY.value_set(stage.value)])
        self._restart_wait()

    # --- seleksi ------------------------------------------------------------------------

    @workflow.update
    async def kesediaan(self, event: InnovatorConsentInput) -> EventResult:
        async with self._exclusive():
            self.validate_kesediaan(event)
            tanggal = event.tanggal or self._today(self._input.inovator.zona)
            event = replace(event, tanggal=tanggal)
            facts = replace(self._facts, consent=event)
            # The inovator's statement carries the inovator's own letter number.
            refs = await self._produce_together(
                tanggal,
                [
                    Planned(DocumentKind.SURAT_KESEDIAAN, event.nomor_surat_kesediaan),
                    Planned(DocumentKind.BERITA_ACARA_KESEPAKATAN),
                ],
                facts,
            )
            self._facts.consent = event
            self._set_stage(Stage.TRANSFER)
            return await self._answer(refs, "Inovator bersedia; tahap transfer pengetahuan.")

    @kesediaan.validator
    def validate_kesediaan(self, event: InnovatorConsentInput) -> None:
        self._require_stage("kesediaan", Stage.SELEKSI)
        reject(validation.check_consent(event, validation.parse_date(self._input.tanggal)))

    @workflow.update
    async def penolakan(self, event: InnovatorDeclineInput) -> EventResult:
        async with self._exclusive():
            self.validate_penolakan(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            event = replace(event, tanggal=tanggal)
            refs = [
                await self._produce(
                    DocumentKind.SURAT_PENUTUPAN, tanggal, replace(self._facts, decline=event)
                )
            ]
            self._facts.decline = event
            refs += await self._finish(Stage.DITOLAK, tanggal)
            return await self._answer(refs, "Inovator menolak; replikasi ditutup.")

    @penolakan.validator
    def validate_penolakan(self, event: InnovatorDeclineInput) -> None:
        self._require_stage("penolakan", Stage.SELEKSI)
        reject(validation.check_decline(event))

    # --- transfer pengetahuan -----------------------------------------------------------

    @workflow.update
    async def jadwal_sesi(self, event: ScheduleSessionInput) -> EventResult:
        async with self._exclusive():
            self.validate_jadwal_sesi(event)
            tanggal = event.tanggal_surat or self._today(self._input.replikator.zona)
            event = replace(event, tanggal_surat=tanggal)
            facts = replace(self._facts, session=SessionRecord(jadwal=event))
            planned = [Planned(DocumentKind.SURAT_UNDANGAN)]
            if event.jenis in TRAVEL_SESSIONS:
                planned.append(Planned(DocumentKind.SURAT_TUGAS))
            refs = await self._produce_together(tanggal, planned, facts)
            self._sessions[event.sesi_id] = SessionRecord(jadwal=event)
            self._restart_wait()
            return await self._answer(refs, f"Sesi '{event.sesi_id}' dijadwalkan.")

    @jadwal_sesi.validator
    def validate_jadwal_sesi(self, event: ScheduleSessionInput) -> None:
        self._require_stage("jadwal_sesi", Stage.TRANSFER)
        reject(validation.check_schedule(event, set(self._sessions)))

    @workflow.update
    async def sesi_terlaksana(self, event: RecordSessionInput) -> EventResult:
        async with self._exclusive():
            self.validate_sesi_terlaksana(event)
            session = SessionRecord(jadwal=self._sessions[event.sesi_id].jadwal, laporan=event)
            facts = replace(self._facts, session=session)
            tanggal = session.jadwal.tanggal_selesai or session.jadwal.tanggal
            kinds = (
                DocumentKind.DAFTAR_HADIR,
                DocumentKind.NOTULA,
                DocumentKind.BERITA_ACARA_TRANSFER,
            )
            refs = await self._produce_together(tanggal, [Planned(k) for k in kinds], facts)
            self._sessions[event.sesi_id] = session
            self._restart_wait()
            return await self._answer(refs, f"Sesi '{event.sesi_id}' dilaporkan.")

    @sesi_terlaksana.validator
    def validate_sesi_terlaksana(self, event: RecordSessionInput) -> None:
        self._require_stage("sesi_terlaksana", Stage.TRANSFER)
        recorded = {k for k, s in self._sessions.items() if s.laporan is not None}
        reject(validation.check_record(event, set(self._sessions), recorded))

    @workflow.update
    async def transfer_selesai(self, event: CompleteTransferInput) -> EventResult:
        async with self._exclusive():
            self.validate_transfer_selesai(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            event = replace(event, tanggal=tanggal)
            facts = replace(self._facts, transfer=event, sessions=list(self._sessions.values()))
            refs = [await self._produce(DocumentKind.LAPORAN_TRANSFER, tanggal, facts)]
            self._facts.transfer = event
            self._set_stage(Stage.RENCANA_AKSI)
            return await self._answer(refs, "Transfer pengetahuan selesai; tahap rencana aksi.")

    @transfer_selesai.validator
    def validate_transfer_selesai(self, event: CompleteTransferInput) -> None:
        self._require_stage("transfer_selesai", Stage.TRANSFER)
        recorded = {k for k, s in self._sessions.items() if s.laporan is not None}
        last = max(
            (
                validation.parse_date(s.jadwal.tanggal_selesai or s.jadwal.tanggal)
                for s in self._sessions.values()
                if s.laporan is not None
            ),
            default=None,
            key=lambda d: d or date.min,
        )
        reject(validation.check_complete(event, set(self._sessions), recorded, last))

    # --- rencana aksi -------------------------------------------------------------------

    @workflow.update
    async def tim_dibentuk(self, event: FormTeamInput) -> EventResult:
        async with self._exclusive():
            self.validate_tim_dibentuk(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            event = replace(event, tanggal=tanggal)
            refs = [
                await self._produce(DocumentKind.SK_TIM, tanggal, replace(self._facts, team=event))
            ]
            self._facts.team = event
            self._restart_wait()
            return await self._answer(refs, "Tim replikasi dibentuk.")

    @tim_dibentuk.validator
    def validate_tim_dibentuk(self, event: FormTeamInput) -> None:
        self._require_stage("tim_dibentuk", Stage.RENCANA_AKSI)
        reject(validation.check_team(event, self._facts.team is not None))

    @workflow.update
    async def rencana_aksi(self, event: SubmitPlanInput) -> EventResult:
        async with self._exclusive():
            self.validate_rencana_aksi(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            event = replace(event, tanggal=tanggal)
            refs = [
                await self._produce(
                    DocumentKind.RENCANA_AKSI,
                    tanggal,
                    replace(self._facts, plan=event),
                    self._version,
                )
            ]
            self._facts.plan = event
            self._approver_index = 0
            if self._chains:
                self._chain = ChainProgress.begin(
                    approval.chain_for(self._input),
                    self._input.delegasi,
                    self._input.timing,
                    workflow.now(),
                )
            self._set_stage(Stage.PENGESAHAN)
            return await self._answer(refs, f"Rencana aksi versi {self._version} diajukan.")

    @rencana_aksi.validator
    def validate_rencana_aksi(self, event: SubmitPlanInput) -> None:
        self._require_stage("rencana_aksi", Stage.RENCANA_AKSI)
        reject(validation.check_plan(event, self._facts.team is not None))

    # --- pengesahan ---------------------------------------------------------------------

    @workflow.update
    async def decide(self, event: DecisionInput) -> EventResult:
        if self._chains:
            return await self._decide_in_chain(event)
        async with self._exclusive():
            self.validate_decide(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            self._record_decision(replace(event, tanggal=tanggal))
            if event.decision != "approve":
                return await self._send_back(event.decision, tanggal)
            self._approver_index += 1
            if self._approver_index < len(self._input.approvers):
                self._restart_wait()
                return await self._answer([], "Disetujui; menunggu pejabat berikutnya.")
            return await self._answer(await self._approve_plan(tanggal), "Rencana aksi disahkan.")

    @decide.validator
    def validate_decide(self, event: DecisionInput) -> None:
        self._require_stage("decide", Stage.PENGESAHAN)
        if self._chains:
            self._check_chain_decision(event)
            return
        chain = [a.user for a in self._input.approvers]
        reject(validation.check_decision(event, chain[self._approver_index], chain))

    def _record_decision(self, event: DecisionInput) -> None:
        approver = self._input.approvers[self._approver_index]
        self._decisions.append(
            DecisionRecord(
                approver=event.approver,
                nama=approver.pejabat.nama,
                jabatan=approver.pejabat.jabatan,
                decision=event.decision,
                note=event.note,
                version=self._version,
                at=workflow.now().isoformat(),
                tanggal=event.tanggal,
            )
        )

    async def _send_back(self, decision: str, tanggal: str) -> EventResult:
        """A revision returns the plan to rencana_aksi as the next version; a rejection
        ends the replication."""
        if decision == "revise":
            self._version += 1
            self._set_stage(Stage.RENCANA_AKSI)
            return await self._answer([], f"Revisi diminta; menunggu versi {self._version}.")
        refs = await self._finish(Stage.DITOLAK, tanggal)
        return await self._answer(refs, "Rencana aksi ditolak; replikasi ditutup.")

    async def _approve_plan(self, tanggal: str) -> list[DocumentRef]:
        facts = replace(self._facts, decisions=list(self._decisions))
        kinds = (DocumentKind.LEMBAR_PENGESAHAN, DocumentKind.RENCANA_AKSI_FINAL)
        planned = [Planned(kind) for kind in kinds]
        refs = await self._produce_together(tanggal, planned, facts, self._version)
        # The rekam jejak lists the documents above, so it comes after them.
        return refs + await self._finish(Stage.SELESAI, tanggal)

    # --- pengesahan under a chain (issue 4) ---------------------------------------------

    async def _decide_in_chain(self, event: DecisionInput) -> EventResult:
        """Paraf, persetujuan, then the signer: a group's members decide in parallel and the
        next group is asked once the quorum approved; a revision or rejection ends it."""
        async with self._exclusive():
            self.validate_decide(event)
            event = replace(event, tanggal=event.tanggal or self._today(self._zona))
            chain = self._require_chain()
            acting = chain.resolve(event.approver, event.atas_nama, self._day(event.tanggal))
            assert acting is not None  # the validator has just checked it
            record = approval.decision_record(acting, event, chain, self._version, workflow.now())
            self._decisions.append(record)
            if event.decision != "approve":
                return await self._send_back(event.decision, event.tanggal)
            if not chain.approve(acting.holder.user, workflow.now()):
                self._wait_marker += 1  # the pending set changed: recompute the timers
                left = ", ".join(a.user for a in chain.pending())
                return await self._answer([], f"Disetujui; kelompok ini masih menunggu {left}.")
            if chain.finished:
                refs = await self._approve_plan(event.tanggal)
                return await self._answer(refs, "Rencana aksi disahkan.")
            self._restart_wait()
            asked = ", ".join(a.user for a in chain.pending())
            return await self._answer([], f"Kelompok selesai; menunggu {asked}.")

    def _check_chain_decision(self, event: DecisionInput) -> None:
        problems = chain_checks.check_decision_fields(event)
        day = self._day(event.tanggal)
        chain = self._chain
        if chain is None or chain.resolve(event.approver, event.atas_nama, day) is None:
            rid = self._input.replication_id
            problems.insert(0, approval.refusal(chain, event.approver, day, rid))
        reject(problems)

    async def _wait_for_decisions(self) -> None:
        """Sleep until the next reminder or deadline of any pending decision (durable
        timers), or until a decision, a moved deadline or a new stage wakes it."""
        chain = self._require_chain()
        marker = self._wait_marker
        fire_at = self._next_wakeup(chain)
        # Issue 7: a decision or a moved deadline restarts the timer only when it needs an
        # earlier wake-up; a later one waits for this timer, which then finds nothing due.
        steady = workflow.patched(STEADY_WAITS)

        def woken() -> bool:
            if self._stage != Stage.PENGESAHAN:
                return True
            if self._wait_marker == marker:
                return False
            return not steady or self._next_wakeup(self._require_chain()) < fire_at

        try:
            await workflow.wait_condition(
                woken, timeout=max(fire_at - workflow.now(), timedelta(milliseconds=100))
            )
        except TimeoutError:
            current = self._require_chain() if steady else chain
            for notice in current.notices(workflow.now()):
                await self._notify(current, notice)

    def _next_wakeup(self, chain: ChainProgress) -> datetime:
        wakeup = chain.next_wakeup()
        if wakeup is None:
            return workflow.now() + timedelta(seconds=self._input.timing.reminder_seconds)
        return wakeup

    async def _notify(self, chain: ChainProgress, notice: approval.Notice) -> None:
        """A reminder to the holder and today's delegates; an escalation also to the
        holder's superior, or the coordinator. Only user ids go to history."""
        now = workflow.now().isoformat()
        self._reminders.append(
            ReminderRecord(self._stage, notice.holder.user, now, notice.escalation)
        )
        try:
            await workflow.execute_activity(
                "send_reminder",
                approval.reminder_input(
                    chain, notice, self._input.replication_id, self._day(""), self._zona
                ),
                start_to_close_timeout=SHORT_TIMEOUT,
                retry_policy=NOTIFY_RETRY,
            )
        except ActivityError as exc:
            # A mail server away past the retries must not fail a replication that waits
            # for people: note it for the coordinator; the next reminder tries again.
            workflow.logger.warning("reminder for %s not sent: %s", notice.holder.user, exc)
            self._notes.append(f"Pengingat untuk {notice.holder.user} gagal dikirim.")

    @workflow.update
    def tenggat(self, event: MoveDeadlineInput) -> EventResult:
        """A coordinator moves one pending decision's deadline (its reminders follow)."""
        self.validate_tenggat(event)
        due = self._deadline(event.sampai)
        assert due is not None  # the validator has just checked it
        self._require_chain().move(event.user, due)
        self._wait_marker += 1
        self._notes.append(
            f"Tenggat {event.user} dipindah ke {due.isoformat()} oleh "
            f"{event.oleh or 'koordinator'}{': ' + event.alasan if event.alasan else ''}"
        )
        return EventResult(self._stage, f"Tenggat keputusan {event.user}: {due.isoformat()}.")

    @tenggat.validator
    def validate_tenggat(self, event: MoveDeadlineInput) -> None:
        self._require_stage("tenggat", Stage.PENGESAHAN)
        if self._chain is None:
            reject(
                ["Replikasi ini memakai daftar penyetuju lama; tenggatnya tidak dapat dipindah."]
            )
            return
        pending = [a.user for a in self._chain.pending()]
        problems = []
        if event.user not in pending:
            problems.append(
                f"Pengguna '{event.user}' tidak sedang diminta memutuskan replikasi "
                f"{self._input.replication_id}. Yang ditunggu: {', '.join(pending)}."
            )
        due = self._deadline(event.sampai)
        if due is None:
            problems.append(
                f"Tenggat '{event.sampai}' tidak dikenali; tulis TTTT-BB-HH atau "
                "TTTT-BB-HHTJJ:MM (misalnya 2020-12-10T16:00)."
            )
        elif due <= workflow.now():
            problems.append("Tenggat baru harus setelah saat ini.")
        reject(problems)

    def _deadline(self, value: str) -> datetime | None:
        return chain_checks.parse_deadline(value, validation.ZONES.get(self._zona, 8))

    def _require_chain(self) -> ChainProgress:
        assert self._chain is not None, "pengesahan under a chain without its progress"
        return self._chain

    def _signer_user(self) -> str:
        """The acting user of the signing decision of the current version ("" before it):
        the delegate when a Plh. signed, else the signer (or the flat list's last)."""
        for d in reversed(self._decisions):
            signs = d.jenis in ("", "penandatangan")
            if d.version == self._version and d.decision == "approve" and signs:
                return d.approver
        return ""

    def _chain_status(self) -> dict[str, object]:
        chain = self._chain
        if chain is None or self._stage != Stage.PENGESAHAN:
            return {}
        return approval.status_fields(chain, self._day(""), workflow.now())

    # --- cancel, notes, status ----------------------------------------------------------

    @workflow.update
    async def batal(self, event: CancelInput) -> EventResult:
        async with self._exclusive():
            self.validate_batal(event)
            tanggal = event.tanggal or self._today(self._input.replikator.zona)
            event = replace(event, tanggal=tanggal)
            refs = [
                await self._produce(
                    DocumentKind.SURAT_PEMBATALAN, tanggal, replace(self._facts, cancel=event)
                )
            ]
            self._facts.cancel = event
            refs += await self._finish(Stage.DIBATALKAN, tanggal)
            return await self._answer(refs, "Replikasi dibatalkan.")

    @batal.validator
    def validate_batal(self, event: CancelInput) -> None:
        if self._stage in FINAL_STAGES:
            reject([f"Replikasi sudah berakhir ({self._stage}); tidak dapat dibatalkan."])
        reject(validation.check_cancel(event))

    async def _produce_when_fixed(self, kind: DocumentKind, tanggal: str) -> None:
        """The opening letter: a broken template must not fail a replication that nobody
        has touched yet, so wait for the fix (a durable timer, or `coba_lagi`)."""
        while True:
            try:
                await self._produce(kind, tanggal)
                self._template_problem = ""
                return
            except ActivityError as exc:
                problem = template_error(exc)
                # Old code failed the workflow here; new code waits (no history had it).
                if problem is None or not workflow.patched("template-retry"):
                    raise
            self._template_problem = problem.message
            self._notes.append(f"Menunggu perbaikan template: {problem.message}")
            workflow.logger.warning("document %s waits for a template fix", kind)
            await self._wait_for_retry(self._retry_requested)

    async def _wait_for_retry(self, requested: int) -> None:
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: self._retry_requested != requested,
                timeout=timedelta(seconds=min(self._input.timing.reminder_seconds, 3600)),
            )

    @workflow.update
    def coba_lagi(self) -> str:
        """Retry a document that waits for a template fix, now rather than at the timer."""
        self._retry_requested += 1
        return f"Dicoba lagi: {self._template_problem}"

    @coba_lagi.validator
    def validate_coba_lagi(self) -> None:
        if not self._template_problem:
            reject(["Tidak ada dokumen yang menunggu perbaikan template."])

    @workflow.signal
    def catatan(self, note: str) -> None:
        self._notes.append(note[:500])

    @workflow.query
    def status(self) -> ReplicationStatus:
        deadline = self._since + timedelta(seconds=self._input.timing.deadline_seconds)
        final = self._stage in FINAL_STAGES
        current = ReplicationStatus(
            replication_id=self._input.replication_id,
            nama_lokal=self._input.nama_lokal,
            stage=self._stage,
            waiting_for=[] if final else self._waiting_for(),
            waiting_on=[] if final else self._waiting_on(),
            since=self._since.isoformat(),
            due="" if final else deadline.isoformat(),
            overdue=not final and workflow.now() >= deadline,
            version=self._version,
            reminders=len(self._reminders),
            documents=list(self._documents),
            decisions=list(self._decisions),
            note=self._notes[-1] if self._notes else "",
            sesi=[
                f"{k}: {s.jadwal.acara} ({s.jadwal.jenis}, {s.jadwal.tanggal}, "
                f"{'terlaksana' if s.laporan else 'dijadwalkan'})"
                for k, s in self._sessions.items()
            ],
        )
        if self._stage == Stage.SELESAI:
            current.signer = self._signer_user()
        return replace(current, **self._chain_status())  # type: ignore[arg-type]

    # --- helpers ------------------------------------------------------------------------

    def _require_stage(self, event: str, stage: Stage) -> None:
        if self._stage != stage:
            expected = ", ".join(self._waiting_for()) or "tidak ada"
            reject(
                [
                    f"Peristiwa '{event}' tidak sesuai tahap '{self._stage}'. "
                    f"Yang ditunggu sekarang: {expected}."
                ]
            )

    def _waiting_for(self) -> list[str]:
        if self._stage == Stage.RENCANA_AKSI:
            return ["rencana_aksi"] if self._facts.team else ["tim_dibentuk"]
        return list(WAITS.get(self._stage, []))

    def _waiting_on(self) -> list[str]:
        r = self._input
        if self._stage == Stage.SELEKSI:
            return [f"{r.inovator.kepala.nama} ({r.inovator.nama})"]
        if self._stage == Stage.PENGESAHAN and self._chain is not None:
            return self._chain.actors(self._day(""))
        if self._stage == Stage.PENGESAHAN:
            approver = r.approvers[self._approver_index]
            return [f"{approver.user}: {approver.pejabat.nama} ({approver.pejabat.jabatan})"]
        if self._stage in FINAL_STAGES:
            return []
        return [f"Koordinator {r.koordinator.nama or r.replikator.nama}"]

    @property
    def _zona(self) -> str:
        return self._input.replikator.zona

    def _day(self, tanggal: str) -> date:
        """The given date, else today in the replikator's zone (delegations hold by day)."""
        parsed = validation.parse_date(tanggal) if tanggal else None
        return parsed or date.fromisoformat(self._today(self._zona))

    @property
    def _year(self) -> int:
        return archiving.archive_year(self._input.tanggal, self._input.tahun)

    def _today(self, zona: str) -> str:
        return archiving.today_in(zona)

    async def _produce(
        self,
        kind: DocumentKind,
        tanggal: str,
        facts: DocumentFacts | None = None,
        version: int = 1,
        nomor: str | None = None,
    ) -> DocumentRef:
        tanggal = tanggal or self._today(self._input.replikator.zona)
        [inp] = await self._numbered(tanggal, [Planned(kind, nomor)], facts, version)
        ref = await archiving.produce_document(inp)
        self._documents.append(ref)
        return ref

    async def _produce_together(
        self, tanggal: str, planned: list[Planned], facts: DocumentFacts, version: int = 1
    ) -> list[DocumentRef]:
        """One event's documents: numbered in their order, then rendered and archived at
        the same time by one activity (issue 7: one after the other they left render
        processes idle and took an activity and a workflow task each). A failure fails
        the whole activity, so `_exclusive` restores the state as for one document."""
        if len(planned) < 2 or not workflow.patched(DOCUMENTS_TOGETHER):
            return [
                await self._produce(each.kind, tanggal, facts, version, each.nomor)
                for each in planned
            ]
        tanggal = tanggal or self._today(self._input.replikator.zona)
        refs = await archiving.produce_documents(
            await self._numbered(tanggal, planned, facts, version)
        )
        self._documents.extend(refs)
        return refs

    async def _numbered(
        self, tanggal: str, planned: list[Planned], facts: DocumentFacts | None, version: int
    ) -> list[ProduceDocumentInput]:
        """The inputs of the next documents, in order: each takes the next sequence number
        and, unless it brings its own, the next nomor of the register."""
        numbered = []
        for seq, each in enumerate(planned, len(self._documents) + 1):
            nomor = each.nomor
            if nomor is None:
                nomor = await self._reserve_nomor(each.kind, seq, version, tanggal)
            numbered.append((seq, each.kind, nomor))
        # Built after every reservation, as recorded histories have it (the signer check
        # may record a patch marker).
        return [
            self._document_input(kind, seq, version, nomor, tanggal, facts)
            for seq, kind, nomor in numbered
        ]

    def _document_input(
        self,
        kind: DocumentKind,
        seq: int,
        version: int,
        nomor: str,
        tanggal: str,
        facts: DocumentFacts | None,
    ) -> ProduceDocumentInput:
        facts = replace(facts or self._facts, workflow_run_id=workflow.info().run_id)
        return archiving.document_input(
            self._input, kind, seq, version, self._year, nomor, tanggal, facts, self._signer(kind)
        )

    def _signer(self, kind: DocumentKind) -> str:
        """The user whose key signs this kind electronically; "" for unsigned kinds.

        The one whose block the document prints: the Lembar Pengesahan is signed by the
        chain's signer (or their Plh.), the SK and the final plan by the replikator's head
        (or the delegate who approved for them). The activity input is part of history, so a
        replay of an older run must schedule it without the new field.
        """
        if kind not in SIGNED_KINDS or not approval.chain_for(self._input):
            return ""
        if not workflow.patched("4-pades"):
            return ""
        if kind == DocumentKind.LEMBAR_PENGESAHAN:
            return self._signer_user() or approval.chain_for(self._input)[-1].anggota[-1].user
        return approval.head_user(self._input, self._decisions, self._version)

    async def _reserve_nomor(self, kind: DocumentKind, seq: int, version: int, tanggal: str) -> str:
        key = f"{self._input.replication_id}/{seq:02d}-{kind}-v{version}"
        return await archiving.reserve_nomor(self._input.replikator, key, kind, tanggal, self._year)

    async def _finish(self, stage: Stage, tanggal: str) -> list[DocumentRef]:
        self._set_stage(stage)
        facts = replace(
            self._facts,
            decisions=list(self._decisions),
            documents=list(self._documents),
            sessions=list(self._sessions.values()),
        )
        return [await self._produce(DocumentKind.REKAM_JEJAK, tanggal, facts)]

    async def _answer(self, refs: list[DocumentRef], message: str) -> EventResult:
        await self._write_manifest()
        return EventResult(
            stage=self._stage, message=message, documents=[ref.pdf_key for ref in refs]
        )

    async def _write_manifest(self) -> None:
        await archiving.write_manifest(
            self._input.replication_id,
            self._year,
            self._stage,
            self._input.nama_lokal,
            self._documents,
            self._decisions,
        )
