"""Layout choices made for speed (issue 7) keep the page as a reader expects it."""

from __future__ import annotations

import io

from pypdf import PdfReader

from activities.documents import render_input
from activities.rendering import without_block_indentation
from tests import factories

# WeasyPrint writes page content in CSS pixels (96 per inch).
PX_PER_CM = 96 / 2.54


def text_runs(pdf: bytes, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of every non-blank text run on ``page``, in content order."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, _cm: object, tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            runs.append((tm[4], tm[5], text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


def test_numbered_items_hang_their_number_and_align_every_line_of_text() -> None:
    """Each item's number stands at the left; its first and its wrapped lines start 0.8 cm
    further in, as they did when the items were a table."""
    runs = text_runs(render_input(factories.sample_input("surat_kesediaan")).pdf)
    numbers = [i for i, (_, _, text) in enumerate(runs) if text in {"1.", "2.", "3.", "4."}]
    assert len(numbers) == 4
    number_x = runs[numbers[0]][0]
    text_x = number_x + 0.8 * PX_PER_CM
    item_lines = runs[numbers[0] : numbers[-1] + 2]

    for x, _, text in item_lines:
        expected = number_x if text in {"1.", "2.", "3.", "4."} else text_x
        assert abs(x - expected) < 0.5, (text, x, expected)
    # Item 1 wraps: more than one line at the text's indent before item 2.
    assert numbers[1] - numbers[0] > 2


def test_block_indentation_goes_and_inline_spaces_stay() -> None:
    html = (
        "<body>\n  <div class='a'>\n    <p>Satu <b>dua</b> <i>tiga</i></p>\n  </div>\n"
        "  <table>\n    <tr>\n      <td> x </td>\n    </tr>\n  </table>\n</body>"
    )

    assert without_block_indentation(html) == (
        "<body><div class='a'><p>Satu <b>dua</b> <i>tiga</i></p></div>"
        "<table><tr><td>x</td></tr></table></body>"
    )


def test_text_and_spans_keep_their_spaces() -> None:
    html = "<p>Nomor <span class='kode'>12</span> / 2020 <a href='x'>tautan</a> selesai.</p>"

    assert without_block_indentation(html) == html


def _baseline_of(runs: list[tuple[float, float, str]], text: str) -> float:
    [y] = [y for _, y, run in runs if run == text]
    return y


def test_side_by_side_signers_share_a_line_and_each_block_reads_in_order() -> None:
    """Two signature blocks (notula: pencatat and pimpinan rapat, whose jabatan wraps):
    the names stand on one line, and each block's lines come before the other's."""
    inp = factories.sample_input("notula")
    runs = text_runs(render_input(inp).pdf)
    texts = [text for _, _, text in runs]
    kiri, kanan = "Fitriani Rauf, S.Sos.", "Rizky Amelia Ayunintias"

    assert abs(_baseline_of(runs, kiri) - _baseline_of(runs, kanan)) < 0.5
    # Left block: the role line, then its name and NIP; only then the right block's name.
    assert texts.index("Pencatat") < texts.index(kiri) < texts.index(kanan)
    assert texts.index("NIP 199005122015032001") < texts.index(kanan)
