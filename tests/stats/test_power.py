"""Tests of salesops_lib.stats.power against statsmodels power classes and textbook examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from salesops_lib.errors import ParamsError
from salesops_lib.stats import power as pw
from salesops_lib.stats.power import (
    mde_means,
    mde_proportions,
    power_means,
    power_proportions,
    sample_size_means,
    sample_size_proportions,
)

REL = 1e-6  # statsmodels' own root finder stops at ~1e-9 relative


def test_all_sorted() -> None:
    assert pw.__all__ == sorted(pw.__all__)


class TestProportions:
    def test_textbook_chow(self) -> None:
        # Chow, Shao & Wang (2008) §4.2: p = 0.65 vs 0.85, alpha 0.05, power 0.8 -> 70 per arm
        res = sample_size_proportions(0.65, 0.20)
        assert res.n_control == 70 and res.n_treatment == 70
        z = stats.norm.isf(0.025) + stats.norm.isf(0.2)
        closed = z**2 * (0.65 * 0.35 + 0.85 * 0.15) / 0.2**2  # one-tail closed form
        assert res.n_control_exact == pytest.approx(closed, rel=1e-3)
        assert res.n_control_exact < closed  # the far tail adds a little power

    @pytest.mark.parametrize(
        ("p0", "d", "ratio"), [(0.1, 0.02, 1.0), (0.3, -0.05, 2.0), (0.05, 0.01, 0.5)]
    )
    def test_normal_matches_normalindpower(self, p0: float, d: float, ratio: float) -> None:
        p1 = p0 + d
        v0, v1 = p0 * (1 - p0), p1 * (1 - p1)
        # unpooled SE on NormalIndPower's unit-variance scale: es = d / sqrt((v0 + v1/k)/(1 + 1/k))
        es = abs(d) / math.sqrt((v0 + v1 / ratio) / (1 + 1 / ratio))
        ref = NormalIndPower().solve_power(es, alpha=0.05, power=0.8, ratio=ratio)
        res = sample_size_proportions(p0, d, ratio=ratio)
        assert res.n_control_exact == pytest.approx(ref, rel=REL)
        assert res.n_treatment == math.ceil(ratio * res.n_control_exact)

    @pytest.mark.parametrize(
        ("p0", "d", "ratio"), [(0.1, 0.02, 1.0), (0.3, -0.05, 2.0), (0.5, 0.1, 0.7)]
    )
    def test_arcsine_matches_statsmodels(self, p0: float, d: float, ratio: float) -> None:
        h = proportion_effectsize(p0 + d, p0)
        ref = NormalIndPower().solve_power(h, alpha=0.05, power=0.9, ratio=ratio)
        res = sample_size_proportions(p0, d, power=0.9, ratio=ratio, method="arcsine")
        assert res.n_control_exact == pytest.approx(ref, rel=REL)
        p = power_proportions(p0, d, 1234, ratio=ratio, method="arcsine")
        assert p == pytest.approx(NormalIndPower().power(h, 1234, 0.05, ratio=ratio), abs=1e-9)

    def test_mde_arcsine_matches_statsmodels(self) -> None:
        res = mde_proportions(0.1, 2_000, method="arcsine")
        h = NormalIndPower().solve_power(None, nobs1=2_000, alpha=0.05, power=0.8)
        p1 = math.sin(math.asin(math.sqrt(0.1)) + h / 2) ** 2
        assert res.mde == pytest.approx(p1 - 0.1, rel=REL)
        assert res.mde_rel == pytest.approx(res.mde / 0.1)

    def test_mde_inverts_sample_size(self) -> None:
        n = sample_size_proportions(0.12, 0.015).n_control_exact
        assert mde_proportions(0.12, n).mde == pytest.approx(0.015, rel=1e-8)
        assert power_proportions(0.12, 0.015, n) == pytest.approx(0.8, abs=1e-10)

    def test_mde_unequal_achieved_sizes(self) -> None:
        res = mde_proportions(0.2, 1_000, ratio=1.5)
        assert power_proportions(0.2, res.mde, 1_000, ratio=1.5) == pytest.approx(0.8, abs=1e-9)

    @pytest.mark.parametrize(
        ("kwargs", "param"),
        [
            ({"p0": 0.0, "mde_abs": 0.1}, "p0"),
            ({"p0": 0.95, "mde_abs": 0.1}, "mde_abs"),
            ({"p0": 0.1, "mde_abs": 0.0}, "mde_abs"),
            ({"p0": 0.1, "mde_abs": 0.01, "power": 1.2}, "power"),
            ({"p0": 0.1, "mde_abs": 0.01, "ratio": 0}, "ratio"),
            ({"p0": 0.1, "mde_abs": 0.01, "alpha": 0}, "alpha"),
            ({"p0": 0.1, "mde_abs": 0.01, "method": "exact"}, "method"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict, param: str) -> None:
        with pytest.raises(ParamsError) as err:
            sample_size_proportions(**kwargs)
        assert err.value.param == param


class TestMeans:
    def test_textbook_cohen(self) -> None:
        # Cohen (1988) Table 2.4.1: d = 0.5, two-sided 0.05, power 0.8 -> 64 per group
        res = sample_size_means(10.0, 5.0)
        assert res.n_control == 64 and res.effect == 0.5

    @pytest.mark.parametrize(
        ("es", "ratio", "power"),
        [(0.5, 1.0, 0.8), (0.2, 2.0, 0.9), (1.5, 0.5, 0.8), (3.0, 1.0, 0.8)],
    )
    def test_matches_ttestindpower(self, es: float, ratio: float, power: float) -> None:
        ref = TTestIndPower().solve_power(es, alpha=0.05, power=power, ratio=ratio)
        res = sample_size_means(2.0, 2.0 * es, power=power, ratio=ratio)
        assert res.n_control_exact == pytest.approx(ref, rel=REL)
        ref_power = TTestIndPower().power(es, 40, 0.05, ratio=ratio)
        mine = power_means(2.0, 2.0 * es, 40, ratio=ratio)
        if math.isnan(ref_power):  # statsmodels' far tail underflows to NaN; ours does not
            assert mine == pytest.approx(1.0, abs=1e-12)
        else:
            assert mine == pytest.approx(ref_power, abs=1e-9)

    def test_normal_method_matches_normalindpower(self) -> None:
        ref = NormalIndPower().solve_power(0.25, alpha=0.05, power=0.8, ratio=1.0)
        assert sample_size_means(1.0, 0.25, method="normal").n_control_exact == pytest.approx(
            ref, rel=REL
        )

    def test_mde_matches_ttestindpower(self) -> None:
        ref = TTestIndPower().solve_power(None, nobs1=64, alpha=0.05, power=0.8)
        res = mde_means(3.0, 64)
        assert res.mde_rel == pytest.approx(ref, rel=REL)
        assert res.mde == pytest.approx(3.0 * ref, rel=REL)

    def test_bad_sd(self) -> None:
        with pytest.raises(ParamsError) as err:
            sample_size_means(0.0, 1.0)
        assert err.value.param == "sd"
        with pytest.raises(ParamsError) as err:
            mde_means(1.0, 1)
        assert err.value.param == "n_per_arm"


class TestMDEReachability:
    """Issue 12 fix 5: an unreachable MDE is NaN with reachable=False, never a wrong number."""

    def test_unreachable_reproduction(self):
        res = mde_proportions(0.5, 3)
        assert not res.reachable and np.isnan(res.mde) and np.isnan(res.mde_rel)
        # highest power over p1 in (0.5, 1): check against a direct z-computation at p1 -> 1
        se = np.sqrt(0.25 / 3)
        z = stats.norm.isf(0.025)
        assert res.achieved_power == pytest.approx(stats.norm.sf(z - 0.5 / se), abs=1e-3)
        assert res.achieved_power < 0.8

    @pytest.mark.parametrize(("p0", "n"), [(0.12, 2000), (0.3, 40), (0.05, 200), (0.5, 12)])
    def test_achieved_power_equals_target(self, p0, n):
        res = mde_proportions(p0, n)
        assert res.reachable
        p1 = p0 + res.mde
        se = np.sqrt(p0 * (1 - p0) / n + p1 * (1 - p1) / n)
        z = stats.norm.isf(0.025)
        direct = stats.norm.sf(z - res.mde / se) + stats.norm.cdf(-z - res.mde / se)
        assert direct == pytest.approx(0.8, abs=1e-6)
        assert res.achieved_power == pytest.approx(0.8, abs=1e-6)
