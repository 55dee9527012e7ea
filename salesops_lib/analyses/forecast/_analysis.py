"""The public function of the pipeline forecast: orchestration only."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import resolve_source
from salesops_lib.analyses._docstrings import fill
from salesops_lib.analyses.forecast import _engine as E
from salesops_lib.analyses.forecast import _stats as S
from salesops_lib.analyses.forecast._result import Backtest, Forecast, ForecastResult
from salesops_lib.data.period import Period, coming_period
from salesops_lib.data.sources import DEFAULT_SOURCE, Source
from salesops_lib.data.temp import materialised
from salesops_lib.errors import DataValidationError, ParamsError

__all__ = ["DEFAULT_STAGE_PROBABILITIES", "check_inputs", "default_period", "pipeline_forecast"]

#: Typical CRM stage probabilities (what a CRM admin types in), for the CRM weighted pipeline.
DEFAULT_STAGE_PROBABILITIES: Mapping[str, float] = MappingProxyType(
    {"Prospecting": 0.1, "Qualification": 0.2, "Proposal": 0.5, "Negotiation": 0.8}
)
#: The grains a forecast period can have.
_GRAINS = ("month", "quarter")
#: History used for the creation rate, training history, follow-up cap (days). Training
#: snapshots are taken at the end of every Sunday (:func:`_snapshot_grid`).
RATE_DAYS = 90
TRAIN_DAYS = 365
CAP_DAYS = 400
ONE_SEC = pd.Timedelta(seconds=1)


def _eod(d: dt.date) -> pd.Timestamp:
    return pd.Timestamp(d) + pd.Timedelta(days=1) - ONE_SEC


def default_period(as_of: Any, grain: str) -> Period:
    """The calendar month or quarter still to come at ``as_of``: the one holding the day after
    the as-of date (so an as-of on a period's last day forecasts the next period); see
    :func:`~salesops_lib.data.period.coming_period`."""
    return coming_period(as_of, grain, grains=_GRAINS)


def _months(grain: str) -> int:
    return 3 if grain == "quarter" else 1


# ------------------------------------------------------------------------------ input checks


def check_inputs(
    source: Any = DEFAULT_SOURCE,
    *,
    as_of: Any = None,
    period_start: Any = None,
    period_end: Any = None,
    grain: str = "quarter",
    target: float | None = None,
    currency: str = "USD",
    **_: Any,
) -> tuple[Source, Period, str, float, str]:
    """Check the data and the period before anything is computed.

    Returns the source, the period (cut at ``as_of``), the currency, the target and where the
    target comes from (``"quotas"`` or ``"parameter"``; without either the target is NaN and
    this says why, e.g. ``"no quotas table in the source"``).

    Raises
    ------
    ParamsError
        A period that has ended by ``as_of`` (the target period is in the past), half a period.
    DataValidationError
        No deal history before the forecast time, quotas that do not cover the period (without
        a ``target``), amounts in several currencies. Without a quotas table the forecast has
        no target, and says so.
    """
    src = resolve_source(source, as_of=as_of)
    t = src.as_of
    if (period_start is None) != (period_end is None):
        missing = "period_start" if period_start is None else "period_end"
        raise ParamsError(
            missing, "missing", expected="both period_start and period_end, or neither"
        )
    if period_start is None:
        period = default_period(t, grain)
    else:
        period = Period(pd.Timestamp(period_start).date(), pd.Timestamp(period_end).date())
    if period.end <= t.date():
        raise ParamsError(
            "period_end",
            f"the target period {period.label} ({period.start}–{period.end}) has ended by the "
            f"forecast time {t}: there is nothing left to forecast",
            expected="a period that ends after as_of (the bookings already won are in the KPI "
            "scorecard)",
        )
    opps = src.table("opportunities", needed_for="the pipeline forecast")
    hist = src.table("opportunity_history", needed_for="the pipeline forecast")
    cur = sorted(
        set(E.currencies(opps))
        | (set(E.currencies(src.table("quotas"))) if src.has_table("quotas") else set())
    )
    if len(cur) > 1:
        raise DataValidationError(
            table="opportunities",
            column="currency",
            rule="money must be in one currency (amounts in different currencies cannot be added)",
            examples=cur,
            fix="convert `opportunities.amount` (and `quotas.amount`) to one currency and set "
            "`currency` accordingly before forecasting",
        )
    first = E.first_history(hist)
    if first is None or first >= t - pd.Timedelta(days=RATE_DAYS):
        raise DataValidationError(
            table="opportunity_history",
            column="changed_at",
            rule=f"the forecast learns from deal history before the forecast time {t}, and "
            + (
                "there is none"
                if first is None
                else f"it starts on {first.date()}, less than {RATE_DAYS} days before"
            ),
            fix=f"use an as_of at least {RATE_DAYS} days after the first opportunity_history "
            "row, or load more history",
        )
    source_of_target = "parameter"
    if target is None:
        # no quotas table (an optional table): the forecast stands without a goal and says
        # why; a quotas table that misses the period is a data error (half a target misleads)
        target, source_of_target = math.nan, "no quotas table in the source"
        if src.has_table("quotas"):
            rows = E.quota_rows(src.table("quotas"), period.start, period.end)
            target, covered = S.prorate_quota(rows, period.start, period.end)
            if covered < period.days:
                raise DataValidationError(
                    table="quotas",
                    column="period_start",
                    rule=f"quotas are missing for the period {period.label} ({period.start}–"
                    f"{period.end}): "
                    + (
                        f"they cover {covered} of its {period.days} days"
                        if len(rows)
                        else "no quota row overlaps it"
                    ),
                    fix="add the quota rows of every rep for the period, or pass `target` (the "
                    "bookings goal of the period)",
                )
            source_of_target = "quotas"
    return (
        src,
        Period(period.start, period.end, t),
        (cur[0] if cur else currency.upper()),
        float(target),
        source_of_target,
    )


# ------------------------------------------------------------------------------ one forecast


@dataclass(frozen=True)
class _History:
    """What every forecast of one report learns from, computed once in the engine: the deals'
    history states (:func:`_engine.deal_states`, cut at the report's forecast time) and the
    deals open at each training snapshot of any of its forecasts (:func:`_engine.snapshot_cells`,
    snapshots at the end of every Sunday, ``grid[si]``)."""

    states: Any
    cells: Any
    grid: list[pd.Timestamp]

    def snapshots(self, t: pd.Timestamp) -> list[int]:
        """Indices in ``grid`` of the training snapshots of a forecast made at ``t``: the grid
        days of the :data:`TRAIN_DAYS` days before ``t``'s day."""
        lo = (t - pd.Timedelta(days=TRAIN_DAYS)).normalize()
        hi = t.normalize() - pd.Timedelta(days=1)
        return [i for i, s in enumerate(self.grid) if lo <= s.normalize() <= hi]


def _snapshot_grid(origins: list[pd.Timestamp]) -> list[pd.Timestamp]:
    """The end of every Sunday from :data:`TRAIN_DAYS` days before the earliest origin to the
    day before the latest: one weekly calendar for every forecast, so that a forecast's training
    snapshots (the Sundays of its past year) are the same whichever other forecasts share the
    grid: a backtest window is forecast exactly as a report made at its origin would be."""
    first = min(o - pd.Timedelta(days=TRAIN_DAYS) for o in origins).normalize()
    last = max(origins).normalize() - pd.Timedelta(days=1)
    return [_eod(d.date()) for d in pd.date_range(first, last, freq="W-SUN")]


def _forecast_at(
    opps: Any,
    history: _History,
    t: pd.Timestamp,
    start: dt.date,
    end: dt.date,
    *,
    stage_probabilities: Mapping[str, float],
    n_sims: int,
    seed: int,
    min_cell: int,
    current_categories: bool = False,
) -> Forecast:
    """The forecast of bookings closing in ``[start, end]`` made at time ``t`` (data after
    ``t`` is never read: the pipeline and the training counts are rebuilt as of ``t`` from
    ``history``)."""
    t_d = t.date()
    horizon = (end - max(t_d, start - dt.timedelta(days=1))).days
    snaps = history.snapshots(t)
    # snapshots followed for the whole horizon before t (a prefix of snaps)
    followed = [i for i in snaps if history.grid[i] + pd.Timedelta(days=horizon) <= t]
    counts = E.snapshot_counts(history.cells, snaps, t, cap_days=CAP_DAYS)
    outcomes = (
        E.snapshot_outcomes(history.cells, followed, t, horizon=horizon) if followed else None
    )
    model = S.win_probabilities(counts, horizon, min_cell=min_cell)
    shock_var, shock_n = S.common_shock(outcomes, model)
    deals = E.open_deals(history.states, t)
    deals = _with_probabilities(deals, model)
    deals["value"] = deals["amount"] * model.amount_ratio
    closing = deals["exp_close"].notna() & deals["exp_close"].between(start, end)
    deals["crm_p"] = deals["stage"].map(dict(stage_probabilities)).astype(float)
    deals["in_period"] = closing
    weighted = float((deals["amount"] * deals["crm_p"].fillna(0.0))[closing].sum())
    won_so_far, won_n = E.won_total(opps, start, t_d) if start <= t_d else (0.0, 0)
    # deals not created yet: creation rate (seasonal when a year of history allows) × the
    # (won, cycle, amount) of deals created in the past year and followed the whole time left
    days_left = (end - t_d).days
    rate = E.created_count(opps, t - pd.Timedelta(days=RATE_DAYS), t) / RATE_DAYS
    season = _seasonal_factor(opps, t, start, end)
    rate *= season
    past_end = t - pd.Timedelta(days=days_left)
    n_past, past = E.past_new_deals(
        opps, past_end - pd.Timedelta(days=TRAIN_DAYS), past_end, days=days_left
    )
    new_mean, w = S.new_deal_weights(past, n_past, rate, days_left)
    sizes = pd.DataFrame({"amount": past["amount"] if len(past) else [], "n": w})
    sizes = sizes[sizes["n"] > 0]
    sample = S.simulate_bookings(
        deals["p"].to_numpy(),
        deals["value"].to_numpy(),
        new_mean=new_mean,
        new_amounts=sizes["amount"].to_numpy() if len(sizes) else np.array([]),
        new_weights=sizes["n"].to_numpy() if len(sizes) else np.array([]),
        already_won=won_so_far,
        n_sims=n_sims,
        seed=seed,
        shock_var=shock_var,
    )
    # forecast categories have no history: they are today's values, usable only when the
    # forecast is made at the data's last time (not in the backtest, not with an earlier as_of)
    if current_categories:
        fc = deals["forecast_category"].fillna("").str.strip().str.lower()
    else:
        deals["forecast_category"] = None
        fc = pd.Series("", index=deals.index)
    commit = won_so_far + float(deals.loc[closing & (fc == "commit"), "amount"].sum())
    best = commit + float(deals.loc[closing & (fc == "best case"), "amount"].sum())
    return Forecast(
        as_of=t,
        start=start,
        end=end,
        horizon=horizon,
        sample=sample,
        deals=deals,
        model=model,
        training_rows=int(counts["n"].sum()) if len(counts) else 0,
        snapshots=len(snaps),
        already_won=won_so_far,
        already_won_n=won_n,
        # no open deal's stage has a CRM probability (another CRM's stage names): not a $0
        # weighted pipeline, but none at all
        weighted_pipeline=(
            math.nan if len(deals) and deals["crm_p"].isna().all() else won_so_far + weighted
        ),
        commit=commit if deals["forecast_category"].notna().any() else math.nan,
        best_case=best if deals["forecast_category"].notna().any() else math.nan,
        new_rate=rate,
        season=season,
        shock_var=shock_var,
        shock_n=shock_n,
        new_mean=new_mean,
        new_size_mean=float(np.average(sizes["amount"], weights=sizes["n"])) if len(sizes) else 0.0,
    )


def _with_probabilities(deals: pd.DataFrame, model: Any) -> pd.DataFrame:
    """``deals`` with the model's ``p``, ``cell_n`` and ``level`` of each deal's cell (looked
    up once per distinct stage × age bucket × due bucket, not once per deal)."""
    keys = ["stage", "age_b", "due_b"]
    if deals.empty:
        return deals.assign(p=pd.Series(dtype=float), cell_n=pd.Series(dtype="int64"), level=None)
    cells = deals[keys].drop_duplicates().reset_index(drop=True)
    looked = [model.lookup(st, int(a), int(d)) for st, a, d in cells.itertuples(index=False)]
    cells["p"] = [x[0] for x in looked]
    cells["cell_n"] = [x[1] for x in looked]
    cells["level"] = [x[2] for x in looked]
    out = deals.merge(cells, on=keys, how="left", validate="many_to_one")
    out.index = deals.index
    return out


def _seasonal_factor(opps: Any, t: pd.Timestamp, start: dt.date, end: dt.date) -> float:
    """Deals created in the period a year earlier over those created in the 90 days before the
    forecast time a year earlier (1 without a year and 90 days of history): scales the recent
    creation rate to the season of the period."""
    year = pd.DateOffset(years=1)
    first = E.first_history_created(opps)
    if first is None or first > t - year - pd.Timedelta(days=RATE_DAYS):
        return 1.0
    lo, hi = _eod(start - dt.timedelta(days=1)) - year, _eod(end) - year
    then = E.created_count(opps, lo, hi) / max((hi - lo).days, 1)
    before = E.created_count(opps, t - year - pd.Timedelta(days=RATE_DAYS), t - year) / RATE_DAYS
    return float(then / before) if before > 0 and then > 0 else 1.0


def _backtest_windows(t: pd.Timestamp, grain: str, n_periods: int) -> list[tuple[int, Any, Any]]:
    """The last ``n_periods`` windows ``(index, start, end)`` of the target's length that ended
    by ``t``, one starting on each month start (so quarter windows overlap), oldest first."""
    months = _months(grain)
    last_start = (pd.Timestamp(t.date()) + pd.Timedelta(days=1)).to_period(
        "M"
    ).start_time - pd.DateOffset(months=months)
    windows = []
    for i in range(n_periods):
        s = (last_start - pd.DateOffset(months=i)).date()
        e = ((pd.Timestamp(s) + pd.DateOffset(months=months)) - pd.Timedelta(days=1)).date()
        windows.append((i, s, e))
    windows.sort(key=lambda w: w[1])
    return windows


def _backtest(
    opps: Any,
    hist: Any,
    history: _History,
    windows: list[tuple[int, Any, Any]],
    grain: str,
    **kw: Any,
) -> Backtest:
    """Forecasts made at the start of each backtest window (:func:`_backtest_windows`), against
    what was booked."""
    first = E.first_history(hist)
    rows = []
    samples = []
    actual = E.backtest_actuals(opps, windows).set_index("wi")
    for i, s, e in windows:
        origin = _eod(s - dt.timedelta(days=1))
        if first is None or origin - pd.Timedelta(days=RATE_DAYS) < first:
            continue
        f = _forecast_at(opps, history, origin, s, e, **kw)
        y = float(actual.loc[i, "won_amt"]) if i in actual.index else 0.0
        run_rate = E.won_total(
            opps, (origin - pd.Timedelta(days=RATE_DAYS - 1)).date(), origin.date()
        )[0]
        days = (e - s).days + 1
        q = np.quantile(f.sample, [0.1, 0.5, 0.9])
        rows.append(
            {
                "period": Period(s, e).label,
                "start": s,
                "end": e,
                "as_of": origin,
                "forecast_p10": q[0],
                "forecast_p50": q[1],
                "forecast_p90": q[2],
                "forecast_mean": float(f.sample.mean()),
                "actual": y,
                "actual_n": int(actual.loc[i, "won_n"]) if i in actual.index else 0,
                "pit": float(np.mean(f.sample <= y)),
                "crps": S.crps_sample(f.sample, y),
                "weighted_pipeline": f.weighted_pipeline,
                "run_rate": run_rate / RATE_DAYS * days,
                "open_deals": len(f.deals),
            }
        )
        samples.append(f.sample)
    return Backtest(frame=pd.DataFrame(rows), grain=grain)


@fill
def pipeline_forecast(
    source: Any = DEFAULT_SOURCE,
    *,
    as_of: Any = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    grain: str = "quarter",
    target: float | None = None,
    stage_probabilities: Mapping[str, float] = DEFAULT_STAGE_PROBABILITIES,
    n_sims: int = 10_000,
    seed: int = 20260930,
    backtest_periods: int = 12,
    min_cell: int = 30,
    top_deals: int = 10,
    currency: str = "USD",
) -> ForecastResult:
    """Forecast the bookings of a period from the open pipeline and the deals still to come,
    learned from history, with its backtest on past periods.

    Parameters
    ----------
    {source}
    {as_of}
    {period}
        Both ``None``: the calendar ``grain`` still to come at ``as_of``.
    grain
        ``"month"`` or ``"quarter"``: the default period and the backtest windows' length.
    target
        Bookings goal of the period; ``None``: the sum of the quotas (prorated by days).
    stage_probabilities
        The CRM's typed-in probability per stage, for the CRM weighted pipeline shown beside.
    n_sims
        Monte Carlo draws.
    seed
        Seed of the numpy random Generator (same seed, same figures).
    backtest_periods
        Past windows forecast as if at their start and compared with what was booked.
    min_cell
        A stage × age × due-date cell needs at least this many deal-snapshots of history;
        otherwise a coarser cell is used.
    top_deals
        Deals shown in the "deals that matter most" table.
    currency
        Currency when the data has no ``currency`` column.

    Returns
    -------
    ForecastResult
    """
    if n_sims < 1000:
        raise ParamsError("n_sims", f"got {n_sims}", expected="at least 1000 draws")
    if backtest_periods < 1:
        raise ParamsError("backtest_periods", f"got {backtest_periods}", expected="at least 1")
    bad = {k: v for k, v in stage_probabilities.items() if not 0 <= float(v) <= 1}
    if bad:
        raise ParamsError("stage_probabilities", f"{bad} outside 0–1", expected="fractions")
    src, period, cur, tgt, tgt_from = check_inputs(
        source,
        as_of=as_of,
        period_start=period_start,
        period_end=period_end,
        grain=grain,
        target=target,
        currency=currency,
    )
    opps = src.table("opportunities")
    hist = src.table("opportunity_history")
    kw = {
        "stage_probabilities": stage_probabilities,
        "n_sims": n_sims,
        "seed": seed,
        "min_cell": min_cell,
    }
    t = src.as_of
    last = E.last_history(hist)
    current = last is not None and last <= t
    windows = _backtest_windows(t, grain, backtest_periods)
    # what every forecast learns from, computed once in the engine for the forecast and all
    # backtest windows: the deals' history states and the deals open at each snapshot
    grid = _snapshot_grid([t, *(_eod(s - dt.timedelta(days=1)) for _, s, _ in windows)])
    with (
        materialised(E.deal_states(opps, hist, t, since=grid[0])) as states,
        materialised(E.snapshot_cells(states, grid, t)) as cells,
    ):
        history = _History(states=states, cells=cells, grid=grid)
        fc = _forecast_at(
            opps, history, t, period.start, period.end, current_categories=current, **kw
        )
        bt = _backtest(opps, hist, history, windows, grain, **kw)
    return ForecastResult(
        period=period,
        as_of=t,
        currency=cur,
        target=tgt,
        target_source=tgt_from,
        forecast=fc,
        backtest=bt,
        params={
            "grain": grain,
            "n_sims": n_sims,
            "seed": seed,
            "min_cell": min_cell,
            "top_deals": top_deals,
            "backtest_periods": backtest_periods,
            "stage_probabilities": dict(stage_probabilities),
            # forecast categories have no history: usable only when forecasting at the data's end
            "categories_current": bool(current),
            "last_history": None if last is None else pd.Timestamp(last).isoformat(),
        },
        source=src,
    )
