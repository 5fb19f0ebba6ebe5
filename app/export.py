"""Hand-over: one ZIP per replication for an e-office archive (e.g. SRIKANDI), and its check.

The ZIP holds every archived PDF and DOCX, the replication's manifest.json as stored in S3,
decisions.json (the decisions and a summary of the workflow's event history) and
SHA256SUMS (``sha256sum -c`` format) over every other file. Documents are read from S3 via
the manifest, so an export works even after the workflow is gone from Temporal; Temporal
only adds the history summary when it can still be reached.

The history summary names events, activities and updates, never their payloads: payloads
hold people's names and letters' contents, and whatever is not needed is not handed over.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from temporalio.client import Client

    from activities.archive import ArchiveStore

EXPORT_FORMAT = 1
SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "manifest.json"
DECISIONS_NAME = "decisions.json"
DOCUMENTS_DIR = "dokumen"


class ExportError(Exception):
    """The replication cannot be exported (not archived, or the archive is inconsistent)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_path(key: str) -> str:
    """Where an archived object sits in the ZIP: dokumen/<file name of its key>."""
    return f"{DOCUMENTS_DIR}/{PurePosixPath(key).name}"


def sums_text(files: dict[str, bytes]) -> str:
    return "".join(f"{sha256_hex(data)}  {name}\n" for name, data in sorted(files.items()))


def build_zip(files: dict[str, bytes]) -> bytes:
    """The ZIP of ``files`` plus their SHA256SUMS."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
        archive.writestr(SUMS_NAME, sums_text(files))
    return buffer.getvalue()


def read_archived(archive: ArchiveStore, replication_id: str) -> tuple[bytes, dict[str, bytes]]:
    """The stored manifest bytes and every document it lists, checked against its hashes."""
    prefix = archive.find_replication_prefix(replication_id)
    if prefix is None:
        raise ExportError(f"Replikasi '{replication_id}' tidak ada di arsip {archive.bucket}.")
    manifest_bytes = archive.get(prefix + MANIFEST_NAME)
    manifest = json.loads(manifest_bytes)
    documents: dict[str, bytes] = {}
    for entry in manifest.get("documents", []):
        data = archive.get(entry["key"])
        if sha256_hex(data) != entry["sha256"]:
            # Never hand over a file that no longer matches its record.
            raise ExportError(f"{entry['key']}: sha256 di arsip tidak sesuai manifest.")
        documents[document_path(entry["key"])] = data
    return manifest_bytes, documents


def _event_summary(event: Any) -> dict[str, Any]:
    """Type, time and the names of what happened; never the payloads."""
    from google.protobuf.json_format import MessageToDict

    raw = MessageToDict(event)
    summary: dict[str, Any] = {
        "id": raw.get("eventId"),
        "time": raw.get("eventTime"),
        "type": raw.get("eventType"),
    }
    for attributes in (v for k, v in raw.items() if k.endswith("Attributes")):
        if not isinstance(attributes, dict):
            continue
        name = (
            attributes.get("activityType", {}).get("name")
            or attributes.get("workflowType", {}).get("name")
            or attributes.get("signalName")
            or attributes.get("acceptedRequest", {}).get("input", {}).get("name")
        )
        if name:
            summary["name"] = name
        failure = attributes.get("failure", {})
        if failure.get("message"):
            summary["failure"] = failure["message"]
    return summary


async def workflow_record(client: Client, replication_id: str) -> dict[str, Any]:
    """Status decisions and an event-history summary from Temporal, if it still has them."""
    import asyncio

    from app.service import workflow_id
    from workflows.replication import ReplicationWorkflow

    handle = client.get_workflow_handle(workflow_id(replication_id))
    history = await handle.fetch_history()
    record: dict[str, Any] = {
        "workflow_id": handle.id,
        "history": [_event_summary(event) for event in history.events],
    }
    try:
        # A query needs a worker; without one it would wait, so it only gets a moment.
        status = await asyncio.wait_for(handle.query(ReplicationWorkflow.status), timeout=10)
        from app.payloads import to_dict

        record["stage"] = status.stage
        record["status_decisions"] = [to_dict(d) for d in status.decisions]
    except Exception as exc:  # the query is an extra; the manifest has the decisions
        record["status_error"] = type(exc).__name__
    return record


async def export_replication(
    archive: ArchiveStore, replication_id: str, client: Client | None = None
) -> bytes:
    """The hand-over ZIP's bytes."""
    import asyncio

    manifest_bytes, documents = await asyncio.to_thread(read_archived, archive, replication_id)
    manifest = json.loads(manifest_bytes)
    decisions: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "replication": replication_id,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stage": manifest.get("stage"),
        "decisions": manifest.get("decisions", []),
    }
    if client is not None:
        try:
            decisions["workflow"] = await workflow_record(client, replication_id)
        except Exception as exc:  # gone from Temporal (retention) or unreachable
            decisions["workflow"] = {"unavailable": f"{type(exc).__name__}: {exc}"[:200]}
    files = {
        MANIFEST_NAME: manifest_bytes,
        DECISIONS_NAME: json.dumps(decisions, ensure_ascii=False, indent=2).encode("utf-8"),
        **documents,
    }
    return build_zip(files)


@dataclass
class VerifyReport:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.checked)

    def lines(self) -> Iterable[str]:
        for name in self.checked:
            yield f"OK     {name}"
        for problem in self.problems:
            yield f"GAGAL  {problem}"
        verdict = "UTUH" if self.ok else "TIDAK UTUH"
        yield f"{verdict}: {len(self.checked)} berkas cocok, {len(self.problems)} masalah"


def _parse_sums(text: str, report: VerifyReport) -> dict[str, str]:
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            report.problems.append(f"{SUMS_NAME} baris {number} tidak terbaca")
            continue
        sums[name] = digest
    return sums


def verify_zip(data: bytes) -> VerifyReport:
    """Every file against SHA256SUMS, and every manifest entry against its file."""
    report = VerifyReport()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.problems.append("berkas bukan ZIP yang utuh")
        return report
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        if SUMS_NAME not in names:
            report.problems.append(f"{SUMS_NAME} tidak ada")
            return report
        sums = _parse_sums(archive.read(SUMS_NAME).decode("utf-8", "replace"), report)
        contents: dict[str, bytes] = {}
        for name in names:
            if name == SUMS_NAME:
                continue
            try:
                contents[name] = archive.read(name)
            except (zipfile.BadZipFile, OSError) as exc:
                # A changed byte in compressed data fails the ZIP's own CRC check.
                report.problems.append(f"{name}: tidak terbaca ({exc})")
        for name, digest in sorted(sums.items()):
            if name not in names:
                report.problems.append(f"{name}: tercantum di {SUMS_NAME} tetapi tidak ada")
            elif name in contents and sha256_hex(contents[name]) != digest:
                report.problems.append(f"{name}: sha256 tidak sesuai {SUMS_NAME}")
            elif name in contents:
                report.checked.append(name)
        for name in sorted(set(contents) - set(sums)):
            report.problems.append(f"{name}: tidak tercantum di {SUMS_NAME}")
        _check_manifest(contents, report)
    return report


def _check_manifest(contents: dict[str, bytes], report: VerifyReport) -> None:
    if MANIFEST_NAME not in contents:
        report.problems.append(f"{MANIFEST_NAME} tidak ada")
        return
    try:
        manifest = json.loads(contents[MANIFEST_NAME])
        entries = list(manifest["documents"])
    except (ValueError, KeyError, TypeError):
        report.problems.append(f"{MANIFEST_NAME} tidak terbaca")
        return
    for entry in entries:
        name = document_path(str(entry.get("key", "")))
        if name not in contents:
            report.problems.append(f"{name}: tercantum di {MANIFEST_NAME} tetapi tidak ada")
        elif sha256_hex(contents[name]) != entry.get("sha256"):
            report.problems.append(f"{name}: sha256 tidak sesuai {MANIFEST_NAME}")
