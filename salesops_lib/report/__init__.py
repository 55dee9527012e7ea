"""report layer of the salesops kit: params models, notebook helpers, runner, HTML, index.

In a notebook::

    from salesops_lib.report import notebook_setup, publish_results

From Python (the ``salesops run`` command does the same)::

    from salesops_lib.report import run_report, run_all
    run_report("funnel_analysis", "params/funnel_emea.yaml")   # -> reports/funnel_emea.html
    run_all("params", out_dir="reports", workers=2)            # -> reports/index.html

The runner, renderer and index (papermill, nbconvert) are imported on first use, so a notebook
that only needs the helpers starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from salesops_lib.report.notebook import json_safe, notebook_setup, publish_results
from salesops_lib.report.params import NOTEBOOK_PARAMS, ReportParams, load_params

if TYPE_CHECKING:
    from salesops_lib.report.index import write_index
    from salesops_lib.report.runner import RunResult, run_all, run_report

__all__ = [
    "NOTEBOOK_PARAMS",
    "ReportParams",
    "RunResult",
    "json_safe",
    "load_params",
    "notebook_setup",
    "publish_results",
    "run_all",
    "run_report",
    "write_index",
]

_LAZY = {
    "RunResult": "salesops_lib.report.runner",
    "run_all": "salesops_lib.report.runner",
    "run_report": "salesops_lib.report.runner",
    "write_index": "salesops_lib.report.index",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
