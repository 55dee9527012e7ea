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
