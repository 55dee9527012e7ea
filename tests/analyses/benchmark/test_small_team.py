"""Benchmarking a very small team (two reps, a handful of deals), as a fresh CRM import gives.

What read wrong on such data: a rep with 2 won of 2 was called an outlier "outside the 99.8%
limits" while the summary said no rep differs by more than chance, and count axes showed
repeated or half ticks ("1, 1, 1, 0, 0" reps; 0.5 closed deals), and 4 activities in a year
read "0.0 activities per rep per selling day (0.0–0.0)".
"""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from salesops_lib.analyses.benchmark._charts import plot_attainment, plot_funnel
from salesops_lib.analyses.benchmark._definitions import FUNNEL_STATUS
from salesops_lib.analyses.benchmark._narrative import _small_rate_digits
from salesops_lib.analyses.benchmark._stats import _funnel_limits, _funnel_status
from salesops_lib.viz import format as F


def test_two_won_of_two_is_not_an_outlier_though_the_smoothed_line_says_so():
    p0 = 4 / 6  # the HubSpot sample: 4 won of 6 closed
    lim = _funnel_limits(p0, np.array([2.0]))
    assert lim["upper_998"].iloc[0] < 1.0  # the drawn line sits below 2 of 2 (Spiegelhalter)
    assert stats.binom.sf(1, 2, p0) == pytest.approx(4 / 9)  # P(2 of 2) = (2/3)^2
    got = _funnel_status(np.array([2, 2]), np.array([2, 4]), p0)
    assert list(got) == [FUNNEL_STATUS["within"]] * 2


@pytest.mark.parametrize(
    ("won", "closed", "tail", "status"),
    [  # company rate 0.5; tail = P(X >= won) above the rate, P(X <= won) below it
        (30, 30, 0.5**30, "above_998"),
        (15, 20, 21700 / 2**20, "above_95"),  # 0.1% < P < 2.5%: "possible"
        (14, 20, 60460 / 2**20, "within"),
        (10, 20, 0.588099, "within"),
        (5, 20, 21700 / 2**20, "below_95"),
        (3, 30, (1 + 30 + 435 + 4060) / 2**30, "below_998"),
    ],
)
def test_status_follows_the_exact_binomial_tails(won, closed, tail, status):
    p = (
        stats.binom.sf(won - 1, closed, 0.5)
        if won / closed >= 0.5
        else stats.binom.cdf(won, closed, 0.5)
    )
    assert p == pytest.approx(tail, rel=1e-4)
    assert _funnel_status(np.array([won]), np.array([closed]), 0.5)[0] == FUNNEL_STATUS[status]


def test_count_axes_have_whole_ticks_for_two_reps():
    reps = pd.DataFrame(
        {
            "rep_id": ["A", "B"],
            "name": ["Ann Lee", "Bo Chan"],
            "closed": [2, 4],
            "won": [2, 2],
            "win_rate": [1.0, 0.5],
            "quota_attainment": [0.5, 0.6],
        }
    )
    ax = plot_attainment(reps)
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(labels) == len(set(labels))  # no "1, 1, 1"
    ax = plot_funnel(reps, _funnel_limits(4 / 6, np.arange(1.0, 6.0)), p0=4 / 6)
    xt = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert xt and all(float(t).is_integer() for t in xt)  # no 0.5 deals


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (0.008, "0.008"),
        (0.05, "0.050"),
        (0.0123, "0.012"),
        (0.1, "0.1"),
        (2.34, "2.3"),
        (0.0, "0.0"),
    ],
)
def test_a_small_activity_rate_keeps_two_significant_digits(rate, shown):
    assert F.fmt_num(rate, _small_rate_digits(rate)) == shown
