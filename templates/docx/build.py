"""Generate the DOCX templates: `python templates/docx/build.py`.

Every kind registers a function in KINDS (kinds_letters.py, kinds_reports.py) that lays out
its document with the shared parts. The generated .docx files are committed, so a
designer may adjust them in Word; tests check that each still renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import kinds_letters  # noqa: E402
import kinds_reports  # noqa: E402

KINDS = {**kinds_letters.KINDS, **kinds_reports.KINDS}


def build(kinds: list[str] | None = None, out_dir: Path = HERE) -> list[Path]:
    written = []
    for kind, make in sorted(KINDS.items()):
        if kinds and kind not in kinds:
            continue
        path = out_dir / f"{kind}.docx"
        make().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(sys.argv[1:] or None):
        print(path.name)
