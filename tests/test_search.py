"""Search attributes: a replication is found by stage, region, innovation, pending role and
due date, on the real Temporal dev server's visibility."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app import service
from tests import factories
from tests.conftest import Harness
from tests.test_cli import replikasi
from tests.test_replication_workflow import record_history
from tests.visibility import eventually, listed_ids
from workflows import search
from workflows.models import (
    DUE_KEY,
    INNOVATION_KEY,
    PENDING_ROLE_KEY,
    REGION_KEY,
    STAGE_KEY,
    ReplicationInput,
    Stage,
    Timing,
)
from workflows.replication import ReplicationWorkflow

SINCE = datetime(2020, 10, 13, 1, 0, tzinfo=UTC)


def findable(harness: Harness, **changes: object) -> ReplicationInput:
    """A replication with a region code and innovation id no other test uses."""
    inp = harness.replication(**changes)
    wilayah = f"99.{uuid.uuid4().int % 10_000:04d}"
    inovasi = f"uji-inovasi-{uuid.uuid4().hex[:8]}"
    return replace(
        inp,
        inovasi=replace(inp.inovasi, kode=inovasi),
        replikator=replace(inp.replikator, kode_wilayah=wilayah),
    )


@pytest.mark.parametrize(
    ("stage", "role"),
    [
        (Stage.SELEKSI, "inovator"),
        (Stage.TRANSFER, "koordinator"),
        (Stage.RENCANA_AKSI, "koordinator"),
        (Stage.PENGESAHAN, "penyetuju"),
    ],
)
def test_each_open_stage_waits_for_a_role(stage: Stage, role: str) -> None:
    """The pending role is a role name, never a person, and the due date is the deadline."""
    inp = factories.replication()

    values = search.values(inp, stage, SINCE)

    assert role == values[PENDING_ROLE_KEY]
    assert SINCE + timedelta(seconds=inp.timing.deadline_seconds) == values[DUE_KEY]


@pytest.mark.parametrize("stage", [Stage.SELESAI, Stage.DITOLAK, Stage.DIBATALKAN])
def test_final_stage_waits_for_nobody(stage: Stage) -> None:
    """A finished replication has no pending role and no due date (never overdue)."""
    updates = search.updates(factories.replication(), stage, SINCE)

    unset = {u.key.name for u in updates if u.value is None}
    assert {PENDING_ROLE_KEY.name, DUE_KEY.name} <= unset


def test_no_personal_data_in_search_attributes() -> None:
    """Only codes and roles reach visibility (it is not encrypted): no name, no NIP."""
    inp = factories.replication()
    inp = replace(inp, replikator=replace(inp.replikator, kode_wilayah="73.73"))

    values = search.values(inp, Stage.PENGESAHAN, SINCE)

    text = " ".join(str(v) for v in values.values())
    for person in (inp.approvers[0].pejabat, inp.replikator.kepala, inp.inovator.kepala):
        assert person.nama not in text and person.nip not in text
    assert "73.73" == values[REGION_KEY]


def test_bad_filter_values_are_refused() -> None:
    """Filters go into a query string: an unknown role or a quote is refused in Indonesian."""
    now = datetime.now(UTC)
    with pytest.raises(service.InvalidInput, match="Peran 'bupati' tidak dikenal"):
        service.visibility_query(service.ListFilter(menunggu="bupati"), now)
    with pytest.raises(service.InvalidInput, match="tidak sah"):
        service.visibility_query(service.ListFilter(wilayah="73' OR '1'='1"), now)


async def test_workflow_upserts_attributes_as_it_moves(harness: Harness) -> None:
    """Started without attributes, the workflow sets them; consent moves the pending role."""
    inp = findable(harness)
    wilayah, inovasi = inp.replikator.kode_wilayah, inp.inovasi.kode
    handle = await harness.start(inp)
    rid = inp.replication_id

    by_region = service.ListFilter(wilayah=wilayah, menunggu="inovator")
    assert {rid} == await listed_ids(harness.client, by_region, {rid})
    consent = factories.document_input("berita_acara_kesepakatan").facts.consent
    await handle.execute_update(ReplicationWorkflow.kesediaan, consent)
    moved = service.ListFilter(inovasi=inovasi, menunggu="koordinator", stage=Stage.TRANSFER)
    assert {rid} == await listed_ids(harness.client, moved, {rid})

    described = await handle.describe()
    attributes = described.typed_search_attributes
    assert (Stage.TRANSFER.value, wilayah, inovasi) == (
        attributes.get(STAGE_KEY),
        attributes.get(REGION_KEY),
        attributes.get(INNOVATION_KEY),
    )
    cancel = factories.document_input("surat_pembatalan").facts.cancel
    await handle.execute_update(ReplicationWorkflow.batal, cancel)
    await handle.result()
    await record_history(handle, "pencarian")


async def test_overdue_replications_are_listed(harness: Harness) -> None:
    """`--terlambat` lists a replication whose wait passed its due date, not an on-time one."""
    late = findable(harness, timing=Timing(reminder_seconds=3600, deadline_seconds=1))
    on_time = replace(
        late, replication_id=f"{late.replication_id}-b", timing=Timing(reminder_seconds=3600)
    )
    await harness.start(late)
    await harness.start(on_time)
    region = late.replikator.kode_wilayah

    both = service.ListFilter(wilayah=region)
    await listed_ids(harness.client, both, {late.replication_id, on_time.replication_id})
    overdue = service.ListFilter(wilayah=region, terlambat=True)

    assert {late.replication_id} == await listed_ids(harness.client, overdue, {late.replication_id})


async def test_cli_list_filters_table_and_json(harness: Harness) -> None:
    """`replikasi list --wilayah W --menunggu inovator` prints a table, or JSON with id/stage."""
    inp = findable(harness)
    await harness.start(inp)
    region = inp.replikator.kode_wilayah
    await listed_ids(harness.client, service.ListFilter(wilayah=region), {inp.replication_id})

    table = await replikasi("list", "--wilayah", region, "--menunggu", "inovator", harness=harness)
    as_json = await replikasi("list", "--wilayah", region, "--json", harness=harness)
    other_role = await replikasi(
        "list", "--wilayah", region, "--menunggu", "penyetuju", "--json", harness=harness
    )

    assert 0 == table.returncode, table.stderr
    header, row = table.stdout.splitlines()[:2]
    assert header.split()[:3] == ["ID", "TAHAP", "MENUNGGU"]
    assert [inp.replication_id, "seleksi", "inovator"] == row.split()[:3]
    rows = json.loads(as_json.stdout)
    assert [(inp.replication_id, "seleksi", region)] == [
        (r["id"], r["stage"], r["wilayah"]) for r in rows
    ]
    assert [] == json.loads(other_role.stdout)


async def test_cli_refuses_unknown_role_without_server() -> None:
    """A wrong `--menunggu` is one Indonesian line and exit 1, before connecting."""
    done = await replikasi("list", "--menunggu", "sekda")

    assert 1 == done.returncode
    assert "Peran 'sekda' tidak dikenal: inovator, koordinator, penyetuju." in done.stderr


async def test_started_replication_is_listed_before_a_worker_runs_it(harness: Harness) -> None:
    """service.start_replication sets the attributes at start: listed even with no worker."""
    inp = findable(harness)
    idle_queue = f"tanpa-worker-{uuid.uuid4()}"
    await service.start_replication(harness.client, inp, task_queue=idle_queue)
    region = inp.replikator.kode_wilayah

    rows = await eventually(
        lambda: service.list_replications(harness.client, service.ListFilter(wilayah=region)),
        lambda found: len(found) == 1,
    )

    assert ("seleksi", "inovator", inp.inovasi.kode) == (
        rows[0]["stage"],
        rows[0]["menunggu"],
        rows[0]["inovasi"],
    )
    await harness.client.get_workflow_handle(f"replikasi-{inp.replication_id}").terminate("uji")


async def test_reused_server_gets_the_missing_attributes() -> None:
    """`replikasi dev` on a server an older version started registers only what it lacks."""
    from types import SimpleNamespace

    from temporalio.api.enums.v1 import IndexedValueType

    added: list[dict[str, int]] = []

    async def list_search_attributes(request: object) -> SimpleNamespace:
        return SimpleNamespace(custom_attributes={"ReplicationStage": 2})

    async def add_search_attributes(request: object) -> None:
        added.append(dict(request.search_attributes))  # type: ignore[attr-defined]

    operator = SimpleNamespace(
        list_search_attributes=list_search_attributes, add_search_attributes=add_search_attributes
    )
    fake = SimpleNamespace(namespace="default", operator_service=operator)

    names = await service.register_search_attributes(fake)  # type: ignore[arg-type]

    expected = [
        "ReplicationInovasi",
        "ReplicationMenunggu",
        "ReplicationTenggat",
        "ReplicationWilayah",
    ]
    assert expected == names
    assert IndexedValueType.INDEXED_VALUE_TYPE_DATETIME == added[0]["ReplicationTenggat"]
