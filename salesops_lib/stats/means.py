"""Comparisons of value metrics between two arms (pipeline value, deal size, meetings per lead).

Pure functions on arrays or on per-arm summaries (n, mean, sd), so an engine can compute the
sufficient statistics at any scale and hand them over. Every result is a frozen dataclass with
``to_dict()`` and ``to_frame()`` (one tidy row). Differences are always *treatment minus control*.

Functions
---------
welch_test, welch_test_from_stats
    Welch's unequal-variance t-test and confidence interval for a difference in means.
bootstrap_diff_ci
    Bootstrap interval (percentile, basic or BCa) for a difference in means / medians / any
    statistic, resampling each arm independently (``scipy.stats.bootstrap``).
winsorize_pooled
    Cap extreme values at a percentile of the *pooled* sample (same cap in both arms).
mann_whitney
    Mann–Whitney U test with the common-language effect size P(X_t > X_c) + ½P(X_t = X_c).

CUPED is in :mod:`salesops_lib.stats.cuped`, counts per unit in :mod:`salesops_lib.stats.counts`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import (
    _as_values,
    _check_alpha,
    _check_count,
    _Result,
    _t_p_value,
)

__all__ = [
    "BootstrapResult",
    "MannWhitneyResult",
    "WelchResult",
    "bootstrap_diff_ci",
    "mann_whitney",
    "welch_test",
    "welch_test_from_stats",
    "winsorize_pooled",
]


# --------------------------------------------------------------------------------------------
# Welch
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WelchResult(_Result):
    """Welch comparison of two means (treatment − control)."""

    n_t: int
    n_c: int
    mean_t: float
    mean_c: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float
    rel_lift: float
    alpha: float


def welch_test_from_stats(
    mean_t: float,
    sd_t: float,
    n_t: int,
    mean_c: float,
    sd_c: float,
    n_c: int,
    *,
    alpha: float = 0.05,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> WelchResult:
    r"""Welch's t-test and interval from per-arm summaries.

    Parameters
    ----------
    mean_t, sd_t, n_t, mean_c, sd_c, n_c
        Mean, sample standard deviation (ddof = 1) and number of units per arm.
    alpha
        1 − confidence level of the interval.
    alternative
        ``"two-sided"`` (default), ``"greater"`` (H1: treatment mean above control; the
        interval is ``[low, inf)``) or ``"less"`` (``(-inf, high]``), as
        ``scipy.stats.ttest_ind_from_stats(alternative=...)``; plan a one-sided test before
        the data are in.

    Returns
    -------
    WelchResult
        ``diff`` = mean_t − mean_c, its standard error, the (1 − alpha) interval, ``t``,
        Welch–Satterthwaite ``df``, the two-sided ``p_value`` and ``rel_lift`` = diff / \|mean_c\|
        (same sign as ``diff`` whatever the sign of the baseline).

    Raises
    ------
    ParamsError
        When a mean or standard deviation is NaN or infinite (no silent p-value).

    Notes
    -----
    .. math::

        SE = \sqrt{s_t^2/n_t + s_c^2/n_c},\qquad
        \nu = \frac{SE^4}{(s_t^2/n_t)^2/(n_t-1) + (s_c^2/n_c)^2/(n_c-1)},\qquad
        \bar y_t - \bar y_c \pm t_{1-\alpha/2,\nu}\,SE .

    When both arms have zero variance the interval collapses to the point difference and
    ``p_value`` is 1 (equal means) or 0 (different means); ``df`` is then ``n_t + n_c − 2``.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34, 28–35.
    """
    alpha = _check_alpha(alpha)
    n_t = _check_count(n_t, "n_t", positive=True)
    n_c = _check_count(n_c, "n_c", positive=True)
    if n_t < 2 or n_c < 2:
        name = "n_t" if n_t < 2 else "n_c"
        raise ParamsError(name, "is 1", expected="at least 2 units per arm to estimate a variance")
    for name, mean in (("mean_t", mean_t), ("mean_c", mean_c)):
        if not np.isfinite(mean):
            raise ParamsError(
                name, f"got {mean!r}", expected="a finite mean (drop or impute NaN/inf values)"
            )
    for name, sd in (("sd_t", sd_t), ("sd_c", sd_c)):
        if not np.isfinite(sd) or sd < 0:
            raise ParamsError(name, f"got {sd!r}", expected="a standard deviation >= 0")
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided", "greater" or "less"'
        )
    vt, vc = sd_t**2 / n_t, sd_c**2 / n_c
    se = float(np.sqrt(vt + vc))
    diff = float(mean_t - mean_c)
    if se > 0:
        df = float((vt + vc) ** 2 / (vt**2 / (n_t - 1) + vc**2 / (n_c - 1)))
        t = diff / se
    else:
        df = float(n_t + n_c - 2)
        t = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    if alternative == "two-sided":
        half = float(stats.t.ppf(1 - alpha / 2, df)) * se
        low, high, p = diff - half, diff + half, _t_p_value(t, df)
    else:
        half = float(stats.t.ppf(1 - alpha, df)) * se
        if alternative == "greater":
            low, high, p = diff - half, np.inf, float(stats.t.sf(t, df))
        else:
            low, high, p = -np.inf, diff + half, float(stats.t.cdf(t, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        # divide by |mean_c| so that a positive difference is a positive lift also when the
        # baseline mean is negative (e.g. margins)
        rel = float(np.divide(diff, abs(mean_c))) if mean_c != 0 else float("nan")
    return WelchResult(
        n_t=n_t,
        n_c=n_c,
        mean_t=float(mean_t),
        mean_c=float(mean_c),
        diff=diff,
        se=se,
        ci_low=float(low),
        ci_high=float(high),
        t=float(t),
        df=df,
        p_value=p,
        rel_lift=rel,
        alpha=alpha,
    )


def welch_test(
    x_t: Any,
    x_c: Any,
    *,
    alpha: float = 0.05,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> WelchResult:
    """Welch's unequal-variance t-test for a difference in means (treatment − control).

    Parameters
    ----------
    x_t, x_c
        Values per unit in the treatment and control arm (at least 2 each).
    alpha
        1 − confidence level.
    alternative
        ``"two-sided"``, ``"greater"`` or ``"less"`` (see :func:`welch_test_from_stats`).

    Returns
    -------
    WelchResult
        See :func:`welch_test_from_stats` for the formula. Matches
        ``scipy.stats.ttest_ind(x_t, x_c, equal_var=False, alternative=alternative)``.

    References
    ----------
    Welch, B. L. (1947). *Biometrika* 34, 28–35.
    """
    xt = _as_values(x_t, "x_t", min_n=2)
    xc = _as_values(x_c, "x_c", min_n=2)
    return welch_test_from_stats(
        float(xt.mean()), float(xt.std(ddof=1)), xt.size,
        float(xc.mean()), float(xc.std(ddof=1)), xc.size,
        alpha=alpha, alternative=alternative,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BootstrapResult(_Result):
    """Bootstrap interval for stat(x_t) − stat(x_c)."""

    stat: str
    estimate: float
    ci_low: float
    ci_high: float
    se: float
    method: str
    n_boot: int
    seed: int
    alpha: float


_STATS: dict[str, Callable[..., np.ndarray]] = {
    "mean": np.mean,
    "median": np.median,
}


def bootstrap_diff_ci(
    x_t: Any,
    x_c: Any,
    *,
    stat: Literal["mean", "median"] | Callable[..., Any] = "mean",
    n_boot: int = 9_999,
    method: Literal["percentile", "basic", "bca"] = "bca",
    seed: int = 0,
    alpha: float = 0.05,
) -> BootstrapResult:
    r"""Bootstrap confidence interval for a difference of a statistic between arms.

    Each arm is resampled independently with replacement (``scipy.stats.bootstrap`` with two
    samples, ``paired=False``); the statistic of a resample is ``stat(x_t*) − stat(x_c*)``.

    Parameters
    ----------
    x_t, x_c
        Values per unit in each arm (at least 2 each).
    stat
        ``"mean"``, ``"median"`` or a vectorised callable ``f(x, axis=-1)``.
    n_boot
        Number of resamples (>= 100).
    method
        ``"bca"`` (bias-corrected and accelerated, default; Efron 1987), ``"percentile"`` or
        ``"basic"``.
    seed
        Seed of the random generator (results are reproducible).
    alpha
        1 − confidence level.

    Returns
    -------
    BootstrapResult
        ``estimate`` (on the observed data), the interval, the bootstrap standard error.

    Notes
    -----
    When every resample gives the same value (e.g. both arms constant) the interval is the point
    estimate; no warning is raised.

    References
    ----------
    Efron, B. and Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall, ch.
    13–14.
    """
    alpha = _check_alpha(alpha)
    xt = _as_values(x_t, "x_t", min_n=2)
    xc = _as_values(x_c, "x_c", min_n=2)
    if not isinstance(n_boot, int | np.integer) or n_boot < 100:
        raise ParamsError("n_boot", f"got {n_boot!r}", expected="an integer >= 100")
    if method not in ("percentile", "basic", "bca"):
        raise ParamsError("method", f"got {method!r}", expected='"bca", "percentile" or "basic"')
    if callable(stat):
        fn, name = stat, getattr(stat, "__name__", "custom")
    elif stat in _STATS:
        fn, name = _STATS[stat], stat
    else:
        raise ParamsError("stat", f"got {stat!r}", expected='"mean", "median" or a callable')

    def diff(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
        return fn(a, axis=axis) - fn(b, axis=axis)

    estimate = float(diff(xt, xc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            (xt, xc),
            diff,
            n_resamples=int(n_boot),
            confidence_level=1 - alpha,
            method=method,
            vectorized=True,
            paired=False,
            rng=np.random.default_rng(seed),
        )
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    dist = res.bootstrap_distribution
    used = str(method)
    if not (np.isfinite(low) and np.isfinite(high)):
        # degenerate bootstrap distribution (BCa undefined): fall back to percentiles, and say so
        low, high = (float(v) for v in np.quantile(dist, [alpha / 2, 1 - alpha / 2]))
        used = "percentile (fallback)"
        if np.ptp(dist) == 0:
            low = high = estimate
            used = "degenerate (no variation)"
    return BootstrapResult(
        stat=name,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        se=float(res.standard_error),
        method=used,
        n_boot=int(n_boot),
        seed=int(seed),
        alpha=alpha,
    )


# --------------------------------------------------------------------------------------------
# Winsorising
# --------------------------------------------------------------------------------------------
def winsorize_pooled(
    x_t: Any,
    x_c: Any,
    *,
    upper_pct: float = 99.0,
    lower_pct: float | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Cap extreme values at a percentile of the pooled sample (the same cap in both arms).

    Heavy-tailed value metrics (deal size, pipeline value) are dominated by a few whales; capping
    at a pooled percentile reduces variance while treating both arms alike, so the comparison
    stays unbiased for the *capped* metric.

    Parameters
    ----------
    x_t, x_c
        Values per unit in each arm.
    upper_pct
        Percentile (0–100] of the pooled values used as the upper cap (linear interpolation,
        ``numpy.percentile`` default). 100 means no cap.
    lower_pct
        Optional lower percentile to floor values at.

    Returns
    -------
    (x_t_capped, x_c_capped, cap)
        The capped copies and the upper cap that was applied.

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
    controlled experiments by utilizing pre-experiment data. *WSDM '13* (capping, section 3.3).
    """
    xt = _as_values(x_t, "x_t")
    xc = _as_values(x_c, "x_c")
    if not (isinstance(upper_pct, int | float) and 0 < upper_pct <= 100):
        raise ParamsError("upper_pct", f"got {upper_pct!r}", expected="a percentile in (0, 100]")
    if lower_pct is not None and not (
        isinstance(lower_pct, int | float) and 0 <= lower_pct < upper_pct
    ):
        raise ParamsError(
            "lower_pct", f"got {lower_pct!r}", expected="a percentile in [0, upper_pct)"
        )
    pooled = np.concatenate([xt, xc])
    cap = float(np.percentile(pooled, upper_pct))
    floor = float(np.percentile(pooled, lower_pct)) if lower_pct is not None else -np.inf
    return np.clip(xt, floor, cap), np.clip(xc, floor, cap), cap


# --------------------------------------------------------------------------------------------
# Mann–Whitney
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MannWhitneyResult(_Result):
    """Mann–Whitney U test (treatment vs control)."""

    n_t: int
    n_c: int
    u: float
    p_value: float
    cles: float
    rank_biserial: float
    method: str


def mann_whitney(
    x_t: Any,
    x_c: Any,
    *,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> MannWhitneyResult:
    r"""Mann–Whitney U test with the common-language effect size.

    Parameters
    ----------
    x_t, x_c
        Values per unit in each arm.
    alternative
        As in ``scipy.stats.mannwhitneyu`` (treatment relative to control).

    Returns
    -------
    MannWhitneyResult
        ``u`` = U statistic of the treatment arm, ``p_value`` (scipy, ``method="auto"``: exact for
        small samples without ties, normal approximation with tie and continuity correction
        otherwise), ``cles`` = :math:`U_t/(n_t n_c) = P(X_t > X_c) + \tfrac12 P(X_t = X_c)`
        (McGraw & Wong 1992) and ``rank_biserial`` = 2·cles − 1.

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). *Ann. Math. Statist.* 18, 50–60.
    McGraw, K. O. and Wong, S. P. (1992). A common language effect size statistic.
    *Psychological Bulletin* 111, 361–365.
    """
    xt = _as_values(x_t, "x_t")
    xc = _as_values(x_c, "x_c")
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided", "greater" or "less"'
        )
    if np.ptp(np.concatenate([xt, xc])) == 0:  # all values tied: no information
        u = xt.size * xc.size / 2.0
        return MannWhitneyResult(xt.size, xc.size, u, 1.0, 0.5, 0.0, "all tied")
    res = stats.mannwhitneyu(xt, xc, alternative=alternative, method="auto")
    u = float(res.statistic)
    cles = u / (xt.size * xc.size)
    has_ties = np.unique(np.concatenate([xt, xc])).size < xt.size + xc.size
    method = "asymptotic" if (has_ties or min(xt.size, xc.size) > 8) else "exact"
    return MannWhitneyResult(
        n_t=xt.size,
        n_c=xc.size,
        u=u,
        p_value=float(res.pvalue),
        cles=float(cles),
        rank_biserial=float(2 * cles - 1),
        method=method,
    )
