"""The statistics package's exports: sorted, resolvable, and the anchors' method set present."""

from __future__ import annotations

import importlib
from pathlib import Path

import salesops_lib.stats as st

ANCHOR_METHODS = {
    "ArmSummary", "CupedSums", "RatioCupedSummary", "lift_test", "cuped_lift_test",
    "ratio_cuped_lift_test", "asymp_cs_halfwidth", "asymp_cs_pvalue", "gaussian_lift_posterior",
    "normal_risk", "power_lift", "mde_lift", "sample_size_lift", "sample_size_arms",
    "scale_to_power", "quantile_interval", "quantile_effect", "quantile_effect_from_intervals",
    "group_sequential_interval", "two_proportion_interval", "beta_difference_interval",
}  # fmt: skip


def test_all_sorted_unique_and_resolvable() -> None:
    assert st.__all__ == sorted(set(st.__all__))
    for name in st.__all__:
        assert getattr(st, name) is not None, name


def test_anchor_methods_exported() -> None:
    assert ANCHOR_METHODS <= set(st.__all__)


def test_no_export_shadows_a_submodule() -> None:
    """``salesops_lib.stats.<module>`` stays the module (an exported function of the same name
    would hide it from ``import salesops_lib.stats.<module> as m``)."""
    for path in sorted(Path(st.__file__).parent.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        module = importlib.import_module(f"salesops_lib.stats.{path.stem}")
        assert getattr(st, path.stem) is module, path.stem
