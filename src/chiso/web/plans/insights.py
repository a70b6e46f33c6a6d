"""What the results say a unit should act on, for other apps' pages: the gap table on a unit's
sheet and on its public profile, which the plans app adds to those pages as panels
(:mod:`chiso.web.core.panels`, registered by :class:`chiso.web.plans.apps.PlansConfig`).
Computed by :mod:`chiso.analysis` from a results document (a published snapshot, or the
cycle's results computed now for those allowed to see them); formatted here for templates.
Rank intervals and group probabilities are :mod:`chiso.analysis.published_uncertainty`'s,
which the portal calls directly.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from chiso.analysis.gaps import Gap, domain_gaps, unit_gaps
from chiso.analysis.loaded import Loaded, load_document
from chiso.frameworks.model import Framework
from chiso.numbers import format_number
from chiso.problems import Refusal
from chiso.scoring.document import ResultsDocument, from_results
from chiso.web.core import pagecache
from chiso.web.core.frameworks import framework_of
from chiso.web.core.kept import site_revision
from chiso.web.cycles.models import Cycle, Publication, ScoreSheet
from chiso.web.cycles.policy import published_cycles
from chiso.web.cycles.publications import document, latest
from chiso.web.cycles.workflow import compute_results
from chiso.web.plans import policy


def loaded(doc: ResultsDocument, fw: Framework) -> Loaded | None:
    """The document re-scored with its framework; None for a document that does not fit it
    (a page then shows the results without the analysis rather than failing)."""
    try:
        return load_document(doc, fw)
    except Refusal:
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
    doc: ResultsDocument,
    fw: Framework,
    unit: str,
    lang: str,
    domains_only: bool = False,
    previous: ResultsDocument | None = None,
) -> list[dict[str, Any]]:
    """The unit's gap table (every node, or its domains only), with the change since the
    ``previous`` results document where given; empty when it cannot be made."""
    data = loaded(doc, fw)
    if data is None or unit not in data.results.units:
        return []
    before = None
    if previous is not None:
        row = previous.by_name().get(unit)
        before = {} if row is None else {c: row.point(c) for c in row.points}
    gaps = unit_gaps(data, unit, before)
    return gap_rows(domain_gaps(gaps) if domains_only else gaps, fw, lang)


def sheet_gap_rows(user: Any, sheet: ScoreSheet, lang: str) -> list[dict[str, Any]]:
    """The gap table of a sheet's unit, every node, for those the policy lets see it: from the
    newest snapshot once published, from the results computed now once final.

    Made once and kept in the project's page cache (:mod:`chiso.web.core.pagecache`): a
    published table under the snapshot's SHA-256, a final one under every sheet's revision
    (any change to a sheet bumps it, :func:`chiso.web.cycles.scores.touch`), each with the
    previous cycle's snapshot it compares with; scoring every sheet of the cycle on every view
    of a sheet is what this saves."""
    if not policy.can_see_gaps(user, sheet):
        return []
    cycle = sheet.cycle
    before = previous_publication(cycle)
    compared = before.sha256 if before is not None else "-"
    unit = sheet.unit.name
    if cycle.state == Cycle.PUBLISHED:
        publication = latest(cycle.pk)
        cache_key = pagecache.key("sheet-gaps", publication.sha256, compared, unit, lang)

        def read() -> ResultsDocument:
            return document(publication)
    else:
        sheets = cycle.sheets.order_by("pk").values_list("pk", "revision", "ranked")
        state = ";".join(f"{pk}:{rev}:{int(ranked)}" for pk, rev, ranked in sheets)
        cache_key = pagecache.key(
            "sheet-gaps-final", cycle.pk, cycle.state, pagecache.digest(state), compared, unit, lang
        )

        def read() -> ResultsDocument:
            return from_results(compute_results(cycle).results)

    def make() -> pagecache.Made[list[dict[str, Any]]]:
        previous = None if before is None else document(before)
        fw = framework_of(cycle)
        return pagecache.Made(unit_gap_rows(read(), fw, unit, lang, previous=previous))

    return pagecache.get_or_make(cache_key, make).value


def previous_publication(cycle: Cycle) -> Publication | None:
    """The newest snapshot of the last published cycle of the same framework before ``cycle``'s
    year (the change since the previous cycle), or None."""
    before = (
        published_cycles()
        .filter(framework_code=cycle.framework_code, year__lt=cycle.year)
        .order_by("-year", "-pk")
        .first()
    )
    return None if before is None else latest(before.pk)


def sheet_panel(user: Any, sheet: ScoreSheet, lang: str) -> str:
    """The gap table below a score sheet (place ``cycles.sheet``)."""
    return render_to_string("plans/gap_table.html", {"gap_rows": sheet_gap_rows(user, sheet, lang)})


def profile_panel(
    doc: ResultsDocument, framework: Framework, unit: str, lang: str, sha256: str
) -> str:
    """The gap table of a unit's public profile, by domain (place ``portal.profile``): every
    unit's domains are computed once per publication (``sha256``) and kept, since re-scoring
    the document for each unit's profile was half of a profile's first visit."""
    every = pagecache.get_or_make(
        pagecache.key("published-domain-gaps", sha256, framework.code, site_revision()),
        lambda: pagecache.Made(domain_gaps_of_every_unit(doc, framework)),
    ).value
    rows = gap_rows(every.get(unit, []), framework, lang)
    return render_to_string("plans/gap_table.html", {"gap_rows": rows})


def domain_gaps_of_every_unit(doc: ResultsDocument, fw: Framework) -> dict[str, list[Gap]]:
    """Each unit's domains' gaps (as :func:`unit_gap_rows` with ``domains_only``, unformatted);
    empty when the document does not fit its framework."""
    data = loaded(doc, fw)
    if data is None:
        return {}
    return {u: unit_gaps(data, u, domains_only=True) for u in data.results.units}
