"""The cohort title speaks of a stage whose cohorts differ, led by cohorts big enough (issue 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_lib.analyses.funnel import funnel_analysis
from salesops_lib.data.sources import open_source


def test_trivial_first_stage_and_tiny_cohorts_do_not_lead_the_cohort_title():
    rng = np.random.default_rng(3)
    rows, hist = [], []
    # Jan–Jun: 200 leads a month, every one an MQL an hour later; SQL share 20% → 45%;
    # a July cohort of 4 leads that all reach SQL (too small to lead the title)
    for month, (n, p_sql) in enumerate(
        [(200, 0.20), (200, 0.25), (200, 0.30), (200, 0.35), (200, 0.40), (200, 0.45), (4, 1.0)]
    ):
        start = pd.Timestamp(2024, month + 1, 1)
        for i in range(n):
            lid = f"L{month}_{i}"
            t = start + pd.Timedelta(days=float(rng.uniform(0, 27)))
            rows.append((lid, t))
            hist.append((lid, "MQL", t + pd.Timedelta(hours=1)))
            if rng.random() < p_sql or p_sql == 1.0:
                hist.append((lid, "SQL", t + pd.Timedelta(days=2)))
    src = open_source(
        {
            "leads": pd.DataFrame(rows, columns=["lead_id", "created_at"]),
            "lead_history": pd.DataFrame(hist, columns=["lead_id", "status", "changed_at"]),
        },
        as_of="2024-12-31",
    )
    res = funnel_analysis(
        src,
        stages=["created", "MQL", "SQL"],
        period_start="2024-01-01",
        period_end="2024-07-31",
        window_days=30,
        compare_to="none",
        cohort_horizon_days=30,
    )
    title = res.headlines()["cohorts"]
    assert title.startswith("SQL rate by cohort ranges"), title
    assert "Jul 2024" not in title  # 4 leads cannot lead the title
    assert "100%" not in title


def test_the_missing_value_bucket_is_never_ranked_in_a_headline():
    rng = np.random.default_rng(5)
    rows, hist = [], []
    for src_name, n, p in (("Web", 400, 0.15), ("Partner", 400, 0.35), (None, 60, 0.9)):
        for i in range(n):
            lid = f"{src_name}_{i}"
            t = pd.Timestamp("2024-01-01") + pd.Timedelta(days=float(rng.uniform(0, 80)))
            rows.append((lid, t, src_name))
            if rng.random() < p:
                hist.append((lid, "SQL", t + pd.Timedelta(days=3)))
    src = open_source(
        {
            "leads": pd.DataFrame(rows, columns=["lead_id", "created_at", "source"]),
            "lead_history": pd.DataFrame(hist, columns=["lead_id", "status", "changed_at"]),
        },
        as_of="2024-12-31",
    )
    res = funnel_analysis(
        src,
        stages=["created", "SQL"],
        period_start="2024-01-01",
        period_end="2024-03-31",
        window_days=30,
        compare_to="none",
        breakdowns=["source"],
    )
    title = res.headlines()["segments:source"]
    assert "(missing)" not in title and "Partner" in title and "Web" in title, title
    assert "(missing)" not in " ".join(res.summary())
