"""Experiment-specific statistics on the engine's small frames: effects per metric and arm,
capping, guardrails, the detectable effect, the mSPRT plan, data quality and the ship / do not ship
/ inconclusive verdict policy (the pure tests live in :mod:`salesops_lib.stats`)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._format import _fmt_ci, _fmt_diff
from salesops_lib.analyses.experiment._result import Verdict
from salesops_lib.analyses.experiment._spec import ADJUST_METHODS, MetricSpec
from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, current_language
from salesops_lib.stats._common import _check_alpha, _Result
from salesops_lib.stats.bayes_binary import bayes_beta_binomial
from salesops_lib.stats.clusters import cluster_compare_proportions
from salesops_lib.stats.experiments import (
    NonInferiority,
    compare_arms,
    compare_proportions,
    compare_time_to_event,
    interval_alpha,
    non_inferiority,
)
from salesops_lib.stats.power import mde_means, mde_proportions
from salesops_lib.stats.proportions import adjust_pvalues, wilson_interval
from salesops_lib.stats.sequential import msprt_tau
from salesops_lib.stats.survival import kaplan_meier
from salesops_lib.viz.format import fmt_int, fmt_p, fmt_pct, fmt_pp


def _ci_alpha(p_adjusted: np.ndarray, alpha: float, adjust: str) -> float:
    """Per-comparison alpha of intervals matching the adjustment (stats.experiments' rule)."""

    return float(interval_alpha(np.asarray(p_adjusted, dtype=float), alpha, adjust))


def _orient(spec: MetricSpec, low: float, high: float) -> tuple[float, float]:
    """Interval of the effect oriented so that higher is better."""
    return (low, high) if spec.better_when_higher else (-high, -low)


def _binary_effects(
    counts: pd.DataFrame,
    spec: MetricSpec,
    *,
    control: str,
    alpha: float,
    adjust: str,
    seed: int,
    cluster_counts: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-arm table and effects (each arm vs control) of a binary metric from counts per arm."""

    counts = counts.set_index("variant")
    n = counts["n"].astype(int)
    x = counts["conversions"].astype(int)
    lo, hi = wilson_interval(x.to_numpy(), n.to_numpy(), alpha=alpha)
    arms = pd.DataFrame(
        {
            "metric": spec.name,
            "variant": n.index,
            "n": n.to_numpy(),
            "conversions": x.to_numpy(),
            "rate": (x / n).to_numpy(),
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    others = [a for a in n.index if a != control]
    if cluster_counts is not None:
        rows = []
        for a in others:
            cc = cluster_counts[cluster_counts["variant"].isin([a, control])]
            r = cluster_compare_proportions(
                cc["sum"].to_numpy(),
                cc["n"].to_numpy(),
                cc["variant"].to_numpy(),
                control=control,
                alpha=alpha,
            )
            rows.append(r)
        p = np.array([r.p_value for r in rows])
        p_adj = adjust_pvalues(p, method=adjust)
        a_ci = _ci_alpha(p_adj, alpha, adjust)
        out = []
        for a, pa in zip(others, p_adj, strict=True):
            cc = cluster_counts[cluster_counts["variant"].isin([a, control])]
            r = cluster_compare_proportions(
                cc["sum"].to_numpy(),
                cc["n"].to_numpy(),
                cc["variant"].to_numpy(),
                control=control,
                alpha=a_ci,
            )
            out.append(
                {
                    "variant": a,
                    "control_value": r.rate_c,
                    "variant_value": r.rate_t,
                    "abs_diff": r.diff,
                    "abs_ci_low": r.ci_low,
                    "abs_ci_high": r.ci_high,
                    "rel_lift": r.rate_t / r.rate_c - 1 if r.rate_c > 0 else np.nan,
                    "rel_ci_low": np.nan,
                    "rel_ci_high": np.nan,
                    "p_value": r.p_value,
                    "p_value_adjusted": float(pa),
                    "ci_level": 1 - a_ci,
                    "prob_beat_control": np.nan,
                    "expected_loss": np.nan,
                    "method": "cluster-robust (CR2, Bell–McCaffrey) linear probability model, "
                    f"{r.n_clusters_t + r.n_clusters_c} clusters; "
                    f"design effect {r.design_effect:.2f}",
                    "design_effect": r.design_effect,
                    "icc": r.icc,
                    "small_sample": False,
                }
            )
        eff = pd.DataFrame(out)
    else:
        cmp = compare_arms(x.to_dict(), n.to_dict(), control=control, alpha=alpha, p_adjust=adjust)
        cmp = cmp.set_index("arm")
        p_used = np.where(cmp["small_sample"], cmp["exact_p_value"], cmp["p_value"])
        p_adj = (
            adjust_pvalues(p_used, method=adjust)
            if cmp["small_sample"].any()
            else cmp["p_adjusted"].to_numpy()
        )
        # one set of p-values decides both the adjusted p and the interval level (issue 12
        # fix 6): with fdr_bh the level depends on the discoveries, counted on the p-values used
        a_ci = _ci_alpha(p_adj, alpha, adjust)
        out = []
        for (a, row), pu, pa in zip(cmp.iterrows(), p_used, p_adj, strict=True):
            level_alpha = a_ci
            fr = compare_proportions(
                int(x[a]), int(n[a]), int(x[control]), int(n[control]), alpha=level_alpha
            )
            bayes = bayes_beta_binomial(
                int(x[a]), int(n[a]), int(x[control]), int(n[control]), seed=seed
            )
            if spec.better_when_higher:
                pbc, loss = bayes.prob_beat_control, bayes.expected_loss_t
            else:
                pbc, loss = 1.0 - bayes.prob_beat_control, bayes.expected_loss_c
            test = "Boschloo exact test" if bool(row["small_sample"]) else "two-sided pooled z-test"
            out.append(
                {
                    "variant": a,
                    "control_value": float(row["control_rate"]),
                    "variant_value": float(row["rate"]),
                    "abs_diff": float(row["abs_diff"]),
                    "abs_ci_low": float(fr.abs_ci_low),
                    "abs_ci_high": float(fr.abs_ci_high),
                    "rel_lift": float(row["rel_lift"]),
                    # MOVER-R from the Wilson limits of the Newcombe difference interval: it
                    # never contradicts that interval's direction (issue 12 fix 3; the log-ratio
                    # delta method does on 158 of 5,432 small tables, e.g. 7/34 vs 1/34)
                    "rel_ci_low": float(fr.rel_ci_low_mover),
                    "rel_ci_high": float(fr.rel_ci_high_mover),
                    "rel_ci_low_fieller": fr.rel_ci_low_fieller,
                    "rel_ci_high_fieller": fr.rel_ci_high_fieller,
                    "p_value": float(pu),
                    "p_value_adjusted": float(pa),
                    "ci_level": 1.0 - a_ci,
                    "prob_beat_control": pbc,
                    "expected_loss": loss,
                    "method": f"Newcombe hybrid score interval; {test}",
                    "small_sample": bool(row["small_sample"]),
                }
            )
        eff = pd.DataFrame(out)
    return arms, eff


def _tte_effects(
    km_counts: pd.DataFrame,
    spec: MetricSpec,
    *,
    control: str,
    arms_order: Sequence[str],
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per-arm medians, effects (median difference, log-rank) and KM curves of a time-to-event
    metric."""

    kc = km_counts[km_counts["count"] > 0]
    res = compare_time_to_event(
        kc["duration"].to_numpy(dtype=float),
        kc["event"].to_numpy(dtype=int),
        kc["variant"].astype(str).to_numpy(),
        control=control,
        alpha=alpha,
        weights=kc["count"].to_numpy(dtype=float),
        n_boot=n_boot,
        seed=seed,
        p_adjust=adjust,
    ).set_index("arm")
    curves = []
    reach = {}
    for a in arms_order:
        d = kc[kc["variant"] == a]
        km = kaplan_meier(
            d["duration"].to_numpy(dtype=float),
            d["event"].to_numpy(dtype=int),
            weights=d["count"].to_numpy(dtype=float),
            alpha=alpha,
        )
        curves.append(km.table.assign(variant=a))
        horizon = spec.window_days if spec.window_days else float(d["duration"].max())
        reach[a] = float(km.cumulative_at(horizon))
    arms = pd.DataFrame(
        {
            "metric": spec.name,
            "variant": list(arms_order),
            "n": [int(res.loc[a, "n"]) for a in arms_order],
            "events": [int(res.loc[a, "events"]) for a in arms_order],
            "median": [res.loc[a, "median"] for a in arms_order],
            "median_ci_low": [res.loc[a, "median_ci_low"] for a in arms_order],
            "median_ci_high": [res.loc[a, "median_ci_high"] for a in arms_order],
            "share_with_event": [reach[a] for a in arms_order],
        }
    )
    out = []
    mc = float(res.loc[control, "median"])
    for a in arms_order:
        if a == control:
            continue
        r = res.loc[a]
        out.append(
            {
                "variant": a,
                "control_value": mc,
                "variant_value": float(r["median"]),
                "abs_diff": float(r["diff_median"]),
                "abs_ci_low": float(r["diff_ci_low"]),
                "abs_ci_high": float(r["diff_ci_high"]),
                "rel_lift": float(r["median"]) / mc - 1 if _finite(mc) and mc > 0 else np.nan,
                "rel_ci_low": np.nan,
                "rel_ci_high": np.nan,
                "p_value": float(r["p_value"]),
                "p_value_adjusted": float(r["p_adjusted"]),
                "ci_level": 1 - alpha,
                "prob_beat_control": np.nan,
                "expected_loss": np.nan,
                "share_diff": reach[a] - reach[control],
                "method": "Kaplan–Meier medians, bootstrap interval of the difference; log-rank "
                "test",
                "small_sample": False,
            }
        )
    return arms, pd.DataFrame(out), pd.concat(curves, ignore_index=True)


# --------------------------------------------------------------------------- formatting helpers


def _guardrail_checks(effects_g: pd.DataFrame, specs: Sequence[MetricSpec], arm: str) -> list[Any]:

    out = []
    for g in specs:
        r = effects_g[(effects_g["metric"] == g.name) & (effects_g["variant"] == arm)]
        if r.empty:
            continue
        lo, _hi = _orient(g, float(r["ni_ci_low"].iloc[0]), float(r["ni_ci_high"].iloc[0]))
        if not _finite(lo):
            lo = -math.inf
        out.append(
            non_inferiority(lo if math.isfinite(lo) else -1e300, float(g.margin), name=g.name)
        )
    return out


def _and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _verdict(
    effects: pd.DataFrame,
    primary: MetricSpec,
    guardrails: Sequence[MetricSpec],
    *,
    control: str,
    alpha: float,
    srm_failed: bool,
    currency: str = "USD",
) -> tuple[Verdict, pd.Series]:
    """Per-arm decisions (``stats.experiments.decide``) and the overall verdict in plain words."""

    eff = effects[effects["metric"] == primary.name]
    g_eff = effects[effects["role"] == "guardrail"]
    per_arm: dict[str, str] = {}
    reasons: dict[str, str] = {}
    failed_all: list[str] = []
    failed_by: dict[str, list[str]] = {}  # failed guardrails -> arms
    for r in eff.to_dict("records"):
        lo, hi = _orient(primary, r["abs_ci_low"], r["abs_ci_high"])
        if not (_finite(lo) and _finite(hi)):
            lo, hi = (-math.inf if not _finite(lo) else lo), (math.inf if not _finite(hi) else hi)
        checks = _guardrail_checks(g_eff, guardrails, r["variant"])
        d = decide(
            float(max(lo, -1e300)),
            float(min(hi, 1e300)),
            p_adjusted=float(r["p_value_adjusted"]),
            alpha=alpha,
            guardrails=checks,
        )
        per_arm[r["variant"]] = d.verdict
        failed_all += [f"{n} ({r['variant']})" for n in d.failed_guardrails]
        ci = _fmt_ci(primary, r["abs_ci_low"], r["abs_ci_high"], currency)
        diff = _fmt_diff(primary, r["abs_diff"], currency)
        no_median = primary.kind == "time_to_event" and not _finite(r["abs_diff"])
        if no_median and _finite(r.get("share_diff", np.nan)):
            # fewer than half reached the event: no median difference, the share by the window's
            # end and the log-rank p say what can be said
            by = (
                _("by day {day}").format(day=primary.window_days)
                if primary.window_days
                else _("by the as-of time")
            )
            diff = _("{diff} in the share that reached {event} {by}").format(
                diff=fmt_pp(r["share_diff"]), event=primary.event_label, by=by
            )
            ci = _("log-rank {p}; no interval without a median").format(
                p=fmt_p(r["p_value_adjusted"])
            )
        if d.failed_guardrails:
            failed_by.setdefault(", ".join(d.failed_guardrails), []).append(r["variant"])
            reasons[r["variant"]] = ""  # said once for every arm below
        elif d.verdict == "ship":
            reasons[r["variant"]] = _(
                "{arm} is better than {control} on {metric}: {diff} ({ci}), and no guardrail is "
                "harmed."
            ).format(arm=r["variant"], control=control, metric=primary.name, diff=diff, ci=ci)
        elif d.verdict == "do not ship":
            reasons[r["variant"]] = _(
                "{arm} is worse than {control} on {metric}: {diff} ({ci})."
            ).format(arm=r["variant"], control=control, metric=primary.name, diff=diff, ci=ci)
        else:
            reasons[r["variant"]] = _(
                "The difference for {arm} ({diff}, {ci}) could be zero."
            ).format(arm=r["variant"], diff=diff, ci=ci)
    for names, arms in failed_by.items():
        # one sentence for every arm that fails the same guardrails (not one per arm)
        many = len(names.split(", ")) > 1
        reasons[arms[0]] = (
            _(
                "A harm to guardrails {names} larger than their margins cannot be ruled out for "
                "{arms}."
            )
            if many
            else _(
                "A harm to guardrail {names} larger than its margin cannot be ruled out for {arms}."
            )
        ).format(names=names, arms=_and_list(arms))
    reasons = {a: t for a, t in reasons.items() if t}
    decisions = pd.Series(per_arm, dtype=object)
    ships = [a for a, d in per_arm.items() if d == "ship"]
    if ships:
        sign = 1.0 if primary.better_when_higher else -1.0
        best = max(ships, key=lambda a: sign * float(eff.set_index("variant").loc[a, "abs_diff"]))
        if srm_failed:
            return Verdict(
                "inconclusive",
                best,
                _(
                    "{reason} But the arms are not the planned size, so assignment may be broken; "
                    "fix it before acting."
                ).format(reason=reasons[best]),
                per_arm,
                tuple(failed_all),
            ), decisions
        return Verdict("ship", best, reasons[best], per_arm, tuple(failed_all)), decisions
    if per_arm and all(d == "do not ship" for d in per_arm.values()):
        return Verdict(
            "do not ship", None, " ".join(reasons.values()), per_arm, tuple(failed_all)
        ), decisions
    ordered = [reasons[a] for a, d in per_arm.items() if d == "inconclusive" and a in reasons]
    ordered += [reasons[a] for a, d in per_arm.items() if d == "do not ship" and a in reasons]
    return Verdict("inconclusive", None, " ".join(ordered), per_arm, tuple(failed_all)), decisions


def _detectable(
    metric_arms: pd.DataFrame,
    effects: pd.DataFrame,
    spec: MetricSpec,
    *,
    control: str,
    alpha: float,
    power: float,
) -> pd.DataFrame | None:
    """The effect this test could have detected, per treatment arm (``stats.power.mde_*``)."""

    ma = metric_arms.set_index("variant")
    rows = []
    for r in effects.to_dict("records"):
        a = r["variant"]
        a_ci = 1.0 - float(r["ci_level"])
        n_c, n_t = float(ma.loc[control, "n"]), float(ma.loc[a, "n"])
        if spec.kind == "binary":
            p0 = float(ma.loc[control, "rate"])
            if not 0 < p0 < 1:
                continue
            m = mde_proportions(p0, n_c, alpha=a_ci, power=power, ratio=n_t / n_c)
            if not _finite(m.mde):  # no effect within 0-100% is detectable at this size
                continue
        elif spec.kind in ("value", "count"):
            sd = float(ma.loc[control, "sd"])
            if not (_finite(sd) and sd > 0):
                continue
            m = mde_means(sd, n_c, alpha=a_ci, power=power, ratio=n_t / n_c)
        else:
            continue
        rows.append(
            {
                "metric": spec.name,
                "variant": a,
                "n_control": int(n_c),
                "n_variant": int(n_t),
                "baseline": m.baseline,
                "detectable_abs": m.mde,
                "detectable_rel": m.mde_rel,
                "power": power,
                "alpha": a_ci,
            }
        )
    return pd.DataFrame(rows) if rows else None


# --------------------------------------------------------------------------- entry points


def _check_common(alpha: float, adjust: str, power: float) -> None:
    if adjust not in ADJUST_METHODS:
        raise ParamsError("adjust", f"got {adjust!r}", expected="'holm' (default) or 'fdr_bh'")
    if not (isinstance(alpha, int | float) and 0 < float(alpha) < 0.5):
        raise ParamsError(
            "alpha", f"got {alpha!r}", expected="a significance level in (0, 0.5), e.g. 0.05"
        )
    if not (isinstance(power, int | float) and 0.5 < float(power) < 1):
        raise ParamsError("power", f"got {power!r}", expected="a power in (0.5, 1), e.g. 0.8")


def _finish_effects(
    eff: pd.DataFrame, spec: MetricSpec, *, control: str, role: str, alpha: float
) -> pd.DataFrame:
    eff = eff.copy()
    eff.insert(0, "metric", spec.name)
    eff.insert(1, "role", role)
    eff.insert(2, "kind", spec.kind)
    eff.insert(4, "control", control)
    for c in ("rel_ci_low_fieller", "rel_ci_high_fieller"):
        if c not in eff:
            eff[c] = np.nan
    sign = 1.0 if spec.better_when_higher else -1.0
    eff["better"] = (sign * eff["abs_diff"].astype(float)) > 0
    if spec.kind == "time_to_event" and "share_diff" in eff:
        # median not reached: judge the direction by the share that had the event by the window's
        # end
        no_med = eff["abs_diff"].isna()
        eff.loc[no_med, "better"] = (-sign * eff.loc[no_med, "share_diff"].astype(float)) > 0
    eff["significant"] = eff["p_value_adjusted"].astype(float) < alpha
    return eff


def _add_noninferiority(
    eff: pd.DataFrame, eff_ni: pd.DataFrame, spec: MetricSpec, *, alpha: float, n_compared: int
) -> pd.DataFrame:
    r"""Add the non-inferiority read-out of a guardrail to its effects.

    One rule for every guardrail: arm k is non-inferior when the one-sided
    :math:`1 - \alpha/m` confidence bound of its change (``m`` = arms compared with control,
    Bonferroni across arms) stays on the good side of −margin. That bound is the harmful-side end
    of the two-sided :math:`1 - 2\alpha/m` interval (``ni_ci_low``, ``ni_ci_high``), the interval
    the guardrail table shows (``ni_ci_level``; ``ni_level`` is the one-sided level).
    """
    eff = eff.copy()
    eff["ni_ci_low"] = eff_ni["abs_ci_low"].to_numpy()
    eff["ni_ci_high"] = eff_ni["abs_ci_high"].to_numpy()
    eff["ni_level"] = 1.0 - alpha / n_compared
    eff["ni_ci_level"] = 1.0 - 2.0 * alpha / n_compared
    bound, passed = [], []
    for rr in eff.to_dict("records"):
        lo, _ = _orient(spec, rr["ni_ci_low"], rr["ni_ci_high"])
        passed.append(bool(_finite(lo) and lo > -float(spec.margin)))
        bound.append(rr["ni_ci_low"] if spec.better_when_higher else rr["ni_ci_high"])
    eff["ni_bound"] = bound
    eff["guardrail_passed"] = passed
    eff["margin"] = spec.margin
    return eff


def planned_msprt_tau(
    *,
    alpha: float,
    n_compared: int,
    tau: float | None = None,
    baseline_rate: float | None = None,
    planned_n_per_arm: int | None = None,
) -> tuple[float, str]:
    """The mSPRT mixing standard deviation τ fixed by the plan, and a sentence saying where it came
    from.

    ``tau`` when given; otherwise :func:`~salesops_lib.stats.sequential.msprt_tau` at the planned
    ``baseline_rate`` and ``planned_n_per_arm`` and the per-arm level ``alpha / n_compared``.
    Always-validity needs τ fixed before the data are seen, so τ is never taken from the data.

    Raises
    ------
    ParamsError
        Naming ``sequential_tau`` / ``baseline_rate`` / ``planned_n_per_arm`` when the plan is
        missing or out of range.
    """

    if tau is not None:
        if not (isinstance(tau, int | float) and math.isfinite(tau) and 0 < tau < 1):
            raise ParamsError(
                "sequential_tau",
                f"got {tau!r}",
                expected="a mixing standard deviation in (0, 1), e.g. 0.02",
            )
        return float(tau), _("τ = {tau} given in the params (sequential_tau)").format(tau=_g4(tau))
    if baseline_rate is None or planned_n_per_arm is None:
        missing = "baseline_rate" if baseline_rate is None else "planned_n_per_arm"
        raise ParamsError(
            missing,
            "is needed for sequential monitoring: the mixing parameter τ of the always-valid test "
            "must be "
            "fixed from the plan, before the data are seen",
            expected="baseline_rate (the control rate expected when the test was planned, e.g. "
            "0.30) and "
            "planned_n_per_arm (e.g. 5000), or sequential_tau",
            fix="Add them to the params file, or set sequential: false.",
        )
    if not (isinstance(baseline_rate, int | float) and 0 < baseline_rate < 1):
        raise ParamsError(
            "baseline_rate", f"got {baseline_rate!r}", expected="a rate in (0, 1), e.g. 0.30"
        )
    if isinstance(planned_n_per_arm, bool) or not (
        isinstance(planned_n_per_arm, int | np.integer) and planned_n_per_arm >= 2
    ):
        raise ParamsError(
            "planned_n_per_arm",
            f"got {planned_n_per_arm!r}",
            expected="a whole number of units >= 2, e.g. 5000",
        )
    t = msprt_tau(float(baseline_rate), float(planned_n_per_arm), alpha=alpha / n_compared)
    return t, _(
        "τ = {tau}, chosen before the test from the plan: baseline rate {rate}, {n} units per arm"
    ).format(tau=_g4(t), rate=fmt_pct(baseline_rate), n=fmt_int(planned_n_per_arm))


def _g4(x: float) -> str:
    """``f"{x:.4g}"`` with a decimal comma outside English."""
    text = f"{float(x):.4g}"
    return text if current_language() == "en" else text.replace(".", ",")


# --------------------------------------------------------------------------- verdict policy


@dataclass(frozen=True)
class Decision(_Result):
    """Ship / do not ship / inconclusive, with the reason in plain language."""

    verdict: Literal["ship", "do not ship", "inconclusive"]
    reason: str
    failed_guardrails: tuple[str, ...] = ()


def decide(
    effect_low: float,
    effect_high: float,
    *,
    p_adjusted: float,
    alpha: float = 0.05,
    mde: float | None = None,
    guardrails: Mapping[str, tuple[float, float]] | Sequence[NonInferiority] | None = None,
) -> Decision:
    """Turn the primary metric's interval and the guardrails into a verdict.

    Parameters
    ----------
    effect_low, effect_high
        Interval for treatment − control on the primary metric (higher is better), at the level
        that matches the p-value adjustment (see :func:`compare_arms`).
    p_adjusted
        The primary comparison's (multiplicity-adjusted) p-value.
    alpha
        Significance level.
    mde
        Smallest effect worth shipping (positive, same units as the interval). When given and the
        result is not significant, an interval entirely below ``mde`` means "no effect worth
        shipping" (do not ship) instead of "inconclusive".
    guardrails
        Either ``name -> (diff_low, margin)`` or :class:`NonInferiority` results
        (:func:`non_inferiority`).

    Returns
    -------
    Decision
        Rules, in order:

        1. A guardrail that is not non-inferior → **do not ship**.
        2. ``p_adjusted < alpha`` and ``effect_low > 0`` → **ship**.
        3. ``p_adjusted < alpha`` and ``effect_high < 0`` → **do not ship** (treatment is worse).
        4. ``p_adjusted < alpha`` but the interval contains 0 (the test and the interval
           disagree, e.g. Holm vs Bonferroni intervals) → **inconclusive**.
        5. Not significant, ``mde`` given and ``effect_high < mde`` → **do not ship**: the
           interval rules out an effect as large as the smallest one worth shipping.
        6. Otherwise → **inconclusive**: the data cannot tell a worthwhile effect from none;
           report the effect the test could have detected (``power.mde_*`` at the achieved n),
           not post-hoc power.

    References
    ----------
    Kohavi, R., Tang, D. and Xu, Y. (2020). *Trustworthy Online Controlled Experiments*, ch. 3
    (decision from the interval and practical significance).
    """
    alpha = _check_alpha(alpha)
    for name, v in (
        ("effect_low", effect_low),
        ("effect_high", effect_high),
        ("p_adjusted", p_adjusted),
    ):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or math.isnan(v):
            raise ParamsError(name, f"got {v!r}", expected="a number")
    if effect_low > effect_high:
        raise ParamsError(
            "effect_low", f"{effect_low} is above effect_high {effect_high}", expected="low <= high"
        )
    if not 0 <= p_adjusted <= 1:
        raise ParamsError("p_adjusted", f"got {p_adjusted!r}", expected="a p-value in [0, 1]")
    if mde is not None and not (isinstance(mde, int | float) and mde > 0):
        raise ParamsError("mde", f"got {mde!r}", expected="a positive effect size, or None")
    checks: list[NonInferiority] = []
    if guardrails is not None:
        if isinstance(guardrails, Mapping):
            for gname, pair in guardrails.items():
                try:
                    lo, margin = pair
                except (TypeError, ValueError):
                    raise ParamsError(
                        f"guardrails.{gname}", f"got {pair!r}", expected="(diff_low, margin)"
                    ) from None
                checks.append(non_inferiority(float(lo), float(margin), name=str(gname)))
        else:
            for gd in guardrails:
                if not isinstance(gd, NonInferiority):
                    raise ParamsError(
                        "guardrails",
                        f"holds {type(gd).__name__}",
                        expected="NonInferiority results",
                    )
                checks.append(gd)
    failed = tuple(c.name for c in checks if not c.passed)
    ci = f"[{effect_low:.4g}, {effect_high:.4g}]"
    if failed:
        why = " ".join(c.reason for c in checks if not c.passed)
        return Decision("do not ship", f"Guardrail failed. {why}", failed)
    sig = p_adjusted < alpha
    if sig and effect_low > 0:
        return Decision(
            "ship",
            f"The treatment is better: the interval {ci} lies above 0 (adjusted p = "
            f"{p_adjusted:.3g}) and no guardrail is harmed.",
        )
    if sig and effect_high < 0:
        return Decision(
            "do not ship",
            f"The treatment is worse: the interval {ci} lies below 0 (adjusted p = "
            f"{p_adjusted:.3g}).",
        )
    if sig:
        return Decision(
            "inconclusive",
            f"The adjusted p-value ({p_adjusted:.3g}) is below {alpha:g} but the interval {ci} "
            "still contains 0; treat as borderline and collect more data.",
        )
    if mde is not None and effect_high < mde:
        return Decision(
            "do not ship",
            f"No effect worth shipping: the interval {ci} rules out the smallest worthwhile effect "
            f"({mde:.4g}).",
        )
    extra = (
        f" and still allows the smallest worthwhile effect ({mde:.4g})" if mde is not None else ""
    )
    return Decision(
        "inconclusive",
        f"Not significant (adjusted p = {p_adjusted:.3g}): the interval {ci} includes 0{extra}; "
        "the test cannot tell a worthwhile effect from none.",
    )
