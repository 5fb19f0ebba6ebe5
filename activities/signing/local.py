"""LocalPkiSigner: PAdES signatures (pyhanko) with keys from the development PKI.

The same input gives the same signed bytes, so a retried activity re-puts an identical
object: RSA PKCS#1 v1.5 is deterministic, the signing time is the request's (taken from
the document, not the clock), and pyhanko's two other changing inputs, the new half of
the trailer /ID and the "now" of the modification date, are derived from the request or
left out.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import threading
from datetime import datetime
from typing import Any

from asn1crypto import algos
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from activities.signing import SignerUnavailable, SignRequest, off_event_loop
from activities.signing.pki import Credentials, PkiCredentials

logger = logging.getLogger(__name__)

FIELD_PREFIX = "TTE"
# Room for the CMS, in hex digits (twice its DER size): the signature and our chain of two
# certificates take ~2.7 KB DER, so 4 KB leaves room for long names. A fixed size saves
# pyhanko's estimate, a whole dry-run CMS (~20 ms); a CMS that does not fit fails loudly,
# it is never truncated.
BYTES_RESERVED = 8 * 1024


class _DeterministicWriter(IncrementalPdfFileWriter):
    """An incremental update (the rendered PDF/A bytes stay untouched as its prefix) whose
    new /ID half is derived from the input and the request instead of os.urandom, and
    that leaves the document's metadata alone."""

    def __init__(self, pdf: bytes, request: SignRequest) -> None:
        super().__init__(io.BytesIO(pdf))
        seed = f"{request.user}|{request.signing_time.isoformat()}".encode()
        id1 = self.trailer["/ID"][0]
        id2 = hashlib.sha256(hashlib.sha256(pdf).digest() + seed).digest()[:16]
        self._document_id = generic.ArrayObject([id1, generic.ByteStringObject(id2)])
        self.trailer["/ID"] = self._document_id

    def _update_meta(self) -> None:
        # pyhanko would stamp "now" into the XMP and append itself to the Info dict's
        # /Producer but not to the XMP's: Info and XMP would disagree, which PDF/A forbids
        # (ISO 19005-3 6.6.2.3). The signature carries its own time (/M); the document's
        # metadata stays as WeasyPrint wrote it.
        return


class _FixedTimeSigner(signers.PdfSigner):
    """pyhanko takes the signing time from the wall clock; a document's is its own."""

    def __init__(self, signing_time: datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def signer_from_settings() -> LocalPkiSigner:
    """The worker's signer: the PKI of REPLIKASI_PKI_DIR, read in this process only.

    A deployment with a remote signer (BSrE) passes its own Signer to DocumentActivities.
    """
    from app.settings import get_settings  # the worker's settings, as contexts/common.py

    directory = get_settings().pki_dir
    if not (directory / "ca.pem").is_file():
        logger.warning(
            "no PKI in %s: signed documents wait (retrying) until `replikasi pki init`",
            directory,
        )
    return LocalPkiSigner(PkiCredentials(directory))


class LocalPkiSigner:
    """A :class:`~activities.signing.Signer` for the dev PKI in ``REPLIKASI_PKI_DIR``.

    Keys are decrypted once per user and kept in memory for the worker's life; they are
    never logged. Thread-safe: activities run on the worker's thread pool.
    """

    def __init__(self, credentials: PkiCredentials) -> None:
        self._credentials = credentials
        self._lock = threading.Lock()
        self._signers: dict[str, signers.SimpleSigner] = {}

    def sign(self, pdf: bytes, request: SignRequest) -> bytes:
        meta = signers.PdfSignatureMetadata(
            # A "." would make a hierarchy of fields ("TTE-sekda" with a kid "palopo").
            field_name=f"{FIELD_PREFIX}-{request.user.replace('.', '-')}",
            reason=request.reason,
            location=request.location,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        writer = _DeterministicWriter(pdf, request)
        pdf_signer = _FixedTimeSigner(request.signing_time, meta, signer=self._signer(request.user))
        out = io.BytesIO()
        sign = functools.partial(
            pdf_signer.sign_pdf, writer, bytes_reserved=BYTES_RESERVED, output=out
        )
        off_event_loop(sign)
        return out.getvalue()

    def _signer(self, user: str) -> signers.SimpleSigner:
        with self._lock:
            signer = self._signers.get(user)
            if signer is None:
                signer = self._signers[user] = _simple_signer(self._credentials.credentials(user))
            return signer


class _RsaSigner(signers.SimpleSigner):
    """SimpleSigner re-parses its key for every signature (~40 ms for RSA-2048, twice per
    document with the size estimate); this one keeps the parsed key, and signs with RSA
    PKCS#1 v1.5, which is deterministic (PSS would salt every signature)."""

    def __init__(self, key: rsa.RSAPrivateKey, **kwargs: Any) -> None:
        super().__init__(
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
            **kwargs,
        )
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        return self._key.sign(data, padding.PKCS1v15(), hash_algorithm)


def _simple_signer(creds: Credentials) -> signers.SimpleSigner:
    try:
        key = serialization.load_pem_private_key(creds.key_pem, password=creds.passphrase)
    except (ValueError, TypeError):
        # `from None`: the cause could quote the key material.
        raise SignerUnavailable(
            f"Kunci penandatangan '{creds.user}' tidak dapat dibuka (passphrase salah?)."
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignerUnavailable(f"Kunci penandatangan '{creds.user}' bukan kunci RSA.")
    (cert,) = load_certs_from_pemder_data(creds.certificate_pem)
    ca = list(load_certs_from_pemder_data(creds.ca_pem))
    return _RsaSigner(key, signing_cert=cert, cert_registry=SimpleCertificateStore.from_certs(ca))
