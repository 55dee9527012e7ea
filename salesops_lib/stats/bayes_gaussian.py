r"""Gaussian Bayesian read-out of a lift: chance to win and risk (expected loss), flat or
proper normal prior — GrowthBook's Bayesian engine.

The likelihood of the lift is :math:`N(\hat\delta, SE^2)` (the delta-method estimate of
:mod:`salesops_lib.stats.lift`, relative or absolute). With a proper prior
:math:`N(\mu_0, \sigma_0^2)` on the lift the posterior is the precision-weighted normal

.. math::

    \sigma_1^{-2} = \sigma_0^{-2} + SE^{-2},\qquad
    \mu_1 = \sigma_1^2(\mu_0/\sigma_0^2 + \hat\delta/SE^2),

and with the default improper flat prior :math:`N(\hat\delta, SE^2)` itself. Then

.. math::

    P(\delta > 0) = \Phi(\mu_1/\sigma_1),\qquad
    E[\max(\delta, 0)] = \mu_1\Phi(\mu_1/\sigma_1) + \sigma_1\varphi(\mu_1/\sigma_1),\qquad
    E[\max(-\delta, 0)] = E[\max(\delta, 0)] - \mu_1 .

``risk_control`` = :math:`E[\max(\delta, 0)]` is what keeping control is expected to lose,
``risk_treatment`` = :math:`E[\max(-\delta, 0)]` what shipping treatment is expected to lose.
For an *inverse* metric (lower is better) the chance to win is :math:`P(\delta < 0)` and the
two risks swap. The credible interval is equal-tailed.

Reproduces GrowthBook ``gb_bayes_binomial``, ``gb_bayes_gaussian_flat``,
``gb_bayes_gaussian_informative``, ``gb_bayes_risk_closed_form``, ``gb_e2e_bayesian``,
``gb_e2e_bayesian_inverse`` and ``gb_ctw_from_ci``.

References
----------
GrowthBook gbstats ``EffectBayesianABTest`` (``gbstats/bayesian/tests.py``) and its
documentation "Bayesian statistics" (prior on the relative lift, chance to win, risk).
Kamalbasha, S. and Eugster, M. J. A. (2021). Bayesian A/B testing for business decisions.
*Data Science – Analytics and Applications*, 50–57 (expected loss of a normal posterior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha, _Result

__all__ = ["GaussianPosterior", "gaussian_lift_posterior", "normal_risk"]


@dataclass(frozen=True)
class GaussianPosterior(_Result):
    """Normal posterior of a lift with chance to win and the two risks."""

    mean: float
    sd: float
    ci_low: float
    ci_high: float
    chance_to_win: float
    risk_control: float
    risk_treatment: float
    prior: str
    inverse: bool
    alpha: float


def normal_risk(mu: float, sigma: float) -> tuple[float, float]:
    r"""Expected losses of a normal :math:`D \sim N(\mu, \sigma^2)`:
    :math:`(E[\max(D, 0)],\ E[\max(-D, 0)])` in closed form (see the module notes)."""
    for name, v in (("mu", mu), ("sigma", sigma)):
        if not math.isfinite(v):
            raise ParamsError(name, f"got {v!r}", expected="a finite number")
    if sigma < 0:
        raise ParamsError("sigma", f"got {sigma!r}", expected="a standard deviation >= 0")
    if sigma == 0:
        return max(mu, 0.0), max(-mu, 0.0)
    z = mu / sigma
    pos = mu * float(stats.norm.cdf(z)) + sigma * float(stats.norm.pdf(z))
    neg = -mu * float(stats.norm.cdf(-z)) + sigma * float(stats.norm.pdf(z))
    return pos, neg


def gaussian_lift_posterior(
    estimate: float,
    se: float,
    *,
    prior_mean: float = 0.0,
    prior_variance: float | None = None,
    inverse: bool = False,
    alpha: float = 0.05,
) -> GaussianPosterior:
    r"""Posterior of a lift from its estimate and standard error, with chance to win and risk.

    Parameters
    ----------
    estimate, se
        The lift and its standard error (e.g. ``lift_test(...).estimate`` and ``.se``; or from
        a published interval with :func:`~salesops_lib.stats.rates.se_from_interval`).
    prior_mean, prior_variance
        A proper normal prior on the lift (same scale as ``estimate``); ``prior_variance=None``
        (default) is GrowthBook's improper flat prior, for which the posterior is
        :math:`N(\hat\delta, SE^2)`.
    inverse
        The metric is better when lower (cost, time to close): chance to win is
        :math:`P(\delta < 0)` and the risks swap.
    alpha
        1 − level of the equal-tailed credible interval.

    Returns
    -------
    GaussianPosterior
        ``mean``, ``sd``, ``ci_low/high``, ``chance_to_win``, ``risk_control`` (expected loss
        of keeping control), ``risk_treatment`` (of shipping treatment).
    """
    alpha = _check_alpha(alpha)
    est = float(estimate)
    if not math.isfinite(est):
        raise ParamsError("estimate", f"got {estimate!r}", expected="a finite lift")
    if not (math.isfinite(se) and se > 0):
        raise ParamsError("se", f"got {se!r}", expected="a standard error > 0")
    if prior_variance is None:
        mean, sd, prior = est, float(se), "flat (improper)"
    else:
        if not (math.isfinite(prior_variance) and prior_variance > 0):
            raise ParamsError(
                "prior_variance",
                f"got {prior_variance!r}",
                expected="a variance > 0, or None (flat)",
            )
        if not math.isfinite(prior_mean):
            raise ParamsError("prior_mean", f"got {prior_mean!r}", expected="a finite number")
        prec = 1.0 / prior_variance + 1.0 / se**2
        sd = math.sqrt(1.0 / prec)
        mean = (prior_mean / prior_variance + est / se**2) / prec
        prior = f"normal({prior_mean:g}, {prior_variance:g})"
    z = float(stats.norm.isf(alpha / 2))
    p_up = float(stats.norm.sf(0.0, loc=mean, scale=sd))
    pos, neg = normal_risk(mean, sd)
    if inverse:
        ctw, risk_c, risk_t = 1.0 - p_up, neg, pos
    else:
        ctw, risk_c, risk_t = p_up, pos, neg
    return GaussianPosterior(
        mean=mean,
        sd=sd,
        ci_low=mean - z * sd,
        ci_high=mean + z * sd,
        chance_to_win=ctw,
        risk_control=risk_c,
        risk_treatment=risk_t,
        prior=prior,
        inverse=bool(inverse),
        alpha=alpha,
    )
