r"""Power and sample size the way experiment platforms plan them: relative lifts, more than two
arms, ratio metrics, sequential (always-valid) reads and "how much longer" mid-experiment.

- :func:`power_lift`, :func:`mde_lift` — GrowthBook's planner: ``n_total`` units split evenly
  over ``n_arms``, a *relative* effect :math:`\delta` on a mean (or a rate, with
  :math:`\sigma^2 = p(1-p)`, or a ratio metric with its delta-method per-unit SD from
  :meth:`~salesops_lib.stats.lift.ArmSummary.from_ratio_sums`); the treatment mean is
  :math:`\mu(1+\delta)` with the same per-unit variance, so

  .. math::

      SE(\delta) = \sqrt{\frac{\sigma^2}{n\mu^2}\big(1 + (1+\delta)^2\big)},\qquad
      1-\beta = 1 - \Phi(z - \delta/SE) + \Phi(-z - \delta/SE),

  with :math:`n = n_{total}/n_{arms}` per arm and :math:`z = z_{1-\alpha/2}` (no multiplicity
  correction, as GrowthBook). A sequential read multiplies SE by :math:`z_{seq}/z`, where
  :math:`z_{seq}` is the asymptotic confidence sequence half-width per unit SE at
  :math:`N = 2n` (:mod:`salesops_lib.stats.confseq`): the power *of the sequential test*.
  The MDE solves the one-tail equation :math:`\delta = (z + z_{1-\beta})\,SE(\delta)`, a
  quadratic in :math:`\delta`.
- :func:`sample_size_lift` — the total units for a relative lift (inverts :func:`power_lift`).
- :func:`scale_to_power` — mid-experiment: the multiple :math:`k` of the current sample to add
  so that the test reaches the target power at a given effect (GrowthBook
  ``MidExperimentPower``; fixed, sequential, or Bayesian with a proper prior).
- :func:`sample_size_arms` — total units for an *absolute* MDE with any number of groups and
  comparisons (Spotify confidence ``SampleSize``): with allocation weights :math:`w_i` and the
  m compared pairs,

  .. math::

      N = \Big\lceil \frac{(z_{1-\alpha/2} + z_{1-\beta})^2\,\sigma^2}{\Delta^2}
          \Big(\frac1m\sum_{(i,j)}\sqrt{1/w_i + 1/w_j}\Big)^2 \Big\rceil .

  ``"control_vs_all"`` gives control half the units and splits the rest evenly over the
  treatments (Spotify's allocation); ``"all_vs_all"`` splits evenly.

References
----------
GrowthBook ``packages/shared/src/power.ts`` and ``gbstats/power/midexperimentpower.py``
(vectors ``gb_power_mean``, ``gb_power_weeks_fixed``, ``gb_power_weeks_sequential``,
``gb_midexperiment_power``); Spotify confidence ``samplesize`` (``sp_samplesize_two_arm``,
``sp_samplesize_three_arm``, checked there against G*Power).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from numbers import Integral, Real
from typing import Literal

from scipy import optimize, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha, _Result
from salesops_lib.stats.confseq import asymp_cs_halfwidth

__all__ = [
    "ScaleToPower",
    "mde_lift",
    "power_lift",
    "sample_size_arms",
    "sample_size_lift",
    "scale_to_power",
]


def _pos(value: float, name: str, what: str) -> float:
    if not (isinstance(value, Real) and math.isfinite(value) and value > 0):
        raise ParamsError(name, f"got {value!r}", expected=what)
    return float(value)


def _check_power(power: float) -> float:
    if not (isinstance(power, Real) and 0 < power < 1):
        raise ParamsError("power", f"got {power!r}", expected="a probability in (0, 1), e.g. 0.8")
    return float(power)


def _arms(n_arms: int) -> int:
    if not (isinstance(n_arms, Integral) and not isinstance(n_arms, bool) and n_arms >= 2):
        raise ParamsError("n_arms", f"got {n_arms!r}", expected="a whole number of arms >= 2")
    return int(n_arms)


def _seq_multiplier(n_pair: float, alpha: float, tuning: float | None) -> float:
    """z_seq / z: how much wider the sequential interval is than the fixed one at N units."""
    z = float(stats.norm.isf(alpha / 2))
    if tuning is None:
        return 1.0
    return asymp_cs_halfwidth(1.0 / math.sqrt(n_pair), n_pair, alpha=alpha, tuning=tuning) * (
        math.sqrt(n_pair) / z
    )


def power_lift(
    mean: float,
    sd: float,
    effect: float,
    n_total: float,
    *,
    n_arms: int = 2,
    alpha: float = 0.05,
    sequential_tuning: float | None = None,
) -> float:
    r"""Power of a two-sided test of a relative lift (GrowthBook planner; module notes).

    Parameters
    ----------
    mean, sd
        Control mean and per-unit SD of the metric (a rate: ``sd = sqrt(p (1 - p))``).
    effect
        Relative lift to detect, e.g. 0.05 for +5 %.
    n_total
        Units over all arms (split evenly).
    n_arms
        Number of arms including control; each treatment is compared with control.
    alpha
        Two-sided level.
    sequential_tuning
        Power of the *sequential* test (asymptotic confidence sequence with this tuning
        parameter, e.g. 5000) instead of the fixed-horizon one.

    Returns
    -------
    float
        Probability that a treatment with that lift is significant.
    """
    alpha = _check_alpha(alpha)
    mean = float(mean)
    if not (math.isfinite(mean) and mean != 0):
        raise ParamsError("mean", f"got {mean!r}", expected="a non-zero control mean")
    sd = _pos(sd, "sd", "a per-unit standard deviation > 0")
    n = _pos(n_total, "n_total", "a number of units > 0") / _arms(n_arms)
    if not math.isfinite(effect):
        raise ParamsError("effect", f"got {effect!r}", expected="a finite relative lift")
    se = math.sqrt(sd * sd / (n * mean * mean) * (1.0 + (1.0 + effect) ** 2))
    se *= _seq_multiplier(2.0 * n, alpha, sequential_tuning)
    z = float(stats.norm.isf(alpha / 2))
    lam = abs(effect) / se
    return float(stats.norm.sf(z - lam) + stats.norm.cdf(-z - lam))


def mde_lift(
    mean: float,
    sd: float,
    n_total: float,
    *,
    n_arms: int = 2,
    alpha: float = 0.05,
    power: float = 0.8,
    sequential_tuning: float | None = None,
) -> float:
    r"""Smallest relative lift detectable with the given power (GrowthBook planner).

    Solves :math:`\delta = (z_{1-\alpha/2} + z_{1-\beta})\,m\,SE(\delta)` with :math:`m` the
    sequential multiplier (1 for a fixed horizon): with
    :math:`k = (z_{1-\alpha/2} + z_{1-\beta})^2 m^2\sigma^2/(n\mu^2)`,

    .. math:: \delta = \frac{k + \sqrt{k^2 + 2k(1-k)}}{1 - k}

    (the positive root of :math:`(1-k)\delta^2 - 2k\delta - 2k = 0`). Parameters as in
    :func:`power_lift`.

    Raises
    ------
    ParamsError
        When :math:`k \ge 1`: no relative lift is detectable with so few units.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    mean = float(mean)
    if not (math.isfinite(mean) and mean != 0):
        raise ParamsError("mean", f"got {mean!r}", expected="a non-zero control mean")
    sd = _pos(sd, "sd", "a per-unit standard deviation > 0")
    n = _pos(n_total, "n_total", "a number of units > 0") / _arms(n_arms)
    mult = _seq_multiplier(2.0 * n, alpha, sequential_tuning)
    zz = float(stats.norm.isf(alpha / 2) + stats.norm.isf(1 - power))
    k = zz * zz * mult * mult * sd * sd / (n * mean * mean)
    if k >= 1:
        raise ParamsError(
            "n_total",
            f"is {n_total!r}: too few units for any relative lift to reach power {power:g}",
            expected="more units per arm",
        )
    return float((k + math.sqrt(k * k + 2 * k * (1 - k))) / (1 - k))


def sample_size_lift(
    mean: float,
    sd: float,
    effect: float,
    *,
    n_arms: int = 2,
    alpha: float = 0.05,
    power: float = 0.8,
    sequential_tuning: float | None = None,
) -> int:
    r"""Total units (over all arms, split evenly) for a relative lift to reach ``power``.

    The smallest :math:`n_{total}` with :func:`power_lift` ≥ ``power`` (the two-sided power
    equation solved exactly, including the far tail), rounded up to a multiple of ``n_arms``.
    Parameters as in :func:`power_lift`; for a ratio metric pass its ratio as ``mean`` and the
    delta-method per-unit SD (``sqrt(ArmSummary.from_ratio_sums(...).var)``) as ``sd``.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    k = _arms(n_arms)
    if not (math.isfinite(effect) and effect != 0):
        raise ParamsError("effect", f"got {effect!r}", expected="a non-zero relative lift")

    def gap(n_total: float) -> float:
        return power_lift(mean, sd, effect, n_total, n_arms=k, alpha=alpha,
                          sequential_tuning=sequential_tuning) - power  # fmt: skip

    lo, hi = float(k), float(4 * k)
    if gap(lo) >= 0:
        return k
    while gap(hi) < 0:
        lo, hi = hi, hi * 2
        if hi > 1e15:
            raise ParamsError(
                "effect", f"is {effect!r}: too small to detect", expected="a larger lift"
            )
    n = float(optimize.brentq(gap, lo, hi, xtol=1e-6, rtol=1e-12))
    return math.ceil(n / k) * k


@dataclass(frozen=True)
class ScaleToPower(_Result):
    """How much more sample a running test needs: ``factor`` × the units it has now."""

    factor: float
    additional_units: float
    power_now: float
    target_power: float
    mde: float
    method: str


def scale_to_power(
    se: float,
    n_now: float,
    mde: float,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    sequential_tuning: float | None = None,
    prior_mean: float = 0.0,
    prior_variance: float | None = None,
) -> ScaleToPower:
    r"""Mid-experiment: the extra sample (as a multiple k of the current one) for target power.

    Parameters
    ----------
    se
        Standard error of the lift now (e.g. ``lift_test(...).se``).
    n_now
        Units in the two compared arms now.
    mde
        Effect (same scale as ``se``) the test should detect.
    power, alpha
        Target power and two-sided level.
    sequential_tuning
        Power of the sequential read (asymptotic CS with :math:`s^2 = N_{now}SE^2` at
        :math:`N = N_{now}(1+k)`).
    prior_mean, prior_variance
        A proper normal prior for a Bayesian read (significant when the posterior mean is
        :math:`z` posterior SDs from 0); ``None`` = frequentist.

    Returns
    -------
    ScaleToPower
        ``factor`` k (0 when already powered), ``additional_units`` = k · n_now.

    Notes
    -----
    With :math:`V_k = SE^2/(1+k)` and half-width :math:`h_k` (:math:`zV_k^{1/2}` fixed, the CS
    half-width sequential),
    :math:`1-\beta(k) = 1 - \Phi((h_k - \delta)/V_k^{1/2}) + \Phi(-(h_k + \delta)/V_k^{1/2})`;
    with a prior :math:`N(\mu_0, \sigma_0^2)`, :math:`h_k = V_k\sqrt{P_k}z - V_k\mu_0/\sigma_0^2`
    on the positive side (:math:`P_k = \sigma_0^{-2} + V_k^{-1}`). k is the exact root
    (GrowthBook doubles then bisects until :math:`|1-\beta - target| < 10^{-5}`, so its k
    differs in the 3rd–4th decimal). Reproduces ``gb_midexperiment_power``.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    se = _pos(se, "se", "a standard error > 0")
    n_now = _pos(n_now, "n_now", "a number of units > 0")
    mde = abs(_pos(abs(mde), "mde", "a non-zero effect"))
    z = float(stats.norm.isf(alpha / 2))
    proper = prior_variance is not None
    if proper:
        prior_variance = _pos(prior_variance, "prior_variance", "a variance > 0, or None")  # type: ignore[arg-type]
    tuning = None if sequential_tuning is None else float(sequential_tuning)

    def power_at(k: float) -> float:
        v = se * se / (1.0 + k)
        sv = math.sqrt(v)
        if proper:
            prec = 1.0 / prior_variance + 1.0 / v  # type: ignore[operator]
            n1 = v * math.sqrt(prec) * z
            n2 = v * prior_mean / prior_variance  # type: ignore[operator]
            return float(
                stats.norm.sf((n1 - n2 - mde) / sv) + stats.norm.cdf(-(n1 + n2 + mde) / sv)
            )
        if tuning is not None:
            h = asymp_cs_halfwidth(
                se / math.sqrt(1.0 + k), n_now * (1.0 + k), alpha=alpha, tuning=tuning
            )
        else:
            h = z * sv
        return float(stats.norm.sf((h - mde) / sv) + stats.norm.cdf(-(h + mde) / sv))

    method = "bayesian" if proper else ("sequential" if tuning is not None else "fixed")
    now = power_at(0.0)
    if now >= power:
        return ScaleToPower(0.0, 0.0, now, power, mde, method)
    hi = 1.0
    while power_at(hi) < power:
        hi *= 2.0
        if hi > 2.0**40:
            raise ParamsError("mde", f"is {mde!r}: not reachable", expected="a larger effect")
    k = float(optimize.brentq(lambda x: power_at(x) - power, 0.0, hi, xtol=1e-10))
    return ScaleToPower(k, k * n_now, now, power, mde, method)


def sample_size_arms(
    var: float,
    mde: float,
    *,
    n_groups: int = 2,
    comparisons: Literal["control_vs_all", "all_vs_all"] = "control_vs_all",
    alpha: float = 0.05,
    power: float = 0.8,
    bonferroni: bool = False,
) -> int:
    r"""Total units for an absolute MDE with two or more groups (Spotify confidence).

    Parameters
    ----------
    var
        Per-unit variance, the same in every group (a rate: :math:`p(1-p)` of the baseline;
        a ratio metric: the delta-method variance of
        :meth:`~salesops_lib.stats.lift.ArmSummary.from_ratio_sums`).
    mde
        Absolute difference to detect.
    n_groups
        Groups including control.
    comparisons
        ``"control_vs_all"`` (each treatment vs control; control gets half the units) or
        ``"all_vs_all"`` (every pair; equal allocation).
    alpha, power
        Two-sided level per comparison and target power.
    bonferroni
        Divide ``alpha`` by the number of comparisons.

    Returns
    -------
    int
        Total units over all groups (formula in the module notes; the one-tail closed form, as
        Spotify and G*Power). For two groups this is
        :math:`4\sigma^2(z_{1-\alpha/2} + z_{1-\beta})^2/\Delta^2`.
    """
    alpha = _check_alpha(alpha)
    power = _check_power(power)
    var = _pos(var, "var", "a per-unit variance > 0")
    mde = _pos(abs(mde), "mde", "a non-zero difference")
    if not (isinstance(n_groups, Integral) and not isinstance(n_groups, bool) and n_groups >= 2):
        raise ParamsError("n_groups", f"got {n_groups!r}", expected="a whole number >= 2")
    n_groups = int(n_groups)
    if comparisons == "control_vs_all":
        w = [0.5] + [0.5 / (n_groups - 1)] * (n_groups - 1)
        pairs = [(0, j) for j in range(1, n_groups)]
    elif comparisons == "all_vs_all":
        w = [1.0 / n_groups] * n_groups
        pairs = list(combinations(range(n_groups), 2))
    else:
        raise ParamsError(
            "comparisons", f"got {comparisons!r}", expected='"control_vs_all" or "all_vs_all"'
        )
    m = len(pairs)
    a = alpha / m if bonferroni else alpha
    zz = float(stats.norm.isf(a / 2) + stats.norm.isf(1 - power))
    spread = sum(math.sqrt(1 / w[i] + 1 / w[j]) for i, j in pairs) / m
    return math.ceil(zz * zz * var / (mde * mde) * spread * spread - 1e-9)
