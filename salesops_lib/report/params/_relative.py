"""Params for schedules: relative dates, ``period:`` rules, title templates, ``-p`` overrides.

Resolved once per run, before any kernel starts (see :mod:`salesops_lib.data.relative`):

- ``as_of: today | yesterday`` becomes that day's end; ``as_of: latest`` stays empty (the data's
  last record, as when left out);
- ``period: last_full_quarter`` (or another rule) becomes ``period_start``/``period_end``, read at
  ``as_of`` (at the data's last record when ``as_of`` is empty or ``latest``);
- ``{period}``, ``{period_start}``, ``{period_end}`` and ``{as_of}`` in ``title`` are filled in
  (other braces are left as written).

What was relative is returned as a record for the report's provenance (the JSON says
``"relative": {"as_of": "yesterday", "period": "last_full_quarter", "clock": ...}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import yaml

from salesops_lib.data.period import (
    RELATIVE_AS_OF,
    Period,
    clock_now,
    parse_as_of,
    relative_as_of,
    to_date,
)
from salesops_lib.data.relative import relative_period
from salesops_lib.errors import ParamsError

__all__ = ["PLACEHOLDERS", "apply_overrides", "parse_override", "resolve_relative"]

#: Title placeholders filled in from the resolved dates.
PLACEHOLDERS = ("period", "period_start", "period_end", "as_of")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def _day(ts: Any) -> str:
    t = pd.Timestamp(ts)
    return f"{t.day} {t:%b %Y}"


def parse_override(
    item: str, *, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> tuple[str, Any]:
    """Read one ``-p KEY=VALUE`` override; the value is read as YAML (``[a, b]``, ``90``, ``true``).

    Parameters
    ----------
    item
        ``"as_of=yesterday"``, ``"breakdowns=[source, region]"``.
    loader
        The YAML loader (the params files' loader keeps dates as text).

    Returns
    -------
    tuple[str, Any]

    Raises
    ------
    ParamsError
        Without ``=``, with an empty key, or when the value is not valid YAML.
    """
    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParamsError(
            "-p",
            f"{item!r} is not KEY=VALUE",
            expected="e.g. `-p as_of=yesterday` or `-p breakdowns=[source,region]`",
        )
    try:
        value = yaml.load(raw, Loader=loader) if raw.strip() else None  # a SafeLoader subclass
    except yaml.YAMLError:
        raise ParamsError(
            key,
            f"the override value {raw!r} is not valid YAML",
            expected="a plain value, or a list as [a, b]",
            source="-p",
        ) from None
    return key, value


def apply_overrides(
    values: Mapping[str, Any],
    overrides: Iterable[str] | Mapping[str, Any] | None,
    *,
    loader: type[yaml.SafeLoader] = yaml.SafeLoader,
) -> dict[str, Any]:
    """``values`` with the overrides on top (``-p`` items or a mapping); ``notebook`` is fixed.

    Setting ``period`` drops ``period_start``/``period_end`` from the file (and the other way
    round), so that ``-p period=last_full_month`` works on a file that pins its dates.
    """
    data = dict(values)
    if not overrides:
        return data
    pairs = (
        list(overrides.items())
        if isinstance(overrides, Mapping)
        else [parse_override(o, loader=loader) for o in overrides]
    )
    for key, value in pairs:
        if key == "notebook" and data.get("notebook") not in (None, value):
            raise ParamsError(
                "notebook",
                "cannot be overridden",
                source="-p",
                fix="Run another params file instead.",
            )
        if key == "period":
            data.pop("period_start", None)
            data.pop("period_end", None)
        elif key in ("period_start", "period_end"):
            data.pop("period", None)
        data[key] = value
    return data


def resolve_relative(
    values: Mapping[str, Any],
    *,
    fields: Iterable[str],
    last_record: Callable[[], pd.Timestamp],
    now: pd.Timestamp | None = None,
    default_period: Callable[[pd.Timestamp], Period | None] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Turn relative dates and title templates into fixed values.

    Parameters
    ----------
    values
        The raw params (from the file, overrides applied).
    fields
        The params model's field names (a ``period`` rule needs ``period_start``/``period_end``).
    last_record
        Returns the data's last record; called only when a rule needs it (``as_of`` empty or
        ``latest`` with a ``period`` rule or an ``{as_of}``/``{period}`` placeholder).
    now
        The clock reading (default :func:`~salesops_lib.data.period.clock_now`).
    default_period
        The period the report takes at an as-of time when the params give none (the params
        model's :meth:`~salesops_lib.analyses._base.AnalysisParams.default_period`: the KPI
        scorecard's last full grain, the forecast's coming one); it fills ``{period}`` then.

    Returns
    -------
    tuple[dict, dict]
        The resolved params, and a record of what was relative (empty when nothing was).

    Raises
    ------
    ParamsError
        An unknown word, ``period`` beside ``period_start``/``period_end``, a ``period`` on a
        report without period fields, ``{period}`` in a title without a period (given or
        implied by ``default_period``).
    """
    data = dict(values)
    fields = set(fields)
    record: dict[str, Any] = {}
    clock = now if now is not None else clock_now()
    as_of_raw = data.get("as_of")
    as_of: pd.Timestamp | None = None
    if isinstance(as_of_raw, str) and as_of_raw.strip().lower() in RELATIVE_AS_OF:
        record["as_of"] = as_of_raw.strip().lower()
        as_of = relative_as_of(as_of_raw, now=clock)
        data["as_of"] = None if as_of is None else as_of.isoformat()
    elif as_of_raw is not None:
        try:
            as_of = parse_as_of(as_of_raw)
        except ParamsError:
            as_of = None  # the params model reports it with the key's name

    resolved_as_of: pd.Timestamp | None = as_of

    def at() -> pd.Timestamp:
        nonlocal resolved_as_of
        if resolved_as_of is None:
            resolved_as_of = pd.Timestamp(last_record())
        return resolved_as_of

    rule = data.pop("period", None)
    if rule is not None:
        if not {"period_start", "period_end"} <= fields:
            raise ParamsError(
                "period",
                "this report has no period to set",
                fix="Remove `period:` from the params file.",
            )
        both = [k for k in ("period_start", "period_end") if data.get(k) is not None]
        if both:
            raise ParamsError(
                "period",
                f"is given together with {' and '.join(both)}",
                fix="Give either a period rule (e.g. `period: last_full_quarter`) or the dates.",
            )
        period = relative_period(rule, at())
        data["period_start"], data["period_end"] = period.start.isoformat(), period.end.isoformat()
        record["period"] = rule
        record["period_dates"] = {"start": data["period_start"], "end": data["period_end"]}

    title = data.get("title")
    if isinstance(title, str) and _PLACEHOLDER.search(title):
        names = set(_PLACEHOLDER.findall(title))
        fills: dict[str, str] = {}
        if names & {"period", "period_start", "period_end"}:
            start, end = data.get("period_start"), data.get("period_end")
            implied = default_period(at()) if default_period and start is end is None else None
            if implied is not None:  # the period the analysis takes by itself
                start, end = implied.start.isoformat(), implied.end.isoformat()
            if start is None or end is None:
                raise ParamsError(
                    "title",
                    "uses {period} but the params set no period",
                    fix="Add `period: last_full_quarter` (or period_start and period_end), or "
                    "take {period} out of the title.",
                )
            p = Period(to_date(start, "period_start"), to_date(end, "period_end"))
            fills |= {"period": p.label, "period_start": _day(p.start), "period_end": _day(p.end)}
        if "as_of" in names:
            fills["as_of"] = _day(at())
        data["title"] = _PLACEHOLDER.sub(lambda m: fills[m.group(1)], title)
        record["title"] = title
    if record:
        record["clock"] = clock.isoformat()
        if "as_of" in record or "period" in record:
            record["as_of_used"] = None if resolved_as_of is None else resolved_as_of.isoformat()
    return data, record
