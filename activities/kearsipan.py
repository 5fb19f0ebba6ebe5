"""Records-management metadata of each archived document (domain.md §3.6, §6 item 10).

Every object carries its kode klasifikasi (Permendagri 83/2022, from the issuing
instansi), its sifat, its retention under the Jadwal Retensi Arsip (JRA) and its access
class (SKKAAD), so the archive can be handed to SRIKANDI and weeded on schedule.

The retention periods below are defaults for a pemda's innovation records, not quoted
from a JRA: each instansi's own JRA decides, so they are data, not logic.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.models import DocumentKind, ProduceDocumentInput


@dataclass(frozen=True)
class Retensi:
    aktif_tahun: int
    inaktif_tahun: int
    # What happens at the end: "permanen" (to the archive institution) or "musnah".
    keterangan: str


CORRESPONDENCE = Retensi(2, 3, "musnah")
MEETING_RECORD = Retensi(2, 5, "musnah")
DECISION = Retensi(5, 10, "permanen")

RETENSI: dict[str, Retensi] = {
    DocumentKind.SURAT_PERMOHONAN: CORRESPONDENCE,
    DocumentKind.SURAT_KESEDIAAN: DECISION,
    DocumentKind.BERITA_ACARA_KESEPAKATAN: DECISION,
    DocumentKind.SURAT_PENUTUPAN: CORRESPONDENCE,
    DocumentKind.SURAT_UNDANGAN: CORRESPONDENCE,
    DocumentKind.SURAT_TUGAS: CORRESPONDENCE,
    DocumentKind.DAFTAR_HADIR: MEETING_RECORD,
    DocumentKind.NOTULA: MEETING_RECORD,
    DocumentKind.BERITA_ACARA_TRANSFER: DECISION,
    DocumentKind.LAPORAN_TRANSFER: MEETING_RECORD,
    DocumentKind.LAPORAN_FORUM: MEETING_RECORD,
    DocumentKind.SK_TIM: DECISION,
    DocumentKind.RENCANA_AKSI: MEETING_RECORD,
    DocumentKind.LEMBAR_PENGESAHAN: DECISION,
    DocumentKind.RENCANA_AKSI_FINAL: DECISION,
    DocumentKind.REKAM_JEJAK: DECISION,
    DocumentKind.SURAT_PEMBATALAN: CORRESPONDENCE,
}

# Attendance lists and team decrees carry NIPs of named officials: access is limited to
# the agencies involved; everything else is ordinary (biasa) official correspondence.
TERBATAS = frozenset({DocumentKind.DAFTAR_HADIR, DocumentKind.SK_TIM})


def kearsipan_metadata(inp: ProduceDocumentInput) -> dict[str, str]:
    """The records-management fields for one document, as S3 metadata strings."""
    issuer = (
        inp.replication.inovator
        if inp.kind == DocumentKind.SURAT_KESEDIAAN
        else inp.replication.replikator
    )
    retensi = RETENSI.get(inp.kind, CORRESPONDENCE)
    return {
        "kode-klasifikasi": issuer.kode_klasifikasi,
        "sifat": "Biasa",
        "retensi-aktif-tahun": str(retensi.aktif_tahun),
        "retensi-inaktif-tahun": str(retensi.inaktif_tahun),
        "retensi-keterangan": retensi.keterangan,
        "klasifikasi-akses": "Terbatas" if inp.kind in TERBATAS else "Biasa",
    }
