"""Statistics for the funnel analysis on small count tables (private).

Everything here is pure pandas/numpy on the counts the engine returns; the statistics
themselves come from :mod:`salesops_lib.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from salesops_lib.analyses.funnel._engine import MISSING
from salesops_lib.stats.proportions import (
    adjust_pvalues,
    chi_square_homogeneity,
    newcombe_diff_interval,
    pairwise_proportions,
    two_proportion_ztest,
    wilson_interval,
)
from salesops_lib.stats.survival import KaplanMeier, kaplan_meier

__all__: list[str] = []  # private module

ARROW = "→"
#: a campaign overlaps a cohort materially when its members are at least this share of it
MATERIAL_SHARE = 0.10


def step_label(a: str, b: str) -> str:
    """``"MQL→SQL"``."""
    return f"{a}{ARROW}{b}"


def _z(alpha: float) -> float:
    return float(sps.norm.isf(alpha / 2.0))


# --------------------------------------------------------------------------- steps


def cumulative_interval(
    converted: Sequence[float], entered: Sequence[float], *, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Running product of step rates with a log-scale (Greenwood-type) delta-method interval.

    .. math::

        \hat C_k = \prod_{j \le k} \hat p_j, \qquad
        \widehat{Var}(\log \hat C_k) = \sum_{j \le k} \frac{1 - \hat p_j}{n_j \hat p_j}, \qquad
        \hat C_k \exp(\pm z \sqrt{\widehat{Var}})

    (the life-table form of Greenwood 1926). When some :math:`\hat p_j = 0` the estimate is 0
    and the interval is ``[0, prod of Wilson upper limits]``. Limits are clipped to [0, 1].
    """
    x = np.asarray(converted, dtype=float)
    n = np.asarray(entered, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        cum = np.cumprod(p)
        var_terms = np.where(p > 0, (1.0 - p) / (n * p), np.inf)
        v = np.cumsum(var_terms)
        z = _z(alpha)
        low = cum * np.exp(-z * np.sqrt(v))
        high = np.minimum(1.0, cum * np.exp(z * np.sqrt(v)))
    _, w_high = wilson_interval(x, n, alpha=alpha)
    zero = np.isfinite(cum) & (cum == 0)
    low = np.where(zero, 0.0, low)
    high = np.where(zero, np.cumprod(np.asarray(w_high, dtype=float)), high)
    return cum, low, high


def steps_table(
    counts: pd.Series | dict[str, Any], stages: Sequence[str], *, alpha: float
) -> pd.DataFrame:
    """One row per step from the engine's counts (a single row of ``step_counts``)."""
    rows = []
    for k in range(len(stages) - 1):
        rows.append(
            {
                "step": step_label(stages[k], stages[k + 1]),
                "stage": stages[k],
                "to_stage": stages[k + 1],
                "reached": int(counts.get(f"reached_{k}", 0) or 0),
                "skipped": int(counts.get(f"skipped_{k}", 0) or 0),
                "entered": int(counts.get(f"entered_{k}", 0) or 0),
                "converted": int(counts.get(f"converted_{k}", 0) or 0),
                "late": int(counts.get(f"late_{k}", 0) or 0),
            }
        )
    df = pd.DataFrame(
        rows,
        columns=["step", "stage", "to_stage", "reached", "skipped", "entered", "converted", "late"],
    )
    return add_rates(df, alpha=alpha, cumulative=True)


def add_rates(df: pd.DataFrame, *, alpha: float, cumulative: bool = False) -> pd.DataFrame:
    """Add ``incomplete, lost, rate, ci_low, ci_high`` (and cumulative columns)."""
    df = df.copy()
    x = df["converted"].to_numpy(dtype=float)
    n = df["entered"].to_numpy(dtype=float)
    df["incomplete"] = df["reached"] - df["entered"]
    df["lost"] = df["entered"] - df["converted"]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["rate"] = np.where(n > 0, x / n, np.nan)
    low, high = wilson_interval(x, n, alpha=alpha)
    df["ci_low"] = np.asarray(low, dtype=float)
    df["ci_high"] = np.asarray(high, dtype=float)
    if cumulative:
        cum, clo, chi = cumulative_interval(x, n, alpha=alpha)
        df["cumulative_rate"] = cum
        df["cum_ci_low"] = clo
        df["cum_ci_high"] = chi
    return df


# --------------------------------------------------------------------------- segments


def segments_table(
    counts: pd.DataFrame,
    stages: Sequence[str],
    *,
    column: str,
    label: str,
    alpha: float,
    min_segment_size: int,
) -> pd.DataFrame:
    """Per segment and step: rates with intervals, ``small`` flag and rank among non-small."""
    g = counts.groupby(column, dropna=False, sort=False)
    agg_cols = [c for c in counts.columns if c.startswith(("reached_", "entered_", "converted_"))]
    summed = g[agg_cols].sum().reset_index()
    frames = []
    for k in range(len(stages) - 1):
        part = pd.DataFrame(
            {
                "segment_column": label,
                "segment": summed[column].astype(str),
                "step": step_label(stages[k], stages[k + 1]),
                "stage": stages[k],
                "to_stage": stages[k + 1],
                "reached": summed[f"reached_{k}"].astype("int64"),
                "entered": summed[f"entered_{k}"].astype("int64"),
                "converted": summed[f"converted_{k}"].astype("int64"),
            }
        )
        part = add_rates(part, alpha=alpha)
        part["small"] = part["entered"] < min_segment_size
        # the missing-value bucket is shown but never ranked: "no value" is not a segment
        ranked = part["rate"].where(~part["small"] & (part["segment"] != MISSING))
        part["rank"] = ranked.rank(ascending=False, method="min")
        part = part.sort_values(
            ["small", "rate", "segment"],
            ascending=[True, False, True],
            na_position="last",
            kind="stable",
        )
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def segment_tests(seg: pd.DataFrame) -> pd.DataFrame:
    """Pearson chi-square test of equal rates per (column, step) over the non-small segments."""
    tests = []
    for (col, step), part in seg.groupby(["segment_column", "step"], sort=False):
        big = part[~part["small"] & (part["entered"] > 0)]
        res = chi_square_homogeneity(big["converted"].to_numpy(), big["entered"].to_numpy())
        tests.append(
            {
                "segment_column": col,
                "step": step,
                "stage": part["stage"].iloc[0],
                "to_stage": part["to_stage"].iloc[0],
                "n_segments": len(big),
                "n_small": int(part["small"].sum()),
                "statistic": res.statistic,
                "dof": res.dof,
                "p_value": res.p_value,
                "min_expected": res.min_expected,
            }
        )
    return pd.DataFrame(tests)


def segment_pairwise(seg: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Every pair of non-small segments per (column, step): Newcombe interval, pooled z-test,
    Holm adjustment within each (column, step)."""
    pairs = []
    for (col, step), part in seg.groupby(["segment_column", "step"], sort=False):
        big = part[~part["small"] & (part["entered"] > 0)]
        if len(big) >= 2:
            pw = pairwise_proportions(
                big["segment"].tolist(),
                big["converted"].to_numpy(),
                big["entered"].to_numpy(),
                method="holm",
                alpha=alpha,
            )
            pw.insert(0, "step", step)
            pw.insert(0, "segment_column", col)
            pairs.append(pw)
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame()


# --------------------------------------------------------------------------- comparison


def comparison_table(cur: pd.DataFrame, prev: pd.DataFrame, *, alpha: float) -> pd.DataFrame:
    """Each step this period vs the previous one, plus the overall (cumulative) conversion.

    Per step: Newcombe interval for the difference, pooled z-test, Holm adjustment over the
    steps. Overall: difference of the two cumulative rates with a delta-method interval
    (independent periods; variance from the log-scale intervals) and its z-test.
    """
    rows = []
    for (_, c), (_, p) in zip(cur.iterrows(), prev.iterrows(), strict=True):
        diff, lo, hi = newcombe_diff_interval(
            c["converted"], c["entered"], p["converted"], p["entered"], alpha=alpha
        )
        if c["entered"] > 0 and p["entered"] > 0:
            z, pv = two_proportion_ztest(c["converted"], c["entered"], p["converted"], p["entered"])
        else:
            z, pv = np.nan, np.nan
        rows.append(
            {
                "step": c["step"],
                "stage": c["stage"],
                "to_stage": c["to_stage"],
                "entered_prev": int(p["entered"]),
                "converted_prev": int(p["converted"]),
                "rate_prev": p["rate"],
                "ci_low_prev": p["ci_low"],
                "ci_high_prev": p["ci_high"],
                "entered": int(c["entered"]),
                "converted": int(c["converted"]),
                "rate": c["rate"],
                "ci_low": c["ci_low"],
                "ci_high": c["ci_high"],
                "diff": diff,
                "diff_ci_low": lo,
                "diff_ci_high": hi,
                "z": z,
                "p_value": pv,
            }
        )
    df = pd.DataFrame(rows)
    if len(df):
        df["p_holm"] = adjust_pvalues(df["p_value"].to_numpy(dtype=float), method="holm")
        df["overall"] = False
        # overall conversion, first stage to last
        last_c, last_p = cur.iloc[-1], prev.iloc[-1]
        z = _z(alpha)
        se_c = _se_from_log_ci(
            last_c["cumulative_rate"], last_c["cum_ci_low"], last_c["cum_ci_high"], z
        )
        se_p = _se_from_log_ci(
            last_p["cumulative_rate"], last_p["cum_ci_low"], last_p["cum_ci_high"], z
        )
        d = last_c["cumulative_rate"] - last_p["cumulative_rate"]
        se = float(np.hypot(se_c, se_p))
        zs = d / se if se > 0 else np.nan
        pv = float(2 * sps.norm.sf(abs(zs))) if np.isfinite(zs) else np.nan
        rows_overall = {
            "step": step_label(cur["stage"].iloc[0], cur["to_stage"].iloc[-1]) + " (overall)",
            "stage": cur["stage"].iloc[0],
            "to_stage": cur["to_stage"].iloc[-1],
            "entered_prev": int(prev["entered"].iloc[0]),
            "converted_prev": np.nan,
            "rate_prev": last_p["cumulative_rate"],
            "ci_low_prev": last_p["cum_ci_low"],
            "ci_high_prev": last_p["cum_ci_high"],
            "entered": int(cur["entered"].iloc[0]),
            "converted": np.nan,
            "rate": last_c["cumulative_rate"],
            "ci_low": last_c["cum_ci_low"],
            "ci_high": last_c["cum_ci_high"],
            "diff": d,
            "diff_ci_low": d - z * se,
            "diff_ci_high": d + z * se,
            "z": zs,
            "p_value": pv,
            "p_holm": pv,
            "overall": True,
        }
        df = pd.concat([df, pd.DataFrame([rows_overall])], ignore_index=True)
        df["clear"] = df["p_holm"] < alpha
    return df


def _se_from_log_ci(est: float, low: float, high: float, z: float) -> float:
    """Delta-method SE of an estimate from its log-scale interval: se(C) = C · se(log C)."""
    if not (np.isfinite(est) and est > 0 and low > 0):
        return float("nan")
    se_log = (np.log(est) - np.log(low)) / z
    return float(est * se_log)


# --------------------------------------------------------------------------- time to event


def weighted_quantile_ci(
    days: np.ndarray, counts: np.ndarray, q: float = 0.5, *, alpha: float = 0.05
) -> tuple[float, float, float]:
    r"""Sample quantile of grouped data with the distribution-free order-statistic interval.

    The estimate is the smallest value with cumulative count :math:`\ge q\,n` (the lower sample
    quantile). The interval is :math:`[x_{(j)}, x_{(k)}]` with
    :math:`j = \text{binom.ppf}(\alpha/2; n, q)` and :math:`k = \text{binom.ppf}(1-\alpha/2; n,
    q)+1`
    (1-based ranks), which covers the population quantile with probability
    :math:`\ge 1-\alpha` (Conover 1999, §3.2). Used for "median over converters only".

    Returns NaN for empty input; limits beyond the data are NaN.
    """
    d = np.asarray(days, dtype=float)
    c = np.asarray(counts, dtype=float)
    keep = c > 0
    d, c = d[keep], c[keep]
    n = round(c.sum())
    if n == 0:
        return (np.nan, np.nan, np.nan)
    order = np.argsort(d, kind="mergesort")
    d, c = d[order], c[order]
    cum = np.cumsum(c)

    def at_rank(r: int) -> float:  # 1-based rank
        if r < 1 or r > n:
            return np.nan
        return float(d[np.searchsorted(cum, r, side="left")])

    est = at_rank(max(1, int(np.ceil(q * n))))
    j = int(sps.binom.ppf(alpha / 2.0, n, q))
    k = int(sps.binom.ppf(1.0 - alpha / 2.0, n, q)) + 1
    return (est, at_rank(max(j, 1)) if j >= 1 else np.nan, at_rank(k))


def discrete_quantile(
    km: KaplanMeier, q: float, *, max_day: float | None = None
) -> tuple[float, float, float]:
    r"""Quantile of a time measured in whole days, with an interval that survives ties.

    Durations are whole days (events rounded up), so the curve is only known on the grid
    :math:`d = 0, 1, 2, \dots`, and the true (continuous) quantile :math:`m_q` lies between two
    grid days. With the pointwise log(−log) interval :math:`[S_L(d), S_U(d)]` of the
    Kaplan–Meier curve (Kalbfleisch & Prentice 2002):

    .. math::

        \hat m_q = \min\{d : \hat S(d) \le 1 - q\}, \quad
        L = \max\{d : S_L(d) > 1 - q\}, \quad
        U = \min\{d : S_U(d) \le 1 - q\}

    (L = 0 when no day qualifies; U is NaN when the upper limit is not reached within
    follow-up). :math:`S_L(L) > 1-q` says that fewer than a share q had converted by day L, and
    :math:`S_U(U) \le 1-q` that at least q had by day U, so :math:`L < m_q \le U`: the interval
    ``[L, U]`` inverts the pointwise band on the day grid (the idea of Brookmeyer & Crowley
    1982). Unlike the Brookmeyer–Crowley set of event times where :math:`H_0: S = 1 - q` is not
    rejected, it never collapses when the curve jumps over 1 − q between two days (many ties,
    large n): with S(3) = 0.521 (0.509–0.533) and S(4) = 0.464 the median is "4 days (3–4)".

    Returns
    -------
    (estimate, low, high)
        NaN estimate (and limits) when fewer than a share q converted within follow-up.
    """
    if not km.n or not km.n_events:
        return (np.nan, np.nan, np.nan)
    last = km.max_time if max_day is None else min(max_day, km.max_time)
    grid = np.arange(0, int(np.floor(last)) + 1, dtype=float)
    s, lo, hi = km.survival_ci_at(grid)
    s, lo, hi = (np.asarray(v, dtype=float) for v in (s, lo, hi))
    target = 1.0 - q + 1e-10
    hit = np.flatnonzero(s <= target)
    if not len(hit):
        return (np.nan, np.nan, np.nan)
    est = float(grid[hit[0]])
    above = np.flatnonzero(np.nan_to_num(lo, nan=-1.0) > target)
    low = float(grid[above[-1]]) if len(above) else 0.0
    low = min(low, est)
    below = np.flatnonzero(np.nan_to_num(hi, nan=2.0) <= target)
    high = float(grid[below[0]]) if len(below) else np.nan
    return (est, low, high)


def km_from_counts(part: pd.DataFrame, *, alpha: float) -> KaplanMeier:
    """Kaplan–Meier from engine rows ``_days, _event, _count``."""
    return kaplan_meier(
        part["_days"].to_numpy(dtype=float),
        part["_event"].astype(bool).to_numpy(),
        weights=part["_count"].to_numpy(dtype=float),
        alpha=alpha,
    )


def time_table(
    durations: pd.DataFrame,
    pairs: Sequence[tuple[int, int]],
    stages: Sequence[str],
    *,
    alpha: float,
    within_days: Sequence[int],
    curve_days: int,
    group_col: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[Any, KaplanMeier]]:
    """Summary per stage pair (and group): KM quantiles, converters-only median, curves."""
    rows, curves, kms = [], [], {}
    grid = np.arange(0, curve_days + 1)
    for p, (i, j) in enumerate(pairs):
        sub = durations[durations["_pair"] == p]
        groups = [(None, sub)] if not group_col else list(sub.groupby(group_col, sort=True))
        for gval, part in groups:
            km = km_from_counts(part, alpha=alpha)
            key = (p, gval) if group_col else p
            kms[key] = km
            med, mlo, mhi = discrete_quantile(km, 0.5)
            p75 = discrete_quantile(km, 0.75)
            p90 = discrete_quantile(km, 0.90)
            ev = part[part["_event"].astype(bool)]
            cmed, clo, chi = weighted_quantile_ci(
                ev["_days"].to_numpy(), ev["_count"].to_numpy(), 0.5, alpha=alpha
            )
            n_ev = int(ev["_count"].sum())
            cmean = float((ev["_days"] * ev["_count"]).sum() / n_ev) if n_ev else float("nan")
            row: dict[str, Any] = {
                "from_stage": stages[i],
                "to_stage": stages[j],
                "step": step_label(stages[i], stages[j]),
                "n": int(part["_count"].sum()),
                "events": n_ev,
                "median_days": med,
                "ci_low": mlo,
                "ci_high": mhi,
                "p75_days": p75[0],
                "p75_ci_low": p75[1],
                "p75_ci_high": p75[2],
                "p90_days": p90[0],
                "p90_ci_low": p90[1],
                "p90_ci_high": p90[2],
                "converters_median_days": cmed,
                "converters_median_ci_low": clo,
                "converters_median_ci_high": chi,
                "converters_mean_days": cmean,
            }
            for d in within_days:
                cum, lo, hi = _cum_ci(km, d)
                row[f"within_{d}d"] = cum
                row[f"within_{d}d_ci_low"] = lo
                row[f"within_{d}d_ci_high"] = hi
            if group_col:
                row = {"segment": gval, **row}
            rows.append(row)
            if km.n:
                cum, lo, hi = _cum_ci(km, grid)
                curves.append(
                    pd.DataFrame(
                        {
                            **({"segment": gval} if group_col else {}),
                            "from_stage": stages[i],
                            "to_stage": stages[j],
                            "step": step_label(stages[i], stages[j]),
                            "day": grid,
                            "converted": cum,
                            "ci_low": lo,
                            "ci_high": hi,
                        }
                    )
                )
    table = pd.DataFrame(rows)
    curve_df = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame()
    return table, curve_df, kms


def _cum_ci(km: KaplanMeier, t: Any) -> tuple[Any, Any, Any]:
    """1 − S(t) with its pointwise log(−log) interval; NaN beyond follow-up or for an empty
    curve."""
    if not km.n:
        nan = np.full(np.shape(np.atleast_1d(t)), np.nan)
        return (float("nan"),) * 3 if np.ndim(t) == 0 else (nan, nan, nan)
    return km.cumulative_ci_at(t)


# --------------------------------------------------------------------------- cohorts


def cohorts_table(
    counts: pd.DataFrame,
    stages: Sequence[str],
    *,
    horizon_days: int,
    grain: str,
    alpha: float,
) -> pd.DataFrame:
    """Long cohort matrix: one row per (cohort, stage k >= 1)."""
    rows = []
    counts = counts.sort_values("_cohort")
    for _, r in counts.iterrows():
        start = pd.Timestamp(r["_cohort"])
        label = start.strftime("%b %Y") if grain == "month" else f"w/c {start:%d %b %Y}"
        n = int(r["n"])
        for k in range(1, len(stages)):
            reached = int(r[f"reached_{k}"])
            mature = int(r[f"mature_{k}"])
            rows.append(
                {
                    "cohort": start,
                    "cohort_label": label,
                    "stage": stages[k],
                    "horizon_days": horizon_days,
                    "n": n,
                    "reached": reached,
                    "complete": mature == n,
                    "mature_share": mature / n if n else np.nan,
                }
            )
    df = pd.DataFrame(
        rows,
        columns=[
            "cohort",
            "cohort_label",
            "stage",
            "horizon_days",
            "n",
            "reached",
            "complete",
            "mature_share",
        ],
    )
    n = df["n"].to_numpy(dtype=float)
    x = df["reached"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["rate"] = np.where(n > 0, x / n, np.nan)
    lo, hi = wilson_interval(x, n, alpha=alpha)
    df["ci_low"] = np.asarray(lo, dtype=float)
    df["ci_high"] = np.asarray(hi, dtype=float)
    return df
