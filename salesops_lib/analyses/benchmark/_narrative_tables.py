"""The benchmarking report's tables (leaderboard, teams and regions, benchmarks, lists).

Private; used by :class:`salesops_lib.analyses.benchmark._result.BenchmarkResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.benchmark._definitions import _LEVELS, METRICS
from salesops_lib.analyses.benchmark._narrative import (
    _fmt_rank,
    _fmt_value,
    _money_column_format,
    _small_rate_digits,
    missing_note,
)
from salesops_lib.analyses.benchmark._words import (
    better_label,
    funnel_label,
    group_value,
    metric_formula,
    metric_label,
    status_label,
)
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, ngettext
from salesops_lib.viz import format as F
from salesops_lib.viz.html import Heading, Note, Paragraph, Table

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.benchmark._result import BenchmarkResult

__all__: list[str] = []  # private module


def _per_day_format(values: pd.Series) -> Any:
    """A column formatter for activities per day: two significant digits when the typical
    (median non-zero) value is below 0.1, else one decimal."""
    pos = pd.to_numeric(values, errors="coerce")
    pos = pos[pos > 0]
    digits = _small_rate_digits(float(pos.median())) if len(pos) else 1
    return lambda v: F.fmt_num(v, digits)


def leaderboard_table(res: BenchmarkResult) -> Any:
    """Formatted leaderboard (win rate with interval, shrunk rate, rank interval)."""
    r = res.ranked_reps.copy()
    df = pd.DataFrame(
        {
            "Rep": [
                n if n == k else f"{n} ({k})" for n, k in zip(r["name"], r["rep_id"], strict=True)
            ],
            "Team": r["team"].str.replace("Team ", "", regex=False).map(group_value),
            "Closed deals": r["closed"],
            "Win rate (95% interval)": [
                F.fmt_pct_ci(a, b, c)
                for a, b, c in zip(r["win_rate"], r["ci_low"], r["ci_high"], strict=True)
            ],
            "Shrunk win rate": [
                F.fmt_pct_ci(a, b, c)
                for a, b, c in zip(
                    r["shrunk_win_rate"], r["shrunk_low"], r["shrunk_high"], strict=True
                )
            ],
            "Median rank (range)": [
                _fmt_rank(a, b, c)
                for a, b, c in zip(r["rank"], r["rank_low"], r["rank_high"], strict=True)
            ],
            "Attainment": r["quota_attainment"],
            "Median cycle (days)": r["cycle_median_days"],
            "Activities / day": r["activities_per_day"],
            "Funnel plot": r["funnel_status"].map(funnel_label),
        }
    )
    drop = [
        col
        for col, ok in (
            ("Team", res.available("teams")),
            ("Attainment", res.available("attainment")),
            ("Activities / day", res.available("activities")),
            ("Median cycle (days)", r["cycle_median_days"].notna().any()),
        )
        if not ok
    ]
    df = df.drop(columns=drop)
    return Table(
        df,
        formats={
            "Attainment": "pct",
            "Median cycle (days)": "int",
            "Activities / day": _per_day_format(r["activities_per_day"]),
            "Closed deals": "int",
        },
        columns=_headers(df),
        caption=_(
            "Reps ordered by shrunk win rate. Median rank over posterior draws (ties possible) "
            "with the range of ranks in 95% of draws: the range shows how settled each position "
            "is. Funnel plot: 'possible' = between the 95% and 99.8% limits."
        ),
    )


def _headers(df: pd.DataFrame) -> dict[str, str]:
    """The column headers of a table in the reader's language (every column, in order)."""
    words = {
        "Rep": _("Rep"),
        "Team": _("Team"),
        "Region": _("Region"),
        "Territory": _("Territory"),
        "Closed deals": _("Closed deals"),
        "Win rate (95% interval)": _("Win rate (95% interval)"),
        "Shrunk win rate": _("Shrunk win rate"),
        "Median rank (range)": _("Median rank (range)"),
        "Attainment": _("Attainment"),
        "Median cycle (days)": _("Median cycle (days)"),
        "Activities / day": _("Activities / day"),
        "Funnel plot": _("Funnel plot"),
        "Reps": _("Reps"),
        "FTE reps": _("FTE reps"),
        "Closed": _("Closed"),
        "Win rate": _("Win rate"),
        "By value": _("By value"),
        "Avg won": _("Avg won"),
        "Cycle (days)": _("Cycle (days)"),
        "Activities/day": _("Activities/day"),
        "Velocity/day": _("Velocity/day"),
        "Metric": _("Metric"),
        "Ours": _("Ours"),
        "Median rep": _("Median rep"),
        "Top-quartile rep": _("Top-quartile rep"),
        "Better": _("Better"),
        "External": _("External"),
        "Like for like?": _("Like for like?"),
        "Source (year)": _("Source (year)"),
        "Their definition": _("Their definition"),
        "Our definition": _("Our definition"),
        "Of": _("Of"),
        "Share (95% interval)": _("Share (95% interval)"),
        "Leads": _("Leads"),
        "Leads per rep": _("Leads per rep"),
        "× median": _("× median"),
        "Accounts per rep": _("Accounts per rep"),
        "Open pipeline per rep": _("Open pipeline per rep"),
        "Status": _("Status"),
        "Why (metric, distance from benchmark, how sure)": _(
            "Why (metric, distance from benchmark, how sure)"
        ),
    }
    return {c: words.get(c, c) for c in df.columns}


def group_table(res: BenchmarkResult, level: str = "team") -> Any:
    """Formatted figures by team / region / territory."""
    part = {"team": "teams", "region": "regions", "territory": "territories"}.get(level)
    if part and not res.available(part):
        return missing_note(res, part)
    g = res.to_frame(level)
    key = _LEVELS[level]
    df = pd.DataFrame(
        {
            level.capitalize(): g[key].map(group_value),
            "Reps": g["n_reps"],
            "FTE reps": g["fte_reps"],
            "Closed": g["closed"],
            "Win rate": [
                F.fmt_pct_ci(a, b, c)
                for a, b, c in zip(g["win_rate"], g["ci_low"], g["ci_high"], strict=True)
            ],
            "By value": [
                F.fmt_pct_ci(a, b, c)
                for a, b, c in zip(
                    g["win_rate_value"], g["value_ci_low"], g["value_ci_high"], strict=True
                )
            ],
            "Avg won": g["avg_won_amount"],
            "Cycle (days)": g["cycle_median_days"],
            "Activities/day": g["activities_per_day"],
            "Attainment": g["quota_attainment"],
            "Velocity/day": g["velocity_per_day"],
        }
    )
    df = df.drop(
        columns=[
            col
            for col, m in (
                ("By value", "win_rate_value"),
                ("Avg won", "avg_won_amount"),
                ("Activities/day", "activities_per_day"),
                ("Attainment", "quota_attainment"),
                ("Velocity/day", "velocity_per_day"),
            )
            if not res._metric_available(m)
        ]
    )
    return Table(
        df,
        formats={
            "Avg won": _money_column_format(g["avg_won_amount"], res.currency),
            "Attainment": "pct",
            "Cycle (days)": "days",
            "Activities/day": _per_day_format(g["activities_per_day"]),
            "Velocity/day": _money_column_format(g["velocity_per_day"], res.currency),
            "Closed": "int",
            "FTE reps": "num",
        },
        columns=_headers(df),
        caption=_group_caption(res),
    )


def _group_caption(res: BenchmarkResult) -> str:
    act, vel = res.available("activities"), res._metric_available("velocity_per_day")
    if act and vel:
        return _(
            "Reps: people with any record in the period; FTE reps: their selling days ÷ "
            "working days. Rates pooled over the group's deals; activities per rep per selling "
            "day; velocity = open deals × win rate × average won deal ÷ cycle."
        )
    if act:
        return _(
            "Reps: people with any record in the period; FTE reps: their selling days ÷ "
            "working days. Rates pooled over the group's deals; activities per rep per selling "
            "day."
        )
    if vel:
        return _(
            "Reps: people with any record in the period; FTE reps: their selling days ÷ "
            "working days. Rates pooled over the group's deals; velocity = open deals × win "
            "rate × average won deal ÷ cycle."
        )
    return _(
        "Reps: people with any record in the period; FTE reps: their selling days ÷ working "
        "days. Rates pooled over the group's deals."
    )


def benchmarks_block(res: BenchmarkResult) -> Any:
    """Formatted internal benchmarks: our figure, the median rep and the top-quartile rep."""

    b = res.benchmarks
    rows = []
    for m, g in b[b["kind"] != "external"].groupby("metric", sort=False):
        med = g.loc[g["kind"] == "internal median", "benchmark"]
        top = g.loc[g["kind"] == "internal top quartile", "benchmark"]
        per_fte = m in ("opps_created", "pipeline_generated", "velocity_per_day")
        rows.append(
            {
                "Metric": (
                    _("{metric} per FTE rep").format(metric=metric_label(m))
                    if per_fte
                    else metric_label(m)
                ),
                "Ours": _fmt_value(m, g["value"].iloc[0], res.currency),
                "Median rep": _fmt_value(m, med.iloc[0], res.currency) if len(med) else "—",
                "Top-quartile rep": _fmt_value(m, top.iloc[0], res.currency) if len(top) else "—",
                "Better": better_label(METRICS[m].better),
            }
        )
    df = pd.DataFrame(rows)
    return Table(
        df,
        columns=_headers(df),
        caption=_(
            "Internal benchmarks (same definitions as ours). Counts and amounts are per "
            "full-time-equivalent rep (selling days ÷ working days), for us and for each rep; "
            "medians and quartiles over reps with at least one selling day in the period. Top "
            "quartile = 75th percentile of reps, or the 25th where lower is better; rate "
            "benchmarks use reps with at least {n} closed deals."
        ).format(n=res.min_closed),
    )


def external_table(res: BenchmarkResult) -> Any:
    """Formatted external benchmarks with their definition next to ours."""
    b = res.benchmarks[res.benchmarks["kind"] == "external"]
    if b.empty:
        return Note(_("No external benchmarks were given (parameter benchmarks_file)."))

    def _lfl(row: pd.Series) -> str:
        v = row.get("like_for_like")
        diff = str(row.get("differences") or "").strip()
        if v is not None and not pd.isna(v) and bool(v):
            return _("Yes")
        if v is not None and not pd.isna(v):
            return _("No: {differences}").format(differences=diff) if diff else _("No")
        return (
            _("Not confirmed: {differences}").format(differences=diff)
            if diff
            else _("Not confirmed")
        )

    placeholder = (
        b["placeholder"].astype(bool)
        if "placeholder" in b.columns
        else pd.Series(False, index=b.index)
    )
    df = pd.DataFrame(
        {
            "Metric": [metric_label(m) for m in b["metric"]],
            "Ours": [
                _fmt_value(m, v, res.currency)
                if res._metric_available(m) and not pd.isna(v)
                else _("not in this data")
                for m, v in zip(b["metric"], b["value"], strict=True)
            ],
            "External": [
                _("{value} (placeholder)").format(value=_fmt_value(m, v, res.currency))
                if ph
                else _fmt_value(m, v, res.currency)
                for m, v, ph in zip(b["metric"], b["benchmark"], placeholder, strict=True)
            ],
            "Like for like?": [_lfl(row) for _i, row in b.iterrows()],
            "Source (year)": b["benchmark_source"]
            + b["year"].map(lambda y: "" if pd.isna(y) else f" ({int(y)})"),
            "Their definition": b["benchmark_definition"],
            "Our definition": [metric_formula(m) for m in b["metric"]],
        }
    )
    cap = _(
        "Compare only where the two definitions match ('Like for like?'); the full "
        "definition of ours is in the methods section."
    )
    if placeholder.any():
        cap = _(
            "Figures marked (placeholder) are illustrative, not real benchmarks: they are "
            "not compared with ours anywhere in this report. Compare only where the two "
            "definitions match ('Like for like?'); the full definition of ours is in the "
            "methods section."
        )
    return Table(df, columns=_headers(df), caption=cap)


def attainment_table(res: BenchmarkResult) -> Any:
    if not res.available("attainment"):
        return missing_note(res, "attainment")
    a = res.attainment
    df = pd.DataFrame(
        {
            "Attainment": [f"≥ {F.fmt_pct(t, 0)}" for t in a["threshold"]],
            "Reps": a["n_at_or_above"],
            "Of": a["n_reps"],
            "Share (95% interval)": [
                F.fmt_pct_ci(s, lo, hi, 0)
                for s, lo, hi in zip(a["share"], a["ci_low"], a["ci_high"], strict=True)
            ],
        }
    )
    return Table(df, columns=_headers(df))


def balance_table(res: BenchmarkResult) -> Any:
    if not res.available("territory_balance"):
        return missing_note(res, "territory_balance")
    b = res.balance
    df = pd.DataFrame(
        {
            "Territory": b["territory"].map(group_value),
            "FTE reps": b["fte_reps"],
            "Leads": b["leads"],
            "Leads per rep": b["leads_per_rep"],
            "× median": b["ratio_to_median"],
            "Accounts per rep": b["accounts_per_rep"],
            "Open pipeline per rep": b["open_pipeline_per_rep"],
            "Status": b["status"].map(status_label),
        }
    )
    df = df.drop(
        columns=[c for c in ("Accounts per rep", "Open pipeline per rep") if df[c].isna().all()]
    )
    c = res.company
    caption = None
    if not pd.isna(c.get("leads_per_rep_gini", np.nan)):
        caption = _(
            "Spread of leads per rep across territories: Gini {gini}, coefficient of variation "
            "{cv} (0 = perfectly even; see the methods)."
        ).format(gini=F.fmt_num(c["leads_per_rep_gini"], 2), cv=F.fmt_num(c["leads_per_rep_cv"], 2))
    return Table(
        df,
        formats={
            "FTE reps": "num",
            "Leads": "int",
            "Leads per rep": "int",
            "× median": "num2",
            "Accounts per rep": "int",
            "Open pipeline per rep": _money_column_format(b["open_pipeline_per_rep"], res.currency),
        },
        columns=_headers(df),
        caption=caption,
    )


def list_table(res: BenchmarkResult, which: str = "recognition") -> Any:
    """Recognition, coaching or watch list as a formatted table (one row per rep and
    reason). ``which``: ``"recognition"``, ``"coaching"`` or ``"watch"``."""
    lists = {"recognition": res.recognition, "coaching": res.coaching, "watch": res.watch}
    if which not in lists:
        raise ParamsError(
            "which", f"got {which!r}", expected="'recognition', 'coaching' or 'watch'"
        )
    df = lists[which]
    if df.empty:
        if which == "watch":
            st = res.ranked_reps.get("funnel_status") if len(res.ranked_reps) else None
            n_pos = int(st.astype(str).str.startswith("possible").sum()) if st is not None else 0
            if n_pos:
                return Note(
                    ngettext(
                        "No rep is on the watch list: every rep is either clearly above or "
                        "below the company win rate, or cannot be told apart from it. The "
                        "funnel plot's {n} 'possible' rep sit between its 95% and 99.8% limits "
                        "on raw counts; once each rate is shrunk towards the company rate, none "
                        "is even probably (95%) above or below it.",
                        "No rep is on the watch list: every rep is either clearly above or "
                        "below the company win rate, or cannot be told apart from it. The "
                        "funnel plot's {n} 'possible' reps sit between its 95% and 99.8% limits "
                        "on raw counts; once each rate is shrunk towards the company rate, none "
                        "is even probably (95%) above or below it.",
                        n_pos,
                    ).format(n=n_pos)
                )
            return Note(
                _(
                    "No rep is on the watch list: every rep is either clearly above or below "
                    "the company win rate, or cannot be told apart from it."
                )
            )
        return Note(
            _(
                "No rep qualifies: differences from the benchmarks are within what chance "
                "allows for this period."
            )
        )
    grouped = (
        df.assign(Rep=df["name"] + " (" + df["rep_id"] + ")")
        .groupby(["Rep", "team"], sort=False)["reason"]
        .agg(lambda r: " ".join(r))
        .reset_index()
        .rename(
            columns={"team": "Team", "reason": "Why (metric, distance from benchmark, how sure)"}
        )
    )
    grouped["Team"] = grouped["Team"].map(group_value)
    return Table(grouped, columns=_headers(grouped))


def detail_tables(res: BenchmarkResult) -> list[Any]:
    """The detail tables: the full leaderboard (every rep with every figure)."""
    if res.n_compared == 0:
        return [Paragraph(_("No rep closed deals in the period: there is no leaderboard."))]
    return [Heading(_("All reps: the full leaderboard"), level=3), leaderboard_table(res)]
