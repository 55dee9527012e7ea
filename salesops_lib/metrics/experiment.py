"""A/B (and A/B/n) campaign evaluation: design from data, quality checks, effects, verdict.

The engine (Ibis, any backend) does the joins and hands *small* tables to the pure statistics in
:mod:`salesops_lib.stats.experiments`, :mod:`~salesops_lib.stats.means`,
:mod:`~salesops_lib.stats.power` and :mod:`~salesops_lib.stats.sequential`:

* one row per unit (lead) of the campaign is built in the engine: arm (``campaign_members.variant``),
  ``assigned_at``, ``pre_period_value`` and, per metric, the outcome (reached a stage within N days,
  meetings within N days, won revenue within N days, days to an event censored at ``as_of``);
* binary metrics come back as counts per arm (n, conversions); clusters as counts per
  (cluster, arm); time-to-event metrics as counts per (arm, day, event);
* count and value metrics need per-unit values for the bootstrap, Mann–Whitney and winsorizing:
  only the arm, the value and the pre-period covariate of each unit are pulled (bounded by the
  number of units in the experiment, not by the size of the warehouse).

Units that appear in more than one arm are counted, excluded from every analysis and reported.
Units whose outcome window has not closed by ``as_of`` are excluded from that metric (counted).

Entry points: :func:`evaluate_experiment` (from the data model) and
:func:`compare_binary_counts` (from plain counts per arm, e.g. typed into a notebook).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd

from salesops_lib.errors import DataValidationError, ParamsError, SourceError

__all__ = [
    "DataQuality",
    "ExperimentDesign",
    "ExperimentResult",
    "MetricSpec",
    "Verdict",
    "cap_nonzero",
    "check_planned_split",
    "coerce_metrics",
    "compare_binary_counts",
    "evaluate_experiment",
    "experiment_design",
    "known_activity_types",
    "known_stages",
    "metric_unit_table",
    "planned_msprt_tau",
    "validate_metrics_against_data",
]

MetricKind = Literal["binary", "count", "value", "time_to_event"]
METRIC_KINDS: tuple[str, ...] = ("binary", "count", "value", "time_to_event")
#: Stages that are not ``lead_history`` statuses but come from ``opportunities``.
OPPORTUNITY_STAGES: tuple[str, ...] = ("opportunity", "won")
ADJUST_METHODS: tuple[str, ...] = ("holm", "fdr_bh")
_SPLIT_TOLERANCE = 1e-3


# --------------------------------------------------------------------------- metric definitions


@dataclass(frozen=True)
class MetricSpec:
    """One metric of an experiment (a row of ``metrics:`` or ``guardrails:`` in the params).

    Parameters
    ----------
    name
        Display name, e.g. ``"SQL within 30 days"``.
    kind
        ``"binary"`` (unit reached ``stage`` / had an ``activity_type`` within ``window_days``),
        ``"count"`` (number of ``activity_type`` activities within ``window_days``),
        ``"value"`` (amount of opportunities reaching ``stage`` — ``"won"`` by default — within
        ``window_days``) or ``"time_to_event"`` (days from assignment to the first ``stage`` /
        ``activity_type`` event; censored at ``as_of`` or at the end of ``window_days``).
    stage
        A ``lead_history.status`` (e.g. ``"SQL"``) or ``"opportunity"`` / ``"won"``.
    activity_type
        An ``activities.type`` (e.g. ``"meeting"``) for count metrics, or instead of a stage.
    window_days
        Outcome window after ``assigned_at`` (units whose window is still open at ``as_of`` are
        left out of that metric). ``None``: everything up to ``as_of``.
    primary
        The decision metric (exactly one; default: the first metric).
    winsorize_pct
        Cap values at this percentile (e.g. 99) of the *non-zero* values of all arms pooled before
        comparing (value/count; see :func:`cap_nonzero`). The report labels the result a capped
        mean and shows the uncapped mean next to it.
    higher_is_better
        Direction that is good (``False`` e.g. for disqualification or days-to-SQL).
    margin
        Non-inferiority margin (guardrails only): the largest acceptable harm, in the metric's
        units (absolute difference, e.g. 0.02 = 2 percentage points; for time-to-event: days).
    """

    name: str
    kind: MetricKind
    stage: str | None = None
    activity_type: str | None = None
    window_days: int | None = None
    primary: bool = False
    winsorize_pct: float | None = None
    higher_is_better: bool | None = None
    margin: float | None = None

    @property
    def better_when_higher(self) -> bool:
        """Good direction; time to an event is better when shorter unless stated otherwise."""
        if self.higher_is_better is not None:
            return bool(self.higher_is_better)
        return self.kind != "time_to_event"

    @property
    def event_label(self) -> str:
        return self.stage if self.stage is not None else str(self.activity_type)

    def describe(self) -> str:
        """Plain-language definition used in the methods section."""
        within = f" within {self.window_days} days of assignment" if self.window_days else " by the as-of time"
        if self.kind == "binary":
            what = (
                f"reached {self.stage}" if self.stage else f"had at least one {self.activity_type}"
            )
            return f"Share of units that {what}{within}."
        if self.kind == "count":
            return f"Number of {self.activity_type} activities per unit{within}."
        if self.kind == "value":
            st = self.stage or "won"
            return f"Amount of opportunities {'won' if st == 'won' else 'reaching ' + st} per unit{within} (0 when none)."
        cens = (
            f"censored at {self.window_days} days or at the as-of time"
            if self.window_days
            else "censored at the as-of time"
        )
        return f"Days from assignment to the first {self.event_label} ({cens} when it has not happened)."


_SPEC_FIELDS = {f.name for f in fields(MetricSpec)}


def _param_name(prefix: str, i: int, key: str | None = None) -> str:
    return f"{prefix}.{i}" + (f".{key}" if key else "")


def coerce_metrics(
    metrics: Sequence[MetricSpec | Mapping[str, Any]] | MetricSpec | Mapping[str, Any] | None,
    *,
    param: str = "metrics",
    guardrail: bool = False,
) -> list[MetricSpec]:
    """Turn params-style metric dicts (or :class:`MetricSpec` objects) into validated specs.

    Checks everything that can be checked without data (names, kinds, the fields each kind needs,
    window and percentile ranges, one primary metric, a margin on every guardrail). Stage and
    activity names are checked against the data by :func:`evaluate_experiment`.

    Raises
    ------
    ParamsError
        Naming the offending key, e.g. ``metrics.1.window_days``.
    """
    if metrics is None:
        return []
    if isinstance(metrics, MetricSpec | Mapping):
        metrics = [metrics]
    out: list[MetricSpec] = []
    for i, m in enumerate(metrics):
        if isinstance(m, MetricSpec):
            raw = {f: getattr(m, f) for f in _SPEC_FIELDS}
        elif isinstance(m, Mapping):
            raw = dict(m)
        elif hasattr(m, "model_dump"):  # a pydantic params model
            raw = m.model_dump()
        else:
            raise ParamsError(
                _param_name(param, i), f"got {type(m).__name__}", expected="a mapping with name and kind"
            )
        unknown = sorted(set(raw) - _SPEC_FIELDS)
        if unknown:
            raise ParamsError(
                _param_name(param, i),
                f"unknown keys {unknown}",
                expected=f"keys among {sorted(_SPEC_FIELDS)}",
            )
        kind = raw.get("kind")
        if kind not in METRIC_KINDS:
            raise ParamsError(_param_name(param, i, "kind"), f"got {kind!r}", expected=f"one of {list(METRIC_KINDS)}")
        if not raw.get("name"):
            raise ParamsError(_param_name(param, i, "name"), "is missing", expected="a display name")
        stage, act = raw.get("stage"), raw.get("activity_type")
        if kind == "binary" and (stage is None) == (act is None):
            raise ParamsError(
                _param_name(param, i, "stage"),
                "a binary metric needs exactly one of `stage` or `activity_type`",
                expected="e.g. stage: SQL",
            )
        if kind == "time_to_event" and (stage is None) == (act is None):
            raise ParamsError(
                _param_name(param, i, "stage"),
                "a time-to-event metric needs exactly one of `stage` or `activity_type`",
                expected="e.g. stage: SQL",
            )
        if kind == "count" and (act is None or stage is not None):
            raise ParamsError(
                _param_name(param, i, "activity_type"),
                "a count metric counts activities and needs `activity_type` (and no `stage`)",
                expected="e.g. activity_type: meeting",
            )
        if kind == "value":
            if act is not None:
                raise ParamsError(
                    _param_name(param, i, "activity_type"),
                    "a value metric sums opportunity amounts and takes no `activity_type`",
                    expected="stage: won (default) or stage: opportunity",
                )
            if stage is None:
                raw["stage"] = "won"
            elif stage not in OPPORTUNITY_STAGES:
                raise ParamsError(
                    _param_name(param, i, "stage"),
                    f"got {stage!r} for a value metric",
                    expected=f"one of {list(OPPORTUNITY_STAGES)}",
                )
        w = raw.get("window_days")
        if w is not None:
            if isinstance(w, bool) or not isinstance(w, int | np.integer) or int(w) < 1:
                raise ParamsError(_param_name(param, i, "window_days"), f"got {w!r}", expected="a whole number of days >= 1")
            raw["window_days"] = int(w)
        wp = raw.get("winsorize_pct")
        if wp is not None:
            if kind not in ("value", "count"):
                raise ParamsError(
                    _param_name(param, i, "winsorize_pct"),
                    f"capping applies to value and count metrics, not {kind}",
                    expected="remove the key",
                )
            if not 50 < float(wp) < 100:
                raise ParamsError(_param_name(param, i, "winsorize_pct"), f"got {wp!r}", expected="a percentile in (50, 100), e.g. 99")
            raw["winsorize_pct"] = float(wp)
        mg = raw.get("margin")
        if guardrail:
            if mg is None or not float(mg) > 0:
                raise ParamsError(
                    _param_name(param, i, "margin"),
                    f"got {mg!r}",
                    expected="a positive non-inferiority margin in the metric's units (e.g. 0.02 = 2 pp)",
                )
            raw["margin"] = float(mg)
            raw["primary"] = False
        elif mg is not None:
            raise ParamsError(
                _param_name(param, i, "margin"),
                "margins belong to guardrail metrics",
                expected="move the metric to `guardrails`",
            )
        out.append(MetricSpec(**raw))
    names = [m.name for m in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ParamsError(param, f"duplicate metric names {dup}", expected="unique names")
    if not guardrail and out:
        prim = [i for i, m in enumerate(out) if m.primary]
        if len(prim) > 1:
            raise ParamsError(
                param,
                f"{len(prim)} metrics are marked primary ({[out[i].name for i in prim]})",
                expected="exactly one `primary: true`",
            )
        if not prim:
            out[0] = replace(out[0], primary=True)
    return out


# --------------------------------------------------------------------------- source handling


def _as_source(source: Any, as_of: Any = None) -> Any:
    """A :class:`~salesops_lib.data.sources.Source` from anything ``open_source`` accepts."""
    from salesops_lib.data.sources import open_source

    return open_source(source, as_of=as_of)


def _literal_ts(ts: pd.Timestamp) -> ibis.expr.types.Value:
    ts = pd.Timestamp(ts)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ibis.literal(ts.to_pydatetime(), type="timestamp")


def _need(src: Any, name: str, why: str) -> ibis.Table:
    if not src.has_table(name):
        raise SourceError(
            f"The data source has no `{name}` table, which {why}.",
            fix=f"Add a `{name}` table (see DATA_MODEL.md) or remove the metrics that need it.",
        )
    return src.table(name)


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


def check_planned_split(planned_split: Mapping[str, float] | None, arms: Sequence[str]) -> dict[str, float]:
    if planned_split is None:
        return {a: 1.0 / len(arms) for a in arms}
    if not isinstance(planned_split, Mapping) or not planned_split:
        raise ParamsError("planned_split", f"got {planned_split!r}", expected="a mapping arm -> share, e.g. {control: 0.5, treatment: 0.5}")
    split: dict[str, float] = {}
    for k, v in planned_split.items():
        try:
            fv = float(v)
        except (TypeError, ValueError):
            raise ParamsError(f"planned_split.{k}", f"got {v!r}", expected="a share between 0 and 1") from None
        if not 0 < fv < 1 and not (fv == 1 and len(planned_split) == 1):
            raise ParamsError(f"planned_split.{k}", f"got {v!r}", expected="a share between 0 and 1")
        split[str(k)] = fv
    total = sum(split.values())
    if abs(total - 1.0) > _SPLIT_TOLERANCE:
        raise ParamsError(
            "planned_split",
            f"shares sum to {total:.4f}, not 1 ({', '.join(f'{k}: {v:g}' for k, v in split.items())})",
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
    src = _as_source(source, as_of)
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(src.as_of)
    cm = _need(src, "campaign_members", "the experiment's arms come from")
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
    aggs: dict[str, Any] = {
        "n_arms": cm.variant.nunique(),
        "variant": cm.variant.min(),
    }
    if has_assigned:
        aggs["assigned_at"] = cm.assigned_at.min()
    if has_pre:
        aggs["pre_period_value"] = cm.pre_period_value.cast("float64").mean()
    cluster_from_members = cluster_by is not None and cluster_by in cm.columns
    if cluster_from_members:
        aggs["cluster"] = cm[cluster_by].cast("string").min()
    per_unit = cm.group_by(cm.lead_id).aggregate(**aggs)
    multi = per_unit.filter(per_unit.n_arms > 1)
    n_multi = int(multi.count().execute())
    multi_examples = (
        multi.order_by("lead_id").limit(5).execute()["lead_id"].astype(str).tolist() if n_multi else []
    )
    units = per_unit.filter(per_unit.n_arms == 1).drop("n_arms")
    if cluster_by is not None and not cluster_from_members:
        leads = _need(src, "leads", "holds the cluster column")
        if cluster_by not in leads.columns:
            raise ParamsError(
                "cluster_by",
                f"column {cluster_by!r} is in neither campaign_members nor leads",
                expected="owner_id or account_id (a column of leads or campaign_members), or null",
            )
        lk = leads.select(lead_id=leads.lead_id, cluster=leads[cluster_by].cast("string"))
        units = units.left_join(lk, "lead_id").drop("lead_id_right")
    counts_df = units.group_by("variant").aggregate(n=units.count()).execute()
    counts = counts_df.set_index("variant")["n"].astype(int)
    counts.index = counts.index.astype(str)
    found = sorted(counts.index)
    if str(control) not in counts.index:
        raise ParamsError(
            "control",
            f"arm {control!r} does not exist in campaign_members.variant for campaign {campaign_id!r}",
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
        raise ParamsError("campaign_id", f"arm(s) {list(counts[counts == 0].index)} have zero units")
    if len(arms) < 2:
        raise ParamsError(
            "campaign_id",
            f"campaign {campaign_id!r} has a single arm ({arms[0]!r}) once multi-assigned units are excluded",
            expected="at least a control and one other arm in campaign_members.variant",
        )
    first = last = None
    if has_assigned:
        span = units.aggregate(first=units.assigned_at.min(), last=units.assigned_at.max()).execute()
        first, last = pd.Timestamp(span["first"].iloc[0]), pd.Timestamp(span["last"].iloc[0])
    else:
        units = units.mutate(assigned_at=ibis.null("timestamp"))
    return ExperimentDesign(
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


# --------------------------------------------------------------------------- outcomes in the engine


def _lead_opportunities(src: Any) -> ibis.Table:
    """``(lead_id, opportunity_id, created_at, is_won, close_date, amount)`` of converted leads."""
    opps = _need(src, "opportunities", "holds the opportunity / won outcomes")
    cols = {
        "opportunity_id": opps.opportunity_id,
        "created_at": opps.created_at,
        "is_won": opps.is_won,
        "close_date": opps.close_date if "close_date" in opps.columns else ibis.null("date"),
        "amount": opps.amount.cast("float64") if "amount" in opps.columns else ibis.literal(0.0),
    }
    if "lead_id" in opps.columns:
        return opps.filter(opps.lead_id.notnull()).select(lead_id=opps.lead_id, **cols)
    leads = _need(src, "leads", "links leads to opportunities")
    if "opportunity_id" not in leads.columns:
        raise SourceError(
            "Neither opportunities.lead_id nor leads.opportunity_id exists, so opportunity outcomes "
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


def _events(src: Any, spec: MetricSpec) -> tuple[ibis.Table, bool]:
    """Event table ``(lead_id, event_at, amount)``; flag: event times are whole days (dates)."""
    if spec.activity_type is not None:
        a = _need(src, "activities", "holds the activities the metric counts")
        if "lead_id" not in a.columns:
            raise DataValidationError(
                table="activities",
                column="lead_id",
                rule="is needed to attribute activities to the experiment's leads",
                fix="Add activities.lead_id.",
            )
        a = a.filter((a.type == spec.activity_type) & a.lead_id.notnull())
        return a.select(lead_id=a.lead_id, event_at=a.occurred_at, amount=ibis.literal(1.0)), False
    if spec.stage == "opportunity":
        o = _lead_opportunities(src)
        return o.select(lead_id=o.lead_id, event_at=o.created_at, amount=o.amount), False
    if spec.stage == "won":
        o = _lead_opportunities(src)
        o = o.filter(o.is_won & o.close_date.notnull())
        return (
            o.select(lead_id=o.lead_id, event_at=o.close_date.cast("timestamp"), amount=o.amount),
            True,
        )
    lh = _need(src, "lead_history", "holds the lead stages")
    lh = lh.filter(lh.status == spec.stage)
    return lh.select(lead_id=lh.lead_id, event_at=lh.changed_at, amount=ibis.literal(1.0)), False


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
    Won deals carry a close *date*: they count from the day of assignment on.
    """
    units = design.units
    events, day_level = _events(design.src, spec)
    as_of = _literal_ts(design.as_of)
    j = units.select("lead_id", "assigned_at").inner_join(events, "lead_id")
    lower = j.assigned_at.truncate("D") if day_level else j.assigned_at
    cond = (j.event_at >= lower) & (j.event_at <= as_of)
    if spec.window_days is not None:
        cond &= j.event_at <= j.assigned_at + ibis.interval(days=spec.window_days)
    j = j.filter(cond)
    keep = [c for c in ("lead_id", "variant", "pre_period_value", "cluster") if c in units.columns]
    base = units.select(*keep, "assigned_at")
    if spec.window_days is not None:
        base = base.mutate(mature=(base.assigned_at + ibis.interval(days=spec.window_days)) <= as_of)
    else:
        base = base.mutate(mature=ibis.literal(True))
    if spec.kind == "time_to_event":
        first = j.group_by("lead_id").aggregate(first_at=j.event_at.min())
        t = base.left_join(first, "lead_id").drop("lead_id_right")
        end = as_of
        if spec.window_days is not None:
            end = ibis.least(as_of, t.assigned_at + ibis.interval(days=spec.window_days))
        stop = ibis.coalesce(t.first_at, end)
        secs = stop.epoch_seconds() - t.assigned_at.epoch_seconds()
        t = t.mutate(
            duration=ibis.greatest(secs / 86400.0, 0.0).floor().cast("int64"),
            event=t.first_at.notnull().cast("int64"),
            mature=ibis.literal(True),
        )
        return t.select(*keep, "duration", "event", "mature")
    if spec.kind == "binary":
        per = j.group_by("lead_id").aggregate(y=(j.count() > 0).cast("int64"))
    elif spec.kind == "count":
        per = j.group_by("lead_id").aggregate(y=j.count().cast("float64"))
    else:
        per = j.group_by("lead_id").aggregate(y=j.amount.sum())
    t = base.left_join(per, "lead_id").drop("lead_id_right")
    fill = 0 if spec.kind == "binary" else 0.0
    t = t.mutate(y=ibis.coalesce(t.y, fill))
    return t.select(*keep, "assigned_at", "y", "mature")


def _arm_counts(t: ibis.Table) -> pd.DataFrame:
    """``variant, n, conversions`` (binary) over mature units, computed in the engine."""
    t = t.filter(t.mature)
    return t.group_by("variant").aggregate(n=t.count(), conversions=t.y.sum().cast("int64")).execute()


def _immature_counts(t: ibis.Table) -> pd.DataFrame:
    return t.group_by("variant").aggregate(
        n_immature=(~t.mature).cast("int64").sum()
    ).execute()


def _cluster_counts(t: ibis.Table) -> pd.DataFrame:
    """``cluster, variant, n, sum`` per cluster and arm (mature units), in the engine."""
    t = t.filter(t.mature)
    return t.group_by(["cluster", "variant"]).aggregate(
        n=t.count(), sum=t.y.cast("float64").sum()
    ).execute()


def _unit_values(t: ibis.Table) -> pd.DataFrame:
    """Per-unit values ``variant, y[, x]`` of mature units (bounded by the experiment size)."""
    t = t.filter(t.mature)
    cols = ["variant", "y"] + (["pre_period_value"] if "pre_period_value" in t.columns else [])
    df = t.select(*cols).execute()
    return df.rename(columns={"pre_period_value": "x"})


def _km_counts(t: ibis.Table) -> pd.DataFrame:
    """``variant, duration, event, count``: time-to-event data as counts per (arm, day, event)."""
    return t.group_by(["variant", "duration", "event"]).aggregate(count=t.count()).execute()


def _pre_summary(design: ExperimentDesign) -> pd.DataFrame | None:
    """Pre-period covariate per arm: ``variant, n, mean, sd`` (engine aggregation)."""
    if not design.has_pre:
        return None
    u = design.units.filter(design.units.pre_period_value.notnull())
    x = u.pre_period_value
    df = u.group_by("variant").aggregate(n=u.count(), s=x.sum(), ss=(x * x).sum()).execute()
    if df.empty:
        return None
    n = df["n"].astype(float)
    mean = df["s"] / n
    var = (df["ss"] - n * mean**2) / (n - 1).where(n > 1)
    return pd.DataFrame(
        {"variant": df["variant"].astype(str), "n": df["n"].astype(int), "mean": mean, "sd": np.sqrt(var.clip(lower=0))}
    )


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


# =========================================================================== analysis (stats layer)


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
        :class:`~salesops_lib.stats.experiments.BalanceResult` of ``pre_period_value`` (or ``None``).
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

    @property
    def srm_failed(self) -> bool:
        return bool(self.srm.mismatch)

    @property
    def problems(self) -> list[str]:
        """Plain-language description of every failed check (empty when all passed)."""
        from salesops_lib.viz.format import fmt_int, fmt_p

        out = []
        if self.srm_failed:
            worst = self.split.assign(gap=(self.split["actual_share"] - self.split["planned_share"]).abs())
            w = worst.sort_values("gap", ascending=False).iloc[0]
            out.append(
                f"The arms are not the planned size ({fmt_p(self.srm.p_value)}, {self.srm.method} test): "
                f"{w['variant']} has {100 * w['actual_share']:.1f}% of leads against "
                f"{100 * w['planned_share']:.1f}% planned. Assignment may be broken; treat the results with caution."
            )
        if self.n_multi_assigned:
            ex = ", ".join(self.multi_examples[:3])
            out.append(
                f"{fmt_int(self.n_multi_assigned)} lead{'s were' if self.n_multi_assigned != 1 else ' was'} "
                f"assigned to more than one arm (e.g. {ex}) and {'were' if self.n_multi_assigned != 1 else 'was'} "
                "left out of every analysis."
            )
        if self.balance is not None and not self.balance.balanced:
            out.append(
                "The arms differed before the test started (pre-period value, largest standardised "
                f"difference {self.balance.max_abs_smd:.2f} ≥ 0.10); the adjusted (CUPED) estimates are the safer read."
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per check: check, result, passed."""
        from salesops_lib.viz.format import fmt_int, fmt_p

        rows = [
            {
                "check": "Arm sizes match the planned split",
                "result": f"{fmt_p(self.srm.p_value)} ({self.srm.method})",
                "passed": not self.srm_failed,
            },
            {
                "check": "Units in more than one arm",
                "result": f"{fmt_int(self.n_multi_assigned)} excluded",
                "passed": self.n_multi_assigned == 0,
            },
        ]
        if self.balance is not None:
            rows.append(
                {
                    "check": "Pre-period balance (largest standardised difference)",
                    "result": f"{self.balance.max_abs_smd:.3f} ({fmt_p(self.balance.p_value)})",
                    "passed": bool(self.balance.balanced),
                }
            )
        for name, k in self.immature.items():
            rows.append(
                {
                    "check": f"Units whose window is still open ({name})",
                    "result": f"{fmt_int(k)} not yet counted",
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
        head = f"{self.decision.capitalize()}" + (f" {self.arm}" if self.arm and self.decision == "ship" else "")
        return f"{head}: {self.reason}"


def _ci_alpha(p_adjusted: np.ndarray, alpha: float, adjust: str) -> float:
    """Per-comparison alpha of intervals matching the adjustment (stats.experiments' rule)."""
    from salesops_lib.stats.experiments import _interval_alpha

    return float(_interval_alpha(np.asarray(p_adjusted, dtype=float), alpha, adjust))


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
    from salesops_lib.stats.experiments import (
        bayes_beta_binomial,
        cluster_compare_proportions,
        compare_arms,
        compare_proportions,
    )
    from salesops_lib.stats.proportions import adjust_pvalues, wilson_interval

    counts = counts.set_index("variant")
    n = counts["n"].astype(int)
    x = counts["conversions"].astype(int)
    lo, hi = wilson_interval(x.to_numpy(), n.to_numpy(), alpha=alpha)
    arms = pd.DataFrame(
        {"metric": spec.name, "variant": n.index, "n": n.to_numpy(), "conversions": x.to_numpy(),
         "rate": (x / n).to_numpy(), "ci_low": lo, "ci_high": hi}
    )
    others = [a for a in n.index if a != control]
    if cluster_counts is not None:
        rows = []
        for a in others:
            cc = cluster_counts[cluster_counts["variant"].isin([a, control])]
            r = cluster_compare_proportions(
                cc["sum"].to_numpy(), cc["n"].to_numpy(), cc["variant"].to_numpy(), control=control, alpha=alpha
            )
            rows.append(r)
        p = np.array([r.p_value for r in rows])
        p_adj = adjust_pvalues(p, method=adjust)
        a_ci = _ci_alpha(p_adj, alpha, adjust)
        out = []
        for a, pa in zip(others, p_adj, strict=True):
            cc = cluster_counts[cluster_counts["variant"].isin([a, control])]
            r = cluster_compare_proportions(
                cc["sum"].to_numpy(), cc["n"].to_numpy(), cc["variant"].to_numpy(), control=control, alpha=a_ci
            )
            out.append(
                {"variant": a, "control_value": r.rate_c, "variant_value": r.rate_t, "abs_diff": r.diff,
                 "abs_ci_low": r.ci_low, "abs_ci_high": r.ci_high,
                 "rel_lift": r.rate_t / r.rate_c - 1 if r.rate_c > 0 else np.nan,
                 "rel_ci_low": np.nan, "rel_ci_high": np.nan,
                 "p_value": r.p_value, "p_value_adjusted": float(pa), "ci_level": 1 - a_ci,
                 "prob_beat_control": np.nan, "expected_loss": np.nan,
                 "method": f"cluster-robust (CR1) linear probability model, {r.n_clusters_t + r.n_clusters_c} clusters; design effect {r.design_effect:.2f}",
                 "design_effect": r.design_effect, "icc": r.icc, "small_sample": False}
            )
        eff = pd.DataFrame(out)
    else:
        cmp = compare_arms(x.to_dict(), n.to_dict(), control=control, alpha=alpha, p_adjust=adjust)
        cmp = cmp.set_index("arm")
        p_used = np.where(cmp["small_sample"], cmp["exact_p_value"], cmp["p_value"])
        p_adj = adjust_pvalues(p_used, method=adjust) if cmp["small_sample"].any() else cmp["p_adjusted"].to_numpy()
        out = []
        for (a, row), pu, pa in zip(cmp.iterrows(), p_used, p_adj, strict=True):
            level_alpha = 1.0 - float(row["ci_level"])
            fr = compare_proportions(int(x[a]), int(n[a]), int(x[control]), int(n[control]), alpha=level_alpha)
            bayes = bayes_beta_binomial(int(x[a]), int(n[a]), int(x[control]), int(n[control]), seed=seed)
            if spec.better_when_higher:
                pbc, loss = bayes.prob_beat_control, bayes.expected_loss_t
            else:
                pbc, loss = 1.0 - bayes.prob_beat_control, bayes.expected_loss_c
            test = "Boschloo exact test" if bool(row["small_sample"]) else "two-sided pooled z-test"
            out.append(
                {"variant": a, "control_value": float(row["control_rate"]), "variant_value": float(row["rate"]),
                 "abs_diff": float(row["abs_diff"]), "abs_ci_low": float(row["ci_low"]), "abs_ci_high": float(row["ci_high"]),
                 "rel_lift": float(row["rel_lift"]), "rel_ci_low": float(row["rel_ci_low"]), "rel_ci_high": float(row["rel_ci_high"]),
                 "rel_ci_low_fieller": fr.rel_ci_low_fieller, "rel_ci_high_fieller": fr.rel_ci_high_fieller,
                 "p_value": float(pu), "p_value_adjusted": float(pa), "ci_level": float(row["ci_level"]),
                 "prob_beat_control": pbc, "expected_loss": loss,
                 "method": f"Newcombe hybrid score interval; {test}", "small_sample": bool(row["small_sample"])}
            )
        eff = pd.DataFrame(out)
    return arms, eff


def _binary_cuped(eff: pd.DataFrame, values: pd.DataFrame, *, control: str) -> pd.DataFrame:
    """Add CUPED (regression on ``pre_period_value``) estimates of a binary metric (0/1 outcomes)."""
    from salesops_lib.stats.means import cuped_compare

    values = values.dropna(subset=["x"]).assign(variant=lambda d: d["variant"].astype(str))
    yc = values.loc[values["variant"] == control]
    eff = eff.copy()
    for i, r in eff.iterrows():
        yt = values.loc[values["variant"] == r["variant"]]
        if len(yt) < 2 or len(yc) < 2:
            continue
        cu = cuped_compare(yt["y"].to_numpy(float), yt["x"].to_numpy(float), yc["y"].to_numpy(float),
                           yc["x"].to_numpy(float), alpha=1.0 - float(r["ci_level"]))
        for k, v in (("cuped_diff", cu.diff), ("cuped_ci_low", cu.ci_low), ("cuped_ci_high", cu.ci_high),
                     ("cuped_p_value", cu.p_value), ("variance_reduction", cu.variance_reduction)):
            eff.loc[i, k] = v
    return eff


def cap_nonzero(
    values: Mapping[str, np.ndarray], *, upper_pct: float
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    r"""Cap per-unit values at a percentile of the *non-zero* values of all arms pooled.

    Value metrics of leads are zero-inflated: most units have no revenue. A percentile of all
    units then falls inside the ordinary range of the deals (with 7% of units above zero, the
    99th percentile of all units is about the 86th percentile of the deals) and capping there
    removes a large share of the total. The cap is therefore taken among the units with a value:

    .. math::

        c = Q_{q}\left(\{y_i : y_i \neq 0\}\right), \qquad \tilde y_i = \min(y_i, c),

    the same cap in every arm (the comparison stays fair for the *capped* metric).

    Parameters
    ----------
    values
        Arm -> per-unit values.
    upper_pct
        Percentile ``q`` (e.g. 99) of the pooled non-zero values (``numpy.percentile``, linear).

    Returns
    -------
    (capped, info)
        The capped values per arm and a dict: ``cap``, ``pct``, ``n_units``, ``n_nonzero``,
        ``n_capped`` (units above the cap), ``total`` and ``total_capped`` (sum before / after),
        ``share_removed`` (1 − total_capped / total), ``n_capped_by_arm``.

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
    controlled experiments by utilizing pre-experiment data. *WSDM '13* (capping, section 3.3);
    Kohavi, R., Tang, D. and Xu, Y. (2020). *Trustworthy Online Controlled Experiments*, ch. 22
    (capping heavy-tailed metrics).
    """
    arrays = {a: np.asarray(v, dtype=float) for a, v in values.items()}
    pooled = np.concatenate(list(arrays.values())) if arrays else np.array([])
    nonzero = pooled[pooled != 0]
    info: dict[str, Any] = {"pct": float(upper_pct), "n_units": int(pooled.size), "n_nonzero": int(nonzero.size)}
    if nonzero.size == 0:
        info.update(cap=np.nan, n_capped=0, total=0.0, total_capped=0.0, share_removed=0.0,
                    n_capped_by_arm={a: 0 for a in arrays})
        return dict(arrays), info
    cap = float(np.percentile(nonzero, upper_pct))
    capped = {a: np.minimum(v, cap) for a, v in arrays.items()}
    total = float(pooled.sum())
    total_c = float(sum(v.sum() for v in capped.values()))
    info.update(
        cap=cap,
        n_capped=int(np.sum(pooled > cap)),
        total=total,
        total_capped=total_c,
        share_removed=(1.0 - total_c / total) if total > 0 else 0.0,
        n_capped_by_arm={a: int(np.sum(v > cap)) for a, v in arrays.items()},
    )
    return capped, info


def _value_effects(
    values: pd.DataFrame,
    spec: MetricSpec,
    *,
    control: str,
    arms_order: Sequence[str],
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
    cluster_values: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Per-arm table and effects of a count or value metric from per-unit values.

    With ``spec.winsorize_pct`` the values are capped by :func:`cap_nonzero` (percentile of the
    non-zero values, arms pooled); the per-arm table then holds the capped ``mean`` and the
    ``mean_uncapped``, and the effects the uncapped Welch comparison next to the capped one.
    With cluster randomisation the cluster means are compared and no value is capped.
    """
    from salesops_lib.stats.experiments import compare_arms_means
    from salesops_lib.stats.means import (
        bootstrap_diff_ci,
        compare_counts,
        cuped_compare,
        mann_whitney,
    )

    y = {a: values.loc[values["variant"] == a, "y"].to_numpy(dtype=float) for a in arms_order}
    y_raw = dict(y)
    xs = None
    if "x" in values.columns and values["x"].notna().all() and len(values):
        xs = {a: values.loc[values["variant"] == a, "x"].to_numpy(dtype=float) for a in arms_order}
    cap_info: dict[str, Any] | None = None
    if spec.winsorize_pct is not None and cluster_values is None:  # clusters: the cluster means are compared
        y, cap_info = cap_nonzero(y_raw, upper_pct=spec.winsorize_pct)
    capped = cap_info is not None and _finite(cap_info["cap"])
    arms = pd.DataFrame(
        {"metric": spec.name, "variant": list(arms_order), "n": [y[a].size for a in arms_order],
         "mean": [float(np.mean(y[a])) if y[a].size else np.nan for a in arms_order],
         "sd": [float(np.std(y[a], ddof=1)) if y[a].size > 1 else np.nan for a in arms_order],
         "median": [float(np.median(y[a])) if y[a].size else np.nan for a in arms_order],
         "share_nonzero": [float(np.mean(y[a] > 0)) if y[a].size else np.nan for a in arms_order]}
    )
    if capped:
        arms["mean_uncapped"] = [float(np.mean(y_raw[a])) if y_raw[a].size else np.nan for a in arms_order]
        arms["cap"] = cap_info["cap"]
        arms["n_capped"] = [cap_info["n_capped_by_arm"][a] for a in arms_order]
    others = [a for a in arms_order if a != control]
    if cluster_values is not None:
        means = {
            a: cluster_values.loc[cluster_values["variant"] == a, "mean"].to_numpy(dtype=float) for a in arms_order
        }
        cmp = compare_arms_means(means, control=control, alpha=alpha, p_adjust=adjust).set_index("arm")
        method = f"Welch t-test on cluster means ({len(cluster_values):,} clusters)" + (
            "; no capping (the cluster means are compared)" if spec.winsorize_pct is not None else "")
    else:
        cmp = compare_arms_means(y, control=control, alpha=alpha, p_adjust=adjust).set_index("arm")
        method = "Welch t-test" + (
            f"; values capped at the {spec.winsorize_pct:g}th percentile of the non-zero values ({cap_info['cap']:,.2f})"
            if capped else ""
        )
    cmp_raw = compare_arms_means(y_raw, control=control, alpha=alpha, p_adjust=adjust).set_index("arm") if capped else None
    out = []
    extra: dict[str, Any] = {"capping": cap_info if capped else None}
    for a in others:
        row = cmp.loc[a]
        a_ci = 1.0 - float(row["ci_level"])
        rec: dict[str, Any] = {
            "variant": a, "control_value": float(row["control_mean"]), "variant_value": float(row["mean"]),
            "abs_diff": float(row["diff"]), "abs_ci_low": float(row["ci_low"]), "abs_ci_high": float(row["ci_high"]),
            "rel_lift": float(row["rel_lift"]), "rel_ci_low": np.nan, "rel_ci_high": np.nan,
            "p_value": float(row["p_value"]), "p_value_adjusted": float(row["p_adjusted"]), "ci_level": float(row["ci_level"]),
            "prob_beat_control": np.nan, "expected_loss": np.nan, "method": method, "small_sample": bool(min(y[a].size, y[control].size) < 30),
        }
        if capped:
            rr = cmp_raw.loc[a]
            rec.update(cap=cap_info["cap"], uncapped_control_value=float(rr["control_mean"]),
                       uncapped_variant_value=float(rr["mean"]), uncapped_diff=float(rr["diff"]),
                       uncapped_ci_low=float(rr["ci_low"]), uncapped_ci_high=float(rr["ci_high"]),
                       uncapped_p_value_adjusted=float(rr["p_adjusted"]))
        if spec.kind == "count" and cluster_values is None:
            cc = compare_counts(y[a], y[control], alpha=a_ci)
            rec["rel_ci_low"], rec["rel_ci_high"] = cc.rr_ci_low - 1.0, cc.rr_ci_high - 1.0
            rec["rate_ratio_p_value"] = cc.rr_p_value
        if y[a].size >= 2 and y[control].size >= 2:
            b = bootstrap_diff_ci(y[a], y[control], n_boot=n_boot, seed=seed, alpha=a_ci, method="percentile")
            rec["boot_ci_low"], rec["boot_ci_high"] = b.ci_low, b.ci_high
            rec["mann_whitney_p"] = mann_whitney(y[a], y[control]).p_value
            if xs is not None:
                cu = cuped_compare(y[a], xs[a], y[control], xs[control], alpha=a_ci)
                rec.update(cuped_diff=cu.diff, cuped_ci_low=cu.ci_low, cuped_ci_high=cu.ci_high,
                           cuped_p_value=cu.p_value, variance_reduction=cu.variance_reduction)
        out.append(rec)
    return arms, pd.DataFrame(out), extra


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
    """Per-arm medians, effects (median difference, log-rank) and KM curves of a time-to-event metric."""
    from salesops_lib.stats.experiments import compare_time_to_event
    from salesops_lib.stats.survival import kaplan_meier

    kc = km_counts[km_counts["count"] > 0]
    res = compare_time_to_event(
        kc["duration"].to_numpy(dtype=float), kc["event"].to_numpy(dtype=int), kc["variant"].astype(str).to_numpy(),
        control=control, alpha=alpha, weights=kc["count"].to_numpy(dtype=float), n_boot=n_boot, seed=seed,
        p_adjust=adjust,
    ).set_index("arm")
    curves = []
    reach = {}
    for a in arms_order:
        d = kc[kc["variant"] == a]
        km = kaplan_meier(d["duration"].to_numpy(dtype=float), d["event"].to_numpy(dtype=int),
                          weights=d["count"].to_numpy(dtype=float), alpha=alpha)
        curves.append(km.table.assign(variant=a))
        horizon = spec.window_days if spec.window_days else float(d["duration"].max())
        reach[a] = float(km.cumulative_at(horizon))
    arms = pd.DataFrame(
        {"metric": spec.name, "variant": list(arms_order),
         "n": [int(res.loc[a, "n"]) for a in arms_order], "events": [int(res.loc[a, "events"]) for a in arms_order],
         "median": [res.loc[a, "median"] for a in arms_order], "median_ci_low": [res.loc[a, "median_ci_low"] for a in arms_order],
         "median_ci_high": [res.loc[a, "median_ci_high"] for a in arms_order],
         "share_with_event": [reach[a] for a in arms_order]}
    )
    out = []
    mc = float(res.loc[control, "median"])
    for a in arms_order:
        if a == control:
            continue
        r = res.loc[a]
        out.append(
            {"variant": a, "control_value": mc, "variant_value": float(r["median"]),
             "abs_diff": float(r["diff_median"]), "abs_ci_low": float(r["diff_ci_low"]), "abs_ci_high": float(r["diff_ci_high"]),
             "rel_lift": float(r["median"]) / mc - 1 if _finite(mc) and mc > 0 else np.nan,
             "rel_ci_low": np.nan, "rel_ci_high": np.nan,
             "p_value": float(r["p_value"]), "p_value_adjusted": float(r["p_adjusted"]), "ci_level": 1 - alpha,
             "prob_beat_control": np.nan, "expected_loss": np.nan, "share_diff": reach[a] - reach[control],
             "method": "Kaplan–Meier medians, bootstrap interval of the difference; log-rank test", "small_sample": False}
        )
    return arms, pd.DataFrame(out), pd.concat(curves, ignore_index=True)


# --------------------------------------------------------------------------- formatting helpers


def _fmt_value(spec: MetricSpec, v: Any, currency: str = "USD") -> str:
    from salesops_lib.viz.format import fmt_days, fmt_money, fmt_num, fmt_pct

    if spec.kind == "binary":
        return fmt_pct(v)
    if spec.kind == "value":
        return fmt_money(v, currency)
    if spec.kind == "time_to_event":
        return fmt_days(v)
    return fmt_num(v, 2)


def _fmt_diff(spec: MetricSpec, v: Any, currency: str = "USD") -> str:
    from salesops_lib.viz.format import MISSING, fmt_money, fmt_pp, is_missing

    if is_missing(v):
        return MISSING
    if math.isinf(float(v)):
        return "unbounded"
    if spec.kind == "binary":
        return fmt_pp(v)
    sign = "+" if float(v) > 0 else ("−" if float(v) < 0 else "±")
    a = abs(float(v))
    if spec.kind == "value":
        return sign + fmt_money(a, currency)
    if spec.kind == "time_to_event":
        return f"{sign}{a:.1f} days"
    return f"{sign}{a:,.2f}"


def _fmt_ci(spec: MetricSpec, lo: Any, hi: Any, currency: str = "USD") -> str:
    from salesops_lib.viz.format import is_missing

    if is_missing(lo) or is_missing(hi):
        return "interval not available"
    return f"{_fmt_diff(spec, lo, currency)} to {_fmt_diff(spec, hi, currency)}"


def _level_txt(level: Any) -> str:
    """Confidence level as words: ``0.975 → "97.5%"``, ``0.95 → "95%"``."""
    return f"{100 * float(level):.1f}".rstrip("0").rstrip(".") + "%"


def _fmt_prob(p: Any, *, words: bool = False) -> str:
    """A probability in percent that never reads as certainty: ``>99.9%`` / ``<0.1%`` at the ends."""
    from salesops_lib.viz.format import MISSING, fmt_pct

    if not _finite(p):
        return MISSING
    p = float(p)
    if p > 0.999:
        return "over 99.9%" if words else ">99.9%"
    if p < 0.001:
        return "under 0.1%" if words else "<0.1%"
    return fmt_pct(p)


def _pp_words(text: str) -> str:
    """Spell out percentage points in a sentence: ``"+5.1 pp (+3.1 pp to +7.2 pp)"`` →
    ``"+5.1 percentage points (+3.1 to +7.2)"`` (tables and charts keep "pp")."""
    text = re.sub(r"([+−-]?\d[\d.,]*) pp to ([+−-]?\d[\d.,]*) pp\b", r"\1 to \2", text)
    return re.sub(r"(\d) pp\b", r"\1 percentage points", text)


def _unit_of(spec: MetricSpec) -> str:
    return {"binary": "pp", "value": "money", "time_to_event": "days", "count": "num"}[spec.kind]


# --------------------------------------------------------------------------- result object


@dataclass
class _Blocks:
    """Several display blocks shown as one cell output."""

    blocks: list[Any]

    def _repr_html_(self) -> str:
        return "".join(b._repr_html_() for b in self.blocks)


@dataclass
class ExperimentResult:
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
        ``abs_ci_low``, ``abs_ci_high``, ``rel_lift``, ``rel_ci_low``, ``rel_ci_high`` (delta
        method), ``rel_ci_low_fieller``, ``rel_ci_high_fieller``, ``p_value``,
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
        Kaplan–Meier curves per time-to-event metric (tidy: variant, time, survival, ci_low, ci_high).
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
    source: Any = field(default=None, repr=False)
    capping: dict[str, dict[str, Any]] = field(default_factory=dict)

    # ---------------------------------------------------------------- basic access
    @property
    def primary(self) -> MetricSpec:
        return next(m for m in self.metrics if m.primary)

    def spec(self, name: str) -> MetricSpec:
        for m in [*self.metrics, *self.guardrails]:
            if m.name == name:
                return m
        raise ParamsError("metric", f"unknown metric {name!r}", expected=f"one of {[m.name for m in self.metrics + self.guardrails]}")

    def to_frame(self) -> pd.DataFrame:
        """The effects table (one row per metric and treatment arm)."""
        return self.effects.copy()

    def primary_effects(self) -> pd.DataFrame:
        return self.effects[self.effects["metric"] == self.primary.name].reset_index(drop=True)

    # ---------------------------------------------------------------- words
    def headline(self) -> str:
        """One line stating the finding on the primary metric (used as the forest plot's title)."""
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

    def summary(self) -> list[str]:
        """The answer first: 3–5 plain sentences, each number with its interval and comparison."""
        from salesops_lib.viz.format import fmt_int, fmt_p

        p, v, c = self.primary, self.verdict, self.control
        eff = self.primary_effects().set_index("variant")
        ma = self.metric_arms[p.name].set_index("variant")
        out: list[str] = []

        def arm_value(a: str) -> str:
            if p.kind == "binary":
                from salesops_lib.viz.format import fmt_pct_ci

                r = ma.loc[a]
                return fmt_pct_ci(r["rate"], r["ci_low"], r["ci_high"])
            v_ = _fmt_value(p, eff.loc[a, "variant_value"] if a != c else eff["control_value"].iloc[0], self.currency)
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
            parts.append(
                f"{a}: {arm_value(a)}, {_fmt_diff(p, r['abs_diff'], self.currency)} "
                f"({_fmt_ci(p, r['abs_ci_low'], r['abs_ci_high'], self.currency)}) — {judge} {c}"
            )
        if parts and (v.decision == "ship" or len(rest) > 0):
            out.append(("Against " + c + " (" + arm_value(c) + "): " if v.decision != "ship" else "") + "; ".join(parts) + ".")
        if v.decision == "ship" and v.arm is not None and _finite(eff.loc[v.arm, "prob_beat_control"]):
            pb_txt = _fmt_prob(eff.loc[v.arm, "prob_beat_control"], words=True)
            out.append(f"Given the data, the chance that {v.arm} is truly better than {c} is {pb_txt}.")
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
                out.append(
                    f"Guardrail {g.name} failed for {worst['variant']}: it changed by {_fmt_diff(g, worst['abs_diff'], self.currency)}, "
                    f"and in the worst case the data allow it could {move} by {_fmt_diff(g, bound, self.currency).lstrip('+−')} "
                    f"(allowed: {margin})."
                )
            else:
                harm = float(bound) if not g.better_when_higher else -float(bound)
                worst_txt = (f"{move} by no more than {_fmt_diff(g, bound, self.currency).lstrip('+−')}" if harm > 0
                             else f"not {move} at all")
                out.append(
                    f"Guardrail {g.name} held: {_fmt_diff(g, worst['abs_diff'], self.currency)} for {worst['variant']}; "
                    f"even in the worst case the data allow, it would {worst_txt} (allowed: {margin})."
                )
            break
        q = self.quality
        if not q.srm_failed:
            dq = f"Arm sizes match the plan ({fmt_p(q.srm.p_value)})"
            if q.n_multi_assigned:
                k = q.n_multi_assigned
                dq += f"; {fmt_int(k)} lead{'s' if k != 1 else ''} assigned to more than one arm {'were' if k != 1 else 'was'} left out"
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
        why = (f" (wider because {m} arms are each compared with {self.control})" if m > 1 and d_level != a_level else "")
        if p.kind == "binary" and d_level != a_level:
            return (f"Ranges in brackets are {a_level} intervals for each arm's rate and {d_level} intervals "
                    f"for differences from {self.control}{why}.")
        if p.kind == "binary":
            return f"Ranges in brackets are {a_level} intervals."
        return f"Ranges in brackets are {d_level} intervals for differences from {self.control}{why}."

    # ---------------------------------------------------------------- machine-readable
    def to_results(self) -> dict[str, Any]:
        """The ``results`` block of ``NAME.json`` (JSON-safe: NaN/inf become ``None``)."""
        p = self.primary

        def clean(v: Any) -> Any:
            if isinstance(v, float | np.floating):
                return float(v) if math.isfinite(float(v)) else None
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, np.bool_):
                return bool(v)
            return v

        arm_cols = [c for c in ("variant", "n", "conversions", "rate", "ci_low", "ci_high", "mean",
                                "planned_share", "actual_share", "n_assigned") if c in self.arms.columns]
        arms = [{k: clean(v) for k, v in r.items()} for r in self.arms[arm_cols].to_dict("records")]
        eff_cols = ["metric", "role", "variant", "control", "abs_diff", "abs_ci_low", "abs_ci_high", "rel_lift",
                    "rel_ci_low", "rel_ci_high", "rel_ci_low_fieller", "rel_ci_high_fieller", "p_value",
                    "p_value_adjusted", "ci_level", "prob_beat_control", "expected_loss", "significant", "method"]
        g_cols = ["margin", "ni_ci_low", "ni_ci_high", "ni_ci_level", "ni_level", "ni_bound", "guardrail_passed"]
        c_cols = ["cap", "uncapped_control_value", "uncapped_variant_value", "uncapped_diff", "uncapped_ci_low", "uncapped_ci_high"]
        eff = []
        for r in self.effects.to_dict("records"):
            cols = eff_cols + (g_cols if r["role"] == "guardrail" else []) + (c_cols if _finite(r.get("cap", np.nan)) else [])
            eff.append({k: clean(r.get(k)) for k in cols})
        out: dict[str, Any] = {
            "campaign_id": self.campaign_id,
            "primary_metric": p.name,
            "control": self.control,
            "arms": arms,
            "srm_p_value": clean(self.quality.srm.p_value),
            "srm_method": self.quality.srm.method,
            "srm_failed": self.quality.srm_failed,
            "multi_assigned_units": int(self.quality.n_multi_assigned),
            "balance_max_abs_smd": clean(self.quality.balance.max_abs_smd) if self.quality.balance is not None else None,
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
            out["detectable_effect"] = [{k: clean(v) for k, v in r.items()} for r in self.detectable.to_dict("records")]
        if self.sequential is not None:
            sq = self.sequential
            seq = []
            for _a, g in sq.groupby("variant", sort=False):
                last = g.iloc[-1].drop(labels=["week", "data_to"])
                rec = {k: clean(v) for k, v in last.items()}
                first = g.loc[g["reject"].astype(bool), "data_to"]
                rec["data_to"] = pd.Timestamp(g["data_to"].iloc[-1]).date().isoformat()
                rec["first_clear_look_data_to"] = pd.Timestamp(first.iloc[0]).date().isoformat() if len(first) else None
                rec["n_looks"] = len(g)
                seq.append(rec)
            out["sequential"] = seq
        if self.capping:
            out["capping"] = {k: {kk: clean(vv) for kk, vv in v.items() if kk != "n_capped_by_arm"}
                              for k, v in self.capping.items()}
        return out

    # ---------------------------------------------------------------- display blocks
    def banner(self) -> Any:
        """A warning :class:`~salesops_lib.viz.html.Banner` when a data-quality check failed, else ``None``."""
        from salesops_lib.viz.html import Banner

        probs = self.quality.problems
        if not probs:
            return None
        return Banner(probs, level="error" if self.quality.srm_failed else "warning", title="Data-quality check failed:")

    def summary_block(self) -> Any:
        from salesops_lib.viz.html import Summary

        return Summary(self.summary())

    def cards(self) -> Any:
        """Key-number cards: control and best arm on the primary metric, the difference, certainty, size."""
        from salesops_lib.viz.format import fmt_int, fmt_pct, fmt_pct_ci
        from salesops_lib.viz.html import Card, Cards

        p, c = self.primary, self.control
        eff = self.primary_effects()
        ma = self.metric_arms[p.name].set_index("variant")
        best = self.verdict.arm if self.verdict.arm is not None else None
        if best is None:
            sign = 1 if p.better_when_higher else -1
            best = str(eff.loc[(sign * eff["abs_diff"]).idxmax(), "variant"])
        r = eff.set_index("variant").loc[best]
        cards = []
        if p.kind == "binary":
            cards.append(Card(f"{p.name}: {c}", fmt_pct(ma.loc[c, "rate"]), detail=f"{fmt_pct_ci(ma.loc[c, 'rate'], ma.loc[c, 'ci_low'], ma.loc[c, 'ci_high']).split(' ', 1)[1]}, n = {fmt_int(ma.loc[c, 'n'])}"))
            good = bool(r["better"]) if bool(r["significant"]) else None
            cards.append(Card(f"{p.name}: {best}", fmt_pct(ma.loc[best, "rate"]),
                              delta=f"{_fmt_diff(p, r['abs_diff'])} vs {c}", good=good,
                              detail=f"{fmt_pct_ci(ma.loc[best, 'rate'], ma.loc[best, 'ci_low'], ma.loc[best, 'ci_high']).split(' ', 1)[1]}, n = {fmt_int(ma.loc[best, 'n'])}"))
        else:
            cards.append(Card(f"{p.name}: {c}", _fmt_value(p, r["control_value"], self.currency)))
            cards.append(Card(f"{p.name}: {best}", _fmt_value(p, r["variant_value"], self.currency),
                              delta=f"{_fmt_diff(p, r['abs_diff'], self.currency)} vs {c}",
                              good=bool(r["better"]) if bool(r["significant"]) else None))
        rel = r["rel_lift"]
        cards.append(Card(f"Relative change, {best} vs {c}", f"{100 * rel:+.1f}%" if _finite(rel) else "—",
                          detail=(f"{100 * r['rel_ci_low']:+.1f}% to {100 * r['rel_ci_high']:+.1f}%" if _finite(r["rel_ci_low"]) and _finite(r["rel_ci_high"]) else None)))
        if _finite(r.get("prob_beat_control", np.nan)):
            cards.append(Card(f"Chance {best} is truly better", _fmt_prob(r["prob_beat_control"]),
                              detail="given these results"))
        n_units = int(self.arms["n_assigned"].sum()) if "n_assigned" in self.arms else int(self.arms["n"].sum())
        cards.append(Card("Leads in the test", fmt_int(n_units),
                          detail=f"{len(self.arms_order)} arms; {fmt_int(self.quality.n_multi_assigned)} excluded (in two arms)"))
        cards.append(Card("Verdict", self.verdict.decision.capitalize() + (f" {best}" if self.verdict.decision == "ship" else ""),
                          good=True if self.verdict.decision == "ship" else None))
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
        from salesops_lib.viz.format import fmt_p
        from salesops_lib.viz.html import Table

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
                note = (f"{s.name}: median not reached: fewer than half the leads reached {s.event_label}. The rows show the "
                        f"share that reached {s.event_label} by {days} and the log-rank p.")
                if note not in notes:
                    notes.append(note)
                continue
            cv = _fmt_value(s, r["control_value"], self.currency) if _finite(r["control_value"]) or not tte else "not reached"
            av = _fmt_value(s, r["variant_value"], self.currency) if _finite(r["variant_value"]) or not tte else "not reached"
            name = r["metric"]
            if _finite(r.get("cap", np.nan)):
                name = f"{name}: {self._cap_label(s.name)}"
                cv += f" (uncapped {_fmt_value(s, r['uncapped_control_value'], self.currency)})"
                av += f" (uncapped {_fmt_value(s, r['uncapped_variant_value'], self.currency)})"
            ci = _fmt_ci(s, r["abs_ci_low"], r["abs_ci_high"], self.currency)
            if abs(float(r["ci_level"]) - main_level) > 1e-9 and ci != "interval not available":
                ci += f" ({_level_txt(r['ci_level'])})"
            rows.append({
                "Metric": name,
                "Arm": r["variant"],
                "Control": cv,
                "Arm value": av,
                "Difference": _fmt_diff(s, r["abs_diff"], self.currency),
                head: ci,
                "Relative": f"{100 * r['rel_lift']:+.1f}%".replace("-", "−") if _finite(r["rel_lift"]) else "—",
                "p (adjusted)": fmt_p(r["p_value_adjusted"], prefix=False),
                "P(better)": _fmt_prob(r["prob_beat_control"]) if _finite(r["prob_beat_control"]) else "—",
            })
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
        from salesops_lib.viz.format import fmt_p, fmt_pct, fmt_pp

        days = self._tte_days(s)

        def shares(arm: str) -> str:
            return "; ".join(f"{fmt_pct(self._reached_by(s.name, arm, d))} by day {d}" for d in days)

        d_last = days[-1]
        diff = self._reached_by(s.name, r["variant"], d_last) - self._reached_by(s.name, self.control, d_last)
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
        from salesops_lib.viz.html import Note, Table

        g = self.effects[self.effects["role"] == "guardrail"]
        if g.empty:
            return Note("No guardrail metric was set (params: guardrails).")
        two = _level_txt(g["ni_ci_level"].iloc[0])
        one = _level_txt(g["ni_level"].iloc[0])
        rows = []
        for r in g.to_dict("records"):
            s = self.spec(r["metric"])
            move = "fall" if s.better_when_higher else "rise"
            rows.append({
                "Guardrail": r["metric"],
                "Arm": r["variant"],
                "Control": _fmt_value(s, r["control_value"], self.currency),
                "Arm value": _fmt_value(s, r["variant_value"], self.currency),
                "Change": _fmt_diff(s, r["abs_diff"], self.currency),
                f"Interval ({two})": _fmt_ci(s, r["ni_ci_low"], r["ni_ci_high"], self.currency),
                f"Worst case ({one}, one-sided)": _fmt_diff(s, r["ni_bound"], self.currency),
                "Allowed": f"a {move} of up to {_fmt_diff(s, s.margin, self.currency).lstrip('+')}",
                "Result": "held" if bool(r["guardrail_passed"]) else "FAILED",
            })
        df = pd.DataFrame(rows)
        m = len(self.arms_order) - 1
        per = f" (the {self.alpha:g} error rate split over the {m} arms compared with {self.control})" if m > 1 else ""
        return Table(df, formats={c: "text" for c in df.columns},
                     caption=(f"A guardrail holds when its worst case stays within the allowed change. The worst case is the "
                              f"end of the {two} interval on the harmful side: a one-sided {one} bound{per}."))

    def arms_table(self, metric: str | None = None) -> Any:
        """Per-arm table of one metric (default: the primary)."""
        from salesops_lib.viz.format import fmt_days, fmt_int, fmt_pct
        from salesops_lib.viz.html import Table

        s = self.spec(metric) if metric else self.primary
        df = self.metric_arms[s.name]
        if s.kind == "binary":
            t = pd.DataFrame({
                "Arm": df["variant"], "Units": df["n"].map(fmt_int), "Converted": df["conversions"].map(fmt_int),
                "Rate": df["rate"].map(fmt_pct),
                "Interval": [f"{fmt_pct(lo)}–{fmt_pct(hi)}" for lo, hi in zip(df["ci_low"], df["ci_high"], strict=True)],
            })
            if s.primary and "planned_share" in self.arms:
                t["Planned share"] = self.arms["planned_share"].map(fmt_pct).to_numpy()
                t["Actual share"] = self.arms["actual_share"].map(fmt_pct).to_numpy()
        elif s.kind == "time_to_event":
            t = pd.DataFrame({
                "Arm": df["variant"], "Units": df["n"].map(fmt_int), "With event": df["events"].map(fmt_int),
                "Median": df["median"].map(fmt_days),
                "Interval": [f"{fmt_days(lo)}–{fmt_days(hi)}" if _finite(lo) and _finite(hi) else "—"
                             for lo, hi in zip(df["median_ci_low"], df["median_ci_high"], strict=True)],
                "Reached by end of window": df["share_with_event"].map(fmt_pct),
            })
        else:
            t = pd.DataFrame({"Arm": df["variant"], "Units": df["n"].map(fmt_int)})
            if s.name in self.capping:
                t[self._cap_label(s.name).capitalize()] = [_fmt_value(s, v, self.currency) for v in df["mean"]]
                t["Mean, uncapped"] = [_fmt_value(s, v, self.currency) for v in df["mean_uncapped"]]
                t["Units capped"] = df["n_capped"].map(fmt_int)
            else:
                t["Mean"] = [_fmt_value(s, v, self.currency) for v in df["mean"]]
            t["Median"] = [_fmt_value(s, v, self.currency) for v in df["median"]]
            t["Share above zero"] = df["share_nonzero"].map(fmt_pct)
        return Table(t, formats={c: "text" for c in t.columns}, caption=s.describe())

    def robustness_table(self) -> Any | None:
        """Value / count metrics: Welch vs bootstrap vs Mann–Whitney vs CUPED, per arm."""
        from salesops_lib.viz.format import fmt_p, fmt_pct
        from salesops_lib.viz.html import Table

        rows = []
        for r in self.effects.to_dict("records"):
            s = self.spec(r["metric"])
            if r["role"] == "guardrail":  # judged by their own interval (guardrail_table)
                continue
            if s.kind not in ("value", "count") and not _finite(r.get("cuped_diff", np.nan)):
                continue
            row = {"Metric": r["metric"], "Arm": r["variant"],
                   "Main comparison": f"{_fmt_diff(s, r['abs_diff'], self.currency)} ({_fmt_ci(s, r['abs_ci_low'], r['abs_ci_high'], self.currency)})"}
            if _finite(r.get("uncapped_diff", np.nan)):
                row["Main comparison, without capping"] = (f"{_fmt_diff(s, r['uncapped_diff'], self.currency)} "
                                                 f"({_fmt_ci(s, r['uncapped_ci_low'], r['uncapped_ci_high'], self.currency)})")
            if _finite(r.get("boot_ci_low", np.nan)):
                row["Bootstrap interval"] = _fmt_ci(s, r["boot_ci_low"], r["boot_ci_high"], self.currency)
            if _finite(r.get("mann_whitney_p", np.nan)):
                row["Mann–Whitney"] = fmt_p(r["mann_whitney_p"])
            if _finite(r.get("cuped_diff", np.nan)):
                row["Adjusted for pre-period (CUPED)"] = f"{_fmt_diff(s, r['cuped_diff'], self.currency)} ({_fmt_ci(s, r['cuped_ci_low'], r['cuped_ci_high'], self.currency)})"
                row["Variance reduction"] = fmt_pct(r["variance_reduction"])
            rows.append(row)
        if not rows:
            return None
        df = pd.DataFrame(rows)
        cols = ["Metric", "Arm", "Main comparison", "Main comparison, without capping", "Adjusted for pre-period (CUPED)", "Variance reduction",
                "Bootstrap interval", "Mann–Whitney"]
        df = df[[c for c in cols if c in df.columns] + [c for c in df.columns if c not in cols]]
        cap = "; ".join(f"{m}: the main comparison, bootstrap and CUPED use the {self._cap_label(m)}" for m in self.capping)
        return Table(df.fillna("—"), formats={c: "text" for c in df.columns}, caption=(cap + ".") if cap else None)

    def detail_tables(self) -> Any:
        """Per-arm tables of every metric, one after the other (a single displayable block)."""
        from salesops_lib.viz.html import Heading

        blocks = []
        for m in [*self.metrics, *self.guardrails]:
            blocks.append(Heading(m.name, level=3))
            blocks.append(self.arms_table(m.name))
        return _Blocks(blocks)

    def power_note(self) -> Any:
        """Plain words on the effect this test could have detected (never post-hoc power)."""
        from salesops_lib.viz.format import fmt_int
        from salesops_lib.viz.html import Summary

        p = self.primary
        if self.detectable is None or self.detectable.empty:
            return Summary(["The detectable effect is not available for this metric."], title=None)
        out = []
        for r in self.detectable.to_dict("records"):
            out.append(
                f"With {fmt_int(r['n_variant'])} leads in {r['variant']} and {fmt_int(r['n_control'])} in {self.control}, "
                f"this test had a {100 * r['power']:.0f}% chance to detect a true change in {p.name} of "
                f"{_fmt_diff(p, r['detectable_abs'], self.currency).lstrip('+')} or more "
                f"({100 * r['detectable_rel']:.0f}% relative)."
            )
        out.append("Smaller true effects could have been missed: a result that is not significant is not proof of no effect.")
        return Summary(out, title=None)

    def sequential_table(self) -> Any:
        """Always-valid read-out at the last weekly look, per arm (or a note when not requested)."""
        from salesops_lib.viz.format import fmt_int, fmt_p
        from salesops_lib.viz.html import Note, Table

        if self.sequential is None or self.sequential.empty:
            return Note("Sequential monitoring was not requested for this report (params: sequential: true).")
        p = self.primary
        sq = self.sequential
        m = int(sq["n_compared"].iloc[0])
        level = _level_txt(1 - float(sq["alpha_per_arm"].iloc[0]))
        p_head = f"Always-valid p (adjusted for {m} arms)" if m > 1 else "Always-valid p"
        rows = []
        for a, g in sq.groupby("variant", sort=False):
            last = g.iloc[-1]
            first = g.loc[g["reject"].astype(bool), "data_to"]
            rows.append({
                "Arm": a, "Weekly looks": fmt_int(len(g)),
                "Last look: data to": f"{pd.Timestamp(last['data_to']):%d %b %Y}",
                "Units (arm / control)": f"{fmt_int(last['n_t'])} / {fmt_int(last['n_c'])}",
                "Difference": _fmt_diff(p, last["diff"]),
                f"Always-valid interval ({level})": _fmt_ci(p, last["ci_low"], last["ci_high"]),
                p_head: fmt_p(last["p_value_adjusted"], prefix=False),
                "First clear result: look with data to": f"{pd.Timestamp(first.iloc[0]):%d %b %Y}" if len(first) else "none",
            })
        df = pd.DataFrame(rows)
        split = f", with the error rate split over the {m} arms compared with {self.control}" if m > 1 else ""
        return Table(df, formats={c: "text" for c in df.columns},
                     caption=("Valid however often the results were looked at: checking weekly does not raise the false-positive rate"
                              f"{split}. Each look is labelled by the last day of data it includes."))

    def quality_table(self) -> Any:
        from salesops_lib.viz.html import Table

        df = self.quality.to_frame()
        df["passed"] = df["passed"].map({True: "passed", False: "FAILED"})
        return Table(df.rename(columns={"check": "Check", "result": "Result", "passed": "Status"}),
                     formats={"Check": "text", "Result": "text", "Status": "text"})

    def methods(self) -> Any:
        """Methods and definitions: each metric's definition, each test's name, exclusions, span."""
        from salesops_lib.viz.format import fmt_int, fmt_pct
        from salesops_lib.viz.html import Definitions

        rows: list[tuple[str, str] | tuple[str, str, str]] = []
        for m in [*self.metrics, *self.guardrails]:
            role = "primary metric" if m.primary else ("guardrail" if m.margin is not None else "secondary metric")
            text = m.describe() + (f" Non-inferiority margin: {_fmt_diff(m, m.margin, self.currency).lstrip('+')}." if m.margin else "")
            cap = self.capping.get(m.name)
            if cap:
                total_word = "won revenue" if m.kind == "value" and m.stage == "won" else ("the amount" if m.kind == "value" else "the total")
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
            ("Units and exclusions",
             f"Leads in campaign_members for {self.campaign_id}, arm = variant. {fmt_int(self.quality.n_multi_assigned)} leads found in more than one arm were excluded from every analysis; "
             f"units whose outcome window had not closed by the as-of time are left out of that metric.{span}"),
            ("Intervals", self._interval_sentence() + " " + self._interval_rule()),
            ("Sample-ratio check", "Chi-square goodness-of-fit test of units per arm against the planned split (exact binomial / multinomial test when an expected count is below 5); flagged when p < 0.001."),
            ("Pre-period balance", "Standardised mean difference of pre_period_value against control (flagged at 0.10), with Welch tests."),
            ("Binary metrics", "Differences in rates are in percentage points (pp): from 30% to 35% is +5 pp. Difference in rates with the Newcombe hybrid score interval; two-sided pooled z-test (Boschloo exact test when an expected count is below 5); "
             "relative lift with delta-method (log ratio) and Fieller intervals; Bayesian probability to beat control and expected loss from Beta(1, 1) priors.",
             "diff = p_t − p_c;  lift = p_t / p_c − 1;  z = diff / sqrt(p(1−p)(1/n_t + 1/n_c))"),
            ("Count and value metrics", "Welch t-test on per-unit values; percentile bootstrap interval; optional capping of large values at a percentile of the "
             "non-zero values of all arms pooled (most leads have no revenue, so a percentile of all units would cut into ordinary deals); Mann–Whitney U test as a robustness check; "
             "CUPED regression adjustment with pre_period_value (variance reduction shown). Count metrics: relative change from the Poisson rate ratio.",
             "y_cuped = y − θ (x − mean(x)),  θ = cov(x, y) / var(x)"),
            ("Time to event", "Kaplan–Meier curves per arm (units without the event are censored at the as-of time or at the end of the window); log-rank test; "
             f"difference in median days with a {_level_txt(1 - self.alpha)} bootstrap interval."),
            ("Verdict", "Ship when the primary metric's adjusted p-value is below "
             f"{self.alpha:g}, its interval lies on the good side of zero and every guardrail holds (non-inferiority, see Intervals). "
             "Do not ship when the treatment is clearly worse or a guardrail fails. Otherwise inconclusive. A failed sample-ratio check makes a ship verdict inconclusive."),
        ]
        if self.detectable is not None:
            rows.append(("Detectable effect", f"The smallest true difference this test would have found with {100 * self.power:g}% probability at its final size "
                         "(a planning quantity; not post-hoc power on the observed effect)."))
        if self.cluster_by:
            rows.append(("Cluster randomisation", f"Units were randomised in clusters ({self.cluster_by}). Binary metrics use a linear probability model with cluster-robust (CR1) standard errors; "
                         "value metrics compare cluster means; the design effect is shown per comparison."))
        if self.sequential is not None:
            sq = self.sequential
            m = int(sq["n_compared"].iloc[0])
            p = self.primary
            win = f"{p.window_days}-day window" if p.window_days else "outcome"
            bonf = (f" Each of the {m} arms is compared with {self.control} at {self.alpha:g}/{m} = {float(sq['alpha_per_arm'].iloc[0]):.3g} "
                    f"(Bonferroni); the p-values shown are multiplied by {m} and the intervals are {_level_txt(1 - float(sq['alpha_per_arm'].iloc[0]))}."
                    if m > 1 else "")
            rows.append(("Sequential monitoring",
                         "Always-valid p-values and confidence sequences from the mixture sequential probability ratio test (mSPRT, normal mixture on the "
                         f"difference in rates): looking at the results early does not inflate false positives. {sq['tau_source'].iloc[0]}.{bonf} "
                         f"One look per week once every arm has 50 units with a known outcome; the look of a week includes the units whose {win} closed "
                         "by its Sunday (by the as-of time for the last look) and is labelled by that last day of data."))
        return Definitions(rows)

    def _interval_rule(self) -> str:
        """The one statement of which interval is which (methods section)."""
        a_level = _level_txt(1 - self.alpha)
        m = len(self.arms_order) - 1
        eff = self.effects[self.effects["role"] != "guardrail"]
        d_level = _level_txt(self.primary_effects()["ci_level"].iloc[0])
        text = f"Each arm's own rate or median: {a_level} interval. "
        if m > 1 and self.adjust == "holm":
            text += (f"Differences from {self.control}: {d_level} intervals — {m} arms are each compared with {self.control}, so each comparison "
                     f"uses {self.alpha:g}/{m} (Bonferroni-level simultaneous intervals) and p-values are Holm-adjusted. ")
        elif m > 1:
            text += (f"Differences from {self.control}: false-coverage-rate intervals matching the Benjamini–Hochberg adjusted p-values "
                     f"({d_level} here). ")
        else:
            text += f"Differences from {self.control}: {d_level} intervals. "
        if (eff["kind"] == "time_to_event").any():
            text += f"Differences in median days: {a_level} bootstrap intervals (not widened). "
        g = self.effects[self.effects["role"] == "guardrail"]
        if not g.empty:
            one, two = _level_txt(g["ni_level"].iloc[0]), _level_txt(g["ni_ci_level"].iloc[0])
            per = f" (the {self.alpha:g} error rate split over the {m} arms compared with {self.control})" if m > 1 else ""
            text += (f"Guardrails: non-inferiority test per arm at a one-sided {one} bound{per}; the guardrail holds when that bound — "
                     f"the harmful-side end of the {two} interval shown in the guardrail table — stays within the margin.")
        return text

    def _repr_html_(self) -> str:
        parts = []
        b = self.banner()
        if b is not None:
            parts.append(b._repr_html_())
        parts.append(self.summary_block()._repr_html_())
        parts.append(self.effects_table()._repr_html_())
        return "".join(parts)

    # ---------------------------------------------------------------- charts
    def plot_forest(self, metric: str | None = None, *, relative: bool = False, title: str | None = None, ax: Any = None) -> Any:
        """Forest plot of the effects of one metric (default: primary) or of all metrics (``metric="all"``, relative)."""
        from salesops_lib.viz.experiment import forest_plot

        if metric == "all":
            df = self.effects.copy()
            return forest_plot(df, estimate="rel_lift", low="rel_ci_low", high="rel_ci_high", unit="relpct",
                               title=title or "Relative change against control, every metric", ax=ax)
        s = self.spec(metric) if metric else self.primary
        df = self.effects[self.effects["metric"] == s.name]
        if relative:
            return forest_plot(df, estimate="rel_lift", low="rel_ci_low", high="rel_ci_high", unit="relpct",
                               label="variant", title=title, ax=ax)
        unit = _unit_of(s)
        xlabel = None
        if s.kind == "binary":
            xlabel = f"{s.name}: difference vs {self.control} (percentage points)"
        elif s.kind == "time_to_event":
            xlabel = f"{s.name}: difference in median vs {self.control} (days; negative = faster)"
        elif s.name in self.capping:
            xlabel = f"{s.name}: difference in {self._cap_label(s.name)} vs {self.control}"
        else:
            xlabel = f"{s.name}: difference in mean vs {self.control}"
        return forest_plot(df, unit=unit, label="variant", xlabel=xlabel,
                           title=title or (self.headline() if s.primary else None), ax=ax)

    def plot(self, ax: Any = None) -> Any:
        """The headline chart: forest plot of the primary metric."""
        return self.plot_forest(ax=ax)

    def plot_arms(self, metric: str | None = None, *, title: str | None = None, ax: Any = None) -> Any:
        """Per-arm rates with intervals (binary metrics)."""
        from salesops_lib.viz.experiment import arm_rates_plot

        s = self.spec(metric) if metric else self.primary
        if s.kind != "binary":
            raise ParamsError("metric", f"{s.name!r} is a {s.kind} metric", expected="a binary metric")
        df = self.metric_arms[s.name]
        hl = self.verdict.arm if (s.primary and self.verdict.decision == "ship") else None
        if title is None:
            best = df.sort_values("rate").iloc[-1]
            title = f"{best['variant']} has the highest {s.name}: {100 * best['rate']:.1f}%"
        return arm_rates_plot(df, control=self.control, highlight=hl, title=title, xlabel=s.name, ax=ax)

    def plot_km(self, metric: str | None = None, *, title: str | None = None, ax: Any = None) -> Any:
        """Kaplan–Meier curves (share that reached the event by day t) of a time-to-event metric."""
        from salesops_lib.viz.experiment import km_plot

        if metric is None:
            tte = [m for m in self.metrics if m.kind == "time_to_event"]
            if not tte:
                raise ParamsError("metric", "no time-to-event metric", expected="a metric with kind: time_to_event")
            s = tte[0]
        else:
            s = self.spec(metric)
        ma = self.metric_arms[s.name].set_index("variant")
        eff = self.effects[self.effects["metric"] == s.name].set_index("variant")
        from salesops_lib.viz.format import fmt_p

        sig = eff[eff["significant"].astype(bool) & eff["better"].astype(bool)]
        hl = None
        if len(sig):
            key = sig["share_diff"].abs() if "share_diff" in sig else sig["p_value_adjusted"]
            hl = str(key.idxmax())
        if title is None:
            if hl is not None:
                r = eff.loc[hl]
                if _finite(ma.loc[hl, "median"]) and _finite(ma.loc[self.control, "median"]):
                    detail = f"median {ma.loc[hl, 'median']:.0f} vs {ma.loc[self.control, 'median']:.0f} days"
                else:
                    horizon = f"by day {s.window_days}" if s.window_days else "by the as-of time"
                    detail = f"{100 * ma.loc[hl, 'share_with_event']:.0f}% vs {100 * ma.loc[self.control, 'share_with_event']:.0f}% {horizon}"
                title = f"{hl} reaches {s.event_label} sooner than {self.control}: {detail} ({fmt_p(r['p_value_adjusted'])})"
            else:
                title = f"Time to {s.event_label}: no arm is clearly faster than {self.control}"
        return km_plot(self.curves[s.name], control=self.control, highlight=hl, event_label=s.event_label,
                       max_days=s.window_days, title=title, ax=ax)

    def plot_split(self, *, title: str | None = None, ax: Any = None) -> Any:
        """Data-quality panel: actual vs planned share of units per arm."""
        from salesops_lib.viz.experiment import split_plot
        from salesops_lib.viz.format import fmt_p

        q = self.quality
        if title is None:
            title = ("Arm sizes do not match the plan" if q.srm_failed else "Arm sizes match the plan") + f" ({fmt_p(q.srm.p_value)})"
        return split_plot(q.split, failed=q.srm_failed, title=title, ax=ax)


# --------------------------------------------------------------------------- verdict, power


def _guardrail_checks(effects_g: pd.DataFrame, specs: Sequence[MetricSpec], arm: str) -> list[Any]:
    from salesops_lib.stats.experiments import non_inferiority

    out = []
    for g in specs:
        r = effects_g[(effects_g["metric"] == g.name) & (effects_g["variant"] == arm)]
        if r.empty:
            continue
        lo, _hi = _orient(g, float(r["ni_ci_low"].iloc[0]), float(r["ni_ci_high"].iloc[0]))
        if not _finite(lo):
            lo = -math.inf
        out.append(non_inferiority(lo if math.isfinite(lo) else -1e300, float(g.margin), name=g.name))
    return out


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
    from salesops_lib.stats.experiments import decide

    eff = effects[effects["metric"] == primary.name]
    g_eff = effects[effects["role"] == "guardrail"]
    per_arm: dict[str, str] = {}
    reasons: dict[str, str] = {}
    failed_all: list[str] = []
    for r in eff.to_dict("records"):
        lo, hi = _orient(primary, r["abs_ci_low"], r["abs_ci_high"])
        if not (_finite(lo) and _finite(hi)):
            lo, hi = (-math.inf if not _finite(lo) else lo), (math.inf if not _finite(hi) else hi)
        checks = _guardrail_checks(g_eff, guardrails, r["variant"])
        d = decide(float(max(lo, -1e300)), float(min(hi, 1e300)), p_adjusted=float(r["p_value_adjusted"]), alpha=alpha, guardrails=checks)
        per_arm[r["variant"]] = d.verdict
        failed_all += [f"{n} ({r['variant']})" for n in d.failed_guardrails]
        ci = _fmt_ci(primary, r["abs_ci_low"], r["abs_ci_high"], currency)
        diff = _fmt_diff(primary, r["abs_diff"], currency)
        if d.failed_guardrails:
            reasons[r["variant"]] = (
                f"A harm to guardrail {', '.join(d.failed_guardrails)} larger than its margin cannot be ruled out for {r['variant']}."
            )
        elif d.verdict == "ship":
            reasons[r["variant"]] = f"{r['variant']} is better than {control} on {primary.name}: {diff} ({ci}), and no guardrail is harmed."
        elif d.verdict == "do not ship":
            reasons[r["variant"]] = f"{r['variant']} is worse than {control} on {primary.name}: {diff} ({ci})."
        else:
            reasons[r["variant"]] = f"The difference for {r['variant']} ({diff}, {ci}) could be zero."
    decisions = pd.Series(per_arm, dtype=object)
    ships = [a for a, d in per_arm.items() if d == "ship"]
    if ships:
        sign = 1.0 if primary.better_when_higher else -1.0
        best = max(ships, key=lambda a: sign * float(eff.set_index("variant").loc[a, "abs_diff"]))
        if srm_failed:
            return Verdict("inconclusive", best,
                           f"{reasons[best]} But the arms are not the planned size, so assignment may be broken; fix it before acting.",
                           per_arm, tuple(failed_all)), decisions
        return Verdict("ship", best, reasons[best], per_arm, tuple(failed_all)), decisions
    if per_arm and all(d == "do not ship" for d in per_arm.values()):
        return Verdict("do not ship", None, " ".join(reasons.values()), per_arm, tuple(failed_all)), decisions
    ordered = [reasons[a] for a, d in per_arm.items() if d == "inconclusive"]
    ordered += [reasons[a] for a, d in per_arm.items() if d == "do not ship"]
    return Verdict("inconclusive", None, " ".join(ordered), per_arm, tuple(failed_all)), decisions


def _detectable(
    metric_arms: pd.DataFrame, effects: pd.DataFrame, spec: MetricSpec, *, control: str, alpha: float, power: float
) -> pd.DataFrame | None:
    """The effect this test could have detected, per treatment arm (``stats.power.mde_*``)."""
    from salesops_lib.stats.power import mde_means, mde_proportions

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
        elif spec.kind in ("value", "count"):
            sd = float(ma.loc[control, "sd"])
            if not (_finite(sd) and sd > 0):
                continue
            m = mde_means(sd, n_c, alpha=a_ci, power=power, ratio=n_t / n_c)
        else:
            continue
        rows.append({"metric": spec.name, "variant": a, "n_control": int(n_c), "n_variant": int(n_t),
                     "baseline": m.baseline, "detectable_abs": m.mde, "detectable_rel": m.mde_rel, "power": power,
                     "alpha": a_ci})
    return pd.DataFrame(rows) if rows else None


# --------------------------------------------------------------------------- entry points


def _check_common(alpha: float, adjust: str, power: float) -> None:
    if adjust not in ADJUST_METHODS:
        raise ParamsError("adjust", f"got {adjust!r}", expected="'holm' (default) or 'fdr_bh'")
    if not (isinstance(alpha, int | float) and 0 < float(alpha) < 0.5):
        raise ParamsError("alpha", f"got {alpha!r}", expected="a significance level in (0, 0.5), e.g. 0.05")
    if not (isinstance(power, int | float) and 0.5 < float(power) < 1):
        raise ParamsError("power", f"got {power!r}", expected="a power in (0.5, 1), e.g. 0.8")


def _finish_effects(eff: pd.DataFrame, spec: MetricSpec, *, control: str, role: str, alpha: float) -> pd.DataFrame:
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
        # median not reached: judge the direction by the share that had the event by the window's end
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


def _analyse_metric(
    design: ExperimentDesign,
    spec: MetricSpec,
    *,
    role: str,
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
    param: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, int, dict[str, Any] | None]:
    """Per-arm table, effects, KM curves, units with an open window and capping facts of one metric."""
    t = metric_unit_table(design, spec)
    arms = design.arms
    immature = 0
    if spec.window_days is not None and spec.kind != "time_to_event":
        imm = _immature_counts(t)
        immature = int(imm["n_immature"].sum())
    curves = None
    capping = None
    if spec.kind == "time_to_event":
        kc = _km_counts(t)
        kc["variant"] = kc["variant"].astype(str)
        ma, eff, curves = _tte_effects(kc, spec, control=design.control, arms_order=arms, alpha=alpha,
                                       adjust=adjust, n_boot=n_boot, seed=seed)
    elif spec.kind == "binary":
        counts = _arm_counts(t)
        counts["variant"] = counts["variant"].astype(str)
        counts = counts.set_index("variant").reindex(arms).fillna(0).astype(int).reset_index()
        empty = counts.loc[counts["n"] == 0, "variant"].tolist()
        if empty:
            raise ParamsError(
                param + ".window_days",
                f"no unit of arm(s) {empty} has a closed {spec.window_days}-day window by {design.as_of:%Y-%m-%d} (metric {spec.name!r})",
                expected="a shorter window or a later as_of",
            )
        cc = _cluster_counts(t) if design.cluster_by else None
        ma, eff = _binary_effects(counts, spec, control=design.control, alpha=alpha, adjust=adjust, seed=seed,
                                  cluster_counts=cc)
        if design.has_pre and cc is None:
            eff = _binary_cuped(eff, _unit_values(t), control=design.control)
    else:
        vals = _unit_values(t)
        vals["variant"] = vals["variant"].astype(str)
        small = [a for a in arms if int((vals["variant"] == a).sum()) < 2]
        if small:
            raise ParamsError(
                param + ".window_days",
                f"arm(s) {small} have fewer than 2 units with a closed window (metric {spec.name!r})",
                expected="a shorter window or a later as_of",
            )
        cv = None
        if design.cluster_by:
            cc = _cluster_counts(t)
            cv = cc.assign(mean=cc["sum"] / cc["n"], variant=cc["variant"].astype(str))
        ma, eff, extra = _value_effects(vals, spec, control=design.control, arms_order=arms, alpha=alpha,
                                        adjust=adjust, n_boot=n_boot, seed=seed, cluster_values=cv)
        capping = extra.get("capping")
    return ma, _finish_effects(eff, spec, control=design.control, role=role, alpha=alpha), curves, immature, capping


def evaluate_experiment(
    source: Any,
    *,
    campaign_id: str,
    control: str,
    metrics: Sequence[MetricSpec | Mapping[str, Any]],
    guardrails: Sequence[MetricSpec | Mapping[str, Any]] | None = None,
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
        The plan that fixes the mSPRT mixing parameter τ before the data are seen: ``sequential_tau``
        directly, or ``baseline_rate`` (expected control rate) and ``planned_n_per_arm`` (τ from
        :func:`~salesops_lib.stats.sequential.msprt_tau`). Needed when ``sequential`` is true.
    n_boot, seed
        Bootstrap resamples and seed (value metrics, median differences).
    as_of
        Cut-off time (default: the source's ``as_of``).

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
    design = experiment_design(source, campaign_id=campaign_id, control=control, planned_split=planned_split,
                               cluster_by=cluster_by, as_of=as_of)
    validate_metrics_against_data(design.src, specs, param="metrics")
    validate_metrics_against_data(design.src, gspecs, param="guardrails")
    if sequential:  # fail before the long computations when the plan for tau is missing
        planned_msprt_tau(alpha=alpha, n_compared=len(design.arms) - 1, tau=sequential_tau,
                          baseline_rate=baseline_rate, planned_n_per_arm=planned_n_per_arm)
    quality = _quality(design)

    metric_arms: dict[str, pd.DataFrame] = {}
    curves: dict[str, pd.DataFrame] = {}
    capping: dict[str, dict[str, Any]] = {}
    effects = []
    n_compared = len(design.arms) - 1
    for role, group, param in (("metric", specs, "metrics"), ("guardrail", gspecs, "guardrails")):
        for i, spec in enumerate(group):
            r = "primary" if spec.primary else ("guardrail" if role == "guardrail" else "secondary")
            ma, eff, cv, imm, cap = _analyse_metric(design, spec, role=r, alpha=alpha, adjust=adjust, n_boot=n_boot,
                                                    seed=seed, param=f"{param}.{i}")
            if role == "guardrail":
                # non-inferiority: one-sided bound at alpha / (arms compared), i.e. the two-sided
                # interval at 2 * alpha / m (binary/count/value: Bonferroni at 2 * alpha)
                if spec.kind == "time_to_event":
                    ni_kw = {"alpha": 2 * alpha / n_compared, "adjust": adjust}
                else:
                    ni_kw = {"alpha": 2 * alpha, "adjust": "bonferroni"}
                _, eff_ni, _, _, _ = _analyse_metric(design, spec, role=r, n_boot=n_boot, seed=seed,
                                                     param=f"{param}.{i}", **ni_kw)
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
    primary = next(s for s in specs if s.primary)
    verdict, decisions = _verdict(eff_all, primary, gspecs, control=design.control, alpha=alpha,
                                  srm_failed=quality.srm_failed, currency=currency)
    eff_all["decision"] = [decisions.get(v) if m == primary.name else None
                           for m, v in zip(eff_all["metric"], eff_all["variant"], strict=True)]
    arms_tbl = metric_arms[primary.name].merge(
        quality.split[["variant", "planned_share", "actual_share"]].assign(n_assigned=quality.split["n"]),
        on="variant", how="left",
    )
    detectable = _detectable(metric_arms[primary.name], eff_all[eff_all["metric"] == primary.name], primary,
                             control=design.control, alpha=alpha, power=power)
    seq = None
    if sequential:
        seq = _sequential(design, primary, alpha=alpha, tau=sequential_tau, baseline_rate=baseline_rate,
                          planned_n_per_arm=planned_n_per_arm)
    return ExperimentResult(
        campaign_id=design.campaign_id, control=design.control, arms_order=design.arms, metrics=specs,
        guardrails=gspecs, arms=arms_tbl, effects=eff_all, metric_arms=metric_arms, quality=quality,
        verdict=verdict, curves=curves, detectable=detectable, sequential=seq, alpha=alpha, adjust=adjust,
        power=power, cluster_by=cluster_by, as_of=design.as_of, first_assigned=design.first_assigned,
        last_assigned=design.last_assigned, n_member_rows=design.n_member_rows, currency=currency, source=design.src,
        capping=capping,
    )


def _quality(design: ExperimentDesign) -> DataQuality:
    """SRM, multi-assignment and pre-period balance of a design."""
    from salesops_lib.stats.experiments import balance_check, sample_ratio_test

    srm = sample_ratio_test({a: int(design.counts[a]) for a in design.arms}, design.planned_split)
    n = design.counts.sum()
    split = pd.DataFrame({
        "variant": design.arms,
        "n": [int(design.counts[a]) for a in design.arms],
        "planned_share": [design.planned_split[a] for a in design.arms],
        "actual_share": [design.counts[a] / n for a in design.arms],
        "expected": list(srm.expected),
    })
    balance = None
    if design.has_pre:
        u = design.units
        pre = u.filter(u.pre_period_value.notnull()).select("variant", "pre_period_value").execute()
        pre["variant"] = pre["variant"].astype(str)
        by = {a: pre.loc[pre["variant"] == a, "pre_period_value"].to_numpy(dtype=float) for a in design.arms}
        if all(v.size >= 2 for v in by.values()):
            balance = balance_check(by, control=design.control)
    return DataQuality(split=split, srm=srm, n_multi_assigned=design.n_multi_assigned,
                       multi_examples=list(design.multi_examples), balance=balance, n_units=int(n))


def planned_msprt_tau(
    *,
    alpha: float,
    n_compared: int,
    tau: float | None = None,
    baseline_rate: float | None = None,
    planned_n_per_arm: int | None = None,
) -> tuple[float, str]:
    """The mSPRT mixing standard deviation τ fixed by the plan, and a sentence saying where it came from.

    ``tau`` when given; otherwise :func:`~salesops_lib.stats.sequential.msprt_tau` at the planned
    ``baseline_rate`` and ``planned_n_per_arm`` and the per-arm level ``alpha / n_compared``.
    Always-validity needs τ fixed before the data are seen, so τ is never taken from the data.

    Raises
    ------
    ParamsError
        Naming ``sequential_tau`` / ``baseline_rate`` / ``planned_n_per_arm`` when the plan is
        missing or out of range.
    """
    from salesops_lib.stats.sequential import msprt_tau

    if tau is not None:
        if not (isinstance(tau, int | float) and math.isfinite(tau) and 0 < tau < 1):
            raise ParamsError("sequential_tau", f"got {tau!r}", expected="a mixing standard deviation in (0, 1), e.g. 0.02")
        return float(tau), f"τ = {tau:.4g} given in the params (sequential_tau)"
    if baseline_rate is None or planned_n_per_arm is None:
        missing = "baseline_rate" if baseline_rate is None else "planned_n_per_arm"
        raise ParamsError(
            missing,
            "is needed for sequential monitoring: the mixing parameter τ of the always-valid test must be "
            "fixed from the plan, before the data are seen",
            expected="baseline_rate (the control rate expected when the test was planned, e.g. 0.30) and "
                     "planned_n_per_arm (e.g. 5000), or sequential_tau",
            fix="Add them to the params file, or set sequential: false.",
        )
    if not (isinstance(baseline_rate, int | float) and 0 < baseline_rate < 1):
        raise ParamsError("baseline_rate", f"got {baseline_rate!r}", expected="a rate in (0, 1), e.g. 0.30")
    if isinstance(planned_n_per_arm, bool) or not (isinstance(planned_n_per_arm, int | np.integer) and planned_n_per_arm >= 2):
        raise ParamsError("planned_n_per_arm", f"got {planned_n_per_arm!r}", expected="a whole number of units >= 2, e.g. 5000")
    t = msprt_tau(float(baseline_rate), float(planned_n_per_arm), alpha=alpha / n_compared)
    return t, (f"τ = {t:.4g}, chosen before the test from the plan: baseline rate {100 * baseline_rate:.1f}%, "
               f"{int(planned_n_per_arm):,} units per arm")


def _sequential(
    design: ExperimentDesign,
    spec: MetricSpec,
    *,
    alpha: float,
    tau: float | None = None,
    baseline_rate: float | None = None,
    planned_n_per_arm: int | None = None,
) -> pd.DataFrame:
    """Always-valid (mSPRT) read-out of each arm vs control, one look per week (``stats.sequential``).

    A unit's outcome is known when its window closes, so the look of week ``w`` (Monday to
    Sunday) holds the units whose window closed by the end of that Sunday (or by ``as_of`` for
    the last, partial week); ``data_to`` is that last day. Looks start once every arm has 50 such
    units. τ comes from the plan (:func:`planned_msprt_tau`), never from the data, and each of the
    ``m`` arms is compared with control at ``alpha / m`` (Bonferroni): ``reject`` means the
    always-valid p-value is at most ``alpha / m``; ``p_value_adjusted`` = min(1, m · p).
    """
    from salesops_lib.stats.sequential import msprt_binary

    if spec.kind != "binary":
        raise ParamsError("sequential", f"the primary metric {spec.name!r} is {spec.kind}",
                          expected="a binary primary metric, or sequential: false")
    m = len(design.arms) - 1
    tau_v, tau_note = planned_msprt_tau(alpha=alpha, n_compared=m, tau=tau, baseline_rate=baseline_rate,
                                     planned_n_per_arm=planned_n_per_arm)
    a_arm = alpha / m
    t = metric_unit_table(design, spec)
    t = t.filter(t.mature)
    known = t.assigned_at + ibis.interval(days=spec.window_days or 0)
    t = t.mutate(week=known.truncate("W"))
    wk = t.group_by(["variant", "week"]).aggregate(n=t.count(), x=t.y.sum().cast("int64")).execute()
    wk["variant"] = wk["variant"].astype(str)
    n = wk.pivot_table(index="week", columns="variant", values="n", aggfunc="sum").reindex(columns=design.arms).fillna(0).sort_index().cumsum()
    x = wk.pivot_table(index="week", columns="variant", values="x", aggfunc="sum").reindex(columns=design.arms).fillna(0).sort_index().cumsum()
    ok = (n >= 50).all(axis=1)
    n, x = n[ok], x[ok]
    rows = []
    c = design.control
    if n.empty:
        raise ParamsError("sequential", "no week has 50 units with a known outcome in every arm", expected="sequential: false")
    weeks = pd.DatetimeIndex(n.index)
    data_to = (weeks + pd.Timedelta(days=6)).normalize()
    data_to = data_to.where(data_to <= design.as_of.normalize(), design.as_of.normalize())
    for a in design.arms:
        if a == c:
            continue
        r = msprt_binary(x[a].to_numpy(int), n[a].to_numpy(int), x[c].to_numpy(int), n[c].to_numpy(int),
                         tau=tau_v, alpha=a_arm)
        tab = r.to_frame().assign(variant=a, week=weeks.to_numpy(), data_to=data_to.to_numpy(), tau=r.tau)
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
                df = df.rename_axis("variant").reset_index() if df.index.name or not isinstance(df.index, pd.RangeIndex) else df
        for alt, canon in (("units", "n"), ("trials", "n"), ("successes", "conversions"), ("x", "conversions")):
            if alt in df.columns and canon not in df.columns:
                df = df.rename(columns={alt: canon})
        missing = [c for c in ("variant", "n", "conversions") if c not in df.columns]
        if missing:
            raise ParamsError(param, f"has no column(s) {missing} (columns: {list(df.columns)})",
                              expected="columns variant, n, conversions")
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
                    raise ParamsError(f"{param}.{k}", f"got {v!r}", expected="(conversions, n) or {n: ..., conversions: ...}") from None
            rows.append({"variant": str(k), "n": n_, "conversions": x_})
        df = pd.DataFrame(rows)
    else:
        raise ParamsError(param, f"got {type(counts).__name__}", expected="a DataFrame (variant, n, conversions) or a dict arm -> (conversions, n)")
    df["variant"] = df["variant"].astype(str)
    for c in ("n", "conversions"):
        vals = pd.to_numeric(df[c], errors="coerce")
        bad = df.loc[vals.isna() | (vals < 0) | (vals != np.floor(vals)), "variant"].tolist()
        if bad:
            raise ParamsError(f"{param}.{c}", f"is not a count >= 0 for arm(s) {bad}", expected="whole numbers >= 0")
        df[c] = vals.astype(int)
    zero = df.loc[df["n"] == 0, "variant"].tolist()
    if zero:
        raise ParamsError(param, f"arm(s) {zero} have zero units", expected="at least one unit per arm")
    over = df.loc[df["conversions"] > df["n"], "variant"].tolist()
    if over:
        raise ParamsError(f"{param}.conversions", f"exceeds n for arm(s) {over}", expected="conversions <= n")
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
        The same object as :func:`evaluate_experiment` (multi-assignment and balance unknown: 0 / None).

    Examples
    --------
    >>> res = compare_binary_counts({"control": (300, 1000), "new": (360, 1000)}, control="control")
    >>> res.verdict.decision
    'ship'
    """
    from salesops_lib.stats.experiments import sample_ratio_test

    _check_common(alpha, adjust, power)
    df = _parse_counts(counts)
    arms = df["variant"].tolist()
    if control not in arms:
        raise ParamsError("control", f"arm {control!r} is not in the counts", expected=f"one of {arms}")
    if len(arms) < 2:
        raise ParamsError("counts", "has a single arm", expected="a control and at least one other arm")
    order = [control] + [a for a in arms if a != control]
    df = df.set_index("variant").loc[order].reset_index()
    split = check_planned_split(planned_split, order)
    missing = [a for a in split if a not in order]
    if missing:
        raise ParamsError("planned_split", f"arm(s) {missing} have zero units (not in the counts)", expected=f"arms {order}")
    spec = MetricSpec(name=metric, kind="binary", stage="converted", primary=True, higher_is_better=higher_is_better)
    ma, eff = _binary_effects(df, spec, control=control, alpha=alpha, adjust=adjust, seed=seed)
    effects = [_finish_effects(eff, spec, control=control, role="primary", alpha=alpha)]
    gspecs = []
    metric_arms = {metric: ma}
    for gname, g in (guardrails or {}).items():
        if not isinstance(g, Mapping) or "counts" not in g or "margin" not in g:
            raise ParamsError(f"guardrails.{gname}", f"got {g!r}", expected="{counts: ..., margin: 0.02, higher_is_better: true|false}")
        gs = coerce_metrics([{"name": gname, "kind": "binary", "stage": "converted", "margin": g["margin"],
                              "higher_is_better": g.get("higher_is_better", True)}], param="guardrails", guardrail=True)[0]
        gdf = _parse_counts(g["counts"], param=f"guardrails.{gname}.counts").set_index("variant").loc[order].reset_index()
        gma, geff = _binary_effects(gdf, gs, control=control, alpha=alpha, adjust=adjust, seed=seed)
        _, gni = _binary_effects(gdf, gs, control=control, alpha=2 * alpha, adjust="bonferroni", seed=seed)
        geff = _finish_effects(geff, gs, control=control, role="guardrail", alpha=alpha)
        geff = _add_noninferiority(geff, gni, gs, alpha=alpha, n_compared=len(order) - 1)
        effects.append(geff)
        gspecs.append(gs)
        metric_arms[gname] = gma
    eff_all = pd.concat(effects, ignore_index=True)
    srm = sample_ratio_test({a: int(n) for a, n in zip(df["variant"], df["n"], strict=True)}, {a: split[a] for a in order})
    tot = df["n"].sum()
    qsplit = pd.DataFrame({"variant": order, "n": df["n"].to_numpy(), "planned_share": [split[a] for a in order],
                           "actual_share": (df["n"] / tot).to_numpy(), "expected": list(srm.expected)})
    quality = DataQuality(split=qsplit, srm=srm, n_units=int(tot))
    verdict, decisions = _verdict(eff_all, spec, gspecs, control=control, alpha=alpha, srm_failed=quality.srm_failed)
    eff_all["decision"] = [decisions.get(v) if m == metric else None for m, v in zip(eff_all["metric"], eff_all["variant"], strict=True)]
    arms_tbl = ma.merge(qsplit[["variant", "planned_share", "actual_share"]].assign(n_assigned=qsplit["n"]), on="variant")
    detectable = _detectable(ma, eff_all[eff_all["metric"] == metric], spec, control=control, alpha=alpha, power=power)
    return ExperimentResult(
        campaign_id="(counts)", control=control, arms_order=order, metrics=[spec], guardrails=gspecs, arms=arms_tbl,
        effects=eff_all, metric_arms=metric_arms, quality=quality, verdict=verdict, detectable=detectable,
        alpha=alpha, adjust=adjust, power=power,
    )
