"""The pure chain logic (workflows/approval.py, chain_checks.py), without a server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests import factories
from workflows import approval, chain_checks, validation
from workflows.approval import ChainProgress
from workflows.models import ApprovalGroup, Approver, Delegation, Timing

NOW = datetime(2020, 11, 23, 1, 0, tzinfo=UTC)
DAY = date(2020, 11, 23)


def progress(paraf_kuorum: int = 0, delegations: list[Delegation] | None = None) -> ChainProgress:
    timing = Timing(reminder_seconds=3600, deadline_seconds=3 * 3600)
    return ChainProgress.begin(factories.chain(paraf_kuorum), delegations or [], timing, NOW)


def test_paraf_members_are_asked_together() -> None:
    """Both paraf officials may decide at once; the approver and signer wait."""
    chain = progress()

    assert ["kabid.kesmas", "sekdis.palopo"] == chain.actors(DAY)
    assert None is chain.resolve("kadinkes.palopo", "", DAY)
    assert None is chain.resolve("sekda.palopo", "", DAY)


def test_group_waits_for_every_member_without_quorum() -> None:
    """With no kuorum every member must approve before the next group is asked."""
    chain = progress()

    assert False is chain.approve("sekdis.palopo", NOW)
    assert ["kabid.kesmas"] == chain.actors(DAY)
    assert True is chain.approve("kabid.kesmas", NOW)
    assert ["kadinkes.palopo"] == chain.actors(DAY)


def test_quorum_moves_on_without_the_rest() -> None:
    """A quorum of one of two paraf: the first approval completes the group."""
    chain = progress(paraf_kuorum=1)

    assert True is chain.approve("kabid.kesmas", NOW)
    assert ["kadinkes.palopo"] == chain.actors(DAY)
    assert None is chain.resolve("sekdis.palopo", "", DAY)


def test_signer_is_asked_last() -> None:
    """The signer decides only after paraf and persetujuan; then the chain is finished."""
    chain = progress(paraf_kuorum=1)
    chain.approve("kabid.kesmas", NOW)
    chain.approve("kadinkes.palopo", NOW)

    assert "penandatangan" == (chain.group.jenis if chain.group else "")
    assert ["sekda.palopo"] == chain.actors(DAY)
    assert True is chain.approve("sekda.palopo", NOW)
    assert chain.finished


def test_delegate_decides_within_the_window_only() -> None:
    """A Plh. acts for the Sekda on the days of the delegation, not after."""
    chain = progress(paraf_kuorum=1, delegations=[factories.plh_sekda()])
    chain.approve("kabid.kesmas", NOW)
    chain.approve("kadinkes.palopo", NOW)

    acting = chain.resolve("asisten1.palopo", "", date(2020, 12, 3))
    late = chain.resolve("asisten1.palopo", "", date(2020, 12, 6))

    assert acting is not None and "sekda.palopo" == acting.holder.user
    assert "Plh." == (acting.delegation.jenis if acting.delegation else "")
    assert None is late
    assert ["sekda.palopo", "asisten1.palopo"] == chain.actors(date(2020, 12, 3))


def test_refusal_names_the_user_and_who_is_asked() -> None:
    """The refusal begins with the sentence callers rely on and says who may decide."""
    chain = progress(delegations=[factories.plh_sekda()])
    chain.approve("kabid.kesmas", NOW)

    early = approval.refusal(chain, "sekda.palopo", DAY, "palopo-2020-01")
    again = approval.refusal(chain, "kabid.kesmas", DAY, "palopo-2020-01")
    stranger = approval.refusal(chain, "walikota.palopo", DAY, "palopo-2020-01")

    assert early.startswith(
        "Pengguna 'sekda.palopo' tidak sedang diminta memutuskan replikasi palopo-2020-01."
    )
    assert early.endswith("Kelompok 1 (paraf) menunggu: sekdis.palopo.")
    assert "sudah menyetujui" in again
    assert "tidak termasuk dalam rantai persetujuan" in stranger


def test_plh_prints_the_holders_jabatan_and_an_the_delegates() -> None:
    """Plh. goes before the holder's jabatan with the delegate's name; a.n. names the
    holder's jabatan above the delegate's own."""
    sekda = factories.chain()[2].anggota[0]
    plh = approval.printed_signer(sekda, factories.plh_sekda())
    an = approval.printed_signer(sekda, replace(factories.plh_sekda(), jenis="a.n."))

    assert ("Plh.", "Sekretaris Daerah Kota Palopo") == (plh.sebagai, plh.jabatan)
    assert factories.ASISTEN_PALOPO.nama == plh.nama
    assert ("a.n.", "Sekretaris Daerah Kota Palopo") == (an.sebagai, an.atas_nama)
    assert factories.ASISTEN_PALOPO.jabatan == an.jabatan


def test_reminders_before_the_deadline_and_one_escalation_after() -> None:
    """Each pending decision is reminded each interval, escalated once when overdue."""
    chain = progress(paraf_kuorum=0)
    hour = timedelta(hours=1)

    first = chain.notices(NOW + hour)
    overdue = chain.notices(NOW + 3 * hour)
    after = chain.notices(NOW + 4 * hour)

    assert [(n.holder.user, n.escalation) for n in first] == [
        ("kabid.kesmas", False),
        ("sekdis.palopo", False),
    ]
    assert [True, True] == [n.escalation for n in overdue]
    assert [False, False] == [n.escalation for n in after]
    assert "sekdis.palopo" == approval.escalation_target(overdue[0].holder)


def test_moved_deadline_is_escalated_anew() -> None:
    """Moving a deadline clears the escalation and the timers follow the new due time."""
    chain = progress()
    chain.notices(NOW + timedelta(hours=3))
    later = NOW + timedelta(days=2)

    chain.move("kabid.kesmas", later)

    assert later == chain.turns["kabid.kesmas"].due
    assert False is chain.turns["kabid.kesmas"].escalated
    assert NOW + timedelta(hours=4) == chain.next_wakeup()


def test_flat_approvers_become_single_member_groups_the_last_signs() -> None:
    """The first version's list keeps working: one group each, in order, the last signs."""
    groups = approval.chain_for(factories.replication())

    assert ["persetujuan", "penandatangan"] == [g.jenis for g in groups]
    assert [["kadinkes.palopo"], ["sekda.palopo"]] == [[a.user for a in g.anggota] for g in groups]
    assert [] == list(validation.check_replication(factories.replication()))


def test_replication_chain_comes_before_approvers_and_the_agency() -> None:
    """rantai of the replication, else approvers, else the replikator's own chain."""
    own = replace(factories.replication(), rantai={"rencana_aksi": factories.chain()})
    agency_only = replace(
        factories.replication(),
        approvers=[],
        replikator=replace(factories.replikator(), rantai={"rencana_aksi": factories.chain()}),
    )

    assert 3 == len(approval.chain_for(own))
    assert 3 == len(approval.chain_for(agency_only))
    assert [] == list(validation.check_replication(agency_only))


def _groups(**changes: object) -> list[ApprovalGroup]:
    groups = factories.chain()
    return [replace(groups[0], **changes), *groups[1:]]  # type: ignore[arg-type]


def _member(user: str) -> Approver:
    return Approver(user=user, pejabat=factories.KABID_KESMAS)


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (_groups(jenis="tanda_tangan"), "jenis kelompok tanda_tangan tidak dikenal"),
        (_groups(kuorum=3), "kuorum 3 melebihi jumlah anggota (2)"),
        (
            _groups(anggota=[_member(f"paraf{i}") for i in range(4)]),
            "paraf paling banyak oleh 3 pejabat, bukan 4",
        ),
        (list(reversed(factories.chain())), "kelompok penandatangan, sebagai kelompok terakhir"),
        (factories.chain()[:2], "harus ada tepat satu kelompok penandatangan"),
        (_groups(anggota=[_member("sekda.palopo")]), "muncul lebih dari sekali: sekda.palopo"),
        (_groups(anggota=[]), "anggota tidak boleh kosong"),
    ],
)
def test_bad_chains_are_refused_with_a_reason(groups: list[ApprovalGroup], expected: str) -> None:
    """Unknown kinds, quorum above members, four paraf, a signer not last, doubled users."""
    problems = chain_checks.check_groups(groups)

    assert any(expected in p for p in problems), problems


def test_unknown_document_kind_and_bad_delegation_are_refused_at_start() -> None:
    """A chain for a kind without sign-off, or a delegation outside the chain, is refused."""
    inp = replace(
        factories.replication(),
        rantai={"sk_tim": factories.chain()},
        delegasi=[replace(factories.plh_sekda(), pemegang="walikota.palopo", sampai="2020-11-01")],
    )

    problems = " ".join(validation.check_replication(inp))

    assert "jenis dokumen 'sk_tim' tidak memakai rantai persetujuan" in problems
    assert "pemegang 'walikota.palopo' tidak ada dalam rantai" in problems
    assert "akhir masa berlaku (sampai) sebelum awalnya (dari)" in problems


def test_deadline_accepts_a_date_or_a_local_time() -> None:
    """A date means its last minute in the zone; a naive time is in the zone too."""
    assert datetime(2020, 12, 10, 15, 59, tzinfo=UTC) == chain_checks.parse_deadline(
        "2020-12-10", 8
    )
    assert datetime(2020, 12, 10, 8, 0, tzinfo=UTC) == chain_checks.parse_deadline(
        "2020-12-10T16:00", 8
    )
    assert None is chain_checks.parse_deadline("besok", 8)


def test_status_lists_each_pending_decision_with_its_deadline() -> None:
    """Status fields: who may decide today, the group, quorum, and per-user due times."""
    chain = progress(delegations=[factories.plh_sekda(dari="2020-11-01")])
    chain.approve("kabid.kesmas", NOW)
    chain.move("sekdis.palopo", NOW + timedelta(days=1))

    fields = approval.status_fields(chain, DAY, NOW + timedelta(hours=5))

    assert ["sekdis.palopo"] == fields["waiting_on"]
    assert (1, 3, "paraf", 2, ["kabid.kesmas"]) == tuple(
        fields[k] for k in ("group", "groups", "group_kind", "kuorum", "approved")
    )
    [sekdis] = fields["pending"]  # type: ignore[misc]
    assert ("sekdis.palopo", False, "kadinkes.palopo") == (
        sekdis.user,
        sekdis.overdue,
        sekdis.eskalasi_ke,
    )
    assert (NOW + timedelta(days=1)).isoformat() == fields["due"] == sekdis.due


def test_escalation_goes_to_holder_delegate_and_superior_by_user_id() -> None:
    """An overdue Sekda decision notifies the Sekda, today's Plh. and the coordinator."""
    chain = progress(paraf_kuorum=1, delegations=[factories.plh_sekda()])
    chain.approve("kabid.kesmas", NOW)
    chain.approve("kadinkes.palopo", NOW)
    [notice] = chain.notices(NOW + timedelta(hours=4))

    sent = approval.reminder_input(chain, notice, "palopo-2020-01", date(2020, 12, 2), "WITA")

    assert ["sekda.palopo", "asisten1.palopo", "koordinator"] == sent.users
    assert (True, "WITA") == (sent.escalation, sent.zona)
