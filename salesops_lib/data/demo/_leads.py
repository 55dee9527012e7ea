"""Leads, their status history and campaign membership, one chunk at a time."""

from __future__ import annotations

import duckdb
import numpy as np
from scipy.special import expit

from salesops_lib.data.demo._effects_benchmark import (
    _OVERLOAD_CONVERSION,
    _OVERLOADED,
    _RAMP_CONVERSION,
    _RAMP_WIN,
    _REGIONS,
    _TERR_REGION,
    _TERRITORIES,
)
from salesops_lib.data.demo._effects_experiment import (
    _ARM_SQL_DELAY,
    _ARMS,
    _EXP_GAMMA,
    _EXP_ID,
    _EXP_OVERLOAD_LOGIT,
    _EXP_RAMP_LOGIT,
    _EXP_WINDOW_DAYS,
    _MULTI_ASSIGN,
)
from salesops_lib.data.demo._effects_forecast import (
    _STAGE_DWELL_MEDIAN,
    _STAGE_DWELL_SIGMA,
)
from salesops_lib.data.demo._effects_funnel import (
    _CYCLE_FACTOR,
    _LEAD_CURRENT,
    _LEAD_STATUSES,
    _OPP_STAGES,
    _SEGMENTS,
    _SKIP_MQL,
    _SOURCE_RATES,
    _SOURCE_SHARE,
    _SOURCES,
)
from salesops_lib.data.demo._effects_kpis import (
    _CAMPAIGN_MEMBER_RATE,
    _CAMPAIGNS,
    _CONTACT_LOG_SD,
    _CONTACT_MEDIAN_H,
    _CONTACT_SHARE,
)
from salesops_lib.data.demo._util import _DAY, _cat, _delay, _insert, _num, _pick_by_cum, _ts

#: "Never contacted" as a first-contact time (seconds).
_NEVER = np.iinfo(np.int64).max // 2


class _LeadsMixin:
    """Methods of the demo generator (:class:`salesops_lib.data.demo._generator._Generator`)."""

    def _lead_chunk(
        self, con: duckdb.DuckDBPyConnection, rng: np.random.Generator, i0: int, i1: int
    ) -> None:
        n = i1 - i0
        as_of = self.as_of_sec
        lead_num = np.arange(i0 + 1, i1 + 1, dtype=np.int64)
        day = np.searchsorted(self.day_cum, np.arange(i0, i1), side="right")
        created = np.sort(self.day_sec[day] + rng.integers(0, _DAY, size=n))
        src = _pick_by_cum(np.cumsum(_SOURCE_SHARE)[None, :-1], rng.random(n))
        terr = self._territory(rng, created)
        owner = self._owner(rng, terr, created)
        pos = (rng.random(n) * self.acct_terr_count[terr]).astype(np.int64)
        acct = self.acct_by_terr[self.acct_terr_start[terr] + pos]
        seg = self.acct_seg[acct]
        np.add.at(self.month_source, (self.month_idx[day], src), 1)

        rates = _SOURCE_RATES[src]
        over = terr == _TERRITORIES.index(_OVERLOADED)
        ramp_lead = self._ramp(owner, created)

        # created -> MQL stage
        a = rates[:, 0]
        reach_mql = rng.random(n) < a
        self._acc_lead(0, src, a, np.ones(n, bool))
        t_mql = created + _delay(rng, 1.5, 0.9, n)
        # MQL -> SQL (skip MQL record for some sales-ready leads)
        b = (
            rates[:, 1]
            * np.where(over, _OVERLOAD_CONVERSION, 1.0)
            * np.where(ramp_lead, _RAMP_CONVERSION, 1.0)
        )
        k = _SKIP_MQL[src]
        skip = reach_mql & (rng.random(n) < k * b)
        q = b * (1 - k) / (1 - k * b)
        in_exp = reach_mql & (t_mql >= self.exp_start_sec) & (t_mql < self.exp_end_sec)
        arm = rng.integers(0, 3, size=n)
        z = rng.standard_normal(n)
        p_exp = expit(
            self.exp_offset[arm]
            + _EXP_GAMMA * z
            + self.exp_src_eff[src]
            + np.where(over, _EXP_OVERLOAD_LOGIT, 0.0)
            + np.where(ramp_lead, _EXP_RAMP_LOGIT, 0.0)
        )
        q = np.where(in_exp, p_exp, q)
        sql_draw = rng.random(n) < q
        reach_sql = skip | (reach_mql & sql_draw)
        p_sql = k * b + (1 - k * b) * q
        self._acc_lead(1, src, p_sql, reach_mql)
        outside = reach_mql & ~in_exp
        np.add.at(self.acc_mql_sql_p, src[outside], p_sql[outside])
        np.add.at(self.acc_mql_sql_n, src[outside], 1)
        unit = in_exp & ~skip
        np.add.at(self.acc_arm_p, arm[unit], p_exp[unit])
        np.add.at(self.acc_arm_n, arm[unit], 1)

        d_sql = _delay(rng, 9.0, 0.6, n)
        d_exp = _delay(rng, _ARM_SQL_DELAY[arm], 0.7, n)
        too_late = d_exp >= (_EXP_WINDOW_DAYS - 1) * _DAY
        d_exp = np.where(too_late, rng.integers(_DAY, 20 * _DAY, size=n), d_exp)
        d_skip = _delay(rng, 4.0, 0.7, n)
        t_sql = np.where(skip, created + d_skip, t_mql + np.where(unit, d_exp, d_sql))
        self._keep_delay("created_to_MQL", (t_mql - created)[reach_mql & ~skip])
        self._keep_delay("MQL_to_SQL", (t_sql - t_mql)[reach_sql & ~skip])

        # SQL -> opportunity
        c = rates[:, 2]
        reach_opp = reach_sql & (rng.random(n) < c)
        self._acc_lead(2, src, c, reach_sql)
        t_conv = t_sql + _delay(rng, 6.0, 0.6, n)
        self._keep_delay("SQL_to_opportunity", (t_conv - t_sql)[reach_opp])

        # opportunities (latent: includes those created after as_of, for the truth)
        oi = np.flatnonzero(reach_opp)
        m_opp = oi.size
        o_created = t_conv[oi]
        o_owner = owner[oi]
        gone = self.rep_left[o_owner] <= o_created
        if gone.any():
            o_owner[gone] = self._owner(rng, terr[oi][gone], o_created[gone])
        p_w = np.clip(
            rates[oi, 3]
            * self.rep_skill[o_owner]
            * np.where(self._ramp(o_owner, o_created), _RAMP_WIN, 1.0),
            0.01,
            0.92,
        )
        won = rng.random(m_opp) < p_w
        self._acc_lead(3, src[oi], p_w, np.ones(m_opp, bool))
        np.add.at(self.acc_rep_p, o_owner, p_w)
        np.add.at(self.acc_rep_n, o_owner, 1)
        lost_stage = _pick_by_cum(self.loss_cum[None, :], rng.random(m_opp))
        top = np.where(won, 3, lost_stage)  # highest stage entered
        reach_p = p_w[:, None] + (1 - p_w[:, None]) * self.loss_L[None, :]  # (m, 5)
        for s in range(4):
            at_risk = top >= s
            self.acc_opp_p[s] += np.sum((reach_p[:, s + 1] / reach_p[:, s])[at_risk])
            self.acc_opp_n[s] += at_risk.sum()

        o_seg = seg[oi]
        cyc = _CYCLE_FACTOR[o_seg]
        dwell = np.maximum(
            _DAY + 3_600,
            (_STAGE_DWELL_MEDIAN[None, :] * cyc[:, None] * _DAY
             * np.exp(_STAGE_DWELL_SIGMA * rng.standard_normal((m_opp, 4)))).astype(np.int64),
        )  # fmt: skip
        enter = o_created[:, None] + np.concatenate(
            [np.zeros((m_opp, 1), np.int64), np.cumsum(dwell[:, :3], axis=1)], axis=1
        )
        last_dwell = dwell[np.arange(m_opp), top]
        close = enter[np.arange(m_opp), top] + np.where(
            won, last_dwell, (last_dwell * 1.3).astype(np.int64)
        )
        lead_created_o = created[oi]
        self._keep_delay("opportunity_to_won", (close - o_created)[won])
        self._keep_delay("opportunity_to_lost", (close - o_created)[~won])
        self._keep_delay("created_to_won", (close - lead_created_o)[won])
        for s, name in enumerate(_OPP_STAGES):
            self._keep_delay(f"in_{name}", dwell[top > s, s] if s < 3 else dwell[won, 3])

        # materialised opportunities: created by as_of, numbered in order of creation
        vis = o_created <= as_of
        order = np.argsort(o_created, kind="stable")
        order = order[vis[order]]
        n_vis = order.size
        opp_num_sorted = self.opp_counter + 1 + np.arange(n_vis, dtype=np.int64)
        self.opp_counter += n_vis
        opp_num = np.zeros(m_opp, np.int64)
        opp_num[order] = opp_num_sorted
        lead_opp = np.zeros(n, np.int64)
        lead_opp[oi] = opp_num
        converted = reach_opp & (t_conv <= as_of)

        # campaigns (first matching marketing campaign per lead)
        lead_camp = np.zeros(n, np.int64)
        camp_u = rng.random(n)
        for cid, _name, _typ, csrc, cs, ce, _cost in self.campaigns:
            m = (
                (lead_camp == 0)
                & (src == csrc)
                & (created >= cs)
                & (created <= ce)
                & (camp_u < _CAMPAIGN_MEMBER_RATE)
            )
            lead_camp[m] = cid

        # ---- lead history ----
        ev_lead, ev_status, ev_time = [], [], []

        def add(mask: np.ndarray, status: int, t: np.ndarray) -> None:
            idx = np.flatnonzero(mask)
            ev_lead.append(idx)
            ev_status.append(np.full(idx.size, status, np.int8))
            ev_time.append(t[idx])

        add(reach_mql & ~skip, 0, t_mql)
        add(reach_sql, 1, t_sql)
        u = rng.random(n)
        no_mql = ~reach_mql
        t_a = created + _delay(rng, 12.0, 0.8, n)
        add(no_mql & (u < 0.35), 2, t_a)
        add(no_mql & (u >= 0.35) & (u < 0.65), 3, t_a)
        mql_only = reach_mql & ~reach_sql
        t_b = t_mql + _delay(rng, 15.0, 0.7, n)
        add(mql_only & (u < 0.45), 2, t_b)
        add(mql_only & (u >= 0.45) & (u < 0.80), 3, t_b)
        sql_only = reach_sql & ~reach_opp
        t_c = t_sql + _delay(rng, 14.0, 0.7, n)
        add(sql_only & (u < 0.55), 2, t_c)
        back = sql_only & (u >= 0.55) & (u < 0.63)
        add(back, 0, t_c)  # recycled: SQL -> MQL
        t_d = t_c + _delay(rng, 30.0, 0.6, n)
        add(back & (u < 0.59), 3, t_d)
        h_lead = np.concatenate(ev_lead)
        h_status = np.concatenate(ev_status)
        h_time = np.concatenate(ev_time)
        keep = h_time <= as_of
        h_lead, h_status, h_time = h_lead[keep], h_status[keep], h_time[keep]
        o = np.lexsort((h_time, h_lead))
        h_lead, h_status, h_time = h_lead[o], h_status[o], h_time[o]
        cur = np.zeros(n, np.int8)  # New
        if h_lead.size:
            last = np.r_[h_lead[1:] != h_lead[:-1], True]
            cur[h_lead[last]] = h_status[last] + 1
        cur[converted] = 5

        _insert(
            con,
            "leads",
            {
                "lead_id": _num(lead_num),
                "created_at": _ts(created),
                "owner_id": _cat(owner, self.rep_ids),
                "source": _cat(src, _SOURCES),
                "segment": _cat(seg, _SEGMENTS),
                "region": _cat(_TERR_REGION[terr], _REGIONS),
                "territory": _cat(terr, _TERRITORIES),
                "status": _cat(cur, _LEAD_CURRENT),
                "converted_at": _ts(t_conv, mask=~converted),
                "opportunity_id": _num(lead_opp, mask=~converted),
                "account_id": _num(acct + 1),
            },
            {"lead_id": "L%07d", "opportunity_id": "O%07d", "account_id": "A%05d"},
        )
        _insert(
            con,
            "lead_history",
            {
                "lead_id": _num(lead_num[h_lead]),
                "status": _cat(h_status, _LEAD_STATUSES),
                "changed_at": _ts(h_time),
            },
            {"lead_id": "L%07d"},
        )

        # ---- campaign members ----
        mm = lead_camp > 0
        exp_rows = np.flatnonzero(unit & (t_mql <= as_of))
        n_multi = rng.random(exp_rows.size) < _MULTI_ASSIGN
        multi = exp_rows[n_multi]
        self.n_multi += int(multi.size)
        second_arm = (arm[multi] + rng.integers(1, 3, size=multi.size)) % 3
        pre = np.round(np.maximum(0.0, 20.0 + 6.0 * z), 1)
        resp = reach_sql & (t_sql <= as_of)
        cm_lead = np.concatenate([np.flatnonzero(mm), exp_rows, multi])
        cm_camp = np.concatenate([lead_camp[mm], np.full(exp_rows.size + multi.size, -1)])
        n_mk = int(mm.sum())
        cm_var = np.concatenate([np.zeros(n_mk, np.int64), arm[exp_rows] + 1, second_arm + 1])
        cm_time = np.concatenate(
            [created[mm], t_mql[exp_rows], t_mql[multi] + rng.integers(60, 3_600, size=multi.size)]
        )
        cm_pre = np.concatenate([np.zeros(n_mk), pre[exp_rows], pre[multi]])
        cm_resp_t = np.concatenate([created[mm], t_sql[exp_rows], t_sql[multi]])
        cm_resp_ok = np.concatenate([np.ones(n_mk, bool), resp[exp_rows], resp[multi]]) & (
            cm_resp_t >= cm_time
        )
        camp_labels = [f"C{i:03d}" for i in range(1, len(_CAMPAIGNS) + 1)] + [_EXP_ID]
        _insert(
            con,
            "campaign_members",
            {
                "campaign_id": _cat(
                    np.where(cm_camp < 0, len(_CAMPAIGNS), cm_camp - 1), camp_labels
                ),
                "lead_id": _num(lead_num[cm_lead]),
                "variant": _cat(cm_var, ("member", *_ARMS)),
                "assigned_at": _ts(cm_time),
                "pre_period_value": _num(cm_pre, mask=np.arange(cm_pre.size) < n_mk),
                "responded_at": _ts(cm_resp_t, mask=~cm_resp_ok),
            },
            {"lead_id": "L%07d"},
        )

        # ---- opportunities ----
        if n_vis:
            self._write_opps(
                con, rng, order, opp_num, lead_num[oi], o_created, o_owner, o_seg, src[oi],
                terr[oi], acct[oi], lead_camp[oi], won, top, enter, close, cyc,
            )  # fmt: skip

        # ---- first contact (its own random stream: the other tables do not change) ----
        touch = self._first_contacts(con, lead_num, created, owner, acct)

        # ---- buffers for linking activities ----
        self.lead_buf = self._push(
            self.lead_buf,
            {
                "key": owner * 10**10 + created,
                "lead": lead_num,
                "created": created,
                "acct": acct + 1,
                "touch": touch,
            },
        )
        if n_vis:
            ov = order
            self.opp_buf = self._push(
                self.opp_buf,
                {
                    "key": o_owner[ov] * 10**10 + o_created[ov],
                    "opp": opp_num[ov],
                    "created": o_created[ov],
                    "close": close[ov],
                    "acct": acct[oi][ov] + 1,
                    "lead": lead_num[oi][ov],
                    "touch": touch[oi][ov],
                },
            )

    def _first_contacts(
        self,
        con: duckdb.DuckDBPyConnection,
        lead_num: np.ndarray,
        created: np.ndarray,
        owner: np.ndarray,
        acct: np.ndarray,
    ) -> np.ndarray:
        """Plant each lead's first contact (a call by its owner) and return its time in seconds
        (``_NEVER`` when the lead is never contacted); no activity links to it before."""
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 11, int(lead_num[0])]))
        n = lead_num.size
        contacted = rng.random(n) < _CONTACT_SHARE
        delay = _CONTACT_MEDIAN_H * 3_600 * np.exp(_CONTACT_LOG_SD * rng.standard_normal(n))
        touch = created + np.ceil(delay).astype(np.int64)
        # reps do not work at weekends: a contact due then happens on Monday, same time of day
        weekday = (touch // _DAY + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        touch += np.select([weekday == 5, weekday == 6], [2 * _DAY, _DAY], 0)
        # the owner must still be there; contacts after the data's end are not in the data
        contacted &= touch < self.rep_left[owner]
        touch = np.where(contacted, touch, _NEVER)
        # the truth file's response time: every lead's true delay (never = inf), uncensored
        hours = np.where(contacted, (touch - created) / 3_600.0, np.inf)
        self.delays.setdefault("_first_contact_hours", []).append(hours[:50_000])
        write = contacted & (touch <= self.as_of_sec)
        if write.any():
            k = int(write.sum())
            ids = self.first_contact_counter + 1 + np.arange(k, dtype=np.int64)
            self.first_contact_counter += k
            _insert(
                con,
                "activities",
                {
                    "activity_id": _num(ids),
                    "owner_id": _cat(owner[write], self.rep_ids),
                    "type": _cat(np.zeros(k, np.int64), ("call", "email", "meeting")),
                    "occurred_at": _ts(touch[write]),
                    "lead_id": _num(lead_num[write]),
                    "opportunity_id": _num(np.zeros(k, np.int64), mask=np.ones(k, bool)),
                    "account_id": _num(acct[write] + 1),
                    "duration_s": _num(np.full(k, 180, np.int32), mask=np.zeros(k, bool)),
                    "outcome": _cat(
                        np.zeros(k, np.int64),
                        (
                            "connected",
                            "voicemail",
                            "no answer",
                            "sent",
                            "replied",
                            "held",
                            "no show",
                        ),
                    ),
                },
                {"activity_id": "F%08d", "lead_id": "L%07d", "account_id": "A%05d"},
            )
        return touch

    @staticmethod
    def _push(buf: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = {k: np.concatenate([buf[k], new[k]]) for k in buf}
        o = np.argsort(out["key"], kind="stable")
        return {k: v[o] for k, v in out.items()}

    def _acc_lead(self, step: int, src: np.ndarray, p: np.ndarray, at_risk: np.ndarray) -> None:
        np.add.at(self.acc_lead_p[:, step], src[at_risk], p[at_risk])
        np.add.at(self.acc_lead_n[:, step], src[at_risk], 1)

    def _keep_delay(self, name: str, sec: np.ndarray, cap: int = 50_000) -> None:
        self.delays.setdefault(name, []).append(np.asarray(sec[:cap], dtype=np.float64))
