r"""Sample size and minimum detectable effect (MDE) for two-arm tests.

Two formula families for conversion rates (say which one a plan uses):

- ``method="normal"`` (default): unpooled-variance normal approximation for a difference of
  proportions (Chow, Shao & Wang 2008, §4.2; the usual A/B calculator formula),
  :math:`SE = \sqrt{p_0(1-p_0)/n_c + p_1(1-p_1)/n_t}`.
- ``method="arcsine"``: Cohen's h, :math:`h = 2\arcsin\sqrt{p_1} - 2\arcsin\sqrt{p_0}` with
  variance :math:`1/n_c + 1/n_t` (Cohen 1988, ch. 6) — exactly statsmodels'
  ``NormalIndPower`` with ``proportion_effectsize``.

Both solve the *two-sided* power equation exactly (including the far tail):

.. math::

    1 - \beta = \Phi(\lambda - z_{1-\alpha/2}) + \Phi(-\lambda - z_{1-\alpha/2}),
    \qquad \lambda = \Delta / SE(n),

so results equal statsmodels' ``solve_power`` (not just the one-tail closed form
:math:`n = (z_{1-\alpha/2} + z_{1-\beta})^2 \cdot \ldots / \Delta^2`, which is a hair larger).
Means use the noncentral t (``TTestIndPower``) or the normal approximation.

"The effect this test could have detected" for a finished test is ``mde_*`` at the achieved
sample sizes — never "post-hoc power" computed from the observed effect, which is a monotone
function of the p-value and says nothing new (Hoenig & Heisey 2001).

All sizes are per arm: ``n_control`` and ``n_treatment = ratio · n_control``.

References
----------
Chow, S.-C., Shao, J. and Wang, H. (2008). *Sample Size Calculations in Clinical Research*, 2nd
ed. Chapman & Hall, §3.2 and §4.2.
Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed. Erlbaum.
Hoenig, J. M. and Heisey, D. M. (2001). The abuse of power. *The American Statistician* 55, 19–24.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import optimize, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha, _Result

__all__ = [
    "MDEResult",
    "SampleSize",
    "mde_means",
    "mde_proportions",
    "power_means",
    "power_proportions",
    "sample_size_means",
    "sample_size_proportions",
]


@dataclass(frozen=True)
class SampleSize(_Result):
    """Units needed per arm (rounded up) and the exact solution of the power equation."""

    n_control: int
    n_treatment: int
    n_total: int
    n_control_exact: float
    effect: float
    alpha: float
    power: float
    ratio: float
    method: str


@dataclass(frozen=True)
class MDEResult(_Result):
    """Minimum detectable effect at given sample sizes (absolute, and relative to baseline)."""

    mde: float
    mde_rel: float
    baseline: float
    n_control: float
    n_treatment: float
    alpha: float
    power: float
    method: str
    reachable: bool = True
    achieved_power: float = math.nan


def _check_power(power: float) -> float:
    if not (isinstance(power, int | float) and 0 < power < 1):
        raise ParamsError("power", f"got {power!r}", expected="a probability in (0, 1), e.g. 0.8")
    return float(power)


def _check_ratio(ratio: float) -> float:
    if not (isinstance(ratio, int | float) and math.isfinite(ratio) and ratio > 0):
        raise ParamsError("ratio", f"got {ratio!r}", expected="n_treatment / n_control > 0")
    return float(ratio)


def _check_rate(p0: float, name: str = "p0") -> float:
    if not (isinstance(p0, int | float) and 0 < p0 < 1):
        raise ParamsError(name, f"got {p0!r}", expected="a baseline rate strictly between 0 and 1")
    return float(p0)


def _check_n(n: float, name: str) -> float:
    if not (isinstance(n, int | float | np.integer) and math.isfinite(n) and n >= 2):
        raise ParamsError(name, f"got {n!r}", expected="a number of units >= 2")
    return float(n)


def _power_normal(lam: float, alpha: float) -> float:
    z = stats.norm.isf(alpha / 2)
    return float(stats.norm.cdf(lam - z) + stats.norm.cdf(-lam - z))


# --------------------------------------------------------------------------------------------
# proportions
# --------------------------------------------------------------------------------------------
def _se_prop(p0: float, p1: float, n_c: float, ratio: float, method: str) -> tuple[float, float]:
    """(effect on the method's scale, its SE) for control size n_c."""
    if method == "arcsine":
        h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0))
        return h, math.sqrt(1 / n_c + 1 / (ratio * n_c))
    return p1 - p0, math.sqrt(p0 * (1 - p0) / n_c + p1 * (1 - p1) / (ratio * n_c))


def power_proportions(
    p0: float,
    mde_abs: float,
    n_control: float,
    *,
    alpha: float = 0.05,
    ratio: float = 1.0,
    method: Literal["normal", "arcsine"] = "normal",
) -> float:
    """Power of the two-sided test to detect p1 = p0 + mde_abs with the given sizes.

    Parameters
    ----------
    p0
        Baseline (control) conversion rate.
    mde_abs
        Absolute difference p1 − p0 to detect (either sign).
    n_control
        Units in control; treatment has ``ratio · n_control``.
    alpha, ratio, method
        See the module docstring.

    Returns
    -------
    float
        Power (probability of p < alpha when the difference is ``mde_abs``). For *planning* only.
    """
    alpha = _check_alpha(alpha)
    p0 = _check_rate(p0)
    ratio = _check_ratio(ratio)
    p1 = _check_rate(p0 + mde_abs, "mde_abs")
    n_c = _check_n(n_control, "n_control")
    eff, se = _se_prop(p0, p1, n_c, ratio, _check_method(method))
    return _power_normal(abs(eff) / se, alpha)


def _check_method(method: str) -> str:
    if method not in ("normal", "arcsine"):
        raise ParamsError("method", f"got {method!r}", expected='"normal" or "arcsine"')
    return method


def sample_size_proportions(
    p0: float,
    mde_abs: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    method: Literal["normal", "arcsine"] = "normal",
) -> SampleSize:
    r"""Units per arm to detect an absolute change ``mde_abs`` from baseline rate ``p0``.

    Parameters
    ----------
    p0
        Baseline (control) conversion rate, in (0, 1).
    mde_abs
        Smallest absolute difference worth detecting, p1 − p0 (e.g. 0.01 = one percentage
        point); p0 + mde_abs must stay in (0, 1).
    alpha
        Two-sided significance level.
    power
        Target power, 1 − β.
    ratio
        n_treatment / n_control.
    method
        ``"normal"`` (unpooled normal approximation, default) or ``"arcsine"`` (Cohen's h).

    Returns
    -------
    SampleSize
        ``n_control`` = ⌈n⌉ with n solving the two-sided power equation, ``n_treatment`` =
        ⌈ratio · n⌉, the exact ``n_control_exact``.

    Notes
    -----
    ``method="normal"``, ratio 1, ignoring the far tail gives the textbook closed form
    :math:`n = (z_{1-\alpha/2} + z_{1-\beta})^2 [p_0(1-p_0) + p_1(1-p_1)] / \Delta^2`
    (Chow et al. 2008, §4.2.1; their example p = 0.65 vs 0.85 needs 70 per arm).

    References
    ----------
    Chow, Shao & Wang (2008), §4.2; Cohen (1988), ch. 6.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    ratio = _check_ratio(ratio)
    p0 = _check_rate(p0)
    method = _check_method(method)
    if not (isinstance(mde_abs, int | float) and mde_abs != 0):
        raise ParamsError("mde_abs", f"got {mde_abs!r}", expected="a non-zero absolute difference")
    p1 = _check_rate(p0 + mde_abs, "mde_abs")
    eff, se1 = _se_prop(p0, p1, 1.0, ratio, method)  # SE(n) = se1 / sqrt(n)
    n = _solve_n(lambda n: _power_normal(abs(eff) * math.sqrt(n) / se1, alpha), power)
    return _size(n, eff, alpha, power, ratio, method)


def _solve_n(power_at: Callable[[float], float], target: float) -> float:
    """Solve power_at(n) = target for n (power_at increases with n)."""

    def g(n: float) -> float:
        return power_at(n) - target

    lo, hi = 1e-6, 1.0
    while g(hi) < 0:
        hi *= 2
        if hi > 1e15:
            raise ParamsError(
                "mde", "is too small to detect with any sample size", expected="a larger effect"
            )
    return float(optimize.brentq(g, lo, hi, xtol=1e-12, rtol=1e-14, maxiter=500))


def _size(
    n: float, eff: float, alpha: float, power: float, ratio: float, method: str
) -> SampleSize:
    n_c = math.ceil(n - 1e-9)
    n_t = math.ceil(ratio * n - 1e-9)
    return SampleSize(
        n_control=n_c,
        n_treatment=n_t,
        n_total=n_c + n_t,
        n_control_exact=n,
        effect=float(eff),
        alpha=alpha,
        power=power,
        ratio=ratio,
        method=method,
    )


def mde_proportions(
    p0: float,
    n_per_arm: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    method: Literal["normal", "arcsine"] = "normal",
) -> MDEResult:
    """Smallest upward change in conversion the test detects with the given power.

    Parameters
    ----------
    p0
        Baseline (control) rate.
    n_per_arm
        Units in control (treatment: ``ratio · n_per_arm``). For a finished test pass the achieved
        control size and ``ratio = n_t / n_c``: the result is "the effect this test could have
        detected" (report it instead of post-hoc power).
    alpha, power, ratio, method
        As in :func:`sample_size_proportions`.

    Returns
    -------
    MDEResult
        ``mde`` (absolute, p1 − p0 > 0), ``mde_rel`` = mde / p0, ``reachable``,
        ``achieved_power``.

    Notes
    -----
    Solves the power equation for p1 > p0 (the unpooled SE depends on p1, so the normal method
    is solved numerically; the smallest root is taken). ``achieved_power`` is the power at the
    returned MDE. When no p1 < 1 reaches the target power (tiny samples, e.g. ``p0 = 0.5``,
    ``n = 3``) the MDE is unreachable: ``mde`` and ``mde_rel`` are NaN, ``reachable`` is False
    and ``achieved_power`` is the highest power any p1 reaches.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    ratio = _check_ratio(ratio)
    p0 = _check_rate(p0)
    method = _check_method(method)
    n_c = _check_n(n_per_arm, "n_per_arm")

    def g(d: float) -> float:
        eff, se = _se_prop(p0, p0 + d, n_c, ratio, method)
        return _power_normal(abs(eff) / se, alpha) - power

    hi = (1 - p0) * (1 - 1e-12)
    # power is not monotone in d near p1 = 1 (the unpooled SE shrinks): take the smallest d
    # reaching the target on a fine grid, then refine with brentq inside that bracket
    grid = np.linspace(0.0, hi, 2001)[1:]
    gv = _grid_power(p0, grid, n_c, ratio, method, alpha) - power
    ok = np.flatnonzero(gv >= 0)
    # the grid is evaluated at once (numpy); the bracket is confirmed with the scalar g, and
    # any disagreement (a last-bit difference at a grid point where g is 0) falls back to it
    j0 = int(ok[0]) if ok.size else -1
    if ok.size == 0 or g(float(grid[j0])) < 0 or (j0 > 0 and g(float(grid[j0 - 1])) >= 0):
        gv = np.array([g(d) for d in grid])
        ok = np.flatnonzero(gv >= 0)
    if ok.size == 0:
        best = float(gv.max() + power)
        return MDEResult(
            math.nan, math.nan, p0, n_c, ratio * n_c, alpha, power, method, False, best
        )
    j = int(ok[0])
    lo_d = 1e-15 if j == 0 else float(grid[j - 1])
    d = float(optimize.brentq(g, lo_d, float(grid[j]), xtol=1e-15, rtol=1e-14, maxiter=500))
    return MDEResult(d, d / p0, p0, n_c, ratio * n_c, alpha, power, method, True, g(d) + power)


def _grid_power(
    p0: float, d: np.ndarray, n_c: float, ratio: float, method: str, alpha: float
) -> np.ndarray:
    """:func:`_power_normal` of :func:`_se_prop` at the changes ``d``, vectorised (the same
    operations as the scalar path, element by element)."""
    p1 = p0 + d
    if method == "arcsine":
        eff = 2 * np.arcsin(np.sqrt(p1)) - 2 * math.asin(math.sqrt(p0))
        se = math.sqrt(1 / n_c + 1 / (ratio * n_c))
    else:
        eff = p1 - p0
        se = np.sqrt(p0 * (1 - p0) / n_c + p1 * (1 - p1) / (ratio * n_c))
    lam = np.abs(eff) / se
    z = stats.norm.isf(alpha / 2)
    return stats.norm.cdf(lam - z) + stats.norm.cdf(-lam - z)


# --------------------------------------------------------------------------------------------
# means
# --------------------------------------------------------------------------------------------
def _power_t(es: float, n_c: float, ratio: float, alpha: float, method: str) -> float:
    n_t = ratio * n_c
    lam = abs(es) * math.sqrt(n_c * n_t / (n_c + n_t))
    if method == "normal":
        return _power_normal(lam, alpha)
    df = n_c + n_t - 2
    crit = stats.t.isf(alpha / 2, df)
    upper = float(stats.nct.sf(crit, df, lam))
    lower = float(stats.nct.cdf(-crit, df, lam))
    if not np.isfinite(lower):  # far tail underflows for a huge noncentrality
        lower = 0.0
    return min(upper + lower, 1.0) if np.isfinite(upper) else _power_normal(lam, alpha)


def _check_mean_method(method: str) -> str:
    if method not in ("t", "normal"):
        raise ParamsError("method", f"got {method!r}", expected='"t" or "normal"')
    return method


def _check_sd(sd: float) -> float:
    if not (isinstance(sd, int | float) and math.isfinite(sd) and sd > 0):
        raise ParamsError("sd", f"got {sd!r}", expected="a positive standard deviation per unit")
    return float(sd)


def power_means(
    sd: float,
    mde: float,
    n_control: float,
    *,
    alpha: float = 0.05,
    ratio: float = 1.0,
    method: Literal["t", "normal"] = "t",
) -> float:
    """Power of the two-sided two-sample t-test (common ``sd``) to detect a mean difference ``mde``.

    ``method="t"`` uses the noncentral t distribution with n_c + n_t − 2 degrees of freedom
    (statsmodels ``TTestIndPower``); ``"normal"`` the normal approximation (``NormalIndPower``).
    """
    alpha = _check_alpha(alpha)
    sd = _check_sd(sd)
    ratio = _check_ratio(ratio)
    n_c = _check_n(n_control, "n_control")
    return _power_t(mde / sd, n_c, ratio, alpha, _check_mean_method(method))


def sample_size_means(
    sd: float,
    mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    method: Literal["t", "normal"] = "t",
) -> SampleSize:
    r"""Units per arm to detect a difference in means ``mde`` with per-unit standard deviation
    ``sd``.

    Parameters
    ----------
    sd
        Standard deviation of the metric per unit (from historical data; winsorise first for
        heavy-tailed value metrics, and use the CUPED residual SD, sd·√(1 − ρ²), when the
        analysis will adjust for a pre-period covariate).
    mde
        Smallest difference in means worth detecting (metric units).
    alpha, power, ratio
        Two-sided level, target power, n_treatment / n_control.
    method
        ``"t"`` (noncentral t, default; = statsmodels ``TTestIndPower``) or ``"normal"``
        (:math:`n = (z_{1-\alpha/2} + z_{1-\beta})^2 (1 + 1/k)\,\sigma^2/\Delta^2` up to the
        far tail; = ``NormalIndPower``).

    Returns
    -------
    SampleSize
        ``effect`` is Cohen's d = mde / sd.

    Notes
    -----
    Textbook check: d = 0.5, alpha = 0.05 two-sided, power 0.8 needs 64 per group (Cohen 1988,
    Table 2.4.1).

    References
    ----------
    Cohen (1988), ch. 2; Chow, Shao & Wang (2008), §3.2.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    ratio = _check_ratio(ratio)
    sd = _check_sd(sd)
    method = _check_mean_method(method)
    if not (isinstance(mde, int | float) and math.isfinite(mde) and mde != 0):
        raise ParamsError("mde", f"got {mde!r}", expected="a non-zero difference in means")
    es = mde / sd
    lo_n = 3.0 / (1 + ratio) if method == "t" else 1e-6  # t: at least 1 degree of freedom

    def g(n: float) -> float:
        return _power_t(es, n, ratio, alpha, method) - power

    if g(lo_n) >= 0:  # a huge effect: the smallest feasible design already has the power
        return _size(lo_n, es, alpha, power, ratio, method)
    hi = max(2 * lo_n, 2.0)
    while g(hi) < 0:
        hi *= 2
        if hi > 1e15:
            raise ParamsError(
                "mde", "is too small to detect with any sample size", expected="a larger effect"
            )
    n = float(optimize.brentq(g, lo_n, hi, xtol=1e-12, rtol=1e-14, maxiter=500))
    return _size(n, es, alpha, power, ratio, method)


def mde_means(
    sd: float,
    n_per_arm: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    method: Literal["t", "normal"] = "t",
) -> MDEResult:
    """Smallest difference in means detectable with the given sizes (and Cohen's d).

    Parameters
    ----------
    sd
        Per-unit standard deviation.
    n_per_arm
        Units in control (treatment: ``ratio · n_per_arm``); for a finished test the achieved
        sizes — "the effect this test could have detected".
    alpha, power, ratio, method
        As in :func:`sample_size_means`.

    Returns
    -------
    MDEResult
        ``mde`` in metric units; ``mde_rel`` is Cohen's d (mde / sd); ``baseline`` is ``sd``.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    ratio = _check_ratio(ratio)
    sd = _check_sd(sd)
    method = _check_mean_method(method)
    n_c = _check_n(n_per_arm, "n_per_arm")

    def g(es: float) -> float:
        return _power_t(es, n_c, ratio, alpha, method) - power

    hi = 1.0
    while g(hi) < 0:
        hi *= 2
    es = float(optimize.brentq(g, 1e-12, hi, xtol=1e-14, rtol=1e-14, maxiter=500))
    return MDEResult(es * sd, es, sd, n_c, ratio * n_c, alpha, power, method)
