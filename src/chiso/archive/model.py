"""What the archive holds: figures as published, where they come from, and how whole each
published table is.

A :class:`Figure` is one row of a data file: one value (or only a rank, where a source gives
the rank without the value) of one unit, node and year, from one source. Two sources that print
the same figure make two rows; where they print different values both are kept and the
disagreement is shown, never resolved by chiso (:meth:`Archive.disputes`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

INDICES: tuple[str, ...] = ("PAR INDEX", "SIPAS", "PAPI")
UNIT_KINDS: tuple[str, ...] = ("province", "ministry", "region", "nation")
BASES: tuple[str, ...] = ("published", "derived")
HEADLINE = "total"
"""The node of an index's headline value (the PAR INDEX and SIPAS in %, PAPI's total)."""


@dataclass(frozen=True)
class Source:
    id: str
    address: str
    title: str
    publisher: str
    date: str
    licence: str
    # the sources this one is known to come from or to be copied as (each a source of its own,
    # with its address): the originals a copy without an address was stitched from, or another
    # copy of the same page; ``address`` says so in words for the pages and the open data
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableNote:
    """How much of an index's published table for some years the archive holds."""

    index: str
    years: str  # "2017-2019" or "2020"
    unit_kind: str
    coverage: str  # whole, partial or none (looked for, not found)
    sources: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]  # (language, text): data written in each language

    def note_in(self, lang: str) -> str:
        """The note in ``lang``, else in Vietnamese."""
        texts = dict(self.notes)
        return texts.get(lang) or texts.get("vi", "")

    @property
    def first_year(self) -> int:
        return int(self.years.split("-")[0])

    @property
    def last_year(self) -> int:
        return int(self.years.split("-")[-1])


@dataclass(frozen=True)
class Figure:
    index: str
    year: int
    unit_kind: str
    unit: str
    node: str
    value: float | None
    rank: int | None
    group: str
    basis: str  # of the value: published as printed, or derived from published figures
    rank_basis: str  # of the rank and group: published, derived, or "" without a rank
    source: str
    text: str = ""  # the value as the file writes it (published digits kept in open data)

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        return (self.index, self.year, self.unit_kind, self.unit, self.node)


@dataclass(frozen=True)
class Archive:
    figures: tuple[Figure, ...]
    sources: dict[str, Source]
    tables: tuple[TableNote, ...]

    @cached_property
    def by_unit(self) -> dict[tuple[str, str], tuple[Figure, ...]]:
        """Every figure of (unit kind, unit), in file order."""
        out: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for f in self.figures:
            out[(f.unit_kind, f.unit)].append(f)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def by_key(self) -> dict[tuple[str, int, str, str, str], tuple[Figure, ...]]:
        out: dict[tuple[str, int, str, str, str], list[Figure]] = defaultdict(list)
        for f in self.figures:
            out[f.key].append(f)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def memo(self) -> dict[Hashable, Any]:
        """What pure functions of this archive computed, by name and arguments (a province's
        series, year by year, of an index): the archive never changes, so a result holds as
        long as the archive does, and a newly loaded archive is another object with its own.
        Bounded by the archive's contents (a few hundred provinces and indices), not by the
        requests (a comparison of 2 to 4 provinces, in any order, reads each province's series
        again: 500 orderings of six provinces made them 500 times)."""
        return {}

    def of(self, unit: str, kind: str = "province") -> tuple[Figure, ...]:
        return self.by_unit.get((kind, unit), ())

    @cached_property
    def _headlines(self) -> dict[tuple[str, int, str], tuple[Figure, ...]]:
        out: dict[tuple[str, int, str], list[Figure]] = defaultdict(list)
        for f in self.figures:
            if f.node == HEADLINE:
                out[(f.index, f.year, f.unit_kind)].append(f)
        return {k: tuple(v) for k, v in out.items()}

    def headline(self, index: str, year: int, kind: str = "province") -> tuple[Figure, ...]:
        """Every headline figure of an index's year (all sources)."""
        return self._headlines.get((index, year, kind), ())

    def years(self, index: str) -> list[int]:
        return sorted({f.year for f in self.figures if f.index == index})

    @cached_property
    def disputes(self) -> dict[tuple[str, int, str, str, str], tuple[Figure, ...]]:
        """The figures that sources print differently (value or rank), with every version."""
        return {key: rows for key, rows in self.by_key.items() if disagree(rows)}

    def whole(self, index: str, year: int, kind: str = "province") -> bool:
        """True when the archive holds the whole published table of that year."""
        return bool(self.whole_sources(index, year, kind))

    def whole_sources(self, index: str, year: int, kind: str = "province") -> frozenset[str]:
        """The sources of the whole published table of that year (none if the archive holds
        only quoted figures): what is computed across a table (ranks in a region, re-based
        figures) is computed on these, not on a figure a newspaper quoted beside them."""
        return frozenset(
            s
            for t in self.tables
            if t.index == index
            and t.unit_kind == kind
            and t.coverage == "whole"
            and t.first_year <= year <= t.last_year
            for s in t.sources
        )

    def whole_table(self, index: str, year: int, kind: str = "province") -> dict[str, float]:
        """{unit: headline value} of the whole published table of that year ({} if none)."""
        sources = self.whole_sources(index, year, kind)
        return {
            f.unit: f.value
            for f in self.headline(index, year, kind)
            if f.source in sources and f.value is not None
        }


def disagree(rows: Iterable[Figure]) -> bool:
    """Two sources disagree when both give a value (or a rank) and the values (ranks) differ
    at the precision the less precise one prints."""
    values = [(f.value, f.text) for f in rows if f.value is not None]
    ranks = {f.rank for f in rows if f.rank is not None}
    if len(ranks) > 1:
        return True
    for i, (a, ta) in enumerate(values):
        for b, tb in values[i + 1 :]:
            decimals = min(_decimals(ta), _decimals(tb))
            if round(a, decimals) != round(b, decimals):
                return True
    return False


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0
