"""One replication's page and its archived PDFs, for its approvers and the coordinators."""

from __future__ import annotations

import asyncio
import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import Response
from temporalio.client import Client

from activities.archive import ArchiveMissing
from app import service
from app.accounts import KOORDINATOR, Account
from app.web.auth import Account_
from app.web.deps import Archive, ReplicationId, Temporal
from app.web.errors import WebError
from app.web.pages import render
from workflows.models import DocumentRef, ReplicationStatus

router = APIRouter()


async def ensure_may_view(client: Client, account: Account, replication_id: str) -> None:
    """Coordinators see every replication; an approver only those whose chain names them."""
    if account.peran == KOORDINATOR:
        return
    if account.user not in await service.approvers_of(client, replication_id):
        raise WebError(403, "Bukan wewenang Anda", "Anda bukan pejabat penyetuju replikasi ini.")


@router.get("/replikasi/{replication_id}")
async def replication_page(
    request: Request, replication_id: ReplicationId, account: Account_, client: Temporal
) -> Response:
    await ensure_may_view(client, account, replication_id)
    current = await service.status(client, replication_id)
    context = {
        "r": current,
        "plan": service.plan_document(current),
        "may_decide": account.user in service.deciders(current),
    }
    return render(request, "replikasi.html", context)


@router.get("/dokumen/{replication_id}/{seq}.pdf")
async def document_pdf(
    replication_id: ReplicationId, seq: int, account: Account_, client: Temporal, archive: Archive
) -> Response:
    """The archived PDF, shown inline, after checking it is byte for byte what was archived."""
    await ensure_may_view(client, account, replication_id)
    ref = _document(await service.status(client, replication_id), seq)
    try:
        data = await asyncio.to_thread(archive.get, ref.pdf_key)
    except ArchiveMissing as exc:
        raise WebError(404, "Tidak ditemukan", "Berkas PDF tidak ada di arsip.") from exc
    if hashlib.sha256(data).hexdigest() != ref.pdf_sha256:
        raise WebError(502, "Arsip berubah", "Berkas PDF di arsip tidak sama dengan catatannya.")
    name = f"{replication_id}-{ref.seq:02d}-{ref.kind}-v{ref.version}.pdf"
    headers = {
        "Content-Disposition": f'inline; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "frame-ancestors 'self'",
    }
    return Response(data, media_type="application/pdf", headers=headers)


def _document(current: ReplicationStatus, seq: int) -> DocumentRef:
    for ref in current.documents:
        if ref.seq == seq and ref.pdf_key:
            return ref
    raise WebError(404, "Tidak ditemukan", f"Dokumen nomor {seq} tidak ada di replikasi ini.")
