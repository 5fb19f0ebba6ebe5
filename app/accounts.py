"""Web accounts: approvers and coordinators, read from a YAML file with hashed passwords.

The file ($REPLIKASI_ACCOUNTS_FILE, by default examples/akun.yaml for the embedded stack):

    akun:
      - user: kadinkes.palopo          # the approver's user id in replication YAML
        nama: dr. Andi Rahmawati Saleh, M.Kes.
        peran: penyetuju               # or koordinator
        sandi: scrypt$16384$8$1$<salt>$<hash>   # from `replikasi akun hash`

Passwords are hashed with stdlib scrypt and a random salt per account, so the file may be
kept in configuration without revealing them. An account is only "who this user id is":
a later OIDC sign-in maps its subject to the same user id and needs no other change.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.yamlio import YamlError, load_yaml

PENYETUJU = "penyetuju"
KOORDINATOR = "koordinator"
ROLES = (PENYETUJU, KOORDINATOR)


# scrypt's recommended interactive cost (RFC 7914 §2: N=2^14, r=8, p=1): ~16 MB, ~50 ms.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_USER = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class AccountsError(ValueError):
    """The accounts file cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class Account:
    user: str
    nama: str
    peran: str
    sandi: str = field(default="", repr=False)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """The text kept in the accounts file for `password`: scrypt$N$r$p$salt$hash."""
    salt = salt or os.urandom(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by `hash_password` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, _unb64(digest))


@functools.cache
def dummy_hash() -> str:
    """Checked when the user id is unknown, so that an unknown account costs as much time
    as a wrong password and sign-in timing does not tell which user ids exist."""
    return hash_password("replikasi-tidak-ada", salt=b"\0" * 16)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_accounts(path: Path) -> dict[str, Account]:
    """Every account of the file by user id; AccountsError names what is wrong."""
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise AccountsError(f"Berkas akun tidak dapat dibaca: {exc}") from exc
    entries = data.get("akun") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AccountsError(f"Berkas akun {path}: harus berisi daftar 'akun:'.")
    accounts: dict[str, Account] = {}
    for number, entry in enumerate(entries, start=1):
        account = _account(entry, f"{path}: akun ke-{number}")
        if account.user in accounts:
            raise AccountsError(f"{path}: user '{account.user}' tercantum dua kali.")
        accounts[account.user] = account
    return accounts


def _account(entry: Any, where: str) -> Account:
    if not isinstance(entry, dict):
        raise AccountsError(f"{where}: harus berupa pasangan kolom: nilai.")
    unknown = sorted(set(entry) - {"user", "nama", "peran", "sandi"})
    if unknown:
        raise AccountsError(f"{where}: kolom tidak dikenal: {', '.join(map(str, unknown))}.")
    user, peran, sandi = (str(entry.get(k) or "") for k in ("user", "peran", "sandi"))
    if not _USER.match(user):
        raise AccountsError(f"{where}: 'user' harus huruf kecil, angka, titik atau tanda hubung.")
    if peran not in ROLES:
        raise AccountsError(f"{where} ({user}): 'peran' harus {' atau '.join(ROLES)}.")
    if not sandi.startswith("scrypt$") or sandi.count("$") != 5:
        raise AccountsError(
            f"{where} ({user}): 'sandi' harus hash dari `replikasi akun hash`, bukan sandi asli."
        )
    return Account(user=user, nama=str(entry.get("nama") or user), peran=peran, sandi=sandi)
