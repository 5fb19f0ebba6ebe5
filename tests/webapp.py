"""Helpers for the web tests: accounts of one test, a replication waiting at pengesahan."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import yaml
from fastapi import FastAPI
from temporalio.client import WorkflowHandle

from activities.signing.pki import SignerIdentity, ensure_pki
from app.accounts import hash_password
from app.settings import Settings, get_settings
from app.web.deps import get_client
from app.web.main import create_app
from app.web.verifikasi import get_archive
from tests import factories
from tests.conftest import Harness
from tests.test_replication_workflow import through_transfer
from workflows.models import Approver
from workflows.replication import ReplicationWorkflow

PASSWORD = "sandi-uji-2020"


@dataclass(frozen=True)
class People:
    """User ids of one test (tests share a Temporal server: inboxes must not overlap)."""

    kadinkes: str
    sekda: str
    lain: str  # an approver of no replication of this test
    koordinator: str

    @classmethod
    def new(cls) -> People:
        tag = uuid.uuid4().hex[:8]
        return cls(f"kadinkes.{tag}", f"sekda.{tag}", f"kadis.{tag}", f"koordinator.{tag}")

    def users(self) -> list[str]:
        return [self.kadinkes, self.sekda, self.lain, self.koordinator]


def write_accounts(path: Path, people: People) -> Path:
    sandi = hash_password(PASSWORD)
    entries = [
        {"user": people.kadinkes, "nama": "dr. Andi Rahmawati Saleh, M.Kes.", "peran": "penyetuju"},
        {"user": people.sekda, "nama": "Drs. Muhammad Arifin Tahir, M.Si.", "peran": "penyetuju"},
        {"user": people.lain, "nama": "Drs. Hasanuddin Pabbicara, M.Si.", "peran": "penyetuju"},
        {"user": people.koordinator, "nama": "Koordinator Hub JIPP", "peran": "koordinator"},
    ]
    path.write_text(yaml.safe_dump({"akun": [{**e, "sandi": sandi} for e in entries]}))
    return path


def web_settings(harness: Harness, accounts: Path) -> Settings:
    address = harness.client.service_client.config.target_host
    return replace(Settings(), temporal_address=address, accounts_file=accounts)


def in_process_app(harness: Harness, accounts: Path) -> FastAPI:
    """The app on the test's own Temporal client and archive bucket."""
    app = create_app(web_settings(harness, accounts))
    app.dependency_overrides[get_client] = lambda: harness.client
    app.dependency_overrides[get_archive] = lambda: harness.archive
    return app


def http(app: FastAPI) -> httpx.AsyncClient:
    # https: the session cookie is Secure outside development, and httpx honours that.
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="https://replikasi.test")


async def api_sign_in(web: httpx.AsyncClient, user: str) -> str:
    """Sign in through the API; the CSRF token to send with every POST."""
    response = await web.post("/api/masuk", json={"user": user, "sandi": PASSWORD})
    assert 200 == response.status_code, response.text
    return str(response.json()["csrf_token"])


def form_csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


async def at_pengesahan(harness: Harness, people: People) -> WorkflowHandle:
    """A replication whose plan v1 waits for `people.kadinkes`, then `people.sekda`; both
    get a certificate in the session's PKI, since the documents they approve are signed."""
    signers = [SignerIdentity(user, user, "Pejabat Uji") for user in people.users()]
    ensure_pki(get_settings().pki_dir, signers)
    inp = harness.replication()
    chain = [
        Approver(user=people.kadinkes, peran="Disetujui oleh", pejabat=factories.KADINKES_PALOPO),
        Approver(user=people.sekda, peran="Disahkan oleh", pejabat=factories.SEKDA_PALOPO),
    ]
    handle = await harness.start(replace(inp, approvers=chain))
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    return handle
