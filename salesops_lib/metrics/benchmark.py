"""Benchmarking reps, teams, regions and territories fairly, with intervals.

Leaderboards that rank raw numbers put a rep with 3 wins out of 3 deals on top and make a rep in
a weak territory look lazy. This module compares reps *fairly* and says *how sure* it is:

- every rate comes with an interval (Wilson for win rates, a ratio-estimator interval for the
  value win rate, exact Poisson for activity rates, Brookmeyer–Crowley for the censoring-aware
  median sales cycle);
- win rates are shrunk towards the company rate with an empirical-Bayes beta-binomial prior
  (:func:`salesops_lib.stats.shrinkage.shrink_rates`), so a rep with few deals is not ranked at an
  extreme;
- a funnel plot (rate against number of deals with 95% and 99.8% control limits) separates
  outliers (outside 99.8%) from possible ones and from noise, and each rep's rank comes with an
  interval;
- with ~25 reps compared at once, "clearly above/below" needs a multiplicity-aware bar
  (Bonferroni: 1 − (1 − certainty) / reps); reps between ``certainty`` and that bar are only
  "probably" above/below (a watch list);
- a rep is credited only with deals closed (created) and activities logged while employed;
  deals closed after their owner left are reported, not credited;
- internal benchmarks (median rep, top quartile) and external ones (``params/benchmarks``, each
  with its own definition and source, shown next to ours);
- quota attainment as a distribution (share of reps at ≥80/100/120%), ramp-adjusted for new hires;
- territory balance (leads, accounts and open pipeline per rep; coefficient of variation, Gini);
- recognition and coaching lists with the reason, the distance from the benchmark and the
  certainty.

All per-rep aggregation runs in the engine (Ibis group-bys over opportunities, activities, quotas
and leads); only the small per-rep table comes back to pandas.

Entry point: :func:`benchmark_reps` → :class:`BenchmarkResult`.

References
----------
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    *Statistics in Medicine* 24, 1185-1202.
Efron, B. & Morris, C. (1975). Data analysis using Stein's estimator and its generalizations.
    *JASA* 70, 311-319.
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53, 457-481.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.errors import ParamsError, SalesOpsError, SourceError
from salesops_lib.metrics import _benchmark_engine as E
from salesops_lib.metrics._benchmark_defs import BENCHMARK_KEYS, METRICS, MetricDef, load_benchmarks
from salesops_lib.metrics._benchmark_stats import (
    active_selling_days,
    classify_posterior,
    clear_level,
    coefficient_of_variation,
    gini,
    intervals_overlap,
    poisson_rate_interval,
    previous_window,
    prob_above,
    ramped_quota,
    ratio_interval_over_units,
    value_rate_interval,
)
from salesops_lib.stats.proportions import newcombe_diff_interval, wilson_interval
from salesops_lib.stats.survival import kaplan_meier

__all__ = [
    "BENCHMARK_KEYS",
    "FUNNEL_STATUS",
    "METRICS",
    "PARTS",
    "UNKNOWN_REP",
    "BenchmarkResult",
    "MetricDef",
    "TextBlock",
    "attainment_distribution",
    "benchmark_reps",
    "benchmark_table",
    "group_figures",
    "load_benchmarks",
    "recognition_lists",
    "territory_balance",
]

#: rep_id under which deals, activities and leads of owners missing from ``reps`` are grouped.
UNKNOWN_REP = "UNKNOWN"
_UNKNOWN_NAME = "Unknown rep"
_LEVELS = {"rep": "rep_id", "team": "team", "region": "region", "territory": "territory"}
_ACTIVITY_TYPES = ("call", "email", "meeting")
#: Funnel-plot status of a rep: outside the 99.8% limits is an outlier (about 1 chance in 20 that
#: any of 25 reps on the company rate lands there); between 95% and 99.8% only "possible".
FUNNEL_STATUS = {
    "above_998": "above 99.8% limit",
    "above_95": "possible: above 95% limit",
    "within": "within limits",
    "below_95": "possible: below 95% limit",
    "below_998": "below 99.8% limit",
}


# --------------------------------------------------------------------------------------------
# small utilities
# --------------------------------------------------------------------------------------------


def _resolve_source(source: Any, as_of: Any) -> Any:
    if all(hasattr(source, a) for a in ("table", "has_table", "as_of", "con")):
        return source
    from salesops_lib.data.sources import open_source

    return open_source(source, as_of=as_of)


def _to_date(value: Any, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        raise ParamsError(name, f"got {value!r}", expected="a date such as 2026-06-30") from None


def default_period(as_of: pd.Timestamp) -> tuple[dt.date, dt.date]:
    """Four quarters ending with the quarter of ``as_of``: (first day, ``as_of`` date)."""
    q_start = pd.Timestamp(as_of).to_period("Q").start_time
    start = (q_start - pd.DateOffset(months=9)).date()
    return start, pd.Timestamp(as_of).date()


def _div(a: Any, b: Any) -> Any:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / b, np.nan)


def _nan_to_none(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, pd.Timestamp | dt.date):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _records(df: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    return [{k: _nan_to_none(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def _km_median(cyc: pd.DataFrame, alpha: float) -> tuple[float, float, float, int]:
    if cyc.empty:
        return (np.nan, np.nan, np.nan, 0)
    km = kaplan_meier(
        cyc["duration"].to_numpy(float), cyc["event"].to_numpy(bool),
        weights=cyc["n"].to_numpy(float), alpha=alpha,
    )
    med, lo, hi = km.median()
    return (med, lo, hi, km.n)


# --------------------------------------------------------------------------------------------
# shrinkage / funnel / ranks: thin adapters over salesops_lib.stats.shrinkage
# --------------------------------------------------------------------------------------------


def _shrink(
    won: np.ndarray, closed: np.ndarray, *, alpha: float = 0.05
) -> tuple[pd.DataFrame, tuple[float, float]]:
    """Shrunk rates and credible intervals (empirical-Bayes beta-binomial); returns the frame
    (``shrunk_win_rate, shrunk_low, shrunk_high``) and the fitted prior ``(a, b)``."""
    from salesops_lib.stats.shrinkage import fit_beta_binomial, shrink_rates

    won = np.asarray(won, dtype=float)
    closed = np.asarray(closed, dtype=float)
    out = pd.DataFrame(
        {"shrunk_win_rate": np.nan, "shrunk_low": np.nan, "shrunk_high": np.nan},
        index=range(len(won)),
    )
    if (closed > 0).sum() < 2:
        return out, (np.nan, np.nan)
    # Method of moments (Kleinman 1973): closed form, and the prior mean is exactly the pooled
    # rate, so "above/below the company rate" and the shrinkage target are the same number.
    a, b = fit_beta_binomial(won, closed, method="mom")
    if not (np.isfinite(a) and np.isfinite(b)):
        return out, (np.nan, np.nan)
    sr = shrink_rates(won, closed, prior=(a, b), alpha=alpha)
    out["shrunk_win_rate"] = sr["shrunk_rate"].to_numpy(float)
    out["shrunk_low"] = sr["cred_low"].to_numpy(float)
    out["shrunk_high"] = sr["cred_high"].to_numpy(float)
    return out, (float(a), float(b))


def _funnel_limits(p0: float, n: np.ndarray) -> pd.DataFrame:
    """Exact control limits at each ``n``: ``n, lower_95, upper_95, lower_998, upper_998``."""
    from salesops_lib.stats.shrinkage import funnel_plot_limits

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
    from salesops_lib.stats.shrinkage import rank_intervals

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
# roster
# --------------------------------------------------------------------------------------------


def _roster(src: Any) -> pd.DataFrame:
    reps = src.table("reps")
    cols = [c for c in ("rep_id", "name", "team", "region", "territory", "role", "hired_at",
                        "left_at") if c in reps.columns]
    r = reps.select(cols).to_pandas()
    r["rep_id"] = r["rep_id"].astype(str)
    for c, default in (("name", None), ("team", "No team"), ("region", "No region"),
                       ("territory", "No territory")):
        if c not in r.columns:
            r[c] = default
        r[c] = r[c].astype(object).where(r[c].notna(), default)
    r["name"] = r["name"].where(r["name"].notna(), r["rep_id"])
    for c in ("hired_at", "left_at"):
        if c not in r.columns:
            r[c] = pd.NaT
        r[c] = pd.to_datetime(r[c])
    return r[["rep_id", "name", "team", "region", "territory", "hired_at", "left_at"]]


def _map_owner(df: pd.DataFrame, known: set[str], unknown: set[str]) -> pd.DataFrame:
    """Replace owners missing from ``reps`` by :data:`UNKNOWN_REP` (recording them)."""
    if df.empty:
        return df.assign(rep_id=pd.Series(dtype=object))
    owner = df["owner_id"].astype(object)
    miss = ~owner.isin(known)
    unknown.update(str(v) for v in owner[miss].dropna().unique())
    unknown.update(["(no owner)"] if owner[miss].isna().any() else [])
    return df.assign(rep_id=owner.where(~miss, UNKNOWN_REP).astype(str))


def _outside_employment(deals: pd.DataFrame, acts_outside: pd.DataFrame) -> dict[str, Any]:
    """Totals of deals (and activities) dated outside their owner's employment: not credited."""
    def tot(c: str) -> float:
        return float(deals[c].sum()) if c in deals.columns and len(deals) else 0.0

    out: dict[str, Any] = {
        "closed": int(tot("closed_outside")), "won": int(tot("won_outside")),
        "won_amount": tot("won_amount_outside"), "closed_amount": tot("closed_amount_outside"),
        "after_left": int(tot("after_left_outside")), "created": int(tot("created_outside")),
        "activities": int(acts_outside["n"].sum()) if len(acts_outside) else 0,
        "first_close": None, "last_close": None, "owners": [],
    }
    out["before_hire"] = out["closed"] - out["after_left"]
    if out["closed"]:
        d = deals[deals["closed_outside"] > 0]
        out["first_close"] = pd.Timestamp(d["first_outside"].min()).date()
        out["last_close"] = pd.Timestamp(d["last_outside"].max()).date()
        out["owners"] = sorted(d.groupby("rep_id")["closed_outside"].sum().astype(int).items())
    return out


def _outside_message(o: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str | None:
    """The banner sentence for deals closed outside their owner's employment (None if none)."""
    from salesops_lib.viz import format as F

    names = names or {}

    n = o["closed"]
    if not n and not o["created"] and not o["activities"]:
        return None
    parts = []
    if n:
        when = ("after their owner left" if o["after_left"] == n else
                "before their owner was hired" if o["after_left"] == 0 else
                "after their owner left or before they were hired")
        who = [f"{names[r]} ({r})" if names.get(r) and names[r] != r else str(r)
               for r, _ in o["owners"]]
        if len(who) == 1:
            owners = f"owner {who[0]}"
        else:
            owners = "owners " + ", ".join(
                f"{w}: {k:,}" for w, (_, k) in zip(who[:10], o["owners"][:10], strict=True)
            ) + (", …" if len(who) > 10 else "")
        parts.append(
            f"{n:,} deal{'s' if n != 1 else ''} closed {when}, worth "
            f"{F.fmt_money(o['won_amount'])} in won amount ({o['won']:,} of them won; {owners}; "
            f"closed {_fmt_date(o['first_close'])} – {_fmt_date(o['last_close'])}): not credited "
            "to any rep, and left out of rep, team and company figures."
        )
    extra = []
    if o["created"]:
        extra.append(f"{o['created']:,} deal(s) created")
    if o["activities"]:
        extra.append(f"{o['activities']:,} activit{'ies' if o['activities'] != 1 else 'y'} logged")
    if extra:
        parts.append(" and ".join(extra) + " outside their owner's employment are not credited "
                     "either.")
    parts.append("Reassign them in the CRM to the rep who did the work to credit that rep.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# parts of the analysis that the data may not support
# --------------------------------------------------------------------------------------------

#: Part of the analysis → (what it is called in the report, plural?).
PARTS: dict[str, tuple[str, bool]] = {
    "attainment": ("quota attainment", False),
    "activities": ("activity rates", True),
    "territory_balance": ("territory balance", False),
    "lead_assignment": ("lead assignment", False),
    "teams": ("figures by team", True),
    "regions": ("figures by region", True),
    "territories": ("figures by territory", True),
    "amounts": ("amount-based figures (win rate by value, average won deal, pipeline, "
                "velocity)", True),
    "win_rate_value": ("the win rate by value", False),
    "pipeline_generated": ("pipeline generated", False),
    "open_pipeline": ("open pipeline", False),
}
#: Columns of the rep and group tables that a part fills (set to NaN when it is not available).
_PART_COLUMNS: dict[str, tuple[str, ...]] = {
    "attainment": ("quota", "quota_adjusted", "quota_attainment", "won_amount_quota"),
    "activities": ("activities", "calls", "emails", "meetings", "activities_per_day",
                   "activities_ci_low", "activities_ci_high", "calls_per_day", "emails_per_day",
                   "meetings_per_day"),
    "amounts": ("won_amount", "closed_amount", "avg_won_amount", "avg_won_acv",
                "velocity_per_day", "win_rate_value", "value_ci_low", "value_ci_high",
                "pipeline_generated", "open_pipeline"),
    "win_rate_value": ("win_rate_value", "value_ci_low", "value_ci_high"),
    "pipeline_generated": ("pipeline_generated",),
    "open_pipeline": ("open_pipeline",),
}
#: Company figures a part fills.
_PART_COMPANY_KEYS: dict[str, tuple[str, ...]] = {
    "attainment": ("quota_attainment", "median_attainment", "share_at_quota"),
    "activities": ("activities_per_day", "activities_ci_low", "activities_ci_high",
                   "calls_per_day", "emails_per_day", "meetings_per_day"),
    "amounts": ("avg_won_amount", "avg_won_acv", "velocity_per_day", "win_rate_value",
                "pipeline_generated", "won_amount_outside_employment"),
    "win_rate_value": ("win_rate_value",),
    "pipeline_generated": ("pipeline_generated",),
}
#: Metric → the parts it needs (any of them missing: the metric is not available).
_METRIC_PARTS: dict[str, tuple[str, ...]] = {
    "activities_per_day": ("activities",), "calls_per_day": ("activities",),
    "emails_per_day": ("activities",), "meetings_per_day": ("activities",),
    "quota_attainment": ("attainment",), "share_at_quota": ("attainment",),
    "leads_per_rep": ("territory_balance",),
    "win_rate_value": ("win_rate_value", "amounts"),
    "pipeline_generated": ("pipeline_generated", "amounts"),
    "avg_won_amount": ("amounts",), "avg_won_acv": ("amounts",),
    "velocity_per_day": ("amounts",),
}
_TABLE_COLUMNS = {
    "quotas": "rep_id, period_start, period_end, amount",
    "activities": "activity_id, owner_id, type, occurred_at",
    "leads": "lead_id, created_at, owner_id, territory",
}


def _not_available(part: str, reason: str, note: str) -> dict[str, str]:
    return {"what": PARTS[part][0], "reason": reason, "note": note}


def _no_table(part: str, table: str) -> dict[str, str]:
    what, plural = PARTS[part]
    if table == "leads":  # one note for both parts that need leads
        what, plural = "territory balance and lead assignment", True
    return _not_available(
        part, f"no {table} table",
        f"This data has no `{table}` table, so {what} {'are' if plural else 'is'} not shown. "
        f"Add `{table}` ({_TABLE_COLUMNS[table]}; see the data model) to see "
        f"{'them' if plural else 'it'}.")


def _none_in_period(part: str, table: str, reason: str, period: str) -> dict[str, str]:
    what, plural = PARTS[part]
    if table == "leads":
        what, plural = "territory balance and lead assignment", True
    return _not_available(
        part, reason,
        f"The `{table}` table has rows, but {reason} ({period}), so {what} "
        f"{'are' if plural else 'is'} not shown.")


def _no_column(part: str, column: str) -> dict[str, str]:
    what, plural = PARTS[part]
    return _not_available(
        part, f"no {column} in the reps table",
        f"The `reps` table has no `{column}` column (or it is empty), so {what} "
        f"{'are' if plural else 'is'} not shown. Add `{column}` to `reps` to see "
        f"{'them' if plural else 'it'}.")


def _availability(
    src: Any,
    *,
    roster: pd.DataFrame,
    deal_sums: pd.DataFrame,
    pipe: pd.DataFrame,
    acts: pd.DataFrame,
    leads: pd.DataFrame,
    quotas: pd.DataFrame,
    period: str,
) -> dict[str, dict[str, str]]:
    """The parts of the analysis the data cannot support, each with a short ``reason`` and the
    ``note`` a report shows in place of the part. A missing table and a table with no rows for
    the period are told apart."""
    na: dict[str, dict[str, str]] = {}
    if not src.has_table("quotas"):
        na["attainment"] = _no_table("attainment", "quotas")
    elif quotas.empty:
        na["attainment"] = _none_in_period("attainment", "quotas", "no quotas cover this period",
                                           period)
    if not src.has_table("activities"):
        na["activities"] = _no_table("activities", "activities")
    elif acts.empty or int(acts["n"].sum()) == 0:
        na["activities"] = _none_in_period(
            "activities", "activities", "no activities were logged in this period", period)
    has_terr = bool((roster["territory"] != "No territory").any())
    if not src.has_table("leads"):
        na["territory_balance"] = _no_table("territory_balance", "leads")
        na["lead_assignment"] = _no_table("lead_assignment", "leads")
    elif leads.empty or int(leads["leads"].sum()) == 0:
        for part in ("territory_balance", "lead_assignment"):
            na[part] = _none_in_period(part, "leads", "no leads were created in this period",
                                       period)
    else:
        if not has_terr and leads["lead_territory"].isna().all():
            na["territory_balance"] = _not_available(
                "territory_balance", "no territory in the reps or leads table",
                "Neither `reps` nor `leads` has a `territory`, so territory balance is not shown. "
                "Add `territory` to `reps` (or to `leads`) to see it.")
        if "owner_id" not in src.table("leads").columns:
            na["lead_assignment"] = _not_available(
                "lead_assignment", "no owner_id in the leads table",
                "The `leads` table has no `owner_id` column, so lead assignment by rep is not "
                "shown. Add `owner_id` to `leads` to see it.")
    for part, col, default in (("teams", "team", "No team"), ("regions", "region", "No region"),
                               ("territories", "territory", "No territory")):
        if not (roster[col] != default).any():
            na[part] = _no_column(part, col)

    def tot(c: str) -> int:
        return int(deal_sums[c].sum()) if c in deal_sums.columns else 0

    won_amt, lost_amt = tot("won_with_amount"), tot("lost_with_amount")
    open_n = int(pipe["open_deals"].sum()) if len(pipe) else 0
    open_amt = int(pipe["open_with_amount"].sum()) if "open_with_amount" in pipe.columns else 0
    if tot("closed") + tot("created_not_won") + open_n > 0 and (
            won_amt + lost_amt + tot("created_not_won_with_amount") + open_amt == 0):
        na["amounts"] = _not_available(
            "amounts", "no deal has an amount",
            "No deal in `opportunities` has an amount, so amount-based figures (win rate by "
            "value, average won deal, pipeline generated, open pipeline, velocity) are not "
            "shown. Add `amount` to `opportunities` to see them.")
        return na
    if tot("lost") > 0 and lost_amt == 0:
        na["win_rate_value"] = _not_available(
            "win_rate_value", "lost deals have no amount",
            "Lost deals in `opportunities` have no amount (only won deals do), so the win rate "
            "by value is not shown: it needs the amount of the lost deals too.")
    if tot("created_not_won") > 0 and tot("created_not_won_with_amount") == 0:
        na["pipeline_generated"] = _not_available(
            "pipeline_generated", "open and lost deals have no amount",
            "Open and lost deals in `opportunities` have no amount, so pipeline generated (the "
            "amount of the deals created) is not shown: it would count won deals only.")
    if open_n > 0 and open_amt == 0:
        na["open_pipeline"] = _not_available(
            "open_pipeline", "open deals have no amount",
            "Open deals in `opportunities` have no amount, so open pipeline is not shown.")
    return na


def _blank_parts(df: pd.DataFrame, na: Mapping[str, Any]) -> pd.DataFrame:
    """Set the columns of parts that are not available to NaN (never a fake 0)."""
    cols = {c for part in na for c in _PART_COLUMNS.get(part, ()) if c in df.columns}
    if cols:
        df = df.copy()
        for c in cols:
            df[c] = np.nan
    return df


def _blank_company(company: dict[str, Any], na: Mapping[str, Any]) -> dict[str, Any]:
    keys = {k for part in na for k in _PART_COMPANY_KEYS.get(part, ())}
    lead_keys = {k for k in company if k.startswith("rep_leads") or k in ("unowned_leads",
                                                                           "unassigned")}
    bal_keys = {k for k in company if k.startswith(("leads_per_rep_", "accounts_per_rep_",
                                                    "open_pipeline_per_rep_",
                                                    "open_deals_per_rep_"))}
    if "territory_balance" in na:
        keys |= bal_keys
    if "lead_assignment" in na:
        keys |= lead_keys
    if "open_pipeline" in na or "amounts" in na:
        keys |= {k for k in bal_keys if k.startswith("open_pipeline")}
    return {k: (np.nan if k in keys else v) for k, v in company.items()}


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------

_REP_RESULT_COLUMNS = [
    "rep_id", "name", "team", "region", "territory", "active_days", "closed", "won", "win_rate",
    "ci_low", "ci_high", "shrunk_win_rate", "shrunk_low", "shrunk_high", "rank", "rank_low",
    "rank_high", "funnel_status", "won_amount", "win_rate_value", "value_ci_low",
    "value_ci_high", "avg_won_amount", "avg_won_acv", "cycle_median_days", "cycle_ci_low",
    "cycle_ci_high", "activities", "activities_per_day", "activities_ci_low",
    "activities_ci_high", "calls_per_day", "emails_per_day", "meetings_per_day", "opps_created",
    "pipeline_generated", "quota", "quota_adjusted", "quota_attainment", "ramping",
    "velocity_per_day", "small_sample",
]

_GROUP_RESULT_COLUMNS = [
    "n_reps", "fte_reps", "closed", "won", "win_rate", "ci_low", "ci_high", "shrunk_win_rate", "won_amount",
    "win_rate_value", "value_ci_low", "value_ci_high", "avg_won_amount", "cycle_median_days",
    "cycle_ci_low", "cycle_ci_high", "activities_per_day", "activities_ci_low",
    "activities_ci_high", "opps_created", "pipeline_generated", "quota_adjusted",
    "quota_attainment", "velocity_per_day",
]


@dataclass
class BenchmarkResult:
    """Everything :func:`benchmark_reps` computes, with report helpers.

    Attributes
    ----------
    reps
        One row per rep (plus an :data:`UNKNOWN_REP` row for deals of owners missing from
        ``reps``): counts, rates with intervals, shrunk win rate and credible interval, rank
        interval, funnel-plot status, cycle, activity, quota and velocity figures.
    teams, regions, territories
        The same figures by group (counts pooled, not averages of rep rates).
    benchmarks
        Our company figure next to internal (median rep, top-quartile rep) and external
        benchmarks, with both definitions.
    attainment
        Share of reps at or above each attainment threshold, with Wilson intervals.
    balance
        Territory workload and potential per FTE rep; ``status`` names over/underloaded ones.
    lead_assignment
        Leads per rep per active selling day, and the rep's ratio to its territory's mean.
    recognition, coaching
        One row per (rep, reason): metric, value, benchmark, difference, certainty, direction,
        reason. Win-rate rows only for reps *clearly* above/below the company rate, i.e. past
        ``clear_certainty`` (the per-rep ``certainty`` adjusted for the ``n_compared`` reps).
    watch
        Reps *probably* above/below the company win rate: past ``certainty`` but short of
        ``clear_certainty``. Not named as top performers or as needing support.
    uncredited
        Deals (and activities) dated outside their owner's employment (closed after the owner
        left or before they were hired): counts, won amount, close dates, owners. Not credited to
        any rep nor counted in team or company figures; reported in ``warnings``.
    funnel
        Control limits on a grid of deal counts (for the funnel plot).
    company
        Company-wide figures (win rate, cycle, attainment, …) as a dict.
    warnings
        Data-quality messages for the report banner (e.g. owners missing from ``reps``).
    not_available
        Parts of the analysis the data cannot support (a key of :data:`PARTS`: "attainment"
        without quotas, "activities" without activities, "territory_balance" and
        "lead_assignment" without leads, "teams"/"regions"/"territories" without that column in
        ``reps``, amount-based figures when deals carry no amount) → ``what``, a short
        ``reason`` and the ``note`` shown in place of the part. Their figures are NaN (never
        0), their frames empty, and they are left out of the summary and the cards.
    previous
        The same analysis for the previous period of the same length (see
        :func:`~salesops_lib.metrics._benchmark_stats.previous_window`), or None when it was
        not computed; :meth:`comparison` sets the card figures against it.
    """

    reps: pd.DataFrame
    teams: pd.DataFrame
    regions: pd.DataFrame
    territories: pd.DataFrame
    benchmarks: pd.DataFrame
    attainment: pd.DataFrame
    balance: pd.DataFrame
    lead_assignment: pd.DataFrame
    recognition: pd.DataFrame
    coaching: pd.DataFrame
    watch: pd.DataFrame
    funnel: pd.DataFrame
    company: dict[str, Any]
    period_start: dt.date
    period_end: dt.date
    as_of: pd.Timestamp
    level: str = "rep"
    min_closed: int = 30
    certainty: float = 0.95
    clear_certainty: float = 0.998
    n_compared: int = 0
    alpha: float = 0.05
    ramp_schedule: tuple[float, ...] = ()
    quota_basis: str = "full"
    attainment_thresholds: tuple[float, ...] = (0.8, 1.0, 1.2)
    overload_ratio: float = 1.5
    unknown_owners: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    has_acv: bool = False
    uncredited: dict[str, Any] = field(default_factory=dict)
    working_days: int = 0
    benchmarks_file: str | None = None
    not_available: dict[str, dict[str, str]] = field(default_factory=dict)
    previous: BenchmarkResult | None = None

    # ---------------------------------------------------------------- frames
    def to_frame(self, level: str | None = None) -> pd.DataFrame:
        """The figures at ``level`` ("rep", "team", "region", "territory"; default: ``.level``)."""
        lvl = level or self.level
        return {
            "rep": self.reps, "team": self.teams, "region": self.regions,
            "territory": self.territories,
        }[lvl].copy()

    @property
    def ranked_reps(self) -> pd.DataFrame:
        """Known reps with closed deals, sorted by shrunk win rate (best first)."""
        r = self.reps[(self.reps["rep_id"] != UNKNOWN_REP) & (self.reps["closed"] > 0)]
        return r.sort_values("shrunk_win_rate", ascending=False).reset_index(drop=True)

    # ---------------------------------------------------------------- availability
    def available(self, part: str) -> bool:
        """Whether the data support ``part`` (a key of :data:`PARTS`, e.g. ``"attainment"``)."""
        if part not in PARTS:
            raise ParamsError("part", f"got {part!r}", expected=", ".join(map(repr, PARTS)))
        return part not in self.not_available

    def _metric_available(self, metric: str) -> bool:
        return not any(p in self.not_available for p in _METRIC_PARTS.get(metric, ()))

    def missing_note(self, part: str) -> TextBlock | None:
        """The note shown in place of ``part`` when the data do not support it, else None."""
        self.available(part)  # validates the name
        d = self.not_available.get(part)
        return TextBlock(f"**Not available.** {d['note']}") if d else None

    def _missing_sentence(self) -> str | None:
        """One summary sentence naming the main parts left out and why."""
        main = ("attainment", "activities", "territory_balance", "amounts", "win_rate_value")
        groups: dict[str, list[str]] = {}
        for part in main:
            d = self.not_available.get(part)
            if d:
                groups.setdefault(d["reason"], []).append(d["what"])
        if not groups:
            return None
        items = [f"{_and_list(w)} ({reason})" for reason, w in groups.items()]
        return ("Not shown, for lack of data: " + _and_list(items)
                + "; the methods say what to add to see them.")

    # ---------------------------------------------------------------- words
    def summary(self) -> list[str]:
        """Three to five plain sentences with the findings, each number with its interval."""
        from salesops_lib.viz import format as F

        c = self.company
        out: list[str] = []
        e = self._external("win_rate")
        comp = ""
        if e is not None:
            diff = c["win_rate"] - e["benchmark"]
            inside = c["win_rate_ci_low"] <= e["benchmark"] <= c["win_rate_ci_high"]
            verdict = (
                "we cannot tell it apart from" if inside
                else ("above" if diff > 0 else "below")
            )
            comp = (
                f"; that is {verdict} the external benchmark of {F.fmt_pct(e['benchmark'])} "
                f"({e['benchmark_source_short']})"
            )
        if not c["closed"]:
            out.append(
                f"No deal closed between {_fmt_date(self.period_start)} and "
                f"{_fmt_date(self.period_end_eff)}, so there is no win rate to compare."
            )
        else:
            out.append(
                f"The team won {F.fmt_int(c['won'])} of {F.fmt_int(c['closed'])} deals closed "
                f"between {_fmt_date(self.period_start)} and {_fmt_date(self.period_end_eff)}, a "
                "win rate of "
                f"{F.fmt_pct_ci(c['win_rate'], c['win_rate_ci_low'], c['win_rate_ci_high'])}"
                f"{comp}."
            )
        rec = self.recognition[self.recognition["metric"] == "win_rate"]
        coach = self.coaching[self.coaching["metric"] == "win_rate"]
        watch = self.watch[self.watch["metric"] == "win_rate"] if len(self.watch) else self.watch
        parts = []
        if len(rec):
            verb = "wins" if rec["rep_id"].nunique() == 1 else "win"
            parts.append(
                _name_list(rec) + f" {verb} clearly more often than the company, allowing for the "
                f"number of reps compared"
            )
        if len(coach):
            verb = "wins" if coach["rep_id"].nunique() == 1 else "win"
            need = "needs" if coach["rep_id"].nunique() == 1 else "need"
            parts.append(_name_list(coach) + f" {verb} clearly less often and {need} support")
        watch_parts = []
        for side in ("above", "below"):
            w = watch[watch["direction"] == f"probably {side}"] if len(watch) else watch
            if len(w):
                one = w["rep_id"].nunique() == 1
                watch_parts.append(
                    _name_list(w) + f" {'is' if one else 'are'} probably {side} the company "
                    "rate, but not clearly (watch list)"
                )
        if parts and watch_parts:
            out_clear = "; ".join(parts) + "."
            parts = watch_parts
        else:
            out_clear = None
            parts += watch_parts
        n_rank = int(((self.reps["rep_id"] != UNKNOWN_REP) & (self.reps["closed"] > 0)).sum())
        n_named = rec["rep_id"].nunique() + coach["rep_id"].nunique() + (
            watch["rep_id"].nunique() if len(watch) else 0)
        n_rest = n_rank - n_named
        if self.n_compared < 2:
            if c["closed"]:
                out.append(
                    f"Only {self.n_compared} rep closed deals in the period, so reps cannot be "
                    "compared on win rate."
                )
        elif parts:
            rest = (
                f"; the other {n_rest} rep{'s' if n_rest != 1 else ''} cannot be told apart from "
                "the company rate once the number of deals is taken into account"
                if n_rest > 0 else ""
            )
            if out_clear:
                out.append(out_clear)
            text = "; ".join(parts) + rest + "."
            out.append(text[0].upper() + text[1:])
        else:
            out.append(
                "No rep's win rate differs from the company rate by more than chance allows: we "
                "cannot tell reps apart on win rate in this period."
            )
        att = self.attainment.set_index("threshold") if len(self.attainment) else None
        if att is not None and 1.0 in att.index and att.loc[1.0, "n_reps"] > 0:
            a100 = att.loc[1.0]
            extra = ""
            if 0.8 in att.index:
                extra = f"; {F.fmt_pct(att.loc[0.8, 'share'], 0)} reached at least 80%"
            out.append(
                f"{F.fmt_int(a100['n_at_or_above'])} of {F.fmt_int(a100['n_reps'])} reps with a quota "
                f"({F.fmt_pct(a100['share'], 0)}) reached 100% of their quota{extra}; "
                f"the median rep attained {F.fmt_pct(c['median_attainment'], 0)}."
            )
        over = self.balance[self.balance["status"] == "overloaded"]
        if not self.available("territory_balance") or self.balance.empty:
            pass
        elif len(over):
            o = over.iloc[0]
            out.append(
                f"Territory {o['territory']} is overloaded: {F.fmt_num(o['leads_per_rep'], 0)} new "
                f"leads per rep, {F.fmt_num(o['ratio_to_median'], 1)}× the median territory."
            )
        else:
            out.append(
                "No territory carries more than "
                f"{F.fmt_num(self.overload_ratio, 1)}× the median lead load per rep."
            )
        missing = self._missing_sentence()
        if missing:
            out.append(missing)
        if self.unknown_owners:
            out.insert(
                0,
                f"Data warning: {len(self.unknown_owners)} deal owner(s) are missing from the reps "
                "table; their deals are shown as 'Unknown rep' and counted in company totals.",
            )
        return out

    @property
    def period_end_eff(self) -> dt.date:
        return min(self.period_end, self.as_of.date())

    def cards(self) -> Any:
        """Key-number cards (company win rate, cycle, attainment, activity, balance)."""
        from salesops_lib.viz import format as F
        from salesops_lib.viz.html import Card, Cards

        c = self.company
        cards = []
        comp = self.comparison().set_index("metric")

        def delta(metric: str, value: float, low: float, high: float,
                  ext: pd.Series | None) -> dict[str, Any]:
            """The change against the previous period; the external comparison (if any) then
            moves to the detail line."""
            vs_ext = self._delta(metric, value, low, high, ext)
            if metric not in comp.index:
                return vs_ext
            row = comp.loc[metric]
            out = {"delta": row["delta_text"], "good": _none_if_na(row["good"])}
            if vs_ext:
                out["external"] = vs_ext["delta"]
            return out

        def card(label: str, value: str, detail: str, d: dict[str, Any]) -> Any:
            ext_text = d.pop("external", None)
            if ext_text:
                detail = f"{detail}; {ext_text}"
            return Card(label, value, detail=detail, **d)

        ext = self._external("win_rate")
        if c["closed"]:
            cards.append(card(
                "Win rate (by count)", F.fmt_pct(c["win_rate"]),
                f"{F.fmt_pct(c['win_rate_ci_low'])}–{F.fmt_pct(c['win_rate_ci_high'])}, "
                f"{F.fmt_int(c['closed'])} closed deals",
                delta("win_rate", c["win_rate"], c["win_rate_ci_low"],
                      c["win_rate_ci_high"], ext),
            ))
        ext = self._external("cycle_median_days")
        if not pd.isna(c["cycle_median_days"]):
            ci = (f"{F.fmt_num(c['cycle_ci_low'], 0)}–{F.fmt_num(c['cycle_ci_high'], 0)} days"
                  if not (pd.isna(c["cycle_ci_low"]) or pd.isna(c["cycle_ci_high"]))
                  else "interval not reached")
            cards.append(card(
                "Median sales cycle", F.fmt_days(c["cycle_median_days"]),
                f"{ci}; creation to close, won or lost",
                delta("cycle_median_days", c["cycle_median_days"], c["cycle_ci_low"],
                      c["cycle_ci_high"], ext),
            ))
        att = self.attainment.set_index("threshold")
        if 1.0 in att.index and att.loc[1.0, "n_reps"] > 0:
            a = att.loc[1.0]
            ext = self._external("share_at_quota")
            cards.append(card(
                "Reps at ≥100% of quota", F.fmt_pct(a["share"], 0),
                f"{F.fmt_int(a['n_at_or_above'])} of {F.fmt_int(a['n_reps'])} reps; "
                f"{F.fmt_pct(a['ci_low'], 0)}–{F.fmt_pct(a['ci_high'], 0)}",
                delta("share_at_quota", a["share"], a["ci_low"], a["ci_high"], ext),
            ))
        ext = self._external("activities_per_day")
        if self.available("activities") and not pd.isna(c["activities_per_day"]):
            ci = (f"{F.fmt_num(c['activities_ci_low'], 1)}–"
                  f"{F.fmt_num(c['activities_ci_high'], 1)} "
                  if not pd.isna(c["activities_ci_low"]) else "")
            cards.append(card(
                "Activities per rep per selling day", F.fmt_num(c["activities_per_day"], 1),
                f"{ci}(spread across {c.get('reps_active', 0)} reps); "
                f"{F.fmt_num(c.get('fte_reps', np.nan), 1)} full-time-equivalent reps",
                delta("activities_per_day", c["activities_per_day"],
                      c["activities_ci_low"], c["activities_ci_high"], ext),
            ))
        bal = self.balance.dropna(subset=["ratio_to_median"]) if len(self.balance) else None
        if self.available("territory_balance") and bal is not None and len(bal):
            top = bal.sort_values("ratio_to_median", ascending=False).iloc[0]
            n_over = int((self.balance["status"] == "overloaded").sum())
            cards.append(Card(
                "Lead load, busiest territory", f"{F.fmt_num(top['ratio_to_median'], 1)}×",
                detail=f"{top['territory']} gets {F.fmt_num(top['ratio_to_median'], 1)}× the "
                f"median leads per rep ({F.fmt_int(top['leads_per_rep'])} new leads per rep); "
                f"{n_over} territor{'y' if n_over == 1 else 'ies'} overloaded",
            ))
        # with parts missing, fill up to four cards with figures the data do support
        known = self.reps[self.reps["rep_id"] != UNKNOWN_REP]
        n_won_amt = int(self.reps["won_with_amount"].sum()) if "won_with_amount" in self.reps \
            else 0
        if len(cards) < 4 and n_won_amt and not pd.isna(c.get("avg_won_amount", np.nan)):
            cards.append(Card(
                "Average won deal", F.fmt_money(c["avg_won_amount"]),
                detail=f"mean of {F.fmt_int(n_won_amt)} won deals with an amount"))
        if len(cards) < 4 and len(known):
            idle = len(known) - self.n_compared
            cards.append(Card(
                "Reps compared on win rate", F.fmt_int(self.n_compared),
                detail=f"of {F.fmt_int(len(known))} reps"
                + (f"; {idle} closed no deal in the period" if idle > 0 else "")))
        return Cards(cards)

    def _at_quota(self) -> pd.Series | None:
        """The attainment row at 100% (None when attainment is not available or no rep has a
        quota)."""
        if not self.available("attainment") or self.attainment.empty:
            return None
        att = self.attainment.set_index("threshold")
        if 1.0 not in att.index or not att.loc[1.0, "n_reps"] > 0:
            return None
        return att.loc[1.0]

    @property
    def previous_label(self) -> str | None:
        """The previous period in words ("Oct 2024–Sep 2025"), None without one."""
        p = self.previous
        if p is None:
            return None
        return _period_label(p.period_start, p.period_end_eff)

    def comparison(self) -> pd.DataFrame:
        r"""The card figures against the previous period of the same length.

        One row per figure that both periods support (a figure is left out when the previous
        period has no data for it or the needed table is missing):

        - ``win_rate``, ``share_at_quota``: difference of two proportions in percentage points
          with Newcombe's hybrid score interval (method 10,
          :func:`~salesops_lib.stats.proportions.newcombe_diff_interval`); better or worse only
          when the interval excludes 0. For ``share_at_quota`` the two periods mostly share
          reps, so the independent-samples interval is conservative only approximately.
        - ``cycle_median_days`` (Kaplan–Meier medians, Brookmeyer–Crowley intervals) and
          ``activities_per_day`` (per-rep ratio intervals): better or worse only when the two
          95% intervals do not overlap (a conservative rule, Schenker & Gentleman 2001).

        Returns
        -------
        pandas.DataFrame
            ``metric, label, unit, better, current, current_low, current_high, previous,
            previous_low, previous_high, change, change_low, change_high, clear, good,
            delta_text``; ``change = current − previous``; ``clear`` is True when the change is
            more than chance by the rule above; ``good`` is True (better), False (worse) or
            None (within chance); ``delta_text`` is the card's text, e.g. ``"+4.2 pp vs Oct
            2024–Sep 2025 (31.0%)"`` with ", within chance" when not clear.
        """
        from salesops_lib.viz import format as F

        cols = ["metric", "label", "unit", "better", "current", "current_low", "current_high",
                "previous", "previous_low", "previous_high", "change", "change_low",
                "change_high", "clear", "good", "delta_text"]
        p = self.previous
        if p is None:
            return pd.DataFrame(columns=cols)
        c, pc = self.company, p.company
        label = self.previous_label
        rows: list[dict[str, Any]] = []

        def add(metric: str, cur: tuple[float, float, float], prev: tuple[float, float, float],
                change: tuple[float, float, float], clear: bool) -> None:
            better = METRICS[metric].better
            diff = change[0]
            good = (diff > 0 if better == "higher" else diff < 0) if clear and diff != 0 \
                else None
            unit = METRICS[metric].unit
            if unit == "share":
                text = f"{F.fmt_pp(diff)} vs {label} ({F.fmt_pct(prev[0])})"
            elif unit == "days":
                text = (f"{_signed(diff, 0)} days vs {label} "
                        f"({F.fmt_days(prev[0])})")
            else:
                text = f"{_signed(diff, 1)} vs {label} ({F.fmt_num(prev[0], 1)})"
            if good is None:
                text += ", within chance"
            rows.append({
                "metric": metric, "label": METRICS[metric].label, "unit": unit,
                "better": better, "current": cur[0], "current_low": cur[1],
                "current_high": cur[2], "previous": prev[0], "previous_low": prev[1],
                "previous_high": prev[2], "change": diff, "change_low": change[1],
                "change_high": change[2], "clear": bool(clear), "good": good,
                "delta_text": text,
            })

        def props(metric: str, x1: float, n1: float, x0: float, n0: float,
                  cur: tuple[float, float, float], prev: tuple[float, float, float]) -> None:
            d, lo, hi = newcombe_diff_interval(x1, n1, x0, n0, alpha=self.alpha)
            add(metric, cur, prev, (d, lo, hi), bool(lo > 0 or hi < 0))

        if c["closed"] and pc["closed"]:
            props("win_rate", c["won"], c["closed"], pc["won"], pc["closed"],
                  (c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"]),
                  (pc["win_rate"], pc["win_rate_ci_low"], pc["win_rate_ci_high"]))
        if not (pd.isna(c["cycle_median_days"]) or pd.isna(pc["cycle_median_days"])):
            cur = (c["cycle_median_days"], c["cycle_ci_low"], c["cycle_ci_high"])
            prev = (pc["cycle_median_days"], pc["cycle_ci_low"], pc["cycle_ci_high"])
            add("cycle_median_days", cur, prev, (cur[0] - prev[0], np.nan, np.nan),
                intervals_overlap(cur[1], cur[2], prev[1], prev[2]) is False)
        a, pa = self._at_quota(), p._at_quota()
        if a is not None and pa is not None:
            props("share_at_quota", a["n_at_or_above"], a["n_reps"], pa["n_at_or_above"],
                  pa["n_reps"], (a["share"], a["ci_low"], a["ci_high"]),
                  (pa["share"], pa["ci_low"], pa["ci_high"]))
        if (self.available("activities") and p.available("activities")
                and not pd.isna(c["activities_per_day"])
                and not pd.isna(pc["activities_per_day"])):
            cur = (c["activities_per_day"], c["activities_ci_low"], c["activities_ci_high"])
            prev = (pc["activities_per_day"], pc["activities_ci_low"],
                    pc["activities_ci_high"])
            add("activities_per_day", cur, prev, (cur[0] - prev[0], np.nan, np.nan),
                intervals_overlap(cur[1], cur[2], prev[1], prev[2]) is False)
        out = pd.DataFrame(rows, columns=cols)
        out["good"] = pd.Series([r["good"] for r in rows], index=out.index, dtype=object)
        return out

    def _external(self, metric: str) -> pd.Series | None:
        """The first external benchmark of ``metric`` that may be compared with ours: not a
        placeholder and declared like-for-like (``comparable``); None otherwise."""
        b = self.benchmarks
        ok = b["comparable"].astype(bool) if "comparable" in b.columns else True
        e = b[(b["metric"] == metric) & (b["kind"] == "external") & ok]
        return e.iloc[0] if len(e) else None

    @property
    def placeholder_note(self) -> str | None:
        """The banner text when external benchmarks are illustrative placeholders."""
        b = self.benchmarks
        ext = b[b["kind"] == "external"]
        if ext.empty or "placeholder" not in ext.columns or not ext["placeholder"].any():
            return None
        where = self.benchmarks_file or "the benchmarks file"
        n, k = len(ext), int(ext["placeholder"].sum())
        head = ("External benchmarks are illustrative placeholders" if k == n else
                f"{k} of {n} external benchmarks are illustrative placeholders")
        return (f"{head}: replace {where} with licensed figures. They are shown only in the "
                "benchmarks table, not in the summary or the cards.")

    def _delta(self, metric: str, value: float, low: float, high: float,
               ext: pd.Series | None) -> dict[str, Any]:
        from salesops_lib.viz import format as F

        if ext is None or pd.isna(value):
            return {}
        bm = float(ext["benchmark"])
        unit = METRICS[metric].unit
        diff = value - bm
        if unit == "share":
            text = f"{F.fmt_pp(diff)} vs external {F.fmt_pct(bm)}"
        elif unit == "days":
            text = f"{diff:+.0f} days vs external {bm:.0f}"
        else:
            text = f"{diff:+.1f} vs external {bm:.1f}"
        if not (pd.isna(low) or pd.isna(high)) and low <= bm <= high:
            return {"delta": text + " (we cannot tell)", "good": None}
        better = diff > 0 if METRICS[metric].better == "higher" else diff < 0
        return {"delta": text, "good": bool(better)}

    def banners(self) -> list[Any]:
        """Data-quality banners (empty when all checks passed)."""
        from salesops_lib.viz.html import Banner

        out = [Banner(w, level="warning", title="Data quality:") for w in self.warnings]
        note = self.placeholder_note
        if note:
            out.append(Banner(note, level="info", title="Benchmarks:"))
        return out

    def definitions(self) -> Any:
        """The methods & definitions appendix as a :class:`~salesops_lib.viz.html.Definitions`."""
        from salesops_lib.viz.html import Definitions

        keys = ["win_rate", "win_rate_value", "avg_won_amount"]
        keys += ["avg_won_acv"] if self.has_acv else []
        keys += ["cycle_median_days", "activities_per_day", "calls_per_day", "emails_per_day",
                 "meetings_per_day", "opps_created", "pipeline_generated", "quota_attainment",
                 "share_at_quota", "velocity_per_day", "leads_per_rep"]
        keys = [k for k in keys if self._metric_available(k)]
        rows = [{"term": METRICS[k].label, "definition": METRICS[k].definition,
                 "formula": METRICS[k].formula} for k in keys]
        if self.quota_basis == "adjusted":
            for row in rows:
                if row["term"] == METRICS["quota_attainment"].label:
                    row["definition"] = (
                        "Won amount in the period ÷ the rep's quota for the period as stored in "
                        "the source (already prorated to days employed and ramped for new "
                        "hires). Attainment is an observed ratio, not an estimate, so it has no "
                        "interval.")
                    row["formula"] = "Σ amount(won) ÷ Σ quota (rows prorated to the period)"
        ramp = ", ".join(f"{100 * r:.0f}%" for r in self.ramp_schedule) or "none"
        pct = f"{100 * (1 - self.alpha):g}%"
        rows += [
            {"term": "Period and as-of time", "definition": (
                "Deals closed, deals "
                + ("and leads " if "leads" in self.row_counts else "") + "created"
                + (" and activities logged" if "activities" in self.row_counts else "")
                + " from "
                f"{_fmt_date(self.period_start)} to {_fmt_date(self.period_end_eff)}; data as of "
                f"{self.as_of:%d %b %Y %H:%M} UTC. Rows: "
                + ", ".join(f"{k} {v:,}" for k, v in self.row_counts.items()) + ".")},
            *([] if not self.available("attainment") else [
            {"term": "Ramp schedule", "definition": (
                f"New hires carry {ramp} of their quota in tenure months 1, 2, 3, … and the full "
                "quota afterwards (parameter ramp_schedule); quotas are prorated to the days each "
                "rep was employed." if self.quota_basis == "full" else
                "Quotas are used as stored: the source already prorates them to days employed "
                "and lowers them for new hires' ramp (parameter quota_basis = adjusted). A quota "
                "row that straddles the period boundary is prorated by calendar days.")}]),
            {"term": "Credited to a rep", "definition": (
                "A rep is credited only with deals closed, deals created and activities logged "
                "while employed: on or after hired_at and on or before left_at. A deal still "
                "open when its owner left is censored at the leaving date in the sales-cycle "
                "median. Deals closed after their owner left (or before they were hired) are not "
                "credited to any rep and are left out of rep, team, region and company figures; "
                "they are counted in a banner instead: "
                + (f"this period {self.uncredited['closed']:,} deal(s), "
                   f"{self.uncredited['won']:,} won, worth "
                   f"{_money(self.uncredited['won_amount'])} in won amount."
                   if self.uncredited.get("closed") else "none this period."))},
            {"term": "Per rep (full-time equivalent)", "definition": (
                "Counts and amounts 'per rep' divide by full-time-equivalent reps, not heads: "
                "each rep counts as active selling days ÷ working days in the period "
                f"({self.working_days} working days; "
                f"{self.company.get('fte_reps', float('nan')):.1f} FTE reps this period), so a rep "
                "who left early or joined late counts in part. Internal medians and top "
                "quartiles use only reps with at least one selling day in the period; a rep's "
                "count is divided by the rep's own FTE share before taking the median.")},
            {"term": "Intervals", "definition": (
                f"Every interval is a {pct} interval: Wilson score for win rates and shares; a "
                "ratio-estimator (linearised) interval for the win rate by value; exact Poisson "
                "(Garwood) for one rep's activities per day; for a team, region or the company, "
                "activities per day treat the reps as the sample (days-weighted mean of rep "
                "rates with a cluster-robust standard error and a t distribution with reps − 1 "
                "degrees of freedom), because reps' activity levels differ far more than chance; "
                "Brookmeyer–Crowley for the median sales cycle.")},
            {"term": "Shrunk win rate", "definition": (
                "Empirical-Bayes estimate: a beta distribution is fitted to all reps' win/loss "
                "counts (beta-binomial model) and each rep's rate is the posterior mean, pulled "
                "towards the company rate the more, the fewer deals the rep closed. Its interval "
                "is the 95% posterior (credible) interval."),
             "formula": "(α + won) ÷ (α + β + closed)"},
            {"term": "Median rank (range)", "definition": (
                "The rep's median rank (1 = best) over draws of all reps' win rates from their "
                "posterior distributions, and the range of ranks the rep takes in 95% of the "
                "draws. Median ranks can tie or skip numbers; overlapping ranges mean the order "
                "between those reps is not settled.")},
            {"term": "Clearly / probably above or below", "definition": (
                f"For each of the {self.n_compared} reps with closed deals we compute the "
                "posterior probability that the true win rate is above the company rate. Looking "
                f"at {self.n_compared} reps at once, about {self.n_compared * (1 - self.certainty):.1f} "
                f"per side would pass a {_sure_bar(self.certainty)} bar by chance alone, so a rep "
                f"is called clearly above (below) only at {_sure_bar(self.clear_certainty)} or "
                f"more: 1 − (1 − {_sure_bar(self.certainty)}) ÷ {self.n_compared} (Bonferroni), "
                "which keeps the chance of calling any rep whose true rate equals the company "
                f"rate clearly above at about {_sure_bar(1 - self.certainty)} or less (and the "
                "same for clearly below). Reps between "
                f"{_sure_bar(self.certainty)} and {_sure_bar(self.clear_certainty)} are "
                "'probably' above (below): on the watch list, not named as top performers or as "
                "needing support, and not coloured in the charts."),
             "formula": f"clear if P(p > company) ≥ 1 − (1 − c) ÷ m, c = "
                        f"{_sure_bar(self.certainty)}, m = {self.n_compared}"},
            {"term": "Funnel plot", "definition": (
                "Each rep's win rate against the number of closed deals, with control limits "
                "around the company rate (Spiegelhalter 2005). A rep whose true rate is the "
                "company rate falls outside the 95% limits with probability 1 in 20, so among "
                f"{self.n_compared} reps about {0.05 * self.n_compared:.1f} land there by chance: "
                "reps between the 95% and 99.8% limits are only 'possible' outliers (grey labels). "
                "Outside the 99.8% limits (1 in 500 per rep, about "
                f"{0.002 * self.n_compared:.2f} expected by chance among {self.n_compared}) a rep "
                "is an outlier (coloured).")},
            {"term": "Recognition and coaching", "definition": (
                "A rep is listed for win rate only when clearly above (recognition) or below "
                "(coaching) the company rate (see above)"
                + (f"; for attainment when ramp-adjusted attainment is at least "
                   f"{100 * max(self.attainment_thresholds):.0f}% or below "
                   f"{100 * min(self.attainment_thresholds):.0f}% with at least "
                   f"{self.min_closed} closed deals" if self.available("attainment") else "")
                + ("; for activity when activities per day are below 75% of the median rep and "
                   "the interval lies below the median" if self.available("activities") else "")
                + ". Small samples therefore cannot top or bottom the list on luck.")},
            {"term": "External benchmarks", "definition": (
                "Each external figure keeps its publisher's definition, source and year. It is "
                "compared with ours in the summary and the cards only when it is a real figure "
                "(not marked placeholder: true in the benchmarks file) and declared "
                "like_for_like: true. Figures measured differently (another segment, won deals "
                "only, annual quota, …) are shown in the benchmarks table, flagged as not "
                "like-for-like with the difference stated.")},
            *([] if not self.available("territory_balance") else [
            {"term": "Territory balance", "definition": (
                "Leads created in the period, accounts and open pipeline at the as-of time per "
                "full-time-equivalent rep (active selling days ÷ working days in the period). A "
                f"territory is overloaded when its leads per rep are at least "
                f"{self.overload_ratio:g}× the median territory, underloaded at most "
                f"1/{self.overload_ratio:g}×. Coefficient of variation = standard deviation ÷ "
                "mean; Gini = mean absolute difference ÷ (2 × mean), 0 = perfectly even.")}]),
            {"term": "Small samples", "definition": (
                f"Reps with fewer than {self.min_closed} closed deals are marked (hollow markers, "
                "'n < " f"{self.min_closed}')."
            )},
        ]
        notes: dict[str, list[str]] = {}
        for d in self.not_available.values():
            notes.setdefault(d["note"], []).append(d["what"])
        for note, whats in notes.items():
            what = _and_list(whats)
            rows.append({"term": f"Not computed: {what}",
                         "definition": note.replace("`", "")})
        if self.unknown_owners:
            rows.append({"term": "Unknown reps", "definition": (
                "Deals, activities and leads of owners missing from the reps table ("
                + ", ".join(self.unknown_owners[:10])
                + (", …" if len(self.unknown_owners) > 10 else "")
                + ") are grouped as 'Unknown rep': counted in company totals, not ranked.")})
        return Definitions(rows)

    # ---------------------------------------------------------------- tables for the report
    def leaderboard_table(self) -> Any:
        """Formatted leaderboard (win rate with interval, shrunk rate, rank interval)."""
        from salesops_lib.viz import format as F
        from salesops_lib.viz.html import Table

        r = self.ranked_reps.copy()
        df = pd.DataFrame({
            "Rep": [n if n == k else f"{n} ({k})" for n, k in zip(r["name"], r["rep_id"],
                                                                 strict=True)],
            "Team": r["team"].str.replace("Team ", "", regex=False),
            "Closed deals": r["closed"],
            "Win rate (95% interval)": [F.fmt_pct_ci(a, b, c) for a, b, c in
                                        zip(r["win_rate"], r["ci_low"], r["ci_high"], strict=True)],
            "Shrunk win rate": [F.fmt_pct_ci(a, b, c) for a, b, c in
                                zip(r["shrunk_win_rate"], r["shrunk_low"], r["shrunk_high"], strict=True)],
            "Median rank (range)": [_fmt_rank(a, b, c) for a, b, c in
                                    zip(r["rank"], r["rank_low"], r["rank_high"], strict=True)],
            "Attainment": r["quota_attainment"],
            "Median cycle (days)": r["cycle_median_days"],
            "Activities / day": r["activities_per_day"],
            "Funnel plot": r["funnel_status"].str.replace("within limits", "within", regex=False)
            .str.replace(" limit", "", regex=False),
        })
        drop = [col for col, ok in (("Team", self.available("teams")),
                                    ("Attainment", self.available("attainment")),
                                    ("Activities / day", self.available("activities")),
                                    ("Median cycle (days)", r["cycle_median_days"].notna().any()))
                if not ok]
        df = df.drop(columns=drop)
        return Table(df, formats={"Attainment": "pct", "Median cycle (days)": "int",
                                  "Activities / day": "num", "Closed deals": "int"},
                     caption="Reps ordered by shrunk win rate. Median rank over posterior "
                     "draws (ties possible) with the range of ranks in 95% of draws: the range "
                     "shows how settled each position is. Funnel plot: 'possible' = between the "
                     "95% and 99.8% limits.")

    def group_table(self, level: str = "team") -> Any:
        """Formatted figures by team / region / territory."""
        from salesops_lib.viz import format as F
        from salesops_lib.viz.html import Table

        part = {"team": "teams", "region": "regions", "territory": "territories"}.get(level)
        if part and not self.available(part):
            return self.missing_note(part)
        g = self.to_frame(level)
        key = _LEVELS[level]
        df = pd.DataFrame({
            level.capitalize(): g[key],
            "Reps": g["n_reps"],
            "FTE reps": g["fte_reps"],
            "Closed": g["closed"],
            "Win rate": [F.fmt_pct_ci(a, b, c) for a, b, c in
                         zip(g["win_rate"], g["ci_low"], g["ci_high"], strict=True)],
            "By value": [F.fmt_pct_ci(a, b, c) for a, b, c in zip(
                g["win_rate_value"], g["value_ci_low"], g["value_ci_high"], strict=True)],
            "Avg won": g["avg_won_amount"],
            "Cycle (days)": g["cycle_median_days"],
            "Activities/day": g["activities_per_day"],
            "Attainment": g["quota_attainment"],
            "Velocity/day": g["velocity_per_day"],
        })
        df = df.drop(columns=[col for col, m in (
            ("By value", "win_rate_value"), ("Avg won", "avg_won_amount"),
            ("Activities/day", "activities_per_day"), ("Attainment", "quota_attainment"),
            ("Velocity/day", "velocity_per_day")) if not self._metric_available(m)])
        return Table(df, formats={"Avg won": _money_column_format(g["avg_won_amount"]),
                                  "Attainment": "pct",
                                  "Cycle (days)": "days", "Activities/day": "num",
                                  "Velocity/day": _money_column_format(g["velocity_per_day"]),
                                  "Closed": "int", "FTE reps": "num"},
                     caption="Reps: people with any record in the period; FTE reps: their "
                     "selling days ÷ working days. Rates pooled over the group's deals"
                     + ("; activities per rep per selling day" if self.available("activities")
                        else "")
                     + ("; velocity = open deals × win rate × average won deal ÷ cycle"
                        if self._metric_available("velocity_per_day") else "") + ".")

    def benchmark_table(self) -> Any:
        """Formatted internal benchmarks: our figure, the median rep and the top-quartile rep."""
        from salesops_lib.viz.html import Table

        b = self.benchmarks
        rows = []
        for m, g in b[b["kind"] != "external"].groupby("metric", sort=False):
            med = g.loc[g["kind"] == "internal median", "benchmark"]
            top = g.loc[g["kind"] == "internal top quartile", "benchmark"]
            per_fte = m in ("opps_created", "pipeline_generated", "velocity_per_day")
            rows.append({
                "Metric": METRICS[m].label + (" per FTE rep" if per_fte else ""),
                "Ours": _fmt_value(m, g["value"].iloc[0]),
                "Median rep": _fmt_value(m, med.iloc[0]) if len(med) else "—",
                "Top-quartile rep": _fmt_value(m, top.iloc[0]) if len(top) else "—",
                "Better": METRICS[m].better,
            })
        return Table(pd.DataFrame(rows), caption="Internal benchmarks (same definitions as "
                     "ours). Counts and amounts are per full-time-equivalent rep (selling days ÷ "
                     "working days), for us and for each rep; medians and quartiles over reps "
                     "with at least one selling day in the period. Top quartile = 75th "
                     "percentile of reps, or the 25th where lower is better; rate benchmarks use "
                     f"reps with at least {self.min_closed} closed deals.")

    def external_table(self) -> Any:
        """Formatted external benchmarks with their definition next to ours."""
        from salesops_lib.viz.html import Note, Table

        b = self.benchmarks[self.benchmarks["kind"] == "external"]
        if b.empty:
            return Note("No external benchmarks were given (parameter benchmarks_file).")
        def _lfl(row: pd.Series) -> str:
            v = row.get("like_for_like")
            diff = str(row.get("differences") or "").strip()
            if v is not None and not pd.isna(v) and bool(v):
                return "Yes"
            if v is not None and not pd.isna(v):
                return "No: " + diff if diff else "No"
            return "Not confirmed" + (f": {diff}" if diff else "")

        placeholder = (b["placeholder"].astype(bool) if "placeholder" in b.columns
                       else pd.Series(False, index=b.index))
        df = pd.DataFrame({
            "Metric": [METRICS[m].label for m in b["metric"]],
            "Ours": [_fmt_value(m, v) if self._metric_available(m) and not pd.isna(v)
                     else "not in this data"
                     for m, v in zip(b["metric"], b["value"], strict=True)],
            "External": [_fmt_value(m, v) + (" (placeholder)" if ph else "") for m, v, ph in
                         zip(b["metric"], b["benchmark"], placeholder, strict=True)],
            "Like for like?": [_lfl(row) for _, row in b.iterrows()],
            "Source (year)": b["benchmark_source"] + b["year"].map(
                lambda y: "" if pd.isna(y) else f" ({int(y)})"),
            "Their definition": b["benchmark_definition"],
            "Our definition": [METRICS[m].formula for m in b["metric"]],
        })
        cap = ("Compare only where the two definitions match ('Like for like?'); the full "
               "definition of ours is in the methods section.")
        if placeholder.any():
            cap = ("Figures marked (placeholder) are illustrative, not real benchmarks: they are "
                   "not compared with ours anywhere in this report. " + cap)
        return Table(df, caption=cap)

    def attainment_table(self) -> Any:
        from salesops_lib.viz import format as F
        from salesops_lib.viz.html import Table

        if not self.available("attainment"):
            return self.missing_note("attainment")
        a = self.attainment
        df = pd.DataFrame({
            "Attainment": [f"≥ {100 * t:.0f}%" for t in a["threshold"]],
            "Reps": a["n_at_or_above"],
            "Of": a["n_reps"],
            "Share (95% interval)": [F.fmt_pct_ci(s, lo, hi, 0) for s, lo, hi in zip(
                a["share"], a["ci_low"], a["ci_high"], strict=True)],
        })
        return Table(df)

    def balance_table(self) -> Any:
        from salesops_lib.viz import format as F
        from salesops_lib.viz.html import Table

        if not self.available("territory_balance"):
            return self.missing_note("territory_balance")
        b = self.balance
        df = pd.DataFrame({
            "Territory": b["territory"],
            "FTE reps": b["fte_reps"],
            "Leads": b["leads"],
            "Leads per rep": b["leads_per_rep"],
            "× median": b["ratio_to_median"],
            "Accounts per rep": b["accounts_per_rep"],
            "Open pipeline per rep": b["open_pipeline_per_rep"],
            "Status": b["status"],
        })
        df = df.drop(columns=[c for c in ("Accounts per rep", "Open pipeline per rep")
                              if df[c].isna().all()])
        c = self.company
        caption = None
        if not pd.isna(c.get("leads_per_rep_gini", np.nan)):
            caption = (f"Spread of leads per rep across territories: Gini "
                       f"{F.fmt_num(c['leads_per_rep_gini'], 2)}, coefficient of variation "
                       f"{F.fmt_num(c['leads_per_rep_cv'], 2)} (0 = perfectly even; see the "
                       "methods).")
        return Table(df, formats={"FTE reps": "num", "Leads": "int", "Leads per rep": "int",
                                  "× median": "num2", "Accounts per rep": "int",
                                  "Open pipeline per rep": _money_column_format(
                                      b["open_pipeline_per_rep"])},
                     caption=caption)

    def list_table(self, which: str = "recognition") -> Any:
        """Recognition, coaching or watch list as a formatted table (one row per rep and
        reason). ``which``: ``"recognition"``, ``"coaching"`` or ``"watch"``."""
        from salesops_lib.viz.html import Note, Table

        lists = {"recognition": self.recognition, "coaching": self.coaching, "watch": self.watch}
        if which not in lists:
            raise ParamsError("which", f"got {which!r}",
                              expected="'recognition', 'coaching' or 'watch'")
        df = lists[which]
        if df.empty:
            if which == "watch":
                return Note("No rep is in the grey zone: every rep is either clearly above or "
                            "below the company win rate, or cannot be told apart from it.")
            return Note("No rep qualifies: differences from the benchmarks are within what chance "
                        "allows for this period.")
        grouped = (
            df.assign(Rep=df["name"] + " (" + df["rep_id"] + ")")
            .groupby(["Rep", "team"], sort=False)["reason"]
            .agg(lambda r: " ".join(r))
            .reset_index()
            .rename(columns={"team": "Team", "reason": "Why (metric, distance from benchmark, how sure)"})
        )
        return Table(grouped)

    # ---------------------------------------------------------------- machine-readable
    def to_results(self) -> dict[str, Any]:
        """The ``results`` for ``NAME.json`` (JSON-safe: NaN → ``None``).

        Parts the data cannot support are ``None`` (``attainment``, ``territory_balance``,
        ``teams``, ``regions``, ``territories``) or have ``None`` figures, never 0, and
        ``not_available`` says why (part → ``what``, ``reason``, ``note``)."""
        rep_cols = ["rep_id", "name", "team", "region", "territory", "closed", "won", "win_rate",
                    "ci_low", "ci_high", "shrunk_win_rate", "shrunk_low", "shrunk_high", "rank",
                    "rank_low", "rank_high", "funnel_status", "won_amount", "avg_won_amount",
                    "avg_won_acv", "win_rate_value", "cycle_median_days", "activities_per_day",
                    "calls_per_day", "emails_per_day", "meetings_per_day", "opps_created",
                    "pipeline_generated", "quota_adjusted", "quota_attainment",
                    "velocity_per_day", "small_sample"]
        grp_cols = ["n_reps", *_GROUP_RESULT_COLUMNS[1:]]

        def part(name: str, value: Any) -> Any:
            return None if name in self.not_available else value

        return {
            "period": {"start": self.period_start.isoformat(),
                       "end": self.period_end_eff.isoformat(),
                       "as_of": self.as_of.isoformat()},
            "company": {k: _nan_to_none(v) for k, v in self.company.items()},
            "reps": _records(self.reps, rep_cols),
            "teams": part("teams", _records(self.teams, ["team", *grp_cols])),
            "regions": part("regions", _records(self.regions, ["region", *grp_cols])),
            "territories": part("territories",
                                _records(self.territories, ["territory", *grp_cols])),
            "benchmarks": _records(self.benchmarks, [
                "metric", "value", "benchmark", "benchmark_source", "kind", "year", "unit",
                "benchmark_definition", "kit_definition", "placeholder", "like_for_like",
                "differences", "comparable"]),
            "attainment": part("attainment", _records(self.attainment)),
            "territory_balance": part("territory_balance", _records(self.balance)),
            "recognition": _records(self.recognition),
            "coaching": _records(self.coaching),
            "watch": _records(self.watch),
            "multiplicity": {"per_rep_certainty": self.certainty,
                             "clear_certainty": self.clear_certainty,
                             "reps_compared": self.n_compared, "method": "bonferroni"},
            "uncredited_deals": {k: (_nan_to_none(v) if k != "owners" else
                                     [{"rep_id": r, "closed": int(n)} for r, n in v])
                                 for k, v in self.uncredited.items()},
            "unknown_owners": list(self.unknown_owners),
            "warnings": list(self.warnings),
            "notes": [self.placeholder_note] if self.placeholder_note else [],
            "not_available": {k: dict(v) for k, v in self.not_available.items()},
            "previous_period": None if self.previous is None else {
                "start": self.previous.period_start.isoformat(),
                "end": self.previous.period_end_eff.isoformat(),
                "as_of": self.previous.as_of.isoformat()},
            "company_previous": None if self.previous is None else {
                k: _nan_to_none(v) for k, v in self.previous.company.items()},
            "comparison": _records(self.comparison()),
        }

    def _repr_html_(self) -> str:
        from salesops_lib.viz.html import Summary

        return Summary(self.summary())._repr_html_() + self.leaderboard_table()._repr_html_()

    def plot(self, kind: str = "leaderboard", ax: Any = None, **kwargs: Any) -> Any:
        """Draw one of the charts: ``"leaderboard"``, ``"funnel"``, ``"attainment"``,
        ``"balance"``. Returns the Axes."""
        from salesops_lib.viz import benchmark as V

        if kind == "leaderboard":
            kwargs.setdefault("title", self.headline("leaderboard"))
            kwargs.setdefault("above", list(
                self.recognition.loc[self.recognition["metric"] == "win_rate", "rep_id"]))
            kwargs.setdefault("below", list(
                self.coaching.loc[self.coaching["metric"] == "win_rate", "rep_id"]))
            if len(self.watch):
                w = self.watch[self.watch["metric"] == "win_rate"]
                kwargs.setdefault("watch", dict(zip(w["rep_id"], w["direction"], strict=True)))
            return V.plot_leaderboard(self.ranked_reps,
                                      company_rate=self.company["reference_win_rate"],
                                      small_n=self.min_closed, ax=ax, **kwargs)
        if kind == "funnel":
            kwargs.setdefault("title", self.headline("funnel"))
            return V.plot_funnel(self.ranked_reps, self.funnel, p0=self.company["reference_win_rate"],
                                 small_n=self.min_closed, ax=ax, **kwargs)
        need = {"attainment": "attainment", "balance": "territory_balance"}.get(kind)
        if need and not self.available(need):
            raise SalesOpsError(self.not_available[need]["note"].replace("`", ""),
                                fix=f"check res.available({need!r}) before plotting")
        if kind == "attainment":
            kwargs.setdefault("title", self.headline("attainment"))
            return V.plot_attainment(self.reps[self.reps["quota_adjusted"] > 0],
                                     thresholds=self.attainment_thresholds, ax=ax, **kwargs)
        if kind == "balance":
            kwargs.setdefault("title", self.headline("balance"))
            return V.plot_territory_balance(self.balance, ax=ax, **kwargs)
        raise ParamsError("kind", f"got {kind!r}",
                          expected="'leaderboard', 'funnel', 'attainment' or 'balance'")

    def intro(self, section: str) -> TextBlock:
        """The paragraph that opens a report section, worded for this data (the number of reps
        compared; what is left out), or the note that replaces a section the data cannot
        support. ``section``: ``"leaderboard"``, ``"funnel"``, ``"recognition"``,
        ``"attainment"``, ``"balance"``."""
        m = self.n_compared
        if section in ("leaderboard", "funnel") and m < 2:
            return TextBlock(
                f"{'Only one rep' if m == 1 else 'No rep'} closed deals in the period, so there "
                "is no one to compare with.")
        if section == "leaderboard":
            return TextBlock(
                "Each line is a rep's win rate with its 95% interval; the black tick is the "
                "*shrunk* estimate, which pulls reps with few deals towards the company rate so "
                "that a lucky 3-out-of-3 does not top the list. With "
                f"{m} reps compared at once, some look different by chance alone, so a rep is "
                "coloured only when *clearly* above (blue) or below (orange) the company rate by "
                "the stricter bar in the methods; reps marked \"probably above/below\" are worth "
                "watching but not yet singled out. Hollow dots: fewer than "
                f"{self.min_closed} closed deals.")
        if section == "funnel":
            chance = (f"so about {0.05 * m:.1f} of the {m} reps compared do" if m >= 10 else
                      f"so with {m} reps compared, the chance that at least one does is "
                      f"{100 * (1 - 0.95 ** m):.0f}%")
            return TextBlock(
                "Win rate against the number of closed deals. The funnel narrows as deals "
                "accumulate: a rep on the company rate lands outside the dashed lines by chance "
                f"about 1 time in 20 ({chance}), "
                "outside the solid lines about 1 time in 500. Only reps outside the solid lines "
                "are coloured; those between the lines are labelled \"possible\".")
        if section == "recognition":
            extra = (", or reached the attainment thresholds on a meaningful number of deals"
                     if self.available("attainment") else "")
            act = (" or log clearly fewer activities than the median rep"
                   if self.available("activities") else "")
            return TextBlock(
                "Reps listed here are clearly above or below the company win rate (after "
                f"allowing for the {m} reps compared){extra}{act}. Each row says which metric, "
                "how far from the benchmark, and how sure we are.")
        if section == "attainment":
            return self.missing_note("attainment") or TextBlock(
                "Not only the average: how many reps reached "
                + _and_list([f"{100 * t:.0f}%" for t in sorted(self.attainment_thresholds)])
                + " of their adjusted quota.")
        if section == "balance":
            return self.missing_note("territory_balance") or TextBlock(
                "New leads per full-time-equivalent rep by territory. A territory far above the "
                "median stretches its reps (and inflates their attainment); one far below leaves "
                "capacity unused.")
        raise ParamsError("section", f"got {section!r}", expected="'leaderboard', 'funnel', "
                          "'recognition', 'attainment' or 'balance'")

    def headline(self, kind: str) -> str:
        """A chart title that states the finding."""
        from salesops_lib.viz import format as F

        if kind == "leaderboard":
            rec, coach = self.recognition, self.coaching
            n_r = rec[rec["metric"] == "win_rate"]["rep_id"].nunique()
            n_c = coach[coach["metric"] == "win_rate"]["rep_id"].nunique()
            if n_r + n_c == 0:
                return "Rep win rates overlap: no rep stands out once sample size is counted"
            return (f"{n_r} rep{'s' if n_r != 1 else ''} clearly above and {n_c} clearly below "
                    "the company win rate")
        if kind == "funnel":
            st = self.ranked_reps["funnel_status"]
            n_up = int((st == FUNNEL_STATUS["above_998"]).sum())
            n_down = int((st == FUNNEL_STATUS["below_998"]).sum())
            n_pos = int(st.str.startswith("possible").sum())
            possible = (f"; {n_pos} more possible (between the 95% and 99.8% limits)"
                        if n_pos else "")
            if n_up + n_down == 0:
                return "No rep lies outside the 99.8% limits" + possible
            sides = ", ".join(t for t in (f"{n_up} above" if n_up else "",
                                          f"{n_down} below" if n_down else "") if t)
            n_out = n_up + n_down
            return (f"{n_out} rep{'s' if n_out != 1 else ''} outside the 99.8% limits ({sides})"
                    + possible)
        if kind == "attainment":
            a = self.attainment.set_index("threshold")
            if 1.0 in a.index:
                return (f"{F.fmt_pct(a.loc[1.0, 'share'], 0)} of reps reached quota; median "
                        f"attainment {F.fmt_pct(self.company['median_attainment'], 0)}")
            return "Quota attainment by rep"
        if kind == "balance":
            over = self.balance[self.balance["status"] == "overloaded"]
            if len(over):
                o = over.iloc[0]
                return (f"{o['territory']} carries {F.fmt_num(o['ratio_to_median'], 1)}× the "
                        "median lead load per rep")
            return "Lead load per rep is balanced across territories"
        raise ParamsError("kind", f"got {kind!r}",
                          expected="'leaderboard', 'funnel', 'attainment' or 'balance'")


@dataclass
class TextBlock:
    """A paragraph of Markdown for a notebook or report (``_repr_markdown_``), e.g. a section's
    opening words or the note that replaces a section the data cannot support."""

    text: str

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def _period_label(start: dt.date, end: dt.date) -> str:
    """"Oct 2024–Sep 2025" for whole months, "15 Oct 2024–14 Oct 2025" otherwise."""
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole:
        return f"{start:%b %Y}" if (start.year, start.month) == (end.year, end.month) else \
            f"{start:%b %Y}–{end:%b %Y}"
    return f"{_fmt_date(start)}–{_fmt_date(end)}"


def _signed(x: float, digits: int) -> str:
    """``+3``, ``−3`` (true minus) or ``±0`` when ``x`` rounds to zero."""
    if round(x, digits) == 0:
        return "±" + f"{0:.{digits}f}"
    return f"{x:+,.{digits}f}".replace("-", "\u2212")


def _none_if_na(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else bool(v)


def _money(x: float) -> str:
    from salesops_lib.viz import format as F

    return F.fmt_money(x)


def _money_column_format(values: Any) -> Callable[[Any], str]:
    """One money format for a whole table column.

    Compact millions (``"$0.82M"``) for every value when any value is a million or more,
    else whole dollars with thousands separators (``"$815,171"``), so a column never mixes
    ``"$1.77M"`` with ``"$815,171"``.
    """
    from salesops_lib.viz import format as F

    v = pd.to_numeric(pd.Series(values), errors="coerce").abs()
    compact = bool((v >= 1e6).any())

    def fmt(x: Any) -> str:
        if F.is_missing(x):
            return F.MISSING
        if not compact:
            return F.fmt_money(x, compact=False)
        sign = F.MINUS if float(x) < 0 else ""
        return f"{sign}${abs(float(x)) / 1e6:.2f}M"

    return fmt


def _fmt_rank(r: float, lo: float, hi: float) -> str:
    if pd.isna(r):
        return "—"
    if pd.isna(lo) or pd.isna(hi):
        return f"{r:.0f}"
    return f"{r:.0f} ({lo:.0f}–{hi:.0f})"


def _fmt_value(metric: str, v: float) -> str:
    from salesops_lib.viz import format as F

    unit = METRICS[metric].unit if metric in METRICS else ""
    if unit == "share":
        return F.fmt_pct(v)
    if unit == "money":
        return F.fmt_money(v)
    if unit == "money_per_day":
        return F.fmt_money(v) + "/day"
    if unit == "days":
        return F.fmt_days(v)
    if unit == "per_day":
        return F.fmt_num(v, 1) + "/day"
    return F.fmt_num(v, 0)


def _name_list(df: pd.DataFrame) -> str:
    names = [f"{n} ({r})" for n, r in zip(df["name"], df["rep_id"], strict=True)]
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


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
    sample (:func:`~salesops_lib.metrics._benchmark_stats.ratio_interval_over_units`: days-weighted
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
    sums = ["closed", "won", "lost", "closed_amount", "won_amount", "won_with_amount", "won_sq",
            "lost_sq", "won_acv", "opps_created", "pipeline_generated", "activities", "open_deals",
            "active_days", "quota_adjusted", "won_amount_quota", "calls", "emails", "meetings"]
    g = reps.groupby(by, dropna=False)[sums].sum().reset_index()
    g["n_reps"] = reps.groupby(by, dropna=False)["rep_id"].nunique().to_numpy()
    g["fte_reps"] = g["active_days"] / working_days if working_days else np.nan
    g = _rate_columns(g, alpha=alpha)
    # activities per day: reps are the unit (their rates differ far more than Poisson noise), so
    # the group's interval comes from the spread of its reps, not from the pooled count
    act_ci = {k: ratio_interval_over_units(d["activities"], d["active_days"], alpha=alpha)
              for k, d in reps.groupby(by, dropna=False)}
    g["activities_ci_low"] = [act_ci.get(k, (np.nan,) * 3)[1] for k in g[by]]
    g["activities_ci_high"] = [act_ci.get(k, (np.nan,) * 3)[2] for k in g[by]]
    shr, _ = _shrink(g["won"].to_numpy(float), g["closed"].to_numpy(float), alpha=alpha) if len(g) >= 3 else (
        pd.DataFrame({"shrunk_win_rate": g["win_rate"], "shrunk_low": g["ci_low"],
                      "shrunk_high": g["ci_high"]}), None)
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
    r, vlo, vhi = value_rate_interval(d["won_amount"], d["closed_amount"], d["won_sq"],
                                      d["lost_sq"], alpha=alpha)
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
        rows.append({"threshold": float(t), "n_at_or_above": k, "n_reps": n,
                     "share": k / n if n else np.nan, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def benchmark_table(
    reps: pd.DataFrame,
    company: Mapping[str, float],
    external: pd.DataFrame,
    *,
    min_closed: int = 30,
    working_days: int | None = None,
) -> pd.DataFrame:
    r"""Our company figures next to internal and external benchmarks.

    Internal benchmarks are taken over known reps with at least one active selling day in the
    period: the median rep and the top-quartile rep (75th percentile; 25th for metrics where
    lower is better). Rate benchmarks use reps with at least ``min_closed`` closed deals so that a
    lucky small sample does not set the bar.

    Counts and amounts "per rep" (deals created, pipeline generated, velocity) are per
    *full-time-equivalent* rep, so that a rep who left early or joined late is neither a whole
    head nor a low performer:

    .. math:: \mathrm{FTE}_i = d_i / W, \qquad
        \text{ours} = \frac{\sum_i x_i}{\sum_i \mathrm{FTE}_i}, \qquad
        \text{rep value} = x_i / \mathrm{FTE}_i

    with :math:`d_i` the rep's active selling days and :math:`W` = ``working_days`` in the period
    (default: the most active days of any rep).

    Returns
    -------
    pandas.DataFrame
        ``metric, value, benchmark, kind ("internal median", "internal top quartile",
        "external"), benchmark_source, benchmark_source_short, year, unit, benchmark_definition,
        kit_definition, better, placeholder, like_for_like, differences, comparable`` —
        ``comparable`` is True only for external entries that are not placeholders and are
        declared like-for-like (the only ones the summary and cards compare against).
    """
    known = reps[reps["rep_id"] != UNKNOWN_REP]
    active = known[known["active_days"] > 0].copy()
    rows = []
    internal = ["win_rate", "win_rate_value", "avg_won_amount", "cycle_median_days",
                "activities_per_day", "opps_created", "pipeline_generated", "quota_attainment",
                "velocity_per_day"]
    per_fte = ("opps_created", "pipeline_generated", "velocity_per_day")
    w = float(working_days) if working_days else float(active["active_days"].max() or 1)
    active["_fte"] = active["active_days"] / max(w, 1.0)
    total_fte = float(active["_fte"].sum())
    per_rep = {m: (company.get(m, np.nan) / total_fte if total_fte > 0 else np.nan)
               for m in per_fte}
    for m in internal:
        md = METRICS[m]
        vals = active
        if m in ("win_rate", "win_rate_value", "avg_won_amount", "velocity_per_day"):
            vals = active[active["closed"] >= min_closed]
        if m == "quota_attainment":
            vals = active[active["quota_adjusted"] > 0]
        v = vals[m].astype(float)
        if m in per_fte:
            v = v / vals["_fte"]
        v = v.dropna()
        if v.empty:
            continue
        top_q = 0.25 if md.better == "lower" else 0.75
        unit_txt = " (per FTE rep)" if m in per_fte else ""
        for kind, val, src in (
            ("internal median", float(v.median()), f"median of {len(v)} reps{unit_txt}"),
            ("internal top quartile", float(v.quantile(top_q)),
             f"top-quartile rep ({'25th' if md.better == 'lower' else '75th'} percentile of "
             f"{len(v)} reps){unit_txt}"),
        ):
            rows.append({"metric": m, "value": per_rep.get(m, company.get(m, np.nan)),
                         "benchmark": val,
                         "kind": kind, "benchmark_source": f"internal: {src}",
                         "benchmark_source_short": "internal", "year": np.nan,
                         "unit": md.unit, "benchmark_definition": md.definition,
                         "kit_definition": md.definition, "better": md.better,
                         "placeholder": False, "like_for_like": True, "differences": "",
                         "comparable": True})
    for e in external.itertuples(index=False):
        md = METRICS[e.metric]
        short = str(e.source).split(":")[0].strip()
        placeholder = bool(getattr(e, "placeholder", False))
        lfl = getattr(e, "like_for_like", None)
        lfl = None if lfl is None or (isinstance(lfl, float) and math.isnan(lfl)) else bool(lfl)
        rows.append({"metric": e.metric, "value": company.get(e.metric, np.nan),
                     "benchmark": float(e.value), "kind": "external",
                     "benchmark_source": str(e.source), "benchmark_source_short": short,
                     "year": e.year, "unit": e.unit, "benchmark_definition": e.definition,
                     "kit_definition": md.definition, "better": md.better,
                     "placeholder": placeholder, "like_for_like": lfl,
                     "differences": str(getattr(e, "differences", "") or ""),
                     "comparable": (not placeholder) and lfl is True})
    cols = ["metric", "value", "benchmark", "kind", "benchmark_source", "benchmark_source_short",
            "year", "unit", "benchmark_definition", "kit_definition", "better", "placeholder",
            "like_for_like", "differences", "comparable"]
    return pd.DataFrame(rows, columns=cols)


def territory_balance(
    reps: pd.DataFrame,
    leads: pd.DataFrame,
    *,
    accounts: pd.DataFrame | None = None,
    working_days: int,
    overload_ratio: float = 1.5,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Workload and potential per rep by territory, and lead-assignment balance by rep.

    Parameters
    ----------
    reps
        Per-rep table with ``rep_id, territory, active_days, open_deals, open_pipeline``.
    leads
        Lead counts with ``rep_id`` (owner), ``lead_territory`` and ``leads``. A lead counts for
        its own territory when it has one, else for its owner's.
    accounts
        Accounts per territory (``territory, accounts``), optional.
    working_days
        Working days in the period (to turn active days into full-time-equivalent reps).
    overload_ratio
        Territories with leads per rep ≥ ``overload_ratio`` × the median territory are
        "overloaded", ≤ 1/``overload_ratio`` × "underloaded".

    Returns
    -------
    (balance, lead_assignment, dispersion)
        ``balance``: one row per territory (``fte_reps, leads, leads_per_rep, ratio_to_median,
        accounts, accounts_per_rep, open_deals_per_rep, open_pipeline_per_rep, status``), sorted
        by leads per rep. ``lead_assignment``: one row per rep (``leads, leads_per_day,
        ratio_to_territory``). ``dispersion``: coefficient of variation and Gini of each per-rep
        figure across territories, and of leads per day across reps.
    """
    known = reps[reps["rep_id"] != UNKNOWN_REP]
    terr_of = dict(zip(known["rep_id"], known["territory"], strict=True))
    ld = leads.copy()
    if ld.empty:
        ld = pd.DataFrame({"rep_id": [], "lead_territory": [], "leads": []})
    ld["territory"] = ld["lead_territory"].where(
        ld["lead_territory"].notna(), ld["rep_id"].map(terr_of)
    ).fillna("No territory")
    fte = known.groupby("territory")["active_days"].sum() / max(working_days, 1)
    pipe = known.groupby("territory")[["open_deals", "open_pipeline"]].sum()
    bal = pd.DataFrame({"fte_reps": fte})
    bal["n_reps"] = known[known["active_days"] > 0].groupby("territory")["rep_id"].nunique()
    bal["leads"] = ld.groupby("territory")["leads"].sum()
    bal = bal.join(pipe, how="outer")
    if accounts is not None and not accounts.empty:
        bal["accounts"] = accounts.set_index("territory")["accounts"]
    else:
        bal["accounts"] = np.nan
    bal = bal.reset_index().rename(columns={"index": "territory"})
    bal["n_reps"] = bal["n_reps"].fillna(0).astype(int)
    for c in ("leads", "open_deals", "open_pipeline"):
        bal[c] = bal[c].fillna(0)
    bal["fte_reps"] = bal["fte_reps"].fillna(0.0)
    bal["leads_per_rep"] = _div(bal["leads"], bal["fte_reps"])
    bal["accounts_per_rep"] = _div(bal["accounts"], bal["fte_reps"])
    bal["open_deals_per_rep"] = _div(bal["open_deals"], bal["fte_reps"])
    bal["open_pipeline_per_rep"] = _div(bal["open_pipeline"], bal["fte_reps"])
    med = float(np.nanmedian(bal["leads_per_rep"])) if bal["leads_per_rep"].notna().any() else np.nan
    bal["ratio_to_median"] = _div(bal["leads_per_rep"], med) if med > 0 else np.nan
    status = np.where(bal["ratio_to_median"] >= overload_ratio, "overloaded",
                      np.where(bal["ratio_to_median"] <= 1 / overload_ratio, "underloaded",
                               "balanced"))
    bal["status"] = np.where(bal["fte_reps"] > 0, status, "no reps")
    bal = bal.sort_values("leads_per_rep", ascending=False, na_position="last").reset_index(drop=True)
    disp: dict[str, float] = {}
    staffed = bal[bal["fte_reps"] > 0]
    for c in ("leads_per_rep", "accounts_per_rep", "open_pipeline_per_rep", "open_deals_per_rep"):
        disp[f"{c}_cv"] = coefficient_of_variation(staffed[c])
        disp[f"{c}_gini"] = gini(staffed[c])
    # lead assignment by rep
    per_rep = ld.groupby("rep_id")["leads"].sum()
    la = known[["rep_id", "name", "team", "territory", "active_days"]].copy()
    la["leads"] = la["rep_id"].map(per_rep).fillna(0).astype(int)
    la["leads_per_day"] = _div(la["leads"], la["active_days"])
    terr_mean = la[la["active_days"] > 0].groupby("territory").apply(
        lambda d: d["leads"].sum() / d["active_days"].sum(), include_groups=False)
    la["ratio_to_territory"] = _div(la["leads_per_day"], la["territory"].map(terr_mean))
    la = la.sort_values("leads_per_day", ascending=False, na_position="last").reset_index(drop=True)
    active = la[la["active_days"] > 0]
    disp["rep_leads_per_day_cv"] = coefficient_of_variation(active["leads_per_day"])
    disp["rep_leads_per_day_gini"] = gini(active["leads_per_day"])
    within = active.groupby("territory")["leads_per_day"].apply(coefficient_of_variation)
    disp["rep_leads_within_territory_cv_max"] = float(within.max()) if within.notna().any() else np.nan
    if "unassigned" not in disp:
        disp["unowned_leads"] = float(ld.loc[ld["rep_id"] == UNKNOWN_REP, "leads"].sum())
    return bal, la, disp


def recognition_lists(
    reps: pd.DataFrame,
    *,
    company_rate: float,
    prior: tuple[float, float],
    certainty: float = 0.95,
    clear_certainty: float | None = None,
    min_closed: int = 30,
    thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    median_activity: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Recognition, coaching and watch lists, robust to sample size and to the number of reps
    compared, each row with its reason.

    Win rate: ``p`` is the posterior probability that the rep's true win rate exceeds the company
    rate (beta posterior under the empirical-Bayes prior, so a rep with 3 of 3 wins cannot
    qualify on luck). Looking at many reps at once, some reach any per-rep level by chance
    (with 24 reps and 95%, about one per side), so a rep is *clearly* above (recognition) or
    below (coaching) only when ``p`` (or ``1 − p``) reaches ``clear_certainty`` — by default the
    Bonferroni level ``1 − (1 − certainty) / m`` over the ``m`` reps with closed deals
    (:func:`~salesops_lib.metrics._benchmark_stats.clear_level`; 99.8% for 24 reps). Reps between
    ``certainty`` and that bar are *probably* above/below and go on the watch list, not on
    the recognition or coaching list.

    Other reasons (observed, no multiplicity issue): ramp-adjusted attainment at least
    ``max(thresholds)`` (recognition) or below ``min(thresholds)`` (coaching) with at least
    ``min_closed`` closed deals; activities per day below 75% of the median rep with the upper
    end of the rep's interval below the median (coaching).

    Returns
    -------
    (recognition, coaching, watch)
        Rows ``rep_id, name, team, metric, value, benchmark, difference, certainty, direction,
        reason``, sorted by metric then distance. ``direction`` is "clearly above/below" or
        "probably above/below" for win-rate rows.
    """
    from salesops_lib.viz import format as F

    known = reps[(reps["rep_id"] != UNKNOWN_REP)].copy()
    rec: list[dict[str, Any]] = []
    coach: list[dict[str, Any]] = []
    watch: list[dict[str, Any]] = []
    has = known["closed"] > 0
    n_compared = int(has.sum())
    clear = clear_level(certainty, n_compared) if clear_certainty is None else clear_certainty
    clear = max(clear, certainty)
    p_up = np.full(len(known), np.nan)
    p_up[has.to_numpy()] = prob_above(known.loc[has, "won"], known.loc[has, "closed"],
                                      company_rate, prior=prior)
    known["p_above"] = p_up
    known["verdict"] = classify_posterior(p_up, probable=certainty, clear=clear)
    bar = (f"the {_sure_bar(clear)} needed to single out one of {n_compared} reps"
           if n_compared > 1 else f"the {_sure_bar(clear)} needed")
    for r in known.itertuples(index=False):
        base = {"rep_id": r.rep_id, "name": r.name, "team": r.team}
        if r.closed > 0 and r.verdict != "cannot tell":
            wr = F.fmt_pct_ci(r.win_rate, r.ci_low, r.ci_high)
            diff = r.shrunk_win_rate - company_rate
            up = r.verdict.endswith("above")
            sure = r.p_above if up else 1 - r.p_above
            side = "above" if up else "below"
            head = (f"Win rate {wr} on {r.closed:,} closed deals vs company "
                    f"{F.fmt_pct(company_rate)}; shrunk estimate "
                    f"{F.fmt_pct(r.shrunk_win_rate)} ({F.fmt_pp(diff)}); ")
            row = {**base, "metric": "win_rate", "value": r.win_rate, "benchmark": company_rate,
                   "difference": diff, "certainty": sure, "direction": r.verdict}
            if r.verdict.startswith("clearly"):
                row["reason"] = (head + f"{_sure(sure)} sure it is {side} the company rate "
                                 f"(at least {_sure_bar(clear)} needed).")
                (rec if up else coach).append(row)
            else:
                row["reason"] = (head + f"{_sure(sure)} sure it is {side} the company rate, short "
                                 f"of {bar}: probably {side}, keep watching.")
                watch.append(row)
        att = r.quota_attainment
        if not pd.isna(att) and r.closed >= min_closed:
            if att >= max(thresholds):
                rec.append({**base, "metric": "quota_attainment", "value": att,
                            "benchmark": max(thresholds), "difference": att - max(thresholds),
                            "certainty": np.nan, "reason": (
                                f"Attained {F.fmt_pct(att, 0)} of the adjusted quota "
                                f"(≥ {F.fmt_pct(max(thresholds), 0)}), on {r.closed:,} closed "
                                "deals (observed, not estimated).")})
            elif att < min(thresholds):
                coach.append({**base, "metric": "quota_attainment", "value": att,
                              "benchmark": min(thresholds), "difference": att - min(thresholds),
                              "certainty": np.nan, "reason": (
                                  f"Attained {F.fmt_pct(att, 0)} of the adjusted quota "
                                  f"(< {F.fmt_pct(min(thresholds), 0)}), on {r.closed:,} closed "
                                  "deals (observed, not estimated).")})
        if median_activity and not pd.isna(r.activities_per_day) and r.active_days > 0:
            if (r.activities_per_day < 0.75 * median_activity
                    and r.activities_ci_high < median_activity):
                coach.append({**base, "metric": "activities_per_day",
                              "value": r.activities_per_day, "benchmark": median_activity,
                              "difference": r.activities_per_day - median_activity,
                              "certainty": 1 - certainty, "reason": (
                                  f"{F.fmt_num(r.activities_per_day, 1)} activities per selling "
                                  f"day ({F.fmt_num(r.activities_ci_low, 1)}–"
                                  f"{F.fmt_num(r.activities_ci_high, 1)}) vs "
                                  f"{F.fmt_num(median_activity, 1)} for the median rep.")})
    cols = ["rep_id", "name", "team", "metric", "value", "benchmark", "difference", "certainty",
            "direction", "reason"]
    rec_df = pd.DataFrame(rec, columns=cols)
    coach_df = pd.DataFrame(coach, columns=cols)
    watch_df = (pd.DataFrame(watch, columns=cols)
                .sort_values("difference", ascending=False).reset_index(drop=True))
    # activity rows: their certainty is that of the interval; show as the interval level
    coach_df.loc[coach_df["metric"] == "activities_per_day", "certainty"] = np.nan
    order = {"win_rate": 0, "quota_attainment": 1, "activities_per_day": 2}
    rec_df = (rec_df.assign(_o=rec_df["metric"].map(order))
              .sort_values(["_o", "difference"], ascending=[True, False])
              .drop(columns="_o").reset_index(drop=True))
    coach_df = (coach_df.assign(_o=coach_df["metric"].map(order))
                .sort_values(["_o", "difference"], ascending=[True, True])
                .drop(columns="_o").reset_index(drop=True))
    return rec_df, coach_df, watch_df


def _sure_bar(p: float) -> str:
    """A probability bar as a percentage, with enough digits not to round up to 100%."""
    for digits in (0, 1, 2, 3):
        text = f"{100 * p:.{digits}f}"
        if float(text) < 100:
            return text + "%"
    return f"{100 * p:.3f}%"


def _sure(p: float) -> str:
    """A posterior probability in words, rounded down (never overstating certainty)."""
    if p >= 0.999:
        return "more than 99.9%"
    if p >= 0.9:
        return f"{math.floor(p * 1000) / 10:.1f}%"
    return f"{math.floor(p * 100):.0f}%"


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------


def benchmark_reps(
    source: Any,
    *,
    period_start: Any = None,
    period_end: Any = None,
    as_of: Any = None,
    level: str = "rep",
    benchmarks: str | Path | Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
    ramp_schedule: Sequence[float] = (0.25, 0.5, 0.75),
    quota_basis: str = "full",
    min_closed: int = 30,
    certainty: float = 0.95,
    attainment_thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    overload_ratio: float = 1.5,
    alpha: float = 0.05,
    seed: int = 0,
    compare_previous: bool = True,
) -> BenchmarkResult:
    """Benchmark reps, teams, regions and territories for a period, fairly and with intervals.

    Parameters
    ----------
    source
        A :class:`~salesops_lib.data.sources.Source` or anything ``open_source`` accepts (DuckDB
        path, folder, ``"env:VAR"``, dict of DataFrames, Ibis backend). Needs ``opportunities``
        and ``reps``; uses ``activities``, ``quotas``, ``leads`` and ``accounts`` when present.
    period_start, period_end
        The period (dates, inclusive). Default: the four quarters ending with the quarter of
        ``as_of``, up to ``as_of``.
    as_of
        Cut-off time (default: the source's as-of). Deals closed after it count as open.
    level
        Which table ``.to_frame()`` returns: ``"rep"``, ``"team"``, ``"region"``, ``"territory"``.
    benchmarks
        External benchmarks: a YAML file (``params/benchmarks/external.yaml``), a list of entries
        or a DataFrame; see :func:`load_benchmarks`. ``None``: internal benchmarks only.
    ramp_schedule
        Share of quota a new hire carries in tenure months 1, 2, 3, … (then 100%). ``()``
        disables the ramp (quota still prorated to days employed).
    quota_basis
        ``"full"``: the ``quotas`` table holds full quotas; the kit prorates them to the days
        each rep was employed and applies ``ramp_schedule``. ``"adjusted"``: the table already
        holds prorated, ramped quotas (as many CRMs store them, and the demo warehouse); the kit
        only prorates a quota row that straddles the period boundary.
    min_closed
        Reps with fewer closed deals are marked as small samples (hollow markers) and are not
        used to set internal rate benchmarks.
    certainty
        Per-rep posterior probability for calling a rep *probably* above/below the company win
        rate (watch list). *Clearly* above/below (recognition/coaching lists, coloured in the
        charts) needs ``1 − (1 − certainty) / m`` with ``m`` the number of reps with closed deals
        (Bonferroni; 99.8% for 24 reps at 0.95).
    attainment_thresholds
        Attainment levels for the distribution (and the list rules: max for recognition, min for
        coaching).
    overload_ratio
        Leads-per-rep ratio to the median territory above which a territory is overloaded.
    alpha
        1 − confidence level of every interval.
    seed
        Seed of the rank-interval simulation.
    compare_previous
        Also run the analysis for the previous period of the same length (Oct 2024 – Sep 2025
        for Oct 2025 – Sep 2026; a period cut at ``as_of`` is compared with the same stretch
        before it, with ``as_of`` moved back alike) and keep it in ``.previous``; the cards
        then show the change (:meth:`BenchmarkResult.comparison`).

    Returns
    -------
    BenchmarkResult

    Raises
    ------
    ParamsError
        Bad period, level or benchmarks file (naming the entry).
    SourceError
        ``opportunities`` or ``reps`` missing.
    DataValidationError
        Overlapping quota periods for one rep (naming the rep and the periods).

    Warns
    -----
    UserWarning
        When deal/activity/lead owners are missing from ``reps``; their rows are grouped as
        "Unknown rep" (listed in ``.unknown_owners`` and ``.warnings``), never dropped. When
        deals were closed after their owner left (or before they were hired): not credited to
        any rep, counted in ``.uncredited`` and ``.warnings``.

    Examples
    --------
    >>> res = benchmark_reps("data/demo.duckdb", period_start="2025-10-01",
    ...                      period_end="2026-09-30")                      # doctest: +SKIP
    >>> res.summary()                                                      # doctest: +SKIP
    """
    if level not in _LEVELS:
        raise ParamsError("level", f"got {level!r}", expected="'rep', 'team', 'region' or 'territory'")
    if not 0 < certainty < 1:
        raise ParamsError("certainty", f"got {certainty!r}", expected="a probability in (0, 1)")
    if any((not isinstance(r, int | float)) or r < 0 or r > 1 for r in ramp_schedule):
        raise ParamsError("ramp_schedule", f"got {list(ramp_schedule)!r}",
                          expected="fractions between 0 and 1, e.g. [0.25, 0.5, 0.75]")
    if quota_basis not in ("full", "adjusted"):
        raise ParamsError("quota_basis", f"got {quota_basis!r}", expected="'full' or 'adjusted'")
    if not attainment_thresholds:
        raise ParamsError("attainment_thresholds", "is empty", expected="e.g. [0.8, 1.0, 1.2]")
    if overload_ratio <= 1:
        raise ParamsError("overload_ratio", f"got {overload_ratio!r}", expected="a number > 1, e.g. 1.5")
    external = load_benchmarks(benchmarks)  # fail fast, before any query

    src = _resolve_source(source, as_of)
    for t in ("opportunities", "reps"):
        if not src.has_table(t):
            raise SourceError(
                f"Benchmarking needs the `{t}` table, which the source does not have.",
                fix=f"Add a `{t}` table (see the data model) or point `source` at a warehouse "
                "that has it.",
            )
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(src.as_of)
    if as_of_ts.tzinfo is not None:
        as_of_ts = as_of_ts.tz_convert("UTC").tz_localize(None)
    d_start, d_end = default_period(as_of_ts)
    start = _to_date(period_start, "period_start") or d_start
    end = _to_date(period_end, "period_end") or d_end
    if end < start:
        raise ParamsError("period_end", f"{end} is before period_start {start}",
                          expected="period_end on or after period_start")
    if start > as_of_ts.date():
        raise ParamsError("period_start", f"{start} is after the as-of time {as_of_ts:%Y-%m-%d}",
                          expected="a period that starts on or before as_of")
    period = E.Period(start, end, as_of_ts)
    end_eff = period.end_eff
    working_days = int(np.busday_count(start, end_eff + dt.timedelta(days=1)))

    opps = src.table("opportunities")
    roster = _roster(src)
    known = set(roster["rep_id"])
    unknown: set[str] = set()

    reps_t = src.table("reps")
    deals = _map_owner(E.deal_counts(opps, period, reps=reps_t), known, unknown)
    cyc = _map_owner(E.cycle_counts(opps, period, reps=reps_t), known, unknown)
    pipe = _map_owner(E.open_pipeline(opps, period), known, unknown)
    if src.has_table("activities"):
        acts_all = _map_owner(E.activity_counts(src.table("activities"), period, reps=reps_t),
                              known, unknown)
        credited = acts_all["credited"].astype("boolean").fillna(True).astype(bool)
        acts = acts_all[credited]
        acts_outside = acts_all[~credited]
    else:
        acts = pd.DataFrame({"rep_id": [], "type": [], "n": []})
        acts_outside = acts
    outside = _outside_employment(deals, acts_outside)
    if src.has_table("leads"):
        leads_t = src.table("leads")
        leads = E.lead_counts(leads_t, period)
        leads = _map_owner(leads, known, unknown) if "owner_id" in leads_t.columns else (
            leads.assign(rep_id=UNKNOWN_REP))
    else:
        leads = pd.DataFrame({"rep_id": [], "lead_territory": [], "leads": []})
    accounts = None
    if src.has_table("accounts") and "territory" in src.table("accounts").columns:
        accounts = E.territory_accounts(src.table("accounts"))
    quotas = pd.DataFrame(columns=["rep_id", "period_start", "period_end", "amount"])
    if src.has_table("quotas"):
        qt = src.table("quotas")
        E.check_quota_overlaps(qt)
        quotas = E.quota_rows(qt, period)

    # ---- per-rep table
    num = lambda df, c: df.groupby("rep_id")[c].sum()  # noqa: E731
    deal_sums = deals.groupby("rep_id").sum(numeric_only=True)
    ids = set(deal_sums.index) | set(acts["rep_id"]) | set(cyc["rep_id"]) | set(pipe["rep_id"])
    ids |= set(leads["rep_id"])
    roster["active_days"] = [
        active_selling_days(h, lv, start=start, end=end_eff)
        for h, lv in zip(roster["hired_at"], roster["left_at"], strict=True)
    ]
    employed = roster["active_days"] > 0
    rp = roster[employed | roster["rep_id"].isin(ids)].copy()
    if UNKNOWN_REP in ids:
        rp = pd.concat([rp, pd.DataFrame([{
            "rep_id": UNKNOWN_REP, "name": _UNKNOWN_NAME, "team": _UNKNOWN_NAME,
            "region": _UNKNOWN_NAME, "territory": _UNKNOWN_NAME, "hired_at": pd.NaT,
            "left_at": pd.NaT, "active_days": 0}])], ignore_index=True)
    rp = rp.set_index("rep_id")
    count_cols = ["closed", "won", "lost", "closed_amount", "won_amount", "won_with_amount",
                  "won_sq", "lost_sq", "won_acv", "won_with_term", "opps_created",
                  "pipeline_generated"]
    for c in count_cols:
        rp[c] = deal_sums[c].reindex(rp.index).fillna(0) if c in deal_sums else 0
    for c in ("closed", "won", "lost", "won_with_amount", "won_with_term", "opps_created"):
        rp[c] = rp[c].astype(int)
    if not acts.empty:
        by_type = acts.pivot_table(index="rep_id", columns="type", values="n", aggfunc="sum",
                                   fill_value=0)
    else:
        by_type = pd.DataFrame()
    rp["activities"] = (by_type.sum(axis=1).reindex(rp.index).fillna(0).astype(int)
                        if not by_type.empty else 0)
    for t, col in (("call", "calls"), ("email", "emails"), ("meeting", "meetings")):
        rp[col] = (by_type[t].reindex(rp.index).fillna(0).astype(int)
                   if t in by_type.columns else 0)
    rp["open_deals"] = num(pipe, "open_deals").reindex(rp.index).fillna(0).astype(int) if len(pipe) else 0
    rp["open_pipeline"] = num(pipe, "open_pipeline").reindex(rp.index).fillna(0.0) if len(pipe) else 0.0
    rp = rp.reset_index()
    rp = _rate_columns(rp, alpha=alpha)
    has_acv = bool(rp["won_with_term"].sum() > 0)
    if not has_acv:
        rp["avg_won_acv"] = np.nan

    # ---- cycle per rep (Kaplan–Meier median, censoring-aware)
    cyc_r = cyc[["rep_id", "duration", "event", "n"]] if len(cyc) else pd.DataFrame(
        {"rep_id": [], "duration": [], "event": [], "n": []})
    med = {k: _km_median(d, alpha) for k, d in cyc_r.groupby("rep_id")}
    rp["cycle_median_days"] = [med.get(k, (np.nan,) * 4)[0] for k in rp["rep_id"]]
    rp["cycle_ci_low"] = [med.get(k, (np.nan,) * 4)[1] for k in rp["rep_id"]]
    rp["cycle_ci_high"] = [med.get(k, (np.nan,) * 4)[2] for k in rp["rep_id"]]

    # ---- quota (prorated to employment, ramped)
    rp["quota"] = 0.0
    rp["quota_adjusted"] = 0.0
    if len(quotas):
        hired = dict(zip(roster["rep_id"], roster["hired_at"], strict=True))
        left = dict(zip(roster["rep_id"], roster["left_at"], strict=True))
        adj: dict[str, float] = {}
        raw: dict[str, float] = {}
        for q in quotas.itertuples(index=False):
            kw = {"quota_start": q.period_start, "quota_end": q.period_end, "start": start,
                  "end": end_eff, "hired_at": hired.get(q.rep_id), "left_at": left.get(q.rep_id)}
            if quota_basis == "adjusted":
                kw = {**kw, "hired_at": None, "left_at": None}
            sched = tuple(ramp_schedule) if quota_basis == "full" else ()
            adj[q.rep_id] = adj.get(q.rep_id, 0.0) + ramped_quota(q.amount, schedule=sched, **kw)
            raw[q.rep_id] = raw.get(q.rep_id, 0.0) + ramped_quota(
                q.amount, **{**kw, "hired_at": None, "left_at": None})
        rp["quota"] = rp["rep_id"].map(raw).fillna(0.0)
        rp["quota_adjusted"] = rp["rep_id"].map(adj).fillna(0.0)
        missing_q = sorted(set(quotas["rep_id"]) - set(roster["rep_id"]))
        if missing_q:
            unknown.update(missing_q)
    rp["quota_attainment"] = _div(rp["won_amount"], rp["quota_adjusted"])
    rp["won_amount_quota"] = np.where(rp["quota_adjusted"] > 0, rp["won_amount"], 0.0)
    ramp_end = rp["hired_at"] + pd.DateOffset(
        months=len(ramp_schedule) if quota_basis == "full" else 3)
    rp["ramping"] = (ramp_end > pd.Timestamp(start)) & (rp["hired_at"] <= pd.Timestamp(end_eff))
    rp["ramping"] = rp["ramping"].fillna(False).astype(bool)
    rp["velocity_per_day"] = _div(
        rp["open_deals"] * rp["win_rate"] * rp["avg_won_amount"], rp["cycle_median_days"]
    )
    rp["small_sample"] = rp["closed"] < min_closed

    # ---- fair comparison: shrinkage, funnel limits, rank intervals (known reps with deals)
    tot_won, tot_closed = int(rp["won"].sum()), int(rp["closed"].sum())
    is_ranked = (rp["rep_id"] != UNKNOWN_REP) & (rp["closed"] > 0)
    won_k = rp.loc[is_ranked, "won"].to_numpy(float)
    closed_k = rp.loc[is_ranked, "closed"].to_numpy(float)
    # reps are compared with the pooled rate of the known reps (equal to the company rate unless
    # some deals belong to owners missing from `reps`)
    company_rate = won_k.sum() / closed_k.sum() if closed_k.sum() else np.nan
    shr, prior = _shrink(won_k, closed_k, alpha=alpha)
    for c in ("shrunk_win_rate", "shrunk_low", "shrunk_high"):
        rp[c] = np.nan
        rp.loc[is_ranked, c] = shr[c].to_numpy()
    rp["rank"] = np.nan
    rp["rank_low"] = np.nan
    rp["rank_high"] = np.nan
    rp["funnel_status"] = ""
    grid = pd.DataFrame(columns=["n", "lower_95", "upper_95", "lower_998", "upper_998"])
    if is_ranked.sum() >= 2 and not math.isnan(company_rate):
        ranks = _rank_intervals(won_k, closed_k, prior, seed=seed, alpha=alpha)
        for c in ("rank", "rank_low", "rank_high"):
            rp.loc[is_ranked, c] = ranks[c].to_numpy()
        lim = _funnel_limits(company_rate, closed_k)
        rate = won_k / closed_k
        status = np.where(rate > lim["upper_998"], FUNNEL_STATUS["above_998"],
                 np.where(rate > lim["upper_95"], FUNNEL_STATUS["above_95"],
                 np.where(rate < lim["lower_998"], FUNNEL_STATUS["below_998"],
                 np.where(rate < lim["lower_95"], FUNNEL_STATUS["below_95"],
                          FUNNEL_STATUS["within"]))))
        rp.loc[is_ranked, "funnel_status"] = status
        n_grid = np.unique(np.round(np.geomspace(max(1, closed_k.min() * 0.5),
                                                 closed_k.max() * 1.1, 120)))
        grid = _funnel_limits(company_rate, n_grid)

    # ---- unknown owners
    unknown_list = sorted(unknown)
    messages: list[str] = []
    if unknown_list:
        n_unk_deals = int(rp.loc[rp["rep_id"] == UNKNOWN_REP, "closed"].sum())
        msg = (
            f"{len(unknown_list)} owner id(s) appear in the data but not in the `reps` table: "
            + ", ".join(unknown_list[:10]) + (", …" if len(unknown_list) > 10 else "")
            + f". Their {n_unk_deals:,} closed deal(s) and other records are grouped as "
            "'Unknown rep': counted in company totals, not ranked. Add them to `reps` to rank them."
        )
        messages.append(msg)
        warnings.warn(msg, UserWarning, stacklevel=2)

    out_msg = _outside_message(outside, dict(zip(roster["rep_id"], roster["name"], strict=True)))
    if out_msg:
        messages.append(out_msg)
        warnings.warn(out_msg, UserWarning, stacklevel=2)

    # ---- what the data cannot support: omitted with a note, never shown as 0
    na = _availability(src, roster=roster, deal_sums=deal_sums, pipe=pipe, acts=acts,
                       leads=leads, quotas=quotas,
                       period=f"{_fmt_date(start)} – {_fmt_date(end_eff)}")

    # ---- groups
    cyc_g = cyc_r
    teams = group_figures(rp, cyc_g, by="team", alpha=alpha, working_days=working_days)
    regions = group_figures(rp, cyc_g, by="region", alpha=alpha, working_days=working_days)
    territories = group_figures(rp, cyc_g, by="territory", alpha=alpha,
                                working_days=working_days)

    # ---- company figures
    comp_row = rp.assign(_all="all")
    company_g = group_figures(comp_row, cyc_g.assign(), by="_all", alpha=alpha,
                              working_days=working_days).iloc[0]
    known_rp = rp[rp["rep_id"] != UNKNOWN_REP]
    with_quota = known_rp[known_rp["quota_adjusted"] > 0]
    att = attainment_distribution(with_quota["quota_attainment"],
                                  thresholds=attainment_thresholds, alpha=alpha)
    bal, la, disp = territory_balance(rp, leads, accounts=accounts, working_days=working_days,
                                      overload_ratio=overload_ratio)
    company: dict[str, Any] = {
        "reps": len(known_rp),
        "reps_active": int((known_rp["active_days"] > 0).sum()),
        "fte_reps": float(known_rp["active_days"].sum()) / max(working_days, 1),
        "working_days": working_days,
        "deals_closed_outside_employment": outside["closed"],
        "won_outside_employment": outside["won"],
        "won_amount_outside_employment": outside["won_amount"],
        "closed": tot_closed, "won": tot_won, "win_rate": tot_won / tot_closed if tot_closed
        else np.nan, "reference_win_rate": company_rate,
        "win_rate_ci_low": float(company_g["ci_low"]),
        "win_rate_ci_high": float(company_g["ci_high"]),
        "win_rate_value": float(company_g["win_rate_value"]),
        "avg_won_amount": float(company_g["avg_won_amount"]),
        "avg_won_acv": float(company_g["avg_won_acv"]) if has_acv else np.nan,
        "cycle_median_days": float(company_g["cycle_median_days"]),
        "cycle_ci_low": float(company_g["cycle_ci_low"]),
        "cycle_ci_high": float(company_g["cycle_ci_high"]),
        "activities_per_day": float(company_g["activities_per_day"]),
        "activities_ci_low": float(company_g["activities_ci_low"]),
        "activities_ci_high": float(company_g["activities_ci_high"]),
        "calls_per_day": float(company_g["calls_per_day"]),
        "emails_per_day": float(company_g["emails_per_day"]),
        "meetings_per_day": float(company_g["meetings_per_day"]),
        "opps_created": int(company_g["opps_created"]),
        "pipeline_generated": float(company_g["pipeline_generated"]),
        "quota_attainment": float(company_g["quota_attainment"]),
        "median_attainment": float(with_quota["quota_attainment"].median())
        if len(with_quota) else np.nan,
        "share_at_quota": float(att.loc[att["threshold"] == 1.0, "share"].iloc[0])
        if (att["threshold"] == 1.0).any() else np.nan,
        "velocity_per_day": float(company_g["velocity_per_day"]),
        "prior_alpha": prior[0], "prior_beta": prior[1],
        **disp,
    }
    if "attainment" in na:
        att = att.iloc[0:0]
    if "territory_balance" in na:
        bal = bal.iloc[0:0]
    if "lead_assignment" in na:
        la = la.iloc[0:0]
    rp = _blank_parts(rp, na)
    teams, regions, territories = (_blank_parts(g, na) for g in (teams, regions, territories))
    company = _blank_company(company, na)
    bench = benchmark_table(rp, company, external, min_closed=min_closed,
                            working_days=working_days)
    med_act = known_rp.loc[known_rp["active_days"] > 0, "activities_per_day"].median()
    n_compared = int(is_ranked.sum())
    clear = clear_level(certainty, n_compared)
    rec, coach, watch = recognition_lists(
        rp, company_rate=company_rate, prior=prior, certainty=certainty, clear_certainty=clear,
        min_closed=min_closed,
        thresholds=attainment_thresholds,
        median_activity=float(med_act) if not pd.isna(med_act) else None,
    )

    # attainment follows lead volume: say so where the rep's territory is out of balance
    terr_status = dict(zip(bal["territory"], bal["status"], strict=True))
    rep_terr = dict(zip(rp["rep_id"], rp["territory"], strict=True))
    for df in (rec, coach):
        for i in df.index[df["metric"] == "quota_attainment"]:
            t = rep_terr.get(df.at[i, "rep_id"])
            st = terr_status.get(t)
            if st in ("overloaded", "underloaded"):
                df.at[i, "reason"] = (
                    df.at[i, "reason"].rstrip(".")
                    + f"; note: territory {t} is {st} with leads, which drives attainment."
                )

    rows = {"deals closed": tot_closed, "deals created": int(rp["opps_created"].sum())}
    if src.has_table("activities"):
        rows["activities"] = int(acts["n"].sum()) if len(acts) else 0
    if src.has_table("leads"):
        rows["leads"] = int(leads["leads"].sum())
    if src.has_table("quotas"):
        rows["quota rows"] = len(quotas)
    rows["reps"] = len(known_rp)
    front = [c for c in _REP_RESULT_COLUMNS if c in rp.columns]
    rest = [c for c in rp.columns if c not in front]
    rp = rp[front + rest]
    rp = rp.sort_values(["shrunk_win_rate", "closed"], ascending=[False, False],
                        na_position="last").reset_index(drop=True)
    previous = None
    if compare_previous:
        p_start, p_end = previous_window(start, end_eff)
        p_as_of = as_of_ts - (pd.Timestamp(end_eff) - pd.Timestamp(p_end))
        with warnings.catch_warnings():
            # data-quality warnings of the earlier window are not this report's banner
            warnings.simplefilter("ignore")
            previous = benchmark_reps(
                src, period_start=p_start, period_end=p_end, as_of=p_as_of, level=level,
                benchmarks=None, ramp_schedule=ramp_schedule, quota_basis=quota_basis,
                min_closed=min_closed, certainty=certainty,
                attainment_thresholds=attainment_thresholds, overload_ratio=overload_ratio,
                alpha=alpha, seed=seed, compare_previous=False,
            )
    return BenchmarkResult(
        previous=previous,
        reps=rp, teams=teams, regions=regions, territories=territories, benchmarks=bench,
        attainment=att, balance=bal, lead_assignment=la, recognition=rec, coaching=coach,
        watch=watch, clear_certainty=clear, n_compared=n_compared, uncredited=outside,
        funnel=grid, company=company, period_start=start, period_end=end, as_of=as_of_ts,
        level=level, min_closed=min_closed, certainty=certainty, alpha=alpha,
        ramp_schedule=tuple(float(x) for x in ramp_schedule) if quota_basis == "full" else (),
        quota_basis=quota_basis,
        attainment_thresholds=tuple(float(x) for x in attainment_thresholds),
        overload_ratio=overload_ratio, unknown_owners=unknown_list, warnings=messages,
        row_counts=rows, has_acv=has_acv, working_days=working_days, not_available=na,
        benchmarks_file=Path(benchmarks).as_posix() if isinstance(benchmarks, str | Path)
        else None,
    )
