"""Checks of sign-off chains, delegations, decisions and deadlines, with Indonesian messages.

Pure functions: `validation.check_replication` runs them when a replication starts (a bad
chain is refused before anything is written), the workflow's validators when someone
decides or a coordinator moves a deadline.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from workflows.approval import chain_for, parse_day, quorum
from workflows.models import (
    CHAIN_KINDS,
    DELEGATION_KINDS,
    ApprovalGroup,
    DecisionInput,
    GroupKind,
    ReplicationInput,
)

KINDS_IN_ORDER: list[str] = [GroupKind.PARAF, GroupKind.PERSETUJUAN, GroupKind.PENANDATANGAN]
MAX_PARAF = 3  # paraf hierarki: up to three officials initial before the signer


def check_chains(inp: ReplicationInput) -> list[str]:
    """Every chain given (the replication's and its replikator's) and the one that applies."""
    problems = []
    for owner, chains in (("rantai", inp.rantai), ("replikator.rantai", inp.replikator.rantai)):
        for kind, groups in chains.items():
            if kind not in CHAIN_KINDS:
                problems.append(
                    f"{owner}: jenis dokumen '{kind}' tidak memakai rantai persetujuan; "
                    f"yang dikenal: {', '.join(CHAIN_KINDS)}."
                )
                continue
            problems += [f"{owner}.{kind}: {p}" for p in check_groups(groups)]
    if not chain_for(inp):
        problems.append(
            "Rantai persetujuan wajib diisi: `rantai.rencana_aksi`, `approvers`, atau "
            "`rantai` pada instansi replikator."
        )
    return problems + check_delegations(inp)


def check_groups(groups: list[ApprovalGroup]) -> list[str]:
    """Known kinds in order paraf → persetujuan → penandatangan, one signer last, quorums
    within the members, at most three paraf, and no user twice."""
    problems = []
    kinds = [g.jenis for g in groups]
    unknown = sorted({k for k in kinds if k not in KINDS_IN_ORDER})
    if unknown:
        return [
            f"jenis kelompok {', '.join(unknown)} tidak dikenal; "
            f"yang dikenal: {', '.join(KINDS_IN_ORDER)}."
        ]
    ranks = [KINDS_IN_ORDER.index(k) for k in kinds]
    if ranks != sorted(ranks):
        problems.append("urutan kelompok harus paraf, lalu persetujuan, lalu penandatangan.")
    if kinds.count(GroupKind.PENANDATANGAN) != 1 or kinds[-1] != GroupKind.PENANDATANGAN:
        problems.append("harus ada tepat satu kelompok penandatangan, sebagai kelompok terakhir.")
    for number, group in enumerate(groups, start=1):
        problems += [f"kelompok {number} ({group.jenis}): {p}" for p in _check_group(group)]
    paraf = sum(len(g.anggota) for g in groups if g.jenis == GroupKind.PARAF)
    if paraf > MAX_PARAF:
        problems.append(f"paraf paling banyak oleh {MAX_PARAF} pejabat, bukan {paraf}.")
    users = [a.user for g in groups for a in g.anggota]
    doubled = sorted({u for u in users if users.count(u) > 1})
    if doubled:
        problems.append(f"user berikut muncul lebih dari sekali: {', '.join(doubled)}.")
    return problems


def _check_group(group: ApprovalGroup) -> list[str]:
    problems = []
    if not group.anggota:
        return ["anggota tidak boleh kosong."]
    if not all(a.user for a in group.anggota):
        problems.append("setiap anggota wajib memiliki user.")
    if not all(a.pejabat.nama and a.pejabat.jabatan for a in group.anggota):
        problems.append("setiap anggota wajib memiliki nama dan jabatan pejabat.")
    if not 0 <= group.kuorum <= len(group.anggota):
        problems.append(
            f"kuorum {group.kuorum} melebihi jumlah anggota ({len(group.anggota)})."
            if group.kuorum > 0
            else "kuorum tidak boleh negatif."
        )
    if group.jenis == GroupKind.PENANDATANGAN and (len(group.anggota) != 1 or quorum(group) != 1):
        problems.append("penandatangan adalah satu pejabat.")
    return problems


def check_delegations(inp: ReplicationInput) -> list[str]:
    holders = {a.user for g in chain_for(inp) for a in g.anggota}
    problems = []
    for number, d in enumerate(inp.delegasi, start=1):
        where = f"Delegasi ke-{number}"
        if d.jenis not in DELEGATION_KINDS:
            problems.append(f"{where}: jenis '{d.jenis}' harus {', '.join(DELEGATION_KINDS)}.")
        if d.pemegang not in holders:
            problems.append(f"{where}: pemegang '{d.pemegang}' tidak ada dalam rantai.")
        if not d.delegasi or d.delegasi in holders:
            problems.append(f"{where}: delegasi wajib diisi dan bukan anggota rantai.")
        if not d.pejabat.nama:
            problems.append(f"{where}: nama pejabat delegasi wajib diisi.")
        if d.jenis in ("a.n.", "u.b.") and not d.pejabat.jabatan:
            problems.append(f"{where}: jabatan pejabat delegasi wajib diisi untuk {d.jenis}")
        problems += _check_window(where, d.dari, d.sampai)
    return problems


def _check_window(where: str, dari: str, sampai: str) -> list[str]:
    parsed = []
    for label, value in (("dari", dari), ("sampai", sampai)):
        day = parse_day(value)
        if day is None:
            return [f"{where}: tanggal {label} '{value}' wajib diisi sebagai TTTT-BB-HH."]
        parsed.append(day)
    if parsed[1] < parsed[0]:
        return [f"{where}: akhir masa berlaku (sampai) sebelum awalnya (dari)."]
    return []


def check_decision_fields(inp: DecisionInput) -> list[str]:
    """The decision itself, whoever makes it."""
    problems = []
    if inp.decision not in ("approve", "revise", "reject"):
        problems.append("Keputusan harus approve, revise atau reject.")
    if inp.decision in ("revise", "reject") and not inp.note.strip():
        problems.append("Permintaan revisi atau penolakan wajib diberi catatan.")
    if inp.tanggal and parse_day(inp.tanggal) is None:
        problems.append(f"Tanggal keputusan '{inp.tanggal}' tidak dikenali; tulis TTTT-BB-HH.")
    return problems


def parse_deadline(value: str, utc_offset_hours: int) -> datetime | None:
    """An ISO date-time (a naive one is in the agency's zone), or a date = its last minute."""
    zone = timezone(timedelta(hours=utc_offset_hours))
    day = parse_day(value)
    if day is not None and "T" not in value:
        return datetime.combine(day, time(23, 59), zone)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
