"""The KPI catalogue and the KPIs computed from the engine's small count frames.

Each function turns the counts of :mod:`._engine` into :class:`KpiValue` per period index,
calling the general statistics of :mod:`salesops_lib.stats` (Wilson, Kaplan–Meier with
engine weights, the ratio estimator, the t interval of a mean). Nothing here queries data or
words a finding.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesops_lib.data.period import Period
from salesops_lib.stats.proportions import newcombe_diff_interval, wilson_interval
from salesops_lib.stats.rates import (
    difference_interval,
    mean_interval,
    ratio_interval,
    ratio_interval_from_sums,
    se_from_interval,
)
from salesops_lib.stats.survival import kaplan_meier

__all__ = [
    "ACTIVITY_KPIS",
    "KPIS",
    "KPI_KEYS",
    "KpiSpec",
    "KpiValue",
    "activity_kpis",
    "compare",
    "coverage_kpis",
    "cycle_kpi",
    "deal_kpis",
    "efficiency_kpis",
    "mql_kpi",
    "prorate",
    "response_kpis",
    "selling_days",
    "spec",
]

NAN = float("nan")


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI is, in numbers: its key, unit, good direction and whether it is a statistic.

    Attributes
    ----------
    key
        Stable name (JSON ``kpi``, targets, ``res.kpi(key)``).
    unit
        ``rate`` (fraction), ``per_day``, ``hours``, ``days``, ``money``, ``money_per_day``,
        ``ratio`` (×), ``months``.
    better
        +1 when higher is better, −1 when lower is better.
    statistic
        Whether the value estimates an underlying rate/time (interval and "within chance"), as
        opposed to an accounting total or ratio of what happened (no interval).
    group
        Family shown together: ``activity``, ``leads``, ``deals``, ``pipeline``, ``efficiency``.
    """

    key: str
    unit: str
    better: int
    statistic: bool
    group: str


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("calls_per_rep_day", "per_day", +1, True, "activity"),
    KpiSpec("emails_per_rep_day", "per_day", +1, True, "activity"),
    KpiSpec("meetings_per_rep_day", "per_day", +1, True, "activity"),
    KpiSpec("response_median_hours", "hours", -1, True, "leads"),
    KpiSpec("response_p90_hours", "hours", -1, True, "leads"),
    KpiSpec("contacted_1h", "rate", +1, True, "leads"),
    KpiSpec("contacted_24h", "rate", +1, True, "leads"),
    KpiSpec("mql_to_sql", "rate", +1, True, "leads"),
    KpiSpec("win_rate", "rate", +1, True, "deals"),
    KpiSpec("win_rate_value", "rate", +1, True, "deals"),
    KpiSpec("avg_deal_size", "money", +1, True, "deals"),
    KpiSpec("acv", "money", +1, True, "deals"),
    KpiSpec("sales_cycle_days", "days", -1, True, "deals"),
    KpiSpec("close_date_slip", "rate", -1, True, "deals"),
    KpiSpec("pipeline_created", "money", +1, False, "pipeline"),
    KpiSpec("open_pipeline", "money", +1, False, "pipeline"),
    KpiSpec("pipeline_coverage", "ratio", +1, False, "pipeline"),
    KpiSpec("sales_velocity", "money_per_day", +1, False, "pipeline"),
    KpiSpec("cac_blended", "money", -1, False, "efficiency"),
    KpiSpec("cac_sales", "money", -1, False, "efficiency"),
    KpiSpec("cac_marketing", "money", -1, False, "efficiency"),
    KpiSpec("cac_payback_months", "months", -1, False, "efficiency"),
    KpiSpec("ltv", "money", +1, False, "efficiency"),
    KpiSpec("ltv_to_cac", "ratio", +1, False, "efficiency"),
    KpiSpec("magic_number", "ratio", +1, False, "efficiency"),
)
KPI_KEYS: tuple[str, ...] = tuple(k.key for k in KPIS)
_BY_KEY = {k.key: k for k in KPIS}


def spec(key: str) -> KpiSpec:
    """The :class:`KpiSpec` of ``key``."""
    return _BY_KEY[key]


@dataclass(frozen=True)
class KpiValue:
    """One KPI in one period.

    ``low``/``high``/``se`` are NaN where the KPI is not a statistic or cannot have an interval;
    ``x``/``n`` are the successes and trials of a proportion (``x`` NaN otherwise); ``n`` is the
    number of units behind the value (reps, leads, deals, new customers).
    """

    value: float
    low: float = np.nan
    high: float = np.nan
    se: float = np.nan
    n: int = 0
    x: float = np.nan
    assumed: bool = False


#: Activity type (``activities.type``) of each activity KPI.
ACTIVITY_KPIS: dict[str, str] = {
    "calls_per_rep_day": "call",
    "emails_per_rep_day": "email",
    "meetings_per_rep_day": "meeting",
}

Values = dict[int, dict[str, KpiValue]]


def _put(values: Values, i: int, key: str, v: KpiValue) -> None:
    values.setdefault(i, {})[key] = v


def _wilson(x: float, n: float, alpha: float) -> KpiValue:
    if n <= 0:
        return KpiValue(NAN, n=0, x=NAN)
    lo, hi = wilson_interval(x, n, alpha=alpha)
    return KpiValue(x / n, float(lo), float(hi), se_from_interval(lo, hi, alpha=alpha), int(n), x)


# ------------------------------------------------------------------------------ activity


def selling_days(reps: pd.DataFrame, period: Period) -> pd.Series:
    r"""Weekdays (Mon–Fri) of ``period`` (to its effective end) on which each rep was employed.

    .. math:: d_r = \#\{t \in [\max(s, h_r), \min(e, l_r)] : t \text{ is Mon–Fri}\}

    ``hired``/``left`` may be missing (no bound). Public holidays are not removed.
    """
    out = {}
    for r in reps.itertuples(index=False):
        lo = max(period.start, r.hired) if r.hired is not None else period.start
        hi = min(period.end_eff, r.left) if r.left is not None else period.end_eff
        out[r.rep_id] = 0 if hi < lo else int(np.busday_count(lo, hi + dt.timedelta(days=1)))
    return pd.Series(out, dtype="int64")


def activity_kpis(
    acts: pd.DataFrame, reps: pd.DataFrame, periods: Sequence[tuple[int, Period]], alpha: float
) -> Values:
    r"""Activities of each type per rep per selling day, reps as the unit.

    For reps active in the period (at least one selling day): :math:`R = \sum_r a_r / \sum_r d_r`
    with the ratio estimator's interval over reps
    (:func:`~salesops_lib.stats.rates.ratio_interval`);
    ``n`` is the number of active reps. Activities of owners who are not in ``reps`` or had no
    selling day in the period are not counted.
    """
    out: Values = {}
    for i, p in periods:
        days = selling_days(reps, p)
        days = days[days > 0]
        sub = acts[acts["pi"] == i]
        for key, typ in ACTIVITY_KPIS.items():
            if sub.empty or "type" not in sub.columns:  # no activity in any period asked for
                per_rep = pd.Series(dtype=float)
            else:
                per_rep = sub[sub["type"] == typ].groupby("owner_id")["n"].sum()
            a = per_rep.reindex(days.index, fill_value=0).to_numpy(dtype=float)
            est = ratio_interval(a, days.to_numpy(dtype=float), alpha=alpha)
            _put(out, i, key, KpiValue(est.value, est.low, est.high, est.se, est.n))
    return out


# ------------------------------------------------------------------------------ leads


def response_kpis(counts: pd.DataFrame, indexes: Sequence[int], alpha: float) -> Values:
    r"""Time to first contact of the leads created in each period (Kaplan–Meier).

    ``counts`` holds ``pi, minutes, contacted, n`` (engine). Median and 90th percentile come from
    the Kaplan–Meier curve with Brookmeyer–Crowley intervals (leads never contacted are censored
    at as-of), in hours. The share contacted within 1 h (24 h) is
    :math:`x / n` with :math:`x` = leads contacted within 60 (1,440) minutes and :math:`n` = leads
    followed for at least that long (contacted, or censored later), with a Wilson interval.
    """
    out: Values = {}
    for i in indexes:
        c = counts[counts["pi"] == i]
        total = int(c["n"].sum()) if "n" in c.columns else 0
        if total == 0:
            continue
        mins = c["minutes"].to_numpy(dtype=float)
        ev = c["contacted"].astype(bool).to_numpy()
        w = c["n"].to_numpy(dtype=float)
        km = kaplan_meier(mins, ev, weights=w, alpha=alpha)
        for key, q in (("response_median_hours", 0.5), ("response_p90_hours", 0.9)):
            est, lo, hi = km.quantile(q)
            se = se_from_interval(lo / 60, hi / 60, alpha=alpha)
            _put(out, i, key, KpiValue(est / 60, lo / 60, hi / 60, se, total))
        for key, limit in (("contacted_1h", 60), ("contacted_24h", 1440)):
            x = float(w[ev & (mins <= limit)].sum())
            n = total - float(w[~ev & (mins < limit)].sum())
            _put(out, i, key, _wilson(x, n, alpha))
    return out


def mql_kpi(counts: pd.DataFrame, indexes: Sequence[int], window_days: int, alpha: float) -> Values:
    r"""MQL→SQL within the window: :math:`1 - \hat S(W)` of the Kaplan–Meier curve of days from
    MQL to SQL, with its log(−log) interval.

    MQLs whose window has not elapsed by as-of are censored at the days followed, so recent
    MQLs count for the time they were observed instead of being dropped or counted as failures.
    When every MQL was followed for the whole window it equals converted / MQLs.
    """
    out: Values = {}
    for i in indexes:
        c = counts[counts["pi"] == i]
        if c.empty:
            continue
        km = kaplan_meier(
            c["days"].to_numpy(dtype=float),
            c["converted"].astype(bool).to_numpy(),
            weights=c["n"].to_numpy(dtype=float),
            alpha=alpha,
        )
        v, lo, hi = km.cumulative_ci_at(float(window_days))
        if math.isnan(v):
            continue
        _put(out, i, "mql_to_sql", KpiValue(v, lo, hi, se_from_interval(lo, hi, alpha=alpha), km.n))
    return out


# ------------------------------------------------------------------------------ deals


def slip_kpi(counts: pd.DataFrame, alpha: float) -> Values:
    r"""Close-date slip: deals closed in the period on a later day than the close date
    expected when they were created, over the closed deals with such a date, :math:`s/n`
    (Wilson interval)."""
    out: Values = {}
    for r in counts.itertuples(index=False):
        if r.n:
            _put(out, int(r.pi), "close_date_slip", _wilson(r.slipped, r.n, alpha))
    return out


def deal_kpis(closed: pd.DataFrame, alpha: float) -> Values:
    r"""Win rate (count and value), average won deal and ACV per period from the engine sums.

    - win rate :math:`w/c` (Wilson);
    - win rate by value :math:`\sum_{won} a / \sum_{closed} a` with the ratio estimator's
      interval, deals as the unit (:math:`\sum a_i d_i = \sum d_i^2` over won deals);
    - average deal size and ACV: means of the won deals with t intervals.
    """
    out: Values = {}
    g = closed.groupby("pi").sum(numeric_only=True)
    for i, r in g.iterrows():
        i = int(i)
        _put(out, i, "win_rate", _wilson(r["won"], r["closed"], alpha))
        est = ratio_interval_from_sums(
            r["closed_amt_n"],
            r["won_amt"],
            r["closed_amt"],
            r["won_sq"],
            r["won_sq"] + r["lost_sq"],
            r["won_sq"],
            alpha=alpha,
            use_t=False,
        )
        lo = max(est.low, 0.0) if not math.isnan(est.low) else NAN
        hi = min(est.high, 1.0) if not math.isnan(est.high) else NAN
        _put(out, i, "win_rate_value", KpiValue(est.value, lo, hi, est.se, est.n))
        for key, n, s, ss in (
            ("avg_deal_size", "won_amt_n", "won_amt", "won_sq"),
            ("acv", "won_acv_n", "won_acv", "won_acv_sq"),
        ):
            m = mean_interval(r[n], r[s], r[ss], alpha=alpha)
            _put(out, i, key, KpiValue(m.value, m.low, m.high, m.se, m.n))
    return out


def cycle_kpi(counts: pd.DataFrame, indexes: Sequence[int], alpha: float) -> Values:
    """Median days from creation to won (Kaplan–Meier; open deals censored, lost left out)."""
    out: Values = {}
    for i in indexes:
        c = counts[counts["pi"] == i]
        if c.empty:
            continue
        km = kaplan_meier(
            c["days"].to_numpy(dtype=float),
            c["won"].astype(bool).to_numpy(),
            weights=c["n"].to_numpy(dtype=float),
            alpha=alpha,
        )
        est, lo, hi = km.median()
        _put(out, i, "sales_cycle_days", KpiValue(est, lo, hi, se_from_interval(lo, hi), km.n))
    return out


# ------------------------------------------------------------------------------ pipeline


def prorate(rows: pd.DataFrame, start: dt.date, end: dt.date) -> tuple[float, int]:
    r"""Amount of rows ``period_start, period_end, amount`` falling in ``[start, end]``.

    Each row counts for the share of its calendar days inside the range:
    :math:`\sum_j A_j \cdot |[s_j, e_j] \cap [s, e]| / |[s_j, e_j]|`. Also returns the number of
    days of ``[start, end]`` covered by at least one row (to tell "no plan" from "zero").
    """
    total = 0.0
    covered: set[dt.date] = set()
    for r in rows.itertuples(index=False):
        lo, hi = max(r.period_start, start), min(r.period_end, end)
        if hi < lo:
            continue
        days = (r.period_end - r.period_start).days + 1
        total += float(r.amount) * ((hi - lo).days + 1) / days
        covered.update(lo + dt.timedelta(days=k) for k in range((hi - lo).days + 1))
    return total, len(covered)


def coverage_kpis(
    created: pd.DataFrame,
    snaps_end: pd.DataFrame,
    snaps_start: pd.DataFrame | None,
    quotas: pd.DataFrame | None,
    won_before: Mapping[int, float],
    periods: Sequence[tuple[int, Period]],
    snapped: Sequence[int] = (),
) -> Values:
    r"""Pipeline created, open pipeline at the period's end and pipeline coverage.

    Coverage at the snapshot (the period's start, or ``as_of`` for a running period) is
    :math:`\text{open pipeline expected to close in the period} / (Q - W)`, with :math:`Q` the
    quota of the period (quota rows prorated by days) and :math:`W` what was won in the period
    before the snapshot. Only periods in ``snapped`` (those with a snapshot inside the data)
    get a coverage; none when no quota row covers every day of the period.
    """
    out: Values = {}
    cg = created.groupby("pi").sum(numeric_only=True)
    eg = snaps_end.groupby("pi").sum(numeric_only=True)
    sg = snaps_start.groupby("pi").sum(numeric_only=True) if snaps_start is not None else None
    for i, p in periods:
        if i in cg.index:
            r = cg.loc[i]
            _put(out, i, "pipeline_created", KpiValue(float(r["created_amt"]), n=int(r["created"])))
        else:
            _put(out, i, "pipeline_created", KpiValue(0.0, n=0))
        if i in eg.index:
            r = eg.loc[i]
            _put(out, i, "open_pipeline", KpiValue(float(r["open_amt"]), n=int(r["open_n"])))
        if sg is None or quotas is None or i not in snapped:
            continue
        q, covered = prorate(quotas, p.start, p.end)
        if covered < p.days or q <= 0:
            continue
        remaining = q - won_before.get(i, 0.0)
        closing = float(sg.loc[i, "closing_amt"]) if i in sg.index else 0.0
        n = int(sg.loc[i, "closing_n"]) if i in sg.index else 0
        value = closing / remaining if remaining > 0 else NAN
        _put(out, i, "pipeline_coverage", KpiValue(value, n=n))
    return out


def velocity(values: Values) -> None:
    r"""Sales velocity per day :math:`N \times w \times \bar a / T` (in place).

    :math:`N` deals created in the period, :math:`w` the win rate, :math:`\bar a` the average
    won deal and :math:`T` the median sales cycle in days.
    """
    for i, v in values.items():
        parts = [
            v.get(k) for k in ("pipeline_created", "win_rate", "avg_deal_size", "sales_cycle_days")
        ]
        if any(x is None for x in parts):
            continue
        created, win, deal, cycle = parts
        if not cycle.value or math.isnan(cycle.value):  # type: ignore[union-attr]
            continue
        val = created.n * win.value * deal.value / cycle.value  # type: ignore[union-attr]
        _put(values, i, "sales_velocity", KpiValue(val, n=created.n))  # type: ignore[union-attr]


# ------------------------------------------------------------------------------ efficiency


@dataclass(frozen=True)
class Spend:
    """Spend of one period: total and per category, and whether lines cover every day."""

    total: float
    sales: float
    marketing: float
    complete: bool


def period_spend(rows: pd.DataFrame, period: Period) -> Spend:
    """Spend lines prorated to ``period`` (to its effective end); ``complete`` when every day of
    it is covered by some line."""
    end = period.end_eff
    total, covered = prorate(rows, period.start, end)
    by = {}
    for cat in ("sales", "marketing"):
        sub = rows[rows["category"] == cat]
        by[cat] = prorate(sub, period.start, end)[0] if len(sub) else 0.0
    days = (end - period.start).days + 1
    return Spend(total, by["sales"], by["marketing"], covered >= days)


def efficiency_kpis(
    customers: pd.DataFrame,
    spend: Mapping[int, Spend],
    spend_previous: Mapping[int, Spend],
    won_acv: Mapping[int, float],
    *,
    has_category: bool,
    gross_margin: float | None,
    monthly_churn: float | None,
) -> Values:
    r"""CAC (blended, sales-only, marketing-only), CAC payback, LTV, LTV:CAC and magic number.

    With :math:`S` the spend of the period, :math:`C` the new customers (accounts whose first
    won deal closed in the period), :math:`m = \text{their ACV} / C / 12` the monthly revenue per
    new customer, :math:`g` the gross margin and :math:`c` the monthly churn:

    .. math::

        \mathrm{CAC} = S / C,\quad \text{payback} = \mathrm{CAC} / (m g),\quad
        \mathrm{LTV} = m g / c,\quad \text{magic number} = \mathrm{ARR}_{new} / S_{prev}

    where :math:`\mathrm{ARR}_{new}` is the ACV of every deal won in the period and
    :math:`S_{prev}` the sales and marketing spend of the previous period of the same length.
    A period without complete spend lines gives nothing (never a 0).
    """
    out: Values = {}
    cust = (
        customers.set_index("pi") if len(customers) else pd.DataFrame(columns=["customers", "acv"])
    )
    for i, s in spend.items():
        c = int(cust.loc[i, "customers"]) if i in cust.index else 0
        acv = float(cust.loc[i, "acv"]) if i in cust.index else 0.0
        prev = spend_previous.get(i)
        if prev is not None and prev.complete and prev.total > 0 and i in won_acv:
            _put(out, i, "magic_number", KpiValue(won_acv[i] / prev.total, n=c))
        if not s.complete or c == 0:
            continue
        cac = s.total / c
        _put(out, i, "cac_blended", KpiValue(cac, n=c))
        if has_category:
            _put(out, i, "cac_sales", KpiValue(s.sales / c, n=c))
            _put(out, i, "cac_marketing", KpiValue(s.marketing / c, n=c))
        monthly = acv / c / 12.0
        if gross_margin is not None and monthly > 0:
            _put(
                out,
                i,
                "cac_payback_months",
                KpiValue(cac / (monthly * gross_margin), n=c, assumed=True),
            )
            if monthly_churn is not None:
                ltv = monthly * gross_margin / monthly_churn
                _put(out, i, "ltv", KpiValue(ltv, n=c, assumed=True))
                _put(out, i, "ltv_to_cac", KpiValue(ltv / cac, n=c, assumed=True))
    return out


# ------------------------------------------------------------------------------ comparisons


def compare(
    current: KpiValue | None, other: KpiValue | None, key: str, alpha: float
) -> tuple[float, float, float]:
    """``current − other`` with an interval where the KPI is a statistic.

    Proportions (``x``/``n`` known): Newcombe's hybrid score interval; other statistics: the
    normal interval from both standard errors (:func:`difference_interval`; for medians the
    standard errors come from their intervals, an approximation); totals and accounting ratios:
    the plain difference without an interval. Both periods are treated as independent samples.
    """
    if current is None or other is None or math.isnan(current.value) or math.isnan(other.value):
        return (NAN, NAN, NAN)
    if not spec(key).statistic:
        return (current.value - other.value, NAN, NAN)
    if not math.isnan(current.x) and not math.isnan(other.x) and current.n and other.n:
        return newcombe_diff_interval(current.x, current.n, other.x, other.n, alpha=alpha)
    return difference_interval(current.value, current.se, other.value, other.se, alpha=alpha)
