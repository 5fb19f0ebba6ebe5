"""NomorRegisterWorkflow: the letter-number register of one (instansi, klasifikasi, year).

An entity workflow instead of a database table: update handlers run one at a time, so
numbers are unique and gap-free, and history makes them durable. A number is keyed by the
document it was given to, so a retried reservation gets the same number. A number is
reserved when a document is drafted, confirmed when it is signed, and a void is recorded,
never reused (Tata Naskah Dinas: a register has no holes and no duplicates).
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.models import (
        LEDGER_STATES,
        NomorEntry,
        NomorLedger,
        NomorRegisterInput,
        NomorRequest,
        NomorState,
        VoidNomorInput,
    )


# Registers run on a task queue of their own, "<replications' queue>-nomor" (issue 7): a
# replication reserves a number in a local activity, which keeps its workflow task open
# until the register answers. On a shared queue, enough replications doing so at once
# held every workflow task slot, and the register's own task never got one (a deadlock,
# seen with 200 replications at once).
REGISTER_QUEUE_SUFFIX = "-nomor"
REGISTER_QUEUE_PATCH = "7-register-queue"


def register_queue(task_queue: str) -> str:
    """The registers' own task queue beside the replications' ``task_queue``."""
    return task_queue + REGISTER_QUEUE_SUFFIX


def to_ledger(entries: list[NomorEntry]) -> NomorLedger:
    """Entries numbered 1..n, in order, as a compact ledger."""
    return NomorLedger(
        keys=[e.document_key for e in entries],
        states="".join(LEDGER_STATES[NomorState(e.state)] for e in entries),
        alasan={str(e.urut): e.alasan for e in entries if e.alasan},
    )


def from_ledger(ledger: NomorLedger) -> list[NomorEntry]:
    state_of = {letter: state for state, letter in LEDGER_STATES.items()}
    return [
        NomorEntry(
            urut=n,
            document_key=key,
            state=state_of[ledger.states[n - 1]],
            alasan=ledger.alasan.get(str(n), ""),
        )
        for n, key in enumerate(ledger.keys, start=1)
    ]


@workflow.defn
class NomorRegisterWorkflow:
    @workflow.init
    def __init__(self, input: NomorRegisterInput) -> None:
        entries = list(input.entries) + (from_ledger(input.ledger) if input.ledger else [])
        self._entries: dict[str, NomorEntry] = {e.document_key: e for e in entries}
        self._handled = 0

    @workflow.run
    async def run(self, input: NomorRegisterInput) -> None:
        # Lives as long as its year is in use; continues as new before history grows large,
        # after the handlers in flight have answered, carrying every entry.
        await workflow.wait_condition(
            lambda: self._should_continue(input) and workflow.all_handlers_finished()
        )
        entries = sorted(self._entries.values(), key=lambda e: e.urut)
        carried = NomorRegisterInput(
            register_id=input.register_id, continue_after=input.continue_after
        )
        if workflow.patched("issue5-nomor-ledger"):
            carried.ledger = to_ledger(entries)
        else:
            carried.entries = entries
        workflow.continue_as_new(carried, task_queue=self._next_queue())

    def _next_queue(self) -> str | None:
        # A register started on the replications' queue (before REGISTER_QUEUE_SUFFIX)
        # moves to its own queue with its next run.
        queue = workflow.info().task_queue
        if queue.endswith(REGISTER_QUEUE_SUFFIX) or not workflow.patched(REGISTER_QUEUE_PATCH):
            return None
        return register_queue(queue)

    def _should_continue(self, input: NomorRegisterInput) -> bool:
        if input.continue_after and self._handled >= input.continue_after:
            return True
        return workflow.info().is_continue_as_new_suggested()

    @workflow.update
    def reserve(self, request: NomorRequest) -> int:
        self._handled += 1
        entry = self._entries.get(request.document_key)
        if entry is None:
            entry = NomorEntry(urut=len(self._entries) + 1, document_key=request.document_key)
            self._entries[request.document_key] = entry
        return entry.urut

    @reserve.validator
    def validate_reserve(self, request: NomorRequest) -> None:
        if not request.document_key:
            raise ApplicationError("document_key wajib diisi", non_retryable=True)

    @workflow.update
    def confirm(self, request: NomorRequest) -> int:
        self._handled += 1
        entry = self._entries[request.document_key]
        entry.state = NomorState.CONFIRMED
        return entry.urut

    @confirm.validator
    def validate_confirm(self, request: NomorRequest) -> None:
        entry = self._require(request.document_key)
        if entry.state == NomorState.VOID:
            raise ApplicationError(f"Nomor {entry.urut} sudah dibatalkan.", non_retryable=True)

    @workflow.update
    def void(self, request: VoidNomorInput) -> int:
        self._handled += 1
        entry = self._entries[request.document_key]
        entry.state, entry.alasan = NomorState.VOID, request.alasan
        return entry.urut

    @void.validator
    def validate_void(self, request: VoidNomorInput) -> None:
        entry = self._require(request.document_key)
        if entry.state == NomorState.CONFIRMED:
            raise ApplicationError(
                f"Nomor {entry.urut} sudah dipakai pada naskah yang ditandatangani.",
                non_retryable=True,
            )
        if not request.alasan.strip():
            raise ApplicationError("Alasan pembatalan nomor wajib diisi.", non_retryable=True)

    def _require(self, document_key: str) -> NomorEntry:
        entry = self._entries.get(document_key)
        if entry is None:
            raise ApplicationError(
                f"Belum ada nomor untuk dokumen '{document_key}'.", non_retryable=True
            )
        return entry

    @workflow.query
    def entries(self) -> list[NomorEntry]:
        return sorted(self._entries.values(), key=lambda e: e.urut)
