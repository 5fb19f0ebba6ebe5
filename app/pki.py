"""`replikasi pki init`: the development CA and a certificate for everyone who may sign.

Signers are the approvers of the replication YAMLs (their ``user`` ids) and the heads of
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
    """Every approver, then every agency head who is not one of them, once each."""
    replications = _replications(files)
    agencies = _agencies(replications)
    # An approver who heads an agency: the certificate names the agency (O=).
    headed = {a.kepala.nip: a.nama for a in agencies if a.kepala.nip}
    found: dict[str, SignerIdentity] = {}
    nips: set[str] = set()
    for replication in replications:
        for approver in replication.approvers:
            pejabat = approver.pejabat
            found.setdefault(
                approver.user, _identity(approver.user, pejabat, headed.get(pejabat.nip, ""))
            )
            nips.add(pejabat.nip)
    for agency in agencies:
        user = f"kepala.{agency.kode}"
        if agency.kepala.nip not in nips and user not in found:
            found[user] = _identity(user, agency.kepala, agency.nama)
    return list(found.values())


def init(directory: Path, files: list[Path]) -> list[str]:
    """Make what is missing under ``directory``; the lines say what was made."""
    return ensure_pki(directory, signers(files or default_files()))
