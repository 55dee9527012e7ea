"""Numbers of the pipeline forecast: one forecast, the backtest, and the result.

The result keeps numbers only; sentences, cards and sections come from ``_narrative``, charts
from ``_charts``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import Header, ResultBase
from salesops_lib.analyses.forecast import _charts, _narrative
from salesops_lib.analyses.forecast._stats import CellModel, interval_metrics, point_metrics
from salesops_lib.data.period import Period
from salesops_lib.data.sources import Source
from salesops_lib.errors import SalesOpsError
from salesops_lib.i18n import _
from salesops_lib.viz.html import Blocks, Cards, Definitions, Summary

__all__ = ["Backtest", "Forecast", "ForecastResult"]


@dataclass
class Forecast:
    """One forecast of the bookings closing in ``[start, end]``, made at ``as_of``.

    ``sample`` holds the Monte Carlo draws; ``deals`` one row per deal open at ``as_of`` with
    its win probability ``p`` (and ``cell_n``, the deal-snapshots behind it), its amount then,
    the amount expected at signature (``value``), the CRM probability ``crm_p``.
    """

    as_of: pd.Timestamp
    start: dt.date
    end: dt.date
    horizon: int
    sample: np.ndarray
    deals: pd.DataFrame
    model: CellModel
    training_rows: int
    snapshots: int
    already_won: float
    already_won_n: int
    weighted_pipeline: float
    commit: float
    best_case: float
    new_rate: float
    season: float
    shock_var: float
    shock_n: int
    new_mean: float
    new_size_mean: float

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.sample, q))

    def prob_at_least(self, x: float) -> float:
        return float(np.mean(self.sample >= x))

    @property
    def expected_open(self) -> float:
        """Expected bookings from the deals open at ``as_of``: Σ p × value."""
        return float((self.deals["p"].fillna(0) * self.deals["value"]).sum())

    @property
    def expected_new(self) -> float:
        return self.new_mean * self.new_size_mean

    def top(self, n: int) -> pd.DataFrame:
        """The ``n`` deals whose outcome moves the total most: value × √(p(1 − p)) (the
        standard deviation each adds), then expected value."""
        d = self.deals.copy()
        d["expected"] = d["p"].fillna(0) * d["value"]
        d["swing"] = d["value"] * np.sqrt(d["p"].fillna(0) * (1 - d["p"].fillna(0)))
        return d.sort_values(["swing", "expected"], ascending=False).head(n).reset_index(drop=True)


@dataclass
class Backtest:
    """Past forecasts against what was booked: one row per past window (see ``_backtest``)."""

    frame: pd.DataFrame
    grain: str

    @property
    def n(self) -> int:
        return len(self.frame)

    def metrics(self) -> dict[str, float]:
        """The kit's coverage of the 80% interval, bias, MAPE and mean CRPS."""
        f = self.frame
        if not len(f):
            return {"coverage_80": math.nan, "bias": math.nan, "mape": math.nan, "crps": math.nan}
        m = interval_metrics(f["forecast_p10"], f["forecast_p50"], f["forecast_p90"], f["actual"])
        m["crps"] = float(f["crps"].mean())
        return m

    def comparison(self) -> pd.DataFrame:
        """Bias and MAPE of the kit's P50, the CRM weighted pipeline and the run rate."""
        f = self.frame
        rows = []
        for key, col in (
            ("kit", "forecast_p50"),
            ("crm_weighted", "weighted_pipeline"),
            ("run_rate", "run_rate"),
        ):
            m = (
                point_metrics(f[col], f["actual"])
                if len(f)
                else {"bias": math.nan, "mape": math.nan}
            )
            rows.append({"method": key, **m, "n": len(f)})
        return pd.DataFrame(rows)


@dataclass
class ForecastResult(ResultBase):
    """The pipeline forecast of a period (build it with :func:`pipeline_forecast`)."""

    ANALYSIS: ClassVar[str] = "forecast"

    LOOKS_AHEAD: ClassVar[bool] = True
    PLOT_KINDS: ClassVar[tuple[str, ...]] = ("fan", "deals", "backtest", "calibration")

    period: Period
    as_of: pd.Timestamp
    currency: str
    target: float
    target_source: str
    forecast: Forecast
    backtest: Backtest
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    source: Source | None = None

    # ------------------------------------------------------------------ numbers
    @property
    def p10(self) -> float:
        return self.forecast.quantile(0.1)

    @property
    def p50(self) -> float:
        return self.forecast.quantile(0.5)

    @property
    def p90(self) -> float:
        return self.forecast.quantile(0.9)

    @property
    def has_target(self) -> bool:
        """Whether there is a goal to compare with (``target`` or the period's quotas)."""
        return not math.isnan(float(self.target))

    @property
    def prob_reach_target(self) -> float:
        return self.forecast.prob_at_least(self.target) if self.has_target else math.nan

    def to_frame(self) -> pd.DataFrame:
        """One row per deal open at the forecast time, with its win probability."""
        cols = [
            "oid",
            "owner_id",
            "stage",
            "amount",
            "exp_close",
            "age",
            "forecast_category",
            "p",
            "cell_n",
            "value",
            "crm_p",
            "in_period",
        ]
        return self.forecast.deals[cols].rename(columns={"oid": "opportunity_id"}).copy()

    def header(self) -> Header:
        return Header(
            analysis=self.ANALYSIS,
            headline=self.headline(),
            period=self.period,
            as_of=self.as_of,
            n=len(self.forecast.deals),
            n_label=_("open deals"),
            warnings=self.warnings(),
        )

    def _results(self) -> dict[str, Any]:
        return _narrative.results_fields(self)

    # ------------------------------------------------------------------ words
    def headline(self) -> str:
        return _narrative.headline(self)

    def summary(self) -> Summary:
        return _narrative.summary(self)

    def banners(self) -> list[Any]:
        return _narrative.banners(self)

    def cards(self) -> Cards:
        return _narrative.cards(self)

    def tables(self) -> Blocks:
        return _narrative.tables(self)

    def methods(self) -> Definitions:
        return _narrative.methods(self)

    def sections(self) -> list[Any]:
        return _narrative.sections(self)

    # ------------------------------------------------------------------ charts
    def _plot_fan(self, *, ax: Any = None) -> Any:
        return _charts.plot_fan(
            self.forecast.sample,
            target=self.target,
            weighted=self.forecast.weighted_pipeline,
            commit=self.forecast.commit,
            best_case=self.forecast.best_case,
            money=lambda v: _narrative.money(self, v),
            title=_narrative.fan_title(self),
            ax=ax,
        )

    def _plot_deals(self, *, ax: Any = None) -> Any:
        return _charts.plot_deals(
            self.forecast.top(int(self.params.get("top_deals", 10))),
            money=lambda v: _narrative.money(self, v),
            ax=ax,
        )

    def _no_backtest(self) -> None:
        if not self.backtest.n:
            raise SalesOpsError(
                "There is no backtest to draw: no past window has enough history before it.",
                fix="load more opportunity_history, or lower backtest_periods",
            )

    def _plot_backtest(self, *, ax: Any = None) -> Any:
        self._no_backtest()
        return _charts.plot_backtest(
            self.backtest.frame,
            money=lambda v: _narrative.money(self, v),
            title=_narrative.backtest_title(self),
            ax=ax,
        )

    def _plot_calibration(self, *, ax: Any = None) -> Any:
        self._no_backtest()
        return _charts.plot_calibration(self.backtest.frame["pit"].to_numpy(), ax=ax)
