r"""Absolute and relative lift of a mean, a proportion or a ratio metric (delta method), with
one-sided tests, CUPED and always-valid (sequential) intervals — the anchors' t-test family.

Every function works on per-arm summaries an engine can compute at any scale (``n``, sums,
sums of squares and cross-products), so the same numbers come out of a notebook and a
warehouse query. Differences are *treatment minus control*; the relative lift is
:math:`(\bar y_t - \bar y_c)/|\bar y_c|`.

Delta method for the relative lift of independent arms (GrowthBook gbstats ``TTest``):

.. math::

    \widehat{Var}\Big(\frac{\bar y_t - \bar y_c}{|\bar y_c|}\Big) =
    \frac{s_t^2}{n_t\bar y_c^2} + \frac{s_c^2\,\bar y_t^2}{n_c\,\bar y_c^4},

and the test and interval use Student's t with Welch–Satterthwaite degrees of freedom from the
*per-unit* variances :math:`s_t^2, s_c^2` (so a relative and an absolute test on the same data
share their df but not their p-value: the relative one carries the control mean's
uncertainty).

Public functions
----------------
ArmSummary, lift_test
    Means, proportions and ratio metrics (``ArmSummary.from_sums``, ``from_counts``,
    ``from_ratio_sums``, ``from_values``); ``method`` ``"welch"`` (default), ``"student"``
    (pooled variance) or ``"z"``; ``alternative`` two-sided / greater / less;
    ``sequential_tuning`` for the asymptotic confidence sequence.
CupedSums, cuped_lift_test
    CUPED with GrowthBook's pooled θ from summed sufficient statistics.
RatioCupedSummary, ratio_cuped_lift_test
    Ratio metric M/D with CUPED on the ratio (4-variate delta method).

References
----------
Deng, A., Knoblich, U. and Lu, J. (2018). Applying the delta method in metric analytics.
*KDD '18*, 233–242.
Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
controlled experiments by utilizing pre-experiment data. *WSDM '13*.
GrowthBook gbstats (``gbstats/frequentist/tests.py``, ``gbstats/models/statistics.py``), the
published vectors ``gb_ttest_*``, ``gb_cuped_*``, ``gb_ratio_cuped_*``, ``gb_e2e_*`` reproduced in
``tests/stats/test_published_vectors.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import _as_values, _check_alpha, _check_count, _Result
from salesops_lib.stats.confseq import asymp_cs_halfwidth, asymp_cs_pvalue

__all__ = [
    "ArmSummary",
    "CupedSums",
    "LiftResult",
    "RatioCupedSummary",
    "cuped_lift_test",
    "lift_test",
    "ratio_cuped_lift_test",
]

Alternative = Literal["two-sided", "greater", "less"]


# --------------------------------------------------------------------------------------------
# summaries
# --------------------------------------------------------------------------------------------
def _finite(value: Any, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParamsError(name, f"got {value!r}", expected="a finite number") from None
    if not math.isfinite(v):
        raise ParamsError(name, f"got {value!r}", expected="a finite number (drop NaN/inf first)")
    return v


def _check_cov(cov: np.ndarray, names: tuple[str, ...], param: str) -> None:
    """Sums must give a positive semi-definite covariance matrix (no negative variance, no
    correlation beyond ±1): anything else is impossible for real data and means wrong sums."""
    scale = max(float(np.max(np.abs(np.diag(cov)))), 1e-300)
    bad = [nm for nm, v in zip(names, np.diag(cov), strict=True) if v < -1e-9 * scale]
    if bad or float(np.linalg.eigvalsh(cov).min()) < -1e-9 * scale:
        what = (
            f"imply a negative variance of {', '.join(bad)}"
            if bad
            else "imply a correlation outside [-1, 1]"
        )
        raise ParamsError(
            param,
            f"and the other sums {what}",
            expected="sums of one set of real units (sum of squares >= sum**2 / n)",
            fix="recompute the sums of squares and of products from the same units",
        )


@dataclass(frozen=True)
class ArmSummary:
    """One arm of a comparison: units, mean and per-unit variance of the metric.

    Build it with a classmethod that states the variance convention.
    """

    n: int
    mean: float
    var: float

    def __post_init__(self) -> None:
        _check_count(self.n, "n", positive=True)
        _finite(self.mean, "mean")
        if not (math.isfinite(self.var) and self.var >= 0):
            raise ParamsError(
                "var",
                f"got {self.var!r}",
                expected="a per-unit variance >= 0",
                fix="check the sums: sum_sq must be at least sum**2 / n",
            )

    @classmethod
    def from_sums(cls, n: int, total: float, total_sq: float) -> ArmSummary:
        r"""Mean and sample variance :math:`(\sum y^2 - (\sum y)^2/n)/(n-1)` from sums."""
        n = _check_count(n, "n", positive=True)
        if n < 2:
            raise ParamsError("n", "is 1", expected="at least 2 units to estimate a variance")
        total, total_sq = _finite(total, "total"), _finite(total_sq, "total_sq")
        return cls(n, total / n, (total_sq - total * total / n) / (n - 1))

    @classmethod
    def from_counts(cls, successes: int, n: int) -> ArmSummary:
        r"""A proportion: mean :math:`\hat p`, per-unit variance :math:`\hat p(1-\hat p)`
        (population form, as GrowthBook's ``ProportionStatistic`` and Spotify's tests)."""
        n = _check_count(n, "n", positive=True)
        x = _check_count(successes, "successes")
        if x > n:
            raise ParamsError("successes", f"is {x} but n is {n}", expected="successes <= n")
        p = x / n
        return cls(n, p, p * (1.0 - p))

    @classmethod
    def from_values(cls, values: Any) -> ArmSummary:
        """Mean and sample variance (ddof = 1) of unit-level values."""
        x = _as_values(values, "values", min_n=2)
        return cls(x.size, float(x.mean()), float(x.var(ddof=1)))

    @classmethod
    def from_ratio_sums(
        cls,
        n: int,
        num_sum: float,
        num_sum_sq: float,
        den_sum: float,
        den_sum_sq: float,
        cross_sum: float,
    ) -> ArmSummary:
        r"""A ratio metric :math:`R = \sum M / \sum D` (e.g. revenue per session) per arm.

        The per-unit variance is the delta-method variance (Deng, Knoblich & Lu 2018),

        .. math::

            s_R^2 = \frac{s_M^2}{\bar D^2} + \frac{s_D^2\bar M^2}{\bar D^4}
                    - \frac{2\,s_{MD}\bar M}{\bar D^3},

        with sample (ddof = 1) variances and covariance from the sums, so that
        :math:`Var(R) \approx s_R^2/n` and :func:`lift_test` applies unchanged. (GrowthBook's
        vectors ``gb_ratio_frequentist`` and ``gb_ratio_bayesian`` pin this formula on
        synthetic sums with :math:`\sum D^2 < (\sum D)^2/n`, which no real units can have:
        the kit refuses them, see Raises; the formula is checked against the linearised ratio
        estimator of :func:`~salesops_lib.stats.rates.ratio_interval_from_sums` instead.)

        Raises
        ------
        ParamsError
            When the sums imply a negative variance or a correlation beyond ±1 (e.g.
            :math:`\sum D^2 < (\sum D)^2/n`): impossible for real units, so the sums are wrong.
        """
        n = _check_count(n, "n", positive=True)
        if n < 2:
            raise ParamsError("n", "is 1", expected="at least 2 units to estimate a variance")
        vals = [
            _finite(v, nm)
            for v, nm in (
                (num_sum, "num_sum"),
                (num_sum_sq, "num_sum_sq"),
                (den_sum, "den_sum"),
                (den_sum_sq, "den_sum_sq"),
                (cross_sum, "cross_sum"),
            )
        ]
        sm, smm, sd, sdd, smd = vals
        if sd == 0:
            raise ParamsError("den_sum", "is 0", expected="a non-zero denominator total")
        mm, md = sm / n, sd / n
        vm = (smm - sm * sm / n) / (n - 1)
        vd = (sdd - sd * sd / n) / (n - 1)
        cmd = (smd - sm * sd / n) / (n - 1)
        _check_cov(np.array([[vm, cmd], [cmd, vd]]), ("num", "den"), "num_sum_sq")
        var = vm / md**2 + vd * mm**2 / md**4 - 2.0 * cmd * mm / md**3
        return cls(n, mm / md, max(var, 0.0))  # >= 0 up to rounding once the sums are valid


# --------------------------------------------------------------------------------------------
# result and the shared test
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LiftResult(_Result):
    """Lift of treatment over control: estimate, standard error, interval, p-value."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    df: float
    relative: bool
    alternative: str
    method: str
    alpha: float
    mean_t: float
    mean_c: float
    sd_t: float
    sd_c: float
    theta: float = math.nan


def _check_alternative(alternative: str) -> str:
    if alternative not in ("two-sided", "greater", "less"):
        raise ParamsError(
            "alternative",
            f"got {alternative!r}",
            expected='"two-sided", "greater" (treatment above control) or "less"',
        )
    return alternative


def _welch_df(vt: float, nt: int, vc: float, nc: int) -> float:
    a, b = vt / nt, vc / nc
    den = a * a / (nt - 1) + b * b / (nc - 1)
    return float((a + b) ** 2 / den) if den > 0 else float(nt + nc - 2)


def _infer(
    estimate: float,
    se: float,
    df: float,
    *,
    n_total: int,
    alpha: float,
    alternative: str,
    sequential_tuning: float | None,
) -> tuple[float, float, float, str]:
    """(ci_low, ci_high, p_value, method) for a t (df finite), z (df inf) or sequential read."""
    if sequential_tuning is not None:
        one = alternative != "two-sided"
        h = asymp_cs_halfwidth(se, n_total, alpha=alpha, tuning=sequential_tuning, one_sided=one)
        p = asymp_cs_pvalue(
            estimate,
            se,
            n_total,
            alpha=alpha,
            tuning=sequential_tuning,
            alternative=alternative,  # type: ignore[arg-type]
        )
        method = f"sequential (asymptotic CS, tuning {sequential_tuning:g})"
    else:
        dist = stats.norm if math.isinf(df) else stats.t(df)
        if se > 0:
            stat = estimate / se
        else:
            stat = 0.0 if estimate == 0 else math.copysign(math.inf, estimate)
        if alternative == "two-sided":
            h = float(dist.isf(alpha / 2)) * se
            p = float(2.0 * dist.sf(abs(stat)))
        else:
            h = float(dist.isf(alpha)) * se
            p = float(dist.sf(stat) if alternative == "greater" else dist.cdf(stat))
        method = "z" if math.isinf(df) else "t"
    if alternative == "two-sided":
        lo, hi = estimate - h, estimate + h
    elif alternative == "greater":
        lo, hi = estimate - h, math.inf
    else:
        lo, hi = -math.inf, estimate + h
    return lo, hi, min(p, 1.0), method


def _lift_result(
    est: float,
    var: float,
    df: float,
    *,
    n_total: int,
    alpha: float,
    alternative: str,
    sequential_tuning: float | None,
    relative: bool,
    label: Callable[[str], str],
    mean_t: float,
    mean_c: float,
    var_t: float,
    var_c: float,
    theta: float = math.nan,
) -> LiftResult:
    """The :class:`LiftResult` of an estimate and its variance (``label`` names the method
    from the read: ``"t"``, ``"z"`` or the sequential one)."""
    se = math.sqrt(max(var, 0.0))
    lo, hi, p, how = _infer(
        est,
        se,
        df,
        n_total=n_total,
        alpha=alpha,
        alternative=alternative,
        sequential_tuning=sequential_tuning,
    )
    return LiftResult(
        estimate=float(est),
        se=se,
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p,
        df=df,
        relative=bool(relative),
        alternative=alternative,
        method=label(how),
        alpha=alpha,
        mean_t=float(mean_t),
        mean_c=float(mean_c),
        sd_t=math.sqrt(var_t),
        sd_c=math.sqrt(var_c),
        theta=float(theta),
    )


def lift_test(
    treatment: ArmSummary,
    control: ArmSummary,
    *,
    relative: bool = True,
    alternative: Alternative = "two-sided",
    method: Literal["welch", "student", "z"] = "welch",
    alpha: float = 0.05,
    sequential_tuning: float | None = None,
    baseline: Literal["random", "fixed"] = "random",
) -> LiftResult:
    r"""Test and interval for the absolute or relative lift of a mean, proportion or ratio.

    Parameters
    ----------
    treatment, control
        :class:`ArmSummary` of each arm.
    relative
        ``True`` (default): :math:`(\bar y_t - \bar y_c)/|\bar y_c|` with the delta-method
        variance of the module notes; ``False``: :math:`\bar y_t - \bar y_c` with
        :math:`SE^2 = s_t^2/n_t + s_c^2/n_c`.
    alternative
        ``"two-sided"``, ``"greater"`` (H1: treatment above control; interval
        ``[low, inf)``) or ``"less"`` (``(-inf, high]``), as in GrowthBook's one-sided tests
        and ``scipy.stats.ttest_ind(alternative=...)``.
    method
        ``"welch"`` (Student t with Welch–Satterthwaite df from the per-unit variances;
        default), ``"student"`` (absolute lift only: pooled variance, :math:`n_t + n_c - 2`
        df; R ``t.test(var.equal=TRUE)``) or ``"z"`` (normal reference, unpooled SE: Spotify's
        ``ZTest``).
    alpha
        1 − confidence level (per side for a one-sided test).
    sequential_tuning
        When given, an always-valid read: the interval is GrowthBook's asymptotic confidence
        sequence with this tuning parameter (5000 is GrowthBook's default) and the p-value
        its always-valid p (:mod:`salesops_lib.stats.confseq`).
    baseline
        Relative lift only. ``"random"`` (default): the control mean is an estimate and its
        uncertainty enters the delta-method variance. ``"fixed"``: the control mean is taken
        as known, so the relative estimate, SE and interval are the absolute ones divided by
        :math:`|\bar y_c|` and the p-value is the absolute test's (Spotify confidence's
        convention; narrower, and it ignores the baseline's noise).

    Returns
    -------
    LiftResult
        ``estimate``, ``se``, ``ci_low/high``, ``p_value``, ``df`` (inf for z), per-arm means
        and per-unit SDs.

    Notes
    -----
    With ``relative=False`` and ``method="welch"`` this is ``scipy.stats.ttest_ind_from_stats(
    equal_var=False)``. Reproduces GrowthBook ``gb_ttest_01``–``06``, ``gb_ttest_binom``,
    ``gb_e2e_frequentist``, ``gb_seq_*``; Spotify
    ``sp_ztest_bonferroni_5``, ``sp_welch_binary_bonferroni_5``; R ``t.test`` via pingouin
    ``pg_ttest_small_raw``.

    References
    ----------
    Welch (1947); Deng, Knoblich & Lu (2018); Waudby-Smith et al. (2023).
    """
    for name, arm in (("treatment", treatment), ("control", control)):
        if not isinstance(arm, ArmSummary):
            raise ParamsError(
                name,
                f"got {type(arm).__name__}",
                expected="an ArmSummary (ArmSummary.from_sums / from_counts / from_values)",
            )
    alpha = _check_alpha(alpha)
    alternative = _check_alternative(alternative)  # type: ignore[assignment]
    if method not in ("welch", "student", "z"):
        raise ParamsError("method", f"got {method!r}", expected='"welch", "student" or "z"')
    t, c = treatment, control
    nt, nc = t.n, c.n
    if method != "z" and (nt < 2 or nc < 2):
        raise ParamsError("n", "is 1 in an arm", expected="at least 2 units per arm for a t-test")
    if baseline not in ("random", "fixed"):
        raise ParamsError("baseline", f"got {baseline!r}", expected='"random" or "fixed"')
    fixed = relative and baseline == "fixed"
    if relative and not fixed:
        if method == "student":
            raise ParamsError(
                "method",
                '"student" pools variances of the absolute difference only',
                expected='"welch" or "z" for a relative lift, or baseline="fixed"',
            )
        if c.mean == 0:
            raise ParamsError(
                "control",
                "has mean 0: the relative lift is undefined",
                expected="a non-zero control mean",
                fix="use relative=False",
            )
        est = (t.mean - c.mean) / abs(c.mean)
        var = t.var / (c.mean**2 * nt) + c.var * t.mean**2 / (c.mean**4 * nc)
    else:
        est = t.mean - c.mean
        if method == "student":
            sp2 = ((nt - 1) * t.var + (nc - 1) * c.var) / (nt + nc - 2)
            var = sp2 * (1.0 / nt + 1.0 / nc)
        else:
            var = t.var / nt + c.var / nc
        if fixed:
            if c.mean == 0:
                raise ParamsError(
                    "control",
                    "has mean 0",
                    expected="a non-zero control mean",
                    fix="relative=False",
                )
            est, var = est / abs(c.mean), var / c.mean**2
    if method == "z" or sequential_tuning is not None:
        df = math.inf
    elif method == "student":
        df = float(nt + nc - 2)
    else:
        df = _welch_df(t.var, nt, c.var, nc)
    return _lift_result(
        est,
        var,
        df,
        n_total=nt + nc,
        alpha=alpha,
        alternative=alternative,
        sequential_tuning=sequential_tuning,
        relative=relative,
        label=lambda how: f"{method} t" if how == "t" else how,
        mean_t=t.mean,
        mean_c=c.mean,
        var_t=t.var,
        var_c=c.var,
    )


# --------------------------------------------------------------------------------------------
# CUPED (GrowthBook form)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CupedSums:
    """Sufficient statistics of one arm for CUPED: the metric ``y`` and its pre-period ``x``.

    ``binary=True`` marks a 0/1 metric and covariate: variances :math:`\\hat p(1-\\hat p)` and
    covariance :math:`\\sum xy/n - \\bar x\\bar y` (population forms, GrowthBook's
    ``ProportionStatistic``); then ``sum_y_sq`` / ``sum_x_sq`` are not used.
    """

    n: int
    sum_y: float
    sum_x: float
    sum_xy: float
    sum_y_sq: float = math.nan
    sum_x_sq: float = math.nan
    binary: bool = False

    def moments(self) -> tuple[float, float, float, float, float]:
        """(mean_y, mean_x, var_y, var_x, cov_xy) per unit, in this arm's convention."""
        n = _check_count(self.n, "n", positive=True)
        return _moments(
            n, self.sum_y, self.sum_x, self.sum_xy, self.sum_y_sq, self.sum_x_sq, self.binary
        )


def _moments(
    n: int, sy: float, sx: float, sxy: float, syy: float, sxx: float, binary: bool
) -> tuple[float, float, float, float, float]:
    my, mx = sy / n, sx / n
    if binary:
        vy, vx, cxy = my * (1 - my), mx * (1 - mx), sxy / n - sx * sy / (n * n)
        _check_cov(np.array([[vy, cxy], [cxy, vx]]), ("y", "x"), "sum_y")
        return my, mx, vy, vx, cxy
    if n < 2 or not (math.isfinite(syy) and math.isfinite(sxx)):
        raise ParamsError(
            "sum_y_sq",
            "is missing (or n < 2) for a non-binary metric",
            expected="sums of squares of y and x and at least 2 units",
            fix="pass sum_y_sq and sum_x_sq, or binary=True for 0/1 data",
        )
    d = n - 1
    vy, vx, cxy = (syy - sy * sy / n) / d, (sxx - sx * sx / n) / d, (sxy - sx * sy / n) / d
    _check_cov(np.array([[vy, cxy], [cxy, vx]]), ("y", "x"), "sum_y_sq")
    return my, mx, vy, vx, cxy


def cuped_lift_test(
    treatment: CupedSums,
    control: CupedSums,
    *,
    relative: bool = True,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    theta: float | None = None,
    sequential_tuning: float | None = None,
) -> LiftResult:
    r"""CUPED (regression adjustment with a pre-period covariate) on the lift, GrowthBook form.

    Parameters
    ----------
    treatment, control
        :class:`CupedSums` of each arm.
    relative, alternative, alpha, sequential_tuning
        As in :func:`lift_test`.
    theta
        Fixed adjustment coefficient; by default the pooled slope of the two arms' summed
        statistics, :math:`\theta = \widehat{Cov}(y, x)/\widehat{Var}(x)` on the combined
        sums (in the arms' own ddof convention).

    Returns
    -------
    LiftResult
        ``sd_t``/``sd_c`` are the adjusted per-unit SDs
        :math:`\sqrt{s_y^2 + \theta^2 s_x^2 - 2\theta s_{xy}}`, ``theta`` the coefficient used.

    Notes
    -----
    Adjusted means :math:`\tilde y = \bar y - \theta\bar x`. Absolute: :math:`\tilde y_t -
    \tilde y_c` with :math:`SE^2 = \sum_{arms} \tilde s^2/n`. Relative:
    :math:`(\tilde y_t - \tilde y_c)/|\bar y_c|` with GrowthBook's delta-method variance

    .. math::

        \frac{s_{y,t}^2 + \theta^2 s_{x,t}^2 - 2\theta s_{xy,t}}{n_t\bar y_c^2} +
        \frac{s_{y,c}^2\bar y_t^2/\bar y_c^2 - 2\theta s_{xy,c}\bar y_t/\bar y_c +
        \theta^2 s_{x,c}^2}{n_c\bar y_c^2},

    (the control gradient evaluated at :math:`\bar x_t = \bar x_c`, which randomisation makes
    true in expectation). Welch df from the adjusted per-unit variances. The kit's OLS form
    (:func:`~salesops_lib.stats.cuped.cuped_compare`) uses the *within*-arm slope instead;
    both are consistent. Reproduces ``gb_cuped_mean``, ``gb_cuped_binomial``,
    ``gb_cuped_3arm_adjusted_sd``.

    References
    ----------
    Deng, Xu, Kohavi & Walker (2013); GrowthBook gbstats ``RegressionAdjustedStatistic``.
    """
    for name, arm in (("treatment", treatment), ("control", control)):
        if not isinstance(arm, CupedSums):
            raise ParamsError(name, f"got {type(arm).__name__}", expected="a CupedSums")
    if treatment.binary != control.binary:
        raise ParamsError("treatment", "and control differ in binary", expected="the same kind")
    alpha = _check_alpha(alpha)
    alternative = _check_alternative(alternative)  # type: ignore[assignment]
    myt, mxt, vyt, vxt, ct = treatment.moments()
    myc, mxc, vyc, vxc, cc = control.moments()
    nt, nc = int(treatment.n), int(control.n)
    if theta is None:
        pooled = _moments(
            nt + nc,
            treatment.sum_y + control.sum_y,
            treatment.sum_x + control.sum_x,
            treatment.sum_xy + control.sum_xy,
            treatment.sum_y_sq + control.sum_y_sq,
            treatment.sum_x_sq + control.sum_x_sq,
            treatment.binary,
        )
        theta = pooled[4] / pooled[3] if pooled[3] > 0 else 0.0
    th = _finite(theta, "theta")
    vat = max(vyt + th * th * vxt - 2 * th * ct, 0.0)
    vac = max(vyc + th * th * vxc - 2 * th * cc, 0.0)
    diff = (myt - th * mxt) - (myc - th * mxc)
    if relative:
        if myc == 0:
            raise ParamsError("control", "has mean 0", expected="a non-zero control mean")
        est = diff / abs(myc)
        r = myt / myc
        var = vat / (nt * myc**2) + (vyc * r * r - 2 * th * cc * r + th * th * vxc) / (nc * myc**2)
    else:
        est = diff
        var = vat / nt + vac / nc
    df = math.inf if sequential_tuning is not None else _welch_df(vat, nt, vac, nc)
    return _lift_result(
        est,
        var,
        df,
        n_total=nt + nc,
        alpha=alpha,
        alternative=alternative,
        sequential_tuning=sequential_tuning,
        relative=relative,
        label=lambda how: f"CUPED {how}",
        mean_t=myt,
        mean_c=myc,
        var_t=vat,
        var_c=vac,
        theta=th,
    )


# --------------------------------------------------------------------------------------------
# ratio metric + CUPED
# --------------------------------------------------------------------------------------------
_RVARS = ("m_post", "d_post", "m_pre", "d_pre")


@dataclass(frozen=True)
class RatioCupedSummary:
    """One arm of a ratio metric M/D with a pre-period ratio: means of (m_post, d_post, m_pre,
    d_pre) and their 4×4 per-unit covariance matrix (ddof = 1)."""

    n: int
    means: tuple[float, float, float, float]
    cov: tuple[tuple[float, ...], ...]

    @classmethod
    def from_values(cls, m_post: Any, d_post: Any, m_pre: Any, d_pre: Any) -> RatioCupedSummary:
        """From unit-level rows (one value per unit for each of the four variables)."""
        cols = [
            _as_values(v, nm, min_n=2)
            for v, nm in zip((m_post, d_post, m_pre, d_pre), _RVARS, strict=True)
        ]
        if len({c.size for c in cols}) != 1:
            raise ParamsError(
                "m_post", "and the other columns differ in length", expected="one row per unit"
            )
        x = np.vstack(cols)
        return cls(
            x.shape[1],
            tuple(float(v) for v in x.mean(axis=1)),  # type: ignore[arg-type]
            tuple(tuple(float(v) for v in row) for row in np.cov(x, ddof=1)),
        )

    @classmethod
    def from_sums(
        cls,
        n: int,
        sums: dict[str, float],
        sums_sq: dict[str, float],
        cross: dict[tuple[str, str], float],
    ) -> RatioCupedSummary:
        """From sums, sums of squares and the six cross-product sums (keys are pairs of
        ``"m_post"``, ``"d_post"``, ``"m_pre"``, ``"d_pre"`` in either order)."""
        n = _check_count(n, "n", positive=True)
        if n < 2:
            raise ParamsError("n", "is 1", expected="at least 2 units")
        s = np.array([_finite(sums[k], f"sums[{k!r}]") for k in _RVARS])
        m = np.empty((4, 4))
        for i, a in enumerate(_RVARS):
            for j, b in enumerate(_RVARS):
                if i == j:
                    sp = _finite(sums_sq[a], f"sums_sq[{a!r}]")
                else:
                    key = (a, b) if (a, b) in cross else (b, a)
                    if key not in cross:
                        raise ParamsError(
                            "cross", f"lacks the pair {(a, b)}", expected="all six pairs"
                        )
                    sp = _finite(cross[key], f"cross[{key!r}]")
                m[i, j] = (sp - s[i] * s[j] / n) / (n - 1)
        _check_cov(m, _RVARS, "sums_sq")
        return cls(
            n,
            tuple(float(v) for v in s / n),  # type: ignore[arg-type]
            tuple(tuple(float(v) for v in row) for row in m),
        )

    def _ratio_parts(self) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray]:
        mp, dp, mq, dq = self.means
        if dp == 0 or dq == 0:
            raise ParamsError("means", "has a zero denominator mean", expected="d_post, d_pre != 0")
        g_post = np.array([1 / dp, -mp / dp**2, 0.0, 0.0])
        g_pre = np.array([0.0, 0.0, 1 / dq, -mq / dq**2])
        return mp / dp, mq / dq, g_post, g_pre, np.asarray(self.cov, dtype=float)


def ratio_cuped_lift_test(
    treatment: RatioCupedSummary,
    control: RatioCupedSummary,
    *,
    relative: bool = True,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    theta: float | None = None,
    sequential_tuning: float | None = None,
) -> LiftResult:
    r"""Lift of a ratio metric :math:`R = \bar M/\bar D` with CUPED on the ratio.

    Parameters
    ----------
    treatment, control
        :class:`RatioCupedSummary` of each arm.
    relative, alternative, alpha, sequential_tuning
        As in :func:`lift_test`.
    theta
        Fixed adjustment coefficient; by default
        :math:`\theta = \sum_{arms}\widehat{Cov}(R_{post}, R_{pre}) / \sum_{arms}
        \widehat{Var}(R_{pre})` with per-unit delta-method (co)variances.

    Returns
    -------
    LiftResult
        ``sd_t``/``sd_c``: per-unit SDs of the adjusted ratio :math:`R_{post} - \theta R_{pre}`.

    Notes
    -----
    Per arm, with gradients :math:`g_{post} = (1/\bar D, -\bar M/\bar D^2, 0, 0)` and
    :math:`g_{pre} = (0, 0, 1/\bar D_0, -\bar M_0/\bar D_0^2)` and the covariance matrix
    :math:`\Sigma` of the four per-unit variables, the adjusted ratio
    :math:`A = R_{post} - \theta R_{pre}` has per-unit variance
    :math:`(g_{post} - \theta g_{pre})^\top\Sigma(g_{post} - \theta g_{pre})`. The relative lift
    :math:`(A_t - A_c)/|R_{post,c}|` uses the exact delta-method gradient: the control's
    :math:`R_{post}` enters with :math:`-(A_t + \theta R_{pre,c})/R_{post,c}^2` and its
    :math:`R_{pre}` with :math:`\theta/R_{post,c}`. Welch df from the adjusted per-unit
    variances. Reproduces ``gb_ratio_cuped_fixed``, ``gb_ratio_cuped_sequential``,
    ``gb_ratio_cuped_unit_level`` (GrowthBook gbstats).

    References
    ----------
    Deng, Knoblich & Lu (2018); GrowthBook gbstats ``RegressionAdjustedRatioStatistic``.
    """
    for name, arm in (("treatment", treatment), ("control", control)):
        if not isinstance(arm, RatioCupedSummary):
            raise ParamsError(name, f"got {type(arm).__name__}", expected="a RatioCupedSummary")
    alpha = _check_alpha(alpha)
    alternative = _check_alternative(alternative)  # type: ignore[assignment]
    rt, qt, gpt, gqt, st = treatment._ratio_parts()
    rc, qc, gpc, gqc, sc = control._ratio_parts()
    nt, nc = int(treatment.n), int(control.n)
    if theta is None:
        cov_pq = gpt @ st @ gqt + gpc @ sc @ gqc
        var_q = gqt @ st @ gqt + gqc @ sc @ gqc
        theta = float(cov_pq / var_q) if var_q > 0 else 0.0
    th = _finite(theta, "theta")
    gat, gac = gpt - th * gqt, gpc - th * gqc
    vat, vac = max(float(gat @ st @ gat), 0.0), max(float(gac @ sc @ gac), 0.0)
    at, ac = rt - th * qt, rc - th * qc
    if relative:
        if rc == 0:
            raise ParamsError("control", "has ratio 0", expected="a non-zero control ratio")
        est = (at - ac) / abs(rc)
        # lift = (A_t - R_c + th*Q_c)/|R_c|: gradient in control's (M, D, M0, D0)
        g_ctrl = (-(at + th * qc) / rc**2) * gpc + (th / rc) * gqc
        var = vat / (nt * rc**2) + float(g_ctrl @ sc @ g_ctrl) / nc
    else:
        est = at - ac
        var = vat / nt + vac / nc
    df = math.inf if sequential_tuning is not None else _welch_df(vat, nt, vac, nc)
    return _lift_result(
        est,
        var,
        df,
        n_total=nt + nc,
        alpha=alpha,
        alternative=alternative,
        sequential_tuning=sequential_tuning,
        relative=relative,
        label=lambda how: f"ratio CUPED {how}",
        mean_t=rt,
        mean_c=rc,
        var_t=vat,
        var_c=vac,
        theta=th,
    )
