"""The (domain, PSU) cells an estimate is built from, and the sums over them the variance needs.

A design-based mean and its linearised variance depend on the rows only through weighted
sums per (domain, PSU) cell; the variance then adds those up per (domain, stratum). A grid of
every domain × every PSU is mostly empty (a province's domain has only that province's PSUs),
so the cells are those that have rows, numbered in (domain, PSU) order: per item the arrays are
``[item, cell]``, and the sums per domain or per (domain, stratum) are ``np.add.reduceat`` over
cells kept in that order. A calibrated design is the exception: its residuals reach every PSU
from every domain (R keeps all rows of a calibrated design in a subset, with weight 0), so it
uses the full grid.

Sums over the occupied cells are those over the full grid with the empty cells (zeros) left
out, added in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def _starts(sorted_keys: npt.NDArray[Any]) -> IntArray:
    """Where each run of equal keys starts in a sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.intp)
    change = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    return np.concatenate(([0], change)).astype(np.intp)


@dataclass(frozen=True)
class CellGrid:
    """Cells (``dom[c]``, ``psu[c]``) in (domain, PSU) order, and how they group by domain and
    by (domain, stratum)."""

    dom: IntArray
    psu: IntArray
    n_dom: int
    psu_stratum: npt.NDArray[np.int64]  # the design's: stratum of each PSU
    n_strata: int
    dom_starts: IntArray  # every domain has cells, so these are n_dom starts
    order: IntArray  # the cells in (domain, stratum) order
    group_starts: IntArray
    group_dom: IntArray
    group_stratum: IntArray

    @classmethod
    def of(
        cls, flat: IntArray, n_dom: int, psu_stratum: npt.NDArray[np.int64], n_strata: int
    ) -> CellGrid:
        """The grid of the cells ``flat`` (ascending indices ``domain × n_psu + PSU``)."""
        dom, psu = np.divmod(flat, len(psu_stratum))
        group_key = dom * n_strata + psu_stratum[psu]
        order = np.argsort(group_key, kind="stable").astype(np.intp)
        sorted_key = group_key[order]
        group_starts = _starts(sorted_key)
        first = sorted_key[group_starts]
        return cls(
            dom=dom.astype(np.intp),
            psu=psu.astype(np.intp),
            n_dom=n_dom,
            psu_stratum=psu_stratum,
            n_strata=n_strata,
            dom_starts=_starts(dom),
            order=order,
            group_starts=group_starts,
            group_dom=(first // n_strata).astype(np.intp),
            group_stratum=(first % n_strata).astype(np.intp),
        )

    @property
    def size(self) -> int:
        return len(self.dom)

    def per_domain(self, x: FloatArray) -> FloatArray:
        """``[..., cell]`` summed per domain: ``[..., domain]``."""
        summed: FloatArray = np.add.reduceat(x, self.dom_starts, axis=-1)
        return summed

    def per_stratum(self, x: FloatArray) -> FloatArray:
        """``[row, cell]`` summed per (domain, stratum): ``[row, domain, stratum]``, zero where
        a domain has no PSU of a stratum."""
        summed = np.add.reduceat(x[:, self.order], self.group_starts, axis=-1)
        out = np.zeros((len(x), self.n_dom, self.n_strata))
        out[:, self.group_dom, self.group_stratum] = summed
        return out

    def whole(self) -> tuple[CellGrid, IntArray, IntArray]:
        """The grid of the whole sample (one domain: the PSUs of these cells), and how to add
        this grid's ``[..., cell]`` up into it: ``np.add.reduceat(x[..., order], starts)``,
        which adds each PSU's cells in domain order."""
        order = np.argsort(self.psu, kind="stable").astype(np.intp)
        starts = _starts(self.psu[order])
        psus = self.psu[order][starts]
        return CellGrid.of(psus, 1, self.psu_stratum, self.n_strata), order, starts
