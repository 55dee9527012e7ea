"""Funnel charts: what they draw (bars from zero, whiskers, sort order, colours, open cells)."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.funnel._charts import (
    cohort_heatmap,
    comparison_plot,
    funnel_plot,
    segment_plot,
    time_to_convert_plot,
)
from salesops_lib.errors import ParamsError
from salesops_lib.viz.theme import ACCENT, BAD, GOOD, GREY


@pytest.fixture
def steps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": ["created→MQL", "MQL→SQL", "SQL→opportunity"],
            "entered": [1000, 600, 150],
            "converted": [600, 150, 90],
            "rate": [0.6, 0.25, 0.6],
            "ci_low": [0.57, 0.22, 0.52],
            "ci_high": [0.63, 0.28, 0.68],
        }
    )


def _same(c1, c2) -> bool:
    return np.allclose(mcolors.to_rgba(c1), mcolors.to_rgba(c2))


def test_funnel_plot_bars_from_zero_in_funnel_order_with_accent(steps):
    ax = funnel_plot(steps, highlight="MQL→SQL", title="MQL → SQL loses the most")
    bars = ax.patches
    assert [b.get_width() for b in bars] == pytest.approx([0.6, 0.25, 0.6])
    assert all(b.get_x() == 0 for b in bars)
    assert ax.get_xlim()[0] == 0
    # funnel order top to bottom, accent only on the highlighted step
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ys = list(ax.get_yticks())
    assert labels[int(np.argmax(ys))] == "created → MQL"
    assert [_same(b.get_facecolor(), ACCENT) for b in bars] == [False, True, False]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "25.0%  (150 of 600)" in texts
    assert "MQL → SQL loses the most" in {ax.get_title(loc=p) for p in ("left", "center")}


def test_segment_plot_sorted_small_hollow_and_extremes_accented():
    seg = pd.DataFrame(
        {
            "segment": ["A", "B", "C", "D"],
            "step": ["MQL→SQL"] * 4,
            "entered": [200, 300, 12, 250],
            "rate": [0.30, 0.10, 0.50, 0.20],
            "ci_low": [0.24, 0.07, 0.25, 0.15],
            "ci_high": [0.37, 0.14, 0.75, 0.26],
            "small": [False, False, True, False],
        }
    )
    ax = segment_plot(seg, pooled=0.2, min_size=30)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["B", "D", "A", "C"]  # sorted by rate, lowest at the bottom
    markers = [ln for ln in ax.lines if ln.get_marker() == "o"]
    faces = {lab: m.get_markerfacecolor() for lab, m in zip(labels, markers, strict=True)}
    assert faces["C"] == "white"  # small segment: hollow
    colors = {lab: m.get_color() for lab, m in zip(labels, markers, strict=True)}
    assert _same(colors["B"], ACCENT) and _same(colors["A"], ACCENT)  # lowest and highest ranked
    assert _same(colors["D"], GREY) and _same(colors["C"], GREY)
    assert any("fewer than 30" in t.get_text() for t in ax.texts)


def test_time_curves_and_comparison_colours():
    curves = pd.DataFrame(
        {
            "step": ["a→b"] * 3 + ["b→c"] * 3,
            "day": [0, 1, 2] * 2,
            "converted": [0.0, 0.2, 0.3, 0.0, 0.5, 0.6],
            "ci_low": [0.0, 0.15, 0.25, 0.0, 0.45, 0.55],
            "ci_high": [0.0, 0.25, 0.35, 0.0, 0.55, 0.65],
        }
    )
    ax = time_to_convert_plot(curves, highlight="b→c")
    assert {t.get_text() for t in ax.texts} == {"a → b", "b → c"}
    assert ax.get_ylim()[0] == 0
    cmp_ = pd.DataFrame(
        {
            "step": ["x", "y", "z"],
            "diff": [0.05, -0.04, 0.01],
            "diff_ci_low": [0.02, -0.07, -0.02],
            "diff_ci_high": [0.08, -0.01, 0.04],
            "clear": [True, True, False],
        }
    )
    ax = comparison_plot(cmp_)
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert [_same(d.get_color(), c) for d, c in zip(dots, [GOOD, BAD, GREY], strict=True)] == [
        True
    ] * 3
    # signed numbers come from the kit's formatter (no hand-made hyphen-minus)
    from salesops_lib.viz.format import fmt_pp

    labels = [t.get_text() for t in ax.texts]
    assert labels == [fmt_pp(0.05), fmt_pp(-0.04), fmt_pp(0.01) + "  (within chance)"]
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text() not in ("", "0")]
    assert ticks and all(t in {fmt_pp(v / 100, 0) for v in range(-20, 21)} for t in ticks)


def test_cohort_heatmap_marks_open_cells_instead_of_values():
    t = pd.DataFrame(
        {
            "cohort_label": ["Jan", "Jan", "Feb", "Feb"],
            "stage": ["MQL", "SQL", "MQL", "SQL"],
            "n": [100, 100, 80, 80],
            "rate": [0.6, 0.2, 0.55, 0.05],
            "complete": [True, True, True, False],
        }
    )
    ax = cohort_heatmap(t, stages=["MQL", "SQL"])
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("open") == 1
    assert "5.0%" not in texts  # the incomplete cohort is not shown as low
    assert {"60.0%", "20.0%", "55.0%"} <= set(texts)


def test_charts_reject_frames_without_the_columns():
    with pytest.raises(ParamsError, match="steps"):
        funnel_plot(pd.DataFrame({"step": ["a"]}))


@pytest.mark.parametrize("half_width", [0.004, 0.03, 0.09, 0.21])
def test_comparison_plot_tick_labels_equal_their_positions(half_width):
    # a label must not round away from its tick (the old axis said "+2 pp" at +2.5 pp)
    cmp_ = pd.DataFrame(
        {
            "step": ["created→MQL", "MQL→SQL"],
            "diff": [half_width / 2, -half_width / 3],
            "diff_ci_low": [0.0, -half_width],
            "diff_ci_high": [half_width, half_width / 4],
            "clear": [False, False],
        }
    )
    ax = comparison_plot(cmp_)
    ax.figure.canvas.draw()
    lo, hi = ax.get_xlim()
    shown = [
        (t.get_position()[0], t.get_text())
        for t in ax.get_xticklabels()
        if lo <= t.get_position()[0] <= hi
    ]
    assert len(shown) >= 3
    for pos, text in shown:
        value = 0.0 if text == "0" else float(text.replace("\u2212", "-").removesuffix(" pp"))
        assert value == pytest.approx(100 * pos, abs=1e-9), (pos, text)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
