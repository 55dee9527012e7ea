"""The public function of the sales KPI scorecard: orchestration only."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import pandas as pd

from salesops_lib.analyses._base import resolve_source
from salesops_lib.analyses._docstrings import fill
from salesops_lib.analyses.kpis import _engine as E
from salesops_lib.analyses.kpis import _stats as S
from salesops_lib.analyses.kpis._result import FRAME_COLUMNS, KpiResult
from salesops_lib.data.money import data_currency
from salesops_lib.data.period import Period, last_full_period
from salesops_lib.data.sources import DEFAULT_SOURCE, Source
from salesops_lib.errors import DataValidationError, ParamsError
from salesops_lib.viz.format import count_noun

__all__ = ["check_inputs", "default_period", "running", "sales_kpis"]

_NO_TARGETS: Mapping[str, float] = MappingProxyType({})
_BREAKDOWN_COLUMNS = ("team", "region", "territory", "manager", "role")


def running(p: Period) -> bool:
    """Whether ``p`` is still running at its ``as_of``: its last day comes after the as-of date.

    The as-of day itself counts as complete (the data ends then), as a bare as-of date does.
    """
    return p.end_eff < p.end


def default_period(as_of: Any, grain: str) -> Period:
    """The last full calendar week (Mon–Sun), month or quarter that ends on or before the
    as-of date (the as-of day counts as complete: the data ends then); see
    :func:`~salesops_lib.data.period.last_full_period`."""
    return last_full_period(as_of, grain)


def _period(as_of: pd.Timestamp, start: Any, end: Any, grain: str) -> Period:
    if start is None and end is None:
        p = default_period(as_of, grain)
    elif start is None or end is None:
        missing = "period_start" if start is None else "period_end"
        raise ParamsError(
            missing, "missing", expected="both period_start and period_end, or neither"
        )
    else:
        p = Period(pd.Timestamp(start).date(), pd.Timestamp(end).date())
    if p.start > as_of.date():
        raise ParamsError(
            "period_start",
            f"{p.start} is after the data's as-of time {as_of}",
            expected="a period that has started by as_of",
        )
    return Period(p.start, p.end, as_of)


def _trend(period: Period, n: int) -> list[Period]:
    """``n`` periods of the same length ending with ``period``.

    A period still running at ``as_of`` is compared with the same stretch of the earlier ones
    (:meth:`Period.previous` moves the cut back). A complete period is compared with complete
    ones: chaining ``previous()`` would otherwise carry a capped cut across months of
    different lengths (the quarter before Q1 would end on 29 Dec).
    """
    out = [period]
    while len(out) < n:
        prev = out[0].previous()
        out.insert(0, prev if running(period) else prev.with_as_of(None))
    return out


# ------------------------------------------------------------------------------ input checks


def _check_spend(src: Source) -> None:
    n, ex = E.spend_overlaps(src.table("spend"))
    if n == 0:
        return
    examples = [
        f"{r.cat or '(no category)'}/{r.ch or '(no channel)'}: {r.a_start}–{r.a_end} overlaps "
        f"{r.b_start}–{r.b_end}"
        for r in ex.itertuples(index=False)
    ]
    raise DataValidationError(
        table="spend",
        column="period_start",
        rule="spend lines of the same category and channel must not overlap (the overlapping "
        "days would be counted twice)",
        n_failing=n,
        examples=examples,
        fix="keep one line per category, channel and period (drop superseded lines, or split "
        "them so their dates do not overlap)",
    )


def _check_quotas(src: Source, period: Period) -> None:
    q = E.quota_rows(src.table("quotas"), period.start, period.end)
    _, covered = S.prorate(q, period.start, period.end)
    if covered >= period.days:
        return
    span = (
        f"they cover {covered} of its {count_noun(period.days, 'day')}"
        if len(q)
        else "no quota row overlaps it"
    )
    raise DataValidationError(
        table="quotas",
        column="period_start",
        rule=f"quotas are missing for the period {period.label} ({period.start}–{period.end}): "
        f"{span}",
        n_failing=None,
        fix="add the quota rows of every rep for the period (quotas.period_start/period_end), "
        "or choose a period the quotas cover",
    )


def _check_breakdown(src: Source, breakdown: str | None) -> None:
    if breakdown is None:
        return
    if not src.has_table("reps"):
        raise ParamsError(
            "breakdown",
            f"{breakdown!r} needs the table `reps` (the owner's group), which the source lacks",
            fix="remove `breakdown` or add the reps table",
        )
    cols = src.table("reps").columns
    if breakdown not in cols or breakdown == "rep_id":
        have = [c for c in _BREAKDOWN_COLUMNS if c in cols]
        raise ParamsError(
            "breakdown",
            f"{breakdown!r} is not a column of `reps`",
            expected="one of " + ", ".join(have) if have else "a column of reps",
        )


def check_inputs(
    source: Any = DEFAULT_SOURCE,
    *,
    as_of: Any = None,
    period_start: Any = None,
    period_end: Any = None,
    grain: str = "month",
    breakdown: str | None = None,
    currency: str = "USD",
    **_: Any,
) -> tuple[Source, Period, str]:
    """Check the data for the scorecard before anything is computed.

    Raises
    ------
    DataValidationError
        A currency mix, spend lines that overlap, quotas missing for the period.
    ParamsError
        A bad period or breakdown.
    """
    src = resolve_source(source, as_of=as_of)
    period = _period(src.as_of, period_start, period_end, grain)
    cur = data_currency(src, default=currency)
    if src.has_table("spend"):
        _check_spend(src)
    if src.has_table("quotas") and src.has_table("opportunities"):
        _check_quotas(src, period)
    _check_breakdown(src, breakdown)
    return src, period, cur


# ------------------------------------------------------------------------------ availability


def _needs(src: Source, gross_margin: float | None, monthly_churn: float | None) -> dict[str, str]:
    """KPI → what it needs, for every KPI the source's tables and columns cannot give."""
    out: dict[str, str] = {}

    def cols(name: str) -> list[str]:
        return list(src.table(name).columns) if src.has_table(name) else []

    def missing(keys: Sequence[str], need: str) -> None:
        for k in keys:
            out.setdefault(k, need)

    acts, opps, spend = cols("activities"), cols("opportunities"), cols("spend")
    if not acts:
        missing(list(S.ACTIVITY_KPIS), "table `activities`")
    if not src.has_table("reps"):
        missing(list(S.ACTIVITY_KPIS), "table `reps` (selling days per rep)")
    response = ["response_median_hours", "response_p90_hours", "contacted_1h", "contacted_24h"]
    if not src.has_table("leads"):
        missing(response, "table `leads`")
    elif not acts:
        missing(response, "table `activities`")
    elif "lead_id" not in acts:
        missing(response, "column `activities.lead_id`")
    if not src.has_table("lead_history"):
        missing(["mql_to_sql"], "table `lead_history`")
    deals = [
        "win_rate",
        "win_rate_value",
        "avg_deal_size",
        "acv",
        "sales_cycle_days",
        "close_date_slip",
        "pipeline_created",
        "open_pipeline",
        "pipeline_coverage",
        "sales_velocity",
    ]
    efficiency = [
        "cac_blended",
        "cac_sales",
        "cac_marketing",
        "cac_payback_months",
        "ltv",
        "ltv_to_cac",
        "magic_number",
    ]
    if not opps:
        missing(deals + efficiency, "table `opportunities`")
    elif "amount" not in opps:
        missing(
            [
                "win_rate_value",
                "avg_deal_size",
                "acv",
                "pipeline_created",
                "open_pipeline",
                "pipeline_coverage",
                "sales_velocity",
                *efficiency,
            ],
            "column `opportunities.amount`",
        )
    if not src.has_table("quotas"):
        missing(["pipeline_coverage"], "table `quotas`")
    if not src.has_table("opportunity_history"):
        missing(
            ["pipeline_coverage"],
            "table `opportunity_history` (expected close dates as "
            "they stood at the period's start)",
        )
    elif "close_date" not in cols("opportunity_history"):
        missing(["pipeline_coverage"], "column `opportunity_history.close_date`")
    if not src.has_table("opportunity_history"):
        missing(["close_date_slip"], "table `opportunity_history` (expected close dates)")
    elif "close_date" not in cols("opportunity_history"):
        missing(["close_date_slip"], "column `opportunity_history.close_date`")
    if opps and "account_id" not in opps:
        missing(efficiency[:-1], "column `opportunities.account_id` (new customers)")
    if not spend:
        missing(efficiency, "table `spend`")
    elif "category" not in spend:
        missing(["cac_sales", "cac_marketing"], "column `spend.category` (sales / marketing)")
    if gross_margin is None:
        missing(
            ["cac_payback_months", "ltv", "ltv_to_cac"],
            "parameter `gross_margin` (the data has no cost of revenue)",
        )
    if monthly_churn is None:
        missing(["ltv", "ltv_to_cac"], "parameter `monthly_churn` (the data has no churn)")
    return out


_NO_VALUE = {
    "pipeline_coverage": "quota rows covering every day of the period",
    "cac_blended": "spend lines covering every day of the period and at least one new customer",
    "magic_number": "spend lines covering every day of the previous period",
    "sales_cycle_days": "half of the period's deals won by the as-of time (the median is not "
    "reached yet)",
    "response_median_hours": "half of the period's leads contacted by the as-of time (not reached)",
    "response_p90_hours": "90% of the period's leads contacted by the as-of time (not reached)",
    "mql_to_sql": "MQLs followed for the whole window by the as-of time (not yet measurable: "
    "shorten window_days or score an earlier period)",
    "sales_velocity": "the median sales cycle of the period (not reached yet)",
}


# ------------------------------------------------------------------------------ the analysis


def _groups(trend: list[Period], ly: Period) -> list[list[tuple[int, Period]]]:
    """Period sets whose members do not overlap (each engine query reads its tables once for
    all the sets: :mod:`._engine`)."""
    n = len(trend)
    t = list(enumerate(trend))
    if any(p.start <= ly.end and ly.start <= p.end for p in trend):
        return [t, [(n, ly)]]
    return [[*t, (n, ly)]]


@fill
def sales_kpis(
    source: Any = DEFAULT_SOURCE,
    *,
    as_of: Any = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    grain: str = "month",
    trend_periods: int = 6,
    breakdown: str | None = None,
    targets: Mapping[str, float] = _NO_TARGETS,
    mql_status: str = "MQL",
    sql_status: str = "SQL",
    window_days: int = 30,
    gross_margin: float | None = None,
    monthly_churn: float | None = None,
    currency: str = "USD",
    alpha: float = 0.05,
) -> KpiResult:
    """The sales KPI scorecard of a period: each KPI with its definition, interval, change
    against the previous period and the same period last year, trend and target.

    Parameters
    ----------
    {source}
    {as_of}
    {period}
        Both ``None``: the last full calendar ``grain`` before ``as_of``.
    grain
        ``"week"``, ``"month"`` or ``"quarter"``.
    trend_periods
        Periods in the trend (same length, ending with the period).
    breakdown
        A column of ``reps`` for the breakdown table (the owner's team, region, ...).
    targets
        Target per KPI key.
    mql_status, sql_status, window_days
        Statuses of ``lead_history`` and the MQL→SQL window (days).
    gross_margin, monthly_churn
        Assumed gross margin and monthly churn (fractions) for CAC payback and LTV.
    currency
        Currency when the data has no ``currency`` column.
    {alpha}

    Returns
    -------
    KpiResult
    """
    if trend_periods < 2:
        raise ParamsError("trend_periods", f"got {trend_periods}", expected="at least 2")
    bad = sorted(set(targets) - set(S.KPI_KEYS))
    if bad:
        raise ParamsError("targets", f"unknown KPI {', '.join(bad)}", expected="KPI keys")
    src, period, cur = check_inputs(
        source,
        as_of=as_of,
        period_start=period_start,
        period_end=period_end,
        grain=grain,
        breakdown=breakdown,
        currency=currency,
    )
    as_of_ts = src.as_of
    trend = _trend(period, trend_periods)
    ly = period.same_period_last_year()
    allp = [*trend, ly]
    idx = list(range(len(allp)))
    cur_i, prev_i, ly_i = len(trend) - 1, len(trend) - 2, len(trend)
    groups = _groups(trend, ly)
    needs = _needs(src, gross_margin, monthly_churn)
    values: dict[int, dict[str, S.KpiValue]] = {}
    frames: dict[str, pd.DataFrame] = {}

    def merge(new: dict[int, dict[str, S.KpiValue]]) -> None:
        for i, kv in new.items():
            values.setdefault(i, {}).update(kv)

    reps = E.reps_frame(src.table("reps"), breakdown) if src.has_table("reps") else None
    if "calls_per_rep_day" not in needs and reps is not None:
        acts = E.activity_counts(src.table("activities"), groups)
        frames["activities"] = acts
        merge(S.activity_kpis(acts, reps, list(enumerate(allp)), alpha))
    if "response_median_hours" not in needs:
        leads, acts_t = src.table("leads"), src.table("activities")
        rc = E.response_counts(leads, acts_t, groups, as_of_ts)
        merge(S.response_kpis(rc, idx, alpha))
    if "mql_to_sql" not in needs:
        mc = E.mql_counts(
            src.table("lead_history"),
            groups,
            as_of_ts,
            mql=mql_status,
            sql=sql_status,
            window_days=window_days,
        )
        merge(S.mql_kpi(mc, idx, window_days, alpha))
    won_acv: dict[int, float] = {}
    term = None
    if src.has_table("opportunities"):
        opps = src.table("opportunities")
        term = next((c for c in E.TERM_COLUMNS if c in opps.columns), None)
        closed = E.closed_sums(opps, groups, term)
        created = E.created_sums(opps, groups)
        frames["closed"], frames["created"] = closed, created
        merge(S.deal_kpis(closed, alpha))
        won_acv = closed.groupby("pi")["won_acv"].sum().to_dict() if len(closed) else {}
        cyc = E.cycle_counts(opps, groups, as_of_ts)
        merge(S.cycle_kpi(cyc, idx, alpha))
        history = src.table("opportunity_history") if src.has_table("opportunity_history") else None
        if "close_date_slip" not in needs and history is not None:
            slips = E.slip_counts(opps, history, groups)
            merge(S.slip_kpi(slips, alpha))
        one_sec = pd.Timedelta(seconds=1)
        ends = [
            (i, min(p.ts_end_eff, pd.Timestamp(p.as_of or as_of_ts) + one_sec), p.start, p.end)
            for i, p in enumerate(allp)
        ]
        snap_start, quotas, won_before = None, None, {}
        starts: list[tuple[int, pd.Timestamp, dt.date, dt.date]] = []
        if "pipeline_coverage" not in needs:
            first_deal = pd.Timestamp(opps.created_at.min().to_pandas())
            for i, p in enumerate(allp):
                at = pd.Timestamp(p.as_of) if running(p) else p.ts_start
                if at <= first_deal:  # the data starts later: no pipeline to measure
                    continue
                starts.append((i, at, at.date(), p.end))
                if running(p) and len(closed):
                    won_before[i] = float(closed.loc[closed["pi"] == i, "won_amt"].sum())
        # the snapshots at the ends and at the starts in one query (starts numbered after ends)
        n = len(allp)
        snaps = E.pipeline_snapshots(opps, history, [*ends, *((i + n, *s) for i, *s in starts)])
        snap_end = snaps[snaps["pi"] < n].reset_index(drop=True)
        frames["open"] = snap_end
        if "pipeline_coverage" not in needs:
            snap_start = snaps[snaps["pi"] >= n].reset_index(drop=True)
            snap_start["pi"] -= n
            frames["closing"] = snap_start
            quotas = E.quota_rows(src.table("quotas"), min(p.start for p in allp), period.end)
            frames["quotas"] = quotas
        merge(
            S.coverage_kpis(
                created,
                snap_end,
                snap_start,
                quotas,
                won_before,
                list(enumerate(allp)),
                snapped=[s[0] for s in starts],
            )
        )
        S.velocity(values)
        if "cac_blended" not in needs or "magic_number" not in needs:
            first = min(p.previous().start for p in allp)
            rows = E.spend_rows(src.table("spend"), first, period.end)
            spend = {i: S.period_spend(rows, p) for i, p in enumerate(allp)}
            spend_prev = {i: S.period_spend(rows, p.previous()) for i, p in enumerate(allp)}
            customers = (
                E.new_customers(opps, groups, as_of_ts, term)
                if "account_id" in opps.columns
                else pd.DataFrame(columns=["pi", "customers", "acv"])
            )
            merge(
                S.efficiency_kpis(
                    customers,
                    spend,
                    spend_prev,
                    won_acv,
                    has_category="category" in src.table("spend").columns,
                    gross_margin=gross_margin,
                    monthly_churn=monthly_churn,
                )
            )
    # a KPI the data cannot give for the period is "not available", never a 0
    for key in S.KPI_KEYS:
        if key in needs:
            continue
        v = values.get(cur_i, {}).get(key)
        if v is None or (isinstance(v.value, float) and math.isnan(v.value)):
            what = _NO_VALUE.get(key) or _NO_VALUE.get(
                "cac_blended" if key.startswith(("cac", "ltv")) else "", "data for the period"
            )
            needs[key] = what
    for kv in values.values():
        for key in needs:
            kv.pop(key, None)
    table = _table(values, cur_i, prev_i, ly_i, needs, targets, alpha)
    counts = _counts(frames, cur_i, src)
    bd = (
        _breakdown(frames, reps, period, cur_i, alpha, won_before.get(cur_i, 0.0))
        if breakdown
        else pd.DataFrame()
    )
    return KpiResult(
        period=period,
        trend=trend,
        last_year=ly,
        as_of=as_of_ts,
        currency=cur,
        values=values,
        table=table,
        not_available=needs,
        targets=dict(targets),
        counts=counts,
        params={
            "grain": grain,
            "window_days": window_days,
            "mql_status": mql_status,
            "sql_status": sql_status,
            "gross_margin": gross_margin,
            "monthly_churn": monthly_churn,
            "trend_periods": trend_periods,
            "term_column": term,
        },
        breakdown=bd,
        breakdown_by=breakdown,
        alpha=alpha,
        source=src,
    )


def _table(
    values: dict[int, dict[str, S.KpiValue]],
    cur_i: int,
    prev_i: int,
    ly_i: int,
    needs: Mapping[str, str],
    targets: Mapping[str, float],
    alpha: float,
) -> pd.DataFrame:
    rows = []
    nan = float("nan")
    for key in S.KPI_KEYS:
        v = values.get(cur_i, {}).get(key)
        p = values.get(prev_i, {}).get(key)
        y = values.get(ly_i, {}).get(key)
        ch = S.compare(v, p, key, alpha)
        chy = S.compare(v, y, key, alpha)
        rows.append(
            {
                "kpi": key,
                "value": v.value if v else nan,
                "ci_low": v.low if v else nan,
                "ci_high": v.high if v else nan,
                "n": v.n if v else 0,
                "previous": p.value if p else nan,
                "change": ch[0],
                "change_ci_low": ch[1],
                "change_ci_high": ch[2],
                "last_year": y.value if y else nan,
                "change_last_year": chy[0],
                "change_ly_ci_low": chy[1],
                "change_ly_ci_high": chy[2],
                "target": float(targets[key]) if key in targets else nan,
                "available": key not in needs,
                "assumed": bool(v.assumed) if v else False,
            }
        )
    return pd.DataFrame(rows, columns=[*FRAME_COLUMNS, "change_ly_ci_low", "change_ly_ci_high"])


def _counts(frames: Mapping[str, pd.DataFrame], i: int, src: Source) -> dict[str, Any]:
    out: dict[str, Any] = {}
    closed = frames.get("closed")
    if closed is not None and len(closed):
        out["closed"] = int(closed.loc[closed["pi"] == i, "closed"].sum())
    created = frames.get("created")
    if created is not None and len(created):
        out["created"] = int(created.loc[created["pi"] == i, "created"].sum())
    if out.get("closed"):
        out["units"], out["units_label"] = out["closed"], "closed deals"
    elif out.get("created"):
        out["units"], out["units_label"] = out["created"], "deals created"
    else:
        rows = src.describe()
        out["units"], out["units_label"] = int(rows["rows"].sum()), "rows"
    return out


def _breakdown(
    frames: Mapping[str, pd.DataFrame],
    reps: pd.DataFrame | None,
    period: Period,
    i: int,
    alpha: float,
    won_before: float,
) -> pd.DataFrame:
    """Per owner group (the reps column of ``breakdown``): the KPIs that add up over owners."""
    if reps is None:
        return pd.DataFrame()
    group = reps.set_index("rep_id")["group"].fillna("(none)")
    rows: dict[str, dict[str, Any]] = {}
    days = S.selling_days(reps, period)

    def g(df: pd.DataFrame | None) -> pd.DataFrame:
        if df is None or not len(df):
            return pd.DataFrame()
        d = df[df["pi"] == i].copy()
        d["group"] = d["owner_id"].map(group).fillna("(not in reps)")
        return d

    acts = g(frames.get("activities"))
    for name, gr in group.groupby(group):
        reps_g = [r for r in gr.index if days.get(r, 0) > 0]
        row = rows.setdefault(str(name), {"group": str(name)})
        row["reps"] = len(reps_g)
        if len(acts):
            a = acts[(acts["type"] == "call")].groupby("owner_id")["n"].sum()
            est = S.ratio_interval(
                a.reindex(reps_g, fill_value=0).to_numpy(dtype=float),
                days.reindex(reps_g).to_numpy(dtype=float),
                alpha=alpha,
            )
            row.update(calls=est.value, calls_low=est.low, calls_high=est.high)
    closed = g(frames.get("closed"))
    if len(closed):
        for name, d in closed.groupby("group"):
            row = rows.setdefault(str(name), {"group": str(name)})
            s = d.sum(numeric_only=True)
            wr = S._wilson(s["won"], s["closed"], alpha)
            ad = S.mean_interval(s["won_amt_n"], s["won_amt"], s["won_sq"], alpha=alpha)
            row.update(
                closed=int(s["closed"]),
                win_rate=wr.value,
                win_low=wr.low,
                win_high=wr.high,
                avg_deal=ad.value,
                won_amt=float(s["won_amt"]),
            )
    created = g(frames.get("created"))
    if len(created):
        for name, d in created.groupby("group"):
            rows.setdefault(str(name), {"group": str(name)})["pipeline_created"] = float(
                d["created_amt"].sum()
            )
    closing = g(frames.get("closing"))
    quotas = frames.get("quotas")
    if len(closing) and quotas is not None:
        q = quotas.copy()
        q["group"] = q["rep_id"].map(group).fillna("(not in reps)")
        for name, d in closing.groupby("group"):
            quota, covered = S.prorate(q[q["group"] == name], period.start, period.end)
            cov = (
                float(d["closing_amt"].sum()) / quota
                if quota > 0 and covered >= period.days
                else float("nan")
            )
            rows.setdefault(str(name), {"group": str(name)})["coverage"] = cov
    out = pd.DataFrame(list(rows.values()))
    return out.sort_values("group").reset_index(drop=True) if len(out) else out
