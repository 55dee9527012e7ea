"""The analyses, one package each with the same files, and their registry.

Each package ``salesops_lib/analyses/<name>/`` holds::

    __init__.py    public names (sorted __all__)
    _engine.py     Ibis expressions -> small count frames (no statistics, no words)
    _stats.py      analysis-specific work on counts, calling salesops_lib.stats
    _result.py     numbers-only result dataclasses, to_frame(), to_results()
    _narrative.py  summary sentences, cards, banners, headlines, sections, methods (reads _result)
    _charts.py     topic charts (data first, keyword-only, ax=None, returns Axes)
    _analysis.py   the public function: orchestration only
    params.py      the params model (single source of names, defaults, docs) and check_data()

:data:`REGISTRY` maps each analysis name to where its parts live; the report layer knows the
analyses only through it (``report/`` imports ``analyses/``, never the reverse). Entries are
resolved on first use so that listing the analyses imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

__all__ = ["REGISTRY", "Analysis", "by_notebook", "get"]


@dataclass(frozen=True)
class Analysis:
    """One analysis: its name, package, public function, params model, result class, notebook."""

    name: str
    package: str
    function: str
    params_class: str
    result_class: str
    notebook: str
    description: str

    @property
    def run(self) -> Any:
        """The public analysis function (data first, options keyword-only)."""
        return getattr(import_module(self.package), self.function)

    @property
    def params(self) -> Any:
        """The params model (a subclass of :class:`~salesops_lib.analyses._base.AnalysisParams`)."""
        return getattr(import_module(f"{self.package}.params"), self.params_class)

    @property
    def result(self) -> Any:
        """The result class (a subclass of :class:`~salesops_lib.analyses._base.ResultBase`)."""
        return getattr(import_module(self.package), self.result_class)


REGISTRY: dict[str, Analysis] = {
    a.name: a
    for a in (
        Analysis(
            name="funnel",
            package="salesops_lib.analyses.funnel",
            function="funnel_analysis",
            params_class="FunnelParams",
            result_class="FunnelResult",
            notebook="funnel_analysis",
            description="Where the sales process leaks, how fast, for whom",
        ),
        Analysis(
            name="experiment",
            package="salesops_lib.analyses.experiment",
            function="evaluate_experiment",
            params_class="ExperimentParams",
            result_class="ExperimentResult",
            notebook="ab_campaign_evaluation",
            description="Did the campaign or process change work, how sure are we",
        ),
        Analysis(
            name="benchmark",
            package="salesops_lib.analyses.benchmark",
            function="benchmark_reps",
            params_class="BenchmarkParams",
            result_class="BenchmarkResult",
            notebook="benchmarking",
            description="Who performs, who needs support, is the load fair",
        ),
        Analysis(
            name="kpis",
            package="salesops_lib.analyses.kpis",
            function="sales_kpis",
            params_class="KpiParams",
            result_class="KpiResult",
            notebook="sales_kpis",
            description=(
                "The sales KPI scorecard: each KPI with its interval, comparisons and trend"
            ),
        ),
        Analysis(
            name="forecast",
            package="salesops_lib.analyses.forecast",
            function="pipeline_forecast",
            params_class="ForecastParams",
            result_class="ForecastResult",
            notebook="pipeline_forecast",
            description="Bookings forecast of a period with its range, proven on past periods",
        ),
    )
}


def get(name: str) -> Analysis:
    """The registry entry for an analysis name or a notebook stem (``KeyError`` otherwise)."""
    if name in REGISTRY:
        return REGISTRY[name]
    return by_notebook(name)


def by_notebook(notebook: str) -> Analysis:
    """The registry entry whose notebook is ``notebook`` (``KeyError`` otherwise)."""
    for a in REGISTRY.values():
        if a.notebook == notebook:
            return a
    raise KeyError(notebook)
