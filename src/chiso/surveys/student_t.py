"""Student's t distribution: its upper tail and its quantile, from the standard library.

Why not SciPy: importing ``scipy.stats`` takes about a second, more than everything else a
survey estimate does, and the logit interval needs only ``qt(p, df)`` for a handful of degrees
of freedom. The tail is the regularised incomplete beta function, P(T > t) = I_x(ν/2, 1/2) / 2
with x = ν / (ν + t²), by its continued fraction as the NIST Digital Library of Mathematical
Functions gives it (DLMF 8.17.22, with the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the side
where it converges slowly), evaluated through its convergents (DLMF 1.12.5); the quantile is
found by Newton's method on that tail from a Cornish–Fisher start (Abramowitz and Stegun
26.7.5), kept inside a bracket so that it cannot wander. Both references are public-domain
works of the US government; the code is chiso's own. The test suite checks it against R's
``qt`` to 1e-12 over levels 0.5–0.9999 and ν from 0.5 to 10⁷.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_EPS = 1e-16  # the fraction is read once a step changes it by less than this, relatively
_MOST_TERMS = 20_000  # a safeguard: R's qt levels up to 0.9999 need at most about 120
_SMALL, _LARGE = 2.0**-500, 2.0**500
_LOG_SQRT_PI = 0.5 * math.log(math.pi)  # ln Γ(½)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, DLMF 8.17.22:

        I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · 1 / (1 + d₁ / (1 + d₂ / (1 + …)))

    with d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m)) and
    d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)). This returns the fraction's
    part, 1 / (1 + d₁ / (1 + …)), as the limit of Qₙ / Pₙ where Pₙ / Qₙ are the convergents
    of 1 + d₁ / (1 + …), given by the fundamental recurrence (DLMF 1.12.5–1.12.6, every
    partial denominator 1): Pₙ = Pₙ₋₁ + dₙ Pₙ₋₂, Qₙ = Qₙ₋₁ + dₙ Qₙ₋₂, from P₋₁ = 1, P₀ = 1,
    Q₋₁ = 0, Q₀ = 1. Pₙ and Qₙ shrink (or grow) geometrically while their ratio settles, so
    all four are rescaled by a power of two when Pₙ leaves [2⁻⁵⁰⁰, 2⁵⁰⁰]: the ratios are
    unchanged and no rounding is added (rescaling at every step would add one each time)."""
    p_before, p_now = 1.0, 1.0
    q_before, q_now = 0.0, 1.0
    fraction = 1.0
    for n in range(1, _MOST_TERMS):
        m = n // 2
        if n % 2:  # d₂ₘ₊₁
            d = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:  # d₂ₘ
            d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        p_before, p_now = p_now, p_now + d * p_before
        q_before, q_now = q_now, q_now + d * q_before
        if p_now == 0.0:  # a convergent at infinity: nothing to read at this step
            continue
        size = abs(p_now)
        if not _SMALL <= size <= _LARGE:
            scale = 2.0 ** -math.frexp(size)[1]
            p_before, p_now, q_before, q_now = (
                v * scale for v in (p_before, p_now, q_before, q_now)
            )
        ratio = q_now / p_now
        if abs(ratio - fraction) <= _EPS * abs(ratio):
            return ratio
        fraction = ratio
    return fraction


def _stirling_tail(z: float) -> float:
    """ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π], by Stirling's series (to 1e-18 from z = 25)."""
    z2 = z * z
    return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * z2)) / z2) / z2) / z


def _log_gamma_ratio(a: float) -> float:
    """ln Γ(a + ½) − ln Γ(a). For large ``a`` the two logarithms are huge and nearly equal
    (about 7·10⁷ at ν = 10⁷), so their difference would keep few digits; Stirling's series
    gives it directly: ½ ln a + a·ln(1 + 1/(2a)) − ½ + S(a + ½) − S(a)."""
    if a < 25.0:
        return math.lgamma(a + 0.5) - math.lgamma(a)
    return (
        0.5 * math.log(a)
        + (a * math.log1p(0.5 / a) - 0.5)
        + _stirling_tail(a + 0.5)
        - _stirling_tail(a)
    )


def upper_tail(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0 and ν = ``df`` > 0 degrees of freedom."""
    a, b = df / 2.0, 0.5
    # x and 1 − x each computed directly, so that neither loses digits to a subtraction
    x, one_minus_x = df / (df + t * t), t * t / (df + t * t)
    if one_minus_x == 0.0:
        return 0.5
    log_front = (
        _log_gamma_ratio(a) - _LOG_SQRT_PI - a * math.log1p(t * t / df) + b * math.log(one_minus_x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        incomplete = math.exp(log_front) * _beta_fraction(a, b, x) / a
    else:  # the symmetric side converges there: I_x(a, b) = 1 − I_{1−x}(b, a)
        incomplete = 1.0 - math.exp(log_front) * _beta_fraction(b, a, one_minus_x) / b
    return 0.5 * incomplete


def _density(t: float, df: float) -> float:
    log_norm = _log_gamma_ratio(df / 2.0) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1.0) / 2.0 * math.log1p(t * t / df))


def _cornish_fisher(z: float, df: float) -> float:
    """The t quantile as a series in 1/ν around the normal one, ``z`` (Abramowitz and Stegun
    26.7.5, to the fifth term)."""
    z2 = z * z
    g = (
        (z2 + 1) / 4,
        ((5 * z2 + 16) * z2 + 3) / 96,
        (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384,
        ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160,
        (((((27 * z2 + 339) * z2 + 930) * z2 - 1782) * z2 - 765) * z2 + 17955) / 368640,
    )
    total = 0.0
    for term in reversed(g):
        total = (total + term) / df
    return z + z * total


def quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (R's ``qt(p, df)``);
    NaN for ``df`` that is not a positive number."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"a quantile needs 0 < p < 1, not {p}")
    if not df > 0 or math.isnan(df):
        return math.nan
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -quantile(1.0 - p, df)
    tail = 1.0 - p
    if df == 1.0:  # Cauchy: tan(π(p − ½)) = cot(π(1 − p)), exact in the tail
        return 1.0 / math.tan(math.pi * tail)
    if df == 2.0:
        return (2.0 * p - 1.0) / math.sqrt(2.0 * p * tail)
    z = NormalDist().inv_cdf(p)
    if math.isinf(df):
        return z
    t = _cornish_fisher(z, df)
    if df >= 1000.0 and z < 5.0:
        # the series' next term is below 1e-16 here, where the continued fraction, after
        # thousands of steps, would keep fewer digits
        return t
    low, high = 0.0, math.inf
    for _ in range(200):
        if not math.isfinite(t) or t <= low or t >= high:
            t = 2.0 * low + 1.0 if math.isinf(high) else (low + high) / 2.0
        excess = upper_tail(t, df) - tail  # decreasing in t
        if excess > 0:
            low = t
        else:
            high = t
        if excess == 0.0:
            return t
        step = excess / _density(t, df)
        t_next = t + step
        if abs(step) <= 1e-15 * max(1.0, abs(t)):
            return t_next
        t = t_next
    return t
