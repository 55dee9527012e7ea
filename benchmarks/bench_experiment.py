"""Benchmark: the kit's experiment read-out vs hand-written DuckDB SQL vs plain pandas.

The numbers compared are those of the demo experiment (campaign ``C_AB_MQL_SLA``): per arm the
units (multi-assigned leads excluded), the SQL-within-30-days conversions of mature units, and
for won revenue within 180 days the mature units, the cap (99th percentile of the non-zero
values, arms pooled), the capped mean and median and the uncapped mean. The script checks that
all three agree before printing times. The kit does more than the other two (design and
sample-ratio checks, balance, Welch, bootstrap, Mann–Whitney, CUPED, verdict); its time is the
whole ``evaluate_experiment`` call with those two metrics.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_experiment.py --leads 1000000
    .venv/bin/python benchmarks/bench_experiment.py --leads 10000000 --repeat 3

The warehouse is built once with ``generate_demo`` into ``--data-dir`` (default
``build/bench``, ignored by git) and reused. Timings: median (and best) of ``--repeat`` warm
runs after one warm-up, methods alternated round by round so that they see the same load.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from _common import add_warehouse_args, build, print_times, time_pandas, timed

CAMPAIGN = "C_AB_MQL_SLA"
CONTROL = "control"
BINARY = {"name": "SQL 30d", "kind": "binary", "stage": "SQL", "window_days": 30, "primary": True}
VALUE = {"name": "Won 180d", "kind": "value", "stage": "won", "window_days": 180,
         "winsorize_pct": 99}  # fmt: skip


def kit(db: Path, as_of: pd.Timestamp) -> pd.DataFrame:
    from salesops_lib.analyses.experiment import evaluate_experiment

    r = evaluate_experiment(
        str(db), campaign_id=CAMPAIGN, control=CONTROL, metrics=[BINARY, VALUE], as_of=as_of,
        sequential=False, n_boot=2000, seed=7,
    )  # fmt: skip
    arms = r.arms.set_index("variant")
    v = r.metric_arms["Won 180d"].set_index("variant")
    out = pd.DataFrame(
        {
            "n_bin": arms["n"],
            "conv": arms["conversions"],
            "n_val": v["n"],
            "cap": r.capping["Won 180d"]["cap"],
            "mean": v["mean"],
            "median": v["median"],
            "mean_raw": v["mean_uncapped"],
        }
    )
    return out.sort_index()


def hand_sql(as_of: pd.Timestamp) -> str:
    a = f"TIMESTAMP '{as_of}'"
    return f"""
    WITH cm AS (
      SELECT * FROM campaign_members
      WHERE campaign_id = '{CAMPAIGN}' AND (assigned_at IS NULL OR assigned_at <= {a})
    ), u AS (
      SELECT lead_id, min(variant) AS variant, min(assigned_at) AS assigned_at
      FROM cm GROUP BY lead_id HAVING count(DISTINCT variant) = 1
    ), sq AS (
      SELECT DISTINCT u.lead_id FROM u JOIN lead_history h USING (lead_id)
      WHERE h.status = 'SQL' AND h.changed_at >= u.assigned_at AND h.changed_at <= {a}
        AND h.changed_at <= u.assigned_at + INTERVAL 30 DAY
    ), b AS (
      SELECT u.variant, count(*) AS n_bin, count(sq.lead_id) AS conv
      FROM u LEFT JOIN sq USING (lead_id)
      WHERE u.assigned_at + INTERVAL 30 DAY <= {a} GROUP BY u.variant
    ), w AS (
      SELECT u.lead_id, sum(o.amount) AS y
      FROM u JOIN opportunities o USING (lead_id)
      WHERE o.is_won AND o.close_date IS NOT NULL
        AND CAST(o.close_date AS TIMESTAMP) >= date_trunc('day', u.assigned_at)
        AND CAST(o.close_date AS TIMESTAMP) <= {a}
        AND CAST(o.close_date AS TIMESTAMP) <= u.assigned_at + INTERVAL 180 DAY
      GROUP BY u.lead_id
    ), t AS (
      SELECT u.variant, coalesce(w.y, 0.0) AS y FROM u LEFT JOIN w USING (lead_id)
      WHERE u.assigned_at + INTERVAL 180 DAY <= {a}
    ), c AS (SELECT quantile_cont(y, 0.99) AS cap FROM t WHERE y <> 0),
    v AS (
      SELECT variant, count(*) AS n_val, any_value(cap) AS cap, avg(least(y, cap)) AS mean,
             median(least(y, cap)) AS median, avg(y) AS mean_raw
      FROM t, c GROUP BY variant
    )
    SELECT * FROM b JOIN v USING (variant) ORDER BY variant
    """


def load_pandas(db: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    out = {
        "cm": con.sql(f"SELECT * FROM campaign_members WHERE campaign_id = '{CAMPAIGN}'").df(),
        "h": con.sql("SELECT lead_id, status, changed_at FROM lead_history").df(),
        "o": con.sql("SELECT lead_id, is_won, close_date, amount FROM opportunities").df(),
    }
    con.close()
    return out


def pandas_impl(f: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> pd.DataFrame:
    cm = f["cm"]
    cm = cm[cm.assigned_at.isna() | (cm.assigned_at <= as_of)]
    g = cm.groupby("lead_id").agg(
        k=("variant", "nunique"), variant=("variant", "min"), assigned_at=("assigned_at", "min")
    )
    u = g[g.k == 1].drop(columns="k").reset_index()
    h = f["h"]
    h = h[h.status == "SQL"].merge(u, on="lead_id")
    h = h[
        (h.changed_at >= h.assigned_at)
        & (h.changed_at <= as_of)
        & (h.changed_at <= h.assigned_at + pd.Timedelta(days=30))
    ]
    ub = u[u.assigned_at + pd.Timedelta(days=30) <= as_of].copy()
    ub["y"] = ub.lead_id.isin(set(h.lead_id))
    b = ub.groupby("variant").agg(n_bin=("y", "size"), conv=("y", "sum"))
    o = f["o"]
    o = o[o.is_won & o.close_date.notna()].merge(u, on="lead_id")
    cd = pd.to_datetime(o.close_date)
    o = o[
        (cd >= o.assigned_at.dt.normalize())
        & (cd <= as_of)
        & (cd <= o.assigned_at + pd.Timedelta(days=180))
    ]
    uv = u[u.assigned_at + pd.Timedelta(days=180) <= as_of].copy()
    uv["y"] = uv.lead_id.map(o.groupby("lead_id")["amount"].sum()).fillna(0.0)
    cap = float(np.percentile(uv.y[uv.y != 0], 99))
    uv["yc"] = uv.y.clip(upper=cap)
    v = uv.groupby("variant").agg(
        n_val=("y", "size"), mean=("yc", "mean"), median=("yc", "median"), mean_raw=("y", "mean")
    )
    v["cap"] = cap
    return b.join(v)


def canon(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["n_bin", "conv", "n_val", "cap", "mean", "median", "mean_raw"]
    out = df.reset_index()
    out = out.rename(columns={out.columns[0]: "variant"})
    out["variant"] = out["variant"].astype(str)
    return out.set_index("variant").sort_index()[cols].astype(float)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_warehouse_args(ap)
    args = ap.parse_args(argv)

    db = args.db or build(args.data_dir, args.leads, args.seed)
    con = duckdb.connect(str(db), read_only=True)
    as_of = pd.Timestamp(con.sql("SELECT max(changed_at) FROM lead_history").fetchall()[0][0])
    sql = hand_sql(as_of)
    kit(db, as_of)  # warm-up: imports, file cache
    con.sql(sql).df()
    times: dict[str, list[float]] = {"kit (evaluate_experiment)": [], "hand-written SQL": []}
    answers: dict[str, pd.DataFrame] = {}
    for _ in range(args.repeat):
        t, out = timed(lambda: kit(db, as_of))
        times["kit (evaluate_experiment)"].append(t)
        answers["kit"] = canon(out)
        t, out = timed(lambda: con.sql(sql).df().set_index("variant"))
        times["hand-written SQL"].append(t)
        answers["sql"] = canon(out)
    con.close()
    load_s = None
    if not args.skip_pandas:
        load_s, out = time_pandas(
            lambda: load_pandas(db),
            lambda frames: pandas_impl(frames, as_of),
            repeat=args.repeat,
            times=times,
        )
        answers["pandas"] = canon(out)
    ref = answers["sql"]
    for name, df in answers.items():
        pd.testing.assert_frame_equal(df, ref, rtol=1e-9, obj=name)

    n = int(ref["n_bin"].sum())
    print(f"\nExperiment {CAMPAIGN} ({n:,} mature units in the 30-day metric), {db.name}")
    print(f"all {len(answers)} implementations agree; median (best) of {args.repeat} warm runs")
    print_times(times, kit="kit (evaluate_experiment)", load_s=load_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
