"""Methods and definitions of an experiment report: every figure's definition, formula and
reference (the words half of :class:`~salesops_lib.analyses.experiment.ExperimentResult`)."""

from __future__ import annotations

from typing import Any

from salesops_lib.analyses.experiment._format import (
    _fmt_diff,
    _level_txt,
)
from salesops_lib.viz.format import (
    count_noun,
    fmt_int,
    fmt_pct,
    plural,
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
                "primary metric"
                if m.primary
                else ("guardrail" if m.margin is not None else "secondary metric")
            )
            text = m.describe() + (
                f" Non-inferiority margin: {_fmt_diff(m, m.margin, self.currency).lstrip('+')}."
                if m.margin
                else ""
            )
            cap = self.capping.get(m.name)
            if cap:
                total_word = (
                    "won revenue"
                    if m.kind == "value" and m.stage == "won"
                    else ("the amount" if m.kind == "value" else "the total")
                )
                text += (
                    f" Shown as a {self._cap_label(m.name)}: the cap is the {cap['pct']:g}th percentile of the "
                    f"{fmt_int(cap['n_nonzero'])} units with a non-zero value (all arms pooled); "
                    f"{fmt_int(cap['n_capped'])} of {fmt_int(cap['n_units'])} units were capped "
                    f"({fmt_pct(cap['n_capped'] / cap['n_nonzero'] if cap['n_nonzero'] else 0.0)} of those with a value), "
                    f"which removes {fmt_pct(cap['share_removed'])} of {total_word}. The uncapped means are shown next to the capped ones."
                )
            rows.append((f"{m.name} ({role})", text))
        span = ""
        if self.first_assigned is not None:
            span = f" Units were assigned from {self.first_assigned:%d %b %Y} to {self.last_assigned:%d %b %Y}; data as of {self.as_of:%d %b %Y %H:%M} UTC."
        rows += [
            (
                "Units and exclusions",
                f"{plural(self.unit_label).capitalize()} in campaign_members for {self.campaign_id}, arm = variant. {count_noun(self.quality.n_multi_assigned, self.unit_label)} found in more than one arm {'was' if self.quality.n_multi_assigned == 1 else 'were'} excluded from every analysis; "
                f"units whose outcome window had not closed by the as-of time are left out of that metric.{span}",
            ),
            ("Intervals", self._interval_sentence() + " " + self._interval_rule()),
            (
                "Sample-ratio check",
                "Chi-square goodness-of-fit test of units per arm against the planned split (exact binomial / multinomial test when an expected count is below 5); flagged when p < 0.001.",
            ),
        ]
        kinds = {m.kind for m in [*self.metrics, *self.guardrails]}
        if self.quality.balance is not None:
            rows.append(
                (
                    "Pre-period balance",
                    "Standardised mean difference of pre_period_value against control (flagged at 0.10), with Welch tests.",
                )
            )
        if "binary" in kinds:
            rows.append(
                (
                    "Binary metrics",
                    "Differences in rates are in percentage points (pp): from 30% to 35% is +5 pp. Difference in rates with the Newcombe hybrid score interval; two-sided pooled z-test (Boschloo exact test when an expected count is below 5); "
                    "relative lift with delta-method (log ratio) and Fieller intervals; Bayesian probability to beat control and expected loss from Beta(1, 1) priors.",
                    "diff = p_t − p_c;  lift = p_t / p_c − 1;  z = diff / sqrt(p(1−p)(1/n_t + 1/n_c))",
                )
            )
        if kinds & {"count", "value"}:
            cuped = self.quality.balance is not None
            rows.append(
                (
                    "Count and value metrics",
                    "Welch t-test on per-unit values; percentile interval of a Poisson bootstrap (each arm's units spread over up to 2,000 buckets, "
                    "a Poisson(1) weight per bucket and replicate; with fewer units every unit is its own bucket); optional capping of large values at a percentile of the "
                    f"non-zero values of all arms pooled (most {plural(self.unit_label)} have no revenue, so a percentile of all units would cut into ordinary deals); Mann–Whitney U test as a robustness check"
                    + (
                        "; CUPED regression adjustment with pre_period_value (variance reduction shown)"
                        if cuped
                        else ""
                    )
                    + (
                        ". Count metrics: relative change from the Poisson rate ratio."
                        if "count" in kinds
                        else "."
                    )
                    + " Everything is computed from per-arm sums, moments, exact quantiles, rank sums and bucket sums in the database engine, so memory does not grow with the number of units.",
                    *(("y_cuped = y − θ (x − mean(x)),  θ = cov(x, y) / var(x)",) if cuped else ()),
                )
            )
        if "time_to_event" in kinds:
            rows.append(
                (
                    "Time to event",
                    "Kaplan–Meier curves per arm (units without the event are censored at the as-of time or at the end of the window); log-rank test; "
                    f"difference in median days with a {_level_txt(1 - self.alpha)} bootstrap interval.",
                )
            )
        rows += [
            (
                "Verdict",
                "Ship when the primary metric's adjusted p-value is below "
                f"{self.alpha:g}, its interval lies on the good side of zero"
                + (
                    " and every guardrail holds (non-inferiority, see Intervals)"
                    if self.guardrails
                    else ""
                )
                + ". Do not ship when the treatment is clearly worse"
                + (" or a guardrail fails" if self.guardrails else "")
                + ". Otherwise inconclusive. A failed sample-ratio check makes a ship verdict inconclusive.",
            ),
        ]
        if self.detectable is not None:
            rows.append(
                (
                    "Detectable effect",
                    f"The smallest true difference this test would have found with {100 * self.power:g}% probability at its final size "
                    "(a planning quantity; not post-hoc power on the observed effect).",
                )
            )
        if self.cluster_by:
            rows.append(
                (
                    "Cluster randomisation",
                    f"Units were randomised in clusters ({self.cluster_by}). Binary metrics use a linear probability model with cluster-robust CR2 (Bell–McCaffrey) standard errors and Satterthwaite degrees of freedom, which hold their error rate with few clusters; "
                    "value metrics compare cluster means; the design effect is shown per comparison.",
                )
            )
        if self.sequential is not None:
            sq = self.sequential
            m = int(sq["n_compared"].iloc[0])
            p = self.primary
            win = f"{p.window_days}-day window" if p.window_days else "outcome"
            bonf = (
                f" Each of the {m} arms is compared with {self.control} at {self.alpha:g}/{m} = {float(sq['alpha_per_arm'].iloc[0]):.3g} "
                f"(Bonferroni); the p-values shown are multiplied by {m} and the intervals are {_level_txt(1 - float(sq['alpha_per_arm'].iloc[0]))}."
                if m > 1
                else ""
            )
            rows.append(
                (
                    "Sequential monitoring",
                    "Always-valid p-values and confidence sequences from the mixture sequential probability ratio test (mSPRT, normal mixture on the "
                    f"difference in rates): looking at the results early does not inflate false positives. {sq['tau_source'].iloc[0]}.{bonf} "
                    f"One look per week once every arm has 50 units with a known outcome; the look of a week includes the units whose {win} closed "
                    "by its Sunday (by the as-of time for the last look) and is labelled by that last day of data.",
                )
            )
        return Definitions(rows)

    def _interval_rule(self) -> str:
        """The one statement of which interval is which (methods section)."""
        a_level = _level_txt(1 - self.alpha)
        m = len(self.arms_order) - 1
        eff = self.effects[self.effects["role"] != "guardrail"]
        d_level = _level_txt(self.primary_effects()["ci_level"].iloc[0])
        text = f"Each arm's own rate or median: {a_level} interval. "
        if m > 1 and self.adjust == "holm":
            text += (
                f"Differences from {self.control}: {d_level} intervals — {m} arms are each compared with {self.control}, so each comparison "
                f"uses {self.alpha:g}/{m} (Bonferroni-level simultaneous intervals) and p-values are Holm-adjusted. "
            )
        elif m > 1:
            text += (
                f"Differences from {self.control}: false-coverage-rate intervals matching the Benjamini–Hochberg adjusted p-values "
                f"({d_level} here). "
            )
        else:
            text += f"Differences from {self.control}: {d_level} intervals. "
        if (eff["kind"] == "time_to_event").any():
            text += f"Differences in median days: {a_level} bootstrap intervals (not widened). "
        g = self.effects[self.effects["role"] == "guardrail"]
        if not g.empty:
            one, two = _level_txt(g["ni_level"].iloc[0]), _level_txt(g["ni_ci_level"].iloc[0])
            per = (
                f" (the {self.alpha:g} error rate split over the {m} arms compared with {self.control})"
                if m > 1
                else ""
            )
            text += (
                f"Guardrails: non-inferiority test per arm at a one-sided {one} bound{per}; the guardrail holds when that bound — "
                f"the harmful-side end of the {two} interval shown in the guardrail table — stays within the margin."
            )
        return text

    # ---------------------------------------------------------------- charts
