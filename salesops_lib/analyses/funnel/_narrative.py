"""Words for the funnel report: headline, summary sentences, cards, sections, chart headlines,
methods.

Private; used by :class:`salesops_lib.analyses.funnel._result.FunnelResult`. Every sentence is generated
from the numbers; every number comes with its interval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.funnel._engine import MISSING
from salesops_lib.analyses.funnel._stats import MATERIAL_SHARE
from salesops_lib.viz.format import (
    count_noun,
    fmt_days,
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
    is_missing,
    plural,
)
from salesops_lib.viz.html import Card, Cards, Note

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.funnel._result import FunnelResult

__all__: list[str] = []  # private module


def _days_ci(est: float, lo: float, hi: float) -> str:
    if is_missing(est):
        return "not reached"
    if is_missing(lo) and is_missing(hi):
        return fmt_days(est)
    lo_s = "?" if is_missing(lo) else f"{lo:,.0f}"
    hi_s = "?" if is_missing(hi) else f"{hi:,.0f}"
    return f"{fmt_days(est)} ({lo_s}–{hi_s})"


def _days_range(lo: float, hi: float, level: str = "95%") -> str:
    """``"95% interval 3–9 days"``; ``?`` for an open end; no "?–?" when neither is known."""
    if is_missing(lo) and is_missing(hi):
        return "too few conversions for an interval"
    lo_s = "?" if is_missing(lo) else f"{lo:,.0f}"
    hi_s = "?" if is_missing(hi) else f"{hi:,.0f}"
    return f"{level} interval {lo_s}–{hi_s} days"


def _pp_ci(d: float, lo: float, hi: float) -> str:
    return f"{fmt_pp(d)} ({fmt_pp(lo)} to {fmt_pp(hi)})"


def _pp_words(d: float, lo: float, hi: float) -> str:
    """For the summary (no "pp"): ``"−1.5 percentage points (−2.2 to −0.8)"``."""

    def num(x: float) -> str:
        return fmt_pp(x).removesuffix(" pp")

    return f"{num(d)} percentage points ({num(lo)} to {num(hi)})"


def _reach_words(stage: str) -> str:
    if stage == "won":
        return "end up won"
    if stage == "opportunity":
        return "become opportunities"
    return f"reach {stage}"


def _step_words(step: str) -> str:
    return step.replace("→", " → ")


def _stageplural(stage: str, noun: str) -> str:
    if stage == "created":
        return noun
    if stage == "opportunity":
        return f"{noun} that became opportunities"
    if stage == "won":
        return f"won {noun}"
    return f"{stage}s" if stage.isupper() else f"{noun} at {stage}"


def _reached_phrase(res: FunnelResult, stage: str, *, short: bool = False) -> str:
    """Who a step starts from: ``"MQLs"`` when nobody skipped the stage, else (not to overstate)
    ``"leads that reached MQL or a later stage"`` (``short``: ``"leads at MQL or later"``)."""
    noun = res.meta.noun
    if stage == res.meta.stages[0]:
        return _stageplural(stage, noun)
    t = res.steps.table
    row = t[t["stage"] == stage]
    if len(row) and int(row["skipped"].iloc[0]) == 0:
        return _stageplural(stage, noun)
    return (
        f"{noun} at {stage} or later" if short else f"{noun} that reached {stage} or a later stage"
    )


def _date(d: Any) -> str:
    t = pd.Timestamp(d)
    return f"{t.day} {t:%b %Y}"


def _campaign_ref(row: pd.Series) -> str:
    """``"the experiment C_AB_MQL_SLA (1 Dec 2024 – 31 Dec 2025)"``."""
    kind = "experiment" if row["experiment"] else "campaign"
    name = (
        ""
        if row["experiment"] or is_missing(row["name"]) or not row["name"]
        else f" “{row['name']}”"
    )
    dates = ""
    if not is_missing(row["start"]) and not is_missing(row["end"]):
        dates = f" ({_date(row['start'])} – {_date(row['end'])})"
    return f"the {kind} {row['campaign_id']}{name}{dates}"


def _who(res: FunnelResult, period: str, k: int, *, short: bool = False) -> str:
    """``"Q4 2025 leads"``, ``"Q4 2025 MQLs"`` or, when some skipped the stage in that period,
    ``"Q4 2025 leads that reached MQL or a later stage"`` (``short``: ``"Q4 2025 leads at MQL or
    later"``)."""
    noun = res.meta.noun
    stage = res.meta.stages[k]
    if k == 0:
        return f"{period} {noun}"
    steps = (
        res.previous_steps
        if res.previous is not None and period == res.previous.label
        else res.steps
    )
    t = steps.table if steps is not None else res.steps.table
    row = t[t["stage"] == stage]
    if len(row) and int(row["skipped"].iloc[0]) == 0:
        return f"{period} {_stageplural(stage, noun)}"
    return (
        f"{period} {noun} at {stage} or later"
        if short
        else f"{period} {noun} that reached {stage} or a later stage"
    )


def _top_overlap(res: FunnelResult, cid: str, stage_index: int | None = None) -> pd.Series:
    """The (period, stage) row with the largest share for one campaign (at ``stage_index`` when
    given; non-experiments are judged on the funnel's entrants)."""
    sub = res.campaigns[res.campaigns["campaign_id"] == cid]
    if not bool(sub["experiment"].iloc[0]):
        sub = sub[sub["stage_index"] == 0]
    elif stage_index is not None:
        sub = sub[sub["stage_index"] == stage_index]
    return sub.loc[sub["share"].fillna(-1).idxmax()]


def _other(res: FunnelResult, top: pd.Series) -> pd.Series | None:
    c = res.campaigns
    o = c[
        (c["campaign_id"] == top["campaign_id"])
        & (c["stage_index"] == top["stage_index"])
        & (c["which"] != top["which"])
    ]
    return o.iloc[0] if len(o) else None


def campaign_warnings(res: FunnelResult) -> list[str]:
    """One sentence per campaign or experiment whose members are a large share of a cohort."""
    mat = res.overlapping_campaigns()
    out = []
    for cid in dict.fromkeys(mat["campaign_id"]):
        top = _top_overlap(res, cid)
        k = int(top["stage_index"])
        s = f"{fmt_pct(top['share'], 0)} of {_who(res, top['period'], k)}"
        if k:
            c = res.campaigns
            e = c[
                (c["campaign_id"] == cid) & (c["period"] == top["period"]) & (c["stage_index"] == 0)
            ]
            if len(e) and fmt_pct(e["share"].iloc[0], 0) != fmt_pct(top["share"], 0):
                s += f" ({fmt_pct(e['share'].iloc[0], 0)} of all {top['period']} {res.meta.noun})"
        s += f" were in {_campaign_ref(top)}"
        o = _other(res, top)
        kind = "experiment" if top["experiment"] else "campaign"
        if o is not None:
            s += f", against {fmt_pct(o['share'], 0)} in {o['period']}"
            s += f"; changes between the periods may reflect the {kind}, not the process."
        else:
            s += f"; the rates may reflect the {kind}, not the usual process."
        out.append(s[:1].upper() + s[1:])
    return out


def _campaign_caveat(res: FunnelResult, stage_index: int) -> str:
    """``"but 93% of Q4 2025 leads that reached MQL ... so part or all of the change may come
    from it"`` for the material campaign that differs most between the periods at a stage."""
    mat = res.overlapping_campaigns()
    if mat.empty or res.comparison is None:
        return ""
    best, gap = None, -1.0
    for cid in dict.fromkeys(mat["campaign_id"]):
        top = _top_overlap(res, cid, stage_index)
        o = _other(res, top)
        if o is None or max(top["share"], o["share"]) < MATERIAL_SHARE:
            continue
        d = abs(float(top["share"]) - float(o["share"]))
        if d > gap:
            best, gap = (top, o), d
    if best is None:
        return ""
    top, o = best
    k = int(top["stage_index"])
    kind = "experiment" if top["experiment"] else "campaign"
    return (  # short: the banner at the top gives the details (dates, shares of all entities)
        f"but {fmt_pct(top['share'], 0)} of {_who(res, top['period'], k, short=True)} were in the {kind} "
        f"{top['campaign_id']}, against {fmt_pct(o['share'], 0)} in {o['period']}, so part or all of the "
        f"change may come from the {kind}"
    )


def time_note(res: FunnelResult) -> str:
    """The note under the time-to-convert chart about skipped stages (``""`` when none)."""
    t = res.steps.table
    parts = [
        f"{fmt_int(r['skipped'])} of the {fmt_int(r['reached'])} {res.meta.noun} counted at {r['stage']} "
        f"({fmt_pct(r['skipped'] / r['reached'])}) skipped {r['stage']}"
        for _, r in t.iterrows()
        if r["skipped"] > 0 and r["reached"] > 0
    ]
    if not parts:
        return ""
    return (
        "A stage that was skipped counts as passed (“reached it or a later stage”), and the "
        "entity as converted to the next stage at day 0, so a curve can start above 0%: "
        + "; ".join(parts)
        + ". They are kept in the curves and times so that these agree with the step rates."
    )


def _overall(res: FunnelResult) -> dict[str, Any]:
    t = res.steps.table
    last = t.iloc[-1]
    return {
        "from": t["stage"].iloc[0],
        "to": last["to_stage"],
        "rate": float(last["cumulative_rate"]),
        "low": float(last["cum_ci_low"]),
        "high": float(last["cum_ci_high"]),
    }


def _verdict(row: pd.Series, alpha: float) -> str:
    if not np.isfinite(row.get("p_holm", np.nan)):
        return "we cannot tell"
    if row["p_holm"] < alpha:
        return f"more than chance ({fmt_p(row['p_holm'])}, adjusted for {'the overall rate' if row.get('overall') else 'several steps'})"
    return "within what chance alone would produce, so we cannot tell whether it really changed"


# --------------------------------------------------------------------------- summary


def summary_sentences(res: FunnelResult) -> list[str]:
    """3–5 sentences: overall conversion, the leak, what changed, for whom, how fast."""
    m = res.meta
    out: list[str] = []
    ov = _overall(res)
    first_entered = int(res.steps.table["reached"].iloc[0])
    sentence = (
        f"Of the {fmt_int(first_entered)} {m.population} created in {m.period}, an estimated "
        f"{fmt_pct_ci(ov['rate'], ov['low'], ov['high'])} will {_reach_words(ov['to'])} "
        f"({'each step ' if len(m.stages) > 2 else ''}within {count_noun(m.window_days, 'day')})"
    )
    cmp_ = res.comparison
    if cmp_ is not None:
        o = cmp_.table[cmp_.table["overall"]].iloc[0]
        sentence += (
            f", against {fmt_pct_ci(o['rate_prev'], o['ci_low_prev'], o['ci_high_prev'])} in "
            f"{res.previous}; the difference of {_pp_words(o['diff'], o['diff_ci_low'], o['diff_ci_high'])} is "
            + ("more than chance" if o["clear"] else "within chance, so we cannot tell them apart")
        )
        mat = res.overlapping_campaigns()
        if o["clear"] and len(mat):
            ids = list(dict.fromkeys(mat["campaign_id"]))
            kind = "experiment" if bool(mat["experiment"].iloc[0]) else "campaign"
            sentence += f", though part of it may come from the {kind} {' and '.join(ids)} (see the note above)"
    out.append(sentence + ".")

    b = res.bottleneck() if len(m.stages) > 2 else None  # one step: the overall rate says it
    if b:
        s = (
            f"The biggest leak is {_step_words(b['step'])}: only "
            f"{fmt_pct_ci(b['rate'], b['ci_low'], b['ci_high'])} of {_reached_phrase(res, b['stage'])} "
            f"moved on within {count_noun(m.window_days, 'day')}, so {fmt_int(b['lost'])} of {fmt_int(b['entered'])} were lost there"
        )
        if b.get("runner_up") and not b["clear"]:
            s += (
                f"; it is not clearly worse than {_step_words(b['runner_up'])} "
                f"({fmt_pct(b['runner_up_rate'])}), so treat both as weak spots"
            )
        out.append(s + ".")

    if cmp_ is not None and len(m.stages) > 2:  # one step: the first sentence compared it
        steps_cmp = cmp_.table[~cmp_.table["overall"]].dropna(subset=["diff"])
        if len(steps_cmp):
            clear = steps_cmp[steps_cmp["clear"]]
            if len(clear):
                r = clear.loc[clear["diff"].abs().idxmax()]
                direction = "rose" if r["diff"] > 0 else "fell"
                caveat = _campaign_caveat(res, list(res.meta.stages).index(r["stage"]))
                out.append(
                    f"Compared with {res.previous}, {_step_words(r['step'])} conversion {direction} from "
                    f"{fmt_pct(r['rate_prev'])} to {fmt_pct_ci(r['rate'], r['ci_low'], r['ci_high'])}, "
                    f"a change of {_pp_words(r['diff'], r['diff_ci_low'], r['diff_ci_high'])} that is more than "
                    f"chance ({fmt_p(r['p_holm'])})"
                    + (
                        f", and {len(clear) - 1} other step(s) also changed clearly"
                        if len(clear) > 1
                        else ", and no other step changed by more than chance"
                    )
                    + (f"; {caveat}." if caveat else ".")
                )
            else:
                r = steps_cmp.loc[steps_cmp["diff"].abs().idxmax()]
                out.append(
                    f"Compared with {res.previous}, no step changed by more than chance: the largest "
                    f"move, {_step_words(r['step'])}, was {_pp_words(r['diff'], r['diff_ci_low'], r['diff_ci_high'])}, "
                    "so we cannot tell whether it is real."
                )

    seg = res.segments
    if seg is not None and len(seg.table):
        col = seg.table["segment_column"].iloc[0]
        step = res.focus_step(col)
        part = seg.for_step(step, col)
        big = part[~part["small"] & (part["segment"] != MISSING)].sort_values("rate")
        test = seg.tests[(seg.tests["segment_column"] == col) & (seg.tests["step"] == step)]
        if len(big) >= 2 and len(test):
            lo_r, hi_r = big.iloc[0], big.iloc[-1]
            p = float(test["p_value"].iloc[0])
            differ = p < m.alpha
            s = (
                f"By {col.replace('_', ' ')}, {_step_words(step)} conversion ranges from "
                f"{fmt_pct_ci(lo_r['rate'], lo_r['ci_low'], lo_r['ci_high'])} for {lo_r['segment']} to "
                f"{fmt_pct_ci(hi_r['rate'], hi_r['ci_low'], hi_r['ci_high'])} for {hi_r['segment']}; "
            )
            s += (
                f"the {plural(col)} differ by more than chance ({fmt_p(p)})"
                if differ
                else f"we cannot tell the {plural(col)} apart ({fmt_p(p)})"
            )
            n_small = int(part["small"].sum())
            if n_small:
                s += f"; {n_small} small segment(s) are not ranked"
            out.append(s + ".")

    tt = res.time_to_convert.table
    focus = b.get("step") if b else None
    row = tt[tt["step"] == focus] if focus is not None else tt.iloc[:0]
    if len(row):
        r = row.iloc[0]
        wk = f"within_{_within_key(res)}d"
        if not is_missing(r["median_days"]):
            s = (
                f"Half of {_reached_phrase(res, r['from_stage'])} reach {r['to_stage']} within "
                f"{_days_ci(r['median_days'], r['ci_low'], r['ci_high'])}"
            )
        else:
            s = (
                f"Fewer than half of {_reached_phrase(res, r['from_stage'])} had reached {r['to_stage']} by the cut-off; "
                f"among {m.noun} that converted, the median was "
                f"{_days_ci(r['converters_median_days'], r['converters_median_ci_low'], r['converters_median_ci_high'])}"
            )
        if wk in r and not is_missing(r[wk]) and r[wk] == 0:  # no "0.0% (0.0–0.0%)"
            s += f", and none had done so within {count_noun(_within_key(res), 'day')}"
        elif wk in r and not is_missing(r[wk]):
            s += (
                f", and {fmt_pct_ci(r[wk], r[wk + '_ci_low'], r[wk + '_ci_high'])} had done so within "
                f"{count_noun(_within_key(res), 'day')}, counting those still open"
            )
        out.append(s + ".")
    # say the campaign caveat once (the banner at the top has the details): when the step sentence
    # explains it, the overall one drops it
    if any("may come from the" in t for t in out[1:]):
        head, sep, _tail = out[0].partition(", though part of it may come from the ")
        out[0] = head + "." if sep else out[0]
    return out[:5]


def _within_key(res: FunnelResult) -> int:
    keys = [
        int(c[len("within_") : -1])
        for c in res.time_to_convert.table.columns
        if c.startswith("within_") and c.endswith("d")
    ]
    if not keys:
        return res.meta.window_days
    return min(keys, key=lambda k: abs(k - 30))


# --------------------------------------------------------------------------- cards


def cards(res: FunnelResult) -> Any:

    m = res.meta
    cmp_ = res.comparison.table if res.comparison is not None else None
    prev = res.previous
    out = []
    n0 = int(res.steps.table["reached"].iloc[0])
    delta = None
    if res.previous_steps is not None and res.previous_steps.n:
        p0 = int(res.previous_steps.table["reached"].iloc[0])
        if p0:
            ch = (n0 - p0) / p0
            delta = f"{'+' if ch > 0 else ''}{fmt_pct(ch)} vs {prev} ({fmt_int(p0)})"
    short = bool(m.filters) and "(" not in m.population  # "EMEA leads"
    label = (
        f"{m.population[:1].upper()}{m.population[1:]} created"
        if short
        else f"{m.noun.capitalize()} created"
    )
    detail = f"{m.period}, {m.filter_label}" if m.filters and not short else str(m.period)
    out.append(Card(label, fmt_int(n0), detail=detail, delta=delta))

    ov = _overall(res)

    def delta_for(row: pd.Series | None) -> tuple[str | None, bool | None]:
        if row is None or is_missing(row["diff"]):
            return None, None
        good = bool(row["diff"] > 0) if row["clear"] else None
        tail = "" if row["clear"] else " (within chance)"
        return f"{fmt_pp(row['diff'])} vs {prev}{tail}", good

    o_row = cmp_[cmp_["overall"]].iloc[0] if cmp_ is not None else None
    d, g = delta_for(o_row)
    out.append(
        Card(
            f"{ov['from']} → {ov['to']} (overall)",
            fmt_pct(ov["rate"]),
            detail=f"{m.level} interval {fmt_pct(ov['low'])}–{fmt_pct(ov['high'])}",
            delta=d,
            good=g,
        )
    )
    b = res.bottleneck() if len(m.stages) > 2 else None  # one step: the overall card says it
    shown = set()
    if b:
        row = cmp_[cmp_["step"] == b["step"]].iloc[0] if cmp_ is not None else None
        d, g = delta_for(row)
        out.append(
            Card(
                f"{_step_words(b['step'])} conversion (the biggest leak)",
                fmt_pct(b["rate"]),
                detail=f"{m.level} interval {fmt_pct(b['ci_low'])}–{fmt_pct(b['ci_high'])}, n = {fmt_int(b['entered'])}",
                delta=d,
                good=g,
            )
        )
        shown.add(b["step"])
    steps = res.steps.table
    if "MQL" in list(steps["stage"]) and "MQL→SQL" not in shown:
        r = steps[steps["step"] == "MQL→SQL"]
        if len(r):
            r = r.iloc[0]
            row = cmp_[cmp_["step"] == "MQL→SQL"].iloc[0] if cmp_ is not None else None
            d, g = delta_for(row)
            out.append(
                Card(
                    "MQL → SQL (qualification)",
                    fmt_pct(r["rate"]),
                    detail=f"{m.level} interval {fmt_pct(r['ci_low'])}–{fmt_pct(r['ci_high'])}",
                    delta=d,
                    good=g,
                )
            )
            shown.add("MQL→SQL")
    tt = res.time_to_convert.table
    focus = tt[tt["step"] == b.get("step")] if b else tt.iloc[:0]
    if len(focus):
        r = focus.iloc[0]
        if not is_missing(r["median_days"]):
            out.append(
                Card(
                    f"Median days {_step_words(r['step'])}",
                    fmt_days(r["median_days"]),
                    detail=f"{_days_range(r['ci_low'], r['ci_high'], m.level)}; open ones counted",
                )
            )
        else:
            out.append(
                Card(
                    f"Median days {_step_words(r['step'])}, among {m.noun} that converted",
                    fmt_days(r["converters_median_days"]),
                    detail=(
                        f"{_days_range(r['converters_median_ci_low'], r['converters_median_ci_high'], m.level)}; "
                        f"{fmt_int(r['events'])} of {fmt_int(r['n'])} converted by the cut-off"
                    ),
                )
            )
    return Cards(out[:6])


# --------------------------------------------------------------------------- headlines


def headlines(res: FunnelResult) -> dict[str, str]:
    m = res.meta
    out: dict[str, str] = {}
    b = res.bottleneck()
    if b:
        out["funnel"] = (
            f"{_step_words(b['step'])} loses the most: only {fmt_pct(b['rate'])} move on"
            if b["clear"]
            else f"{_step_words(b['step'])} and {_step_words(b['runner_up'])} lose the most"
        )
    else:
        out["funnel"] = "Conversion by step"
    if res.comparison is not None:
        t = res.comparison.table
        clear = t[t["clear"] & ~t["overall"]]
        if len(clear):
            r = clear.loc[clear["diff"].abs().idxmax()]
            out["comparison"] = (
                f"{_step_words(r['step'])} {'improved' if r['diff'] > 0 else 'worsened'} by "
                f"{fmt_pp(abs(r['diff']), sign=False)} vs {res.previous}"
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
                    f",\nwhen {fmt_pct(top['share'], 0)} of {top['period']} {_reached_phrase(res, top['stage'], short=True)} "
                    f"were in {'experiment' if top['experiment'] else 'campaign'} {top['campaign_id']}"
                )
        else:
            out["comparison"] = f"No step changed by more than chance vs {res.previous}"
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
                    f"{hi_r['segment']} converts {ratio:.1f}× as often as {lo_r['segment']} at {_step_words(step)}"
                    if np.isfinite(ratio)
                    else f"{_step_words(step)} conversion differs by {col.replace('_', ' ')}"
                )
            else:
                out[f"segments:{col}"] = (
                    f"We cannot tell {plural(col)} apart at {_step_words(step or '')}"
                )
    tt = res.time_to_convert.table
    row = tt[tt["step"] == b.get("step")] if b else tt.iloc[:0]
    if len(row):
        r = row.iloc[0]
        out["time"] = (
            f"Half of {_reached_phrase(res, r['from_stage'], short=True)} reach {r['to_stage']} within {fmt_days(r['median_days'])}"
            if not is_missing(r["median_days"])
            else f"Most {_reached_phrase(res, r['from_stage'], short=True)} have not reached {r['to_stage']}; converters took a median {fmt_days(r['converters_median_days'])}"
        )
    else:
        out["time"] = "Share converted within N days"
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
            head = (
                f"{st} rate by cohort ranges {fmt_pct(lo_r['rate'], 0)} ({lo_r['cohort_label']}) "
                f"to {fmt_pct(hi_r['rate'], 0)} ({hi_r['cohort_label']})"
            )
            stage = st
            break
    head = head or "Conversion by creation cohort"
    n_inc = t.loc[~t["complete"] & (t["stage"] == stage), "cohort_label"].nunique()
    if n_inc:
        head += (
            f"; the last {n_inc} cohorts are still open"
            if n_inc != 1
            else "; the last cohort is still open"
        )
    return head


#: Entrants a cohort needs before it can lead the cohort chart's title.
_MIN_COHORT = 30


# --------------------------------------------------------------------------- tables


# --------------------------------------------------------------------------- headline, sections


def headline(res: FunnelResult) -> str:
    """The one sentence for the index and the JSON header: overall conversion and the leak."""
    ov = _overall(res)
    m = res.meta
    text = (
        f"{fmt_pct_ci(ov['rate'], ov['low'], ov['high'])} of {m.population} created in "
        f"{m.period} are estimated to {_reach_words(ov['to'])}"
    )
    b = res.bottleneck()
    if b and len(m.stages) > 2:
        text += f"; the biggest leak is {_step_words(b['step'])} ({fmt_pct(b['rate'])} move on)"
    return text + "."


def sections(res: FunnelResult) -> list[Section]:
    """The body of the report, in order; a section the data cannot support says why."""
    m = res.meta
    one_step = len(m.stages) <= 2
    out = [
        Section(
            "leaks",
            "Where the funnel leaks",
            intro=(
                "Each bar is the share of those who reached a stage that moved on to the next "
                f"one within {count_noun(m.window_days, 'day')}; the whisker is the {m.level} interval. "
                "The highlighted step loses the largest share."
            ),
            plots=("funnel",),
            absent=(
                f"Not shown: with two stages the funnel has one step ({m.stages[0]} → "
                f"{m.stages[-1]}); its rate is in the summary and the cards."
                if one_step
                else None
            ),
        )
    ]
    if res.comparison is not None:  # a campaign caveat is in the banner and the summary, once
        out.append(
            Section(
                "comparison",
                "What changed since the previous period",
                intro=(
                    f"Change in each step's conversion in {m.period} against {res.previous}. "
                    "Grey: within what chance alone would produce. Green/orange: better/worse "
                    "by more than chance."
                ),
                plots=("comparison",),
            )
        )
    else:
        why = (
            "no comparison was asked for (compare_to: none)"
            if res.previous is None
            else f"no {m.population} were created in {res.previous}"
        )
        out.append(
            Section(
                "comparison", "What changed since the previous period", absent=f"Not shown: {why}."
            )
        )
    cols = res.breakdown_columns()
    if cols:
        notes = []
        for col in cols:
            step = res.focus_step(col)
            why = (
                ", the step where the values differ most clearly (or the biggest leak when they "
                "differ there). All steps are in the detail tables."
                if len(m.stages) > 2
                else "."
            )
            notes.append(
                Note(
                    f"{col.replace('_', ' ').capitalize()}: shown for "
                    f"{_step_words(step) if step else 'the first step'}{why}"
                )
            )
        min_size = res.segments.min_segment_size if res.segments else 0
        out.append(
            Section(
                "segments",
                "For whom: conversion by " + " and by ".join(c.replace("_", " ") for c in cols),
                intro=(
                    f"Each dot is a segment's conversion with its {m.level} interval, sorted. Segments "
                    "are attributed when they entered the funnel"
                    + (
                        f"; hollow markers have fewer than {min_size} {m.noun} and are not ranked."
                        if min_size > 1
                        else "."
                    )
                ),
                plots=tuple(f"segments:{c}" for c in cols),
                blocks=notes,
            )
        )
    else:
        out.append(
            Section(
                "segments",
                "For whom",
                absent="Not shown: no breakdown columns were asked for (breakdowns).",
            )
        )
    tn = time_note(res)
    out.append(
        Section(
            "time",
            "How long each step takes",
            intro=(
                "Share converted by each day after reaching the earlier stage. "
                f"{m.noun.capitalize()} "
                "still open at the cut-off count as not yet converted for as long as we have "
                "watched them, not as failures."
            ),
            plots=("time",),
            blocks=[Note(tn)] if tn else [],
        )
    )
    grain = res.cohorts.grain if res.cohorts is not None else "month"
    n_co = res.cohorts.periods if res.cohorts is not None else 0
    title = f"Cohorts by creation {grain}"
    if res.cohorts is not None and len(res.cohorts.table):
        out.append(
            Section(
                "cohorts",
                title,
                intro=(
                    f"Share of each {grain}'s entrants that reached a stage within "
                    f"{count_noun(res.cohorts.horizon_days, 'day')}. Hatched cells are cohorts too recent to "
                    "judge: shown as open, not as low."
                ),
                plots=("cohorts",),
            )
        )
    else:
        out.append(
            Section(
                "cohorts",
                title,
                absent=f"Not shown: no {m.population} were created in the cohort range "
                f"(the last {count_noun(n_co, grain)} up to the as-of time, "
                f"{m.as_of:%d %b %Y}; widen it with cohort_periods).",
            )
        )
    return out
