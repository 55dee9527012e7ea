"""Tests of the experiment's verdict policy (analyses/experiment/_stats.py: decide)."""

from __future__ import annotations

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
