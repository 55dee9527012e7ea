import math

import pytest

from salesops_lib.viz.format import (
    fmt_days,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0016, "p = 0.0016"),
        (0.00163, "p = 0.0016"),
        (0.0234, "p = 0.023"),
        (0.43, "p = 0.43"),
        (0.05, "p = 0.05"),
        (0.00004, "p < 0.0001"),
        (0.0, "p < 0.0001"),
        (0.999, "p = 1.0"),
        (0.00012, "p = 0.00012"),
    ],
)
def test_p_values_two_significant_figures_never_zero(p, expected):
    assert fmt_p(p) == expected


def test_p_without_prefix():
    assert fmt_p(0.0123, prefix=False) == "0.012"
    assert fmt_p(1e-9, prefix=False) == "< 0.0001"


def test_percentages_and_intervals():
    assert fmt_pct(0.2344) == "23.4%"
    assert fmt_pct(1.0) == "100.0%"
    assert fmt_pct_ci(0.234, 0.221, 0.248) == "23.4% (22.1–24.8%)"
    assert fmt_pct_ci(0.234, math.nan, 0.3) == "23.4%"
    assert fmt_pp(0.031) == "+3.1 pp"
    assert fmt_pp(-0.0349) == "\u22123.5 pp"  # a true minus sign
    assert fmt_pct(-0.05) == "\u22125.0%"
    assert fmt_num(-1234.5, 1) == "\u22121,234.5"


def test_missing_values_show_a_dash_not_nan():
    for f in (fmt_pct, fmt_int, fmt_num, fmt_money, fmt_days, fmt_p, fmt_pp):
        assert f(None) == "—"
        assert f(math.nan) == "—"


def test_integers_money_and_days():
    assert fmt_int(12345.4) == "12,345"
    assert fmt_num(1234.567, 2) == "1,234.57"
    assert fmt_money(12300) == "$12,300"
    assert fmt_money(1_234_567) == "$1.23M"
    assert fmt_money(-5000, "EUR") == "\u2212€5,000"
    assert fmt_money(5000, "CHF") == "5,000 CHF"
    assert fmt_days(1) == "1 day"
    assert fmt_days(12.4) == "12 days"
