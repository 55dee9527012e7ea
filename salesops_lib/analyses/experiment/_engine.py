"""Engine side of the experiment analysis (Ibis, any backend): the design found in the data and
one row per unit (lead) with every metric's outcome (:func:`units_by_metric`: one join per
event source, materialised once), reduced to small count frames.

* arm (``campaign_members.variant``), ``assigned_at`` and ``pre_period_value`` per unit;
* per metric the outcome (reached a stage within N days, meetings within N days, won revenue
  within N days, days to an event censored at ``as_of``);
* binary metrics come back as counts per arm; clusters as counts per (cluster, arm);
  time-to-event metrics as counts per (arm, day, event); count and value metrics as per-arm
  sufficient statistics (:func:`value_summaries`: moments, the cap and medians as exact engine
  quantiles, CUPED cross-moments, rank sums for Mann–Whitney, per-bucket sums for the bootstrap),
  whose size does not grow with the number of units.

Units that appear in more than one arm are counted, excluded from every analysis and reported.
Units whose outcome window has not closed by ``as_of`` are excluded from that metric (counted).
"""

from __future__ import annotations

import contextlib
import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd

from salesops_lib.analyses._base import resolve_source
from salesops_lib.analyses.experiment._spec import (
    _SPLIT_TOLERANCE,
    OPPORTUNITY_STAGES,
    MetricSpec,
    _param_name,
)
from salesops_lib.data.temp import temp_table
from salesops_lib.errors import DataValidationError, ParamsError, SourceError


def _literal_ts(ts: pd.Timestamp) -> ibis.expr.types.Value:
    ts = pd.Timestamp(ts)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ibis.literal(ts.to_pydatetime(), type="timestamp")


# --------------------------------------------------------------------------- design


@dataclass
class ExperimentDesign:
    """The experiment as found in the data (engine expressions + small facts).

    Attributes
    ----------
    units
        Ibis table, one row per clean unit: ``lead_id``, ``variant``, ``assigned_at``,
        ``pre_period_value`` (when present), ``cluster`` (when ``cluster_by`` is set).
    arms
        Arm names, control first, then the others in planned-split / alphabetical order.
    counts
        Units per arm after excluding multi-assigned units (pandas Series).
    planned_split
        Planned share per arm (sums to 1).
    n_multi_assigned
        Units found in more than one arm (excluded everywhere).
    multi_examples
        A few of their ids.
    n_member_rows
        Rows of ``campaign_members`` for the campaign up to ``as_of``.
    first_assigned, last_assigned
        Time span of the assignments.
    """

    campaign_id: str
    control: str
    units: ibis.Table
    arms: list[str]
    counts: pd.Series
    planned_split: dict[str, float]
    n_multi_assigned: int
    multi_examples: list[str]
    n_member_rows: int
    has_pre: bool
    cluster_by: str | None
    as_of: pd.Timestamp
    first_assigned: pd.Timestamp | None
    last_assigned: pd.Timestamp | None
    src: Any = field(repr=False)


def check_planned_split(
    planned_split: Mapping[str, float] | None, arms: Sequence[str]
) -> dict[str, float]:
    if planned_split is None:
        return {a: 1.0 / len(arms) for a in arms}
    if not isinstance(planned_split, Mapping) or not planned_split:
        raise ParamsError(
            "planned_split",
            f"got {planned_split!r}",
            expected="a mapping arm -> share, e.g. {control: 0.5, treatment: 0.5}",
        )
    split: dict[str, float] = {}
    for k, v in planned_split.items():
        try:
            fv = float(v)
        except (TypeError, ValueError):
            raise ParamsError(
                f"planned_split.{k}", f"got {v!r}", expected="a share between 0 and 1"
            ) from None
        if not 0 < fv < 1 and not (fv == 1 and len(planned_split) == 1):
            raise ParamsError(
                f"planned_split.{k}", f"got {v!r}", expected="a share between 0 and 1"
            )
        split[str(k)] = fv
    total = sum(split.values())
    if abs(total - 1.0) > _SPLIT_TOLERANCE:
        raise ParamsError(
            "planned_split",
            f"shares sum to {total:.4f}, not 1 "
            f"({', '.join(f'{k}: {v:g}' for k, v in split.items())})",
            expected="shares that sum to 1",
            fix="Give each arm its planned share of units, e.g. 0.5/0.5 or 1/3 each.",
        )
    missing = [a for a in arms if a not in split]
    if missing:
        raise ParamsError(
            "planned_split",
            f"has no share for arm(s) {missing} found in campaign_members.variant",
            expected=f"a share for every arm: {list(arms)}",
        )
    return {k: v / total for k, v in split.items()}


def experiment_design(
    source: Any,
    *,
    campaign_id: str,
    control: str,
    planned_split: Mapping[str, float] | None = None,
    cluster_by: str | None = None,
    as_of: Any = None,
) -> ExperimentDesign:
    """Find the experiment's units and arms in ``campaign_members`` and run the design checks.

    Members assigned after ``as_of`` are ignored. A unit (``lead_id``) found in more than one arm
    is *multi-assigned*: counted, excluded from every analysis and reported. Repeated rows of the
    same unit in the same arm collapse to one unit (earliest ``assigned_at``, mean
    ``pre_period_value``).

    Raises
    ------
    ParamsError
        ``campaign_id`` with no members, ``control`` not among the arms, ``planned_split`` that does
        not sum to 1 or misses arms, an arm of the planned split with zero units, ``cluster_by``
        naming a column that exists nowhere.
    """
    src = resolve_source(source, as_of=as_of)
    as_of_ts = pd.Timestamp(src.as_of)
    cm = src.table("campaign_members", needed_for="the experiment's arms")
    if "lead_id" not in cm.columns:
        raise DataValidationError(
            table="campaign_members",
            column="lead_id",
            rule="is needed: the experiment's units are leads",
            fix="Map the unit id of the campaign members to `lead_id`.",
        )
    cm = cm.filter(cm.campaign_id == str(campaign_id))
    has_assigned = "assigned_at" in cm.columns
    if has_assigned:
        cm = cm.filter(cm.assigned_at.isnull() | (cm.assigned_at <= _literal_ts(as_of_ts)))
    n_rows = int(cm.count().execute())
    if n_rows == 0:
        all_cm = src.table("campaign_members")
        known = all_cm.select("campaign_id").distinct().limit(20).execute()["campaign_id"].tolist()
        raise ParamsError(
            "campaign_id",
            f"no rows of campaign_members for campaign {campaign_id!r} (up to {as_of_ts:%Y-%m-%d})",
            expected=f"one of {sorted(map(str, known))}",
        )
    has_pre = "pre_period_value" in cm.columns
    # a unit is in one arm when its smallest and largest arm agree (cheaper in the engine than
    # counting distinct arms per unit)
    aggs: dict[str, Any] = {
        "_vmax": cm.variant.max(),
        "variant": cm.variant.min(),
    }
    if has_assigned:
        aggs["assigned_at"] = cm.assigned_at.min()
    if has_pre:
        aggs["pre_period_value"] = cm.pre_period_value.cast("float64").mean()
    cluster_from_members = cluster_by is not None and cluster_by in cm.columns
    if cluster_from_members:
        aggs["cluster"] = cm[cluster_by].cast("string").min()
    # one pass over campaign_members, kept in the engine (a temp table) for every later query;
    # dropped when the design is garbage-collected
    per_unit, drop = temp_table(cm.group_by(cm.lead_id).aggregate(**aggs))
    multi = per_unit.filter(per_unit._vmax != per_unit.variant)
    # units per arm, multi-assigned units and the span of the assignments in one query
    single = per_unit._vmax == per_unit.variant
    summary: dict[str, Any] = {
        "n": _flag(single).sum(),
        "n_multi": _flag(per_unit._vmax != per_unit.variant).sum(),
    }
    if has_assigned:
        summary["first"] = per_unit.assigned_at.min(where=single)
        summary["last"] = per_unit.assigned_at.max(where=single)
    by_arm = per_unit.group_by("variant").aggregate(**summary).execute()
    n_multi = int(by_arm["n_multi"].sum())
    multi_examples = (
        multi.order_by("lead_id").limit(5).execute()["lead_id"].astype(str).tolist()
        if n_multi
        else []
    )
    units = per_unit.filter(per_unit._vmax == per_unit.variant).drop("_vmax")
    if cluster_by is not None and not cluster_from_members:
        leads = src.table("leads", needed_for="the cluster column")
        if cluster_by not in leads.columns:
            raise ParamsError(
                "cluster_by",
                f"column {cluster_by!r} is in neither campaign_members nor leads",
                expected="owner_id or account_id (a column of leads or campaign_members), or null",
            )
        lk = leads.select(lead_id=leads.lead_id, cluster=leads[cluster_by].cast("string"))
        units = units.left_join(lk, "lead_id").drop("lead_id_right")
    counts_df = by_arm[by_arm["n"] > 0]
    counts = counts_df.set_index("variant")["n"].astype(int)
    counts.index = counts.index.astype(str)
    found = sorted(counts.index)
    if str(control) not in counts.index:
        raise ParamsError(
            "control",
            f"arm {control!r} does not exist in campaign_members.variant for campaign "
            f"{campaign_id!r}",
            expected=f"one of {found}",
        )
    split_arms = [str(a) for a in planned_split] if isinstance(planned_split, Mapping) else []
    split = check_planned_split(planned_split, found)
    empty = [a for a in split_arms if counts.get(a, 0) == 0]
    if empty:
        raise ParamsError(
            "planned_split",
            f"arm(s) {empty} have zero units in campaign {campaign_id!r}",
            expected=f"arms present in the data: {found}",
            fix="Remove the empty arm from planned_split or check campaign_members.variant.",
        )
    others = [a for a in (split_arms or found) if a != control and a in counts.index]
    others += [a for a in found if a not in others and a != control]
    arms = [str(control), *others]
    counts = counts.reindex(arms).fillna(0).astype(int)
    if (counts == 0).any():  # pragma: no cover - guarded above
        raise ParamsError(
            "campaign_id", f"arm(s) {list(counts[counts == 0].index)} have zero units"
        )
    if len(arms) < 2:
        raise ParamsError(
            "campaign_id",
            f"campaign {campaign_id!r} has a single arm ({arms[0]!r}) once multi-assigned units "
            "are excluded",
            expected="at least a control and one other arm in campaign_members.variant",
        )
    first = last = None
    if has_assigned:
        span = by_arm[by_arm["n"] > 0]
        first, last = pd.Timestamp(span["first"].min()), pd.Timestamp(span["last"].max())
    else:
        units = units.mutate(assigned_at=ibis.null("timestamp"))
    design = ExperimentDesign(
        campaign_id=str(campaign_id),
        control=str(control),
        units=units,
        arms=arms,
        counts=counts,
        planned_split={a: split[a] for a in arms},
        n_multi_assigned=n_multi,
        multi_examples=multi_examples,
        n_member_rows=n_rows,
        has_pre=has_pre,
        cluster_by=cluster_by,
        as_of=as_of_ts,
        first_assigned=first,
        last_assigned=last,
        src=src,
    )
    weakref.finalize(design, _drop_quietly, drop)
    return design


def _drop_quietly(drop: Callable[[], None]) -> None:
    """Drop a temp table; at interpreter exit the connection may already be closed (then the
    table is gone with it), so a failure here is not an error."""
    with contextlib.suppress(Exception):
        drop()


# --------------------------------------------------------------------------- outcomes in the engine


def _lead_opportunities(src: Any) -> ibis.Table:
    """``(lead_id, opportunity_id, created_at, is_won, close_date, amount)`` of converted leads."""
    opps = src.table("opportunities", needed_for="the opportunity / won outcomes")
    cols = {
        "opportunity_id": opps.opportunity_id,
        "created_at": opps.created_at,
        "is_won": opps.is_won,
        "close_date": opps.close_date if "close_date" in opps.columns else ibis.null("date"),
        "amount": opps.amount.cast("float64") if "amount" in opps.columns else ibis.literal(0.0),
    }
    if "lead_id" in opps.columns:
        return opps.filter(opps.lead_id.notnull()).select(lead_id=opps.lead_id, **cols)
    leads = src.table("leads", needed_for="linking leads to opportunities")
    if "opportunity_id" not in leads.columns:
        raise SourceError(
            "Neither opportunities.lead_id nor leads.opportunity_id exists, so opportunity "
            "outcomes "
            "cannot be linked to the experiment's leads.",
            fix="Add opportunities.lead_id or leads.opportunity_id (DATA_MODEL.md).",
        )
    link = leads.filter(leads.opportunity_id.notnull()).select("lead_id", "opportunity_id")
    o = opps.select(**cols)
    return link.inner_join(o, "opportunity_id").select("lead_id", *cols)


def known_stages(src: Any) -> list[str]:
    """Stages a metric may name: ``lead_history`` statuses plus ``opportunity`` and ``won``."""
    out: list[str] = []
    if src.has_table("lead_history"):
        lh = src.table("lead_history")
        out = sorted(map(str, lh.select("status").distinct().execute()["status"].dropna()))
    return out + list(OPPORTUNITY_STAGES)


def known_activity_types(src: Any) -> list[str]:
    if not src.has_table("activities"):
        return []
    a = src.table("activities")
    return sorted(map(str, a.select("type").distinct().execute()["type"].dropna()))


def validate_metrics_against_data(
    src: Any, specs: Sequence[MetricSpec], *, param: str = "metrics"
) -> None:
    """Check every stage / activity type named by a metric exists in the data.

    Raises
    ------
    ParamsError
        Naming ``metrics.<i>.stage`` (or ``.activity_type``) and listing the known values.
    """
    stages: list[str] | None = None
    acts: list[str] | None = None
    for i, m in enumerate(specs):
        if m.stage is not None:
            if stages is None:
                stages = known_stages(src)
            if m.stage not in stages:
                raise ParamsError(
                    _param_name(param, i, "stage"),
                    f"unknown stage {m.stage!r} (metric {m.name!r})",
                    expected=f"one of {stages}",
                )
        if m.activity_type is not None:
            if acts is None:
                acts = known_activity_types(src)
            if m.activity_type not in acts:
                raise ParamsError(
                    _param_name(param, i, "activity_type"),
                    f"unknown activity type {m.activity_type!r} (metric {m.name!r})",
                    expected=f"one of {acts}" if acts else "an `activities` table with that type",
                )


def _events(src: Any, spec: MetricSpec) -> tuple[ibis.Table, bool, str]:
    """Event table ``(lead_id, event_at, amount, _key)`` of the metric's event source, a flag
    (event times are whole days: dates) and the name of the source (``lead_history``,
    ``activities``, ``opportunity``, ``won``). ``_key`` is the stage / activity type of a row
    (sources shared by several metrics are read once, :func:`units_by_metric`); a metric's
    events are the rows with ``_key`` = :func:`_event_key`."""
    if spec.activity_type is not None:
        a = src.table("activities", needed_for="the activities the metric counts")
        if "lead_id" not in a.columns:
            raise DataValidationError(
                table="activities",
                column="lead_id",
                rule="is needed to attribute activities to the experiment's leads",
                fix="Add activities.lead_id.",
            )
        a = a.filter(a.lead_id.notnull())
        ev = a.select(
            lead_id=a.lead_id, event_at=a.occurred_at, amount=ibis.literal(1.0), _key=a.type
        )
        return ev, False, "activities"
    if spec.stage in ("opportunity", "won"):
        o = _lead_opportunities(src)
        if spec.stage == "opportunity":
            ev = o.select(
                lead_id=o.lead_id, event_at=o.created_at, amount=o.amount, _key=ibis.literal("")
            )
            return ev, False, "opportunity"
        o = o.filter(o.is_won & o.close_date.notnull())
        ev = o.select(
            lead_id=o.lead_id,
            event_at=o.close_date.cast("timestamp"),
            amount=o.amount,
            _key=ibis.literal(""),
        )
        return ev, True, "won"
    lh = src.table("lead_history", needed_for="the lead stages")
    ev = lh.select(
        lead_id=lh.lead_id, event_at=lh.changed_at, amount=ibis.literal(1.0), _key=lh.status
    )
    return ev, False, "lead_history"


def _event_key(spec: MetricSpec) -> str:
    """The ``_key`` of a metric's events in :func:`_events` (stage, activity type or "")."""
    if spec.activity_type is not None:
        return str(spec.activity_type)
    return "" if spec.stage in ("opportunity", "won") else str(spec.stage)


def units_by_metric(design: ExperimentDesign, specs: Sequence[MetricSpec]) -> ibis.Table:
    """One row per unit with the raw outcome of every metric, as an Ibis expression (nothing is
    executed): the design's unit columns, ``assigned_at`` and per metric ``i`` (position in
    ``specs``) ``y_i`` (binary: 0/1, count: events, value: sum of amounts; null when none) or,
    for a time-to-event metric, ``first_i`` (time of the first event in the window).

    Each event source (``lead_history``, ``activities``, opportunities created, deals won) is
    joined to the units once, whatever the number of metrics reading it: one group-by per source
    computes every metric's outcome with conditional aggregates, so an analysis materialises one
    table for all its metrics. :func:`metric_view` gives one metric's per-unit table from it.
    """
    units = design.units
    as_of = _literal_ts(design.as_of)
    keep = [c for c in ("lead_id", "variant", "pre_period_value", "cluster") if c in units.columns]
    wide = units.select(*keep, "assigned_at")
    groups: dict[str, tuple[ibis.Table, bool, list[tuple[int, MetricSpec]]]] = {}
    for i, spec in enumerate(specs):
        events, day_level, name = _events(design.src, spec)
        if name not in groups:
            groups[name] = (events, day_level, [])
        groups[name][2].append((i, spec))
    for events, day_level, members in groups.values():
        keys = sorted({_event_key(sp) for _, sp in members})
        ev = events.filter(events._key.isin(keys)) if keys != [""] else events
        j = units.select("lead_id", "assigned_at").inner_join(ev, "lead_id")
        lower = j.assigned_at.truncate("D") if day_level else j.assigned_at
        aggs: dict[str, Any] = {}
        for i, spec in members:
            cond = (j._key == _event_key(spec)) & (j.event_at >= lower) & (j.event_at <= as_of)
            if spec.window_days is not None:
                cond &= j.event_at <= j.assigned_at + ibis.interval(days=spec.window_days)
            if spec.kind == "time_to_event":
                aggs[f"first_{i}"] = j.event_at.min(where=cond)
            elif spec.kind == "binary":
                aggs[f"y_{i}"] = (_flag(cond).sum() > 0).ifelse(1, 0)
            elif spec.kind == "count":
                aggs[f"y_{i}"] = _flag(cond).sum().cast("float64")
            else:
                aggs[f"y_{i}"] = j.amount.sum(where=cond)
        per = j.group_by("lead_id").aggregate(**aggs)
        wide = wide.left_join(per, "lead_id").drop("lead_id_right")
    return wide


def metric_view(t: ibis.Table, design: ExperimentDesign, spec: MetricSpec, i: int) -> ibis.Table:
    """Metric ``i``'s per-unit table (as :func:`metric_unit_table` describes it) from the table
    of :func:`units_by_metric` (or its materialised copy) ``t``."""
    as_of = _literal_ts(design.as_of)
    keep = [c for c in ("lead_id", "variant", "pre_period_value", "cluster") if c in t.columns]
    if spec.window_days is not None:
        mature = (t.assigned_at + ibis.interval(days=spec.window_days)) <= as_of
    else:
        mature = ibis.literal(True)
    if spec.kind == "time_to_event":
        first = t[f"first_{i}"]
        end = as_of
        if spec.window_days is not None:
            end = ibis.least(as_of, t.assigned_at + ibis.interval(days=spec.window_days))
        stop = ibis.coalesce(first, end)
        secs = stop.epoch_seconds() - t.assigned_at.epoch_seconds()
        return t.select(
            *keep,
            duration=ibis.greatest(secs / 86400.0, 0.0).floor().cast("int64"),
            event=first.notnull().ifelse(1, 0),
            mature=ibis.literal(True),
        )
    fill = 0 if spec.kind == "binary" else 0.0
    return t.select(*keep, "assigned_at", y=ibis.coalesce(t[f"y_{i}"], fill), mature=mature)


def metric_unit_table(design: ExperimentDesign, spec: MetricSpec) -> ibis.Table:
    """Per-unit outcome of one metric, as an Ibis expression (nothing is executed).

    Columns: ``lead_id``, ``variant``, ``pre_period_value`` (if present), ``cluster`` (if
    clustered), ``mature`` (outcome window closed by ``as_of``) and

    * binary: ``y`` = 1 if an event fell in ``[assigned_at, assigned_at + window_days]`` and before
      ``as_of``, else 0;
    * count: ``y`` = number of such events; value: ``y`` = sum of their amounts (0 when none);
    * time_to_event: ``duration`` (whole days from assignment to the first event, or to the
      censoring time ``min(as_of, assigned_at + window_days)``) and ``event`` (1/0).

    Notes
    -----
    Windows use ``event_at <= assigned_at + ibis.interval(days=N)`` (timestamp + interval
    comparisons work on every backend; differences of timestamps compared to intervals do not).
    Won deals carry a close *date*: they count from the day of assignment on. Several metrics:
    :func:`units_by_metric` and :func:`metric_view` (one table for all).
    """
    return metric_view(units_by_metric(design, [spec]), design, spec, 0)


def _moment_aggs(
    t: ibis.Table, cond: ibis.expr.types.BooleanValue, y: ibis.expr.types.NumericValue
) -> dict[str, Any]:
    """The CUPED moments (``n``, means, sample variances and covariance, ddof = 1, of the
    outcome ``y`` and the covariate ``pre_period_value``) as aggregates over the rows where
    ``cond`` (``pre_period_value`` present), to join a query grouped by arm."""
    x = t.pre_period_value.cast("float64")
    return {
        "cu_n": _flag(cond).sum(),
        "cu_mean_y": y.mean(where=cond),
        "cu_mean_x": x.mean(where=cond),
        "cu_var_y": y.var(how="sample", where=cond),
        "cu_var_x": x.var(how="sample", where=cond),
        "cu_cov_xy": x.cov(y, how="sample", where=cond),
    }


def _split_moments(df: pd.DataFrame) -> pd.DataFrame:
    """The ``cu_*`` columns of a per-arm frame as ``variant, n, mean_y, mean_x, var_y, var_x,
    cov_xy`` (arms with no unit with a pre-period value left out)."""
    cu = df.loc[df["cu_n"] > 0, ["variant", *(c for c in df.columns if c.startswith("cu_"))]]
    cu = cu.rename(columns={c: c[3:] for c in cu.columns if c.startswith("cu_")})
    return cu.reset_index(drop=True)


@dataclass
class BinarySummaries:
    """What the engine returns for a binary metric, from one query grouped by arm.

    Attributes
    ----------
    counts
        ``variant, n, conversions`` over the mature units (an arm with no mature unit has
        ``n`` 0).
    n_immature
        Units whose window had not closed by ``as_of``, arms pooled.
    cuped
        ``variant, n, mean_y, mean_x, var_y, var_x, cov_xy`` over the mature units with a
        ``pre_period_value`` (sample moments, ddof = 1), or None.
    """

    counts: pd.DataFrame
    n_immature: int
    cuped: pd.DataFrame | None


def binary_summaries(t: ibis.Table, *, with_pre: bool) -> BinarySummaries:
    """Per-arm counts, units with an open window and CUPED moments of a binary metric's
    per-unit table in one query."""
    m = t.mature
    aggs: dict[str, Any] = {
        "n": _flag(m).sum(),
        "conversions": t.y.sum(where=m).cast("int64"),
        "n_immature": _flag(~m).sum(),
    }
    with_pre = with_pre and "pre_period_value" in t.columns
    if with_pre:
        aggs.update(_moment_aggs(t, m & t.pre_period_value.notnull(), t.y.cast("float64")))
    df = t.group_by("variant").aggregate(**aggs).execute()
    df["variant"] = df["variant"].astype(str)
    counts = df[["variant", "n", "conversions"]].copy()
    counts["conversions"] = counts["conversions"].fillna(0)
    return BinarySummaries(
        counts=counts,
        n_immature=int(df["n_immature"].sum()),
        cuped=_split_moments(df) if with_pre else None,
    )


def _cluster_counts(t: ibis.Table) -> pd.DataFrame:
    """``cluster, variant, n, sum`` per cluster and arm (mature units), in the engine."""
    t = t.filter(t.mature)
    return (
        t.group_by(["cluster", "variant"])
        .aggregate(n=t.count(), sum=t.y.cast("float64").sum())
        .execute()
    )


#: Buckets per arm for the bootstrap (:func:`value_summaries`): at most this many rows per arm
#: leave the engine; with fewer units every unit is its own bucket.
BOOT_BUCKETS = 2_000


@dataclass
class ValueSummaries:
    """What the engine returns for a count or value metric (mature units only; small frames).

    Attributes
    ----------
    arms
        Per arm: ``variant, n, sum, mean, var, median, n_pos`` of the (capped) values and
        ``sum_raw, mean_raw, var_raw, n_capped`` of the uncapped ones (var: sample, ddof = 1).
    cap
        The cap (``quantile_cont`` of the pooled non-zero values at ``pct``/100), NaN when no unit
        has a non-zero value, None without capping.
    n_nonzero
        Units with a non-zero (uncapped) value, arms pooled.
    cuped
        Per arm over the units with a ``pre_period_value``: ``variant, n, mean_y, mean_x, var_y,
        var_x, cov_xy`` (sample moments), or None without a pre-period value.
    buckets
        ``variant, bucket, n, s``: units and sum of the (capped) values per bucket
        (``row_number() over (partition by variant order by lead_id) mod BOOT_BUCKETS``).
    ranks
        Per non-control arm: ``(rank_sum_t, n_t, n_c, tie_term)`` of that arm's (capped) values in
        the mid-ranking of the arm and control pooled.
    n_immature
        Units whose window had not closed by ``as_of`` (excluded from everything above).
    """

    arms: pd.DataFrame
    cap: float | None
    n_nonzero: int
    cuped: pd.DataFrame | None
    buckets: pd.DataFrame
    ranks: dict[str, tuple[float, int, int, float]]
    n_immature: int = 0


def _flag(cond: ibis.expr.types.BooleanValue) -> ibis.expr.types.IntegerValue:
    return cond.ifelse(1, 0).cast("int64")


def _all_rank_sums(
    t: ibis.Table, y: ibis.expr.types.NumericValue, arms: Sequence[str], control: str
) -> dict[str, tuple[float, int, int, float]]:
    """Rank sum of each arm of ``arms`` among that arm ∪ ``control`` (mid-ranks), with its
    ``n_t``, ``n_c`` and tie term, in one engine query.

    One pass groups the units by value (``m_c`` control units and ``k_i`` units of arm ``i``
    per value) with one running total per arm; values absent from a pair add nothing to its
    sums. With ``m`` units of a value, ``k`` of them in the arm, and ``cum`` the running total
    of ``m`` in value order, the mid-rank is ``cum − (m − 1)/2``, so
    ``2·rank_sum = Σ k (2·cum − m + 1)`` (an exact integer) and ``tie_term = Σ (m³ − m)``."""
    if not arms:
        return {}
    v = t.variant.cast("string")
    p = t.filter(v.isin([*arms, control])).mutate(_v=v, _y=y)
    aggs: dict[str, Any] = {"m_c": _flag(p._v == control).sum()}
    for i, a in enumerate(arms):
        aggs[f"k{i}"] = _flag(p._v == a).sum()
    g = p.group_by("_y").aggregate(**aggs)
    w = ibis.window(order_by=g._y, preceding=None, following=0)
    g = g.mutate(**{f"cum{i}": (g.m_c + g[f"k{i}"]).sum().over(w) for i in range(len(arms))})
    out: dict[str, Any] = {}
    for i in range(len(arms)):
        k, m = g[f"k{i}"], g.m_c + g[f"k{i}"]
        mf = m.cast("float64")
        out[f"r2_{i}"] = (k * (2 * g[f"cum{i}"] - m + 1)).sum()
        out[f"tie_{i}"] = (mf * mf * mf - mf).sum()
        out[f"nt_{i}"] = k.sum()
        out[f"n_{i}"] = m.sum()
    r = g.aggregate(**out).execute()
    res: dict[str, tuple[float, int, int, float]] = {}
    for i, a in enumerate(arms):
        if r.empty or pd.isna(r[f"n_{i}"].iloc[0]) or int(r[f"n_{i}"].iloc[0]) == 0:
            res[a] = (0.0, 0, 0, 0.0)
            continue
        n_t, n = int(r[f"nt_{i}"].iloc[0]), int(r[f"n_{i}"].iloc[0])
        res[a] = (float(r[f"r2_{i}"].iloc[0]) / 2.0, n_t, n - n_t, float(r[f"tie_{i}"].iloc[0]))
    return res


def value_summaries(
    t: ibis.Table,
    *,
    control: str,
    arms: Sequence[str],
    cap_pct: float | None,
    with_pre: bool,
) -> ValueSummaries:
    """Sufficient statistics of a count / value metric per arm (see :class:`ValueSummaries`).

    ``cap_pct``: cap the values at that percentile of the pooled non-zero values (exact
    ``quantile`` in the engine, i.e. ``numpy.percentile``'s linear rule), None for no capping.
    Every query returns a number of rows bounded by the arms (and ``BOOT_BUCKETS``), never by
    the units. Four queries: the cap (with the units whose window is open), the per-arm moments
    with the CUPED cross-moments, the bootstrap buckets, the rank sums of every arm.
    """
    mature = t.mature
    yr0 = t.y.cast("float64")
    nzc = mature & (yr0 != 0)
    qa: dict[str, Any] = {"n": _flag(nzc).sum(), "n_immature": _flag(~mature).sum()}
    if cap_pct is not None:
        qa["q"] = yr0.quantile(cap_pct / 100.0, where=nzc)
    q = t.aggregate(**qa).execute()
    n_nonzero = int(q["n"].fillna(0).iloc[0])
    n_immature = int(q["n_immature"].fillna(0).iloc[0])
    cap: float | None = None
    if cap_pct is not None:
        cap = float(q["q"].iloc[0]) if n_nonzero else float("nan")
    t = t.filter(mature)
    yr = t.y.cast("float64")
    y = ibis.least(yr, ibis.literal(cap, "float64")) if cap is not None and _finite(cap) else yr
    aggs: dict[str, Any] = dict(
        n=t.count(),
        sum=y.sum(),
        mean=y.mean(),
        var=y.var(how="sample"),
        median=y.median(),
        n_pos=_flag(y > 0).sum(),
        sum_raw=yr.sum(),
        mean_raw=yr.mean(),
        var_raw=yr.var(how="sample"),
    )
    if cap is not None and _finite(cap):
        aggs["n_capped"] = _flag(yr > cap).sum()
    with_pre = with_pre and "pre_period_value" in t.columns
    if with_pre:
        aggs.update(_moment_aggs(t, t.pre_period_value.notnull(), y))
    arms_df = t.group_by("variant").aggregate(**aggs).execute()
    arms_df["variant"] = arms_df["variant"].astype(str)
    cuped = _split_moments(arms_df) if with_pre else None
    arms_df = arms_df.drop(columns=[c for c in arms_df.columns if c.startswith("cu_")])
    if "n_capped" not in arms_df.columns:
        arms_df["n_capped"] = 0
    rn = ibis.row_number().over(group_by=t.variant, order_by=t.lead_id)
    b = t.mutate(bucket=rn % BOOT_BUCKETS, _y=y)
    # in bucket order: the bootstrap gives each row its seeded weights by position, and an
    # engine returns a group-by's rows in any order (DuckDB's parallel aggregation does)
    buckets = (
        b.group_by(["variant", "bucket"])
        .aggregate(n=b.count(), s=b._y.sum())
        .order_by(["variant", "bucket"])
        .execute()
    )
    buckets["variant"] = buckets["variant"].astype(str)
    ranks = _all_rank_sums(t, y, [a for a in arms if a != control], control)
    return ValueSummaries(
        arms=arms_df,
        cap=cap,
        n_nonzero=n_nonzero,
        cuped=cuped,
        buckets=buckets,
        ranks=ranks,
        n_immature=n_immature,
    )


def _km_counts(t: ibis.Table) -> pd.DataFrame:
    """``variant, duration, event, count``: time-to-event data as counts per (arm, day, event)."""
    return t.group_by(["variant", "duration", "event"]).aggregate(count=t.count()).execute()


def _pre_summary(design: ExperimentDesign) -> pd.DataFrame | None:
    """Pre-period covariate per arm: ``variant, n, mean, sd`` (engine aggregation; sample sd)."""
    if not design.has_pre:
        return None
    u = design.units.filter(design.units.pre_period_value.notnull())
    x = u.pre_period_value.cast("float64")
    df = u.group_by("variant").aggregate(n=u.count(), mean=x.mean(), var=x.var(how="sample"))
    df = df.execute()
    if df.empty:
        return None
    return pd.DataFrame(
        {
            "variant": df["variant"].astype(str),
            "n": df["n"].astype(int),
            "mean": df["mean"].astype(float),
            "sd": np.sqrt(df["var"].astype(float).clip(lower=0)),
        }
    )


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


# =========================================================================== analysis (stats layer)


def _weekly_counts(t: ibis.Table, spec: MetricSpec) -> pd.DataFrame:
    """Mature units and events of a binary metric per (``variant``, ``week`` the outcome became
    known = ``assigned_at + window_days`` truncated to the week): ``n``, ``x``, from the metric's
    per-unit table ``t`` (:func:`metric_unit_table`)."""
    t = t.filter(t.mature)
    known = t.assigned_at + ibis.interval(days=spec.window_days or 0)
    t = t.mutate(week=known.truncate("W"))
    return (
        t.group_by(["variant", "week"]).aggregate(n=t.count(), x=t.y.sum().cast("int64")).execute()
    )
