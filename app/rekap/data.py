"""The recap's figures: replications per region and stage, overdue waits, documents.

Pure: built from the rows of `service.list_replications` (visibility) and the number of
archived PDFs per replication (S3), so it is tested without servers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app import instansi
from app.yamlio import load_yaml
from workflows.models import Stage

STAGE_LABELS = {
    Stage.SELEKSI: "Seleksi",
    Stage.TRANSFER: "Transfer pengetahuan",
    Stage.RENCANA_AKSI: "Rencana aksi",
    Stage.PENGESAHAN: "Pengesahan",
    Stage.SELESAI: "Selesai",
    Stage.DITOLAK: "Ditolak",
    Stage.DIBATALKAN: "Dibatalkan",
}


@dataclass
class RekapBaris:
    """One region in one stage."""

    wilayah: str = ""
    nama_wilayah: str = ""
    tahap: str = ""
    jumlah: int = 0
    terlambat: int = 0
    keputusan_terlambat: int = 0
    dokumen: int = 0

    @property
    def label_tahap(self) -> str:
        return STAGE_LABELS.get(Stage(self.tahap), self.tahap) if self.tahap else "-"


@dataclass
class Rekap:
    tanggal: date
    baris: list[RekapBaris] = field(default_factory=list)

    def per_tahap(self) -> dict[str, int]:
        """Replications per stage label, every stage listed in lifecycle order."""
        counts: Counter[str] = Counter()
        for row in self.baris:
            counts[row.tahap] += row.jumlah
        return {label: counts[stage] for stage, label in STAGE_LABELS.items()}

    def total(self) -> RekapBaris:
        return RekapBaris(
            tahap="",
            jumlah=sum(r.jumlah for r in self.baris),
            terlambat=sum(r.terlambat for r in self.baris),
            keputusan_terlambat=sum(r.keputusan_terlambat for r in self.baris),
            dokumen=sum(r.dokumen for r in self.baris),
        )


def region_names(directory: Path | None = None) -> dict[str, str]:
    """kode_wilayah → "Kota Palopo", from the agencies' files (their `pemerintah`)."""
    names: dict[str, str] = {}
    for path in sorted((directory or instansi.instansi_dir()).glob("*.yaml")):
        data = load_yaml(path)
        if isinstance(data, dict) and data.get("kode_wilayah"):
            pemerintah = str(data.get("pemerintah") or "")
            names.setdefault(str(data["kode_wilayah"]), pemerintah.removeprefix("Pemerintah "))
    return names


def documents_per_replication(keys: list[str]) -> Counter[str]:
    """Archived PDFs per replication id, from keys `<year>/<id>/<nn>-<kind>-v<n>.pdf`."""
    counts: Counter[str] = Counter()
    for key in keys:
        parts = key.split("/")
        if len(parts) == 3 and parts[0].isdigit() and parts[2].endswith(".pdf"):
            counts[parts[1]] += 1
    return counts


def build(
    rows: list[dict[str, str]],
    documents: Counter[str],
    names: dict[str, str],
    now: datetime,
) -> list[RekapBaris]:
    """One line per (region, stage), sorted; each replication once (its newest run)."""
    lines: dict[tuple[str, str], RekapBaris] = {}
    seen: set[str] = set()
    for row in rows:  # newest first: a restarted replication counts once
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        key = (row.get("wilayah", ""), row.get("stage", ""))
        line = lines.setdefault(key, RekapBaris(key[0], names.get(key[0], ""), key[1]))
        overdue = bool(row.get("tenggat")) and datetime.fromisoformat(row["tenggat"]) < now
        line.jumlah += 1
        line.terlambat += overdue
        line.keputusan_terlambat += overdue and row.get("menunggu") == "penyetuju"
        line.dokumen += documents[row["id"]]
    order: dict[str, int] = {stage: n for n, stage in enumerate(STAGE_LABELS)}
    return sorted(lines.values(), key=lambda r: (r.wilayah, order.get(r.tahap, 99)))
