"""The innovation catalogue (app/katalog.py): checked entries, named from a replication."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import katalog, service
from tests.test_instansi import seed_replication
from workflows.models import StatusInovasi

SEED_IDS = {
    "anc-hipnoterapi-lutra",
    "bendera-saskia-bantaeng",
    "laja-sidrap",
    "toss-klungkung",
    "akuwaras-denpasar",
}


def test_seed_catalogue_is_valid() -> None:
    """The seed holds the three Palopo 2020 innovations and two more KIPP ones, all valid."""
    entries = katalog.load_katalog()

    assert SEED_IDS == set(entries)
    assert all(entry.status in set(StatusInovasi) for entry in entries.values())
    assert "Top 40 Kompetisi Inovasi Pelayanan Publik Tahun 2018" == (
        entries["anc-hipnoterapi-lutra"].penghargaan
    )


def test_replication_names_its_innovation_by_id() -> None:
    """`inovasi: anc-hipnoterapi-lutra` resolves from the catalogue, id kept as `kode`;
    the replication keeps its own local name and adaptations."""
    data = seed_replication()
    data["inovasi"] = "anc-hipnoterapi-lutra"

    replication = service.parse_replication(data)

    assert ("anc-hipnoterapi-lutra", "ANC Hipnoterapi", 2017) == (
        replication.inovasi.kode,
        replication.inovasi.nama,
        replication.inovasi.tahun,
    )
    assert "Dinas Kesehatan Kabupaten Luwu Utara" == replication.inovasi.instansi
    assert "HIPNO-BUNDA Wara Utara" == replication.nama_lokal
    assert replication.modifikasi.startswith("Sesi hipnoterapi dilaksanakan")


def test_unknown_innovation_names_the_known_ones() -> None:
    """A typo in the id is refused with the ids that exist."""
    data = seed_replication()
    data["inovasi"] = "anc-hipnoterapy"

    with pytest.raises(service.InvalidInput) as refused:
        service.parse_replication(data)

    assert "inovasi 'anc-hipnoterapy' tidak ada di katalog" in str(refused.value)
    assert "anc-hipnoterapi-lutra" in str(refused.value)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "nama: X\ninstansi: Y\ninovator: Z\nkategori: K\nringkasan: R\nstatus: mati\n",
            "entri 'uji-x': kolom 'status' 'mati' tidak dikenal (pilih: berlanjut, "
            "berkembang, berhenti).",
        ),
        (
            "nama: X\ninstansi: Y\nkategori: K\nringkasan: R\nstatus: berlanjut\n",
            "entri 'uji-x': kolom 'inovator' wajib diisi.",
        ),
        (
            "nama: X\ninstansi: Y\ninovator: Z\nkategori: K\nringkasan: R\nstatus: berlanjut\n"
            "tahun: dua ribu\n",
            "entri 'uji-x': tahun: harus berupa bilangan bulat",
        ),
        ("nama: X\npenghargan: Top 45\n", "entri 'uji-x': kolom tidak dikenal: penghargan"),
    ],
)
def test_bad_entry_names_entry_and_field(tmp_path: Path, entry: str, message: str) -> None:
    """A bad catalogue entry is refused with the entry's id and the field at fault."""
    path = tmp_path / "katalog.yaml"
    indented = "".join(f"  {line}\n" for line in entry.splitlines())
    path.write_text(f"uji-x:\n{indented}")

    with pytest.raises(katalog.KatalogError) as refused:
        katalog.load_katalog(path)

    assert message in str(refused.value)


def test_catalogue_file_comes_from_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REPLIKASI_KATALOG names a deployment's own catalogue file."""
    path = tmp_path / "katalog.yaml"
    path.write_text(
        "sipadu-x:\n  nama: SIPADU\n  instansi: Dinas X\n  inovator: Tim X\n"
        "  kategori: Pelayanan publik\n  ringkasan: Ringkas.\n  status: berhenti\n"
    )
    monkeypatch.setenv("REPLIKASI_KATALOG", str(path))

    assert "berhenti" == katalog.find("sipadu-x").status
