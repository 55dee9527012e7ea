"""Scheduled runs: a dated archive with retention, and one run at a time per output folder."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_params

from salesops_lib import cli
from salesops_lib.report import runner
from salesops_lib.report._archive import (
    EXIT_LOCKED,
    RunLockedError,
    archive_report,
    archived_runs,
    run_lock,
    run_stamp,
)
from salesops_lib.report._jobs import RunResult

REPO = Path(__file__).resolve().parents[2]


def _publish(out: Path, name: str, text: str) -> None:
    (out / f"{name}.html").write_text(f"<p>{text}</p>")
    (out / f"{name}.json").write_text(json.dumps({"text": text}))


def test_archive_keeps_the_newest_runs(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    assert archive_report(out, "funnel", "2026-12-01T0600Z", keep=2) is None  # nothing yet
    for i, stamp in enumerate(["2026-12-01T0600Z", "2026-12-08T0600Z", "2026-12-15T0600Z"]):
        _publish(out, "funnel", f"run {i}")
        html, js = archive_report(out, "funnel", stamp, keep=2)
        assert (
            html.read_text() == f"<p>run {i}</p>"
            and json.loads(js.read_text())["text"] == f"run {i}"
        )
    kept = archived_runs(out, "funnel")
    assert [p.name for p in kept] == ["2026-12-15T0600Z.html", "2026-12-08T0600Z.html"]
    assert sorted(p.name for p in (out / "archive" / "funnel").iterdir()) == [
        "2026-12-08T0600Z.html", "2026-12-08T0600Z.json",
        "2026-12-15T0600Z.html", "2026-12-15T0600Z.json",
    ]  # fmt: skip
    # a second run in the same minute does not overwrite the first
    html, _ = archive_report(out, "funnel", "2026-12-15T0600Z", keep=5)
    assert html.name == "2026-12-15T0600Z-2.html"
    assert not list(out.rglob("*.tmp"))


def test_run_stamp_follows_the_kit_clock(monkeypatch):
    monkeypatch.setenv("SALESOPS_NOW", "2026-12-01T07:05+01:00")
    assert run_stamp() == "2026-12-01T0605Z"


def test_a_second_lock_on_the_same_folder_is_refused_with_the_holder(tmp_path):
    with run_lock(tmp_path / "reports"):
        with pytest.raises(RunLockedError) as info:
            with run_lock(tmp_path / "reports", wait=0.6):
                pytest.fail("two runs held the lock")
        assert info.value.exit_code == EXIT_LOCKED
        assert f"pid {__import__('os').getpid()}" in str(info.value)
        assert "--wait" in str(info.value)
        with run_lock(tmp_path / "elsewhere"):  # other folders are independent
            pass
    with run_lock(tmp_path / "reports"):  # released when the first run ended
        pass


def test_out_that_is_a_file_is_a_params_error(tmp_path):
    (tmp_path / "reports").write_text("not a folder")
    with pytest.raises(Exception) as info:
        with run_lock(tmp_path / "reports"):
            pass
    assert "`--out`" in str(info.value)


HOLD = """
import sys, time
from salesops_lib.report._archive import run_lock
with run_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _fake_execute(job):
    out = Path(job.out_dir)
    _publish(out, job.name, job.title)
    return RunResult(job.name, job.notebook, "ok", html=out / f"{job.name}.html",
                     json=out / f"{job.name}.json")  # fmt: skip


def _hold_lock(out: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_overlapping_runs_exit_75_or_wait(project, monkeypatch, capsys):
    write_params(project / "params", "weekly", "notebook: tiny_report\ntitle: Weekly\n")
    monkeypatch.setattr(runner, "_execute", _fake_execute)
    monkeypatch.setenv("SALESOPS_NOW", "2026-12-01T06:00Z")
    out = project / "reports"
    holder = _hold_lock(out, 30)
    try:
        code = cli.main(["run", "--all", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 75 and "is writing to" in err and "Traceback" not in err
        assert not (out / "weekly.html").exists()  # nothing ran
    finally:
        holder.kill()
        holder.wait()
    holder = _hold_lock(out, 1.5)
    started = time.monotonic()
    code = cli.main(["run", "--all", "--out", str(out), "--wait", "30", "--archive", "--keep", "3"])
    holder.wait()
    assert code == 0 and time.monotonic() - started >= 0.5  # it waited for the holder
    assert (out / "weekly.html").is_file()
    assert (out / "archive" / "weekly" / "2026-12-01T0600Z.html").is_file()
    assert (out / "archive" / "weekly" / "2026-12-01T0600Z.json").is_file()


def test_bad_keep_and_wait_are_params_errors(project, capsys):
    assert cli.main(["run", "--all", "--archive", "--keep", "0"]) == 2
    assert "`--keep`" in capsys.readouterr().err
    assert cli.main(["run", "--all", "--wait", "-1"]) == 2
    assert "`--wait`" in capsys.readouterr().err
