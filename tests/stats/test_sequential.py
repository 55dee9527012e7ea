"""Tests of salesops_lib.stats.sequential: mSPRT against direct numerical integration,
group-sequential
boundaries against published tables (R ldbounds / gsDesign) and exact multivariate normal
probabilities."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, stats

from salesops_lib.errors import ParamsError
from salesops_lib.stats import sequential as sq
from salesops_lib.stats.sequential import (
    group_sequential_bounds,
    group_sequential_interval,
    msprt_binary,
    msprt_pvalues,
    msprt_tau,
    obrien_fleming_bounds,
)


def test_all_sorted() -> None:
    assert sq.__all__ == sorted(sq.__all__)


def _mixture_lr(diff: float, v: float, tau: float) -> float:
    """Λ = ∫ N(diff; θ, V) / N(diff; 0, V) · N(θ; 0, τ²) dθ, by quadrature."""

    def integrand(theta: float) -> float:
        log_ratio = (diff**2 - (diff - theta) ** 2) / (2 * v)
        return math.exp(log_ratio) * stats.norm.pdf(theta, scale=tau)

    lo, hi = -12 * tau, 12 * tau
    return integrate.quad(integrand, lo, hi, points=[0.0, diff], limit=400, epsabs=0, epsrel=1e-12)[
        0
    ]


class TestMSPRT:
    @pytest.mark.parametrize(
        ("xt", "nt", "xc", "nc", "tau"),
        [(130, 1000, 100, 1000, 0.02), (12, 80, 5, 90, 0.05), (3, 6, 1, 6, 0.3)],
    )
    def test_likelihood_ratio_matches_quadrature(
        self, xt: int, nt: int, xc: int, nc: int, tau: float
    ) -> None:
        pt, pc = xt / nt, xc / nc
        v = pt * (1 - pt) / nt + pc * (1 - pc) / nc
        lam = _mixture_lr(pt - pc, v, tau)
        p = msprt_pvalues(xt, nt, xc, nc, tau=tau)
        assert float(p) == pytest.approx(min(1.0, 1 / lam), rel=1e-6)
        res = msprt_binary(xt, nt, xc, nc, tau=tau)
        assert res.p_value == pytest.approx(float(p), rel=1e-12)
        # the confidence-sequence limits are where the mixture LR against θ0 equals 1/alpha
        for theta0 in (res.ci_low, res.ci_high):
            assert _mixture_lr(pt - pc - theta0, v, tau) == pytest.approx(1 / 0.05, rel=1e-6)

    def test_p_value_and_interval_agree_at_each_look(self) -> None:
        rng = np.random.default_rng(0)
        n = np.arange(1, 31) * 100
        xt = np.cumsum(rng.binomial(100, 0.13, 30))
        xc = np.cumsum(rng.binomial(100, 0.10, 30))
        res = msprt_binary(xt, n, xc, n, tau=0.03)
        df = res.to_frame()
        assert len(df) == 30 and res.n_looks == 30
        assert np.all(np.diff(df["p_value"]) <= 0)  # running minimum
        assert np.all(np.diff(df["ci_low"]) >= 0) and np.all(np.diff(df["ci_high"]) <= 0)
        per_look = msprt_pvalues(xt, n, xc, n, tau=0.03, running=False)
        hw = (df["ci_high"] - df["ci_low"]) / 2  # not intersected at the first look
        assert (per_look[0] <= 0.05) == (abs(df["diff"].iloc[0]) > hw.iloc[0])
        assert res.reject and res.first_rejection_look is not None
        assert df["reject"].iloc[res.first_rejection_look - 1]

    def test_degenerate_no_warnings(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            zero = msprt_binary([0, 0], [6, 50], [0, 0], [6, 50], tau=0.05)
            full = msprt_binary(6, 6, 0, 6, tau=0.3)
        assert zero.p_value == 1.0 and zero.ci_low < 0 < zero.ci_high
        assert 0 <= full.p_value <= 1 and np.isfinite(full.ci_low)

    def test_default_tau_and_msprt_tau(self) -> None:
        tau = msprt_tau(0.1, 5_000)
        v = 2 * 0.1 * 0.9 / 5_000
        widths = [sq._half_width(np.array(v), t, 0.05) for t in (0.8 * tau, tau, 1.25 * tau)]
        assert widths[1] < widths[0] and widths[1] < widths[2]
        res = msprt_binary(500, 5_000, 480, 5_000, planned_n_per_arm=5_000)
        assert res.tau == pytest.approx(msprt_tau(0.098, 5_000))

    @pytest.mark.parametrize(
        ("kwargs", "param"),
        [({"x_t": 5, "n_t": 10, "x_c": 5, "n_c": 10, "tau": -1.0}, "tau"),
         ({"x_t": [5, 6], "n_t": [10, 9], "x_c": [5, 5], "n_c": [10, 12], "tau": 0.1}, "n_t"),
         ({"x_t": 11, "n_t": 10, "x_c": 5, "n_c": 10, "tau": 0.1}, "x_t"),
         ({"x_t": 0, "n_t": 10, "x_c": 0, "n_c": 0, "tau": 0.1}, "n_c"),
         ({"x_t": -1, "n_t": 10, "x_c": 0, "n_c": 5, "tau": 0.1}, "x_t")],
    )  # fmt: skip
    def test_bad_arguments(self, kwargs: dict, param: str) -> None:
        with pytest.raises(ParamsError) as err:
            msprt_binary(**kwargs)
        assert err.value.param == param


def _mvn_no_crossing(bounds: np.ndarray, t: np.ndarray) -> float:
    """P(|Z_k| < c_k for all k) for the canonical joint distribution, corr = sqrt(t_i / t_j)."""
    corr = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    mvn = stats.multivariate_normal(
        mean=np.zeros(t.size), cov=corr, abseps=1e-7, releps=0, maxpts=2_000_000
    )
    return float(mvn.cdf(bounds, lower_limit=-bounds, rng=np.random.default_rng(0)))


class TestGroupSequential:
    def test_one_look_is_fixed_sample(self) -> None:
        df = obrien_fleming_bounds(1)
        assert df["z_bound"].iloc[0] == pytest.approx(stats.norm.isf(0.025), abs=1e-9)

    def test_obrien_fleming_published(self) -> None:
        # R ldbounds::bounds(seq(.2, 1, .2), iuse = 1, alpha = 0.05) / gsDesign sfLDOF, 2-sided
        df = obrien_fleming_bounds(5)
        assert df["z_bound"].to_numpy() == pytest.approx(
            [4.8769, 3.3570, 2.6803, 2.2898, 2.0310], abs=2e-4
        )
        assert df["alpha_spent"].iloc[-1] == pytest.approx(0.05)

    def test_pocock_published(self) -> None:
        df = group_sequential_bounds(5, spending="pocock")
        assert df["z_bound"].to_numpy() == pytest.approx(
            [2.4380, 2.4268, 2.4102, 2.3966, 2.3860], abs=2e-4
        )

    def test_two_looks_exact_bivariate_normal(self) -> None:
        t = np.array([0.4, 1.0])
        df = group_sequential_bounds(information_fractions=t)
        c = df["z_bound"].to_numpy()
        assert 1 - _mvn_no_crossing(c, t) == pytest.approx(0.05, abs=1e-6)
        # first look alone spends exactly its increment
        assert 2 * stats.norm.sf(c[0]) == pytest.approx(df["alpha_increment"].iloc[0], rel=1e-9)

    @pytest.mark.parametrize("spending", ["obrien_fleming", "pocock"])
    def test_four_looks_total_alpha(self, spending: str) -> None:
        t = np.array([0.25, 0.5, 0.8, 1.0])
        df = group_sequential_bounds(information_fractions=t, spending=spending)
        c = df["z_bound"].to_numpy()
        assert 1 - _mvn_no_crossing(c, t) == pytest.approx(0.05, abs=1e-5)
        # cumulative spending at look 3 too
        assert 1 - _mvn_no_crossing(c[:3], t[:3]) == pytest.approx(
            df["alpha_spent"].iloc[2], abs=1e-5
        )

    def test_grid_converged(self) -> None:
        a = group_sequential_bounds(4)["z_bound"].to_numpy()
        b = group_sequential_bounds(4, grid=2_401)["z_bound"].to_numpy()
        assert a == pytest.approx(b, abs=1e-6)

    @pytest.mark.parametrize(
        ("kwargs", "param"),
        [
            ({"n_looks": 0}, "n_looks"),
            ({"information_fractions": [0.5, 0.4, 1.0]}, "information_fractions"),
            ({"n_looks": 3, "spending": "haybittle"}, "spending"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict, param: str) -> None:
        with pytest.raises(ParamsError) as err:
            group_sequential_bounds(**kwargs)
        assert err.value.param == param


def _mvn_one_sided_no_crossing(bounds: np.ndarray, t: np.ndarray) -> float:
    """P(Z_k < c_k for all k) for the canonical joint distribution."""
    corr = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    mvn = stats.multivariate_normal(
        mean=np.zeros(t.size), cov=corr, abseps=1e-7, releps=0, maxpts=2_000_000
    )
    return float(mvn.cdf(bounds, rng=np.random.default_rng(0)))


class TestSpendingFamilies:
    """Power family (Kim–DeMets, Spotify's rho = 2) and Hwang–Shih–DeCani against exact
    multivariate normal probabilities; one-sided designs; repeated intervals."""

    T = np.array([0.2, 0.45, 0.7, 1.0])

    @pytest.mark.parametrize(
        ("spending", "kw", "expected_spent"),
        [
            ("power", {"rho": 2.0}, lambda t: 0.05 * t**2),
            ("power", {"rho": 3.0}, lambda t: 0.05 * t**3),
            ("hsd", {"gamma": -4.0}, lambda t: 0.05 * np.expm1(4 * t) / np.expm1(4.0)),
            ("hsd", {"gamma": 1.0}, lambda t: 0.05 * -np.expm1(-t) / -np.expm1(-1.0)),
        ],
    )
    def test_two_sided_exact(self, spending: str, kw: dict, expected_spent) -> None:  # type: ignore[no-untyped-def]
        df = group_sequential_bounds(information_fractions=self.T, spending=spending, **kw)  # type: ignore[arg-type]
        assert df["alpha_spent"].to_numpy() == pytest.approx(expected_spent(self.T), rel=1e-12)
        c = df["z_bound"].to_numpy()
        for k in (2, 4):
            assert 1 - _mvn_no_crossing(c[:k], self.T[:k]) == pytest.approx(
                df["alpha_spent"].iloc[k - 1], abs=1e-5
            )

    @pytest.mark.parametrize("spending", ["obrien_fleming", "power", "hsd"])
    def test_one_sided_exact(self, spending: str) -> None:
        df = group_sequential_bounds(
            information_fractions=self.T,
            alpha=0.025,
            spending=spending,
            alternative="one-sided",  # type: ignore[arg-type]
        )
        c = df["z_bound"].to_numpy()
        assert stats.norm.sf(c[0]) == pytest.approx(df["alpha_increment"].iloc[0], rel=1e-9)
        assert 1 - _mvn_one_sided_no_crossing(c, self.T) == pytest.approx(0.025, abs=1e-5)
        assert df["nominal_p"].to_numpy() == pytest.approx(stats.norm.sf(c))

    def test_linear_spending_two_ways(self) -> None:
        a = group_sequential_bounds(4, spending="power", rho=1.0)
        b = group_sequential_bounds(4, spending="hsd", gamma=0.0)
        assert a["z_bound"].to_numpy() == pytest.approx(b["z_bound"].to_numpy(), abs=1e-10)

    def test_one_sided_at_half_alpha_is_close_to_two_sided(self) -> None:
        # crossing the lower boundary first is negligible for O'Brien-Fleming-type bounds
        two = group_sequential_bounds(4, alpha=0.05)["z_bound"].to_numpy()
        one = group_sequential_bounds(4, alpha=0.025, alternative="one-sided")["z_bound"]
        assert one.to_numpy() == pytest.approx(two, abs=1e-3)

    def test_repeated_interval_matches_the_boundary(self) -> None:
        fr = [0.3, 0.6]
        c = group_sequential_bounds(information_fractions=fr, spending="power")["z_bound"].iloc[-1]
        lo, hi, z = group_sequential_interval(0.5, 0.2, fr)
        assert z == pytest.approx(c)
        assert (lo, hi) == pytest.approx((0.5 - c * 0.2, 0.5 + c * 0.2))
        # the interval excludes 0 exactly when the z statistic crosses the boundary
        assert (lo > 0) == (0.5 / 0.2 >= c)
        lo1, hi1, z1 = group_sequential_interval(0.5, 0.2, fr, alternative="greater")
        assert math.isinf(hi1) and z1 < z and lo1 > lo
        lo2, hi2, _ = group_sequential_interval(0.5, 0.2, fr, alternative="less")
        assert math.isinf(lo2) and hi2 == pytest.approx(0.5 + z1 * 0.2)

    @pytest.mark.parametrize(
        ("kwargs", "param"),
        [
            ({"spending": "power", "rho": 0}, "rho"),
            ({"spending": "hsd", "gamma": math.inf}, "gamma"),
            ({"alternative": "greater"}, "alternative"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict, param: str) -> None:
        with pytest.raises(ParamsError) as err:
            group_sequential_bounds(4, **kwargs)
        assert err.value.param == param
