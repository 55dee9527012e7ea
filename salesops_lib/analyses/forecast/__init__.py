"""The pipeline forecast: bookings of a period from the open pipeline and the deals still to
come, learned from history, with a seeded Monte Carlo and a backtest on past windows."""

from salesops_lib.analyses.forecast._analysis import (
    DEFAULT_STAGE_PROBABILITIES,
    default_period,
    pipeline_forecast,
)
from salesops_lib.analyses.forecast._result import Backtest, Forecast, ForecastResult
from salesops_lib.analyses.forecast.params import ForecastParams

__all__ = [
    "DEFAULT_STAGE_PROBABILITIES",
    "Backtest",
    "Forecast",
    "ForecastParams",
    "ForecastResult",
    "default_period",
    "pipeline_forecast",
]
