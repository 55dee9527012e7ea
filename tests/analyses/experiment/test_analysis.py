"""Tests of the experiment analysis (salesops_lib.analyses.experiment): engine side against hand
computations in pandas."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses import experiment as E
from salesops_lib.analyses.experiment import _engine as EN
from salesops_lib.analyses.experiment import _narrative as N
from salesops_lib.errors import ParamsError

AS_OF = pd.Timestamp("2025-06-30 23:59:59")
RATES = {"control": 0.25, "fast": 0.40, "slow": 0.25}


def synthetic(
    seed: int = 3, n_per_arm: int = 400, rates: dict[str, float] = RATES
) -> dict[str, pd.DataFrame]:
    """A small warehouse with one experiment ``C1`` whose truth is known row by row."""
    rng = np.random.default_rng(seed)
    arms = list(rates)
    rows, hist, acts, opps, leads = [], [], [], [], []
    k = 0
    for arm in arms:
        for _ in range(n_per_arm):
            k += 1
            lid = f"L{k:07d}"
            assigned = pd.Timestamp("2025-01-01") + pd.Timedelta(
                hours=int(rng.integers(0, 24 * 150))
            )
            pre = float(rng.normal(10, 3))
            rows.append(
                {
                    "campaign_id": "C1",
                    "lead_id": lid,
                    "variant": arm,
                    "assigned_at": assigned,
                    "pre_period_value": pre,
                }
            )
            leads.append(
                {
                    "lead_id": lid,
                    "created_at": assigned - pd.Timedelta(days=5),
                    "owner_id": f"R{k % 7:03d}",
                    "account_id": f"A{k % 40:05d}",
                }
            )
            hist.append({"lead_id": lid, "status": "MQL", "changed_at": assigned})
            if rng.random() < rates[arm]:
                hist.append(
                    {
                        "lead_id": lid,
                        "status": "SQL",
                        "changed_at": assigned + pd.Timedelta(hours=int(rng.integers(1, 29 * 24))),
                    }
                )
            elif rng.random() < 0.2:  # late SQL, outside the 30-day window
                hist.append(
                    {
                        "lead_id": lid,
                        "status": "SQL",
                        "changed_at": assigned + pd.Timedelta(days=int(rng.integers(31, 80))),
                    }
                )
            if rng.random() < 0.15:
                hist.append(
                    {
                        "lead_id": lid,
                        "status": "Disqualified",
                        "changed_at": assigned + pd.Timedelta(days=3),
                    }
                )
            for _m in range(int(rng.poisson(1.5 if arm == "fast" else 1.0))):
                acts.append(
                    {
                        "activity_id": f"T{len(acts):08d}",
                        "owner_id": "R001",
                        "type": "meeting",
                        "lead_id": lid,
                        "occurred_at": assigned + pd.Timedelta(days=int(rng.integers(0, 45))),
                    }
                )
            if rng.random() < 0.1:
                oid = f"O{len(opps) + 1:07d}"
                close = (assigned + pd.Timedelta(days=int(rng.integers(5, 120)))).date()
                opps.append(
                    {
                        "opportunity_id": oid,
                        "created_at": assigned + pd.Timedelta(days=2),
                        "owner_id": "R001",
                        "stage": "Closed Won",
                        "is_closed": True,
                        "is_won": True,
                        "amount": float(rng.lognormal(9, 1)),
                        "close_date": close,
                        "lead_id": lid,
                    }
                )
    # SQL before assignment (must not count), a multi-assigned unit, a member after as_of
    hist.append(
        {
            "lead_id": "L0000001",
            "status": "SQL",
            "changed_at": rows[0]["assigned_at"] - pd.Timedelta(days=1),
        }
    )
    rows.append(
        {
            "campaign_id": "C1",
            "lead_id": "L0000002",
            "variant": "fast",
            "assigned_at": rows[1]["assigned_at"],
            "pre_period_value": 1.0,
        }
    )
    rows.append(
        {
            "campaign_id": "C1",
            "lead_id": "L0000003",
            "variant": "control",
            "assigned_at": rows[2]["assigned_at"] + pd.Timedelta(days=1),
            "pre_period_value": 1.0,
        }
    )
    rows.append(
        {
            "campaign_id": "C1",
            "lead_id": "L9999999",
            "variant": "control",
            "assigned_at": AS_OF + pd.Timedelta(days=3),
            "pre_period_value": 1.0,
        }
    )
    rows.append(
        {
            "campaign_id": "C2",
            "lead_id": "L0000005",
            "variant": "x",
            "assigned_at": rows[4]["assigned_at"],
            "pre_period_value": 1.0,
        }
    )
    leads.append(
        {
            "lead_id": "L9999999",
            "created_at": AS_OF - pd.Timedelta(days=3),
            "owner_id": "R001",
            "account_id": "A00001",
        }
    )
    return {
        "campaign_members": pd.DataFrame(rows),
        "leads": pd.DataFrame(leads),
        "lead_history": pd.DataFrame(hist),
        "activities": pd.DataFrame(acts),
        "opportunities": pd.DataFrame(opps),
        "campaigns": pd.DataFrame(
            [
                {"campaign_id": "C1", "name": "test", "type": "experiment"},
                {"campaign_id": "C2", "name": "other", "type": "email"},
            ]
        ),
    }


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return synthetic()


@pytest.fixture(scope="module")
def design(frames):
    return E.experiment_design(frames, campaign_id="C1", control="control", as_of=AS_OF)


def _unit_values(t) -> pd.DataFrame:
    """Per-unit ``variant, y[, x]`` of the mature units of a metric table: the unit-level reference
    the engine-side summaries are checked against (the analysis itself never loads units)."""
    t = t.filter(t.mature)
    cols = ["variant", "y"] + (["pre_period_value"] if "pre_period_value" in t.columns else [])
    df = t.select(*cols).execute().rename(columns={"pre_period_value": "x"})
    return df.assign(variant=df["variant"].astype(str))


def _clean_members(frames) -> pd.DataFrame:
    cm = frames["campaign_members"]
    cm = cm[(cm.campaign_id == "C1") & (cm.assigned_at <= AS_OF)]
    n_arms = cm.groupby("lead_id")["variant"].nunique()
    ok = n_arms[n_arms == 1].index
    return (
        cm[cm.lead_id.isin(ok)]
        .groupby("lead_id")
        .agg(variant=("variant", "first"), assigned_at=("assigned_at", "min"))
        .reset_index()
    )


def _hand_binary(frames, stage: str, window: int) -> pd.DataFrame:
    m = _clean_members(frames)
    h = frames["lead_history"]
    h = h[h.status == stage].merge(m, on="lead_id")
    ok = h[
        (h.changed_at >= h.assigned_at)
        & (h.changed_at <= h.assigned_at + pd.Timedelta(days=window))
        & (h.changed_at <= AS_OF)
    ]
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
        assert design.planned_split == pytest.approx(
            {"control": 1 / 3, "fast": 1 / 3, "slow": 1 / 3}
        )

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
            E.experiment_design(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                planned_split={"control": 0.5, "fast": 0.3, "slow": 0.3},
            )
        assert err.value.param == "planned_split"
        assert "1.1000" in str(err.value)

    def test_arm_with_zero_units(self, frames):
        with pytest.raises(ParamsError) as err:
            E.experiment_design(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                planned_split={"control": 0.25, "fast": 0.25, "slow": 0.25, "ghost": 0.25},
            )
        assert err.value.param == "planned_split"
        assert "ghost" in str(err.value)

    def test_cluster_from_leads(self, frames):
        d = E.experiment_design(
            frames, campaign_id="C1", control="control", as_of=AS_OF, cluster_by="owner_id"
        )
        got = d.units.select("lead_id", "cluster").execute().set_index("lead_id")["cluster"]
        leads = frames["leads"].set_index("lead_id")["owner_id"]
        assert (got == leads.reindex(got.index)).all()
        with pytest.raises(ParamsError) as err:
            E.experiment_design(
                frames, campaign_id="C1", control="control", as_of=AS_OF, cluster_by="team_id"
            )
        assert err.value.param == "cluster_by"


class TestMetricTables:
    def test_binary_matches_pandas(self, frames, design):
        spec = E.coerce_metrics(
            [{"name": "SQL 30d", "kind": "binary", "stage": "SQL", "window_days": 30}]
        )[0]
        summ = EN.binary_summaries(E.metric_unit_table(design, spec), with_pre=False)
        got = summ.counts.set_index("variant").sort_index()
        exp = _hand_binary(frames, "SQL", 30).sort_index()
        assert got["n"].tolist() == exp["n"].tolist()
        assert got["conversions"].tolist() == exp["conversions"].tolist()
        # immature units are excluded: assignments in the last 30 days before as_of
        imm = summ.n_immature
        m = _clean_members(frames)
        assert imm == int((m.assigned_at + pd.Timedelta(days=30) > AS_OF).sum())

    def test_count_and_value_match_pandas(self, frames, design):
        specs = E.coerce_metrics(
            [
                {
                    "name": "Meetings",
                    "kind": "count",
                    "activity_type": "meeting",
                    "window_days": 30,
                },
                {"name": "Won", "kind": "value", "window_days": 90},
            ]
        )
        m = _clean_members(frames)
        a = frames["activities"].merge(m, on="lead_id")
        a = a[
            (a.occurred_at >= a.assigned_at)
            & (a.occurred_at <= a.assigned_at + pd.Timedelta(days=30))
            & (a.occurred_at <= AS_OF)
        ]
        mm = m[m.assigned_at + pd.Timedelta(days=30) <= AS_OF].copy()
        mm["y"] = mm.lead_id.map(a.groupby("lead_id").size()).fillna(0)
        got = _unit_values(E.metric_unit_table(design, specs[0]))
        assert got.groupby("variant")["y"].sum().to_dict() == pytest.approx(
            mm.groupby("variant")["y"].sum().to_dict()
        )
        assert len(got) == len(mm)
        assert "x" in got.columns

        o = frames["opportunities"].merge(m, on="lead_id")
        cd = pd.to_datetime(o.close_date)
        o = o[
            (cd >= o.assigned_at.dt.normalize())
            & (cd <= o.assigned_at + pd.Timedelta(days=90))
            & (cd <= AS_OF)
        ]
        mv = m[m.assigned_at + pd.Timedelta(days=90) <= AS_OF].copy()
        mv["y"] = mv.lead_id.map(o.groupby("lead_id")["amount"].sum()).fillna(0.0)
        got = _unit_values(E.metric_unit_table(design, specs[1]))
        assert got.groupby("variant")["y"].sum().to_dict() == pytest.approx(
            mv.groupby("variant")["y"].sum().to_dict()
        )

    def test_time_to_event_matches_pandas(self, frames, design):
        spec = E.coerce_metrics(
            [{"name": "Days to SQL", "kind": "time_to_event", "stage": "SQL", "window_days": 60}]
        )[0]
        km = EN._km_counts(E.metric_unit_table(design, spec))
        m = _clean_members(frames)
        h = frames["lead_history"]
        h = h[h.status == "SQL"].merge(m, on="lead_id")
        h = h[
            (h.changed_at >= h.assigned_at)
            & (h.changed_at <= h.assigned_at + pd.Timedelta(days=60))
            & (h.changed_at <= AS_OF)
        ]
        first = h.groupby("lead_id")["changed_at"].min()
        m["first"] = m.lead_id.map(first)
        end = np.minimum(m.assigned_at + pd.Timedelta(days=60), AS_OF)
        stop = m["first"].fillna(end)
        m["duration"] = np.floor((stop - m.assigned_at).dt.total_seconds() / 86400).astype(int)
        m["event"] = m["first"].notna().astype(int)
        exp = m.groupby(["variant", "duration", "event"]).size().rename("count").reset_index()
        got = km.sort_values(["variant", "duration", "event"]).reset_index(drop=True)
        exp = exp.sort_values(["variant", "duration", "event"]).reset_index(drop=True)
        assert (
            got[["duration", "event", "count"]].astype(int).values.tolist()
            == exp[["duration", "event", "count"]].astype(int).values.tolist()
        )
        assert got["variant"].tolist() == exp["variant"].tolist()


class TestMetricSpecs:
    @pytest.mark.parametrize(
        ("metric", "param"),
        [
            ({"name": "a", "kind": "ratio"}, "metrics.0.kind"),
            ({"name": "a", "kind": "binary"}, "metrics.0.stage"),
            ({"name": "a", "kind": "count", "stage": "SQL"}, "metrics.0.activity_type"),
            (
                {"name": "a", "kind": "binary", "stage": "SQL", "window_days": 0},
                "metrics.0.window_days",
            ),
            ({"name": "a", "kind": "value", "winsorize_pct": 40}, "metrics.0.winsorize_pct"),
            ({"name": "a", "kind": "binary", "stage": "SQL", "colour": 1}, "metrics.0"),
        ],
    )
    def test_bad_metric(self, metric, param):
        with pytest.raises(ParamsError) as err:
            E.coerce_metrics([metric])
        assert err.value.param == param

    def test_primary_default_and_unique(self):
        specs = E.coerce_metrics(
            [{"name": "a", "kind": "binary", "stage": "SQL"}, {"name": "b", "kind": "value"}]
        )
        assert [s.primary for s in specs] == [True, False]
        assert specs[1].stage == "won"
        with pytest.raises(ParamsError):
            E.coerce_metrics(
                [
                    {"name": "a", "kind": "binary", "stage": "SQL", "primary": True},
                    {"name": "b", "kind": "binary", "stage": "SQL", "primary": True},
                ]
            )

    def test_guardrail_needs_margin(self):
        with pytest.raises(ParamsError) as err:
            E.coerce_metrics(
                [{"name": "a", "kind": "binary", "stage": "SQL"}],
                param="guardrails",
                guardrail=True,
            )
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
from statsmodels.stats.proportion import (  # noqa: E402
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

METRICS = [
    {"name": "SQL 30d", "kind": "binary", "stage": "SQL", "window_days": 30},
    {"name": "Meetings", "kind": "count", "activity_type": "meeting", "window_days": 30},
    {"name": "Won", "kind": "value", "window_days": 90},
    {"name": "Days to SQL", "kind": "time_to_event", "stage": "SQL", "window_days": 60},
]


@pytest.fixture(scope="module")
def result(frames):
    return E.evaluate_experiment(
        frames,
        campaign_id="C1",
        control="control",
        as_of=AS_OF,
        metrics=METRICS,
        n_boot=400,
        guardrails=[
            {
                "name": "DQ",
                "kind": "binary",
                "stage": "Disqualified",
                "window_days": 30,
                "higher_is_better": False,
                "margin": 0.15,
            }
        ],
    )


class TestCompareBinaryCounts:
    def test_two_arms_against_statsmodels(self):
        res = E.compare_binary_counts(
            {"control": (300, 1000), "new": (360, 1000)}, control="control"
        )
        r = res.effects.iloc[0]
        lo, hi = confint_proportions_2indep(360, 1000, 300, 1000, method="newcomb", compare="diff")
        assert (r["abs_ci_low"], r["abs_ci_high"]) == pytest.approx((lo, hi), abs=1e-9)
        _z, p = proportions_ztest([360, 300], [1000, 1000])
        assert r["p_value"] == pytest.approx(p, rel=1e-9)
        assert r["p_value_adjusted"] == pytest.approx(p, rel=1e-9)  # one comparison
        assert r["rel_lift"] == pytest.approx(0.2)
        # MOVER-R interval of the risk ratio from the Wilson limits, by hand (Donner & Zou 2012)
        p1, p0 = 0.36, 0.30
        l1, u1 = proportion_confint(360, 1000, method="wilson")
        l0, u0 = proportion_confint(300, 1000, method="wilson")
        lo = (p1 * p0 - np.sqrt((p1 * p0) ** 2 - l1 * u0 * (2 * p1 - l1) * (2 * p0 - u0))) / (
            u0 * (2 * p0 - u0)
        )
        hi = (p1 * p0 + np.sqrt((p1 * p0) ** 2 - u1 * l0 * (2 * p1 - u1) * (2 * p0 - l0))) / (
            l0 * (2 * p0 - l0)
        )
        assert r["rel_ci_low"] == pytest.approx(lo - 1, rel=1e-9)
        assert r["rel_ci_high"] == pytest.approx(hi - 1, rel=1e-9)
        assert r["rel_ci_low_fieller"] < 0.2 < r["rel_ci_high_fieller"]
        # P(p_t > p_c) with Beta(1,1) priors, by numerical integration with scipy
        ft, fc = stats.beta(361, 641), stats.beta(301, 701)
        grid = np.linspace(0.2, 0.5, 20001)
        prob = np.trapezoid(ft.pdf(grid) * fc.cdf(grid), grid)
        assert r["prob_beat_control"] == pytest.approx(prob, abs=0.003)
        assert res.verdict.decision == "ship" and res.verdict.arm == "new"
        assert res.arms["rate"].tolist() == pytest.approx([0.3, 0.36])

    def test_three_arms_holm_and_matching_intervals(self):
        counts = pd.DataFrame(
            {"variant": ["control", "a", "b"], "n": [800, 790, 805], "conversions": [200, 250, 210]}
        )
        res = E.compare_binary_counts(counts, control="control")
        eff = res.effects.set_index("variant")
        p = [proportions_ztest([x, 200], [n, 800])[1] for x, n in ((250, 790), (210, 805))]
        assert eff["p_value"].tolist() == pytest.approx(p, rel=1e-9)
        assert eff["p_value_adjusted"].tolist() == pytest.approx(
            multipletests(p, method="holm")[1].tolist(), rel=1e-9
        )
        lo, hi = confint_proportions_2indep(
            250, 790, 200, 800, method="newcomb", compare="diff", alpha=0.025
        )
        assert (eff.loc["a", "abs_ci_low"], eff.loc["a", "abs_ci_high"]) == pytest.approx(
            (lo, hi), abs=1e-9
        )
        assert eff["ci_level"].tolist() == pytest.approx([0.975, 0.975])
        bh = E.compare_binary_counts(counts, control="control", adjust="fdr_bh").effects
        assert bh["p_value_adjusted"].tolist() == pytest.approx(
            multipletests(p, method="fdr_bh")[1].tolist(), rel=1e-9
        )

    @pytest.mark.parametrize(
        "counts",
        [
            {"control": (0, 40), "t": (0, 40)},
            {"control": (0, 25), "t": (25, 25)},
            {"control": (40, 40), "t": (39, 40)},
        ],
    )
    def test_degenerate_rates_give_finite_intervals(self, counts):
        res = E.compare_binary_counts(counts, control="control")
        r = res.effects.iloc[0]
        assert np.isfinite(
            [r["abs_ci_low"], r["abs_ci_high"], r["p_value"], r["prob_beat_control"]]
        ).all()
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
            (
                {
                    "counts": {"control": (1, 10), "b": (2, 10)},
                    "control": "control",
                    "planned_split": {"control": 0.5, "b": 0.6},
                },
                "planned_split",
            ),
            (
                {"counts": {"control": (11, 10), "b": (2, 10)}, "control": "control"},
                "counts.conversions",
            ),
            (
                {
                    "counts": {"control": (1, 10), "b": (2, 10)},
                    "control": "control",
                    "adjust": "bonf",
                },
                "adjust",
            ),
        ],
    )
    def test_bad_input_names_the_parameter(self, kwargs, param):
        counts = kwargs.pop("counts")
        with pytest.raises(ParamsError) as err:
            E.compare_binary_counts(counts, **kwargs)
        assert err.value.param == param

    def test_srm_failure_blocks_ship_and_shows_a_banner(self):
        res = E.compare_binary_counts(
            {"control": (300, 1000), "new": (500, 1400)}, control="control"
        )
        assert res.quality.srm_failed
        assert res.verdict.decision == "inconclusive"
        assert "not the planned size" in res.banners()[0]._repr_html_()

    def test_one_arm_inconclusive_says_the_difference_once(self):
        """Two arms, no clear difference: the summary gives the difference once (in the
        recommendation), then the two values, no nested brackets; the per-arm chart does not
        rank the arms."""
        res = E.compare_binary_counts(
            {"control": (1203, 10000), "treatment": (1190, 10000)}, control="control"
        )
        assert res.verdict.decision == "inconclusive"
        text = " ".join(res.summary().sentences)
        assert text.count("percentage points") == 1
        assert "(12.0% (" not in text and "Against control" not in text
        assert "11.9% (11.3–12.5%) with treatment, 12.0% (11.4–12.7%) with control." in text
        ax = res.plot("arms")
        assert ax.get_title(loc="left") == "Conversion by arm: no arm clearly apart from control"
        plt.close(ax.figure)


class TestEvaluateExperiment:
    def test_binary_effects_equal_counts_path(self, frames, result):
        hand = _hand_binary(frames, "SQL", 30).reset_index()
        direct = E.compare_binary_counts(hand, control="control")
        got = result.effects[result.effects["metric"] == "SQL 30d"].reset_index(drop=True)
        cols = [
            "abs_diff",
            "abs_ci_low",
            "abs_ci_high",
            "rel_ci_low",
            "rel_ci_high",
            "p_value",
            "p_value_adjusted",
        ]
        assert got[cols].to_numpy() == pytest.approx(direct.effects[cols].to_numpy(), rel=1e-12)

    def test_planted_lift_is_found(self, result):
        eff = result.primary_effects().set_index("variant")
        assert eff.loc["fast", "abs_ci_low"] < 0.15 < eff.loc["fast", "abs_ci_high"]
        assert eff.loc["slow", "abs_ci_low"] < 0 < eff.loc["slow", "abs_ci_high"]
        assert result.verdict.decision == "ship" and result.verdict.arm == "fast"
        assert result.verdict.per_arm["slow"] != "ship"

    def test_value_metric_is_welch_on_unit_values(self, frames, result, design):
        spec = E.coerce_metrics([METRICS[2]])[0]
        vals = _unit_values(E.metric_unit_table(design, spec))
        yt, yc = vals.loc[vals.variant == "fast", "y"], vals.loc[vals.variant == "control", "y"]
        w = stats.ttest_ind(yt, yc, equal_var=False)
        r = result.effects[
            (result.effects.metric == "Won") & (result.effects.variant == "fast")
        ].iloc[0]
        assert r["abs_diff"] == pytest.approx(yt.mean() - yc.mean(), rel=1e-12)
        assert r["p_value"] == pytest.approx(w.pvalue, rel=1e-9)
        assert r["mann_whitney_p"] == pytest.approx(stats.mannwhitneyu(yt, yc).pvalue, rel=1e-6)
        assert np.isfinite(
            [r["boot_ci_low"], r["boot_ci_high"], r["cuped_diff"], r["variance_reduction"]]
        ).all()

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
        for key in (
            "primary_metric",
            "arms",
            "srm_p_value",
            "multi_assigned_units",
            "effects",
            "verdict",
        ):
            assert key in out
        assert out["primary_metric"] == "SQL 30d"
        assert out["multi_assigned_units"] == 1
        assert {"variant", "n", "conversions", "rate"} <= set(out["arms"][0])
        need = {
            "metric",
            "variant",
            "control",
            "abs_diff",
            "abs_ci_low",
            "abs_ci_high",
            "rel_lift",
            "rel_ci_low",
            "rel_ci_high",
            "p_value",
            "p_value_adjusted",
            "prob_beat_control",
        }
        assert need <= set(out["effects"][0])
        assert out["verdict"] == "ship"

    def test_report_blocks_and_charts(self, result):
        html = result._repr_html_()
        assert "Recommendation: ship fast" in html
        assert "assigned to more than one arm" in result.banners()[0]._repr_html_()
        for block in (
            result.cards(),
            result.effects_table(),
            result.tables(),
            result.methods(),
            result.quality_table(),
            result.power_note(),
            result.robustness_table(),
        ):
            assert not re.search(r"\bnan\b|\binf\b", block._repr_html_().lower())
        for ax in (
            *(result.plot(k) for k in result.PLOT_KINDS),
            result._plot_forest(metric="all"),
        ):
            assert ax.get_title(loc="left")
        assert result.detectable is not None and (result.detectable["detectable_abs"] > 0).all()

    def test_unknown_stage_and_activity(self, frames):
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                metrics=[{"name": "x", "kind": "binary", "stage": "Won"}],
            )
        assert err.value.param == "metrics.0.stage"
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                metrics=[{"name": "x", "kind": "binary", "stage": "SQL"}],
                guardrails=[{"name": "g", "kind": "count", "activity_type": "demo", "margin": 1}],
            )
        assert err.value.param == "guardrails.0.activity_type"

    def test_cluster_randomisation(self, frames):
        res = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF,
            cluster_by="account_id",
            metrics=[METRICS[0], METRICS[2]],
            n_boot=200,
        )
        eff = res.effects.set_index(["metric", "variant"])
        r = eff.loc[("SQL 30d", "fast")]
        assert "cluster-robust" in r["method"] and np.isfinite(r["design_effect"])
        ma = res.metric_arms["SQL 30d"].set_index("variant")
        assert r["abs_diff"] == pytest.approx(
            ma.loc["fast", "rate"] - ma.loc["control", "rate"], rel=1e-9
        )
        assert "cluster means" in eff.loc[("Won", "fast"), "method"]
        # with clusters the cluster means are compared: nothing is capped or labelled as capped
        capped = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF,
            cluster_by="account_id",
            metrics=[METRICS[0], {**METRICS[2], "winsorize_pct": 99}],
            n_boot=200,
        )
        assert (
            not capped.capping
            and "no capping" in capped.effects.set_index("metric").loc["Won", "method"].iloc[0]
        )
        assert "capped" not in capped.effects_table()._repr_html_()


class TestDemo:
    def test_planted_effects_recovered(self, demo_db, demo_truth):
        truth = demo_truth["experiment"]
        res = E.evaluate_experiment(
            demo_db,
            campaign_id=truth["campaign_id"],
            control=truth["control"],
            planned_split=truth["planned_split"],
            metrics=[
                {
                    "name": "SQL within 30 days",
                    "kind": "binary",
                    "stage": truth["outcome_stage"],
                    "window_days": truth["window_days"],
                }
            ],
        )
        eff = res.primary_effects().set_index("variant")
        lift = truth["true_abs_lift"]["fast_followup"]
        assert (
            eff.loc["fast_followup", "abs_ci_low"]
            <= lift
            <= eff.loc["fast_followup", "abs_ci_high"]
        )
        sb = eff.loc["sequence_b"]
        assert (
            sb["abs_ci_low"] <= 0 <= sb["abs_ci_high"]
            or res.verdict.per_arm["sequence_b"] != "ship"
        )
        assert res.quality.n_multi_assigned == truth["n_multi_assigned"]
        assert not res.quality.srm_failed


def _hand_weekly_looks(frames, window: int = 30) -> pd.DataFrame:
    """Cumulative units and SQLs per arm at the end of each Sunday, outcome known at assigned +
    window."""
    m = _clean_members(frames)
    m["known"] = m.assigned_at + pd.Timedelta(days=window)
    m = m[m.known <= AS_OF]
    h = frames["lead_history"]
    h = h[h.status == "SQL"].merge(m[["lead_id", "assigned_at"]], on="lead_id")
    ok = h[
        (h.changed_at >= h.assigned_at)
        & (h.changed_at <= h.assigned_at + pd.Timedelta(days=window))
    ]
    m["y"] = m.lead_id.isin(ok.lead_id).astype(int)
    return m


def test_sequential_weekly_looks(frames):
    res = E.evaluate_experiment(
        frames,
        campaign_id="C1",
        control="control",
        as_of=AS_OF,
        metrics=[METRICS[0]],
        sequential=True,
        baseline_rate=0.25,
        planned_n_per_arm=300,
    )
    seq = res.sequential
    last = seq.groupby("variant").tail(1).set_index("variant")
    ma = res.metric_arms["SQL 30d"].set_index("variant")
    eff = res.primary_effects().set_index("variant")
    assert (
        last.loc["fast", "n_t"] == ma.loc["fast", "n"]
        and last.loc["fast", "n_c"] == ma.loc["control", "n"]
    )
    assert last.loc["fast", "diff"] == pytest.approx(eff.loc["fast", "abs_diff"], rel=1e-12)
    for _, g in seq.groupby("variant"):
        assert (np.diff(g["n_t"]) >= 0).all() and (g["n_t"].iloc[0] >= 50)
        assert (np.diff(g["p_value"]) <= 1e-12).all()  # always-valid p is a running minimum
    # the always-valid interval is wider than the fixed-horizon one at the same data
    assert (
        last.loc["fast", "ci_high"] - last.loc["fast", "ci_low"]
        > eff.loc["fast", "abs_ci_high"] - eff.loc["fast", "abs_ci_low"]
    )
    assert "Always-valid" in res.sequential_table()._repr_html_()
    json.dumps(res.to_results(), allow_nan=False)


@pytest.fixture(scope="module")
def seq_res(frames):
    return E.evaluate_experiment(
        frames,
        campaign_id="C1",
        control="control",
        as_of=AS_OF,
        metrics=[METRICS[0]],
        sequential=True,
        baseline_rate=0.25,
        planned_n_per_arm=300,
    )


class TestSequentialPlan:
    """Review item 3: tau fixed by the plan, Bonferroni over arms, looks labelled by their last day
    of data."""

    def test_tau_comes_from_the_plan_not_the_data(self, frames, seq_res):
        from salesops_lib.stats.sequential import msprt_tau

        # the plan's tau at the per-arm level alpha / 2 (two arms compared with control)
        assert (seq_res.sequential["tau"] == msprt_tau(0.25, 300, alpha=0.025)).all()
        # the same plan on less data (an earlier as-of) gives the same tau: it does not depend on
        # the data
        early = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF - pd.Timedelta(days=60),
            metrics=[METRICS[0]],
            sequential=True,
            baseline_rate=0.25,
            planned_n_per_arm=300,
        )
        assert early.sequential["tau"].iloc[0] == seq_res.sequential["tau"].iloc[0]
        given = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF,
            metrics=[METRICS[0]],
            sequential=True,
            sequential_tau=0.05,
        )
        assert (given.sequential["tau"] == 0.05).all()
        assert "sequential_tau" in given.sequential["tau_source"].iloc[0]

    def test_missing_plan_is_a_params_error(self, frames):
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                metrics=[METRICS[0]],
                sequential=True,
                baseline_rate=0.25,
            )
        assert err.value.param == "planned_n_per_arm"
        with pytest.raises(ParamsError) as err:
            E.evaluate_experiment(
                frames,
                campaign_id="C1",
                control="control",
                as_of=AS_OF,
                metrics=[METRICS[0]],
                sequential=True,
                baseline_rate=1.5,
                planned_n_per_arm=300,
            )
        assert err.value.param == "baseline_rate"

    def test_bonferroni_over_arms_by_hand(self, frames, seq_res):
        """p and the confidence sequence by the mSPRT formula at alpha / 2, from hand-counted
        looks."""
        m = _hand_weekly_looks(frames)
        tau = float(seq_res.sequential["tau"].iloc[0])
        a = 0.05 / 2
        for arm in ("fast", "slow"):
            g = seq_res.sequential[seq_res.sequential["variant"] == arm].reset_index(drop=True)
            p_run, lo_run, hi_run = 1.0, -np.inf, np.inf
            for _, look in g.iterrows():
                end = pd.Timestamp(look["data_to"]) + pd.Timedelta(days=1)  # the whole last day
                upto = m[m.known < end]
                t, c = upto[upto.variant == arm], upto[upto.variant == "control"]
                assert (len(t), len(c)) == (look["n_t"], look["n_c"])
                pt, pc = t.y.mean(), c.y.mean()
                v = pt * (1 - pt) / len(t) + pc * (1 - pc) / len(c)
                d = pt - pc
                lam = np.sqrt(v / (v + tau**2)) * np.exp(tau**2 * d**2 / (2 * v * (v + tau**2)))
                p_run = min(p_run, 1 / lam, 1.0)
                hw = np.sqrt(v * (v + tau**2) / tau**2 * (np.log((v + tau**2) / v) - 2 * np.log(a)))
                lo_run, hi_run = max(lo_run, d - hw), min(hi_run, d + hw)
                assert look["p_value"] == pytest.approx(p_run, rel=1e-9)
                assert look["p_value_adjusted"] == pytest.approx(min(1.0, 2 * p_run), rel=1e-9)
                assert (look["ci_low"], look["ci_high"]) == pytest.approx(
                    (lo_run, hi_run), rel=1e-9
                )
                assert bool(look["reject"]) == (p_run <= a)
        html = seq_res.sequential_table()._repr_html_()
        assert "adjusted for 2 arms" in html and "97.5%" in html

    def test_looks_are_labelled_by_their_last_day_of_data(self, frames, seq_res):
        m = _hand_weekly_looks(frames)
        g = seq_res.sequential[seq_res.sequential["variant"] == "fast"]
        days = pd.to_datetime(g["data_to"])
        # Sundays; a last, partial week would end at the as-of day
        assert ((days.dt.day_of_week == 6) | (days == AS_OF.normalize())).all()
        assert days.iloc[-1] <= AS_OF.normalize()
        # no unit in a look has its outcome known after the label's day
        for _, look in g.iterrows():
            day = pd.Timestamp(look["data_to"])
            inside = m[(m.variant == "fast") & (m.known < day + pd.Timedelta(days=1))]
            assert len(inside) == look["n_t"]
        first = g.loc[g["reject"].astype(bool), "data_to"]
        html = seq_res.sequential_table()._repr_html_()
        if len(first):
            assert f"{pd.Timestamp(first.iloc[0]):%d %b %Y}" in html
        out = seq_res.to_results()["sequential"]
        assert {r["variant"] for r in out} == {"fast", "slow"}
        assert out[0]["data_to"] == f"{days.iloc[-1]:%Y-%m-%d}"
        methods = seq_res.methods()._repr_html_()
        assert "Bonferroni" in methods and "0.025" in methods and "last day of data" in methods


class TestCapping:
    """Review item 1: zero-inflated value metrics are capped at a percentile of the non-zero
    values."""

    def test_cap_nonzero_by_hand(self):
        rng = np.random.default_rng(11)
        y = {
            "control": np.r_[np.zeros(930), rng.lognormal(9, 1.2, 70)],
            "t": np.r_[np.zeros(925), rng.lognormal(9, 1.2, 75)],
        }
        capped, info = E.cap_nonzero(y, upper_pct=99)
        nz = np.sort(np.r_[y["control"], y["t"]][np.r_[y["control"], y["t"]] > 0])
        # linear-interpolation percentile by hand: position (n - 1) * q
        pos = (nz.size - 1) * 0.99
        cap = nz[int(np.floor(pos))] + (pos - np.floor(pos)) * (
            nz[int(np.ceil(pos))] - nz[int(np.floor(pos))]
        )
        assert info["cap"] == pytest.approx(cap, rel=1e-12)
        assert info["n_nonzero"] == nz.size and info["n_units"] == 2000
        assert info["n_capped"] == int((nz > cap).sum()) == 2  # 1% of 145 non-zero values
        total = nz.sum()
        assert info["share_removed"] == pytest.approx(
            (nz - np.minimum(nz, cap)).sum() / total, rel=1e-12
        )
        assert capped["t"].max() == pytest.approx(cap) and capped["control"].max() <= cap
        # the pooled 99th percentile of all units would fall inside the ordinary deals (the defect)
        pooled_cap = np.percentile(np.r_[y["control"], y["t"]], 99)
        assert np.mean(nz > pooled_cap) > 0.05
        assert info["share_removed"] < 0.1

    def test_report_labels_the_capped_mean_and_shows_the_uncapped_one(self, frames, design):
        metric = {"name": "Won", "kind": "value", "window_days": 90, "winsorize_pct": 95}
        res = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF,
            n_boot=200,
            metrics=[METRICS[0], metric],
        )
        vals = _unit_values(E.metric_unit_table(design, E.coerce_metrics([metric])[0]))
        nz = vals.loc[vals.y > 0, "y"].to_numpy()
        cap = np.percentile(nz, 95)
        vals["yc"] = vals.y.clip(upper=cap)
        ma = res.metric_arms["Won"].set_index("variant")
        hand = vals.groupby("variant")[["y", "yc"]].mean()
        assert ma["mean"].to_dict() == pytest.approx(hand["yc"].to_dict(), rel=1e-12)
        assert ma["mean_uncapped"].to_dict() == pytest.approx(hand["y"].to_dict(), rel=1e-12)
        info = res.capping["Won"]
        assert info["cap"] == pytest.approx(cap, rel=1e-12)
        assert info["n_capped"] == int((nz > cap).sum())
        removed = 1 - vals.yc.sum() / vals.y.sum()
        assert info["share_removed"] == pytest.approx(removed, rel=1e-12)
        # the comparison uses the capped values; the uncapped one is kept next to it
        r = res.effects[(res.effects.metric == "Won") & (res.effects.variant == "fast")].iloc[0]
        yt, yc = vals[vals.variant == "fast"], vals[vals.variant == "control"]
        assert r["abs_diff"] == pytest.approx(yt.yc.mean() - yc.yc.mean(), rel=1e-12)
        assert r["p_value"] == pytest.approx(
            stats.ttest_ind(yt.yc, yc.yc, equal_var=False).pvalue, rel=1e-9
        )
        assert r["uncapped_diff"] == pytest.approx(yt.y.mean() - yc.y.mean(), rel=1e-12)
        from salesops_lib.viz.format import fmt_money, fmt_pct

        label = f"capped mean (values above {fmt_money(cap)} capped)"
        table = res.effects_table()._repr_html_()
        assert label in table and f"uncapped {fmt_money(hand.loc['control', 'y'])}" in table
        arms = res.arms_table("Won")._repr_html_()
        assert label.capitalize() in arms and "Mean, uncapped" in arms
        methods = res.methods()._repr_html_()
        assert f"{int((nz > cap).sum())} of {len(vals):,} units were capped" in methods
        assert f"removes {fmt_pct(removed)} of won revenue" in methods
        assert "non-zero" in methods
        assert "Main comparison, without capping" in res.robustness_table()._repr_html_()
        assert label in res.plot("forest:Won").get_xlabel()
        out = res.to_results()
        assert out["capping"]["Won"]["n_capped"] == int((nz > cap).sum())
        json.dumps(out, allow_nan=False)


class TestIntervalLevels:
    """Review item 2: one interval rule, the same numbers in summary, tables and methods; no
    100.0%."""

    def test_guardrail_uses_one_sided_alpha_over_arms(self, frames, result):
        # hand counts of the guardrail; non-inferiority bound = harmful-side end of the two-sided
        # 1 - 2 * alpha / m interval (m = 2 arms compared): the Newcombe interval at alpha = 0.05
        dq = _hand_binary(frames, "Disqualified", 30)
        g = result.effects[result.effects.role == "guardrail"].set_index("variant")
        for arm in ("fast", "slow"):
            lo, hi = confint_proportions_2indep(
                dq.loc[arm, "conversions"],
                dq.loc[arm, "n"],
                dq.loc["control", "conversions"],
                dq.loc["control", "n"],
                method="newcomb",
                compare="diff",
                alpha=0.05,
            )
            assert (g.loc[arm, "ni_ci_low"], g.loc[arm, "ni_ci_high"]) == pytest.approx(
                (lo, hi), abs=1e-12
            )
            assert g.loc[arm, "ni_bound"] == pytest.approx(hi, abs=1e-12)  # higher is worse
            assert g.loc[arm, "ni_level"] == pytest.approx(0.975) and g.loc[
                arm, "ni_ci_level"
            ] == pytest.approx(0.95)
        # the same bound in the summary sentence and the guardrail table; methods names the same
        # levels
        bound = N._fmt_diff(result.spec("DQ"), g.loc["fast", "ni_bound"])
        ci = N._fmt_ci(result.spec("DQ"), g.loc["fast", "ni_ci_low"], g.loc["fast", "ni_ci_high"])
        sent = next(x for x in result.summary() if x.startswith("Guardrail"))
        words = N._pp_words(bound.lstrip("+"))
        assert (
            f"even in the worst case the data allow, it would rise by no more than {words}" in sent
        )
        assert "one-sided" not in sent and "confidence" not in sent and " pp" not in sent
        gt = result.guardrail_table()._repr_html_()
        assert (
            "Interval (95%)" in gt
            and "Worst case (97.5%, one-sided)" in gt
            and bound in gt
            and ci in gt
        )
        assert "DQ" not in result.effects_table()._repr_html_()
        rule = result._interval_rule()
        assert (
            "one-sided 97.5% bound" in rule and "95% interval shown in the guardrail table" in rule
        )
        methods = result.methods()._repr_html_()
        assert "90%" not in methods

    def test_single_treatment_arm_uses_a_90_percent_interval(self):
        g = {
            "DQ": {
                "counts": {"control": (150, 1000), "new": (160, 1000)},
                "margin": 0.05,
                "higher_is_better": False,
            }
        }
        res = E.compare_binary_counts(
            {"control": (300, 1000), "new": (360, 1000)}, control="control", guardrails=g
        )
        r = res.effects[res.effects.role == "guardrail"].iloc[0]
        lo, hi = confint_proportions_2indep(
            160, 1000, 150, 1000, method="newcomb", compare="diff", alpha=0.10
        )
        assert (r["ni_ci_low"], r["ni_ci_high"]) == pytest.approx((lo, hi), abs=1e-12)
        assert "Interval (90%)" in res.guardrail_table()._repr_html_()
        assert "Worst case (95%, one-sided)" in res.guardrail_table()._repr_html_()
        assert "Ranges in brackets are 95% intervals." in res.methods()._repr_html_()
        assert not any("Ranges in brackets" in x for x in res.summary())

    def test_methods_say_which_interval_is_which(self, result):
        # the 95% vs 97.5% explanation is methods material, not a summary sentence
        summary = result.summary()
        assert 3 <= len(summary) <= 5
        assert not any("%" in x and "intervals" in x for x in summary)
        assert (
            "Ranges in brackets are 95% intervals for each arm's rate and 97.5% intervals for "
            "differences "
            "from control (wider because 2 arms are each compared with control)."
        ) in dict(r[:2] for r in result.methods().rows)["Intervals"]
        assert "Interval (97.5%)" in result.effects_table()._repr_html_()
        # a per-arm rate in the summary is the 95% Wilson interval
        from statsmodels.stats.proportion import proportion_confint

        ma = result.metric_arms["SQL 30d"].set_index("variant")
        lo, hi = proportion_confint(
            ma.loc["control", "conversions"], ma.loc["control", "n"], method="wilson"
        )
        assert (ma.loc["control", "ci_low"], ma.loc["control", "ci_high"]) == pytest.approx(
            (lo, hi), abs=1e-12
        )

    def test_probabilities_never_read_100_percent(self):
        res = E.compare_binary_counts(
            {"control": (300, 1000), "new": (450, 1000), "bad": (150, 1000)}, control="control"
        )
        eff = res.effects.set_index("variant")
        assert (
            eff.loc["new", "prob_beat_control"] > 0.999
            and eff.loc["bad", "prob_beat_control"] < 0.001
        )
        assert res.effects_table().data["P(better)"].tolist() == [">99.9%", "<0.1%"]
        html = res.effects_table()._repr_html_() + res.cards()._repr_html_()
        assert "&gt;99.9%" in html and "&lt;0.1%" in html and "100.0%" not in html
        assert any("over 99.9%" in x for x in res.summary())


class TestPlainWords:
    """Review: no jargon in the summary and cards; time-to-event rows with an unreached median."""

    def test_pp_words(self):
        assert (
            N._pp_words("a difference of +5.1 pp (+3.1 pp to +7.2 pp).")
            == "a difference of +5.1 percentage points (+3.1 to +7.2)."
        )
        assert (
            N._pp_words("\u22120.2 pp (\u22122.2 pp to +1.8 pp)")
            == "\u22120.2 percentage points (\u22122.2 to +1.8)"
        )
        assert N._pp_words("allowed: 5.0 pp; app") == "allowed: 5.0 percentage points; app"

    def test_summary_and_cards_in_plain_words(self, result):
        text = " ".join(result.summary())
        for jargon in (" pp", "one-sided", "97.5%", "units", "Bayesian"):
            assert jargon not in text
        assert (
            "percentage points" in text
            and "1 lead assigned to more than one arm was left out" in text
        )
        cards = result.cards()._repr_html_()
        assert (
            "Bayesian" not in cards
            and "uniform prior" not in cards
            and "given these results" in cards
        )
        assert "Leads in the test" in cards and "Units" not in cards
        assert (
            "percentage points (pp)" in dict(r[:2] for r in result.methods().rows)["Binary metrics"]
        )

    def test_time_to_event_row_shows_shares_when_median_not_reached(self, frames, result):
        # hand Kaplan–Meier (product limit) from per-lead durations built in pandas
        m = _clean_members(frames)
        h = frames["lead_history"]
        h = h[h.status == "SQL"].merge(m, on="lead_id")
        h = h[
            (h.changed_at >= h.assigned_at)
            & (h.changed_at <= h.assigned_at + pd.Timedelta(days=60))
            & (h.changed_at <= AS_OF)
        ]
        m["first"] = m.lead_id.map(h.groupby("lead_id")["changed_at"].min())
        stop = m["first"].fillna(np.minimum(m.assigned_at + pd.Timedelta(days=60), AS_OF))
        m["t"] = np.floor((stop - m.assigned_at).dt.total_seconds() / 86400)
        m["e"] = m["first"].notna().astype(int)

        def reached(arm, day):
            d = m[m.variant == arm]
            s = 1.0
            for t in sorted(d.loc[d.e == 1, "t"].unique()):
                if t > day:
                    break
                s *= 1 - ((d.t == t) & (d.e == 1)).sum() / (d.t >= t).sum()
            return 1 - s

        ma = result.metric_arms["Days to SQL"].set_index("variant")
        assert ma["median"].isna().all()  # fewer than half reach SQL in every arm
        t = result.effects_table()
        rows = t.data[t.data["Metric"] == "Days to SQL: share reached SQL"].set_index("Arm")
        assert list(rows.index) == ["fast", "slow"]
        assert (
            rows.loc["fast", "Control"] == f"{100 * reached('control', 30):.1f}% by day 30; "
            f"{100 * reached('control', 60):.1f}% by day 60"
        )
        assert (
            rows.loc["fast", "Arm value"]
            == f"{100 * reached('fast', 30):.1f}% by day 30; {100 * reached('fast', 60):.1f}% by "
            "day 60"
        )
        diff = 100 * (reached("fast", 60) - reached("control", 60))
        assert rows.loc["fast", "Difference"] == f"{diff:+.1f} pp by day 60".replace("-", "\u2212")
        eff = result.effects[result.effects.metric == "Days to SQL"].set_index("variant")
        from salesops_lib.viz.format import fmt_p

        assert (
            rows.loc["fast", "p (adjusted)"]
            == fmt_p(eff.loc["fast", "p_value_adjusted"], prefix=False) + " (log-rank)"
        )
        html = t._repr_html_()
        assert "not reached" not in html.replace("median not reached", "")
        assert "interval not available" not in html
        assert "median not reached: fewer than half the leads reached SQL" in html


class TestEngineSideEqualsUnitLevel:
    """Issue 10: count / value metrics are computed from engine-side summaries (moments, engine
    quantiles, rank sums, per-bucket sums); on small data they equal the unit-level methods."""

    @pytest.fixture(scope="class")
    @classmethod
    def capped(cls, frames):
        metric = {"name": "Won", "kind": "value", "window_days": 90, "winsorize_pct": 90}
        res = E.evaluate_experiment(
            frames,
            campaign_id="C1",
            control="control",
            as_of=AS_OF,
            n_boot=2000,
            seed=5,
            metrics=[METRICS[0], METRICS[1], metric],
        )
        return res, metric

    def test_capped_means_medians_and_welch(self, frames, design, capped):
        from salesops_lib.stats.means import welch_test

        res, metric = capped
        vals = _unit_values(E.metric_unit_table(design, E.coerce_metrics([metric])[0]))
        capped_y, info = E.cap_nonzero(
            {a: g["y"].to_numpy() for a, g in vals.groupby("variant")}, upper_pct=90
        )
        assert res.capping["Won"]["cap"] == pytest.approx(info["cap"], rel=1e-12)
        for k in ("n_units", "n_nonzero", "n_capped", "n_capped_by_arm"):
            assert res.capping["Won"][k] == info[k], k
        for k in ("total", "total_capped", "share_removed"):
            assert res.capping["Won"][k] == pytest.approx(info[k], rel=1e-12), k
        ma = res.metric_arms["Won"].set_index("variant")
        for a, y in capped_y.items():
            assert ma.loc[a, "mean"] == pytest.approx(y.mean(), rel=1e-12)
            assert ma.loc[a, "sd"] == pytest.approx(y.std(ddof=1), rel=1e-9)
            assert ma.loc[a, "median"] == pytest.approx(np.median(y), rel=1e-12, abs=1e-12)
            assert ma.loc[a, "share_nonzero"] == pytest.approx(np.mean(y > 0), rel=1e-12)
        r = res.effects[(res.effects.metric == "Won") & (res.effects.variant == "slow")].iloc[0]
        w = welch_test(capped_y["slow"], capped_y["control"], alpha=1 - r["ci_level"])
        assert (r["abs_ci_low"], r["abs_ci_high"]) == pytest.approx((w.ci_low, w.ci_high))

    def test_mann_whitney_and_cuped_equal_unit_level(self, frames, design, capped):
        from salesops_lib.stats.cuped import cuped_compare

        res, metric = capped
        vals = _unit_values(E.metric_unit_table(design, E.coerce_metrics([metric])[0]))
        cap = res.capping["Won"]["cap"]
        vals["yc"] = vals["y"].clip(upper=cap)
        c = vals[vals.variant == "control"]
        for arm in ("fast", "slow"):
            t = vals[vals.variant == arm]
            r = res.effects[(res.effects.metric == "Won") & (res.effects.variant == arm)].iloc[0]
            # many tied zeros: scipy's normal approximation with tie correction
            assert r["mann_whitney_p"] == pytest.approx(
                stats.mannwhitneyu(t.yc, c.yc).pvalue, rel=1e-9
            )
            cu = cuped_compare(t.yc, t.x, c.yc, c.x, alpha=1 - r["ci_level"])
            assert r["cuped_diff"] == pytest.approx(cu.diff, rel=1e-9)
            assert (r["cuped_ci_low"], r["cuped_ci_high"]) == pytest.approx(
                (cu.ci_low, cu.ci_high), rel=1e-9
            )
            assert r["variance_reduction"] == pytest.approx(cu.variance_reduction, abs=1e-9)

    def test_count_metric_rate_ratio_and_binary_cuped(self, frames, design, capped):
        from salesops_lib.stats.counts import compare_counts
        from salesops_lib.stats.cuped import cuped_compare

        res, _ = capped
        vals = _unit_values(E.metric_unit_table(design, E.coerce_metrics([METRICS[1]])[0]))
        c = vals[vals.variant == "control"]
        t = vals[vals.variant == "fast"]
        r = res.effects[(res.effects.metric == "Meetings") & (res.effects.variant == "fast")]
        r = r.iloc[0]
        cc = compare_counts(t.y, c.y, alpha=1 - r["ci_level"])
        assert (r["rel_ci_low"], r["rel_ci_high"]) == pytest.approx(
            (cc.rr_ci_low - 1, cc.rr_ci_high - 1), rel=1e-12
        )
        assert r["mann_whitney_p"] == pytest.approx(stats.mannwhitneyu(t.y, c.y).pvalue, rel=1e-9)
        b = _unit_values(E.metric_unit_table(design, E.coerce_metrics([METRICS[0]])[0]))
        bt, bc = b[b.variant == "fast"], b[b.variant == "control"]
        r = res.effects[(res.effects.metric == "SQL 30d") & (res.effects.variant == "fast")]
        r = r.iloc[0]
        cu = cuped_compare(bt.y, bt.x, bc.y, bc.x, alpha=1 - r["ci_level"])
        assert r["cuped_diff"] == pytest.approx(cu.diff, rel=1e-9)
        assert r["cuped_ci_high"] == pytest.approx(cu.ci_high, rel=1e-9)

    def test_bootstrap_interval_within_monte_carlo_error(self, frames, design, capped):
        """The engine-side (Poisson, per-bucket) bootstrap vs scipy's unit-level percentile
        bootstrap: every unit is its own bucket here (fewer units than buckets), so the two
        differ by Monte Carlo error only; both are checked against the normal-theory half width."""
        from salesops_lib.stats.means import bootstrap_diff_ci

        res, metric = capped
        vals = _unit_values(E.metric_unit_table(design, E.coerce_metrics([metric])[0]))
        vals["yc"] = vals["y"].clip(upper=res.capping["Won"]["cap"])
        assert vals.groupby("variant").size().max() < EN.BOOT_BUCKETS
        for arm in ("fast", "slow"):
            t, c = vals[vals.variant == arm].yc, vals[vals.variant == "control"].yc
            r = res.effects[(res.effects.metric == "Won") & (res.effects.variant == arm)].iloc[0]
            ref = bootstrap_diff_ci(
                t, c, n_boot=20_000, seed=1, alpha=1 - r["ci_level"], method="percentile"
            )
            se = ref.se
            # 2,000 replicates: the endpoints' Monte Carlo sd is about 0.05 se; allow 0.25 se
            assert r["boot_ci_low"] == pytest.approx(ref.ci_low, abs=0.25 * se)
            assert r["boot_ci_high"] == pytest.approx(ref.ci_high, abs=0.25 * se)

    def test_balance_check_from_engine_summaries(self, frames, design, capped):
        from salesops_lib.stats.balance import balance_check

        res, _ = capped
        u = design.units
        units = u.filter(u.pre_period_value.notnull()).select("variant", "pre_period_value")
        units = units.execute()
        by = {str(a): g["pre_period_value"].to_numpy() for a, g in units.groupby("variant")}
        ref = balance_check({a: by[a] for a in ("control", "fast", "slow")}, control="control")
        got = res.quality.balance
        assert got.p_value == pytest.approx(ref.p_value, rel=1e-9)
        assert got.statistic == pytest.approx(ref.statistic, rel=1e-9)
        assert got.table["smd"].to_numpy() == pytest.approx(ref.table["smd"].to_numpy(), rel=1e-9)


def test_bootstrap_buckets_come_back_in_bucket_order():
    """The bootstrap weights buckets by position with a seeded generator, so the engine's
    bucket rows must come back in a fixed order (DuckDB's parallel group-by returns any order;
    the same params once gave two different intervals)."""
    import ibis

    from salesops_lib.data._frames import frame_to_table

    rng = np.random.default_rng(0)
    n = 30_000
    units = pd.DataFrame(
        {
            "lead_id": [f"L{i:06d}" for i in rng.permutation(n)],
            "variant": rng.choice(["control", "b"], size=n),
            "y": rng.exponential(100.0, size=n).round(2),
            "mature": True,
        }
    )
    con = ibis.duckdb.connect()
    frame_to_table("units", units, con)
    t = con.table("units")
    summ = EN.value_summaries(
        t, control="control", arms=["control", "b"], cap_pct=None, with_pre=False
    )
    b = summ.buckets
    assert len(b) == 2 * EN.BOOT_BUCKETS
    ordered = b.sort_values(["variant", "bucket"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(b.reset_index(drop=True), ordered)


def _units_card(res):
    (card,) = [c for c in res.cards().cards if c.label.endswith("in the test")]
    return card


def test_units_card_names_exclusions_only_when_there_are_some(frames, result):
    """The key-number card says how many units were left out for being in more than one arm,
    and says nothing of exclusions when there were none (a one-metric web test's "0 excluded
    (in two arms)" read as noise)."""
    n_arms = len(result.arms_order)
    assert result.quality.n_multi_assigned == 1
    assert _units_card(result).detail == f"{n_arms} arms; 1 excluded (in more than one arm)"
    members = frames["campaign_members"]
    multi = members.groupby("lead_id")["variant"].transform("nunique") > 1
    clean = {**frames, "campaign_members": members[~multi]}
    res = E.evaluate_experiment(
        clean, campaign_id="C1", control="control", as_of=AS_OF, metrics=METRICS[:1], n_boot=200
    )
    assert res.quality.n_multi_assigned == 0
    assert _units_card(res).detail == f"{n_arms} arms"
