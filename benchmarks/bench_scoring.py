"""Benchmark: score and rank 10,000 units × 200 leaves × 10 cycles.

Compares chiso's engine with a plain per-unit Python loop over the same data, both measured in
this run, and checks that both give the same totals and ranks. Target: the whole job under 1 s.

    .venv/bin/python benchmarks/bench_scoring.py [--units 10000] [--cycles 10]
"""

from __future__ import annotations

import argparse
import resource
import time
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from chiso.frameworks.model import Band, Framework, Groups, Node
from chiso.numbers import round_half_up_array
from chiso.scoring import compile_plan, score


def synthetic_framework(domains: int = 8, criteria: int = 5, sub: int = 5) -> Framework:
    """8 × 5 × 5 = 200 leaves, maxima adding up to 100 (a PAR-INDEX-sized tree)."""
    leaf_max = 100.0 / (domains * criteria * sub)
    nodes = []
    for d in range(1, domains + 1):
        crits = []
        for c in range(1, criteria + 1):
            leaves = tuple(Node(f"{d}.{c}.{s}", "x", "x", leaf_max) for s in range(1, sub + 1))
            crits.append(Node(f"{d}.{c}", "x", "x", leaf_max * sub, children=leaves))
        nodes.append(Node(str(d), "x", "x", leaf_max * sub * criteria, children=tuple(crits)))
    bands = Groups(
        "bands",
        "index",
        (
            Band("A", min=90),
            Band("B", min=80, below=90),
            Band("C", min=70, below=80),
            Band("D", below=70),
        ),
    )
    return Framework(
        "bench",
        "BENCH",
        ("province",),
        "x",
        "x",
        2024,
        None,
        "-",
        tuple(nodes),
        total_max=100.0,
        groups=bands,
    )


def make_cycles(plan, units: int, cycles: int, seed: int = 1):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(cycles):
        given = np.full((plan.size, units), np.nan)
        leaf_max = plan.maxima[plan.leaves][:, None]
        given[plan.leaves] = np.round(
            rng.uniform(0.4, 1.0, (len(plan.leaves), units)) * leaf_max, 2
        )
        na = np.zeros((plan.size, units), dtype=bool)
        na[plan.leaves] = rng.random((len(plan.leaves), units)) < 0.02
        holes = rng.random((len(plan.leaves), units)) < 0.00002
        given[plan.leaves[:, None], np.arange(units)] = np.where(holes, np.nan, given[plan.leaves])
        out.append((given, na))
    return out


def reference(fw: Framework, plan, given, na):  # type: ignore[no-untyped-def]
    """Plain Python: walk the tree for each unit, then sort and rank."""
    leaf_rows = {plan.nodes[j].code: j for j in plan.leaves}

    def walk(node: Node, u: int) -> tuple[float, float, bool]:
        if not node.children:
            j = leaf_rows[node.code]
            if na[j, u]:
                return 0.0, 0.0, False
            v = given[j, u]
            if v != v:
                return float("nan"), node.max or 0.0, True
            return float(v), node.max or 0.0, False
        total, maximum, missing = 0.0, 0.0, False
        for child in node.children:
            v, m, miss = walk(child, u)
            total += v
            maximum += m
            missing = missing or miss
        return total, maximum, missing

    n = given.shape[1]
    index = [float("nan")] * n
    for u in range(n):
        total, maximum, missing = 0.0, 0.0, False
        for node in fw.nodes:
            v, m, miss = walk(node, u)
            total += v
            maximum += m
            missing = missing or miss
        if not missing:
            # round to 6 places first: summation order must not decide a tie at 2 places
            value = Decimal(repr(round(total / maximum * 100, 6)))
            index[u] = float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    valid = sorted((v for v in index if v == v), reverse=True)
    first = {}
    for position, v in enumerate(valid):
        first.setdefault(v, position + 1)
    ranks = [first[v] if v == v else 0 for v in index]
    return np.array(index), np.array(ranks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    fw = synthetic_framework()
    plan = compile_plan(fw)
    data = make_cycles(plan, args.units, args.cycles)
    names = [f"unit {i}" for i in range(args.units)]
    print(f"{args.units:,} units × {len(plan.leaves)} leaves × {args.cycles} cycles", flush=True)

    start = time.perf_counter()
    results = [score(fw, names, given, na, plan=plan) for given, na in data]
    chiso_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    expected = [reference(fw, plan, given, na) for given, na in data]
    reference_s = time.perf_counter() - start

    for r, (index, ranks) in zip(results, expected, strict=True):
        ours = round_half_up_array(r.index, 2)
        assert np.allclose(ours, index, equal_nan=True, atol=1e-9)
        assert (r.rank == ranks).all(), "ranks differ from the reference"
    print(f"chiso engine      : {chiso_s:8.3f} s  (peak RSS {peak_mb:,.0f} MB)")
    print(f"plain Python loop : {reference_s:8.3f} s")
    print(f"ratio             : {reference_s / chiso_s:8.1f} × faster")
    print(f"target < 1 s      : {'met' if chiso_s < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
