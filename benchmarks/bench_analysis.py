"""Benchmark: ``chiso ranks`` on 63 units × 10,000 draws (target < 1 s) and ``chiso plan`` on a
200-leaf framework (target < 0.5 s), each against a plain-Python reference measured in this run.

The ranks' reference ranks every draw with ``sorted`` in a Python loop; the plan's measures each
leaf's weight with one scoring per leaf (where chiso scores one column per leaf at once) and
then takes leaves greedily. Both references must agree with chiso (p_first; the plan's effort).

    .venv/bin/python benchmarks/bench_analysis.py [--draws 10000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from chiso.analysis.loaded import load_results
from chiso.analysis.planner import Target, make_plan
from chiso.analysis.rank_uncertainty import rank_uncertainty
from chiso.frameworks.model import Band, Framework, Groups, Node, Rule
from chiso.scoring import compile_plan, score
from chiso.tables.writing import write_results


def synthetic_framework() -> Framework:
    """8 domains × 5 criteria × 5 leaves = 200 leaves adding up to 100, one in five yes/no."""
    leaf_max = 0.5
    nodes = []
    for d in range(1, 9):
        crits = []
        for c in range(1, 6):
            leaves = tuple(
                Node(
                    f"{d}.{c}.{s}",
                    "x",
                    "x",
                    leaf_max,
                    source="appraised",
                    rule=Rule(kind="yes_no" if s == 5 else "points"),
                )
                for s in range(1, 6)
            )
            crits.append(Node(f"{d}.{c}", "x", "x", 2.5, children=leaves))
        nodes.append(Node(str(d), "x", "x", 12.5, children=tuple(crits)))
    bands = Groups(
        "bands", "index", (Band("A", min=90), Band("B", min=80, below=90), Band("C", below=80))
    )
    return Framework(
        "bench", "BENCH", ("province",), "x", "x", 2024, None, "-", tuple(nodes),
        total_max=100.0, groups=bands,
    )  # fmt: skip


def results_path(folder: Path, units: int, seed: int = 1) -> tuple[Framework, Path]:
    fw = synthetic_framework()
    plan = compile_plan(fw)
    rng = np.random.default_rng(seed)
    given = np.full((plan.size, units), np.nan)
    shares = rng.uniform(0.55, 0.95, (plan.n_leaves, units))
    given[: plan.n_leaves] = np.round(shares * 0.5 * 4) / 4
    for j in range(plan.n_leaves):
        if plan.nodes[j].code.endswith(".5"):
            given[j] = np.where(shares[j] > 0.7, 0.5, 0.0)
    na = np.zeros(given.shape, dtype=bool)
    se = np.full(given.shape, np.nan)
    se[plan.root] = rng.uniform(0.5, 2.0, units)
    names = [f"Tỉnh {i:02d}" for i in range(units)]
    results = score(fw, names, given, na, plan=plan, se=se)
    path = folder / "r.json"
    write_results(results, path)
    return fw, path


def reference_p_first(values: np.ndarray, se: np.ndarray, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    firsts = np.zeros(len(values))
    for _ in range(draws):
        drawn = [v + s * rng.standard_normal() for v, s in zip(values, se, strict=True)]
        order = sorted(range(len(drawn)), key=lambda i: -drawn[i])
        firsts[order[0]] += 1
    out: np.ndarray = firsts / draws
    return out


def reference_plan_effort(loaded, unit: str, needed: float) -> float:  # type: ignore[no-untyped-def]
    """One scoring per leaf for its weight, then the greedy (points leaves) and whole yes/no
    steps in the same order: an upper bound on the least effort."""
    res = loaded.results
    u = res.units.index(unit)
    base = float(res.total[u])
    gains = []
    for j in range(res.plan.n_leaves):
        top = float(res.plan.maxima[j]) - float(loaded.given[j, u])
        if top <= 0:
            continue
        col = loaded.given[:, u : u + 1].copy()
        col[j, 0] = res.plan.maxima[j]
        again = score(res.framework, [unit], col, loaded.na[:, u : u + 1].copy(), plan=res.plan)
        gains.append(((float(again.total[0]) - base) / top, top))
    effort, left = 0.0, needed - base
    for gain, top in sorted(gains, key=lambda g: -g[0]):
        if left <= 1e-9:
            break
        take = min(top, left / gain)
        effort += take
        left -= gain * take
    return effort


def framework_yaml(fw: Framework, path: Path) -> Path:
    """The synthetic framework as a framework file, for the commands run as processes."""

    def node(n: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"code": n.code, "name_vi": f"x {n.code}", "name_en": "x"}
        out["max"] = n.max
        if n.children:
            out["children"] = [node(c) for c in n.children]
        else:
            out["rule"] = {"kind": n.rule.kind}
        return out

    bands = [
        {"code": "A", "name_vi": "A", "name_en": "A", "min": 90},
        {"code": "B", "name_vi": "B", "name_en": "B", "min": 80, "below": 90},
        {"code": "C", "name_vi": "C", "name_en": "C", "below": 80},
    ]
    doc = {
        "format": 1, "code": "bench", "index": "BENCH", "subject": "province",
        "name_vi": "x", "name_en": "x", "years": {"from": 2024, "to": None}, "legal_basis": "-",
        "scoring": {
            "precision": 2, "rank_by": "index", "total": {"aggregation": "sum", "max": 100},
            "groups": {"method": "bands", "on": "index", "bands": bands},
            "defaults": {"aggregation": "sum", "children_add_up": True, "source": "appraised"},
        },
        "nodes": [node(n) for n in fw.nodes],
    }  # fmt: skip
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def process_seconds(args: list[str], runs: int = 5) -> float:
    """The median wall time of ``chiso ARGS`` as a whole process (start, read, compute, write)."""
    chiso = Path(sys.executable).with_name("chiso")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(chiso), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        fw, path = results_path(Path(folder), 63)
        t0 = time.perf_counter()
        loaded = load_results(path, fw)
        result = rank_uncertainty(loaded, args.draws, seed=1)
        t_ranks = time.perf_counter() - t0
        res = loaded.results
        t0 = time.perf_counter()
        ref = reference_p_first(res.total, res.total_se, args.draws, seed=2)
        t_ref = time.perf_counter() - t0
        ours = {u.unit: u.p_first for u in result.units}
        diff = max(abs(ours[name] - ref[i]) for i, name in enumerate(res.units))
        print(
            f"ranks: 63 units × {args.draws} draws in {t_ranks:.3f} s (target < 1 s, "
            f"reading the file included); Python loop {t_ref:.3f} s: {t_ref / t_ranks:.1f}× "
            f"faster; max |Δ p_first| {diff:.4f}"
        )
        unit = res.units[int(np.argmin(res.total))]
        t0 = time.perf_counter()
        loaded = load_results(path, fw)
        plan = make_plan(loaded, unit, Target("index", 95.0))
        t_plan = time.perf_counter() - t0
        t0 = time.perf_counter()
        ref_effort = reference_plan_effort(loaded, unit, 95.0)
        t_ref_plan = time.perf_counter() - t0
        print(
            f"plan: 200 leaves, {len(plan.actions)} actions, effort {plan.effort:.3f} "
            f"(optimal={plan.optimal}) in {t_plan:.3f} s (target < 0.5 s, reading included); "
            f"one scoring per leaf {t_ref_plan:.3f} s: {t_ref_plan / t_plan:.1f}×; "
            f"reference effort {ref_effort:.3f}"
        )
        fw_file = str(framework_yaml(fw, Path(folder) / "bench.yaml"))
        ranks = ["ranks", str(path), "-f", fw_file, "--draws", str(args.draws), "--seed", "1"]
        t_ranks_process = process_seconds([*ranks, "--out", str(Path(folder) / "ranks.csv")])
        plan_args = ["plan", str(path), "-f", fw_file, "--unit", unit, "--index", "95"]
        t_plan_process = process_seconds([*plan_args, "--out", str(Path(folder) / "plan.json")])
        t_help = process_seconds(["plan", "--help"])
        print(
            f"as whole processes: chiso ranks {t_ranks_process:.3f} s, chiso plan "
            f"{t_plan_process:.3f} s (of which starting: chiso plan --help {t_help:.3f} s, and "
            f"reading the 248-node framework file)"
        )


if __name__ == "__main__":
    main()
