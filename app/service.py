"""The only module that talks to Temporal for callers (CLI, web app, demo).

Every function takes a connected `Client`, so tests pass their own. Errors come back as
`ServiceError` subclasses carrying one line a coordinator can read.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from temporalio.api.enums.v1 import IndexedValueType, TaskQueueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import (
    Client,
    RPCError,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCStatusCode

from app import instansi, katalog
from app.converter import DATA_CONVERTER
from app.payloads import PayloadError, from_dict
from app.settings import Settings, get_settings
from app.yamlio import YamlError, load_yaml
from workflows import approval, search, validation
from workflows.forum import ForumWorkflow
from workflows.models import (
    DUE_KEY,
    INNOVATION_KEY,
    PENDING_ROLE_KEY,
    REGION_KEY,
    SEARCH_KEYS,
    STAGE_KEY,
    CancelInput,
    CompleteTransferInput,
    DecisionInput,
    DocumentKind,
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

InputT = TypeVar("InputT", ReplicationInput, ForumInput)


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


class NotAllowed(ServiceError):
    """The user may not act on this replication now (the web answers 403)."""


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


async def connect(settings: Settings | None = None, *, metrics: bool = False) -> Client:
    """The Temporal client; `metrics` (the worker) serves the SDK's metrics for Prometheus
    on REPLIKASI_METRICS_PORT when it is set."""
    settings = settings or get_settings()
    runtime = None
    if metrics and settings.metrics_port:
        # Lazy: only the worker serves metrics; other commands skip the SDK worker import.
        from app.observability import prometheus_runtime

        try:
            runtime = prometheus_runtime(settings.metrics_port)
        except (ValueError, RuntimeError) as exc:  # e.g. the port is taken
            raise Unavailable(
                f"Metrik tidak dapat dibuka di port {settings.metrics_port}: {exc}; "
                "periksa REPLIKASI_METRICS_PORT."
            ) from exc
    try:
        return await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            runtime=runtime,
            data_converter=DATA_CONVERTER,
        )
    except RuntimeError as exc:
        raise Unavailable(
            f"Temporal tidak dapat dihubungi di {settings.temporal_address}: "
            "jalankan `replikasi dev` atau periksa TEMPORAL_ADDRESS."
        ) from exc


# Search attributes the workflows set (`replikasi list`): register once per namespace.
SEARCH_ATTRIBUTES = SEARCH_KEYS


async def register_search_attributes(client: Client) -> list[str]:
    """Register the workflows' search attributes in the client's namespace; idempotent.

    Returns the names newly registered (none when all were there already).
    """
    namespace = client.namespace
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as exc:
        raise ServiceError(
            f"Namespace '{namespace}' tidak dapat dibaca ({exc.message}): buat dulu dengan "
            f"`temporal operator namespace create {namespace}` atau periksa TEMPORAL_NAMESPACE."
        ) from exc
    missing = {
        key.name: IndexedValueType.ValueType(int(key.indexed_value_type))
        for key in SEARCH_ATTRIBUTES
        if key.name not in listed.custom_attributes
    }
    if missing:
        try:
            await client.operator_service.add_search_attributes(
                AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
            )
        except RPCError as exc:
            if exc.status != RPCStatusCode.ALREADY_EXISTS:  # another setup was quicker
                raise ServiceError(f"Search attribute tidak terdaftar: {exc.message}") from exc
    return sorted(missing)


def parse_replication(data: Any) -> ReplicationInput:
    """A ReplicationInput from a YAML document (bare, or under a `replikasi:` key)."""
    if isinstance(data, dict) and "replikasi" in data:
        data = data["replikasi"]
    try:
        replication = from_dict(ReplicationInput, resolve_references(data))
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
        with_render_queue(replication),
        workflow_id(replication.replication_id),
        f"Replikasi '{replication.replication_id}'",
        task_queue=task_queue,
        restart=restart,
        search_attributes=search.initial(replication, datetime.now(UTC)),
    )
    return replication.replication_id


@dataclass
class BatchOutcome:
    """What one `replikasi start` of a batch did, by replication id."""

    started: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


async def start_many(
    client: Client,
    replications: list[ReplicationInput],
    *,
    task_queue: str | None = None,
    on_done: Callable[[str, str], None] | None = None,
    concurrency: int = 8,
) -> BatchOutcome:
    """Start each replication not started before; idempotent, so a batch may be rerun.

    A replication whose id exists (running or finished) is left alone and reported as
    existing. `on_done(id, "dimulai" | "sudah ada" | "gagal: ...")` follows progress.
    """
    outcome = BatchOutcome()
    gate = asyncio.Semaphore(concurrency)

    async def start_one(replication: ReplicationInput) -> None:
        rid = replication.replication_id
        async with gate:
            try:
                await start_replication(client, replication, task_queue=task_queue)
                outcome.started.append(rid)
                state = "dimulai"
            except AlreadyExists:
                outcome.existing.append(rid)
                state = "sudah ada"
            except (ServiceError, RPCError) as exc:
                outcome.failed[rid] = str(exc)
                state = f"gagal: {exc}"
        if on_done is not None:
            on_done(rid, state)

    await asyncio.gather(*(start_one(r) for r in replications))
    return outcome


def with_render_queue(payload: InputT) -> InputT:
    """The input with REPLIKASI_RENDER_TASK_QUEUE, where its documents are to be rendered."""
    if payload.render_task_queue:
        return payload
    return replace(payload, render_task_queue=get_settings().render_queue)


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
    except WorkflowAlreadyStartedError as exc:
        raise AlreadyExists(f"{label} sudah ada; pilih ID lain.") from exc
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


async def send_event(
    client: Client, replication_id: str, event: str, data: Any, update_id: str | None = None
) -> EventResult:
    """Deliver a coordinator event; a rejection raises EventRejected with the reason.

    With `update_id`, a repeated delivery is applied once: Temporal answers a known update
    id with the first outcome instead of running the handler again.
    """
    payload = parse_event(event, data)
    return await _update(client, replication_id, EVENTS[event].update, payload, update_id=update_id)


async def decide(
    client: Client,
    replication_id: str,
    user: str,
    decision: str,
    note: str = "",
    tanggal: str = "",
    atas_nama: str = "",
) -> EventResult:
    """An approver's (or their delegate's) decision; refused before the workflow when it is
    not theirs to make, and by the workflow's validator, unwritten, if it loses a race.

    `status().waiting_on` names delegates valid today, so only a decision dated today is
    checked here; a dated one (a delegation window in the past) is the validator's to judge.
    """
    if not tanggal:
        await ensure_may_decide(client, replication_id, user)
    payload = DecisionInput(
        approver=user, decision=decision, note=note, tanggal=tanggal, atas_nama=atas_nama
    )
    return await _update(client, replication_id, "decide", payload)


def deciders(current: ReplicationStatus) -> list[str]:
    """The user ids who may decide now.

    `waiting_on` names them, bare or as "user: nama (jabatan)"; outside pengesahan it names
    people without accounts (the inovator, the coordinator), who never decide.
    """
    if current.stage != Stage.PENGESAHAN:
        return []
    return [entry.split(":", 1)[0].strip() for entry in current.waiting_on]


async def ensure_may_decide(client: Client, replication_id: str, user: str) -> ReplicationStatus:
    """The replication's status when `user` may decide it now; else NotAllowed.

    Checked before the update so that a decision by anyone else is refused without
    touching the workflow; the workflow's validator still refuses a race it loses.
    """
    current = await status(client, replication_id)
    if user not in deciders(current):
        waiting = ", ".join(deciders(current)) or f"tidak ada (tahap: {current.stage})"
        raise NotAllowed(
            f"'{user}' tidak dapat memutuskan replikasi '{replication_id}' sekarang; "
            f"yang dapat memutuskan: {waiting}."
        )
    return current


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
    client: Client,
    replication_id: str,
    name: str,
    payload: Any,
    result_type: type = EventResult,
    update_id: str | None = None,
) -> Any:
    handle = client.get_workflow_handle(workflow_id(replication_id))
    try:
        return await handle.execute_update(name, payload, id=update_id, result_type=result_type)
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


@dataclass(frozen=True)
class ListFilter:
    """What `replikasi list` narrows by; every field optional."""

    stage: str = ""
    wilayah: str = ""
    inovasi: str = ""
    menunggu: str = ""
    terlambat: bool = False


# Values go into a visibility query string: codes only, so nothing can close the quote.
_QUERY_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def visibility_query(chosen: ListFilter, now: datetime) -> str:
    """The Temporal visibility query for `chosen`; a bad value raises InvalidInput."""
    if chosen.stage and chosen.stage not in set(Stage):
        raise InvalidInput(f"Tahap '{chosen.stage}' tidak dikenal: {', '.join(Stage)}.")
    if chosen.menunggu and chosen.menunggu not in search.ROLES:
        roles = ", ".join(search.ROLES)
        raise InvalidInput(f"Peran '{chosen.menunggu}' tidak dikenal: {roles}.")
    query = "WorkflowType = 'ReplicationWorkflow'"
    for key, value, label in (
        (STAGE_KEY, chosen.stage, "tahap"),
        (REGION_KEY, chosen.wilayah, "kode wilayah"),
        (INNOVATION_KEY, chosen.inovasi, "ID inovasi"),
        (PENDING_ROLE_KEY, chosen.menunggu, "peran"),
    ):
        if value:
            if not _QUERY_VALUE.match(value):
                raise InvalidInput(f"{label} '{value}' tidak sah: huruf, angka, titik, '-'.")
            query += f" AND {key.name} = '{value}'"
    if chosen.terlambat:
        query += f" AND ExecutionStatus = 'Running' AND {DUE_KEY.name} < '{now.isoformat()}'"
    return query


async def list_replications(
    client: Client,
    chosen: ListFilter | None = None,
    stage: str | None = None,
    running: bool = False,
) -> list[dict[str, str]]:
    """Replications from Temporal visibility, newest first, narrowed by `chosen`."""
    chosen = chosen or ListFilter(stage=stage or "")
    query = visibility_query(chosen, datetime.now(UTC))
    if running:
        query += " AND ExecutionStatus = 'Running'"
    rows = []
    async for execution in client.list_workflows(query):
        attributes = execution.typed_search_attributes
        due = attributes.get(DUE_KEY)
        rows.append(
            {
                "id": execution.id.removeprefix("replikasi-"),
                "stage": attributes.get(STAGE_KEY) or "",
                "status": execution.status.name.lower() if execution.status else "",
                "started": execution.start_time.isoformat(),
                "wilayah": attributes.get(REGION_KEY) or "",
                "inovasi": attributes.get(INNOVATION_KEY) or "",
                "menunggu": attributes.get(PENDING_ROLE_KEY) or "",
                "tenggat": due.isoformat() if due else "",
            }
        )
    return rows


# --- what the web pages show -----------------------------------------------------------


STATUS_TIMEOUT = timedelta(seconds=2)
LIVE_STATUS_LIMIT = 40


@dataclass(frozen=True)
class InboxItem:
    """A replication that waits for one approver's decision, and the document to decide on."""

    replication_id: str
    nama_lokal: str
    stage: str
    since: str
    due: str
    overdue: bool
    version: int
    document: DocumentRef | None


async def statuses(client: Client, replication_ids: list[str]) -> dict[str, ReplicationStatus]:
    """The status of each replication that answers in time (a few queries at a time), for
    the newest LIVE_STATUS_LIMIT of `replication_ids` (visibility lists newest first).

    A query waits for a worker: replications whose worker is gone each cost the timeout,
    so a page asks only so many and shows the rest from visibility alone.
    """
    replication_ids = replication_ids[:LIVE_STATUS_LIMIT]
    gate = asyncio.Semaphore(8)  # bounded: every query is a workflow task on the workers

    async def one(replication_id: str) -> ReplicationStatus | None:
        handle = client.get_workflow_handle(workflow_id(replication_id))
        async with gate:
            try:
                # A query waits for a worker; one page must not hang on one replication.
                return await handle.query(ReplicationWorkflow.status, rpc_timeout=STATUS_TIMEOUT)
            except (RPCError, WorkflowQueryFailedError):
                return None  # gone, broken or no worker: left out, not an error page

    found = await asyncio.gather(*(one(r) for r in replication_ids))
    return {r: s for r, s in zip(replication_ids, found, strict=True) if s is not None}


async def inbox_for(client: Client, user: str) -> list[InboxItem]:
    """The replications waiting for `user`'s decision now, soonest due first."""
    rows = await list_replications(client, stage=Stage.PENGESAHAN, running=True)
    found = await statuses(client, [row["id"] for row in rows])
    items = [_inbox_item(s) for s in found.values() if user in deciders(s)]
    return sorted(items, key=lambda item: item.due)


def _inbox_item(current: ReplicationStatus) -> InboxItem:
    return InboxItem(
        replication_id=current.replication_id,
        nama_lokal=current.nama_lokal,
        stage=current.stage,
        since=current.since,
        due=current.due,
        overdue=current.overdue,
        version=current.version,
        document=plan_document(current),
    )


def plan_document(current: ReplicationStatus) -> DocumentRef | None:
    """The action plan of the version being decided (the newest one archived)."""
    plans = [d for d in current.documents if d.kind == DocumentKind.RENCANA_AKSI]
    return max(plans, key=lambda d: (d.version, d.seq), default=None)


async def approvers_of(client: Client, replication_id: str) -> set[str]:
    """Everyone in the replication's sign-off chain, whether their turn came or not."""
    current = await status(client, replication_id)
    users = set(deciders(current)) | {d.approver for d in current.decisions}
    handle = client.get_workflow_handle(workflow_id(replication_id))
    try:
        # The chain is in the input: the first event of the (current run's) history.
        async for event in handle.fetch_history_events(page_size=1):
            started = event.workflow_execution_started_event_attributes
            [inp] = await client.data_converter.decode(started.input.payloads, [ReplicationInput])
            chain = approval.chain_for(inp)
            members = {a.user for group in chain for a in group.anggota}
            return users | members | {d.delegasi for d in inp.delegasi}
    except RPCError as exc:
        raise _rpc_error(exc, replication_id) from exc
    return users


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
    return resolve_references(item)


def resolve_references(data: Any) -> Any:
    """Agencies named by file (`replikator: palopo-dinkes`) and the innovation named by
    catalogue id (`inovasi: anc-hipnoterapi-lutra`) replaced by their mappings."""
    return katalog.resolve(instansi.resolve(data))


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
        with_render_queue(forum),
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
