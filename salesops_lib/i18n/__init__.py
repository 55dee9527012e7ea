"""The reader's language and locale: ``_()`` for text, Babel (CLDR) for numbers and dates.

Why Babel and a Python dict catalog rather than gettext ``.po`` files
--------------------------------------------------------------------
Babel brings CLDR's number, percent, currency and date patterns (``1.234,5``, ``24,3%``,
``1.234 €``, ``31 dic 2026``): hand-written rules would be wrong at the edges (currency symbol
position, narrow no-break spaces, month abbreviations). For the *text*, a dict catalog
(``salesops_lib/i18n/it.py``) needs no build step (no ``msgfmt``/``pybabel compile`` at install
or import time), is read by the same tests that read the code (``tests/i18n``: every ``_()``
message id in the package must have an Italian entry), and ships as plain Python in the wheel.

Usage
-----
The current language lives in a :class:`contextvars.ContextVar`, so a notebook kernel, a thread
or an asyncio task each have their own::

    from salesops_lib.i18n import _, language
    with language("it"):
        _("Summary")          # 'Sintesi'

The report runner sets it from the params ``language`` before the analysis runs
(:func:`set_language`). English is the source language: ``_()`` returns its argument unchanged
and the formatters in :mod:`salesops_lib.viz.format` keep their English output byte for byte.
"""

from __future__ import annotations

import contextlib
import contextvars
import zoneinfo
from collections.abc import Iterator
from typing import Any

from salesops_lib.errors import ParamsError
from salesops_lib.i18n.it import COMPLETE as _IT_COMPLETE
from salesops_lib.i18n.it import MESSAGES as _IT

_CATALOGS: dict[str, dict[str, Any]] = {"it": _IT}

__all__ = [
    "LANGUAGES",
    "PSEUDO",
    "TRANSLATED_ANALYSES",
    "_",
    "babel_locale",
    "current_language",
    "current_timezone",
    "language",
    "ngettext",
    "set_language",
    "set_timezone",
    "use_language",
]

#: Languages the kit can write reports in.
LANGUAGES: tuple[str, ...] = ("en", "it")

#: Analyses whose every sentence, label and number is translated, by language. An analysis not
#: listed refuses ``language: it`` (a ParamsError) rather than give a half-English report.
TRANSLATED_ANALYSES: dict[str, tuple[str, ...]] = {
    "en": ("funnel", "experiment", "benchmark", "kpis", "forecast"),
    "it": _IT_COMPLETE,
}

#: A test-only language: every translated string comes back wrapped in ⟦ ⟧ (numbers and dates
#: formatted as in Italian), so a test can fail on any visible text outside the markers.
PSEUDO = "x-pseudo"

_BABEL_LOCALE = {"en": "en_US", "it": "it_IT", PSEUDO: "it_IT"}

# A ``with language()`` block (or set_language) sets the context variables; outside any, the
# session's choice applies (use_language: a notebook kernel's params, set once for every cell).
_LANGUAGE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "salesops_language", default=None
)
_TIMEZONE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "salesops_timezone", default=None
)
_SESSION_DEFAULTS: dict[str, str] = {"language": "en", "timezone": "UTC"}
_SESSION: dict[str, str] = dict(_SESSION_DEFAULTS)


def _reset_session() -> None:
    """Back to English and UTC: a kernel kept for the next report forgets the last one's."""
    _SESSION.clear()
    _SESSION.update(_SESSION_DEFAULTS)


def check_language(value: Any) -> str:
    """``value`` as one of :data:`LANGUAGES`, or a :class:`ParamsError` naming them."""
    text = str(value).strip().lower() if value is not None else ""
    if text not in LANGUAGES and text != PSEUDO:
        raise ParamsError("language", f"got {value!r}", expected=" or ".join(LANGUAGES))
    return text


def check_timezone(value: Any) -> str:
    """``value`` as an IANA time zone name (``"Europe/Rome"``), or a :class:`ParamsError`."""
    text = str(value).strip() if value is not None else ""
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ParamsError(
            "timezone", f"got {value!r}", expected='an IANA time zone such as "Europe/Rome"'
        ) from None
    return text


def check_translated(analysis: str, lang: str) -> None:
    """Refuse ``lang`` for an analysis whose words are not all translated into it."""
    done = TRANSLATED_ANALYSES.get(lang, ())
    if analysis not in done:
        which = ", ".join(done) if done else "none yet"
        raise ParamsError(
            "language",
            f"the {analysis} report is not translated into {lang!r} "
            f"(analyses available in {lang!r}: {which})",
            expected='"en"',
        )


def current_language() -> str:
    """The language of the text being written now (``"en"`` unless set)."""
    return _LANGUAGE.get() or _SESSION["language"]


def current_timezone() -> str:
    """The time zone for displayed times (``"UTC"`` unless set)."""
    return _TIMEZONE.get() or _SESSION["timezone"]


def babel_locale() -> str:
    """The Babel/CLDR locale of the current language (``"it_IT"``)."""
    return _BABEL_LOCALE[current_language()]


def use_language(lang: str, timezone: str | None = None) -> None:
    """Set the session's language (and time zone) outside any ``with language()`` block.

    A notebook kernel calls it once with the report's params
    (:meth:`~salesops_lib.analyses._base.AnalysisParams.from_namespace`): the setting then holds
    in every later cell, whatever context each cell runs in.
    """
    lang = check_language(lang)
    tz = check_timezone(timezone) if timezone is not None else None
    _SESSION["language"] = lang
    if tz is not None:
        _SESSION["timezone"] = tz


def set_language(lang: str) -> contextvars.Token[str | None]:
    """Set the current language (validated); returns the token to reset it."""
    return _LANGUAGE.set(check_language(lang))


def set_timezone(tz: str) -> contextvars.Token[str | None]:
    """Set the time zone for displayed times (validated); returns the token to reset it."""
    return _TIMEZONE.set(check_timezone(tz))


@contextlib.contextmanager
def language(lang: str, timezone: str | None = None) -> Iterator[None]:
    """Write in ``lang`` (and show times in ``timezone``) inside the ``with`` block."""
    lang = check_language(lang)  # both checked before either is set: nothing leaks on error
    if timezone is not None:
        timezone = check_timezone(timezone)
    tok = set_language(lang)
    tz_tok = set_timezone(timezone) if timezone is not None else None
    try:
        yield
    finally:
        if tz_tok is not None:
            _TIMEZONE.reset(tz_tok)
        _LANGUAGE.reset(tok)


def _catalog(lang: str) -> dict[str, Any]:
    return _CATALOGS.get(lang, {})


def _(message: str) -> str:
    """``message`` in the current language (English text is the message id).

    A message missing from the catalog is returned in English; ``tests/i18n`` fails when any
    ``_()`` literal in the package lacks an Italian entry.
    """
    lang = current_language()
    if lang == "en":
        return message
    if lang == PSEUDO:
        return f"⟦{message}⟧"
    found = _catalog(lang).get(message)
    if isinstance(found, tuple):  # a noun also counted with ngettext: its singular
        return found[0]
    return found if isinstance(found, str) else message


def ngettext(singular: str, plural: str, n: float) -> str:
    """The singular or plural form for ``n`` (Italian and English: singular for exactly 1).

    The catalog entry is keyed by the singular and holds ``(singular, plural)``.
    """
    lang = current_language()
    one = float(n) == 1
    if lang == "en":
        return singular if one else plural
    if lang == PSEUDO:
        return f"⟦{singular if one else plural}⟧"
    found = _catalog(lang).get(singular)
    if isinstance(found, tuple):
        return found[0] if one else found[1]
    return singular if one else plural
