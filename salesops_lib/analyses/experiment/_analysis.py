"""The public functions of the experiment analysis: orchestration only.

:func:`evaluate_experiment` (from the data model: design, quality checks, effects per metric,
verdict, optional always-valid monitoring) and :func:`compare_binary_counts` (from plain counts
per arm, e.g. typed into a notebook).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.experiment._engine import (
    BinarySummaries,
    ExperimentDesign,
    ValueSummaries,
    _cluster_counts,
    _km_counts,
    _pre_summary,
    _weekly_counts,
    binary_summaries,
    check_planned_split,
    experiment_design,
    metric_view,
    units_by_metric,
    validate_metrics_against_data,
    value_summaries,
)
from salesops_lib.analyses.experiment._result import DataQuality, ExperimentResult
from salesops_lib.analyses.experiment._spec import MetricSpec, coerce_metrics
from salesops_lib.analyses.experiment._stats import (
    _add_noninferiority,
    _binary_effects,
    _check_common,
    _detectable,
    _finish_effects,
    _tte_effects,
    _verdict,
    planned_msprt_tau,
)
from salesops_lib.analyses.experiment._stats_values import _binary_cuped, _value_effects
from salesops_lib.data.money import data_currency
from salesops_lib.data.temp import materialised
from salesops_lib.errors import ParamsError
from salesops_lib.stats.balance import sample_ratio_test
from salesops_lib.stats.sequential import msprt_binary
from salesops_lib.stats.summaries import balance_check_from_stats


@dataclass
class _MetricData:
    """What the engine returned for one metric (small frames), read by :func:`_metric_stats`."""

    immature: int = 0
    km: pd.DataFrame | None = None
    binary: BinarySummaries | None = None
    values: ValueSummaries | None = None
    clusters: pd.DataFrame | None = None
    weekly: pd.DataFrame | None = None


def _analyse_metric(
    design: ExperimentDesign,
    spec: MetricSpec,
    t: Any,
    *,
    role: str,
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
    param: str,
    ni: Mapping[str, Any] | None = None,
    weekly: bool = False,
) -> tuple[
    pd.DataFrame,
    pd.DataFrame,
    pd.DataFrame | None,
    int,
    dict[str, Any] | None,
    pd.DataFrame | None,
    pd.DataFrame | None,
]:
    """Per-arm table, effects, KM curves, units with an open window and capping facts of one
    metric, the effects again at the non-inferiority level ``ni`` (``alpha``, ``adjust``) of a
    guardrail, and the weekly counts of the sequential read-out when ``weekly``.

    ``t`` is the metric's per-unit table (:func:`metric_view` of the units x metrics table,
    materialised once in the engine for all metrics); its summaries are read from it
    (:func:`_metric_data`) and the statistics (:func:`_metric_stats`) run on those summaries,
    twice for a guardrail. Nothing unit-level comes to pandas.
    """
    data = _metric_data(design, spec, t, param=param)
    if weekly and spec.kind == "binary":
        data.weekly = _weekly_counts(t, spec)
    kw = {"role": role, "n_boot": n_boot, "seed": seed}
    ma, eff, curves, capping = _metric_stats(design, spec, data, alpha=alpha, adjust=adjust, **kw)
    eff_ni = None
    if ni is not None:
        eff_ni = _metric_stats(design, spec, copy.deepcopy(data), **ni, **kw)[1]
    return ma, eff, curves, data.immature, capping, eff_ni, data.weekly


def _metric_data(design: ExperimentDesign, spec: MetricSpec, t: Any, *, param: str) -> _MetricData:
    """The engine's summaries of one metric from its (materialised) per-unit table ``t``: KM
    counts, the per-arm counts and CUPED moments of a binary metric (one query), the
    :class:`ValueSummaries` of a count or value metric, per-cluster sums when clustered."""
    arms = design.arms
    data = _MetricData()
    if spec.kind == "time_to_event":
        kc = _km_counts(t)
        kc["variant"] = kc["variant"].astype(str)
        data.km = kc
    elif spec.kind == "binary":
        bs = binary_summaries(t, with_pre=design.has_pre and not design.cluster_by)
        counts = bs.counts.set_index("variant").reindex(arms).fillna(0).astype(int).reset_index()
        empty = counts.loc[counts["n"] == 0, "variant"].tolist()
        if empty:
            raise ParamsError(
                param + ".window_days",
                f"no unit of arm(s) {empty} has a closed {spec.window_days}-day window by "
                f"{design.as_of:%Y-%m-%d} (metric {spec.name!r})",
                expected="a shorter window or a later as_of",
            )
        bs.counts = counts
        data.binary = bs
        data.clusters = _cluster_counts(t) if design.cluster_by else None
    else:
        summ = value_summaries(
            t,
            control=design.control,
            arms=arms,
            cap_pct=spec.winsorize_pct if not design.cluster_by else None,
            with_pre=design.has_pre,
        )
        n_by_arm = dict(zip(summ.arms["variant"], summ.arms["n"], strict=True))
        small = [a for a in arms if int(n_by_arm.get(a, 0)) < 2]
        if small:
            raise ParamsError(
                param + ".window_days",
                f"arm(s) {small} have fewer than 2 units with a closed window (metric "
                f"{spec.name!r})",
                expected="a shorter window or a later as_of",
            )
        data.values = summ
        if design.cluster_by:
            cc = _cluster_counts(t)
            data.clusters = cc.assign(mean=cc["sum"] / cc["n"], variant=cc["variant"].astype(str))
    if spec.window_days is not None and spec.kind != "time_to_event":
        data.immature = data.binary.n_immature if data.binary else data.values.n_immature
    return data


def _metric_stats(
    design: ExperimentDesign,
    spec: MetricSpec,
    data: _MetricData,
    *,
    role: str,
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, dict[str, Any] | None]:
    """Per-arm table, effects, KM curves and capping facts of one metric from its summaries."""
    arms = design.arms
    curves = None
    capping = None
    if spec.kind == "time_to_event":
        ma, eff, curves = _tte_effects(
            data.km,
            spec,
            control=design.control,
            arms_order=arms,
            alpha=alpha,
            adjust=adjust,
            n_boot=n_boot,
            seed=seed,
        )
    elif spec.kind == "binary":
        bs = data.binary
        ma, eff = _binary_effects(
            bs.counts,
            spec,
            control=design.control,
            alpha=alpha,
            adjust=adjust,
            seed=seed,
            cluster_counts=data.clusters,
        )
        if bs.cuped is not None and data.clusters is None:
            eff = _binary_cuped(eff, bs.cuped, control=design.control)
    else:
        ma, eff, extra = _value_effects(
            data.values,
            spec,
            control=design.control,
            arms_order=arms,
            alpha=alpha,
            adjust=adjust,
            n_boot=n_boot,
            seed=seed,
            cluster_values=data.clusters,
        )
        capping = extra.get("capping")
    return (
        ma,
        _finish_effects(eff, spec, control=design.control, role=role, alpha=alpha),
        curves,
        capping,
    )


def evaluate_experiment(
    source: Any,
    *,
    campaign_id: str,
    control: str = "control",
    metrics: Sequence[MetricSpec | Mapping[str, Any]],
    guardrails: Sequence[MetricSpec | Mapping[str, Any]] = (),
    planned_split: Mapping[str, float] | None = None,
    cluster_by: str | None = None,
    adjust: str = "holm",
    alpha: float = 0.05,
    power: float = 0.8,
    sequential: bool = False,
    sequential_tau: float | None = None,
    baseline_rate: float | None = None,
    planned_n_per_arm: int | None = None,
    n_boot: int = 2000,
    seed: int = 7,
    as_of: Any = None,
    currency: str = "USD",
    unit_label: str = "lead",
) -> ExperimentResult:
    """Evaluate an A/B(/n) campaign from the data model: checks, effects, verdict.

    Parameters
    ----------
    source
        A :class:`~salesops_lib.data.sources.Source` or anything ``open_source`` accepts (a DuckDB
        path, a folder, a dict of DataFrames, an Ibis backend).
    campaign_id
        ``campaign_members.campaign_id`` of the experiment; arms are ``campaign_members.variant``.
    control
        The arm every other arm is compared with.
    metrics
        Metric definitions (dicts as in the params file, or :class:`MetricSpec`); one is primary.
    guardrails
        Metrics with a non-inferiority ``margin``.
    planned_split
        Planned share per arm (sums to 1); default equal shares.
    cluster_by
        Column (of ``campaign_members`` or ``leads``) naming the randomisation cluster.
    adjust
        ``"holm"`` or ``"fdr_bh"`` adjustment across treatment arms.
    alpha, power
        Significance level; power for the detectable effect.
    sequential
        Add always-valid (mSPRT) p-values of the primary metric (binary only), one look per week.
    sequential_tau, baseline_rate, planned_n_per_arm
        The plan that fixes the mSPRT mixing parameter τ before the data are seen:
        ``sequential_tau``
        directly, or ``baseline_rate`` (expected control rate) and ``planned_n_per_arm`` (τ from
        :func:`~salesops_lib.stats.sequential.msprt_tau`). Needed when ``sequential`` is true.
    n_boot, seed
        Bootstrap resamples and seed (value metrics, median differences).
    unit_label
        What one randomised unit is called in sentences, singular (``lead``, ``visitor``...).
    as_of
        Cut-off time; a bare date means the end of that day (default: the source's ``as_of``).
        A path and an open source with the same ``as_of`` give identical results
        (:func:`~salesops_lib.analyses._base.resolve_source`).

    Returns
    -------
    ExperimentResult

    Raises
    ------
    ParamsError
        Unknown control arm, empty arm, unknown stage / activity type, bad split, bad metric.
    """
    specs = coerce_metrics(metrics, param="metrics")
    if not specs:
        raise ParamsError("metrics", "is empty", expected="at least one metric")
    gspecs = coerce_metrics(guardrails, param="guardrails", guardrail=True)
    _check_common(alpha, adjust, power)
    design = experiment_design(
        source,
        campaign_id=campaign_id,
        control=control,
        planned_split=planned_split,
        cluster_by=cluster_by,
        as_of=as_of,
    )
    validate_metrics_against_data(design.src, specs, param="metrics")
    validate_metrics_against_data(design.src, gspecs, param="guardrails")
    if any(m.kind == "value" for m in [*specs, *gspecs]):  # the data's currency wins
        currency = data_currency(design.src, default=currency, tables=("opportunities",))
    if sequential:  # fail before the long computations when the plan for tau is missing
        planned_msprt_tau(
            alpha=alpha,
            n_compared=len(design.arms) - 1,
            tau=sequential_tau,
            baseline_rate=baseline_rate,
            planned_n_per_arm=planned_n_per_arm,
        )
    quality = _quality(design, unit_label=unit_label)

    metric_arms: dict[str, pd.DataFrame] = {}
    curves: dict[str, pd.DataFrame] = {}
    capping: dict[str, dict[str, Any]] = {}
    effects = []
    weekly: pd.DataFrame | None = None
    n_compared = len(design.arms) - 1
    # every metric's per-unit outcome in one table, computed once in the engine (a temp table in
    # DuckDB / PostgreSQL, a persisted DataFrame in Spark) and dropped at the end
    with materialised(units_by_metric(design, [*specs, *gspecs])) as wide:
        for k, (role, i, spec) in enumerate(
            [("metric", j, sp) for j, sp in enumerate(specs)]
            + [("guardrail", j, sp) for j, sp in enumerate(gspecs)]
        ):
            param = "metrics" if role == "metric" else "guardrails"
            r = "primary" if spec.primary else ("guardrail" if role == "guardrail" else "secondary")
            ni_kw = None
            if role == "guardrail":
                # non-inferiority: one-sided bound at alpha / (arms compared), i.e. the two-sided
                # interval at 2 * alpha / m (binary/count/value: Bonferroni at 2 * alpha)
                if spec.kind == "time_to_event":
                    ni_kw = {"alpha": 2 * alpha / n_compared, "adjust": adjust}
                else:
                    ni_kw = {"alpha": 2 * alpha, "adjust": "bonferroni"}
            ma, eff, cv, imm, cap, eff_ni, wk = _analyse_metric(
                design,
                spec,
                metric_view(wide, design, spec, k),
                role=r,
                alpha=alpha,
                adjust=adjust,
                n_boot=n_boot,
                seed=seed,
                param=f"{param}.{i}",
                ni=ni_kw,
                weekly=sequential and spec.primary and role == "metric",
            )
            if wk is not None:
                weekly = wk
            if eff_ni is not None:
                eff = _add_noninferiority(eff, eff_ni, spec, alpha=alpha, n_compared=n_compared)
            if cap is not None:
                capping[spec.name] = cap
            metric_arms[spec.name] = ma
            if cv is not None:
                curves[spec.name] = cv
            if imm:
                quality.immature[spec.name] = imm
            effects.append(eff)
    eff_all = pd.concat(effects, ignore_index=True)
    # the robustness table shows a CUPED estimate only for these rows (guardrails are judged apart)
    quality.cuped_shown = bool(
        "cuped_diff" in eff_all
        and (eff_all["role"] != "guardrail").any()
        and eff_all.loc[eff_all["role"] != "guardrail", "cuped_diff"].notna().any()
    )
    primary = next(s for s in specs if s.primary)
    verdict, decisions = _verdict(
        eff_all,
        primary,
        gspecs,
        control=design.control,
        alpha=alpha,
        srm_failed=quality.srm_failed,
        currency=currency,
    )
    eff_all["decision"] = [
        decisions.get(v) if m == primary.name else None
        for m, v in zip(eff_all["metric"], eff_all["variant"], strict=True)
    ]
    arms_tbl = metric_arms[primary.name].merge(
        quality.split[["variant", "planned_share", "actual_share"]].assign(
            n_assigned=quality.split["n"]
        ),
        on="variant",
        how="left",
    )
    detectable = _detectable(
        metric_arms[primary.name],
        eff_all[eff_all["metric"] == primary.name],
        primary,
        control=design.control,
        alpha=alpha,
        power=power,
    )
    seq = None
    if sequential:
        seq = _sequential(
            design,
            primary,
            weekly,
            alpha=alpha,
            tau=sequential_tau,
            baseline_rate=baseline_rate,
            planned_n_per_arm=planned_n_per_arm,
        )
    return ExperimentResult(
        campaign_id=design.campaign_id,
        control=design.control,
        arms_order=design.arms,
        metrics=specs,
        guardrails=gspecs,
        arms=arms_tbl,
        effects=eff_all,
        metric_arms=metric_arms,
        quality=quality,
        verdict=verdict,
        curves=curves,
        detectable=detectable,
        sequential=seq,
        alpha=alpha,
        adjust=adjust,
        power=power,
        cluster_by=cluster_by,
        as_of=design.as_of,
        first_assigned=design.first_assigned,
        last_assigned=design.last_assigned,
        n_member_rows=design.n_member_rows,
        currency=currency,
        unit_label=unit_label,
        source=design.src,
        capping=capping,
    )


def _quality(design: ExperimentDesign, *, unit_label: str = "lead") -> DataQuality:
    """SRM, multi-assignment and pre-period balance of a design."""

    srm = sample_ratio_test({a: int(design.counts[a]) for a in design.arms}, design.planned_split)
    n = design.counts.sum()
    split = pd.DataFrame(
        {
            "variant": design.arms,
            "n": [int(design.counts[a]) for a in design.arms],
            "planned_share": [design.planned_split[a] for a in design.arms],
            "actual_share": [design.counts[a] / n for a in design.arms],
            "expected": list(srm.expected),
        }
    )
    balance = None
    if design.has_pre:
        pre = _pre_summary(design)
        if pre is not None:
            pre = pre.set_index("variant")
            by = {
                a: (float(pre.loc[a, "mean"]), float(pre.loc[a, "sd"]), int(pre.loc[a, "n"]))
                for a in design.arms
                if a in pre.index
            }
            if len(by) == len(design.arms) and all(v[2] >= 2 for v in by.values()):
                balance = balance_check_from_stats(by, control=design.control)
    return DataQuality(
        split=split,
        srm=srm,
        n_multi_assigned=design.n_multi_assigned,
        multi_examples=list(design.multi_examples),
        balance=balance,
        n_units=int(n),
        unit_label=unit_label,
    )


def _sequential(
    design: ExperimentDesign,
    spec: MetricSpec,
    weekly: pd.DataFrame | None,
    *,
    alpha: float,
    tau: float | None = None,
    baseline_rate: float | None = None,
    planned_n_per_arm: int | None = None,
) -> pd.DataFrame:
    """Always-valid (mSPRT) read-out of each arm vs control, one look per week
    (``stats.sequential``).

    A unit's outcome is known when its window closes, so the look of week ``w`` (Monday to
    Sunday) holds the units whose window closed by the end of that Sunday (or by ``as_of`` for
    the last, partial week); ``data_to`` is that last day. Looks start once every arm has 50 such
    units. τ comes from the plan (:func:`planned_msprt_tau`), never from the data, and each of the
    ``m`` arms is compared with control at ``alpha / m`` (Bonferroni): ``reject`` means the
    always-valid p-value is at most ``alpha / m``; ``p_value_adjusted`` = min(1, m · p).
    ``weekly``: the primary metric's units and events per (arm, week), from
    :func:`_weekly_counts` (read while the metric's per-unit table is materialised).
    """

    if spec.kind != "binary":
        raise ParamsError(
            "sequential",
            f"the primary metric {spec.name!r} is {spec.kind}",
            expected="a binary primary metric, or sequential: false",
        )
    m = len(design.arms) - 1
    tau_v, tau_note = planned_msprt_tau(
        alpha=alpha,
        n_compared=m,
        tau=tau,
        baseline_rate=baseline_rate,
        planned_n_per_arm=planned_n_per_arm,
    )
    a_arm = alpha / m
    wk = weekly.copy()
    wk["variant"] = wk["variant"].astype(str)
    n = (
        wk.pivot_table(index="week", columns="variant", values="n", aggfunc="sum")
        .reindex(columns=design.arms)
        .fillna(0)
        .sort_index()
        .cumsum()
    )
    x = (
        wk.pivot_table(index="week", columns="variant", values="x", aggfunc="sum")
        .reindex(columns=design.arms)
        .fillna(0)
        .sort_index()
        .cumsum()
    )
    ok = (n >= 50).all(axis=1)
    n, x = n[ok], x[ok]
    rows = []
    c = design.control
    if n.empty:
        raise ParamsError(
            "sequential",
            "no week has 50 units with a known outcome in every arm",
            expected="sequential: false",
        )
    weeks = pd.DatetimeIndex(n.index)
    data_to = (weeks + pd.Timedelta(days=6)).normalize()
    data_to = data_to.where(data_to <= design.as_of.normalize(), design.as_of.normalize())
    for a in design.arms:
        if a == c:
            continue
        r = msprt_binary(
            x[a].to_numpy(int),
            n[a].to_numpy(int),
            x[c].to_numpy(int),
            n[c].to_numpy(int),
            tau=tau_v,
            alpha=a_arm,
        )
        tab = r.to_frame().assign(
            variant=a, week=weeks.to_numpy(), data_to=data_to.to_numpy(), tau=r.tau
        )
        tab["p_value_adjusted"] = np.minimum(1.0, m * tab["p_value"].to_numpy())
        tab["alpha_per_arm"] = a_arm
        tab["n_compared"] = m
        tab["tau_source"] = tau_note
        rows.append(tab)
    return pd.concat(rows, ignore_index=True)


def _parse_counts(counts: Any, *, param: str = "counts") -> pd.DataFrame:
    """``variant, n, conversions`` from a DataFrame or a dict of plain counts."""
    if isinstance(counts, pd.DataFrame):
        df = counts.copy()
        if "variant" not in df.columns:
            for alt in ("arm", "group"):
                if alt in df.columns:
                    df = df.rename(columns={alt: "variant"})
                    break
            else:
                df = (
                    df.rename_axis("variant").reset_index()
                    if df.index.name or not isinstance(df.index, pd.RangeIndex)
                    else df
                )
        for alt, canon in (
            ("units", "n"),
            ("trials", "n"),
            ("successes", "conversions"),
            ("x", "conversions"),
        ):
            if alt in df.columns and canon not in df.columns:
                df = df.rename(columns={alt: canon})
        missing = [c for c in ("variant", "n", "conversions") if c not in df.columns]
        if missing:
            raise ParamsError(
                param,
                f"has no column(s) {missing} (columns: {list(df.columns)})",
                expected="columns variant, n, conversions",
            )
        df = df[["variant", "n", "conversions"]]
    elif isinstance(counts, Mapping):
        rows = []
        for k, v in counts.items():
            if isinstance(v, Mapping):
                n_, x_ = v.get("n", v.get("units")), v.get("conversions", v.get("successes"))
            else:
                try:
                    x_, n_ = v
                except (TypeError, ValueError):
                    raise ParamsError(
                        f"{param}.{k}",
                        f"got {v!r}",
                        expected="(conversions, n) or {n: ..., conversions: ...}",
                    ) from None
            rows.append({"variant": str(k), "n": n_, "conversions": x_})
        df = pd.DataFrame(rows)
    else:
        raise ParamsError(
            param,
            f"got {type(counts).__name__}",
            expected="a DataFrame (variant, n, conversions) or a dict arm -> (conversions, n)",
        )
    df["variant"] = df["variant"].astype(str)
    for c in ("n", "conversions"):
        vals = pd.to_numeric(df[c], errors="coerce")
        bad = df.loc[vals.isna() | (vals < 0) | (vals != np.floor(vals)), "variant"].tolist()
        if bad:
            raise ParamsError(
                f"{param}.{c}",
                f"is not a count >= 0 for arm(s) {bad}",
                expected="whole numbers >= 0",
            )
        df[c] = vals.astype(int)
    zero = df.loc[df["n"] == 0, "variant"].tolist()
    if zero:
        raise ParamsError(
            param, f"arm(s) {zero} have zero units", expected="at least one unit per arm"
        )
    over = df.loc[df["conversions"] > df["n"], "variant"].tolist()
    if over:
        raise ParamsError(
            f"{param}.conversions", f"exceeds n for arm(s) {over}", expected="conversions <= n"
        )
    return df.reset_index(drop=True)


def compare_binary_counts(
    counts: pd.DataFrame | Mapping[str, Any],
    *,
    control: str,
    metric: str = "Conversion",
    planned_split: Mapping[str, float] | None = None,
    guardrails: Mapping[str, Any] | None = None,
    adjust: str = "holm",
    alpha: float = 0.05,
    power: float = 0.8,
    higher_is_better: bool = True,
    seed: int = 7,
) -> ExperimentResult:
    """Evaluate a conversion experiment from plain counts per arm (no data source needed).

    Parameters
    ----------
    counts
        A DataFrame with ``variant`` (or ``arm``), ``n`` and ``conversions``, or a dict
        ``{arm: (conversions, n)}`` / ``{arm: {"n": ..., "conversions": ...}}``.
    control
        The control arm.
    metric
        Name of the metric in the output.
    planned_split
        Planned share per arm for the sample-ratio check (default equal).
    guardrails
        ``{name: {"counts": <like counts>, "margin": 0.02, "higher_is_better": False}}``.
    adjust, alpha, power, higher_is_better, seed
        As in :func:`evaluate_experiment`.

    Returns
    -------
    ExperimentResult
        The same object as :func:`evaluate_experiment` (multi-assignment and balance unknown: 0 /
        None).

    Examples
    --------
    >>> res = compare_binary_counts({"control": (300, 1000), "new": (360, 1000)}, control="control")
    >>> res.verdict.decision
    'ship'
    """

    _check_common(alpha, adjust, power)
    df = _parse_counts(counts)
    arms = df["variant"].tolist()
    if control not in arms:
        raise ParamsError(
            "control", f"arm {control!r} is not in the counts", expected=f"one of {arms}"
        )
    if len(arms) < 2:
        raise ParamsError(
            "counts", "has a single arm", expected="a control and at least one other arm"
        )
    order = [control] + [a for a in arms if a != control]
    df = df.set_index("variant").loc[order].reset_index()
    split = check_planned_split(planned_split, order)
    missing = [a for a in split if a not in order]
    if missing:
        raise ParamsError(
            "planned_split",
            f"arm(s) {missing} have zero units (not in the counts)",
            expected=f"arms {order}",
        )
    spec = MetricSpec(
        name=metric,
        kind="binary",
        stage="converted",
        primary=True,
        higher_is_better=higher_is_better,
    )
    ma, eff = _binary_effects(df, spec, control=control, alpha=alpha, adjust=adjust, seed=seed)
    effects = [_finish_effects(eff, spec, control=control, role="primary", alpha=alpha)]
    gspecs = []
    metric_arms = {metric: ma}
    for gname, g in (guardrails or {}).items():
        if not isinstance(g, Mapping) or "counts" not in g or "margin" not in g:
            raise ParamsError(
                f"guardrails.{gname}",
                f"got {g!r}",
                expected="{counts: ..., margin: 0.02, higher_is_better: true|false}",
            )
        gs = coerce_metrics(
            [
                {
                    "name": gname,
                    "kind": "binary",
                    "stage": "converted",
                    "margin": g["margin"],
                    "higher_is_better": g.get("higher_is_better", True),
                }
            ],
            param="guardrails",
            guardrail=True,
        )[0]
        gdf = (
            _parse_counts(g["counts"], param=f"guardrails.{gname}.counts")
            .set_index("variant")
            .loc[order]
            .reset_index()
        )
        gma, geff = _binary_effects(gdf, gs, control=control, alpha=alpha, adjust=adjust, seed=seed)
        _, gni = _binary_effects(
            gdf, gs, control=control, alpha=2 * alpha, adjust="bonferroni", seed=seed
        )
        geff = _finish_effects(geff, gs, control=control, role="guardrail", alpha=alpha)
        geff = _add_noninferiority(geff, gni, gs, alpha=alpha, n_compared=len(order) - 1)
        effects.append(geff)
        gspecs.append(gs)
        metric_arms[gname] = gma
    eff_all = pd.concat(effects, ignore_index=True)
    srm = sample_ratio_test(
        {a: int(n) for a, n in zip(df["variant"], df["n"], strict=True)},
        {a: split[a] for a in order},
    )
    tot = df["n"].sum()
    qsplit = pd.DataFrame(
        {
            "variant": order,
            "n": df["n"].to_numpy(),
            "planned_share": [split[a] for a in order],
            "actual_share": (df["n"] / tot).to_numpy(),
            "expected": list(srm.expected),
        }
    )
    quality = DataQuality(split=qsplit, srm=srm, n_units=int(tot))
    verdict, decisions = _verdict(
        eff_all, spec, gspecs, control=control, alpha=alpha, srm_failed=quality.srm_failed
    )
    eff_all["decision"] = [
        decisions.get(v) if m == metric else None
        for m, v in zip(eff_all["metric"], eff_all["variant"], strict=True)
    ]
    arms_tbl = ma.merge(
        qsplit[["variant", "planned_share", "actual_share"]].assign(n_assigned=qsplit["n"]),
        on="variant",
    )
    detectable = _detectable(
        ma, eff_all[eff_all["metric"] == metric], spec, control=control, alpha=alpha, power=power
    )
    return ExperimentResult(
        campaign_id="(counts)",
        control=control,
        arms_order=order,
        metrics=[spec],
        guardrails=gspecs,
        arms=arms_tbl,
        effects=eff_all,
        metric_arms=metric_arms,
        quality=quality,
        verdict=verdict,
        detectable=detectable,
        alpha=alpha,
        adjust=adjust,
        power=power,
    )
