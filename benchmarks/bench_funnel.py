"""Benchmark: the kit's funnel with one breakdown vs hand-written DuckDB SQL vs plain pandas.

All three compute the same numbers (per lead source and step of created → MQL → SQL →
opportunity → won: reached, entered (window elapsed), converted within the window) and the script
checks that they agree before printing times and ratios. The kit runs through Ibis on DuckDB, on
the demo DuckDB file and on a folder of Parquet files written from it.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_funnel.py                    # 2,000,000 leads
    .venv/bin/python benchmarks/bench_funnel.py --leads 10000000   # the 10M figure (~10 min to
    build)
    .venv/bin/python benchmarks/bench_funnel.py --leads 200000 --repeat 3   # a quick look

The dataset is built once with ``generate_demo`` into ``--data-dir`` (default ``build/bench``,
ignored by git) and reused on later runs; ``--threads`` limits DuckDB's threads (default 2, the
CI machine). Timings: best of ``--repeat`` warm runs (after one warm-up run that also validates
the source tables), in seconds; the pandas time excludes reading the files (given separately).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

STAGES = ["created", "MQL", "SQL", "opportunity", "won"]
WINDOW = 90
TABLES = ("leads", "lead_history", "opportunities")


def build(data_dir: Path, leads: int, seed: int) -> tuple[Path, Path]:
    """The demo warehouse with ``leads`` leads (reused if present) and a Parquet copy."""
    from salesops_lib.data.demo import generate_demo

    data_dir.mkdir(parents=True, exist_ok=True)
    db = data_dir / f"demo_{leads}_s{seed}.duckdb"
    pq = data_dir / f"parquet_{leads}_s{seed}"
    if not db.exists():
        t0 = time.perf_counter()
        print(f"building {leads:,} leads into {db} ...", flush=True)
        generate_demo(db, seed=seed, leads=leads, progress=False)
        print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    if not pq.exists():
        pq.mkdir()
        con = duckdb.connect(str(db), read_only=True)
        for name in TABLES:
            con.execute(f"COPY {name} TO '{pq / (name + '.parquet')}' (FORMAT parquet)")
        con.close()
    return db, pq


# ---------------------------------------------------------------------------------------------
# the three implementations


def kit(source: Any, period: tuple[str, str], as_of: pd.Timestamp) -> pd.DataFrame:
    from salesops_lib.analyses.funnel import segment_rates

    res = segment_rates(
        source, by="source", stages=STAGES, window_days=WINDOW, period=period, as_of=as_of
    )
    return res.table[["segment", "step", "reached", "entered", "converted"]]


def hand_sql(tables: dict[str, str], period: tuple[str, str], as_of: pd.Timestamp) -> str:
    """One hand-written DuckDB query with the kit's definitions."""
    lo, hi = pd.Timestamp(period[0]), pd.Timestamp(period[1]) + pd.Timedelta(days=1)
    a = f"TIMESTAMP '{as_of}'"
    w = f"INTERVAL {WINDOW} DAY"
    steps = []
    for k in range(4):
        tk, tn = f"t{k}", f"t{k + 1}"
        steps.append(
            f"count(*) FILTER (WHERE {tk} IS NOT NULL) AS reached_{k},"
            f" count(*) FILTER (WHERE {tk} + {w} <= {a}) AS entered_{k},"
            f" count(*) FILTER (WHERE {tk} + {w} <= {a} AND {tn} <= {tk} + {w}) AS converted_{k}"
        )
    return f"""
    WITH l AS (
      SELECT lead_id, created_at, coalesce(source, '(missing)') AS source,
             CASE WHEN converted_at <= {a} THEN converted_at END AS conv, opportunity_id
      FROM {tables["leads"]}
      WHERE created_at >= TIMESTAMP '{lo}' AND created_at < TIMESTAMP '{hi}' AND created_at <= {a}
    ), h AS (
      SELECT lead_id, min(changed_at) FILTER (WHERE status = 'MQL') AS mql,
                      min(changed_at) FILTER (WHERE status = 'SQL') AS sql
      FROM {tables["lead_history"]}
      WHERE status IN ('MQL', 'SQL') AND changed_at <= {a}
      GROUP BY lead_id
    ), won AS (
      SELECT opportunity_id,
             CASE WHEN close_date IS NULL OR CAST(close_date AS TIMESTAMP) < created_at
                  THEN created_at ELSE CAST(close_date AS TIMESTAMP) END AS won_at
      FROM {tables["opportunities"]} WHERE is_won AND is_closed
    ), r AS (
      SELECT l.source, l.created_at AS r0, h.mql AS r1, h.sql AS r2, l.conv AS r3,
             CASE WHEN won.won_at <= {a} THEN won.won_at END AS r4
      FROM l LEFT JOIN h USING (lead_id) LEFT JOIN won USING (opportunity_id)
    ), t AS (
      SELECT source, r4 AS t4, least(r3, r4) AS t3, least(r2, r3, r4) AS t2,
             least(r1, r2, r3, r4) AS t1, least(r0, r1, r2, r3, r4) AS t0
      FROM r
    )
    SELECT source, {", ".join(steps)} FROM t GROUP BY source
    """


def tidy_sql(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, r in df.iterrows():
        for k in range(4):
            rows.append(
                {
                    "segment": r["source"],
                    "step": f"{STAGES[k]}→{STAGES[k + 1]}",
                    "reached": int(r[f"reached_{k}"]),
                    "entered": int(r[f"entered_{k}"]),
                    "converted": int(r[f"converted_{k}"]),
                }
            )
    return pd.DataFrame(rows)


def load_pandas(pq: Path) -> dict[str, pd.DataFrame]:
    return {
        "leads": pd.read_parquet(
            pq / "leads.parquet",
            columns=["lead_id", "created_at", "source", "converted_at", "opportunity_id"],
        ),
        "lead_history": pd.read_parquet(pq / "lead_history.parquet"),
        "opportunities": pd.read_parquet(
            pq / "opportunities.parquet",
            columns=["opportunity_id", "created_at", "is_won", "is_closed", "close_date"],
        ),
    }


def pandas_impl(
    d: dict[str, pd.DataFrame], period: tuple[str, str], as_of: pd.Timestamp
) -> pd.DataFrame:
    """A straightforward pandas implementation of the same definitions."""
    lo, hi = pd.Timestamp(period[0]), pd.Timestamp(period[1]) + pd.Timedelta(days=1)
    le = d["leads"]
    le = le[(le.created_at >= lo) & (le.created_at < hi) & (le.created_at <= as_of)].copy()
    h = d["lead_history"]
    h = h[h.status.isin(["MQL", "SQL"]) & (h.changed_at <= as_of)]
    first = h.groupby(["lead_id", "status"], observed=True)["changed_at"].min().unstack()
    o = d["opportunities"]
    o = o[o.is_won.fillna(False) & o.is_closed.fillna(False)]
    close = pd.to_datetime(o.close_date).astype("datetime64[us]")
    won_at = close.where(close.notna() & (close >= o.created_at), o.created_at)
    won = pd.Series(won_at.to_numpy(), index=o.opportunity_id.to_numpy())
    won = won[won <= as_of]
    r = pd.DataFrame(
        {"source": le.source.fillna("(missing)").to_numpy()}, index=le.lead_id.to_numpy()
    )
    r["r0"] = le.created_at.to_numpy()
    r["r1"] = first["MQL"].reindex(r.index).to_numpy() if "MQL" in first else pd.NaT
    r["r2"] = first["SQL"].reindex(r.index).to_numpy() if "SQL" in first else pd.NaT
    r["r3"] = le.converted_at.where(le.converted_at <= as_of).to_numpy()
    r["r4"] = won.reindex(le.opportunity_id.to_numpy()).to_numpy()
    t = {4: r["r4"]}
    for k in range(3, -1, -1):
        t[k] = r[f"r{k}"].where(r[f"r{k}"].notna() & ~(t[k + 1] < r[f"r{k}"]), t[k + 1])
    w = pd.Timedelta(days=WINDOW)
    parts = {}
    for k in range(4):
        tk, tn = t[k], t[k + 1]
        parts[f"reached_{k}"] = tk.notna()
        parts[f"entered_{k}"] = tk + w <= as_of
        parts[f"converted_{k}"] = (tk + w <= as_of) & (tn <= tk + w)
    flags = pd.DataFrame(parts)
    flags["source"] = r["source"].to_numpy()
    g = flags.groupby("source").sum().reset_index()
    return tidy_sql(g)


# ---------------------------------------------------------------------------------------------


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def canon(df: pd.DataFrame) -> pd.DataFrame:
    return (
        df.sort_values(["segment", "step"])
        .reset_index(drop=True)
        .astype({"reached": "int64", "entered": "int64", "converted": "int64"})
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--leads", type=int, default=2_000_000, help="leads in the dataset (default 2,000,000)"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--repeat", type=int, default=5, help="timed warm runs per method (best is reported)"
    )
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    ap.add_argument("--data-dir", type=Path, default=Path("build/bench"))
    ap.add_argument("--skip-pandas", action="store_true")
    args = ap.parse_args(argv)

    db, pq = build(args.data_dir, args.leads, args.seed)
    con0 = duckdb.connect(str(db), read_only=True)
    as_of = pd.Timestamp(con0.execute("select max(changed_at) from lead_history").fetchone()[0])
    lo = con0.execute("select min(created_at) from leads").fetchone()[0]
    con0.close()
    period = (str(pd.Timestamp(lo).date()), str(as_of.date()))  # every lead: the heaviest query

    from salesops_lib.data.sources import open_source

    results: dict[str, tuple[float, float]] = {}
    answers: dict[str, pd.DataFrame] = {}

    for label, path in (("DuckDB file", db), ("Parquet folder", pq)):
        src = open_source(str(path), as_of=as_of)
        src.con.raw_sql(f"SET threads = {args.threads}")
        con = duckdb.connect(str(db), read_only=True) if path == db else duckdb.connect()
        con.execute(f"SET threads = {args.threads}")
        tables = (
            {n: n for n in TABLES}
            if path == db
            else {n: f"read_parquet('{pq / (n + '.parquet')}')" for n in TABLES}
        )
        sql = hand_sql(tables, period, as_of)
        # warm-up (table validation, expression compilation, file caches), then alternate the two
        # methods round by round so that both see the same machine load
        kit(src, period, as_of)
        con.sql(sql).df()
        kt: list[float] = []
        st: list[float] = []
        for _ in range(args.repeat):
            b, _, out_k = best_of(lambda src=src: kit(src, period, as_of), 1)
            kt.append(b)
            b, _, out_s = best_of(lambda con=con, sql=sql: con.sql(sql).df(), 1)
            st.append(b)
        results[f"kit (Ibis) on {label}"] = (min(kt), statistics.median(kt))
        results[f"hand-written SQL on {label}"] = (min(st), statistics.median(st))
        answers[f"kit {label}"] = canon(out_k)
        answers[f"sql {label}"] = canon(tidy_sql(out_s))
        con.close()
        del src

    load_s = None
    if not args.skip_pandas:
        t0 = time.perf_counter()
        frames = load_pandas(pq)
        load_s = time.perf_counter() - t0
        b, m, out = best_of(lambda: pandas_impl(frames, period, as_of), max(1, min(args.repeat, 3)))
        results["pandas (in memory)"] = (b, m)
        answers["pandas"] = canon(out)

    ref = answers["sql DuckDB file"]
    for name, df in answers.items():
        pd.testing.assert_frame_equal(df, ref, check_dtype=False, obj=name)

    print()
    print(
        f"Funnel by source, {len(STAGES) - 1} steps, window {WINDOW} d, {args.leads:,} leads, "
        f"DuckDB threads = {args.threads}, best of {args.repeat} warm runs"
    )
    print(f"all {len(answers)} implementations agree ({len(ref)} rows of counts)")
    width = max(len(k) for k in results) + 2
    for k, (b, m) in results.items():
        print(f"  {k:<{width}} {b:8.3f} s   (median {m:.3f} s)")
    if load_s is not None:
        print(f"  {'pandas: reading the Parquet files':<{width}} {load_s:8.3f} s")
    print("ratios (best times):")
    for label in ("DuckDB file", "Parquet folder"):
        k, s = results[f"kit (Ibis) on {label}"][0], results[f"hand-written SQL on {label}"][0]
        line = f"  {label:<16} kit / hand-written SQL = {k / s:5.2f}x"
        if "pandas (in memory)" in results:
            p = results["pandas (in memory)"][0]
            line += f"   pandas / kit = {p / k:5.1f}x"
        print(line)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
