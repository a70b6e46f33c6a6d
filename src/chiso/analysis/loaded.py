"""A results document read back into the scoring engine's
:class:`~chiso.scoring.results.Results`.

A results document (``chiso score --out``, a revision's JSON, the portal's open data) keeps
every node's points (``"NA"`` where not applicable) and the
standard errors carried from survey estimates, but not the framework's tree: that comes from the
framework the file names (or the one given). Re-scoring those points through the real engine
gives back every maximum, applicability and aggregate the analyses need, and checks on the way
that the file and the framework agree (its totals must come out again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import Framework
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.document import ResultsDocument
from chiso.scoring.plan import ScoringPlan, compile_plan
from chiso.scoring.results import NOT_APPLICABLE, Results, score
from chiso.vietnamese import nfc

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Loaded:
    """A results file re-scored: the engine's results, and the arrays it was scored from
    (``given`` and ``na``, node-major, the plan's order) so that a plan can change a leaf and
    score again."""

    file: str
    results: Results
    given: FloatArray
    na: BoolArray
    ranked: BoolArray

    @property
    def framework(self) -> Framework:
        return self.results.framework

    @property
    def plan(self) -> ScoringPlan:
        return self.results.plan

    def unit_index(self, unit: str) -> int:
        """The position of ``unit``: its exact name (NFC), else the one name that is the same
        once case and diacritics are folded (``so y te`` finds ``Sở Y tế``); :class:`Refusal`
        naming the closest names when there is none, or every name that folds alike when there
        are several (folding merges ``Hà`` and ``Hạ``: a guess among them is not made)."""
        import difflib

        from chiso.vietnamese import fold

        name = nfc(unit).strip()
        if name in self.results.units:
            return self.results.units.index(name)
        folded = fold(name)
        alike = [i for i, u in enumerate(self.results.units) if fold(u) == folded]
        if len(alike) == 1:
            return alike[0]
        report = ProblemReport()
        by_fold = {fold(u): u for u in self.results.units}
        similar = [self.results.units[i] for i in alike]
        similar += [u for u in self.results.units if folded and folded in fold(u)]
        similar += [
            by_fold[f] for f in difflib.get_close_matches(folded, list(by_fold), n=5, cutoff=0.5)
        ]
        similar = list(dict.fromkeys(similar))[:5]
        if similar:
            report.add("unit.unknown_similar", self.file, unit=name, names=", ".join(similar))
        else:
            report.add("unit.unknown", self.file, unit=name)
        raise Refusal(report)


def _bad(file: str, reason: str) -> Refusal:
    report = ProblemReport()
    report.add("results.bad_file", file, reason=reason)
    return Refusal(report)


def framework_of(doc: ResultsDocument, file: str, framework: Framework | str | None) -> Framework:
    """The framework given, else the built-in one the document names, else (open data and
    tables do not name it) the one built-in framework whose criteria are the document's."""
    from chiso.frameworks import get_framework
    from chiso.frameworks.registry import builtin_frameworks

    if isinstance(framework, Framework):
        return framework
    code = framework or doc.framework_code
    if code:
        return get_framework(code)
    codes = set(doc.codes)
    matching = [fw for fw in builtin_frameworks() if set(fw.codes) == codes]
    if len(matching) == 1:
        return matching[0]
    report = ProblemReport()
    report.add(
        "results.no_framework", file, candidates=", ".join(fw.code for fw in matching) or "-"
    )
    raise Refusal(report)


def load_results(path: str | Path, framework: Framework | str | None = None) -> Loaded:
    """Read ``path`` (a results document in any form chiso writes it:
    :func:`chiso.tables.results_reading.read_document`) and score its points again with
    ``framework``.

    Points are given where the file has them: every leaf's, and an inner node's where no leaf
    below it has a value (a PAPI sub-dimension published without its indicators); a node
    written ``"NA"`` is not applicable. Standard errors (``se`` per node, ``total_se``) are
    carried as ``chiso score`` carried them. Units the file does not rank although complete
    stay unranked.
    """
    from chiso.tables.results_reading import read_document

    file = str(path)
    doc = read_document(path)
    return load_document(doc, framework_of(doc, file, framework), file)


def load_document(doc: ResultsDocument, fw: Framework, file: str = "") -> Loaded:
    """:func:`load_results` for a results document already read (a published snapshot)."""
    plan = compile_plan(fw)
    rows = doc.units
    n = len(rows)
    given = np.full((plan.size, n), np.nan)
    na = np.zeros((plan.size, n), dtype=bool)
    se = np.full((plan.size, n), np.nan)
    ranked = np.ones(n, dtype=bool)
    units: list[str] = []
    report = ProblemReport()
    leaves_below = {pn.position: plan.leaves_below(pn.position) for pn in plan.inner}
    for u, row in enumerate(rows):
        units.append(nfc(row.unit))
        for code, value in row.points.items():
            j = plan.positions.get(code)
            if j is None:
                report.add("node.unknown", file, u + 1, code, node=code, framework=fw.code)
                continue
            if value == NOT_APPLICABLE:
                na[j, u] = True
            elif value is not None and j < plan.n_leaves:
                given[j, u] = float(value)
        for code, value in row.points.items():
            j = plan.positions.get(code)
            if j is None or j < plan.n_leaves or value is None or value == NOT_APPLICABLE:
                continue
            below = leaves_below[j]
            if np.isnan(given[below, u]).all() and not na[below, u].all():
                given[j, u] = float(value)
        for code, error in (row.se or {}).items():
            j = plan.positions.get(code)
            if j is not None:
                se[j, u] = float(error)
        if row.total_se is not None:
            se[plan.root, u] = float(row.total_se)
        ranked[u] = row.status != "not ranked"
    if report:
        raise Refusal(report)
    if len(set(units)) != len(units):
        raise _bad(file, "unit")
    has_se = bool((~np.isnan(se)).any())
    results = score(fw, units, given, na, ranked, plan, se if has_se else None)
    # numbers read from a rounded table come back within its rounding, summed over the leaves
    tolerance = 1e-6 if doc.decimals is None else (plan.n_leaves + 1) * 10.0**-doc.decimals
    for u, row in enumerate(rows):
        written = row.total
        again = float(results.total[u])
        if written is None and math.isnan(again):
            continue
        if written is None or math.isnan(again) or abs(float(written) - again) > tolerance:
            report.add(
                "results.other_framework",
                file,
                u + 1,
                "total",
                unit=units[u],
                framework=fw.code,
            )
    if report:
        raise Refusal(report)
    return Loaded(file, results, given, na, ranked)
