"""Number formatting of an A/B experiment's words: values, differences, intervals, probabilities.

Shared by the narrative, the methods text and the statistics tables (one place for "+5.1 pp",
"$1,200 to $3,400", ">99.9%").
"""

from __future__ import annotations

import math
import re
from typing import Any

from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.viz.format import (
    MISSING,
    fmt_days,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_pp,
    is_missing,
)

__all__: list[str] = []


def _fmt_value(spec: MetricSpec, v: Any, currency: str = "USD") -> str:

    if spec.kind == "binary":
        return fmt_pct(v)
    if spec.kind == "value":
        return fmt_money(v, currency)
    if spec.kind == "time_to_event":
        return fmt_days(v)
    return fmt_num(v, 2)


def _fmt_diff(spec: MetricSpec, v: Any, currency: str = "USD") -> str:

    if is_missing(v):
        return MISSING
    if math.isinf(float(v)):
        return "unbounded"
    if spec.kind == "binary":
        return fmt_pp(v)
    sign = "+" if float(v) > 0 else ("−" if float(v) < 0 else "±")
    a = abs(float(v))
    if spec.kind == "value":
        return sign + fmt_money(a, currency)
    if spec.kind == "time_to_event":
        return f"{sign}{a:.1f} days"
    return f"{sign}{a:,.2f}"


def _fmt_ci(spec: MetricSpec, lo: Any, hi: Any, currency: str = "USD") -> str:

    if is_missing(lo) or is_missing(hi):
        return "interval not available"
    return f"{_fmt_diff(spec, lo, currency)} to {_fmt_diff(spec, hi, currency)}"


def _level_txt(level: Any) -> str:
    """Confidence level as words: ``0.975 → "97.5%"``, ``0.95 → "95%"``."""
    return f"{100 * float(level):.1f}".rstrip("0").rstrip(".") + "%"


def _fmt_prob(p: Any, *, words: bool = False) -> str:
    """A probability in percent that never reads as certainty: ``>99.9%`` / ``<0.1%`` at the ends."""

    if not _finite(p):
        return MISSING
    p = float(p)
    if p > 0.999:
        return "over 99.9%" if words else ">99.9%"
    if p < 0.001:
        return "under 0.1%" if words else "<0.1%"
    return fmt_pct(p)


def _pp_words(text: str) -> str:
    """Spell out percentage points in a sentence: ``"+5.1 pp (+3.1 pp to +7.2 pp)"`` →
    ``"+5.1 percentage points (+3.1 to +7.2)"`` (tables and charts keep "pp")."""
    text = re.sub(r"([+−-]?\d[\d.,]*) pp to ([+−-]?\d[\d.,]*) pp\b", r"\1 to \2", text)
    return re.sub(r"(\d) pp\b", r"\1 percentage points", text)


def _a_pct(pct: float) -> str:
    """``"an 80%"``, ``"a 90%"``: the article as the number is read aloud (eight, eleven, 18)."""
    n = f"{pct:.0f}"
    an = n.startswith("8") or n in ("11", "18")
    return f"{'an' if an else 'a'} {n}%"


def _unit_of(spec: MetricSpec) -> str:
    return {"binary": "pp", "value": "money", "time_to_event": "days", "count": "num"}[spec.kind]
