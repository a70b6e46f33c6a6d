"""The criteria tree: a framework, its nodes, their scoring rules and the groups of results.

These are plain immutable values. They are built from a YAML file by :mod:`.loader`, checked
there, and then used by :mod:`chiso.scoring` without further checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from chiso.frameworks.metric import Metric
from chiso.units.kinds import UNIT_KINDS

Aggregation = Literal["sum", "mean", "weighted_mean", "share"]
AGGREGATIONS: tuple[str, ...] = ("sum", "mean", "weighted_mean", "share")
TOTAL_CODE = "total"
"""The code of a framework's total (the root of its tree): score input may give the total's
value and standard error under it (``chiso survey estimate --points-out`` does), so no node may
be coded so, in any letter case (the loader refuses it)."""
SOURCES: tuple[str, ...] = ("self_assessed", "appraised", "survey", "central", "data", "mixed")
SUBJECTS: tuple[str, ...] = UNIT_KINDS
"""The kinds of unit a framework may be written for: the kinds of unit there are."""
RULE_KINDS: tuple[str, ...] = ("points", "yes_no", "choice", "bands", "proportional", "deduction")


class Named:
    """A framework's own names come in its file, in Vietnamese and (often) English: they are
    data, not interface text, so they are chosen here rather than through the catalogues."""

    name_vi: str
    name_en: str

    def name_in(self, lang: str) -> str:
        """The name in ``lang``: English where the framework gives one, else Vietnamese."""
        return self.name_en if lang == "en" and self.name_en else self.name_vi


@dataclass(frozen=True)
class Band(Named):
    """A half-open interval [min, below) with a label and, in a scoring rule, its points."""

    code: str
    name_vi: str = ""
    name_en: str = ""
    min: float | None = None
    below: float | None = None
    points: float | None = None

    def holds(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (
            self.below is None or value < self.below
        )


@dataclass(frozen=True)
class Choice(Named):
    value: str
    points: float
    name_vi: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Rule:
    """How a leaf's input value becomes points; see docs/framework-format.md."""

    kind: str = "points"
    options: tuple[Choice, ...] = ()
    bands: tuple[Band, ...] = ()
    full: float = 100.0
    per_item: float = 0.0


@dataclass(frozen=True)
class Node(Named):
    code: str
    name_vi: str
    name_en: str
    max: float | None
    min: float = 0.0
    source: str | None = None
    aggregation: str = "sum"
    cap: bool = False
    weight: float | None = None
    rule: Rule = field(default_factory=Rule)
    children: tuple[Node, ...] = ()
    line: int = 0
    guidance: str = ""  # the criteria table's scoring guidance (hướng dẫn chấm điểm)
    method: str = ""  # its evaluation method (phương pháp đánh giá)
    notes: str = ""  # anything else the table said about the node
    metric: Metric | None = None
    """For a leaf with ``source: data``: how its value is computed from dossier records."""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        """This node and its descendants, in official (pre-)order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Ungraded(Named):
    """What a value between a framework's bands is called when the bands are known only in
    part: the scores no published band covers get no group, and are shown as this (e.g. "not
    graded: the thresholds of the middle grades were not found"), never as an invented one."""

    name_vi: str
    name_en: str = ""


@dataclass(frozen=True)
class Groups:
    method: str  # "bands" or "quartiles"
    on: str  # "index" or "total"
    bands: tuple[Band, ...] = ()
    ungraded: Ungraded | None = None
    """Set when the bands leave gaps on purpose (thresholds not published): a value in a gap
    has no group. Without it the loader refuses a gap."""
    source: str = ""
    """Where the bands come from (shown beside a grade)."""

    def band_for(self, value: float) -> Band | None:
        """The first band that holds ``value`` (already rounded to the framework's
        precision, as every group is assigned); None in a gap of a partial banding. Bands by
        value only: quartile groups depend on the other units (:mod:`chiso.scoring.ranking`)."""
        if self.method != "bands":
            return None
        for band in self.bands:
            if band.holds(value):
                return band
        return None


@dataclass(frozen=True)
class Proposal(Named):
    """What the results propose for a unit's head: commendation (khen thưởng), a review of
    responsibility (xem xét, xử lý), …"""

    code: str
    name_vi: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class HeadClass(Named):
    """A classification of the head's task completion (xếp loại mức độ hoàn thành nhiệm vụ
    của người đứng đầu), reached from the unit's group or from a band of its index."""

    code: str
    name_vi: str = ""
    name_en: str = ""
    groups: tuple[str, ...] = ()
    min: float | None = None
    below: float | None = None
    proposal: str = ""

    def holds(self, group: str | None, index: float | None) -> bool:
        if self.groups:
            return group is not None and group in self.groups
        if index is None:
            return False
        return (self.min is None or index >= self.min) and (
            self.below is None or index < self.below
        )


@dataclass(frozen=True)
class HeadClassification:
    """The province's rule that turns a unit's results into its head's classification and
    the proposals for commendation or review; data in the framework (``head_classification``)."""

    on: str  # "group" or "index"
    classes: tuple[HeadClass, ...]
    proposals: tuple[Proposal, ...] = ()
    basis: str = ""

    def proposal(self, code: str) -> Proposal | None:
        return next((p for p in self.proposals if p.code == code), None)


QUARTILE_GROUPS: tuple[Band, ...] = (
    Band("1", "Nhóm cao nhất", "Best performers"),
    Band("2", "Nhóm trung bình cao", "High average"),
    Band("3", "Nhóm trung bình thấp", "Low average"),
    Band("4", "Nhóm thấp nhất", "Poor performers"),
)
"""PAPI's four map groups, from the highest quartile down."""


@dataclass(frozen=True)
class Framework(Named):
    code: str
    index: str
    subjects: tuple[str, ...]
    name_vi: str
    name_en: str
    year_from: int
    year_to: int | None
    legal_basis: str
    nodes: tuple[Node, ...]
    sources: tuple[str, ...] = ()
    notes: str = ""
    precision: int = 2
    rank_by: str = "index"
    total_aggregation: str = "sum"
    total_max: float | None = None
    groups: Groups | None = None
    path: str = ""
    head_classification: HeadClassification | None = None

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def node(self, code: str) -> Node:
        for n in self.walk():
            if n.code == code:
                return n
        raise KeyError(code)

    @property
    def codes(self) -> list[str]:
        return [n.code for n in self.walk()]

    @property
    def domains(self) -> tuple[Node, ...]:
        return self.nodes

    @property
    def is_complete(self) -> bool:
        """True when every node's maximum and the total's maximum are known."""
        return self.total_max is not None and all(n.max is not None for n in self.walk())

    @property
    def years_label(self) -> str:
        if self.year_to is None:
            return f"{self.year_from}–"
        if self.year_to == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"
