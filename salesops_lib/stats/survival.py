"""Time-to-event statistics: Kaplan–Meier curves, quantiles with CIs, and the log-rank test.

In RevOps terms an "event" is the outcome (lead converts, deal closes) and a "censored" entity is
one still open at the analysis date: we know it took *at least* its observed duration.

All functions take one row per entity *or* aggregated rows with integer ``weights`` (the number
of entities sharing that ``(duration, event)`` pair), so an engine can send counts; both give
identical results.

References
----------
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations. *JASA*
    53, 457-481.
Greenwood, M. (1926). The natural duration of cancer. *Reports on Public Health and Medical
    Subjects* 33, 1-26.
Kalbfleisch, J. D. & Prentice, R. L. (2002). *The Statistical Analysis of Failure Time Data*,
    2nd ed., Wiley (log(−log) confidence intervals, §1.4).
Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median survival time.
    *Biometrics* 38, 29-41.
Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in its
    consideration. *Cancer Chemotherapy Reports* 50, 163-170 (log-rank test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats.proportions import _as_counts, _as_float_array, _check_alpha

__all__ = ["KaplanMeier", "kaplan_meier", "logrank_test"]

_TABLE_COLUMNS = ["time", "at_risk", "events", "censored", "survival", "ci_low", "ci_high"]
_S_TOL = 1e-10  # S(t) <= 1 - q is tested with this slack against floating-point products


# --------------------------------------------------------------------------- input checks


def _survival_inputs(
    durations: ArrayLike, events: ArrayLike, weights: ArrayLike | None
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.float64]]:
    t = np.atleast_1d(_as_float_array("durations", durations))
    if t.ndim != 1:
        raise ParamsError("durations", "must be one-dimensional", expected="one value per row")
    if not np.isfinite(t).all():
        raise ParamsError("durations", "contains infinite values", expected="finite durations")
    if (t < 0).any():
        bad = t[t < 0][:5].tolist()
        raise ParamsError("durations", f"contains negative values {bad}", expected="durations >= 0")
    e_raw = np.atleast_1d(_as_float_array("events", events))
    if e_raw.shape != t.shape:
        raise ParamsError(
            "events",
            f"has length {e_raw.size} but `durations` has length {t.size}",
            expected="one event flag per duration",
        )
    if not np.isin(e_raw, (0.0, 1.0)).all():
        raise ParamsError(
            "events",
            "contains values other than 0/1",
            expected="1/True = event, 0/False = censored",
        )
    if weights is None:
        w = np.ones_like(t)
    else:
        w = np.atleast_1d(_as_counts("weights", weights))
        if w.shape != t.shape:
            raise ParamsError(
                "weights",
                f"has length {w.size} but `durations` has length {t.size}",
                expected="one count per (duration, event) row",
            )
        if not np.all(w == np.round(w)):
            raise ParamsError(
                "weights", "contains non-integer values", expected="integer counts of entities"
            )
    return t, e_raw.astype(bool), w


def _check_q(q: float) -> float:
    try:
        qf = float(q)
    except (TypeError, ValueError):
        raise ParamsError("q", f"got {q!r}", expected="a fraction in (0, 1), e.g. 0.5") from None
    if not 0.0 < qf < 1.0:
        raise ParamsError("q", f"got {q!r}", expected="a fraction in (0, 1), e.g. 0.5")
    return qf


# --------------------------------------------------------------------------- Kaplan–Meier


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A fitted Kaplan–Meier survival curve (build it with :func:`kaplan_meier`).

    Attributes
    ----------
    table
        One row per distinct observed time (events or censoring): ``time, at_risk, events,
        censored, survival, ci_low, ci_high``. ``survival`` is S(t) just after ``time``; the
        pointwise interval is the log(−log) transform of Greenwood's variance (see
        :func:`kaplan_meier`).
    alpha
        1 − confidence level of the intervals.
    """

    table: pd.DataFrame
    alpha: float = 0.05
    _greenwood: NDArray[np.float64] = field(default_factory=lambda: np.empty(0), repr=False)

    # ---- sizes
    @property
    def n(self) -> int:
        """Number of entities (sum of weights)."""
        return int(self.table["at_risk"].iloc[0]) if len(self.table) else 0

    @property
    def n_events(self) -> int:
        """Number of events (e.g. conversions)."""
        return int(self.table["events"].sum())

    @property
    def max_time(self) -> float:
        """Longest observed duration (NaN when empty)."""
        return float(self.table["time"].iloc[-1]) if len(self.table) else np.nan

    # ---- point queries
    def _lookup(self, t: ArrayLike, column: str) -> tuple[NDArray[np.float64], bool]:
        """Step-function value of ``column`` at times ``t`` (1 before the first time, NaN
        beyond follow-up unless the curve reached 0)."""
        tt = _as_float_array("t", t)
        scalar = tt.ndim == 0
        tt = np.atleast_1d(tt)
        if not len(self.table):
            return np.full(tt.shape, np.nan), scalar
        times = self.table["time"].to_numpy(dtype=float)
        vals = self.table[column].to_numpy(dtype=float)
        last_s = float(self.table["survival"].iloc[-1])
        idx = np.searchsorted(times, tt, side="right") - 1
        out = np.where(idx >= 0, vals[np.clip(idx, 0, None)], 1.0)
        out = np.where((tt > times[-1]) & (last_s > 0), np.nan, out)
        return out, scalar

    def survival_at(self, t: ArrayLike) -> Any:
        """S(t): share still without the event at time ``t`` (right-continuous step function).

        Returns 1 before the first observed time and NaN beyond the longest follow-up (unknown)
        unless the curve has already reached 0. Vectorised: arrays in, array out.
        """
        out, scalar = self._lookup(t, "survival")
        return float(out[0]) if scalar else out

    def cumulative_at(self, t: ArrayLike) -> Any:
        """1 − S(t): share that has had the event within ``t`` (e.g. "converted within t days")."""
        s = self.survival_at(t)
        return 1.0 - s

    def survival_ci_at(self, t: ArrayLike) -> tuple[Any, Any, Any]:
        """``(S(t), ci_low, ci_high)`` at times ``t`` with the pointwise log(−log) interval.

        Same conventions as :meth:`survival_at`; the interval is NaN where S(t) = 0.
        """
        s, scalar = self._lookup(t, "survival")
        lo, _ = self._lookup(t, "ci_low")
        hi, _ = self._lookup(t, "ci_high")
        if scalar:
            return (float(s[0]), float(lo[0]), float(hi[0]))
        return (s, lo, hi)

    def cumulative_ci_at(self, t: ArrayLike) -> tuple[Any, Any, Any]:
        """``(1 − S(t), 1 − ci_high, 1 − ci_low)``: share with the event by ``t`` and its
        interval."""
        s, lo, hi = self.survival_ci_at(t)
        return (1.0 - s, 1.0 - hi, 1.0 - lo)

    def quantile(self, q: float) -> tuple[float, float, float]:
        r"""Time by which a fraction ``q`` has had the event, with a Brookmeyer–Crowley interval.

        The estimate is the first event time with :math:`\hat S(t) \le 1 - q` (the median is
        ``q = 0.5``). The interval collects the event times whose test of
        :math:`H_0: S(t) = 1 - q` is not rejected on the complementary log-log scale
        (Brookmeyer & Crowley 1982, with the transform of Kalbfleisch & Prentice):

        .. math::

            \left|\frac{g(\hat S(t)) - g(1-q)}{g'(\hat S(t))\,\widehat{se}(\hat S(t))}\right|
            \le z_{1-\alpha/2}, \qquad g(s) = \log(-\log s)

        with Greenwood's standard error. The lower limit is the first such event time, the upper
        limit the event time after the last such one. This matches
        ``statsmodels.duration.SurvfuncRight.quantile_ci(q, method="cloglog")`` except that an
        upper limit beyond the data is NaN here (statsmodels: ``inf``).

        Returns
        -------
        (estimate, ci_low, ci_high)
            NaN where not reached (e.g. fewer than half converted: no median).

        Notes
        -----
        statsmodels' point estimate uses a strict inequality (:math:`\hat S < 1 - q`, as SAS); we
        use :math:`\le` (as R's ``survfit``), which differs only when the curve sits exactly on
        1 − q.
        """
        qf = _check_q(q)
        tab = self.table
        ev = tab["events"].to_numpy(dtype=float) > 0
        if not ev.any():
            return (np.nan, np.nan, np.nan)
        times = tab["time"].to_numpy(dtype=float)[ev]
        surv = tab["survival"].to_numpy(dtype=float)[ev]
        gw = self._greenwood[ev]
        hit = np.flatnonzero(surv <= 1.0 - qf + _S_TOL)
        est = float(times[hit[0]]) if len(hit) else np.nan
        z = float(stats.norm.isf(self.alpha / 2.0))
        target = np.log(-np.log(1.0 - qf))
        with np.errstate(divide="ignore", invalid="ignore"):
            # g(S) - g(1-q) over g'(S) * se(S); se(S) = S sqrt(G), g'(S) = -1 / (S log S)
            # -> ratio = -(g(S) - g(1-q)) * log(S) / sqrt(G)
            g = np.log(-np.log(surv))
            r = (g - target) * (-np.log(surv)) / np.sqrt(gw)
        inside = np.flatnonzero(np.abs(r) <= z)
        if not len(inside):
            return (est, np.nan, np.nan)
        low = float(times[inside[0]])
        high = float(times[inside[-1] + 1]) if inside[-1] + 1 < len(times) else np.nan
        return (est, low, high)

    def median(self) -> tuple[float, float, float]:
        """Median time to event with its Brookmeyer–Crowley interval (``quantile(0.5)``)."""
        return self.quantile(0.5)

    # ---- presentation
    def to_frame(self) -> pd.DataFrame:
        """The curve as a tidy DataFrame (a copy of :attr:`table`)."""
        return self.table.copy()

    def summary(self) -> dict[str, float]:
        """n, events, median and its interval, as a dict."""
        med, lo, hi = self.median()
        return {
            "n": self.n,
            "n_events": self.n_events,
            "median": med,
            "median_ci_low": lo,
            "median_ci_high": hi,
        }

    def _repr_html_(self) -> str:
        med, lo, hi = self.median()

        def num(v: float) -> str:
            return "not reached" if np.isnan(v) else f"{v:g}"

        level = f"{100 * (1 - self.alpha):g}%"
        head = (
            f"<p>Kaplan–Meier: n = {self.n:,}, events = {self.n_events:,}; median "
            f"{num(med)} ({level} CI {num(lo)} – {num(hi)})</p>"
        )
        shown = self.table.copy()
        for col in ("survival", "ci_low", "ci_high"):
            shown[col] = [("" if np.isnan(v) else f"{100 * v:.1f}%") for v in shown[col]]
        return head + shown.to_html(index=False, max_rows=20, escape=True).replace(
            "<table", '<table class="salesops-km"', 1
        )

    def __repr__(self) -> str:
        med = self.median()[0]
        return f"KaplanMeier(n={self.n}, n_events={self.n_events}, median={med:g})"

    def plot(
        self,
        ax: Any = None,
        *,
        ci: bool = True,
        cumulative: bool = False,
        label: str | None = None,
        color: Any = None,
    ) -> Any:
        """Step plot of S(t) (or 1 − S(t) with ``cumulative=True``) with its pointwise band.

        Parameters
        ----------
        ax
            Matplotlib Axes to draw on (a new figure when ``None``).
        ci
            Shade the pointwise confidence band.
        cumulative
            Plot the share that has had the event, 1 − S(t).
        label, color
            Passed to matplotlib.

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt  # noqa: PLC0415  the stats layer stays free of matplotlib unless a curve is drawn (pyplot 0.34 s)

        if ax is None:
            _, ax = plt.subplots()
        tab = self.table
        t = np.concatenate([[0.0], tab["time"].to_numpy(dtype=float)])
        s = np.concatenate([[1.0], tab["survival"].to_numpy(dtype=float)])
        lo = np.concatenate([[1.0], tab["ci_low"].to_numpy(dtype=float)])
        hi = np.concatenate([[1.0], tab["ci_high"].to_numpy(dtype=float)])
        if cumulative:
            s, lo, hi = 1.0 - s, 1.0 - hi, 1.0 - lo
        (line,) = ax.step(t, s, where="post", label=label, color=color)
        if ci and len(t) > 1:
            ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color(), lw=0)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("time")
        ax.set_ylabel("share with event" if cumulative else "share without event")
        return ax


def kaplan_meier(
    durations: ArrayLike,
    events: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    alpha: float = 0.05,
) -> KaplanMeier:
    r"""Kaplan–Meier estimate of the survival function S(t) = P(T > t).

    At each distinct time :math:`t_j` with :math:`n_j` at risk and :math:`d_j` events:

    .. math::

        \hat S(t) = \prod_{t_j \le t} \left(1 - \frac{d_j}{n_j}\right), \qquad
        G(t) = \sum_{t_j \le t} \frac{d_j}{n_j (n_j - d_j)}
        \quad \text{(Greenwood: } \widehat{Var}\,\hat S = \hat S^2 G\text{)}

    The pointwise interval uses the log(−log) transform (Kalbfleisch & Prentice 2002; R's
    ``conf.type="log-log"``, ``scipy.stats.ecdf(...).sf.confidence_interval(method="log-log")``
    and the default transform of statsmodels' quantile intervals):

    .. math::

        \hat S(t)^{\exp(\pm z \sqrt{G(t)} / \log \hat S(t))}

    Where :math:`\hat S = 1` (no events yet) the interval is (1, 1); where :math:`\hat S = 0` it
    is NaN (undefined).

    Parameters
    ----------
    durations
        Time to event or to censoring (>= 0), one per row.
    events
        1/True when the event happened at that duration, 0/False when censored.
    weights
        Optional integer number of entities per row (aggregated input); rows with weight 0 are
        ignored. The result equals that of the expanded rows.
    alpha
        1 − confidence level.

    Returns
    -------
    KaplanMeier
        An empty table (``n == 0``) when there are no rows; queries then give NaN.

    References
    ----------
    Kaplan & Meier (1958); Greenwood (1926); Kalbfleisch & Prentice (2002).
    """
    a = _check_alpha(alpha)
    t, e, w = _survival_inputs(durations, events, weights)
    keep = w > 0
    t, e, w = t[keep], e[keep], w[keep]
    if not len(t):
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in _TABLE_COLUMNS})
        for c in ("at_risk", "events", "censored"):
            empty[c] = empty[c].astype(np.int64)
        return KaplanMeier(empty, a, np.empty(0))
    times, inv = np.unique(t, return_inverse=True)
    d = np.bincount(inv, weights=w * e, minlength=len(times))
    c = np.bincount(inv, weights=w * ~e, minlength=len(times))
    at_risk = np.cumsum((d + c)[::-1])[::-1]
    surv = np.cumprod(1.0 - d / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.cumsum(np.where(d > 0, d / (at_risk * (at_risk - d)), 0.0))
        z = float(stats.norm.isf(a / 2.0))
        log_s = np.log(surv)
        expo = z * np.sqrt(gw) / log_s  # negative where 0 < S < 1
        low = surv ** np.exp(-expo)
        high = surv ** np.exp(expo)
    one = surv >= 1.0
    zero = surv <= 0.0
    low = np.where(one, 1.0, np.where(zero, np.nan, low))
    high = np.where(one, 1.0, np.where(zero, np.nan, high))
    surv = np.where(zero, 0.0, surv)
    table = pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk.round().astype(np.int64),
            "events": d.round().astype(np.int64),
            "censored": c.round().astype(np.int64),
            "survival": surv,
            "ci_low": low,
            "ci_high": high,
        }
    )
    return KaplanMeier(table, a, gw)


# --------------------------------------------------------------------------- log-rank


def logrank_test(
    durations: ArrayLike,
    events: ArrayLike,
    groups: ArrayLike,
    *,
    weights: ArrayLike | None = None,
) -> tuple[float, float]:
    r"""Log-rank (Mantel–Cox) test that k groups share one survival curve.

    At each distinct event time :math:`t_j` with :math:`n_j` at risk and :math:`d_j` events in
    total, and :math:`n_{gj}, d_{gj}` in group g:

    .. math::

        O_g - E_g = \sum_j \left(d_{gj} - d_j \frac{n_{gj}}{n_j}\right), \qquad
        V_{gh} = \sum_j d_j \frac{n_j - d_j}{n_j - 1} \frac{n_{gj}}{n_j}
                 \left(\delta_{gh} - \frac{n_{hj}}{n_j}\right)

    and :math:`X^2 = (O - E)^\top V^{-} (O - E) \sim \chi^2_{\nu}` with :math:`V^{-}` a
    generalised inverse and :math:`\nu = \operatorname{rank} V` (k − 1 in regular cases), as in
    R's ``survdiff``; equal to ``statsmodels.duration.survdiff`` when V has full rank k − 1.

    Parameters
    ----------
    durations, events
        As for :func:`kaplan_meier`.
    groups
        Group label per row (any hashable values).
    weights
        Optional integer number of entities per row.

    Returns
    -------
    (statistic, p_value)
        NaN for both when fewer than two groups have entities; ``(0.0, 1.0)`` when there are no
        events at all (no information).

    References
    ----------
    Mantel (1966); Peto, R. & Peto, J. (1972), *JRSS A* 135, 185-207.
    """
    t, e, w = _survival_inputs(durations, events, weights)
    g_in = np.atleast_1d(np.asarray(groups, dtype=object))
    if g_in.shape != t.shape:
        raise ParamsError(
            "groups",
            f"has length {g_in.size} but `durations` has length {t.size}",
            expected="one group label per row",
        )
    if pd.isna(g_in).any():
        raise ParamsError("groups", "contains missing labels", expected="a label on every row")
    keep = w > 0
    t, e, w, g_in = t[keep], e[keep], w[keep], g_in[keep]
    codes, uniques = pd.factorize(g_in)
    k = len(uniques)
    if k < 2:
        return (np.nan, np.nan)
    times, inv = np.unique(t, return_inverse=True)
    m = len(times)
    d_g = np.zeros((m, k))
    tot_g = np.zeros((m, k))
    np.add.at(d_g, (inv, codes), w * e)
    np.add.at(tot_g, (inv, codes), w)
    n_g = np.cumsum(tot_g[::-1], axis=0)[::-1]  # at risk per group at each time
    d = d_g.sum(axis=1)
    n = n_g.sum(axis=1)
    ev = d > 0
    if not ev.any():
        return (0.0, 1.0)
    d_g, n_g, d, n = d_g[ev], n_g[ev], d[ev], n[ev]
    frac = n_g / n[:, None]
    o_minus_e = (d_g - d[:, None] * frac).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, d * (n - d) / (n - 1), 0.0)
    var = np.einsum("j,jg,gh->gh", factor, frac, np.eye(k)) - np.einsum(
        "j,jg,jh->gh", factor, frac, frac
    )
    dof = int(np.linalg.matrix_rank(var))
    if dof == 0:
        return (0.0, 1.0)
    stat = float(o_minus_e @ np.linalg.pinv(var) @ o_minus_e)
    stat = max(stat, 0.0)
    return (stat, float(stats.chi2.sf(stat, dof)))
