"""One benchmark run: stack up, lifecycle, ceiling, latency, figures, stack down."""

from __future__ import annotations

import asyncio
import os
import platform
import resource
import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from temporalio.client import Client

from activities.archive import ArchiveStore
from app import pki
from app.converter import DATA_CONVERTER
from app.settings import Settings
from app.stack import EmbeddedStack, StackPorts
from bench import procfs, report
from bench.baseline import BarePool, BaselineResult
from bench.drive import EventTiming, Progress, RunOutcome, run_concurrently, run_one_at_a_time
from bench.history import percentile, read_registers, read_replications
from bench.scenarios import Plan, load_seeds, make_plans
from bench.workerproc import WorkerProcess

CPUS = os.cpu_count() or 1
RESULTS = Path(__file__).with_name("results.json")


@dataclass(frozen=True)
class Options:
    replications: int = 50
    processes: int = CPUS
    latency_replications: int = 3
    own_registers: bool = False
    output: Path = RESULTS


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
        "REPLIKASI_PKI_DIR": str(settings.pki_dir),
        "REPLIKASI_RENDER_PROCESSES": str(processes),
    }


class CpuMeter:
    """CPU seconds per component between two snapshots, and what other processes used.

    The machine may be shared (other test runs): ``other_processes`` is the machine's busy
    time minus ours, so a disturbed run shows itself in results.json.
    """

    def __init__(self, stack: EmbeddedStack, worker: WorkerProcess) -> None:
        self._pids = {name: server.process.pid for name, server in stack.started.items()}
        self._worker = worker

    def snapshot(self) -> dict[str, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return {
            **self._worker.cpu_seconds(),
            **{name: procfs.tree_cpu_seconds(pid) for name, pid in self._pids.items()},
            "bench_driver": own.ru_utime + own.ru_stime,
            "machine": procfs.system_busy_seconds(),
        }

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        spent = {name: after[name] - before[name] for name in after}
        machine = spent.pop("machine")
        spent["other_processes"] = max(0.0, machine - sum(spent.values()))
        return {name: round(value, 2) for name, value in spent.items()}


def _check(results: list[Any], plans: list[Plan]) -> None:
    for result, plan in zip(results, plans, strict=True):
        if result.stage != plan.expect_stage:
            raise RuntimeError(
                f"{plan.replication_id}: ended in {result.stage}, expected {plan.expect_stage}"
            )
        if plan.expect_documents and len(result.documents) != plan.expect_documents:
            print(
                f"warning: {plan.replication_id}: {len(result.documents)} documents, "
                f"the scenario expects {plan.expect_documents}",
                flush=True,
            )


def _latency(events: list[EventTiming]) -> dict[str, Any]:
    timed = [e for e in events if e.documents]
    seconds = [e.seconds for e in timed]
    by_event: dict[str, list[float]] = {}
    for e in timed:
        by_event.setdefault(e.event, []).append(e.seconds)
    return {
        "events": len(timed),
        "p50_s": round(percentile(seconds, 50), 3),
        "p95_s": round(percentile(seconds, 95), 3),
        "max_s": round(max(seconds, default=0.0), 3),
        "median_s_by_event": {k: round(statistics.median(v), 3) for k, v in by_event.items()},
    }


def _cpu_figures(
    spent: dict[str, float], seconds: float, documents: int, baseline: BaselineResult
) -> dict[str, Any]:
    ours = {name: value for name, value in spent.items() if name != "other_processes"}
    per_document = {name: round(value / documents * 1000, 1) for name, value in ours.items()}
    total_ms = sum(ours.values()) / documents * 1000
    baseline_ms = baseline.cpu_seconds / baseline.documents * 1000
    return {
        "lifecycle_seconds": spent,
        "lifecycle_ms_per_document": {**per_document, "total": round(total_ms, 1)},
        "baseline_render_ms_per_document": round(baseline_ms, 1),
        "overhead_ms_per_document": _overhead(per_document, total_ms, baseline_ms),
        # Throughput ratio as it would be if CPU were the only limit: unaffected by other
        # processes on the machine, which `ratio` is not.
        "cpu_ratio": round(baseline_ms / total_ms, 3),
        "other_load_pct_lifecycle": round(spent["other_processes"] / (seconds * CPUS) * 100, 1),
    }


def _overhead(
    per_document: dict[str, float], total_ms: float, baseline_ms: float
) -> dict[str, float]:
    """What the lifecycle spends per document beyond bare rendering, by part. A ratio of
    R / (R + overhead) is all CPU can give: 0.8 needs an overhead of at most R / 4, so
    every gain in rendering lowers the ratio unless the overhead falls with it."""
    parts = {name: ms for name, ms in per_document.items() if name != "render"}
    return {
        "render_beyond_bare": round(per_document.get("render", 0.0) - baseline_ms, 1),
        **parts,
        "total": round(total_ms - baseline_ms, 1),
        "allowed_for_ratio_0_8": round(baseline_ms / 4, 1),
    }


async def _lifecycle(
    client: Client, plans: list[Plan], task_queue: str, cpu: CpuMeter, progress: Progress
) -> tuple[RunOutcome, dict[str, float]]:
    print(f"lifecycle: {len(plans)} replications at once, {progress.expected} documents")
    before = cpu.snapshot()
    outcome = await run_concurrently(client, plans, task_queue, progress)
    spent = CpuMeter.spent(before, cpu.snapshot())
    _check(outcome.results, plans)
    documents = sum(len(r.documents) for r in outcome.results)
    print(
        f"  {documents} documents in {outcome.seconds:.1f} s "
        f"({documents / outcome.seconds:.2f}/s); CPU s: {spent}",
        flush=True,
    )
    return outcome, spent


def _baseline(
    pool: BarePool, inputs: list[Any], cpu: CpuMeter
) -> tuple[BaselineResult, dict[str, Any], float]:
    print(f"baseline: bare rendering of the same {len(inputs)} documents", flush=True)
    before = cpu.snapshot()
    baseline = pool.render_all(inputs)
    # The pool's processes are not ours in CpuMeter's sense: take their CPU out of
    # "other"; what remains is other processes (the idle stack is counted as ours).
    other = CpuMeter.spent(before, cpu.snapshot())["other_processes"] - baseline.cpu_seconds
    pdf = pool.pdf_ms(inputs)
    return baseline, pdf, round(max(0.0, other) / (baseline.seconds * CPUS) * 100, 1)


def _machine_speed(reference_ms: list[float]) -> dict[str, Any]:
    """The reference page's CPU ms before the lifecycle, between the phases and after the
    bare rendering. Only a gauge: the speed also moves within a phase, so no figure here
    corrects the ratio; a wide spread says this run's ratio carries the machine's drift."""
    before, between, after = reference_ms
    return {
        "reference_pdf_cpu_ms": {
            "before_lifecycle": round(before, 1),
            "between_phases": round(between, 1),
            "after_baseline": round(after, 1),
        },
        "spread_pct": round((max(reference_ms) / min(reference_ms) - 1) * 100, 1),
    }


async def _phases(
    options: Options,
    client: Client,
    stack: EmbeddedStack,
    settings: Settings,
    archive: ArchiveStore,
    worker: WorkerProcess,
    progress: Progress,
) -> dict[str, Any]:
    seeds = load_seeds()
    plans = make_plans(seeds, options.replications, "bench", options.own_registers)
    latency_plans = make_plans(
        seeds, options.latency_replications, "latensi", options.own_registers
    )
    progress.expected = sum(p.expect_documents for p in plans)
    cpu = CpuMeter(stack, worker)
    pool = await asyncio.to_thread(BarePool, options.processes)
    try:
        reference = [await asyncio.to_thread(pool.reference_ms)]
        throughput, cpu_spent = await _lifecycle(client, plans, settings.task_queue, cpu, progress)
        documents = sum(len(r.documents) for r in throughput.results)
        stats = await read_replications(client, [p.replication_id for p in plans])
        registers = await read_registers(client)
        reference.append(await asyncio.to_thread(pool.reference_ms))
        baseline, pdf, baseline_other_load = await asyncio.to_thread(
            _baseline, pool, stats.produce_inputs, cpu
        )
        reference.append(await asyncio.to_thread(pool.reference_ms))
    finally:
        pool.close()

    progress.expected = progress.documents + sum(p.expect_documents for p in latency_plans)
    print(f"latency: {len(latency_plans)} replications, one event at a time", flush=True)
    await asyncio.sleep(1)  # let the worker's queues drain: "an otherwise idle system"
    latency_run = await run_one_at_a_time(
        client, latency_plans, settings.task_queue, archive, progress
    )
    _check(latency_run.results, latency_plans)
    latency = _latency(latency_run.events)
    memory = report.memory_figures(worker.samples)

    per_second = documents / throughput.seconds
    cpu_figures = _cpu_figures(cpu_spent, throughput.seconds, documents, baseline)
    cpu_figures["other_load_pct_baseline"] = baseline_other_load
    return {
        "replications": options.replications,
        "processes": options.processes,
        "documents": documents,
        "seconds": round(throughput.seconds, 2),
        "documents_per_second": round(per_second, 3),
        "baseline_documents_per_second": round(baseline.documents_per_second, 3),
        "ratio": round(per_second / baseline.documents_per_second, 3),
        "event_to_archive_p50_s": latency["p50_s"],
        "event_to_archive_p95_s": latency["p95_s"],
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
            "cpu": cpu_figures,
            "machine_speed": _machine_speed(reference),
            "history": stats.summary(),
            "workflow_tasks_per_document": round(stats.workflow_tasks / documents, 2),
            "activities_per_document": round(stats.activities / documents, 2),
            "local_activities_per_document": round(stats.local_activities / documents, 2),
            "nomor_registers": registers,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    }


async def _measure(
    options: Options, stack: EmbeddedStack, settings: Settings, data_dir: Path
) -> dict[str, Any]:
    archive = ArchiveStore.from_settings(settings)
    archive.ensure_bucket()
    # The seed scenarios end in signed documents: their signers need certificates.
    pki.init(settings.pki_dir, [])
    progress = Progress()
    log = data_dir / "worker.log"
    worker = WorkerProcess(worker_env(settings, options.processes), log, progress)
    worker.start()
    try:
        await asyncio.to_thread(worker.wait_ready)
        client = await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            data_converter=DATA_CONVERTER,
        )
        return await _phases(options, client, stack, settings, archive, worker, progress)
    except BaseException:
        lines = log.read_text(errors="replace").splitlines()
        print("--- worker log (last lines)\n" + "\n".join(lines[-30:]), flush=True)
        raise
    finally:
        worker.stop()


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
