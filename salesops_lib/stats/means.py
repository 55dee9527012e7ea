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
cuped_adjust, cuped_compare, cuped_compare_from_stats
    CUPED / regression adjustment with a pre-period covariate (identical to OLS ``y ~ arm + x``),
    from arrays or from per-arm sufficient statistics.
poisson_rate_ratio, compare_counts
    Counts per unit (meetings, calls): Poisson rate ratio (score test and interval) and the
    over-dispersion-robust Welch difference in mean counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from salesops_lib.errors import ParamsError

__all__ = [
    "BootstrapResult",
    "CountsComparison",
    "CupedResult",
    "CupedStats",
    "MannWhitneyResult",
    "PoissonRateRatio",
    "WelchResult",
    "bootstrap_diff_ci",
    "compare_counts",
    "cuped_adjust",
    "cuped_compare",
    "cuped_compare_from_stats",
    "mann_whitney",
    "poisson_rate_ratio",
    "welch_test",
    "welch_test_from_stats",
    "winsorize_pooled",
]


# --------------------------------------------------------------------------------------------
# shared helpers (private; experiments.py imports a few of them)
# --------------------------------------------------------------------------------------------
class _Result:
    """Mixin: ``to_dict()`` and a one-row tidy ``to_frame()`` for frozen dataclass results."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    def to_frame(self) -> pd.DataFrame:
        row = {k: v for k, v in self.to_dict().items() if np.ndim(v) == 0}
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _check_alpha(alpha: float) -> float:
    if not (isinstance(alpha, int | float) and 0.0 < float(alpha) < 1.0):
        raise ParamsError("alpha", f"got {alpha!r}", expected="a number between 0 and 1, e.g. 0.05")
    return float(alpha)


def _as_values(x: Any, name: str, *, min_n: int = 1) -> np.ndarray:
    """1-d float array of finite values, at least ``min_n`` of them."""
    try:
        arr = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ParamsError(name, "is not numeric", expected="an array of numbers") from None
    if arr.size < min_n:
        raise ParamsError(
            name,
            f"has {arr.size} unit{'s' if arr.size != 1 else ''}",
            expected=f"at least {min_n} units per arm",
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise ParamsError(
            name,
            f"holds {bad} missing or infinite value{'s' if bad != 1 else ''}",
            expected="finite numbers only",
            fix="fill or drop missing values before the comparison (e.g. a unit with no deal has value 0)",
        )
    return arr


def _check_count(value: Any, name: str, *, positive: bool = False) -> int:
    """A non-negative (or positive) integer count."""
    try:
        fval = float(value)
    except (TypeError, ValueError):
        raise ParamsError(name, f"got {value!r}", expected="a whole number") from None
    if not np.isfinite(fval) or fval != np.floor(fval):
        raise ParamsError(name, f"got {value!r}", expected="a whole number")
    if fval < 0:
        raise ParamsError(name, f"is negative ({value!r})", expected="a count >= 0")
    if positive and fval == 0:
        raise ParamsError(name, "is 0: the arm has no units", expected="at least one unit per arm")
    return int(fval)


def _t_p_value(t: float, df: float) -> float:
    """Two-sided p-value of a t statistic; handles t = ±inf and df = inf."""
    if np.isnan(t):
        return 1.0
    return float(2.0 * stats.t.sf(abs(t), df))


def _z_p_value(z: float) -> float:
    if np.isnan(z):
        return 1.0
    return float(2.0 * stats.norm.sf(abs(z)))


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
) -> WelchResult:
    r"""Welch's t-test and interval from per-arm summaries.

    Parameters
    ----------
    mean_t, sd_t, n_t, mean_c, sd_c, n_c
        Mean, sample standard deviation (ddof = 1) and number of units per arm.
    alpha
        1 − confidence level of the interval.

    Returns
    -------
    WelchResult
        ``diff`` = mean_t − mean_c, its standard error, the (1 − alpha) interval, ``t``,
        Welch–Satterthwaite ``df``, the two-sided ``p_value`` and ``rel_lift`` = diff / mean_c.

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
    for name, sd in (("sd_t", sd_t), ("sd_c", sd_c)):
        if not np.isfinite(sd) or sd < 0:
            raise ParamsError(name, f"got {sd!r}", expected="a standard deviation >= 0")
    vt, vc = sd_t**2 / n_t, sd_c**2 / n_c
    se = float(np.sqrt(vt + vc))
    diff = float(mean_t - mean_c)
    if se > 0:
        df = float((vt + vc) ** 2 / (vt**2 / (n_t - 1) + vc**2 / (n_c - 1)))
        t = diff / se
    else:
        df = float(n_t + n_c - 2)
        t = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = float(np.divide(diff, mean_c)) if mean_c != 0 else float("nan")
    return WelchResult(
        n_t=n_t,
        n_c=n_c,
        mean_t=float(mean_t),
        mean_c=float(mean_c),
        diff=diff,
        se=se,
        ci_low=diff - half,
        ci_high=diff + half,
        t=float(t),
        df=df,
        p_value=_t_p_value(t, df),
        rel_lift=rel,
        alpha=alpha,
    )


def welch_test(x_t: Any, x_c: Any, *, alpha: float = 0.05) -> WelchResult:
    """Welch's unequal-variance t-test for a difference in means (treatment − control).

    Parameters
    ----------
    x_t, x_c
        Values per unit in the treatment and control arm (at least 2 each).
    alpha
        1 − confidence level.

    Returns
    -------
    WelchResult
        See :func:`welch_test_from_stats` for the formula. Matches
        ``scipy.stats.ttest_ind(x_t, x_c, equal_var=False)``.

    References
    ----------
    Welch, B. L. (1947). *Biometrika* 34, 28–35.
    """
    xt = _as_values(x_t, "x_t", min_n=2)
    xc = _as_values(x_c, "x_c", min_n=2)
    return welch_test_from_stats(
        float(xt.mean()), float(xt.std(ddof=1)), xt.size,
        float(xc.mean()), float(xc.std(ddof=1)), xc.size,
        alpha=alpha,
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
    Efron, B. and Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall, ch. 13–14.
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
    if not (np.isfinite(low) and np.isfinite(high)):
        # degenerate bootstrap distribution (BCa undefined): fall back to percentiles
        low, high = (float(v) for v in np.quantile(dist, [alpha / 2, 1 - alpha / 2]))
        if np.ptp(dist) == 0:
            low = high = estimate
    return BootstrapResult(
        stat=name,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        se=float(res.standard_error),
        method=method,
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


# --------------------------------------------------------------------------------------------
# CUPED
# --------------------------------------------------------------------------------------------
def _arm_codes(arm: Any, n: int, treatment: Any | None) -> np.ndarray:
    """0/1 treatment indicator from an arm label array."""
    labels = np.asarray(arm).ravel()
    if labels.size != n:
        raise ParamsError(
            "arm", f"has {labels.size} values for {n} units", expected="one label per unit"
        )
    levels = list(dict.fromkeys(labels.tolist()))
    if len(levels) != 2:
        raise ParamsError(
            "arm", f"holds {len(levels)} distinct arms {levels[:5]}", expected="exactly two arms"
        )
    if treatment is None:
        if set(levels) <= {0, 1}:
            treatment = 1
        else:
            raise ParamsError(
                "treatment",
                "is needed to tell which arm is the treatment",
                expected=f"one of {levels}",
            )
    if treatment not in levels:
        raise ParamsError("treatment", f"{treatment!r} is not an arm", expected=f"one of {levels}")
    return (labels == treatment).astype(float)


def _within_theta(y: np.ndarray, x: np.ndarray, d: np.ndarray) -> tuple[float, float, float, float]:
    """Pooled within-arm slope, SSx_w, SPxy_w, SSy_w."""
    ssx = spxy = ssy = 0.0
    for g in (0.0, 1.0):
        m = d == g
        xc, yc = x[m] - x[m].mean(), y[m] - y[m].mean()
        ssx += float(xc @ xc)
        spxy += float(xc @ yc)
        ssy += float(yc @ yc)
    theta = spxy / ssx if ssx > 0 else 0.0
    return theta, ssx, spxy, ssy


def cuped_adjust(
    y: Any, x_pre: Any, arm: Any, *, treatment: Any | None = None
) -> tuple[np.ndarray, float]:
    r"""CUPED-adjusted outcome :math:`y - \theta (x - \bar x)`.

    Parameters
    ----------
    y
        Outcome per unit (experiment period).
    x_pre
        Pre-period covariate per unit (same metric before the test is usual), unaffected by the
        treatment.
    arm
        Arm label per unit (two arms).
    treatment
        Which label is the treatment (default 1 for 0/1 or boolean labels).

    Returns
    -------
    (y_adjusted, theta)

    Notes
    -----
    :math:`\theta = \sum_{a}\sum_{i\in a}(x_i-\bar x_a)(y_i-\bar y_a) /
    \sum_a\sum_{i\in a}(x_i-\bar x_a)^2` is the pooled *within-arm* slope, which makes the
    difference of adjusted means identical to the treatment coefficient of OLS ``y ~ arm + x``
    (Lin 2013). With randomisation it differs from the all-units slope cov(y, x)/var(x) of Deng
    et al. only by sampling noise of order 1/n. A constant covariate gives θ = 0 (no adjustment).

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
    controlled experiments by utilizing pre-experiment data. *WSDM '13*, 123–132.
    """
    yv = _as_values(y, "y", min_n=4)
    xv = _as_values(x_pre, "x_pre", min_n=4)
    if xv.size != yv.size:
        raise ParamsError(
            "x_pre", f"has {xv.size} values for {yv.size} outcomes", expected="one per unit"
        )
    d = _arm_codes(arm, yv.size, treatment)
    theta, *_ = _within_theta(yv, xv, d)
    return yv - theta * (xv - xv.mean()), float(theta)


@dataclass(frozen=True)
class CupedResult(_Result):
    """CUPED / regression-adjusted comparison (treatment − control)."""

    n_t: int
    n_c: int
    theta: float
    diff_unadjusted: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float
    variance_reduction: float
    se_unadjusted: float
    cov_type: str
    alpha: float


def cuped_compare(
    y_t: Any,
    x_t: Any,
    y_c: Any,
    x_c: Any,
    *,
    alpha: float = 0.05,
    cov_type: Literal["nonrobust", "HC1"] = "nonrobust",
) -> CupedResult:
    r"""Compare two arms on ``y`` adjusting for a pre-period covariate ``x`` (CUPED).

    Parameters
    ----------
    y_t, x_t
        Outcome and pre-period covariate per treatment unit.
    y_c, x_c
        The same for control units.
    alpha
        1 − confidence level.
    cov_type
        ``"nonrobust"`` (classical OLS standard error, default) or ``"HC1"``
        (heteroskedasticity-robust, MacKinnon & White 1985).

    Returns
    -------
    CupedResult
        ``diff`` = adjusted difference, its SE / interval / t / p (t distribution with
        n − 3 degrees of freedom), ``theta``, ``diff_unadjusted`` and ``variance_reduction``
        = 1 − var(y_adj)/var(y) using within-arm (residual) variances, i.e. the squared
        within-arm correlation of y and x. ``se_unadjusted`` is the pooled-variance SE of the
        raw difference, for comparison. A covariate that is constant within each arm carries no
        information: θ = 0 and the result is the pooled-variance t-test (df = n − 2).

    Notes
    -----
    Identical to the ``arm`` coefficient of OLS ``y ~ 1 + arm + x``:

    .. math::

        \hat\Delta = (\bar y_t - \bar y_c) - \theta(\bar x_t - \bar x_c),\qquad
        \widehat{Var}(\hat\Delta) = \frac{RSS/(n-3)}{S_{dd} - S_{dx}^2/S_{xx}},

    with :math:`S_{dd} = n_t n_c/n`, :math:`S_{dx} = S_{dd}(\bar x_t - \bar x_c)`,
    :math:`S_{xx}` the total sum of squares of x and RSS the within-arm residual sum of squares.

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). *WSDM '13*, 123–132.
    Lin, W. (2013). Agnostic notes on regression adjustments to experimental data.
    *Annals of Applied Statistics* 7, 295–318.
    """
    alpha = _check_alpha(alpha)
    yt, xt = _as_values(y_t, "y_t", min_n=2), _as_values(x_t, "x_t", min_n=2)
    yc, xc = _as_values(y_c, "y_c", min_n=2), _as_values(x_c, "x_c", min_n=2)
    if yt.size != xt.size:
        raise ParamsError(
            "x_t", f"has {xt.size} values for {yt.size} outcomes", expected="one per unit"
        )
    if yc.size != xc.size:
        raise ParamsError(
            "x_c", f"has {xc.size} values for {yc.size} outcomes", expected="one per unit"
        )
    if cov_type not in ("nonrobust", "HC1"):
        raise ParamsError("cov_type", f"got {cov_type!r}", expected='"nonrobust" or "HC1"')
    st = CupedStats.from_arrays(yt, xt)
    sc = CupedStats.from_arrays(yc, xc)
    se_hc1 = None
    if cov_type == "HC1":
        y, x = np.concatenate([yt, yc]), np.concatenate([xt, xc])
        d = np.concatenate([np.ones(yt.size), np.zeros(yc.size)])
        use_x = (st.n - 1) * st.var_x + (sc.n - 1) * sc.var_x > 0
        X = np.column_stack([np.ones(y.size), d, x] if use_x else [np.ones(y.size), d])
        xtx_inv = np.linalg.inv(X.T @ X)
        resid = y - X @ (xtx_inv @ (X.T @ y))
        meat = (X * resid[:, None] ** 2).T @ X
        cov = xtx_inv @ meat @ xtx_inv * y.size / (y.size - X.shape[1])
        se_hc1 = float(np.sqrt(max(cov[1, 1], 0.0)))
    return _cuped_from_stats(st, sc, alpha=alpha, se_override=se_hc1)


class CupedStats(NamedTuple):
    """Sufficient statistics of one arm for CUPED: an engine computes them with ``count``,
    ``avg``, ``var_samp`` and ``covar_samp`` (all with ddof = 1)."""

    n: int
    mean_y: float
    mean_x: float
    var_y: float
    var_x: float
    cov_xy: float

    @classmethod
    def from_arrays(cls, y: np.ndarray, x: np.ndarray) -> CupedStats:
        yc, xc = y - y.mean(), x - x.mean()
        d = y.size - 1
        return cls(y.size, float(y.mean()), float(x.mean()), float(yc @ yc / d),
                   float(xc @ xc / d), float(xc @ yc / d))  # fmt: skip


def cuped_compare_from_stats(
    stats_t: CupedStats | tuple[float, ...],
    stats_c: CupedStats | tuple[float, ...],
    *,
    alpha: float = 0.05,
) -> CupedResult:
    """:func:`cuped_compare` (classical SE) from per-arm sufficient statistics.

    Parameters
    ----------
    stats_t, stats_c
        :class:`CupedStats` ``(n, mean_y, mean_x, var_y, var_x, cov_xy)`` per arm (sample
        variances and covariance, ddof = 1), or plain tuples in that order.
    alpha
        1 − confidence level.

    Returns
    -------
    CupedResult
        Identical to ``cuped_compare(..., cov_type="nonrobust")`` on the underlying units.
    """
    parsed = []
    for name, st in (("stats_t", stats_t), ("stats_c", stats_c)):
        try:
            cs = CupedStats(*st)
        except TypeError:
            raise ParamsError(
                name, f"got {st!r}", expected="(n, mean_y, mean_x, var_y, var_x, cov_xy)"
            ) from None
        if not all(np.isfinite(v) for v in cs) or cs.n != int(cs.n) or cs.n < 2:
            raise ParamsError(name, f"got {st!r}", expected="finite values and n >= 2 units")
        if cs.var_y < 0 or cs.var_x < 0:
            raise ParamsError(name, "has a negative variance", expected="variances >= 0")
        parsed.append(cs._replace(n=int(cs.n)))
    return _cuped_from_stats(parsed[0], parsed[1], alpha=_check_alpha(alpha), se_override=None)


def _cuped_from_stats(
    st: CupedStats, sc: CupedStats, *, alpha: float, se_override: float | None
) -> CupedResult:
    n_t, n_c = st.n, sc.n
    n = n_t + n_c
    ssx_w = (n_t - 1) * st.var_x + (n_c - 1) * sc.var_x
    ssy_w = (n_t - 1) * st.var_y + (n_c - 1) * sc.var_y
    spxy_w = (n_t - 1) * st.cov_xy + (n_c - 1) * sc.cov_xy
    use_x = ssx_w > 0  # a covariate constant within arms carries no information: plain t-test
    theta = spxy_w / ssx_w if use_x else 0.0
    k = 3 if use_x else 2
    diff_raw = float(st.mean_y - sc.mean_y)
    dx = float(st.mean_x - sc.mean_x)
    diff = diff_raw - theta * dx
    rss = max(ssy_w - theta * spxy_w, 0.0)
    df = float(n - k)
    sdd = n_t * n_c / n
    # total S_xx = SSx_within + S_dd * dx^2 > 0 when use_x, so the denominator is positive
    denom = sdd - (sdd * dx) ** 2 / (ssx_w + sdd * dx * dx) if use_x else sdd
    se = float(np.sqrt(rss / df / denom)) if se_override is None else se_override
    if se > 0:
        t = diff / se
    else:
        t = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    vr = 1.0 - rss / ssy_w if ssy_w > 0 else 0.0
    se_raw = float(np.sqrt(ssy_w / (n - 2) * (1 / n_t + 1 / n_c)))
    return CupedResult(
        n_t=n_t,
        n_c=n_c,
        theta=float(theta),
        diff_unadjusted=diff_raw,
        diff=float(diff),
        se=se,
        ci_low=float(diff - half),
        ci_high=float(diff + half),
        t=float(t),
        df=df,
        p_value=_t_p_value(t, df),
        variance_reduction=float(vr),
        se_unadjusted=se_raw,
        cov_type="nonrobust" if se_override is None else "HC1",
        alpha=alpha,
    )


# --------------------------------------------------------------------------------------------
# Counts per unit
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PoissonRateRatio(_Result):
    """Poisson rate ratio (treatment / control) from event totals and exposures."""

    events_t: float
    exposure_t: float
    events_c: float
    exposure_c: float
    rate_t: float
    rate_c: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    method: str
    alpha: float


def poisson_rate_ratio(
    events_t: float,
    exposure_t: float,
    events_c: float,
    exposure_c: float,
    *,
    alpha: float = 0.05,
) -> PoissonRateRatio:
    r"""Compare two Poisson rates: score test and score interval for the rate ratio.

    Parameters
    ----------
    events_t, exposure_t, events_c, exposure_c
        Total events (e.g. meetings) and exposure (units, or unit-days) per arm.
    alpha
        1 − confidence level.

    Returns
    -------
    PoissonRateRatio
        Rates, ``rate_ratio`` = rate_t / rate_c, score interval
        (``statsmodels.stats.rates.confint_poisson_2indep(method="score")``) and score test
        (``test_poisson_2indep(method="score")``). With zero events in both arms the ratio is
        undefined: ``rate_ratio`` is NaN, the interval (0, inf) and ``p_value`` 1.

    Notes
    -----
    Assumes events are Poisson given exposure. Counts per lead are usually over-dispersed
    (variance > mean); :func:`compare_counts` reports the dispersion and a Welch comparison that
    does not rely on the Poisson assumption.

    References
    ----------
    Gu, K., Ng, H. K. T., Tang, M. L. and Schucany, W. R. (2008). Testing the ratio of two
    Poisson rates. *Biometrical Journal* 50, 283–298.
    """
    from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

    alpha = _check_alpha(alpha)
    for name, v in (("events_t", events_t), ("events_c", events_c)):
        if not np.isfinite(v) or v < 0:
            raise ParamsError(name, f"got {v!r}", expected="a count >= 0")
    for name, v in (("exposure_t", exposure_t), ("exposure_c", exposure_c)):
        if not np.isfinite(v) or v <= 0:
            raise ParamsError(
                name, f"got {v!r}", expected="a positive exposure (units or unit-time)"
            )
    rt, rc = events_t / exposure_t, events_c / exposure_c
    if events_t + events_c == 0:
        return PoissonRateRatio(
            float(events_t), float(exposure_t), float(events_c), float(exposure_c),
            0.0, 0.0, float("nan"), 0.0, float("inf"), 0.0, 1.0, "score", alpha,
        )  # fmt: skip
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        test = test_poisson_2indep(events_t, exposure_t, events_c, exposure_c, method="score")
        low, high = confint_poisson_2indep(
            events_t, exposure_t, events_c, exposure_c, method="score", compare="ratio", alpha=alpha
        )
    low = 0.0 if events_t == 0 or not np.isfinite(low) else float(low)
    high = float("inf") if events_c == 0 or not np.isfinite(high) else float(high)
    ratio = rt / rc if rc > 0 else float("inf")
    return PoissonRateRatio(
        events_t=float(events_t),
        exposure_t=float(exposure_t),
        events_c=float(events_c),
        exposure_c=float(exposure_c),
        rate_t=float(rt),
        rate_c=float(rc),
        rate_ratio=float(ratio),
        ci_low=low,
        ci_high=high,
        statistic=float(test.statistic),
        p_value=float(test.pvalue) if np.isfinite(test.pvalue) else 1.0,
        method="score",
        alpha=alpha,
    )


@dataclass(frozen=True)
class CountsComparison(_Result):
    """Counts per unit: Welch difference in means and Poisson rate ratio."""

    n_t: int
    n_c: int
    mean_t: float
    mean_c: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    rate_ratio: float
    rr_ci_low: float
    rr_ci_high: float
    rr_p_value: float
    dispersion_t: float
    dispersion_c: float
    overdispersed: bool
    alpha: float


def compare_counts(counts_t: Any, counts_c: Any, *, alpha: float = 0.05) -> CountsComparison:
    """Compare counts per unit (meetings per lead, calls per account).

    Parameters
    ----------
    counts_t, counts_c
        Non-negative counts per unit in each arm (at least 2 units each).
    alpha
        1 − confidence level.

    Returns
    -------
    CountsComparison
        ``diff``/``ci_low``/``ci_high``/``p_value`` from :func:`welch_test` on the per-unit counts
        (valid whatever the dispersion), and the Poisson ``rate_ratio`` with its score interval
        and p-value (:func:`poisson_rate_ratio`, exposure = number of units).
        ``dispersion_*`` = variance / mean per arm; ``overdispersed`` is True when either exceeds
        1.5, in which case the Poisson interval is too narrow: read the Welch result.

    References
    ----------
    Cameron, A. C. and Trivedi, P. K. (2013). *Regression Analysis of Count Data*, 2nd ed., ch. 3.
    """
    ct = _as_values(counts_t, "counts_t", min_n=2)
    cc = _as_values(counts_c, "counts_c", min_n=2)
    for name, arr in (("counts_t", ct), ("counts_c", cc)):
        if np.any(arr < 0):
            raise ParamsError(name, "holds negative counts", expected="counts >= 0")
    w = welch_test(ct, cc, alpha=alpha)
    rr = poisson_rate_ratio(float(ct.sum()), ct.size, float(cc.sum()), cc.size, alpha=alpha)

    def disp(a: np.ndarray) -> float:
        m = a.mean()
        return float(a.var(ddof=1) / m) if m > 0 else float("nan")

    dt, dc = disp(ct), disp(cc)
    return CountsComparison(
        n_t=ct.size,
        n_c=cc.size,
        mean_t=w.mean_t,
        mean_c=w.mean_c,
        diff=w.diff,
        ci_low=w.ci_low,
        ci_high=w.ci_high,
        p_value=w.p_value,
        rate_ratio=rr.rate_ratio,
        rr_ci_low=rr.ci_low,
        rr_ci_high=rr.ci_high,
        rr_p_value=rr.p_value,
        dispersion_t=dt,
        dispersion_c=dc,
        overdispersed=bool(np.nanmax([dt, dc, 0.0]) > 1.5),
        alpha=w.alpha,
    )
