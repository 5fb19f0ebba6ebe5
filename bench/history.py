"""What the workflow histories tell: each document's exact input, and where time went.

The baseline renders the very inputs the workflows sent to ``produce_document``, decoded
from history, so both sides of the ratio render the same documents.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from app import service
from workflows.models import ProduceDocumentInput, ProduceDocumentsInput

PRODUCE = "produce_document"
PRODUCE_MANY = "produce_documents"
LOCAL_ACTIVITY_MARKER = "core_local_activity"


@dataclass
class HistoryStats:
    """Per activity type: queue wait and run time; workflow tasks and events per workflow."""

    produce_inputs: list[ProduceDocumentInput] = field(default_factory=list)
    queue_seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    run_seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    workflow_tasks: int = 0
    events: int = 0
    activities: int = 0
    # Recorded as markers in the workflow task that ran them: no task of their own.
    local_activities: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "workflow_tasks": self.workflow_tasks,
            "history_events": self.events,
            "activities": self.activities,
            "local_activities": self.local_activities,
            "activity_seconds": {
                name: {
                    "count": len(runs),
                    "queue_p50": percentile(self.queue_seconds[name], 50),
                    "queue_p95": percentile(self.queue_seconds[name], 95),
                    "run_p50": percentile(runs, 50),
                    "run_p95": percentile(runs, 95),
                }
                for name, runs in sorted(self.run_seconds.items())
            },
        }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _seconds(event: HistoryEvent) -> float:
    return event.event_time.ToMicroseconds() / 1e6


async def _read(client: Client, workflow_id: str, stats: HistoryStats, keep_inputs: bool) -> None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    scheduled: dict[int, tuple[str, float]] = {}
    started: dict[int, float] = {}
    for event in history.events:
        stats.events += 1
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            stats.workflow_tasks += 1
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            name = attrs.activity_type.name
            scheduled[event.event_id] = (name, _seconds(event))
            stats.activities += 1
            if keep_inputs and name == PRODUCE:
                [inp] = await client.data_converter.decode(
                    list(attrs.input.payloads), [ProduceDocumentInput]
                )
                stats.produce_inputs.append(inp)
            elif keep_inputs and name == PRODUCE_MANY:
                [many] = await client.data_converter.decode(
                    list(attrs.input.payloads), [ProduceDocumentsInput]
                )
                stats.produce_inputs.extend(many.documents)
        elif event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            marker = event.marker_recorded_event_attributes.marker_name
            stats.local_activities += marker == LOCAL_ACTIVITY_MARKER
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            scheduled_id = event.activity_task_started_event_attributes.scheduled_event_id
            started[scheduled_id] = _seconds(event)
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            scheduled_id = event.activity_task_completed_event_attributes.scheduled_event_id
            name, at = scheduled[scheduled_id]
            # A started event is written with the completion (so it may sort after the
            # scheduled one only): its timestamp is when a worker took the task.
            began = started.get(scheduled_id, at)
            stats.queue_seconds[name].append(began - at)
            stats.run_seconds[name].append(_seconds(event) - began)


async def read_replications(client: Client, replication_ids: list[str]) -> HistoryStats:
    """Inputs and timings from every replication's history."""
    stats = HistoryStats()
    for replication_id in replication_ids:
        await _read(client, service.workflow_id(replication_id), stats, keep_inputs=True)
    return stats


async def read_registers(client: Client) -> dict[str, Any]:
    """How the letter-number registers fared: reservations and workflow tasks per run."""
    runs = [
        (execution.id, execution.run_id)
        async for execution in client.list_workflows("WorkflowType = 'NomorRegisterWorkflow'")
    ]
    per_register = {}
    # A register continues as new when its history grows: every run is listed.
    for workflow_id, run_id in runs:
        handle = client.get_workflow_handle(workflow_id, run_id=run_id)
        kinds = [event.event_type for event in (await handle.fetch_history()).events]
        per_register[f"{workflow_id}/{run_id[:8]}"] = {
            "reservations": kinds.count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
            "workflow_tasks": kinds.count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
            "history_events": len(kinds),
        }
    return {
        "registers": len({workflow_id for workflow_id, _ in runs}),
        "runs": per_register,
    }
