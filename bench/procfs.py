"""Memory and CPU of processes, read from /proc (Linux), for the benchmark's figures.

The worker renders in child processes, and that is where WeasyPrint's memory lives, so a
"worker" figure is always the worker process plus everything it started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may contain spaces: split after its closing paren.
    text = (PROC / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB; 0 if it is gone."""
    try:
        resident_pages = int((PROC / str(pid) / "statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return resident_pages * PAGE_KB / 1024


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (a scan of /proc: works without CONFIG_PROC_CHILDREN)."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int(_stat_fields(int(entry.name))[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, depth first."""
    result = []
    for child in children(pid):
        result += [child, *descendants(child)]
    return result


def cpu_seconds(pid: int, include_reaped: bool = True) -> float:
    """User + system CPU of ``pid``; with ``include_reaped``, plus its waited-for children.

    Recycled render processes have exited and been reaped by the worker, so their CPU
    only shows up in the worker's cutime/cstime.
    """
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    # Fields 14-17 of stat (utime, stime, cutime, cstime), counted from field 3 here.
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    total = utime + stime + (cutime + cstime if include_reaped else 0)
    return total / TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU used so far by ``pid``, its live descendants and those already reaped."""
    return cpu_seconds(pid) + sum(cpu_seconds(p, include_reaped=False) for p in descendants(pid))


@dataclass(frozen=True)
class TreeMemory:
    """One sample of a process tree's resident memory."""

    main_mb: float
    children_mb: float
    children: tuple[int, ...]
    largest_child_mb: float

    @property
    def total_mb(self) -> float:
        return self.main_mb + self.children_mb


def tree_memory(pid: int) -> TreeMemory:
    pids = descendants(pid)
    sizes = [rss_mb(p) for p in pids]
    return TreeMemory(rss_mb(pid), sum(sizes), tuple(pids), max(sizes, default=0.0))


def system_busy_seconds() -> float:
    """CPU time every process on the machine has used since boot (all CPUs, not idle)."""
    fields = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / TICKS


def memory_mb() -> int:
    """Installed memory in MB."""
    for line in (PROC / "meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def cpu_model() -> str:
    for line in (PROC / "cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return ""
