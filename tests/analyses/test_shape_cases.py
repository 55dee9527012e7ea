"""Degenerate shapes the fuzz test found (issue 9), each checked by hand on a small dataset.

- a benchmark where only one rep closed deals: no leaderboard, funnel plot or recognition
  lists (nobody to compare with), and the plots say so with a kit error instead of a
  matplotlib ``ValueError``;
- an experiment whose only metric is time to an event that fewer than half the units reach:
  the arms are compared by the share that reached it by the window's end (hand counts) with the
  log-rank p, no "—" in the summary or cards, no empty forest plot, one verdict sentence for
  every arm that fails the same guardrail, and no pointer to CUPED estimates that do not exist;
- a funnel breakdown with a missing-value bucket and ``min_segment_size: 1``: the bucket is not
  ranked, and the intro does not speak of "fewer than 1 leads";
- unit nouns: plurals of already plural-looking and irregular nouns.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salesops_lib.analyses.benchmark import benchmark_reps
from salesops_lib.analyses.experiment import evaluate_experiment
from salesops_lib.analyses.funnel import funnel_analysis
from salesops_lib.errors import SalesOpsError
from salesops_lib.viz.format import count_noun, plural

TS = pd.Timestamp


def _text(block) -> str:
    raw = block._repr_html_() if hasattr(block, "_repr_html_") else str(block)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", raw)))


# --------------------------------------------------------------------------- benchmark


def _one_rep_closed() -> dict[str, pd.DataFrame]:
    """Two reps; only R1 has closed deals (3 won of 5), R2 only open ones."""
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ann", "Bo"], "team": ["X", "X"]})
    rows = []
    for i in range(5):
        rows.append(("R1", True, i < 3))
    for _ in range(3):
        rows.append(("R2", False, False))
    opps = pd.DataFrame(
        {
            "opportunity_id": [f"O{i}" for i in range(len(rows))],
            "created_at": [TS("2026-01-05") + pd.Timedelta(days=i) for i in range(len(rows))],
            "owner_id": [r[0] for r in rows],
            "stage": ["Won" if r[2] else ("Lost" if r[1] else "Open") for r in rows],
            "is_closed": [r[1] for r in rows],
            "is_won": [r[2] for r in rows],
            "amount": 100.0,
            "close_date": [pd.Timestamp("2026-02-20").date()] * len(rows),
        }
    )
    return {"reps": reps, "opportunities": opps}


def test_one_rep_with_closed_deals_has_no_one_to_compare_with():
    res = benchmark_reps(
        _one_rep_closed(),
        as_of="2026-03-31",
        period_start="2026-01-01",
        period_end="2026-03-31",
        compare_previous=False,
    )
    assert res.n_compared == 1
    absent = {s.key: s.absent for s in res.sections()}
    for key in ("leaderboard", "funnel", "recognition"):
        assert absent[key] and "Only one rep closed deals" in absent[key], (key, absent[key])
    for kind in ("leaderboard", "funnel"):  # was: ValueError "Axis limits cannot be NaN or Inf"
        with pytest.raises(SalesOpsError, match="Only one rep closed deals"):
            res.plot(kind)
    assert "1 reps" not in " ".join(_text(b) for b in [res.top(), res.not_shown()])


# --------------------------------------------------------------------------- experiment

AS_OF = TS("2025-12-31 23:59:59")
N_ARM = 60
REACHED = {"ctl": 12, "new": 6}  # reach the stage within 30 days; fewer than half: no median


def _slow_event_test() -> dict[str, pd.DataFrame]:
    """Two arms of 60 visitors assigned in Jan–Feb 2025 (followed ≥ 10 months): 12 and 6 reach
    ``Paid`` on day 5; nobody else ever does. A guardrail on ``Churned`` fails for ``new``."""
    members, leads, hist = [], [], []
    rng = np.random.default_rng(0)
    for arm in ("ctl", "new"):
        for i in range(N_ARM):
            lid = f"{arm}{i:03d}"
            t0 = TS("2025-01-01") + pd.Timedelta(days=int(i))
            members.append((lid, arm, t0, float(rng.normal(10 if arm == "ctl" else 12, 1))))
            leads.append((lid, t0))
            if i < REACHED[arm]:
                hist.append((lid, "Paid", t0 + pd.Timedelta(days=5)))
            if arm == "new" and i % 4 == 0:
                hist.append((lid, "Churned", t0 + pd.Timedelta(days=2)))
    return {
        "campaign_members": pd.DataFrame(
            [("T", *m) for m in members],
            columns=["campaign_id", "lead_id", "variant", "assigned_at", "pre_period_value"],
        ),
        "leads": pd.DataFrame(leads, columns=["lead_id", "created_at"]),
        "lead_history": pd.DataFrame(hist, columns=["lead_id", "status", "changed_at"]),
    }


@pytest.fixture(scope="module")
def slow_event():
    return evaluate_experiment(
        _slow_event_test(),
        as_of=AS_OF,
        campaign_id="T",
        control="ctl",
        unit_label="visitor",
        metrics=[
            {
                "name": "Days to paid",
                "kind": "time_to_event",
                "stage": "Paid",
                "window_days": 30,
                "primary": True,
            }
        ],
        guardrails=[
            {
                "name": "Churned in 30 days",
                "kind": "binary",
                "stage": "Churned",
                "window_days": 30,
                "higher_is_better": False,
                "margin": 0.01,
            }
        ],
    )


def test_time_to_event_without_a_median_is_read_as_shares_reached(slow_event):
    res = slow_event
    assert res.median_not_reached("Days to paid")
    ctl, new = REACHED["ctl"] / N_ARM, REACHED["new"] / N_ARM  # everyone followed 30 days
    cards = _text(res.cards())
    assert "Reached Paid by day 30: ctl 20.0%" in cards
    assert "Reached Paid by day 30: new 10.0%" in cards
    assert f"{100 * (new - ctl):+.1f} pp vs ctl".replace("-", "−") in cards
    # the log-rank p of the card: scipy's log-rank on the same event times
    times = np.r_[np.full(12, 5.0), np.full(48, 30.0), np.full(6, 5.0), np.full(54, 30.0)]
    events = np.r_[np.ones(12), np.zeros(48), np.ones(6), np.zeros(54)].astype(bool)
    groups = np.r_[np.zeros(60), np.ones(60)]
    ref = sps.logrank(
        sps.CensoredData(
            uncensored=times[events & (groups == 0)], right=times[~events & (groups == 0)]
        ),
        sps.CensoredData(
            uncensored=times[events & (groups == 1)], right=times[~events & (groups == 1)]
        ),
    ).pvalue
    row = res.primary_effects().iloc[0]
    assert row["p_value"] == pytest.approx(ref, rel=1e-6)
    summary = " ".join(res.summary())
    # "—" as a value ("old (—)", "new: —, —"), not as punctuation
    assert not re.search(r"\(—|—,|: —", summary) and "interval not available" not in summary
    assert "fewer than half the visitors reached Paid" in summary
    assert "20.0% by day 30" in summary and "10.0% by day 30" in summary
    assert not re.search(r"(^|\s)—(\s|$)", cards)  # no card that only says "—"
    eff = res.section("effects")
    assert eff.absent and "no difference of medians" in eff.absent
    with pytest.raises(SalesOpsError, match="median is not reached"):
        res.plot("forest")


def test_guardrail_failure_and_imbalance_are_said_once_and_truthfully(slow_event):
    res = slow_event
    reason = res.verdict.reason
    assert reason.count("cannot be ruled out") == 1, reason
    # the pre-period values differ by design (10 vs 12): the warning must not point to CUPED
    # estimates, since a time-to-event metric has none
    warn = " ".join(res.warnings())
    assert "differed before the test started" in warn
    assert "CUPED" not in warn


# --------------------------------------------------------------------------- funnel


def test_missing_bucket_is_shown_but_not_ranked_and_no_fewer_than_one():
    n = 40
    leads = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": [TS("2025-01-02") + pd.Timedelta(hours=12 * i) for i in range(n)],
            "source": ["Web"] * 15 + ["Fair"] * 15 + [None] * 10,
        }
    )
    # Web 5 of 15, Fair 7 of 15, (missing) converts best: 10 of 10
    conv = [i for i in range(n) if i % 3 == 0 or i >= 30 or i in (16, 17)]
    hist = pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in conv],
            "status": "Met",
            "changed_at": [leads.created_at[i] + pd.Timedelta(days=2) for i in conv],
        }
    )
    res = funnel_analysis(
        {"leads": leads, "lead_history": hist},
        as_of="2025-06-30",
        stages=["created", "Met"],
        breakdowns=["source"],
        period_start="2025-01-01",
        period_end="2025-01-31",
        window_days=30,
        min_segment_size=1,
        compare_to="none",
    )
    t = res.segments.table.set_index("segment")
    assert t.loc["(missing)", "converted"] == 10 and t.loc["(missing)", "entered"] == 10
    assert np.isnan(t.loc["(missing)", "rank"])
    assert list(t["rank"].dropna().sort_values()) == [1.0, 2.0]
    intro = res.section("segments").intro
    assert "fewer than 1" not in intro
    assert "(missing)" not in res.headline()


# --------------------------------------------------------------------------- nouns


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("lead", "leads"),
        ("opportunity", "opportunities"),
        ("sales", "sales"),
        ("status", "statuses"),
        ("person", "people"),
        ("analysis", "analyses"),
        ("campaign_member", "campaign members"),
    ],
)
def test_plural_of_unit_nouns(word, expected):
    assert plural(word) == expected


def test_count_noun_singular_and_plural():
    assert count_noun(1, "visitor") == "1 visitor"
    assert count_noun(2304, "visitor") == "2,304 visitors"


def test_small_arms_differing_by_chance_before_the_test_are_not_a_failed_check():
    """12 units per arm whose pre-period values differ by 0.3 SD: randomisation alone gives up
    to 0.80 at this size, so the balance check passes, with a note (was: 'FAILED' and a warning)."""
    base = np.linspace(8, 12, 12)
    members, leads, hist = [], [], []
    for arm, shift in (("ctl", 0.0), ("new", 0.4)):
        for i, v in enumerate(base):
            lid = f"{arm}{i:02d}"
            t0 = TS("2025-01-01") + pd.Timedelta(days=i)
            members.append(("T", lid, arm, t0, float(v + shift)))
            leads.append((lid, t0))
            if i % 3 == 0:
                hist.append((lid, "Paid", t0 + pd.Timedelta(days=3)))
    data = {
        "campaign_members": pd.DataFrame(
            members,
            columns=["campaign_id", "lead_id", "variant", "assigned_at", "pre_period_value"],
        ),
        "leads": pd.DataFrame(leads, columns=["lead_id", "created_at"]),
        "lead_history": pd.DataFrame(hist, columns=["lead_id", "status", "changed_at"]),
    }
    res = evaluate_experiment(
        data, as_of=AS_OF, campaign_id="T", control="ctl", unit_label="visitor",
        metrics=[{"name": "Paid in 30 days", "kind": "binary", "stage": "Paid",
                  "window_days": 30, "primary": True}],
    )  # fmt: skip
    bal = res.quality.balance
    sd = np.std(base, ddof=1)
    assert bal.max_abs_smd == pytest.approx(0.4 / sd, rel=1e-9) and not bal.balanced
    assert bal.chance_smd == pytest.approx(1.959964 * np.sqrt(2 / 12), rel=1e-6)
    row = (
        res.quality.to_frame()
        .set_index("check")
        .loc["Pre-period balance (largest standardised difference)"]
    )
    assert bool(row["passed"]) and "chance alone gives up to 0.80" in row["result"]
    (banner,) = res.banners()
    assert banner.level == "info" and "no sign of a broken assignment" in _text(banner)


def test_funnel_at_90_percent_says_90_percent_everywhere(demo_db):
    """alpha = 0.10: every interval is a 90% Wilson interval and every label says so (was:
    '95%' hard-coded in cards, captions, axes and methods)."""
    from statsmodels.stats.proportion import proportion_confint

    from tests.analyses.test_shapes_fuzz import _report_texts

    res = funnel_analysis(
        demo_db, stages=["created", "MQL", "SQL", "opportunity", "won"], alpha=0.10,
        breakdowns=["source"], as_of="2026-09-30",
    )  # fmt: skip
    row = res.steps.table.iloc[1]
    lo, hi = proportion_confint(row["converted"], row["entered"], alpha=0.10, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=1e-9)
    text = " ".join(_report_texts(res))
    assert "90% interval" in text and "95%" not in text
    assert "z = 1.64" in text


def test_a_one_step_funnel_says_its_change_once(demo_db):
    """created → MQL only: the summary compares the one rate once (no second 'Compared with'
    sentence), the change chart has one row (no '(overall)' copy), no 'each step'."""
    res = funnel_analysis(demo_db, stages=["created", "MQL"], as_of="2026-09-30")
    summary = _text(res.summary())
    assert "Compared with" not in summary and "each step" not in summary
    assert "against" in summary  # the first sentence carries the comparison
    ax = res.plot("comparison")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["created → MQL"]


def test_a_one_metric_test_does_not_speak_of_secondary_metrics(slow_event):
    (sec,) = [s for s in slow_event.sections() if s.key == "metrics"]
    assert "secondary" not in (sec.title + " " + (sec.intro or ""))
