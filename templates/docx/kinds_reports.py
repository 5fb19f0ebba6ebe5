"""DOCX layouts of the reports, records and tables."""

from __future__ import annotations

import parts
from docx.shared import Cm, Pt

MONO = "Liberation Mono"


def _v(expr):
    """A Jinja expression tag, e.g. _v("judul") -> "{{ judul }}"."""
    return "{{ " + expr + " }}"


def _p(statement):
    """A paragraph-level Jinja tag that docxtpl removes, e.g. "{%p endfor %}"."""
    return "{%p " + statement + " %}"


def _judul(document, var="judul"):
    parts.para(document, _v(var), bold=True, align="center")


def _baris_tengah(document, var, bold=False):
    """One centred line per item of a list of strings (title lines, Draf/Nomor notes)."""
    parts.tag(document, _p(f"for line in {var}"))
    parts.para(document, "{{ line }}", bold=bold, align="center")
    parts.tag(document, "{%p endfor %}")


def _subjudul(document, text):
    paragraph = parts.para(document, text, bold=True)
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _buang_paragraf_kosong(cell):
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


# --- daftar hadir, notula, berita acara ------------------------------------------------


def daftar_hadir():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.para(document)
    parts.rinci(document, "rincian")
    kolom = [
        ("No", "no", 0.9, "center"),
        ("Nama", "nama", 4.0, None),
        ("Jabatan/Instansi", "jabatan", 4.0, None),
        ("NIP", "nip", 3.4, "center"),
        ("Tanda Tangan", "", 3.7, None),
    ]
    table = parts.tabel_data(document, kolom, "hadir", loop="h")
    table.rows[2].height = Cm(0.9)
    # Staggered signature lines: odd numbers at the left of the cell, even at the right.
    cell = table.rows[2].cells[4]
    cell.paragraphs[0].text = "{%p if h.kiri %}"
    parts.para(cell, "{{ h.ttd }}", size=10)
    parts.tag(cell, "{%p else %}")
    parts.para(cell, "{{ h.ttd }}", size=10, align="right")
    parts.tag(cell, "{%p endif %}")
    parts.ttd(document)
    parts.verifikasi(document)
    return document


def notula():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.para(document)
    parts.rinci(document, "rincian")
    parts.seksi_bernomor(document, "bagian")
    parts.para(document)
    parts.ttd_berdampingan(document, "ttd_kiri", "ttd_kanan")
    parts.verifikasi(document)
    return document


def _pihak(document, i):
    """ "1." beside the Nama/NIP/Pangkat/Jabatan rows and the "selanjutnya disebut" line."""
    table = document.add_table(rows=1, cols=2)
    parts.no_borders(table)
    number, body = table.rows[0].cells
    number.paragraphs[0].text = _v(f"pihak[{i}].no")
    parts.rinci(body, f"pihak[{i}].rincian", widths_cm=(3.6, 0.5, 11.1))
    parts.para(body, _v(f"pihak[{i}].keterangan"), align="justify")
    _buang_paragraf_kosong(body)
    parts.lebar_kolom(table, [0.8, 15.2])


def berita_acara_transfer():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.tag(document, "{%p if nomor_baris %}")
    parts.para(document, "{{ nomor_baris }}", align="center")
    parts.tag(document, "{%p endif %}")
    parts.para(document)
    parts.para(document, "{{ pembuka }}", indent=True, align="justify")
    _pihak(document, 0)
    _pihak(document, 1)
    parts.para(document, "{{ isi }}", indent=True, align="justify")
    parts.rinci(document, "kegiatan")
    parts.tag(document, "{%p for b in bagian %}")
    parts.para(document, "{{ b.judul }}")
    parts.daftar_butir(document, "b.butir", "x", indent_cm=1.25)
    parts.tag(document, "{%p endfor %}")
    parts.para(document, "{{ penutup }}", indent=True, align="justify")
    parts.para(document)
    parts.ttd_berdampingan(document, "ttd_kiri", "ttd_kanan")
    parts.verifikasi(document)
    return document


# --- laporan -----------------------------------------------------------------------------


def _tabel_kegiatan(document):
    kolom = [
        ("No", "no", 1.0, "center"),
        ("Kegiatan", "acara", 4.4, None),
        ("Jenis", "jenis", 2.2, None),
        ("Hari/Tanggal", "hari_tanggal", 3.8, None),
        ("Tempat", "tempat", 4.6, None),
    ]
    parts.tabel_data(document, kolom, "kegiatan", loop="k")


def laporan_transfer():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.seksi_bernomor(document, "bab", tabel=_tabel_kegiatan)
    parts.para(document)
    parts.ttd(document)
    parts.verifikasi(document)
    return document


def _tabel_agenda(document):
    kolom = [
        ("No", "no", 1.0, "center"),
        ("Waktu", "waktu", 1.8, "center"),
        ("Acara", "acara", 6.6, None),
        ("Pembicara", "pembicara", 6.6, None),
    ]
    parts.tabel_data(document, kolom, "agenda", loop="a")


def laporan_forum():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.seksi_bernomor(document, "bab", tabel=_tabel_agenda)
    parts.para(document)
    parts.ttd(document)
    parts.verifikasi(document)
    return document


# --- rencana aksi, lembar pengesahan ---------------------------------------------------


def _tim(document):
    parts.tag(document, "{%p if bagian.tim %}")
    _subjudul(document, "{{ bagian.tim }}")
    kolom = [
        ("No", "no", 1.0, "center"),
        ("Nama", "nama", 5.0, None),
        ("Jabatan", "jabatan", 6.0, None),
        ("Kedudukan dalam Tim", "peran", 4.0, None),
    ]
    parts.tabel_data(document, kolom, "tim", loop="a", size=11)
    parts.tag(document, "{%p endif %}")


def _matriks(document):
    kolom = [
        ("No", "no", 1.0, "center"),
        ("Tahapan/Kegiatan", "tahapan", 5.0, None),
        ("Output", "output", 3.3, None),
        ("Indikator", "indikator", 3.3, None),
        ("Waktu", "waktu", 3.4, None),
        ("Penanggung Jawab", "penanggung_jawab", 3.6, None),
        ("Anggaran", "anggaran", 3.0, "right"),
        ("Sumber Dana", "sumber_dana", 2.6, None),
    ]
    table = parts.tabel_data(document, kolom, "matriks.baris", loop="k")
    jumlah = table.add_row()
    label = jumlah.cells[0].merge(jumlah.cells[5])
    parts.sel(label, "Jumlah", bold=True, align="center", size=10)
    parts.sel(jumlah.cells[6], "{{ matriks.jumlah }}", bold=True, align="right", size=10)
    terbilang = parts.para(document, "{{ matriks.terbilang }}")
    terbilang.runs[0].italic = True


def rencana_aksi():
    """Draft and final share this layout; the builder fills penanda and the signer."""
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    _baris_tengah(document, "penanda")
    _subjudul(document, "{{ bagian.identitas }}")
    parts.rinci(document, "identitas")
    _tim(document)
    parts.halaman_lanskap(document)
    _subjudul(document, "{{ bagian.matriks }}")
    _matriks(document)
    parts.ttd(document)
    parts.verifikasi(document)
    return document


def lembar_pengesahan():
    document = parts.new_document()
    parts.kop(document)
    _baris_tengah(document, "judul", bold=True)
    _baris_tengah(document, "penanda")
    parts.para(document)
    parts.rinci(document, "rincian")
    table = document.add_table(rows=3, cols=2)
    parts.no_borders(table)
    table.rows[0].cells[0].text = "{%tr for b in pengesahan.baris %}"
    for cell, var in zip(table.rows[1].cells, ("b.kiri", "b.kanan"), strict=True):
        parts.ttd(cell, var, align="center")
        parts.para(cell)
    table.rows[2].cells[0].text = "{%tr endfor %}"
    parts.lebar_kolom(table, [8, 8])
    parts.tag(document, "{%p if pengesahan.tunggal %}")
    parts.ttd(document, "pengesahan.tunggal", align="center")
    parts.tag(document, "{%p endif %}")
    parts.verifikasi(document)
    return document


# --- rekam jejak -------------------------------------------------------------------------


def _tabel_dokumen(document):
    kolom = [
        ("No", "no", 0.8, "center"),
        ("Dokumen", "dokumen", 2.8, None),
        ("Versi", "versi", 1.0, "center"),
        ("Nomor", "nomor", 2.6, None),
        ("Tanggal", "tanggal", 2.5, None),
        ("Berkas PDF", "berkas", 3.0, None),
        ("SHA-256", "sha256", 3.3, None),
    ]
    table = parts.tabel_data(document, kolom, "dokumen", loop="d", size=8)
    sha = table.rows[2].cells[6].paragraphs[0].runs[0]
    sha.font.name, sha.font.size = MONO, Pt(7)


def _tabel_keputusan(document):
    kolom = [
        ("No", "no", 0.8, "center"),
        ("Tanggal", "tanggal", 3.4, None),
        ("Pejabat", "pejabat", 4.6, None),
        ("Keputusan", "keputusan", 2.2, None),
        ("Versi", "versi", 1.1, "center"),
        ("Catatan", "catatan", 3.9, None),
    ]
    table = parts.tabel_data(document, kolom, "keputusan", loop="k", size=9)
    cell = table.rows[2].cells[2]
    parts.tag(cell, "{%p if k.jabatan %}")
    parts.para(cell, "{{ k.jabatan }}", size=9)
    parts.tag(cell, "{%p endif %}")


def rekam_jejak():
    document = parts.new_document()
    parts.kop(document)
    _judul(document)
    parts.para(document)
    parts.rinci(document, "rincian")
    parts.tag(document, "{%p if dokumen %}")
    _subjudul(document, "Daftar Dokumen")
    _tabel_dokumen(document)
    parts.tag(document, "{%p endif %}")
    parts.tag(document, "{%p if keputusan %}")
    _subjudul(document, "Riwayat Keputusan")
    _tabel_keputusan(document)
    parts.tag(document, "{%p endif %}")
    parts.para(document)
    penutup = parts.para(document, "{{ penutup }}", size=10, align="justify")
    penutup.runs[0].italic = True
    parts.verifikasi(document)
    return document


KINDS = {
    "daftar_hadir": daftar_hadir,
    "notula": notula,
    "berita_acara_transfer": berita_acara_transfer,
    "laporan_transfer": laporan_transfer,
    "laporan_forum": laporan_forum,
    "rencana_aksi": rencana_aksi,
    "rencana_aksi_final": rencana_aksi,
    "lembar_pengesahan": lembar_pengesahan,
    "rekam_jejak": rekam_jejak,
}
