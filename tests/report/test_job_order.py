"""run_all starts the reports that took longest last time first (longest processing time
first), so the two workers finish together."""

from __future__ import annotations

import json
from pathlib import Path

from salesops_lib.report import runner
from salesops_lib.report._jobs import _Job


def _job(name: str) -> _Job:
    return _Job(
        name=name,
        notebook="funnel_analysis",
        notebook_path="",
        title=name,
        params={},
        exec_params={},
        out_dir="",
        cwd="",
    )


def test_longest_last_time_starts_first_and_new_reports_keep_name_order(tmp_path):
    for name, took in (("a_fast", 2.0), ("b_slow", 50.0), ("c_mid", 9.5)):
        doc = {"status": "ok", "report": name, "provenance": {"duration_s": took}}
        (tmp_path / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "e_broken.json").write_text("{not json", encoding="utf-8")
    names = ["a_fast", "b_slow", "c_mid", "d_new", "e_broken", "f_new"]
    jobs = {Path(f"params/{n}.yaml"): _job(n) for n in names}
    order = [p.stem for p in runner._longest_first(jobs, tmp_path)]
    assert order == ["b_slow", "c_mid", "a_fast", "d_new", "e_broken", "f_new"]
