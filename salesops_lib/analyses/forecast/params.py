"""Parameters of the pipeline forecast (``notebooks/pipeline_forecast.ipynb``).

Example ``params/pipeline_forecast.yaml``::

    notebook: pipeline_forecast
    title: "Pipeline forecast, {period}"   # the quarter still to come at as_of
    source: data/demo.duckdb
    as_of: 2026-06-30
    grain: quarter

:meth:`ForecastParams.check_data` checks the data before a kernel starts: history before the
forecast time, a period still to come, quotas for the period (without ``target``), one currency.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from salesops_lib.analyses._base import AnalysisParams
from salesops_lib.analyses.forecast._analysis import (
    DEFAULT_STAGE_PROBABILITIES,
    check_inputs,
    default_period,
)
from salesops_lib.errors import ParamsError

__all__ = ["ForecastParams"]


class ForecastParams(AnalysisParams):
    """Parameters of the pipeline forecast.

    Attributes
    ----------
    period_start, period_end
        The target period (dates, inclusive). Both empty: the calendar ``grain`` still to come
        at ``as_of`` (the next one when ``as_of`` is a period's last day).
    grain
        ``month`` or ``quarter``: the default period and the length of the backtest windows.
    target
        Bookings goal of the period; empty: the sum of the period's quotas (prorated by days).
    stage_probabilities
        The CRM's stage probabilities (fractions) for the CRM weighted pipeline shown beside
        the forecast; the forecast itself never uses them.
    n_sims
        Monte Carlo draws.
    seed
        Seed of the random generator: the same seed gives the same figures.
    backtest_periods
        Past windows forecast as if on the day before they started (at least 8 for a claim).
    min_cell
        Deal-snapshots a stage × age × due-date cell needs; fewer: a coarser cell is used.
    top_deals
        Rows of the "deals that matter most" table.
    currency
        Currency of the money figures when ``opportunities.currency`` is absent.
    """

    #: Tables read when present (the pipeline, its history and the quotas); validated before a
    # kernel starts.
    TABLES_READ: ClassVar[tuple[str, ...]] = ("opportunities", "opportunity_history", "quotas")

    DEFAULT_PERIOD: ClassVar[Any] = staticmethod(default_period)

    title: str = "Pipeline forecast"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    grain: Literal["month", "quarter"] = "quarter"
    target: float | None = Field(None, gt=0)
    stage_probabilities: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES)
    )
    n_sims: int = Field(10_000, ge=1000, le=1_000_000)
    seed: int = 20260930
    backtest_periods: int = Field(12, ge=1, le=60)
    min_cell: int = Field(30, ge=1)
    top_deals: int = Field(10, ge=1, le=100)
    currency: str = Field("USD", min_length=3, max_length=3)

    @model_validator(mode="after")
    def _period_pair(self) -> ForecastParams:
        if (self.period_start is None) != (self.period_end is None):
            missing = "period_end" if self.period_end is None else "period_start"
            raise ParamsError(
                missing,
                "missing while the other end of the period is given",
                expected="both period_start and period_end, or neither",
            )
        if self.period_start is not None and self.period_end < self.period_start:  # type: ignore[operator]
            raise ParamsError(
                "period_end",
                f"{self.period_end} is before period_start {self.period_start}",
                expected="period_end on or after period_start",
            )
        return self

    def check_data(self) -> None:
        """Check the data before a kernel starts (history, period, quotas, currency)."""
        kwargs: dict[str, Any] = self.to_kwargs()
        check_inputs(**kwargs)
