"""A period's name in the reader's language: ``Q3 2026`` / ``T3 2026``, ``Sep 2026`` /
``set 2026`` (the :class:`~salesops_lib.data.period.Period` label stays English: it is data in
the JSON results)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from babel.dates import format_date

from salesops_lib.i18n import _, babel_locale, current_language
from salesops_lib.viz.format import fmt_date

__all__ = ["month_short", "period_date", "period_label", "period_short"]


def _mon(ts: pd.Timestamp, pattern: str) -> str:
    return format_date(ts.date(), pattern, locale=babel_locale())


def period_label(p: Any) -> str:
    """``p.label`` in English; in another language the same shape in its words."""
    if current_language() == "en":
        return p.label
    m = p._months()
    s = pd.Timestamp(p.start)
    e = pd.Timestamp(p.end)
    if m == 3 and s.month in (1, 4, 7, 10):
        return _("Q{quarter} {year}").format(quarter=(s.month - 1) // 3 + 1, year=s.year)
    if m == 1:
        return _mon(s, "MMM y")
    if m == 12 and s.month == 1:
        return str(s.year)
    if m:
        return f"{_mon(s, 'MMM y')} – {_mon(e, 'MMM y')}"
    return f"{_mon(s, 'd MMM y')} – {_mon(e, 'd MMM y')}"


def period_short(p: Any) -> str:
    """Short chart label: ``Q3 26``, ``Sep 26`` or ``7 Sep`` (in the reader's language)."""
    s = pd.Timestamp(p.start)
    m = p._months()
    en = current_language() == "en"
    if m == 3 and s.month in (1, 4, 7, 10):
        if en:
            return f"Q{(s.month - 1) // 3 + 1} {s:%y}"
        return _("Q{quarter} {year}").format(quarter=(s.month - 1) // 3 + 1, year=f"{s:%y}")
    if m == 1:
        return f"{s:%b %y}" if en else _mon(s, "MMM yy")
    return f"{s.day} {s:%b}" if en else _mon(s, "d MMM")


def period_date(d: dt.date | Any) -> str:
    """A period's start or end day: ISO in English (as before), ``1 lug 2026`` otherwise."""
    return str(d) if current_language() == "en" else fmt_date(d)


def month_short(d: Any) -> str:
    """``Sep 26`` (English, as before) or ``set 26``."""
    ts = pd.Timestamp(d)
    return ts.strftime("%b %y") if current_language() == "en" else _mon(ts, "MMM yy")
