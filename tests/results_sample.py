"""A small cycle of the example framework that touches every part of a results document: a
tie, a unit not ranked, an incomplete unit, a part that does not apply, and standard errors
carried from survey estimates (on a node and on the total)."""

from __future__ import annotations

import numpy as np

from chiso.frameworks import get_framework
from chiso.scoring import compile_plan, score
from chiso.scoring.results import Results, values_from_mapping

FRAMEWORK = "example-department-2024"


def sample_results() -> Results:
    fw = get_framework(FRAMEWORK)
    plan = compile_plan(fw)
    leaves = [n for n in fw.walk() if not n.children]
    data: dict[str, dict[str, float | str | None]] = {}
    for u, name in enumerate(
        ["Sở Tư pháp", "Sở Y tế", "Thanh tra tỉnh", "Sở Nội vụ", "Sở Tài chính"]
    ):
        data[name] = {
            n.code: round((n.max or 0) * (0.95 - 0.07 * u - 0.013 * (i % 5)), 3)
            for i, n in enumerate(leaves)
        }
    data["Sở Công Thương"] = dict(data["Sở Y tế"])  # a tie with Sở Y tế
    data["Sở Nội vụ"]["4.3"] = "NA"  # a part that does not apply: a lower maximum
    data["Sở Tài chính"]["2.2"] = None  # incomplete
    units, given, na = values_from_mapping(plan, data)
    ranked = np.array([u != "Thanh tra tỉnh" for u in units])
    se = np.full(given.shape, np.nan)
    se[plan.positions["1.1"], 0] = 0.125
    se[plan.root, 0] = 1.5
    se[plan.root, 1] = 2.25
    return score(fw, units, given, na, ranked, plan, se)
