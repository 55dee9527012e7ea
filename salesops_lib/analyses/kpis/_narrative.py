"""Words of the sales KPI scorecard: labels, definitions, formulas, headline, summary, cards,
tables, sections, methods and the JSON fields. Reads the numbers of ``_result``; computes none.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.kpis._stats import KPI_KEYS, spec
from salesops_lib.viz import format as F
from salesops_lib.viz.html import (
    Banner,
    Blocks,
    Card,
    Cards,
    Definitions,
    Summary,
    Table,
)

if TYPE_CHECKING:
    from salesops_lib.analyses.kpis._result import KpiResult

__all__ = [
    "DEFINITIONS",
    "LABELS",
    "banners",
    "cards",
    "change_frame",
    "change_text",
    "headline",
    "methods",
    "results_fields",
    "sections",
    "short_labels",
    "summary",
    "tables",
    "trend_keys",
    "value_text",
]

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

#: The cards, in order of importance (the first six available are shown).
CARD_KEYS = (
    "win_rate",
    "pipeline_coverage",
    "sales_cycle_days",
    "cac_payback_months",
    "response_median_hours",
    "calls_per_rep_day",
    "avg_deal_size",
    "mql_to_sql",
    "cac_blended",
)


def label(res: KpiResult, key: str) -> str:
    """The KPI's label, saying when ACV is only the average won deal (no contract term)."""
    if key == "acv" and not res.params.get("term_column"):
        return "ACV (= average won deal: no contract term column)"
    return LABELS[key]


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# ------------------------------------------------------------------------------ formatting


def value_text(key: str, v: float, currency: str = "USD") -> str:
    """A KPI value with its unit: ``36.4%``, ``1.2 h``, ``42 days``, ``$1.23M``, ``2.4×``."""
    if _nan(v):
        return F.MISSING
    unit = spec(key).unit
    if unit == "rate":
        return F.fmt_pct(v)
    if unit == "per_day":
        return F.fmt_num(v, 1)
    if unit == "hours":
        return f"{F.fmt_num(v, 1)} h" if v < 72 else F.fmt_days(v / 24, 1)
    if unit == "days":
        return F.fmt_days(v)
    if unit == "money":
        return F.fmt_money(v, currency)
    if unit == "money_per_day":
        return F.fmt_money(v, currency) + " a day"
    if unit == "months":
        return f"{F.fmt_num(v, 1)} months"
    return f"{F.fmt_num(v, 2)}×"


def _interval_text(key: str, lo: float, hi: float, currency: str) -> str:
    if _nan(lo) or _nan(hi):
        return ""
    return f"{value_text(key, lo, currency)} – {value_text(key, hi, currency)}"


def change_text(key: str, d: float, base: float, currency: str = "USD") -> str:
    """A change in the KPI's own terms: pp for rates, relative % for money, units otherwise."""
    if _nan(d):
        return F.MISSING
    unit = spec(key).unit
    if unit == "rate":
        return F.fmt_pp(d)
    if unit in ("money", "money_per_day") and not _nan(base) and base:
        return F._minus(f"{100 * d / abs(base):+.0f}%")
    if unit == "hours" and not _nan(base) and base >= 72:
        return F._minus(f"{d / 24:+,.1f} days")
    if unit == "per_day":
        return F._minus(f"{d:+,.2f}")
    sign = "+" if d >= 0 else F.MINUS
    body = value_text(key, abs(d), currency)
    return f"{sign}{body}"


def _verdict(
    key: str, d: float, lo: float, hi: float, base: float = math.nan
) -> tuple[str, bool | None]:
    """Plain words for a change and whether it is better (None: within chance or no change)."""
    if _nan(d):
        return ("", None)
    s = spec(key)
    if s.statistic:
        if _nan(lo) or _nan(hi) or lo <= 0 <= hi:
            return ("within chance", None)
    if d == 0 or (not _nan(base) and base and abs(d) < 0.005 * abs(base)):
        return ("unchanged", None)
    good = (d > 0) == (s.better > 0)
    return ("better" if good else "worse", good)


def short_labels(res: KpiResult) -> list[str]:
    """Short period labels for charts: ``Q3 26``, ``Sep 26`` or ``7 Sep``."""
    out = []
    for p in res.trend:
        s = pd.Timestamp(p.start)
        m = p._months()
        if m == 3 and s.month in (1, 4, 7, 10):
            out.append(f"Q{(s.month - 1) // 3 + 1} {s:%y}")
        elif m == 1:
            out.append(f"{s:%b %y}")
        else:
            out.append(f"{s.day} {s:%b}")
    return out


# ------------------------------------------------------------------------------ pieces


def _row(res: KpiResult, key: str) -> pd.Series:
    return res.table.set_index("kpi").loc[key]


def _prev_label(res: KpiResult) -> str:
    return res.trend[-2].label


def _kpi_sentence(res: KpiResult, key: str) -> str | None:
    if not res.available(key):
        return None
    r = _row(res, key)
    cur = res.currency
    text = f"{LABELS[key]} was {value_text(key, r.value, cur)}"
    iv = _interval_text(key, r.ci_low, r.ci_high, cur)
    if iv:
        text += f" ({iv})"
    if not _nan(r.previous):
        words, _ = _verdict(key, r.change, r.change_ci_low, r.change_ci_high, r.previous)
        text += (
            f", {change_text(key, r.change, r.previous, cur)} against {_prev_label(res)} "
            f"({value_text(key, r.previous, cur)}; {words})"
        )
    if not _nan(r.target):
        met = (r.value >= r.target) if spec(key).better > 0 else (r.value <= r.target)
        text += f"; target {value_text(key, r.target, cur)} {'met' if met else 'missed'}"
    return text + "."


def headline(res: KpiResult) -> str:
    """One line: the period and its three key numbers."""
    parts = []
    for key in ("win_rate", "pipeline_coverage", "sales_cycle_days", "cac_payback_months"):
        if res.available(key) and len(parts) < 3:
            parts.append(
                f"{LABELS[key].lower()} {value_text(key, _row(res, key).value, res.currency)}"
            )
    if not parts:
        got = [k for k in KPI_KEYS if res.available(k)][:3]
        parts = [
            f"{LABELS[k].lower()} {value_text(k, _row(res, k).value, res.currency)}" for k in got
        ]
    return f"Sales KPIs, {res.period.label}: " + ", ".join(parts)


def summary(res: KpiResult) -> Summary:
    """Three to five sentences: the headline KPIs with their change and chance wording."""
    out = []
    for key in (
        "win_rate",
        "pipeline_coverage",
        "sales_cycle_days",
        "response_median_hours",
        "cac_payback_months",
    ):
        s = _kpi_sentence(res, key)
        if s:
            out.append(s)
        if len(out) == 4:
            break
    with_target = res.table[res.table["available"] & res.table["target"].notna()]
    if len(with_target):
        missed = [
            LABELS[r.kpi].lower()
            for r in with_target.itertuples()
            if not ((r.value >= r.target) if spec(r.kpi).better > 0 else (r.value <= r.target))
        ]
        out.append(
            f"{len(with_target) - len(missed)} of {len(with_target)} KPIs with a target met it"
            + (f"; missed: {'; '.join(missed)}." if missed else ".")
        )
    if res.not_available:
        out.append(
            f"{len(res.not_available)} of {len(KPI_KEYS)} KPIs cannot be computed from this data "
            "(listed under the scorecard with what each needs)."
        )
    if not out:
        out.append(f"No KPI can be computed for {res.period.label} from this data.")
    return Summary(out)


def banners(res: KpiResult) -> list[Banner]:
    out = []
    if res.period.end_eff < res.period.end:
        out.append(
            Banner(
                f"{res.period.label} is still running: figures cover {res.period.start} to "
                f"{res.period.end_eff}, and the comparisons use the same stretch of the earlier "
                "periods.",
                level="info",
            )
        )
    assumed = [k for k in ("cac_payback_months", "ltv", "ltv_to_cac") if res.available(k)]
    if assumed:
        gm, ch = res.params.get("gross_margin"), res.params.get("monthly_churn")
        parts = [f"gross margin {F.fmt_pct(gm)}"] if gm is not None else []
        if ch is not None and any(k != "cac_payback_months" for k in assumed):
            parts.append(f"monthly churn {F.fmt_pct(ch)}")
        out.append(
            Banner(
                f"{', '.join(LABELS[k] for k in assumed)} use an assumed {' and '.join(parts)} "
                "(parameters, not data).",
                level="info",
                title="Assumed:",
            )
        )
    return out


def cards(res: KpiResult) -> Cards:
    out = []
    cur = res.currency
    for key in CARD_KEYS:
        if not res.available(key) or len(out) == 6:
            continue
        r = _row(res, key)
        iv = _interval_text(key, r.ci_low, r.ci_high, cur)
        detail = (f"95% interval {iv}, " if iv else "") + f"n = {F.fmt_int(r.n)}"
        if not _nan(r.target):
            detail += f"; target {value_text(key, r.target, cur)}"
        if r.assumed:
            detail += "; assumed margin"
        delta, good = None, None
        if not _nan(r.previous):
            words, good = _verdict(key, r.change, r.change_ci_low, r.change_ci_high, r.previous)
            delta = f"{change_text(key, r.change, r.previous, cur)} vs {_prev_label(res)} ({words})"
        out.append(Card(LABELS[key], value_text(key, r.value, cur), detail, delta, good))
    return Cards(out)


def _scorecard_frame(res: KpiResult) -> pd.DataFrame:
    cur = res.currency
    rows = []
    for r in res.table[res.table["available"]].itertuples():
        k = r.kpi
        prev = ""
        if not _nan(r.previous):
            words, _ = _verdict(k, r.change, r.change_ci_low, r.change_ci_high, r.previous)
            prev = f"{value_text(k, r.previous, cur)} ({change_text(k, r.change, r.previous, cur)}, {words})"
        ly = ""
        if not _nan(r.last_year):
            words, _ = _verdict(
                k, r.change_last_year, r.change_ly_ci_low, r.change_ly_ci_high, r.last_year
            )
            ly = (
                f"{value_text(k, r.last_year, cur)} "
                f"({change_text(k, r.change_last_year, r.last_year, cur)}, {words})"
            )
        rows.append(
            {
                "KPI": label(res, k) + (" (assumed)" if r.assumed else ""),
                "value": value_text(k, r.value, cur),
                "95% interval": _interval_text(k, r.ci_low, r.ci_high, cur) or "none: exact figure"
                if not spec(k).statistic
                else _interval_text(k, r.ci_low, r.ci_high, cur) or F.MISSING,
                "n": F.fmt_int(r.n),
                f"vs {res.trend[-2].label}": prev or F.MISSING,
                f"vs {res.last_year.label}": ly or F.MISSING,
                "target": value_text(k, r.target, cur) if not _nan(r.target) else "",
            }
        )
    return pd.DataFrame(rows)


def _not_available_block(res: KpiResult) -> Any:
    if not res.not_available:
        return None
    by_need: dict[str, list[str]] = {}
    for k, need in res.not_available.items():
        by_need.setdefault(need, []).append(LABELS[k])
    df = pd.DataFrame(
        [{"KPIs not available": ", ".join(v), "what they need": k} for k, v in by_need.items()]
    )
    return Table(df, caption="Not available from this data (never shown as 0)")


def tables(res: KpiResult) -> Blocks:
    return Blocks(
        [
            Table(_scorecard_frame(res), caption=f"Every KPI, {res.period.label}"),
            _not_available_block(res),
            _breakdown_table(res),
        ]
    )


def _breakdown_table(res: KpiResult) -> Table | None:
    b = res.breakdown
    if b is None or not len(b):
        return None
    cur = res.currency
    df = pd.DataFrame({res.breakdown_by or "group": b["group"]})
    if "reps" in b:
        df["reps"] = b["reps"]
    if "calls" in b:
        df["calls per rep-day"] = [
            f"{F.fmt_num(v, 1)} ({F.fmt_num(lo, 1)}–{F.fmt_num(hi, 1)})"
            if not _nan(lo)
            else F.fmt_num(v, 1)
            for v, lo, hi in zip(b["calls"], b["calls_low"], b["calls_high"], strict=True)
        ]
    if "win_rate" in b:
        df["closed deals"] = b["closed"]
        df["win rate"] = [
            F.fmt_pct_ci(v, lo, hi)
            for v, lo, hi in zip(b["win_rate"], b["win_low"], b["win_high"], strict=True)
        ]
        df["average won deal"] = [F.fmt_money(v, cur) for v in b["avg_deal"]]
    if "pipeline_created" in b:
        df["pipeline created"] = [F.fmt_money(v, cur) for v in b["pipeline_created"]]
    if "coverage" in b:
        df["coverage"] = [F.MISSING if _nan(v) else f"{v:.2f}×" for v in b["coverage"]]
    return Table(df.fillna(F.MISSING), caption=f"By {res.breakdown_by}, {res.period.label}")


def trend_keys(res: KpiResult) -> list[str]:
    """The KPIs drawn in the trend small multiples (available ones, catalogue order)."""
    return [k for k in KPI_KEYS if res.available(k)]


def change_frame(res: KpiResult) -> pd.DataFrame:
    """Relative change against the previous period per KPI, with its good/bad/chance verdict."""
    rows = []
    for r in res.table[res.table["available"]].itertuples():
        if _nan(r.previous) or not r.previous:
            continue
        words, good = _verdict(r.kpi, r.change, r.change_ci_low, r.change_ci_high, r.previous)
        rows.append(
            {
                "label": LABELS[r.kpi],
                "relative": r.change / abs(r.previous),
                "low": r.change_ci_low / abs(r.previous),
                "high": r.change_ci_high / abs(r.previous),
                "verdict": words,
                "good": good,
            }
        )
    return pd.DataFrame(rows, columns=["label", "relative", "low", "high", "verdict", "good"])


def _changes_title(res: KpiResult) -> str:
    """A headline stating what moved beyond chance against the previous period."""
    d = change_frame(res)
    prev = _prev_label(res)
    if not len(d):
        return f"What moved against {prev}"
    d = d.assign(size=d["relative"].abs()).sort_values("size", ascending=False)
    better = [x.lower() for x in d.loc[d["good"] == True, "label"].head(2)]  # noqa: E712
    worse = [x.lower() for x in d.loc[d["good"] == False, "label"].head(2)]  # noqa: E712
    parts = []
    if better:
        parts.append(f"{' and '.join(better)} improved most")
    if worse:
        parts.append(f"{' and '.join(worse)} worsened most")
    if not parts:
        return f"Against {prev}: no KPI moved beyond chance"
    return f"Against {prev}: " + "; ".join(parts)


def tick_text(key: str, v: float, currency: str = "USD") -> str:
    """Short axis labels in the KPI's unit: ``40%``, ``$50k``, ``$1.2M``, ``40 h``, ``1.5×``."""
    if _nan(v):
        return ""
    unit = spec(key).unit
    if unit == "rate":
        return f"{100 * v:.0f}%"
    if unit in ("money", "money_per_day"):
        sym = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency.upper(), "")
        a = abs(v)
        body = f"{a / 1e6:.1f}M" if a >= 1e6 else f"{a / 1e3:.0f}k" if a >= 1e3 else f"{a:.0f}"
        return ("−" if v < 0 else "") + (sym + body if sym else f"{body} {currency}")
    if unit == "hours":
        return f"{v:.0f} h"
    if unit == "days":
        return f"{v:.0f} d"
    if unit == "ratio":
        return f"{v:.1f}×"
    return f"{v:g}"


def sections(res: KpiResult) -> list[Section]:
    prev, ly = _prev_label(res), res.last_year.label
    out = [
        Section(
            "scorecard",
            f"Every KPI for {res.period.label}, against {prev} and {ly}",
            intro=(
                "Each value with its 95% interval where it estimates a rate or a time, and "
                "the number of units behind it. A change is 'within chance' when its interval "
                "includes no change. Totals, coverage and spend ratios are exact figures of "
                "what happened, not estimates, so they have no interval ('none: exact figure')."
            ),
            blocks=[b for b in (Table(_scorecard_frame(res)), _not_available_block(res)) if b],
        ),
        Section(
            "trends",
            f"Trends over the last {len(res.trend)} periods",
            intro=(
                "One small chart per KPI, the period scored on the right; shaded bands are "
                "95% intervals, dashed lines targets."
            ),
            plots=["trends"],
            absent=None if trend_keys(res) else "No KPI is available for a trend.",
        ),
        Section(
            "changes",
            _changes_title(res),
            intro=(
                "Change of each KPI relative to its value in the previous period; green is "
                "better, orange worse, grey within chance (the bar's interval crosses zero)."
            ),
            plots=["scorecard"],
            absent=None if len(change_frame(res)) else f"No KPI has a value for {prev}.",
        ),
        Section(
            "breakdown",
            f"By {res.breakdown_by or 'group'}, {res.period.label}",
            intro=(
                f"The KPIs that add up over owners, by the owner's {res.breakdown_by} "
                "(reps table); response time and cycle are shown for the company only."
            ),
            blocks=[b for b in (_breakdown_table(res),) if b],
            absent=None
            if res.breakdown_by and len(res.breakdown)
            else "No breakdown was asked for (parameter `breakdown`, e.g. team or region).",
        ),
    ]
    return out


def methods(res: KpiResult) -> Definitions:
    rows = []
    for key in KPI_KEYS:
        definition, formula, ref = DEFINITIONS[key]
        if key in res.not_available:
            definition += f" Not available here: needs {res.not_available[key]}."
        if key == "mql_to_sql":
            definition += (
                f" Here: statuses '{res.params.get('mql_status')}' → "
                f"'{res.params.get('sql_status')}', window "
                f"{F.fmt_days(res.params.get('window_days'))}."
            )
        rows.append(
            {
                "term": LABELS[key],
                "definition": definition + (f" Reference: {ref}." if ref else ""),
                "formula": formula,
            }
        )
    p = res.period
    rows += [
        {
            "term": "Period and comparisons",
            "definition": (
                f"{p.label} ({p.start} to {p.end_eff}); previous period {res.trend[-2].label}"
                f" ({res.trend[-2].start} to {res.trend[-2].end}); same period last year "
                f"{res.last_year.label}. Data as of {res.as_of}. Follow-up of leads and "
                "deals (first contact, SQL, win) runs to the as-of time for every period."
            ),
        },
        {
            "term": "Intervals and 'within chance'",
            "definition": (
                "95% intervals. Changes of proportions use Newcombe's hybrid score "
                "interval, other statistics a normal interval from both periods' standard "
                "errors (for medians derived from their intervals, an approximation); the "
                "periods are treated as independent samples. A change whose interval "
                "includes zero is called within chance."
            ),
            "formula": "d ± z·√(se₁² + se₀²)",
        },
        {
            "term": "Money",
            "definition": f"All amounts in {res.currency}, one currency per dataset.",
        },
    ]
    return Definitions(rows, title="Definitions and formulas")


# ------------------------------------------------------------------------------ JSON


def results_fields(res: KpiResult) -> dict[str, Any]:
    """The scorecard's own fields of ``results`` (beside the common header)."""
    kpis = []
    for r in res.table.itertuples():
        definition, formula, _ = DEFINITIONS[r.kpi]
        kpis.append(
            {
                "kpi": r.kpi,
                "label": LABELS[r.kpi],
                "value": r.value,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "n": int(r.n),
                "previous": r.previous,
                "change": r.change,
                "change_ci_low": r.change_ci_low,
                "change_ci_high": r.change_ci_high,
                "last_year": r.last_year,
                "target": r.target,
                "unit": spec(r.kpi).unit,
                "definition": definition,
                "formula": formula,
                "available": bool(r.available),
                "assumed": bool(r.assumed),
            }
        )
    trend = res.trend_frame()
    return {
        "currency": res.currency,
        "grain": res.params.get("grain"),
        "previous_period": res.trend[-2].to_dict(),
        "last_year_period": res.last_year.to_dict(),
        "kpis": kpis,
        "trend": trend.assign(
            start=trend["start"].astype(str), end=trend["end"].astype(str)
        ).to_dict("records"),
        "not_available": [
            {"kpi": k, "label": LABELS[k], "needs": v} for k, v in res.not_available.items()
        ],
        "breakdown_by": res.breakdown_by,
        "breakdown": res.breakdown.to_dict("records") if len(res.breakdown) else [],
    }
