"""Reps, managers, accounts, territories and quotas of the demo warehouse."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from salesops_lib.data.demo._effects_benchmark import (
    _OVERLOAD_WEIGHT,
    _OVERLOADED,
    _RAMP_DAYS,
    _TERR_REGION,
    _TERRITORIES,
)
from salesops_lib.data.demo._effects_funnel import (
    _AMOUNT_MEDIAN,
    _AMOUNT_SIGMA,
    _SEGMENT_SHARE,
    _SOURCE_RATES,
    _SOURCE_SHARE,
)
from salesops_lib.data.demo._names import _FIRST, _INDUSTRIES, _LAST, _NAME_A, _NAME_B, _NAME_C
from salesops_lib.data.demo._util import _DAY, _date, _insert, _num, _pick_by_cum


class _PeopleMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _make_reps(self, n_reps: int) -> None:
        rng = self.rng0
        n_hires = 3 if n_reps >= 15 else 1
        n_leavers = 2 if n_reps >= 15 else 1
        n_initial = n_reps - n_hires
        over = _TERRITORIES.index(_OVERLOADED)
        others = [i for i in range(len(_TERRITORIES)) if i != over]
        terr = [over, over] + [others[i % len(others)] for i in range(n_initial - 2)]
        # initial reps hired 2018 .. start - 6 months; ids in order of hire
        lo = pd.Timestamp("2018-01-01").value // 10**9
        hi = (self.start - pd.DateOffset(months=6)).value // 10**9
        hired = np.sort(rng.integers(lo // _DAY, hi // _DAY, size=n_initial)) * _DAY
        terr = np.array(terr)[rng.permutation(n_initial)]
        left = np.full(n_initial, np.iinfo(np.int64).max // 4, dtype=np.int64)
        # leavers: initial reps in territories with >= 3 reps, not in the overloaded one
        counts = np.bincount(terr, minlength=len(_TERRITORIES))
        cand = [i for i in range(n_initial) if terr[i] != over and counts[terr[i]] >= 3]
        leavers: list[int] = []
        for i in rng.permutation(cand):
            if len(leavers) < n_leavers and all(terr[j] != terr[i] for j in leavers):
                leavers.append(int(i))
        span = self.end_sec - self.start_sec
        leave_frac = np.array([0.30, 0.55])[: len(leavers)]
        for j, f in zip(leavers, leave_frac, strict=True):
            left[j] = (self.start_sec + int(f * span)) // _DAY * _DAY
        # hires: replacements ~5 weeks after each leaver, plus growth hires
        h_terr, h_hired = [], []
        for j in leavers:
            h_terr.append(int(terr[j]))
            h_hired.append(int(left[j]) + int(rng.integers(28, 45)) * _DAY)
        growth_terr = [_TERRITORIES.index("NA-East"), _TERRITORIES.index("APAC-South")]
        for g in range(n_hires - len(leavers)):
            h_terr.append(growth_terr[g % 2])
            h_hired.append((self.start_sec + int((0.45 + 0.1 * g) * span)) // _DAY * _DAY)
        self.n_reps = n_reps
        self.rep_terr = np.concatenate([terr, h_terr]).astype(np.int64)
        self.rep_hired = np.concatenate([hired, h_hired]).astype(np.int64)
        self.rep_left = np.concatenate([left, np.full(n_hires, left.max())]).astype(np.int64)
        self.rep_in_span_hire = self.rep_hired >= self.start_sec
        self.rep_region = _TERR_REGION[self.rep_terr]

        # skill: two top and two bottom reps among full-period reps outside the overloaded territory
        skill = np.clip(np.exp(0.08 * rng.standard_normal(n_reps)), 0.85, 1.18)
        full = [i for i in range(n_initial) if i not in leavers and self.rep_terr[i] != over]
        picks = rng.permutation(full)[:4]
        self.top_reps = sorted(int(i) for i in picks[:2])
        self.bottom_reps = sorted(int(i) for i in picks[2:4])
        skill[self.top_reps] = [1.62, 1.55]
        skill[self.bottom_reps] = [0.45, 0.50]
        self.rep_skill = skill
        level = np.exp(0.18 * rng.standard_normal(n_reps))
        level[self.top_reps] *= 1.15
        self.rep_level = level
        self.rep_ids = [f"R{i + 1:03d}" for i in range(n_reps)]
        names = set()
        rep_names = []
        while len(rep_names) < n_reps:
            nm = f"{_FIRST[rng.integers(len(_FIRST))]} {_LAST[rng.integers(len(_LAST))]}"
            if nm not in names:
                names.add(nm)
                rep_names.append(nm)
        self.rep_names = rep_names

        # periods of a constant active set (for owner assignment)
        events = np.concatenate([self.rep_hired, self.rep_left])
        events = events[(events > self.start_sec) & (events < self.end_sec)]
        self.period_bounds = np.unique(np.concatenate([[self.start_sec], events]))
        n_terr = len(_TERRITORIES)
        self.period_terr_cum = []
        self.period_active: list[list[np.ndarray]] = []
        weights = np.where(np.arange(n_terr) == over, _OVERLOAD_WEIGHT, 1.0)
        for b in self.period_bounds:
            act = (self.rep_hired <= b) & (self.rep_left > b)
            lists = [np.flatnonzero(act & (self.rep_terr == t)) for t in range(n_terr)]
            w = weights * np.array([len(x) for x in lists])
            self.period_terr_cum.append(np.cumsum(w / w.sum())[:-1])
            self.period_active.append(lists)

    def _make_accounts(self) -> None:
        rng = self.rng0
        n = int(np.clip(self.n_leads // 8, 400, 250_000))
        n_terr = len(_TERRITORIES)
        over = _TERRITORIES.index(_OVERLOADED)
        # accounts per territory in proportion to the leads the territory receives
        heads = np.array([len(x) for x in self.period_active[0]], dtype=float)
        w = heads * np.where(np.arange(n_terr) == over, _OVERLOAD_WEIGHT, 1.0)
        terr = rng.choice(n_terr, size=n, p=w / w.sum())
        seg = rng.choice(3, size=n, p=_SEGMENT_SHARE)
        emp_med = np.array([45.0, 600.0, 7_000.0])[seg]
        emp = emp_med * np.exp(0.6 * rng.standard_normal(n))
        emp = np.clip(emp, np.array([5, 200, 2_000])[seg], np.array([199, 1_999, 250_000])[seg])
        ind = rng.integers(len(_INDUSTRIES), size=n)
        rev_per_emp = np.array([260, 420, 180, 210, 150, 90, 230, 160, 520, 200], float)[ind]
        revenue = np.round(emp * rev_per_emp * 1_000 * np.exp(0.3 * rng.standard_normal(n)), -3)
        a = rng.integers(len(_NAME_A), size=n)
        b = rng.integers(len(_NAME_B), size=n)
        c = rng.integers(len(_NAME_C), size=n)
        self.acct_terr = terr
        self.acct_seg = seg
        self.acct_names = [
            f"{_NAME_A[i]} {_NAME_B[j]} {_NAME_C[k]}" for i, j, k in zip(a, b, c, strict=True)
        ]
        self.acct_emp = np.round(emp).astype(np.int64)
        self.acct_ind = ind
        self.acct_rev = revenue
        order = np.argsort(terr, kind="stable")
        self.acct_by_terr = order
        self.acct_terr_start = np.searchsorted(terr[order], np.arange(n_terr))
        self.acct_terr_count = np.bincount(terr, minlength=n_terr)

    def _ramp(self, rep: np.ndarray, t: np.ndarray) -> np.ndarray:
        """True where the rep is within the first 90 days after a hire inside the period."""
        return self.rep_in_span_hire[rep] & (t - self.rep_hired[rep] < _RAMP_DAYS * _DAY)

    def _write_quotas(self, con: duckdb.DuckDBPyConnection) -> None:
        # expected bookings per lead from the design, to scale quotas with the data volume
        r = _SOURCE_RATES
        won_per_lead = np.sum(_SOURCE_SHARE * r[:, 0] * r[:, 1] * 0.95 * r[:, 2] * r[:, 3])
        mean_amount = np.sum(
            _SEGMENT_SHARE * _AMOUNT_MEDIAN * np.exp(_AMOUNT_SIGMA**2 / 2) * [0.88, 1.1, 1.28]
        )
        q_starts = pd.date_range(self.start, self.end, freq="QS", inclusive="left")
        if len(q_starts) == 0 or q_starts[0] != self.start:
            q_starts = pd.DatetimeIndex([self.start]).append(q_starts)
        q_sec = np.array([int(q.value // 10**9) for q in q_starts] + [self.end_sec])
        # employed, ramp-weighted share of each quarter per rep
        day = self.day_sec[:, None]
        on = (day >= self.rep_hired[None, :]) & (day < self.rep_left[None, :])
        ramp = self.rep_in_span_hire[None, :] & (day - self.rep_hired[None, :] < _RAMP_DAYS * _DAY)
        wday = on * np.where(ramp, 0.5, 1.0)
        q_of_day = np.searchsorted(q_sec, self.day_sec, side="right") - 1
        n_q = len(q_sec) - 1
        share = np.zeros((n_q, self.n_reps))
        np.add.at(share, q_of_day, wday)
        q_len = np.diff(q_sec) / _DAY
        share = share / q_len[:, None]
        bookings = self.n_leads * won_per_lead * mean_amount
        base = 1.3 * bookings / max(share.sum(), 1e-9)
        base = max(5_000.0, round(base / 5_000) * 5_000)
        qi, ri = np.nonzero(share > 0)
        amount = np.round(base * share[qi, ri] / 1_000) * 1_000
        self.quota_base = base
        _insert(
            con,
            "quotas",
            {
                "rep_id": pa.array([self.rep_ids[i] for i in ri]),
                "period_start": _date(q_sec[qi]),
                "period_end": _date(q_sec[qi + 1] - _DAY),
                "amount": _num(amount.astype(float)),
            },
            {},
        )

    def _territory(self, rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
        per = np.searchsorted(self.period_bounds, t, side="right") - 1
        terr = np.zeros(t.size, dtype=np.int64)
        u = rng.random(t.size)
        for p in np.unique(per):
            m = per == p
            terr[m] = _pick_by_cum(self.period_terr_cum[p][None, :], u[m])
        return terr

    def _owner(self, rng: np.random.Generator, terr: np.ndarray, t: np.ndarray) -> np.ndarray:
        per = np.searchsorted(self.period_bounds, t, side="right") - 1
        owner = np.zeros(t.size, dtype=np.int64)
        u = rng.random(t.size)
        key = per * 100 + terr
        for kk in np.unique(key):
            m = key == kk
            lst = self.period_active[kk // 100][kk % 100]
            owner[m] = lst[(u[m] * len(lst)).astype(np.int64)]
        return owner
