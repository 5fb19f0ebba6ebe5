"""One benchmark run: stack up, lifecycle, ceiling, latency, figures, stack down."""

from __future__ import annotations

import asyncio
import os
import platform
import resource
import shutil
import statistics
import tempfile
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from temporalio.client import Client

from activities.archive import ArchiveStore
from app.settings import Settings
from app.stack import EmbeddedStack, StackPorts
from bench import procfs, report
from bench.baseline import BarePool
from bench.drive import EventTiming, Progress, run_concurrently, run_one_at_a_time
from bench.history import percentile, read_registers, read_replications
from bench.scenarios import Plan, make_plans
from bench.workerproc import WorkerProcess
from workflows.models import STAGE_KEY


@dataclass(frozen=True)
class Options:
    replications: int = 50
    processes: int = os.cpu_count() or 2
    latency_replications: int = 3
    own_registers: bool = False
    output: Path = Path(__file__).with_name("results.json")


def machine_facts() -> dict[str, Any]:
    import weasyprint.text.ffi as ffi

    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": procfs.cpu_model(),
        "memory_mb": procfs.memory_mb(),
        "harfbuzz_subset": ffi.harfbuzz_subset is not None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "weasyprint": version("weasyprint"),
        "docxtpl": version("docxtpl"),
        "temporalio": version("temporalio"),
    }


def worker_env(settings: Settings, processes: int) -> dict[str, str]:
    return {
        "TEMPORAL_ADDRESS": settings.temporal_address,
        "TEMPORAL_NAMESPACE": settings.temporal_namespace,
        "REPLIKASI_TASK_QUEUE": settings.task_queue,
        "AWS_ENDPOINT_URL_S3": settings.s3_endpoint,
        "AWS_ACCESS_KEY_ID": settings.s3_access_key,
        "AWS_SECRET_ACCESS_KEY": settings.s3_secret_key,
        "REPLIKASI_BUCKET": settings.bucket,
        "REPLIKASI_DATA_DIR": str(settings.data_dir),
        "REPLIKASI_RENDER_PROCESSES": str(processes),
    }


class CpuMeter:
    """CPU seconds per component between two snapshots."""

    def __init__(self, stack: EmbeddedStack, worker: WorkerProcess) -> None:
        self._pids = {name: server.process.pid for name, server in stack.started.items()}
        self._worker = worker

    def snapshot(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        values = {
            **self._worker.cpu_seconds(),
            **{name: procfs.tree_cpu_seconds(pid) for name, pid in self._pids.items()},
            "bench_driver": own.ru_utime + own.ru_stime,
        }
        return values

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: round(after[name] - before[name], 2) for name in after}


def _check(results: list[Any], plans: list[Plan]) -> None:
    for result, plan in zip(results, plans, strict=True):
        if plan.expect_documents and len(result.documents) != plan.expect_documents:
            raise RuntimeError(
                f"{plan.replication_id}: {len(result.documents)} documents, "
                f"expected {plan.expect_documents}"
            )


def _latency(events: list[EventTiming]) -> dict[str, Any]:
    timed = [e for e in events if e.documents]
    seconds = [e.seconds for e in timed]
    by_event: dict[str, list[float]] = {}
    for e in timed:
        by_event.setdefault(e.event, []).append(e.seconds)
    return {
        "events": len(timed),
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
        "max_s": max(seconds, default=0.0),
        "median_s_by_event": {k: round(statistics.median(v), 3) for k, v in by_event.items()},
    }


async def _measure(
    options: Options, stack: EmbeddedStack, settings: Settings, data_dir: Path
) -> dict[str, Any]:
    archive = ArchiveStore.from_settings(settings)
    archive.ensure_bucket()
    progress = Progress()
    worker = WorkerProcess(worker_env(settings, options.processes), data_dir / "worker.log", progress)
    worker.start()
    try:
        await asyncio.to_thread(worker.wait_ready)
        client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
        return await _phases(options, client, stack, settings, archive, worker, progress)
    finally:
        worker.stop()


async def _phases(
    options: Options,
    client: Client,
    stack: EmbeddedStack,
    settings: Settings,
    archive: ArchiveStore,
    worker: WorkerProcess,
    progress: Progress,
) -> dict[str, Any]:
    plans = make_plans(options.replications, "bench", options.own_registers)
    progress.expected = sum(p.expect_documents for p in plans)
    cpu = CpuMeter(stack, worker)

    print(f"lifecycle: {len(plans)} replications at once, {progress.expected} documents", flush=True)
    before = cpu.snapshot()
    throughput = await run_concurrently(client, plans, settings.task_queue, progress)
    cpu_spent = CpuMeter.spent(before, cpu.snapshot())
    _check(throughput.results, plans)
    documents = sum(len(r.documents) for r in throughput.results)

    print("reading histories", flush=True)
    stats = await read_replications(client, [p.replication_id for p in plans])
    registers = await read_registers(client)

    print(f"baseline: bare rendering of the same {len(stats.produce_inputs)} documents", flush=True)
    pool = await asyncio.to_thread(BarePool, options.processes)
    try:
        baseline = await asyncio.to_thread(pool.render_all, stats.produce_inputs)
        pdf = await asyncio.to_thread(pool.pdf_ms, stats.produce_inputs)
    finally:
        pool.close()

    latency_plans = make_plans(options.latency_replications, "latensi", options.own_registers)
    progress.expected = progress.documents + sum(p.expect_documents for p in latency_plans)
    print(f"latency: {len(latency_plans)} replications, one event at a time", flush=True)
    latency_run = await run_one_at_a_time(
        client, latency_plans, settings.task_queue, archive, progress
    )
    _check(latency_run.results, latency_plans)
    latency = _latency(latency_run.events)
    memory = report.memory_figures(worker.samples)

    per_second = documents / throughput.seconds
    return {
        "replications": options.replications,
        "processes": options.processes,
        "documents": documents,
        "seconds": round(throughput.seconds, 2),
        "documents_per_second": round(per_second, 3),
        "baseline_documents_per_second": round(baseline.documents_per_second, 3),
        "ratio": round(per_second / baseline.documents_per_second, 3),
        "event_to_archive_p50_s": round(latency["p50_s"], 3),
        "event_to_archive_p95_s": round(latency["p95_s"], 3),
        "pdf_ms_median": round(pdf["median_ms"], 1),
        "worker_rss_growth_pct": memory["growth_pct"],
        "machine": machine_facts(),
        "details": {
            "own_registers": options.own_registers,
            "baseline_seconds": round(baseline.seconds, 2),
            "pages": baseline.pages,
            "pdf_letter": pdf,
            "latency": latency,
            "event_seconds_under_load": _latency(throughput.events),
            "memory": memory,
            "cpu_seconds_lifecycle": cpu_spent,
            "cpu_ms_per_document": {
                name: round(value / documents * 1000, 1) for name, value in cpu_spent.items()
            },
            "history": stats.summary(),
            "workflow_tasks_per_document": round(stats.workflow_tasks / documents, 2),
            "activities_per_document": round(stats.activities / documents, 2),
            "nomor_registers": registers,
        },
    }


def run(options: Options) -> dict[str, Any]:
    """Start a private stack on free ports in a temp dir, measure, stop it, write results."""
    data_dir = Path(tempfile.mkdtemp(prefix="replikasi-bench-"))
    stack = EmbeddedStack(data_dir, StackPorts.random())
    try:
        stack.ensure_started()
        settings = stack.settings(
            task_queue=f"bench-{uuid.uuid4().hex[:8]}",
            bucket=f"bench-{uuid.uuid4().hex[:12]}",
            render_processes=options.processes,
        )
        print(f"stack: {stack.describe()}", flush=True)
        results = asyncio.run(_measure(options, stack, settings, data_dir))
    finally:
        # A throwaway data directory: no need to wait for weed's graceful drain.
        stack.stop(graceful=False)
        shutil.rmtree(data_dir, ignore_errors=True)
    report.write(results, options.output)
    return results


__all__ = ["STAGE_KEY", "Options", "run"]
