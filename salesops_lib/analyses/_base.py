"""What every analysis shares: the params base, the result surface and opening the source.

Every analysis package (``analyses/funnel``, ``analyses/experiment``, ``analyses/benchmark``, ...)
provides

- a params model deriving from :class:`AnalysisParams` (``params.py``): the single source of the
  analysis's parameter names, types, defaults and docs. The public function's keyword defaults
  equal the model's (a test checks it), and :meth:`AnalysisParams.to_kwargs` turns a validated
  model into the function's arguments, so a notebook never translates by hand;
- a result class deriving from :class:`ResultBase` (``_result.py`` holds the numbers,
  ``_narrative.py`` the words): the same surface for every analysis, checked by one contract
  test over the registry.

The common JSON header
----------------------
:meth:`ResultBase.to_results` returns the analysis's own fields under a common header::

    {"analysis": "experiment",
     "headline": "Ship fast_followup: +5.1 pp SQL within 30 days (+3.1 to +7.2)",
     "period": {"start": "2025-10-01", "end": "2025-12-31", "label": "Q4 2025"},   # or None
     "as_of": "2026-09-30T23:59:59",
     "n": 15600,                      # units analysed (leads, opportunities, reps, ...)
     "n_label": "leads",              # what n counts
     "warnings": ["..."],             # every banner's text, plain
     ...}                             # the analysis's own fields
"""

from __future__ import annotations

import abc
import datetime as dt
import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from pydantic import BaseModel, ConfigDict, field_validator

from salesops_lib._jsonsafe import json_safe
from salesops_lib.analyses._params_errors import validate_model
from salesops_lib.data.period import Period, is_latest, parse_as_of
from salesops_lib.data.sources import DEFAULT_SOURCE, Source, open_source
from salesops_lib.errors import ParamsError, SalesOpsError
from salesops_lib.i18n import (
    _,
    check_timezone,
    check_translated,
    use_language,
)
from salesops_lib.viz.format import fmt_date, fmt_int
from salesops_lib.viz.html import Banner, Blocks, Cards, Definitions, Heading, Paragraph, Summary

__all__ = [
    "AnalysisParams",
    "Header",
    "ResultBase",
    "Section",
    "resolve_source",
    "to_naive_utc",
]


# =========================================================================== source


def resolve_source(source: Any, *, as_of: Any = None) -> Source:
    """An open :class:`~salesops_lib.data.sources.Source` from whatever the user passed.

    ``source`` may already be a ``Source`` (then ``as_of``, when given, must agree with its own
    and is applied through :meth:`Source.with_as_of`), or anything :func:`open_source` takes (a
    path, ``"env:VAR"``, a dict of DataFrames, an Ibis backend, a SparkSession).

    A path and an open source with the same ``as_of`` give identical results: both go through
    :func:`~salesops_lib.data.period.parse_as_of` (a bare date means the end of that day).
    """
    if is_latest(as_of):
        as_of = None
    if isinstance(source, Source):
        if as_of is None:
            return source
        ts = parse_as_of(as_of)
        if source.as_of_explicit and source.as_of == ts:
            return source
        return source.with_as_of(ts)
    return open_source(source, as_of=as_of)


# =========================================================================== params


def to_naive_utc(value: Any) -> Any:
    """Params-side reading of ``as_of``: like :func:`parse_as_of`, as a ``datetime``.

    ``None`` stays ``None``; anything that cannot be read is returned unchanged so that pydantic
    reports the type error with the key's name.
    """
    if value is None or is_latest(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # pydantic says "not a date"
    try:
        return parse_as_of(value).to_pydatetime()
    except ParamsError:
        return value


class AnalysisParams(BaseModel):
    """Parameters common to every analysis and report.

    Subclasses add the analysis's own fields; the analysis function takes the same names with the
    same defaults (minus ``title``): ``run(source, **params.to_kwargs())``.

    Attributes
    ----------
    title
        The report's title line.
    source
        Where the data lives: a ``.duckdb`` file, a folder of ``<table>.parquet``/``.csv`` files,
        or ``"env:VAR"`` (an Ibis URL in environment variable ``VAR``). A relative path is read
        from the folder the report is run from.
    as_of
        Cut-off time of the analysis (naive UTC). A date means the end of that day
        (``2026-09-30`` → ``2026-09-30 23:59:59``). ``None`` or ``"latest"``: the latest
        timestamp in the data; ``"today"``/``"yesterday"``: the end of that UTC day.
    language
        The report's language: ``"en"`` or ``"it"`` (every sentence, label, heading, number,
        percentage, money and date format). An analysis not yet translated into a language
        refuses it (a ParamsError naming the analyses that are).
    timezone
        IANA time zone of the times shown to the reader (``"Europe/Rome"``); the data and
        ``as_of`` stay naive UTC.
    """

    model_config = ConfigDict(extra="forbid")

    #: Fields that belong to the report, not to the analysis function (the language and time
    #: zone are set for the session by :meth:`from_namespace`, or by ``with language("it"):``).
    REPORT_ONLY: ClassVar[tuple[str, ...]] = ("title", "language", "timezone")
    #: The registry name of the analysis (default: the package under ``salesops_lib.analyses``).
    ANALYSIS_NAME: ClassVar[str | None] = None
    #: Parameters naming a file: the runner checks the file the notebook will read (a relative
    #: path found from the working folder, the params file's folder or their parents).
    FILE_PARAMS: ClassVar[tuple[str, ...]] = ()
    #: ``(as_of, grain) -> Period``: the period the analysis takes when the params give none
    #: (the KPI scorecard's last full grain, the forecast's coming one); ``None``: no such rule.
    DEFAULT_PERIOD: ClassVar[Any] = None

    title: str
    source: str = DEFAULT_SOURCE
    as_of: dt.datetime | None = None
    language: Literal["en", "it"] = "en"
    timezone: str = "UTC"

    @classmethod
    def analysis_name(cls) -> str:
        """The analysis these params belong to (``"funnel"``)."""
        if cls.ANALYSIS_NAME:
            return cls.ANALYSIS_NAME
        parts = cls.__module__.split(".")
        return parts[2] if parts[:2] == ["salesops_lib", "analyses"] and len(parts) > 2 else ""

    @field_validator("language", mode="after")
    @classmethod
    def _language_translated(cls, value: str) -> str:
        try:
            check_translated(cls.analysis_name(), value)
        except ParamsError as err:
            raise ValueError(err.problem) from None
        return value

    @field_validator("timezone", mode="after")
    @classmethod
    def _timezone_known(cls, value: str) -> str:
        try:
            return check_timezone(value)
        except ParamsError as err:
            raise ValueError(f"{err.problem}; expected {err.expected}") from None

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_before(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("a bare number is not a date")
        return to_naive_utc(value)

    @classmethod
    def default_period(cls, as_of: pd.Timestamp, values: Mapping[str, Any]) -> Period | None:
        """The period the analysis takes at ``as_of`` when the params give none: its
        :attr:`DEFAULT_PERIOD` rule applied to the params' ``grain`` (``None`` for an analysis
        without one, or when ``period_start``/``period_end`` are given). It fills ``{period}``
        in a title template, so that ``"Sales KPI scorecard, {period}"`` names the period the
        report shows, whatever ``as_of`` it is run at.

        Parameters
        ----------
        as_of
            The resolved as-of time (the data's last record when the params leave it empty).
        values
            The params as read.
        """
        rule = cls.DEFAULT_PERIOD
        if rule is None or any(values.get(k) is not None for k in ("period_start", "period_end")):
            return None
        grain = values.get("grain") or cls.model_fields["grain"].default
        return rule(as_of, grain)

    def to_kwargs(self) -> dict[str, Any]:
        """The analysis function's arguments: every field except the report-only ones."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        for name in self.REPORT_ONLY:
            data.pop(name, None)
        return data

    @classmethod
    def from_namespace(cls, namespace: Mapping[str, Any]) -> AnalysisParams:
        """Validate the model's fields picked from a namespace (a notebook's ``globals()``).

        Raises the same :class:`~salesops_lib.errors.ParamsError` as a params file would. The
        params' ``language`` and ``timezone`` then hold for the session (the notebook kernel),
        so every later cell writes in the report's language.
        """
        values = {k: namespace[k] for k in cls.model_fields if k in namespace}
        params = validate_model(cls, values)
        use_language(params.language, params.timezone)
        return params

    #: Canonical tables the analysis reads when the source has them (see :meth:`tables_read`).
    TABLES_READ: ClassVar[tuple[str, ...]] = ()

    def tables_read(self) -> tuple[str, ...]:
        """The canonical tables this run reads when the source has them (default
        :attr:`TABLES_READ`; a model overrides it where its parameters decide)."""
        return self.TABLES_READ

    def check_tables(self) -> None:
        """Validate every table of :meth:`tables_read` the source has, before a kernel starts.

        The runner calls it before :meth:`check_data`, for every report, so that a table that
        breaks the data model (``DATA_MODEL.md``) exits with its message before any notebook
        runs instead of seconds into the kernel. Missing tables are left to :meth:`check_data`
        and the analysis, which say what they are needed for.

        Raises
        ------
        DataValidationError
            The first table that breaks the data model, naming the table and column.
        SourceError
            ``source`` cannot be opened or a table cannot be read.
        """
        if not self.tables_read():  # nothing to check: do not open the source
            return
        src = open_source(self.source, as_of=self.as_of)
        try:
            for name in self.tables_read():
                if src.has_table(name):
                    src.table(name)
        finally:
            src.close()

    def check_data(self) -> None:  # pragma: no cover - overridden where data must be checked
        """Check the parameters against the data before a kernel starts (default: nothing)."""


def signature_defaults(func: Any) -> dict[str, Any]:
    """Keyword defaults of ``func`` (for the test that they equal the params model's)."""
    out = {}
    for name, p in inspect.signature(func).parameters.items():
        if p.default is not inspect.Parameter.empty:
            out[name] = p.default
    return out


# =========================================================================== results


@dataclass(frozen=True)
class Header:
    """The common head of every report's ``results``: see the module docstring."""

    analysis: str
    headline: str
    as_of: pd.Timestamp | None
    n: int | None
    n_label: str
    period: Period | None = None
    warnings: Sequence[str] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysis": self.analysis,
            "headline": self.headline,
            "period": None if self.period is None else self.period.to_dict(),
            "as_of": None if self.as_of is None else pd.Timestamp(self.as_of).isoformat(),
            "n": None if self.n is None else int(self.n),
            "n_label": self.n_label,
            "warnings": [str(w) for w in self.warnings],
        }


@dataclass
class Section:
    """One section of a report, decided by the narrative from the data.

    Attributes
    ----------
    key
        Stable name used by the notebook (``res.show("leaks")``).
    title
        Heading; states what the section answers, in the data's words (stage names, units).
    intro
        One or two plain sentences that tell the reader how to read what follows.
    plots
        Plot kinds drawn in order (each a ``res.plot(kind)``).
    blocks
        Displayable blocks after the charts (tables, notes).
    absent
        When set, the section is left out of the report (and its contents); its title and this
        one line saying why are listed under "Not in this report" (:meth:`ResultBase.not_shown`).
    """

    key: str
    title: str
    intro: str | None = None
    plots: Sequence[str] = ()
    blocks: Sequence[Any] = field(default_factory=tuple)
    absent: str | None = None


#: An explicit as-of time this many days after the last record gets a banner.
_STALE_DAYS = 31


def _period_of(res: Any) -> Period | None:
    """The analysed period of a result (``res.period`` or ``res.meta.period``), if any."""
    for cand in (getattr(res, "period", None), getattr(getattr(res, "meta", None), "period", None)):
        if isinstance(cand, Period):
            return cand
    return None


def _reason(absent: str) -> str:
    """The why of an absent section, without a leading "Not shown:"."""
    text = absent.strip()
    for prefix in ("Not shown:", "Not shown,"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return text[:1].upper() + text[1:]


def _warning_text(banner: Any) -> list[str]:
    text = getattr(banner, "text", banner)
    title = getattr(banner, "title", None)
    items = [text] if isinstance(text, str) else list(text)
    return [f"{title} {t}" if title else str(t) for t in items]


class ResultBase(abc.ABC):
    """The surface every analysis result offers (lifelines / statsmodels style: learn one, know
    all).

    Subclasses implement the abstract methods (numbers in ``_result.py``, words delegated to
    ``_narrative.py``); the base assembles the common JSON header, the notebook display and the
    section display.
    """

    #: Registry name (``"funnel"``, ``"experiment"``, ...).
    ANALYSIS: ClassVar[str]
    #: A forecast's period lies after ``as_of`` on purpose: no "partial period" banner.
    LOOKS_AHEAD: ClassVar[bool] = False
    #: Plot kinds accepted by :meth:`plot`; the first is the default.
    PLOT_KINDS: ClassVar[tuple[str, ...]]

    # ------------------------------------------------------------------ words
    @abc.abstractmethod
    def headline(self) -> str:
        """The one sentence a leader should read (goes into the JSON header and the index)."""

    @abc.abstractmethod
    def summary(self) -> Summary:
        """The answer first: a :class:`Summary` block (iterates as its sentences)."""

    def banners(self) -> list[Banner]:
        """Data-quality and scope messages shown above the summary (may be empty)."""
        return []

    @abc.abstractmethod
    def cards(self) -> Cards:
        """Key-number cards."""

    @abc.abstractmethod
    def tables(self) -> Blocks:
        """Detail tables."""

    @abc.abstractmethod
    def methods(self) -> Definitions:
        """Methods and definitions: every figure's definition, formula and reference."""

    def sections(self) -> list[Section]:
        """The report's body sections in order (default: none beyond the top and the tables)."""
        return []

    # ------------------------------------------------------------------ numbers
    @abc.abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """The main tidy table of numbers."""

    @abc.abstractmethod
    def header(self) -> Header:
        """The common JSON header (see the module docstring)."""

    @abc.abstractmethod
    def _results(self) -> dict[str, Any]:
        """The analysis's own fields of ``results``."""

    def to_results(self) -> dict[str, Any]:
        """Plain-JSON results: the common header, then the analysis's own fields."""
        head = json_safe(self.header().to_dict())
        own = json_safe(self._results())
        out = {**head, **own}
        for key in set(head) & set(own):
            h, o = head[key], own[key]
            if isinstance(h, dict) and isinstance(o, dict):
                # an analysis may say more about the same thing (e.g. the period's as-of)
                if any(k in o and o[k] != v for k, v in h.items()):
                    raise RuntimeError(f"results field {key!r} disagrees with the common header")
                out[key] = {**h, **o}
            elif h != o:
                raise RuntimeError(f"results field {key!r} disagrees with the common header")
        return out

    # ------------------------------------------------------------------ charts
    def plot(self, kind: str | None = None, *, ax: Any = None) -> Any:
        """Draw one of :attr:`PLOT_KINDS` (default: the first) and return the ``Axes``.

        A kind may carry a detail after a colon, e.g. ``"segments:region"`` (the breakdown
        column); it is passed to ``_plot_<kind>(detail=...)``.
        """
        kind = kind or self.PLOT_KINDS[0]
        name, _, detail = kind.partition(":")
        if name not in self.PLOT_KINDS:
            raise ParamsError(
                "kind", f"got {kind!r}", expected=" or ".join(repr(k) for k in self.PLOT_KINDS)
            )
        draw = getattr(self, f"_plot_{name}")
        return draw(ax=ax, detail=detail) if detail else draw(ax=ax)

    # ------------------------------------------------------------------ display
    def scope_banners(self) -> list[Banner]:
        """Honest ``as_of`` (one rule for every analysis): a banner when an explicit as-of time is
        more than a month after the last record in the data, or the period asked for ends after
        the as-of time. Each names the last record's date, so a reader knows the recent figures
        are missing rather than low."""
        src = getattr(self, "source", None)
        if src is None or not hasattr(src, "last_record"):
            return []
        try:
            as_of, last = pd.Timestamp(src.as_of), pd.Timestamp(src.last_record())
        except SalesOpsError:
            return []
        out: list[Banner] = []
        gap = (as_of - last).days
        if getattr(src, "as_of_explicit", False) and gap > _STALE_DAYS:
            out.append(
                Banner(
                    _(
                        "The as-of time, {as_of}, is {gap} days after the last record in "
                        "the data ({last}): nothing after {last} is observed, so "
                        "recent figures are missing, not low. Set as_of to the data's last day, or "
                        "load newer data."
                    ).format(as_of=fmt_date(as_of), gap=fmt_int(gap), last=fmt_date(last)),
                    title=_("The data ends before the as-of time."),
                )
            )
        period = None if self.LOOKS_AHEAD else _period_of(self)
        if period is not None and pd.Timestamp(period.end) > as_of.normalize():
            out.append(
                Banner(
                    _(
                        "The period asked for ends on {end}, after the "
                        "as-of time ({as_of}; last record {last}): its last "
                        "{days} days are not in the "
                        "data, and the figures cover the period up to the as-of time only."
                    ).format(
                        end=fmt_date(period.end),
                        as_of=fmt_date(as_of),
                        last=fmt_date(last),
                        days=fmt_int((pd.Timestamp(period.end) - as_of.normalize()).days),
                    ),
                    level="info",
                    title=_("Partial period."),
                )
            )
        return out

    def top(self) -> Blocks:
        """Banners, summary and cards: the top of the report."""
        return Blocks([*self.scope_banners(), *self.banners(), self.summary(), self.cards()])

    def section(self, key: str) -> Section | None:
        """The section named ``key``, or ``None`` when the analysis has none by that name."""
        return next((s for s in self.sections() if s.key == key), None)

    def show(self, key: str) -> None:
        """Display section ``key`` in a notebook: heading, intro, charts, blocks.

        A section with nothing true to say (``absent``) displays nothing here; it is listed, with
        its one line why, by :meth:`not_shown`.
        """
        s = self.section(key)
        if s is None or s.absent:
            return
        display(Heading(s.title))
        if s.intro:
            display(Paragraph(s.intro))
        for kind in s.plots:
            ax = self.plot(kind)
            display(ax.figure)
            plt.close(ax.figure)
        for block in s.blocks:
            display(block)

    def not_shown(self) -> Blocks:
        """ "Not in this report": each left-out section's title and one line why (or nothing)."""
        gone = [s for s in self.sections() if s.absent]
        if not gone:
            return Blocks([])
        rows = [(s.title, _reason(s.absent)) for s in gone]
        return Blocks([Heading(_("Not in this report")), Definitions(rows)])

    def _repr_html_(self) -> str:
        return self.top()._repr_html_()

    def warnings(self) -> list[str]:
        """Every banner's text, plain (the header's ``warnings``)."""
        return [t for b in [*self.scope_banners(), *self.banners()] for t in _warning_text(b)]
