"""The demo generator: the static world, the chunked run over leads and the truth accumulators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from tqdm.auto import tqdm

from salesops_lib.data.demo._activities import _ActivitiesMixin
from salesops_lib.data.demo._effects_benchmark import (
    _MANAGERS,
    _OVERLOAD_CONVERSION,
    _OVERLOAD_WEIGHT,
    _OVERLOADED,
    _RAMP_CONVERSION,
    _RAMP_DAYS,
    _RAMP_WIN,
    _REGIONS,
    _TERR_REGION,
    _TERR_TEAM,
    _TERRITORIES,
)
from salesops_lib.data.demo._effects_experiment import (
    _ARM_RATES,
    _ARM_SPLIT,
    _ARMS,
    _EXP_END_MONTH_AFTER_MID,
    _EXP_GAMMA,
    _EXP_ID,
    _EXP_MONTHS,
    _EXP_WINDOW_DAYS,
)
from salesops_lib.data.demo._effects_forecast import (
    _MONTH_MULT,
    _TREND_PER_YEAR,
)
from salesops_lib.data.demo._effects_funnel import (
    _LEAD_STEPS,
    _OPP_STAGES,
    _OPP_STEP_DESIGN,
    _OPP_STEPS,
    _SOURCES,
    _WEEKDAY_MULT,
)
from salesops_lib.data.demo._effects_kpis import (
    _COMP_PER_REP_MONTH,
    _CONTACT_LOG_SD,
    _CONTACT_MEDIAN_H,
    _CONTACT_SHARE,
    _CPL,
    _MARKETING_NOISE,
    _SDR_COST_PER_LEAD,
    _TOOLS_PER_REP_MONTH,
)
from salesops_lib.data.demo._experiment import _ExperimentMixin
from salesops_lib.data.demo._leads import _LeadsMixin
from salesops_lib.data.demo._marketing import _MarketingMixin
from salesops_lib.data.demo._names import _INDUSTRIES
from salesops_lib.data.demo._opportunities import _OpportunitiesMixin
from salesops_lib.data.demo._people import _PeopleMixin
from salesops_lib.data.demo._util import _DAY, _cat, _date, _insert, _median, _num


class _Generator(
    _PeopleMixin,
    _MarketingMixin,
    _ExperimentMixin,
    _LeadsMixin,
    _OpportunitiesMixin,
    _ActivitiesMixin,
):
    """Holds the static world (reps, accounts, calendar) and the truth accumulators."""

    def __init__(
        self, *, seed: int, n_leads: int, start: str, months: int, n_reps: int, chunk_size: int
    ) -> None:
        self.seed = int(seed)
        self.n_leads = int(n_leads)
        self.start = pd.Timestamp(start).normalize()
        self.months = int(months)
        self.chunk_size = int(chunk_size)
        self.end = self.start + pd.DateOffset(months=self.months)
        self.start_sec = int(self.start.value // 10**9)
        self.end_sec = int(self.end.value // 10**9)
        self.as_of_sec = self.end_sec - 1
        self.rng0 = np.random.default_rng(np.random.SeedSequence([self.seed, 0]))

        # calendar
        self.n_days = (self.end - self.start).days
        self.day_sec = self.start_sec + _DAY * np.arange(self.n_days, dtype=np.int64)
        days = pd.DatetimeIndex(self.day_sec.view("datetime64[s]"))
        self.weekday = np.asarray(days.day_of_week)
        self.month_idx = np.asarray(
            (days.year - self.start.year) * 12 + days.month - self.start.month
        )
        month_mult = np.array([_MONTH_MULT[m] for m in days.month])
        trend = 1.0 + _TREND_PER_YEAR * np.arange(self.n_days) / 365.25
        w = month_mult * _WEEKDAY_MULT[self.weekday] * trend
        counts = self.rng0.multinomial(self.n_leads, w / w.sum())
        self.day_cum = np.cumsum(counts)

        exp_end = self.start + pd.DateOffset(months=self.months // 2 + _EXP_END_MONTH_AFTER_MID)
        exp_start = max(self.start, exp_end - pd.DateOffset(months=_EXP_MONTHS))
        self.exp_start_sec = int(exp_start.value // 10**9)
        self.exp_end_sec = int(exp_end.value // 10**9)

        self._make_reps(n_reps)
        self._make_accounts()
        self._make_campaigns()
        self._make_experiment_offsets()

        # opportunity-stage loss distribution from the designed step rates
        reach = np.cumprod(_OPP_STEP_DESIGN)
        self.p_bar = float(reach[-1])
        self.loss_L = np.concatenate([[1.0], (reach[:3] - self.p_bar) / (1 - self.p_bar), [0.0]])
        loss_p = self.loss_L[:4] - self.loss_L[1:5]
        self.loss_cum = np.cumsum(loss_p / loss_p.sum())[:-1]

        # accumulators
        n_src = len(_SOURCES)
        self.acc_lead_p = np.zeros((n_src, 4))
        self.acc_lead_n = np.zeros((n_src, 4))
        self.acc_mql_sql_p = np.zeros(n_src)
        self.acc_mql_sql_n = np.zeros(n_src)
        self.acc_opp_p = np.zeros(4)
        self.acc_opp_n = np.zeros(4)
        self.acc_rep_p = np.zeros(self.n_reps)
        self.acc_rep_n = np.zeros(self.n_reps)
        self.acc_arm_p = np.zeros(3)
        self.acc_arm_n = np.zeros(3)
        self.n_multi = 0
        self.delays: dict[str, list[np.ndarray]] = {}
        self.month_source = np.zeros((self.months, n_src))
        self.lead_counter = 0
        self.opp_counter = 0
        self.act_counter = 0
        self.first_contact_counter = 0
        self.lead_buf = self._empty_buf(("key", "lead", "created", "acct", "touch"))
        self.opp_buf = self._empty_buf(("key", "opp", "created", "close", "acct", "lead", "touch"))

    @staticmethod
    def _empty_buf(names: Iterable[str]) -> dict[str, np.ndarray]:
        return {n: np.zeros(0, dtype=np.int64) for n in names}

    def run(self, con: duckdb.DuckDBPyConnection, *, progress: bool = False) -> None:
        self._write_static(con)
        # chunks are runs of whole days holding about chunk_size leads, so lead ids follow
        # creation time globally and each chunk's activities cover exactly its own days
        first = self.day_cum - np.diff(self.day_cum, prepend=0)  # first lead index of each day
        chunk_of_day = first // self.chunk_size
        bounds = [*np.flatnonzero(np.diff(chunk_of_day, prepend=-1)).tolist(), self.n_days]
        n_chunks = len(bounds) - 1
        it: Iterable[int] = range(n_chunks)
        if progress:
            it = tqdm(it, total=n_chunks, desc="demo warehouse", unit="chunk")
        for k in it:
            d0, d1 = bounds[k], bounds[k + 1]
            i0, i1 = int(first[d0]), int(self.day_cum[d1 - 1])
            if i1 > i0:
                rng = np.random.default_rng(np.random.SeedSequence([self.seed, 1, k]))
                self._lead_chunk(con, rng, i0, i1)
            arng = np.random.default_rng(np.random.SeedSequence([self.seed, 2, k]))
            self._activities(con, arng, d0, d1)
        self._write_spend(con)

    def _write_static(self, con: duckdb.DuckDBPyConnection) -> None:
        left_mask = self.rep_left >= self.end_sec
        _insert(
            con,
            "reps",
            {
                "rep_id": pa.array(self.rep_ids),
                "name": pa.array(self.rep_names),
                "team": pa.array([_TERR_TEAM[t] for t in self.rep_terr]),
                "manager": pa.array([_MANAGERS[_TERR_TEAM[t]] for t in self.rep_terr]),
                "region": _cat(self.rep_region, _REGIONS),
                "territory": _cat(self.rep_terr, _TERRITORIES),
                "role": pa.array(
                    [
                        "Senior Account Executive"
                        if self.start_sec - h > 4 * 365 * _DAY
                        else "Account Executive"
                        for h in self.rep_hired
                    ]
                ),
                "hired_at": _date(self.rep_hired),
                "left_at": _date(np.where(left_mask, 0, self.rep_left), mask=left_mask),
            },
            {},
        )
        _insert(
            con,
            "accounts",
            {
                "account_id": _num(np.arange(1, len(self.acct_terr) + 1)),
                "name": pa.array(self.acct_names),
                "industry": _cat(self.acct_ind, _INDUSTRIES),
                "employees": _num(self.acct_emp),
                "revenue": _num(self.acct_rev.astype(float)),
                "region": _cat(_TERR_REGION[self.acct_terr], _REGIONS),
                "territory": _cat(self.acct_terr, _TERRITORIES),
            },
            {"account_id": "A%05d"},
        )
        camp_ids = [f"C{c[0]:03d}" for c in self.campaigns] + [_EXP_ID]
        _insert(
            con,
            "campaigns",
            {
                "campaign_id": pa.array(camp_ids),
                "name": pa.array(
                    [c[1] for c in self.campaigns]
                    + ["A/B test: MQL follow-up SLA (control / fast follow-up / sequence B)"]
                ),
                "type": pa.array([c[2] for c in self.campaigns] + ["experiment"]),
                "start_date": _date(
                    np.array([c[4] for c in self.campaigns] + [self.exp_start_sec])
                ),
                "end_date": _date(
                    np.array([c[5] for c in self.campaigns] + [self.exp_end_sec - 1])
                ),
                "cost": _num(np.array([c[6] for c in self.campaigns] + [15_000.0])),
            },
            {},
        )
        self._write_quotas(con)

    def truth(self) -> dict[str, Any]:
        """The planted effects (see the module docstring and the truth-file contract)."""

        def r4(x: float) -> float:
            return round(float(x), 4)

        lead_rates = self.acc_lead_p / np.maximum(self.acc_lead_n, 1)
        source_step_rates = {
            s: {step: r4(lead_rates[i, j]) for j, step in enumerate(_LEAD_STEPS)}
            for i, s in enumerate(_SOURCES)
        }
        overall = self.acc_lead_p.sum(axis=0) / np.maximum(self.acc_lead_n.sum(axis=0), 1)
        overall_rates = {step: r4(overall[j]) for j, step in enumerate(_LEAD_STEPS)}
        reach = np.cumprod(lead_rates, axis=1)[:, -1]
        opp_rates = self.acc_opp_p / np.maximum(self.acc_opp_n, 1)
        win = np.where(
            self.acc_rep_n > 0,
            self.acc_rep_p / np.maximum(self.acc_rep_n, 1),
            self.rep_skill * 0.36,
        )
        over = _TERRITORIES.index(_OVERLOADED)
        arm_mean = self.acc_arm_p / np.maximum(self.acc_arm_n, 1)
        contact = self.delays.get("_first_contact_hours", [])
        stage_days = {
            f"median_days_{k}": _median(v) for k, v in self.delays.items() if not k.startswith("_")
        }
        return {
            "seed": self.seed,
            "n_leads": self.n_leads,
            "start": self.start.strftime("%Y-%m-%d"),
            "as_of": pd.Timestamp(self.as_of_sec, unit="s").strftime("%Y-%m-%dT%H:%M:%S"),
            "lead_funnel": {
                "stages": ["created", "MQL", "SQL", "opportunity", "won"],
                "source_step_rates": source_step_rates,
                "step_rates": overall_rates,
                "bottleneck_step": _LEAD_STEPS[int(np.argmin(overall))],
                "best_source": _SOURCES[int(np.argmax(reach))],
                "worst_source": _SOURCES[int(np.argmin(reach))],
                "source_created_to_won": {s: r4(reach[i]) for i, s in enumerate(_SOURCES)},
                # experiment units follow the arm rates, so MQL->SQL is higher in the window
                # (which holds about half of all MQLs); these are the rates of the leads that
                # reached MQL outside it
                "mql_to_sql_outside_experiment": {
                    s: r4(self.acc_mql_sql_p[i] / max(self.acc_mql_sql_n[i], 1))
                    for i, s in enumerate(_SOURCES)
                },
            },
            "opportunity_funnel": {
                "stages": [*_OPP_STAGES, "won"],
                "step_rates": {s: r4(opp_rates[i]) for i, s in enumerate(_OPP_STEPS)},
                "design_step_rates": {s: r4(_OPP_STEP_DESIGN[i]) for i, s in enumerate(_OPP_STEPS)},
                "bottleneck_step": _OPP_STEPS[int(np.argmin(opp_rates))],
            },
            "experiment": {
                "campaign_id": _EXP_ID,
                "control": "control",
                "arms": list(_ARMS),
                "window_days": _EXP_WINDOW_DAYS,
                "outcome_stage": "SQL",
                "start": pd.Timestamp(self.exp_start_sec, unit="s").strftime("%Y-%m-%d"),
                "end": pd.Timestamp(self.exp_end_sec - 1, unit="s").strftime("%Y-%m-%d"),
                "planned_split": dict(zip(_ARMS, _ARM_SPLIT, strict=True)),
                "true_rates": {a: r4(_ARM_RATES[i]) for i, a in enumerate(_ARMS)},
                "true_abs_lift": {
                    a: r4(_ARM_RATES[i] - _ARM_RATES[0]) for i, a in enumerate(_ARMS) if i > 0
                },
                "mean_true_prob_of_units": {a: r4(arm_mean[i]) for i, a in enumerate(_ARMS)},
                "n_units": {a: int(self.acc_arm_n[i]) for i, a in enumerate(_ARMS)},
                "n_multi_assigned": int(self.n_multi),
                "pre_period_value": "engagement score before assignment; logit slope "
                f"{_EXP_GAMMA} per SD (SD 6)",
            },
            "reps": {
                self.rep_ids[i]: {
                    "team": _TERR_TEAM[self.rep_terr[i]],
                    "territory": _TERRITORIES[self.rep_terr[i]],
                    "region": _REGIONS[self.rep_region[i]],
                    "skill": r4(self.rep_skill[i]),
                    "activity_level": r4(self.rep_level[i]),
                    "true_win_rate": r4(win[i]),
                    "n_opportunities_latent": int(self.acc_rep_n[i]),
                    "hired_at": pd.Timestamp(self.rep_hired[i], unit="s").strftime("%Y-%m-%d"),
                    "left_at": (
                        pd.Timestamp(self.rep_left[i], unit="s").strftime("%Y-%m-%d")
                        if self.rep_left[i] < self.end_sec
                        else None
                    ),
                    "hired_in_period": bool(self.rep_in_span_hire[i]),
                }
                for i in range(self.n_reps)
            },
            "top_reps": [self.rep_ids[i] for i in self.top_reps],
            "bottom_reps": [self.rep_ids[i] for i in self.bottom_reps],
            "territories": {
                "overloaded": _OVERLOADED,
                "lead_weight": {
                    t: (_OVERLOAD_WEIGHT if i == over else 1.0) for i, t in enumerate(_TERRITORIES)
                },
                "overloaded_mql_to_sql_multiplier": _OVERLOAD_CONVERSION,
            },
            "ramp": {
                "days": _RAMP_DAYS,
                "mql_to_sql_multiplier": _RAMP_CONVERSION,
                "win_multiplier": _RAMP_WIN,
                "quota_multiplier": 0.5,
            },
            "seasonality": {
                "month_multiplier": {str(m): v for m, v in _MONTH_MULT.items()},
                "weekday_multiplier": {
                    d: float(v)
                    for d, v in zip(
                        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                        _WEEKDAY_MULT,
                        strict=True,
                    )
                },
                "trend_per_year": _TREND_PER_YEAR,
            },
            "stage_days": stage_days,
            "quota_per_rep_quarter": self.quota_base,
            "response_time": _response_time_truth(contact),
            "close_date_slip": _slip_truth(self.delays.get("_slip_days", [])),
            "spend": {
                # marketing: leads created in the month by source × cost per lead × lognormal
                # noise (log-sd 0.1); sales: active reps at mid-month × (comp, log-sd 0.03, +
                # tools) and outbound leads × the SDR cost per lead
                "marketing_cost_per_lead": {
                    src: float(c)
                    for src, c in zip(_SOURCES, _CPL, strict=True)
                    if src != "Outbound"
                },
                "marketing_noise_log_sd": _MARKETING_NOISE,
                "sales_comp_per_rep_month": _COMP_PER_REP_MONTH,
                "sales_tools_per_rep_month": _TOOLS_PER_REP_MONTH,
                "sdr_cost_per_outbound_lead": _SDR_COST_PER_LEAD,
            },
        }


def _slip_truth(parts: list[np.ndarray]) -> dict[str, float]:
    """Close-date slip of the deals closed by the as-of time: the expected close a deal gets at
    creation is its creation plus the median remaining stage dwell times its cycle factor; the
    real close adds each stage's random dwell, so some close later (they slip), some sooner.
    ``share_slipped``: closed after the expected day; ``median_days_late``: among those."""
    days = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    if not days.size:
        return {"n_closed": 0}
    late = days[days > 0]
    return {
        "n_closed": int(days.size),
        "share_slipped": round(float(np.mean(days > 0)), 4),
        "median_days_late": float(np.median(late)) if late.size else 0.0,
    }


def _response_time_truth(parts: list[np.ndarray]) -> dict[str, float]:
    """The planted first-contact distribution and what a scorecard over all leads must show.

    A share ``c`` of leads is contacted after a log-normal delay (median ``m``, log-sd ``σ``),
    moved from a weekend to Monday; the rest never are. The figures over all leads (never
    contacted ones count as never) are taken from every lead's true delay, before any cut-off:
    the median, and the shares contacted within 1 h and 24 h.
    """
    hours = np.concatenate(parts) if parts else np.zeros(0)
    out: dict[str, float] = {
        "contact_share": _CONTACT_SHARE,
        "delay_median_hours": _CONTACT_MEDIAN_H,
        "delay_log_sd": _CONTACT_LOG_SD,
        "weekend_contacts_moved_to_monday": True,
    }
    if hours.size:
        out |= {
            "n_leads": int(hours.size),
            "median_hours_all_leads": round(float(np.median(hours)), 4),
            "share_within_1h": round(float(np.mean(hours <= 1)), 4),
            "share_within_24h": round(float(np.mean(hours <= 24)), 4),
            "share_contacted": round(float(np.mean(np.isfinite(hours))), 4),
        }
    return out
