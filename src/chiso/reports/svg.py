"""The pieces every SVG drawing of chiso is made of: escaping, numbers in coordinates, text and
its estimated width, round axis steps, and colours with their contrast.

The charts (:mod:`.charts`), the tile map (:mod:`.tilemap`) and the choropleth
(:mod:`.choropleth`) all write SVG by hand, as strings: no drawing library to install, and
output that stays byte-for-byte the same for the same input (the reports embed it, the tests
read it). What they share lives here, so that a name is escaped, a coordinate printed and a
text colour chosen the same way in every drawing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from html import escape

from chiso.vietnamese import nfc

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_FAMILY = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"

# colours: every text colour has a contrast of at least 4.5:1 on WHITE and on HIGHLIGHT_BAND
WHITE = "#ffffff"
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
BAR = "#1f5f99"
ACCENT = "#a63f00"
TRACK = "#e4e8ee"
GRID = "#d5dae1"
HIGHLIGHT_BAND = "#fcebdc"
NO_DATA = "#7b7b7b"
"""The grey of a unit without a value on a map: "no data", never a guess."""

# --- text and numbers ----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def esc(value: object) -> str:
    """``value`` as text or an attribute value in SVG: markup escaped, and the control
    characters XML 1.0 forbids dropped (a name pasted from a spreadsheet may carry one, and a
    single one would make the whole image unreadable)."""
    return escape(_CONTROL.sub("", str(value)), quote=True)


def num(value: float) -> str:
    """A coordinate or a length: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
    cls: str = "",
) -> str:
    """A ``<text>`` element at (x, y), its content escaped."""
    attrs = f' class="{cls}"' if cls else ""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" '
        f'text-anchor="{anchor}" fill="{fill}"{weight}{attrs}>{esc(content)}</text>'
    )


def labelled_svg(view_box: str, title: str, cls: str = "") -> str:
    """The opening of a standalone image named by its title (``role="img"``, ``aria-label``
    and a ``<title>`` element): the maps' frame; close it with ``</svg>``."""
    attrs = f' class="{cls}"' if cls else ""
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="{view_box}" role="img" '
        f'aria-label="{esc(title)}"{attrs}><title>{esc(title)}</title>'
    )


_NARROW = set(" .,:;'|!()[]ilIjtf-")
_WIDE = set("mwMW")


def text_width(content: str, size: float, bold: bool = False) -> float:
    """An estimate of the rendered width in Noto Sans (enough to wrap and to place labels)."""
    width = 0.0
    for ch in nfc(content):
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


def wrap(content: str, size: float, width: float, bold: bool = False) -> list[str]:
    """``content`` broken between words into lines no wider than ``width`` (a single word
    wider than that stays whole on its own line)."""
    lines: list[str] = []
    line = ""
    for word in content.split():
        candidate = f"{line} {word}" if line else word
        if not line or text_width(candidate, size, bold) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines or [""]


def fit(content: str, size: float, width: float, bold: bool = False) -> str:
    """``content`` cut with an ellipsis where it would be wider than ``width``."""
    if text_width(content, size, bold) <= width:
        return content
    while content and text_width(content + "…", size, bold) > width:
        content = content[:-1]
    return content.rstrip() + "…"


# --- axes ----------------------------------------------------------------------------------


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def axis_scale(low: float, high: float, target: int = 5) -> tuple[float, float, float]:
    """Axis limits on round numbers around [low, high], and the step between ticks (1, 2,
    2.5 or 5 times a power of ten, for about ``target`` steps)."""
    if not high > low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, target)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def axis_decimals(step: float) -> int:
    """The decimals a tick label needs to show ``step`` exactly (at most four)."""
    for decimals in range(4):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 4


def axis_ticks(low: float, high: float, step: float) -> list[float]:
    """The ticks from ``low`` to ``high`` inclusive, ``step`` apart."""
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


# --- colours -------------------------------------------------------------------------------


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (AA asks 4.5 for normal text)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text(background: str) -> str:
    """Black or white text, whichever contrasts more with ``background`` (``#rrggbb``). Pure
    black and white, because only they guarantee WCAG AA's 4.5:1 on every background (the worst,
    a mid grey, still gets 4.58:1; the page's softer #1b1b1b gave 4.07:1 on the maps' grey)."""
    return max(("#000000", "#ffffff"), key=lambda c: contrast_ratio(c, background))
