"""Calibration to population counts, as R's ``postStratify`` and ``rake`` do it: the new
weights, and what the variance needs to account for the adjustment (the residuals of the
influence values on the post-strata or the raking margins). Pure computation on arrays; the
design's verbs :meth:`~chiso.surveys.design.SurveyDesign.post_stratify` and
:meth:`~chiso.surveys.design.SurveyDesign.rake` return the calibrated copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.surveys.errors import DesignError
from chiso.surveys.labels import Factor, factorise

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PostStrata:
    """What post-stratification leaves for the variance (R's ``postStrata``): each row's
    post-stratum, its weight before and its adjustment factor g."""

    codes: IntArray
    n: int
    old_weights: FloatArray
    g: FloatArray
    old_total: FloatArray  # Σ old weights per post-stratum, over all rows
    weight_by_psu: FloatArray  # [post-stratum, psu]: Σ new weights over all rows

    def residual(self, sums: list[FloatArray], est: FloatArray, total_w: FloatArray) -> FloatArray:
        """PSU totals ``[item, domain, psu]`` of what post-stratification removes from the
        influence values, from an item batch's Σ old w·y and Σ old w per (domain,
        post-stratum) (``sums[0]``, ``sums[1]``): R's psmeans spread over the PSUs."""
        old_wy, old_w = sums[0], sums[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            psmeans = (old_wy - est[..., None] * old_w) / (total_w[..., None] * self.old_total)
        spread: FloatArray = psmeans @ self.weight_by_psu
        return spread


@dataclass(frozen=True)
class Raking:
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

    def residual(self, cells: list[FloatArray], est: FloatArray, total_w: FloatArray) -> FloatArray:
        """PSU totals of what R's raking residualisation removes from the influence values.

        R repeats, ten times and margin by margin, x <- x - psw_k * ave(x / psw_k, margin k).
        Each step subtracts psw_k times a coefficient of the row's category, so the whole loop
        runs on coefficients a_k[item, domain, category]; only their PSU totals are needed:
        ``[item, domain, psu]``. ``cells`` end with each margin's Σ (w / psw_k)·y and
        Σ w / psw_k per (domain, category)."""
        rk = self
        n_margins = len(rk.sizes)
        # Σ x0 / psw_k per (domain, category), x0 = w (y - mean) / Σw
        start = len(cells) - 2 * n_margins
        sums = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for k in range(n_margins):
                ry, r = cells[start + 2 * k], cells[start + 2 * k + 1]
                sums.append((ry - est[..., None] * r) / total_w[..., None])
        coef = [np.zeros_like(x) for x in sums]  # [item, domain, category]
        for _ in range(rk.iterations):
            for k in range(n_margins):
                current = sums[k] - sum(
                    (coef[m] @ rk.ratio[(k, m)].T for m in range(n_margins)),
                    start=np.zeros_like(sums[k]),
                )
                coef[k] = coef[k] + current / rk.counts[k]
        removed: FloatArray = sum(
            (coef[k] @ rk.weight_by_psu[k] for k in range(n_margins)),
            start=np.zeros((*est.shape, self.weight_by_psu[0].shape[1])),
        )
        return removed


def post_stratification(
    weights: FloatArray,
    psu: IntArray,
    n_psu: int,
    labels: npt.ArrayLike | Factor,
    population: dict[str, float],
) -> tuple[FloatArray, PostStrata]:
    """Weights that add up to the ``population`` count of each post-stratum of ``labels``,
    and what the variance needs of the adjustment."""
    factor = factorise(labels)
    codes, names = factor.codes, [str(x) for x in factor.levels]
    missing = [n for n in names if n not in population]
    if missing:
        raise DesignError("survey.poststratum_unknown", value=missing[0])
    absent = [k for k in population if k not in names]
    if absent:
        raise DesignError("survey.poststratum_empty", value=absent[0])
    totals = np.asarray([float(population[n]) for n in names])
    sample = np.bincount(codes, weights, minlength=len(names)).astype(np.float64)
    g = (totals / sample)[codes]
    new_weights = weights * g
    weight_by_psu: FloatArray = (
        np.bincount(codes * n_psu + psu, new_weights, minlength=len(names) * n_psu)
        .astype(np.float64)
        .reshape(len(names), -1)
    )
    return new_weights, PostStrata(codes, len(names), weights, g, sample, weight_by_psu)


def raking(
    weights: FloatArray,
    psu: IntArray,
    n_psu: int,
    margins: list[tuple[npt.ArrayLike | Factor, dict[str, float]]],
    max_iterations: int = 10,
    epsilon: float = 1.0,
) -> tuple[FloatArray, Raking]:
    """Weights raked to several population margins (post-stratified on each in turn until no
    weighted count moves by ``epsilon`` or more), and what the variance needs of it."""
    coded = []
    for labels, population in margins:
        factor = factorise(labels)
        codes, names = factor.codes, [str(x) for x in factor.levels]
        for name in names:
            if name not in population:
                raise DesignError("survey.poststratum_unknown", value=name)
        for name in population:
            if name not in names:
                raise DesignError("survey.poststratum_empty", value=name)
        coded.append((codes, len(names), np.asarray([float(population[n]) for n in names])))
    joint = np.zeros(len(weights), dtype=np.int64)
    for codes, size, _ in coded:
        joint = joint * size + codes
    joint_size = int(np.prod([size for _, size, _ in coded]))
    raked = weights.copy()
    before = np.bincount(joint, raked, minlength=joint_size)
    psws: list[FloatArray] = []
    for _ in range(max_iterations):
        psws = []
        for codes, size, totals in coded:
            sample = np.bincount(codes, raked, minlength=size)
            raked = raked * (totals / sample)[codes]
            psws.append(raked)
        after = np.bincount(joint, raked, minlength=joint_size)
        if np.max(np.abs(before - after)) < epsilon:
            break
        before = after
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
    return raked, Raking(
        codes=codes_k,
        sizes=sizes,
        counts=tuple(
            np.bincount(c, minlength=n).astype(np.float64)
            for c, n in zip(codes_k, sizes, strict=True)
        ),
        ratio=ratio,
        weight_by_psu=tuple(
            np.bincount(c * n_psu + psu, psw, minlength=n * n_psu)
            .astype(np.float64)
            .reshape(n, n_psu)
            for c, n, psw in zip(codes_k, sizes, psws, strict=True)
        ),
        final_over_psw=tuple(raked / psw for psw in psws),
    )


def calibration_sums(
    post: PostStrata | None,
    raking: Raking | None,
    dom: IntArray,
    n_dom: int,
    used: BoolArray,
    y0: FloatArray,
) -> list[FloatArray]:
    """One item's sums for the calibration residuals, per (domain, post-stratum or
    category): Σ old w·y and Σ old w (R's psmeans); per raking margin, Σ (w / psw_k)·y and
    Σ w / psw_k."""
    out: list[FloatArray] = []
    if post is not None:
        ps = post
        ps_key = dom * ps.n + ps.codes
        old = np.where(used, ps.old_weights, 0.0)
        out += [
            np.bincount(ps_key, weights, minlength=n_dom * ps.n)
            .astype(np.float64)
            .reshape(n_dom, ps.n)
            for weights in (old * y0, old)
        ]
    if raking is not None:
        rk = raking
        for codes, n_cat, ratio in zip(rk.codes, rk.sizes, rk.final_over_psw, strict=True):
            r = np.where(used, ratio, 0.0)
            out += [
                np.bincount(dom * n_cat + codes, weights, minlength=n_dom * n_cat)
                .astype(np.float64)
                .reshape(n_dom, n_cat)
                for weights in (r * y0, r)
            ]
    return out
