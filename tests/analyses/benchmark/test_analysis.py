"""Tests of salesops_lib.analyses.benchmark against hand counts and independent references."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from salesops_lib.analyses.benchmark import (
    UNKNOWN_REP,
    attainment_distribution,
    benchmark_reps,
    load_benchmarks,
)
from salesops_lib.analyses.benchmark import _narrative as N
from salesops_lib.analyses.benchmark import _narrative_tables as NT
from salesops_lib.analyses.benchmark._stats import (
    active_selling_days,
    coefficient_of_variation,
    gini,
    poisson_rate_interval,
    prob_above,
    ramp_factor,
    ramped_quota,
    value_rate_interval,
)
from salesops_lib.errors import DataValidationError, ParamsError, SalesOpsError, SourceError
from salesops_lib.stats.shrinkage import shrink_rates

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
            "created_at": [
                TS("2025-12-01"),
                TS("2026-01-10"),
                TS("2026-02-01"),
                TS("2026-03-01"),
                TS("2026-04-01"),
                TS("2026-01-05"),
                TS("2026-02-20"),
                TS("2026-03-03"),
            ],
            "owner_id": ["R1", "R1", "R1", "R1", "R2", "R3", "R3", "R9"],
            "stage": [
                "Closed Won",
                "Closed Lost",
                "Closed Won",
                "Negotiation",
                "Closed Won",
                "Closed Lost",
                "Closed Won",
                "Closed Won",
            ],
            "is_closed": [True, True, True, False, True, True, True, True],
            "is_won": [True, False, True, False, True, False, True, True],
            "amount": [100.0, 200.0, 300.0, 400.0, 50.0, 80.0, 120.0, 10.0],
            "close_date": [
                D(2026, 1, 15),
                D(2026, 2, 10),
                D(2026, 3, 3),
                D(2026, 7, 30),
                D(2026, 5, 1),
                D(2026, 2, 4),
                D(2026, 3, 22),
                D(2026, 4, 2),
            ],
        }
    )
    acts = pd.DataFrame(
        {
            "activity_id": [f"T{i}" for i in range(6)],
            "owner_id": ["R1", "R1", "R1", "R2", "R3", "R3"],
            "type": ["call", "email", "meeting", "call", "call", "other"],
            "occurred_at": [
                TS("2026-01-05 10:00"),
                TS("2026-01-06"),
                TS("2026-05-05"),
                TS("2026-03-01"),
                TS("2026-02-02"),
                TS("2025-12-31"),
            ],
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
    return {
        "reps": reps,
        "opportunities": opps,
        "activities": acts,
        "quotas": quotas,
        "leads": leads,
    }


PERIOD = {"period_start": "2026-01-01", "period_end": "2026-06-30", "as_of": "2026-06-30 23:59:59"}


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
        assert res.warnings() and "R9" in res.warnings()[0]
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
        res, _ = _quiet(
            source=tiny,
            min_closed=1,
            benchmarks_file=[
                {
                    "metric": "win_rate",
                    "value": 0.2,
                    "unit": "share",
                    "definition": "won/closed",
                    "source": "illustrative placeholder",
                    "year": 2025,
                }
            ],
            **PERIOD,
        )
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        need = {
            "rep_id",
            "name",
            "team",
            "closed",
            "won",
            "win_rate",
            "ci_low",
            "ci_high",
            "shrunk_win_rate",
            "won_amount",
            "avg_won_amount",
            "cycle_median_days",
            "activities_per_day",
            "quota_attainment",
        }
        assert need <= set(out["reps"][0])
        assert {"team", "closed", "won", "win_rate", "ci_low", "ci_high"} <= set(out["teams"][0])
        ext = [b for b in out["benchmarks"] if b["kind"] == "external"]
        assert ext[0]["metric"] == "win_rate" and ext[0]["benchmark"] == 0.2
        assert ext[0]["value"] == pytest.approx(5 / 7)
        assert {"metric", "value", "benchmark", "benchmark_source"} <= set(ext[0])

    def test_overlapping_quotas_error_names_rep_and_periods(self, tiny):
        q = tiny["quotas"]
        tiny["quotas"] = pd.concat(
            [
                q,
                pd.DataFrame(
                    {
                        "rep_id": ["R2"],
                        "period_start": [D(2026, 3, 1)],
                        "period_end": [D(2026, 5, 31)],
                        "amount": [100.0],
                    }
                ),
            ],
            ignore_index=True,
        )
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
            benchmark_reps(
                tiny, period_start="2026-06-01", period_end="2026-01-01", as_of="2026-06-30"
            )
        with pytest.raises(ParamsError, match="quota_basis"):
            benchmark_reps(tiny, quota_basis="ramped", **PERIOD)


class TestHelpers:
    def test_active_selling_days(self):
        # Mon 5 Jan - Fri 16 Jan 2026: 10 working days
        assert active_selling_days(None, None, start=D(2026, 1, 5), end=D(2026, 1, 16)) == 10
        assert (
            active_selling_days(TS("2026-01-12"), None, start=D(2026, 1, 5), end=D(2026, 1, 16))
            == 5
        )
        assert (
            active_selling_days(None, TS("2026-01-06"), start=D(2026, 1, 5), end=D(2026, 1, 16))
            == 2
        )
        assert (
            active_selling_days(TS("2027-01-01"), None, start=D(2026, 1, 5), end=D(2026, 1, 16))
            == 0
        )

    def test_ramp_factor_and_quota(self):
        sched = (0.25, 0.5, 0.75)
        h = TS("2026-01-15")
        assert ramp_factor(h, D(2026, 1, 14), sched) == 0.0
        assert ramp_factor(h, D(2026, 2, 14), sched) == 0.25
        assert ramp_factor(h, D(2026, 2, 15), sched) == 0.5
        assert ramp_factor(h, D(2026, 4, 15), sched) == 1.0
        # full quota row inside the period, employed throughout
        assert ramped_quota(
            900,
            quota_start=D(2026, 1, 1),
            quota_end=D(2026, 3, 31),
            start=D(2025, 1, 1),
            end=D(2026, 12, 31),
        ) == pytest.approx(900)
        # period covers January only: 31 of 90 days
        assert ramped_quota(
            900,
            quota_start=D(2026, 1, 1),
            quota_end=D(2026, 3, 31),
            start=D(2026, 1, 1),
            end=D(2026, 1, 31),
        ) == pytest.approx(310)

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
            amounts[won].sum(), amounts.sum(), (amounts[won] ** 2).sum(), (amounts[~won] ** 2).sum()
        )
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
        f.write_text(
            "benchmarks:\n  - metric: win_rate\n    value: 0.2\n    unit: share\n"
            "    definition: won over closed\n    year: 2025\n"
        )
        with pytest.raises(ParamsError) as err:
            load_benchmarks(f)
        assert "benchmarks.0 (win_rate)" in str(err.value) and "`source`" in str(err.value)
        with pytest.raises(ParamsError, match="definition"):
            load_benchmarks(
                [
                    {
                        "metric": "win_rate",
                        "value": 0.2,
                        "unit": "share",
                        "definition": " ",
                        "source": "x",
                        "year": 2025,
                    }
                ]
            )

    def test_unknown_metric_and_bad_value(self):
        base = {"value": 0.2, "unit": "share", "definition": "d", "source": "s", "year": 2025}
        with pytest.raises(ParamsError, match="not a benchmarking metric"):
            load_benchmarks([{**base, "metric": "happiness"}])
        with pytest.raises(ParamsError, match="value"):
            load_benchmarks([{**base, "metric": "win_rate", "value": "a lot"}])

    def test_shipped_file_is_valid_and_marked_placeholder(self):
        from pathlib import Path

        path = Path(__file__).resolve().parents[3] / "params" / "benchmarks" / "external.yaml"
        b = load_benchmarks(path)
        assert len(b) >= 3
        # explicit field, not string matching on the source
        assert b["placeholder"].map(lambda v: v is True).all()
        # the shipped entries are measured differently from ours: flagged, with the difference
        win = b[b["metric"] == "win_rate"].iloc[0]
        assert win["like_for_like"] is False and "mid-market" in win["differences"].lower()

    def test_placeholder_and_like_for_like_fields_are_validated(self):
        base = {
            "metric": "win_rate",
            "value": 0.2,
            "unit": "share",
            "definition": "d",
            "source": "s",
            "year": 2025,
        }
        with pytest.raises(ParamsError, match=r"benchmarks\.0 \(win_rate\)\.placeholder"):
            load_benchmarks([{**base, "placeholder": "yes"}])
        with pytest.raises(ParamsError, match="like_for_like"):
            load_benchmarks([{**base, "like_for_like": 1}])
        with pytest.raises(ParamsError, match="differences"):
            load_benchmarks([{**base, "like_for_like": False}])
        with pytest.raises(ParamsError, match="unknown key"):
            load_benchmarks([{**base, "placehodler": True}])
        b = load_benchmarks([base, {**base, "placeholder": True, "like_for_like": True}])
        assert b["placeholder"].tolist() == [False, True]
        assert b["like_for_like"].tolist() == [None, True]


@pytest.fixture(scope="module")
def demo_res(demo_db):
    res, warned = _quiet(
        source=demo_db, period_start="2024-10-01", period_end="2026-09-30", quota_basis="adjusted"
    )
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

    def test_shrinkage_is_hierarchical_and_calls_use_the_moment_prior(self, demo_res):
        """Kleinman's moment estimator by hand for the above/below calls; the shown shrunk rates
        and intervals are the hierarchical posterior (stats.shrink_rates, issue 12 fix 1)."""
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
        ref = shrink_rates(x, n, alpha=0.05)
        np.testing.assert_allclose(r["shrunk_win_rate"], ref["shrunk_rate"], rtol=1e-10)
        np.testing.assert_allclose(r["shrunk_low"], ref["cred_low"], rtol=1e-10)
        # integrating over the hyperparameters widens, never narrows, the plug-in interval
        plug_low = sps.beta.ppf(0.025, a + x, b + n - x)
        assert np.mean(r["shrunk_low"].to_numpy() <= plug_low + 1e-9) > 0.9
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
            # credited: closed while the owner was employed (hired_at <= close_date <= left_at)
            emp = (
                "(r.hired_at is null or o.close_date >= r.hired_at::date) and "
                "(r.left_at is null or o.close_date <= r.left_at::date)"
            )
            ref = (
                con.execute(
                    "select owner_id, count(*) n, sum(is_won::int) w from opportunities o "
                    "left join reps r on o.owner_id = r.rep_id "
                    "where is_closed and close_date between date '2024-10-01' and date "
                    "'2026-09-30' "
                    f"and {emp} group by 1"
                )
                .df()
                .set_index("owner_id")
            )
            out = con.execute(
                "select count(*), sum(is_won::int), coalesce(sum(amount) filter (where is_won), 0)"
                " from opportunities o join reps r on o.owner_id = r.rep_id "
                "where is_closed and close_date between date '2024-10-01' and date '2026-09-30' "
                f"and not ({emp})"
            ).fetchone()
            acts = (
                con.execute(
                    "select owner_id, count(*) n from activities where occurred_at >= "
                    "timestamp '2024-10-01' and occurred_at < timestamp '2026-10-01' group by 1"
                )
                .df()
                .set_index("owner_id")
            )
        finally:
            con.close()
        r = demo_res.reps.set_index("rep_id")
        for rep, row in ref.iterrows():
            assert r.loc[rep, "closed"] == row["n"] and r.loc[rep, "won"] == row["w"]
        u = demo_res.uncredited
        assert (u["closed"], u["won"]) == (out[0], out[1])
        assert u["won_amount"] == pytest.approx(out[2])
        assert demo_res.company["closed"] == int(ref["n"].sum())
        for rep, row in acts.iterrows():
            assert r.loc[rep, "activities"] == row["n"]

    def test_summary_and_html(self, demo_res, demo_truth):
        text = " ".join(demo_res.summary())
        assert demo_truth["territories"]["overloaded"] in text
        assert all(rep in text for rep in demo_truth["top_reps"])
        html = demo_res._repr_html_()
        assert "so-summary" in html and "so-cards" in html
        import re

        assert not re.search(r">\s*nan\b", NT.leaderboard_table(demo_res)._repr_html_().lower())

    def test_summary_and_cards_in_plain_words(self, demo_res):
        """No jargon in the summary or the cards; Gini/CV stay in the territory table."""
        text = " ".join(demo_res.summary())
        cards = demo_res.cards()._repr_html_()
        for jargon in ("Gini", "coefficient of variation", "99.8%", "adjusted quota", "bar when"):
            assert jargon not in text and jargon not in cards, jargon
        assert "allowing for the number of reps compared" in text
        over = demo_res.balance.iloc[0]
        ratio = f"{over['ratio_to_median']:.1f}×"
        assert f"{over['territory']} gets {ratio} the median leads per rep" in cards
        table = NT.balance_table(demo_res)._repr_html_()
        gini = demo_res.company["leads_per_rep_gini"]
        assert "Gini" in table and f"{gini:.2f}" in table

    def test_reps_at_quota_rounded_alike_in_summary_card_and_table(self, demo_res):
        a = demo_res.attainment.set_index("threshold").loc[1.0]
        share = f"{100 * a['share']:.0f}%"
        assert f"({share}) reached 100% of their quota" in " ".join(demo_res.summary())
        assert f">{share}<" in demo_res.cards()._repr_html_()
        assert f">{share} (" in NT.attainment_table(demo_res)._repr_html_()

    def test_table_number_formats(self, demo_res):
        import re

        from salesops_lib.analyses.benchmark._narrative import _money_column_format

        fmt = _money_column_format([815_171.4, 1_770_000.0, np.nan])
        assert [fmt(815_171.4), fmt(1_770_000.0), fmt(np.nan)] == ["$0.82M", "$1.77M", "—"]
        fmt = _money_column_format([815_171.4, 372_550.0])
        assert fmt(815_171.4) == "$815,171" and fmt(-372_550.0) == "−$372,550"
        html = NT.balance_table(demo_res)._repr_html_()
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
        money = [c for c in cells if c.startswith("$")]
        assert money and (
            all(c.endswith("M") for c in money) or not any(c.endswith("M") for c in money)
        )
        accounts = demo_res.balance["accounts_per_rep"]
        for v in accounts:
            assert f">{round(v):,}<" in html
        lb = NT.leaderboard_table(demo_res)._repr_html_()
        assert "Median cycle (days)" in lb
        for level in ("team", "region"):
            cells = re.findall(
                r"<td[^>]*>([^<]*)</td>", NT.group_table(demo_res, level)._repr_html_()
            )
            money = [c for c in cells if c.startswith("$")]
            assert money and len({c.endswith("M") for c in money}) == 1


# --------------------------------------------------------------------------------------------
# review fixes: employment window, multiplicity, placeholders, rep-level activity intervals,
# FTE denominators, rank label
# --------------------------------------------------------------------------------------------


class TestEmploymentWindow:
    """Deals closed after the owner left (or before they were hired) are not credited."""

    @pytest.fixture
    def late(self, tiny):
        extra = pd.DataFrame(
            {
                "opportunity_id": ["O9", "O10", "O11"],
                # R3 left 31 Mar: O9 won 15 Apr, O10 lost 2 May (both created while employed);
                # R2 was hired 16 Feb: O11 closed won 10 Feb
                "created_at": [TS("2026-03-10"), TS("2026-03-20"), TS("2026-01-20")],
                "owner_id": ["R3", "R3", "R2"],
                "stage": ["Closed Won", "Closed Lost", "Closed Won"],
                "is_closed": [True, True, True],
                "is_won": [True, False, True],
                "amount": [500.0, 100.0, 70.0],
                "close_date": [D(2026, 4, 15), D(2026, 5, 2), D(2026, 2, 10)],
            }
        )
        tiny["opportunities"] = pd.concat([tiny["opportunities"], extra], ignore_index=True)
        tiny["activities"] = pd.concat(
            [
                tiny["activities"],
                pd.DataFrame(
                    {
                        "activity_id": ["T9"],
                        "owner_id": ["R3"],
                        "type": ["call"],
                        "occurred_at": [TS("2026-04-10 09:00")],
                    }
                ),
            ],
            ignore_index=True,
        )
        return tiny

    def test_rep_and_company_figures_exclude_them(self, late):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = benchmark_reps(late, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        # same as without the three extra deals (see TestHandCounted)
        assert r.loc["R3", ["closed", "won"]].tolist() == [2, 1]
        assert r.loc["R3", "won_amount"] == 120
        assert r.loc["R3", "quota_attainment"] == pytest.approx(120 / 300)  # not (120+500)/300
        assert r.loc["R2", ["closed", "won"]].tolist() == [1, 1]
        assert r.loc["R3", "activities"] == 1  # the 10 Apr call is after R3 left
        assert res.company["closed"] == 7 and res.company["won"] == 5
        t = res.teams.set_index("team")
        assert t.loc["B", "closed"] == 2
        # ...and reported, not silently dropped
        u = res.uncredited
        assert (u["closed"], u["won"], u["after_left"], u["before_hire"]) == (3, 2, 2, 1)
        assert u["won_amount"] == 570 and u["activities"] == 1
        assert (u["first_close"], u["last_close"]) == (D(2026, 2, 10), D(2026, 5, 2))
        assert u["owners"] == [("R2", 1), ("R3", 2)]
        msg = next(w for w in res.warnings() if "not credited" in w)
        assert msg.startswith("3 deals closed after their owner left or before they were hired")
        assert "$570" in msg and "not credited to any rep" in msg and "1 activity" in msg
        assert any("not credited" in str(w.message) for w in caught)
        assert any("not credited" in b._repr_html_() for b in res.banners())
        defs = res.methods()._repr_html_()
        assert "Credited to a rep" in defs and "3 deal(s)" in defs
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        assert out["uncredited_deals"]["closed"] == 3
        assert out["uncredited_deals"]["owners"] == [
            {"rep_id": "R2", "closed": 1},
            {"rep_id": "R3", "closed": 2},
        ]

    def test_cycle_is_censored_when_the_owner_leaves(self, late):
        from salesops_lib.analyses.benchmark import _engine as E
        from salesops_lib.data.sources import open_source

        src = open_source(late, as_of=PERIOD["as_of"])
        period = E.Period(D(2026, 1, 1), D(2026, 6, 30), TS(PERIOD["as_of"]))
        cyc = E.cycle_counts(src.table("opportunities"), period, reps=src.table("reps"))
        r3 = cyc[cyc["owner_id"] == "R3"].sort_values("duration")
        # O10 (20 Mar) and O9 (10 Mar) censored at 31 Mar; O6 and O7 closed after 30 days
        assert r3[["duration", "event", "n"]].values.tolist() == [
            [11, False, 1],
            [21, False, 1],
            [30, True, 2],
        ]
        # O11 was created before R2 was hired: not R2's deal to time
        assert (
            E.cycle_counts(src.table("opportunities"), period, reps=src.table("reps"))
            .query("owner_id == 'R2'")["n"]
            .sum()
            == 1
        )
        # without the employment window the deals count as closed by R3
        raw = E.cycle_counts(src.table("opportunities"), period)
        assert raw[(raw["owner_id"] == "R3")]["event"].all()

    def test_demo_departed_rep_attainment(self, demo_res, demo_db):
        """Every rep who left: credited won amount only up to the leaving date."""
        import duckdb

        con = duckdb.connect(str(demo_db), read_only=True)
        try:
            left = con.execute(
                "select r.rep_id, coalesce(sum(o.amount) filter (where o.is_won and o.is_closed "
                "and o.close_date between greatest(date '2024-10-01', r.hired_at::date) "
                "and r.left_at::date), 0) from reps r left join opportunities o "
                "on o.owner_id = r.rep_id where r.left_at is not null group by 1"
            ).fetchall()
        finally:
            con.close()
        r = demo_res.reps.set_index("rep_id")
        assert left
        for rep, won_amount in left:
            if rep in r.index:
                assert r.loc[rep, "won_amount"] == pytest.approx(won_amount)


class TestMultiplicity:
    def test_clear_level_and_wording(self):
        from salesops_lib.analyses.benchmark._stats import classify_posterior, clear_level

        assert clear_level(0.95, 24) == pytest.approx(1 - 0.05 / 24)
        assert clear_level(0.95, 0) == pytest.approx(0.95)
        words = classify_posterior(
            [0.9999, 0.96, 0.5, 0.03, 0.0001, np.nan], probable=0.95, clear=0.998
        )
        assert words.tolist() == [
            "clearly above",
            "probably above",
            "cannot tell",
            "probably below",
            "clearly below",
            "cannot tell",
        ]

    def test_r003_like_rep_is_watched_not_recognised(self):
        """The review's case: 58 of 126 won against a 37.4% company rate, prior Beta(13.3,
        22.3): 96% posterior probability, short of the 99.8% bar for 24 reps."""
        from salesops_lib.analyses.benchmark import recognition_lists

        prior = (13.275410500145455, 22.252683609660856)
        p0 = 0.37365951742627346
        n = 24
        reps = pd.DataFrame(
            {
                "rep_id": [f"R{i:02d}" for i in range(n)],
                "name": [f"N{i}" for i in range(n)],
                "team": "T",
                "closed": 120,
                "won": 45,
                "active_days": 200,
                "activities_per_day": 50.0,
                "activities_ci_low": 48.0,
                "activities_ci_high": 52.0,
                "quota_attainment": np.nan,
            }
        )
        reps.loc[0, ["closed", "won"]] = [126, 58]
        reps.loc[1, ["closed", "won"]] = [119, 68]  # R008-like: clearly above
        reps["win_rate"] = reps["won"] / reps["closed"]
        reps["ci_low"], reps["ci_high"] = proportion_confint(
            reps["won"], reps["closed"], method="wilson"
        )
        reps["shrunk_win_rate"] = (prior[0] + reps["won"]) / (sum(prior) + reps["closed"])
        p = sps.beta.sf(p0, prior[0] + 58, prior[1] + 126 - 58)
        assert 0.95 < p < 1 - 0.05 / n
        rec, coach, watch = recognition_lists(reps, company_rate=p0, prior=prior)
        assert rec.loc[rec["metric"] == "win_rate", "rep_id"].tolist() == ["R01"]
        assert "R00" not in set(coach["rep_id"])
        assert watch["rep_id"].tolist() == ["R00"]
        assert watch["direction"].tolist() == ["probably above"]
        assert watch["certainty"].iloc[0] == pytest.approx(p)
        assert "probably above" in watch["reason"].iloc[0]
        assert "clearly" not in watch["reason"].iloc[0]
        # the old per-rep rule (bar = 95%) would have recognised R00: this test catches it
        rec_old, _, _ = recognition_lists(reps, company_rate=p0, prior=prior, clear_certainty=0.95)
        assert "R00" in set(rec_old["rep_id"])

    def test_reps_on_the_company_rate_are_rarely_flagged_clear(self):
        """24 reps whose true rate is the company rate: with the per-rep 95% rule most
        simulated periods name someone as clearly above; with the Bonferroni bar about 5%."""
        from salesops_lib.analyses.benchmark._stats import classify_posterior, clear_level

        rng = np.random.default_rng(2024)
        n_sims, k, n = 400, 24, 120
        any_clear, any_old = 0, 0
        for _ in range(n_sims):
            won = rng.binomial(n, 0.37, size=k)
            p0 = won.sum() / (k * n)
            p_up = prob_above(won, np.full(k, n), p0, prior=(1.0, 1.0))  # no shrinkage: worst
            w = classify_posterior(p_up, probable=0.95, clear=clear_level(0.95, k))
            any_clear += bool((w == "clearly above").any())
            any_old += bool((p_up >= 0.95).any())
        assert any_clear / n_sims < 0.09
        assert any_old / n_sims > 0.5

    def test_demo_planted_reps_recovered_and_average_reps_not_clear(self, demo_res, demo_truth):
        res = demo_res
        assert res.n_compared == len(res.ranked_reps)
        assert res.clear_certainty == pytest.approx(1 - 0.05 / res.n_compared)
        rec = set(res.recognition.loc[res.recognition["metric"] == "win_rate", "rep_id"])
        coach = set(res.coaching.loc[res.coaching["metric"] == "win_rate", "rep_id"])
        assert rec == set(demo_truth["top_reps"])
        assert coach == set(demo_truth["bottom_reps"])
        p0 = res.company["reference_win_rate"]
        average = {k for k, v in demo_truth["reps"].items() if abs(v["true_win_rate"] - p0) < 0.04}
        assert average and not (average & (rec | coach))
        # the leaderboard colours only the clear reps; the funnel title says what it counts
        ax = res.plot("leaderboard")
        assert "clearly" in ax.get_title(loc="left")
        title = N.chart_headline(res, "funnel")
        assert "true outliers" not in title and "outside the 99.8% limits" in title
        st = res.ranked_reps["funnel_status"]
        n_out = int(st.str.contains("99.8").sum())
        assert title.startswith(f"{n_out} rep")


_BASE_BENCHMARK = {
    "unit": "share",
    "definition": "won ÷ closed, all segments",
    "source": "Acme: report",
    "year": 2025,
}


class TestPlaceholderBenchmarks:
    base = _BASE_BENCHMARK

    def _run(self, tiny, entries):
        res, _ = _quiet(source=tiny, min_closed=1, benchmarks_file=entries, **PERIOD)
        return res

    def test_placeholders_only_in_the_table_with_a_banner(self, tiny):
        res = self._run(
            tiny,
            [
                {
                    **self.base,
                    "metric": "win_rate",
                    "value": 0.2,
                    "placeholder": True,
                    "like_for_like": True,
                },
                {
                    **self.base,
                    "metric": "share_at_quota",
                    "value": 0.47,
                    "placeholder": True,
                    "like_for_like": False,
                    "differences": "annual quota",
                },
            ],
        )
        text = " ".join(res.summary())
        assert "external" not in text and "20.0%" not in text
        cards = res.cards()._repr_html_()
        assert "vs external" not in cards
        banners = " ".join(b._repr_html_() for b in res.banners())
        assert "External benchmarks are illustrative placeholders" in banners
        assert "replace" in banners and "licensed figures" in banners
        table = NT.external_table(res)._repr_html_()
        assert "(placeholder)" in table and "No: annual quota" in table
        out = res.to_results()
        assert out["notes"] and "placeholders" in out["notes"][0]
        assert all(b["comparable"] is False for b in out["benchmarks"] if b["kind"] == "external")

    def test_real_like_for_like_benchmark_is_compared(self, tiny):
        res = self._run(
            tiny, [{**self.base, "metric": "win_rate", "value": 0.2, "like_for_like": True}]
        )
        assert "external benchmark of 20.0% (Acme)" in " ".join(res.summary())
        assert "vs external 20.0%" in res.cards()._repr_html_()
        assert N.placeholder_note(res) is None
        assert "Yes" in NT.external_table(res)._repr_html_()

    def test_not_like_for_like_or_unstated_is_not_compared(self, tiny):
        for extra in ({"like_for_like": False, "differences": "mid-market only"}, {}):
            res = self._run(tiny, [{**self.base, "metric": "win_rate", "value": 0.2, **extra}])
            assert "external" not in " ".join(res.summary())
            assert "vs external" not in res.cards()._repr_html_()
        table = NT.external_table(res)._repr_html_()
        assert "Not confirmed" in table


class TestRepLevelIntervals:
    def test_ratio_interval_matches_statsmodels_cluster_wls(self):
        import statsmodels.api as sm

        from salesops_lib.analyses.benchmark._stats import ratio_interval_over_units

        rng = np.random.default_rng(11)
        d = rng.integers(20, 262, size=15).astype(float)
        a = rng.poisson(d * rng.normal(50, 8, size=15)).astype(float)
        r, lo, hi = ratio_interval_over_units(a, d)
        fit = sm.WLS(a / d, np.ones(15), weights=d).fit(
            cov_type="cluster", cov_kwds={"groups": np.arange(15)}, use_t=True
        )
        ci = fit.conf_int()[0]
        assert r == pytest.approx(float(fit.params[0]), rel=1e-12)
        assert (lo, hi) == pytest.approx((ci[0], ci[1]), rel=1e-10)
        # by hand: CR1 variance k/(k-1) Σ(a - R d)² / (Σd)², t with k - 1 df
        se = np.sqrt(15 / 14 * np.sum((a - r * d) ** 2) / d.sum() ** 2)
        assert hi - r == pytest.approx(sps.t.ppf(0.975, 14) * se, rel=1e-12)
        # one unit: no rep-to-rep variation to estimate
        assert np.isnan(ratio_interval_over_units([10.0], [2.0])[1])

    def test_demo_company_and_team_intervals_use_reps(self, demo_res):
        from salesops_lib.analyses.benchmark._stats import ratio_interval_over_units

        res = demo_res
        c = res.company
        reps = res.reps
        _, lo, hi = ratio_interval_over_units(reps["activities"], reps["active_days"])
        assert (c["activities_ci_low"], c["activities_ci_high"]) == pytest.approx((lo, hi))
        # far wider than the pooled Poisson interval, which ignored rep-to-rep spread
        plo, phi = poisson_rate_interval(reps["activities"].sum(), reps["active_days"].sum())
        assert hi - lo > 5 * (phi[0] - plo[0])
        for team, g in reps.groupby("team"):
            t = res.teams.set_index("team").loc[team]
            _, lo, hi = ratio_interval_over_units(g["activities"], g["active_days"])
            assert (t["activities_ci_low"], t["activities_ci_high"]) == pytest.approx(
                (lo, hi), nan_ok=True
            )


class TestFteAndRankLabel:
    def test_per_rep_counts_use_fte_and_active_reps(self, tiny):
        # R4 left before the period but still owns an open deal: a row with no selling day
        tiny["reps"] = pd.concat(
            [
                tiny["reps"],
                pd.DataFrame(
                    {
                        "rep_id": ["R4"],
                        "name": ["Di"],
                        "team": ["B"],
                        "region": ["EMEA"],
                        "territory": ["T2"],
                        "hired_at": [TS("2020-01-01")],
                        "left_at": [TS("2025-11-30")],
                    }
                ),
            ],
            ignore_index=True,
        )
        tiny["opportunities"] = pd.concat(
            [
                tiny["opportunities"],
                pd.DataFrame(
                    {
                        "opportunity_id": ["O12"],
                        "created_at": [TS("2025-11-01")],
                        "owner_id": ["R4"],
                        "stage": ["Negotiation"],
                        "is_closed": [False],
                        "is_won": [False],
                        "amount": [1.0],
                        "close_date": [D(2026, 9, 1)],
                    }
                ),
            ],
            ignore_index=True,
        )
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        r = res.reps.set_index("rep_id")
        assert "R4" in r.index and r.loc["R4", "active_days"] == 0
        fte = (129 + 97 + 64) / 129
        assert res.company["fte_reps"] == pytest.approx(fte)
        b = res.benchmarks
        opp = b[(b["metric"] == "opps_created") & (b["kind"] == "internal median")].iloc[0]
        assert opp["value"] == pytest.approx(res.company["opps_created"] / fte)
        assert "median of 3 reps" in opp["benchmark_source"]  # R4 left out
        per_fte = [
            r.loc[k, "opps_created"] / (r.loc[k, "active_days"] / 129) for k in ("R1", "R2", "R3")
        ]
        assert opp["benchmark"] == pytest.approx(float(np.median(per_fte)))

    def test_rank_column_is_labelled_median_rank(self, demo_res):
        html = NT.leaderboard_table(demo_res)._repr_html_()
        assert "Median rank (range)" in html and ">Rank (range)<" not in html


# --------------------------------------------------------------------------------------------
# data without some tables: parts left out with a note, never shown as 0 or "—"
# --------------------------------------------------------------------------------------------


def _text_of(res) -> str:
    return " ".join(res.summary())


class TestMissingTables:
    @pytest.fixture
    def bare(self, tiny):
        """Only `opportunities` and `reps`, as many CRM exports."""
        return {"opportunities": tiny["opportunities"], "reps": tiny["reps"]}

    def test_runs_and_counts_match_the_full_data(self, bare, tiny):
        res, _ = _quiet(source=bare, min_closed=1, **PERIOD)
        full, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        cols = ["rep_id", "closed", "won", "win_rate", "cycle_median_days"]
        pd.testing.assert_frame_equal(
            res.reps[cols].sort_values("rep_id").reset_index(drop=True),
            full.reps[cols].sort_values("rep_id").reset_index(drop=True),
        )
        assert res.reps.set_index("rep_id").loc["R1", ["closed", "won"]].tolist() == [3, 2]
        assert set(res.not_available) == {
            "attainment",
            "activities",
            "territory_balance",
            "lead_assignment",
        }
        assert res.not_available["attainment"]["reason"] == "no quotas table"
        assert res.not_available["activities"]["reason"] == "no activities table"
        assert res.not_available["territory_balance"]["reason"] == "no leads table"
        assert not full.not_available

    def test_results_have_no_fake_zeros(self, bare):
        res, _ = _quiet(source=bare, min_closed=1, **PERIOD)
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        c = out["company"]
        for k in (
            "activities_per_day",
            "activities_ci_low",
            "calls_per_day",
            "quota_attainment",
            "median_attainment",
            "share_at_quota",
            "leads_per_rep_gini",
            "leads_per_rep_cv",
            "rep_leads_per_day_gini",
        ):
            assert c[k] is None, k
        assert out["attainment"] is None and out["territory_balance"] is None
        for r in out["reps"]:
            assert r["activities_per_day"] is None and r["quota_attainment"] is None
            assert r["quota_adjusted"] is None
        for t in out["teams"]:
            assert t["activities_per_day"] is None and t["quota_attainment"] is None
        assert out["teams"] and out["company"]["win_rate"] == pytest.approx(5 / 7)
        na = out["not_available"]
        assert "no `quotas` table" in na["attainment"]["note"]
        assert "rep_id, period_start, period_end, amount" in na["attainment"]["note"]
        # internal benchmarks are not made up for what was not measured
        assert not {"activities_per_day", "quota_attainment"} & set(res.benchmarks["metric"])

    def test_summary_cards_and_sections_say_what_is_missing(self, bare):
        res, _ = _quiet(source=bare, min_closed=1, **PERIOD)
        text = _text_of(res)
        assert "0 of 0" not in text and "—" not in text and "nan" not in text.lower()
        assert "quota attainment (no quotas table)" in text
        assert "activity rates (no activities table)" in text
        assert "territory balance (no leads table)" in text
        assert "Gini" not in text and "territory" not in text.replace(
            "territory balance (no leads table)", ""
        )
        cards = res.cards()._repr_html_()
        assert "—" not in cards and "Activities per rep" not in cards and "Gini" not in cards
        assert "quota" not in cards.lower()
        assert 2 <= cards.count("so-card-label") <= 6
        note = str(N.intro(res, "attainment"))
        assert "no `quotas` table, so quota attainment is not shown" in note
        assert "Add `quotas` (rep_id, period_start, period_end, amount" in note
        assert str(NT.attainment_table(res)) == note
        assert "no `leads` table" in str(N.intro(res, "balance")) == str(NT.balance_table(res))
        board = NT.leaderboard_table(res)._repr_html_()
        assert "Attainment" not in board and "Activities / day" not in board
        defs = res.methods()._repr_html_()
        assert "Not computed: quota attainment" in defs and "Ramp schedule" not in defs
        assert "Quota attainment</" not in defs and "Territory balance</" not in defs
        with pytest.raises(SalesOpsError, match="no quotas table"):
            res.plot("attainment")

    def test_table_present_but_empty_for_the_period(self, tiny):
        tiny["quotas"] = tiny["quotas"].assign(
            period_start=[D(2024, 1, 1), D(2024, 4, 1)] * 3,
            period_end=[D(2024, 3, 31), D(2024, 6, 30)] * 3,
        )
        tiny["activities"] = tiny["activities"].assign(occurred_at=TS("2025-06-01"))
        tiny["leads"] = tiny["leads"].assign(created_at=TS("2025-06-01"))
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        na = res.not_available
        assert na["attainment"]["reason"] == "no quotas cover this period"
        assert na["activities"]["reason"] == "no activities were logged in this period"
        assert na["territory_balance"]["reason"] == "no leads were created in this period"
        assert (
            "The `quotas` table has rows, but no quotas cover this period (1 Jan 2026 – "
            "30 Jun 2026)" in str(N.intro(res, "attainment"))
        )
        text = _text_of(res)
        assert "quota attainment (no quotas cover this period)" in text
        assert "0 of 0" not in text and "—" not in text
        assert res.to_results()["company"]["activities_per_day"] is None

    def test_reps_without_team_or_territory(self, tiny):
        tiny["reps"] = (
            tiny["reps"].drop(columns=["team", "territory"]).assign(name=tiny["reps"]["rep_id"])
        )
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        assert {"teams", "territories"} <= set(res.not_available)
        assert "regions" not in res.not_available
        # leads carry territories, so territory balance is still computed
        assert "territory_balance" not in res.not_available
        note = str(NT.group_table(res, "team"))
        assert "no `team` column" in note and "figures by team are not shown" in note
        out = res.to_results()
        assert out["teams"] is None and out["territories"] is None and out["regions"]
        board = NT.leaderboard_table(res)._repr_html_()
        assert ">Team<" not in board and "R1 (R1)" not in board and ">R1<" in board

    def test_lost_deals_without_amount(self, tiny):
        o = tiny["opportunities"]
        tiny["opportunities"] = o.assign(amount=o["amount"].where(o["is_won"]))
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        assert set(res.not_available) == {"win_rate_value", "pipeline_generated", "open_pipeline"}
        r = res.reps.set_index("rep_id")
        assert r["win_rate_value"].isna().all()  # not 100%
        assert r.loc["R1", "avg_won_amount"] == pytest.approx(200)  # still known
        assert res.to_results()["company"]["win_rate_value"] is None
        assert "the win rate by value (lost deals have no amount)" in _text_of(res)
        assert "By value" not in NT.group_table(res, "team")._repr_html_()

    def test_wording_follows_the_number_of_reps(self, tiny):
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        assert "With 3 reps compared at once" in str(N.intro(res, "leaderboard"))
        # 1 − 0.95³ = 14.3%
        assert "with 3 reps compared, the chance that at least one does is 14%" in str(
            N.intro(res, "funnel")
        )
        assert "two dozen" not in str(N.intro(res, "leaderboard")) + str(N.intro(res, "funnel"))
        one = {
            "opportunities": tiny["opportunities"][tiny["opportunities"]["owner_id"] == "R1"],
            "reps": tiny["reps"],
        }
        res1, _ = _quiet(source=one, min_closed=1, **PERIOD)
        assert "Only one rep closed deals" in str(N.intro(res1, "leaderboard"))
        assert "Only 1 rep closed deals in the period" in _text_of(res1)
        assert "—" not in _text_of(res1) and "nan" not in _text_of(res1).lower()
        # no deal closed in June 2026
        res0, _ = _quiet(source=tiny, min_closed=1, **{**PERIOD, "period_start": "2026-06-01"})
        text0 = _text_of(res0)
        assert res0.company["closed"] == 0
        assert "No deal closed between 1 Jun 2026 and 30 Jun 2026" in text0
        assert "—" not in text0 and "nan" not in text0.lower()
        assert "—" not in res0.cards()._repr_html_()

    def test_demo_has_every_part(self, demo_res):
        assert demo_res.not_available == {}
        cards = demo_res.cards()._repr_html_()
        assert "Reps at ≥100% of quota" in cards and "Lead load, busiest territory" in cards
        assert "Gini" not in cards and "coefficient of variation" not in cards
        assert "Activities per rep" in cards
        assert f"With {demo_res.n_compared} reps" in str(N.intro(demo_res, "leaderboard"))


@pytest.fixture(scope="module")
def maven(shared_datasets):
    """The Maven CRM export through its adapter, benchmarked for 2017."""
    from salesops_lib.data.adapters.maven_crm import load_maven_crm

    folder = shared_datasets / "maven_crm"
    if not folder.is_dir():
        pytest.skip("maven_crm export not in the shared datasets folder")
    ad = load_maven_crm(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = benchmark_reps(ad.open(), period_start="2017-01-01", period_end="2017-12-31")
    return ad, res


class TestMavenExport:
    """The public Maven CRM export: opportunities, reps and accounts only."""

    def test_win_rate_for_every_rep_with_closed_deals(self, maven):
        ad, res = maven
        o = ad.tables["opportunities"]
        cd = pd.to_datetime(o["close_date"])
        closed = o[o["is_closed"] & (cd >= "2017-01-01") & (cd <= "2017-12-31")]
        ref = closed.groupby("owner_id")["is_won"].agg(["sum", "count"])
        r = res.reps.set_index("rep_id")
        assert len(ref) > 20 and set(ref.index) <= set(r.index)
        for rep, row in ref.iterrows():
            assert r.loc[rep, "closed"] == row["count"]
            assert r.loc[rep, "win_rate"] == pytest.approx(row["sum"] / row["count"], abs=1e-12)
        assert res.n_compared == len(ref)
        assert res.company["closed"] == len(closed)

    def test_report_text_has_no_placeholders(self, maven):
        ad, res = maven
        text = _text_of(res)
        assert "—" not in text and "0 of 0" not in text and "nan" not in text.lower()
        assert {"attainment", "activities", "territory_balance", "win_rate_value"} <= set(
            res.not_available
        )
        assert "quota attainment (no quotas table)" in text
        n_reps = int((res.reps["rep_id"] != UNKNOWN_REP).sum())
        assert n_reps == len(ad.tables["reps"])
        cards = res.cards()._repr_html_()
        assert "—" not in cards and f"of {n_reps} reps" in cards
        assert f"With {res.n_compared} reps compared" in str(N.intro(res, "leaderboard"))
        m = res.n_compared
        assert f"about {0.05 * m:.1f} of the {m} reps compared" in str(N.intro(res, "funnel"))
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        assert out["attainment"] is None and out["company"]["activities_per_day"] is None
        assert out["company"]["win_rate_value"] is None  # lost deals carry no amount


# --------------------------------------------------------------------------------------------
# change against the previous period of the same length
# --------------------------------------------------------------------------------------------


def _two_periods(won_prev: int, won_cur: int, cycle_prev: int, cycle_cur: int):
    """Four reps; 100 deals closed in H1 2025 (``won_prev`` won, created ``cycle_prev`` to
    ``cycle_prev + 6`` days before close) and 100 in H2 2025 (``won_cur`` won, ``cycle_cur`` to
    ``cycle_cur + 6`` days)."""
    reps = pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R3", "R4"],
            "name": list("ABCD"),
            "hired_at": [TS("2020-01-01")] * 4,
            "left_at": [pd.NaT] * 4,
        }
    )
    rows = []
    for start, won, cyc in (
        (D(2025, 1, 1), won_prev, cycle_prev),
        (D(2025, 7, 1), won_cur, cycle_cur),
    ):
        for i in range(100):
            close = start + dt.timedelta(days=61 + i)
            rows.append(
                {
                    "opportunity_id": f"{start:%m}-{i}",
                    "owner_id": f"R{i % 4 + 1}",
                    "created_at": TS(close - dt.timedelta(days=cyc + i % 7)),
                    "close_date": close,
                    "is_closed": True,
                    "is_won": i < won,
                    "amount": 100.0,
                    "stage": "Closed",
                }
            )
    return {"reps": reps, "opportunities": pd.DataFrame(rows)}


CUR = {"period_start": "2025-07-01", "period_end": "2025-12-31", "as_of": "2025-12-31 23:00"}


def _newcombe_by_hand(x1, n1, x0, n0):
    l1, u1 = proportion_confint(x1, n1, alpha=0.05, method="wilson")
    l0, u0 = proportion_confint(x0, n0, alpha=0.05, method="wilson")
    p1, p0 = x1 / n1, x0 / n0
    return (
        p1 - p0 - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2),
        p1 - p0 + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2),
    )


class TestPreviousPeriod:
    def test_previous_window(self):
        from salesops_lib.data.period import Period

        def previous_window(a, b):
            p = Period(a, b).previous()
            return p.start, p.end

        assert previous_window(D(2025, 10, 1), D(2026, 9, 30)) == (D(2024, 10, 1), D(2025, 9, 30))
        assert previous_window(D(2026, 1, 1), D(2026, 3, 31)) == (D(2025, 10, 1), D(2025, 12, 31))
        # not whole months: the same number of days just before
        assert previous_window(D(2026, 1, 10), D(2026, 1, 19)) == (D(2025, 12, 31), D(2026, 1, 9))

    def test_period_independent_queries_run_once_for_both_periods(self, demo_db, monkeypatch):
        from salesops_lib.analyses.benchmark import _analysis as A
        from salesops_lib.analyses.benchmark import _engine as E

        calls: dict[str, int] = {}

        def counted(mod, name):
            f = getattr(mod, name)

            def g(*a, **k):
                calls[name] = calls.get(name, 0) + 1
                return f(*a, **k)

            monkeypatch.setattr(mod, name, g)

        counted(A, "_roster")
        counted(E, "territory_accounts")
        counted(E, "check_quota_overlaps")
        counted(E, "deal_counts")
        counted(E, "deal_counts_periods")
        res, _ = _quiet(source=demo_db, period_start="2025-10-01", period_end="2026-09-30")
        assert res.previous is not None
        assert calls == {
            "_roster": 1,
            "territory_accounts": 1,
            "check_quota_overlaps": 1,
            # the deals of both periods in one query, not asked for again per period
            "deal_counts_periods": 1,
        }
        # each period computed its own employment days on its own copy of the roster
        cur, prev = res.reps.set_index("rep_id"), res.previous.reps.set_index("rep_id")
        assert "active_days" in cur.columns and "active_days" in prev.columns
        both = cur.index.intersection(prev.index)
        assert (cur.loc[both, "name"] == prev.loc[both, "name"]).all()

    def test_engine_queries_of_one_call(self, demo_db, monkeypatch):
        """Both periods of the report cost 14 engine queries (15 when the deals were counted per
        period): roster, accounts per territory, the quota-overlap check, one for the deals of
        both periods, and per period the cycle times, activities, leads, the open pipeline
        and the quota rows."""
        from ibis.backends.duckdb import Backend

        # as the report: as_of given (without it the source finds it from every table's
        # last event, 11 more queries); the first call in a process also validates the tables
        kw = {"source": demo_db, "as_of": "2026-09-30", "period_start": "2025-10-01"}
        kw["period_end"] = "2026-09-30"
        _quiet(**kw)
        n = {"queries": 0}
        execute = Backend.execute

        def counted(self, *a, **k):
            n["queries"] += 1
            return execute(self, *a, **k)

        monkeypatch.setattr(Backend, "execute", counted)
        res, _ = _quiet(**kw)
        assert res.previous is not None
        assert n["queries"] == 14
        n["queries"] = 0
        _quiet(**kw, compare_previous=False)
        assert n["queries"] == 9

    def test_deal_counts_for_two_periods_match_one_at_a_time(self, demo_db):
        """The one-query deal counts of several periods are the per-period counts, row for
        row (and the two periods differ, so a mix-up of the columns would show)."""
        from salesops_lib.analyses.benchmark import _engine as E
        from salesops_lib.data.period import Period
        from salesops_lib.data.sources import open_source

        src = open_source(demo_db)
        cur = Period(D(2025, 10, 1), D(2026, 9, 30), pd.Timestamp("2026-06-15 12:00"))
        prev = Period(D(2024, 10, 1), D(2025, 6, 15), pd.Timestamp("2025-06-15 12:00"))
        opps, reps = src.table("opportunities"), src.table("reps")
        frames = E.deal_counts_periods(opps, [cur, prev], reps=reps)
        assert len(frames) == 2
        for f, p in zip(frames, (cur, prev), strict=True):
            one = E.deal_counts(opps, p, reps=reps)
            pd.testing.assert_frame_equal(
                f.sort_values("owner_id").reset_index(drop=True),
                one.sort_values("owner_id").reset_index(drop=True),
            )
        assert frames[0]["closed"].sum() != frames[1]["closed"].sum()

    def test_demo_previous_win_rate_matches_duckdb(self, demo_db):
        import duckdb

        res, _ = _quiet(
            source=demo_db,
            period_start="2025-10-01",
            period_end="2026-09-30",
            quota_basis="adjusted",
        )
        p = res.previous
        assert (p.period_start, p.period_end_eff) == (D(2024, 10, 1), D(2025, 9, 30))
        con = duckdb.connect(str(demo_db), read_only=True)
        try:
            emp = (
                "(r.hired_at is null or o.close_date >= r.hired_at::date) and "
                "(r.left_at is null or o.close_date <= r.left_at::date)"
            )
            n, w = con.execute(
                "select count(*), sum(is_won::int) from opportunities o "
                "left join reps r on o.owner_id = r.rep_id where is_closed and close_date "
                f"between date '2024-10-01' and date '2025-09-30' and {emp}"
            ).fetchone()
        finally:
            con.close()
        assert n > 500
        assert (p.company["closed"], p.company["won"]) == (n, w)
        comp = res.comparison().set_index("metric")
        assert comp.loc["win_rate", "previous"] == pytest.approx(w / n, abs=1e-12)
        lo, hi = _newcombe_by_hand(res.company["won"], res.company["closed"], w, n)
        assert comp.loc["win_rate", ["change_low", "change_high"]].tolist() == pytest.approx(
            [lo, hi], abs=1e-12
        )
        out = json.loads(json.dumps(res.to_results(), allow_nan=False))
        assert out["company_previous"]["win_rate"] == pytest.approx(w / n, abs=1e-12)
        assert out["previous_period"]["start"] == "2024-10-01"
        assert {c["metric"] for c in out["comparison"]} == {
            "win_rate",
            "cycle_median_days",
            "share_at_quota",
            "activities_per_day",
        }
        cards = res.cards()._repr_html_()
        assert "vs Oct 2024–Sep 2025" in cards

    def test_clear_rise_is_better_and_coloured(self):
        res, _ = _quiet(source=_two_periods(20, 60, 60, 10), min_closed=1, **CUR)
        lo, hi = _newcombe_by_hand(60, 100, 20, 100)
        assert lo > 0
        comp = res.comparison().set_index("metric")
        row = comp.loc["win_rate"]
        assert [row["change"], row["change_low"], row["change_high"]] == pytest.approx(
            [0.4, lo, hi], abs=1e-12
        )
        assert row["good"] is True and row["delta_text"] == "+40.0 pp vs Jan 2025–Jun 2025 (20.0%)"
        # shorter cycle is better; the two medians' intervals (60 and 10 days) do not overlap
        assert comp.loc["cycle_median_days", "good"] is True
        assert comp.loc["cycle_median_days", "change"] == pytest.approx(-50)
        assert (
            comp.loc["cycle_median_days", "current_high"]
            < comp.loc["cycle_median_days", "previous_low"]
        )
        cards = {c.label: c for c in res.cards().cards}
        wr = cards["Win rate (by count)"]
        assert wr.good is True and wr.delta.startswith("+40.0 pp")
        assert 'so-delta good">▲ +40.0 pp' in wr.html()
        assert cards["Median sales cycle"].good is True
        assert cards["Median sales cycle"].delta.startswith("\u221250 days")
        # and the other way round: worse, coloured as worse
        res2, _ = _quiet(source=_two_periods(60, 20, 10, 60), min_closed=1, **CUR)
        cards2 = {c.label: c for c in res2.cards().cards}
        assert cards2["Win rate (by count)"].good is False
        assert cards2["Median sales cycle"].good is False
        assert 'so-delta bad">▼' in cards2["Win rate (by count)"].html()

    def test_change_within_chance_is_neutral(self):
        res, _ = _quiet(source=_two_periods(20, 26, 30, 30), min_closed=1, **CUR)
        lo, hi = _newcombe_by_hand(26, 100, 20, 100)
        assert lo < 0 < hi
        comp = res.comparison().set_index("metric")
        assert comp.loc["win_rate", "good"] is None
        assert comp.loc["cycle_median_days", "good"] is None
        wr = {c.label: c for c in res.cards().cards}["Win rate (by count)"]
        assert wr.good is None
        assert wr.delta == "+6.0 pp vs Jan 2025–Jun 2025 (20.0%), within chance"
        assert 'so-delta neutral">+6.0 pp' in wr.html()

    def test_no_previous_data_or_table_means_no_delta(self, tiny):
        # previous window Jul–Dec 2025: no deal closed, no quotas; nothing to compare
        res, _ = _quiet(source=tiny, min_closed=1, **PERIOD)
        assert res.previous is not None and res.previous.company["closed"] == 0
        metrics = set(res.comparison()["metric"])
        assert not metrics & {"win_rate", "share_at_quota"}
        wr = {c.label: c for c in res.cards().cards}["Win rate (by count)"]
        assert wr.delta is None
        res0, _ = _quiet(source=tiny, min_closed=1, compare_previous=False, **PERIOD)
        assert res0.previous is None and res0.comparison().empty
        out = res0.to_results()
        assert out["company_previous"] is None and out["comparison"] == []


def test_one_closed_deal_is_said_in_the_singular():
    """A CRM export with one closed deal (another currency): no '1 closed deals', money in the
    data's currency."""
    import warnings

    from salesops_lib.analyses.benchmark import benchmark_reps

    opps = pd.DataFrame(
        {
            "opportunity_id": ["O1"],
            "created_at": pd.to_datetime(["2026-07-03"]),
            "owner_id": ["R1"],
            "stage": ["Closed Won"],
            "is_closed": [True],
            "is_won": [True],
            "amount": [12000.0],
            "close_date": [pd.Timestamp("2026-08-20").date()],
            "currency": ["EUR"],
        }
    )
    reps = pd.DataFrame(
        {
            "rep_id": ["R1"],
            "name": ["Anna Rossi"],
            "team": ["Nord"],
            "hire_date": [pd.Timestamp("2024-01-01").date()],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = benchmark_reps({"opportunities": opps, "reps": reps}, as_of="2026-09-30")
    text = res.headline() + " " + " ".join(res.summary().sentences)
    assert "on 1 closed deal." in text and "closed 1 deal between" in text
    assert "1 closed deals" not in text and "1 of 1 deals" not in text
    assert "€12,000" in res.top()._repr_html_() and "$" not in res.top()._repr_html_()
