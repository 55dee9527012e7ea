"""A/B (and A/B/n) campaign evaluation: data quality, binary outcomes, time to event, many arms,
cluster randomisation and the ship / do-not-ship verdict.

Pure functions on counts, arrays and per-arm summaries (numpy / scipy / statsmodels). Differences
are always *treatment minus control*; relative lift is treatment / control − 1. Bad arguments
raise :class:`~salesops_lib.errors.ParamsError` naming the argument; degenerate but valid data
(0 % or 100 % conversion in an arm, no events) gives finite or explicitly unbounded (``inf``)
intervals, never a warning.

Functions
---------
compare_proportions
    Conversion in two arms: Newcombe (or Wald) interval for the difference, pooled z-test, relative
    lift with delta-method and Fieller intervals, Fisher / Boschloo exact p-value.
compare_arms, compare_arms_means
    Each arm against control with adjusted p-values (Holm / BH / Bonferroni) and matching
    simultaneous (Bonferroni) or false-coverage-rate (Benjamini–Yekutieli) intervals.
compare_time_to_event
    Kaplan–Meier medians per arm, log-rank test against control, bootstrap interval for the
    difference in medians.
non_inferiority
    Guardrail non-inferiority check (the ship / do-not-ship policy lives in
    :mod:`salesops_lib.analyses.experiment._stats`).

The data-quality checks (sample-ratio mismatch, pre-period balance) are in
:mod:`salesops_lib.stats.balance`, the Bayesian beta-binomial comparison in
:mod:`salesops_lib.stats.bayes_binary` and the cluster-randomised tests in
:mod:`salesops_lib.stats.clusters`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import (
    _as_values,
    _check_alpha,
    _check_binary,
    _labelled,
    _Result,
    _z,
)
from salesops_lib.stats.means import (
    welch_test_from_stats,
)
from salesops_lib.stats.proportions import (
    adjust_pvalues,
    mover_ratio_interval,
    newcombe_diff_interval,
    two_proportion_ztest,
)
from salesops_lib.stats.survival import kaplan_meier, logrank_test

__all__ = [
    "BinaryComparison",
    "NonInferiority",
    "compare_arms",
    "compare_arms_means",
    "compare_proportions",
    "compare_time_to_event",
    "interval_alpha",
    "non_inferiority",
]

_BOSCHLOO_MAX_CELLS = 4_000_000  # n_t * n_c above which Boschloo is too slow: Fisher is used


# ============================================================================================
# 2. Binary outcomes
# ============================================================================================
@dataclass(frozen=True)
class BinaryComparison(_Result):
    """Comparison of two conversion rates (treatment − control). See :func:`compare_proportions`."""

    x_t: int
    n_t: int
    x_c: int
    n_c: int
    rate_t: float
    rate_c: float
    abs_diff: float
    abs_ci_low: float
    abs_ci_high: float
    ci_method: str
    z: float
    p_value: float
    rel_lift: float
    rel_ci_low: float
    rel_ci_high: float
    rel_ci_low_fieller: float
    rel_ci_high_fieller: float
    fisher_p_value: float
    exact_p_value: float
    exact_method: str
    min_expected: float
    small_sample: bool
    alpha: float
    rel_ci_low_mover: float = math.nan
    rel_ci_high_mover: float = math.nan


def _fieller_ratio(rt: float, vt: float, rc: float, vc: float, z: float) -> tuple[float, float]:
    """Fieller interval for rt / rc with independent estimates (variances vt, vc)."""
    a = rc * rc - z * z * vc
    b = -2.0 * rt * rc
    c = rt * rt - z * z * vt
    disc = b * b - 4 * a * c
    if a <= 0:
        # control not significantly above 0: the set {a ρ² + b ρ + c <= 0} is unbounded. With
        # a < 0 and two real roots it is (−∞, r1] ∪ [r2, ∞); clipped to ratios >= 0 it is
        # [r2, ∞) when r1 < 0 (treatment significantly above 0), else its hull [0, ∞)
        if a < 0 and disc > 0:
            r = math.sqrt(disc)
            r1, r2 = sorted(((-b + r) / (2 * a), (-b - r) / (2 * a)))
            if r1 < 0.0:
                return max(r2, 0.0), math.inf
        return 0.0, math.inf
    disc = max(disc, 0.0)
    r = math.sqrt(disc)
    low, high = (-b - r) / (2 * a), (-b + r) / (2 * a)
    return max(low, 0.0), high


def compare_proportions(
    x_t: int,
    n_t: int,
    x_c: int,
    n_c: int,
    *,
    alpha: float = 0.05,
    method: Literal["newcombe", "wald"] = "newcombe",
) -> BinaryComparison:
    r"""Compare the conversion rate of a treatment arm with control.

    Parameters
    ----------
    x_t, n_t
        Converted units and units in the treatment arm.
    x_c, n_c
        The same for control.
    alpha
        1 − confidence level of all intervals.
    method
        Interval for the absolute difference: ``"newcombe"`` (hybrid Wilson score, Newcombe 1998
        method 10; default: good coverage also near 0 % / 100 % and in small samples) or
        ``"wald"`` (unpooled normal approximation,
        :math:`d \pm z\sqrt{\hat p_t(1-\hat p_t)/n_t + \hat p_c(1-\hat p_c)/n_c}`).

    Returns
    -------
    BinaryComparison
        - ``abs_diff`` = p̂_t − p̂_c with ``abs_ci_low/high`` (``ci_method``).
        - ``z``, ``p_value``: two-sided pooled z-test (= Pearson chi-square without continuity
          correction); z = 0, p = 1 when nobody (or everybody) converted.
        - ``rel_lift`` = p̂_t / p̂_c − 1 (inf when p̂_c = 0 < p̂_t, NaN when both are 0) with the
          delta-method interval on the log ratio (Katz et al. 1978),
          :math:`\exp(\log\hat r \pm z\sqrt{1/x_t - 1/n_t + 1/x_c - 1/n_c}) - 1`,
          and Fieller's interval ``rel_ci_low_fieller/high_fieller``: the set of ratios ρ with
          :math:`(\hat p_t - \rho\hat p_c)^2 \le z^2(v_t + \rho^2 v_c)`,
          :math:`v = \hat p(1-\hat p)/n`; when control is not significantly above 0 that set
          is unbounded and the upper limit is ``inf``; its lower limit is then the larger root
          when treatment is significantly above 0 (e.g. 7/34 vs 1/34: ρ ≥ 1.523, a lift of at
          least +52%), else −1 (the hull of the set, since ratios of rates are ≥ 0).
          Fieller's Wald variances can still disagree with the Newcombe difference interval
          near the boundary; ``rel_ci_low_mover/high_mover`` (MOVER-R from the same Wilson
          limits, :func:`~salesops_lib.stats.proportions.mover_ratio_interval`) never does and
          is the relative interval to report beside Newcombe.
          When a cell of the 2×2 table is 0 (0 % or 100 % conversion in an arm) the delta method
          uses the Haldane–Anscombe correction (½ added to every cell: x + ½ of n + 1) and
          Fieller's variance of such an arm uses p̃ = (x + ½)/(n + 1), so both intervals stay
          informative.
        - ``fisher_p_value``: two-sided Fisher exact test (``scipy.stats.fisher_exact``).
        - ``small_sample``: some expected cell count of the 2×2 table is below 5. Then
          ``exact_p_value`` is Boschloo's exact unconditional test
          (``scipy.stats.boschloo_exact``, uniformly more powerful than Fisher's) and should be
          read instead of ``p_value``; otherwise (or when n_t·n_c > 4·10⁶) it is Fisher's.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890.
    Katz, D., Baptista, J., Azen, S. P. and Pike, M. C. (1978). Obtaining confidence intervals for
    the risk ratio in cohort studies. *Biometrics* 34, 469–474.
    Fieller, E. C. (1954). Some problems in interval estimation. *JRSS B* 16, 175–185.
    Boschloo, R. D. (1970). Raised conditional level of significance for the 2×2-table when
    testing the equality of two probabilities. *Statistica Neerlandica* 24, 1–9.
    """
    alpha = _check_alpha(alpha)
    xt, nt = _check_binary(x_t, n_t, "x_t", "n_t")
    xc, nc = _check_binary(x_c, n_c, "x_c", "n_c")
    if method not in ("newcombe", "wald"):
        raise ParamsError("method", f"got {method!r}", expected='"newcombe" or "wald"')
    z_crit = _z(alpha)
    rt, rc = xt / nt, xc / nc
    diff = rt - rc
    if method == "newcombe":
        _, lo, hi = newcombe_diff_interval(xt, nt, xc, nc, alpha=alpha)
    else:
        se = math.sqrt(rt * (1 - rt) / nt + rc * (1 - rc) / nc)
        lo, hi = max(diff - z_crit * se, -1.0), min(diff + z_crit * se, 1.0)
    z, p = two_proportion_ztest(xt, nt, xc, nc)

    # relative lift
    if rc > 0:
        rel = rt / rc - 1.0
    else:
        rel = math.inf if rt > 0 else math.nan
    zero_cell = min(xt, nt - xt, xc, nc - xc) == 0  # Haldane–Anscombe: ½ to every cell
    at, bt = (xt + 0.5, nt + 1.0) if zero_cell else (xt, nt)
    ac, bc = (xc + 0.5, nc + 1.0) if zero_cell else (xc, nc)
    log_r = math.log((at / bt) / (ac / bc))
    se_log = math.sqrt(max(1 / at - 1 / bt + 1 / ac - 1 / bc, 0.0))
    rel_lo = math.exp(log_r - z_crit * se_log) - 1.0
    rel_hi = math.exp(log_r + z_crit * se_log) - 1.0

    def var(x: int, n: int) -> float:
        p_ = x / n if 0 < x < n else (x + 0.5) / (n + 1)
        return p_ * (1 - p_) / n

    f_lo, f_hi = _fieller_ratio(rt, var(xt, nt), rc, var(xc, nc), z_crit)
    _, m_lo, m_hi = mover_ratio_interval(xt, nt, xc, nc, alpha=alpha)

    # exact tests
    table = np.array([[xt, nt - xt], [xc, nc - xc]])
    row, col, tot = table.sum(axis=1), table.sum(axis=0), table.sum()
    min_exp = float((np.outer(row, col) / tot).min())
    small = min_exp < 5.0
    degenerate = col.min() == 0  # nobody or everybody converted: tables identical
    fisher_p = 1.0 if degenerate else float(stats.fisher_exact(table).pvalue)
    if small and not degenerate and nt * nc <= _BOSCHLOO_MAX_CELLS:
        exact_p = float(stats.boschloo_exact(table, alternative="two-sided").pvalue)
        exact_method = "boschloo"
    else:
        exact_p, exact_method = fisher_p, "fisher"
    return BinaryComparison(
        x_t=xt,
        n_t=nt,
        x_c=xc,
        n_c=nc,
        rate_t=rt,
        rate_c=rc,
        abs_diff=diff,
        abs_ci_low=float(lo),
        abs_ci_high=float(hi),
        ci_method=method,
        z=float(z),
        p_value=float(p),
        rel_lift=float(rel),
        rel_ci_low=float(rel_lo),
        rel_ci_high=float(rel_hi),
        rel_ci_low_fieller=float(f_lo - 1.0),
        rel_ci_high_fieller=float(f_hi - 1.0),
        fisher_p_value=min(fisher_p, 1.0),
        exact_p_value=min(exact_p, 1.0),
        exact_method=exact_method,
        min_expected=min_exp,
        small_sample=bool(small),
        alpha=alpha,
        rel_ci_low_mover=float(m_lo - 1.0),
        rel_ci_high_mover=float(m_hi - 1.0),
    )


# ============================================================================================
# 5. Many arms
# ============================================================================================
_ADJUST = ("holm", "fdr_bh", "bonferroni")


def interval_alpha(
    p_adjusted: Any, alpha: float = 0.05, p_adjust: Literal["holm", "fdr_bh", "bonferroni"] = "holm"
) -> float:
    """Per-comparison alpha of the intervals that match a p-value adjustment.

    Parameters
    ----------
    p_adjusted
        The m adjusted p-values of the family (one per treatment arm).
    alpha
        Family-wise error rate (Holm, Bonferroni) or false discovery rate (``"fdr_bh"``).
    p_adjust
        The adjustment used for the p-values.

    Returns
    -------
    float
        ``alpha / m`` for Holm and Bonferroni (simultaneous Bonferroni intervals: the
        conservative choice for Holm, which has no exactly matching intervals), and
        ``alpha · max(R, 1) / m`` for ``"fdr_bh"`` with R the number of discoveries
        (Benjamini–Yekutieli false-coverage-rate intervals).

    References
    ----------
    Benjamini, Y. and Yekutieli, D. (2005). *JASA* 100, 71–81.
    """
    p_adj = np.atleast_1d(np.asarray(p_adjusted, dtype=float))
    if p_adjust not in _ADJUST:
        raise ParamsError(
            "p_adjust", f"got {p_adjust!r}", expected='"holm", "fdr_bh" or "bonferroni"'
        )
    m = p_adj.size
    if m == 0:
        raise ParamsError("p_adjusted", "is empty", expected="one adjusted p-value per comparison")
    if p_adjust in ("holm", "bonferroni"):
        return alpha / m
    r = int(np.sum(p_adj < alpha))
    return alpha * max(r, 1) / m


def compare_arms(
    successes: Mapping[str, int],
    trials: Mapping[str, int],
    *,
    control: str,
    alpha: float = 0.05,
    p_adjust: Literal["holm", "fdr_bh", "bonferroni"] = "holm",
    ci_method: Literal["newcombe", "wald"] = "newcombe",
) -> pd.DataFrame:
    """Compare every arm's conversion rate with control, adjusting for multiple comparisons.

    Parameters
    ----------
    successes, trials
        Arm -> conversions, arm -> units (dicts or pandas Series with the same arms).
    control
        The reference arm.
    alpha
        Family-wise error rate (Holm, Bonferroni) or false discovery rate (``"fdr_bh"``).
    p_adjust
        ``"holm"`` (default), ``"fdr_bh"`` (Benjamini–Hochberg) or ``"bonferroni"``.
    ci_method
        Interval for the absolute difference (see :func:`compare_proportions`).

    Returns
    -------
    pandas.DataFrame
        One row per non-control arm: arm, n, conversions, rate, control_rate, abs_diff,
        ci_low, ci_high, rel_lift, rel_ci_low, rel_ci_high, z, p_value, p_adjusted, ci_level,
        significant (``p_adjusted < alpha``), small_sample, exact_p_value.

    Notes
    -----
    Intervals are built at level ``ci_level``:

    - Holm / Bonferroni: 1 − alpha/m (Bonferroni), *simultaneous* intervals with family-wise
      coverage ≥ 1 − alpha. Holm's step-down test has no exactly matching intervals; the
      Bonferroni intervals are the conservative simultaneous choice, so an arm can be significant
      by Holm while its interval just touches 0.
    - ``"fdr_bh"``: 1 − R·alpha/m with R the number of BH discoveries (Benjamini & Yekutieli
      2005), which controls the false coverage rate among the selected arms.

    With a single treatment arm (m = 1) everything reduces to :func:`compare_proportions`.

    References
    ----------
    Holm, S. (1979). *Scand. J. Statist.* 6, 65–70.
    Benjamini, Y. and Yekutieli, D. (2005). False discovery rate-adjusted multiple confidence
    intervals for selected parameters. *JASA* 100, 71–81.
    """
    alpha = _check_alpha(alpha)
    xs, ns = _labelled(successes, "successes"), _labelled(trials, "trials")
    if set(xs) != set(ns):
        raise ParamsError(
            "trials",
            f"has arms {sorted(ns)} but successes has {sorted(xs)}",
            expected="the same arms",
        )
    if p_adjust not in _ADJUST:
        raise ParamsError(
            "p_adjust", f"got {p_adjust!r}", expected='"holm", "fdr_bh" or "bonferroni"'
        )
    control = str(control)
    if control not in xs:
        raise ParamsError("control", f"{control!r} is not an arm", expected=f"one of {list(xs)}")
    arms = [a for a in xs if a != control]
    if not arms:
        raise ParamsError(
            "successes", "has only the control arm", expected="at least one treatment arm"
        )
    first = [
        compare_proportions(xs[a], ns[a], xs[control], ns[control], alpha=alpha, method=ci_method)
        for a in arms
    ]
    p = np.array([r.p_value for r in first])
    p_adj = adjust_pvalues(p, method=p_adjust)
    a_ci = interval_alpha(p_adj, alpha, p_adjust)
    rows = []
    for arm, r0, pa in zip(arms, first, p_adj, strict=True):
        r = compare_proportions(r0.x_t, r0.n_t, r0.x_c, r0.n_c, alpha=a_ci, method=ci_method)
        rows.append(
            {
                "arm": arm,
                "n": r.n_t,
                "conversions": r.x_t,
                "rate": r.rate_t,
                "control_rate": r.rate_c,
                "abs_diff": r.abs_diff,
                "ci_low": r.abs_ci_low,
                "ci_high": r.abs_ci_high,
                "rel_lift": r.rel_lift,
                "rel_ci_low": r.rel_ci_low,
                "rel_ci_high": r.rel_ci_high,
                "z": r.z,
                "p_value": r.p_value,
                "p_adjusted": float(pa),
                "p_adjust": p_adjust,
                "ci_level": 1.0 - a_ci,
                "significant": bool(pa < alpha),
                "small_sample": r.small_sample,
                "exact_p_value": r.exact_p_value,
            }
        )
    return pd.DataFrame(rows)


def compare_arms_means(
    values_by_arm: Mapping[str, Any],
    *,
    control: str,
    alpha: float = 0.05,
    p_adjust: Literal["holm", "fdr_bh", "bonferroni"] = "holm",
) -> pd.DataFrame:
    """Welch comparison of every arm's mean with control, with adjusted p-values.

    Parameters
    ----------
    values_by_arm
        Arm -> values per unit (or, for summaries, arm -> ``(mean, sd, n)`` tuples).
    control, alpha, p_adjust
        As in :func:`compare_arms` (same interval rule).

    Returns
    -------
    pandas.DataFrame
        One row per non-control arm: arm, n, mean, control_mean, diff, ci_low, ci_high, rel_lift,
        t, df, p_value, p_adjusted, ci_level, significant.

    References
    ----------
    Welch (1947); Holm (1979); Benjamini & Yekutieli (2005).
    """
    alpha = _check_alpha(alpha)
    data = _labelled(values_by_arm, "values_by_arm")
    if p_adjust not in _ADJUST:
        raise ParamsError(
            "p_adjust", f"got {p_adjust!r}", expected='"holm", "fdr_bh" or "bonferroni"'
        )
    control = str(control)
    if control not in data:
        raise ParamsError("control", f"{control!r} is not an arm", expected=f"one of {list(data)}")

    def summ(name: str, v: Any) -> tuple[float, float, int]:
        if isinstance(v, tuple) and len(v) == 3:
            return float(v[0]), float(v[1]), int(v[2])
        arr = _as_values(v, f"values_by_arm[{name!r}]", min_n=2)
        return float(arr.mean()), float(arr.std(ddof=1)), arr.size

    s = {k: summ(k, v) for k, v in data.items()}
    arms = [a for a in s if a != control]
    if not arms:
        raise ParamsError("values_by_arm", "has only the control arm", expected="a treatment arm")
    p = np.array([welch_test_from_stats(*s[a], *s[control], alpha=alpha).p_value for a in arms])
    p_adj = adjust_pvalues(p, method=p_adjust)
    a_ci = interval_alpha(p_adj, alpha, p_adjust)
    rows = []
    for arm, pa in zip(arms, p_adj, strict=True):
        w = welch_test_from_stats(*s[arm], *s[control], alpha=a_ci)
        rows.append(
            {"arm": arm, "n": w.n_t, "mean": w.mean_t, "control_mean": w.mean_c, "diff": w.diff,
             "ci_low": w.ci_low, "ci_high": w.ci_high, "rel_lift": w.rel_lift, "t": w.t,
             "df": w.df, "p_value": w.p_value, "p_adjusted": float(pa), "p_adjust": p_adjust,
             "ci_level": 1.0 - a_ci, "significant": bool(pa < alpha)}
        )  # fmt: skip
    return pd.DataFrame(rows)


# ============================================================================================
# 4. Time to event
# ============================================================================================
def _km_median_boot(
    times: np.ndarray,
    events: np.ndarray,
    weights: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Kaplan–Meier medians of ``n_boot`` bootstrap resamples (vectorised; NaN if not reached).

    Resampling units with replacement = multinomial counts over the unique (time, event) rows.
    The median is the first event time with S(t) <= 0.5, as in ``KaplanMeier.median``.
    """
    key = np.stack([times, events.astype(float)], axis=1)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    w = np.bincount(inv.ravel(), weights=weights, minlength=len(uniq))
    n = round(float(w.sum()))
    counts = rng.multinomial(n, w / w.sum(), size=n_boot).astype(float)  # (B, rows)
    ut = np.unique(uniq[:, 0])
    pos = np.searchsorted(ut, uniq[:, 0])
    d = np.zeros((n_boot, ut.size))
    leave = np.zeros((n_boot, ut.size))
    np.add.at(leave.T, pos, counts.T)
    ev = uniq[:, 1] > 0
    np.add.at(d.T, pos[ev], counts[:, ev].T)
    at_risk = n - np.cumsum(leave, axis=1) + leave
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, d / at_risk, 0.0)
    surv = np.cumprod(1.0 - hazard, axis=1)
    hit = (surv <= 0.5 + 1e-10) & (d > 0)
    first = np.argmax(hit, axis=1)
    return np.where(hit.any(axis=1), ut[first], np.nan)


def compare_time_to_event(
    durations: Any,
    events: Any,
    arms: Any,
    *,
    control: Any,
    alpha: float = 0.05,
    weights: Any | None = None,
    n_boot: int = 2_000,
    seed: int = 0,
    p_adjust: Literal["holm", "fdr_bh", "bonferroni"] = "holm",
) -> pd.DataFrame:
    """Time to event per arm (e.g. days from lead to first meeting) and each arm vs control.

    Parameters
    ----------
    durations, events
        Time to the event or to censoring, and 1 = event / 0 = censored, per unit (or per
        (duration, event) row with ``weights`` = number of units).
    arms
        Arm label per row.
    control
        The reference arm.
    alpha
        1 − confidence level.
    weights
        Optional integer counts per row.
    n_boot
        Bootstrap resamples for the difference in medians (>= 200).
    seed
        Seed of the bootstrap.
    p_adjust
        Adjustment of the log-rank p-values when there are several treatment arms.

    Returns
    -------
    pandas.DataFrame
        One row per arm (control first): arm, n, events, median, median_ci_low, median_ci_high
        (Kaplan–Meier, Brookmeyer–Crowley interval; NaN when not reached), diff_median
        (arm − control), diff_ci_low, diff_ci_high (percentile bootstrap, resampling units within
        each arm; NaN when more than ``alpha/2`` of the resamples have no median in either arm),
        logrank_statistic, p_value (log-rank vs control), p_adjusted.

    References
    ----------
    Kaplan, E. L. and Meier, P. (1958). *JASA* 53, 457–481.
    Brookmeyer, R. and Crowley, J. (1982). A confidence interval for the median survival time.
    *Biometrics* 38, 29–41.
    Efron, B. (1981). Censored data and the bootstrap. *JASA* 76, 312–319.
    """
    alpha = _check_alpha(alpha)
    t = np.asarray(durations, dtype=float).ravel()
    e = np.asarray(events, dtype=float).ravel()
    g = np.asarray(arms).ravel()
    if g.size != t.size:
        raise ParamsError(
            "arms", f"has {g.size} labels for {t.size} durations", expected="one per row"
        )
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.size != t.size:
        raise ParamsError(
            "weights", f"has {w.size} values for {t.size} rows", expected="one per row"
        )
    if not isinstance(n_boot, int | np.integer) or n_boot < 200:
        raise ParamsError("n_boot", f"got {n_boot!r}", expected="an integer >= 200")
    labels = list(dict.fromkeys(g.tolist()))
    if control not in labels:
        raise ParamsError("control", f"{control!r} is not an arm", expected=f"one of {labels}")
    if p_adjust not in _ADJUST:
        raise ParamsError(
            "p_adjust", f"got {p_adjust!r}", expected='"holm", "fdr_bh" or "bonferroni"'
        )
    order = [control] + [a for a in labels if a != control]
    rng = np.random.default_rng(seed)
    km = {}
    boot = {}
    for a in order:
        m = g == a
        km[a] = kaplan_meier(t[m], e[m], weights=w[m], alpha=alpha)
        if w[m].sum() == 0:
            raise ParamsError("arms", f"arm {a!r} has no units", expected="units in every arm")
        boot[a] = _km_median_boot(t[m], e[m] > 0, w[m], int(n_boot), rng)
    rows = []
    for a in order:
        med, lo, hi = km[a].median()
        row: dict[str, Any] = {
            "arm": a,
            "n": km[a].n,
            "events": km[a].n_events,
            "median": med,
            "median_ci_low": lo,
            "median_ci_high": hi,
        }
        if a == control:
            row.update(
                diff_median=0.0, diff_ci_low=np.nan, diff_ci_high=np.nan,
                logrank_statistic=np.nan, p_value=np.nan,
            )  # fmt: skip
        else:
            m = (g == a) | (g == control)
            stat, p = logrank_test(t[m], e[m], g[m], weights=w[m])
            med_c = km[control].median()[0]
            d = boot[a] - boot[control]
            ok = np.isfinite(d)
            if np.mean(~ok) <= alpha / 2 and ok.any():
                # a resample without a median counts as an extreme difference on its side
                lo_d, hi_d = np.quantile(
                    np.where(ok, d, np.where(np.isnan(boot[a]), np.inf, -np.inf)),
                    [alpha / 2, 1 - alpha / 2],
                    method="inverted_cdf",
                )
            else:
                lo_d = hi_d = np.nan
            row.update(
                diff_median=med - med_c, diff_ci_low=float(lo_d), diff_ci_high=float(hi_d),
                logrank_statistic=float(stat), p_value=float(p),
            )  # fmt: skip
        rows.append(row)
    out = pd.DataFrame(rows)
    p_adj = np.full(len(out), np.nan)
    if len(out) > 1:
        p_adj[1:] = adjust_pvalues(out["p_value"].to_numpy()[1:], method=p_adjust)
    out["p_adjusted"] = p_adj
    return out


# ============================================================================================
# 9. Verdict
# ============================================================================================
@dataclass(frozen=True)
class NonInferiority(_Result):
    """Guardrail non-inferiority check."""

    name: str
    diff_low: float
    margin: float
    passed: bool
    reason: str


def non_inferiority(diff_low: float, margin: float, *, name: str = "guardrail") -> NonInferiority:
    r"""Is a guardrail metric non-inferior: does the interval rule out a harm larger than
    ``margin``?

    Parameters
    ----------
    diff_low
        Lower limit of the interval for treatment − control, oriented so that *higher is better*
        (for a lower-is-better metric such as cost per meeting pass −upper limit). Use the
        (1 − 2α) two-sided interval's lower limit for a one-sided level-α test.
    margin
        Largest acceptable harm, a positive number in the metric's units (e.g. 0.005 = half a
        percentage point of conversion).
    name
        Label used in the reason.

    Returns
    -------
    NonInferiority
        ``passed`` = ``diff_low > −margin``.

    References
    ----------
    Schumi, J. and Wittes, J. T. (2011). Through the looking glass: understanding non-inferiority.
    *Trials* 12, 106.
    """
    if not (isinstance(margin, int | float) and math.isfinite(margin) and margin > 0):
        raise ParamsError(
            "margin", f"got {margin!r}", expected="a positive number (the largest acceptable harm)"
        )
    if not isinstance(diff_low, int | float) or math.isnan(diff_low):
        raise ParamsError(
            "diff_low", f"got {diff_low!r}", expected="a number (lower limit of the interval)"
        )
    passed = bool(diff_low > -margin)
    if passed:
        reason = (
            f"{name}: the interval rules out a harm larger than the margin ({margin:g}); "
            f"lower limit {diff_low:.4g}."
        )
    else:
        reason = (
            f"{name}: a harm larger than the margin ({margin:g}) cannot be ruled out; lower "
            f"limit {diff_low:.4g}."
        )
    return NonInferiority(str(name), float(diff_low), float(margin), passed, reason)
