"""Relative dates for schedules: as-of words and period rules, on a frozen clock (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from salesops_lib.data.period import clock_now, parse_as_of, relative_as_of
from salesops_lib.data.relative import relative_period
from salesops_lib.errors import ParamsError

D = dt.date
END_30_NOV = pd.Timestamp("2026-11-30 23:59:59")


def test_clock_is_frozen_by_the_environment_and_read_as_utc(monkeypatch):
    monkeypatch.setenv("SALESOPS_NOW", "2026-12-01T06:00+01:00")
    assert clock_now() == pd.Timestamp("2026-12-01 05:00")
    monkeypatch.setenv("SALESOPS_NOW", "next monday")
    with pytest.raises(ParamsError, match="SALESOPS_NOW"):
        clock_now()


def test_clock_without_the_variable_is_the_system_clock(monkeypatch):
    monkeypatch.delenv("SALESOPS_NOW", raising=False)
    before = pd.Timestamp.now(tz="UTC").tz_localize(None)
    assert before <= clock_now() <= before + pd.Timedelta(minutes=1)


def test_as_of_words(monkeypatch):
    now = pd.Timestamp("2026-12-01 00:30")  # just after midnight: yesterday is 30 Nov
    assert relative_as_of("yesterday", now=now) == pd.Timestamp("2026-11-30 23:59:59")
    assert relative_as_of("Today", now=now) == pd.Timestamp("2026-12-01 23:59:59")
    assert relative_as_of("latest", now=now) is None
    monkeypatch.setenv("SALESOPS_NOW", "2026-03-01T10:00Z")
    assert parse_as_of("yesterday") == pd.Timestamp("2026-02-28 23:59:59")
    for word in ("tomorrow", "now", "someday"):  # pandas itself would read the first two
        with pytest.raises(ParamsError, match="relative date"):
            parse_as_of(word)
    with pytest.raises(ParamsError, match="Leave as_of empty"):
        parse_as_of("latest")


@pytest.mark.parametrize(
    ("rule", "as_of", "start", "end"),
    [
        # a unit is full when it ended on or before as_of
        ("last_full_month", END_30_NOV, D(2026, 11, 1), D(2026, 11, 30)),
        ("last_full_month", pd.Timestamp("2026-11-30 12:00"), D(2026, 10, 1), D(2026, 10, 31)),
        ("last_full_month", pd.Timestamp("2026-03-01 00:00"), D(2026, 2, 1), D(2026, 2, 28)),
        ("last_full_quarter", END_30_NOV, D(2026, 7, 1), D(2026, 9, 30)),
        ("last_full_quarter", pd.Timestamp("2026-09-30 23:59:59"), D(2026, 7, 1), D(2026, 9, 30)),
        ("last_full_quarter", pd.Timestamp("2026-09-30 10:00"), D(2026, 4, 1), D(2026, 6, 30)),
        ("last_full_quarter", pd.Timestamp("2026-01-15"), D(2025, 10, 1), D(2025, 12, 31)),
        ("last_full_year", END_30_NOV, D(2025, 1, 1), D(2025, 12, 31)),
        ("month_to_date", END_30_NOV, D(2026, 11, 1), D(2026, 11, 30)),
        ("quarter_to_date", END_30_NOV, D(2026, 10, 1), D(2026, 11, 30)),
        ("year_to_date", END_30_NOV, D(2026, 1, 1), D(2026, 11, 30)),
        ({"last_n_days": 90}, END_30_NOV, D(2026, 9, 2), D(2026, 11, 30)),  # 29+31+30 days
        ("last_7_days", END_30_NOV, D(2026, 11, 24), D(2026, 11, 30)),
        ({"last_n_days": 1}, END_30_NOV, D(2026, 11, 30), D(2026, 11, 30)),
        ("current_quarter", END_30_NOV, D(2026, 10, 1), D(2026, 12, 31)),
        ("next_quarter", END_30_NOV, D(2027, 1, 1), D(2027, 3, 31)),
        ("next_month", pd.Timestamp("2026-12-31"), D(2027, 1, 1), D(2027, 1, 31)),
    ],
)
def test_period_rules(rule, as_of, start, end):
    p = relative_period(rule, as_of)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    "rule",
    ["last_full_week", "previous_quarter", 5, {"last_n_days": 0}, {"last_n_days": True},
     {"last_n_days": 2.5}, {"last_days": 3}, ["last_full_month"]],
)  # fmt: skip
def test_unknown_or_bad_period_rules_name_the_key(rule):
    with pytest.raises(ParamsError) as info:
        relative_period(rule, END_30_NOV)
    assert "`period`" in str(info.value)
