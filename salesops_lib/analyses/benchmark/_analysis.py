"""Benchmarking reps, teams, regions and territories: the public function (orchestration).

See :mod:`salesops_lib.analyses.benchmark` for what it computes and why.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import resolve_source
from salesops_lib.analyses._docstrings import fill
from salesops_lib.analyses.benchmark import _engine as E
from salesops_lib.analyses.benchmark._availability import _availability
from salesops_lib.analyses.benchmark._compare import (
    benchmark_table,
    recognition_lists,
    territory_balance,
)
from salesops_lib.analyses.benchmark._definitions import (
    _LEVELS,
    _PART_COLUMNS,
    _PART_COMPANY_KEYS,
    _REP_RESULT_COLUMNS,
    _UNKNOWN_NAME,
    UNKNOWN_REP,
    load_benchmarks,
)
from salesops_lib.analyses.benchmark._narrative import _fmt_date, _outside_message
from salesops_lib.analyses.benchmark._result import BenchmarkResult
from salesops_lib.analyses.benchmark._stats import (
    _div,
    _funnel_limits,
    _funnel_status,
    _km_median,
    _rank_intervals,
    _rate_columns,
    _shrink,
    active_selling_days,
    attainment_distribution,
    clear_level,
    group_figures,
    ramped_quota,
)
from salesops_lib.data.money import data_currency
from salesops_lib.data.period import Period, to_date, trailing_quarters
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _
from salesops_lib.viz import format as F

__all__ = ["benchmark_reps"]

# --------------------------------------------------------------------------------------------
# roster
# --------------------------------------------------------------------------------------------


def _roster(src: Any) -> pd.DataFrame:
    reps = src.table("reps")
    cols = [
        c
        for c in ("rep_id", "name", "team", "region", "territory", "role", "hired_at", "left_at")
        if c in reps.columns
    ]
    r = reps.select(cols).to_pandas()
    r["rep_id"] = r["rep_id"].astype(str)
    for c, default in (
        ("name", None),
        ("team", "No team"),
        ("region", "No region"),
        ("territory", "No territory"),
    ):
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
        "closed": int(tot("closed_outside")),
        "won": int(tot("won_outside")),
        "won_amount": tot("won_amount_outside"),
        "closed_amount": tot("closed_amount_outside"),
        "after_left": int(tot("after_left_outside")),
        "created": int(tot("created_outside")),
        "activities": int(acts_outside["n"].sum()) if len(acts_outside) else 0,
        "first_close": None,
        "last_close": None,
        "owners": [],
    }
    out["before_hire"] = out["closed"] - out["after_left"]
    if out["closed"]:
        d = deals[deals["closed_outside"] > 0]
        out["first_close"] = pd.Timestamp(d["first_outside"].min()).date()
        out["last_close"] = pd.Timestamp(d["last_outside"].max()).date()
        out["owners"] = sorted(d.groupby("rep_id")["closed_outside"].sum().astype(int).items())
    return out


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
    lead_keys = {
        k for k in company if k.startswith("rep_leads") or k in ("unowned_leads", "unassigned")
    }
    bal_keys = {
        k
        for k in company
        if k.startswith(
            ("leads_per_rep_", "accounts_per_rep_", "open_pipeline_per_rep_", "open_deals_per_rep_")
        )
    }
    if "territory_balance" in na:
        keys |= bal_keys
    if "lead_assignment" in na:
        keys |= lead_keys
    if "open_pipeline" in na or "amounts" in na:
        keys |= {k for k in bal_keys if k.startswith("open_pipeline")}
    return {k: (np.nan if k in keys else v) for k, v in company.items()}


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------


@fill
def benchmark_reps(
    source: Any,
    *,
    as_of: Any = None,
    period_start: Any = None,
    period_end: Any = None,
    level: Literal["rep", "team", "region", "territory"] = "rep",
    benchmarks_file: str | Path | Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
    ramp_schedule: Sequence[float] = (0.25, 0.5, 0.75),
    quota_basis: Literal["full", "adjusted"] = "full",
    min_closed: int = 30,
    certainty: float = 0.95,
    attainment_thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    overload_ratio: float = 1.5,
    alpha: float = 0.05,
    seed: int = 0,
    compare_previous: bool = True,
    currency: str = "USD",
) -> BenchmarkResult:
    """Benchmark reps, teams, regions and territories for a period, fairly and with intervals.

    Parameters
    ----------
    {source}
        Needs ``opportunities`` and ``reps``; uses ``activities``, ``quotas``, ``leads`` and
        ``accounts`` when present.
    {as_of}
    period_start, period_end
        The period (dates, inclusive). Default: the four quarters ending with the quarter of
        ``as_of``, up to ``as_of``.
    level
        Which table ``.to_frame()`` returns: ``"rep"``, ``"team"``, ``"region"``, ``"territory"``.
    benchmarks_file
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
    currency
        Currency of the amounts when the data does not say (no ``opportunities.currency`` /
        ``quotas.currency``); the data's own currency wins, and a mix is an error.

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
        raise ParamsError(
            "level", f"got {level!r}", expected="'rep', 'team', 'region' or 'territory'"
        )
    if not 0 < certainty < 1:
        raise ParamsError("certainty", f"got {certainty!r}", expected="a probability in (0, 1)")
    if any((not isinstance(r, int | float)) or r < 0 or r > 1 for r in ramp_schedule):
        raise ParamsError(
            "ramp_schedule",
            f"got {list(ramp_schedule)!r}",
            expected="fractions between 0 and 1, e.g. [0.25, 0.5, 0.75]",
        )
    if quota_basis not in ("full", "adjusted"):
        raise ParamsError("quota_basis", f"got {quota_basis!r}", expected="'full' or 'adjusted'")
    if not attainment_thresholds:
        raise ParamsError("attainment_thresholds", "is empty", expected="e.g. [0.8, 1.0, 1.2]")
    if overload_ratio <= 1:
        raise ParamsError(
            "overload_ratio", f"got {overload_ratio!r}", expected="a number > 1, e.g. 1.5"
        )
    external = load_benchmarks(benchmarks_file)  # fail fast, before any query

    src = resolve_source(source, as_of=as_of)
    for t in ("opportunities", "reps"):
        src.require(t, needed_for="benchmarking (the leaderboard needs deals and reps)")
    as_of_ts = pd.Timestamp(src.as_of)
    default = trailing_quarters(as_of_ts, 4)
    start = default.start if period_start is None else to_date(period_start, "period_start")
    end = default.end if period_end is None else to_date(period_end, "period_end")
    if end < start:
        raise ParamsError(
            "period_end",
            f"{end} is before period_start {start}",
            expected="period_end on or after period_start",
        )
    if start > as_of_ts.date():
        raise ParamsError(
            "period_start",
            f"{start} is after the as-of time {as_of_ts:%Y-%m-%d}",
            expected="a period that starts on or before as_of",
        )
    options = {
        "level": level,
        "ramp_schedule": ramp_schedule,
        "quota_basis": quota_basis,
        "min_closed": min_closed,
        "certainty": certainty,
        "attainment_thresholds": attainment_thresholds,
        "overload_ratio": overload_ratio,
        "alpha": alpha,
        "seed": seed,
        "currency": currency,
    }
    period = Period(start, end, as_of_ts)
    prev_period = None
    if compare_previous:
        # the same stretch before: same length, as-of moved back alike
        prev = Period(start, period.end_eff).previous()
        p_as_of = as_of_ts - (pd.Timestamp(period.end_eff) - pd.Timestamp(prev.end))
        prev_period = Period(prev.start, prev.end, p_as_of)
    # what does not depend on the period (roster, accounts per territory, the quota-overlap
    # check) is read once for both periods; the deals of both periods are one query
    shared: dict[str, Any] = {"periods": [period] + ([prev_period] if prev_period else [])}
    res = _benchmark_period(src, period, external=external, shared=shared, **options)
    res.benchmarks_file = (
        Path(benchmarks_file).as_posix() if isinstance(benchmarks_file, str | Path) else None
    )
    res.source = src
    if prev_period is not None:
        with warnings.catch_warnings():
            # data-quality warnings of the earlier window are not this report's banner
            warnings.simplefilter("ignore")
            res.previous = _benchmark_period(
                src,
                prev_period,
                external=load_benchmarks(None),
                shared=shared,
                **options,
            )
    return res


def _period_key(period: Period) -> tuple[Any, Any, Any]:
    return (period.start, period.end, pd.Timestamp(period.as_of))


def _counts(name: str, period: Period, shared: dict[str, Any], many: Any, one: Any) -> pd.DataFrame:
    """``one(period)``; the periods listed in ``shared["periods"]`` (the current and the
    previous one) are counted by the first call with ``many(periods)``, one query for all,
    and kept in ``shared`` under ``name`` for the next call."""
    if name not in shared:
        periods = shared.get("periods") or [period]
        frames = many(periods)
        shared[name] = {_period_key(p): f for p, f in zip(periods, frames, strict=True)}
    out = shared[name].pop(_period_key(period), None)
    return one(period) if out is None else out


def _benchmark_period(
    src: Any,
    period: Period,
    *,
    external: pd.DataFrame | None,
    level: str,
    ramp_schedule: Sequence[float],
    quota_basis: str,
    min_closed: int,
    certainty: float,
    attainment_thresholds: Sequence[float],
    overload_ratio: float,
    alpha: float,
    seed: int,
    currency: str = "USD",
    shared: dict[str, Any] | None = None,
) -> BenchmarkResult:
    """Every figure of :func:`benchmark_reps` for one period (no previous-period comparison).

    ``shared``: a dict kept between the calls for two periods of one source; the roster, the
    accounts per territory and the quota-overlap check, which do not depend on the period, are
    read into it by the first call and reused (copied) by the next; with ``shared["periods"]``
    (the periods to be asked for) the first call counts the deals of all of them in one query
    (one scan of the opportunities; the activities and leads are filtered by period, which a
    per-period query prunes better than one query over both periods: slower at 10M).
    """
    shared = {} if shared is None else shared
    start, end, as_of_ts = period.start, period.end, pd.Timestamp(period.as_of)
    currency = data_currency(src, default=currency, tables=("opportunities", "quotas"))
    end_eff = period.end_eff
    working_days = int(np.busday_count(start, end_eff + dt.timedelta(days=1)))

    opps = src.table("opportunities")
    if "roster" not in shared:
        shared["roster"] = _roster(src)
    roster = shared["roster"].copy()
    known = set(roster["rep_id"])
    unknown: set[str] = set()

    reps_t = src.table("reps")
    deals = _map_owner(
        _counts(
            "deals",
            period,
            shared,
            lambda ps: E.deal_counts_periods(opps, ps, reps=reps_t),
            lambda p: E.deal_counts(opps, p, reps=reps_t),
        ),
        known,
        unknown,
    )
    cyc = _map_owner(E.cycle_counts(opps, period, reps=reps_t), known, unknown)
    pipe = _map_owner(E.open_pipeline(opps, period), known, unknown)
    if src.has_table("activities"):
        acts_all = _map_owner(
            E.activity_counts(src.table("activities"), period, reps=reps_t), known, unknown
        )
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
        leads = (
            _map_owner(leads, known, unknown)
            if "owner_id" in leads_t.columns
            else (leads.assign(rep_id=UNKNOWN_REP))
        )
    else:
        leads = pd.DataFrame({"rep_id": [], "lead_territory": [], "leads": []})
    if "accounts" not in shared:
        shared["accounts"] = None
        if src.has_table("accounts") and "territory" in src.table("accounts").columns:
            shared["accounts"] = E.territory_accounts(src.table("accounts"))
    accounts = None if shared["accounts"] is None else shared["accounts"].copy()
    quotas = pd.DataFrame(columns=["rep_id", "period_start", "period_end", "amount"])
    if src.has_table("quotas"):
        qt = src.table("quotas")
        if not shared.get("quotas_checked"):
            E.check_quota_overlaps(qt)
            shared["quotas_checked"] = True
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
        rp = pd.concat(
            [
                rp,
                pd.DataFrame(
                    [
                        {
                            "rep_id": UNKNOWN_REP,
                            "name": _UNKNOWN_NAME,
                            "team": _UNKNOWN_NAME,
                            "region": _UNKNOWN_NAME,
                            "territory": _UNKNOWN_NAME,
                            "hired_at": pd.NaT,
                            "left_at": pd.NaT,
                            "active_days": 0,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    rp = rp.set_index("rep_id")
    count_cols = [
        "closed",
        "won",
        "lost",
        "closed_amount",
        "won_amount",
        "won_with_amount",
        "won_sq",
        "lost_sq",
        "won_acv",
        "won_with_term",
        "opps_created",
        "pipeline_generated",
    ]
    for c in count_cols:
        rp[c] = deal_sums[c].reindex(rp.index).fillna(0) if c in deal_sums else 0
    for c in ("closed", "won", "lost", "won_with_amount", "won_with_term", "opps_created"):
        rp[c] = rp[c].astype(int)
    if not acts.empty:
        by_type = acts.pivot_table(
            index="rep_id", columns="type", values="n", aggfunc="sum", fill_value=0
        )
    else:
        by_type = pd.DataFrame()
    rp["activities"] = (
        by_type.sum(axis=1).reindex(rp.index).fillna(0).astype(int) if not by_type.empty else 0
    )
    for t, col in (("call", "calls"), ("email", "emails"), ("meeting", "meetings")):
        rp[col] = by_type[t].reindex(rp.index).fillna(0).astype(int) if t in by_type.columns else 0
    rp["open_deals"] = (
        num(pipe, "open_deals").reindex(rp.index).fillna(0).astype(int) if len(pipe) else 0
    )
    rp["open_pipeline"] = (
        num(pipe, "open_pipeline").reindex(rp.index).fillna(0.0) if len(pipe) else 0.0
    )
    rp = rp.reset_index()
    rp = _rate_columns(rp, alpha=alpha)
    has_acv = bool(rp["won_with_term"].sum() > 0)
    if not has_acv:
        rp["avg_won_acv"] = np.nan

    # ---- cycle per rep (Kaplan–Meier median, censoring-aware)
    cyc_r = (
        cyc[["rep_id", "duration", "event", "n"]]
        if len(cyc)
        else pd.DataFrame({"rep_id": [], "duration": [], "event": [], "n": []})
    )
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
            kw = {
                "quota_start": q.period_start,
                "quota_end": q.period_end,
                "start": start,
                "end": end_eff,
                "hired_at": hired.get(q.rep_id),
                "left_at": left.get(q.rep_id),
            }
            if quota_basis == "adjusted":
                kw = {**kw, "hired_at": None, "left_at": None}
            sched = tuple(ramp_schedule) if quota_basis == "full" else ()
            adj[q.rep_id] = adj.get(q.rep_id, 0.0) + ramped_quota(q.amount, schedule=sched, **kw)
            raw[q.rep_id] = raw.get(q.rep_id, 0.0) + ramped_quota(
                q.amount, **{**kw, "hired_at": None, "left_at": None}
            )
        rp["quota"] = rp["rep_id"].map(raw).fillna(0.0)
        rp["quota_adjusted"] = rp["rep_id"].map(adj).fillna(0.0)
        missing_q = sorted(set(quotas["rep_id"]) - set(roster["rep_id"]))
        if missing_q:
            unknown.update(missing_q)
    rp["quota_attainment"] = _div(rp["won_amount"], rp["quota_adjusted"])
    rp["won_amount_quota"] = np.where(rp["quota_adjusted"] > 0, rp["won_amount"], 0.0)
    ramp_end = rp["hired_at"] + pd.DateOffset(
        months=len(ramp_schedule) if quota_basis == "full" else 3
    )
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
        # classify by the exact binomial tails the limits stand for (2.5% / 0.1% each side),
        # not by the smoothed limit lines: with n = 2 the smoothed 99.8% line sits at 99.9%, so
        # 2 won of 2 (probability 44% at a 67% company rate) would be drawn as an outlier
        status = _funnel_status(won_k, closed_k, company_rate)
        rp.loc[is_ranked, "funnel_status"] = status
        n_grid = np.unique(
            np.round(np.geomspace(max(1, closed_k.min() * 0.5), closed_k.max() * 1.1, 120))
        )
        grid = _funnel_limits(company_rate, n_grid)

    # ---- unknown owners
    unknown_list = sorted(unknown)
    messages: list[str] = []
    if unknown_list:
        n_unk_deals = int(rp.loc[rp["rep_id"] == UNKNOWN_REP, "closed"].sum())
        msg = _(
            "{n} owner id(s) appear in the data but not in the `reps` table: {owners}. Their "
            "{deals} closed deal(s) and other records are grouped as 'Unknown rep': counted in "
            "company totals, not ranked. Add them to `reps` to rank them."
        ).format(
            n=len(unknown_list),
            owners=", ".join(unknown_list[:10]) + (", …" if len(unknown_list) > 10 else ""),
            deals=F.fmt_int(n_unk_deals),
        )
        messages.append(msg)
        warnings.warn(msg, UserWarning, stacklevel=2)

    out_msg = _outside_message(
        outside, dict(zip(roster["rep_id"], roster["name"], strict=True)), currency
    )
    if out_msg:
        messages.append(out_msg)
        warnings.warn(out_msg, UserWarning, stacklevel=2)

    # ---- what the data cannot support: omitted with a note, never shown as 0
    na = _availability(
        src,
        roster=roster,
        deal_sums=deal_sums,
        pipe=pipe,
        acts=acts,
        leads=leads,
        quotas=quotas,
        period=f"{_fmt_date(start)} – {_fmt_date(end_eff)}",
    )

    # ---- groups
    cyc_g = cyc_r
    teams = group_figures(rp, cyc_g, by="team", alpha=alpha, working_days=working_days)
    regions = group_figures(rp, cyc_g, by="region", alpha=alpha, working_days=working_days)
    territories = group_figures(rp, cyc_g, by="territory", alpha=alpha, working_days=working_days)

    # ---- company figures
    comp_row = rp.assign(_all="all")
    company_g = group_figures(
        comp_row, cyc_g.assign(), by="_all", alpha=alpha, working_days=working_days
    ).iloc[0]
    known_rp = rp[rp["rep_id"] != UNKNOWN_REP]
    with_quota = known_rp[known_rp["quota_adjusted"] > 0]
    att = attainment_distribution(
        with_quota["quota_attainment"], thresholds=attainment_thresholds, alpha=alpha
    )
    bal, la, disp = territory_balance(
        rp, leads, accounts=accounts, working_days=working_days, overload_ratio=overload_ratio
    )
    company: dict[str, Any] = {
        "reps": len(known_rp),
        "reps_active": int((known_rp["active_days"] > 0).sum()),
        "fte_reps": float(known_rp["active_days"].sum()) / max(working_days, 1),
        "working_days": working_days,
        "deals_closed_outside_employment": outside["closed"],
        "won_outside_employment": outside["won"],
        "won_amount_outside_employment": outside["won_amount"],
        "closed": tot_closed,
        "won": tot_won,
        "win_rate": tot_won / tot_closed if tot_closed else np.nan,
        "reference_win_rate": company_rate,
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
        if len(with_quota)
        else np.nan,
        "share_at_quota": float(att.loc[att["threshold"] == 1.0, "share"].iloc[0])
        if (att["threshold"] == 1.0).any()
        else np.nan,
        "velocity_per_day": float(company_g["velocity_per_day"]),
        "prior_alpha": prior[0],
        "prior_beta": prior[1],
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
    bench = benchmark_table(rp, company, external, min_closed=min_closed, working_days=working_days)
    med_act = known_rp.loc[known_rp["active_days"] > 0, "activities_per_day"].median()
    n_compared = int(is_ranked.sum())
    clear = clear_level(certainty, n_compared)
    rec, coach, watch = recognition_lists(
        rp,
        company_rate=company_rate,
        prior=prior,
        certainty=certainty,
        clear_certainty=clear,
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
                note = (
                    _(
                        "{reason}; note: territory {territory} is overloaded with leads, which "
                        "drives attainment."
                    )
                    if st == "overloaded"
                    else _(
                        "{reason}; note: territory {territory} is underloaded with leads, which "
                        "drives attainment."
                    )
                )
                df.at[i, "reason"] = note.format(reason=df.at[i, "reason"].rstrip("."), territory=t)

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
    rp = rp.sort_values(
        ["shrunk_win_rate", "closed"], ascending=[False, False], na_position="last"
    ).reset_index(drop=True)
    return BenchmarkResult(
        reps=rp,
        teams=teams,
        regions=regions,
        territories=territories,
        benchmarks=bench,
        attainment=att,
        balance=bal,
        lead_assignment=la,
        recognition=rec,
        coaching=coach,
        watch=watch,
        clear_certainty=clear,
        n_compared=n_compared,
        uncredited=outside,
        funnel=grid,
        company=company,
        period_start=start,
        period_end=end,
        as_of=as_of_ts,
        level=level,
        min_closed=min_closed,
        certainty=certainty,
        alpha=alpha,
        ramp_schedule=tuple(float(x) for x in ramp_schedule) if quota_basis == "full" else (),
        quota_basis=quota_basis,
        attainment_thresholds=tuple(float(x) for x in attainment_thresholds),
        overload_ratio=overload_ratio,
        unknown_owners=unknown_list,
        data_warnings=messages,
        row_counts=rows,
        has_acv=has_acv,
        working_days=working_days,
        not_available=na,
        currency=currency,
    )
