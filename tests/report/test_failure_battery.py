"""The failure battery of issue 14 (run and command-line side): each case is one named bad input
or failure that once ended in a traceback, a leak or a mixed report, and must now end in the
kit's own sentence, exit code and files.

Signals (SIGTERM/SIGINT/SIGHUP during ``run --all``) are in ``test_signals.py`` (slow).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.forecast._charts import plot_fan
from salesops_lib.analyses.funnel._charts import segment_plot
from salesops_lib.viz.format import fmt_money


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# 5. Text in charts is literal
# ---------------------------------------------------------------------------------------------


class TestChartTextIsLiteral:
    def test_dollar_signs_in_a_lead_source_are_drawn_as_written(self):
        seg = pd.DataFrame(
            {
                "segment": ["Big $$ deals", "Referral $5 off $10"],
                "step": ["MQL→SQL"] * 2,
                "entered": [200, 300],
                "rate": [0.30, 0.10],
                "ci_low": [0.24, 0.07],
                "ci_high": [0.37, 0.14],
            }
        )
        ax = segment_plot(seg, pooled=0.2, title="Where $$ goes")
        ax.figure.canvas.draw()  # mathtext would raise "ValueError: Big $$ deals" here
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["Referral $5 off $10", "Big $$ deals"]
        assert all(not t.get_parse_math() for t in ax.get_yticklabels())
        assert ax.get_title(loc="left") == "Where $$ goes"

    def test_money_ticks_and_titles_carry_no_escape_backslash(self):
        sample = np.random.default_rng(7).normal(1_300_000, 150_000, 2_000)
        ax = plot_fan(
            sample,
            target=1_400_000,
            weighted=1_250_000,
            commit=1_100_000,
            best_case=1_600_000,
            money=lambda v: fmt_money(v, "USD"),
            title="Bookings $1.2M to $1.5M",
        )
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert ticks and all(t.startswith("$") for t in ticks)
        texts = [*ticks, ax.get_title(loc="left"), *(t.get_text() for t in ax.texts)]
        assert "Bookings $1.2M to $1.5M" in texts
        assert not any("\\$" in t for t in texts)
