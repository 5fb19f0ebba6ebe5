"""DOCX layouts of the surat dinas kinds."""

from __future__ import annotations

import parts
from docx.shared import Cm


def surat_permohonan():
    return _surat_dinas()


def _surat_dinas():
    """A surat dinas with a rincian table: permohonan, penutupan and pembatalan."""
    document = parts.new_document()
    parts.kop(document)
    parts.kepala_surat(document)
    # kepala_surat and rinci size their cells only; give the grid the same widths.
    parts.lebar_kolom(document.tables[-1], [2.2, 0.4, 7.6, 5.8])
    parts.paragraphs(document, "pembuka")
    parts.rinci(document, "rincian")
    parts.lebar_kolom(document.tables[-1], [4.4, 0.4, 9])
    parts.paragraphs(document, "isi")
    parts.paragraphs(document, "penutup")
    parts.ttd(document)
    parts.tembusan(document)
    parts.verifikasi(document)
    return document


def _judul_nomor(document):
    parts.baris_judul(document, "judul")
    parts.para(document, "{{ nomor_baris }}", align="center")
    parts.para(document)


def _tabel_lampiran(document, widths):
    """The lampiran table: headers and rows come from the context, as in the PDF."""
    aligns = ["center", None, None, None]
    kolom = [
        ("{{ lampiran.tabel.kolom[%d] }}" % i, str(i), width, align)
        for i, (width, align) in enumerate(zip(widths, aligns, strict=True))
    ]
    parts.tabel_data(document, kolom, "lampiran.tabel.baris", loop="r", size=11)


def _lampiran(document, widths):
    parts.ganti_halaman(document)
    parts.kepala_lampiran(document, "lampiran.kepala")
    parts.para(document, "{{ lampiran.judul }}", bold=True, align="center")
    parts.para(document)
    _tabel_lampiran(document, widths)
    parts.para(document)
    parts.ttd(document, "lampiran.ttd")


def _pihak(document):
    """Each party: "1." beside Nama/NIP/Pangkat/Jabatan, then "dalam hal ini bertindak …".

    Flat tables only: docxtpl's fix_tables counts nested rows' cells into the outer grid.
    """
    parts.tag(document, "{%p for p in pihak %}")
    table = document.add_table(rows=4, cols=4)
    parts.no_borders(table)
    table.rows[0].cells[0].text = "{%tr for row in p.rinci %}"
    texts = ("{% if loop.first %}{{ p.no }}{% endif %}", "{{ row.label }}", ":", "{{ row.nilai }}")
    for cell, text in zip(table.rows[1].cells, texts, strict=True):
        parts.sel(cell, text)
    table.rows[2].cells[0].text = "{%tr endfor %}"
    keterangan = table.rows[3].cells[1].merge(table.rows[3].cells[3])
    parts.sel(keterangan, "{{ p.keterangan }}", align="justify")
    parts.lebar_kolom(table, [0.8, 3.0, 0.5, 11.7])
    keterangan.width = Cm(15.2)  # a merged cell spans its three grid columns
    parts.tag(document, "{%p endfor %}")


def berita_acara_kesepakatan():
    document = parts.new_document()
    parts.kop(document)
    _judul_nomor(document)
    parts.paragraphs(document, "pembuka")
    _pihak(document)
    parts.paragraphs(document, "sepakat")
    parts.daftar_butir(document, "kesepakatan")
    parts.paragraphs(document, "penutup")
    parts.para(document)
    parts.ttd_berjajar(document, "ttd_kiri", "ttd_kanan")
    parts.tag(document, "{%p if mengetahui %}")
    parts.para(document)
    parts.ttd_tengah(document, "mengetahui")
    parts.tag(document, "{%p endif %}")
    parts.verifikasi(document)
    return document


def surat_undangan():
    document = parts.new_document()
    parts.kop(document)
    parts.kepala_surat_daftar(document)
    parts.paragraphs(document, "pembuka")
    parts.rinci_daftar(document, "rincian")
    parts.para(document)
    parts.paragraphs(document, "penutup")
    parts.ttd(document)
    parts.tembusan(document)
    parts.tag(document, "{%p if lampiran %}")
    _lampiran(document, [0.9, 4.5, 6.0, 4.6])
    parts.tag(document, "{%p endif %}")
    parts.verifikasi(document)
    return document


def _kepada(document):
    """Kepada : 1. Nama / Pangkat/Gol. / NIP / Jabatan: one flat row per line."""
    table = document.add_table(rows=3, cols=6)
    parts.no_borders(table)
    table.rows[0].cells[0].text = "{%tr for row in kepada %}"
    texts = ("{{ row.kepada }}", "{{ row.titik }}", "{{ row.no }}", "{{ row.label }}", ":")
    for cell, text in zip(table.rows[1].cells, (*texts, "{{ row.nilai }}"), strict=True):
        parts.sel(cell, text)
    table.rows[2].cells[0].text = "{%tr endfor %}"
    parts.lebar_kolom(table, [2.2, 0.5, 0.8, 3.0, 0.5, 9.0])


def surat_tugas():
    document = parts.new_document()
    parts.kop(document)
    _judul_nomor(document)
    parts.rinci_daftar(document, "dasar", label_cm=2.2, indent_cm=0)
    parts.para(document, "{{ menugaskan }}", bold=True, align="center")
    _kepada(document)
    parts.rinci_daftar(document, "untuk", label_cm=2.2, indent_cm=0)
    parts.para(document)
    parts.paragraphs(document, "penutup")
    parts.ttd(document)
    parts.verifikasi(document)
    return document


def sk_tim():
    document = parts.new_document()
    parts.kop(document)
    parts.baris_judul(document, "judul")
    parts.para(document)
    parts.para(document, "{{ rahmat }}", bold=True, align="center")
    parts.para(document, "{{ jabatan }}", bold=True, align="center")
    parts.para(document)
    parts.rinci_daftar(document, "pertimbangan", label_cm=2.8, indent_cm=0)
    parts.para(document)
    parts.para(document, "{{ memutuskan }}", bold=True, align="center")
    parts.para(document)
    parts.rinci_daftar(document, "diktum", label_cm=2.8, indent_cm=0)
    parts.ttd(document)
    _lampiran(document, [0.9, 3.5, 5.3, 6.3])
    parts.verifikasi(document)
    return document


def surat_kesediaan():
    """The inovator's Surat Pernyataan Kesediaan Direplikasi (kop of the inovator)."""
    document = parts.new_document()
    parts.kop(document)
    _judul_nomor(document)
    _alinea_rata(document, "pembuka")
    parts.rinci(document, "identitas", widths_cm=(3.6, 0.4, 10.75))
    parts.geser_tabel(document.tables[-1], 1.25)
    _alinea_rata(document, "pernyataan")
    parts.rinci(document, "inovasi", widths_cm=(3.6, 0.4, 10.75))
    parts.geser_tabel(document.tables[-1], 1.25)
    _alinea_rata(document, "ketentuan_pengantar")
    parts.daftar_butir(document, "ketentuan")
    parts.para(document)
    # The closing formula stays on the page of the signature, as in the PDF.
    parts.tag(document, "{%p for p in penutup %}")
    penutup = parts.para(document, "{{ p }}", indent=True, align="justify")
    penutup.paragraph_format.keep_with_next = True
    parts.tag(document, "{%p endfor %}")
    parts.ttd(document)
    parts.verifikasi(document)
    return document


def _alinea_rata(document, var):
    """Justified paragraphs without a first-line indent: they continue the sentence above."""
    parts.tag(document, "{%%p for p in %s %%}" % var)
    parts.para(document, "{{ p }}", align="justify")
    parts.tag(document, "{%p endfor %}")


KINDS = {
    "surat_permohonan": surat_permohonan,
    "berita_acara_kesepakatan": berita_acara_kesepakatan,
    "surat_penutupan": _surat_dinas,
    "surat_undangan": surat_undangan,
    "surat_tugas": surat_tugas,
    "sk_tim": sk_tim,
    "surat_pembatalan": _surat_dinas,
    "surat_kesediaan": surat_kesediaan,
}
