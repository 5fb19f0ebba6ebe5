"""Progress of a batch: a bar on a terminal, one plain line per item otherwise.

A bar redrawn with carriage returns is unreadable in a log file or a CI job, so without a
TTY each finished item is its own line ("dimulai: palopo-2021-07").
"""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


class Progress:
    def __init__(self, total: int, out: TextIO | None = None, bar: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self._out = out or sys.stdout
        self._bar = bar or sys.stderr
        self._tty = self._bar.isatty()

    def __call__(self, item: str, state: str) -> None:
        self.done += 1
        if not self._tty:
            self._out.write(f"{state}: {item}\n")
            self._out.flush()
            return
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._bar.write(f"\r[{bar}] {self.done}/{self.total} {item[:40]:<40}")
        self._bar.flush()

    def close(self) -> None:
        if self._tty:
            self._bar.write("\n")
            self._bar.flush()
