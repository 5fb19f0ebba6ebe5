"""The real worker (`replikasi worker`) as a child process, so its memory can be measured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench import procfs
from bench.drive import Progress

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class MemorySample:
    seconds: float
    documents: int
    memory: procfs.TreeMemory


@dataclass
class WorkerProcess:
    """``replikasi worker`` with the given environment; samples its memory while it runs."""

    env: dict[str, str]
    log_path: Path
    progress: Progress
    interval: float = 0.5
    samples: list[MemorySample] = field(default_factory=list)
    _process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _sampler: threading.Thread | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        self._log = self.log_path.open("ab")
        # The console script's own entry point (gc + exit code handling included).
        argv = [sys.executable, "-c", "from app.cli import main; main()", "worker"]
        self._process = subprocess.Popen(
            argv,
            env={**os.environ, **self.env},
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._sampler = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        self._sampler.start()

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the worker logs that it started (after its render processes warmed up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"worker exited ({self._process.returncode}); see {self.log_path}"
                )
            if "polling task queue" in self.log_path.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"worker not ready after {timeout:.0f} s; see {self.log_path}")

    def _sample(self) -> None:
        began = time.monotonic()
        while not self._stop.wait(self.interval):
            memory = procfs.tree_memory(self.pid)
            if memory.main_mb:
                self.samples.append(
                    MemorySample(time.monotonic() - began, self.progress.documents, memory)
                )

    def cpu_seconds(self) -> dict[str, float]:
        """CPU so far: the worker process itself and its render processes (live or reaped)."""
        main = procfs.cpu_seconds(self.pid, include_reaped=False)
        return {"worker": main, "render": procfs.tree_cpu_seconds(self.pid) - main}

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (the worker drains and closes its pool), SIGKILL after ``timeout``."""
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join()
        if self._process is None:
            return 0
        self._process.send_signal(signal.SIGTERM)
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        if self._log is not None:
            self._log.close()
        return code
