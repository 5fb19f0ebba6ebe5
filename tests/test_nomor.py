"""The letter-number register: unique, gap-free, durable, safe under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError

from activities.archive import ArchiveStore
from activities.documents import ProcessPoolRenderer
from activities.nomor import NomorActivities, format_nomor, register_id
from activities.notifier import NotifierActivities
from tests import factories
from tests.conftest import Harness
from worker import WorkerGroup, create_worker
from workflows.models import (
    NomorEntry,
    NomorRegisterInput,
    NomorRequest,
    ReserveNomorInput,
    VoidNomorInput,
)
from workflows.nomor import NomorRegisterWorkflow, from_ledger, register_queue, to_ledger


def fresh_instansi() -> factories.Instansi:
    return replace(factories.replikator(), kode=f"uji-{uuid.uuid4().hex[:8]}")


async def reserve_many(
    harness: Harness, instansi: factories.Instansi, keys: list[str]
) -> list[str]:
    activities = NomorActivities(harness.client, harness.task_queue)
    return await asyncio.gather(
        *(activities.reserve_nomor(ReserveNomorInput(instansi, 2020, key)) for key in keys)
    )


async def start_register(harness: Harness, workflow_id: str, continue_after: int) -> WorkflowHandle:
    """A register that continues as new after `continue_after` updates, started on the
    replications' queue as registers were before they had their own."""
    return await harness.client.start_workflow(
        NomorRegisterWorkflow.run,
        NomorRegisterInput(register_id=workflow_id, continue_after=continue_after),
        id=workflow_id,
        task_queue=harness.task_queue,
    )


def urut(nomor: str) -> int:
    return int(nomor.split("/")[1])


async def test_two_hundred_concurrent_requests_get_one_to_two_hundred(harness: Harness) -> None:
    """200 reservations at once receive 1..200, each exactly once, in the instansi's pattern."""
    instansi = fresh_instansi()

    numbers = await reserve_many(harness, instansi, [f"doc-{i}" for i in range(200)])

    assert list(range(1, 201)) == sorted(urut(n) for n in numbers)
    assert f"000.8.3.3/{urut(numbers[0])}/Dinkes/2020" == numbers[0]


async def test_three_workers_over_the_servers_update_limit_get_one_to_sixty(
    harness: Harness,
) -> None:
    """Three workers asking at once (24 in flight, the server admits 10) still get 1..60."""
    instansi = fresh_instansi()
    workers = [NomorActivities(harness.client, harness.task_queue) for _ in range(3)]

    numbers = await asyncio.gather(
        *(
            workers[i % 3].reserve_nomor(ReserveNomorInput(instansi, 2020, f"doc-{i}"))
            for i in range(60)
        )
    )

    assert list(range(1, 61)) == sorted(urut(n) for n in numbers)


async def test_retried_reservation_gets_the_same_number(harness: Harness) -> None:
    """A retried activity asks again for the same document and gets the same number."""
    instansi = fresh_instansi()

    numbers = await reserve_many(harness, instansi, ["a", "b", "a", "c", "b"])

    by_key: dict[str, set[int]] = {}
    for key, nomor in zip(["a", "b", "a", "c", "b"], numbers, strict=True):
        by_key.setdefault(key, set()).add(urut(nomor))
    assert [1, 1, 1] == [len(urut_set) for urut_set in by_key.values()]
    assert {1, 2, 3} == set().union(*by_key.values())


async def test_void_is_recorded_and_never_reused(harness: Harness) -> None:
    """A voided number stays in the register with its reason; the next document gets a new one."""
    instansi = fresh_instansi()
    await reserve_many(harness, instansi, ["a"])
    await reserve_many(harness, instansi, ["b"])
    handle = harness.client.get_workflow_handle(register_id(instansi, 2020))

    await handle.execute_update(NomorRegisterWorkflow.void, VoidNomorInput("b", "Salah ketik"))
    await handle.execute_update(NomorRegisterWorkflow.confirm, NomorRequest("a"))
    after = await reserve_many(harness, instansi, ["c"])
    entries = await handle.query(NomorRegisterWorkflow.entries)

    assert [3] == [urut(n) for n in after]
    expected = [
        NomorEntry(1, "a", "confirmed", ""),
        NomorEntry(2, "b", "void", "Salah ketik"),
        NomorEntry(3, "c", "reserved", ""),
    ]
    assert expected == entries


async def test_void_of_a_signed_number_is_refused(harness: Harness) -> None:
    """A number already on a signed document cannot be voided, and a void needs a reason."""
    instansi = fresh_instansi()
    await reserve_many(harness, instansi, ["a"])
    handle = harness.client.get_workflow_handle(register_id(instansi, 2020))
    await handle.execute_update(NomorRegisterWorkflow.confirm, NomorRequest("a"))

    with pytest.raises(WorkflowUpdateFailedError) as signed:
        await handle.execute_update(NomorRegisterWorkflow.void, VoidNomorInput("a", "x"))
    with pytest.raises(WorkflowUpdateFailedError) as unknown:
        await handle.execute_update(NomorRegisterWorkflow.void, VoidNomorInput("zz", "x"))

    assert "sudah dipakai pada naskah yang ditandatangani" in str(signed.value.cause)
    assert "Belum ada nomor untuk dokumen 'zz'" in str(unknown.value.cause)


async def test_numbers_survive_continue_as_new_under_load(harness: Harness) -> None:
    """Continuing as new every 25 updates while 120 requests arrive loses and repeats nothing."""
    instansi = fresh_instansi()
    workflow_id = register_id(instansi, 2020)
    first = await start_register(harness, workflow_id, continue_after=25)

    numbers = await reserve_many(harness, instansi, [f"doc-{i}" for i in range(120)])
    again = await reserve_many(harness, instansi, ["doc-7"])
    described = await harness.client.get_workflow_handle(workflow_id).describe()

    assert list(range(1, 121)) == sorted(urut(n) for n in numbers)
    assert [numbers[7]] == again
    assert first.run_id != described.run_id, "the register never continued as new"
    # Continuing as new moved it to the registers' own queue.
    assert register_queue(harness.task_queue) == described.task_queue


async def test_replications_holding_every_workflow_task_slot_still_get_numbers(
    client: Client, archive: ArchiveStore, renderer: ProcessPoolRenderer
) -> None:
    """A replication waits for its number inside its workflow task (a local activity). With
    two workflow task slots and four replications numbering at once, both slots are held by
    waiting replications: the register answers from its own queue, so all four go on."""
    task_queue = f"uji-{uuid.uuid4()}"
    worker = create_worker(
        client, task_queue, archive, renderer, render_slots=2, max_concurrent_workflow_tasks=2
    )
    async with worker:
        harness = Harness(client, task_queue, archive, NotifierActivities(), worker)
        handles = [await harness.start(harness.replication()) for _ in range(4)]

        async def numbered(handle: WorkflowHandle) -> None:
            # The Surat Permohonan's render is scheduled only once its nomor came back.
            while not any(
                event.activity_task_scheduled_event_attributes.activity_type.name
                for event in (await handle.fetch_history()).events
            ):
                await asyncio.sleep(0.2)

        try:
            await asyncio.wait_for(asyncio.gather(*(numbered(h) for h in handles)), timeout=60)
        finally:
            # Also after a timeout: a stuck replication would hold the worker's shutdown
            # (it waits for the workflow tasks) and hang the test instead of failing it.
            for handle in handles:
                await handle.terminate("test selesai")


def test_pattern_is_per_instansi() -> None:
    """Each instansi writes its numbers in its own pattern, e.g. the older 005/…/Bappeda/2020."""
    bappeda = replace(
        factories.replikator(),
        kode_klasifikasi="005",
        kode_unit="Bappeda",
        pola_nomor="{klasifikasi}/{urut}/{unit}/{tahun}",
    )
    organisasi = replace(
        factories.koordinator(),
        kode_klasifikasi="000.8.3.3",
        kode_unit="OR",
        pola_nomor="{klasifikasi}/{urut}/{unit}",
    )

    assert "005/123/Bappeda/2020" == format_nomor(bappeda, 2020, 123)
    assert "000.8.3.3/15/OR" == format_nomor(organisasi, 2020, 15)


def test_ledger_carries_every_entry_compactly() -> None:
    """Across continue-as-new the register carries keys, states and void reasons as plain
    lists, which decode in milliseconds where 5,000 entry dataclasses took half a second."""
    entries = [
        NomorEntry(1, "a", "confirmed", ""),
        NomorEntry(2, "b", "void", "Salah ketik"),
        NomorEntry(3, "c", "reserved", ""),
    ]

    ledger = to_ledger(entries)

    assert (["a", "b", "c"], "cvr", {"2": "Salah ketik"}) == (
        ledger.keys,
        ledger.states,
        ledger.alasan,
    )
    assert entries == from_ledger(ledger)


class _RecordedWorker:
    """Stands in for a temporalio Worker: records when it starts and stops."""

    def __init__(self, task_queue: str, log: list[str]) -> None:
        self.task_queue = task_queue
        self._log = log

    async def __aenter__(self) -> _RecordedWorker:
        self._log.append(f"start {self.task_queue}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._log.append(f"stop {self.task_queue}")


async def test_the_registers_worker_outlives_the_replications_worker() -> None:
    """A replication stopping may still wait for a number in a local activity: the
    registers' worker starts first and stops last, so that update can be answered."""
    log: list[str] = []
    replications = _RecordedWorker("uji", log)
    registers = _RecordedWorker(register_queue("uji"), log)

    async with WorkerGroup(replications, registers) as group:  # type: ignore[arg-type]
        assert "uji" == group.task_queue

    assert [
        f"start {register_queue('uji')}",
        "start uji",
        "stop uji",
        f"stop {register_queue('uji')}",
    ] == log
