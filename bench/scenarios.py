"""Replications for the benchmark, made from the seed scenarios in examples/palopo-2020."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from app.demo import Scenario, load_scenarios
from workflows.models import ReplicationInput

SEED_DIR = Path(__file__).resolve().parents[1] / "examples" / "palopo-2020"


@dataclass(frozen=True)
class Plan:
    """One replication to run: its input and the coordinator's steps, in order."""

    replication: ReplicationInput
    steps: list[dict[str, Any]]
    expect_stage: str
    expect_documents: int

    @property
    def replication_id(self) -> str:
        return self.replication.replication_id

    @property
    def year(self) -> int:
        """The archive folder's year, as the workflow derives it."""
        inp = self.replication
        if inp.tahun:
            return inp.tahun
        return date.fromisoformat(inp.tanggal).year if inp.tanggal else date.today().year


def load_seeds(seed_dir: Path = SEED_DIR) -> list[Scenario]:
    """The seed scenarios, read once before anything is timed."""
    return load_scenarios(seed_dir)


def make_plans(
    seeds: list[Scenario], count: int, prefix: str, own_registers: bool = False
) -> list[Plan]:
    """``count`` replications cycling through the seed scenarios, each with a new id.

    The seeds' replikator agencies (two Palopo dinas) keep their kode, so all plans share
    two letter-number registers, as a province's replications would. ``own_registers``
    gives each plan a register of its own, to measure what sharing costs.
    """
    run = uuid.uuid4().hex[:6]
    plans = []
    for index in range(count):
        seed = seeds[index % len(seeds)]
        replication_id = f"{prefix}-{run}-{index:04d}"
        replication = replace(seed.replication, replication_id=replication_id)
        if own_registers:
            kode = f"{replication.replikator.kode}-{replication_id}"
            replication = replace(
                replication, replikator=replace(replication.replikator, kode=kode)
            )
        plans.append(Plan(replication, list(seed.steps), seed.expect_stage, seed.expect_documents))
    return plans
