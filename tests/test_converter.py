"""The cached-hints data converter decodes exactly what the SDK's default one decodes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter

from app.converter import DATA_CONVERTER
from tests import factories
from workflows.models import DocumentRef, ProduceDocumentInput, ReplicationInput

HISTORIES = sorted(Path(__file__).with_name("histories").glob("*.json"))


def produce_inputs(histories: list[Path] = HISTORIES) -> list[Payload]:
    payloads = []
    for path in histories:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        for event in history.events:
            if event.HasField("activity_task_scheduled_event_attributes"):
                attrs = event.activity_task_scheduled_event_attributes
                if attrs.activity_type.name == "produce_document":
                    payloads.append(attrs.input.payloads[0])
                elif attrs.activity_type.name == "produce_documents":
                    many = json.loads(attrs.input.payloads[0].data)["documents"]
                    payloads.extend(json_payload(each) for each in many)
    return payloads


def json_payload(value: object) -> Payload:
    # As the SDK writes JSON: compact, keys sorted.
    data = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


async def test_every_recorded_document_input_decodes_as_the_sdk_decodes_it() -> None:
    payloads = produce_inputs()
    assert len(payloads) > 100

    ours = [await DATA_CONVERTER.decode([p], [ProduceDocumentInput]) for p in payloads]
    sdk = [await DataConverter.default.decode([p], [ProduceDocumentInput]) for p in payloads]

    assert sdk == ours
    assert all(isinstance(each[0].replication, ReplicationInput) for each in ours)


@pytest.mark.parametrize("kind", ["sk_tim", "rekam_jejak", "laporan_forum"])
async def test_encoding_is_the_sdks_byte_for_byte_so_histories_do_not_change(kind: str) -> None:
    value = factories.sample_input(kind)

    assert await DataConverter.default.encode([value]) == await DATA_CONVERTER.encode([value])


async def test_every_recorded_input_encodes_back_to_its_recorded_bytes() -> None:
    """Histories recorded with today's models (older ones lack fields added since)."""
    current = [path for path in HISTORIES if path.stem.endswith("-serentak")]
    assert current
    for payload in produce_inputs(current):
        [value] = await DATA_CONVERTER.decode([payload], [ProduceDocumentInput])
        assert [payload.data] == [p.data for p in await DATA_CONVERTER.encode([value])]


async def test_unknown_keys_are_ignored_and_missing_fields_take_their_defaults() -> None:
    payload = json_payload({"seq": 3, "kind": "sk_tim", "a_later_field": 1})

    [ref] = await DATA_CONVERTER.decode([payload], [DocumentRef])

    assert DocumentRef(seq=3, kind="sk_tim") == ref


async def test_a_wrong_type_names_the_field() -> None:
    payload = json_payload({"seq": "tiga"})

    with pytest.raises(Exception) as caught:
        await DATA_CONVERTER.decode([payload], [DocumentRef])

    chain = []
    error: BaseException | None = caught.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__
    assert any("field seq" in message for message in chain), chain
