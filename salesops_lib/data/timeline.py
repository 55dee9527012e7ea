"""Rules on time that one table alone cannot check: events in the future, history before birth.

Two rules, each run in the engine (only counts and at most five example rows come back):

- **No event in the future.** A timestamp later than the load time (the wall clock, UTC) plus
  :data:`FUTURE_TOLERANCE` cannot be a recorded event: a lead "created" in 2099 is a typo or a
  placeholder. It is an error naming the table and column (:func:`check_future`), and the
  default ``as_of`` (:meth:`~salesops_lib.data.sources.Source.last_record`) ignores such rows
  and logs them instead of moving every default period into the future
  (:func:`future_cutoff`). Planning columns are exempt (:data:`FUTURE_EXEMPT`: a rep's start
  or leaving date may be planned); dates (an open deal's expected close, quota and spend
  periods) are never events.
- **History not before its entity.** A status change of a lead (``lead_history.changed_at``)
  or a stage change of a deal (``opportunity_history.changed_at``) earlier than the entity's
  ``created_at`` minus :data:`HISTORY_TOLERANCE` is impossible; such rows silently distort
  stage-to-stage conversion (a lead's MQL dated 400 days before the lead counts in the wrong
  cohort). It is an error naming the history table and column (:func:`check_history_order`).
  The tolerance absorbs exports that date the creation event and the first status a few hours
  apart, or in different time zones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from salesops_lib.errors import DataValidationError

__all__ = [
    "FUTURE_EXEMPT",
    "FUTURE_TOLERANCE",
    "HISTORY_OF",
    "HISTORY_TOLERANCE",
    "check_future",
    "check_history_order",
    "future_cutoff",
]

#: How far after the load time (wall clock, UTC) a timestamp may lie: clocks and time zones of
#: source systems disagree by hours, never by more than a day.
FUTURE_TOLERANCE = pd.Timedelta(days=1)

#: How far before its entity's ``created_at`` a history row may lie (time zones, and exports that
#: date the first status from a form fill a little before the CRM record).
HISTORY_TOLERANCE = pd.Timedelta(days=1)

#: Timestamp columns that may lie in the future (planned, not recorded): ``(table, column)``.
FUTURE_EXEMPT: frozenset[tuple[str, str]] = frozenset({("reps", "hired_at"), ("reps", "left_at")})

#: History table -> (entity table, id column, event column).
HISTORY_OF: dict[str, tuple[str, str, str]] = {
    "lead_history": ("leads", "lead_id", "changed_at"),
    "opportunity_history": ("opportunities", "opportunity_id", "changed_at"),
}


_NOUN = {"leads": "lead", "opportunities": "deal"}


def future_cutoff(now: Any = None) -> pd.Timestamp:
    """The latest believable event time: the load time (default: now, UTC) + the tolerance.

    Parameters
    ----------
    now
        The load time (naive UTC); default: the wall clock.

    Returns
    -------
    pandas.Timestamp
        Naive UTC.
    """
    ts = pd.Timestamp.now(tz="UTC").tz_localize(None) if now is None else pd.Timestamp(now)
    return (ts + FUTURE_TOLERANCE).floor("s")


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or pd.isna(value):
        return "null"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return pd.Timestamp(value).isoformat(sep=" ")
    return str(value)


def _count_and_examples(
    table: ir.Table, condition: ir.BooleanValue, show: list[str]
) -> tuple[int, list[str]]:
    n = table.aggregate(n=condition.ifelse(1, 0).sum()).execute()["n"].iloc[0]
    n = 0 if n is None or n != n else int(n)
    if n == 0:
        return 0, []
    rows = table.filter(condition).select(*show).order_by(show).limit(5).execute()
    examples = [
        " / ".join(
            f"{c}={_fmt(v)}" if i else _fmt(v) for i, (c, v) in enumerate(zip(show, r, strict=True))
        )
        for r in rows.itertuples(index=False)
    ]
    return n, examples


def check_future(name: str, table: ir.Table, key: str | None, *, now: Any = None) -> None:
    """Raise if an event column of validated table ``name`` holds a time after the load time.

    Parameters
    ----------
    name
        Canonical table name.
    table
        The validated table (canonical types: timestamps are naive UTC).
    key
        The id column shown with each offending row (``None``: only the value is shown).
    now
        The load time (default: now, UTC); :data:`FUTURE_TOLERANCE` is added.

    Raises
    ------
    DataValidationError
        For the first column with such rows, naming the table, the column, the count, the
        first offending ids and values, and the cut-off used.
    """
    cutoff = future_cutoff(now)
    cols = [
        c
        for c in table.columns
        if table[c].type().is_timestamp() and (name, c) not in FUTURE_EXEMPT
    ]
    for col in cols:
        cond = (table[col] > ibis.literal(cutoff.to_pydatetime())).fill_null(False)
        show = [key, col] if key and key in table.columns and key != col else [col]
        n, examples = _count_and_examples(table, cond, show)
        if n:
            raise DataValidationError(
                table=name,
                column=col,
                rule=f"{col} lies in the future (after {cutoff:%Y-%m-%d %H:%M}, the load time "
                f"plus {FUTURE_TOLERANCE.days} day); an event cannot have happened yet",
                n_failing=n,
                examples=examples,
                fix=f"correct `{col}` of those rows in the source (placeholder dates such as "
                "2099-12-31 and swapped day/month or years are typical causes), or drop the "
                "rows; the data's as-of time ignores them",
            )


def check_history_order(
    name: str, history: ir.Table, entity: ir.Table, *, tolerance: pd.Timedelta | None = None
) -> None:
    """Raise if a history row of ``name`` lies before its entity's ``created_at`` (minus tolerance).

    Parameters
    ----------
    name
        ``"lead_history"`` or ``"opportunity_history"`` (a key of :data:`HISTORY_OF`).
    history, entity
        The validated history table and its entity table (``leads`` / ``opportunities``).
    tolerance
        Default :data:`HISTORY_TOLERANCE`.

    Raises
    ------
    DataValidationError
        Naming the history table and its event column, the count, and the first offending ids
        with both times.
    """
    parent, id_col, event = HISTORY_OF[name]
    tol = HISTORY_TOLERANCE if tolerance is None else tolerance
    if not all(c in history.columns for c in (id_col, event)):
        return
    if not all(c in entity.columns for c in (id_col, "created_at")):
        return
    ent = entity.select(__eid=entity[id_col], __created=entity["created_at"])
    joined = history.inner_join(ent, history[id_col] == ent["__eid"])
    lag = ibis.interval(seconds=int(tol.total_seconds()))
    view = joined.select(
        joined[id_col], joined[event], joined["__created"].name(f"{parent}.created_at")
    )
    cond = (view[event] < view[f"{parent}.created_at"] - lag).fill_null(False)
    n, examples = _count_and_examples(view, cond, [id_col, event, f"{parent}.created_at"])
    if n:
        hours = tol.total_seconds() / 3600
        raise DataValidationError(
            table=name,
            column=event,
            rule=f"{event} lies before the {_NOUN[parent]}'s creation ({parent}.created_at) by "
            "more than "
            f"{hours / 24:g} day{'s' if hours != 24 else ''}; a change cannot precede the record",
            n_failing=n,
            examples=examples,
            fix=f"check the time zones and the date format of `{name}.{event}` and "
            f"`{parent}.created_at`; if the {parent} were re-created (merged or re-imported), "
            f"use the original creation time, or drop the history rows from before it",
        )
