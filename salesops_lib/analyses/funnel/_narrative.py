"""Words for the funnel report: headline, summary sentences, cards, sections, chart headlines,
methods.

Private; used by :class:`salesops_lib.analyses.funnel._result.FunnelResult`. Every sentence is
generated
from the numbers; every number comes with its interval. Every sentence is one ``_()`` message with
named fields (Italian in :mod:`salesops_lib.i18n.it_funnel`); stage names and data values are not
translated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesops_lib.analyses.funnel._engine import MISSING
from salesops_lib.analyses.funnel._stats import MATERIAL_SHARE
from salesops_lib.i18n import _, current_language, ngettext
from salesops_lib.viz.format import (
    fmt_date,
    fmt_days,
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
    is_missing,
    plural,
)
from salesops_lib.viz.html import Card, Cards

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.funnel._result import FunnelResult

__all__: list[str] = []  # private module


def _en() -> bool:
    return current_language() == "en"


_ARTICLE = re.compile(r"\b(il|Il|del|al|dal|nel|i|I|dei|Dei|ai|dai)\s(\d[\d.]*)(?=[\s,%])")
#: Italian articles before a number said with a vowel ("l'8%", "dell'11%") or a "z" ("lo 0%").
_VOWEL = {"il": "l'", "del": "dell'", "al": "all'", "dal": "dall'", "nel": "nell'"}
_VOWEL |= {"i": "gli ", "dei": "degli ", "ai": "agli ", "dai": "dagli "}
_ZETA = {"il": "lo ", "del": "dello ", "al": "allo ", "dal": "dallo ", "nel": "nello "}


def articles(text: str) -> str:
    """Italian: the article before a number as it is said (``"il 8%"`` → ``"l'8%"``, ``"contro il
    0%"`` → ``"contro lo 0%"``, ``"dei 11"`` → ``"degli 11"``); other languages unchanged."""
    if current_language() != "it":
        return text

    def fix(m: re.Match[str]) -> str:
        art, num = m.group(1), m.group(2)
        digits = num.replace(".", "")
        low = art.lower()
        if digits == "0" and low in _ZETA:
            new = _ZETA[low]
        elif (
            digits == "1"
            or digits.startswith("8")
            or digits == "11"
            or (len(digits) == 5 and digits.startswith("11"))
        ) and low in _VOWEL:
            new = _VOWEL[low]
        else:
            return m.group(0)
        new = new[:1].upper() + new[1:] if art[:1].isupper() else new
        return f"{new}{num}"

    text = _ARTICLE.sub(fix, text)
    return _feminine(text) if "pportunità" in text else text


# "opportunità" is feminine: the sentences are written for "lead" (masculine plural)
_OPP = r"(?:[\d.]+ )?[Oo]pportunità"
_FEMININE = [
    (re.compile(rf"\b([Dd])(?:ei|egli) ({_OPP})"), r"\1elle \2"),
    (re.compile(rf"\b([Tt])utti i ({_OPP})"), r"\1utte le \2"),
    (re.compile(rf"\b([Cc])onfrontati con i ({_OPP})"), r"\1onfrontate con le \2"),
    (re.compile(rf"(^|[\s(])(?:i|gli) ({_OPP})"), r"\1le \2"),
    (re.compile(rf"(^|[\s(])(?:I|Gli) ({_OPP})"), r"\1Le \2"),
    (re.compile(rf"\b([Nn])essun ({_OPP}(?: [^\s,.;:()]+)*?) creato\b"), r"\1essuna \2 creata"),
    (re.compile(r"\bquesti (opportunità)"), r"queste \1"),
    (re.compile(r"\bquelli ancora aperti\b"), "quelle ancora aperte"),
    (re.compile(r"\), seguiti fino"), "), seguite fino"),
]
_AGREE = {"creati": "create", "convertiti": "convertite", "vinti": "vinte", "contati": "contate"}
_AGREE |= {"aperti": "aperte"}
_PARTICIPLE = re.compile(
    r"([Oo]pportunità(?: (?:fuori da|ancora|[A-Z0-9])[^\s,.;:()]*)*) "
    r"(creati|convertiti|vinti|contati|aperti)\b"
)


def _feminine(text: str) -> str:
    """Italian agreement with "opportunità" (feminine) in sentences written for "lead"."""
    for pattern, repl in _FEMININE:
        text = pattern.sub(repl, text)
    return _PARTICIPLE.sub(lambda m: f"{m.group(1)} {_AGREE[m.group(2)]}", text)


def _ndays(n: float) -> str:
    """``"120 days"``, ``"1 day"`` (``"120 giorni"`` in Italian)."""
    return f"{fmt_int(n)} {ngettext('day', 'days', n)}"


def _n0(x: float) -> str:
    """A whole number inside an interval: ``"1,234"`` (``"1.234"`` in Italian)."""
    return f"{x:,.0f}" if _en() else fmt_int(x)


def _col(col: str) -> str:
    """A breakdown column as words (``"lead_source"`` → ``"lead source"``; a data name)."""
    return col.replace("_", " ")


def _cols(col: str) -> str:
    """The column's values in English (``"sources"``); Italian sentences use ``{col}``."""
    return plural(col)


def _date_dmy(d: Any) -> str:
    """``"30 Sep 2026"`` (``"30 set 2026"`` in Italian)."""
    return f"{pd.Timestamp(d):%d %b %Y}" if _en() else fmt_date(d)


def _days_ci(est: float, lo: float, hi: float) -> str:
    if is_missing(est):
        return _("not reached")
    if is_missing(lo) and is_missing(hi):
        return fmt_days(est)
    lo_s = "?" if is_missing(lo) else _n0(lo)
    hi_s = "?" if is_missing(hi) else _n0(hi)
    return f"{fmt_days(est)} ({lo_s}–{hi_s})"


def _days_range(lo: float, hi: float, level: str = "95%") -> str:
    """``"95% interval 3–9 days"``; ``?`` for an open end; no "?–?" when neither is known."""
    if is_missing(lo) and is_missing(hi):
        return _("too few conversions for an interval")
    lo_s = "?" if is_missing(lo) else _n0(lo)
    hi_s = "?" if is_missing(hi) else _n0(hi)
    return _("{level} interval {low}–{high} days").format(level=level, low=lo_s, high=hi_s)


def _pp_ci(d: float, lo: float, hi: float) -> str:
    return _("{diff} ({low} to {high})").format(diff=fmt_pp(d), low=fmt_pp(lo), high=fmt_pp(hi))


def _pp_words(d: float, lo: float, hi: float) -> str:
    """For the summary (no "pp"): ``"−1.5 percentage points (−2.2 to −0.8)"``."""

    def num(x: float) -> str:
        return fmt_pp(x).removesuffix(" pp").removesuffix("\u00a0p.p.")

    return _("{diff} percentage points ({low} to {high})").format(
        diff=num(d), low=num(lo), high=num(hi)
    )


def _reach_words(stage: str) -> str:
    if stage == "won":
        return _("end up won")
    if stage == "opportunity":
        return _("become opportunities")
    return _("reach {stage}").format(stage=stage)


def _step_words(step: str) -> str:
    return step.replace("→", " → ")


def _stageplural(stage: str, noun: str) -> str:
    if stage == "created":
        return noun
    if stage == "opportunity":
        return _("{noun} that became opportunities").format(noun=noun)
    if stage == "won":
        return _("won {noun}").format(noun=noun)
    if stage.isupper():
        return _("{stage}s").format(stage=stage)
    return _("{noun} at {stage}").format(noun=noun, stage=stage)


def _or_later(noun: str, stage: str, short: bool) -> str:
    if short:
        return _("{noun} at {stage} or later").format(noun=noun, stage=stage)
    return _("{noun} that reached {stage} or a later stage").format(noun=noun, stage=stage)


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
    return _or_later(noun, stage, short)


def _date(d: Any) -> str:
    t = pd.Timestamp(d)
    return f"{t.day} {t:%b %Y}" if _en() else fmt_date(t)


def _campaign_ref(row: pd.Series) -> str:
    """``"the experiment C_AB_MQL_SLA (1 Dec 2024 – 31 Dec 2025)"``."""
    name = (
        ""
        if row["experiment"] or is_missing(row["name"]) or not row["name"]
        else f" “{row['name']}”"
    )
    dates = ""
    if not is_missing(row["start"]) and not is_missing(row["end"]):
        dates = f" ({_date(row['start'])} – {_date(row['end'])})"
    text = (
        _("the experiment {id}{name}{dates}")
        if row["experiment"]
        else _("the campaign {id}{name}{dates}")
    )
    return text.format(id=row["campaign_id"], name=name, dates=dates)


def _who(res: FunnelResult, period: str, k: int, *, short: bool = False) -> str:
    """``"Q4 2025 leads"``, ``"Q4 2025 MQLs"`` or, when some skipped the stage in that period,
    ``"Q4 2025 leads that reached MQL or a later stage"`` (``short``: ``"Q4 2025 leads at MQL or
    later"``)."""
    noun = res.meta.noun
    stage = res.meta.stages[k]
    if k == 0:
        who = _("{period} {noun}").format(period=period, noun=noun)
        if stage == "created":
            return who
        return _("{population} that reached {stage}").format(population=who, stage=stage)
    steps = (
        res.previous_steps
        if res.previous is not None and period == res.previous.label
        else res.steps
    )
    t = steps.table if steps is not None else res.steps.table
    row = t[t["stage"] == stage]
    if len(row) and int(row["skipped"].iloc[0]) == 0:
        return _("{period} {who}").format(period=period, who=_stageplural(stage, noun))
    text = (
        _("{period} {noun} at {stage} or later")
        if short
        else _("{period} {noun} that reached {stage} or a later stage")
    )
    return text.format(period=period, noun=noun, stage=stage)


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
    """The same campaign and stage in the other period; None when that period had nobody there
    (its share is undefined: no "against — in Q3 2023")."""
    c = res.campaigns
    o = c[
        (c["campaign_id"] == top["campaign_id"])
        & (c["stage_index"] == top["stage_index"])
        & (c["which"] != top["which"])
        & c["share"].notna()
    ]
    return o.iloc[0] if len(o) else None


def campaign_warnings(res: FunnelResult) -> list[str]:
    """One sentence per campaign or experiment whose members are a large share of a cohort."""
    mat = res.overlapping_campaigns()
    out = []
    for cid in dict.fromkeys(mat["campaign_id"]):
        top = _top_overlap(res, cid)
        k = int(top["stage_index"])
        entrants = ""
        if k:
            c = res.campaigns
            e = c[
                (c["campaign_id"] == cid) & (c["period"] == top["period"]) & (c["stage_index"] == 0)
            ]
            if len(e) and fmt_pct(e["share"].iloc[0], 0) != fmt_pct(top["share"], 0):
                entrants = _(" ({share} of all {period} {noun})").format(
                    share=fmt_pct(e["share"].iloc[0], 0), period=top["period"], noun=res.meta.noun
                )
        o = _other(res, top)
        exp = bool(top["experiment"])
        if o is not None:
            text = (
                _(
                    "{share} of {who}{entrants} were in {ref}, against {share_prev} in {period}; "
                    "changes between the periods may reflect the experiment, not the process."
                )
                if exp
                else _(
                    "{share} of {who}{entrants} were in {ref}, against {share_prev} in {period}; "
                    "changes between the periods may reflect the campaign, not the process."
                )
            )
        else:
            text = (
                _(
                    "{share} of {who}{entrants} were in {ref}; the rates may reflect the "
                    "experiment, not the usual process."
                )
                if exp
                else _(
                    "{share} of {who}{entrants} were in {ref}; the rates may reflect the "
                    "campaign, not the usual process."
                )
            )
        s = text.format(
            share=fmt_pct(top["share"], 0),
            who=_who(res, top["period"], k),
            entrants=entrants,
            ref=_campaign_ref(top),
            share_prev=fmt_pct(o["share"], 0) if o is not None else "",
            period=o["period"] if o is not None else "",
        )
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
    text = (  # short: the banner at the top gives the details (dates, shares of all entities)
        _(
            "but {share} of {who} were in the experiment {id}, against {share_prev} in {period}, "
            "so part or all of the change may come from the experiment"
        )
        if top["experiment"]
        else _(
            "but {share} of {who} were in the campaign {id}, against {share_prev} in {period}, "
            "so part or all of the change may come from the campaign"
        )
    )
    return text.format(
        share=fmt_pct(top["share"], 0),
        who=_who(res, top["period"], k, short=True),
        id=top["campaign_id"],
        share_prev=fmt_pct(o["share"], 0),
        period=o["period"],
    )


def time_note(res: FunnelResult) -> str:
    """The note under the time-to-convert chart about skipped stages (``""`` when none)."""
    t = res.steps.table
    parts = [
        _("{skipped} of the {reached} {noun} counted at {stage} ({pct}) skipped {stage}").format(
            skipped=fmt_int(r["skipped"]),
            reached=fmt_int(r["reached"]),
            noun=res.meta.noun,
            stage=r["stage"],
            pct=fmt_pct(r["skipped"] / r["reached"]),
        )
        for _i, r in t.iterrows()
        if r["skipped"] > 0 and r["reached"] > 0
    ]
    if not parts:
        return ""
    return articles(
        _(
            "A stage that was skipped counts as passed (“reached it or a later stage”), and the "
            "entity as converted to the next stage at day 0, so a curve can start above 0%: "
            "{skips}. They are kept in the curves and times so that these agree with the step "
            "rates."
        ).format(skips="; ".join(parts))
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


# --------------------------------------------------------------------------- summary


def _step_change_sentence(res: FunnelResult) -> tuple[str | None, bool]:
    """The summary's sentence on the step that changed most (and whether it names a campaign)."""
    cmp_ = res.comparison
    if cmp_ is None or len(res.meta.stages) <= 2:  # one step: the first sentence compared it
        return None, False
    steps_cmp = cmp_.table[~cmp_.table["overall"]].dropna(subset=["diff"])
    if not len(steps_cmp):
        return None, False
    clear = steps_cmp[steps_cmp["clear"]]
    if not len(clear):
        r = steps_cmp.loc[steps_cmp["diff"].abs().idxmax()]
        return _(
            "Compared with {prev}, no step changed by more than chance: the largest move, "
            "{step}, was {change}, so we cannot tell whether it is real."
        ).format(
            prev=res.previous,
            step=_step_words(r["step"]),
            change=_pp_words(r["diff"], r["diff_ci_low"], r["diff_ci_high"]),
        ), False
    r = clear.loc[clear["diff"].abs().idxmax()]
    caveat = _campaign_caveat(res, list(res.meta.stages).index(r["stage"]))
    n_other = len(clear) - 1
    others = (
        ngettext(
            ", and {n} other step(s) also changed clearly",
            ", and {n} other step(s) also changed clearly",
            n_other,
        ).format(n=n_other)
        if n_other
        else _(", and no other step changed by more than chance")
    )
    text = (
        _(
            "Compared with {prev}, {step} conversion rose from {before} to {after}, a change of "
            "{change} that is more than chance ({p}){others}{caveat}."
        )
        if r["diff"] > 0
        else _(
            "Compared with {prev}, {step} conversion fell from {before} to {after}, a change of "
            "{change} that is more than chance ({p}){others}{caveat}."
        )
    )
    return text.format(
        prev=res.previous,
        step=_step_words(r["step"]),
        before=fmt_pct(r["rate_prev"]),
        after=fmt_pct_ci(r["rate"], r["ci_low"], r["ci_high"]),
        change=_pp_words(r["diff"], r["diff_ci_low"], r["diff_ci_high"]),
        p=fmt_p(r["p_holm"]),
        others=others,
        caveat=f"; {caveat}" if caveat else "",
    ), bool(caveat)


def _cohort_period(res: FunnelResult) -> str:
    """The period of "{population} created in {period}", narrowed to those that reached the first
    stage when the funnel does not start at creation: the first step's count is of them ("Of the
    40 leads created in Q4 2023 that reached MQL", not "Of the 40 leads created" of 60)."""
    first = res.meta.stages[0]
    if first == "created":
        return str(res.meta.period)
    return _("{period} that reached {stage}").format(period=res.meta.period, stage=first)


def _first_sentence(res: FunnelResult, *, step_caveat: bool) -> str:
    """Overall conversion (and its change); the campaign caveat only when no step sentence
    explains it (the banner at the top has the details)."""
    m = res.meta
    ov = _overall(res)
    fields = {
        "n": fmt_int(int(res.steps.table["reached"].iloc[0])),
        "population": m.population,
        "period": _cohort_period(res),
        "rate": fmt_pct_ci(ov["rate"], ov["low"], ov["high"]),
        "reach": _reach_words(ov["to"]),
        "days": _ndays(m.window_days),
    }
    each = len(m.stages) > 2
    cmp_ = res.comparison
    if cmp_ is None:
        text = (
            _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(each step within {days})."
            )
            if each
            else _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(within {days})."
            )
        )
        return text.format(**fields)
    o = cmp_.table[cmp_.table["overall"]].iloc[0]
    though = ""
    mat = res.overlapping_campaigns()
    if o["clear"] and len(mat) and not step_caveat:
        ids = _(" and ").join(dict.fromkeys(mat["campaign_id"]))
        though = (
            _(", though part of it may come from the experiment {ids} (see the note above)")
            if bool(mat["experiment"].iloc[0])
            else _(", though part of it may come from the campaign {ids} (see the note above)")
        ).format(ids=ids)
    if o["clear"]:
        text = (
            _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(each step within {days}), against {prev_rate} in {prev}; the difference of "
                "{change} is more than chance{though}."
            )
            if each
            else _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(within {days}), against {prev_rate} in {prev}; the difference of {change} is "
                "more than chance{though}."
            )
        )
    else:
        text = (
            _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(each step within {days}), against {prev_rate} in {prev}; the difference of "
                "{change} is within chance, so we cannot tell them apart."
            )
            if each
            else _(
                "Of the {n} {population} created in {period}, an estimated {rate} will {reach} "
                "(within {days}), against {prev_rate} in {prev}; the difference of {change} is "
                "within chance, so we cannot tell them apart."
            )
        )
    return text.format(
        **fields,
        prev_rate=fmt_pct_ci(o["rate_prev"], o["ci_low_prev"], o["ci_high_prev"]),
        prev=res.previous,
        change=_pp_words(o["diff"], o["diff_ci_low"], o["diff_ci_high"]),
        though=though,
    )


def summary_sentences(res: FunnelResult) -> list[str]:
    """3–5 sentences: overall conversion, the leak, what changed, for whom, how fast."""
    m = res.meta
    step_sentence, step_caveat = _step_change_sentence(res)
    out: list[str] = [_first_sentence(res, step_caveat=step_caveat)]

    b = res.bottleneck() if len(m.stages) > 2 else None  # one step: the overall rate says it
    if b:
        fields = {
            "step": _step_words(b["step"]),
            "rate": fmt_pct_ci(b["rate"], b["ci_low"], b["ci_high"]),
            "who": _reached_phrase(res, b["stage"]),
            "days": _ndays(m.window_days),
            "lost": fmt_int(b["lost"]),
            "entered": fmt_int(b["entered"]),
        }
        if b.get("runner_up") and not b["clear"]:
            s = _(
                "The biggest leak is {step}: only {rate} of {who} moved on within {days}, so "
                "{lost} of {entered} were lost there; it is not clearly worse than {runner_up} "
                "({runner_up_rate}), so treat both as weak spots."
            ).format(
                **fields,
                runner_up=_step_words(b["runner_up"]),
                runner_up_rate=fmt_pct(b["runner_up_rate"]),
            )
        else:
            s = _(
                "The biggest leak is {step}: only {rate} of {who} moved on within {days}, so "
                "{lost} of {entered} were lost there."
            ).format(**fields)
        out.append(s)

    if step_sentence:
        out.append(step_sentence)

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
            n_small = int(part["small"].sum())
            text = (
                _(
                    "By {col}, {step} conversion ranges from {low} for {low_segment} to {high} "
                    "for {high_segment}; the {cols} differ by more than chance ({p}){small}."
                )
                if p < m.alpha
                else _(
                    "By {col}, {step} conversion ranges from {low} for {low_segment} to {high} "
                    "for {high_segment}; we cannot tell the {cols} apart ({p}){small}."
                )
            )
            small = (
                ngettext(
                    "; {n} small segment is not ranked",
                    "; {n} small segments are not ranked",
                    n_small,
                ).format(n=n_small)
                if n_small
                else ""
            )
            out.append(
                text.format(
                    col=_col(col),
                    cols=_cols(col),
                    step=_step_words(step),
                    low=fmt_pct_ci(lo_r["rate"], lo_r["ci_low"], lo_r["ci_high"]),
                    low_segment=lo_r["segment"],
                    high=fmt_pct_ci(hi_r["rate"], hi_r["ci_low"], hi_r["ci_high"]),
                    high_segment=hi_r["segment"],
                    p=fmt_p(p),
                    small=small,
                )
            )

    tt = res.time_to_convert.table
    focus = b.get("step") if b else None
    row = tt[tt["step"] == focus] if focus is not None else tt.iloc[:0]
    if len(row):
        r = row.iloc[0]
        wk = f"within_{_within_key(res)}d"
        tail = ""
        if wk in r and not is_missing(r[wk]) and r[wk] == 0:  # no "0.0% (0.0–0.0%)"
            tail = _(", and none had done so within {days}").format(days=_ndays(_within_key(res)))
        elif wk in r and not is_missing(r[wk]):
            tail = _(", and {rate} had done so within {days}, counting those still open").format(
                rate=fmt_pct_ci(r[wk], r[wk + "_ci_low"], r[wk + "_ci_high"]),
                days=_ndays(_within_key(res)),
            )
        if not is_missing(r["median_days"]):
            s = _("Half of {who} reach {stage} within {days}{tail}.").format(
                who=_reached_phrase(res, r["from_stage"]),
                stage=r["to_stage"],
                days=_days_ci(r["median_days"], r["ci_low"], r["ci_high"]),
                tail=tail,
            )
        else:
            s = _(
                "Fewer than half of {who} had reached {stage} by the cut-off; among {noun} that "
                "converted, the median was {days}{tail}."
            ).format(
                who=_reached_phrase(res, r["from_stage"]),
                stage=r["to_stage"],
                noun=m.noun,
                days=_days_ci(
                    r["converters_median_days"],
                    r["converters_median_ci_low"],
                    r["converters_median_ci_high"],
                ),
                tail=tail,
            )
        out.append(s)
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
            delta = _("{change} vs {prev} ({n})").format(
                change=f"{'+' if ch > 0 else ''}{fmt_pct(ch)}", prev=prev, n=fmt_int(p0)
            )
    short = bool(m.filters) and "(" not in m.population  # "EMEA leads"
    who = m.population[:1].upper() + m.population[1:] if short else m.noun.capitalize()
    first = m.stages[0]
    label = articles(
        _("{population} created").format(population=who)
        if first == "created"
        else _("{population} that reached {stage}").format(population=who, stage=first)
    )
    detail = f"{m.period}, {m.filter_label}" if m.filters and not short else str(m.period)
    out.append(Card(label, fmt_int(n0), detail=detail, delta=delta))

    ov = _overall(res)

    def delta_for(row: pd.Series | None) -> tuple[str | None, bool | None]:
        if row is None or is_missing(row["diff"]):
            return None, None
        good = bool(row["diff"] > 0) if row["clear"] else None
        text = _("{change} vs {prev}") if row["clear"] else _("{change} vs {prev} (within chance)")
        return text.format(change=fmt_pp(row["diff"]), prev=prev), good

    def interval(low: float, high: float) -> str:
        return _("{level} interval {low}–{high}").format(
            level=m.level, low=fmt_pct(low), high=fmt_pct(high)
        )

    o_row = cmp_[cmp_["overall"]].iloc[0] if cmp_ is not None else None
    d, g = delta_for(o_row)
    out.append(
        Card(
            _("{first} → {last} (overall)").format(first=ov["from"], last=ov["to"]),
            fmt_pct(ov["rate"]),
            detail=interval(ov["low"], ov["high"]),
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
                _("{step} conversion (the biggest leak)").format(step=_step_words(b["step"])),
                fmt_pct(b["rate"]),
                detail=_("{interval}, n = {n}").format(
                    interval=interval(b["ci_low"], b["ci_high"]), n=fmt_int(b["entered"])
                ),
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
                    _("MQL → SQL (qualification)"),
                    fmt_pct(r["rate"]),
                    detail=interval(r["ci_low"], r["ci_high"]),
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
                    _("Median days {step}").format(step=_step_words(r["step"])),
                    fmt_days(r["median_days"]),
                    detail=_("{interval}; open ones counted").format(
                        interval=_days_range(r["ci_low"], r["ci_high"], m.level)
                    ),
                )
            )
        else:
            out.append(
                Card(
                    articles(
                        _("Median days {step}, among {noun} that converted").format(
                            step=_step_words(r["step"]), noun=m.noun
                        )
                    ),
                    fmt_days(r["converters_median_days"]),
                    detail=_("{interval}; {events} of {n} converted by the cut-off").format(
                        interval=_days_range(
                            r["converters_median_ci_low"], r["converters_median_ci_high"], m.level
                        ),
                        events=fmt_int(r["events"]),
                        n=fmt_int(r["n"]),
                    ),
                )
            )
    return Cards(out[:6])
