"""Numbers of an experiment: :class:`ExperimentResult` (its words come from :mod:`._narrative`,
its charts from :mod:`._charts`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from salesops_lib._jsonsafe import json_safe
from salesops_lib.analyses._base import Header, ResultBase
from salesops_lib.analyses.experiment._charts import (
    arm_rates_plot,
    forest_plot,
    km_plot,
    split_plot,
)
from salesops_lib.analyses.experiment._engine import _finite
from salesops_lib.analyses.experiment._format import _count_units, _unit_of, _units
from salesops_lib.analyses.experiment._narrative import ExperimentNarrative
from salesops_lib.analyses.experiment._narrative_methods import ExperimentMethods
from salesops_lib.analyses.experiment._narrative_tables import ExperimentTables
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.data.period import Period
from salesops_lib.errors import ParamsError, SalesOpsError
from salesops_lib.i18n import _, ngettext
from salesops_lib.viz.format import (
    fmt_int,
    fmt_num,
    fmt_p,
    fmt_pct,
    plural,
)


def _srm_method(method: str) -> str:
    """The sample-ratio test's name (:func:`~salesops_lib.stats.balance.sample_ratio_test`) in
    the reader's language."""
    names = {
        "chi-square": _("chi-square"),
        "exact binomial": _("exact binomial"),
        "exact multinomial": _("exact multinomial"),
        "monte carlo multinomial": _("monte carlo multinomial"),
    }
    return names.get(method, method)


@dataclass
class DataQuality:
    """Data-quality checks of an experiment; ``problems`` feed the banner at the top of a report.

    Attributes
    ----------
    split
        One row per arm: ``variant``, ``n``, ``planned_share``, ``actual_share``, ``expected``.
    srm
        :class:`~salesops_lib.stats.experiments.SRMResult` (sample-ratio mismatch test).
    n_multi_assigned, multi_examples
        Units found in more than one arm (excluded from every analysis) and a few of their ids.
    balance
        :class:`~salesops_lib.stats.experiments.BalanceResult` of ``pre_period_value`` (or
        ``None``).
    immature
        Units left out of each metric because its window had not closed by ``as_of``.
    """

    split: pd.DataFrame
    srm: Any
    n_multi_assigned: int = 0
    multi_examples: list[str] = field(default_factory=list)
    balance: Any = None
    immature: dict[str, int] = field(default_factory=dict)
    n_units: int = 0
    unit_label: str = "lead"
    #: Whether the report shows a CUPED-adjusted estimate (count/value metrics with a pre-period
    #: value); the imbalance warning points to it only then.
    cuped_shown: bool = True

    @property
    def srm_failed(self) -> bool:
        return bool(self.srm.mismatch)

    @property
    def problems(self) -> list[str]:
        """Plain-language description of every failed check (empty when all passed)."""

        out = []
        if self.srm_failed:
            worst = self.split.assign(
                gap=(self.split["actual_share"] - self.split["planned_share"]).abs()
            )
            w = worst.sort_values("gap", ascending=False).iloc[0]
            out.append(
                _(
                    "The arms are not the planned size ({p}, {method} test): {arm} has {actual} of "
                    "{units} against {planned} planned. Assignment may be broken; treat the "
                    "results with caution."
                ).format(
                    p=fmt_p(self.srm.p_value),
                    method=_srm_method(self.srm.method),
                    arm=w["variant"],
                    actual=fmt_pct(w["actual_share"]),
                    units=_units(self.unit_label),
                    planned=fmt_pct(w["planned_share"]),
                )
            )
        if self.n_multi_assigned:
            ex = ", ".join(self.multi_examples[:3])
            out.append(
                ngettext(
                    "{units} was assigned to more than one arm (e.g. {examples}) and was left out "
                    "of every analysis.",
                    "{units} were assigned to more than one arm (e.g. {examples}) and were left "
                    "out of every analysis.",
                    self.n_multi_assigned,
                ).format(units=_count_units(self.n_multi_assigned, self.unit_label), examples=ex)
            )
        b = self.balance
        if b is not None and not b.balanced and not b.failed:
            msg = (
                _(
                    "The arms differed before the test started by up to {smd} standard deviations "
                    "(pre-period value), no more than random assignment gives at this size (up to "
                    "{chance} 95% of the time): no sign of a broken assignment, but the effects "
                    "are less precise; the adjusted (CUPED) estimates allow for it."
                )
                if self.cuped_shown
                else _(
                    "The arms differed before the test started by up to {smd} standard deviations "
                    "(pre-period value), no more than random assignment gives at this size (up to "
                    "{chance} 95% of the time): no sign of a broken assignment, but the effects "
                    "are less precise; a pre-period adjustment (CUPED) would allow for it."
                )
            )
            out.append(msg.format(smd=fmt_num(b.max_abs_smd, 2), chance=fmt_num(b.chance_smd, 2)))
        if b is not None and b.failed:
            msg = (
                _(
                    "The arms differed before the test started (pre-period value, largest "
                    "standardised difference {smd} ≥ {limit}, more than random assignment gives at "
                    "this size, up to {chance}); the adjusted (CUPED) estimates are the safer read."
                )
                if self.cuped_shown
                else _(
                    "The arms differed before the test started (pre-period value, largest "
                    "standardised difference {smd} ≥ {limit}, more than random assignment gives at "
                    "this size, up to {chance}); no metric of this report has a pre-period "
                    "adjustment, so read the differences with that in mind."
                )
            )
            out.append(
                msg.format(
                    smd=fmt_num(b.max_abs_smd, 2),
                    limit=fmt_num(0.10, 2),
                    chance=fmt_num(b.chance_smd, 2),
                )
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per check: check, result, passed."""

        rows = [
            {
                "check": _("Arm sizes match the planned split"),
                "result": f"{fmt_p(self.srm.p_value)} ({_srm_method(self.srm.method)})",
                "passed": not self.srm_failed,
            },
            {
                "check": _("Units in more than one arm"),
                "result": _("{n} excluded").format(n=fmt_int(self.n_multi_assigned)),
                "passed": self.n_multi_assigned == 0,
            },
        ]
        if self.balance is not None:
            rows.append(
                {
                    "check": _("Pre-period balance (largest standardised difference)"),
                    "result": f"{fmt_num(self.balance.max_abs_smd, 3)} "
                    f"({fmt_p(self.balance.p_value)})"
                    + (
                        "; "
                        + _("chance alone gives up to {chance} at this size").format(
                            chance=fmt_num(self.balance.chance_smd, 2)
                        )
                        if not self.balance.balanced
                        else ""
                    ),
                    "passed": not self.balance.failed,
                }
            )
        for name, k in self.immature.items():
            rows.append(
                {
                    "check": _("Units whose window is still open ({metric})").format(metric=name),
                    "result": _("{n} not yet counted").format(n=fmt_int(k)),
                    "passed": True,
                }
            )
        return pd.DataFrame(rows)


@dataclass
class Verdict:
    """The decision on the primary metric: ``decision`` ∈ {ship, do not ship, inconclusive}."""

    decision: str
    arm: str | None
    reason: str
    per_arm: dict[str, str] = field(default_factory=dict)
    failed_guardrails: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"{self.decision.capitalize()}" + (
            f" {self.arm}" if self.arm and self.decision == "ship" else ""
        )
        return f"{head}: {self.reason}"


@dataclass
class ExperimentResult(ExperimentNarrative, ExperimentTables, ExperimentMethods, ResultBase):
    """Everything about one experiment, ready for a notebook cell or a report.

    Attributes
    ----------
    arms
        Per-arm table of the primary metric (``variant``, ``n``, ``conversions``, ``rate``,
        ``ci_low``, ``ci_high`` for binary metrics; ``mean`` etc. otherwise) plus
        ``planned_share``/``actual_share`` of assigned units.
    effects
        One row per (metric, treatment arm): ``metric``, ``role`` (primary / secondary /
        guardrail), ``variant``, ``control``, ``control_value``, ``variant_value``, ``abs_diff``,
        ``abs_ci_low``, ``abs_ci_high``, ``rel_lift``, ``rel_ci_low``, ``rel_ci_high`` (binary:
        MOVER-R; otherwise delta method), ``rel_ci_low_fieller``, ``rel_ci_high_fieller``,
        ``p_value``,
        ``p_value_adjusted``, ``ci_level``, ``prob_beat_control``, ``expected_loss``,
        ``significant``, ``better``, ``method`` and, for value metrics, bootstrap / Mann–Whitney /
        CUPED columns.
    metric_arms
        Per-arm table of every metric (by metric name).
    quality
        :class:`DataQuality`.
    verdict
        :class:`Verdict`.
    curves
        Kaplan–Meier curves per time-to-event metric (tidy: variant, time, survival, ci_low,
        ci_high).
    detectable
        Per treatment arm, the smallest effect on the primary metric this test could have detected
        (at ``power``); never post-hoc power on the observed effect.
    sequential
        Always-valid (mSPRT) read-out of the primary metric, when asked for: one row per (arm,
        weekly look) with ``data_to`` (last day of data in the look), ``p_value`` (always valid),
        ``p_value_adjusted`` (× arms compared), ``ci_low``/``ci_high`` (at ``1 − alpha_per_arm``),
        ``reject``, ``tau`` and ``tau_source``.
    capping
        Per capped metric (``winsorize_pct``): ``cap``, ``pct``, ``n_units``, ``n_nonzero``,
        ``n_capped``, ``total``, ``total_capped``, ``share_removed`` (see :func:`cap_nonzero`).
    """

    campaign_id: str
    control: str
    arms_order: list[str]
    metrics: list[MetricSpec]
    guardrails: list[MetricSpec]
    arms: pd.DataFrame
    effects: pd.DataFrame
    metric_arms: dict[str, pd.DataFrame]
    quality: DataQuality
    verdict: Verdict
    curves: dict[str, pd.DataFrame] = field(default_factory=dict)
    detectable: pd.DataFrame | None = None
    sequential: pd.DataFrame | None = None
    alpha: float = 0.05
    adjust: str = "holm"
    power: float = 0.8
    cluster_by: str | None = None
    as_of: pd.Timestamp | None = None
    first_assigned: pd.Timestamp | None = None
    last_assigned: pd.Timestamp | None = None
    n_member_rows: int | None = None
    currency: str = "USD"
    unit_label: str = "lead"
    source: Any = field(default=None, repr=False)
    capping: dict[str, dict[str, Any]] = field(default_factory=dict)

    ANALYSIS: ClassVar[str] = "experiment"
    PLOT_KINDS: ClassVar[tuple[str, ...]] = ("forest", "arms", "km", "split")

    # ---------------------------------------------------------------- basic access
    @property
    def primary(self) -> MetricSpec:
        return next(m for m in self.metrics if m.primary)

    def spec(self, name: str) -> MetricSpec:
        for m in [*self.metrics, *self.guardrails]:
            if m.name == name:
                return m
        raise ParamsError(
            "metric",
            f"unknown metric {name!r}",
            expected=f"one of {[m.name for m in self.metrics + self.guardrails]}",
        )

    def to_frame(self) -> pd.DataFrame:
        """The effects table (one row per metric and treatment arm)."""
        return self.effects.copy()

    def primary_effects(self) -> pd.DataFrame:
        return self.effects[self.effects["metric"] == self.primary.name].reset_index(drop=True)

    def median_not_reached(self, name: str) -> bool:
        """Whether time-to-event metric ``name`` lacks a median difference for some arm (fewer
        than half of an arm reached the event): then it is read as the share that reached the
        event by the window's end, with the log-rank p, not as a difference of medians."""
        if self.spec(name).kind != "time_to_event":
            return False
        rows = self.effects[self.effects["metric"] == name]
        return not rows["abs_diff"].map(_finite).all()

    # ---------------------------------------------------------------- numbers
    def header(self) -> Header:
        """The common JSON header: ``n`` = units analysed (units assigned to one arm); ``period``
        = the days units were assigned (first to last assignment up to ``as_of``)."""
        enrolled = (
            Period(self.first_assigned.date(), self.last_assigned.date())
            if pd.notna(self.first_assigned) and pd.notna(self.last_assigned)
            else None
        )
        return Header(
            analysis=self.ANALYSIS,
            headline=self.headline(),
            period=enrolled,
            as_of=self.as_of,
            n=int(self.quality.split["n"].sum()),
            n_label=_units(self.unit_label),
            warnings=self.warnings(),
        )

    def _results(self) -> dict[str, Any]:
        """The experiment's own fields of ``results`` (made JSON-safe by :meth:`to_results`)."""
        p = self.primary

        arm_cols = [
            c
            for c in (
                "variant",
                "n",
                "conversions",
                "rate",
                "ci_low",
                "ci_high",
                "mean",
                "planned_share",
                "actual_share",
                "n_assigned",
            )
            if c in self.arms.columns
        ]
        arms = [
            {k: json_safe(v) for k, v in r.items()} for r in self.arms[arm_cols].to_dict("records")
        ]
        eff_cols = [
            "metric",
            "role",
            "variant",
            "control",
            "abs_diff",
            "abs_ci_low",
            "abs_ci_high",
            "rel_lift",
            "rel_ci_low",
            "rel_ci_high",
            "rel_ci_low_fieller",
            "rel_ci_high_fieller",
            "p_value",
            "p_value_adjusted",
            "ci_level",
            "prob_beat_control",
            "expected_loss",
            "significant",
            "method",
        ]
        g_cols = [
            "margin",
            "ni_ci_low",
            "ni_ci_high",
            "ni_ci_level",
            "ni_level",
            "ni_bound",
            "guardrail_passed",
        ]
        c_cols = [
            "cap",
            "uncapped_control_value",
            "uncapped_variant_value",
            "uncapped_diff",
            "uncapped_ci_low",
            "uncapped_ci_high",
        ]
        eff = []
        for r in self.effects.to_dict("records"):
            cols = (
                eff_cols
                + (g_cols if r["role"] == "guardrail" else [])
                + (c_cols if _finite(r.get("cap", np.nan)) else [])
            )
            eff.append({k: json_safe(r.get(k)) for k in cols})
        out: dict[str, Any] = {
            "campaign_id": self.campaign_id,
            "primary_metric": p.name,
            "control": self.control,
            "arms": arms,
            "srm_p_value": json_safe(self.quality.srm.p_value),
            "srm_method": self.quality.srm.method,
            "srm_failed": self.quality.srm_failed,
            "multi_assigned_units": int(self.quality.n_multi_assigned),
            "balance_max_abs_smd": json_safe(self.quality.balance.max_abs_smd)
            if self.quality.balance is not None
            else None,
            "effects": eff,
            "verdict": self.verdict.decision,
            "verdict_arm": self.verdict.arm,
            "verdict_reason": self.verdict.reason,
            "verdict_per_arm": dict(self.verdict.per_arm),
            "failed_guardrails": list(self.verdict.failed_guardrails),
            "adjust": self.adjust,
            "alpha": self.alpha,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
        }
        if self.detectable is not None:
            out["detectable_effect"] = [
                {k: json_safe(v) for k, v in r.items()} for r in self.detectable.to_dict("records")
            ]
        if self.sequential is not None:
            sq = self.sequential
            seq = []
            for _a, g in sq.groupby("variant", sort=False):
                last = g.iloc[-1].drop(labels=["week", "data_to"])
                rec = {k: json_safe(v) for k, v in last.items()}
                first = g.loc[g["reject"].astype(bool), "data_to"]
                rec["data_to"] = pd.Timestamp(g["data_to"].iloc[-1]).date().isoformat()
                rec["first_clear_look_data_to"] = (
                    pd.Timestamp(first.iloc[0]).date().isoformat() if len(first) else None
                )
                rec["n_looks"] = len(g)
                seq.append(rec)
            out["sequential"] = seq
        if self.capping:
            out["capping"] = {
                k: {kk: json_safe(vv) for kk, vv in v.items() if kk != "n_capped_by_arm"}
                for k, v in self.capping.items()
            }
        return out

    # ---------------------------------------------------------------- display blocks
    def _plot_forest(
        self,
        *,
        metric: str | None = None,
        detail: str | None = None,
        relative: bool = False,
        title: str | None = None,
        ax: Any = None,
    ) -> Any:
        """Forest plot of the effects of one metric (default: primary; ``detail`` = metric name)
        or of all metrics (``metric="all"``, relative)."""
        metric = metric or detail or None

        if metric == "all":
            df = self.effects.copy()
            return forest_plot(
                df,
                estimate="rel_lift",
                low="rel_ci_low",
                high="rel_ci_high",
                unit="relpct",
                title=title or _("Relative change against control, every metric"),
                ax=ax,
            )
        s = self.spec(metric) if metric else self.primary
        df = self.effects[self.effects["metric"] == s.name]
        if self.median_not_reached(s.name):
            raise SalesOpsError(
                f"{s.name}: the median is not reached in every arm (fewer than half the "
                f"{plural(self.unit_label)} reached {s.event_label}), so there is no difference "
                "of medians to plot.",
                fix=f"draw res.plot('km:{s.name}') for the share that reached it day by day",
            )
        if relative:
            return forest_plot(
                df,
                estimate="rel_lift",
                low="rel_ci_low",
                high="rel_ci_high",
                unit="relpct",
                label="variant",
                title=title,
                ax=ax,
            )
        unit = _unit_of(s)
        xlabel = None
        if s.kind == "binary":
            xlabel = _("{metric}: difference vs {control} (percentage points)")
        elif s.kind == "time_to_event":
            xlabel = _("{metric}: difference in median vs {control} (days; negative = faster)")
        elif s.name in self.capping:
            xlabel = _("{metric}: difference in {cap} vs {control}")
        else:
            xlabel = _("{metric}: difference in mean vs {control}")
        xlabel = xlabel.format(metric=s.name, control=self.control, cap=self._cap_label(s.name))
        return forest_plot(
            df,
            unit=unit,
            label="variant",
            xlabel=xlabel,
            title=title or (self.chart_title() if s.primary else None),
            currency=self.currency,
            ax=ax,
        )

    def _plot_arms(
        self,
        *,
        metric: str | None = None,
        detail: str | None = None,
        title: str | None = None,
        ax: Any = None,
    ) -> Any:
        """Per-arm rates with intervals (binary metrics; ``detail`` = metric name)."""
        metric = metric or detail or None

        s = self.spec(metric) if metric else self.primary
        if s.kind != "binary":
            raise ParamsError(
                "metric", f"{s.name!r} is a {s.kind} metric", expected="a binary metric"
            )
        df = self.metric_arms[s.name]
        hl = self.verdict.arm if (s.primary and self.verdict.decision == "ship") else None
        eff = self.effects[self.effects["metric"] == s.name]
        apart = bool(eff["significant"].fillna(False).astype(bool).any()) if len(eff) else False
        if title is None and hl is None and not apart:
            # no arm clearly apart: "X has the highest" would rank what chance may have ordered
            title = _("{metric} by arm: no arm clearly apart from {control}").format(
                metric=s.name, control=self.control
            )
        elif title is None:
            best = df.sort_values("rate").iloc[-1]
            title = _("{arm} has the highest {metric}: {rate}").format(
                arm=best["variant"], metric=s.name, rate=fmt_pct(best["rate"])
            )
        return arm_rates_plot(
            df, control=self.control, highlight=hl, title=title, xlabel=s.name, ax=ax
        )

    def _plot_km(
        self,
        *,
        metric: str | None = None,
        detail: str | None = None,
        title: str | None = None,
        ax: Any = None,
    ) -> Any:
        """Kaplan–Meier curves (share that reached the event by day t) of a time-to-event metric
        (default: the first; ``detail`` = metric name)."""
        metric = metric or detail or None

        if metric is None:
            tte = [m for m in self.metrics if m.kind == "time_to_event"]
            if not tte:
                raise ParamsError(
                    "metric",
                    "no time-to-event metric",
                    expected="a metric with kind: time_to_event",
                )
            s = tte[0]
        else:
            s = self.spec(metric)
        ma = self.metric_arms[s.name].set_index("variant")
        eff = self.effects[self.effects["metric"] == s.name].set_index("variant")

        sig = eff[eff["significant"].astype(bool) & eff["better"].astype(bool)]
        hl = None
        if len(sig):
            key = sig["share_diff"].abs() if "share_diff" in sig else sig["p_value_adjusted"]
            hl = str(key.idxmax())
        if title is None:
            if hl is not None:
                r = eff.loc[hl]
                if _finite(ma.loc[hl, "median"]) and _finite(ma.loc[self.control, "median"]):
                    detail = _("median {arm} vs {control} days").format(
                        arm=f"{ma.loc[hl, 'median']:.0f}",
                        control=f"{ma.loc[self.control, 'median']:.0f}",
                    )
                else:
                    horizon = (
                        _("by day {day}").format(day=s.window_days)
                        if s.window_days
                        else _("by the as-of time")
                    )
                    detail = _("{arm} vs {control} {horizon}").format(
                        arm=fmt_pct(ma.loc[hl, "share_with_event"], 0),
                        control=fmt_pct(ma.loc[self.control, "share_with_event"], 0),
                        horizon=horizon,
                    )
                title = _("{arm} reaches {event} sooner than {control}: {detail} ({p})").format(
                    arm=hl,
                    event=s.event_label,
                    control=self.control,
                    detail=detail,
                    p=fmt_p(r["p_value_adjusted"]),
                )
            else:
                title = _("Time to {event}: no arm is clearly faster than {control}").format(
                    event=s.event_label, control=self.control
                )
        return km_plot(
            self.curves[s.name],
            control=self.control,
            highlight=hl,
            event_label=s.event_label,
            max_days=s.window_days,
            title=title,
            ax=ax,
        )

    def _plot_split(self, *, title: str | None = None, ax: Any = None) -> Any:
        """Data-quality panel: actual vs planned share of units per arm."""

        q = self.quality
        if title is None:
            title = (
                _("Arm sizes do not match the plan ({p})")
                if q.srm_failed
                else _("Arm sizes are borderline against the plan ({p})")
                if q.srm.p_value < 0.05
                else _("Arm sizes match the plan ({p})")
            ).format(p=fmt_p(q.srm.p_value))
        return split_plot(q.split, failed=q.srm_failed, title=title, ax=ax)


# --------------------------------------------------------------------------- verdict, power
