"""Report workers are forked without the parent's garbage (runner._fork_safely).

A DuckDB connection left in a reference cycle by earlier work in the same process, collected by
a forked worker's garbage collector, crashed the worker (seen in CI inside papermill's JSON
writing). These tests fork as the runner does, with a worker that runs a full collection.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import os

import duckdb
import pytest

from salesops_lib.report import runner


class _Cycle:
    """An object in a reference cycle that records the process that finalizes it."""

    def __init__(self, log: str, payload: object = None) -> None:
        self.me = self
        self.log = log
        self.payload = payload

    def __del__(self) -> None:
        with open(self.log, "a") as fh:
            fh.write(f"{os.getpid()}\n")


def _collect_in_worker() -> int:
    gc.collect()
    return os.getpid()


@pytest.fixture
def gc_off():
    """Keep the parent's cycles uncollected until the fork, as a busy process would.

    Earlier tests' garbage (DuckDB connections of checks run in this process) is collected
    first: a plain-forked worker collecting it would crash (the hazard itself) before the
    test's own finalizer runs."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if was:
        gc.enable()
    gc.collect()


def _fork_and_collect(safe: bool) -> int:
    pool = cf.ProcessPoolExecutor(max_workers=1)
    try:
        if safe:
            with runner._fork_safely():
                fut = pool.submit(_collect_in_worker)
        else:
            fut = pool.submit(_collect_in_worker)
        return fut.result(timeout=60)
    finally:
        pool.shutdown(wait=True)


def test_a_plain_fork_finalizes_the_parents_garbage_in_the_worker(tmp_path, gc_off):
    """The hazard, shown: without the guard the worker runs the parent's finalizers."""
    log = tmp_path / "finalized"
    _Cycle(str(log))
    child = _fork_and_collect(safe=False)
    assert str(child) in log.read_text().split()


def test_workers_never_finalize_the_parents_garbage(tmp_path, gc_off):
    log = tmp_path / "finalized"
    _Cycle(str(log))
    parent = os.getpid()
    child = _fork_and_collect(safe=True)
    finalized_by = log.read_text().split() if log.exists() else []
    assert str(child) not in finalized_by
    assert finalized_by == [str(parent)]  # collected in the parent, before the fork
    assert gc.get_freeze_count() == 0  # the parent is unfrozen again


def test_a_duckdb_connection_in_a_cycle_does_not_crash_the_worker(tmp_path, gc_off):
    con = duckdb.connect()
    con.execute("create table t as select range as i from range(200000)")
    con.execute("select i % 7, count(*) from t group by 1").fetchall()
    _Cycle(str(tmp_path / "finalized"), payload=con)
    del con
    assert isinstance(_fork_and_collect(safe=True), int)  # a crash raises BrokenProcessPool
