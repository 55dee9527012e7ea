"""Reading and checking the funnel's options, and opening its engine (private).

Every check raises the :class:`~salesops_lib.errors.ParamsError` that names the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import resolve_source
from salesops_lib.analyses.funnel._engine import (
    DEFAULT_LEAD_STAGES,
    DEFAULT_OPPORTUNITY_STAGES,
    EngineSpec,
    Filters,
    FunnelEngine,
)
from salesops_lib.analyses.funnel._result import _Meta, _noun, filter_label
from salesops_lib.data.period import Period, default_quarter, resolve_period
from salesops_lib.errors import ParamsError

__all__: list[str] = []  # private module


def _period(period: Any, as_of: pd.Timestamp, *, window_days: int = 0) -> Period:
    """``period`` (``None``: the last full quarter whose conversion window has elapsed by
    ``as_of``; ``(start, end)``; ``"2026Q2"``), as calendar dates."""
    return resolve_period(period, default=default_quarter(as_of, window_days=window_days))


def _check_options(
    stages: Sequence[str] | None, funnel: str, window_days: Any
) -> tuple[tuple[str, ...], str, int]:
    if funnel not in ("lead", "opportunity"):
        raise ParamsError("funnel", f"got {funnel!r}", expected="'lead' or 'opportunity'")
    if stages is None:
        stages = DEFAULT_LEAD_STAGES if funnel == "lead" else DEFAULT_OPPORTUNITY_STAGES
    if isinstance(stages, str) or not all(isinstance(s, str) and s for s in stages):
        raise ParamsError("stages", f"got {stages!r}", expected="a list of stage names")
    st = tuple(stages)
    if len(st) < 2:
        raise ParamsError(
            "stages", f"has {len(st)} stage(s)", expected="at least two stages, in order"
        )
    dupes = sorted({s for s in st if st.count(s) > 1})
    if dupes:
        raise ParamsError(
            "stages", f"repeats {', '.join(map(repr, dupes))}", expected="each stage once"
        )
    if isinstance(window_days, bool) or not isinstance(window_days, int | np.integer):
        if isinstance(window_days, float) and float(window_days).is_integer():
            window_days = int(window_days)
        else:
            raise ParamsError(
                "window_days", f"got {window_days!r}", expected="a whole number of days > 0"
            )
    if window_days <= 0:
        raise ParamsError(
            "window_days",
            f"is {window_days}",
            expected="a whole number of days greater than 0",
            fix="Use the longest time a step may take and still count, e.g. 90.",
        )
    return st, funnel, int(window_days)


def _open(source: Any, as_of: Any, funnel: str) -> tuple[Any, pd.Timestamp]:
    """The source (an open ``Source`` keeps its validated tables) and its as-of."""
    if isinstance(source, pd.DataFrame):
        source = {"leads" if funnel == "lead" else "opportunities": source}
    src = resolve_source(source, as_of=as_of)
    return src, pd.Timestamp(src.as_of)


def _filters(value: Any) -> Filters:
    """Normalise ``filters``: ``{column: value or [values]}`` -> ``((column, (values...)),
    ...)``."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ParamsError(
            "filters",
            f"got {value!r}",
            expected="a mapping of column to value(s), e.g. {'region': 'EMEA'}",
        )
    out = []
    for col, vals in value.items():
        if not isinstance(col, str) or not col.strip():
            raise ParamsError(
                "filters", f"has the column name {col!r}", expected="column names as text"
            )
        if isinstance(vals, str):
            vals = [vals]
        if (
            isinstance(vals, Mapping)
            or not isinstance(vals, Sequence)
            or not all(isinstance(v, str) and v for v in vals)
        ):
            raise ParamsError(
                "filters",
                f"{col}: got {vals!r}",
                expected="a value or a list of values (text), e.g. region: [EMEA, APAC]",
            )
        if not vals:
            raise ParamsError(
                "filters",
                f"{col} has an empty list of values, which would keep nothing",
                expected="at least one value",
                fix=f"Give the values of `{col}` to keep, or remove `{col}` from `filters`.",
            )
        out.append((col, tuple(dict.fromkeys(vals))))
    return tuple(out)


def _exclusions(value: Any) -> tuple[str, ...]:
    """Normalise ``exclude_campaign_members``: a campaign id or a list of them."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ParamsError(
            "exclude_campaign_members",
            f"got {value!r}",
            expected="a list of campaign ids, e.g. [C_AB_MQL_SLA]",
        )
    return tuple(dict.fromkeys(value))


def _engine_and_period(
    source: Any,
    period: Any,
    *,
    stages: Any,
    funnel: str,
    window_days: Any,
    as_of: Any,
    filters: Any = None,
    exclude: Any = (),
    check_breakdowns: Sequence[str] = (),
) -> tuple[FunnelEngine, Period]:
    """The checked engine of a building block and its cohort period (see :func:`_period`).

    The options are checked in one order everywhere: stages, funnel and window, filters,
    exclusions, the source, ``check_breakdowns`` (columns must resolve), then ``period``.
    """
    st, fn, w = _check_options(stages, funnel, window_days)
    flt = _filters(filters)
    exc = _exclusions(exclude)
    src, cut = _open(source, as_of, fn)
    eng = FunnelEngine(src, EngineSpec(st, fn, w, cut, flt, exc))
    eng.check_stages()
    eng.check_filters()
    eng.check_exclusions()
    for b in check_breakdowns:
        eng.breakdown_expr(b, eng.entity)
    return eng, _period(period, eng.spec.as_of, window_days=eng.spec.window_days)


def _meta(eng: FunnelEngine, period: Period | None, alpha: float) -> _Meta:
    sp = eng.spec
    return _Meta(
        sp.stages,
        sp.funnel,
        sp.window_days,
        sp.as_of,
        period,
        alpha,
        sp.filters,
        eng.filters_on_reps,
        sp.exclude_campaigns,
    )


def _empty_period_error(eng: FunnelEngine, period: Period) -> ParamsError:
    flt = filter_label(eng.spec.filters)
    who = _noun(eng.spec.funnel) + (f" with {flt}" if flt else "")
    return ParamsError(
        "period_start",
        f"no {who} were created between {period.start} and {period.end} "
        f"(up to as_of {eng.spec.as_of:%Y-%m-%d %H:%M})",
        expected="a period (period_start–period_end) that contains created "
        f"{_noun(eng.spec.funnel)}",
        fix="Widen or move the period, or check as_of"
        + (" and `filters` (they occur in the data, but not in this period)." if flt else "."),
    )


def _breakdowns(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not all(isinstance(v, str) and v for v in value):
        raise ParamsError("breakdowns", f"got {value!r}", expected="a list of column names")
    return tuple(value)


def _check_min_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParamsError("min_segment_size", f"got {value!r}", expected="a whole number >= 1")
    return int(value)


def _within(values: Sequence[int]) -> tuple[int, ...]:
    vals = tuple(values)
    if not vals or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and v > 0 for v in vals
    ):
        raise ParamsError(
            "within_days", f"got {values!r}", expected="a list of whole numbers of days > 0"
        )
    return tuple(int(v) for v in vals)


def _check_grain(grain: Any, periods: Any) -> tuple[str, int]:
    if grain not in ("month", "week"):
        raise ParamsError("cohort_grain", f"got {grain!r}", expected="'month' or 'week'")
    if isinstance(periods, bool) or not isinstance(periods, int | np.integer) or periods < 1:
        raise ParamsError("cohort_periods", f"got {periods!r}", expected="a whole number >= 1")
    return grain, int(periods)


def _check_horizon(value: Any, window_days: int) -> int:
    if value is None:
        return window_days
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise ParamsError(
            "cohort_horizon_days", f"got {value!r}", expected="a whole number of days > 0"
        )
    return int(value)


def _cohort_range(
    as_of: pd.Timestamp, grain: str, periods: int
) -> tuple[pd.Timestamp, pd.Timestamp]:
    freq = "M" if grain == "month" else "W-SUN"
    last = pd.Period(as_of, freq=freq)
    first = last - (periods - 1)
    return first.start_time, last.end_time.normalize() + pd.Timedelta(days=1)
