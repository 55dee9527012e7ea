"""Words scaled to the data (issue 9): data-quality banners by harm, borderline SRM, unit nouns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from salesops_lib.analyses.experiment import evaluate_experiment
from salesops_lib.data.sources import open_source


def _tables(n_control: int, n_treat: int, n_multi: int = 0, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n = n_control + n_treat
    ids = [f"U{i:05d}" for i in range(n)]
    t0 = pd.Timestamp("2025-01-01")
    created = t0 + pd.to_timedelta(rng.uniform(0, 20, n), unit="D")
    arms = ["control"] * n_control + ["treatment"] * n_treat
    members = pd.DataFrame(
        {"campaign_id": "T", "lead_id": ids, "variant": arms, "assigned_at": created}
    )
    extra = members.iloc[:n_multi].assign(variant="treatment")  # same units, second arm
    members = pd.concat([members, extra], ignore_index=True)
    conv = rng.random(n) < 0.3
    hist = pd.DataFrame(
        {
            "lead_id": np.array(ids)[conv],
            "status": "Signed up",
            "changed_at": created[conv] + pd.Timedelta(hours=2),
        }
    )
    leads = pd.DataFrame({"lead_id": ids, "created_at": created})
    return {"leads": leads, "lead_history": hist, "campaign_members": members}


METRIC = [{"name": "Signed up", "kind": "binary", "stage": "Signed up", "primary": True}]


def test_a_few_units_in_two_arms_is_a_note_not_a_failure():
    res = evaluate_experiment(
        open_source(_tables(1500, 1500, n_multi=3)),
        campaign_id="T",
        metrics=METRIC,
        unit_label="visitor",
    )
    (banner,) = res.banners()
    assert banner.level == "info" and banner.title == "Data note:"
    assert "3 visitors were assigned to more than one arm" in banner.text[0]
    assert res.header().n_label == "visitors"


def test_many_units_in_two_arms_is_a_warning():
    res = evaluate_experiment(
        open_source(_tables(500, 500, n_multi=40)), campaign_id="T", metrics=METRIC
    )
    assert res.banners()[0].level == "warning"


def test_borderline_split_is_called_borderline_with_its_threshold():
    # 1,000 vs 1,120 units: chi-square p between 0.001 and 0.05 against a 50/50 plan
    p = stats.chisquare([1000, 1120]).pvalue
    assert 0.001 < p < 0.05
    res = evaluate_experiment(open_source(_tables(1000, 1120)), campaign_id="T", metrics=METRIC)
    text = " ".join(res.summary())
    assert "borderline" in text and "p < 0.001" in text
    assert not res.banners()  # not a failure


@pytest.mark.parametrize("n_c, n_t", [(1500, 1500)])
def test_methods_list_only_what_applies(n_c, n_t):
    res = evaluate_experiment(open_source(_tables(n_c, n_t)), campaign_id="T", metrics=METRIC)
    terms = [row[0] for row in res.methods().rows]
    assert "Binary metrics" in terms
    for absent in ("Pre-period balance", "Count and value metrics", "Time to event"):
        assert absent not in terms
    shown = [s.key for s in res.sections() if not s.absent]
    assert "time_to_event" not in shown and "guardrails" not in shown
    assert "Not in this report" in res.not_shown()._repr_html_()
