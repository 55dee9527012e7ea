"""Tests of salesops_lib.stats.planning: cross-checks with statsmodels' power solvers and a
power simulation (fixed seed, Monte Carlo band stated)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower

from salesops_lib.errors import ParamsError
from salesops_lib.stats import planning as pl
from salesops_lib.stats.confseq import asymp_cs_halfwidth
from salesops_lib.stats.lift import ArmSummary, lift_test
from salesops_lib.stats.planning import (
    mde_lift,
    power_lift,
    sample_size_arms,
    sample_size_lift,
    scale_to_power,
)


def test_all_sorted() -> None:
    assert pl.__all__ == sorted(pl.__all__)


@pytest.mark.parametrize(
    ("mean", "sd", "effect", "n_total", "n_arms"),
    [(10.0, 62.5, 0.05, 400_000, 3), (0.1, 0.3, 0.2, 40, 2), (0.02, 0.14, 0.25, 90_000, 4)],
)
def test_power_matches_statsmodels_normal_power(
    mean: float, sd: float, effect: float, n_total: float, n_arms: int
) -> None:
    n = n_total / n_arms
    # the relative SE is the absolute one scaled by sqrt((1 + (1+e)^2)/2)/mean
    es = effect * mean / (sd * math.sqrt((1 + (1 + effect) ** 2) / 2))
    ref = NormalIndPower().power(effect_size=es, nobs1=n, alpha=0.05, ratio=1.0)
    assert power_lift(mean, sd, effect, n_total, n_arms=n_arms) == pytest.approx(ref, rel=1e-10)


def test_sequential_power_is_the_fixed_power_of_a_wider_interval() -> None:
    mean, sd, e, n_total = 1.0, 2.0, 0.05, 60_000
    n = n_total / 2
    mult = asymp_cs_halfwidth(1.0, n_total) / stats.norm.isf(0.025)  # z_seq / z at N = 2n
    es = e * mean / (sd * math.sqrt((1 + (1 + e) ** 2) / 2)) / mult
    ref = NormalIndPower().power(effect_size=es, nobs1=n, alpha=0.05)
    seq = power_lift(mean, sd, e, n_total, sequential_tuning=5000)
    assert seq == pytest.approx(ref, rel=1e-10)
    assert seq < power_lift(mean, sd, e, n_total)


@pytest.mark.parametrize("tuning", [None, 5000.0])
def test_mde_reaches_the_target_power(tuning: float | None) -> None:
    for n_total in (2_000, 50_000):
        mde = mde_lift(5.0, 8.0, n_total, n_arms=3, power=0.8, sequential_tuning=tuning)
        achieved = power_lift(5.0, 8.0, mde, n_total, n_arms=3, sequential_tuning=tuning)
        # one-tail equation: the far tail adds a little power, never removes any
        assert 0.8 <= achieved < 0.8 + 1e-4


def test_power_by_simulation() -> None:
    """2,000 seeded two-arm trials, n = 500 per arm, normal values, true lift +15 %: the share
    significant by the kit's own relative test is the planned power ± 3·sqrt(p(1−p)/2000)."""
    rng = np.random.default_rng(99)
    mean, sd, e, n = 10.0, 12.0, 0.15, 500
    planned = power_lift(mean, sd, e, 2 * n)
    hits = sum(
        lift_test(ArmSummary.from_values(rng.normal(mean * (1 + e), sd, n)),
                  ArmSummary.from_values(rng.normal(mean, sd, n))).p_value < 0.05
        for _ in range(2000)
    )  # fmt: skip
    band = 3 * math.sqrt(planned * (1 - planned) / 2000)
    assert abs(hits / 2000 - planned) < band, (hits / 2000, planned)


def test_two_group_sample_size_matches_statsmodels() -> None:
    for var, mde, power in ((100.0, 0.3, 0.85), (0.2244, 0.003, 0.85), (4.0, 1.5, 0.8)):
        n1 = NormalIndPower().solve_power(effect_size=mde / math.sqrt(var), alpha=0.05, power=power)
        # statsmodels solves the two-sided equation; the closed form drops the far tail
        assert abs(sample_size_arms(var, mde, power=power) - 2 * n1) <= 2


def test_more_groups_and_bonferroni_need_more_units() -> None:
    two = sample_size_arms(1.0, 0.1)
    three = sample_size_arms(1.0, 0.1, n_groups=3)
    assert three == pytest.approx(1.5 * two, rel=1e-3)  # control 1/2, treatments 1/4 each
    assert sample_size_arms(1.0, 0.1, n_groups=3, bonferroni=True) > three
    assert sample_size_arms(1.0, 0.1, n_groups=np.int64(3)) == three


def test_scale_to_power_solves_the_power_equation() -> None:
    se, n_now, mde = 0.04, 1000.0, 0.05
    res = scale_to_power(se, n_now, mde)
    sd_k = se / math.sqrt(1 + res.factor)
    ref = NormalIndPower().power(effect_size=mde / sd_k, nobs1=1, alpha=0.05, ratio=0)
    assert ref == pytest.approx(0.8, abs=1e-9)
    assert res.additional_units == pytest.approx(res.factor * n_now)
    assert res.power_now < 0.8
    seq = scale_to_power(se, n_now, mde, sequential_tuning=5000)
    assert seq.factor > res.factor  # the always-valid read needs more data
    done = scale_to_power(0.001, n_now, mde)
    assert done.factor == 0.0 and done.power_now > 0.8


def test_errors_name_the_parameter() -> None:
    with pytest.raises(ParamsError, match="n_total"):
        mde_lift(1.0, 50.0, 10)
    with pytest.raises(ParamsError, match="n_arms"):
        power_lift(1.0, 1.0, 0.1, 100, n_arms=1)
    with pytest.raises(ParamsError, match="mean"):
        power_lift(0.0, 1.0, 0.1, 100)
    with pytest.raises(ParamsError, match="comparisons"):
        sample_size_arms(1.0, 0.1, comparisons="pairs")  # type: ignore[arg-type]
    with pytest.raises(ParamsError, match="tuning"):
        power_lift(1.0, 1.0, 0.1, 100, sequential_tuning=-5)


def test_sample_size_lift_is_the_smallest_powered_total() -> None:
    for kw in ({}, {"n_arms": 3}, {"sequential_tuning": 5000.0}):
        n = sample_size_lift(10.0, 30.0, 0.1, **kw)  # type: ignore[arg-type]
        k = int(kw.get("n_arms", 2))
        assert n % k == 0
        assert power_lift(10.0, 30.0, 0.1, n, **kw) >= 0.8  # type: ignore[arg-type]
        assert power_lift(10.0, 30.0, 0.1, n - k, **kw) < 0.8  # type: ignore[arg-type]


def test_ratio_metric_sample_size_by_simulation() -> None:
    """Sample size for a ratio metric (revenue per meeting) from the delta-method per-unit SD of
    a pilot: 600 seeded trials at that size reach the planned 80 % power within
    ±3·sqrt(0.8·0.2/600) ≈ ±0.049."""
    rng = np.random.default_rng(2026)

    def units(n: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
        d = rng.poisson(3.0, n) + 1.0  # meetings per account
        return d * rng.gamma(2.0, 50.0 * scale, n), d  # revenue per account

    m, d = units(20_000, 1.0)  # pilot
    pilot = ArmSummary.from_ratio_sums(
        m.size, m.sum(), (m * m).sum(), d.sum(), (d * d).sum(), (m * d).sum()
    )
    n_total = sample_size_lift(pilot.mean, math.sqrt(pilot.var), 0.08)
    hits = 0
    for _ in range(600):
        arms = []
        for scale in (1.08, 1.0):
            mm, dd = units(n_total // 2, scale)
            arms.append(ArmSummary.from_ratio_sums(mm.size, mm.sum(), (mm * mm).sum(), dd.sum(),
                                                   (dd * dd).sum(), (mm * dd).sum()))  # fmt: skip
        hits += lift_test(arms[0], arms[1]).p_value < 0.05
    assert abs(hits / 600 - 0.8) < 0.049, (hits / 600, n_total)
