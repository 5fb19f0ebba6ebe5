"""Reserve a letter number from the instansi's NomorRegisterWorkflow."""

from __future__ import annotations

import re

from temporalio import activity
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from workflows.models import Instansi, NomorRegisterInput, NomorRequest, ReserveNomorInput
from workflows.nomor import NomorRegisterWorkflow


def register_id(instansi: Instansi, year: int) -> str:
    # One register per (instansi, kode klasifikasi, year): numbering restarts each year.
    slug = re.sub(r"[^a-z0-9.]+", "-", f"{instansi.kode}-{instansi.kode_klasifikasi}".lower())
    return f"nomor-{slug}-{year}"


def format_nomor(instansi: Instansi, year: int, urut: int) -> str:
    """The instansi's pattern: "{klasifikasi}/{urut}/{unit}/{tahun}" → 000.8.3.3/15/Dinkes/2020."""
    return instansi.pola_nomor.format(
        klasifikasi=instansi.kode_klasifikasi, urut=urut, unit=instansi.kode_unit, tahun=year
    )


class NomorActivities:
    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue

    @activity.defn
    async def reserve_nomor(self, inp: ReserveNomorInput) -> str:
        workflow_id = register_id(inp.instansi, inp.year)
        start = WithStartWorkflowOperation(
            NomorRegisterWorkflow.run,
            NomorRegisterInput(register_id=workflow_id),
            id=workflow_id,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            task_queue=self._task_queue,
        )
        urut = await self._client.execute_update_with_start_workflow(
            NomorRegisterWorkflow.reserve,
            NomorRequest(document_key=inp.document_key),
            start_workflow_operation=start,
        )
        return format_nomor(inp.instansi, inp.year, urut)
