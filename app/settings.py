"""Configuration read from the environment, with the embedded stack's defaults (DESIGN.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SESSION_SECRET = "replikasi-dev-session-secret"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


# Every environment variable the code reads, here or where noted (README "Configuration";
# tests/test_deploy.py checks the compose file, the k8s manifests and the README against it).
VARIABLES = (
    "TEMPORAL_ADDRESS",
    "TEMPORAL_NAMESPACE",
    "REPLIKASI_TASK_QUEUE",
    "REPLIKASI_RENDER_TASK_QUEUE",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "REPLIKASI_BUCKET",
    "REPLIKASI_OBJECT_LOCK",
    "REPLIKASI_DATA_DIR",
    "REPLIKASI_RENDER_PROCESSES",
    "REPLIKASI_WEB_HOST",
    "REPLIKASI_WEB_PORT",
    "REPLIKASI_PUBLIC_URL",
    "REPLIKASI_METRICS_PORT",
    "REPLIKASI_LOG_FORMAT",
    "REPLIKASI_TEMPLATES_DIR",  # activities/rendering.py (each render process reads it)
    "REPLIKASI_INSTANSI_DIR",  # app/instansi.py
    "REPLIKASI_ACCOUNTS_FILE",
    "REPLIKASI_SESSION_SECRET",
    "REPLIKASI_ENV",
    "REPLIKASI_ZONA_WAKTU",
    "REPLIKASI_SMTP_HOST",
    "REPLIKASI_SMTP_PORT",
    "REPLIKASI_SMTP_FROM",
    "REPLIKASI_APPROVER_EMAILS",
    "REPLIKASI_PKI_DIR",
    "REPLIKASI_TTE_PENERBIT",
    "REPLIKASI_KATALOG",  # app/katalog.py
    "REPLIKASI_API_TOKENS_FILE",
    "REPLIKASI_DEBUG",  # app/cli.py: a traceback instead of the one-line error
)


@dataclass(frozen=True)
class Settings:
    """Every variable of the contract in DESIGN.md; read once per process."""

    temporal_address: str = field(
        default_factory=lambda: _env("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    )
    temporal_namespace: str = field(default_factory=lambda: _env("TEMPORAL_NAMESPACE", "default"))
    task_queue: str = field(default_factory=lambda: _env("REPLIKASI_TASK_QUEUE", "replikasi"))
    # Where produce_document runs: render workers' own queue; "" = the task queue itself.
    render_task_queue: str = field(default_factory=lambda: _env("REPLIKASI_RENDER_TASK_QUEUE", ""))
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
    # 0.0.0.0 in a container, so the published port reaches the app.
    web_host: str = field(default_factory=lambda: _env("REPLIKASI_WEB_HOST", "127.0.0.1"))
    web_port: int = field(default_factory=lambda: int(_env("REPLIKASI_WEB_PORT", "8000")))
    # Where the web app is reached from outside: printed on every document (QR code and
    # the verification line), so it must be the address readers of the paper can open.
    public_url: str = field(
        default_factory=lambda: _env("REPLIKASI_PUBLIC_URL", "http://127.0.0.1:8000")
    )
    # YAML of the API tokens' hashes per integration (app/apitokens.py); unset = no API.
    api_tokens_file: Path | None = field(
        default_factory=lambda: (
            Path(p) if (p := os.environ.get("REPLIKASI_API_TOKENS_FILE")) else None
        )
    )
    # The web app's accounts (app/accounts.py); the embedded stack's demo accounts by default.
    accounts_file: Path = field(
        default_factory=lambda: Path(
            _env("REPLIKASI_ACCOUNTS_FILE", str(ROOT / "examples" / "akun.yaml"))
        )
    )
    # Signs the web session cookie. `replikasi web` refuses the default outside development.
    session_secret: str = field(
        default_factory=lambda: _env("REPLIKASI_SESSION_SECRET", DEFAULT_SESSION_SECRET)
    )
    # "development" (the embedded stack) or anything else, e.g. "production".
    environment: str = field(default_factory=lambda: _env("REPLIKASI_ENV", "development"))
    # The Indonesian time zone the web pages show times in (WIB, WITA or WIT).
    web_zone: str = field(default_factory=lambda: _env("REPLIKASI_ZONA_WAKTU", "WITA"))
    render_processes: int = field(
        default_factory=lambda: int(_env("REPLIKASI_RENDER_PROCESSES", str(os.cpu_count() or 2)))
    )
    # S3 Object Lock on archived documents, until the end of their JRA retention:
    # "governance" (an administrator with bypass rights may still delete), "compliance"
    # (nobody may, not even the account owner) or "off". Only a new bucket can get it.
    object_lock: str = field(default_factory=lambda: _env("REPLIKASI_OBJECT_LOCK", "governance"))
    # The worker's Prometheus endpoint (Temporal SDK metrics on :PORT/metrics); 0 = off.
    metrics_port: int = field(default_factory=lambda: int(_env("REPLIKASI_METRICS_PORT", "0")))
    # "json": one JSON object per log line (for a log collector); anything else: plain text.
    log_format: str = field(default_factory=lambda: _env("REPLIKASI_LOG_FORMAT", "text"))
    # The e-mail channel of reminders and escalations: off while REPLIKASI_SMTP_HOST is
    # unset. Addresses come from REPLIKASI_APPROVER_EMAILS (YAML, user id: address), never
    # from workflow history, which holds only user ids.
    smtp_host: str = field(default_factory=lambda: _env("REPLIKASI_SMTP_HOST", ""))
    smtp_port: int = field(default_factory=lambda: int(_env("REPLIKASI_SMTP_PORT", "25")))
    smtp_from: str = field(
        default_factory=lambda: _env("REPLIKASI_SMTP_FROM", "replikasi@localhost")
    )
    approver_emails: Path | None = field(
        default_factory=lambda: (
            Path(p) if (p := os.environ.get("REPLIKASI_APPROVER_EMAILS")) else None
        )
    )

    @property
    def render_queue(self) -> str:
        """The queue produce_document is scheduled on; "" when it is the task queue."""
        queue = self.render_task_queue.strip()
        return "" if queue == self.task_queue else queue

    @property
    def pki_dir(self) -> Path:
        return Path(self.pki_dir_setting) if self.pki_dir_setting else self.data_dir / "pki"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; cached so every caller sees the same values."""
    return Settings()
