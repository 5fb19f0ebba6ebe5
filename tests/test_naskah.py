"""Tests for activities.naskah: Indonesian formatting of naskah dinas."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities import naskah

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
# Monday first, matching date.weekday().
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

POLA_TANGGAL = re.compile(r"^\d{1,2} (" + "|".join(BULAN) + r") \d{4}$")
ENGLISH = re.compile(
    r"January|February|March|May|June|July|August|October|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
)

tanggal_1900_2100 = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


# --- dates -------------------------------------------------------------------


def test_tanggal_contoh():
    """13 October 2020 is written with the month in full."""
    assert "13 Oktober 2020" == naskah.tanggal(date(2020, 10, 13))


def test_tanggal_tanpa_nol_di_depan():
    """The day has no leading zero."""
    assert "5 Januari 2021" == naskah.tanggal(date(2021, 1, 5))


@pytest.mark.parametrize(("bulan", "nama"), list(enumerate(BULAN, start=1)))
def test_tanggal_setiap_bulan(bulan, nama):
    """Every month of the year has its standard Indonesian name."""
    assert f"1 {nama} 2024" == naskah.tanggal(date(2024, bulan, 1))


def test_februari_dan_november_baku():
    """February and November use PUEBI spelling, not Pebruari/Nopember."""
    assert "29 Februari 2024" == naskah.tanggal(date(2024, 2, 29))
    assert "30 November 2023" == naskah.tanggal(date(2023, 11, 30))


def test_hari_contoh():
    """13 October 2020 was a Selasa."""
    assert "Selasa" == naskah.hari(date(2020, 10, 13))


def test_hari_setiap_hari():
    """Each weekday from Monday 12 October 2020 has its Indonesian name."""
    senin = date(2020, 10, 12)
    assert HARI == [naskah.hari(senin + timedelta(days=i)) for i in range(7)]


def test_jumat_tanpa_apostrof():
    """Friday is spelled "Jumat", never "Jum'at"."""
    assert "Jumat" == naskah.hari(date(2020, 10, 16))


def test_hari_tanggal():
    """The Hari/tanggal line joins weekday and date with a comma."""
    assert "Selasa, 13 Oktober 2020" == naskah.hari_tanggal(date(2020, 10, 13))


def test_bulan_tahun():
    """A reporting period is month name and year."""
    assert "Oktober 2020" == naskah.bulan_tahun(date(2020, 10, 13))


def test_tanggal_terbilang():
    """A berita acara date is spelled out in words."""
    expected = "Selasa, tanggal tiga belas bulan Oktober tahun dua ribu dua puluh"
    assert expected == naskah.tanggal_terbilang(date(2020, 10, 13))


def test_tanggal_terbilang_jumat_sebelas():
    """Day 11 is "sebelas" and 2021 is "dua ribu dua puluh satu"."""
    expected = "Jumat, tanggal sebelas bulan Juni tahun dua ribu dua puluh satu"
    assert expected == naskah.tanggal_terbilang(date(2021, 6, 11))


@given(tanggal_1900_2100)
def test_tanggal_selalu_berbentuk_baku(d):
    """Any date 1900–2100 reads "d Bulan yyyy" with a full Indonesian month."""
    teks = naskah.tanggal(d)
    assert POLA_TANGGAL.match(teks)
    assert ENGLISH.search(teks) is None
    assert f"{d.day} {BULAN[d.month - 1]} {d.year}" == teks


@given(tanggal_1900_2100)
def test_hari_tanggal_tanpa_bahasa_inggris(d):
    """Any weekday/date line has no English names and no numeric month."""
    teks = naskah.hari_tanggal(d)
    assert ENGLISH.search(teks) is None
    assert f"{HARI[d.weekday()]}, {naskah.tanggal(d)}" == teks
    assert re.search(r"\d+[-/.]\d+", teks) is None


@given(tanggal_1900_2100)
def test_parse_tanggal_kebalikan_isoformat(d):
    """parse_tanggal reads back any ISO date."""
    assert d == naskah.parse_tanggal(d.isoformat())


def test_parse_tanggal_spasi():
    """Surrounding whitespace is tolerated."""
    assert date(2020, 10, 13) == naskah.parse_tanggal(" 2020-10-13\n")


@pytest.mark.parametrize("teks", ["13/10/2020", "13-10-2020", "20201013", "2020-W42-2", ""])
def test_parse_tanggal_menolak_format_lain(teks):
    """Non-ISO dates are refused with an Indonesian hint."""
    with pytest.raises(ValueError, match="tulis sebagai TTTT-BB-HH"):
        naskah.parse_tanggal(teks)


def test_parse_tanggal_menolak_tanggal_mustahil():
    """A well-formed but impossible date is refused."""
    with pytest.raises(ValueError, match="tidak ada dalam kalender"):
        naskah.parse_tanggal("2021-02-29")


# --- times -------------------------------------------------------------------


def test_pukul():
    """Hours and minutes are separated by a period, then the zone."""
    assert "pukul 09.00 WITA" == naskah.pukul(time(9, 0), "WITA")


def test_pukul_nol_di_depan():
    """The hour is zero-padded: 7:05 is written 07.05."""
    assert "pukul 07.05 WIB" == naskah.pukul(time(7, 5), "WIB")


def test_pukul_zona_salah():
    """An unknown time zone is refused with an Indonesian message."""
    with pytest.raises(ValueError, match="Zona waktu 'UTC' tidak dikenali"):
        naskah.pukul(time(9, 0), "UTC")


def test_rentang_waktu():
    """A start and end time share one zone at the end."""
    assert "pukul 09.00 s.d. 12.00 WITA" == naskah.rentang_waktu(time(9), time(12), "WITA")


def test_rentang_waktu_sampai_selesai():
    """An open-ended event reads "s.d. selesai" after the zone."""
    assert "pukul 09.00 WITA s.d. selesai" == naskah.rentang_waktu(time(9), None, "WITA")


def test_rentang_waktu_terbalik():
    """An end time before the start time is refused."""
    with pytest.raises(ValueError, match="lebih awal"):
        naskah.rentang_waktu(time(12), time(9), "WIT")


def test_rentang_waktu_zona_salah():
    """An unknown zone is refused in ranges too."""
    with pytest.raises(ValueError, match="Zona waktu"):
        naskah.rentang_waktu(time(9), time(12), "WITA ")


@pytest.mark.parametrize(("jam", "zona"), [(7, "WIB"), (8, "WITA"), (9, "WIT")])
def test_zona_dari_utc_offset(jam, zona):
    """UTC+7, +8, +9 are WIB, WITA, WIT."""
    assert zona == naskah.zona_dari_utc_offset(jam)


def test_zona_dari_utc_offset_di_luar_indonesia():
    """Any other offset is refused."""
    with pytest.raises(ValueError, match=r"UTC\+10 bukan zona waktu Indonesia"):
        naskah.zona_dari_utc_offset(10)


@pytest.mark.parametrize("teks", ["09.00", "09:00", "9.00", " 09.00 "])
def test_parse_jam(teks):
    """Period and colon separators are both accepted."""
    assert time(9, 0) == naskah.parse_jam(teks)


@pytest.mark.parametrize("teks", ["9", "0900", "24.00", "09.60", "09.5", "jam 9", ""])
def test_parse_jam_menolak(teks):
    """Anything else is refused with an Indonesian hint."""
    with pytest.raises(ValueError, match=r"tulis sebagai JJ\.MM"):
        naskah.parse_jam(teks)


@given(st.times())
def test_parse_jam_kebalikan_pukul(t):
    """The time written by pukul() parses back to the same hour and minute."""
    ditulis = naskah.pukul(t, "WIB").removeprefix("pukul ").removesuffix(" WIB")
    assert t.replace(second=0, microsecond=0) == naskah.parse_jam(ditulis)


# --- money and numbers -------------------------------------------------------


def test_rupiah_contoh():
    """Thousands use dots, sen use a comma, no space after Rp."""
    assert "Rp27.198.000,00" == naskah.rupiah(27_198_000)


def test_rupiah_decimal():
    """Decimal sen are shown, rounded half up."""
    assert "Rp1.500,50" == naskah.rupiah(Decimal("1500.5"))
    assert "Rp0,51" == naskah.rupiah(Decimal("0.505"))


def test_rupiah_negatif():
    """A negative amount puts the minus before Rp."""
    assert "-Rp27.198.000,00" == naskah.rupiah(-27_198_000)


def test_rupiah_nol():
    """Zero, and a negative that rounds to zero, are "Rp0,00"."""
    assert "Rp0,00" == naskah.rupiah(0)
    assert "Rp0,00" == naskah.rupiah(Decimal("-0.001"))


def test_rupiah_menolak_float():
    """Floats are refused because they cannot hold sen exactly."""
    with pytest.raises(TypeError):
        naskah.rupiah(0.1)  # type: ignore[arg-type]


def test_rupiah_menolak_nan():
    """NaN is not an amount."""
    with pytest.raises(ValueError):
        naskah.rupiah(Decimal("NaN"))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_kembali_ke_bilangan(n):
    """Stripping Rp, dots and ",00" gives back the integer."""
    teks = naskah.rupiah(n)
    assert re.fullmatch(r"-?Rp\d{1,3}(\.\d{3})*,00", teks)
    assert n == int(teks.replace("Rp", "").replace(".", "").removesuffix(",00"))


@pytest.mark.parametrize(
    ("n", "kata"),
    [
        (0, "nol"),
        (1, "satu"),
        (11, "sebelas"),
        (100, "seratus"),
        (1000, "seribu"),
        (1_000_000, "satu juta"),
        (27_198_000, "dua puluh tujuh juta seratus sembilan puluh delapan ribu"),
    ],
)
def test_terbilang(n, kata):
    """Known numbers are spelled the standard way ("seratus", "seribu", "sebelas")."""
    assert kata == naskah.terbilang(n)


def test_terbilang_terlalu_besar():
    """Numbers beyond num2words' range are refused with an Indonesian message."""
    with pytest.raises(ValueError, match="terlalu besar"):
        naskah.terbilang(10**36)


@given(st.integers(min_value=0, max_value=10**18))
def test_terbilang_huruf_kecil(n):
    """Terbilang is lowercase words separated by single spaces."""
    assert re.fullmatch(r"[a-z]+( [a-z]+)*", naskah.terbilang(n))


def test_terbilang_rupiah():
    """The amount in words ends with "rupiah"."""
    expected = "dua puluh tujuh juta seratus sembilan puluh delapan ribu rupiah"
    assert expected == naskah.terbilang_rupiah(27_198_000)


@pytest.mark.parametrize(
    ("n", "satuan", "teks"),
    [(1, "berkas", "1 (satu) berkas"), (3, "lembar", "3 (tiga) lembar")],
)
def test_jumlah_terbilang(n, satuan, teks):
    """The Lampiran line gives the count in figures, then words in parentheses."""
    assert teks == naskah.jumlah_terbilang(n, satuan)


def test_jumlah_terbilang_negatif():
    """A negative count is refused."""
    with pytest.raises(ValueError):
        naskah.jumlah_terbilang(-1, "berkas")


@pytest.mark.parametrize(
    ("cldr", "baku"),
    [
        ("1 Pebruari 2024", "1 Februari 2024"),
        ("Jum'at", "Jumat"),
        ("3 Nopember 2023", "3 November 2023"),
    ],
)
def test_koreksi_ejaan_cldr(cldr, baku):
    """Non-standard spellings an older CLDR might emit are corrected."""
    assert baku == naskah._baku(cldr)
