"""Opportunities, their stage history and forecast categories."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from salesops_lib.data.demo._effects_benchmark import _REGIONS, _TERR_REGION, _TERRITORIES
from salesops_lib.data.demo._effects_forecast import (
    _FORECAST,
    _STAGE_DWELL_MEDIAN,
)
from salesops_lib.data.demo._effects_funnel import (
    _AMOUNT_MEDIAN,
    _AMOUNT_SIGMA,
    _OPP_ALL_STAGES,
    _PRODUCT_BY_SEGMENT,
    _PRODUCT_FACTOR,
    _PRODUCTS,
    _SEGMENTS,
    _SOURCES,
)
from salesops_lib.data.demo._util import _DAY, _cat, _date, _insert, _num, _pick_by_cum, _ts


class _OpportunitiesMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _write_opps(
        self,
        con: duckdb.DuckDBPyConnection,
        rng: np.random.Generator,
        order: np.ndarray,
        opp_num: np.ndarray,
        lead_num: np.ndarray,
        created: np.ndarray,
        owner: np.ndarray,
        seg: np.ndarray,
        src: np.ndarray,
        terr: np.ndarray,
        acct: np.ndarray,
        camp: np.ndarray,
        won: np.ndarray,
        top: np.ndarray,
        enter: np.ndarray,
        close: np.ndarray,
        cyc: np.ndarray,
    ) -> None:
        as_of = self.as_of_sec
        m = created.size
        prod_cum = np.cumsum(_PRODUCT_BY_SEGMENT, axis=1)[:, :-1]
        product = _pick_by_cum(prod_cum[seg], rng.random(m))
        amt0 = np.round(
            _AMOUNT_MEDIAN[seg]
            * _PRODUCT_FACTOR[product]
            * np.exp(_AMOUNT_SIGMA[seg] * rng.standard_normal(m)),
            -2,
        )
        amt1 = np.round(amt0 * np.exp(0.15 * rng.standard_normal(m)), -2)
        amt_won = np.round(amt1 * (1 - rng.uniform(0.0, 0.12, m)), -2)
        amt_stage = np.stack([amt0, amt0, amt1, amt1], axis=1)
        remaining = (
            np.cumsum((_STAGE_DWELL_MEDIAN[::-1])[None, :] * cyc[:, None], axis=1)[:, ::-1] * _DAY
        )
        expected = np.maximum(
            (created + remaining[:, 0])[:, None], enter + remaining.astype(np.int64)
        ).astype(np.int64)  # expected close (seconds) as set when each stage was entered
        closed = close <= as_of
        # the truth file's close-date slip: closed deals whose close day is after the day
        # expected when they were created (the first history row's close_date)
        self.delays.setdefault("_slip_days", []).append(
            (close[closed] // _DAY - expected[closed, 0] // _DAY).astype(np.int64)
        )
        # current state
        stage_now = np.where(
            closed, np.where(won, 4, 5), np.minimum(top, (enter <= as_of).sum(axis=1) - 1)
        )
        open_stage = np.clip(stage_now, 0, 3)
        amount_now = np.where(
            closed & won, amt_won, amt_stage[np.arange(m), np.minimum(open_stage, top)]
        )
        exp_now = expected[np.arange(m), open_stage]
        floor = as_of + _DAY + rng.integers(7, 60, size=m) * _DAY
        close_now = np.where(closed, close, np.maximum(exp_now, floor))
        fc = np.select(
            [closed & won, closed, open_stage >= 3, open_stage == 2],
            [3, 4, np.where(rng.random(m) < 0.85, 2, 1), 1],
            default=0,
        )
        o = order
        _insert(
            con,
            "opportunities",
            {
                "opportunity_id": _num(opp_num[o]),
                "created_at": _ts(created[o]),
                "owner_id": _cat(owner[o], self.rep_ids),
                "stage": _cat(stage_now[o], _OPP_ALL_STAGES),
                "is_closed": pa.array(closed[o]),
                "is_won": pa.array((closed & won)[o]),
                "amount": _num(amount_now[o].astype(float)),
                "close_date": _date(close_now[o]),
                "account_id": _num(acct[o] + 1),
                "lead_id": _num(lead_num[o]),
                "product": _cat(product[o], _PRODUCTS),
                "segment": _cat(seg[o], _SEGMENTS),
                "region": _cat(_TERR_REGION[terr[o]], _REGIONS),
                "territory": _cat(terr[o], _TERRITORIES),
                "source": _cat(src[o], _SOURCES),
                "campaign_id": _num(camp[o], mask=camp[o] == 0),
                "forecast_category": _cat(fc[o], _FORECAST),
            },
            {
                "opportunity_id": "O%07d",
                "account_id": "A%05d",
                "lead_id": "L%07d",
                "campaign_id": "C%03d",
            },
        )
        # history: one row per stage entered, plus the closing row
        rows_o, rows_s, rows_t, rows_a, rows_c = [], [], [], [], []
        for s in range(4):
            mk = (top[o] >= s) & (enter[o, s] <= as_of)
            idx = o[mk]
            rows_o.append(opp_num[idx])
            rows_s.append(np.full(idx.size, s))
            rows_t.append(enter[idx, s])
            rows_a.append(amt_stage[idx, s])
            rows_c.append(expected[idx, s])
        idx = o[closed[o]]
        rows_o.append(opp_num[idx])
        rows_s.append(np.where(won[idx], 4, 5))
        rows_t.append(close[idx])
        rows_a.append(np.where(won[idx], amt_won[idx], amt_stage[idx, top[idx]]))
        rows_c.append(close[idx])
        ho = np.concatenate(rows_o)
        hs = np.concatenate(rows_s)
        ht = np.concatenate(rows_t)
        srt = np.lexsort((ht, ho))
        _insert(
            con,
            "opportunity_history",
            {
                "opportunity_id": _num(ho[srt]),
                "changed_at": _ts(ht[srt]),
                "stage": _cat(hs[srt], _OPP_ALL_STAGES),
                "amount": _num(np.concatenate(rows_a)[srt].astype(float)),
                "close_date": _date(np.concatenate(rows_c)[srt]),
            },
            {"opportunity_id": "O%07d"},
        )
