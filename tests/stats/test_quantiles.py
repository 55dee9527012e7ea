"""Tests of salesops_lib.stats.quantiles: order-statistic intervals against
``scipy.stats.quantile_test`` (small and large samples) and the coverage of the quantile
treatment effect interval (fixed seed, Monte Carlo band stated)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats import quantiles as qs
from salesops_lib.stats.quantiles import (
    quantile_effect,
    quantile_effect_from_intervals,
    quantile_interval,
)


def test_all_sorted() -> None:
    assert qs.__all__ == sorted(qs.__all__)


@pytest.mark.parametrize("n", [6, 7, 10, 25, 101, 1000])
@pytest.mark.parametrize("q", [0.25, 0.5, 0.9])
def test_exact_interval_matches_scipy_quantile_test(n: int, q: float) -> None:
    x = np.random.default_rng(n).lognormal(size=n)
    est, low, high = quantile_interval(x, q)
    ci = stats.quantile_test(x, p=q).confidence_interval(0.95)
    assert est == pytest.approx(np.quantile(x, q))
    # scipy marks an unbounded side with NaN, the kit with ±inf
    assert (math.isinf(low) and np.isnan(ci.low)) or low == pytest.approx(ci.low)
    assert (math.isinf(high) and np.isnan(ci.high)) or high == pytest.approx(ci.high)


def test_normal_indices_are_close_to_exact_for_large_samples() -> None:
    x = np.random.default_rng(1).exponential(size=5000)
    _, l1, h1 = quantile_interval(x, 0.5)
    _, l2, h2 = quantile_interval(x, 0.5, method="normal")
    assert abs(l1 - l2) < 0.01 and abs(h1 - h2) < 0.01


def test_median_effect_interval_covers_in_simulation() -> None:
    """1,000 seeded trials, 300 lognormal units per arm, treatment scaled by 1.2 (true median
    difference 0.2): 95% coverage within ±3·sqrt(0.95·0.05/1000) ≈ ±0.021 (the order-statistic
    intervals are a little conservative, so coverage may sit at the upper edge)."""
    rng = np.random.default_rng(42)
    hits = 0
    for _ in range(1000):
        r = quantile_effect(rng.lognormal(size=300) * 1.2, rng.lognormal(size=300))
        hits += r.ci_low <= 0.2 <= r.ci_high
    assert 0.95 - 0.021 < hits / 1000 < 0.95 + 0.035, hits / 1000


def test_effect_from_intervals_combines_arms_independently() -> None:
    z = stats.norm.isf(0.025)
    r = quantile_effect_from_intervals(11.0, 10.0, 12.0, 101, 9.0, 8.5, 9.5, 201)
    se_t = 100 / 101 * (2.0 / (2 * z)) ** 2
    se_c = 200 / 201 * (1.0 / (2 * z)) ** 2
    assert r.se == pytest.approx(math.sqrt(se_t + se_c))
    assert (r.diff, r.ci_low, r.ci_high) == pytest.approx((2.0, 2 - z * r.se, 2 + z * r.se))


def test_too_few_units_for_a_bounded_interval() -> None:
    with pytest.raises(ParamsError, match="low_t"):
        quantile_effect([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    with pytest.raises(ParamsError, match="q"):
        quantile_interval([1.0, 2.0], 1.5)
