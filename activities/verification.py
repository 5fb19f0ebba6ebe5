"""Verification of archived documents: a code printed on each document, an index in S3.

A PDF cannot carry its own sha256 (printing the hash changes it), so every document gets a
*kode verifikasi* known before rendering: the sha256 of ``<replication>/<nn>-<kind>-v<n>``,
the same on every retry of a render. The document prints it as a URL and a QR code; the
archive keeps small JSON pointers from that code and from the sha256 of each rendition to
one record, so ``/verifikasi/<value>`` and ``replikasi verify FILE`` accept either.

Index layout, beside the documents in the same bucket::

    verifikasi/kode/<kode>.json      the record of one document version
    verifikasi/sha256/<sha>.json     the same record, plus "format" (pdf or docx)

A file is authentic when its sha256 is in the index *and* the archived object at the
record's key still carries that sha256.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Any

from activities.archive import SHA256_KEY, ArchiveMissing, ArchiveStore, StoredObject, sha256_hex
from activities.signing import SignatureCheck
from workflows.models import ProduceDocumentInput

KODE_PREFIX = "verifikasi/kode/"
SHA256_PREFIX = "verifikasi/sha256/"
TEKS = "Keaslian dokumen ini dapat diperiksa di"
QR_CM = 1.5  # as `.verifikasi img` in naskah.css
# Context values of this shape become docxtpl InlineImages (activities/rendering.py).
GAMBAR_PNG = "_gambar_png"

_HEX64 = re.compile(r"[0-9a-f]{64}")
# The URL printed in a document: found in a DOCX's XML and in a PDF's link annotation.
_KODE_DALAM_BERKAS = re.compile(rb"/verifikasi/([0-9a-f]{64})")
_STREAM = re.compile(rb"stream\r?\n")
_MAKS_INFLATE = 32 * 1024 * 1024  # bytes inflated per file at most, when looking for a kode
# Fields a record copies from the archive object metadata (activities/documents.py).
_METADATA_FIELDS = ("kind", "title", "nomor", "replication", "version", "tanggal", "penandatangan")


def kode_verifikasi(replication_id: str, seq: int, kind: str, version: int) -> str:
    """The verification code of one document version: stable, 64 lower-case hex digits."""
    return hashlib.sha256(f"{replication_id}/{seq:02d}-{kind}-v{version}".encode()).hexdigest()


def kode_dokumen(inp: ProduceDocumentInput) -> str:
    """:func:`kode_verifikasi` of the document an activity renders and archives."""
    return kode_verifikasi(inp.replication.replication_id, inp.seq, inp.kind, inp.version)


def verification_url(public_url: str, kode: str) -> str:
    """``http://host/verifikasi/<kode>``: the page that shows a document's record."""
    return f"{public_url.rstrip('/')}/verifikasi/{kode}"


def normalise_value(value: str) -> str | None:
    """A code or sha256 as stored (lower case), or None when it is not 64 hex digits."""
    value = value.strip().lower()
    return value if _HEX64.fullmatch(value) else None


# Every mask is valid per ISO/IEC 18004 and scanners read any of them; fixing one skips the
# penalty search over all eight, which was most of the QR code's ~15 ms per document.
QR_MASK = 2
# Pixels per module of the DOCX picture: Word smooths a small bitmap when it scales it up, so
# the picture carries its own sharp squares (8 px prints sharp at 1.5 cm).
QR_BOX_PX = 8


def qr_png_bytes(text: str) -> bytes:
    """The QR code of ``text`` as the DOCX's 1-bit PNG (QR_BOX_PX pixels per module)."""
    [png] = qr_pngs(text, (QR_BOX_PX,))
    return png


def qr_pngs(text: str, box_sizes: tuple[int, ...]) -> list[bytes]:
    """The QR code of ``text`` as 1-bit PNGs, one per pixels-per-module in ``box_sizes``.

    The code is encoded once (Reed-Solomon in pure Python, ~3 ms) for every size. The PDF
    takes one pixel per module and draws it unsmoothed (``image-rendering: crisp-edges``
    sets /Interpolate false): the same squares on paper, and WeasyPrint decodes and
    compresses 64 times fewer pixels (~7 ms a document). Either is an image, which costs
    WeasyPrint less than an SVG path of hundreds of squares. Each bitmap is made from the
    module matrix in one step (PIL), not drawn square by square by qrcode's image factory:
    the same pixels, ~1 ms less per document.
    """
    import qrcode
    from PIL import Image
    from qrcode.constants import ERROR_CORRECT_M

    # Level M survives a stamp or a fold over part of the code; a border of two modules
    # is enough on a white page (the margin around the block adds the rest).
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, mask_pattern=QR_MASK)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # the border included; True is a dark module
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    modules = Image.frombytes("L", (size, size), pixels).convert("1", dither=Image.Dither.NONE)
    pngs = []
    for box_px in box_sizes:
        image = modules
        if box_px > 1:
            image = modules.resize((size * box_px, size * box_px), Image.Resampling.NEAREST)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pngs.append(buffer.getvalue())
    return pngs


def verification_context(kode: str, public_url: str) -> dict[str, Any]:
    """The ``verifikasi`` value of every document's context (see contexts/common.py)."""
    url = verification_url(public_url, kode)
    png, modules = qr_pngs(url, (QR_BOX_PX, 1))
    return {
        "kode": kode,
        "url": url,
        # The prefix and the code apart, so a long public address may wrap before the code.
        "url_dasar": url[: -len(kode)],
        "qr": "data:image/png;base64," + base64.b64encode(modules).decode("ascii"),
        "qr_png": {GAMBAR_PNG: png, "lebar_cm": QR_CM},
        "teks": TEKS,
        "baris": f"{TEKS} {url}",
    }


# -- the index ------------------------------------------------------------------------------


def kode_key(kode: str) -> str:
    return f"{KODE_PREFIX}{kode}.json"


def sha256_key(sha256: str) -> str:
    return f"{SHA256_PREFIX}{sha256}.json"


def index_document(
    archive: ArchiveStore,
    *,
    kode: str,
    pdf: StoredObject,
    docx: StoredObject,
    metadata: dict[str, str],
) -> None:
    """Point the code and both files' sha256 at one record of this document version.

    Idempotent like the puts before it: a retried activity rewrites the same keys. The
    code's pointer is written last, so it never names a file whose pointer is missing.
    """
    if normalise_value(kode) != kode:
        raise ValueError(f"kode verifikasi must be 64 lower-case hex digits: {kode!r}")
    record: dict[str, Any] = {field: metadata.get(field, "") for field in _METADATA_FIELDS}
    record.update(
        kode=kode,
        pdf_key=pdf.key,
        pdf_sha256=pdf.sha256,
        docx_key=docx.key,
        docx_sha256=docx.sha256,
    )
    archive.put_json(sha256_key(pdf.sha256), {**record, "format": "pdf"})
    archive.put_json(sha256_key(docx.sha256), {**record, "format": "docx"})
    archive.put_json(kode_key(kode), record)


def lookup(archive: ArchiveStore, value: str) -> dict[str, Any] | None:
    """The record for a verification code or a file's sha256; None if neither is known.

    ValueError when ``value`` is not 64 hex digits (a caller's 400, not a 404).
    """
    normal = normalise_value(value)
    if normal is None:
        raise ValueError("bukan kode verifikasi atau sha256: harus 64 karakter heksadesimal")
    for key in (kode_key(normal), sha256_key(normal)):
        record = archive.get_json(key)
        if isinstance(record, dict):
            return record
    return None


@dataclass(frozen=True)
class VerificationResult:
    """What the archive says about one file; ``reason`` is for the reader, in Indonesian."""

    authentic: bool
    sha256: str
    record: dict[str, Any] | None
    reason: str
    # The PAdES check, for a PDF of a signed kind (None otherwise).
    signature: SignatureCheck | None = None

    @property
    def status(self) -> str:
        """ASLI; TIDAK ASLI (a known document, but not these bytes); or TIDAK DIKENAL."""
        if self.authentic:
            return "ASLI"
        return "TIDAK ASLI" if self.record is not None else "TIDAK DIKENAL"


def verify_file(
    archive: ArchiveStore, data: bytes, trust_pem: bytes | None = None
) -> VerificationResult:
    """Whether ``data`` is, byte for byte, a document the archive still holds, and, for a
    PDF of a signed kind, whether its signature is intact, valid (chained to ``trust_pem``,
    the CA certificate) and by the document's signer."""
    result = _verify_bytes(archive, data)
    expected = str((result.record or {}).get("penandatangan") or "")
    if not expected or not data.startswith(b"%PDF"):
        return result
    check = _check_signature(data, trust_pem, expected)
    reason = f"{result.reason} {check.keterangan}"
    return replace(result, authentic=result.authentic and check.ok, reason=reason, signature=check)


def _check_signature(data: bytes, trust_pem: bytes | None, expected: str) -> SignatureCheck:
    from activities.signing.check import check_signature  # pyhanko: only when needed

    if not trust_pem:
        return SignatureCheck(
            False, "Sertifikat CA tidak tersedia, jadi tanda tangan elektronik tidak diperiksa."
        )
    return check_signature(data, trust_pem, expected)


def _verify_bytes(archive: ArchiveStore, data: bytes) -> VerificationResult:
    digest = sha256_hex(data)
    record = archive.get_json(sha256_key(digest))
    if not isinstance(record, dict):
        claimed = _claimed_record(archive, data)
        if claimed is not None:
            return VerificationResult(
                False,
                digest,
                claimed,
                "Berkas ini memuat kode verifikasi dokumen yang diarsipkan, tetapi isinya "
                "berbeda dari arsip: berkas telah diubah.",
            )
        return VerificationResult(
            False,
            digest,
            None,
            "Sidik jari (sha256) berkas ini tidak tercatat di arsip dan berkas tidak memuat "
            "kode verifikasi yang dikenal.",
        )
    key = str(record.get(f"{record.get('format')}_key", ""))
    try:
        archived = archive.metadata(key).get(SHA256_KEY) if key else None
    except ArchiveMissing:
        archived = None
    if archived is None:
        return VerificationResult(
            False,
            digest,
            record,
            f"Berkas ini pernah diarsipkan sebagai {key or '-'}, tetapi arsipnya tidak ada lagi.",
        )
    if archived != digest:
        return VerificationResult(
            False,
            digest,
            record,
            f"Arsip {key} kini berisi berkas lain (sha256 {archived}); berkas ini bukan "
            "versi yang diarsipkan.",
        )
    return VerificationResult(
        True, digest, record, f"Berkas ini sama persis dengan dokumen yang diarsipkan di {key}."
    )


def _claimed_record(archive: ArchiveStore, data: bytes) -> dict[str, Any] | None:
    """The record of a verification code printed in an altered file, if one survives."""
    for kode in kode_in_file(data):
        record = archive.get_json(kode_key(kode))
        if isinstance(record, dict):
            return record
    return None


def kode_in_file(data: bytes) -> list[str]:
    """Verification codes in the URL a document prints, in order, without duplicates.

    A DOCX is a zip of XML; a PDF keeps the URL in its link annotation, usually inside a
    compressed object stream, so every Flate stream is inflated (within a budget). A file
    damaged where the URL is yields nothing, and is then simply unknown.
    """
    found: dict[str, None] = {}
    for chunk in _readable_parts(data):
        for match in _KODE_DALAM_BERKAS.finditer(chunk):
            found.setdefault(match.group(1).decode("ascii"))
    return list(found)


def _readable_parts(data: bytes) -> list[bytes]:
    parts = [data]
    budget = _MAKS_INFLATE
    if data.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError):
            return parts
        with archive:
            for info in archive.infolist():
                if not info.filename.endswith(".xml") or info.file_size > budget:
                    continue
                budget -= info.file_size
                try:
                    parts.append(archive.read(info))
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
                    continue  # a damaged member; the others may still hold the URL
        return parts
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            inflated = zlib.decompressobj().decompress(view[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        parts.append(inflated)
    return parts


def describe(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Label/value rows a reader needs (for the CLI and the web page), in Indonesian."""
    from activities import naskah

    tanggal = str(record.get("tanggal") or "-")
    with contextlib.suppress(ValueError):  # an unexpected format is shown as stored
        tanggal = naskah.tanggal(naskah.parse_tanggal(tanggal))
    kind = str(record.get("kind", ""))
    title = str(record.get("title") or kind or "-")
    return [
        ("Dokumen", f"{title} ({kind})" if kind and kind != title else title),
        ("Nomor", str(record.get("nomor") or "-")),
        ("Replikasi", str(record.get("replication") or "-")),
        ("Tanggal", tanggal),
        ("Versi", str(record.get("version") or "-")),
        *([("Penandatangan", str(record["penandatangan"]))] if record.get("penandatangan") else []),
    ]
