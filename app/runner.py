"""Long-running processes: worker, web app, and the embedded stack of `replikasi dev`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from contextlib import suppress

from app import service
from app.observability import configure_logging
from app.settings import Settings

logger = logging.getLogger("replikasi")


def stop_event() -> asyncio.Event:
    """Set on Ctrl-C or SIGTERM, so every part stops cleanly instead of being killed."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, event.set)
    return event


async def run_worker_until_stopped(
    settings: Settings, stop: asyncio.Event | None = None, role: str = "all"
) -> None:
    from worker import role_problem, run_worker

    problem = role_problem(role, settings)
    if problem:
        raise service.InvalidInput(problem)
    configure_logging(settings.log_format)
    # The worker is the process Prometheus scrapes (REPLIKASI_METRICS_PORT).
    client = await service.connect(settings, metrics=True)
    await run_worker(client, settings, stop or stop_event(), role)


async def run_web_until_stopped(settings: Settings, stop: asyncio.Event | None = None) -> None:
    import uvicorn

    from app.web.main import create_app

    configure_logging(settings.log_format)
    server_class = _quiet_server_class()
    config = uvicorn.Config(
        create_app(settings), host=settings.web_host, port=settings.web_port, log_level="warning"
    )
    server = server_class(config)
    stop = stop or stop_event()
    task = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await task


def _quiet_server_class() -> type:
    import uvicorn

    class QuietServer(uvicorn.Server):
        """Leaves SIGINT/SIGTERM to our stop event, so every part stops in order."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    return QuietServer


def _ensure_dev_pki(settings: Settings) -> None:
    """Certificates for the examples' signers, so the embedded stack signs out of the box
    (other approvers: `replikasi pki init FILE`)."""
    from app import pki

    for line in pki.init(settings.pki_dir, []):
        logger.info("pki: %s", line)


async def run_dev(settings: Settings) -> None:
    """Start what is not running (Temporal, S3, worker, web), stop it all on Ctrl-C."""
    from app.stack import EmbeddedStack, port_open

    configure_logging(settings.log_format)
    stop = stop_event()
    with EmbeddedStack.from_settings(settings) as stack:
        logger.info("stack: %s", stack.describe())
        client = await service.connect(settings)
        # A reused server may predate some search attributes; workflows upsert them all.
        added = await service.register_search_attributes(client)
        if added:
            logger.info("search attributes didaftarkan: %s", ", ".join(added))
        tasks = []
        if not await service.has_worker(client, settings.task_queue):
            _ensure_dev_pki(settings)
            tasks.append(asyncio.create_task(run_worker_until_stopped(settings, stop)))
        if not port_open("127.0.0.1", settings.web_port):
            tasks.append(asyncio.create_task(run_web_until_stopped(settings, stop)))
        logger.info(
            "siap: Temporal UI %s, S3 %s, web http://127.0.0.1:%s (Ctrl-C untuk berhenti)",
            stack.temporal_ui_url,
            stack.s3_endpoint,
            settings.web_port,
        )
        await stop.wait()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
