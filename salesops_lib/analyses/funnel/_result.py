"""Numbers of a funnel analysis: the result objects (numbers only; words come from
:mod:`._narrative`, charts from :mod:`._charts`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib._jsonsafe import json_safe
from salesops_lib.analyses._base import Header, ResultBase, Section
from salesops_lib.analyses.funnel import _charts as C
from salesops_lib.analyses.funnel import _narrative as N
from salesops_lib.analyses.funnel import _narrative_methods as NM
from salesops_lib.analyses.funnel import _narrative_sections as NS
from salesops_lib.analyses.funnel import _stats as FS
from salesops_lib.analyses.funnel._engine import MISSING, Filters
from salesops_lib.data.period import Period
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, current_language
from salesops_lib.stats.proportions import newcombe_diff_interval
from salesops_lib.viz.format import fmt_int, fmt_pct, interval_level, plural
from salesops_lib.viz.html import Banner, Blocks, Cards, Definitions, Summary, Table

__all__ = [
    "CohortMatrix",
    "FunnelResult",
    "FunnelSteps",
    "PeriodComparison",
    "SegmentRates",
    "TimeToConvert",
    "filter_label",
]


def filter_label(filters: Filters) -> str:
    """``"region = EMEA"``, ``"region = EMEA or APAC and team = Team East"`` (``""`` when none)."""
    return _(" and ").join(f"{c.replace('_', ' ')} = {_(' or ').join(v)}" for c, v in filters)


def _noun(funnel: str) -> str:
    return _("leads") if funnel == "lead" else _("opportunities")


@dataclass
class _Meta:
    stages: tuple[str, ...]
    funnel: str
    window_days: int
    as_of: pd.Timestamp
    period: Period | None = None
    alpha: float = 0.05
    filters: Filters = ()
    filters_on_reps: tuple[str, ...] = ()
    exclude_campaigns: tuple[str, ...] = ()
    unit_label: str | None = None

    @property
    def noun(self) -> str:
        """The entities in words, plural: ``unit_label`` when given, else leads/opportunities."""
        if self.unit_label:  # a data name: pluralised in English only
            return plural(self.unit_label) if current_language() == "en" else self.unit_label
        return _noun(self.funnel)

    @property
    def filter_label(self) -> str:
        """``"region = EMEA"`` or ``""``."""
        return filter_label(self.filters)

    @property
    def population(self) -> str:
        """Who is counted: ``"leads"``, ``"EMEA leads"`` (one value of one descriptive column)
        or ``"leads (region = EMEA)"``."""
        tail = (
            _(" not in {campaigns}").format(campaigns=_(" or ").join(self.exclude_campaigns))
            if self.exclude_campaigns
            else ""
        )
        if not self.filters:
            return self.noun + tail
        if len(self.filters) == 1:
            col, vals = self.filters[0]
            if (
                len(vals) == 1
                and vals[0] != MISSING
                and not col.endswith("_id")
                and col not in ("owner", "rep")
            ):
                return _("{value} {noun}{tail}").format(value=vals[0], noun=self.noun, tail=tail)
        return f"{self.noun}{tail} ({self.filter_label})"

    @property
    def level(self) -> str:
        """The intervals' confidence level as a reader sees it: ``"95%"`` for alpha 0.05."""
        return interval_level(self.alpha)

    def with_period(self, period: Period | None) -> _Meta:
        return replace(self, period=period)


def _yes_no(x: Any) -> str:
    """A flag in a table: ``True``/``False`` in English (as before), ``sì``/``no`` otherwise."""
    if current_language() == "en":
        return str(x)
    return _("yes") if bool(x) else _("no")


def _low(meta: _Meta) -> str:
    return _("{level} low").format(level=meta.level)


def _high(meta: _Meta) -> str:
    return _("{level} high").format(level=meta.level)


def _fmt_table(
    df: pd.DataFrame, formats: dict[str, str], columns: dict[str, str], caption: str | None = None
) -> str:
    return Table(df, formats=formats, columns=columns, caption=caption)._repr_html_()


@dataclass
class FunnelSteps:
    """Per-step counts and rates of one cohort (see the module docstring for definitions).

    ``table`` columns: ``step, stage, to_stage, reached, skipped, entered, converted, late,
    incomplete, lost, rate, ci_low, ci_high, cumulative_rate, cum_ci_low, cum_ci_high``
    (``late``: entered, reached the next stage only after the window; not in ``converted``).
    """

    table: pd.DataFrame
    meta: _Meta
    n: int = 0

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def bottleneck(self) -> dict[str, Any]:
        """The step with the lowest rate (largest share lost), and whether it is clearly lowest."""
        return bottleneck(self.table, alpha=self.meta.alpha)

    def _repr_html_(self) -> str:
        return _fmt_table(
            self.table,
            {"rate": "pct", "ci_low": "pct", "ci_high": "pct", "cumulative_rate": "pct"},
            {
                "step": _("Step"),
                "reached": _("Reached"),
                "incomplete": _("Too recent"),
                "entered": _("Entered"),
                "converted": _("Converted"),
                "rate": _("Rate"),
                "ci_low": _low(self.meta),
                "ci_high": _high(self.meta),
                "cumulative_rate": _("Cumulative"),
            },
        )

    def plot(self, ax: Any = None, *, title: str | None = None) -> Any:
        return C.funnel_plot(
            self.table,
            ax=ax,
            title=title,
            highlight=self.bottleneck().get("step"),
            level=self.meta.level,
        )


def bottleneck(steps: pd.DataFrame, *, alpha: float = 0.05) -> dict[str, Any]:
    """Lowest step rate; compared with the second lowest by a Newcombe interval."""
    ok = steps[steps["entered"] > 0].sort_values("rate")
    if ok.empty:
        return {}
    b = ok.iloc[0]
    out: dict[str, Any] = {
        "step": b["step"],
        "stage": b["stage"],
        "to_stage": b["to_stage"],
        "rate": float(b["rate"]),
        "ci_low": float(b["ci_low"]),
        "ci_high": float(b["ci_high"]),
        "lost": int(b["lost"]),
        "entered": int(b["entered"]),
        "most_lost_step": str(steps.loc[steps["lost"].idxmax(), "step"]),
        "runner_up": None,
        "clear": True,
    }
    if len(ok) > 1:
        r = ok.iloc[1]
        d, lo, hi = newcombe_diff_interval(
            r["converted"], r["entered"], b["converted"], b["entered"], alpha=alpha
        )
        out.update(
            runner_up=r["step"],
            runner_up_rate=float(r["rate"]),
            gap=d,
            gap_ci_low=lo,
            gap_ci_high=hi,
        )
        out["clear"] = bool(lo > 0)
    return out


@dataclass
class SegmentRates:
    """Step rates per segment of one or more breakdown columns.

    ``table``: ``segment_column, segment, step, stage, to_stage, reached, entered, converted,
    incomplete, lost, rate, ci_low, ci_high, small, rank`` (``rank`` among segments with at least
    ``min_segment_size`` entered; small segments are flagged, not ranked).
    ``tests``: chi-square test of equal rates per (column, step) over the non-small segments.
    ``pairwise``: every pair of non-small segments, Newcombe interval, Holm-adjusted p-value.
    """

    table: pd.DataFrame
    tests: pd.DataFrame
    meta: _Meta
    min_segment_size: int = 30
    overall: pd.DataFrame | None = None
    _pairwise: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def pairwise(self) -> pd.DataFrame:
        """Pairwise comparisons (computed on first use)."""
        if self._pairwise is None:
            self._pairwise = FS.segment_pairwise(self.table, alpha=self.meta.alpha)
        return self._pairwise

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def for_step(self, step: str | None = None, column: str | None = None) -> pd.DataFrame:
        t = self.table
        column = column or (t["segment_column"].iloc[0] if len(t) else None)
        step = step or self.most_different_step(column)
        return t[(t["segment_column"] == column) & (t["step"] == step)]

    def most_different_step(self, column: str | None = None) -> str | None:
        """The step where segments differ most (smallest chi-square p-value; ties: largest
        spread)."""
        tests = self.tests
        if tests.empty:
            return None
        if column is not None:
            tests = tests[tests["segment_column"] == column]
        tests = tests.assign(_p=tests["p_value"].fillna(1.0), _s=-tests["statistic"].fillna(0))
        return str(tests.sort_values(["_p", "_s"]).iloc[0]["step"])

    def _repr_html_(self) -> str:
        return _fmt_table(
            self.table,
            {"rate": "pct", "ci_low": "pct", "ci_high": "pct", "small": _yes_no},
            {
                "segment_column": _("Breakdown"),
                "segment": _("Segment"),
                "step": _("Step"),
                "entered": _("Entered"),
                "converted": _("Converted"),
                "rate": _("Rate"),
                "ci_low": _low(self.meta),
                "ci_high": _high(self.meta),
                "small": f"n < {self.min_segment_size}",
            },
        )

    def plot(
        self,
        ax: Any = None,
        *,
        step: str | None = None,
        column: str | None = None,
        title: str | None = None,
    ) -> Any:
        part = self.for_step(step, column)
        pooled = None
        highlight = None
        if len(part):
            o = (
                self.overall[self.overall["step"] == part["step"].iloc[0]]
                if self.overall is not None
                else []
            )
            pooled = float(o["rate"].iloc[0]) if len(o) else None
            t = self.tests[
                (self.tests["segment_column"] == part["segment_column"].iloc[0])
                & (self.tests["step"] == part["step"].iloc[0])
            ]
            p = float(t["p_value"].iloc[0]) if len(t) else np.nan
            if not (p < self.meta.alpha):  # "we cannot tell them apart": nothing to single out
                highlight = []
        return C.segment_plot(
            part,
            ax=ax,
            title=title,
            pooled=pooled,
            min_size=self.min_segment_size,
            highlight=highlight,
            level=self.meta.level,
        )


@dataclass
class TimeToConvert:
    """Censoring-aware time between stages (Kaplan–Meier; open entities censored at as-of).

    ``table``: one row per stage pair (and segment when ``by`` was given): ``from_stage,
    to_stage, n, events, median_days, ci_low, ci_high, p75_days, ..., p90_days, ...,
    converters_median_days`` (+ interval; **over converters only**), ``converters_mean_days``
    (**converters only**), ``within_{N}d`` (+ interval).
    ``curves``: ``step, day, converted, ci_low, ci_high`` — share converted within N days.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    km: dict[Any, Any]
    meta: _Meta
    logrank: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _repr_html_(self) -> str:
        return _fmt_table(
            self.table,
            {
                "median_days": "days",
                "ci_low": "days",
                "ci_high": "days",
                "p75_days": "days",
                "p90_days": "days",
                "converters_median_days": "days",
                "converters_mean_days": "num",
            },
            {
                "step": _("Step"),
                "n": _("Entities"),
                "events": _("Converted"),
                "median_days": _("Median days"),
                "ci_low": _low(self.meta),
                "ci_high": _high(self.meta),
                "p75_days": _("75% converted by"),
                "p90_days": _("90% converted by"),
                "converters_median_days": _("Median (converters only)"),
                "converters_mean_days": _("Mean (converters only)"),
            },
        )

    def plot(
        self,
        ax: Any = None,
        *,
        steps: Sequence[str] | None = None,
        highlight: str | None = None,
        title: str | None = None,
    ) -> Any:
        curves = self.curves
        if steps is not None:
            curves = curves[curves["step"].isin(steps)]
        return C.time_to_convert_plot(
            curves, ax=ax, title=title, highlight=highlight, level=self.meta.level
        )


@dataclass
class CohortMatrix:
    """Share of each creation cohort that reached each stage within ``horizon_days`` of entry.

    ``table`` (long): ``cohort, cohort_label, stage, horizon_days, n, reached, complete,
    mature_share, rate, ci_low, ci_high``. Cells with ``complete == False`` are cohorts whose
    window has not elapsed yet: their rate is a floor, shown as incomplete, never as low.
    """

    table: pd.DataFrame
    meta: _Meta
    grain: str = "month"
    horizon_days: int = 90
    #: How many cohorts (months or weeks up to as_of) were asked for (``cohort_periods``).
    periods: int = 0

    def to_frame(self, *, wide: bool = False) -> pd.DataFrame:
        if not wide:
            return self.table.copy()
        t = self.table.assign(rate=self.table["rate"].where(self.table["complete"]))
        return (
            t.pivot(index="cohort_label", columns="stage", values="rate")
            .reindex(columns=list(self.meta.stages[1:]))
            .loc[list(dict.fromkeys(self.table["cohort_label"]))]
        )

    def _repr_html_(self) -> str:
        t = self.table.copy()
        t["value"] = [
            fmt_pct(r) if c else _("{rate} (incomplete)").format(rate=fmt_pct(r))
            for r, c in zip(t["rate"], t["complete"], strict=True)
        ]
        wide = t.pivot(index="cohort_label", columns="stage", values="value")
        wide = wide.reindex(columns=list(self.meta.stages[1:])).loc[
            list(dict.fromkeys(t["cohort_label"]))
        ]
        n = t.drop_duplicates("cohort_label").set_index("cohort_label")["n"]
        wide.insert(0, _("Entered"), n.map(fmt_int))
        starts = t.drop_duplicates("cohort_label").set_index("cohort_label")["cohort"]
        wide = wide.reset_index()
        wide["cohort_label"] = [C._cohort_label(c, starts.get(c)) for c in wide["cohort_label"]]
        wide = wide.rename(columns={"cohort_label": _("Cohort")})
        return _fmt_table(wide, {}, {})

    def plot(self, ax: Any = None, *, title: str | None = None) -> Any:
        return C.cohort_heatmap(self.table, ax=ax, title=title, stages=list(self.meta.stages[1:]))


@dataclass
class PeriodComparison:
    """Each step this period vs the previous period (and the overall conversion).

    ``table``: ``step, entered_prev, converted_prev, rate_prev (+ci), entered, converted, rate
    (+ci), diff, diff_ci_low, diff_ci_high, z, p_value, p_holm, overall, clear``.
    ``clear`` means the Holm-adjusted p-value is below alpha: more than noise.
    """

    table: pd.DataFrame
    meta: _Meta
    previous: Period | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _repr_html_(self) -> str:
        return _fmt_table(
            self.table.assign(step=[C._overall(s) for s in self.table["step"]]),
            {
                "rate_prev": "pct",
                "rate": "pct",
                "diff": "pp",
                "diff_ci_low": "pp",
                "diff_ci_high": "pp",
                "p_value": "p",
                "p_holm": "p",
            },
            {
                "step": _("Step"),
                "rate_prev": str(self.previous or _("previous")),
                "rate": str(self.meta.period or _("current")),
                "diff": _("Change"),
                "diff_ci_low": _low(self.meta),
                "diff_ci_high": _high(self.meta),
                "p_holm": _("p (Holm)"),
            },
        )

    def plot(self, ax: Any = None, *, title: str | None = None) -> Any:
        t = self.table
        if len(self.meta.stages) <= 2:  # one step: its "overall" row would repeat it
            t = t[~t["overall"]]
        return C.comparison_plot(t, ax=ax, title=title, level=self.meta.level)


@dataclass
class FunnelResult(ResultBase):
    """Everything :func:`~salesops_lib.analyses.funnel.funnel_analysis` found.

    Attributes: ``steps`` (:class:`FunnelSteps`), ``segments`` (:class:`SegmentRates` or
    ``None``), ``time_to_convert`` (:class:`TimeToConvert`), ``cohorts`` (:class:`CohortMatrix`),
    ``comparison`` (:class:`PeriodComparison` or ``None``), ``previous_steps``, ``source`` (the
    open source). The surface is the one of every analysis (:class:`ResultBase`).
    """

    ANALYSIS = "funnel"
    PLOT_KINDS = ("funnel", "comparison", "segments", "time", "cohorts")

    steps: FunnelSteps
    segments: SegmentRates | None
    time_to_convert: TimeToConvert
    cohorts: CohortMatrix | None
    comparison: PeriodComparison | None
    meta: _Meta
    previous_steps: FunnelSteps | None = None
    previous: Period | None = None
    row_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    campaigns: pd.DataFrame | None = None
    excluded: dict[str, int] = field(default_factory=dict)
    source: Any = None

    # ---- numbers the narrative reads
    def overlapping_campaigns(self) -> pd.DataFrame:
        """Rows of :attr:`campaigns` for campaigns that overlap a cohort materially."""
        c = self.campaigns
        if c is None or c.empty:
            return pd.DataFrame(columns=list(c.columns) if c is not None else [])
        return c[c["material"]]

    def bottleneck(self) -> dict[str, Any]:
        """The step with the lowest rate, compared with the runner-up."""
        return self.steps.bottleneck()

    def focus_step(self, column: str | None = None) -> str | None:
        """The step a breakdown chart shows: the biggest leak when segments differ there by more
        than chance, else the step where they differ most clearly."""
        if self.segments is None:
            return None
        col = column or self.segments.table["segment_column"].iloc[0]
        b = self.bottleneck().get("step")
        t = self.segments.tests
        hit = t[(t["segment_column"] == col) & (t["step"] == b)]
        if b is not None and len(hit) and hit["p_value"].iloc[0] < self.meta.alpha:
            return str(b)
        return self.segments.most_different_step(col)

    def breakdown_columns(self) -> list[str]:
        """The breakdown columns, in the order asked for."""
        if self.segments is None:
            return []
        return list(dict.fromkeys(self.segments.table["segment_column"]))

    # ---- words (from _narrative)
    def campaign_warnings(self) -> list[str]:
        """One sentence per campaign or experiment that holds a large share of a cohort."""
        return [N.articles(t) for t in N.campaign_warnings(self)]

    def headlines(self) -> dict[str, str]:
        """Chart titles that state the finding."""
        return {k: N.articles(v) for k, v in NS.headlines(self).items()}

    def headline(self) -> str:
        return N.articles(NS.headline(self))

    def summary(self) -> Summary:
        return Summary([N.articles(s) for s in N.summary_sentences(self)])

    def banners(self) -> list[Banner]:
        """Campaigns or experiments that hold a large share of a cohort first, then other notes."""
        items = self.campaign_warnings() + [N.articles(t) for t in self.notes]
        return [Banner(items, level="warning", title=_("Read with care:"))] if items else []

    def cards(self) -> Cards:
        return N.cards(self)

    def tables(self) -> Blocks:
        return Blocks(NM.detail_tables(self))

    def methods(self) -> Definitions:
        return NM.definitions(self)

    def sections(self) -> list[Section]:
        return NS.sections(self)

    # ---- numbers out
    def to_frame(self) -> pd.DataFrame:
        return self.steps.to_frame()

    def header(self) -> Header:
        return Header(
            analysis=self.ANALYSIS,
            headline=self.headline(),
            as_of=self.meta.as_of,
            n=self.steps.n,
            n_label=self.meta.noun,
            period=self.meta.period,
            warnings=self.warnings(),
        )

    def _results(self) -> dict[str, Any]:
        return results_fields(self)

    # ---- charts
    def _plot_funnel(self, *, ax: Any = None) -> Any:
        return self.steps.plot(ax=ax, title=self.headlines()["funnel"])

    def _plot_comparison(self, *, ax: Any = None) -> Any:
        if self.comparison is None:
            raise_absent("comparison", "no comparison period (compare_to: none, or it was empty)")
        return self.comparison.plot(ax=ax, title=self.headlines()["comparison"])

    def _plot_segments(self, *, ax: Any = None, detail: str | None = None) -> Any:
        if self.segments is None:
            raise_absent("segments", "no breakdowns were asked for")
        col = detail or self.breakdown_columns()[0]
        step = self.focus_step(col)
        return self.segments.plot(
            ax=ax, step=step, column=col, title=self.headlines().get(f"segments:{col}")
        )

    def _plot_time(self, *, ax: Any = None) -> Any:
        return self.time_to_convert.plot(
            ax=ax,
            steps=list(self.steps.table["step"]),
            highlight=self.bottleneck().get("step"),
            title=self.headlines()["time"],
        )

    def _plot_cohorts(self, *, ax: Any = None) -> Any:
        if self.cohorts is None or self.cohorts.table.empty:
            raise_absent("cohorts", "no cohort has entities")
        return self.cohorts.plot(ax=ax, title=self.headlines()["cohorts"])


def raise_absent(kind: str, why: str) -> None:
    """A chart the data cannot support: one clear error instead of an empty figure."""
    raise ParamsError("kind", f"{kind!r} cannot be drawn: {why}")


def _records(df: pd.DataFrame, cols: list[str]) -> list[dict[str, Any]]:
    """Rows of ``df`` (the given columns that exist) as plain-JSON records."""
    return json_safe(df[[c for c in cols if c in df.columns]])


def results_fields(res: FunnelResult) -> dict[str, Any]:
    m = res.meta
    steps = _records(
        res.steps.table,
        [
            "stage",
            "to_stage",
            "step",
            "reached",
            "skipped",
            "incomplete",
            "entered",
            "converted",
            "late",
            "rate",
            "ci_low",
            "ci_high",
            "cumulative_rate",
            "cum_ci_low",
            "cum_ci_high",
        ],
    )
    segments = (
        _records(
            res.segments.table,
            [
                "segment_column",
                "segment",
                "stage",
                "to_stage",
                "step",
                "entered",
                "converted",
                "rate",
                "ci_low",
                "ci_high",
                "small",
                "rank",
            ],
        )
        if res.segments is not None
        else []
    )
    ttc = _records(
        res.time_to_convert.table,
        [
            "from_stage",
            "to_stage",
            "n",
            "events",
            "median_days",
            "ci_low",
            "ci_high",
            "p75_days",
            "p90_days",
            "converters_median_days",
            "converters_mean_days",
        ]
        + [c for c in res.time_to_convert.table.columns if c.startswith("within_")],
    )
    out: dict[str, Any] = {
        "funnel": m.funnel,
        "filters": {col: list(vals) for col, vals in m.filters},
        "stages": list(m.stages),
        "window_days": m.window_days,
        "period": {
            "start": m.period.start.isoformat(),
            "end": m.period.end.isoformat(),
            "label": m.period.label,
        },
        "as_of": m.as_of.isoformat(),
        "n_entities": res.steps.n,
        "steps": steps,
        "segments": segments,
        "time_to_convert": ttc,
        "bottleneck": {k: v for k, v in res.bottleneck().items()},
        "summary": " ".join(res.summary()),
        "campaign_warnings": res.campaign_warnings(),
        "campaign_overlap": (
            _records(
                res.campaigns,
                [
                    "campaign_id",
                    "type",
                    "experiment",
                    "period",
                    "stage",
                    "reached",
                    "members",
                    "share",
                    "material",
                ],
            )
            if res.campaigns is not None
            else []
        ),
        "exclude_campaign_members": list(m.exclude_campaigns),
        "excluded_members": dict(res.excluded),
    }
    out["bottleneck"] = (
        _records(pd.DataFrame([out["bottleneck"]]), list(out["bottleneck"]))[0]
        if out["bottleneck"]
        else {}
    )
    if res.segments is not None:
        out["segment_tests"] = _records(res.segments.tests, list(res.segments.tests.columns))
    if res.comparison is not None:
        out["previous_period"] = {
            "start": res.previous.start.isoformat(),
            "end": res.previous.end.isoformat(),
            "label": res.previous.label,
        }
        out["comparison"] = _records(
            res.comparison.table,
            [
                "step",
                "rate_prev",
                "rate",
                "diff",
                "diff_ci_low",
                "diff_ci_high",
                "p_value",
                "p_holm",
                "clear",
                "overall",
            ],
        )
    if res.cohorts is not None:
        out["cohorts"] = _records(
            res.cohorts.table,
            ["cohort", "stage", "n", "reached", "rate", "ci_low", "ci_high", "complete"],
        )
    return out
