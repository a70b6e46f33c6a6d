"""How sure a published ranking is, read from a results document: rank intervals and the
probability of a unit's group, as every page that shows them computes them (the public
portal's ranking and profile, the plans' pages), with one number of draws and one seed so the
same snapshot always shows the same intervals. Pure: the web apps call it and format."""

from __future__ import annotations

from dataclasses import dataclass

from chiso.analysis.loaded import load_document
from chiso.analysis.rank_uncertainty import RankUncertainty, rank_uncertainty
from chiso.frameworks.model import Framework
from chiso.problems import Problem, Refusal
from chiso.scoring.document import ResultsDocument

DRAWS = 4000  # enough for a 5–95 % rank interval to a place; pages are cached per snapshot
SEED = 20  # a published page shows the same intervals every time it is made


@dataclass(frozen=True)
class DocumentUncertainty:
    """How sure a document's ranking is, or why that cannot be said.

    ``result`` is None in two cases a page must tell apart: the document carries no standard
    errors (nothing to simulate; ``problems`` is empty and there is nothing to say), or it
    carries them but does not fit its framework (``problems`` says why: a page tells its
    readers that the intervals could not be computed, and the server logs it, since a
    published snapshot that its own framework does not give again is a fault to look into)."""

    result: RankUncertainty | None
    problems: tuple[Problem, ...] = ()


def document_uncertainty(
    doc: ResultsDocument, fw: Framework, draws: int = DRAWS, seed: int = SEED
) -> DocumentUncertainty:
    """Rank intervals and group probabilities of a results document, or why there are none.

    Only the document's not fitting ``fw`` (the :class:`Refusal` of reading it again) is
    an answer without intervals; anything else raised is a bug and is not caught here."""
    if not any(u.total_se is not None for u in doc.units):
        return DocumentUncertainty(None)
    try:
        data = load_document(doc, fw)
    except Refusal as exc:
        return DocumentUncertainty(None, tuple(exc.report))
    return DocumentUncertainty(rank_uncertainty(data, draws, seed))


def rank_range_labels(result: RankUncertainty | None) -> dict[str, str]:
    """Unit → "low–high" (the rank alone where the interval is one place)."""
    if result is None:
        return {}
    return {
        u.unit: str(u.rank_low) if u.rank_low == u.rank_high else f"{u.rank_low}–{u.rank_high}"
        for u in result.units
    }


def group_probability(result: RankUncertainty | None, unit: str, group: str | None) -> float | None:
    """The probability that ``unit`` is in ``group`` (a group code), or None without one."""
    if result is None or not group:
        return None
    me = next((u for u in result.units if u.unit == unit), None)
    if me is None or group not in me.p_group:
        return None
    return me.p_group[group]
