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
    """Each replication of visibility (newest first); a running one with its status.

    An ended replication waits for no one; its documents are on its own page (querying
    every ended one would replay each history on the workers for every look at the list).
    """
    rows = await service.list_replications(client, stage=stage or None)
    running = [row["id"] for row in rows if row["status"] == "running"]
    found = await service.statuses(client, running)
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
