"""Number formatting for everything a reader sees (REPORT_DESIGN.md, "Numbers and words").

Rates as percentages to one decimal, intervals as ``23.4% (22.1–24.8%)``, p-values to two
significant figures (never ``p = 0.000``), thousands separators, money with its currency.
Missing values (``None``/NaN) format as an em dash so a table never shows ``nan``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from salesops_lib.i18n import babel_locale, current_language, ngettext

__all__ = [
    "count_noun",
    "fmt_date",
    "fmt_days",
    "fmt_int",
    "fmt_money",
    "fmt_money_millions",
    "fmt_num",
    "fmt_p",
    "fmt_pct",
    "fmt_pct_ci",
    "fmt_pp",
    "interval_level",
    "is_missing",
    "plural",
]

MISSING = "—"
MINUS = "\u2212"  # a true minus sign: "−3.5 pp" reads better than a hyphen in reports


def _minus(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def _en() -> bool:
    return current_language() == "en"


def _dec(x: float, digits: int) -> str:
    """``x`` with ``digits`` decimals and grouping, in the current (non-English) locale."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _minus(format_decimal(x, format=pattern, locale=babel_locale()))


def _money_local(body_value: float, currency: str, *, digits: int, suffix: str = "") -> str:
    """Money in the current locale's CLDR currency pattern (``1.234 €``), ``suffix`` after the
    number (``Mln``)."""
    loc = babel_locale()
    pattern = Locale.parse(loc).currency_formats["standard"].pattern.split(";")[0]
    pattern = re.sub(r"#,##0(\.0+)?", "#,##0" + ("." + "0" * digits if digits else ""), pattern)
    text = format_currency(
        body_value, currency.upper(), format=pattern, locale=loc, currency_digits=False
    )
    if suffix:
        text = re.sub(r"([\d.,]+)", lambda m: f"{m.group(1)}\u00a0{suffix}", text, count=1)
    return _minus(text.replace("-", MINUS, 1)) if body_value < 0 else text


_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def interval_level(alpha: float) -> str:
    """The confidence level of intervals at ``alpha``, as a reader sees it.

    >>> interval_level(0.05), interval_level(0.1), interval_level(0.025)
    ('95%', '90%', '97.5%')
    """
    return f"{100 * (1 - float(alpha)):.1f}".rstrip("0").rstrip(".") + "%"


def is_missing(x: Any) -> bool:
    """True for ``None``, NaN and pandas' missing markers."""
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """Format a proportion as a percentage: ``0.2344 → "23.4%"``."""
    if is_missing(x):
        return MISSING
    if not _en():
        return _dec(100 * float(x), digits) + "%"
    return _minus(f"{100 * float(x):.{digits}f}%")


def fmt_pp(x: float | None, digits: int = 1, *, sign: bool = True) -> str:
    """Format a difference of two proportions in percentage points: ``0.031 → "+3.1 pp"``."""
    if is_missing(x):
        return MISSING
    v = 100 * float(x)
    if not _en():
        text = _dec(v, digits)
        return ("+" + text if sign and v >= 0 else text) + "\u00a0p.p."
    return _minus(f"{v:+.{digits}f} pp" if sign else f"{v:.{digits}f} pp")


def fmt_pct_ci(rate: float | None, low: float | None, high: float | None, digits: int = 1) -> str:
    """Rate with its interval: ``"23.4% (22.1–24.8%)"``; the interval is omitted when unknown."""
    if is_missing(rate):
        return MISSING
    head = fmt_pct(rate, digits)
    if is_missing(low) or is_missing(high):
        return head
    if not _en():
        return f"{head} ({_dec(100 * float(low), digits)}–{_dec(100 * float(high), digits)}%)"
    return f"{head} ({100 * float(low):.{digits}f}–{100 * float(high):.{digits}f}%)"


def fmt_p(p: float | None, *, prefix: bool = True) -> str:
    """p-value to two significant figures: ``"p = 0.0016"``, ``"p < 0.0001"``, ``"p = 0.43"``."""
    if is_missing(p):
        return MISSING
    p = float(p)
    lead = "p " if prefix else ""
    point = "." if _en() else ","
    if p < 0.0001:
        return f"{lead}< 0{point}0001"
    if p >= 0.995:
        return f"{lead}{'= ' if prefix else ''}1{point}0"
    text = f"{p:.2g}"
    if "e" in text:  # 2 significant figures without scientific notation
        text = f"{p:.6f}".rstrip("0")
    if not _en():
        text = text.replace(".", ",")
    return f"{lead}{'= ' if prefix else ''}{text}"


def fmt_int(n: float | None) -> str:
    """Whole number with thousands separators: ``12345 → "12,345"``."""
    if is_missing(n):
        return MISSING
    if not _en():
        return _dec(round(float(n)), 0)
    return _minus(f"{round(float(n)):,}")


def fmt_num(x: float | None, digits: int = 1) -> str:
    """Number with thousands separators and ``digits`` decimals."""
    if is_missing(x):
        return MISSING
    if not _en():
        return _dec(float(x), digits)
    return _minus(f"{float(x):,.{digits}f}")


def fmt_money(x: float | None, currency: str = "USD", *, compact: bool = True) -> str:
    """Money with its currency: ``1234567 → "$1.23M"``, ``12300 → "$12,300"``.

    ``compact`` abbreviates amounts of a million and more (``K`` is not used: ``$412,000``
    reads better than ``$412K`` in a table of mixed sizes).
    """
    if is_missing(x):
        return MISSING
    v = float(x)
    if not _en():
        if compact and abs(v) >= 1e9:
            return _money_local(v / 1e9, currency, digits=2, suffix="Mld")
        if compact and abs(v) >= 1e6:
            return _money_local(v / 1e6, currency, digits=2, suffix="Mln")
        return _money_local(round(v), currency, digits=0)
    sym = _CURRENCY_SYMBOLS.get(currency.upper())
    sign = MINUS if v < 0 else ""
    v = abs(v)
    if compact and v >= 1e9:
        body = f"{v / 1e9:.2f}B"
    elif compact and v >= 1e6:
        body = f"{v / 1e6:.2f}M"
    else:
        body = f"{v:,.0f}"
    return f"{sign}{sym}{body}" if sym else f"{sign}{body} {currency.upper()}"


def fmt_money_millions(x: float | None, currency: str = "USD") -> str:
    """Money in millions with two decimals, for a column of large amounts: ``"$0.82M"``."""
    if is_missing(x):
        return MISSING
    v = float(x)
    if not _en():
        return _money_local(v / 1e6, currency, digits=2, suffix="Mln")
    sign = MINUS if v < 0 else ""
    sym = _CURRENCY_SYMBOLS.get(currency.upper())
    body = f"{abs(v) / 1e6:.2f}M"
    return f"{sign}{sym}{body}" if sym else f"{sign}{body} {currency.upper()}"


def fmt_days(x: float | None, digits: int = 0) -> str:
    """Days: ``12.0 → "12 days"``, ``1 → "1 day"``."""
    if is_missing(x):
        return MISSING
    v = float(x)
    if not _en():
        text = _dec(v, digits)
        return f"{text} {ngettext('day', 'days', 1 if text == '1' else 2)}"
    text = f"{v:,.{digits}f}"
    return f"{text} day" if text == "1" else f"{text} days"


def fmt_date(d: Any) -> str:
    """A date as a reader sees it: ``"31 Dec 2026"``; in Italian ``"31 dic 2026"`` (CLDR)."""
    if d is None or (not isinstance(d, dt.date | str) and is_missing(d)):
        return MISSING
    ts = pd.Timestamp(d)
    if _en():
        return f"{ts:%d %b %Y}"
    return format_date(ts.date(), "d MMM y", locale=babel_locale())


def plural(word: str) -> str:
    """English plural of a unit noun: ``lead → leads``, ``opportunity → opportunities``,
    ``box → boxes``, ``person → people``; a noun already plural-looking (``"sales"``, ``"deals"``:
    ends in one ``s`` after a letter other than ``s``/``u``/``i``) is kept; an underscore name
    is read as words (``"account_id" → "account ids"``)."""
    word = word.replace("_", " ").strip()
    if not word:
        return word
    head, _, last = word.rpartition(" ")
    irregular = {"person": "people", "child": "children", "man": "men", "woman": "women"}
    if last.lower() in irregular:
        return (head + " " if head else "") + irregular[last.lower()]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(last) > 3:
        return word  # already plural ("sales", "deals")
    if word.endswith("is") and len(last) > 3:
        return word[:-2] + "es"  # analysis → analyses
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def count_noun(n: float | None, word: str) -> str:
    """``1 visitor``, ``2,304 visitors``, ``1 day``, ``30 days`` (thousands separators)."""
    if is_missing(n):
        return f"{MISSING} {plural(word)}"
    return f"{fmt_int(n)} {word.replace('_', ' ') if float(n) == 1 else plural(word)}"
