"""A/B (and A/B/n) campaign evaluation: data quality, binary outcomes, time to event, many arms,
cluster randomisation and the ship / do-not-ship verdict.

Pure functions on counts, arrays and per-arm summaries (numpy / scipy / statsmodels). Differences
are always *treatment minus control*; relative lift is treatment / control − 1. Bad arguments
raise :class:`~salesops_lib.errors.ParamsError` naming the argument; degenerate but valid data
(0 % or 100 % conversion in an arm, no events) gives finite or explicitly unbounded (``inf``)
intervals, never a warning.

Functions
---------
sample_ratio_test
    Sample-ratio mismatch (SRM): chi-square goodness of fit, or an exact binomial / multinomial
    test when expected counts are small.
balance_check
    Pre-period covariate balance: standardised mean differences and Welch tests / Welch ANOVA.
compare_proportions
    Conversion in two arms: Newcombe (or Wald) interval for the difference, pooled z-test, relative
    lift with delta-method and Fieller intervals, Fisher / Boschloo exact p-value.
bayes_beta_binomial, bayes_beta_binomial_exact
    Beta-binomial posterior probability that treatment beats control and expected losses
    (Monte Carlo, and numerical integration as a check).
compare_arms, compare_arms_means
    Each arm against control with adjusted p-values (Holm / BH / Bonferroni) and matching
    simultaneous (Bonferroni) or false-coverage-rate (Benjamini–Yekutieli) intervals.
compare_time_to_event
    Kaplan–Meier medians per arm, log-rank test against control, bootstrap interval for the
    difference in medians.
cluster_compare_proportions
    Cluster-randomised tests (by rep, team, territory): cluster-level t-test, cluster-robust
    regression, ICC, design effect and effective sample size.
non_inferiority
    Guardrail non-inferiority check (the ship / do-not-ship policy lives in
    :mod:`salesops_lib.analyses.experiment._stats`).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import integrate, special, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats.means import (
    _as_values,
    _check_alpha,
    _check_count,
    _Result,
    welch_test,
    welch_test_from_stats,
)
from salesops_lib.stats.proportions import (
    adjust_pvalues,
    newcombe_diff_interval,
    two_proportion_ztest,
)

__all__ = [
    "BalanceResult",
    "BayesBinaryResult",
    "BinaryComparison",
    "ClusterComparison",
    "NonInferiority",
    "SRMResult",
    "balance_check",
    "bayes_beta_binomial",
    "bayes_beta_binomial_exact",
    "cluster_compare_proportions",
    "compare_arms",
    "compare_arms_means",
    "compare_proportions",
    "compare_time_to_event",
    "interval_alpha",
    "non_inferiority",
    "sample_ratio_test",
]

_PLANNED_TOL = 1e-6
_MAX_MULTINOMIAL_OUTCOMES = 2_000_000
_BOSCHLOO_MAX_CELLS = 4_000_000  # n_t * n_c above which Boschloo is too slow: Fisher is used


def _z(alpha: float) -> float:
    return float(stats.norm.isf(alpha / 2.0))


def _labelled(obj: Any, name: str) -> dict[str, Any]:
    """A mapping (dict, pandas Series) as an ordered plain dict."""
    if isinstance(obj, Mapping) or hasattr(obj, "items"):
        return {str(k): v for k, v in obj.items()}
    raise ParamsError(name, f"got {type(obj).__name__}", expected="a mapping arm -> value")


# ============================================================================================
# 1. Data quality
# ============================================================================================
@dataclass(frozen=True)
class SRMResult(_Result):
    """Sample-ratio mismatch test.

    Attributes
    ----------
    arms, observed, expected, planned
        Per arm, in input order (tuples).
    statistic
        Pearson X² (also reported when the exact test decides the p-value).
    dof
        Number of arms − 1.
    p_value
        From ``method``.
    method
        ``"chi-square"``, ``"exact binomial"``, ``"exact multinomial"`` or
        ``"monte carlo multinomial"``.
    min_expected
        Smallest expected count.
    mismatch
        ``p_value < alpha`` (alpha = 0.001 by default: an SRM check runs on every test, so it uses
        a strict threshold; Fabijan et al. 2019).
    """

    arms: tuple[str, ...]
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    planned: tuple[float, ...]
    statistic: float
    dof: int
    p_value: float
    method: str
    min_expected: float
    mismatch: bool
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """One row per arm: observed, expected, planned and observed share, plus the test."""
        n = sum(self.observed)
        return pd.DataFrame(
            {
                "arm": list(self.arms),
                "observed": list(self.observed),
                "expected": list(self.expected),
                "planned_share": list(self.planned),
                "observed_share": [o / n for o in self.observed],
                "statistic": self.statistic,
                "p_value": self.p_value,
                "method": self.method,
                "mismatch": self.mismatch,
            }
        )


def _multinomial_exact_p(counts: np.ndarray, probs: np.ndarray, seed: int) -> tuple[float, str]:
    """P(outcome at most as likely as the observed one) under Multinomial(n, probs)."""
    n, k = int(counts.sum()), counts.size
    logp = np.log(probs)

    def logpmf(x: np.ndarray) -> np.ndarray:
        return special.gammaln(n + 1) - special.gammaln(x + 1).sum(axis=-1) + x @ logp

    obs = float(logpmf(counts.astype(float)))
    n_outcomes = math.comb(n + k - 1, k - 1)
    if n_outcomes <= _MAX_MULTINOMIAL_OUTCOMES:
        # stars and bars: positions of k-1 bars among n+k-1 slots
        bars = np.fromiter(
            itertools.chain.from_iterable(itertools.combinations(range(n + k - 1), k - 1)),
            dtype=np.int64,
            count=n_outcomes * (k - 1),
        ).reshape(n_outcomes, k - 1)
        edges = np.column_stack([np.full(n_outcomes, -1), bars, np.full(n_outcomes, n + k - 1)])
        table = (np.diff(edges, axis=1) - 1).astype(float)
        lp = logpmf(table)
        keep = lp <= obs + 1e-7 * abs(obs) + 1e-12
        p = float(np.exp(special.logsumexp(lp[keep])))
        return min(p, 1.0), "exact multinomial"
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, probs, size=200_000).astype(float)
    p = float(np.mean(logpmf(sims) <= obs + 1e-7 * abs(obs) + 1e-12))
    return p, "monte carlo multinomial"


def sample_ratio_test(
    counts: Mapping[str, int] | Sequence[int] | np.ndarray,
    planned: Mapping[str, float] | Sequence[float] | np.ndarray,
    *,
    exact_threshold: float = 5.0,
    alpha: float = 0.001,
    seed: int = 0,
) -> SRMResult:
    r"""Sample-ratio mismatch (SRM) test: do the arm sizes match the planned split?

    Parameters
    ----------
    counts
        Units assigned per arm: a mapping arm -> count, or a sequence in the order of ``planned``.
    planned
        Planned share per arm (same arms / order), summing to 1 within 1e-6, each > 0.
    exact_threshold
        When the smallest expected count is below this, an exact test replaces the chi-square
        approximation: the exact binomial test for two arms (``scipy.stats.binomtest``), the
        exact multinomial test otherwise (all outcomes enumerated; above 2 million outcomes a
        seeded Monte Carlo estimate with 200,000 draws). ``0`` forces chi-square, ``inf`` forces
        the exact test.
    alpha
        Threshold for ``mismatch`` (default 0.001).
    seed
        Seed for the Monte Carlo fallback.

    Returns
    -------
    SRMResult
        ``method`` says which test gave ``p_value``.

    Notes
    -----
    Chi-square goodness of fit: :math:`X^2 = \sum_k (O_k - E_k)^2/E_k`, :math:`E_k = n\pi_k`,
    on k − 1 degrees of freedom (``scipy.stats.chisquare``). The exact tests sum the probabilities
    of all outcomes no more likely than the observed one.

    References
    ----------
    Fabijan, A., Gupchup, J., Gupta, S., Omhover, J., Qin, W., Vermeer, L. and Dmitriev, P.
    (2019). Diagnosing sample ratio mismatch in online controlled experiments. *KDD '19*.
    """
    if isinstance(planned, Mapping) or hasattr(planned, "items"):
        plan = _labelled(planned, "planned_split")
        if isinstance(counts, Mapping) or hasattr(counts, "items"):
            cnt = _labelled(counts, "counts")
            if set(cnt) != set(plan):
                raise ParamsError(
                    "counts",
                    f"has arms {sorted(cnt)} but the planned split has {sorted(plan)}",
                    expected="the same arms in both",
                )
            cnt = {k: cnt[k] for k in plan}
        else:
            vals = list(np.asarray(counts).ravel())
            if len(vals) != len(plan):
                raise ParamsError(
                    "counts",
                    f"has {len(vals)} arms for {len(plan)} planned",
                    expected="one per arm",
                )
            cnt = dict(zip(plan, vals, strict=True))
    else:
        pv = list(np.asarray(planned, dtype=float).ravel())
        if isinstance(counts, Mapping) or hasattr(counts, "items"):
            cnt = _labelled(counts, "counts")
        else:
            cv = list(np.asarray(counts).ravel())
            cnt = {f"arm{i}": v for i, v in enumerate(cv)}
        if len(pv) != len(cnt):
            raise ParamsError(
                "planned_split",
                f"has {len(pv)} shares for {len(cnt)} arms",
                expected="one share per arm",
            )
        plan = dict(zip(cnt, pv, strict=True))
    arms = tuple(plan)
    if len(arms) < 2:
        raise ParamsError("counts", f"has {len(arms)} arm", expected="at least two arms")
    obs = np.array([_check_count(cnt[a], f"counts[{a!r}]") for a in arms], dtype=np.int64)
    pi = np.array([float(plan[a]) for a in arms])
    if not np.all(np.isfinite(pi)) or np.any(pi <= 0):
        raise ParamsError(
            "planned_split", f"has shares {pi.tolist()}", expected="a positive share for every arm"
        )
    if abs(pi.sum() - 1.0) > _PLANNED_TOL:
        raise ParamsError(
            "planned_split",
            f"sums to {pi.sum():.6g}",
            expected="shares summing to 1 (e.g. {'control': 0.5, 'treatment': 0.5})",
        )
    if not (isinstance(alpha, int | float) and 0 < alpha < 1):
        raise ParamsError("alpha", f"got {alpha!r}", expected="a number between 0 and 1")
    if not (isinstance(exact_threshold, int | float) and exact_threshold >= 0):
        raise ParamsError("exact_threshold", f"got {exact_threshold!r}", expected="a number >= 0")
    n = int(obs.sum())
    if n == 0:
        raise ParamsError("counts", "are all 0", expected="at least one assigned unit")
    expected = n * pi
    stat = float(((obs - expected) ** 2 / expected).sum())
    dof = len(arms) - 1
    min_exp = float(expected.min())
    if min_exp < exact_threshold:
        if len(arms) == 2:
            p = float(stats.binomtest(int(obs[0]), n, float(pi[0])).pvalue)
            method = "exact binomial"
        else:
            p, method = _multinomial_exact_p(obs, pi, seed)
    else:
        p = float(stats.chi2.sf(stat, dof))
        method = "chi-square"
    p = min(p, 1.0)
    return SRMResult(
        arms=arms,
        observed=tuple(int(v) for v in obs),
        expected=tuple(float(v) for v in expected),
        planned=tuple(float(v) for v in pi),
        statistic=stat,
        dof=dof,
        p_value=p,
        method=method,
        min_expected=min_exp,
        mismatch=bool(p < alpha),
        alpha=float(alpha),
    )


@dataclass(frozen=True)
class BalanceResult(_Result):
    """Pre-period covariate balance across arms.

    Attributes
    ----------
    table
        One row per arm: n, mean, sd, smd (vs control), welch_p (vs control; NaN for control).
    statistic, p_value
        Welch's ANOVA across all arms (equals Welch's t² and p for two arms).
    max_abs_smd
        Largest |SMD| over arms.
    balanced
        ``max_abs_smd < smd_threshold`` (0.1 by default; Austin 2009).
    """

    table: pd.DataFrame
    statistic: float
    p_value: float
    max_abs_smd: float
    balanced: bool
    control: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def balance_check(
    values_by_arm: Mapping[str, Any],
    *,
    control: str | None = None,
    smd_threshold: float = 0.1,
) -> BalanceResult:
    r"""Check a pre-period covariate for balance between arms.

    Parameters
    ----------
    values_by_arm
        Arm -> covariate values per unit measured *before* assignment (e.g. pipeline value in the
        previous quarter). At least 2 units per arm.
    control
        Reference arm (default: the first).
    smd_threshold
        |SMD| below which an arm counts as balanced (0.1, Austin 2009).

    Returns
    -------
    BalanceResult

    Notes
    -----
    Standardised mean difference :math:`SMD = (\bar x_a - \bar x_c)/\sqrt{(s_a^2 + s_c^2)/2}`
    (0 when both variances and the means are equal; ±inf for different constants). Unlike a
    p-value it does not grow with n, so it is the primary balance measure; the Welch tests
    (pairwise vs control, and Welch's ANOVA across arms, ``scipy.stats.f_oneway(...,
    equal_var=False)``) are reported for completeness.

    References
    ----------
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
    covariates between treatment groups in propensity-score matched samples. *Statistics in
    Medicine* 28, 3083–3107.
    Welch, B. L. (1951). On the comparison of several mean values. *Biometrika* 38, 330–336.
    """
    data = _labelled(values_by_arm, "values_by_arm")
    if len(data) < 2:
        raise ParamsError("values_by_arm", f"has {len(data)} arm", expected="at least two arms")
    arrays = {k: _as_values(v, f"values_by_arm[{k!r}]", min_n=2) for k, v in data.items()}
    control = next(iter(arrays)) if control is None else str(control)
    if control not in arrays:
        raise ParamsError(
            "control", f"{control!r} is not an arm", expected=f"one of {list(arrays)}"
        )
    xc = arrays[control]
    rows = []
    for arm, x in arrays.items():
        sd_pool = math.sqrt((x.var(ddof=1) + xc.var(ddof=1)) / 2.0)
        dm = float(x.mean() - xc.mean())
        if sd_pool > 0:
            smd = dm / sd_pool
        else:
            smd = 0.0 if dm == 0 else math.copysign(math.inf, dm)
        p = float("nan") if arm == control else welch_test(x, xc).p_value
        rows.append(
            {"arm": arm, "n": x.size, "mean": float(x.mean()), "sd": float(x.std(ddof=1)),
             "smd": float(smd), "welch_p": p}
        )  # fmt: skip
    table = pd.DataFrame(rows)
    groups = list(arrays.values())
    if all(np.ptp(g) == 0 for g in groups):
        same = np.ptp([g[0] for g in groups]) == 0
        f_stat, f_p = (0.0, 1.0) if same else (math.inf, 0.0)
    elif len(groups) == 2:
        w = welch_test(groups[0], groups[1])
        f_stat, f_p = w.t**2, w.p_value
    else:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = stats.f_oneway(*groups, equal_var=False)
        f_stat, f_p = float(res.statistic), float(res.pvalue)
        if not np.isfinite(f_p):
            f_p = 0.0 if f_stat == math.inf else 1.0
    max_smd = float(np.max(np.abs(table["smd"].to_numpy())))
    return BalanceResult(
        table=table,
        statistic=float(f_stat),
        p_value=float(f_p),
        max_abs_smd=max_smd,
        balanced=bool(max_smd < smd_threshold),
        control=control,
    )


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


def _check_binary(x: Any, n: Any, xname: str, nname: str) -> tuple[int, int]:
    nn = _check_count(n, nname, positive=True)
    xx = _check_count(x, xname)
    if xx > nn:
        raise ParamsError(xname, f"is {xx} but {nname} is {nn}", expected=f"successes <= {nname}")
    return xx, nn


def _fieller_ratio(rt: float, vt: float, rc: float, vc: float, z: float) -> tuple[float, float]:
    """Fieller interval for rt / rc with independent estimates (variances vt, vc)."""
    a = rc * rc - z * z * vc
    b = -2.0 * rt * rc
    c = rt * rt - z * z * vt
    if a <= 0:
        return 0.0, math.inf  # hull of an unbounded set, clipped to ratio >= 0
    disc = max(b * b - 4 * a * c, 0.0)
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
          is unbounded and the upper limit is ``inf`` (the lower limit is never below −1).
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
    )


class BayesBinaryResult(NamedTuple):
    """Posterior summaries of a two-arm conversion test (unpacks as a 3-tuple)."""

    prob_beat_control: float
    expected_loss_t: float
    expected_loss_c: float


def _posteriors(
    x_t: int, n_t: int, x_c: int, n_c: int, prior: tuple[float, float]
) -> tuple[float, float, float, float]:
    xt, nt = _check_binary(x_t, n_t, "x_t", "n_t")
    xc, nc = _check_binary(x_c, n_c, "x_c", "n_c")
    try:
        a0, b0 = (float(v) for v in prior)
    except (TypeError, ValueError):
        raise ParamsError("prior", f"got {prior!r}", expected="a pair (a, b) > 0") from None
    if not (a0 > 0 and b0 > 0 and math.isfinite(a0) and math.isfinite(b0)):
        raise ParamsError("prior", f"got {prior!r}", expected="a pair (a, b) of positive numbers")
    return a0 + xt, b0 + nt - xt, a0 + xc, b0 + nc - xc


def bayes_beta_binomial(
    x_t: int,
    n_t: int,
    x_c: int,
    n_c: int,
    *,
    prior: tuple[float, float] = (1.0, 1.0),
    draws: int = 200_000,
    seed: int = 0,
) -> BayesBinaryResult:
    r"""Bayesian read-out of a conversion test with independent Beta priors (Monte Carlo).

    Parameters
    ----------
    x_t, n_t, x_c, n_c
        Conversions and units per arm.
    prior
        Beta(a, b) prior for each arm's rate (default uniform, Beta(1, 1)).
    draws
        Posterior draws per arm (>= 1,000).
    seed
        Seed of the random generator.

    Returns
    -------
    BayesBinaryResult
        ``(prob_beat_control, expected_loss_t, expected_loss_c)``:
        :math:`P(p_t > p_c \mid data)`, :math:`E[\max(p_c - p_t, 0)]` (conversion given up per
        unit if we ship treatment) and :math:`E[\max(p_t - p_c, 0)]` (if we keep control).

    Notes
    -----
    Posteriors: :math:`p_t \sim Beta(a + x_t, b + n_t - x_t)`, :math:`p_c \sim Beta(a + x_c,
    b + n_c - x_c)`. Monte Carlo error of ``prob_beat_control`` is at most
    :math:`0.5/\sqrt{draws}` (0.0011 for 200,000 draws); :func:`bayes_beta_binomial_exact` gives
    the same quantities by numerical integration.

    References
    ----------
    Stucchio, C. (2015). Bayesian A/B testing at VWO (expected loss as decision criterion).
    Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., §2.4.
    """
    at, bt, ac, bc = _posteriors(x_t, n_t, x_c, n_c, prior)
    if not isinstance(draws, int | np.integer) or draws < 1000:
        raise ParamsError("draws", f"got {draws!r}", expected="an integer >= 1000")
    rng = np.random.default_rng(seed)
    pt = rng.beta(at, bt, size=int(draws))
    pc = rng.beta(ac, bc, size=int(draws))
    d = pt - pc
    return BayesBinaryResult(
        prob_beat_control=float(np.mean(d > 0)),
        expected_loss_t=float(np.mean(np.maximum(-d, 0.0))),
        expected_loss_c=float(np.mean(np.maximum(d, 0.0))),
    )


def bayes_beta_binomial_exact(
    x_t: int,
    n_t: int,
    x_c: int,
    n_c: int,
    *,
    prior: tuple[float, float] = (1.0, 1.0),
) -> BayesBinaryResult:
    r"""The quantities of :func:`bayes_beta_binomial` by numerical integration (no sampling).

    .. math::

        P(p_t > p_c) = \int_0^1 f_t(p)\,F_c(p)\,dp,\qquad
        E[(p_c - p_t)^+] = \int_0^1 f_t(p)\,\big[m_c\,(1 - I_p(a_c + 1, b_c)) - p\,(1 - I_p(a_c, b_c))\big]\,dp,

    with :math:`f, F` the Beta posterior density and cdf, :math:`m_c = a_c/(a_c + b_c)` and
    :math:`I` the regularised incomplete beta function;
    :math:`E[(p_t - p_c)^+] = E[(p_c - p_t)^+] + m_t - m_c`. Integration (``scipy.integrate.quad``)
    runs over the central :math:`1 - 10^{-14}` of the treatment posterior, so it is accurate also
    for large, concentrated posteriors.

    References
    ----------
    Miller, E. (2015). Formulas for Bayesian A/B testing (closed form for integer parameters,
    used as the test reference).
    """
    at, bt, ac, bc = _posteriors(x_t, n_t, x_c, n_c, prior)
    ft = stats.beta(at, bt)
    lo, hi = float(ft.ppf(1e-14)), float(ft.isf(1e-14))
    mc = ac / (ac + bc)
    pts = [float(v) for v in (ft.mean(), stats.beta(ac, bc).mean()) if lo < v < hi]

    def win(p: float) -> float:
        return float(ft.pdf(p) * special.betainc(ac, bc, p))

    def loss(p: float) -> float:
        tail = mc * special.betaincc(ac + 1, bc, p) - p * special.betaincc(ac, bc, p)
        return float(ft.pdf(p) * tail)

    opts = {"limit": 500, "epsabs": 1e-13, "epsrel": 1e-11, "points": pts or None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob = integrate.quad(win, lo, hi, **opts)[0]  # type: ignore[arg-type]
        loss_t = integrate.quad(loss, lo, hi, **opts)[0]  # type: ignore[arg-type]
        # mass of f_t outside [lo, hi]: lower tail has F_c ~ small, upper tail F_c ~ 1
        prob += 1e-14 * float(special.betainc(ac, bc, hi))
    loss_c = loss_t + at / (at + bt) - mc
    return BayesBinaryResult(
        prob_beat_control=float(min(max(prob, 0.0), 1.0)),
        expected_loss_t=float(max(loss_t, 0.0)),
        expected_loss_c=float(max(loss_c, 0.0)),
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


_interval_alpha = interval_alpha  # kept for callers of the earlier private name


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
    first = [compare_proportions(xs[a], ns[a], xs[control], ns[control], alpha=alpha, method=ci_method) for a in arms]  # fmt: skip
    p = np.array([r.p_value for r in first])
    p_adj = adjust_pvalues(p, method=p_adjust)
    a_ci = _interval_alpha(p_adj, alpha, p_adjust)
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
    a_ci = _interval_alpha(p_adj, alpha, p_adjust)
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
    from salesops_lib.stats.survival import kaplan_meier, logrank_test

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
# 8. Cluster randomisation
# ============================================================================================
@dataclass(frozen=True)
class ClusterComparison(_Result):
    """Cluster-randomised comparison of two conversion rates (treatment − control)."""

    n_clusters_t: int
    n_clusters_c: int
    n_t: int
    n_c: int
    rate_t: float
    rate_c: float
    diff: float
    se_robust: float
    ci_low: float
    ci_high: float
    p_value: float
    df: int
    cluster_diff: float
    cluster_ci_low: float
    cluster_ci_high: float
    cluster_p_value: float
    cluster_df: float
    icc: float
    mean_cluster_size: float
    cv_cluster_size: float
    design_effect: float
    design_effect_equal: float
    effective_n_t: float
    effective_n_c: float
    se_naive: float
    alpha: float


def cluster_compare_proportions(
    x_by_cluster: Any,
    n_by_cluster: Any,
    arm_by_cluster: Any,
    *,
    control: Any,
    alpha: float = 0.05,
) -> ClusterComparison:
    r"""Compare conversion between arms when whole clusters (reps, teams, regions) were randomised.

    Parameters
    ----------
    x_by_cluster, n_by_cluster
        Conversions and units per cluster.
    arm_by_cluster
        Arm of each cluster (exactly two arms).
    control
        The control arm's label.
    alpha
        1 − confidence level.

    Returns
    -------
    ClusterComparison
        - ``diff``, ``se_robust``, ``ci_low/high``, ``p_value``: unit-level linear probability
          model ``y ~ arm`` with cluster-robust (CR1) standard errors — identical to statsmodels
          ``OLS(...).fit(cov_type="cluster", use_t=True)`` — on a t distribution with
          ``df`` = G − 1 clusters (Cameron & Miller 2015). ``diff`` is the difference of pooled
          rates.
        - ``cluster_*``: the cluster-level analysis, Welch's t-test on the cluster conversion
          rates (each cluster weighs the same; Donner & Klar 2000, §6).
        - ``icc``: ANOVA estimator of the intra-cluster correlation with arms as strata
          (clusters nested in arm), truncated at 0:
          :math:`\hat\rho = (MSB - MSW) / (MSB + (m_0 - 1) MSW)`,
          :math:`MSB = \sum_g m_g(\hat p_g - \hat p_{a(g)})^2/(G - 2)`,
          :math:`MSW = \sum_g m_g\hat p_g(1-\hat p_g)/(N - G)`,
          :math:`m_0 = (N - \sum_a \sum_{g\in a} m_g^2 / N_a)/(G - 2)`.
        - ``design_effect`` = :math:`1 + ((cv^2 + 1)\bar m - 1)\hat\rho` for unequal cluster sizes
          (Eldridge et al. 2006), ``design_effect_equal`` = :math:`1 + (\bar m - 1)\hat\rho`;
          ``effective_n_*`` = units / design_effect. ``se_naive`` is the unit-level (wrong)
          unpooled SE that ignores clustering, for comparison.

    References
    ----------
    Donner, A. and Klar, N. (2000). *Design and Analysis of Cluster Randomization Trials in Health
    Research*. Arnold.
    Eldridge, S. M., Ashby, D. and Kerry, S. (2006). Sample size for cluster randomized trials:
    effect of coefficient of variation of cluster size and analysis method. *Int. J. Epidemiol.*
    35, 1292–1300.
    Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *J. Human Resources* 50, 317–372.
    """
    alpha = _check_alpha(alpha)
    try:
        x = np.asarray(x_by_cluster, dtype=float).ravel()
        m = np.asarray(n_by_cluster, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ParamsError("x_by_cluster", "is not numeric", expected="counts per cluster") from None
    arm = np.asarray(arm_by_cluster).ravel()
    if not (x.size == m.size == arm.size):
        raise ParamsError(
            "n_by_cluster",
            f"lengths differ (x {x.size}, n {m.size}, arm {arm.size})",
            expected="one value per cluster in each",
        )
    if np.any(~np.isfinite(x)) or np.any(x < 0) or np.any(x != np.floor(x)):
        raise ParamsError(
            "x_by_cluster", "holds negative or non-integer values", expected="counts >= 0"
        )
    if np.any(~np.isfinite(m)) or np.any(m != np.floor(m)) or np.any(m <= 0):
        raise ParamsError(
            "n_by_cluster",
            "holds a cluster with no units (or a non-integer)",
            expected="counts >= 1",
        )
    if np.any(x > m):
        raise ParamsError("x_by_cluster", "exceeds n_by_cluster in some cluster", expected="x <= n")
    levels = list(dict.fromkeys(arm.tolist()))
    if control not in levels or len(levels) != 2:
        raise ParamsError(
            "arm_by_cluster", f"holds arms {levels[:5]} (control {control!r})",
            expected="exactly two arms, one of them the control",
        )  # fmt: skip
    d = (arm != control).astype(float)
    tr, co = d == 1, d == 0
    g_t, g_c = int(tr.sum()), int(co.sum())
    if g_t < 2 or g_c < 2:
        raise ParamsError(
            "arm_by_cluster",
            f"has {min(g_t, g_c)} cluster(s) in an arm",
            expected="at least 2 clusters per arm",
        )
    G = g_t + g_c
    N_t, N_c = m[tr].sum(), m[co].sum()
    N = N_t + N_c
    rt, rc = x[tr].sum() / N_t, x[co].sum() / N_c
    diff = rt - rc

    # cluster-robust (CR1) SE of the arm coefficient in y ~ 1 + arm, from cluster totals
    e = x - m * np.where(tr, rt, rc)  # cluster sums of residuals
    xtx_inv = np.linalg.inv(np.array([[N, N_t], [N_t, N_t]]))
    scores = np.column_stack([e, e * d])
    meat = scores.T @ scores
    corr = G / (G - 1) * (N - 1) / (N - 2)
    cov = xtx_inv @ meat @ xtx_inv * corr
    se = float(math.sqrt(max(cov[1, 1], 0.0)))
    df = G - 1
    tq = float(stats.t.ppf(1 - alpha / 2, df))
    if se > 0:
        p = float(2 * stats.t.sf(abs(diff / se), df))
    else:
        p = 1.0 if diff == 0 else 0.0

    # cluster-level analysis
    rates = x / m
    if np.ptp(rates[tr]) == 0 and np.ptp(rates[co]) == 0:
        cd = float(rates[tr].mean() - rates[co].mean())
        c_lo = c_hi = cd
        c_p, c_df = (1.0 if cd == 0 else 0.0), float(G - 2)
    else:
        w = welch_test(rates[tr], rates[co], alpha=alpha)
        cd, c_lo, c_hi, c_p, c_df = w.diff, w.ci_low, w.ci_high, w.p_value, w.df

    # ICC (ANOVA estimator, clusters nested in arms)
    arm_rate = np.where(tr, rt, rc)
    msb = float((m * (rates - arm_rate) ** 2).sum() / (G - 2))
    msw = float((m * rates * (1 - rates)).sum() / (N - G)) if N > G else 0.0
    m0 = float((N - (m[tr] ** 2).sum() / N_t - (m[co] ** 2).sum() / N_c) / (G - 2))
    denom = msb + (m0 - 1) * msw
    icc = max((msb - msw) / denom, 0.0) if denom > 0 else 0.0
    mbar = float(m.mean())
    cv = float(m.std(ddof=1) / mbar) if G > 1 else 0.0
    de = 1 + ((cv**2 + 1) * mbar - 1) * icc
    de_eq = 1 + (mbar - 1) * icc
    se_naive = math.sqrt(rt * (1 - rt) / N_t + rc * (1 - rc) / N_c)
    return ClusterComparison(
        n_clusters_t=g_t,
        n_clusters_c=g_c,
        n_t=int(N_t),
        n_c=int(N_c),
        rate_t=float(rt),
        rate_c=float(rc),
        diff=float(diff),
        se_robust=se,
        ci_low=float(diff - tq * se),
        ci_high=float(diff + tq * se),
        p_value=p,
        df=df,
        cluster_diff=float(cd),
        cluster_ci_low=float(c_lo),
        cluster_ci_high=float(c_hi),
        cluster_p_value=float(c_p),
        cluster_df=float(c_df),
        icc=float(icc),
        mean_cluster_size=mbar,
        cv_cluster_size=cv,
        design_effect=float(de),
        design_effect_equal=float(de_eq),
        effective_n_t=float(N_t / de),
        effective_n_c=float(N_c / de),
        se_naive=float(se_naive),
        alpha=alpha,
    )


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
    r"""Is a guardrail metric non-inferior: does the interval rule out a harm larger than ``margin``?

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
        reason = f"{name}: the interval rules out a harm larger than the margin ({margin:g}); lower limit {diff_low:.4g}."
    else:
        reason = f"{name}: a harm larger than the margin ({margin:g}) cannot be ruled out; lower limit {diff_low:.4g}."
    return NonInferiority(str(name), float(diff_low), float(margin), passed, reason)
