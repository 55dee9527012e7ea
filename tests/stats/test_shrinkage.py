"""Tests for salesops_lib.stats.shrinkage: beta-binomial fit, shrunk rates, ranks, funnel limits."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import optimize, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats import shrinkage as SH
from salesops_lib.stats.shrinkage import (
    fit_beta_binomial,
    funnel_plot_limits,
    rank_intervals,
    shrink_rates,
)


def _loglik(a, b, x, n):
    return stats.betabinom.logpmf(x, n, a, b).sum()


@pytest.fixture(scope="module")
def simulated():
    # 3,000 units, 50-299 trials each, true prior Beta(4, 36) (mean 10%, M = 40)
    rng = np.random.default_rng(20240501)
    k = 3000
    n = rng.integers(50, 300, size=k)
    x = rng.binomial(n, rng.beta(4.0, 36.0, size=k))
    return x, n


def test_public_names():
    assert sorted(SH.__all__) == SH.__all__


class TestFitBetaBinomial:
    def test_mom_hand_equal_n(self):
        # x = 2, 5, 9 out of 10: mu = 16/30, raw rates .2 .5 .9
        mu = 16 / 30
        s2 = np.var([0.2, 0.5, 0.9], ddof=1)  # sample variance of the raw rates
        rho = (10 * s2 / (mu * (1 - mu)) - 1) / (10 - 1)
        m = 1 / rho - 1
        a, b = fit_beta_binomial([2, 5, 9], [10, 10, 10], method="mom")
        assert a == pytest.approx(mu * m, rel=1e-12)
        assert b == pytest.approx((1 - mu) * m, rel=1e-12)
        assert (round(a, 4), round(b, 4)) == (0.6802, 0.5952)

    def test_mom_hand_unequal_n(self):
        # Kleinman (1973) by hand: x = (1, 6, 3), n = (10, 20, 5)
        x, n = np.array([1, 6, 3.0]), np.array([10, 20, 5.0])
        big_n, k = n.sum(), 3
        mu = x.sum() / big_n
        s = np.sum(n * (x / n - mu) ** 2)
        rho = (s / (mu * (1 - mu)) - (k - 1)) / (big_n - np.sum(n**2) / big_n - (k - 1))
        m = 1 / rho - 1
        a, b = fit_beta_binomial(x, n, method="mom")
        assert rho > 0
        assert a == pytest.approx(mu * m, rel=1e-12)
        assert b == pytest.approx((1 - mu) * m, rel=1e-12)

    def test_mle_recovers_truth(self, simulated):
        x, n = simulated
        a, b = fit_beta_binomial(x, n)
        # Tolerance from the data: asymptotic SEs from the observed information (numerical
        # Hessian of the beta-binomial log-likelihood at the MLE); the truth must lie within
        # 4 SE (a 1-in-15,000 event for a correct estimator), and within 12% in any case.
        h = 1e-3
        th = np.log([a, b])

        def ll(t):
            return _loglik(np.exp(t[0]), np.exp(t[1]), x, n)

        hess = np.empty((2, 2))
        for i in range(2):
            for j in range(2):
                ei, ej = np.eye(2)[i] * h, np.eye(2)[j] * h
                hess[i, j] = (
                    ll(th + ei + ej) - ll(th + ei - ej) - ll(th - ei + ej) + ll(th - ei - ej)
                ) / (4 * h * h)
        se = np.sqrt(np.diag(np.linalg.inv(-hess)))  # on the log scale
        assert abs(np.log(a) - np.log(4.0)) < 4 * se[0]
        assert abs(np.log(b) - np.log(36.0)) < 4 * se[1]
        assert a == pytest.approx(4.0, rel=0.12) and b == pytest.approx(36.0, rel=0.12)
        # method of moments is consistent too, but less efficient
        am, bm = fit_beta_binomial(x, n, method="mom")
        assert am == pytest.approx(4.0, rel=0.2) and bm == pytest.approx(36.0, rel=0.2)

    def test_mle_is_the_maximum(self, simulated):
        # independent check with scipy.stats.betabinom and a derivative-free optimiser
        x, n = simulated[0][:120], simulated[1][:120]
        a, b = fit_beta_binomial(x, n)
        res = optimize.minimize(
            lambda t: -_loglik(np.exp(t[0]), np.exp(t[1]), x, n),
            x0=np.log([1.0, 10.0]),
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
        )
        ar, br = np.exp(res.x)
        assert a == pytest.approx(ar, rel=1e-6)
        assert b == pytest.approx(br, rel=1e-6)
        assert _loglik(a, b, x, n) >= -res.fun - 1e-8

    def test_small_sample_mle_vs_reference(self):
        x, n = np.array([2, 5, 9, 1, 7]), np.array([10, 12, 10, 8, 9])
        a, b = fit_beta_binomial(x, n)
        res = optimize.minimize(
            lambda t: -_loglik(np.exp(t[0]), np.exp(t[1]), x, n),
            x0=np.log([1.0, 1.0]),
            method="Nelder-Mead",
            options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 20000},
        )
        np.testing.assert_allclose([a, b], np.exp(res.x), rtol=1e-6)

    @pytest.mark.parametrize("method", ["mle", "mom"])
    def test_zero_between_unit_variance(self, method):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a, b = fit_beta_binomial([10, 10, 10, 10], [100, 100, 100, 100], method=method)
        # at M ~ 1e6 the log-likelihood is a difference of numbers ~1e5 (cancellation), so the
        # mean is pinned to ~1e-6 relative, far inside its standard error (~0.015)
        assert a / (a + b) == pytest.approx(0.1, rel=1e-5)
        assert a + b == pytest.approx(1e6, rel=1e-3)  # on the concentration bound
        a, b = fit_beta_binomial([10, 10], [100, 100], method=method, max_concentration=5e3)
        assert a + b == pytest.approx(5e3, rel=1e-3)

    @pytest.mark.parametrize("method", ["mle", "mom"])
    def test_degenerate(self, method):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a, b = fit_beta_binomial([0, 0, 0], [10, 20, 30], method=method)
            assert a > 0 and b > 0 and a / (a + b) == pytest.approx(0.5 / 61)
            a, b = fit_beta_binomial([5, 9], [5, 9], method=method)
            assert a > 0 and b > 0 and a / (a + b) > 0.9
            assert np.isnan(fit_beta_binomial([3], [10], method=method)).all()
            assert np.isnan(fit_beta_binomial([3, 0], [10, 0], method=method)).all()
            a, b = fit_beta_binomial([0, 1, 1, 0], [1, 1, 1, 1], method=method)  # n_i = 1
            assert a / (a + b) == pytest.approx(0.5, rel=1e-6)

    def test_trials_zero_units_ignored(self):
        a = fit_beta_binomial([2, 5, 9], [10, 12, 10])
        b = fit_beta_binomial([2, 0, 5, 9], [10, 0, 12, 10])
        assert a == pytest.approx(b, rel=1e-9)

    @pytest.mark.parametrize(
        "args,kwargs,param",
        [
            (([1, 2], [3]), {}, "trials"),
            (([4, 2], [3, 3]), {}, "successes"),
            (([-1, 2], [3, 3]), {}, "successes"),
            (([1, 2], [3, 3]), {"method": "em"}, "method"),
            (([1, 2], [3, 3]), {"max_concentration": 0}, "max_concentration"),
        ],
    )
    def test_bad(self, args, kwargs, param):
        with pytest.raises(ParamsError) as err:
            fit_beta_binomial(*args, **kwargs)
        assert err.value.param == param


class TestShrinkRates:
    def test_formula_with_given_prior(self):
        x, n = np.array([0, 3, 12, 0]), np.array([5, 10, 40, 0])
        df = shrink_rates(x, n, prior=(2.0, 18.0), alpha=0.1, labels=["a", "b", "c", "d"])
        assert list(df.columns) == [
            "label", "successes", "trials", "raw_rate", "shrunk_rate", "cred_low", "cred_high",
            "prior_alpha", "prior_beta",
        ]  # fmt: skip
        np.testing.assert_allclose(df["shrunk_rate"], (2 + x) / (20 + n), rtol=1e-14)
        np.testing.assert_allclose(df["cred_low"], stats.beta.ppf(0.05, 2 + x, 18 + n - x))
        np.testing.assert_allclose(df["cred_high"], stats.beta.ppf(0.95, 2 + x, 18 + n - x))
        assert np.isnan(df["raw_rate"].iloc[3])
        assert df["shrunk_rate"].iloc[3] == pytest.approx(0.1)  # no data: prior mean
        # shrinkage weight n / (a + b + n)
        w = 40 / (20 + 40)
        assert df["shrunk_rate"].iloc[2] == pytest.approx(w * 0.3 + (1 - w) * 0.1, rel=1e-14)
        assert (df["prior_alpha"] == 2.0).all() and (df["prior_beta"] == 18.0).all()

    def test_fitted_prior(self, simulated):
        x, n = simulated[0][:200], simulated[1][:200]
        df = shrink_rates(x, n, method="mle")  # plug-in ML (the default is hierarchical)
        a, b = fit_beta_binomial(x, n)
        assert df["prior_alpha"].iloc[0] == pytest.approx(a)
        np.testing.assert_allclose(df["shrunk_rate"], (a + x) / (a + b + n))
        # shrinkage pulls toward the prior mean: spread of shrunk < spread of raw
        assert df["shrunk_rate"].std() < df["raw_rate"].std()
        assert (
            (df["cred_low"] <= df["shrunk_rate"]) & (df["shrunk_rate"] <= df["cred_high"])
        ).all()
        mom = shrink_rates(x, n, method="mom")
        assert mom["prior_alpha"].iloc[0] == pytest.approx(fit_beta_binomial(x, n, method="mom")[0])

    def test_single_unit_nan(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            df = shrink_rates([3], [10])
        assert df["shrunk_rate"].isna().all() and df["raw_rate"].iloc[0] == 0.3

    def test_bad(self):
        with pytest.raises(ParamsError) as err:
            shrink_rates([1, 2], [3, 3], prior=(0, 1))
        assert err.value.param == "prior"
        with pytest.raises(ParamsError) as err:
            shrink_rates([1, 2], [3, 3], labels=["a"])
        assert err.value.param == "labels"


class TestRankIntervals:
    def test_ranks_and_reproducibility(self):
        x = [90, 50, 10, 3]
        n = [100, 100, 100, 10]
        df = rank_intervals(x, n, prior=(1.0, 1.0), draws=2000, seed=1, labels=list("abcd"))
        assert list(df.columns) == [
            "label", "successes", "trials", "shrunk_rate", "rank_median", "rank_low",
            "rank_high", "prob_top",
        ]  # fmt: skip
        assert df["rank_median"].tolist() == [1.0, 2.0, 4.0, 3.0]
        assert df.loc[0, "rank_low"] == 1 and df.loc[0, "rank_high"] == 1
        # the small unit (3/10) is uncertain: its interval spans ranks 2..4
        assert df.loc[3, "rank_low"] <= 2 and df.loc[3, "rank_high"] == 4
        assert df["prob_top"].sum() == pytest.approx(1.0)
        again = rank_intervals(x, n, prior=(1.0, 1.0), draws=2000, seed=1, labels=list("abcd"))
        assert df.equals(again)

    def test_matches_manual_simulation(self):
        x, n = np.array([5, 7, 2]), np.array([20, 20, 20])
        df = rank_intervals(x, n, prior=(1.0, 3.0), draws=500, seed=42)
        rng = np.random.default_rng(42)
        s = rng.beta(1.0 + x, 3.0 + n - x, size=(500, 3))
        ranks = stats.rankdata(-s, axis=1)
        np.testing.assert_array_equal(
            df["rank_low"], np.quantile(ranks, 0.025, axis=0, method="inverted_cdf")
        )
        np.testing.assert_array_equal(
            df["rank_median"], np.quantile(ranks, 0.5, axis=0, method="inverted_cdf")
        )

    def test_bad_draws(self):
        with pytest.raises(ParamsError) as err:
            rank_intervals([1, 2], [3, 3], draws=0)
        assert err.value.param == "draws"


class TestFunnelLimits:
    @pytest.mark.parametrize("p0", [0.02, 0.1, 0.35])
    def test_exact_uninterpolated_equals_binom_ppf(self, p0):
        n = np.array([1, 5, 20, 100, 1000, 25000])
        df = funnel_plot_limits(p0, n, levels=(0.95, 0.998), interpolate=False)
        assert list(df.columns) == ["n", "level", "low", "high"]
        assert len(df) == 2 * len(n)
        for level in (0.95, 0.998):
            sub = df[df["level"] == level]
            tail = (1 - level) / 2
            np.testing.assert_allclose(sub["low"], stats.binom.ppf(tail, n, p0) / n)
            np.testing.assert_allclose(sub["high"], stats.binom.ppf(1 - tail, n, p0) / n)

    @pytest.mark.parametrize("p0", [0.02, 0.1, 0.35])
    def test_exact_interpolated_hand(self, p0):
        n = np.array([5, 20, 100, 1000])
        df = funnel_plot_limits(p0, n, levels=(0.95,))
        for q, col in ((0.025, "low"), (0.975, "high")):
            r = stats.binom.ppf(q, n, p0)
            f_r, f_r1 = stats.binom.cdf(r, n, p0), stats.binom.cdf(r - 1, n, p0)
            expected = np.clip((r - (f_r - q) / (f_r - f_r1)) / n, 0, 1)
            np.testing.assert_allclose(df[col], expected, atol=1e-12)
            # interpolated limit lies within one step below the uninterpolated one
            assert ((df[col] <= r / n + 1e-12) & (df[col] >= (r - 1) / n - 1e-12)).all()

    def test_normal_approximation(self):
        n = np.array([10, 100, 1000])
        df = funnel_plot_limits(0.2, n, levels=(0.95,), method="normal")
        half = stats.norm.ppf(0.975) * np.sqrt(0.2 * 0.8 / n)
        np.testing.assert_allclose(df["low"], np.clip(0.2 - half, 0, 1), atol=1e-12)
        np.testing.assert_allclose(df["high"], 0.2 + half, atol=1e-12)
        # large n: exact and normal limits agree closely
        big = funnel_plot_limits(0.2, [100_000], levels=(0.95,))
        nb = funnel_plot_limits(0.2, [100_000], levels=(0.95,), method="normal")
        assert big["high"].iloc[0] == pytest.approx(nb["high"].iloc[0], abs=2e-4)

    def test_limits_narrow_with_n(self):
        df = funnel_plot_limits(0.1, np.arange(10, 2000, 10), levels=(0.998,))
        width = (df["high"] - df["low"]).to_numpy()
        assert width[-1] < width[0]
        assert (df["low"] <= 0.1).all() and (df["high"] >= 0.1).all()

    def test_degenerate(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            df = funnel_plot_limits(0.0, [0, 10])
            assert df["low"].isna().tolist() == [True, False, True, False]
            assert (df["high"].dropna() == 0).all() and (df["low"].dropna() == 0).all()
            df = funnel_plot_limits(1.0, [10])
            assert (df["low"] == 1).all() and (df["high"] == 1).all()

    @pytest.mark.parametrize(
        "kwargs,param",
        [
            ({"p0": 1.5, "n": [10]}, "p0"),
            ({"p0": 0.1, "n": [-1]}, "n"),
            ({"p0": 0.1, "n": [10], "levels": (95,)}, "levels"),
            ({"p0": 0.1, "n": [10], "method": "poisson"}, "method"),
        ],
    )
    def test_bad(self, kwargs, param):
        with pytest.raises(ParamsError) as err:
            funnel_plot_limits(**kwargs)
        assert err.value.param == param


class TestHierarchicalShrinkage:
    """Issue 12 fix 1: the default shrunk intervals integrate over the hyperparameters."""

    def test_reproduction_does_not_collapse(self):
        # plug-in MoM collapses to M = 1e6 (25.63-25.80%); the company rate alone is
        # uncertain over about 17-33% (Wilson on 27/105), so every rep's interval must be wider
        x, n = [5, 6, 4, 5, 7], [20, 22, 18, 21, 24]
        plug = shrink_rates(x, n, method="mom")
        assert (plug["cred_high"] - plug["cred_low"]).max() < 0.01  # the defect, still there
        df = shrink_rates(x, n)
        assert (df["cred_low"] < 0.20).all() and (df["cred_high"] > 0.30).all()
        zero = shrink_rates([0, 0, 0], [10, 12, 8])
        assert (zero["cred_high"] > 0.05).all() and (zero["cred_low"] >= 0).all()

    def test_agrees_with_plugin_when_dispersion_is_well_determined(self):
        # many units, large n: hyperparameter uncertainty is small, so the mixture is close to
        # the ML plug-in posterior
        rng = np.random.default_rng(3)
        n = np.full(60, 400)
        x = rng.binomial(n, rng.beta(6, 14, 60))
        hb = shrink_rates(x, n)
        ml = shrink_rates(x, n, method="mle")
        np.testing.assert_allclose(hb["shrunk_rate"], ml["shrunk_rate"], atol=0.004)
        np.testing.assert_allclose(hb["cred_low"], ml["cred_low"], atol=0.01)

    @pytest.mark.parametrize(
        ("k", "n_lo", "n_hi", "scenario"),
        [
            (8, 15, 60, "identical"),
            (5, 10, 40, "fixed_wide"),
            (12, 10, 200, "moderate"),
            (50, 10, 200, "wide"),
        ],
    )
    def test_coverage_simulation(self, k, n_lo, n_hi, scenario):
        # 60 replications per scenario (seeded); unit-level coverage of the 95% interval.
        # Monte Carlo band: with >= 300 unit-intervals (clustered by replication) the SE of the
        # coverage estimate is <= ~0.015 near 0.95, so a true coverage of 0.95 lies > 3 SE above
        # the 0.90 threshold (before the fix: 0.39-0.81 here).
        rng = np.random.default_rng(1200 + k)
        hits = []
        for _ in range(60):
            if scenario == "identical":
                p = np.full(k, 0.25)
            elif scenario == "fixed_wide":
                p = np.linspace(0.05, 0.7, k)
            elif scenario == "moderate":
                p = rng.beta(12.5, 37.5, k)
            else:
                p = rng.beta(1.5, 4.5, k)
            n = rng.integers(n_lo, n_hi + 1, k)
            x = rng.binomial(n, p)
            df = shrink_rates(x, n)
            hits.append(((df["cred_low"] <= p) & (p <= df["cred_high"])).mean())
        assert np.mean(hits) >= 0.90

    @pytest.mark.parametrize(
        ("k", "deals", "scenario"),
        [(5, 10, "identical"), (50, 200, "identical"), (5, 200, "wide"), (50, 10, "wide")],
    )
    def test_coverage_at_the_corners(self, k, deals, scenario):
        # the corners of the range: 5 and 50 reps, every rep with 10 or with 200 deals,
        # identical (25%) or widely different (Beta(1.5, 4.5)) true rates; 30 seeded
        # replications each. Measured with these seeds: 0.987, 1.000, 0.940, 0.951 (Monte Carlo
        # SE of each mean over replications: 0.009, 0.000, 0.020, 0.007); 0.90 is 2 SE below the
        # weakest corner (5 reps, 200 deals, wide) and 7 SE below the next
        rng = np.random.default_rng(1250 + k + deals)
        hits = []
        for _ in range(30):
            p = np.full(k, 0.25) if scenario == "identical" else rng.beta(1.5, 4.5, k)
            n = np.full(k, deals)
            x = rng.binomial(n, p)
            df = shrink_rates(x, n)
            hits.append(((df["cred_low"] <= p) & (p <= df["cred_high"])).mean())
        assert np.mean(hits) >= 0.90
