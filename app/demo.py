"""`replikasi demo`: the Palopo 2020 forum and its replications, end to end, verified.

Starts whatever is not running (Temporal, S3, a worker), runs the forum of
examples/palopo-2020 (forum.yaml: invitations, attendance, report) whose closing starts one
replication per pair, then drives each replication through its own events and decisions,
and checks each archived file against the hash the workflow recorded and the manifest.
Safe to run again and again: each run replaces the forum and the replications of the same
ids, and keys are stable.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.client import Client

from app import service
from app.settings import Settings
from app.yamlio import load_yaml
from workflows.models import (
    SIGNED_KINDS,
    DocumentRef,
    EventResult,
    ForumInput,
    ForumResult,
    ReplicationInput,
    ReplicationResult,
)


@dataclass
class Scenario:
    path: Path
    replication: ReplicationInput
    steps: list[dict[str, Any]]
    expect_stage: str = "selesai"
    expect_documents: int = 0


@dataclass
class Check:
    replication_id: str
    stage: str
    documents: list[DocumentRef] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # PDF key -> what its PAdES signature says (signed kinds only).
    signatures: dict[str, str] = field(default_factory=dict)


@dataclass
class ForumScenario:
    path: Path
    forum: ForumInput
    steps: list[dict[str, Any]]
    expect_stage: str = "selesai"
    expect_documents: int = 0
    expect_replications: int = 0


def load_forum_scenario(folder: Path) -> ForumScenario | None:
    """The forum of the folder (a *.yaml with `forum:` and `skenario:`), if there is one."""
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict) or "forum" not in data or "skenario" not in data:
            continue
        expect = data.get("harapan") or {}
        return ForumScenario(
            path=path,
            forum=service.parse_forum(data, path.parent),
            steps=list(data["skenario"]),
            expect_stage=expect.get("tahap", "selesai"),
            expect_documents=int(expect.get("dokumen", 0)),
            expect_replications=int(expect.get("replikasi", 0)),
        )
    return None


def load_scenarios(folder: Path) -> list[Scenario]:
    scenarios = []
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, dict) or "skenario" not in data or "forum" in data:
            continue
        expect = data.get("harapan") or {}
        scenarios.append(
            Scenario(
                path=path,
                replication=service.parse_replication(data),
                steps=list(data["skenario"]),
                expect_stage=expect.get("tahap", "selesai"),
                expect_documents=int(expect.get("dokumen", 0)),
            )
        )
    if not scenarios:
        raise service.InvalidInput(f"tidak ada skenario (*.yaml dengan 'skenario:') di {folder}")
    return scenarios


def say(replication_id: str, text: str) -> None:
    print(f"[{replication_id}] {text}", flush=True)


async def apply_step(client: Client, replication_id: str, step: dict[str, Any]) -> EventResult:
    """One scenario step: a coordinator event (``kirim``) or an approver's decision."""
    if "kirim" in step:
        return await service.send_event(client, replication_id, step["kirim"], step.get("data"))
    decision = step["putuskan"]
    return await service.decide(
        client,
        replication_id,
        decision["oleh"],
        decision["keputusan"],
        decision.get("catatan", ""),
        str(decision.get("tanggal", "")),
        # A delegate holding delegations of two pending officials names whom they act for.
        atas_nama=str(decision.get("untuk", "")),
    )


def step_label(step: dict[str, Any]) -> str:
    if "kirim" in step:
        return str(step["kirim"])
    return f"{step['putuskan']['oleh']} {step['putuskan']['keputusan']}"


async def run_step(client: Client, replication_id: str, step: dict[str, Any]) -> None:
    result = await apply_step(client, replication_id, step)
    label = step_label(step)
    say(replication_id, f"{label:<28} → {result.stage:<22} {len(result.documents)} dokumen")


async def run_forum(client: Client, scenario: ForumScenario, task_queue: str) -> ForumResult:
    """Start the forum afresh, send its events, and wait until it has started its pairs."""
    forum = scenario.forum
    for pair in forum.pasangan:
        # A pair left running by an interrupted earlier run would block the forum's child.
        if await service.terminate_if_running(client, pair.replication_id, "demo diulang"):
            say(pair.replication_id, "replikasi lama dihentikan; akan dimulai ulang oleh forum")
    await service.start_forum(client, forum, task_queue=task_queue, restart=True)
    say(forum.forum_id, f"forum dimulai: {forum.acara}")
    for step in scenario.steps:
        result = await service.send_forum_event(
            client, forum.forum_id, step["kirim"], step.get("data")
        )
        say(
            forum.forum_id,
            f"{step['kirim']:<28} → {result.stage:<22} {len(result.documents)} dokumen",
        )
    return await asyncio.wait_for(service.forum_result(client, forum.forum_id), timeout=120)


async def run_scenario(
    client: Client, scenario: Scenario, task_queue: str, started_by_forum: bool = False
) -> ReplicationResult:
    replication_id = scenario.replication.replication_id
    if started_by_forum:
        say(replication_id, f"dimulai oleh forum: {scenario.replication.nama_lokal}")
    else:
        await service.start_replication(
            client, scenario.replication, task_queue=task_queue, restart=True
        )
        say(replication_id, f"dimulai: {scenario.replication.nama_lokal}")
    for step in scenario.steps:
        await run_step(client, replication_id, step)
    return await asyncio.wait_for(service.result(client, replication_id), timeout=120)


def verify(
    archive: Any, scenario: Scenario, result: ReplicationResult, trust: bytes | None = None
) -> Check:
    """Every file in S3 with the recorded hash, listed in the manifest; stage as expected;
    each signed kind's PDF validly signed (chained to ``trust``, the CA certificate)."""
    check = Check(result.replication_id, result.stage, result.documents)
    _verify_archive(archive, check, scenario.expect_stage, scenario.expect_documents, result)
    for ref in result.documents:
        if ref.kind in SIGNED_KINDS:
            _verify_signature(archive, check, ref.pdf_key, trust)
    return check


def verify_forum(archive: Any, scenario: ForumScenario, result: ForumResult) -> Check:
    """The forum's documents as a replication's, and every pair started."""
    check = Check(f"forum {result.forum_id}", result.stage, result.documents)
    _verify_archive(archive, check, scenario.expect_stage, scenario.expect_documents, result)
    started = len(result.replikasi)
    if scenario.expect_replications and started != scenario.expect_replications:
        check.problems.append(
            f"{started} replikasi dimulai, diharapkan {scenario.expect_replications}"
        )
    return check


def _verify_archive(
    archive: Any,
    check: Check,
    expect_stage: str,
    expect_documents: int,
    result: ReplicationResult | ForumResult,
) -> None:
    if result.stage != expect_stage:
        check.problems.append(f"tahap {result.stage}, diharapkan {expect_stage}")
    if expect_documents and len(result.documents) != expect_documents:
        check.problems.append(f"{len(result.documents)} dokumen, diharapkan {expect_documents}")
    manifest = archive.get_json(result.manifest_key) or {"documents": []}
    listed = {entry["key"]: entry["sha256"] for entry in manifest["documents"]}
    for ref in result.documents:
        for key, sha in ((ref.pdf_key, ref.pdf_sha256), (ref.docx_key, ref.docx_sha256)):
            actual = hashlib.sha256(archive.get(key)).hexdigest()
            if actual != sha or listed.get(key) != sha:
                check.problems.append(f"{key}: sha256 tidak cocok atau tidak ada di manifest")


def _verify_signature(archive: Any, check: Check, key: str, trust: bytes | None) -> None:
    """A signed kind's PDF as `replikasi verify` checks it: archived bytes, valid PAdES."""
    from activities.verification import verify_file

    result = verify_file(archive, archive.get(key), trust)
    if result.signature is None or not result.authentic:
        check.problems.append(f"{key}: tanda tangan elektronik tidak sah: {result.reason}")
    else:
        check.signatures[key] = result.signature.keterangan


def print_report(checks: list[Check]) -> None:
    for check in checks:
        status = "OK" if not check.problems else "GAGAL"
        print(
            f"\n{check.replication_id}: {check.stage}, {len(check.documents)} dokumen  [{status}]"
        )
        for ref in check.documents:
            print(f"  {ref.kind:<26} v{ref.version}  {ref.nomor or '-':<26} {ref.pdf_key}")
            print(f"  {'':<26}     sha256 {ref.pdf_sha256}")
            if ref.pdf_key in check.signatures:
                print(f"  {'':<26}     TTE: {check.signatures[ref.pdf_key]}")
        for problem in check.problems:
            print(f"  MASALAH: {problem}")


async def run_demo(settings: Settings, folder: Path) -> int:
    from activities.archive import ArchiveStore
    from app.runner import run_worker_until_stopped
    from app.stack import EmbeddedStack

    scenarios = load_scenarios(folder)
    forum = load_forum_scenario(folder)
    in_forum = {p.replication_id for p in forum.forum.pasangan} if forum else set()
    trust = ensure_dev_pki(settings, folder)
    async with AsyncExitStack() as cleanup:
        stack = cleanup.enter_context(EmbeddedStack.from_settings(settings))
        print(f"stack: {stack.describe()}", flush=True)
        client = await service.connect(settings)
        archive = ArchiveStore.from_settings(settings)
        archive.ensure_bucket()
        if not await service.has_worker(client, settings.task_queue):
            stop = asyncio.Event()
            worker = asyncio.create_task(run_worker_until_stopped(settings, stop))
            cleanup.push_async_callback(_stop_worker, stop, worker)
        checks = []
        if forum is not None:
            forum_result = await run_forum(client, forum, settings.task_queue)
            checks.append(verify_forum(archive, forum, forum_result))
        results = await asyncio.gather(
            *(
                run_scenario(
                    client, s, settings.task_queue, s.replication.replication_id in in_forum
                )
                for s in scenarios
            )
        )
        checks += [verify(archive, s, r, trust) for s, r in zip(scenarios, results, strict=True)]
    print_report(checks)
    total = sum(len(c.documents) for c in checks)
    failed = [c for c in checks if c.problems]
    forums = "1 forum, " if forum is not None else ""
    print(
        f"\n{forums}{len(scenarios)} replikasi, {total} dokumen × 2 berkas diarsipkan; "
        f"{'semua terverifikasi' if not failed else f'{len(failed)} GAGAL'}"
    )
    return 1 if failed else 0


def ensure_dev_pki(settings: Settings, folder: Path) -> bytes:
    """The signers' certificates for the scenario, made when missing (before the worker
    starts, so the signed kinds can be signed); returns the CA certificate."""
    from app import pki

    for line in pki.init(settings.pki_dir, sorted(folder.glob("*.yaml"))):
        print(f"pki: {line}", flush=True)
    return (settings.pki_dir / "ca.pem").read_bytes()


async def _stop_worker(stop: asyncio.Event, task: asyncio.Task[None]) -> None:
    stop.set()
    with suppress(asyncio.CancelledError):
        await task
