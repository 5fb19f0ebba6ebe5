"""Surat dinas of the lifecycle: permohonan, kesepakatan, undangan, tugas, SK, closings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TypeVar

from activities import naskah
from activities.contexts import Context, InvalidDocumentData, builder
from activities.contexts.common import (
    PT_PER_CM,
    baris_teks,
    base_context,
    butir,
    document_date,
    kepala_lampiran,
    nama_tanpa_gelar,
    nomori,
    parse_date,
    rentang_hari_tanggal,
    rinci,
    rinci_daftar,
    surat_header,
    tanggal_opsional,
    tempat_tanggal,
    ttd,
    waktu_acara,
)
from workflows.models import (
    DocumentKind,
    FormTeamInput,
    InnovatorConsentInput,
    Instansi,
    Pejabat,
    Peserta,
    ProduceDocumentInput,
    ScheduleSessionInput,
)

_HAL_PERMOHONAN = "Permohonan Replikasi Inovasi"
_PENUTUP_SURAT = "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."


@builder(DocumentKind.SURAT_PERMOHONAN)
def surat_permohonan(inp: ProduceDocumentInput) -> Context:
    """Surat Permohonan Replikasi from the replikator to the inovator (domain.md §7)."""
    r = inp.replication
    context = base_context(inp, r.replikator, "Surat Permohonan Replikasi Inovasi")
    context["surat"] = surat_header(
        inp,
        r.replikator,
        hal=_HAL_PERMOHONAN,
        yth=f"Kepala {r.inovator.nama}",
        di=r.inovator.kota or "Tempat",
    )
    context["pembuka"] = [
        "Dalam rangka percepatan peningkatan kualitas pelayanan publik melalui replikasi "
        "inovasi pelayanan publik, dengan ini kami bermaksud mereplikasi inovasi yang "
        "telah Saudara kembangkan, dengan rincian sebagai berikut:"
    ]
    context["rincian"] = rinci(
        ("Nama inovasi", r.inovasi.nama),
        ("Instansi asal", r.inovator.nama),
        ("Penghargaan", r.inovasi.penghargaan),
        ("Nama replikasi", r.nama_lokal),
        ("Instansi replikator", r.replikator.nama),
    )
    context["isi"] = [
        f"Untuk itu, kami mohon kesediaan Saudara untuk berbagi pengetahuan dan pengalaman "
        f"dalam penerapan inovasi {r.inovasi.nama}, antara lain melalui forum, studi tiru, "
        "magang, dan pendampingan, serta menyampaikan surat kesediaan sebagai dasar "
        "pelaksanaan replikasi.",
    ]
    context["penutup"] = [
        "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
    ]
    context["ttd"] = ttd(r.replikator.kepala)
    context["tembusan"] = _tembusan(inp)
    return context


def _tembusan(inp: ProduceDocumentInput) -> list[str]:
    koordinator = inp.replication.koordinator
    return [f"Kepala {koordinator.nama}"] if koordinator.nama else []


# --- shared by the letters below -------------------------------------------------------

T = TypeVar("T")


def _wajib(value: T | None, apa: str) -> T:
    """A fact the document cannot be made without."""
    if value is None:
        raise InvalidDocumentData(f"Dokumen ini memerlukan data {apa}, yang belum tercatat.")
    return value


def _jabatan_kepala(instansi: Instansi) -> str:
    return instansi.kepala.jabatan or f"Kepala {instansi.nama}"


def _rujukan(inp: ProduceDocumentInput, kind: str) -> str:
    """ "Nomor … tanggal …" of the latest archived document of `kind`, or "" if none."""
    refs = [ref for ref in inp.facts.documents if ref.kind == kind]
    if not refs:
        return ""
    ref = max(refs, key=lambda r: (r.version, r.seq))
    bagian = [
        f"Nomor {ref.nomor}" if ref.nomor else "",
        f"tanggal {tanggal_opsional(ref.tanggal)}" if ref.tanggal else "",
    ]
    return " ".join(b for b in bagian if b)


def _rujukan_permohonan(inp: ProduceDocumentInput) -> str:
    """Our Surat Permohonan as a later letter cites it, or "" if it is not on record."""
    rujukan = _rujukan(inp, DocumentKind.SURAT_PERMOHONAN)
    return f"surat kami {rujukan} perihal {_HAL_PERMOHONAN}" if rujukan else ""


def _kalimat_atau_daftar(items: list[str]) -> tuple[str, list[Context]]:
    """One item prints as a sentence, several as a numbered list."""
    if len(items) == 1:
        return items[0], []
    return "", nomori(items)


def _nomor_baris(inp: ProduceDocumentInput) -> str:
    return f"Nomor: {inp.nomor or '-'}"


def _sesi(inp: ProduceDocumentInput) -> ScheduleSessionInput:
    sesi = _wajib(inp.facts.session, "jadwal sesi transfer pengetahuan").jadwal
    if not sesi.tanggal:
        raise InvalidDocumentData(f"Tanggal sesi '{sesi.acara or sesi.sesi_id}' belum diisi.")
    return sesi


def _hari_tanggal_sesi(sesi: ScheduleSessionInput) -> str:
    mulai = parse_date(sesi.tanggal, date.min)
    selesai = parse_date(sesi.tanggal_selesai, mulai)
    return rentang_hari_tanggal(mulai, selesai)


# --- berita acara kesepakatan ----------------------------------------------------------


@builder(DocumentKind.BERITA_ACARA_KESEPAKATAN)
def berita_acara_kesepakatan(inp: ProduceDocumentInput) -> Context:
    """The inovator (PIHAK KESATU) and the replikator (PIHAK KEDUA) agree (domain.md §3.3)."""
    r = inp.replication
    consent = _wajib(inp.facts.consent, "kesediaan inovator")
    kesatu = _penandatangan_inovator(inp, consent)
    context = base_context(inp, r.replikator, "Berita Acara Kesepakatan Replikasi Inovasi")
    context["judul"] = ["BERITA ACARA KESEPAKATAN REPLIKASI INOVASI"]
    context["nomor_baris"] = _nomor_baris(inp)
    context["pembuka"] = [_pembuka_berita_acara(inp, consent)]
    context["pihak"] = [
        _pihak("1.", kesatu, r.inovator, "PIHAK KESATU"),
        _pihak("2.", r.replikator.kepala, r.replikator, "PIHAK KEDUA"),
    ]
    context["sepakat"] = [
        "Kedua belah pihak sepakat melaksanakan replikasi inovasi dengan ketentuan sebagai berikut:"
    ]
    context["kesepakatan"] = nomori(butir(_butir_kesepakatan(inp, consent)))
    context["penutup"] = [
        f"Demikian berita acara ini dibuat dengan sebenarnya dalam rangkap 2 "
        f"({naskah.terbilang(2)}) yang masing-masing mempunyai kekuatan hukum yang sama, "
        "untuk dipergunakan sebagaimana mestinya."
    ]
    context["ttd_kiri"] = ttd(r.replikator.kepala, keterangan="PIHAK KEDUA")
    context["ttd_kanan"] = ttd(kesatu, keterangan="PIHAK KESATU")
    kepala_koordinator = r.koordinator.kepala
    context["mengetahui"] = (
        ttd(kepala_koordinator, keterangan="Mengetahui,") if kepala_koordinator.nama else None
    )
    return context


def _penandatangan_inovator(inp: ProduceDocumentInput, consent: InnovatorConsentInput) -> Pejabat:
    pejabat = (
        consent.penandatangan if consent.penandatangan.nama else inp.replication.inovator.kepala
    )
    if not pejabat.nama:
        raise InvalidDocumentData("Nama pejabat inovator yang menandatangani belum diisi.")
    return pejabat


def _pembuka_berita_acara(inp: ProduceDocumentInput, consent: InnovatorConsentInput) -> str:
    hari_ini = naskah.tanggal_terbilang(document_date(inp))
    tempat = f", bertempat di {consent.tempat}" if consent.tempat else ""
    return f"Pada hari ini {hari_ini}{tempat}, kami yang bertanda tangan di bawah ini:"


def _pihak(no: str, pejabat: Pejabat, instansi: Instansi, sebutan: str) -> Context:
    return {
        "no": no,
        "rinci": rinci(
            ("Nama", pejabat.nama),
            ("NIP", pejabat.nip),
            ("Pangkat/Gol.", pejabat.pangkat),
            ("Jabatan", pejabat.jabatan),
        ),
        "keterangan": f"dalam hal ini bertindak untuk dan atas nama {instansi.nama}, "
        f"selanjutnya disebut {sebutan}.",
    }


def _butir_kesepakatan(inp: ProduceDocumentInput, consent: InnovatorConsentInput) -> list[str]:
    r = inp.replication
    asal = r.inovasi.instansi or r.inovator.nama
    surat = ""
    if consent.nomor_surat_kesediaan:
        tanggal = tanggal_opsional(consent.tanggal)
        surat = f", sebagaimana Surat Kesediaan Nomor {consent.nomor_surat_kesediaan}"
        surat += f" tanggal {tanggal}" if tanggal else ""
    return [
        f"PIHAK KESATU menyetujui inovasi {r.inovasi.nama} yang dikembangkan oleh {asal} "
        f"direplikasi oleh PIHAK KEDUA{surat}",
        f"PIHAK KEDUA menerapkan inovasi hasil replikasi dengan nama {r.nama_lokal}"
        if r.nama_lokal
        else "",
        f"PIHAK KEDUA melakukan penyesuaian (modifikasi) berupa: {r.modifikasi}"
        if r.modifikasi
        else "",
        "PIHAK KESATU bersedia berbagi pengetahuan dan pengalaman melalui forum, studi tiru, "
        "magang, dan/atau pendampingan, termasuk menyediakan narasumber, standar operasional "
        "prosedur, dan dokumen pendukung lainnya",
        "PIHAK KEDUA menyusun rencana aksi replikasi dan menyampaikan laporan perkembangan "
        "penerapannya kepada PIHAK KESATU",
        f"PIHAK KEDUA mencantumkan {asal} sebagai asal inovasi {r.inovasi.nama} dalam setiap "
        "publikasi, laporan, dan keikutsertaan dalam kompetisi inovasi",
        consent.catatan,
    ]


# --- surat penutupan and surat pembatalan ----------------------------------------------


@builder(DocumentKind.SURAT_PENUTUPAN)
def surat_penutupan(inp: ProduceDocumentInput) -> Context:
    """The inovator declined: the replikator tells the koordinator the replication is closed."""
    r = inp.replication
    decline = _wajib(inp.facts.decline, "penolakan inovator")
    _wajib(r.koordinator if r.koordinator.nama else None, "koordinator replikasi")
    context = base_context(inp, r.replikator, "Surat Pemberitahuan Penutupan Replikasi")
    context["surat"] = surat_header(
        inp,
        r.replikator,
        hal="Pemberitahuan Penutupan Replikasi Inovasi",
        yth=f"Kepala {r.koordinator.nama}",
        di=r.koordinator.kota or "Tempat",
    )
    context["pembuka"] = [_pembuka_penutupan(inp)]
    context["rincian"] = rinci(
        ("Nama inovasi", r.inovasi.nama),
        ("Instansi inovator", r.inovator.nama),
        ("Nama replikasi", r.nama_lokal),
        ("Tanggal penolakan", tanggal_opsional(decline.tanggal)),
        ("Alasan", decline.alasan),
    )
    context["isi"] = [
        f"Sehubungan dengan hal tersebut, proses replikasi inovasi {r.inovasi.nama} pada "
        f"{r.replikator.nama} kami nyatakan ditutup."
    ]
    context["penutup"] = [_PENUTUP_SURAT]
    context["ttd"] = ttd(r.replikator.kepala)
    context["tembusan"] = [f"Kepala {r.inovator.nama}"] if r.inovator.nama else []
    return context


def _pembuka_penutupan(inp: ProduceDocumentInput) -> str:
    r = inp.replication
    rujukan = _rujukan_permohonan(inp)
    awal = (
        f"Menindaklanjuti {rujukan} kepada Kepala {r.inovator.nama}, dengan"
        if rujukan
        else "Dengan"
    )
    return (
        f"{awal} ini kami sampaikan bahwa Kepala {r.inovator.nama} menyatakan tidak bersedia "
        f"inovasinya direplikasi, dengan rincian sebagai berikut:"
    )


@builder(DocumentKind.SURAT_PEMBATALAN)
def surat_pembatalan(inp: ProduceDocumentInput) -> Context:
    """The replication is cancelled: the replikator tells the inovator, copy to koordinator."""
    r = inp.replication
    cancel = _wajib(inp.facts.cancel, "pembatalan replikasi")
    context = base_context(inp, r.replikator, "Surat Pemberitahuan Pembatalan Replikasi")
    context["surat"] = surat_header(
        inp,
        r.replikator,
        hal="Pemberitahuan Pembatalan Replikasi Inovasi",
        yth=f"Kepala {r.inovator.nama}",
        di=r.inovator.kota or "Tempat",
    )
    context["pembuka"] = [_pembuka_pembatalan(inp)]
    context["rincian"] = rinci(
        ("Nama inovasi", r.inovasi.nama),
        ("Nama replikasi", r.nama_lokal),
        ("Tanggal pembatalan", tanggal_opsional(cancel.tanggal)),
        ("Dibatalkan oleh", cancel.oleh),
        ("Alasan", cancel.alasan),
    )
    context["isi"] = [
        f"Kami berharap kerja sama yang baik antara {r.inovator.nama} dan {r.replikator.nama} "
        "tetap terjalin pada kesempatan lain."
    ]
    context["penutup"] = [_PENUTUP_SURAT]
    context["ttd"] = ttd(r.replikator.kepala)
    context["tembusan"] = _tembusan(inp)
    return context


def _pembuka_pembatalan(inp: ProduceDocumentInput) -> str:
    r = inp.replication
    rujukan = [_rujukan_permohonan(inp), _rujukan_kesediaan(inp)]
    dasar = " dan ".join(x for x in rujukan if x)
    awal = f"Menindaklanjuti {dasar}, dengan" if dasar else "Dengan"
    return (
        f"{awal} ini kami sampaikan bahwa replikasi inovasi {r.inovasi.nama} oleh "
        f"{r.replikator.nama} dibatalkan, dengan rincian sebagai berikut:"
    )


def _rujukan_kesediaan(inp: ProduceDocumentInput) -> str:
    consent = inp.facts.consent
    if consent is None or not consent.nomor_surat_kesediaan:
        return ""
    tanggal = tanggal_opsional(consent.tanggal)
    return f"surat Saudara Nomor {consent.nomor_surat_kesediaan}" + (
        f" tanggal {tanggal}" if tanggal else ""
    )


# --- surat undangan --------------------------------------------------------------------

# Up to this many invitees are addressed by name on the letter; more go to a lampiran.
_UNDANGAN_LANGSUNG = 3
# Geometry of the lampiran page in points, from naskah.css (A4 less 2 cm margins; table.grid
# at 11 pt with 3 pt cell padding; `table.grid.undangan` column widths; signature at 12 pt).
# Used only to state "Lampiran: N lembar" on the letter before the PDF exists.
_TINGGI_HALAMAN = (29.7 - 4) * PT_PER_CM
_KOLOM_UNDANGAN = tuple(cm * PT_PER_CM for cm in (0.7, 4.3, 5.6, 4.1))
_BARIS_TABEL = 11 * 1.35
_TEPI_SEL = 6.75
_BARIS_TTD = 12 * 1.35
_LEBAR_TTD = 8 * PT_PER_CM
_RUANG_TTD = 2.1 * PT_PER_CM + 18  # the table's 10 pt margin collapses into this 18 pt
_LEBAR_KEPALA_LAMPIRAN = 9.5 * PT_PER_CM
# Below the "Lampiran Surat …" lines: Nomor and Tanggal, the 12 pt title between margins that
# collapse to 12 pt above and 6 pt below, and the table's header row.
_TINGGI_KEPALA = 2 * _BARIS_TABEL + 12 + 12 * 1.35 + 6 + _BARIS_TABEL + _TEPI_SEL


@builder(DocumentKind.SURAT_UNDANGAN)
def surat_undangan(inp: ProduceDocumentInput) -> Context:
    """Invitation to a knowledge-transfer session (domain.md §3.3, §7)."""
    r = inp.replication
    sesi = _sesi(inp)
    if not sesi.undangan:
        raise InvalidDocumentData(f"Daftar undangan untuk '{sesi.acara}' masih kosong.")
    terlampir = len(sesi.undangan) > _UNDANGAN_LANGSUNG
    context = base_context(inp, r.replikator, "Surat Undangan")
    context["surat"] = _kepala_undangan(inp, sesi.undangan, terlampir)
    # A forum's invitation (facts.forum) is for many replications, not one innovation.
    rangka = (
        f"pelaksanaan {sesi.acara}"
        if inp.facts.forum is not None
        else f"replikasi inovasi {r.inovasi.nama} dari {r.inovator.nama}"
    )
    context["pembuka"] = [
        f"Dalam rangka {rangka}, dengan hormat kami mengundang Bapak/Ibu untuk hadir pada:"
    ]
    context["rincian"] = _rincian_acara(sesi, r.replikator.zona)
    context["penutup"] = [
        "Mengingat pentingnya acara tersebut, diharapkan kehadiran Bapak/Ibu tepat pada "
        "waktunya. Atas perhatian dan kerja samanya diucapkan terima kasih."
    ]
    context["ttd"] = ttd(r.replikator.kepala)
    context["tembusan"] = _tembusan(inp)
    context["lampiran"] = _lampiran_undangan(inp, sesi.undangan) if terlampir else None
    return context


def _kepala_undangan(
    inp: ProduceDocumentInput, undangan: list[Peserta], terlampir: bool
) -> Context:
    yth, daftar = _kalimat_atau_daftar([_sapaan(p) for p in undangan])
    lembar = "-"
    if terlampir:
        lembar = naskah.jumlah_terbilang(_lembar_lampiran(inp, undangan), "lembar")
        yth, daftar = "Bapak/Ibu (daftar terlampir)", []
    surat = surat_header(
        inp, inp.replication.replikator, hal="Undangan", yth=yth, di="Tempat", lampiran=lembar
    )
    surat["yth_daftar"] = daftar
    return surat


def _lembar_lampiran(inp: ProduceDocumentInput, undangan: list[Peserta]) -> int:
    """Sheets the invitee table and its signature take, laid out row by row as the PDF is."""
    replikator = inp.replication.replikator
    judul = baris_teks(_judul_lampiran(replikator), _LEBAR_KEPALA_LAMPIRAN, 11)
    halaman, terisi = 1, _TINGGI_KEPALA + _BARIS_TABEL * judul
    for sel in _baris_undangan(undangan):
        tinggi = _TEPI_SEL + _BARIS_TABEL * max(
            baris_teks(teks, lebar, 11) for teks, lebar in zip(sel, _KOLOM_UNDANGAN, strict=True)
        )
        if terisi + tinggi > _TINGGI_HALAMAN:
            # A new page repeats the table header (thead).
            halaman, terisi = halaman + 1, _BARIS_TABEL + _TEPI_SEL
        terisi += tinggi
    sisa = _TINGGI_HALAMAN - terisi
    return halaman + (1 if _tinggi_ttd(ttd(replikator.kepala)) > sisa else 0)


def _judul_lampiran(instansi: Instansi) -> str:
    return f"Lampiran Surat {_jabatan_kepala(instansi)}"


def _tinggi_ttd(t: Context) -> float:
    baris = baris_teks(t["jabatan"], _LEBAR_TTD, 12)
    baris += sum(1 for kunci in ("atas_nama", "keterangan", "pangkat", "nip") if t[kunci])
    return _RUANG_TTD + _BARIS_TTD * (baris + 1)


def _baris_undangan(undangan: list[Peserta]) -> list[list[str]]:
    return [
        [str(i), p.nama or "-", p.jabatan or "-", p.instansi or "-"]
        for i, p in enumerate(undangan, start=1)
    ]


def _sapaan(p: Peserta) -> str:
    """How an invitee is addressed after "Yth.": by office, else by name."""
    if p.jabatan:
        instansi = p.instansi if p.instansi and p.instansi not in p.jabatan else ""
        return f"{p.jabatan} {instansi}".strip()
    return f"Bapak/Ibu {p.nama}".strip()


def _rincian_acara(sesi: ScheduleSessionInput, zona: str) -> list[Context]:
    if not sesi.mulai:
        raise InvalidDocumentData(f"Jam mulai '{sesi.acara}' belum diisi.")
    narasumber = _kalimat_atau_daftar([_narasumber(p) for p in sesi.narasumber])
    return rinci_daftar(
        ("Hari/tanggal", _hari_tanggal_sesi(sesi), []),
        ("Waktu", waktu_acara(sesi.mulai, sesi.selesai, zona), []),
        ("Tempat", _tempat_acara(sesi), []),
        ("Acara", sesi.acara, []),
        ("Tautan", sesi.tautan, []),
        ("Meeting ID", sesi.meeting_id, []),
        ("Kode akses", sesi.kode_akses, []),
        ("Narasumber", *narasumber),
    )


def _tempat_acara(sesi: ScheduleSessionInput) -> str:
    """ "Aula Kantor Bappeda Kota Palopo (daring melalui Zoom Meeting)", as in domain.md §7."""
    daring = ""
    if sesi.platform or sesi.tautan:
        daring = f"daring melalui {sesi.platform}" if sesi.platform else "daring"
    if sesi.tempat and daring:
        return f"{sesi.tempat} ({daring})"
    if not (sesi.tempat or daring):
        raise InvalidDocumentData(f"Tempat '{sesi.acara}' belum diisi.")
    return sesi.tempat or daring[0].upper() + daring[1:]


def _narasumber(p: Peserta) -> str:
    # The agency is left out when the office already names it ("Kepala Dinas … Luwu Utara").
    instansi = "" if p.instansi and p.instansi in p.jabatan else p.instansi
    keterangan = ", ".join(x for x in (p.jabatan, instansi) if x)
    return f"{p.nama} ({keterangan})" if p.nama and keterangan else p.nama or keterangan


def _lampiran_undangan(inp: ProduceDocumentInput, undangan: list[Peserta]) -> Context:
    r = inp.replication
    return {
        "kepala": kepala_lampiran(
            [_judul_lampiran(r.replikator)],
            ("Nomor", inp.nomor or "-"),
            ("Tanggal", naskah.tanggal(document_date(inp))),
        ),
        "judul": "DAFTAR UNDANGAN",
        "tabel": {
            "kolom": ["No", "Nama", "Jabatan", "Instansi"],
            "baris": _baris_undangan(undangan),
        },
        "ttd": ttd(r.replikator.kepala),
    }


# --- surat tugas -----------------------------------------------------------------------


@builder(DocumentKind.SURAT_TUGAS)
def surat_tugas(inp: ProduceDocumentInput) -> Context:
    """Assignment of officials to a studi tiru or magang (domain.md §3.3, §7)."""
    r = inp.replication
    sesi = _sesi(inp)
    if not sesi.petugas:
        raise InvalidDocumentData(f"Belum ada petugas yang ditugaskan untuk '{sesi.acara}'.")
    context = base_context(inp, r.replikator, "Surat Tugas")
    context["judul"] = ["SURAT TUGAS"]
    context["nomor_baris"] = _nomor_baris(inp)
    context["dasar"] = rinci_daftar(("Dasar", *_kalimat_atau_daftar(butir(_dasar_tugas(inp)))))
    context["menugaskan"] = "MENUGASKAN:"
    context["kepada"] = _kepada(sesi.petugas)
    context["untuk"] = rinci_daftar(("Untuk", *_kalimat_atau_daftar(butir(_untuk(inp, sesi)))))
    context["penutup"] = [
        "Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab."
    ]
    tempat_tgl = tempat_tanggal(r.replikator, document_date(inp))
    context["ttd"] = ttd(r.replikator.kepala, tempat_tanggal=tempat_tgl)
    return context


def _dasar_tugas(inp: ProduceDocumentInput) -> list[str]:
    r = inp.replication
    permohonan = _rujukan(inp, DocumentKind.SURAT_PERMOHONAN)
    dasar = [
        f"Surat {_jabatan_kepala(r.replikator)} {permohonan} perihal {_HAL_PERMOHONAN}"
        if permohonan
        else f"Replikasi inovasi {r.inovasi.nama} dari {r.inovator.nama} oleh {r.replikator.nama}"
    ]
    consent = inp.facts.consent
    if consent and consent.nomor_surat_kesediaan:
        jabatan = consent.penandatangan.jabatan or _jabatan_kepala(r.inovator)
        tanggal = tanggal_opsional(consent.tanggal)
        dasar.append(
            f"Surat {jabatan} Nomor {consent.nomor_surat_kesediaan}"
            + (f" tanggal {tanggal}" if tanggal else "")
            + f" mengenai kesediaan inovasi {r.inovasi.nama} untuk direplikasi"
        )
    kesepakatan = _rujukan(inp, DocumentKind.BERITA_ACARA_KESEPAKATAN)
    if kesepakatan:
        dasar.append(f"Berita Acara Kesepakatan Replikasi Inovasi {kesepakatan}")
    return dasar


def _kepada(petugas: list[Pejabat]) -> list[Context]:
    """Rows of "Kepada : 1. Nama : …", one per line, so both renditions use one flat table."""
    baris: list[Context] = []
    for no, p in enumerate(petugas, start=1):
        rows = rinci(
            ("Nama", p.nama), ("Pangkat/Gol.", p.pangkat), ("NIP", p.nip), ("Jabatan", p.jabatan)
        )
        for i, row in enumerate(rows):
            pertama = not baris
            baris.append(
                {
                    "kepada": "Kepada" if pertama else "",
                    "titik": ":" if pertama else "",
                    "no": f"{no}." if i == 0 else "",
                    **row,
                }
            )
    return baris


def _untuk(inp: ProduceDocumentInput, sesi: ScheduleSessionInput) -> list[str]:
    tujuan = sesi.tujuan_tugas.strip().rstrip(".") or f"Mengikuti {sesi.acara}"
    if sesi.tujuan_tugas and sesi.acara:
        tujuan += f" dalam kegiatan {sesi.acara}"
    tempat = f" bertempat di {sesi.tempat}" if sesi.tempat else ""
    return [
        tujuan,
        f"Dilaksanakan pada hari {_hari_tanggal_sesi(sesi)}{tempat}",
        f"Biaya pelaksanaan tugas dibebankan pada {sesi.sumber_dana}" if sesi.sumber_dana else "",
        f"Melaporkan hasil pelaksanaan tugas kepada {_jabatan_kepala(inp.replication.replikator)}",
    ]


# --- keputusan tim replikasi -----------------------------------------------------------

_MENGINGAT_SK_TIM = [
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik "
    "Indonesia Tahun 2009 Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038)",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik "
    "Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587)",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 "
    "Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik Indonesia Tahun 2012 "
    "Nomor 215, Tambahan Lembaran Negara Republik Indonesia Nomor 5357)",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 91 Tahun "
    "2021 tentang Pembinaan Inovasi Pelayanan Publik",
    "Peraturan Menteri Dalam Negeri Nomor 1 Tahun 2023 tentang Tata Naskah Dinas di "
    "Lingkungan Pemerintah Daerah",
]
_DIKTUM = ["KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM"]


@builder(DocumentKind.SK_TIM)
def sk_tim(inp: ProduceDocumentInput) -> Context:
    """Keputusan Kepala OPD forming the replication team, with its lampiran (§3.3, §7)."""
    r = inp.replication
    team = _wajib(inp.facts.team, "tim replikasi")
    if not team.anggota:
        raise InvalidDocumentData("Susunan anggota tim replikasi masih kosong.")
    pejabat, tentang = _judul_keputusan(inp)
    context = base_context(inp, r.replikator, "Keputusan Tim Replikasi")
    context["judul"] = [f"KEPUTUSAN {pejabat}", f"NOMOR {inp.nomor or '-'}", "TENTANG", tentang]
    context["rahmat"] = "DENGAN RAHMAT TUHAN YANG MAHA ESA"
    context["jabatan"] = f"{pejabat},"
    context["pertimbangan"] = rinci_daftar(
        ("Menimbang", "", nomori(butir(_menimbang(inp), akhir=";"), "a")),
        ("Mengingat", "", nomori(butir(_MENGINGAT_SK_TIM, akhir=";"))),
    )
    context["memutuskan"] = "MEMUTUSKAN:"
    context["diktum"] = rinci_daftar(
        ("Menetapkan", f"KEPUTUSAN {pejabat} TENTANG {tentang}.", []), *_diktum(inp, team)
    )
    kota = r.replikator.kota
    tanggal = naskah.tanggal(document_date(inp))
    context["ttd"] = _ttd_keputusan(inp, f"Ditetapkan di {kota}", f"pada tanggal {tanggal}")
    context["lampiran"] = _lampiran_tim(inp, team)
    return context


def _judul_keputusan(inp: ProduceDocumentInput) -> tuple[str, str]:
    """ "KEPALA DINAS …" and "TIM REPLIKASI INOVASI …", in capitals as the title prints them."""
    r = inp.replication
    return f"KEPALA {r.replikator.nama.upper()}", _nama_tim(inp).upper()


def _nama_tim(inp: ProduceDocumentInput) -> str:
    r = inp.replication
    return f"Tim Replikasi Inovasi {r.nama_lokal or r.inovasi.nama}"


def _menimbang(inp: ProduceDocumentInput) -> list[str]:
    r = inp.replication
    nama_lokal = f" dengan nama {r.nama_lokal}" if r.nama_lokal else ""
    return [
        f"bahwa dalam rangka percepatan peningkatan kualitas pelayanan publik, "
        f"{r.replikator.nama} mereplikasi inovasi {r.inovasi.nama} dari {r.inovator.nama}"
        f"{nama_lokal}",
        "bahwa untuk kelancaran pelaksanaan replikasi inovasi sebagaimana dimaksud dalam "
        f"huruf a, perlu dibentuk {_nama_tim(inp)}",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu "
        f"menetapkan Keputusan Kepala {r.replikator.nama} tentang {_nama_tim(inp)}",
    ]


def _diktum(inp: ProduceDocumentInput, team: FormTeamInput) -> list[tuple[str, str, list[Context]]]:
    r = inp.replication
    tahun = document_date(inp).year
    tugas = [_huruf_kecil_awal(t) for t in butir(team.tugas)]
    isi: list[tuple[str, list[Context]]] = [
        (
            f"Membentuk {_nama_tim(inp)} dengan susunan keanggotaan sebagaimana tercantum dalam "
            "Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini.",
            [],
        ),
        ("Tim sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas:", nomori(tugas, "a")),
        (
            "Segala biaya yang timbul akibat pelaksanaan Keputusan ini dibebankan pada Dokumen "
            f"Pelaksanaan Anggaran (DPA) {r.replikator.nama} Tahun Anggaran {tahun}.",
            [],
        ),
        ("Keputusan ini mulai berlaku pada tanggal ditetapkan.", []),
    ]
    if not tugas:
        del isi[1]
    return [(label, teks, daftar) for label, (teks, daftar) in zip(_DIKTUM, isi, strict=False)]


def _huruf_kecil_awal(teks: str) -> str:
    """A list item continues the sentence before it: "Menyusun …" -> "menyusun …"."""
    if len(teks) > 1 and teks[0].isupper() and teks[1].islower():
        return teks[0].lower() + teks[1:]
    return teks


def _ttd_keputusan(inp: ProduceDocumentInput, tempat: str = "", tanggal: str = "") -> Context:
    """A keputusan is signed without academic titles (Permendagri 1/2023 Pasal 44)."""
    kepala = inp.replication.replikator.kepala
    return ttd(replace(kepala, nama=nama_tanpa_gelar(kepala.nama)), tempat, tanggal)


def _lampiran_tim(inp: ProduceDocumentInput, team: FormTeamInput) -> Context:
    pejabat, tentang = _judul_keputusan(inp)
    return {
        "kepala": kepala_lampiran(
            [f"LAMPIRAN KEPUTUSAN {pejabat}"],
            ("NOMOR", inp.nomor or "-"),
            ("TANGGAL", naskah.tanggal(document_date(inp))),
            ("TENTANG", tentang),
        ),
        "judul": f"SUSUNAN {tentang}",
        "tabel": {
            "kolom": ["No", "Kedudukan dalam Tim", "Nama", "Jabatan"],
            "baris": [
                [str(i), a.peran or "-", a.pejabat.nama or "-", a.pejabat.jabatan or "-"]
                for i, a in enumerate(team.anggota, start=1)
            ],
        },
        "ttd": _ttd_keputusan(inp),
    }


# --- surat pernyataan kesediaan --------------------------------------------------------


@builder(DocumentKind.SURAT_KESEDIAAN)
def surat_kesediaan(inp: ProduceDocumentInput) -> Context:
    """The inovator's statement that it agrees to be replicated (domain.md §2.1, §7)."""
    r = inp.replication
    consent = _wajib(inp.facts.consent, "kesediaan inovator")
    penandatangan = _penandatangan_inovator(inp, consent)
    context = base_context(inp, r.inovator, "Surat Pernyataan Kesediaan Direplikasi")
    context["judul"] = ["SURAT PERNYATAAN KESEDIAAN DIREPLIKASI"]
    context["nomor_baris"] = _nomor_baris(inp)
    context["pembuka"] = ["Yang bertanda tangan di bawah ini:"]
    context["identitas"] = rinci(
        ("Nama", penandatangan.nama),
        ("NIP", penandatangan.nip),
        ("Pangkat/Gol.", penandatangan.pangkat),
        ("Jabatan", penandatangan.jabatan or _jabatan_kepala(r.inovator)),
    )
    context["pernyataan"] = [_pernyataan(inp)]
    context["inovasi"] = rinci(
        ("Nama inovasi", r.inovasi.nama),
        ("Tahun", str(r.inovasi.tahun) if r.inovasi.tahun else ""),
        ("Penghargaan", r.inovasi.penghargaan),
        ("Nama replikasi", r.nama_lokal),
    )
    context["ketentuan_pengantar"] = ["dengan ketentuan sebagai berikut:"]
    context["ketentuan"] = nomori(butir(_ketentuan_kesediaan(inp, consent)))
    context["penutup"] = [
        "Demikian surat pernyataan ini dibuat untuk dipergunakan sebagaimana mestinya."
    ]
    context["ttd"] = ttd(penandatangan, tempat_tanggal=_tempat_tanggal_kesediaan(inp, consent))
    return context


def _tempat_tanggal_kesediaan(inp: ProduceDocumentInput, consent: InnovatorConsentInput) -> str:
    """The inovator's city (else where the consent was given) and the consent date."""
    kota = inp.replication.inovator.kota or consent.tempat
    return f"{kota}, {naskah.tanggal(document_date(inp))}" if kota else ""


def _pernyataan(inp: ProduceDocumentInput) -> str:
    """ "dalam hal ini bertindak …, menindaklanjuti surat …, dengan ini menyatakan bersedia …" """
    r = inp.replication
    permohonan = _rujukan(inp, DocumentKind.SURAT_PERMOHONAN)
    tindak_lanjut = (
        f"menindaklanjuti surat {_jabatan_kepala(r.replikator)} {permohonan} perihal "
        f"{_HAL_PERMOHONAN}, "
        if permohonan
        else ""
    )
    return (
        f"dalam hal ini bertindak untuk dan atas nama {r.inovator.nama}, {tindak_lanjut}"
        f"dengan ini menyatakan bersedia inovasi berikut direplikasi oleh {r.replikator.nama}:"
    )


def _ketentuan_kesediaan(inp: ProduceDocumentInput, consent: InnovatorConsentInput) -> list[str]:
    """What the inovator offers and the conditions usual in practice (domain.md §2.1)."""
    r = inp.replication
    asal = r.inovasi.instansi or r.inovator.nama
    return [
        f"{r.inovator.nama} bersedia berbagi pengetahuan dan pengalaman penerapan inovasi "
        f"{r.inovasi.nama} melalui forum, studi tiru, magang, dan pendampingan, serta "
        "menyediakan standar operasional prosedur dan materi pendukungnya",
        f"{r.replikator.nama} mencantumkan {asal} sebagai asal inovasi {r.inovasi.nama} dalam "
        "setiap publikasi, laporan, dan keikutsertaan dalam kompetisi inovasi",
        "Inovasi hasil replikasi, standar operasional prosedur, dan materi yang diterima tidak "
        "dikomersialkan dan tidak ditawarkan kembali kepada pihak lain; hak atas kekayaan "
        f"intelektual inovasi {r.inovasi.nama} tetap berada pada {asal}",
        f"Biaya pelaksanaan replikasi, termasuk biaya narasumber dan pendampingan, dibebankan "
        f"kepada {r.replikator.nama}",
        consent.catatan,
    ]
