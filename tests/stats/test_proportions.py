"""Tests for salesops_lib.stats.proportions against statsmodels/scipy and hand computations."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from scipy import stats as scipy_stats
from scipy.stats import chi2_contingency, norm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from salesops_lib.errors import ParamsError
from salesops_lib.stats import proportions as P
from salesops_lib.stats.proportions import (
    adjust_pvalues,
    chi_square_homogeneity,
    jeffreys_interval,
    newcombe_diff_interval,
    pairwise_proportions,
    proportion_table,
    two_proportion_ztest,
    wilson_interval,
)

TOL = 1e-9


def _wilson_closed_form(x: float, n: float, z: float) -> tuple[float, float]:
    centre = (x + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * math.sqrt(x * (n - x) / n + z * z / 4)
    return centre - half, centre + half


def test_public_names():
    assert sorted(P.__all__) == P.__all__
    for name in P.__all__:
        assert hasattr(P, name)


class TestWilson:
    @pytest.mark.parametrize("x", [0, 3, 6])
    def test_hand_closed_form_n6(self, x):
        z = 1.959963984540054
        lo_ref, hi_ref = _wilson_closed_form(x, 6, z)
        lo, hi = wilson_interval(x, 6)
        assert isinstance(lo, float) and isinstance(hi, float)
        assert lo == pytest.approx(max(lo_ref, 0.0), abs=1e-12)
        assert hi == pytest.approx(min(hi_ref, 1.0), abs=1e-12)

    def test_hand_values(self):
        # 0/6: upper = z^2/(6+z^2) exactly; 3/6 symmetric about 0.5
        z2 = norm.isf(0.025) ** 2
        assert wilson_interval(0, 6) == (0.0, pytest.approx(z2 / (6 + z2), abs=1e-14))
        lo, hi = wilson_interval(6, 6)
        assert hi == 1.0 and lo == pytest.approx(6 / (6 + z2), abs=1e-14)
        lo, hi = wilson_interval(3, 6)
        assert lo + hi == pytest.approx(1.0, abs=1e-14)

    @pytest.mark.parametrize(
        "x,n,alpha",
        [(0, 1, 0.05), (1, 1, 0.05), (0, 6, 0.05), (6, 6, 0.05), (3, 6, 0.05), (7, 23, 0.1),
         (123, 4567, 0.01), (999, 1000, 0.05), (1, 100000, 0.2)],
    )  # fmt: skip
    def test_vs_statsmodels(self, x, n, alpha):
        lo, hi = wilson_interval(x, n, alpha=alpha)
        rlo, rhi = proportion_confint(x, n, alpha=alpha, method="wilson")
        assert lo == pytest.approx(rlo, abs=TOL)
        assert hi == pytest.approx(rhi, abs=TOL)

    def test_vectorised_and_zero_trials(self):
        x = np.array([0, 3, 6, 0, 40])
        n = np.array([6, 6, 6, 0, 100])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lo, hi = wilson_interval(x, n)
        assert lo.shape == (5,) and hi.shape == (5,)
        assert np.isnan(lo[3]) and np.isnan(hi[3])
        rlo, rhi = proportion_confint(x[[0, 1, 2, 4]], n[[0, 1, 2, 4]], method="wilson")
        np.testing.assert_allclose(lo[[0, 1, 2, 4]], rlo, atol=TOL)
        np.testing.assert_allclose(hi[[0, 1, 2, 4]], rhi, atol=TOL)
        assert np.isnan(wilson_interval(0, 0)[0])

    def test_broadcast_scalar_n(self):
        lo, _ = wilson_interval([1, 2], 10)
        assert lo.shape == (2,)

    @pytest.mark.parametrize(
        "kwargs,param",
        [
            ({"successes": -1, "trials": 5}, "successes"),
            ({"successes": 1, "trials": -5}, "trials"),
            ({"successes": 6, "trials": 5}, "successes"),
            ({"successes": [1, 2, 3], "trials": [5, 5]}, "successes"),
            ({"successes": float("nan"), "trials": 5}, "successes"),
            ({"successes": 1, "trials": 5, "alpha": 1.5}, "alpha"),
            ({"successes": 1, "trials": 5, "alpha": 0}, "alpha"),
        ],
    )
    def test_bad_arguments(self, kwargs, param):
        with pytest.raises(ParamsError) as err:
            wilson_interval(**kwargs)
        assert err.value.param == param


class TestNewcombe:
    @pytest.mark.parametrize(
        "x1,n1,x0,n0",
        [(0, 6, 0, 6), (6, 6, 0, 6), (0, 6, 6, 6), (6, 6, 6, 6), (3, 6, 1, 5), (56, 70, 48, 80),
         (9, 10, 3, 10), (5, 56, 0, 29), (120, 1000, 95, 1010), (1, 1, 0, 1)],
    )  # fmt: skip
    @pytest.mark.parametrize("alpha", [0.05, 0.1])
    def test_vs_statsmodels(self, x1, n1, x0, n0, alpha):
        d, lo, hi = newcombe_diff_interval(x1, n1, x0, n0, alpha=alpha)
        rlo, rhi = confint_proportions_2indep(
            x1, n1, x0, n0, method="newcomb", compare="diff", alpha=alpha
        )
        assert d == pytest.approx(x1 / n1 - x0 / n0, abs=1e-15)
        assert lo == pytest.approx(rlo, abs=TOL)
        assert hi == pytest.approx(rhi, abs=TOL)
        assert lo <= d <= hi

    def test_newcombe_1998_table_ii(self):
        # Newcombe (1998), Table II, method 10: 56/70 - 48/80 -> (0.0524, 0.3339)
        _, lo, hi = newcombe_diff_interval(56, 70, 48, 80)
        assert round(lo, 4) == 0.0524 and round(hi, 4) == 0.3339
        # 9/10 - 3/10 -> (0.1705, 0.8090)
        _, lo, hi = newcombe_diff_interval(9, 10, 3, 10)
        assert round(lo, 4) == 0.1705 and round(hi, 4) == 0.8090

    def test_zero_trials_nan(self):
        assert all(np.isnan(v) for v in newcombe_diff_interval(0, 0, 1, 5))

    def test_bad(self):
        with pytest.raises(ParamsError) as err:
            newcombe_diff_interval(4, 3, 1, 5)
        assert err.value.param == "x1"
        with pytest.raises(ParamsError) as err:
            newcombe_diff_interval(1, 3, 1, -5)
        assert err.value.param == "n0"
        with pytest.raises(ParamsError) as err:
            newcombe_diff_interval([1, 2], 3, 1, 5)
        assert err.value.param == "x1"


class TestZTest:
    @pytest.mark.parametrize(
        "x1,n1,x0,n0", [(30, 100, 20, 100), (1, 6, 5, 6), (120, 1000, 95, 1010), (0, 5, 1, 7)]
    )
    def test_vs_statsmodels(self, x1, n1, x0, n0):
        z, p = two_proportion_ztest(x1, n1, x0, n0)
        rz, rp = proportions_ztest([x1, x0], [n1, n0])
        assert z == pytest.approx(rz, abs=TOL)
        assert p == pytest.approx(rp, abs=TOL)

    def test_hand(self):
        # pooled 0.25, se = sqrt(.25*.75*(2/100)), z = 0.1/se
        z, p = two_proportion_ztest(30, 100, 20, 100)
        se = math.sqrt(0.25 * 0.75 * 0.02)
        assert z == pytest.approx(0.1 / se, abs=1e-12)
        assert p == pytest.approx(2 * norm.sf(0.1 / se), abs=1e-12)

    @pytest.mark.parametrize("args", [(0, 6, 0, 6), (6, 6, 9, 9)])
    def test_degenerate(self, args):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert two_proportion_ztest(*args) == (0.0, 1.0)

    def test_zero_trials(self):
        z, p = two_proportion_ztest(0, 0, 1, 3)
        assert np.isnan(z) and np.isnan(p)


class TestChiSquare:
    @pytest.mark.parametrize(
        "x,n",
        [([3, 5, 7], [10, 10, 12]), ([30, 20], [100, 100]), ([12, 40, 33, 9], [80, 200, 150, 30])],
    )
    def test_vs_scipy(self, x, n):
        res = chi_square_homogeneity(x, n)
        table = np.column_stack([x, np.subtract(n, x)])
        ref = chi2_contingency(table, correction=False)
        assert res.statistic == pytest.approx(ref.statistic, abs=TOL)
        assert res.p_value == pytest.approx(ref.pvalue, abs=TOL)
        assert res.dof == ref.dof
        assert res.min_expected == pytest.approx(ref.expected_freq.min(), abs=TOL)
        assert res.dropped == ()

    def test_two_groups_equals_z_squared(self):
        res = chi_square_homogeneity([30, 20], [100, 100])
        z, p = two_proportion_ztest(30, 100, 20, 100)
        assert res.statistic == pytest.approx(z * z, abs=1e-10)
        assert res.p_value == pytest.approx(p, abs=1e-10)

    def test_drops_empty_groups(self):
        res = chi_square_homogeneity([3, 0, 5, 7], [10, 0, 10, 12])
        ref = chi_square_homogeneity([3, 5, 7], [10, 10, 12])
        assert res.dropped == (1,)
        assert res.n_groups == 3
        assert res.statistic == pytest.approx(ref.statistic, abs=1e-14)
        assert res.to_frame().shape == (1, 6)

    def test_degenerate(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            res = chi_square_homogeneity([0, 0, 0], [5, 6, 7])
            assert (res.statistic, res.p_value, res.dof) == (0.0, 1.0, 2)
            one = chi_square_homogeneity([1, 0], [5, 0])
            assert np.isnan(one.statistic) and one.dof == 0 and one.dropped == (1,)

    def test_bad(self):
        with pytest.raises(ParamsError) as err:
            chi_square_homogeneity([1, 2], [3])
        assert err.value.param == "trials"
        with pytest.raises(ParamsError) as err:
            chi_square_homogeneity([1, 5], [3, 4])
        assert err.value.param == "successes"


P_SETS = [
    [0.01, 0.04, 0.03, 0.005, 0.2],
    [0.5],
    [0.001, 0.001, 0.02, 0.02, 0.9, 0.04, 0.6],
    list(np.random.default_rng(3).uniform(size=25) ** 3),
    [0.0, 1.0, 0.3],
]


class TestAdjust:
    @pytest.mark.parametrize("method", ["holm", "fdr_bh", "bonferroni"])
    @pytest.mark.parametrize("p", P_SETS)
    def test_vs_multipletests(self, p, method):
        ref = multipletests(p, method=method)[1]
        np.testing.assert_allclose(adjust_pvalues(p, method=method), ref, atol=1e-12)

    @pytest.mark.parametrize("method", ["holm", "fdr_bh", "bonferroni"])
    def test_nan_safe(self, method):
        p = np.array([0.01, np.nan, 0.04, 0.03, np.nan])
        out = adjust_pvalues(p, method=method)
        assert np.isnan(out[[1, 4]]).all()
        ref = multipletests(p[[0, 2, 3]], method=method)[1]
        np.testing.assert_allclose(out[[0, 2, 3]], ref, atol=1e-12)
        assert np.isnan(adjust_pvalues([np.nan], method=method)).all()
        assert adjust_pvalues([], method=method).shape == (0,)

    def test_hand_holm(self):
        # sorted .005 .01 .03 .04 .2 -> x5 .025, x4 .04, x3 .09, x2 .08->.09, x1 .2
        out = adjust_pvalues([0.01, 0.04, 0.03, 0.005, 0.2])
        np.testing.assert_allclose(out, [0.04, 0.09, 0.09, 0.025, 0.2], atol=1e-15)

    def test_bad(self):
        with pytest.raises(ParamsError) as err:
            adjust_pvalues([0.1], method="sidak")
        assert err.value.param == "method"
        with pytest.raises(ParamsError) as err:
            adjust_pvalues([1.2])
        assert err.value.param == "p"


class TestTables:
    def test_pairwise(self):
        labels = ["a", "b", "c", "d"]
        x = [30, 45, 12, 50]
        n = [100, 110, 90, 100]
        df = pairwise_proportions(labels, x, n, method="fdr_bh")
        assert list(df.columns) == [
            "group_a", "group_b", "rate_a", "rate_b", "diff", "ci_low", "ci_high",
            "p_value", "p_adjusted", "significant",
        ]  # fmt: skip
        assert len(df) == 6
        pairs = list(itertools.combinations(range(4), 2))
        for row, (i, j) in zip(df.itertuples(), pairs, strict=True):
            assert (row.group_a, row.group_b) == (labels[i], labels[j])
            rlo, rhi = confint_proportions_2indep(x[i], n[i], x[j], n[j], method="newcomb")
            assert row.ci_low == pytest.approx(rlo, abs=TOL)
            assert row.ci_high == pytest.approx(rhi, abs=TOL)
            assert row.diff == pytest.approx(x[i] / n[i] - x[j] / n[j], abs=1e-15)
            assert row.p_value == pytest.approx(
                proportions_ztest([x[i], x[j]], [n[i], n[j]])[1], abs=TOL
            )
        ref = multipletests(df["p_value"], method="fdr_bh")
        np.testing.assert_allclose(df["p_adjusted"], ref[1], atol=1e-12)
        assert (df["significant"].to_numpy() == ref[0]).all()

    def test_pairwise_bad(self):
        with pytest.raises(ParamsError) as err:
            pairwise_proportions(["a", "a"], [1, 2], [3, 4])
        assert err.value.param == "labels"
        with pytest.raises(ParamsError) as err:
            pairwise_proportions(["a", "b", "c"], [1, 2], [3, 4])
        assert err.value.param in {"labels", "successes"}

    def test_proportion_table(self):
        df = proportion_table(["x", "y", "z"], [0, 12, 0], [6, 40, 0], small_n=30)
        assert list(df.columns) == [
            "label", "successes", "trials", "rate", "ci_low", "ci_high", "small",
        ]  # fmt: skip
        assert df["small"].tolist() == [True, False, True]
        assert df["rate"].iloc[1] == pytest.approx(0.3)
        rlo, rhi = proportion_confint(12, 40, method="wilson")
        assert df["ci_low"].iloc[1] == pytest.approx(rlo, abs=TOL)
        assert df["ci_high"].iloc[1] == pytest.approx(rhi, abs=TOL)
        assert np.isnan(df["rate"].iloc[2]) and np.isnan(df["ci_low"].iloc[2])
        assert df["successes"].dtype.kind == "i"


class TestJeffreys:
    """Issue 12 fix 7: a small-sample interval with better pointwise coverage than Wilson."""

    def test_matches_statsmodels(self):
        # statsmodels keeps the Beta quantile at x = 0 and x = n; the kit sets 0 and 1 there
        # (Brown, Cai & DasGupta's modification), checked separately
        x = np.array([1, 2, 5, 20, 49])
        n = np.array([50, 100, 30, 40, 50])
        lo, hi = jeffreys_interval(x, n)
        ref_lo, ref_hi = proportion_confint(x, n, method="jeffreys")
        np.testing.assert_allclose(lo, ref_lo, atol=1e-12)
        np.testing.assert_allclose(hi, ref_hi, atol=1e-12)
        assert jeffreys_interval(3, 40) == pytest.approx(
            proportion_confint(3, 40, method="jeffreys")
        )

    def test_exact_pointwise_coverage_near_np_02(self):
        # exact binomial coverage (no Monte Carlo) over n*p in (0.02, 1], n = 50 and 100
        worst_w = worst_j = 1.0
        for n in (50, 100):
            k = np.arange(n + 1)
            wl, wh = wilson_interval(k, np.full(n + 1, n))
            jl, jh = jeffreys_interval(k, np.full(n + 1, n))
            for p in np.linspace(0.02, 1.0, 200) / n:
                pmf = scipy_stats.binom.pmf(k, n, p)
                worst_w = min(worst_w, pmf[(wl <= p) & (p <= wh)].sum())
                worst_j = min(worst_j, pmf[(jl <= p) & (p <= jh)].sum())
        assert worst_w < 0.85  # Wilson's dip (about 0.84 near n*p = 0.17)
        assert worst_j > 0.89  # Jeffreys' worst there is about 0.90


class TestTwoProportionInterval:
    """Difference, ratio and odds-ratio intervals for small samples (vector
    ``sm_small_sample_2prop_cis`` pins them against R PropCIs)."""

    @pytest.mark.parametrize(
        ("x1", "n1", "x0", "n0"), [(7, 34, 1, 34), (3, 10, 5, 12), (40, 400, 25, 410)]
    )
    def test_agresti_caffo_by_hand(self, x1: int, n1: int, x0: int, n0: int) -> None:
        p1, p0 = (x1 + 1) / (n1 + 2), (x0 + 1) / (n0 + 2)
        half = norm.isf(0.025) * math.sqrt(p1 * (1 - p1) / (n1 + 2) + p0 * (1 - p0) / (n0 + 2))
        est, lo, hi = P.two_proportion_interval(x1, n1, x0, n0, method="agresti-caffo")
        assert est == pytest.approx(x1 / n1 - x0 / n0)
        assert (lo, hi) == pytest.approx((p1 - p0 - half, p1 - p0 + half), rel=1e-12)

    def test_newcombe_is_the_kits_own(self) -> None:
        assert P.two_proportion_interval(
            7, 34, 1, 34, method="newcombe"
        ) == P.newcombe_diff_interval(7, 34, 1, 34)

    def test_score_ratio_interval_inverts_the_score_test(self) -> None:
        # Koopman: the limits are where the score chi-square of H0: p1 / p0 = r equals z^2
        x1, n1, x0, n0 = 7, 34, 1, 34
        _, lo, hi = P.two_proportion_interval(x1, n1, x0, n0, compare="ratio", correction=False)

        def score_stat(r: float) -> float:
            # constrained MLE of p0 under p1 = r p0 (Miettinen & Nurminen 1985, eq. 7)
            a = r * (n1 + n0)
            b = -(r * (x0 + n1) + x1 + n0)
            c = x1 + x0
            p0 = (-b - math.sqrt(b * b - 4 * a * c)) / (2 * a)
            p1 = r * p0
            v = p1 * (1 - p1) / n1 + r * r * p0 * (1 - p0) / n0
            return (x1 / n1 - r * x0 / n0) ** 2 / v

        z2 = norm.isf(0.025) ** 2
        assert score_stat(lo) == pytest.approx(z2, rel=1e-5)
        assert score_stat(hi) == pytest.approx(z2, rel=1e-5)

    def test_bad_arguments(self) -> None:
        with pytest.raises(ParamsError, match="method"):
            P.two_proportion_interval(1, 10, 2, 10, compare="ratio", method="wald")
        with pytest.raises(ParamsError, match="compare"):
            P.two_proportion_interval(1, 10, 2, 10, compare="lift")  # type: ignore[arg-type]
        with pytest.raises(ParamsError, match="x1"):
            P.two_proportion_interval(11, 10, 2, 10)
