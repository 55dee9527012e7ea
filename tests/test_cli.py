"""The `salesops` command: exit codes and messages, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import Field

from salesops_lib import __version__
from salesops_lib.cli import main
from salesops_lib.report.params import NOTEBOOK_PARAMS, ReportParams

FILES = Path(__file__).parent / "report" / "files"


class _CliTinyParams(ReportParams):
    n_points: int = 5
    label: str = "demo"
    stages: list[str] = Field(default_factory=lambda: ["lead", "mql"])


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch kit folder (cwd) with the golden notebooks and a test params model."""
    monkeypatch.setitem(NOTEBOOK_PARAMS, "tiny_report", _CliTinyParams)
    monkeypatch.setitem(NOTEBOOK_PARAMS, "failing_report", _CliTinyParams)
    (tmp_path / "notebooks").mkdir()
    for nb in FILES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "demo.duckdb").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]):
    assert main([]) == 2
    assert "run" in capsys.readouterr().out


def test_bad_params_exit_2(kit: Path, capsys: pytest.CaptureFixture[str], monkeypatch):
    import papermill

    monkeypatch.setattr(
        papermill, "execute_notebook", lambda *a, **k: pytest.fail("kernel started")
    )
    (kit / "params" / "bad.yaml").write_text("notebook: tiny_report\ntitle: T\nwindow_days: abc\n")
    code = main(["run", "tiny_report", "--params", "params/bad.yaml"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Parameter `window_days` in params/bad.yaml: unknown key" in err
    assert "Traceback" not in err
    assert not (kit / "reports").exists()


def test_bad_yaml_exit_2(kit: Path, capsys: pytest.CaptureFixture[str]):
    (kit / "params" / "bad.yaml").write_text("notebook: tiny_report\ntitle: [T\n")
    assert main(["run", "--params", "params/bad.yaml"]) == 2
    err = capsys.readouterr().err
    assert "not valid YAML" in err and "line" in err
    assert "Traceback" not in err


def test_missing_source_exit_2(kit: Path, capsys: pytest.CaptureFixture[str]):
    (kit / "params" / "p.yaml").write_text(
        "notebook: tiny_report\ntitle: T\nsource: nowhere.duckdb\n"
    )
    assert main(["run", "--params", "params/p.yaml"]) == 2
    assert "nowhere.duckdb" in capsys.readouterr().err


def test_validate_missing_source_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code = main(["validate", "--source", str(tmp_path / "missing.duckdb")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("salesops: ")
    assert "Traceback" not in err


def test_validate_demo(demo_db: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["validate", "--source", str(demo_db), "--tables", "leads"]) == 0
    out = capsys.readouterr().out
    assert "leads" in out and "20,000" in out


@pytest.mark.slow
def test_run_and_run_all(kit: Path, capsys: pytest.CaptureFixture[str]):
    (kit / "params" / "tiny.yaml").write_text("notebook: tiny_report\ntitle: Tiny\n")
    assert main(["run", "tiny_report", "--params", "params/tiny.yaml", "--out", "out"]) == 0
    assert "out/tiny.html" in capsys.readouterr().out
    assert (kit / "out" / "tiny.html").exists()

    (kit / "params" / "zz_fail.yaml").write_text("notebook: failing_report\ntitle: Fails\n")
    code = main(["run", "--all", "--out", "out", "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert "out/index.html" in captured.out and "file://" in captured.out
    assert "zz_fail" in captured.err and "ValueError" in captured.err
    assert "Traceback" not in captured.err

    assert main(["run", "failing_report", "--params", "params/zz_fail.yaml", "--out", "out"]) == 1
    err = capsys.readouterr().err
    assert "zz_fail.error.html" in err and "Traceback" not in err


def test_import_maven_crm_writes_a_valid_folder_source(shared_datasets, tmp_path, capsys):
    """`salesops import` turns the public Maven export into a folder every report can read."""
    from salesops_lib.data.sources import open_source

    out = tmp_path / "maven"
    code = main(["import", "maven-crm", str(shared_datasets / "maven_crm"), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "GTX Pro" in text and "source:" in text
    assert {p.name for p in out.glob("*.parquet")} == {
        "opportunities.parquet",
        "reps.parquet",
        "accounts.parquet",
    }
    assert (out / "ADAPTER_NOTES.txt").read_text().count("- ") >= 3
    src = open_source(out)
    opps = src.table("opportunities").to_pandas()  # validated against the data model
    assert len(opps) == 8_300 and opps["opportunity_id"].is_unique
    assert src.table("reps").count().execute() == 35


def test_import_missing_export_folder_exit_2(tmp_path, capsys):
    code = main(["import", "maven-crm", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_usage_errors_and_empty_params_folder_exit_2(tmp_path, capsys):
    """Exit codes are a contract for schedulers: wrong usage or nothing to run is not success."""
    assert main(["run", "funnel_analysis"]) == 2
    assert "--params" in capsys.readouterr().err
    assert main(["run", "--all", "--params", "x.yaml"]) == 2
    (tmp_path / "empty").mkdir()
    assert (
        main(
            ["run", "--all", "--params-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "r")]
        )
        == 2
    )
    assert "no params files" in capsys.readouterr().err


def test_validate_lists_every_broken_table(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "leads.csv").write_text("lead_id,created_at\nL1,2025-01-01\nL1,2025-01-02\n")
    (bad / "opportunities.csv").write_text(
        "opportunity_id,created_at,owner_id,stage,is_closed,is_won\nO1,2025-01-01,R1,x,maybe,false\n"
    )
    assert main(["validate", "--source", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "2 of 2 table(s)" in err and "`leads`" in err and "`opportunities`" in err
    assert "Traceback" not in err


def test_the_command_skips_the_iri_grammars_and_still_validates_notebooks(tmp_path: Path):
    # `salesops` keeps jsonschema from compiling rfc3987_syntax's grammars (1.1 s per process);
    # nbformat must still read and validate a notebook (and flag a broken one)
    code = (
        "import sys\n"
        "from salesops_lib import cli\n"
        "cli._skip_iri_grammars()\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'nonsense'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "    sys.exit('a broken notebook validated')\n"
        "except nbformat.ValidationError:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('rfc3987_syntax', 'lark'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['rfc3987_syntax']"  # marked missing, lark never imported


def test_validate_says_a_problem_once_when_another_table_is_checked_against_it(tmp_path, capsys):
    # lead_history is checked against leads (no change before the lead's creation), so a lead
    # created in 2099 made both tables raise the same error: "2 of 2 table(s)", printed twice
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "leads.csv").write_text("lead_id,created_at\nL1,2025-01-01\nL2,2099-03-01\n")
    (bad / "lead_history.csv").write_text("lead_id,status,changed_at\nL1,MQL,2025-01-02\n")
    assert main(["validate", "--source", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "1 of 2 table(s)" in err
    assert err.count("lies in the future") == 1
    assert "Not checked until then: `lead_history` (checked against `leads`)." in err
