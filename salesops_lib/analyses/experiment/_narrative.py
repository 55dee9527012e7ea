"""Words of an A/B experiment: formatting, headline, summary, banners, cards, tables, methods.

The numbers live in :mod:`._result`; :class:`ExperimentNarrative` is the words half of
:class:`~salesops_lib.analyses.experiment.ExperimentResult` (it reads only the result's fields).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from salesops_lib.analyses._base import Section
from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._format import (
    _a_pct,
    _count_units,
    _fmt_ci,
    _fmt_diff,
    _fmt_prob,
    _fmt_value,
    _g,
    _level_txt,
    _pp_words,
    _signed_pct,
    _units,
)
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.i18n import _, ngettext
from salesops_lib.viz.format import (
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_pct_ci,
    fmt_pp,
)
from salesops_lib.viz.html import (
    Banner,
    Card,
    Cards,
    Summary,
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
            return _("Ship {arm}: {diff} {metric} ({low} to {high}).").format(
                arm=v.arm,
                diff=_fmt_diff(p, r["abs_diff"], cur),
                metric=p.name,
                low=_fmt_diff(p, r["abs_ci_low"], cur),
                high=_fmt_diff(p, r["abs_ci_high"], cur),
            )
        return self.chart_title() + "."

    def chart_title(self) -> str:
        """One line stating the finding on the primary metric (the forest plot's title)."""
        p = self.primary
        v = self.verdict
        eff = self.primary_effects().set_index("variant")
        if v.decision == "ship" and v.arm is not None:
            r = eff.loc[v.arm]
            up = r["abs_diff"] > 0
            rest = [a for a in eff.index if a != v.arm]
            unclear = [a for a in rest if not bool(eff.loc[a, "significant"])]
            if unclear and up:
                msg = _(
                    "{arm} lifts {metric} by {diff}; {others} cannot be told apart from {control}"
                )
            elif unclear:
                msg = _(
                    "{arm} lowers {metric} by {diff}; {others} cannot be told apart from {control}"
                )
            elif up:
                msg = _("{arm} lifts {metric} by {diff}")
            else:
                msg = _("{arm} lowers {metric} by {diff}")
            return msg.format(
                arm=v.arm,
                metric=p.name,
                diff=_fmt_diff(p, abs(r["abs_diff"]), self.currency).lstrip("+"),
                others=", ".join(unclear),
                control=self.control,
            )
        if v.decision == "do not ship":
            return _("No arm beats {control} on {metric}").format(
                control=self.control, metric=p.name
            )
        return _("We cannot tell yet whether any arm beats {control} on {metric}").format(
            control=self.control, metric=p.name
        )

    def _sentences(self) -> list[str]:
        """The answer first: 3–5 plain sentences, each number with its interval and comparison."""

        p, v, c = self.primary, self.verdict, self.control
        cur = self.currency
        eff = self.primary_effects().set_index("variant")
        ma = self.metric_arms[p.name].set_index("variant")
        out: list[str] = []

        shares = self.median_not_reached(p.name)
        by = _("by day {day}").format(day=self._tte_days(p)[-1]) if shares else ""

        def arm_value(a: str) -> str:
            if p.kind == "binary":
                r = ma.loc[a]
                return fmt_pct_ci(r["rate"], r["ci_low"], r["ci_high"])
            if shares:  # no median in some arm: the share that reached the event
                return f"{fmt_pct(self._reached_by(p.name, a, self._tte_days(p)[-1]))} {by}"
            v_ = _fmt_value(
                p,
                eff.loc[a, "variant_value"] if a != c else eff["control_value"].iloc[0],
                cur,
            )
            if p.name in self.capping:
                return _("{value} (capped mean)").format(value=v_)
            return v_

        if v.decision == "ship" and v.arm is not None:
            r = eff.loc[v.arm]
            out.append(
                _(
                    "Recommendation: ship {arm}. {metric} was {arm_value} with {arm} against "
                    "{control_value} with {control}, a difference of {diff} ({ci})."
                ).format(
                    arm=v.arm,
                    metric=p.name,
                    arm_value=arm_value(v.arm),
                    control_value=arm_value(c),
                    control=c,
                    diff=_fmt_diff(p, r["abs_diff"], cur),
                    ci=_fmt_ci(p, r["abs_ci_low"], r["abs_ci_high"], cur),
                )
            )
        elif v.decision == "do not ship":
            out.append(_("Recommendation: do not ship. {reason}").format(reason=v.reason))
        else:
            out.append(
                _("Recommendation: inconclusive — we cannot tell yet. {reason}").format(
                    reason=v.reason
                )
            )
        rest = [a for a in eff.index if a != v.arm or v.decision != "ship"]
        parts = []
        for a in rest:
            r = eff.loc[a]
            if bool(r["significant"]):
                judge = (
                    _("clearly better than {control}")
                    if bool(r["better"])
                    else _("clearly worse than {control}")
                )
            else:
                judge = _("we cannot tell it apart from {control}")
            judge = judge.format(control=c)
            if shares:
                diff = self._reached_by(p.name, a, self._tte_days(p)[-1]) - self._reached_by(
                    p.name, c, self._tte_days(p)[-1]
                )
                parts.append(
                    _("{arm}: {value}, {diff} (log-rank {p}) — {judge}").format(
                        arm=a,
                        value=arm_value(a),
                        diff=fmt_pp(diff),
                        p=fmt_p(r["p_value_adjusted"]),
                        judge=judge,
                    )
                )
                continue
            parts.append(
                _("{arm}: {value}, {diff} ({ci}) — {judge}").format(
                    arm=a,
                    value=arm_value(a),
                    diff=_fmt_diff(p, r["abs_diff"], cur),
                    ci=_fmt_ci(p, r["abs_ci_low"], r["abs_ci_high"], cur),
                    judge=judge,
                )
            )
        if shares:
            msg = (
                _(
                    "{metric}: fewer than half the {units} reached {event} in every arm, so the "
                    "arms are compared by the share that reached it {by}."
                )
                if ma["median"].isna().all()
                else _(
                    "{metric}: fewer than half the {units} reached {event} in some arms, so the "
                    "arms are compared by the share that reached it {by}."
                )
            )
            out.append(
                msg.format(metric=p.name, units=_units(self.unit_label), event=p.event_label, by=by)
            )
        if parts and (v.decision == "ship" or len(rest) > 0):
            if v.decision != "ship" and len(eff.index) == 1 and not shares:
                # one arm: the reason above already gave the difference; say the two values
                a = eff.index[0]
                out.append(
                    _("{metric}: {arm_value} with {arm}, {control_value} with {control}.").format(
                        metric=p.name,
                        arm=a,
                        arm_value=arm_value(a),
                        control=c,
                        control_value=arm_value(c),
                    )
                )
            elif v.decision != "ship":
                out.append(
                    _("Against {control} at {value}: {parts}.").format(
                        control=c, value=arm_value(c), parts="; ".join(parts)
                    )
                )
            else:
                out.append("; ".join(parts) + ".")
        if (
            v.decision == "ship"
            and v.arm is not None
            and _finite(eff.loc[v.arm, "prob_beat_control"])
        ):
            pb_txt = _fmt_prob(eff.loc[v.arm, "prob_beat_control"], words=True)
            out.append(
                _(
                    "Given the data, the chance that {arm} is truly better than {control} is "
                    "{prob}."
                ).format(arm=v.arm, control=c, prob=pb_txt)
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
            rise = not g.better_when_higher
            margin = _fmt_diff(g, g.margin, cur).lstrip("+")
            fields = {
                "metric": g.name,
                "arm": worst["variant"],
                "diff": _fmt_diff(g, worst["abs_diff"], cur),
                "bound": _fmt_diff(g, bound, cur).lstrip("+−"),
                "margin": margin,
            }
            if len(failed):
                arms = list(failed["variant"])
                if len(arms) == 1:
                    msg = (
                        _(
                            "Guardrail {metric} failed for {arm}: it changed by {diff}, and in the "
                            "worst case the data allow it could rise by {bound} (allowed: "
                            "{margin})."
                        )
                        if rise
                        else _(
                            "Guardrail {metric} failed for {arm}: it changed by {diff}, and in the "
                            "worst case the data allow it could fall by {bound} (allowed: "
                            "{margin})."
                        )
                    )
                else:
                    msg = (
                        _(
                            "Guardrail {metric} failed for {arms} and {last}; for {arm} it changed "
                            "by {diff}, and in the worst case the data allow it could rise by "
                            "{bound} (allowed: {margin})."
                        )
                        if rise
                        else _(
                            "Guardrail {metric} failed for {arms} and {last}; for {arm} it changed "
                            "by {diff}, and in the worst case the data allow it could fall by "
                            "{bound} (allowed: {margin})."
                        )
                    )
                out.append(msg.format(arms=", ".join(arms[:-1]), last=arms[-1], **fields))
            else:
                harm = float(bound) if not g.better_when_higher else -float(bound)
                if harm > 0:
                    msg = (
                        _(
                            "Guardrail {metric} held: {diff} for {arm}; even in the worst case "
                            "the data allow, it would rise by no more than {bound} (allowed: "
                            "{margin})."
                        )
                        if rise
                        else _(
                            "Guardrail {metric} held: {diff} for {arm}; even in the worst case "
                            "the data allow, it would fall by no more than {bound} (allowed: "
                            "{margin})."
                        )
                    )
                else:
                    msg = (
                        _(
                            "Guardrail {metric} held: {diff} for {arm}; even in the worst case "
                            "the data allow, it would not rise at all (allowed: {margin})."
                        )
                        if rise
                        else _(
                            "Guardrail {metric} held: {diff} for {arm}; even in the worst case "
                            "the data allow, it would not fall at all (allowed: {margin})."
                        )
                    )
                out.append(msg.format(**fields))
            break
        q = self.quality
        if not q.srm_failed:
            dq = (
                _(
                    "Arm sizes are borderline against the plan ({p}; the check flags only "
                    "p < {alpha}, since a small p also turns up by chance): not a failure, but "
                    "check the assignment if it persists"
                ).format(p=fmt_p(q.srm.p_value), alpha=_g(SRM_ALPHA))
                if q.srm.p_value < 0.05
                else _("Arm sizes match the plan ({p})").format(p=fmt_p(q.srm.p_value))
            )
            if q.n_multi_assigned:
                k = q.n_multi_assigned
                dq += "; " + ngettext(
                    "{units} assigned to more than one arm was left out",
                    "{units} assigned to more than one arm were left out",
                    k,
                ).format(units=_count_units(k, self.unit_label))
            out.append(dq + ".")
        # plain words: "percentage points" in sentences (tables and charts keep "pp", defined in
        # the methods)
        return [_pp_words(x) for x in out[:5]]

    def _interval_sentence(self) -> str:
        """Which ranges in the summary are which intervals, in plain words."""
        p = self.primary
        eff = self.primary_effects()
        d_level = _level_txt(eff["ci_level"].iloc[0])
        a_level = _level_txt(1 - self.alpha)
        m = len(self.arms_order) - 1
        why = m > 1 and d_level != a_level
        if p.kind == "binary" and d_level != a_level:
            msg = (
                _(
                    "Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} "
                    "intervals for differences from {control} (wider because {m} arms are each "
                    "compared with {control})."
                )
                if why
                else _(
                    "Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} "
                    "intervals for differences from {control}."
                )
            )
        elif p.kind == "binary":
            msg = _("Ranges in brackets are {a_level} intervals.")
        elif why:
            msg = _(
                "Ranges in brackets are {d_level} intervals for differences from {control} "
                "(wider because {m} arms are each compared with {control})."
            )
        else:
            msg = _("Ranges in brackets are {d_level} intervals for differences from {control}.")
        return msg.format(a_level=a_level, d_level=d_level, control=self.control, m=m)

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
            level, title = "error", _("Data-quality check failed:")
        elif imbalanced or share >= MULTI_ASSIGNED_WARN:
            level, title = "warning", _("Data-quality warning:")
        else:
            level, title = "info", _("Data note:")
        return [Banner(probs, level=level, title=title)]

    def summary(self) -> Summary:
        """The answer first: verdict, effect with its interval, certainty, caveats."""
        return Summary(self._sentences())

    def cards(self) -> Any:
        """Key-number cards: control and best arm on the primary metric, the difference, certainty,
        size."""

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
        vs = _("{diff} vs {control}")
        cards = []
        if shares:
            day = self._tte_days(p)[-1]
            sc, sb = self._reached_by(p.name, c, day), self._reached_by(p.name, best, day)
            reached = _("Reached {event} by day {day}: {arm}")
            cards.append(Card(reached.format(event=p.event_label, day=day, arm=c), fmt_pct(sc)))
            cards.append(
                Card(
                    reached.format(event=p.event_label, day=day, arm=best),
                    fmt_pct(sb),
                    delta=vs.format(diff=fmt_pp(sb - sc), control=c),
                    good=bool(r["better"]) if bool(r["significant"]) else None,
                    detail=_("log-rank {p}").format(p=fmt_p(r["p_value_adjusted"])),
                )
            )
        elif p.kind == "binary":

            def rate_detail(arm: str) -> str:
                ci = fmt_pct_ci(ma.loc[arm, "rate"], ma.loc[arm, "ci_low"], ma.loc[arm, "ci_high"])
                return f"{ci.split(' ', 1)[1]}, n = {fmt_int(ma.loc[arm, 'n'])}"

            cards.append(
                Card(
                    f"{p.name}: {c}",
                    fmt_pct(ma.loc[c, "rate"]),
                    detail=rate_detail(c),
                )
            )
            good = bool(r["better"]) if bool(r["significant"]) else None
            cards.append(
                Card(
                    f"{p.name}: {best}",
                    fmt_pct(ma.loc[best, "rate"]),
                    delta=vs.format(diff=_fmt_diff(p, r["abs_diff"]), control=c),
                    good=good,
                    detail=rate_detail(best),
                )
            )
        else:
            cards.append(Card(f"{p.name}: {c}", _fmt_value(p, r["control_value"], self.currency)))
            cards.append(
                Card(
                    f"{p.name}: {best}",
                    _fmt_value(p, r["variant_value"], self.currency),
                    delta=vs.format(diff=_fmt_diff(p, r["abs_diff"], self.currency), control=c),
                    good=bool(r["better"]) if bool(r["significant"]) else None,
                )
            )
        rel = r["rel_lift"]
        if _finite(rel):  # no card that only says "—"
            cards.append(
                Card(
                    _("Relative change, {arm} vs {control}").format(arm=best, control=c),
                    _signed_pct(rel),
                    detail=(
                        _("{low} to {high}").format(
                            low=_signed_pct(r["rel_ci_low"]), high=_signed_pct(r["rel_ci_high"])
                        )
                        if _finite(r["rel_ci_low"]) and _finite(r["rel_ci_high"])
                        else None
                    ),
                )
            )
        if _finite(r.get("prob_beat_control", np.nan)):
            cards.append(
                Card(
                    _("Chance {arm} is truly better").format(arm=best),
                    _fmt_prob(r["prob_beat_control"]),
                    detail=_("given these results"),
                )
            )
        n_units = (
            int(self.arms["n_assigned"].sum())
            if "n_assigned" in self.arms
            else int(self.arms["n"].sum())
        )
        cards.append(
            Card(
                _("{units} in the test").format(units=_units(self.unit_label).capitalize()),
                fmt_int(n_units),
                detail=(
                    _("{n} arms; {excluded} excluded (in more than one arm)").format(
                        n=len(self.arms_order), excluded=fmt_int(self.quality.n_multi_assigned)
                    )
                    if self.quality.n_multi_assigned
                    else _("{n} arms").format(n=len(self.arms_order))
                ),
            )
        )
        decision = {
            "ship": _("Ship {arm}").format(arm=best),
            "do not ship": _("Do not ship"),
            "inconclusive": _("Inconclusive"),
        }[self.verdict.decision]
        cards.append(
            Card(_("Verdict"), decision, good=True if self.verdict.decision == "ship" else None)
        )
        return Cards(cards[:6])

    def _cap_label(self, name: str) -> str:
        """``"capped mean (values above $79,934 capped)"`` for a capped metric, else ``""``."""
        cap = self.capping.get(name)
        if not cap:
            return ""
        s = self.spec(name)
        return _("capped mean (values above {cap} capped)").format(
            cap=_fmt_value(s, cap["cap"], self.currency)
        )

    def _reached_by(self, metric: str, arm: str, day: float) -> float:
        """Kaplan–Meier share of ``arm`` that had the event by ``day``: 1 − S(day) (step
        function)."""
        c = self.curves[metric]
        c = c[(c["variant"] == arm) & (c["time"] <= day)]
        return 0.0 if c.empty else float(1.0 - c["survival"].iloc[-1])

    def _tte_days(self, s: MetricSpec) -> list[int]:
        """Days at which a time-to-event metric is read when its median is not reached: half the
        window and the window."""
        if s.window_days:
            w = int(s.window_days)
            return sorted({max(1, w // 2), w})
        return [int(self.curves[s.name]["time"].max())]

    def power_note(self) -> Any:
        """Plain words on the effect this test could have detected (never post-hoc power)."""

        p = self.primary
        if self.detectable is None or self.detectable.empty:
            return Summary(
                [_("The detectable effect is not available for this metric.")], title=None
            )
        out = []
        for r in self.detectable.to_dict("records"):
            out.append(
                _(
                    "With {units} in {arm} and {n_control} in {control}, this test had {a_pct} "
                    "chance to detect a true change in {metric} of {effect} or more ({rel}% "
                    "relative)."
                ).format(
                    units=_count_units(r["n_variant"], self.unit_label),
                    arm=r["variant"],
                    n_control=fmt_int(r["n_control"]),
                    control=self.control,
                    a_pct=_a_pct(100 * r["power"]),
                    metric=p.name,
                    effect=_fmt_diff(p, r["detectable_abs"], self.currency).lstrip("+"),
                    rel=f"{100 * r['detectable_rel']:.0f}",
                )
            )
        out.append(
            _(
                "Smaller true effects could have been missed: a result that is not significant "
                "is not proof of no effect."
            )
        )
        return Summary(out, title=None)

    # ---------------------------------------------------------------- sections
    def sections(self) -> list[Section]:
        """The report's body, decided from the metrics and options of this experiment."""
        p, noun = self.primary, _units(self.unit_label)
        tte = [m for m in self.metrics if m.kind == "time_to_event"]
        kinds = {m.kind for m in self.metrics}
        effect_title = _("Effect of each arm on {metric}").format(metric=p.name)
        out = [
            Section(
                "effects",
                effect_title,
                intro=_(
                    "Each dot is the difference against control; the bar is its interval. A bar "
                    "that crosses the zero line means we cannot tell that arm apart from control."
                ),
                plots=("forest", "arms") if p.kind == "binary" else ("forest",),
            )
        ]
        if self.median_not_reached(p.name):
            # no median difference to draw: the curves of the next section carry the comparison
            out[0] = Section(
                "effects",
                effect_title,
                absent=_(
                    "Not shown: fewer than half the {units} reached {event} in at least one arm, "
                    "so there is no difference of medians; the next section compares the share "
                    "that reached {event} day by day."
                ).format(units=noun, event=p.event_label),
            )
        if tte:
            ev = tte[0].event_label
            out.append(
                Section(
                    "time_to_event",
                    _("How quickly {units} reach {event}").format(units=noun, event=ev),
                    intro=_(
                        "Share of {units} that had reached {event} on each day after assignment "
                        "({units} that have not reached it yet count until the data's as-of time)."
                    ).format(units=noun, event=ev),
                    plots=tuple(f"km:{m.name}" for m in tte) if len(tte) > 1 else ("km",),
                )
            )
        else:
            out.append(
                Section(
                    "time_to_event",
                    _("How quickly units reach the outcome"),
                    absent=_("Not shown: no time-to-event metric was requested."),
                )
            )
        out.append(
            Section(
                "metrics",
                _("Every metric against control"),
                intro=_(
                    "The primary metric and the secondary metrics, each arm against control; the "
                    "secondary metrics show side effects."
                ),
                blocks=(self.effects_table(),),
            )
            if len(self.metrics) > 1
            else Section(  # one metric: no secondary metrics to speak of
                "metrics",
                _("Each arm against control on {metric}, in numbers").format(metric=p.name),
                intro=_(
                    "The effects above as a table, with the relative change, the adjusted "
                    "p-value and the chance that each arm is truly better."
                ),
                blocks=(self.effects_table(),),
            )
        )
        robust = _("Robustness of the count and value metrics")
        if kinds & {"count", "value"}:
            out.append(
                Section(
                    "robustness",
                    robust,
                    intro=_(
                        "The same comparison with a bootstrap interval, a rank test and an "
                        "adjustment for the pre-period engagement score (CUPED)."
                    ),
                    blocks=(self.robustness_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "robustness",
                    robust,
                    absent=_("Not shown: no count or value metric was requested."),
                )
            )
        if self.guardrails:
            out.append(
                Section(
                    "guardrails",
                    _("Guardrails"),
                    intro=_("Each guardrail must not get worse by more than its allowed change."),
                    blocks=(self.guardrail_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "guardrails",
                    _("Guardrails"),
                    absent=_("Not shown: no guardrail metric was set."),
                )
            )
        out.append(
            Section("power", _("What this test could have detected"), blocks=(self.power_note(),))
        )
        monitoring = _("Monitoring while the test ran")
        if self.sequential is not None:
            out.append(
                Section(
                    "sequential",
                    monitoring,
                    intro=_(
                        "Always-valid (sequential) read-out of the primary metric, recomputed "
                        "every week as outcomes became known."
                    ),
                    blocks=(self.sequential_table(),),
                )
            )
        else:
            out.append(
                Section(
                    "sequential",
                    monitoring,
                    absent=_(
                        "Not shown: sequential (always-valid) monitoring was not requested; "
                        "set `sequential: true` with the test's plan to add it."
                    ),
                )
            )
        notes = list(getattr(self.source, "import_notes", None) or [])
        intro = (
            _(
                "Units per arm against the planned split, units found in more than one arm, and "
                "balance before the test."
            )
            if self.quality.balance is not None
            else _("Units per arm against the planned split, units found in more than one arm.")
        )
        if notes:
            intro += " " + _("Found when the data was imported: {notes}").format(
                notes=" ".join(notes)
            )
        out.append(
            Section(
                "quality",
                _("Data quality"),
                intro=intro,
                plots=("split",),
                blocks=(self.quality_table(),),
            )
        )
        return out
