"""Render workers on their own task queue: workflows on one queue, produce_document on another.

Real Temporal dev server and SeaweedFS; the two workers are the ones `replikasi worker
--role workflows` and `--role render` run (worker.py).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest
import pytest_asyncio
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from activities.archive import ArchiveStore
from activities.documents import ProcessPoolRenderer
from app import service
from app.settings import Settings
from tests import factories
from tests.conftest import own_register
from tests.doctext import normalise, pdf_text
from tests.test_cli import CLI
from tests.test_forum import sample_forum
from tests.test_replication_workflow import assert_eventually
from worker import create_render_worker, create_workflow_worker, role_problem
from workflows.forum import ForumWorkflow
from workflows.models import InnovatorDeclineInput, ReplicationResult
from workflows.replication import ReplicationWorkflow


@dataclass
class SplitWorkers:
    client: Client
    task_queue: str
    render_queue: str
    archive: ArchiveStore


@pytest_asyncio.fixture
async def split(
    client: Client, archive: ArchiveStore, renderer: ProcessPoolRenderer
) -> AsyncIterator[SplitWorkers]:
    task_queue, render_queue = f"uji-{uuid.uuid4()}", f"uji-render-{uuid.uuid4()}"
    workflows = create_workflow_worker(client, task_queue, archive)
    render = create_render_worker(client, render_queue, archive, renderer, render_slots=2)
    async with workflows, render:
        yield SplitWorkers(client, task_queue, render_queue, archive)


async def activity_queues(handle: WorkflowHandle) -> dict[str, set[str]]:
    """Task queue of every scheduled activity, by activity type, from the history."""
    queues: dict[str, set[str]] = {}
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attributes = event.activity_task_scheduled_event_attributes
            queues.setdefault(attributes.activity_type.name, set()).add(attributes.task_queue.name)
    return queues


async def test_documents_render_on_the_render_queue(split: SplitWorkers) -> None:
    """A declined replication's letters are rendered by the render worker, the rest not."""
    inp = own_register(factories.replication(f"uji-{uuid.uuid4().hex[:10]}"))
    inp = replace(inp, render_task_queue=split.render_queue)
    handle = await split.client.start_workflow(
        ReplicationWorkflow.run,
        inp,
        id=f"replikasi-{inp.replication_id}",
        task_queue=split.task_queue,
    )
    alasan = "Inovasi sedang dievaluasi."
    await handle.execute_update(
        ReplicationWorkflow.penolakan, InnovatorDeclineInput(tanggal="2020-10-09", alasan=alasan)
    )
    result: ReplicationResult = await handle.result()

    assert "ditolak" == result.stage
    assert ["surat_permohonan", "surat_penutupan", "rekam_jejak"] == [
        d.kind for d in result.documents
    ]
    queues = await activity_queues(handle)
    assert {split.render_queue} == queues["produce_document"]
    # Numbers and manifests are local activities of the workflow's own worker: no task.
    assert not {"write_manifest", "reserve_nomor"} & set(queues)
    penutupan = normalise(pdf_text(split.archive.get(result.documents[1].pdf_key)))
    assert alasan in penutupan


async def test_forum_passes_its_render_queue_to_the_replications(split: SplitWorkers) -> None:
    """The forum's letters and its children's letters all go to the render queue."""
    forum = replace(sample_forum(pasangan=1), render_task_queue=split.render_queue)
    handle = await split.client.start_workflow(
        ForumWorkflow.run, forum, id=f"forum-{forum.forum_id}", task_queue=split.task_queue
    )
    await handle.execute_update(ForumWorkflow.kehadiran, factories.forum_attendance())
    await handle.execute_update(ForumWorkflow.forum_selesai, factories.forum_closing())
    await handle.result()
    child = split.client.get_workflow_handle(f"replikasi-{forum.pasangan[0].replication_id}")

    async def child_has_its_letter() -> bool:
        return len((await child.query(ReplicationWorkflow.status)).documents) >= 1

    await assert_eventually(child_has_its_letter)
    assert {split.render_queue} == (await activity_queues(handle))["produce_document"]
    assert {split.render_queue} == (await activity_queues(child))["produce_document"]
    await child.terminate("uji selesai")


def test_the_service_puts_the_render_queue_into_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """REPLIKASI_RENDER_TASK_QUEUE reaches the input; one equal to the task queue is none."""
    inp = factories.replication("uji-antrian")
    monkeypatch.setattr(
        service, "get_settings", lambda: replace(Settings(), render_task_queue="render")
    )
    assert "render" == service.with_render_queue(inp).render_task_queue
    assert (
        "lain"
        == service.with_render_queue(replace(inp, render_task_queue="lain")).render_task_queue
    )
    same = replace(Settings(), task_queue="replikasi", render_task_queue="replikasi")
    monkeypatch.setattr(service, "get_settings", lambda: same)
    assert "" == service.with_render_queue(inp).render_task_queue


def test_split_roles_need_a_render_queue() -> None:
    """`--role workflows|render` without a render queue would leave letters unrendered."""
    alone = replace(Settings(), task_queue="replikasi", render_task_queue="")
    split = replace(alone, render_task_queue="replikasi-render")

    assert "" == role_problem("all", alone)
    assert "REPLIKASI_RENDER_TASK_QUEUE" in role_problem("workflows", alone)
    assert "REPLIKASI_RENDER_TASK_QUEUE" in role_problem("render", alone)
    assert "" == role_problem("workflows", split) == role_problem("render", split)
    assert "tidak dikenal" in role_problem("semua", split)


def test_cli_refuses_a_render_worker_without_a_render_queue() -> None:
    """`replikasi worker --role render` with no render queue: exit 1, one line, no traceback."""
    env = {k: v for k, v in os.environ.items() if k != "REPLIKASI_RENDER_TASK_QUEUE"}
    done = subprocess.run(
        [*CLI, "worker", "--role", "render"],
        capture_output=True,
        text=True,
        env={**env, "TEMPORAL_ADDRESS": "127.0.0.1:1"},
        timeout=60,
        check=False,
    )

    assert 1 == done.returncode
    assert "memerlukan REPLIKASI_RENDER_TASK_QUEUE" in done.stderr
    assert 1 == len(done.stderr.strip().splitlines())
