"""Small numeric helpers for rep benchmarking (private to :mod:`salesops_lib.analyses.benchmark`).

These are the few figures that the shared ``stats/`` package does not provide: working-day
counts, the ramp factor of a new hire's quota, dispersion measures (coefficient of variation,
Gini), an exact Poisson interval for activity rates, a linearised interval for a value-weighted
win rate and the posterior probability that a rep's rate is above a reference. They work on
small pandas/numpy inputs (the per-rep table), never on the engine.

References
----------
Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley, §6.4 (variance of a ratio
    estimator).
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50, 317-372.
Dunn, O. J. (1961). Multiple comparisons among means. *JASA* 56, 52-64 (Bonferroni bound).
Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28, 437-442.
Gini, C. (1912). *Variabilità e mutabilità*; see Damgaard & Weiner (2000), *Ecology* 81, 1139-1142.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from statsmodels.stats.rates import confint_poisson

from salesops_lib.analyses.benchmark._definitions import FUNNEL_STATUS
from salesops_lib.stats.proportions import wilson_interval
from salesops_lib.stats.shrinkage import (
    fit_beta_binomial,
    funnel_plot_limits,
    rank_intervals,
    shrink_rates,
)
from salesops_lib.stats.survival import kaplan_meier

__all__ = [
    "active_selling_days",
    "classify_posterior",
    "clear_level",
    "coefficient_of_variation",
    "gini",
    "intervals_overlap",
    "poisson_rate_interval",
    "prob_above",
    "ramp_factor",
    "ramped_quota",
    "ratio_interval_over_units",
    "value_rate_interval",
]


def _to_date(x: object) -> dt.date | None:
    if x is None:
        return None
    try:
        if pd.isna(x):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(x).date()  # type: ignore[arg-type]


def active_selling_days(hired_at: object, left_at: object, *, start: dt.date, end: dt.date) -> int:
    r"""Working days (Mon–Fri) between ``start`` and ``end`` (inclusive) on which a rep was
    employed.

    .. math:: d = \#\{t \in [\max(s, h), \min(e, l)] : t \text{ is Mon–Fri}\}

    ``hired_at``/``left_at`` may be missing (employed before/after the period). Public holidays
    are not removed (they differ by country); the same calendar applies to every rep, so
    comparisons between reps are unaffected.
    """
    h = _to_date(hired_at)
    lv = _to_date(left_at)
    lo = max(start, h) if h is not None else start
    hi = min(end, lv) if lv is not None else end
    if hi < lo:
        return 0
    return int(np.busday_count(lo, hi + dt.timedelta(days=1)))


def _months_since(hired: dt.date, day: dt.date) -> int:
    """Whole calendar months between ``hired`` and ``day`` (0 in the month after hire)."""
    m = (day.year - hired.year) * 12 + (day.month - hired.month)
    if day.day < hired.day:
        m -= 1
    return m


def ramp_factor(hired_at: object, day: dt.date, schedule: Sequence[float]) -> float:
    """Share of a full quota a rep carries on ``day``: ``schedule[m]`` in tenure month ``m``.

    Month ``m = 0`` is the first month after ``hired_at`` (e.g. 15 Mar–14 Apr). After the schedule
    ends (or with an empty schedule, or unknown ``hired_at``) the factor is 1. Before hire it is 0.
    """
    h = _to_date(hired_at)
    if h is None:
        return 1.0
    if day < h:
        return 0.0
    m = _months_since(h, day)
    return float(schedule[m]) if m < len(schedule) else 1.0


def ramped_quota(
    amount: float,
    *,
    quota_start: dt.date,
    quota_end: dt.date,
    start: dt.date,
    end: dt.date,
    hired_at: object = None,
    left_at: object = None,
    schedule: Sequence[float] = (),
) -> float:
    r"""The part of one quota row that falls in ``[start, end]``, prorated and ramped.

    .. math::

        Q^{\mathrm{adj}} = Q \cdot \frac{1}{D}\sum_{t \in [q_s, q_e] \cap [s, e]}
            \mathbb{1}[h \le t \le l] \; r(t)

    where ``D`` is the number of calendar days of the quota period, ``h``/``l`` the rep's hire and
    leave dates and ``r(t)`` the ramp factor (:func:`ramp_factor`). With no ramp schedule and a rep
    employed throughout, a quota period inside ``[start, end]`` keeps its full amount.
    """
    total_days = (quota_end - quota_start).days + 1
    lo = max(quota_start, start)
    hi = min(quota_end, end)
    if total_days <= 0 or hi < lo:
        return 0.0
    h = _to_date(hired_at)
    lv = _to_date(left_at)
    days = pd.date_range(lo, hi, freq="D").date
    weight = 0.0
    for d in days:
        if (h is not None and d < h) or (lv is not None and d > lv):
            continue
        weight += ramp_factor(h, d, schedule) if schedule else 1.0
    return float(amount) * weight / total_days


def coefficient_of_variation(values: ArrayLike) -> float:
    r"""Coefficient of variation :math:`\sigma / \mu` with the population standard deviation.

    NaNs are ignored; NaN when fewer than two values or a zero mean.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2 or x.mean() == 0:
        return float("nan")
    return float(x.std(ddof=0) / x.mean())


def gini(values: ArrayLike) -> float:
    r"""Gini coefficient of non-negative values (0 = perfectly even, → 1 = all on one).

    .. math:: G = \frac{\sum_i \sum_j |x_i - x_j|}{2 n^2 \bar x}

    NaNs are ignored; NaN for fewer than two values or a zero total.
    """
    x = np.asarray(values, dtype=float)
    x = np.sort(x[~np.isnan(x)])
    n = x.size
    if n < 2 or x.sum() == 0:
        return float("nan")
    # sum_i sum_j |xi - xj| = 2 * sum_i (2i - n - 1) x_(i), i = 1..n
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * n * x.mean()))


def poisson_rate_interval(
    counts: ArrayLike, exposure: ArrayLike, *, alpha: float = 0.05
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Exact (Garwood) interval for a Poisson rate ``count / exposure`` (e.g. activities per day).

    .. math::

        \Big[\tfrac{1}{2E}\chi^2_{2k,\,\alpha/2},\ \tfrac{1}{2E}\chi^2_{2k+2,\,1-\alpha/2}\Big]

    Computed with :func:`statsmodels.stats.rates.confint_poisson` (``method="exact-c"``).
    Exposure 0 gives NaN.
    """

    k = np.atleast_1d(np.asarray(counts, dtype=float))
    e = np.atleast_1d(np.asarray(exposure, dtype=float))
    k, e = np.broadcast_arrays(k, e)
    low = np.full(k.shape, np.nan)
    high = np.full(k.shape, np.nan)
    ok = (e > 0) & ~np.isnan(k)
    if ok.any():
        lo, hi = confint_poisson(k[ok], e[ok], method="exact-c", alpha=alpha)
        low[ok] = np.asarray(lo, dtype=float)
        high[ok] = np.asarray(hi, dtype=float)
    return low, high


def value_rate_interval(
    won_amount: ArrayLike,
    closed_amount: ArrayLike,
    won_sq: ArrayLike,
    lost_sq: ArrayLike,
    *,
    alpha: float = 0.05,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    r"""Win rate by value ``R = Σ_won a / Σ_closed a`` with a linearised (ratio-estimator) interval.

    Each closed deal ``i`` has amount :math:`a_i` and outcome :math:`y_i \in \{0,1\}`. The ratio
    estimator's sandwich variance (Cochran 1977, §6.4; the HC0 variance of a weighted mean) is

    .. math::

        \widehat{\mathrm{Var}}(R) = \frac{\sum_i a_i^2 (y_i - R)^2}{(\sum_i a_i)^2}
        = \frac{(1-R)^2 \sum_{won} a_i^2 + R^2 \sum_{lost} a_i^2}{(\sum_i a_i)^2}

    and the interval is :math:`R \pm z_{1-\alpha/2}\sqrt{\mathrm{Var}}` clipped to [0, 1]. Only
    the sums of amounts and of squared amounts per group are needed, so the engine supplies them.

    Returns
    -------
    (rate, low, high)
    """
    w = np.asarray(won_amount, dtype=float)
    c = np.asarray(closed_amount, dtype=float)
    w2 = np.asarray(won_sq, dtype=float)
    l2 = np.asarray(lost_sq, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(c > 0, w / c, np.nan)
        var = ((1 - r) ** 2 * w2 + r**2 * l2) / c**2
    z = float(stats.norm.isf(alpha / 2))
    se = np.sqrt(var)
    return r, np.clip(r - z * se, 0, 1), np.clip(r + z * se, 0, 1)


def prob_above(
    successes: ArrayLike, trials: ArrayLike, reference: float, *, prior: tuple[float, float]
) -> NDArray[np.float64]:
    r"""Posterior probability that a rate exceeds ``reference`` under a beta prior.

    With prior :math:`\mathrm{Beta}(\alpha, \beta)` (the empirical-Bayes prior fitted to all reps)
    the posterior of a rep with ``x`` wins out of ``n`` is
    :math:`\mathrm{Beta}(\alpha + x, \beta + n - x)`, so
    :math:`P(p > p_0 \mid x) = 1 - I_{p_0}(\alpha + x, \beta + n - x)`.
    """
    a, b = prior
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    return np.asarray(stats.beta.sf(reference, a + x, b + n - x), dtype=float)


def ratio_interval_over_units(
    numerators: ArrayLike, denominators: ArrayLike, *, alpha: float = 0.05
) -> tuple[float, float, float]:
    r"""A pooled rate ``Σ a_i / Σ d_i`` with an interval that treats the *units* (reps) as the
    sample, e.g. a team's activities per selling day with reps of very different activity levels.

    A Poisson interval on the pooled count assumes every rep works at the same rate, which is
    far too narrow when rep rates differ. Here each unit is one cluster (Cochran 1977, §6.4;
    Cameron & Miller 2015): with :math:`R = \sum a_i / \sum d_i`, :math:`k` units,

    .. math::

        \widehat{\mathrm{Var}}(R) = \frac{k}{k-1}\,
            \frac{\sum_i (a_i - R\,d_i)^2}{(\sum_i d_i)^2},
        \qquad R \pm t_{k-1,\,1-\alpha/2}\sqrt{\widehat{\mathrm{Var}}(R)}

    which is the weighted mean of the unit rates :math:`a_i/d_i` with weights :math:`d_i` and
    its cluster-robust (one cluster per unit, CR1) standard error with :math:`k-1` degrees of
    freedom. Units with ``d_i = 0`` and ``a_i = 0`` carry no information and are dropped; a unit
    with activities but no days (an unknown owner) still counts in the numerator and variance.
    Fewer than two units: the interval is NaN (rep-to-rep variation cannot be estimated).

    Returns
    -------
    (rate, low, high)
    """
    a = np.asarray(numerators, dtype=float)
    d = np.asarray(denominators, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(d)) & ((d > 0) | (a > 0))
    a, d = a[keep], d[keep]
    if d.sum() <= 0:
        return float("nan"), float("nan"), float("nan")
    r = float(a.sum() / d.sum())
    k = a.size
    if k < 2:
        return r, float("nan"), float("nan")
    var = k / (k - 1) * float(np.sum((a - r * d) ** 2)) / float(d.sum()) ** 2
    half = float(stats.t.isf(alpha / 2, k - 1)) * math.sqrt(var)
    return r, max(0.0, r - half), r + half


def clear_level(certainty: float, n_compared: int) -> float:
    r"""The posterior probability a rep needs to be called clearly above or below the company
    rate when ``n_compared`` reps are looked at together (Bonferroni; Dunn 1961).

    .. math:: c^{*} = 1 - \frac{1 - c}{m}

    With :math:`c = 0.95` and :math:`m = 24` reps, :math:`c^{*} = 0.99792`: the chance that *any*
    rep whose true rate equals the company rate is named on one side is then at most about
    :math:`1 - c = 5\%`, instead of about :math:`m(1-c)` false flags per side at the per-rep
    level. ``n_compared < 1`` is treated as 1.
    """
    m = max(int(n_compared), 1)
    return 1.0 - (1.0 - float(certainty)) / m


def classify_posterior(p_above: ArrayLike, *, probable: float, clear: float) -> NDArray[np.str_]:
    """Word each rep by the posterior probability that its rate is above the reference.

    ``"clearly above"`` when ``p ≥ clear``, ``"probably above"`` when ``probable ≤ p < clear``,
    the mirror images below (with ``1 − p``), ``"cannot tell"`` otherwise and for NaN.
    """
    p = np.asarray(p_above, dtype=float)
    q = 1.0 - p
    out = np.full(p.shape, "cannot tell", dtype=object)
    with np.errstate(invalid="ignore"):
        out[p >= probable] = "probably above"
        out[p >= clear] = "clearly above"
        out[q >= probable] = "probably below"
        out[q >= clear] = "clearly below"
    return out.astype(str)


def intervals_overlap(low1: float, high1: float, low0: float, high0: float) -> bool | None:
    """Whether ``[low1, high1]`` and ``[low0, high0]`` share a point; None if a limit is NaN.

    Non-overlapping 95% intervals imply a difference at (much) better than 5% (Schenker &
    Gentleman 2001), so it is a conservative "the change is more than chance" rule for figures
    without a difference interval (medians, rates of different reps).

    References
    ----------
    Schenker, N. & Gentleman, J. F. (2001). On judging the significance of differences by
        examining the overlap between confidence intervals. *The American Statistician* 55,
        182-186.
    """
    vals = [low1, high1, low0, high0]
    if any(v is None or (isinstance(v, float | np.floating) and math.isnan(v)) for v in vals):
        return None
    return bool(low1 <= high0 and low0 <= high1)


def _div(a: Any, b: Any) -> Any:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / b, np.nan)


def _km_median(cyc: pd.DataFrame, alpha: float) -> tuple[float, float, float, int]:
    if cyc.empty:
        return (np.nan, np.nan, np.nan, 0)
    km = kaplan_meier(
        cyc["duration"].to_numpy(float),
        cyc["event"].to_numpy(bool),
        weights=cyc["n"].to_numpy(float),
        alpha=alpha,
    )
    med, lo, hi = km.median()
    return (med, lo, hi, km.n)


# --------------------------------------------------------------------------------------------
# shrinkage / funnel / ranks: thin adapters over salesops_lib.stats.shrinkage
# --------------------------------------------------------------------------------------------


def _shrink(
    won: np.ndarray, closed: np.ndarray, *, alpha: float = 0.05
) -> tuple[pd.DataFrame, tuple[float, float]]:
    """Shrunk rates and credible intervals (hierarchical beta-binomial); returns the frame
    (``shrunk_win_rate, shrunk_low, shrunk_high``) and the prior ``(a, b)`` for the
    above/below-company calls.

    The shrunk rates and intervals integrate over the hyperparameters
    (:func:`~salesops_lib.stats.shrinkage.shrink_rates`' default), so they keep their coverage
    when reps barely differ, where a fitted point prior collapses towards zero between-rep
    variance and gives intervals that are too narrow (issue 12, fix 1). The above/below calls
    (:func:`prob_above`) use the method-of-moments prior (Kleinman 1973), whose mean is exactly
    the pooled (company) rate, so "above the company rate" is measured from the shrinkage target
    itself; when that fit collapses it pulls every rep to the company rate, which can only make
    the calls more cautious. When it cannot be fitted, the hierarchical posterior mode is used."""
    won = np.asarray(won, dtype=float)
    closed = np.asarray(closed, dtype=float)
    out = pd.DataFrame(
        {"shrunk_win_rate": np.nan, "shrunk_low": np.nan, "shrunk_high": np.nan},
        index=range(len(won)),
    )
    if (closed > 0).sum() < 2:
        return out, (np.nan, np.nan)
    sr = shrink_rates(won, closed, alpha=alpha)
    a, b = fit_beta_binomial(won, closed, method="mom")
    if not (np.isfinite(a) and np.isfinite(b)):
        a, b = float(sr["prior_alpha"].iloc[0]), float(sr["prior_beta"].iloc[0])
    out["shrunk_win_rate"] = sr["shrunk_rate"].to_numpy(float)
    out["shrunk_low"] = sr["cred_low"].to_numpy(float)
    out["shrunk_high"] = sr["cred_high"].to_numpy(float)
    return out, (float(a), float(b))


def _funnel_status(won: ArrayLike, closed: ArrayLike, p0: float) -> NDArray[np.str_]:
    """Funnel-plot status per rep from exact binomial tails under the company rate ``p0``.

    Above the 99.8% (95%) limit when :math:`P(X \\ge won) < 0.001` (``< 0.025``) for
    :math:`X \\sim \\text{Bin}(closed, p_0)`; below when :math:`P(X \\le won)` is. These
    are the tails the drawn limits stand for; the smoothed limit lines themselves would call
    2 won of 2 "above 99.8%" (the line sits at 99.9% for n = 2), though it happens 44% of the
    time at a 67% company rate.
    """
    won_a = np.asarray(won, dtype=float)
    closed_a = np.asarray(closed, dtype=float)
    upper = stats.binom.sf(won_a - 1, closed_a, p0)  # P(X >= won)
    lower = stats.binom.cdf(won_a, closed_a, p0)  # P(X <= won)
    return np.select(
        [upper < 0.001, upper < 0.025, lower < 0.001, lower < 0.025],
        [
            FUNNEL_STATUS["above_998"],
            FUNNEL_STATUS["above_95"],
            FUNNEL_STATUS["below_998"],
            FUNNEL_STATUS["below_95"],
        ],
        default=FUNNEL_STATUS["within"],
    )


def _funnel_limits(p0: float, n: np.ndarray) -> pd.DataFrame:
    """Exact control limits at each ``n``: ``n, lower_95, upper_95, lower_998, upper_998``."""
    n = np.asarray(n, dtype=float)
    lim = funnel_plot_limits(p0, n, levels=(0.95, 0.998))
    out = pd.DataFrame({"n": n})
    for lvl, tag in ((0.95, "95"), (0.998, "998")):
        sub = lim[np.isclose(lim["level"].to_numpy(float), lvl)]
        out[f"lower_{tag}"] = sub["low"].to_numpy(float)
        out[f"upper_{tag}"] = sub["high"].to_numpy(float)
    return out


def _rank_intervals(
    won: np.ndarray, closed: np.ndarray, prior: tuple[float, float], *, seed: int, alpha: float
) -> pd.DataFrame:
    """Median rank (1 = highest win rate) and its interval from posterior draws."""
    ri = rank_intervals(won, closed, prior=prior, seed=seed, alpha=alpha)
    return pd.DataFrame(
        {
            "rank": ri["rank_median"].to_numpy(float),
            "rank_low": ri["rank_low"].to_numpy(float),
            "rank_high": ri["rank_high"].to_numpy(float),
            "prob_top": ri["prob_top"].to_numpy(float),
        }
    )


# --------------------------------------------------------------------------------------------
# group figures
# --------------------------------------------------------------------------------------------


def group_figures(
    reps: pd.DataFrame,
    cycles: pd.DataFrame,
    *,
    by: str,
    alpha: float = 0.05,
    working_days: int | None = None,
) -> pd.DataFrame:
    """Pool per-rep counts into figures by ``by`` (``team``, ``region``, ``territory``).

    Rates are pooled (Σ won ÷ Σ closed), not averages of rep rates; the median cycle is a
    Kaplan–Meier median over the group's pooled deals; activities per day are Σ activities ÷ Σ
    active selling days (per rep per day) with an interval that treats the group's reps as the
    sample (:func:`~salesops_lib.analyses.benchmark._stats.ratio_interval_over_units`: days-weighted
    mean of rep rates, cluster-robust standard error, t with reps − 1 degrees of freedom; NaN
    for a one-rep group); attainment is Σ won amount ÷ Σ adjusted quota over reps
    with a quota; the shrunk win rate shrinks the groups towards the overall rate.

    Parameters
    ----------
    reps
        The per-rep table of :class:`BenchmarkResult` (needs the count columns).
    cycles
        Per rep × duration × event counts (columns ``rep_id, duration, event, n``).
    by
        Column of ``reps`` to group by.
    alpha
        1 − confidence level.
    working_days
        Working days in the period: adds ``fte_reps`` (Σ active selling days ÷ working days)
        next to the head count ``n_reps``.
    """
    sums = [
        "closed",
        "won",
        "lost",
        "closed_amount",
        "won_amount",
        "won_with_amount",
        "won_sq",
        "lost_sq",
        "won_acv",
        "opps_created",
        "pipeline_generated",
        "activities",
        "open_deals",
        "active_days",
        "quota_adjusted",
        "won_amount_quota",
        "calls",
        "emails",
        "meetings",
    ]
    g = reps.groupby(by, dropna=False)[sums].sum().reset_index()
    g["n_reps"] = reps.groupby(by, dropna=False)["rep_id"].nunique().to_numpy()
    g["fte_reps"] = g["active_days"] / working_days if working_days else np.nan
    g = _rate_columns(g, alpha=alpha)
    # activities per day: reps are the unit (their rates differ far more than Poisson noise), so
    # the group's interval comes from the spread of its reps, not from the pooled count
    act_ci = {
        k: ratio_interval_over_units(d["activities"], d["active_days"], alpha=alpha)
        for k, d in reps.groupby(by, dropna=False)
    }
    g["activities_ci_low"] = [act_ci.get(k, (np.nan,) * 3)[1] for k in g[by]]
    g["activities_ci_high"] = [act_ci.get(k, (np.nan,) * 3)[2] for k in g[by]]
    shr, _ = (
        _shrink(g["won"].to_numpy(float), g["closed"].to_numpy(float), alpha=alpha)
        if len(g) >= 3
        else (
            pd.DataFrame(
                {
                    "shrunk_win_rate": g["win_rate"],
                    "shrunk_low": g["ci_low"],
                    "shrunk_high": g["ci_high"],
                }
            ),
            None,
        )
    )
    g["shrunk_win_rate"] = shr["shrunk_win_rate"].to_numpy()
    g["quota_attainment"] = _div(g["won_amount_quota"], g["quota_adjusted"])
    key = reps[["rep_id", by]]
    cyc = cycles.merge(key, on="rep_id", how="left")
    med = {k: _km_median(d, alpha) for k, d in cyc.groupby(by, dropna=False)}
    g["cycle_median_days"] = [med.get(k, (np.nan,) * 4)[0] for k in g[by]]
    g["cycle_ci_low"] = [med.get(k, (np.nan,) * 4)[1] for k in g[by]]
    g["cycle_ci_high"] = [med.get(k, (np.nan,) * 4)[2] for k in g[by]]
    g["velocity_per_day"] = _div(
        g["open_deals"] * g["win_rate"] * g["avg_won_amount"], g["cycle_median_days"]
    )
    return g.sort_values("win_rate", ascending=False).reset_index(drop=True)


def _rate_columns(df: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Add rates and intervals computed from count columns (shared by reps and groups)."""
    d = df
    lo, hi = wilson_interval(d["won"].to_numpy(float), d["closed"].to_numpy(float), alpha=alpha)
    d["win_rate"] = _div(d["won"], d["closed"])
    d["ci_low"], d["ci_high"] = lo, hi
    r, vlo, vhi = value_rate_interval(
        d["won_amount"], d["closed_amount"], d["won_sq"], d["lost_sq"], alpha=alpha
    )
    d["win_rate_value"], d["value_ci_low"], d["value_ci_high"] = r, vlo, vhi
    d["avg_won_amount"] = _div(d["won_amount"], d["won_with_amount"])
    d["avg_won_acv"] = _div(d["won_acv"], d["won"])
    d["activities_per_day"] = _div(d["activities"], d["active_days"])
    alo, ahi = poisson_rate_interval(d["activities"], d["active_days"], alpha=alpha)
    d["activities_ci_low"], d["activities_ci_high"] = alo, ahi
    for t in ("calls", "emails", "meetings"):
        d[f"{t}_per_day"] = _div(d[t], d["active_days"])
    return d


# --------------------------------------------------------------------------------------------
# attainment, benchmarks, balance, lists
# --------------------------------------------------------------------------------------------


def attainment_distribution(
    attainment: Sequence[float] | pd.Series,
    *,
    thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Share of reps at or above each attainment threshold, with Wilson intervals.

    Parameters
    ----------
    attainment
        One attainment ratio per rep with a quota (NaN values are ignored).
    thresholds
        Attainment levels as fractions (0.8 = 80%).

    Returns
    -------
    pandas.DataFrame
        ``threshold, n_at_or_above, n_reps, share, ci_low, ci_high``.
    """
    a = pd.Series(attainment, dtype=float).dropna()
    n = len(a)
    rows = []
    for t in thresholds:
        k = int((a >= t - 1e-12).sum())
        lo, hi = wilson_interval(k, n, alpha=alpha) if n else (np.nan, np.nan)
        rows.append(
            {
                "threshold": float(t),
                "n_at_or_above": k,
                "n_reps": n,
                "share": k / n if n else np.nan,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows)
