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
from salesops_lib.i18n import _, current_language, ngettext
from salesops_lib.viz.format import (
    MISSING,
    count_noun,
    fmt_days,
    fmt_int,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_pp,
    is_missing,
    plural,
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
        return _("unbounded")
    if spec.kind == "binary":
        return fmt_pp(v)
    sign = "+" if float(v) > 0 else ("−" if float(v) < 0 else "±")
    a = abs(float(v))
    if spec.kind == "value":
        return sign + fmt_money(a, currency)
    en = current_language() == "en"
    if spec.kind == "time_to_event":
        return sign + _("{value} days").format(value=f"{a:.1f}" if en else fmt_num(a, 1))
    return sign + (f"{a:,.2f}" if en else fmt_num(a, 2))


def _fmt_ci(spec: MetricSpec, lo: Any, hi: Any, currency: str = "USD") -> str:

    if is_missing(lo) or is_missing(hi):
        return _("interval not available")
    return _("{low} to {high}").format(
        low=_fmt_diff(spec, lo, currency), high=_fmt_diff(spec, hi, currency)
    )


def _level_txt(level: Any) -> str:
    """Confidence level as words: ``0.975 → "97.5%"``, ``0.95 → "95%"``."""
    text = f"{100 * float(level):.1f}".rstrip("0").rstrip(".")
    return (text if current_language() == "en" else text.replace(".", ",")) + "%"


def _fmt_prob(p: Any, *, words: bool = False) -> str:
    """A probability in percent that never reads as certainty: ``>99.9%`` / ``<0.1%`` at the
    ends."""

    if not _finite(p):
        return MISSING
    p = float(p)
    if p > 0.999:
        return _("over {pct}").format(pct=fmt_pct(0.999)) if words else ">" + fmt_pct(0.999)
    if p < 0.001:
        return _("under {pct}").format(pct=fmt_pct(0.001)) if words else "<" + fmt_pct(0.001)
    return fmt_pct(p)


def _pp_words(text: str) -> str:
    """Spell out percentage points in a sentence: ``"+5.1 pp (+3.1 pp to +7.2 pp)"`` →
    ``"+5.1 percentage points (+3.1 to +7.2)"`` (tables and charts keep "pp"); in Italian
    ``"+5,1 punti percentuali (da +3,1 a +7,2)"`` (tables and charts keep "p.p.")."""
    if current_language() != "en":
        num = r"([+−-]?\d[\d.,]*)\u00a0p\.p\."
        to = _("{low} to {high}")
        text = re.sub(to.format(low=num, high=num), to.format(low=r"\1", high=r"\2"), text)
        return re.sub(r"(\d)\u00a0p\.p\.", r"\1 " + _("percentage points"), text)
    text = re.sub(r"([+−-]?\d[\d.,]*) pp to ([+−-]?\d[\d.,]*) pp\b", r"\1 to \2", text)
    return re.sub(r"(\d) pp\b", r"\1 percentage points", text)


def _a_pct(pct: float) -> str:
    """``"an 80%"``, ``"a 90%"``: the article as the number is read aloud (eight, eleven, 18);
    in Italian ``"l'80%"``, ``"il 90%"`` (otto, undici, uno)."""
    n = f"{pct:.0f}"
    if current_language() != "en":
        elided = n.startswith("8") or n in ("1", "11")
        return ("l'" if elided else "il ") + n + "%"
    an = n.startswith("8") or n in ("11", "18")
    return f"{'an' if an else 'a'} {n}%"


def _unit_of(spec: MetricSpec) -> str:
    return {"binary": "pp", "value": "money", "time_to_event": "days", "count": "num"}[spec.kind]


def _units(label: str) -> str:
    """The plural of the unit noun (``"leads"``; in Italian from the catalog: ``"lead"``)."""
    if current_language() == "en":
        return plural(label)
    return ngettext(label.replace("_", " "), plural(label), 2)


def _count_units(n: Any, label: str) -> str:
    """``"1 lead"``, ``"2,304 leads"`` in the current language."""
    if current_language() == "en" or is_missing(n):
        return count_noun(n, label)
    return f"{fmt_int(n)} {ngettext(label.replace('_', ' '), plural(label), float(n))}"


def _g(x: float) -> str:
    """A number as ``f"{x:g}"`` (``0.001``, ``0.05``), with a decimal comma in Italian."""
    text = f"{float(x):g}"
    return text if current_language() == "en" else text.replace(".", ",")


def _signed_pct(x: float) -> str:
    """A relative change in percent with its sign: ``+12.3%``, ``−4.0%`` (``+12,3%``)."""
    if current_language() == "en":
        return f"{100 * float(x):+.1f}%".replace("-", "−")
    return ("+" if float(x) >= 0 else "") + fmt_num(100 * float(x), 1) + "%"
