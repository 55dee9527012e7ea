"""Parameters of the funnel analysis report (``notebooks/funnel_analysis.ipynb``).

Example ``params/funnel_analysis.yaml``::

    notebook: funnel_analysis
    title: "Lead funnel by source"
    funnel: lead
    stages: [created, MQL, SQL, opportunity, won]
    window_days: 120
    breakdowns: [source]
    filters: {region: EMEA}      # optional: only EMEA leads (a value or a list of values)

Everything that can be checked without data is checked here, before a kernel starts (stage list,
window, period order, cohort options, the shape of ``filters``). Stages, breakdown and filter
columns, filter values, excluded campaigns and an empty period are checked against the data by
:meth:`FunnelParams.check_data` (the runner calls it, also before a kernel starts), with the
checks and :class:`~salesops_lib.errors.ParamsError` messages of
:func:`salesops_lib.analyses.funnel.funnel_analysis`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from salesops_lib.analyses._base import AnalysisParams
from salesops_lib.analyses.funnel._analysis import check_funnel_inputs

__all__ = ["FunnelParams"]


class FunnelParams(AnalysisParams):
    """Parameters of the funnel analysis.

    Attributes
    ----------
    funnel
        ``lead`` (leads and ``lead_history``) or ``opportunity`` (opportunities and
        ``opportunity_history``).
    stages
        Ordered stages (default: ``created, MQL, SQL, opportunity, won`` for a lead funnel,
        ``Prospecting, Qualification, Proposal, Negotiation, won`` for an opportunity funnel).
        Lead funnel built-ins: ``created``, ``opportunity`` (the lead converted),
        ``won``; other names are ``lead_history.status`` values (``MQL``, ``SQL``, ...).
        Opportunity funnel: ``opportunity_history.stage`` values plus ``created`` and ``won``.
        Reaching a stage means reaching it or any later one.
    window_days
        A step converts when the next stage is reached within this many days (> 0; default 90,
        a quarter: long enough for most B2B steps; set it to the longest time a step may take).
    breakdowns
        Columns to break conversion down by (default: none; ``source``, ``segment``, ``region``,
        ``territory``,
        ``owner_id``, ``product``, or a ``reps`` column such as ``team``).
    filters
        Population filters: ``{column: [values]}`` keeps only entities whose column value is one
        of the values (``region: EMEA`` or ``region: [EMEA, APAC]``; a single value is read as a
        one-element list). Columns are resolved like ``breakdowns``; ``"(missing)"`` selects
        entities without a value. Every figure of the report is about the filtered population.
        Default: no filter.
    period_start, period_end
        The cohort: entities created in ``[period_start, period_end]``. Both empty: the last full
        quarter whose conversion window has elapsed by ``as_of``.
    compare_to
        ``previous_period`` (same length, just before) or ``none``.
    cohort_grain, cohort_periods, cohort_horizon_days
        Cohort matrix by creation ``month`` or ``week`` over the last ``cohort_periods``;
        a cell counts stages reached within ``cohort_horizon_days`` (default ``window_days``).
    min_segment_size
        Segments with fewer entered at a step are flagged, not ranked.
    within_days
        Days for the "converted within N days" figures.
    exclude_campaign_members
        Campaign ids (``campaign_members.campaign_id``) whose members are left out of every
        count, e.g. ``[C_AB_MQL_SLA]``. Default: nobody is left out; the report still flags any
        experiment or campaign that holds a large share of a compared cohort. Leaving out the
        members of an experiment assigned after funnel entry biases the earlier steps (the
        report says so).
    alpha
        Two-sided significance level; intervals are ``1 − alpha`` (default 95%).
    unit_label
        What one entity is called in the report's words, singular (``"visitor"``, ``"account"``):
        a web or product funnel loaded as ``leads`` reads "2,400 visitors", not "leads".
        Default: ``lead`` or ``opportunity`` after ``funnel``.
    """

    title: str = "Lead funnel: where leads are lost, how fast, and for which segments"
    funnel: Literal["lead", "opportunity"] = "lead"
    stages: tuple[str, ...] | None = Field(None, min_length=2)
    window_days: int = Field(90, gt=0)
    breakdowns: tuple[str, ...] = ()
    filters: dict[str, list[str]] | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = Field(None, validate_default=True)
    compare_to: Literal["previous_period", "none"] = "previous_period"
    cohort_grain: Literal["month", "week"] = "month"
    cohort_periods: int = Field(12, ge=1, le=104)
    cohort_horizon_days: int | None = Field(None, gt=0)
    min_segment_size: int = Field(30, ge=1)
    within_days: tuple[int, ...] = Field((7, 30, 90), min_length=1)
    exclude_campaign_members: tuple[str, ...] = ()
    alpha: float = Field(0.05, gt=0, lt=0.5)
    unit_label: str | None = Field(None, min_length=1)

    @field_validator("exclude_campaign_members", mode="before")
    @classmethod
    def _exclude_before(cls, value: Any) -> Any:
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else value

    @field_validator("exclude_campaign_members")
    @classmethod
    def _exclude_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in value):
            raise ValueError("campaign ids must not be empty")
        return tuple(dict.fromkeys(value))

    @field_validator("stages")
    @classmethod
    def _stages_unique(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        if any(not s.strip() for s in value):
            raise ValueError("stage names must not be empty")
        dupes = sorted({s for s in value if value.count(s) > 1})
        if dupes:
            raise ValueError(f"each stage may appear once; repeated: {', '.join(dupes)}")
        return value

    @field_validator("breakdowns")
    @classmethod
    def _breakdowns_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not s.strip() for s in value):
            raise ValueError("column names must not be empty")
        return tuple(dict.fromkeys(value))

    @field_validator("filters", mode="before")
    @classmethod
    def _filters_before(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            return value

        def text(
            v: Any,
        ) -> Any:  # numbers (YAML `tier: 1`) are read as text; the data is compared as text
            return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

        out = {}
        for k, v in value.items():
            if isinstance(v, str | int | float) and not isinstance(v, bool):
                v = [v]  # a single value is a one-element list
            out[k] = [text(x) for x in v] if isinstance(v, list | tuple) else v
        return out

    @field_validator("filters")
    @classmethod
    def _filters_values(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        if value is None:
            return None
        for col, vals in value.items():
            if not col.strip():
                raise ValueError("column names must not be empty")
            if not vals:
                raise ValueError(
                    f"{col}: give at least one value (an empty list would keep nothing)"
                )
            if any(not v.strip() for v in vals):
                raise ValueError(f"{col}: values must not be empty")
        return {col: list(dict.fromkeys(vals)) for col, vals in value.items()}

    @field_validator("within_days")
    @classmethod
    def _within_positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(v <= 0 for v in value):
            raise ValueError("days must be greater than 0")
        return value

    @field_validator("period_end", mode="after")
    @classmethod
    def _period_order(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("period_start")
        if "period_start" not in info.data:  # period_start itself was invalid
            return value
        if (start is None) != (value is None):
            raise ValueError(
                "set both period_start and period_end, or neither (default: the last full quarter)"
            )
        if start is not None and value is not None and value < start:
            raise ValueError(f"period_end {value} is before period_start {start}")
        return value

    def tables_read(self) -> tuple[str, ...]:
        """The entity table and its history; ``opportunities`` for a lead funnel's deal
        milestones; ``reps`` when breakdowns or filters may name its columns;
        ``campaign_members`` (the report flags campaigns that overlap the period)."""
        lead = self.funnel == "lead"
        stages = {s.lower() for s in self.stages or ()}
        tables = ["leads", "lead_history"] if lead else ["opportunities", "opportunity_history"]
        if lead and (not stages or stages & {"opportunity", "won"}):
            tables.append("opportunities")
        if self.breakdowns or self.filters:
            tables.append("reps")
        return (*tables, "campaign_members")

    def check_data(self) -> None:
        """Check the parameters that need the data, before a kernel starts (for the runner).

        Opens ``source`` and runs the checks of :func:`funnel_analysis` (via
        :func:`check_funnel_inputs`): every stage occurs in the data, breakdown and filter
        columns exist, filter values occur, excluded campaigns have members, and the period has
        entities. About a second on the demo warehouse.

        Raises
        ------
        ParamsError
            Naming the key (``stages``, ``breakdowns``, ``filters``, ``exclude_campaign_members``,
            ``period_start``).
        """
        period = None if self.period_start is None else (self.period_start, self.period_end)
        check_funnel_inputs(
            self.source,
            stages=self.stages,
            funnel=self.funnel,
            window_days=self.window_days,
            breakdowns=self.breakdowns,
            period=period,
            as_of=self.as_of,
            filters=self.filters,
            exclude_campaign_members=self.exclude_campaign_members,
        )
