"""API tokens of the systems that send coordinator events (`POST /api/replikasi/...`).

One token per integration (an e-office, a provincial dashboard), kept in a YAML file named
by REPLIKASI_API_TOKENS_FILE as its sha256 only:

    integrasi:
      srikandi-sulsel:
        sha256: 5f1c...e9

so a leaked file does not leak a token. A token is 32 random bytes (`secrets`), so a fast
hash is enough: there is no password to guess by brute force. `replikasi api-token NAME`
creates one, stores its hash and prints the token once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

import yaml

from app.yamlio import YamlError, load_yaml

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class TokenFileError(ValueError):
    """The token file cannot be read or an integration name is not valid."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_hashes(path: Path | None) -> dict[str, str]:
    """Integration name → sha256 of its token; empty when no file is configured."""
    if path is None or not path.is_file():
        return {}
    try:
        data = load_yaml(path) or {}
    except YamlError as exc:
        raise TokenFileError(str(exc)) from exc
    entries = data.get("integrasi") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise TokenFileError(f"berkas token {path}: harus berisi `integrasi:` nama → sha256.")
    hashes = {}
    for name, entry in entries.items():
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise TokenFileError(f"berkas token {path}, integrasi '{name}': sha256 tidak sah.")
        hashes[str(name)] = sha
    return hashes


def integration_of(token: str, hashes: dict[str, str]) -> str | None:
    """The integration whose token this is, or None; compared in constant time."""
    presented = digest(token)
    found = None
    for name, sha in hashes.items():
        if hmac.compare_digest(presented, sha):
            found = name
    return found


def create_token(path: Path, name: str) -> str:
    """A new token for `name` (replacing its old one); only its hash is written."""
    if not _NAME.match(name):
        raise TokenFileError(f"nama integrasi '{name}': huruf kecil, angka dan tanda hubung.")
    hashes = load_hashes(path)
    token = secrets.token_urlsafe(32)
    hashes[name] = digest(token)
    entries = {key: {"sha256": sha} for key, sha in sorted(hashes.items())}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Token API per integrasi (hanya sha256; lihat app/apitokens.py).\n"
        + yaml.safe_dump({"integrasi": entries}, sort_keys=True),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return token
