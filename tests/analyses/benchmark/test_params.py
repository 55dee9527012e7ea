"""Tests of BenchmarkParams, the benchmarking params file and notebook, and the report run."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from salesops_lib.analyses.benchmark import BenchmarkParams
from salesops_lib.errors import ParamsError
from salesops_lib.report.params import load_params, validate_params

REPO = Path(__file__).resolve().parents[3]


def test_defaults_and_shipped_params_file(monkeypatch):
    monkeypatch.chdir(REPO)
    p = BenchmarkParams()
    assert p.attainment_thresholds == (0.8, 1.0, 1.2) and p.period_start is None
    stem, model = load_params(REPO / "params" / "benchmarking.yaml")
    assert stem == "benchmarking" and isinstance(model, BenchmarkParams)
    assert model.quota_basis == "adjusted"
    assert str(model.period_start) == "2025-10-01"


def test_benchmark_entry_without_source_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ext.yaml").write_text(
        "benchmarks:\n  - metric: win_rate\n    value: 0.2\n    unit: share\n"
        "    definition: won over closed\n    year: 2025\n"
    )
    with pytest.raises(ParamsError) as err:
        validate_params("benchmarking", {"benchmarks_file": "ext.yaml"})
    msg = str(err.value)
    assert "benchmarks_file" in msg and "benchmarks.0 (win_rate)" in msg and "source" in msg


def test_benchmark_placeholder_flag_must_be_a_boolean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ext.yaml").write_text(
        "benchmarks:\n  - metric: win_rate\n    value: 0.2\n    unit: share\n"
        "    definition: won over closed\n    source: x\n    year: 2025\n"
        '    placeholder: "maybe"\n'
    )
    with pytest.raises(ParamsError) as err:
        validate_params("benchmarking", {"benchmarks_file": "ext.yaml"})
    assert "benchmarks.0 (win_rate).placeholder" in str(err.value)
    assert "true or false" in str(err.value)


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"period_start": "2026-06-01", "period_end": "2026-01-01"}, "period_end"),
        ({"ramp_schedule": [0.5, 1.5]}, "ramp_schedule"),
        ({"quota_basis": "ramped"}, "quota_basis"),
        ({"certainty": 1.2}, "certainty"),
        ({"min_clsoed": 10}, "min_clsoed"),
    ],
)
def test_bad_values_name_the_key(values, key, monkeypatch):
    monkeypatch.chdir(REPO)
    with pytest.raises(ParamsError, match=key):
        validate_params("benchmarking", values)


def test_cli_exits_2_on_a_benchmark_without_definition(tmp_path):
    (tmp_path / "ext.yaml").write_text(
        "benchmarks:\n  - metric: win_rate\n    value: 0.2\n    unit: share\n"
        "    source: x\n    year: 2025\n"
    )
    (tmp_path / "bm.yaml").write_text(
        "notebook: benchmarking\ntitle: t\nbenchmarks_file: ext.yaml\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "salesops_lib.cli",
            "run",
            "benchmarking",
            "--params",
            "bm.yaml",
            "--out",
            str(tmp_path / "reports"),
            "--notebooks-dir",
            str(REPO / "notebooks"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 2, out.stderr
    assert "benchmarks.0 (win_rate)" in out.stderr + out.stdout
    assert "definition" in out.stderr + out.stdout


def test_notebook_is_thin_clean_and_matches_the_model():
    nb = nbformat.read(REPO / "notebooks" / "benchmarking.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = {t.id for node in ast.parse(params[0].source).body for t in node.targets}
    assert names == set(BenchmarkParams.model_fields)
    # the parameters cell's defaults validate
    values = {}
    exec(params[0].source, {}, values)  # our own committed notebook
    BenchmarkParams.model_validate(values)
    assert "notebook_setup()" in code[1].source
    assert "publish_results" in code[-1].source


@pytest.mark.slow
def test_report_runs_end_to_end(demo_db, tmp_path, monkeypatch):
    import json

    from salesops_lib.report import run_report

    monkeypatch.chdir(REPO)
    run_report(
        "benchmarking",
        {
            "notebook": "benchmarking",
            "title": "Benchmarking test",
            "source": str(demo_db),
            "as_of": "2026-09-30",
            "period_start": "2024-10-01",
            "period_end": "2026-09-30",
            "quota_basis": "adjusted",
            "benchmarks_file": "params/benchmarks/external.yaml",
        },
        out_dir=tmp_path,
    )
    html = (tmp_path / "benchmarking.html").read_text()
    for heading in (
        "Summary",
        "leaderboard",
        "funnel plot",
        "Quota attainment",
        "Territory balance",
        "Methods and definitions",
    ):
        assert heading.lower() in html.lower()
    data = json.loads((tmp_path / "benchmarking.json").read_text())
    res = data["results"]
    assert {"reps", "teams", "benchmarks"} <= set(res)
    assert len(res["reps"]) >= 20
    assert any(b["kind"] == "external" for b in res["benchmarks"])
    # review fixes visible in the report: placeholder banner, no "true outliers", median rank,
    # the watch list section and the multiplicity bar in the methods
    assert "External benchmarks are illustrative placeholders" in html
    assert "true outliers" not in html.lower()
    assert "Median rank (range)" in html and "Watch list" in html
    assert "Bonferroni" in html
    assert res["multiplicity"]["clear_certainty"] == pytest.approx(
        1 - 0.05 / res["multiplicity"]["reps_compared"]
    )


def test_leaderboard_table_is_with_the_detail_tables():
    nb = nbformat.read(REPO / "notebooks" / "benchmarking.ipynb", as_version=4)
    src = [c.source for c in nb.cells]
    table = next(i for i, s in enumerate(src) if "res.tables()" in s)  # the full leaderboard
    chart = next(i for i, s in enumerate(src) if 'res.show("leaderboard")' in s)
    teams = next(i for i, s in enumerate(src) if 'res.show("groups")' in s)
    methods = next(i for i, s in enumerate(src) if s.startswith("## Methods"))
    assert chart < teams < table < methods


def test_check_data_passes_on_the_demo(demo_db, monkeypatch):
    monkeypatch.chdir(REPO)
    BenchmarkParams(source=str(demo_db)).check_data()


def test_check_data_names_a_missing_benchmarks_file(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = BenchmarkParams(source=str(demo_db), benchmarks_file=None)
    p.check_data()  # no external benchmarks: nothing to find
    bad = p.model_copy(update={"benchmarks_file": "params/benchmarks/nope.yaml"})
    with pytest.raises(ParamsError, match="benchmarks_file") as err:
        bad.check_data()
    assert "nope.yaml" in str(err.value)
    # resolved like the notebook: from the nearest parent folder holding the path
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "ext.yaml").write_text("benchmarks: []\n")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    p.model_copy(update={"benchmarks_file": "params/ext.yaml"}).check_data()


def test_check_data_names_missing_tables(tmp_path, monkeypatch):
    from salesops_lib.errors import SourceError

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "opportunities.csv").write_text("opportunity_id,owner_id\nO1,R1\n")
    p = BenchmarkParams(source=str(folder), benchmarks_file=None)
    with pytest.raises(SourceError) as err:
        p.check_data()
    msg = str(err.value)
    assert "`reps`" in msg and "it has: opportunities" in msg and "source" in msg
    assert "no table `reps`" in msg and "no table `opportunities`" not in msg
