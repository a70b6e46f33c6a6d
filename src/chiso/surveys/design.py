"""A survey design and the estimators analysts know from R's ``survey`` package.

``SurveyDesign`` is what ``svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE,
fpc=~fpc)`` is in R: the first-stage sampling units within strata, the weights, and the
with-replacement (Taylor linearisation) approximation to the variance of a multi-stage design.
``SurveyDesign.mean`` is ``svyby(~y, ~domain, design, svymean, na.rm=TRUE, deff=TRUE)`` for many
items at once, and its logit interval is ``svyciprop(method="logit")``; the test suite checks
both against R to 1e-9.

Why our own estimator: R's survey takes about 15 s and samplics about 24 s for a national
SIPAS-sized table; the same formulas vectorised with NumPy (one weighted bincount per item and
a matrix product per stratum) take a fraction of a second and give the same numbers.

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

from chiso.surveys.intervals import normal_quantile, t_quantile

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
LONELY_PSU = ("fail", "certainty", "remove", "adjust", "average")


class DesignError(ValueError):
    """A design that cannot be used as asked (a lonely PSU under ``fail``, bad weights...)."""

    def __init__(self, rule: str, **params: object) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params = params


def _labelled_codes(values: npt.ArrayLike) -> tuple[IntArray, npt.NDArray[np.generic]]:
    array = np.asarray(values)
    if array.dtype == object:
        array = array.astype(str)
    labels, codes = np.unique(array, return_inverse=True)
    return codes.astype(np.int64).ravel(), labels


def _t_quantiles(level: float, df: FloatArray) -> FloatArray:
    """Student's t critical values for an array of degrees of freedom (NaN where there are
    none), computed once per distinct value: a table has few."""
    distinct, inverse = np.unique(df, return_inverse=True)
    values = np.asarray([t_quantile(level, float(v)) for v in distinct], dtype=np.float64)
    result: FloatArray = values[inverse.reshape(df.shape)]
    return result


def _codes(values: npt.ArrayLike) -> tuple[IntArray, int]:
    codes, labels = _labelled_codes(values)
    return codes, len(labels)


@dataclass(frozen=True)
class Contrasts:
    """Linear combinations Σ_k c_k·ȳ_k of item means per domain: arrays ``[domain, contrast]``.

    ``se`` is the linearised standard error of the combination (with the items' covariances),
    ``df`` the PSUs minus strata among the rows that answered at least one item of it, and the
    interval is Wald's with the normal quantile, as ``confint(svycontrast(...))``."""

    estimate: FloatArray
    se: FloatArray
    df: IntArray
    ci_low: FloatArray
    ci_high: FloatArray


@dataclass(frozen=True)
class Estimates:
    """Estimates of a mean (a proportion for 0/1 items) per domain and item: arrays
    ``[domain, item]``; and, when asked of :meth:`SurveyDesign.mean_by`, linear combinations of
    those means in ``contrasts``."""

    estimate: FloatArray
    se: FloatArray
    n: IntArray
    deff: FloatArray
    df: IntArray
    ci_low: FloatArray
    ci_high: FloatArray
    logit_low: FloatArray
    logit_high: FloatArray
    contrasts: Contrasts | None = None


@dataclass(frozen=True)
class _Influence:
    """One item's linearisation per domain: the mean, the PSU totals of its influence values
    (calibration residuals removed), and which PSUs count: ``present`` for the variance (every
    PSU in a calibrated design, as R keeps all rows there), ``used`` (rows that answered) for the
    degrees of freedom."""

    est: FloatArray  # [domain]
    totals: FloatArray  # [domain, psu]
    present: BoolArray  # [domain, psu]
    used: BoolArray  # [domain, psu]
    n: FloatArray
    squares: FloatArray  # Σ w (y - mean)²
    total_w: FloatArray


class _Combination:
    """Σ_k c_k·(item k's linearisation) for several coefficient vectors, added up item by item
    so that no item's PSU totals are kept: the influence values of a linear combination are the
    same combination of the items' influence values (R's delta method on ``svyby`` totals gives
    the same)."""

    def __init__(self, coefficients: FloatArray, n_domains: int, n_psu: int) -> None:
        n_c = len(coefficients)
        self.coefficients = coefficients  # [contrast, item]
        self.est: FloatArray = np.zeros((n_c, n_domains))
        self.totals: FloatArray = np.zeros((n_c, n_domains, n_psu))
        self.present: BoolArray = np.zeros((n_c, n_domains, n_psu), dtype=bool)
        self.used: BoolArray = np.zeros((n_c, n_domains, n_psu), dtype=bool)

    def add(self, k: int, item: _Influence) -> None:
        c = self.coefficients[:, k]
        # an item outside a combination adds nothing (not even its NaN where nobody answered)
        nz = c != 0
        self.est[nz] += c[nz, None] * item.est
        self.totals[nz] += c[nz, None, None] * item.totals
        self.present[nz] |= item.present
        self.used[nz] |= item.used


@dataclass(frozen=True)
class _PostStrata:
    """What post-stratification leaves for the variance (R's ``postStrata``): each row's
    post-stratum, its weight before and its adjustment factor g."""

    codes: IntArray
    n: int
    old_weights: FloatArray
    g: FloatArray
    old_total: FloatArray  # Σ old weights per post-stratum, over all rows
    weight_by_psu: FloatArray  # [post-stratum, psu]: Σ new weights over all rows


@dataclass(frozen=True)
class _Raking:
    """What raking leaves for the variance (R's ``raking`` post-strata): per margin, each row's
    category and the weights right after that margin was matched in the last pass; and the
    sums that let the residualisation run on category coefficients instead of rows."""

    codes: tuple[IntArray, ...]
    sizes: tuple[int, ...]
    counts: tuple[FloatArray, ...]  # rows per category (all rows)
    ratio: dict[tuple[int, int], FloatArray]  # (k, l) -> [cat_k, cat_l]: Σ psw_l / psw_k
    weight_by_psu: tuple[FloatArray, ...]  # [category, psu]: Σ psw_k
    final_over_psw: tuple[FloatArray, ...]  # per row: final weight / psw_k
    iterations: int = 10  # R residualises ten times


class SurveyDesign:
    """A stratified cluster design; see the module's docstring for the conventions."""

    def __init__(
        self,
        weights: npt.ArrayLike,
        strata: npt.ArrayLike | None = None,
        psu: npt.ArrayLike | None = None,
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
        self.strata, self.strata_labels = _labelled_codes(
            np.zeros(n, dtype=np.int64) if strata is None else strata
        )
        self.n_strata = len(self.strata_labels)
        if psu is None:
            psu_key: npt.ArrayLike = np.arange(n)
        elif nest:
            # the same PSU label in two strata names two PSUs
            psu_codes, n_labels = _codes(psu)
            psu_key = self.strata * n_labels + psu_codes
        else:
            psu_key = psu
        self.psu, self.n_psu = _codes(psu_key)
        self.psu_stratum = np.zeros(self.n_psu, dtype=np.int64)
        self.psu_stratum[self.psu] = self.strata
        if not nest and len(np.unique(self.psu * self.n_strata + self.strata)) != self.n_psu:
            raise DesignError("survey.psu_in_two_strata")
        self.psu_per_stratum = np.bincount(self.psu_stratum, minlength=self.n_strata)
        self.f = np.ones(self.n_strata)  # 1 - sampling fraction, per stratum
        if fpc is not None:
            values = np.asarray(fpc, dtype=np.float64)
            per_stratum = np.full(self.n_strata, np.nan)
            per_stratum[self.strata] = values
            fraction = np.where(per_stratum <= 1, per_stratum, self.psu_per_stratum / per_stratum)
            self.f = 1.0 - fraction
        self.post: _PostStrata | None = None
        self.raking: _Raking | None = None
        # PSUs grouped by stratum, so that sums per stratum are one np.add.reduceat
        self._order = np.argsort(self.psu_stratum, kind="stable")
        self._starts = np.searchsorted(self.psu_stratum[self._order], np.arange(self.n_strata))

    def post_stratify(self, labels: npt.ArrayLike, population: dict[str, float]) -> SurveyDesign:
        """A copy whose weights add up to the ``population`` count of each post-stratum
        (``postStratify`` in R: census counts by sex, age group...); the variance then accounts
        for the adjustment."""
        codes, found = _labelled_codes(labels)
        names = [str(x) for x in found]
        missing = [n for n in names if n not in population]
        if missing:
            raise DesignError("survey.poststratum_unknown", value=missing[0])
        absent = [k for k in population if k not in names]
        if absent:
            raise DesignError("survey.poststratum_empty", value=absent[0])
        totals = np.asarray([float(population[n]) for n in names])
        sample = np.bincount(codes, self.weights, minlength=len(names)).astype(np.float64)
        g = (totals / sample)[codes]
        new = copy.copy(self)
        new.weights = self.weights * g
        weight_by_psu: FloatArray = (
            np.bincount(
                codes * self.n_psu + self.psu, new.weights, minlength=len(names) * self.n_psu
            )
            .astype(np.float64)
            .reshape(len(names), -1)
        )
        new.post = _PostStrata(codes, len(names), self.weights, g, sample, weight_by_psu)
        return new

    def rake(
        self,
        margins: list[tuple[npt.ArrayLike, dict[str, float]]],
        max_iterations: int = 10,
        epsilon: float = 1.0,
    ) -> SurveyDesign:
        """A copy raked to several population margins (R's ``rake``: post-stratify on each
        margin in turn until no weighted count moves by ``epsilon`` or more)."""
        coded = []
        for labels, population in margins:
            codes, found = _labelled_codes(labels)
            names = [str(x) for x in found]
            for name in names:
                if name not in population:
                    raise DesignError("survey.poststratum_unknown", value=name)
            for name in population:
                if name not in names:
                    raise DesignError("survey.poststratum_empty", value=name)
            coded.append((codes, len(names), np.asarray([float(population[n]) for n in names])))
        joint = np.zeros(len(self.weights), dtype=np.int64)
        for codes, size, _ in coded:
            joint = joint * size + codes
        joint_size = int(np.prod([size for _, size, _ in coded]))
        weights = self.weights.copy()
        before = np.bincount(joint, weights, minlength=joint_size)
        psws: list[FloatArray] = []
        for _ in range(max_iterations):
            psws = []
            for codes, size, totals in coded:
                sample = np.bincount(codes, weights, minlength=size)
                weights = weights * (totals / sample)[codes]
                psws.append(weights)
            after = np.bincount(joint, weights, minlength=joint_size)
            if np.max(np.abs(before - after)) < epsilon:
                break
            before = after
        new = copy.copy(self)
        new.weights = weights
        codes_k = tuple(c for c, _, _ in coded)
        sizes = tuple(n for _, n, _ in coded)
        ratio = {}
        for k, (ck, nk) in enumerate(zip(codes_k, sizes, strict=True)):
            for m, (cm, nm) in enumerate(zip(codes_k, sizes, strict=True)):
                ratio[(k, m)] = (
                    np.bincount(ck * nm + cm, psws[m] / psws[k], minlength=nk * nm)
                    .astype(np.float64)
                    .reshape(nk, nm)
                )
        new.raking = _Raking(
            codes=codes_k,
            sizes=sizes,
            counts=tuple(
                np.bincount(c, minlength=n).astype(np.float64)
                for c, n in zip(codes_k, sizes, strict=True)
            ),
            ratio=ratio,
            weight_by_psu=tuple(
                np.bincount(c * self.n_psu + self.psu, psw, minlength=n * self.n_psu)
                .astype(np.float64)
                .reshape(n, self.n_psu)
                for c, n, psw in zip(codes_k, sizes, psws, strict=True)
            ),
            final_over_psw=tuple(weights / psw for psw in psws),
        )
        return new

    @property
    def lonely(self) -> npt.NDArray[np.bool_]:
        lonely: npt.NDArray[np.bool_] = self.psu_per_stratum == 1
        return lonely

    def _stratum_variance(self, totals: FloatArray, psu_used: npt.NDArray[np.bool_]) -> FloatArray:
        """Linearised variance per row from PSU totals ``[row, psu]`` of the influence values
        (a row: a domain of an item, or of a combination); ``psu_used`` marks PSUs with rows in
        the domain."""
        grouped = totals[:, self._order]
        sums = np.add.reduceat(grouped, self._starts, axis=1)  # [domain, stratum]
        squares = np.add.reduceat(grouped * grouped, self._starts, axis=1)
        present = np.add.reduceat(psu_used[:, self._order], self._starts, axis=1) > 0
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
                first = int(np.flatnonzero(lonely_present.any(axis=0))[0])
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

    def _domains(self, domains: npt.ArrayLike | None) -> tuple[npt.NDArray[np.object_], IntArray]:
        n = len(self.weights)
        if domains is None:
            return np.array(["all"], dtype=object), np.zeros(n, dtype=np.int64)
        raw = np.asarray(domains)
        labels, dom = np.unique(
            raw.astype(str) if raw.dtype == object else raw, return_inverse=True
        )
        return labels.astype(object), dom.astype(np.int64).ravel()

    def mean(
        self, y: npt.ArrayLike, domains: npt.ArrayLike | None = None, level: float = 0.95
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
        domains: npt.ArrayLike | None = None,
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
        domains: npt.ArrayLike | None = None,
        level: float = 0.95,
        contrasts: npt.ArrayLike | None = None,
    ) -> tuple[Estimates, npt.NDArray[np.object_], Estimates]:
        """Per-domain estimates, the domain labels, and the whole sample's estimates, from one
        pass over the rows per item: everything follows from weighted sums per (domain, PSU)
        cell, and the whole sample's cells are the domains' cells added up.

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
            combined = {
                "by": _Combination(coefficients, n_dom, self.n_psu),
                "all": _Combination(coefficients, 1, self.n_psu),
            }
        key = dom * self.n_psu + self.psu
        size = n_dom * self.n_psu
        parts: dict[str, list[tuple[FloatArray, ...]]] = {"by": [], "all": []}
        for k in range(n_items):
            yk = values[:, k]
            used = ~np.isnan(yk)
            y0 = np.where(used, yk, 0.0)
            wk = np.where(used, self.weights, 0.0)
            wy = wk * y0
            cells = [
                np.bincount(key, weights, minlength=size).astype(np.float64).reshape(n_dom, -1)
                for weights in (wk, wy, wy * y0, used)
            ]
            if self.post is not None:
                # Σ old w·y and Σ old w per (domain, post-stratum): R's psmeans
                ps = self.post
                ps_key = dom * ps.n + ps.codes
                old = np.where(used, ps.old_weights, 0.0)
                cells += [
                    np.bincount(ps_key, weights, minlength=n_dom * ps.n)
                    .astype(np.float64)
                    .reshape(n_dom, ps.n)
                    for weights in (old * y0, old)
                ]
            if self.raking is not None:
                # Σ (w / psw_k)·y and Σ w / psw_k per (domain, category) of each margin
                rk = self.raking
                for codes, n_cat, ratio in zip(rk.codes, rk.sizes, rk.final_over_psw, strict=True):
                    r = np.where(used, ratio, 0.0)
                    cells += [
                        np.bincount(dom * n_cat + codes, weights, minlength=n_dom * n_cat)
                        .astype(np.float64)
                        .reshape(n_dom, n_cat)
                        for weights in (r * y0, r)
                    ]
            scopes = [("by", cells)]
            if domains is not None:
                scopes.append(("all", [c.sum(axis=0, keepdims=True) for c in cells]))
            for scope, scope_cells in scopes:
                item = self._influence(*scope_cells)
                var, df = self._variance_df(item.totals, item.present, item.used)
                parts[scope].append((item.est, var, item.n, df, item.squares, item.total_w))
                if combined:
                    combined[scope].add(k, item)
        binary = ((values == 0) | (values == 1) | np.isnan(values)).all(axis=0)
        by = self._estimates(parts["by"], binary, level, self._contrasts(combined.get("by"), level))
        if domains is None:
            return by, labels, by
        overall = self._estimates(
            parts["all"], binary, level, self._contrasts(combined.get("all"), level)
        )
        return by, labels, overall

    def _influence(
        self,
        w_c: FloatArray,
        wy_c: FloatArray,
        wyy_c: FloatArray,
        n_c: FloatArray,
        *post: FloatArray,
    ) -> _Influence:
        """One item's linearisation per domain from its cell sums ``[domain, psu]``."""
        total_w = w_c.sum(axis=1)
        total_wy = wy_c.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = total_wy / total_w
            # PSU totals of the influence values w (y - mean) / Σw
            totals = (wy_c - est[:, None] * w_c) / total_w[:, None]
        psu_used = n_c > 0
        present = psu_used
        if self.post is not None:
            # calibration residuals: R keeps every row of a calibrated design in a subset
            # (with weight 0), so the adjustment reaches PSUs outside the domain too
            ps = self.post
            old_wy, old_w = post[0], post[1]
            with np.errstate(invalid="ignore", divide="ignore"):
                psmeans = (old_wy - est[:, None] * old_w) / (total_w[:, None] * ps.old_total)
            totals = totals - psmeans @ ps.weight_by_psu
            present = np.ones_like(psu_used)
        if self.raking is not None:
            totals = totals - self._raking_residual(post, est, total_w)
            present = np.ones_like(psu_used)
        squares = wyy_c.sum(axis=1) - est * total_wy
        return _Influence(est, totals, present, psu_used, n_c.sum(axis=1), squares, total_w)

    def _variance_df(
        self, totals: FloatArray, present: BoolArray, used: BoolArray
    ) -> tuple[FloatArray, FloatArray]:
        """Variance from PSU totals ``[row, psu]`` of influence values, and degrees of freedom:
        PSUs minus strata among the rows with weight (R's ``degf``)."""
        var = self._stratum_variance(totals, present)
        strata_used = np.add.reduceat(used[:, self._order], self._starts, axis=1) > 0
        df = used.sum(axis=1) - strata_used.sum(axis=1)
        return var, df.astype(np.float64)

    def _contrasts(self, combination: _Combination | None, level: float) -> Contrasts | None:
        if combination is None:
            return None
        n_c, n_dom, n_psu = combination.totals.shape
        var, df = self._variance_df(
            combination.totals.reshape(-1, n_psu),
            combination.present.reshape(-1, n_psu),
            combination.used.reshape(-1, n_psu),
        )
        est = combination.est.T  # [domain, contrast]
        se = np.sqrt(var.reshape(n_c, n_dom).T)
        z_crit = normal_quantile(level)
        return Contrasts(
            estimate=est,
            se=se,
            df=df.reshape(n_c, n_dom).T.astype(np.int64),
            ci_low=est - z_crit * se,
            ci_high=est + z_crit * se,
        )

    def _raking_residual(
        self, cells: tuple[FloatArray, ...], est: FloatArray, total_w: FloatArray
    ) -> FloatArray:
        """PSU totals of what R's raking residualisation removes from the influence values.

        R repeats, ten times and margin by margin, x <- x - psw_k * ave(x / psw_k, margin k).
        Each step subtracts psw_k times a coefficient of the row's category, so the whole loop
        runs on coefficients a_k[domain, category]; only their PSU totals are needed."""
        rk = self.raking
        assert rk is not None
        n_margins = len(rk.sizes)
        # Σ x0 / psw_k per (domain, category), x0 = w (y - mean) / Σw
        start = len(cells) - 2 * n_margins
        sums = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for k in range(n_margins):
                ry, r = cells[start + 2 * k], cells[start + 2 * k + 1]
                sums.append((ry - est[:, None] * r) / total_w[:, None])
        coef = [np.zeros_like(x) for x in sums]
        for _ in range(rk.iterations):
            for k in range(n_margins):
                current = sums[k] - sum(
                    (coef[m] @ rk.ratio[(k, m)].T for m in range(n_margins)),
                    start=np.zeros_like(sums[k]),
                )
                coef[k] = coef[k] + current / rk.counts[k]
        removed: FloatArray = sum(
            (coef[k] @ rk.weight_by_psu[k] for k in range(n_margins)),
            start=np.zeros((len(est), self.n_psu)),
        )
        return removed

    @staticmethod
    def _estimates(
        parts: list[tuple[FloatArray, ...]],
        binary: npt.NDArray[np.bool_],
        level: float,
        contrasts: Contrasts | None = None,
    ) -> Estimates:
        est, var, count, df, squares, total_w = (
            np.column_stack(x) for x in zip(*parts, strict=True)
        )
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            svyvar = squares / total_w * count / (count - 1)
            vsrs = svyvar * (total_w - count) / (total_w * count)
            deff = var / vsrs
            se = np.sqrt(var)
            z_crit = normal_quantile(level)
            t_crit = _t_quantiles(level, df)
            logit = np.log(est / (1 - est))
            half = t_crit * se / (est * (1 - est))
            logit_low = np.where(binary, 1 / (1 + np.exp(-(logit - half))), np.nan)
            logit_high = np.where(binary, 1 / (1 + np.exp(-(logit + half))), np.nan)
        return Estimates(
            estimate=est,
            se=se,
            n=count.astype(np.int64),
            deff=deff,
            df=df.astype(np.int64),
            ci_low=est - z_crit * se,
            ci_high=est + z_crit * se,
            logit_low=logit_low,
            logit_high=logit_high,
            contrasts=contrasts,
        )
