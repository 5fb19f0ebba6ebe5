"""`replikasi pki init`: the development CA and a certificate for everyone who may sign.

Signers are the approvers of the replication YAMLs (their ``user`` ids: every member of a
sign-off chain, and the delegates who may act for one) and the heads of
the agencies those files and ``REPLIKASI_INSTANSI_DIR`` name (``kepala.<kode>``, unless
the head is already an approver: one certificate per person, matched by NIP).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from activities.signing.pki import SignerIdentity, ensure_pki
from app import instansi, service
from app.payloads import from_dict
from app.yamlio import load_yaml
from workflows import approval
from workflows.models import Instansi, Pejabat, ReplicationInput


def default_files() -> list[Path]:
    folder = Path(__file__).resolve().parents[1] / "examples" / "palopo-2020"
    return sorted(folder.glob("*.yaml"))


def _replications(files: list[Path]) -> list[ReplicationInput]:
    found = []
    for path in files:
        data: Any = load_yaml(path)
        if isinstance(data, dict) and "replikasi" in data:
            found.append(service.parse_replication(data))
    return found


def _identity(user: str, pejabat: Pejabat, instansi_nama: str = "") -> SignerIdentity:
    return SignerIdentity(user, pejabat.nama, pejabat.jabatan, pejabat.instansi or instansi_nama)


def _agencies(replications: list[ReplicationInput]) -> list[Instansi]:
    agencies = [i for r in replications for i in (r.inovator, r.replikator, r.koordinator)]
    for kode in instansi.known():
        agencies.append(from_dict(Instansi, instansi.load_instansi(kode)))
    return [a for a in agencies if a.kode and a.kepala.nama]


def signers(files: list[Path]) -> list[SignerIdentity]:
    """Every approver and delegate of the replications in ``files``, then every agency head
    who is not one of them, once each."""
    return signers_of(_replications(files))


def _chain_members(replication: ReplicationInput) -> list[tuple[str, Pejabat]]:
    """Everyone who may sign for this replication: its chain (or flat list, or agency
    chain) and the delegates who may act for its members."""
    members = [(a.user, a.pejabat) for g in approval.chain_for(replication) for a in g.anggota]
    return members + [(d.delegasi, d.pejabat) for d in replication.delegasi]


def signers_of(replications: list[ReplicationInput]) -> list[SignerIdentity]:
    """The signer identities of ``replications`` (see :func:`signers`)."""
    agencies = _agencies(replications)
    # An approver who heads an agency: the certificate names the agency (O=).
    headed = {a.kepala.nip: a.nama for a in agencies if a.kepala.nip}
    found: dict[str, SignerIdentity] = {}
    nips: set[str] = set()
    for replication in replications:
        for user, pejabat in _chain_members(replication):
            found.setdefault(user, _identity(user, pejabat, headed.get(pejabat.nip, "")))
            nips.add(pejabat.nip)
    for agency in agencies:
        user = f"kepala.{agency.kode}"
        if agency.kepala.nip not in nips and user not in found:
            found[user] = _identity(user, agency.kepala, agency.nama)
    return list(found.values())


def init(directory: Path, files: list[Path]) -> list[str]:
    """Make what is missing under ``directory``; the lines say what was made."""
    return ensure_pki(directory, signers(files or default_files()))
