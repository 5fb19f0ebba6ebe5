"""The verification QR code scans, on paper and in Word, to the address each document prints."""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from activities.documents import render_input
from activities.verification import kode_dokumen, verification_url
from app.settings import get_settings
from tests import factories
from tests.doctext import pdf_text

LONG_ADDRESS = "https://layanan-replikasi-inovasi.bappelitbangda.sulselprov.go.id/arsip"


def scan(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def last_page_png(pdf: bytes) -> Image.Image:
    """The last page as a 150 dpi bitmap, as a phone camera would see the printout."""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "dokumen.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-png", "-r", "150", "-singlefile", "-f", str(pages)]
        subprocess.run([*command, str(source), f"{folder}/halaman"], check=True)
        return Image.open(Path(folder) / "halaman.png").copy()


@pytest.fixture
def long_public_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("REPLIKASI_PUBLIC_URL", LONG_ADDRESS)
    get_settings.cache_clear()
    yield LONG_ADDRESS
    get_settings.cache_clear()


@pytest.mark.parametrize("kind", ["surat_permohonan", "laporan_transfer"])
def test_the_pdf_qr_code_scans_to_the_printed_address(kind: str) -> None:
    """Scanned from the rendered last page, the code opens the /verifikasi/<kode> it prints."""
    inp = factories.sample_input(kind)
    expected = verification_url(get_settings().public_url, kode_dokumen(inp))

    pdf = render_input(inp).pdf

    assert [expected] == scan(last_page_png(pdf))
    assert expected in pdf_text(pdf).replace("\n", "")


def test_the_docx_qr_picture_scans_to_the_same_address() -> None:
    """The DOCX carries the same code as a picture, so a printed Word copy verifies too."""
    inp = factories.sample_input("surat_undangan")
    expected = verification_url(get_settings().public_url, kode_dokumen(inp))

    docx = zipfile.ZipFile(io.BytesIO(render_input(inp).docx))
    pictures = [n for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    scanned = [text for name in pictures for text in scan(Image.open(docx.open(name)))]

    assert [expected] == scanned


def test_a_long_public_address_wraps_before_the_code_never_inside_it(long_public_url: str) -> None:
    """With a long deployment address the code moves to its own line, whole and scannable."""
    inp = factories.sample_input("surat_permohonan")
    kode = kode_dokumen(inp)

    pdf = render_input(inp).pdf
    lines = pdf_text(pdf).splitlines()

    assert kode in lines
    assert [f"{long_public_url}/verifikasi/{kode}"] == scan(last_page_png(pdf))


@pytest.mark.parametrize("text", ["https://replikasi.example.id/verifikasi/" + "a" * 64, "x"])
def test_the_bitmap_is_the_one_qrcodes_own_image_factory_draws(text: str) -> None:
    """Made from the module matrix in one step, the PNG is byte for byte qrcode's own."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.pil import PilImage

    from activities.verification import QR_BOX_PX, QR_MASK, qr_png_bytes

    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=2, box_size=QR_BOX_PX, mask_pattern=QR_MASK
    )
    code.add_data(text)
    code.make(fit=True)
    drawn = io.BytesIO()
    code.make_image(image_factory=PilImage).save(drawn)

    assert drawn.getvalue() == qr_png_bytes(text)
    assert "1" == Image.open(io.BytesIO(qr_png_bytes(text))).mode


def test_the_pdf_bitmap_has_one_pixel_per_module_of_the_same_code() -> None:
    """The PDF's small bitmap, scaled up square by square, is the DOCX picture."""
    from activities.verification import QR_BOX_PX, qr_pngs

    docx_png, pdf_png = qr_pngs(
        "https://replikasi.example.id/verifikasi/" + "b" * 64, (QR_BOX_PX, 1)
    )
    small, large = Image.open(io.BytesIO(pdf_png)), Image.open(io.BytesIO(docx_png))

    assert (small.width * QR_BOX_PX, small.height * QR_BOX_PX) == large.size
    scaled = small.resize(large.size, Image.Resampling.NEAREST)
    assert scaled.tobytes() == large.tobytes()
