"""Reports, records and tables: daftar hadir, notula, berita acara, laporan, rencana aksi.

Sections are handed to the templates as lists of ``{"judul", "paragraf", "butir", "sub"}``
with their numbers ("A.", "II.", "1.") already written, so a section with nothing to say
is left out and the numbering of the next one still runs on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from activities import naskah
from activities.contexts import Context, InvalidDocumentData, builder
from activities.contexts.common import (
    base_context,
    butir,
    document_date,
    nomori,
    parse_date,
    parse_jam,
    rentang_hari_tanggal,
    rinci,
    tempat_tanggal,
    ttd,
    waktu_acara,
)
from workflows.models import (
    DOCUMENT_TITLES,
    Approver,
    CompleteTransferInput,
    Decision,
    DecisionRecord,
    DocumentKind,
    DocumentRef,
    Instansi,
    PasanganRingkas,
    Pejabat,
    Peserta,
    ProduceDocumentInput,
    RecordSessionInput,
    ScheduleSessionInput,
    SessionRecord,
    SessionType,
    SubmitPlanInput,
)

_JENIS_SESI: dict[str, str] = {
    SessionType.FORUM: "Forum",
    SessionType.STUDI_TIRU: "Studi tiru",
    SessionType.MAGANG: "Magang",
    SessionType.COACHING: "Coaching clinic",
}
_KEPUTUSAN: dict[str, str] = {
    Decision.APPROVE: "Disetujui",
    Decision.REVISE: "Perlu revisi",
    Decision.REJECT: "Ditolak",
}
# A daftar hadir printed before the session gets numbered blank rows for walk-ins.
_BARIS_KOSONG = 5
_BA_PENUTUP = (
    "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."
)
_GARIS_TTD = "…………"
_ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_HURUF = "ABCDEFGH"
_ANGKA = tuple(str(i) for i in range(1, 10))


# --- sessions ----------------------------------------------------------------------------


def _session(inp: ProduceDocumentInput) -> SessionRecord:
    if inp.facts.session is None:
        raise InvalidDocumentData(f"{inp.kind}: data sesi transfer pengetahuan tidak ada")
    return inp.facts.session


def _laporan(inp: ProduceDocumentInput) -> RecordSessionInput:
    laporan = _session(inp).laporan
    if laporan is None:
        raise InvalidDocumentData(f"{inp.kind}: hasil sesi belum dicatat")
    return laporan


def _session_date(inp: ProduceDocumentInput) -> date:
    return parse_date(_session(inp).jadwal.tanggal, document_date(inp))


def _pukul(value: str, zona: str) -> str:
    try:
        return naskah.pukul(parse_jam(value), zona)
    except ValueError as exc:
        raise InvalidDocumentData(str(exc)) from exc


def _waktu(mulai: str, selesai: str, zona: str) -> str:
    """ "pukul 09.00 WITA s.d. selesai" or "pukul 09.00 s.d. 12.30 WITA"; "" if no start."""
    return waktu_acara(mulai, selesai, zona) if mulai else ""


def _hari_tanggal(jadwal: ScheduleSessionInput, fallback: date) -> str:
    """ "Selasa, 13 Oktober 2020", or "Selasa, 3 … s.d. Rabu, 4 …" for several days."""
    mulai = parse_date(jadwal.tanggal, fallback)
    return rentang_hari_tanggal(mulai, parse_date(jadwal.tanggal_selesai, mulai))


def _tempat(jadwal: ScheduleSessionInput) -> str:
    """The venue, with the platform of a virtual or hybrid session (domain.md §7)."""
    if jadwal.tempat and jadwal.platform:
        return f"{jadwal.tempat} (daring melalui {jadwal.platform})"
    if jadwal.platform:
        return f"Daring melalui {jadwal.platform}"
    return jadwal.tempat


def _sesi(jadwal: ScheduleSessionInput, instansi: Instansi, tanggal: date) -> dict[str, str]:
    """Display strings of a session: acara, jenis, hari/tanggal, waktu, tempat."""
    return {
        "acara": jadwal.acara,
        "jenis": _JENIS_SESI.get(jadwal.jenis, jadwal.jenis),
        "hari_tanggal": _hari_tanggal(jadwal, tanggal),
        "waktu": _waktu(jadwal.mulai, jadwal.selesai, instansi.zona),
        "tempat": _tempat(jadwal),
    }


# --- people ------------------------------------------------------------------------------


def _jabatan_instansi(jabatan: str, instansi: str) -> str:
    if not instansi or instansi in jabatan:
        return jabatan
    return f"{jabatan}, {instansi}" if jabatan else instansi


def _orang(nama: str, jabatan: str, instansi: str = "") -> str:
    """ "Nama (Jabatan, Instansi)", or whichever part is known."""
    keterangan = _jabatan_instansi(jabatan, instansi)
    if nama and keterangan:
        return f"{nama} ({keterangan})"
    return nama or keterangan


def _ttd(pejabat: Pejabat, tempat_tanggal: str = "", keterangan: str = "") -> Context:
    """ttd(), but someone with no jabatan signs under the role alone ("Pencatat,")."""
    if pejabat.jabatan:
        return ttd(pejabat, tempat_tanggal, keterangan)
    blok = ttd(pejabat, tempat_tanggal)
    blok["jabatan"] = f"{keterangan.rstrip(':,')},"
    return blok


def _ketua(inp: ProduceDocumentInput) -> Pejabat | None:
    team = inp.facts.team
    for anggota in team.anggota if team else []:
        if anggota.peran.strip().lower() == "ketua":
            return replace(anggota.pejabat, jabatan="Ketua Tim Replikasi")
    return None


# --- lists and sections ------------------------------------------------------------------


def _bernomor(items: list[str], huruf: bool = False) -> list[Context]:
    """The non-empty items as {no, teks}, numbered "1." (or "a.")."""
    return nomori([item for item in items if item], "a" if huruf else "1")


def _seksi(
    judul: str,
    paragraf: list[str] | None = None,
    daftar: list[Context] | None = None,
    sub: list[Context] | None = None,
    tabel: bool = False,
) -> Context:
    return {
        "judul": judul,
        "paragraf": [p for p in paragraf or [] if p],
        "butir": daftar or [],
        "sub": sub or [],
        "tabel": tabel,
    }


def _beri_nomor(seksi: list[Context], nomor: Sequence[str]) -> list[Context]:
    """Keep the sections that say something and number them in order."""
    ada = [s for s in seksi if s["paragraf"] or s["butir"] or s["sub"]]
    return [{**s, "judul": f"{nomor[i]}. {s['judul']}"} for i, s in enumerate(ada)]


# --- daftar hadir ------------------------------------------------------------------------


@builder(DocumentKind.DAFTAR_HADIR)
def daftar_hadir(inp: ProduceDocumentInput) -> Context:
    """Daftar Hadir of one session, signature cells blank and numbered left/right."""
    r = inp.replication
    sesi = _session(inp)
    tanggal = _session_date(inp)
    s = _sesi(sesi.jadwal, r.replikator, tanggal)
    context = base_context(inp, r.replikator, "Daftar Hadir")
    context["judul"] = "DAFTAR HADIR"
    context["rincian"] = rinci(
        ("Kegiatan", s["acara"]),
        ("Hari/tanggal", s["hari_tanggal"]),
        ("Waktu", s["waktu"]),
        ("Tempat", s["tempat"]),
    )
    context["hadir"] = _baris_hadir(sesi)
    pimpinan = sesi.laporan.pimpinan if sesi.laporan and sesi.laporan.pimpinan.nama else None
    context["ttd"] = _ttd(
        pimpinan or r.replikator.kepala, tempat_tanggal(r.replikator, tanggal), "Mengetahui,"
    )
    return context


def _baris_hadir(sesi: SessionRecord) -> list[Context]:
    """Those present (or, before the session, those invited plus blank rows)."""
    orang = list(sesi.laporan.hadir) if sesi.laporan else list(sesi.jadwal.undangan)
    if sesi.laporan is None:
        orang += [Peserta()] * _BARIS_KOSONG
    return [
        {
            "no": f"{i}.",
            "nama": p.nama,
            "jabatan": _jabatan_instansi(p.jabatan, p.instansi),
            "nip": p.nip,
            "ttd": f"{i}. {_GARIS_TTD}",
            "kiri": i % 2 == 1,
        }
        for i, p in enumerate(orang, 1)
    ]


# --- notula ------------------------------------------------------------------------------


@builder(DocumentKind.NOTULA)
def notula(inp: ProduceDocumentInput) -> Context:
    """Notula: head rows, I. Pembukaan … IV. Penutup, pencatat and pimpinan signing."""
    r = inp.replication
    jadwal, laporan = _session(inp).jadwal, _laporan(inp)
    s = _sesi(jadwal, r.replikator, _session_date(inp))
    waktu = _waktu(jadwal.mulai, jadwal.selesai or laporan.selesai_pukul, r.replikator.zona)
    pimpinan, pencatat = laporan.pimpinan, laporan.pencatat
    context = base_context(inp, r.replikator, "Notula")
    context["judul"] = "NOTULA"
    context["rincian"] = rinci(
        ("Nama rapat", s["acara"]),
        ("Hari/tanggal", s["hari_tanggal"]),
        ("Waktu", waktu),
        ("Tempat", s["tempat"]),
        ("Acara", _acara_notula(inp)),
        ("Pimpinan rapat", _orang(pimpinan.nama, pimpinan.jabatan, pimpinan.instansi)),
        ("Pencatat", _orang(pencatat.nama, pencatat.jabatan, pencatat.instansi)),
        ("Peserta", _jumlah_peserta(len(laporan.hadir))),
    )
    context["bagian"] = _notula_bagian(laporan, jadwal.mulai, r.replikator.zona)
    context["ttd_kiri"] = _ttd(pencatat, keterangan="Pencatat")
    context["ttd_kanan"] = _ttd(pimpinan, keterangan="Pimpinan Rapat")
    return context


def _acara_notula(inp: ProduceDocumentInput) -> str:
    """The replication's transfer, or a forum's agenda ("Laporan panitia; Arahan …")."""
    r, forum = inp.replication, inp.facts.forum
    if forum is None:
        return f"Transfer pengetahuan inovasi {r.inovasi.nama} untuk replikasi {r.nama_lokal}"
    return "; ".join(item.acara for item in forum.agenda) or _session(inp).jadwal.acara


def _jumlah_peserta(n: int) -> str:
    return f"{naskah.jumlah_terbilang(n, 'orang')} (daftar hadir terlampir)" if n else ""


def _notula_bagian(laporan: RecordSessionInput, mulai: str, zona: str) -> list[Context]:
    pembukaan = f"Rapat dibuka oleh {laporan.pimpinan.nama or 'pimpinan rapat'}"
    if mulai:
        pembukaan += f" {_pukul(mulai, zona)}"
    penutup = "Rapat ditutup"
    if laporan.selesai_pukul:
        penutup += f" {_pukul(laporan.selesai_pukul, zona)}"
    seksi = [
        _seksi("Pembukaan", [f"{pembukaan}."]),
        _seksi("Pembahasan", daftar=_bernomor(laporan.pembahasan)),
        _seksi("Kesepakatan", daftar=_bernomor(laporan.kesepakatan)),
        _seksi("Penutup", [f"{penutup}."]),
    ]
    return _beri_nomor(seksi, _ROMAWI)


# --- berita acara transfer pengetahuan ---------------------------------------------------


@builder(DocumentKind.BERITA_ACARA_TRANSFER)
def berita_acara_transfer(inp: ProduceDocumentInput) -> Context:
    """Berita Acara: date in words, PIHAK KESATU gives, PIHAK KEDUA receives."""
    r = inp.replication
    sesi = _session(inp)
    tanggal = _session_date(inp)
    s = _sesi(sesi.jadwal, r.replikator, tanggal)
    context = base_context(inp, r.replikator, "Berita Acara Transfer Pengetahuan")
    context["judul"] = "BERITA ACARA TRANSFER PENGETAHUAN"
    context["nomor_baris"] = f"Nomor: {inp.nomor}" if inp.nomor else ""
    context["pembuka"] = _ba_pembuka(sesi.jadwal, s["tempat"], tanggal)
    context["pihak"] = [
        _pihak("1.", r.inovator, "PIHAK KESATU", "pemberi pengetahuan (inovator)"),
        _pihak("2.", r.replikator, "PIHAK KEDUA", "penerima pengetahuan (replikator)"),
    ]
    context["isi"] = (
        f"PIHAK KESATU telah melaksanakan transfer pengetahuan inovasi {r.inovasi.nama} "
        f"kepada PIHAK KEDUA dalam rangka replikasi inovasi tersebut dengan nama "
        f"{r.nama_lokal}, melalui kegiatan sebagai berikut:"
    )
    context["kegiatan"] = rinci(
        ("Kegiatan", s["acara"]),
        ("Jenis kegiatan", s["jenis"]),
        ("Hari/tanggal", s["hari_tanggal"]),
        ("Waktu", s["waktu"]),
        ("Tempat", s["tempat"]),
    )
    context["bagian"] = _ba_bagian(sesi)
    context["penutup"] = _BA_PENUTUP
    context["ttd_kiri"] = _ttd(r.replikator.kepala, keterangan="PIHAK KEDUA")
    context["ttd_kanan"] = _ttd(r.inovator.kepala, keterangan="PIHAK KESATU")
    return context


def _ba_pembuka(jadwal: ScheduleSessionInput, tempat: str, tanggal: date) -> str:
    """ "Pada hari ini Selasa, tanggal tiga belas … bertempat di …" (domain.md §7)."""
    if jadwal.tempat:
        tempat = f"bertempat di {tempat}"
    elif tempat:
        tempat = f"secara {tempat[:1].lower()}{tempat[1:]}"
    return (
        f"Pada hari ini {naskah.tanggal_terbilang(tanggal)}, "
        f"{tempat + ', ' if tempat else ''}kami yang bertanda tangan di bawah ini:"
    )


def _pihak(no: str, instansi: Instansi, sebutan: str, peran: str) -> Context:
    kepala = instansi.kepala
    return {
        "no": no,
        "rincian": rinci(
            ("Nama", kepala.nama),
            ("NIP", kepala.nip),
            ("Pangkat/golongan", kepala.pangkat),
            ("Jabatan", kepala.jabatan),
        ),
        "keterangan": (
            f"dalam hal ini bertindak untuk dan atas nama {instansi.nama} selaku {peran}, "
            f"selanjutnya disebut {sebutan}."
        ),
    }


def _ba_bagian(sesi: SessionRecord) -> list[Context]:
    narasumber = [_orang(p.nama, p.jabatan, p.instansi) for p in sesi.jadwal.narasumber]
    kesepakatan = sesi.laporan.kesepakatan if sesi.laporan else []
    return [
        s
        for s in [
            _seksi("Narasumber dalam kegiatan tersebut:", daftar=_bernomor(narasumber)),
            _seksi(
                "Hasil transfer pengetahuan yang disepakati kedua belah pihak:",
                daftar=_bernomor(kesepakatan),
            ),
        ]
        if s["butir"]
    ]


# --- laporan transfer pengetahuan --------------------------------------------------------


@builder(DocumentKind.LAPORAN_TRANSFER)
def laporan_transfer(inp: ProduceDocumentInput) -> Context:
    """Laporan per PermenPANRB 80/2012: A. Pendahuluan … E. Penutup (domain.md §3.3)."""
    r = inp.replication
    transfer = inp.facts.transfer
    if transfer is None:
        raise InvalidDocumentData("laporan_transfer: transfer pengetahuan belum selesai")
    tanggal = parse_date(transfer.tanggal, document_date(inp))
    sessions = sorted(inp.facts.sessions, key=lambda s: s.jadwal.tanggal)
    context = base_context(inp, r.replikator, "Laporan Transfer Pengetahuan")
    context["judul"] = f"LAPORAN TRANSFER PENGETAHUAN REPLIKASI INOVASI {r.nama_lokal.upper()}"
    context["kegiatan"] = [
        {"no": f"{i}.", **_sesi(s.jadwal, r.replikator, tanggal)} for i, s in enumerate(sessions, 1)
    ]
    context["bab"] = _beri_nomor(
        [
            _seksi("Pendahuluan", sub=_pendahuluan(inp, sessions)),
            _seksi("Kegiatan yang Dilaksanakan", _pengantar(r.nama_lokal, sessions), tabel=True),
            _seksi("Hasil yang Dicapai", daftar=_bernomor(transfer.hasil)),
            _seksi("Simpulan dan Saran", sub=_simpulan_saran(transfer)),
            _seksi("Penutup", [_penutup_laporan(r.nama_lokal)]),
        ],
        _HURUF,
    )
    context["ttd"] = ttd(r.replikator.kepala, tempat_tanggal(r.replikator, tanggal))
    return context


def _pendahuluan(inp: ProduceDocumentInput, sessions: list[SessionRecord]) -> list[Context]:
    r = inp.replication
    penghargaan = f" yang meraih {r.inovasi.penghargaan}" if r.inovasi.penghargaan else ""
    umum = (
        f"{r.replikator.nama} mereplikasi inovasi {r.inovasi.nama} dari {r.inovator.nama}"
        f"{penghargaan} dengan nama {r.nama_lokal}. Sebelum inovasi diterapkan, inovator "
        "membagikan pengetahuan dan pengalamannya kepada replikator melalui kegiatan "
        "transfer pengetahuan."
    )
    tujuan = (
        "Laporan ini dimaksudkan untuk menyampaikan pelaksanaan transfer pengetahuan dari "
        "inovator kepada replikator, dengan tujuan menjadi bahan penyusunan rencana aksi "
        "replikasi."
    )
    return _beri_nomor(
        [
            _seksi("Umum", [umum, r.latar_belakang]),
            _seksi("Maksud dan Tujuan", [tujuan]),
            _seksi("Ruang Lingkup", [_ruang_lingkup(inp, sessions)]),
            _seksi("Dasar", daftar=_dasar(inp)),
        ],
        _ANGKA,
    )


def _ruang_lingkup(inp: ProduceDocumentInput, sessions: list[SessionRecord]) -> str:
    if not sessions:
        return ""
    fallback = document_date(inp)
    awal = parse_date(sessions[0].jadwal.tanggal, fallback)
    akhir = max(
        parse_date(s.jadwal.tanggal_selesai or s.jadwal.tanggal, fallback) for s in sessions
    )
    kapan = naskah.tanggal(awal)
    if akhir != awal:
        kapan = f"{kapan} s.d. {naskah.tanggal(akhir)}"
    jumlah = naskah.jumlah_terbilang(len(sessions), "kegiatan")
    return f"Laporan ini meliputi {jumlah} transfer pengetahuan yang dilaksanakan pada {kapan}."


def _dasar(inp: ProduceDocumentInput) -> list[Context]:
    """Legal base and the letters that started the transfer; ";" between, "." at the end."""
    r, fallback = inp.replication, document_date(inp)
    dasar = ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"]
    for ref in inp.facts.documents:
        if ref.kind == DocumentKind.SURAT_PERMOHONAN and ref.nomor:
            tanggal = naskah.tanggal(parse_date(ref.tanggal, fallback))
            dasar.append(
                f"Surat {r.replikator.kepala.jabatan or r.replikator.nama} Nomor {ref.nomor} "
                f"tanggal {tanggal} hal Permohonan Replikasi Inovasi"
            )
    consent = inp.facts.consent
    if consent and consent.nomor_surat_kesediaan:
        penanda = consent.penandatangan.jabatan or r.inovator.nama
        tanggal = naskah.tanggal(parse_date(consent.tanggal, fallback))
        dasar.append(
            f"Surat Kesediaan {penanda} Nomor {consent.nomor_surat_kesediaan} tanggal {tanggal}"
        )
    return _bernomor(butir(dasar), huruf=True)


def _simpulan_saran(transfer: CompleteTransferInput) -> list[Context]:
    return _beri_nomor(
        [
            _seksi("Simpulan", [transfer.simpulan]),
            _seksi("Saran", daftar=_bernomor(transfer.saran, huruf=True)),
        ],
        _ANGKA,
    )


def _pengantar(nama_lokal: str, sessions: list[SessionRecord]) -> list[str]:
    """The sentence before the table of sessions, or nothing (and no table) without any."""
    if not sessions:
        return []
    return [
        f"Transfer pengetahuan untuk replikasi inovasi {nama_lokal} dilaksanakan melalui "
        "kegiatan sebagai berikut:"
    ]


def _penutup_laporan(nama_lokal: str) -> str:
    return (
        "Demikian laporan ini disampaikan sebagai bahan penyusunan rencana aksi replikasi "
        f"inovasi {nama_lokal}."
    )


# --- laporan pelaksanaan forum -----------------------------------------------------------


@builder(DocumentKind.LAPORAN_FORUM)
def laporan_forum(inp: ProduceDocumentInput) -> Context:
    """Laporan Pelaksanaan Forum Replikasi: A. Pendahuluan … E. Penutup (PermenPANRB 80/2012)."""
    r, forum = inp.replication, inp.facts.forum
    if forum is None:
        raise InvalidDocumentData("laporan_forum: data forum tidak ada")
    sesi = _session(inp)
    laporan = _laporan(inp)
    penutupan = forum.penutupan
    tanggal = parse_date(penutupan.tanggal if penutupan else "", document_date(inp))
    s = _sesi(sesi.jadwal, r.replikator, _session_date(inp))
    context = base_context(inp, r.replikator, "Laporan Pelaksanaan Forum Replikasi")
    context["judul"] = "LAPORAN PELAKSANAAN FORUM REPLIKASI INOVASI PELAYANAN PUBLIK"
    context["agenda"] = [
        {
            "no": f"{i}.",
            "waktu": _pukul_agenda(item.waktu),
            "acara": item.acara,
            "pembicara": _orang(
                item.pembicara.nama, item.pembicara.jabatan, item.pembicara.instansi
            ),
        }
        for i, item in enumerate(forum.agenda, 1)
    ]
    pelaksanaan = [
        f"{s['acara']} dilaksanakan pada hari {s['hari_tanggal']}, {s['waktu']}, "
        f"bertempat di {s['tempat']}.",
        f"Forum dihadiri oleh {naskah.jumlah_terbilang(len(laporan.hadir), 'orang')} peserta "
        f"dari {naskah.jumlah_terbilang(_jumlah_instansi(laporan.hadir), 'instansi')}, "
        "sebagaimana tercantum dalam daftar hadir.",
    ]
    if forum.agenda:
        pelaksanaan.append("Susunan acara forum adalah sebagai berikut:")
    context["bab"] = _beri_nomor(
        [
            _seksi("Pendahuluan", sub=_pendahuluan_forum(inp, s)),
            _seksi("Kegiatan yang Dilaksanakan", pelaksanaan, tabel=bool(forum.agenda)),
            _seksi("Hasil yang Dicapai", sub=_hasil_forum(laporan, forum.pasangan)),
            _seksi(
                "Simpulan dan Saran",
                sub=_beri_nomor(
                    [
                        _seksi("Simpulan", [penutupan.ringkasan if penutupan else ""]),
                        _seksi(
                            "Tindak Lanjut",
                            daftar=_bernomor(penutupan.tindak_lanjut if penutupan else [], True),
                        ),
                    ],
                    _ANGKA,
                ),
            ),
            _seksi(
                "Penutup",
                [
                    "Demikian laporan pelaksanaan forum ini disampaikan sebagai bahan tindak "
                    "lanjut replikasi inovasi pelayanan publik."
                ],
            ),
        ],
        _HURUF,
    )
    context["ttd"] = ttd(r.replikator.kepala, tempat_tanggal(r.replikator, tanggal))
    return context


def _pukul_agenda(value: str) -> str:
    """ "09.15" (the zone is in section B), or "-" when the rundown gives no time."""
    if not value:
        return "-"
    jam = parse_jam(value)
    return f"{jam.hour:02d}.{jam.minute:02d}"


def _jumlah_instansi(hadir: list[Peserta]) -> int:
    return len({p.instansi or p.jabatan or p.nama for p in hadir})


def _pendahuluan_forum(inp: ProduceDocumentInput, s: dict[str, str]) -> list[Context]:
    r = inp.replication
    umum = (
        f"{r.replikator.nama} menyelenggarakan {s['acara']} sebagai wahana berbagi pengetahuan "
        "antara pemerintah daerah inovator dan pemerintah daerah replikator, dalam rangka "
        "percepatan peningkatan kualitas pelayanan publik melalui replikasi inovasi."
    )
    tujuan = (
        "Forum dimaksudkan untuk menyampaikan arah kebijakan replikasi inovasi pelayanan "
        "publik, mentransfer pengetahuan dan pengalaman dari inovator kepada replikator "
        "tentang inovasi yang telah dipilih untuk direplikasi, dan menyusun awal rencana "
        "aksi replikasi."
    )
    lingkup = (
        f"Laporan ini meliputi pelaksanaan forum pada {s['hari_tanggal']} serta pasangan "
        "inovator dan replikator yang disepakati di dalamnya."
    )
    dasar = ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"]
    undangan = [ref for ref in inp.facts.documents if ref.kind == DocumentKind.SURAT_UNDANGAN]
    if undangan and undangan[0].nomor:
        penanda = r.replikator.kepala.jabatan or f"Kepala {r.replikator.nama}"
        tanggal = naskah.tanggal(parse_date(undangan[0].tanggal, document_date(inp)))
        nomor = undangan[0].nomor
        if len(undangan) > 1:
            jumlah = naskah.jumlah_terbilang(len(undangan), "surat")
            nomor = f"{nomor} s.d. {undangan[-1].nomor} ({jumlah}, satu untuk setiap instansi)"
        dasar.append(f"Surat Undangan {penanda} Nomor {nomor} tanggal {tanggal}")
    return _beri_nomor(
        [
            _seksi("Umum", [umum]),
            _seksi("Maksud dan Tujuan", [tujuan]),
            _seksi("Ruang Lingkup", [lingkup]),
            _seksi("Dasar", daftar=_bernomor(butir(dasar), huruf=True)),
        ],
        _ANGKA,
    )


def _hasil_forum(laporan: RecordSessionInput, pasangan: list[PasanganRingkas]) -> list[Context]:
    pairs = [
        f"{p.replikator} mereplikasi inovasi {p.inovasi} dari {p.inovator} dengan nama "
        f"{p.nama_lokal}."
        for p in pasangan
    ]
    return _beri_nomor(
        [
            _seksi("Pokok Pembahasan", daftar=_bernomor(laporan.pembahasan, huruf=True)),
            _seksi("Kesepakatan", daftar=_bernomor(laporan.kesepakatan, huruf=True)),
            _seksi(
                "Pasangan Replikasi yang Disepakati",
                [
                    f"Disepakati {naskah.jumlah_terbilang(len(pairs), 'pasangan')} replikasi "
                    "inovasi, yang masing-masing dimulai dengan forum ini sebagai sesi transfer "
                    "pengetahuan pertama:"
                ]
                if pairs
                else [],
                daftar=_bernomor(pairs, huruf=True),
            ),
        ],
        _ANGKA,
    )


# --- rencana aksi ------------------------------------------------------------------------


@builder(DocumentKind.RENCANA_AKSI)
def rencana_aksi(inp: ProduceDocumentInput) -> Context:
    """Draft action plan of version N, prepared and signed by the ketua tim."""
    plan = _plan(inp)
    context = _rencana_aksi_isi(inp, plan)
    context["penanda"] = [f"Draf Versi {inp.version}"]
    if inp.version > 1 and plan.catatan_revisi:
        context["penanda"].append(f"Catatan revisi: {plan.catatan_revisi}")
    r = inp.replication
    tanggal = parse_date(plan.tanggal, document_date(inp))
    context["ttd"] = _ttd(_ketua(inp) or r.replikator.kepala, tempat_tanggal(r.replikator, tanggal))
    return context


@builder(DocumentKind.RENCANA_AKSI_FINAL)
def rencana_aksi_final(inp: ProduceDocumentInput) -> Context:
    """The approved plan: numbered, dated by its last approval, signed by the head."""
    plan = _plan(inp)
    context = _rencana_aksi_isi(inp, plan)
    disahkan = _tanggal_disahkan(inp)
    catatan = f"Versi {inp.version}"
    if disahkan:
        catatan += f", disahkan tanggal {naskah.tanggal(disahkan)}"
    context["penanda"] = [f"Nomor: {inp.nomor}", catatan] if inp.nomor else [catatan]
    r = inp.replication
    tanggal = disahkan or parse_date(plan.tanggal, document_date(inp))
    context["ttd"] = ttd(_kepala_bertindak(inp), tempat_tanggal(r.replikator, tanggal))
    return context


def _kepala_bertindak(inp: ProduceDocumentInput) -> Pejabat:
    """The head of the replikator signs the plan; when a delegate approved it for them
    under a chain (Plt./Plh. or a.n.), the delegate's block is printed instead."""
    kepala = inp.replication.replikator.kepala
    for d in _chain_approvals(inp):
        signer = d.penandatangan
        if signer is None or not d.sebagai:
            continue
        held = signer.jabatan if d.sebagai in ("Plt.", "Plh.") else signer.atas_nama
        if held == kepala.jabatan:
            return signer
    return kepala


def _plan(inp: ProduceDocumentInput) -> SubmitPlanInput:
    if inp.facts.plan is None:
        raise InvalidDocumentData(f"{inp.kind}: rencana aksi belum diajukan")
    return inp.facts.plan


def _rencana_aksi_isi(inp: ProduceDocumentInput, plan: SubmitPlanInput) -> Context:
    """What the draft and the final share: identitas, tim, matriks."""
    r = inp.replication
    context = base_context(inp, r.replikator, DOCUMENT_TITLES[inp.kind])
    context["judul"] = f"DOKUMEN RENCANA AKSI REPLIKASI INOVASI {r.nama_lokal.upper()}"
    context["identitas"] = rinci(
        ("Inovasi asal", r.inovasi.nama),
        ("Instansi asal", r.inovasi.instansi or r.inovator.nama),
        ("Penghargaan", r.inovasi.penghargaan),
        ("Inovator", r.inovator.nama if r.inovator.nama != r.inovasi.instansi else ""),
        ("Replikator", r.replikator.nama),
        ("Nama lokal", r.nama_lokal),
        ("Latar belakang", r.latar_belakang),
        ("Modifikasi/adaptasi", r.modifikasi),
        ("Tujuan", plan.tujuan),
    )
    context["tim"] = _baris_tim(inp)
    context["bagian"] = _bagian_ra(bool(context["tim"]))
    context["matriks"] = _matriks(plan)
    return context


def _bagian_ra(ada_tim: bool) -> dict[str, str]:
    """Headings I., II., III.; with no team yet, the matrix becomes II."""
    nama = {
        "identitas": "Identitas Replikasi",
        "tim": "Tim Pelaksana Replikasi",
        "matriks": "Matriks Rencana Aksi",
    }
    if not ada_tim:
        del nama["tim"]
    return {"tim": ""} | {k: f"{_ROMAWI[i]}. {n}" for i, (k, n) in enumerate(nama.items())}


def _baris_tim(inp: ProduceDocumentInput) -> list[Context]:
    anggota = inp.facts.team.anggota if inp.facts.team else []
    return [
        {
            "no": f"{i}.",
            "nama": a.pejabat.nama,
            "jabatan": _jabatan_instansi(a.pejabat.jabatan, a.pejabat.instansi),
            "peran": a.peran,
        }
        for i, a in enumerate(anggota, 1)
    ]


def _matriks(plan: SubmitPlanInput) -> Context:
    """Rows of the matrix, the Jumlah and the total in words."""
    total = sum(k.anggaran for k in plan.kegiatan)
    baris = [
        {
            "no": f"{i}.",
            "tahapan": k.tahapan,
            "output": k.output,
            "indikator": k.indikator,
            "waktu": rentang_bulan(k.mulai, k.selesai),
            "penanggung_jawab": k.penanggung_jawab,
            "anggaran": naskah.rupiah(k.anggaran),
            "sumber_dana": k.sumber_dana,
        }
        for i, k in enumerate(plan.kegiatan, 1)
    ]
    return {
        "baris": baris,
        "jumlah": naskah.rupiah(total),
        "terbilang": f"Terbilang: {naskah.terbilang_rupiah(total)}",
    }


def rentang_bulan(mulai: str, selesai: str) -> str:
    """Months of an activity, "Januari 2021 s.d. Februari 2021", from "2021-01" strings.

    Raises:
        InvalidDocumentData: If a month is not "TTTT-BB" or the span runs backwards.
    """
    awal = _bulan(mulai) if mulai else None
    akhir = _bulan(selesai) if selesai else None
    if awal and akhir and akhir < awal:
        raise InvalidDocumentData(f"Bulan selesai {selesai} lebih awal dari bulan mulai {mulai}.")
    if awal and akhir and akhir != awal:
        return f"{naskah.bulan_tahun(awal)} s.d. {naskah.bulan_tahun(akhir)}"
    bulan = awal or akhir
    return naskah.bulan_tahun(bulan) if bulan else ""


def _bulan(value: str) -> date:
    try:
        return naskah.parse_tanggal(f"{value.strip()}-01")
    except ValueError:
        raise InvalidDocumentData(
            f"Bulan '{value}' tidak dikenali; tulis sebagai TTTT-BB, misalnya 2021-01."
        ) from None


def _approvals(inp: ProduceDocumentInput) -> list[DecisionRecord]:
    return [
        d
        for d in inp.facts.decisions
        if d.decision == Decision.APPROVE and d.version == inp.version
    ]


def _chain_approvals(inp: ProduceDocumentInput) -> list[DecisionRecord]:
    """This version's approvals made under a chain, group by group."""
    chained = [d for d in _approvals(inp) if d.jenis and d.penandatangan is not None]
    return sorted(chained, key=lambda d: d.kelompok)


def _tanggal_keputusan(inp: ProduceDocumentInput, d: DecisionRecord) -> date:
    """The date the approver gave, else the local date of the recorded instant."""
    if d.tanggal:
        return parse_date(d.tanggal, document_date(inp))
    saat = _saat_lokal(inp, d.at)
    return saat.date() if saat else document_date(inp)


def _saat_lokal(inp: ProduceDocumentInput, at: str) -> datetime | None:
    """A recorded UTC instant in the replikator's zone (WIB/WITA/WIT), or None."""
    zona = inp.replication.replikator.zona
    try:
        saat = datetime.fromisoformat(at)
        jam = next(h for h in (7, 8, 9) if naskah.zona_dari_utc_offset(h) == zona)
    except (ValueError, StopIteration):
        return None
    if saat.tzinfo is None:
        saat = saat.replace(tzinfo=UTC)
    return saat.astimezone(timezone(timedelta(hours=jam)))


def _tanggal_disahkan(inp: ProduceDocumentInput) -> date | None:
    approvals = _approvals(inp)
    return max((_tanggal_keputusan(inp, d) for d in approvals), default=None)


# --- lembar pengesahan -------------------------------------------------------------------


@builder(DocumentKind.LEMBAR_PENGESAHAN)
def lembar_pengesahan(inp: ProduceDocumentInput) -> Context:
    """Disusun oleh the ketua tim, then each approver's role, date and signature block."""
    r = inp.replication
    plan = _plan(inp)
    context = base_context(inp, r.replikator, "Lembar Pengesahan Rencana Aksi")
    context["judul"] = [
        "LEMBAR PENGESAHAN",
        f"RENCANA AKSI REPLIKASI INOVASI {r.nama_lokal.upper()}",
    ]
    context["penanda"] = [f"Versi {inp.version}"]
    context["rincian"] = rinci(
        ("Inovasi asal", _orang(r.inovasi.nama, "", r.inovasi.instansi or r.inovator.nama)),
        ("Instansi pelaksana", r.replikator.nama),
        ("Jumlah anggaran", naskah.rupiah(sum(k.anggaran for k in plan.kegiatan))),
    )
    chained = _chain_approvals(inp)
    blok = [_blok_ketua(inp, plan)]
    if chained:
        blok += [_blok_keputusan(inp, d) for d in chained]
    else:
        blok += [_blok_approver(inp, a) for a in r.approvers]
    genap = len(blok) - len(blok) % 2
    context["pengesahan"] = {
        "baris": [{"kiri": blok[i], "kanan": blok[i + 1]} for i in range(0, genap, 2)],
        "tunggal": blok[genap] if genap < len(blok) else None,
    }
    return context


def _blok_ketua(inp: ProduceDocumentInput, plan: SubmitPlanInput) -> Context:
    r = inp.replication
    ketua = _ketua(inp)
    if ketua is None:
        raise InvalidDocumentData("lembar_pengesahan: Ketua Tim belum ditetapkan")
    tanggal = parse_date(plan.tanggal, document_date(inp))
    return _ttd(ketua, tempat_tanggal(r.replikator, tanggal), "Disusun oleh:")


def _blok_approver(inp: ProduceDocumentInput, approver: Approver) -> Context:
    """The approver's role and signature, dated by their approval of this version."""
    r = inp.replication
    dates = [_tanggal_keputusan(inp, d) for d in _approvals(inp) if d.approver == approver.user]
    tt = tempat_tanggal(r.replikator, dates[-1]) if dates else ""
    return _ttd(approver.pejabat, tt, f"{approver.peran.rstrip(':')}:")


def _blok_keputusan(inp: ProduceDocumentInput, d: DecisionRecord) -> Context:
    """One approval under a chain: its group's role, its date, the acting official's block
    (with Plt./Plh. before the jabatan or a.n./u.b. above it)."""
    assert d.penandatangan is not None
    tt = tempat_tanggal(inp.replication.replikator, _tanggal_keputusan(inp, d))
    return _ttd(d.penandatangan, tt, f"{d.peran.rstrip(':')}:")


# --- rekam jejak ------------------------------------------------------------------------


@builder(DocumentKind.REKAM_JEJAK)
def rekam_jejak(inp: ProduceDocumentInput) -> Context:
    """Evidence record for auditors: every document with its hash, every decision."""
    r = inp.replication
    context = base_context(inp, r.replikator, "Rekam Jejak Replikasi")
    run_id = inp.workflow_run_id or inp.facts.workflow_run_id
    context["judul"] = "REKAM JEJAK REPLIKASI"
    context["rincian"] = rinci(
        ("ID replikasi", r.replication_id),
        ("Nama lokal", r.nama_lokal),
        ("Inovasi asal", _orang(r.inovasi.nama, "", r.inovator.nama)),
        ("Replikator", r.replikator.nama),
        ("ID workflow run", run_id),
        ("Tanggal", context["tanggal"]),
    )
    context["dokumen"] = [_baris_dokumen(inp, i, d) for i, d in enumerate(inp.facts.documents, 1)]
    context["keputusan"] = [
        _baris_keputusan(inp, i, d) for i, d in enumerate(inp.facts.decisions, 1)
    ]
    context["penutup"] = (
        f"Rekam jejak ini dihasilkan secara otomatis oleh sistem dari riwayat alur kerja "
        f"{run_id or r.replication_id} pada {context['tanggal']}. Keaslian setiap berkas "
        "dapat diperiksa dengan mencocokkan nilai SHA-256 berkas dengan nilai di atas."
    )
    return context


def _baris_dokumen(inp: ProduceDocumentInput, i: int, d: DocumentRef) -> Context:
    return {
        "no": f"{i}.",
        "dokumen": DOCUMENT_TITLES.get(d.kind, d.kind),
        "versi": str(d.version),
        "nomor": d.nomor or "-",
        "tanggal": naskah.tanggal(parse_date(d.tanggal, document_date(inp))) if d.tanggal else "-",
        "berkas": d.pdf_key or "-",
        "sha256": d.pdf_sha256 or "-",
    }


def _baris_keputusan(inp: ProduceDocumentInput, i: int, d: DecisionRecord) -> Context:
    return {
        "no": f"{i}.",
        "tanggal": _waktu_keputusan(inp, d),
        "pejabat": d.nama or d.approver,
        "jabatan": _jabatan_bertindak(d),
        "keputusan": _KEPUTUSAN.get(d.decision, d.decision),
        "versi": str(d.version),
        "catatan": d.note or "-",
    }


def _jabatan_bertindak(d: DecisionRecord) -> str:
    """The jabatan as the decision was taken: "Plh. Sekretaris Daerah …", or "Asisten …
    a.n. Sekretaris Daerah …" when a delegate decided."""
    signer = d.penandatangan
    if signer is None or not d.sebagai:
        return d.jabatan
    if d.sebagai in ("Plt.", "Plh."):
        return f"{d.sebagai} {signer.jabatan}"
    return f"{signer.jabatan}, {d.sebagai} {signer.atas_nama}"


def _waktu_keputusan(inp: ProduceDocumentInput, d: DecisionRecord) -> str:
    """ "23 November 2020, pukul 10.00 WITA": when the decision was recorded, local time."""
    saat = _saat_lokal(inp, d.at)
    if saat is None:
        return naskah.tanggal(_tanggal_keputusan(inp, d))
    zona = inp.replication.replikator.zona
    return f"{naskah.tanggal(saat.date())}, {naskah.pukul(saat.time(), zona)}"
