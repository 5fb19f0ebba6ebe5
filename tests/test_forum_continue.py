"""A forum that waits long continues as new with its state, and loses no update."""

from __future__ import annotations

import asyncio

from temporalio.client import WorkflowHandle

from tests import factories
from tests.conftest import Harness
from tests.test_forum import sample_forum, start
from tests.visibility import eventually
from workflows.forum import ForumWorkflow
from workflows.models import ForumResult, Timing


async def run_ids(handle: WorkflowHandle, seen: set[str]) -> set[str]:
    seen.add((await handle.describe()).run_id)
    return seen


async def test_forum_continues_as_new_and_keeps_its_updates(harness: Harness) -> None:
    """Reminders every 0.2 s and a 40-event limit: the forum continues as new again and
    again, yet its invitation, an attendance sent meanwhile and the closing all count."""
    forum = sample_forum(
        pasangan=1,
        timing=Timing(reminder_seconds=0.2, deadline_seconds=3600),
        continue_after_events=40,
    )
    first = await start(harness, forum)
    # Without a run id the handle follows the newest run.
    handle = harness.client.get_workflow_handle(first.id, result_type=ForumResult)
    seen: set[str] = set()
    await eventually(lambda: run_ids(handle, seen), lambda runs: len(runs) >= 2)

    attended, _ = await asyncio.gather(
        handle.execute_update(ForumWorkflow.kehadiran, factories.forum_attendance()),
        eventually(lambda: run_ids(handle, seen), lambda runs: len(runs) >= 4),
    )
    closed = await handle.execute_update(ForumWorkflow.forum_selesai, factories.forum_closing())
    result: ForumResult = await handle.result()

    assert ("terlaksana", "selesai") == (attended.stage, closed.stage)
    kinds = [d.kind for d in result.documents]
    assert ["surat_undangan", "daftar_hadir", "notula", "laporan_forum"] == kinds
    assert [f"replikasi-{forum.pasangan[0].replication_id}"] == result.replikasi
    reminders = [r for r in harness.notifier.sent if r.replication_id == forum.forum_id]
    assert {"undangan", "terlaksana"} == {r.stage for r in reminders}
