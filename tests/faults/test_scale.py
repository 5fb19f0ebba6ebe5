"""Scale on one machine, for real: three `replikasi worker` processes, one of each role,
against one Temporal, share 50 replications; the histories show who did what.

Most replications end early (the inovator declines: 2 letters and the record), a few go
the whole lifecycle. Here (not in `make test`) because it runs for a minute or more.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle

from app.stack import StackPorts
from tests import factories
from tests.faults.conftest import FaultStack, count_archive
from tests.test_replication_workflow import through_transfer
from workflows.models import DecisionInput, InnovatorDeclineInput, ReplicationResult
from workflows.replication import ReplicationWorkflow

pytestmark = pytest.mark.timeout(900)

REPLICATIONS = 50
FULL_LIFECYCLE = 3
DECLINE = InnovatorDeclineInput(tanggal="2020-10-09", alasan="Inovasi sedang dievaluasi.")


@dataclass
class Work:
    """What one worker process did, counted from the workflow histories."""

    workflow_tasks: int = 0
    activities: Counter[str] = field(default_factory=Counter)
    # Numbers and manifests: local activities, run by the worker of the workflow task.
    local_activities: int = 0
    # Documents rendered: one per produce_document, an event's worth per produce_documents.
    documents: int = 0


async def drive(handle: WorkflowHandle[Any, ReplicationResult], full: bool) -> ReplicationResult:
    """Decline at once, or go from consent through the plan to every approver's yes."""
    if not full:
        await handle.execute_update(ReplicationWorkflow.penolakan, DECLINE)
        return await handle.result()
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    for approver in factories.replication("x").approvers:
        decision = DecisionInput(approver=approver.user, decision="approve")
        await handle.execute_update(ReplicationWorkflow.decide, decision)
    return await handle.result()


DOCUMENT_ACTIVITIES = ("produce_document", "produce_documents")


def documents_in(kind: str, payload: bytes) -> int:
    if kind == "produce_documents":
        return len(json.loads(payload)["documents"])
    return int(kind == "produce_document")


async def work_by_worker(handle: WorkflowHandle[Any, Any], work: dict[str, Work]) -> None:
    """Add this history's completed workflow tasks and activities to each worker's count."""
    scheduled: dict[int, tuple[str, int]] = {}
    task_worker: dict[int, str] = {}
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            kind = attrs.activity_type.name
            scheduled[event.event_id] = (kind, documents_in(kind, attrs.input.payloads[0].data))
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            done = event.activity_task_completed_event_attributes
            assert work.get(done.identity), f"an activity ran on an unknown worker {done.identity}"
            kind, documents = scheduled[done.scheduled_event_id]
            work[done.identity].activities[kind] += 1
            work[done.identity].documents += documents
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            identity = event.workflow_task_completed_event_attributes.identity
            task_worker[event.event_id] = identity
            work.setdefault(identity, Work()).workflow_tasks += 1
        elif event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            marker = event.marker_recorded_event_attributes
            if marker.marker_name == "core_local_activity":  # not the patch markers
                work[task_worker[marker.workflow_task_completed_event_id]].local_activities += 1


def json_log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


async def start_one_worker_per_role(
    faults: FaultStack, render_queue: str, metrics_port: int
) -> dict[str, str]:
    """`replikasi worker --role workflows|all|render` (logs worker-0/1/2.log); identities."""
    env = {"REPLIKASI_RENDER_TASK_QUEUE": render_queue, "REPLIKASI_LOG_FORMAT": "json"}
    metrics = {"REPLIKASI_METRICS_PORT": str(metrics_port)}
    roles = {
        "workflows": await faults.start_worker("--role", "workflows", **env),
        "all": await faults.start_worker("--role", "all", **env, **metrics),
        "render": await faults.start_worker("--role", "render", queue=render_queue, **env),
    }
    host = next(iter(await faults.pollers())).split("@", 1)[1]
    return {role: f"{process.pid}@{host}" for role, process in roles.items()}


def assert_nothing_lost(faults: FaultStack, results: list[ReplicationResult]) -> None:
    totals = Counter[str]()
    for result in results:
        counts = count_archive(faults.archive, result)
        assert (counts.archived, counts.duplicated, counts.lost) == (counts.expected, 0, 0)
        totals.update(expected=counts.expected, archived=counts.archived)
    print(  # noqa: T201 - the fault tests state their counts
        f"\n[scale] replications={len(results)} expected={totals['expected']} "
        f"archived={totals['archived']} duplicated=0 lost=0"
    )


def print_work(identity: dict[str, str], work: dict[str, Work]) -> None:
    for role, name in identity.items():
        done = work[name]
        print(  # noqa: T201 - the spread is what this test is about
            f"[scale] {role:<9} {name}: workflow tasks {done.workflow_tasks}, "
            f"activities {dict(done.activities)}, local activities {done.local_activities}"
        )


async def test_fifty_replications_spread_over_three_workers(faults: FaultStack) -> None:
    """Workflow tasks spread over the two workflow pollers, renders over the two render
    pollers, every replication finishes and nothing is lost."""
    render_queue = f"{faults.task_queue}-render"
    metrics_port = StackPorts.random().temporal
    identity = await start_one_worker_per_role(faults, render_queue, metrics_port)
    inputs = [faults.replication(render_task_queue=render_queue) for _ in range(REPLICATIONS)]
    handles = [await faults.start(inp) for inp in inputs]

    results = await asyncio.gather(
        *(drive(handle, i < FULL_LIFECYCLE) for i, handle in enumerate(handles))
    )

    expected = ["selesai"] * FULL_LIFECYCLE + ["ditolak"] * (REPLICATIONS - FULL_LIFECYCLE)
    assert expected == [result.stage for result in results]
    assert_nothing_lost(faults, results)
    work = {name: Work() for name in identity.values()}
    for handle in handles:
        await work_by_worker(handle, work)
    print_work(identity, work)
    by_role = {role: work[name] for role, name in identity.items()}
    rendered = {role: done.documents for role, done in by_role.items()}
    assert sum(len(result.documents) for result in results) == sum(rendered.values())
    assert 0 == rendered["workflows"] and 0 == by_role["render"].workflow_tasks
    assert rendered["all"] > 0 and rendered["render"] > 0
    assert by_role["workflows"].workflow_tasks > 0 and by_role["all"].workflow_tasks > 0
    # Light work stays with the workflows: local activities on the workflow pollers only.
    assert by_role["workflows"].local_activities > 0 and 0 == by_role["render"].local_activities
    assert {"produce_document", "produce_documents", "send_reminder"} >= {
        kind for done in by_role.values() for kind in done.activities
    }
    render_activities = sum(by_role["render"].activities[k] for k in DOCUMENT_ACTIVITIES)
    assert_logged_and_measured(faults, inputs, identity["render"], render_activities, metrics_port)


def assert_logged_and_measured(
    faults: FaultStack, inputs: list[Any], render_identity: str, rendered: int, metrics_port: int
) -> None:
    """The render worker's JSON log names the replication and run of each document
    activity it ran; the `all` worker serves the SDK's metrics for Prometheus."""
    logged = [
        line
        for line in json_log_lines(faults.tmp / "worker-2.log")
        if line.get("activity_type") in DOCUMENT_ACTIVITIES
        and line["message"] == "activity completed"
    ]
    assert rendered == len(logged)
    assert {inp.replication_id for inp in inputs} >= {line["replication_id"] for line in logged}
    assert all(line["workflow_run_id"] and render_identity == line["worker"] for line in logged)
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as page:
        metrics = page.read().decode()
    assert "temporal_activity_execution_latency" in metrics
