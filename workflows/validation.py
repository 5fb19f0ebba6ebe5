"""Checks of coordinator events and approver decisions, with messages for coordinators.

Pure, deterministic functions: the workflow's update validators call them (so a bad event
is rejected before anything is written to history) and so does the client side, to answer
before a round trip. Each returns a list of problems in Indonesian; empty means valid.
"""

from __future__ import annotations

import re
from datetime import date, time

from workflows import chain_checks
from workflows.models import (
    CancelInput,
    CompleteTransferInput,
    DecisionInput,
    FormTeamInput,
    ForumClosingInput,
    ForumInput,
    InnovatorConsentInput,
    InnovatorDeclineInput,
    Kegiatan,
    RecordSessionInput,
    ReplicationInput,
    ScheduleSessionInput,
    SessionType,
    SubmitPlanInput,
)

ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[.:]([0-5]\d)$")


class Problems(list[str]):
    """Collected messages; `need` adds one when a condition fails."""

    def need(self, condition: bool, message: str) -> bool:
        if not condition:
            self.append(message)
        return condition


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_time(value: str) -> time | None:
    match = _TIME.match(value.strip())
    return time(int(match[1]), int(match[2])) if match else None


def check_date(problems: Problems, value: str, label: str, required: bool = False) -> date | None:
    if not value:
        problems.need(not required, f"{label} wajib diisi (format TTTT-BB-HH).")
        return None
    parsed = parse_date(value)
    problems.need(parsed is not None, f"{label} '{value}' tidak dikenali; tulis TTTT-BB-HH.")
    return parsed


def check_time(problems: Problems, value: str, label: str, required: bool = False) -> time | None:
    if not value:
        problems.need(not required, f"{label} wajib diisi (format JJ.MM, misalnya 09.00).")
        return None
    parsed = parse_time(value)
    problems.need(parsed is not None, f"{label} '{value}' tidak dikenali; tulis JJ.MM.")
    return parsed


def check_replication(inp: ReplicationInput) -> Problems:
    problems = Problems()
    problems.need(
        bool(re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", inp.replication_id)),
        "ID replikasi wajib diisi: huruf kecil, angka dan tanda hubung.",
    )
    problems.need(bool(inp.nama_lokal), "Nama lokal replikasi wajib diisi.")
    problems.need(bool(inp.inovasi.nama), "Nama inovasi asal wajib diisi.")
    for label, instansi in (("inovator", inp.inovator), ("replikator", inp.replikator)):
        problems.need(bool(instansi.nama), f"Nama instansi {label} wajib diisi.")
        problems.need(instansi.zona in ZONES, f"Zona waktu {label} harus WIB, WITA atau WIT.")
        problems.need(bool(instansi.kepala.nama), f"Kepala instansi {label} wajib diisi.")
    if inp.approvers:
        users = [a.user for a in inp.approvers]
        problems.need(all(users), "Setiap pejabat penyetuju wajib memiliki user.")
        problems.need(len(set(users)) == len(users), "User pejabat penyetuju tidak boleh ganda.")
    problems.extend(chain_checks.check_chains(inp))
    check_date(problems, inp.tanggal, "Tanggal surat permohonan")
    timing = inp.timing
    problems.need(
        timing.reminder_seconds > 0 and timing.deadline_seconds > 0,
        "Durasi pengingat dan tenggat harus lebih dari nol.",
    )
    return problems


def check_consent(inp: InnovatorConsentInput, requested_on: date | None) -> Problems:
    problems = Problems()
    answered = check_date(problems, inp.tanggal, "Tanggal kesediaan")
    if answered and requested_on:
        problems.need(
            answered >= requested_on,
            f"Tanggal kesediaan ({inp.tanggal}) tidak boleh sebelum tanggal surat "
            f"permohonan ({requested_on.isoformat()}).",
        )
    return problems


def check_decline(inp: InnovatorDeclineInput) -> Problems:
    problems = Problems()
    problems.need(bool(inp.alasan.strip()), "Alasan penolakan inovator wajib diisi.")
    check_date(problems, inp.tanggal, "Tanggal penolakan")
    return problems


def check_schedule(inp: ScheduleSessionInput, known_sessions: set[str]) -> Problems:
    problems = Problems()
    problems.need(bool(inp.sesi_id), "ID sesi (sesi_id) wajib diisi.")
    problems.need(inp.sesi_id not in known_sessions, f"Sesi '{inp.sesi_id}' sudah dijadwalkan.")
    kinds = ", ".join(s.value for s in SessionType)
    problems.need(inp.jenis in set(SessionType), f"Jenis sesi harus salah satu dari: {kinds}.")
    problems.need(bool(inp.acara.strip()), "Nama acara wajib diisi.")
    problems.need(bool(inp.tempat or inp.tautan), "Tempat atau tautan rapat daring wajib diisi.")
    _check_session_times(problems, inp)
    if inp.jenis in (SessionType.STUDI_TIRU, SessionType.MAGANG):
        problems.need(bool(inp.petugas), "Studi tiru dan magang memerlukan daftar petugas.")
        problems.need(bool(inp.tujuan_tugas), "Tujuan tugas wajib diisi untuk studi tiru/magang.")
        for officer in inp.petugas:
            problems.need(
                bool(officer.nama and officer.jabatan),
                "Setiap petugas wajib memiliki nama dan jabatan.",
            )
    return problems


def _check_session_times(problems: Problems, inp: ScheduleSessionInput) -> None:
    start = check_date(problems, inp.tanggal, "Tanggal sesi", required=True)
    end = check_date(problems, inp.tanggal_selesai, "Tanggal selesai sesi")
    letter = check_date(problems, inp.tanggal_surat, "Tanggal surat undangan")
    begins = check_time(problems, inp.mulai, "Jam mulai", required=True)
    ends = check_time(problems, inp.selesai, "Jam selesai")
    if start and end:
        problems.need(end >= start, "Tanggal selesai sesi tidak boleh sebelum tanggal mulainya.")
    if start and letter:
        problems.need(letter <= start, "Surat undangan harus bertanggal sebelum sesi dimulai.")
    if begins and ends and (not end or end == start):
        problems.need(ends > begins, "Jam selesai harus setelah jam mulai.")


def check_record(inp: RecordSessionInput, scheduled: set[str], recorded: set[str]) -> Problems:
    problems = Problems()
    if not problems.need(
        inp.sesi_id in scheduled,
        f"Sesi '{inp.sesi_id}' belum dijadwalkan; kirim jadwal_sesi dahulu.",
    ):
        return problems
    problems.need(inp.sesi_id not in recorded, f"Sesi '{inp.sesi_id}' sudah dilaporkan.")
    problems.need(bool(inp.hadir), "Daftar hadir tidak boleh kosong.")
    problems.need(all(p.nama.strip() for p in inp.hadir), "Setiap peserta hadir wajib bernama.")
    problems.need(bool(inp.pencatat.nama), "Nama pencatat (notulis) wajib diisi.")
    problems.need(bool(inp.pembahasan), "Pokok pembahasan wajib diisi.")
    check_time(problems, inp.selesai_pukul, "Jam penutupan")
    return problems


def check_complete(
    inp: CompleteTransferInput, scheduled: set[str], recorded: set[str], last_session: date | None
) -> Problems:
    problems = Problems()
    problems.need(bool(recorded), "Belum ada sesi transfer pengetahuan yang dilaporkan.")
    pending = sorted(scheduled - recorded)
    problems.need(not pending, f"Sesi berikut belum dilaporkan: {', '.join(pending)}.")
    problems.need(bool(inp.hasil), "Hasil transfer pengetahuan wajib diisi.")
    finished = check_date(problems, inp.tanggal, "Tanggal laporan")
    if finished and last_session:
        problems.need(
            finished >= last_session,
            "Tanggal laporan tidak boleh sebelum sesi terakhir dilaksanakan.",
        )
    return problems


def check_team(inp: FormTeamInput, already_formed: bool) -> Problems:
    problems = Problems()
    problems.need(not already_formed, "Tim replikasi sudah dibentuk.")
    problems.need(bool(inp.anggota), "Susunan tim wajib diisi.")
    leads = [a for a in inp.anggota if a.peran.strip().lower() == "ketua"]
    problems.need(len(leads) == 1, "Tim harus memiliki tepat satu Ketua.")
    problems.need(
        all(a.pejabat.nama and a.peran for a in inp.anggota),
        "Setiap anggota tim wajib memiliki nama dan kedudukan.",
    )
    check_date(problems, inp.tanggal, "Tanggal keputusan")
    return problems


def check_plan(inp: SubmitPlanInput, team_formed: bool) -> Problems:
    problems = Problems()
    problems.need(team_formed, "Tim replikasi belum dibentuk; kirim tim_dibentuk dahulu.")
    problems.need(bool(inp.kegiatan), "Rencana aksi wajib memuat minimal satu kegiatan.")
    for number, row in enumerate(inp.kegiatan, start=1):
        _check_activity_row(problems, number, row)
    check_date(problems, inp.tanggal, "Tanggal rencana aksi")
    return problems


def _check_activity_row(problems: Problems, number: int, row: Kegiatan) -> None:
    where = f"Kegiatan ke-{number}"
    problems.need(bool(row.tahapan.strip()), f"{where}: tahapan/kegiatan wajib diisi.")
    problems.need(bool(row.output.strip()), f"{where}: output wajib diisi.")
    problems.need(bool(row.penanggung_jawab.strip()), f"{where}: penanggung jawab wajib diisi.")
    problems.need(row.anggaran >= 0, f"{where}: anggaran tidak boleh negatif.")
    valid = [
        problems.need(bool(_MONTH.match(v)), f"{where}: waktu '{v}' harus TTTT-BB.")
        for v in (row.mulai, row.selesai)
    ]
    if all(valid):
        problems.need(row.selesai >= row.mulai, f"{where}: waktu selesai sebelum waktu mulai.")
    if row.anggaran > 0:
        problems.need(bool(row.sumber_dana.strip()), f"{where}: sumber dana wajib diisi.")


def check_cancel(inp: CancelInput) -> Problems:
    problems = Problems()
    problems.need(bool(inp.alasan.strip()), "Alasan pembatalan wajib diisi.")
    check_date(problems, inp.tanggal, "Tanggal pembatalan")
    return problems


def check_decision(inp: DecisionInput, expected_user: str, chain: list[str]) -> Problems:
    problems = Problems()
    if not problems.need(
        inp.approver in chain,
        f"Pejabat '{inp.approver}' tidak termasuk dalam rantai persetujuan "
        f"replikasi ini ({', '.join(chain)}).",
    ):
        return problems
    problems.need(
        inp.approver == expected_user,
        f"Belum giliran '{inp.approver}': menunggu keputusan '{expected_user}'.",
    )
    problems.need(
        inp.decision in ("approve", "revise", "reject"),
        "Keputusan harus approve, revise atau reject.",
    )
    if inp.decision in ("revise", "reject"):
        problems.need(
            bool(inp.note.strip()), "Permintaan revisi atau penolakan wajib diberi catatan."
        )
    check_date(problems, inp.tanggal, "Tanggal keputusan")
    return problems


# --- the forum -------------------------------------------------------------------------


def check_forum(inp: ForumInput) -> Problems:
    problems = Problems()
    problems.need(
        bool(re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", inp.forum_id)),
        "ID forum wajib diisi: huruf kecil, angka dan tanda hubung.",
    )
    penyelenggara = inp.penyelenggara
    problems.need(bool(penyelenggara.nama), "Nama instansi penyelenggara wajib diisi.")
    problems.need(bool(penyelenggara.kepala.nama), "Kepala instansi penyelenggara wajib diisi.")
    problems.need(
        (inp.zona or penyelenggara.zona) in ZONES, "Zona waktu forum harus WIB, WITA atau WIT."
    )
    problems.extend(check_schedule(inp.jadwal(), set()))
    problems.need(bool(inp.undangan), "Daftar undangan forum tidak boleh kosong.")
    problems.need(
        all(p.nama.strip() or p.jabatan.strip() for p in inp.undangan),
        "Setiap undangan wajib memiliki nama atau jabatan.",
    )
    for number, item in enumerate(inp.agenda, start=1):
        problems.need(bool(item.acara.strip()), f"Acara pada agenda nomor {number} wajib diisi.")
        check_time(problems, item.waktu, f"Waktu agenda nomor {number}")
    ids = [pair.replication_id for pair in inp.pasangan]
    problems.need(len(set(ids)) == len(ids), "ID replikasi pada pasangan tidak boleh ganda.")
    for pair in inp.pasangan:
        for problem in check_replication(pair):
            problems.append(f"Pasangan '{pair.replication_id or '?'}': {problem}")
    timing = inp.timing
    problems.need(
        timing.reminder_seconds > 0 and timing.deadline_seconds > 0,
        "Durasi pengingat dan tenggat harus lebih dari nol.",
    )
    return problems


def check_forum_closing(
    inp: ForumClosingInput, known_pairs: list[str], held_on: date | None
) -> Problems:
    problems = Problems()
    closed = check_date(problems, inp.tanggal, "Tanggal penutupan forum")
    if closed and held_on:
        problems.need(
            closed >= held_on, "Tanggal penutupan forum tidak boleh sebelum forum dilaksanakan."
        )
    unknown = [rid for rid in inp.disepakati if rid not in known_pairs]
    problems.need(
        not unknown,
        f"Pasangan tidak dikenal: {', '.join(unknown)}. "
        f"Yang dikenal: {', '.join(known_pairs) or 'tidak ada'}.",
    )
    return problems
