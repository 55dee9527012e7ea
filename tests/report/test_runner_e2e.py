"""End-to-end: papermill runs the golden notebooks on the `salesops` kernel (slow)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import write_params

from salesops_lib.errors import ReportExecutionError
from salesops_lib.report.runner import run_all, run_report

pytestmark = pytest.mark.slow

TINY = """
notebook: tiny_report
title: Tiny report, EMEA, Q3 2026
as_of: 2026-09-30
n_points: 7
stages: [lead, mql]
"""
FAILING = """
notebook: failing_report
title: A report that fails
"""


def test_run_report_writes_html_and_json(project: Path):
    path = write_params(project / "params", "tiny", TINY)
    result = run_report("tiny_report", path)
    assert result.ok and result.exit_code == 0
    html_path, json_path = project / "reports" / "tiny.html", project / "reports" / "tiny.json"
    assert result.html == html_path and result.json == json_path
    html = html_path.read_text(encoding="utf-8")

    # self-contained, no code, no parameters cell, no noise
    assert html_path.stat().st_size < 2_000_000
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"(src|href)=\"https?://", html)
    # (inline images left out: their base64 text may hold "cdn" by chance)
    assert "cdn" not in re.sub(r"data:image/[\w+]+;base64,[^\"']+", "", html).lower()
    assert "injected-parameters" not in html
    assert "n_points = 7" not in html
    assert "publish_results" not in html and "plt.subplots" not in html
    assert "noise on stderr" not in html
    assert "results recorded" not in html and "_provenance" not in html
    assert 'class="input_area"' not in html and "In&nbsp;[" not in html
    assert "data:image/png;base64," in html
    # a one-title chart: its headline is text above the picture, and the picture's alt text
    assert '<p class="so-chart-title">Squares for demo</p>' in html
    assert 'alt="Chart: Squares for demo"' in html

    # the frame: title line, TOC, body, parameters, footer
    assert "<h1>Tiny report, EMEA, Q3 2026</h1>" in html
    assert "Data as of 30 Sep 2026 23:59 UTC" in html
    assert 'class="so-toc' in html
    assert '<a href="#Conversion-is-steady">Conversion is steady</a>' in html
    assert 'id="Conversion-is-steady"' in html
    assert "Report parameters" in html and "lead, mql" in html
    assert "fp-tiny-0001" in html and "salesops 0.1.0" in html
    assert "123,456" in html  # thousands separators in DataFrame tables

    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["status"] == "ok"
    assert doc["report"] == "tiny" and doc["notebook"] == "tiny_report"
    assert doc["params"]["n_points"] == 7
    assert doc["params"]["source"] == "data/demo.duckdb"  # as given, not the absolute path
    assert doc["params"]["as_of"] == "2026-09-30T23:59:59"
    prov = doc["provenance"]
    for key in (
        "kit_version",
        "git_commit",
        "params_hash",
        "data_fingerprint",
        "as_of",
        "started_at",
        "finished_at",
        "duration_s",
        "python",
        "platform",
    ):
        assert key in prov
    assert re.fullmatch(r"[0-9a-f]{12}", prov["params_hash"])
    assert prov["data_fingerprint"] == "fp-tiny-0001"
    assert prov["rows"] == {"leads": 5000, "opportunities": 800}
    assert doc["results"]["total"] == 91.0
    assert doc["results"]["missing"] is None
    assert doc["results"]["when"] == "2026-09-30T12:00:00"
    assert doc["results"]["table"][0] == {"stage": "lead", "leads": 123456, "rate": 0.25}
    assert "_provenance" not in doc["results"]
    assert (project / "reports" / "index.html").exists()


def test_failure_keeps_previous_report(project: Path):
    reports = project / "reports"
    good = write_params(project / "params", "weekly", TINY)
    run_report(None, good)
    before_html = (reports / "weekly.html").read_bytes()
    before_json = (reports / "weekly.json").read_bytes()

    bad = write_params(project / "params", "weekly_bad", FAILING)
    with pytest.raises(ReportExecutionError) as info:
        run_report(None, bad, name="weekly")
    err = info.value
    assert err.exit_code == 1
    assert "ValueError" in str(err) and "boom" in str(err)
    assert "weekly.error.html" in str(err)
    assert (reports / "weekly.html").read_bytes() == before_html
    assert (reports / "weekly.json").read_bytes() == before_json
    assert not list(reports.glob(".*.tmp"))

    page = (reports / "weekly.error.html").read_text(encoding="utf-8")
    assert "ValueError" in page and "boom: n_points=5 is too many" in page
    assert "raise ValueError" in page  # the failing cell's source, for the analyst
    assert "<script" not in page.lower()
    doc = json.loads((reports / "weekly.error.json").read_text(encoding="utf-8"))
    assert doc["status"] == "failed"
    assert doc["error"]["type"] == "ValueError"
    assert "raise ValueError" in doc["error"]["cell_source"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "weekly.error.html" in index

    # a later success removes the stale error files
    run_report(None, good)
    assert not (reports / "weekly.error.html").exists()
    assert not (reports / "weekly.error.json").exists()


def test_run_all_continues_after_a_failure(project: Path):
    params = project / "params"
    write_params(params, "a_tiny", TINY)
    write_params(params, "b_failing", FAILING)
    write_params(params, "c_invalid", "notebook: tiny_report\ntitle: T\nn_points: many\n")
    write_params(params, "shared_defaults", "title: not a report\n")  # no notebook: skipped
    (params / "benchmarks").mkdir()
    write_params(params / "benchmarks", "peer_set", "notebook: tiny_report\n")  # not read
    lines: list[str] = []
    results = run_all(
        params,
        out_dir="reports",
        workers=2,
        progress=False,
        on_result=lambda r: lines.append(r.name),
    )

    by_name = {r.name: r for r in results}
    assert sorted(by_name) == ["a_tiny", "b_failing", "c_invalid"]
    assert by_name["a_tiny"].ok
    assert by_name["b_failing"].status == "failed" and by_name["b_failing"].exit_code == 1
    assert by_name["c_invalid"].status == "failed" and by_name["c_invalid"].exit_code == 2
    assert sorted(lines) == sorted(by_name)
    reports = project / "reports"
    assert (reports / "a_tiny.html").exists()
    assert (reports / "b_failing.error.html").exists()
    assert not (reports / "b_failing.html").exists()
    assert (
        "n_points" in json.loads((reports / "c_invalid.error.json").read_text())["error"]["message"]
    )

    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="a_tiny.html"' in index
    assert 'href="b_failing.error.html"' in index
    assert "c_invalid" in index
    assert index.count('class="so-status ok"') == 1
    assert index.count('class="so-status failed"') == 2
    assert "<script" not in index.lower()


def test_timeout_is_a_failed_run(project: Path):
    path = write_params(project / "params", "slow", "notebook: slow_report\ntitle: Slow\n")
    with pytest.raises(ReportExecutionError, match="CellTimeoutError") as info:
        run_report(None, path, timeout=2)
    assert info.value.exit_code == 1
    reports = project / "reports"
    assert not (reports / "slow.html").exists()
    doc = json.loads((reports / "slow.error.json").read_text(encoding="utf-8"))
    assert doc["error"]["type"] == "CellTimeoutError"
    assert "time.sleep(60)" in doc["error"]["cell_source"]
    assert "time.sleep(60)" in (reports / "slow.error.html").read_text(encoding="utf-8")
