"""Worker memory held per open workflow, by the size of its activities' inputs.

`python -m bench.workflow_memory [--workflows 100] [--activities 10]` starts a Temporal dev
server (the venv's `temporal`) and, in a fresh process per input size, a worker that runs
that many workflows, each scheduling its activities one after another and then waiting for
a signal; it prints the worker process's RSS per open workflow, then after they complete.
The lifecycle's worker grows with the replications in flight (README, "Worker memory"):
this shows how much of that follows from the payloads the workflows send.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from temporalio import activity, workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.procfs import rss_mb

SIZES = (500, 20_000)
TASK_QUEUE = "workflow-memory"


@activity.defn
def measure(text: str) -> int:
    return len(text)


@workflow.defn(sandboxed=False)
class HoldingWorkflow:
    """Schedules ``activities`` activities with inputs of ``size`` characters, then waits."""

    def __init__(self) -> None:
        self._released = False
        self._done = 0

    @workflow.run
    async def run(self, size: int, activities: int) -> int:
        total = 0
        for step in range(activities):
            total += await workflow.execute_activity(
                measure, "x" * size + str(step), start_to_close_timeout=timedelta(seconds=30)
            )
            self._done += 1
        await workflow.wait_condition(lambda: self._released)
        return total

    @workflow.query
    def done(self) -> int:
        return self._done

    @workflow.signal
    def release(self) -> None:
        self._released = True


async def _measure(size: int, workflows: int, activities: int) -> tuple[float, float]:
    temporal = Path(sys.executable).parent / "temporal"
    env = await WorkflowEnvironment.start_local(dev_server_existing_path=str(temporal))
    async with (
        env,
        Worker(
            env.client,
            task_queue=TASK_QUEUE,
            workflows=[HoldingWorkflow],
            activities=[measure],
            activity_executor=ThreadPoolExecutor(8),
        ),
    ):
        gc.collect()
        before = rss_mb(os.getpid())
        handles = [
            await env.client.start_workflow(
                HoldingWorkflow.run,
                args=[size, activities],
                id=f"memory-{uuid.uuid4()}",
                task_queue=TASK_QUEUE,
            )
            for _ in range(workflows)
        ]
        while True:
            done = [await h.query(HoldingWorkflow.done) for h in handles]
            if min(done) == activities:
                break
            await asyncio.sleep(1)
        gc.collect()
        open_mb = rss_mb(os.getpid()) - before
        for handle in handles:
            await handle.signal(HoldingWorkflow.release)
        for handle in handles:
            await handle.result()
        gc.collect()
        return open_mb, rss_mb(os.getpid()) - before


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workflow_memory")
    parser.add_argument("--workflows", type=int, default=100)
    parser.add_argument("--activities", type=int, default=10)
    parser.add_argument("--size", type=int, help="one input size (a child run)")
    options = parser.parse_args(argv)
    if options.size is not None:
        open_mb, done_mb = asyncio.run(
            _measure(options.size, options.workflows, options.activities)
        )
        gc.collect()  # before exit: a Temporal client can abort at shutdown (pitfalls.md)
        per_workflow_kb = open_mb / options.workflows * 1024
        print(
            f"inputs of {options.size:>6} characters: +{open_mb:.1f} MB with "
            f"{options.workflows} workflows open ({per_workflow_kb:.0f} KB each), "
            f"+{done_mb:.1f} MB after they completed",
            flush=True,
        )
        return
    for size in SIZES:  # a fresh process each: memory once taken is not given back
        counts = ["--workflows", str(options.workflows), "--activities", str(options.activities)]
        argv = [sys.executable, "-m", "bench.workflow_memory", "--size", str(size), *counts]
        subprocess.run(argv, check=True)


if __name__ == "__main__":
    main()
