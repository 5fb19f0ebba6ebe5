"""The coordinator's view: every replication, its stage, whom it waits for and since when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from temporalio.client import Client

from app import service
from app.accounts import Account
from app.web.auth import coordinator
from app.web.deps import Temporal
from app.web.pages import STAGES, render
from workflows.models import ReplicationStatus

router = APIRouter()


async def overview(
    client: Client, stage: str | None
) -> list[tuple[dict[str, str], ReplicationStatus | None]]:
    """Each replication of visibility (newest first) with its status when it answers."""
    rows = await service.list_replications(client, stage=stage or None)
    found = await service.statuses(client, [row["id"] for row in rows])
    return [(row, found.get(row["id"])) for row in rows]


@router.get("/koordinator")
async def replications(
    request: Request,
    account: Annotated[Account, Depends(coordinator)],
    client: Temporal,
    tahap: str = "",
) -> Response:
    rows = await overview(client, tahap)
    return render(request, "koordinator.html", {"rows": rows, "tahap": tahap, "stages": STAGES})
