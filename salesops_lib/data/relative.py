"""Relative dates for scheduled reports: ``as_of: yesterday``, ``period: last_full_quarter``.

A params file that a scheduler runs every week cannot pin its dates. These rules are resolved
once per run, before any kernel starts, against one reading of the clock (:func:`clock_now`):

``as_of``
    ``latest`` (the last record in the data, as when ``as_of`` is left out), ``today`` or
    ``yesterday`` (the end of that UTC day).
``period``
    ``last_full_month``, ``last_full_quarter``, ``last_full_year`` (the latest one that ended on
    or before ``as_of``), ``month_to_date``, ``quarter_to_date``, ``year_to_date`` (from the start
    of the one holding ``as_of`` to ``as_of``'s day), ``last_n_days: N`` or ``last_N_days``
    (the ``N`` days ending on ``as_of``'s day); for forecasts, ``current_month``,
    ``current_quarter``, ``current_year``, ``next_month``, ``next_quarter``, ``next_year``.

>>> t = pd.Timestamp("2026-11-30 23:59:59")
>>> relative_period("last_full_quarter", t).label
'Q3 2026'
>>> relative_period("quarter_to_date", t).label
'Oct 2026 – Nov 2026'
>>> relative_period({"last_n_days": 90}, t).start
datetime.date(2026, 9, 2)
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from salesops_lib.data.period import CLOCK_ENV, RELATIVE_AS_OF, Period, clock_now, relative_as_of
from salesops_lib.errors import ParamsError

__all__ = [
    "CLOCK_ENV",
    "PERIOD_RULES",
    "RELATIVE_AS_OF",
    "clock_now",
    "relative_as_of",
    "relative_period",
]

#: ``period`` words (and ``last_n_days: N`` / ``last_N_days``).
PERIOD_RULES = (
    "last_full_month",
    "last_full_quarter",
    "last_full_year",
    "month_to_date",
    "quarter_to_date",
    "year_to_date",
    "last_n_days",
    "current_month",
    "current_quarter",
    "current_year",
    "next_month",
    "next_quarter",
    "next_year",
)
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_LAST_N = re.compile(r"^last_(\d+)_days$")
_END_OF_DAY = pd.Timedelta(hours=23, minutes=59, seconds=59)


def _rule_error(rule: Any) -> ParamsError:
    return ParamsError(
        "period",
        f"{rule!r} is not a period rule",
        expected=", ".join(r for r in PERIOD_RULES if r != "last_n_days")
        + ", or `last_n_days: 90`",
        fix="Or leave `period` out and give period_start and period_end.",
    )


def relative_period(rule: Any, as_of: pd.Timestamp) -> Period:
    """The calendar dates a period rule means at ``as_of``.

    Parameters
    ----------
    rule
        A word of :data:`PERIOD_RULES`, ``"last_N_days"``, or ``{"last_n_days": N}``.
        ``current_*``/``next_*`` are whole calendar units (a forecast's period lies ahead).
    as_of
        The resolved as-of time (naive UTC). A calendar unit is *full* when its last day ended on
        or before ``as_of`` (so ``as_of`` 30 Sep 23:59:59 makes Q3 the last full quarter).

    Returns
    -------
    Period
        Without an as-of cut (the analysis applies its own).

    Raises
    ------
    ParamsError
        An unknown rule, or ``N`` not a whole number of days from 1 to 3,660.
    """
    t = pd.Timestamp(as_of)
    day = t.normalize()
    n_days = None
    if isinstance(rule, dict):
        if set(rule) != {"last_n_days"}:
            raise _rule_error(rule)
        n_days = rule["last_n_days"]
    elif isinstance(rule, str) and _LAST_N.match(rule.strip().lower()):
        n_days = int(_LAST_N.match(rule.strip().lower()).group(1))  # type: ignore[union-attr]
    elif not isinstance(rule, str):
        raise _rule_error(rule)
    if n_days is not None:
        if isinstance(n_days, bool) or not isinstance(n_days, int) or not 1 <= n_days <= 3660:
            raise ParamsError(
                "period",
                f"last_n_days is {n_days!r}",
                expected="a whole number of days from 1 to 3660, e.g. `last_n_days: 90`",
            )
        return Period((day - pd.Timedelta(days=n_days - 1)).date(), day.date())
    key = rule.strip().lower()
    unit = key.removesuffix("_to_date")
    if unit != key and unit in _FREQ:
        start = pd.Period(day, freq=_FREQ[unit]).start_time
        return Period(start.date(), day.date())
    for prefix, shift in (("current_", 0), ("next_", 1)):
        if key.startswith(prefix) and key.removeprefix(prefix) in _FREQ:
            p = pd.Period(day, freq=_FREQ[key.removeprefix(prefix)]) + shift
            return Period(p.start_time.date(), p.end_time.date())
    if key.startswith("last_full_") and key[len("last_full_") :] in _FREQ:
        p = pd.Period(day, freq=_FREQ[key[len("last_full_") :]])
        if p.end_time.normalize() + _END_OF_DAY > t:  # the unit holding as_of has not ended
            p -= 1
        return Period(p.start_time.date(), p.end_time.date())
    raise _rule_error(rule)
