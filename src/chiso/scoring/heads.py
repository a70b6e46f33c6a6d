"""What a unit's results mean for its head: the province's rule in the framework
(``head_classification``) turns each unit's group, or its index, into the classification of
its head's task completion and, where the rule says so, a proposal to the emulation and
commendation council (commendation, a review of responsibility).

Pure: reads a framework and a results document; the web page and the annexes show it."""

from __future__ import annotations

from dataclasses import dataclass

from chiso.frameworks.model import Framework, HeadClass, HeadClassification, Proposal
from chiso.scoring.document import ResultsDocument, UnitEntry


@dataclass(frozen=True)
class HeadResult:
    """One unit's head: its classification and proposal (None when the unit was not ranked
    or its result falls in no class)."""

    unit: str
    index: float | None
    rank: int | None
    group: str | None
    head_class: HeadClass | None
    proposal: Proposal | None


def classify(rule: HeadClassification, entry: UnitEntry) -> HeadClass | None:
    """The class the unit's group (or index) falls in; None for a unit not ranked."""
    if entry.rank is None:
        return None
    return next((c for c in rule.classes if c.holds(entry.group, entry.index)), None)


def head_results(framework: Framework, doc: ResultsDocument) -> list[HeadResult]:
    """Every unit's head, in the ranking's order; empty when the framework has no rule."""
    rule = framework.head_classification
    if rule is None:
        return []
    out: list[HeadResult] = []
    for entry in doc.in_display_order():
        found = classify(rule, entry)
        proposal = rule.proposal(found.proposal) if found and found.proposal else None
        out.append(HeadResult(entry.unit, entry.index, entry.rank, entry.group, found, proposal))
    return out


def proposals_counted(results: list[HeadResult]) -> dict[str, list[str]]:
    """Proposal code → the units proposed, in the ranking's order."""
    counted: dict[str, list[str]] = {}
    for r in results:
        if r.proposal is not None:
            counted.setdefault(r.proposal.code, []).append(r.unit)
    return counted
