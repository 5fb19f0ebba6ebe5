"""Whether a PDF's PAdES signature is intact, valid, ours, and by the right person.

Used by ``replikasi verify`` and ``/verifikasi/...`` (activities/verification.py) beside
the sha256 check: the hash says "these are the archived bytes", the signature says who
signed them and that nothing was changed or added after signing. pyhanko validates the
CMS (digest and RSA signature: *intact*), the chain to our trust anchor (the CA in
``REPLIKASI_PKI_DIR``: *trusted*) and whether the signature covers the whole file (an
incremental update appended afterwards, e.g. one more page, leaves it covering only an
earlier revision).
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Iterator
from typing import Any

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from activities.signing import SignatureCheck, off_event_loop

logger = logging.getLogger(__name__)


def _subject(cert: x509.Certificate) -> dict[str, str]:
    native = cert.subject.native
    return {
        "user": str(native.get("user_id", "")),
        "nama": str(native.get("common_name", "")),
        "jabatan": str(native.get("title", "")),
    }


def _validation_context(trust_pem: bytes) -> ValidationContext:
    # Our dev CA publishes no CRL or OCSP responder; revocation is soft-fail, and nothing
    # is fetched from the network while verifying.
    roots = list(load_certs_from_pemder_data(trust_pem))
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


_QUIET_LOCK = threading.Lock()
_quiet: dict[str, Any] = {"depth": 0, "levels": []}


@contextlib.contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    # pyhanko logs every rejected signature with a traceback at WARNING, which the CLI
    # would print; the verdict says the same in one sentence. Counted, so overlapping
    # checks (the web app's threads) restore the levels only when the last one ends.
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    with _QUIET_LOCK:
        if _quiet["depth"] == 0:
            _quiet["levels"] = [lg.level for lg in loggers]
            for lg in loggers:
                lg.setLevel(logging.CRITICAL + 1)
        _quiet["depth"] += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet["depth"] -= 1
            if _quiet["depth"] == 0:
                for lg, level in zip(loggers, _quiet["levels"], strict=True):
                    lg.setLevel(level)


def check_signature(data: bytes, trust_pem: bytes, expected_user: str) -> SignatureCheck:
    """The verdict on ``data``'s last signature, for a document that ``expected_user`` signs."""
    with _quiet_pyhanko():
        return off_event_loop(_check, data, trust_pem, expected_user)


def _check(data: bytes, trust_pem: bytes, expected_user: str) -> SignatureCheck:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.info("unreadable PDF while checking its signature: %s", exc)
        return SignatureCheck(False, "Berkas PDF rusak; tanda tangan elektronik tidak terbaca.")
    if not signatures:
        return SignatureCheck(
            False,
            "Dokumen ini seharusnya bertanda tangan elektronik, tetapi berkas ini tidak "
            "memuat tanda tangan.",
        )
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, _validation_context(trust_pem))
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("signature validation failed: %s", exc)
        return SignatureCheck(False, "Tanda tangan elektronik rusak dan tidak dapat diperiksa.")
    return _verdict(status, expected_user)


def _verdict(status: PdfSignatureStatus, expected_user: str) -> SignatureCheck:
    who = _subject(status.signing_cert)
    oleh = ", ".join(v for v in (who["nama"], who["jabatan"]) if v)
    problem = _problem(status, who, expected_user)
    if problem:
        return SignatureCheck(False, f"Ditandatangani oleh {oleh}, tetapi {problem}", **who)
    return SignatureCheck(
        True,
        f"Ditandatangani secara elektronik oleh {oleh}; tanda tangan utuh dan sah.",
        **who,
    )


def _problem(status: PdfSignatureStatus, who: dict[str, str], expected_user: str) -> str:
    if not status.intact or not status.valid:
        return "isi berkas berubah setelah ditandatangani: tanda tangan tidak utuh."
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return "berkas diubah setelah ditandatangani (ada tambahan sesudah tanda tangan)."
    if not status.trusted:
        issuer = status.signing_cert.issuer.native.get("common_name", "-")
        return f"sertifikatnya tidak diterbitkan oleh CA yang kami percayai (penerbit: {issuer})."
    if expected_user and who["user"] != expected_user:
        return f"penandatangan dokumen ini seharusnya {expected_user}, bukan {who['user'] or '-'}."
    return ""
