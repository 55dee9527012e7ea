"""Engine queries of the sales KPI scorecard: Ibis expressions that return small count frames.

Every query runs one group-by in the engine and returns at most (periods × reps × a few) rows,
or per-duration counts for the Kaplan–Meier curves; nothing of unit level (lead, deal,
activity) comes back. No statistics and no words here.

Conventions shared by every query
---------------------------------
- ``groups`` is a list of period sets, each a list of ``(index, Period)`` whose periods do not
  overlap (the trend, and the same period last year when it overlaps the trend). Within a set a
  row belongs to the period whose :meth:`Period.ts_in` (timestamps) or :meth:`Period.date_in`
  (dates) holds, so events after a period's ``as_of`` are never counted (``_period_index``); a
  row may belong to one period of each set. Every query reads its tables once for all the sets:
  each row gets one index column per set (``_p0``, ``_p1``), and :func:`_per_period` turns them
  into one row per period the row belongs to (a cross join with one literal row per set), after
  the per-unit work (joins, first times) and, for counts, after a first group-by.
- ``as_of`` (naive UTC) is the data's cut-off: follow-up of cohorts (first contact, SQL, won)
  runs to it for every period, whatever the period's own cut.
- Only portable SQL: ``ifelse``/``cases`` instead of boolean casts, ``epoch_seconds`` and
  ``delta`` for durations, window functions for "last row before", so the same code runs on
  DuckDB, PostgreSQL and Spark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from salesops_lib.data.deal_history import history_intervals, state_at
from salesops_lib.data.literal import literal_rows
from salesops_lib.data.period import Period

__all__ = [
    "TERM_COLUMNS",
    "activity_counts",
    "closed_sums",
    "created_sums",
    "cycle_counts",
    "mql_counts",
    "new_customers",
    "pipeline_snapshots",
    "quota_rows",
    "reps_frame",
    "response_counts",
    "spend_overlaps",
    "spend_rows",
]

#: Contract-term columns (months) of ``opportunities`` used for ACV, first found wins.
TERM_COLUMNS = ("contract_term_months", "term_months")

Periods = Sequence[tuple[int, Period]]
Groups = Sequence[Periods]

#: Response durations are counted per minute up to this many minutes, per hour beyond.
MINUTE_RESOLUTION_UP_TO = 48 * 60


def _ts(value: pd.Timestamp | dt.datetime) -> ir.Value:
    return ibis.literal(pd.Timestamp(value).to_pydatetime())


def _period_index(col: ir.Value, periods: Periods, *, date: bool = False) -> ir.Value:
    """Index of the period ``col`` falls in (null outside every period)."""
    branches = [(p.date_in(col) if date else p.ts_in(col), i) for i, p in periods]
    return ibis.cases(*branches, else_=ibis.null("int64"))


def _indexes(col: ir.Value, groups: Groups, *, date: bool = False) -> dict[str, ir.Value]:
    """One period-index column per period set: ``{"_p0": ..., "_p1": ...}``."""
    return {f"_p{g}": _period_index(col, ps, date=date) for g, ps in enumerate(groups)}


def _span(col: ir.Value, groups: Groups, *, date: bool = False) -> ir.BooleanValue:
    """``col`` between the first period's start and the last one's effective end: implied by
    an index column being set, and stated as a plain range so that the engine can skip blocks
    of the table and estimate the rows (DuckDB then builds its joins on the smaller side)."""
    ps = [p for g in groups for _, p in g]
    if date:
        return (col >= min(p.start for p in ps)) & (col <= max(p.end_eff for p in ps))
    lo = min(p.ts_start for p in ps).to_pydatetime()
    return (col >= lo) & (col < max(p.ts_end_eff for p in ps).to_pydatetime())


def _in_any(t: ir.Table, groups: Groups, col: str, *, date: bool = False) -> ir.BooleanValue:
    """Whether the row falls in a period of any set (an index column is not null); ``col`` is
    the column the indexes come from (its :func:`_span` is added)."""
    cond = t._p0.notnull()
    for g in range(1, len(groups)):
        cond = cond | t[f"_p{g}"].notnull()
    return _span(t[col], groups, date=date) & cond


def _index_cols(groups: Groups) -> list[str]:
    return [f"_p{g}" for g in range(len(groups))]


def _per_period(t: ir.Table, groups: Groups, anchor: ir.Table) -> ir.Table:
    """The rows of ``t`` once per period they belong to: the index in ``pi``, ``_p*`` dropped.

    With one period set a filter; with more, a cross join with one literal row per set
    (:func:`~salesops_lib.data.literal.literal_rows` on the connection of ``anchor``, so no
    temporary table is created on any engine), keeping the pairs whose set index is not null.
    ``t`` is computed once.
    """
    cols = _index_cols(groups)
    if len(cols) == 1:
        return t.filter(t._p0.notnull()).mutate(pi=t._p0).drop(*cols)
    sets = literal_rows([(g,) for g in range(len(cols))], {"_g": "int64"}, like=anchor)
    j = t.cross_join(sets)
    pi = ibis.cases(*[(j._g == g, j[c]) for g, c in enumerate(cols)], else_=ibis.null("int64"))
    j = j.mutate(pi=pi)
    return j.filter(j.pi.notnull()).drop("_g", *cols)


def _count_per_period(t: ir.Table, groups: Groups, keys: list[str], anchor: ir.Table) -> ir.Table:
    """``n`` rows of ``t`` per period × ``keys``: counted per index columns first (a small
    table), then spread over the periods (:func:`_per_period`) and summed."""
    c = t.group_by([*_index_cols(groups), *keys]).aggregate(n=t.count())
    c = _per_period(c, groups, anchor)
    return c.group_by(["pi", *keys]).aggregate(n=c.n.sum())


def _flag(t: ir.Table, col: str) -> ir.BooleanValue:
    return t[col].fill_null(False)


def _amount(t: ir.Table) -> ir.Value:
    return t.amount.cast("float64") if "amount" in t.columns else ibis.null("float64")


def _acv(t: ir.Table, term_col: str | None) -> ir.Value:
    """Annual contract value: ``amount × 12 / term months`` when a term is known, else amount."""
    amt = _amount(t)
    if term_col is None:
        return amt
    term = t[term_col].cast("float64")
    return (term.notnull() & (term > 0)).ifelse(amt * 12.0 / term, amt)


def _count(cond: ir.BooleanValue) -> ir.Value:
    return cond.ifelse(1, 0).sum()


def _sum(cond: ir.BooleanValue, value: ir.Value) -> ir.Value:
    return cond.ifelse(value, 0.0).sum()


# ------------------------------------------------------------------------------ checks


def spend_overlaps(spend: ir.Table) -> tuple[int, pd.DataFrame]:
    """Pairs of spend lines of the same category and channel (case-insensitive) whose dates
    overlap.

    Returns the number of overlapping pairs and up to five examples.
    """

    def raw(col: str) -> ir.Value:
        if col in spend.columns:
            return spend[col].cast("string").strip().fill_null("")
        return ibis.literal("")

    s = spend.select(
        _rid=ibis.row_number(),
        cat=raw("category"),
        ch=raw("channel"),
        k_cat=raw("category").lower(),
        k_ch=raw("channel").lower(),
        a_start=spend.period_start,
        a_end=spend.period_end,
    )
    b = s.select(b_rid="_rid", b_cat="k_cat", b_ch="k_ch", b_start="a_start", b_end="a_end")
    j = s.join(
        b,
        (s.k_cat == b.b_cat)
        & (s.k_ch == b.b_ch)
        & (s._rid < b.b_rid)
        & (s.a_start <= b.b_end)
        & (b.b_start <= s.a_end),
    )
    n = int(j.count().to_pandas())
    ex = j.order_by(["cat", "ch", "a_start"]).limit(5).to_pandas() if n else pd.DataFrame()
    return n, ex


# ------------------------------------------------------------------------------ activities


def activity_counts(acts: ir.Table, groups: Groups) -> pd.DataFrame:
    """Per period × owner × type (lower-cased): activities that occurred in the period."""
    a = acts.mutate(**_indexes(acts.occurred_at, groups))
    a = a.filter(_in_any(a, groups, "occurred_at"))
    a = a.mutate(owner_id=a.owner_id.cast("string"), type=a.type.cast("string").lower().strip())
    return _count_per_period(a, groups, ["owner_id", "type"], acts).to_pandas()


def reps_frame(reps: ir.Table, breakdown: str | None) -> pd.DataFrame:
    """``rep_id, hired, left, group`` per rep (the reps table is one row per seller: small)."""

    def day(col: str) -> ir.Value:
        return reps[col].cast("date") if col in reps.columns else ibis.null("date")

    group = reps[breakdown].cast("string") if breakdown else ibis.null("string")
    out = reps.select(
        rep_id=reps.rep_id.cast("string"), hired=day("hired_at"), left=day("left_at"), group=group
    ).to_pandas()
    for c in ("hired", "left"):
        out[c] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in out[c]]
    return out


# ------------------------------------------------------------------------------ leads


def response_counts(
    leads: ir.Table, acts: ir.Table, groups: Groups, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Per period × duration × contacted: leads created in the period, by time to first contact.

    The first contact is the earliest activity with the lead's ``lead_id`` at or after its
    creation and not after ``as_of``. Durations are in minutes: per minute up to 48 h and per
    whole hour beyond (×60). Contacts are rounded *up* (so "within 60 minutes" is exact), leads
    never contacted are censored at ``as_of`` and rounded *down*.
    """
    cols = _index_cols(groups)
    lt = leads.mutate(**_indexes(leads.created_at, groups))
    lt = lt.filter(_in_any(lt, groups, "created_at")).select(
        *cols, lid=lt.lead_id.cast("string"), created=lt.created_at
    )
    # an activity before the first period's start cannot follow a lead created in a period
    first_start = _ts(min(p.ts_start for g in groups for _, p in g))
    at = acts.filter(
        acts.lead_id.notnull()
        & (acts.occurred_at >= first_start)
        & (acts.occurred_at <= _ts(as_of))
    )
    at = at.select(alid=at.lead_id.cast("string"), occurred=at.occurred_at)
    # one left join and one group-by per lead (lead_id is unique: validated)
    j = lt.left_join(at, (lt.lid == at.alid) & (at.occurred >= lt.created))
    f = j.group_by("lid").aggregate(
        first=j.occurred.min(), created=j.created.min(), **{c: j[c].min() for c in cols}
    )
    sec_ev = f.first.epoch_seconds() - f.created.epoch_seconds()
    sec_cen = _ts(as_of).epoch_seconds() - f.created.epoch_seconds()
    limit = MINUTE_RESOLUTION_UP_TO * 60
    minutes_ev = ibis.cases(
        (sec_ev <= limit, (sec_ev / 60.0).ceil()), else_=(sec_ev / 3600.0).ceil() * 60
    )
    minutes_cen = ibis.cases(
        (sec_cen <= limit, (sec_cen / 60.0).floor()), else_=(sec_cen / 3600.0).floor() * 60
    )
    contacted = f.first.notnull()
    e = f.select(
        *cols,
        contacted=contacted,
        minutes=contacted.ifelse(minutes_ev, minutes_cen).cast("int64"),
    )
    e = e.mutate(minutes=(e.minutes < 0).ifelse(0, e.minutes))
    c = _count_per_period(e, groups, ["minutes", "contacted"], leads)
    return c.order_by(["pi", "minutes"]).to_pandas()


def mql_counts(
    history: ir.Table,
    groups: Groups,
    as_of: pd.Timestamp,
    *,
    mql: str,
    sql: str,
    window_days: int,
) -> pd.DataFrame:
    """Per period × days × converted: leads whose first ``mql`` status falls in the period, by
    days from that MQL to their first ``sql`` status (for Kaplan–Meier).

    Converted (within ``window_days`` of the MQL and by ``as_of``): days rounded *up*. The others
    are censored at the days followed (``as_of`` − MQL, rounded down), capped at the window.
    Statuses match case-insensitively; a lead's first MQL counts, and SQL only after it.
    """
    h = history.mutate(
        lid=history.lead_id.cast("string"), st=history.status.cast("string").strip().lower()
    )
    h = h.filter(h.changed_at <= _ts(as_of))
    m = h.filter(h.st == mql.strip().lower())
    m = m.group_by("lid").aggregate(t_mql=m.changed_at.min())
    cols = _index_cols(groups)
    m = m.mutate(**_indexes(m.t_mql, groups))
    m = m.filter(_in_any(m, groups, "t_mql"))
    s = h.filter(h.st == sql.strip().lower()).select(slid="lid", t_s="changed_at")
    j = m.left_join(s, (m.lid == s.slid) & (s.t_s >= m.t_mql))
    first = j.group_by(["lid", "t_mql", *cols]).aggregate(t_sql=j.t_s.min())
    w = ibis.interval(days=window_days)
    conv = first.t_sql.notnull() & (first.t_sql <= first.t_mql + w)
    t0 = first.t_mql.epoch_seconds()
    ev_days = ((first.t_sql.epoch_seconds() - t0) / 86400.0).ceil()
    followed = ((_ts(as_of).epoch_seconds() - t0) / 86400.0).floor()
    cen_days = ibis.least(followed, window_days)
    e = first.select(*cols, converted=conv, days=conv.ifelse(ev_days, cen_days).cast("int64"))
    c = _count_per_period(e, groups, ["days", "converted"], history)
    return c.order_by(["pi", "days"]).to_pandas()


# ------------------------------------------------------------------------------ deals


def closed_sums(opps: ir.Table, groups: Groups, term_col: str | None) -> pd.DataFrame:
    """Per period × owner: deals closed (``close_date`` in the period), won, amounts, squares.

    ``closed_amt_n``/``closed_amt`` count and sum the closed deals that have an amount (win rate
    by value); ``won_amt_n``, ``won_amt``, ``won_sq`` the won ones; ``lost_sq`` the squared
    amounts of the lost ones; ``won_acv``/``won_acv_sq``/``won_acv_n`` the annual contract
    values of the won deals.
    """
    o = opps.mutate(**_indexes(opps.close_date, groups, date=True))
    o = o.filter(_in_any(o, groups, "close_date", date=True) & _flag(o, "is_closed"))
    o = _per_period(o, groups, opps)
    amt = _amount(o)
    acv = _acv(o, term_col)
    won = _flag(o, "is_won")
    has = amt.notnull()
    aggs = {
        "closed": o.count(),
        "won": _count(won),
        "closed_amt_n": _count(has),
        "closed_amt": _sum(has, amt),
        "won_amt_n": _count(won & has),
        "won_amt": _sum(won & has, amt),
        "won_sq": _sum(won & has, amt * amt),
        "lost_sq": _sum(~won & has, amt * amt),
        "won_acv_n": _count(won & acv.notnull()),
        "won_acv": _sum(won & acv.notnull(), acv),
        "won_acv_sq": _sum(won & acv.notnull(), acv * acv),
    }
    return (
        o.group_by(["pi", o.owner_id.cast("string").name("owner_id")]).aggregate(**aggs).to_pandas()
    )


def slip_counts(opps: ir.Table, history: ir.Table, groups: Groups) -> pd.DataFrame:
    """Per period: deals closed (``close_date`` in the period) that have an expected close date
    from when they were created (the ``close_date`` of their first ``opportunity_history`` row
    that has one: ``n``), and those closed on a later day (``slipped``)."""
    h = history.filter(history.close_date.notnull())
    h = h.mutate(
        oid=h.opportunity_id.cast("string"),
        rn=ibis.row_number().over(group_by=h.opportunity_id, order_by=[h.changed_at]),
    )
    first = h.filter(h.rn == 0).select(h.oid, exp0=h.close_date)
    o = opps.mutate(**_indexes(opps.close_date, groups, date=True))
    o = o.filter(_in_any(o, groups, "close_date", date=True) & _flag(o, "is_closed"))
    o = _per_period(o, groups, opps)
    o = o.select(o.pi, oid=o.opportunity_id.cast("string"), cd=o.close_date)
    j = o.join(first, o.oid == first.oid)
    return j.group_by("pi").aggregate(n=j.count(), slipped=_count(j.cd > j.exp0)).to_pandas()


def created_sums(opps: ir.Table, groups: Groups) -> pd.DataFrame:
    """Per period × owner: deals created in the period and their amount (pipeline created)."""
    o = opps.mutate(**_indexes(opps.created_at, groups))
    o = _per_period(o.filter(_in_any(o, groups, "created_at")), groups, opps)
    amt = _amount(o)
    return (
        o.group_by(["pi", o.owner_id.cast("string").name("owner_id")])
        .aggregate(
            created=o.count(),
            created_amt_n=_count(amt.notnull()),
            created_amt=_sum(amt.notnull(), amt),
        )
        .to_pandas()
    )


def cycle_counts(opps: ir.Table, groups: Groups, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per period × days × won: deals created in the period, by days from creation to won.

    Won deals (``close_date`` by ``as_of``) are events at ``close_date − created_at`` (days);
    open deals are censored at ``as_of``; lost deals are left out (they have no time to win).
    Negative durations are set to 0.
    """
    o = opps.mutate(**_indexes(opps.created_at, groups))
    o = _per_period(o.filter(_in_any(o, groups, "created_at")), groups, opps)
    as_of_d = pd.Timestamp(as_of).date()
    closed = _flag(o, "is_closed") & o.close_date.notnull() & (o.close_date <= as_of_d)
    won = closed & _flag(o, "is_won")
    o = o.filter(won | ~closed)
    closed = _flag(o, "is_closed") & o.close_date.notnull() & (o.close_date <= as_of_d)
    won = closed & _flag(o, "is_won")
    created_d = o.created_at.date()
    days = won.ifelse(
        o.close_date.delta(created_d, unit="day"),
        ibis.literal(as_of_d).delta(created_d, unit="day"),
    )
    e = o.select(pi=o.pi, won=won, days=(days < 0).ifelse(0, days).cast("int64"))
    return (
        e.group_by(["pi", "days", "won"])
        .aggregate(n=e.count())
        .order_by(["pi", "days"])
        .to_pandas()
    )


def pipeline_snapshots(
    opps: ir.Table,
    history: ir.Table | None,
    snaps: Sequence[tuple[int, pd.Timestamp, dt.date, dt.date]],
) -> pd.DataFrame:
    """Per snapshot × owner: deals open at the snapshot and those expected to close in a window.

    ``snaps`` holds ``(index, at, close_from, close_to)``. A deal is open at ``at`` when it was
    created before ``at`` and is not closed with a ``close_date`` before ``at``'s date. Its amount
    and expected close date are those of its last ``opportunity_history`` row at or before
    ``at`` (the deal's current values when it has none, or without history). ``open_amt`` sums
    every open deal; ``closing_amt`` those expected to close in ``[close_from, close_to]``.

    One query for every snapshot: the snapshots are a small table of literal rows, range-joined
    to the history rows that hold at them (:mod:`salesops_lib.data.deal_history`, the forecast's
    deal states: tied ``changed_at`` resolved in a fixed order, no null bound).
    """
    cols = ["owner_id", "open_n", "open_amt", "closing_n", "closing_amt", "pi"]
    if not snaps:  # no period start falls inside the data: no snapshot to take
        return pd.DataFrame(columns=cols)
    rows = [(i, pd.Timestamp(at), pd.Timestamp(at).date(), lo, hi) for i, at, lo, hi in snaps]
    snap = literal_rows(
        rows,
        {"pi": "int64", "s_at": "timestamp", "s_day": "date", "s_lo": "date", "s_hi": "date"},
        like=opps,
    )
    base = opps.select(
        oid=opps.opportunity_id.cast("string"),
        owner_id=opps.owner_id.cast("string"),
        created_at=opps.created_at,
        closed=_flag(opps, "is_closed"),
        cd_now=opps.close_date,
        amt_now=_amount(opps),
    )
    o = base.cross_join(snap)
    o = o.filter((o.created_at < o.s_at) & ~(o.closed & (o.cd_now < o.s_day)))
    if history is not None:
        times = [pd.Timestamp(at) for _, at, _, _ in snaps]
        # only the history of deals open at some snapshot (fewer rows to order by deal and time)
        alive = base.filter(
            (base.created_at < _ts(max(times)))
            & ~(base.closed & (base.cd_now < ibis.literal(min(times).date(), "date")))
        )
        history = history.filter(history.opportunity_id.cast("string").isin(alive.oid))
        states = history_intervals(history, max(times), since=min(times))
        hs = state_at(states, snap, "s_at")
        hs = hs.select(hpi=hs.pi, hid=hs.hid, h_amt=hs.h_amt, h_cd=hs.h_cd)
        o = o.left_join(hs, (o.oid == hs.hid) & (o.pi == hs.hpi))
        amt = o.h_amt.coalesce(o.amt_now)
        cd = o.h_cd.coalesce(o.cd_now)
    else:
        amt, cd = o.amt_now, o.cd_now
    closing = cd.notnull() & (cd >= o.s_lo) & (cd <= o.s_hi)
    a = amt.fill_null(0.0)
    out = o.group_by(["pi", "owner_id"]).aggregate(
        open_n=o.count(),
        open_amt=a.sum(),
        closing_n=_count(closing),
        closing_amt=_sum(closing, a),
    )
    return out.select(*cols).to_pandas()


def new_customers(
    opps: ir.Table, groups: Groups, as_of: pd.Timestamp, term_col: str | None
) -> pd.DataFrame:
    """Per period: accounts whose first won deal closed in the period (``customers``) and the
    annual contract value of their deals won that day (``acv``)."""
    as_of_d = pd.Timestamp(as_of).date()
    w = opps.filter(
        _flag(opps, "is_won")
        & opps.account_id.notnull()
        & opps.close_date.notnull()
        & (opps.close_date <= as_of_d)
    )
    w = w.mutate(aid=w.account_id.cast("string"), acv=_acv(w, term_col))
    first = w.group_by("aid").aggregate(first=w.close_date.min()).rename(faid="aid")
    j = w.join(first, (w.aid == first.faid) & (w.close_date == first.first))
    j = j.mutate(**_indexes(j.close_date, groups, date=True))
    j = _per_period(j.filter(_in_any(j, groups, "close_date", date=True)), groups, opps)
    return (
        j.group_by("pi")
        .aggregate(customers=j.aid.nunique(), acv=j.acv.fill_null(0.0).sum())
        .to_pandas()
    )


# ------------------------------------------------------------------------------ plans and spend


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


def spend_rows(spend: ir.Table, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Spend summed per line period and category over lines overlapping ``[start, end]``."""
    s = spend.filter((spend.period_start <= end) & (spend.period_end >= start))
    cat = (
        s.category.cast("string").strip().lower()
        if "category" in s.columns
        else ibis.null("string")
    )
    s = s.mutate(category=cat)
    out = (
        s.group_by(["period_start", "period_end", "category"])
        .aggregate(amount=s.amount.cast("float64").sum())
        .to_pandas()
    )
    for c in ("period_start", "period_end"):
        out[c] = pd.to_datetime(out[c]).dt.date
    return out
