"""What the per-analysis benchmark scripts share: the demo warehouse they build once, the common
command-line options, and a timer."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build(data_dir: Path, leads: int, seed: int) -> Path:
    """The demo warehouse with ``leads`` leads in ``data_dir`` (built once, reused after)."""
    from salesops_lib.data.demo import generate_demo

    data_dir.mkdir(parents=True, exist_ok=True)
    db = data_dir / f"demo_{leads}_s{seed}.duckdb"
    if not db.exists():
        t0 = time.perf_counter()
        print(f"building {leads:,} leads into {db} ...", flush=True)
        generate_demo(db, seed=seed, leads=leads, progress=False)
        print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    return db


def add_warehouse_args(ap: argparse.ArgumentParser) -> None:
    """``--leads``, ``--seed``, ``--data-dir`` (the warehouse :func:`build` makes), ``--db`` (an
    existing one instead, opened read-only), ``--repeat`` and ``--skip-pandas``."""
    ap.add_argument("--leads", type=int, default=1_000_000, help="leads (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=Path("build/bench"))
    ap.add_argument("--db", type=Path, default=None, help="an existing demo warehouse (read-only)")
    ap.add_argument("--repeat", type=int, default=3, help="timed warm runs per method")
    ap.add_argument("--skip-pandas", action="store_true")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds of ``fn()`` and its result."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def time_pandas(
    load: Callable[[], Any],
    impl: Callable[[Any], Any],
    *,
    repeat: int,
    times: dict[str, list[float]],
) -> tuple[float, Any]:
    """Read the tables into pandas once (``load()``), then time ``impl(frames)`` up to twice
    (``times["pandas (in memory)"]``); returns the reading time and the last answer. The frames,
    the largest thing the script holds, are freed when it returns."""
    load_s, frames = timed(load)
    times["pandas (in memory)"] = []
    for _ in range(max(1, min(repeat, 2))):
        t, out = timed(lambda: impl(frames))
        times["pandas (in memory)"].append(t)
    return load_s, out


def print_times(times: dict[str, list[float]], *, kit: str, load_s: float | None) -> None:
    """The median (best) time of each implementation, pandas' reading time, the kit's ratio to
    the hand-written SQL (and pandas' to the kit) and this process's peak resident memory."""
    import resource
    import statistics

    width = max(len(k) for k in times) + 2
    for k, v in times.items():
        print(f"  {k:<{width}} {statistics.median(v):8.2f} s   (best {min(v):.2f} s)")
    if load_s is not None:
        print(f"  {'pandas: reading the tables':<{width}} {load_s:8.2f} s")
    k, s = (statistics.median(times[x]) for x in (kit, "hand-written SQL"))
    print(f"kit / hand-written SQL = {k / s:.2f}x", end="")
    if "pandas (in memory)" in times:
        print(f"   pandas / kit = {statistics.median(times['pandas (in memory)']) / k:.2f}x")
    else:
        print()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss_mb:,.0f} MB")
