"""Words for the benchmarking report: headline, summary, cards, banners, sections, chart titles.

Private; used by :class:`salesops_lib.analyses.benchmark._result.BenchmarkResult`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.benchmark._definitions import FUNNEL_STATUS, METRICS, UNKNOWN_REP
from salesops_lib.errors import ParamsError
from salesops_lib.viz import format as F
from salesops_lib.viz.html import Banner, Card, Cards, Paragraph

if TYPE_CHECKING:  # pragma: no cover
    from salesops_lib.analyses.benchmark._result import BenchmarkResult

__all__: list[str] = []  # private module


def _small_rate_digits(x: float) -> int:
    """Decimals for a rate: 1, or enough for two significant digits below 0.1 (at most 3), so
    a small team's 0.008 activities a day does not read "0.0"."""
    if pd.isna(x) or x == 0 or abs(x) >= 0.1:
        return 1
    return min(3, 1 - math.floor(math.log10(abs(x))))


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def _period_label(start: dt.date, end: dt.date) -> str:
    """ "Oct 2024–Sep 2025" for whole months, "15 Oct 2024–14 Oct 2025" otherwise."""
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole:
        return (
            f"{start:%b %Y}"
            if (start.year, start.month) == (end.year, end.month)
            else f"{start:%b %Y}–{end:%b %Y}"
        )
    return f"{_fmt_date(start)}–{_fmt_date(end)}"


def _signed(x: float, digits: int) -> str:
    """``+3``, ``−3`` (true minus) or ``±0`` when ``x`` rounds to zero."""
    if round(x, digits) == 0:
        return "±" + f"{0:.{digits}f}"
    return f"{x:+,.{digits}f}".replace("-", "\u2212")


def _none_if_na(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else bool(v)


def _money(x: float, currency: str = "USD") -> str:
    return F.fmt_money(x, currency)


def _money_column_format(values: Any, currency: str = "USD") -> Callable[[Any], str]:
    """One money format for a whole table column.

    Compact millions (``"$0.82M"``) for every value when any value is a million or more,
    else whole dollars with thousands separators (``"$815,171"``), so a column never mixes
    ``"$1.77M"`` with ``"$815,171"``.
    """

    v = pd.to_numeric(pd.Series(values), errors="coerce").abs()
    compact = bool((v >= 1e6).any())

    def fmt(x: Any) -> str:
        if F.is_missing(x):
            return F.MISSING
        if not compact:
            return F.fmt_money(x, currency, compact=False)
        return F.fmt_money_millions(x, currency)

    return fmt


def _fmt_rank(r: float, lo: float, hi: float) -> str:
    if pd.isna(r):
        return "—"
    if pd.isna(lo) or pd.isna(hi):
        return f"{r:.0f}"
    return f"{r:.0f} ({lo:.0f}–{hi:.0f})"


def _fmt_value(metric: str, v: float, currency: str = "USD") -> str:

    unit = METRICS[metric].unit if metric in METRICS else ""
    if unit == "share":
        return F.fmt_pct(v)
    if unit == "money":
        return F.fmt_money(v, currency)
    if unit == "money_per_day":
        return F.fmt_money(v, currency) + "/day"
    if unit == "days":
        return F.fmt_days(v)
    if unit == "per_day":
        return F.fmt_num(v, _small_rate_digits(v)) + "/day"
    return F.fmt_num(v, 0)


def _name_list(df: pd.DataFrame) -> str:
    names = [f"{n} ({r})" for n, r in zip(df["name"], df["rep_id"], strict=True)]
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _outside_message(
    o: Mapping[str, Any], names: Mapping[str, str] | None = None, currency: str = "USD"
) -> str | None:
    """The banner sentence for deals closed outside their owner's employment (None if none)."""

    names = names or {}

    n = o["closed"]
    if not n and not o["created"] and not o["activities"]:
        return None
    parts = []
    if n:
        when = (
            "after their owner left"
            if o["after_left"] == n
            else "before their owner was hired"
            if o["after_left"] == 0
            else "after their owner left or before they were hired"
        )
        who = [
            f"{names[r]} ({r})" if names.get(r) and names[r] != r else str(r)
            for r, _ in o["owners"]
        ]
        if len(who) == 1:
            owners = f"owner {who[0]}"
        else:
            owners = (
                "owners "
                + ", ".join(
                    f"{w}: {k:,}" for w, (_, k) in zip(who[:10], o["owners"][:10], strict=True)
                )
                + (", …" if len(who) > 10 else "")
            )
        parts.append(
            f"{n:,} deal{'s' if n != 1 else ''} closed {when}, worth "
            f"{F.fmt_money(o['won_amount'], currency)} in won amount ({o['won']:,} of them won; {owners}; "
            f"closed {_fmt_date(o['first_close'])} – {_fmt_date(o['last_close'])}): not credited "
            "to any rep, and left out of rep, team and company figures."
        )
    extra = []
    if o["created"]:
        extra.append(f"{o['created']:,} deal(s) created")
    if o["activities"]:
        extra.append(f"{o['activities']:,} activit{'ies' if o['activities'] != 1 else 'y'} logged")
    if extra:
        parts.append(
            " and ".join(extra) + " outside their owner's employment are not credited either."
        )
    parts.append("Reassign them in the CRM to the rep who did the work to credit that rep.")
    return " ".join(parts)


def missing_note(res: BenchmarkResult, part: str) -> Paragraph | None:
    """The note shown in place of ``part`` when the data do not support it, else None."""
    res.available(part)  # validates the name
    d = res.not_available.get(part)
    return Paragraph(f"Not available: {d['note']}") if d else None


def _missing_sentence(res: BenchmarkResult) -> str | None:
    """One summary sentence naming the main parts left out and why."""
    main = ("attainment", "activities", "territory_balance", "amounts", "win_rate_value")
    groups: dict[str, list[str]] = {}
    for part in main:
        d = res.not_available.get(part)
        if d:
            groups.setdefault(d["reason"], []).append(d["what"])
    if not groups:
        return None
    items = [f"{_and_list(w)} ({reason})" for reason, w in groups.items()]
    return (
        "Not shown, for lack of data: "
        + _and_list(items)
        + "; the methods say what to add to see them."
    )


def summary_sentences(res: BenchmarkResult) -> list[str]:
    """Three to five plain sentences with the findings, each number with its interval."""

    c = res.company
    out: list[str] = []
    e = res._external("win_rate")
    comp = ""
    if e is not None:
        diff = c["win_rate"] - e["benchmark"]
        inside = c["win_rate_ci_low"] <= e["benchmark"] <= c["win_rate_ci_high"]
        verdict = "we cannot tell it apart from" if inside else ("above" if diff > 0 else "below")
        comp = (
            f"; that is {verdict} the external benchmark of {F.fmt_pct(e['benchmark'])} "
            f"({e['benchmark_source_short']})"
        )
    if not c["closed"]:
        out.append(
            f"No deal closed between {_fmt_date(res.period_start)} and "
            f"{_fmt_date(res.period_end_eff)}, so there is no win rate to compare."
        )
    else:
        out.append(
            f"The team won {F.fmt_int(c['won'])} of {F.fmt_int(c['closed'])} deals closed "
            f"between {_fmt_date(res.period_start)} and {_fmt_date(res.period_end_eff)}, a "
            "win rate of "
            f"{F.fmt_pct_ci(c['win_rate'], c['win_rate_ci_low'], c['win_rate_ci_high'])}"
            f"{comp}."
        )
    rec = res.recognition[res.recognition["metric"] == "win_rate"]
    coach = res.coaching[res.coaching["metric"] == "win_rate"]
    watch = res.watch[res.watch["metric"] == "win_rate"] if len(res.watch) else res.watch
    parts = []
    if len(rec):
        verb = "wins" if rec["rep_id"].nunique() == 1 else "win"
        parts.append(
            _name_list(rec) + f" {verb} clearly more often than the company, allowing for the "
            f"number of reps compared"
        )
    if len(coach):
        verb = "wins" if coach["rep_id"].nunique() == 1 else "win"
        need = "needs" if coach["rep_id"].nunique() == 1 else "need"
        parts.append(_name_list(coach) + f" {verb} clearly less often and {need} support")
    watch_parts = []
    for side in ("above", "below"):
        w = watch[watch["direction"] == f"probably {side}"] if len(watch) else watch
        if len(w):
            one = w["rep_id"].nunique() == 1
            watch_parts.append(
                _name_list(w) + f" {'is' if one else 'are'} probably {side} the company "
                "rate, but not clearly (watch list)"
            )
    if parts and watch_parts:
        out_clear = "; ".join(parts) + "."
        parts = watch_parts
    else:
        out_clear = None
        parts += watch_parts
    n_rank = int(((res.reps["rep_id"] != UNKNOWN_REP) & (res.reps["closed"] > 0)).sum())
    n_named = (
        rec["rep_id"].nunique()
        + coach["rep_id"].nunique()
        + (watch["rep_id"].nunique() if len(watch) else 0)
    )
    n_rest = n_rank - n_named
    if res.n_compared < 2:
        if c["closed"]:
            out.append(
                f"Only {res.n_compared} rep closed deals in the period, so reps cannot be "
                "compared on win rate."
            )
    elif parts:
        rest = (
            f"; the other {n_rest} rep{'s' if n_rest != 1 else ''} cannot be told apart from "
            "the company rate once the number of deals is taken into account"
            if n_rest > 0
            else ""
        )
        if out_clear:
            out.append(out_clear)
        text = "; ".join(parts) + rest + "."
        out.append(text[0].upper() + text[1:])
    else:
        out.append(
            "No rep's win rate differs from the company rate by more than chance allows: we "
            "cannot tell reps apart on win rate in this period."
        )
    att = res.attainment.set_index("threshold") if len(res.attainment) else None
    if att is not None and 1.0 in att.index and att.loc[1.0, "n_reps"] > 0:
        a100 = att.loc[1.0]
        extra = ""
        if 0.8 in att.index:
            extra = f"; {F.fmt_pct(att.loc[0.8, 'share'], 0)} reached at least 80%"
        out.append(
            f"{F.fmt_int(a100['n_at_or_above'])} of {F.fmt_int(a100['n_reps'])} reps with a quota "
            f"({F.fmt_pct(a100['share'], 0)}) reached 100% of their quota{extra}; "
            f"the median rep attained {F.fmt_pct(c['median_attainment'], 0)}."
        )
    over = res.balance[res.balance["status"] == "overloaded"]
    if not res.available("territory_balance") or res.balance.empty:
        pass
    elif len(over):
        o = over.iloc[0]
        out.append(
            f"Territory {o['territory']} is overloaded: {F.fmt_num(o['leads_per_rep'], 0)} new "
            f"leads per rep, {F.fmt_num(o['ratio_to_median'], 1)}× the median territory."
        )
    else:
        out.append(
            "No territory carries more than "
            f"{F.fmt_num(res.overload_ratio, 1)}× the median lead load per rep."
        )
    missing = _missing_sentence(res)
    if missing:
        out.append(missing)
    if res.unknown_owners:
        out.insert(
            0,
            f"Data warning: {len(res.unknown_owners)} deal owner(s) are missing from the reps "
            "table; their deals are shown as 'Unknown rep' and counted in company totals.",
        )
    return out


def cards(res: BenchmarkResult) -> Any:
    """Key-number cards (company win rate, cycle, attainment, activity, balance)."""

    c = res.company
    cards = []
    comp = res.comparison().set_index("metric")

    def delta(
        metric: str, value: float, low: float, high: float, ext: pd.Series | None
    ) -> dict[str, Any]:
        """The change against the previous period; the external comparison (if any) then
        moves to the detail line."""
        vs_ext = _delta(res, metric, value, low, high, ext)
        if metric not in comp.index:
            return vs_ext
        row = comp.loc[metric]
        out = {"delta": row["delta_text"], "good": _none_if_na(row["good"])}
        if vs_ext:
            out["external"] = vs_ext["delta"]
        return out

    def card(label: str, value: str, detail: str, d: dict[str, Any]) -> Any:
        ext_text = d.pop("external", None)
        if ext_text:
            detail = f"{detail}; {ext_text}"
        return Card(label, value, detail=detail, **d)

    ext = res._external("win_rate")
    if c["closed"]:
        cards.append(
            card(
                "Win rate (by count)",
                F.fmt_pct(c["win_rate"]),
                f"{F.fmt_pct(c['win_rate_ci_low'])}–{F.fmt_pct(c['win_rate_ci_high'])}, "
                f"{F.fmt_int(c['closed'])} closed deals",
                delta("win_rate", c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"], ext),
            )
        )
    ext = res._external("cycle_median_days")
    if not pd.isna(c["cycle_median_days"]):
        ci = (
            f"{F.fmt_num(c['cycle_ci_low'], 0)}–{F.fmt_num(c['cycle_ci_high'], 0)} days"
            if not (pd.isna(c["cycle_ci_low"]) or pd.isna(c["cycle_ci_high"]))
            else "interval not reached"
        )
        cards.append(
            card(
                "Median sales cycle",
                F.fmt_days(c["cycle_median_days"]),
                f"{ci}; creation to close, won or lost",
                delta(
                    "cycle_median_days",
                    c["cycle_median_days"],
                    c["cycle_ci_low"],
                    c["cycle_ci_high"],
                    ext,
                ),
            )
        )
    att = res.attainment.set_index("threshold")
    if 1.0 in att.index and att.loc[1.0, "n_reps"] > 0:
        a = att.loc[1.0]
        ext = res._external("share_at_quota")
        cards.append(
            card(
                "Reps at ≥100% of quota",
                F.fmt_pct(a["share"], 0),
                f"{F.fmt_int(a['n_at_or_above'])} of {F.fmt_int(a['n_reps'])} reps; "
                f"{F.fmt_pct(a['ci_low'], 0)}–{F.fmt_pct(a['ci_high'], 0)}",
                delta("share_at_quota", a["share"], a["ci_low"], a["ci_high"], ext),
            )
        )
    ext = res._external("activities_per_day")
    if res.available("activities") and not pd.isna(c["activities_per_day"]):
        dg = _small_rate_digits(c["activities_per_day"])
        ci = (
            f"{F.fmt_num(c['activities_ci_low'], dg)}–{F.fmt_num(c['activities_ci_high'], dg)} "
            if not pd.isna(c["activities_ci_low"])
            else ""
        )
        cards.append(
            card(
                "Activities per rep per selling day",
                F.fmt_num(c["activities_per_day"], dg),
                f"{ci}(spread across {c.get('reps_active', 0)} reps); "
                f"{F.fmt_num(c.get('fte_reps', np.nan), 1)} full-time-equivalent reps",
                delta(
                    "activities_per_day",
                    c["activities_per_day"],
                    c["activities_ci_low"],
                    c["activities_ci_high"],
                    ext,
                ),
            )
        )
    bal = res.balance.dropna(subset=["ratio_to_median"]) if len(res.balance) else None
    if res.available("territory_balance") and bal is not None and len(bal):
        top = bal.sort_values("ratio_to_median", ascending=False).iloc[0]
        n_over = int((res.balance["status"] == "overloaded").sum())
        cards.append(
            Card(
                "Lead load, busiest territory",
                f"{F.fmt_num(top['ratio_to_median'], 1)}×",
                detail=f"{top['territory']} gets {F.fmt_num(top['ratio_to_median'], 1)}× the "
                f"median leads per rep ({F.fmt_int(top['leads_per_rep'])} new leads per rep); "
                f"{n_over} territor{'y' if n_over == 1 else 'ies'} overloaded",
            )
        )
    # with parts missing, fill up to four cards with figures the data do support
    known = res.reps[res.reps["rep_id"] != UNKNOWN_REP]
    n_won_amt = int(res.reps["won_with_amount"].sum()) if "won_with_amount" in res.reps else 0
    if len(cards) < 4 and n_won_amt and not pd.isna(c.get("avg_won_amount", np.nan)):
        cards.append(
            Card(
                "Average won deal",
                F.fmt_money(c["avg_won_amount"], res.currency),
                detail=f"mean of {F.fmt_int(n_won_amt)} won deals with an amount",
            )
        )
    if len(cards) < 4 and len(known):
        idle = len(known) - res.n_compared
        cards.append(
            Card(
                "Reps compared on win rate",
                F.fmt_int(res.n_compared),
                detail=f"of {F.fmt_int(len(known))} reps"
                + (f"; {idle} closed no deal in the period" if idle > 0 else ""),
            )
        )
    return Cards(cards)


def placeholder_note(res: BenchmarkResult) -> str | None:
    """The banner text when external benchmarks are illustrative placeholders."""
    b = res.benchmarks
    ext = b[b["kind"] == "external"]
    if ext.empty or "placeholder" not in ext.columns or not ext["placeholder"].any():
        return None
    where = res.benchmarks_file or "the benchmarks file"
    n, k = len(ext), int(ext["placeholder"].sum())
    head = (
        "External benchmarks are illustrative placeholders"
        if k == n
        else f"{k} of {n} external benchmarks are illustrative placeholders"
    )
    return (
        f"{head}: replace {where} with licensed figures. They are shown only in the "
        "benchmarks table, not in the summary or the cards."
    )


def _delta(
    res: BenchmarkResult, metric: str, value: float, low: float, high: float, ext: pd.Series | None
) -> dict[str, Any]:

    if ext is None or pd.isna(value):
        return {}
    bm = float(ext["benchmark"])
    unit = METRICS[metric].unit
    diff = value - bm
    if unit == "share":
        text = f"{F.fmt_pp(diff)} vs external {F.fmt_pct(bm)}"
    elif unit == "days":
        text = f"{diff:+.0f} days vs external {bm:.0f}"
    else:
        text = f"{diff:+.1f} vs external {bm:.1f}"
    if not (pd.isna(low) or pd.isna(high)) and low <= bm <= high:
        return {"delta": text + " (we cannot tell)", "good": None}
    better = diff > 0 if METRICS[metric].better == "higher" else diff < 0
    return {"delta": text, "good": bool(better)}


def banners(res: BenchmarkResult) -> list[Any]:
    """Data-quality banners (empty when all checks passed)."""

    out = [Banner(w, level="warning", title="Data quality:") for w in res.data_warnings]
    note = placeholder_note(res)
    if note:
        out.append(Banner(note, level="info", title="Benchmarks:"))
    return out


def intro(res: BenchmarkResult, section: str) -> Paragraph:
    """The paragraph that opens a report section, worded for this data (the number of reps
    compared; what is left out), or the note that replaces a section the data cannot
    support. ``section``: ``"leaderboard"``, ``"funnel"``, ``"recognition"``,
    ``"attainment"``, ``"balance"``."""
    m = res.n_compared
    if section in ("leaderboard", "funnel") and m < 2:
        return Paragraph(
            f"{'Only one rep' if m == 1 else 'No rep'} closed deals in the period, so there "
            "is no one to compare with."
        )
    if section == "leaderboard":
        return Paragraph(
            "Each line is a rep's win rate with its 95% interval; the black tick is the "
            "shrunk estimate, which pulls reps with few deals towards the company rate so "
            "that a lucky 3-out-of-3 does not top the list. With "
            f"{m} reps compared at once, some look different by chance alone, so a rep is "
            "coloured only when clearly above (blue) or below (orange) the company rate by "
            'the stricter bar in the methods; reps marked "probably above/below" are worth '
            "watching but not yet singled out. Hollow dots: fewer than "
            f"{res.min_closed} closed deals."
        )
    if section == "funnel":
        chance = (
            f"so about {0.05 * m:.1f} of the {m} reps compared do"
            if m >= 10
            else f"so with {m} reps compared, the chance that at least one does is "
            f"{100 * (1 - 0.95**m):.0f}%"
        )
        return Paragraph(
            "Win rate against the number of closed deals. The funnel narrows as deals "
            "accumulate: a rep on the company rate lands outside the dashed lines by chance "
            f"about 1 time in 20 ({chance}), "
            "outside the solid lines about 1 time in 500. Only reps outside the solid lines "
            'are coloured; those between the lines are labelled "possible".'
        )
    if section == "recognition":
        extra = (
            ", or reached the attainment thresholds on a meaningful number of deals"
            if res.available("attainment")
            else ""
        )
        act = (
            " or log clearly fewer activities than the median rep"
            if res.available("activities")
            else ""
        )
        if m < 2:  # nobody to compare win rates (or activity) with
            head = f"{'Only one rep' if m == 1 else 'No rep'} closed deals in the period, so win rates are not compared"
            if not extra:
                return Paragraph(head + ".")
            return Paragraph(
                head + "; reps listed here reached the attainment thresholds on a meaningful "
                "number of deals. Each row says how far from the benchmark and how sure we are."
            )
        return Paragraph(
            "Reps listed here are clearly above or below the company win rate (after "
            f"allowing for the {m} reps compared){extra}{act}. Each row says which metric, "
            "how far from the benchmark, and how sure we are."
        )
    if section == "attainment":
        return missing_note(res, "attainment") or Paragraph(
            "Not only the average: how many reps reached "
            + _and_list([f"{100 * t:.0f}%" for t in sorted(res.attainment_thresholds)])
            + " of their adjusted quota."
        )
    if section == "balance":
        return missing_note(res, "territory_balance") or Paragraph(
            "New leads per full-time-equivalent rep by territory. A territory far above the "
            "median stretches its reps (and inflates their attainment); one far below leaves "
            "capacity unused."
        )
    raise ParamsError(
        "section",
        f"got {section!r}",
        expected="'leaderboard', 'funnel', 'recognition', 'attainment' or 'balance'",
    )


def chart_headline(res: BenchmarkResult, kind: str) -> str:
    """A chart title that states the finding."""

    if kind == "leaderboard":
        rec, coach = res.recognition, res.coaching
        n_r = rec[rec["metric"] == "win_rate"]["rep_id"].nunique()
        n_c = coach[coach["metric"] == "win_rate"]["rep_id"].nunique()
        if n_r + n_c == 0:
            return "Rep win rates overlap: no rep stands out once sample size is counted"
        return (
            f"{n_r} rep{'s' if n_r != 1 else ''} clearly above and {n_c} clearly below "
            "the company win rate"
        )
    if kind == "funnel":
        st = res.ranked_reps["funnel_status"]
        n_up = int((st == FUNNEL_STATUS["above_998"]).sum())
        n_down = int((st == FUNNEL_STATUS["below_998"]).sum())
        n_pos = int(st.str.startswith("possible").sum())
        possible = f"; {n_pos} more possible (between the 95% and 99.8% limits)" if n_pos else ""
        if n_up + n_down == 0:
            return "No rep lies outside the 99.8% limits" + possible
        sides = ", ".join(
            t for t in (f"{n_up} above" if n_up else "", f"{n_down} below" if n_down else "") if t
        )
        n_out = n_up + n_down
        return (
            f"{n_out} rep{'s' if n_out != 1 else ''} outside the 99.8% limits ({sides})" + possible
        )
    if kind == "attainment":
        a = res.attainment.set_index("threshold")
        if 1.0 in a.index:
            return (
                f"{F.fmt_pct(a.loc[1.0, 'share'], 0)} of reps reached quota; median "
                f"attainment {F.fmt_pct(res.company['median_attainment'], 0)}"
            )
        return "Quota attainment by rep"
    if kind == "balance":
        over = res.balance[res.balance["status"] == "overloaded"]
        if len(over):
            o = over.iloc[0]
            return (
                f"{o['territory']} carries {F.fmt_num(o['ratio_to_median'], 1)}× the "
                "median lead load per rep"
            )
        return "Lead load per rep is balanced across territories"
    raise ParamsError(
        "kind", f"got {kind!r}", expected="'leaderboard', 'funnel', 'attainment' or 'balance'"
    )


# --------------------------------------------------------------------------- headline, sections


def headline(res: BenchmarkResult) -> str:
    """The one sentence for the index and the JSON header: the win rate and who stands out."""
    c = res.company
    if not c["closed"]:
        return (
            f"No deal closed between {_fmt_date(res.period_start)} and "
            f"{_fmt_date(res.period_end_eff)}: no win rate to compare."
        )
    rate = F.fmt_pct_ci(c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"])
    text = f"Win rate {rate} on {F.fmt_int(c['closed'])} closed deals"
    if res.n_compared >= 2:
        n_up = res.recognition[res.recognition["metric"] == "win_rate"]["rep_id"].nunique()
        n_down = res.coaching[res.coaching["metric"] == "win_rate"]["rep_id"].nunique()
        if n_up + n_down:
            text += (
                f"; of {res.n_compared} reps, {n_up} clearly above and {n_down} clearly below "
                "the company rate"
            )
        else:
            text += f"; no one of the {res.n_compared} reps stands out once sample size is counted"
    return text + "."
