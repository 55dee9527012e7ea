"""Tests of salesops_lib.stats.summaries: comparisons from engine-side summaries equal the
unit-level references (scipy, the unit-level functions of the kit) on the same units."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats.balance import balance_check
from salesops_lib.stats.means import bootstrap_diff_ci, mann_whitney
from salesops_lib.stats.summaries import (
    balance_check_from_stats,
    bucket_bootstrap_diff_ci,
    mann_whitney_from_ranks,
    welch_anova_from_stats,
)


def _ranks(xt: np.ndarray, xc: np.ndarray) -> tuple[float, int, int, float]:
    """Rank sum of xt in the pooled mid-ranking and the tie term, by scipy.stats.rankdata."""
    pooled = np.r_[xt, xc]
    r = stats.rankdata(pooled)
    _, t = np.unique(pooled, return_counts=True)
    return float(r[: xt.size].sum()), xt.size, xc.size, float(np.sum(t**3.0 - t))


class TestMannWhitneyFromRanks:
    @pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
    def test_zero_inflated_ties_equal_scipy(self, alternative):
        rng = np.random.default_rng(4)
        xt = np.where(rng.random(700) < 0.1, rng.lognormal(8, 1, 700).round(-2), 0.0)
        xc = np.where(rng.random(650) < 0.07, rng.lognormal(8, 1, 650).round(-2), 0.0)
        got = mann_whitney_from_ranks(*_ranks(xt, xc), alternative=alternative)
        ref = stats.mannwhitneyu(xt, xc, alternative=alternative)
        assert got.u == pytest.approx(ref.statistic, rel=1e-12)
        assert got.p_value == pytest.approx(ref.pvalue, rel=1e-10)
        assert got.method == "asymptotic"
        assert got.cles == pytest.approx(mann_whitney(xt, xc).cles, rel=1e-12)

    def test_small_samples_without_ties_use_the_exact_null(self):
        rng = np.random.default_rng(2)
        for n_t, n_c in ((5, 7), (3, 30), (8, 8)):
            xt, xc = rng.normal(0.5, 1, n_t), rng.normal(0, 1, n_c)
            got = mann_whitney_from_ranks(*_ranks(xt, xc))
            ref = mann_whitney(xt, xc)
            assert got.method == ref.method == "exact"
            assert got.p_value == pytest.approx(ref.p_value, rel=1e-12)
            assert got.u == ref.u

    def test_all_tied_and_bad_input(self):
        got = mann_whitney_from_ranks(*_ranks(np.zeros(5), np.zeros(9)))
        assert (got.p_value, got.cles, got.method) == (1.0, 0.5, "all tied")
        with pytest.raises(ParamsError, match="n_c"):
            mann_whitney_from_ranks(3.0, 2, 0, 0.0)


class TestBucketBootstrap:
    def test_one_unit_per_bucket_matches_unit_bootstrap(self):
        """Every unit its own bucket = the Poisson bootstrap of the units; against scipy's
        multinomial percentile bootstrap the endpoints differ by Monte Carlo error."""
        rng = np.random.default_rng(9)
        xt = rng.lognormal(1.0, 1.0, 600)
        xc = rng.lognormal(0.9, 1.0, 550)
        got = bucket_bootstrap_diff_ci(
            np.ones(xt.size), xt, np.ones(xc.size), xc, n_boot=4000, seed=3
        )
        ref = bootstrap_diff_ci(xt, xc, n_boot=20_000, seed=1, method="percentile")
        assert got.estimate == pytest.approx(xt.mean() - xc.mean(), rel=1e-12)
        assert got.se == pytest.approx(ref.se, rel=0.05)
        assert got.ci_low == pytest.approx(ref.ci_low, abs=0.15 * ref.se)
        assert got.ci_high == pytest.approx(ref.ci_high, abs=0.15 * ref.se)

    def test_buckets_of_many_units_keep_the_standard_error(self):
        """Random buckets of ~100 units: the bootstrap se equals the Welch standard error of
        the units (within the sqrt(2/G) error of the bucket variance)."""
        rng = np.random.default_rng(5)
        g = 2000
        xt = rng.exponential(3.0, 200_000)
        xc = rng.exponential(2.9, 190_000)

        def buckets(x):
            b = rng.integers(0, g, x.size)
            return np.bincount(b, minlength=g), np.bincount(b, weights=x, minlength=g)

        nt, st = buckets(xt)
        nc, sc = buckets(xc)
        got = bucket_bootstrap_diff_ci(nt, st, nc, sc, n_boot=2000, seed=0)
        se = np.sqrt(xt.var(ddof=1) / xt.size + xc.var(ddof=1) / xc.size)
        assert got.se == pytest.approx(se, rel=0.08)
        z = stats.norm.ppf(0.975)
        assert got.ci_low == pytest.approx(got.estimate - z * se, abs=0.2 * se)
        assert got.ci_high == pytest.approx(got.estimate + z * se, abs=0.2 * se)

    def test_reproducible_and_validated(self):
        a = bucket_bootstrap_diff_ci([1, 2, 3], [1.0, 4.0, 2.0], [2, 2], [3.0, 1.0], seed=7)
        b = bucket_bootstrap_diff_ci([1, 2, 3], [1.0, 4.0, 2.0], [2, 2], [3.0, 1.0], seed=7)
        assert a == b
        with pytest.raises(ParamsError, match="n_boot"):
            bucket_bootstrap_diff_ci([1, 1], [1.0, 2.0], [1, 1], [1.0, 2.0], n_boot=10)
        with pytest.raises(ParamsError, match="n_t"):
            bucket_bootstrap_diff_ci([1], [1.0, 2.0], [1, 1], [1.0, 2.0])


class TestBalanceFromStats:
    @staticmethod
    def _summ(x):
        return (float(x.mean()), float(x.std(ddof=1)), x.size)

    def test_three_arms_equal_unit_level(self):
        rng = np.random.default_rng(1)
        by = {
            "control": rng.normal(10, 3, 300),
            "a": rng.normal(10.4, 2.5, 280),
            "b": rng.normal(9.8, 3.5, 310),
        }
        ref = balance_check(by, control="control")
        got = balance_check_from_stats({k: self._summ(v) for k, v in by.items()}, control="control")
        assert got.statistic == pytest.approx(ref.statistic, rel=1e-10)
        assert got.p_value == pytest.approx(ref.p_value, rel=1e-10)
        for c in ("n", "mean", "sd", "smd", "welch_p"):
            np.testing.assert_allclose(
                got.table[c].to_numpy(float), ref.table[c].to_numpy(float), rtol=1e-10
            )
        assert got.balanced == ref.balanced
        f = stats.f_oneway(*by.values(), equal_var=False)
        assert welch_anova_from_stats({k: self._summ(v) for k, v in by.items()}) == pytest.approx(
            (f.statistic, f.pvalue), rel=1e-10
        )

    def test_two_arms_and_constant_covariate(self):
        rng = np.random.default_rng(2)
        by = {"c": rng.normal(0, 1, 50), "t": rng.normal(0.3, 1, 60)}
        ref = balance_check(by, control="c")
        got = balance_check_from_stats({k: self._summ(v) for k, v in by.items()}, control="c")
        assert (got.statistic, got.p_value) == pytest.approx((ref.statistic, ref.p_value))
        same = balance_check_from_stats({"c": (2.0, 0.0, 5), "t": (2.0, 0.0, 4)})
        assert (same.statistic, same.p_value, same.max_abs_smd) == (0.0, 1.0, 0.0)
        with pytest.raises(ParamsError, match="control"):
            balance_check_from_stats({"c": (1.0, 1.0, 5), "t": (1.0, 1.0, 5)}, control="x")
