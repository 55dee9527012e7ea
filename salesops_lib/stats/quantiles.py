r"""Quantile (median, P90) treatment effects with intervals.

For skewed sales values (deal size, days to close) the median or a high quantile often says
more than the mean. Each arm's quantile gets a distribution-free interval from order
statistics; the effect's standard error is backed out of those intervals and the arms are
combined as independent normal estimates (GrowthBook's quantile metrics).

- :func:`quantile_interval` — one arm: :math:`\hat\xi_q` with the order-statistic interval
  :math:`[x_{(l)}, x_{(u)}]`. ``method="exact"``: the binomial limits of Conover (1999,
  §3.2), :math:`l` the largest index with :math:`P(B \le l - 1) \le \alpha/2`, :math:`u` the
  smallest with :math:`P(B \le u - 1) \ge 1 - \alpha/2`, :math:`B \sim Bin(n, q)`;
  ``method="normal"``: :math:`nq \mp z\sqrt{nq(1-q)}` rounded outwards (GrowthBook's SQL).
- :func:`quantile_effect_from_intervals` — two arms from their quantiles and intervals:

  .. math::

      \widehat{Var}(\hat\xi_{q,t} - \hat\xi_{q,c}) = \sum_{arms}
      \frac{n^*}{n}\,\frac{n-1}{n}\Big(\frac{u - l}{2z_{1-\alpha/2}}\Big)^2,
      \qquad \hat\Delta \pm z_{1-\alpha/2}\,SE,

  with :math:`n^*` the effective sample size (``n`` unless units are clustered). Under a flat
  prior this is also GrowthBook's Bayesian posterior :math:`N(\hat\Delta, SE^2)`. Reproduces
  ``gb_quantile_p90_effect``.
- :func:`quantile_effect` — the same from unit-level values.

References
----------
Conover, W. J. (1999). *Practical Nonparametric Statistics*, 3rd ed. Wiley, §3.2.
Hahn, G. J. and Meeker, W. Q. (1991). *Statistical Intervals*. Wiley, §5.2.
GrowthBook gbstats ``QuantileStatistic`` and ``tests/bayesian/test_tests.py`` (quantile
metrics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any, Literal

import numpy as np
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _as_values, _check_alpha, _Result

__all__ = [
    "QuantileEffect",
    "quantile_effect",
    "quantile_effect_from_intervals",
    "quantile_interval",
]


def _check_q(q: float) -> float:
    if not (isinstance(q, Real) and 0 < q < 1):
        raise ParamsError("q", f"got {q!r}", expected="a quantile level in (0, 1), e.g. 0.5")
    return float(q)


def quantile_interval(
    x: Any,
    q: float = 0.5,
    *,
    alpha: float = 0.05,
    method: Literal["exact", "normal"] = "exact",
) -> tuple[float, float, float]:
    r"""A sample quantile with its distribution-free (order-statistic) interval.

    Parameters
    ----------
    x
        Values per unit (at least 2).
    q
        Quantile level (0.5 = median).
    alpha
        1 − confidence level.
    method
        ``"exact"`` (binomial order statistics, coverage ≥ 1 − α; the interval of
        ``scipy.stats.quantile_test(...).confidence_interval``) or ``"normal"`` (normal
        approximation to the binomial indices).

    Returns
    -------
    (estimate, low, high)
        ``estimate`` = ``numpy.quantile(x, q)``; a limit is ±inf when the sample is too small
        to bound the quantile at that level.
    """
    alpha = _check_alpha(alpha)
    q = _check_q(q)
    xs = np.sort(_as_values(x, "x", min_n=2))
    n = xs.size
    est = float(np.quantile(xs, q))
    if method == "exact":
        b = stats.binom(n, q)
        # 1-based order statistics: P(x_(l) <= xi) = P(B >= l) = sf(l - 1)
        ks = np.arange(0, n + 1)
        cdf = b.cdf(ks)
        lows = ks[cdf <= alpha / 2]  # P(B <= l - 1) <= alpha/2  <=> l - 1 in lows
        l_idx = int(lows[-1]) + 1 if lows.size else 0
        highs = ks[cdf >= 1 - alpha / 2]
        u_idx = int(highs[0]) + 1 if highs.size else n + 1
    elif method == "normal":
        z = float(stats.norm.isf(alpha / 2))
        half = z * math.sqrt(n * q * (1 - q))
        l_idx = math.floor(n * q - half)
        u_idx = math.ceil(n * q + half)
    else:
        raise ParamsError("method", f"got {method!r}", expected='"exact" or "normal"')
    low = float(xs[l_idx - 1]) if 1 <= l_idx <= n else -math.inf
    high = float(xs[u_idx - 1]) if 1 <= u_idx <= n else math.inf
    return est, low, high


@dataclass(frozen=True)
class QuantileEffect(_Result):
    """Difference of a quantile between arms (treatment − control) with its interval."""

    q: float
    quantile_t: float
    quantile_c: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    alpha: float


def quantile_effect_from_intervals(
    quantile_t: float,
    low_t: float,
    high_t: float,
    n_t: float,
    quantile_c: float,
    low_c: float,
    high_c: float,
    n_c: float,
    *,
    q: float = 0.5,
    alpha: float = 0.05,
    n_eff_t: float | None = None,
    n_eff_c: float | None = None,
) -> QuantileEffect:
    r"""Quantile treatment effect from each arm's quantile and (1 − alpha) interval.

    Parameters
    ----------
    quantile_t, low_t, high_t, n_t
        Treatment quantile, its interval at level 1 − ``alpha``, and units.
    quantile_c, low_c, high_c, n_c
        The same for control.
    q
        The quantile level (reported only).
    alpha
        Level of the given per-arm intervals and of the returned one.
    n_eff_t, n_eff_c
        Effective sample sizes :math:`n^*` (default ``n``).

    Returns
    -------
    QuantileEffect
        Formula in the module notes.
    """
    alpha = _check_alpha(alpha)
    z = float(stats.norm.isf(alpha / 2))
    var = 0.0
    for arm, (est, lo, hi, n, n_eff) in {
        "t": (quantile_t, low_t, high_t, n_t, n_eff_t),
        "c": (quantile_c, low_c, high_c, n_c, n_eff_c),
    }.items():
        if not all(math.isfinite(v) for v in (est, lo, hi)) or not lo <= est <= hi:
            raise ParamsError(
                f"low_{arm}",
                f"interval [{lo!r}, {hi!r}] around {est!r}",
                expected="finite limits around the quantile",
                fix="collect more units (a small sample cannot bound a high quantile)",
            )
        if not (isinstance(n, Real) and n >= 2):
            raise ParamsError(f"n_{arm}", f"got {n!r}", expected="at least 2 units")
        ne = float(n if n_eff is None else n_eff)
        hw = (hi - lo) / (2.0 * z)
        var += (ne / n) * (n - 1) * hw * hw / n
    se = math.sqrt(var)
    diff = float(quantile_t) - float(quantile_c)
    return QuantileEffect(
        q=float(q),
        quantile_t=float(quantile_t),
        quantile_c=float(quantile_c),
        diff=diff,
        se=se,
        ci_low=diff - z * se,
        ci_high=diff + z * se,
        alpha=alpha,
    )


def quantile_effect(
    x_t: Any,
    x_c: Any,
    q: float = 0.5,
    *,
    alpha: float = 0.05,
    method: Literal["exact", "normal"] = "exact",
) -> QuantileEffect:
    """Quantile (default: median) treatment effect from unit-level values.

    Each arm's quantile and interval come from :func:`quantile_interval` (``method``), then
    :func:`quantile_effect_from_intervals` combines them. Needs enough units per arm for the
    interval to be bounded (e.g. 6 for a 95% median interval).
    """
    q = _check_q(q)
    xt = _as_values(x_t, "x_t", min_n=2)
    xc = _as_values(x_c, "x_c", min_n=2)
    et, lt, ht = quantile_interval(xt, q, alpha=alpha, method=method)
    ec, lc, hc = quantile_interval(xc, q, alpha=alpha, method=method)
    return quantile_effect_from_intervals(
        et, lt, ht, xt.size, ec, lc, hc, xc.size, q=q, alpha=alpha
    )
