"""Parameters of the rep benchmarking report (``notebooks/benchmarking.ipynb``).

Example ``params/benchmarking.yaml``::

    notebook: benchmarking
    title: "Rep benchmarking, FY 2026 (Oct 2025 – Sep 2026)"
    source: data/demo.duckdb
    as_of: 2026-09-30
    period_start: 2025-10-01
    period_end: 2026-09-30
    benchmarks_file: params/benchmarks/external.yaml
    quota_basis: adjusted

Everything that can be checked without data is checked when the params are read: the period,
the ramp schedule, the thresholds and the external benchmarks file (every entry needs metric,
value, unit, definition, source and year; optional ``placeholder``/``like_for_like`` must be true
or false, and ``like_for_like: false`` needs ``differences``; a bad entry is an error naming it).
:meth:`BenchmarkParams.check_data` then checks the source, still before a kernel starts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from salesops_lib.analyses._base import AnalysisParams
from salesops_lib.analyses.benchmark._definitions import load_benchmarks
from salesops_lib.data.sources import open_source
from salesops_lib.errors import ParamsError

__all__ = ["BenchmarkParams"]


class BenchmarkParams(AnalysisParams):
    """Parameters of the rep benchmarking report.

    Attributes
    ----------
    period_start, period_end
        The period (dates, inclusive). ``None``: the four quarters ending with the quarter of
        ``as_of``, up to ``as_of``.
    benchmarks_file
        External benchmarks YAML (see ``params/benchmarks/external.yaml``); ``None``: internal
        benchmarks only. A relative path is looked for as ``source:`` is: in the working
        folder and its parents, then (``salesops run``) beside the params file and its parents.
    ramp_schedule
        Share of quota a new hire carries in tenure months 1, 2, 3, … (then 100%).
    quota_basis
        ``full``: quotas are full amounts, the kit prorates them to days employed and ramps them;
        ``adjusted``: quotas are stored already prorated and ramped (as in the demo warehouse).
    min_closed
        Reps with fewer closed deals are marked as small samples.
    certainty
        Per-rep posterior probability for calling a rep *probably* above/below the company win
        rate (watch list). *Clearly* above/below (recognition/coaching lists, coloured reps)
        needs the Bonferroni level ``1 − (1 − certainty) / reps compared`` (99.8% for 24 reps).
    attainment_thresholds
        Attainment levels for the distribution (fractions, e.g. 0.8 = 80%).
    overload_ratio
        Leads per rep relative to the median territory that counts as overloaded.
    alpha
        1 − confidence level of the intervals.
    seed
        Seed of the rank-interval simulation.
    level
        Which table ``to_frame()`` returns: ``rep``, ``team``, ``region`` or ``territory``.
    compare_previous
        Also compute the previous period of the same length, for the cards' changes.
    currency
        Currency of the amounts when the data does not say (no ``currency`` column); the
        data's own currency wins.
    """

    #: Tables read when present (deals and reps; quotas, activities, leads and accounts when
    # present); validated before a kernel starts.
    TABLES_READ: ClassVar[tuple[str, ...]] = (
        "opportunities",
        "reps",
        "quotas",
        "activities",
        "leads",
        "accounts",
    )

    #: The external benchmarks file, found by the runner before the kernel starts.
    FILE_PARAMS: ClassVar[tuple[str, ...]] = ("benchmarks_file",)

    title: str = "Rep benchmarking: who wins more, who needs support, and is the load fair?"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    level: Literal["rep", "team", "region", "territory"] = "rep"
    benchmarks_file: str | None = None
    ramp_schedule: tuple[float, ...] = (0.25, 0.5, 0.75)
    quota_basis: Literal["full", "adjusted"] = "full"
    min_closed: int = Field(30, ge=1, le=100_000)
    certainty: float = Field(0.95, gt=0.5, lt=1.0)
    attainment_thresholds: tuple[float, ...] = Field((0.8, 1.0, 1.2), min_length=1)
    overload_ratio: float = Field(1.5, gt=1.0, le=10.0)
    alpha: float = Field(0.05, gt=0.0, lt=0.5)
    seed: int = 0
    compare_previous: bool = True
    currency: str = "USD"

    @field_validator("period_start", "period_end", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("a bare number is not a date")
        if isinstance(value, str) and len(value.strip()) > 10:
            raise ValueError("a date such as 2026-06-30 (no time)")
        return value

    @field_validator("ramp_schedule")
    @classmethod
    def _check_ramp(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        bad = [v for v in value if not 0.0 <= v <= 1.0]
        if bad:
            raise ValueError(f"fractions between 0 and 1 (got {bad}); e.g. [0.25, 0.5, 0.75]")
        return value

    @field_validator("attainment_thresholds")
    @classmethod
    def _check_thresholds(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        bad = [v for v in value if not 0.0 < v <= 10.0]
        if bad:
            raise ValueError(f"fractions of quota such as 0.8, 1.0, 1.2 (got {bad})")
        return tuple(sorted(value))

    @field_validator("benchmarks_file")
    @classmethod
    def _check_benchmarks(cls, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        try:
            load_benchmarks(value)
        except ParamsError as err:
            raise ValueError(
                f"{err.param}: {err.problem}"
                + (f"; expected {err.expected}" if err.expected else "")
            ) from None
        return value

    @model_validator(mode="after")
    def _check_period(self) -> BenchmarkParams:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError(
                f"period_end {self.period_end} is before period_start {self.period_start}"
            )
        return self

    def check_data(self) -> None:
        """Check the parameters that need files or data, before a kernel starts (for the runner).

        ``benchmarks_file`` must exist and be valid, resolved as the notebook resolves it (a
        relative path from the working folder, else from the nearest parent folder holding it);
        ``source`` must open and hold the tables ``opportunities`` and ``reps`` (the leaderboard
        needs both). Other tables (quotas, activities, leads, accounts, territories) are optional:
        the report says which parts they would add.

        Raises
        ------
        ParamsError
            ``benchmarks_file``: not found, not YAML, or a bad entry.
        SourceError
            ``source`` cannot be opened or lacks ``opportunities`` / ``reps``.
        """
        if self.benchmarks_file:
            load_benchmarks(self.benchmarks_file)
        src = open_source(self.source, as_of=self.as_of)
        try:
            for t in ("opportunities", "reps"):
                src.require(t, needed_for="the benchmarking report (the leaderboard needs both)")
        finally:
            src.close()
