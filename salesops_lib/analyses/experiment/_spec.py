"""Metric definitions of an experiment: :class:`MetricSpec` and :func:`coerce_metrics` (from the
params file's dicts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np

from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, current_language, ngettext
from salesops_lib.viz.format import count_noun, fmt_int

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
        w = self.window_days
        if self.kind == "binary":
            if self.stage:
                msg = (
                    _("Share of units that reached {stage} within {days} of assignment.")
                    if w
                    else _("Share of units that reached {stage} by the as-of time.")
                )
            else:
                msg = (
                    _(
                        "Share of units that had at least one {activity} within {days} of "
                        "assignment."
                    )
                    if w
                    else _("Share of units that had at least one {activity} by the as-of time.")
                )
        elif self.kind == "count":
            msg = (
                _("Number of {activity} activities per unit within {days} of assignment.")
                if w
                else _("Number of {activity} activities per unit by the as-of time.")
            )
        elif self.kind == "value":
            if (self.stage or "won") == "won":
                msg = (
                    _(
                        "Amount of opportunities won per unit within {days} of assignment "
                        "(0 when none)."
                    )
                    if w
                    else _("Amount of opportunities won per unit by the as-of time (0 when none).")
                )
            else:
                msg = (
                    _(
                        "Amount of opportunities reaching {stage} per unit within {days} of "
                        "assignment (0 when none)."
                    )
                    if w
                    else _(
                        "Amount of opportunities reaching {stage} per unit by the as-of time "
                        "(0 when none)."
                    )
                )
        else:
            msg = (
                _(
                    "Days from assignment to the first {event} (censored at {days} or at the "
                    "as-of time when it has not happened)."
                )
                if w
                else _(
                    "Days from assignment to the first {event} (censored at the as-of time when "
                    "it has not happened)."
                )
            )
        return msg.format(
            stage=self.stage,
            activity=self.activity_type,
            event=self.event_label,
            days=_days(w) if w else "",
        )


def _days(n: Any) -> str:
    """``"30 days"``, ``"1 day"`` (``"30 giorni"``)."""
    if current_language() == "en":
        return count_noun(n, "day")
    return f"{fmt_int(n)} {ngettext('day', 'days', float(n))}"


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
                _param_name(param, i),
                f"got {type(m).__name__}",
                expected="a mapping with name and kind",
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
            raise ParamsError(
                _param_name(param, i, "kind"),
                f"got {kind!r}",
                expected=f"one of {list(METRIC_KINDS)}",
            )
        if not raw.get("name"):
            raise ParamsError(
                _param_name(param, i, "name"), "is missing", expected="a display name"
            )
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
                raise ParamsError(
                    _param_name(param, i, "window_days"),
                    f"got {w!r}",
                    expected="a whole number of days >= 1",
                )
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
                raise ParamsError(
                    _param_name(param, i, "winsorize_pct"),
                    f"got {wp!r}",
                    expected="a percentile in (50, 100), e.g. 99",
                )
            raw["winsorize_pct"] = float(wp)
        mg = raw.get("margin")
        if guardrail:
            if mg is None or not float(mg) > 0:
                raise ParamsError(
                    _param_name(param, i, "margin"),
                    f"got {mg!r}",
                    expected="a positive non-inferiority margin in the metric's units (e.g. 0.02 = "
                    "2 pp)",
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
