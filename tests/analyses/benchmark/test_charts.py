"""Tests of salesops_lib.analyses.benchmark._charts: what is drawn, not how it looks."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.benchmark._charts import (
    plot_attainment,
    plot_funnel,
    plot_leaderboard,
    plot_territory_balance,
)
from salesops_lib.viz.theme import ACCENT, BAD, GOOD, GREY


@pytest.fixture
def reps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_id": ["R1", "R2", "R3", "R4"],
            "name": ["Ann", "Bob", "Cy", "Di"],
            "closed": [100, 12, 80, 90],
            "win_rate": [0.45, 0.50, 0.25, 0.10],
            "ci_low": [0.35, 0.25, 0.16, 0.05],
            "ci_high": [0.55, 0.75, 0.36, 0.18],
            "shrunk_win_rate": [0.40, 0.30, 0.26, 0.15],
            "shrunk_low": [0.33, 0.20, 0.19, 0.10],
            "shrunk_high": [0.48, 0.41, 0.34, 0.21],
            "quota_attainment": [1.25, 0.5, 0.95, 3.1],
        }
    )


def _same(c1, c2) -> bool:
    return np.allclose(mcolors.to_rgba(c1), mcolors.to_rgba(c2))


def test_leaderboard_sorted_hollow_small_and_coloured(reps):
    ax = plot_leaderboard(
        reps, company_rate=0.28, small_n=30, above=["R1"], below=["R4"], title="1 rep clearly above"
    )
    assert ax.get_title(loc="left") == "1 rep clearly above"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # bottom-to-top by shrunk rate: Di, Cy, Bob, Ann
    assert [lbl.split(" (")[0] for lbl in labels] == ["Di", "Cy", "Bob", "Ann"]
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(dots) == 4
    hollow = [d for d in dots if _same(d.get_markerfacecolor(), "white")]
    assert len(hollow) == 1 and hollow[0].get_xdata()[0] == 0.50  # Bob, n = 12
    top = next(d for d in dots if d.get_xdata()[0] == 0.45)
    low = next(d for d in dots if d.get_xdata()[0] == 0.10)
    assert _same(top.get_markeredgecolor(), ACCENT) and _same(low.get_markeredgecolor(), BAD)
    assert any("n < 30" in t.get_text() for t in ax.texts)
    # zoomed to the data: every interval and the company line in view, no wasted axis from 0
    lo, hi = ax.get_xlim()
    assert lo <= min(reps["ci_low"].min(), 0.28) and hi >= max(reps["ci_high"].max(), 0.28)
    assert lo > 0 or reps["ci_low"].min() < 0.03


def test_leaderboard_zooms_to_rates_far_from_zero(reps):
    high = reps.assign(
        **{c: reps[c] * 0.2 + 0.6 for c in ("win_rate", "ci_low", "ci_high", "shrunk_win_rate")}
    )
    ax = plot_leaderboard(high, company_rate=0.66)
    lo, hi = ax.get_xlim()
    assert 0.5 < lo < high["ci_low"].min() and high["ci_high"].max() < hi <= 1.0


def test_funnel_names_outliers(reps):
    n = np.arange(5, 121, dtype=float)
    se = np.sqrt(0.28 * 0.72 / n)
    limits = pd.DataFrame(
        {
            "n": n,
            "lower_95": 0.28 - 1.96 * se,
            "upper_95": 0.28 + 1.96 * se,
            "lower_998": 0.28 - 3.09 * se,
            "upper_998": 0.28 + 3.09 * se,
        }
    )
    ax = plot_funnel(reps, limits, p0=0.28, title="2 reps outside")
    texts = [t.get_text() for t in ax.texts]
    assert any("Ann (R1)" in t for t in texts) and any("Di (R4)" in t for t in texts)
    assert not any("Cy (R3)" in t for t in texts)
    assert ax.get_ylim()[0] == 0


def test_attainment_histogram_reference_lines(reps):
    ax = plot_attainment(reps, thresholds=(0.8, 1.0, 1.2))
    xs = sorted(ln.get_xdata()[0] for ln in ax.lines)
    assert xs == [0.8, 1.0, 1.2]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "≥100%: 50% of reps" in texts and "≥80%: 75% of reps" in texts
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 4  # every rep counted, the 310% one in the capped last bar
    good = [p for p in ax.patches if _same(p.get_facecolor(), GOOD)]
    assert sum(p.get_height() for p in good) == 2


def test_territory_balance_accent_on_overloaded():
    bal = pd.DataFrame(
        {
            "territory": ["A", "B", "C"],
            "leads_per_rep": [900.0, 2500.0, 1000.0],
            "status": ["balanced", "overloaded", "balanced"],
        }
    )
    ax = plot_territory_balance(bal, title="B carries 2.5×")
    bars = ax.patches
    assert [b.get_width() for b in bars] == [900.0, 1000.0, 2500.0]  # sorted
    assert _same(bars[-1].get_facecolor(), ACCENT)
    assert not _same(bars[0].get_facecolor(), ACCENT)
    assert ax.get_xlim()[0] == 0
    assert "B (overloaded)" in [t.get_text() for t in ax.get_yticklabels()]


def _limits(p0: float = 0.28) -> pd.DataFrame:
    n = np.arange(5, 121, dtype=float)
    se = np.sqrt(p0 * (1 - p0) / n)
    return pd.DataFrame(
        {
            "n": n,
            "lower_95": p0 - 1.96 * se,
            "upper_95": p0 + 1.96 * se,
            "lower_998": p0 - 3.09 * se,
            "upper_998": p0 + 3.09 * se,
        }
    )


def test_funnel_colours_only_reps_outside_998_and_labels_possible(reps):
    # Cy at 0.25 -> 0.39 on n = 80: z = (0.39 - 0.28) / 0.0502 = 2.19, between 95% and 99.8%
    r = reps.copy()
    r.loc[r["rep_id"] == "R3", "win_rate"] = 0.39
    ax = plot_funnel(r, _limits(), p0=0.28, title="2 reps outside the 99.8% limits")
    texts = [t.get_text() for t in ax.texts]
    assert "Cy (R3) (possible)" in texts
    assert "Ann (R1)" in texts  # outside 99.8%: named without "possible"
    dots = {round(float(d.get_xdata()[0])): d for d in ax.lines if d.get_marker() == "o"}
    assert _same(dots[80].get_markeredgecolor(), GREY)  # possible: not coloured
    assert _same(dots[100].get_markeredgecolor(), ACCENT)
    assert _same(dots[90].get_markeredgecolor(), BAD)


def test_funnel_uses_funnel_status_when_given(reps):
    r = reps.assign(
        funnel_status=[
            "above 99.8% limit",
            "within limits",
            "possible: below 95% limit",
            "below 99.8% limit",
        ]
    )
    ax = plot_funnel(r, _limits(), p0=0.28)
    texts = [t.get_text() for t in ax.texts]
    assert "Cy (R3) (possible)" in texts and "Bob (R2) (possible)" not in texts


def test_leaderboard_colours_only_the_given_reps_and_words_watch(reps):
    # R2's credible interval lies wholly above 0.15 but it is not in `above`: stays grey
    ax = plot_leaderboard(
        reps, company_rate=0.15, above=[], below=[], watch={"R3": "probably above"}
    )
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert all(_same(d.get_markeredgecolor(), GREY) for d in dots)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(lbl.startswith("Cy (R3)") and lbl.endswith("(probably above)") for lbl in labels)
    # without lists nothing is coloured either (no per-rep 95% rule)
    ax2 = plot_leaderboard(reps, company_rate=0.15)
    assert all(_same(d.get_markeredgecolor(), GREY) for d in ax2.lines if d.get_marker() == "o")


def test_funnel_text_is_readable_and_line_labels_do_not_overlap(reps):
    """Line-end labels ("99.8%", "95%", "company …") are stacked apart even when the limits end
    close to the company rate; every text is at least 10 pt."""
    import matplotlib.pyplot as plt

    # n up to 4000: the 95% limit ends 0.014 above p0, closer than one label height
    n = np.arange(5, 4001)
    se = np.sqrt(0.28 * 0.72 / n)
    lim = pd.DataFrame(
        {
            "n": n,
            "lower_95": 0.28 - 1.96 * se,
            "upper_95": 0.28 + 1.96 * se,
            "lower_998": 0.28 - 3.09 * se,
            "upper_998": 0.28 + 3.09 * se,
        }
    )
    ax = plot_funnel(reps, lim, p0=0.28, title="A long headline " * 8)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ends = [t for t in ax.texts if t.get_text() in ("99.8%", "95%", "company 28.0%")]
    assert len(ends) == 3
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t, renderer) for t in ends]  # the text, not the leader
    for i in range(3):
        for j in range(i + 1, 3):
            assert not boxes[i].overlaps(boxes[j]), (ends[i].get_text(), ends[j].get_text())
    assert all(t.get_fontsize() >= 10 for t in ax.texts)
    assert "\n" in ax.get_title(loc="left")  # long headline wrapped
    # the saved figure fits a 1000-px report column at 110 dpi, so 10 pt renders at 10 pt
    assert fig.get_size_inches()[0] * 110 < 1000
    plt.close(fig)
