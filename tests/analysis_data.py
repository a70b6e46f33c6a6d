"""Results files for the tests of chiso.analysis: scored by the real engine and written by the
real writer, as ``chiso score --out x.json`` writes them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from chiso.frameworks.model import Framework
from chiso.scoring import compile_plan, score
from chiso.scoring.results import values_from_mapping
from chiso.tables.writing import write_results


def results_file(
    path: Path,
    fw: Framework,
    data: dict[str, dict[str, float | str | None]],
    total_se: dict[str, float] | None = None,
    leaf_se: dict[str, dict[str, float]] | None = None,
) -> Path:
    """Score ``data`` ({unit: {code: points or "NA"}}) with ``fw`` and write the JSON results;
    ``total_se`` gives units the standard error of their total, as survey estimates carry, and
    ``leaf_se`` ({unit: {code: se}}) their leaves' standard errors."""
    plan = compile_plan(fw)
    units, given, na = values_from_mapping(plan, data)
    se = None
    if total_se or leaf_se:
        se = np.full(given.shape, np.nan)
        for unit, value in (total_se or {}).items():
            se[plan.root, units.index(unit)] = value
        for unit, codes in (leaf_se or {}).items():
            for code, value in codes.items():
                se[plan.positions[code], units.index(unit)] = value
    results = score(fw, units, given, na, plan=plan, se=se)
    write_results(results, path, "vi")
    return path
