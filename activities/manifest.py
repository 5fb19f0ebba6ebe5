"""manifest.json per replication: every archived file with its key and sha256.

Scripts and auditors read it without Temporal; it is rewritten after every event, so it
always matches what the workflow has archived.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from temporalio import activity

from activities.archive import ArchiveStore, manifest_key
from workflows.models import DOCUMENT_TITLES, DocumentRef, ManifestInput

MANIFEST_FORMAT = 1


def manifest_entries(ref: DocumentRef) -> list[dict[str, Any]]:
    common = {
        "seq": ref.seq,
        "kind": ref.kind,
        "title": DOCUMENT_TITLES.get(ref.kind, ref.kind),
        "version": ref.version,
        "nomor": ref.nomor,
        "tanggal": ref.tanggal,
    }
    return [
        {
            **common,
            "format": "pdf",
            "key": ref.pdf_key,
            "sha256": ref.pdf_sha256,
            "size": ref.pdf_size,
            "pages": ref.pages,
        },
        {
            **common,
            "format": "docx",
            "key": ref.docx_key,
            "sha256": ref.docx_sha256,
            "size": ref.docx_size,
        },
    ]


def build_manifest(inp: ManifestInput) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "replication": inp.replication_id,
        "nama_lokal": inp.nama_lokal,
        "stage": inp.stage,
        "workflow_run_id": inp.workflow_run_id,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": [entry for ref in inp.documents for entry in manifest_entries(ref)],
        "decisions": [
            {
                "approver": d.approver,
                "nama": d.nama,
                "jabatan": d.jabatan,
                "decision": d.decision,
                "note": d.note,
                "version": d.version,
                "at": d.at,
                "tanggal": d.tanggal,
                # Under a chain: for whom a delegate acted (a.n./Plh.), in which group.
                "pemegang": d.pemegang or d.approver,
                "sebagai": d.sebagai,
                "kelompok": d.kelompok,
                "jenis": d.jenis,
            }
            for d in inp.decisions
        ],
    }


class ManifestActivities:
    def __init__(self, archive: ArchiveStore) -> None:
        self._archive = archive

    @activity.defn
    async def write_manifest(self, inp: ManifestInput) -> str:
        # A local activity (workflows/archiving.py): on the event loop's own threads, not
        # the activity executor, whose threads may all be waiting for render processes.
        return await asyncio.to_thread(self.put_manifest, inp)

    def put_manifest(self, inp: ManifestInput) -> str:
        key = manifest_key(inp.year, inp.replication_id)
        self._archive.put_json(key, build_manifest(inp))
        return key
