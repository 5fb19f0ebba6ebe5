"""python -m bench [--replications N] [--processes P]: see bench/__init__.py."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from pathlib import Path

from bench import report
from bench.run import Options, run


def parse(argv: list[str] | None = None) -> Options:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--replications", type=int, default=defaults.replications)
    parser.add_argument("--processes", type=int, default=defaults.processes)
    parser.add_argument(
        "--latency-replications",
        type=int,
        default=defaults.latency_replications,
        help="replications replayed one event at a time for event_to_archive (default 3)",
    )
    parser.add_argument(
        "--own-registers",
        action="store_true",
        help="a letter-number register per replication instead of one per dinas and year",
    )
    parser.add_argument("--output", type=Path, default=defaults.output)
    args = parser.parse_args(argv)
    if args.replications < 1 or args.processes < 1 or args.latency_replications < 1:
        parser.error("--replications, --processes and --latency-replications must be >= 1")
    return Options(
        replications=args.replications,
        processes=args.processes,
        latency_replications=args.latency_replications,
        own_registers=args.own_registers,
        output=args.output,
    )


def main() -> None:
    options = parse()
    code = 0
    try:
        results = run(options)
        print()
        print(report.table(results))
        print(f"\nwritten: {options.output}")
    except Exception:
        traceback.print_exc()
        code = 1
    # temporalio/sdk-python#300: a process that held a Temporal client may abort at
    # interpreter shutdown; collect it now and leave with the real exit code.
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
