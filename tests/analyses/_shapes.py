"""Random small canonical datasets of varied shapes, and params for each analysis on them.

Used by the shape fuzz test (issue 9): every analysis must either give a result whose every
sentence is clean, or raise one of the kit's own errors. Nothing here knows the demo warehouse:
stage names, arm names, reps, currencies and units are drawn at random.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Stage vocabularies a CRM might use (the first entry of a funnel is always ``created``).
STAGE_WORDS = (
    ("MQL", "SQL", "Demo", "Proposal"),
    ("Contacted", "Qualified", "Meeting booked"),
    ("Engaged",),
    ("Qualifié", "Offre envoyée", "Négociation"),
    ("Step A", "Step B", "Step C", "Step D", "Step E"),
)
ARM_WORDS = (
    ("control", "treatment"),
    ("control", "variant_a", "variant_b"),
    ("A", "B"),
    ("old", "new", "newer", "newest"),
)
REP_NAMES = ("Ada", "Bo", "Cyd", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu")
SEGMENTS = ("Small", "Large", None)
SOURCES = ("Web", "Partner", "Event", None)
PRODUCTS = ("Core", "Plus")
CURRENCIES = ("USD", "EUR", "GBP")


@dataclass
class Shape:
    """One generated dataset and what it looks like (for the failure message)."""

    seed: int
    tables: dict[str, pd.DataFrame]
    stages: list[str]
    arms: list[str]
    currency: str
    as_of: pd.Timestamp
    start: pd.Timestamp
    description: dict[str, Any] = field(default_factory=dict)


def _ts(rng: np.random.Generator, start: pd.Timestamp, days: float, n: int) -> pd.Series:
    secs = rng.uniform(0, max(days, 0.01) * 86_400, size=n)
    return pd.Series(start + pd.to_timedelta(secs, unit="s")).dt.floor("s")


def make_shape(seed: int) -> Shape:
    """A random canonical dataset: 0–400 leads, 2–6 stages, 2–4 arms, optional tables/columns."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 3, 12, 40, 150, 400], p=[0.04, 0.08, 0.18, 0.25, 0.3, 0.15]))
    span = float(rng.choice([5, 45, 120, 400]))
    start = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 700)))
    words = list(STAGE_WORDS[int(rng.integers(len(STAGE_WORDS)))])
    k = int(rng.integers(1, len(words) + 1))
    stages = words[:k]
    arms = list(ARM_WORDS[int(rng.integers(len(ARM_WORDS)))])
    n_reps = int(rng.choice([1, 2, 5, 12]))
    reps = [f"R{i:02d}" for i in range(n_reps)]
    currency = str(rng.choice(CURRENCIES))

    created = _ts(rng, start, span, n)
    leads = pd.DataFrame({"lead_id": [f"L{i:05d}" for i in range(n)], "created_at": created})
    if rng.random() < 0.8:
        leads["owner_id"] = rng.choice(reps, size=n) if n else pd.Series([], dtype=object)
    if rng.random() < 0.6:
        leads["source"] = pd.Series(rng.choice(np.array(SOURCES, dtype=object), size=n))
    if rng.random() < 0.5:
        leads["segment"] = pd.Series(rng.choice(np.array(SEGMENTS, dtype=object), size=n))
    # status history: each lead walks the stages with a random drop-off per step
    hist = []
    p_move = rng.uniform(0.2, 0.9, size=len(stages))
    for i, t0 in enumerate(created):
        t = t0
        for j, st in enumerate(stages):
            if rng.random() > p_move[j]:
                break
            t = t + pd.Timedelta(hours=float(rng.exponential(24 * rng.choice([0.5, 5, 20]))))
            hist.append((f"L{i:05d}", st, t.floor("s")))
    lead_history = pd.DataFrame(hist, columns=["lead_id", "status", "changed_at"])
    if lead_history.empty:
        lead_history = lead_history.astype(
            {"lead_id": object, "status": object, "changed_at": "datetime64[ns]"}
        )
    tables: dict[str, pd.DataFrame] = {"leads": leads, "lead_history": lead_history}

    # opportunities from leads that reached the last stage (or a random share)
    has_opps = rng.random() < 0.7
    if has_opps and n:
        reached = lead_history.groupby("lead_id")["changed_at"].max()
        pick = reached.sample(frac=float(rng.uniform(0.3, 1.0)), random_state=seed)
        m = len(pick)
        opp_created = pd.Series(pick.values) + pd.to_timedelta(rng.uniform(0, 3, m), unit="D")
        closed = rng.random(m) < 0.7
        won = closed & (rng.random(m) < rng.uniform(0.1, 0.8))
        close_date = (opp_created + pd.to_timedelta(rng.exponential(40, m), unit="D")).dt.date
        opps = pd.DataFrame(
            {
                "opportunity_id": [f"O{i:05d}" for i in range(m)],
                "created_at": opp_created.dt.floor("s"),
                "owner_id": rng.choice(reps, size=m),
                "stage": np.where(won, "Won", np.where(closed, "Lost", "Open")),
                "is_closed": closed,
                "is_won": won,
                "amount": np.round(rng.lognormal(9, 1, m), 2),
                "close_date": close_date,
                "lead_id": list(pick.index),
            }
        )
        if rng.random() < 0.5:
            opps["product"] = rng.choice(PRODUCTS, size=m)
        if rng.random() < 0.7:
            opps["currency"] = currency
        as_of_guess = max(created.max(), opps["created_at"].max())
        # closed deals must not close after the data's as-of time
        opps.loc[opps["is_closed"], "close_date"] = [
            min(d, as_of_guess.date()) for d in opps.loc[opps["is_closed"], "close_date"]
        ]
        opps.loc[opps["close_date"] < opps["created_at"].dt.date, "close_date"] = opps[
            "created_at"
        ].dt.date
        tables["opportunities"] = opps
        if rng.random() < 0.6:
            oh = []
            for _, o in opps.iterrows():
                oh.append((o.opportunity_id, o.created_at, "Open", o.amount, o.close_date))
                if o.is_closed:
                    ts = pd.Timestamp(o.close_date)
                    oh.append(
                        (o.opportunity_id, max(ts, o.created_at), o.stage, o.amount, o.close_date)
                    )
            tables["opportunity_history"] = pd.DataFrame(
                oh, columns=["opportunity_id", "changed_at", "stage", "amount", "close_date"]
            )
    if rng.random() < 0.7:
        tables["reps"] = pd.DataFrame(
            {
                "rep_id": reps,
                "name": [REP_NAMES[i % len(REP_NAMES)] for i in range(n_reps)],
                "team": rng.choice(["North", "South"], size=n_reps),
            }
        )
    if rng.random() < 0.4 and n:
        m = int(rng.integers(1, 4 * n + 2))
        tables["activities"] = pd.DataFrame(
            {
                "activity_id": [f"A{i:06d}" for i in range(m)],
                "owner_id": rng.choice(reps, size=m),
                "type": rng.choice(["call", "email", "meeting"], size=m),
                "occurred_at": _ts(rng, start, span, m),
                "lead_id": rng.choice(leads["lead_id"].to_numpy(), size=m),
            }
        )
    if rng.random() < 0.4:
        q0 = start.to_period("Q").start_time
        qs = [q0 + pd.DateOffset(months=3 * i) for i in range(int(span // 90) + 2)]
        tables["quotas"] = pd.DataFrame(
            [
                (r, q.date(), (q + pd.DateOffset(months=3) - pd.Timedelta(days=1)).date(), 50_000.0)
                for r in reps
                for q in qs
            ],
            columns=["rep_id", "period_start", "period_end", "amount"],
        )
    # an experiment on some of the leads
    campaign = f"T{seed}"
    if n and rng.random() < 0.85:
        share = float(rng.uniform(0.3, 1.0))
        members = leads.sample(frac=share, random_state=seed)
        members = pd.DataFrame(
            {
                "campaign_id": campaign,
                "lead_id": members["lead_id"].to_numpy(),
                "variant": rng.choice(arms, size=len(members)),
                "assigned_at": members["created_at"].to_numpy(),
            }
        )
        if rng.random() < 0.4:
            members["pre_period_value"] = np.round(rng.gamma(2, 3, len(members)), 2)
        tables["campaign_members"] = members
        tables["campaigns"] = pd.DataFrame(
            {"campaign_id": [campaign], "name": [f"Test {seed}"], "cost": [1000.0]}
        )
    stamps = [created.max() if n else start]
    for t, c in (("lead_history", "changed_at"), ("opportunities", "created_at")):
        if t in tables and len(tables[t]):
            stamps.append(pd.Timestamp(tables[t][c].max()))
    as_of = max(stamps)
    return Shape(
        seed=seed,
        tables=tables,
        stages=stages,
        arms=arms,
        currency=currency,
        as_of=pd.Timestamp(as_of),
        start=start,
        description={
            "leads": n,
            "stages": stages,
            "arms": arms,
            "tables": sorted(tables),
            "reps": n_reps,
            "currency": currency,
        },
    )


def _period(rng: np.random.Generator, shape: Shape) -> tuple[dt.date, dt.date]:
    kind = rng.choice(["all", "last_month", "empty", "first_week"], p=[0.55, 0.2, 0.1, 0.15])
    s, e = shape.start.date(), shape.as_of.date()
    if kind == "last_month":
        s = max(s, e - dt.timedelta(days=30))
    elif kind == "empty":  # a period before any record
        s, e = s - dt.timedelta(days=60), s - dt.timedelta(days=31)
    elif kind == "first_week":
        e = min(e, s + dt.timedelta(days=6))
    return s, e


def params_for(analysis: str, shape: Shape, rng: np.random.Generator) -> dict[str, Any]:
    """Keyword arguments for the analysis function (``source`` excluded)."""
    t = shape.tables
    s, e = _period(rng, shape)
    if analysis == "funnel":
        if "opportunities" in t and rng.random() < 0.3:
            kw: dict[str, Any] = {"funnel": "opportunity", "stages": ["created", "won"]}
            cols = [c for c in ("product",) if c in t["opportunities"]]
        else:
            k = int(rng.integers(1, len(shape.stages) + 1))
            kw = {"funnel": "lead", "stages": ["created", *shape.stages[:k]]}
            cols = [c for c in ("source", "segment") if c in t["leads"]]
        kw |= {
            "period_start": s,
            "period_end": e,
            "window_days": int(rng.choice([1, 7, 30, 90])),
            "breakdowns": list(
                rng.choice(cols, size=int(rng.integers(0, len(cols) + 1)), replace=False)
            )
            if cols
            else [],
            "compare_to": str(rng.choice(["previous_period", "none"])),
            "min_segment_size": int(rng.choice([1, 5, 30])),
            "cohort_periods": int(rng.choice([1, 3, 12])),
        }
        if kw["funnel"] == "lead" and rng.random() < 0.4:  # a web or product funnel
            kw["unit_label"] = str(rng.choice(["visitor", "account", "player"]))
        return kw
    if analysis == "experiment":
        st = shape.stages[int(rng.integers(len(shape.stages)))]
        binary = {"name": f"Reached {st}", "kind": "binary", "stage": st}
        if rng.random() < 0.5:
            binary["window_days"] = int(rng.choice([1, 14, 30]))
        tte = {"name": f"Days to {st}", "kind": "time_to_event", "stage": st, "window_days": 30}
        count = {"name": "Calls", "kind": "count", "activity_type": "call", "window_days": 30}
        value = {"name": "Won amount", "kind": "value", "stage": "won", "window_days": 90}
        # one metric of a single kind (a one-binary-metric web test, a count-only test, ...)
        # or a mix; the kinds that need a table are drawn only when the table exists
        mode = str(rng.choice(["mixed", "binary", "time_to_event", "count", "value"]))
        if mode == "count" and "activities" not in t:
            mode = "binary"
        if mode == "value" and "opportunities" not in t:
            mode = "binary"
        if mode == "mixed":
            metrics = [binary]
            if rng.random() < 0.3:
                metrics.append(tte)
            if "activities" in t and rng.random() < 0.4:
                metrics.append(count)
            if "opportunities" in t and rng.random() < 0.3:
                metrics.append(value)
        else:
            one = {"binary": binary, "time_to_event": tte, "count": count, "value": value}[mode]
            metrics = [one]
        metrics = [dict(m) for m in metrics]
        # the primary is usually the first metric, sometimes the last (not always binary)
        primary = -1 if (rng.random() < 0.25 and len(metrics) > 1) else 0
        metrics[primary]["primary"] = True
        kw = {
            "campaign_id": f"T{shape.seed}",
            "control": shape.arms[0],
            "metrics": metrics,
            "n_boot": 200,
            "currency": shape.currency,
            "unit_label": str(rng.choice(["lead", "visitor", "account", "player"])),
        }
        if rng.random() < 0.3 and len(shape.stages) > 1:
            g = shape.stages[-1]
            kw["guardrails"] = [
                {
                    "name": f"{g} held",
                    "kind": "binary",
                    "stage": g,
                    "margin": 0.05,
                    "window_days": 30,
                }
            ]
        return kw
    if analysis == "benchmark":
        return {
            "currency": shape.currency,
            "period_start": s,
            "period_end": e,
            "min_closed": int(rng.choice([1, 5, 30])),
            "compare_previous": bool(rng.random() < 0.5),
        }
    if analysis == "kpis":
        return {
            "period_start": s,
            "period_end": e,
            "grain": str(rng.choice(["week", "month"])),
            "mql_status": shape.stages[0],
            "sql_status": shape.stages[min(1, len(shape.stages) - 1)],
            "currency": shape.currency,
        }
    if analysis == "forecast":
        kw = {
            "grain": str(rng.choice(["month", "quarter"])),
            "n_sims": 1000,
            "backtest_periods": int(rng.choice([1, 2, 6])),
            "min_cell": int(rng.choice([1, 10, 30])),
            "currency": shape.currency,
        }
        if rng.random() < 0.3:  # an explicit period ahead of the data
            kw |= {
                "period_start": e + dt.timedelta(days=1),
                "period_end": e + dt.timedelta(days=60),
            }
        if rng.random() < 0.3:
            kw["target"] = float(rng.choice([0.0, 50_000.0, 1e7]))
        return kw
    raise KeyError(analysis)
