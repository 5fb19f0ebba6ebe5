"""Reminders and escalations to the people a replication waits for: a log channel, always,
and an e-mail channel (SMTP) when configured.

History holds only user ids; the addresses are configuration (REPLIKASI_APPROVER_EMAILS),
read by the worker, so an address can change without touching a workflow and no secret
ever reaches history. A retried activity may send a message twice: at least once, as any
reminder should be.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

from temporalio import activity

from activities import naskah
from app.settings import Settings
from app.yamlio import load_yaml
from workflows.models import ReminderInput
from workflows.validation import ZONES

logger = logging.getLogger("replikasi.notifier")


@dataclass(frozen=True)
class EmailChannel:
    """SMTP without authentication (a relay inside the government network)."""

    host: str
    port: int
    sender: str
    addresses: dict[str, str] = field(default_factory=dict)

    def send(self, inp: ReminderInput) -> list[str]:
        """Mail the users that have an address; returns the addresses written to."""
        to = list(dict.fromkeys(self.addresses[u] for u in inp.users if u in self.addresses))
        if not to:
            return []
        message = EmailMessage()
        message["Subject"] = subject(inp)
        message["From"] = self.sender
        message["To"] = ", ".join(to)
        message.set_content(body(inp))
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(message)
        return to


def load_addresses(path: Path | None) -> dict[str, str]:
    """user id → address from a YAML mapping; {} when no file is configured."""
    if path is None:
        return {}
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: harus berisi pasangan user: alamat surel.")
    return {str(user): str(address) for user, address in data.items()}


def subject(inp: ReminderInput) -> str:
    kind = "Eskalasi" if inp.escalation else "Pengingat"
    return f"[Replikasi {inp.replication_id}] {kind}: menunggu {inp.waiting_for}"


def body(inp: ReminderInput) -> str:
    lines = [
        "Yth. Bapak/Ibu,",
        "",
        f"Replikasi {inp.replication_id} (tahap {inp.stage}) menunggu {inp.waiting_for}.",
    ]
    if inp.due:
        lines.append(f"Tenggat: {due_text(inp.due, inp.zona)}.")
    if inp.escalation:
        lines.append("Tenggat telah lewat; pesan ini diteruskan kepada atasan atau koordinator.")
    lines += ["", "Pesan ini dikirim otomatis oleh sistem replikasi."]
    return "\n".join(lines) + "\n"


def due_text(due: str, zona: str) -> str:
    """ "10 Desember 2020 pukul 16.00 WITA" from an ISO instant."""
    zona = zona if zona in ZONES else "WITA"
    local = datetime.fromisoformat(due).astimezone(timezone(timedelta(hours=ZONES[zona])))
    return f"{naskah.tanggal(local.date())} {naskah.pukul(local.time(), zona)}"


class NotifierActivities:
    def __init__(self, email: EmailChannel | None = None) -> None:
        self.email = email
        self.sent: list[ReminderInput] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> NotifierActivities:
        if not settings.smtp_host:
            return cls()
        addresses = load_addresses(settings.approver_emails)
        return cls(
            EmailChannel(settings.smtp_host, settings.smtp_port, settings.smtp_from, addresses)
        )

    @activity.defn
    def send_reminder(self, inp: ReminderInput) -> None:
        kind = "ESKALASI" if inp.escalation else "PENGINGAT"
        logger.info(
            "%s replikasi=%s tahap=%s menunggu=%s kepada=%s pengguna=%s tenggat=%s",
            kind,
            inp.replication_id,
            inp.stage,
            inp.waiting_for,
            "; ".join(inp.recipients),
            ",".join(inp.users),
            inp.due,
        )
        if self.email is not None:
            mailed = self.email.send(inp)
            logger.info("%s surel kepada %s", kind, ", ".join(mailed) or "(tidak ada alamat)")
        self.sent.append(inp)
