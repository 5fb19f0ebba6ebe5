"""`make bench` at the smallest size: every figure is written and plausible (never timed)."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

from bench import report
from bench.procfs import TreeMemory
from bench.run import Options, _overhead, run
from bench.workerproc import MemorySample


def test_bench_writes_every_figure(tmp_path: Path) -> None:
    """One replication, one render process: results.json has every key with sane values."""
    output = tmp_path / "results.json"

    run(Options(replications=1, processes=1, latency_replications=1, output=output))

    results = json.loads(output.read_text(encoding="utf-8"))
    assert [] == [key for key in report.REQUIRED_KEYS if key not in results]
    assert 1 == results["replications"]
    assert 1 == results["processes"]
    assert results["documents"] > 0
    for key in ("seconds", "documents_per_second", "baseline_documents_per_second", "ratio"):
        assert results[key] > 0, key
    assert 0 < results["event_to_archive_p50_s"] <= results["event_to_archive_p95_s"]
    assert results["pdf_ms_median"] > 0
    assert math.isfinite(results["worker_rss_growth_pct"])
    assert results["worker_rss_growth_pct"] > -100
    assert results["machine"]["cpu_count"] >= 1
    assert isinstance(results["machine"]["harfbuzz_subset"], bool)
    assert 2 == results["details"]["pdf_letter"]["pages"]
    assert results["details"]["pdf_letter"]["reference_pdf_cpu_ms"] > 0
    speed = results["details"]["machine_speed"]
    assert all(ms > 0 for ms in speed["reference_pdf_cpu_ms"].values())
    assert speed["spread_pct"] >= 0
    overhead = results["details"]["cpu"]["overhead_ms_per_document"]
    parts = sum(v for k, v in overhead.items() if k not in ("total", "allowed_for_ratio_0_8"))
    assert abs(parts - overhead["total"]) < 1.0, overhead
    assert "beyond bare rendering" in report.table(results)


def test_overhead_is_what_the_lifecycle_spends_beyond_bare_rendering() -> None:
    """Parts beyond rendering, the render processes' excess over bare rendering, and the
    most a ratio of 0.8 allows (a quarter of bare rendering)."""
    per_document = {"worker": 40.0, "render": 215.0, "temporal": 30.0, "s3": 15.0}

    overhead = _overhead(per_document, total_ms=300.0, baseline_ms=184.0)

    assert {
        "render_beyond_bare": 31.0,
        "worker": 40.0,
        "temporal": 30.0,
        "s3": 15.0,
        "total": 116.0,
        "allowed_for_ratio_0_8": 46.0,
    } == overhead
    line = report._overhead_line(overhead, 10)
    assert "116 (render processes +31, worker 40, Temporal 30, S3 15); ratio 0.8 allows 46" in line


def test_memory_figures_show_a_pool_replaced_in_the_late_window() -> None:
    """Two render processes and the resource tracker early; late, a successor pool warms up
    beside the old one: the late figure carries both, and the counts say so."""

    def sample(documents: int, children: tuple[int, ...]) -> MemorySample:
        tree = TreeMemory(200.0, 130.0 * len(children), children, 130.0)
        return MemorySample(float(documents), documents, tree)

    samples = [sample(d, (1, 2, 3)) for d in range(100, 151)]
    samples += [sample(d, (1, 2, 3, 4, 5)) for d in range(950, 1001)]

    memory = report.memory_figures(samples)

    assert (3, 5) == (memory["child_processes_early"], memory["child_processes_late"])
    assert memory["render_processes_late_mb"] > memory["render_processes_early_mb"]


def test_workflow_memory_reports_the_open_workflows_it_held() -> None:
    """`python -m bench.workflow_memory` at its smallest: every workflow ran its activities
    (it only prints once they all have) and the process exits cleanly."""
    argv = [sys.executable, "-m", "bench.workflow_memory", "--size", "1000"]
    done = subprocess.run(
        [*argv, "--workflows", "3", "--activities", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )

    assert 0 == done.returncode, done.stderr[-2000:]
    pattern = r"inputs of +1000 characters: \+-?[\d.]+ MB with 3 workflows open \(-?\d+ KB each\)"
    assert re.search(pattern, done.stdout), done.stdout
