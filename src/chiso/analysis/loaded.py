"""A results file read back into the scoring engine's :class:`~chiso.scoring.results.Results`.

``chiso score --out x.json`` keeps every node's points (``"NA"`` where not applicable) and the
standard errors carried from survey estimates, but not the framework's tree: that comes from the
framework the file names (or the one given). Re-scoring those points through the real engine
gives back every maximum, applicability and aggregate the analyses need, and checks on the way
that the file and the framework agree (its totals must come out again).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import Framework
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.plan import ScoringPlan, compile_plan
from chiso.scoring.results import Results, score
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
        """The position of ``unit`` (NFC, exact name); :class:`Refusal` listing similar
        names when there is none."""
        name = nfc(unit).strip()
        if name in self.results.units:
            return self.results.units.index(name)
        report = ProblemReport()
        folded = name.casefold()
        similar = [u for u in self.results.units if folded in u.casefold()][:5]
        if similar:
            report.add("unit.unknown_similar", self.file, unit=name, names=", ".join(similar))
        else:
            report.add("unit.unknown", self.file, unit=name)
        raise Refusal(report)


def _bad(file: str, reason: str) -> Refusal:
    report = ProblemReport()
    report.add("results.bad_file", file, reason=reason)
    return Refusal(report)


def read_document(path: str | Path) -> dict[str, Any]:
    """The JSON document of a results file, or :class:`Refusal` saying why it is none."""
    file = str(path)
    try:
        doc: Any = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        report = ProblemReport()
        report.add("file.not_found", file)
        raise Refusal(report) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(file, f"{type(exc).__name__}: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("units"), list):
        raise _bad(file, "units")
    return doc


def framework_of(doc: dict[str, Any], file: str, framework: Framework | str | None) -> Framework:
    """The framework given, else the built-in one the document names."""
    from chiso.frameworks import get_framework

    if isinstance(framework, Framework):
        return framework
    code = framework or (doc.get("framework") or {}).get("code")
    if not isinstance(code, str) or not code:
        raise _bad(file, "framework.code")
    return get_framework(code)


def load_results(path: str | Path, framework: Framework | str | None = None) -> Loaded:
    """Read ``path`` (a JSON results file) and score its points again with ``framework``.

    Points are given where the file has them: every leaf's, and an inner node's where no leaf
    below it has a value (a PAPI sub-dimension published without its indicators); a node
    written ``"NA"`` is not applicable. Standard errors (``se`` per node, ``total_se``) are
    carried as ``chiso score`` carried them. Units the file does not rank although complete
    stay unranked.
    """
    file = str(path)
    doc = read_document(path)
    return load_document(doc, framework_of(doc, file, framework), file)


def load_document(doc: dict[str, Any], fw: Framework, file: str = "") -> Loaded:
    """:func:`load_results` for a results document already read (a published snapshot)."""
    plan = compile_plan(fw)
    rows = doc["units"]
    n = len(rows)
    given = np.full((plan.size, n), np.nan)
    na = np.zeros((plan.size, n), dtype=bool)
    se = np.full((plan.size, n), np.nan)
    ranked = np.ones(n, dtype=bool)
    units: list[str] = []
    report = ProblemReport()
    leaves_below = {pn.position: plan.leaves_below(pn.position) for pn in plan.inner}
    for u, row in enumerate(rows):
        try:
            units.append(nfc(str(row["unit"])))
            points: dict[str, Any] = row["points"]
            for code, value in points.items():
                j = plan.positions.get(code)
                if j is None:
                    report.add("node.unknown", file, u + 1, code, node=code, framework=fw.code)
                    continue
                if value == "NA":
                    na[j, u] = True
                elif value is not None and j < plan.n_leaves:
                    given[j, u] = float(value)
            for code, value in points.items():
                j = plan.positions.get(code)
                if j is None or j < plan.n_leaves or value in (None, "NA"):
                    continue
                below = leaves_below[j]
                if np.isnan(given[below, u]).all() and not na[below, u].all():
                    given[j, u] = float(value)
            for code, value in (row.get("se") or {}).items():
                j = plan.positions.get(code)
                if j is not None and value is not None:
                    se[j, u] = float(value)
            if row.get("total_se") is not None:
                se[plan.root, u] = float(row["total_se"])
            ranked[u] = row.get("status") != "not ranked"
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            report.add("results.bad_file", file, u + 1, reason=f"{type(exc).__name__}: {exc}")
    if report:
        raise Refusal(report)
    if len(set(units)) != len(units):
        raise _bad(file, "unit")
    has_se = bool((~np.isnan(se)).any())
    results = score(fw, units, given, na, ranked, plan, se if has_se else None)
    for u, row in enumerate(rows):
        written = row.get("total")
        again = float(results.total[u])
        if written is None and math.isnan(again):
            continue
        if written is None or math.isnan(again) or abs(float(written) - again) > 1e-6:
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
