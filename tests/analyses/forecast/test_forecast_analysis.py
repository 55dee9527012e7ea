"""The pipeline forecast on small hand-made tables (win chances against direct counts, bad
input) and on the demo warehouse (backtest calibration)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.forecast import _analysis as A
from salesops_lib.analyses.forecast import _engine as E
from salesops_lib.analyses.forecast import default_period, pipeline_forecast
from salesops_lib.analyses.forecast._stats import win_probabilities
from salesops_lib.data.sources import open_source
from salesops_lib.errors import DataValidationError, ParamsError

TS = pd.Timestamp


def _tables(n: int = 60, currency: str | None = None) -> dict[str, pd.DataFrame]:
    """``n`` deals created every 3 days from 2025-01-01; stage A at creation, B after 10
    days; every third deal won 20 days after creation, the others lost after 25 days."""
    rng = np.random.default_rng(5)
    opp, hist = [], []
    for i in range(n):
        c = TS("2025-01-01 09:00") + pd.Timedelta(days=3 * i)
        won = i % 3 == 0
        close = (c + pd.Timedelta(days=20 if won else 25)).date()
        amt = float(rng.integers(1, 10) * 1000)
        oid = f"O{i:03d}"
        opp.append(
            {
                "opportunity_id": oid,
                "created_at": c,
                "owner_id": "R1",
                "stage": "Won" if won else "Lost",
                "is_closed": True,
                "is_won": won,
                "amount": amt,
                "close_date": close,
                "forecast_category": "Commit",
            }
        )
        hist += [
            {"opportunity_id": oid, "changed_at": c, "stage": "A", "amount": amt,
             "close_date": (c + pd.Timedelta(days=30)).date()},
            {"opportunity_id": oid, "changed_at": c + pd.Timedelta(days=10), "stage": "B",
             "amount": amt, "close_date": (c + pd.Timedelta(days=30)).date()},
            {"opportunity_id": oid, "changed_at": TS(close) + pd.Timedelta(hours=12),
             "stage": "Won" if won else "Lost", "amount": amt, "close_date": close},
        ]  # fmt: skip
    o = pd.DataFrame(opp)
    if currency:
        o["currency"] = ["USD", currency] * (n // 2)
    q = pd.DataFrame(
        {
            "rep_id": ["R1"] * 4,
            "period_start": [dt.date(2025, m, 1) for m in (1, 4, 7, 10)],
            "period_end": [
                dt.date(2025, 3, 31),
                dt.date(2025, 6, 30),
                dt.date(2025, 9, 30),
                dt.date(2025, 12, 31),
            ],
            "amount": [50_000.0] * 4,
        }
    )
    return {"opportunities": o, "opportunity_history": pd.DataFrame(hist), "quotas": q}


def test_win_chances_equal_direct_counts_on_a_hand_made_table():
    t = _tables()
    src = open_source(t, as_of="2025-12-31")
    o, h = src.table("opportunities"), src.table("opportunity_history")
    snaps = [A._eod(d.date()) for d in pd.date_range("2025-01-05", "2025-06-30", freq="7D")]
    horizon = 15
    cut = TS("2025-12-31 23:59:59")
    cells = E.snapshot_cells(E.deal_states(o, h, cut), snaps, cut)
    counts = E.snapshot_counts(cells, range(len(snaps)), cut, cap_days=400)
    model = win_probabilities(counts, horizon, min_cell=1)
    # direct count, by hand in pandas: deals open at each snapshot, their stage then, and
    # whether they were won within `horizon` days (every deal closed long before as_of)
    rows = []
    for s in snaps:
        for r in t["opportunities"].itertuples():
            if r.created_at > s or r.close_date <= s.date():
                continue
            hs = t["opportunity_history"]
            hs = hs[(hs.opportunity_id == r.opportunity_id) & (hs.changed_at <= s)]
            stage = hs.sort_values("changed_at").stage.iloc[-1]
            rows.append(
                {"stage": stage, "won": r.is_won and (r.close_date - s.date()).days <= horizon}
            )
    direct = pd.DataFrame(rows).groupby("stage")["won"].agg(["mean", "size"])
    for stage, (p, n) in ((k[0], v) for k, v in model.tables[2].items()):
        assert n == direct.loc[stage, "size"]
        assert p == pytest.approx(direct.loc[stage, "mean"])
    assert set(direct.index) == {"A", "B"}


def test_training_counts_seen_at_an_earlier_time_equal_those_built_at_it():
    # the snapshot cells are built once at the report's time and re-read for each backtest
    # origin: a deal closed after the origin must count as open there, censored at the origin
    t = _tables()
    src = open_source(t, as_of="2025-12-31")
    o, h = src.table("opportunities"), src.table("opportunity_history")
    late, early = TS("2025-12-31 23:59:59"), TS("2025-04-30 23:59:59")
    snaps = [A._eod(d.date()) for d in pd.date_range("2025-01-05", "2025-04-27", freq="7D")]
    ids = range(len(snaps))
    shared = E.snapshot_cells(E.deal_states(o, h, late), snaps, late)
    alone = E.snapshot_cells(E.deal_states(o, h, early), snaps, early)
    for cells in (shared, alone):
        assert cells.count().to_pandas() > 0
    got = E.snapshot_counts(shared, ids, early, cap_days=400)
    want = E.snapshot_counts(alone, ids, early, cap_days=400)
    pd.testing.assert_frame_equal(got, want)
    assert {"open", "won"} <= set(got["event"])  # censored and closed deals both present
    outs = [E.snapshot_outcomes(c, ids[:8], early, horizon=30) for c in (shared, alone)]
    pd.testing.assert_frame_equal(*outs)
    # and the late view differs (the deals closed between the two times are closed there)
    assert not E.snapshot_counts(shared, ids, late, cap_days=400).equals(got)


def test_forecast_runs_on_a_hand_made_table_and_is_reproducible():
    kw = {"as_of": "2025-06-30", "backtest_periods": 2, "min_cell": 5, "n_sims": 2000, "seed": 4}
    a = pipeline_forecast(_tables(), **kw)
    b = pipeline_forecast(_tables(), **kw)
    assert a.to_results() == b.to_results()
    assert a.period.label == "Q3 2025"
    assert a.target == pytest.approx(50_000.0)
    assert a.p10 <= a.p50 <= a.p90


def test_default_period_is_the_period_still_to_come():
    assert default_period("2026-06-30", "quarter").label == "Q3 2026"
    assert default_period("2026-06-15", "quarter").label == "Q2 2026"
    assert default_period("2026-06-15", "month").start == dt.date(2026, 6, 1)


def test_target_period_in_the_past_is_a_params_error():
    with pytest.raises(ParamsError, match="period_end"):
        pipeline_forecast(
            _tables(), as_of="2025-06-30", period_start="2025-01-01", period_end="2025-03-31"
        )


def test_no_history_before_the_forecast_date():
    with pytest.raises(DataValidationError, match="opportunity_history"):
        pipeline_forecast(_tables(), as_of="2025-01-15")


def test_quotas_missing_for_the_period_unless_a_target_is_given():
    with pytest.raises(DataValidationError, match="quotas are missing"):
        pipeline_forecast(
            _tables(), as_of="2025-12-31", backtest_periods=1, min_cell=5, n_sims=1000
        )
    # no quotas table at all (optional): a forecast without a target, saying why
    tables = _tables()
    del tables["quotas"]
    res = pipeline_forecast(tables, as_of="2025-12-31", backtest_periods=1, min_cell=5, n_sims=1000)
    assert not res.has_target and math.isnan(res.prob_reach_target)
    assert res.target_source == "no quotas table in the source"
    assert "chance" not in res.headline() and "Chance of reaching" not in str(res.cards())
    assert "no target to compare with" in str(res.summary())
    assert res.to_results()["prob_reach_target"] is None
    res = pipeline_forecast(
        _tables(), as_of="2025-12-31", target=40_000, backtest_periods=1, min_cell=5, n_sims=1000
    )
    assert res.target == 40_000 and res.target_source == "parameter"


def test_currency_mix_is_a_data_error():
    with pytest.raises(DataValidationError, match="currency"):
        pipeline_forecast(_tables(currency="EUR"), as_of="2025-06-30")


def test_backtest_on_the_demo_covers_8_periods_with_calibrated_80pct_intervals(demo_db: Path):
    res = pipeline_forecast(demo_db, as_of="2026-06-30")
    m = res.backtest.metrics()
    assert res.backtest.n >= 8
    assert 0.65 <= m["coverage_80"] <= 0.95
    doc = res.to_results()
    for key in ("p10", "p50", "p90", "prob_reach_target", "target", "weighted_pipeline",
                "commit", "best_case", "coverage_80", "bias", "mape", "crps"):  # fmt: skip
        assert key in doc
    assert len(doc["backtest"]) == res.backtest.n
    assert {"period", "as_of", "forecast_p10", "forecast_p50", "forecast_p90", "actual"} <= set(
        doc["backtest"][0]
    )


def test_a_backtest_window_is_forecast_as_a_report_made_at_its_origin(demo_db: Path):
    # the backtest shares one snapshot grid (Sundays) with the forecast: each window must be
    # forecast exactly as a report made on the day before it, alone, would forecast it
    kw = {"n_sims": 2000, "seed": 3}
    res = pipeline_forecast(demo_db, as_of="2026-06-30", backtest_periods=3, **kw)
    for row in res.backtest.frame.itertuples():
        alone = pipeline_forecast(
            demo_db,
            as_of=row.as_of,
            period_start=row.start,
            period_end=row.end,
            backtest_periods=1,
            **kw,
        )
        assert (alone.p10, alone.p50, alone.p90) == pytest.approx(
            (row.forecast_p10, row.forecast_p50, row.forecast_p90), rel=1e-9
        )
