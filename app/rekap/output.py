"""The recap as files: a PDF in the naskah style (WeasyPrint) and an XLSX (openpyxl), both
with a bar chart of replications per stage (matplotlib, Agg: no display on a server)."""

from __future__ import annotations

import base64
import io

from app.rekap.data import Rekap, RekapBaris

COLUMNS = (
    "Kode wilayah",
    "Wilayah",
    "Tahap",
    "Jumlah replikasi",
    "Terlambat",
    "Keputusan terlambat",
    "Dokumen",
)


def figures(row: RekapBaris) -> list[int]:
    return [row.jumlah, row.terlambat, row.keputusan_terlambat, row.dokumen]


def chart_png(rekap: Rekap) -> bytes:
    """Bar chart of replications per stage, labels in Indonesian."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    counts = rekap.per_tahap()
    figure, axes = pyplot.subplots(figsize=(7.5, 3.2), dpi=150)
    try:
        bars = axes.bar(list(counts), list(counts.values()), color="#1d4e89")
        axes.bar_label(bars, fontsize=8)
        axes.margins(y=0.15)  # room for the label over the tallest bar
        axes.set_title("Jumlah replikasi per tahap", fontsize=10)
        axes.set_ylabel("replikasi", fontsize=8)
        axes.tick_params(axis="x", labelsize=7, labelrotation=15)
        axes.tick_params(axis="y", labelsize=7)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor="white")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()


def rekap_pdf(rekap: Rekap, chart: bytes) -> bytes:
    """The recap as a PDF/A-3b page with the project's naskah CSS and bundled fonts."""
    from activities import naskah
    from activities.pdf import write_pdf
    from activities.rendering import HTML_DIR, html_environment

    html = (
        html_environment()
        .get_template("rekap.html")
        .render(
            tanggal=naskah.tanggal(rekap.tanggal),
            tanggal_iso=rekap.tanggal.isoformat(),
            kolom=COLUMNS,
            baris=rekap.baris,
            total=rekap.total(),
            grafik="data:image/png;base64," + base64.b64encode(chart).decode(),
        )
    )
    data, _pages = write_pdf(html, base_url=HTML_DIR)
    return data


def rekap_xlsx(rekap: Rekap, chart: bytes) -> bytes:
    """The recap as a workbook: sheet "Rekap" (the table) with the chart beside it."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    from activities import naskah

    book = Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet.append(["Rekapitulasi Replikasi Inovasi Pelayanan Publik"])
    sheet.append([f"Keadaan per {naskah.tanggal(rekap.tanggal)}"])
    sheet.append([])
    sheet.append(list(COLUMNS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rekap.baris:
        sheet.append([row.wilayah or "-", row.nama_wilayah or "-", row.label_tahap, *figures(row)])
    sheet.append(["Jumlah", "", "", *figures(rekap.total())])
    for letter, width in zip("ABCDEFG", (13, 28, 22, 16, 11, 19, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    image = Image(io.BytesIO(chart))
    image.width, image.height = 600, 256
    sheet.add_image(image, "I4")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
