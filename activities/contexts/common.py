"""Parts shared by every naskah dinas: kop, dates, signature blocks (domain.md §3)."""

from __future__ import annotations

import functools
import re
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from activities import naskah
from activities.contexts import Context, InvalidDocumentData
from workflows.models import Instansi, Pejabat, ProduceDocumentInput


def document_date(inp: ProduceDocumentInput) -> date:
    try:
        return naskah.parse_tanggal(inp.tanggal)
    except ValueError as exc:
        raise InvalidDocumentData(str(exc)) from exc


def parse_date(value: str, fallback: date) -> date:
    """An optional date field: empty means the document's own date."""
    if not value:
        return fallback
    try:
        return naskah.parse_tanggal(value)
    except ValueError as exc:
        raise InvalidDocumentData(str(exc)) from exc


def kop(instansi: Instansi) -> Context:
    kontak = [
        f"Telepon {instansi.telepon}" if instansi.telepon else "",
        f"Laman {instansi.laman}" if instansi.laman else "",
        f"Pos-el {instansi.email}" if instansi.email else "",
    ]
    return {
        "pemerintah": instansi.pemerintah.upper(),
        "nama": instansi.nama.upper(),
        "alamat": instansi.alamat,
        "kontak": ", ".join(part for part in kontak if part),
        "kota": instansi.kota,
        **logo_kop(instansi.logo),
    }


LOGO_DIR = Path(__file__).resolve().parents[2] / "templates" / "logos"


def logo_kop(logo: str) -> Context:
    """The kop logo: `logo` for the PDF (a URL from templates/html/) and `logo_gambar`, the
    PNG of the same name that the DOCX shows (rendering.render_docx makes it a picture).

    Both are "" when the instansi has no logo: the kop is then centred text only.
    """
    if not logo:
        return {"logo": "", "logo_gambar": ""}
    berkas = (LOGO_DIR / logo).resolve()
    png = berkas.with_suffix(".png")
    ada = berkas.is_file() and png.is_file()
    if berkas.parent != LOGO_DIR or berkas.suffix not in (".svg", ".png") or not ada:
        tersedia = ", ".join(sorted(p.name for p in LOGO_DIR.glob("*.svg"))) or "-"
        raise InvalidDocumentData(
            f"Logo '{logo}' tidak ada di templates/logos/ (perlu berkas .svg atau .png dengan "
            f"berkas .png bernama sama). Yang tersedia: {tersedia}."
        )
    return {"logo": f"../logos/{quote(berkas.name)}", "logo_gambar": f"logos/{png.name}"}


def tempat_tanggal(instansi: Instansi, tanggal: date) -> str:
    # Tempat and tanggal with no final period (Tata Naskah Dinas, domain.md §3.5).
    return f"{instansi.kota}, {naskah.tanggal(tanggal)}"


def ttd(pejabat: Pejabat, tempat_tanggal: str = "", keterangan: str = "") -> Context:
    """A signature block per Permendagri 1/2023 Pasal 44.

    The jabatan ends with a comma; a.n./u.b. go on their own line above it, Plt./Plh./Pj.
    go before the jabatan; pangkat and NIP are printed for officials who have them.
    """
    jabatan = pejabat.jabatan.upper()
    atas_nama = ""
    if pejabat.sebagai in ("Plt.", "Plh.", "Pj."):
        jabatan = f"{pejabat.sebagai} {jabatan}"
    elif pejabat.sebagai in ("a.n.", "u.b.") and pejabat.atas_nama:
        atas_nama = f"{pejabat.sebagai} {pejabat.atas_nama.upper()}"
    return {
        "tempat_tanggal": tempat_tanggal,
        "keterangan": keterangan,
        "atas_nama": atas_nama,
        "jabatan": f"{jabatan},",
        "nama": pejabat.nama,
        "pangkat": pejabat.pangkat,
        "nip": f"NIP {pejabat.nip}" if pejabat.nip else "",
    }


def surat_header(
    inp: ProduceDocumentInput,
    instansi: Instansi,
    *,
    hal: str,
    yth: str,
    di: str,
    lampiran: str = "-",
    sifat: str = "Biasa",
) -> Context:
    """Nomor, Sifat, Lampiran, Hal, tempat-tanggal and Yth. of a surat dinas."""
    return {
        "nomor": inp.nomor or "-",
        "sifat": sifat,
        "lampiran": lampiran,
        "hal": hal,
        "tempat_tanggal": tempat_tanggal(instansi, document_date(inp)),
        "yth": yth,
        "di": di,
    }


def base_context(inp: ProduceDocumentInput, instansi: Instansi, judul: str) -> Context:
    """Keys every template reads: kop, title, date, nomor, replication identity."""
    tanggal = document_date(inp)
    replication = inp.replication
    return {
        "kop": kop(instansi),
        "judul_dokumen": judul,
        "tanggal": naskah.tanggal(tanggal),
        "tanggal_iso": tanggal.isoformat(),
        "nomor": inp.nomor,
        "versi": inp.version,
        "replikasi": {
            "id": replication.replication_id,
            "nama_lokal": replication.nama_lokal,
            "inovasi": replication.inovasi.nama,
            "inovator": replication.inovator.nama,
            "replikator": replication.replikator.nama,
        },
        "verifikasi": verifikasi(inp),
    }


def rinci(*rows: tuple[str, Any]) -> list[Context]:
    """Label : value rows; empty optional values are left out rather than printed blank."""
    return [{"label": label, "nilai": value} for label, value in rows if value]


# Academic and honorific titles written before a name (Permendagri 1/2023 Pasal 44 drops
# them from the signature of a keputusan): "Prof. Dr. Ir. H. Andi" -> "Andi".
_GELAR_DEPAN = re.compile(
    r"^(?:(?:prof|dr|drs|dra|drg|drh|ir|h|hj|hc|kh|k\.h|apt|ns|ners)\.\s*)+", re.IGNORECASE
)
# One degree after a comma: "S.K.M.", "M.Kes.", "A.Md.Keb.", "Ph.D.", "MPH", "Sp.A(K)".
_GELAR_BELAKANG = re.compile(r"[A-Z][A-Za-z.()]{0,14}")


def nama_tanpa_gelar(nama: str) -> str:
    """A name without academic titles, as a keputusan prints its signer (Pasal 44).

    "dr. Andi Rahmawati Saleh, M.Kes." -> "Andi Rahmawati Saleh"; a part after a comma
    that does not look like a degree is kept, so an unusual name is never cut short.
    """
    bagian = [b.strip() for b in nama.split(",")]
    while len(bagian) > 1 and _GELAR_BELAKANG.fullmatch(bagian[-1]):
        bagian.pop()
    inti = ", ".join(bagian)
    tanpa_depan = _GELAR_DEPAN.sub("", inti).strip()
    return tanpa_depan or inti


def tanggal_opsional(value: str) -> str:
    """An optional ISO date as "8 Oktober 2020", or "" when it was not given."""
    return naskah.tanggal(parse_date(value, date.min)) if value else ""


def parse_jam(value: str) -> time:
    try:
        return naskah.parse_jam(value)
    except ValueError as exc:
        raise InvalidDocumentData(str(exc)) from exc


def rentang_hari_tanggal(mulai: date, selesai: date | None = None) -> str:
    """The Hari/tanggal of an event, a range when it lasts more than one day.

    For example "Selasa, 3 November 2020 s.d. Rabu, 4 November 2020".
    """
    if selesai is None or selesai == mulai:
        return naskah.hari_tanggal(mulai)
    if selesai < mulai:
        raise InvalidDocumentData(
            f"Tanggal selesai {naskah.tanggal(selesai)} lebih awal dari tanggal mulai "
            f"{naskah.tanggal(mulai)}."
        )
    return f"{naskah.hari_tanggal(mulai)} s.d. {naskah.hari_tanggal(selesai)}"


def waktu_acara(mulai: str, selesai: str, zona: str) -> str:
    """The Waktu of an event: "pukul 09.00 WITA s.d. selesai" or "pukul 08.30 s.d. 15.00 WITA"."""
    akhir = parse_jam(selesai) if selesai else None
    try:
        return naskah.rentang_waktu(parse_jam(mulai), akhir, zona)
    except ValueError as exc:
        raise InvalidDocumentData(str(exc)) from exc


def butir(items: list[str], antara: str = ";", akhir: str = ".") -> list[str]:
    """Items of a numbered list punctuated as naskah dinas do: ";" between, "." last."""
    bersih = [item.strip().rstrip(".;,").rstrip() for item in items if item.strip()]
    return [f"{item}{antara if i < len(bersih) - 1 else akhir}" for i, item in enumerate(bersih)]


def nomori(items: list[str], gaya: str = "1") -> list[Context]:
    """Number list items for both renditions: gaya "1" gives 1. 2. …, "a" gives a. b. …"""
    nomor = (f"{i + 1}." if gaya == "1" else f"{chr(ord('a') + i)}." for i in range(len(items)))
    return [{"no": no, "teks": teks} for no, teks in zip(nomor, items, strict=False)]


def rinci_daftar(*rows: tuple[str, str, list[Context]]) -> list[Context]:
    """Label : value rows whose value is a sentence, a numbered list (`nomori`), or both.

    Rows with neither are left out, like `rinci`.
    """
    return [
        {"label": label, "nilai": nilai, "daftar": daftar}
        for label, nilai, daftar in rows
        if nilai or daftar
    ]


def kepala_lampiran(judul: list[str], *rows: tuple[str, str]) -> Context:
    """The block at the top right of a lampiran page: "Lampiran Surat …", Nomor, Tanggal."""
    return {"judul": [line for line in judul if line], "rinci": rinci(*rows)}


_FONT_NASKAH = Path(__file__).resolve().parents[2] / "templates/fonts/LiberationSerif-Regular.ttf"
PT_PER_CM = 72 / 2.54


@functools.lru_cache(maxsize=1)
def _lebar_huruf() -> tuple[dict[int, int], int]:
    """Advance width of every character of the naskah font, in font units, and units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(_FONT_NASKAH, lazy=True)
    hmtx = font["hmtx"]
    lebar = {kode: hmtx[glyph][0] for kode, glyph in font.getBestCmap().items()}
    return lebar, font["head"].unitsPerEm


def lebar_teks(teks: str, pt: float) -> float:
    """Width in points of `teks` set in the naskah serif at `pt` points."""
    lebar, em = _lebar_huruf()
    cadangan = lebar.get(ord("m"), em)
    return sum(lebar.get(ord(huruf), cadangan) for huruf in teks) * pt / em


def baris_teks(teks: str, lebar_pt: float, pt: float) -> int:
    """Lines `teks` wraps to in a box `lebar_pt` wide, breaking between words as the PDF does.

    Lets a builder know how long a table will be before it is rendered, e.g. to state how
    many sheets a lampiran has.
    """
    spasi = lebar_teks(" ", pt)
    baris, terisi = 1, 0.0
    for kata in teks.split():
        lebar = lebar_teks(kata, pt)
        if terisi and terisi + spasi + lebar > lebar_pt:
            baris, terisi = baris + 1, 0.0
        terisi += (spasi if terisi else 0.0) + lebar
        while terisi > lebar_pt:  # a word wider than the box breaks anywhere
            baris, terisi = baris + 1, terisi - lebar_pt
    return baris


def verifikasi(inp: ProduceDocumentInput) -> Context:
    """The verification block: code, URL, QR (SVG for the PDF, PNG for the DOCX), line.

    The code depends only on the document's identity, so a retried render prints the
    same one; the URL uses the public address of the web app (REPLIKASI_PUBLIC_URL).
    """
    from activities import verification
    from app.settings import get_settings

    settings = get_settings()
    kode = verification.kode_dokumen(inp)
    context = verification.verification_context(kode, settings.public_url)
    context["tte"] = tte_note(inp, settings.tte_penerbit)
    return context


def tte_note(inp: ProduceDocumentInput, penerbit: str) -> str:
    """The line a signed PDF prints beside its QR code (KemenPANRB's "Ditandatangani secara
    elektronik oleh"), naming who really issued the certificate; "" when not signed."""
    from activities.signing.request import is_signed, signer_of

    if not is_signed(inp):
        return ""
    pejabat = signer_of(inp)
    oleh = ", ".join(v for v in (pejabat.nama, pejabat.jabatan) if v) if pejabat else ""
    return (
        f"Ditandatangani secara elektronik oleh {oleh or inp.penandatangan}, dengan "
        f"sertifikat elektronik yang diterbitkan oleh {penerbit}."
    )
