"""A framework compiled for computation: nodes numbered in post-order, children as index arrays.

The engine walks this plan once per cycle with NumPy operations over all units at a time, so
the tree's shape is resolved here, once, and never again per unit: :func:`compile_plan` keeps
the plans it made (a framework is an immutable value, so equal frameworks share one plan), and
their arrays are read-only, so that no caller can change the plan another one is using.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import TOTAL_CODE, Framework, Node

ROOT = TOTAL_CODE  # the synthetic root's code: the total


@dataclass(frozen=True)
class PlanNode:
    position: int
    code: str
    max: float  # NaN where unknown
    aggregation: str
    cap: bool
    children: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float64]
    parent: int  # -1 for the root
    node: Node | None  # None for the synthetic root
    leaf_children: npt.NDArray[np.intp]  # the children that are leaves
    inner_children: npt.NDArray[np.intp]  # the children that are inner nodes


@dataclass(frozen=True)
class ScoringPlan:
    """A framework compiled for the engine (named apart from the improvement plans units make):
    leaves first, then inner nodes after all of their descendants; the root is last."""

    framework: Framework
    nodes: tuple[PlanNode, ...]
    positions: dict[str, int]
    n_leaves: int
    maxima: npt.NDArray[np.float64]
    preorder: dict[str, int]

    @property
    def size(self) -> int:
        return len(self.nodes)

    @property
    def leaves(self) -> npt.NDArray[np.intp]:
        """Positions of the leaves: always the first ``n_leaves`` rows."""
        return np.arange(self.n_leaves, dtype=np.intp)

    @property
    def inner(self) -> tuple[PlanNode, ...]:
        """Nodes with children (the root included), children before parents."""
        return tuple(n for n in self.nodes if len(n.children))

    @property
    def root(self) -> int:
        return len(self.nodes) - 1

    @property
    def codes(self) -> list[str]:
        return [n.code for n in self.nodes]

    def above(self, code: str) -> list[str]:
        """The codes of the nodes above ``code``, nearest first, ending with the total's
        (:data:`ROOT`); none above the total itself."""
        j = self.root if code == ROOT else self.positions[code]
        out = []
        while (j := self.nodes[j].parent) >= 0:
            out.append(self.nodes[j].code)
        return out

    def domain_of(self, code: str) -> str:
        """The top-level node (domain) ``code`` belongs to, found up the tree's parent chain
        (itself for a domain): a framework's codes need not start with their domain's."""
        chain = [code, *self.above(code)]
        return chain[-2] if len(chain) > 1 else code

    def leaves_below(self, j: int) -> list[int]:
        """The positions of the leaves under the node at position ``j``."""
        pn = self.nodes[j]
        return [int(k) for k in pn.leaf_children] + [
            k for i in pn.inner_children for k in self.leaves_below(int(i))
        ]


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


@lru_cache(maxsize=64)
def compile_plan(framework: Framework) -> ScoringPlan:
    """Number the nodes: leaves first (official order), then inner nodes children-first, the
    synthetic root (the total) last. Leaves in one block let the engine treat them with a few
    whole-array operations.

    Made once per framework and kept (the cycle's page, its sheets and every scoring ask for
    the plan of the same framework again and again): the one cache of compiled plans."""
    leaves: list[Node] = []
    inner: list[Node] = []

    def visit(node: Node) -> None:
        for child in node.children:
            visit(child)
        (inner if node.children else leaves).append(node)

    for node in framework.nodes:
        visit(node)
    ordered: list[Node] = leaves + inner
    position = {id(n): i for i, n in enumerate(ordered)}
    root = len(ordered)
    parent_of: dict[int, int] = {}
    for n in ordered:
        for child in n.children:
            parent_of[position[id(child)]] = position[id(n)]
    for n in framework.nodes:
        parent_of[position[id(n)]] = root

    n_leaves = len(leaves)

    def make(
        i: int,
        code: str,
        maximum: float | None,
        aggregation: str,
        cap: bool,
        children: tuple[Node, ...],
        parent: int,
        node: Node | None,
    ) -> PlanNode:
        # children listed leaves first, as the engine stacks them; weights follow that order
        kids = sorted(children, key=lambda c: position[id(c)] >= n_leaves)
        at = _frozen(np.asarray([position[id(c)] for c in kids], dtype=np.intp))
        return PlanNode(
            i,
            code,
            _nan(maximum),
            aggregation,
            cap,
            at,
            _frozen(np.asarray([c.weight or 0.0 for c in kids], dtype=np.float64)),
            parent,
            node,
            _frozen(at[at < n_leaves]),
            _frozen(at[at >= n_leaves]),
        )

    nodes = [
        make(i, n.code, n.max, n.aggregation, n.cap, n.children, parent_of[i], n)
        for i, n in enumerate(ordered)
    ]
    nodes.append(
        make(
            root,
            ROOT,
            framework.total_max,
            framework.total_aggregation,
            False,
            framework.nodes,
            -1,
            None,
        )
    )
    positions = {n.code: n.position for n in nodes if n.node is not None}
    maxima = _frozen(np.asarray([n.max for n in nodes], dtype=np.float64))
    preorder = {code: i for i, code in enumerate(framework.codes)}
    return ScoringPlan(framework, tuple(nodes), positions, n_leaves, maxima, preorder)
