"""Params a scheduler can run every week: relative dates, period rules, title templates, -p.

Resolved before any kernel starts (the kernel is replaced by a recorder in these tests), on a
frozen clock (``SALESOPS_NOW``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from salesops_lib import cli
from salesops_lib.data.sources import open_source
from salesops_lib.errors import ParamsError
from salesops_lib.report import runner
from salesops_lib.report._outcome import _base_provenance
from salesops_lib.report._prepare import _prepare
from salesops_lib.report.params import load_params
from salesops_lib.report.render import provenance_rows

REPO = Path(__file__).resolve().parents[2]


def _funnel_file(tmp_path: Path, demo_db: Path, **changes) -> Path:
    params = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
    params["source"] = str(demo_db)
    params.update(changes)
    params = {k: v for k, v in params.items() if v is not None}
    path = tmp_path / "funnel_weekly.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def _job(path: Path, tmp_path: Path, overrides=None):
    return _prepare(
        None,
        path,
        out_dir=tmp_path / "reports",
        name=None,
        notebooks_dir=REPO / "notebooks",
        kernel_name="salesops",
        timeout=60,
        overrides=overrides,
    )


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setenv("SALESOPS_NOW", "2026-10-15T06:00:00Z")


def test_yesterday_last_full_quarter_and_title_template(frozen, demo_db, tmp_path):
    path = _funnel_file(
        tmp_path,
        demo_db,
        as_of="yesterday",
        period_start=None,
        period_end=None,
        period="last_full_quarter",
        title="Lead funnel, {period} (as of {as_of}) {not a placeholder}",
    )
    job = _job(path, tmp_path)
    p = job.exec_params
    assert p["as_of"] == "2026-10-14T23:59:59"
    assert (p["period_start"], p["period_end"]) == ("2026-07-01", "2026-09-30")
    assert p["title"] == "Lead funnel, Q3 2026 (as of 14 Oct 2026) {not a placeholder}"
    assert job.title == p["title"]
    rel = job.relative
    assert rel["as_of"] == "yesterday" and rel["period"] == "last_full_quarter"
    assert rel["clock"] == "2026-10-15T06:00:00"
    assert rel["title"].startswith("Lead funnel, {period}")
    # recorded in the JSON provenance and shown in the report's provenance table
    prov = _base_provenance(job, pd.Timestamp("2026-10-15 06:00").to_pydatetime())
    assert prov["relative"] == rel
    rows = dict(provenance_rows(prov))
    assert "as_of yesterday" in rows["relative"] and "2026-07-01 to 2026-09-30" in rows["relative"]


def test_latest_with_a_period_rule_reads_the_data_and_leaves_as_of_empty(demo_db, tmp_path):
    path = _funnel_file(
        tmp_path, demo_db, as_of="latest", period_start=None, period_end=None,
        period="last_full_month", title="Funnel, {period_start} to {period_end}",
    )  # fmt: skip
    job = _job(path, tmp_path)
    last = open_source(demo_db).last_record()
    start = pd.Timestamp(job.exec_params["period_start"])
    end = pd.Timestamp(job.exec_params["period_end"])
    # the latest whole calendar month that ended by the data's last record
    assert start.day == 1 and end == start + pd.offsets.MonthEnd(0)
    assert end + pd.Timedelta(hours=23, minutes=59, seconds=59) <= last
    assert (end + pd.offsets.MonthEnd(1)) + pd.Timedelta(hours=23, minutes=59, seconds=59) > last
    assert job.exec_params["as_of"] is None  # the notebook takes the same last record itself
    assert job.relative["as_of_used"] == last.isoformat()
    assert job.title == f"Funnel, {start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def test_overrides_replace_pinned_dates_and_are_read_as_yaml(frozen, demo_db, tmp_path):
    path = _funnel_file(tmp_path, demo_db)  # pins as_of and period_start/period_end
    job = _job(
        path,
        tmp_path,
        overrides=["as_of=2026-06-30", "period=last_full_month", "window_days=30",
                   "breakdowns=[source, region]"],
    )  # fmt: skip
    p = job.exec_params
    assert (p["period_start"], p["period_end"]) == ("2026-06-01", "2026-06-30")
    assert p["window_days"] == 30 and p["breakdowns"] == ["source", "region"]
    # a file without relative values records nothing
    assert _job(path, tmp_path).relative == {}


@pytest.mark.parametrize(
    ("changes", "overrides", "key"),
    [
        ({"period": "last_full_quarter"}, None, "period"),  # beside period_start/period_end
        ({"period_start": None, "period_end": None, "period": "fortnight"}, None, "period"),
        ({"as_of": "tomorrow"}, None, "as_of"),
        ({"title": "Funnel {period}", "period_start": None, "period_end": None}, None, "title"),
        ({}, ["window_days"], "-p"),
        ({}, ["window_days=[1, 2"], "window_days"),
        ({}, ["notebook=benchmarking"], "notebook"),
        ({}, ["no_such_key=1"], "no_such_key"),
    ],
)
def test_bad_relative_params_name_the_key(frozen, demo_db, tmp_path, changes, overrides, key):
    path = _funnel_file(tmp_path, demo_db, **changes)
    with pytest.raises(ParamsError) as info:
        _job(path, tmp_path, overrides=overrides)
    assert f"`{key}`" in str(info.value)


def test_a_period_rule_on_a_report_without_a_period(frozen, tmp_path, demo_db):
    params = yaml.safe_load((REPO / "params" / "ab_campaign_evaluation.yaml").read_text())
    params.update(source=str(demo_db), period="last_full_month")
    path = tmp_path / "ab.yaml"
    path.write_text(yaml.safe_dump(params))
    with pytest.raises(ParamsError, match="no period to set"):
        load_params(path)


def test_cli_p_overrides_reach_the_notebook(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SALESOPS_NOW", "2026-08-15T06:00:00Z")  # the demo's data ends in 2026
    path = _funnel_file(tmp_path, demo_db)
    seen = []

    def record(job):
        seen.append(job)
        raise SystemExit(0)  # stop after preparation: no kernel in this test

    monkeypatch.setattr(runner, "_execute", record)
    # `salesops run` runs the notebook in a worker process (to stop cleanly on SIGTERM)
    monkeypatch.setattr(runner, "_execute_isolated", lambda job, _out, **_kw: record(job))
    with pytest.raises(SystemExit):
        cli.main(
            ["run", "--params", str(path), "--out", str(tmp_path / "r"),
             "--notebooks-dir", str(REPO / "notebooks"),
             "-p", "as_of=yesterday", "--param", "period=quarter_to_date"]
        )  # fmt: skip
    (job,) = seen
    assert job.exec_params["as_of"] == "2026-08-14T23:59:59"
    assert (job.exec_params["period_start"], job.exec_params["period_end"]) == (
        "2026-07-01",
        "2026-08-14",
    )
    code = cli.main(["run", "--params", str(path), "-p", "as_of"])
    err = capsys.readouterr().err
    assert code == 2 and "`-p`" in err and "KEY=VALUE" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("params_file", "call", "changes"),
    [
        ("sales_kpis.yaml", "sales_kpis", {"as_of": "2026-08-15"}),
        ("sales_kpis.yaml", "sales_kpis", {"as_of": "2026-08-15", "grain": "month"}),
        ("pipeline_forecast.yaml", "pipeline_forecast", {"as_of": "2026-05-31"}),
        ("pipeline_forecast.yaml", "pipeline_forecast", {"as_of": "2026-05-20"}),
    ],
)
def test_a_title_period_the_params_leave_to_the_analysis_is_the_reported_one(
    demo_db, tmp_path, params_file, call, changes
):
    """The demo's KPI and forecast titles say ``{period}`` and give no period: the title names
    the period the analysis then reports, at whatever as-of the report is run (a fixed
    "Q3 2026" went stale with ``-p as_of=``)."""
    from salesops_lib.analyses.forecast import pipeline_forecast
    from salesops_lib.analyses.kpis import sales_kpis

    params = yaml.safe_load((REPO / "params" / params_file).read_text())
    assert "{period}" in params["title"] and params.get("period_start") is None
    params.update(source=str(demo_db), **changes)
    if call == "pipeline_forecast":  # a small forecast: the period is what is checked
        params.update(n_sims=1000, backtest_periods=1)
    path = tmp_path / params_file
    path.write_text(yaml.safe_dump(params))
    _, model = load_params(path)
    run = sales_kpis if call == "sales_kpis" else pipeline_forecast
    reported = run(**model.to_kwargs()).to_results()["period"]
    assert model.title.endswith(", " + reported["label"]), (model.title, reported)
