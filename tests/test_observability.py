"""JSON log lines carry the replication and the workflow run; the worker logs each activity."""

from __future__ import annotations

import json
import logging

import pytest

from app.observability import WORKER_IDENTITY, JsonFormatter
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
