"""Funnel analysis: where the sales process leaks, how fast, for whom, with honest uncertainty.

>>> from salesops_lib.analyses.funnel import funnel_analysis
>>> res = funnel_analysis("data/demo.duckdb", stages=["created", "MQL", "SQL", "opportunity",
"won"],
...                       window_days=90, breakdowns=["source"])       # doctest: +SKIP
>>> res.top()                                                          # doctest: +SKIP

See :mod:`salesops_lib.analyses.funnel._analysis` for the definitions (stage reached, step rate,
cumulative rate, cohort, skipped, campaign overlap, population filters).
"""

from salesops_lib.analyses.funnel._analysis import (
    check_funnel_inputs,
    cohort_matrix,
    funnel_analysis,
    funnel_counts,
    period_comparison,
    segment_rates,
    time_to_convert,
)
from salesops_lib.analyses.funnel._engine import DEFAULT_LEAD_STAGES, DEFAULT_OPPORTUNITY_STAGES
from salesops_lib.analyses.funnel._result import (
    CohortMatrix,
    FunnelResult,
    FunnelSteps,
    PeriodComparison,
    SegmentRates,
    TimeToConvert,
    filter_label,
)
from salesops_lib.analyses.funnel.params import FunnelParams

__all__ = [
    "DEFAULT_LEAD_STAGES",
    "DEFAULT_OPPORTUNITY_STAGES",
    "CohortMatrix",
    "FunnelParams",
    "FunnelResult",
    "FunnelSteps",
    "PeriodComparison",
    "SegmentRates",
    "TimeToConvert",
    "check_funnel_inputs",
    "cohort_matrix",
    "filter_label",
    "funnel_analysis",
    "funnel_counts",
    "period_comparison",
    "segment_rates",
    "time_to_convert",
]
