"""The one place that registers workflows and activities, and runs a worker."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.archive import ArchiveStore
from activities.documents import DocumentActivities, ProcessPoolRenderer, Renderer
from activities.manifest import ManifestActivities
from activities.nomor import NomorActivities
from activities.notifier import NotifierActivities
from app.settings import Settings, get_settings
from workflows.forum import ForumWorkflow
from workflows.nomor import NomorRegisterWorkflow
from workflows.replication import ReplicationWorkflow

WORKFLOWS = [ReplicationWorkflow, ForumWorkflow, NomorRegisterWorkflow]

logger = logging.getLogger("replikasi.worker")


def build_activities(
    client: Client,
    task_queue: str,
    archive: ArchiveStore,
    renderer: Renderer,
    notifier: NotifierActivities | None = None,
) -> list[Any]:
    documents = DocumentActivities(archive, renderer)
    notifier = notifier or NotifierActivities()
    return [
        documents.produce_document,
        ManifestActivities(archive).write_manifest,
        NomorActivities(client, task_queue).reserve_nomor,
        notifier.send_reminder,
    ]


def create_worker(
    client: Client,
    task_queue: str,
    archive: ArchiveStore,
    renderer: Renderer,
    *,
    render_slots: int = 4,
    notifier: NotifierActivities | None = None,
    **options: Any,
) -> Worker:
    """A worker for every workflow and activity; sync activities run on a thread pool that
    mostly waits for the render processes and S3."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=build_activities(client, task_queue, archive, renderer, notifier),
        activity_executor=ThreadPoolExecutor(max_workers=render_slots * 2 + 4),
        max_concurrent_activities=render_slots * 2 + 4,
        **options,
    )


async def run_worker(
    client: Client, settings: Settings | None = None, stop: asyncio.Event | None = None
) -> None:
    """Run until `stop` is set (or forever), with a render pool sized from settings."""
    settings = settings or get_settings()
    archive = ArchiveStore.from_settings(settings)
    archive.ensure_bucket()
    renderer = ProcessPoolRenderer(settings.render_processes)
    # Poll only once the render processes have imported WeasyPrint and loaded the fonts
    # (~0.8 s), so the first coordinator's letter does not pay for it.
    await asyncio.to_thread(renderer.wait_ready)
    worker = create_worker(
        client, settings.task_queue, archive, renderer, render_slots=settings.render_processes
    )
    logger.info("worker started on task queue %s", settings.task_queue)
    try:
        async with worker:
            await (stop or asyncio.Event()).wait()
    finally:
        renderer.close()
