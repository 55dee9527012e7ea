"""The sales KPI scorecard: activity, lead response, conversion, deals, pipeline and efficiency
KPIs of a period, each with its definition, interval, comparisons, trend and target."""

from salesops_lib.analyses.kpis._analysis import default_period, sales_kpis
from salesops_lib.analyses.kpis._result import KPI_KEYS, KPIS, KpiResult, KpiSpec, KpiValue
from salesops_lib.analyses.kpis.params import KpiParams

__all__ = [
    "KPIS",
    "KPI_KEYS",
    "KpiParams",
    "KpiResult",
    "KpiSpec",
    "KpiValue",
    "default_period",
    "sales_kpis",
]
