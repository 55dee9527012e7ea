r"""Asymptotic confidence sequences (GrowthBook's sequential default) beside the mSPRT.

An asymptotic confidence sequence (Waudby-Smith, Arnold, Wu, Howard, Ramdas & Lindon 2023)
is an interval around an estimate that is valid at *every* look: peek as often as you like.
It only needs the estimate's standard error and the number of units seen, so it wraps any
asymptotically normal estimate (absolute or relative lift, CUPED, ratio metrics).

With :math:`N` units in the two compared arms, :math:`\hat\sigma^2 = N\,SE^2` and a tuning
parameter :math:`N^*` (the sample size at which the sequence is tightest):

.. math::

    \rho^2 = \frac{-2\ln a + \ln(1 - 2\ln a)}{N^*},\qquad
    h_N = \hat\sigma\sqrt{\frac{2(N\rho^2 + 1)}{N^2\rho^2}
          \ln\frac{\sqrt{N\rho^2 + 1}}{a}},

with :math:`a = \alpha` for a two-sided sequence (eq. 9 of the paper). A one-sided bound
(eq. 134) uses :math:`a = 2\alpha` and :math:`\ln(1 + \sqrt{N\rho^2 + 1}/a)` in place of the
logarithm. The always-valid two-sided p-value inverts :math:`h_N` for
fixed :math:`\rho` (eq. 155):

.. math::

    p_N = \min\Big(1,\ \sqrt{N\rho^2 + 1}\,
          \exp\Big(-\frac{\hat\theta^2 N^2\rho^2}{2\hat\sigma^2(N\rho^2 + 1)}\Big)\Big).

A one-sided p-value is the smallest level :math:`p` whose bound (with :math:`\rho` kept at the
design level) excludes 0,
:math:`p = \sqrt{N\rho^2+1}\,/\,\big(2(e^{L} - 1)\big)`,
:math:`L = \hat\theta^2 N^2\rho^2/(2\hat\sigma^2(N\rho^2+1))`, capped at 0.4999 like
GrowthBook's bisection.

Reproduces the published vectors ``gb_seq_two_sided_tuning1000``, ``gb_seq_two_sided_prop``,
``gb_seq_one_sided_*``, ``gb_e2e_sequential_tuning600`` and ``gb_ratio_cuped_sequential``
(GrowthBook gbstats, ``packages/stats/tests/frequentist/test_tests.py``).

References
----------
Waudby-Smith, I., Arnold, D., Wu, J., Howard, S. R., Ramdas, A. and Lindon, M. (2023).
Time-uniform central limit theory and asymptotic confidence sequences. arXiv:2103.06476.
GrowthBook gbstats ``SequentialTwoSidedTTest`` / ``SequentialOneSidedTreatment*TTest``.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Literal

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _check_alpha

__all__ = ["asymp_cs_halfwidth", "asymp_cs_pvalue", "asymp_cs_rho2"]

#: GrowthBook's default tuning parameter (the N at which the sequence is tightest).
DEFAULT_TUNING = 5_000.0
_P_CAP = 0.4999  # GrowthBook caps the one-sided p-value search at this alpha


def _check_tuning(tuning: float) -> float:
    if not (isinstance(tuning, Real) and math.isfinite(tuning) and tuning > 0):
        raise ParamsError(
            "tuning",
            f"got {tuning!r}",
            expected="a positive number of units at which the sequence is tightest, e.g. 5000",
        )
    return float(tuning)


def _check_n_total(n_total: float) -> float:
    if not (isinstance(n_total, Real) and math.isfinite(n_total) and n_total > 0):
        raise ParamsError(
            "n_total", f"got {n_total!r}", expected="the number of units in both arms, > 0"
        )
    return float(n_total)


def asymp_cs_rho2(alpha: float, tuning: float = DEFAULT_TUNING) -> float:
    r""":math:`\rho^2 = (-2\ln a + \ln(1 - 2\ln a)) / N^*` for level ``a`` (see module notes)."""
    la = math.log(_check_alpha(alpha))
    return (-2.0 * la + math.log(1.0 - 2.0 * la)) / _check_tuning(tuning)


def asymp_cs_halfwidth(
    se: float,
    n_total: float,
    *,
    alpha: float = 0.05,
    tuning: float = DEFAULT_TUNING,
    one_sided: bool = False,
) -> float:
    r"""Half-width of the asymptotic confidence sequence at the current look.

    Parameters
    ----------
    se
        Standard error of the estimate now (fixed-sample formula).
    n_total
        Units in the two compared arms now (:math:`N = n_t + n_c`).
    alpha
        Error rate of the whole sequence (two-sided, or per side with ``one_sided``).
    tuning
        :math:`N^*`, the sample size at which the sequence is tightest (GrowthBook default
        5000).
    one_sided
        A one-sided bound (eq. 134: :math:`a = 2\alpha` and :math:`\ln(1 + \sqrt{N\rho^2+1}/a)`).

    Returns
    -------
    float
        :math:`h_N` of the module notes; the interval is estimate ± h (or one side of it).
    """
    alpha = _check_alpha(alpha)
    n = _check_n_total(n_total)
    if not (math.isfinite(se) and se >= 0):
        raise ParamsError("se", f"got {se!r}", expected="a standard error >= 0")
    a = 2.0 * alpha if one_sided else alpha
    if a >= 1:
        raise ParamsError("alpha", f"got {alpha!r}", expected="below 0.5 for a one-sided bound")
    rho2 = asymp_cs_rho2(a, tuning)
    s2 = se * se * n
    nr = n * rho2 + 1.0
    inner = math.log1p(math.sqrt(nr) / a) if one_sided else math.log(math.sqrt(nr) / a)
    return math.sqrt(s2 * 2.0 * nr / (n * n * rho2) * inner)


def asymp_cs_pvalue(
    estimate: float,
    se: float,
    n_total: float,
    *,
    alpha: float = 0.05,
    tuning: float = DEFAULT_TUNING,
    alternative: Literal["two-sided", "greater", "less"] = "two-sided",
) -> float:
    r"""Always-valid p-value of the asymptotic confidence sequence.

    Parameters
    ----------
    estimate, se, n_total, tuning
        As in :func:`asymp_cs_halfwidth`.
    alpha
        The design level that fixes :math:`\rho` for the two-sided p-value (eq. 155).
    alternative
        ``"two-sided"`` (closed form, eq. 155) or ``"greater"`` / ``"less"``: the smallest
        level whose one-sided bound (eq. 134, :math:`\rho` kept at the design ``alpha``)
        excludes 0, in closed form, capped at 0.4999 like GrowthBook (whose bisection
        over (1e-5, 0.4999) stops within ~1e-4 of this root).

    Returns
    -------
    float
        The p-value (1 when the estimate is 0 or the standard error is 0 with estimate 0).
    """
    alpha = _check_alpha(alpha)
    n = _check_n_total(n_total)
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative", f"got {alternative!r}", expected='"two-sided", "greater" or "less"'
        )
    if se <= 0:
        return 1.0 if estimate == 0 else 0.0
    if alternative == "two-sided":
        rho2 = asymp_cs_rho2(alpha, tuning)
        s2 = se * se * n
        nr = n * rho2 + 1.0
        log_p = 0.5 * math.log(nr) - estimate**2 * n * n * rho2 / (2.0 * s2 * nr)
        return float(min(1.0, math.exp(log_p)))
    # rho stays at the design level (a = 2 alpha); the level inside the logarithm is solved for
    rho2 = asymp_cs_rho2(2.0 * alpha, tuning)
    nr = n * rho2 + 1.0
    signed = estimate if alternative == "greater" else -estimate
    if signed <= 0:
        return _P_CAP
    log_term = signed**2 * n * n * rho2 / (2.0 * se * se * n * nr)
    p = math.sqrt(nr) / (2.0 * math.expm1(log_term)) if log_term < 700 else 0.0
    return float(min(p, _P_CAP))
