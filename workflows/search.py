"""A replication's search attributes: what `replikasi list` filters by.

Stage, region (the replikator's Kemendagri kode wilayah), source innovation (catalogue id),
the role it waits for and when that wait is due. Visibility stores them unencrypted, so
they hold codes and roles only, never a person's name. Pure functions of the workflow's
state: the client sets them at start and the workflow upserts them whenever its stage or
its wait changes, so both compute them here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)

from workflows.models import (
    DUE_KEY,
    FINAL_STAGES,
    INNOVATION_KEY,
    PENDING_ROLE_KEY,
    REGION_KEY,
    STAGE_KEY,
    ReplicationInput,
    Stage,
)

# Who a stage waits for, as a role (never a person: search attributes are not encrypted).
PENDING_ROLES: dict[str, str] = {
    Stage.SELEKSI: "inovator",
    Stage.TRANSFER: "koordinator",
    Stage.RENCANA_AKSI: "koordinator",
    Stage.PENGESAHAN: "penyetuju",
}
ROLES = ("inovator", "koordinator", "penyetuju")


def due(inp: ReplicationInput, since: datetime) -> datetime:
    """When the current wait is overdue (escalation): the same deadline `status` shows."""
    return since + timedelta(seconds=inp.timing.deadline_seconds)


def values(inp: ReplicationInput, stage: str, since: datetime) -> dict[Any, Any]:
    """Every search attribute's value; None where it has none (final stages, no code)."""
    final = stage in FINAL_STAGES
    return {
        STAGE_KEY: stage,
        REGION_KEY: inp.replikator.kode_wilayah or None,
        INNOVATION_KEY: inp.inovasi.kode or None,
        PENDING_ROLE_KEY: None if final else PENDING_ROLES.get(stage),
        DUE_KEY: None if final else due(inp, since),
    }


def updates(inp: ReplicationInput, stage: str, since: datetime) -> list[SearchAttributeUpdate]:
    """The upsert for the workflow: values set, attributes without one removed."""
    result: list[SearchAttributeUpdate] = []
    for key, value in values(inp, stage, since).items():
        typed: SearchAttributeKey[Any] = key
        result.append(typed.value_unset() if value is None else typed.value_set(value))
    return result


def initial(inp: ReplicationInput, since: datetime) -> TypedSearchAttributes:
    """The attributes a start request carries, so `list` finds it before a worker runs it."""
    pairs = [
        SearchAttributePair(key, value)
        for key, value in values(inp, Stage.SELEKSI, since).items()
        if value is not None
    ]
    return TypedSearchAttributes(pairs)
