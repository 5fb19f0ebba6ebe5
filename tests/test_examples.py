"""The example scenarios in examples/ are valid input, in order, and predict their archive.

No Temporal here: each scenario is replayed against the same validation functions the
workflow's update validators call, with the state the workflow would hold at that point
(stage, sessions scheduled and recorded, team formed, the chain's progress, plan version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from app import service
from app.yamlio import load_yaml
from workflows import approval, chain_checks, validation
from workflows.approval import ChainProgress
from workflows.forum import per_instansi
from workflows.models import (
    FINAL_STAGES,
    TRAVEL_SESSIONS,
    DecisionInput,
    ForumInput,
    ReplicationInput,
    ScheduleSessionInput,
    Stage,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FORUM_FILE = EXAMPLES / "palopo-2020" / "forum.yaml"
SCENARIOS = sorted(p for p in (EXAMPLES / "palopo-2020").glob("*.yaml") if p != FORUM_FILE)
FORUM_DAY = date(2020, 10, 13)
NOW = datetime(2020, 12, 1, tzinfo=UTC)  # deadlines play no part in these checks

# The stage in which the workflow accepts each coordinator event (workflows/replication.py).
EVENT_STAGE = {
    "kesediaan": Stage.SELEKSI,
    "penolakan": Stage.SELEKSI,
    "jadwal_sesi": Stage.TRANSFER,
    "sesi_terlaksana": Stage.TRANSFER,
    "transfer_selesai": Stage.TRANSFER,
    "tim_dibentuk": Stage.RENCANA_AKSI,
    "rencana_aksi": Stage.RENCANA_AKSI,
}


def load(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    assert isinstance(data, dict), f"{path.name}: not a YAML mapping"
    return data


def scenario_params() -> Any:
    return pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])


@dataclass
class Replay:
    """The workflow's state, advanced step by step with the workflow's own checks."""

    replication: ReplicationInput
    stage: Stage = Stage.SELEKSI
    sessions: dict[str, ScheduleSessionInput] = field(default_factory=dict)
    recorded: set[str] = field(default_factory=set)
    team_formed: bool = False
    chain: ChainProgress | None = None
    version: int = 1
    plans: int = 0
    documents: int = 1  # the Surat Permohonan, produced when the workflow starts
    problems: list[str] = field(default_factory=list)

    def step(self, number: int, step: dict[str, Any]) -> None:
        if "kirim" in step:
            found = self.send(step["kirim"], step.get("data"))
            label = step["kirim"]
        else:
            found = self.decide(step["putuskan"])
            label = f"putuskan {step['putuskan'].get('oleh')}"
        self.problems += [f"langkah {number} ({label}): {p}" for p in found]

    def send(self, event: str, data: Any) -> list[str]:
        try:
            payload = service.parse_event(event, data)
        except service.InvalidInput as exc:
            return [str(exc)]
        expected = EVENT_STAGE.get(event)
        if expected is not None and expected != self.stage:
            return [f"tahap {self.stage}, peristiwa ini menunggu tahap {expected}"]
        if event == "batal" and self.stage in FINAL_STAGES:
            return [f"replikasi sudah berakhir ({self.stage})"]
        return getattr(self, f"_{event}")(payload)

    def _kesediaan(self, payload: Any) -> list[str]:
        problems = validation.check_consent(
            payload, validation.parse_date(self.replication.tanggal)
        )
        self.documents += 2  # surat kesediaan, berita acara kesepakatan
        self.stage = Stage.TRANSFER
        return problems

    def _penolakan(self, payload: Any) -> list[str]:
        problems = validation.check_decline(payload)
        self.documents += 2  # surat penutupan, rekam jejak
        self.stage = Stage.DITOLAK
        return problems

    def _jadwal_sesi(self, payload: Any) -> list[str]:
        problems = validation.check_schedule(payload, set(self.sessions))
        self.sessions[payload.sesi_id] = payload
        self.documents += 2 if payload.jenis in TRAVEL_SESSIONS else 1  # undangan (+ tugas)
        return problems

    def _sesi_terlaksana(self, payload: Any) -> list[str]:
        problems = validation.check_record(payload, set(self.sessions), self.recorded)
        self.recorded.add(payload.sesi_id)
        self.documents += 3  # daftar hadir, notula, berita acara transfer
        return problems

    def _transfer_selesai(self, payload: Any) -> list[str]:
        ends = [session_end(self.sessions[s]) for s in self.recorded if s in self.sessions]
        last = max((d for d in ends if d), default=None)
        problems = validation.check_complete(payload, set(self.sessions), self.recorded, last)
        self.documents += 1  # laporan transfer pengetahuan
        self.stage = Stage.RENCANA_AKSI
        return problems

    def _tim_dibentuk(self, payload: Any) -> list[str]:
        problems = validation.check_team(payload, self.team_formed)
        self.team_formed = True
        self.documents += 1  # SK tim
        return problems

    def _rencana_aksi(self, payload: Any) -> list[str]:
        problems = validation.check_plan(payload, self.team_formed)
        self.plans += 1
        self.documents += 1  # rencana aksi vN
        r = self.replication
        self.chain = ChainProgress.begin(approval.chain_for(r), r.delegasi, r.timing, NOW)
        self.stage = Stage.PENGESAHAN
        return problems

    def _batal(self, payload: Any) -> list[str]:
        problems = validation.check_cancel(payload)
        self.documents += 2  # surat pembatalan, rekam jejak
        self.stage = Stage.DIBATALKAN
        return problems

    def decide(self, decision: dict[str, Any]) -> list[str]:
        if self.stage != Stage.PENGESAHAN:
            return [f"tahap {self.stage}, keputusan menunggu tahap {Stage.PENGESAHAN}"]
        payload = DecisionInput(
            approver=str(decision.get("oleh", "")),
            decision=str(decision.get("keputusan", "")),
            note=str(decision.get("catatan", "")),
            tanggal=str(decision.get("tanggal", "")),
            atas_nama=str(decision.get("untuk", "")),
        )
        problems = chain_checks.check_decision_fields(payload)
        day = validation.parse_date(payload.tanggal) or FORUM_DAY
        assert self.chain is not None
        acting = self.chain.resolve(payload.approver, payload.atas_nama, day)
        if acting is None:
            rid = self.replication.replication_id
            return [approval.refusal(self.chain, payload.approver, day, rid), *problems]
        if payload.decision == "revise":
            self.version += 1
            self.stage = Stage.RENCANA_AKSI
        elif payload.decision == "reject":
            self.documents += 1  # rekam jejak
            self.stage = Stage.DITOLAK
        else:
            self.chain.approve(acting.holder.user, NOW)
            if self.chain.finished:
                self.documents += 3  # lembar pengesahan, rencana aksi final, rekam jejak
                self.stage = Stage.SELESAI
        return problems


def session_end(session: ScheduleSessionInput) -> date | None:
    return validation.parse_date(session.tanggal_selesai or session.tanggal)


def seed_forum() -> ForumInput:
    return service.load_forum(FORUM_FILE)


def replay(data: dict[str, Any]) -> Replay:
    state = Replay(service.parse_replication(data))
    forum = seed_forum()
    if state.replication.replication_id in {p.replication_id for p in forum.pasangan}:
        # Started by the forum: the forum is its first session, scheduled and recorded.
        state.sessions[forum.forum_id] = forum.jadwal()
        state.recorded.add(forum.forum_id)
    for number, step in enumerate(data["skenario"], start=1):
        state.step(number, step)
    return state


def step_dates(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, ISO date) of every step, as the letters it produces are dated."""
    replication = service.parse_replication(data)
    dates = [("permohonan", replication.tanggal)]
    sessions: dict[str, ScheduleSessionInput] = {}
    for number, step in enumerate(data["skenario"], start=1):
        if "putuskan" in step:
            dates.append((f"{number} putuskan", str(step["putuskan"].get("tanggal", ""))))
            continue
        payload = service.parse_event(step["kirim"], step.get("data"))
        label = f"{number} {step['kirim']}"
        if isinstance(payload, ScheduleSessionInput):
            sessions[payload.sesi_id] = payload
            dates.append((label, payload.tanggal_surat))
        elif step["kirim"] == "sesi_terlaksana":
            session = sessions[payload.sesi_id]
            dates.append((label, session.tanggal_selesai or session.tanggal))
        else:
            dates.append((label, payload.tanggal))
    return dates


def walk(node: Any, key: str) -> list[Any]:
    """Every value stored under `key` anywhere in a YAML tree."""
    if isinstance(node, dict):
        found = [node[key]] if key in node else []
        return found + [v for value in node.values() for v in walk(value, key)]
    if isinstance(node, list):
        return [v for item in node for v in walk(item, key)]
    return []


def nip_problems(nip: str) -> list[str]:
    """An 18-digit NIP: birth date, appointment month (age 18 or more), sex 1/2, number."""
    if not re.fullmatch(r"\d{18}", nip):
        return [f"{nip}: harus 18 angka"]
    born = validation.parse_date(f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}")
    appointed = validation.parse_date(f"{nip[8:12]}-{nip[12:14]}-01")
    problems = []
    if born is None or appointed is None:
        return [f"{nip}: tanggal lahir atau TMT pengangkatan tidak sah"]
    if (appointed.year - born.year) < 18 or appointed.year > 2020:
        problems.append(f"{nip}: TMT {appointed:%Y-%m} tidak sesuai tanggal lahir {born}")
    if nip[14] not in "12":
        problems.append(f"{nip}: kode jenis kelamin harus 1 atau 2")
    if nip[15:] == "000":
        problems.append(f"{nip}: nomor urut tidak boleh 000")
    return problems


def test_seed_folder_holds_the_forum_and_the_three_palopo_scenarios() -> None:
    """The seed folder holds the forum and the three Palopo 2020 scenario files, in order."""
    expected = ["01-hipno-bunda.yaml", "02-saskia-palopo.yaml", "03-laja-palopo.yaml"]
    assert expected == [p.name for p in SCENARIOS]
    assert FORUM_FILE.is_file()


@scenario_params()
def test_scenario_has_only_known_sections(path: Path) -> None:
    """A scenario file has replikasi, skenario and harapan, plus optional pejabat anchors."""
    data = load(path)
    assert {"replikasi", "skenario", "harapan"} <= set(data)
    assert set() == set(data) - {"pejabat", "replikasi", "skenario", "harapan"}


@scenario_params()
def test_replication_is_accepted(path: Path) -> None:
    """service.parse_replication accepts the replikasi block and check_replication is silent."""
    replication = service.parse_replication(load(path))
    assert [] == list(validation.check_replication(replication))
    assert f"palopo-2020-{path.name[:2]}" == replication.replication_id
    assert 2020 == replication.tahun
    chain = approval.chain_for(replication)
    assert ["Disetujui oleh", "Disahkan oleh"] == [approval.role(g) for g in chain][-2:]
    assert "sekda.palopo" == chain[-1].anggota[0].user
    assert (
        "Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan"
        == replication.koordinator.nama
    )
    assert replication.koordinator.kepala.nama


@scenario_params()
def test_every_step_passes_the_workflow_checks(path: Path) -> None:
    """Every kirim parses and passes its check_* in the workflow's state; decisions too."""
    state = replay(load(path))
    assert [] == state.problems


@scenario_params()
def test_scenario_ends_in_the_expected_stage(path: Path) -> None:
    """Replaying the steps ends in the stage named by harapan.tahap."""
    data = load(path)
    assert data["harapan"]["tahap"] == replay(data).stage


@scenario_params()
def test_expected_document_count_matches_the_steps(path: Path) -> None:
    """harapan.dokumen equals the documents the workflow archives for these steps."""
    data = load(path)
    assert data["harapan"]["dokumen"] == replay(data).documents


@scenario_params()
def test_decisions_name_approvers(path: Path) -> None:
    """Every putuskan names a user of the approver chain (or a delegate) and carries a date."""
    data = load(path)
    replication = service.parse_replication(data)
    users = {a.user for g in approval.chain_for(replication) for a in g.anggota}
    users |= {d.delegasi for d in replication.delegasi}
    decisions = [s["putuskan"] for s in data["skenario"] if "putuskan" in s]
    assert decisions
    assert [] == [d["oleh"] for d in decisions if d["oleh"] not in users]
    assert [] == [d["oleh"] for d in decisions if not d.get("tanggal")]


@scenario_params()
def test_dates_run_forward_within_2020(path: Path) -> None:
    """Every step is dated, in 2020, and no step is dated before the one before it."""
    dates = step_dates(load(path))
    assert [] == [label for label, value in dates if not value]
    parsed = [(label, validation.parse_date(value)) for label, value in dates]
    assert [] == [label for label, d in parsed if d is None or d.year != 2020]
    backwards = [
        f"{b[0]} ({b[1]}) sebelum {a[0]} ({a[1]})"
        for a, b in pairwise(parsed)
        if a[1] and b[1] and b[1] < a[1]
    ]
    assert [] == backwards


@scenario_params()
def test_times_are_written_with_a_period(path: Path) -> None:
    """Clock times are quoted text in the JJ.MM form ("09.00"), as naskah dinas print them."""
    data = load(path)
    times = [v for key in ("mulai", "selesai", "selesai_pukul") for v in walk(data, key)]
    times = [t for t in times if not re.fullmatch(r"\d{4}-\d{2}", str(t))]  # plan months
    assert times
    assert [] == [t for t in times if not re.fullmatch(r"\d{2}\.\d{2}", str(t))]


@pytest.mark.parametrize("path", [*SCENARIOS, FORUM_FILE], ids=lambda p: p.stem)
def test_every_nip_is_consistent(path: Path) -> None:
    """Every NIP is 18 digits with a valid birth date, appointment month and sex code."""
    nips = {str(n) for n in walk(load(path), "nip")}
    assert nips
    assert [] == [p for nip in sorted(nips) for p in nip_problems(nip)]


def test_forum_of_13_october_2020() -> None:
    """The forum: Zoom, 13 Oktober 2020, 09.00, Aula Kantor Bappeda Palopo, its speakers."""
    forum = seed_forum()
    assert [] == list(validation.check_forum(forum))
    assert "sulsel-fripp-2020" == forum.forum_id
    assert (
        "Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan" == forum.penyelenggara.nama
    )
    assert FORUM_DAY == validation.parse_date(forum.tanggal)
    assert ("09.00", "WITA") == (forum.mulai, forum.zona)
    assert "Aula Kantor Bappeda Kota Palopo" == forum.tempat
    assert "Zoom Meeting" == forum.platform
    assert forum.tautan and forum.meeting_id and forum.kode_akses
    assert len(forum.undangan) > 3 and not forum.undangan_per_instansi
    speakers = [item.pembicara.nama for item in forum.agenda]
    assert ["Rizky Amelia Ayunintias", "Muhammad Imanuddin", "Dr. Abdul Hayat"] == speakers[:3]
    assert "Muhammad Imanuddin" in [p.nama for p in forum.narasumber]


def test_forum_pairs_are_the_three_scenarios() -> None:
    """`pasangan` names the scenario files; each parses to that file's replication."""
    forum = seed_forum()
    expected = [service.parse_replication(load(path)) for path in SCENARIOS]
    assert expected == forum.pasangan


def test_forum_steps_pass_the_workflow_checks_and_predict_the_archive() -> None:
    """kehadiran then forum_selesai pass the forum's validators; harapan matches."""
    data = load(FORUM_FILE)
    forum = seed_forum()
    assert ["kehadiran", "forum_selesai"] == [s["kirim"] for s in data["skenario"]]
    kehadiran = service.parse_forum_event("kehadiran", data["skenario"][0]["data"])
    kehadiran.sesi_id = forum.forum_id
    assert [] == list(validation.check_record(kehadiran, {forum.forum_id}, set()))
    closing = service.parse_forum_event("forum_selesai", data["skenario"][1]["data"])
    known = [p.replication_id for p in forum.pasangan]
    assert [] == list(validation.check_forum_closing(closing, known, FORUM_DAY))
    letters = len(per_instansi(forum.undangan)) if forum.undangan_per_instansi else 1
    assert letters + 3 == data["harapan"]["dokumen"]  # + daftar hadir, notula, laporan
    assert len(closing.disepakati or known) == data["harapan"]["replikasi"]


@scenario_params()
def test_the_forum_is_the_first_session(path: Path) -> None:
    """Each scenario leaves its forum session to the forum; its own sessions come after."""
    data = load(path)
    schedules = [
        service.parse_event("jadwal_sesi", s["data"])
        for s in data["skenario"]
        if s.get("kirim") == "jadwal_sesi"
    ]
    assert schedules
    assert [] == [s.sesi_id for s in schedules if s.jenis == "forum"]
    assert all(FORUM_DAY < validation.parse_date(s.tanggal) for s in schedules)  # type: ignore[operator]


@scenario_params()
def test_a_travel_session_sends_officers(path: Path) -> None:
    """Each scenario has a studi tiru or magang with petugas, tujuan, dana and end date."""
    data = load(path)
    travel = [
        service.parse_event("jadwal_sesi", s["data"])
        for s in data["skenario"]
        if s.get("kirim") == "jadwal_sesi" and s["data"]["jenis"] in TRAVEL_SESSIONS
    ]
    assert 1 == len(travel)
    session = travel[0]
    assert session.petugas and session.tujuan_tugas and session.sumber_dana
    assert all(p.nip and p.pangkat for p in session.petugas)
    start, end = validation.parse_date(session.tanggal), session_end(session)
    assert start is not None and end is not None
    assert end > start


@scenario_params()
def test_team_and_plan_are_complete(path: Path) -> None:
    """The team has every role, one Ketua; each plan has 4 to 6 costed rows."""
    data = load(path)
    events = [(s["kirim"], s["data"]) for s in data["skenario"] if "kirim" in s]
    team = service.parse_event("tim_dibentuk", next(d for e, d in events if e == "tim_dibentuk"))
    roles = [a.peran for a in team.anggota]
    assert {"Pengarah", "Penanggung Jawab", "Ketua", "Sekretaris", "Anggota"} == set(roles)
    assert 1 == roles.count("Ketua")
    assert team.tugas
    for _, plan_data in [(e, d) for e, d in events if e == "rencana_aksi"]:
        plan = service.parse_event("rencana_aksi", plan_data)
        assert 4 <= len(plan.kegiatan) <= 6
        assert [] == [k.tahapan for k in plan.kegiatan if k.anggaran <= 0 or not k.sumber_dana]


def test_hipno_bunda_has_one_revision_then_full_approval() -> None:
    """Scenario 01: paraf, approval, the Sekda asks to revise version 1; version 2 goes
    through the chain again and a Plh. for the Sekda signs it."""
    data = load(EXAMPLES / "palopo-2020" / "01-hipno-bunda.yaml")
    decisions = [
        (s["putuskan"]["oleh"], s["putuskan"]["keputusan"])
        for s in data["skenario"]
        if "putuskan" in s
    ]
    expected = [
        ("sekdinkes.palopo", "approve"),
        ("kabidkesmas.palopo", "approve"),
        ("kadinkes.palopo", "approve"),
        ("sekda.palopo", "revise"),
        ("kabidkesmas.palopo", "approve"),
        ("sekdinkes.palopo", "approve"),
        ("kadinkes.palopo", "approve"),
        ("asisten1.palopo", "approve"),
    ]
    assert expected == decisions
    state = replay(data)
    assert (2, 2) == (state.version, state.plans)
    replication = service.parse_replication(data)
    assert ["paraf", "persetujuan", "penandatangan"] == [
        g.jenis for g in approval.chain_for(replication)
    ]
    assert [("sekda.palopo", "asisten1.palopo", "Plh.")] == [
        (d.pemegang, d.delegasi, d.jenis) for d in replication.delegasi
    ]
    revision = [s["data"] for s in data["skenario"] if s.get("kirim") == "rencana_aksi"][-1]
    assert service.parse_event("rencana_aksi", revision).catatan_revisi


def test_example_event_file_is_a_valid_consent() -> None:
    """events/kesediaan.yaml is a bare kesediaan payload valid for palopo-2020-01."""
    replication = service.parse_replication(load(EXAMPLES / "palopo-2020" / "01-hipno-bunda.yaml"))
    consent = service.parse_event("kesediaan", load(EXAMPLES / "events" / "kesediaan.yaml"))
    assert [] == list(validation.check_consent(consent, validation.parse_date(replication.tanggal)))
    assert replication.inovator.kepala.nama == consent.penandatangan.nama


def test_demo_loads_every_scenario() -> None:
    """`replikasi demo` loads the forum and the three scenarios, stage and counts."""
    from app.demo import load_forum_scenario, load_scenarios

    loaded = load_scenarios(EXAMPLES / "palopo-2020")
    expected = [
        ("palopo-2020-01", "selesai", 15),
        ("palopo-2020-02", "selesai", 14),
        ("palopo-2020-03", "selesai", 18),
    ]
    actual = [(s.replication.replication_id, s.expect_stage, s.expect_documents) for s in loaded]
    assert expected == actual
    forum = load_forum_scenario(EXAMPLES / "palopo-2020")
    assert forum is not None
    assert ("sulsel-fripp-2020", "selesai", 4, 3) == (
        forum.forum.forum_id,
        forum.expect_stage,
        forum.expect_documents,
        forum.expect_replications,
    )


def test_every_seed_decider_has_an_email_address() -> None:
    """surel-pengguna.yaml gives an address to every chain member, delegate and superior
    of the seed, and to the coordinator (escalations without a superior)."""
    from activities.notifier import load_addresses

    addresses = load_addresses(EXAMPLES / "surel-pengguna.yaml")
    users = {"koordinator"}
    for path in SCENARIOS:
        replication = service.parse_replication(load(path))
        for group in approval.chain_for(replication):
            users |= {a.user for a in group.anggota} | {a.atasan for a in group.anggota if a.atasan}
        users |= {d.delegasi for d in replication.delegasi}

    assert [] == sorted(users - set(addresses))
    assert all(address.endswith(".example") for address in addresses.values())
