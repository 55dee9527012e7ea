"""SIGTERM, SIGINT and SIGHUP stop `salesops run --all` cleanly (issue 14, item 1).

The command runs as a real subprocess on the golden notebooks (``slow_report`` sleeps 60 s);
once its kernels are running it gets the signal and must: exit 143 / 130 / 129 with one line,
leave no process behind (workers, kernels), remove its temporary folder, kernel connection and
socket files, rewrite the index, keep the report that finished and the previous files of the
stopped ones, and write nothing after it has exited.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salesops_lib.report._archive import LOCK_FILE

psutil = pytest.importorskip("psutil")

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FILES = Path(__file__).parent / "files"

# `python -m salesops_lib.cli`, with the golden notebooks' params model registered first
SCRIPT = """
import sys
from pydantic import Field
from salesops_lib.report.params import NOTEBOOK_PARAMS, ReportParams

class TinyParams(ReportParams):
    n_points: int = 5
    label: str = "demo"
    stages: list[str] = Field(default_factory=lambda: ["lead", "mql"])

for nb in ("tiny_report", "slow_report", "failing_report"):
    NOTEBOOK_PARAMS[nb] = TinyParams

from salesops_lib.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:  # gone, or a zombie
        return False


def _is_kernel(proc: psutil.Process) -> bool:
    try:
        return "ipykernel" in " ".join(proc.cmdline()) and _alive(proc)
    except psutil.Error:
        return False


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir() if p.is_file()
    }


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    for sub in ("notebooks", "params", "data", "reports", "tmp", "runtime"):
        (tmp_path / sub).mkdir()
    for nb in FILES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    (tmp_path / "data" / "demo.duckdb").write_bytes(b"")
    (tmp_path / "run.py").write_text(SCRIPT)
    params = tmp_path / "params"
    (params / "a_tiny.yaml").write_text("notebook: tiny_report\ntitle: Tiny\n")
    for name in ("slow_b", "slow_c", "slow_d"):
        (params / f"{name}.yaml").write_text(f"notebook: slow_report\ntitle: {name}\n")
    (tmp_path / "reports" / "slow_b.html").write_text("previous good report")
    (tmp_path / "reports" / "slow_b.json").write_text('{"previous": true}')
    return tmp_path


def _stop_while_running(
    kit: Path, argv: list[str], signum: int, *, kernels: int, ready: str | None = None
) -> tuple[subprocess.Popen, str, str, list[psutil.Process], dict]:
    """Start ``salesops ARGV`` in ``kit``, send ``signum`` once ``kernels`` kernels run (and the
    file ``ready`` exists); return the process, its output, the descendants seen just before
    the signal and the reports folder as it was when the command had exited."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TMPDIR": str(kit / "tmp"),  # salesops-run-*, kernel connection files
        "JUPYTER_RUNTIME_DIR": str(kit / "runtime"),  # IPC socket files
    }
    proc = subprocess.Popen(
        [sys.executable, "run.py", *argv],
        cwd=kit,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    descendants: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        running: list[psutil.Process] = []
        while time.monotonic() < deadline and proc.poll() is None:
            running = [p for p in _tree(proc.pid) if _is_kernel(p)]
            if len(running) >= kernels and (ready is None or (kit / ready).exists()):
                break
            time.sleep(0.3)
        assert len(running) >= kernels, "the kernels never started"
        time.sleep(2)  # the slow notebooks are sleeping in their cell
        descendants = [p for p in _tree(proc.pid) if _alive(p)]
        assert len(descendants) >= kernels
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:  # if the stop did not work, leave nothing behind for the next test
        for p in [*descendants, *_tree(proc.pid)]:
            if _alive(p):  # pragma: no cover
                p.kill()
        if proc.poll() is None:  # pragma: no cover
            proc.kill()
    return proc, out, err, descendants, _snapshot(kit / "reports")


def _assert_nothing_left(kit: Path, descendants: list[psutil.Process], after_exit: dict) -> None:
    survivors = [p for p in descendants if _alive(p)]
    assert survivors == [], [p.cmdline() for p in survivors]
    assert list((kit / "tmp").iterdir()) == []  # salesops-run-*, connection files
    assert list((kit / "runtime").iterdir()) == []  # IPC sockets
    reports = kit / "reports"
    assert (reports / "slow_b.html").read_text() == "previous good report"
    assert (reports / "slow_b.json").read_text() == '{"previous": true}'
    assert not (reports / "slow_b.error.json").exists()
    assert not [p for p in reports.iterdir() if p.name.startswith(".") and p.name != LOCK_FILE]
    time.sleep(8)  # the workers of old wrote their reports 6-12 s after the command ended
    assert _snapshot(reports) == after_exit


@pytest.mark.parametrize(
    ("signum", "code", "name"),
    [
        (signal.SIGTERM, 143, "SIGTERM"),
        (signal.SIGINT, 130, "SIGINT"),
        (signal.SIGHUP, 129, "SIGHUP"),
    ],
)
def test_a_stop_signal_ends_run_all(kit: Path, signum: int, code: int, name: str):
    proc, out, err, descendants, after_exit = _stop_while_running(
        kit,
        ["run", "--all", "--workers", "2"],
        signum,
        kernels=2,
        ready="reports/a_tiny.json",
    )
    assert proc.returncode == code, err
    assert f"Stopped by {name}: 1 report finished, 3 not run" in err
    assert "Traceback" not in err + out
    _assert_nothing_left(kit, descendants, after_exit)
    reports = kit / "reports"
    assert (reports / "a_tiny.html").is_file() and (reports / "a_tiny.json").is_file()
    assert not (reports / "slow_c.html").exists() and not (reports / "slow_c.error.json").exists()
    assert "a_tiny.html" in (reports / "index.html").read_text()


def test_sigterm_ends_a_single_run(kit: Path):
    proc, out, err, descendants, after_exit = _stop_while_running(
        kit, ["run", "--params", "params/slow_b.yaml"], signal.SIGTERM, kernels=1
    )
    assert proc.returncode == 143, err
    assert "Stopped by SIGTERM: 0 reports finished, 1 not run" in err
    assert "Traceback" not in err + out
    _assert_nothing_left(kit, descendants, after_exit)
