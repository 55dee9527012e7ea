"""Words of an A/B experiment: formatting, headline, summary, banners, cards, tables, methods.

The numbers live in :mod:`._result`; :class:`ExperimentNarrative` is the words half of
:class:`~salesops_lib.analyses.experiment.ExperimentResult` (it reads only the result's fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._format import (
    _a_pct,
    _fmt_ci,
    _fmt_diff,
    _fmt_prob,
    _fmt_value,
    _level_txt,
    _pp_words,
)
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.viz.format import (
    count_noun,
    fmt_days,
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
    plural,
)
from salesops_lib.viz.html import (
    Banner,
    Blocks,
    Card,
    Cards,
    Heading,
    Note,
    Summary,
    Table,
)

#: The sample-ratio check's threshold (``sample_ratio_test``'s default): it runs on every test.
SRM_ALPHA = 0.001
#: Share of units found in more than one arm from which the data note becomes a warning.
MULTI_ASSIGNED_WARN = 0.01


# --------------------------------------------------------------------------- result object


class ExperimentNarrative:
    """The words of :class:`ExperimentResult` (mixed in; reads only its fields)."""

    def headline(self) -> str:
        """The one sentence for the index and the JSON header: the verdict with its number and
        interval, e.g. "Ship fast_followup: +5.1 pp SQL within 30 days (+3.1 to +7.2 pp)"."""
        v, p = self.verdict, self.primary
        if v.decision == "ship" and v.arm is not None:
            r = self.primary_effects().set_index("variant").loc[v.arm]
            cur = self.currency
            return (
                f"Ship {v.arm}: {_fmt_diff(p, r['abs_diff'], cur)} {p.name} "
                f"({_fmt_diff(p, r['abs_ci_low'], cur)} to {_fmt_diff(p, r['abs_ci_high'], cur)})."
            )
        return self.chart_title() + "."

    def chart_title(self) -> str:
        """One line stating the finding on the primary metric (the forest plot's title)."""
        p = self.primary
        v = self.verdict
        eff = self.primary_effects().set_index("variant")
        if v.decision == "ship" and v.arm is not None:
            r = eff.loc[v.arm]
            word = "lifts" if r["abs_diff"] > 0 else "lowers"
            rest = [a for a in eff.index if a != v.arm]
            tail = ""
            if rest:
                unclear = [a for a in rest if not bool(eff.loc[a, "significant"])]
                if unclear:
                    tail = f"; {', '.join(unclear)} cannot be told apart from {self.control}"
            return f"{v.arm} {word} {p.name} by {_fmt_diff(p, abs(r['abs_diff']), self.currency).lstrip('+')}{tail}"
        if v.decision == "do not ship":
            return f"No arm beats {self.control} on {p.name}"
        return f"We cannot tell yet whether any arm beats {self.control} on {p.name}"

    def _sentences(self) -> list[str]:
        """The answer first: 3–5 plain sentences, each number with its interval and comparison."""

        p, v, c = self.primary, self.verdict, self.control
        eff = self.primary_effects().set_index("variant")
        ma = self.metric_arms[p.name].set_index("variant")
        out: list[str] = []

        shares = self.median_not_reached(p.name)
        by = f"by day {self._tte_days(p)[-1]}" if shares else ""

        def arm_value(a: str) -> str:
            if p.kind == "binary":
                r = ma.loc[a]
                return fmt_pct_ci(r["rate"], r["ci_low"], r["ci_high"])
            if shares:  # no median in some arm: the share that reached the event
                return f"{fmt_pct(self._reached_by(p.name, a, self._tte_days(p)[-1]))} {by}"
            v_ = _fmt_value(
                p,
                eff.loc[a, "variant_value"] if a != c else eff["control_value"].iloc[0],
                self.currency,
            )
            return v_ + (" (capped mean)" if p.name in self.capping else "")

        if v.decision == "ship" and v.arm is not None:
            r = eff.loc[v.arm]
            out.append(
                f"Recommendation: ship {v.arm}. {p.name} was {arm_value(v.arm)} with {v.arm} against "
                f"{arm_value(c)} with {c}, a difference of {_fmt_diff(p, r['abs_diff'], self.currency)} "
                f"({_fmt_ci(p, r['abs_ci_low'], r['abs_ci_high'], self.currency)})."
            )
        elif v.decision == "do not ship":
            out.append(f"Recommendation: do not ship. {v.reason}")
        else:
            out.append(f"Recommendation: inconclusive — we cannot tell yet. {v.reason}")
        rest = [a for a in eff.index if a != v.arm or v.decision != "ship"]
        parts = []
        for a in rest:
            r = eff.loc[a]
            if bool(r["significant"]):
                judge = "clearly better than" if bool(r["better"]) else "clearly worse than"
            else:
                judge = "we cannot tell it apart from"
            if shares:
                diff = self._reached_by(p.name, a, self._tte_days(p)[-1]) - self._reached_by(
                    p.name, c, self._tte_days(p)[-1]
                )
                parts.append(
                    f"{a}: {arm_value(a)}, {fmt_pp(diff)} "
                    f"(log-rank {fmt_p(r['p_value_adjusted'])}) — {judge} {c}"
                )
                continue
            parts.append(
                f"{a}: {arm_value(a)}, {_fmt_diff(p, r['abs_diff'], self.currency)} "
                f"({_fmt_ci(p, r['abs_ci_low'], r['abs_ci_high'], self.currency)}) — {judge} {c}"
            )
        if shares:
            out.append(
                f"{p.name}: fewer than half the {plural(self.unit_label)} reached "
                f"{p.event_label} in {'every arm' if ma['median'].isna().all() else 'some arms'}, "
                f"so the arms are compared by the share that reached it {by}."
            )
        if parts and (v.decision == "ship" or len(rest) > 0):
            out.append(
                ("Against " + c + " (" + arm_value(c) + "): " if v.decision != "ship" else "")
                + "; ".join(parts)
                + "."
            )
        if (
            v.decision == "ship"
            and v.arm is not None
            and _finite(eff.loc[v.arm, "prob_beat_control"])
        ):
            pb_txt = _fmt_prob(eff.loc[v.arm, "prob_beat_control"], words=True)
            out.append(
                f"Given the data, the chance that {v.arm} is truly better than {c} is {pb_txt}."
            )
        for g in self.guardrails:
            ge = self.effects[(self.effects["metric"] == g.name)]
            if v.arm is not None and v.decision == "ship":
                ge = ge[ge["variant"] == v.arm]
            if ge.empty:
                continue
            failed = ge[~ge["guardrail_passed"].astype(bool)]
            worst = failed.iloc[0] if len(failed) else ge.iloc[0]
            bound = worst["ni_bound"]
            move = "rise" if not g.better_when_higher else "fall"
            margin = _fmt_diff(g, g.margin, self.currency).lstrip("+")
            if len(failed):
                arms = list(failed["variant"])
                who = (
                    f"{worst['variant']}: it"
                    if len(arms) == 1
                    else f"{', '.join(arms[:-1])} and {arms[-1]}; for {worst['variant']} it"
                )
                out.append(
                    f"Guardrail {g.name} failed for {who} changed by {_fmt_diff(g, worst['abs_diff'], self.currency)}, "
                    f"and in the worst case the data allow it could {move} by {_fmt_diff(g, bound, self.currency).lstrip('+−')} "
                    f"(allowed: {margin})."
                )
            else:
                harm = float(bound) if not g.better_when_higher else -float(bound)
                worst_txt = (
                    f"{move} by no more than {_fmt_diff(g, bound, self.currency).lstrip('+−')}"
                    if harm > 0
                    else f"not {move} at all"
                )
                out.append(
                    f"Guardrail {g.name} held: {_fmt_diff(g, worst['abs_diff'], self.currency)} for {worst['variant']}; "
                    f"even in the worst case the data allow, it would {worst_txt} (allowed: {margin})."
                )
            break
        q = self.quality
        if not q.srm_failed:
            dq = (
                f"Arm sizes are borderline against the plan ({fmt_p(q.srm.p_value)}; the check "
                f"flags only p < {SRM_ALPHA:g}, since a small p also turns up by chance): not "
                "a failure, but check the assignment if it persists"
                if q.srm.p_value < 0.05
                else f"Arm sizes match the plan ({fmt_p(q.srm.p_value)})"
            )
            if q.n_multi_assigned:
                k = q.n_multi_assigned
                dq += f"; {count_noun(k, self.unit_label)} assigned to more than one arm {'were' if k != 1 else 'was'} left out"
            out.append(dq + ".")
        # plain words: "percentage points" in sentences (tables and charts keep "pp", defined in the methods)
        return [_pp_words(x) for x in out[:5]]

    def _interval_sentence(self) -> str:
        """Which ranges in the summary are which intervals, in plain words."""
        p = self.primary
        eff = self.primary_effects()
        d_level = _level_txt(eff["ci_level"].iloc[0])
        a_level = _level_txt(1 - self.alpha)
        m = len(self.arms_order) - 1
        why = (
            f" (wider because {m} arms are each compared with {self.control})"
            if m > 1 and d_level != a_level
            else ""
        )
        if p.kind == "binary" and d_level != a_level:
            return (
                f"Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} intervals "
                f"for differences from {self.control}{why}."
            )
        if p.kind == "binary":
            return f"Ranges in brackets are {a_level} intervals."
        return (
            f"Ranges in brackets are {d_level} intervals for differences from {self.control}{why}."
        )

    # ---------------------------------------------------------------- machine-readable
    def banners(self) -> list[Banner]:
        """A warning :class:`~salesops_lib.viz.html.Banner` when a data-quality check failed."""
        q = self.quality
        probs = q.problems
        if not probs:
            return []
        # scale the warning to the harm: a broken split is an error; a few units in two arms,
        # left out, is a note
        imbalanced = q.balance is not None and q.balance.failed
        share = q.n_multi_assigned / max(q.n_units + q.n_multi_assigned, 1)
        if q.srm_failed:
            level, title = "error", "Data-quality check failed:"
        elif imbalanced or share >= MULTI_ASSIGNED_WARN:
            level, title = "warning", "Data-quality warning:"
        else:
            level, title = "info", "Data note:"
        return [Banner(probs, level=level, title=title)]

    def summary(self) -> Summary:
        """The answer first: verdict, effect with its interval, certainty, caveats."""
        return Summary(self._sentences())

    def cards(self) -> Any:
        """Key-number cards: control and best arm on the primary metric, the difference, certainty, size."""

        p, c = self.primary, self.control
        eff = self.primary_effects()
        ma = self.metric_arms[p.name].set_index("variant")
        best = self.verdict.arm if self.verdict.arm is not None else None
        shares = self.median_not_reached(p.name)
        if best is None:
            sign = 1 if p.better_when_higher else -1
            # time to event without a median: a higher share reached is faster
            score = -sign * eff["share_diff"] if shares else sign * eff["abs_diff"]
            score = score.astype(float)
            best = str(eff.loc[score.idxmax() if score.notna().any() else eff.index[0], "variant"])
        r = eff.set_index("variant").loc[best]
        cards = []
        if shares:
            day = self._tte_days(p)[-1]
            sc, sb = self._reached_by(p.name, c, day), self._reached_by(p.name, best, day)
            cards.append(Card(f"Reached {p.event_label} by day {day}: {c}", fmt_pct(sc)))
            cards.append(
                Card(
                    f"Reached {p.event_label} by day {day}: {best}",
                    fmt_pct(sb),
                    delta=f"{fmt_pp(sb - sc)} vs {c}",
                    good=bool(r["better"]) if bool(r["significant"]) else None,
                    detail=f"log-rank {fmt_p(r['p_value_adjusted'])}",
                )
            )
        elif p.kind == "binary":
            cards.append(
                Card(
                    f"{p.name}: {c}",
                    fmt_pct(ma.loc[c, "rate"]),
                    detail=f"{fmt_pct_ci(ma.loc[c, 'rate'], ma.loc[c, 'ci_low'], ma.loc[c, 'ci_high']).split(' ', 1)[1]}, n = {fmt_int(ma.loc[c, 'n'])}",
                )
            )
            good = bool(r["better"]) if bool(r["significant"]) else None
            cards.append(
                Card(
                    f"{p.name}: {best}",
                    fmt_pct(ma.loc[best, "rate"]),
                    delta=f"{_fmt_diff(p, r['abs_diff'])} vs {c}",
                    good=good,
                    detail=f"{fmt_pct_ci(ma.loc[best, 'rate'], ma.loc[best, 'ci_low'], ma.loc[best, 'ci_high']).split(' ', 1)[1]}, n = {fmt_int(ma.loc[best, 'n'])}",
                )
            )
        else:
            cards.append(Card(f"{p.name}: {c}", _fmt_value(p, r["control_value"], self.currency)))
            cards.append(
                Card(
                    f"{p.name}: {best}",
                    _fmt_value(p, r["variant_value"], self.currency),
                    delta=f"{_fmt_diff(p, r['abs_diff'], self.currency)} vs {c}",
                    good=bool(r["better"]) if bool(r["significant"]) else None,
                )
            )
        rel = r["rel_lift"]
        if _finite(rel):  # no card that only says "—"
            cards.append(
                Card(
                    f"Relative change, {best} vs {c}",
                    f"{100 * rel:+.1f}%".replace("-", "−"),
                    detail=(
                        f"{100 * r['rel_ci_low']:+.1f}% to {100 * r['rel_ci_high']:+.1f}%".replace(
                            "-", "−"
                        )
                        if _finite(r["rel_ci_low"]) and _finite(r["rel_ci_high"])
                        else None
                    ),
                )
            )
        if _finite(r.get("prob_beat_control", np.nan)):
            cards.append(
                Card(
                    f"Chance {best} is truly better",
                    _fmt_prob(r["prob_beat_control"]),
                    detail="given these results",
                )
            )
        n_units = (
            int(self.arms["n_assigned"].sum())
            if "n_assigned" in self.arms
            else int(self.arms["n"].sum())
        )
        cards.append(
            Card(
                f"{plural(self.unit_label).capitalize()} in the test",
                fmt_int(n_units),
                detail=f"{len(self.arms_order)} arms; {fmt_int(self.quality.n_multi_assigned)} excluded (in two arms)",
            )
        )
        cards.append(
            Card(
                "Verdict",
                self.verdict.decision.capitalize()
                + (f" {best}" if self.verdict.decision == "ship" else ""),
                good=True if self.verdict.decision == "ship" else None,
            )
        )
        return Cards(cards[:6])

    def _cap_label(self, name: str) -> str:
        """``"capped mean (values above $79,934 capped)"`` for a capped metric, else ``""``."""
        cap = self.capping.get(name)
        if not cap:
            return ""
        s = self.spec(name)
        return f"capped mean (values above {_fmt_value(s, cap['cap'], self.currency)} capped)"

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
        head = f"Interval ({_level_txt(main_level)})"
        rows = []
        notes: list[str] = []
        for r in eff.to_dict("records"):
            s = self.spec(r["metric"])
            tte = s.kind == "time_to_event"
            if tte and not (_finite(r["control_value"]) and _finite(r["variant_value"])):
                rows.append(self._tte_share_row(s, r, head))
                days = " and ".join(f"day {d}" for d in self._tte_days(s))
                note = (
                    f"{s.name}: median not reached: fewer than half the {plural(self.unit_label)} reached {s.event_label}. The rows show the "
                    f"share that reached {s.event_label} by {days} and the log-rank p."
                )
                if note not in notes:
                    notes.append(note)
                continue
            cv = (
                _fmt_value(s, r["control_value"], self.currency)
                if _finite(r["control_value"]) or not tte
                else "not reached"
            )
            av = (
                _fmt_value(s, r["variant_value"], self.currency)
                if _finite(r["variant_value"]) or not tte
                else "not reached"
            )
            name = r["metric"]
            if _finite(r.get("cap", np.nan)):
                name = f"{name}: {self._cap_label(s.name)}"
                cv += f" (uncapped {_fmt_value(s, r['uncapped_control_value'], self.currency)})"
                av += f" (uncapped {_fmt_value(s, r['uncapped_variant_value'], self.currency)})"
            ci = _fmt_ci(s, r["abs_ci_low"], r["abs_ci_high"], self.currency)
            if abs(float(r["ci_level"]) - main_level) > 1e-9 and ci != "interval not available":
                ci += f" ({_level_txt(r['ci_level'])})"
            rows.append(
                {
                    "Metric": name,
                    "Arm": r["variant"],
                    "Control": cv,
                    "Arm value": av,
                    "Difference": _fmt_diff(s, r["abs_diff"], self.currency),
                    head: ci,
                    "Relative": f"{100 * r['rel_lift']:+.1f}%".replace("-", "−")
                    if _finite(r["rel_lift"])
                    else "—",
                    "p (adjusted)": fmt_p(r["p_value_adjusted"], prefix=False),
                    "P(better)": _fmt_prob(r["prob_beat_control"])
                    if _finite(r["prob_beat_control"])
                    else "—",
                }
            )
        df = pd.DataFrame(rows)
        return Table(df, formats={c: "text" for c in df.columns}, caption=" ".join(notes) or None)

    def _reached_by(self, metric: str, arm: str, day: float) -> float:
        """Kaplan–Meier share of ``arm`` that had the event by ``day``: 1 − S(day) (step function)."""
        c = self.curves[metric]
        c = c[(c["variant"] == arm) & (c["time"] <= day)]
        return 0.0 if c.empty else float(1.0 - c["survival"].iloc[-1])

    def _tte_days(self, s: MetricSpec) -> list[int]:
        """Days at which a time-to-event metric is read when its median is not reached: half the window and the window."""
        if s.window_days:
            w = int(s.window_days)
            return sorted({max(1, w // 2), w})
        return [int(self.curves[s.name]["time"].max())]

    def _tte_share_row(self, s: MetricSpec, r: Mapping[str, Any], head: str) -> dict[str, str]:
        """Effects-table row of a time-to-event metric whose median is not reached: shares by day, log-rank p."""

        days = self._tte_days(s)

        def shares(arm: str) -> str:
            return "; ".join(
                f"{fmt_pct(self._reached_by(s.name, arm, d))} by day {d}" for d in days
            )

        d_last = days[-1]
        diff = self._reached_by(s.name, r["variant"], d_last) - self._reached_by(
            s.name, self.control, d_last
        )
        return {
            "Metric": f"{s.name}: share reached {s.event_label}",
            "Arm": r["variant"],
            "Control": shares(self.control),
            "Arm value": shares(r["variant"]),
            "Difference": f"{fmt_pp(diff)} by day {d_last}",
            head: "—",
            "Relative": "—",
            "p (adjusted)": fmt_p(r["p_value_adjusted"], prefix=False) + " (log-rank)",
            "P(better)": "—",
        }

    def guardrail_table(self) -> Any:
        """Guardrails: change, the non-inferiority interval, the worst case against the allowed change, result."""

        g = self.effects[self.effects["role"] == "guardrail"]
        if g.empty:
            return Note("No guardrail metric was set (params: guardrails).")
        two = _level_txt(g["ni_ci_level"].iloc[0])
        one = _level_txt(g["ni_level"].iloc[0])
        rows = []
        for r in g.to_dict("records"):
            s = self.spec(r["metric"])
            move = "fall" if s.better_when_higher else "rise"
            rows.append(
                {
                    "Guardrail": r["metric"],
                    "Arm": r["variant"],
                    "Control": _fmt_value(s, r["control_value"], self.currency),
                    "Arm value": _fmt_value(s, r["variant_value"], self.currency),
                    "Change": _fmt_diff(s, r["abs_diff"], self.currency),
                    f"Interval ({two})": _fmt_ci(s, r["ni_ci_low"], r["ni_ci_high"], self.currency),
                    f"Worst case ({one}, one-sided)": _fmt_diff(s, r["ni_bound"], self.currency),
                    "Allowed": f"a {move} of up to {_fmt_diff(s, s.margin, self.currency).lstrip('+')}",
                    "Result": "held" if bool(r["guardrail_passed"]) else "FAILED",
                }
            )
        df = pd.DataFrame(rows)
        m = len(self.arms_order) - 1
        per = (
            f" (the {self.alpha:g} error rate split over the {m} arms compared with {self.control})"
            if m > 1
            else ""
        )
        return Table(
            df,
            formats={c: "text" for c in df.columns},
            caption=(
                f"A guardrail holds when its worst case stays within the allowed change. The worst case is the "
                f"end of the {two} interval on the harmful side: a one-sided {one} bound{per}."
            ),
        )

    def arms_table(self, metric: str | None = None) -> Any:
        """Per-arm table of one metric (default: the primary)."""

        s = self.spec(metric) if metric else self.primary
        df = self.metric_arms[s.name]
        if s.kind == "binary":
            t = pd.DataFrame(
                {
                    "Arm": df["variant"],
                    "Units": df["n"].map(fmt_int),
                    "Converted": df["conversions"].map(fmt_int),
                    "Rate": df["rate"].map(fmt_pct),
                    "Interval": [
                        f"{fmt_pct(lo)}–{fmt_pct(hi)}"
                        for lo, hi in zip(df["ci_low"], df["ci_high"], strict=True)
                    ],
                }
            )
            if s.primary and "planned_share" in self.arms:
                t["Planned share"] = self.arms["planned_share"].map(fmt_pct).to_numpy()
                t["Actual share"] = self.arms["actual_share"].map(fmt_pct).to_numpy()
        elif s.kind == "time_to_event":
            t = pd.DataFrame(
                {
                    "Arm": df["variant"],
                    "Units": df["n"].map(fmt_int),
                    "With event": df["events"].map(fmt_int),
                    "Median": df["median"].map(fmt_days),
                    "Interval": [
                        f"{fmt_days(lo)}–{fmt_days(hi)}" if _finite(lo) and _finite(hi) else "—"
                        for lo, hi in zip(df["median_ci_low"], df["median_ci_high"], strict=True)
                    ],
                    "Reached by end of window": df["share_with_event"].map(fmt_pct),
                }
            )
        else:
            t = pd.DataFrame({"Arm": df["variant"], "Units": df["n"].map(fmt_int)})
            if s.name in self.capping:
                t[self._cap_label(s.name).capitalize()] = [
                    _fmt_value(s, v, self.currency) for v in df["mean"]
                ]
                t["Mean, uncapped"] = [_fmt_value(s, v, self.currency) for v in df["mean_uncapped"]]
                t["Units capped"] = df["n_capped"].map(fmt_int)
            else:
                t["Mean"] = [_fmt_value(s, v, self.currency) for v in df["mean"]]
            t["Median"] = [_fmt_value(s, v, self.currency) for v in df["median"]]
            t["Share above zero"] = df["share_nonzero"].map(fmt_pct)
        return Table(t, formats={c: "text" for c in t.columns}, caption=s.describe())

    def robustness_table(self) -> Any | None:
        """Value / count metrics: Welch vs bootstrap vs Mann–Whitney vs CUPED, per arm."""

        rows = []
        for r in self.effects.to_dict("records"):
            s = self.spec(r["metric"])
            if r["role"] == "guardrail":  # judged by their own interval (guardrail_table)
                continue
            if s.kind not in ("value", "count") and not _finite(r.get("cuped_diff", np.nan)):
                continue
            row = {
                "Metric": r["metric"],
                "Arm": r["variant"],
                "Main comparison": f"{_fmt_diff(s, r['abs_diff'], self.currency)} ({_fmt_ci(s, r['abs_ci_low'], r['abs_ci_high'], self.currency)})",
            }
            if _finite(r.get("uncapped_diff", np.nan)):
                row["Main comparison, without capping"] = (
                    f"{_fmt_diff(s, r['uncapped_diff'], self.currency)} "
                    f"({_fmt_ci(s, r['uncapped_ci_low'], r['uncapped_ci_high'], self.currency)})"
                )
            if _finite(r.get("boot_ci_low", np.nan)):
                row["Bootstrap interval"] = _fmt_ci(
                    s, r["boot_ci_low"], r["boot_ci_high"], self.currency
                )
            if _finite(r.get("mann_whitney_p", np.nan)):
                row["Mann–Whitney"] = fmt_p(r["mann_whitney_p"])
            if _finite(r.get("cuped_diff", np.nan)):
                row["Adjusted for pre-period (CUPED)"] = (
                    f"{_fmt_diff(s, r['cuped_diff'], self.currency)} ({_fmt_ci(s, r['cuped_ci_low'], r['cuped_ci_high'], self.currency)})"
                )
                row["Variance reduction"] = fmt_pct(r["variance_reduction"])
            rows.append(row)
        if not rows:
            return None
        df = pd.DataFrame(rows)
        cols = [
            "Metric",
            "Arm",
            "Main comparison",
            "Main comparison, without capping",
            "Adjusted for pre-period (CUPED)",
            "Variance reduction",
            "Bootstrap interval",
            "Mann–Whitney",
        ]
        df = df[[c for c in cols if c in df.columns] + [c for c in df.columns if c not in cols]]
        cap = "; ".join(
            f"{m}: the main comparison, bootstrap and CUPED use the {self._cap_label(m)}"
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

    def power_note(self) -> Any:
        """Plain words on the effect this test could have detected (never post-hoc power)."""

        p = self.primary
        if self.detectable is None or self.detectable.empty:
            return Summary(["The detectable effect is not available for this metric."], title=None)
        out = []
        for r in self.detectable.to_dict("records"):
            out.append(
                f"With {count_noun(r['n_variant'], self.unit_label)} in {r['variant']} and {fmt_int(r['n_control'])} in {self.control}, "
                f"this test had {_a_pct(100 * r['power'])} chance to detect a true change in {p.name} of "
                f"{_fmt_diff(p, r['detectable_abs'], self.currency).lstrip('+')} or more "
                f"({100 * r['detectable_rel']:.0f}% relative)."
            )
        out.append(
            "Smaller true effects could have been missed: a result that is not significant is not proof of no effect."
        )
        return Summary(out, title=None)

    def sequential_table(self) -> Any:
        """Always-valid read-out at the last weekly look, per arm (or a note when not requested)."""

        if self.sequential is None or self.sequential.empty:
            return Note(
                "Sequential monitoring was not requested for this report; set `sequential: true` "
                "with the test's plan to add it."
            )
        p = self.primary
        sq = self.sequential
        m = int(sq["n_compared"].iloc[0])
        level = _level_txt(1 - float(sq["alpha_per_arm"].iloc[0]))
        p_head = f"Always-valid p (adjusted for {m} arms)" if m > 1 else "Always-valid p"
        rows = []
        for a, g in sq.groupby("variant", sort=False):
            last = g.iloc[-1]
            first = g.loc[g["reject"].astype(bool), "data_to"]
            rows.append(
                {
                    "Arm": a,
                    "Weekly looks": fmt_int(len(g)),
                    "Last look: data to": f"{pd.Timestamp(last['data_to']):%d %b %Y}",
                    "Units (arm / control)": f"{fmt_int(last['n_t'])} / {fmt_int(last['n_c'])}",
                    "Difference": _fmt_diff(p, last["diff"]),
                    f"Always-valid interval ({level})": _fmt_ci(p, last["ci_low"], last["ci_high"]),
                    p_head: fmt_p(last["p_value_adjusted"], prefix=False),
                    "First clear result: look with data to": f"{pd.Timestamp(first.iloc[0]):%d %b %Y}"
                    if len(first)
                    else "none",
                }
            )
        df = pd.DataFrame(rows)
        split = (
            f", with the error rate split over the {m} arms compared with {self.control}"
            if m > 1
            else ""
        )
        return Table(
            df,
            formats={c: "text" for c in df.columns},
            caption=(
                "Valid however often the results were looked at: checking weekly does not raise the false-positive rate"
                f"{split}. Each look is labelled by the last day of data it includes."
            ),
        )

    def quality_table(self) -> Any:

        df = self.quality.to_frame()
        df["passed"] = df["passed"].map({True: "passed", False: "FAILED"})
        return Table(
            df.rename(columns={"check": "Check", "result": "Result", "passed": "Status"}),
            formats={"Check": "text", "Result": "text", "Status": "text"},
        )

    # ---------------------------------------------------------------- sections
    def sections(self) -> list[Section]:
        """The report's body, decided from the metrics and options of this experiment."""
        p, noun = self.primary, plural(self.unit_label)
        tte = [m for m in self.metrics if m.kind == "time_to_event"]
        kinds = {m.kind for m in self.metrics}
        out = [
            Section(
                "effects",
                f"Effect of each arm on {p.name}",
                intro="Each dot is the difference against control; the bar is its interval. A bar "
                "that crosses the zero line means we cannot tell that arm apart from control.",
                plots=("forest", "arms") if p.kind == "binary" else ("forest",),
            )
        ]
        if self.median_not_reached(p.name):
            # no median difference to draw: the curves of the next section carry the comparison
            out[0] = Section(
                "effects",
                f"Effect of each arm on {p.name}",
                absent=f"Not shown: fewer than half the {noun} reached {p.event_label} in at "
                "least one arm, so there is no difference of medians; the next section compares "
                f"the share that reached {p.event_label} day by day.",
            )
        if tte:
            ev = tte[0].event_label
            out.append(
                Section(
                    "time_to_event",
                    f"How quickly {noun} reach {ev}",
                    intro=f"Share of {noun} that had reached {ev} on each day after assignment "
                    f"({noun} that have not reached it yet count until the data's as-of time).",
                    plots=tuple(f"km:{m.name}" for m in tte) if len(tte) > 1 else ("km",),
                )
            )
        else:
            out.append(
                Section(
                    "time_to_event",
                    "How quickly units reach the outcome",
                    absent="Not shown: no time-to-event metric was requested.",
                )
            )
        out.append(
            Section(
                "metrics",
                "Every metric against control",
                intro="The primary metric and the secondary metrics, each arm against control; the "
                "secondary metrics show side effects.",
                blocks=(self.effects_table(),),
            )
            if len(self.metrics) > 1
            else Section(  # one metric: no secondary metrics to speak of
                "metrics",
                f"Each arm against control on {p.name}, in numbers",
                intro="The effects above as a table, with the relative change, the adjusted "
                "p-value and the chance that each arm is truly better.",
                blocks=(self.effects_table(),),
            )
        )
        if kinds & {"count", "value"}:
            out.append(
                Section(
                    "robustness",
                    "Robustness of the count and value metrics",
                    intro="The same comparison with a bootstrap interval, a rank test and an "
                    "adjustment for the pre-period engagement score (CUPED).",
                    blocks=(self.robustness_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "robustness",
                    "Robustness of the count and value metrics",
                    absent="Not shown: no count or value metric was requested.",
                )
            )
        if self.guardrails:
            out.append(
                Section(
                    "guardrails",
                    "Guardrails",
                    intro="Each guardrail must not get worse by more than its allowed change.",
                    blocks=(self.guardrail_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "guardrails", "Guardrails", absent="Not shown: no guardrail metric was set."
                )
            )
        out.append(
            Section("power", "What this test could have detected", blocks=(self.power_note(),))
        )
        if self.sequential is not None:
            out.append(
                Section(
                    "sequential",
                    "Monitoring while the test ran",
                    intro="Always-valid (sequential) read-out of the primary metric, recomputed "
                    "every week as outcomes became known.",
                    blocks=(self.sequential_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "sequential",
                    "Monitoring while the test ran",
                    absent="Not shown: sequential (always-valid) monitoring was not requested; "
                    "set `sequential: true` with the test's plan to add it.",
                )
            )
        notes = list(getattr(self.source, "import_notes", None) or [])
        out.append(
            Section(
                "quality",
                "Data quality",
                intro="Units per arm against the planned split, units found in more than one arm"
                + (", and balance before the test." if self.quality.balance is not None else ".")
                + (" Found when the data was imported: " + " ".join(notes) if notes else ""),
                plots=("split",),
                blocks=(self.quality_table(),),
            )
        )
        return out
