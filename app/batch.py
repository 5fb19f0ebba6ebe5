"""Many replications from one CSV or YAML file (`replikasi start FILE`).

A coordinator registers a year's replications at once, often from a spreadsheet. CSV
columns (UTF-8, a header row; `;` or `,` as the separator):

- `id`: replication id (`palopo-2021-07`); `nama_lokal`: its own local name;
- `inovasi`: catalogue id of the source innovation (`anc-hipnoterapi-lutra`);
- `inovator`, `replikator`, `koordinator`: instansi codes (files in
  REPLIKASI_INSTANSI_DIR); koordinator may be empty;
- `tanggal`: date of the Surat Permohonan, TTTT-BB-HH (empty = the day it is sent);
- `penyetuju`: the sign-off chain, `user@instansi` separated by `;` or `|`: each approver
  is the head of that instansi, the last one *Disahkan oleh*, the others *Disetujui oleh*;
- `latar_belakang`, `modifikasi`: optional text.

A YAML batch is a list of replications (each as in a single replication file), bare or
under `replikasi:`. Every row is checked before anything starts: one bad row and nothing
is started, with each problem named by its row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from app import instansi, service
from app.payloads import PayloadError
from app.yamlio import load_yaml
from workflows.models import ReplicationInput

CSV_COLUMNS = (
    "id",
    "nama_lokal",
    "inovasi",
    "inovator",
    "replikator",
    "koordinator",
    "tanggal",
    "penyetuju",
    "latar_belakang",
    "modifikasi",
)
REQUIRED_COLUMNS = ("id", "nama_lokal", "inovasi", "inovator", "replikator", "penyetuju")
MAX_PROBLEMS_SHOWN = 10


def load_file(path: Path) -> list[ReplicationInput] | None:
    """The replications of a batch file; None when it holds a single replication."""
    if path.suffix.lower() == ".csv":
        return from_csv(_read_text(path))
    data = load_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("replikasi"), list):
        data = data["replikasi"]
    return from_items(data, "entri") if isinstance(data, list) else None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise service.InvalidInput(f"berkas tidak dapat dibaca: {path} ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise service.InvalidInput(f"berkas {path} bukan teks UTF-8.") from exc


def from_csv(text: str) -> list[ReplicationInput]:
    """The replications of a CSV batch (columns above), each row checked."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if missing or unknown:
        raise service.InvalidInput(
            "Kolom CSV tidak sesuai: "
            + (f"tidak ada {', '.join(missing)}; " if missing else "")
            + (f"tidak dikenal {', '.join(unknown)}; " if unknown else "")
            + f"kolom yang dikenal: {', '.join(CSV_COLUMNS)}."
        )
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    return from_items([_row_data(row) for row in rows], "baris", first=2)


def _row_data(row: dict[str, str]) -> dict[str, Any] | str:
    """A CSV row as replication data, or the row's problem as text."""
    try:
        data: dict[str, Any] = {
            "replication_id": row["id"],
            "nama_lokal": row["nama_lokal"],
            "inovasi": row["inovasi"] or {},
            "inovator": row["inovator"],
            "replikator": row["replikator"],
            "approvers": approvers(row["penyetuju"]),
        }
    except PayloadError as exc:
        return str(exc)
    for column in ("koordinator", "tanggal", "latar_belakang", "modifikasi"):
        if row.get(column):
            data[column] = row[column]
    return data


def approvers(spec: str) -> list[dict[str, Any]]:
    """`kadinkes.palopo@palopo-dinkes; sekda.palopo@palopo-setda` as an approver chain."""
    items = [item.strip() for item in spec.replace("|", ";").split(";") if item.strip()]
    chain = []
    for number, item in enumerate(items, start=1):
        user, _, kode = item.partition("@")
        if not user.strip() or not kode.strip():
            raise PayloadError(f"penyetuju '{item}': tulis user@kode-instansi.")
        kepala = instansi.load_instansi(kode.strip()).get("kepala") or {}
        peran = "Disahkan oleh" if number == len(items) else "Disetujui oleh"
        chain.append({"user": user.strip(), "peran": peran, "pejabat": kepala})
    return chain


def from_items(items: list[Any], label: str, first: int = 1) -> list[ReplicationInput]:
    """Each item parsed and checked; all problems at once, each named by its row."""
    replications: list[ReplicationInput] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=first):
        try:
            if isinstance(item, str):
                raise service.InvalidInput(item)
            replication = service.parse_replication(item)
        except (service.InvalidInput, PayloadError) as exc:
            problems.append(f"{label} {number}: {exc}")
            continue
        earlier = seen.setdefault(replication.replication_id, number)
        if earlier != number:
            problems.append(
                f"{label} {number}: ID '{replication.replication_id}' sudah dipakai "
                f"di {label} {earlier}."
            )
        replications.append(replication)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"... dan {more} masalah lain."] if more else []
        raise service.InvalidInput(
            f"Batch tidak dimulai ({len(problems)} masalah; tidak ada yang dimulai):\n  "
            + "\n  ".join(shown + tail)
        )
    if not replications:
        raise service.InvalidInput("Batch kosong: tidak ada replikasi di berkas.")
    return replications
