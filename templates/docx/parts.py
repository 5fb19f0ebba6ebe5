"""Shared pieces of the DOCX templates, written with python-docx.

Each Jinja tag is written as one run, so Word never splits it (docxtpl#10, #440); the
templates are generated, committed, and may then be edited by hand in Word.
"""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Liberation Serif"


def new_document(landscape: bool = False):
    """A4 with Tata Naskah Dinas margins and a 12 pt serif font."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3 if not landscape else 2.5), Cm(2)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    page_numbers(section)
    return document


def page_numbers(section):
    """ "- 2 -" centred at the top from page 2 on, as in the PDF: page 1 carries the kop."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def para(container, text="", bold=False, align=None, size=None, indent=False, underline=False):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.underline = underline
        if size:
            run.font.size = Pt(size)
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    return paragraph


def tag(container, text):
    """A paragraph holding only a {%p … %} tag; docxtpl removes it when rendering."""
    return container.add_paragraph(text)


def bottom_border(paragraph, double=True):
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "double" if double else "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)


def kop(document):
    """The kop: with a logo, a two-column table (logo left, text centred beside it);
    without one, centred text. Both end with a double rule."""
    tag(document, "{%p if kop.logo_gambar %}")
    table = document.add_table(rows=1, cols=2)
    table_borders(table, bottom="double")
    logo, teks = table.rows[0].cells
    logo.vertical_alignment = teks.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    sel(logo, "{{ kop.logo_gambar }}", align="center")
    teks.paragraphs[0]._p.getparent().remove(teks.paragraphs[0]._p)
    _kop_teks(teks)
    lebar_kolom(table, [2.4, 13.6])
    tanpa_tepi_sel(table)  # the text gets the full 13.6 cm, as in the PDF
    tag(document, "{%p else %}")
    bottom_border(_kop_teks(document))
    tag(document, "{%p endif %}")
    para(document)


def _kop_teks(container):
    para(container, "{{ kop.pemerintah }}", bold=True, align="center", size=14)
    para(container, "{{ kop.nama }}", bold=True, align="center", size=16)
    para(container, "{{ kop.alamat }}", align="center", size=10)
    return para(container, "{{ kop.kontak }}", align="center", size=10)


def tanpa_tepi_sel(table):
    """No left and right cell margins (w:tblCellMar) in any cell of `table`."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")


def table_borders(table, bottom="nil"):
    """No borders but, optionally, a bottom rule ("double" under a kop)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), bottom if edge == "bottom" else "nil")
        if edge == "bottom" and bottom != "nil":
            element.set(qn("w:sz"), "6")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    # Schema order: tblBorders comes before shd, tblLayout, tblCellMar and tblLook.
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def grid(table):
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def tidak_terpisah(row):
    """A table row that is never split across two pages (w:cantSplit): a signature block."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def repeat_header(row):
    """Mark a table row as a header repeated on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def kepala_surat(document, var="surat"):
    """Nomor/Sifat/Lampiran/Hal at left, tempat-tanggal at right, then Yth."""
    table = document.add_table(rows=4, cols=4)
    no_borders(table)
    labels = ["Nomor", "Sifat", "Lampiran", "Hal"]
    keys = ["nomor", "sifat", "lampiran", "hal"]
    for row, label, key in zip(table.rows, labels, keys, strict=True):
        row.cells[0].text = label
        row.cells[1].text = ":"
        row.cells[2].text = "{{ %s.%s }}" % (var, key)
    table.rows[0].cells[3].text = "{{ %s.tempat_tanggal }}" % var
    table.rows[0].cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lebar_kolom(table, [2.2, 0.4, 7.6, 5.8])
    para(document)
    para(document, "Yth. {{ %s.yth }}" % var)
    para(document, "di {{ %s.di }}" % var)
    para(document)


def paragraphs(document, var):
    """Indented justified paragraphs from a list of strings."""
    tag(document, "{%%p for p in %s %%}" % var)
    para(document, "{{ p }}", indent=True, align="justify")
    tag(document, "{%p endfor %}")


def rinci(document, var, widths_cm=(4.4, 0.5, 11.1)):
    """Label : value rows from a list of {label, nilai}."""
    table = document.add_table(rows=3, cols=3)
    no_borders(table)
    table.rows[0].cells[0].text = "{%%tr for row in %s %%}" % var
    table.rows[1].cells[0].text = "{{ row.label }}"
    table.rows[1].cells[1].text = ":"
    table.rows[1].cells[2].text = "{{ row.nilai }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    lebar_kolom(table, widths_cm)
    para(document)


def ttd(container, var="ttd", align="right"):
    """Signature block: optional place-date and a.n. line, jabatan, space, name, NIP."""
    target = container
    if align == "right":
        table = container.add_table(rows=1, cols=2)
        no_borders(table)
        tidak_terpisah(table.rows[0])
        target = table.rows[0].cells[1]
        target.paragraphs[0].text = ""
    lines = [
        "{%%p if %s.tempat_tanggal %%}" % var,
        ("{{ %s.tempat_tanggal }}" % var, False, False),
        "{%p endif %}",
        "{%%p if %s.keterangan %%}" % var,
        ("{{ %s.keterangan }}" % var, False, False),
        "{%p endif %}",
        "{%%p if %s.atas_nama %%}" % var,
        ("{{ %s.atas_nama }}" % var, False, False),
        "{%p endif %}",
        ("{{ %s.jabatan }}" % var, False, False),
        ("", False, False),
        ("", False, False),
        ("", False, False),
        ("{{ %s.nama }}" % var, True, True),
        "{%%p if %s.pangkat %%}" % var,
        ("{{ %s.pangkat }}" % var, False, False),
        "{%p endif %}",
        "{%%p if %s.nip %%}" % var,
        ("{{ %s.nip }}" % var, False, False),
        "{%p endif %}",
    ]
    for line in lines:
        if isinstance(line, str):
            tag(target, line)
        else:
            text, bold, underline = line
            para(target, text, bold=bold, underline=underline, align="center")
    first = target.paragraphs[0]
    if not first.text:
        first._p.getparent().remove(first._p)
    return target


def tembusan(document, var="tembusan"):
    tag(document, "{%%p if %s %%}" % var)
    para(document)
    para(document, "Tembusan:", size=11)
    tag(document, "{%%p for t in %s %%}" % var)
    para(document, "{{ loop.index }}. {{ t }}", size=11)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")


# --- reports: table cells, data tables, numbered sections, signature pairs, landscape ----


def sel(cell, text="", bold=False, align=None, size=None):
    """Write one run into a table cell's (empty) first paragraph."""
    paragraph = cell.paragraphs[0]
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def lebar_kolom(table, widths_cm):
    """Fixed column widths, set on the grid (LibreOffice) and on each cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def tabel_data(container, kolom, var, loop="row", size=10):
    """A bordered table: header row repeated on every page, one row per item of `var`.

    kolom: (header, field of the item or "" for a blank cell, width in cm, align).
    Returns the table, so a caller may add a Jumlah row below.
    """
    table = container.add_table(rows=4, cols=len(kolom))
    grid(table)
    repeat_header(table.rows[0])
    for cell, (judul, _, _, _) in zip(table.rows[0].cells, kolom, strict=True):
        sel(cell, judul, bold=True, align="center", size=size)
    table.rows[1].cells[0].text = "{%tr for " + loop + " in " + var + " %}"
    for cell, (_, field, _, align) in zip(table.rows[2].cells, kolom, strict=True):
        text = "{{ " + loop + "." + field + " }}" if field else ""
        sel(cell, text, align=align, size=size)
    table.rows[3].cells[0].text = "{%tr endfor %}"
    lebar_kolom(table, [k[2] for k in kolom])
    return table


def daftar_butir(container, var, loop="b", indent_cm=0.0, size=None):
    """Items {no, teks} with a hanging number: "1.<tab>text" wrapping under the text."""
    tag(container, "{%p for " + loop + " in " + var + " %}")
    text = "{{ " + loop + ".no }}\t{{ " + loop + ".teks }}"
    paragraph = para(container, text, align="justify", size=size)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(indent_cm + 0.8)
    fmt.first_line_indent = Cm(-0.8)
    fmt.tab_stops.add_tab_stop(Cm(indent_cm + 0.8))
    tag(container, "{%p endfor %}")


def seksi_bernomor(document, var, tabel=None, tingkat=1):
    """Sections {judul, paragraf, butir, sub, tabel} down to three levels.

    tabel: a function that lays out the table printed in a section whose "tabel" is set.
    """
    loop, item, indent = f"s{tingkat}", f"p{tingkat}", 0.6 * (tingkat - 1)
    tag(document, "{%p for " + loop + " in " + var + " %}")
    heading = para(document, "{{ " + loop + ".judul }}", bold=tingkat == 1)
    heading.paragraph_format.left_indent = Cm(indent)
    heading.paragraph_format.keep_with_next = True
    tag(document, "{%p for " + item + " in " + loop + ".paragraf %}")
    text = para(document, "{{ " + item + " }}", align="justify")
    text.paragraph_format.left_indent = Cm(indent + 0.6)
    tag(document, "{%p endfor %}")
    daftar_butir(document, f"{loop}.butir", f"b{tingkat}", indent + 0.6)
    if tabel is not None:
        tag(document, "{%p if " + loop + ".tabel %}")
        tabel(document)
        tag(document, "{%p endif %}")
    if tingkat < 3:
        seksi_bernomor(document, f"{loop}.sub", None, tingkat + 1)
    tag(document, "{%p endfor %}")


def ttd_berdampingan(container, kiri, kanan):
    """Two signature blocks side by side (notula, berita acara, lembar pengesahan)."""
    table = container.add_table(rows=1, cols=2)
    no_borders(table)
    for cell, var in zip(table.rows[0].cells, (kiri, kanan), strict=True):
        ttd(cell, var, align="center")
    lebar_kolom(table, [8, 8])
    return table


def halaman_lanskap(document, left_cm=2.5):
    """Start a new A4 landscape section (a wide matrix); it lasts to the document's end."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(left_cm), Cm(2)
    return section


# --- letters: label tables with lists, numbered Yth., lampiran pages, centred signature --


def geser_tabel(table, cm):
    """Indent a table from the left margin (w:tblInd)."""
    tbl_pr = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(int(cm * 567)))
    indent.set(qn("w:type"), "dxa")
    tbl_pr.append(indent)


def baris_judul(document, var, bold=True):
    """Centred title lines from a list of strings, printed as the builder wrote them."""
    tag(document, "{%%p for line in %s %%}" % var)
    paragraph = para(document, "{{ line }}", bold=bold, align="center")
    paragraph.paragraph_format.keep_with_next = True
    tag(document, "{%p endfor %}")


def rinci_daftar(container, var, label_cm=3.6, indent_cm=1.25, size=None):
    """Rows {label, nilai, daftar}: a sentence and/or a numbered list ({no, teks}) per row."""
    table = container.add_table(rows=3, cols=3)
    no_borders(table)
    table.rows[0].cells[0].text = "{%%tr for row in %s %%}" % var
    label, titik, nilai = table.rows[1].cells
    sel(label, "{{ row.label }}", size=size)
    sel(titik, ":", size=size)
    nilai.paragraphs[0].text = "{%p if row.nilai %}"
    para(nilai, "{{ row.nilai }}", align="justify", size=size)
    tag(nilai, "{%p endif %}")
    daftar_butir(nilai, "row.daftar", "d", size=size)
    table.rows[2].cells[0].text = "{%tr endfor %}"
    lebar_kolom(table, [label_cm, 0.5, 16 - indent_cm - label_cm - 0.5])
    if indent_cm:
        geser_tabel(table, indent_cm)
    return table


def kepala_surat_daftar(document, var="surat"):
    """kepala_surat, with Yth. followed by one addressee or a numbered list of them."""
    table = document.add_table(rows=4, cols=4)
    no_borders(table)
    labels = ["Nomor", "Sifat", "Lampiran", "Hal"]
    keys = ["nomor", "sifat", "lampiran", "hal"]
    for row, label, key in zip(table.rows, labels, keys, strict=True):
        row.cells[0].text = label
        row.cells[1].text = ":"
        row.cells[2].text = "{{ %s.%s }}" % (var, key)
    table.rows[0].cells[3].text = "{{ %s.tempat_tanggal }}" % var
    table.rows[0].cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lebar_kolom(table, [2.2, 0.4, 7.6, 5.8])
    para(document)
    tujuan = document.add_table(rows=1, cols=2)
    no_borders(tujuan)
    yth, alamat = tujuan.rows[0].cells
    sel(yth, "Yth.")
    alamat.paragraphs[0].text = "{%%p if %s.yth_daftar %%}" % var
    daftar_butir(alamat, "%s.yth_daftar" % var, "y")
    tag(alamat, "{%p else %}")
    para(alamat, "{{ %s.yth }}" % var)
    tag(alamat, "{%p endif %}")
    para(alamat, "di {{ %s.di }}" % var)
    lebar_kolom(tujuan, [1.1, 14.9])
    para(document)


def ganti_halaman(container):
    """A paragraph holding a page break: what `.lampiran { break-before: page }` does."""
    from docx.enum.text import WD_BREAK

    paragraph = container.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    return paragraph


def kepala_lampiran(document, var):
    """ "Lampiran Surat …" lines with Nomor/Tanggal rows, at the top right of a lampiran.

    One flat table (a blank first column pushes the block right): docxtpl's fix_tables
    counts the cells of nested rows too and would widen an outer table's grid.
    """
    table = document.add_table(rows=6, cols=4)
    no_borders(table)
    table.rows[0].cells[0].text = "{%%tr for line in %s.judul %%}" % var
    judul = table.rows[1].cells[1].merge(table.rows[1].cells[3])
    sel(judul, "{{ line }}", size=11)
    table.rows[2].cells[0].text = "{%tr endfor %}"
    table.rows[3].cells[0].text = "{%%tr for row in %s.rinci %%}" % var
    texts = ("{{ row.label }}", ":", "{{ row.nilai }}")
    for cell, text in zip(table.rows[4].cells[1:], texts, strict=True):
        sel(cell, text, size=11)
    table.rows[5].cells[0].text = "{%tr endfor %}"
    lebar_kolom(table, [6.5, 2.1, 0.4, 7.0])
    judul.width = Cm(9.5)  # a merged cell spans its three grid columns
    para(document)
    return table


def ttd_tengah(container, var):
    """One signature block centred on the page ("Mengetahui," under two parties)."""
    table = container.add_table(rows=1, cols=3)
    no_borders(table)
    ttd(table.rows[0].cells[1], var, align="center")
    lebar_kolom(table, [4, 8, 4])
    return table


def ttd_berjajar(container, kiri, kanan):
    """Two signature blocks as one table, a row per line, so the names line up."""
    optional_top = ("tempat_tanggal", "keterangan", "atas_nama")
    optional_bottom = ("pangkat", "nip")
    rows = 3 * len(optional_top) + 3 + 3 * len(optional_bottom)
    table = container.add_table(rows=rows, cols=2)
    no_borders(table)
    lines = iter(table.rows)

    def conditional(key):
        next(lines).cells[0].text = "{%%tr if %s.%s or %s.%s %%}" % (kiri, key, kanan, key)
        line(key)
        next(lines).cells[0].text = "{%tr endif %}"

    def line(key, bold=False, height=None):
        row = next(lines)
        for cell, var in zip(row.cells, (kiri, kanan), strict=True):
            text = "{{ %s.%s }}" % (var, key) if key else ""
            paragraph = sel(cell, text, bold=bold, align="center")
            paragraph.paragraph_format.keep_with_next = True
            if bold and paragraph.runs:
                paragraph.runs[0].underline = True
        if height:
            row.height = height

    for key in optional_top:
        conditional(key)
    line("jabatan")
    line("", height=Cm(2.1))
    line("nama", bold=True)
    for key in optional_bottom:
        conditional(key)
    lebar_kolom(table, [8, 8])
    return table


# --- verification: QR code and link, once at the end of every document -----------------


def verifikasi(document):
    """The QR code beside "Keaslian dokumen ini dapat diperiksa di" and the URL, small,
    after everything else: what the PDF prints in the bottom margin of its last page.

    `verifikasi.qr_png` becomes a picture when rendering (activities/rendering.py)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    para(document)
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    qr, teks = table.rows[0].cells
    qr.vertical_alignment = teks.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    sel(qr, "{{ verifikasi.qr_png }}")
    sel(teks, "{{ verifikasi.teks }}", size=9)
    para(teks, "{{ verifikasi.url }}", size=8)
    lebar_kolom(table, [1.9, 14.1])
    return table
