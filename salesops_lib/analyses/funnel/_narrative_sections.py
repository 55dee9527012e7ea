"""Words for the funnel report's chart headlines, one-line headline and sections (titles,
intros, why a section is left out).

Private; used by :class:`salesops_lib.analyses.funnel._result.FunnelResult`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.funnel._charts import _cohort_label
from salesops_lib.analyses.funnel._engine import MISSING
from salesops_lib.analyses.funnel._narrative import (
    _campaign_caveat,
    _cohort_period,
    _col,
    _cols,
    _date_dmy,
    _en,
    _ndays,
    _overall,
    _reach_words,
    _reached_phrase,
    _step_words,
    _top_overlap,
    articles,
    time_note,
)
from salesops_lib.i18n import _, ngettext
from salesops_lib.viz.format import (
    fmt_days,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
    is_missing,
)
from salesops_lib.viz.html import Note

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.funnel._result import FunnelResult

__all__: list[str] = []  # private module


# --------------------------------------------------------------------------- headlines


def _ratio(x: float) -> str:
    return f"{x:.1f}" if _en() else fmt_num(x, 1)


def headlines(res: FunnelResult) -> dict[str, str]:
    m = res.meta
    out: dict[str, str] = {}
    b = res.bottleneck()
    if b:
        out["funnel"] = (
            _("{step} loses the most: only {rate} move on").format(
                step=_step_words(b["step"]), rate=fmt_pct(b["rate"])
            )
            if b["clear"]
            else _("{step} and {runner_up} lose the most").format(
                step=_step_words(b["step"]), runner_up=_step_words(b["runner_up"])
            )
        )
    else:
        out["funnel"] = _("Conversion by step")
    if res.comparison is not None:
        t = res.comparison.table
        clear = t[t["clear"] & ~t["overall"]]
        if len(clear):
            r = clear.loc[clear["diff"].abs().idxmax()]
            out["comparison"] = (
                _("{step} improved by {change} vs {prev}")
                if r["diff"] > 0
                else _("{step} worsened by {change} vs {prev}")
            ).format(
                step=_step_words(r["step"]),
                change=fmt_pp(abs(r["diff"]), sign=False),
                prev=res.previous,
            )
            k = list(m.stages).index(r["stage"])
            if _campaign_caveat(res, k):
                top = max(
                    (
                        _top_overlap(res, cid, k)
                        for cid in dict.fromkeys(res.overlapping_campaigns()["campaign_id"])
                    ),
                    key=lambda row: float(row["share"]),
                )
                out["comparison"] += (
                    _(",\nwhen {share} of {period} {who} were in experiment {id}")
                    if top["experiment"]
                    else _(",\nwhen {share} of {period} {who} were in campaign {id}")
                ).format(
                    share=fmt_pct(top["share"], 0),
                    period=top["period"],
                    who=_reached_phrase(res, top["stage"], short=True),
                    id=top["campaign_id"],
                )
        else:
            out["comparison"] = _("No step changed by more than chance vs {prev}").format(
                prev=res.previous
            )
    if res.segments is not None and len(res.segments.table):
        for col in dict.fromkeys(res.segments.table["segment_column"]):
            step = res.focus_step(col)
            part = res.segments.for_step(step, col)
            big = part[~part["small"] & (part["segment"] != MISSING)].sort_values("rate")
            test = res.segments.tests
            test = test[(test["segment_column"] == col) & (test["step"] == step)]
            if len(big) >= 2 and len(test) and test["p_value"].iloc[0] < m.alpha:
                lo_r, hi_r = big.iloc[0], big.iloc[-1]
                ratio = hi_r["rate"] / lo_r["rate"] if lo_r["rate"] > 0 else np.inf
                out[f"segments:{col}"] = (
                    _("{high} converts {ratio}× as often as {low} at {step}").format(
                        high=hi_r["segment"],
                        ratio=_ratio(ratio),
                        low=lo_r["segment"],
                        step=_step_words(step),
                    )
                    if np.isfinite(ratio)
                    else _("{step} conversion differs by {col}").format(
                        step=_step_words(step), col=_col(col)
                    )
                )
            else:
                out[f"segments:{col}"] = _("We cannot tell {cols} apart at {step}").format(
                    cols=_cols(col), col=_col(col), step=_step_words(step or "")
                )
    tt = res.time_to_convert.table
    row = tt[tt["step"] == b.get("step")] if b else tt.iloc[:0]
    if len(row):
        r = row.iloc[0]
        who = _reached_phrase(res, r["from_stage"], short=True)
        out["time"] = (
            _("Half of {who} reach {stage} within {days}").format(
                who=who, stage=r["to_stage"], days=fmt_days(r["median_days"])
            )
            if not is_missing(r["median_days"])
            else _("Most {who} have not reached {stage}; converters took a median {days}").format(
                who=who, stage=r["to_stage"], days=fmt_days(r["converters_median_days"])
            )
        )
    else:
        out["time"] = _("Share converted within N days")
    if res.cohorts is not None and len(res.cohorts.table):
        out["cohorts"] = _cohort_headline(res)
    return out


def _cohort_headline(res: FunnelResult) -> str:
    """The cohort chart's finding, on the first stage whose complete cohorts differ.

    A stage every cohort reaches in full (e.g. ``created`` → ``MQL`` when every lead is an MQL)
    says nothing, and a cohort of a handful of entrants cannot lead the title: only complete
    cohorts with at least ``_MIN_COHORT`` entrants are compared.
    """
    t = res.cohorts.table
    head = None
    stage = res.meta.stages[1]
    for st in res.meta.stages[1:]:
        sub = t[(t["stage"] == st) & t["complete"] & (t["n"] >= _MIN_COHORT)]
        if len(sub) >= 2 and sub["rate"].max() - sub["rate"].min() >= 0.005:
            lo_r = sub.loc[sub["rate"].idxmin()]
            hi_r = sub.loc[sub["rate"].idxmax()]
            head = _("{stage} rate by cohort ranges {low} ({low_cohort}) to {high} ({high_cohort})")
            head = head.format(
                stage=st,
                low=fmt_pct(lo_r["rate"], 0),
                low_cohort=_cohort_label(lo_r["cohort_label"], lo_r.get("cohort")),
                high=fmt_pct(hi_r["rate"], 0),
                high_cohort=_cohort_label(hi_r["cohort_label"], hi_r.get("cohort")),
            )
            stage = st
            break
    head = head or _("Conversion by creation cohort")
    n_inc = t.loc[~t["complete"] & (t["stage"] == stage), "cohort_label"].nunique()
    if n_inc:
        head += ngettext(
            "; the last cohort is still open", "; the last {n} cohorts are still open", n_inc
        ).format(n=n_inc)
    return head


#: Entrants a cohort needs before it can lead the cohort chart's title.
_MIN_COHORT = 30


# --------------------------------------------------------------------------- headline, sections


def headline(res: FunnelResult) -> str:
    """The one sentence for the index and the JSON header: overall conversion and the leak."""
    ov = _overall(res)
    m = res.meta
    fields = {
        "rate": fmt_pct_ci(ov["rate"], ov["low"], ov["high"]),
        "population": m.population,
        "period": _cohort_period(res),
        "reach": _reach_words(ov["to"]),
    }
    b = res.bottleneck()
    if b and len(m.stages) > 2:
        return _(
            "{rate} of {population} created in {period} are estimated to {reach}; the biggest "
            "leak is {step} ({step_rate} move on)."
        ).format(**fields, step=_step_words(b["step"]), step_rate=fmt_pct(b["rate"]))
    return _("{rate} of {population} created in {period} are estimated to {reach}.").format(
        **fields
    )


def _cohort_words(grain: str) -> tuple[str, str]:
    """The cohort section's title and intro for a grain (``month`` or ``week``)."""
    if grain == "week":
        return _("Cohorts by creation week"), _(
            "Share of each week's entrants that reached a stage within {days}. Hatched cells are "
            "cohorts too recent to judge: shown as open, not as low."
        )
    return _("Cohorts by creation month"), _(
        "Share of each month's entrants that reached a stage within {days}. Hatched cells are "
        "cohorts too recent to judge: shown as open, not as low."
    )


def sections(res: FunnelResult) -> list[Section]:
    """The body of the report, in order; a section the data cannot support says why."""
    m = res.meta
    one_step = len(m.stages) <= 2
    out = [
        Section(
            "leaks",
            _("Where the funnel leaks"),
            intro=_(
                "Each bar is the share of those who reached a stage that moved on to the next "
                "one within {days}; the whisker is the {level} interval. "
                "The highlighted step loses the largest share."
            ).format(days=_ndays(m.window_days), level=m.level),
            plots=("funnel",),
            absent=(
                _(
                    "Not shown: with two stages the funnel has one step ({first} → {last}); its "
                    "rate is in the summary and the cards."
                ).format(first=m.stages[0], last=m.stages[-1])
                if one_step
                else None
            ),
        )
    ]
    changed = _("What changed since the previous period")
    if res.comparison is not None:  # a campaign caveat is in the banner and the summary, once
        out.append(
            Section(
                "comparison",
                changed,
                intro=_(
                    "Change in each step's conversion in {period} against {prev}. "
                    "Grey: within what chance alone would produce. Green/orange: better/worse "
                    "by more than chance."
                ).format(period=m.period, prev=res.previous),
                plots=("comparison",),
            )
        )
    else:
        why = (
            _("Not shown: no comparison was asked for (compare_to: none).")
            if res.previous is None
            else _("Not shown: no {population} were created in {prev}.").format(
                population=m.population, prev=res.previous
            )
        )
        out.append(Section("comparison", changed, absent=why))
    cols = res.breakdown_columns()
    if cols:
        notes = []
        for col in cols:
            step = res.focus_step(col)
            why = (
                _(
                    "{col}: shown for {step}, the step where the values differ most clearly (or "
                    "the biggest leak when they differ there). All steps are in the detail tables."
                )
                if len(m.stages) > 2
                else _("{col}: shown for {step}.")
            )
            notes.append(
                Note(
                    why.format(
                        col=_col(col).capitalize(),
                        step=_step_words(step) if step else _("the first step"),
                    )
                )
            )
        min_size = res.segments.min_segment_size if res.segments else 0
        out.append(
            Section(
                "segments",
                _("For whom: conversion by {columns}").format(
                    columns=_(" and by ").join(_col(c) for c in cols)
                ),
                intro=(
                    _(
                        "Each dot is a segment's conversion with its {level} interval, sorted. "
                        "Segments are attributed when they entered the funnel; hollow markers "
                        "have fewer than {n} {noun} and are not ranked."
                    )
                    if min_size > 1
                    else _(
                        "Each dot is a segment's conversion with its {level} interval, sorted. "
                        "Segments are attributed when they entered the funnel."
                    )
                ).format(level=m.level, n=min_size, noun=m.noun),
                plots=tuple(f"segments:{c}" for c in cols),
                blocks=notes,
            )
        )
    else:
        out.append(
            Section(
                "segments",
                _("For whom"),
                absent=_("Not shown: no breakdown columns were asked for (breakdowns)."),
            )
        )
    tn = time_note(res)
    out.append(
        Section(
            "time",
            _("How long each step takes"),
            intro=_(
                "Share converted by each day after reaching the earlier stage. {Noun} still open "
                "at the cut-off count as not yet converted for as long as we have watched them, "
                "not as failures."
            ).format(Noun=m.noun.capitalize(), noun=m.noun),
            plots=("time",),
            blocks=[Note(tn)] if tn else [],
        )
    )
    grain = res.cohorts.grain if res.cohorts is not None else "month"
    n_co = res.cohorts.periods if res.cohorts is not None else 0
    title, intro = _cohort_words(grain)
    if res.cohorts is not None and len(res.cohorts.table):
        out.append(
            Section(
                "cohorts",
                title,
                intro=intro.format(days=_ndays(res.cohorts.horizon_days)),
                plots=("cohorts",),
            )
        )
    else:
        span = (
            ngettext("week", "weeks", n_co)
            if grain == "week"
            else ngettext("month", "months", n_co)
        )
        out.append(
            Section(
                "cohorts",
                title,
                absent=_(
                    "Not shown: no {population} were created in the cohort range (the last "
                    "{periods} up to the as-of time, {as_of}; widen it with cohort_periods)."
                ).format(
                    population=m.population,
                    periods=f"{fmt_int(n_co)} {span}",
                    as_of=_date_dmy(m.as_of),
                ),
            )
        )
    return [  # Italian articles and agreement ("l'8%", "le opportunità ... aperte")
        replace(
            s,
            intro=articles(s.intro) if s.intro else s.intro,
            absent=articles(s.absent) if s.absent else s.absent,
        )
        for s in out
    ]
