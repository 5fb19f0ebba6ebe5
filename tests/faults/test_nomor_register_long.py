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


# ~30 reservations/s here when the machine is otherwise idle: minutes, not seconds.
@pytest.mark.timeout(1200)
async def test_five_thousand_numbers_across_continue_as_new(harness: Harness) -> None:
    """Two workers ask for 5,000 numbers at once (16 in flight, the server admits 10); the
    register continues as new every 500 updates: exactly 1..5000, each once."""
    instansi = replace(fresh_instansi(), kode=f"{fresh_instansi().kode}-5000")
    workflow_id = register_id(instansi, 2020)
    first = await start_register(harness, workflow_id, continue_after=500)
    workers = [NomorActivities(harness.client, harness.task_queue) for _ in range(2)]
    began = time.monotonic()

    answers = await asyncio.gather(
        *(
            workers[i % 2].reserve_nomor(ReserveNomorInput(instansi, 2020, f"doc-{i}"))
            for i in range(NUMBERS)
        ),
        return_exceptions=True,
    )

    took = time.monotonic() - began
    errors = [repr(a)[:300] for a in answers if isinstance(a, BaseException)]
    assert [] == errors[:3], f"{len(errors)} reservations failed"
    numbers = [a for a in answers if isinstance(a, str)]
    described = await harness.client.get_workflow_handle(workflow_id).describe()
    print(f"\n{NUMBERS} numbers in {took:.1f} s ({NUMBERS / took:.1f}/s)")  # noqa: T201 - measured
    assert list(range(1, NUMBERS + 1)) == sorted(urut(n) for n in numbers)
    assert first.run_id != described.run_id, "the register never continued as new"
