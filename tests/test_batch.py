"""`replikasi start` of a CSV or YAML batch: every row checked first, idempotent reruns."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from temporalio.client import Client

from app import batch, service
from app.progress import Progress
from tests.test_cli import CLI
from tests.test_instansi import seed_replication

EXAMPLE_CSV = Path(__file__).resolve().parents[1] / "examples" / "batch" / "sulsel-2021.csv"
HEADER = "id,nama_lokal,inovasi,inovator,replikator,koordinator,tanggal,penyetuju\n"
CHAIN = "kadinkes.palopo@palopo-dinkes;sekda.palopo@palopo-setda"


def csv_rows(prefix: str, count: int) -> str:
    rows = [
        f"{prefix}-{n:03d},HIPNO-BUNDA Kelurahan {n},anc-hipnoterapi-lutra,lutra-dinkes,"
        f"palopo-dinkes,sulsel-biro-organisasi,2021-03-01,{CHAIN}\n"
        for n in range(1, count + 1)
    ]
    return HEADER + "".join(rows)


def test_example_csv_resolves_catalogue_agencies_and_chain() -> None:
    """Each row names catalogue and agency codes; approvers are the agencies' heads."""
    replications = batch.load_file(EXAMPLE_CSV)

    assert replications is not None
    first = replications[0]
    assert ["palopo-2021-01", "palopo-2021-02", "palopo-2021-03"] == [
        r.replication_id for r in replications
    ]
    assert ("anc-hipnoterapi-lutra", "73.73", "Dinas Kesehatan Kabupaten Luwu Utara") == (
        first.inovasi.kode,
        first.replikator.kode_wilayah,
        first.inovator.nama,
    )
    chain = [(a.user, a.peran, a.pejabat.jabatan) for a in first.approvers]
    assert [
        ("kadinkes.palopo", "Disetujui oleh", "Kepala Dinas Kesehatan Kota Palopo"),
        ("sekda.palopo", "Disahkan oleh", "Sekretaris Daerah Kota Palopo"),
    ] == chain


def test_single_replication_yaml_is_not_a_batch() -> None:
    """A seed scenario file still starts one replication, as before."""
    seed = Path(__file__).resolve().parents[1] / "examples" / "palopo-2020" / "01-hipno-bunda.yaml"

    assert batch.load_file(seed) is None


def test_yaml_list_is_a_batch(tmp_path: Path) -> None:
    """A YAML list of replications (here under `replikasi:`) is a batch."""
    second = {**seed_replication(), "replication_id": "palopo-2020-01b"}
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump({"replikasi": [seed_replication(), second]}))

    replications = batch.load_file(path)

    assert ["palopo-2020-01", "palopo-2020-01b"] == [r.replication_id for r in replications or []]


def test_bad_rows_are_all_named_and_nothing_is_returned(tmp_path: Path) -> None:
    """Every bad row is named by its line, with the reason; the batch is refused whole."""
    text = csv_rows("uji-batch", 3)
    text = text.replace("uji-batch-002,HIPNO", "uji-batch-001,HIPNO")
    text = text.replace("Kelurahan 3,anc-hipnoterapi-lutra", "Kelurahan 3,anc-hipno")
    text += f"uji-batch-004,X,laja-sidrap,sidrap-disdukcapil,palopo-dinkes,,2021-13-01,{CHAIN}\n"
    text += "uji-batch-005,Y,laja-sidrap,sidrap-disdukcapil,palopo-dinkes,,,sekda.palopo\n"
    path = tmp_path / "batch.csv"
    path.write_text(text)

    with pytest.raises(service.InvalidInput) as refused:
        batch.load_file(path)

    message = str(refused.value)
    assert "Batch tidak dimulai (4 masalah; tidak ada yang dimulai)" in message
    assert "baris 3: ID 'uji-batch-001' sudah dipakai di baris 2." in message
    assert "baris 4: Data replikasi tidak sah: inovasi 'anc-hipno' tidak ada di katalog" in message
    assert "baris 5: Data replikasi tidak sah: Tanggal surat permohonan '2021-13-01'" in message
    assert "baris 6: penyetuju 'sekda.palopo': tulis user@kode-instansi." in message


def test_missing_and_unknown_columns_are_named() -> None:
    """A header without a required column, or with a typo, names both and the known ones."""
    with pytest.raises(service.InvalidInput) as refused:
        batch.from_csv("id;nama_lokal;inovasi;inovator;replikator;penyetujuu\n")

    assert "tidak ada penyetuju; tidak dikenal penyetujuu" in str(refused.value)


def test_progress_bar_on_a_terminal_plain_lines_otherwise() -> None:
    """On a TTY a redrawn bar; in a log one line per replication."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    bar, lines = Terminal(), io.StringIO()
    on_tty = Progress(2, out=io.StringIO(), bar=bar)
    plain = Progress(2, out=lines, bar=io.StringIO())
    for progress in (on_tty, plain):
        progress("a-1", "dimulai")
        progress("a-2", "sudah ada")
        progress.close()

    assert bar.getvalue().rstrip().endswith("2/2 a-2")
    assert "[" + "#" * 30 + "]" in bar.getvalue()
    assert "dimulai: a-1\nsudah ada: a-2\n" == lines.getvalue()


async def start_batch(client: Client, path: Path, task_queue: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "REPLIKASI_TASK_QUEUE": task_queue,
    }
    return await asyncio.to_thread(
        subprocess.run,
        [*CLI, "start", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        cwd=Path(__file__).resolve().parents[1],
    )


async def test_hundred_rows_twice_start_each_once(client: Client, tmp_path: Path) -> None:
    """100 rows start 100 replications; the same file again starts 0 and names all 100."""
    prefix = f"batch-{uuid.uuid4().hex[:8]}"
    path = tmp_path / "seratus.csv"
    path.write_text(csv_rows(prefix, 100))
    # No worker polls this queue: starting is what is tested, not running.
    queue = f"tanpa-worker-{uuid.uuid4()}"

    first = await start_batch(client, path, queue)
    second = await start_batch(client, path, queue)

    assert 0 == first.returncode, first.stderr
    assert "Batch: 100 dimulai, 0 sudah ada, 0 gagal (dari 100)." in first.stdout
    assert 100 == first.stdout.count("dimulai: ")
    assert 0 == second.returncode, second.stderr
    assert "Batch: 0 dimulai, 100 sudah ada, 0 gagal (dari 100)." in second.stdout
    assert f"sudah ada: {prefix}-042" in second.stdout
    runs = set()
    for n in range(1, 101):
        described = await client.get_workflow_handle(f"replikasi-{prefix}-{n:03d}").describe()
        runs.add(described.run_id)
    assert 100 == len(runs)


async def test_single_start_twice_says_it_exists(client: Client, tmp_path: Path) -> None:
    """Starting one replication again is one Indonesian line and exit 1, not a traceback."""
    path = tmp_path / "satu.yaml"
    rid = f"satu-{uuid.uuid4().hex[:8]}"
    path.write_text(yaml.safe_dump({"replikasi": {**seed_replication(), "replication_id": rid}}))
    queue = f"tanpa-worker-{uuid.uuid4()}"

    first = await start_batch(client, path, queue)
    second = await start_batch(client, path, queue)

    assert (0, rid) == (first.returncode, first.stdout.strip())
    assert 1 == second.returncode
    assert f"replikasi: Replikasi '{rid}' sudah ada; pilih ID lain.\n" == second.stderr
