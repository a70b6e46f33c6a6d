"""Charts as standalone, accessible SVG: a unit's points per domain, its index across cycles,
and every unit's estimate with its 95 % interval (a "caterpillar").

Each chart is a pure function of plain values returning an SVG string: ``role="img"`` with a
``<title>`` and a ``<desc>`` named by ``aria-labelledby``, no script, text as ``<text>`` in
Noto Sans first, text colours with at least WCAG AA contrast, numbers printed with
:func:`chiso.numbers.format_number` (a decimal comma in Vietnamese). Each chart has a
companion returning the same data as a :class:`DataTable`, to print beside the chart as its
text alternative (web pages and the PDF reports do).

The builders :func:`domain_bars`, :func:`domain_means`, :func:`history_point` and
:func:`estimates` make a chart's values from a results document (``chiso score --format json``,
or a published snapshot), read with :mod:`chiso.reports.results_document`; the drawing is made
of the primitives in :mod:`chiso.reports.svg`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from chiso.frameworks.model import Framework
from chiso.i18n import gettext_noop, translated
from chiso.numbers import format_number
from chiso.reports.results_document import (
    applicable_maximum,
    domain_stats,
    finite_number,
    ranked_units,
    unit_record,
)
from chiso.reports.svg import (
    ACCENT,
    BAR,
    FONT_FAMILY,
    GRID,
    HIGHLIGHT_BAND,
    MUTED,
    SVG_NAMESPACE,
    TEXT,
    TRACK,
    WHITE,
    axis_decimals,
    axis_scale,
    axis_ticks,
    esc,
    fit,
    num,
    text,
    text_width,
    wrap,
)
from chiso.scoring.document import ResultsDocument
from chiso.scoring.results import NOT_APPLICABLE
from chiso.surveys.intervals import normal_interval
from chiso.vietnamese import nfc, sort_key

WIDTH = 640
PAD = 16

LABELS: dict[str, str] = {  # the charts' words, translated with chiso.i18n.translated
    "domain": gettext_noop("Lĩnh vực"),
    "points": gettext_noop("Điểm"),
    "max": gettext_noop("Điểm tối đa"),
    "mean": gettext_noop("Trung bình"),
    "best": gettext_noop("Cao nhất"),
    "best_units": gettext_noop("Đơn vị cao nhất"),
    "legend_mean": gettext_noop("Trung bình các đơn vị xếp hạng"),
    "legend_best": gettext_noop("Cao nhất trong các đơn vị xếp hạng"),
    "max_unknown": gettext_noop("chưa công bố"),
    "note_unknown": gettext_noop(
        "* Điểm tối đa chưa công bố: thanh được vẽ so với điểm cao nhất của các đơn vị xếp hạng."
    ),
    "note_partly": gettext_noop(
        "† Một phần của lĩnh vực không áp dụng (KAD) cho đơn vị: sau dấu / là điểm tối đa áp "
        "dụng; phần không áp dụng là đoạn viền nét đứt ở cuối thanh."
    ),
    "max_applicable": gettext_noop("{max} (áp dụng: {own})"),
    "na": gettext_noop("KAD"),
    "missing": gettext_noop("thiếu"),
    "domain_title": gettext_noop("{subject}: điểm theo lĩnh vực"),
    "domains_desc": gettext_noop("{count} lĩnh vực, điểm so với điểm tối đa"),
    "means_subject": gettext_noop("Trung bình các đơn vị xếp hạng"),
    "means_title": gettext_noop("Điểm trung bình theo lĩnh vực"),
    "cycle": gettext_noop("Kỳ đánh giá"),
    "index": gettext_noop("Chỉ số (%)"),
    "rank": gettext_noop("Xếp hạng"),
    "rank_label": gettext_noop("hạng {rank}"),
    "history_title": gettext_noop("{subject}: chỉ số qua các kỳ"),
    "history_note": gettext_noop("Chỉ số (%) ghi cạnh mỗi điểm; thứ hạng ghi dưới tên kỳ"),
    "no_data": gettext_noop("không có số liệu: {labels}"),
    "unit": gettext_noop("Đơn vị"),
    "estimate": gettext_noop("Ước lượng"),
    "se": gettext_noop("Sai số chuẩn"),
    "low": gettext_noop("Cận dưới 95%"),
    "high": gettext_noop("Cận trên 95%"),
    "caterpillar_title": gettext_noop("Chỉ số và khoảng tin cậy 95%"),
    "legend_interval": gettext_noop("Ước lượng và khoảng tin cậy 95%"),
    "mean_line": gettext_noop("Trung bình {value}"),
    "sorted": gettext_noop("{count} đơn vị, sắp xếp từ cao xuống thấp"),
    "from_to": gettext_noop("từ {first} ({first_value}) đến {last} ({last_value})"),
    "interval_of": gettext_noop("{unit}: {value}, khoảng tin cậy 95% từ {low} đến {high}"),
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
            return normal_interval(self.value, self.se)
        return None


# --- chart values from a results document ------------------------------------------------


def domain_bars(
    doc: ResultsDocument, framework: Framework, unit: str, lang: str = "vi"
) -> DomainBars:
    """The unit's points per domain with the mean and best of the ranked units."""
    me = unit_record(doc, unit)
    ranked = ranked_units(doc)
    domains = []
    for node in framework.domains:
        stats = domain_stats(ranked, node.code)
        mine = me.points.get(node.code)
        domains.append(
            DomainBar(
                code=node.code,
                name=node.name_in(lang),
                value=finite_number(mine),
                maximum=node.max,
                mean=stats.mean,
                best=stats.best,
                best_units=tuple(sorted(stats.leaders, key=sort_key)),
                applicable=mine != NOT_APPLICABLE,
                applicable_maximum=applicable_maximum(node, me.points),
            )
        )
    return DomainBars(subject=me.unit, domains=tuple(domains))


def domain_means(doc: ResultsDocument, framework: Framework, lang: str = "vi") -> DomainBars:
    """The mean of the ranked units per domain as the bars, with the best as markers."""
    lab = translated(LABELS, lang)
    ranked = ranked_units(doc)
    domains = []
    for node in framework.domains:
        stats = domain_stats(ranked, node.code)
        domains.append(
            DomainBar(
                code=node.code,
                name=node.name_in(lang),
                value=stats.mean,
                maximum=node.max,
                best=stats.best,
                best_units=tuple(sorted(stats.leaders, key=sort_key)),
            )
        )
    return DomainBars(lab["means_subject"], tuple(domains), value_label=lab["mean"])


def history_point(
    doc: ResultsDocument, unit: str, label: str, year: int | None = None
) -> HistoryPoint:
    """The unit's index and rank in one cycle's results (no index when it is absent)."""
    u = doc.find(unit)
    if u is None:
        return HistoryPoint(label, None, None, year)
    return HistoryPoint(label, u.value("index"), u.rank or None, year)


def estimates(doc: ResultsDocument, measure: Literal["index", "total"] = "index") -> list[Estimate]:
    """Every unit with a number and a standard error (``index_se`` or ``total_se``)."""
    out = []
    for u in doc.units:
        value, se = u.value(measure), u.value(f"{measure}_se")
        if value is not None and se is not None:
            out.append(Estimate(u.unit, value, se))
    return out


# --- the frame, the title and the legend --------------------------------------------------


def _svg(kind: str, height: float, title: str, desc: str, body: list[str]) -> str:
    ident = "chiso-" + kind + "-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" width="{WIDTH}" height="{num(height)}" '
        f'viewBox="0 0 {WIDTH} {num(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT_FAMILY}" '
        f'class="chiso-chart chiso-{kind}">'
        f'<title id="{ident}-title">{esc(title)}</title>'
        f'<desc id="{ident}-desc">{esc(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{num(height)}" fill="{WHITE}"/>' + "".join(body) + "</svg>"
    )


def _title(parts: list[str], title: str, y: float) -> float:
    for line in wrap(title, 15, WIDTH - 2 * PAD, bold=True):
        y += 19
        parts.append(text(PAD, y, line, size=15, bold=True))
    return y + 6


def _swatch(kind: str, x: float, y: float) -> str:
    """A legend key 18 px wide, its middle at ``y``."""
    if kind == "bar":
        return f'<rect x="{num(x)}" y="{num(y - 5)}" width="18" height="10" fill="{BAR}"/>'
    if kind == "mean":
        return (
            f'<line x1="{num(x + 9)}" y1="{num(y - 7)}" x2="{num(x + 9)}" y2="{num(y + 7)}" '
            f'stroke="{TEXT}" stroke-width="2"/>'
        )
    if kind == "best":
        return _triangle(x + 9, y + 4, 5)
    if kind == "interval":
        return (
            f'<line x1="{num(x)}" y1="{num(y)}" x2="{num(x + 18)}" y2="{num(y)}" stroke="{BAR}" '
            f'stroke-width="1.5"/><circle cx="{num(x + 9)}" cy="{num(y)}" r="3" fill="{BAR}"/>'
        )
    if kind == "highlight":
        return (
            f'<rect x="{num(x - 2)}" y="{num(y - 7)}" width="22" height="14" '
            f'fill="{HIGHLIGHT_BAND}"/><line x1="{num(x)}" y1="{num(y)}" x2="{num(x + 18)}" '
            f'y2="{num(y)}" stroke="{ACCENT}" stroke-width="2.5"/>'
            f'<circle cx="{num(x + 9)}" cy="{num(y)}" r="4" fill="{ACCENT}"/>'
        )
    # "dashed": the mean as a reference line
    return (
        f'<line x1="{num(x + 9)}" y1="{num(y - 7)}" x2="{num(x + 9)}" y2="{num(y + 7)}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )


def _triangle(x: float, tip_y: float, half: float, cls: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    return (
        f'<polygon points="{num(x - half)},{num(tip_y - 1.6 * half)} {num(x + half)},'
        f'{num(tip_y - 1.6 * half)} {num(x)},{num(tip_y)}" fill="{ACCENT}"{attrs}/>'
    )


def _legend(parts: list[str], items: list[tuple[str, str]], y: float) -> float:
    """Keys and their labels in rows, wrapped at the chart's width; returns the next y."""
    x = float(PAD)
    y += 14
    parts.append('<g class="legend">')
    for kind, label in items:
        label = fit(label, 12, WIDTH - 2 * PAD - 24)
        width = 24 + text_width(label, 12) + 18
        if x > PAD and x + width > WIDTH - PAD:
            x, y = float(PAD), y + 20
        parts.append(_swatch(kind, x, y - 4))
        parts.append(text(x + 24, y, label, size=12))
        x += width
    parts.append("</g>")
    return y + 10


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
    lab = translated(LABELS, lang)

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
        parts.append(f'<g class="domain" data-code="{esc(d.code)}">')
        for line in wrap(f"{d.code}. {d.name}", 12, WIDTH - 2 * PAD):
            y += 16
            parts.append(text(PAD, y, line, size=12))
        top = y + 13
        parts.append(
            f'<rect class="track" x="{PAD}" y="{num(top)}" width="{num(track_w)}" height="14" '
            f'fill="{TRACK}"/>'
        )
        if d.applicable_maximum is not None and scale is not None and d.applicable:
            start = PAD + track_w * _share(d.applicable_maximum, scale)
            parts.append(
                f'<rect class="not-applicable" x="{num(start)}" y="{num(top + 0.5)}" '
                f'width="{num(PAD + track_w - start - 0.5)}" height="13" fill="{WHITE}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
        if d.value is not None and scale is not None:
            parts.append(
                f'<rect class="bar" data-value="{num(d.value)}" x="{PAD}" y="{num(top)}" '
                f'width="{num(track_w * _share(d.value, scale))}" height="14" fill="{BAR}"/>'
            )
        if d.mean is not None and scale is not None:
            x = PAD + track_w * _share(d.mean, scale)
            parts.append(
                f'<line x1="{num(x)}" y1="{num(top - 3)}" x2="{num(x)}" y2="{num(top + 17)}" '
                f'stroke="{WHITE}" stroke-width="4"/><line class="mean" x1="{num(x)}" '
                f'y1="{num(top - 3)}" x2="{num(x)}" y2="{num(top + 17)}" stroke="{TEXT}" '
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
        parts.append(text(WIDTH - PAD, top + 11.5, shown, size=12, anchor="end", cls="value"))
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
            parts.append(text(PAD, y, line, size=11, fill=MUTED, cls="note"))
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
    lab = translated(LABELS, lang)

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
    note: str = "",
) -> str:
    """The index across cycles as a line with points, the index above each point and the rank
    below; a cycle without an index, or a year without a cycle, breaks the line. ``note``
    replaces the line under the title that says what the values are (the default says %: a
    series in points, as PAPI's, says its own scale)."""
    lab = translated(LABELS, lang)

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    title = title or lab["history_title"].format(subject=subject or "—")
    ticks_x, placed = _slots(points)
    parts: list[str] = []
    y = float(PAD) - 6
    if show_title:
        y = _title(parts, title, y)
    y += 14
    parts.append(text(PAD, y, note or lab["history_note"], size=11, fill=MUTED, cls="note"))
    values = [p.index for _, p in placed if p.index is not None]
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    lo, hi, step = axis_scale(low, high, 4)
    if low - lo < 0.6 * step:  # room for a label under the lowest point
        lo -= step
    decimals = axis_decimals(step)
    left, right = PAD + 44, WIDTH - PAD - 8
    top, bottom = y + 30, y + 30 + 190
    slot_w = (right - left) / max(len(ticks_x), 1)

    def px(slot: int) -> float:
        return left + slot_w * (slot + 0.5)

    def py(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    for tick in axis_ticks(lo, hi, step):
        parts.append(
            f'<line x1="{num(left)}" y1="{num(py(tick))}" x2="{num(right)}" y2="{num(py(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            text(left - 6, py(tick) + 4, format_number(tick, lang, decimals), 11, "end", MUTED)
        )
    every = max(1, math.ceil(40 / slot_w))
    ranks = {slot: p.rank for slot, p in placed if p.rank and p.index is not None}
    for i, label in enumerate(ticks_x):
        if i % every == 0 or i == len(ticks_x) - 1:
            parts.append(text(px(i), bottom + 18, fit(label, 11, slot_w * every), 11, "middle"))
        if i in ranks:
            rank = lab["rank_label"].format(rank=ranks[i])
            parts.append(text(px(i), bottom + 33, rank, 10.5, "middle", MUTED, cls="rank"))
    parts.append(
        f'<line x1="{num(left)}" y1="{num(bottom)}" x2="{num(right)}" y2="{num(bottom)}" '
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
                f"{'M' if i == 0 else 'L'}{num(x)},{num(y)}" for i, (x, y, _) in enumerate(run)
            )
            parts.append(
                f'<path class="line" d="{path}" fill="none" stroke="{BAR}" stroke-width="2.5"/>'
            )
    for run in runs:
        for i, (x, y, p) in enumerate(run):
            parts.append(
                f'<circle class="point" data-label="{esc(p.label)}" cx="{num(x)}" cy="{num(y)}" '
                f'r="4.5" fill="{BAR}" stroke="{WHITE}" stroke-width="1.5"/>'
            )
            # the label where the line is not: above a peak, below a trough, beside a slope
            before = run[i - 1][1] if i > 0 else None
            after = run[i + 1][1] if i + 1 < len(run) else None
            value = n(p.index)
            if (before is None or before >= y) and (after is None or after >= y):
                parts.append(text(x, y - 10, value, 11, "middle", bold=True, cls="value"))
            elif (before is None or before <= y) and (after is None or after <= y):
                parts.append(text(x, y + 20, value, 11, "middle", bold=True, cls="value"))
            elif before is not None and before > y:  # rising: the upper left is free
                parts.append(text(x - 7, y - 7, value, 11, "end", bold=True, cls="value"))
            else:  # falling: the upper right is free
                parts.append(text(x + 7, y - 7, value, 11, "start", bold=True, cls="value"))
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
    lab = translated(LABELS, lang)
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
    lab = translated(LABELS, lang)

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
        keys.append(("highlight", str(highlight)))
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
    lo, hi, step = axis_scale(low, high, 5)
    decimals = axis_decimals(step)

    def px(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (right - left)

    top = y + 4
    bottom = top + row_h * len(rows)
    for tick in axis_ticks(lo, hi, step):
        parts.append(
            f'<line x1="{num(px(tick))}" y1="{num(top)}" x2="{num(px(tick))}" y2="{num(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            text(px(tick), bottom + 15, format_number(tick, lang, decimals), 10.5, "middle", MUTED)
        )
    parts.append(
        f'<line x1="{num(left)}" y1="{num(bottom)}" x2="{num(right)}" y2="{num(bottom)}" '
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
            f'<g class="row" data-unit="{esc(e.unit)}"'
            + (' data-highlight="true"' if is_marked else "")
            + f"><title>{esc(e.unit)}: {esc(shown)}</title>"
        )
        if is_marked:
            parts.append(
                f'<rect x="{PAD - 4}" y="{num(middle - row_h / 2)}" width="{WIDTH - 2 * PAD + 8}" '
                f'height="{row_h}" fill="{HIGHLIGHT_BAND}"/>'
            )
        name = fit(e.unit, size, names_w - 10, bold=is_marked)
        parts.append(
            text(
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
                f'<line class="interval" x1="{num(px(interval[0]))}" y1="{num(middle)}" '
                f'x2="{num(px(interval[1]))}" y2="{num(middle)}" stroke="{colour}" '
                f'stroke-width="{2.5 if is_marked else 1.5}"/>'
            )
        parts.append(
            f'<circle class="estimate" cx="{num(px(e.value))}" cy="{num(middle)}" '
            f'r="{4 if is_marked else 3}" fill="{colour}"/>'
        )
        parts.append(
            text(
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
            f'<line class="mean" x1="{num(px(mean))}" y1="{num(top - 4)}" x2="{num(px(mean))}" '
            f'y2="{num(bottom)}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
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
    lab = translated(LABELS, lang)

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
