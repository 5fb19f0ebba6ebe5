"""Server-rendered pages: the Jinja2 environment of templates/web/ and its filters.

Light on purpose (officials approve on phones, often on slow connections): no scripts,
one small inline stylesheet, and headers that forbid anything from elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from activities import naskah
from workflows.models import DOCUMENT_TITLES

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"

HEADERS = {
    # No scripts at all; the PDF may be framed by our own pages only.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-src 'self'; "
        "object-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # pages show who decided what: never kept by a proxy
}

STAGES = {
    "seleksi": "Seleksi dan kesediaan",
    "transfer_pengetahuan": "Transfer pengetahuan",
    "rencana_aksi": "Rencana aksi",
    "pengesahan": "Pengesahan",
    "selesai": "Selesai",
    "ditolak": "Ditolak",
    "dibatalkan": "Dibatalkan",
}

DECISIONS = {"approve": "Disetujui", "revise": "Revisi diminta", "reject": "Ditolak"}

_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9}


def waktu(iso: str, zona: str) -> str:
    """An ISO timestamp as an Indonesian date and hour, e.g. "13 Oktober 2020 pukul 09.00 WITA"."""
    if not iso:
        return "-"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(timezone(timedelta(hours=_OFFSETS.get(zona, 8))))
    return f"{naskah.tanggal(local.date())} {naskah.pukul(local.time(), zona)}"


def tanggal(iso: str) -> str:
    """An ISO date as "13 Oktober 2020"."""
    try:
        return naskah.tanggal(naskah.parse_tanggal(iso[:10]))
    except ValueError:
        return iso or "-"


def make_templates(zona: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters["waktu"] = lambda iso: waktu(iso, zona)
    env.filters["tanggal"] = tanggal
    env.globals.update(stages=STAGES, decisions=DECISIONS, titles=DOCUMENT_TITLES)
    return templates


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """The page `name` of templates/web/, with the signed-in account and CSRF token."""
    templates: Jinja2Templates = request.app.state.templates
    session = request.scope.get("session") or {}
    context = {"account": getattr(request.state, "account", None), **context}
    context.setdefault("csrf", session.get("csrf", ""))
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(HEADERS)
    return response
