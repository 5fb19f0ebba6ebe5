"""Recorded histories of every path replay against the current workflow code.

Replications live for months: a change to workflow code that would break a history in
flight must fail here, before it is deployed. Record new histories with
`REPLIKASI_RECORD_HISTORIES=1 .venv/bin/python -m pytest tests/test_replication_workflow.py
tests/test_forum.py tests/test_chains.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from app.converter import DATA_CONVERTER
from worker import WORKFLOWS

HISTORIES = sorted(Path(__file__).with_name("histories").glob("*.json"))


def test_histories_are_recorded() -> None:
    """The decline, cancel, full-with-revision, signed (4-pades), forum and chain (paraf in
    parallel, a Plh. signing; and with reminders, escalations and a moved deadline) paths
    each have a stored history, and so does a replication that upserts its search
    attributes (issue 5); and, numbered and manifested by local activities (patch
    "7-local-light-activities"), the revision, chain, reminder and forum paths again; and
    with an event's documents rendered together ("7-documents-together"); and with one
    reminder timer across events and one upsert per stage change ("7-steady-waits")."""
    expected = {
        "ditolak-inovator",
        "dibatalkan",
        "selesai-dengan-revisi",
        "selesai-pades",
        "forum",
        "selesai-rantai",
        "selesai-rantai-pengingat",
        "pencarian",
        "selesai-dengan-revisi-lokal",
        "selesai-rantai-lokal",
        "selesai-rantai-pengingat-lokal",
        "forum-lokal",
        "selesai-dengan-revisi-serentak",
        "selesai-rantai-serentak",
        "selesai-rantai-pengingat-serentak",
        "ditolak-inovator-tenang",
        "dibatalkan-tenang",
        "selesai-dengan-revisi-tenang",
        "selesai-rantai-tenang",
        "selesai-rantai-pengingat-tenang",
    }
    assert expected <= {path.stem for path in HISTORIES}


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays(path: Path) -> None:
    """Replaying the stored history raises no nondeterminism error."""
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=WORKFLOWS, data_converter=DATA_CONVERTER)

    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None
