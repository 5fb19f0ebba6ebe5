"""`replikasi report`: the recap per region and stage, read back as a reader would."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from app import service
from app.rekap import data
from app.rekap.report import write_report
from tests.conftest import Harness
from tests.test_replication_workflow import status
from tests.test_search import findable
from tests.visibility import eventually, listed_ids
from workflows.models import Timing

NOW = datetime(2020, 10, 20, tzinfo=UTC)


def row(rid: str, stage: str, menunggu: str = "", tenggat: str = "") -> dict[str, str]:
    return {"id": rid, "stage": stage, "wilayah": "73.73", "menunggu": menunggu, "tenggat": tenggat}


def test_lines_per_region_and_stage() -> None:
    """Counts, overdue waits and overdue decisions per (region, stage); each id once."""
    rows = [
        row("a", "pengesahan", "penyetuju", "2020-10-19T00:00:00+00:00"),
        row("b", "pengesahan", "penyetuju", "2020-10-30T00:00:00+00:00"),
        row("c", "seleksi", "inovator", "2020-10-01T00:00:00+00:00"),
        row("c", "dibatalkan"),  # an older run of c: not counted again
    ]

    lines = data.build(rows, Counter({"a": 9, "b": 8, "c": 1}), {"73.73": "Kota Palopo"}, NOW)

    assert [
        ("73.73", "Kota Palopo", "seleksi", 1, 1, 0, 1),
        ("73.73", "Kota Palopo", "pengesahan", 2, 1, 1, 17),
    ] == [
        (
            r.wilayah,
            r.nama_wilayah,
            r.tahap,
            r.jumlah,
            r.terlambat,
            r.keputusan_terlambat,
            r.dokumen,
        )
        for r in lines
    ]


def test_documents_are_counted_from_archive_keys() -> None:
    """Only the replication's PDFs count: not DOCX, manifests or verification entries."""
    keys = [
        "2020/palopo-2020-01/01-surat_permohonan-v1.pdf",
        "2020/palopo-2020-01/01-surat_permohonan-v1.docx",
        "2020/palopo-2020-01/manifest.json",
        "verifikasi/kode/abc.json",
    ]

    assert Counter({"palopo-2020-01": 1}) == data.documents_per_replication(keys)


def test_region_names_come_from_the_agencies() -> None:
    """73.73 is Kota Palopo, 73 the province, from examples/instansi."""
    names = data.region_names()

    assert ("Kota Palopo", "Provinsi Sulawesi Selatan") == (names["73.73"], names["73"])


async def test_report_pdf_and_xlsx(harness: Harness, tmp_path: Path) -> None:
    """Two replications of one region: the PDF reads the date in Indonesian, the stage,
    the counts; the XLSX holds the same figures and the chart."""
    late = findable(harness, timing=Timing(reminder_seconds=3600, deadline_seconds=1))
    other = findable(harness)
    other.replikator.kode_wilayah = late.replikator.kode_wilayah
    handles = [await harness.start(late), await harness.start(other)]
    region = late.replikator.kode_wilayah
    for handle in handles:
        await eventually(lambda h=handle: status(h), lambda s: len(s.documents) == 1)
    chosen = service.ListFilter(wilayah=region)
    ids = {late.replication_id, other.replication_id}
    await listed_ids(harness.client, chosen, ids)
    await listed_ids(
        harness.client, service.ListFilter(wilayah=region, terlambat=True), {late.replication_id}
    )

    pdf_path, xlsx_path = await write_report(
        harness.client, harness.archive, tmp_path, chosen, today=date(2020, 10, 13)
    )

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf_path).pages)
    assert "REKAPITULASI REPLIKASI INOVASI PELAYANAN PUBLIK" in text.upper()
    assert "Keadaan per 13 Oktober 2020" in text
    assert f"1 {region} - Seleksi 2 1 0 2" in text
    assert "Jumlah 2 1 0 2" in text
    sheet = load_workbook(io.BytesIO(xlsx_path.read_bytes()))["Rekap"]
    assert "Keadaan per 13 Oktober 2020" == sheet["A2"].value
    assert [region, "-", "Seleksi", 2, 1, 0, 2] == [c.value for c in sheet[5]]
    assert 1 == len(sheet._images)
    assert "rekap-replikasi-2020-10-13.pdf" == pdf_path.name
