"""Ctrl-C during `run --all` stops the running reports at once and keeps earlier reports intact."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
from conftest import write_params

from salesops_lib.report import runner

pytestmark = pytest.mark.slow

SLOW = "notebook: slow_report\ntitle: Slow\n"  # its notebook sleeps for 60 s


def test_interrupt_stops_workers_and_writes_the_index(project: Path, monkeypatch):
    params = project / "params"
    write_params(params, "slow_a", SLOW)
    write_params(params, "slow_b", SLOW)
    reports = project / "reports"
    reports.mkdir()
    (reports / "slow_a.html").write_text("previous good report")

    def interrupted_as_completed(futures):
        deadline = time.monotonic() + 60
        while not all(f.running() for f in futures) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # the kernels have started and the notebooks are sleeping
        raise KeyboardInterrupt
        yield  # pragma: no cover - makes this a generator like cf.as_completed

    monkeypatch.setattr(runner.cf, "as_completed", interrupted_as_completed)
    with pytest.raises(KeyboardInterrupt):
        runner.run_all(params, out_dir=reports, workers=2, progress=False)

    assert multiprocessing.active_children() == []  # the workers were ended, not waited for
    assert (reports / "slow_a.html").read_text() == "previous good report"
    assert not (reports / "slow_b.html").exists()
    assert (reports / "index.html").is_file()
    assert not list(reports.glob(".*.tmp"))
