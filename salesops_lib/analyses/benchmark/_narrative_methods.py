"""Words for the benchmarking report's methods and definitions.

Private; used by :class:`salesops_lib.analyses.benchmark._result.BenchmarkResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salesops_lib.analyses.benchmark._compare import _sure_bar
from salesops_lib.analyses.benchmark._narrative import _and_list, _fmt_date, _money
from salesops_lib.analyses.benchmark._words import (
    en,
    fx,
    metric_definition,
    metric_formula,
    metric_label,
)
from salesops_lib.i18n import _
from salesops_lib.viz import format as F
from salesops_lib.viz.html import Definitions

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.benchmark._result import BenchmarkResult

__all__: list[str] = []  # private module


def definitions(res: BenchmarkResult) -> Any:
    """The methods & definitions appendix as a :class:`~salesops_lib.viz.html.Definitions`."""

    keys = ["win_rate", "win_rate_value", "avg_won_amount"]
    keys += ["avg_won_acv"] if res.has_acv else []
    keys += [
        "cycle_median_days",
        "activities_per_day",
        "calls_per_day",
        "emails_per_day",
        "meetings_per_day",
        "opps_created",
        "pipeline_generated",
        "quota_attainment",
        "share_at_quota",
        "velocity_per_day",
        "leads_per_rep",
    ]
    keys = [k for k in keys if res._metric_available(k)]
    rows = [
        {
            "term": metric_label(k),
            "definition": metric_definition(k),
            "formula": metric_formula(k),
        }
        for k in keys
    ]
    if res.quota_basis == "adjusted":
        for row in rows:
            if row["term"] == metric_label("quota_attainment"):
                row["definition"] = _(
                    "Won amount in the period ÷ the rep's quota for the period as stored in "
                    "the source (already prorated to days employed and ramped for new "
                    "hires). Attainment is an observed ratio, not an estimate, so it has no "
                    "interval."
                )
                row["formula"] = _("Σ amount(won) ÷ Σ quota (rows prorated to the period)")
    ramp = ", ".join(F.fmt_pct(r, 0) for r in res.ramp_schedule) or _("none")
    pct = fx(100 * (1 - res.alpha), "g") + "%"
    sure = _sure_bar
    n = res.n_compared
    rows += [
        {
            "term": _("Period and as-of time"),
            "definition": _period_text(res),
        },
        *(
            []
            if not res.available("attainment")
            else [
                {
                    "term": _("Ramp schedule"),
                    "definition": (
                        _(
                            "New hires carry {ramp} of their quota in tenure months 1, 2, 3, … "
                            "and the full quota afterwards (parameter ramp_schedule); quotas "
                            "are prorated to the days each rep was employed."
                        ).format(ramp=ramp)
                        if res.quota_basis == "full"
                        else _(
                            "Quotas are used as stored: the source already prorates them to "
                            "days employed and lowers them for new hires' ramp (parameter "
                            "quota_basis = adjusted). A quota row that straddles the period "
                            "boundary is prorated by calendar days."
                        )
                    ),
                }
            ]
        ),
        {
            "term": _("Credited to a rep"),
            "definition": (
                _(
                    "A rep is credited only with deals closed, deals created and activities "
                    "logged while employed: on or after hired_at and on or before left_at. A "
                    "deal still open when its owner left is censored at the leaving date in "
                    "the sales-cycle median. Deals closed after their owner left (or before "
                    "they were hired) are not credited to any rep and are left out of rep, "
                    "team, region and company figures; they are counted in a banner instead: "
                    "this period {closed} deal(s), {won} won, worth {amount} in won amount."
                ).format(
                    closed=F.fmt_int(res.uncredited["closed"]),
                    won=F.fmt_int(res.uncredited["won"]),
                    amount=_money(res.uncredited["won_amount"], res.currency),
                )
                if res.uncredited.get("closed")
                else _(
                    "A rep is credited only with deals closed, deals created and activities "
                    "logged while employed: on or after hired_at and on or before left_at. A "
                    "deal still open when its owner left is censored at the leaving date in "
                    "the sales-cycle median. Deals closed after their owner left (or before "
                    "they were hired) are not credited to any rep and are left out of rep, "
                    "team, region and company figures; they are counted in a banner instead: "
                    "none this period."
                )
            ),
        },
        {
            "term": _("Per rep (full-time equivalent)"),
            "definition": _(
                "Counts and amounts 'per rep' divide by full-time-equivalent reps, not heads: "
                "each rep counts as active selling days ÷ working days in the period "
                "({working_days} working days; {fte} FTE reps this period), so a rep who left "
                "early or joined late counts in part. Internal medians and top quartiles use "
                "only reps with at least one selling day in the period; a rep's count is "
                "divided by the rep's own FTE share before taking the median."
            ).format(
                working_days=res.working_days,
                fte=fx(res.company.get("fte_reps", float("nan")), ".1f"),
            ),
        },
        {
            "term": _("Intervals"),
            "definition": _(
                "Every interval is a {pct} interval: Wilson score for win rates and shares; a "
                "ratio-estimator (linearised) interval for the win rate by value; exact Poisson "
                "(Garwood) for one rep's activities per day; for a team, region or the company, "
                "activities per day treat the reps as the sample (days-weighted mean of rep "
                "rates with a cluster-robust standard error and a t distribution with reps − 1 "
                "degrees of freedom), because reps' activity levels differ far more than chance; "
                "Brookmeyer–Crowley for the median sales cycle."
            ).format(pct=pct),
        },
        {
            "term": _("Shrunk win rate"),
            "definition": _(
                "Hierarchical beta-binomial estimate: reps' win rates are drawn from a common beta "
                "distribution whose mean and spread are themselves uncertain (averaged over a grid "
                "with a weak prior, Gelman et al., BDA 5.3), and each rep's rate is the posterior "
                "mean, pulled towards the company rate the more, the fewer deals the rep closed. "
                "Its interval is the 95% posterior (credible) interval; averaging over the spread "
                "keeps it honest when reps barely differ. The above/below calls use the "
                "moment-fitted beta (mean = the company rate)."
            ),
            "formula": _("E[(α + won) ÷ (α + β + closed)], averaged over (α, β)"),
        },
        {
            "term": _("Median rank (range)"),
            "definition": _(
                "The rep's median rank (1 = best) over draws of all reps' win rates from their "
                "posterior distributions, and the range of ranks the rep takes in 95% of the "
                "draws. Median ranks can tie or skip numbers; overlapping ranges mean the order "
                "between those reps is not settled."
            ),
        },
        {
            "term": _("Clearly / probably above or below"),
            "definition": _(
                "For each of the {n} reps with closed deals we compute the posterior probability "
                "that the true win rate is above the company rate. Looking at {n} reps at once, "
                "about {expected} per side would pass a {c} bar by chance alone, so a rep is "
                "called clearly above (below) only at {clear} or more: 1 − (1 − {c}) ÷ {n} "
                "(Bonferroni), which keeps the chance of calling any rep whose true rate equals "
                "the company rate clearly above at about {alpha} or less (and the same for "
                "clearly below). Reps between {c} and {clear} are 'probably' above (below): on "
                "the watch list, not named as top performers or as needing support, and not "
                "coloured in the charts."
            ).format(
                n=n,
                expected=fx(n * (1 - res.certainty), ".1f"),
                c=sure(res.certainty),
                clear=sure(res.clear_certainty),
                alpha=sure(1 - res.certainty),
            ),
            "formula": _("clear if P(p > company) ≥ 1 − (1 − c) ÷ m, c = {c}, m = {m}").format(
                c=sure(res.certainty), m=n
            ),
        },
        {
            "term": _("Funnel plot"),
            "definition": _(
                "Each rep's win rate against the number of closed deals, with control limits "
                "around the company rate (Spiegelhalter 2005). A rep whose true rate is the "
                "company rate falls outside the 95% limits with probability 1 in 20, so among "
                "{n} reps about {expected} land there by chance: reps between the 95% and 99.8% "
                "limits are only 'possible' outliers (grey labels). Outside the 99.8% limits (1 "
                "in 500 per rep, about {expected998} expected by chance among {n}) a rep is an "
                "outlier (coloured)."
            ).format(n=n, expected=fx(0.05 * n, ".1f"), expected998=fx(0.002 * n, ".2f")),
        },
        {
            "term": _("Recognition and coaching"),
            "definition": _recognition_text(res),
        },
        {
            "term": _("External benchmarks"),
            "definition": _(
                "Each external figure keeps its publisher's definition, source and year. It is "
                "compared with ours in the summary and the cards only when it is a real figure "
                "(not marked placeholder: true in the benchmarks file) and declared "
                "like_for_like: true. Figures measured differently (another segment, won deals "
                "only, annual quota, …) are shown in the benchmarks table, flagged as not "
                "like-for-like with the difference stated."
            ),
        },
        *(
            []
            if not res.available("territory_balance")
            else [
                {
                    "term": _("Territory balance"),
                    "definition": _(
                        "Leads created in the period, accounts and open pipeline at the as-of "
                        "time per full-time-equivalent rep (active selling days ÷ working days "
                        "in the period). A territory is overloaded when its leads per rep are at "
                        "least {ratio}× the median territory, underloaded at most 1/{ratio}×. "
                        "Coefficient of variation = standard deviation ÷ mean; Gini = mean "
                        "absolute difference ÷ (2 × mean), 0 = perfectly even."
                    ).format(ratio=fx(res.overload_ratio, "g")),
                }
            ]
        ),
        {
            "term": _("Small samples"),
            "definition": _(
                "Reps with fewer than {n} closed deals are marked (hollow markers, 'n < {n}')."
            ).format(n=res.min_closed),
        },
    ]
    if res.n_compared < 2:  # nothing ranked or called: no rows about how that is done
        comparing = {
            _("Median rank (range)"),
            _("Clearly / probably above or below"),
            _("Funnel plot"),
        }
        rows = [r for r in rows if r["term"] not in comparing]
    notes: dict[str, list[str]] = {}
    for d in res.not_available.values():
        notes.setdefault(d["note"], []).append(d["what"])
    for note, whats in notes.items():
        rows.append(
            {
                "term": _("Not computed: {what}").format(what=_and_list(whats)),
                "definition": note.replace("`", ""),
            }
        )
    if res.unknown_owners:
        rows.append(
            {
                "term": _("Unknown reps"),
                "definition": _(
                    "Deals, activities and leads of owners missing from the reps table "
                    "({owners}) are grouped as 'Unknown rep': counted in company totals, not "
                    "ranked."
                ).format(
                    owners=", ".join(res.unknown_owners[:10])
                    + (", …" if len(res.unknown_owners) > 10 else "")
                ),
            }
        )
    return Definitions(rows)


def _period_text(res: BenchmarkResult) -> str:
    """The definition of the period: what is counted, the dates, the rows read."""
    leads, acts = "leads" in res.row_counts, "activities" in res.row_counts
    if leads and acts:
        text = _(
            "Deals closed, deals and leads created and activities logged from {start} to "
            "{end}; data as of {as_of}. Rows: {rows}."
        )
    elif leads:
        text = _(
            "Deals closed, deals and leads created from {start} to {end}; data as of {as_of}. "
            "Rows: {rows}."
        )
    elif acts:
        text = _(
            "Deals closed, deals created and activities logged from {start} to {end}; data as "
            "of {as_of}. Rows: {rows}."
        )
    else:
        text = _(
            "Deals closed, deals created from {start} to {end}; data as of {as_of}. Rows: {rows}."
        )
    as_of = (
        f"{res.as_of:%d %b %Y %H:%M} UTC"
        if en()
        else f"{F.fmt_date(res.as_of)} {res.as_of:%H:%M} UTC"
    )
    labels = {
        "deals closed": _("deals closed"),
        "deals created": _("deals created"),
        "activities": _("activities"),
        "leads": _("leads"),
        "quota rows": _("quota rows"),
        "reps": _("reps"),
    }
    return text.format(
        start=_fmt_date(res.period_start),
        end=_fmt_date(res.period_end_eff),
        as_of=as_of,
        rows=", ".join(f"{labels.get(k, k)} {F.fmt_int(v)}" for k, v in res.row_counts.items()),
    )


def _recognition_text(res: BenchmarkResult) -> str:
    """Who is listed for recognition or coaching, and on what bar."""
    att, act = res.available("attainment"), res.available("activities")
    fields = {
        "high": F.fmt_pct(max(res.attainment_thresholds), 0) if att else "",
        "low": F.fmt_pct(min(res.attainment_thresholds), 0) if att else "",
        "n": res.min_closed,
    }
    if att and act:
        text = _(
            "A rep is listed for win rate only when clearly above (recognition) or below "
            "(coaching) the company rate (see above); for attainment when ramp-adjusted "
            "attainment is at least {high} or below {low} with at least {n} closed deals; for "
            "activity when activities per day are below 75% of the median rep and the interval "
            "lies below the median. Small samples therefore cannot top or bottom the list on "
            "luck."
        )
    elif att:
        text = _(
            "A rep is listed for win rate only when clearly above (recognition) or below "
            "(coaching) the company rate (see above); for attainment when ramp-adjusted "
            "attainment is at least {high} or below {low} with at least {n} closed deals. Small "
            "samples therefore cannot top or bottom the list on luck."
        )
    elif act:
        text = _(
            "A rep is listed for win rate only when clearly above (recognition) or below "
            "(coaching) the company rate (see above); for activity when activities per day are "
            "below 75% of the median rep and the interval lies below the median. Small samples "
            "therefore cannot top or bottom the list on luck."
        )
    else:
        text = _(
            "A rep is listed for win rate only when clearly above (recognition) or below "
            "(coaching) the company rate (see above). Small samples therefore cannot top or "
            "bottom the list on luck."
        )
    return text.format(**fields)
