"""Scoring levels as a decision writes them under a sub-criterion, read into a leaf's rule.

An annex gives a sub-criterion's levels as lines starting with "-" or "+", each with its
points at the end of the text or in the points column of its own row::

    1.1  Ban hành kế hoạch CCHC năm                              1
         - Ban hành đúng thời gian: 1
         - Ban hành chậm: 0,5 điểm
         - Không ban hành: 0

Such lines are not criteria (they have no outline number and their points are not part of
any sum): they are the leaf's scoring rule. Lines naming ranges of a rate (``Từ 80% đến dưới
100%``) become ``bands`` over [0, 100]; other lines become ``choice`` options; a line that
takes points off for each fault (``trừ 0,5 điểm cho mỗi văn bản chậm``) becomes a
``deduction`` when it is the leaf's only rule. Everything here is pure text → values: the
table reader (:mod:`chiso.tables.criteria_tables`) says which row a line came from and
reports the problems found here with that row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chiso.numbers import NotANumber, parse_decimal
from chiso.vietnamese import nfc

MARKERS = {"-": "-", "–": "-", "—": "-", "+": "+", "•": "-"}
"""The first character of a level line, and the marker it counts as (a dash typed as an en
dash or a bullet is the same list as a hyphen)."""

RATE_RANGE = (0.0, 100.0)
"""The range a rate's bands must cover, as percentages."""

TAIL = 120
"""How much of a level's end is searched for its points, and (``HEAD``) of its start for a
rate's range: a level is a short line, and the patterns backtrack over a run of digits, so a
cell of 8,000 digits searched whole cost 24 s."""
HEAD = 300

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_POINTS_AT_END = re.compile(
    r"(?P<sep>[:=]|\bđược\b|\bđạt\b|\bcho\b|\bghi\b)?\s*(?P<open>\()?\s*"
    + _NUMBER
    + r"\s*(?P<unit>điểm|đ)?\s*\)?\s*[.;,]?\s*$",
    re.IGNORECASE,
)
_PENALTY = re.compile(r"\btrừ\s*(?:đi\s*)?" + _NUMBER + r"\s*(?:điểm|đ)?", re.IGNORECASE)
_PERCENT = _NUMBER + r"\s*%"
_TO = r"\s*(?:đến|-|–|tới)\s*"
_RANGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:trên|>)\s*" + _PERCENT + _TO + r"(?:dưới|<)\s*" + _PERCENT), "()"),
    (re.compile(r"(?:trên|>)\s*" + _PERCENT + _TO + _PERCENT), "(]"),
    (re.compile(r"(?:từ\s*)?" + _PERCENT + _TO + r"(?:dưới|<)\s*" + _PERCENT), "[)"),
    (re.compile(r"(?:từ\s*)?" + _PERCENT + _TO + _PERCENT), "[]"),
    (re.compile(r"(?:dưới|<|nhỏ hơn|thấp hơn)\s*" + _PERCENT), ")"),
    (re.compile(r"(?:từ|≥|>=|tối thiểu)\s*" + _PERCENT), "["),
    (re.compile(_PERCENT + r"\s*trở lên"), "["),
    (re.compile(r"(?:trên|>|lớn hơn|cao hơn)\s*" + _PERCENT), "("),
    (re.compile(_PERCENT), "="),
)
"""How levels name a range of a rate, most specific first: ``[`` a bound included, ``(`` one
excluded, ``=`` one exact rate."""


def marker_of(line: str) -> tuple[str, str] | None:
    """(marker, the rest) of a level line, or None for a line that is not one. A "-" before
    a digit is a negative number, not a marker."""
    text = line.strip()
    if len(text) < 2 or text[0] not in MARKERS:
        return None
    rest = text[1:].strip()
    if not rest or (text[0] == "-" and text[1].isdigit()):
        return None
    return MARKERS[text[0]], rest


def _number(text: str) -> float | None:
    try:
        return parse_decimal(text)
    except NotANumber:
        return None


def points_at_end(text: str) -> tuple[str, float | None]:
    """(the text without them, the points) of a level written ``…: 1``, ``… 0,5 điểm``,
    ``… (1 điểm)``, ``… được 0,25 điểm``; (text, None) where the end is not points. Points
    need a separator or the word *điểm* before or after them, so that ``… trong quý 1`` keeps
    its 1."""
    start = max(0, len(text) - TAIL)
    match = _POINTS_AT_END.search(text, start)
    if match is None or not (match.group("sep") or match.group("unit") or match.group("open")):
        return text, None
    value = _number(match.group(3))
    if value is None:
        return text, None
    label = text[: match.start()].rstrip(" :=-–,;")
    return (label or text), value


def penalty_of(text: str) -> tuple[float, bool] | None:
    """(points taken off, whether for each fault) of a penalty line, else None."""
    match = _PENALTY.search(text[:HEAD])
    if match is None:
        return None
    value = _number(match.group(1))
    if value is None:
        return None
    return value, "mỗi" in text.casefold()


@dataclass(frozen=True)
class RateRange:
    """[low, below) of a level over a rate; ``reason`` says why it cannot be a band."""

    low: float | None = None
    below: float | None = None
    reason: str = ""


def rate_range(text: str) -> RateRange | None:
    """The range of a rate a level names (None when it names none): bands include their
    lower bound and exclude their upper one, so only ``từ X% đến dưới Y%``, ``dưới Y%``,
    ``từ X% trở lên`` and the top of the range (``100%``, ``đến 100%``) say a band exactly;
    ``trên X%`` (X excluded) or ``đến Y%`` (Y included) below the top is ambiguous."""
    key = nfc(text[:HEAD]).casefold()
    top = RATE_RANGE[1]
    for pattern, shape in _RANGES:
        match = pattern.search(key)
        if match is None:
            continue
        values = [_number(g) for g in match.groups()]
        if any(v is None for v in values):
            return RateRange(reason="number")
        low = values[0]
        if shape == "[)":
            return RateRange(low, values[1])
        if shape in ("[]", "(]", "()"):
            high = values[1]
            if shape[0] == "(":
                return RateRange(reason="open_low")
            if high is not None and high >= top:
                return RateRange(low, None)
            return RateRange(reason="closed_high")
        if shape == ")":
            return RateRange(RATE_RANGE[0], low)
        if shape == "[":
            return RateRange(low, None)
        if shape == "(":
            return RateRange(reason="open_low")
        if low is not None and low >= top:  # "=": one exact rate: only the top is a band
            return RateRange(low, None)
        return RateRange(reason="exact")
    return None


@dataclass
class LevelLine:
    """One line of a leaf's levels, as read: where it came from and what it says."""

    row: int
    marker: str
    text: str  # the label: without the marker and without points at its end
    raw: str
    points: float | None = None
    penalty: tuple[float, bool] | None = None


def read_line(raw: str, row: int, column_points: float | None = None) -> LevelLine | None:
    """The level line ``raw`` of row ``row`` (``column_points``: the points column of its own
    row), or None where ``raw`` is not a level line. A conflict between points in the text
    and in the column is left to the caller (the text keeps its points in ``raw``)."""
    found = marker_of(raw)
    if found is None:
        return None
    marker, rest = found
    rest = " ".join(nfc(rest).split())
    penalty = penalty_of(rest)
    if penalty is not None:
        return LevelLine(row, marker, rest, raw, None, penalty)
    label, points = points_at_end(rest)
    return LevelLine(row, marker, label, raw, points)


@dataclass
class Levels:
    """What a leaf's level lines give: its rule (as the framework file writes it), its best
    points, the lines kept as guidance, and the problems found, each ``(rule, row, params)``."""

    rule: dict[str, Any] | None = None
    best: float | None = None
    guidance: list[str] = field(default_factory=list)
    problems: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)


def _fmt(value: float) -> str:
    return f"{value:g}"


def levels_rule(lines: list[LevelLine], leaf_max: float | None) -> Levels:
    """The rule that ``lines`` (a leaf's level lines, in order) give. Lines without points
    are guidance (a heading over ``+`` lines, an explanation) unless other lines of the same
    marker have points: then the level is ambiguous and reported.

    Several levels are a ``choice`` (or ``bands`` when they are ranges of a rate). One level
    alone (``- Có sáng kiến được công nhận: 1``) is met or not: ``yes_no``. Per-fault
    penalties of one amount (``trừ 0,5 điểm cho mỗi …``) are a ``deduction`` from the
    maximum when there is nothing else to score by, or beside one level (the full mark they
    are taken from); beside several levels, with several amounts, or not per fault, they
    stay guidance, since a leaf has one rule. The lines of a ``yes_no`` or a ``deduction``
    are kept in the guidance too: the rule does not carry their words."""
    out = Levels()
    scored = [ln for ln in lines if ln.points is not None]
    penalties = [ln for ln in lines if ln.penalty is not None]
    scored_markers = {ln.marker for ln in scored}
    for ln in lines:
        if ln.points is None and ln.penalty is None:
            if ln.marker in scored_markers:
                out.problems.append(("table.level_no_points", ln.row, {"line": ln.raw[:80]}))
            else:
                out.guidance.append(ln.raw.strip())
    amounts = {p.penalty[0] for p in penalties if p.penalty is not None}
    per_fault = bool(penalties) and len(amounts) == 1
    per_fault = per_fault and all(p.penalty is not None and p.penalty[1] for p in penalties)
    single = len(scored) == 1 and rate_range(scored[0].text) is None
    if not scored or (single and (per_fault or not penalties)):
        out.best = scored[0].points if scored else None
        out.guidance += [ln.raw.strip() for ln in lines if ln in scored or ln in penalties]
        if per_fault:
            out.rule = {"kind": "deduction", "per_item": _plain(amounts.pop())}
            if leaf_max is None and out.best is None:
                out.problems.append(
                    ("table.level_deduction_no_max", penalties[0].row, {"line": penalties[0].raw})
                )
        elif scored:
            out.rule = {"kind": "yes_no"}
        return out
    out.guidance += [p.raw.strip() for p in penalties]
    ranges = [(ln, rate_range(ln.text)) for ln in scored]
    with_range = [(ln, r) for ln, r in ranges if r is not None]
    out.best = max(ln.points for ln in scored if ln.points is not None)
    if not with_range:
        out.rule = _choice(scored, out)
    elif len(with_range) < len(scored):
        first = next(ln for ln, r in ranges if r is None)
        out.problems.append(("table.level_mixed", first.row, {"line": first.raw[:80]}))
    else:
        out.rule = _bands(with_range, out)
    return out


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _choice(scored: list[LevelLine], out: Levels) -> dict[str, Any] | None:
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ln in scored:
        key = ln.text.casefold()
        if key in seen:
            out.problems.append(("table.level_duplicate", ln.row, {"line": ln.raw[:80]}))
            continue
        seen.add(key)
        assert ln.points is not None
        options.append({"value": ln.text, "name_vi": ln.text, "points": _plain(ln.points)})
    return {"kind": "choice", "options": options}


def _bands(with_range: list[tuple[LevelLine, RateRange]], out: Levels) -> dict[str, Any] | None:
    """Bands over [0, 100] from the levels' ranges; a range that cannot be a band, two that
    overlap, or a rate no level covers is reported on the row of the line concerned."""
    low_end, high_end = RATE_RANGE
    spans: list[tuple[float, float, LevelLine]] = []
    for ln, rng in with_range:
        if rng.reason:
            out.problems.append((f"table.level_range_{rng.reason}", ln.row, {"line": ln.raw[:80]}))
            continue
        low = low_end if rng.low is None else rng.low
        high = float("inf") if rng.below is None else rng.below
        if low >= high:
            out.problems.append(("table.level_range_empty", ln.row, {"line": ln.raw[:80]}))
            continue
        spans.append((low, high, ln))
    if len(spans) < len(with_range):
        return None
    spans.sort(key=lambda s: (s[0], s[1]))
    reach = low_end
    ok = True
    for index, (low, high, ln) in enumerate(spans):
        if index and low < reach:
            previous = spans[index - 1][2]
            out.problems.append(
                ("table.level_overlap", ln.row, {"line": ln.raw[:80], "other": previous.raw[:80]})
            )
            ok = False
        elif low > reach:
            out.problems.append(
                ("table.level_gap", ln.row, {"low": _fmt(reach), "high": _fmt(low)})
            )
            ok = False
        reach = max(reach, high)
    if reach < high_end:
        out.problems.append(
            ("table.level_gap", spans[-1][2].row, {"low": _fmt(reach), "high": _fmt(high_end)})
        )
        ok = False
    elif reach == high_end:  # every band ends below the top: a full rate scores nothing
        top = max(spans, key=lambda s: s[1])[2]
        out.problems.append(("table.level_top", top.row, {"high": _fmt(high_end)}))
        ok = False
    if not ok:
        return None
    bands: list[dict[str, Any]] = []
    for low, high, ln in sorted(spans, key=lambda s: -s[0]):
        band: dict[str, Any] = {"code": ln.text, "min": _plain(low)}
        if high != float("inf"):
            band["below"] = _plain(high)
        assert ln.points is not None
        band["points"] = _plain(ln.points)
        bands.append(band)
    return {"kind": "bands", "range": [_plain(low_end), _plain(high_end)], "bands": bands}
