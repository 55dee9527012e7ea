"""Benchmark: the kit's KPI scorecard vs hand-written DuckDB SQL vs plain pandas.

The numbers compared (the scored period of ``params/sales_kpis.yaml``: the last full quarter
before the as-of date, Q3 2026 on the demo, events after as-of never counted):

- closed deals (``close_date`` in the period, ``is_closed``) and the win rate (won / closed);
- the average won deal (won amount / won deals with an amount);
- calls per rep per selling day (calls of the reps in ``reps`` / their weekdays employed in
  the period);
- the median time to first contact in hours (leads created in the period; first activity with
  the lead's ``lead_id`` at or after its creation and by as-of; minutes rounded up per minute to
  48 h and per hour beyond, leads never contacted censored at as-of and rounded down; the
  Kaplan–Meier median). The SQL and pandas versions return the per-minute counts and share
  one small numpy Kaplan–Meier (the kit also does its curves in Python, on the same counts).

The script checks that all agree, then prints times and ratios. Rows:

- **kit, full scorecard**: ``sales_kpis`` with the params file, what the report pays: every KPI
  (about 30) for the period, the seven trend quarters before it and the same quarter last year,
  with intervals, comparisons and the breakdown by team; so its ratio to the SQL is an upper
  bound of the kit's overhead for these numbers;
- **kit, same numbers**: the kit's engine queries and statistics behind these numbers only, for
  the one period (``analyses.kpis._engine`` / ``_stats``: the same code the scorecard runs);
- **hand-written SQL**: one DuckDB query for the deal and activity figures and one for the
  first-contact counts;
- **pandas**: the tables' needed columns read into memory (time given separately), then
  straightforward pandas.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_kpis.py --leads 1000000          # builds build/bench/...
    .venv/bin/python benchmarks/bench_kpis.py --leads 10000000 --skip-pandas --repeat 3

``--db`` uses an existing demo warehouse (opened read-only); otherwise one with ``--leads``
leads is built once with ``generate_demo`` into ``--data-dir`` (default ``build/bench``, ignored
by git) and reused. ``--threads`` limits DuckDB's threads (default 2, the CI machine). Timings:
best and median of ``--repeat`` warm runs after one warm-up run (which also validates the
tables, as ``salesops run`` does once before the kernels start), the methods alternating round
by round so that both see the same machine load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml
from _common import add_warehouse_args, build, timed

PARAMS = Path("params/sales_kpis.yaml")
KEYS = ("closed", "win_rate", "avg_deal_size", "calls_per_rep_day", "response_median_hours")
MINUTE_LIMIT_S = 48 * 3600


def km_median_hours(minutes: np.ndarray, contacted: np.ndarray, n: np.ndarray) -> float:
    """Kaplan–Meier median (first event time with S(t) <= 0.5) from per-minute counts, hours."""
    df = pd.DataFrame({"t": minutes, "d": np.where(contacted, n, 0), "n": n})
    g = df.groupby("t", sort=True)[["d", "n"]].sum()
    at_risk = g["n"][::-1].cumsum()[::-1]
    surv = np.cumprod(1.0 - g["d"].to_numpy(dtype=float) / at_risk.to_numpy(dtype=float))
    hit = np.flatnonzero((g["d"].to_numpy() > 0) & (surv <= 0.5 + 1e-10))
    return float(g.index[hit[0]]) / 60.0 if len(hit) else float("nan")


# ---------------------------------------------------------------------------------------------
# the kit


def kit_full(src: Any, cfg: dict[str, Any]) -> dict[str, float]:
    from salesops_lib.analyses.kpis import sales_kpis

    res = sales_kpis(src, **cfg)
    cur = res.values[len(res.trend) - 1]
    out = {k: cur[k].value for k in KEYS if k != "closed"}
    out["closed"] = float(res.counts["closed"])
    return out


def kit_subset(src: Any, period: Any) -> dict[str, float]:
    from salesops_lib.analyses.kpis import _engine as E
    from salesops_lib.analyses.kpis import _stats as S

    groups = [[(0, period)]]
    closed = E.closed_sums(src.table("opportunities"), groups, None)
    v = S.deal_kpis(closed, 0.05)[0]
    reps = E.reps_frame(src.table("reps"), None)
    acts = E.activity_counts(src.table("activities"), groups)
    v.update(S.activity_kpis(acts, reps, [(0, period)], 0.05)[0])
    rc = E.response_counts(src.table("leads"), src.table("activities"), groups, src.as_of)
    v.update(S.response_kpis(rc, [0], 0.05)[0])
    out = {k: v[k].value for k in KEYS if k != "closed"}
    out["closed"] = float(closed["closed"].sum())
    return out


# ---------------------------------------------------------------------------------------------
# hand-written SQL


def sql_queries(period: Any, as_of: pd.Timestamp) -> tuple[str, str]:
    """The deal and activity figures, and the per-minute first-contact counts (DuckDB SQL)."""
    s, e = period.start, period.end_eff
    lo, hi, a = (
        f"TIMESTAMP '{s}'",
        f"TIMESTAMP '{e + dt.timedelta(days=1)}'",
        f"TIMESTAMP '{as_of}'",
    )
    figures = f"""
    WITH d AS (
      SELECT count(*) AS closed,
             count(*) FILTER (WHERE coalesce(is_won, false)) AS won,
             count(amount) FILTER (WHERE coalesce(is_won, false)) AS won_n,
             sum(amount) FILTER (WHERE coalesce(is_won, false)) AS won_amt
      FROM opportunities
      WHERE coalesce(is_closed, false) AND close_date BETWEEN DATE '{s}' AND DATE '{e}'
    ), days AS (
      SELECT r.rep_id, count(*) AS days
      FROM reps r CROSS JOIN generate_series(DATE '{s}', DATE '{e}', INTERVAL 1 DAY) AS g(day)
      WHERE isodow(g.day) <= 5
        AND (r.hired_at IS NULL OR CAST(g.day AS DATE) >= CAST(r.hired_at AS DATE))
        AND (r.left_at IS NULL OR CAST(g.day AS DATE) <= CAST(r.left_at AS DATE))
      GROUP BY r.rep_id
    ), calls AS (
      SELECT owner_id, count(*) AS n FROM activities
      WHERE lower(trim(type)) = 'call'
        AND occurred_at >= {lo} AND occurred_at < {hi} AND occurred_at <= {a}
      GROUP BY owner_id
    ), c AS (
      SELECT sum(coalesce(calls.n, 0)) / sum(days.days) AS calls_per_rep_day
      FROM days LEFT JOIN calls ON calls.owner_id = days.rep_id
    )
    SELECT d.closed, d.won / d.closed AS win_rate, d.won_amt / d.won_n AS avg_deal_size,
           c.calls_per_rep_day
    FROM d, c
    """
    first = f"""
    WITH l AS (
      SELECT lead_id, created_at FROM leads
      WHERE created_at >= {lo} AND created_at < {hi} AND created_at <= {a}
    ), f AS (
      SELECT l.lead_id, l.created_at, min(x.occurred_at) AS first
      FROM l LEFT JOIN activities x
        ON x.lead_id = l.lead_id AND x.occurred_at >= l.created_at AND x.occurred_at <= {a}
      GROUP BY l.lead_id, l.created_at
    ), m AS (
      SELECT first IS NOT NULL AS contacted,
             CASE WHEN first IS NOT NULL THEN epoch(first) - epoch(created_at)
                  ELSE epoch({a}) - epoch(created_at) END AS sec
      FROM f
    )
    SELECT contacted,
           greatest(CAST(CASE
             WHEN contacted AND sec <= {MINUTE_LIMIT_S} THEN ceil(sec / 60.0)
             WHEN contacted THEN ceil(sec / 3600.0) * 60
             WHEN sec <= {MINUTE_LIMIT_S} THEN floor(sec / 60.0)
             ELSE floor(sec / 3600.0) * 60 END AS BIGINT), 0) AS minutes,
           count(*) AS n
    FROM m GROUP BY ALL
    """
    return figures, first


def run_sql(con: duckdb.DuckDBPyConnection, queries: tuple[str, str]) -> dict[str, float]:
    fig = con.sql(queries[0]).df().iloc[0]
    fc = con.sql(queries[1]).df()
    out = {k: float(fig[k]) for k in ("closed", "win_rate", "avg_deal_size", "calls_per_rep_day")}
    out["response_median_hours"] = km_median_hours(
        fc["minutes"].to_numpy(), fc["contacted"].to_numpy(dtype=bool), fc["n"].to_numpy()
    )
    return out


# ---------------------------------------------------------------------------------------------
# pandas


def load_pandas(db: Path, period: Any) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    d = {
        "opportunities": con.sql(
            "SELECT is_closed, is_won, close_date, amount FROM opportunities"
        ).df(),
        "reps": con.sql("SELECT rep_id, hired_at, left_at FROM reps").df(),
        "activities": con.sql("SELECT owner_id, type, occurred_at, lead_id FROM activities").df(),
        "leads": con.sql("SELECT lead_id, created_at FROM leads").df(),
    }
    con.close()
    return d


def pandas_impl(d: dict[str, pd.DataFrame], period: Any, as_of: pd.Timestamp) -> dict[str, float]:
    s, e = pd.Timestamp(period.start), pd.Timestamp(period.end_eff)
    lo, hi = s, e + pd.Timedelta(days=1)
    o = d["opportunities"]
    cd = pd.to_datetime(o["close_date"])
    o = o[o["is_closed"].fillna(False).astype(bool) & (cd >= s) & (cd <= e)]
    won = o["is_won"].fillna(False).astype(bool)
    out = {
        "closed": float(len(o)),
        "win_rate": won.sum() / len(o),
        "avg_deal_size": o.loc[won, "amount"].mean(),
    }
    days = pd.bdate_range(s, e)
    reps = d["reps"]
    n_days = {}
    for r in reps.itertuples(index=False):
        mask = np.ones(len(days), dtype=bool)
        if pd.notna(r.hired_at):
            mask &= days >= pd.Timestamp(r.hired_at)
        if pd.notna(r.left_at):
            mask &= days <= pd.Timestamp(r.left_at)
        if mask.any():
            n_days[r.rep_id] = int(mask.sum())
    a = d["activities"]
    in_p = (a["occurred_at"] >= lo) & (a["occurred_at"] < hi) & (a["occurred_at"] <= as_of)
    calls = a[in_p & (a["type"].str.strip().str.lower() == "call")].groupby("owner_id").size()
    active = pd.Series(n_days)
    out["calls_per_rep_day"] = calls.reindex(active.index, fill_value=0).sum() / active.sum()
    le = d["leads"]
    le = le[(le["created_at"] >= lo) & (le["created_at"] < hi) & (le["created_at"] <= as_of)]
    x = a[a["lead_id"].notna() & (a["occurred_at"] <= as_of)][["lead_id", "occurred_at"]]
    j = le.merge(x, on="lead_id", how="inner")
    j = j[j["occurred_at"] >= j["created_at"]]
    first = j.groupby("lead_id")["occurred_at"].min()
    f = le.set_index("lead_id")
    f["first"] = first.reindex(f.index)
    contacted = f["first"].notna().to_numpy()
    sec = np.where(
        contacted,
        (f["first"] - f["created_at"]).dt.total_seconds(),
        (as_of - f["created_at"]).dt.total_seconds(),
    )
    minutes = np.where(
        contacted,
        np.where(sec <= MINUTE_LIMIT_S, np.ceil(sec / 60.0), np.ceil(sec / 3600.0) * 60),
        np.where(sec <= MINUTE_LIMIT_S, np.floor(sec / 60.0), np.floor(sec / 3600.0) * 60),
    )
    minutes = np.maximum(minutes, 0)
    out["response_median_hours"] = km_median_hours(minutes, contacted, np.ones(len(minutes)))
    return {k: float(v) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_warehouse_args(ap)
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    args = ap.parse_args(argv)

    from salesops_lib.analyses.kpis._analysis import _period
    from salesops_lib.data.period import parse_as_of
    from salesops_lib.data.sources import open_source

    db = args.db if args.db else build(args.data_dir, args.leads, args.seed)
    cfg = yaml.safe_load(PARAMS.read_text())
    for k in ("notebook", "title", "source"):
        cfg.pop(k, None)
    as_of = parse_as_of(cfg.pop("as_of"))
    period = _period(as_of, cfg.get("period_start"), cfg.get("period_end"), cfg["grain"])
    src = open_source(str(db), as_of=as_of)
    src.con.raw_sql(f"SET threads = {args.threads}")
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"SET threads = {args.threads}")
    queries = sql_queries(period, as_of)

    methods: dict[str, Callable[[], dict[str, float]]] = {
        "kit, full scorecard (sales_kpis)": lambda: kit_full(src, cfg),
        "kit, same numbers (engine + stats)": lambda: kit_subset(src, period),
        "hand-written SQL": lambda: run_sql(con, queries),
    }
    times: dict[str, list[float]] = {k: [] for k in methods}
    answers: dict[str, dict[str, float]] = {}
    for name, fn in methods.items():  # warm-up: validation, compilation, file caches
        answers[name] = fn()
    for _ in range(args.repeat):
        for name, fn in methods.items():
            t, answers[name] = timed(fn)
            times[name].append(t)
    load_s = None
    if not args.skip_pandas:
        load_s, frames = timed(lambda: load_pandas(db, period))
        name = "pandas (in memory)"
        times[name] = []
        for _ in range(max(1, min(args.repeat, 3))):
            t, answers[name] = timed(lambda: pandas_impl(frames, period, as_of))
            times[name].append(t)

    ref = answers["hand-written SQL"]
    for name, ans in answers.items():
        for k in KEYS:
            if not np.isclose(ans[k], ref[k], rtol=1e-9, atol=0.0, equal_nan=True):
                raise SystemExit(f"{name}: {k} = {ans[k]!r}, hand-written SQL: {ref[k]!r}")

    n_leads = con.execute("SELECT count(*) FROM leads").fetchone()[0]
    print()
    print(
        f"KPI scorecard, {period.label}, {n_leads:,} leads, DuckDB threads = {args.threads}, "
        f"best of {args.repeat} warm runs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"all {len(answers)} implementations agree: " + ", ".join(f"{k} {ref[k]:.6g}" for k in KEYS)
    )
    width = max(len(k) for k in times) + 2
    for k, ts in times.items():
        print(f"  {k:<{width}} {min(ts):8.3f} s   (median {statistics.median(ts):.3f} s)")
    if load_s is not None:
        print(f"  {'pandas: reading the columns into memory':<{width}} {load_s:8.3f} s")
    s = min(times["hand-written SQL"])
    print("ratios (best times):")
    for k in list(times)[:2]:
        print(f"  {k:<{width}} / hand-written SQL = {min(times[k]) / s:5.2f}x")
    if "pandas (in memory)" in times:
        kit = min(times["kit, same numbers (engine + stats)"])
        print(f"  pandas / kit (same numbers) = {min(times['pandas (in memory)']) / kit:5.2f}x")
    con.close()
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
