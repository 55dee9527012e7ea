"""Locale-aware formatters: Italian numbers, percentages, money and dates by CLDR (Babel);
English output unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from salesops_lib.i18n import language
from salesops_lib.viz.format import (
    fmt_date,
    fmt_days,
    fmt_int,
    fmt_money,
    fmt_money_millions,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
)

NBSP = "\u00a0"


@pytest.fixture
def it():
    with language("it"):
        yield


def test_italian_numbers(it):
    assert fmt_num(1234.5) == "1.234,5"
    assert fmt_int(12345) == "12.345"
    assert fmt_num(-1234.5) == "\u22121.234,5"
    assert fmt_num(None) == "—"


def test_italian_percentages(it):
    assert fmt_pct(0.243) == "24,3%"
    assert fmt_pct_ci(0.234, 0.221, 0.248) == "23,4% (22,1–24,8%)"
    assert fmt_pp(0.031) == f"+3,1{NBSP}p.p."
    assert fmt_pp(-0.031) == f"\u22123,1{NBSP}p.p."
    assert fmt_p(0.0016) == "p = 0,0016"
    assert fmt_p(0.00001) == "p < 0,0001"


def test_italian_money_follows_cldr(it):
    # CLDR it: the symbol after the number, a no-break space between
    assert fmt_money(1234, "EUR") == f"1.234{NBSP}€"
    assert fmt_money(-1234, "EUR") == f"\u22121.234{NBSP}€"
    assert fmt_money(1_234_567, "EUR") == f"1,23{NBSP}Mln{NBSP}€"
    assert fmt_money_millions(820_000, "EUR") == f"0,82{NBSP}Mln{NBSP}€"


def test_italian_dates_and_days(it):
    assert fmt_date(dt.date(2026, 12, 31)) == "31 dic 2026"
    assert fmt_date("2026-03-01") == "1 mar 2026"
    assert fmt_days(1) == "1 giorno"
    assert fmt_days(12) == "12 giorni"


def test_english_is_unchanged():
    assert fmt_num(1234.5) == "1,234.5"
    assert fmt_pct(0.243) == "24.3%"
    assert fmt_pp(0.031) == "+3.1 pp"
    assert fmt_money(1234, "EUR") == "€1,234"
    assert fmt_money(1_234_567) == "$1.23M"
    assert fmt_date(dt.date(2026, 12, 31)) == "31 Dec 2026"
    assert fmt_days(1) == "1 day"
    assert fmt_p(0.0016) == "p = 0.0016"
