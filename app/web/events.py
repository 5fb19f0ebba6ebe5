"""Coordinator events from other systems: `POST /api/replikasi/{id}/peristiwa/{event}`.

The same events, validation and messages as `replikasi send`, for an e-office or a
dashboard that records what happened (a consent letter received, a session held). Each
request carries `Authorization: Bearer <token>` (app/apitokens.py) and an
`Idempotency-Key`: networks repeat deliveries, and Temporal deduplicates updates by update
id, so the update id is derived from the integration and the key and a repeated delivery is
applied once (the second answer is the first one's result).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request

from app import apitokens, service
from app.payloads import to_dict
from app.web.deps import Temporal

router = APIRouter(prefix="/api/replikasi", tags=["peristiwa"])

_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# Coordinator-facing reasons keep their text; only the status code says what kind.
STATUS_OF = {
    service.InvalidInput: 422,
    service.EventRejected: 422,
    service.NotFound: 404,
    service.Unavailable: 503,
}


def integration(request: Request, authorization: Annotated[str, Header()] = "") -> str:
    """The integration whose bearer token this is; 401 otherwise."""
    scheme, _, token = authorization.partition(" ")
    settings = request.app.state.settings
    try:
        hashes = apitokens.load_hashes(settings.api_tokens_file)
    except apitokens.TokenFileError as exc:
        raise HTTPException(503, f"Konfigurasi token API rusak: {exc}") from exc
    name = apitokens.integration_of(token.strip(), hashes) if scheme == "Bearer" else None
    if name is None:
        raise HTTPException(
            401,
            "Token API tidak ada atau tidak dikenal (Authorization: Bearer <token>).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return name


@router.post("/{replication_id}/peristiwa/{event}")
async def send_event(
    replication_id: str,
    event: str,
    name: Annotated[str, Depends(integration)],
    client: Temporal,
    idempotency_key: Annotated[str, Header()] = "",
    data: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict[str, Any]:
    """Deliver one coordinator event; 422 with the reason when it is refused."""
    if not _KEY.match(idempotency_key):
        raise HTTPException(
            400, "Header Idempotency-Key wajib: 1-128 huruf, angka, '.', '_', ':' atau '-'."
        )
    try:
        result = await service.send_event(
            client, replication_id, event, data or {}, update_id=f"api-{name}-{idempotency_key}"
        )
    except service.ServiceError as exc:
        raise HTTPException(STATUS_OF.get(type(exc), 500), str(exc)) from exc
    answer: dict[str, Any] = to_dict(result)
    return answer
