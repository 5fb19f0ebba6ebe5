"""Configuration read from the environment, with the embedded stack's defaults (DESIGN.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Settings:
    """Every variable of the contract in DESIGN.md; read once per process."""

    temporal_address: str = field(
        default_factory=lambda: _env("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    )
    temporal_namespace: str = field(default_factory=lambda: _env("TEMPORAL_NAMESPACE", "default"))
    task_queue: str = field(default_factory=lambda: _env("REPLIKASI_TASK_QUEUE", "replikasi"))
    s3_endpoint: str = field(
        default_factory=lambda: _env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:8333")
    )
    s3_access_key: str = field(default_factory=lambda: _env("AWS_ACCESS_KEY_ID", "replikasi"))
    s3_secret_key: str = field(
        default_factory=lambda: _env("AWS_SECRET_ACCESS_KEY", "replikasi-dev-secret")
    )
    s3_region: str = field(default_factory=lambda: _env("AWS_DEFAULT_REGION", "us-east-1"))
    # The signers' certificates and keys (activities/signing/pki.py); "" = <data_dir>/pki.
    pki_dir_setting: str = field(default_factory=lambda: _env("REPLIKASI_PKI_DIR", ""))
    # Who issued the signers' certificates, as signed documents print it (domain.md §3.6:
    # "... sertifikat elektronik yang diterbitkan oleh BSrE" only when BSrE really did).
    tte_penerbit: str = field(
        default_factory=lambda: _env(
            "REPLIKASI_TTE_PENERBIT",
            "CA Pengembangan replikasi (sertifikat uji, bukan BSrE)",
        )
    )
    bucket: str = field(default_factory=lambda: _env("REPLIKASI_BUCKET", "replikasi-arsip"))
    data_dir: Path = field(default_factory=lambda: Path(_env("REPLIKASI_DATA_DIR", ".data")))
    web_port: int = field(default_factory=lambda: int(_env("REPLIKASI_WEB_PORT", "8000")))
    # Where the web app is reached from outside: printed on every document (QR code and
    # the verification line), so it must be the address readers of the paper can open.
    public_url: str = field(
        default_factory=lambda: _env("REPLIKASI_PUBLIC_URL", "http://127.0.0.1:8000")
    )
    render_processes: int = field(
        default_factory=lambda: int(_env("REPLIKASI_RENDER_PROCESSES", str(os.cpu_count() or 2)))
    )

    @property
    def pki_dir(self) -> Path:
        return Path(self.pki_dir_setting) if self.pki_dir_setting else self.data_dir / "pki"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; cached so every caller sees the same values."""
    return Settings()
