"""The experiment's per-unit offsets (CUPED covariate, arm intercepts)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit, logit

from salesops_lib.data.demo._effects_benchmark import (
    _OVERLOAD_CONVERSION,
    _OVERLOADED,
    _RAMP_CONVERSION,
    _TERRITORIES,
)
from salesops_lib.data.demo._effects_experiment import (
    _ARM_RATES,
    _EXP_GAMMA,
    _EXP_OVERLOAD_LOGIT,
    _EXP_RAMP_LOGIT,
)
from salesops_lib.data.demo._effects_funnel import _SKIP_MQL, _SOURCE_RATES, _SOURCE_SHARE
from salesops_lib.data.demo._util import _DAY


class _ExperimentMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _make_experiment_offsets(self) -> None:
        r"""Arm intercepts so that each arm's mean SQL-within-30-days rate equals its true rate.

        A unit's true probability is
        :math:`p = \operatorname{expit}(\alpha_{arm} + \gamma z + \beta_{src}
        + \delta_o\,\mathrm{overloaded} + \delta_r\,\mathrm{ramp})` with
        :math:`z \sim N(0, 1)` (the pre-period score, standardised). :math:`\alpha_{arm}` solves
        :math:`E[p] = r_{arm}` where the expectation runs over the units' mix of source, overloaded
        territory and ramping owner in the experiment window (computed from the generator's own
        daily
        lead counts, territory weights and rep calendar; the skip-MQL leads are not units) and over
        :math:`z` by 40-node Gauss-Hermite quadrature. So the heterogeneity does not dilute the
        planted lift: the arms' true mean rates are exactly ``_ARM_RATES``.
        """
        a, b = _SOURCE_RATES[:, 0], _SOURCE_RATES[:, 1]
        # share of the window's leads by (overloaded territory, ramping owner), from the calendar
        counts = np.diff(self.day_cum, prepend=0).astype(float)
        t_mql = self.day_sec + int(1.5 * _DAY)  # median created -> MQL delay
        days = np.flatnonzero((t_mql >= self.exp_start_sec) & (t_mql < self.exp_end_sec))
        over = _TERRITORIES.index(_OVERLOADED)
        p_or = np.zeros((2, 2))
        for d in days:
            per = int(np.searchsorted(self.period_bounds, self.day_sec[d], side="right") - 1)
            pi = np.diff(np.concatenate([[0.0], self.period_terr_cum[per], [1.0]]))
            for t, reps in enumerate(self.period_active[per]):
                if reps.size == 0 or pi[t] <= 0:
                    continue
                ramp = float(np.mean(self._ramp(reps, np.full(reps.size, self.day_sec[d]))))
                p_or[int(t == over)] += counts[d] * pi[t] * np.array([1 - ramp, ramp])
        if p_or.sum() <= 0:
            p_or[:] = 1.0
        p_or /= p_or.sum()
        m_o = np.array([1.0, _OVERLOAD_CONVERSION])
        m_r = np.array([1.0, _RAMP_CONVERSION])
        skip_p = (_SKIP_MQL * b)[:, None, None] * m_o[None, :, None] * m_r[None, None, :]
        w = (_SOURCE_SHARE * a)[:, None, None] * (1 - skip_p) * p_or[None, :, :]  # (src, o, r)
        w = w / w.sum()
        w_src = w.sum(axis=(1, 2))
        eff = logit(b) - np.sum(w_src * logit(b))
        shift = (
            eff[:, None, None]
            + np.array([0.0, _EXP_OVERLOAD_LOGIT])[None, :, None]
            + np.array([0.0, _EXP_RAMP_LOGIT])[None, None, :]
        )
        nodes, wts = np.polynomial.hermite_e.hermegauss(40)
        wts = wts / wts.sum()

        def mean_rate(o: float) -> float:
            p = expit(o + _EXP_GAMMA * nodes[None, None, None, :] + shift[..., None])
            return float(np.sum(w[..., None] * wts * p))

        self.exp_src_eff = eff
        self.exp_offset = np.array(
            [brentq(lambda o, r=r: mean_rate(o) - r, -10, 10, xtol=1e-12) for r in _ARM_RATES]
        )
