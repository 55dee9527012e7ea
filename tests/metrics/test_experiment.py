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
