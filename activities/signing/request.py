"""What a document's signature says: signer, reason, place and time, from its input alone.

Everything comes from the activity's input, never from the clock, so a retried activity
signs the very same bytes (tests/test_signing.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from activities.signing import SIGNED_KINDS, SignRequest
from workflows.models import DOCUMENT_TITLES, Pejabat, ProduceDocumentInput
from workflows.validation import ZONES


def is_signed(inp: ProduceDocumentInput) -> bool:
    """Whether this document gets a PAdES signature: a signed kind with a signer named."""
    return bool(inp.penandatangan) and inp.kind in SIGNED_KINDS


def signer_of(inp: ProduceDocumentInput) -> Pejabat | None:
    """The official the signer's user id stands for, as the approver chain names them."""
    for approver in inp.replication.approvers:
        if approver.user == inp.penandatangan:
            return approver.pejabat
    return None


def signing_time(inp: ProduceDocumentInput) -> datetime:
    """When the decision that this document records was taken (its last decision, as the
    workflow timed it), else the document's date at midnight in the agency's zone."""
    if inp.facts.decisions and inp.facts.decisions[-1].at:
        return datetime.fromisoformat(inp.facts.decisions[-1].at)
    zone = timezone(timedelta(hours=ZONES.get(inp.replication.replikator.zona, 8)))
    return datetime.fromisoformat(inp.tanggal).replace(tzinfo=zone)


def sign_request(inp: ProduceDocumentInput) -> SignRequest:
    title = DOCUMENT_TITLES.get(inp.kind, inp.kind)
    reason = f"{title} Nomor {inp.nomor}" if inp.nomor else f"{title} versi {inp.version}"
    return SignRequest(
        user=inp.penandatangan,
        reason=reason,
        location=inp.replication.replikator.kota,
        signing_time=signing_time(inp),
    )
