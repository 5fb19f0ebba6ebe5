"""JSON log lines carry the replication and the workflow run; the worker logs each activity."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import urllib.request
from dataclasses import replace

import pytest
from temporalio.testing import WorkflowEnvironment

from app import service
from app.observability import WORKER_IDENTITY, JsonFormatter
from app.settings import Settings
from tests.conftest import Harness
from workflows.models import InnovatorDeclineInput
from workflows.replication import ReplicationWorkflow


def record(**extra: object) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "replikasi.activity", "levelno": 20, "levelname": "INFO"})
    made.msg = "activity completed"
    made.__dict__.update(extra)
    return made


def test_activity_ids_become_fields() -> None:
    """A replication's activity: its id, the run id, the activity and extras as JSON fields."""
    ids = {
        "workflow_id": "replikasi-palopo-2020-01",
        "workflow_run_id": "run-1",
        "workflow_type": "ReplicationWorkflow",
        "activity_type": "produce_document",
        "task_queue": "replikasi-render",
        "attempt": 1,
    }
    line = json.loads(JsonFormatter().format(record(temporal_activity=ids, duration_ms=412)))

    assert "palopo-2020-01" == line["replication_id"]
    assert ("run-1", "produce_document", 412) == (
        line["workflow_run_id"],
        line["activity_type"],
        line["duration_ms"],
    )
    assert ("INFO", "activity completed", WORKER_IDENTITY) == (
        line["level"],
        line["message"],
        line["worker"],
    )


def test_workflow_logger_ids_and_forums() -> None:
    """`workflow.logger` names the run `run_id`; a forum's id goes to `forum_id`."""
    ids = {"workflow_id": "forum-fripp-2020", "run_id": "run-2", "workflow_type": "ForumWorkflow"}
    line = json.loads(JsonFormatter().format(record(temporal_workflow=ids)))

    assert ("fripp-2020", "run-2") == (line["forum_id"], line["workflow_run_id"])
    assert "replication_id" not in line


async def test_worker_logs_every_activity_of_a_replication(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """One 'activity completed' line per activity, each with the replication's run id."""
    caplog.set_level(logging.INFO, logger="replikasi.activity")
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.penolakan, InnovatorDeclineInput(tanggal="2020-10-09", alasan="Belum.")
    )
    await handle.result()
    run_id = (await handle.describe()).run_id

    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    mine = [line for line in lines if line.get("workflow_run_id") == run_id]
    produced = [line for line in mine if line["activity_type"] == "produce_document"]
    assert 3 == len(produced)
    assert {handle.id.removeprefix("replikasi-")} == {line["replication_id"] for line in mine}
    assert all(line["message"] == "activity completed" for line in mine)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_worker_client_serves_sdk_metrics(env: WorkflowEnvironment) -> None:
    """With REPLIKASI_METRICS_PORT the worker's client serves the SDK's Prometheus metrics."""
    address = env.client.service_client.config.target_host
    settings = replace(Settings(), temporal_address=address, metrics_port=free_port())
    client = await service.connect(settings, metrics=True)
    await service.has_worker(client, "uji-metrik")

    url = f"http://127.0.0.1:{settings.metrics_port}/metrics"
    page = await asyncio.to_thread(urllib.request.urlopen, url, timeout=10)
    with page:
        metrics = page.read().decode()
    assert "temporal_request" in metrics


async def test_taken_metrics_port_is_one_clear_error(env: WorkflowEnvironment) -> None:
    """A port already in use stops the worker with a reason naming the variable."""
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = replace(Settings(), metrics_port=port)
        with pytest.raises(service.Unavailable) as refused:
            await service.connect(settings, metrics=True)

    assert f"Metrik tidak dapat dibuka di port {port}" in str(refused.value)
    assert "REPLIKASI_METRICS_PORT" in str(refused.value)
