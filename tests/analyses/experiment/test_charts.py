"""Tests of the experiment charts (analyses/experiment/_charts.py): what is drawn, where, in which
colour."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from salesops_lib.analyses.experiment import _charts as V
from salesops_lib.errors import ParamsError
from salesops_lib.viz.theme import ACCENT, BAD, GREY


@pytest.fixture
def effects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": ["SQL 30d"] * 3,
            "variant": ["fast", "slow", "worse"],
            "abs_diff": [0.06, 0.001, -0.05],
            "abs_ci_low": [0.03, -0.02, -0.08],
            "abs_ci_high": [0.09, 0.022, -0.02],
            "significant": [True, False, True],
            "better": [True, True, False],
        }
    )


def _markers(ax):
    """(x, y, colour) of the single-point marker lines drawn on ``ax``."""
    out = []
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 1 and line.get_marker() == "o":
            out.append((float(x[0]), float(y[0]), to_hex(line.get_color())))
    return out


class TestForest:
    def test_points_intervals_colours_and_zero_line(self, effects):
        ax = V.forest_plot(effects, title="Fast follow-up wins")
        pts = sorted(_markers(ax), key=lambda p: -p[1])  # top to bottom = row order
        assert [p[0] for p in pts] == pytest.approx([0.06, 0.001, -0.05])
        assert [p[2] for p in pts] == [ACCENT, GREY, BAD]
        segs = [
            ln
            for ln in ax.get_lines()
            if len(ln.get_xdata()) == 2 and ln.get_marker() in ("None", "", None)
        ]
        spans = sorted((float(min(s.get_xdata())), float(max(s.get_xdata()))) for s in segs)
        assert (0.03, 0.09) in [tuple(np.round(s, 6)) for s in spans]
        # the zero line is a vertical line at x = 0
        assert any(np.allclose(ln.get_xdata(), [0, 0]) for ln in ax.get_lines())
        by_y = {
            float(y): t.get_text()
            for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
        }
        assert [by_y[k] for k in sorted(by_y, reverse=True)] == [
            "fast",
            "slow",
            "worse",
        ]  # top first
        assert ax.get_title(loc="left") == "Fast follow-up wins"
        assert ax.get_xlim()[0] < -0.08 and ax.get_xlim()[1] > 0.09
        assert "+6.0 pp" in [t.get_text().split(" (")[0] for t in ax.texts]

    def test_explicit_highlight_and_relative_unit(self, effects):
        ax = V.forest_plot(effects, estimate="abs_diff", unit="relpct", highlight="slow")
        cols = {round(p[0], 3): p[2] for p in _markers(ax)}
        assert cols[0.001] == ACCENT
        assert ax.xaxis.get_major_formatter()(0.25) == "+25%"

    def test_labels_include_metric_when_several(self, effects):
        two = pd.concat([effects, effects.assign(metric="Meetings")], ignore_index=True)
        ax = V.forest_plot(two)
        assert "Meetings · fast" in [t.get_text() for t in ax.get_yticklabels()]

    def test_missing_columns_is_a_params_error(self, effects):
        with pytest.raises(ParamsError) as err:
            V.forest_plot(effects.drop(columns="abs_ci_low"))
        assert err.value.param == "effects"


class TestArmRates:
    def test_sorted_by_rate_with_hollow_small_arms(self):
        arms = pd.DataFrame(
            {
                "variant": ["control", "a", "b"],
                "n": [500, 20, 480],
                "rate": [0.3, 0.5, 0.36],
                "ci_low": [0.26, 0.3, 0.32],
                "ci_high": [0.34, 0.7, 0.4],
            }
        )
        ax = V.arm_rates_plot(arms, control="control", highlight="b")
        assert [t.get_text() for t in ax.get_yticklabels()] == ["control", "b", "a"]
        markers = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
        faces = {float(ln.get_xdata()[0]): ln.get_markerfacecolor() for ln in markers}
        assert faces[0.5] == "white"  # n = 20 < 30
        assert to_hex(faces[0.36]) == ACCENT
        assert any("fewer than 30" in t.get_text() for t in ax.texts)
        assert ax.get_xlim()[0] <= 0.26  # every interval is inside the axis
        assert any(
            np.allclose(ln.get_xdata(), [0.3, 0.3]) for ln in ax.get_lines()
        )  # control reference


class TestKaplanMeier:
    def test_cumulative_curves_end_at_one_minus_survival(self):
        curves = pd.DataFrame(
            {
                "variant": ["c", "c", "t", "t"],
                "time": [5, 10, 4, 9],
                "survival": [0.8, 0.6, 0.7, 0.5],
                "ci_low": [0.7, 0.5, 0.6, 0.4],
                "ci_high": [0.9, 0.7, 0.8, 0.6],
            }
        )
        ax = V.km_plot(curves, control="c", highlight="t", event_label="SQL")
        ends = {to_hex(ln.get_color()): float(ln.get_ydata()[-1]) for ln in ax.get_lines()}
        assert ends[ACCENT] == pytest.approx(0.5)
        assert ax.get_ylabel() == "Share reached SQL"
        assert {t.get_text() for t in ax.texts} == {"c 40%", "t 50%"}


class TestSplit:
    def test_bars_are_actual_shares_and_ticks_are_plan(self):
        split = pd.DataFrame(
            {
                "variant": ["a", "b"],
                "n": [480, 520],
                "planned_share": [0.5, 0.5],
                "actual_share": [0.48, 0.52],
            }
        )
        ax = V.split_plot(split, failed=True)
        widths = sorted(p.get_width() for p in ax.patches)
        assert widths == pytest.approx([0.48, 0.52])
        assert to_hex(ax.patches[0].get_facecolor()) == BAD
        assert any(np.allclose(ln.get_xdata(), [0.5, 0.5]) for ln in ax.get_lines())


def test_percent_ticks_are_never_rounded_into_lies():
    """A tick at 27.5% must not read "28%" (an axis that steps 25, 28, 30, 32 misleads)."""
    pct, pp = V.unit_formatter("pct"), V.unit_formatter("pp")
    assert [pct(x) for x in (0.25, 0.275, 0.3)] == ["25%", "27.5%", "30%"]
    assert [pp(x) for x in (-0.02, 0.0, 0.025)] == ["\u22122 pp", "0", "+2.5 pp"]
