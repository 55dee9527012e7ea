"""Engine queries of the pipeline forecast: Ibis expressions that return small frames.

The pipeline is rebuilt *as it was* at any past time ``s`` from ``opportunity_history``: a deal is
open at ``s`` when it was created by ``s`` and not closed on or before ``s``'s date; its stage,
amount and expected close date are those of its last history row at or before ``s`` (a range
join of the snapshot times on the history rows' validity intervals). Outcomes are read from
``opportunities`` (``is_closed``, ``is_won``, ``close_date``) and cut at the forecast time:
a deal closed after it counts as still open (censored).

What comes back is counts per cell × day (training), one row per deal *open at the forecast
time* (the open pipeline is bounded by the business, not by the number of leads), amounts
grouped by value (won-deal sizes) and sums. No statistics and no words here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

__all__ = [
    "AGE_EDGES",
    "DUE_EDGES",
    "backtest_actuals",
    "created_count",
    "currencies",
    "first_history",
    "first_history_created",
    "last_history",
    "open_deals",
    "past_new_deals",
    "quota_rows",
    "snapshot_counts",
    "snapshot_outcomes",
    "won_amounts",
    "won_total",
]

#: Age buckets (days since creation at the snapshot): [0, 30), [30, 90), [90, 180), 180+.
AGE_EDGES = (30, 90, 180)
#: Due buckets (days from the snapshot to the expected close date then): overdue (< 0),
#: [0, 30), [30, 90), 90+ (or no date).
DUE_EDGES = (0, 30, 90)


def _ts(value: pd.Timestamp | dt.datetime) -> ir.Value:
    return ibis.literal(pd.Timestamp(value).to_pydatetime())


def _flag(t: ir.Table, col: str) -> ir.BooleanValue:
    return t[col].fill_null(False)


def _bucket(x: ir.Value, edges: Sequence[int], *, null: int) -> ir.Value:
    """Index of the bucket of ``x`` for ``edges`` (``null`` when ``x`` is null)."""
    branches = [(x < e, i) for i, e in enumerate(edges)]
    return ibis.cases((x.isnull(), null), *branches, else_=len(edges)).cast("int64")


def currencies(table: ir.Table, limit: int = 6) -> list[str]:
    """Distinct non-null values of ``table.currency`` (at most ``limit``), sorted."""
    if "currency" not in table.columns:
        return []
    c = table.currency.cast("string").strip().upper()
    d = table.select(cur=c).filter(lambda t: t.cur.notnull() & (t.cur != "")).distinct()
    return sorted(d.limit(limit).to_pandas()["cur"].astype(str).tolist())


def first_history(history: ir.Table) -> pd.Timestamp | None:
    """Time of the first ``opportunity_history`` row (``None`` when empty)."""
    v = history.changed_at.min().to_pandas()
    return None if v is None or pd.isna(v) else pd.Timestamp(v)


def last_history(history: ir.Table) -> pd.Timestamp | None:
    """Time of the last ``opportunity_history`` row in the table (``None`` when empty)."""
    v = history.changed_at.max().to_pandas()
    return None if v is None or pd.isna(v) else pd.Timestamp(v)


def first_history_created(opps: ir.Table) -> pd.Timestamp | None:
    """Creation time of the first deal (``None`` when empty)."""
    v = opps.created_at.min().to_pandas()
    return None if v is None or pd.isna(v) else pd.Timestamp(v)


def _pipeline(
    opps: ir.Table, history: ir.Table, snaps: Sequence[pd.Timestamp], as_of: pd.Timestamp
) -> ir.Table:
    """One row per snapshot × deal open at the snapshot, with its state then and its outcome.

    Columns: ``si`` (snapshot index), ``oid``, ``owner_id``, ``stage``, ``amount`` (then),
    ``due`` (days to the expected close date then), ``age`` (days since creation), ``event``
    (``won``/``lost``/``open`` by ``as_of``), ``days`` (snapshot → close, or → ``as_of`` when
    open), ``final_amount``, ``forecast_category`` (current), ``exp_close``.
    """
    # the snapshot times as a small table built from literals (one row each: a limited
    # select of an existing table), so no temporary table is created on any engine
    rows = [
        history.select(
            si=ibis.literal(i, "int64"),
            s=_ts(s),
            s_d=ibis.literal(pd.Timestamp(s).date(), "date"),
        ).limit(1)
        for i, s in enumerate(snaps)
    ]
    snap = rows[0] if len(rows) == 1 else ibis.union(*rows, distinct=False)
    h = history.select(
        hid=history.opportunity_id.cast("string"),
        changed_at=history.changed_at,
        stage=history.stage.cast("string"),
        h_amt=history.amount.cast("float64")
        if "amount" in history.columns
        else ibis.null("float64"),
        h_cd=history.close_date if "close_date" in history.columns else ibis.null("date"),
    )
    h = h.filter(h.changed_at <= _ts(as_of))
    h = h.mutate(
        nxt=h.changed_at.lead().over(group_by=h.hid, order_by=[h.changed_at, h.stage]),
    )
    j = snap.join(h, (h.changed_at <= snap.s) & (h.nxt.isnull() | (h.nxt > snap.s)))
    o = opps.select(
        oid=opps.opportunity_id.cast("string"),
        owner_id=opps.owner_id.cast("string"),
        created_at=opps.created_at,
        closed=_flag(opps, "is_closed"),
        won=_flag(opps, "is_won"),
        cd=opps.close_date,
        amt_now=opps.amount.cast("float64") if "amount" in opps.columns else ibis.null("float64"),
        fc=opps.forecast_category.cast("string")
        if "forecast_category" in opps.columns
        else ibis.null("string"),
    )
    j = j.join(o, j.hid == o.oid)
    as_of_d = pd.Timestamp(as_of).date()
    closed_by_s = j.closed & j.cd.notnull() & (j.cd <= j.s_d)
    j = j.filter((j.created_at <= j.s) & ~closed_by_s)
    closed_by_t = j.closed & j.cd.notnull() & (j.cd <= as_of_d)
    event = ibis.cases((closed_by_t & j.won, "won"), (closed_by_t, "lost"), else_="open")
    days = closed_by_t.ifelse(
        j.cd.delta(j.s_d, unit="day"), ibis.literal(as_of_d).delta(j.s_d, unit="day")
    )
    return j.select(
        si=j.si,
        oid=j.oid,
        owner_id=j.owner_id,
        stage=j.stage,
        amount=j.h_amt.coalesce(j.amt_now).fill_null(0.0),
        exp_close=j.h_cd,
        due=j.h_cd.delta(j.s_d, unit="day"),
        age=j.s_d.delta(j.created_at.date(), unit="day"),
        event=event,
        days=days.cast("int64"),
        final_amount=j.amt_now.fill_null(0.0),
        forecast_category=j.fc,
    )


def bucketed_pipeline(
    opps: ir.Table, history: ir.Table, snaps: Sequence[pd.Timestamp], as_of: pd.Timestamp
) -> ir.Table:
    """:func:`_pipeline` with the age and due buckets (``age_b``, ``due_b``) added."""
    p = _pipeline(opps, history, snaps, as_of)
    return p.mutate(
        age_b=_bucket(p.age, AGE_EDGES, null=0),
        due_b=_bucket(p.due, DUE_EDGES, null=len(DUE_EDGES)),
    )


def snapshot_counts(
    opps: ir.Table,
    history: ir.Table,
    snaps: Sequence[pd.Timestamp],
    as_of: pd.Timestamp,
    *,
    cap_days: int,
    pipeline: ir.Table | None = None,
) -> pd.DataFrame:
    """Training counts: per stage × age bucket × due bucket × days × event, deals open at a
    snapshot (``n``), their amount then (``amt``) and their final amount (``final_amt``).

    ``days`` runs from the snapshot to the close (``won``/``lost``) or to ``as_of`` (``open``:
    censored); follow-up beyond ``cap_days`` is censored at ``cap_days``. ``pipeline``: the
    :func:`bucketed_pipeline` of the same arguments, when already computed (a temp table).
    """
    p = pipeline if pipeline is not None else bucketed_pipeline(opps, history, snaps, as_of)
    beyond = p.days > cap_days
    p = p.mutate(event=beyond.ifelse("open", p.event), days=beyond.ifelse(cap_days, p.days))
    return (
        p.group_by(["stage", "age_b", "due_b", "days", "event"])
        .aggregate(n=p.count(), amt=p.amount.sum(), final_amt=p.final_amount.sum())
        .order_by(["stage", "age_b", "due_b", "days"])
        .to_pandas()
    )


def snapshot_outcomes(
    opps: ir.Table,
    history: ir.Table,
    snaps: Sequence[pd.Timestamp],
    as_of: pd.Timestamp,
    *,
    horizon: int,
    pipeline: ir.Table | None = None,
) -> pd.DataFrame:
    """Per snapshot × stage × age bucket × due bucket: deals open (``n``), their amount then
    (``amt``, ``amt_sq``) and the final amount of those won within ``horizon`` days
    (``won_amt``). Pass only snapshots followed at least ``horizon`` days by ``as_of``.
    ``pipeline``: the :func:`bucketed_pipeline` of a list of snapshots that starts with
    ``snaps`` (its rows of later snapshots are left out)."""
    if pipeline is not None:
        p = pipeline.filter(pipeline.si < len(snaps))
    else:
        p = bucketed_pipeline(opps, history, snaps, as_of)
    won = (p.event == "won") & (p.days <= horizon)
    return (
        p.group_by(["si", "stage", "age_b", "due_b"])
        .aggregate(
            n=p.count(),
            amt=p.amount.sum(),
            amt_sq=(p.amount * p.amount).sum(),
            won_amt=won.ifelse(p.final_amount, 0.0).sum(),
        )
        .order_by(["si", "stage", "age_b", "due_b"])
        .to_pandas()
    )


def open_deals(
    opps: ir.Table,
    history: ir.Table,
    snaps: Sequence[pd.Timestamp],
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """One row per snapshot × deal open at it: ``si, oid, owner_id, stage, amount, exp_close,
    due, age, age_b, due_b, forecast_category``, and how it ended by ``as_of`` (``event``,
    ``days``, ``final_amount``)."""
    p = bucketed_pipeline(opps, history, snaps, as_of)
    out = p.order_by(["si", "oid"]).to_pandas()
    out["exp_close"] = pd.to_datetime(out["exp_close"]).dt.date
    return out


def past_new_deals(
    opps: ir.Table, start: pd.Timestamp, end: pd.Timestamp, *, days: int
) -> tuple[int, pd.DataFrame]:
    """Deals created in ``(start, end]`` and, of those, the ones won within ``days`` days of
    creation grouped by ``cycle`` (days, creation → won) and ``amount`` (``n``).

    Call with ``end`` at least ``days`` before the forecast time, so every deal was followed
    for the whole ``days`` (no censoring).
    """
    o = opps.filter((opps.created_at > _ts(start)) & (opps.created_at <= _ts(end)))
    n = int(o.count().to_pandas())
    cyc = o.close_date.delta(o.created_at.date(), unit="day")
    w = o.filter(_flag(o, "is_won") & o.close_date.notnull() & (cyc <= days))
    w = w.select(
        cycle=ibis.greatest(cyc, 0).cast("int64"), amount=w.amount.cast("float64").fill_null(0.0)
    )
    return n, w.group_by(["cycle", "amount"]).aggregate(n=w.count()).order_by(
        ["cycle", "amount"]
    ).to_pandas()


def created_count(opps: ir.Table, start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Deals created in ``(start, end]``."""
    o = opps.filter((opps.created_at > _ts(start)) & (opps.created_at <= _ts(end)))
    return int(o.count().to_pandas())


def won_amounts(
    opps: ir.Table, start: dt.date, end: dt.date, *, max_cycle_days: int | None = None
) -> pd.DataFrame:
    """Won deals closed in ``[start, end]`` grouped by amount (``amount, n``), optionally only
    those won within ``max_cycle_days`` of their creation."""
    o = opps.filter(
        _flag(opps, "is_won")
        & opps.close_date.notnull()
        & (opps.close_date >= start)
        & (opps.close_date <= end)
        & opps.amount.notnull()
    )
    if max_cycle_days is not None:
        o = o.filter(o.close_date.delta(o.created_at.date(), unit="day") <= max_cycle_days)
    a = o.select(amount=o.amount.cast("float64"))
    return a.group_by("amount").aggregate(n=a.count()).order_by("amount").to_pandas()


def won_total(opps: ir.Table, start: dt.date, end: dt.date) -> tuple[float, int]:
    """Amount and number of deals won with ``close_date`` in ``[start, end]``."""
    o = opps.filter(
        _flag(opps, "is_won")
        & opps.close_date.notnull()
        & (opps.close_date >= start)
        & (opps.close_date <= end)
    )
    r = o.aggregate(amt=o.amount.cast("float64").fill_null(0.0).sum(), n=o.count()).to_pandas()
    amt = r["amt"].iloc[0]
    return (0.0 if pd.isna(amt) else float(amt)), int(r["n"].iloc[0])


def backtest_actuals(
    opps: ir.Table, windows: Sequence[tuple[int, dt.date, dt.date]]
) -> pd.DataFrame:
    """Per window ``(index, start, end)``: amount (``won_amt``) and number (``won_n``) won with
    ``close_date`` in it (one engine pass)."""
    o = opps.filter(_flag(opps, "is_won") & opps.close_date.notnull())
    # windows may overlap (rolling origins): one pass per window keeps each count exact
    parts = []
    for i, lo, hi in windows:
        w = o.filter((o.close_date >= lo) & (o.close_date <= hi))
        parts.append(
            w.aggregate(
                won_amt=w.amount.cast("float64").fill_null(0.0).sum(), won_n=w.count()
            ).mutate(wi=ibis.literal(i, "int64"))
        )
    u = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    out = u.to_pandas().sort_values("wi").reset_index(drop=True)
    out["won_amt"] = out["won_amt"].fillna(0.0)
    return out


def quota_rows(quotas: ir.Table, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Quota rows overlapping ``[start, end]``: ``rep_id, period_start, period_end, amount``."""
    q = quotas.filter((quotas.period_start <= end) & (quotas.period_end >= start))
    out = q.select(
        rep_id=q.rep_id.cast("string"),
        period_start=q.period_start,
        period_end=q.period_end,
        amount=q.amount.cast("float64"),
    ).to_pandas()
    for c in ("period_start", "period_end"):
        out[c] = pd.to_datetime(out[c]).dt.date
    return out
