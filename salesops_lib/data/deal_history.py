"""A deal's state at any past time, from ``opportunity_history``: one building block for every
analysis that rebuilds the pipeline as it was (the forecast's snapshots, the KPI scorecard's
open pipeline).

Each history row holds from its ``changed_at`` until the next row of the same deal
(:func:`history_intervals`); the state of a deal at a time ``s`` is the row with
``changed_at <= s < until``. Two rules make that a sound and fast join:

- **A total order within a deal.** Rows of a deal with the same ``changed_at`` are ordered by
  ``stage``, ``amount`` and ``close_date`` too, so "the next row" (and thus which of the tied
  rows holds at ``s``: the last in that order) does not depend on the engine's row order.
- **No null bound.** The last row of a deal holds until a time after ``as_of`` (instead of a
  null ``until``), so ``changed_at <= s < until`` is a plain range condition, without an
  ``OR until IS NULL`` that keeps the engine from running it as a range join.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

__all__ = ["HISTORY_INTERVAL_COLUMNS", "history_intervals", "state_at"]

#: The columns of :func:`history_intervals`.
HISTORY_INTERVAL_COLUMNS = ("hid", "changed_at", "until", "stage", "h_amt", "h_cd")


def history_intervals(
    history: ir.Table, as_of: pd.Timestamp, *, since: pd.Timestamp | None = None
) -> ir.Table:
    """One row per ``opportunity_history`` row at or before ``as_of``, with the time it holds
    until.

    Parameters
    ----------
    history
        The ``opportunity_history`` table (``opportunity_id``, ``changed_at``, ``stage``;
        ``amount`` and ``close_date`` optional: null when absent).
    as_of
        The latest time the result is read at (naive UTC); later rows are left out.
    since
        The earliest time the result is read at, if known: rows that end at or before it
        (``until <= since``) hold at no such time and are left out (fewer rows to join).

    Returns
    -------
    ibis.expr.types.Table
        Columns ``hid`` (the opportunity id as a string), ``changed_at``, ``until`` (the next
        row's ``changed_at`` in the order ``changed_at, stage, amount, close_date``; for the
        deal's last row ``as_of`` plus one day), ``stage``, ``h_amt`` (amount, float) and
        ``h_cd`` (expected close date). The row that holds at a time ``s <= as_of`` is the one
        with ``changed_at <= s < until`` (at most one per deal: a row tied with the next one on
        ``changed_at`` holds at no time).
    """
    h = history.select(
        hid=history.opportunity_id.cast("string"),
        changed_at=history.changed_at,
        stage=history.stage.cast("string") if "stage" in history.columns else ibis.null("string"),
        h_amt=history.amount.cast("float64")
        if "amount" in history.columns
        else ibis.null("float64"),
        h_cd=history.close_date if "close_date" in history.columns else ibis.null("date"),
    )
    h = h.filter(h.changed_at <= _ts(as_of))
    order = [h.changed_at, h.stage, h.h_amt, h.h_cd]
    nxt = h.changed_at.lead().over(group_by=h.hid, order_by=order)
    after = _ts(pd.Timestamp(as_of) + pd.Timedelta(days=1))
    h = h.mutate(until=nxt.fill_null(after)).select(*HISTORY_INTERVAL_COLUMNS)
    return h if since is None else h.filter(h.until > _ts(since))


def state_at(intervals: ir.Table, times: ir.Table, at: str) -> ir.Table:
    """Join each row of ``times`` with the history row of every deal that holds at its time.

    Parameters
    ----------
    intervals
        :func:`history_intervals`, built with an ``as_of`` at or after every time in ``times``.
    times
        A (small) table of snapshot times.
    at
        The name of the timestamp column of ``times``.

    Returns
    -------
    ibis.expr.types.Table
        The inner join of ``times`` and ``intervals`` on ``changed_at <= at < until``: one
        row per time × deal with a history row at or before it.
    """
    t = times[at]
    return times.join(intervals, (intervals.changed_at <= t) & (intervals.until > t))


def _ts(value: pd.Timestamp) -> ir.Value:
    return ibis.literal(pd.Timestamp(value).to_pydatetime())
