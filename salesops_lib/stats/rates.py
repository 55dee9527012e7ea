"""Rates, ratios and means from sufficient statistics (sums the engine can compute).

Every function takes counts or sums, never unit-level data, so an engine sends a handful of
numbers per group and period:

- :func:`ratio_interval`: a pooled ratio ``Σa / Σd`` (activities per selling day with reps as
  the unit, win rate by value with deals as the unit) with the linearised (sandwich) interval of
  the ratio estimator;
- :func:`mean_interval`: a mean with its Student-t interval from ``n``, ``Σx``, ``Σx²``;
- :func:`difference_interval`: the normal-approximation interval of the difference of two
  independent estimates given their standard errors;
- :func:`se_from_interval`: the standard error a symmetric normal interval implies.

References
----------
Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley, §6.4 (variance of the ratio
    estimator).
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50, 317-372.
MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix
    estimators with improved finite sample properties. *J. Econometrics* 29, 305-325 (HC1).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats.proportions import _check_alpha

__all__ = [
    "Estimate",
    "difference_interval",
    "mean_interval",
    "ratio_interval",
    "ratio_interval_from_sums",
    "se_from_interval",
]


class Estimate(NamedTuple):
    """An estimate with its interval and standard error (NaN where undefined)."""

    value: float
    low: float
    high: float
    se: float
    n: int


_NAN = float("nan")


def _crit(alpha: float, df: float | None) -> float:
    a = _check_alpha(alpha)
    if df is None:
        return float(stats.norm.isf(a / 2.0))
    return float(stats.t.isf(a / 2.0, df))


def ratio_interval_from_sums(
    n: float,
    sum_a: float,
    sum_d: float,
    sum_aa: float,
    sum_dd: float,
    sum_ad: float,
    *,
    alpha: float = 0.05,
    use_t: bool = True,
) -> Estimate:
    r"""Ratio estimator :math:`R = \sum a_i / \sum d_i` over ``n`` units, from sums only.

    The units (reps, deals) are the sample; with residuals :math:`e_i = a_i - R d_i` the
    linearised (sandwich) variance with the small-sample factor :math:`n/(n-1)` is
    (Cochran 1977, §6.4; the HC1 variance of a weighted mean, MacKinnon & White 1985)

    .. math::

        \widehat{\mathrm{Var}}(R) = \frac{n}{n-1}\,\frac{\sum_i e_i^2}{(\sum_i d_i)^2},\qquad
        \sum_i e_i^2 = \textstyle\sum a_i^2 - 2R\sum a_i d_i + R^2 \sum d_i^2

    and the interval is :math:`R \pm t_{n-1,\,1-\alpha/2}\sqrt{\widehat{\mathrm{Var}}}` (the
    normal quantile with ``use_t=False``). It equals the cluster-robust interval of the
    intercept of a weighted least-squares fit of :math:`a_i/d_i` with weights :math:`d_i`.

    Parameters
    ----------
    n
        Number of units (at least 2 for an interval).
    sum_a, sum_d, sum_aa, sum_dd, sum_ad
        :math:`\sum a_i`, :math:`\sum d_i`, :math:`\sum a_i^2`, :math:`\sum d_i^2`,
        :math:`\sum a_i d_i`.
    alpha
        1 − confidence level.
    use_t
        Student-t quantile with ``n − 1`` degrees of freedom (default) or the normal quantile.

    Returns
    -------
    Estimate
        ``value`` NaN when ``sum_d`` is 0; ``low``/``high``/``se`` NaN when ``n < 2``.
    """
    nn = round(float(n))
    if nn < 0:
        raise ParamsError("n", f"got {n}", expected="a number of units >= 0")
    if nn == 0 or float(sum_d) <= 0:
        return Estimate(_NAN, _NAN, _NAN, _NAN, nn)
    r = float(sum_a) / float(sum_d)
    if nn < 2:
        return Estimate(r, _NAN, _NAN, _NAN, nn)
    ss = float(sum_aa) - 2.0 * r * float(sum_ad) + r * r * float(sum_dd)
    ss = max(ss, 0.0)  # rounding can make a zero residual sum slightly negative
    se = math.sqrt(nn / (nn - 1.0) * ss) / float(sum_d)
    c = _crit(alpha, nn - 1.0 if use_t else None)
    return Estimate(r, r - c * se, r + c * se, se, nn)


def ratio_interval(
    numerators: ArrayLike, denominators: ArrayLike, *, alpha: float = 0.05, use_t: bool = True
) -> Estimate:
    r""":func:`ratio_interval_from_sums` from one numerator and denominator per unit.

    Units with a denominator of 0 (e.g. a rep with no selling day in the period) are dropped.
    """
    a = np.asarray(numerators, dtype=float).ravel()
    d = np.asarray(denominators, dtype=float).ravel()
    if a.shape != d.shape:
        raise ParamsError(
            "denominators",
            f"has {d.size} values but numerators has {a.size}",
            expected="one denominator per numerator",
        )
    if (d < 0).any() or np.isnan(d).any() or np.isnan(a).any():
        raise ParamsError(
            "denominators", "contains negative or missing values", expected="values >= 0"
        )
    keep = d > 0
    a, d = a[keep], d[keep]
    return ratio_interval_from_sums(
        a.size,
        a.sum(),
        d.sum(),
        (a * a).sum(),
        (d * d).sum(),
        (a * d).sum(),
        alpha=alpha,
        use_t=use_t,
    )


def mean_interval(n: float, total: float, total_sq: float, *, alpha: float = 0.05) -> Estimate:
    r"""Mean :math:`\bar x = \sum x / n` with its Student-t interval, from ``n``, ``Σx``, ``Σx²``.

    .. math::

        s^2 = \frac{\sum x^2 - n\bar x^2}{n-1}, \qquad
        \bar x \pm t_{n-1,\,1-\alpha/2}\, s/\sqrt n

    Returns
    -------
    Estimate
        NaN value for ``n = 0``; NaN interval for ``n < 2``.
    """
    nn = round(float(n))
    if nn <= 0:
        return Estimate(_NAN, _NAN, _NAN, _NAN, max(nn, 0))
    m = float(total) / nn
    if nn < 2:
        return Estimate(m, _NAN, _NAN, _NAN, nn)
    var = max((float(total_sq) - nn * m * m) / (nn - 1.0), 0.0)
    se = math.sqrt(var / nn)
    c = _crit(alpha, nn - 1.0)
    return Estimate(m, m - c * se, m + c * se, se, nn)


def se_from_interval(low: float, high: float, *, alpha: float = 0.05) -> float:
    r"""Standard error implied by a normal interval: :math:`(u - l) / (2 z_{1-\alpha/2})`.

    For an asymmetric interval (e.g. a median's) this is an approximation; NaN when a limit is
    missing.
    """
    if low is None or high is None or np.isnan(low) or np.isnan(high):
        return _NAN
    return (float(high) - float(low)) / (2.0 * _crit(alpha, None))


def difference_interval(
    value1: float, se1: float, value0: float, se0: float, *, alpha: float = 0.05
) -> tuple[float, float, float]:
    r"""``value1 − value0`` of two independent estimates with a normal interval.

    .. math:: d \pm z_{1-\alpha/2}\sqrt{se_1^2 + se_0^2}

    Returns
    -------
    (diff, low, high)
        The interval is NaN when either standard error is unknown.
    """
    d = float(value1) - float(value0)
    if any(v is None or np.isnan(v) for v in (se1, se0)):
        return (d, _NAN, _NAN)
    half = _crit(alpha, None) * math.sqrt(float(se1) ** 2 + float(se0) ** 2)
    return (d, d - half, d + half)
