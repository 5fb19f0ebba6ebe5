"""Fault tests: each test owns its servers and its workers, so it can break them.

An `EmbeddedStack` (Temporal with a SQLite file, SeaweedFS) on random ports in the test's
tmp dir, and `replikasi worker` subprocesses pointed at it, each in its own process group
so that SIGKILL takes its render processes down with it, as a crash of the machine would.
Run with `make test-faults`; `make test` leaves this directory out (it takes minutes).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest_asyncio
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowHandle

from activities.archive import ArchiveStore, make_s3_client
from app import pki
from app.converter import DATA_CONVERTER
from app.stack import EmbeddedStack, StackPorts
from tests import factories
from tests.conftest import own_register
from workflows.models import ReplicationInput, ReplicationResult
from workflows.replication import ReplicationWorkflow

ROOT = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, "-c", "from app.cli import main; main()", "worker"]
DOCUMENT_KEY = re.compile(r"/\d{2}-[a-z_]+-v\d+\.(pdf|docx)$")


async def eventually(
    check: Callable[[], Awaitable[Any]], timeout: float, what: str, every: float = 0.2
) -> Any:
    """Poll ``check`` until it returns something truthy (errors count as "not yet")."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        with contextlib.suppress(Exception):
            value = await check()
            if value:
                return value
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(every)


@dataclass
class FaultStack:
    """Servers, settings, workers and helpers of one fault test."""

    stack: EmbeddedStack
    tmp: Path
    bucket: str
    task_queue: str
    client: Client
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def archive(self) -> ArchiveStore:
        return ArchiveStore(make_s3_client(self.stack.settings(bucket=self.bucket)), self.bucket)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "TEMPORAL_ADDRESS": self.stack.temporal_address,
            "AWS_ENDPOINT_URL_S3": self.stack.s3_endpoint,
            "AWS_ACCESS_KEY_ID": self.stack.access_key,
            "AWS_SECRET_ACCESS_KEY": self.stack.secret_key,
            "REPLIKASI_BUCKET": self.bucket,
            "REPLIKASI_TASK_QUEUE": self.task_queue,
            "REPLIKASI_DATA_DIR": str(self.tmp),
            "REPLIKASI_RENDER_PROCESSES": "1",
            **extra,
        }

    async def start_worker(
        self, *args: str, queue: str = "", **extra: str
    ) -> subprocess.Popen[bytes]:
        """A `replikasi worker [args]` subprocess; returns once it polls the task queue (or
        ``queue``, e.g. the render queue of a `--role render` worker)."""
        log = (self.tmp / f"worker-{len(self.workers)}.log").open("ab")
        process = subprocess.Popen(
            [*WORKER, *args],
            env=self.env(**extra),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.workers.append(process)
        await eventually(
            lambda: self._polled_by(process.pid, queue), 60, f"worker {process.pid} to poll"
        )
        return process

    async def _polled_by(self, pid: int, queue: str = "") -> bool:
        assert self.workers[-1].poll() is None, "worker exited: see worker-*.log"
        return any(identity.startswith(f"{pid}@") for identity in await self.pollers(queue))

    async def pollers(self, queue: str = "") -> set[str]:
        kinds = (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
        found: set[str] = set()
        for kind in kinds:
            response = await self.client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=self.client.namespace,
                    task_queue=TaskQueue(name=queue or self.task_queue),
                    task_queue_type=kind,
                )
            )
            found |= {poller.identity for poller in response.pollers}
        return found

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """kill -9 the worker and its render processes (its own process group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def restart(self, name: str, down_for: float = 0.0) -> None:
        """Stop one server of the stack (SIGTERM, wait), and start it again on the same
        data directory and ports after ``down_for`` seconds in all."""
        import time

        began = time.monotonic()
        server = self.stack.started.pop(name)
        self.stack._stop_servers([server])
        time.sleep(max(0.0, down_for - (time.monotonic() - began)))
        if name == "temporal":
            self.stack.start_temporal()
        else:
            self.stack.start_s3()

    def replication(self, **changes: Any) -> ReplicationInput:
        inp = own_register(factories.replication(f"gangguan-{uuid.uuid4().hex[:8]}"))
        return replace(inp, **changes)

    async def start(self, inp: ReplicationInput) -> WorkflowHandle[Any, ReplicationResult]:
        return await self.client.start_workflow(
            ReplicationWorkflow.run,
            inp,
            id=f"replikasi-{inp.replication_id}",
            task_queue=self.task_queue,
            result_type=ReplicationResult,
        )


@pytest_asyncio.fixture
async def faults(tmp_path: Path) -> AsyncIterator[FaultStack]:
    stack = EmbeddedStack(tmp_path / "stack", StackPorts.random())
    stack.ensure_started()
    # The workers' REPLIKASI_DATA_DIR is tmp_path: a replication that reaches selesai needs
    # its signers' certificates in tmp_path/pki (the sample approvers are the examples').
    pki.init(tmp_path / "pki", [])
    try:
        client = await Client.connect(stack.temporal_address, data_converter=DATA_CONVERTER)
        fault = FaultStack(
            stack, tmp_path, f"gangguan-{uuid.uuid4().hex[:12]}", f"gangguan-{uuid.uuid4()}", client
        )
        try:
            yield fault
        finally:
            fault.stop_workers()
    finally:
        # Throwaway data: no need for weed's graceful drain.
        stack.stop(graceful=False)


@dataclass
class Counts:
    expected: int  # document files (PDF + DOCX) the finished workflow says it archived
    archived: int  # of those, present in S3 with the sha256 the workflow recorded
    duplicated: int  # document keys in S3 the workflow does not know (a second copy)
    lost: int  # expected files missing or not matching their recorded sha256
    reput_identical: int  # keys re-put with the same bytes (a retried attempt)
    reput_changed: int  # keys re-put with other bytes (older versions kept by versioning)

    def line(self) -> str:
        return (
            f"expected={self.expected} archived={self.archived} "
            f"duplicated={self.duplicated} lost={self.lost} "
            f"(re-put: identical={self.reput_identical} changed={self.reput_changed})"
        )


def count_archive(archive: ArchiveStore, result: ReplicationResult) -> Counts:
    """What S3 holds for this replication, compared with what the workflow recorded.

    The promise is one object per document version, i.e. per key. A retried render
    (after a kill or an S3 outage) puts the same key again: S3 versioning keeps the older
    version, which is not a second document (same key, same identity, the current version
    is the one the manifest and the workflow name). PDFs render byte-identical; a DOCX's
    ZIP carries its write time, so its re-put may differ in bytes: counted apart.
    A duplicate would be a second key for one document (e.g. 04-surat_kesediaan beside
    02-surat_kesediaan), and that is what `duplicated` counts.
    """
    recorded = {}
    for ref in result.documents:
        recorded[ref.pdf_key] = ref.pdf_sha256
        recorded[ref.docx_key] = ref.docx_sha256
    prefix = result.manifest_key.rsplit("/", 1)[0] + "/"
    versions: dict[str, set[str]] = {}
    puts: dict[str, int] = {}
    paginator = archive.client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=archive.bucket, Prefix=prefix):
        for version in page.get("Versions", []):
            key = version["Key"]
            versions.setdefault(key, set()).add(version.get("ETag", ""))
            puts[key] = puts.get(key, 0) + 1
    present = {key for key in archive.list_keys(prefix) if DOCUMENT_KEY.search(key)}
    archived = sum(
        1
        for key, sha in recorded.items()
        if key in present and hashlib.sha256(archive.get(key)).hexdigest() == sha
    )
    documents = [key for key in puts if DOCUMENT_KEY.search(key)]
    manifest = archive.get_json(result.manifest_key) or {}
    listed = {entry["key"]: entry["sha256"] for entry in manifest.get("documents", [])}
    assert recorded == listed, "manifest.json differs from the workflow's documents"
    return Counts(
        expected=len(recorded),
        archived=archived,
        duplicated=len(present - set(recorded)),
        lost=len(recorded) - archived,
        reput_identical=sum(1 for k in documents if puts[k] > 1 and len(versions[k]) == 1),
        reput_changed=sum(1 for k in documents if len(versions[k]) > 1),
    )


def report(name: str, counts: Counts) -> None:
    print(f"\n[{name}] {counts.line()}")  # noqa: T201 - the fault tests state their counts
