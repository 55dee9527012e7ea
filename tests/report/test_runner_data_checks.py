"""Params that need the data are checked before a kernel starts: one clear error, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from salesops_lib import cli
from salesops_lib.errors import ParamsError
from salesops_lib.report import runner

REPO = Path(__file__).resolve().parents[2]


def _ab_params(demo_db: Path, **changes) -> dict:
    params = yaml.safe_load((REPO / "params" / "ab_campaign_evaluation.yaml").read_text())
    params["source"] = str(demo_db)
    params.update(changes)
    return params


def test_unknown_control_arm_fails_before_any_kernel(demo_db, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(runner, "_execute", lambda job: started.append(job))
    with pytest.raises(ParamsError) as info:
        runner.run_report(
            None,
            _ab_params(demo_db, control="no_such_arm"),
            out_dir=tmp_path / "reports",
            notebooks_dir=REPO / "notebooks",
            update_index=False,
        )
    assert "`control`" in str(info.value) and "no_such_arm" in str(info.value)
    assert started == []
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_cli_exits_2_for_an_unknown_stage(demo_db, tmp_path, capsys, monkeypatch):
    params = _ab_params(demo_db)
    params["metrics"][0]["stage"] = "Closed Wonn"
    path = tmp_path / "ab_bad.yaml"
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
    assert code == 2
    assert "metrics.0.stage" in err and "Closed Wonn" in err
    assert "Traceback" not in err
