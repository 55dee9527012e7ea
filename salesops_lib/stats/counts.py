"""Counts per unit (meetings, calls): Poisson rate ratio (score test and interval) and the
over-dispersion-robust Welch difference in mean counts."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import (
    _as_values,
    _check_alpha,
    _Result,
)
from salesops_lib.stats.means import welch_test

__all__ = [
    "CountsComparison",
    "PoissonRateRatio",
    "compare_counts",
    "poisson_rate_ratio",
]


# --------------------------------------------------------------------------------------------
# Counts per unit
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PoissonRateRatio(_Result):
    """Poisson rate ratio (treatment / control) from event totals and exposures."""

    events_t: float
    exposure_t: float
    events_c: float
    exposure_c: float
    rate_t: float
    rate_c: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    method: str
    alpha: float


def poisson_rate_ratio(
    events_t: float,
    exposure_t: float,
    events_c: float,
    exposure_c: float,
    *,
    alpha: float = 0.05,
) -> PoissonRateRatio:
    r"""Compare two Poisson rates: score test and score interval for the rate ratio.

    Parameters
    ----------
    events_t, exposure_t, events_c, exposure_c
        Total events (e.g. meetings) and exposure (units, or unit-days) per arm.
    alpha
        1 − confidence level.

    Returns
    -------
    PoissonRateRatio
        Rates, ``rate_ratio`` = rate_t / rate_c, score interval
        (``statsmodels.stats.rates.confint_poisson_2indep(method="score")``) and score test
        (``test_poisson_2indep(method="score")``). With zero events in both arms the ratio is
        undefined: ``rate_ratio`` is NaN, the interval (0, inf) and ``p_value`` 1.

    Notes
    -----
    Assumes events are Poisson given exposure. Counts per lead are usually over-dispersed
    (variance > mean); :func:`compare_counts` reports the dispersion and a Welch comparison that
    does not rely on the Poisson assumption.

    References
    ----------
    Gu, K., Ng, H. K. T., Tang, M. L. and Schucany, W. R. (2008). Testing the ratio of two
    Poisson rates. *Biometrical Journal* 50, 283–298.
    """

    alpha = _check_alpha(alpha)
    for name, v in (("events_t", events_t), ("events_c", events_c)):
        if not np.isfinite(v) or v < 0:
            raise ParamsError(name, f"got {v!r}", expected="a count >= 0")
    for name, v in (("exposure_t", exposure_t), ("exposure_c", exposure_c)):
        if not np.isfinite(v) or v <= 0:
            raise ParamsError(
                name, f"got {v!r}", expected="a positive exposure (units or unit-time)"
            )
    rt, rc = events_t / exposure_t, events_c / exposure_c
    if events_t + events_c == 0:
        return PoissonRateRatio(
            float(events_t), float(exposure_t), float(events_c), float(exposure_c),
            0.0, 0.0, float("nan"), 0.0, float("inf"), 0.0, 1.0, "score", alpha,
        )  # fmt: skip
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        test = test_poisson_2indep(events_t, exposure_t, events_c, exposure_c, method="score")
        low, high = confint_poisson_2indep(
            events_t, exposure_t, events_c, exposure_c, method="score", compare="ratio", alpha=alpha
        )
    low = 0.0 if events_t == 0 or not np.isfinite(low) else float(low)
    high = float("inf") if events_c == 0 or not np.isfinite(high) else float(high)
    ratio = rt / rc if rc > 0 else float("inf")
    return PoissonRateRatio(
        events_t=float(events_t),
        exposure_t=float(exposure_t),
        events_c=float(events_c),
        exposure_c=float(exposure_c),
        rate_t=float(rt),
        rate_c=float(rc),
        rate_ratio=float(ratio),
        ci_low=low,
        ci_high=high,
        statistic=float(test.statistic),
        p_value=float(test.pvalue) if np.isfinite(test.pvalue) else 1.0,
        method="score",
        alpha=alpha,
    )


@dataclass(frozen=True)
class CountsComparison(_Result):
    """Counts per unit: Welch difference in means and Poisson rate ratio."""

    n_t: int
    n_c: int
    mean_t: float
    mean_c: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    rate_ratio: float
    rr_ci_low: float
    rr_ci_high: float
    rr_p_value: float
    dispersion_t: float
    dispersion_c: float
    overdispersed: bool
    alpha: float


def compare_counts(counts_t: Any, counts_c: Any, *, alpha: float = 0.05) -> CountsComparison:
    """Compare counts per unit (meetings per lead, calls per account).

    Parameters
    ----------
    counts_t, counts_c
        Non-negative counts per unit in each arm (at least 2 units each).
    alpha
        1 − confidence level.

    Returns
    -------
    CountsComparison
        ``diff``/``ci_low``/``ci_high``/``p_value`` from :func:`welch_test` on the per-unit counts
        (valid whatever the dispersion), and the Poisson ``rate_ratio`` with its score interval
        and p-value (:func:`poisson_rate_ratio`, exposure = number of units).
        ``dispersion_*`` = variance / mean per arm; ``overdispersed`` is True when either exceeds
        1.5, in which case the Poisson interval is too narrow: read the Welch result.

    References
    ----------
    Cameron, A. C. and Trivedi, P. K. (2013). *Regression Analysis of Count Data*, 2nd ed., ch. 3.
    """
    ct = _as_values(counts_t, "counts_t", min_n=2)
    cc = _as_values(counts_c, "counts_c", min_n=2)
    for name, arr in (("counts_t", ct), ("counts_c", cc)):
        if np.any(arr < 0):
            raise ParamsError(name, "holds negative counts", expected="counts >= 0")
    w = welch_test(ct, cc, alpha=alpha)
    rr = poisson_rate_ratio(float(ct.sum()), ct.size, float(cc.sum()), cc.size, alpha=alpha)

    def disp(a: np.ndarray) -> float:
        m = a.mean()
        return float(a.var(ddof=1) / m) if m > 0 else float("nan")

    dt, dc = disp(ct), disp(cc)
    return CountsComparison(
        n_t=ct.size,
        n_c=cc.size,
        mean_t=w.mean_t,
        mean_c=w.mean_c,
        diff=w.diff,
        ci_low=w.ci_low,
        ci_high=w.ci_high,
        p_value=w.p_value,
        rate_ratio=rr.rate_ratio,
        rr_ci_low=rr.ci_low,
        rr_ci_high=rr.ci_high,
        rr_p_value=rr.p_value,
        dispersion_t=dt,
        dispersion_c=dc,
        overdispersed=bool(np.nanmax([dt, dc, 0.0]) > 1.5),
        alpha=w.alpha,
    )
