"""Two-arm comparisons from engine-side summaries, so that no method needs the units in memory.

An engine (DuckDB, Spark, PostgreSQL through Ibis) reduces millions of units to a handful of
numbers per arm: counts, means, sample variances and covariances, the rank sum of a pooled
ranking, or per-bucket sums. The functions here turn those summaries into the same results the
unit-level functions of :mod:`salesops_lib.stats.means` and :mod:`salesops_lib.stats.experiments`
give on the units (exactly, or within Monte Carlo error for the bootstrap).

Functions
---------
mann_whitney_from_ranks
    Mann–Whitney U test from the treatment arm's rank sum in the pooled (mid-)ranking and the
    tie term :math:`\\sum_j (t_j^3 - t_j)`; equals :func:`~salesops_lib.stats.means.mann_whitney`.
bucket_bootstrap_diff_ci
    Poisson bootstrap interval of a difference in means from per-bucket unit counts and sums
    (units hashed into buckets within each arm); the unit-level Poisson bootstrap when every
    bucket holds one unit.
balance_check_from_stats
    Pre-period covariate balance from per-arm ``(mean, sd, n)``; equals
    :func:`~salesops_lib.stats.experiments.balance_check`.
welch_anova_from_stats
    Welch's heteroscedastic one-way ANOVA from per-arm ``(mean, sd, n)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha
from salesops_lib.stats.balance import BalanceResult
from salesops_lib.stats.means import BootstrapResult, MannWhitneyResult, welch_test_from_stats

__all__ = [
    "balance_check_from_stats",
    "bucket_bootstrap_diff_ci",
    "mann_whitney_from_ranks",
    "welch_anova_from_stats",
]

#: Replicates drawn at once by :func:`bucket_bootstrap_diff_ci` (bounds its memory).
_CHUNK = 256


def _exact_mwu_p(u: float, n_t: int, n_c: int, alternative: str) -> float:
    """Exact Mann–Whitney p-value of an integer ``u`` without ties (scipy's exact null).

    A pair of samples with exactly this ``u`` is built (treatment value ``i`` above ``k_i``
    control values, ``sum k_i = u``) and handed to ``scipy.stats.mannwhitneyu(method="exact")``:
    the exact null distribution depends on ``(u, n_t, n_c)`` only.
    """
    xc = np.arange(n_c, dtype=float)
    k = np.zeros(n_t, dtype=int)
    left = round(u)
    for i in range(n_t):
        k[i] = min(left, n_c)
        left -= k[i]
    xt = k - 0.5 + np.arange(n_t) * 1e-6
    return float(stats.mannwhitneyu(xt, xc, alternative=alternative, method="exact").pvalue)


def mann_whitney_from_ranks(
    rank_sum_t: float,
    n_t: int,
    n_c: int,
    tie_term: float,
    *,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> MannWhitneyResult:
    r"""Mann–Whitney U test from the treatment arm's rank sum in the pooled ranking.

    Parameters
    ----------
    rank_sum_t
        :math:`R_t`, the sum over treatment units of their mid-ranks among the pooled
        ``n_t + n_c`` values (tied values share the mean of their ranks). In SQL: count the units
        per distinct value and arm, take the running total ``cum`` of the counts in value order;
        the mid-rank of a value with ``t`` units is ``cum - (t - 1)/2``.
    n_t, n_c
        Units per arm (at least 1 each).
    tie_term
        :math:`\sum_j (t_j^3 - t_j)` over the distinct pooled values, ``t_j`` units each
        (0 without ties).
    alternative
        As in ``scipy.stats.mannwhitneyu`` (treatment relative to control).

    Returns
    -------
    MannWhitneyResult
        The fields of :func:`salesops_lib.stats.means.mann_whitney` on the underlying units.

    Notes
    -----
    .. math::

        U_t = R_t - \frac{n_t(n_t+1)}{2},\qquad \mu = \frac{n_t n_c}{2},\qquad
        \sigma^2 = \frac{n_t n_c}{12}\Big((n+1) - \frac{\sum_j (t_j^3 - t_j)}{n(n-1)}\Big),

    two-sided :math:`z = (\max(U_t, n_t n_c - U_t) - \mu - \tfrac12)/\sigma`, p = 2·(1 − Φ(z))
    (scipy's normal approximation with tie and continuity correction). As in scipy
    (``method="auto"``), samples with at most 8 units in an arm and no ties use the exact null
    distribution instead. ``cles`` = :math:`U_t/(n_t n_c)`.

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). *Ann. Math. Statist.* 18, 50–60.
    Lehmann, E. L. (1975). *Nonparametrics: Statistical Methods Based on Ranks*, ch. 1
    (tie correction).
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided", "greater" or "less"'
        )
    for name, v in (("n_t", n_t), ("n_c", n_c)):
        if int(v) != v or v < 1:
            raise ParamsError(name, f"got {v!r}", expected="a positive whole number of units")
    n_t, n_c = int(n_t), int(n_c)
    n = n_t + n_c
    if not (np.isfinite(rank_sum_t) and np.isfinite(tie_term)) or tie_term < 0:
        raise ParamsError(
            "rank_sum_t", f"got {rank_sum_t!r} (tie term {tie_term!r})", expected="finite sums"
        )
    if tie_term >= n**3 - n - 1e-6 * n**3:  # one tie group holding every unit
        u = n_t * n_c / 2.0
        return MannWhitneyResult(n_t, n_c, u, 1.0, 0.5, 0.0, "all tied")
    u1 = float(rank_sum_t) - n_t * (n_t + 1) / 2.0
    if not (n_t > 8 and n_c > 8) and tie_term == 0:
        p = _exact_mwu_p(u1, n_t, n_c, alternative)
        method = "exact"
    else:
        u = {"greater": u1, "less": n_t * n_c - u1}.get(alternative, max(u1, n_t * n_c - u1))
        s = math.sqrt(n_t * n_c / 12.0 * ((n + 1) - tie_term / (n * (n - 1))))
        z = (u - n_t * n_c / 2.0 - 0.5) / s
        p = float(stats.norm.sf(z)) * (2.0 if alternative == "two-sided" else 1.0)
        p = min(max(p, 0.0), 1.0)
        method = "asymptotic"
    cles = u1 / (n_t * n_c)
    return MannWhitneyResult(
        n_t=n_t,
        n_c=n_c,
        u=u1,
        p_value=p,
        cles=float(cles),
        rank_biserial=float(2 * cles - 1),
        method=method,
    )


#: Poisson(1) CDF at 0, 1, ..., 19 (the tail beyond 19 has probability < 1e-17).
_POISSON1_CDF = stats.poisson.cdf(np.arange(20), 1.0)


#: The last weights drawn by :func:`_bucket_weights`, keyed by (seed, replicates, buckets of each
#: arm): an experiment compares every arm with control with the same seed and the same number
#: of buckets, so the same draws come back; kept as uint8 (values 0..19, 8 MB at 2,000 x 2,000).
_WEIGHTS_CACHE: dict[tuple[int, int, int, int], list[tuple[np.ndarray, np.ndarray]]] = {}


def _bucket_weights(
    seed: int, n_boot: int, g_t: int, g_c: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The Poisson(1) weights of :func:`bucket_bootstrap_diff_ci`, chunk by chunk (``_CHUNK``
    replicates; treatment then control from one ``default_rng(seed)``), uint8."""
    key = (int(seed), int(n_boot), int(g_t), int(g_c))
    hit = _WEIGHTS_CACHE.get(key)
    if hit is not None:
        return hit
    rng = np.random.default_rng(seed)
    chunks = []
    for start in range(0, int(n_boot), _CHUNK):
        b = min(_CHUNK, int(n_boot) - start)
        wt = np.searchsorted(_POISSON1_CDF, rng.random((b, g_t)), side="right").astype(np.uint8)
        wc = np.searchsorted(_POISSON1_CDF, rng.random((b, g_c)), side="right").astype(np.uint8)
        chunks.append((wt, wc))
    _WEIGHTS_CACHE.clear()
    _WEIGHTS_CACHE[key] = chunks
    return chunks


def _bucket_arrays(n: Any, s: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    nn = np.asarray(n, dtype=float).ravel()
    ss = np.asarray(s, dtype=float).ravel()
    if nn.size != ss.size or nn.size == 0:
        raise ParamsError(
            name, f"has {nn.size} bucket counts and {ss.size} sums", expected="one sum per bucket"
        )
    if np.any(nn < 0) or not np.all(np.isfinite(ss)):
        raise ParamsError(name, "holds negative counts or non-finite sums", expected="counts >= 0")
    if nn.sum() < 2:
        raise ParamsError(name, f"holds {nn.sum():g} units", expected="at least 2 units")
    return nn, ss


def bucket_bootstrap_diff_ci(
    n_t: Any,
    sum_t: Any,
    n_c: Any,
    sum_c: Any,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> BootstrapResult:
    r"""Poisson bootstrap percentile interval of a difference in means from bucket sums.

    Each arm's units are spread over buckets (in the engine: ``row_number() over (partition by
    arm order by unit) mod G``); only the number of units :math:`n_g` and the sum of their values
    :math:`s_g` per bucket leave the engine. A replicate draws a Poisson(1) weight per bucket
    (independently in each arm) and takes

    .. math::

        \bar y^*_{arm} = \frac{\sum_g w_g s_g}{\sum_g w_g n_g},\qquad
        \Delta^* = \bar y^*_t - \bar y^*_c ,

    and the interval is the ``alpha/2`` and ``1 - alpha/2`` quantiles of :math:`\Delta^*`.

    Parameters
    ----------
    n_t, sum_t, n_c, sum_c
        Units and sum of values per bucket, treatment and control.
    n_boot
        Replicates (>= 100).
    seed
        Seed of the generator (``numpy.random.default_rng``); reproducible on every engine.
    alpha
        1 − confidence level.

    Returns
    -------
    BootstrapResult
        ``stat="mean"``, ``method="poisson-bucket"``, the observed difference, the interval and
        the standard deviation of :math:`\Delta^*` (``se``).

    Notes
    -----
    With one unit per bucket this *is* the Poisson bootstrap of the units (Hanley & MacGibbon
    2006), which matches the ordinary (multinomial) bootstrap within Monte Carlo error. With
    several units per bucket the buckets are random groups of exchangeable units, so the bucket
    sums are i.i.d. and the linearised variance of :math:`\Delta^*` is
    :math:`\sum_g (s_g - \bar y n_g)^2 / n^2 \approx s^2/n`, as for the units; the relative error
    of that variance is about :math:`\sqrt{2/G}`, i.e. about 1.6% on the interval's half width
    with 2,000 buckets, below the Monte Carlo error of the endpoints with 2,000 replicates (about
    3% of the half width). Replicates in which an arm gets zero total weight (possible only with
    very few buckets) are dropped. The Poisson(1) weights are drawn by the inverse CDF of
    uniforms (``searchsorted`` on the Poisson(1) CDF), a few times faster than
    ``Generator.poisson``.

    References
    ----------
    Hanley, J. A. and MacGibbon, B. (2006). Creating non-parametric bootstrap samples using
    Poisson frequencies. *Computer Methods and Programs in Biomedicine* 83, 57–62.
    Chamandy, N., Muralidharan, O., Najmi, A. and Naidu, S. (2012). Estimating uncertainty for
    massive data streams. Google technical report (Poisson bootstrap in buckets).
    """
    alpha = _check_alpha(alpha)
    if not isinstance(n_boot, int | np.integer) or n_boot < 100:
        raise ParamsError("n_boot", f"got {n_boot!r}", expected="an integer >= 100")
    nt, st = _bucket_arrays(n_t, sum_t, "n_t")
    nc, sc = _bucket_arrays(n_c, sum_c, "n_c")
    reps = []
    for wt8, wc8 in _bucket_weights(seed, n_boot, nt.size, nc.size):
        wt, wc = wt8.astype(float), wc8.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            reps.append((wt @ st) / (wt @ nt) - (wc @ sc) / (wc @ nc))
    dist = np.concatenate(reps)
    dist = dist[np.isfinite(dist)]
    estimate = float(st.sum() / nt.sum() - sc.sum() / nc.sum())
    if np.ptp(dist) == 0:
        low = high = estimate
    else:
        low, high = (float(v) for v in np.quantile(dist, [alpha / 2, 1 - alpha / 2]))
    return BootstrapResult(
        stat="mean",
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        se=float(dist.std(ddof=1)),
        method="poisson-bucket",
        n_boot=int(n_boot),
        seed=int(seed),
        alpha=alpha,
    )


def _summaries(stats_by_arm: Mapping[str, Any], name: str) -> dict[str, tuple[float, float, int]]:
    out = {}
    for k, v in stats_by_arm.items():
        try:
            m, sd, n = (float(v[0]), float(v[1]), v[2])
        except (TypeError, IndexError, ValueError):
            raise ParamsError(f"{name}[{k!r}]", f"got {v!r}", expected="(mean, sd, n)") from None
        if int(n) != n or n < 2 or not (np.isfinite(m) and np.isfinite(sd)) or sd < 0:
            raise ParamsError(
                f"{name}[{k!r}]", f"got {v!r}", expected="a finite mean, sd >= 0 and n >= 2"
            )
        out[str(k)] = (m, sd, int(n))
    return out


def welch_anova_from_stats(stats_by_arm: Mapping[str, Any]) -> tuple[float, float]:
    r"""Welch's one-way ANOVA (unequal variances) from per-arm ``(mean, sd, n)``.

    Parameters
    ----------
    stats_by_arm
        Arm -> ``(mean, sd, n)`` (sample sd, ddof = 1; n >= 2), at least two arms with sd > 0.

    Returns
    -------
    (F, p)
        Welch's F statistic and its p-value on ``(k - 1, df2)`` degrees of freedom.

    Notes
    -----
    With :math:`w_i = n_i/s_i^2`, :math:`\bar x_w = \sum w_i \bar x_i / \sum w_i`,
    :math:`\Lambda = \sum (1 - w_i/\sum w)^2/(n_i - 1)`:

    .. math::

        F = \frac{\sum w_i(\bar x_i - \bar x_w)^2/(k-1)}{1 + \frac{2(k-2)}{k^2-1}\Lambda},\qquad
        df_2 = \frac{k^2 - 1}{3\Lambda}.

    Equals ``scipy.stats.f_oneway(..., equal_var=False)`` on the units.

    References
    ----------
    Welch, B. L. (1951). On the comparison of several mean values: an alternative approach.
    *Biometrika* 38, 330–336.
    """
    s = _summaries(stats_by_arm, "stats_by_arm")
    if len(s) < 2:
        raise ParamsError("stats_by_arm", f"has {len(s)} arm", expected="at least two arms")
    m = np.array([v[0] for v in s.values()])
    sd = np.array([v[1] for v in s.values()])
    n = np.array([v[2] for v in s.values()], dtype=float)
    if np.any(sd == 0):
        raise ParamsError("stats_by_arm", "has an arm with sd 0", expected="sd > 0 in every arm")
    k = m.size
    w = n / sd**2
    mw = float(np.sum(w * m) / w.sum())
    lam = float(np.sum((1 - w / w.sum()) ** 2 / (n - 1)))
    num = float(np.sum(w * (m - mw) ** 2)) / (k - 1)
    f = num / (1 + 2 * (k - 2) / (k**2 - 1) * lam)
    df2 = (k**2 - 1) / (3 * lam)
    return f, float(stats.f.sf(f, k - 1, df2))


def balance_check_from_stats(
    stats_by_arm: Mapping[str, Any],
    *,
    control: str | None = None,
    smd_threshold: float = 0.1,
) -> BalanceResult:
    r"""Pre-period covariate balance from per-arm summaries (engine: count, avg, stddev_samp).

    Parameters
    ----------
    stats_by_arm
        Arm -> ``(mean, sd, n)`` of the covariate (sample sd, ddof = 1; n >= 2).
    control
        Reference arm (default: the first).
    smd_threshold
        |SMD| below which an arm counts as balanced (0.1, Austin 2009).

    Returns
    -------
    BalanceResult
        As :func:`salesops_lib.stats.experiments.balance_check` on the units: SMD
        :math:`(\bar x_a - \bar x_c)/\sqrt{(s_a^2 + s_c^2)/2}`, Welch p per arm vs control, and
        Welch's ANOVA across arms (:func:`welch_anova_from_stats`; Welch's t² for two arms).

    References
    ----------
    Austin, P. C. (2009). *Statistics in Medicine* 28, 3083–3107.
    Welch, B. L. (1951). *Biometrika* 38, 330–336.
    """
    s = _summaries(stats_by_arm, "stats_by_arm")
    if len(s) < 2:
        raise ParamsError("stats_by_arm", f"has {len(s)} arm", expected="at least two arms")
    control = next(iter(s)) if control is None else str(control)
    if control not in s:
        raise ParamsError("control", f"{control!r} is not an arm", expected=f"one of {list(s)}")
    mc, sdc, nc = s[control]
    rows = []
    for arm, (m, sd, n) in s.items():
        sd_pool = math.sqrt((sd**2 + sdc**2) / 2.0)
        dm = m - mc
        if sd_pool > 0:
            smd = dm / sd_pool
        else:
            smd = 0.0 if dm == 0 else math.copysign(math.inf, dm)
        p = float("nan") if arm == control else welch_test_from_stats(m, sd, n, mc, sdc, nc).p_value
        rows.append(
            {"arm": arm, "n": n, "mean": m, "sd": sd, "smd": float(smd), "welch_p": p}
        )  # fmt: skip
    table = pd.DataFrame(rows)
    vals = list(s.values())
    if all(v[1] == 0 for v in vals):
        same = np.ptp([v[0] for v in vals]) == 0
        f_stat, f_p = (0.0, 1.0) if same else (math.inf, 0.0)
    elif len(vals) == 2:
        w = welch_test_from_stats(*vals[0], *vals[1])
        f_stat, f_p = w.t**2, w.p_value
    elif any(v[1] == 0 for v in vals):
        f_stat, f_p = math.inf, 0.0
    else:
        f_stat, f_p = welch_anova_from_stats(s)
    max_smd = float(np.max(np.abs(table["smd"].to_numpy())))
    return BalanceResult(
        table=table,
        statistic=float(f_stat),
        p_value=float(f_p),
        max_abs_smd=max_smd,
        balanced=bool(max_smd < smd_threshold),
        control=control,
    )
