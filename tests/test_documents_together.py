"""An event's documents are numbered in order and rendered together in one activity."""

from __future__ import annotations

import json
from collections import defaultdict

from temporalio.api.enums.v1 import EventType

from tests import factories
from tests.conftest import Harness
from tests.test_replication_workflow import through_transfer
from workflows.models import DecisionInput
from workflows.replication import ReplicationWorkflow


async def produce_commands(harness: Harness, workflow_id: str) -> list[list[dict]]:
    """The document inputs of each document activity, in history order."""
    history = await harness.client.get_workflow_handle(workflow_id).fetch_history()
    activities = []
    for event in history.events:
        if event.event_type != EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            continue
        attrs = event.activity_task_scheduled_event_attributes
        inp = json.loads(attrs.input.payloads[0].data)
        if attrs.activity_type.name == "produce_document":
            activities.append([inp])
        elif attrs.activity_type.name == "produce_documents":
            activities.append(inp["documents"])
    return activities


async def test_a_sessions_three_documents_are_one_activity_numbered_in_order(
    harness: Harness,
) -> None:
    handle = await harness.start(harness.replication())
    await through_transfer(handle)

    groups = await produce_commands(harness, handle.id)

    kinds = [[inp["kind"] for inp in group] for group in groups]
    assert ["daftar_hadir", "notula", "berita_acara_transfer"] in kinds
    assert ["surat_kesediaan", "berita_acara_kesepakatan"] in kinds
    seqs = [inp["seq"] for group in groups for inp in group]
    assert list(range(1, len(seqs) + 1)) == seqs
    # Numbered in document order: within one register a later document has a larger urut.
    by_register: dict[str, list[int]] = defaultdict(list)
    reserved = [i for g in groups for i in g if i["nomor"] and i["kind"] != "surat_kesediaan"]
    for inp in reserved:  # the Surat Kesediaan brings the inovator's own number
        _, urut, unit, _ = inp["nomor"].split("/")
        by_register[unit].append(int(urut))
    assert by_register and all(u == sorted(set(u)) for u in by_register.values())
    status = await handle.query(ReplicationWorkflow.status)
    assert [d.seq for d in status.documents] == seqs
    await handle.terminate("test selesai")


async def test_the_approved_plans_documents_come_before_the_rekam_jejak(
    harness: Harness,
) -> None:
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    for approver in harness.replication().approvers:
        decision = DecisionInput(approver=approver.user, decision="approve")
        await handle.execute_update(ReplicationWorkflow.decide, decision)
    await handle.result()

    groups = [[inp["kind"] for inp in g] for g in await produce_commands(harness, handle.id)]

    assert ["lembar_pengesahan", "rencana_aksi_final"] in groups
    assert ["rekam_jejak"] == groups[-1]
