"""A/A simulations: with no true difference, the tests must keep their promised error rates.

4,000 simulated experiments (fixed seed, vectorised). The Monte Carlo standard error of a 5 % rate
is sqrt(.05 · .95 / 4000) = 0.34 percentage points, so the 3.5–6.5 % band is about ±4.4 SE, and
the 93.5–96.5 % coverage band likewise.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from salesops_lib.stats.proportions import newcombe_diff_interval
from salesops_lib.stats.sequential import msprt_pvalues, msprt_tau, obrien_fleming_bounds

N_SIM = 4_000
N_ARM = 1_000
P = 0.10
LOOKS = 20


@pytest.fixture(scope="module")
def aa_looks() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative conversions per arm at 20 equally spaced looks (50, 100, ..., 1000 units/arm)."""
    rng = np.random.default_rng(20_240_601)
    step = N_ARM // LOOKS
    xt = np.cumsum(rng.binomial(step, P, size=(N_SIM, LOOKS)), axis=1)
    xc = np.cumsum(rng.binomial(step, P, size=(N_SIM, LOOKS)), axis=1)
    n = np.arange(1, LOOKS + 1) * step
    return xt, xc, n


def _pooled_z(xt: np.ndarray, xc: np.ndarray, n: np.ndarray) -> np.ndarray:
    pooled = (xt + xc) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n)
    return np.divide(xt / n - xc / n, se, out=np.zeros_like(pooled), where=se > 0)


def test_z_test_false_positive_rate(aa_looks: tuple) -> None:
    xt, xc, n = aa_looks
    z = _pooled_z(xt[:, -1], xc[:, -1], n[-1])
    fpr = np.mean(2 * stats.norm.sf(np.abs(z)) < 0.05)
    assert 0.035 <= fpr <= 0.065, fpr


def test_newcombe_coverage(aa_looks: tuple) -> None:
    xt, xc, _ = aa_looks
    covered = 0
    for a, b in zip(xt[:, -1], xc[:, -1], strict=True):
        _, lo, hi = newcombe_diff_interval(int(a), N_ARM, int(b), N_ARM)
        covered += lo <= 0.0 <= hi
    coverage = covered / N_SIM
    assert 0.935 <= coverage <= 0.965, coverage


def test_peeking_inflates_naive_z_but_not_msprt(aa_looks: tuple) -> None:
    xt, xc, n = aa_looks
    # naive: stop at the first of 20 looks with p < 0.05
    z = _pooled_z(xt, xc, n[None, :])
    naive_fpr = np.mean((np.abs(z) > stats.norm.isf(0.025)).any(axis=1))
    assert naive_fpr > 0.08, naive_fpr  # typically ~0.2 with 20 looks
    # mSPRT with tau planned for the final size: always valid under continuous monitoring
    tau = msprt_tau(P, N_ARM)
    p = msprt_pvalues(xt, n, xc, n, tau=tau)
    msprt_fpr = np.mean(p[:, -1] <= 0.05)
    assert msprt_fpr <= 0.05 + 0.01, msprt_fpr
    assert msprt_fpr < naive_fpr / 3


def test_obrien_fleming_keeps_alpha(aa_looks: tuple) -> None:
    xt, xc, n = aa_looks
    looks = np.array([3, 7, 11, 15, 19])  # 5 equally spaced looks: 200, 400, ..., 1000 per arm
    bounds = obrien_fleming_bounds(5)["z_bound"].to_numpy()
    z = _pooled_z(xt[:, looks], xc[:, looks], n[looks][None, :])
    fpr = np.mean((np.abs(z) >= bounds[None, :]).any(axis=1))
    assert 0.035 <= fpr <= 0.065, fpr
