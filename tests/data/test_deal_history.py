"""The shared deal-state building block: which history row holds at a time, tied rows resolved
in a fixed order whatever the input order, and the last row bounded after ``as_of``."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from salesops_lib.data.deal_history import history_intervals, state_at

T0 = pd.Timestamp("2026-01-05 09:00")
TIE = pd.Timestamp("2026-02-10 10:00")
AS_OF = pd.Timestamp("2026-06-30 23:59:59")


def _rows() -> list[dict]:
    return [
        {"opportunity_id": "A", "changed_at": T0, "stage": "Discovery", "amount": 10.0},
        {"opportunity_id": "A", "changed_at": TIE, "stage": "Proposal", "amount": 100.0},
        {"opportunity_id": "A", "changed_at": TIE, "stage": "Negotiation", "amount": 1000.0},
        {"opportunity_id": "B", "changed_at": T0, "stage": "Discovery", "amount": 5.0},
        {"opportunity_id": "B", "changed_at": TIE, "stage": "Discovery", "amount": 7.0},
        {"opportunity_id": "B", "changed_at": TIE, "stage": "Discovery", "amount": 6.0},
        {"opportunity_id": "B", "changed_at": AS_OF + pd.Timedelta(days=3), "stage": "Won"},
    ]


def _states_at(rows: list[dict], times: list[pd.Timestamp], **kw) -> pd.DataFrame:
    con = ibis.duckdb.connect()
    try:
        frame = pd.DataFrame(rows).assign(close_date=dt.date(2026, 9, 30))
        hist = con.create_table("h", ibis.memtable(frame))
        snaps = con.create_table("s", ibis.memtable(pd.DataFrame({"at": times})))
        j = state_at(history_intervals(hist, AS_OF, **kw), snaps, "at")
        out = j.select("at", "hid", "stage", "h_amt").to_pandas()
    finally:
        con.disconnect()
    return out.sort_values(["at", "hid"]).reset_index(drop=True)


@pytest.mark.parametrize(
    "order", [[0, 1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0], [2, 5, 0, 6, 1, 4, 3]]
)
def test_one_row_per_deal_and_time_whatever_the_input_order(order):
    rows = _rows()
    times = [T0 - pd.Timedelta(seconds=1), T0, TIE - pd.Timedelta(seconds=1), TIE, AS_OF]
    got = _states_at([rows[i] for i in order], times)
    want = _states_at(rows, times)
    pd.testing.assert_frame_equal(got, want)
    assert not (got["at"] < T0).any()  # before the first row: no state
    assert got.groupby(["at", "hid"]).size().eq(1).all()
    at_tie = got[got["at"] == TIE].set_index("hid")
    # tied rows: the last in (stage, amount) order holds; the row after as_of is left out
    assert at_tie.loc["A", "stage"] == "Proposal"
    assert at_tie.loc["B", "h_amt"] == 7.0
    assert got[got["at"] == AS_OF].set_index("hid").loc["B", "h_amt"] == 7.0


def test_since_leaves_out_only_rows_that_end_before_it():
    times = [TIE, AS_OF]
    got = _states_at(_rows(), times, since=TIE)
    pd.testing.assert_frame_equal(got, _states_at(_rows(), times))
    con = ibis.duckdb.connect()
    try:
        hist = con.create_table("h", ibis.memtable(pd.DataFrame(_rows())))
        kept = history_intervals(hist, AS_OF, since=TIE).to_pandas()
    finally:
        con.disconnect()
    assert (kept["until"] > TIE).all()
    assert len(kept) == 2  # the two rows that hold at TIE and after
