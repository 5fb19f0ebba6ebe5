"""Workflow-side calls that number, render and archive documents, shared by every workflow.

Deterministic helpers only: they schedule activities by name (so no workflow module imports
boto3 or the renderers) and compute dates from `workflow.now()`. The replication and the
forum workflows call the same activities with the same arguments through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    import workflows.validation as validation
    from workflows.models import (
        DOCUMENT_RETRY,
        DOCUMENT_TIMEOUT,
        NUMBERED_KINDS,
        SHORT_TIMEOUT,
        DecisionRecord,
        DocumentFacts,
        DocumentKind,
        DocumentRef,
        Instansi,
        ManifestInput,
        ProduceDocumentInput,
        ProduceDocumentsInput,
        ReplicationInput,
        ReserveNomorInput,
    )


# Numbering and the manifest run as local activities (issue 7): short I/O on the
# workflow's own worker, recorded as a marker in the workflow task that asked for them.
# As activity tasks they waited in the queue behind the renders (p50 3.4 s under load)
# and cost the server a task dispatch and the workflow one more task each. Histories
# recorded before the patch keep their scheduled activities on replay.
LOCAL_LIGHT_ACTIVITIES = "7-local-light-activities"


async def _light_activity(name: str, arg: object, result_type: type | None = None) -> Any:
    if workflow.patched(LOCAL_LIGHT_ACTIVITIES):
        return await workflow.execute_local_activity(
            name,
            arg,
            result_type=result_type,
            start_to_close_timeout=SHORT_TIMEOUT,
            retry_policy=DOCUMENT_RETRY,
        )
    return await workflow.execute_activity(
        name,
        arg,
        result_type=result_type,
        start_to_close_timeout=SHORT_TIMEOUT,
        retry_policy=DOCUMENT_RETRY,
    )


# An event's documents, once numbered, are rendered at the same time in one activity
# (issue 7): one task and one result for the workflow instead of one per document.
DOCUMENTS_TOGETHER = "7-documents-together"


@dataclass(frozen=True)
class Planned:
    """A document an event makes: its kind, and its nomor when it brings its own (the
    inovator's Surat Kesediaan); None takes the next number of the issuer's register."""

    kind: DocumentKind
    nomor: str | None = None


def archive_year(tanggal: str, tahun: int) -> int:
    """The archive folder's year: given, else the year of the opening letter, else today."""
    parsed = validation.parse_date(tanggal)
    return tahun or (parsed.year if parsed else workflow.info().start_time.year)


def today_in(zona: str) -> str:
    # Letters are dated in the agency's own zone (WIB/WITA/WIT), not in UTC.
    offset = timedelta(hours=validation.ZONES.get(zona, 8))
    return (workflow.now() + offset).date().isoformat()


async def reserve_nomor(
    issuer: Instansi, document_key: str, kind: str, tanggal: str, fallback_year: int
) -> str:
    """The issuer's next letter number for a numbered kind; "" for kinds without one."""
    if kind not in NUMBERED_KINDS:
        return ""
    issued = validation.parse_date(tanggal)
    request = ReserveNomorInput(
        instansi=issuer, year=issued.year if issued else fallback_year, document_key=document_key
    )
    nomor: str = await _light_activity("reserve_nomor", request, result_type=str)
    return nomor


def document_input(
    record: ReplicationInput,
    kind: str,
    seq: int,
    version: int,
    year: int,
    nomor: str,
    tanggal: str,
    facts: DocumentFacts,
    penandatangan: str = "",
) -> ProduceDocumentInput:
    """What the document activities need to render (and, with ``penandatangan``, sign) and
    archive one document version. ``penandatangan`` is a user id, never a credential."""
    return ProduceDocumentInput(
        replication=record,
        kind=kind,
        seq=seq,
        version=version,
        year=year,
        nomor=nomor,
        tanggal=tanggal,
        facts=facts,
        workflow_run_id=workflow.info().run_id,
        penandatangan=penandatangan,
    )


async def produce_document(inp: ProduceDocumentInput) -> DocumentRef:
    """Render and archive one document version; only its small reference comes back."""
    return await workflow.execute_activity(
        "produce_document",
        inp,
        result_type=DocumentRef,
        # Render workers' own queue when the service set one; None keeps the workflow's
        # queue and leaves older histories' commands as they were (no patch needed).
        task_queue=inp.replication.render_task_queue or None,
        start_to_close_timeout=DOCUMENT_TIMEOUT,
        retry_policy=DOCUMENT_RETRY,
    )


async def produce_documents(inputs: list[ProduceDocumentInput]) -> list[DocumentRef]:
    """An event's documents in one activity (rendered at the same time): references in
    the order given."""
    return await workflow.execute_activity(
        "produce_documents",
        ProduceDocumentsInput(documents=inputs),
        result_type=list[DocumentRef],
        task_queue=inputs[0].replication.render_task_queue or None,
        start_to_close_timeout=DOCUMENT_TIMEOUT,
        retry_policy=DOCUMENT_RETRY,
    )


async def write_manifest(
    owner_id: str,
    year: int,
    stage: str,
    nama: str,
    documents: list[DocumentRef],
    decisions: list[DecisionRecord] | None = None,
) -> None:
    manifest = ManifestInput(
        replication_id=owner_id,
        year=year,
        stage=stage,
        nama_lokal=nama,
        workflow_run_id=workflow.info().run_id,
        documents=list(documents),
        decisions=list(decisions or []),
    )
    await _light_activity("write_manifest", manifest)
