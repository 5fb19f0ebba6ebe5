"""The web app: health now; the approver's and coordinator's pages build on it."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from app import service
from app.settings import Settings, get_settings
from app.web import events as event_api
from app.web import verifikasi


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="replikasi", version="0.1.0")
    app.state.settings = settings
    app.include_router(verifikasi.router)
    app.include_router(event_api.router)

    @app.get("/health")
    async def health() -> JSONResponse:
        """Whether Temporal answers; 503 when it does not."""
        try:
            client = await service.connect(settings)
            await client.workflow_service.get_system_info(_system_info_request())
        except Exception as exc:  # any failure means "not healthy", reported as text
            return JSONResponse({"status": "error", "temporal": str(exc)[:200]}, 503)
        return JSONResponse({"status": "ok", "temporal": settings.temporal_address})

    @app.get("/", response_class=HTMLResponse)
    async def home() -> str:
        """A plain list of replications and their stages."""
        client = await service.connect(settings)
        rows = await service.list_replications(client)
        items = "".join(
            f"<tr><td>{escape(r['id'])}</td><td>{escape(r['stage'])}</td></tr>" for r in rows
        )
        return (
            "<!doctype html><html lang='id'><meta name='viewport' "
            "content='width=device-width,initial-scale=1'><title>replikasi</title>"
            "<h1>Replikasi</h1><table><tr><th>ID</th><th>Tahap</th></tr>"
            f"{items}</table></html>"
        )

    return app


def _system_info_request():  # type: ignore[no-untyped-def]
    from temporalio.api.workflowservice.v1 import GetSystemInfoRequest

    return GetSystemInfoRequest()
