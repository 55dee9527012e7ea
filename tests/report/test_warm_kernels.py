"""``run_all`` keeps one kernel per worker between reports (``report/_warm.py``).

What must hold: a report run in a kept kernel is the report a new kernel gives (same results,
same page, same pictures); nothing the previous notebook did (names, figures, options, warnings
filters, language, working folder) reaches the next; a failed report's kernel is not reused;
no kernel outlives the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync

from salesops_lib.report._jobs import _Job
from salesops_lib.report._warm import WarmKernel
from salesops_lib.report.params import NOTEBOOK_PARAMS
from salesops_lib.report.runner import run_all
from tests.report.conftest import TinyParams, write_params

REPO = Path(__file__).resolve().parents[2]

#: Reads what a previous notebook could have left behind, then leaves all of it behind.
_PROBE_CELLS = [
    (
        "parameters",
        'title = "Probe"\nsource = "data/demo.duckdb"\nas_of = None\nn_points = 5\n'
        'label = "demo"\nstages = ["lead", "mql"]',
    ),
    (
        "",
        "import os, warnings\n"
        "import matplotlib, matplotlib.pyplot as plt, pandas as pd\n"
        "import salesops_lib.report  # (its imports add warnings filters of their own)\n"
        "from salesops_lib.i18n import current_language, current_timezone\n"
        "state = {\n"
        '    "leftover": "leftover" in globals(),\n'
        '    "execution_count": get_ipython().execution_count,\n'
        '    "figures": len(plt.get_fignums()),\n'
        '    "linewidth": matplotlib.rcParams["lines.linewidth"],\n'
        '    "max_rows": pd.get_option("display.max_rows"),\n'
        '    "language": current_language(),\n'
        '    "timezone": current_timezone(),\n'
        '    "cwd": os.getcwd(),\n'
        '    "filters": [str(f) for f in warnings.filters],\n'
        "}\n"
        "pid = os.getpid()",
    ),
    (
        "",
        "from salesops_lib.i18n import use_language\n"
        "leftover = 1\n"
        "kept = plt.figure()  # a figure held by a name is not closed by the inline backend\n"
        'matplotlib.rcParams["lines.linewidth"] = 9\n'
        'pd.set_option("display.max_rows", 3)\n'
        'use_language("it", "Europe/Rome")\n'
        'warnings.simplefilter("error")\n'
        'os.chdir("/")',
    ),
    (
        "",
        "from salesops_lib.report import publish_results\n"
        'publish_results({"state": state, "pid": pid})',
    ),
]


def _probe_notebook(path: Path) -> None:
    cells = [
        nbformat.v4.new_code_cell(src, metadata={"tags": [tag]} if tag else {})
        for tag, src in _PROBE_CELLS
    ]
    spec = {"name": "salesops", "display_name": "salesops", "language": "python"}
    meta = {"kernelspec": spec, "language_info": {"name": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=meta), str(path))


@pytest.fixture
def probes(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``params/`` with three probe reports (``a_probe`` … ``c_probe``), run in name order."""
    monkeypatch.setitem(NOTEBOOK_PARAMS, "probe_report", TinyParams)
    _probe_notebook(project / "notebooks" / "probe_report.ipynb")
    for name in ("a_probe", "b_probe", "c_probe"):
        write_params(project / "params", name, f"notebook: probe_report\ntitle: {name}\n")
    return project / "params"


def _results(results) -> dict[str, dict]:
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return {r.name: r.results for r in results}


def _gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def test_a_kept_kernel_starts_each_report_as_a_new_kernel_would(probes: Path, project: Path):
    warm = _results(run_all(probes, out_dir="warm", workers=1, progress=False))
    fresh = _results(
        run_all(probes, out_dir="fresh", workers=1, progress=False, warm_kernels=False)
    )
    # one kernel ran the three warm reports; the fresh run started three
    assert len({r["pid"] for r in warm.values()}) == 1
    assert len({r["pid"] for r in fresh.values()}) == 3
    # what each later report found is what a new kernel shows: the first report's state
    for name in ("a_probe", "b_probe", "c_probe"):
        assert warm[name]["state"] == fresh[name]["state"] == fresh["a_probe"]["state"], name
    first = fresh["a_probe"]["state"]
    assert first["leftover"] is False and first["figures"] == 0
    assert first["language"] == "en" and first["timezone"] == "UTC"
    assert first["cwd"] == str((project / "notebooks").resolve())
    # no kernel is left running once the run has returned
    assert all(_gone(r["pid"]) for r in [*warm.values(), *fresh.values()])


def test_a_failed_report_s_kernel_is_not_reused(probes: Path, project: Path):
    write_params(probes, "b_probe", "notebook: failing_report\ntitle: Fails\n")
    results = run_all(probes, out_dir="reports", workers=1, progress=False)
    by_name = {r.name: r for r in results}
    assert by_name["b_probe"].status == "failed"
    a, c = by_name["a_probe"].results, by_name["c_probe"].results
    assert a["pid"] != c["pid"]  # b failed in a's kernel: c started a new one
    assert c["state"] == a["state"]
    assert _gone(a["pid"]) and _gone(c["pid"])


def test_a_kernel_that_died_between_reports_is_replaced(tmp_path: Path):
    """The reset before the next report finds the kept kernel dead: a new one is made."""
    warm = WarmKernel()
    job = _Job(
        name="x",
        notebook="x",
        notebook_path="",
        title="x",
        params={},
        exec_params={},
        out_dir=str(tmp_path),
        cwd=str(tmp_path),
        state_dir=str(tmp_path),
    )
    try:
        km, _, _ = warm.acquire(job)
        run_sync(km.start_kernel)()  # as papermill does for the first report
        warm.release(ok=True)
        assert warm.acquire(job)[0] is km and warm.reports == 1  # alive: reset and kept
        warm.release(ok=True)
        pid = km.provisioner.pid
        os.kill(pid, signal.SIGKILL)
        assert _gone(pid)
        again, _, _ = warm.acquire(job)
        assert again is not km and warm.reports == 0 and not again.has_kernel
    finally:
        warm.close()


def _page(path: Path) -> str:
    """A report page without what differs between two runs of it (run id, times)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"[0-9a-f]{16}", "RUN", text)
    text = re.sub(r"\d{1,2} \w{3} \d{4} \d\d:\d\d (UTC|CET|CEST)", "WHEN", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.+-]+", "WHEN", text)
    return re.sub(r"<dt>(took|durata)</dt><dd>[^<]*</dd>", "TOOK", text)


@pytest.mark.slow
def test_every_demo_report_is_the_same_in_a_kept_kernel(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """All the demo reports and an Italian one in the middle, one after the other in one
    kernel, against each in a new kernel: equal results, equal pages (words, numbers, the
    pictures' bytes)."""
    params = tmp_path / "params"
    shutil.copytree(REPO / "params", params)  # benchmarks/ too: the benchmarking report's file
    italian = (params / "funnel_analysis.yaml").read_text(encoding="utf-8")
    (params / "funnel_it.yaml").write_text(
        italian + "\nlanguage: it\ntimezone: Europe/Rome\n", encoding="utf-8"
    )
    common = {
        "workers": 1,
        "progress": False,
        "notebooks_dir": REPO / "notebooks",
        "overrides": {"source": str(demo_db)},
    }
    monkeypatch.chdir(tmp_path)
    warm = run_all(params, out_dir=tmp_path / "warm", **common)
    fresh = run_all(
        params, out_dir=tmp_path / "fresh", warm_kernels=False, **{**common, "workers": 2}
    )
    assert _results(warm) == _results(fresh)
    names = sorted(r.name for r in warm)
    assert "funnel_it" in names and len(names) >= 6
    for name in names:
        a, b = (_page(tmp_path / d / f"{name}.html") for d in ("warm", "fresh"))
        assert a == b, name
    assert (
        json.loads((tmp_path / "warm" / "funnel_it.json").read_text())["params"]["language"] == "it"
    )
