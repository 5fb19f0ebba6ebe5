"""Container health check for every role of the replikasi image (stdlib only).

Reads the container's command from /proc/1/cmdline: `web` must answer GET /health (200:
Temporal answers), a worker with REPLIKASI_METRICS_PORT must serve /metrics; anything else
is healthy while it runs. Exit 0 healthy, 1 not (Docker's HEALTHCHECK contract).
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path


def probe_url(command: list[str], environ: dict[str, str]) -> str:
    """The URL to probe for this command; "" when there is none."""
    if "web" in command:
        return f"http://127.0.0.1:{environ.get('REPLIKASI_WEB_PORT') or '8000'}/health"
    if "worker" in command and environ.get("REPLIKASI_METRICS_PORT", "0") not in ("", "0"):
        return f"http://127.0.0.1:{environ['REPLIKASI_METRICS_PORT']}/metrics"
    return ""


def main() -> int:
    command = Path("/proc/1/cmdline").read_bytes().decode(errors="replace").split("\0")
    url = probe_url(command, dict(os.environ))
    if not url:
        return 0
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)  # noqa: T201 - docker inspect shows it
        return 1


if __name__ == "__main__":
    sys.exit(main())
