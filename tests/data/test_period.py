"""The one reading of as_of and the one Period (salesops_lib.data.period)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from salesops_lib.data.period import (
    Period,
    coming_period,
    default_quarter,
    last_full_period,
    parse_as_of,
    resolve_period,
    to_date,
    trailing_quarters,
)
from salesops_lib.errors import ParamsError

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-31", "2025-12-31 23:59:59"),  # a bare date is the end of that day
        (D(2025, 12, 31), "2025-12-31 23:59:59"),
        ("2025-12-31 10:00", "2025-12-31 10:00:00"),
        (dt.datetime(2025, 12, 31, 0, 0), "2025-12-31 00:00:00"),  # a time is kept as given
        ("2025-12-31T10:00:00+02:00", "2025-12-31 08:00:00"),  # tz-aware → naive UTC
        (pd.Timestamp("2025-12-31 10:00", tz="Europe/Rome"), "2025-12-31 09:00:00"),
    ],
)
def test_parse_as_of(value, expected):
    assert parse_as_of(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("bad", ["yesterday-ish", "2025-13-40", 20251231, True, None])
def test_parse_as_of_errors_name_the_parameter(bad):
    with pytest.raises(ParamsError) as info:
        parse_as_of(bad, param="as_of")
    assert info.value.param == "as_of"


def test_labels():
    assert Period(D(2026, 4, 1), D(2026, 6, 30)).label == "Q2 2026"
    assert Period(D(2026, 5, 1), D(2026, 5, 31)).label == "May 2026"
    assert Period(D(2026, 1, 1), D(2026, 12, 31)).label == "2026"
    assert Period(D(2025, 10, 1), D(2026, 9, 30)).label == "Oct 2025 – Sep 2026"
    assert Period(D(2026, 4, 1), D(2026, 5, 15)).label == "1 Apr 2026 – 15 May 2026"


def test_end_before_start_names_period_end():
    with pytest.raises(ParamsError) as info:
        Period(D(2026, 4, 2), D(2026, 4, 1))
    assert info.value.param == "period_end"


def test_previous_of_whole_periods_chains_without_drift():
    """Q3 → Q2 → Q1 → Q4: each complete period maps to the whole previous one (no drifting cut)."""
    p = Period(D(2026, 7, 1), D(2026, 9, 30), parse_as_of("2026-09-30"))
    seen = []
    for _ in range(4):
        p = p.previous()
        seen.append((p.label, p.as_of))
        assert p.as_of == pd.Timestamp(p.end) + pd.Timedelta(hours=23, minutes=59, seconds=59)
    assert [s[0] for s in seen] == ["Q2 2026", "Q1 2026", "Q4 2025", "Q3 2025"]


def test_previous_of_a_running_period_cuts_the_same_time_in():
    p = Period(D(2026, 7, 1), D(2026, 9, 30), pd.Timestamp("2026-08-15 12:00"))
    assert p.is_partial and p.end_eff == D(2026, 8, 15)
    q = p.previous()
    assert (q.start, q.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert q.as_of == pd.Timestamp("2026-05-16 12:00")  # 45.5 days into each
    odd = Period(D(2026, 1, 10), D(2026, 1, 19))
    assert odd.previous() == Period(D(2025, 12, 31), D(2026, 1, 9))


def test_same_period_last_year_and_to_dict():
    p = Period(D(2024, 2, 1), D(2024, 2, 29))
    ly = p.same_period_last_year()
    assert (ly.start, ly.end) == (D(2023, 2, 1), D(2023, 2, 28))
    assert p.to_dict() == {"start": "2024-02-01", "end": "2024-02-29", "label": "Feb 2024"}


def test_defaults():
    t = parse_as_of("2026-09-30")
    assert default_quarter(t, window_days=90).label == "Q2 2026"
    assert default_quarter(t, window_days=120).label == "Q1 2026"
    tq = trailing_quarters(t, 4)
    assert (tq.start, tq.end, tq.as_of) == (D(2025, 10, 1), D(2026, 9, 30), t)


@pytest.mark.parametrize(
    ("as_of", "grain", "last_full", "coming"),
    [
        # a period's last day: that period is complete, the next one is to come
        ("2026-03-31", "month", (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 4, 30))),
        ("2026-06-30", "quarter", (D(2026, 4, 1), D(2026, 6, 30)), (D(2026, 7, 1), D(2026, 9, 30))),
        (
            "2026-12-31",
            "quarter",
            (D(2026, 10, 1), D(2026, 12, 31)),
            (D(2027, 1, 1), D(2027, 3, 31)),
        ),
        # the day before: the previous period is the last full one, this one is still to come
        ("2026-03-30", "month", (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))),
        ("2026-06-29", "quarter", (D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30))),
        # a period's first day, and a leap February
        ("2024-03-01", "month", (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 3, 31))),
        (
            "2026-01-01",
            "quarter",
            (D(2025, 10, 1), D(2025, 12, 31)),
            (D(2026, 1, 1), D(2026, 3, 31)),
        ),
        # weeks run Monday to Sunday: Sunday 29 March 2026 ends one, Tuesday 31 is inside the next
        ("2026-03-29", "week", (D(2026, 3, 23), D(2026, 3, 29)), (D(2026, 3, 30), D(2026, 4, 5))),
        ("2026-03-31", "week", (D(2026, 3, 23), D(2026, 3, 29)), (D(2026, 3, 30), D(2026, 4, 5))),
        # a time on the last day is still that day (the data ends then)
        (
            "2026-03-31 18:00",
            "month",
            (D(2026, 3, 1), D(2026, 3, 31)),
            (D(2026, 4, 1), D(2026, 4, 30)),
        ),
    ],
)
def test_last_full_and_coming_periods(as_of, grain, last_full, coming):
    full = last_full_period(as_of, grain)
    ahead = coming_period(as_of, grain)
    assert (full.start, full.end, full.as_of) == (*last_full, None)
    assert (ahead.start, ahead.end, ahead.as_of) == (*coming, None)
    assert full.end <= parse_as_of(as_of).date() < ahead.end  # one is over, the other is not


def test_period_helpers_name_the_grains_a_caller_accepts():
    with pytest.raises(ParamsError, match="'week', 'month' or 'quarter'"):
        last_full_period("2026-03-31", "year")
    with pytest.raises(ParamsError, match=r"`grain`.*got 'week'; expected 'month' or 'quarter'"):
        coming_period("2026-03-31", "week", grains=("month", "quarter"))


def test_resolve_period_forms():
    t = parse_as_of("2026-09-30")
    assert resolve_period("2026Q2").label == "Q2 2026"
    assert resolve_period(("2026-01-01", "2026-03-31"), as_of=t).as_of == t
    assert resolve_period(("2026-07-01", None), as_of=t).end == D(2026, 9, 30)
    assert resolve_period(None, default=default_quarter(t)).label == "Q2 2026"
    with pytest.raises(ParamsError):
        resolve_period(None)
    assert to_date("2026-03-31", "period_end") == D(2026, 3, 31)
    with pytest.raises(ParamsError) as info:
        to_date("31/31/2026", "period_end")
    assert info.value.param == "period_end"
