"""Words for the benchmarking report's methods and definitions.

Private; used by :class:`salesops_lib.analyses.benchmark._result.BenchmarkResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salesops_lib.analyses.benchmark._compare import _sure_bar
from salesops_lib.analyses.benchmark._definitions import METRICS
from salesops_lib.analyses.benchmark._narrative import _and_list, _fmt_date, _money
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
            "term": METRICS[k].label,
            "definition": METRICS[k].definition,
            "formula": METRICS[k].formula,
        }
        for k in keys
    ]
    if res.quota_basis == "adjusted":
        for row in rows:
            if row["term"] == METRICS["quota_attainment"].label:
                row["definition"] = (
                    "Won amount in the period ÷ the rep's quota for the period as stored in "
                    "the source (already prorated to days employed and ramped for new "
                    "hires). Attainment is an observed ratio, not an estimate, so it has no "
                    "interval."
                )
                row["formula"] = "Σ amount(won) ÷ Σ quota (rows prorated to the period)"
    ramp = ", ".join(f"{100 * r:.0f}%" for r in res.ramp_schedule) or "none"
    pct = f"{100 * (1 - res.alpha):g}%"
    rows += [
        {
            "term": "Period and as-of time",
            "definition": (
                "Deals closed, deals "
                + ("and leads " if "leads" in res.row_counts else "")
                + "created"
                + (" and activities logged" if "activities" in res.row_counts else "")
                + " from "
                f"{_fmt_date(res.period_start)} to {_fmt_date(res.period_end_eff)}; data as of "
                f"{res.as_of:%d %b %Y %H:%M} UTC. Rows: "
                + ", ".join(f"{k} {v:,}" for k, v in res.row_counts.items())
                + "."
            ),
        },
        *(
            []
            if not res.available("attainment")
            else [
                {
                    "term": "Ramp schedule",
                    "definition": (
                        f"New hires carry {ramp} of their quota in tenure months 1, 2, 3, … and the full "
                        "quota afterwards (parameter ramp_schedule); quotas are prorated to the days each "
                        "rep was employed."
                        if res.quota_basis == "full"
                        else "Quotas are used as stored: the source already prorates them to days employed "
                        "and lowers them for new hires' ramp (parameter quota_basis = adjusted). A quota "
                        "row that straddles the period boundary is prorated by calendar days."
                    ),
                }
            ]
        ),
        {
            "term": "Credited to a rep",
            "definition": (
                "A rep is credited only with deals closed, deals created and activities logged "
                "while employed: on or after hired_at and on or before left_at. A deal still "
                "open when its owner left is censored at the leaving date in the sales-cycle "
                "median. Deals closed after their owner left (or before they were hired) are not "
                "credited to any rep and are left out of rep, team, region and company figures; "
                "they are counted in a banner instead: "
                + (
                    f"this period {res.uncredited['closed']:,} deal(s), "
                    f"{res.uncredited['won']:,} won, worth "
                    f"{_money(res.uncredited['won_amount'], res.currency)} in won amount."
                    if res.uncredited.get("closed")
                    else "none this period."
                )
            ),
        },
        {
            "term": "Per rep (full-time equivalent)",
            "definition": (
                "Counts and amounts 'per rep' divide by full-time-equivalent reps, not heads: "
                "each rep counts as active selling days ÷ working days in the period "
                f"({res.working_days} working days; "
                f"{res.company.get('fte_reps', float('nan')):.1f} FTE reps this period), so a rep "
                "who left early or joined late counts in part. Internal medians and top "
                "quartiles use only reps with at least one selling day in the period; a rep's "
                "count is divided by the rep's own FTE share before taking the median."
            ),
        },
        {
            "term": "Intervals",
            "definition": (
                f"Every interval is a {pct} interval: Wilson score for win rates and shares; a "
                "ratio-estimator (linearised) interval for the win rate by value; exact Poisson "
                "(Garwood) for one rep's activities per day; for a team, region or the company, "
                "activities per day treat the reps as the sample (days-weighted mean of rep "
                "rates with a cluster-robust standard error and a t distribution with reps − 1 "
                "degrees of freedom), because reps' activity levels differ far more than chance; "
                "Brookmeyer–Crowley for the median sales cycle."
            ),
        },
        {
            "term": "Shrunk win rate",
            "definition": (
                "Hierarchical beta-binomial estimate: reps' win rates are drawn from a common beta "
                "distribution whose mean and spread are themselves uncertain (averaged over a grid "
                "with a weak prior, Gelman et al., BDA 5.3), and each rep's rate is the posterior "
                "mean, pulled towards the company rate the more, the fewer deals the rep closed. "
                "Its interval is the 95% posterior (credible) interval; averaging over the spread "
                "keeps it honest when reps barely differ. The above/below calls use the "
                "moment-fitted beta (mean = the company rate)."
            ),
            "formula": "E[(α + won) ÷ (α + β + closed)], averaged over (α, β)",
        },
        {
            "term": "Median rank (range)",
            "definition": (
                "The rep's median rank (1 = best) over draws of all reps' win rates from their "
                "posterior distributions, and the range of ranks the rep takes in 95% of the "
                "draws. Median ranks can tie or skip numbers; overlapping ranges mean the order "
                "between those reps is not settled."
            ),
        },
        {
            "term": "Clearly / probably above or below",
            "definition": (
                f"For each of the {res.n_compared} reps with closed deals we compute the "
                "posterior probability that the true win rate is above the company rate. Looking "
                f"at {res.n_compared} reps at once, about {res.n_compared * (1 - res.certainty):.1f} "
                f"per side would pass a {_sure_bar(res.certainty)} bar by chance alone, so a rep "
                f"is called clearly above (below) only at {_sure_bar(res.clear_certainty)} or "
                f"more: 1 − (1 − {_sure_bar(res.certainty)}) ÷ {res.n_compared} (Bonferroni), "
                "which keeps the chance of calling any rep whose true rate equals the company "
                f"rate clearly above at about {_sure_bar(1 - res.certainty)} or less (and the "
                "same for clearly below). Reps between "
                f"{_sure_bar(res.certainty)} and {_sure_bar(res.clear_certainty)} are "
                "'probably' above (below): on the watch list, not named as top performers or as "
                "needing support, and not coloured in the charts."
            ),
            "formula": f"clear if P(p > company) ≥ 1 − (1 − c) ÷ m, c = "
            f"{_sure_bar(res.certainty)}, m = {res.n_compared}",
        },
        {
            "term": "Funnel plot",
            "definition": (
                "Each rep's win rate against the number of closed deals, with control limits "
                "around the company rate (Spiegelhalter 2005). A rep whose true rate is the "
                "company rate falls outside the 95% limits with probability 1 in 20, so among "
                f"{res.n_compared} reps about {0.05 * res.n_compared:.1f} land there by chance: "
                "reps between the 95% and 99.8% limits are only 'possible' outliers (grey labels). "
                "Outside the 99.8% limits (1 in 500 per rep, about "
                f"{0.002 * res.n_compared:.2f} expected by chance among {res.n_compared}) a rep "
                "is an outlier (coloured)."
            ),
        },
        {
            "term": "Recognition and coaching",
            "definition": (
                "A rep is listed for win rate only when clearly above (recognition) or below "
                "(coaching) the company rate (see above)"
                + (
                    f"; for attainment when ramp-adjusted attainment is at least "
                    f"{100 * max(res.attainment_thresholds):.0f}% or below "
                    f"{100 * min(res.attainment_thresholds):.0f}% with at least "
                    f"{res.min_closed} closed deals"
                    if res.available("attainment")
                    else ""
                )
                + (
                    "; for activity when activities per day are below 75% of the median rep and "
                    "the interval lies below the median"
                    if res.available("activities")
                    else ""
                )
                + ". Small samples therefore cannot top or bottom the list on luck."
            ),
        },
        {
            "term": "External benchmarks",
            "definition": (
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
                    "term": "Territory balance",
                    "definition": (
                        "Leads created in the period, accounts and open pipeline at the as-of time per "
                        "full-time-equivalent rep (active selling days ÷ working days in the period). A "
                        f"territory is overloaded when its leads per rep are at least "
                        f"{res.overload_ratio:g}× the median territory, underloaded at most "
                        f"1/{res.overload_ratio:g}×. Coefficient of variation = standard deviation ÷ "
                        "mean; Gini = mean absolute difference ÷ (2 × mean), 0 = perfectly even."
                    ),
                }
            ]
        ),
        {
            "term": "Small samples",
            "definition": (
                f"Reps with fewer than {res.min_closed} closed deals are marked (hollow markers, "
                "'n < "
                f"{res.min_closed}')."
            ),
        },
    ]
    if res.n_compared < 2:  # nothing ranked or called: no rows about how that is done
        comparing = {"Median rank (range)", "Clearly / probably above or below", "Funnel plot"}
        rows = [r for r in rows if r["term"] not in comparing]
    notes: dict[str, list[str]] = {}
    for d in res.not_available.values():
        notes.setdefault(d["note"], []).append(d["what"])
    for note, whats in notes.items():
        what = _and_list(whats)
        rows.append({"term": f"Not computed: {what}", "definition": note.replace("`", "")})
    if res.unknown_owners:
        rows.append(
            {
                "term": "Unknown reps",
                "definition": (
                    "Deals, activities and leads of owners missing from the reps table ("
                    + ", ".join(res.unknown_owners[:10])
                    + (", …" if len(res.unknown_owners) > 10 else "")
                    + ") are grouped as 'Unknown rep': counted in company totals, not ranked."
                ),
            }
        )
    return Definitions(rows)
