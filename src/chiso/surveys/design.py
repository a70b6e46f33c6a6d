"""A survey design and the estimators analysts know from R's ``survey`` package.

``SurveyDesign`` is what ``svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE,
fpc=~fpc)`` is in R: the first-stage sampling units within strata, the weights, and the
with-replacement (Taylor linearisation) approximation to the variance of a multi-stage design.
``SurveyDesign.mean`` is ``svyby(~y, ~domain, design, svymean, na.rm=TRUE, deff=TRUE)`` for many
items at once, and its logit interval is ``svyciprop(method="logit")``; the test suite checks
both against R to 1e-9.

Why our own estimator: R's survey takes about 10–15 s and samplics about 24 s for a national
SIPAS-sized table; the same formulas vectorised with NumPy take a few milliseconds (a million
responses in a few tenths of a second) and give the same numbers. Everything follows from
weighted sums per (domain, PSU) cell: the rows are given their cell once, numbered among the
cells that have rows, and each item then costs two weighted ``np.bincount`` passes (Σ w and
Σ w·y over the rows that answered; the count of those is all rows' count minus the few who did
not answer, and a 0/1 item's Σ w·y² is its Σ w·y, exactly); the linearisation and the variance
then run on all items of a batch at once, as arrays ``[item, domain, PSU]``.

This module is pure computation: NumPy arrays (or labels) in, :class:`Estimates` out. Reading
responses is :mod:`chiso.surveys.responses`'s, formatting tables the command line's.

Conventions copied from R so that numbers agree:

* missing answers are excluded item by item (``na.rm=TRUE``): the rows leave the estimate but
  every PSU of the design stays in the variance, with a zero total where it has no rows;
* a domain is a subset of the design, not a new design: PSU counts per stratum come from the
  whole design (``survey.adjust.domain.lonely=FALSE``);
* a stratum with one PSU ("lonely") is handled by ``lonely_psu`` as R's option of that name:
  ``fail``, ``certainty``/``remove`` (no contribution), ``adjust`` (centred at the grand mean
  of zero), ``average`` (the average variance of the other strata);
* the finite population correction uses the population number of PSUs per stratum, or the
  sampling fraction when the value given is at most 1;
* the design effect compares with simple random sampling without replacement
  (``deff=TRUE``), and degrees of freedom are PSUs minus strata of the rows used.

``SurveyDesign.contrast_by`` gives linear combinations Σ_k c_k·ȳ_k of the item means per domain
(a SIPAS factor is the mean of its criteria, the index the mean of the factors), as R's
``svycontrast`` does over the domain's block of ``svyby(..., covmat=TRUE)``: the items are
answered by the same people in the same PSUs, so their covariance is part of the variance. The
influence values of a combination are Σ_k c_k·z_ik, and they go through the same variance code
as a mean's; the domain is the rows that answered at least one of its items, so a combination
of one item is that item's mean, standard error and df included.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.surveys.calibration import (
    PostStrata,
    Raking,
    calibration_sums,
    post_stratification,
    raking,
)
from chiso.surveys.cells import CellGrid
from chiso.surveys.errors import DesignError
from chiso.surveys.estimates import Contrasts, Estimates, contrasts_from, estimates_from
from chiso.surveys.labels import Factor, factorise

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
LONELY_PSU = ("fail", "certainty", "remove", "adjust", "average")
BATCH_CELLS = 4_000_000  # items × cells held at once by the variance code: items in batches
COLUMN_BLOCK = 8  # columns of a row-major [row, item] array transposed together
ROW_BLOCK = 4096  # rows transposed at a time: a block of them stays in the cache

__all__ = ["LONELY_PSU", "Contrasts", "DesignError", "Estimates", "Factor", "SurveyDesign"]


def _contiguous_columns(
    values: FloatArray, start: int, stop: int, buffer: FloatArray
) -> FloatArray:
    """Columns ``start:stop`` of ``values`` as contiguous rows ``[item, row]`` (in ``buffer``
    when they must be copied). A row-major array is transposed a block of rows at a time:
    read column by column, every value would cost a memory access of its own (eight columns
    share a cache line)."""
    part = values[:, start:stop]
    if part.shape[1] == 1 or part.flags.f_contiguous:
        return np.ascontiguousarray(part.T)
    out = buffer[: part.shape[1]]
    for row in range(0, part.shape[0], ROW_BLOCK):
        out[:, row : row + ROW_BLOCK] = part[row : row + ROW_BLOCK].T
    return out


@dataclass(frozen=True)
class _Influence:
    """A batch of items' linearisation: per domain the means; per cell the totals of their
    influence values (calibration residuals removed), and which cells count: ``present`` for
    the variance (every cell in a calibrated design, as R keeps all rows there), ``used``
    (rows that answered) for the degrees of freedom. Arrays ``[item, domain]`` and
    ``[item, cell]``."""

    est: FloatArray
    totals: FloatArray
    present: BoolArray
    used: BoolArray
    n: FloatArray
    squares: FloatArray  # Σ w (y - mean)²
    total_w: FloatArray


class _Combination:
    """Σ_k c_k·(item k's linearisation) for several coefficient vectors, added up item by item
    so that no item's PSU totals are kept: the influence values of a linear combination are the
    same combination of the items' influence values (R's delta method on ``svyby`` totals gives
    the same)."""

    def __init__(self, coefficients: FloatArray, grid: CellGrid) -> None:
        n_c = len(coefficients)
        self.coefficients = coefficients  # [contrast, item]
        self.grid = grid
        self.est: FloatArray = np.zeros((n_c, grid.n_dom))
        self.totals: FloatArray = np.zeros((n_c, grid.size))
        self.present: BoolArray = np.zeros((n_c, grid.size), dtype=bool)
        self.used: BoolArray = np.zeros((n_c, grid.size), dtype=bool)

    def add(self, items: range, batch: _Influence) -> None:
        for j, k in enumerate(items):
            c = self.coefficients[:, k]
            # an item outside a combination adds nothing (not even its NaN where nobody answered)
            nz = c != 0
            if not nz.any():
                continue
            self.est[nz] += c[nz, None] * batch.est[j]
            self.totals[nz] += c[nz, None] * batch.totals[j]
            self.present[nz] |= batch.present[j]
            self.used[nz] |= batch.used[j]


@dataclass(frozen=True)
class _Rows:
    """Each row's cell in the domains' :class:`~chiso.surveys.cells.CellGrid`, and per cell
    all rows' count and weight."""

    cell: npt.NDArray[np.intp]
    grid: CellGrid
    count: FloatArray
    weight: FloatArray


class SurveyDesign:
    """A stratified cluster design; see the module's docstring for the conventions."""

    def __init__(
        self,
        weights: npt.ArrayLike,
        strata: npt.ArrayLike | Factor | None = None,
        psu: npt.ArrayLike | Factor | None = None,
        fpc: npt.ArrayLike | None = None,
        nest: bool = True,
        lonely_psu: str = "fail",
    ) -> None:
        w = np.asarray(weights, dtype=np.float64)
        n = len(w)
        if lonely_psu not in LONELY_PSU:
            raise DesignError("survey.lonely_policy", value=lonely_psu, allowed=LONELY_PSU)
        if not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise DesignError("survey.bad_weights")
        self.weights = w
        self.lonely_psu = lonely_psu
        strata_factor = factorise(np.zeros(n, dtype=np.int64) if strata is None else strata)
        self.strata, self.strata_labels = strata_factor.codes, strata_factor.levels
        self.n_strata = len(self.strata_labels)
        if psu is None:
            self.psu, self.n_psu = np.arange(n, dtype=np.int64), n  # every row its own PSU
        else:
            if nest:
                # the same PSU label in two strata names two PSUs
                psu_factor = factorise(psu)
                psu_key = factorise(self.strata * len(psu_factor.levels) + psu_factor.codes)
            else:
                psu_key = factorise(psu)
            self.psu, self.n_psu = psu_key.codes, len(psu_key.levels)
        self.psu_stratum = np.zeros(self.n_psu, dtype=np.int64)
        self.psu_stratum[self.psu] = self.strata
        if not nest:
            pairs = factorise(self.psu * self.n_strata + self.strata)
            if len(pairs.levels) != self.n_psu:
                raise DesignError("survey.psu_in_two_strata")
        self.psu_per_stratum = np.bincount(self.psu_stratum, minlength=self.n_strata)
        self.f = np.ones(self.n_strata)  # 1 - sampling fraction, per stratum
        if fpc is not None:
            values = np.asarray(fpc, dtype=np.float64)
            per_stratum = np.full(self.n_strata, np.nan)
            per_stratum[self.strata] = values
            fraction = np.where(per_stratum <= 1, per_stratum, self.psu_per_stratum / per_stratum)
            self.f = 1.0 - fraction
        self.post: PostStrata | None = None
        self.raking: Raking | None = None
        # PSUs grouped by stratum, so that sums per stratum are one np.add.reduceat
        self._order = np.argsort(self.psu_stratum, kind="stable")
        self._starts = np.searchsorted(self.psu_stratum[self._order], np.arange(self.n_strata))

    def post_stratify(
        self, labels: npt.ArrayLike | Factor, population: dict[str, float]
    ) -> SurveyDesign:
        """A copy whose weights add up to the ``population`` count of each post-stratum
        (``postStratify`` in R: census counts by sex, age group...); the variance then accounts
        for the adjustment."""
        new = copy.copy(self)
        new.weights, new.post = post_stratification(
            self.weights, self.psu, self.n_psu, labels, population
        )
        return new

    def rake(
        self,
        margins: list[tuple[npt.ArrayLike | Factor, dict[str, float]]],
        max_iterations: int = 10,
        epsilon: float = 1.0,
    ) -> SurveyDesign:
        """A copy raked to several population margins (R's ``rake``: post-stratify on each
        margin in turn until no weighted count moves by ``epsilon`` or more)."""
        new = copy.copy(self)
        new.weights, new.raking = raking(
            self.weights, self.psu, self.n_psu, margins, max_iterations, epsilon
        )
        return new

    @property
    def lonely(self) -> npt.NDArray[np.bool_]:
        lonely: npt.NDArray[np.bool_] = self.psu_per_stratum == 1
        return lonely

    def _stratum_variance(
        self, sums: FloatArray, squares: FloatArray, present: BoolArray, group_rows: int
    ) -> FloatArray:
        """Linearised variance per row from the sums per stratum ``[row, stratum]`` of the
        influence values' PSU totals and of their squares (a row: a domain of an item, or of a
        combination); ``present`` marks strata with PSUs in the domain. Rows come in groups of
        ``group_rows`` (an item's domains): a lonely PSU under ``fail`` is reported for the
        first group that has one, as item by item."""
        n_h = self.psu_per_stratum.astype(np.float64)
        lonely = self.lonely
        with np.errstate(invalid="ignore", divide="ignore"):
            centred = squares - np.where(lonely, 0.0, sums * sums / n_h)
            scale = self.f * np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
        per_stratum = np.where(self.f < 1e-7, 0.0, centred * scale)  # census strata: none
        lonely_present = present & lonely
        if lonely_present.any():
            policy = self.lonely_psu
            if policy == "fail":
                row = int(np.flatnonzero(lonely_present.any(axis=1))[0])
                start = row - row % group_rows
                group = lonely_present[start : start + group_rows]
                first = int(np.flatnonzero(group.any(axis=0))[0])
                raise DesignError("survey.lonely_psu", stratum=str(self.strata_labels[first]))
            if policy in ("certainty", "remove"):
                per_stratum = np.where(lonely, 0.0, per_stratum)
            elif policy == "average":
                ok = present & ~lonely
                total = np.where(ok, per_stratum, 0.0).sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    result: FloatArray = total * present.sum(axis=1) / ok.sum(axis=1)
                    return result
        summed: FloatArray = np.where(present, per_stratum, 0.0).sum(axis=1)
        return summed

    def _domains(
        self, domains: npt.ArrayLike | Factor | None
    ) -> tuple[npt.NDArray[np.object_], IntArray]:
        n = len(self.weights)
        if domains is None:
            return np.array(["all"], dtype=object), np.zeros(n, dtype=np.int64)
        factor = factorise(domains)
        return factor.levels.astype(object), factor.codes

    def mean(
        self, y: npt.ArrayLike, domains: npt.ArrayLike | Factor | None = None, level: float = 0.95
    ) -> tuple[Estimates, npt.NDArray[np.object_]]:
        """Weighted means (proportions for 0/1 items) per domain and item, NaN answers excluded
        item by item: ``svyby(~y, ~domain, design, svymean, na.rm=TRUE, deff=TRUE)``.
        Returns the estimates ``[domain, item]`` and the domain labels in their order."""
        by, labels, _ = self.mean_by(y, domains, level)
        return by, labels

    def contrast_by(
        self,
        y: npt.ArrayLike,
        coefficients: npt.ArrayLike,
        domains: npt.ArrayLike | Factor | None = None,
        level: float = 0.95,
    ) -> tuple[Contrasts, npt.NDArray[np.object_], Contrasts]:
        """Linear combinations Σ_k c_k·ȳ_k of the item means, per domain and for the whole
        sample: R's ``svycontrast`` of ``Σ c_k·T(y_k·r_k)/T(r_k)`` over the domain's
        ``svytotal`` (r_k = 1 where item k was answered), i.e. the delta method on ratios.

        ``coefficients[contrast, item]`` (one row per combination; a vector is one
        combination). Each item's mean uses the rows that answered it, as in :meth:`mean_by`;
        the standard error comes from the combined influence values Σ_k c_k·z_ik, so it counts
        the covariance of items answered by the same people, which adding the items' variances
        would miss. Returns the per-domain combinations, the domain labels, and the whole
        sample's."""
        by, labels, overall = self.mean_by(y, domains, level, contrasts=coefficients)
        assert by.contrasts is not None and overall.contrasts is not None
        return by.contrasts, labels, overall.contrasts

    def mean_by(
        self,
        y: npt.ArrayLike,
        domains: npt.ArrayLike | Factor | None = None,
        level: float = 0.95,
        contrasts: npt.ArrayLike | None = None,
    ) -> tuple[Estimates, npt.NDArray[np.object_], Estimates]:
        """Per-domain estimates, the domain labels, and the whole sample's estimates, from one
        pass over the rows per item: everything follows from weighted sums per (domain, PSU)
        cell, and the whole sample's cells are the domains' cells added up.

        ``y`` is ``[row, item]`` (or one item); NaN is an answer not given. Its columns are
        read one at a time, so a column-major (Fortran-ordered) array is read without a copy.

        With ``contrasts[contrast, item]``, the same pass also gives those linear combinations
        of the means (see :meth:`contrast_by`) in ``Estimates.contrasts``, so that the means
        and, say, a SIPAS index built from them cost one pass."""
        values = np.asarray(y, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        labels, dom = self._domains(domains)
        n_dom, n_items = len(labels), values.shape[1]
        combined: dict[str, _Combination] = {}
        if contrasts is not None:
            coefficients = np.atleast_2d(np.asarray(contrasts, dtype=np.float64))
            if coefficients.shape[1] != n_items:
                raise ValueError(f"contrasts need {n_items} coefficients per row")
        rows = self._rows(dom, n_dom)
        grids = {"by": rows.grid}
        if domains is not None:
            grids["all"], to_whole, whole_starts = rows.grid.whole()
        if contrasts is not None:
            combined = {scope: _Combination(coefficients, grid) for scope, grid in grids.items()}
        parts: dict[str, list[tuple[FloatArray, ...]]] = {scope: [] for scope in grids}
        binary = np.zeros(n_items, dtype=bool)
        batch = max(1, BATCH_CELLS // max(1, rows.grid.size))
        for start in range(0, n_items, batch):
            items = range(start, min(n_items, start + batch))
            sums, calibration, binary[start : items.stop] = self._item_sums(
                values, items, dom, n_dom, rows
            )
            for scope, grid in grids.items():
                if scope == "all":
                    # each PSU's cells added up in domain order: the whole sample's cells
                    sums = np.add.reduceat(sums[..., to_whole], whole_starts, axis=-1)
                    calibration = [c.sum(axis=1, keepdims=True) for c in calibration]
                item = self._influence(grid, sums, calibration)
                var, df = self._variance_df(grid, item.totals, item.present, item.used)
                parts[scope].append((item.est, var, item.n, df, item.squares, item.total_w))
                if combined:
                    combined[scope].add(items, item)
        by = self._estimates(parts["by"], binary, level, self._contrasts(combined.get("by"), level))
        if domains is None:
            return by, labels, by
        overall = self._estimates(
            parts["all"], binary, level, self._contrasts(combined.get("all"), level)
        )
        return by, labels, overall

    def _rows(self, dom: IntArray, n_dom: int) -> _Rows:
        """Each row's cell: the (domain, PSU) cells that have rows, or every cell of the grid
        when the design is calibrated (its residuals reach every PSU from every domain)."""
        size = n_dom * self.n_psu
        key = dom * self.n_psu + self.psu
        count = np.bincount(key, minlength=size)
        if self.post is None and self.raking is None:
            flat = np.flatnonzero(count)
            lookup = np.zeros(size, dtype=np.intp)
            lookup[flat] = np.arange(len(flat))
            cell = lookup[key]
        else:
            flat, cell = np.arange(size), key.astype(np.intp)
        grid = CellGrid.of(flat, n_dom, self.psu_stratum, self.n_strata)
        weight = np.bincount(cell, self.weights, minlength=len(flat)).astype(np.float64)
        return _Rows(cell, grid, count[flat].astype(np.float64), weight)

    def _item_sums(
        self, values: FloatArray, items: range, dom: IntArray, n_dom: int, rows: _Rows
    ) -> tuple[FloatArray, list[FloatArray], BoolArray]:
        """Per item of ``items``, the sums per cell ``[sum, item, cell]`` of w, w·y, w·y² and of
        the rows that answered (NaN answers left out); in a calibrated design, those the
        calibration residuals need (``[item, domain, category]`` each); and which items are
        0/1.

        Bit for bit what bincounts over all rows with w·[answered] as weights give: every
        cell's rows are added in the same order; only the counts of answering rows are all
        rows' minus those who did not answer, an exact subtraction of integers."""
        w = self.weights
        n_rows, n_cells = len(w), rows.grid.size
        main = np.zeros((4, len(items), n_cells))
        calibration: list[list[FloatArray]] = []
        binary = np.zeros(len(items), dtype=bool)
        # buffers reused item after item: a fresh array of a million rows costs page faults
        block = np.empty((min(COLUMN_BLOCK, len(items)), n_rows))
        columns: FloatArray = block
        wy, answered_w = np.empty(n_rows), np.empty(n_rows)
        flags = np.empty(n_rows, dtype=bool)
        for j, k in enumerate(items):
            if j % COLUMN_BLOCK == 0:
                stop = min(items.stop, k + COLUMN_BLOCK)
                columns = _contiguous_columns(values, k, stop, block)
            column = columns[j % COLUMN_BLOCK]
            missing = np.flatnonzero(np.isnan(column, out=flags))
            np.multiply(w, column, out=wy)
            if missing.size:
                wy[missing] = 0.0
                np.copyto(answered_w, w)
                answered_w[missing] = 0.0
                main[0, j] = np.bincount(rows.cell, answered_w, minlength=n_cells)
                main[3, j] = rows.count - np.bincount(rows.cell[missing], minlength=n_cells)
            else:
                main[0, j] = rows.weight
                main[3, j] = rows.count
            main[1, j] = np.bincount(rows.cell, wy, minlength=n_cells)
            zeros = np.count_nonzero(np.equal(column, 0.0, out=flags))
            zeros_ones = zeros + np.count_nonzero(np.equal(column, 1.0, out=flags))
            binary[j] = zeros_ones + missing.size == n_rows
            calibrated = self.post is not None or self.raking is not None
            y0 = column
            if missing.size and (calibrated or not binary[j]):
                y0 = column.copy()
                y0[missing] = 0.0
            if binary[j]:
                main[2, j] = main[1, j]  # y² = y: the same sums, exactly
            else:
                main[2, j] = np.bincount(rows.cell, wy * y0, minlength=n_cells)
            if calibrated:
                used = np.ones(n_rows, dtype=bool)
                used[missing] = False
                calibration.append(calibration_sums(self.post, self.raking, dom, n_dom, used, y0))
        sums = [np.stack(per_item) for per_item in zip(*calibration, strict=True)]
        return main, sums, binary

    def _influence(
        self, grid: CellGrid, sums: FloatArray, calibration: list[FloatArray]
    ) -> _Influence:
        """A batch of items' linearisation from their cell sums ``[sum, item, cell]`` (w, w·y,
        w·y², answering rows) and calibration sums."""
        w_c, wy_c, wyy_c, n_c = sums
        total_w = grid.per_domain(w_c)
        total_wy = grid.per_domain(wy_c)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = total_wy / total_w
            # the cells' totals of the influence values w (y - mean) / Σw
            totals = (wy_c - est[:, grid.dom] * w_c) / total_w[:, grid.dom]
        psu_used = n_c > 0
        present = psu_used
        if self.post is not None:
            # calibration residuals: R keeps every row of a calibrated design in a subset
            # (with weight 0), so the adjustment reaches PSUs outside the domain too
            removed = self.post.residual(calibration, est, total_w)
            totals = totals - removed[:, grid.dom, grid.psu]
            present = np.ones_like(psu_used)
        if self.raking is not None:
            removed = self.raking.residual(calibration, est, total_w)
            totals = totals - removed[:, grid.dom, grid.psu]
            present = np.ones_like(psu_used)
        squares = grid.per_domain(wyy_c) - est * total_wy
        return _Influence(est, totals, present, psu_used, grid.per_domain(n_c), squares, total_w)

    def _variance_df(
        self, grid: CellGrid, totals: FloatArray, present: BoolArray, used: BoolArray
    ) -> tuple[FloatArray, FloatArray]:
        """Variance from the cells' totals ``[row, cell]`` of influence values, and degrees of
        freedom: PSUs minus strata among the cells with answering rows (R's ``degf``); both
        ``[row, domain]``."""
        n_rows = len(totals)
        sums = grid.per_stratum(totals).reshape(-1, grid.n_strata)
        squares = grid.per_stratum(totals * totals).reshape(-1, grid.n_strata)
        strata_present = grid.per_stratum(present.astype(np.float64)) > 0
        var = self._stratum_variance(
            sums, squares, strata_present.reshape(-1, grid.n_strata), grid.n_dom
        )
        strata_used = (grid.per_stratum(used.astype(np.float64)) > 0).sum(axis=-1)
        df = grid.per_domain(used.astype(np.float64)) - strata_used
        return var.reshape(n_rows, grid.n_dom), df

    def _contrasts(self, combination: _Combination | None, level: float) -> Contrasts | None:
        if combination is None:
            return None
        var, df = self._variance_df(
            combination.grid, combination.totals, combination.present, combination.used
        )
        return contrasts_from(combination.est.T, var.T, df.T, level)

    @staticmethod
    def _estimates(
        parts: list[tuple[FloatArray, ...]],
        binary: BoolArray,
        level: float,
        contrasts: Contrasts | None = None,
    ) -> Estimates:
        """The batches' arrays ``[item, domain]`` put together as ``[domain, item]``."""
        est, var, count, df, squares, total_w = (
            np.ascontiguousarray(np.concatenate(x, axis=0).T) for x in zip(*parts, strict=True)
        )
        return estimates_from(est, var, count, df, squares, total_w, binary, level, contrasts)
