"""Benchmark: each report on the 50,000-lead demo against the bare-notebook floor.

The floor is what any parameterized notebook report costs before it does any work: papermill
starting a kernel and running a notebook that imports pandas, seaborn and scipy and draws one
chart, then nbconvert turning it into HTML (issue 10's yardstick). Each report is
``salesops run NAME`` (its pre-kernel checks, kernel, analysis, charts, HTML, JSON, index)
on the same machine in the same run; the table gives each one's CPU time (all processes,
kernels included) over the floor's, and the whole suite (``salesops run --all``: one parent,
two workers) over as many floors as it has reports. Rounds alternate floor and reports so that
a loaded machine affects both alike; medians are printed.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_floor.py                   # data/demo.duckdb, 3 rounds
    .venv/bin/python benchmarks/bench_floor.py --repeat 5 --only funnel_analysis

CPU time is ``getrusage(RUSAGE_CHILDREN)`` of a wrapper process around each command: user +
system time of the command and every descendant it waited for (the Jupyter kernel included).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Runs a command and prints its wall and CPU time (itself and its descendants).
_WRAP = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall": time.perf_counter() - t0,
                  "cpu": ru.ru_utime + ru.ru_stime, "err": p.stderr[-5000:]}))
"""

#: The bare report: a parameters cell, the client's packages, one chart.
_BARE_CELLS = [
    ("parameters", 'title = "bare"\nn = 5'),
    ("", "import pandas as pd\nimport scipy.stats\nimport seaborn as sns"),
    (
        "",
        'df = pd.DataFrame({"stage": list("ABCDE")[:n], "leads": [100, 60, 30, 12, 5][:n]})\n'
        'ax = sns.barplot(data=df, x="stage", y="leads")\nax.set_title(title);',
    ),
]

#: papermill + nbconvert on the bare notebook, as one command.
_RUN_BARE = """
import sys, papermill, nbformat
from nbconvert import HTMLExporter
nb = papermill.execute_notebook(sys.argv[1], sys.argv[2], parameters={"title": "bare"},
                                progress_bar=False, log_output=False, kernel_name="salesops")
html, _ = HTMLExporter().from_notebook_node(nbformat.read(sys.argv[2], as_version=4))
open(sys.argv[3], "w", encoding="utf-8").write(html)
"""


def _bare_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    for tag, src in _BARE_CELLS:
        cell = nbformat.v4.new_code_cell(src)
        if tag:
            cell.metadata["tags"] = [tag]
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "salesops",
        "display_name": "salesops",
        "language": "python",
    }
    nbformat.write(nb, str(path))


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True, env=env
    )
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        print(res["err"], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=Path("data/demo.duckdb"))
    ap.add_argument("--params-dir", type=Path, default=Path("params"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=None, help="report names (default: all)")
    args = ap.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist: run `make report` (or salesops demo-data)")
    salesops = str(Path(sys.executable).with_name("salesops"))
    names = sorted(p.stem for p in args.params_dir.glob("*.yaml"))
    if args.only:
        names = [n for n in names if n in args.only]
    env = dict(os.environ)
    floor: list[dict] = []
    runs: dict[str, list[dict]] = {n: [] for n in names}
    suite: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="salesops-floor-") as tmp:
        work = Path(tmp)
        bare = work / "bare.ipynb"
        _bare_notebook(bare)
        out = work / "reports"
        for r in range(args.repeat):
            floor.append(
                measure(
                    [
                        sys.executable,
                        "-c",
                        _RUN_BARE,
                        str(bare),
                        str(work / "o.ipynb"),
                        str(work / "o.html"),
                    ],
                    env,
                )
            )
            for n in names:
                params = args.params_dir / f"{n}.yaml"
                runs[n].append(
                    measure(
                        [
                            salesops,
                            "run",
                            "--params",
                            str(params),
                            "-p",
                            f"source={args.db.resolve()}",
                            "--out",
                            str(out),
                        ],
                        env,
                    )
                )
            suite.append(
                measure(
                    [
                        salesops,
                        "run",
                        "--all",
                        "--params-dir",
                        str(args.params_dir),
                        "-p",
                        f"source={args.db.resolve()}",
                        "--out",
                        str(work / "suite"),
                    ],
                    env,
                )
            )
            print(f"round {r + 1}/{args.repeat} done (load {os.getloadavg()[0]:.1f})", flush=True)
    f_cpu = statistics.median(x["cpu"] for x in floor)
    f_wall = statistics.median(x["wall"] for x in floor)
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()}")
    print(f"warehouse: {args.db}; {args.repeat} rounds; medians\n")
    print(f"| {'Report':28s} | CPU s | wall s | CPU / floor |")
    print(f"|{'-' * 30}|-------|--------|-------------|")
    print(f"| {'bare notebook (the floor)':28s} | {f_cpu:5.2f} | {f_wall:6.2f} | {1:11.2f} |")
    ratios = []
    for n in names:
        cpu = statistics.median(x["cpu"] for x in runs[n])
        wall = statistics.median(x["wall"] for x in runs[n])
        ratios.append(cpu / f_cpu)
        print(f"| {n:28s} | {cpu:5.2f} | {wall:6.2f} | {cpu / f_cpu:11.2f} |")
    if ratios:
        print(
            f"\nmean CPU / floor over {len(ratios)} reports run one by one: "
            f"{statistics.mean(ratios):.2f}"
        )
    s_cpu = statistics.median(x["cpu"] for x in suite)
    s_wall = statistics.median(x["wall"] for x in suite)
    n_all = len(list(args.params_dir.glob("*.yaml")))
    print(
        f"the suite (`salesops run --all`, {n_all} reports): CPU {s_cpu:.1f} s, wall "
        f"{s_wall:.1f} s; CPU / ({n_all} x floor) = {s_cpu / (n_all * f_cpu):.2f}"
    )
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    rc = main()
    print(f"(took {time.perf_counter() - t0:.0f} s)")
    raise SystemExit(rc)
