"""The web app: public health and verification; signed-in approver and coordinator pages.

Every route but /health and /verifikasi/... needs a signed-in account (app/web/auth.py).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from app import service
from app.settings import Settings, get_settings
from app.web import api, approver, auth, coordinator, errors, replikasi, verifikasi
from app.web import events as event_api
from app.web.pages import make_templates


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # No public schema or docs pages: only /health and /verifikasi/... are open to all;
    # the API's schema is /api/openapi.json, for signed-in users (app/web/api.py).
    app = FastAPI(
        title="replikasi", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.settings = settings
    app.state.templates = make_templates(settings.web_zone)
    auth.install(app, settings)
    errors.install(app)
    app.include_router(verifikasi.router)
    app.include_router(auth.router)
    app.include_router(approver.router)
    app.include_router(coordinator.router)
    app.include_router(replikasi.router)
    app.include_router(api.router)
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

    return app


def _system_info_request():  # type: ignore[no-untyped-def]
    from temporalio.api.workflowservice.v1 import GetSystemInfoRequest

    return GetSystemInfoRequest()
