r"""Sequential testing: look at an A/B test as often as you like without inflating false positives.

Two approaches:

- **Always-valid inference (mSPRT)** — :func:`msprt_binary`, :func:`msprt_pvalues`: a mixture
  sequential probability ratio test with a normal mixing distribution on the difference in
  conversion rates (Johari, Koomen, Pekelis & Walsh 2017/2022). Its p-value and confidence
  sequence stay valid at *every* look, however many looks there are and whenever you stop.
- **Group-sequential boundaries** — :func:`group_sequential_bounds`,
  :func:`obrien_fleming_bounds`, :func:`group_sequential_interval`: a fixed number of planned
  looks with Lan–DeMets alpha spending (O'Brien–Fleming-type, Pocock-type, the power family
  α·t^ρ or Hwang–Shih–DeCani; two- or one-sided); compare the ordinary z statistic of each look
  with its boundary, or read the repeated confidence interval.
- The asymptotic confidence sequence (GrowthBook's default) is in
  :mod:`salesops_lib.stats.confseq`.

References
----------
Robbins, H. (1970). Statistical methods related to the law of the iterated logarithm.
*Ann. Math. Statist.* 41, 1397–1409.
Johari, R., Koomen, P., Pekelis, L. and Walsh, D. (2017). Peeking at A/B tests: why it matters, and
what to do about it. *KDD '17*, 1517–1525; and (2022) Always valid inference: continuous monitoring
of A/B tests. *Operations Research* 70, 1806–1821.
Lan, K. K. G. and DeMets, D. L. (1983). Discrete sequential boundaries for clinical trials.
*Biometrika* 70, 659–663.
Jennison, C. and Turnbull, B. W. (2000). *Group Sequential Methods with Applications to Clinical
Trials*. Chapman & Hall, ch. 7 and 19 (numerical computation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha, _Result

_ZTRUN = 8.0  # one-sided designs truncate the sub-density at -8 sqrt(t) (ldbounds' ztrun)

__all__ = [
    "MSPRTResult",
    "group_sequential_bounds",
    "group_sequential_interval",
    "msprt_binary",
    "msprt_pvalues",
    "msprt_tau",
    "obrien_fleming_bounds",
]


# --------------------------------------------------------------------------------------------
# mSPRT
# --------------------------------------------------------------------------------------------
def _arm_var(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """p(1-p)/n per arm; an arm at 0 % or 100 % uses p = (x + ½)/(n + 1) so V > 0."""
    p = np.where((x > 0) & (x < n), x / n, (x + 0.5) / (n + 1.0))
    return p * (1.0 - p) / n


def _counts(
    x_t: Any, n_t: Any, x_c: Any, n_c: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    out = []
    for name, v in (("x_t", x_t), ("n_t", n_t), ("x_c", x_c), ("n_c", n_c)):
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise ParamsError(
                name, "is not numeric", expected="cumulative counts per look"
            ) from None
        if not np.all(np.isfinite(a)) or np.any(a < 0) or np.any(a != np.floor(a)):
            raise ParamsError(
                name, "holds negative, missing or non-integer values", expected="counts >= 0"
            )
        out.append(a)
    xt, nt, xc, nc = np.broadcast_arrays(*out)
    for xname, nname, x, n in (("x_t", "n_t", xt, nt), ("x_c", "n_c", xc, nc)):
        if np.any(n == 0):
            raise ParamsError(
                nname, "is 0 at some look: an arm has no units", expected="n >= 1 at every look"
            )
        if np.any(x > n):
            raise ParamsError(xname, f"exceeds {nname} at some look", expected="successes <= units")
    return xt, nt, xc, nc


def _check_tau(tau: Any) -> float:
    if not (isinstance(tau, int | float) and math.isfinite(tau) and tau > 0):
        raise ParamsError(
            "tau",
            f"got {tau!r}",
            expected="a positive mixing standard deviation (difference scale)",
        )
    return float(tau)


def _log_lr(diff: np.ndarray, v: np.ndarray, tau: float) -> np.ndarray:
    r"""log Λ for H0: difference = 0 against the N(0, τ²) mixture."""
    s = v + tau * tau
    return 0.5 * np.log(v / s) + tau * tau * diff * diff / (2.0 * v * s)


def _half_width(v: np.ndarray, tau: float, alpha: float) -> np.ndarray:
    s = v + tau * tau
    return np.sqrt(v * s / (tau * tau) * (np.log(s / v) - 2.0 * math.log(alpha)))


def msprt_tau(p0: float, n_per_arm: float, *, alpha: float = 0.05) -> float:
    r"""Mixing standard deviation τ that makes the confidence sequence tightest at a planned size.

    Parameters
    ----------
    p0
        Expected baseline conversion rate.
    n_per_arm
        Planned units per arm at the end of the test.
    alpha
        Level of the test.

    Returns
    -------
    float
        τ = √(r*·V) with :math:`V = 2p_0(1-p_0)/n` and r* minimising the half-width
        :math:`\sqrt{V(1+r)/r\,(\log(1+r) - 2\log\alpha)}` of the confidence sequence at V.

    Notes
    -----
    Choose τ *before* the test starts (from the plan), then keep it fixed: a τ tuned on the
    observed data breaks the always-valid guarantee. The mSPRT is valid for every τ; τ only
    trades power early (small τ) against power late (large τ).

    References
    ----------
    Johari et al. (2017), §4 (choice of the mixing distribution); Howard, S. R., Ramdas, A.,
    McAuliffe, J. and Sekhon, J. (2021). Time-uniform, nonparametric, nonasymptotic confidence
    sequences. *Ann. Statist.* 49, 1055–1080, §3.5.
    """
    alpha = _check_alpha(alpha)
    if not (isinstance(p0, int | float) and 0 < p0 < 1):
        raise ParamsError("p0", f"got {p0!r}", expected="a baseline rate in (0, 1)")
    if not (isinstance(n_per_arm, int | float | np.integer) and n_per_arm >= 1):
        raise ParamsError(
            "n_per_arm", f"got {n_per_arm!r}", expected="a planned number of units >= 1"
        )
    la = -2.0 * math.log(alpha)
    res = optimize.minimize_scalar(
        lambda lr: (1 + math.exp(lr)) / math.exp(lr) * (math.log1p(math.exp(lr)) + la),
        bounds=(-10.0, 15.0),
        method="bounded",
        options={"xatol": 1e-10},
    )
    r = math.exp(res.x)
    v = 2.0 * p0 * (1.0 - p0) / float(n_per_arm)
    return math.sqrt(r * v)


def msprt_pvalues(
    x_t: Any, n_t: Any, x_c: Any, n_c: Any, *, tau: float, running: bool = True
) -> np.ndarray:
    r"""Always-valid mSPRT p-values, vectorised (looks along the last axis).

    Parameters
    ----------
    x_t, n_t, x_c, n_c
        *Cumulative* conversions and units per arm at each look; any broadcastable shapes (e.g.
        ``(n_simulations, n_looks)``).
    tau
        Mixing standard deviation on the difference scale (see :func:`msprt_tau`).
    running
        Take the running minimum along the last axis (the always-valid p-value sequence);
        ``False`` gives the per-look :math:`\min(1, 1/\Lambda_n)`.

    Returns
    -------
    numpy.ndarray
        p-values in [0, 1], same shape as the broadcast inputs.

    Notes
    -----
    With :math:`\hat\theta_n = \hat p_t - \hat p_c` and
    :math:`V_n = \hat p_t(1-\hat p_t)/n_t + \hat p_c(1-\hat p_c)/n_c`, the mixture likelihood ratio
    against :math:`\theta = 0` is

    .. math::

        \Lambda_n = \sqrt{\frac{V_n}{V_n + \tau^2}}
        \exp\!\left(\frac{\tau^2\hat\theta_n^2}{2V_n(V_n + \tau^2)}\right),
        \qquad p_n = \min\left(p_{n-1}, 1/\Lambda_n\right),

    and rejecting when :math:`p_n \le \alpha` has type-I error at most α over all looks (Ville's
    inequality; asymptotically, through the normal approximation of each arm).
    """
    tau = _check_tau(tau)
    xt, nt, xc, nc = _counts(x_t, n_t, x_c, n_c)
    diff = xt / nt - xc / nc
    v = _arm_var(xt, nt) + _arm_var(xc, nc)
    p = np.minimum(1.0, np.exp(-_log_lr(diff, v, tau)))
    if running and p.ndim:
        p = np.minimum.accumulate(p, axis=-1)
    return p


@dataclass(frozen=True)
class MSPRTResult(_Result):
    """mSPRT read-out after the last look; ``table`` has one row per look."""

    diff: float
    p_value: float
    ci_low: float
    ci_high: float
    reject: bool
    first_rejection_look: int | None
    tau: float
    alpha: float
    n_looks: int
    table: pd.DataFrame = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per look: n_t, n_c, diff, p_value (always valid), ci_low, ci_high, reject."""
        return self.table.copy()


def msprt_binary(
    x_t: Any,
    n_t: Any,
    x_c: Any,
    n_c: Any,
    *,
    tau: float | None = None,
    alpha: float = 0.05,
    planned_n_per_arm: float | None = None,
) -> MSPRTResult:
    r"""Always-valid p-value and confidence sequence for a difference in conversion rates.

    Parameters
    ----------
    x_t, n_t, x_c, n_c
        Cumulative conversions and units per arm: scalars (one look) or 1-d arrays, one entry per
        look, in time order.
    tau
        Mixing standard deviation on the difference scale, fixed before the test. ``None``: the
        τ of :func:`msprt_tau` for the pooled rate at the last look and ``planned_n_per_arm``
        (default: the last look's control size) — convenient, but strictly valid only when τ
        does not depend on the data; pass the planned τ when you have one.
    alpha
        Level: reject when the always-valid p-value is ≤ alpha; the confidence sequence has
        simultaneous coverage 1 − alpha over all looks.
    planned_n_per_arm
        Used to choose τ when ``tau`` is None.

    Returns
    -------
    MSPRTResult
        At the last look: ``diff``, always-valid ``p_value`` (running minimum), the running
        intersection of the confidence sequence ``ci_low/ci_high``, ``reject`` and the first look
        at which the test rejected. ``to_frame()`` gives every look.

    Notes
    -----
    Confidence sequence (the set of θ0 the mSPRT does not reject at look n):

    .. math::

        \hat\theta_n \pm \sqrt{\frac{V_n(V_n + \tau^2)}{\tau^2}
        \left(\log\frac{V_n + \tau^2}{V_n} - 2\log\alpha\right)},

    so ``p_value <= alpha`` at a look exactly when 0 is outside that look's interval. The variance
    uses each arm's own rate (an arm at 0 % or 100 % uses (x + ½)/(n + 1)), so early looks with
    very few conversions rely on the normal approximation; in A/A simulations with 50+ units per
    arm at the first look the error rate stays below alpha.

    References
    ----------
    Johari, Koomen, Pekelis & Walsh (2017, 2022); Robbins (1970).
    """
    alpha = _check_alpha(alpha)
    xt, nt, xc, nc = (np.atleast_1d(a) for a in _counts(x_t, n_t, x_c, n_c))
    if xt.ndim != 1:
        raise ParamsError(
            "x_t", f"has shape {xt.shape}", expected="one cumulative count per look (1-d)"
        )
    if np.any(np.diff(nt) < 0) or np.any(np.diff(nc) < 0):
        raise ParamsError("n_t", "decreases between looks", expected="cumulative units per look")
    if tau is None:
        pooled = (xt[-1] + xc[-1]) / (nt[-1] + nc[-1])
        pooled = min(max(pooled, 0.5 / (nt[-1] + nc[-1])), 1 - 0.5 / (nt[-1] + nc[-1]))
        tau = msprt_tau(float(pooled), float(planned_n_per_arm or nc[-1]), alpha=alpha)
    tau = _check_tau(tau)
    diff = xt / nt - xc / nc
    v = _arm_var(xt, nt) + _arm_var(xc, nc)
    p_look = np.minimum(1.0, np.exp(-_log_lr(diff, v, tau)))
    p = np.minimum.accumulate(p_look)
    hw = _half_width(v, tau, alpha)
    low = np.maximum.accumulate(diff - hw)
    high = np.minimum.accumulate(diff + hw)
    reject = p <= alpha
    first = int(np.argmax(reject)) + 1 if reject.any() else None
    table = pd.DataFrame(
        {
            "look": np.arange(1, xt.size + 1),
            "n_t": nt.astype(np.int64),
            "n_c": nc.astype(np.int64),
            "diff": diff,
            "p_value": p,
            "ci_low": low,
            "ci_high": high,
            "reject": reject,
        }
    )
    return MSPRTResult(
        diff=float(diff[-1]),
        p_value=float(p[-1]),
        ci_low=float(low[-1]),
        ci_high=float(high[-1]),
        reject=bool(reject[-1]),
        first_rejection_look=first,
        tau=float(tau),
        alpha=alpha,
        n_looks=int(xt.size),
        table=table,
    )


# --------------------------------------------------------------------------------------------
# Group-sequential boundaries (Lan–DeMets alpha spending)
# --------------------------------------------------------------------------------------------
_SPENDING = ("obrien_fleming", "pocock", "power", "hsd")


def _spend(
    t: np.ndarray,
    alpha: float,
    spending: str,
    *,
    rho: float = 2.0,
    gamma: float = -4.0,
    sides: int = 2,
) -> np.ndarray:
    """Cumulative alpha spent at t (both sides together for a two-sided design)."""
    if spending == "obrien_fleming":
        side = alpha / sides
        return sides * (2.0 * stats.norm.sf(stats.norm.isf(side / 2.0) / np.sqrt(t)))
    if spending == "pocock":
        return alpha * np.log1p((math.e - 1.0) * t)
    if spending == "power":
        return alpha * t**rho
    if gamma == 0:  # hsd
        return alpha * t
    return alpha * -np.expm1(-gamma * t) / -math.expm1(-gamma)


def _simpson_weights(m: int, h: float) -> np.ndarray:
    w = np.ones(m)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    return w * h / 3.0


def _fractions(n_looks: int | None, information_fractions: Any | None) -> np.ndarray:
    if information_fractions is None:
        if not (isinstance(n_looks, int | np.integer) and n_looks >= 1):
            raise ParamsError(
                "n_looks", f"got {n_looks!r}", expected="a whole number of looks >= 1"
            )
        return np.arange(1, int(n_looks) + 1) / int(n_looks)
    t = np.asarray(information_fractions, dtype=float).ravel()
    if (
        t.size == 0
        or not np.all(np.isfinite(t))
        or np.any(t <= 0)
        or np.any(t > 1)
        or np.any(np.diff(t) <= 0)
    ):
        raise ParamsError(
            "information_fractions",
            f"got {t.tolist()[:6]}",
            expected="increasing fractions in (0, 1], e.g. [0.25, 0.5, 0.75, 1]",
        )
    if n_looks is not None and n_looks != t.size:
        raise ParamsError(
            "n_looks",
            f"is {n_looks} but {t.size} fractions were given",
            expected="the same number",
        )
    return t


def group_sequential_bounds(
    n_looks: int | None = None,
    *,
    information_fractions: Any | None = None,
    alpha: float = 0.05,
    spending: Literal["obrien_fleming", "pocock", "power", "hsd"] = "obrien_fleming",
    rho: float = 2.0,
    gamma: float = -4.0,
    alternative: Literal["two-sided", "one-sided"] = "two-sided",
    grid: int = 1_201,
) -> pd.DataFrame:
    r"""Group-sequential z boundaries by Lan–DeMets alpha spending.

    Parameters
    ----------
    n_looks
        Number of equally spaced looks (the last at the full sample). Or give
        ``information_fractions`` instead.
    information_fractions
        Increasing fractions of the planned sample at each look, in (0, 1] (the last one is
        usually 1; a final fraction below 1 spends only α(t_K)). When a test runs over its
        planned size, divide every look's sample by the largest one seen (Spotify's rule).
    alpha
        Overall type-I error (two-sided, or of the one side tested).
    spending
        Cumulative alpha spent by information fraction t (both sides together when
        two-sided):

        - ``"obrien_fleming"``: per side at :math:`\alpha_s = \alpha/2` (two-sided) or
          :math:`\alpha` (one-sided), :math:`\alpha_s(t) = 2 - 2\Phi(z_{1-\alpha_s/2}/\sqrt t)`
          (very strict early; R ``ldbounds``, ``gsDesign``);
        - ``"pocock"``: :math:`\alpha\log(1 + (e - 1)t)`;
        - ``"power"``: the Lan–DeMets / Kim–DeMets power family :math:`\alpha t^\rho`
          (``rho``; ρ = 1 is close to Pocock, ρ = 3 to O'Brien–Fleming; Spotify confidence
          uses ρ = 2);
        - ``"hsd"``: Hwang–Shih–DeCani
          :math:`\alpha(1 - e^{-\gamma t})/(1 - e^{-\gamma})` (``gamma``; γ = −4 is close to
          O'Brien–Fleming, γ = 1 to Pocock, γ = 0 is linear).
    rho, gamma
        Parameters of the ``"power"`` and ``"hsd"`` families.
    alternative
        ``"two-sided"`` (symmetric boundaries ±c) or ``"one-sided"`` (an upper boundary only:
        reject when z ≥ c; flip the sign of z to test a decrease).
    grid
        Points of the numerical integration grid per look (odd; more = more precise).

    Returns
    -------
    pandas.DataFrame
        One row per look: look, information_fraction, z_bound (reject when |z| ≥ z_bound, or
        z ≥ z_bound one-sided), nominal_p (the p-value threshold at that look; Spotify's
        "adjusted alpha"), alpha_spent (cumulative), alpha_increment.

    Notes
    -----
    Under H0 the score statistic is Brownian motion in information time, so
    :math:`Z_k = S_k/\sqrt{t_k}` with independent increments. The boundary :math:`c_k` solves
    :math:`P(Z_j \in C_j, j < k;\ Z_k \notin C_k) = \alpha(t_k) - \alpha(t_{k-1})`, with
    continuation region :math:`C_k = (-c_k, c_k)` (two-sided) or :math:`(-\infty, c_k)`
    (one-sided; the sub-density is truncated at −8√t, as ``ldbounds``' ``ztrun = 8``); the
    sub-density of :math:`S_k` on the continuation region is propagated with Simpson's rule
    on a grid (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19). The first
    boundary is exact. Reproduces Spotify confidence's ``sp_gst_*`` vectors (power family,
    ρ = 2).

    References
    ----------
    Lan & DeMets (1983); Jennison & Turnbull (2000).
    Kim, K. and DeMets, D. L. (1987). Design and analysis of group sequential tests based on
    the type I error spending rate function. *Biometrika* 74, 149–154.
    Hwang, I. K., Shih, W. J. and DeCani, J. S. (1990). Group sequential designs using a family
    of type I error probability spending functions. *Statistics in Medicine* 9, 1439–1445.
    """
    alpha = _check_alpha(alpha)
    if spending not in _SPENDING:
        raise ParamsError(
            "spending",
            f"got {spending!r}",
            expected='"obrien_fleming", "pocock", "power" (with rho) or "hsd" (with gamma)',
        )
    if spending == "power" and not (
        isinstance(rho, int | float) and math.isfinite(rho) and rho > 0
    ):
        raise ParamsError("rho", f"got {rho!r}", expected="a positive exponent, e.g. 2")
    if spending == "hsd" and not (isinstance(gamma, int | float) and math.isfinite(gamma)):
        raise ParamsError("gamma", f"got {gamma!r}", expected="a finite number, e.g. -4")
    if alternative not in ("two-sided", "one-sided"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided" or "one-sided"'
        )
    t = _fractions(n_looks, information_fractions)
    if not (isinstance(grid, int) and grid >= 101):
        raise ParamsError("grid", f"got {grid!r}", expected="an integer >= 101")
    two = alternative == "two-sided"
    sides = 2 if two else 1
    m = grid + 1 - grid % 2  # odd for Simpson
    cum = _spend(t, alpha, spending, rho=float(rho), gamma=float(gamma), sides=sides)
    inc = np.diff(np.r_[0.0, cum])
    bounds = np.empty(t.size)
    bounds[0] = stats.norm.isf(inc[0] / sides)

    def region(c: float, k: int) -> np.ndarray:
        b = c * math.sqrt(t[k])
        lo = -b if two else -_ZTRUN * math.sqrt(t[k])
        return np.linspace(lo, max(b, lo + 1e-9), m)

    u = region(bounds[0], 0)
    f = stats.norm.pdf(u, scale=math.sqrt(t[0]))  # sub-density of S_1 on the continuation region
    w = _simpson_weights(m, u[1] - u[0])
    for k in range(1, t.size):
        sd = math.sqrt(t[k] - t[k - 1])
        fw = f * w
        root_t = math.sqrt(t[k])

        def exit_prob(
            c: float, fw: np.ndarray = fw, u: np.ndarray = u, sd: float = sd, rt: float = root_t
        ) -> float:
            b = c * rt
            up = stats.norm.sf((b - u) / sd)
            return float(fw @ (up + stats.norm.sf((b + u) / sd) if two else up))

        if inc[k] <= 0:
            bounds[k] = math.inf
            continue
        target = float(inc[k])
        if exit_prob(0.0) <= target:
            c = 0.0
        else:
            c = float(
                optimize.brentq(
                    lambda c, target=target: exit_prob(c) - target,
                    0.0,
                    40.0,
                    xtol=1e-12,
                    rtol=1e-13,
                )
            )
        bounds[k] = c
        s = region(c, k)
        f = fw @ stats.norm.pdf((s[None, :] - u[:, None]) / sd) / sd
        u, w = s, _simpson_weights(m, s[1] - s[0])
    return pd.DataFrame(
        {
            "look": np.arange(1, t.size + 1),
            "information_fraction": t,
            "z_bound": bounds,
            "nominal_p": sides * stats.norm.sf(bounds),
            "alpha_spent": cum,
            "alpha_increment": inc,
        }
    )


def group_sequential_interval(
    estimate: float,
    se: float,
    information_fractions: Any,
    *,
    alpha: float = 0.05,
    spending: Literal["obrien_fleming", "pocock", "power", "hsd"] = "power",
    rho: float = 2.0,
    gamma: float = -4.0,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> tuple[float, float, float]:
    r"""Repeated confidence interval at the latest look of a group-sequential design.

    Parameters
    ----------
    estimate, se
        The (absolute) difference now and its standard error (e.g. a z-test on summaries:
        :func:`~salesops_lib.stats.lift.lift_test` with ``method="z"``).
    information_fractions
        Information fraction of every look so far, the current one last (sample now / planned
        sample; when the test ran over, divide by the largest sample seen).
    alpha, spending, rho, gamma
        As in :func:`group_sequential_bounds` (default: the power family with ρ = 2, Spotify
        confidence's default). For several comparisons pass ``alpha / m`` (Bonferroni).
    alternative
        ``"two-sided"``, ``"greater"`` (a lower bound, e.g. for non-inferiority: compare it
        with −margin) or ``"less"`` (an upper bound); one-sided designs spend all of alpha in
        the tested tail.

    Returns
    -------
    (low, high, z_bound)
        ``estimate ∓ z_bound · se`` (±inf on the untested side) with the current look's
        boundary: the interval excludes 0 exactly when the boundary is crossed (Jennison &
        Turnbull 2000, ch. 9, repeated confidence intervals). Reproduces Spotify confidence's
        ``sp_gst_two_sided_first_look``, ``sp_gst_one_sided_nim`` and
        ``sp_gst_three_groups_two_looks``.
    """
    if not (math.isfinite(estimate) and math.isfinite(se) and se >= 0):
        raise ParamsError("se", f"got estimate={estimate!r}, se={se!r}", expected="finite, se >= 0")
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided", "greater" or "less"'
        )
    b = group_sequential_bounds(
        information_fractions=information_fractions,
        alpha=alpha,
        spending=spending,
        rho=rho,
        gamma=gamma,
        alternative="two-sided" if alternative == "two-sided" else "one-sided",
    )
    z = float(b["z_bound"].iloc[-1])
    lo, hi = estimate - z * se, estimate + z * se
    if alternative == "greater":
        hi = math.inf
    elif alternative == "less":
        lo = -math.inf
    return float(lo), float(hi), z


def obrien_fleming_bounds(
    n_looks: int,
    *,
    alpha: float = 0.05,
    information_fractions: Any | None = None,
) -> pd.DataFrame:
    """O'Brien–Fleming-type boundaries by Lan–DeMets spending (see :func:`group_sequential_bounds`).

    Example: 5 equally spaced looks at alpha 0.05 give |z| ≥ 4.877, 3.357, 2.680, 2.290, 2.031.
    """
    return group_sequential_bounds(
        None if information_fractions is not None else n_looks,
        information_fractions=information_fractions,
        alpha=alpha,
        spending="obrien_fleming",
    )
