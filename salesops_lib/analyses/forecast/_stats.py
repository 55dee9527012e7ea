"""Statistics of the pipeline forecast, on the small frames of ``_engine``.

- :func:`cumulative_incidence`: chance of *won* within ``h`` days, competing with *lost*, from
  discrete-time (daily) counts with censoring (Aalen–Johansen).
- :func:`win_probabilities`: that chance per stage × age × due-date cell, pooled to a coarser
  cell when a cell has too few deals behind it.
- :func:`simulate_bookings`: the seeded Monte Carlo of the period's bookings.
- :func:`crps_sample`, :func:`crps_normal`: the continuous ranked probability score.
- :func:`prorate_quota`: the quota of a period from quota rows (prorated by days).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = [
    "CellModel",
    "common_shock",
    "crps_normal",
    "crps_sample",
    "cumulative_incidence",
    "new_deal_weights",
    "prorate_quota",
    "simulate_bookings",
    "win_probabilities",
]

#: Cell levels, finest first: a deal's probability comes from the first level whose cell has
#: at least ``min_cell`` deal-snapshots behind it.
LEVELS: tuple[tuple[str, ...], ...] = (
    ("stage", "age_b", "due_b"),
    ("stage", "due_b"),
    ("stage",),
    (),
)


def cumulative_incidence(counts: pd.DataFrame, horizon: int) -> float:
    """Chance that a unit is *won* within ``horizon`` days (Aalen–Johansen, daily steps).

    Parameters
    ----------
    counts
        ``days, event, n``: ``event`` is ``won``, ``lost`` (competing) or ``open`` (censored at
        ``days``: followed that long without closing).
    horizon
        Days.

    Returns
    -------
    float
        :math:`F(h) = \\sum_{t \\le h} S(t-1)\\, d^{w}_t / R_t`, with
        :math:`S(t) = \\prod_{u \\le t} (1 - (d^{w}_u + d^{l}_u)/R_u)` and :math:`R_t` the units
        followed at least ``t`` days (event or censoring at ``t`` included). Without censoring
        before ``h`` this is exactly (won within ``h``) / (all units). NaN without units.

    References
    ----------
    Aalen & Johansen (1978), Scand. J. Statist. 5:141–150; Kalbfleisch & Prentice (2002) §8.2.
    """
    curve = incidence_curve(counts, horizon)
    return float(curve[-1]) if curve.size else math.nan


def incidence_curve(counts: pd.DataFrame, max_days: int) -> np.ndarray:
    """:func:`cumulative_incidence` at ``h = 0, 1, …, max_days`` (empty without units)."""
    if counts is None or not len(counts) or counts["n"].sum() <= 0:
        return np.array([])
    c = counts.pivot_table(index="days", columns="event", values="n", aggfunc="sum", fill_value=0)
    for col in ("won", "lost", "open"):
        if col not in c:
            c[col] = 0
    c = c.sort_index()
    return _incidence(
        c.index.to_numpy(),
        c["won"].to_numpy(dtype=float),
        c["lost"].to_numpy(dtype=float),
        c[["won", "lost", "open"]].sum(axis=1).to_numpy(dtype=float),
        max_days,
    )


def _incidence(
    days: np.ndarray, won: np.ndarray, lost: np.ndarray, tot: np.ndarray, max_days: int
) -> np.ndarray:
    """The Aalen–Johansen curve of :func:`incidence_curve` from per-day arrays (days sorted,
    one entry per day: won, lost and all units ending that day)."""
    at_risk = tot[::-1].cumsum()[::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        hw = np.where(at_risk > 0, won / at_risk, 0.0)
        hall = np.where(at_risk > 0, (won + lost) / at_risk, 0.0)
    surv_before = np.r_[1.0, np.cumprod(1.0 - hall)[:-1]]
    inc = surv_before * hw
    out = np.zeros(max_days + 1)
    keep = days <= max_days
    np.add.at(out, days[keep].astype(int).clip(0), inc[keep])
    return np.cumsum(out)


@dataclass
class CellModel:
    """Win probabilities within a horizon per cell, for the levels of :data:`LEVELS`.

    ``tables[k]`` maps a cell key of level ``k`` to ``(probability, deal-snapshots)``;
    ``amount_ratio`` is Σ final won amount / Σ amount at the snapshot over the deals won within
    the horizon (how amounts move between forecast and signature).
    """

    horizon: int
    min_cell: int
    tables: list[dict[tuple, tuple[float, int]]]
    amount_ratio: float

    def lookup(self, stage: str, age_b: int, due_b: int) -> tuple[float, int, int]:
        """``(probability, deal-snapshots behind it, level used)`` for one open deal."""
        row = {"stage": stage, "age_b": age_b, "due_b": due_b}
        for k, cols in enumerate(LEVELS):
            key = tuple(row[c] for c in cols)
            hit = self.tables[k].get(key)
            if hit is not None and (hit[1] >= self.min_cell or k == len(LEVELS) - 1):
                return hit[0], hit[1], k
        return math.nan, 0, len(LEVELS) - 1

    def frame(self, level: int = 0) -> pd.DataFrame:
        """The cells of one level: key columns, ``p``, ``n``."""
        cols = LEVELS[level]
        rows = [
            {**dict(zip(cols, key, strict=True)), "p": p, "n": n}
            for key, (p, n) in self.tables[level].items()
        ]
        return pd.DataFrame(rows, columns=[*cols, "p", "n"])


def win_probabilities(counts: pd.DataFrame, horizon: int, *, min_cell: int) -> CellModel:
    """Chance of closing won within ``horizon`` days per cell of every level of :data:`LEVELS`.

    ``counts`` is :func:`~salesops_lib.analyses.forecast._engine.snapshot_counts`: per
    ``stage, age_b, due_b, days, event`` the deal-snapshots ``n`` (and amounts). Each cell's
    probability is :func:`cumulative_incidence` of its rows; ``n`` is its deal-snapshots.
    """
    tables = [_level_incidence(counts, list(cols), horizon) for cols in LEVELS]
    won = counts[(counts["event"] == "won") & (counts["days"] <= horizon)]
    ratio = float(won["final_amt"].sum() / won["amt"].sum()) if won["amt"].sum() > 0 else 1.0
    return CellModel(horizon=horizon, min_cell=min_cell, tables=tables, amount_ratio=ratio)


def _level_incidence(
    counts: pd.DataFrame, cols: list[str], horizon: int
) -> dict[tuple, tuple[float, int]]:
    """``{cell key: (cumulative_incidence of its rows at horizon, deal-snapshots)}`` for the
    cells of ``cols``, in sorted key order: one group-by for all cells, then the same arithmetic
    as :func:`cumulative_incidence` on each cell's per-day arrays."""
    if not len(counts):
        return {} if cols else {(): (math.nan, 0)}
    w = (
        counts.groupby([*cols, "days", "event"], sort=True)["n"]
        .sum()
        .unstack("event", fill_value=0)
        .sort_index()  # unstack need not keep the order (null keys dropped): days ascend per cell
    )
    for col in ("won", "lost", "open"):
        if col not in w:
            w[col] = 0
    days = w.index.get_level_values("days").to_numpy()
    won = w["won"].to_numpy(dtype=float)
    lost = w["lost"].to_numpy(dtype=float)
    n = w[["won", "lost", "open"]].sum(axis=1).to_numpy()
    tot = n.astype(float)
    if cols:
        keys = w.index.to_frame(index=False)[cols]
        starts = np.flatnonzero((keys != keys.shift()).any(axis=1).to_numpy())
        cells = list(keys.iloc[starts].itertuples(index=False, name=None))
    else:
        starts, cells = np.array([0]), [()]
    bounds = [*starts[1:], len(days)]
    out: dict[tuple, tuple[float, int]] = {}
    for key, lo, hi in zip(cells, starts, bounds, strict=True):
        total = int(n[lo:hi].sum())
        if total <= 0:
            out[tuple(key)] = (math.nan, total)
            continue
        curve = _incidence(days[lo:hi], won[lo:hi], lost[lo:hi], tot[lo:hi], horizon)
        out[tuple(key)] = (float(curve[-1]), total)
    return out


def new_deal_weights(
    past: pd.DataFrame, n_created: int, rate_per_day: float, days_left: int
) -> tuple[float, np.ndarray]:
    """Expected number of deals created in the ``D = days_left`` days still to come and won by
    the end, and the weight of each past won deal (row of ``past``) in drawing their sizes.

    A deal created on day ``k = 0 … D−1`` is won in time when its cycle ``c`` ≤ ``D − k``;
    a past deal with cycle ``c`` fits ``w(c) = min(D, D − c + 1)⁺`` of the ``D`` days. With
    creations a Poisson process of rate :math:`\\lambda` and past deals as the distribution
    of (won, cycle, amount) of a new deal (``n_created`` deals, all followed ``D`` days):

    .. math:: \\mu = \frac{\\lambda}{N} \\sum_j n_j\\, w(c_j),

    and the sizes of the deals created and won in time are drawn with weights
    :math:`n_j w(c_j)` (Poisson thinning).
    """
    if days_left <= 0 or rate_per_day <= 0 or n_created <= 0 or past is None or not len(past):
        return 0.0, np.zeros(0 if past is None else len(past))
    c = past["cycle"].to_numpy(dtype=float)
    w = np.clip(np.minimum(days_left, days_left - c + 1), 0, None) * past["n"].to_numpy(dtype=float)
    return float(rate_per_day * w.sum() / n_created), w


def common_shock(outcomes: pd.DataFrame, model: CellModel) -> tuple[float, int]:
    """Variance :math:`\tau^2` of a shock common to every open deal, on the log scale of the
    open pipeline's bookings, from past snapshots followed for the whole horizon.

    For each snapshot :math:`s`, :math:`E_s = r\\sum_i p_i a_i` (expected bookings from the
    deals open then, with the model's chances :math:`p_i` and amount ratio :math:`r`) and
    :math:`O_s` (what they brought within the horizon). Independent deals alone give
    :math:`\\mathrm{Var}(O_s)/E_s^2 = r^2\\sum_i p_i(1-p_i)a_i^2 / E_s^2` (here with the cell's
    mean squared amount); the excess of :math:`\\log(O_s/E_s)^2` over it is the common shock:

    .. math:: \\hat\tau^2 = \\max\\Big(0, \\overline{\\log(O_s/E_s)^2 - v_s}\\Big).

    Weekly snapshots overlap in time, so the number of independent periods behind the
    estimate is far smaller than the number of snapshots (returned as the second value).
    Method of moments on a lognormal multiplicative shock (cf. overdispersion in Cox 1983).
    """
    if outcomes is None or not len(outcomes):
        return 0.0, 0
    o = outcomes.copy()
    looked = [model.lookup(r.stage, int(r.age_b), int(r.due_b))[0] for r in o.itertuples()]
    o["p"] = np.nan_to_num(np.asarray(looked, dtype=float))
    r = model.amount_ratio
    o["e"] = r * o["p"] * o["amt"]
    o["v"] = r**2 * o["p"] * (1 - o["p"]) * o["amt_sq"]
    g = o.groupby("si")[["e", "v", "won_amt"]].sum()
    g = g[(g["e"] > 0) & (g["won_amt"] > 0)]
    if len(g) < 4:
        return 0.0, len(g)
    excess = np.log(g["won_amt"] / g["e"]) ** 2 - g["v"] / g["e"] ** 2
    return float(max(0.0, excess.mean())), len(g)


#: Open deals drawn one by one in the Monte Carlo; beyond them, the rest by its normal limit.
EXACT_DEALS = 1_000
#: Mean number of new deals per draw up to which each one's size is drawn; beyond, their total.
EXACT_NEW_DEALS = 200


def simulate_bookings(
    p: np.ndarray,
    amount: np.ndarray,
    *,
    new_mean: float,
    new_amounts: np.ndarray,
    new_weights: np.ndarray,
    already_won: float,
    n_sims: int,
    seed: int,
    shock_var: float = 0.0,
    max_cells: int = 20_000_000,
    exact_deals: int | None = EXACT_DEALS,
) -> np.ndarray:
    """Simulated bookings of the period: ``n_sims`` draws (numpy ``Generator``, ``seed``).

    Each draw is ``already_won`` + Σ over open deals of ``amount_i × Bernoulli(p_i)`` + the sum
    of ``N ~ Poisson(new_mean)`` amounts drawn from ``new_amounts`` with weights
    ``new_weights`` (the sizes of recently won deals). Deals are independent given their
    probabilities and a common shock: each draw's deals (open and new) are scaled by
    :math:`e^{z - \tau^2/2}`, :math:`z \\sim N(0, \tau^2)` (``shock_var`` = :math:`\tau^2`; mean
    kept). Draws are made in chunks of at most ``max_cells`` deal × draw cells, so
    memory stays bounded; the same seed gives the same draws.

    With more than ``exact_deals`` open deals (a large CRM: 60,000 open deals × 10,000 draws
    is 6·10⁸ Bernoulli draws per forecast, minutes for a backtest of 12), the ``exact_deals``
    deals of largest variance :math:`p_i(1-p_i)a_i^2` are drawn one by one as above and the
    others' total, a sum of many small independent terms, is drawn from its normal limit
    :math:`N(\\sum p_i a_i, \\sum p_i(1-p_i)a_i^2)` (Lyapunov's central limit theorem; the
    largest terms, which could break it, are the ones drawn exactly). ``exact_deals=None``
    draws every deal. Up to ``exact_deals`` deals nothing changes. Likewise, when more than
    :data:`EXACT_NEW_DEALS` new deals are expected per draw, their total given the drawn count
    :math:`N` is drawn from :math:`N(N\\,E[X], N\\,\\mathrm{Var}[X])` instead of drawing each size
    (``exact_deals=None`` draws each).
    """
    rng = np.random.default_rng(seed)
    p = np.nan_to_num(np.asarray(p, dtype=float), nan=0.0)
    a = np.asarray(amount, dtype=float)
    rest_mean = rest_var = 0.0
    if exact_deals is not None and len(p) > exact_deals:
        var = p * (1 - p) * a**2
        big = np.argsort(-var, kind="stable")[:exact_deals]
        small = np.ones(len(p), bool)
        small[big] = False
        rest_mean = float((p[small] * a[small]).sum())
        rest_var = float(var[small].sum())
        p, a = p[big], a[big]
    out = np.empty(n_sims)
    step = max(1, max_cells // max(len(p), 1))
    for lo in range(0, n_sims, step):
        k = min(step, n_sims - lo)
        u = rng.random((k, len(p)))
        out[lo : lo + k] = (u < p[None, :]) @ a if len(p) else 0.0
    if rest_mean or rest_var:  # the many small deals beyond exact_deals, by their normal limit
        out += rng.normal(rest_mean, math.sqrt(rest_var), size=n_sims)
    n_new = rng.poisson(new_mean, size=n_sims) if new_mean > 0 else np.zeros(n_sims, int)
    if n_new.sum() and len(new_amounts):
        sizes = np.asarray(new_amounts, dtype=float)
        w = np.asarray(new_weights, dtype=float)
        w = w / w.sum()
        if exact_deals is not None and new_mean > EXACT_NEW_DEALS:
            # many new deals per draw: their total given N is a sum of N independent sizes,
            # drawn from its normal limit N(N·E[X], N·Var[X]) (memory of n_sims, not n_sims × N)
            m1 = float(w @ sizes)
            v1 = max(float(w @ sizes**2) - m1**2, 0.0)
            out += rng.normal(n_new * m1, np.sqrt(n_new * v1))
        else:
            draws = rng.choice(sizes, size=int(n_new.sum()), p=w)
            idx = np.repeat(np.arange(n_sims), n_new)
            out += np.bincount(idx, weights=draws, minlength=n_sims)
    if shock_var > 0:
        z = rng.normal(0.0, math.sqrt(shock_var), size=n_sims)
        out *= np.exp(z - shock_var / 2)
    return out + already_won


def crps_sample(sample: np.ndarray, y: float) -> float:
    """Continuous ranked probability score of an empirical forecast sample at outcome ``y``.

    :math:`\\mathrm{CRPS}(F, y) = E|X - y| - \\tfrac12 E|X - X'|`, with both expectations over
    the sample; for sorted :math:`x_{(1)} \\le \\dots \\le x_{(n)}`,
    :math:`E|X - X'| = \\tfrac{2}{n^2} \\sum_i (2i - n - 1) x_{(i)}`. Lower is better; in the
    outcome's unit (money).

    References
    ----------
    Gneiting & Raftery (2007), JASA 102:359–378, eq. (21); Hersbach (2000).
    """
    x = np.sort(np.asarray(sample, dtype=float))
    n = x.size
    if n == 0:
        return math.nan
    i = np.arange(1, n + 1)
    spread = 2.0 / n**2 * np.sum((2 * i - n - 1) * x)
    return float(np.mean(np.abs(x - y)) - 0.5 * spread)


def crps_normal(mu: float, sigma: float, y: float) -> float:
    """CRPS of a normal forecast (closed form): :math:`\\sigma[z(2\\Phi(z)-1) + 2\\varphi(z) -
    1/\\sqrt\\pi]`, :math:`z = (y-\\mu)/\\sigma` (Gneiting & Raftery 2007, eq. 5)."""
    z = (y - mu) / sigma
    return float(
        sigma * (z * (2 * sps.norm.cdf(z) - 1) + 2 * sps.norm.pdf(z) - 1 / math.sqrt(math.pi))
    )


def prorate_quota(rows: pd.DataFrame, start: dt.date, end: dt.date) -> tuple[float, int]:
    """Quota of ``[start, end]`` from quota rows, each prorated by its days inside the period,
    and the number of period days covered by at least one row."""
    total, covered = 0.0, set()
    for r in rows.itertuples(index=False):
        lo, hi = max(r.period_start, start), min(r.period_end, end)
        if hi < lo:
            continue
        span = (r.period_end - r.period_start).days + 1
        total += float(r.amount) * ((hi - lo).days + 1) / span
        covered.update(range((lo - start).days, (hi - start).days + 1))
    return total, len(covered)


def interval_metrics(
    p10: Sequence[float], p50: Sequence[float], p90: Sequence[float], actual: Sequence[float]
) -> dict[str, float]:
    """Coverage of the 80% interval [P10, P90], bias and MAPE of the P50 over periods.

    ``bias`` = mean (P50 − actual) / actual (positive: too high); ``mape`` = mean |P50 −
    actual| / actual; periods with no bookings are left out of both ratios.
    """
    lo, mid, hi, y = (np.asarray(v, dtype=float) for v in (p10, p50, p90, actual))
    cov = float(np.mean((y >= lo) & (y <= hi))) if y.size else math.nan
    return {"coverage_80": cov, **point_metrics(mid, y)}


def point_metrics(forecast: Sequence[float], actual: Sequence[float]) -> dict[str, float]:
    """Bias (mean signed relative error) and MAPE of point forecasts (actual > 0 only)."""
    f, y = np.asarray(forecast, dtype=float), np.asarray(actual, dtype=float)
    ok = y > 0
    if not ok.any():
        return {"bias": math.nan, "mape": math.nan}
    rel = (f[ok] - y[ok]) / y[ok]
    return {"bias": float(rel.mean()), "mape": float(np.abs(rel).mean())}
