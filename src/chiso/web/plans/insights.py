"""What the results say a unit should act on, for other apps' pages: the gap table on a unit's
sheet and on its public profile, rank intervals on the public ranking, the probability of a
unit's group. Computed by :mod:`chiso.analysis` from a results document (a published snapshot,
or the cycle's results computed now for those allowed to see them); formatted here for templates.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from chiso.analysis.gaps import Gap, domain_gaps, unit_gaps
from chiso.analysis.loaded import Loaded, load_document
from chiso.analysis.rank_uncertainty import RankUncertainty, rank_uncertainty
from chiso.frameworks.model import Framework
from chiso.numbers import format_number
from chiso.problems import InputError
from chiso.scoring.ranking import group_name

DRAWS = 4000  # enough for a 5–95 % rank interval to a place; the page is cached per snapshot
SEED = 20  # a published page shows the same intervals every time it is made


def loaded(doc: dict[str, Any], fw: Framework) -> Loaded | None:
    """The document re-scored with its framework; None for a document that does not fit it
    (a page then shows the results without the analysis rather than failing)."""
    try:
        return load_document(doc, fw)
    except InputError:
        return None


def gap_rows(gaps: list[Gap], fw: Framework, lang: str) -> list[dict[str, Any]]:
    """Rows for plans/gap_table.html, numbers formatted in ``lang``."""

    def n(x: float | None) -> str:
        return format_number(x, lang, fw.precision)

    show_change = any(g.previous is not None for g in gaps)
    return [
        {
            "code": g.code,
            "name": fw.node(g.code).name_in(lang),
            "leaf": g.is_leaf,
            "depth": g.depth,
            "points": n(g.points),
            "max": n(g.max),
            "lost": n(g.lost),
            "best": n(g.best),
            "best_units": ", ".join(g.best_units[:3]) + ("…" if len(g.best_units) > 3 else ""),
            "mean": n(g.mean),
            "change": "" if g.change is None else ("+" if g.change > 0 else "") + n(g.change),
            "show_change": show_change,
        }
        for g in gaps
    ]


def unit_gap_rows(
    doc: dict[str, Any],
    fw: Framework,
    unit: str,
    lang: str,
    domains_only: bool = False,
    previous: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The unit's gap table (every node, or its domains only), with the change since the
    ``previous`` results document where given; empty when it cannot be made."""
    data = loaded(doc, fw)
    if data is None or unit not in data.results.units:
        return []
    before = None
    if previous is not None:
        row = next((r for r in previous.get("units", []) if r.get("unit") == unit), None)
        points = (row or {}).get("points") or {}
        before = {c: None if v in (None, "NA") else float(v) for c, v in points.items()}
    gaps = unit_gaps(data, unit, before)
    return gap_rows(domain_gaps(gaps) if domains_only else gaps, fw, lang)


def uncertainty(doc: dict[str, Any], fw: Framework) -> RankUncertainty | None:
    """Rank intervals and group probabilities, where the document carries standard errors."""
    if not any("total_se" in u for u in doc.get("units", [])):
        return None
    data = loaded(doc, fw)
    return None if data is None else rank_uncertainty(data, DRAWS, SEED)


def rank_ranges(result: RankUncertainty | None) -> dict[str, str]:
    """Unit → "low–high" (or the rank alone where the interval is one place)."""
    if result is None:
        return {}
    return {
        u.unit: str(u.rank_low) if u.rank_low == u.rank_high else f"{u.rank_low}–{u.rank_high}"
        for u in result.units
    }


def group_probability(
    result: RankUncertainty | None, fw: Framework, unit: str, group: str | None, lang: str
) -> str:
    """The sentence saying how likely ``unit`` is to be in its group, or "" without one."""
    if result is None or not group:
        return ""
    me = next((u for u in result.units if u.unit == unit), None)
    if me is None or group not in me.p_group:
        return ""
    return gettext(
        "Với sai số của kết quả điều tra, xác suất đơn vị thuộc nhóm %(group)s là %(p)s %%."
    ) % {"group": group_name(fw, group, lang), "p": format_number(100 * me.p_group[group], lang, 0)}


def sheet_gap_rows(user: Any, sheet: Any, lang: str) -> list[dict[str, Any]]:
    """The gap table of a sheet's unit, every node, for those the policy lets see it: from the
    newest snapshot once published, from the results computed now once final."""
    from chiso.tables.writing import json_document
    from chiso.web.accounts import policy
    from chiso.web.cycles import services
    from chiso.web.cycles.models import Cycle
    from chiso.web.portal.publications import document, latest

    if not policy.can_see_gaps(user, sheet):
        return []
    cycle = sheet.cycle
    if cycle.state == Cycle.PUBLISHED:
        doc = document(latest(cycle.pk))
    else:
        doc = json_document(services.compute_results(cycle).results, None)
    fw = services.framework_of(cycle)
    return unit_gap_rows(doc, fw, sheet.unit.name, lang, previous=previous_document(cycle))


def previous_document(cycle: Any) -> dict[str, Any] | None:
    """The newest snapshot of the last published cycle of the same framework before ``cycle``'s
    year (the change since the previous cycle), or None."""
    from chiso.web.accounts import policy
    from chiso.web.portal.publications import document, latest

    before = (
        policy.published_cycles()
        .filter(framework_code=cycle.framework_code, year__lt=cycle.year)
        .order_by("-year", "-pk")
        .first()
    )
    return None if before is None else document(latest(before.pk))
