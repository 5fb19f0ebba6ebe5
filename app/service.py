"""The only module that talks to Temporal for callers (CLI, web app, demo).

Every function takes a connected `Client`, so tests pass their own. Errors come back as
`ServiceError` subclasses carrying one line a coordinator can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import (
    Client,
    RPCError,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCStatusCode

from app import instansi
from app.payloads import PayloadError, from_dict
from app.settings import Settings, get_settings
from app.yamlio import YamlError, load_yaml
from workflows import validation
from workflows.forum import ForumWorkflow
from workflows.models import (
    STAGE_KEY,
    CancelInput,
    CompleteTransferInput,
    DecisionInput,
    DocumentRef,
    EventResult,
    FormTeamInput,
    ForumClosingInput,
    ForumInput,
    ForumResult,
    ForumStatus,
    InnovatorConsentInput,
    InnovatorDeclineInput,
    MoveDeadlineInput,
    RecordSessionInput,
    ReplicationInput,
    ReplicationResult,
    ReplicationStatus,
    ScheduleSessionInput,
    Stage,
    SubmitPlanInput,
)
from workflows.replication import ReplicationWorkflow


class ServiceError(Exception):
    """A failure to report to the user as one line."""


class InvalidInput(ServiceError):
    pass


class EventRejected(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class AlreadyExists(ServiceError):
    pass


class Unavailable(ServiceError):
    pass


@dataclass(frozen=True)
class EventSpec:
    update: str
    payload: type
    help: str


# Coordinator events by the names the CLI and the API accept.
EVENTS: dict[str, EventSpec] = {
    "kesediaan": EventSpec("kesediaan", InnovatorConsentInput, "inovator bersedia direplikasi"),
    "penolakan": EventSpec("penolakan", InnovatorDeclineInput, "inovator menolak"),
    "jadwal_sesi": EventSpec("jadwal_sesi", ScheduleSessionInput, "sesi transfer dijadwalkan"),
    "sesi_terlaksana": EventSpec("sesi_terlaksana", RecordSessionInput, "sesi telah berlangsung"),
    "transfer_selesai": EventSpec("transfer_selesai", CompleteTransferInput, "transfer selesai"),
    "tim_dibentuk": EventSpec("tim_dibentuk", FormTeamInput, "tim replikasi dibentuk"),
    "rencana_aksi": EventSpec("rencana_aksi", SubmitPlanInput, "rencana aksi diajukan"),
    "batal": EventSpec("batal", CancelInput, "replikasi dibatalkan koordinator"),
}


def workflow_id(replication_id: str) -> str:
    return f"replikasi-{replication_id}"


async def connect(settings: Settings | None = None) -> Client:
    settings = settings or get_settings()
    try:
        return await Client.connect(
            settings.temporal_address, namespace=settings.temporal_namespace
        )
    except RuntimeError as exc:
        raise Unavailable(
            f"Temporal tidak dapat dihubungi di {settings.temporal_address}: "
            "jalankan `replikasi dev` atau periksa TEMPORAL_ADDRESS."
        ) from exc


def parse_replication(data: Any) -> ReplicationInput:
    """A ReplicationInput from a YAML document (bare, or under a `replikasi:` key)."""
    if isinstance(data, dict) and "replikasi" in data:
        data = data["replikasi"]
    try:
        replication = from_dict(ReplicationInput, instansi.resolve(data))
    except PayloadError as exc:
        raise InvalidInput(f"Data replikasi tidak sah: {exc}") from exc
    problems = validation.check_replication(replication)
    if problems:
        raise InvalidInput("Data replikasi tidak sah: " + " ".join(problems))
    return replication


async def start_replication(
    client: Client,
    replication: ReplicationInput,
    *,
    task_queue: str | None = None,
    restart: bool = False,
) -> str:
    """Start one replication; `restart` replaces a finished or running one with the same id."""
    await _start(
        client,
        ReplicationWorkflow.run,
        replication,
        workflow_id(replication.replication_id),
        f"Replikasi '{replication.replication_id}'",
        task_queue=task_queue,
        restart=restart,
        search_attributes=TypedSearchAttributes(
            [SearchAttributePair(STAGE_KEY, Stage.SELEKSI.value)]
        ),
    )
    return replication.replication_id


async def _start(
    client: Client,
    run: Any,
    arg: Any,
    wf_id: str,
    label: str,
    *,
    task_queue: str | None,
    restart: bool,
    search_attributes: TypedSearchAttributes | None = None,
) -> None:
    """Start a workflow; `restart` replaces a finished or running one with the same id."""
    try:
        await client.start_workflow(
            run,
            arg,
            id=wf_id,
            task_queue=task_queue or get_settings().task_queue,
            search_attributes=search_attributes,
            id_reuse_policy=(
                WorkflowIDReusePolicy.ALLOW_DUPLICATE
                if restart
                else WorkflowIDReusePolicy.REJECT_DUPLICATE
            ),
            id_conflict_policy=(
                WorkflowIDConflictPolicy.TERMINATE_EXISTING
                if restart
                else WorkflowIDConflictPolicy.FAIL
            ),
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.ALREADY_EXISTS:
            raise AlreadyExists(f"{label} sudah ada; pilih ID lain.") from exc
        raise


def parse_event(event: str, data: Any) -> Any:
    spec = EVENTS.get(event)
    if spec is None:
        raise InvalidInput(f"Peristiwa '{event}' tidak dikenal. Yang dikenal: {', '.join(EVENTS)}.")
    try:
        return from_dict(spec.payload, data)
    except PayloadError as exc:
        raise InvalidInput(f"Data peristiwa '{event}' tidak sah: {exc}") from exc


async def send_event(client: Client, replication_id: str, event: str, data: Any) -> EventResult:
    """Deliver a coordinator event; a rejection raises EventRejected with the reason."""
    payload = parse_event(event, data)
    return await _update(client, replication_id, EVENTS[event].update, payload)


async def decide(
    client: Client,
    replication_id: str,
    user: str,
    decision: str,
    note: str = "",
    tanggal: str = "",
    atas_nama: str = "",
) -> EventResult:
    """An approver's (or their delegate's) decision; the workflow refuses, unwritten, a
    user it is not waiting for ("Pengguna X tidak sedang diminta memutuskan …")."""
    payload = DecisionInput(
        approver=user, decision=decision, note=note, tanggal=tanggal, atas_nama=atas_nama
    )
    return await _update(client, replication_id, "decide", payload)


async def move_deadline(
    client: Client,
    replication_id: str,
    user: str,
    sampai: str,
    oleh: str = "",
    alasan: str = "",
) -> EventResult:
    """A coordinator moves the due time of `user`'s pending decision to `sampai` (ISO
    date-time, or a date = its last minute in the replikator's zone)."""
    payload = MoveDeadlineInput(user=user, sampai=sampai, oleh=oleh, alasan=alasan)
    return await _update(client, replication_id, "tenggat", payload)


async def _update(
    client: Client, replication_id: str, name: str, payload: Any, result_type: type = EventResult
) -> Any:
    handle = client.get_workflow_handle(workflow_id(replication_id))
    try:
        return await handle.execute_update(name, payload, result_type=result_type)
    except WorkflowUpdateFailedError as exc:
        raise EventRejected(_reason(exc)) from exc
    except RPCError as exc:
        raise _rpc_error(exc, replication_id) from exc


async def retry_documents(client: Client, replication_id: str) -> str:
    """Retry now a document that waits for a template fix (else the workflow's timer does)."""
    return str(await _update(client, replication_id, "coba_lagi", None, result_type=str))


def _reason(exc: WorkflowUpdateFailedError) -> str:
    cause: BaseException | None = exc.cause
    while cause is not None and not isinstance(cause, ApplicationError):
        cause = cause.__cause__
    return cause.message if cause is not None else str(exc)


def _rpc_error(exc: RPCError, replication_id: str, what: str = "Replikasi") -> ServiceError:
    if exc.status == RPCStatusCode.NOT_FOUND:
        return NotFound(f"{what} '{replication_id}' tidak ditemukan atau sudah berakhir.")
    return ServiceError(f"Temporal menolak permintaan: {exc.message}")


async def status(client: Client, replication_id: str) -> ReplicationStatus:
    handle = client.get_workflow_handle(workflow_id(replication_id))
    try:
        return await handle.query(ReplicationWorkflow.status)
    except RPCError as exc:
        raise _rpc_error(exc, replication_id) from exc


async def documents(client: Client, replication_id: str) -> list[DocumentRef]:
    return (await status(client, replication_id)).documents


async def result(client: Client, replication_id: str) -> ReplicationResult:
    handle: WorkflowHandle[Any, ReplicationResult] = client.get_workflow_handle(
        workflow_id(replication_id), result_type=ReplicationResult
    )
    try:
        return await handle.result()
    except RPCError as exc:
        raise _rpc_error(exc, replication_id) from exc


async def has_worker(client: Client, task_queue: str) -> bool:
    """Whether any worker polls the task queue (so `dev`/`demo` need not start one)."""
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    response = await client.workflow_service.describe_task_queue(request)
    return len(response.pollers) > 0


async def list_replications(client: Client, stage: str | None = None) -> list[dict[str, str]]:
    """Replications from Temporal visibility, newest first, optionally of one stage."""
    query = "WorkflowType = 'ReplicationWorkflow'"
    if stage:
        if stage not in set(Stage):
            raise InvalidInput(f"Tahap '{stage}' tidak dikenal: {', '.join(Stage)}.")
        query += f" AND ReplicationStage = '{stage}'"
    rows = []
    async for execution in client.list_workflows(query):
        rows.append(
            {
                "id": execution.id.removeprefix("replikasi-"),
                "stage": execution.typed_search_attributes.get(STAGE_KEY) or "",
                "status": execution.status.name.lower() if execution.status else "",
                "started": execution.start_time.isoformat(),
            }
        )
    return rows


# --- the forum -------------------------------------------------------------------------

# Forum events by the names `replikasi forum send` accepts.
FORUM_EVENTS: dict[str, EventSpec] = {
    "kehadiran": EventSpec("kehadiran", RecordSessionInput, "kehadiran dan notula forum"),
    "forum_selesai": EventSpec(
        "forum_selesai", ForumClosingInput, "forum ditutup; replikasi pasangan dimulai"
    ),
}


def forum_workflow_id(forum_id: str) -> str:
    return f"forum-{forum_id}"


def parse_forum(data: Any, base_dir: Path | None = None) -> ForumInput:
    """A ForumInput from a YAML document (bare, or under a `forum:` key).

    `penyelenggara` may name an agency file (as a replication's agencies may); each item of
    `pasangan` is a replication given inline or as the name of a replication YAML file,
    resolved relative to `base_dir` (the forum file's folder), e.g. `01-hipno-bunda.yaml`.
    """
    if isinstance(data, dict) and "forum" in data:
        data = data["forum"]
    if not isinstance(data, dict):
        raise InvalidInput("Data forum tidak sah: harus berupa pasangan kolom: nilai.")
    data = dict(data)
    try:
        if isinstance(data.get("penyelenggara"), str):
            data["penyelenggara"] = instansi.load_instansi(data["penyelenggara"])
        pasangan = data.get("pasangan") or []
        if isinstance(pasangan, list):
            data["pasangan"] = [_pair_data(item, base_dir) for item in pasangan]
        forum = from_dict(ForumInput, data)
    except (PayloadError, YamlError) as exc:
        raise InvalidInput(f"Data forum tidak sah: {exc}") from exc
    problems = validation.check_forum(forum)
    if problems:
        raise InvalidInput("Data forum tidak sah: " + " ".join(problems))
    return forum


def _pair_data(item: Any, base_dir: Path | None) -> Any:
    if isinstance(item, str):
        path = (base_dir or Path.cwd()) / item
        if not path.is_file():
            raise PayloadError(
                f"pasangan: berkas replikasi '{item}' tidak ditemukan di {path.parent}"
            )
        item = load_yaml(path)
    if isinstance(item, dict) and "replikasi" in item:
        item = item["replikasi"]
    return instansi.resolve(item)


def load_forum(path: Path) -> ForumInput:
    """The forum of a YAML file, its pairs' files resolved next to it."""
    return parse_forum(load_yaml(path), path.parent)


async def start_forum(
    client: Client, forum: ForumInput, *, task_queue: str | None = None, restart: bool = False
) -> str:
    """Start one forum; `restart` replaces a finished or running one with the same id."""
    await _start(
        client,
        ForumWorkflow.run,
        forum,
        forum_workflow_id(forum.forum_id),
        f"Forum '{forum.forum_id}'",
        task_queue=task_queue,
        restart=restart,
    )
    return forum.forum_id


def parse_forum_event(event: str, data: Any) -> Any:
    spec = FORUM_EVENTS.get(event)
    if spec is None:
        known = ", ".join(FORUM_EVENTS)
        raise InvalidInput(f"Peristiwa forum '{event}' tidak dikenal. Yang dikenal: {known}.")
    try:
        return from_dict(spec.payload, data)
    except PayloadError as exc:
        raise InvalidInput(f"Data peristiwa '{event}' tidak sah: {exc}") from exc


async def send_forum_event(client: Client, forum_id: str, event: str, data: Any) -> EventResult:
    """Deliver a forum event; a rejection raises EventRejected with the reason."""
    payload = parse_forum_event(event, data)
    handle = client.get_workflow_handle(forum_workflow_id(forum_id))
    try:
        return await handle.execute_update(
            FORUM_EVENTS[event].update, payload, result_type=EventResult
        )
    except WorkflowUpdateFailedError as exc:
        raise EventRejected(_reason(exc)) from exc
    except RPCError as exc:
        raise _rpc_error(exc, forum_id, "Forum") from exc


async def forum_status(client: Client, forum_id: str) -> ForumStatus:
    handle = client.get_workflow_handle(forum_workflow_id(forum_id))
    try:
        return await handle.query(ForumWorkflow.status)
    except RPCError as exc:
        raise _rpc_error(exc, forum_id, "Forum") from exc


async def forum_result(client: Client, forum_id: str) -> ForumResult:
    handle: WorkflowHandle[Any, ForumResult] = client.get_workflow_handle(
        forum_workflow_id(forum_id), result_type=ForumResult
    )
    try:
        return await handle.result()
    except RPCError as exc:
        raise _rpc_error(exc, forum_id, "Forum") from exc


async def terminate_if_running(client: Client, replication_id: str, reason: str) -> bool:
    """End a running replication (so a forum may start it again); False if none runs."""
    handle = client.get_workflow_handle(workflow_id(replication_id))
    try:
        description = await handle.describe()
        if description.status != WorkflowExecutionStatus.RUNNING:
            return False
        await handle.terminate(reason)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise _rpc_error(exc, replication_id) from exc
    return True
