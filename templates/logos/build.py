"""Draw the kop logos: `python templates/logos/build.py` writes <name>.svg and <name>.png.

These are placeholder emblems of our own (a shield, a simple figure, initials and a wave),
NOT the coats of arms of the regions: an instansi that uses replikasi replaces them with
its official lambang, as files under templates/logos/ named by `logo:` in its YAML.

Each logo is a list of shapes in a 100 x 100 box. The SVG (for the PDF) and the PNG (for
the DOCX, which Word cannot be trusted to show as SVG) are drawn from the same shapes, so
the two renditions of a document carry the same picture. The initials are outlines of the
bundled Liberation Serif Bold, so neither rendition depends on installed fonts.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "LiberationSerif-Bold.ttf"
PNG_SIZE = 300
SUPERSAMPLE = 4  # drawn 4x larger, then scaled down: smooth edges without antialiasing

Point = tuple[float, float]

GOLD = "#d9a21b"
WHITE = "#ffffff"
SEA = "#8fd0f0"


@dataclass
class Shape:
    """A polygon (closed), a polyline (open) or a set of even-odd contours (glyphs)."""

    contours: list[list[Point]]
    fill: str = "none"
    stroke: str = "none"
    width: float = 0.0
    closed: bool = True


@dataclass
class Logo:
    name: str
    shapes: list[Shape] = field(default_factory=list)


# --- geometry --------------------------------------------------------------------------


def cubic(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 8) -> list[Point]:
    """Points along a cubic Bezier, without p0."""
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        points.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return points


def shield() -> list[Point]:
    """A heater shield with a peaked top edge."""
    points: list[Point] = [(12, 11), (50, 5), (88, 11), (88, 48)]
    points += cubic((88, 48), (88, 72), (70, 86), (50, 96))
    points += cubic((50, 96), (30, 86), (12, 72), (12, 48))
    return points


def star(cx: float, cy: float, outer: float, inner: float, tips: int) -> list[Point]:
    points = []
    for i in range(2 * tips):
        r = outer if i % 2 == 0 else inner
        a = math.pi * i / tips - math.pi / 2
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def circle(cx: float, cy: float, r: float, steps: int = 24) -> list[Point]:
    return [
        (cx + r * math.cos(2 * math.pi * i / steps), cy + r * math.sin(2 * math.pi * i / steps))
        for i in range(steps)
    ]


def wave(x0: float, x1: float, y: float, amp: float, periods: float) -> list[Point]:
    steps = int(periods * 8)
    return [
        (
            x0 + (x1 - x0) * i / steps,
            y - amp * math.sin(2 * math.pi * periods * i / steps),
        )
        for i in range(steps + 1)
    ]


def leaf(base: Point, tip: Point, half_width: float) -> list[Point]:
    """A pointed leaf from `base` to `tip`, bulging `half_width` on each side."""
    (bx, by), (tx, ty) = base, tip
    length = math.hypot(tx - bx, ty - by)
    nx, ny = -(ty - by) / length * half_width, (tx - bx) / length * half_width

    def along(f: float, side: float) -> Point:
        return (bx + (tx - bx) * f + nx * side, by + (ty - by) * f + ny * side)

    points = [base, *cubic(base, along(0.3, 1.3), along(0.7, 1.3), tip)]
    return points + cubic(tip, along(0.7, -1.3), along(0.3, -1.3), base)[:-1]


class _FlatPen(BasePen):
    """Glyph outlines as polygons (TrueType quadratic curves flattened)."""

    def __init__(self, glyph_set: object) -> None:
        super().__init__(glyph_set)
        self.contours: list[list[Point]] = []

    def _moveTo(self, pt: Point) -> None:
        self.contours.append([pt])

    def _lineTo(self, pt: Point) -> None:
        self.contours[-1].append(pt)

    def _curveToOne(self, p1: Point, p2: Point, p3: Point) -> None:
        self.contours[-1] += cubic(self._getCurrentPoint(), p1, p2, p3, 4)

    def _qCurveToOne(self, p1: Point, p2: Point) -> None:
        p0 = self._getCurrentPoint()
        for i in range(1, 4):
            t = i / 3
            self.contours[-1].append(
                (
                    (1 - t) ** 2 * p0[0] + 2 * t * (1 - t) * p1[0] + t * t * p2[0],
                    (1 - t) ** 2 * p0[1] + 2 * t * (1 - t) * p1[1] + t * t * p2[1],
                )
            )


def initials(text: str, cx: float, baseline: float, cap: float, fill: str) -> Shape:
    """`text` in Liberation Serif Bold, centred on `cx`, capital height `cap`."""
    font = TTFont(FONT)
    glyph_set, cmap, hmtx = font.getGlyphSet(), font.getBestCmap(), font["hmtx"]
    scale = cap / font["OS/2"].sCapHeight
    names = [cmap[ord(ch)] for ch in text]
    x = cx - sum(hmtx[n][0] for n in names) * scale / 2
    contours: list[list[Point]] = []
    for name in names:
        pen = _FlatPen(glyph_set)
        glyph_set[name].draw(pen)
        contours += [
            [(x + px * scale, baseline - py * scale) for px, py in c] for c in pen.contours
        ]
        x += hmtx[name][0] * scale
    return Shape(contours, fill=fill)


# --- the logos -------------------------------------------------------------------------


def _base(colour: str) -> list[Shape]:
    return [Shape([shield()], fill=colour, stroke=GOLD, width=3.5)]


def _waves(*rows: tuple[float, float, float]) -> list[Shape]:
    return [
        Shape([wave(x0, x1, y, 2.2, 2)], stroke=SEA, width=2.6, closed=False) for x0, x1, y in rows
    ]


LOGOS = [
    # Provinsi Sulawesi Selatan: a star over the initials, the sea below.
    Logo(
        "sulsel",
        [
            *_base("#1b3a6b"),
            Shape([star(50, 27, 13, 5.5, 8)], fill=GOLD),
            initials("SS", 50, 57, 13, WHITE),
            *_waves((24, 76, 67), (31, 69, 76)),
        ],
    ),
    # Kota Palopo: a sun behind two hills, the initials, the gulf below.
    Logo(
        "palopo",
        [
            *_base("#1e6b3c"),
            Shape([circle(56, 25, 8)], fill=GOLD),
            Shape([[(22, 45), (38, 27), (47, 36), (60, 21), (78, 45)]], fill="#e6f2e0"),
            initials("PLP", 50, 61, 11, WHITE),
            *_waves((26, 74, 72)),
        ],
    ),
    # Kabupaten Luwu Utara: three leaves.
    Logo(
        "luwu-utara",
        [
            *_base("#7d1f1f"),
            Shape([leaf((50, 45), (50, 17), 5)], fill=GOLD),
            Shape([leaf((50, 45), (33, 25), 4.5)], fill=GOLD),
            Shape([leaf((50, 45), (67, 25), 4.5)], fill=GOLD),
            initials("LU", 50, 63, 12, WHITE),
            *_waves((28, 72, 74)),
        ],
    ),
    # Kabupaten Bantaeng: a five-pointed star and the coast.
    Logo(
        "bantaeng",
        [
            *_base("#0f5e63"),
            Shape([star(50, 29, 14, 6, 5)], fill=GOLD),
            initials("BTG", 50, 61, 11, WHITE),
            *_waves((26, 74, 72)),
        ],
    ),
    # Kabupaten Sidenreng Rappang: ears of rice.
    Logo(
        "sidrap",
        [
            *_base("#6e4512"),
            *[
                Shape([leaf((50, 46), (50 + dx, 18 + abs(dx) / 4), 3)], fill=GOLD)
                for dx in (-17, 0, 17)
            ],
            initials("SR", 50, 63, 12, WHITE),
            *_waves((28, 72, 74)),
        ],
    ),
]


# --- output ----------------------------------------------------------------------------


def _path(contours: list[list[Point]], closed: bool) -> str:
    def num(value: float) -> str:
        return f"{value:.1f}".rstrip("0").rstrip(".")

    parts = []
    for contour in contours:
        head, *rest = contour
        parts.append(
            f"M{num(head[0])} {num(head[1])}L"
            + " ".join(f"{num(x)} {num(y)}" for x, y in rest)
            + ("Z" if closed else "")
        )
    return "".join(parts)


def svg(logo: Logo) -> str:
    elements = []
    for s in logo.shapes:
        attrs = f'fill="{s.fill}"'
        if s.stroke != "none":
            attrs += f' stroke="{s.stroke}" stroke-width="{s.width}" stroke-linejoin="round"'
        if len(s.contours) > 1:
            attrs += ' fill-rule="evenodd"'
        elements.append(f'<path {attrs} d="{_path(s.contours, s.closed)}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
        + "".join(elements)
        + "</svg>\n"
    )


def png(logo: Logo) -> Image.Image:
    size = PNG_SIZE * SUPERSAMPLE
    k = size / 100
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for s in logo.shapes:
        scaled = [[(x * k, y * k) for x, y in c] for c in s.contours]
        if s.fill != "none":
            mask = Image.new("1", (size, size), 0)
            for contour in scaled:  # even-odd: a contour inside another is a hole
                layer = Image.new("1", (size, size), 0)
                ImageDraw.Draw(layer).polygon(contour, fill=1)
                mask = ImageChops.logical_xor(mask, layer)
            image.paste(s.fill, mask=mask)
        if s.stroke != "none":
            for contour in scaled:
                points = [*contour, contour[0]] if s.closed else contour
                draw.line(points, fill=s.stroke, width=round(s.width * k), joint="curve")
    return image.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS)


def build(names: list[str] | None = None, out_dir: Path = HERE) -> list[Path]:
    written = []
    for logo in LOGOS:
        if names and logo.name not in names:
            continue
        svg_path, png_path = out_dir / f"{logo.name}.svg", out_dir / f"{logo.name}.png"
        svg_path.write_text(svg(logo), encoding="utf-8")
        png(logo).save(png_path, optimize=True)
        written += [svg_path, png_path]
    return written


if __name__ == "__main__":
    for path in build(sys.argv[1:] or None):
        sys.stdout.write(f"{path.name} {path.stat().st_size} B\n")
