"""A/B (and A/B/n) campaign evaluation: design from data, quality checks, effects, verdict.

The engine (Ibis, any backend) builds one row per unit (lead) of the campaign and hands *small*
tables (counts per arm, per cluster, per day; per-unit values only for count and value metrics)
to the pure statistics in :mod:`salesops_lib.stats`.

Entry points: :func:`evaluate_experiment` (from the data model) and
:func:`compare_binary_counts` (from plain counts per arm, e.g. typed into a notebook).
"""

from salesops_lib.analyses.experiment._analysis import compare_binary_counts, evaluate_experiment
from salesops_lib.analyses.experiment._engine import (
    ExperimentDesign,
    check_planned_split,
    experiment_design,
    known_activity_types,
    known_stages,
    metric_unit_table,
    validate_metrics_against_data,
)
from salesops_lib.analyses.experiment._result import DataQuality, ExperimentResult, Verdict
from salesops_lib.analyses.experiment._spec import MetricSpec, coerce_metrics
from salesops_lib.analyses.experiment._stats import (
    Decision,
    decide,
    planned_msprt_tau,
)
from salesops_lib.analyses.experiment._stats_values import cap_nonzero
from salesops_lib.analyses.experiment.params import ExperimentParams

__all__ = [
    "DataQuality",
    "Decision",
    "ExperimentDesign",
    "ExperimentParams",
    "ExperimentResult",
    "MetricSpec",
    "Verdict",
    "cap_nonzero",
    "check_planned_split",
    "coerce_metrics",
    "compare_binary_counts",
    "decide",
    "evaluate_experiment",
    "experiment_design",
    "known_activity_types",
    "known_stages",
    "metric_unit_table",
    "planned_msprt_tau",
    "validate_metrics_against_data",
]
