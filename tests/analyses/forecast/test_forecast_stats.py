"""Statistics of the pipeline forecast against hand computations and closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salesops_lib.analyses.forecast._stats import (
    LEVELS,
    crps_normal,
    crps_sample,
    cumulative_incidence,
    interval_metrics,
    new_deal_weights,
    simulate_bookings,
    win_probabilities,
)


def _counts(rows):
    return pd.DataFrame(rows, columns=["days", "event", "n"])


def test_cumulative_incidence_without_censoring_is_the_direct_proportion():
    # 10 units: won on days 3, 3, 10, 40; lost on days 5, 20; 4 still open at day 60
    c = _counts(
        [
            (3, "won", 2),
            (10, "won", 1),
            (40, "won", 1),
            (5, "lost", 1),
            (20, "lost", 1),
            (60, "open", 4),
        ]
    )
    assert cumulative_incidence(c, 30) == pytest.approx(3 / 10)
    assert cumulative_incidence(c, 2) == 0.0
    assert cumulative_incidence(c, 60) == pytest.approx(4 / 10)


def test_cumulative_incidence_with_censoring_by_hand():
    # 4 units: censored at day 1, won at 2, lost at 3, won at 4.
    # day 2: at risk 3, S(1) = 1, F += 1/3; S(2) = 2/3
    # day 3: lost, S(3) = 2/3 * 1/2 = 1/3; day 4: at risk 1, F += 1/3 * 1 -> 2/3
    c = _counts([(1, "open", 1), (2, "won", 1), (3, "lost", 1), (4, "won", 1)])
    assert cumulative_incidence(c, 2) == pytest.approx(1 / 3)
    assert cumulative_incidence(c, 4) == pytest.approx(2 / 3)


def test_win_probabilities_pool_small_cells():
    rows = []
    # stage A, age 0, due 1: 40 deal-snapshots, 10 won by day 30 -> 25%
    rows += [("A", 0, 1, 10, "won", 10), ("A", 0, 1, 50, "lost", 30)]
    # stage A, age 2, due 1: only 4 (below min_cell) -> borrows stage A x due 1
    rows += [("A", 2, 1, 10, "won", 4)]
    c = pd.DataFrame(rows, columns=["stage", "age_b", "due_b", "days", "event", "n"])
    c["amt"] = c["n"] * 100.0
    c["final_amt"] = c["n"] * 90.0
    m = win_probabilities(c, 30, min_cell=30)
    p, n, level = m.lookup("A", 0, 1)
    assert (p, n, level) == (pytest.approx(10 / 40), 40, 0)
    p, n, level = m.lookup("A", 2, 1)
    assert (p, n, level) == (pytest.approx(14 / 44), 44, 1)
    assert m.amount_ratio == pytest.approx(0.9)


def test_crps_sample_matches_the_normal_closed_form():
    rng = np.random.default_rng(3)
    x = rng.normal(10.0, 2.0, 200_000)
    for y in (10.0, 7.0, 15.5):
        assert crps_sample(x, y) == pytest.approx(crps_normal(10.0, 2.0, y), rel=0.01)


def test_crps_normal_closed_form_by_integration():
    # CRPS = integral of (F(x) - 1{x >= y})^2 dx
    from scipy.integrate import quad

    mu, sd, y = 3.0, 1.5, 4.2
    lo = quad(lambda x: sps.norm.cdf(x, mu, sd) ** 2, -np.inf, y)[0]
    hi = quad(lambda x: (1 - sps.norm.cdf(x, mu, sd)) ** 2, y, np.inf)[0]
    assert crps_normal(mu, sd, y) == pytest.approx(lo + hi, rel=1e-6)


def test_monte_carlo_is_reproducible_with_a_seed():
    p = np.array([0.2, 0.5, 0.9])
    a = np.array([100.0, 50.0, 10.0])
    kw = dict(
        new_mean=2.0,
        new_amounts=np.array([5.0, 7.0]),
        new_weights=np.array([1.0, 3.0]),
        already_won=30.0,
        n_sims=20_000,
    )
    s1 = simulate_bookings(p, a, seed=11, **kw)
    s2 = simulate_bookings(p, a, seed=11, **kw)
    s3 = simulate_bookings(p, a, seed=12, **kw)
    np.testing.assert_array_equal(s1, s2)
    assert not np.array_equal(s1, s3)
    # chunked draws give the same distribution: mean = won + sum p a + mu * E[size]
    expected = 30.0 + (p * a).sum() + 2.0 * (5 * 0.25 + 7 * 0.75)
    assert s1.mean() == pytest.approx(expected, rel=0.02)
    small = simulate_bookings(p, a, seed=11, max_cells=7, **kw)
    assert small.mean() == pytest.approx(expected, rel=0.02)


def test_many_deals_beyond_the_exact_ones_follow_their_normal_limit():
    """A large pipeline (20,000 open deals): the exact_deals largest drawn one by one, the rest
    by its normal limit, against drawing every deal (the reference) and the exact moments."""
    rng = np.random.default_rng(5)
    n = 20_000
    p = rng.beta(1.5, 4.0, size=n)
    a = np.round(np.exp(rng.normal(9.0, 1.0, size=n)), -2)
    a[:5] *= 40  # a few whales: they must be among the deals drawn exactly
    kw = dict(new_mean=0.0, new_amounts=np.array([]), new_weights=np.array([]), already_won=0.0)
    hybrid = simulate_bookings(p, a, seed=3, n_sims=20_000, exact_deals=2_000, **kw)
    full = simulate_bookings(p, a, seed=4, n_sims=4_000, exact_deals=None, **kw)
    mean, sd = (p * a).sum(), np.sqrt((p * (1 - p) * a**2).sum())
    assert hybrid.mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(20_000))
    assert hybrid.std() == pytest.approx(sd, rel=0.03)
    # quantiles of the two agree within Monte Carlo error (a fraction of one sd)
    for q in (0.1, 0.5, 0.9):
        assert np.quantile(hybrid, q) == pytest.approx(np.quantile(full, q), abs=0.1 * sd)
    # up to exact_deals deals nothing changes (same draws with the same seed)
    few = slice(0, 1_500)
    np.testing.assert_array_equal(
        simulate_bookings(p[few], a[few], seed=9, n_sims=500, exact_deals=2_000, **kw),
        simulate_bookings(p[few], a[few], seed=9, n_sims=500, exact_deals=None, **kw),
    )


def test_many_new_deals_per_draw_follow_the_compound_poisson_moments():
    """500 new deals expected per draw: the total's normal limit given N against drawing each
    size (reference) and the compound Poisson moments E = mu E[X], Var = mu E[X^2]."""
    sizes = np.array([1_000.0, 5_000.0, 20_000.0, 80_000.0])
    w = np.array([5.0, 3.0, 1.5, 0.5])
    kw = dict(new_mean=500.0, new_amounts=sizes, new_weights=w, already_won=0.0)
    none = np.array([])
    fast = simulate_bookings(none, none, seed=1, n_sims=20_000, **kw)
    slow = simulate_bookings(none, none, seed=2, n_sims=5_000, exact_deals=None, **kw)
    q = w / w.sum()
    mean, sd = 500 * (q @ sizes), np.sqrt(500 * (q @ sizes**2))
    assert fast.mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(20_000))
    assert fast.std() == pytest.approx(sd, rel=0.03)
    for level in (0.1, 0.5, 0.9):
        assert np.quantile(fast, level) == pytest.approx(np.quantile(slow, level), abs=0.1 * sd)


def test_new_deal_weights_by_hand():
    # 10 past deals created; won: cycle 0 (amount 1), cycle 5 (amount 2); D = 4 days left
    past = pd.DataFrame({"cycle": [0, 5], "amount": [1.0, 2.0], "n": [1, 1]})
    mu, w = new_deal_weights(past, 10, rate_per_day=3.0, days_left=4)
    # cycle 0 fits all 4 creation days (min(4, 5)); cycle 5 fits none
    np.testing.assert_allclose(w, [4.0, 0.0])
    assert mu == pytest.approx(3.0 * 4 / 10)


def test_interval_metrics_by_hand():
    m = interval_metrics([1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [2, 4, 1, 1.5])
    assert m["coverage_80"] == pytest.approx(3 / 4)
    rel = np.array([0, -0.5, 1, 0.5 / 1.5])
    assert m["bias"] == pytest.approx(rel.mean())
    assert m["mape"] == pytest.approx(np.abs(rel).mean())


def test_cell_probabilities_equal_the_per_cell_computation_with_unsorted_and_null_keys():
    # one group-by for all cells must give each cell what cumulative_incidence gives its rows,
    # also when the rows come unsorted and a key is null (those rows belong to no cell)
    rng = np.random.default_rng(3)
    n = 600
    counts = pd.DataFrame(
        {
            "stage": rng.choice(["A", "B", "C"], n),
            "age_b": rng.choice([0.0, 1.0, 2.0, np.nan], n),
            "due_b": rng.integers(0, 4, n),
            "days": rng.integers(0, 80, n),
            "event": rng.choice(["won", "lost", "open"], n),
            "n": rng.integers(1, 6, n),
            "amt": 1.0,
            "final_amt": 1.0,
        }
    ).sample(frac=1.0, random_state=1)
    model = win_probabilities(counts, 30, min_cell=1)
    for level, cols in enumerate(LEVELS):
        groups = counts.groupby(list(cols)) if cols else [((), counts)]
        want = {
            (k if isinstance(k, tuple) else (k,)) if cols else (): (
                cumulative_incidence(g[["days", "event", "n"]], 30),
                int(g["n"].sum()),
            )
            for k, g in groups
        }
        got = model.tables[level]
        assert set(got) == set(want)
        for key, (p, m) in want.items():
            assert got[key][1] == m
            assert got[key][0] == pytest.approx(p, rel=1e-12)
