"""The benchmark's figures: memory growth, the table, and results.json."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.workerproc import MemorySample

# Keys every results.json has (tests/test_bench.py checks them).
REQUIRED_KEYS = (
    "replications",
    "processes",
    "documents",
    "seconds",
    "documents_per_second",
    "baseline_documents_per_second",
    "ratio",
    "event_to_archive_p50_s",
    "event_to_archive_p95_s",
    "pdf_ms_median",
    "worker_rss_growth_pct",
    "machine",
)

# Worker memory "after the first 100 documents" and "after 1,000": the median of the
# samples taken while this many more documents were archived, so that one sample taken
# mid-recycle (old and new render processes alive together) cannot decide the figure.
RSS_WINDOW = 50


def _window(samples: list[MemorySample], low: int, high: int) -> list[MemorySample]:
    inside = [s for s in samples if low <= s.documents <= high]
    if inside:
        return inside
    nearest = min(samples, key=lambda s: abs(s.documents - low))
    return [nearest]


def memory_figures(
    samples: list[MemorySample], early: int = 100, late: int = 1000
) -> dict[str, Any]:
    """Worker tree RSS (worker + render processes) after ``early`` and ``late`` documents.

    Runs with fewer documents compare their first tenth with their end, and say so in
    ``documents_early``/``documents_late``.
    """
    if not samples:
        return {"growth_pct": 0.0}
    total = samples[-1].documents
    early_mark = min(early, max(1, total // 10))
    late_mark = min(late, total)
    first = _window(samples, early_mark, early_mark + RSS_WINDOW)
    last = _window(samples, max(early_mark, late_mark - RSS_WINDOW), late_mark)
    early_mb = statistics.median(s.memory.total_mb for s in first)
    late_mb = statistics.median(s.memory.total_mb for s in last)
    return {
        "documents_early": early_mark,
        "documents_late": late_mark,
        "early_mb": round(early_mb, 1),
        "late_mb": round(late_mb, 1),
        "growth_pct": round((late_mb - early_mb) / early_mb * 100, 1),
        "worker_process_early_mb": round(statistics.median(s.memory.main_mb for s in first), 1),
        "worker_process_late_mb": round(statistics.median(s.memory.main_mb for s in last), 1),
        "render_processes_early_mb": round(
            statistics.median(s.memory.children_mb for s in first), 1
        ),
        "render_processes_late_mb": round(statistics.median(s.memory.children_mb for s in last), 1),
        # More processes late than early: a render pool was being replaced in the window
        # (its successor warms up beside it), and the late figure carries both pools.
        "child_processes_early": statistics.median_low(len(s.memory.children) for s in first),
        "child_processes_late": statistics.median_low(len(s.memory.children) for s in last),
        "largest_render_process_mb": round(max(s.memory.largest_child_mb for s in samples), 1),
        "peak_tree_mb": round(max(s.memory.total_mb for s in samples), 1),
        # Every process the worker started during the run (render processes, recycled
        # ones included, and multiprocessing's resource tracker).
        "child_processes_seen": len({pid for s in samples for pid in s.memory.children}),
    }


TABLE = [
    ("replications", "replications", "{:d}"),
    ("documents", "documents (PDF + DOCX each)", "{:d}"),
    ("processes", "render processes", "{:d}"),
    ("seconds", "seconds, whole lifecycle", "{:.1f}"),
    ("documents_per_second", "documents/s, whole lifecycle", "{:.2f}"),
    ("baseline_documents_per_second", "documents/s, bare rendering", "{:.2f}"),
    ("ratio", "ratio (target >= 0.8)", "{:.2f}"),
    ("event_to_archive_p50_s", "event -> archive p50, s", "{:.2f}"),
    ("event_to_archive_p95_s", "event -> archive p95, s (target <= 2)", "{:.2f}"),
    ("pdf_ms_median", "PDF of a 2-page letter, median ms (target <= 90)", "{:.0f}"),
    ("worker_rss_growth_pct", "worker RSS growth, % (target < 10)", "{:.1f}"),
]


OVERHEAD_PARTS = {
    "render_beyond_bare": "render processes +",
    "worker": "worker ",
    "temporal": "Temporal ",
    "s3": "S3 ",
    "bench_driver": "coordinator ",
}


def _overhead_line(overhead: dict[str, float], width: int) -> str:
    parts = ", ".join(
        f"{label}{overhead[key]:.0f}" for key, label in OVERHEAD_PARTS.items() if key in overhead
    )
    return (
        f"{'CPU ms/document beyond bare rendering':<{width}}  {overhead['total']:.0f} "
        f"({parts}); ratio 0.8 allows {overhead['allowed_for_ratio_0_8']:.0f}"
    )


def table(results: dict[str, Any]) -> str:
    width = max(len(label) for _, label, _ in TABLE)
    lines = [f"{label:<{width}}  {fmt.format(results[key])}" for key, label, fmt in TABLE]
    machine = results["machine"]
    memory = results["details"]["memory"]
    lines.append(
        f"{'':<{width}}  {memory.get('early_mb')} MB after {memory.get('documents_early')}"
        f" documents, {memory.get('late_mb')} MB after {memory.get('documents_late')}"
    )
    cpu = results["details"]["cpu"]
    lines.append(
        f"{'CPU ms/document, whole lifecycle':<{width}}  "
        f"{cpu['lifecycle_ms_per_document']['total']:.0f} "
        f"(bare rendering {cpu['baseline_render_ms_per_document']:.0f}; "
        f"cpu_ratio {cpu['cpu_ratio']:.2f})"
    )
    if cpu.get("overhead_ms_per_document"):
        lines.append(_overhead_line(cpu["overhead_ms_per_document"], width))
    lines.append(
        f"{'other processes on the machine, %':<{width}}  "
        f"{cpu['other_load_pct_lifecycle']:.0f} during the lifecycle, "
        f"{cpu['other_load_pct_baseline']:.0f} during bare rendering (figures are only "
        "comparable when both are near 0)"
    )
    speed = results["details"].get("machine_speed")
    if speed:
        ms = speed["reference_pdf_cpu_ms"]
        lines.append(
            f"{'machine speed, reference page CPU ms':<{width}}  "
            f"{ms['before_lifecycle']:.0f} before / {ms['between_phases']:.0f} between / "
            f"{ms['after_baseline']:.0f} after the phases (spread {speed['spread_pct']:.0f} %); "
            f"{results['details']['pdf_letter']['reference_pdf_cpu_ms']:.0f} beside the letter"
        )
    lines.append(
        f"machine: {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_mb']} MB, harfbuzz_subset={machine['harfbuzz_subset']}"
    )
    return "\n".join(lines)


def write(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
