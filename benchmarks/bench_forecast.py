"""Benchmark: the pipeline forecast's engine work, kit vs hand-written DuckDB SQL vs plain pandas.

The numbers compared are the training counts of the forecast of ``params/pipeline_forecast.yaml``
(made at ``as_of`` 2026-06-30 23:59:59): the pipeline rebuilt from ``opportunity_history`` as it
stood at each of the forecast's weekly training snapshots (``_snapshot_grid`` /
``_History.snapshots``: the 52 Sundays 2025-07-06 to 2026-06-28), grouped by
stage × age bucket × due bucket × days × event (how the deal ended by the forecast time:
``won``/``lost``, or ``open`` and censored at it; follow-up capped at 400 days) into ``n``
(deal-snapshots), ``amt`` (their amount then) and ``final_amt`` (their final amount). A deal's
state at a snapshot ``s`` is its last history row at or before ``s``; it is open at ``s`` when
created by ``s`` and not closed on or before ``s``'s date.

* kit: ``deal_states`` and ``snapshot_cells`` materialised as temp tables (as
  ``pipeline_forecast`` does) and ``snapshot_counts(cells, snaps, t, cap_days=400)``; all three
  are timed. The report builds them once for the forecast and its backtest (a longer grid) and
  reads the cells many times; here the grid is the forecast's own 52 snapshots.
* hand-written SQL: one DuckDB statement for the same table.
* pandas: the two tables read into memory (timed separately), then per snapshot the last
  history row per deal at or before it (sort once + ``drop_duplicates``), the same buckets and
  counts.

The script checks that all three agree (counts exactly, sums to 1e-9 relative) before printing
times.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_forecast.py --leads 1000000
    .venv/bin/python benchmarks/bench_forecast.py --leads 10000000 --skip-pandas

The warehouse is built once with ``generate_demo`` into ``--data-dir`` (default
``build/bench``, ignored by git) and reused, or ``--db`` names an existing one (opened
read-only; the kit's temp tables live in memory). Timings: median (and best) of ``--repeat``
warm runs after one warm-up, methods alternated round by round so that they see the same load.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import yaml
from _common import add_warehouse_args, build, print_times, time_pandas, timed

PARAMS = Path("params/pipeline_forecast.yaml")
KEYS = ["stage", "age_b", "due_b", "days", "event"]
COLS = ["n", "amt", "final_amt"]
CAP_DAYS = 400


def forecast_time() -> pd.Timestamp:
    """The forecast time of the report (``as_of`` of ``params/pipeline_forecast.yaml``, a bare
    date meaning the end of that day)."""
    from salesops_lib.data.period import parse_as_of

    return parse_as_of(str(yaml.safe_load(PARAMS.read_text())["as_of"]))


def snapshots(t: pd.Timestamp) -> list[pd.Timestamp]:
    """The training snapshots of the forecast made at ``t`` alone (the kit's own grid)."""
    from salesops_lib.analyses.forecast._analysis import _History, _snapshot_grid

    grid = _snapshot_grid([t])
    ids = _History(states=None, cells=None, grid=grid).snapshots(t)
    return [grid[i] for i in ids]


def kit(db: Path, t: pd.Timestamp, snaps: list[pd.Timestamp]) -> pd.DataFrame:
    """``deal_states`` → ``snapshot_cells`` (both temp tables) → ``snapshot_counts``."""
    from salesops_lib.analyses._base import resolve_source
    from salesops_lib.analyses.forecast import _engine as E
    from salesops_lib.data.temp import materialised

    src = resolve_source(str(db), as_of=t)
    opps, hist = src.table("opportunities"), src.table("opportunity_history")
    with (
        materialised(E.deal_states(opps, hist, t, since=snaps[0])) as states,
        materialised(E.snapshot_cells(states, snaps, t)) as cells,
    ):
        return E.snapshot_counts(cells, list(range(len(snaps))), t, cap_days=CAP_DAYS)


def _lit(ts: pd.Timestamp) -> str:
    return f"TIMESTAMP '{ts:%Y-%m-%d %H:%M:%S}'"


def hand_sql(t: pd.Timestamp, snaps: list[pd.Timestamp]) -> str:
    snap_list = ", ".join(_lit(s) for s in snaps)
    t_d = f"DATE '{t:%Y-%m-%d}'"
    return f"""
    WITH h AS (
      SELECT opportunity_id AS oid, changed_at, stage, amount AS h_amt, close_date AS h_cd,
             coalesce(lead(changed_at) OVER (PARTITION BY opportunity_id
                                             ORDER BY changed_at, stage),
                      {_lit(t + pd.Timedelta(days=1))}) AS until
      FROM opportunity_history WHERE changed_at <= {_lit(t)}
    ), o AS (
      SELECT opportunity_id AS oid, created_at, amount AS amt_now, coalesce(is_won, false) AS won,
             CASE WHEN coalesce(is_closed, false) THEN close_date END AS close_d
      FROM opportunities
    ), s AS (
      SELECT unnest([{snap_list}]) AS s
    ), p AS (
      SELECT h.stage, coalesce(h.h_amt, o.amt_now, 0) AS amount,
             coalesce(o.amt_now, 0) AS final_amount,
             CAST(s.s AS DATE) - CAST(o.created_at AS DATE) AS age,
             h.h_cd - CAST(s.s AS DATE) AS due,
             CASE WHEN o.close_d <= {t_d} THEN (CASE WHEN o.won THEN 'won' ELSE 'lost' END)
                  ELSE 'open' END AS ev,
             CASE WHEN o.close_d <= {t_d} THEN o.close_d ELSE {t_d} END
               - CAST(s.s AS DATE) AS d
      FROM s JOIN h ON h.changed_at <= s.s AND h.until > s.s
             JOIN o ON o.oid = h.oid
      WHERE o.created_at <= s.s AND (o.close_d IS NULL OR o.close_d > CAST(s.s AS DATE))
    )
    SELECT stage,
           CASE WHEN age IS NULL THEN 0 WHEN age < 30 THEN 0 WHEN age < 90 THEN 1
                WHEN age < 180 THEN 2 ELSE 3 END AS age_b,
           CASE WHEN due IS NULL THEN 3 WHEN due < 0 THEN 0 WHEN due < 30 THEN 1
                WHEN due < 90 THEN 2 ELSE 3 END AS due_b,
           least(d, {CAP_DAYS}) AS days,
           CASE WHEN d > {CAP_DAYS} THEN 'open' ELSE ev END AS event,
           count(*) AS n, sum(amount) AS amt, sum(final_amount) AS final_amt
    FROM p GROUP BY ALL ORDER BY ALL
    """


def load_pandas(db: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    out = {
        "h": con.sql(
            "SELECT opportunity_id, changed_at, stage, amount, close_date FROM opportunity_history"
        ).df(),
        "o": con.sql(
            "SELECT opportunity_id, created_at, is_closed, is_won, close_date, amount "
            "FROM opportunities"
        ).df(),
    }
    con.close()
    return out


def _bucket(x: pd.Series, edges: tuple[int, ...], null: int) -> np.ndarray:
    v = x.to_numpy(dtype=float)
    return np.where(np.isnan(v), null, np.searchsorted(edges, v, side="right")).astype("int64")


def pandas_impl(f: dict[str, pd.DataFrame], t: pd.Timestamp, snaps: list[pd.Timestamp]) -> Any:
    h, o = f["h"], f["o"]
    h = h[h["changed_at"] <= t].sort_values(["opportunity_id", "changed_at", "stage"])
    closed = o["is_closed"].fillna(False).astype(bool)
    o = pd.DataFrame(
        {
            "opportunity_id": o["opportunity_id"],
            "created_at": o["created_at"],
            "created_d": o["created_at"].dt.normalize(),
            "close_d": pd.to_datetime(o["close_date"]).where(closed),
            "won": o["is_won"].fillna(False).astype(bool),
            "amt_now": o["amount"],
        }
    )
    t_d = t.normalize()
    parts = []
    for s in snaps:
        s_d = s.normalize()
        last = h[h["changed_at"] <= s].drop_duplicates("opportunity_id", keep="last")
        j = last.merge(o, on="opportunity_id")
        j = j[(j["created_at"] <= s) & (j["close_d"].isna() | (j["close_d"] > s_d))]
        closed_by_t = j["close_d"].notna() & (j["close_d"] <= t_d)
        event = np.where(closed_by_t, np.where(j["won"], "won", "lost"), "open")
        days = (j["close_d"].where(closed_by_t, t_d) - s_d).dt.days
        due = (pd.to_datetime(j["close_date"]) - s_d).dt.days
        age = (s_d - j["created_d"]).dt.days
        parts.append(
            pd.DataFrame(
                {
                    "stage": j["stage"].to_numpy(),
                    "age_b": _bucket(age, (30, 90, 180), 0),
                    "due_b": _bucket(due, (0, 30, 90), 3),
                    "days": np.minimum(days.to_numpy(), CAP_DAYS),
                    "event": np.where(days.to_numpy() > CAP_DAYS, "open", event),
                    "amt": j["amount"].fillna(j["amt_now"]).fillna(0.0).to_numpy(),
                    "final_amt": j["amt_now"].fillna(0.0).to_numpy(),
                }
            )
        )
    p = pd.concat(parts, ignore_index=True)
    return p.groupby(KEYS, as_index=False).agg(
        n=("amt", "size"), amt=("amt", "sum"), final_amt=("final_amt", "sum")
    )


def canon(df: pd.DataFrame) -> pd.DataFrame:
    out = df[KEYS + COLS].copy()
    out["stage"] = out["stage"].astype(str)
    out["event"] = out["event"].astype(str)
    for c in ("age_b", "due_b", "days", "n"):
        out[c] = out[c].astype("int64")
    for c in ("amt", "final_amt"):
        out[c] = out[c].astype(float)
    return out.sort_values(KEYS).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_warehouse_args(ap)
    args = ap.parse_args(argv)

    db = args.db or build(args.data_dir, args.leads, args.seed)
    t = forecast_time()
    snaps = snapshots(t)
    con = duckdb.connect(str(db), read_only=True)
    sql = hand_sql(t, snaps)
    kit(db, t, snaps)  # warm-up: imports, file cache, table validation
    con.sql(sql).df()
    k_name = "kit (states + cells + counts)"
    times: dict[str, list[float]] = {k_name: [], "hand-written SQL": []}
    answers: dict[str, pd.DataFrame] = {}
    for _ in range(args.repeat):
        tk, out = timed(lambda: kit(db, t, snaps))
        times[k_name].append(tk)
        answers["kit"] = canon(out)
        ts, out = timed(lambda: con.sql(sql).df())
        times["hand-written SQL"].append(ts)
        answers["sql"] = canon(out)
    n_hist = int(con.sql("SELECT count(*) FROM opportunity_history").fetchall()[0][0])
    n_opps = int(con.sql("SELECT count(*) FROM opportunities").fetchall()[0][0])
    con.close()
    load_s = None
    if not args.skip_pandas:
        load_s, out = time_pandas(
            lambda: load_pandas(db),
            lambda frames: pandas_impl(frames, t, snaps),
            repeat=args.repeat,
            times=times,
        )
        answers["pandas"] = canon(out)
    ref = answers["sql"]
    for name, df in answers.items():
        pd.testing.assert_frame_equal(df, ref, check_exact=False, rtol=1e-9, obj=name)
        # counts and keys exactly (assert_frame_equal's rtol covers the sums)
        pd.testing.assert_frame_equal(df[[*KEYS, "n"]], ref[[*KEYS, "n"]], check_exact=True)

    print(
        f"\nPipeline forecast at {t}: {len(snaps)} weekly snapshots {snaps[0]:%Y-%m-%d} – "
        f"{snaps[-1]:%Y-%m-%d}, {int(ref['n'].sum()):,} deal-snapshots in {len(ref):,} rows, "
        f"from {n_hist:,} history rows of {n_opps:,} opportunities, {db.name}"
    )
    print(
        f"all {len(answers)} implementations agree; median (best) of {args.repeat} warm runs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print_times(times, kit=k_name, load_s=load_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
