"""Drive replications through their whole lifecycle, as coordinators and approvers would."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from temporalio.client import Client

from activities.archive import ArchiveStore, document_key
from app import service
from app.demo import apply_step
from bench.scenarios import Plan
from workflows.models import ReplicationResult


@dataclass
class Progress:
    """Documents archived so far; read by the memory sampler from another thread."""

    documents: int = 0
    expected: int = 0
    _printed: int = 0

    def add(self, count: int) -> None:
        self.documents += count
        step = max(1, self.expected // 10)
        if self.expected and self.documents - self._printed >= step:
            self._printed = self.documents
            print(f"  … {self.documents}/{self.expected} dokumen", flush=True)


@dataclass
class EventTiming:
    replication_id: str
    event: str
    documents: int
    seconds: float


@dataclass
class RunOutcome:
    results: list[ReplicationResult]
    seconds: float
    events: list[EventTiming] = field(default_factory=list)


def step_name(step: dict[str, Any]) -> str:
    if "kirim" in step:
        return str(step["kirim"])
    return f"putuskan:{step['putuskan']['keputusan']}"


async def run_lifecycle(
    client: Client, plan: Plan, task_queue: str, progress: Progress
) -> tuple[ReplicationResult, list[EventTiming]]:
    """Start one replication, send its steps in order, wait for its result."""
    await service.start_replication(client, plan.replication, task_queue=task_queue)
    timings = []
    for index, step in enumerate(plan.steps):
        began = time.perf_counter()
        answer = await apply_step(client, plan.replication_id, step)
        elapsed = time.perf_counter() - began
        # The start's Surat Permohonan is archived before the first event is handled.
        progress.add(len(answer.documents) + (1 if index == 0 else 0))
        timings.append(
            EventTiming(plan.replication_id, step_name(step), len(answer.documents), elapsed)
        )
    result = await service.result(client, plan.replication_id)
    progress.add(max(0, len(result.documents) - sum(t.documents for t in timings) - 1))
    return result, timings


async def run_concurrently(
    client: Client, plans: list[Plan], task_queue: str, progress: Progress
) -> RunOutcome:
    """Every plan at once (each plan's own steps in order): the throughput run."""
    began = time.perf_counter()
    outcomes = await asyncio.gather(
        *(run_lifecycle(client, p, task_queue, progress) for p in plans)
    )
    seconds = time.perf_counter() - began
    return RunOutcome(
        results=[result for result, _ in outcomes],
        seconds=seconds,
        events=[timing for _, timings in outcomes for timing in timings],
    )


async def _wait_for_key(archive: ArchiveStore, key: str, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not await asyncio.to_thread(archive.exists, key):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{key} not archived after {timeout:.0f} s")
        await asyncio.sleep(0.01)


async def run_one_at_a_time(
    client: Client, plans: list[Plan], task_queue: str, archive: ArchiveStore, progress: Progress
) -> RunOutcome:
    """The latency run on an idle system: one event at a time, each timed until archived.

    A start is timed until its Surat Permohonan PDF answers a HEAD in S3 (polled every
    10 ms); an event until its update answers, which the workflow does only after every
    PDF and DOCX of the event and the manifest are stored (an upper bound for the PDF).
    """
    began = time.perf_counter()
    results, timings = [], []
    for plan in plans:
        first_pdf = document_key(plan.year, plan.replication_id, 1, "surat_permohonan", 1, "pdf")
        start = time.perf_counter()
        await service.start_replication(client, plan.replication, task_queue=task_queue)
        await _wait_for_key(archive, first_pdf)
        timings.append(EventTiming(plan.replication_id, "mulai", 1, time.perf_counter() - start))
        progress.add(1)
        for step in plan.steps:
            start = time.perf_counter()
            answer = await apply_step(client, plan.replication_id, step)
            elapsed = time.perf_counter() - start
            timings.append(
                EventTiming(plan.replication_id, step_name(step), len(answer.documents), elapsed)
            )
            progress.add(len(answer.documents))
            for key in answer.documents:
                if not await asyncio.to_thread(archive.exists, key):
                    raise RuntimeError(f"event answered but {key} is not in the archive")
        results.append(await service.result(client, plan.replication_id))
    return RunOutcome(results, time.perf_counter() - began, timings)
