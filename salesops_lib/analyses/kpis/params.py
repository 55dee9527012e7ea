"""Parameters of the sales KPI scorecard (``notebooks/sales_kpis.ipynb``).

Example ``params/sales_kpis.yaml``::

    notebook: sales_kpis
    title: "Sales KPI scorecard, {period}"   # the last full quarter at as_of: Q3 2026
    source: data/demo.duckdb
    as_of: 2026-09-30
    grain: quarter
    trend_periods: 8
    breakdown: team
    targets: {win_rate: 0.38, pipeline_coverage: 3.0}
    gross_margin: 0.78
    monthly_churn: 0.012

:meth:`KpiParams.check_data` checks the data before a kernel starts: one currency, spend lines
that do not overlap, quotas for the period, the breakdown column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from salesops_lib.analyses._base import AnalysisParams
from salesops_lib.analyses.kpis._analysis import check_inputs, default_period
from salesops_lib.analyses.kpis._stats import KPI_KEYS
from salesops_lib.errors import ParamsError

__all__ = ["KpiParams"]


class KpiParams(AnalysisParams):
    """Parameters of the sales KPI scorecard.

    Attributes
    ----------
    period_start, period_end
        The period (dates, inclusive). Both empty: the last full calendar ``grain`` (week,
        month or quarter) before ``as_of``.
    grain
        ``week`` (Monday–Sunday), ``month`` or ``quarter``: the default period and the length
        of the trend periods.
    trend_periods
        Number of periods in the trend sparklines, ending with the period.
    breakdown
        A column of ``reps`` (``team``, ``region``, ``territory``, ``manager``, ``role``): the
        owner's group for the breakdown table; ``None``: no breakdown.
    targets
        Target per KPI key (e.g. ``{win_rate: 0.38, pipeline_coverage: 3}``); rates as
        fractions, money in the data's currency.
    mql_status, sql_status
        The ``lead_history.status`` values of a marketing-qualified and a sales-qualified lead.
    window_days
        A lead counts as converted MQL→SQL when it reaches SQL within this many days of MQL.
        The period's MQLs must have been followed that long by ``as_of`` for the rate to be
        measurable (e.g. 30 days with a quarter, or a month scored at least 30 days later).
    gross_margin
        Gross margin (fraction) for CAC payback and LTV; the data has no cost of revenue, so the
        value is labelled *assumed*. ``None``: those KPIs are not available.
    monthly_churn
        Monthly customer churn (fraction) for LTV, labelled *assumed*. ``None``: LTV not
        available.
    currency
        Currency of the money figures when ``opportunities.currency`` is absent.
    alpha
        1 − confidence level of the intervals.
    """

    #: Tables read when present (every table a KPI is computed from); validated before a kernel
    # starts.
    TABLES_READ: ClassVar[tuple[str, ...]] = (
        "reps",
        "leads",
        "lead_history",
        "activities",
        "opportunities",
        "opportunity_history",
        "quotas",
        "spend",
    )

    DEFAULT_PERIOD: ClassVar[Any] = staticmethod(default_period)

    title: str = "Sales KPI scorecard"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    grain: Literal["week", "month", "quarter"] = "month"
    trend_periods: int = Field(6, ge=2, le=36)
    breakdown: str | None = None
    targets: dict[str, float] = Field(default_factory=dict)
    mql_status: str = "MQL"
    sql_status: str = "SQL"
    window_days: int = Field(30, ge=1, le=730)
    gross_margin: float | None = Field(None, gt=0.0, le=1.0)
    monthly_churn: float | None = Field(None, gt=0.0, lt=1.0)
    currency: str = Field("USD", min_length=3, max_length=3)
    alpha: float = Field(0.05, gt=0.0, lt=0.5)

    @field_validator("targets")
    @classmethod
    def _known_targets(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(KPI_KEYS))
        if unknown:
            raise ValueError(
                f"unknown KPI {', '.join(unknown)}; targets are set per KPI key, one of "
                + ", ".join(KPI_KEYS)
            )
        return value

    @model_validator(mode="after")
    def _period_pair(self) -> KpiParams:
        if (self.period_start is None) != (self.period_end is None):
            missing = "period_end" if self.period_end is None else "period_start"
            raise ParamsError(
                missing,
                "missing while the other end of the period is given",
                expected="both period_start and period_end, or neither (the last full grain)",
            )
        if self.period_start is not None and self.period_end < self.period_start:  # type: ignore[operator]
            raise ParamsError(
                "period_end",
                f"{self.period_end} is before period_start {self.period_start}",
                expected="period_end on or after period_start",
            )
        return self

    def check_data(self) -> None:
        """Check the data before a kernel starts (currency, spend overlaps, quotas, breakdown)."""
        kwargs: dict[str, Any] = self.to_kwargs()
        check_inputs(**kwargs)
