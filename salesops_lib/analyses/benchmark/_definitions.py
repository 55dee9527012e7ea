"""Metric definitions and the external benchmarks file (private to ``metrics.benchmark``).

:data:`METRICS` is the one place where each benchmarking metric is named, defined and given a
formula; the report's definitions appendix and the benchmarks table ("our definition" next to
the external one) both read it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from salesops_lib.errors import ParamsError

__all__ = ["BENCHMARK_KEYS", "METRICS", "MetricDef", "load_benchmarks"]


@dataclass(frozen=True)
class MetricDef:
    """Name, unit, direction ("higher"/"lower" is better), definition and formula of a metric."""

    label: str
    unit: str  # "share", "money", "days", "count", "per_day", "money_per_day"
    better: str
    definition: str
    formula: str


METRICS: dict[str, MetricDef] = {
    "win_rate": MetricDef(
        "Win rate (by count)",
        "share",
        "higher",
        "Share of deals closed in the period (won or lost) that were won. Won/lost come from "
        "is_won/is_closed, not from the stage label; open deals are not counted.",
        "won ÷ (won + lost)",
    ),
    "win_rate_value": MetricDef(
        "Win rate (by value)",
        "share",
        "higher",
        "Share of the amount of deals closed in the period that was won.",
        "Σ amount(won) ÷ Σ amount(won + lost)",
    ),
    "avg_won_amount": MetricDef(
        "Average won deal size",
        "money",
        "higher",
        "Mean amount of deals won in the period (deals without an amount are left out of "
        "the mean).",
        "Σ amount(won) ÷ number of won deals with an amount",
    ),
    "avg_won_acv": MetricDef(
        "Average won deal size (ACV)",
        "money",
        "higher",
        "Mean annual contract value of deals won in the period: amount × 12 ÷ contract term in "
        "months where a term exists, the amount otherwise.",
        "Σ ACV(won) ÷ number of won deals",
    ),
    "cycle_median_days": MetricDef(
        "Sales-cycle length (median)",
        "days",
        "lower",
        "Median days from a deal's creation to its close (won or lost), for deals created in the "
        "period. Deals still open at the as-of time count as 'not closed yet' (censored) rather "
        "than being dropped, so slow deals are not hidden (Kaplan–Meier median).",
        "median T, T = close_date − created_at; open deals censored at as_of",
    ),
    "activities_per_day": MetricDef(
        "Activities per active selling day",
        "per_day",
        "higher",
        "Logged activities of all types in the period ÷ the rep's active selling days. An active "
        "selling day is a working day (Monday–Friday) within the period on which the rep was "
        "employed (between hired_at and left_at); public holidays are not removed.",
        "activities ÷ active selling days",
    ),
    "calls_per_day": MetricDef(
        "Calls per active selling day",
        "per_day",
        "higher",
        "Activities of type 'call' ÷ active selling days.",
        "calls ÷ active selling days",
    ),
    "emails_per_day": MetricDef(
        "Emails per active selling day",
        "per_day",
        "higher",
        "Activities of type 'email' ÷ active selling days.",
        "emails ÷ active selling days",
    ),
    "meetings_per_day": MetricDef(
        "Meetings per active selling day",
        "per_day",
        "higher",
        "Activities of type 'meeting' ÷ active selling days.",
        "meetings ÷ active selling days",
    ),
    "opps_created": MetricDef(
        "Opportunities created",
        "count",
        "higher",
        "Deals owned by the rep with created_at in the period.",
        "count(created_at in period)",
    ),
    "pipeline_generated": MetricDef(
        "Pipeline generated",
        "money",
        "higher",
        "Total amount of the deals created in the period.",
        "Σ amount(created in period)",
    ),
    "quota_attainment": MetricDef(
        "Quota attainment",
        "share",
        "higher",
        "Won amount in the period ÷ the rep's adjusted quota for the period. Quota rows are "
        "prorated to the days of the period (up to the as-of date) on which the rep was employed, "
        "and ramped for new hires: in tenure month m (m = 0 is the first month after hired_at) the "
        "rep carries ramp_schedule[m] of the quota, the full quota after the schedule ends. "
        "Attainment is an observed ratio, not an estimate, so it has no interval.",
        "Σ amount(won) ÷ Σ_rows quota × (1/D) Σ_days employed(t) × ramp(t)",
    ),
    "share_at_quota": MetricDef(
        "Reps at or above quota",
        "share",
        "higher",
        "Share of reps with a quota whose attainment is at least 100%.",
        "#(attainment ≥ 100%) ÷ #reps with a quota",
    ),
    "velocity_per_day": MetricDef(
        "Sales velocity",
        "money_per_day",
        "higher",
        "Revenue the open pipeline is expected to produce per day: deals open at the as-of time "
        "× win rate × average won deal size ÷ median sales-cycle length (all from the period).",
        "open opportunities × win rate × average won deal ÷ cycle length (days)",
    ),
    "leads_per_rep": MetricDef(
        "Leads per rep (territory)",
        "count",
        "lower",
        "Leads created in the period in the territory ÷ the territory's full-time-equivalent reps "
        "(active selling days of its reps ÷ working days in the period).",
        "leads ÷ FTE reps",
    ),
}

#: Metrics an external benchmark may refer to.
BENCHMARK_KEYS: tuple[str, ...] = tuple(METRICS)

_REQUIRED = ("metric", "value", "unit", "definition", "source", "year")
_OPTIONAL = ("placeholder", "like_for_like", "differences", "notes")
_COLUMNS = [*_REQUIRED, "placeholder", "like_for_like", "differences"]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _find_file(path: Path) -> Path:
    """A relative path is read from the working folder, else from the nearest parent holding it
    (a report notebook runs in ``notebooks/`` while params paths are written from the project
    root)."""
    if path.is_absolute() or path.is_file():
        return path
    for parent in Path.cwd().parents:
        candidate = parent / path
        if candidate.is_file():
            return candidate
    return path


def load_benchmarks(
    benchmarks: str | Path | Sequence[Mapping[str, Any]] | pd.DataFrame | None,
) -> pd.DataFrame:
    """Read and check external benchmarks.

    Parameters
    ----------
    benchmarks
        A YAML file with a top-level ``benchmarks:`` list (or a bare list), a list of mappings, a
        DataFrame, or ``None`` (no external benchmarks). Every entry needs ``metric`` (one of
        :data:`BENCHMARK_KEYS`), ``value`` (a number; shares as fractions, e.g. ``0.21``),
        ``unit``, ``definition`` (how the publisher defines the metric), ``source`` and ``year``.
        Optional: ``placeholder`` (``true`` for an illustrative figure that is not a real
        benchmark: shown in the benchmarks table only, never in the summary or the cards),
        ``like_for_like`` (``true`` when the publisher's definition and segment match ours,
        ``false`` when they do not; then ``differences`` must say how) and ``notes``.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric, value, unit, definition, source, year, placeholder`` (bool),
        ``like_for_like`` (True / False / None = not stated), ``differences``.

    Raises
    ------
    ParamsError
        Naming the entry (``benchmarks.<i> (<metric>)``) when a field is missing or blank, the
        metric is unknown or the value is not a number; or when the file is missing or not YAML.
    """
    where: str | None = None
    if benchmarks is None:
        return pd.DataFrame(columns=_COLUMNS)
    if isinstance(benchmarks, pd.DataFrame):
        entries: Any = benchmarks.to_dict(orient="records")
    elif isinstance(benchmarks, str | Path):
        path = _find_file(Path(benchmarks))
        where = Path(benchmarks).as_posix()
        if not path.is_file():
            raise ParamsError(
                "benchmarks_file",
                f"file `{where}` not found",
                expected="a YAML file with a `benchmarks:` list",
                fix="Point `benchmarks_file` at params/benchmarks/external.yaml or your own copy; "
                "use an empty value to run without external benchmarks.",
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ParamsError(
                "benchmarks_file", f"`{where}` is not valid YAML ({exc})", source=where
            ) from None
        entries = data.get("benchmarks") if isinstance(data, Mapping) else data
        if entries is None:
            entries = []
    else:
        entries = list(benchmarks)
    if not isinstance(entries, list):
        raise ParamsError(
            "benchmarks", "is not a list of entries", expected="a list of mappings", source=where
        )
    rows = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ParamsError(
                f"benchmarks.{i}",
                f"is {entry!r}",
                expected="a mapping with keys " + ", ".join(_REQUIRED),
                source=where,
            )
        name = entry.get("metric")
        label = f"benchmarks.{i} ({name})" if not _blank(name) else f"benchmarks.{i}"
        missing = [
            k
            for k in _REQUIRED
            if _blank(entry.get(k))
            or (isinstance(entry.get(k), float) and math.isnan(entry.get(k)))
        ]
        if missing:
            raise ParamsError(
                label,
                "has no " + ", ".join(f"`{k}`" for k in missing),
                expected="every benchmark to carry metric, value, unit, definition, source and "
                "year, so that like is compared with like",
                fix="Add the missing field(s) to the entry, or remove the entry.",
                source=where,
            )
        if name not in METRICS:
            known = ", ".join(BENCHMARK_KEYS)
            raise ParamsError(
                f"{label}.metric",
                f"`{name}` is not a benchmarking metric",
                expected=f"one of {known}",
                source=where,
            )
        try:
            year = int(entry["year"])
        except (TypeError, ValueError):
            raise ParamsError(
                f"{label}.year",
                f"got {entry['year']!r}",
                expected="a year such as 2025",
                source=where,
            ) from None
        try:
            value = float(entry["value"])
        except (TypeError, ValueError):
            raise ParamsError(
                f"{label}.value",
                f"got {entry['value']!r}",
                expected="a number (shares as fractions, e.g. 0.21 for 21%)",
                source=where,
            ) from None
        extra = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if extra:
            raise ParamsError(
                label,
                "has unknown key(s) " + ", ".join(f"`{k}`" for k in extra),
                expected="keys "
                + ", ".join(_REQUIRED)
                + " (optional: "
                + ", ".join(_OPTIONAL)
                + ")",
                source=where,
            )
        flags: dict[str, bool | None] = {}
        for key in ("placeholder", "like_for_like"):
            v = entry.get(key)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                flags[key] = None
            elif isinstance(v, bool):
                flags[key] = v
            else:
                raise ParamsError(
                    f"{label}.{key}",
                    f"got {v!r}",
                    expected="true or false (unquoted)",
                    source=where,
                )
        differences = entry.get("differences")
        differences = (
            ""
            if _blank(differences) or (isinstance(differences, float) and math.isnan(differences))
            else str(differences).strip()
        )
        if flags["like_for_like"] is False and not differences:
            raise ParamsError(
                f"{label}.differences",
                "is missing although like_for_like is false",
                expected="a short note on how the publisher's definition or segment differs "
                "from ours (e.g. 'mid-market deals only; ours covers all segments')",
                fix="Add `differences:` to the entry, so that readers see why the figures "
                "cannot be compared directly.",
                source=where,
            )
        rows.append(
            {
                "metric": str(name),
                "value": value,
                "unit": str(entry["unit"]),
                "definition": str(entry["definition"]).strip(),
                "source": str(entry["source"]).strip(),
                "year": year,
                "placeholder": bool(flags["placeholder"]),
                "like_for_like": flags["like_for_like"],
                "differences": differences,
            }
        )
    out = pd.DataFrame(rows, columns=_COLUMNS)
    # True / False / None (not stated) as Python objects, whatever pandas infers
    out["like_for_like"] = pd.Series(
        [r["like_for_like"] for r in rows], index=out.index, dtype=object
    )
    out["placeholder"] = out["placeholder"].astype(bool)
    return out


#: rep_id under which deals, activities and leads of owners missing from ``reps`` are grouped.
UNKNOWN_REP = "UNKNOWN"

_UNKNOWN_NAME = "Unknown rep"

_LEVELS = {"rep": "rep_id", "team": "team", "region": "region", "territory": "territory"}

_ACTIVITY_TYPES = ("call", "email", "meeting")

#: Funnel-plot status of a rep: outside the 99.8% limits is an outlier (about 1 chance in 20 that
#: any of 25 reps on the company rate lands there); between 95% and 99.8% only "possible".
FUNNEL_STATUS = {
    "above_998": "above 99.8% limit",
    "above_95": "possible: above 95% limit",
    "within": "within limits",
    "below_95": "possible: below 95% limit",
    "below_998": "below 99.8% limit",
}

# --------------------------------------------------------------------------------------------
# parts of the analysis that the data may not support
# --------------------------------------------------------------------------------------------

#: Part of the analysis → (what it is called in the report, plural?).
PARTS: dict[str, tuple[str, bool]] = {
    "attainment": ("quota attainment", False),
    "activities": ("activity rates", True),
    "territory_balance": ("territory balance", False),
    "lead_assignment": ("lead assignment", False),
    "teams": ("figures by team", True),
    "regions": ("figures by region", True),
    "territories": ("figures by territory", True),
    "amounts": (
        "amount-based figures (win rate by value, average won deal, pipeline, velocity)",
        True,
    ),
    "win_rate_value": ("the win rate by value", False),
    "pipeline_generated": ("pipeline generated", False),
    "open_pipeline": ("open pipeline", False),
}

#: Columns of the rep and group tables that a part fills (set to NaN when it is not available).
_PART_COLUMNS: dict[str, tuple[str, ...]] = {
    "attainment": ("quota", "quota_adjusted", "quota_attainment", "won_amount_quota"),
    "activities": (
        "activities",
        "calls",
        "emails",
        "meetings",
        "activities_per_day",
        "activities_ci_low",
        "activities_ci_high",
        "calls_per_day",
        "emails_per_day",
        "meetings_per_day",
    ),
    "amounts": (
        "won_amount",
        "closed_amount",
        "avg_won_amount",
        "avg_won_acv",
        "velocity_per_day",
        "win_rate_value",
        "value_ci_low",
        "value_ci_high",
        "pipeline_generated",
        "open_pipeline",
    ),
    "win_rate_value": ("win_rate_value", "value_ci_low", "value_ci_high"),
    "pipeline_generated": ("pipeline_generated",),
    "open_pipeline": ("open_pipeline",),
}

#: Company figures a part fills.
_PART_COMPANY_KEYS: dict[str, tuple[str, ...]] = {
    "attainment": ("quota_attainment", "median_attainment", "share_at_quota"),
    "activities": (
        "activities_per_day",
        "activities_ci_low",
        "activities_ci_high",
        "calls_per_day",
        "emails_per_day",
        "meetings_per_day",
    ),
    "amounts": (
        "avg_won_amount",
        "avg_won_acv",
        "velocity_per_day",
        "win_rate_value",
        "pipeline_generated",
        "won_amount_outside_employment",
    ),
    "win_rate_value": ("win_rate_value",),
    "pipeline_generated": ("pipeline_generated",),
}

#: Metric → the parts it needs (any of them missing: the metric is not available).
_METRIC_PARTS: dict[str, tuple[str, ...]] = {
    "activities_per_day": ("activities",),
    "calls_per_day": ("activities",),
    "emails_per_day": ("activities",),
    "meetings_per_day": ("activities",),
    "quota_attainment": ("attainment",),
    "share_at_quota": ("attainment",),
    "leads_per_rep": ("territory_balance",),
    "win_rate_value": ("win_rate_value", "amounts"),
    "pipeline_generated": ("pipeline_generated", "amounts"),
    "avg_won_amount": ("amounts",),
    "avg_won_acv": ("amounts",),
    "velocity_per_day": ("amounts",),
}

_TABLE_COLUMNS = {
    "quotas": "rep_id, period_start, period_end, amount",
    "activities": "activity_id, owner_id, type, occurred_at",
    "leads": "lead_id, created_at, owner_id, territory",
}

# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------

_REP_RESULT_COLUMNS = [
    "rep_id",
    "name",
    "team",
    "region",
    "territory",
    "active_days",
    "closed",
    "won",
    "win_rate",
    "ci_low",
    "ci_high",
    "shrunk_win_rate",
    "shrunk_low",
    "shrunk_high",
    "rank",
    "rank_low",
    "rank_high",
    "funnel_status",
    "won_amount",
    "win_rate_value",
    "value_ci_low",
    "value_ci_high",
    "avg_won_amount",
    "avg_won_acv",
    "cycle_median_days",
    "cycle_ci_low",
    "cycle_ci_high",
    "activities",
    "activities_per_day",
    "activities_ci_low",
    "activities_ci_high",
    "calls_per_day",
    "emails_per_day",
    "meetings_per_day",
    "opps_created",
    "pipeline_generated",
    "quota",
    "quota_adjusted",
    "quota_attainment",
    "ramping",
    "velocity_per_day",
    "small_sample",
]

#: Rep columns kept out of the JSON ``results["reps"]`` records: interval ends and inputs that
#: only the report's tables show.
_REP_TABLE_ONLY = frozenset(
    {
        "active_days",
        "value_ci_low",
        "value_ci_high",
        "cycle_ci_low",
        "cycle_ci_high",
        "activities",
        "activities_ci_low",
        "activities_ci_high",
        "quota",
        "ramping",
    }
)

#: The rep columns of the JSON ``results["reps"]`` records (in the reps table's order).
_REP_JSON_COLUMNS = [c for c in _REP_RESULT_COLUMNS if c not in _REP_TABLE_ONLY]

_GROUP_RESULT_COLUMNS = [
    "n_reps",
    "fte_reps",
    "closed",
    "won",
    "win_rate",
    "ci_low",
    "ci_high",
    "shrunk_win_rate",
    "won_amount",
    "win_rate_value",
    "value_ci_low",
    "value_ci_high",
    "avg_won_amount",
    "cycle_median_days",
    "cycle_ci_low",
    "cycle_ci_high",
    "activities_per_day",
    "activities_ci_low",
    "activities_ci_high",
    "opps_created",
    "pipeline_generated",
    "quota_adjusted",
    "quota_attainment",
    "velocity_per_day",
]
