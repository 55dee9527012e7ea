"""The experiment's combined engine queries give what pandas / scipy on the units give:
per-arm counts with the open windows and CUPED moments in one query, the rank sums of every arm
in one query, the cap with the open windows, the weekly counts."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from salesops_lib.analyses.experiment import _engine as EN
from salesops_lib.data._frames import frame_to_table
from salesops_lib.stats import summaries as S
from salesops_lib.stats.power import _grid_power, _power_normal, _se_prop, mde_proportions

ARMS = ["control", "b", "c"]


def _units(kind: str, n: int = 6_000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    variant = rng.choice(ARMS, size=n, p=[0.4, 0.35, 0.25])
    if kind == "binary":
        y = rng.binomial(1, np.where(variant == "b", 0.35, 0.3))
    else:  # zero-inflated amounts with many ties (rounded)
        y = np.where(rng.random(n) < 0.2, rng.exponential(500.0, size=n).round(-1), 0.0)
    pre = rng.normal(10.0, 3.0, size=n)
    pre[rng.random(n) < 0.1] = np.nan  # some units without a pre-period value
    pre[variant == "c"] = np.nan  # one arm with none at all
    assigned = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    return pd.DataFrame(
        {
            "lead_id": [f"L{i:06d}" for i in rng.permutation(n)],
            "variant": variant,
            "pre_period_value": pre,
            "assigned_at": assigned,
            "y": y,
            "mature": assigned + pd.Timedelta(days=30) <= pd.Timestamp("2026-06-30"),
        }
    )


def _table(df: pd.DataFrame) -> ibis.Table:
    con = ibis.duckdb.connect()
    frame_to_table("units", df, con)
    return con.table("units")


def test_binary_summaries_equal_the_separate_queries():
    df = _units("binary")
    t = _table(df)
    got = EN.binary_summaries(t, with_pre=True)
    m = df[df["mature"]]
    counts = m.groupby("variant")["y"].agg(n="size", conversions="sum").sort_index()
    mine = got.counts.set_index("variant").sort_index()
    assert mine["n"].tolist() == counts["n"].tolist()
    assert mine["conversions"].tolist() == counts["conversions"].tolist()
    assert got.n_immature == int((~df["mature"]).sum()) > 0
    # CUPED moments by hand: mature units with a pre-period value, sample moments (ddof 1)
    u = m[m["pre_period_value"].notna()]
    ref = pd.DataFrame(
        {
            "n": u.groupby("variant").size(),
            "mean_y": u.groupby("variant")["y"].mean(),
            "mean_x": u.groupby("variant")["pre_period_value"].mean(),
            "var_y": u.groupby("variant")["y"].var(),
            "var_x": u.groupby("variant")["pre_period_value"].var(),
            "cov_xy": u.groupby("variant")[["y", "pre_period_value"]].apply(
                lambda g: g["y"].cov(g["pre_period_value"])
            ),
        }
    ).sort_index()
    cu = got.cuped.set_index("variant").sort_index()
    assert list(cu.index) == list(ref.index) == ["b", "control"]  # arm c has no pre values
    assert list(cu.columns) == list(ref.columns)
    pd.testing.assert_frame_equal(cu, ref, check_dtype=False, rtol=1e-12)
    assert EN.binary_summaries(t, with_pre=False).cuped is None


def test_rank_sums_of_every_arm_in_one_query_match_scipy():
    df = _units("value")
    df = df[df["mature"]]
    t = _table(df)
    got = EN._all_rank_sums(t, t.y.cast("float64"), ["b", "c"], "control")
    for arm in ("b", "c"):
        pair = df[df["variant"].isin([arm, "control"])]
        ranks = stats.rankdata(pair["y"].to_numpy())
        r_t = float(ranks[(pair["variant"] == arm).to_numpy()].sum())
        _, m = np.unique(pair["y"].to_numpy(), return_counts=True)
        tie = float((m.astype(float) ** 3 - m).sum())
        n_t = int((pair["variant"] == arm).sum())
        rank_sum, nt, nc, tie_term = got[arm]
        assert (rank_sum, nt, nc) == (r_t, n_t, len(pair) - n_t)
        assert tie_term == pytest.approx(tie, rel=1e-12)


def test_value_summaries_cap_and_open_windows_match_numpy():
    df = _units("value")
    t = _table(df)
    summ = EN.value_summaries(t, control="control", arms=ARMS, cap_pct=99, with_pre=True)
    m = df[df["mature"]]
    nz = m.loc[m["y"] != 0, "y"].to_numpy()
    assert summ.n_immature == int((~df["mature"]).sum())
    assert summ.n_nonzero == nz.size
    assert summ.cap == pytest.approx(float(np.percentile(nz, 99)), rel=1e-12)
    capped = m.assign(yc=m["y"].clip(upper=summ.cap)).groupby("variant")["yc"]
    a = summ.arms.set_index("variant").sort_index()
    assert a["mean"].to_numpy() == pytest.approx(capped.mean().sort_index().to_numpy(), rel=1e-12)
    assert a["median"].tolist() == capped.median().sort_index().tolist()
    assert not any(c.startswith("cu_") for c in summ.arms.columns)
    cu = summ.cuped.set_index("variant")
    assert sorted(cu.index) == ["b", "control"]
    mc = m[m["variant"] == "control"].dropna(subset=["pre_period_value"])
    yc = mc["y"].clip(upper=summ.cap)
    assert cu.loc["control", "cov_xy"] == pytest.approx(
        float(np.cov(mc["pre_period_value"], yc)[0, 1]), rel=1e-9
    )


def test_weekly_counts_from_the_unit_table():
    df = _units("binary")
    spec = EN.MetricSpec(name="x", kind="binary", stage="SQL", window_days=30)
    got = EN._weekly_counts(_table(df), spec)
    m = df[df["mature"]]
    known = (m["assigned_at"] + pd.Timedelta(days=30)).dt.to_period("W-SUN").dt.start_time
    exp = m.assign(week=known).groupby(["variant", "week"]).agg(n=("y", "size"), x=("y", "sum"))
    got = got.assign(week=pd.to_datetime(got["week"])).set_index(["variant", "week"]).sort_index()
    assert got["n"].tolist() == exp["n"].tolist()
    assert got["x"].tolist() == exp["x"].tolist()


def test_bootstrap_weights_reused_give_the_same_interval():
    rng = np.random.default_rng(3)
    nt, nc = rng.integers(1, 5, 300), rng.integers(1, 5, 250)
    st, sc = rng.exponential(10.0, 300) * nt, rng.exponential(12.0, 250) * nc
    S._WEIGHTS_CACHE.clear()
    fresh = S.bucket_bootstrap_diff_ci(nt, st, nc, sc, n_boot=500, seed=11)
    again = S.bucket_bootstrap_diff_ci(nt, st, nc, sc, n_boot=500, seed=11)  # from the cache
    assert (again.ci_low, again.ci_high, again.se) == (fresh.ci_low, fresh.ci_high, fresh.se)
    # the weights are those of default_rng(seed): treatment chunk, then control chunk
    g = np.random.default_rng(11)
    w_t = np.searchsorted(S._POISSON1_CDF, g.random((min(S._CHUNK, 500), 300)), side="right")
    assert (S._bucket_weights(11, 500, 300, 250)[0][0] == w_t).all()
    other = S.bucket_bootstrap_diff_ci(nt, st, nc, sc, n_boot=500, seed=12)
    assert other.ci_low != fresh.ci_low


@pytest.mark.parametrize("method", ["normal", "arcsine"])
def test_mde_grid_at_once_equals_the_scalar_power(method):
    p0, n_c, ratio, alpha = 0.3, 5_000.0, 1.2, 0.025
    grid = np.linspace(0.0, (1 - p0) * (1 - 1e-12), 2001)[1:]
    scalar = np.array(
        [_power_normal(abs(e) / s, alpha) for e, s in (_se_prop(p0, p0 + d, n_c, ratio, method)
                                                        for d in grid)]
    )  # fmt: skip
    vec = _grid_power(p0, grid, n_c, ratio, method, alpha)
    if method == "normal":
        assert (vec == scalar).all()
    else:
        assert vec == pytest.approx(scalar, rel=1e-12, abs=1e-15)
    m = mde_proportions(p0, n_c, alpha=alpha, ratio=ratio, method=method)
    j = int(np.flatnonzero(scalar >= 0.8)[0])
    assert grid[j - 1] < m.mde <= grid[j]
    assert m.achieved_power == pytest.approx(0.8, abs=1e-9)
