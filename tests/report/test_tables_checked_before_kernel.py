"""Every table a report reads is validated before any kernel starts (issue 14, item 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from salesops_lib import cli
from salesops_lib.analyses import REGISTRY
from salesops_lib.data.schema import TABLES
from salesops_lib.report import runner

REPO = Path(__file__).resolve().parents[2]


def _broken_copy(demo_db: Path, tmp_path: Path, *sql: str) -> Path:
    db = tmp_path / "broken.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        for statement in sql:
            con.execute(statement)
    return db


def _run_cli(params_file: str, db: Path, tmp_path: Path, monkeypatch, capsys) -> tuple[int, str]:
    params = yaml.safe_load((REPO / "params" / params_file).read_text())
    params["source"] = str(db)
    if params.get("benchmarks_file"):
        params["benchmarks_file"] = str(REPO / params["benchmarks_file"])
    path = tmp_path / params_file
    path.write_text(yaml.safe_dump(params))
    monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a kernel was started"))
    code = cli.main(
        [
            "run",
            "--params",
            str(path),
            "--out",
            str(tmp_path / "reports"),
            "--notebooks-dir",
            str(REPO / "notebooks"),
        ]
    )
    err = capsys.readouterr().err
    reports = tmp_path / "reports"
    assert not reports.exists() or not any(reports.glob("*.html")), "a report file was written"
    return code, err


def test_benchmarking_with_duplicate_reps_exits_2_before_a_kernel(
    demo_db, tmp_path, monkeypatch, capsys
):
    db = _broken_copy(demo_db, tmp_path, "INSERT INTO reps SELECT * FROM reps LIMIT 1")
    code, err = _run_cli("benchmarking.yaml", db, tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "table `reps`, column `rep_id`" in err and "more than once" in err
    assert "Traceback" not in err


def test_ab_report_with_a_broken_outcome_table_exits_2_before_a_kernel(
    demo_db, tmp_path, monkeypatch, capsys
):
    db = _broken_copy(
        demo_db,
        tmp_path,
        "UPDATE opportunities SET is_closed = false "
        "WHERE opportunity_id = (SELECT min(opportunity_id) FROM opportunities WHERE is_won)",
    )
    code, err = _run_cli("ab_campaign_evaluation.yaml", db, tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "table `opportunities`, column `is_won`" in err
    assert "Traceback" not in err


def test_a_broken_table_the_report_does_not_read_does_not_block_it(demo_db, tmp_path):
    db = _broken_copy(demo_db, tmp_path, "UPDATE spend SET amount = -1")
    params = yaml.safe_load((REPO / "params" / "opportunity_funnel.yaml").read_text())
    model = REGISTRY["funnel"].params.model_validate(
        {k: v for k, v in params.items() if k != "notebook"} | {"source": str(db)}
    )
    assert "spend" not in model.tables_read()
    model.check_tables()  # no error: the funnel never reads `spend`


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_analysis_declares_the_canonical_tables_it_reads(name):
    params = REGISTRY[name].params
    fields = {
        k: v
        for k, v in yaml.safe_load(
            (REPO / "params" / f"{REGISTRY[name].notebook}.yaml").read_text()
        ).items()
        if k != "notebook"
    }
    model = params.model_validate(fields)
    tables = model.tables_read()
    assert tables, f"{name} declares no tables"
    assert set(tables) <= set(TABLES)


def _benchmark_project(root: Path, demo_db: Path) -> Path:
    """A project folder with its own benchmarks file, written relative to the project."""
    (root / "bm").mkdir(parents=True)
    shutil.copy(REPO / "params" / "benchmarks" / "external.yaml", root / "bm" / "external.yaml")
    params = root / "bench.yaml"
    params.write_text(
        yaml.safe_dump(
            {
                "notebook": "benchmarking",
                "source": str(demo_db),
                "benchmarks_file": "bm/external.yaml",
            }
        )
    )
    return params


def test_the_benchmarks_file_checked_is_the_one_the_notebook_reads(demo_db, tmp_path, monkeypatch):
    # notebooks elsewhere (--notebooks-dir): the file was found from the working folder before
    # the kernel, and then not from the notebook's folder ("failed in 11.2 s: file
    # `bm/external.yaml` not found", seen running `run --all` with a linked notebooks folder)
    from salesops_lib.report._prepare import _prepare

    project = tmp_path / "project"
    params = _benchmark_project(project, demo_db)
    kw = {"out_dir": tmp_path / "out", "name": None, "kernel_name": "python3", "timeout": 60}
    monkeypatch.chdir(project)
    job = _prepare(None, params, notebooks_dir=REPO / "notebooks", **kw)
    assert job.exec_params["benchmarks_file"] == str((project / "bm" / "external.yaml").resolve())
    assert job.params["benchmarks_file"] == "bm/external.yaml"  # the JSON keeps what was written
    # the kit's layout (notebooks/ beside params/): the notebook finds it as written
    monkeypatch.chdir(REPO)
    kit = {
        "notebook": "benchmarking",
        "source": str(demo_db),
        "benchmarks_file": "params/benchmarks/external.yaml",
    }
    job = _prepare(None, kit, notebooks_dir="notebooks", **kw)
    assert job.exec_params["benchmarks_file"] == "params/benchmarks/external.yaml"


def _params_beside_bench(root: Path, demo_db: Path, bench: str) -> Path:
    """``root/p/benchmarking.yaml`` naming ``bench`` and, beside it, ``root/p/bench.yaml``."""
    (root / "p").mkdir(parents=True)
    shutil.copy(REPO / "params" / "benchmarks" / "external.yaml", root / "p" / "bench.yaml")
    params = root / "p" / "benchmarking.yaml"
    params.write_text(
        yaml.safe_dump(
            {"notebook": "benchmarking", "source": str(demo_db), "benchmarks_file": bench}
        )
    )
    return params


def test_a_benchmarks_file_beside_the_params_file_is_found_from_another_folder(
    demo_db, tmp_path, monkeypatch, capsys
):
    # issue 14 item 7 / 15: `source:` was found beside the params file, `benchmarks_file` only
    # from the working folder ("file `bench.yaml` not found", exit 2)
    params = _params_beside_bench(tmp_path / "project", demo_db, "bench.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    started: list = []

    def record(job):
        started.append(job)
        raise SystemExit(0)  # stop after preparation: no kernel in this test

    # `salesops run` runs the notebook in a worker process (to stop cleanly on SIGTERM)
    monkeypatch.setattr(runner, "_execute_isolated", lambda job, _out, **_kw: record(job))
    out = ["--out", str(tmp_path / "reports"), "--notebooks-dir", str(REPO / "notebooks")]
    with pytest.raises(SystemExit):
        cli.main(["run", "--params", str(params), *out])
    err = capsys.readouterr().err
    assert "not found" not in err
    assert len(started) == 1, err
    bench = (tmp_path / "project" / "p" / "bench.yaml").resolve()
    assert started[0].exec_params["benchmarks_file"] == str(bench)  # what the kernel reads
    assert started[0].params["benchmarks_file"] == "bench.yaml"  # the JSON keeps what was written


def test_a_missing_benchmarks_file_names_the_key_and_the_places_looked(
    demo_db, tmp_path, monkeypatch, capsys
):
    params = _params_beside_bench(tmp_path / "project", demo_db, "nope.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(runner, "_execute", lambda job: pytest.fail("a kernel was started"))
    code = cli.main(
        [
            "run",
            "--params",
            str(params),
            "--out",
            str(tmp_path / "reports"),
            "--notebooks-dir",
            str(REPO / "notebooks"),
        ]
    )
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "`benchmarks_file`" in err and "`nope.yaml` not found" in err
    assert elsewhere.as_posix() in err and (tmp_path / "project" / "p").as_posix() in err
    assert "Traceback" not in err


def test_an_absolute_benchmarks_file_is_passed_to_the_kernel_as_given(
    demo_db, tmp_path, monkeypatch
):
    from salesops_lib.report._prepare import _prepare

    bench = (tmp_path / "project" / "p" / "bench.yaml").resolve()
    params = _params_beside_bench(tmp_path / "project", demo_db, str(bench))
    monkeypatch.chdir(tmp_path)
    kw = {"out_dir": tmp_path / "out", "name": None, "kernel_name": "python3", "timeout": 60}
    job = _prepare(None, params, notebooks_dir=REPO / "notebooks", **kw)
    assert job.exec_params["benchmarks_file"] == str(bench) == job.params["benchmarks_file"]
