"""Methods and definitions of an experiment report: every figure's definition, formula and
reference (the words half of :class:`~salesops_lib.analyses.experiment.ExperimentResult`)."""

from __future__ import annotations

from typing import Any

from salesops_lib.analyses.experiment._format import (
    _count_units,
    _fmt_diff,
    _g,
    _level_txt,
    _units,
)
from salesops_lib.i18n import _, current_language, ngettext
from salesops_lib.viz.format import (
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
)
from salesops_lib.viz.html import (
    Definitions,
)


class ExperimentMethods:
    """Methods and definitions of :class:`ExperimentResult` (mixed in)."""

    def methods(self) -> Any:
        """Methods and definitions: each metric's definition, each test's name, exclusions, span."""

        rows: list[tuple[str, str] | tuple[str, str, str]] = []
        for m in [*self.metrics, *self.guardrails]:
            role = (
                _("primary metric")
                if m.primary
                else (_("guardrail") if m.margin is not None else _("secondary metric"))
            )
            text = m.describe() + (
                " "
                + _("Non-inferiority margin: {margin}.")
                .format(margin=_fmt_diff(m, m.margin, self.currency).lstrip("+"))
                .replace("..", ".")
                if m.margin
                else ""
            )
            cap = self.capping.get(m.name)
            if cap:
                if m.kind == "value" and m.stage == "won":
                    msg = _(
                        "Shown as a {cap_label}: the cap is the {pct}th percentile of the "
                        "{n_nonzero} units with a non-zero value (all arms pooled); {n_capped} of "
                        "{n_units} units were capped ({share_capped} of those with a value), which "
                        "removes {share_removed} of won revenue. The uncapped means are shown next "
                        "to the capped ones."
                    )
                elif m.kind == "value":
                    msg = _(
                        "Shown as a {cap_label}: the cap is the {pct}th percentile of the "
                        "{n_nonzero} units with a non-zero value (all arms pooled); {n_capped} of "
                        "{n_units} units were capped ({share_capped} of those with a value), which "
                        "removes {share_removed} of the amount. The uncapped means are shown next "
                        "to the capped ones."
                    )
                else:
                    msg = _(
                        "Shown as a {cap_label}: the cap is the {pct}th percentile of the "
                        "{n_nonzero} units with a non-zero value (all arms pooled); {n_capped} of "
                        "{n_units} units were capped ({share_capped} of those with a value), which "
                        "removes {share_removed} of the total. The uncapped means are shown next "
                        "to the capped ones."
                    )
                text += " " + msg.format(
                    cap_label=self._cap_label(m.name),
                    pct=_g(cap["pct"]),
                    n_nonzero=fmt_int(cap["n_nonzero"]),
                    n_capped=fmt_int(cap["n_capped"]),
                    n_units=fmt_int(cap["n_units"]),
                    share_capped=fmt_pct(
                        cap["n_capped"] / cap["n_nonzero"] if cap["n_nonzero"] else 0.0
                    ),
                    share_removed=fmt_pct(cap["share_removed"]),
                )
            rows.append((f"{m.name} ({role})", text))
        span = ""
        if self.first_assigned is not None:
            span = " " + _(
                "Units were assigned from {first} to {last}; data as of {as_of}."
            ).format(
                first=fmt_date(self.first_assigned),
                last=fmt_date(self.last_assigned),
                as_of=_as_of_text(self.as_of),
            )
        k = self.quality.n_multi_assigned
        rows += [
            (
                _("Units and exclusions"),
                ngettext(
                    "{units} in campaign_members for {campaign}, arm = variant. {multi} found in "
                    "more than one arm was excluded from every analysis; units whose outcome "
                    "window had not closed by the as-of time are left out of that metric.",
                    "{units} in campaign_members for {campaign}, arm = variant. {multi} found in "
                    "more than one arm were excluded from every analysis; units whose outcome "
                    "window had not closed by the as-of time are left out of that metric.",
                    k,
                ).format(
                    units=_units(self.unit_label).capitalize(),
                    campaign=self.campaign_id,
                    multi=_count_units(k, self.unit_label),
                )
                + span,
            ),
            (_("Intervals"), self._interval_sentence() + " " + self._interval_rule()),
            (
                _("Sample-ratio check"),
                _(
                    "Chi-square goodness-of-fit test of units per arm against the planned split "
                    "(exact binomial / multinomial test when an expected count is below 5); "
                    "flagged when p < {alpha}."
                ).format(alpha=_g(0.001)),
            ),
        ]
        kinds = {m.kind for m in [*self.metrics, *self.guardrails]}
        if self.quality.balance is not None:
            rows.append(
                (
                    _("Pre-period balance"),
                    _(
                        "Standardised mean difference of pre_period_value against control "
                        "(flagged at {limit}), with Welch tests."
                    ).format(limit=fmt_num(0.10, 2)),
                )
            )
        if "binary" in kinds:
            rows.append(
                (
                    _("Binary metrics"),
                    _(
                        "Differences in rates are in percentage points (pp): from 30% to 35% is "
                        "+5 pp. Difference in rates with the Newcombe hybrid score interval; "
                        "two-sided pooled z-test (Boschloo exact test when an expected count is "
                        "below 5); relative lift with the MOVER-R interval from the same Wilson "
                        "limits, which always agrees with the difference's interval on direction "
                        "(Fieller's interval in the JSON results); Bayesian probability to beat "
                        "control and expected loss from Beta(1, 1) priors."
                    ),
                    "diff = p_t − p_c;  lift = p_t / p_c − 1;  z = diff / sqrt(p(1−p)(1/n_t + "
                    "1/n_c))",
                )
            )
        if kinds & {"count", "value"}:
            cuped = self.quality.balance is not None
            text = _(
                "Welch t-test on per-unit values; percentile interval of a Poisson bootstrap "
                "(each arm's units spread over up to {buckets} buckets, a Poisson(1) weight per "
                "bucket and replicate; with fewer units every unit is its own bucket); optional "
                "capping of large values at a percentile of the non-zero values of all arms "
                "pooled (most {units} have no revenue, so a percentile of all units would cut "
                "into ordinary deals); Mann–Whitney U test as a robustness check"
            ).format(buckets=fmt_int(2000), units=_units(self.unit_label))
            if cuped:
                text += _(
                    "; CUPED regression adjustment with pre_period_value (variance reduction shown)"
                )
            if "count" in kinds:
                text += _(". Count metrics: relative change from the Poisson rate ratio.")
            else:
                text += "."
            text += " " + _(
                "Everything is computed from per-arm sums, moments, exact quantiles, rank sums "
                "and bucket sums in the database engine, so memory does not grow with the number "
                "of units."
            )
            rows.append(
                (
                    _("Count and value metrics"),
                    text,
                    *(("y_cuped = y − θ (x − mean(x)),  θ = cov(x, y) / var(x)",) if cuped else ()),
                )
            )
        if "time_to_event" in kinds:
            rows.append(
                (
                    _("Time to event"),
                    _(
                        "Kaplan–Meier curves per arm (units without the event are censored at "
                        "the as-of time or at the end of the window); log-rank test; difference "
                        "in median days with a {level} bootstrap interval."
                    ).format(level=_level_txt(1 - self.alpha)),
                )
            )
        if self.guardrails:
            verdict = _(
                "Ship when the primary metric's adjusted p-value is below {alpha}, its interval "
                "lies on the good side of zero and every guardrail holds (non-inferiority, see "
                "Intervals). Do not ship when the treatment is clearly worse or a guardrail "
                "fails. Otherwise inconclusive. A failed sample-ratio check makes a ship verdict "
                "inconclusive."
            )
        else:
            verdict = _(
                "Ship when the primary metric's adjusted p-value is below {alpha}, its interval "
                "lies on the good side of zero. Do not ship when the treatment is clearly worse. "
                "Otherwise inconclusive. A failed sample-ratio check makes a ship verdict "
                "inconclusive."
            )
        rows += [(_("Verdict"), verdict.format(alpha=_g(self.alpha)))]
        if self.detectable is not None:
            rows.append(
                (
                    _("Detectable effect"),
                    _(
                        "The smallest true difference this test would have found with {power}% "
                        "probability at its final size (a planning quantity; not post-hoc power "
                        "on the observed effect)."
                    ).format(power=_g(100 * self.power)),
                )
            )
        if self.cluster_by:
            rows.append(
                (
                    _("Cluster randomisation"),
                    _(
                        "Units were randomised in clusters ({cluster_by}). Binary metrics use a "
                        "linear probability model with cluster-robust CR2 (Bell–McCaffrey) "
                        "standard errors and Satterthwaite degrees of freedom, which hold their "
                        "error rate with few clusters; value metrics compare cluster means; the "
                        "design effect is shown per comparison."
                    ).format(cluster_by=self.cluster_by),
                )
            )
        if self.sequential is not None:
            rows.append((_("Sequential monitoring"), self._sequential_method()))
        return Definitions(rows)

    def _sequential_method(self) -> str:
        """The methods text of the always-valid read-out."""
        sq = self.sequential
        m = int(sq["n_compared"].iloc[0])
        p = self.primary
        per_arm = float(sq["alpha_per_arm"].iloc[0])
        bonf = (
            " "
            + _(
                "Each of the {m} arms is compared with {control} at {alpha}/{m} = {per_arm} "
                "(Bonferroni); the p-values shown are multiplied by {m} and the intervals are "
                "{level}."
            ).format(
                m=m,
                control=self.control,
                alpha=_g(self.alpha),
                per_arm=_g3(per_arm),
                level=_level_txt(1 - per_arm),
            )
            if m > 1
            else ""
        )
        msg = (
            _(
                "Always-valid p-values and confidence sequences from the mixture sequential "
                "probability ratio test (mSPRT, normal mixture on the difference in rates): "
                "looking at the results early does not inflate false positives. {tau}.{bonf} One "
                "look per week once every arm has 50 units with a known outcome; the look of a "
                "week includes the units whose {days}-day window closed by its Sunday (by the "
                "as-of time for the last look) and is labelled by that last day of data."
            )
            if p.window_days
            else _(
                "Always-valid p-values and confidence sequences from the mixture sequential "
                "probability ratio test (mSPRT, normal mixture on the difference in rates): "
                "looking at the results early does not inflate false positives. {tau}.{bonf} One "
                "look per week once every arm has 50 units with a known outcome; the look of a "
                "week includes the units whose outcome closed by its Sunday (by the as-of time "
                "for the last look) and is labelled by that last day of data."
            )
        )
        return msg.format(tau=sq["tau_source"].iloc[0], bonf=bonf, days=p.window_days)

    def _interval_rule(self) -> str:
        """The one statement of which interval is which (methods section)."""
        a_level = _level_txt(1 - self.alpha)
        m = len(self.arms_order) - 1
        eff = self.effects[self.effects["role"] != "guardrail"]
        d_level = _level_txt(self.primary_effects()["ci_level"].iloc[0])
        f = {"a_level": a_level, "d_level": d_level, "m": m, "control": self.control}
        f["alpha"] = _g(self.alpha)
        text = _("Each arm's own rate or median: {a_level} interval.").format(**f) + " "
        if m > 1 and self.adjust == "holm":
            text += (
                _(
                    "Differences from {control}: {d_level} intervals — {m} arms are each compared "
                    "with {control}, so each comparison uses {alpha}/{m} (Bonferroni-level "
                    "simultaneous intervals) and p-values are Holm-adjusted."
                ).format(**f)
                + " "
            )
        elif m > 1:
            text += (
                _(
                    "Differences from {control}: false-coverage-rate intervals matching the "
                    "Benjamini–Hochberg adjusted p-values ({d_level} here)."
                ).format(**f)
                + " "
            )
        else:
            text += _("Differences from {control}: {d_level} intervals.").format(**f) + " "
        if (eff["kind"] == "time_to_event").any():
            text += (
                _(
                    "Differences in median days: {a_level} bootstrap intervals (not widened)."
                ).format(**f)
                + " "
            )
        g = self.effects[self.effects["role"] == "guardrail"]
        if not g.empty:
            f["one"], f["two"] = (
                _level_txt(g["ni_level"].iloc[0]),
                _level_txt(g["ni_ci_level"].iloc[0]),
            )
            msg = (
                _(
                    "Guardrails: non-inferiority test per arm at a one-sided {one} bound (the "
                    "{alpha} error rate split over the {m} arms compared with {control}); the "
                    "guardrail holds when that bound — the harmful-side end of the {two} interval "
                    "shown in the guardrail table — stays within the margin."
                )
                if m > 1
                else _(
                    "Guardrails: non-inferiority test per arm at a one-sided {one} bound; the "
                    "guardrail holds when that bound — the harmful-side end of the {two} interval "
                    "shown in the guardrail table — stays within the margin."
                )
            )
            text += msg.format(**f)
        return text


def _g3(x: float) -> str:
    """``f"{x:.3g}"`` with a decimal comma outside English."""
    text = f"{float(x):.3g}"
    return text if current_language() == "en" else text.replace(".", ",")


def _as_of_text(ts: Any) -> str:
    """``"30 Sep 2026 23:59 UTC"`` (``"30 set 2026 23:59 UTC"``): the data's naive UTC as-of."""
    if current_language() == "en":
        return f"{ts:%d %b %Y %H:%M} UTC"
    return f"{fmt_date(ts)} {ts:%H:%M} UTC"
