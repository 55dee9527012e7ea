"""Proportions: score intervals, differences, tests and multiple-comparison adjustment.

Pure functions on counts (successes out of trials), vectorised where cheap. Every function
validates its arguments and raises :class:`~salesops_lib.errors.ParamsError` naming the argument
(negative counts, successes > trials, mismatched lengths, ``alpha`` outside (0, 1)). Degenerate but
valid inputs (0 or all successes, zero trials) give valid intervals or NaN, never a warning.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *JASA* 22, 209-212.
Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. *Statistics in Medicine* 17, 873-890.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Statist.* 6,
    65-70.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57, 289-300.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from salesops_lib.errors import ParamsError

__all__ = [
    "ChiSquareResult",
    "adjust_pvalues",
    "chi_square_homogeneity",
    "jeffreys_interval",
    "mover_ratio_interval",
    "newcombe_diff_interval",
    "pairwise_proportions",
    "proportion_table",
    "two_proportion_interval",
    "two_proportion_ztest",
    "wilson_interval",
]

_PVALUE_METHODS = ("holm", "fdr_bh", "bonferroni")


# --------------------------------------------------------------------------- validation helpers
# (private, shared with survival.py and shrinkage.py)


def _check_alpha(alpha: float, name: str = "alpha") -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise ParamsError(
            name, f"got {alpha!r}", expected="a number in (0, 1), e.g. 0.05"
        ) from None
    if not 0.0 < a < 1.0:
        raise ParamsError(name, f"got {alpha!r}", expected="a number in (0, 1), e.g. 0.05")
    return a


def _as_float_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParamsError(
            name, "contains values that are not numbers", expected="numbers"
        ) from None
    if np.isnan(arr).any():
        raise ParamsError(name, "contains missing values (NaN)", expected="non-missing numbers")
    return arr


def _as_counts(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """Non-negative finite numbers (counts; integer-valued floats are fine)."""
    arr = _as_float_array(name, values)
    if not np.isfinite(arr).all():
        raise ParamsError(name, "contains infinite values", expected="finite non-negative counts")
    if (arr < 0).any():
        bad = arr[arr < 0].ravel()[:5].tolist()
        raise ParamsError(name, f"contains negative counts {bad}", expected="counts >= 0")
    return arr


def _counts_pair(
    successes: ArrayLike, trials: ArrayLike, s_name: str = "successes", t_name: str = "trials"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = _as_counts(s_name, successes)
    n = _as_counts(t_name, trials)
    try:
        x, n = np.broadcast_arrays(x, n)
    except ValueError:
        raise ParamsError(
            s_name,
            f"has shape {x.shape} but `{t_name}` has shape {n.shape}",
            expected=f"the same length as `{t_name}`",
        ) from None
    if (x > n).any():
        i = np.flatnonzero((x > n).ravel())[:5]
        pairs = [f"{x.ravel()[j]:g}/{n.ravel()[j]:g}" for j in i]
        raise ParamsError(
            s_name, f"exceeds `{t_name}` ({', '.join(pairs)})", expected=f"{s_name} <= {t_name}"
        )
    return x.astype(float), n.astype(float)


def _same_length(**arrays: Sequence[Any] | NDArray[Any]) -> int:
    lengths = {k: len(v) for k, v in arrays.items()}
    first_name, first_len = next(iter(lengths.items()))
    for k, v in lengths.items():
        if v != first_len:
            raise ParamsError(
                k,
                f"has length {v} but `{first_name}` has length {first_len}",
                expected=f"one value per row of `{first_name}`",
            )
    return first_len


def _z(alpha: float) -> float:
    return float(stats.norm.isf(alpha / 2.0))


def _maybe_int(arr: NDArray[np.float64]) -> NDArray[Any]:
    """Integer-valued counts back as int64 (nicer tables); anything else unchanged."""
    return arr.astype(np.int64) if np.all(arr == np.round(arr)) else arr


def _scalar_or_array(arr: NDArray[np.float64], scalar: bool) -> Any:
    return float(arr) if scalar else arr


# --------------------------------------------------------------------------- intervals


def wilson_interval(
    successes: ArrayLike, trials: ArrayLike, *, alpha: float = 0.05
) -> tuple[NDArray[np.float64] | float, NDArray[np.float64] | float]:
    r"""Wilson score interval for a binomial proportion (vectorised).

    .. math::

        \frac{x + z^2/2}{n + z^2} \pm \frac{z}{n + z^2}\sqrt{\frac{x(n-x)}{n} + \frac{z^2}{4}},
        \qquad z = \Phi^{-1}(1 - \alpha/2)

    Parameters
    ----------
    successes, trials
        Counts (scalars or broadcastable arrays), ``0 <= successes <= trials``.
    alpha
        1 − confidence level.

    Returns
    -------
    (low, high)
        Floats for scalar input, arrays otherwise; limits lie in [0, 1] (exactly 0 for x = 0 and
        exactly 1 for x = n). ``trials == 0`` gives NaN.

    References
    ----------
    Wilson (1927); Newcombe (1998), method 3.

    Examples
    --------
    >>> low, high = wilson_interval(3, 6)
    >>> round(low, 4), round(high, 4)
    (0.1876, 0.8124)
    """
    a = _check_alpha(alpha)
    scalar = np.ndim(successes) == 0 and np.ndim(trials) == 0
    x, n = _counts_pair(successes, trials)
    z = _z(a)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (x + z2 / 2.0) / (n + z2)
        half = z / (n + z2) * np.sqrt(x * (n - x) / n + z2 / 4.0)
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    low = np.where(x == 0, 0.0, low)
    high = np.where(x == n, 1.0, high)
    empty = n == 0
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    return _scalar_or_array(low, scalar), _scalar_or_array(high, scalar)


def jeffreys_interval(
    successes: ArrayLike, trials: ArrayLike, *, alpha: float = 0.05
) -> tuple[NDArray[np.float64] | float, NDArray[np.float64] | float]:
    r"""Jeffreys interval for a binomial proportion (vectorised small-sample option).

    Equal-tailed quantiles of the Beta(x + ½, n − x + ½) posterior under the Jeffreys prior,

    .. math::

        \bigl[B^{-1}_{\alpha/2}(x+\tfrac12, n-x+\tfrac12),\;
        B^{-1}_{1-\alpha/2}(x+\tfrac12, n-x+\tfrac12)\bigr],

    with the lower limit set to 0 at x = 0 and the upper to 1 at x = n (Brown, Cai & DasGupta
    2001). Same as ``statsmodels.stats.proportion.proportion_confint(method="jeffreys")``.
    Recommended over :func:`wilson_interval` for small expected counts: Wilson's pointwise
    coverage dips to about 84% near :math:`np \approx 0.17`, Jeffreys' worst is about 90%.

    References
    ----------
    Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial
    proportion. *Statistical Science* 16, 101-133.
    """
    a = _check_alpha(alpha)
    x = _as_counts("successes", successes)
    n = _as_counts("trials", trials)
    scalar = x.ndim == 0 and n.ndim == 0
    x, n = np.broadcast_arrays(np.atleast_1d(x), np.atleast_1d(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x > 0, stats.beta.ppf(a / 2, x + 0.5, n - x + 0.5), 0.0)
        high = np.where(x < n, stats.beta.isf(a / 2, x + 0.5, n - x + 0.5), 1.0)
    bad = n <= 0
    low = np.where(bad, np.nan, low)
    high = np.where(bad, np.nan, high)
    if scalar:
        return float(low[0]), float(high[0])
    return low, high


def _scalar_counts(x1: Any, n1: Any, x0: Any, n0: Any) -> tuple[float, float, float, float]:
    for name, v in (("x1", x1), ("n1", n1), ("x0", x0), ("n0", n0)):
        if np.ndim(v) != 0:
            raise ParamsError(
                name, f"got an array of shape {np.shape(v)}", expected="a single count"
            )
    a1, b1 = _counts_pair(x1, n1, "x1", "n1")
    a0, b0 = _counts_pair(x0, n0, "x0", "n0")
    return float(a1), float(b1), float(a0), float(b0)


def newcombe_diff_interval(
    x1: float, n1: float, x0: float, n0: float, *, alpha: float = 0.05
) -> tuple[float, float, float]:
    r"""Difference of two independent proportions with Newcombe's hybrid score interval.

    With :math:`\hat p_i = x_i/n_i`, :math:`d = \hat p_1 - \hat p_0` and Wilson limits
    :math:`(l_i, u_i)` for each proportion (Newcombe 1998, method 10):

    .. math::

        L = d - \sqrt{(\hat p_1 - l_1)^2 + (u_0 - \hat p_0)^2}, \qquad
        U = d + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_0 - l_0)^2}

    Parameters
    ----------
    x1, n1
        Successes and trials of the treatment / first group.
    x0, n0
        Successes and trials of the control / reference group.
    alpha
        1 − confidence level.

    Returns
    -------
    (diff, low, high)
        ``p1 − p0`` and its interval; NaN for all three when ``n1`` or ``n0`` is 0.

    References
    ----------
    Newcombe (1998), method 10; Wilson (1927).
    """
    a = _check_alpha(alpha)
    x1f, n1f, x0f, n0f = _scalar_counts(x1, n1, x0, n0)
    if n1f == 0 or n0f == 0:
        return (np.nan, np.nan, np.nan)
    p1, p0 = x1f / n1f, x0f / n0f
    l1, u1 = wilson_interval(x1f, n1f, alpha=a)
    l0, u0 = wilson_interval(x0f, n0f, alpha=a)
    d = p1 - p0
    low = d - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return (float(d), float(max(low, -1.0)), float(min(high, 1.0)))


# --------------------------------------------------------------------------- tests


def mover_ratio_interval(
    x1: int, n1: int, x0: int, n0: int, *, alpha: float = 0.05
) -> tuple[float, float, float]:
    r"""MOVER-R interval for the ratio of two proportions from Wilson limits (Donner & Zou 2012).

    With :math:`\hat p_i` and Wilson limits :math:`(l_i, u_i)` (:func:`wilson_interval`),

    .. math::

        L = \frac{\hat p_1\hat p_0 - \sqrt{(\hat p_1\hat p_0)^2
            - l_1 u_0 (2\hat p_1 - l_1)(2\hat p_0 - u_0)}}{u_0(2\hat p_0 - u_0)},\qquad
        U = \frac{\hat p_1\hat p_0 + \sqrt{(\hat p_1\hat p_0)^2
            - u_1 l_0 (2\hat p_1 - u_1)(2\hat p_0 - l_0)}}{l_0(2\hat p_0 - l_0)}

    (``U = inf`` when :math:`l_0 = 0`). Built from the same Wilson limits as Newcombe's
    difference interval (:func:`newcombe_diff_interval`, MOVER-D), it agrees with it in sign:
    on every 2×2 table with 10–40 units per arm, ratio > 1 is excluded exactly when the
    difference > 0 is (``tests/stats/test_experiments.py``).

    Returns
    -------
    (ratio, low, high)
        ``ratio`` = p̂1/p̂0 (inf when p̂0 = 0 < p̂1, NaN when both are 0); limits of the ratio.

    References
    ----------
    Donner, A. & Zou, G. Y. (2012). Closed-form confidence intervals for functions of the
    normal mean and standard deviation. *Stat. Methods Med. Res.* 21, 347-359; Newcombe, R. G.
    (2013). *Confidence Intervals for Proportions and Related Measures of Effect Size*, §10.
    """
    a = _check_alpha(alpha)
    x1f, n1f, x0f, n0f = _scalar_counts(x1, n1, x0, n0)
    if n1f == 0 or n0f == 0:
        return (np.nan, np.nan, np.nan)
    p1, p0 = x1f / n1f, x0f / n0f
    l1, u1 = wilson_interval(x1f, n1f, alpha=a)
    l0, u0 = wilson_interval(x0f, n0f, alpha=a)
    ratio = p1 / p0 if p0 > 0 else (np.inf if p1 > 0 else np.nan)
    pp = p1 * p0
    den_l = u0 * (2 * p0 - u0)
    disc_l = max(pp * pp - l1 * u0 * (2 * p1 - l1) * (2 * p0 - u0), 0.0)
    low = (pp - np.sqrt(disc_l)) / den_l if den_l != 0 else 0.0
    den_u = l0 * (2 * p0 - l0)
    if den_u <= 0:
        high = np.inf
    else:
        disc_u = max(pp * pp - u1 * l0 * (2 * p1 - u1) * (2 * p0 - l0), 0.0)
        high = (pp + np.sqrt(disc_u)) / den_u
    return (float(ratio), float(max(low, 0.0)), float(high))


_TWO_PROP_METHODS = {
    "diff": ("wald", "agresti-caffo", "newcombe", "score"),
    "ratio": ("log", "log-adjusted", "score"),
    "odds-ratio": ("logit", "logit-adjusted", "logit-smoothed", "score"),
}


def two_proportion_interval(
    x1: float,
    n1: float,
    x0: float,
    n0: float,
    *,
    compare: Literal["diff", "ratio", "odds-ratio"] = "diff",
    method: str = "score",
    correction: bool = True,
    alpha: float = 0.05,
) -> tuple[float, float, float]:
    r"""Small-sample intervals for two independent proportions: difference, ratio, odds ratio.

    Parameters
    ----------
    x1, n1
        Successes and trials of the treatment / first group.
    x0, n0
        The same for the control / reference group.
    compare
        ``"diff"`` (p1 − p0), ``"ratio"`` (p1 / p0; relative lift = ratio − 1) or
        ``"odds-ratio"``.
    method
        ``"diff"``: ``"wald"``, ``"agresti-caffo"`` (add one success and one failure per
        arm), ``"newcombe"`` (hybrid Wilson score, :func:`newcombe_diff_interval`),
        ``"score"`` (Miettinen–Nurminen). ``"ratio"``: ``"log"`` (Katz), ``"log-adjusted"``,
        ``"score"``. ``"odds-ratio"``: ``"logit"`` (Woolf), ``"logit-adjusted"``,
        ``"logit-smoothed"``, ``"score"``.
    correction
        Score methods only: Miettinen–Nurminen's variance factor n/(n − 1) (``True``); with
        ``False`` the ratio score interval is Koopman's (1984), R ``PropCIs::riskscoreci``.
    alpha
        1 − confidence level.

    Returns
    -------
    (estimate, low, high)
        The point estimate (NaN when undefined, e.g. a ratio with p0 = 0) and the interval.

    Notes
    -----
    Computed by ``statsmodels.stats.proportion.confint_proportions_2indep`` (Newcombe by the
    kit's own function); the published vector ``sm_small_sample_2prop_cis`` checks it against R
    ``PropCIs`` and the table of Fagerland, Lydersen & Laake (2015) for 7/34 vs 1/34.

    References
    ----------
    Agresti, A. and Caffo, B. (2000). *The American Statistician* 54, 280–288.
    Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates. *Statistics in
    Medicine* 4, 213–226.
    Koopman, P. A. R. (1984). Confidence intervals for the ratio of two binomial proportions.
    *Biometrics* 40, 513–517.
    Fagerland, M. W., Lydersen, S. and Laake, P. (2015). Recommended confidence intervals for
    two independent binomial proportions. *Statistical Methods in Medical Research* 24, 224–254.
    """
    a = _check_alpha(alpha)
    x1f, n1f, x0f, n0f = _scalar_counts(x1, n1, x0, n0)
    if compare not in _TWO_PROP_METHODS:
        raise ParamsError("compare", f"got {compare!r}", expected='"diff", "ratio" or "odds-ratio"')
    if method not in _TWO_PROP_METHODS[compare]:
        raise ParamsError(
            "method",
            f"got {method!r} for compare={compare!r}",
            expected=" or ".join(f'"{m}"' for m in _TWO_PROP_METHODS[compare]),
        )
    if n1f == 0 or n0f == 0:
        raise ParamsError("n1" if n1f == 0 else "n0", "is 0", expected="at least one trial per arm")
    p1, p0 = x1f / n1f, x0f / n0f
    with np.errstate(divide="ignore", invalid="ignore"):
        est = {
            "diff": p1 - p0,
            "ratio": np.divide(p1, p0),
            "odds-ratio": np.divide(p1 * (1 - p0), p0 * (1 - p1)),
        }[compare]
    if compare == "diff" and method == "newcombe":
        return newcombe_diff_interval(x1f, n1f, x0f, n0f, alpha=a)
    low, high = confint_proportions_2indep(
        x1f, n1f, x0f, n0f, method=method, compare=compare, alpha=a, correction=correction
    )
    return float(est), float(low), float(high)


def two_proportion_ztest(x1: float, n1: float, x0: float, n0: float) -> tuple[float, float]:
    r"""Pooled two-sample z-test for equal proportions (two-sided).

    .. math::

        \bar p = \frac{x_1 + x_0}{n_1 + n_0}, \qquad
        z = \frac{\hat p_1 - \hat p_0}{\sqrt{\bar p (1 - \bar p)(1/n_1 + 1/n_0)}}, \qquad
        p = 2\,\Phi(-|z|)

    Parameters
    ----------
    x1, n1, x0, n0
        Successes and trials of the two groups.

    Returns
    -------
    (z, p_value)
        Positive ``z`` means group 1 converts more. When the pooled rate is 0 or 1 (no evidence of
        any difference) ``z = 0`` and ``p = 1``; when a group has no trials both are NaN.

    References
    ----------
    Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., §2.1.
    """
    x1f, n1f, x0f, n0f = _scalar_counts(x1, n1, x0, n0)
    if n1f == 0 or n0f == 0:
        return (np.nan, np.nan)
    pooled = (x1f + x0f) / (n1f + n0f)
    if pooled <= 0.0 or pooled >= 1.0:
        return (0.0, 1.0)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n0f))
    z = (x1f / n1f - x0f / n0f) / se
    p = 2.0 * stats.norm.sf(abs(z))
    return (float(z), float(min(p, 1.0)))


@dataclass(frozen=True)
class ChiSquareResult:
    """Pearson chi-square test of homogeneity of k proportions (a k×2 table).

    Attributes
    ----------
    statistic, dof, p_value
        Pearson's X², its degrees of freedom (k − 1 over the groups kept) and the p-value.
    min_expected
        Smallest expected cell count (rule of thumb: be wary below 5).
    n_groups
        Groups used in the test.
    dropped
        Positions (0-based, in input order) of groups left out because they had no trials.
    """

    statistic: float
    dof: int
    p_value: float
    min_expected: float
    n_groups: int = 0
    dropped: tuple[int, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the result."""
        return pd.DataFrame(
            [
                {
                    "statistic": self.statistic,
                    "dof": self.dof,
                    "p_value": self.p_value,
                    "min_expected": self.min_expected,
                    "n_groups": self.n_groups,
                    "n_dropped": len(self.dropped),
                }
            ]
        )


def chi_square_homogeneity(successes: ArrayLike, trials: ArrayLike) -> ChiSquareResult:
    r"""Pearson chi-square test that k groups share one success rate.

    The table has rows (successes, failures) per group; with pooled rate :math:`\bar p`,
    expected counts are :math:`E = n_i \bar p` and :math:`n_i(1-\bar p)`, and

    .. math::

        X^2 = \sum_{i, j} \frac{(O_{ij} - E_{ij})^2}{E_{ij}} \sim \chi^2_{k-1}

    No continuity correction (for k = 2, ``X² = z²`` of :func:`two_proportion_ztest`).

    Parameters
    ----------
    successes, trials
        One count per group, same length.

    Returns
    -------
    ChiSquareResult
        Groups with zero trials are dropped (listed in ``dropped``). With fewer than two groups
        left the statistic and p-value are NaN (dof 0); when the pooled rate is 0 or 1 the
        statistic is 0 and p = 1.

    References
    ----------
    Pearson, K. (1900); Agresti (2013), §3.2.
    """
    x_in = np.atleast_1d(_as_counts("successes", successes))
    n_in = np.atleast_1d(_as_counts("trials", trials))
    if x_in.ndim != 1 or n_in.ndim != 1:
        raise ParamsError("successes", "must be one-dimensional", expected="one count per group")
    _same_length(successes=x_in, trials=n_in)
    x, n = _counts_pair(x_in, n_in)
    keep = n > 0
    dropped = tuple(int(i) for i in np.flatnonzero(~keep))
    x, n = x[keep], n[keep]
    k = len(x)
    if k < 2:
        return ChiSquareResult(np.nan, 0, np.nan, np.nan, k, dropped)
    pooled = x.sum() / n.sum()
    expected = np.concatenate([n * pooled, n * (1.0 - pooled)])
    min_expected = float(expected.min())
    if pooled <= 0.0 or pooled >= 1.0:
        return ChiSquareResult(0.0, k - 1, 1.0, min_expected, k, dropped)
    observed = np.concatenate([x, n - x])
    stat = float(((observed - expected) ** 2 / expected).sum())
    p = float(stats.chi2.sf(stat, k - 1))
    return ChiSquareResult(stat, k - 1, p, min_expected, k, dropped)


# --------------------------------------------------------------------------- multiplicity


def adjust_pvalues(p: ArrayLike, *, method: str = "holm") -> NDArray[np.float64]:
    r"""Adjust p-values for multiple comparisons.

    With the m non-missing p-values sorted ascending, :math:`p_{(1)} \le \dots \le p_{(m)}`:

    - ``"bonferroni"``: :math:`\tilde p_i = \min(1, m p_i)`.
    - ``"holm"`` (Holm 1979, family-wise error):
      :math:`\tilde p_{(i)} = \max_{j \le i} \min\{1, (m - j + 1) p_{(j)}\}`.
    - ``"fdr_bh"`` (Benjamini & Hochberg 1995, false discovery rate):
      :math:`\tilde p_{(i)} = \min_{j \ge i} \min\{1, m p_{(j)} / j\}`.

    Parameters
    ----------
    p
        P-values in [0, 1]; NaN entries are kept as NaN and do not count towards m.
    method
        ``"holm"`` (default), ``"fdr_bh"`` or ``"bonferroni"``.

    Returns
    -------
    ndarray
        Adjusted p-values in the input order and shape.

    References
    ----------
    Holm (1979); Benjamini & Hochberg (1995).
    """
    if method not in _PVALUE_METHODS:
        raise ParamsError(
            "method", f"got {method!r}", expected=" | ".join(repr(m) for m in _PVALUE_METHODS)
        )
    try:
        arr = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise ParamsError(
            "p", "contains values that are not numbers", expected="p-values in [0, 1]"
        ) from None
    shape = arr.shape
    flat = arr.ravel()
    ok = ~np.isnan(flat)
    if ((flat[ok] < 0) | (flat[ok] > 1)).any():
        raise ParamsError("p", "contains values outside [0, 1]", expected="p-values in [0, 1]")
    out = np.full(flat.shape, np.nan)
    vals = flat[ok]
    m = len(vals)
    if m == 0:
        return out.reshape(shape)
    if method == "bonferroni":
        adj = np.minimum(1.0, m * vals)
    else:
        order = np.argsort(vals, kind="mergesort")
        sorted_p = vals[order]
        rank = np.arange(1, m + 1)
        if method == "holm":
            adj_sorted = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * sorted_p))
        else:  # fdr_bh
            adj_sorted = np.minimum.accumulate((m * sorted_p / rank)[::-1])[::-1]
            adj_sorted = np.minimum(1.0, adj_sorted)
        adj = np.empty(m)
        adj[order] = adj_sorted
    out[ok] = adj
    return out.reshape(shape)


# --------------------------------------------------------------------------- tidy tables


def _labels_counts(
    labels: ArrayLike, successes: ArrayLike, trials: ArrayLike
) -> tuple[list[Any], NDArray[np.float64], NDArray[np.float64]]:
    labs = list(labels)  # type: ignore[call-overload]
    x = np.atleast_1d(_as_counts("successes", successes))
    n = np.atleast_1d(_as_counts("trials", trials))
    _same_length(labels=labs, successes=x, trials=n)
    x, n = _counts_pair(x, n)
    return labs, x, n


def proportion_table(
    labels: ArrayLike,
    successes: ArrayLike,
    trials: ArrayLike,
    *,
    alpha: float = 0.05,
    small_n: int = 30,
) -> pd.DataFrame:
    """Rate with Wilson interval per group, one row per label.

    Parameters
    ----------
    labels, successes, trials
        One entry per group, same length.
    alpha
        1 − confidence level of the Wilson interval.
    small_n
        Groups with fewer trials are flagged ``small=True`` (interpret with care).

    Returns
    -------
    DataFrame
        Columns ``label, successes, trials, rate, ci_low, ci_high, small``; ``rate`` is NaN when
        ``trials == 0``.

    See Also
    --------
    wilson_interval
    """
    labs, x, n = _labels_counts(labels, successes, trials)
    low, high = wilson_interval(x, n, alpha=alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, x / n, np.nan)
    return pd.DataFrame(
        {
            "label": labs,
            "successes": _maybe_int(x),
            "trials": _maybe_int(n),
            "rate": rate,
            "ci_low": low,
            "ci_high": high,
            "small": n < small_n,
        }
    )


def pairwise_proportions(
    labels: ArrayLike,
    successes: ArrayLike,
    trials: ArrayLike,
    *,
    method: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """All pairwise comparisons of group rates, adjusted for multiplicity.

    For every pair (a, b) with a before b in input order: ``diff = rate_a − rate_b`` with the
    Newcombe hybrid score interval (:func:`newcombe_diff_interval`, unadjusted level 1 − alpha),
    the pooled z-test p-value (:func:`two_proportion_ztest`) and the p-value adjusted over all
    pairs (:func:`adjust_pvalues`).

    Parameters
    ----------
    labels, successes, trials
        One entry per group (labels unique), same length.
    method
        Multiplicity adjustment: ``"holm"``, ``"fdr_bh"`` or ``"bonferroni"``.
    alpha
        Level for the intervals and for ``significant = p_adjusted < alpha``.

    Returns
    -------
    DataFrame
        Columns ``group_a, group_b, rate_a, rate_b, diff, ci_low, ci_high, p_value, p_adjusted,
        significant``; one row per pair (k(k−1)/2 rows).

    References
    ----------
    Newcombe (1998); Holm (1979); Benjamini & Hochberg (1995).
    """
    a = _check_alpha(alpha)
    if method not in _PVALUE_METHODS:
        raise ParamsError(
            "method", f"got {method!r}", expected=" | ".join(repr(m) for m in _PVALUE_METHODS)
        )
    labs, x, n = _labels_counts(labels, successes, trials)
    if len(set(labs)) != len(labs):
        dupes = sorted({str(v) for v in labs if labs.count(v) > 1})
        raise ParamsError("labels", f"has duplicates {dupes}", expected="one row per group")
    rows = []
    for i, j in combinations(range(len(labs)), 2):
        d, lo, hi = newcombe_diff_interval(x[i], n[i], x[j], n[j], alpha=a)
        _, p = two_proportion_ztest(x[i], n[i], x[j], n[j])
        rows.append(
            {
                "group_a": labs[i],
                "group_b": labs[j],
                "rate_a": x[i] / n[i] if n[i] > 0 else np.nan,
                "rate_b": x[j] / n[j] if n[j] > 0 else np.nan,
                "diff": d,
                "ci_low": lo,
                "ci_high": hi,
                "p_value": p,
            }
        )
    cols = ["group_a", "group_b", "rate_a", "rate_b", "diff", "ci_low", "ci_high", "p_value"]
    out = pd.DataFrame(rows, columns=cols)
    out["p_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(dtype=float), method=method)
    out["significant"] = (out["p_adjusted"] < a).to_numpy()
    return out
