"""stats/rates.py against statsmodels, scipy and hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from salesops_lib.errors import ParamsError
from salesops_lib.stats.rates import (
    difference_interval,
    mean_interval,
    ratio_interval,
    ratio_interval_from_sums,
    se_from_interval,
)


def test_ratio_interval_equals_wls_cluster_robust_hc1():
    rng = np.random.default_rng(3)
    d = rng.integers(5, 22, size=17).astype(float)  # selling days per rep
    a = rng.poisson(d * rng.gamma(4, 5, size=17)).astype(float)  # activities per rep
    est = ratio_interval(a, d, alpha=0.1)
    fit = sm.WLS(a / d, np.ones_like(d), weights=d).fit(cov_type="HC1", use_t=True)
    assert est.value == pytest.approx(a.sum() / d.sum())
    assert est.value == pytest.approx(fit.params[0])
    # HC1 of WLS: n/(n-1) * sum(w^2 e^2) / (sum w)^2 with w = d, e = a/d - R
    assert est.se == pytest.approx(fit.bse[0], rel=1e-10)
    lo, hi = fit.conf_int(alpha=0.1)[0]
    assert (est.low, est.high) == pytest.approx((lo, hi), rel=1e-10)
    assert est.n == 17


def test_ratio_from_sums_by_hand_and_edge_cases():
    a = np.array([3.0, 0.0, 5.0])
    d = np.array([2.0, 1.0, 3.0])
    r = 8.0 / 6.0
    e = a - r * d
    se = math.sqrt(3 / 2 * (e**2).sum()) / 6.0
    est = ratio_interval(a, d, use_t=False)
    assert est.se == pytest.approx(se)
    assert est.low == pytest.approx(r - stats.norm.isf(0.025) * se)
    assert math.isnan(ratio_interval_from_sums(0, 0, 0, 0, 0, 0).value)
    one = ratio_interval([4.0], [2.0])
    assert one.value == 2.0 and math.isnan(one.low)
    # units with no exposure are dropped
    assert ratio_interval([1.0, 0.0], [1.0, 0.0]).n == 1
    with pytest.raises(ParamsError):
        ratio_interval([1.0, 2.0], [1.0])


def test_mean_interval_matches_statsmodels():
    x = np.array([12_000.0, 48_500.0, 7_250.0, 91_000.0, 33_000.0])
    est = mean_interval(x.size, x.sum(), (x**2).sum(), alpha=0.05)
    lo, hi = DescrStatsW(x).tconfint_mean(alpha=0.05)
    assert est.value == pytest.approx(x.mean())
    assert (est.low, est.high) == pytest.approx((lo, hi))
    assert est.se == pytest.approx(stats.sem(x))
    assert math.isnan(mean_interval(0, 0, 0).value)
    assert math.isnan(mean_interval(1, 5.0, 25.0).low)


def test_difference_interval_and_se_from_interval():
    z = stats.norm.isf(0.025)
    assert se_from_interval(10 - z * 2, 10 + z * 2) == pytest.approx(2.0)
    d, lo, hi = difference_interval(5.0, 3.0, 2.0, 4.0)
    assert d == 3.0
    assert (lo, hi) == pytest.approx((3 - z * 5, 3 + z * 5))
    assert math.isnan(difference_interval(1.0, float("nan"), 0.0, 1.0)[1])
