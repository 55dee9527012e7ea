"""docs/scheduling.md stays true: its params example validates, its cron line and Airflow command
run (real kernels, in a scratch copy of the kit) and its systemd/CI examples say the same."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

from salesops_lib.report.notify import load_notify_config
from salesops_lib.report.params import load_params

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "scheduling.md"
KIT = "/srv/salesops"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _cron_command() -> str:
    (block,) = _blocks("cron")
    (line,) = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    fields = line.split(None, 5)
    assert fields[:5] == ["0", "6", "*", "*", "1"]  # Monday 06:00, as the comment says
    return fields[5]


def _dag_command() -> str:
    (block,) = _blocks("python")
    tree = ast.parse(block)  # the DAG file is valid Python
    (call,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "BashOperator"
    ]
    (kw,) = [k for k in call.keywords if k.arg == "bash_command"]
    template = ast.literal_eval(kw.value)

    def ds_add(ds: str, days: int) -> str:  # Airflow's macros.ds_add
        return (dt.date.fromisoformat(ds) + dt.timedelta(days=days)).isoformat()

    return jinja2.Template(template).render(ds="2026-08-03", macros={"ds_add": ds_add})


def test_params_example_resolves(tmp_path, demo_db, monkeypatch):
    monkeypatch.setenv("SALESOPS_NOW", "2026-08-15T06:00Z")
    example = yaml.safe_load(_blocks("yaml")[0])
    example["source"] = str(demo_db)
    path = tmp_path / "funnel_weekly.yaml"
    path.write_text(yaml.safe_dump(example))
    _, params = load_params(path)
    assert params.as_of == dt.datetime(2026, 8, 14, 23, 59, 59)
    assert (params.period_start, params.period_end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert params.title == "Lead funnel, Q2 2026 (data to 14 Aug 2026)"


def test_systemd_and_ci_run_the_same_command_as_cron():
    cron = _cron_command()
    service, timer = _blocks("ini")
    (exec_start,) = re.findall(r"^ExecStart=(.*)$", service, flags=re.M)
    assert exec_start.replace(f"{KIT}/", "") in cron
    assert re.search(r"^OnCalendar=Mon \*-\*-\* 06:00:00 UTC$", timer, flags=re.M)
    (ci,) = [b for b in _blocks("yaml") if "\njobs:" in b]
    workflow = yaml.safe_load(ci)
    runs = [s.get("run", "") for s in workflow["jobs"]["reports"]["steps"]]
    assert any("salesops run --all" in r and "as_of=yesterday" in r for r in runs)
    assert workflow[True]["schedule"][0]["cron"] == "0 6 * * 1"  # YAML reads `on:` as True


def test_notify_example_is_a_valid_config(tmp_path):
    (example,) = [b for b in _blocks("yaml") if b.startswith("# notify.yaml")]
    path = tmp_path / "notify.yaml"
    path.write_text(example)
    cfg = load_notify_config(path)
    assert cfg.readers("funnel_weekly") == [
        "vp-sales@example.com",
        "cro@example.com",
        "revops@example.com",
    ]
    assert cfg.smtp.security == "starttls" and cfg.maintainers == ["revops-oncall@example.com"]


@pytest.mark.slow
def test_cron_line_and_airflow_command_run(tmp_path, demo_db):
    kit = tmp_path / "kit"
    shutil.copytree(REPO / "notebooks", kit / "notebooks")
    (kit / "params").mkdir()
    params = yaml.safe_load((REPO / "params" / "funnel_analysis.yaml").read_text())
    params.update(source=str(demo_db), title="Lead funnel, {period}")
    params["period"] = "last_full_quarter"
    del params["period_start"], params["period_end"], params["as_of"]
    (kit / "params" / "funnel_weekly.yaml").write_text(yaml.safe_dump(params))
    (kit / ".venv" / "bin").mkdir(parents=True)
    (kit / ".venv" / "bin" / "salesops").symlink_to(Path(sys.executable).parent / "salesops")
    env = {**os.environ, "SALESOPS_NOW": "2026-08-10T06:00Z"}  # a Monday within the demo's data
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))

    cron = _cron_command().replace(KIT, str(kit))
    done = subprocess.run(
        ["bash", "-c", cron], env=env, capture_output=True, text=True, timeout=900
    )
    log = (kit / "logs" / "salesops.log").read_text()
    assert done.returncode == 0, log
    report = json.loads((kit / "reports" / "funnel_weekly.json").read_text())
    assert report["params"]["as_of"] == "2026-08-09T23:59:59"
    assert report["provenance"]["relative"]["as_of"] == "yesterday"
    assert report["params"]["period_start"] == "2026-04-01"
    assert report["params"]["title"] == "Lead funnel, Q2 2026"
    archived = kit / "reports" / "archive" / "funnel_weekly"
    assert sorted(p.name for p in archived.iterdir()) == [
        "2026-08-10T0600Z.html",
        "2026-08-10T0600Z.json",
    ]

    dag = _dag_command().replace(KIT, str(kit))
    assert "as_of=2026-08-09" in dag  # the week's last day
    done = subprocess.run(["bash", "-c", dag], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(list(archived.glob("*.html"))) == 2  # the same minute does not overwrite
