"""Each letter kind, read back from its PDF and its DOCX."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
from pypdf import PdfReader

from activities.contexts import InvalidDocumentData, build_context
from activities.contexts.common import LOGO_DIR, nama_tanpa_gelar
from activities.rendering import RenderedDocument, render_document
from tests.doctext import assert_readable, docx_text, normalise, pdf_fonts_embedded, pdf_text
from tests.factories import (
    KADINKES_LUTRA,
    KADINKES_PALOPO,
    KESEDIAAN_TANGGAL,
    document_input,
    forum_session,
    sample_input,
    studi_tiru_session,
    team,
)
from workflows.models import (
    CancelInput,
    InnovatorConsentInput,
    Instansi,
    Pejabat,
    Peserta,
    ProduceDocumentInput,
    SessionRecord,
)


def render(kind: str, **facts: object) -> tuple[RenderedDocument, str, str]:
    inp = document_input(kind, **facts)
    rendered = render_document(kind, build_context(inp))
    return rendered, normalise(pdf_text(rendered.pdf)), normalise(docx_text(rendered.docx))


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_permohonan_fields(reader: str) -> None:
    """The Surat Permohonan names the innovation, both agencies, nomor, date and signer."""
    rendered, pdf, docx = render("surat_permohonan")
    text = pdf if reader == "pdf" else docx

    for expected in [
        "PEMERINTAH KOTA PALOPO",
        "Nomor",
        "000.8.3.3/15/Dinkes/2020",
        "Palopo, 5 Oktober 2020",
        "Hal",
        "Permohonan Replikasi Inovasi",
        "Yth. Kepala Dinas Kesehatan Kabupaten Luwu Utara",
        "ANC Hipnoterapi",
        "HIPNO-BUNDA Wara Utara",
        "KEPALA DINAS KESEHATAN KOTA PALOPO,",
        "dr. Andi Rahmawati Saleh, M.Kes.",
        "NIP 197503122003122004",
        "Tembusan",
    ]:
        assert expected in text, expected
    assert_readable(text)
    assert pdf_fonts_embedded(rendered.pdf)


# --- helpers for the kinds below -------------------------------------------------------


def render_input(inp: ProduceDocumentInput) -> tuple[RenderedDocument, str, str]:
    rendered = render_document(inp.kind, build_context(inp))
    return rendered, normalise(pdf_text(rendered.pdf)), normalise(docx_text(rendered.docx))


def letter_input(kind: str, tanggal: str, **facts: object) -> ProduceDocumentInput:
    """A document of `kind` dated `tanggal`, numbered apart from the Surat Permohonan."""
    inp = document_input(kind, nomor="000.8.3.3/41/Dinkes/2020", **facts)
    inp.tanggal = tanggal
    return inp


def check(rendered: RenderedDocument, text: str, expected: list[str]) -> None:
    for phrase in expected:
        assert phrase in text, phrase
    assert_readable(text)
    assert pdf_fonts_embedded(rendered.pdf)


def studi_tiru() -> SessionRecord:
    return SessionRecord(jadwal=studi_tiru_session())


def reader_text(reader: str, pdf: str, docx: str) -> str:
    return pdf if reader == "pdf" else docx


# --- berita acara kesepakatan ----------------------------------------------------------


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_berita_acara_kesepakatan_fields(reader: str) -> None:
    """Date in words, both parties with NIP, the agreed points and the closing formula."""
    rendered, pdf, docx = render_input(letter_input("berita_acara_kesepakatan", "2020-10-13"))
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "BERITA ACARA KESEPAKATAN REPLIKASI INOVASI",
            "Nomor: 000.8.3.3/41/Dinkes/2020",
            "Pada hari ini Selasa, tanggal tiga belas bulan Oktober tahun dua ribu dua puluh, "
            "kami yang bertanda tangan di bawah ini:",
            "Nama : dr. Hasniah Latif, M.Kes.",
            "NIP : 197801202005012011",
            "Jabatan : Kepala Dinas Kesehatan Kabupaten Luwu Utara",
            "selanjutnya disebut PIHAK KESATU.",
            "Nama : dr. Andi Rahmawati Saleh, M.Kes.",
            "NIP : 197503122003122004",
            "selanjutnya disebut PIHAK KEDUA.",
            "PIHAK KESATU menyetujui inovasi ANC Hipnoterapi",
            "Surat Kesediaan Nomor 440/210/Dinkes/X/2020 tanggal 8 Oktober 2020",
            "dengan nama HIPNO-BUNDA Wara Utara",
            "Sesi hipnoterapi dilakukan berkelompok di kelas ibu hamil kelurahan",
            "forum, studi tiru, magang, dan/atau pendampingan",
            "sebagai asal inovasi ANC Hipnoterapi",
            "Demikian berita acara ini dibuat dengan sebenarnya dalam rangkap 2 (dua)",
            # Signatures side by side, read row by row: PIHAK KEDUA left, PIHAK KESATU right.
            "PIHAK KEDUA PIHAK KESATU",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "KEPALA DINAS KESEHATAN KABUPATEN LUWU UTARA,",
            "dr. Andi Rahmawati Saleh, M.Kes. dr. Hasniah Latif, M.Kes.",
            "NIP 197503122003122004 NIP 197801202005012011",
        ],
    )
    text = reader_text(reader, pdf, docx)
    # No koordinator head on record: no "Mengetahui" block; no tempat given: no "bertempat".
    assert "Mengetahui" not in text
    assert "bertempat di" not in text


def test_berita_acara_kesepakatan_signatures_and_witness() -> None:
    """PIHAK KEDUA signs at the left, PIHAK KESATU at the right, the koordinator below."""
    inp = letter_input("berita_acara_kesepakatan", "2020-10-13")
    inp.replication.koordinator.kepala = Pejabat(
        nama="Dr. H. Andi Muhammad Yasir, S.STP., M.Si.",
        jabatan="Kepala Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
        nip="197601012000121001",
        pangkat="Pembina Utama Muda (IV/c)",
    )
    assert inp.facts.consent is not None
    inp.facts.consent.tempat = "Aula Dinas Kesehatan Kabupaten Luwu Utara"
    context = build_context(inp)
    assert context["ttd_kiri"]["keterangan"] == "PIHAK KEDUA"
    assert context["ttd_kiri"]["nama"] == KADINKES_PALOPO.nama
    assert context["ttd_kanan"]["keterangan"] == "PIHAK KESATU"
    assert context["ttd_kanan"]["nama"] == KADINKES_LUTRA.nama
    rendered, pdf, docx = render_input(inp)
    for text in (pdf, docx):
        check(
            rendered,
            text,
            [
                "dua puluh, bertempat di Aula Dinas Kesehatan Kabupaten Luwu Utara, kami",
                "Mengetahui, KEPALA BIRO ORGANISASI SEKRETARIAT DAERAH PROVINSI SULAWESI SELATAN,",
                "Dr. H. Andi Muhammad Yasir, S.STP., M.Si.",
                "NIP 197601012000121001",
            ],
        )


# --- surat penutupan and surat pembatalan ----------------------------------------------


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_penutupan_fields(reader: str) -> None:
    """To the koordinator: the inovator declined (date, reason), the replication is closed."""
    rendered, pdf, docx = render_input(letter_input("surat_penutupan", "2020-10-09"))
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "Nomor : 000.8.3.3/41/Dinkes/2020",
            "Palopo, 9 Oktober 2020",
            "Hal : Pemberitahuan Penutupan Replikasi Inovasi",
            "Yth. Kepala Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
            "di Makassar",
            "Menindaklanjuti surat kami Nomor 000.8.3.3/15/Dinkes/2020 tanggal 5 Oktober 2020 "
            "perihal Permohonan Replikasi Inovasi",
            "menyatakan tidak bersedia inovasinya direplikasi",
            "Tanggal penolakan : 8 Oktober 2020",
            "Alasan : Inovasi sedang dievaluasi.",
            "kami nyatakan ditutup.",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "dr. Andi Rahmawati Saleh, M.Kes.",
            "NIP 197503122003122004",
        ],
    )
    # The PDF's text layer puts a list number after its item; read what follows "Tembusan:".
    tembusan = reader_text(reader, pdf, docx).split("Tembusan:")[1]
    assert "Kepala Dinas Kesehatan Kabupaten Luwu Utara" in tembusan


def test_surat_penutupan_needs_a_koordinator() -> None:
    inp = letter_input("surat_penutupan", "2020-10-09")
    inp.replication.koordinator = Instansi()
    with pytest.raises(InvalidDocumentData, match="koordinator"):
        build_context(inp)


def test_surat_penutupan_needs_the_decline() -> None:
    with pytest.raises(InvalidDocumentData, match="penolakan"):
        build_context(letter_input("surat_penutupan", "2020-10-09", decline=None))


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_pembatalan_fields(reader: str) -> None:
    """To the inovator: the replication is cancelled (by whom, when, why), copy to koordinator."""
    rendered, pdf, docx = render_input(letter_input("surat_pembatalan", "2020-11-02"))
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "Nomor : 000.8.3.3/41/Dinkes/2020",
            "Palopo, 2 November 2020",
            "Hal : Pemberitahuan Pembatalan Replikasi Inovasi",
            "Yth. Kepala Dinas Kesehatan Kabupaten Luwu Utara",
            "di Masamba",
            "surat Saudara Nomor 440/210/Dinkes/X/2020 tanggal 8 Oktober 2020",
            "replikasi inovasi ANC Hipnoterapi oleh Dinas Kesehatan Kota Palopo dibatalkan",
            "Tanggal pembatalan : 1 November 2020",
            "Dibatalkan oleh : Koordinator",
            "Alasan : Anggaran tahun berjalan dialihkan.",
            "dr. Andi Rahmawati Saleh, M.Kes.",
            "NIP 197503122003122004",
        ],
    )
    tembusan = reader_text(reader, pdf, docx).split("Tembusan:")[1]
    assert "Kepala Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan" in tembusan


def test_surat_pembatalan_leaves_out_what_is_unknown() -> None:
    """No date and no consent on record: no empty "Tanggal" row, no "surat Saudara"."""
    inp = letter_input(
        "surat_pembatalan", "2020-11-02", cancel=CancelInput(alasan="Dialihkan."), consent=None
    )
    _, pdf, docx = render_input(inp)
    for text in (pdf, docx):
        assert "Tanggal pembatalan" not in text
        assert "Dibatalkan oleh" not in text
        assert "surat Saudara" not in text
        assert "Alasan : Dialihkan." in text


# --- surat undangan --------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_undangan_fields(reader: str) -> None:
    """Three invitees addressed directly; hari/tanggal, waktu, tempat, acara, Zoom details."""
    rendered, pdf, docx = render_input(letter_input("surat_undangan", "2020-10-08"))
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "Nomor : 000.8.3.3/41/Dinkes/2020",
            "Palopo, 8 Oktober 2020",
            "Lampiran : -",
            "Hal : Undangan",
            "Yth. 1. Kepala Dinas Kesehatan Kota Palopo 2. Kepala UPT Puskesmas Wara Utara "
            "3. Kepala Bappeda Kota Palopo di Tempat",
            "Dalam rangka replikasi inovasi ANC Hipnoterapi dari Dinas Kesehatan Kabupaten Luwu "
            "Utara, dengan hormat kami mengundang Bapak/Ibu untuk hadir pada:",
            "Hari/tanggal : Selasa, 13 Oktober 2020",
            "Waktu : pukul 09.00 WITA s.d. selesai",
            "Tempat : Aula Kantor Bappeda Kota Palopo (daring melalui Zoom Meeting)",
            "Acara : Forum Replikasi Inovasi Pelayanan Publik Tahun 2020",
            "Tautan : https://zoom.us/j/81234567890",
            "Meeting ID : 812 3456 7890",
            "Kode akses : replikasi",
            "1. Muhammad Imanuddin (Asisten Deputi Perumusan Kebijakan Pelayanan Publik, "
            "Kementerian PANRB)",
            "Mengingat pentingnya acara tersebut, diharapkan kehadiran Bapak/Ibu tepat pada "
            "waktunya.",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "dr. Andi Rahmawati Saleh, M.Kes.",
            "NIP 197503122003122004",
        ],
    )
    assert "daftar terlampir" not in reader_text(reader, pdf, docx)
    assert rendered.pages == 1


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_undangan_multi_day_without_meeting_link(reader: str) -> None:
    """A range of days and hours; no Tautan/Meeting ID rows when the session is not online."""
    rendered, pdf, docx = render_input(
        letter_input("surat_undangan", "2020-10-28", session=studi_tiru())
    )
    text = reader_text(reader, pdf, docx)
    check(
        rendered,
        text,
        [
            "Yth. Kepala UPT Puskesmas Wara Utara di Tempat",
            "Hari/tanggal : Selasa, 3 November 2020 s.d. Rabu, 4 November 2020",
            "Waktu : pukul 08.30 s.d. 15.00 WITA",
            "Tempat : UPT Puskesmas Masamba, Kabupaten Luwu Utara",
            "Narasumber : Sitti Aminah, S.ST. (Bidan Koordinator)",
        ],
    )
    for absent in ("Tautan", "Meeting ID", "Kode akses", "daring"):
        assert absent not in text, absent


def _many_invitees(n: int) -> SessionRecord:
    jadwal = forum_session()
    jadwal.undangan = [
        Peserta(
            nama=f'Andi "Ucok" Baso {i}, S.K.M.',
            jabatan="Kepala Seksi Kesehatan Keluarga & Gizi <Kesga>",
            instansi="Dinas Kesehatan Kota Palopo",
        )
        for i in range(1, n + 1)
    ]
    return SessionRecord(jadwal=jadwal)


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_undangan_lists_many_invitees_in_a_lampiran(reader: str) -> None:
    """More than three invitees: "daftar terlampir" and a lampiran page with their table."""
    inp = letter_input("surat_undangan", "2020-10-08", session=_many_invitees(5))
    rendered, pdf, docx = render_input(inp)
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "Lampiran : 1 (satu) lembar",
            "Yth. Bapak/Ibu (daftar terlampir) di Tempat",
            "Lampiran Surat Kepala Dinas Kesehatan Kota Palopo",
            "Nomor : 000.8.3.3/41/Dinkes/2020",
            "Tanggal : 8 Oktober 2020",
            "DAFTAR UNDANGAN",
            "No Nama Jabatan Instansi",
            'Andi "Ucok" Baso 5, S.K.M.',
            "Kepala Seksi Kesehatan Keluarga & Gizi <Kesga>",
        ],
    )
    assert rendered.pages == 2


@pytest.mark.parametrize("invitees", [30, 60])
def test_surat_undangan_lampiran_sheet_count_matches_the_pdf(invitees: int) -> None:
    """ "Lampiran: N lembar" is computed before rendering; it must match the pages printed."""
    inp = letter_input("surat_undangan", "2020-10-08", session=_many_invitees(invitees))
    context = build_context(inp)
    lembar = int(context["surat"]["lampiran"].split()[0])
    with_lampiran = render_document("surat_undangan", context).pages
    letter_only = render_document("surat_undangan", {**context, "lampiran": None}).pages
    assert with_lampiran - letter_only == lembar


# --- surat tugas -----------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_tugas_fields(reader: str) -> None:
    """Dasar, MENUGASKAN, each petugas with pangkat and NIP, Untuk with dates and dana."""
    rendered, pdf, docx = render_input(
        letter_input("surat_tugas", "2020-10-28", session=studi_tiru())
    )
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "SURAT TUGAS",
            "Nomor: 000.8.3.3/41/Dinkes/2020",
            "Dasar : 1. Surat Kepala Dinas Kesehatan Kota Palopo Nomor 000.8.3.3/15/Dinkes/2020 "
            "tanggal 5 Oktober 2020 perihal Permohonan Replikasi Inovasi;",
            "2. Surat Kepala Dinas Kesehatan Kabupaten Luwu Utara Nomor 440/210/Dinkes/X/2020 "
            "tanggal 8 Oktober 2020",
            "MENUGASKAN:",
            "Kepada : 1. Nama : Nurhayati Baso, S.K.M., M.Kes. Pangkat/Gol. : Penata Tingkat I "
            "(III/d) NIP : 198204172006042015 Jabatan : Kepala UPT Puskesmas Wara Utara",
            "2. Nama : Rahmi Aswad, A.Md.Keb. Pangkat/Gol. : Pengatur (II/c) "
            "NIP : 199103042015032002",
            "Untuk : 1. Mempelajari penerapan ANC Hipnoterapi pada kelas ibu hamil",
            "Dilaksanakan pada hari Selasa, 3 November 2020 s.d. Rabu, 4 November 2020 "
            "bertempat di UPT Puskesmas Masamba, Kabupaten Luwu Utara;",
            "Biaya pelaksanaan tugas dibebankan pada DPA Dinas Kesehatan Kota Palopo Tahun "
            "Anggaran 2020;",
            "Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab.",
            "Palopo, 28 Oktober 2020 KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "dr. Andi Rahmawati Saleh, M.Kes.",
            "NIP 197503122003122004",
        ],
    )
    assert rendered.pages == 1


def test_surat_tugas_needs_petugas() -> None:
    with pytest.raises(InvalidDocumentData, match="petugas"):
        build_context(letter_input("surat_tugas", "2020-10-28"))


def test_surat_tugas_leaves_out_unknown_facts() -> None:
    """No kesediaan on record and no sumber dana: those lines are left out, not blank."""
    session = studi_tiru()
    session.jadwal.sumber_dana = ""
    session.jadwal.petugas[1].pangkat = ""
    _, pdf, docx = render_input(
        letter_input("surat_tugas", "2020-10-28", session=session, consent=None)
    )
    for text in (pdf, docx):
        assert "440/210" not in text
        assert "Biaya" not in text
        assert "Nama : Rahmi Aswad, A.Md.Keb. NIP : 199103042015032002" in text


# --- keputusan tim replikasi -----------------------------------------------------------


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_sk_tim_fields(reader: str) -> None:
    """Keputusan anatomy, diktum KESATU..KEEMPAT, signer without gelar, lampiran susunan."""
    rendered, pdf, docx = render_input(letter_input("sk_tim", "2020-11-16"))
    text = reader_text(reader, pdf, docx)
    check(
        rendered,
        text,
        [
            "KEPUTUSAN KEPALA DINAS KESEHATAN KOTA PALOPO NOMOR 000.8.3.3/41/Dinkes/2020 "
            "TENTANG TIM REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "DENGAN RAHMAT TUHAN YANG MAHA ESA KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "Menimbang : a. bahwa dalam rangka percepatan peningkatan kualitas pelayanan publik",
            "c. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan Kepala Dinas Kesehatan Kota Palopo tentang Tim Replikasi "
            "Inovasi HIPNO-BUNDA Wara Utara;",
            "Mengingat : 1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
            "2. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
            "3. Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang "
            "Nomor 25 Tahun 2009 tentang Pelayanan Publik",
            "4. Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 91 "
            "Tahun 2021 tentang Pembinaan Inovasi Pelayanan Publik;",
            "5. Peraturan Menteri Dalam Negeri Nomor 1 Tahun 2023 tentang Tata Naskah Dinas di "
            "Lingkungan Pemerintah Daerah;",
            "MEMUTUSKAN:",
            "Menetapkan : KEPUTUSAN KEPALA DINAS KESEHATAN KOTA PALOPO TENTANG TIM REPLIKASI "
            "INOVASI HIPNO-BUNDA WARA UTARA.",
            "KESATU : Membentuk Tim Replikasi Inovasi HIPNO-BUNDA Wara Utara dengan susunan "
            "keanggotaan sebagaimana tercantum dalam Lampiran",
            "KEDUA : Tim sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas: "
            "a. menyusun rencana aksi replikasi; b. melaksanakan dan memantau replikasi.",
            "KETIGA : Segala biaya yang timbul akibat pelaksanaan Keputusan ini dibebankan pada "
            "Dokumen Pelaksanaan Anggaran (DPA) Dinas Kesehatan Kota Palopo Tahun Anggaran 2020.",
            "KEEMPAT : Keputusan ini mulai berlaku pada tanggal ditetapkan.",
            "Ditetapkan di Palopo pada tanggal 16 November 2020 KEPALA DINAS KESEHATAN KOTA "
            "PALOPO, Andi Rahmawati Saleh Pembina Utama Muda (IV/c) NIP 197503122003122004",
            "LAMPIRAN KEPUTUSAN KEPALA DINAS KESEHATAN KOTA PALOPO",
            "NOMOR : 000.8.3.3/41/Dinkes/2020",
            "TANGGAL : 16 November 2020",
            "SUSUNAN TIM REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "No Kedudukan dalam Tim Nama Jabatan",
            "1 Pengarah Drs. Muhammad Arifin Tahir, M.Si. Sekretaris Daerah Kota Palopo",
            "3 Ketua Nurhayati Baso, S.K.M., M.Kes. Kepala UPT Puskesmas Wara Utara",
        ],
    )
    # Pasal 44: the keputusan's signer is printed without academic titles, both times.
    assert text.count("KEPALA DINAS KESEHATAN KOTA PALOPO, Andi Rahmawati Saleh Pembina") == 2
    assert "M.Kes. Pembina Utama Muda" not in text
    assert rendered.pages == 3


def test_sk_tim_without_tugas_renumbers_the_diktum() -> None:
    context = build_context(letter_input("sk_tim", "2020-11-16", team=replace(team(), tugas=[])))
    labels = [row["label"] for row in context["diktum"]]
    assert labels == ["Menetapkan", "KESATU", "KEDUA", "KETIGA"]
    assert context["diktum"][-1]["nilai"] == "Keputusan ini mulai berlaku pada tanggal ditetapkan."


@pytest.mark.parametrize(
    ("nama", "tanpa_gelar"),
    [
        ("dr. Andi Rahmawati Saleh, M.Kes.", "Andi Rahmawati Saleh"),
        ("Nurhayati Baso, S.K.M., M.Kes.", "Nurhayati Baso"),
        ("Drs. Muhammad Arifin Tahir, M.Si.", "Muhammad Arifin Tahir"),
        ("Prof. Dr. Ir. H. Muh. Judas Amir, M.H.", "Muh. Judas Amir"),
        ("Hj. Sitti Aminah, S.ST.", "Sitti Aminah"),
        ("Rahmi Aswad, A.Md.Keb.", "Rahmi Aswad"),
        ("Dr.dr. Budi Santoso, Sp.A(K)", "Budi Santoso"),
        ("drg. Irma Yusuf, MPH", "Irma Yusuf"),
        ("Irwan Hadi", "Irwan Hadi"),
        ("Andi Baso, Kepala Seksi", "Andi Baso, Kepala Seksi"),
        ("", ""),
    ],
)
def test_nama_tanpa_gelar(nama: str, tanpa_gelar: str) -> None:
    assert nama_tanpa_gelar(nama) == tanpa_gelar


# --- every new kind ----------------------------------------------------------------------

NEW_KINDS = [
    ("berita_acara_kesepakatan", {}),
    ("surat_penutupan", {}),
    ("surat_undangan", {}),
    ("surat_tugas", {"session": "studi_tiru"}),
    ("sk_tim", {}),
    ("surat_pembatalan", {}),
    ("surat_kesediaan", {}),
]


@pytest.mark.parametrize(("kind", "facts"), NEW_KINDS, ids=[k for k, _ in NEW_KINDS])
def test_letters_escape_markup_in_values(kind: str, facts: dict[str, str]) -> None:
    """& < > " in names print as typed in both renditions (Jinja autoescape on both)."""
    extra = {"session": studi_tiru()} if facts.get("session") else {}
    inp = letter_input(kind, "2020-11-16", **extra)
    inp.replication.nama_lokal = 'HIPNO & "BUNDA" <Wara>'
    inp.replication.inovasi.nama = "ANC & Hipnoterapi <Lutra>"
    _, pdf, docx = render_input(inp)
    for text in (pdf, docx):
        assert_readable(text)
        assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text
        assert "ANC & Hipnoterapi <Lutra>" in text or 'HIPNO & "BUNDA" <WARA>' in text


# --- surat pernyataan kesediaan ----------------------------------------------------------


def kesediaan_input(**facts: object) -> ProduceDocumentInput:
    """The inovator's statement as the workflow asks for it: its own number, consent date."""
    inp = sample_input("surat_kesediaan")
    for name, value in facts.items():
        setattr(inp.facts, name, value)
    return inp


@pytest.mark.parametrize("reader", ["pdf", "docx"])
def test_surat_kesediaan_fields(reader: str) -> None:
    """Under the inovator's kop: who states, what may be replicated by whom, on what terms."""
    rendered, pdf, docx = render_input(kesediaan_input())
    check(
        rendered,
        reader_text(reader, pdf, docx),
        [
            "PEMERINTAH KABUPATEN LUWU UTARA",
            "DINAS KESEHATAN KABUPATEN LUWU UTARA",
            "SURAT PERNYATAAN KESEDIAAN DIREPLIKASI",
            "Nomor: 440/210/Dinkes/X/2020",
            "Yang bertanda tangan di bawah ini:",
            "Nama : dr. Hasniah Latif, M.Kes.",
            "NIP : 197801202005012011",
            "Pangkat/Gol. : Pembina Tingkat I (IV/b)",
            "Jabatan : Kepala Dinas Kesehatan Kabupaten Luwu Utara",
            "dalam hal ini bertindak untuk dan atas nama Dinas Kesehatan Kabupaten Luwu Utara, "
            "menindaklanjuti surat Kepala Dinas Kesehatan Kota Palopo Nomor "
            "000.8.3.3/15/Dinkes/2020 tanggal 5 Oktober 2020 perihal Permohonan Replikasi "
            "Inovasi, dengan ini menyatakan bersedia inovasi berikut direplikasi oleh Dinas "
            "Kesehatan Kota Palopo:",
            "Nama inovasi : ANC Hipnoterapi",
            "Tahun : 2017",
            "Penghargaan : Top 40 KIPP 2018",
            "Nama replikasi : HIPNO-BUNDA Wara Utara",
            "dengan ketentuan sebagai berikut:",
            "forum, studi tiru, magang, dan pendampingan",
            "standar operasional prosedur",
            "mencantumkan Dinas Kesehatan Kabupaten Luwu Utara sebagai asal inovasi",
            "tidak dikomersialkan",
            "Demikian surat pernyataan ini dibuat untuk dipergunakan sebagaimana mestinya.",
            "Masamba, 8 Oktober 2020",
            "KEPALA DINAS KESEHATAN KABUPATEN LUWU UTARA,",
            "NIP 197801202005012011",
        ],
    )
    # The replikator's kop is not on the inovator's letter.
    assert "PEMERINTAH KOTA PALOPO" not in reader_text(reader, pdf, docx)


def test_surat_kesediaan_without_number_request_or_named_signer() -> None:
    """No number yet, no Surat Permohonan on record, no signer named: the head signs."""
    consent = InnovatorConsentInput(tanggal=KESEDIAAN_TANGGAL, catatan="Berlaku dua tahun.")
    inp = kesediaan_input(consent=consent, documents=[])
    inp.nomor = ""
    rendered, pdf, docx = render_input(inp)
    for text in (pdf, docx):
        check(
            rendered,
            text,
            [
                "Nomor: -",
                "atas nama Dinas Kesehatan Kabupaten Luwu Utara, dengan ini menyatakan bersedia",
                "Berlaku dua tahun.",
                "dr. Hasniah Latif, M.Kes.",
            ],
        )
        assert "menindaklanjuti" not in text


def test_surat_kesediaan_signed_on_behalf_of_the_head() -> None:
    """A secretary signing a.n. the head: the a.n. line above the jabatan (Pasal 44)."""
    sekretaris = Pejabat(
        nama="Andi Muliani Rasyid, S.ST., M.Kes.",
        jabatan="Sekretaris",
        nip="198107072005012010",
        sebagai="a.n.",
        atas_nama="Kepala Dinas Kesehatan Kabupaten Luwu Utara",
    )
    consent = InnovatorConsentInput(tanggal=KESEDIAAN_TANGGAL, penandatangan=sekretaris)
    context = build_context(kesediaan_input(consent=consent))

    assert context["ttd"]["atas_nama"] == "a.n. KEPALA DINAS KESEHATAN KABUPATEN LUWU UTARA"
    assert context["ttd"]["jabatan"] == "SEKRETARIS,"
    assert {"label": "Jabatan", "nilai": "Sekretaris"} in context["identitas"]


def test_surat_kesediaan_needs_the_consent() -> None:
    with pytest.raises(InvalidDocumentData, match="kesediaan inovator"):
        build_context(kesediaan_input(consent=None))


# --- kop with a logo ---------------------------------------------------------------------


def _fill_colours(pdf: bytes) -> set[str]:
    """Fill colours (as #rrggbb) painted on the first page: the vector logo's colours."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    stream = page.get_contents()
    content = stream.get_data().decode("latin-1") if stream is not None else ""
    triples = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content)
    return {"#" + "".join(f"{round(float(c) * 255):02x}" for c in t) for t in triples}


def test_kop_with_logo_in_pdf_and_docx() -> None:
    """The logo is drawn in the PDF's kop and is a picture of the DOCX; none without one."""
    inp = kesediaan_input()
    plain = render_document(inp.kind, build_context(inp))
    inp.replication.inovator.logo = "luwu-utara.svg"
    context = build_context(inp)
    with_logo = render_document(inp.kind, context)

    assert context["kop"]["logo"] == "../logos/luwu-utara.svg"
    # The SVG's shield and gold are painted as vectors on page 1; without a logo, only black.
    assert {"#7d1f1f", "#d9a21b"} <= _fill_colours(with_logo.pdf)
    assert _fill_colours(plain.pdf) <= {"#000000", "#ffffff"}
    png = (LOGO_DIR / "luwu-utara.png").read_bytes()
    assert png in _docx_media(with_logo.docx)
    assert png not in _docx_media(plain.docx)
    # The kop text is the same either way.
    assert "DINAS KESEHATAN KABUPATEN LUWU UTARA" in normalise(docx_text(with_logo.docx))


def _docx_media(docx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def test_unknown_logo_is_refused() -> None:
    inp = kesediaan_input()
    inp.replication.inovator.logo = "../../pyproject.toml"
    with pytest.raises(InvalidDocumentData, match=r"Yang tersedia: .*palopo\.svg"):
        build_context(inp)


def test_a_long_meeting_link_wraps_inside_its_column() -> None:
    """One unbroken 130-character link breaks across lines of the value column instead of
    running off the page (fixed columns, overflow-wrap: break-word)."""
    link = "https://zoom.us/j/81234567890?pwd=" + "Q1Jrb2xYZ3BaV0hRc2dBVUFRQmVyUT09" * 3
    inp = letter_input("surat_undangan", "2020-10-08")
    session = inp.facts.session
    assert session is not None
    inp.facts.session = replace(session, jadwal=replace(session.jadwal, tautan=link))
    rendered = render_document(inp.kind, build_context(inp))

    lines = PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text().splitlines()
    continued = [line for line in lines if line.strip() and line.strip() in link]

    assert len(continued) >= 2, lines  # its second and third lines hold nothing else
    assert link in "".join(lines)
