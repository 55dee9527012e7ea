"""Campaigns and monthly marketing spend by channel."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from salesops_lib.data.demo._effects_funnel import _SOURCES
from salesops_lib.data.demo._effects_kpis import (
    _CAMPAIGNS,
    _COMP_PER_REP_MONTH,
    _CPL,
    _MARKETING_NOISE,
    _SDR_COST_PER_LEAD,
    _TOOLS_PER_REP_MONTH,
)
from salesops_lib.data.demo._util import _DAY, _date, _insert, _num


class _MarketingMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _make_campaigns(self) -> None:
        rows = []
        for i, (name, typ, src, m0, dur, cost) in enumerate(_CAMPAIGNS):
            if m0 >= self.months:
                continue
            s = self.start + pd.DateOffset(months=m0)
            s_sec = int(s.value // 10**9)
            e_sec = min(s_sec + dur * _DAY, self.as_of_sec)
            rows.append((i + 1, name, typ, _SOURCES.index(src), s_sec, e_sec, cost))
        self.campaigns = rows

    def _write_spend(self, con: duckdb.DuckDBPyConnection) -> None:
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 3]))
        m_start = [self.start + pd.DateOffset(months=i) for i in range(self.months)]
        s_sec = np.array([int(m.value // 10**9) for m in m_start])
        e_sec = np.append(s_sec[1:], self.end_sec) - _DAY
        rows_s, rows_e, rows_amt, rows_cat, rows_ch = [], [], [], [], []
        channels = [s for s in _SOURCES if s != "Outbound"]
        sales_channels = ("Compensation", "Sales tools", "SDR outbound")
        for i in range(self.months):
            for ch in channels:
                j = _SOURCES.index(ch)
                amt = (
                    self.month_source[i, j]
                    * _CPL[j]
                    * math.exp(_MARKETING_NOISE * rng.standard_normal())
                )
                rows_s.append(s_sec[i]), rows_e.append(e_sec[i])
                rows_amt.append(round(amt, 2)), rows_cat.append("marketing"), rows_ch.append(ch)
            mid = s_sec[i] + 14 * _DAY
            active = int(((self.rep_hired <= mid) & (self.rep_left > mid)).sum())
            sales = (
                active * _COMP_PER_REP_MONTH * math.exp(0.03 * rng.standard_normal()),
                active * _TOOLS_PER_REP_MONTH,
                self.month_source[i, _SOURCES.index("Outbound")] * _SDR_COST_PER_LEAD,
            )
            for ch, amt in zip(sales_channels, sales, strict=True):
                rows_s.append(s_sec[i]), rows_e.append(e_sec[i])
                rows_amt.append(round(amt, 2)), rows_cat.append("sales"), rows_ch.append(ch)
        _insert(
            con,
            "spend",
            {
                "period_start": _date(np.array(rows_s)),
                "period_end": _date(np.array(rows_e)),
                "amount": _num(np.array(rows_amt, dtype=float)),
                "category": pa.array(rows_cat),
                "channel": pa.array(rows_ch),
            },
            {},
        )
