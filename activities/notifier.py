"""Reminders and escalations to the people a replication waits for (log channel)."""

from __future__ import annotations

import logging

from temporalio import activity

from workflows.models import ReminderInput

logger = logging.getLogger("replikasi.notifier")


class NotifierActivities:
    def __init__(self) -> None:
        self.sent: list[ReminderInput] = []

    @activity.defn
    def send_reminder(self, inp: ReminderInput) -> None:
        kind = "ESKALASI" if inp.escalation else "PENGINGAT"
        logger.info(
            "%s replikasi=%s tahap=%s menunggu=%s kepada=%s",
            kind,
            inp.replication_id,
            inp.stage,
            inp.waiting_for,
            "; ".join(inp.recipients),
        )
        self.sent.append(inp)
