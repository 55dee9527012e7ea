"""Tests for salesops_lib.stats.survival: Kaplan–Meier, quantile CIs, log-rank."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from salesops_lib.errors import ParamsError
from salesops_lib.stats import survival as S
from salesops_lib.stats.survival import kaplan_meier, logrank_test

matplotlib.use("agg")

# Freireich et al. (1963) / Gehan (1965) 6-MP leukaemia remission data (weeks); * = censored.
MP_T = np.array([6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35.0])
MP_E = np.array([1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
PLACEBO_T = np.array([1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23.0])
PLACEBO_E = np.ones(21, dtype=int)


def _scipy_km(t, e):
    data = stats.CensoredData.right_censored(np.asarray(t, float), np.asarray(e) == 0)
    return stats.ecdf(data).sf


def test_public_names():
    assert sorted(S.__all__) == S.__all__


class TestKaplanMeierTextbook:
    def test_6mp_published_values(self):
        # Kaplan-Meier table for the 6-MP arm (e.g. Kleinbaum & Klein, Survival Analysis, ch. 2)
        km = kaplan_meier(MP_T, MP_E)
        published = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378,
                     23: 0.4482}  # fmt: skip
        for t, s in published.items():
            assert km.survival_at(t) == pytest.approx(s, abs=5e-5)
        tab = km.table.set_index("time")
        assert tab.loc[6.0, "at_risk"] == 21 and tab.loc[6.0, "events"] == 3
        assert tab.loc[6.0, "censored"] == 1
        assert tab.loc[32.0, "censored"] == 2
        assert km.n == 21 and km.n_events == 9
        assert km.median()[0] == 23.0
        # exact products: S(6) = 18/21, S(7) = 18/21 * 16/17
        assert km.survival_at(6) == pytest.approx(18 / 21, abs=1e-14)
        assert km.survival_at(7) == pytest.approx(18 / 21 * 16 / 17, abs=1e-14)

    def test_greenwood_hand(self):
        # Greenwood at t=7: G = 3/(21*18) + 1/(17*16); log-log CI by hand
        km = kaplan_meier(MP_T, MP_E)
        s = 18 / 21 * 16 / 17
        g = 3 / (21 * 18) + 1 / (17 * 16)
        z = stats.norm.isf(0.025)
        lo = s ** np.exp(-z * np.sqrt(g) / np.log(s))
        hi = s ** np.exp(z * np.sqrt(g) / np.log(s))
        row = km.table.set_index("time").loc[7.0]
        assert row["ci_low"] == pytest.approx(lo, abs=1e-12)
        assert row["ci_high"] == pytest.approx(hi, abs=1e-12)


def _cases():
    rng = np.random.default_rng(11)
    t = rng.integers(1, 30, size=80).astype(float)
    e = (rng.uniform(size=80) < 0.6).astype(int)
    return [
        (MP_T, MP_E),
        (PLACEBO_T, PLACEBO_E),
        (np.array([1.0, 2, 2, 3, 4, 5]), np.array([0, 1, 1, 0, 1, 1])),  # S reaches 0
        (np.array([2.0, 3, 3, 5, 8]), np.array([1, 1, 0, 1, 0])),  # censored at the last time
        (t, e),
    ]


class TestKaplanMeierVsReferences:
    @pytest.mark.parametrize("case", range(5))
    def test_vs_scipy_ecdf(self, case):
        t, e = _cases()[case]
        km = kaplan_meier(t, e)
        sf = _scipy_km(t, e)
        tab = km.table
        np.testing.assert_allclose(tab["time"], sf.quantiles)
        np.testing.assert_allclose(tab["survival"], sf.probabilities, atol=1e-12)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # scipy warns where S is 0 or 1
            ci = sf.confidence_interval(0.95, method="log-log")
        ok = (tab["survival"] > 0) & (tab["survival"] < 1)
        np.testing.assert_allclose(tab["ci_low"][ok], ci.low.probabilities[ok], atol=1e-9)
        np.testing.assert_allclose(tab["ci_high"][ok], ci.high.probabilities[ok], atol=1e-9)
        assert (tab.loc[tab["survival"] >= 1, ["ci_low", "ci_high"]] == 1.0).all().all()
        assert tab.loc[tab["survival"] <= 0, ["ci_low", "ci_high"]].isna().all().all()

    @pytest.mark.parametrize("case", range(5))
    @pytest.mark.parametrize("q", [0.1, 0.25, 0.5, 0.75])
    @pytest.mark.parametrize("alpha", [0.05, 0.2])
    def test_quantile_vs_statsmodels(self, case, q, alpha):
        t, e = _cases()[case]
        km = kaplan_meier(t, e, alpha=alpha)
        sf = SurvfuncRight(t, e)
        est, lo, hi = km.quantile(q)
        ref = sf.quantile(q)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            rlo, rhi = sf.quantile_ci(q, alpha=alpha, method="cloglog")
        # statsmodels uses S < 1-q (SAS), we use S <= 1-q (R): equal unless S hits 1-q exactly
        if not (est == ref or (np.isnan(est) and np.isnan(ref))):
            assert km.survival_at(est) == pytest.approx(1 - q, abs=1e-12)
        np.testing.assert_equal(lo, rlo)
        np.testing.assert_equal(hi, np.nan if np.isinf(rhi) else rhi)

    def test_vs_statsmodels_survival_and_se(self):
        t, e = _cases()[4]
        km = kaplan_meier(t, e)
        sf = SurvfuncRight(t, e)
        tab = km.table[km.table["events"] > 0]
        np.testing.assert_allclose(tab["time"], sf.surv_times)
        np.testing.assert_allclose(tab["survival"], sf.surv_prob, atol=1e-12)
        np.testing.assert_allclose(tab["at_risk"], sf.n_risk)


class TestKaplanMeierEdgeCases:
    def test_quantile_exact_tie_uses_le(self):
        # S = 0.5 exactly at t = 2: median is 2 with <= (R convention)
        km = kaplan_meier([1, 2, 3, 4], [0, 1, 1, 0])
        assert km.survival_at(2) == pytest.approx(2 / 3)
        km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
        assert km.survival_at(2) == 0.5
        assert km.median()[0] == 2.0

    def test_ties_events_and_censoring_same_time(self):
        km = kaplan_meier([3, 3, 3, 5], [1, 0, 1, 1])
        row = km.table.iloc[0]
        assert (row["at_risk"], row["events"], row["censored"]) == (4, 2, 1)
        assert km.survival_at(3) == 0.5
        assert km.survival_at(5) == 0.0

    def test_censored_at_last_time(self):
        km = kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
        assert km.table["survival"].iloc[-1] > 0
        assert km.survival_at(8) == km.table["survival"].iloc[-1]
        assert np.isnan(km.survival_at(9))  # beyond follow-up: unknown
        assert km.cumulative_at(2) == pytest.approx(0.2)

    def test_curve_reaching_zero(self):
        km = kaplan_meier([1, 2, 3], [1, 1, 1])
        assert km.survival_at(100) == 0.0
        assert km.cumulative_at(100) == 1.0
        assert km.median()[0] == 2.0

    def test_all_censored_median_not_reached(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            km = kaplan_meier([3, 5, 8, 8], [0, 0, 0, 0])
            est, lo, hi = km.median()
            assert np.isnan(est) and np.isnan(lo) and np.isnan(hi)
            assert (km.table["survival"] == 1.0).all()
            assert km.n_events == 0 and km.n == 4

    def test_median_not_reached_with_events(self):
        km = kaplan_meier(MP_T[:12], np.r_[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        assert np.isnan(km.median()[0])

    def test_empty(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            km = kaplan_meier([], [])
            assert km.n == 0 and km.n_events == 0
            assert np.isnan(km.median()[0])
            assert np.isnan(km.survival_at(3))
            assert list(km.table.columns) == [
                "time", "at_risk", "events", "censored", "survival", "ci_low", "ci_high",
            ]  # fmt: skip
            km = kaplan_meier([1, 2], [1, 0], weights=[0, 0])
            assert km.n == 0

    def test_vectorised_queries(self):
        km = kaplan_meier(MP_T, MP_E)
        out = km.survival_at(np.array([0.0, 6.0, 36.0]))
        assert out.shape == (3,)
        assert out[0] == 1.0 and np.isnan(out[2])
        np.testing.assert_allclose(km.cumulative_at([6.0, 7.0]), 1 - km.survival_at([6.0, 7.0]))
        assert isinstance(km.survival_at(6), float)

    def test_ci_at(self):
        km = kaplan_meier(MP_T, MP_E)
        tab = km.table.set_index("time")
        s, lo, hi = km.survival_ci_at(7.5)
        assert (s, lo, hi) == tuple(tab.loc[7.0, ["survival", "ci_low", "ci_high"]])
        assert km.survival_ci_at(1.0) == (1.0, 1.0, 1.0)
        c, clo, chi = km.cumulative_ci_at(np.array([7.0, 40.0]))
        assert c[0] == pytest.approx(1 - tab.loc[7.0, "survival"])
        assert clo[0] == pytest.approx(1 - tab.loc[7.0, "ci_high"])
        assert chi[0] == pytest.approx(1 - tab.loc[7.0, "ci_low"])
        assert np.isnan([c[1], clo[1], chi[1]]).all()


class TestWeights:
    @pytest.mark.parametrize("case", range(5))
    def test_weights_equal_expanded_rows(self, case):
        t, e = _cases()[case]
        agg = {}
        for ti, ei in zip(t, e, strict=True):
            agg[(ti, ei)] = agg.get((ti, ei), 0) + 1
        keys = list(agg)
        rng = np.random.default_rng(case)
        rng.shuffle(keys)
        ta = np.array([k[0] for k in keys])
        ea = np.array([k[1] for k in keys])
        wa = np.array([agg[k] for k in keys])
        full = kaplan_meier(t, e)
        weighted = kaplan_meier(ta, ea, weights=wa)
        np.testing.assert_allclose(
            full.table.to_numpy(dtype=float), weighted.table.to_numpy(dtype=float), atol=1e-14
        )
        assert full.median() == pytest.approx(weighted.median(), nan_ok=True)
        assert full.quantile(0.25) == pytest.approx(weighted.quantile(0.25), nan_ok=True)

    def test_zero_weight_rows_ignored(self):
        a = kaplan_meier([1, 2, 3], [1, 0, 1])
        b = kaplan_meier([1, 2, 3, 4], [1, 0, 1, 1], weights=[1, 1, 1, 0])
        np.testing.assert_allclose(a.table.to_numpy(float), b.table.to_numpy(float))

    def test_logrank_weights_equal_expanded(self):
        t = np.r_[MP_T, PLACEBO_T]
        e = np.r_[MP_E, PLACEBO_E]
        g = np.r_[["6-MP"] * 21, ["placebo"] * 21]
        keys, counts = np.unique(
            np.column_stack([t, e, g == "placebo"]), axis=0, return_counts=True
        )
        gk = np.where(keys[:, 2] == 1, "placebo", "6-MP")
        full = logrank_test(t, e, g)
        agg = logrank_test(keys[:, 0], keys[:, 1], gk, weights=counts)
        assert agg == pytest.approx(full, rel=1e-12)


class TestLogrank:
    def test_6mp_vs_placebo_published(self):
        # classic result: chi-square 16.79 on 1 df (e.g. Kleinbaum & Klein, ch. 2)
        t = np.r_[MP_T, PLACEBO_T]
        e = np.r_[MP_E, PLACEBO_E]
        g = np.r_[np.zeros(21), np.ones(21)]
        stat, p = logrank_test(t, e, g)
        assert round(stat, 2) == 16.79
        rstat, rp = survdiff(t, e, g)
        assert stat == pytest.approx(rstat, abs=1e-9)
        assert p == pytest.approx(rp, abs=1e-12)

    @pytest.mark.parametrize("k", [2, 3, 4])
    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_vs_statsmodels_k_groups(self, k, seed):
        rng = np.random.default_rng(seed)
        n = 25 * k
        g = rng.integers(0, k, size=n)
        t = rng.exponential(10 * (1 + 0.3 * g)).round()  # ties on purpose
        c = rng.exponential(20, size=n).round()
        e = (t <= c).astype(int)
        d = np.minimum(t, c)
        stat, p = logrank_test(d, e, g)
        rstat, rp = survdiff(d, e, g)
        assert stat == pytest.approx(rstat, rel=1e-9, abs=1e-10)
        assert p == pytest.approx(rp, rel=1e-9, abs=1e-12)

    def test_string_groups_small(self):
        stat, p = logrank_test([1, 2, 3, 4], [1, 1, 0, 1], ["a", "b", "a", "b"])
        rstat, rp = survdiff(
            np.array([1, 2, 3, 4.0]), np.array([1, 1, 0, 1]), np.array([0, 1, 0, 1])
        )
        assert stat == pytest.approx(rstat, abs=1e-12) and p == pytest.approx(rp, abs=1e-12)

    def test_degenerate(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert logrank_test([1, 2, 3], [0, 0, 0], [0, 1, 1]) == (0.0, 1.0)
            stat, p = logrank_test([1, 2, 3], [1, 0, 1], ["a", "a", "a"])
            assert np.isnan(stat) and np.isnan(p)

    def test_bad(self):
        with pytest.raises(ParamsError) as err:
            logrank_test([1, 2], [1, 0], [0])
        assert err.value.param == "groups"


class TestValidationAndDisplay:
    @pytest.mark.parametrize(
        "args,kwargs,param",
        [
            (([1, -2], [1, 0]), {}, "durations"),
            (([1, 2], [1, 2]), {}, "events"),
            (([1, 2], [1]), {}, "events"),
            (([1, 2], [1, 0]), {"weights": [1, -1]}, "weights"),
            (([1, 2], [1, 0]), {"weights": [1.5, 1]}, "weights"),
            (([1, 2], [1, 0]), {"weights": [1]}, "weights"),
            (([1, np.nan], [1, 0]), {}, "durations"),
            (([1, 2], [1, 0]), {"alpha": 2}, "alpha"),
        ],
    )
    def test_bad_arguments(self, args, kwargs, param):
        with pytest.raises(ParamsError) as err:
            kaplan_meier(*args, **kwargs)
        assert err.value.param == param

    def test_bad_q(self):
        km = kaplan_meier(MP_T, MP_E)
        with pytest.raises(ParamsError) as err:
            km.quantile(1.0)
        assert err.value.param == "q"

    def test_frame_html_plot(self):
        import matplotlib.pyplot as plt

        km = kaplan_meier(MP_T, MP_E)
        df = km.to_frame()
        df.loc[0, "survival"] = -1
        assert km.table.loc[0, "survival"] > 0  # a copy
        html = km._repr_html_()
        assert "<table" in html and "median 23" in html
        ax = km.plot()
        assert ax.get_lines()
        ax2 = kaplan_meier([1, 2], [0, 0]).plot(ax=ax, cumulative=True, label="x")
        assert ax2 is ax
        plt.close("all")
        assert "not reached" in kaplan_meier([1, 2], [0, 0])._repr_html_()
