"""Numbers of a benchmarking analysis: :class:`BenchmarkResult` (numbers only; words come from
:mod:`._narrative`, tables from :mod:`._narrative_tables`, charts from :mod:`._charts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib._jsonsafe import json_safe
from salesops_lib.analyses._base import Header, ResultBase, Section
from salesops_lib.analyses.benchmark import _charts as V
from salesops_lib.analyses.benchmark import _narrative as N
from salesops_lib.analyses.benchmark import _narrative_methods as NM
from salesops_lib.analyses.benchmark import _narrative_tables as NT
from salesops_lib.analyses.benchmark import _sections as S
from salesops_lib.analyses.benchmark._definitions import (
    _GROUP_RESULT_COLUMNS,
    _METRIC_PARTS,
    _REP_JSON_COLUMNS,
    METRICS,
    PARTS,
    UNKNOWN_REP,
)
from salesops_lib.analyses.benchmark._narrative import _period_label, _signed
from salesops_lib.analyses.benchmark._stats import intervals_overlap
from salesops_lib.data.period import Period
from salesops_lib.errors import ParamsError, SalesOpsError
from salesops_lib.i18n import _, ngettext
from salesops_lib.stats.proportions import newcombe_diff_interval
from salesops_lib.viz import format as F
from salesops_lib.viz.html import Banner, Blocks, Cards, Definitions, Summary

__all__ = ["BenchmarkResult"]


def _records(df: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows of ``df`` (the given columns) as plain-JSON records."""
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    return json_safe(df)


@dataclass
class BenchmarkResult(ResultBase):
    """Everything :func:`benchmark_reps` computes, with report helpers.

    Attributes
    ----------
    reps
        One row per rep (plus an :data:`UNKNOWN_REP` row for deals of owners missing from
        ``reps``): counts, rates with intervals, shrunk win rate and credible interval, rank
        interval, funnel-plot status, cycle, activity, quota and velocity figures.
    teams, regions, territories
        The same figures by group (counts pooled, not averages of rep rates).
    benchmarks
        Our company figure next to internal (median rep, top-quartile rep) and external
        benchmarks, with both definitions.
    attainment
        Share of reps at or above each attainment threshold, with Wilson intervals.
    balance
        Territory workload and potential per FTE rep; ``status`` names over/underloaded ones.
    lead_assignment
        Leads per rep per active selling day, and the rep's ratio to its territory's mean.
    recognition, coaching
        One row per (rep, reason): metric, value, benchmark, difference, certainty, direction,
        reason. Win-rate rows only for reps clearly above/below the company rate, i.e. past
        ``clear_certainty`` (the per-rep ``certainty`` adjusted for the ``n_compared`` reps).
    watch
        Reps *probably* above/below the company win rate: past ``certainty`` but short of
        ``clear_certainty``. Not named as top performers or as needing support.
    uncredited
        Deals (and activities) dated outside their owner's employment (closed after the owner
        left or before they were hired): counts, won amount, close dates, owners. Not credited to
        any rep nor counted in team or company figures; reported in ``warnings``.
    funnel
        Control limits on a grid of deal counts (for the funnel plot).
    company
        Company-wide figures (win rate, cycle, attainment, …) as a dict.
    data_warnings
        Data-quality messages for the report banner (e.g. owners missing from ``reps``); also
        :meth:`warnings` and the ``warnings`` of the results.
    not_available
        Parts of the analysis the data cannot support (a key of :data:`PARTS`: "attainment"
        without quotas, "activities" without activities, "territory_balance" and
        "lead_assignment" without leads, "teams"/"regions"/"territories" without that column in
        ``reps``, amount-based figures when deals carry no amount) → ``what``, a short
        ``reason`` and the ``note`` shown in place of the part. Their figures are NaN (never
        0), their frames empty, and they are left out of the summary and the cards.
    previous
        The same analysis for the previous period of the same length (see
        :func:`~salesops_lib.data.period.Period.previous`), or None when it was
        not computed; :meth:`comparison` sets the card figures against it.
    """

    reps: pd.DataFrame
    teams: pd.DataFrame
    regions: pd.DataFrame
    territories: pd.DataFrame
    benchmarks: pd.DataFrame
    attainment: pd.DataFrame
    balance: pd.DataFrame
    lead_assignment: pd.DataFrame
    recognition: pd.DataFrame
    coaching: pd.DataFrame
    watch: pd.DataFrame
    funnel: pd.DataFrame
    company: dict[str, Any]
    period_start: dt.date
    period_end: dt.date
    as_of: pd.Timestamp
    level: str = "rep"
    min_closed: int = 30
    certainty: float = 0.95
    clear_certainty: float = 0.998
    n_compared: int = 0
    alpha: float = 0.05
    ramp_schedule: tuple[float, ...] = ()
    quota_basis: str = "full"
    attainment_thresholds: tuple[float, ...] = (0.8, 1.0, 1.2)
    overload_ratio: float = 1.5
    unknown_owners: list[str] = field(default_factory=list)
    data_warnings: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    has_acv: bool = False
    uncredited: dict[str, Any] = field(default_factory=dict)
    working_days: int = 0
    benchmarks_file: str | None = None
    not_available: dict[str, dict[str, str]] = field(default_factory=dict)
    previous: BenchmarkResult | None = None
    currency: str = "USD"
    source: Any = None

    ANALYSIS = "benchmark"
    PLOT_KINDS = ("leaderboard", "funnel", "attainment", "balance")

    # ---------------------------------------------------------------- frames

    def to_frame(self, level: str | None = None) -> pd.DataFrame:
        """The figures at ``level`` ("rep", "team", "region", "territory"; default: ``.level``)."""
        lvl = level or self.level
        return {
            "rep": self.reps,
            "team": self.teams,
            "region": self.regions,
            "territory": self.territories,
        }[lvl].copy()

    @property
    def ranked_reps(self) -> pd.DataFrame:
        """Known reps with closed deals, sorted by shrunk win rate (best first)."""
        r = self.reps[(self.reps["rep_id"] != UNKNOWN_REP) & (self.reps["closed"] > 0)]
        return r.sort_values("shrunk_win_rate", ascending=False).reset_index(drop=True)

    def available(self, part: str) -> bool:
        """Whether the data support ``part`` (a key of :data:`PARTS`, e.g. ``"attainment"``)."""
        if part not in PARTS:
            raise ParamsError("part", f"got {part!r}", expected=", ".join(map(repr, PARTS)))
        return part not in self.not_available

    def _metric_available(self, metric: str) -> bool:
        return not any(p in self.not_available for p in _METRIC_PARTS.get(metric, ()))

    @property
    def period_end_eff(self) -> dt.date:
        return min(self.period_end, self.as_of.date())

    def _at_quota(self) -> pd.Series | None:
        """The attainment row at 100% (None when attainment is not available or no rep has a
        quota)."""
        if not self.available("attainment") or self.attainment.empty:
            return None
        att = self.attainment.set_index("threshold")
        if 1.0 not in att.index or not att.loc[1.0, "n_reps"] > 0:
            return None
        return att.loc[1.0]

    @property
    def previous_label(self) -> str | None:
        """The previous period in words ("Oct 2024–Sep 2025"), None without one."""
        p = self.previous
        if p is None:
            return None
        return _period_label(p.period_start, p.period_end_eff)

    def comparison(self) -> pd.DataFrame:
        r"""The card figures against the previous period of the same length.

        One row per figure that both periods support (a figure is left out when the previous
        period has no data for it or the needed table is missing):

        - ``win_rate``, ``share_at_quota``: difference of two proportions in percentage points
          with Newcombe's hybrid score interval (method 10,
          :func:`~salesops_lib.stats.proportions.newcombe_diff_interval`); better or worse only
          when the interval excludes 0. For ``share_at_quota`` the two periods mostly share
          reps, so the independent-samples interval is conservative only approximately.
        - ``cycle_median_days`` (Kaplan–Meier medians, Brookmeyer–Crowley intervals) and
          ``activities_per_day`` (per-rep ratio intervals): better or worse only when the two
          95% intervals do not overlap (a conservative rule, Schenker & Gentleman 2001).

        Returns
        -------
        pandas.DataFrame
            ``metric, label, unit, better, current, current_low, current_high, previous,
            previous_low, previous_high, change, change_low, change_high, clear, good,
            delta_text``; ``change = current − previous``; ``clear`` is True when the change is
            more than chance by the rule above; ``good`` is True (better), False (worse) or
            None (within chance); ``delta_text`` is the card's text, e.g. ``"+4.2 pp vs Oct
            2024–Sep 2025 (31.0%)"`` with ", within chance" when not clear.
        """

        cols = [
            "metric",
            "label",
            "unit",
            "better",
            "current",
            "current_low",
            "current_high",
            "previous",
            "previous_low",
            "previous_high",
            "change",
            "change_low",
            "change_high",
            "clear",
            "good",
            "delta_text",
        ]
        p = self.previous
        if p is None:
            return pd.DataFrame(columns=cols)
        c, pc = self.company, p.company
        label = self.previous_label
        rows: list[dict[str, Any]] = []

        def add(
            metric: str,
            cur: tuple[float, float, float],
            prev: tuple[float, float, float],
            change: tuple[float, float, float],
            clear: bool,
        ) -> None:
            better = METRICS[metric].better
            diff = change[0]
            good = (diff > 0 if better == "higher" else diff < 0) if clear and diff != 0 else None
            unit = METRICS[metric].unit
            if unit == "share":
                text = _("{diff} vs {period} ({previous})").format(
                    diff=F.fmt_pp(diff), period=label, previous=F.fmt_pct(prev[0])
                )
            elif unit == "days":
                signed = _signed(diff, 0)
                text = ngettext(
                    "{diff} day vs {period} ({previous})",
                    "{diff} days vs {period} ({previous})",
                    1 if signed.lstrip("+−-") == "1" else 2,
                ).format(diff=signed, period=label, previous=F.fmt_days(prev[0]))
            else:
                text = _("{diff} vs {period} ({previous})").format(
                    diff=_signed(diff, 1), period=label, previous=F.fmt_num(prev[0], 1)
                )
            if good is None:
                text = _("{change}, within chance").format(change=text)
            rows.append(
                {
                    "metric": metric,
                    "label": METRICS[metric].label,  # a code, as in the JSON results
                    "unit": unit,
                    "better": better,
                    "current": cur[0],
                    "current_low": cur[1],
                    "current_high": cur[2],
                    "previous": prev[0],
                    "previous_low": prev[1],
                    "previous_high": prev[2],
                    "change": diff,
                    "change_low": change[1],
                    "change_high": change[2],
                    "clear": bool(clear),
                    "good": good,
                    "delta_text": text,
                }
            )

        def props(
            metric: str,
            x1: float,
            n1: float,
            x0: float,
            n0: float,
            cur: tuple[float, float, float],
            prev: tuple[float, float, float],
        ) -> None:
            d, lo, hi = newcombe_diff_interval(x1, n1, x0, n0, alpha=self.alpha)
            add(metric, cur, prev, (d, lo, hi), bool(lo > 0 or hi < 0))

        if c["closed"] and pc["closed"]:
            props(
                "win_rate",
                c["won"],
                c["closed"],
                pc["won"],
                pc["closed"],
                (c["win_rate"], c["win_rate_ci_low"], c["win_rate_ci_high"]),
                (pc["win_rate"], pc["win_rate_ci_low"], pc["win_rate_ci_high"]),
            )
        if not (pd.isna(c["cycle_median_days"]) or pd.isna(pc["cycle_median_days"])):
            cur = (c["cycle_median_days"], c["cycle_ci_low"], c["cycle_ci_high"])
            prev = (pc["cycle_median_days"], pc["cycle_ci_low"], pc["cycle_ci_high"])
            add(
                "cycle_median_days",
                cur,
                prev,
                (cur[0] - prev[0], np.nan, np.nan),
                intervals_overlap(cur[1], cur[2], prev[1], prev[2]) is False,
            )
        a, pa = self._at_quota(), p._at_quota()
        if a is not None and pa is not None:
            props(
                "share_at_quota",
                a["n_at_or_above"],
                a["n_reps"],
                pa["n_at_or_above"],
                pa["n_reps"],
                (a["share"], a["ci_low"], a["ci_high"]),
                (pa["share"], pa["ci_low"], pa["ci_high"]),
            )
        if (
            self.available("activities")
            and p.available("activities")
            and not pd.isna(c["activities_per_day"])
            and not pd.isna(pc["activities_per_day"])
        ):
            cur = (c["activities_per_day"], c["activities_ci_low"], c["activities_ci_high"])
            prev = (pc["activities_per_day"], pc["activities_ci_low"], pc["activities_ci_high"])
            add(
                "activities_per_day",
                cur,
                prev,
                (cur[0] - prev[0], np.nan, np.nan),
                intervals_overlap(cur[1], cur[2], prev[1], prev[2]) is False,
            )
        out = pd.DataFrame(rows, columns=cols)
        out["good"] = pd.Series([r["good"] for r in rows], index=out.index, dtype=object)
        return out

    def _external(self, metric: str) -> pd.Series | None:
        """The first external benchmark of ``metric`` that may be compared with ours: not a
        placeholder and declared like-for-like (``comparable``); None otherwise."""
        b = self.benchmarks
        ok = b["comparable"].astype(bool) if "comparable" in b.columns else True
        e = b[(b["metric"] == metric) & (b["kind"] == "external") & ok]
        return e.iloc[0] if len(e) else None

    def _results(self) -> dict[str, Any]:
        """The ``results`` for ``NAME.json`` (JSON-safe: NaN → ``None``).

        Parts the data cannot support are ``None`` (``attainment``, ``territory_balance``,
        ``teams``, ``regions``, ``territories``) or have ``None`` figures, never 0, and
        ``not_available`` says why (part → ``what``, ``reason``, ``note``)."""
        grp_cols = ["n_reps", *_GROUP_RESULT_COLUMNS[1:]]

        def part(name: str, value: Any) -> Any:
            return None if name in self.not_available else value

        return {
            "period": {
                "start": self.period_start.isoformat(),
                "end": self.period_end_eff.isoformat(),
                "as_of": self.as_of.isoformat(),
            },
            "company": {k: json_safe(v) for k, v in self.company.items()},
            "reps": _records(self.reps, _REP_JSON_COLUMNS),
            "teams": part("teams", _records(self.teams, ["team", *grp_cols])),
            "regions": part("regions", _records(self.regions, ["region", *grp_cols])),
            "territories": part(
                "territories", _records(self.territories, ["territory", *grp_cols])
            ),
            "benchmarks": _records(
                self.benchmarks,
                [
                    "metric",
                    "value",
                    "benchmark",
                    "benchmark_source",
                    "kind",
                    "year",
                    "unit",
                    "benchmark_definition",
                    "kit_definition",
                    "placeholder",
                    "like_for_like",
                    "differences",
                    "comparable",
                ],
            ),
            "attainment": part("attainment", _records(self.attainment)),
            "territory_balance": part("territory_balance", _records(self.balance)),
            "recognition": _records(self.recognition),
            "coaching": _records(self.coaching),
            "watch": _records(self.watch),
            "multiplicity": {
                "per_rep_certainty": self.certainty,
                "clear_certainty": self.clear_certainty,
                "reps_compared": self.n_compared,
                "method": "bonferroni",
            },
            "uncredited_deals": {
                k: (
                    json_safe(v)
                    if k != "owners"
                    else [{"rep_id": r, "closed": int(n)} for r, n in v]
                )
                for k, v in self.uncredited.items()
            },
            "unknown_owners": list(self.unknown_owners),
            "warnings": list(self.data_warnings),
            "notes": [N.placeholder_note(self)] if N.placeholder_note(self) else [],
            "not_available": {k: dict(v) for k, v in self.not_available.items()},
            "previous_period": None
            if self.previous is None
            else {
                "start": self.previous.period_start.isoformat(),
                "end": self.previous.period_end_eff.isoformat(),
                "as_of": self.previous.as_of.isoformat(),
            },
            "company_previous": None
            if self.previous is None
            else {k: json_safe(v) for k, v in self.previous.company.items()},
            "comparison": _records(self.comparison()),
        }

    # ---------------------------------------------------------------- the surface
    @property
    def period(self) -> Period:
        """The analysis period as it was counted (ending at the as-of date when still running)."""
        return Period(self.period_start, self.period_end_eff, self.as_of)

    def warnings(self) -> list[str]:
        """The data-quality messages (the benchmarks placeholder note is in ``notes``)."""
        return list(self.data_warnings)

    def headline(self) -> str:
        return N.headline(self)

    def summary(self) -> Summary:
        return Summary(N.summary_sentences(self))

    def banners(self) -> list[Banner]:
        return N.banners(self)

    def cards(self) -> Cards:
        return N.cards(self)

    def tables(self) -> Blocks:
        return Blocks(NT.detail_tables(self))

    def methods(self) -> Definitions:
        return NM.definitions(self)

    def sections(self) -> list[Section]:
        return S.sections(self)

    def header(self) -> Header:
        return Header(
            analysis=self.ANALYSIS,
            headline=self.headline(),
            as_of=self.as_of,
            n=self.n_compared,
            n_label=_("reps compared"),
            period=self.period,
            warnings=self.warnings(),
        )

    # ---------------------------------------------------------------- charts
    def _need_compared(self) -> None:
        """Leaderboard and funnel plot compare reps: at least two must have closed deals."""
        if self.n_compared < 2:
            raise SalesOpsError(
                _("Only one rep closed deals in the period, so there is no one to compare with.")
                if self.n_compared == 1
                else _("No rep closed deals in the period, so there is no one to compare with."),
                fix="choose a longer period, or check res.n_compared before plotting",
            )

    def _plot_leaderboard(self, *, ax: Any = None) -> Any:
        self._need_compared()
        w = self.watch[self.watch["metric"] == "win_rate"] if len(self.watch) else self.watch
        return V.plot_leaderboard(
            self.ranked_reps,
            company_rate=self.company["reference_win_rate"],
            small_n=self.min_closed,
            ax=ax,
            title=N.chart_headline(self, "leaderboard"),
            above=list(self.recognition.loc[self.recognition["metric"] == "win_rate", "rep_id"]),
            below=list(self.coaching.loc[self.coaching["metric"] == "win_rate", "rep_id"]),
            watch=dict(zip(w["rep_id"], w["direction"], strict=True)) if len(w) else None,
        )

    def _plot_funnel(self, *, ax: Any = None) -> Any:
        self._need_compared()
        return V.plot_funnel(
            self.ranked_reps,
            self.funnel,
            p0=self.company["reference_win_rate"],
            small_n=self.min_closed,
            ax=ax,
            title=N.chart_headline(self, "funnel"),
        )

    def _need(self, part: str) -> None:
        if not self.available(part):
            raise SalesOpsError(
                self.not_available[part]["note"].replace("`", ""),
                fix=f"check res.available({part!r}) before plotting",
            )

    def _plot_attainment(self, *, ax: Any = None) -> Any:
        self._need("attainment")
        return V.plot_attainment(
            self.reps[self.reps["quota_adjusted"] > 0],
            thresholds=self.attainment_thresholds,
            ax=ax,
            title=N.chart_headline(self, "attainment"),
        )

    def _plot_balance(self, *, ax: Any = None) -> Any:
        self._need("territory_balance")
        return V.plot_territory_balance(
            self.balance, ax=ax, title=N.chart_headline(self, "balance")
        )
