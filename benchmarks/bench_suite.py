"""Benchmark: build a demo warehouse and run every report on it (``salesops run --all``).

Prints the wall time and the peak resident memory of the largest single process (the
generator; the runner or one of its Jupyter kernels) for both steps, and each report's time as
the runner reports it. The params files of ``--params-dir`` are copied with ``source:`` pointed
at the benchmark warehouse.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_suite.py --leads 10000000
    .venv/bin/python benchmarks/bench_suite.py --db build/bench/demo_10000000_s7.duckdb --repeat 3

The warehouse goes to ``--data-dir`` (default ``build/bench``, ignored by git) and is reused;
reports go to a temporary folder. Peak memory is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a
wrapper process: the largest resident set among the processes it waited for, i.e. per
process, not summed.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Runs a command and prints its wall time and the peak RSS (MB) of its largest descendant.
_WRAP = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall": time.perf_counter() - t0,
                  "rss_mb": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime,
                  "out": p.stdout[-20000:], "err": p.stderr[-20000:]}))
"""


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True)
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        print(res["out"][-3000:], res["err"], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leads", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=Path("build/bench"))
    ap.add_argument("--db", type=Path, default=None, help="an existing warehouse (skips building)")
    ap.add_argument("--params-dir", type=Path, default=Path("params"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="suite runs (median reported)")
    args = ap.parse_args(argv)
    salesops = str(Path(sys.executable).with_name("salesops"))

    db = args.db
    if db is None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        db = args.data_dir / f"demo_{args.leads}_s{args.seed}.duckdb"
        if not db.exists():
            g = measure([salesops, "demo-data", "--leads", str(args.leads), "--seed",
                         str(args.seed), "--out", str(db)])  # fmt: skip
            print(f"demo-data --leads {args.leads:,}: {g['wall']:.1f} s wall, "
                  f"peak RSS {g['rss_mb']:,.0f} MB")  # fmt: skip
    db = db.resolve()
    runs = []
    with tempfile.TemporaryDirectory(prefix="salesops-bench-") as tmp:
        pdir = Path(tmp) / "params"
        pdir.mkdir()
        for f in sorted(args.params_dir.glob("*.yaml")):
            text = re.sub(r"(?m)^source:.*$", f"source: {db}", f.read_text())
            (pdir / f.name).write_text(text)
        # one reports folder, as a scheduled run has: from the second run on, the reports that
        # took longest last time start first
        for _ in range(args.repeat):
            r = measure([salesops, "run", "--all", "--params-dir", str(pdir), "--out",
                         str(Path(tmp) / "reports"), "--workers", str(args.workers)])  # fmt: skip
            runs.append(r)
    print(f"\nsalesops run --all on {db.name} ({args.workers} workers), {len(runs)} run(s)")
    for line in (runs[-1]["out"] + runs[-1]["err"]).splitlines():
        if line.startswith("["):
            print("  " + line)
    walls = [r["wall"] for r in runs]
    print(f"suite wall time: median {statistics.median(walls):.1f} s "
          f"({', '.join(f'{w:.1f}' for w in walls)})")  # fmt: skip
    cpu = [r["cpu"] for r in runs]
    print(f"suite CPU time (user + system, all processes): median {statistics.median(cpu):.1f} s")
    print(f"peak RSS of the largest process: {max(r['rss_mb'] for r in runs):,.0f} MB")
    with open("/proc/loadavg") as f:
        print(f"load average after the runs: {f.read().split()[0]} (2 cores = fully busy at 2.0)")
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    rc = main()
    print(f"(benchmark took {time.perf_counter() - t0:.0f} s)")
    sys.exit(rc)
