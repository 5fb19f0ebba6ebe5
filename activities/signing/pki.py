"""The development PKI: one CA and one certificate + key per signer, in a folder.

Layout of ``REPLIKASI_PKI_DIR`` (default ``<REPLIKASI_DATA_DIR>/pki``)::

    ca.pem                          the CA certificate: the trust anchor of verification
    ca-key.pem                      the CA's key (0600); only `replikasi pki init` reads it
    penandatangan/<user>/cert.pem   the signer's certificate (CN nama, title jabatan, UID user)
    penandatangan/<user>/key.pem    the signer's key, PKCS#8 encrypted with the passphrase (0600)
    penandatangan/<user>/passphrase the passphrase (0600), as a remote signer would ask for it

Secrets are written with mode 0600 in folders of mode 0700, and read only by the worker
(:class:`PkiCredentials`). This CA is **not** BSrE/BSSN: documents it signs say so, and a
signature by it has no legal force (PP 71/2019 Pasal 60 needs a certified PSrE).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from activities.signing import SignerUnavailable

CA_NAME = "CA Pengembangan replikasi"
CA_ORGANISATION = "replikasi (pengembangan, bukan BSrE)"
# The seed scenario is dated 2020: certificates must be valid at the documents' dates.
VALID_FROM = datetime(2015, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2050, 12, 31, tzinfo=UTC)
KEY_BITS = 2048
_USER = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def check_user(user: str) -> str:
    """A user id safe as a folder name (no "/", no ".."), or ValueError."""
    if not _USER.fullmatch(user) or ".." in user:
        raise ValueError(f"id pengguna tidak sah untuk sertifikat: {user!r}")
    return user


@dataclass(frozen=True)
class SignerIdentity:
    """Who a certificate names: the user id and the official as documents print them."""

    user: str
    nama: str
    jabatan: str = ""
    instansi: str = ""


@dataclass(frozen=True)
class Credentials:
    """What signing needs; never logged, never in an exception message."""

    user: str
    certificate_pem: bytes
    key_pem: bytes
    passphrase: bytes
    ca_pem: bytes


class PkiCredentials:
    """Credentials from the PKI folder, read in the worker (never through history)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def ca_pem(self) -> bytes:
        path = self.directory / "ca.pem"
        if not path.is_file():
            raise SignerUnavailable(
                f"CA tidak ada di {self.directory}; jalankan `replikasi pki init`."
            )
        return path.read_bytes()

    def credentials(self, user: str) -> Credentials:
        folder = signer_dir(self.directory, check_user(user))
        files = [folder / name for name in ("cert.pem", "key.pem", "passphrase")]
        if not all(f.is_file() for f in files):
            raise SignerUnavailable(
                f"Sertifikat penandatangan '{user}' tidak ada di {self.directory}; jalankan "
                "`replikasi pki init` (atau sediakan sertifikatnya) lalu dokumen dicoba lagi."
            )
        cert, key, passphrase = (f.read_bytes() for f in files)
        return Credentials(user, cert, key, passphrase.strip(), self.ca_pem())


def signer_dir(directory: Path, user: str) -> Path:
    return Path(directory) / "penandatangan" / user


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_CREAT


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _builder(
    subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )


def _key_usage(signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # non-repudiation: the signer stands behind the content
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _new_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name(
        (NameOID.COUNTRY_NAME, "ID"),
        (NameOID.ORGANIZATION_NAME, CA_ORGANISATION),
        (NameOID.COMMON_NAME, CA_NAME),
    )
    cert = (
        _builder(name, name, key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        .add_extension(_key_usage(signer=False), True)
        .sign(key, hashes.SHA256())
    )
    _write_secret(
        directory / "ca-key.pem",
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    (directory / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _load_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey] | None:
    cert_path, key_path = directory / "ca.pem", directory / "ca-key.pem"
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{key_path}: bukan kunci RSA")
    return cert, key


def _issue(
    directory: Path, ca: tuple[x509.Certificate, rsa.RSAPrivateKey], who: SignerIdentity
) -> None:
    ca_cert, ca_key = ca
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = _name(
        (NameOID.COUNTRY_NAME, "ID"),
        (NameOID.ORGANIZATION_NAME, who.instansi),
        (NameOID.TITLE, who.jabatan),
        (NameOID.USER_ID, who.user),
        (NameOID.COMMON_NAME, who.nama or who.user),
    )
    cert = (
        _builder(subject, ca_cert.subject, key)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(_key_usage(signer=True), True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(24).encode("ascii")
    folder = signer_dir(directory, who.user)
    encryption = serialization.BestAvailableEncryption(passphrase)
    pkcs8 = serialization.PrivateFormat.PKCS8
    _write_secret(folder / "passphrase", passphrase + b"\n")
    _write_secret(
        folder / "key.pem", key.private_bytes(serialization.Encoding.PEM, pkcs8, encryption)
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure_pki(directory: Path, signers: list[SignerIdentity]) -> list[str]:
    """Create what is missing (the CA, then each signer's certificate); idempotent.

    Returns one line per thing made, for the command to print; existing certificates are
    kept as they are (re-issuing would orphan documents already signed with them).
    """
    directory = Path(directory)
    for folder in (directory, directory / "penandatangan"):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
    made = []
    ca = _load_ca(directory)
    if ca is None:
        ca = _new_ca(directory)
        made.append(f"CA dibuat: {CA_NAME} ({directory / 'ca.pem'})")
    for who in signers:
        if (signer_dir(directory, check_user(who.user)) / "cert.pem").is_file():
            continue
        _issue(directory, ca, who)
        made.append(f"sertifikat dibuat: {who.user} — {who.nama}, {who.jabatan}".rstrip(", "))
    return made
