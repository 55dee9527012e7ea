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

from salesops_lib.data.deal_history import history_intervals, state_at
from salesops_lib.data.literal import literal_rows

__all__ = [
    "AGE_EDGES",
    "DUE_EDGES",
    "backtest_actuals",
    "bucketed_pipeline",
    "created_count",
    "currencies",
    "deal_states",
    "first_history",
    "first_history_created",
    "last_history",
    "open_deals",
    "past_new_deals",
    "quota_rows",
    "snapshot_cells",
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


def deal_states(
    opps: ir.Table,
    history: ir.Table,
    as_of: pd.Timestamp,
    *,
    since: pd.Timestamp | None = None,
) -> ir.Table:
    """One row per ``opportunity_history`` row up to ``as_of``: the deal's state from
    ``changed_at`` until ``until`` (its next history row, or for the last row a time after
    ``as_of``: :func:`~salesops_lib.data.deal_history.history_intervals`, shared with the KPI
    scorecard), joined with the deal's columns.

    Columns: ``oid``, ``owner_id``, ``created_at``, ``changed_at``, ``until``, ``stage``,
    ``h_amt`` and ``h_cd`` (amount and expected close date then), ``close_d`` (the close date of
    a closed deal, else null), ``won``, ``amt_now``, ``fc`` (current forecast category).

    The state of a deal at any time ``s`` at or before ``as_of`` is the row with
    ``changed_at <= s < until``; rows that no snapshot at or after ``since`` can use (ended
    before it, or of deals closed before it) are left out. Computed once per forecast (a temp
    table) and read by every training snapshot, the backtest's included: for ``s <= t <=
    as_of`` the row valid at ``s`` is the same whether the history is cut at ``t`` or at
    ``as_of``.
    """
    h = history_intervals(history, as_of)
    o = opps.select(
        oid=opps.opportunity_id.cast("string"),
        owner_id=opps.owner_id.cast("string"),
        created_at=opps.created_at,
        close_d=(_flag(opps, "is_closed") & opps.close_date.notnull()).ifelse(
            opps.close_date, ibis.null("date")
        ),
        won=_flag(opps, "is_won"),
        amt_now=opps.amount.cast("float64") if "amount" in opps.columns else ibis.null("float64"),
        fc=opps.forecast_category.cast("string")
        if "forecast_category" in opps.columns
        else ibis.null("string"),
    )
    j = h.join(o, h.hid == o.oid)
    if since is not None:
        since_d = pd.Timestamp(since).date()
        j = j.filter((j.until > _ts(since)) & (j.close_d.isnull() | (j.close_d > since_d)))
    return j.select(
        "oid",
        "owner_id",
        "created_at",
        "changed_at",
        "until",
        "stage",
        "h_amt",
        "h_cd",
        "close_d",
        "won",
        "amt_now",
        "fc",
    )


def _snapshots(states: ir.Table, snaps: Sequence[pd.Timestamp]) -> ir.Table:
    """The snapshot times as a small table (``si``, ``s``, ``s_d``) of literal rows
    (:func:`~salesops_lib.data.literal.literal_rows`), so no temporary table is created."""
    rows = [(i, pd.Timestamp(s), pd.Timestamp(s).date()) for i, s in enumerate(snaps)]
    return literal_rows(rows, {"si": "int64", "s": "timestamp", "s_d": "date"}, like=states)


def bucketed_pipeline(
    states: ir.Table, snaps: Sequence[pd.Timestamp], as_of: pd.Timestamp
) -> ir.Table:
    """One row per snapshot × deal open at the snapshot, with its state then and how it ended
    by ``as_of`` (the forecast time; the deals' outcomes after it are not read).

    ``states`` is :func:`deal_states` (cut at ``as_of`` or later). Columns: ``si`` (snapshot
    index), ``oid``, ``owner_id``, ``stage``, ``amount`` (then), ``exp_close``, ``due`` (days to
    the expected close date then), ``age`` (days since creation), ``age_b``, ``due_b`` (their
    buckets), ``event`` (``won``/``lost``/``open`` by ``as_of``), ``days`` (snapshot → close,
    or → ``as_of`` when open), ``final_amount``, ``forecast_category`` (current), ``s_d`` (the
    snapshot's date).
    """
    snap = _snapshots(states, snaps)
    j = state_at(states, snap, "s")
    as_of_d = pd.Timestamp(as_of).date()
    j = j.filter((j.created_at <= j.s) & (j.close_d.isnull() | (j.close_d > j.s_d)))
    closed_by_t = j.close_d.notnull() & (j.close_d <= as_of_d)
    event = ibis.cases((closed_by_t & j.won, "won"), (closed_by_t, "lost"), else_="open")
    days = closed_by_t.ifelse(
        j.close_d.delta(j.s_d, unit="day"), ibis.literal(as_of_d).delta(j.s_d, unit="day")
    )
    p = j.select(
        si=j.si,
        s_d=j.s_d,
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
    return p.mutate(
        age_b=_bucket(p.age, AGE_EDGES, null=0),
        due_b=_bucket(p.due, DUE_EDGES, null=len(DUE_EDGES)),
    )


def snapshot_cells(
    states: ir.Table, snaps: Sequence[pd.Timestamp], as_of: pd.Timestamp
) -> ir.Table:
    """Deals open at each snapshot, grouped: per snapshot (``si``, ``s_d``) × stage × age
    bucket × due bucket × ``days`` × ``event`` (how it ended by ``as_of``, as in
    :func:`bucketed_pipeline`), the deal-snapshots ``n``, their amount then (``amt``,
    ``amt_sq``) and their final amount (``final_amt``).

    Built once (a temp table) for the snapshots of every forecast of a report, the backtest's
    included: :func:`snapshot_counts` and :func:`snapshot_outcomes` re-read it as seen at an
    earlier forecast time, which is exact because a deal's state at a snapshot does not depend
    on the forecast time, only how it ended does (a close after that time is still open).
    """
    p = bucketed_pipeline(states, snaps, as_of)
    return p.group_by(["si", "s_d", "stage", "age_b", "due_b", "days", "event"]).aggregate(
        n=p.count(),
        amt=p.amount.sum(),
        amt_sq=(p.amount * p.amount).sum(),
        final_amt=p.final_amount.sum(),
    )


def _seen_at(cells: ir.Table, snap_ids: Sequence[int], as_of: pd.Timestamp) -> ir.Table:
    """The rows of :func:`snapshot_cells` of the snapshots ``snap_ids`` as seen at ``as_of``
    (not before any of them): a deal closed after ``as_of`` is open (censored at ``as_of``)."""
    c = cells.filter(cells.si.isin([int(i) for i in snap_ids]))
    lim = ibis.literal(pd.Timestamp(as_of).date()).delta(c.s_d, unit="day").cast("int64")
    seen = (c.event != "open") & (c.days <= lim)
    return c.mutate(event=seen.ifelse(c.event, "open"), days=seen.ifelse(c.days, lim))


def snapshot_counts(
    cells: ir.Table, snap_ids: Sequence[int], as_of: pd.Timestamp, *, cap_days: int
) -> pd.DataFrame:
    """Training counts: per stage × age bucket × due bucket × days × event, deals open at the
    snapshots ``snap_ids`` of ``cells`` (:func:`snapshot_cells`) as seen at ``as_of`` (``n``),
    their amount then (``amt``) and their final amount (``final_amt``).

    ``days`` runs from the snapshot to the close (``won``/``lost``) or to ``as_of`` (``open``:
    censored); follow-up beyond ``cap_days`` is censored at ``cap_days``.
    """
    p = _seen_at(cells, snap_ids, as_of)
    beyond = p.days > cap_days
    p = p.mutate(event=beyond.ifelse("open", p.event), days=beyond.ifelse(cap_days, p.days))
    return (
        p.group_by(["stage", "age_b", "due_b", "days", "event"])
        .aggregate(n=p.n.sum(), amt=p.amt.sum(), final_amt=p.final_amt.sum())
        .order_by(["stage", "age_b", "due_b", "days", "event"])
        .to_pandas()
    )


def snapshot_outcomes(
    cells: ir.Table, snap_ids: Sequence[int], as_of: pd.Timestamp, *, horizon: int
) -> pd.DataFrame:
    """Per snapshot (``si``) × stage × age bucket × due bucket: deals open (``n``), their amount
    then (``amt``, ``amt_sq``) and the final amount of those won within ``horizon`` days
    (``won_amt``), for the snapshots ``snap_ids`` of ``cells`` (:func:`snapshot_cells`) as seen
    at ``as_of``: pass only snapshots followed at least ``horizon`` days by ``as_of``."""
    p = _seen_at(cells, snap_ids, as_of)
    won = (p.event == "won") & (p.days <= horizon)
    return (
        p.group_by(["si", "stage", "age_b", "due_b"])
        .aggregate(
            n=p.n.sum(),
            amt=p.amt.sum(),
            amt_sq=p.amt_sq.sum(),
            won_amt=won.ifelse(p.final_amt, 0.0).sum(),
        )
        .order_by(["si", "stage", "age_b", "due_b"])
        .to_pandas()
    )


def open_deals(states: ir.Table, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per deal open at ``as_of``: ``si`` (0), ``oid, owner_id, stage, amount,
    exp_close, due, age, age_b, due_b, forecast_category``, ``event`` (``open``), ``days``,
    ``final_amount``. ``states`` is :func:`deal_states` cut at ``as_of`` or later."""
    p = bucketed_pipeline(states, [as_of], as_of)
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
