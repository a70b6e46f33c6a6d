"""Rounding, printing and reading numbers the way published tables do.

One rounding rule serves both display and ranking, so two units that print the same value
always share a rank: half away from zero at the published precision, applied to the decimal
value a person would read (``91.865`` → ``91.87``), not to its binary approximation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def round_half_up_array(values: npt.NDArray[np.float64], decimals: int) -> npt.NDArray[np.float64]:
    """Round half up at ``decimals`` places; NaN stays NaN.

    The scaled value is first rounded to 6 places to undo binary error (91.865 × 100 is
    9186.499999999998 in floating point), then rounded half up.
    """
    scale = 10.0**decimals
    scaled = np.round(values * scale, 6)
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale


def round_half_up(value: float, decimals: int) -> float:
    """:func:`round_half_up_array` for one number, in Python floats: the same operations in
    the same order (NumPy's ``round`` to 6 places multiplies by 10⁶, rounds half to even and
    divides), so the same result, without building an array for every number printed."""
    scale = 10.0**decimals
    micro = value * scale * 1e6
    if not math.isfinite(micro):  # NaN, or too large for an integer: NumPy's own way
        return float(round_half_up_array(np.asarray([value], dtype=np.float64), decimals)[0])
    scaled = round(micro) / 1e6
    magnitude = float(math.floor(abs(scaled) + 0.5))
    signed = magnitude if scaled > 0 else -magnitude if scaled < 0 else 0.0
    return signed / scale


def format_number(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """``91,87`` in Vietnamese, ``91.87`` in English; empty for a missing value.

    No thousands separator: index tables print points and percentages, and a separator would
    make ``1.234`` ambiguous to a Vietnamese reader.
    """
    if value is None or value != value:
        return ""
    text = f"{round_half_up(value, decimals):.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if lang == "vi" else text


def format_numbers(
    values: Sequence[float | None], lang: str = "vi", decimals: int = 2
) -> list[str]:
    """:func:`format_number` of each value, rounded for all of them at once: the same texts,
    sooner for a long column (a national survey's table has tens of thousands of numbers, and
    rounding them one by one was a third of the time to write it)."""
    array = np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # huge values: inf, as one by one
        rounded = round_half_up_array(array, decimals).tolist()
    out = []
    for value, shown in zip(array.tolist(), rounded, strict=True):
        if value != value:
            out.append("")
            continue
        text = f"{shown:.{decimals}f}"
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        out.append(text.replace(".", ",") if lang == "vi" else text)
    return out


def format_short(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """:func:`format_number` without trailing zeros, as people write a target or a maximum:
    ``92,55`` stays, ``90,00`` is ``90``, ``4,50`` is ``4,5``."""
    text = format_number(value, lang, decimals)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return text


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class NotANumber(ValueError):
    """The text is not a number in any notation chiso reads."""


def parse_decimal(
    text: str, *, decimal_comma: bool = True, spaces_inside: bool = False
) -> float | None:
    """Read a number as a person typed it: ``91,87`` or ``91.87``; ``None`` for empty text.

    The one reader of a decimal comma, beside :func:`format_number` that prints it. Spaces
    around the number are ignored; spaces inside it (a thin or non-breaking one too) only with
    ``spaces_inside`` (score-input files have always allowed ``1 000``-like cells), because on a
    form "1 5" is more likely a slip for 1,5 than fifteen. With ``decimal_comma=False`` a comma is
    refused, for files whose notation has been declared. There are no thousands separators:
    ``1.234`` is one point two three four, as :func:`format_number` prints it.
    """
    compact = "".join(text.split()) if spaces_inside else text.strip()
    if not compact:
        return None
    if "," in compact:
        if not decimal_comma or compact.count(",") > 1 or "." in compact:
            raise NotANumber(text)
        compact = compact.replace(",", ".")
    if not _DECIMAL.fullmatch(compact):  # float() would also take 1_000, nan and inf
        raise NotANumber(text)
    value = float(compact)
    if value in (float("inf"), float("-inf")):  # 1e999: too large to be a score
        raise NotANumber(text)
    return value


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def format_date(value: object, lang: str = "vi") -> str:
    """A day or a month as the reader writes it: ``30/06/2026`` and ``07/2025`` in Vietnamese,
    ISO ``2026-06-30`` and ``2025-07`` in English (the project's English pages write ISO dates).

    ``value`` is a ``date``/``datetime`` or its ISO text (``2026-06-30``, ``2025-07``); any
    other text (a year, a free-form date from a source) is returned as it is."""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")
    if lang != "vi":
        return text
    day = _ISO_DAY.match(text)
    if day is not None and len(text) == 10:
        return f"{day[3]}/{day[2]}/{day[1]}"
    month = _ISO_MONTH.match(text)
    if month is not None:
        return f"{month[2]}/{month[1]}"
    return text
