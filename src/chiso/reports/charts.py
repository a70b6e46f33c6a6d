"""Charts as standalone, accessible SVG: a unit's points per domain, its index across cycles,
and every unit's estimate with its 95 % interval (a "caterpillar").

Each chart is a pure function of plain values returning an SVG string: ``role="img"`` with a
``<title>`` and a ``<desc>`` named by ``aria-labelledby``, no script, text as ``<text>`` in
Noto Sans first, text colours with at least WCAG AA contrast, numbers printed with
:func:`chiso.numbers.format_number` (a decimal comma in Vietnamese). Each chart has a
companion returning the same data as a :class:`DataTable`, to print beside the chart as its
text alternative (web pages and the PDF reports do).

The ``*_from_doc`` style builders (:func:`domain_bars`, :func:`domain_means`,
:func:`history_point`, :func:`estimates`) read a results document (``chiso score --format
json``, or a published snapshot).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from chiso.frameworks.model import Framework, Node
from chiso.numbers import format_number
from chiso.vietnamese import nfc, sort_key

FONT_FAMILY = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
WIDTH = 640
PAD = 16
Z95 = 1.959963984540054  # qnorm(0.975): a two-sided 95 % normal interval, as R computes it
"""The normal quantile of a two-sided 95 % interval, as published tables round it."""

# colours: every text colour has a contrast of at least 4.5:1 on WHITE and on HIGHLIGHT_BAND
WHITE = "#ffffff"
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
BAR = "#1f5f99"
ACCENT = "#a63f00"
TRACK = "#e4e8ee"
GRID = "#d5dae1"
HIGHLIGHT_BAND = "#fcebdc"

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "domain": "Lĩnh vực",
        "points": "Điểm",
        "max": "Điểm tối đa",
        "mean": "Trung bình",
        "best": "Cao nhất",
        "best_units": "Đơn vị cao nhất",
        "legend_mean": "Trung bình các đơn vị xếp hạng",
        "legend_best": "Cao nhất trong các đơn vị xếp hạng",
        "max_unknown": "chưa công bố",
        "note_unknown": "* Điểm tối đa chưa công bố: thanh được vẽ so với điểm cao nhất "
        "của các đơn vị xếp hạng.",
        "note_partly": "† Một phần của lĩnh vực không áp dụng (KAD) cho đơn vị: sau dấu / là "
        "điểm tối đa áp dụng; phần không áp dụng là đoạn viền nét đứt ở cuối thanh.",
        "max_applicable": "{max} (áp dụng: {own})",
        "na": "KAD",
        "missing": "thiếu",
        "domain_title": "{subject}: điểm theo lĩnh vực",
        "domains_desc": "{count} lĩnh vực, điểm so với điểm tối đa",
        "means_subject": "Trung bình các đơn vị xếp hạng",
        "means_title": "Điểm trung bình theo lĩnh vực",
        "cycle": "Kỳ đánh giá",
        "index": "Chỉ số (%)",
        "rank": "Xếp hạng",
        "rank_label": "hạng {rank}",
        "history_title": "{subject}: chỉ số qua các kỳ",
        "history_note": "Chỉ số (%) ghi cạnh mỗi điểm; thứ hạng ghi dưới tên kỳ",
        "no_data": "không có số liệu: {labels}",
        "unit": "Đơn vị",
        "estimate": "Ước lượng",
        "se": "Sai số chuẩn",
        "low": "Cận dưới 95%",
        "high": "Cận trên 95%",
        "caterpillar_title": "Chỉ số và khoảng tin cậy 95%",
        "legend_interval": "Ước lượng và khoảng tin cậy 95%",
        "legend_highlight": "{unit}",
        "mean_line": "Trung bình {value}",
        "sorted": "{count} đơn vị, sắp xếp từ cao xuống thấp",
        "from_to": "từ {first} ({first_value}) đến {last} ({last_value})",
        "interval_of": "{unit}: {value}, khoảng tin cậy 95% từ {low} đến {high}",
    },
    "en": {
        "domain": "Domain",
        "points": "Points",
        "max": "Maximum",
        "mean": "Mean",
        "best": "Best",
        "best_units": "Best units",
        "legend_mean": "Mean of the ranked units",
        "legend_best": "Best of the ranked units",
        "max_unknown": "not published",
        "note_unknown": "* Maximum not published: the bar is drawn against the best of the "
        "ranked units.",
        "note_partly": "† Part of the domain does not apply (NA) to the unit: after the / is "
        "the maximum that applies; the part that does not apply is dashed at the end of the bar.",
        "max_applicable": "{max} (applicable: {own})",
        "na": "NA",
        "missing": "missing",
        "domain_title": "{subject}: points per domain",
        "domains_desc": "{count} domains, points against the maximum",
        "means_subject": "Mean of the ranked units",
        "means_title": "Mean points per domain",
        "cycle": "Cycle",
        "index": "Index (%)",
        "rank": "Rank",
        "rank_label": "rank {rank}",
        "history_title": "{subject}: index across cycles",
        "history_note": "Index (%) beside each point; rank under the cycle",
        "no_data": "no data: {labels}",
        "unit": "Unit",
        "estimate": "Estimate",
        "se": "Standard error",
        "low": "95% low",
        "high": "95% high",
        "caterpillar_title": "Index and 95% intervals",
        "legend_interval": "Estimate and 95% interval",
        "legend_highlight": "{unit}",
        "mean_line": "Mean {value}",
        "sorted": "{count} units, sorted from highest to lowest",
        "from_to": "from {first} ({first_value}) to {last} ({last_value})",
        "interval_of": "{unit}: {value}, 95% interval from {low} to {high}",
    },
}


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataTable:
    """A chart's data as text: print it beside the chart as its text alternative."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: right-align


@dataclass(frozen=True)
class DomainBar:
    """One domain: the value drawn (None when missing), its maximum (None when the framework
    does not publish it), the mean and best of the ranked units with the best units, and the
    unit's own maximum when parts of the domain do not apply to it (None otherwise)."""

    code: str
    name: str
    value: float | None
    maximum: float | None
    mean: float | None = None
    best: float | None = None
    best_units: tuple[str, ...] = ()
    applicable: bool = True
    applicable_maximum: float | None = None


@dataclass(frozen=True)
class DomainBars:
    subject: str  # the unit (or "mean of the ranked units"): the legend of the bars
    domains: tuple[DomainBar, ...]
    value_label: str = ""  # the table's value column; empty: "Points"


@dataclass(frozen=True)
class HistoryPoint:
    """A unit's result in one cycle; ``year`` places the cycles on a time axis (with gaps for
    years without a cycle); without years, points follow in the given order."""

    label: str
    index: float | None
    rank: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Estimate:
    """A unit's estimate with either its standard error or its interval bounds."""

    unit: str
    value: float
    se: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95 % interval: the bounds given, or estimate ± 1.96·SE."""
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
        if self.se is not None and math.isfinite(self.se):
            return (self.value - Z95 * self.se, self.value + Z95 * self.se)
        return None


# --- reading a results document ------------------------------------------------------------


class UnitNotFound(LookupError):
    """The unit is not in the results; ``suggestions`` are the closest names in it."""

    def __init__(self, unit: str, suggestions: list[str]) -> None:
        super().__init__(unit)
        self.unit = unit
        self.suggestions = suggestions


def _fold(name: str) -> str:
    """Lower case without tone marks or diacritics (đ → d), single spaces."""
    text = unicodedata.normalize("NFD", nfc(name).casefold().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def close_unit_names(doc: Mapping[str, Any], unit: str, limit: int = 5) -> list[str]:
    """Names in the results closest to ``unit`` (accents and case ignored), best first."""
    names = [str(u["unit"]) for u in doc["units"]]
    folded: dict[str, list[str]] = {}
    for name in names:
        folded.setdefault(_fold(name), []).append(name)
    wanted = _fold(unit)
    found: list[str] = []
    for key in folded.get(wanted, []):
        found.append(key)
    for key in difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.6):
        found += folded[key]
    if wanted:
        found += [n for n in names if wanted in _fold(n)]
    return list(dict.fromkeys(found))[:limit]


def unit_record(doc: Mapping[str, Any], unit: str) -> dict[str, Any]:
    """The unit's entry in the results (names compared in NFC); :class:`UnitNotFound` with the
    closest names otherwise."""
    wanted = nfc(unit.strip())
    for u in doc["units"]:
        if nfc(str(u["unit"])) == wanted:
            return dict(u)
    raise UnitNotFound(unit, close_unit_names(doc, unit))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _name(node_name_vi: str, node_name_en: str, lang: str) -> str:
    return node_name_en if lang == "en" and node_name_en else node_name_vi


def _ranked(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [u for u in doc["units"] if u.get("rank")]


@dataclass(frozen=True)
class DomainStats:
    """A node's points across the ranked units: their mean, the best, and who has it (in
    the order of the ranking)."""

    mean: float | None
    best: float | None
    leaders: tuple[str, ...]


def domain_stats(ranked: Sequence[Mapping[str, Any]], code: str) -> DomainStats:
    """The mean and the best of node ``code`` over the ``ranked`` units (not applicable and
    missing points left out)."""
    numbers = [
        (v, str(u["unit"])) for u in ranked if (v := _number(u["points"].get(code))) is not None
    ]
    best = max((v for v, _ in numbers), default=None)
    return DomainStats(
        sum(v for v, _ in numbers) / len(numbers) if numbers else None,
        best,
        tuple(n for v, n in numbers if v == best),
    )


def domain_bars(
    doc: Mapping[str, Any], framework: Framework, unit: str, lang: str = "vi"
) -> DomainBars:
    """The unit's points per domain with the mean and best of the ranked units."""
    me = unit_record(doc, unit)
    ranked = _ranked(doc)
    domains = []
    for node in framework.domains:
        stats = domain_stats(ranked, node.code)
        mine = me["points"].get(node.code)
        domains.append(
            DomainBar(
                code=node.code,
                name=_name(node.name_vi, node.name_en, lang),
                value=_number(mine),
                maximum=node.max,
                mean=stats.mean,
                best=stats.best,
                best_units=tuple(sorted(stats.leaders, key=sort_key)),
                applicable=mine != "NA",
                applicable_maximum=_applicable_maximum(node, me["points"]),
            )
        )
    return DomainBars(subject=str(me["unit"]), domains=tuple(domains))


def _not_applicable(node: Node, points: Mapping[str, Any]) -> float | None:
    """The maximum of the parts of ``node`` that do not apply (None when one is unknown or
    the parts are not summed)."""
    if node.aggregation != "sum":
        return 0.0
    total = 0.0
    for child in node.children:
        part = child.max if points.get(child.code) == "NA" else _not_applicable(child, points)
        if part is None:
            return None
        total += part
    return total


def _applicable_maximum(node: Node, points: Mapping[str, Any]) -> float | None:
    """The domain's maximum for this unit, when parts that do not apply lower it."""
    removed = _not_applicable(node, points)
    if node.max is None or not removed or points.get(node.code) == "NA":
        return None
    return max(node.max - removed, 0.0)


def domain_means(doc: Mapping[str, Any], framework: Framework, lang: str = "vi") -> DomainBars:
    """The mean of the ranked units per domain as the bars, with the best as markers."""
    lab = LABELS[lang]
    ranked = _ranked(doc)
    domains = []
    for node in framework.domains:
        stats = domain_stats(ranked, node.code)
        domains.append(
            DomainBar(
                code=node.code,
                name=_name(node.name_vi, node.name_en, lang),
                value=stats.mean,
                maximum=node.max,
                best=stats.best,
                best_units=tuple(sorted(stats.leaders, key=sort_key)),
            )
        )
    return DomainBars(lab["means_subject"], tuple(domains), value_label=lab["mean"])


def cycle_label(doc: Mapping[str, Any], fallback: str = "") -> tuple[str, int | None]:
    """A cycle's label and year from a results document: a published snapshot carries
    ``cycle: {year, name}``; otherwise the fallback (a file name, say), whose first four-digit
    year (19xx or 20xx) is taken as the year."""
    cycle = doc.get("cycle")
    if isinstance(cycle, Mapping):
        year = cycle.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            return str(year), year
        if cycle.get("name"):
            return str(cycle["name"]), _year_in(str(cycle["name"]))
    return fallback, _year_in(fallback)


def _year_in(text: str) -> int | None:
    found = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text)
    return int(found.group(1)) if found else None


def history_point(
    doc: Mapping[str, Any], unit: str, label: str, year: int | None = None
) -> HistoryPoint:
    """The unit's index and rank in one cycle's results (no index when it is absent)."""
    for u in doc["units"]:
        if nfc(str(u["unit"])) == nfc(unit):
            rank = u.get("rank")
            return HistoryPoint(label, _number(u.get("index")), rank or None, year)
    return HistoryPoint(label, None, None, year)


def estimates(
    doc: Mapping[str, Any], measure: Literal["index", "total"] = "index"
) -> list[Estimate]:
    """Every unit with a number and a standard error (``index_se`` or ``total_se``)."""
    out = []
    for u in doc["units"]:
        value, se = _number(u.get(measure)), _number(u.get(f"{measure}_se"))
        if value is not None and se is not None:
            out.append(Estimate(str(u["unit"]), value, se))
    return out


# --- drawing helpers -----------------------------------------------------------------------

_NARROW = set(" .,:;'|!()[]ilIjtf-")
_WIDE = set("mwMW")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of the rendered width in Noto Sans (enough to wrap and to place labels)."""
    width = 0.0
    for ch in nfc(text):
        base = unicodedata.normalize("NFD", ch)[0]
        if base in _NARROW:
            width += 0.3
        elif base in _WIDE:
            width += 0.85
        elif base.isupper():
            width += 0.66
        elif base.isdigit():
            width += 0.57
        else:
            width += 0.55
    return width * size * (1.06 if bold else 1.0)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if not line or text_width(candidate, size, bold) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines or [""]


def _fit(text: str, size: float, width: float, bold: bool = False) -> str:
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _esc(value: object) -> str:
    return escape(_CONTROL.sub("", str(value)), quote=True)


def _f(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
    cls: str = "",
) -> str:
    attrs = f' class="{cls}"' if cls else ""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" text-anchor="{anchor}" '
        f'fill="{fill}"{weight}{attrs}>{_esc(content)}</text>'
    )


def _svg(kind: str, height: float, title: str, desc: str, body: list[str]) -> str:
    ident = "chiso-" + kind + "-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_f(height)}" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT_FAMILY}" '
        f'class="chiso-chart chiso-{kind}">'
        f'<title id="{ident}-title">{_esc(title)}</title>'
        f'<desc id="{ident}-desc">{_esc(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{_f(height)}" fill="{WHITE}"/>' + "".join(body) + "</svg>"
    )


def _title(parts: list[str], title: str, y: float) -> float:
    for line in wrap(title, 15, WIDTH - 2 * PAD, bold=True):
        y += 19
        parts.append(_text(PAD, y, line, size=15, bold=True))
    return y + 6


def _swatch(kind: str, x: float, y: float) -> str:
    """A legend key 18 px wide, its middle at ``y``."""
    if kind == "bar":
        return f'<rect x="{_f(x)}" y="{_f(y - 5)}" width="18" height="10" fill="{BAR}"/>'
    if kind == "mean":
        return (
            f'<line x1="{_f(x + 9)}" y1="{_f(y - 7)}" x2="{_f(x + 9)}" y2="{_f(y + 7)}" '
            f'stroke="{TEXT}" stroke-width="2"/>'
        )
    if kind == "best":
        return _triangle(x + 9, y + 4, 5)
    if kind == "interval":
        return (
            f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(x + 18)}" y2="{_f(y)}" stroke="{BAR}" '
            f'stroke-width="1.5"/><circle cx="{_f(x + 9)}" cy="{_f(y)}" r="3" fill="{BAR}"/>'
        )
    if kind == "highlight":
        return (
            f'<rect x="{_f(x - 2)}" y="{_f(y - 7)}" width="22" height="14" '
            f'fill="{HIGHLIGHT_BAND}"/><line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(x + 18)}" '
            f'y2="{_f(y)}" stroke="{ACCENT}" stroke-width="2.5"/>'
            f'<circle cx="{_f(x + 9)}" cy="{_f(y)}" r="4" fill="{ACCENT}"/>'
        )
    # "dashed": the mean as a reference line
    return (
        f'<line x1="{_f(x + 9)}" y1="{_f(y - 7)}" x2="{_f(x + 9)}" y2="{_f(y + 7)}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )


def _triangle(x: float, tip_y: float, half: float, cls: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    return (
        f'<polygon points="{_f(x - half)},{_f(tip_y - 1.6 * half)} {_f(x + half)},'
        f'{_f(tip_y - 1.6 * half)} {_f(x)},{_f(tip_y)}" fill="{ACCENT}"{attrs}/>'
    )


def _legend(parts: list[str], items: list[tuple[str, str]], y: float) -> float:
    """Keys and their labels in rows, wrapped at the chart's width; returns the next y."""
    x = float(PAD)
    y += 14
    parts.append('<g class="legend">')
    for kind, label in items:
        label = _fit(label, 12, WIDTH - 2 * PAD - 24)
        width = 24 + text_width(label, 12) + 18
        if x > PAD and x + width > WIDTH - PAD:
            x, y = float(PAD), y + 20
        parts.append(_swatch(kind, x, y - 4))
        parts.append(_text(x + 24, y, label, size=12))
        x += width
    parts.append("</g>")
    return y + 10


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _scale(low: float, high: float, target: int = 5) -> tuple[float, float, float]:
    """Axis limits on round numbers around [low, high], and the step between ticks."""
    if not high > low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, target)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _decimals(step: float) -> int:
    for decimals in range(4):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 4


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


# --- the domain bars -----------------------------------------------------------------------


def _bar_scale(d: DomainBar) -> tuple[float | None, bool]:
    """The value the full track stands for, and whether it is the best instead of the
    maximum (the framework does not publish the maximum)."""
    if d.maximum is not None and d.maximum > 0:
        return d.maximum, False
    candidates = [v for v in (d.best, d.value) if v is not None and v > 0]
    return (max(candidates) if candidates else None), True


def _share(value: float, scale: float) -> float:
    return min(max(value / scale, 0.0), 1.0)


def domain_bars_svg(
    bars: DomainBars,
    lang: str = "vi",
    *,
    title: str = "",
    precision: int = 2,
    show_title: bool = True,
) -> str:
    """Horizontal bars of the points per domain against the domain's maximum, with the mean
    (a black line) and the best (a triangle) of the ranked units."""
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    title = title or lab["domain_title"].format(subject=bars.subject)
    value_col = 118
    track_w = WIDTH - 2 * PAD - value_col
    parts: list[str] = []
    y = float(PAD) - 6
    if show_title:
        y = _title(parts, title, y)
    items = [("bar", bars.subject)]
    if any(d.mean is not None for d in bars.domains):
        items.append(("mean", lab["legend_mean"]))
    if any(d.best is not None for d in bars.domains):
        items.append(("best", lab["legend_best"]))
    y = _legend(parts, items, y)
    unknown = partly = False
    descs = []
    for d in bars.domains:
        scale, against_best = _bar_scale(d)
        unknown = unknown or against_best
        parts.append(f'<g class="domain" data-code="{_esc(d.code)}">')
        for line in wrap(f"{d.code}. {d.name}", 12, WIDTH - 2 * PAD):
            y += 16
            parts.append(_text(PAD, y, line, size=12))
        top = y + 13
        parts.append(
            f'<rect class="track" x="{PAD}" y="{_f(top)}" width="{_f(track_w)}" height="14" '
            f'fill="{TRACK}"/>'
        )
        if d.applicable_maximum is not None and scale is not None and d.applicable:
            start = PAD + track_w * _share(d.applicable_maximum, scale)
            parts.append(
                f'<rect class="not-applicable" x="{_f(start)}" y="{_f(top + 0.5)}" '
                f'width="{_f(PAD + track_w - start - 0.5)}" height="13" fill="{WHITE}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
        if d.value is not None and scale is not None:
            parts.append(
                f'<rect class="bar" data-value="{_f(d.value)}" x="{PAD}" y="{_f(top)}" '
                f'width="{_f(track_w * _share(d.value, scale))}" height="14" fill="{BAR}"/>'
            )
        if d.mean is not None and scale is not None:
            x = PAD + track_w * _share(d.mean, scale)
            parts.append(
                f'<line x1="{_f(x)}" y1="{_f(top - 3)}" x2="{_f(x)}" y2="{_f(top + 17)}" '
                f'stroke="{WHITE}" stroke-width="4"/><line class="mean" x1="{_f(x)}" '
                f'y1="{_f(top - 3)}" x2="{_f(x)}" y2="{_f(top + 17)}" stroke="{TEXT}" '
                'stroke-width="2"/>'
            )
        if d.best is not None and scale is not None:
            parts.append(_triangle(PAD + track_w * _share(d.best, scale), top - 1, 5, "best"))
        if not d.applicable:
            shown = lab["na"]
        elif d.value is None:
            shown = lab["missing"]
        elif against_best:
            shown = f"{n(d.value)} *"
        elif d.applicable_maximum is not None:
            shown = f"{n(d.value)} / {n(d.applicable_maximum)} †"
            partly = True
        else:
            shown = f"{n(d.value)} / {n(d.maximum)}"
        parts.append(_text(WIDTH - PAD, top + 11.5, shown, size=12, anchor="end", cls="value"))
        parts.append("</g>")
        y = top + 14 + 6
        about = f"{d.code}. {d.name}: {shown}"
        if d.mean is not None:
            about += f", {lab['mean'].lower()} {n(d.mean)}"
        if d.best is not None:
            about += f", {lab['best'].lower()} {n(d.best)}"
        descs.append(about)
    notes = [lab[k] for k, on in (("note_unknown", unknown), ("note_partly", partly)) if on]
    if notes:
        y += 4
    for note in notes:
        for line in wrap(note, 11, WIDTH - 2 * PAD):
            y += 14
            parts.append(_text(PAD, y, line, size=11, fill=MUTED, cls="note"))
    desc = " ".join(
        [
            f"{bars.subject}: {lab['domains_desc'].format(count=len(bars.domains))}.",
            "; ".join(descs) + ".",
            *notes,
        ]
    )
    return _svg("domain-bars", y + PAD, title, desc, parts)


def domain_bars_table(bars: DomainBars, lang: str = "vi", *, precision: int = 2) -> DataTable:
    """Domain, points, maximum, mean, best and the best units: the bars' data as text."""
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    with_mean = any(d.mean is not None for d in bars.domains)
    headers = [lab["domain"], bars.value_label or lab["points"], lab["max"]]
    headers += [lab["mean"]] if with_mean else []
    headers += [lab["best"], lab["best_units"]]
    rows = []
    for d in bars.domains:
        value = lab["na"] if not d.applicable else n(d.value) if d.value is not None else "—"
        maximum = lab["max_unknown"] if d.maximum is None else n(d.maximum)
        if d.applicable_maximum is not None and d.applicable:
            maximum = lab["max_applicable"].format(max=maximum, own=n(d.applicable_maximum))
        row = [f"{d.code}. {d.name}", value, maximum]
        row += [n(d.mean)] if with_mean else []
        row += [n(d.best), ", ".join(d.best_units)]
        rows.append(tuple(row))
    numeric = (False, True, True, *((True,) if with_mean else ()), True, False)
    caption = lab["domain_title"].format(subject=bars.subject)
    return DataTable(caption, tuple(headers), tuple(rows), numeric)


# --- the history ---------------------------------------------------------------------------


def _slots(points: Sequence[HistoryPoint]) -> tuple[list[str], list[tuple[int, HistoryPoint]]]:
    """Tick labels of the x axis and each point's slot: every year from the first to the last
    when all points have distinct years (so a missing year leaves a gap), else the points in
    the given order."""
    years = [p.year for p in points]
    if points and all(y is not None for y in years) and len(set(years)) == len(years):
        ordered = sorted(points, key=lambda p: p.year or 0)
        first, last = ordered[0].year or 0, ordered[-1].year or 0
        if last - first < 40:
            return [str(y) for y in range(first, last + 1)], [
                ((p.year or 0) - first, p) for p in ordered
            ]
        return [p.label for p in ordered], list(enumerate(ordered))
    return [p.label for p in points], list(enumerate(points))


def history_svg(
    points: Sequence[HistoryPoint],
    lang: str = "vi",
    *,
    subject: str = "",
    title: str = "",
    precision: int = 2,
    show_title: bool = True,
) -> str:
    """The index across cycles as a line with points, the index above each point and the rank
    below; a cycle without an index, or a year without a cycle, breaks the line."""
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    title = title or lab["history_title"].format(subject=subject or "—")
    ticks_x, placed = _slots(points)
    parts: list[str] = []
    y = float(PAD) - 6
    if show_title:
        y = _title(parts, title, y)
    y += 14
    parts.append(_text(PAD, y, lab["history_note"], size=11, fill=MUTED, cls="note"))
    values = [p.index for _, p in placed if p.index is not None]
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    lo, hi, step = _scale(low, high, 4)
    if low - lo < 0.6 * step:  # room for a label under the lowest point
        lo -= step
    decimals = _decimals(step)
    left, right = PAD + 44, WIDTH - PAD - 8
    top, bottom = y + 30, y + 30 + 190
    slot_w = (right - left) / max(len(ticks_x), 1)

    def px(slot: int) -> float:
        return left + slot_w * (slot + 0.5)

    def py(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    for tick in _ticks(lo, hi, step):
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(py(tick))}" x2="{_f(right)}" y2="{_f(py(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            _text(left - 6, py(tick) + 4, format_number(tick, lang, decimals), 11, "end", MUTED)
        )
    every = max(1, math.ceil(40 / slot_w))
    ranks = {slot: p.rank for slot, p in placed if p.rank and p.index is not None}
    for i, label in enumerate(ticks_x):
        if i % every == 0 or i == len(ticks_x) - 1:
            parts.append(_text(px(i), bottom + 18, _fit(label, 11, slot_w * every), 11, "middle"))
        if i in ranks:
            rank = lab["rank_label"].format(rank=ranks[i])
            parts.append(_text(px(i), bottom + 33, rank, 10.5, "middle", MUTED, cls="rank"))
    parts.append(
        f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    # the line, broken where a slot has no index
    runs: list[list[tuple[float, float, HistoryPoint]]] = []
    previous = None
    for slot, p in placed:
        if p.index is None:
            previous = None
            continue
        if previous is None or slot != previous + 1:
            runs.append([])
        runs[-1].append((px(slot), py(p.index), p))
        previous = slot
    for run in runs:
        if len(run) > 1:
            path = " ".join(
                f"{'M' if i == 0 else 'L'}{_f(x)},{_f(y)}" for i, (x, y, _) in enumerate(run)
            )
            parts.append(
                f'<path class="line" d="{path}" fill="none" stroke="{BAR}" stroke-width="2.5"/>'
            )
    for run in runs:
        for i, (x, y, p) in enumerate(run):
            parts.append(
                f'<circle class="point" data-label="{_esc(p.label)}" cx="{_f(x)}" cy="{_f(y)}" '
                f'r="4.5" fill="{BAR}" stroke="{WHITE}" stroke-width="1.5"/>'
            )
            # the label where the line is not: above a peak, below a trough, beside a slope
            before = run[i - 1][1] if i > 0 else None
            after = run[i + 1][1] if i + 1 < len(run) else None
            value = n(p.index)
            if (before is None or before >= y) and (after is None or after >= y):
                parts.append(_text(x, y - 10, value, 11, "middle", bold=True, cls="value"))
            elif (before is None or before <= y) and (after is None or after <= y):
                parts.append(_text(x, y + 20, value, 11, "middle", bold=True, cls="value"))
            elif before is not None and before > y:  # rising: the upper left is free
                parts.append(_text(x - 7, y - 7, value, 11, "end", bold=True, cls="value"))
            else:  # falling: the upper right is free
                parts.append(_text(x + 7, y - 7, value, 11, "start", bold=True, cls="value"))
    shown = {p.label for _, p in placed if p.index is not None}
    gaps = [label for label in ticks_x if label not in shown]
    about = [
        f"{p.label}: {n(p.index)}"
        + (f" ({lab['rank_label'].format(rank=p.rank)})" if p.rank else "")
        for _, p in placed
        if p.index is not None
    ]
    desc = f"{title}. " + "; ".join(about) + "."
    if gaps:
        desc += " " + lab["no_data"].format(labels=", ".join(gaps)) + "."
    return _svg("history", bottom + 40 + PAD, title, desc, parts)


def history_table(
    points: Sequence[HistoryPoint], lang: str = "vi", *, subject: str = "", precision: int = 2
) -> DataTable:
    """Cycle, index and rank: the history's data as text, in the chart's order."""
    lab = LABELS[lang]
    _, placed = _slots(points)
    rows = tuple(
        (p.label, format_number(p.index, lang, precision) or "—", str(p.rank or "—"))
        for _, p in placed
    )
    return DataTable(
        lab["history_title"].format(subject=subject or "—"),
        (lab["cycle"], lab["index"], lab["rank"]),
        rows,
        (False, True, True),
    )


# --- the caterpillar -----------------------------------------------------------------------


def _sorted_estimates(items: Sequence[Estimate]) -> list[Estimate]:
    return sorted(items, key=lambda e: (-e.value, sort_key(e.unit)))


def caterpillar_svg(
    items: Sequence[Estimate],
    lang: str = "vi",
    *,
    highlight: str | None = None,
    mean: float | None = None,
    title: str = "",
    precision: int = 2,
    show_title: bool = True,
) -> str:
    """Units sorted by estimate (highest first) with their 95 % intervals; ``highlight`` names
    a unit drawn in another colour on a shaded row; the mean (given, or of the estimates) is a
    dashed reference line. The height grows with the number of units."""
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    title = title or lab["caterpillar_title"]
    rows = _sorted_estimates(items)
    if mean is None and rows:
        mean = sum(e.value for e in rows) / len(rows)
    marked = nfc(highlight) if highlight else None
    parts: list[str] = []
    y = float(PAD) - 6
    if show_title:
        y = _title(parts, title, y)
    keys = [("interval", lab["legend_interval"])]
    if mean is not None:
        keys.append(("dashed", lab["mean_line"].format(value=n(mean))))
    if marked and any(nfc(e.unit) == marked for e in rows):
        keys.append(("highlight", lab["legend_highlight"].format(unit=highlight)))
    y = _legend(parts, keys, y)
    size = 11 if len(rows) <= 30 else 10
    row_h = 18 if len(rows) <= 30 else 14
    names_w = min(max((text_width(e.unit, size, True) for e in rows), default=60) + 10, 230)
    value_w = 112
    left, right = PAD + names_w, WIDTH - PAD - value_w
    bounds = [b for e in rows if (b := e.interval) is not None]
    low = min([e.value for e in rows] + [b[0] for b in bounds], default=0.0)
    high = max([e.value for e in rows] + [b[1] for b in bounds], default=100.0)
    if mean is not None:
        low, high = min(low, mean), max(high, mean)
    lo, hi, step = _scale(low, high, 5)
    decimals = _decimals(step)

    def px(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (right - left)

    top = y + 4
    bottom = top + row_h * len(rows)
    for tick in _ticks(lo, hi, step):
        parts.append(
            f'<line x1="{_f(px(tick))}" y1="{_f(top)}" x2="{_f(px(tick))}" y2="{_f(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            _text(px(tick), bottom + 15, format_number(tick, lang, decimals), 10.5, "middle", MUTED)
        )
    parts.append(
        f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    for i, e in enumerate(rows):
        middle = top + row_h * (i + 0.5)
        is_marked = marked is not None and nfc(e.unit) == marked
        colour = ACCENT if is_marked else BAR
        interval = e.interval
        if interval is not None:
            shown = f"{n(e.value)} ({n(interval[0])}–{n(interval[1])})"
        else:
            shown = n(e.value)
        parts.append(
            f'<g class="row" data-unit="{_esc(e.unit)}"'
            + (' data-highlight="true"' if is_marked else "")
            + f"><title>{_esc(e.unit)}: {_esc(shown)}</title>"
        )
        if is_marked:
            parts.append(
                f'<rect x="{PAD - 4}" y="{_f(middle - row_h / 2)}" width="{WIDTH - 2 * PAD + 8}" '
                f'height="{row_h}" fill="{HIGHLIGHT_BAND}"/>'
            )
        name = _fit(e.unit, size, names_w - 10, bold=is_marked)
        parts.append(
            _text(
                left - 8,
                middle + size * 0.36,
                name,
                size,
                "end",
                ACCENT if is_marked else TEXT,
                bold=is_marked,
            )
        )
        if interval is not None:
            parts.append(
                f'<line class="interval" x1="{_f(px(interval[0]))}" y1="{_f(middle)}" '
                f'x2="{_f(px(interval[1]))}" y2="{_f(middle)}" stroke="{colour}" '
                f'stroke-width="{2.5 if is_marked else 1.5}"/>'
            )
        parts.append(
            f'<circle class="estimate" cx="{_f(px(e.value))}" cy="{_f(middle)}" '
            f'r="{4 if is_marked else 3}" fill="{colour}"/>'
        )
        parts.append(
            _text(
                WIDTH - PAD,
                middle + size * 0.36,
                shown,
                size - 0.5,
                "end",
                ACCENT if is_marked else MUTED,
                bold=is_marked,
                cls="value",
            )
        )
        parts.append("</g>")
    if mean is not None:
        parts.append(
            f'<line class="mean" x1="{_f(px(mean))}" y1="{_f(top - 4)}" x2="{_f(px(mean))}" '
            f'y2="{_f(bottom)}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    about = lab["sorted"].format(count=len(rows))
    if rows:
        about += ", " + lab["from_to"].format(
            first=rows[0].unit,
            first_value=n(rows[0].value),
            last=rows[-1].unit,
            last_value=n(rows[-1].value),
        )
    if mean is not None:
        about += "; " + lab["mean_line"].format(value=n(mean))
    for e in rows:
        if marked is not None and nfc(e.unit) == marked and e.interval is not None:
            about += "; " + lab["interval_of"].format(
                unit=e.unit, value=n(e.value), low=n(e.interval[0]), high=n(e.interval[1])
            )
    return _svg("caterpillar", bottom + 24 + PAD, title, about + ".", parts)


def caterpillar_table(
    items: Sequence[Estimate], lang: str = "vi", *, title: str = "", precision: int = 2
) -> DataTable:
    """Unit, estimate, standard error and the 95 % bounds, in the chart's order."""
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    rows = []
    for e in _sorted_estimates(items):
        interval = e.interval
        rows.append(
            (
                e.unit,
                n(e.value),
                n(e.se) if e.se is not None else "—",
                n(interval[0]) if interval else "—",
                n(interval[1]) if interval else "—",
            )
        )
    return DataTable(
        title or lab["caterpillar_title"],
        (lab["unit"], lab["estimate"], lab["se"], lab["low"], lab["high"]),
        tuple(rows),
        (False, True, True, True, True),
    )


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (AA asks 4.5 for normal text)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text(background: str) -> str:
    """Black or white text, whichever contrasts more with ``background`` (``#rrggbb``); one
    of the two always reaches WCAG AA's 4.5:1."""
    return max(("#1b1b1b", "#ffffff"), key=lambda c: contrast_ratio(c, background))
