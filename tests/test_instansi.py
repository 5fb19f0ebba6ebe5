"""Agencies named in a replication's YAML come from their own files (app/instansi.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import instansi, service
from app.payloads import from_dict
from app.yamlio import load_yaml
from workflows import approval
from workflows.models import Instansi

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = EXAMPLES / "palopo-2020" / "01-hipno-bunda.yaml"


def seed_replication() -> dict[str, Any]:
    data = load_yaml(SEED)["replikasi"]
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("path", sorted((EXAMPLES / "instansi").glob("*.yaml")), ids=str)
def test_sample_instansi_files_are_complete(path: Path) -> None:
    """Every sample file is a whole Instansi: kop, numbering, logo and head with NIP."""
    agency = from_dict(Instansi, load_yaml(path))

    assert agency.kode == path.stem
    for field in ("nama", "pemerintah", "alamat", "kota", "telepon", "laman", "email", "logo"):
        assert getattr(agency, field), f"{path.name}: {field}"
    assert "{urut}" in agency.pola_nomor
    assert len(agency.kepala.nip) == 18
    instansi.resolve({"replikator": path.stem})  # its logo exists


def test_name_is_replaced_by_the_file() -> None:
    """`replikator: palopo-dinkes` parses to the Instansi of examples/instansi/palopo-dinkes."""
    data = seed_replication()
    data["replikator"] = "palopo-dinkes"
    data["koordinator"] = "sulsel-biro-organisasi"

    replication = service.parse_replication(data)

    assert replication.replikator.nama == "Dinas Kesehatan Kota Palopo"
    assert replication.replikator.logo == "palopo.svg"
    assert replication.replikator.kepala.nip == "197503122003122004"
    assert replication.koordinator.pola_nomor == "{klasifikasi}/{urut}/{unit}"
    assert replication.koordinator.logo == "sulsel.svg"


def test_inline_mapping_still_works() -> None:
    """The seed scenario gives every agency inline: kept as written."""
    data = seed_replication()

    replication = service.parse_replication(data)

    assert replication.inovator.nama == data["inovator"]["nama"]
    assert replication.inovator.logo == "luwu-utara.svg"
    assert replication.replikator.alamat == "Jalan Anggrek, Kelurahan Tompotika, Palopo"


def test_unknown_name_lists_the_known_ones() -> None:
    data = seed_replication()
    data["inovator"] = "makassar-dinkes"

    with pytest.raises(service.InvalidInput) as error:
        service.parse_replication(data)

    message = str(error.value)
    assert "instansi 'makassar-dinkes' tidak dikenal" in message
    assert "lutra-dinkes, palopo-dinkes, palopo-disdukcapil" in message


@pytest.mark.parametrize("name", ["../palopo-2020/01-hipno-bunda", "/etc/passwd", ""])
def test_names_never_leave_the_folder(name: str) -> None:
    with pytest.raises(instansi.InstansiError, match="tidak dikenal"):
        instansi.resolve({"replikator": name})


def test_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """REPLIKASI_INSTANSI_DIR points at another folder of agencies."""
    (tmp_path / "bappeda.yaml").write_text("nama: Bappeda Kota Palopo\nkota: Palopo\n")
    monkeypatch.setenv(instansi.ENV_DIR, str(tmp_path))

    resolved = instansi.resolve({"koordinator": "bappeda", "replikator": {"nama": "X"}})

    assert resolved == {
        "koordinator": {"nama": "Bappeda Kota Palopo", "kota": "Palopo"},
        "replikator": {"nama": "X"},
    }
    with pytest.raises(instansi.InstansiError, match=r"Instansi yang dikenal: bappeda\."):
        instansi.resolve({"koordinator": "palopo-dinkes"})


def test_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "kosong.yaml").write_text("- satu\n- dua\n")
    with pytest.raises(instansi.InstansiError, match="pasangan kolom: nilai"):
        instansi.resolve({"inovator": "kosong"}, tmp_path)


def test_a_missing_logo_is_reported_when_parsing() -> None:
    """A typo in `logo:` fails at `replikasi start`, not in a worker weeks later."""
    data = seed_replication()
    data["replikator"] = {**data["replikator"], "logo": "palopo-resmi.svg"}

    with pytest.raises(service.InvalidInput, match=r"replikator\.logo: Logo 'palopo-resmi\.svg'"):
        service.parse_replication(data)


def test_agency_chain_applies_when_the_replication_names_none() -> None:
    """With neither `rantai` nor `approvers`, the replikator's own chain for the action
    plan applies: paraf by two, then the Kepala Dinas, then the Sekda signs."""
    data = seed_replication()
    data["replikator"] = "palopo-dinkes"
    del data["rantai"]
    data["delegasi"] = []

    chain = approval.chain_for(service.parse_replication(data))

    assert ["paraf", "persetujuan", "penandatangan"] == [g.jenis for g in chain]
    assert [["kabidkesmas.palopo", "sekdinkes.palopo"], ["kadinkes.palopo"], ["sekda.palopo"]] == [
        [a.user for a in g.anggota] for g in chain
    ]


def test_bad_agency_chain_is_refused_at_start() -> None:
    """A quorum above the members in the agency's chain is reported before starting."""
    data = seed_replication()
    replikator = instansi.load_instansi("palopo-dinkes")
    replikator["rantai"]["rencana_aksi"][0]["kuorum"] = 3
    data["replikator"] = replikator
    del data["rantai"]
    data["delegasi"] = []

    with pytest.raises(service.InvalidInput) as refused:
        service.parse_replication(data)

    assert "replikator.rantai.rencana_aksi: kelompok 1 (paraf): kuorum 3 melebihi" in str(
        refused.value
    )
