"""Reserve a letter number from the instansi's NomorRegisterWorkflow."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict

from temporalio import activity
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from workflows.models import Instansi, NomorRegisterInput, NomorRequest, ReserveNomorInput
from workflows.nomor import NomorRegisterWorkflow, register_queue

# The server admits at most 10 in-flight updates per workflow (history.maxInFlightUpdates)
# and refuses the rest with RESOURCE_EXHAUSTED, or aborts them (UNAVAILABLE) while the
# register continues as new. A reservation is idempotent per document key, so asking again
# is safe; one worker keeps its own requests under the limit so that others get a turn.
_BUSY = {RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE}
_PER_REGISTER_IN_FLIGHT = 8
_RETRY_FOR_SECONDS = 20.0


def register_id(instansi: Instansi, year: int) -> str:
    # One register per (instansi, kode klasifikasi, year): numbering restarts each year.
    slug = re.sub(r"[^a-z0-9.]+", "-", f"{instansi.kode}-{instansi.kode_klasifikasi}".lower())
    return f"nomor-{slug}-{year}"


def format_nomor(instansi: Instansi, year: int, urut: int) -> str:
    """The instansi's pattern: "{klasifikasi}/{urut}/{unit}/{tahun}" → 000.8.3.3/15/Dinkes/2020."""
    return instansi.pola_nomor.format(
        klasifikasi=instansi.kode_klasifikasi, urut=urut, unit=instansi.kode_unit, tahun=year
    )


def backoff_seconds(attempt: int) -> float:
    """Full jitter, 0.05 s doubling to a 2 s cap: many callers must not retry in step."""
    return random.uniform(0.0, min(2.0, 0.05 * 2**attempt))


class NomorActivities:
    def __init__(self, client: Client, task_queue: str) -> None:
        """``task_queue``: the replications' queue; a new register starts on its own queue
        beside it (register_queue), whose workflow tasks no replication can hold up."""
        self._client = client
        self._task_queue = register_queue(task_queue)
        self._in_flight: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(_PER_REGISTER_IN_FLIGHT)
        )

    @activity.defn
    async def reserve_nomor(self, inp: ReserveNomorInput) -> str:
        workflow_id = register_id(inp.instansi, inp.year)
        async with self._in_flight[workflow_id]:
            urut = await self._reserve_retrying(workflow_id, inp.document_key)
        return format_nomor(inp.instansi, inp.year, urut)

    async def _reserve_retrying(self, workflow_id: str, document_key: str) -> int:
        deadline = time.monotonic() + _RETRY_FOR_SECONDS
        attempt = 0
        while True:
            try:
                return await self._reserve_once(workflow_id, document_key)
            except RPCError as exc:
                if exc.status not in _BUSY or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(backoff_seconds(attempt))
            attempt += 1

    async def _reserve_once(self, workflow_id: str, document_key: str) -> int:
        start = WithStartWorkflowOperation(
            NomorRegisterWorkflow.run,
            NomorRegisterInput(register_id=workflow_id),
            id=workflow_id,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            task_queue=self._task_queue,
        )
        return await self._client.execute_update_with_start_workflow(
            NomorRegisterWorkflow.reserve,
            NomorRequest(document_key=document_key),
            start_workflow_operation=start,
        )
