"""A tile-grid map of Viet Nam's 63 provinces: one square per province, laid out roughly as
the country lies, so every province is equally visible and no boundary file is needed.

The layout is chiso's own, made by the rule in :func:`_layout` from the approximate position
of each provincial capital (a grid cell per 0.5° of latitude and 0.6° of longitude, a clash
moved to the nearest free cell on the same row first; empty rows and columns closed). The
positions in :data:`CAPITALS_63` were written for chiso to two decimals (about 1 km); they are
not copied from a published table nor from another tile map, and a cell is some 55 km across,
so they need only be right to a few kilometres. The test suite checks them against the
geoBoundaries polygons of the 63 provinces (CC BY 4.0, carried in tests/fixtures/published/geo;
see NOTICE): each capital lies in its province or within 10 km of it (Quảng Ninh, Hưng Yên
and Kiên Giang fall 2–5 km outside the coarse 2008 outlines), and the tiles keep the
provinces' order north to south and west to east. The 34 provinces are placed by the same
rule at the mean position of their former provinces' capitals."""

from __future__ import annotations

import re
from collections.abc import Iterable

from chiso.frameworks.model import Framework
from chiso.i18n import gettext
from chiso.reports.svg import NO_DATA, esc, labelled_svg, readable_text
from chiso.scoring.document import ResultsDocument
from chiso.scoring.ranking import group_bands, group_name
from chiso.units.provinces import MERGED_34, era_of

CAPITALS_63: dict[str, tuple[float, float]] = {
    "Hà Giang": (22.82, 104.98),
    "Cao Bằng": (22.67, 106.26),
    "Lào Cai": (22.48, 103.97),
    "Lai Châu": (22.40, 103.46),
    "Bắc Kạn": (22.15, 105.83),
    "Lạng Sơn": (21.85, 106.76),
    "Tuyên Quang": (21.82, 105.21),
    "Yên Bái": (21.72, 104.91),
    "Thái Nguyên": (21.59, 105.85),
    "Điện Biên": (21.39, 103.02),
    "Sơn La": (21.33, 103.91),
    "Phú Thọ": (21.32, 105.40),
    "Vĩnh Phúc": (21.31, 105.60),
    "Bắc Giang": (21.27, 106.19),
    "Bắc Ninh": (21.19, 106.08),
    "Hà Nội": (21.03, 105.85),
    "Quảng Ninh": (20.95, 107.08),
    "Hải Dương": (20.94, 106.33),
    "Hải Phòng": (20.86, 106.68),
    "Hòa Bình": (20.81, 105.34),
    "Hưng Yên": (20.65, 106.05),
    "Hà Nam": (20.54, 105.92),
    "Thái Bình": (20.45, 106.34),
    "Nam Định": (20.43, 106.17),
    "Ninh Bình": (20.25, 105.97),
    "Thanh Hóa": (19.81, 105.78),
    "Nghệ An": (18.68, 105.68),
    "Hà Tĩnh": (18.34, 105.91),
    "Quảng Bình": (17.47, 106.62),
    "Quảng Trị": (16.75, 107.19),
    "Thừa Thiên Huế": (16.46, 107.59),
    "Đà Nẵng": (16.05, 108.21),
    "Quảng Nam": (15.57, 108.47),
    "Quảng Ngãi": (15.12, 108.80),
    "Kon Tum": (14.35, 108.00),
    "Gia Lai": (13.98, 108.00),
    "Bình Định": (13.78, 109.22),
    "Phú Yên": (13.10, 109.30),
    "Đắk Lắk": (12.67, 108.04),
    "Khánh Hòa": (12.24, 109.19),
    "Đắk Nông": (12.00, 107.69),
    "Lâm Đồng": (11.94, 108.44),
    "Ninh Thuận": (11.56, 108.99),
    "Bình Phước": (11.53, 106.89),
    "Tây Ninh": (11.31, 106.10),
    "Bình Dương": (10.98, 106.65),
    "Đồng Nai": (10.95, 106.82),
    "Bình Thuận": (10.93, 108.10),
    "Hồ Chí Minh": (10.78, 106.70),
    "Long An": (10.54, 106.41),
    "Đồng Tháp": (10.46, 105.63),
    "Bà Rịa - Vũng Tàu": (10.41, 107.14),
    "An Giang": (10.38, 105.44),
    "Tiền Giang": (10.36, 106.36),
    "Vĩnh Long": (10.25, 105.97),
    "Bến Tre": (10.24, 106.38),
    "Cần Thơ": (10.03, 105.78),
    "Kiên Giang": (10.01, 105.08),
    "Trà Vinh": (9.93, 106.35),
    "Hậu Giang": (9.78, 105.47),
    "Sóc Trăng": (9.60, 105.97),
    "Bạc Liêu": (9.29, 105.72),
    "Cà Mau": (9.18, 105.15),
}


def _layout(capitals: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    taken: dict[tuple[int, int], str] = {}
    out: dict[str, tuple[int, int]] = {}
    for name, (lat, lon) in sorted(capitals.items(), key=lambda kv: (-kv[1][0], kv[1][1])):
        row, col = round((23.0 - lat) / 0.5), round((lon - 102.5) / 0.6)
        for radius in range(12):
            candidates = [(row, col + d) for d in (radius, -radius)] + [
                (row + r, col + d) for r in (1, -1) for d in range(-radius, radius + 1)
            ]
            free = next((c for c in candidates if c not in taken), None)
            if free is not None:
                break
        assert free is not None
        taken[free] = name
        out[name] = (free[1], free[0])  # (column, row)
    # close the empty rows and columns, so that the long coast stays compact
    rows = {r: i for i, r in enumerate(sorted({r for _, r in out.values()}))}
    cols = {c: i for i, c in enumerate(sorted({c for c, _ in out.values()}))}
    return {name: (cols[c], rows[r]) for name, (c, r) in out.items()}


TILES_63 = _layout(CAPITALS_63)

# the 34 provinces from 1 July 2025, each placed at the mean position of the capitals of the
# provinces it was formed from (no new coordinates are assumed)
TILES_34 = _layout(
    {
        new: (
            sum(CAPITALS_63[p][0] for p in old) / len(old),
            sum(CAPITALS_63[p][1] for p in old) / len(old),
        )
        for new, old in MERGED_34.items()
    }
)
PALETTE = ["#1a7f37", "#8ac926", "#f4a259", "#c0392b", NO_DATA]  # best → worst, no data


UNGRADED = "#f2f2f2"
"""The near-white of a unit whose value falls between the bands of a framework that knows its
bands only in part (``groups.ungraded``): it has a value, but no published grade."""


def group_palette(framework: Framework) -> dict[str, str]:
    """A colour per group code (:func:`chiso.scoring.ranking.group_bands`), best first; the
    last colour stays for "no data". Fewer than four groups are spread over the scale, so the
    worst is always red (the service index's two known grades: xuất sắc green, yếu red)."""
    bands = group_bands(framework)
    scale = len(PALETTE) - 2
    if 1 < len(bands) <= scale:
        return {b.code: PALETTE[round(i * scale / (len(bands) - 1))] for i, b in enumerate(bands)}
    return {b.code: PALETTE[min(i, scale)] for i, b in enumerate(bands)}


def _ungraded(framework: Framework) -> bool:
    return framework.groups is not None and framework.groups.ungraded is not None


def group_colours(doc: ResultsDocument, framework: Framework) -> dict[str, str]:
    """Each grouped unit's colour (units without a group are left to the maps' grey); a
    complete unit between the bands of a partial banding is "not graded", not "no data"."""
    palette = group_palette(framework)
    gaps = _ungraded(framework)
    out = {}
    for u in doc.units:
        if u.group:
            out[u.unit] = palette[u.group]
        elif gaps and u.status != "incomplete" and u.index is not None:
            out[u.unit] = UNGRADED
    return out


def group_legend(framework: Framework, lang: str = "vi") -> list[tuple[str, str]]:
    """The legend of a map coloured by group: each group's colour and its name in ``lang``
    (:func:`chiso.scoring.ranking.group_name`), best first; then, for a partial banding,
    what lies between the bands; then "no data" for the grey."""
    palette = group_palette(framework)
    legend = [
        (palette[b.code], group_name(framework, b.code, lang)) for b in group_bands(framework)
    ]
    if framework.groups is not None and framework.groups.ungraded is not None:
        legend.append((UNGRADED, framework.groups.ungraded.name_in(lang)))
    return [*legend, (NO_DATA, gettext("không có số liệu", lang))]


def unit_labels(
    doc: ResultsDocument, framework: Framework, lang: str = "vi", measure: str = "index"
) -> dict[str, str]:
    """Each unit's tooltip on a map: its group's name in ``lang`` (from the group's code, never a
    stored name) and its ``measure`` ("Nhóm A 91,87")."""
    from chiso.numbers import format_number

    return {
        u.unit: " ".join(
            part
            for part in (
                group_name(framework, u.group, lang),
                format_number(u.value(measure), lang, framework.precision),
            )
            if part
        )
        for u in doc.units
    }


# five classes of value, low → high: ColorBrewer "Blues", readable by colour-blind readers
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]


def value_classes(
    values: dict[str, float | None], lang: str = "vi", precision: int = 2
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Colours by value: five classes of equal width between the lowest and the highest value
    (so a colour means the same distance wherever it is), and the legend of their bounds.
    Units without a value get none (the map draws them as "no data")."""
    from chiso.numbers import format_number

    known = {k: v for k, v in values.items() if v is not None}
    if not known:
        return {}, []
    low, high = min(known.values()), max(known.values())
    width = (high - low) / len(SEQUENTIAL) or 1.0
    colours = {
        k: SEQUENTIAL[min(int((v - low) / width), len(SEQUENTIAL) - 1)] for k, v in known.items()
    }
    legend = []
    for i, colour in enumerate(SEQUENTIAL):
        a, b = low + i * width, low + (i + 1) * width
        text = f"{format_number(a, lang, precision)} – {format_number(b, lang, precision)}"
        legend.append((colour, text))
    return colours, legend


def layout_for(names: Iterable[str], year: int | None = None) -> dict[str, tuple[int, int]] | None:
    """The tile layout of the provinces as they were when they were assessed (the 63 or the
    34, see :func:`chiso.units.provinces.era_of`); None for units that are not provinces."""
    era = era_of(names, year)
    return None if era is None else (TILES_34 if era == "34" else TILES_63)


def text_colour(fill: str) -> str:
    """The tile's label colour: black or white, whichever contrasts more with the fill."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", fill):
        return "#ffffff"
    return readable_text(fill)


def _abbreviation(name: str) -> str:
    words = name.replace("-", " ").split()
    return "".join(w[0] for w in words[:3]).upper() if len(words) > 1 else name[:3]


def abbreviations(names: Iterable[str]) -> dict[str, str]:
    """Each name's label on its tile, unique on the map: the initials (*Quảng Ninh* → QN),
    and where two or more names share them, more letters of the last word until they differ
    (*Quảng Ninh* → QNi, *Quảng Nam* → QNa, *Quảng Ngãi* → QNg)."""
    names = list(names)
    short = {n: _abbreviation(n) for n in names}
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(short[n], []).append(n)
    for same in groups.values():
        if len(same) < 2:
            continue
        longest = max(len(n) for n in same)
        tries = [(last, k) for last in (True, False) for k in range(2, longest + 1)]
        for last, letters in tries:
            tried = {n: _longer(n, letters, last) for n in same}
            if len(set(tried.values())) == len(same):
                short.update(tried)
                break
    return short


def _longer(name: str, letters: int, last: bool) -> str:
    """More letters of the last word (``QNi``) or, when the last words are the same
    (*Hà Giang*, *Hậu Giang*), of the first (``HàG``, ``HậG``)."""
    words = name.replace("-", " ").split()
    if len(words) < 2:
        return name[: letters + 2]
    if last:
        return "".join(w[0] for w in words[:-1][:2]).upper() + words[-1][:letters].capitalize()
    return words[0][:letters].capitalize() + "".join(w[0] for w in words[1:3]).upper()


def tile_map_svg(
    colour_of: dict[str, str],
    label_of: dict[str, str],
    title: str,
    tile: int = 34,
    tiles: dict[str, tuple[int, int]] | None = None,
) -> str:
    """An SVG map: each province a square coloured by ``colour_of`` (a palette index name or
    a CSS colour), with a tooltip and an accessible title. Provinces without a colour are
    grey: "no data", never a guess."""
    tiles = TILES_63 if tiles is None else tiles
    cols = max(c for c, _ in tiles.values()) + 1
    rows = max(r for _, r in tiles.values()) + 1
    parts = [labelled_svg(f"0 0 {cols * tile} {rows * tile}", title, "tilemap")]
    labels = abbreviations(tiles)
    for name, (c, r) in sorted(tiles.items()):
        fill = colour_of.get(name, NO_DATA)
        tip = f"{name}: {label_of.get(name, '—')}"
        x, y = c * tile, r * tile
        parts.append(
            f'<g><title>{esc(tip)}</title><rect x="{x + 1}" y="{y + 1}" '
            f'width="{tile - 2}" height="{tile - 2}" rx="4" fill="{fill}"/>'
            f'<text x="{x + tile / 2}" y="{y + tile / 2 + 4}" text-anchor="middle" '
            f'font-size="10" fill="{text_colour(fill)}">{esc(labels[name])}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
