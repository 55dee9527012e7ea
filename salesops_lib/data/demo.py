"""Synthetic demo warehouse: every canonical table with planted, documented effects.

:func:`generate_demo` writes the eleven tables of the canonical data model
(``../shared/DATA_MODEL.md``) into one DuckDB file, plus a *truth file* next to it
(``<out>.truth.json``) that records the generator's true parameters, so that analyses can be
checked against what was planted.

What a sales-operations analyst will recognise:

* ~25 reps in four teams (``Team North/South/East/West``) with managers, regions (``NA``,
  ``EMEA``, ``APAC``) and territories; most were hired before the period, a few are hired during it
  and ramp (lower quota, fewer activities, lower conversion in their first 90 days), two leave.
* Leads over two years with monthly seasonality (Q4 high, summer dip), a growth trend and fewer
  leads at weekends, from seven sources of different quality. Status changes (``MQL``, ``SQL``,
  ``Disqualified``, ``Nurture``) with realistic delays; some leads skip MQL, a few move backwards.
* Converted leads become opportunities with lognormal amounts by segment, the stage path
  ``Prospecting → Qualification → Proposal → Negotiation → Closed Won/Lost`` (Proposal →
  Negotiation is the bottleneck), cycles of weeks to months (longest for Enterprise), open deals
  at ``as_of`` with expected close dates. Rep skill drives win rates (two top, two bottom reps).
* One overloaded territory (``EMEA-South``: 2.5x the leads per rep, so less follow-up per lead and
  a lower MQL → SQL rate).
* Calls, emails and meetings per rep per working day (Poisson), linked to recent leads and open
  opportunities of the rep; none at weekends, before hire or after leaving.
* Marketing campaigns with members, the A/B experiment ``C_AB_MQL_SLA`` (three arms, a CUPED
  covariate, ~0.3% multi-assigned units), quarterly quotas and monthly spend by channel. The
  experiment enrols every lead at its MQL time for 13 months (2024-12-01 to 2025-12-31 for the
  default period): about half of all MQLs, ~5,300 units per arm at 50,000 leads, so its planted
  +6 pp lift is clear (95% half-width ~1.8 pp). Its arms convert at 0.30 / 0.36 / 0.30 against
  ~0.25 outside it, so a funnel over the experiment window reads MQL → SQL higher than one over
  the quarters after it.

Generation is chunked: leads and everything that hangs off them (history, opportunities,
campaign members, activities of the same days) are built with vectorised numpy per chunk of
``chunk_size`` leads and appended to DuckDB, so ten million leads stay within bounded memory.
The output is a deterministic function of ``(seed, leads, start, months, reps, chunk_size)``.

Truth semantics: rates are the generator's true probabilities averaged over the units actually
at risk (for example ``MQL->SQL`` of a source is the mean true probability of reaching SQL over
that source's leads that reached MQL or beyond). They include leads whose outcome falls after
``as_of`` (censored in the data), so an analysis that handles censoring recovers them.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.optimize import brentq
from scipy.special import expit, logit

__all__ = ["DEMO_TABLES", "DemoSummary", "generate_demo"]

# ----------------------------------------------------------------------------------------------
# Canonical tables and their DuckDB types (follows DATA_MODEL.md column order exactly)
# ----------------------------------------------------------------------------------------------

_DDL: dict[str, list[tuple[str, str]]] = {
    "leads": [
        ("lead_id", "VARCHAR"),
        ("created_at", "TIMESTAMP"),
        ("owner_id", "VARCHAR"),
        ("source", "VARCHAR"),
        ("segment", "VARCHAR"),
        ("region", "VARCHAR"),
        ("territory", "VARCHAR"),
        ("status", "VARCHAR"),
        ("converted_at", "TIMESTAMP"),
        ("opportunity_id", "VARCHAR"),
        ("account_id", "VARCHAR"),
    ],
    "lead_history": [("lead_id", "VARCHAR"), ("status", "VARCHAR"), ("changed_at", "TIMESTAMP")],
    "opportunities": [
        ("opportunity_id", "VARCHAR"),
        ("created_at", "TIMESTAMP"),
        ("owner_id", "VARCHAR"),
        ("stage", "VARCHAR"),
        ("is_closed", "BOOLEAN"),
        ("is_won", "BOOLEAN"),
        ("amount", "DOUBLE"),
        ("close_date", "DATE"),
        ("account_id", "VARCHAR"),
        ("lead_id", "VARCHAR"),
        ("product", "VARCHAR"),
        ("segment", "VARCHAR"),
        ("region", "VARCHAR"),
        ("territory", "VARCHAR"),
        ("source", "VARCHAR"),
        ("campaign_id", "VARCHAR"),
        ("forecast_category", "VARCHAR"),
    ],
    "opportunity_history": [
        ("opportunity_id", "VARCHAR"),
        ("changed_at", "TIMESTAMP"),
        ("stage", "VARCHAR"),
        ("amount", "DOUBLE"),
        ("close_date", "DATE"),
    ],
    "activities": [
        ("activity_id", "VARCHAR"),
        ("owner_id", "VARCHAR"),
        ("type", "VARCHAR"),
        ("occurred_at", "TIMESTAMP"),
        ("lead_id", "VARCHAR"),
        ("opportunity_id", "VARCHAR"),
        ("account_id", "VARCHAR"),
        ("duration_s", "INTEGER"),
        ("outcome", "VARCHAR"),
    ],
    "reps": [
        ("rep_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("team", "VARCHAR"),
        ("manager", "VARCHAR"),
        ("region", "VARCHAR"),
        ("territory", "VARCHAR"),
        ("role", "VARCHAR"),
        ("hired_at", "DATE"),
        ("left_at", "DATE"),
    ],
    "quotas": [
        ("rep_id", "VARCHAR"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("amount", "DOUBLE"),
    ],
    "accounts": [
        ("account_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("industry", "VARCHAR"),
        ("employees", "INTEGER"),
        ("revenue", "DOUBLE"),
        ("region", "VARCHAR"),
        ("territory", "VARCHAR"),
    ],
    "campaigns": [
        ("campaign_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("cost", "DOUBLE"),
    ],
    "campaign_members": [
        ("campaign_id", "VARCHAR"),
        ("lead_id", "VARCHAR"),
        ("variant", "VARCHAR"),
        ("assigned_at", "TIMESTAMP"),
        ("pre_period_value", "DOUBLE"),
        ("responded_at", "TIMESTAMP"),
    ],
    "spend": [
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("amount", "DOUBLE"),
        ("category", "VARCHAR"),
        ("channel", "VARCHAR"),
    ],
}

#: The tables :func:`generate_demo` writes, in the order of ``DATA_MODEL.md``.
DEMO_TABLES: tuple[str, ...] = tuple(_DDL)

# ----------------------------------------------------------------------------------------------
# Planted parameters
# ----------------------------------------------------------------------------------------------

_DAY = 86_400
_SOURCES = ("Paid Search", "Organic", "Referral", "Events", "Outbound", "Partner", "Social")
_SOURCE_SHARE = np.array([0.25, 0.18, 0.12, 0.10, 0.15, 0.08, 0.12])
# per source: created->MQL, MQL->SQL, SQL->opportunity, opportunity->won (base, before rep skill).
# MQL->SQL outside the experiment averages ~0.28 over MQLs, close to the experiment's 0.32, so the
# experiment (half of all MQLs) does not make the funnel's MQL->SQL drift much over time; win rates
# (~0.36 overall) stay clearly above it, so MQL->SQL is the lead funnel's bottleneck everywhere.
_SOURCE_RATES = np.array(
    [
        [0.55, 0.18, 0.55, 0.28],  # Paid Search (worst)
        [0.65, 0.28, 0.60, 0.35],  # Organic
        [0.85, 0.38, 0.70, 0.45],  # Referral (best)
        [0.75, 0.25, 0.60, 0.33],  # Events
        [0.55, 0.30, 0.65, 0.32],  # Outbound
        [0.70, 0.33, 0.65, 0.40],  # Partner
        [0.50, 0.25, 0.60, 0.31],  # Social
    ]
)
# share of a source's SQLs that skip MQL (sales-ready on arrival)
_SKIP_MQL = np.array([0.05, 0.08, 0.25, 0.10, 0.35, 0.20, 0.05])
_LEAD_STEPS = ("created->MQL", "MQL->SQL", "SQL->opportunity", "opportunity->won")
_LEAD_STATUSES = ("MQL", "SQL", "Disqualified", "Nurture")
_LEAD_CURRENT = ("New", "MQL", "SQL", "Disqualified", "Nurture", "Converted")

_SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
_SEGMENT_SHARE = np.array([0.60, 0.30, 0.10])
_AMOUNT_MEDIAN = np.array([9_000.0, 38_000.0, 140_000.0])
_AMOUNT_SIGMA = np.array([0.55, 0.65, 0.80])
_CYCLE_FACTOR = np.array([1.0, 1.7, 3.0])
_PRODUCTS = ("Starter", "Professional", "Enterprise Suite")
_PRODUCT_BY_SEGMENT = np.array([[0.60, 0.40, 0.0], [0.0, 0.70, 0.30], [0.0, 0.20, 0.80]])
_PRODUCT_FACTOR = np.array([0.8, 1.0, 1.35])

_OPP_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation")
_OPP_ALL_STAGES = (*_OPP_STAGES, "Closed Won", "Closed Lost")
_OPP_STEP_DESIGN = np.array([0.88, 0.80, 0.62, 0.82])  # Proposal->Negotiation is the bottleneck
_OPP_STEPS = (
    "Prospecting->Qualification",
    "Qualification->Proposal",
    "Proposal->Negotiation",
    "Negotiation->won",
)
_STAGE_DWELL_MEDIAN = np.array([5.0, 7.0, 13.0, 6.0])  # days in each stage (SMB; x cycle factor)
_STAGE_DWELL_SIGMA = 0.55
_FORECAST = ("Pipeline", "Best Case", "Commit", "Closed", "Omitted")

_TEAMS: dict[str, tuple[str, ...]] = {
    "Team North": ("NA-East", "NA-Central"),
    "Team West": ("NA-West", "APAC-North"),
    "Team East": ("EMEA-North", "EMEA-Central"),
    "Team South": ("EMEA-South", "APAC-South"),
}
_MANAGERS = {
    "Team North": "Dana Whitfield",
    "Team West": "Marcus Lee",
    "Team East": "Ingrid Novak",
    "Team South": "Tomás Ferreira",
}
_TERRITORIES = tuple(t for ts in _TEAMS.values() for t in ts)
_TERR_TEAM = tuple(team for team, ts in _TEAMS.items() for _ in ts)
_REGIONS = ("NA", "EMEA", "APAC")
_TERR_REGION = np.array([_REGIONS.index(t.split("-")[0]) for t in _TERRITORIES])
_OVERLOADED = "EMEA-South"
_OVERLOAD_WEIGHT = 2.5
_OVERLOAD_CONVERSION = 0.70  # MQL->SQL multiplier: less follow-up per lead
_RAMP_DAYS = 90
_RAMP_CONVERSION = 0.85  # MQL->SQL multiplier for leads owned by a ramping rep
_RAMP_WIN = 0.80  # win-probability multiplier for deals created in a rep's ramp
_REGION_HOUR = np.array([13, 7, 0])  # start of the 10-hour working day in UTC by region

_MONTH_MULT = {
    1: 0.95, 2: 1.00, 3: 1.10, 4: 1.00, 5: 1.00, 6: 0.90,
    7: 0.80, 8: 0.75, 9: 1.00, 10: 1.15, 11: 1.20, 12: 1.10,
}  # fmt: skip
_WEEKDAY_MULT = np.array([1.0, 1.05, 1.05, 1.0, 0.9, 0.3, 0.25])
_TREND_PER_YEAR = 0.20

_EXP_ID = "C_AB_MQL_SLA"
_ARMS = ("control", "fast_followup", "sequence_b")
_ARM_SPLIT = (0.3333, 0.3333, 0.3334)
_ARM_RATES = np.array([0.30, 0.36, 0.30])
_ARM_SQL_DELAY = np.array([8.0, 4.0, 8.0])  # median days to SQL (all within the 30-day window)
_EXP_WINDOW_DAYS = 30
# The experiment enrols every lead at its MQL time for 13 months, ending one quarter after the
# middle of the period (24 months from 2024-10-01: 2024-12-01 .. 2025-12-31). At 50,000 leads that
# is ~16,000 units (~5,300 per arm: 95% half-width of the lift ~1.8 pp); at 20,000 ~2,100 per arm.
# It ends before the last quarters, so Q1 2026 (the default funnel cohort) lies outside it.
_EXP_END_MONTH_AFTER_MID = 3
_EXP_MONTHS = 13
_EXP_GAMMA = 1.2  # logit slope on the standardised pre-period engagement score
# the overloaded territory and ramping reps follow up less in every arm too: logit shifts equal to
# their MQL->SQL multipliers applied at the control rate (arm intercepts are solved so that each
# arm's mean over the units is still exactly its true rate)
_EXP_OVERLOAD_LOGIT = float(logit(_OVERLOAD_CONVERSION * _ARM_RATES[0]) - logit(_ARM_RATES[0]))
_EXP_RAMP_LOGIT = float(logit(_RAMP_CONVERSION * _ARM_RATES[0]) - logit(_ARM_RATES[0]))
_MULTI_ASSIGN = 0.003

# (name, type, linked source, start month offset, duration days, cost)
_CAMPAIGNS = (
    ("Webinar: Forecasting Without Spreadsheets", "webinar", "Organic", 1, 45, 18_000.0),
    ("SaaStr Annual booth", "trade show", "Events", 5, 30, 95_000.0),
    ("Q2 Paid Social push", "paid social", "Social", 7, 60, 60_000.0),
    ("Brand search sprint", "paid search", "Paid Search", 9, 45, 80_000.0),
    ("Partner co-marketing: CloudStack", "partner", "Partner", 11, 90, 40_000.0),
    ("Dreamforce dinner series", "event", "Events", 11, 20, 70_000.0),
    ("Customer referral bonus", "referral", "Referral", 14, 120, 25_000.0),
    ("Analyst report syndication", "content", "Organic", 18, 60, 35_000.0),
)
_CAMPAIGN_MEMBER_RATE = 0.55

_CPL = np.array([140.0, 35.0, 45.0, 260.0, 0.0, 70.0, 95.0])  # marketing cost per lead by source
_SDR_COST_PER_LEAD = 110.0

_FIRST = (
    "Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall",
    "Logan", "Morgan", "Noa", "Parker", "Quinn", "Riley", "Sasha", "Taylor", "Rowan", "Skyler",
    "Alex", "Jamie", "Priya", "Kenji", "Lucia", "Omar", "Chen", "Fatima", "Lars", "Aisha", "Mateo",
)  # fmt: skip
_LAST = (
    "Nguyen", "Schmidt", "Okafor", "Rossi", "Tanaka", "Larsen", "Silva", "Kowalski", "Haddad",
    "Murphy", "Dubois", "Patel", "Garcia", "Johansson", "Kim", "Walker", "Moreau", "Yilmaz",
    "Novak", "Fischer", "Costa", "Ivanova", "Brennan", "Sato", "Mendes",
)  # fmt: skip
_INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
    "Media", "Logistics", "Energy", "Professional Services",
)  # fmt: skip
_NAME_A = (
    "Blue", "North", "Bright", "Silver", "Pioneer", "Summit", "Harbor", "Granite", "Evergreen",
    "Atlas", "Vertex", "Crescent", "Cedar", "Orbit", "Nimbus", "Keystone", "Lumen", "Redwood",
)  # fmt: skip
_NAME_B = (
    "Analytics", "Systems", "Health", "Logistics", "Foods", "Energy", "Labs", "Capital",
    "Networks", "Retail", "Robotics", "Media", "Partners", "Works", "Dynamics", "Solutions",
)  # fmt: skip
_NAME_C = ("Inc", "Ltd", "GmbH", "LLC", "Group", "Co", "SA", "Pty")


# ----------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate_demo` wrote.

    Attributes
    ----------
    path
        The DuckDB file.
    truth_path
        The truth file (``path`` with suffix ``.truth.json``).
    rows
        Row count per table.
    as_of
        The as-of time of the data (naive UTC; nothing in the data is later).
    seed, n_leads
        The generator's inputs.
    """

    path: Path
    truth_path: Path
    rows: dict[str, int] = field(default_factory=dict)
    as_of: pd.Timestamp | None = None
    seed: int = 7
    n_leads: int = 0

    def to_frame(self) -> pd.DataFrame:
        """Row counts as a tidy frame (``table``, ``rows``)."""
        return pd.DataFrame({"table": list(self.rows), "rows": list(self.rows.values())})

    def __str__(self) -> str:
        counts = ", ".join(f"{t} {n:,}" for t, n in self.rows.items())
        return (
            f"Demo warehouse {self.path} (as of {self.as_of}): {counts}. Truth: {self.truth_path}"
        )


def generate_demo(
    out: str | Path,
    *,
    seed: int = 7,
    leads: int = 50_000,
    start: str = "2024-10-01",
    months: int = 24,
    reps: int = 25,
    chunk_size: int = 200_000,
    progress: bool = False,
) -> DemoSummary:
    """Write the demo warehouse (every canonical table) and its truth file.

    Parameters
    ----------
    out
        Path of the DuckDB file to write. The parent folder is created; an existing file is
        replaced atomically (written to ``<out>.tmp`` first, then moved into place).
    seed
        Random seed; the same inputs give the same data.
    leads
        Number of leads over the whole period (everything else scales with it, except reps and
        their activities).
    start
        First day of the period (``YYYY-MM-DD``).
    months
        Length of the period; ``as_of`` is the last second before ``start + months``.
    reps
        Number of sales reps (at least 12), including the ones hired during the period.
    chunk_size
        Leads generated and written per step; bounds memory for very large runs.
    progress
        Show a progress bar (tqdm) over the chunks.

    Returns
    -------
    DemoSummary
        Paths, row counts per table and ``as_of``.

    Raises
    ------
    ValueError
        When an input is out of range (fewer than 100 leads, fewer than 12 reps, fewer than
        12 months, chunk_size < 100).

    Examples
    --------
    >>> summary = generate_demo("data/demo.duckdb", seed=7, leads=50_000)  # doctest: +SKIP
    >>> summary.rows["leads"]  # doctest: +SKIP
    50000
    """
    if leads < 100:
        raise ValueError(f"leads must be at least 100, got {leads}")
    if reps < 12:
        raise ValueError(f"reps must be at least 12 (four teams, eight territories), got {reps}")
    if months < 12:
        raise ValueError(f"months must be at least 12, got {months}")
    if chunk_size < 100:
        raise ValueError(f"chunk_size must be at least 100, got {chunk_size}")

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    for stale in (tmp, Path(str(tmp) + ".wal")):
        stale.unlink(missing_ok=True)
    truth_path = out.with_suffix(".truth.json")

    gen = _Generator(
        seed=seed, n_leads=leads, start=start, months=months, n_reps=reps, chunk_size=chunk_size
    )
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET memory_limit = '1GB'")
        for table, cols in _DDL.items():
            body = ", ".join(f"{c} {t}" for c, t in cols)
            con.execute(f"CREATE TABLE {table} ({body})")
        gen.run(con, progress=progress)
        rows = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _DDL}
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, out)

    truth = gen.truth()
    truth_tmp = truth_path.with_name(truth_path.name + ".tmp")
    truth_tmp.write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    os.replace(truth_tmp, truth_path)
    return DemoSummary(
        path=out,
        truth_path=truth_path,
        rows=rows,
        as_of=pd.Timestamp(gen.as_of_sec, unit="s"),
        seed=seed,
        n_leads=leads,
    )


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def _delay(rng: np.random.Generator, median_days: Any, sigma: float, size: int) -> np.ndarray:
    """Lognormal delays in whole seconds (at least five minutes)."""
    days = np.asarray(median_days, dtype=float) * np.exp(sigma * rng.standard_normal(size))
    return np.maximum((days * _DAY).astype(np.int64), 300)


def _ts(sec: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds → Arrow timestamp[s] (``mask`` True = null)."""
    return pa.array(np.asarray(sec, dtype=np.int64).view("datetime64[s]"), mask=mask)


def _date(sec: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds → Arrow date32 (the UTC calendar day)."""
    days = (np.asarray(sec, dtype=np.int64) // _DAY).astype("datetime64[D]")
    return pa.array(days, mask=mask)


def _cat(codes: np.ndarray, labels: Iterable[str], mask: np.ndarray | None = None) -> pa.Array:
    """Integer codes → Arrow dictionary array (cast to VARCHAR by DuckDB on insert)."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(list(labels), type=pa.string()))


def _num(x: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(x), mask=mask)


def _id(fmt: str, col: str) -> str:
    return f"CASE WHEN {col} IS NULL THEN NULL ELSE printf('{fmt}', {col}) END"


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, data: dict[str, pa.Array], ids: dict[str, str]
) -> None:
    """Append one chunk: ``data`` columns as Arrow, ``ids`` maps id columns to printf formats."""
    if not data or len(next(iter(data.values()))) == 0:
        return
    chunk = pa.table(data)
    exprs = []
    for col, _ in _DDL[table]:
        exprs.append(_id(ids[col], col) if col in ids else col)
    con.register("_chunk", chunk)
    try:
        con.execute(f"INSERT INTO {table} SELECT {', '.join(exprs)} FROM _chunk")
    finally:
        con.unregister("_chunk")


def _pick_by_cum(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Categorical draws from cumulative probabilities (rows of ``cum``) and uniforms ``u``."""
    return (u[:, None] > cum).sum(axis=1)


def _median(parts: list[np.ndarray]) -> float | None:
    if not parts:
        return None
    allv = np.concatenate(parts)
    return round(float(np.median(allv)) / _DAY, 1) if allv.size else None


# ----------------------------------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------------------------------


class _Generator:
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
        self.lead_buf = self._empty_buf(("key", "lead", "created", "acct"))
        self.opp_buf = self._empty_buf(("key", "opp", "created", "close", "acct", "lead"))

    @staticmethod
    def _empty_buf(names: Iterable[str]) -> dict[str, np.ndarray]:
        return {n: np.zeros(0, dtype=np.int64) for n in names}

    # -- static world ---------------------------------------------------------------------

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

    def _make_campaigns(self) -> None:
        rows = []
        for i, (name, typ, src, m0, dur, cost) in enumerate(_CAMPAIGNS):
            if m0 >= self.months:
                continue
            s = self.start + pd.DateOffset(months=m0)
            s_sec = int(s.value // 10**9)
            e_sec = min(s_sec + dur * _DAY, self.as_of_sec)
            rows.append((i + 1, name, typ, _SOURCES.index(src), s_sec, e_sec, cost))
        self.campaigns = rows

    def _make_experiment_offsets(self) -> None:
        r"""Arm intercepts so that each arm's mean SQL-within-30-days rate equals its true rate.

        A unit's true probability is
        :math:`p = \operatorname{expit}(\alpha_{arm} + \gamma z + \beta_{src}
        + \delta_o\,\mathrm{overloaded} + \delta_r\,\mathrm{ramp})` with
        :math:`z \sim N(0, 1)` (the pre-period score, standardised). :math:`\alpha_{arm}` solves
        :math:`E[p] = r_{arm}` where the expectation runs over the units' mix of source, overloaded
        territory and ramping owner in the experiment window (computed from the generator's own daily
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

    # -- main loop ------------------------------------------------------------------------

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
            from tqdm.auto import tqdm

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

    # -- static tables --------------------------------------------------------------------

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

    # -- owners ---------------------------------------------------------------------------

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

    # -- leads and everything that hangs off them -----------------------------------------

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

        # ---- buffers for linking activities ----
        self.lead_buf = self._push(
            self.lead_buf,
            {
                "key": owner * 10**10 + created,
                "lead": lead_num,
                "created": created,
                "acct": acct + 1,
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
                },
            )

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

    def _write_opps(
        self,
        con: duckdb.DuckDBPyConnection,
        rng: np.random.Generator,
        order: np.ndarray,
        opp_num: np.ndarray,
        lead_num: np.ndarray,
        created: np.ndarray,
        owner: np.ndarray,
        seg: np.ndarray,
        src: np.ndarray,
        terr: np.ndarray,
        acct: np.ndarray,
        camp: np.ndarray,
        won: np.ndarray,
        top: np.ndarray,
        enter: np.ndarray,
        close: np.ndarray,
        cyc: np.ndarray,
    ) -> None:
        as_of = self.as_of_sec
        m = created.size
        prod_cum = np.cumsum(_PRODUCT_BY_SEGMENT, axis=1)[:, :-1]
        product = _pick_by_cum(prod_cum[seg], rng.random(m))
        amt0 = np.round(
            _AMOUNT_MEDIAN[seg]
            * _PRODUCT_FACTOR[product]
            * np.exp(_AMOUNT_SIGMA[seg] * rng.standard_normal(m)),
            -2,
        )
        amt1 = np.round(amt0 * np.exp(0.15 * rng.standard_normal(m)), -2)
        amt_won = np.round(amt1 * (1 - rng.uniform(0.0, 0.12, m)), -2)
        amt_stage = np.stack([amt0, amt0, amt1, amt1], axis=1)
        remaining = (
            np.cumsum((_STAGE_DWELL_MEDIAN[::-1])[None, :] * cyc[:, None], axis=1)[:, ::-1] * _DAY
        )
        expected = np.maximum(
            (created + remaining[:, 0])[:, None], enter + remaining.astype(np.int64)
        ).astype(np.int64)  # expected close (seconds) as set when each stage was entered
        closed = close <= as_of
        # current state
        stage_now = np.where(
            closed, np.where(won, 4, 5), np.minimum(top, (enter <= as_of).sum(axis=1) - 1)
        )
        open_stage = np.clip(stage_now, 0, 3)
        amount_now = np.where(
            closed & won, amt_won, amt_stage[np.arange(m), np.minimum(open_stage, top)]
        )
        exp_now = expected[np.arange(m), open_stage]
        floor = as_of + _DAY + rng.integers(7, 60, size=m) * _DAY
        close_now = np.where(closed, close, np.maximum(exp_now, floor))
        fc = np.select(
            [closed & won, closed, open_stage >= 3, open_stage == 2],
            [3, 4, np.where(rng.random(m) < 0.85, 2, 1), 1],
            default=0,
        )
        o = order
        _insert(
            con,
            "opportunities",
            {
                "opportunity_id": _num(opp_num[o]),
                "created_at": _ts(created[o]),
                "owner_id": _cat(owner[o], self.rep_ids),
                "stage": _cat(stage_now[o], _OPP_ALL_STAGES),
                "is_closed": pa.array(closed[o]),
                "is_won": pa.array((closed & won)[o]),
                "amount": _num(amount_now[o].astype(float)),
                "close_date": _date(close_now[o]),
                "account_id": _num(acct[o] + 1),
                "lead_id": _num(lead_num[o]),
                "product": _cat(product[o], _PRODUCTS),
                "segment": _cat(seg[o], _SEGMENTS),
                "region": _cat(_TERR_REGION[terr[o]], _REGIONS),
                "territory": _cat(terr[o], _TERRITORIES),
                "source": _cat(src[o], _SOURCES),
                "campaign_id": _num(camp[o], mask=camp[o] == 0),
                "forecast_category": _cat(fc[o], _FORECAST),
            },
            {
                "opportunity_id": "O%07d",
                "account_id": "A%05d",
                "lead_id": "L%07d",
                "campaign_id": "C%03d",
            },
        )
        # history: one row per stage entered, plus the closing row
        rows_o, rows_s, rows_t, rows_a, rows_c = [], [], [], [], []
        for s in range(4):
            mk = (top[o] >= s) & (enter[o, s] <= as_of)
            idx = o[mk]
            rows_o.append(opp_num[idx])
            rows_s.append(np.full(idx.size, s))
            rows_t.append(enter[idx, s])
            rows_a.append(amt_stage[idx, s])
            rows_c.append(expected[idx, s])
        idx = o[closed[o]]
        rows_o.append(opp_num[idx])
        rows_s.append(np.where(won[idx], 4, 5))
        rows_t.append(close[idx])
        rows_a.append(np.where(won[idx], amt_won[idx], amt_stage[idx, top[idx]]))
        rows_c.append(close[idx])
        ho = np.concatenate(rows_o)
        hs = np.concatenate(rows_s)
        ht = np.concatenate(rows_t)
        srt = np.lexsort((ht, ho))
        _insert(
            con,
            "opportunity_history",
            {
                "opportunity_id": _num(ho[srt]),
                "changed_at": _ts(ht[srt]),
                "stage": _cat(hs[srt], _OPP_ALL_STAGES),
                "amount": _num(np.concatenate(rows_a)[srt].astype(float)),
                "close_date": _date(np.concatenate(rows_c)[srt]),
            },
            {"opportunity_id": "O%07d"},
        )

    # -- activities -----------------------------------------------------------------------

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
            lead[okm] = ob["lead"][pick[okm]]
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

    # -- spend ----------------------------------------------------------------------------

    def _write_spend(self, con: duckdb.DuckDBPyConnection) -> None:
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 3]))
        m_start = [self.start + pd.DateOffset(months=i) for i in range(self.months)]
        s_sec = np.array([int(m.value // 10**9) for m in m_start])
        e_sec = np.append(s_sec[1:], self.end_sec) - _DAY
        rows_s, rows_e, rows_amt, rows_cat, rows_ch = [], [], [], [], []
        channels = [s for s in _SOURCES if s != "Outbound"]
        sales_channels = ("Compensation", "Sales tools", "SDR outbound")
        for i in range(self.months):
            for ch in channels:
                j = _SOURCES.index(ch)
                amt = self.month_source[i, j] * _CPL[j] * math.exp(0.1 * rng.standard_normal())
                rows_s.append(s_sec[i]), rows_e.append(e_sec[i])
                rows_amt.append(round(amt, 2)), rows_cat.append("marketing"), rows_ch.append(ch)
            mid = s_sec[i] + 14 * _DAY
            active = int(((self.rep_hired <= mid) & (self.rep_left > mid)).sum())
            sales = (
                active * 12_500.0 * math.exp(0.03 * rng.standard_normal()),
                active * 350.0,
                self.month_source[i, _SOURCES.index("Outbound")] * _SDR_COST_PER_LEAD,
            )
            for ch, amt in zip(sales_channels, sales, strict=True):
                rows_s.append(s_sec[i]), rows_e.append(e_sec[i])
                rows_amt.append(round(amt, 2)), rows_cat.append("sales"), rows_ch.append(ch)
        _insert(
            con,
            "spend",
            {
                "period_start": _date(np.array(rows_s)),
                "period_end": _date(np.array(rows_e)),
                "amount": _num(np.array(rows_amt, dtype=float)),
                "category": pa.array(rows_cat),
                "channel": pa.array(rows_ch),
            },
            {},
        )

    # -- truth ----------------------------------------------------------------------------

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
        stage_days = {f"median_days_{k}": _median(v) for k, v in self.delays.items()}
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
        }
