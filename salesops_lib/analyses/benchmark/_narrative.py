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
from salesops_lib.analyses.benchmark._words import en, fx, metric_label, month_year
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, ngettext
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
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}" if en() else F.fmt_date(d)


def _period_label(start: dt.date, end: dt.date) -> str:
    """ "Oct 2024–Sep 2025" for whole months, "15 Oct 2024–14 Oct 2025" otherwise."""
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole:
        return (
            month_year(start)
            if (start.year, start.month) == (end.year, end.month)
            else f"{month_year(start)}–{month_year(end)}"
        )
    return f"{_fmt_date(start)}–{_fmt_date(end)}"


def _signed(x: float, digits: int) -> str:
    """``+3``, ``−3`` (true minus) or ``±0`` when ``x`` rounds to zero."""
    if round(x, digits) == 0:
        return "±" + fx(0, f".{digits}f")
    return fx(x, f"+,.{digits}f").replace("-", "\u2212")


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
        return _("{value}/day").format(value=F.fmt_money(v, currency))
    if unit == "days":
        return F.fmt_days(v)
    if unit == "per_day":
        return _("{value}/day").format(value=F.fmt_num(v, _small_rate_digits(v)))
    return F.fmt_num(v, 0)


def _name_list(df: pd.DataFrame) -> str:
    names = [f"{n} ({r})" for n, r in zip(df["name"], df["rep_id"], strict=True)]
    names = list(dict.fromkeys(names))
    return _and_list(names)


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
        who = [
            f"{names[r]} ({r})" if names.get(r) and names[r] != r else str(r)
            for r, _k in o["owners"]
        ]
        if len(who) == 1:
            owners = _("owner {name}").format(name=who[0])
        else:
            owners = _("owners {list}").format(
                list=", ".join(
                    f"{w}: {F.fmt_int(k)}"
                    for w, (_r, k) in zip(who[:10], o["owners"][:10], strict=True)
                )
                + (", …" if len(who) > 10 else "")
            )
        if o["after_left"] == n:
            text = ngettext(
                "{n} deal closed after their owner left, worth {amount} in won amount ({won} "
                "of them won; {owners}; closed {first} – {last}): not credited to any rep, and "
                "left out of rep, team and company figures.",
                "{n} deals closed after their owner left, worth {amount} in won amount ({won} "
                "of them won; {owners}; closed {first} – {last}): not credited to any rep, and "
                "left out of rep, team and company figures.",
                n,
            )
        elif o["after_left"] == 0:
            text = ngettext(
                "{n} deal closed before their owner was hired, worth {amount} in won amount "
                "({won} of them won; {owners}; closed {first} – {last}): not credited to any "
                "rep, and left out of rep, team and company figures.",
                "{n} deals closed before their owner was hired, worth {amount} in won amount "
                "({won} of them won; {owners}; closed {first} – {last}): not credited to any "
                "rep, and left out of rep, team and company figures.",
                n,
            )
        else:
            text = ngettext(
                "{n} deal closed after their owner left or before they were hired, worth "
                "{amount} in won amount ({won} of them won; {owners}; closed {first} – {last}): "
                "not credited to any rep, and left out of rep, team and company figures.",
                "{n} deals closed after their owner left or before they were hired, worth "
                "{amount} in won amount ({won} of them won; {owners}; closed {first} – {last}): "
                "not credited to any rep, and left out of rep, team and company figures.",
                n,
            )
        parts.append(
            text.format(
                n=F.fmt_int(n),
                amount=F.fmt_money(o["won_amount"], currency),
                won=F.fmt_int(o["won"]),
                owners=owners,
                first=_fmt_date(o["first_close"]),
                last=_fmt_date(o["last_close"]),
            )
        )
    created, acts = o["created"], o["activities"]
    if created and acts:
        parts.append(
            ngettext(
                "{created} deal(s) created and {activities} activity logged outside their "
                "owner's employment are not credited either.",
                "{created} deal(s) created and {activities} activities logged outside their "
                "owner's employment are not credited either.",
                acts,
            ).format(created=F.fmt_int(created), activities=F.fmt_int(acts))
        )
    elif created:
        parts.append(
            _(
                "{created} deal(s) created outside their owner's employment are not credited "
                "either."
            ).format(created=F.fmt_int(created))
        )
    elif acts:
        parts.append(
            ngettext(
                "{activities} activity logged outside their owner's employment are not "
                "credited either.",
                "{activities} activities logged outside their owner's employment are not "
                "credited either.",
                acts,
            ).format(activities=F.fmt_int(acts))
        )
    parts.append(_("Reassign them in the CRM to the rep who did the work to credit that rep."))
    return " ".join(parts)


def missing_note(res: BenchmarkResult, part: str) -> Paragraph | None:
    """The note shown in place of ``part`` when the data do not support it, else None."""
    res.available(part)  # validates the name
    d = res.not_available.get(part)
    return Paragraph(_("Not available: {note}").format(note=d["note"])) if d else None


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
    return _(
        "Not shown, for lack of data: {items}; the methods say what to add to see them."
    ).format(items=_and_list(items))


def summary_sentences(res: BenchmarkResult) -> list[str]:
    """Three to five plain sentences with the findings, each number with its interval."""

    c = res.company
    out: list[str] = []
    e = res._external("win_rate")
    start, end = _fmt_date(res.period_start), _fmt_date(res.period_end_eff)
    if not c["closed"]:
        out.append(
            _(
                "No deal closed between {start} and {end}, so there is no win rate to compare."
            ).format(start=start, end=end)
        )
    else:
        fields = {
            "won": F.fmt_int(c["won"]),
            "closed": F.fmt_int(c["closed"]),
            "start": start,
            "end": end,
            "rate": F.fmt_pct_ci(c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"]),
        }
        if e is None:
            text = ngettext(
                "The team closed {closed} deal between {start} and {end} ({won} won), a win "
                "rate of {rate}.",
                "The team won {won} of {closed} deals closed between {start} and {end}, a win "
                "rate of {rate}.",
                c["closed"],
            )
        else:
            diff = c["win_rate"] - e["benchmark"]
            inside = c["win_rate_ci_low"] <= e["benchmark"] <= c["win_rate_ci_high"]
            fields["benchmark"] = F.fmt_pct(e["benchmark"])
            fields["source"] = e["benchmark_source_short"]
            if inside:
                text = _(
                    "The team won {won} of {closed} deals closed between {start} and {end}, a "
                    "win rate of {rate}; that is we cannot tell it apart from the external "
                    "benchmark of {benchmark} ({source})."
                )
            elif diff > 0:
                text = _(
                    "The team won {won} of {closed} deals closed between {start} and {end}, a "
                    "win rate of {rate}; that is above the external benchmark of {benchmark} "
                    "({source})."
                )
            else:
                text = _(
                    "The team won {won} of {closed} deals closed between {start} and {end}, a "
                    "win rate of {rate}; that is below the external benchmark of {benchmark} "
                    "({source})."
                )
        out.append(text.format(**fields))
    rec = res.recognition[res.recognition["metric"] == "win_rate"]
    coach = res.coaching[res.coaching["metric"] == "win_rate"]
    watch = res.watch[res.watch["metric"] == "win_rate"] if len(res.watch) else res.watch
    parts = []
    if len(rec):
        parts.append(
            ngettext(
                "{names} wins clearly more often than the company, allowing for the number of "
                "reps compared",
                "{names} win clearly more often than the company, allowing for the number of "
                "reps compared",
                rec["rep_id"].nunique(),
            ).format(names=_name_list(rec))
        )
    if len(coach):
        parts.append(
            ngettext(
                "{names} wins clearly less often and needs support",
                "{names} win clearly less often and need support",
                coach["rep_id"].nunique(),
            ).format(names=_name_list(coach))
        )
    watch_parts = []
    for side in ("above", "below"):
        w = watch[watch["direction"] == f"probably {side}"] if len(watch) else watch
        if len(w):
            k = w["rep_id"].nunique()
            if side == "above":
                text = ngettext(
                    "{names} is probably above the company rate, but not clearly (watch list)",
                    "{names} are probably above the company rate, but not clearly (watch list)",
                    k,
                )
            else:
                text = ngettext(
                    "{names} is probably below the company rate, but not clearly (watch list)",
                    "{names} are probably below the company rate, but not clearly (watch list)",
                    k,
                )
            watch_parts.append(text.format(names=_name_list(w)))
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
                _(
                    "Only {n} rep closed deals in the period, so reps cannot be compared on win "
                    "rate."
                ).format(n=res.n_compared)
            )
    elif parts:
        if n_rest > 0:
            parts.append(
                ngettext(
                    "the other {n} rep cannot be told apart from the company rate once the "
                    "number of deals is taken into account",
                    "the other {n} reps cannot be told apart from the company rate once the "
                    "number of deals is taken into account",
                    n_rest,
                ).format(n=n_rest)
            )
        if out_clear:
            out.append(out_clear)
        text = "; ".join(parts) + "."
        out.append(text[0].upper() + text[1:])
    else:
        out.append(
            _(
                "No rep's win rate differs from the company rate by more than chance allows: we "
                "cannot tell reps apart on win rate in this period."
            )
        )
    att = res.attainment.set_index("threshold") if len(res.attainment) else None
    if att is not None and 1.0 in att.index and att.loc[1.0, "n_reps"] > 0:
        a100 = att.loc[1.0]
        fields = {
            "n": F.fmt_int(a100["n_at_or_above"]),
            "of": F.fmt_int(a100["n_reps"]),
            "share": F.fmt_pct(a100["share"], 0),
            "median": F.fmt_pct(c["median_attainment"], 0),
        }
        if 0.8 in att.index:
            text = _(
                "{n} of {of} reps with a quota ({share}) reached 100% of their quota; {share80} "
                "reached at least 80%; the median rep attained {median}."
            )
            fields["share80"] = F.fmt_pct(att.loc[0.8, "share"], 0)
        else:
            text = _(
                "{n} of {of} reps with a quota ({share}) reached 100% of their quota; the median "
                "rep attained {median}."
            )
        out.append(text.format(**fields))
    over = res.balance[res.balance["status"] == "overloaded"]
    if not res.available("territory_balance") or res.balance.empty:
        pass
    elif len(over):
        o = over.iloc[0]
        out.append(
            _(
                "Territory {territory} is overloaded: {leads} new leads per rep, {ratio}× the "
                "median territory."
            ).format(
                territory=o["territory"],
                leads=F.fmt_num(o["leads_per_rep"], 0),
                ratio=F.fmt_num(o["ratio_to_median"], 1),
            )
        )
    else:
        out.append(
            _("No territory carries more than {ratio}× the median lead load per rep.").format(
                ratio=F.fmt_num(res.overload_ratio, 1)
            )
        )
    missing = _missing_sentence(res)
    if missing:
        out.append(missing)
    if res.unknown_owners:
        out.insert(
            0,
            _(
                "Data warning: {n} deal owner(s) are missing from the reps table; their deals are "
                "shown as 'Unknown rep' and counted in company totals."
            ).format(n=len(res.unknown_owners)),
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
            detail = f"{detail}; {ext_text}"  # two clauses, each in the reader's language
        return Card(label, value, detail=detail, **d)

    ext = res._external("win_rate")
    if c["closed"]:
        cards.append(
            card(
                metric_label("win_rate"),
                F.fmt_pct(c["win_rate"]),
                _("{low}–{high}, {n} closed deals").format(
                    low=F.fmt_pct(c["win_rate_ci_low"]),
                    high=F.fmt_pct(c["win_rate_ci_high"]),
                    n=F.fmt_int(c["closed"]),
                ),
                delta("win_rate", c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"], ext),
            )
        )
    ext = res._external("cycle_median_days")
    if not pd.isna(c["cycle_median_days"]):
        detail = (
            _("{low}–{high} days; creation to close, won or lost").format(
                low=F.fmt_num(c["cycle_ci_low"], 0), high=F.fmt_num(c["cycle_ci_high"], 0)
            )
            if not (pd.isna(c["cycle_ci_low"]) or pd.isna(c["cycle_ci_high"]))
            else _("interval not reached; creation to close, won or lost")
        )
        cards.append(
            card(
                _("Median sales cycle"),
                F.fmt_days(c["cycle_median_days"]),
                detail,
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
                _("Reps at ≥100% of quota"),
                F.fmt_pct(a["share"], 0),
                _("{n} of {of} reps; {low}–{high}").format(
                    n=F.fmt_int(a["n_at_or_above"]),
                    of=F.fmt_int(a["n_reps"]),
                    low=F.fmt_pct(a["ci_low"], 0),
                    high=F.fmt_pct(a["ci_high"], 0),
                ),
                delta("share_at_quota", a["share"], a["ci_low"], a["ci_high"], ext),
            )
        )
    ext = res._external("activities_per_day")
    if res.available("activities") and not pd.isna(c["activities_per_day"]):
        dg = _small_rate_digits(c["activities_per_day"])
        fields = {
            "reps": c.get("reps_active", 0),
            "fte": F.fmt_num(c.get("fte_reps", np.nan), 1),
        }
        if not pd.isna(c["activities_ci_low"]):
            detail = _(
                "{low}–{high} (spread across {reps} reps); {fte} full-time-equivalent reps"
            ).format(
                low=F.fmt_num(c["activities_ci_low"], dg),
                high=F.fmt_num(c["activities_ci_high"], dg),
                **fields,
            )
        else:
            detail = _("(spread across {reps} reps); {fte} full-time-equivalent reps").format(
                **fields
            )
        cards.append(
            card(
                _("Activities per rep per selling day"),
                F.fmt_num(c["activities_per_day"], dg),
                detail,
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
                _("Lead load, busiest territory"),
                f"{F.fmt_num(top['ratio_to_median'], 1)}×",
                detail=ngettext(
                    "{territory} gets {ratio}× the median leads per rep ({leads} new leads per "
                    "rep); {n} territory overloaded",
                    "{territory} gets {ratio}× the median leads per rep ({leads} new leads per "
                    "rep); {n} territories overloaded",
                    n_over,
                ).format(
                    territory=top["territory"],
                    ratio=F.fmt_num(top["ratio_to_median"], 1),
                    leads=F.fmt_int(top["leads_per_rep"]),
                    n=n_over,
                ),
            )
        )
    # with parts missing, fill up to four cards with figures the data do support
    known = res.reps[res.reps["rep_id"] != UNKNOWN_REP]
    n_won_amt = int(res.reps["won_with_amount"].sum()) if "won_with_amount" in res.reps else 0
    if len(cards) < 4 and n_won_amt and not pd.isna(c.get("avg_won_amount", np.nan)):
        cards.append(
            Card(
                _("Average won deal"),
                F.fmt_money(c["avg_won_amount"], res.currency),
                detail=_("mean of {n} won deals with an amount").format(n=F.fmt_int(n_won_amt)),
            )
        )
    if len(cards) < 4 and len(known):
        idle = len(known) - res.n_compared
        cards.append(
            Card(
                _("Reps compared on win rate"),
                F.fmt_int(res.n_compared),
                detail=(
                    _("of {n} reps; {idle} closed no deal in the period")
                    if idle > 0
                    else _("of {n} reps")
                ).format(n=F.fmt_int(len(known)), idle=idle),
            )
        )
    return Cards(cards)


def placeholder_note(res: BenchmarkResult) -> str | None:
    """The banner text when external benchmarks are illustrative placeholders."""
    b = res.benchmarks
    ext = b[b["kind"] == "external"]
    if ext.empty or "placeholder" not in ext.columns or not ext["placeholder"].any():
        return None
    where = res.benchmarks_file or _("the benchmarks file")
    n, k = len(ext), int(ext["placeholder"].sum())
    if k == n:
        text = _(
            "External benchmarks are illustrative placeholders: replace {where} with licensed "
            "figures. They are shown only in the benchmarks table, not in the summary or the "
            "cards."
        )
    else:
        text = _(
            "{k} of {n} external benchmarks are illustrative placeholders: replace {where} with "
            "licensed figures. They are shown only in the benchmarks table, not in the summary "
            "or the cards."
        )
    return text.format(k=k, n=n, where=where)


def _delta(
    res: BenchmarkResult, metric: str, value: float, low: float, high: float, ext: pd.Series | None
) -> dict[str, Any]:

    if ext is None or pd.isna(value):
        return {}
    bm = float(ext["benchmark"])
    unit = METRICS[metric].unit
    diff = value - bm
    if unit == "share":
        text = _("{diff} vs external {benchmark}").format(
            diff=F.fmt_pp(diff), benchmark=F.fmt_pct(bm)
        )
    elif unit == "days":
        text = _("{diff} days vs external {benchmark}").format(
            diff=fx(diff, "+.0f"), benchmark=fx(bm, ".0f")
        )
    else:
        text = _("{diff} vs external {benchmark}").format(
            diff=fx(diff, "+.1f"), benchmark=fx(bm, ".1f")
        )
    if not (pd.isna(low) or pd.isna(high)) and low <= bm <= high:
        return {"delta": _("{text} (we cannot tell)").format(text=text), "good": None}
    better = diff > 0 if METRICS[metric].better == "higher" else diff < 0
    return {"delta": text, "good": bool(better)}


def banners(res: BenchmarkResult) -> list[Any]:
    """Data-quality banners (empty when all checks passed)."""

    out = [Banner(w, level="warning", title=_("Data quality:")) for w in res.data_warnings]
    note = placeholder_note(res)
    if note:
        out.append(Banner(note, level="info", title=_("Benchmarks:")))
    return out


def intro(res: BenchmarkResult, section: str) -> Paragraph:
    """The paragraph that opens a report section, worded for this data (the number of reps
    compared; what is left out), or the note that replaces a section the data cannot
    support. ``section``: ``"leaderboard"``, ``"funnel"``, ``"recognition"``,
    ``"attainment"``, ``"balance"``."""
    m = res.n_compared
    if section in ("leaderboard", "funnel") and m < 2:
        return Paragraph(
            _("Only one rep closed deals in the period, so there is no one to compare with.")
            if m == 1
            else _("No rep closed deals in the period, so there is no one to compare with.")
        )
    if section == "leaderboard":
        return Paragraph(
            _(
                "Each line is a rep's win rate with its 95% interval; the black tick is the "
                "shrunk estimate, which pulls reps with few deals towards the company rate so "
                "that a lucky 3-out-of-3 does not top the list. With {m} reps compared at "
                "once, some look different by chance alone, so a rep is coloured only when "
                "clearly above (blue) or below (orange) the company rate by the stricter bar "
                'in the methods; reps marked "probably above/below" are worth watching but not '
                "yet singled out. Hollow dots: fewer than {min_closed} closed deals."
            ).format(m=m, min_closed=res.min_closed)
        )
    if section == "funnel":
        if m >= 10:
            text = _(
                "Win rate against the number of closed deals. The funnel narrows as deals "
                "accumulate: a rep on the company rate lands outside the dashed lines by "
                "chance about 1 time in 20 (so about {expected} of the {m} reps compared do), "
                "outside the solid lines about 1 time in 500. Only reps outside the solid "
                'lines are coloured; those between the lines are labelled "possible".'
            )
        else:
            text = _(
                "Win rate against the number of closed deals. The funnel narrows as deals "
                "accumulate: a rep on the company rate lands outside the dashed lines by "
                "chance about 1 time in 20 (so with {m} reps compared, the chance that at "
                "least one does is {chance}), outside the solid lines about 1 time in 500. "
                "Only reps outside the solid lines are coloured; those between the lines are "
                'labelled "possible".'
            )
        return Paragraph(
            text.format(m=m, expected=fx(0.05 * m, ".1f"), chance=F.fmt_pct(1 - 0.95**m, 0))
        )
    if section == "recognition":
        extra = res.available("attainment")
        act = res.available("activities")
        if m < 2:  # nobody to compare win rates (or activity) with
            if not extra:
                return Paragraph(
                    _("Only one rep closed deals in the period, so win rates are not compared.")
                    if m == 1
                    else _("No rep closed deals in the period, so win rates are not compared.")
                )
            return Paragraph(
                _(
                    "Only one rep closed deals in the period, so win rates are not compared; "
                    "reps listed here reached the attainment thresholds on a meaningful number "
                    "of deals. Each row says how far from the benchmark and how sure we are."
                )
                if m == 1
                else _(
                    "No rep closed deals in the period, so win rates are not compared; reps "
                    "listed here reached the attainment thresholds on a meaningful number of "
                    "deals. Each row says how far from the benchmark and how sure we are."
                )
            )
        if extra and act:
            text = _(
                "Reps listed here are clearly above or below the company win rate (after "
                "allowing for the {m} reps compared), or reached the attainment thresholds on "
                "a meaningful number of deals or log clearly fewer activities than the median "
                "rep. Each row says which metric, how far from the benchmark, and how sure we "
                "are."
            )
        elif extra:
            text = _(
                "Reps listed here are clearly above or below the company win rate (after "
                "allowing for the {m} reps compared), or reached the attainment thresholds on "
                "a meaningful number of deals. Each row says which metric, how far from the "
                "benchmark, and how sure we are."
            )
        elif act:
            text = _(
                "Reps listed here are clearly above or below the company win rate (after "
                "allowing for the {m} reps compared) or log clearly fewer activities than the "
                "median rep. Each row says which metric, how far from the benchmark, and how "
                "sure we are."
            )
        else:
            text = _(
                "Reps listed here are clearly above or below the company win rate (after "
                "allowing for the {m} reps compared). Each row says which metric, how far from "
                "the benchmark, and how sure we are."
            )
        return Paragraph(text.format(m=m))
    if section == "attainment":
        return missing_note(res, "attainment") or Paragraph(
            _(
                "Not only the average: how many reps reached {thresholds} of their adjusted quota."
            ).format(
                thresholds=_and_list([F.fmt_pct(t, 0) for t in sorted(res.attainment_thresholds)])
            )
        )
    if section == "balance":
        return missing_note(res, "territory_balance") or Paragraph(
            _(
                "New leads per full-time-equivalent rep by territory. A territory far above the "
                "median stretches its reps (and inflates their attainment); one far below "
                "leaves capacity unused."
            )
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
            return _("Rep win rates overlap: no rep stands out once sample size is counted")
        return ngettext(
            "{up} rep clearly above and {down} clearly below the company win rate",
            "{up} reps clearly above and {down} clearly below the company win rate",
            n_r,
        ).format(up=n_r, down=n_c)
    if kind == "funnel":
        st = res.ranked_reps["funnel_status"]
        n_up = int((st == FUNNEL_STATUS["above_998"]).sum())
        n_down = int((st == FUNNEL_STATUS["below_998"]).sum())
        n_pos = int(st.str.startswith("possible").sum())
        n_out = n_up + n_down
        if n_out == 0:
            title = _("No rep lies outside the 99.8% limits")
        elif n_up and n_down:
            title = ngettext(
                "{n} rep outside the 99.8% limits ({up} above, {down} below)",
                "{n} reps outside the 99.8% limits ({up} above, {down} below)",
                n_out,
            )
        elif n_up:
            title = ngettext(
                "{n} rep outside the 99.8% limits ({up} above)",
                "{n} reps outside the 99.8% limits ({up} above)",
                n_out,
            )
        else:
            title = ngettext(
                "{n} rep outside the 99.8% limits ({down} below)",
                "{n} reps outside the 99.8% limits ({down} below)",
                n_out,
            )
        title = title.format(n=n_out, up=n_up, down=n_down)
        if n_pos:
            title = _("{title}; {n} more possible (between the 95% and 99.8% limits)").format(
                title=title, n=n_pos
            )
        return title
    if kind == "attainment":
        a = res.attainment.set_index("threshold")
        if 1.0 in a.index:
            return _("{share} of reps reached quota; median attainment {median}").format(
                share=F.fmt_pct(a.loc[1.0, "share"], 0),
                median=F.fmt_pct(res.company["median_attainment"], 0),
            )
        return _("Quota attainment by rep")
    if kind == "balance":
        over = res.balance[res.balance["status"] == "overloaded"]
        if len(over):
            o = over.iloc[0]
            return _("{territory} carries {ratio}× the median lead load per rep").format(
                territory=o["territory"], ratio=F.fmt_num(o["ratio_to_median"], 1)
            )
        return _("Lead load per rep is balanced across territories")
    raise ParamsError(
        "kind", f"got {kind!r}", expected="'leaderboard', 'funnel', 'attainment' or 'balance'"
    )


# --------------------------------------------------------------------------- headline, sections


def headline(res: BenchmarkResult) -> str:
    """The one sentence for the index and the JSON header: the win rate and who stands out."""
    c = res.company
    if not c["closed"]:
        return _("No deal closed between {start} and {end}: no win rate to compare.").format(
            start=_fmt_date(res.period_start), end=_fmt_date(res.period_end_eff)
        )
    fields = {
        "rate": F.fmt_pct_ci(c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"]),
        "closed": F.fmt_int(c["closed"]),
        "m": res.n_compared,
    }
    if res.n_compared >= 2:
        n_up = res.recognition[res.recognition["metric"] == "win_rate"]["rep_id"].nunique()
        n_down = res.coaching[res.coaching["metric"] == "win_rate"]["rep_id"].nunique()
        if n_up + n_down:
            return _(
                "Win rate {rate} on {closed} closed deals; of {m} reps, {up} clearly above and "
                "{down} clearly below the company rate."
            ).format(up=n_up, down=n_down, **fields)
        return _(
            "Win rate {rate} on {closed} closed deals; no one of the {m} reps stands out once "
            "sample size is counted."
        ).format(**fields)
    return ngettext(
        "Win rate {rate} on {closed} closed deal.",
        "Win rate {rate} on {closed} closed deals.",
        c["closed"],
    ).format(**fields)
