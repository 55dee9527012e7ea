"""Dates and periods: the one reading of ``as_of`` and the one :class:`Period` every analysis uses.

Semantics (the same in the library, in report params, for a path and for an open source):

- ``as_of`` is a point in time, naive UTC. A bare date means the *end* of that day
  (``"2025-12-31"`` → ``2025-12-31 23:59:59``), so "as of 31 Dec" includes 31 Dec.
  Tz-aware values are converted to UTC.
- A :class:`Period` is a closed range of calendar dates ``[start, end]``; ``ts_end`` is the
  exclusive midnight after ``end``. When it carries an ``as_of``, its effective end is cut there.

>>> parse_as_of("2025-12-31")
Timestamp('2025-12-31 23:59:59')
>>> Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30)).label
'Q2 2026'
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from salesops_lib.errors import ParamsError

__all__ = [
    "CLOCK_ENV",
    "GRAINS",
    "RELATIVE_AS_OF",
    "Period",
    "clock_now",
    "coming_period",
    "default_quarter",
    "is_latest",
    "last_full_period",
    "parse_as_of",
    "relative_as_of",
    "resolve_period",
    "to_date",
    "trailing_quarters",
]

_END_OF_DAY = pd.Timedelta(hours=23, minutes=59, seconds=59)
#: Environment variable that freezes the clock (ISO time, UTC unless it says otherwise): for
#: tests, re-runs of a missed schedule ("run it as if it were Monday 06:00") and the docs.
CLOCK_ENV = "SALESOPS_NOW"
#: ``as_of`` words: ``latest`` (the data's last record), ``today``, ``yesterday`` (end of day).
RELATIVE_AS_OF = ("latest", "today", "yesterday")


def clock_now() -> pd.Timestamp:
    """Now, naive UTC; ``SALESOPS_NOW`` (an ISO time) overrides the system clock.

    Returns
    -------
    pandas.Timestamp

    Raises
    ------
    ParamsError
        When ``SALESOPS_NOW`` is set but is not a time.
    """
    frozen = os.environ.get(CLOCK_ENV)
    if frozen:
        try:
            ts = pd.Timestamp(frozen)
        except (ValueError, TypeError):
            ts = pd.NaT
        if ts is pd.NaT:
            raise ParamsError(
                CLOCK_ENV,
                f"{frozen!r} is not a time",
                expected="an ISO time such as 2026-12-01T06:00Z",
                fix=f"Unset {CLOCK_ENV} to use the system clock.",
            )
        return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts
    return pd.Timestamp.now(tz="UTC").tz_localize(None)


def relative_as_of(word: str, *, now: pd.Timestamp | None = None) -> pd.Timestamp | None:
    """Resolve an ``as_of`` word.

    Parameters
    ----------
    word
        ``"latest"`` (returns ``None``: the data's last record decides), ``"today"`` or
        ``"yesterday"`` (the end of that day, 23:59:59).
    now
        The clock reading (default :func:`clock_now`).

    Returns
    -------
    pandas.Timestamp or None

    Raises
    ------
    ParamsError
        For any other word.
    """
    key = word.strip().lower()
    if key == "latest":
        return None
    if key not in ("today", "yesterday"):
        raise ParamsError(
            "as_of",
            f"{word!r} is not a date or a relative date",
            expected="a date such as 2026-06-30, or one of " + ", ".join(RELATIVE_AS_OF),
        )
    day = (now if now is not None else clock_now()).normalize()
    if key == "yesterday":
        day -= pd.Timedelta(days=1)
    return day + _END_OF_DAY


def is_latest(value: Any) -> bool:
    """``True`` for the word ``"latest"`` (any case): an ``as_of`` that means "the data's last
    record"."""
    return isinstance(value, str) and value.strip().lower() == "latest"


def _is_bare_date(value: Any) -> bool:
    if isinstance(value, dt.datetime | pd.Timestamp):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and len(value.strip()) == 10


def parse_as_of(value: Any, *, param: str = "as_of") -> pd.Timestamp:
    """Read an as-of value as a naive UTC timestamp.

    Parameters
    ----------
    value
        A ``datetime``/``Timestamp`` (tz-aware values are converted to UTC), a ``date`` or an ISO
        string. A bare date (``date`` or ``"YYYY-MM-DD"``) means the end of that day, 23:59:59.
        ``"today"`` and ``"yesterday"`` are the end of that UTC day by :func:`clock_now`
        (``"latest"`` is the data's last record: callers map it to ``None``, see :func:`is_latest`).
    param
        The parameter named in the error message.

    Returns
    -------
    pandas.Timestamp
        Naive UTC.

    Raises
    ------
    ParamsError
        When ``value`` is not a date or time.
    """
    if isinstance(value, str) and value.strip().isalpha() and not is_latest(value):
        return relative_as_of(value)  # type: ignore[return-value]  # pandas would read "tomorrow"
    if is_latest(value):
        raise ParamsError(
            param,
            "'latest' is the data's last record, which only the data can tell",
            fix=f"leave {param} empty (None): that is the latest timestamp in the data",
        )
    if isinstance(value, bool) or not isinstance(value, str | dt.date | pd.Timestamp):
        raise ParamsError(
            param,
            f"{value!r} is not a date or time",
            expected="a date/time such as '2025-06-30' or '2025-06-30 23:59:59', or None",
            fix=f"write {param} as an ISO date (YYYY-MM-DD), optionally with a time",
        )
    try:
        ts = pd.Timestamp(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError):
        raise ParamsError(
            param,
            f"cannot read {value!r} as a date or time",
            expected="an ISO date/time such as '2025-06-30' or '2025-06-30T23:59:59Z'",
            fix=f"write {param} as YYYY-MM-DD (optionally with a time), or leave it empty to use "
            "the latest timestamp in the data",
        ) from None
    if ts is pd.NaT:
        raise ParamsError(param, f"{value!r} is not a date or time", fix="give a real date")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if _is_bare_date(value):
        ts = ts.normalize() + _END_OF_DAY
    return ts


def to_date(value: Any, param: str) -> dt.date:
    """Read a calendar date (``date``, ``datetime``, ISO string) or raise a ``ParamsError``."""
    if isinstance(value, bool) or value is None:
        raise ParamsError(param, f"got {value!r}", expected="a date such as 2026-06-30")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParamsError(
            param, f"cannot read {value!r} as a date", expected="a date such as 2026-06-30"
        ) from None
    if ts is pd.NaT:
        raise ParamsError(param, f"{value!r} is not a date", expected="a date such as 2026-06-30")
    return ts.date()


@dataclass(frozen=True)
class Period:
    """A closed range of calendar dates ``[start, end]``, optionally cut at ``as_of``.

    Attributes
    ----------
    start, end
        First and last calendar day (inclusive).
    as_of
        The data's cut-off (naive UTC) or ``None``. Events after it are never counted; the
        effective end :attr:`end_eff` is ``min(end, as_of.date())``.
    """

    start: dt.date
    end: dt.date
    as_of: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ParamsError(
                "period_end",
                f"{self.end} is before period_start {self.start}",
                expected="period_end on or after period_start",
            )

    # ---------------------------------------------------------------- bounds
    @property
    def ts_start(self) -> pd.Timestamp:
        """Midnight at the start of ``start``."""
        return pd.Timestamp(self.start)

    @property
    def ts_end(self) -> pd.Timestamp:
        """Exclusive end: midnight after ``end`` (ignores ``as_of``)."""
        return pd.Timestamp(self.end) + pd.Timedelta(days=1)

    @property
    def end_eff(self) -> dt.date:
        """The last day counted: ``end``, or the as-of date when the period is still running."""
        if self.as_of is None:
            return self.end
        return min(self.end, pd.Timestamp(self.as_of).date())

    @property
    def ts_end_eff(self) -> pd.Timestamp:
        """Exclusive effective end: midnight after :attr:`end_eff`."""
        return pd.Timestamp(self.end_eff) + pd.Timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of calendar days in ``[start, end]``."""
        return (self.end - self.start).days + 1

    @property
    def is_partial(self) -> bool:
        """Whether ``as_of`` falls before the end of the period."""
        return self.as_of is not None and pd.Timestamp(self.as_of) < self.ts_end - pd.Timedelta(
            seconds=1
        )

    def ts_in(self, col: Any) -> Any:
        """Ibis predicate: timestamp ``col`` lies in the period and not after ``as_of``."""
        cond = (col >= self.ts_start.to_pydatetime()) & (col < self.ts_end_eff.to_pydatetime())
        if self.as_of is not None:
            cond = cond & (col <= pd.Timestamp(self.as_of).to_pydatetime())
        return cond

    def date_in(self, col: Any) -> Any:
        """Ibis predicate: date ``col`` lies in ``[start, end_eff]``."""
        return (col >= self.start) & (col <= self.end_eff)

    # ---------------------------------------------------------------- naming
    def _months(self) -> int | None:
        """Length in whole calendar months when the period is month-aligned, else ``None``."""
        s, e = self.ts_start, self.ts_end
        if s.day != 1 or e.day != 1:
            return None
        return (e.year - s.year) * 12 + e.month - s.month

    @property
    def label(self) -> str:
        """``"Q2 2026"``, ``"May 2026"``, ``"2026"``, ``"Oct 2025 – Sep 2026"`` or
        ``"1 Apr 2026 – 15 May 2026"``."""
        m = self._months()
        s = self.ts_start
        if m == 3 and s.month in (1, 4, 7, 10):
            return f"Q{(s.month - 1) // 3 + 1} {s.year}"
        if m == 1:
            return s.strftime("%b %Y")
        if m == 12 and s.month == 1:
            return str(s.year)
        e = pd.Timestamp(self.end)
        if m:
            return f"{s:%b %Y} – {e:%b %Y}"
        return f"{s.day} {s:%b %Y} – {e.day} {e:%b %Y}"

    def __str__(self) -> str:
        return self.label

    # ---------------------------------------------------------------- neighbours
    def previous(self) -> Period:
        """The period of the same length just before (same number of months if month-aligned).

        A period cut at ``as_of`` is compared with the same stretch before it: the previous
        period's ``as_of`` moves back by the same amount.
        """
        m = self._months()
        if m:
            start = (self.ts_start - pd.DateOffset(months=m)).date()
        else:
            start = self.start - dt.timedelta(days=self.days)
        end = self.start - dt.timedelta(days=1)
        as_of = None
        if self.as_of is not None:
            # the same time into the period (a complete period maps to the whole previous one)
            full = pd.Timestamp(end) + _END_OF_DAY
            if self.is_partial:
                elapsed = pd.Timestamp(self.as_of) - self.ts_start
                as_of = min(pd.Timestamp(start) + elapsed, full)
            else:
                as_of = full
        return Period(start, end, as_of)

    def same_period_last_year(self) -> Period:
        """The same calendar dates one year earlier (29 Feb becomes 28 Feb)."""
        start = (self.ts_start - pd.DateOffset(years=1)).date()
        end = (pd.Timestamp(self.end) - pd.DateOffset(years=1)).date()
        as_of = None if self.as_of is None else pd.Timestamp(self.as_of) - pd.DateOffset(years=1)
        return Period(start, end, as_of)

    def with_as_of(self, as_of: Any) -> Period:
        """The same dates cut at another ``as_of`` (``None`` removes the cut)."""
        return replace(self, as_of=None if as_of is None else parse_as_of(as_of))

    def to_dict(self) -> dict[str, Any]:
        """``{"start", "end", "label"}`` for the common JSON header (ISO dates)."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def default_quarter(as_of: Any, *, window_days: int = 0) -> Period:
    """The last full calendar quarter before ``as_of`` whose window of ``window_days`` has elapsed.

    That is the latest quarter with ``quarter end + window_days <= as_of``, so its cohort can be
    judged; when none of the last 12 qualifies, the last full quarter.
    """
    t = parse_as_of(as_of) if not isinstance(as_of, pd.Timestamp) else as_of
    q = pd.Period(t, freq="Q")
    for _ in range(12):
        q = q - 1
        end_excl = q.end_time.normalize() + pd.Timedelta(days=1)
        if end_excl + pd.Timedelta(days=window_days) <= t + pd.Timedelta(seconds=1):
            return Period(q.start_time.date(), q.end_time.date())
    q = pd.Period(t, freq="Q") - 1
    return Period(q.start_time.date(), q.end_time.date())


#: Calendar grains of a default period and their pandas frequency (weeks run Monday–Sunday).
GRAINS: dict[str, str] = {"week": "W-SUN", "month": "M", "quarter": "Q"}


def _grain_after(as_of: Any, grain: str, grains: Sequence[str]) -> pd.Period:
    """The pandas period of ``grain`` holding the day after the as-of date."""
    if grain not in grains or grain not in GRAINS:
        quoted = [f"'{g}'" for g in grains]
        expected = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        raise ParamsError("grain", f"got {grain!r}", expected=expected)
    day_after = parse_as_of(as_of).normalize() + pd.Timedelta(days=1)
    return pd.Period(day_after, freq=GRAINS[grain])


def last_full_period(as_of: Any, grain: str, *, grains: Sequence[str] = tuple(GRAINS)) -> Period:
    """The last full calendar week (Monday–Sunday), month or quarter ending on or before the
    as-of date: what a scorecard reports by default.

    The as-of day counts as complete (the data ends then), so an as-of on a period's last day
    gives that period.

    Parameters
    ----------
    as_of
        The data's cut-off (anything :func:`parse_as_of` reads).
    grain
        ``"week"``, ``"month"`` or ``"quarter"``.
    grains
        The grains the caller accepts (a ``ParamsError`` names them otherwise).

    Returns
    -------
    Period
        Whole calendar period, without ``as_of``.

    Examples
    --------
    >>> last_full_period("2026-03-31", "month").label, last_full_period("2026-03-30", "month").label
    ('Mar 2026', 'Feb 2026')
    """
    p = _grain_after(as_of, grain, grains) - 1
    return Period(p.start_time.date(), p.end_time.date())


def coming_period(as_of: Any, grain: str, *, grains: Sequence[str] = tuple(GRAINS)) -> Period:
    """The calendar week, month or quarter still to come at the as-of date: the one holding the
    day after it. What a forecast predicts by default.

    An as-of on a period's last day gives the next period; any other day, its own (still
    running) period.

    Parameters
    ----------
    as_of
        The data's cut-off (anything :func:`parse_as_of` reads).
    grain
        ``"week"``, ``"month"`` or ``"quarter"``.
    grains
        The grains the caller accepts (a ``ParamsError`` names them otherwise).

    Returns
    -------
    Period
        Whole calendar period, without ``as_of``.

    Examples
    --------
    >>> coming_period("2026-06-30", "quarter").label, coming_period("2026-06-15", "quarter").label
    ('Q3 2026', 'Q2 2026')
    """
    p = _grain_after(as_of, grain, grains)
    return Period(p.start_time.date(), p.end_time.date())


def trailing_quarters(as_of: Any, n: int = 4) -> Period:
    """``n`` calendar quarters ending with the quarter of ``as_of``, cut at ``as_of``."""
    t = parse_as_of(as_of) if not isinstance(as_of, pd.Timestamp) else as_of
    q_start = t.to_period("Q").start_time
    start = (q_start - pd.DateOffset(months=3 * (n - 1))).date()
    end = (t.to_period("Q").end_time).date()
    return Period(start, end, t)


def resolve_period(
    period: Any,
    *,
    as_of: pd.Timestamp | None = None,
    default: Period | None = None,
    start_param: str = "period_start",
    end_param: str = "period_end",
) -> Period:
    """Read a period given as ``None``, a :class:`Period`, ``(start, end)`` or a pandas period
    string (``"2026Q2"``, ``"2026-05"``, ``"2026"``), cut at ``as_of``.

    ``None`` returns ``default`` (required then). ``(start, None)`` ends at the as-of date and
    ``(None, end)`` takes ``default``'s start.
    """
    if period is None:
        if default is None:
            raise ParamsError(
                start_param, "no period given", expected="period_start and period_end"
            )
        p = default
    elif isinstance(period, Period):
        p = period
    elif isinstance(period, str):
        try:
            pp = pd.Period(period)
        except (ValueError, TypeError):
            raise ParamsError(
                "period", f"cannot read {period!r}", expected="'2026Q2', '2026-05' or (start, end)"
            ) from None
        p = Period(pp.start_time.date(), pp.end_time.date())
    elif isinstance(period, Sequence) and len(period) == 2:
        s, e = period
        if s is None and e is None:
            return resolve_period(None, as_of=as_of, default=default)
        if s is None:
            if default is None:
                raise ParamsError(start_param, "missing", expected="a date such as 2026-04-01")
            s = default.start
        if e is None:
            if as_of is None and default is None:
                raise ParamsError(end_param, "missing", expected="a date such as 2026-06-30")
            e = pd.Timestamp(as_of).date() if as_of is not None else default.end  # type: ignore[union-attr]
        p = Period(to_date(s, start_param), to_date(e, end_param))
    else:
        raise ParamsError(
            "period", f"got {period!r}", expected="None, '2026Q2', or (period_start, period_end)"
        )
    if as_of is not None:
        p = replace(p, as_of=pd.Timestamp(as_of))
    return p
