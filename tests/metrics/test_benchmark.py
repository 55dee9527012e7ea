"""Tests of salesops_lib.metrics.benchmark against hand counts and independent references."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from salesops_lib.errors import DataValidationError, ParamsError, SourceError
from salesops_lib.metrics._benchmark_stats import (
    active_selling_days,
    coefficient_of_variation,
    gini,
    poisson_rate_interval,
    prob_above,
    ramp_factor,
    ramped_quota,
    value_rate_interval,
)
from salesops_lib.metrics.benchmark import (
    UNKNOWN_REP,
    attainment_distribution,
    benchmark_reps,
    load_benchmarks,
)

TS = pd.Timestamp
D = dt.date


def _quiet(**kw):
    """Run benchmark_reps, capturing the warnings it raises on purpose."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = benchmark_reps(**kw)
    ours = [w for w in caught if "reps` table" in str(w.message)]
    return res, ours


@pytest.fixture
def tiny() -> dict[str, pd.DataFrame]:
    """Three reps, eight deals, hand-countable. R9 owns a deal but is not in `reps`."""
    reps = pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R3"],
            "name": ["Ann", "Bob", "Cy"],
            "team": ["A", "A", "B"],
            "region": ["NA", "NA", "EMEA"],
            "territory": ["T1", "T1", "T2"],
            "hired_at": [TS("2020-01-01"), TS("2026-02-16"), TS("2020-01-01")],
            "left_at": [pd.NaT, pd.NaT, TS("2026-03-31")],
        }
    )
    opps = pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(1, 9)],
            "created_at": [TS("2025-12-01"), TS("2026-01-10"), TS("2026-02-01"),
                           TS("2026-03-01"), TS("2026-04-01"), TS("2026-01-05"),
                           TS("2026-02-20"), TS("2026-03-03")],
            "owner_id": ["R1", "R1", "R1", "R1", "R2", "R3", "R3", "R9"],
            "stage": ["Closed Won", "Closed Lost", "Closed Won", "Negotiation", "Closed Won",
                      "Closed Lost", "Closed Won", "Closed Won"],
            "is_closed": [True, True, True, False, True, True, True, True],
            "is_won": [True, False, True, False, True, False, True, True],
            "amount": [100.0, 200.0, 300.0, 400.0, 50.0, 80.0, 120.0, 10.0],
            "close_date": [D(2026, 1, 15), D(2026, 2, 10), D(2026, 3, 3), D(2026, 7, 30),
                           D(2026, 5, 1), D(2026, 2, 4), D(2026, 3, 22), D(2026, 4, 2)],
        }
    )
    acts = pd.DataFrame(
        {
            "activity_id": [f"T{i}" for i in range(6)],
            "owner_id": ["R1", "R1", "R1", "R2", "R3", "R3"],
            "type": ["call", "email", "meeting", "call", "call", "other"],
            "occurred_at": [TS("2026-01-05 10:00"), TS("2026-01-06"), TS("2026-05-05"),
                            TS("2026-03-01"), TS("2026-02-02"), TS("2025-12-31")],
        }
    )
    quotas = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R2", "R2", "R3", "R3"],
            "period_start": [D(2026, 1, 1), D(2026, 4, 1)] * 3,
            "period_end": [D(2026, 3, 31), D(2026, 6, 30)] * 3,
            "amount": [300.0, 300.0, 200.0, 200.0, 300.0, 300.0],
        }
    )
    leads = pd.DataFrame(
        {
            "lead_id": ["L1", "L2", "L3", "L4"],
            "created_at": [TS("2026-01-02")] * 4,
            "owner_id": ["R1", "R2", "R3", "R1"],
            "territory": ["T1", "T1", "T2", None],
        }
    )
    return {"reps": reps, "opportunities": opps, "activities": acts, "quotas": quotas,
            "leads": leads}


PERIOD = {"period_start": "2026-01-01", "period_end": "2026-06-30",
          "as_of": "2026-06-30 23:59:59"}


class TestHandCounted:
    def test_counts_rates_and_unknown_rep(self, tiny):
        res, warned = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        # closed in period: R1 O1 (Jan 15), O2, O3; O4 closes after as_of (open)
        assert r.loc["R1", ["closed", "won", "lost"]].tolist() == [3, 2, 1]
        assert r.loc["R2", ["closed", "won"]].tolist() == [1, 1]
        assert r.loc["R3", ["closed", "won"]].tolist() == [2, 1]
        assert r.loc["R1", "win_rate"] == pytest.approx(2 / 3)
        assert r.loc["R1", "win_rate_value"] == pytest.approx(400 / 600)
        assert r.loc["R1", "won_amount"] == 400
        assert r.loc["R1", "avg_won_amount"] == pytest.approx(200)
        # created in period: O2, O3, O4 (O1 was created in Dec 2025)
        assert r.loc["R1", "opps_created"] == 3
        assert r.loc["R1", "pipeline_generated"] == 900
        assert r.loc["R1", "open_deals"] == 1 and r.loc["R1", "open_pipeline"] == 400
        # the R9 deal is kept, grouped as Unknown rep, and warned about
        assert r.loc[UNKNOWN_REP, "closed"] == 1 and r.loc[UNKNOWN_REP, "won_amount"] == 10
        assert res.company["closed"] == 7 and res.company["won"] == 5
        assert res.unknown_owners == ["R9"]
        assert len(warned) == 1 and "R9" in str(warned[0].message)
        assert res.warnings and "R9" in res.warnings[0]
        assert "Unknown rep" in " ".join(res.summary())
        assert pd.isna(r.loc[UNKNOWN_REP, "rank"])  # never ranked

    def test_wilson_intervals_match_statsmodels(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps
        lo, hi = proportion_confint(r["won"], r["closed"], alpha=0.05, method="wilson")
        np.testing.assert_allclose(r["ci_low"], lo, atol=1e-10)
        np.testing.assert_allclose(r["ci_high"], hi, atol=1e-10)

    def test_active_days_and_activity_rates(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        # Jan 22 + Feb 20 + Mar 22 + Apr 22 + May 21 + Jun 22 working days
        assert r.loc["R1", "active_days"] == 129
        assert r.loc["R2", "active_days"] == 97  # hired Mon 16 Feb: 10 in Feb + 87
        assert r.loc["R3", "active_days"] == 64  # left 31 Mar
        assert r.loc["R1", "activities"] == 3
        assert r.loc["R3", "activities"] == 1  # the 31 Dec 'other' is outside the period
        assert r.loc["R1", "activities_per_day"] == pytest.approx(3 / 129)
        assert r.loc["R1", "calls_per_day"] == pytest.approx(1 / 129)
        assert r.loc["R1", "meetings_per_day"] == pytest.approx(1 / 129)
        # team A pools activities and days: (3 + 1) / (129 + 97)
        t = res.teams.set_index("team")
        assert t.loc["A", "activities_per_day"] == pytest.approx(4 / 226)
        assert t.loc["A", "win_rate"] == pytest.approx(3 / 4)

    def test_cycle_median_is_censoring_aware(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        # R1 deals created in period: 31 d (event), 30 d (event), open (censored at 121 d).
        # KM: S(30) = 2/3, S(31) = 1/3 -> median 31. Dropping the open deal would give 30.5.
        assert r.loc["R1", "cycle_median_days"] == 31

    def test_quota_prorated_and_ramped(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        assert r.loc["R1", "quota_adjusted"] == pytest.approx(600)
        # R3 left 31 Mar: Q1 in full, nothing of Q2
        assert r.loc["R3", "quota_adjusted"] == pytest.approx(300)
        # R2 hired 16 Feb. Q1 (90 days): 16 Feb-15 Mar (28 d) at 25%, 16-31 Mar (16 d) at 50%.
        # Q2 (91 days): 1-15 Apr at 50%, 16 Apr-15 May at 75%, 16 May-30 Jun (46 d) at 100%.
        q1 = 200 * (28 * 0.25 + 16 * 0.5) / 90
        q2 = 200 * (15 * 0.5 + 30 * 0.75 + 46 * 1.0) / 91
        assert r.loc["R2", "quota_adjusted"] == pytest.approx(q1 + q2)
        assert r.loc["R2", "quota_attainment"] == pytest.approx(50 / (q1 + q2))
        assert bool(r.loc["R2", "ramping"]) and not bool(r.loc["R3", "ramping"])
        # quota_basis="adjusted": stored quotas used as they are
        res2, _ = _quiet(source=tiny, min_closed=1, quota_basis="adjusted", **PERIOD)
        assert res2.reps.set_index("rep_id").loc["R2", "quota_adjusted"] == pytest.approx(400)

    def test_results_payload(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, benchmarks=[{
            "metric": "win_rate", "value": 0.2, "unit": "share", "definition": "won/closed",
            "source": "illustrative placeholder", "year": 2025}], **PERIOD)
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        need = {"rep_id", "name", "team", "closed", "won", "win_rate", "ci_low", "ci_high",
                "shrunk_win_rate", "won_amount", "avg_won_amount", "cycle_median_days",
                "activities_per_day", "quota_attainment"}
        assert need <= set(out["reps"][0])
        assert {"team", "closed", "won", "win_rate", "ci_low", "ci_high"} <= set(out["teams"][0])
        ext = [b for b in out["benchmarks"] if b["kind"] == "external"]
        assert ext[0]["metric"] == "win_rate" and ext[0]["benchmark"] == 0.2
        assert ext[0]["value"] == pytest.approx(5 / 7)
        assert {"metric", "value", "benchmark", "benchmark_source"} <= set(ext[0])

    def test_overlapping_quotas_error_names_rep_and_periods(self, tiny):
        q = tiny["quotas"]
        tiny["quotas"] = pd.concat([q, pd.DataFrame({
            "rep_id": ["R2"], "period_start": [D(2026, 3, 1)], "period_end": [D(2026, 5, 31)],
            "amount": [100.0]})], ignore_index=True)
        with pytest.raises(DataValidationError) as err:
            _quiet(source=tiny, **PERIOD)
        msg = str(err.value)
        assert "quotas" in msg and "R2" in msg and "2026-03-01" in msg and "overlap" in msg
        assert err.value.n_failing == 2

    def test_missing_reps_table_is_a_source_error(self, tiny):
        del tiny["reps"]
        with pytest.raises(SourceError, match="reps"):
            benchmark_reps(tiny, **PERIOD)

    def test_bad_parameters(self, tiny):
        with pytest.raises(ParamsError, match="level"):
            benchmark_reps(tiny, level="galaxy", **PERIOD)
        with pytest.raises(ParamsError, match="period_end"):
            benchmark_reps(tiny, period_start="2026-06-01", period_end="2026-01-01",
                           as_of="2026-06-30")
        with pytest.raises(ParamsError, match="quota_basis"):
            benchmark_reps(tiny, quota_basis="ramped", **PERIOD)


class TestHelpers:
    def test_active_selling_days(self):
        # Mon 5 Jan - Fri 16 Jan 2026: 10 working days
        assert active_selling_days(None, None, start=D(2026, 1, 5), end=D(2026, 1, 16)) == 10
        assert active_selling_days(TS("2026-01-12"), None, start=D(2026, 1, 5),
                                   end=D(2026, 1, 16)) == 5
        assert active_selling_days(None, TS("2026-01-06"), start=D(2026, 1, 5),
                                   end=D(2026, 1, 16)) == 2
        assert active_selling_days(TS("2027-01-01"), None, start=D(2026, 1, 5),
                                   end=D(2026, 1, 16)) == 0

    def test_ramp_factor_and_quota(self):
        sched = (0.25, 0.5, 0.75)
        h = TS("2026-01-15")
        assert ramp_factor(h, D(2026, 1, 14), sched) == 0.0
        assert ramp_factor(h, D(2026, 2, 14), sched) == 0.25
        assert ramp_factor(h, D(2026, 2, 15), sched) == 0.5
        assert ramp_factor(h, D(2026, 4, 15), sched) == 1.0
        # full quota row inside the period, employed throughout
        assert ramped_quota(900, quota_start=D(2026, 1, 1), quota_end=D(2026, 3, 31),
                            start=D(2025, 1, 1), end=D(2026, 12, 31)) == pytest.approx(900)
        # period covers January only: 31 of 90 days
        assert ramped_quota(900, quota_start=D(2026, 1, 1), quota_end=D(2026, 3, 31),
                            start=D(2026, 1, 1), end=D(2026, 1, 31)) == pytest.approx(310)

    def test_gini_and_cv_by_hand(self):
        # sum over ordered pairs |xi - xj| = 20; 2 n^2 mean = 80
        assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
        assert gini([5, 5, 5]) == pytest.approx(0.0)
        assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n-1)/n for one holder
        assert coefficient_of_variation([1, 2, 3, 4]) == pytest.approx(np.sqrt(1.25) / 2.5)
        assert np.isnan(gini([3]))

    def test_poisson_interval_matches_chi2_formula(self):
        k = np.array([0, 3, 57, 1200])
        e = np.array([10.0, 129.0, 64.0, 250.0])
        lo, hi = poisson_rate_interval(k, e)
        ref_lo = np.where(k > 0, sps.chi2.ppf(0.025, 2 * k) / 2 / e, 0.0)
        ref_hi = sps.chi2.ppf(0.975, 2 * k + 2) / 2 / e
        np.testing.assert_allclose(lo, ref_lo, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(hi, ref_hi, rtol=1e-8)

    def test_value_rate_interval_matches_wls_hc0(self):
        import statsmodels.api as sm

        rng = np.random.default_rng(3)
        amounts = rng.lognormal(10, 1, size=80)
        won = rng.random(80) < 0.3
        r, lo, hi = value_rate_interval(
            amounts[won].sum(), amounts.sum(), (amounts[won] ** 2).sum(),
            (amounts[~won] ** 2).sum())
        # the weighted mean of y with weights a, and its HC0 (sandwich) standard error
        fit = sm.WLS(won.astype(float), np.ones(80), weights=amounts).fit(cov_type="HC0")
        se = float(fit.bse[0])
        assert float(r) == pytest.approx(float(fit.params[0]))
        assert float(lo) == pytest.approx(max(0.0, fit.params[0] - 1.959963984540054 * se))
        assert float(hi) == pytest.approx(fit.params[0] + 1.959963984540054 * se)

    def test_prob_above(self):
        # Beta(3, 5) posterior after 2 of 6 under a Beta(1, 1) prior
        p = prob_above([2], [6], 0.4, prior=(1.0, 1.0))
        assert p[0] == pytest.approx(sps.beta.sf(0.4, 3, 5))

    def test_attainment_distribution(self):
        a = attainment_distribution([0.5, 0.8, 1.0, 1.3, np.nan])
        assert a["n_at_or_above"].tolist() == [3, 2, 1]
        assert a["n_reps"].tolist() == [4, 4, 4]
        lo, hi = proportion_confint([3, 2, 1], 4, method="wilson")
        np.testing.assert_allclose(a["ci_low"], lo)
        np.testing.assert_allclose(a["ci_high"], hi)


class TestBenchmarksFile:
    def test_entry_without_source_or_definition(self, tmp_path):
        f = tmp_path / "ext.yaml"
        f.write_text("benchmarks:\n  - metric: win_rate\n    value: 0.2\n    unit: share\n"
                     "    definition: won over closed\n    year: 2025\n")
        with pytest.raises(ParamsError) as err:
            load_benchmarks(f)
        assert "benchmarks.0 (win_rate)" in str(err.value) and "`source`" in str(err.value)
        with pytest.raises(ParamsError, match="definition"):
            load_benchmarks([{"metric": "win_rate", "value": 0.2, "unit": "share",
                              "definition": " ", "source": "x", "year": 2025}])

    def test_unknown_metric_and_bad_value(self):
        base = {"value": 0.2, "unit": "share", "definition": "d", "source": "s", "year": 2025}
        with pytest.raises(ParamsError, match="not a benchmarking metric"):
            load_benchmarks([{**base, "metric": "happiness"}])
        with pytest.raises(ParamsError, match="value"):
            load_benchmarks([{**base, "metric": "win_rate", "value": "a lot"}])

    def test_shipped_file_is_valid_and_illustrative(self):
        from pathlib import Path

        path = Path(__file__).resolve().parents[2] / "params" / "benchmarks" / "external.yaml"
        b = load_benchmarks(path)
        assert len(b) >= 3
        assert b["source"].str.lower().str.contains("illustrative placeholder").all()


@pytest.fixture(scope="module")
def demo_res(demo_db):
    res, warned = _quiet(source=demo_db, period_start="2024-10-01", period_end="2026-09-30",
                         quota_basis="adjusted")
    assert not warned
    return res


class TestDemoTruth:
    """The planted rep skills and the overloaded territory are recovered from the demo."""

    def test_top_and_bottom_reps(self, demo_res, demo_truth):
        res = demo_res
        ranked = res.ranked_reps
        rec = set(res.recognition.loc[res.recognition["metric"] == "win_rate", "rep_id"])
        assert set(demo_truth["top_reps"]) <= rec
        coach = set(res.coaching.loc[res.coaching["metric"] == "win_rate", "rep_id"])
        assert not (coach & set(demo_truth["top_reps"]))
        assert not (rec & set(demo_truth["bottom_reps"]))
        ref = res.company["reference_win_rate"]
        low = ranked.set_index("rep_id").loc[demo_truth["bottom_reps"]]
        assert (low["shrunk_win_rate"] < ref).all()
        # bottom reps sit in the lowest fifth of the shrunk leaderboard
        lowest = set(ranked.nsmallest(max(5, len(ranked) // 5), "shrunk_win_rate")["rep_id"])
        assert set(demo_truth["bottom_reps"]) <= lowest
        true = ranked["rep_id"].map({k: v["true_win_rate"] for k, v in demo_truth["reps"].items()})
        rho = sps.spearmanr(ranked["shrunk_win_rate"], true).statistic
        assert rho > 0.5

    def test_overloaded_territory(self, demo_res, demo_truth):
        bal = demo_res.balance
        over = bal.loc[bal["status"] == "overloaded", "territory"].tolist()
        assert over == [demo_truth["territories"]["overloaded"]]
        assert bal.iloc[0]["territory"] == demo_truth["territories"]["overloaded"]

    def test_shrinkage_is_the_closed_form_beta_binomial(self, demo_res):
        """Kleinman's moment estimator by hand; posterior mean (a + x) / (a + b + n)."""
        r = demo_res.ranked_reps
        x = r["won"].to_numpy(float)
        n = r["closed"].to_numpy(float)
        k, big_n = len(x), n.sum()
        mu = x.sum() / big_n
        s = np.sum(n * (x / n - mu) ** 2)
        rho = (s / (mu * (1 - mu)) - (k - 1)) / (big_n - np.sum(n**2) / big_n - (k - 1))
        m = 1 / rho - 1
        a, b = mu * m, (1 - mu) * m
        assert demo_res.company["prior_alpha"] == pytest.approx(a, rel=1e-8)
        assert demo_res.company["prior_beta"] == pytest.approx(b, rel=1e-8)
        np.testing.assert_allclose(r["shrunk_win_rate"], (a + x) / (a + b + n), rtol=1e-10)
        np.testing.assert_allclose(r["shrunk_low"], sps.beta.ppf(0.025, a + x, b + n - x),
                                   rtol=1e-8)
        # shrinkage pulls towards the pooled rate and never past it
        raw = x / n
        assert np.all(np.abs(r["shrunk_win_rate"] - mu) <= np.abs(raw - mu) + 1e-12)

    def test_groups_pool_rep_counts(self, demo_res):
        reps = demo_res.reps
        t = demo_res.teams.set_index("team")
        sums = reps.groupby("team")[["closed", "won"]].sum()
        for team, row in sums.iterrows():
            assert t.loc[team, "closed"] == row["closed"]
            assert t.loc[team, "win_rate"] == pytest.approx(row["won"] / row["closed"])
        assert t["n_reps"].sum() == len(reps)

    def test_engine_counts_match_pandas(self, demo_db, demo_res):
        import duckdb

        con = duckdb.connect(str(demo_db), read_only=True)
        try:
            ref = con.execute(
                "select owner_id, count(*) n, sum(is_won::int) w from opportunities "
                "where is_closed and close_date between date '2024-10-01' and date '2026-09-30' "
                "group by 1").df().set_index("owner_id")
            acts = con.execute(
                "select owner_id, count(*) n from activities where occurred_at >= "
                "timestamp '2024-10-01' and occurred_at < timestamp '2026-10-01' group by 1"
            ).df().set_index("owner_id")
        finally:
            con.close()
        r = demo_res.reps.set_index("rep_id")
        for rep, row in ref.iterrows():
            assert r.loc[rep, "closed"] == row["n"] and r.loc[rep, "won"] == row["w"]
        for rep, row in acts.iterrows():
            assert r.loc[rep, "activities"] == row["n"]

    def test_summary_and_html(self, demo_res, demo_truth):
        text = " ".join(demo_res.summary())
        assert demo_truth["territories"]["overloaded"] in text
        assert all(rep in text for rep in demo_truth["top_reps"])
        html = demo_res._repr_html_()
        assert "so-summary" in html and "so-table" in html
        import re

        assert not re.search(r">\s*nan\b", demo_res.leaderboard_table()._repr_html_().lower())
