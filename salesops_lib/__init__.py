"""salesops kit: sales-operations analytics and leadership reports.

The public API is this module's ``__all__`` (pinned by ``tests/test_public_api.py``)::

    import salesops_lib as so
    src = so.open_source("data/demo.duckdb")          # or a folder, "env:VAR", dict of DataFrames
    so.funnel_analysis(src, stages=["created", "MQL", "SQL", "opportunity", "won"],
                       breakdowns=["source"])
    so.evaluate_experiment(src, campaign_id="C_AB_MQL_SLA", control="control",
                           metrics=[{"name": "SQL within 30 days", "kind": "binary",
                                     "stage": "SQL", "window_days": 30, "primary": True}])
    so.benchmark_reps(src)

Names are loaded lazily (PEP 562), so ``import salesops_lib`` and the ``salesops`` command start
fast; the heavy libraries (ibis, pandas, scipy, matplotlib) load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from salesops_lib._version import __version__
from salesops_lib.errors import (
    DataValidationError,
    ParamsError,
    ReportExecutionError,
    SalesOpsError,
    SourceError,
)

_LAZY = {
    # data
    "open_source": "salesops_lib.data.sources",
    "Source": "salesops_lib.data.sources",
    "validate_table": "salesops_lib.data.schema",
    "TABLES": "salesops_lib.data.schema",
    "generate_demo": "salesops_lib.data.demo",
    # metrics
    "funnel_analysis": "salesops_lib.analyses.funnel",
    "FunnelResult": "salesops_lib.analyses.funnel",
    "evaluate_experiment": "salesops_lib.analyses.experiment",
    "compare_binary_counts": "salesops_lib.analyses.experiment",
    "ExperimentResult": "salesops_lib.analyses.experiment",
    "benchmark_reps": "salesops_lib.analyses.benchmark",
    "BenchmarkResult": "salesops_lib.analyses.benchmark",
    # report
    "run_report": "salesops_lib.report.runner",
    "run_all": "salesops_lib.report.runner",
    "notebook_setup": "salesops_lib.report.notebook",
    "publish_results": "salesops_lib.report.notebook",
    # viz
    "set_theme": "salesops_lib.viz.theme",
}

__all__ = [
    "TABLES",
    "BenchmarkResult",
    "DataValidationError",
    "ExperimentResult",
    "FunnelResult",
    "ParamsError",
    "ReportExecutionError",
    "SalesOpsError",
    "Source",
    "SourceError",
    "__version__",
    "benchmark_reps",
    "compare_binary_counts",
    "evaluate_experiment",
    "funnel_analysis",
    "generate_demo",
    "notebook_setup",
    "open_source",
    "publish_results",
    "run_all",
    "run_report",
    "set_theme",
    "validate_table",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'salesops_lib' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from salesops_lib.analyses.benchmark import BenchmarkResult, benchmark_reps
    from salesops_lib.analyses.experiment import (
        ExperimentResult,
        compare_binary_counts,
        evaluate_experiment,
    )
    from salesops_lib.analyses.funnel import FunnelResult, funnel_analysis
    from salesops_lib.data.demo import generate_demo
    from salesops_lib.data.schema import TABLES, validate_table
    from salesops_lib.data.sources import Source, open_source
    from salesops_lib.report.notebook import notebook_setup, publish_results
    from salesops_lib.report.runner import run_all, run_report
    from salesops_lib.viz.theme import set_theme
