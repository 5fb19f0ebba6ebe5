"""Generated payloads: validators never crash, and a workflow never fails a task on them.

Issue 6, item 3: whatever a coordinator (or a broken integration) sends, the answer is an
accepted event or a rejection with a reason; never a crashed workflow task (which Temporal
retries forever) and never history written for a rejected event.
"""

from __future__ import annotations

import asyncio
import dataclasses
import string
import types
import typing
from datetime import date
from typing import Any, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from app.payloads import PayloadError, from_dict
from tests import factories
from tests.conftest import Harness
from workflows import validation
from workflows.models import (
    FINAL_STAGES,
    CancelInput,
    DecisionInput,
    FormTeamInput,
    InnovatorConsentInput,
    InnovatorDeclineInput,
    RecordSessionInput,
    ScheduleSessionInput,
    Stage,
    SubmitPlanInput,
)
from workflows.replication import ReplicationWorkflow

# Dates and times are where validators parse: mix real ones, near misses and noise.
_DATES = st.one_of(
    st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(date.isoformat),
    st.sampled_from(["", "2020-02-30", "13-10-2020", "2020-13-01", "2020-10", " 2020-10-13 "]),
)
_TIMES = st.sampled_from(["", "09.00", "9:30", "24.00", "23.59", "pukul 9", "08.61"])
_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(string.ascii_lowercase + "-", min_size=1, max_size=12),
    st.sampled_from(["file:///etc/passwd", "<b>&amp;</b>", "{{ 7*7 }}", "{%p if x %}", "\x00"]),
)


def _for_field(name: str, hint: Any, depth: int) -> st.SearchStrategy[Any]:
    if hint is str and ("tanggal" in name or (name in {"mulai", "selesai"} and depth > 1)):
        return st.one_of(_DATES, _TIMES, _TEXT)
    if hint is str and name in {"mulai", "selesai", "selesai_pukul"}:
        return st.one_of(_TIMES, _DATES)
    return _for_type(hint, depth)


def _for_type(hint: Any, depth: int) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = next(a for a in typing.get_args(hint) if a is not type(None))
        return st.none() | _for_type(inner, depth)
    if origin is list:
        return st.lists(_for_type(typing.get_args(hint)[0], depth + 1), max_size=3)
    if dataclasses.is_dataclass(hint):
        return payloads(typing.cast(type, hint), depth + 1)
    if hint is int:
        return st.integers(-(10**12), 10**12)
    if hint is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if hint is bool:
        return st.booleans()
    return _TEXT


def payloads(cls: type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Any instance of the payload dataclass `cls`, every field generated."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: _for_field(f.name, hints[f.name], depth) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


CHECKS: list[tuple[type, typing.Callable[[Any], list[str]]]] = [
    (InnovatorConsentInput, lambda e: validation.check_consent(e, date(2020, 10, 5))),
    (InnovatorDeclineInput, validation.check_decline),
    (ScheduleSessionInput, lambda e: validation.check_schedule(e, {"forum"})),
    (RecordSessionInput, lambda e: validation.check_record(e, {"forum"}, set())),
    (FormTeamInput, lambda e: validation.check_team(e, False)),
    (SubmitPlanInput, lambda e: validation.check_plan(e, True)),
    (CancelInput, validation.check_cancel),
    (DecisionInput, lambda e: validation.check_decision(e, "a", ["a", "b"])),
]


@pytest.mark.parametrize(("cls", "check"), CHECKS, ids=[c.__name__ for c, _ in CHECKS])
@settings(max_examples=150, database=None, deadline=None)
@given(data=st.data())
def test_validators_answer_every_generated_payload_with_messages(
    cls: type, check: typing.Callable[[Any], list[str]], data: st.DataObject
) -> None:
    """Each event's validator returns messages (possibly none) and never raises."""
    problems = check(data.draw(payloads(cls)))

    assert all(isinstance(p, str) and p for p in problems)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_FIELD_NAMES = st.sampled_from([f.name for f in dataclasses.fields(SubmitPlanInput)] + ["x"])


@settings(max_examples=300, database=None, deadline=None)
@given(st.dictionaries(_FIELD_NAMES, _JSON, max_size=4))
def test_payload_parsing_refuses_bad_data_only_with_a_payload_error(data: dict[str, Any]) -> None:
    """YAML/JSON of any shape becomes a payload or a PayloadError naming the field."""
    try:
        parsed = from_dict(SubmitPlanInput, data)
    except PayloadError as exc:
        assert str(exc)
    else:
        assert isinstance(parsed, SubmitPlanInput)


def generated(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` payloads drawn by hypothesis (collected, then sent by an async test)."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(event: Any) -> None:
        drawn.append(event)

    collect()
    return drawn[:count]


def mutated(base: Any) -> st.SearchStrategy[Any]:
    """A valid event with one field replaced by a generated value: near the edge of valid."""
    hints = typing.get_type_hints(type(base))
    names = [f.name for f in dataclasses.fields(base)]
    return st.sampled_from(names).flatmap(
        lambda name: _for_field(name, hints[name], 1).map(
            lambda value: dataclasses.replace(base, **{name: value})
        )
    )


def near_valid(base: Any, count: int) -> list[Any]:
    """`count` events: half mutated from a valid one, half generated from nothing."""
    return generated(mutated(base), count // 2) + generated(payloads(type(base)), count // 2)


def stage_events() -> list[tuple[Any, Any]]:
    """(update, valid event) in lifecycle order, the valid one sent after its fuzzing."""
    consent = factories.document_input("berita_acara_kesepakatan").facts.consent
    transfer = factories.document_input("laporan_transfer").facts.transfer
    return [
        (ReplicationWorkflow.kesediaan, consent),
        (ReplicationWorkflow.jadwal_sesi, factories.forum_session()),
        (ReplicationWorkflow.sesi_terlaksana, factories.forum_record()),
        (ReplicationWorkflow.transfer_selesai, transfer),
        (ReplicationWorkflow.tim_dibentuk, factories.team()),
        (ReplicationWorkflow.rencana_aksi, factories.plan(1)),
        (ReplicationWorkflow.decide, DecisionInput(approver="kadinkes.palopo")),
    ]


async def task_failures(handle: WorkflowHandle) -> int:
    history = await handle.fetch_history()
    failed = EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
    return sum(1 for event in history.events if event.event_type == failed)


async def history_length(handle: WorkflowHandle) -> int:
    return len((await handle.fetch_history()).events)


async def settled_length(handle: WorkflowHandle) -> int:
    """History length once the workflow has finished what an accepted event started."""
    length = await history_length(handle)
    while True:
        await asyncio.sleep(0.3)
        again = await history_length(handle)
        if again == length:
            return length
        length = again


async def send_fuzzed(handle: WorkflowHandle, update: Any, event: Any) -> bool:
    """True when accepted; a refusal must give a reason and leave history as it was."""
    before = await settled_length(handle)
    try:
        await handle.execute_update(update, event)
    except WorkflowUpdateFailedError as exc:
        assert str(exc.cause)
        assert before == await history_length(handle)
        return False
    return True


async def test_generated_events_never_fail_a_workflow_task(harness: Harness) -> None:
    """At every stage, generated and near-valid events are accepted or refused with a reason;
    refusals write nothing and no workflow task ever fails."""
    handle = await harness.start(harness.replication())
    outcomes: list[bool] = []

    for update, valid in stage_events():
        if (await handle.query(ReplicationWorkflow.status)).stage in FINAL_STAGES:
            break
        for event in near_valid(valid, 10):
            outcomes.append(await send_fuzzed(handle, update, event))
        await send_fuzzed(handle, update, valid)

    assert 40 <= len(outcomes)
    assert any(outcomes) and not all(outcomes)
    assert 0 == await task_failures(handle)
    assert (await handle.query(ReplicationWorkflow.status)).stage in set(Stage)
