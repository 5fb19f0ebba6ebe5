"""A register handing out 5,000 numbers under load, continuing as new as it goes.

Minutes on 2 CPUs, so it lives here (`make test-faults`), on the session's dev server.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from activities.nomor import NomorActivities, register_id
from tests.conftest import Harness
from tests.test_nomor import fresh_instansi, start_register, urut
from workflows.models import ReserveNomorInput

NUMBERS = 5000
WORKERS = 2
# A worker runs at most its activity slots at once (2 x P + 4 with P render processes):
# 16 callers per worker, 32 in all, over the server's 10 in-flight updates per workflow.
CALLERS_PER_WORKER = 16


async def reserve_all(workers: list[NomorActivities], instansi: object) -> list[str | Exception]:
    """Every key reserved by WORKERS x CALLERS_PER_WORKER callers pulling from one queue."""
    keys: asyncio.Queue[int] = asyncio.Queue()
    for i in range(NUMBERS):
        keys.put_nowait(i)
    answers: list[str | Exception] = []

    async def caller(worker: NomorActivities) -> None:
        while not keys.empty():
            key = keys.get_nowait()
            try:
                request = ReserveNomorInput(instansi, 2020, f"doc-{key}")  # type: ignore[arg-type]
                answers.append(await worker.reserve_nomor(request))
            except Exception as exc:  # collected and reported below, not raised one by one
                answers.append(exc)

    await asyncio.gather(*(caller(w) for w in workers for _ in range(CALLERS_PER_WORKER)))
    return answers


# ~30 reservations/s here when the machine is otherwise idle: minutes, not seconds.
@pytest.mark.timeout(1200)
async def test_five_thousand_numbers_across_continue_as_new(harness: Harness) -> None:
    """Two workers ask for 5,000 numbers, 32 at a time (the server admits 10); the register
    continues as new every 500 updates: exactly 1..5000, each once."""
    instansi = replace(fresh_instansi(), kode=f"{fresh_instansi().kode}-5000")
    workflow_id = register_id(instansi, 2020)
    first = await start_register(harness, workflow_id, continue_after=500)
    workers = [NomorActivities(harness.client, harness.task_queue) for _ in range(WORKERS)]
    began = time.monotonic()

    answers = await reserve_all(workers, instansi)

    took = time.monotonic() - began
    errors = [repr(a)[:300] for a in answers if isinstance(a, Exception)]
    assert [] == errors[:3], f"{len(errors)} reservations failed"
    numbers = [a for a in answers if isinstance(a, str)]
    described = await harness.client.get_workflow_handle(workflow_id).describe()
    print(f"\n{NUMBERS} numbers in {took:.1f} s ({NUMBERS / took:.1f}/s)")  # noqa: T201 - measured
    assert list(range(1, NUMBERS + 1)) == sorted(urut(n) for n in numbers)
    assert first.run_id != described.run_id, "the register never continued as new"
