"""`replikasi export` / `verify-export`: a finished replication's hand-over ZIP verifies,
and a ZIP with one changed byte fails, naming the file."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from app.export import SUMS_NAME, export_replication, verify_zip
from tests.conftest import Harness
from tests.fixtures.servers import S3Stack
from workflows.models import InnovatorDeclineInput, ReplicationResult
from workflows.replication import ReplicationWorkflow

CLI = [sys.executable, "-c", "from app.cli import main; main()"]


async def declined(harness: Harness) -> ReplicationResult:
    """The shortest finished replication: permohonan, penutupan, rekam jejak."""
    handle = await harness.start(harness.replication())
    await handle.execute_update(
        ReplicationWorkflow.penolakan,
        InnovatorDeclineInput(tanggal="2020-10-09", alasan="Inovasi sedang dievaluasi."),
    )
    return await handle.result()


def with_changed_byte(data: bytes, name: str) -> bytes:
    """The same ZIP (same SHA256SUMS) with one byte of ``name`` flipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == name:
                middle = len(body) // 2
                body = body[:middle] + bytes([body[middle] ^ 0x01]) + body[middle + 1 :]
            target.writestr(info.filename, body)
    return out.getvalue()


async def test_export_of_finished_replication_verifies(harness: Harness) -> None:
    result = await declined(harness)

    data = await export_replication(harness.archive, result.replication_id, harness.client)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        decisions = json.loads(archive.read("decisions.json"))
        sums = archive.read(SUMS_NAME).decode()
    expected = {f"dokumen/{Path(r.pdf_key).name}" for r in result.documents} | {
        f"dokumen/{Path(r.docx_key).name}" for r in result.documents
    }
    assert expected | {"manifest.json", "decisions.json", SUMS_NAME} == names
    assert 6 == len(expected)
    assert "ditolak" == decisions["stage"]
    history_types = {event["type"] for event in decisions["workflow"]["history"]}
    assert "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED" in history_types
    # A summary: names of activities and updates, no payloads (no letters' contents).
    assert "produce_document" in {e.get("name") for e in decisions["workflow"]["history"]}
    assert "Inovasi sedang dievaluasi" not in json.dumps(decisions["workflow"])
    assert len(names) - 1 == len(sums.splitlines())
    report = verify_zip(data)
    assert report.ok, report.problems
    assert len(names) - 1 == len(report.checked)


async def test_changed_byte_fails_naming_the_file(harness: Harness) -> None:
    result = await declined(harness)
    data = await export_replication(harness.archive, result.replication_id)
    target = f"dokumen/{Path(result.documents[0].pdf_key).name}"

    report = verify_zip(with_changed_byte(data, target))

    assert not report.ok
    assert [f"{target}: sha256 tidak sesuai SHA256SUMS"] == [
        p for p in report.problems if "SHA256SUMS" in p
    ]
    assert any(target in p and "manifest.json" in p for p in report.problems)
    # A flipped byte in the manifest itself is caught by SHA256SUMS.
    assert any(
        "manifest.json" in p for p in verify_zip(with_changed_byte(data, "manifest.json")).problems
    )
    assert ["berkas bukan ZIP yang utuh"] == verify_zip(b"bukan zip").problems


async def test_cli_export_and_verify(harness: Harness, s3_stack: S3Stack, tmp_path: Path) -> None:
    """As a user runs it: export without Temporal's help, verify (exit 0), tamper (exit 1)."""
    result = await declined(harness)
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_S3": s3_stack.settings.s3_endpoint,
        "AWS_ACCESS_KEY_ID": s3_stack.settings.s3_access_key,
        "AWS_SECRET_ACCESS_KEY": s3_stack.settings.s3_secret_key,
        "REPLIKASI_BUCKET": harness.archive.bucket,
        "TEMPORAL_ADDRESS": harness.client.service_client.config.target_host,
    }
    out = tmp_path / "serah-terima.zip"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args], capture_output=True, text=True, env=env, timeout=120, check=False
        )

    exported = await asyncio.to_thread(run, "export", result.replication_id, "--out", str(out))
    assert 0 == exported.returncode, exported.stderr
    # Without Temporal (workflow gone, server down) the documents still come from S3.
    env["TEMPORAL_ADDRESS"] = "127.0.0.1:1"
    offline = tmp_path / "tanpa-temporal.zip"
    exported = await asyncio.to_thread(run, "export", result.replication_id, "--out", str(offline))
    assert 0 == exported.returncode, exported.stderr
    assert verify_zip(offline.read_bytes()).ok
    missing = await asyncio.to_thread(run, "export", "tidak-ada", "--out", str(offline))
    assert 1 == missing.returncode
    assert "Replikasi 'tidak-ada' tidak ada di arsip" in missing.stderr
    verified = await asyncio.to_thread(run, "verify-export", str(out))
    assert 0 == verified.returncode, verified.stdout + verified.stderr
    assert "UTUH: 8 berkas cocok, 0 masalah" in verified.stdout

    target = f"dokumen/{Path(result.documents[-1].docx_key).name}"
    out.write_bytes(with_changed_byte(out.read_bytes(), target))
    tampered = await asyncio.to_thread(run, "import", str(out), "--verify")
    assert 1 == tampered.returncode
    assert f"GAGAL  {target}: sha256 tidak sesuai SHA256SUMS" in tampered.stdout
    assert "TIDAK UTUH" in tampered.stdout
