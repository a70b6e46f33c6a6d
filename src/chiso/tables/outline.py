"""Outline numbers as provinces print them, turned into chiso's dotted codes.

A criteria table numbers its rows in one of two styles: dotted (``1``, ``1.1``, ``1.1.1``) or
by kind (``I`` for a domain, ``1`` for a criterion, ``a`` for a sub-criterion, sometimes ``1.1``
below ``1``). Either way a node's code is the dotted path of its positions among its siblings
(``I`` → ``1``, ``II.3.b`` → ``2.3.2``), so a framework file reads the same whichever style the
decision used. The printed numbers are checked on the way: a repeated or skipped number, or a
row whose parent is missing, is a problem of the table, not something to guess around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN = re.compile(r"^[IVXLC]+$")
DOTTED = re.compile(r"^\d+(\.\d+)*$")
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
"""Letters of a Vietnamese list in order (a, b, c, d, đ, e, g…: no f, j, w, z)."""
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MAX_LEVELS = 10
"""The deepest an outline may go: real criteria tables go four or five levels down (domain,
criterion, sub-criterion, indicator, and sometimes lettered items). A deeper one is refused
at its first too-deep row, so that nothing built from the outline recurses without bound."""


def roman_value(text: str) -> int | None:
    """The value of an upper-case Roman numeral written the usual way, else None."""
    if not ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total if total > 0 and to_roman(total) == text else None


def to_roman(number: int) -> str:
    parts = []
    for value, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts)


@dataclass(frozen=True)
class Printed:
    """An outline number as printed: its kind (``roman``, ``arabic``, ``letter``) and parts."""

    kind: str
    parts: tuple[int, ...]
    text: str

    @property
    def last(self) -> int:
        return self.parts[-1]


def parse_printed(raw: str) -> Printed | None:
    """``II``, ``1.2``, ``1.2.``, ``a)``, ``đ.`` → a :class:`Printed`; anything else → None."""
    text = raw.strip().rstrip(".)").strip()
    if not text:
        return None
    value = roman_value(text)
    if value is not None:
        return Printed("roman", (value,), text)
    if DOTTED.match(text):
        return Printed("arabic", tuple(int(p) for p in text.split(".")), text)
    if len(text) == 1 and text in VIETNAMESE_LETTERS + LATIN_LETTERS:
        return Printed("letter", (_letter_position(text),), text)
    return None


def _letter_position(letter: str) -> int:
    return VIETNAMESE_LETTERS.index(letter) + 1 if letter in VIETNAMESE_LETTERS else 0


def _next_letters(letter_position: int) -> set[int]:
    """Positions that may follow a letter: the next Vietnamese letter, or the next Latin one
    (``e`` after ``d``; ``g`` or ``f``, read as position 0, after ``e``)."""
    if letter_position == 0:
        return set()
    letter = VIETNAMESE_LETTERS[letter_position - 1]
    allowed = {letter_position + 1}
    latin = LATIN_LETTERS.find(letter)
    if 0 <= latin < len(LATIN_LETTERS) - 1:
        allowed.add(_letter_position(LATIN_LETTERS[latin + 1]))
    return allowed


@dataclass
class OutlineEntry:
    """A node found in the outline: its dotted code, level and the printed number."""

    code: str
    level: int
    printed: Printed
    parent: OutlineEntry | None
    children: list[OutlineEntry] = field(default_factory=list)
    numbers: dict[tuple[str, int], OutlineEntry] = field(default_factory=dict, repr=False)
    """The children by their printed number (kind and value): a repeated number is found in
    one look-up, not by reading every sibling (a table of thousands of rows stays linear)."""


@dataclass(frozen=True)
class OutlineProblem:
    rule: str  # outline.duplicate | outline.skipped | outline.orphan | outline.too_deep
    params: dict[str, str]
    other: OutlineEntry | None = None  # the sibling a repeated number repeats


class Outline:
    """Reads printed numbers in table order and gives each its dotted code.

    ``hierarchical`` (a table that uses Roman numerals) puts Roman numerals at level 1,
    arabic numbers below them (``1`` at level 2, ``1.1`` at level 3) and letters below the
    last arabic number; otherwise arabic numbers are dotted codes themselves (``1.1`` at
    level 2) and letters go below the last of them.
    """

    def __init__(self, hierarchical: bool) -> None:
        self.base = 1 if hierarchical else 0
        self.stack: list[OutlineEntry] = []
        self.roots: list[OutlineEntry] = []
        self.root_numbers: dict[tuple[str, int], OutlineEntry] = {}
        self.last_arabic_under_roman: dict[int, int] = {}

    def level_of(self, printed: Printed) -> int | None:
        if printed.kind == "roman":
            return 1 if self.base else None
        if printed.kind == "arabic":
            return self.base + len(printed.parts)
        for entry in reversed(self.stack):
            if entry.printed.kind == "arabic":
                return entry.level + 1
        return None

    def add(self, printed: Printed) -> OutlineEntry | OutlineProblem:
        level = self.level_of(printed)
        if level is None:
            return OutlineProblem("outline.orphan", {"number": printed.text, "parent": "—"})
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if (parent.level if parent else 0) != level - 1:
            return OutlineProblem(
                "outline.orphan",
                {"number": printed.text, "parent": self._expected_parent(printed)},
            )
        if level > MAX_LEVELS:
            return OutlineProblem(
                "outline.too_deep",
                {"number": printed.text, "levels": str(level), "limit": str(MAX_LEVELS)},
            )
        siblings = parent.children if parent else self.roots
        problem = self._check_number(printed, parent, siblings)
        if problem is not None:
            return problem
        position = len(siblings) + 1
        code = f"{parent.code}.{position}" if parent else str(position)
        entry = OutlineEntry(code, level, printed, parent)
        siblings.append(entry)
        (parent.numbers if parent else self.root_numbers)[(printed.kind, printed.last)] = entry
        self.stack.append(entry)
        return entry

    def _expected_parent(self, printed: Printed) -> str:
        if printed.kind == "arabic" and len(printed.parts) > 1:
            return ".".join(str(p) for p in printed.parts[:-1])
        return "—"

    def _check_number(
        self, printed: Printed, parent: OutlineEntry | None, siblings: list[OutlineEntry]
    ) -> OutlineProblem | None:
        if (
            printed.kind == "arabic"
            and len(printed.parts) > 1
            and (
                parent is None
                or parent.printed.kind != "arabic"
                or parent.printed.parts != printed.parts[:-1]
            )
        ):
            return OutlineProblem(
                "outline.orphan",
                {"number": printed.text, "parent": self._expected_parent(printed)},
            )
        numbers = parent.numbers if parent else self.root_numbers
        sibling = numbers.get((printed.kind, printed.last))
        if sibling is not None:
            return OutlineProblem("outline.duplicate", {"number": printed.text}, sibling)
        previous = siblings[-1].printed if siblings else None
        allowed = self._allowed_next(printed, parent, previous)
        if printed.last not in allowed:
            return OutlineProblem(
                "outline.skipped",
                {
                    "number": printed.text,
                    "previous": previous.text if previous else "—",
                },
            )
        if printed.kind == "arabic" and parent is not None and parent.printed.kind == "roman":
            self.last_arabic_under_roman[parent.printed.last] = printed.last
        return None

    def _allowed_next(
        self, printed: Printed, parent: OutlineEntry | None, previous: Printed | None
    ) -> set[int]:
        if previous is not None and previous.kind == printed.kind:
            if printed.kind == "letter":
                return _next_letters(previous.last)
            return {previous.last + 1}
        if printed.kind == "arabic" and parent is not None and parent.printed.kind == "roman":
            # some decisions restart at 1 under each domain, others number criteria on
            # across domains (II starts with 7 when I ended with 6)
            earlier = self.last_arabic_under_roman.get(parent.printed.last - 1)
            return {1} if earlier is None else {1, earlier + 1}
        return {1}
