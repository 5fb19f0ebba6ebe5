"""Fetch archived documents to a folder, checking each against its recorded sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.service import ServiceError
from app.settings import get_settings
from workflows.models import DocumentRef


def download_documents(refs: list[DocumentRef], target: Path) -> list[Path]:
    from activities.archive import ArchiveStore

    archive = ArchiveStore.from_settings(get_settings())
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for ref in refs:
        for key, sha in ((ref.pdf_key, ref.pdf_sha256), (ref.docx_key, ref.docx_sha256)):
            body = archive.get(key)
            if hashlib.sha256(body).hexdigest() != sha:
                raise ServiceError(f"berkas {key} di arsip tidak cocok dengan sha256 tercatat")
            path = target / Path(key).name
            path.write_bytes(body)
            written.append(path)
    return written
