"""Data-quality checks of an experiment: sample-ratio mismatch and pre-period covariate balance.

sample_ratio_test
    Sample-ratio mismatch (SRM): chi-square goodness of fit, or an exact binomial / multinomial
    test when expected counts are small.
balance_check
    Pre-period covariate balance: standardised mean differences and Welch tests / Welch ANOVA.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats._common import (
    _as_values,
    _check_count,
    _labelled,
    _Result,
)
from salesops_lib.stats.means import (
    welch_test,
)

_PLANNED_TOL = 1e-6
_MAX_MULTINOMIAL_OUTCOMES = 2_000_000

__all__ = [
    "BalanceResult",
    "SRMResult",
    "balance_check",
    "sample_ratio_test",
]


# ============================================================================================
# 1. Data quality
# ============================================================================================
@dataclass(frozen=True)
class SRMResult(_Result):
    """Sample-ratio mismatch test.

    Attributes
    ----------
    arms, observed, expected, planned
        Per arm, in input order (tuples).
    statistic
        Pearson X² (also reported when the exact test decides the p-value).
    dof
        Number of arms − 1.
    p_value
        From ``method``.
    method
        ``"chi-square"``, ``"exact binomial"``, ``"exact multinomial"`` or
        ``"monte carlo multinomial"``.
    min_expected
        Smallest expected count.
    mismatch
        ``p_value < alpha`` (alpha = 0.001 by default: an SRM check runs on every test, so it uses
        a strict threshold; Fabijan et al. 2019).
    """

    arms: tuple[str, ...]
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    planned: tuple[float, ...]
    statistic: float
    dof: int
    p_value: float
    method: str
    min_expected: float
    mismatch: bool
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """One row per arm: observed, expected, planned and observed share, plus the test."""
        n = sum(self.observed)
        return pd.DataFrame(
            {
                "arm": list(self.arms),
                "observed": list(self.observed),
                "expected": list(self.expected),
                "planned_share": list(self.planned),
                "observed_share": [o / n for o in self.observed],
                "statistic": self.statistic,
                "p_value": self.p_value,
                "method": self.method,
                "mismatch": self.mismatch,
            }
        )


def _multinomial_exact_p(counts: np.ndarray, probs: np.ndarray, seed: int) -> tuple[float, str]:
    """P(outcome at most as likely as the observed one) under Multinomial(n, probs)."""
    n, k = int(counts.sum()), counts.size
    logp = np.log(probs)

    def logpmf(x: np.ndarray) -> np.ndarray:
        return special.gammaln(n + 1) - special.gammaln(x + 1).sum(axis=-1) + x @ logp

    obs = float(logpmf(counts.astype(float)))
    n_outcomes = math.comb(n + k - 1, k - 1)
    if n_outcomes <= _MAX_MULTINOMIAL_OUTCOMES:
        # stars and bars: positions of k-1 bars among n+k-1 slots
        bars = np.fromiter(
            itertools.chain.from_iterable(itertools.combinations(range(n + k - 1), k - 1)),
            dtype=np.int64,
            count=n_outcomes * (k - 1),
        ).reshape(n_outcomes, k - 1)
        edges = np.column_stack([np.full(n_outcomes, -1), bars, np.full(n_outcomes, n + k - 1)])
        table = (np.diff(edges, axis=1) - 1).astype(float)
        lp = logpmf(table)
        keep = lp <= obs + 1e-7 * abs(obs) + 1e-12
        p = float(np.exp(special.logsumexp(lp[keep])))
        return min(p, 1.0), "exact multinomial"
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, probs, size=200_000).astype(float)
    p = float(np.mean(logpmf(sims) <= obs + 1e-7 * abs(obs) + 1e-12))
    return p, "monte carlo multinomial"


def sample_ratio_test(
    counts: Mapping[str, int] | Sequence[int] | np.ndarray,
    planned: Mapping[str, float] | Sequence[float] | np.ndarray,
    *,
    exact_threshold: float = 5.0,
    alpha: float = 0.001,
    seed: int = 0,
) -> SRMResult:
    r"""Sample-ratio mismatch (SRM) test: do the arm sizes match the planned split?

    Parameters
    ----------
    counts
        Units assigned per arm: a mapping arm -> count, or a sequence in the order of ``planned``.
    planned
        Planned share per arm (same arms / order), summing to 1 within 1e-6, each > 0.
    exact_threshold
        When the smallest expected count is below this, an exact test replaces the chi-square
        approximation: the exact binomial test for two arms (``scipy.stats.binomtest``), the
        exact multinomial test otherwise (all outcomes enumerated; above 2 million outcomes a
        seeded Monte Carlo estimate with 200,000 draws). ``0`` forces chi-square, ``inf`` forces
        the exact test.
    alpha
        Threshold for ``mismatch`` (default 0.001).
    seed
        Seed for the Monte Carlo fallback.

    Returns
    -------
    SRMResult
        ``method`` says which test gave ``p_value``.

    Notes
    -----
    Chi-square goodness of fit: :math:`X^2 = \sum_k (O_k - E_k)^2/E_k`, :math:`E_k = n\pi_k`,
    on k − 1 degrees of freedom (``scipy.stats.chisquare``). The exact tests sum the probabilities
    of all outcomes no more likely than the observed one.

    References
    ----------
    Fabijan, A., Gupchup, J., Gupta, S., Omhover, J., Qin, W., Vermeer, L. and Dmitriev, P.
    (2019). Diagnosing sample ratio mismatch in online controlled experiments. *KDD '19*.
    """
    if isinstance(planned, Mapping) or hasattr(planned, "items"):
        plan = _labelled(planned, "planned_split")
        if isinstance(counts, Mapping) or hasattr(counts, "items"):
            cnt = _labelled(counts, "counts")
            if set(cnt) != set(plan):
                raise ParamsError(
                    "counts",
                    f"has arms {sorted(cnt)} but the planned split has {sorted(plan)}",
                    expected="the same arms in both",
                )
            cnt = {k: cnt[k] for k in plan}
        else:
            vals = list(np.asarray(counts).ravel())
            if len(vals) != len(plan):
                raise ParamsError(
                    "counts",
                    f"has {len(vals)} arms for {len(plan)} planned",
                    expected="one per arm",
                )
            cnt = dict(zip(plan, vals, strict=True))
    else:
        pv = list(np.asarray(planned, dtype=float).ravel())
        if isinstance(counts, Mapping) or hasattr(counts, "items"):
            cnt = _labelled(counts, "counts")
        else:
            cv = list(np.asarray(counts).ravel())
            cnt = {f"arm{i}": v for i, v in enumerate(cv)}
        if len(pv) != len(cnt):
            raise ParamsError(
                "planned_split",
                f"has {len(pv)} shares for {len(cnt)} arms",
                expected="one share per arm",
            )
        plan = dict(zip(cnt, pv, strict=True))
    arms = tuple(plan)
    if len(arms) < 2:
        raise ParamsError("counts", f"has {len(arms)} arm", expected="at least two arms")
    obs = np.array([_check_count(cnt[a], f"counts[{a!r}]") for a in arms], dtype=np.int64)
    pi = np.array([float(plan[a]) for a in arms])
    if not np.all(np.isfinite(pi)) or np.any(pi <= 0):
        raise ParamsError(
            "planned_split", f"has shares {pi.tolist()}", expected="a positive share for every arm"
        )
    if abs(pi.sum() - 1.0) > _PLANNED_TOL:
        raise ParamsError(
            "planned_split",
            f"sums to {pi.sum():.6g}",
            expected="shares summing to 1 (e.g. {'control': 0.5, 'treatment': 0.5})",
        )
    if not (isinstance(alpha, int | float) and 0 < alpha < 1):
        raise ParamsError("alpha", f"got {alpha!r}", expected="a number between 0 and 1")
    if not (isinstance(exact_threshold, int | float) and exact_threshold >= 0):
        raise ParamsError("exact_threshold", f"got {exact_threshold!r}", expected="a number >= 0")
    n = int(obs.sum())
    if n == 0:
        raise ParamsError("counts", "are all 0", expected="at least one assigned unit")
    expected = n * pi
    stat = float(((obs - expected) ** 2 / expected).sum())
    dof = len(arms) - 1
    min_exp = float(expected.min())
    if min_exp < exact_threshold:
        if len(arms) == 2:
            p = float(stats.binomtest(int(obs[0]), n, float(pi[0])).pvalue)
            method = "exact binomial"
        else:
            p, method = _multinomial_exact_p(obs, pi, seed)
    else:
        p = float(stats.chi2.sf(stat, dof))
        method = "chi-square"
    p = min(p, 1.0)
    return SRMResult(
        arms=arms,
        observed=tuple(int(v) for v in obs),
        expected=tuple(float(v) for v in expected),
        planned=tuple(float(v) for v in pi),
        statistic=stat,
        dof=dof,
        p_value=p,
        method=method,
        min_expected=min_exp,
        mismatch=bool(p < alpha),
        alpha=float(alpha),
    )


@dataclass(frozen=True)
class BalanceResult(_Result):
    """Pre-period covariate balance across arms.

    Attributes
    ----------
    table
        One row per arm: n, mean, sd, smd (vs control), welch_p (vs control; NaN for control).
    statistic, p_value
        Welch's ANOVA across all arms (equals Welch's t² and p for two arms).
    max_abs_smd
        Largest |SMD| over arms.
    balanced
        ``max_abs_smd < smd_threshold`` (0.1 by default; Austin 2009). See :attr:`failed` for
        the verdict that allows for small arms.
    """

    table: pd.DataFrame
    statistic: float
    p_value: float
    max_abs_smd: float
    balanced: bool
    control: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _bands(self) -> pd.DataFrame:
        t = self.table
        n_c = float(t.loc[t["arm"] == self.control, "n"].iloc[0])
        others = t[t["arm"] != self.control]
        band = _Z975 * np.sqrt(1.0 / others["n"].astype(float) + 1.0 / n_c)
        return pd.DataFrame({"smd": others["smd"].abs().to_numpy(), "band": band.to_numpy()})

    @property
    def chance_smd(self) -> float:
        r"""The largest |SMD| randomisation alone gives 95% of the time at these arm sizes.

        Under random assignment :math:`SMD \approx N(0,\ 1/n_a + 1/n_c)` (Hedges & Olkin
        1985, the large-sample variance at SMD = 0), so the band is
        :math:`1.96\sqrt{1/n_a + 1/n_c}` (the widest over arms): 0.88 with 10 units per arm,
        0.09 with 1,000.
        """
        bands = self._bands()
        return float(bands["band"].max()) if len(bands) else 0.0

    @property
    def beyond_chance(self) -> bool:
        """Whether some arm differs from control by more than its chance band
        (:attr:`chance_smd`): a sign of broken assignment, not only of a small sample."""
        bands = self._bands()
        return bool((bands["smd"] > bands["band"]).any())

    @property
    def failed(self) -> bool:
        """Imbalanced (|SMD| ≥ the threshold) *and* beyond what chance gives at this size.

        With small arms randomisation alone often gives |SMD| ≥ 0.1; that makes the estimate
        less precise (pre-period adjustment helps) but is no sign the assignment was broken.
        """
        return (not self.balanced) and self.beyond_chance


_Z975 = float(special.ndtri(0.975))


def balance_check(
    values_by_arm: Mapping[str, Any],
    *,
    control: str | None = None,
    smd_threshold: float = 0.1,
) -> BalanceResult:
    r"""Check a pre-period covariate for balance between arms.

    Parameters
    ----------
    values_by_arm
        Arm -> covariate values per unit measured *before* assignment (e.g. pipeline value in the
        previous quarter). At least 2 units per arm.
    control
        Reference arm (default: the first).
    smd_threshold
        |SMD| below which an arm counts as balanced (0.1, Austin 2009).

    Returns
    -------
    BalanceResult

    Notes
    -----
    Standardised mean difference :math:`SMD = (\bar x_a - \bar x_c)/\sqrt{(s_a^2 + s_c^2)/2}`
    (0 when both variances and the means are equal; ±inf for different constants). Unlike a
    p-value it does not grow with n, so it is the primary balance measure; the Welch tests
    (pairwise vs control, and Welch's ANOVA across arms, ``scipy.stats.f_oneway(...,
    equal_var=False)``) are reported for completeness.

    References
    ----------
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
    covariates between treatment groups in propensity-score matched samples. *Statistics in
    Medicine* 28, 3083–3107.
    Welch, B. L. (1951). On the comparison of several mean values. *Biometrika* 38, 330–336.
    """
    data = _labelled(values_by_arm, "values_by_arm")
    if len(data) < 2:
        raise ParamsError("values_by_arm", f"has {len(data)} arm", expected="at least two arms")
    arrays = {k: _as_values(v, f"values_by_arm[{k!r}]", min_n=2) for k, v in data.items()}
    control = next(iter(arrays)) if control is None else str(control)
    if control not in arrays:
        raise ParamsError(
            "control", f"{control!r} is not an arm", expected=f"one of {list(arrays)}"
        )
    xc = arrays[control]
    rows = []
    for arm, x in arrays.items():
        sd_pool = math.sqrt((x.var(ddof=1) + xc.var(ddof=1)) / 2.0)
        dm = float(x.mean() - xc.mean())
        if sd_pool > 0:
            smd = dm / sd_pool
        else:
            smd = 0.0 if dm == 0 else math.copysign(math.inf, dm)
        p = float("nan") if arm == control else welch_test(x, xc).p_value
        rows.append(
            {"arm": arm, "n": x.size, "mean": float(x.mean()), "sd": float(x.std(ddof=1)),
             "smd": float(smd), "welch_p": p}
        )  # fmt: skip
    table = pd.DataFrame(rows)
    groups = list(arrays.values())
    if all(np.ptp(g) == 0 for g in groups):
        same = np.ptp([g[0] for g in groups]) == 0
        f_stat, f_p = (0.0, 1.0) if same else (math.inf, 0.0)
    elif len(groups) == 2:
        w = welch_test(groups[0], groups[1])
        f_stat, f_p = w.t**2, w.p_value
    else:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = stats.f_oneway(*groups, equal_var=False)
        f_stat, f_p = float(res.statistic), float(res.pvalue)
        if not np.isfinite(f_p):
            f_p = 0.0 if f_stat == math.inf else 1.0
    max_smd = float(np.max(np.abs(table["smd"].to_numpy())))
    return BalanceResult(
        table=table,
        statistic=float(f_stat),
        p_value=float(f_p),
        max_abs_smd=max_smd,
        balanced=bool(max_smd < smd_threshold),
        control=control,
    )
