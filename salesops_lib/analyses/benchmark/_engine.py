"""Engine queries for rep benchmarking (private to :mod:`salesops_lib.analyses.benchmark`).

Every function takes Ibis tables and the period, runs one group-by in the engine and returns a
small pandas frame keyed by ``owner_id`` (one row per rep, or per rep × duration / type). Nothing
here computes a statistic; the caller hands the counts to ``salesops_lib.stats``.

Period conventions (shared by every query):
- the period is ``[start, end]`` in calendar dates, both inclusive, cut at ``as_of``:
  ``end_eff = min(end, as_of.date())``;
- timestamps are compared against ``[start 00:00, end_eff + 1 day 00:00)`` and ``<= as_of``;
- a deal is *closed in the period* when ``is_closed`` and ``start <= close_date <= end_eff``;
- a deal is *open at as_of* when it was created by ``as_of`` and is not closed with a
  ``close_date`` on or before ``as_of``;
- a rep is *credited* only with what happened while employed: deals closed, deals created and
  activities logged on or after ``hired_at`` and on or before ``left_at`` (dates, inclusive;
  missing = no bound). Deals and activities of an owner outside that window are counted
  separately (``*_outside`` columns, ``credited = False`` rows) so the caller can report them,
  not credit them and not drop them silently.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import pandas as pd

from salesops_lib.data.period import Period
from salesops_lib.errors import DataValidationError

__all__ = [
    "activity_counts",
    "check_quota_overlaps",
    "cycle_counts",
    "deal_counts",
    "deal_counts_periods",
    "employment",
    "lead_counts",
    "open_pipeline",
    "quota_rows",
    "territory_accounts",
]

TERM_COLUMNS = ("contract_term_months", "term_months")


def _as_bool(col: ibis.Value) -> ibis.Value:
    return col.cast("boolean").fill_null(False)


def _amount(t: ibis.Table) -> ibis.Value:
    if "amount" in t.columns:
        return t.amount.cast("float64")
    return ibis.null().cast("float64")


def employment(reps: ibis.Table | None) -> ibis.Table | None:
    """``_emp_rep, _emp_hired, _emp_left`` (string, date, date) per rep; ``None`` without reps
    or without either date column."""
    if reps is None or not ({"hired_at", "left_at"} & set(reps.columns)):
        return None

    def _d(c: str) -> ibis.Value:
        return reps[c].cast("date") if c in reps.columns else ibis.null().cast("date")

    return reps.select(
        _emp_rep=reps.rep_id.cast("string"), _emp_hired=_d("hired_at"), _emp_left=_d("left_at")
    )


def _with_employment(t: ibis.Table, reps: ibis.Table | None) -> ibis.Table:
    """``t`` with the owner's ``_emp_hired``/``_emp_left`` (null when unknown: no bound)."""
    emp = employment(reps)
    if emp is None:
        return t.mutate(_emp_hired=ibis.null().cast("date"), _emp_left=ibis.null().cast("date"))
    j = t.left_join(emp, t.owner_id.cast("string") == emp._emp_rep)
    return j.drop("_emp_rep")


def _employed_on(t: ibis.Table, day: ibis.Value) -> ibis.Value:
    """The owner was employed on ``day`` (a date): ``hired_at <= day <= left_at``."""
    return (t._emp_hired.isnull() | (day >= t._emp_hired)) & (
        t._emp_left.isnull() | (day <= t._emp_left)
    )


def deal_counts(
    opps: ibis.Table, period: Period, *, reps: ibis.Table | None = None
) -> pd.DataFrame:
    """Per owner: deals closed / won / lost in the period, amounts, squared amounts, ACV and the
    deals created in the period (count and amount = pipeline generated).

    Amount coverage (so the caller can tell "no amount recorded" from "amount 0"):
    ``lost_with_amount`` (lost deals with an amount), ``created_not_won`` and
    ``created_not_won_with_amount`` (deals created in the period that are open or lost, and
    those of them with an amount). Some CRM exports record an amount only for won deals.

    With ``reps``, only deals closed (created) while the owner was employed are credited; the
    others are counted in ``closed_outside``, ``won_outside``, ``won_amount_outside``,
    ``closed_amount_outside``, ``first_outside``/``last_outside`` (close dates) and
    ``created_outside``.
    """
    return deal_counts_periods(opps, [period], reps=reps)[0]


def deal_counts_periods(
    opps: ibis.Table, periods: Sequence[Period], *, reps: ibis.Table | None = None
) -> list[pd.DataFrame]:
    """:func:`deal_counts` for several periods in one scan: one frame per period, in order.

    One group-by by owner with every period's aggregates side by side (the query has no
    filter, so each period's frame has the same owners as :func:`deal_counts` would give);
    the report's two periods (current and previous) then cost one scan of the opportunities.
    """
    o = _with_employment(opps, reps)
    aggs: dict[str, ibis.Value] = {}
    names: list[str] = []
    for i, period in enumerate(periods):
        one = _deal_aggs(o, period)
        names = list(one)
        aggs.update({f"{k}__p{i}": v for k, v in one.items()})
    out = o.group_by(owner_id=o.owner_id.cast("string")).aggregate(**aggs).to_pandas()
    return [
        out[["owner_id", *(f"{k}__p{i}" for k in names)]].rename(
            columns={f"{k}__p{i}": k for k in names}
        )
        for i in range(len(periods))
    ]


def _deal_aggs(o: ibis.Table, period: Period) -> dict[str, ibis.Value]:
    """The aggregates of :func:`deal_counts` for one period, on ``o`` with employment dates."""
    amt = _amount(o)
    amt0 = amt.fill_null(0.0)
    closed_any = _as_bool(o.is_closed) & period.date_in(o.close_date)
    emp_close = _employed_on(o, o.close_date)
    closed_in = closed_any & emp_close
    outside = closed_any & ~emp_close
    won = closed_in & _as_bool(o.is_won)
    lost = closed_in & ~_as_bool(o.is_won)
    created_any = period.ts_in(o.created_at)
    emp_create = _employed_on(o, o.created_at.date())
    created = created_any & emp_create
    term_col = next((c for c in TERM_COLUMNS if c in o.columns), None)
    if term_col is not None:
        term = o[term_col].cast("float64")
        has_term = term.notnull() & (term > 0)
        acv = has_term.ifelse(amt * 12.0 / term, amt)
    else:
        has_term = ibis.literal(False)
        acv = amt
    aggs = {
        "closed": closed_in.ifelse(1, 0).sum(),
        "won": won.ifelse(1, 0).sum(),
        "lost": lost.ifelse(1, 0).sum(),
        "closed_amount": closed_in.ifelse(amt0, 0.0).sum(),
        "won_amount": won.ifelse(amt0, 0.0).sum(),
        "won_with_amount": (won & amt.notnull()).ifelse(1, 0).sum(),
        "lost_with_amount": (lost & amt.notnull()).ifelse(1, 0).sum(),
        "won_sq": won.ifelse(amt0 * amt0, 0.0).sum(),
        "lost_sq": lost.ifelse(amt0 * amt0, 0.0).sum(),
        "won_acv": (won & acv.notnull()).ifelse(acv, 0.0).sum(),
        "won_with_term": (won & has_term).ifelse(1, 0).sum(),
        "opps_created": created.ifelse(1, 0).sum(),
        "pipeline_generated": created.ifelse(amt0, 0.0).sum(),
        "created_not_won": (created & ~_as_bool(o.is_won)).ifelse(1, 0).sum(),
        "created_not_won_with_amount": (created & ~_as_bool(o.is_won) & amt.notnull())
        .ifelse(1, 0)
        .sum(),
        "closed_outside": outside.ifelse(1, 0).sum(),
        "won_outside": (outside & _as_bool(o.is_won)).ifelse(1, 0).sum(),
        "won_amount_outside": (outside & _as_bool(o.is_won)).ifelse(amt0, 0.0).sum(),
        "closed_amount_outside": outside.ifelse(amt0, 0.0).sum(),
        "after_left_outside": (outside & o._emp_left.notnull() & (o.close_date > o._emp_left))
        .ifelse(1, 0)
        .sum(),
        "first_outside": outside.ifelse(o.close_date, ibis.null().cast("date")).min(),
        "last_outside": outside.ifelse(o.close_date, ibis.null().cast("date")).max(),
        "created_outside": (created_any & ~emp_create).ifelse(1, 0).sum(),
    }
    return aggs


def cycle_counts(
    opps: ibis.Table, period: Period, *, reps: ibis.Table | None = None
) -> pd.DataFrame:
    """Per owner × (duration in days, closed?): number of deals created in the period.

    Duration is ``close_date − created_at`` (days) for deals closed (won or lost) by ``as_of``
    (event), ``as_of − created_at`` for the others (censored). Negative durations are set to 0.
    With ``reps``, only deals created while the owner was employed count, and the owner's
    observation ends when they leave: a deal closed after ``left_at`` (or still open) is
    censored at ``min(as_of, left_at)``, so a deal nobody of ours closed is not credited.
    """
    o = _with_employment(opps, reps)
    o = o.filter(period.ts_in(o.created_at) & _employed_on(o, o.created_at.date()))
    as_of_date = period.as_of.date()
    end_obs = o._emp_left.isnull().ifelse(
        ibis.literal(as_of_date), ibis.least(o._emp_left, ibis.literal(as_of_date))
    )
    event = _as_bool(o.is_closed) & o.close_date.notnull() & (o.close_date <= end_obs)
    created_d = o.created_at.date()
    dur_event = o.close_date.delta(created_d, unit="day")
    dur_cens = end_obs.delta(created_d, unit="day")
    dur = event.ifelse(dur_event, dur_cens)
    dur = (dur < 0).ifelse(0, dur)
    e = o.mutate(owner_id=o.owner_id.cast("string"), duration=dur, event=event)
    return (
        e.group_by(["owner_id", "duration", "event"])
        .aggregate(n=e.count())
        .order_by(["owner_id", "duration"])
        .to_pandas()
    )


def activity_counts(
    acts: ibis.Table, period: Period, *, reps: ibis.Table | None = None
) -> pd.DataFrame:
    """Per owner × activity type (lower-cased) × ``credited``: activities that occurred in the
    period; ``credited`` is False for those logged while the owner was not employed."""
    a = _with_employment(acts.filter(period.ts_in(acts.occurred_at)), reps)
    a = a.mutate(
        owner_id=a.owner_id.cast("string"),
        type=a.type.cast("string").lower().strip(),
        credited=_employed_on(a, a.occurred_at.date()),
    )
    return a.group_by(["owner_id", "type", "credited"]).aggregate(n=a.count()).to_pandas()


def check_quota_overlaps(quotas: ibis.Table) -> None:
    """Raise :class:`DataValidationError` if one rep has quota periods that overlap."""
    q = quotas.mutate(_rid=ibis.row_number(), rep_id=quotas.rep_id.cast("string"))
    a = q.select(rep_id="rep_id", a_rid="_rid", a_start="period_start", a_end="period_end")
    b = q.select(b_rep="rep_id", b_rid="_rid", b_start="period_start", b_end="period_end")
    j = a.join(
        b,
        (a.rep_id == b.b_rep)
        & (a.a_rid < b.b_rid)
        & (a.a_start <= b.b_end)
        & (b.b_start <= a.a_end),
    )
    n = int(j.count().to_pandas())
    if n == 0:
        return
    ex = j.order_by(["rep_id", "a_start"]).limit(5).to_pandas()
    examples = [
        f"{r.rep_id}: {pd.Timestamp(r.a_start).date()}–{pd.Timestamp(r.a_end).date()} overlaps "
        f"{pd.Timestamp(r.b_start).date()}–{pd.Timestamp(r.b_end).date()}"
        for r in ex.itertuples()
    ]
    raise DataValidationError(
        table="quotas",
        column="period_start",
        rule="quota periods of one rep must not overlap (the rep's quota would be counted twice)",
        n_failing=n,
        examples=examples,
        fix="Keep one quota row per rep and period (e.g. drop the superseded row, or split the "
        "periods so they do not overlap) and run again.",
    )


def quota_rows(quotas: ibis.Table, period: Period) -> pd.DataFrame:
    """Quota rows that overlap ``[start, end]`` (the full period, not cut at ``as_of``)."""
    q = quotas.filter((quotas.period_start <= period.end) & (quotas.period_end >= period.start))
    q = q.select(
        rep_id=q.rep_id.cast("string"),
        period_start=q.period_start,
        period_end=q.period_end,
        amount=q.amount.cast("float64"),
    )
    out = q.to_pandas()
    for c in ("period_start", "period_end"):
        out[c] = pd.to_datetime(out[c]).dt.date
    return out


def lead_counts(leads: ibis.Table, period: Period) -> pd.DataFrame:
    """Per owner × lead territory: leads created in the period (territory may be missing)."""
    t = leads.filter(period.ts_in(leads.created_at))
    terr = t.territory.cast("string") if "territory" in t.columns else ibis.null().cast("string")
    owner = t.owner_id.cast("string") if "owner_id" in t.columns else ibis.null().cast("string")
    e = t.mutate(owner_id=owner, lead_territory=terr)
    return e.group_by(["owner_id", "lead_territory"]).aggregate(leads=e.count()).to_pandas()


def open_pipeline(opps: ibis.Table, period: Period) -> pd.DataFrame:
    """Per owner: deals open at ``as_of`` (count, amount, and how many have an amount)."""
    o = opps
    as_of_date = period.as_of.date()
    closed_by = _as_bool(o.is_closed) & o.close_date.notnull() & (o.close_date <= as_of_date)
    is_open = (o.created_at <= period.as_of.to_pydatetime()) & ~closed_by
    f = o.mutate(owner_id=o.owner_id.cast("string"), _amt=_amount(o).fill_null(0.0)).filter(is_open)
    return (
        f.group_by("owner_id")
        .aggregate(
            open_deals=f.count(),
            open_pipeline=f._amt.sum(),
            open_with_amount=_amount(f).notnull().ifelse(1, 0).sum(),
        )
        .to_pandas()
    )


def territory_accounts(accounts: ibis.Table) -> pd.DataFrame:
    """Accounts per territory (accounts without a territory are counted as missing)."""
    a = accounts.mutate(territory=accounts.territory.cast("string"))
    return a.group_by("territory").aggregate(accounts=a.count()).to_pandas()
