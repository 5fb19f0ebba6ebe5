"""Gather the recap's figures (visibility and S3) and write the PDF and XLSX files."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from temporalio.client import Client

from app import service
from app.rekap import data, output

if TYPE_CHECKING:
    from activities.archive import ArchiveStore


async def collect(
    client: Client, archive: ArchiveStore, chosen: service.ListFilter, today: date
) -> data.Rekap:
    """The recap of every replication `chosen` selects, as of now."""
    rows = await service.list_replications(client, chosen)
    keys = await asyncio.to_thread(archive.list_keys)
    lines = data.build(
        rows, data.documents_per_replication(keys), data.region_names(), datetime.now(UTC)
    )
    return data.Rekap(tanggal=today, baris=lines)


async def write_report(
    client: Client,
    archive: ArchiveStore,
    out_dir: Path,
    chosen: service.ListFilter | None = None,
    today: date | None = None,
) -> list[Path]:
    """`rekap-replikasi-<date>.pdf` and `.xlsx` in `out_dir`; returns their paths."""
    today = today or datetime.now(UTC).date()
    rekap = await collect(client, archive, chosen or service.ListFilter(), today)
    chart = await asyncio.to_thread(output.chart_png, rekap)
    pdf = await asyncio.to_thread(output.rekap_pdf, rekap, chart)
    xlsx = await asyncio.to_thread(output.rekap_xlsx, rekap, chart)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, content in ((".pdf", pdf), (".xlsx", xlsx)):
        path = out_dir / f"rekap-replikasi-{today.isoformat()}{suffix}"
        path.write_bytes(content)
        paths.append(path)
    return paths
