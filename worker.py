"""The one place that registers workflows and activities, and runs a worker.

Roles (`replikasi worker --role`): `all` runs everything in one process (and, when
REPLIKASI_RENDER_TASK_QUEUE is set, also polls that queue); `workflows` runs the workflows
and the light activities without render processes; `render` runs only the render pool and
the document activities on the render queue, so PDF rendering scales on machines of its own.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.archive import ArchiveStore
from activities.documents import (
    DocumentActivities,
    ProcessPoolRenderer,
    Renderer,
    warm_up_signing,
)
from activities.heap import settle_heap
from activities.manifest import ManifestActivities
from activities.nomor import NomorActivities
from activities.notifier import NotifierActivities
from app.observability import ActivityLogInterceptor
from app.settings import Settings, get_settings
from workflows.forum import ForumWorkflow
from workflows.nomor import NomorRegisterWorkflow, register_queue
from workflows.replication import ReplicationWorkflow

WORKFLOWS = [ReplicationWorkflow, ForumWorkflow, NomorRegisterWorkflow]
ROLES = ("all", "workflows", "render")
# Threads for the light activities (S3 manifest puts, reminders); they mostly wait.
LIGHT_SLOTS = 16

logger = logging.getLogger("replikasi.worker")


class WorkerGroup:
    """Workers that run and stop together: the replications' queue and the registers' own
    (workflows/nomor.py: a replication's workflow task waits for the register's, so the
    two must not share workflow task slots). ``task_queue`` is the replications' queue."""

    def __init__(self, *workers: Worker) -> None:
        self.workers = list(workers)
        self.task_queue = self.workers[0].task_queue

    async def __aenter__(self) -> WorkerGroup:
        # Started last to first, so stopped first to last: the replications' worker stops
        # while the registers' still answers. Stopped the other way round, a replication
        # waiting for its number in a local activity waited for an update nobody could
        # answer, and its worker's shutdown with it (a test's teardown hung for 300 s).
        async with AsyncExitStack() as running:
            for each in reversed(self.workers):
                await running.enter_async_context(each)
            self._running = running.pop_all()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._running.aclose()


def create_register_worker(client: Client, task_queue: str, **options: Any) -> Worker:
    """The letter-number registers on their own queue beside ``task_queue``; their updates
    are one dict lookup each, so no activities and the default slots."""
    return Worker(
        client, task_queue=register_queue(task_queue), workflows=[NomorRegisterWorkflow], **options
    )


def light_activities(
    client: Client, task_queue: str, archive: ArchiveStore, notifier: NotifierActivities | None
) -> list[Any]:
    """Every activity but the document ones: numbers, manifests, reminders."""
    notifier = notifier or NotifierActivities()
    return [
        ManifestActivities(archive).write_manifest,
        NomorActivities(client, task_queue).reserve_nomor,
        notifier.send_reminder,
    ]


def build_activities(
    client: Client,
    task_queue: str,
    archive: ArchiveStore,
    renderer: Renderer,
    notifier: NotifierActivities | None = None,
) -> list[Any]:
    documents = DocumentActivities(archive, renderer)
    return [
        documents.produce_document,
        documents.produce_documents,
        *light_activities(client, task_queue, archive, notifier),
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
) -> WorkerGroup:
    """A worker for every workflow and activity (and the registers' queue); sync activities
    run on a thread pool that mostly waits for the render processes and S3."""
    main = Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=build_activities(client, task_queue, archive, renderer, notifier),
        activity_executor=ThreadPoolExecutor(max_workers=render_slots * 2 + 4),
        max_concurrent_activities=render_slots * 2 + 4,
        interceptors=[ActivityLogInterceptor()],
        **options,
    )
    return WorkerGroup(main, create_register_worker(client, task_queue, **options))


def create_workflow_worker(
    client: Client,
    task_queue: str,
    archive: ArchiveStore,
    *,
    notifier: NotifierActivities | None = None,
    **options: Any,
) -> WorkerGroup:
    """Workflows and the light activities, no rendering (role `workflows`)."""
    main = Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=light_activities(client, task_queue, archive, notifier),
        activity_executor=ThreadPoolExecutor(max_workers=LIGHT_SLOTS),
        max_concurrent_activities=LIGHT_SLOTS,
        interceptors=[ActivityLogInterceptor()],
        **options,
    )
    return WorkerGroup(main, create_register_worker(client, task_queue, **options))


def create_render_worker(
    client: Client,
    render_queue: str,
    archive: ArchiveStore,
    renderer: Renderer,
    *,
    render_slots: int = 4,
    **options: Any,
) -> Worker:
    """The document activities only, on the render workers' own queue (role `render`)."""
    documents = DocumentActivities(archive, renderer)
    return Worker(
        client,
        task_queue=render_queue,
        activities=[documents.produce_document, documents.produce_documents],
        activity_executor=ThreadPoolExecutor(max_workers=render_slots * 2 + 4),
        max_concurrent_activities=render_slots * 2 + 4,
        interceptors=[ActivityLogInterceptor()],
        **options,
    )


def role_problem(role: str, settings: Settings) -> str:
    """Why this role cannot run with these settings; "" when it can."""
    if role not in ROLES:
        return f"Peran worker '{role}' tidak dikenal: {', '.join(ROLES)}."
    if role != "all" and not settings.render_queue:
        return (
            f"Peran worker '{role}' memerlukan REPLIKASI_RENDER_TASK_QUEUE yang berbeda dari "
            f"REPLIKASI_TASK_QUEUE ({settings.task_queue}): tanpa itu dokumen tidak dirender "
            "oleh siapa pun. Jalankan `replikasi worker` (peran all) atau setel variabelnya."
        )
    return ""


def _workers(
    client: Client, settings: Settings, role: str, archive: ArchiveStore, renderer: Renderer | None
) -> list[Worker]:
    """The workers of one role: on the task queue (with the registers' queue), on the render
    queue, or both (`all`)."""
    slots = settings.render_processes
    # Log channel always; e-mail when REPLIKASI_SMTP_HOST is set.
    notifier = NotifierActivities.from_settings(settings)
    if renderer is None:  # role "workflows"
        return create_workflow_worker(
            client, settings.task_queue, archive, notifier=notifier
        ).workers
    workers: list[Worker] = []
    if role == "all":
        workers.extend(
            create_worker(
                client,
                settings.task_queue,
                archive,
                renderer,
                render_slots=slots,
                notifier=notifier,
            ).workers
        )
    if settings.render_queue:  # "all" and "render"
        workers.append(
            create_render_worker(
                client, settings.render_queue, archive, renderer, render_slots=slots
            )
        )
    return workers


async def run_worker(
    client: Client,
    settings: Settings | None = None,
    stop: asyncio.Event | None = None,
    role: str = "all",
) -> None:
    """Run until `stop` is set (or forever), with a render pool sized from settings."""
    settings = settings or get_settings()
    archive = ArchiveStore.from_settings(settings)
    archive.ensure_bucket()
    renderer = None if role == "workflows" else ProcessPoolRenderer(settings.render_processes)
    try:
        if renderer is not None:
            # Poll only once the render processes have imported WeasyPrint and loaded the
            # fonts (~0.8 s), so the first coordinator's letter does not pay for it.
            await asyncio.to_thread(renderer.wait_ready)
            await asyncio.to_thread(warm_up_signing)
        # boto3's service models, the SDK and pyhanko are loaded: out of every collection.
        settle_heap()
        async with AsyncExitStack() as running:
            for each in _workers(client, settings, role, archive, renderer):
                await running.enter_async_context(each)
                logger.info("worker (%s) polling task queue %s", role, each.task_queue)
            await (stop or asyncio.Event()).wait()
    finally:
        if renderer is not None:
            renderer.close()
