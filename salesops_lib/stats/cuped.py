"""CUPED / regression adjustment with a pre-period covariate (identical to OLS ``y ~ arm + x``),
from arrays or from per-arm sufficient statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import (
    _as_values,
    _check_alpha,
    _Result,
    _t_p_value,
)

__all__ = [
    "CupedResult",
    "CupedStats",
    "cuped_adjust",
    "cuped_compare",
    "cuped_compare_from_stats",
]


# --------------------------------------------------------------------------------------------
# CUPED
# --------------------------------------------------------------------------------------------
def _arm_codes(arm: Any, n: int, treatment: Any | None) -> np.ndarray:
    """0/1 treatment indicator from an arm label array."""
    labels = np.asarray(arm).ravel()
    if labels.size != n:
        raise ParamsError(
            "arm", f"has {labels.size} values for {n} units", expected="one label per unit"
        )
    levels = list(dict.fromkeys(labels.tolist()))
    if len(levels) != 2:
        raise ParamsError(
            "arm", f"holds {len(levels)} distinct arms {levels[:5]}", expected="exactly two arms"
        )
    if treatment is None:
        if set(levels) <= {0, 1}:
            treatment = 1
        else:
            raise ParamsError(
                "treatment",
                "is needed to tell which arm is the treatment",
                expected=f"one of {levels}",
            )
    if treatment not in levels:
        raise ParamsError("treatment", f"{treatment!r} is not an arm", expected=f"one of {levels}")
    return (labels == treatment).astype(float)


def _within_theta(y: np.ndarray, x: np.ndarray, d: np.ndarray) -> tuple[float, float, float, float]:
    """Pooled within-arm slope, SSx_w, SPxy_w, SSy_w."""
    ssx = spxy = ssy = 0.0
    for g in (0.0, 1.0):
        m = d == g
        xc, yc = x[m] - x[m].mean(), y[m] - y[m].mean()
        ssx += float(xc @ xc)
        spxy += float(xc @ yc)
        ssy += float(yc @ yc)
    theta = spxy / ssx if ssx > 0 else 0.0
    return theta, ssx, spxy, ssy


def cuped_adjust(
    y: Any, x_pre: Any, arm: Any, *, treatment: Any | None = None
) -> tuple[np.ndarray, float]:
    r"""CUPED-adjusted outcome :math:`y - \theta (x - \bar x)`.

    Parameters
    ----------
    y
        Outcome per unit (experiment period).
    x_pre
        Pre-period covariate per unit (same metric before the test is usual), unaffected by the
        treatment.
    arm
        Arm label per unit (two arms).
    treatment
        Which label is the treatment (default 1 for 0/1 or boolean labels).

    Returns
    -------
    (y_adjusted, theta)

    Notes
    -----
    :math:`\theta = \sum_{a}\sum_{i\in a}(x_i-\bar x_a)(y_i-\bar y_a) /
    \sum_a\sum_{i\in a}(x_i-\bar x_a)^2` is the pooled *within-arm* slope, which makes the
    difference of adjusted means identical to the treatment coefficient of OLS ``y ~ arm + x``
    (Lin 2013). With randomisation it differs from the all-units slope cov(y, x)/var(x) of Deng
    et al. only by sampling noise of order 1/n. A constant covariate gives θ = 0 (no adjustment).

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
    controlled experiments by utilizing pre-experiment data. *WSDM '13*, 123–132.
    """
    yv = _as_values(y, "y", min_n=4)
    xv = _as_values(x_pre, "x_pre", min_n=4)
    if xv.size != yv.size:
        raise ParamsError(
            "x_pre", f"has {xv.size} values for {yv.size} outcomes", expected="one per unit"
        )
    d = _arm_codes(arm, yv.size, treatment)
    theta, *_ = _within_theta(yv, xv, d)
    return yv - theta * (xv - xv.mean()), float(theta)


@dataclass(frozen=True)
class CupedResult(_Result):
    """CUPED / regression-adjusted comparison (treatment − control)."""

    n_t: int
    n_c: int
    theta: float
    diff_unadjusted: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float
    variance_reduction: float
    se_unadjusted: float
    cov_type: str
    alpha: float


def cuped_compare(
    y_t: Any,
    x_t: Any,
    y_c: Any,
    x_c: Any,
    *,
    alpha: float = 0.05,
    cov_type: Literal["nonrobust", "HC1"] = "nonrobust",
) -> CupedResult:
    r"""Compare two arms on ``y`` adjusting for a pre-period covariate ``x`` (CUPED).

    Parameters
    ----------
    y_t, x_t
        Outcome and pre-period covariate per treatment unit.
    y_c, x_c
        The same for control units.
    alpha
        1 − confidence level.
    cov_type
        ``"nonrobust"`` (classical OLS standard error, default) or ``"HC1"``
        (heteroskedasticity-robust, MacKinnon & White 1985).

    Returns
    -------
    CupedResult
        ``diff`` = adjusted difference, its SE / interval / t / p (t distribution with
        n − 3 degrees of freedom), ``theta``, ``diff_unadjusted`` and ``variance_reduction``
        = 1 − var(y_adj)/var(y) using within-arm (residual) variances, i.e. the squared
        within-arm correlation of y and x. ``se_unadjusted`` is the pooled-variance SE of the
        raw difference, for comparison. A covariate that is constant within each arm carries no
        information: θ = 0 and the result is the pooled-variance t-test (df = n − 2).

    Notes
    -----
    Identical to the ``arm`` coefficient of OLS ``y ~ 1 + arm + x``:

    .. math::

        \hat\Delta = (\bar y_t - \bar y_c) - \theta(\bar x_t - \bar x_c),\qquad
        \widehat{Var}(\hat\Delta) = \frac{RSS/(n-3)}{S_{dd} - S_{dx}^2/S_{xx}},

    with :math:`S_{dd} = n_t n_c/n`, :math:`S_{dx} = S_{dd}(\bar x_t - \bar x_c)`,
    :math:`S_{xx}` the total sum of squares of x and RSS the within-arm residual sum of squares.

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). *WSDM '13*, 123–132.
    Lin, W. (2013). Agnostic notes on regression adjustments to experimental data.
    *Annals of Applied Statistics* 7, 295–318.
    """
    alpha = _check_alpha(alpha)
    yt, xt = _as_values(y_t, "y_t", min_n=2), _as_values(x_t, "x_t", min_n=2)
    yc, xc = _as_values(y_c, "y_c", min_n=2), _as_values(x_c, "x_c", min_n=2)
    if yt.size != xt.size:
        raise ParamsError(
            "x_t", f"has {xt.size} values for {yt.size} outcomes", expected="one per unit"
        )
    if yc.size != xc.size:
        raise ParamsError(
            "x_c", f"has {xc.size} values for {yc.size} outcomes", expected="one per unit"
        )
    if cov_type not in ("nonrobust", "HC1"):
        raise ParamsError("cov_type", f"got {cov_type!r}", expected='"nonrobust" or "HC1"')
    st = CupedStats.from_arrays(yt, xt)
    sc = CupedStats.from_arrays(yc, xc)
    se_hc1 = None
    if cov_type == "HC1":
        y, x = np.concatenate([yt, yc]), np.concatenate([xt, xc])
        d = np.concatenate([np.ones(yt.size), np.zeros(yc.size)])
        use_x = (st.n - 1) * st.var_x + (sc.n - 1) * sc.var_x > 0
        X = np.column_stack([np.ones(y.size), d, x] if use_x else [np.ones(y.size), d])
        xtx_inv = np.linalg.inv(X.T @ X)
        resid = y - X @ (xtx_inv @ (X.T @ y))
        meat = (X * resid[:, None] ** 2).T @ X
        cov = xtx_inv @ meat @ xtx_inv * y.size / (y.size - X.shape[1])
        se_hc1 = float(np.sqrt(max(cov[1, 1], 0.0)))
    return _cuped_from_stats(st, sc, alpha=alpha, se_override=se_hc1)


class CupedStats(NamedTuple):
    """Sufficient statistics of one arm for CUPED: an engine computes them with ``count``,
    ``avg``, ``var_samp`` and ``covar_samp`` (all with ddof = 1)."""

    n: int
    mean_y: float
    mean_x: float
    var_y: float
    var_x: float
    cov_xy: float

    @classmethod
    def from_arrays(cls, y: np.ndarray, x: np.ndarray) -> CupedStats:
        yc, xc = y - y.mean(), x - x.mean()
        d = y.size - 1
        return cls(y.size, float(y.mean()), float(x.mean()), float(yc @ yc / d),
                   float(xc @ xc / d), float(xc @ yc / d))  # fmt: skip


def cuped_compare_from_stats(
    stats_t: CupedStats | tuple[float, ...],
    stats_c: CupedStats | tuple[float, ...],
    *,
    alpha: float = 0.05,
) -> CupedResult:
    """:func:`cuped_compare` (classical SE) from per-arm sufficient statistics.

    Parameters
    ----------
    stats_t, stats_c
        :class:`CupedStats` ``(n, mean_y, mean_x, var_y, var_x, cov_xy)`` per arm (sample
        variances and covariance, ddof = 1), or plain tuples in that order.
    alpha
        1 − confidence level.

    Returns
    -------
    CupedResult
        Identical to ``cuped_compare(..., cov_type="nonrobust")`` on the underlying units.
    """
    parsed = []
    for name, st in (("stats_t", stats_t), ("stats_c", stats_c)):
        try:
            cs = CupedStats(*st)
        except TypeError:
            raise ParamsError(
                name, f"got {st!r}", expected="(n, mean_y, mean_x, var_y, var_x, cov_xy)"
            ) from None
        if not all(np.isfinite(v) for v in cs) or cs.n != int(cs.n) or cs.n < 2:
            raise ParamsError(name, f"got {st!r}", expected="finite values and n >= 2 units")
        if cs.var_y < 0 or cs.var_x < 0:
            raise ParamsError(name, "has a negative variance", expected="variances >= 0")
        parsed.append(cs._replace(n=int(cs.n)))
    return _cuped_from_stats(parsed[0], parsed[1], alpha=_check_alpha(alpha), se_override=None)


def _cuped_from_stats(
    st: CupedStats, sc: CupedStats, *, alpha: float, se_override: float | None
) -> CupedResult:
    n_t, n_c = st.n, sc.n
    n = n_t + n_c
    ssx_w = (n_t - 1) * st.var_x + (n_c - 1) * sc.var_x
    ssy_w = (n_t - 1) * st.var_y + (n_c - 1) * sc.var_y
    spxy_w = (n_t - 1) * st.cov_xy + (n_c - 1) * sc.cov_xy
    use_x = ssx_w > 0  # a covariate constant within arms carries no information: plain t-test
    theta = spxy_w / ssx_w if use_x else 0.0
    k = 3 if use_x else 2
    diff_raw = float(st.mean_y - sc.mean_y)
    dx = float(st.mean_x - sc.mean_x)
    diff = diff_raw - theta * dx
    rss = max(ssy_w - theta * spxy_w, 0.0)
    df = float(n - k)
    sdd = n_t * n_c / n
    # total S_xx = SSx_within + S_dd * dx^2 > 0 when use_x, so the denominator is positive
    denom = sdd - (sdd * dx) ** 2 / (ssx_w + sdd * dx * dx) if use_x else sdd
    se = float(np.sqrt(rss / df / denom)) if se_override is None else se_override
    if se > 0:
        t = diff / se
    else:
        t = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    half = float(stats.t.ppf(1 - alpha / 2, df)) * se
    vr = 1.0 - rss / ssy_w if ssy_w > 0 else 0.0
    se_raw = float(np.sqrt(ssy_w / (n - 2) * (1 / n_t + 1 / n_c)))
    return CupedResult(
        n_t=n_t,
        n_c=n_c,
        theta=float(theta),
        diff_unadjusted=diff_raw,
        diff=float(diff),
        se=se,
        ci_low=float(diff - half),
        ci_high=float(diff + half),
        t=float(t),
        df=df,
        p_value=_t_p_value(t, df),
        variance_reduction=float(vr),
        se_unadjusted=se_raw,
        cov_type="nonrobust" if se_override is None else "HC1",
        alpha=alpha,
    )
