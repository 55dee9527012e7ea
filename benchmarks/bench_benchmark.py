"""Benchmark: the kit's rep benchmarking vs hand-written DuckDB SQL vs plain pandas.

The numbers compared are the core of the leaderboard for the period of
``params/benchmarking.yaml`` (1 Oct 2025 – 30 Sep 2026, as of 30 Sep 2026), per rep of the
``reps`` table with at least one closed deal:

* ``closed``: deals with ``is_closed`` and ``period_start <= close_date <= min(period_end,
  as_of)``, closed while the owner was employed (``hired_at <= close_date <= left_at``, a
  missing date is no bound), credited to ``owner_id``;
* ``won``: those of them with ``is_won``;
* ``win_rate``: ``won / closed``;
* ``won_amount``: the sum of the won deals' ``amount`` (a missing amount counts 0).

The script checks that all agree before printing times. Rows:

- **kit (benchmark_reps)**: the whole call with the report's parameters, which does much more
  than the others (the previous period for comparison, cycle times, activities, quotas and
  attainment, open pipeline, intervals and shrunk win rates, lists, territories); its ratio to
  the SQL is an upper bound of the kit's overhead for these numbers;
- **kit, same numbers**: the kit's engine queries behind these numbers only, for the one
  period (``analyses.benchmark._analysis._roster`` and ``_engine.deal_counts``: the same code
  the call runs), on a source opened once; so its ratio to the SQL measures the engine code's
  overhead (Ibis compile, the wider aggregate) against hand-written SQL;
- **hand-written SQL**: one DuckDB group-by;
- **pandas**: the needed columns read into memory (time given separately), then plain pandas.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_benchmark.py --leads 1000000
    .venv/bin/python benchmarks/bench_benchmark.py --leads 10000000 --skip-pandas

The warehouse is built once with ``generate_demo`` into ``--data-dir`` (default
``build/bench``, ignored by git) and reused, or ``--db`` names an existing one. Timings: median
(and best) of ``--repeat`` warm runs after one warm-up, methods alternated round by round so
that they see the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml
from _common import add_warehouse_args, build, print_times, time_pandas, timed

PARAMS = Path("params/benchmarking.yaml")
COLS = ["closed", "won", "win_rate", "won_amount"]
SAME = "kit, same numbers (engine queries)"


def params() -> dict[str, Any]:
    """The report's parameters (``params/benchmarking.yaml``) as ``benchmark_reps`` keywords."""
    from salesops_lib.analyses.benchmark import BenchmarkParams

    raw = yaml.safe_load(PARAMS.read_text())
    raw.pop("notebook", None)
    return BenchmarkParams(**raw).to_kwargs()


def period(kw: dict[str, Any]) -> tuple[str, str]:
    """``(period_start, end_eff)`` as ISO dates: the period cut at ``as_of``."""
    start, end = pd.Timestamp(str(kw["period_start"])), pd.Timestamp(str(kw["period_end"]))
    as_of = pd.Timestamp(str(kw["as_of"])).normalize()
    return f"{start:%Y-%m-%d}", f"{min(end, as_of):%Y-%m-%d}"


def kit(db: Path, kw: dict[str, Any]) -> pd.DataFrame:
    from salesops_lib.analyses.benchmark import benchmark_reps

    res = benchmark_reps(**{**kw, "source": str(db)})
    return res.reps.set_index("rep_id")[COLS]


def kit_subset(src: Any, period: Any) -> pd.DataFrame:
    """The kit's queries for these numbers only: the roster and the deal counts of one period."""
    from salesops_lib.analyses.benchmark import _analysis as A
    from salesops_lib.analyses.benchmark import _engine as E

    known = set(A._roster(src)["rep_id"])
    d = E.deal_counts(src.table("opportunities"), period, reps=src.table("reps"))
    d = d[d["owner_id"].isin(known) & (d["closed"] > 0)].set_index("owner_id")
    return d.assign(win_rate=d["won"] / d["closed"])[COLS]


def hand_sql(start: str, end: str) -> str:
    return f"""
    SELECT CAST(o.owner_id AS VARCHAR) AS rep_id,
           count(*) AS closed,
           count(*) FILTER (WHERE coalesce(o.is_won, false)) AS won,
           count(*) FILTER (WHERE coalesce(o.is_won, false)) / count(*) AS win_rate,
           coalesce(sum(coalesce(o.amount, 0)) FILTER (WHERE coalesce(o.is_won, false)), 0)
             AS won_amount
    FROM opportunities o JOIN reps r ON CAST(o.owner_id AS VARCHAR) = CAST(r.rep_id AS VARCHAR)
    WHERE coalesce(o.is_closed, false)
      AND o.close_date BETWEEN DATE '{start}' AND DATE '{end}'
      AND (r.hired_at IS NULL OR o.close_date >= CAST(r.hired_at AS DATE))
      AND (r.left_at IS NULL OR o.close_date <= CAST(r.left_at AS DATE))
    GROUP BY 1
    """


def load_pandas(db: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    out = {
        "o": con.sql(
            "SELECT owner_id, is_closed, is_won, close_date, amount FROM opportunities"
        ).df(),
        "r": con.sql("SELECT rep_id, hired_at, left_at FROM reps").df(),
    }
    con.close()
    return out


def pandas_impl(f: dict[str, pd.DataFrame], start: str, end: str) -> pd.DataFrame:
    o, r = f["o"], f["r"]
    cd = pd.to_datetime(o["close_date"])
    o = o[o["is_closed"].fillna(False).astype(bool) & cd.between(start, end)]
    r = r.assign(rep_id=r["rep_id"].astype(str))
    o = o.assign(rep_id=o["owner_id"].astype(str)).merge(r, on="rep_id")
    cd = pd.to_datetime(o["close_date"])
    hired = pd.to_datetime(o["hired_at"]).dt.normalize()
    left = pd.to_datetime(o["left_at"]).dt.normalize()
    o = o[(hired.isna() | (cd >= hired)) & (left.isna() | (cd <= left))]
    won = o["is_won"].fillna(False).astype(bool)
    o = o.assign(won=won, won_amount=o["amount"].fillna(0.0).where(won, 0.0))
    g = o.groupby("rep_id").agg(
        closed=("won", "size"), won=("won", "sum"), won_amount=("won_amount", "sum")
    )
    g["win_rate"] = g["won"] / g["closed"]
    return g


def canon(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reset_index()
    out = out.rename(columns={out.columns[0]: "rep_id"})
    out["rep_id"] = out["rep_id"].astype(str)
    out = out[out["closed"] > 0]
    return out.set_index("rep_id").sort_index()[COLS].astype(float)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_warehouse_args(ap)
    args = ap.parse_args(argv)

    from salesops_lib.data.period import Period
    from salesops_lib.data.sources import open_source

    db = args.db or build(args.data_dir, args.leads, args.seed)
    kw = params()
    start, end = period(kw)
    as_of = pd.Timestamp(str(kw["as_of"]))
    one = Period(pd.Timestamp(start).date(), pd.Timestamp(str(kw["period_end"])).date(), as_of)
    src = open_source(str(db), as_of=as_of)
    con = duckdb.connect(str(db), read_only=True)
    sql = hand_sql(start, end)
    kit(db, kw)  # warm-up: imports, file cache, table validation
    kit_subset(src, one)
    con.sql(sql).df()
    times: dict[str, list[float]] = {
        "kit (benchmark_reps)": [],
        SAME: [],
        "hand-written SQL": [],
    }
    answers: dict[str, pd.DataFrame] = {}
    for _ in range(args.repeat):
        t, out = timed(lambda: kit(db, kw))
        times["kit (benchmark_reps)"].append(t)
        answers["kit"] = canon(out)
        t, out = timed(lambda: kit_subset(src, one))
        times[SAME].append(t)
        answers["kit, same numbers"] = canon(out)
        t, out = timed(lambda: con.sql(sql).df().set_index("rep_id"))
        times["hand-written SQL"].append(t)
        answers["sql"] = canon(out)
    n_opps = int(con.sql("SELECT count(*) FROM opportunities").fetchall()[0][0])
    con.close()
    load_s = None
    if not args.skip_pandas:
        load_s, out = time_pandas(
            lambda: load_pandas(db),
            lambda frames: pandas_impl(frames, start, end),
            repeat=args.repeat,
            times=times,
        )
        answers["pandas"] = canon(out)
    ref = answers["sql"]
    for name, df in answers.items():
        pd.testing.assert_frame_equal(df, ref, rtol=1e-9, obj=name)

    print(
        f"\nRep benchmarking {start} – {end}: {len(ref)} reps, {int(ref['closed'].sum()):,} "
        f"closed deals of {n_opps:,} opportunities, {db.name}"
    )
    print(f"all {len(answers)} implementations agree; median (best) of {args.repeat} warm runs")
    print_times(times, kit="kit (benchmark_reps)", load_s=load_s)
    same, sql_s = (statistics.median(times[k]) for k in (SAME, "hand-written SQL"))
    print(f"kit, same numbers / hand-written SQL = {same / sql_s:.2f}x (medians)")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
