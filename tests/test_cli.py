"""The `replikasi` command line, run as a user runs it: in a subprocess, reading exit codes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from tests import factories
from tests.conftest import Harness, own_register

CLI = [sys.executable, "-c", "from app.cli import main; main()"]


def cli_env(harness: Harness | None) -> dict[str, str]:
    env = dict(os.environ)
    if harness is not None:
        env["TEMPORAL_ADDRESS"] = harness.client.service_client.config.target_host
        env["REPLIKASI_TASK_QUEUE"] = harness.task_queue
    return env


async def replikasi(
    *args: str, harness: Harness | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run one CLI command without blocking the event loop the test worker runs on."""
    return await asyncio.to_thread(
        subprocess.run,
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=cli_env(harness),
        input=stdin,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )


def write_yaml(path: Path, obj: object) -> Path:
    path.write_text(yaml.safe_dump(dataclasses.asdict(obj), allow_unicode=True))  # type: ignore[arg-type]
    return path


async def test_unknown_field_is_one_line_error_before_connecting(tmp_path: Path) -> None:
    """A typo in an event file is named in one line, exit 1, no traceback, no server needed."""
    event = tmp_path / "kesediaan.yaml"
    event.write_text("tanggal: 2020-10-08\ncatatn: typo\n")

    done = await replikasi("send", "palopo-x", "kesediaan", "--file", str(event))

    assert 1 == done.returncode
    assert "kolom tidak dikenal: catatn" in done.stderr
    assert "Traceback" not in done.stderr
    assert 1 == len(done.stderr.strip().splitlines())


async def test_unreachable_temporal_is_one_line_error() -> None:
    """Without a server the user is told where it looked and what to run."""
    env = {"TEMPORAL_ADDRESS": "127.0.0.1:1"}
    done = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "status", "x"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )

    assert 1 == done.returncode
    assert "Temporal tidak dapat dihubungi di 127.0.0.1:1" in done.stderr


async def test_start_send_status_documents(harness: Harness, tmp_path: Path) -> None:
    """start → send → status → documents through the CLI, and a rejected event exits 1."""
    replication_id = f"cli-{uuid.uuid4().hex[:8]}"
    source = write_yaml(tmp_path / "r.yaml", own_register(factories.replication(replication_id)))
    consent = factories.document_input("berita_acara_kesepakatan").facts.consent
    event = write_yaml(tmp_path / "kesediaan.yaml", consent)

    started = await replikasi("start", str(source), harness=harness)
    sent = await replikasi(
        "send", replication_id, "kesediaan", "--file", str(event), harness=harness
    )
    again = await replikasi(
        "send", replication_id, "kesediaan", "--file", str(event), harness=harness
    )
    status = await replikasi("status", replication_id, "--json", harness=harness)
    listing = await replikasi("documents", replication_id, "--json", harness=harness)

    assert (0, replication_id) == (started.returncode, started.stdout.strip())
    assert 0 == sent.returncode, sent.stderr
    assert "berita_acara_kesepakatan-v1.pdf" in sent.stdout
    assert 1 == again.returncode
    assert "tidak sesuai tahap 'transfer_pengetahuan'" in again.stderr
    assert "transfer_pengetahuan" == json.loads(status.stdout)["stage"]
    kinds = [doc["kind"] for doc in json.loads(listing.stdout)]
    assert ["surat_permohonan", "surat_kesediaan", "berita_acara_kesepakatan"] == kinds


@pytest.mark.timeout(600)
async def test_twenty_runs_all_exit_cleanly(harness: Harness, tmp_path: Path) -> None:
    """A Temporal client at interpreter exit can abort (sdk-python#300): 20 runs, 20 zeros."""
    replication_id = f"cli-{uuid.uuid4().hex[:8]}"
    source = write_yaml(tmp_path / "r.yaml", own_register(factories.replication(replication_id)))
    assert 0 == (await replikasi("start", str(source), harness=harness)).returncode

    codes = [
        (await replikasi("status", replication_id, "--json", harness=harness)).returncode
        for _ in range(20)
    ]

    assert [0] * 20 == codes


async def test_forum_start_status_and_rejected_event(harness: Harness, tmp_path: Path) -> None:
    """`forum start` prints the id; `forum status --json` has the stage; a wrong event: exit 1."""
    forum = factories.forum(f"forum-cli-{uuid.uuid4().hex[:8]}", pasangan=1)
    forum = dataclasses.replace(
        forum,
        penyelenggara=dataclasses.replace(forum.penyelenggara, kode=f"org-{forum.forum_id}"),
        pasangan=[own_register(p) for p in forum.pasangan],
    )
    path = write_yaml(tmp_path / "forum.yaml", forum)
    closing = write_yaml(tmp_path / "selesai.yaml", factories.forum_closing())

    started = await replikasi("forum", "start", str(path), harness=harness)
    status = await replikasi("forum", "status", forum.forum_id, "--json", harness=harness)
    early = await replikasi(
        "forum", "send", forum.forum_id, "forum_selesai", "--file", str(closing), harness=harness
    )

    assert (0, forum.forum_id) == (started.returncode, started.stdout.strip()), started.stderr
    assert "undangan" == json.loads(status.stdout)["stage"]
    assert 1 == early.returncode
    assert "Yang ditunggu sekarang: kehadiran." in early.stderr
    assert "Traceback" not in early.stderr
    await harness.client.get_workflow_handle(f"forum-{forum.forum_id}").terminate("uji selesai")


async def test_decide_and_tenggat_follow_the_chain(harness: Harness) -> None:
    """`decide` refuses the signer while paraf is pending (exit 1, one line); `tenggat`
    moves a paraf official's deadline and `status` shows it with the group."""
    from tests.test_chains import chained, to_pengesahan

    inp = chained(harness)
    handle = await harness.start(inp)
    await to_pengesahan(handle)
    rid = inp.replication_id

    early = await replikasi("decide", rid, "--as", "sekda.palopo", "approve", harness=harness)
    moved = await replikasi(
        "tenggat", rid, "--untuk", "kabid.kesmas", "--sampai", "2099-01-10", harness=harness
    )
    status = await replikasi("status", rid, harness=harness)
    paraf = await replikasi("decide", rid, "--as", "kabid.kesmas", "approve", harness=harness)

    assert 1 == early.returncode
    assert [
        f"replikasi: 'sekda.palopo' tidak dapat memutuskan replikasi '{rid}' sekarang; "
        "yang dapat memutuskan: kabid.kesmas, sekdis.palopo."
    ] == early.stderr.strip().splitlines()
    assert 0 == moved.returncode, moved.stderr
    assert "Tenggat keputusan kabid.kesmas: 2099-01-10T23:59:00+08:00." in moved.stdout
    assert "kelompok    : 1 dari 3 (paraf, kuorum 2)" in status.stdout
    assert "tenggat 2099-01-10T23:59:00+08:00; eskalasi ke sekdis.palopo" in status.stdout
    assert 0 == paraf.returncode, paraf.stderr
    assert "kelompok ini masih menunggu sekdis.palopo" in paraf.stdout
    await handle.terminate("uji selesai")
