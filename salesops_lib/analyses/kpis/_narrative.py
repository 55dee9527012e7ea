"""Words of the sales KPI scorecard: labels, definitions, formulas, headline, summary, cards,
tables, sections, methods and the JSON fields. Reads the numbers of ``_result``; computes none.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.analyses._period_text import period_date, period_label, period_short
from salesops_lib.analyses.kpis._labels import DEFINITIONS, LABELS, REFS_WITH_WORDS
from salesops_lib.analyses.kpis._stats import KPI_KEYS, spec
from salesops_lib.i18n import _, current_language
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


def _en() -> bool:
    return current_language() == "en"


def lab(key: str) -> str:
    """The KPI's label in the reader's language."""
    return _(LABELS[key])


def _low(text: str) -> str:
    """A label inside a sentence: English lowercases it all (as before); other languages only
    the first letter, and not an acronym's (``CAC``)."""
    if _en():
        return text.lower()
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _pl(p: Any) -> str:
    return period_label(p)


def label(res: KpiResult, key: str) -> str:
    """The KPI's label, saying when ACV is only the average won deal (no contract term)."""
    if key == "acv" and not res.params.get("term_column"):
        return _("ACV (= average won deal: no contract term column)")
    return lab(key)


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# ------------------------------------------------------------------------------ formatting


def _signed(v: float, digits: int) -> str:
    """``+1.25`` / ``−0.5`` with grouping, in the reader's locale."""
    if _en():
        return F._minus(f"{v:+,.{digits}f}")
    return ("+" if v >= 0 else F.MINUS) + F._dec(abs(v), digits)


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
        return _("{money} a day").format(money=F.fmt_money(v, currency))
    if unit == "months":
        return _("{n} months").format(n=F.fmt_num(v, 1))
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
        if _en():
            return F._minus(f"{100 * d / abs(base):+.0f}%")
        return ("+" if d >= 0 else F.MINUS) + F.fmt_pct(abs(d / base), 0)
    if unit == "hours" and not _nan(base) and base >= 72:
        if _en():
            return F._minus(f"{d / 24:+,.1f} days")
        return _("{n} days").format(n=_signed(d / 24, 1))
    if unit == "per_day":
        return _signed(d, 2)
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
            return (_("within chance"), None)
    if d == 0 or (not _nan(base) and base and abs(d) < 0.005 * abs(base)):
        return (_("unchanged"), None)
    good = (d > 0) == (s.better > 0)
    return (_("better") if good else _("worse"), good)


def short_labels(res: KpiResult) -> list[str]:
    """Short period labels for charts: ``Q3 26``, ``Sep 26`` or ``7 Sep``."""
    return [period_short(p) for p in res.trend]


# ------------------------------------------------------------------------------ pieces


def _row(res: KpiResult, key: str) -> pd.Series:
    return res.table.set_index("kpi").loc[key]


def _prev_label(res: KpiResult) -> str:
    return _pl(res.trend[-2])


def _kpi_sentence(res: KpiResult, key: str) -> str | None:
    if not res.available(key):
        return None
    r = _row(res, key)
    cur = res.currency
    text = _("{label} was {value}").format(label=lab(key), value=value_text(key, r.value, cur))
    iv = _interval_text(key, r.ci_low, r.ci_high, cur)
    if iv:
        text += f" ({iv})"
    if not _nan(r.previous):
        words, _good = _verdict(key, r.change, r.change_ci_low, r.change_ci_high, r.previous)
        text += _(", {change} against {previous_period} ({previous}; {verdict})").format(
            change=change_text(key, r.change, r.previous, cur),
            previous_period=_prev_label(res),
            previous=value_text(key, r.previous, cur),
            verdict=words,
        )
    if not _nan(r.target):
        met = (r.value >= r.target) if spec(key).better > 0 else (r.value <= r.target)
        msg = _("; target {target} met") if met else _("; target {target} missed")
        text += msg.format(target=value_text(key, r.target, cur))
    return text + "."


def headline(res: KpiResult) -> str:
    """One line: the period and its three key numbers."""
    parts = []
    for key in ("win_rate", "pipeline_coverage", "sales_cycle_days", "cac_payback_months"):
        if res.available(key) and len(parts) < 3:
            parts.append(f"{_low(lab(key))} {value_text(key, _row(res, key).value, res.currency)}")
    if not parts:
        got = [k for k in KPI_KEYS if res.available(k)][:3]
        parts = [f"{_low(lab(k))} {value_text(k, _row(res, k).value, res.currency)}" for k in got]
    return _("Sales KPIs, {period}: {kpis}").format(period=_pl(res.period), kpis=", ".join(parts))


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
            _low(lab(r.kpi))
            for r in with_target.itertuples()
            if not ((r.value >= r.target) if spec(r.kpi).better > 0 else (r.value <= r.target))
        ]
        fields = {"met": len(with_target) - len(missed), "n": len(with_target)}
        if missed:
            msg = _("{met} of {n} KPIs with a target met it; missed: {missed}.")
            out.append(msg.format(**fields, missed="; ".join(missed)))
        else:
            out.append(_("{met} of {n} KPIs with a target met it.").format(**fields))
    if res.not_available:
        out.append(
            _(
                "{n} of {total} KPIs cannot be computed from this data "
                "(listed under the scorecard with what each needs)."
            ).format(n=len(res.not_available), total=len(KPI_KEYS))
        )
    if not out:
        out.append(
            _("No KPI can be computed for {period} from this data.").format(period=_pl(res.period))
        )
    return Summary(out)


def banners(res: KpiResult) -> list[Banner]:
    out = []
    if res.period.end_eff < res.period.end:
        out.append(
            Banner(
                _(
                    "{period} is still running: figures cover {start} to {end}, and the "
                    "comparisons use the same stretch of the earlier periods."
                ).format(
                    period=_pl(res.period),
                    start=period_date(res.period.start),
                    end=period_date(res.period.end_eff),
                ),
                level="info",
            )
        )
    assumed = [k for k in ("cac_payback_months", "ltv", "ltv_to_cac") if res.available(k)]
    if assumed:
        gm, ch = res.params.get("gross_margin"), res.params.get("monthly_churn")
        churn = ch is not None and any(k != "cac_payback_months" for k in assumed)
        if gm is not None and churn:
            msg = _(
                "{kpis} use an assumed gross margin {margin} and monthly churn {churn} "
                "(parameters, not data)."
            )
        elif gm is not None:
            msg = _("{kpis} use an assumed gross margin {margin} (parameters, not data).")
        elif churn:
            msg = _("{kpis} use an assumed monthly churn {churn} (parameters, not data).")
        else:
            msg = _("{kpis} use an assumed  (parameters, not data).")
        out.append(
            Banner(
                msg.format(
                    kpis=", ".join(lab(k) for k in assumed),
                    margin=F.fmt_pct(gm) if gm is not None else "",
                    churn=F.fmt_pct(ch) if ch is not None else "",
                ),
                level="info",
                title=_("Assumed:"),
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
        if iv:
            detail = _("95% interval {interval}, n = {n}").format(interval=iv, n=F.fmt_int(r.n))
        else:
            detail = f"n = {F.fmt_int(r.n)}"
        if not _nan(r.target):
            detail += _("; target {target}").format(target=value_text(key, r.target, cur))
        if r.assumed:
            detail += _("; assumed margin")
        delta, good = None, None
        if not _nan(r.previous):
            words, good = _verdict(key, r.change, r.change_ci_low, r.change_ci_high, r.previous)
            delta = _("{change} vs {previous_period} ({verdict})").format(
                change=change_text(key, r.change, r.previous, cur),
                previous_period=_prev_label(res),
                verdict=words,
            )
        out.append(Card(lab(key), value_text(key, r.value, cur), detail, delta, good))
    return Cards(out)


def _scorecard_frame(res: KpiResult) -> pd.DataFrame:
    cur = res.currency
    rows = []
    vs = _("vs {period}")
    for r in res.table[res.table["available"]].itertuples():
        k = r.kpi
        prev = ""
        if not _nan(r.previous):
            words, _good = _verdict(k, r.change, r.change_ci_low, r.change_ci_high, r.previous)
            prev = (
                f"{value_text(k, r.previous, cur)} "
                f"({change_text(k, r.change, r.previous, cur)}, {words})"
            )
        ly = ""
        if not _nan(r.last_year):
            words, _good = _verdict(
                k, r.change_last_year, r.change_ly_ci_low, r.change_ly_ci_high, r.last_year
            )
            ly = (
                f"{value_text(k, r.last_year, cur)} "
                f"({change_text(k, r.change_last_year, r.last_year, cur)}, {words})"
            )
        iv = _interval_text(k, r.ci_low, r.ci_high, cur)
        rows.append(
            {
                _("KPI"): label(res, k) + (_(" (assumed)") if r.assumed else ""),
                _("value"): value_text(k, r.value, cur),
                _("95% interval"): (iv or _("none: exact figure"))
                if not spec(k).statistic
                else (iv or F.MISSING),
                "n": F.fmt_int(r.n),
                vs.format(period=_pl(res.trend[-2])): prev or F.MISSING,
                vs.format(period=_pl(res.last_year)): ly or F.MISSING,
                _("target"): value_text(k, r.target, cur) if not _nan(r.target) else "",
            }
        )
    return pd.DataFrame(rows)


def _not_available_block(res: KpiResult) -> Any:
    if not res.not_available:
        return None
    by_need: dict[str, list[str]] = {}
    for k, need in res.not_available.items():
        by_need.setdefault(_(need), []).append(lab(k))
    df = pd.DataFrame(
        [
            {_("KPIs not available"): ", ".join(v), _("what they need"): k}
            for k, v in by_need.items()
        ]
    )
    return Table(df, caption=_("Not available from this data (never shown as 0)"))


def tables(res: KpiResult) -> Blocks:
    return Blocks(
        [
            Table(
                _scorecard_frame(res),
                caption=_("Every KPI, {period}").format(period=_pl(res.period)),
            ),
            _not_available_block(res),
            _breakdown_table(res),
        ]
    )


def _breakdown_table(res: KpiResult) -> Table | None:
    b = res.breakdown
    if b is None or not len(b):
        return None
    cur = res.currency
    df = pd.DataFrame({res.breakdown_by or _("group"): b["group"]})
    if "reps" in b:
        df[_("reps")] = b["reps"]
    if "calls" in b:
        df[_("calls per rep-day")] = [
            f"{F.fmt_num(v, 1)} ({F.fmt_num(lo, 1)}–{F.fmt_num(hi, 1)})"
            if not _nan(lo)
            else F.fmt_num(v, 1)
            for v, lo, hi in zip(b["calls"], b["calls_low"], b["calls_high"], strict=True)
        ]
    if "win_rate" in b:
        df[_("closed deals")] = b["closed"]
        df[_("win rate")] = [
            F.fmt_pct_ci(v, lo, hi)
            for v, lo, hi in zip(b["win_rate"], b["win_low"], b["win_high"], strict=True)
        ]
        df[_("average won deal")] = [F.fmt_money(v, cur) for v in b["avg_deal"]]
    if "pipeline_created" in b:
        df[_("pipeline created")] = [F.fmt_money(v, cur) for v in b["pipeline_created"]]
    if "coverage" in b:
        df[_("coverage")] = [
            F.MISSING if _nan(v) else f"{F.fmt_num(v, 2) if not _en() else f'{v:.2f}'}×"
            for v in b["coverage"]
        ]
    return Table(
        df.fillna(F.MISSING),
        caption=_("By {group}, {period}").format(group=res.breakdown_by, period=_pl(res.period)),
    )


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
                "label": lab(r.kpi),
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
        return _("What moved against {period}").format(period=prev)
    d = d.assign(size=d["relative"].abs()).sort_values("size", ascending=False)
    and_ = _("{a} and {b}")

    def both(names: list[str]) -> str:
        names = [_low(x) for x in names]
        return and_.format(a=names[0], b=names[1]) if len(names) == 2 else names[0]

    better = list(d.loc[d["good"] == True, "label"].head(2))  # noqa: E712
    worse = list(d.loc[d["good"] == False, "label"].head(2))  # noqa: E712
    if better and worse:
        msg = _("Against {period}: {better} improved most; {worse} worsened most")
    elif better:
        msg = _("Against {period}: {better} improved most")
    elif worse:
        msg = _("Against {period}: {worse} worsened most")
    else:
        return _("Against {period}: no KPI moved beyond chance").format(period=prev)
    return msg.format(
        period=prev, better=both(better) if better else "", worse=both(worse) if worse else ""
    )


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
        if not _en():
            body = body.replace(".", ",")
        return ("−" if v < 0 else "") + (sym + body if sym else f"{body} {currency}")
    if unit == "hours":
        return f"{v:.0f} h"
    if unit == "days":
        return _("{n} d").format(n=f"{v:.0f}")
    if unit == "ratio":
        return f"{v:.1f}×" if _en() else f"{F._dec(v, 1)}×"
    return f"{v:g}" if _en() else F._dec(v, 2).rstrip("0").rstrip(",")


def sections(res: KpiResult) -> list[Section]:
    prev, ly = _prev_label(res), _pl(res.last_year)
    period = _pl(res.period)
    out = [
        Section(
            "scorecard",
            _("Every KPI for {period}, against {previous} and {last_year}").format(
                period=period, previous=prev, last_year=ly
            ),
            intro=_(
                "Each value with its 95% interval where it estimates a rate or a time, and "
                "the number of units behind it. A change is 'within chance' when its interval "
                "includes no change. Totals, coverage and spend ratios are exact figures of "
                "what happened, not estimates, so they have no interval ('none: exact figure')."
            ),
            blocks=[b for b in (Table(_scorecard_frame(res)), _not_available_block(res)) if b],
        ),
        Section(
            "trends",
            _("Trends over the last {n} periods").format(n=len(res.trend)),
            intro=_(
                "One small chart per KPI, the period scored on the right; shaded bands are "
                "95% intervals, dashed lines targets."
            ),
            plots=["trends"],
            absent=None if trend_keys(res) else _("No KPI is available for a trend."),
        ),
        Section(
            "changes",
            _changes_title(res),
            intro=_(
                "Change of each KPI relative to its value in the previous period; green is "
                "better, orange worse, grey within chance (the bar's interval crosses zero)."
            ),
            plots=["scorecard"],
            absent=None
            if len(change_frame(res))
            else _("No KPI has a value for {period}.").format(period=prev),
        ),
        Section(
            "breakdown",
            _("By {group}, {period}").format(group=res.breakdown_by or _("group"), period=period),
            intro=_(
                "The KPIs that add up over owners, by the owner's {group} "
                "(reps table); response time and cycle are shown for the company only."
            ).format(group=res.breakdown_by),
            blocks=[b for b in (_breakdown_table(res),) if b],
            absent=None
            if res.breakdown_by and len(res.breakdown)
            else _("No breakdown was asked for (parameter `breakdown`, e.g. team or region)."),
        ),
    ]
    return out


def methods(res: KpiResult) -> Definitions:
    rows = []
    for key in KPI_KEYS:
        definition, formula, ref = DEFINITIONS[key]
        definition = _(definition)
        if key in res.not_available:
            definition += _(" Not available here: needs {need}.").format(
                need=_(res.not_available[key])
            )
        if key == "mql_to_sql":
            definition += _(" Here: statuses '{mql}' → '{sql}', window {window}.").format(
                mql=res.params.get("mql_status"),
                sql=res.params.get("sql_status"),
                window=F.fmt_days(res.params.get("window_days")),
            )
        if ref:
            ref = _(ref) if ref in REFS_WITH_WORDS else ref
            definition += _(" Reference: {ref}.").format(ref=ref)
        rows.append({"term": lab(key), "definition": definition, "formula": _(formula)})
    p, q = res.period, res.trend[-2]
    rows += [
        {
            "term": _("Period and comparisons"),
            "definition": _(
                "{period} ({start} to {end}); previous period {previous} ({previous_start} to "
                "{previous_end}); same period last year {last_year}. Data as of {as_of}. "
                "Follow-up of leads and deals (first contact, SQL, win) runs to the as-of time "
                "for every period."
            ).format(
                period=_pl(p),
                start=period_date(p.start),
                end=period_date(p.end_eff),
                previous=_pl(q),
                previous_start=period_date(q.start),
                previous_end=period_date(q.end),
                last_year=_pl(res.last_year),
                as_of=res.as_of if _en() else F.fmt_date(res.as_of),
            ),
        },
        {
            "term": _("Intervals and 'within chance'"),
            "definition": _(
                "95% intervals. Changes of proportions use Newcombe's hybrid score "
                "interval, other statistics a normal interval from both periods' standard "
                "errors (for medians derived from their intervals, an approximation); the "
                "periods are treated as independent samples. A change whose interval "
                "includes zero is called within chance."
            ),
            "formula": "d ± z·√(se₁² + se₀²)",
        },
        {
            "term": _("Money"),
            "definition": _("All amounts in {currency}, one currency per dataset.").format(
                currency=res.currency
            ),
        },
    ]
    return Definitions(rows, title=_("Definitions and formulas"))


# ------------------------------------------------------------------------------ JSON


def results_fields(res: KpiResult) -> dict[str, Any]:
    """The scorecard's own fields of ``results`` (beside the common header)."""
    kpis = []
    for r in res.table.itertuples():
        definition, formula, _ref = DEFINITIONS[r.kpi]
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
