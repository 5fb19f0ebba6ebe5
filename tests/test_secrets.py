"""Secrets never reach workflow history or logs (issue 6, item 4).

Workflow history is kept for years and shown in the Temporal Web UI to anyone with access to
the namespace; logs go to whatever collects them. Neither may hold a storage key, a password
or a signing credential.
"""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

import pytest

from app.settings import Settings
from tests import factories
from tests.conftest import Harness
from tests.fixtures.servers import TEST_ACCESS_KEY, TEST_SECRET_KEY, S3Stack
from tests.test_replication_workflow import decide, through_transfer
from workflows.replication import ReplicationWorkflow

HISTORIES = Path(__file__).with_name("histories")
# Shapes of credentials whatever their value: PEM keys, AWS secret/ID patterns, passphrases.
SECRET_SHAPES = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"(?i)\"(passphrase|password|kata_sandi|secret[_-]?key)\"\s*:\s*\"[^\"]+\""),
]


def secret_values(settings: Settings) -> list[str]:
    """The concrete secrets of this run: the embedded and the test S3 keys."""
    defaults = Settings()
    return sorted({settings.s3_secret_key, defaults.s3_secret_key, TEST_SECRET_KEY})


def leaks(text: str, values: list[str]) -> list[str]:
    """Every secret value (also base64-encoded, as payloads are) or secret shape in text."""
    found = [v for v in values if v in text or base64.b64encode(v.encode()).decode() in text]
    return found + [shape.pattern for shape in SECRET_SHAPES if shape.search(text)]


def test_recorded_histories_hold_no_secret(s3_stack: S3Stack) -> None:
    """The histories kept for replay tests (real runs) hold no key, password or passphrase."""
    values = secret_values(s3_stack.settings)

    found = {path.name: leaks(path.read_text(), values) for path in HISTORIES.glob("*.json")}

    assert {} == {name: hits for name, hits in found.items() if hits}
    assert 4 <= len(found)


async def test_a_whole_lifecycle_logs_and_records_no_secret(
    harness: Harness, s3_stack: S3Stack, caplog: pytest.LogCaptureFixture
) -> None:
    """From start to selesai at DEBUG level: neither the history nor any log line leaks."""
    caplog.set_level(logging.DEBUG)
    handle = await harness.start(harness.replication())
    await through_transfer(handle)
    await handle.execute_update(ReplicationWorkflow.tim_dibentuk, factories.team())
    await handle.execute_update(ReplicationWorkflow.rencana_aksi, factories.plan(1))
    await decide(handle, "kadinkes.palopo", "approve")
    await decide(handle, "sekda.palopo", "approve")
    await handle.result()
    history = (await handle.fetch_history()).to_json()
    values = secret_values(s3_stack.settings)

    assert [] == leaks(history, values)
    assert [] == leaks(caplog.text, values)
    assert TEST_ACCESS_KEY not in history
    assert caplog.records, "nothing was logged, so the log check proved nothing"


def test_the_scan_finds_a_planted_secret() -> None:
    """The scanner itself: a key in clear, base64-encoded, or a PEM block is reported."""
    encoded = base64.b64encode(b"s3kr1t-value").decode()

    assert ["s3kr1t-value"] == leaks('{"x": "s3kr1t-value"}', ["s3kr1t-value"])
    assert ["s3kr1t-value"] == leaks(f'{{"data": "{encoded}"}}', ["s3kr1t-value"])
    assert 1 == len(leaks("-----BEGIN RSA PRIVATE KEY-----", []))
    assert 1 == len(leaks('{"passphrase": "rahasia"}', []))
