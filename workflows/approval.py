"""Sign-off chains: groups in order, quorum, delegation and the deadline of each decision.

A chain is data (`ApprovalGroup`s per document kind, in the replication or its agency):
paraf, then persetujuan, then the signer. The members of a group decide in parallel; the
group is done when `kuorum` of them approved, and only then does the next group get asked,
so approvers always decide before the signer signs. Pure and deterministic: no clock (the
workflow passes `workflow.now()`), no I/O, so the workflow replays it and tests run it
without a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from workflows.models import (
    GROUP_ROLES,
    ApprovalGroup,
    Approver,
    DecisionInput,
    DecisionRecord,
    Delegation,
    GroupKind,
    Pejabat,
    PendingApproval,
    ReminderInput,
    ReplicationInput,
    Stage,
    Timing,
)

COORDINATOR = "koordinator"


def chain_for(inp: ReplicationInput, kind: str = "rencana_aksi") -> list[ApprovalGroup]:
    """The replication's own chain for `kind`, else its flat approvers, else its agency's."""
    if inp.rantai.get(kind):
        return inp.rantai[kind]
    if inp.approvers:
        return flat_chain(inp.approvers)
    return inp.replikator.rantai.get(kind, [])


def flat_chain(approvers: list[Approver]) -> list[ApprovalGroup]:
    """The first version's sequential list: one group per approver, the last one signs."""
    last = len(approvers) - 1
    return [
        ApprovalGroup(
            jenis=GroupKind.PENANDATANGAN if i == last else GroupKind.PERSETUJUAN,
            anggota=[a],
            kuorum=1,
            peran=a.peran,
        )
        for i, a in enumerate(approvers)
    ]


def quorum(group: ApprovalGroup) -> int:
    return group.kuorum or len(group.anggota)


def role(group: ApprovalGroup) -> str:
    return group.peran or GROUP_ROLES.get(group.jenis, "Disetujui oleh")


def valid_on(delegation: Delegation, on: date) -> bool:
    """Whether the delegation's inclusive window holds the day (open ends hold any day)."""
    dari = parse_day(delegation.dari) or date.min
    sampai = parse_day(delegation.sampai) or date.max
    return dari <= on <= sampai


def parse_day(value: str) -> date | None:
    """An ISO date (TTTT-BB-HH), or None when empty or not a date."""
    try:
        return date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def printed_signer(holder: Approver, delegation: Delegation | None) -> Pejabat:
    """The block the documents print (Pasal 44): Plt./Plh. before the holder's jabatan with
    the delegate's name; a.n./u.b. above the delegate's own jabatan."""
    if delegation is None:
        return replace(holder.pejabat)
    delegate = delegation.pejabat
    if delegation.jenis in ("Plt.", "Plh."):
        return replace(delegate, jabatan=holder.pejabat.jabatan, sebagai=delegation.jenis)
    return replace(delegate, sebagai=delegation.jenis, atas_nama=holder.pejabat.jabatan)


@dataclass
class Acting:
    """Who decides now: the holder of the place in the chain and, if any, the delegation."""

    holder: Approver
    delegation: Delegation | None = None


@dataclass
class Turn:
    """The clock of one pending decision."""

    due: datetime
    next_reminder: datetime
    reminders: int = 0
    escalated: bool = False


@dataclass
class Notice:
    """A reminder or escalation to send now about one holder's decision."""

    holder: Approver
    escalation: bool
    due: datetime


@dataclass
class ChainProgress:
    """Where one submitted version of the plan is in its chain."""

    groups: list[ApprovalGroup]
    delegations: list[Delegation]
    timing: Timing
    index: int = 0
    approved: list[str] = field(default_factory=list)
    turns: dict[str, Turn] = field(default_factory=dict)

    @classmethod
    def begin(
        cls,
        groups: list[ApprovalGroup],
        delegations: list[Delegation],
        timing: Timing,
        now: datetime,
    ) -> ChainProgress:
        progress = cls(groups, delegations, timing)
        progress._open(now)
        return progress

    def _open(self, now: datetime) -> None:
        self.approved = []
        self.turns = {
            a.user: Turn(
                due=now + timedelta(seconds=self.timing.deadline_seconds),
                next_reminder=now + timedelta(seconds=self.timing.reminder_seconds),
            )
            for a in (self.group.anggota if self.group else [])
        }

    @property
    def group(self) -> ApprovalGroup | None:
        return self.groups[self.index] if self.index < len(self.groups) else None

    @property
    def finished(self) -> bool:
        return self.group is None

    def pending(self) -> list[Approver]:
        group = self.group
        return [a for a in group.anggota if a.user not in self.approved] if group else []

    def delegates_of(self, holder: str, on: date) -> list[Delegation]:
        return [d for d in self.delegations if d.pemegang == holder and valid_on(d, on)]

    def actors(self, on: date) -> list[str]:
        """User ids who may decide on day `on`: pending holders, then their delegates."""
        holders = [a.user for a in self.pending()]
        delegates = [d.delegasi for h in holders for d in self.delegates_of(h, on)]
        return list(dict.fromkeys(holders + delegates))

    def resolve(self, user: str, atas_nama: str, on: date) -> Acting | None:
        """For whom `user` decides on day `on`; None when they may not decide now."""
        pending = {a.user: a for a in self.pending()}
        if user in pending and atas_nama in ("", user):
            return Acting(pending[user])
        for holder in pending.values():
            if atas_nama not in ("", holder.user):
                continue
            for delegation in self.delegates_of(holder.user, on):
                if delegation.delegasi == user:
                    return Acting(holder, delegation)
        return None

    def approve(self, holder: str, now: datetime) -> bool:
        """Count an approval; True when it completed the group (the next one is asked)."""
        self.approved.append(holder)
        self.turns.pop(holder, None)
        group = self.group
        if group is None or len(self.approved) < quorum(group):
            return False
        self.index += 1
        self._open(now)
        return True

    def move(self, holder: str, due: datetime) -> None:
        turn = self.turns[holder]
        turn.due, turn.escalated = due, False

    def next_wakeup(self) -> datetime | None:
        """When the next reminder or escalation is due, over every pending decision."""
        moments = [t.next_reminder for t in self.turns.values()]
        moments += [t.due for t in self.turns.values() if not t.escalated]
        return min(moments, default=None)

    def notices(self, now: datetime) -> list[Notice]:
        """What to send at `now`: one escalation once a decision is overdue, else reminders
        every `reminder_seconds` (they go on after the escalation)."""
        every = timedelta(seconds=self.timing.reminder_seconds)
        found = []
        for holder in self.pending():
            turn = self.turns[holder.user]
            if now >= turn.due and not turn.escalated:
                turn.escalated, turn.next_reminder = True, now + every
                found.append(Notice(holder, True, turn.due))
            elif now >= turn.next_reminder:
                turn.reminders, turn.next_reminder = turn.reminders + 1, now + every
                found.append(Notice(holder, False, turn.due))
        return found


def refusal(progress: ChainProgress | None, user: str, on: date, replication_id: str) -> str:
    """Why `user` may not decide now, beginning with the sentence callers rely on."""
    message = f"Pengguna '{user}' tidak sedang diminta memutuskan replikasi {replication_id}."
    if progress is None or progress.finished:
        return message
    members = {a.user for g in progress.groups for a in g.anggota}
    own = [d for d in progress.delegations if d.delegasi == user]
    if user in progress.approved:
        message += " Ia sudah menyetujui pada kelompok ini."
    elif own and not any(valid_on(d, on) for d in own):
        windows = "; ".join(f"{d.jenis} {d.pemegang}: {d.dari} s.d. {d.sampai}" for d in own)
        message += f" Delegasinya tidak berlaku pada {on.isoformat()} ({windows})."
    elif user not in members and not own:
        message += " Ia tidak termasuk dalam rantai persetujuan."
    group = progress.group
    assert group is not None
    return (
        f"{message} Kelompok {progress.index + 1} ({group.jenis}) menunggu: "
        f"{', '.join(progress.actors(on))}."
    )


def decision_record(
    acting: Acting, event: DecisionInput, progress: ChainProgress, version: int, at: datetime
) -> DecisionRecord:
    """The audit entry: the acting official, the holder acted for, the group, the note."""
    group = progress.group
    assert group is not None
    signer = printed_signer(acting.holder, acting.delegation)
    return DecisionRecord(
        approver=event.approver,
        nama=signer.nama,
        jabatan=signer.jabatan,
        decision=event.decision,
        note=event.note,
        version=version,
        at=at.isoformat(),
        tanggal=event.tanggal,
        pemegang=acting.holder.user,
        sebagai=acting.delegation.jenis if acting.delegation else "",
        kelompok=progress.index + 1,
        jenis=group.jenis,
        peran=role(group),
        penandatangan=signer,
    )


def escalation_target(holder: Approver) -> str:
    return holder.atasan or COORDINATOR


def reminder_input(
    progress: ChainProgress, notice: Notice, replication_id: str, today: date, zona: str
) -> ReminderInput:
    """The notifier's input: user ids of the holder, today's delegates and, when
    escalating, the superior or the coordinator; their addresses stay in configuration."""
    holder = notice.holder
    users = [holder.user, *(d.delegasi for d in progress.delegates_of(holder.user, today))]
    if notice.escalation:
        users.append(escalation_target(holder))
    return ReminderInput(
        replication_id=replication_id,
        stage=Stage.PENGESAHAN,
        waiting_for=f"keputusan {holder.user} ({holder.pejabat.jabatan})",
        recipients=[f"{holder.pejabat.nama} ({holder.pejabat.jabatan})"],
        escalation=notice.escalation,
        users=users,
        due=notice.due.isoformat(),
        zona=zona,
    )


def status_fields(progress: ChainProgress, today: date, now: datetime) -> dict[str, object]:
    """ReplicationStatus fields at pengesahan: who may decide now, the group asked, and
    each pending decision with its own due time."""
    group = progress.group
    if group is None:
        return {}
    pending = [
        PendingApproval(
            user=a.user,
            nama=a.pejabat.nama,
            jabatan=a.pejabat.jabatan,
            due=progress.turns[a.user].due.isoformat(),
            overdue=now >= progress.turns[a.user].due,
            delegasi=[d.delegasi for d in progress.delegates_of(a.user, today)],
            reminders=progress.turns[a.user].reminders,
            escalated=progress.turns[a.user].escalated,
            eskalasi_ke=escalation_target(a),
        )
        for a in progress.pending()
    ]
    return {
        "waiting_on": progress.actors(today),
        # Moved deadlines keep the offset the coordinator gave: compare instants.
        "due": min(progress.turns[a.user].due for a in progress.pending()).isoformat(),
        "overdue": any(p.overdue for p in pending),
        "group": progress.index + 1,
        "groups": len(progress.groups),
        "group_kind": group.jenis,
        "kuorum": quorum(group),
        "approved": list(progress.approved),
        "pending": pending,
    }


def head_user(inp: ReplicationInput, decisions: list[DecisionRecord], version: int) -> str:
    """Who signs what prints the replikator's head (the SK, the final Rencana Aksi).

    The acting user of this version's approval made for the head (their Plt./Plh. or a.n.
    when one decided), else the chain member who is the head (same NIP), else the head's
    own certificate name `kepala.<kode>` (what `replikasi pki init` issues).
    """
    head_nip = inp.replikator.kepala.nip
    members = {a.user: a for g in chain_for(inp) for a in g.anggota}
    if not head_nip:
        return f"kepala.{inp.replikator.kode}"
    for d in reversed(decisions):
        holder = members.get(d.pemegang or d.approver)
        approved = d.version == version and d.decision == "approve"
        if approved and holder is not None and holder.pejabat.nip == head_nip:
            return d.approver
    heads = [user for user, member in members.items() if member.pejabat.nip == head_nip]
    return heads[0] if heads else f"kepala.{inp.replikator.kode}"
