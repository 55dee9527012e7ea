"""Calls, emails and meetings per rep per working day."""

from __future__ import annotations

import duckdb
import numpy as np

from salesops_lib.data.demo._effects_benchmark import _RAMP_DAYS, _REGION_HOUR
from salesops_lib.data.demo._util import _DAY, _cat, _insert, _num, _ts


class _ActivitiesMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _activities(
        self, con: duckdb.DuckDBPyConnection, rng: np.random.Generator, d0: int, d1: int
    ) -> None:
        days = self.day_sec[d0:d1]
        days = days[self.weekday[d0:d1] < 5]
        if days.size == 0:
            return
        on = (days[:, None] >= self.rep_hired[None, :]) & (days[:, None] < self.rep_left[None, :])
        tenure = days[:, None] - self.rep_hired[None, :]
        ramp = np.where(
            self.rep_in_span_hire[None, :] & (tenure < _RAMP_DAYS * _DAY),
            0.4 + 0.6 * np.clip(tenure / (_RAMP_DAYS * _DAY), 0, 1),
            1.0,
        )
        lam = on * ramp * self.rep_level[None, :]
        base = np.array([20.0, 30.0, 2.5])  # calls, emails, meetings per working day
        counts = rng.poisson(lam[:, :, None] * base[None, None, :])
        flat = counts.ravel()
        cell = np.repeat(np.arange(flat.size), flat)
        di, ri, ty = np.unravel_index(cell, counts.shape)
        n = cell.size
        t = (
            days[di]
            + _REGION_HOUR[self.rep_region[ri]] * 3_600
            + rng.integers(0, 10 * 3_600, size=n)
        )
        o = np.lexsort((ri, t))
        t, ri, ty = t[o], ri[o], ty[o]
        t = np.minimum(t, self.as_of_sec)

        # link to a recent lead of the rep (calls/emails 75%), meetings to an open deal (80%)
        lead = np.zeros(n, np.int64)
        acct = np.zeros(n, np.int64)
        opp = np.zeros(n, np.int64)
        key = ri * 10**10 + t
        lb = self.lead_buf
        lo = np.searchsorted(lb["key"], key - 21 * _DAY, side="left")
        hi = np.searchsorted(lb["key"], key, side="right")
        pick = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
        ok = (hi > lo) & ((ty == 2) | (rng.random(n) < 0.75))
        # a lead is worked only after its first contact (the planted response time)
        if lb["touch"].size:
            ok &= lb["touch"][np.minimum(pick, lb["touch"].size - 1)] <= t
        lead[ok] = lb["lead"][pick[ok]]
        acct[ok] = lb["acct"][pick[ok]]
        ob = self.opp_buf
        if ob["key"].size:
            lo = np.searchsorted(ob["key"], key - 150 * _DAY, side="left")
            hi = np.searchsorted(ob["key"], key, side="right")
            pick = np.minimum(lo + (rng.random(n) * (hi - lo)).astype(np.int64), ob["key"].size - 1)
            okm = (ty == 2) & (hi > lo) & (rng.random(n) < 0.8)
            okm &= ob["close"][pick] >= t
            opp[okm] = ob["opp"][pick[okm]]
            # the meeting names the deal's lead only once that lead was first contacted
            named = okm & (ob["touch"][pick] <= t)
            lead[named] = ob["lead"][pick[named]]
            acct[okm] = ob["acct"][pick[okm]]
        # outcome and duration
        u = rng.random(n)
        outcome = np.select(
            [ty == 0, ty == 1],
            [np.where(u < 0.35, 0, np.where(u < 0.75, 1, 2)), np.where(u < 0.85, 3, 4)],
            default=np.where(u < 0.85, 5, 6),
        )
        dur = np.select(
            [outcome == 0, outcome == 1, outcome == 2, ty == 2],
            [
                np.maximum(30, 240 * np.exp(0.6 * rng.standard_normal(n))).astype(np.int64),
                rng.integers(15, 60, size=n),
                np.zeros(n, np.int64),
                np.where(rng.random(n) < 0.6, 1_800, 3_600),
            ],
            default=0,
        )
        ids = self.act_counter + 1 + np.arange(n, dtype=np.int64)
        self.act_counter += n
        _insert(
            con,
            "activities",
            {
                "activity_id": _num(ids),
                "owner_id": _cat(ri, self.rep_ids),
                "type": _cat(ty, ("call", "email", "meeting")),
                "occurred_at": _ts(t),
                "lead_id": _num(lead, mask=lead == 0),
                "opportunity_id": _num(opp, mask=opp == 0),
                "account_id": _num(acct, mask=acct == 0),
                "duration_s": _num(dur.astype(np.int32), mask=ty == 1),
                "outcome": _cat(
                    outcome,
                    ("connected", "voicemail", "no answer", "sent", "replied", "held", "no show"),
                ),
            },
            {
                "activity_id": "T%08d",
                "lead_id": "L%07d",
                "opportunity_id": "O%07d",
                "account_id": "A%05d",
            },
        )
        # prune buffers to what the next days can still link to
        nxt = int(days[-1]) + _DAY
        keep = self.lead_buf["created"] >= nxt - 22 * _DAY
        self.lead_buf = {k: v[keep] for k, v in self.lead_buf.items()}
        keep = (self.opp_buf["close"] >= nxt) & (self.opp_buf["created"] >= nxt - 151 * _DAY)
        self.opp_buf = {k: v[keep] for k, v in self.opp_buf.items()}
