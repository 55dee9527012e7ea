"""Tests of salesops_lib.stats.lift (and confseq, bayes_gaussian): cross-checks with scipy and
statsmodels on small and large samples, identities with the kit's other estimators, and
simulations (fixed seeds, Monte Carlo bands stated)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from salesops_lib.errors import ParamsError
from salesops_lib.stats import confseq, lift
from salesops_lib.stats.bayes_gaussian import gaussian_lift_posterior, normal_risk
from salesops_lib.stats.confseq import asymp_cs_halfwidth, asymp_cs_pvalue
from salesops_lib.stats.lift import (
    ArmSummary,
    CupedSums,
    RatioCupedSummary,
    cuped_lift_test,
    lift_test,
    ratio_cuped_lift_test,
)
from salesops_lib.stats.rates import ratio_interval_from_sums


def test_all_sorted() -> None:
    assert lift.__all__ == sorted(lift.__all__)
    assert confseq.__all__ == sorted(confseq.__all__)


# --------------------------------------------------------------------------------------------
# lift_test: absolute against scipy / statsmodels
# --------------------------------------------------------------------------------------------
SAMPLES = [
    (np.array([4.0, 7, 8, 6, 3, 2]), np.array([6.0, 8, 7, 10, 11, 9])),  # n = 6 per arm
    (np.array([1.0, 2.5, 0.5]), np.array([2.0, 3.0, 3.5, 5.0])),  # 3 vs 4 units
    (np.random.default_rng(3).lognormal(size=400), np.random.default_rng(4).lognormal(size=250)),
]


@pytest.mark.parametrize(("x", "y"), SAMPLES)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_welch_and_student_match_scipy(x: np.ndarray, y: np.ndarray, alternative: str) -> None:
    t, c = ArmSummary.from_values(x), ArmSummary.from_values(y)
    for method, equal_var in (("welch", False), ("student", True)):
        r = lift_test(t, c, relative=False, method=method, alternative=alternative)  # type: ignore[arg-type]
        ref = stats.ttest_ind(x, y, equal_var=equal_var, alternative=alternative)
        ci = ref.confidence_interval(0.95)
        assert r.estimate / r.se == pytest.approx(ref.statistic, rel=1e-12)
        assert r.df == pytest.approx(ref.df, rel=1e-12)
        assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10, abs=1e-15)
        assert r.ci_low == pytest.approx(ci.low, rel=1e-10)
        assert r.ci_high == pytest.approx(ci.high, rel=1e-10)


@pytest.mark.parametrize(("x", "y"), SAMPLES)
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_z_matches_statsmodels_unequal_variances(
    x: np.ndarray, y: np.ndarray, alternative: str
) -> None:
    alt = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[alternative]
    r = lift_test(ArmSummary.from_values(x), ArmSummary.from_values(y), relative=False, method="z",
                  alternative=alt)  # type: ignore[arg-type]  # fmt: skip
    cm = CompareMeans(DescrStatsW(x), DescrStatsW(y))
    z, p = cm.ztest_ind(usevar="unequal", alternative=alternative)
    lo, hi = cm.zconfint_diff(usevar="unequal", alternative=alternative)
    assert r.estimate / r.se == pytest.approx(z, rel=1e-12)
    assert r.p_value == pytest.approx(p, rel=1e-10, abs=1e-15)
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), rel=1e-10)
    assert math.isinf(r.df)


def test_summaries_from_sums_equal_from_values() -> None:
    x = np.array([3.0, 1.5, 4.0, 9.0, 2.0])
    a, b = ArmSummary.from_values(x), ArmSummary.from_sums(x.size, x.sum(), (x * x).sum())
    assert (a.n, a.mean) == (b.n, pytest.approx(b.mean))
    assert a.var == pytest.approx(b.var, rel=1e-12)
    p = ArmSummary.from_counts(3, 12)
    assert (p.mean, p.var) == (0.25, pytest.approx(0.25 * 0.75))  # population form


# --------------------------------------------------------------------------------------------
# relative lift: delta method
# --------------------------------------------------------------------------------------------
def test_relative_se_is_the_delta_method_by_numerical_gradient() -> None:
    t, c = ArmSummary(40, 12.0, 9.0), ArmSummary(55, 10.0, 16.0)
    r = lift_test(t, c)
    h = 1e-6
    g_t = ((t.mean + h - c.mean) / c.mean - (t.mean - h - c.mean) / c.mean) / (2 * h)
    g_c = ((t.mean - c.mean - h) / (c.mean + h) - (t.mean - c.mean + h) / (c.mean - h)) / (2 * h)
    var = g_t**2 * t.var / t.n + g_c**2 * c.var / c.n
    assert r.se == pytest.approx(math.sqrt(var), rel=1e-7)
    assert r.df == pytest.approx(lift_test(t, c, relative=False).df)  # shared Welch df


def test_negative_baseline_keeps_the_sign_of_the_difference() -> None:
    r = lift_test(ArmSummary(50, -5.0, 4.0), ArmSummary(50, -10.0, 4.0))
    assert r.estimate == pytest.approx(0.5)  # (−5 − (−10)) / |−10|
    assert r.ci_low < r.estimate < r.ci_high


def test_fixed_baseline_divides_the_absolute_result() -> None:
    t, c = ArmSummary(100, 3.3, 2.0), ArmSummary(120, 3.0, 1.5)
    a = lift_test(t, c, relative=False)
    f = lift_test(t, c, baseline="fixed")
    assert (f.estimate, f.ci_low, f.ci_high) == pytest.approx(
        (a.estimate / 3, a.ci_low / 3, a.ci_high / 3)
    )
    assert f.p_value == pytest.approx(a.p_value)
    assert f.se < lift_test(t, c).se  # ignoring the baseline's noise narrows the interval


def test_relative_interval_covers_in_simulation() -> None:
    """2,000 seeded trials, n = 200 per arm, lognormal values, true lift +10%: 95% coverage
    within the Monte Carlo band 0.95 ± 3·sqrt(0.95·0.05/2000) ≈ ±0.015."""
    rng = np.random.default_rng(20261205)
    hits = 0
    for _ in range(2000):
        x = rng.lognormal(size=200) * 1.1
        y = rng.lognormal(size=200)
        r = lift_test(ArmSummary.from_values(x), ArmSummary.from_values(y))
        hits += r.ci_low <= 0.1 <= r.ci_high
    assert abs(hits / 2000 - 0.95) < 0.015, hits / 2000


# --------------------------------------------------------------------------------------------
# ratio metrics and CUPED
# --------------------------------------------------------------------------------------------
def test_ratio_variance_equals_the_linearised_ratio_estimator() -> None:
    rng = np.random.default_rng(7)
    d = rng.poisson(5, size=30) + 1.0
    m = d * rng.gamma(2.0, 3.0, size=30)
    arm = ArmSummary.from_ratio_sums(
        30, m.sum(), (m * m).sum(), d.sum(), (d * d).sum(), (m * d).sum()
    )
    ref = ratio_interval_from_sums(
        30, m.sum(), d.sum(), (m * m).sum(), (d * d).sum(), (m * d).sum()
    )
    assert arm.mean == pytest.approx(ref.value, rel=1e-12)
    assert math.sqrt(arm.var / arm.n) == pytest.approx(ref.se, rel=1e-10)


def _cuped_sums(y: np.ndarray, x: np.ndarray) -> CupedSums:
    return CupedSums(y.size, y.sum(), x.sum(), (x * y).sum(), (y * y).sum(), (x * x).sum())


def test_cuped_absolute_with_fixed_theta_is_welch_on_adjusted_values() -> None:
    rng = np.random.default_rng(11)
    for n_t, n_c in ((5, 4), (300, 280)):
        xt, xc = rng.normal(10, 2, n_t), rng.normal(10, 2, n_c)
        yt, yc = 0.8 * xt + rng.normal(0.5, 1, n_t), 0.8 * xc + rng.normal(0, 1, n_c)
        r = cuped_lift_test(_cuped_sums(yt, xt), _cuped_sums(yc, xc), relative=False, theta=0.7)
        ref = stats.ttest_ind(yt - 0.7 * xt, yc - 0.7 * xc, equal_var=False)
        assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9)
        assert r.df == pytest.approx(ref.df, rel=1e-10)
        ci = ref.confidence_interval(0.95)
        assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_cuped_pooled_theta_is_the_slope_of_the_pooled_data() -> None:
    rng = np.random.default_rng(12)
    xt, xc = rng.normal(3, 1, 80), rng.normal(3, 1, 90)
    yt, yc = 2 * xt + rng.normal(0, 1, 80), 2 * xc + rng.normal(0, 1, 90)
    r = cuped_lift_test(_cuped_sums(yt, xt), _cuped_sums(yc, xc))
    x, y = np.r_[xt, xc], np.r_[yt, yc]
    assert r.theta == pytest.approx(stats.linregress(x, y).slope, rel=1e-10)
    assert r.se < lift_test(ArmSummary.from_values(yt), ArmSummary.from_values(yc)).se


def test_ratio_cuped_without_adjustment_is_the_ratio_delta_method() -> None:
    rng = np.random.default_rng(13)
    rows = {}
    for arm, n in (("t", 12), ("c", 9)):
        d = rng.integers(1, 5, size=n).astype(float)
        dq = rng.integers(1, 5, size=n).astype(float)
        rows[arm] = (d * rng.gamma(3, 2, n), d, dq * rng.gamma(3, 2, n), dq)
    t, c = (RatioCupedSummary.from_values(*rows[a]) for a in ("t", "c"))
    arms = [
        ArmSummary.from_ratio_sums(
            len(m), m.sum(), (m * m).sum(), d.sum(), (d * d).sum(), (m * d).sum()
        )
        for m, d, _, _ in (rows["t"], rows["c"])
    ]
    for relative in (True, False):
        r0 = ratio_cuped_lift_test(t, c, theta=0.0, relative=relative)
        ref = lift_test(arms[0], arms[1], relative=relative)
        assert (r0.estimate, r0.se, r0.df, r0.p_value) == pytest.approx(
            (ref.estimate, ref.se, ref.df, ref.p_value), rel=1e-10
        )


def test_errors_name_the_parameter() -> None:
    with pytest.raises(ParamsError, match="control"):
        lift_test(ArmSummary(10, 1.0, 1.0), ArmSummary(10, 0.0, 1.0))
    with pytest.raises(ParamsError, match="var"):
        ArmSummary(10, 1.0, -0.5)
    with pytest.raises(ParamsError, match="mean"):
        ArmSummary(10, math.nan, 1.0)
    with pytest.raises(ParamsError, match="method"):
        lift_test(ArmSummary(10, 1.0, 1.0), ArmSummary(10, 2.0, 1.0), method="student")
    with pytest.raises(ParamsError, match="alternative"):
        lift_test(ArmSummary(10, 1.0, 1.0), ArmSummary(10, 2.0, 1.0), alternative="two")  # type: ignore[arg-type]
    with pytest.raises(ParamsError, match="treatment"):
        lift_test((10, 1.0, 1.0), ArmSummary(10, 2.0, 1.0))  # type: ignore[arg-type]
    with pytest.raises(ParamsError, match="sum_y_sq"):
        cuped_lift_test(CupedSums(10, 5, 5, 3), CupedSums(10, 4, 5, 3))


# --------------------------------------------------------------------------------------------
# asymptotic confidence sequences
# --------------------------------------------------------------------------------------------
def test_two_sided_p_inverts_the_half_width() -> None:
    se, n = 0.04, 3000
    for est in (0.05, 0.12, 0.2):
        p = asymp_cs_pvalue(est, se, n)
        if p < 1:
            # with rho fixed by the design alpha, the sequence at level p has half-width |est|
            rho2 = confseq.asymp_cs_rho2(0.05)
            s2, nr = se * se * n, n * rho2 + 1
            h = math.sqrt(s2 * 2 * nr / (n * n * rho2) * math.log(math.sqrt(nr) / p))
            assert h == pytest.approx(est, rel=1e-10)
    assert asymp_cs_pvalue(0.0, se, n) == 1.0


def test_sequence_is_wider_than_the_fixed_interval_and_tightest_near_tuning() -> None:
    z = stats.norm.isf(0.025)
    grid = np.geomspace(50, 500_000, 400)
    mult = np.array([asymp_cs_halfwidth(1.0, n, tuning=5000) for n in grid])  # per unit SE
    assert np.all(mult > z)  # always wider than the fixed-horizon interval
    n_best = grid[int(np.argmin(mult))]
    assert 4000 < n_best < 6500  # tightest (per unit SE) at the tuning parameter
    n_best_600 = grid[int(np.argmin([asymp_cs_halfwidth(1.0, n, tuning=600) for n in grid]))]
    assert 480 < n_best_600 < 780


def test_type_one_error_under_continuous_monitoring() -> None:
    """A/A, normal data, 1,000 seeded trials, a look every 100 units up to 20,000: the share of
    trials whose sequence ever excludes 0 stays below alpha = 0.05 (+ Monte Carlo band
    3·sqrt(0.05·0.95/1000) ≈ 0.021), while the fixed 95% interval read at every look exceeds it."""
    rng = np.random.default_rng(5)
    looks = np.arange(100, 20_001, 100)
    n_trials = 1000
    seq_hits = fixed_hits = 0
    z = stats.norm.isf(0.025)
    for _ in range(n_trials):
        a = rng.normal(size=looks[-1] // 2)
        b = rng.normal(size=looks[-1] // 2)
        ca, cb = np.cumsum(a), np.cumsum(b)
        ca2, cb2 = np.cumsum(a * a), np.cumsum(b * b)
        k = looks // 2
        ma, mb = ca[k - 1] / k, cb[k - 1] / k
        va = (ca2[k - 1] - k * ma * ma) / (k - 1)
        vb = (cb2[k - 1] - k * mb * mb) / (k - 1)
        se = np.sqrt(va / k + vb / k)
        est = mb - ma
        h = np.array([asymp_cs_halfwidth(s, n) for s, n in zip(se, looks, strict=True)])
        seq_hits += bool(np.any(np.abs(est) > h))
        fixed_hits += bool(np.any(np.abs(est) > z * se))
    assert seq_hits / n_trials <= 0.05 + 0.021
    assert fixed_hits / n_trials > 0.15


def test_sequential_lift_uses_the_sequence() -> None:
    t, c = ArmSummary(3000, 1.05, 4.0), ArmSummary(3000, 1.0, 4.0)
    r = lift_test(t, c, relative=False, sequential_tuning=5000)
    h = asymp_cs_halfwidth(r.se, 6000, tuning=5000)
    assert (r.ci_low, r.ci_high) == pytest.approx((r.estimate - h, r.estimate + h))
    assert r.p_value == pytest.approx(asymp_cs_pvalue(r.estimate, r.se, 6000))
    assert "sequential" in r.method


# --------------------------------------------------------------------------------------------
# Gaussian Bayesian read-out
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("mu", "sigma"), [(0.1, 0.05), (-0.03, 0.2), (0.0, 1.0), (2.0, 0.01)])
def test_normal_risk_matches_numerical_integration(mu: float, sigma: float) -> None:
    pos, neg = normal_risk(mu, sigma)
    lo, hi = mu - 40 * sigma, mu + 40 * sigma
    pts = [0.0] if lo < 0 < hi else None
    ref_pos = integrate.quad(
        lambda d: max(d, 0) * stats.norm.pdf(d, mu, sigma), lo, hi, points=pts
    )[0]
    ref_neg = integrate.quad(
        lambda d: max(-d, 0) * stats.norm.pdf(d, mu, sigma), lo, hi, points=pts
    )[0]
    assert pos == pytest.approx(ref_pos, rel=1e-8, abs=1e-14)
    assert neg == pytest.approx(ref_neg, rel=1e-8, abs=1e-14)


def test_proper_prior_posterior_matches_numerical_bayes() -> None:
    est, se, m0, v0 = 0.08, 0.05, -0.02, 0.01
    post = gaussian_lift_posterior(est, se, prior_mean=m0, prior_variance=v0)

    def unnorm(d: float) -> float:
        return stats.norm.pdf(est, d, se) * stats.norm.pdf(d, m0, math.sqrt(v0))

    z = integrate.quad(unnorm, -2, 2)[0]
    mean = integrate.quad(lambda d: d * unnorm(d), -2, 2)[0] / z
    win = integrate.quad(unnorm, 0, 2)[0] / z
    assert post.mean == pytest.approx(mean, rel=1e-8)
    assert post.chance_to_win == pytest.approx(win, rel=1e-8)
    assert post.sd < se  # the prior adds information


def test_flat_prior_and_inverse_metric() -> None:
    post = gaussian_lift_posterior(0.03, 0.02)
    assert post.chance_to_win == pytest.approx(stats.norm.cdf(1.5))
    inv = gaussian_lift_posterior(0.03, 0.02, inverse=True)
    assert inv.chance_to_win == pytest.approx(1 - post.chance_to_win)
    assert (inv.risk_control, inv.risk_treatment) == (post.risk_treatment, post.risk_control)
    with pytest.raises(ParamsError, match="se"):
        gaussian_lift_posterior(0.1, 0.0)
    with pytest.raises(ParamsError, match="prior_variance"):
        gaussian_lift_posterior(0.1, 0.1, prior_variance=-1.0)


def test_sums_no_real_units_can_have_are_refused() -> None:
    # sum of squares below sum**2 / n: a negative variance
    with pytest.raises(ParamsError, match="negative variance of den") as err:
        ArmSummary.from_ratio_sums(10, 30.0, 100.0, 20.0, 30.0, 60.0)
    assert err.value.param == "num_sum_sq"
    # valid variances but a correlation beyond 1: sum of products too large
    with pytest.raises(ParamsError, match="correlation"):
        ArmSummary.from_ratio_sums(10, 30.0, 100.0, 20.0, 50.0, 200.0)
    with pytest.raises(ParamsError, match="sum_y_sq"):
        cuped_lift_test(
            CupedSums(10, 5.0, 5.0, 3.0, 2.0, 4.0), CupedSums(10, 4.0, 5.0, 3.0, 3.0, 4.0)
        )
    with pytest.raises(ParamsError, match="sum_y"):  # 12 conversions out of 10 units
        cuped_lift_test(CupedSums(10, 12, 5, 3, binary=True), CupedSums(10, 4, 5, 3, binary=True))
    m = np.array([1.0, 2.0, 3.0, 4.0])
    ok = RatioCupedSummary.from_values(m, m + 1, m * 2, m + 3)  # perfectly correlated: still valid
    assert np.linalg.eigvalsh(np.array(ok.cov)).min() > -1e-9
    sums = {"m_post": 10.0, "d_post": 14.0, "m_pre": 20.0, "d_pre": 22.0}
    sq = {"m_post": 30.0, "d_post": 54.0, "m_pre": 120.0, "d_pre": 126.0}
    cross = {
        ("m_post", "d_post"): 80.0,
        ("m_post", "m_pre"): 60.0,
        ("m_post", "d_pre"): 62.0,
        ("d_post", "m_pre"): 80.0,
        ("d_post", "d_pre"): 82.0,
        ("m_pre", "d_pre"): 120.0,
    }
    with pytest.raises(ParamsError, match="sums_sq"):
        RatioCupedSummary.from_sums(4, sums, sq, cross)
