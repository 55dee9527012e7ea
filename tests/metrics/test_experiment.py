"""Tests of salesops_lib.metrics.experiment: engine side against hand computations in pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops_lib.errors import ParamsError
from salesops_lib.metrics import experiment as E

AS_OF = pd.Timestamp("2025-06-30 23:59:59")
RATES = {"control": 0.25, "fast": 0.40, "slow": 0.25}


def synthetic(seed: int = 3, n_per_arm: int = 400, rates: dict[str, float] = RATES) -> dict[str, pd.DataFrame]:
    """A small warehouse with one experiment ``C1`` whose truth is known row by row."""
    rng = np.random.default_rng(seed)
    arms = list(rates)
    rows, hist, acts, opps, leads = [], [], [], [], []
    k = 0
    for arm in arms:
        for _ in range(n_per_arm):
            k += 1
            lid = f"L{k:07d}"
            assigned = pd.Timestamp("2025-01-01") + pd.Timedelta(hours=int(rng.integers(0, 24 * 150)))
            pre = float(rng.normal(10, 3))
            rows.append({"campaign_id": "C1", "lead_id": lid, "variant": arm, "assigned_at": assigned, "pre_period_value": pre})
            leads.append({"lead_id": lid, "created_at": assigned - pd.Timedelta(days=5), "owner_id": f"R{k % 7:03d}", "account_id": f"A{k % 40:05d}"})
            hist.append({"lead_id": lid, "status": "MQL", "changed_at": assigned})
            if rng.random() < rates[arm]:
                hist.append({"lead_id": lid, "status": "SQL", "changed_at": assigned + pd.Timedelta(hours=int(rng.integers(1, 29 * 24)))})
            elif rng.random() < 0.2:  # late SQL, outside the 30-day window
                hist.append({"lead_id": lid, "status": "SQL", "changed_at": assigned + pd.Timedelta(days=int(rng.integers(31, 80)))})
            if rng.random() < 0.15:
                hist.append({"lead_id": lid, "status": "Disqualified", "changed_at": assigned + pd.Timedelta(days=3)})
            for _m in range(int(rng.poisson(1.5 if arm == "fast" else 1.0))):
                acts.append({"activity_id": f"T{len(acts):08d}", "owner_id": "R001", "type": "meeting", "lead_id": lid,
                             "occurred_at": assigned + pd.Timedelta(days=int(rng.integers(0, 45)))})
            if rng.random() < 0.1:
                oid = f"O{len(opps) + 1:07d}"
                close = (assigned + pd.Timedelta(days=int(rng.integers(5, 120)))).date()
                opps.append({"opportunity_id": oid, "created_at": assigned + pd.Timedelta(days=2), "owner_id": "R001",
                             "stage": "Closed Won", "is_closed": True, "is_won": True, "amount": float(rng.lognormal(9, 1)),
                             "close_date": close, "lead_id": lid})
    # SQL before assignment (must not count), a multi-assigned unit, a member after as_of
    hist.append({"lead_id": "L0000001", "status": "SQL", "changed_at": rows[0]["assigned_at"] - pd.Timedelta(days=1)})
    rows.append({"campaign_id": "C1", "lead_id": "L0000002", "variant": "fast", "assigned_at": rows[1]["assigned_at"], "pre_period_value": 1.0})
    rows.append({"campaign_id": "C1", "lead_id": "L0000003", "variant": "control", "assigned_at": rows[2]["assigned_at"] + pd.Timedelta(days=1), "pre_period_value": 1.0})
    rows.append({"campaign_id": "C1", "lead_id": "L9999999", "variant": "control", "assigned_at": AS_OF + pd.Timedelta(days=3), "pre_period_value": 1.0})
    rows.append({"campaign_id": "C2", "lead_id": "L0000005", "variant": "x", "assigned_at": rows[4]["assigned_at"], "pre_period_value": 1.0})
    leads.append({"lead_id": "L9999999", "created_at": AS_OF - pd.Timedelta(days=3), "owner_id": "R001", "account_id": "A00001"})
    return {
        "campaign_members": pd.DataFrame(rows),
        "leads": pd.DataFrame(leads),
        "lead_history": pd.DataFrame(hist),
        "activities": pd.DataFrame(acts),
        "opportunities": pd.DataFrame(opps),
        "campaigns": pd.DataFrame([{"campaign_id": "C1", "name": "test", "type": "experiment"},
                                   {"campaign_id": "C2", "name": "other", "type": "email"}]),
    }


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return synthetic()


@pytest.fixture(scope="module")
def design(frames):
    return E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF)


def _clean_members(frames) -> pd.DataFrame:
    cm = frames["campaign_members"]
    cm = cm[(cm.campaign_id == "C1") & (cm.assigned_at <= AS_OF)]
    n_arms = cm.groupby("lead_id")["variant"].nunique()
    ok = n_arms[n_arms == 1].index
    return cm[cm.lead_id.isin(ok)].groupby("lead_id").agg(variant=("variant", "first"), assigned_at=("assigned_at", "min")).reset_index()


def _hand_binary(frames, stage: str, window: int) -> pd.DataFrame:
    m = _clean_members(frames)
    h = frames["lead_history"]
    h = h[h.status == stage].merge(m, on="lead_id")
    ok = h[(h.changed_at >= h.assigned_at) & (h.changed_at <= h.assigned_at + pd.Timedelta(days=window)) & (h.changed_at <= AS_OF)]
    m["mature"] = m.assigned_at + pd.Timedelta(days=window) <= AS_OF
    m["y"] = m.lead_id.isin(ok.lead_id).astype(int)
    m = m[m.mature]
    return m.groupby("variant").agg(n=("y", "size"), conversions=("y", "sum"))


class TestDesign:
    def test_arms_counts_and_multi_assignment(self, frames, design):
        assert design.arms == ["control", "fast", "slow"]
        m = _clean_members(frames)
        expected = m.groupby("variant").size()
        assert design.counts.to_dict() == expected.to_dict()
        assert design.n_multi_assigned == 1
        assert design.multi_examples == ["L0000002"]
        # L0000003 is in the same arm twice: one unit, not multi-assigned
        assert "L0000003" in set(m.lead_id)
        assert design.planned_split == pytest.approx({"control": 1 / 3, "fast": 1 / 3, "slow": 1 / 3})

    def test_unknown_control(self, frames):
        with pytest.raises(ParamsError) as err:
            E.experiment_design(frames, campaign_id="C1", control="baseline", as_of=AS_OF)
        assert err.value.param == "control"
        assert "fast" in str(err.value)

    def test_unknown_campaign(self, frames):
        with pytest.raises(ParamsError) as err:
            E.experiment_design(frames, campaign_id="C9", control="control", as_of=AS_OF)
        assert err.value.param == "campaign_id"
        assert "'C1'" in str(err.value)

    def test_split_not_summing_to_one(self, frames):
        with pytest.raises(ParamsError) as err:
            E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF,
                                planned_split={"control": 0.5, "fast": 0.3, "slow": 0.3})
        assert err.value.param == "planned_split"
        assert "1.1000" in str(err.value)

    def test_arm_with_zero_units(self, frames):
        with pytest.raises(ParamsError) as err:
            E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF,
                                planned_split={"control": 0.25, "fast": 0.25, "slow": 0.25, "ghost": 0.25})
        assert err.value.param == "planned_split"
        assert "ghost" in str(err.value)

    def test_cluster_from_leads(self, frames):
        d = E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF, cluster_by="owner_id")
        got = d.units.select("lead_id", "cluster").execute().set_index("lead_id")["cluster"]
        leads = frames["leads"].set_index("lead_id")["owner_id"]
        assert (got == leads.reindex(got.index)).all()
        with pytest.raises(ParamsError) as err:
            E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF, cluster_by="team_id")
        assert err.value.param == "cluster_by"


class TestMetricTables:
    def test_binary_matches_pandas(self, frames, design):
        spec = E.coerce_metrics([{"name": "SQL 30d", "kind": "binary", "stage": "SQL", "window_days": 30}])[0]
        got = E._arm_counts(E.metric_unit_table(design, spec)).set_index("variant").sort_index()
        exp = _hand_binary(frames, "SQL", 30).sort_index()
        assert got["n"].tolist() == exp["n"].tolist()
        assert got["conversions"].tolist() == exp["conversions"].tolist()
        # immature units are excluded: assignments in the last 30 days before as_of
        imm = E._immature_counts(E.metric_unit_table(design, spec))["n_immature"].sum()
        m = _clean_members(frames)
        assert imm == int((m.assigned_at + pd.Timedelta(days=30) > AS_OF).sum())

    def test_count_and_value_match_pandas(self, frames, design):
        specs = E.coerce_metrics([
            {"name": "Meetings", "kind": "count", "activity_type": "meeting", "window_days": 30},
            {"name": "Won", "kind": "value", "window_days": 90},
        ])
        m = _clean_members(frames)
        a = frames["activities"].merge(m, on="lead_id")
        a = a[(a.occurred_at >= a.assigned_at) & (a.occurred_at <= a.assigned_at + pd.Timedelta(days=30)) & (a.occurred_at <= AS_OF)]
        mm = m[m.assigned_at + pd.Timedelta(days=30) <= AS_OF].copy()
        mm["y"] = mm.lead_id.map(a.groupby("lead_id").size()).fillna(0)
        got = E._unit_values(E.metric_unit_table(design, specs[0]))
        assert got.groupby("variant")["y"].sum().to_dict() == pytest.approx(mm.groupby("variant")["y"].sum().to_dict())
        assert len(got) == len(mm)
        assert "x" in got.columns

        o = frames["opportunities"].merge(m, on="lead_id")
        cd = pd.to_datetime(o.close_date)
        o = o[(cd >= o.assigned_at.dt.normalize()) & (cd <= o.assigned_at + pd.Timedelta(days=90)) & (cd <= AS_OF)]
        mv = m[m.assigned_at + pd.Timedelta(days=90) <= AS_OF].copy()
        mv["y"] = mv.lead_id.map(o.groupby("lead_id")["amount"].sum()).fillna(0.0)
        got = E._unit_values(E.metric_unit_table(design, specs[1]))
        assert got.groupby("variant")["y"].sum().to_dict() == pytest.approx(mv.groupby("variant")["y"].sum().to_dict())

    def test_time_to_event_matches_pandas(self, frames, design):
        spec = E.coerce_metrics([{"name": "Days to SQL", "kind": "time_to_event", "stage": "SQL", "window_days": 60}])[0]
        km = E._km_counts(E.metric_unit_table(design, spec))
        m = _clean_members(frames)
        h = frames["lead_history"]
        h = h[h.status == "SQL"].merge(m, on="lead_id")
        h = h[(h.changed_at >= h.assigned_at) & (h.changed_at <= h.assigned_at + pd.Timedelta(days=60)) & (h.changed_at <= AS_OF)]
        first = h.groupby("lead_id")["changed_at"].min()
        m["first"] = m.lead_id.map(first)
        end = np.minimum(m.assigned_at + pd.Timedelta(days=60), AS_OF)
        stop = m["first"].fillna(end)
        m["duration"] = np.floor((stop - m.assigned_at).dt.total_seconds() / 86400).astype(int)
        m["event"] = m["first"].notna().astype(int)
        exp = m.groupby(["variant", "duration", "event"]).size().rename("count").reset_index()
        got = km.sort_values(["variant", "duration", "event"]).reset_index(drop=True)
        exp = exp.sort_values(["variant", "duration", "event"]).reset_index(drop=True)
        assert got[["duration", "event", "count"]].astype(int).values.tolist() == exp[["duration", "event", "count"]].astype(int).values.tolist()
        assert got["variant"].tolist() == exp["variant"].tolist()


class TestMetricSpecs:
    @pytest.mark.parametrize(
        ("metric", "param"),
        [
            ({"name": "a", "kind": "ratio"}, "metrics.0.kind"),
            ({"name": "a", "kind": "binary"}, "metrics.0.stage"),
            ({"name": "a", "kind": "count", "stage": "SQL"}, "metrics.0.activity_type"),
            ({"name": "a", "kind": "binary", "stage": "SQL", "window_days": 0}, "metrics.0.window_days"),
            ({"name": "a", "kind": "value", "winsorize_pct": 40}, "metrics.0.winsorize_pct"),
            ({"name": "a", "kind": "binary", "stage": "SQL", "colour": 1}, "metrics.0"),
        ],
    )
    def test_bad_metric(self, metric, param):
        with pytest.raises(ParamsError) as err:
            E.coerce_metrics([metric])
        assert err.value.param == param

    def test_primary_default_and_unique(self):
        specs = E.coerce_metrics([{"name": "a", "kind": "binary", "stage": "SQL"}, {"name": "b", "kind": "value"}])
        assert [s.primary for s in specs] == [True, False]
        assert specs[1].stage == "won"
        with pytest.raises(ParamsError):
            E.coerce_metrics([{"name": "a", "kind": "binary", "stage": "SQL", "primary": True},
                              {"name": "b", "kind": "binary", "stage": "SQL", "primary": True}])

    def test_guardrail_needs_margin(self):
        with pytest.raises(ParamsError) as err:
            E.coerce_metrics([{"name": "a", "kind": "binary", "stage": "SQL"}], param="guardrails", guardrail=True)
        assert err.value.param == "guardrails.0.margin"

    def test_unknown_stage_against_data(self, frames, design):
        specs = E.coerce_metrics([{"name": "a", "kind": "binary", "stage": "Qualified"}])
        with pytest.raises(ParamsError) as err:
            E.validate_metrics_against_data(design.src, specs)
        assert err.value.param == "metrics.0.stage"
        assert "'SQL'" in str(err.value)


# =========================================================================== analysis layer

import json  # noqa: E402
import re  # noqa: E402

from scipy import stats  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest  # noqa: E402

METRICS = [
    {"name": "SQL 30d", "kind": "binary", "stage": "SQL", "window_days": 30},
    {"name": "Meetings", "kind": "count", "activity_type": "meeting", "window_days": 30},
    {"name": "Won", "kind": "value", "window_days": 90},
    {"name": "Days to SQL", "kind": "time_to_event", "stage": "SQL", "window_days": 60},
]


@pytest.fixture(scope="module")
def result(frames):
    return E.evaluate_experiment(
        frames, campaign_id="C1", control="control", as_of=AS_OF, metrics=METRICS, n_boot=400,
        guardrails=[{"name": "DQ", "kind": "binary", "stage": "Disqualified", "window_days": 30,
                     "higher_is_better": False, "margin": 0.15}],
    )


class TestCompareBinaryCounts:
    def test_two_arms_against_statsmodels(self):
        res = E.compare_binary_counts({"control": (300, 1000), "new": (360, 1000)}, control="control")
        r = res.effects.iloc[0]
        lo, hi = confint_proportions_2indep(360, 1000, 300, 1000, method="newcomb", compare="diff")
        assert (r["abs_ci_low"], r["abs_ci_high"]) == pytest.approx((lo, hi), abs=1e-9)
        _z, p = proportions_ztest([360, 300], [1000, 1000])
        assert r["p_value"] == pytest.approx(p, rel=1e-9)
        assert r["p_value_adjusted"] == pytest.approx(p, rel=1e-9)  # one comparison
        assert r["rel_lift"] == pytest.approx(0.2)
        # delta-method interval of the log risk ratio by hand
        se = np.sqrt(1 / 360 - 1 / 1000 + 1 / 300 - 1 / 1000)
        z = stats.norm.ppf(0.975)
        assert r["rel_ci_low"] == pytest.approx(1.2 * np.exp(-z * se) - 1, rel=1e-9)
        assert r["rel_ci_high"] == pytest.approx(1.2 * np.exp(z * se) - 1, rel=1e-9)
        assert r["rel_ci_low_fieller"] < 0.2 < r["rel_ci_high_fieller"]
        # P(p_t > p_c) with Beta(1,1) priors, by numerical integration with scipy
        ft, fc = stats.beta(361, 641), stats.beta(301, 701)
        grid = np.linspace(0.2, 0.5, 20001)
        prob = np.trapezoid(ft.pdf(grid) * fc.cdf(grid), grid)
        assert r["prob_beat_control"] == pytest.approx(prob, abs=0.003)
        assert res.verdict.decision == "ship" and res.verdict.arm == "new"
        assert res.arms["rate"].tolist() == pytest.approx([0.3, 0.36])

    def test_three_arms_holm_and_matching_intervals(self):
        counts = pd.DataFrame({"variant": ["control", "a", "b"], "n": [800, 790, 805], "conversions": [200, 250, 210]})
        res = E.compare_binary_counts(counts, control="control")
        eff = res.effects.set_index("variant")
        p = [proportions_ztest([x, 200], [n, 800])[1] for x, n in ((250, 790), (210, 805))]
        assert eff["p_value"].tolist() == pytest.approx(p, rel=1e-9)
        assert eff["p_value_adjusted"].tolist() == pytest.approx(multipletests(p, method="holm")[1].tolist(), rel=1e-9)
        lo, hi = confint_proportions_2indep(250, 790, 200, 800, method="newcomb", compare="diff", alpha=0.025)
        assert (eff.loc["a", "abs_ci_low"], eff.loc["a", "abs_ci_high"]) == pytest.approx((lo, hi), abs=1e-9)
        assert eff["ci_level"].tolist() == pytest.approx([0.975, 0.975])
        bh = E.compare_binary_counts(counts, control="control", adjust="fdr_bh").effects
        assert bh["p_value_adjusted"].tolist() == pytest.approx(multipletests(p, method="fdr_bh")[1].tolist(), rel=1e-9)

    @pytest.mark.parametrize("counts", [{"control": (0, 40), "t": (0, 40)}, {"control": (0, 25), "t": (25, 25)},
                                        {"control": (40, 40), "t": (39, 40)}])
    def test_degenerate_rates_give_finite_intervals(self, counts):
        res = E.compare_binary_counts(counts, control="control")
        r = res.effects.iloc[0]
        assert np.isfinite([r["abs_ci_low"], r["abs_ci_high"], r["p_value"], r["prob_beat_control"]]).all()
        assert -1 <= r["abs_ci_low"] <= r["abs_diff"] <= r["abs_ci_high"] <= 1
        assert np.isfinite(res.arms[["ci_low", "ci_high"]].to_numpy()).all()
        json.dumps(res.to_results(), allow_nan=False)
        assert res.summary()

    def test_small_samples_use_the_exact_test(self):
        res = E.compare_binary_counts({"control": (1, 12), "t": (7, 12)}, control="control")
        r = res.effects.iloc[0]
        assert bool(r["small_sample"]) and "Boschloo" in r["method"]
        exact = stats.boschloo_exact([[7, 5], [1, 11]]).pvalue
        assert r["p_value"] == pytest.approx(exact, rel=1e-6)

    @pytest.mark.parametrize(
        ("kwargs", "param"),
        [
            ({"counts": {"a": (1, 10), "b": (2, 10)}, "control": "ctrl"}, "control"),
            ({"counts": {"control": (1, 10), "b": (0, 0)}, "control": "control"}, "counts"),
            ({"counts": {"control": (1, 10), "b": (2, 10)}, "control": "control", "planned_split": {"control": 0.5, "b": 0.6}}, "planned_split"),
            ({"counts": {"control": (11, 10), "b": (2, 10)}, "control": "control"}, "counts.conversions"),
            ({"counts": {"control": (1, 10), "b": (2, 10)}, "control": "control", "adjust": "bonf"}, "adjust"),
        ],
    )
    def test_bad_input_names_the_parameter(self, kwargs, param):
        counts = kwargs.pop("counts")
        with pytest.raises(ParamsError) as err:
            E.compare_binary_counts(counts, **kwargs)
        assert err.value.param == param

    def test_srm_failure_blocks_ship_and_shows_a_banner(self):
        res = E.compare_binary_counts({"control": (300, 1000), "new": (500, 1400)}, control="control")
        assert res.quality.srm_failed
        assert res.verdict.decision == "inconclusive"
        assert "not the planned size" in res.banner()._repr_html_()


class TestEvaluateExperiment:
    def test_binary_effects_equal_counts_path(self, frames, result):
        hand = _hand_binary(frames, "SQL", 30).reset_index()
        direct = E.compare_binary_counts(hand, control="control")
        got = result.effects[result.effects["metric"] == "SQL 30d"].reset_index(drop=True)
        cols = ["abs_diff", "abs_ci_low", "abs_ci_high", "rel_ci_low", "rel_ci_high", "p_value", "p_value_adjusted"]
        assert got[cols].to_numpy() == pytest.approx(direct.effects[cols].to_numpy(), rel=1e-12)

    def test_planted_lift_is_found(self, result):
        eff = result.primary_effects().set_index("variant")
        assert eff.loc["fast", "abs_ci_low"] < 0.15 < eff.loc["fast", "abs_ci_high"]
        assert eff.loc["slow", "abs_ci_low"] < 0 < eff.loc["slow", "abs_ci_high"]
        assert result.verdict.decision == "ship" and result.verdict.arm == "fast"
        assert result.verdict.per_arm["slow"] != "ship"

    def test_value_metric_is_welch_on_unit_values(self, frames, result, design):
        spec = E.coerce_metrics([METRICS[2]])[0]
        vals = E._unit_values(E.metric_unit_table(design, spec))
        yt, yc = vals.loc[vals.variant == "fast", "y"], vals.loc[vals.variant == "control", "y"]
        w = stats.ttest_ind(yt, yc, equal_var=False)
        r = result.effects[(result.effects.metric == "Won") & (result.effects.variant == "fast")].iloc[0]
        assert r["abs_diff"] == pytest.approx(yt.mean() - yc.mean(), rel=1e-12)
        assert r["p_value"] == pytest.approx(w.pvalue, rel=1e-9)
        assert r["mann_whitney_p"] == pytest.approx(stats.mannwhitneyu(yt, yc).pvalue, rel=1e-6)
        assert np.isfinite([r["boot_ci_low"], r["boot_ci_high"], r["cuped_diff"], r["variance_reduction"]]).all()

    def test_time_to_event_has_logrank_and_curves(self, result):
        eff = result.effects[result.effects.metric == "Days to SQL"].set_index("variant")
        assert eff.loc["fast", "p_value"] < 0.01  # fast converts more and sooner
        assert bool(eff.loc["fast", "better"])
        curves = result.curves["Days to SQL"]
        assert set(curves["variant"]) == {"control", "fast", "slow"}
        assert curves["survival"].between(0, 1).all()

    def test_guardrail_and_results_contract(self, result):
        g = result.effects[result.effects.role == "guardrail"]
        assert g["guardrail_passed"].all()  # nothing planted on disqualification; margin 15 pp
        out = result.to_results()
        json.dumps(out, allow_nan=False)
        for key in ("primary_metric", "arms", "srm_p_value", "multi_assigned_units", "effects", "verdict"):
            assert key in out
        assert out["primary_metric"] == "SQL 30d"
        assert out["multi_assigned_units"] == 1
        assert {"variant", "n", "conversions", "rate"} <= set(out["arms"][0])
        need = {"metric", "variant", "control", "abs_diff", "abs_ci_low", "abs_ci_high", "rel_lift", "rel_ci_low",
                "rel_ci_high", "p_value", "p_value_adjusted", "prob_beat_control"}
        assert need <= set(out["effects"][0])
        assert out["verdict"] == "ship"

    def test_report_blocks_and_charts(self, result):
        html = result._repr_html_()
        assert "Recommendation: ship fast" in html
        assert "assigned to more than one arm" in result.banner()._repr_html_()
        for block in (result.cards(), result.effects_table(), result.detail_tables(), result.methods(),
                      result.quality_table(), result.power_note(), result.robustness_table()):
            assert not re.search(r"\bnan\b|\binf\b", block._repr_html_().lower())
        for ax in (result.plot(), result.plot_arms(), result.plot_km(), result.plot_split(), result.plot_forest("all")):
            assert ax.get_title(loc="left")
        assert result.detectable is not None and (result.detectable["detectable_abs"] > 0).all()

    def test_unknown_stage_and_activity(self, frames):
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(frames, campaign_id="C1", control="control", as_of=AS_OF,
                                  metrics=[{"name": "x", "kind": "binary", "stage": "Won"}])
        assert err.value.param == "metrics.0.stage"
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(frames, campaign_id="C1", control="control", as_of=AS_OF,
                                  metrics=[{"name": "x", "kind": "binary", "stage": "SQL"}],
                                  guardrails=[{"name": "g", "kind": "count", "activity_type": "demo", "margin": 1}])
        assert err.value.param == "guardrails.0.activity_type"

    def test_cluster_randomisation(self, frames):
        res = E.evaluate_experiment(frames, campaign_id="C1", control="control", as_of=AS_OF, cluster_by="account_id",
                                    metrics=[METRICS[0], METRICS[2]], n_boot=200)
        eff = res.effects.set_index(["metric", "variant"])
        r = eff.loc[("SQL 30d", "fast")]
        assert "cluster-robust" in r["method"] and np.isfinite(r["design_effect"])
        ma = res.metric_arms["SQL 30d"].set_index("variant")
        assert r["abs_diff"] == pytest.approx(ma.loc["fast", "rate"] - ma.loc["control", "rate"], rel=1e-9)
        assert "cluster means" in eff.loc[("Won", "fast"), "method"]


class TestDemo:
    def test_planted_effects_recovered(self, demo_db, demo_truth):
        truth = demo_truth["experiment"]
        res = E.evaluate_experiment(
            demo_db, campaign_id=truth["campaign_id"], control=truth["control"], planned_split=truth["planned_split"],
            metrics=[{"name": "SQL within 30 days", "kind": "binary", "stage": truth["outcome_stage"],
                      "window_days": truth["window_days"]}],
        )
        eff = res.primary_effects().set_index("variant")
        lift = truth["true_abs_lift"]["fast_followup"]
        assert eff.loc["fast_followup", "abs_ci_low"] <= lift <= eff.loc["fast_followup", "abs_ci_high"]
        sb = eff.loc["sequence_b"]
        assert sb["abs_ci_low"] <= 0 <= sb["abs_ci_high"] or res.verdict.per_arm["sequence_b"] != "ship"
        assert res.quality.n_multi_assigned == truth["n_multi_assigned"]
        assert not res.quality.srm_failed


def test_sequential_weekly_looks(frames):
    res = E.evaluate_experiment(frames, campaign_id="C1", control="control", as_of=AS_OF, metrics=[METRICS[0]],
                                sequential=True)
    seq = res.sequential
    last = seq.groupby("variant").tail(1).set_index("variant")
    ma = res.metric_arms["SQL 30d"].set_index("variant")
    eff = res.primary_effects().set_index("variant")
    assert last.loc["fast", "n_t"] == ma.loc["fast", "n"] and last.loc["fast", "n_c"] == ma.loc["control", "n"]
    assert last.loc["fast", "diff"] == pytest.approx(eff.loc["fast", "abs_diff"], rel=1e-12)
    for _, g in seq.groupby("variant"):
        assert (np.diff(g["n_t"]) >= 0).all() and (g["n_t"].iloc[0] >= 50)
        assert (np.diff(g["p_value"]) <= 1e-12).all()  # always-valid p is a running minimum
    # the always-valid interval is wider than the fixed-horizon one at the same data
    assert last.loc["fast", "ci_high"] - last.loc["fast", "ci_low"] > eff.loc["fast", "abs_ci_high"] - eff.loc["fast", "abs_ci_low"]
    assert "Always-valid" in res.sequential_table()._repr_html_()
    json.dumps(res.to_results(), allow_nan=False)
