"""The JSON API beside the pages: the same accounts, sessions and rules.

Sign in with POST /api/masuk; the answer sets the session cookie and gives the CSRF token
to send as the X-CSRF-Token header on every POST. Refusals are {"detail": "..."} with
401 (not signed in), 403 (not yours), 404, 409 (the workflow refused), 422 or 429.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from app import service
from app.accounts import Account
from app.web.approver import MAX_NOTE, decide_as
from app.web.auth import Account_, coordinator, header_csrf, sign_in, signed_in
from app.web.coordinator import overview
from app.web.deps import Archive, ReplicationId, Temporal
from app.web.history import decisions_of
from app.web.replikasi import ensure_may_view

router = APIRouter(prefix="/api")


class SignIn(BaseModel):
    user: str = Field(max_length=64)
    sandi: str = Field(max_length=256)


class Keputusan(BaseModel):
    keputusan: str = Field(description="approve, revise atau reject", max_length=16)
    catatan: str = Field(default="", max_length=MAX_NOTE)


def _account(account: Account) -> dict[str, str]:
    return {"user": account.user, "nama": account.nama, "peran": account.peran}


@router.post("/masuk")
async def api_sign_in(request: Request, body: SignIn) -> dict[str, str]:
    account = await sign_in(request, body.user.strip(), body.sandi)
    return {**_account(account), "csrf_token": request.session["csrf"]}


@router.post("/keluar", dependencies=[Depends(signed_in), Depends(header_csrf)])
def api_sign_out(request: Request) -> dict[str, str]:
    request.session.clear()
    return {"status": "keluar"}


@router.get("/saya")
def api_me(request: Request, account: Account_) -> dict[str, str]:
    return {**_account(account), "csrf_token": request.session["csrf"]}


@router.get("/openapi.json", include_in_schema=False)
def api_schema(request: Request, account: Account_) -> dict[str, Any]:
    """The OpenAPI schema of this API (e.g. for a client generator or schemathesis)."""
    return request.app.openapi()


@router.get("/kotak-masuk")
async def api_inbox(account: Account_, client: Temporal) -> list[dict[str, Any]]:
    return [dataclasses.asdict(item) for item in await service.inbox_for(client, account.user)]


@router.get("/riwayat")
async def api_history(
    account: Account_, client: Temporal, archive: Archive
) -> list[dict[str, Any]]:
    made = await decisions_of(client, archive, account.user)
    return [
        {
            "replication_id": m.replication_id,
            "nama_lokal": m.nama_lokal,
            "stage": m.stage,
            **dataclasses.asdict(m.decision),
        }
        for m in made
    ]


@router.get("/replikasi")
async def api_replications(
    account: Annotated[Account, Depends(coordinator)], client: Temporal, tahap: str = ""
) -> list[dict[str, Any]]:
    return [
        {**row, "status": dataclasses.asdict(current) if current else None}
        for row, current in await overview(client, tahap)
    ]


@router.get("/replikasi/{replication_id}")
async def api_replication(
    replication_id: ReplicationId, account: Account_, client: Temporal
) -> dict[str, Any]:
    await ensure_may_view(client, account, replication_id)
    return dataclasses.asdict(await service.status(client, replication_id))


@router.post(
    "/replikasi/{replication_id}/keputusan", dependencies=[Depends(signed_in), Depends(header_csrf)]
)
async def api_decide(
    replication_id: ReplicationId, body: Keputusan, account: Account_, client: Temporal
) -> dict[str, Any]:
    result = await decide_as(client, account, replication_id, body.keputusan, body.catatan)
    return dataclasses.asdict(result)
