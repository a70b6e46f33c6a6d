"""Labels (strata, PSUs, domains, post-strata) as integer codes into their sorted distinct
values, which is how the estimator groups rows.

Why not always ``np.unique``: it sorts all N labels, and a design factorises three to five
columns; integer labels in a modest range (province codes, PSU numbers, the codes of a
stratum × PSU pair) are factorised here with one counting pass instead, to the same codes and
the same sorted labels. A caller that already holds codes (a responses table factorises each
column once, while reading it) hands them over as a :class:`Factor` and nothing is redone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Factor:
    """Codes (one per row, ``0 … len(levels) − 1``) into ``levels``, sorted as ``np.unique``
    sorts them."""

    codes: IntArray
    levels: npt.NDArray[Any]

    def __len__(self) -> int:
        return len(self.codes)

    def values(self) -> npt.NDArray[Any]:
        """The label of every row."""
        values: npt.NDArray[Any] = self.levels[self.codes]
        return values


def _counting(array: npt.NDArray[np.integer[Any]]) -> Factor | None:
    """Integer labels whose range is at most a few times their number: one bincount."""
    if array.size == 0:
        return None
    low, high = int(array.min()), int(array.max())
    span = high - low + 1
    if span > 4 * array.size + 1024:
        return None
    offset = array.astype(np.int64) - low
    present = np.bincount(offset, minlength=span) > 0
    lookup = np.cumsum(present) - 1
    levels = (np.flatnonzero(present) + low).astype(array.dtype)
    return Factor(lookup[offset].astype(np.int64), levels)


def factorise(values: npt.ArrayLike | Factor) -> Factor:
    """``values`` as codes into their sorted distinct labels (text labels compared as text)."""
    if isinstance(values, Factor):
        return values
    array = np.asarray(values)
    if array.dtype == object:
        array = array.astype(str)
    array = array.ravel()
    if array.dtype.kind in "iu":
        counted = _counting(array)
        if counted is not None:
            return counted
    labels, codes = np.unique(array, return_inverse=True)
    return Factor(codes.astype(np.int64).ravel(), labels)
