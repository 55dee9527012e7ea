"""Comparisons for rep benchmarking: the benchmarks table, territory balance and the
recognition / coaching / watch lists (on the per-rep figures of :mod:`._stats`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.benchmark._definitions import METRICS, UNKNOWN_REP
from salesops_lib.analyses.benchmark._stats import (
    _div,
    classify_posterior,
    clear_level,
    coefficient_of_variation,
    gini,
    prob_above,
)
from salesops_lib.i18n import _, current_language
from salesops_lib.viz import format as F

__all__ = ["benchmark_table", "recognition_lists", "territory_balance"]


def benchmark_table(
    reps: pd.DataFrame,
    company: Mapping[str, float],
    external: pd.DataFrame,
    *,
    min_closed: int = 30,
    working_days: int | None = None,
) -> pd.DataFrame:
    r"""Our company figures next to internal and external benchmarks.

    Internal benchmarks are taken over known reps with at least one active selling day in the
    period: the median rep and the top-quartile rep (75th percentile; 25th for metrics where
    lower is better). Rate benchmarks use reps with at least ``min_closed`` closed deals so that a
    lucky small sample does not set the bar.

    Counts and amounts "per rep" (deals created, pipeline generated, velocity) are per
    *full-time-equivalent* rep, so that a rep who left early or joined late is neither a whole
    head nor a low performer:

    .. math:: \mathrm{FTE}_i = d_i / W, \qquad
        \text{ours} = \frac{\sum_i x_i}{\sum_i \mathrm{FTE}_i}, \qquad
        \text{rep value} = x_i / \mathrm{FTE}_i

    with :math:`d_i` the rep's active selling days and :math:`W` = ``working_days`` in the period
    (default: the most active days of any rep).

    Returns
    -------
    pandas.DataFrame
        ``metric, value, benchmark, kind ("internal median", "internal top quartile",
        "external"), benchmark_source, benchmark_source_short, year, unit, benchmark_definition,
        kit_definition, better, placeholder, like_for_like, differences, comparable`` —
        ``comparable`` is True only for external entries that are not placeholders and are
        declared like-for-like (the only ones the summary and cards compare against).
    """
    known = reps[reps["rep_id"] != UNKNOWN_REP]
    active = known[known["active_days"] > 0].copy()
    rows = []
    internal = [
        "win_rate",
        "win_rate_value",
        "avg_won_amount",
        "cycle_median_days",
        "activities_per_day",
        "opps_created",
        "pipeline_generated",
        "quota_attainment",
        "velocity_per_day",
    ]
    per_fte = ("opps_created", "pipeline_generated", "velocity_per_day")
    w = float(working_days) if working_days else float(active["active_days"].max() or 1)
    active["_fte"] = active["active_days"] / max(w, 1.0)
    total_fte = float(active["_fte"].sum())
    per_rep = {
        m: (company.get(m, np.nan) / total_fte if total_fte > 0 else np.nan) for m in per_fte
    }
    for m in internal:
        md = METRICS[m]
        vals = active
        if m in ("win_rate", "win_rate_value", "avg_won_amount", "velocity_per_day"):
            vals = active[active["closed"] >= min_closed]
        if m == "quota_attainment":
            vals = active[active["quota_adjusted"] > 0]
        v = vals[m].astype(float)
        if m in per_fte:
            v = v / vals["_fte"]
        v = v.dropna()
        if v.empty:
            continue
        top_q = 0.25 if md.better == "lower" else 0.75
        unit_txt = " (per FTE rep)" if m in per_fte else ""
        for kind, val, src in (
            ("internal median", float(v.median()), f"median of {len(v)} reps{unit_txt}"),
            (
                "internal top quartile",
                float(v.quantile(top_q)),
                f"top-quartile rep ({'25th' if md.better == 'lower' else '75th'} percentile of "
                f"{len(v)} reps){unit_txt}",
            ),
        ):
            rows.append(
                {
                    "metric": m,
                    "value": per_rep.get(m, company.get(m, np.nan)),
                    "benchmark": val,
                    "kind": kind,
                    "benchmark_source": f"internal: {src}",
                    "benchmark_source_short": "internal",
                    "year": np.nan,
                    "unit": md.unit,
                    "benchmark_definition": md.definition,
                    "kit_definition": md.definition,
                    "better": md.better,
                    "placeholder": False,
                    "like_for_like": True,
                    "differences": "",
                    "comparable": True,
                }
            )
    for e in external.itertuples(index=False):
        md = METRICS[e.metric]
        short = str(e.source).split(":")[0].strip()
        placeholder = bool(getattr(e, "placeholder", False))
        lfl = getattr(e, "like_for_like", None)
        lfl = None if lfl is None or (isinstance(lfl, float) and math.isnan(lfl)) else bool(lfl)
        rows.append(
            {
                "metric": e.metric,
                "value": company.get(e.metric, np.nan),
                "benchmark": float(e.value),
                "kind": "external",
                "benchmark_source": str(e.source),
                "benchmark_source_short": short,
                "year": e.year,
                "unit": e.unit,
                "benchmark_definition": e.definition,
                "kit_definition": md.definition,
                "better": md.better,
                "placeholder": placeholder,
                "like_for_like": lfl,
                "differences": str(getattr(e, "differences", "") or ""),
                "comparable": (not placeholder) and lfl is True,
            }
        )
    cols = [
        "metric",
        "value",
        "benchmark",
        "kind",
        "benchmark_source",
        "benchmark_source_short",
        "year",
        "unit",
        "benchmark_definition",
        "kit_definition",
        "better",
        "placeholder",
        "like_for_like",
        "differences",
        "comparable",
    ]
    return pd.DataFrame(rows, columns=cols)


def territory_balance(
    reps: pd.DataFrame,
    leads: pd.DataFrame,
    *,
    accounts: pd.DataFrame | None = None,
    working_days: int,
    overload_ratio: float = 1.5,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Workload and potential per rep by territory, and lead-assignment balance by rep.

    Parameters
    ----------
    reps
        Per-rep table with ``rep_id, territory, active_days, open_deals, open_pipeline``.
    leads
        Lead counts with ``rep_id`` (owner), ``lead_territory`` and ``leads``. A lead counts for
        its own territory when it has one, else for its owner's.
    accounts
        Accounts per territory (``territory, accounts``), optional.
    working_days
        Working days in the period (to turn active days into full-time-equivalent reps).
    overload_ratio
        Territories with leads per rep ≥ ``overload_ratio`` × the median territory are
        "overloaded", ≤ 1/``overload_ratio`` × "underloaded".

    Returns
    -------
    (balance, lead_assignment, dispersion)
        ``balance``: one row per territory (``fte_reps, leads, leads_per_rep, ratio_to_median,
        accounts, accounts_per_rep, open_deals_per_rep, open_pipeline_per_rep, status``), sorted
        by leads per rep. ``lead_assignment``: one row per rep (``leads, leads_per_day,
        ratio_to_territory``). ``dispersion``: coefficient of variation and Gini of each per-rep
        figure across territories, and of leads per day across reps.
    """
    known = reps[reps["rep_id"] != UNKNOWN_REP]
    terr_of = dict(zip(known["rep_id"], known["territory"], strict=True))
    ld = leads.copy()
    if ld.empty:
        ld = pd.DataFrame({"rep_id": [], "lead_territory": [], "leads": []})
    ld["territory"] = (
        ld["lead_territory"]
        .where(ld["lead_territory"].notna(), ld["rep_id"].map(terr_of))
        .fillna("No territory")
    )
    fte = known.groupby("territory")["active_days"].sum() / max(working_days, 1)
    pipe = known.groupby("territory")[["open_deals", "open_pipeline"]].sum()
    bal = pd.DataFrame({"fte_reps": fte})
    bal["n_reps"] = known[known["active_days"] > 0].groupby("territory")["rep_id"].nunique()
    bal["leads"] = ld.groupby("territory")["leads"].sum()
    bal = bal.join(pipe, how="outer")
    if accounts is not None and not accounts.empty:
        bal["accounts"] = accounts.set_index("territory")["accounts"]
    else:
        bal["accounts"] = np.nan
    bal = bal.reset_index().rename(columns={"index": "territory"})
    bal["n_reps"] = bal["n_reps"].fillna(0).astype(int)
    for c in ("leads", "open_deals", "open_pipeline"):
        bal[c] = bal[c].fillna(0)
    bal["fte_reps"] = bal["fte_reps"].fillna(0.0)
    bal["leads_per_rep"] = _div(bal["leads"], bal["fte_reps"])
    bal["accounts_per_rep"] = _div(bal["accounts"], bal["fte_reps"])
    bal["open_deals_per_rep"] = _div(bal["open_deals"], bal["fte_reps"])
    bal["open_pipeline_per_rep"] = _div(bal["open_pipeline"], bal["fte_reps"])
    med = (
        float(np.nanmedian(bal["leads_per_rep"])) if bal["leads_per_rep"].notna().any() else np.nan
    )
    bal["ratio_to_median"] = _div(bal["leads_per_rep"], med) if med > 0 else np.nan
    status = np.where(
        bal["ratio_to_median"] >= overload_ratio,
        "overloaded",
        np.where(bal["ratio_to_median"] <= 1 / overload_ratio, "underloaded", "balanced"),
    )
    bal["status"] = np.where(bal["fte_reps"] > 0, status, "no reps")
    bal = bal.sort_values("leads_per_rep", ascending=False, na_position="last").reset_index(
        drop=True
    )
    disp: dict[str, float] = {}
    staffed = bal[bal["fte_reps"] > 0]
    for c in ("leads_per_rep", "accounts_per_rep", "open_pipeline_per_rep", "open_deals_per_rep"):
        disp[f"{c}_cv"] = coefficient_of_variation(staffed[c])
        disp[f"{c}_gini"] = gini(staffed[c])
    # lead assignment by rep
    per_rep = ld.groupby("rep_id")["leads"].sum()
    la = known[["rep_id", "name", "team", "territory", "active_days"]].copy()
    la["leads"] = la["rep_id"].map(per_rep).fillna(0).astype(int)
    la["leads_per_day"] = _div(la["leads"], la["active_days"])
    terr_mean = (
        la[la["active_days"] > 0]
        .groupby("territory")
        .apply(lambda d: d["leads"].sum() / d["active_days"].sum(), include_groups=False)
    )
    la["ratio_to_territory"] = _div(la["leads_per_day"], la["territory"].map(terr_mean))
    la = la.sort_values("leads_per_day", ascending=False, na_position="last").reset_index(drop=True)
    active = la[la["active_days"] > 0]
    disp["rep_leads_per_day_cv"] = coefficient_of_variation(active["leads_per_day"])
    disp["rep_leads_per_day_gini"] = gini(active["leads_per_day"])
    within = active.groupby("territory")["leads_per_day"].apply(coefficient_of_variation)
    disp["rep_leads_within_territory_cv_max"] = (
        float(within.max()) if within.notna().any() else np.nan
    )
    if "unassigned" not in disp:
        disp["unowned_leads"] = float(ld.loc[ld["rep_id"] == UNKNOWN_REP, "leads"].sum())
    return bal, la, disp


def recognition_lists(
    reps: pd.DataFrame,
    *,
    company_rate: float,
    prior: tuple[float, float],
    certainty: float = 0.95,
    clear_certainty: float | None = None,
    min_closed: int = 30,
    thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    median_activity: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Recognition, coaching and watch lists, robust to sample size and to the number of reps
    compared, each row with its reason.

    Win rate: ``p`` is the posterior probability that the rep's true win rate exceeds the company
    rate (beta posterior under the empirical-Bayes prior, so a rep with 3 of 3 wins cannot
    qualify on luck). Looking at many reps at once, some reach any per-rep level by chance
    (with 24 reps and 95%, about one per side), so a rep is clearly above (recognition) or
    below (coaching) only when ``p`` (or ``1 − p``) reaches ``clear_certainty`` — by default the
    Bonferroni level ``1 − (1 − certainty) / m`` over the ``m`` reps with closed deals
    (:func:`~salesops_lib.analyses.benchmark._stats.clear_level`; 99.8% for 24 reps). Reps between
    ``certainty`` and that bar are *probably* above/below and go on the watch list, not on
    the recognition or coaching list.

    Other reasons (observed, no multiplicity issue): ramp-adjusted attainment at least
    ``max(thresholds)`` (recognition) or below ``min(thresholds)`` (coaching) with at least
    ``min_closed`` closed deals; activities per day below 75% of the median rep with the upper
    end of the rep's interval below the median (coaching).

    Returns
    -------
    (recognition, coaching, watch)
        Rows ``rep_id, name, team, metric, value, benchmark, difference, certainty, direction,
        reason``, sorted by metric then distance. ``direction`` is "clearly above/below" or
        "probably above/below" for win-rate rows.
    """
    known = reps[(reps["rep_id"] != UNKNOWN_REP)].copy()
    rec: list[dict[str, Any]] = []
    coach: list[dict[str, Any]] = []
    watch: list[dict[str, Any]] = []
    has = known["closed"] > 0
    n_compared = int(has.sum())
    clear = clear_level(certainty, n_compared) if clear_certainty is None else clear_certainty
    clear = max(clear, certainty)
    p_up = np.full(len(known), np.nan)
    p_up[has.to_numpy()] = prob_above(
        known.loc[has, "won"], known.loc[has, "closed"], company_rate, prior=prior
    )
    known["p_above"] = p_up
    known["verdict"] = classify_posterior(p_up, probable=certainty, clear=clear)
    for r in known.itertuples(index=False):
        base = {"rep_id": r.rep_id, "name": r.name, "team": r.team}
        if r.closed > 0 and r.verdict != "cannot tell":
            wr = F.fmt_pct_ci(r.win_rate, r.ci_low, r.ci_high)
            diff = r.shrunk_win_rate - company_rate
            up = r.verdict.endswith("above")
            sure = r.p_above if up else 1 - r.p_above
            fields = {
                "rate": wr,
                "closed": F.fmt_int(r.closed),
                "company": F.fmt_pct(company_rate),
                "shrunk": F.fmt_pct(r.shrunk_win_rate),
                "diff": F.fmt_pp(diff),
                "sure": _sure(sure),
                "bar": _sure_bar(clear),
                "m": n_compared,
            }
            row = {
                **base,
                "metric": "win_rate",
                "value": r.win_rate,
                "benchmark": company_rate,
                "difference": diff,
                "certainty": sure,
                "direction": r.verdict,
            }
            if r.verdict.startswith("clearly"):
                row["reason"] = _win_rate_reason(up, clear=True, many=n_compared > 1).format(
                    **fields
                )
                (rec if up else coach).append(row)
            else:
                row["reason"] = _win_rate_reason(up, clear=False, many=n_compared > 1).format(
                    **fields
                )
                watch.append(row)
        att = r.quota_attainment
        if not pd.isna(att) and r.closed >= min_closed:
            if att >= max(thresholds):
                rec.append(
                    {
                        **base,
                        "metric": "quota_attainment",
                        "value": att,
                        "benchmark": max(thresholds),
                        "difference": att - max(thresholds),
                        "certainty": np.nan,
                        "reason": _(
                            "Attained {attained} of the adjusted quota (≥ {bar}), on {closed} "
                            "closed deals (observed, not estimated)."
                        ).format(
                            attained=F.fmt_pct(att, 0),
                            bar=F.fmt_pct(max(thresholds), 0),
                            closed=F.fmt_int(r.closed),
                        ),
                    }
                )
            elif att < min(thresholds):
                coach.append(
                    {
                        **base,
                        "metric": "quota_attainment",
                        "value": att,
                        "benchmark": min(thresholds),
                        "difference": att - min(thresholds),
                        "certainty": np.nan,
                        "reason": _(
                            "Attained {attained} of the adjusted quota (< {bar}), on {closed} "
                            "closed deals (observed, not estimated)."
                        ).format(
                            attained=F.fmt_pct(att, 0),
                            bar=F.fmt_pct(min(thresholds), 0),
                            closed=F.fmt_int(r.closed),
                        ),
                    }
                )
        if median_activity and not pd.isna(r.activities_per_day) and r.active_days > 0:
            if (
                r.activities_per_day < 0.75 * median_activity
                and r.activities_ci_high < median_activity
            ):
                coach.append(
                    {
                        **base,
                        "metric": "activities_per_day",
                        "value": r.activities_per_day,
                        "benchmark": median_activity,
                        "difference": r.activities_per_day - median_activity,
                        "certainty": 1 - certainty,
                        "reason": _(
                            "{rate} activities per selling day ({low}–{high}) vs {median} for "
                            "the median rep (bar: under 75% of the median with the whole "
                            "interval below it; activity counts are observed, so no win-rate "
                            "bar applies)."
                        ).format(
                            rate=F.fmt_num(r.activities_per_day, 1),
                            low=F.fmt_num(r.activities_ci_low, 1),
                            high=F.fmt_num(r.activities_ci_high, 1),
                            median=F.fmt_num(median_activity, 1),
                        ),
                    }
                )
    cols = [
        "rep_id",
        "name",
        "team",
        "metric",
        "value",
        "benchmark",
        "difference",
        "certainty",
        "direction",
        "reason",
    ]
    rec_df = pd.DataFrame(rec, columns=cols)
    coach_df = pd.DataFrame(coach, columns=cols)
    watch_df = (
        pd.DataFrame(watch, columns=cols)
        .sort_values("difference", ascending=False)
        .reset_index(drop=True)
    )
    # activity rows: their certainty is that of the interval; show as the interval level
    coach_df.loc[coach_df["metric"] == "activities_per_day", "certainty"] = np.nan
    order = {"win_rate": 0, "quota_attainment": 1, "activities_per_day": 2}
    rec_df = (
        rec_df.assign(_o=rec_df["metric"].map(order))
        .sort_values(["_o", "difference"], ascending=[True, False])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    coach_df = (
        coach_df.assign(_o=coach_df["metric"].map(order))
        .sort_values(["_o", "difference"], ascending=[True, True])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    return one_list_per_rep(rec_df, coach_df, watch_df)


def one_list_per_rep(
    rec: pd.DataFrame, coach: pd.DataFrame, watch: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Each rep in one list, so no rep is both praised and flagged (issue 9).

    A rep with reasons in both recognition and coaching (e.g. quota attained but clearly below on
    win rate) goes to the watch list as "mixed signals", every reason kept. A rep on the watch
    list (probably, not clearly, above/below) who is also in recognition or coaching stays in that
    list, with the watch reason added to its first row.
    """
    both = set(rec["rep_id"]) & set(coach["rep_id"])
    if both:
        mixed = pd.concat([rec[rec["rep_id"].isin(both)], coach[coach["rep_id"].isin(both)]])
        mixed = mixed.assign(
            direction="mixed signals",
            reason=[
                _("Mixed signals: {reason}").format(reason=t) for t in mixed["reason"].astype(str)
            ],
        )
        rec = rec[~rec["rep_id"].isin(both)]
        coach = coach[~coach["rep_id"].isin(both)]
        watch = pd.concat([watch, mixed], ignore_index=True)
    for listed in (rec, coach):
        dup = watch[
            watch["rep_id"].isin(set(listed["rep_id"])) & (watch["direction"] != "mixed signals")
        ]
        for _i, w in dup.iterrows():
            i = listed.index[listed["rep_id"] == w["rep_id"]][0]
            listed.loc[i, "reason"] = _("{reason} Also: {watch}").format(
                reason=listed.loc[i, "reason"], watch=w["reason"]
            )
        watch = watch.drop(index=dup.index)
    return (
        rec.reset_index(drop=True),
        coach.reset_index(drop=True),
        watch.reset_index(drop=True),
    )


def _local(text: str) -> str:
    """A number written with a decimal point, in the reader's language (``99,8`` in Italian)."""
    return text if current_language() == "en" else text.replace(".", ",")


def _sure_bar(p: float) -> str:
    """A probability bar as a percentage, with enough digits not to round up to 100%."""
    for digits in (0, 1, 2, 3):
        text = f"{100 * p:.{digits}f}"
        if float(text) < 100:
            return _local(text) + "%"
    return _local(f"{100 * p:.3f}") + "%"


def _sure(p: float) -> str:
    """A posterior probability in words, rounded down (never overstating certainty)."""
    if p >= 0.999:
        return _("more than {pct}").format(pct=_local("99.9") + "%")
    if p >= 0.9:
        return _local(f"{math.floor(p * 1000) / 10:.1f}") + "%"
    return f"{math.floor(p * 100):.0f}%"


def _win_rate_reason(up: bool, *, clear: bool, many: bool) -> str:
    """The reason a rep is listed on win rate (a message with fields, translated)."""
    if clear and up:
        return _(
            "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
            "{shrunk} ({diff}); {sure} sure it is above the company rate (at least {bar} "
            "needed)."
        )
    if clear:
        return _(
            "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
            "{shrunk} ({diff}); {sure} sure it is below the company rate (at least {bar} "
            "needed)."
        )
    if up and many:
        return _(
            "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
            "{shrunk} ({diff}); {sure} sure it is above the company rate, short of the {bar} "
            "needed to single out one of {m} reps: probably above, keep watching."
        )
    if up:
        return _(
            "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
            "{shrunk} ({diff}); {sure} sure it is above the company rate, short of the {bar} "
            "needed: probably above, keep watching."
        )
    if many:
        return _(
            "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
            "{shrunk} ({diff}); {sure} sure it is below the company rate, short of the {bar} "
            "needed to single out one of {m} reps: probably below, keep watching."
        )
    return _(
        "Win rate {rate} on {closed} closed deals vs company {company}; shrunk estimate "
        "{shrunk} ({diff}); {sure} sure it is below the company rate, short of the {bar} "
        "needed: probably below, keep watching."
    )
