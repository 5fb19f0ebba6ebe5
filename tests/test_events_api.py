"""`POST /api/replikasi/{id}/peristiwa/{event}`: events from other systems, in process
through ASGI, against the real Temporal dev server."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import httpx
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle

from app import apitokens
from app.settings import Settings
from app.web.main import create_app
from tests import factories
from tests.conftest import Harness
from tests.test_cli import replikasi
from tests.test_replication_workflow import history_length, status
from tests.visibility import eventually

# A workflow waiting for people ends its history with a completed task or its reminder timer.
WAITING = {EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_TIMER_STARTED}


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    return tmp_path / "tokens.yaml"


def api(harness: Harness, token_file: Path) -> httpx.AsyncClient:
    settings = replace(
        Settings(),
        temporal_address=harness.client.service_client.config.target_host,
        task_queue=harness.task_queue,
        api_tokens_file=token_file,
    )
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://replikasi.test")


async def deliver(
    harness: Harness, token_file: Path, rid: str, event: str, body: object, headers: dict[str, str]
) -> httpx.Response:
    """One POST of an event, as another system sends it."""
    async with api(harness, token_file) as web:
        return await web.post(f"/api/replikasi/{rid}/peristiwa/{event}", json=body, headers=headers)


def consent() -> dict[str, object]:
    return asdict(factories.document_input("berita_acara_kesepakatan").facts.consent)


async def started(harness: Harness) -> tuple[str, WorkflowHandle]:
    inp = harness.replication()
    return inp.replication_id, await harness.start(inp)


async def settled(handle: WorkflowHandle) -> int:
    """The history length once the opening letter and manifest are done (nothing pending)."""

    async def idle() -> tuple[int, int, str]:
        history = await handle.fetch_history()
        pending = len((await handle.describe()).raw_description.pending_activities)
        return len((await status(handle)).documents), pending, history.events[-1].event_type

    await eventually(idle, lambda s: s[0] == 1 and s[1] == 0 and s[2] in WAITING)
    return await history_length(handle)


async def test_valid_event_moves_the_workflow(harness: Harness, token_file: Path) -> None:
    """A consent with a good token is applied: transfer stage, its two letters archived."""
    token = apitokens.create_token(token_file, "srikandi-sulsel")
    rid, handle = await started(harness)

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "surat-440-1127"}
    response = await deliver(harness, token_file, rid, "kesediaan", consent(), headers)

    assert 200 == response.status_code, response.text
    assert "transfer_pengetahuan" == response.json()["stage"]
    assert 2 == len(response.json()["documents"])
    assert "transfer_pengetahuan" == (await status(handle)).stage


async def test_repeated_delivery_is_applied_once(harness: Harness, token_file: Path) -> None:
    """The same Idempotency-Key twice: one update in history, the same answer twice."""
    token = apitokens.create_token(token_file, "srikandi-sulsel")
    rid, handle = await started(harness)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "kirim-1"}
    path = f"/api/replikasi/{rid}/peristiwa/kesediaan"

    async with api(harness, token_file) as web:
        first = await web.post(path, json=consent(), headers=headers)
        length = await history_length(handle)
        again = await web.post(path, json=consent(), headers=headers)

    assert (200, 200) == (first.status_code, again.status_code), again.text
    assert first.json() == again.json()
    assert length == await history_length(handle)
    assert 3 == len((await status(handle)).documents)


@pytest.mark.parametrize(
    ("event", "body", "reason"),
    [
        ("rencana_aksi", asdict(factories.plan(1)), "tidak sesuai tahap 'seleksi'"),
        ("kesediaan", {"tanggal": "2020-10-08", "catatn": "x"}, "kolom tidak dikenal: catatn"),
        ("kesediaan", {**consent(), "tanggal": "2020-13-40"}, "tidak dikenali; tulis TTTT-BB-HH"),
        ("setuju", {}, "Peristiwa 'setuju' tidak dikenal"),
    ],
    ids=["wrong-stage", "unknown-field", "bad-date", "unknown-event"],
)
async def test_invalid_event_is_refused_and_writes_nothing(
    harness: Harness, token_file: Path, event: str, body: dict[str, object], reason: str
) -> None:
    """A refused event answers 422 with the same reason as `replikasi send`; history as before."""
    token = apitokens.create_token(token_file, "dasbor-provinsi")
    rid, handle = await started(harness)
    before = await settled(handle)

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"}
    response = await deliver(harness, token_file, rid, event, body, headers)

    assert 422 == response.status_code
    assert reason in response.json()["detail"]
    assert before == await history_length(handle)


@pytest.mark.parametrize(
    "authorization", ["", "Bearer salah", "Basic c3Jpa2FuZGk6eA=="], ids=["none", "wrong", "basic"]
)
async def test_missing_or_wrong_token_is_401(
    harness: Harness, token_file: Path, authorization: str
) -> None:
    """Without a known bearer token nothing is delivered: 401, and history unchanged."""
    apitokens.create_token(token_file, "srikandi-sulsel")
    rid, handle = await started(harness)
    before = await settled(handle)
    headers = {"Idempotency-Key": "k-1"} | (
        {"Authorization": authorization} if authorization else {}
    )

    response = await deliver(harness, token_file, rid, "kesediaan", consent(), headers)

    assert 401 == response.status_code
    assert "Bearer" == response.headers["WWW-Authenticate"]
    assert before == await history_length(handle)


async def test_idempotency_key_is_required(harness: Harness, token_file: Path) -> None:
    """Without an Idempotency-Key a delivery could be applied twice: 400, with the rule."""
    token = apitokens.create_token(token_file, "srikandi-sulsel")

    headers = {"Authorization": f"Bearer {token}"}
    response = await deliver(harness, token_file, "x", "kesediaan", consent(), headers)

    assert 400 == response.status_code
    assert "Idempotency-Key wajib" in response.json()["detail"]


def test_token_file_holds_only_hashes(token_file: Path) -> None:
    """The file names integrations and sha256 digests, never a token; a new token replaces."""
    old = apitokens.create_token(token_file, "srikandi-sulsel")
    new = apitokens.create_token(token_file, "srikandi-sulsel")
    hashes = apitokens.load_hashes(token_file)

    assert old not in token_file.read_text() and new not in token_file.read_text()
    assert {"srikandi-sulsel": apitokens.digest(new)} == hashes
    assert apitokens.integration_of(old, hashes) is None
    assert 0o600 == token_file.stat().st_mode & 0o777


async def test_cli_creates_a_token(token_file: Path) -> None:
    """`replikasi api-token NAME --file F` prints the token once and stores its hash."""
    done = await replikasi("api-token", "dasbor-provinsi", "--file", str(token_file))

    assert 0 == done.returncode, done.stderr
    token = done.stdout.strip()
    assert "dasbor-provinsi" == apitokens.integration_of(token, apitokens.load_hashes(token_file))


async def test_unknown_replication_is_404(harness: Harness, token_file: Path) -> None:
    """An event for a replication that does not exist answers 404, naming it."""
    token = apitokens.create_token(token_file, "srikandi-sulsel")

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"}
    response = await deliver(harness, token_file, "tidak-ada-xyz", "kesediaan", consent(), headers)

    assert 404 == response.status_code
    assert "Replikasi 'tidak-ada-xyz' tidak ditemukan" in response.json()["detail"]
