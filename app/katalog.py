"""The catalogue of source innovations, and `inovasi: <id>` in a replication's YAML.

A replication always names the good practice it copies (domain.md §1: "amati, tiru,
modifikasi") and carries its own local name and adaptations. The catalogue is one YAML
file of entries keyed by id (REPLIKASI_KATALOG, by default examples/katalog/inovasi.yaml),
so a replication file may write

    inovasi: anc-hipnoterapi-lutra

instead of repeating the innovation; an inline `inovasi:` mapping still works. The whole
file is checked when it is read: an error names the entry and the field.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.payloads import PayloadError, from_dict
from app.yamlio import YamlError, load_yaml
from workflows.models import Inovasi, StatusInovasi

ENV_FILE = "REPLIKASI_KATALOG"
DEFAULT_FILE = Path(__file__).resolve().parents[1] / "examples" / "katalog" / "inovasi.yaml"
REQUIRED = ("nama", "instansi", "inovator", "kategori", "ringkasan", "status")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class KatalogError(PayloadError):
    """The catalogue cannot be read, or an entry in it is not valid."""


def katalog_file() -> Path:
    return Path(os.environ.get(ENV_FILE) or DEFAULT_FILE)


def load_katalog(path: Path | None = None) -> dict[str, Inovasi]:
    """Every entry of the catalogue file, checked; the first problems found are raised."""
    path = path or katalog_file()
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise KatalogError(f"katalog inovasi: {exc}") from exc
    if not isinstance(data, dict):
        raise KatalogError(f"katalog {path}: harus berisi pasangan <id>: <inovasi>.")
    return {str(key): _entry(str(key), value, path) for key, value in data.items()}


def _entry(kode: str, value: Any, path: Path) -> Inovasi:
    where = f"katalog {path.name}, entri '{kode}'"
    if not _ID.match(kode):
        raise KatalogError(f"{where}: ID hanya huruf kecil, angka dan tanda hubung.")
    if isinstance(value, dict) and "kode" in value:
        raise KatalogError(f"{where}: kolom 'kode' tidak dipakai; ID entri adalah kodenya.")
    try:
        inovasi = from_dict(Inovasi, value)
    except PayloadError as exc:
        raise KatalogError(f"{where}: {exc}") from exc
    problems = [f"kolom '{name}' wajib diisi" for name in REQUIRED if not getattr(inovasi, name)]
    if inovasi.status and inovasi.status not in set(StatusInovasi):
        known = ", ".join(StatusInovasi)
        problems.append(f"kolom 'status' '{inovasi.status}' tidak dikenal (pilih: {known})")
    if inovasi.tahun and not 1990 <= inovasi.tahun <= 2100:
        problems.append(f"kolom 'tahun' {inovasi.tahun} tidak masuk akal")
    if problems:
        raise KatalogError(f"{where}: {'; '.join(problems)}.")
    inovasi.kode = kode
    return inovasi


def find(kode: str, path: Path | None = None) -> Inovasi:
    """The catalogue entry `kode`; an unknown id names the ids that exist."""
    entries = load_katalog(path)
    if kode not in entries:
        daftar = ", ".join(sorted(entries)) or "(kosong)"
        raise KatalogError(
            f"inovasi '{kode}' tidak ada di katalog {path or katalog_file()}. "
            f"Yang dikenal: {daftar}."
        )
    return entries[kode]


def resolve(data: Any, path: Path | None = None) -> Any:
    """`data` (a replication as plain YAML data) with `inovasi: <id>` replaced by the
    catalogue entry's mapping; an inline mapping is kept as written."""
    if not isinstance(data, dict) or not isinstance(data.get("inovasi"), str):
        return data
    return {**data, "inovasi": asdict(find(data["inovasi"], path))}
