"""A framework compiled for computation: nodes numbered in post-order, children as index arrays.

The engine walks this plan once per cycle with NumPy operations over all units at a time, so
the tree's shape is resolved here, once, and never again per unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import Framework, Node

ROOT = "total"


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


@dataclass(frozen=True)
class Plan:
    """Post-order numbering: every node comes after all of its descendants; the root is last."""

    framework: Framework
    nodes: tuple[PlanNode, ...]
    positions: dict[str, int]
    leaves: npt.NDArray[np.intp]
    maxima: npt.NDArray[np.float64]
    preorder: dict[str, int]

    @property
    def size(self) -> int:
        return len(self.nodes)

    @property
    def root(self) -> int:
        return len(self.nodes) - 1

    @property
    def codes(self) -> list[str]:
        return [n.code for n in self.nodes]


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def compile_plan(framework: Framework) -> Plan:
    order: list[tuple[Node | None, list[int]]] = []
    parents: dict[int, int] = {}

    def visit(node: Node) -> int:
        kids = [visit(child) for child in node.children]
        order.append((node, kids))
        return len(order) - 1

    top = [visit(node) for node in framework.nodes]
    order.append((None, top))
    for pos, (_, kids) in enumerate(order):
        for kid in kids:
            parents[kid] = pos
    nodes: list[PlanNode] = []
    for pos, (node, kids) in enumerate(order):
        children = np.asarray(kids, dtype=np.intp)
        weights = np.asarray(
            [(order[k][0].weight or 0.0) if order[k][0] is not None else 0.0 for k in kids],  # type: ignore[union-attr]
            dtype=np.float64,
        )
        if node is None:
            nodes.append(
                PlanNode(
                    pos,
                    ROOT,
                    _nan(framework.total_max),
                    framework.total_aggregation,
                    False,
                    children,
                    weights,
                    -1,
                    None,
                )
            )
        else:
            nodes.append(
                PlanNode(
                    pos,
                    node.code,
                    _nan(node.max),
                    node.aggregation,
                    node.cap,
                    children,
                    weights,
                    parents.get(pos, -1),
                    node,
                )
            )
    positions = {n.code: n.position for n in nodes if n.node is not None}
    leaves = np.asarray(
        [n.position for n in nodes if n.node is not None and not len(n.children)], dtype=np.intp
    )
    maxima = np.asarray([n.max for n in nodes], dtype=np.float64)
    preorder = {code: i for i, code in enumerate(framework.codes)}
    return Plan(framework, tuple(nodes), positions, leaves, maxima, preorder)
