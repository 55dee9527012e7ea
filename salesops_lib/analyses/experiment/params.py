"""Parameters of the A/B campaign evaluation report (``notebooks/ab_campaign_evaluation.ipynb``).

Example ``params/ab_campaign_evaluation.yaml``::

    notebook: ab_campaign_evaluation
    title: "MQL follow-up SLA test: which follow-up turns more MQLs into SQLs?"
    campaign_id: C_AB_MQL_SLA
    control: control
    planned_split: {control: 0.3333, fast_followup: 0.3333, sequence_b: 0.3334}
    metrics:
      - {name: SQL within 30 days, kind: binary, stage: SQL, window_days: 30, primary: true}
      - {name: Days to SQL, kind: time_to_event, stage: SQL, window_days: 60}
    guardrails:
      - {name: Disqualified within 30 days, kind: binary, stage: Disqualified, window_days: 30,
         higher_is_better: false, margin: 0.05}
    sequential: true
    baseline_rate: 0.30        # the plan that fixes the always-valid test's tau in advance
    planned_n_per_arm: 5000

Everything that can be checked without data is checked here, before a kernel starts (metric
kinds and the fields each needs, one primary metric, guardrail margins, a planned split summing
to 1). Stage and activity names, the control arm and empty arms are checked against the data by
:func:`salesops_lib.analyses.experiment.evaluate_experiment`, with the same parameter names.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from salesops_lib.analyses._base import AnalysisParams
from salesops_lib.analyses.experiment._engine import (
    check_planned_split,
    experiment_design,
    validate_metrics_against_data,
)
from salesops_lib.analyses.experiment._spec import coerce_metrics
from salesops_lib.errors import ParamsError

__all__ = ["ExperimentParams"]


class ExperimentParams(AnalysisParams):
    """Parameters of the A/B campaign evaluation.

    Attributes
    ----------
    campaign_id
        The experiment's ``campaigns.campaign_id``; its arms are ``campaign_members.variant``.
    control
        The arm every other arm is compared with.
    planned_split
        Planned share of units per arm (must sum to 1); ``None``: equal shares.
    metrics
        Metric definitions (see :class:`~salesops_lib.analyses.experiment.MetricSpec`): ``name``,
        ``kind`` (binary / count / value / time_to_event), ``stage`` or ``activity_type``,
        ``window_days``, ``primary``, ``winsorize_pct``, ``higher_is_better``.
    guardrails
        Metrics that must not get worse by more than their ``margin`` (non-inferiority).
    cluster_by
        Randomization unit when it is not the lead: a column of ``campaign_members`` or ``leads``
        (``owner_id`` = by rep, ``account_id`` = by account); ``None``: leads were randomized.
    adjust
        Multiple-comparison adjustment when there are several treatment arms: ``holm`` or
        ``fdr_bh`` (Benjamini–Hochberg).
    alpha
        Significance level; intervals are ``1 - alpha``.
    power
        Power used for "the effect this test could have detected".
    sequential
        Also show always-valid (mSPRT) p-values for the primary metric, one look per week. Needs
        the plan that fixes the mixing parameter τ before the data are seen: ``baseline_rate``
        and ``planned_n_per_arm``, or ``sequential_tau``.
    baseline_rate
        The control arm's rate of the primary metric expected when the test was planned (e.g.
        0.30); with ``planned_n_per_arm`` it fixes τ
        (:func:`~salesops_lib.stats.sequential.msprt_tau` at level ``alpha / arms compared``).
    planned_n_per_arm
        Units per arm the test was planned to reach.
    unit_label
        What one randomised unit is called in sentences, singular (``lead``, ``visitor``,
        ``account``, ``player``); plurals are generated.
    sequential_tau
        τ itself (difference scale), when the plan fixed it directly; overrides the two above.
    n_boot
        Bootstrap resamples for value metrics.
    seed
        Seed of the bootstrap resamples (the same seed gives the same intervals).
    currency
        ISO currency code of money (value metrics) when the data does not say; the data's own
        ``opportunities.currency`` wins, and a mix is an error.
    """

    #: Tables read when present (the arms and the outcome tables); validated before a kernel starts.
    TABLES_READ: ClassVar[tuple[str, ...]] = (
        "campaign_members",
        "leads",
        "lead_history",
        "opportunities",
        "activities",
    )

    campaign_id: str
    control: str = "control"
    metrics: tuple[dict[str, Any], ...] = Field(min_length=1)
    guardrails: tuple[dict[str, Any], ...] = ()
    planned_split: dict[str, float] | None = None
    cluster_by: str | None = None
    adjust: Literal["holm", "fdr_bh"] = "holm"
    alpha: float = Field(0.05, gt=0.0, lt=0.5)
    power: float = Field(0.8, gt=0.5, lt=1.0)
    sequential: bool = False
    baseline_rate: float | None = Field(None, gt=0.0, lt=1.0)
    planned_n_per_arm: int | None = Field(None, ge=2)
    sequential_tau: float | None = Field(None, gt=0.0, lt=1.0)
    n_boot: int = Field(2000, ge=200, le=100_000)
    seed: int = 7
    currency: str = "USD"
    unit_label: str = Field("lead", min_length=1)

    @field_validator("metrics")
    @classmethod
    def _check_metrics(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        try:
            coerce_metrics(value, param="metrics")
        except ParamsError as err:
            raise ValueError(
                f"{err.param}: {err.problem}"
                + (f"; expected {err.expected}" if err.expected else "")
            ) from None
        return value

    @field_validator("guardrails")
    @classmethod
    def _check_guardrails(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        try:
            coerce_metrics(value, param="guardrails", guardrail=True)
        except ParamsError as err:
            raise ValueError(
                f"{err.param}: {err.problem}"
                + (f"; expected {err.expected}" if err.expected else "")
            ) from None
        return value

    @field_validator("planned_split")
    @classmethod
    def _check_planned_split(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        try:
            check_planned_split(value, [])
        except ParamsError as err:
            raise ValueError(
                f"{err.problem}" + (f"; expected {err.expected}" if err.expected else "")
            ) from None
        return value

    @field_validator("cluster_by")
    @classmethod
    def _check_cluster_by(cls, value: str | None) -> str | None:
        if value is not None and not value.isidentifier():
            raise ValueError("a column name such as owner_id or account_id, or null")
        return value

    @model_validator(mode="after")
    def _check_sequential_plan(self) -> ExperimentParams:
        if (
            self.sequential
            and self.sequential_tau is None
            and (self.baseline_rate is None or self.planned_n_per_arm is None)
        ):
            missing = "baseline_rate" if self.baseline_rate is None else "planned_n_per_arm"
            raise ParamsError(
                missing,
                "is needed when sequential is true: the always-valid test's mixing parameter τ "
                "must be fixed "
                "from the plan, before the data are seen",
                expected="baseline_rate (expected control rate, e.g. 0.30) and planned_n_per_arm "
                "(e.g. 5000), "
                "or sequential_tau",
                fix="Add the plan to the params file, or set sequential: false.",
            )
        return self

    def check_data(self) -> None:
        """Check the parameters that need the data, before a kernel starts (for the runner).

        Opens ``source`` and checks that the campaign has members, ``control`` and every arm of
        ``planned_split`` exist with units, ``cluster_by`` is a column, and every metric's
        ``stage`` / ``activity_type`` exists. Takes about a second on the demo warehouse.

        Raises
        ------
        ParamsError
            Naming the key (``control``, ``planned_split``, ``metrics.<i>.stage``, ...).
        """
        design = experiment_design(
            self.source,
            campaign_id=self.campaign_id,
            control=self.control,
            planned_split=self.planned_split,
            cluster_by=self.cluster_by,
            as_of=self.as_of,
        )
        validate_metrics_against_data(design.src, coerce_metrics(self.metrics), param="metrics")
        validate_metrics_against_data(
            design.src,
            coerce_metrics(self.guardrails, param="guardrails", guardrail=True),
            param="guardrails",
        )
