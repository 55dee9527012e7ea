"""Language helpers of the benchmarking report: numbers as written in the reader's language and
the report's coded values (metric names, statuses, directions) in words.

The analysis keeps English codes in its frames (``"overloaded"``, ``"probably above"``, the
:data:`~._definitions.METRICS` labels): code compares them. They are translated only where a
reader sees them, through the Italian catalog (``salesops_lib/i18n/it_benchmark.py``).

Private; used by the benchmarking narrative, tables and charts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date

from salesops_lib.analyses.benchmark._definitions import METRICS, PARTS
from salesops_lib.i18n import _, babel_locale, current_language

__all__: list[str] = []  # private module


def en() -> bool:
    """True when the report is written in English (the source language)."""
    return current_language() == "en"


def fx(x: Any, spec: str) -> str:
    """``format(x, spec)`` in English; elsewhere the same digits with the locale's separators
    (``1,234.5`` → ``1.234,5``), so English output stays byte for byte as before."""
    text = format(x, spec)
    if en():
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def month_year(d: dt.date) -> str:
    """``Oct 2024`` (English), ``ott 2024`` (Italian)."""
    if en():
        return f"{d:%b %Y}"
    return format_date(d, "MMM y", locale=babel_locale())


def metric_label(metric: str) -> str:
    return _(METRICS[metric].label)


def metric_definition(metric: str) -> str:
    return _(METRICS[metric].definition)


def metric_formula(metric: str) -> str:
    return _(METRICS[metric].formula)


def part_what(part: str) -> str:
    """What a part of the analysis is called in the report (``"quota attainment"``)."""
    return _(PARTS[part][0])


def better_label(better: str) -> str:
    return {"higher": _("higher"), "lower": _("lower")}.get(better, better)


def status_label(status: str) -> str:
    """A territory's workload status in words."""
    return {
        "overloaded": _("overloaded"),
        "underloaded": _("underloaded"),
        "balanced": _("balanced"),
        "no reps": _("no reps"),
    }.get(status, status)


def funnel_label(status: str) -> str:
    """A rep's funnel-plot status, short, for the leaderboard table."""
    return {
        "above 99.8% limit": _("above 99.8%"),
        "possible: above 95% limit": _("possible: above 95%"),
        "within limits": _("within"),
        "possible: below 95% limit": _("possible: below 95%"),
        "below 99.8% limit": _("below 99.8%"),
    }.get(status, status)


def direction_label(direction: str) -> str:
    """A watch-list direction in words (``"probably above"``)."""
    return {
        "probably above": _("probably above"),
        "probably below": _("probably below"),
        "mixed signals": _("mixed signals"),
    }.get(direction, direction)


def group_value(value: Any) -> Any:
    """A group name the analysis filled in for a missing one (``"No team"``) in words; real
    team, region and territory names are data and stay as they are."""
    if not isinstance(value, str):
        return value
    return {
        "No team": _("No team"),
        "No region": _("No region"),
        "No territory": _("No territory"),
        "Unknown rep": _("Unknown rep"),
    }.get(value, value)
