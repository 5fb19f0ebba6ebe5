"""Each report kind, read back from its PDF and its DOCX as an official would read it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from functools import cache

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from activities.contexts import InvalidDocumentData, build_context
from activities.contexts.reports import rentang_bulan
from activities.rendering import RenderedDocument, render_document, render_html
from tests import factories
from tests.doctext import assert_readable, docx_text, normalise, pdf_fonts_embedded, pdf_text
from tests.factories import document_input
from workflows import approval
from workflows.models import (
    Approver,
    DecisionRecord,
    Kegiatan,
    Pejabat,
    Peserta,
    ProduceDocumentInput,
    SessionRecord,
)

READERS = ["pdf", "docx"]


def render_input(inp: ProduceDocumentInput) -> tuple[RenderedDocument, str, str]:
    rendered = render_document(inp.kind, build_context(inp))
    return rendered, normalise(pdf_text(rendered.pdf)), normalise(docx_text(rendered.docx))


@cache
def render(kind: str) -> tuple[RenderedDocument, str, str]:
    """The kind rendered from the sample facts, once per test session."""
    return render_input(factories.sample_input(kind))


def read(kind: str, reader: str) -> str:
    _, pdf, docx_ = render(kind)
    return pdf if reader == "pdf" else docx_


def assert_contains(text: str, expected: list[str]) -> None:
    for item in expected:
        assert item in text, item
    assert_readable(text)


@pytest.mark.parametrize(
    "kind",
    [
        "daftar_hadir",
        "notula",
        "berita_acara_transfer",
        "laporan_transfer",
        "laporan_forum",
        "rencana_aksi",
        "rencana_aksi_final",
        "lembar_pengesahan",
        "rekam_jejak",
    ],
)
def test_fonts_embedded(kind: str) -> None:
    """Every report's PDF carries its fonts (PDF/A)."""
    rendered, _, _ = render(kind)

    assert pdf_fonts_embedded(rendered.pdf)


# --- daftar hadir ------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_daftar_hadir_fields(reader: str) -> None:
    """Kegiatan, hari/tanggal, waktu with zone, tempat with platform, attendees, pimpinan."""
    text = read("daftar_hadir", reader)

    assert_contains(
        text,
        [
            "PEMERINTAH KOTA PALOPO",
            "DAFTAR HADIR",
            "Kegiatan : Forum Replikasi Inovasi Pelayanan Publik Tahun 2020",
            "Hari/tanggal : Selasa, 13 Oktober 2020",
            "Waktu : pukul 09.00 WITA s.d. selesai",
            "Tempat : Aula Kantor Bappeda Kota Palopo (daring melalui Zoom Meeting)",
            "No Nama Jabatan/Instansi NIP Tanda Tangan",
            "dr. Andi Rahmawati Saleh, M.Kes.",
            "197503122003122004",
            "Kepala UPT Puskesmas Wara Utara",
            "1. …………",
            "3. …………",
            "Palopo, 13 Oktober 2020",
            "Mengetahui,",
            "SUB KOORDINATOR ANALISIS KEBIJAKAN PELAYANAN PUBLIK,",
            "Rizky Amelia Ayunintias",
        ],
    )


@pytest.mark.parametrize("reader", READERS)
def test_daftar_hadir_before_session(reader: str) -> None:
    """Before the session the invitees are listed, with numbered blank rows for walk-ins."""
    session = SessionRecord(jadwal=factories.forum_session(), laporan=None)
    _, pdf, docx_ = render_input(document_input("daftar_hadir", session=session))
    text = pdf if reader == "pdf" else docx_

    invitees = len(factories.forum_session().undangan)
    assert_contains(text, ["Kepala Bappeda Kota Palopo", f"{invitees + 5}. …………"])
    assert f"{invitees + 6}. …………" not in text
    assert "KEPALA DINAS KESEHATAN KOTA PALOPO," in text


# --- notula ------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_notula_fields(reader: str) -> None:
    """Head rows, the four numbered parts, closing time, both signatures."""
    text = read("notula", reader)

    assert_contains(
        text,
        [
            "NOTULA",
            "Nama rapat : Forum Replikasi Inovasi Pelayanan Publik Tahun 2020",
            "Hari/tanggal : Selasa, 13 Oktober 2020",
            "Waktu : pukul 09.00 s.d. 12.30 WITA",
            "Pimpinan rapat : Rizky Amelia Ayunintias",
            "Pencatat : Fitriani Rauf, S.Sos.",
            "Peserta : 3 (tiga) orang (daftar hadir terlampir)",
            "I. Pembukaan",
            "Rapat dibuka oleh Rizky Amelia Ayunintias pukul 09.00 WITA.",
            "II. Pembahasan",
            "1. Arah kebijakan replikasi inovasi",
            "2. Paparan inovator tentang penerapan ANC Hipnoterapi di Luwu Utara.",
            "III. Kesepakatan",
            "1. Puskesmas Wara Utara mereplikasi ANC Hipnoterapi mulai Januari 2021.",
            "IV. Penutup",
            "Rapat ditutup pukul 12.30 WITA.",
            "Pencatat",
            "ANALIS KEBIJAKAN,",
            "NIP 199005122015032001",
            "Pimpinan Rapat",
        ],
    )


def test_notula_needs_the_session_record() -> None:
    """A notula cannot be written before the session is recorded."""
    session = SessionRecord(jadwal=factories.forum_session(), laporan=None)

    with pytest.raises(InvalidDocumentData):
        build_context(document_input("notula", session=session))


# --- berita acara ------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_berita_acara_transfer_fields(reader: str) -> None:
    """Nomor, the date spelled out, both parties, what was transferred, the closing."""
    text = read("berita_acara_transfer", reader)

    assert_contains(
        text,
        [
            "BERITA ACARA TRANSFER PENGETAHUAN",
            "Nomor: 000.8.3.3/15/Dinkes/2020",
            "Pada hari ini Selasa, tanggal tiga belas bulan Oktober tahun dua ribu dua puluh, "
            "bertempat di Aula Kantor Bappeda Kota Palopo (daring melalui Zoom Meeting), "
            "kami yang bertanda tangan di bawah ini:",
            "Nama : dr. Hasniah Latif, M.Kes.",
            "NIP : 197801202005012011",
            "Pangkat/golongan : Pembina Tingkat I (IV/b)",
            "selanjutnya disebut PIHAK KESATU.",
            "Nama : dr. Andi Rahmawati Saleh, M.Kes.",
            "selanjutnya disebut PIHAK KEDUA.",
            "transfer pengetahuan inovasi ANC Hipnoterapi",
            "Jenis kegiatan : Forum",
            "Muhammad Imanuddin (Asisten Deputi Perumusan Kebijakan Pelayanan Publik, "
            "Kementerian PANRB)",
            "2. Inovator mendampingi studi tiru pada November 2020.",
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
            "sebagaimana mestinya.",
            "KEPALA DINAS KESEHATAN KABUPATEN LUWU UTARA,",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
        ],
    )
    assert text.count("PIHAK KESATU") >= 3


# --- laporan -----------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_laporan_transfer_fields(reader: str) -> None:
    """A–E structure, one table row per session, hasil, saran, place-date and signer."""
    text = read("laporan_transfer", reader)

    assert_contains(
        text,
        [
            "LAPORAN TRANSFER PENGETAHUAN REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "A. Pendahuluan",
            "1. Umum",
            "2. Maksud dan Tujuan",
            "3. Ruang Lingkup",
            "2 (dua) kegiatan transfer pengetahuan yang dilaksanakan pada 13 Oktober 2020 "
            "s.d. 4 November 2020",
            "4. Dasar",
            "a. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
            "Nomor 440/210/Dinkes/X/2020 tanggal 8 Oktober 2020.",
            "B. Kegiatan yang Dilaksanakan",
            "No Kegiatan Jenis Hari/Tanggal Tempat",
            "Studi Tiru ANC Hipnoterapi di Puskesmas Masamba",
            "Studi tiru",
            "Selasa, 3 November 2020 s.d. Rabu, 4 November 2020",
            "UPT Puskesmas Masamba, Kabupaten Luwu Utara",
            "C. Hasil yang Dicapai",
            "1. Tim memahami alur ANC Hipnoterapi.",
            "D. Simpulan dan Saran",
            "Transfer pengetahuan terlaksana sesuai rencana.",
            "a. Pendampingan lanjutan secara daring setiap bulan.",
            "E. Penutup",
            "Palopo, 10 November 2020",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "NIP 197503122003122004",
        ],
    )


@pytest.mark.parametrize("reader", READERS)
def test_laporan_forum_fields(reader: str) -> None:
    """A–E, the invitation cited, agenda table, attendance count, the agreed pairs, signer."""
    text = read("laporan_forum", reader)

    assert_contains(
        text,
        [
            "PEMERINTAH PROVINSI SULAWESI SELATAN",
            "LAPORAN PELAKSANAAN FORUM REPLIKASI INOVASI PELAYANAN PUBLIK",
            "A. Pendahuluan",
            "4. Dasar",
            "Surat Undangan Kepala Biro Organisasi Sekretariat Daerah Provinsi Sulawesi "
            "Selatan Nomor 000.8.3.3/7/Org/2020 tanggal 8 Oktober 2020.",
            "B. Kegiatan yang Dilaksanakan",
            "dilaksanakan pada hari Selasa, 13 Oktober 2020, pukul 09.00 WITA s.d. selesai",
            "Forum dihadiri oleh 3 (tiga) orang peserta dari 3 (tiga) instansi",
            "No Waktu Acara Pembicara",
            "09.15 Arahan Kementerian PANRB Muhammad Imanuddin",
            "Dr. Abdul Hayat (Sekretaris Daerah Provinsi Sulawesi Selatan)",
            "C. Hasil yang Dicapai",
            "3. Pasangan Replikasi yang Disepakati",
            "a. Dinas Kesehatan Kota Palopo mereplikasi inovasi ANC Hipnoterapi dari Dinas "
            "Kesehatan Kabupaten Luwu Utara dengan nama HIPNO-BUNDA Wara Utara.",
            "D. Simpulan dan Saran",
            "2. Tindak Lanjut",
            "E. Penutup",
            "Makassar, 13 Oktober 2020",
            "KEPALA BIRO ORGANISASI SEKRETARIAT DAERAH PROVINSI SULAWESI SELATAN,",
            "NIP 197811232000122001",
        ],
    )


# --- rencana aksi ------------------------------------------------------------------------

MATRIKS = [
    "No Tahapan/Kegiatan Output Indikator Waktu Penanggung Jawab Anggaran Sumber Dana",
    "Sosialisasi kepada kader dan ibu hamil",
    "Januari 2021 s.d. Februari 2021",
    "Rp15.000.000,00",
    "Rp12.198.000,00",
    "DAK Non Fisik (BOK)",
    "Jumlah",
    "Rp27.198.000,00",
    "Terbilang: dua puluh tujuh juta seratus sembilan puluh delapan ribu rupiah",
]


@pytest.mark.parametrize("reader", READERS)
def test_rencana_aksi_fields(reader: str) -> None:
    """Draft mark, identitas, tim, matrix with Rupiah total in words, ketua signs."""
    text = read("rencana_aksi", reader)

    assert_contains(
        text,
        [
            "DOKUMEN RENCANA AKSI REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "Draf Versi 1",
            "I. Identitas Replikasi",
            "Inovasi asal : ANC Hipnoterapi",
            f"Penghargaan : {factories.replication().inovasi.penghargaan}",
            "Nama lokal : HIPNO-BUNDA Wara Utara",
            "Modifikasi/adaptasi : Sesi hipnoterapi dilakukan berkelompok",
            "Tujuan : Meningkatkan cakupan K4 ibu hamil",
            "II. Tim Pelaksana Replikasi",
            "Kedudukan dalam Tim",
            "Penanggung Jawab",
            "III. Matriks Rencana Aksi",
            *MATRIKS,
            "Palopo, 20 November 2020",
            "KETUA TIM REPLIKASI,",
            "Nurhayati Baso, S.K.M., M.Kes.",
        ],
    )
    assert "Catatan revisi" not in text
    assert "Nomor:" not in text


@pytest.mark.parametrize("reader", READERS)
def test_rencana_aksi_revision(reader: str) -> None:
    """Version 2 says so and carries the plan's revision note."""
    inp = replace(document_input("rencana_aksi", plan=factories.plan(2)), version=2)
    _, pdf, docx_ = render_input(inp)
    text = pdf if reader == "pdf" else docx_

    assert_contains(
        text,
        ["Draf Versi 2", "Catatan revisi: Anggaran sosialisasi disesuaikan.", "Rp7.500.000,00"],
    )


@pytest.mark.parametrize("reader", READERS)
def test_rencana_aksi_final_fields(reader: str) -> None:
    """No "Draf"; nomor, the date of the last approval, the head of the replikator signs."""
    text = read("rencana_aksi_final", reader)

    assert_contains(
        text,
        [
            "DOKUMEN RENCANA AKSI REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "Nomor: 000.8.3.3/15/Dinkes/2020",
            "Versi 1, disahkan tanggal 25 November 2020",
            *MATRIKS,
            "Palopo, 25 November 2020",
            "KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "dr. Andi Rahmawati Saleh, M.Kes.",
        ],
    )
    assert "Draf" not in text


def test_matrix_header_repeats_on_every_page() -> None:
    """A long matrix keeps its header row on each page, in the PDF and in Word."""
    plan = factories.plan()
    plan.kegiatan = [
        Kegiatan(f"Kegiatan {i}", "Output", "Indikator", "2021-01", "2021-02", "PJ", 1000, "APBD")
        for i in range(1, 41)
    ]
    rendered, pdf, _ = render_input(document_input("rencana_aksi", plan=plan))

    pages = [normalise(p.extract_text() or "") for p in PdfReader(io.BytesIO(rendered.pdf)).pages]
    matrix_pages = [text for text in pages if re.search(r"Kegiatan \d+ Output", text)]
    assert len(matrix_pages) >= 3
    for text in matrix_pages:
        assert "No Tahapan/Kegiatan Output Indikator Waktu" in text
    assert "Jumlah Rp40.000,00" in pdf
    table = docx.Document(io.BytesIO(rendered.docx)).tables[2]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert 42 == len(table.rows)


def test_rentang_bulan() -> None:
    """Months are written in full; one month stands alone; bad input is refused."""
    assert "Januari 2021 s.d. Februari 2021" == rentang_bulan("2021-01", "2021-02")
    assert "November 2021" == rentang_bulan("2021-11", "2021-11")
    assert "Maret 2021" == rentang_bulan("2021-03", "")
    with pytest.raises(InvalidDocumentData):
        rentang_bulan("2021-13", "")
    with pytest.raises(InvalidDocumentData):
        rentang_bulan("2021-05", "2021-02")


# --- lembar pengesahan -------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_lembar_pengesahan_fields(reader: str) -> None:
    """Disusun by the ketua tim, then each approver's role, approval date and block."""
    text = read("lembar_pengesahan", reader)

    assert_contains(
        text,
        [
            "LEMBAR PENGESAHAN",
            "RENCANA AKSI REPLIKASI INOVASI HIPNO-BUNDA WARA UTARA",
            "Versi 1",
            "Jumlah anggaran : Rp27.198.000,00",
            "Palopo, 20 November 2020 Disusun oleh: KETUA TIM REPLIKASI,",
            "Nurhayati Baso, S.K.M., M.Kes.",
            "NIP 198204172006042015",
            "Palopo, 23 November 2020 Disetujui oleh: KEPALA DINAS KESEHATAN KOTA PALOPO,",
            "Pembina Utama Muda (IV/c)",
            "Palopo, 25 November 2020 Disahkan oleh: SEKRETARIS DAERAH KOTA PALOPO,",
            "Drs. Muhammad Arifin Tahir, M.Si.",
            "NIP 196808151994031009",
        ],
    )


def test_lembar_pengesahan_dates_only_this_versions_approvals() -> None:
    """An approval of an earlier version does not date the blocks of this one."""
    inp = replace(document_input("lembar_pengesahan", plan=factories.plan(2)), version=2)
    inp.facts.decisions.append(
        DecisionRecord(
            "kadinkes.palopo", "", "", "approve", "", 2, "2020-11-30T01:00:00+00:00", "2020-11-30"
        )
    )
    _, pdf, _ = render_input(inp)

    assert "Palopo, 30 November 2020 Disetujui oleh:" in pdf
    assert "23 November 2020" not in pdf
    assert "25 November 2020" not in pdf
    assert "Disahkan oleh:" in pdf


# --- rekam jejak -------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_rekam_jejak_fields(reader: str) -> None:
    """Identity, every document with key and hash, every decision in Indonesian."""
    text = read("rekam_jejak", reader)

    assert_contains(
        text,
        [
            "REKAM JEJAK REPLIKASI",
            "ID replikasi : palopo-2020-01",
            "ID workflow run : run-test",
            "No Dokumen Versi Nomor Tanggal Berkas PDF SHA-256",
            "Surat Permohonan Replikasi",
            "5 Oktober 2020",
            "No Tanggal Pejabat Keputusan Versi Catatan",
            "23 November 2020, pukul 10.00 WITA",
            "Disetujui",
            "Lanjutkan.",
            "Rekam jejak ini dihasilkan secara otomatis oleh sistem",
        ],
    )
    # Nomor, key and hash wrap inside their narrow cells in the PDF.
    compact = re.sub(r"\s+", "", text)
    assert "000.8.3.3/15/Dinkes/2020" in compact
    assert "ab" * 32 in compact
    assert "2020/palopo-2020-01/01-surat_permohonan-v1.pdf" in compact


def test_rekam_jejak_of_a_whole_replication_lists_every_file() -> None:
    """Sixteen documents: every key and hash whole in its narrow cell, on two pages. The
    table keeps the colgroup's fixed columns (naskah.css `tetap`): laid out automatically,
    break-all made it ~3x slower to render (issue 7)."""
    inp = factories.sample_input("rekam_jejak")
    first = inp.facts.documents[0]
    documents = [
        replace(
            first,
            seq=n,
            pdf_key=f"2020/palopo-2020-01/{n:02d}-surat_permohonan-v1.pdf",
            pdf_sha256=f"{n:02x}" * 32,
        )
        for n in range(1, 17)
    ]
    inp = replace(inp, facts=replace(inp.facts, documents=documents))

    rendered, pdf, _ = render_input(inp)

    compact = re.sub(r"\s+", "", pdf)
    for n in range(1, 17):
        assert f"{n:02x}" * 32 in compact
        assert f"2020/palopo-2020-01/{n:02d}-surat_permohonan-v1.pdf" in compact
    assert rendered.pages == 2
    assert '<table class="grid kecil tetap">' in render_html("rekam_jejak", build_context(inp))


def test_rekam_jejak_decisions_in_indonesian() -> None:
    """approve, revise and reject read as Disetujui, Perlu revisi and Ditolak."""
    decisions = [
        DecisionRecord("a", "A", "", "revise", "Anggaran terlalu besar.", 1, "", "2020-11-21"),
        DecisionRecord("b", "B", "", "reject", "", 2, "", "2020-11-28"),
    ]
    _, pdf, docx_ = render_input(document_input("rekam_jejak", decisions=decisions))

    for text in (pdf, docx_):
        assert_contains(
            text, ["Perlu revisi", "Anggaran terlalu besar.", "Ditolak", "28 November 2020"]
        )
        assert "revise" not in text
        assert "reject" not in text


# --- values people type ------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_special_characters_are_printed(reader: str) -> None:
    """& < > " in typed values print as typed and do not break either rendition."""
    odd = 'Kelas "Ibu & Anak" <Terpadu>'
    inp = document_input("rencana_aksi")
    inp.replication.nama_lokal = odd
    inp.facts.plan = replace(factories.plan(), tujuan=odd)
    _, pdf, docx_ = render_input(inp)
    text = pdf if reader == "pdf" else docx_

    assert_contains(text, [f"Nama lokal : {odd}", 'KELAS "IBU & ANAK" <TERPADU>'])


@pytest.mark.parametrize("reader", READERS)
def test_empty_optional_fields_are_left_out(reader: str) -> None:
    """No award, no platform, no team: their rows and section are left out, not blank."""
    inp = document_input("rencana_aksi", team=None)
    inp.replication.inovasi.penghargaan = ""
    _, pdf, docx_ = render_input(inp)
    text = pdf if reader == "pdf" else docx_

    assert "Penghargaan" not in text
    assert "Tim Pelaksana" not in text
    assert "II. Matriks Rencana Aksi" in text
    assert "KEPALA DINAS KESEHATAN KOTA PALOPO," in text

    jadwal = replace(factories.forum_session(), platform="", tempat="Aula Puskesmas")
    session = SessionRecord(jadwal=jadwal, laporan=factories.forum_record())
    _, pdf, docx_ = render_input(document_input("daftar_hadir", session=session))
    text = pdf if reader == "pdf" else docx_
    assert "Tempat : Aula Puskesmas" in text
    assert "daring" not in text


def test_daftar_hadir_lists_every_attendee() -> None:
    """A long attendance list runs over pages, numbered to the last person."""
    record = factories.forum_record()
    record.hadir = [Peserta(nama=f"Peserta {i}", jabatan="Staf") for i in range(1, 46)]
    session = SessionRecord(jadwal=factories.forum_session(), laporan=record)
    rendered, pdf, docx_ = render_input(document_input("daftar_hadir", session=session))

    assert rendered.pages >= 2
    for text in (pdf, docx_):
        assert "Peserta 45" in text
        assert "45. …………" in text


@pytest.mark.parametrize("reader", READERS)
def test_berita_acara_online_only(reader: str) -> None:
    """A session held only online says "secara daring melalui Zoom Meeting", as typed."""
    jadwal = replace(factories.forum_session(), tempat="")
    session = SessionRecord(jadwal=jadwal, laporan=factories.forum_record())
    _, pdf, docx_ = render_input(document_input("berita_acara_transfer", session=session))
    text = pdf if reader == "pdf" else docx_

    assert_contains(
        text,
        [
            "dua ribu dua puluh, secara daring melalui Zoom Meeting, kami yang bertanda tangan",
            "Tempat : Daring melalui Zoom Meeting",
        ],
    )
    assert "bertempat di" not in text


def test_decision_time_is_local() -> None:
    """A decision recorded at 16.30 UTC is dated the next day, 00.30 WITA, in Palopo."""
    decision = DecisionRecord(
        "kadinkes.palopo", "A", "", "approve", "", 1, "2020-11-22T16:30:00+00:00", ""
    )
    inp = document_input("lembar_pengesahan", decisions=[decision])

    pdf = render_input(inp)[1]
    rekam = render_input(replace(inp, kind="rekam_jejak"))[1]

    assert "Palopo, 23 November 2020 Disetujui oleh:" in pdf
    assert "23 November 2020, pukul 00.30 WITA" in rekam


def chain_decision(
    user: str, group: int, jenis: str, peran: str, signer: Pejabat
) -> DecisionRecord:
    return DecisionRecord(
        approver=user,
        nama=signer.nama,
        jabatan=signer.jabatan,
        decision="approve",
        version=1,
        at="2020-11-23T02:00:00+00:00",
        tanggal="2020-11-23",
        pemegang=user,
        sebagai=signer.sebagai,
        kelompok=group,
        jenis=jenis,
        peran=peran,
        penandatangan=signer,
    )


def test_final_plan_prints_the_plt_of_the_head() -> None:
    """A Plt. Kepala Dinas approved under a chain: the final plan's block reads "Plt."."""
    plt = approval.printed_signer(
        Approver(user="kadinkes.palopo", pejabat=factories.KADINKES_PALOPO),
        replace(factories.plh_sekda(), pemegang="kadinkes.palopo", jenis="Plt."),
    )
    decisions = [
        chain_decision("kadinkes.palopo", 1, "persetujuan", "Disetujui oleh", plt),
        chain_decision("sekda.palopo", 2, "penandatangan", "Disahkan oleh", factories.SEKDA_PALOPO),
    ]
    inp = document_input("rencana_aksi_final", decisions=decisions)

    _, pdf, docx_ = render_input(inp)
    lembar = render_input(replace(inp, kind="lembar_pengesahan"))[1]

    for text in (pdf, docx_, lembar):
        assert "Plt. KEPALA DINAS KESEHATAN KOTA PALOPO," in text
        assert factories.ASISTEN_PALOPO.nama in text
    assert "Palopo, 23 November 2020 Disahkan oleh: SEKRETARIS DAERAH KOTA PALOPO," in lembar


def test_an_block_names_the_holder_above_the_delegates_jabatan() -> None:
    """An a.n. decision prints "a.n. SEKRETARIS DAERAH KOTA PALOPO" above the Asisten."""
    an = approval.printed_signer(
        Approver(user="sekda.palopo", pejabat=factories.SEKDA_PALOPO),
        replace(factories.plh_sekda(), jenis="a.n."),
    )
    decisions = [chain_decision("sekda.palopo", 1, "penandatangan", "Disahkan oleh", an)]

    lembar = render_input(document_input("lembar_pengesahan", decisions=decisions))[1]

    assert (
        "a.n. SEKRETARIS DAERAH KOTA PALOPO ASISTEN PEMERINTAHAN DAN KESEJAHTERAAN RAKYAT" in lembar
    )
