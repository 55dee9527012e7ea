"""The scorecard's engine queries on the demo warehouse: one query for overlapping period sets,
and the pipeline snapshots against a unit-level computation in pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from salesops_lib.analyses.kpis import _engine as E
from salesops_lib.analyses.kpis._analysis import _groups, _period, _trend
from salesops_lib.data.period import parse_as_of
from salesops_lib.data.sources import open_source

AS_OF = parse_as_of("2026-09-30")
KEYS = ("pi", "owner_id", "type", "minutes", "contacted", "days", "converted", "won")

QUERIES = {
    "activity_counts": lambda s, g: E.activity_counts(s.table("activities"), g),
    "response_counts": lambda s, g: E.response_counts(
        s.table("leads"), s.table("activities"), g, AS_OF
    ),
    "mql_counts": lambda s, g: E.mql_counts(
        s.table("lead_history"), g, AS_OF, mql="MQL", sql="SQL", window_days=30
    ),
    "closed_sums": lambda s, g: E.closed_sums(s.table("opportunities"), g, None),
    "created_sums": lambda s, g: E.created_sums(s.table("opportunities"), g),
    "cycle_counts": lambda s, g: E.cycle_counts(s.table("opportunities"), g, AS_OF),
    "slip_counts": lambda s, g: E.slip_counts(
        s.table("opportunities"), s.table("opportunity_history"), g
    ),
    "new_customers": lambda s, g: E.new_customers(s.table("opportunities"), g, AS_OF, None),
}


@pytest.fixture(scope="module")
def src(demo_db: Path):
    return open_source(str(demo_db), as_of=AS_OF)


@pytest.fixture(scope="module")
def periods():
    period = _period(AS_OF, None, None, "quarter")
    trend = _trend(period, 5)
    return trend, period.same_period_last_year()


def _canon(df: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in KEYS if k in df.columns]
    return df[sorted(df.columns)].sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_periods_counts_do_not_depend_on_the_periods_queried_with_it(src, periods, name):
    """The trend and the same quarter last year (which overlaps a trend quarter) in one query
    give each period the rows it gets when queried alone."""
    trend, ly = periods
    groups = _groups(trend, ly)
    assert len(groups) == 2  # last year's quarter is in the trend: two period sets
    together = QUERIES[name](src, groups)
    for i, p in enumerate([*trend, ly]):
        alone = QUERIES[name](src, [[(i, p)]])
        mine = together[together["pi"] == i]
        if i in (1, len(trend) - 1, len(trend)):  # last year's quarter (twice) and the period
            assert len(alone) > 0, (name, i)
        pd.testing.assert_frame_equal(
            _canon(mine), _canon(alone), check_dtype=False, rtol=1e-12, obj=f"{name} period {i}"
        )


def _snapshot_by_hand(con, at: pd.Timestamp, lo, hi) -> pd.DataFrame:
    """Deals open at ``at`` per owner with their amount and expected close date as of the last
    history row at or before ``at`` (else the deal's own), unit by unit."""
    o = con.execute(
        "SELECT opportunity_id, owner_id, created_at, coalesce(is_closed, false) AS closed, "
        "close_date, amount FROM opportunities"
    ).df()
    h = con.execute(
        "SELECT opportunity_id, changed_at, stage, amount, close_date FROM opportunity_history"
    ).df()
    o = o[
        (o["created_at"] < at) & ~(o["closed"] & (pd.to_datetime(o["close_date"]) < at.floor("D")))
    ]
    # the last row at or before ``at``; rows at the same time ordered by stage, amount, date
    keys = ["changed_at", "stage", "amount", "close_date"]
    last = h[h["changed_at"] <= at].sort_values(keys).groupby("opportunity_id").tail(1)
    o = o.merge(last, on="opportunity_id", how="left", suffixes=("", "_h"))
    amt = o["amount_h"].where(o["amount_h"].notna(), o["amount"]).fillna(0.0)
    cd = pd.to_datetime(o["close_date_h"].where(o["close_date_h"].notna(), o["close_date"]))
    closing = cd.notna() & (cd >= pd.Timestamp(lo)) & (cd <= pd.Timestamp(hi))
    out = pd.DataFrame({"owner_id": o["owner_id"], "amt": amt, "closing": closing})
    out["closing_amt"] = out["amt"].where(out["closing"], 0.0)
    return out.groupby("owner_id").agg(
        open_n=("amt", "size"),
        open_amt=("amt", "sum"),
        closing_n=("closing", "sum"),
        closing_amt=("closing_amt", "sum"),
    )


def test_pipeline_snapshots_match_a_unit_level_computation(src, periods, demo_db):
    trend, _ = periods
    snaps = [(i, p.ts_start, p.start, p.end) for i, p in enumerate(trend)]
    snaps.append((len(trend), pd.Timestamp("2026-08-15 12:00"), trend[-1].start, trend[-1].end))
    con = duckdb.connect(str(demo_db), read_only=True)
    # at a history row's own time (it holds from then) and just before it
    sql = "SELECT changed_at FROM opportunity_history ORDER BY opportunity_id, changed_at"
    row = pd.Timestamp(con.execute(sql + " LIMIT 1 OFFSET 5000").fetchone()[0])
    for at in (row, row - pd.Timedelta(microseconds=1)):
        snaps.append((len(snaps), at, trend[-2].start, trend[-1].end))
    got = E.pipeline_snapshots(src.table("opportunities"), src.table("opportunity_history"), snaps)
    try:
        for i, at, lo, hi in snaps:
            want = _snapshot_by_hand(con, at, lo, hi)
            mine = got[got["pi"] == i].set_index("owner_id")[list(want.columns)]
            assert want["open_n"].sum() > 0
            pd.testing.assert_frame_equal(
                mine.sort_index(), want.sort_index(), check_dtype=False, rtol=1e-9, obj=str(at)
            )
    finally:
        con.close()


def _tied_tables(reverse: bool) -> tuple:
    """Deals each with two history rows at the same ``changed_at`` (different stage, amount and
    expected close date), in the given row order, in an in-memory DuckDB."""
    n = 400
    created = pd.Timestamp("2026-01-05 09:00")
    tied = pd.Timestamp("2026-02-10 10:00")
    opps = pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(n)],
            "owner_id": [f"R{i % 3}" for i in range(n)],
            "created_at": [created] * n,
            "is_closed": [False] * n,
            "is_won": [False] * n,
            "close_date": [pd.Timestamp("2026-09-30").date()] * n,
            "amount": [1.0] * n,
        }
    )
    first = pd.DataFrame(
        {
            "opportunity_id": opps["opportunity_id"],
            "changed_at": [created] * n,
            "stage": ["Discovery"] * n,
            "amount": [10.0] * n,
            "close_date": [pd.Timestamp("2026-06-30").date()] * n,
        }
    )
    a = first.assign(changed_at=tied, stage="Proposal", amount=100.0)
    b = first.assign(
        changed_at=tied,
        stage="Negotiation",
        amount=1000.0,
        close_date=pd.Timestamp("2026-03-31").date(),
    )
    pairs = [b, a] if reverse else [a, b]
    hist = pd.concat([first, *pairs], ignore_index=True)
    con = ibis.duckdb.connect()
    o = con.create_table("opportunities", ibis.memtable(opps))
    return con, o, con.create_table("history", ibis.memtable(hist))


def test_pipeline_snapshots_do_not_depend_on_the_order_of_tied_history_rows():
    """Two history rows of a deal at the same ``changed_at``: the snapshot numbers are the same
    whatever the rows' order in the input (the tie resolved by stage, amount, close date)."""
    snaps = [
        (0, pd.Timestamp("2026-02-10 10:00"), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (1, pd.Timestamp("2026-03-01"), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (2, pd.Timestamp("2026-02-01"), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ]
    got = []
    for reverse in (False, True):
        con, opps, hist = _tied_tables(reverse)
        try:
            got.append(_canon(E.pipeline_snapshots(opps, hist, snaps)))
        finally:
            con.disconnect()
    pd.testing.assert_frame_equal(got[0], got[1], check_dtype=False)
    for pi in (0, 1):  # after the tie: one of the two tied states for every deal, the same one
        at_tie = got[0][got[0]["pi"] == pi]
        assert at_tie["open_n"].sum() == 400
        assert at_tie["open_amt"].sum() in (400 * 100.0, 400 * 1000.0)
    before = got[0][got[0]["pi"] == 2]  # before the tie: the first row's amount
    assert before["open_amt"].sum() == pytest.approx(400 * 10.0)
    assert before["closing_n"].sum() == 400
