"""The KPI scorecard's labels and definitions (English message ids: the narrative shows them
through ``_()``; the JSON results keep the English text)."""

from __future__ import annotations

__all__ = ["DEFINITIONS", "LABELS", "REFS_WITH_WORDS"]

LABELS: dict[str, str] = {
    "calls_per_rep_day": "Calls per rep per selling day",
    "emails_per_rep_day": "Emails per rep per selling day",
    "meetings_per_rep_day": "Meetings per rep per selling day",
    "response_median_hours": "Lead response time, median",
    "response_p90_hours": "Lead response time, slowest 10%",
    "contacted_1h": "Leads contacted within 1 hour",
    "contacted_24h": "Leads contacted within 24 hours",
    "mql_to_sql": "MQL → SQL conversion",
    "win_rate": "Win rate (deals)",
    "win_rate_value": "Win rate (value)",
    "avg_deal_size": "Average won deal",
    "acv": "Annual contract value (ACV)",
    "sales_cycle_days": "Sales cycle, median",
    "close_date_slip": "Deals closed after their first expected close date",
    "pipeline_created": "Pipeline created",
    "open_pipeline": "Open pipeline at period end",
    "pipeline_coverage": "Pipeline coverage",
    "sales_velocity": "Sales velocity",
    "cac_blended": "CAC, blended",
    "cac_sales": "CAC, sales only",
    "cac_marketing": "CAC, marketing only",
    "cac_payback_months": "CAC payback",
    "ltv": "Customer lifetime value (LTV)",
    "ltv_to_cac": "LTV : CAC",
    "magic_number": "Magic number",
}

#: key → (definition, formula, reference)
DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "close_date_slip": (
        "Deals closed (won or lost) in the period whose close date is later than the close "
        "date expected when they were created (the first close date in opportunity_history). "
        "Deals with no expected close date on record are left out. Interval: Wilson score.",
        "closed later than first expected / closed with a first expected close date",
        "Wilson (1927)",
    ),
    "calls_per_rep_day": (
        "Calls logged in the period per rep per selling day, over the reps employed in the "
        "period. Selling days are weekdays between hire and leaving dates (holidays not "
        "removed). Interval: reps are the sample (ratio estimator), so reps of very different "
        "activity levels widen it; a Poisson interval would be too narrow.",
        "Σ_reps calls / Σ_reps selling days",
        "Cochran (1977) §6.4 ratio estimator; HC1 variance",
    ),
    "emails_per_rep_day": (
        "Emails logged per rep per selling day, as for calls.",
        "Σ_reps emails / Σ_reps selling days",
        "Cochran (1977) §6.4",
    ),
    "meetings_per_rep_day": (
        "Meetings logged per rep per selling day, as for calls.",
        "Σ_reps meetings / Σ_reps selling days",
        "Cochran (1977) §6.4",
    ),
    "response_median_hours": (
        "Hours from a lead's creation to its first activity (activities.lead_id) for leads "
        "created in the period. Leads never contacted count as 'not yet contacted' up to the "
        "as-of time (censored), so they lengthen the estimate instead of being dropped.",
        "t such that Ŝ(t) ≤ 0.5, Ŝ = Kaplan–Meier of time to first contact",
        "Kaplan & Meier (1958); Brookmeyer & Crowley (1982) interval",
    ),
    "response_p90_hours": (
        "The time by which 90% of the period's leads had been contacted (censoring-aware, as "
        "the median).",
        "t such that Ŝ(t) ≤ 0.1",
        "Kaplan & Meier (1958); Brookmeyer & Crowley (1982)",
    ),
    "contacted_1h": (
        "Share of the period's leads with a first activity within 60 minutes of creation, "
        "among leads followed for at least an hour.",
        "contacted ≤ 60 min / leads followed ≥ 60 min (Wilson interval)",
        "Wilson (1927)",
    ),
    "contacted_24h": (
        "Share of the period's leads with a first activity within 24 hours of creation, among "
        "leads followed for at least 24 hours.",
        "contacted ≤ 24 h / leads followed ≥ 24 h (Wilson interval)",
        "Wilson (1927)",
    ),
    "mql_to_sql": (
        "Share of the leads whose first MQL status (lead_history) falls in the period that "
        "reach SQL within the window after it. MQLs whose window has not elapsed by the as-of "
        "time count for the days observed (censored), so a recent period is not dropped; with "
        "every window elapsed this is converted / MQLs.",
        "1 − Ŝ(window), Ŝ = Kaplan–Meier of days from MQL to SQL",
        "Kaplan & Meier (1958); Kalbfleisch & Prentice (2002) log(−log) interval",
    ),
    "win_rate": (
        "Deals closed in the period (close_date in the period) that were won; won and lost "
        "come from is_won / is_closed, never from stage names.",
        "won / (won + lost) (Wilson interval)",
        "Wilson (1927)",
    ),
    "win_rate_value": (
        "Share of the closed amount that was won; deals without an amount are left out. "
        "Interval: deals are the sample (ratio estimator).",
        "Σ won amount / Σ closed amount",
        "Cochran (1977) §6.4",
    ),
    "avg_deal_size": (
        "Mean amount of the deals won in the period (t interval).",
        "Σ won amount / won deals",
        "Student (1908)",
    ),
    "acv": (
        "Mean annual contract value of the deals won in the period: amount × 12 / contract "
        "term in months when opportunities has a contract_term_months (or term_months) column; "
        "without one it equals the average won deal (amounts taken as annual).",
        "Σ (amount × 12 / term months) / won deals",
        "Student (1908)",
    ),
    "sales_cycle_days": (
        "Median days from a deal's creation to its win, for deals created in the period. "
        "Open deals count as 'not won yet' up to the as-of time (censored); lost deals are "
        "left out (they have no time to win), so this is the cycle of deals that win.",
        "t such that Ŝ(t) ≤ 0.5, Ŝ = Kaplan–Meier of creation → closed won",
        "Kaplan & Meier (1958); Brookmeyer & Crowley (1982)",
    ),
    "pipeline_created": (
        "Amount of the deals created in the period (current amounts). A total of what "
        "happened: no interval.",
        "Σ amount of deals created in the period",
        "",
    ),
    "open_pipeline": (
        "Amount of the deals open at the end of the period (created before it, not closed by "
        "then), at their amount as it stood then (opportunity_history when present).",
        "Σ amount of deals open at period end",
        "",
    ),
    "pipeline_coverage": (
        "Open pipeline expected to close in the period, as it stood at the period's start "
        "(expected close dates and amounts from opportunity_history), over the quota still to "
        "win (quota rows prorated by days; for a period still running, at the as-of time minus "
        "what was already won).",
        "open amount with expected close in the period / (quota − won so far)",
        "",
    ),
    "sales_velocity": (
        "Revenue the pipeline produces per day: deals created in the period times win rate "
        "times average won deal, over the median sales cycle. No interval (a product of four "
        "estimates).",
        "deals created × win rate × average won deal / median cycle days",
        "",
    ),
    "cac_blended": (
        "Sales and marketing spend of the period (spend lines prorated by days) per new "
        "customer: accounts whose first won deal closed in the period. An accounting ratio: "
        "no interval.",
        "(sales + marketing spend) / new customers",
        "",
    ),
    "cac_sales": (
        "Spend with category 'sales' per new customer.",
        "sales spend / new customers",
        "",
    ),
    "cac_marketing": (
        "Spend with category 'marketing' per new customer.",
        "marketing spend / new customers",
        "",
    ),
    "cac_payback_months": (
        "Months of gross margin a new customer needs to repay its acquisition cost. Monthly "
        "revenue per new customer is the ACV of their deals won in the period / 12. The gross "
        "margin is a parameter (assumed), not data.",
        "CAC / (ACV per new customer / 12 × gross margin)",
        "",
    ),
    "ltv": (
        "Gross margin a customer brings over its expected lifetime (1 / monthly churn months). "
        "Gross margin and churn are parameters (assumed), not data.",
        "(ACV per new customer / 12) × gross margin / monthly churn",
        "",
    ),
    "ltv_to_cac": (
        "Lifetime value per unit of acquisition cost (assumed margin and churn).",
        "LTV / CAC (blended)",
        "",
    ),
    "magic_number": (
        "New annual recurring revenue booked in the period (ACV of every deal won in it) per "
        "unit of sales and marketing spend in the previous period of the same length. No "
        "churn or downgrade data: this is gross new ARR.",
        "Σ ACV won in the period / S&M spend of the previous period",
        "",
    ),
}

#: References with words to translate (the others are only authors and years).
REFS_WITH_WORDS = frozenset(
    ref
    for _d, _f, ref in DEFINITIONS.values()
    if any(w in ref for w in ("interval", "estimator", "variance"))
)
