"""Words for the funnel report's back matter: detail tables and methods (definitions).

Private; used by :class:`salesops_lib.analyses.funnel._result.FunnelResult`.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from salesops_lib.analyses.funnel._narrative import (
    _date_dmy,
    _days_ci,
    _en,
    _ndays,
    _pp_ci,
    articles,
)
from salesops_lib.analyses.funnel._stats import MATERIAL_SHARE
from salesops_lib.i18n import _, ngettext
from salesops_lib.viz.format import fmt_int, fmt_num, fmt_pct, fmt_pct_ci
from salesops_lib.viz.html import Definitions, Table

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.funnel._result import FunnelResult

__all__: list[str] = []  # private module


def detail_tables(res: FunnelResult) -> list[Any]:

    out = []
    s = res.steps.table
    late = "late" in s.columns and bool(s["late"].sum())
    caption = _(
        "Funnel steps, {population} created in {period} (window {days}). Reached: reached the "
        "stage or a later one; skipped this stage: of those, reached it only through a later stage "
        "(counted as converted)."
    )
    if late:
        caption = _(
            "Funnel steps, {population} created in {period} (window {days}). Reached: reached the "
            "stage or a later one; skipped this stage: of those, reached it only through a later "
            "stage (counted as converted). Converted after the window: reached the next stage "
            "later than the window allows (not counted in the step rate)."
        )
    out.append(
        Table(
            s.assign(
                rate_ci=[
                    fmt_pct_ci(r, lo, hi)
                    for r, lo, hi in zip(s["rate"], s["ci_low"], s["ci_high"], strict=True)
                ],
                cum_ci=[
                    fmt_pct_ci(r, lo, hi)
                    for r, lo, hi in zip(
                        s["cumulative_rate"], s["cum_ci_low"], s["cum_ci_high"], strict=True
                    )
                ],
            ),
            columns={
                "step": _("Step"),
                "reached": _("Reached"),
                "skipped": _("Skipped this stage"),
                "incomplete": _("Too recent to judge"),
                "entered": _("Entered"),
                "converted": _("Converted"),
                **({"late": _("Converted after the window")} if late else {}),
                "rate_ci": _("Step rate"),
                "cum_ci": _("Cumulative from start"),
            },
            caption=articles(
                caption.format(
                    population=res.meta.population,
                    period=res.meta.period,
                    days=_ndays(res.meta.window_days),
                )
            ),
        )
    )
    if res.comparison is not None:
        c = res.comparison.table
        out.append(
            Table(
                c.assign(
                    prev=[
                        fmt_pct_ci(r, lo, hi)
                        for r, lo, hi in zip(
                            c["rate_prev"], c["ci_low_prev"], c["ci_high_prev"], strict=True
                        )
                    ],
                    cur=[
                        fmt_pct_ci(r, lo, hi)
                        for r, lo, hi in zip(c["rate"], c["ci_low"], c["ci_high"], strict=True)
                    ],
                    step=[_overall_label(x) for x in c["step"]],
                    change=[
                        _pp_ci(d, lo, hi)
                        for d, lo, hi in zip(
                            c["diff"], c["diff_ci_low"], c["diff_ci_high"], strict=True
                        )
                    ],
                    verdict=[_("more than chance") if x else _("cannot tell") for x in c["clear"]],
                ),
                columns={
                    "step": _("Step"),
                    "prev": str(res.previous),
                    "cur": str(res.meta.period),
                    "change": _("Change"),
                    "p_holm": _("p (Holm)"),
                    "verdict": _("Verdict"),
                },
                formats={"p_holm": "p"},
                caption=_("Step conversion, {period} vs {prev}.").format(
                    period=res.meta.period, prev=res.previous
                ),
            )
        )
    if res.segments is not None:
        g = res.segments.table
        out.append(
            Table(
                g.assign(
                    rate_ci=[
                        fmt_pct_ci(r, lo, hi)
                        for r, lo, hi in zip(g["rate"], g["ci_low"], g["ci_high"], strict=True)
                    ],
                    flag=[
                        "n < " + str(res.segments.min_segment_size) if x else "" for x in g["small"]
                    ],
                ),
                columns={
                    "segment_column": _("Breakdown"),
                    "segment": _("Segment"),
                    "step": _("Step"),
                    "entered": _("Entered"),
                    "converted": _("Converted"),
                    "rate_ci": _("Rate"),
                    "rank": _("Rank"),
                    "flag": _("Note"),
                },
                caption=_(
                    "Conversion by segment (attributed at funnel entry); small segments are not "
                    "ranked."
                ),
                max_rows=80,
            )
        )
        tests = res.segments.tests
        if len(tests):
            out.append(
                Table(
                    tests,
                    columns={
                        "segment_column": _("Breakdown"),
                        "step": _("Step"),
                        "n_segments": _("Segments tested"),
                        "n_small": _("Small (not tested)"),
                        "statistic": _("Chi-square"),
                        "dof": _("df"),
                        "p_value": "p",
                    },
                    formats={"statistic": "num", "p_value": "p"},
                    caption=_(
                        "Do segments differ? Pearson chi-square test of equal conversion, per step."
                    ),
                )
            )
    t = res.time_to_convert.table
    out.append(
        Table(
            t.assign(
                med=[
                    _days_ci(a, b, c)
                    for a, b, c in zip(t["median_days"], t["ci_low"], t["ci_high"], strict=True)
                ],
                p75=[
                    _days_ci(a, b, c)
                    for a, b, c in zip(
                        t["p75_days"], t["p75_ci_low"], t["p75_ci_high"], strict=True
                    )
                ],
                p90=[
                    _days_ci(a, b, c)
                    for a, b, c in zip(
                        t["p90_days"], t["p90_ci_low"], t["p90_ci_high"], strict=True
                    )
                ],
                cmed=[
                    _days_ci(a, b, c)
                    for a, b, c in zip(
                        t["converters_median_days"],
                        t["converters_median_ci_low"],
                        t["converters_median_ci_high"],
                        strict=True,
                    )
                ],
            ),
            columns={
                "step": _("Step"),
                "n": _("Reached"),
                "events": _("Converted by the cut-off"),
                "med": _("Median (all, censoring-aware)"),
                "p75": _("75% converted by"),
                "p90": _("90% converted by"),
                "cmed": _("Median, converters only"),
                "converters_mean_days": _("Mean, converters only"),
            },
            formats={"converters_mean_days": "num"},
            caption=_(
                "Days between stages, for all that reached the earlier stage. 'Converted by the "
                "cut-off' counts conversions at any time up to the data's cut-off (the steps table "
                "counts those within the window). Intervals: the time lies between the two "
                "numbers; 'not reached': too few converted."
            ),
        )
    )
    return out


# --------------------------------------------------------------------------- methods


def _skip_words(res: FunnelResult) -> str:
    t = res.steps.table
    parts = [
        _("{skipped} of the {reached} counted at {stage} never had {stage} themselves").format(
            skipped=fmt_int(r["skipped"]), reached=fmt_int(r["reached"]), stage=r["stage"]
        )
        for _i, r in t.iterrows()
        if r["skipped"] > 0
    ]
    m = res.meta
    if not parts:
        one = m.noun[:-1] if m.noun.endswith("s") else m.noun
        return _("In {period} no {noun} skipped a stage.").format(period=m.period, noun=one)
    return _(
        "In {period}, {skips} (they went straight to a later stage; shown as 'Skipped this stage' "
        "in the steps table). They count as converted to the next stage, at day 0 in the "
        "time-to-convert curves, so step rates, curves and converters-only times include them."
    ).format(period=m.period, skips="; ".join(parts))


def _campaign_method(res: FunnelResult) -> str:
    c = res.campaigns
    m = res.meta
    out = []
    if c is not None and len(c):
        n = c["campaign_id"].nunique()
        out.append(
            ngettext(
                "Both cohorts were checked against campaign_members ({n} campaign with members "
                "among them). An experiment (campaign type 'experiment', or members in more than "
                "one variant) is flagged when its members are at least {share} of the {noun} at "
                "any stage a step starts from, in either period; another campaign when they are "
                "at least {share} of the {noun} created. ",
                "Both cohorts were checked against campaign_members ({n} campaigns with members "
                "among them). An experiment (campaign type 'experiment', or members in more than "
                "one variant) is flagged when its members are at least {share} of the {noun} at "
                "any stage a step starts from, in either period; another campaign when they are "
                "at least {share} of the {noun} created. ",
                n,
            ).format(n=n, share=fmt_pct(MATERIAL_SHARE, 0), noun=m.noun)
        )
        mat = res.overlapping_campaigns()
        if len(mat):
            descr = []
            for cid in dict.fromkeys(mat["campaign_id"]):
                sub = c[c["campaign_id"] == cid]
                per_period = []
                for per in dict.fromkeys(sub["period"]):
                    pp = sub[sub["period"] == per].sort_values("stage_index")
                    per_period.append(
                        f"{per}: "
                        + ", ".join(
                            _("{share} at {stage}").format(
                                share=fmt_pct(r["share"], 0), stage=r["stage"]
                            )
                            for _i, r in pp.iterrows()
                        )
                    )
                descr.append(f"{cid} ({'; '.join(per_period)})")
            text = (
                _("Flagged: {campaigns}. Their members are counted like everyone else. ")
                if m.exclude_campaigns
                else _(
                    "Flagged: {campaigns}. Their members are counted like everyone else; set "
                    "exclude_campaign_members to leave them out. "
                )
            )
            out.append(text.format(campaigns="; ".join(descr)))
        else:
            out.append(_("None was flagged. "))
    if m.exclude_campaigns:
        ex = ", ".join(
            _("{n} in {period}").format(n=fmt_int(v), period=k) for k, v in res.excluded.items()
        )
        text = (
            _(
                "Members of {campaigns} are left out of every count ({excluded} of the {noun} "
                "created)."
            )
            if ex
            else _("Members of {campaigns} are left out of every count.")
        )
        out.append(text.format(campaigns=", ".join(m.exclude_campaigns), excluded=ex, noun=m.noun))
    return "".join(out).strip()


def _cohort_definition(res: FunnelResult) -> str:
    m = res.meta
    text = (
        _(
            "Share of each creation week's entrants{who} that reached a stage (or a later one) "
            "within {days} of entering the funnel. A cell is 'open' (incomplete) until every "
            "entrant of the cohort has had that long; open cells are marked, not shown as low."
        )
        if res.cohorts.grain == "week"
        else _(
            "Share of each creation month's entrants{who} that reached a stage (or a later one) "
            "within {days} of entering the funnel. A cell is 'open' (incomplete) until every "
            "entrant of the cohort has had that long; open cells are marked, not shown as low."
        )
    )
    return text.format(
        who=f" ({m.filter_label})" if m.filters else "", days=_ndays(res.cohorts.horizon_days)
    )


def _cohort_row(res: FunnelResult) -> str:
    """The "Cohort" definition: who is counted, compared with whom, from which tables."""
    m = res.meta
    span = (
        _("{start} to {end}").format(start=_date_dmy(m.period.start), end=_date_dmy(m.period.end))
        if m.period
        else ""
    )
    rows_txt = ", ".join(
        ngettext("{table}: {n} row", "{table}: {n} rows", v).format(table=k, n=fmt_int(v))
        for k, v in res.row_counts.items()
    )
    who = _(" with {filters}").format(filters=m.filter_label) if m.filters else ""
    as_of = f"{m.as_of:%d %b %Y %H:%M}" if _en() else f"{_date_dmy(m.as_of)} {m.as_of:%H:%M}"
    text = _(
        "{Noun} created from {span}{who} ({n}), followed up to the data's cut-off {as_of} UTC. "
    ).format(
        Noun=m.noun.capitalize(),
        noun=m.noun,
        span=span,
        who=who,
        n=fmt_int(res.steps.n),
        as_of=as_of,
    )
    if res.previous and res.comparison is not None:  # none created then: no comparison
        text += _("Compared with {noun}{who} created in {prev}. ").format(
            noun=m.noun, who=who, prev=res.previous
        )
    if m.filters:
        text += _("Every figure, chart and table of this report counts only these {noun}. ").format(
            noun=m.noun
        )
    if m.filters_on_reps:
        reps = " and ".join(m.filters_on_reps)
        text += (
            _("The {columns} is that of the {funnel}'s owner (reps table). ")
            if len(m.filters_on_reps) == 1
            else _("The {columns} are that of the {funnel}'s owner (reps table). ")
        ).format(columns=reps if _en() else _(" and ").join(m.filters_on_reps), funnel=m.funnel)
    if rows_txt:
        text += (
            _("Source tables (whole tables, before the filter): {rows}.")
            if m.filters
            else _("Source tables: {rows}.")
        ).format(rows=rows_txt)
    return text


def definitions(res: FunnelResult) -> Any:

    m = res.meta
    stages = " → ".join(m.stages)
    unit = m.unit_label or "lead"
    builtins = (
        _(
            "'created' = {unit} created (leads.created_at); 'opportunity' = the {unit} converted "
            "(leads.converted_at); 'won' = its opportunity was won (is_won, dated by close_date); "
            "other stages are lead_history.status values"
        ).format(unit=unit)
        if m.funnel == "lead"
        else _(
            "stages are opportunity_history.stage values; 'won' comes from is_won (dated by "
            "close_date), never from a stage label"
        )
    )
    days = _ndays(m.window_days)
    rows = [
        (_("Cohort"), articles(_cohort_row(res))),
        (
            _("Stages"),
            _("In order: {stages}. {builtins}.").format(stages=stages, builtins=builtins),
        ),
        (
            _("Reached a stage"),
            _(
                "An entity reached stage k when it reached k or any later stage: skipping a stage "
                "counts as passing it, and moving backwards does not undo it. The time it reached "
                "k is the earliest such time. "
            )
            + articles(_skip_words(res)),
        ),
        (
            _("Step rate"),
            _(
                "Share of entities that reached the next stage within {days} of reaching this one "
                "(the conversion window). Those that reached it later are counted apart (converted "
                "after the window), not in the rate; a note says so when they are as many as the "
                "conversions within it."
            ).format(days=days),
            _("rate = converted / entered"),
        ),
        (
            _("Too recent to judge"),
            _(
                "Entities that reached a stage less than {days} before the cut-off are left out of "
                "that step's rate (converted or not, so that quick recent conversions do not "
                "inflate it); they still count in the time-to-convert curves."
            ).format(days=days),
        ),
        (
            _("Cumulative rate"),
            _(
                "Share of entrants expected to reach a stage: the product of the step rates up to "
                "it; interval by the delta method on the log scale (Greenwood's formula)."
            ),
            "C_k = p_1 × … × p_k;  Var(log C_k) ≈ Σ (1 − p_j) / (n_j p_j)",
        ),
        (
            _("Intervals"),
            _("Every interval is a {level} interval. Rates use the Wilson score interval.").format(
                level=m.level
            ),
            "(x + z²/2)/(n + z²) ± z/(n + z²) · √(x(n − x)/n + z²/4),  "
            + _z(NormalDist().inv_cdf(1 - m.alpha / 2)),
        ),
    ]
    if len(m.stages) > 2:
        rows.append(
            (
                _("Biggest leak"),
                _(
                    "The step with the lowest rate; compared with the next-lowest step by a "
                    "Newcombe interval for the difference of the two rates."
                ),
            )
        )
    if res.comparison is not None:
        rows.append(
            (
                _("Change vs previous period"),
                _(
                    "Difference of each step's rate between the two cohorts, in percentage points "
                    "(pp: 24.3% against 34.6% is a change of −10.3 pp), with Newcombe's hybrid "
                    "score interval; pooled two-proportion z-test; p-values adjusted with Holm's "
                    "method over the steps. 'More than chance' means an adjusted p below 0.05. "
                    "The overall rate's change uses a delta-method interval and z-test."
                ),
                "z = (p₁ − p₀) / √(p̄(1 − p̄)(1/n₁ + 1/n₀))",
            )
        )
    if res.segments is not None:
        k = res.segments.min_segment_size
        rows.append(
            (
                _("Segments"),
                _(
                    "Breakdowns by {columns}, using each entity's value when it entered the funnel "
                    "(missing values shown as '(missing)'). Segments with fewer than {n} entered "
                    "at a step are flagged 'n < {n}' and not ranked or tested. Pearson chi-square "
                    "test of equal rates over the other segments; every pair compared with a "
                    "Newcombe interval and a z-test, Holm-adjusted within each step."
                ).format(
                    columns=", ".join(dict.fromkeys(res.segments.table["segment_column"])), n=k
                ),
                _("X² = Σ (O − E)² / E,  df = segments − 1"),
            )
        )
    rows += [
        (
            _("Time to convert"),
            _(
                "Days from reaching one stage to reaching the next, for every entity that reached "
                "the first: those that have not converted by the cut-off are censored (still "
                "open), not failures. Kaplan–Meier estimate; median, 75th and 90th percentile: "
                "the first whole day by which that share had converted. Event times are rounded "
                "up to whole days (so 'within N days' is exact), censoring times down; many "
                "entities share each day, so the interval of a percentile inverts the curve's "
                "pointwise {level} band (log(−log), Greenwood variance) on the day grid, as "
                "Brookmeyer and Crowley do for exact times: from the last day by which clearly "
                "fewer had converted to the first day by which clearly that share had. 'Not "
                "reached' when too few converted. Entities that skipped the earlier stage count "
                "as converted at day 0 (see 'Reached a stage')."
            ).format(level=m.level),
            "S(t) = Π (1 − d_j / n_j);  "
            + _("interval [max{d: S_low(d) > 1 − q}, min{d: S_high(d) ≤ 1 − q}]"),
        ),
        (
            _("Converters only"),
            _(
                "Median and mean days over entities that did convert. They ignore those still open "
                "and the ones that never convert, so they understate the wait; they are labelled "
                "'among … that converted' (in tables: 'converters only'). The median's interval "
                "is the distribution-free order-statistic interval."
            ),
            _("ranks from Binomial(n, 0.5) quantiles"),
        ),
    ]
    camp = articles(_campaign_method(res))
    if camp:
        rows.append((_("Campaigns and experiments"), camp))
    if res.cohorts is not None:
        rows.append(
            (
                _("Cohort matrix"),
                _cohort_definition(res),
                _("rate = reached within the horizon / entrants"),
            )
        )
    return Definitions(rows)


def _overall_label(step: str) -> str:
    """``"created→won (overall)"`` (the comparison's last row) in the reader's language."""
    if step.endswith(" (overall)"):
        return _("{step} (overall)").format(step=step.removesuffix(" (overall)"))
    return step


def _z(z: float) -> str:
    return f"z = {z:.2f}" if _en() else f"z = {fmt_num(z, 2)}"
