"""Tests of the experiment's verdict policy (analyses/experiment/_stats.py: decide)."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops_lib.analyses.experiment import decide
from salesops_lib.errors import ParamsError
from salesops_lib.stats.experiments import non_inferiority


# ------------------------------------------------------------------------------ verdict
class TestDecide:
    def test_ship(self) -> None:
        assert decide(0.01, 0.03, p_adjusted=0.001).verdict == "ship"

    def test_worse(self) -> None:
        assert decide(-0.03, -0.01, p_adjusted=0.001).verdict == "do not ship"

    def test_inconclusive_and_mde(self) -> None:
        assert decide(-0.01, 0.03, p_adjusted=0.4, mde=0.02).verdict == "inconclusive"
        d = decide(-0.01, 0.01, p_adjusted=0.4, mde=0.02)
        assert d.verdict == "do not ship" and "smallest worthwhile" in d.reason
        assert decide(-0.01, 0.01, p_adjusted=0.4).verdict == "inconclusive"

    def test_disagreement_is_inconclusive(self) -> None:
        assert decide(-0.001, 0.03, p_adjusted=0.03).verdict == "inconclusive"

    def test_guardrail_blocks(self) -> None:
        d = decide(0.01, 0.03, p_adjusted=0.001, guardrails={"win_rate": (-0.02, 0.01)})
        assert d.verdict == "do not ship" and d.failed_guardrails == ("win_rate",)
        ok = non_inferiority(-0.005, 0.01, name="win_rate")
        assert ok.passed
        assert decide(0.01, 0.03, p_adjusted=0.001, guardrails=[ok]).verdict == "ship"

    def test_bad_arguments(self) -> None:
        with pytest.raises(ParamsError) as err:
            decide(0.03, 0.01, p_adjusted=0.1)
        assert err.value.param == "effect_low"


def test_fdr_bh_small_samples_use_one_set_of_p_values_for_p_and_interval_level():
    """Issue 12 fix 6: control 1/25, A 6/25, B 7/25 with fdr_bh — the interval level follows the
    discoveries counted on the exact p-values that were adjusted, not on the z-test's."""
    from statsmodels.stats.multitest import multipletests

    from salesops_lib.analyses.experiment._spec import MetricSpec
    from salesops_lib.analyses.experiment._stats import _binary_effects
    from salesops_lib.stats import compare_proportions

    x = pd.Series({"control": 1, "A": 6, "B": 7})
    counts = pd.DataFrame({"variant": ["control", "A", "B"], "n": 25, "conversions": x.to_numpy()})
    spec = MetricSpec(name="Won", kind="binary", stage="won", primary=True)
    _, eff = _binary_effects(counts, spec, control="control", alpha=0.05, adjust="fdr_bh", seed=0)
    exact = [compare_proportions(x[a], 25, 1, 25).exact_p_value for a in ("A", "B")]
    reject, p_bh, *_ = multipletests(exact, alpha=0.05, method="fdr_bh")
    assert list(eff["p_value_adjusted"]) == pytest.approx(list(p_bh), rel=1e-12)
    level = 1 - 0.05 * max(int(reject.sum()), 1) / 2
    assert list(eff["ci_level"]) == pytest.approx([level, level])
    for a, row in zip(("A", "B"), eff.itertuples(), strict=True):
        ref = compare_proportions(x[a], 25, 1, 25, alpha=1 - level)
        assert (row.abs_ci_low, row.abs_ci_high) == pytest.approx((ref.abs_ci_low, ref.abs_ci_high))


def test_reported_relative_interval_agrees_with_the_difference_on_direction():
    """Issue 12 fix 3 in the report: 7/34 vs 1/34 (p = 0.024, Newcombe [0.019, 0.340]) reads as
    a positive relative change, not "−9% to +5,287%" (the log-ratio delta method's interval);
    and so on every table of the issue's grid where the difference interval excludes 0."""
    from salesops_lib.analyses.experiment import compare_binary_counts

    res = compare_binary_counts({"control": (1, 34), "B": (7, 34)}, control="control")
    r = res.effects.iloc[0]
    assert r["abs_ci_low"] > 0
    assert r["rel_ci_low"] > 0 and r["rel_ci_high"] > r["rel_lift"] > r["rel_ci_low"]
    # the card a leader reads shows the same interval
    card = next(c for c in res.cards().cards if "Relative change" in c.label)
    assert card.detail is not None and card.detail.startswith("+")

    from salesops_lib.analyses.experiment._spec import MetricSpec
    from salesops_lib.analyses.experiment._stats import _binary_effects

    spec = MetricSpec(name="Won", kind="binary", stage="won", primary=True)
    checked = 0
    for n in (10, 25, 40):
        for xt in range(0, n + 1, 3):
            for xc in range(0, n + 1, 3):
                counts = pd.DataFrame({"variant": ["c", "t"], "n": [n, n], "conversions": [xc, xt]})
                _, eff = _binary_effects(
                    counts, spec, control="c", alpha=0.05, adjust="holm", seed=0
                )
                e = eff.iloc[0]
                if e["abs_ci_low"] > 0:
                    assert e["rel_ci_low"] > 0, (xt, xc, n)
                    checked += 1
                elif e["abs_ci_high"] < 0:
                    assert e["rel_ci_high"] < 0, (xt, xc, n)
                    checked += 1
    assert checked > 100


def test_unreachable_detectable_effect_is_not_reported():
    """Issue 12 fix 5 in the report: with 4 units per arm (control 2/4) no change within 0-100%
    reaches 80% power (``mde_proportions(0.5, 4)``: 52% at best), so the report says the
    detectable effect is not available instead of naming an effect the test could not detect."""
    from salesops_lib.analyses.experiment import compare_binary_counts
    from salesops_lib.stats import mde_proportions

    small = compare_binary_counts({"control": (2, 4), "B": (3, 4)}, control="control")
    assert small.detectable is None
    assert list(small.power_note()) == ["The detectable effect is not available for this metric."]
    big = compare_binary_counts({"control": (200, 400), "B": (230, 400)}, control="control")
    row = big.detectable.iloc[0]
    ref = mde_proportions(0.5, 400, alpha=row["alpha"], power=0.8)
    assert ref.reachable and row["detectable_abs"] == pytest.approx(ref.mde, rel=1e-12)
    assert ref.achieved_power == pytest.approx(0.8, abs=1e-6)
