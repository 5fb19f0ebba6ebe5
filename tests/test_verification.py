"""Verification: the code printed on a document, the index in S3, `replikasi verify` and
the page /verifikasi/<kode>, against a real SeaweedFS (and Chromium for the phone check)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
import pytest
from docxtpl import DocxTemplate
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pypdf import PdfReader

from activities.archive import ArchiveStore, StoredObject, document_key
from activities.contexts import build_context
from activities.documents import DOCX_TYPE, object_metadata
from activities.rendering import (
    DOCX_DIR,
    HTML_DIR,
    RenderedDocument,
    docx_environment,
    render_document,
)
from activities.verification import (
    TEKS,
    index_document,
    kode_dokumen,
    kode_in_file,
    kode_verifikasi,
    lookup,
    verification_url,
    verify_file,
)
from app.settings import Settings, get_settings
from app.web.main import create_app
from app.web.verifikasi import CSS, get_archive
from tests.browser import CHROMIUM_ARGS, serve
from tests.doctext import docx_text, normalise, pdf_text
from tests.factories import sample_input
from tests.fixtures.servers import S3Stack
from workflows.models import DocumentKind, ProduceDocumentInput

KIND = "surat_undangan"
ROOT = Path(__file__).resolve().parents[1]


@cache
def rendered() -> tuple[ProduceDocumentInput, RenderedDocument]:
    inp = sample_input(KIND)
    return inp, render_document(KIND, build_context(inp))


@dataclass(frozen=True)
class Indexed:
    archive: ArchiveStore
    inp: ProduceDocumentInput
    document: RenderedDocument
    kode: str
    pdf: StoredObject
    docx: StoredObject


@pytest.fixture
def indexed(archive: ArchiveStore) -> Indexed:
    """One rendered document archived as documents.py does, then indexed."""
    inp, document = rendered()
    metadata = object_metadata(inp)

    def key(ext: str) -> str:
        replication = inp.replication.replication_id
        return document_key(inp.year, replication, inp.seq, inp.kind, inp.version, ext)

    pdf = archive.put(key("pdf"), document.pdf, "application/pdf", metadata)
    docx = archive.put(key("docx"), document.docx, DOCX_TYPE, metadata)
    # The call DocumentActivities.produce_document makes after its two puts.
    index_document(archive, kode=kode_dokumen(inp), pdf=pdf, docx=docx, metadata=metadata)
    kode = kode_verifikasi(inp.replication.replication_id, inp.seq, inp.kind, inp.version)
    return Indexed(archive, inp, document, kode, pdf, docx)


def changed(data: bytes, at: int) -> bytes:
    """A copy of `data` with the byte at `at` changed."""
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


# -- the code and what the documents print ---------------------------------------------------


def test_kode_is_the_sha256_of_the_document_identity() -> None:
    """Stable, 64 hex digits, and different for another version of the same document."""
    expected = hashlib.sha256(b"palopo-2020-01/03-surat_undangan-v1").hexdigest()

    assert expected == kode_verifikasi("palopo-2020-01", 3, "surat_undangan", 1)
    assert expected != kode_verifikasi("palopo-2020-01", 3, "surat_undangan", 2)
    assert "http://arsip.test/verifikasi/abc" == verification_url("http://arsip.test/", "abc")


def test_pdf_and_docx_print_the_line_and_the_url_with_the_code() -> None:
    """Both renditions say where to check them; the PDF links there; a file names its code."""
    inp, document = rendered()
    kode = kode_verifikasi(inp.replication.replication_id, inp.seq, inp.kind, inp.version)
    url = verification_url(get_settings().public_url, kode)
    pdf, docx = normalise(pdf_text(document.pdf)), normalise(docx_text(document.docx))

    assert f"{TEKS} {url}" in pdf
    assert f"{TEKS} {url}" in docx
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(document.pdf)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert url in links
    assert [kode] == kode_in_file(document.pdf)
    assert [kode] == kode_in_file(document.docx)


@pytest.mark.parametrize("kind", [kind.value for kind in DocumentKind])
def test_every_kind_carries_the_verification_block(kind: str) -> None:
    """Each DOCX layout calls parts.verifikasi; no HTML template drops base.html's block."""
    docx = DocxTemplate(DOCX_DIR / f"{kind}.docx")

    assert "verifikasi" in docx.get_undeclared_template_variables(docx_environment())
    assert "block verifikasi" not in (HTML_DIR / f"{kind}.html").read_text()


# -- index, lookup, verify_file ---------------------------------------------------------------


def test_lookup_by_code_and_by_either_file_hash(indexed: Indexed) -> None:
    """The code and both files' sha256 lead to the same record; unknown is None."""
    by_kode = lookup(indexed.archive, indexed.kode.upper())
    by_pdf = lookup(indexed.archive, indexed.pdf.sha256)
    by_docx = lookup(indexed.archive, indexed.docx.sha256)

    assert by_kode is not None and by_pdf is not None and by_docx is not None
    assert indexed.inp.nomor == by_kode["nomor"] == by_pdf["nomor"] == by_docx["nomor"]
    assert indexed.pdf.key == by_kode["pdf_key"]
    assert (indexed.pdf.sha256, indexed.docx.sha256) == (
        by_kode["pdf_sha256"],
        by_kode["docx_sha256"],
    )
    assert ("pdf", "docx") == (by_pdf["format"], by_docx["format"])
    assert lookup(indexed.archive, "0" * 64) is None
    with pytest.raises(ValueError):
        lookup(indexed.archive, "bukan-kode")


def test_archived_pdf_and_docx_are_authentic(indexed: Indexed) -> None:
    for data, key in ((indexed.document.pdf, indexed.pdf.key), (indexed.document.docx, None)):
        result = verify_file(indexed.archive, data)
        assert result.authentic, result.reason
        assert "ASLI" == result.status
        assert result.record is not None and indexed.inp.nomor == result.record["nomor"]
        if key:
            assert key in result.reason


def test_one_changed_byte_is_not_authentic(indexed: Indexed) -> None:
    """Anywhere in the file: never ASLI. Where the URL survives, the file is recognised
    as an altered copy of this document (TIDAK ASLI) rather than an unknown one."""
    pdf = indexed.document.pdf
    for at in (len(pdf) // 2, len(pdf) - 10):
        result = verify_file(indexed.archive, changed(pdf, at))
        assert not result.authentic
        assert result.status in ("TIDAK ASLI", "TIDAK DIKENAL")

    header = verify_file(indexed.archive, changed(pdf, 12))  # the binary comment line
    assert "TIDAK ASLI" == header.status
    assert header.record is not None and indexed.kode == header.record["kode"]
    assert "diubah" in header.reason


def test_unknown_file_is_tidak_dikenal(indexed: Indexed) -> None:
    result = verify_file(indexed.archive, b"%PDF-1.7\n% bukan dokumen arsip\n")

    assert (False, "TIDAK DIKENAL", None) == (result.authentic, result.status, result.record)


def test_file_is_not_authentic_once_the_archive_holds_other_bytes(indexed: Indexed) -> None:
    """The index alone is not enough: the archived object must still have that sha256."""
    indexed.archive.put(indexed.pdf.key, b"%PDF-1.7\n% lain\n", "application/pdf")

    result = verify_file(indexed.archive, indexed.document.pdf)

    assert "TIDAK ASLI" == result.status
    assert "kini berisi berkas lain" in result.reason


# -- replikasi verify ------------------------------------------------------------------------


def cli_env(s3_stack: S3Stack, archive: ArchiveStore) -> dict[str, str]:
    settings = s3_stack.settings
    return {
        **os.environ,
        "AWS_ENDPOINT_URL_S3": settings.s3_endpoint,
        "AWS_ACCESS_KEY_ID": settings.s3_access_key,
        "AWS_SECRET_ACCESS_KEY": settings.s3_secret_key,
        "AWS_DEFAULT_REGION": settings.s3_region,
        "REPLIKASI_BUCKET": archive.bucket,
    }


async def replikasi_verify(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "from app.cli import main; main()", "verify", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


async def test_cli_verify_exit_codes(indexed: Indexed, s3_stack: S3Stack, tmp_path: Path) -> None:
    """ASLI with the document's metadata and exit 0; an altered copy: TIDAK ASLI, exit 1."""
    env = cli_env(s3_stack, indexed.archive)
    asli = tmp_path / "undangan.pdf"
    asli.write_bytes(indexed.document.pdf)
    palsu = tmp_path / "undangan-diubah.pdf"
    palsu.write_bytes(changed(indexed.document.pdf, 12))
    asing = tmp_path / "lain.docx"
    asing.write_bytes(b"PK\x03\x04 bukan arsip")

    ok, altered, unknown = await asyncio.gather(
        replikasi_verify(asli, env), replikasi_verify(palsu, env), replikasi_verify(asing, env)
    )

    assert 0 == ok.returncode, ok.stderr
    assert ok.stdout.startswith("ASLI: undangan.pdf")
    for expected in (indexed.inp.nomor, "Surat Undangan", "palopo", "5 Oktober 2020"):
        assert expected in ok.stdout
    assert f"s3://{indexed.archive.bucket}/{indexed.pdf.key}" in ok.stdout
    assert 1 == altered.returncode
    assert altered.stdout.startswith("TIDAK ASLI: undangan-diubah.pdf")
    assert indexed.inp.nomor in altered.stdout
    assert 1 == unknown.returncode
    assert unknown.stdout.startswith("TIDAK DIKENAL: lain.docx")
    assert "Traceback" not in ok.stderr + altered.stderr + unknown.stderr


async def test_cli_verify_missing_file_is_one_line_error(tmp_path: Path) -> None:
    done = await replikasi_verify(tmp_path / "tidak-ada.pdf", dict(os.environ))

    assert 1 == done.returncode
    assert "berkas tidak dapat dibaca" in done.stderr
    assert 1 == len(done.stderr.strip().splitlines())


# -- the page /verifikasi/<kode> -------------------------------------------------------------


def web_app(archive: ArchiveStore) -> FastAPI:
    app = create_app(Settings())
    app.dependency_overrides[get_archive] = lambda: archive
    return app


def web(archive: ArchiveStore) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=web_app(archive))
    return httpx.AsyncClient(transport=transport, base_url="http://replikasi.test")


def hasil(page: str) -> str:
    """The status line of an upload check."""
    match = re.search(r"<p class='status [a-z]+ hasil'><strong>([^<]+)</strong>", page)
    assert match, page
    return match.group(1)


async def test_page_shows_the_record_for_the_code_and_for_the_pdf_hash(indexed: Indexed) -> None:
    async with web(indexed.archive) as client:
        by_kode = await client.get(f"/verifikasi/{indexed.kode}")
        by_sha = await client.get(f"/verifikasi/{indexed.pdf.sha256}")

    for response in (by_kode, by_sha):
        assert 200 == response.status_code
        page = response.text
        for expected in (
            indexed.inp.nomor,
            "Surat Undangan",
            indexed.inp.replication.replication_id,
            "5 Oktober 2020",
            indexed.pdf.sha256,
            indexed.docx.sha256,
            "tersimpan utuh",
            "name='viewport'",
        ):
            assert expected in page
        assert "<script" not in page
        assert "script-src" not in response.headers["content-security-policy"]
    assert len(CSS.encode()) < 2048


async def test_page_unknown_is_404_and_malformed_is_400(indexed: Indexed) -> None:
    async with web(indexed.archive) as client:
        unknown = await client.get(f"/verifikasi/{'0' * 64}")
        malformed = await client.get("/verifikasi/abc123")
        post_malformed = await client.post("/verifikasi/zz", files={"berkas": ("a.pdf", b"x")})

    assert 404 == unknown.status_code
    assert "Dokumen tidak ditemukan" in unknown.text
    assert 400 == malformed.status_code == post_malformed.status_code
    assert "64 karakter heksadesimal" in malformed.text


async def test_page_upload_says_asli_or_tidak(indexed: Indexed) -> None:
    pdf = indexed.document.pdf
    async with web(indexed.archive) as client:
        url = f"/verifikasi/{indexed.kode}"
        right = await client.post(url, files={"berkas": ("u.pdf", pdf, "application/pdf")})
        docx = await client.post(url, files={"berkas": ("u.docx", indexed.document.docx)})
        altered = await client.post(url, files={"berkas": ("u.pdf", changed(pdf, len(pdf) // 2))})
        nothing = await client.post(url)

    assert 200 == right.status_code == docx.status_code == altered.status_code
    assert "ASLI" == hasil(right.text) == hasil(docx.text)
    assert hasil(altered.text).startswith("TIDAK")
    assert hashlib.sha256(changed(pdf, len(pdf) // 2)).hexdigest() in altered.text
    assert 200 == nothing.status_code and "Pilih berkas" in nothing.text


# -- the page on a phone: headless Chromium at 375 px ----------------------------------------


@pytest.fixture
def served(indexed: Indexed) -> Iterator[str]:
    """The web app on a free port (uvicorn in a thread), with a test-only measuring page:
    it loads /verifikasi/<kode> in a 375 px frame and writes the frame's scrollWidth."""
    app = web_app(indexed.archive)

    @app.get("/uji-lebar/{value}", response_class=HTMLResponse)
    def uji_lebar(value: str) -> str:
        return (
            "<!doctype html><body style='margin:0'><p id='lebar'>?</p><script>"
            "var f=document.createElement('iframe');"
            "f.style.cssText='border:0;width:375px;height:800px';"
            "f.onload=function(){var d=f.contentDocument.documentElement;"
            "document.getElementById('lebar').textContent='lebar='+d.scrollWidth+"
            "';klien='+d.clientWidth;};"
            f"f.src='/verifikasi/{value}';document.body.appendChild(f);</script></body>"
        )

    with serve(app) as base:
        yield base


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail(
            "chromium missing: scripts/system-deps.sh installs it (apt-get install chromium)"
        )
    return subprocess.run(
        [
            binary,
            *CHROMIUM_ARGS,
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--window-size=375,800",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_page_fits_a_375_px_phone_without_horizontal_scroll(
    indexed: Indexed, served: str, tmp_path: Path
) -> None:
    dom = chromium(
        tmp_path, "--virtual-time-budget=10000", "--dump-dom", f"{served}/uji-lebar/{indexed.kode}"
    ).stdout
    match = re.search(r"lebar=(\d+);klien=(\d+)", dom)
    assert match, dom[-2000:]
    assert int(match.group(1)) <= 375, match.group(0)
    assert 375 == int(match.group(2))

    screenshot = tmp_path / "verifikasi-375.png"
    chromium(tmp_path, f"--screenshot={screenshot}", f"{served}/verifikasi/{indexed.kode}")
    assert screenshot.stat().st_size > 5000
    if os.environ.get("REPLIKASI_SCREENSHOT_DIR"):  # to look at it: keep a copy
        shutil.copy(screenshot, Path(os.environ["REPLIKASI_SCREENSHOT_DIR"]) / screenshot.name)
