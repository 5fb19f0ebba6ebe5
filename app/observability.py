"""What operators see of a running worker: JSON logs, an activity log line, SDK metrics.

Logs: with REPLIKASI_LOG_FORMAT=json every line is one JSON object carrying, when it comes
from an activity or from `workflow.logger`, the replication (or forum) id, the workflow id
and run id, so a log collector can follow one replication across many workers.
Metrics: the Temporal SDK's own (task latencies, slots, poll results) for Prometheus, served
by the SDK's Rust core on REPLIKASI_METRICS_PORT; app/service.connect makes the client with
that runtime.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

from temporalio import activity, workflow
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

# The SDK's default worker identity; histories name it on every task a worker took.
WORKER_IDENTITY = f"{os.getpid()}@{socket.gethostname()}"

# Workflow id prefixes (app/service.py) and the field their id goes to in a log line.
_OWNER_PREFIXES = (("replikasi-", "replication_id"), ("forum-", "forum_id"))

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def temporal_fields(record: logging.LogRecord) -> dict[str, Any]:
    """Ids the SDK's activity and workflow loggers put on a record, under stable names."""
    info = getattr(record, "temporal_activity", None) or getattr(record, "temporal_workflow", None)
    if not isinstance(info, dict):
        return {}
    fields: dict[str, Any] = {
        "workflow_id": info.get("workflow_id", ""),
        "workflow_run_id": info.get("workflow_run_id") or info.get("run_id", ""),
        "workflow_type": info.get("workflow_type", ""),
        "task_queue": info.get("task_queue", ""),
        "attempt": info.get("attempt"),
    }
    if "activity_type" in info:
        fields["activity_type"] = info["activity_type"]
    for prefix, name in _OWNER_PREFIXES:
        if fields["workflow_id"].startswith(prefix):
            fields[name] = fields["workflow_id"].removeprefix(prefix)
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, Temporal ids, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "worker": WORKER_IDENTITY,
        }
        line.update(temporal_fields(record))
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("temporal_") and key not in line:
                line[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(log_format: str = "text") -> None:
    """Plain lines for a terminal, JSON lines (REPLIKASI_LOG_FORMAT=json) for a collector."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
        # The ids travel as JSON fields; the SDK would also append them to every message.
        activity.logger.activity_info_on_message = False
        workflow.logger.workflow_info_on_message = False
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("temporalio").setLevel(logging.WARNING)
    # ... but what workflow and activity code log through the SDK's loggers is ours.
    for name in ("temporalio.workflow", "temporalio.activity"):
        logging.getLogger(name).setLevel(logging.INFO)


class ActivityLogInterceptor(Interceptor):
    """Logs every activity attempt's end (kind, duration, outcome) with its workflow's ids."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _LoggedActivity(next)


class _LoggedActivity(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        began = time.monotonic()
        try:
            result = await self.next.execute_activity(input)
        except Exception as exc:
            extra = _activity_extra(began) | {"error": type(exc).__name__}
            _activity_log.warning("activity failed: %s", exc, extra=extra)
            raise
        _activity_log.info("activity completed", extra=_activity_extra(began))
        return result


_activity_log = logging.getLogger("replikasi.activity")


def _activity_extra(began: float) -> dict[str, Any]:
    """The ids `activity.logger` would attach, and how long the attempt took."""
    info = activity.info()
    ids = {
        "activity_type": info.activity_type,
        "attempt": info.attempt,
        "task_queue": info.task_queue,
        "workflow_id": info.workflow_id,
        "workflow_run_id": info.workflow_run_id,
        "workflow_type": info.workflow_type,
    }
    return {"temporal_activity": ids, "duration_ms": round((time.monotonic() - began) * 1000)}


@cache
def prometheus_runtime(port: int) -> Runtime:
    """One SDK runtime per process that serves its metrics on :port/metrics."""
    # A second Runtime with the same bind address would fail to bind: hence the cache.
    telemetry = TelemetryConfig(metrics=PrometheusConfig(bind_address=f"0.0.0.0:{port}"))
    return Runtime(telemetry=telemetry)
