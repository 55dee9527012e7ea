"""Numbers of the sales KPI scorecard: the KPI catalogue, per-period values and the result.

The result class keeps numbers only; every sentence, card and section comes from
:mod:`salesops_lib.analyses.kpis._narrative`, every chart from ``_charts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from salesops_lib.analyses._base import Header, ResultBase
from salesops_lib.analyses.kpis import _charts, _narrative
from salesops_lib.analyses.kpis._stats import KPI_KEYS, KPIS, KpiSpec, KpiValue, spec
from salesops_lib.data.period import Period
from salesops_lib.data.sources import Source
from salesops_lib.i18n import _
from salesops_lib.viz.html import Blocks, Cards, Definitions, Summary

__all__ = ["FRAME_COLUMNS", "KPIS", "KPI_KEYS", "KpiResult", "KpiSpec", "KpiValue", "spec"]


#: Columns of :meth:`KpiResult.to_frame` (one row per KPI of the period).
FRAME_COLUMNS = [
    "kpi",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "previous",
    "change",
    "change_ci_low",
    "change_ci_high",
    "last_year",
    "change_last_year",
    "target",
    "available",
    "assumed",
]


@dataclass
class KpiResult(ResultBase):
    """The sales KPI scorecard for one period (build it with :func:`sales_kpis`).

    Attributes
    ----------
    period
        The period scored (cut at ``as_of``).
    trend
        The ``trend_periods`` periods of the same length ending with ``period``.
    last_year
        The same dates one year earlier.
    values
        ``{period index: {kpi: KpiValue}}``: indexes 0…N−1 are :attr:`trend` (the last is
        :attr:`period`), index N is :attr:`last_year`.
    table
        One row per KPI (see :data:`FRAME_COLUMNS`) for :attr:`period`.
    not_available
        ``{kpi: what it needs}`` for KPIs the data cannot give.
    breakdown
        Per-group KPIs for :attr:`period` (empty without a breakdown).
    counts
        Unit counts of the period: ``leads``, ``opportunities``, ``reps``, ``closed``, ...
    """

    ANALYSIS: ClassVar[str] = "kpis"
    PLOT_KINDS: ClassVar[tuple[str, ...]] = ("trends", "scorecard")

    period: Period
    trend: list[Period]
    last_year: Period
    as_of: pd.Timestamp
    currency: str
    values: dict[int, dict[str, KpiValue]]
    table: pd.DataFrame
    not_available: dict[str, str]
    targets: Mapping[str, float]
    counts: dict[str, int]
    params: dict[str, Any]
    breakdown: pd.DataFrame = field(default_factory=pd.DataFrame)
    breakdown_by: str | None = None
    notes: list[str] = field(default_factory=list)
    alpha: float = 0.05
    source: Source | None = None

    # ------------------------------------------------------------------ numbers
    def kpi(self, key: str) -> KpiValue | None:
        """The value of ``key`` for the period (``None`` when not available)."""
        return self.values.get(len(self.trend) - 1, {}).get(key)

    def available(self, key: str) -> bool:
        return key not in self.not_available

    def trend_frame(self) -> pd.DataFrame:
        """Long table ``kpi, period, start, end, value, ci_low, ci_high, n`` over the trend."""
        rows = []
        for i, p in enumerate(self.trend):
            for key in KPI_KEYS:
                v = self.values.get(i, {}).get(key)
                if v is None or key in self.not_available:
                    continue
                rows.append(
                    {
                        "kpi": key,
                        "pos": i,
                        "period": p.label,
                        "start": p.start,
                        "end": p.end,
                        "value": v.value,
                        "ci_low": v.low,
                        "ci_high": v.high,
                        "n": v.n,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=["kpi", "pos", "period", "start", "end", "value", "ci_low", "ci_high", "n"],
        )

    def to_frame(self) -> pd.DataFrame:
        return self.table[FRAME_COLUMNS].copy()

    def header(self) -> Header:
        return Header(
            analysis=self.ANALYSIS,
            headline=self.headline(),
            period=self.period,
            as_of=self.as_of,
            n=int(self.counts.get("units", 0)),
            # the label is one of the fixed nouns of _analysis (closed deals, deals created,
            # rows): in the reader's language, as the rest of the header
            n_label=_(str(self.counts.get("units_label", "units"))),
            warnings=self.warnings(),
        )

    def _results(self) -> dict[str, Any]:
        return _narrative.results_fields(self)

    # ------------------------------------------------------------------ words (narrative)
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
    def _plot_trends(self, *, ax: Any = None) -> Any:
        return _charts.plot_trends(
            self.trend_frame(),
            keys=_narrative.trend_keys(self),
            ax=ax,
            labels=_narrative.short_labels(self),
            formatter=lambda k, v: _narrative.value_text(k, v, self.currency),
            titles={k: _narrative.lab(k) for k in _narrative.LABELS},
            ticks=lambda k, v: _narrative.tick_text(k, v, self.currency),
            targets=self.targets,
        )

    def _plot_scorecard(self, *, ax: Any = None) -> Any:
        return _charts.plot_changes(_narrative.change_frame(self), ax=ax)


def periods_of(res: KpiResult) -> Sequence[Period]:
    """Trend periods followed by the same period last year (the index order of ``values``)."""
    return [*res.trend, res.last_year]
