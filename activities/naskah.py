"""Indonesian formatting for naskah dinas: dates, times, rupiah and terbilang.

Every document template formats through this module so that one letter never
mixes two spellings. The conventions follow the Pedoman Umum Ejaan Bahasa
Indonesia (PUEBI/EYD) and the tata naskah dinas rules (PermenPANRB 80/2012,
Permendagri 1/2023): the month is written in full ("13 Oktober 2020", never
"13-10-2020"), the hour is separated from the minutes by a period ("09.00"),
and amounts are written "Rp27.198.000,00", often followed by their terbilang.

Month and day names come from the CLDR data shipped with Babel and numbers in
words from num2words, so there are no hand-written name tables here; only the
few historical misspellings those sources have been known to emit are
corrected (see ``_EJAAN_BAKU``).
"""

from __future__ import annotations

import functools
import re
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency
from num2words import num2words

# Non-standard spellings that date libraries and hand-made tables are known to
# emit for Indonesian. PUEBI and KBBI accept only the spellings on the right,
# and a naskah dinas with "Pebruari" or "Jum'at" gets sent back for correction.
# Babel 2.19 (CLDR 49) already gives the standard forms; the mapping keeps any
# other CLDR release allowed by `babel>=2.16` from slipping one into a letter.
_EJAAN_BAKU: dict[str, str] = {
    "Pebruari": "Februari",
    "Nopember": "November",
    "Jum'at": "Jumat",
    "Jum’at": "Jumat",
}

# Keppres 41/1987 divides Indonesia into exactly three time zones; a letter
# must name one of them after the hour.
_ZONA_WAKTU: dict[int, str] = {7: "WIB", 8: "WITA", 9: "WIT"}

# Input dates must be ISO: "05/06/2020" could be read day-first or month-first.
_POLA_TANGGAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_POLA_JAM = re.compile(r"([0-9]{1,2})[.:]([0-9]{2})")

# The largest number num2words can spell (just below 10**36, "desiliun").
_TERBILANG_MAKS = 10**36 - 1


@functools.lru_cache(maxsize=1)
def _lokal() -> Locale:
    """Return the Babel Indonesian locale, loaded once per process."""
    return Locale.parse("id")


def _baku(teks: str) -> str:
    """Replace known non-standard words from CLDR with the PUEBI spelling."""
    return " ".join(_EJAAN_BAKU.get(kata, kata) for kata in teks.split(" "))


def _format(d: date, pola: str) -> str:
    """Format a date with a CLDR pattern in Indonesian, in standard spelling."""
    return _baku(format_date(d, pola, locale=_lokal()))


def tanggal(d: date) -> str:
    """Format a date as naskah dinas write it, month in full.

    Args:
        d: The date.

    Returns:
        For example "13 Oktober 2020": no leading zero, no trailing period.
    """
    return _format(d, "d MMMM y")


def hari(d: date) -> str:
    """Name the weekday of a date.

    Args:
        d: The date.

    Returns:
        One of Senin, Selasa, Rabu, Kamis, Jumat, Sabtu, Minggu.
    """
    return _format(d, "EEEE")


def hari_tanggal(d: date) -> str:
    """Format the "Hari/tanggal" line of an undangan or notula.

    Args:
        d: The date.

    Returns:
        For example "Selasa, 13 Oktober 2020".
    """
    return f"{hari(d)}, {tanggal(d)}"


def bulan_tahun(d: date) -> str:
    """Format a reporting period as month and year.

    Args:
        d: Any date in the month.

    Returns:
        For example "Oktober 2020".
    """
    return _format(d, "MMMM y")


def tanggal_terbilang(d: date) -> str:
    """Spell out a date for the opening of a berita acara.

    A berita acara states its date in words so it cannot be altered
    ("Pada hari ini Selasa, tanggal tiga belas bulan Oktober ...").

    Args:
        d: The date of the event.

    Returns:
        For example "Selasa, tanggal tiga belas bulan Oktober tahun dua ribu
        dua puluh"; the caller prepends "Pada hari ini ".
    """
    bulan = _format(d, "MMMM")
    return f"{hari(d)}, tanggal {terbilang(d.day)} bulan {bulan} tahun {terbilang(d.year)}"


def _periksa_zona(zona: str) -> str:
    """Return ``zona`` if it is an Indonesian time zone, else raise ValueError."""
    if zona not in _ZONA_WAKTU.values():
        raise ValueError(f"Zona waktu '{zona}' tidak dikenali; gunakan WIB, WITA, atau WIT.")
    return zona


def _jam(t: time) -> str:
    """Write an hour with the period separator PUEBI prescribes, e.g. "09.00"."""
    return f"{t.hour:02d}.{t.minute:02d}"


def pukul(t: time, zona: str) -> str:
    """Format a clock time with its time zone.

    Args:
        t: The time; seconds and tzinfo are ignored, letters give minutes only.
        zona: "WIB", "WITA" or "WIT".

    Returns:
        For example "pukul 09.00 WITA".

    Raises:
        ValueError: If ``zona`` is not an Indonesian time zone.
    """
    return f"pukul {_jam(t)} {_periksa_zona(zona)}"


def rentang_waktu(mulai: time, selesai: time | None, zona: str) -> str:
    """Format the "Waktu" line of an undangan.

    Args:
        mulai: Start time.
        selesai: End time, or None when the event runs "s.d. selesai".
        zona: "WIB", "WITA" or "WIT".

    Returns:
        "pukul 09.00 s.d. 12.00 WITA", or "pukul 09.00 WITA s.d. selesai".

    Raises:
        ValueError: If ``zona`` is unknown or ``selesai`` is before ``mulai``.
    """
    if selesai is None:
        return f"{pukul(mulai, zona)} s.d. selesai"
    if selesai < mulai:
        raise ValueError(
            f"Waktu selesai {_jam(selesai)} lebih awal dari waktu mulai {_jam(mulai)}."
        )
    return f"pukul {_jam(mulai)} s.d. {_jam(selesai)} {_periksa_zona(zona)}"


def zona_dari_utc_offset(jam: int) -> str:
    """Name the Indonesian time zone for a UTC offset.

    Args:
        jam: Offset from UTC in whole hours.

    Returns:
        "WIB" for 7, "WITA" for 8, "WIT" for 9.

    Raises:
        ValueError: For any other offset.
    """
    try:
        return _ZONA_WAKTU[jam]
    except KeyError:
        raise ValueError(
            f"UTC{jam:+d} bukan zona waktu Indonesia; yang berlaku hanya "
            "UTC+7 (WIB), UTC+8 (WITA), dan UTC+9 (WIT)."
        ) from None


def rupiah(n: int | Decimal) -> str:
    """Format an amount of money as written in naskah dinas.

    Sen are rounded half up, the rounding a reader checks by hand, not
    half to even as Babel does by default (which prints 0.505 as "0,50").

    Args:
        n: The amount in rupiah; floats are refused because they cannot hold
            sen exactly.

    Returns:
        For example "Rp27.198.000,00", or "-Rp500,00" for a negative amount.

    Raises:
        TypeError: If ``n`` is neither int nor Decimal.
        ValueError: If ``n`` is NaN or infinite.
    """
    if isinstance(n, bool) or not isinstance(n, int | Decimal):
        raise TypeError(f"Jumlah rupiah harus int atau Decimal, bukan {type(n).__name__}.")
    jumlah = Decimal(n)
    if not jumlah.is_finite():
        raise ValueError(f"Jumlah rupiah '{n}' bukan bilangan.")
    # `+ 0` turns -0.00 into 0.00 so tiny negatives do not print "-Rp0,00".
    jumlah = jumlah.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + 0
    # Babel's CLDR data prints IDR without sen; naskah dinas always show ",00".
    return format_currency(
        jumlah, "IDR", format="¤#,##0.00", locale=_lokal(), currency_digits=False
    )


def terbilang(n: int) -> str:
    """Spell out a whole number in Indonesian words.

    Args:
        n: The number; negatives are spelled with "min".

    Returns:
        Lowercase words, e.g. "dua puluh tujuh juta seratus sembilan puluh
        delapan ribu".

    Raises:
        ValueError: If ``n`` is too large to spell.
    """
    if abs(n) > _TERBILANG_MAKS:
        raise ValueError(f"Bilangan {n} terlalu besar untuk ditulis dengan huruf.")
    return str(num2words(n, lang="id"))


def terbilang_rupiah(n: int) -> str:
    """Spell out an amount of money, as in "(... rupiah)" after the figures.

    Args:
        n: Whole rupiah.

    Returns:
        For example "dua puluh tujuh juta seratus sembilan puluh delapan ribu rupiah".
    """
    return f"{terbilang(n)} rupiah"


def jumlah_terbilang(n: int, satuan: str) -> str:
    """Write a count in figures and words, as on the Lampiran line.

    Args:
        n: How many, zero or more.
        satuan: The unit, e.g. "berkas" or "lembar".

    Returns:
        For example "1 (satu) berkas".

    Raises:
        ValueError: If ``n`` is negative.
    """
    if n < 0:
        raise ValueError(f"Jumlah {satuan} tidak boleh negatif ({n}).")
    return f"{n} ({terbilang(n)}) {satuan}"


def parse_tanggal(s: str) -> date:
    """Read a date typed by a user or stored in a data file.

    Args:
        s: ISO date "TTTT-BB-HH", e.g. "2020-10-13"; surrounding spaces allowed.

    Returns:
        The date.

    Raises:
        ValueError: With an Indonesian message, if ``s`` is not such a date.
    """
    teks = s.strip()
    if not _POLA_TANGGAL.fullmatch(teks):
        raise ValueError(
            f"Tanggal '{s}' tidak dikenali; tulis sebagai TTTT-BB-HH, misalnya 2020-10-13."
        )
    try:
        return date.fromisoformat(teks)
    except ValueError:
        raise ValueError(f"Tanggal '{s}' tidak ada dalam kalender.") from None


def parse_jam(s: str) -> time:
    """Read a clock time typed as "09.00" (PUEBI) or "09:00".

    Args:
        s: Hour and minutes separated by a period or colon; "9.00" is allowed.

    Returns:
        The time.

    Raises:
        ValueError: With an Indonesian message, if ``s`` is not a valid time.
    """
    cocok = _POLA_JAM.fullmatch(s.strip())
    if cocok:
        jam, menit = int(cocok[1]), int(cocok[2])
        if jam <= 23 and menit <= 59:
            return time(jam, menit)
    raise ValueError(f"Jam '{s}' tidak dikenali; tulis sebagai JJ.MM, misalnya 09.00.")
