"""Words for the funnel report's back matter: detail tables and methods (definitions).

Private; used by :class:`salesops_lib.analyses.funnel._result.FunnelResult`.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from salesops_lib.analyses.funnel._narrative import _days_ci, _pp_ci
from salesops_lib.analyses.funnel._stats import MATERIAL_SHARE
from salesops_lib.viz.format import count_noun, fmt_int, fmt_pct, fmt_pct_ci
from salesops_lib.viz.html import Definitions, Table

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.funnel._result import FunnelResult

__all__: list[str] = []  # private module


def detail_tables(res: FunnelResult) -> list[Any]:

    out = []
    s = res.steps.table
    late = "late" in s.columns and bool(s["late"].sum())
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
                "step": "Step",
                "reached": "Reached",
                "skipped": "Skipped this stage",
                "incomplete": "Too recent to judge",
                "entered": "Entered",
                "converted": "Converted",
                **({"late": "Converted after the window"} if late else {}),
                "rate_ci": "Step rate",
                "cum_ci": "Cumulative from start",
            },
            caption=f"Funnel steps, {res.meta.population} created in {res.meta.period} (window {count_noun(res.meta.window_days, 'day')}). "
            "Reached: reached the stage or a later one; skipped this stage: of those, reached it only through a "
            "later stage (counted as converted)."
            + (
                " Converted after the window: reached the next stage later than the window allows "
                "(not counted in the step rate)."
                if late
                else ""
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
                    change=[
                        _pp_ci(d, lo, hi)
                        for d, lo, hi in zip(
                            c["diff"], c["diff_ci_low"], c["diff_ci_high"], strict=True
                        )
                    ],
                    verdict=["more than chance" if x else "cannot tell" for x in c["clear"]],
                ),
                columns={
                    "step": "Step",
                    "prev": str(res.previous),
                    "cur": str(res.meta.period),
                    "change": "Change",
                    "p_holm": "p (Holm)",
                    "verdict": "Verdict",
                },
                formats={"p_holm": "p"},
                caption=f"Step conversion, {res.meta.period} vs {res.previous}.",
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
                    "segment_column": "Breakdown",
                    "segment": "Segment",
                    "step": "Step",
                    "entered": "Entered",
                    "converted": "Converted",
                    "rate_ci": "Rate",
                    "rank": "Rank",
                    "flag": "Note",
                },
                caption="Conversion by segment (attributed at funnel entry); small segments are not ranked.",
                max_rows=80,
            )
        )
        tests = res.segments.tests
        if len(tests):
            out.append(
                Table(
                    tests,
                    columns={
                        "segment_column": "Breakdown",
                        "step": "Step",
                        "n_segments": "Segments tested",
                        "n_small": "Small (not tested)",
                        "statistic": "Chi-square",
                        "dof": "df",
                        "p_value": "p",
                    },
                    formats={"statistic": "num", "p_value": "p"},
                    caption="Do segments differ? Pearson chi-square test of equal conversion, per step.",
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
                "step": "Step",
                "n": "Reached",
                "events": "Converted by the cut-off",
                "med": "Median (all, censoring-aware)",
                "p75": "75% converted by",
                "p90": "90% converted by",
                "cmed": "Median, converters only",
                "converters_mean_days": "Mean, converters only",
            },
            formats={"converters_mean_days": "num"},
            caption="Days between stages, for all that reached the earlier stage. 'Converted by the cut-off' counts "
            "conversions at any time up to the data's cut-off (the steps table counts those within the window). "
            "Intervals: the time lies between the two numbers; 'not reached': too few converted.",
        )
    )
    return out


# --------------------------------------------------------------------------- methods


def _skip_words(res: FunnelResult) -> str:
    t = res.steps.table
    parts = [
        f"{fmt_int(r['skipped'])} of the {fmt_int(r['reached'])} counted at {r['stage']} never had {r['stage']} themselves"
        for _, r in t.iterrows()
        if r["skipped"] > 0
    ]
    if not parts:
        return f"In {res.meta.period} no {res.meta.noun[:-1] if res.meta.noun.endswith('s') else res.meta.noun} skipped a stage."
    return (
        f"In {res.meta.period}, {'; '.join(parts)} (they went straight to a later stage; shown as 'Skipped this "
        "stage' in the steps table). They count as converted to the next stage, at day 0 in the time-to-convert "
        "curves, so step rates, curves and converters-only times include them."
    )


def _campaign_method(res: FunnelResult) -> str:
    c = res.campaigns
    m = res.meta
    out = []
    if c is not None and len(c):
        n = c["campaign_id"].nunique()
        out.append(
            f"Both cohorts were checked against campaign_members ({n} campaign{'s' if n != 1 else ''} with members "
            f"among them). An experiment (campaign type 'experiment', or members in more than one variant) is flagged "
            f"when its members are at least {fmt_pct(MATERIAL_SHARE, 0)} of the {m.noun} at any stage a step starts from, in either period; "
            f"another campaign when they are at least {fmt_pct(MATERIAL_SHARE, 0)} of the {m.noun} created. "
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
                            f"{fmt_pct(r['share'], 0)} at {r['stage']}" for _, r in pp.iterrows()
                        )
                    )
                descr.append(f"{cid} ({'; '.join(per_period)})")
            out.append(
                "Flagged: "
                + "; ".join(descr)
                + ". Their members are counted like everyone else"
                + (
                    ""
                    if m.exclude_campaigns
                    else "; set exclude_campaign_members to leave them out"
                )
                + ". "
            )
        else:
            out.append("None was flagged. ")
    if m.exclude_campaigns:
        ex = ", ".join(f"{fmt_int(v)} in {k}" for k, v in res.excluded.items())
        out.append(
            f"Members of {', '.join(m.exclude_campaigns)} are left out of every count"
            + (f" ({ex} of the {m.noun} created)" if ex else "")
            + "."
        )
    return "".join(out).strip()


def definitions(res: FunnelResult) -> Any:

    m = res.meta
    stages = " → ".join(m.stages)
    unit = m.unit_label or "lead"
    builtins = (
        f"'created' = {unit} created (leads.created_at); 'opportunity' = the {unit} converted "
        "(leads.converted_at); 'won' = its opportunity was won (is_won, dated by close_date); other "
        "stages are lead_history.status values"
        if m.funnel == "lead"
        else "stages are opportunity_history.stage values; 'won' comes from is_won (dated by "
        "close_date), never from a stage label"
    )
    span = f"{m.period.start:%d %b %Y} to {m.period.end:%d %b %Y}" if m.period else ""
    rows_txt = ", ".join(f"{k}: {fmt_int(v)} rows" for k, v in res.row_counts.items())
    who = f" with {m.filter_label}" if m.filters else ""
    rows = [
        (
            "Cohort",
            f"{m.noun.capitalize()} created from {span}{who} ({fmt_int(res.steps.n)}), followed up to the data's cut-off {m.as_of:%d %b %Y %H:%M} UTC. "
            + (
                f"Compared with {m.noun}{who} created in {res.previous}. "
                if res.previous and res.comparison is not None  # none created then: no comparison
                else ""
            )
            + (
                f"Every figure, chart and table of this report counts only these {m.noun}. "
                if m.filters
                else ""
            )
            + (
                f"The {' and '.join(m.filters_on_reps)} {'is' if len(m.filters_on_reps) == 1 else 'are'} that of the {m.funnel}'s owner (reps table). "
                if m.filters_on_reps
                else ""
            )
            + (
                f"Source tables{' (whole tables, before the filter)' if m.filters else ''}: {rows_txt}."
                if rows_txt
                else ""
            ),
        ),
        ("Stages", f"In order: {stages}. {builtins}."),
        (
            "Reached a stage",
            "An entity reached stage k when it reached k or any later stage: skipping a stage counts as passing it, and moving backwards does not undo it. The time it reached k is the earliest such time. "
            + _skip_words(res),
        ),
        (
            "Step rate",
            f"Share of entities that reached the next stage within {count_noun(m.window_days, 'day')} of reaching this one (the conversion window). "
            "Those that reached it later are counted apart (converted after the window), not in the rate; "
            "a note says so when they are as many as the conversions within it.",
            "rate = converted / entered",
        ),
        (
            "Too recent to judge",
            f"Entities that reached a stage less than {count_noun(m.window_days, 'day')} before the cut-off are left out of that step's rate (converted or not, so that quick recent conversions do not inflate it); they still count in the time-to-convert curves.",
        ),
        (
            "Cumulative rate",
            "Share of entrants expected to reach a stage: the product of the step rates up to it; interval by the delta method on the log scale (Greenwood's formula).",
            "C_k = p_1 × … × p_k;  Var(log C_k) ≈ Σ (1 − p_j) / (n_j p_j)",
        ),
        (
            "Intervals",
            f"Every interval is a {m.level} interval. Rates use the Wilson score interval.",
            "(x + z²/2)/(n + z²) ± z/(n + z²) · √(x(n − x)/n + z²/4),  "
            f"z = {NormalDist().inv_cdf(1 - m.alpha / 2):.2f}",
        ),
    ]
    if len(m.stages) > 2:
        rows.append(
            (
                "Biggest leak",
                "The step with the lowest rate; compared with the next-lowest step by a Newcombe interval for the difference of the two rates.",
            )
        )
    if res.comparison is not None:
        rows.append(
            (
                "Change vs previous period",
                "Difference of each step's rate between the two cohorts, in percentage points (pp: 24.3% against 34.6% is a change of −10.3 pp), with Newcombe's hybrid score interval; pooled two-proportion z-test; p-values adjusted with Holm's method over the steps. 'More than chance' means an adjusted p below 0.05. The overall rate's change uses a delta-method interval and z-test.",
                "z = (p₁ − p₀) / √(p̄(1 − p̄)(1/n₁ + 1/n₀))",
            )
        )
    if res.segments is not None:
        rows.append(
            (
                "Segments",
                f"Breakdowns by {', '.join(dict.fromkeys(res.segments.table['segment_column']))}, using each entity's value when it entered the funnel (missing values shown as '(missing)'). Segments with fewer than {res.segments.min_segment_size} entered at a step are flagged 'n < {res.segments.min_segment_size}' and not ranked or tested. Pearson chi-square test of equal rates over the other segments; every pair compared with a Newcombe interval and a z-test, Holm-adjusted within each step.",
                "X² = Σ (O − E)² / E,  df = segments − 1",
            )
        )
    rows += [
        (
            "Time to convert",
            f"Days from reaching one stage to reaching the next, for every entity that reached the first: those that have not converted by the cut-off are censored (still open), not failures. Kaplan–Meier estimate; median, 75th and 90th percentile: the first whole day by which that share had converted. Event times are rounded up to whole days (so 'within N days' is exact), censoring times down; many entities share each day, so the interval of a percentile inverts the curve's pointwise {m.level} band (log(−log), Greenwood variance) on the day grid, as Brookmeyer and Crowley do for exact times: from the last day by which clearly fewer had converted to the first day by which clearly that share had. 'Not reached' when too few converted. Entities that skipped the earlier stage count as converted at day 0 (see 'Reached a stage').",
            "S(t) = Π (1 − d_j / n_j);  interval [max{d: S_low(d) > 1 − q}, min{d: S_high(d) ≤ 1 − q}]",
        ),
        (
            "Converters only",
            "Median and mean days over entities that did convert. They ignore those still open and the ones that never convert, so they understate the wait; they are labelled 'among … that converted' (in tables: 'converters only'). The median's interval is the distribution-free order-statistic interval.",
            "ranks from Binomial(n, 0.5) quantiles",
        ),
    ]
    camp = _campaign_method(res)
    if camp:
        rows.append(("Campaigns and experiments", camp))
    if res.cohorts is not None:
        rows.append(
            (
                "Cohort matrix",
                f"Share of each creation {res.cohorts.grain}'s entrants{' (' + m.filter_label + ')' if m.filters else ''} that reached a stage (or a later one) within {count_noun(res.cohorts.horizon_days, 'day')} of entering the funnel. A cell is 'open' (incomplete) until every entrant of the cohort has had that long; open cells are marked, not shown as low.",
                "rate = reached within the horizon / entrants",
            )
        )
    return Definitions(rows)
