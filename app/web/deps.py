"""What the routes are given: the app's one Temporal client and its archive."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from temporalio.client import Client

from activities.archive import ArchiveStore
from app import service
from app.web.verifikasi import get_archive


async def get_client(request: Request) -> Client:
    """One client per app, connected on first use (so the app starts while Temporal is away)."""
    state = request.app.state
    if getattr(state, "client", None) is None:
        state.client = await service.connect(state.settings)
    client: Client = state.client
    return client


Temporal = Annotated[Client, Depends(get_client)]
Archive = Annotated[ArchiveStore, Depends(get_archive)]
# The form replication ids take (workflows/validation.py): anything else is refused (422)
# before Temporal is asked about it.
ReplicationId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
