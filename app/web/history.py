"""An approver's decisions: of running replications from their workflows, of ended ones
from their manifest.json in the archive (written after every event, decisions included),
so the history stays whole without replaying every ended workflow."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client

from activities.archive import MANIFEST_NAME, ArchiveStore
from app import service
from workflows.models import DecisionRecord


@dataclass(frozen=True)
class Made:
    replication_id: str
    nama_lokal: str
    stage: str
    decision: DecisionRecord


async def decisions_of(client: Client, archive: ArchiveStore, user: str) -> list[Made]:
    """Every decision `user` made, newest first."""
    rows = await service.list_replications(client)
    running = [row["id"] for row in rows if row["status"] == "running"]
    found = await service.statuses(client, running)
    made = [
        Made(s.replication_id, s.nama_lokal, s.stage, d)
        for s in found.values()
        for d in s.decisions
        if d.approver == user
    ]
    # An id restarted since has an ended run and a running one: the running one counts.
    ended = sorted({row["id"] for row in rows} - set(running))
    made += await asyncio.to_thread(_from_manifests, archive, ended, user)
    return sorted(made, key=lambda m: m.decision.at, reverse=True)


def _from_manifests(archive: ArchiveStore, replication_ids: list[str], user: str) -> list[Made]:
    made = []
    for replication_id in replication_ids:
        prefix = archive.find_replication_prefix(replication_id)
        manifest = (archive.get_json(prefix + MANIFEST_NAME) if prefix else None) or {}
        for entry in manifest.get("decisions", []):
            if entry.get("approver") != user:
                continue
            nama, stage = manifest.get("nama_lokal", ""), manifest.get("stage", "")
            made.append(Made(replication_id, nama, stage, _record(entry)))
    return made


def _record(entry: dict[str, Any]) -> DecisionRecord:
    """A decision as activities/manifest.py wrote it (with the holder it was made for)."""

    def text(name: str) -> str:
        return str(entry.get(name) or "")

    return DecisionRecord(
        approver=text("approver"),
        nama=text("nama"),
        jabatan=text("jabatan"),
        decision=text("decision"),
        note=text("note"),
        version=int(entry.get("version") or 0),
        at=text("at"),
        tanggal=text("tanggal"),
        pemegang=text("pemegang"),
        sebagai=text("sebagai"),
    )
