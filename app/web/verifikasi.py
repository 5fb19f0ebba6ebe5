"""``/verifikasi/<kode or sha256>``: the page the QR code on every document opens.

Server-rendered and light (no JavaScript, a little inline CSS), readable on a phone: it
shows the archived record of a document and checks an uploaded file against it. The
archive comes through a FastAPI dependency (``get_archive``), so tests can override it.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from activities.archive import SHA256_KEY, ArchiveMissing, ArchiveStore
from activities.verification import (
    VerificationResult,
    describe,
    lookup,
    normalise_value,
    verify_file,
)
from app.settings import Settings, get_settings

router = APIRouter()

MAX_UPLOAD = 50 * 1024 * 1024  # far above any naskah dinas; stops a runaway upload

HEADERS = {
    # No scripts, no outside resources, forms only to this site.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

CSS = (
    "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f5f5f2}"
    "main{max-width:40rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.3rem;margin:.4rem 0 1rem}"
    "dl,form{margin:0 0 1rem;background:#fff;border:1px solid #ddd;border-radius:6px;"
    "padding:.6rem .9rem}"
    "dt{font-size:.8rem;color:#555;margin-top:.4rem}"
    "dd{margin:0 0 .2rem;overflow-wrap:anywhere}"
    "code{font-size:.8rem;word-break:break-all}"
    ".status{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;overflow-wrap:anywhere}"
    ".ok{background:#e2f3e5;border:1px solid #78bb85}"
    ".tidak{background:#fbe4e2;border:1px solid #d8817a}"
    ".info{background:#fff;border:1px solid #ddd}"
    "label{display:block;margin-bottom:.5rem}"
    "input{display:block;max-width:100%;margin-bottom:.7rem}"
    "button{font:inherit;padding:.4rem 1.2rem;border:0;border-radius:4px;background:#1d4e89;"
    "color:#fff}"
    ".catatan{font-size:.85rem;color:#555}"
)


def get_archive(request: Request) -> ArchiveStore:
    """The archive of the app's settings, one S3 client per app."""
    state = request.app.state
    archive = getattr(state, "archive", None)
    if archive is None:
        settings: Settings = getattr(state, "settings", None) or get_settings()
        archive = state.archive = ArchiveStore.from_settings(settings)
    return archive


def get_trust_anchor(request: Request) -> bytes | None:
    """The CA certificate of REPLIKASI_PKI_DIR that signatures must chain to, if any."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    path = settings.pki_dir / "ca.pem"
    return path.read_bytes() if path.is_file() else None


Archive = Annotated[ArchiveStore, Depends(get_archive)]
TrustAnchor = Annotated[bytes | None, Depends(get_trust_anchor)]


@router.get("/verifikasi/{value}", response_class=HTMLResponse)
def verifikasi(value: str, archive: Archive, trust: TrustAnchor) -> HTMLResponse:
    """The record of a document, by its verification code or a file's sha256; for a
    signed kind, also what the archived PDF's signature says (who signed it)."""
    found = _find(archive, value)
    if isinstance(found, HTMLResponse):
        return found
    return _record_page(archive, found, _archived_signature(archive, found, trust))


def _archived_signature(archive: ArchiveStore, record: dict[str, Any], trust: bytes | None) -> str:
    expected = str(record.get("penandatangan") or "")
    if not expected:
        return ""
    try:
        data = archive.get(str(record.get("pdf_key", "")))
    except ArchiveMissing:
        return ""  # the record page says the archive lost the file
    check = verify_file(archive, data, trust).signature
    if check is None:
        return ""
    return _status("ok" if check.ok else "tidak", "Tanda tangan elektronik", check.keterangan)


@router.post("/verifikasi/{value}", response_class=HTMLResponse)
def periksa(
    value: str,
    archive: Archive,
    trust: TrustAnchor,
    berkas: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """Check an uploaded file against the record shown at ``/verifikasi/<value>``."""
    found = _find(archive, value)
    if isinstance(found, HTMLResponse):
        return found
    if berkas is None or not berkas.filename:
        return _record_page(archive, found, _status("tidak", "Pilih berkas", "Belum ada berkas."))
    data = berkas.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        hasil = _status("tidak", "Terlalu besar", "Berkas lebih dari 50 MB.")
        return _record_page(archive, found, hasil, status_code=413)
    result = verify_file(archive, data, trust)
    return _record_page(archive, found, _upload_result(found, result))


def _find(archive: ArchiveStore, value: str) -> dict[str, Any] | HTMLResponse:
    if normalise_value(value) is None:
        return _page(
            "Kode tidak sah",
            _status(
                "tidak",
                "Kode tidak sah",
                "Kode verifikasi atau sidik jari SHA-256 terdiri atas 64 karakter "
                "heksadesimal (0–9, a–f). Periksa kembali alamat yang Anda buka.",
            ),
            status_code=400,
        )
    record = lookup(archive, value)
    if record is None:
        return _page(
            "Dokumen tidak ditemukan",
            _status(
                "tidak",
                "Tidak dikenal",
                "Tidak ada dokumen di arsip dengan kode atau sidik jari ini. Dokumen yang "
                "kodenya tidak tercatat tidak dapat dipastikan keasliannya.",
            )
            + f"<p class='catatan'>Dicari: <code>{escape(value)}</code></p>",
            status_code=404,
        )
    return record


def _archived_intact(archive: ArchiveStore, record: dict[str, Any]) -> bool:
    """Whether both renditions are still archived with the sha256 the record names."""
    for fmt in ("pdf", "docx"):
        try:
            stored = archive.metadata(str(record.get(f"{fmt}_key", ""))).get(SHA256_KEY)
        except ArchiveMissing:
            return False
        if stored != record.get(f"{fmt}_sha256"):
            return False
    return True


def _record_page(
    archive: ArchiveStore, record: dict[str, Any], hasil: str = "", status_code: int = 200
) -> HTMLResponse:
    if _archived_intact(archive, record):
        keadaan = _status("ok", "Tercatat", "Dokumen ini tercatat dan tersimpan utuh di arsip.")
    else:
        keadaan = _status(
            "tidak",
            "Perhatian",
            "Dokumen ini tercatat, tetapi berkas di arsip telah berubah atau tidak ada lagi.",
        )
    rows = [(label, escape(value)) for label, value in describe(record)]
    for label, field in (
        ("Kode verifikasi", "kode"),
        ("SHA-256 PDF", "pdf_sha256"),
        ("SHA-256 DOCX", "docx_sha256"),
    ):
        rows.append((label, f"<code>{escape(str(record.get(field, '')))}</code>"))
    items = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows)
    form = (
        "<form method='post' enctype='multipart/form-data'>"
        "<label for='berkas'>Periksa berkas yang Anda terima (PDF atau DOCX):</label>"
        "<input type='file' id='berkas' name='berkas' required "
        "accept='.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document'>"
        "<button type='submit'>Periksa</button></form>"
    )
    catatan = (
        "<p class='catatan'>Berkas asli sama persis, bita demi bita, dengan berkas di arsip: "
        "sidik jari SHA-256-nya sama. Berkas yang diubah sedikit pun tidak akan cocok.</p>"
    )
    body = f"{hasil}{keadaan}<dl>{items}</dl>{form}{catatan}"
    return _page("Verifikasi Dokumen", body, status_code=status_code)


def _upload_result(record: dict[str, Any], result: VerificationResult) -> str:
    sidik = f"<br><small>SHA-256 berkas: <code>{escape(result.sha256)}</code></small>"
    if result.authentic and result.record and result.record.get("kode") == record.get("kode"):
        fmt = str(result.record.get("format", "")).upper()
        teks = f"Berkas {escape(fmt)} ini sama persis dengan dokumen yang diarsipkan."
        if result.signature is not None:
            teks += f" {escape(result.signature.keterangan)}"
        return _status("ok hasil", "ASLI", teks + sidik, raw=True)
    if result.authentic and result.record:
        lain = ", ".join(f"{label}: {value}" for label, value in describe(result.record)[:2])
        teks = f"Berkas ini tercatat di arsip sebagai dokumen lain ({lain}), bukan dokumen ini."
        return _status("tidak hasil", "TIDAK COCOK", escape(teks) + sidik, raw=True)
    return _status("tidak hasil", result.status, escape(result.reason) + sidik, raw=True)


def _status(kind: str, label: str, text: str, raw: bool = False) -> str:
    body = text if raw else escape(text)
    return f"<p class='status {kind}'><strong>{escape(label)}</strong> — {body}</p>"


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    html = (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        "<meta name='robots' content='noindex'>"
        f"<title>{escape(title)} · replikasi</title><style>{CSS}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)
