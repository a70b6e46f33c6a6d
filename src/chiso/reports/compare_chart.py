"""Several series across the years in one accessible SVG chart: the provinces a comparison page
puts side by side, and the published regional means beside them.

Each series has its own colour and its own marker shape (circle, square, triangle, diamond), so
no series is told apart by colour alone; a regional mean is a dashed line with hollow markers. A
year without a value breaks a series' line. The chart carries a ``<title>`` and a ``<desc>``
listing every value; the page prints the same figures as a table beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from chiso.numbers import format_number
from chiso.reports.svg import (
    FONT_FAMILY,
    GRID,
    MUTED,
    SVG_NAMESPACE,
    WHITE,
    axis_decimals,
    axis_scale,
    axis_ticks,
    esc,
    fit,
    num,
    text,
    text_width,
)

WIDTH, PAD = 640, 16
COLOURS = ("#1f5f99", "#a63f00", "#2e7d32", "#6a1b9a", "#4d4d4d", "#00695c")
"""Line colours, each with at least 4.5:1 contrast on white."""
SHAPES = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Series:
    label: str
    values: dict[int, float | None]  # year: value (None: no single value that year)
    reference: bool = False  # a published mean: dashed, hollow markers


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = WHITE if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        return f'<rect x="{num(x - 4)}" y="{num(y - 4)}" width="8" height="8" {style}/>'
    if shape == "triangle":
        return (
            f'<polygon points="{num(x)},{num(y - 5)} {num(x + 5)},{num(y + 4)} '
            f'{num(x - 5)},{num(y + 4)}" {style}/>'
        )
    if shape == "diamond":
        return (
            f'<polygon points="{num(x)},{num(y - 5)} {num(x + 5)},{num(y)} {num(x)},{num(y + 5)} '
            f'{num(x - 5)},{num(y)}" {style}/>'
        )
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="4" {style}/>'


def compare_svg(
    series: Sequence[Series],
    years: Sequence[int],
    lang: str,
    *,
    title: str,
    note: str,
    precision: int = 2,
) -> str:
    """The chart (module docstring); ``note`` says what the values are (%, or points)."""
    parts: list[str] = []
    y = float(PAD) + 13
    parts.append(text(PAD, y, fit(title, 15, WIDTH - 2 * PAD, bold=True), size=15, bold=True))
    y += 18
    parts.append(text(PAD, y, fit(note, 11, WIDTH - 2 * PAD), size=11, fill=MUTED, cls="note"))
    # legend: a key per series, wrapped at the chart's width
    x = float(PAD)
    y += 20
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        label = fit(s.label, 12, WIDTH - 2 * PAD - 40)
        width = 30 + text_width(label, 12) + 16
        if x > PAD and x + width > WIDTH - PAD:
            x, y = float(PAD), y + 18
        dash = ' stroke-dasharray="5 3"' if s.reference else ""
        parts.append(
            f'<line x1="{num(x)}" y1="{num(y - 4)}" x2="{num(x + 24)}" y2="{num(y - 4)}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts.append(_marker(SHAPES[i % len(SHAPES)], x + 12, y - 4, colour, s.reference))
        parts.append(text(x + 30, y, label, size=12))
        x += width
    values = [v for s in series for v in s.values.values() if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    lo, hi, step = axis_scale(low, high, 4)
    decimals = axis_decimals(step)
    left, right = PAD + 44, WIDTH - PAD - 8
    top, bottom = y + 20, y + 20 + 200
    slots = list(range(min(years), max(years) + 1)) if years else []
    slot_w = (right - left) / max(len(slots), 1)

    def px(year: int) -> float:
        return left + slot_w * (slots.index(year) + 0.5)

    def py(value: float) -> float:
        return bottom - (value - lo) / ((hi - lo) or 1.0) * (bottom - top)

    for tick in axis_ticks(lo, hi, step):
        parts.append(
            f'<line x1="{num(left)}" y1="{num(py(tick))}" x2="{num(right)}" y2="{num(py(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            text(left - 6, py(tick) + 4, format_number(tick, lang, decimals), 11, "end", MUTED)
        )
    every = max(1, -(-36 // max(int(slot_w), 1)))
    for i, year in enumerate(slots):
        if i % every == 0 or i == len(slots) - 1:
            parts.append(text(px(year), bottom + 18, str(year), 11, "middle"))
    parts.append(
        f'<line x1="{num(left)}" y1="{num(bottom)}" x2="{num(right)}" y2="{num(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    about = []
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="5 3"' if s.reference else ""
        run: list[tuple[float, float]] = []
        runs: list[list[tuple[float, float]]] = []
        for year in slots:
            v = s.values.get(year)
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append((px(year), py(v)))
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                d = " ".join(
                    f"{'M' if k == 0 else 'L'}{num(a)},{num(b)}" for k, (a, b) in enumerate(r)
                )
                parts.append(
                    f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
                )
            for a, b in r:
                parts.append(_marker(SHAPES[i % len(SHAPES)], a, b, colour, s.reference))
        shown = [
            f"{year}: {format_number(v, lang, precision)}"
            for year, v in sorted(s.values.items())
            if v is not None
        ]
        about.append(f"{s.label}: " + ("; ".join(shown) if shown else "—"))
    height = bottom + 30 + PAD
    desc = f"{title}. {note}. " + ". ".join(about) + "."
    ident = "chiso-compare-" + hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" width="{WIDTH}" height="{num(height)}" '
        f'viewBox="0 0 {WIDTH} {num(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT_FAMILY}" '
        f'class="chiso-chart chiso-compare">'
        f'<title id="{ident}-title">{esc(title)}</title>'
        f'<desc id="{ident}-desc">{esc(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{num(height)}" fill="{WHITE}"/>' + "".join(parts) + "</svg>"
    )
