"""Tests of salesops_lib.stats.means against scipy and statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats import rates as sm_rates
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from salesops_lib.errors import ParamsError
from salesops_lib.stats import means as mn
from salesops_lib.stats.counts import compare_counts, poisson_rate_ratio
from salesops_lib.stats.cuped import cuped_adjust, cuped_compare, cuped_compare_from_stats
from salesops_lib.stats.means import (
    bootstrap_diff_ci,
    mann_whitney,
    welch_test,
    welch_test_from_stats,
    winsorize_pooled,
)

TOL = 1e-6


def test_all_sorted_and_defined() -> None:
    assert mn.__all__ == sorted(mn.__all__)
    assert all(hasattr(mn, n) for n in mn.__all__)


@pytest.fixture
def samples() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    return rng.lognormal(3.0, 1.0, 300), rng.lognormal(2.9, 1.1, 280)


class TestWelch:
    @pytest.mark.parametrize("n", [6, 50, 300])
    def test_matches_scipy_and_statsmodels(self, n: int) -> None:
        rng = np.random.default_rng(n)
        xt, xc = rng.normal(1.0, 2.0, n), rng.normal(0.0, 1.0, n + 3)
        r = welch_test(xt, xc, alpha=0.1)
        ref = stats.ttest_ind(xt, xc, equal_var=False)
        ci = ref.confidence_interval(0.9)
        assert r.t == pytest.approx(ref.statistic, abs=TOL)
        assert r.p_value == pytest.approx(ref.pvalue, abs=TOL)
        assert r.df == pytest.approx(ref.df, abs=TOL)
        assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), abs=TOL)
        cm = CompareMeans(DescrStatsW(xt), DescrStatsW(xc))
        assert (r.ci_low, r.ci_high) == pytest.approx(
            cm.tconfint_diff(alpha=0.1, usevar="unequal"), abs=TOL
        )

    @pytest.mark.parametrize("n", [3, 6, 300])
    @pytest.mark.parametrize("alternative", ["greater", "less"])
    def test_one_sided_matches_scipy(self, n: int, alternative: str) -> None:
        rng = np.random.default_rng(n + 1)
        xt, xc = rng.normal(0.5, 2.0, n), rng.normal(0.0, 1.0, n + 2)
        r = welch_test(xt, xc, alternative=alternative)  # type: ignore[arg-type]
        ref = stats.ttest_ind(xt, xc, equal_var=False, alternative=alternative)
        ci = ref.confidence_interval(0.95)
        assert r.p_value == pytest.approx(ref.pvalue, abs=TOL)
        assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), abs=TOL)
        two = welch_test(xt, xc)
        assert r.p_value == pytest.approx(
            two.p_value / 2 if (r.t > 0) == (alternative == "greater") else 1 - two.p_value / 2
        )
        with pytest.raises(ParamsError) as err:
            welch_test(xt, xc, alternative="two")  # type: ignore[arg-type]
        assert err.value.param == "alternative"

    def test_from_stats_equals_arrays(self, samples: tuple) -> None:
        xt, xc = samples
        a = welch_test(xt, xc)
        b = welch_test_from_stats(
            xt.mean(), xt.std(ddof=1), xt.size, xc.mean(), xc.std(ddof=1), xc.size
        )
        assert a == b

    def test_constant_arms(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            same = welch_test([3.0] * 6, [3.0] * 6)
            diff = welch_test([4.0] * 6, [3.0] * 6)
        assert same.p_value == 1.0 and same.ci_low == same.ci_high == 0.0
        assert diff.p_value == 0.0 and diff.ci_low == diff.ci_high == 1.0

    @pytest.mark.parametrize(
        ("xt", "xc", "param"),
        [([1.0], [1.0, 2.0], "x_t"), ([1.0, np.nan], [1.0, 2.0], "x_t"), ([1.0, 2.0], [], "x_c")],
    )
    def test_bad_input(self, xt: list, xc: list, param: str) -> None:
        with pytest.raises(ParamsError) as err:
            welch_test(xt, xc)
        assert err.value.param == param


class TestBootstrap:
    @pytest.mark.parametrize("method", ["percentile", "bca", "basic"])
    def test_matches_scipy_bootstrap(self, samples: tuple, method: str) -> None:
        xt, xc = samples
        r = bootstrap_diff_ci(xt, xc, n_boot=2_000, method=method, seed=3)

        def diff(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
            return a.mean(axis=axis) - b.mean(axis=axis)

        ref = stats.bootstrap(
            (xt, xc), diff, n_resamples=2_000, method=method, rng=np.random.default_rng(3)
        )
        assert (r.ci_low, r.ci_high) == pytest.approx(tuple(ref.confidence_interval), abs=TOL)
        assert r.estimate == pytest.approx(xt.mean() - xc.mean())

    def test_percentile_close_to_welch(self) -> None:
        rng = np.random.default_rng(8)
        xt, xc = rng.normal(1, 1, 2_000), rng.normal(0.9, 1, 2_000)
        r = bootstrap_diff_ci(xt, xc, method="percentile", n_boot=4_000)
        w = welch_test(xt, xc)
        assert r.ci_low == pytest.approx(w.ci_low, abs=0.006)
        assert r.ci_high == pytest.approx(w.ci_high, abs=0.006)
        assert r.se == pytest.approx(w.se, rel=0.05)

    def test_median_and_reproducible(self, samples: tuple) -> None:
        xt, xc = samples
        a = bootstrap_diff_ci(xt, xc, stat="median", n_boot=500)
        assert a == bootstrap_diff_ci(xt, xc, stat="median", n_boot=500)
        assert a.estimate == pytest.approx(np.median(xt) - np.median(xc))
        assert a.ci_low < a.estimate < a.ci_high

    def test_degenerate(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            r = bootstrap_diff_ci([2.0] * 6, [1.0] * 6, n_boot=200)
        assert r.ci_low == r.ci_high == 1.0


def test_winsorize_pooled() -> None:
    xt = np.array([1.0, 2, 3, 4, 1000])
    xc = np.array([1.0, 2, 3, 4, 5])
    at, ac, cap = winsorize_pooled(xt, xc, upper_pct=90)
    assert cap == pytest.approx(np.percentile(np.r_[xt, xc], 90))  # 0.1 of the way 5 -> 1000
    assert cap == pytest.approx(5 + 0.1 * 995)
    assert at.max() == cap and ac.max() == 5.0
    assert np.array_equal(at[:4], xt[:4])
    with pytest.raises(ParamsError) as err:
        winsorize_pooled(xt, xc, upper_pct=0)
    assert err.value.param == "upper_pct"


class TestMannWhitney:
    def test_matches_scipy_and_brute_force_cles(self) -> None:
        rng = np.random.default_rng(1)
        xt, xc = rng.integers(0, 10, 40).astype(float), rng.integers(0, 8, 35).astype(float)
        r = mann_whitney(xt, xc)
        ref = stats.mannwhitneyu(xt, xc, alternative="two-sided")
        assert r.u == pytest.approx(ref.statistic) and r.p_value == pytest.approx(
            ref.pvalue, abs=TOL
        )
        pairs = (xt[:, None] > xc[None, :]).mean() + 0.5 * (xt[:, None] == xc[None, :]).mean()
        assert r.cles == pytest.approx(pairs, abs=TOL)
        assert r.rank_biserial == pytest.approx(2 * pairs - 1, abs=TOL)

    def test_small_exact(self) -> None:
        r = mann_whitney([1.0, 2, 3, 4, 5, 6], [7.0, 8, 9, 10, 11, 12])
        assert r.method == "exact" and r.cles == 0.0
        assert r.p_value == pytest.approx(2 / 924, abs=TOL)  # 2 / C(12, 6)

    def test_all_tied(self) -> None:
        r = mann_whitney([0.0] * 6, [0.0] * 6)
        assert r.p_value == 1.0 and r.cles == 0.5


class TestCuped:
    @staticmethod
    def data(seed: int = 9, n_t: int = 400, n_c: int = 380) -> tuple[np.ndarray, ...]:
        rng = np.random.default_rng(seed)
        xt, xc = rng.gamma(2.0, 50.0, n_t), rng.gamma(2.0, 50.0, n_c)
        yt = 20 + 0.8 * xt + rng.normal(0, 40, n_t) + 8
        yc = 20 + 0.8 * xc + rng.normal(0, 40, n_c)
        return yt, xt, yc, xc

    @pytest.mark.parametrize("cov_type", ["nonrobust", "HC1"])
    def test_equals_ols_regression_adjustment(self, cov_type: str) -> None:
        yt, xt, yc, xc = self.data()
        r = cuped_compare(yt, xt, yc, xc, cov_type=cov_type)
        y, x = np.r_[yt, yc], np.r_[xt, xc]
        d = np.r_[np.ones(yt.size), np.zeros(yc.size)]
        fit = sm.OLS(y, np.column_stack([np.ones(y.size), d, x])).fit(cov_type=cov_type, use_t=True)
        assert r.diff == pytest.approx(fit.params[1], abs=TOL)
        assert r.theta == pytest.approx(fit.params[2], abs=TOL)
        assert r.se == pytest.approx(fit.bse[1], rel=TOL)
        assert r.p_value == pytest.approx(fit.pvalues[1], abs=TOL)
        assert (r.ci_low, r.ci_high) == pytest.approx(tuple(fit.conf_int()[1]), rel=TOL)
        assert r.df == fit.df_resid

    def test_variance_reduction(self) -> None:
        yt, xt, yc, xc = self.data()
        r = cuped_compare(yt, xt, yc, xc)
        y = np.r_[yt, yc]
        arm = np.r_[np.ones(yt.size), np.zeros(yc.size)]
        y_adj, theta = cuped_adjust(y, np.r_[xt, xc], arm)
        assert theta == pytest.approx(r.theta)

        # within-arm variances before and after adjustment
        def within(v: np.ndarray) -> float:
            return sum(((v[arm == g] - v[arm == g].mean()) ** 2).sum() for g in (0, 1))

        assert r.variance_reduction == pytest.approx(1 - within(y_adj) / within(y), abs=TOL)
        assert y_adj[arm == 1].mean() - y_adj[arm == 0].mean() == pytest.approx(r.diff, abs=TOL)
        assert r.se < r.se_unadjusted
        assert 0.3 < r.variance_reduction < 0.9

    def test_from_sufficient_statistics(self) -> None:
        yt, xt, yc, xc = self.data(n_t=6, n_c=7)

        def summ(y: np.ndarray, x: np.ndarray) -> tuple:
            c = np.cov(x, y)  # what an engine's var_samp / covar_samp return
            return (y.size, y.mean(), x.mean(), c[1, 1], c[0, 0], c[0, 1])

        a = cuped_compare(yt, xt, yc, xc)
        b = cuped_compare_from_stats(summ(yt, xt), summ(yc, xc))
        for k, v in a.to_dict().items():
            if isinstance(v, str):
                assert getattr(b, k) == v
                continue
            assert getattr(b, k) == pytest.approx(v, rel=1e-9, abs=1e-12), k
        with pytest.raises(ParamsError) as err:
            cuped_compare_from_stats((1, 0.0, 0.0, 1.0, 1.0, 0.0), summ(yc, xc))
        assert err.value.param == "stats_t"

    def test_constant_covariate_is_plain_t_test(self) -> None:
        yt, _, yc, _ = self.data(n_t=6, n_c=6)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            r = cuped_compare(yt, np.ones(6), yc, np.ones(6))
            h = cuped_compare(yt, np.ones(6), yc, np.zeros(6), cov_type="HC1")  # x = arm
        ref = stats.ttest_ind(yt, yc)  # pooled-variance Student t-test
        assert r.theta == 0.0 and r.diff == pytest.approx(yt.mean() - yc.mean())
        assert r.t == pytest.approx(ref.statistic, abs=TOL)
        assert r.p_value == pytest.approx(ref.pvalue, abs=TOL)
        assert r.se == pytest.approx(r.se_unadjusted) and r.df == 10
        fit = sm.OLS(np.r_[yt, yc], sm.add_constant(np.r_[np.ones(6), np.zeros(6)])).fit(
            cov_type="HC1"
        )
        assert h.se == pytest.approx(fit.bse[1], rel=TOL)

    def test_labels(self) -> None:
        with pytest.raises(ParamsError) as err:
            cuped_adjust([1.0, 2, 3, 4], [1.0, 2, 3, 4], ["a", "b", "a", "b"])
        assert err.value.param == "treatment"
        y_adj, _ = cuped_adjust([1.0, 2, 3, 4], [1.0, 2, 3, 5], ["a", "b", "a", "b"], treatment="b")
        assert y_adj.shape == (4,)


class TestCounts:
    def test_poisson_matches_statsmodels(self) -> None:
        r = poisson_rate_ratio(60, 400, 40, 410)
        t = sm_rates.test_poisson_2indep(60, 400, 40, 410, method="score")
        lo, hi = sm_rates.confint_poisson_2indep(60, 400, 40, 410, method="score", compare="ratio")
        assert r.p_value == pytest.approx(t.pvalue, abs=TOL)
        assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), rel=TOL)
        assert r.rate_ratio == pytest.approx((60 / 400) / (40 / 410))

    def test_zero_events(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            both = poisson_rate_ratio(0, 6, 0, 6)
            one = poisson_rate_ratio(0, 6, 4, 6)
        assert both.p_value == 1.0 and both.ci_low == 0 and both.ci_high == np.inf
        assert one.ci_low == 0.0 and np.isfinite(one.ci_high) and 0 <= one.p_value <= 1

    def test_compare_counts(self) -> None:
        rng = np.random.default_rng(2)
        ct = rng.negative_binomial(2, 0.4, 300)
        cc = rng.negative_binomial(2, 0.45, 300)
        r = compare_counts(ct, cc)
        assert r.p_value == pytest.approx(stats.ttest_ind(ct, cc, equal_var=False).pvalue, abs=TOL)
        assert r.overdispersed
        assert r.rate_ratio == pytest.approx(ct.mean() / cc.mean())
        with pytest.raises(ParamsError) as err:
            compare_counts([-1, 2], [1, 2])
        assert err.value.param == "counts_t"


class TestWelchNonFiniteAndSign:
    """Issue 12 fixes 4 and 7 (rel_lift): no silent p-value for NaN/inf; lift keeps diff's sign."""

    @pytest.mark.parametrize(
        ("args", "name"),
        [
            ((np.nan, 1, 50, 0.3, 1, 50), "mean_t"),
            ((0.3, 1, 50, np.inf, 1, 50), "mean_c"),
            ((0.3, np.nan, 50, 0.3, 1, 50), "sd_t"),
        ],
    )
    def test_non_finite_raises_naming_the_argument(self, args, name):
        with pytest.raises(ParamsError, match=name):
            mn.welch_test_from_stats(*args)

    def test_rel_lift_sign_with_negative_baseline(self):
        res = mn.welch_test_from_stats(-1.0, 1, 50, -2.0, 1, 50)
        assert res.diff == pytest.approx(1.0)
        assert res.rel_lift == pytest.approx(0.5)  # +1 on a baseline of magnitude 2
        assert mn.welch_test_from_stats(3.0, 1, 50, 2.0, 1, 50).rel_lift == pytest.approx(0.5)


def test_bootstrap_fallback_is_labelled_truthfully():
    # issue 12 fix 7: a constant arm makes BCa undefined; the label must say what was used
    res = mn.bootstrap_diff_ci(np.ones(20), np.ones(20), n_boot=500, seed=1)
    assert res.method == "degenerate (no variation)"
    assert res.ci_low == res.ci_high == 0.0
    ok = mn.bootstrap_diff_ci(
        np.random.default_rng(1).normal(size=40), np.random.default_rng(2).normal(size=40)
    )
    assert ok.method == "bca"
