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


# What DOCUMENT_RETRY does for the reserve_nomor activity: a reservation that found the
# register busy past the activity's own 20 s (a continue-as-new under load) is tried again.
ACTIVITY_ATTEMPTS = 5
retried: list[str] = []


async def reserve_as_an_activity(
    worker: NomorActivities, request: ReserveNomorInput
) -> str | Exception:
    for attempt in range(1, ACTIVITY_ATTEMPTS + 1):
        try:
            return await worker.reserve_nomor(request)
        except Exception as exc:  # returned and reported by the test, not raised one by one
            if attempt == ACTIVITY_ATTEMPTS:
                return exc
            retried.append(request.document_key)
            await asyncio.sleep(attempt)
    raise AssertionError("unreachable")


async def reserve_all(workers: list[NomorActivities], instansi: object) -> list[str | Exception]:
    """Every key reserved by WORKERS x CALLERS_PER_WORKER callers pulling from one queue."""
    keys: asyncio.Queue[int] = asyncio.Queue()
    for i in range(NUMBERS):
        keys.put_nowait(i)
    answers: list[str | Exception] = []

    async def caller(worker: NomorActivities) -> None:
        while not keys.empty():
            request = ReserveNomorInput(instansi, 2020, f"doc-{keys.get_nowait()}")  # type: ignore[arg-type]
            answers.append(await reserve_as_an_activity(worker, request))

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
    rate = f"{NUMBERS / took:.1f}/s; {len(retried)} activity retries"
    print(f"\n{NUMBERS} numbers in {took:.1f} s ({rate})")  # noqa: T201 - measured
    assert list(range(1, NUMBERS + 1)) == sorted(urut(n) for n in numbers)
    assert first.run_id != described.run_id, "the register never continued as new"
