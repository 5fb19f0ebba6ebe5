"""Electronic signatures (TTE) on the signed kinds: who signs, with what, and how.

The document activity renders a PDF, then asks a :class:`Signer` to sign its bytes for one
user id (the approver's ``user``, e.g. ``sekda.palopo``); the signed bytes are archived as
they are and never rendered again (domain.md §3.6: any change breaks the signature).

Keys and passphrases never enter workflow history: the workflow passes only the user id
(``ProduceDocumentInput.penandatangan``), and the signer finds the credentials itself, in
the worker, from ``REPLIKASI_PKI_DIR`` (:mod:`activities.signing.pki`).

How a remote signer such as BSrE's plugs in: implement :class:`Signer` with a class that,
for each request, asks its own credential source for the official's NIK and passphrase
(a vault, or a passphrase the official types on the approval page and that is handed to
the worker outside history, e.g. through a short-lived secret store keyed by the update
id), sends the PDF (or, with pyhanko's ``PdfTBSDocument``, only the digest of its byte
range) to the signing service, and returns the signed PDF. Pass it to
``DocumentActivities(signer=...)`` in ``worker.py``; nothing else changes. Whatever it
does, it must not log the passphrase or put it in an exception message (the activity's
failure goes to history).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from workflows.models import SIGNED_KINDS

T = TypeVar("T")

__all__ = ["SIGNED_KINDS", "SignRequest", "SignatureCheck", "Signer", "SignerUnavailable"]


class SignerUnavailable(Exception):
    """No usable credentials for this user (yet): retrying helps once they are provisioned.

    The message names the user id and what to do, never a key or a passphrase.
    """


@dataclass(frozen=True)
class SignRequest:
    """One signature: by whom, why, where and when (the time printed in the signature)."""

    user: str
    reason: str
    location: str
    signing_time: datetime


class Signer(Protocol):
    """Signs PDF bytes for one user; returns the whole signed file (an incremental update,
    so the rendered bytes stay a prefix of it and PDF/A-3b conformance is kept)."""

    def sign(self, pdf: bytes, request: SignRequest) -> bytes: ...


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature of one file says; ``keterangan`` is for the reader, in Indonesian."""

    ok: bool
    keterangan: str
    user: str = ""
    nama: str = ""
    jabatan: str = ""


def off_event_loop(function: Callable[..., T], *args: object) -> T:
    """Call ``function`` here, or in a helper thread when this thread runs an event loop.

    pyhanko's synchronous API calls ``asyncio.run``, which refuses to run inside a running
    loop (an async test, the demo); the worker's activity threads and the CLI have none.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as helper:
        return helper.submit(function, *args).result()
