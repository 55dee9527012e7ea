"""Tables of an experiment report: effects, guardrails, per-arm values, robustness, sequential
read-out, data quality (the tables half of the words of
:class:`~salesops_lib.analyses.experiment.ExperimentResult`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._format import (
    _fmt_ci,
    _fmt_diff,
    _fmt_prob,
    _fmt_value,
    _g,
    _level_txt,
    _signed_pct,
    _units,
)
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.i18n import _
from salesops_lib.viz.format import (
    fmt_date,
    fmt_days,
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_pp,
)
from salesops_lib.viz.html import (
    Blocks,
    Heading,
    Note,
    Table,
)


class ExperimentTables:
    """The tables of :class:`ExperimentResult` (mixed in; reads only its fields)."""

    def effects_table(self, *, role: str | None = None) -> Any:
        """Detail table of the primary and secondary metrics, formatted for the report.

        Guardrails have their own table with their own interval (:meth:`guardrail_table`);
        ``role="guardrail"`` returns that table. Capped value metrics show the capped mean with
        the uncapped mean next to it.
        """

        if role == "guardrail":
            return self.guardrail_table()
        eff = self.effects[self.effects["role"] != "guardrail"]
        if role is not None:
            eff = eff[eff["role"] == role]
        main_level = float(self.primary_effects()["ci_level"].iloc[0])
        head = _("Interval ({level})").format(level=_level_txt(main_level))
        rows = []
        notes: list[str] = []
        for r in eff.to_dict("records"):
            s = self.spec(r["metric"])
            tte = s.kind == "time_to_event"
            if tte and not (_finite(r["control_value"]) and _finite(r["variant_value"])):
                rows.append(self._tte_share_row(s, r, head))
                d = self._tte_days(s)
                days = (
                    _("day {a} and day {b}").format(a=d[0], b=d[1])
                    if len(d) == 2
                    else _("day {day}").format(day=d[0])
                )
                note = _(
                    "{metric}: median not reached: fewer than half the {units} reached {event}. "
                    "The rows show the share that reached {event} by {days} and the log-rank p."
                ).format(
                    metric=s.name, units=_units(self.unit_label), event=s.event_label, days=days
                )
                if note not in notes:
                    notes.append(note)
                continue
            cv = (
                _fmt_value(s, r["control_value"], self.currency)
                if _finite(r["control_value"]) or not tte
                else _("not reached")
            )
            av = (
                _fmt_value(s, r["variant_value"], self.currency)
                if _finite(r["variant_value"]) or not tte
                else _("not reached")
            )
            name = r["metric"]
            if _finite(r.get("cap", np.nan)):
                name = f"{name}: {self._cap_label(s.name)}"
                unc = _("{value} (uncapped {uncapped})")
                cv = unc.format(
                    value=cv,
                    uncapped=_fmt_value(s, r["uncapped_control_value"], self.currency),
                )
                av = unc.format(
                    value=av,
                    uncapped=_fmt_value(s, r["uncapped_variant_value"], self.currency),
                )
            ci = _fmt_ci(s, r["abs_ci_low"], r["abs_ci_high"], self.currency)
            if abs(float(r["ci_level"]) - main_level) > 1e-9 and ci != _("interval not available"):
                ci += f" ({_level_txt(r['ci_level'])})"
            rows.append(
                {
                    _("Metric"): name,
                    _("Arm"): r["variant"],
                    _("Control"): cv,
                    _("Arm value"): av,
                    _("Difference"): _fmt_diff(s, r["abs_diff"], self.currency),
                    head: ci,
                    _("Relative"): _signed_pct(r["rel_lift"]) if _finite(r["rel_lift"]) else "—",
                    _("p (adjusted)"): fmt_p(r["p_value_adjusted"], prefix=False),
                    _("P(better)"): _fmt_prob(r["prob_beat_control"])
                    if _finite(r["prob_beat_control"])
                    else "—",
                }
            )
        df = pd.DataFrame(rows)
        return Table(df, formats={c: "text" for c in df.columns}, caption=" ".join(notes) or None)

    def _tte_share_row(self, s: MetricSpec, r: Mapping[str, Any], head: str) -> dict[str, str]:
        """Effects-table row of a time-to-event metric whose median is not reached: shares by day,
        log-rank p."""

        days = self._tte_days(s)

        def shares(arm: str) -> str:
            return "; ".join(
                _("{share} by day {day}").format(
                    share=fmt_pct(self._reached_by(s.name, arm, d)), day=d
                )
                for d in days
            )

        d_last = days[-1]
        diff = self._reached_by(s.name, r["variant"], d_last) - self._reached_by(
            s.name, self.control, d_last
        )
        return {
            _("Metric"): _("{metric}: share reached {event}").format(
                metric=s.name, event=s.event_label
            ),
            _("Arm"): r["variant"],
            _("Control"): shares(self.control),
            _("Arm value"): shares(r["variant"]),
            _("Difference"): _("{diff} by day {day}").format(diff=fmt_pp(diff), day=d_last),
            head: "—",
            _("Relative"): "—",
            _("p (adjusted)"): _("{p} (log-rank)").format(
                p=fmt_p(r["p_value_adjusted"], prefix=False)
            ),
            _("P(better)"): "—",
        }

    def guardrail_table(self) -> Any:
        """Guardrails: change, the non-inferiority interval, the worst case against the allowed
        change, result."""

        g = self.effects[self.effects["role"] == "guardrail"]
        if g.empty:
            return Note(_("No guardrail metric was set (params: guardrails)."))
        two = _level_txt(g["ni_ci_level"].iloc[0])
        one = _level_txt(g["ni_level"].iloc[0])
        rows = []
        for r in g.to_dict("records"):
            s = self.spec(r["metric"])
            allowed = (
                _("a fall of up to {margin}")
                if s.better_when_higher
                else _("a rise of up to {margin}")
            )
            rows.append(
                {
                    _("Guardrail"): r["metric"],
                    _("Arm"): r["variant"],
                    _("Control"): _fmt_value(s, r["control_value"], self.currency),
                    _("Arm value"): _fmt_value(s, r["variant_value"], self.currency),
                    _("Change"): _fmt_diff(s, r["abs_diff"], self.currency),
                    _("Interval ({level})").format(level=two): _fmt_ci(
                        s, r["ni_ci_low"], r["ni_ci_high"], self.currency
                    ),
                    _("Worst case ({level}, one-sided)").format(level=one): _fmt_diff(
                        s, r["ni_bound"], self.currency
                    ),
                    _("Allowed"): allowed.format(
                        margin=_fmt_diff(s, s.margin, self.currency).lstrip("+")
                    ),
                    _("Result"): _("held") if bool(r["guardrail_passed"]) else _("FAILED"),
                }
            )
        df = pd.DataFrame(rows)
        m = len(self.arms_order) - 1
        caption = (
            _(
                "A guardrail holds when its worst case stays within the allowed change. The worst "
                "case is the end of the {two} interval on the harmful side: a one-sided {one} "
                "bound (the {alpha} error rate split over the {m} arms compared with {control})."
            )
            if m > 1
            else _(
                "A guardrail holds when its worst case stays within the allowed change. The worst "
                "case is the end of the {two} interval on the harmful side: a one-sided {one} "
                "bound."
            )
        )
        return Table(
            df,
            formats={c: "text" for c in df.columns},
            caption=caption.format(
                two=two, one=one, alpha=_g(self.alpha), m=m, control=self.control
            ),
        )

    def arms_table(self, metric: str | None = None) -> Any:
        """Per-arm table of one metric (default: the primary)."""

        s = self.spec(metric) if metric else self.primary
        df = self.metric_arms[s.name]
        arm, units = _("Arm"), _("Units")
        if s.kind == "binary":
            t = pd.DataFrame(
                {
                    arm: df["variant"],
                    units: df["n"].map(fmt_int),
                    _("Converted"): df["conversions"].map(fmt_int),
                    _("Rate"): df["rate"].map(fmt_pct),
                    _("Interval"): [
                        f"{fmt_pct(lo)}–{fmt_pct(hi)}"
                        for lo, hi in zip(df["ci_low"], df["ci_high"], strict=True)
                    ],
                }
            )
            if s.primary and "planned_share" in self.arms:
                t[_("Planned share")] = self.arms["planned_share"].map(fmt_pct).to_numpy()
                t[_("Actual share")] = self.arms["actual_share"].map(fmt_pct).to_numpy()
        elif s.kind == "time_to_event":
            t = pd.DataFrame(
                {
                    arm: df["variant"],
                    units: df["n"].map(fmt_int),
                    _("With event"): df["events"].map(fmt_int),
                    _("Median"): df["median"].map(fmt_days),
                    _("Interval"): [
                        f"{fmt_days(lo)}–{fmt_days(hi)}" if _finite(lo) and _finite(hi) else "—"
                        for lo, hi in zip(df["median_ci_low"], df["median_ci_high"], strict=True)
                    ],
                    _("Reached by end of window"): df["share_with_event"].map(fmt_pct),
                }
            )
        else:
            t = pd.DataFrame({arm: df["variant"], units: df["n"].map(fmt_int)})
            if s.name in self.capping:
                t[self._cap_label(s.name).capitalize()] = [
                    _fmt_value(s, v, self.currency) for v in df["mean"]
                ]
                t[_("Mean, uncapped")] = [
                    _fmt_value(s, v, self.currency) for v in df["mean_uncapped"]
                ]
                t[_("Units capped")] = df["n_capped"].map(fmt_int)
            else:
                t[_("Mean")] = [_fmt_value(s, v, self.currency) for v in df["mean"]]
            t[_("Median")] = [_fmt_value(s, v, self.currency) for v in df["median"]]
            t[_("Share above zero")] = df["share_nonzero"].map(fmt_pct)
        return Table(t, formats={c: "text" for c in t.columns}, caption=s.describe())

    def robustness_table(self) -> Any | None:
        """Value / count metrics: Welch vs bootstrap vs Mann–Whitney vs CUPED, per arm."""

        main, uncapped = _("Main comparison"), _("Main comparison, without capping")
        boot, cuped = _("Bootstrap interval"), _("Adjusted for pre-period (CUPED)")
        vr, mw = _("Variance reduction"), _("Mann–Whitney")
        rows = []
        for r in self.effects.to_dict("records"):
            s = self.spec(r["metric"])
            if r["role"] == "guardrail":  # judged by their own interval (guardrail_table)
                continue
            if s.kind not in ("value", "count") and not _finite(r.get("cuped_diff", np.nan)):
                continue
            row = {
                _("Metric"): r["metric"],
                _("Arm"): r["variant"],
                main: f"{_fmt_diff(s, r['abs_diff'], self.currency)} "
                f"({_fmt_ci(s, r['abs_ci_low'], r['abs_ci_high'], self.currency)})",
            }
            if _finite(r.get("uncapped_diff", np.nan)):
                row[uncapped] = (
                    f"{_fmt_diff(s, r['uncapped_diff'], self.currency)} "
                    f"({_fmt_ci(s, r['uncapped_ci_low'], r['uncapped_ci_high'], self.currency)})"
                )
            if _finite(r.get("boot_ci_low", np.nan)):
                row[boot] = _fmt_ci(s, r["boot_ci_low"], r["boot_ci_high"], self.currency)
            if _finite(r.get("mann_whitney_p", np.nan)):
                row[mw] = fmt_p(r["mann_whitney_p"])
            if _finite(r.get("cuped_diff", np.nan)):
                row[cuped] = (
                    f"{_fmt_diff(s, r['cuped_diff'], self.currency)} "
                    f"({_fmt_ci(s, r['cuped_ci_low'], r['cuped_ci_high'], self.currency)})"
                )
                row[vr] = fmt_pct(r["variance_reduction"])
            rows.append(row)
        if not rows:
            return None
        df = pd.DataFrame(rows)
        cols = [_("Metric"), _("Arm"), main, uncapped, cuped, vr, boot, mw]
        df = df[[c for c in cols if c in df.columns] + [c for c in df.columns if c not in cols]]
        cap = "; ".join(
            _("{metric}: the main comparison, bootstrap and CUPED use the {cap}").format(
                metric=m, cap=self._cap_label(m)
            )
            for m in self.capping
        )
        return Table(
            df.fillna("—"),
            formats={c: "text" for c in df.columns},
            caption=(cap + ".") if cap else None,
        )

    def tables(self) -> Blocks:
        """Per-arm tables of every metric, one after the other (a single displayable block)."""

        blocks = []
        for m in [*self.metrics, *self.guardrails]:
            blocks.append(Heading(m.name, level=3))
            blocks.append(self.arms_table(m.name))
        return Blocks(blocks)

    def sequential_table(self) -> Any:
        """Always-valid read-out at the last weekly look, per arm (or a note when not requested)."""

        if self.sequential is None or self.sequential.empty:
            return Note(
                _(
                    "Sequential monitoring was not requested for this report; set "
                    "`sequential: true` with the test's plan to add it."
                )
            )
        p = self.primary
        sq = self.sequential
        m = int(sq["n_compared"].iloc[0])
        level = _level_txt(1 - float(sq["alpha_per_arm"].iloc[0]))
        p_head = (
            _("Always-valid p (adjusted for {m} arms)").format(m=m)
            if m > 1
            else _("Always-valid p")
        )
        rows = []
        for a, g in sq.groupby("variant", sort=False):
            last = g.iloc[-1]
            first = g.loc[g["reject"].astype(bool), "data_to"]
            rows.append(
                {
                    _("Arm"): a,
                    _("Weekly looks"): fmt_int(len(g)),
                    _("Last look: data to"): fmt_date(last["data_to"]),
                    _("Units (arm / control)"): f"{fmt_int(last['n_t'])} / {fmt_int(last['n_c'])}",
                    _("Difference"): _fmt_diff(p, last["diff"]),
                    _("Always-valid interval ({level})").format(level=level): _fmt_ci(
                        p, last["ci_low"], last["ci_high"]
                    ),
                    p_head: fmt_p(last["p_value_adjusted"], prefix=False),
                    _("First clear result: look with data to"): fmt_date(first.iloc[0])
                    if len(first)
                    else _("none"),
                }
            )
        df = pd.DataFrame(rows)
        caption = (
            _(
                "Valid however often the results were looked at: checking weekly does not raise "
                "the false-positive rate, with the error rate split over the {m} arms compared "
                "with {control}. Each look is labelled by the last day of data it includes."
            )
            if m > 1
            else _(
                "Valid however often the results were looked at: checking weekly does not raise "
                "the false-positive rate. Each look is labelled by the last day of data it "
                "includes."
            )
        )
        return Table(
            df,
            formats={c: "text" for c in df.columns},
            caption=caption.format(m=m, control=self.control),
        )

    def quality_table(self) -> Any:

        df = self.quality.to_frame()
        df["passed"] = df["passed"].map({True: _("passed"), False: _("FAILED")})
        check, result, status = _("Check"), _("Result"), _("Status")
        return Table(
            df.rename(columns={"check": check, "result": result, "passed": status}),
            formats={check: "text", result: "text", status: "text"},
        )
