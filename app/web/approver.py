"""The approver's pages: what waits for me, deciding it, and what I decided before."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from temporalio.client import Client

from app import service
from app.accounts import PENYETUJU, Account
from app.web.auth import Account_, form_csrf, signed_in
from app.web.deps import Archive, ReplicationId, Temporal
from app.web.errors import WebError
from app.web.history import decisions_of
from app.web.pages import DECISIONS, render
from workflows.models import EventResult

router = APIRouter()

MAX_NOTE = 2000


def check_decision(decision: str, note: str) -> None:
    """Refuse a bad decision before anything reaches the workflow."""
    if decision not in DECISIONS:
        raise WebError(422, "Data tidak sah", "Keputusan harus approve, revise atau reject.")
    if decision != "approve" and not note.strip():
        raise WebError(
            422, "Data tidak sah", "Permintaan revisi atau penolakan wajib diberi catatan."
        )
    if len(note) > MAX_NOTE:
        raise WebError(422, "Data tidak sah", f"Catatan paling panjang {MAX_NOTE} karakter.")


async def decide_as(
    client: Client, account: Account, replication_id: str, decision: str, note: str
) -> EventResult:
    """The web's and the API's one path to a decision: 403 unless it is this account's."""
    if account.peran != PENYETUJU:
        raise WebError(403, "Bukan wewenang Anda", "Hanya pejabat penyetuju yang memutuskan.")
    check_decision(decision, note)
    # service.decide refuses (NotAllowed, 403) before the workflow when the account is not
    # among those who may decide now; a refusal by the workflow itself comes back as 409.
    return await service.decide(client, replication_id, account.user, decision, note.strip())


@router.get("/kotak-masuk")
async def inbox(request: Request, account: Account_, client: Temporal) -> Response:
    items = await service.inbox_for(client, account.user)
    return render(request, "kotak_masuk.html", {"items": items})


@router.get("/riwayat")
async def history(
    request: Request, account: Account_, client: Temporal, archive: Archive
) -> Response:
    made = await decisions_of(client, archive, account.user)
    return render(request, "riwayat.html", {"made": made})


@router.post(
    "/replikasi/{replication_id}/keputusan", dependencies=[Depends(signed_in), Depends(form_csrf)]
)
async def decide_form(
    request: Request,
    replication_id: ReplicationId,
    account: Account_,
    client: Temporal,
    keputusan: Annotated[str, Form()] = "",
    catatan: Annotated[str, Form()] = "",
) -> Response:
    result = await decide_as(client, account, replication_id, keputusan, catatan)
    context = {"replication_id": replication_id, "result": result, "keputusan": keputusan}
    return render(request, "diputuskan.html", context)
