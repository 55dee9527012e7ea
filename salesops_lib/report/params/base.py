"""The base model every report's parameters derive from.

A params file ``params/NAME.yaml`` holds ``notebook: <stem>`` plus the fields of that notebook's
params model. Models are pydantic v2 with ``extra="forbid"`` so a misspelt key is an error, not a
silently ignored value. Subclasses add their own fields (``FunnelParams``, ``ExperimentParams``,
``BenchmarkParams``) and are registered in :data:`salesops_lib.report.params.NOTEBOOK_PARAMS`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["ReportParams", "to_naive_utc"]


def to_naive_utc(value: Any) -> Any:
    """Turn a date, datetime or ISO string into a naive UTC ``datetime``.

    Parameters
    ----------
    value
        ``None``; a ``datetime`` (tz-aware values are converted to UTC); a ``date`` (read as the
        *end* of that day, 23:59:59 UTC, so "as of 30 Sep" includes 30 Sep); or an ISO 8601
        string of either form (``"2026-09-30"``, ``"2026-09-30T18:00"``, ``"2026-09-30T18:00Z"``,
        ``"2026-09-30 18:00+02:00"``).

    Returns
    -------
    datetime or the input unchanged
        Anything else is returned unchanged so that pydantic reports the type error.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                value = dt.date.fromisoformat(text)
            else:
                value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59, 59))
    return value


class ReportParams(BaseModel):
    """Parameters common to every report.

    Attributes
    ----------
    title
        The report's title line, e.g. ``"Lead funnel, EMEA, Q3 2026"``.
    source
        Where the data lives: a ``.duckdb`` file, a folder of ``<table>.parquet``/``.csv`` files,
        or ``"env:VAR"`` (an Ibis URL in environment variable ``VAR``). A relative path is read
        from the folder the report is run from.
    as_of
        Cut-off time of the analysis (naive UTC). A date means the end of that day
        (``2026-09-30`` → ``2026-09-30 23:59:59``). ``None``: the latest timestamp in the data.
    """

    model_config = ConfigDict(extra="forbid")

    title: str
    source: str = "data/demo.duckdb"
    as_of: dt.datetime | None = None

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_before(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("a bare number is not a date")
        return to_naive_utc(value)

    @field_validator("as_of", mode="after")
    @classmethod
    def _as_of_after(cls, value: dt.datetime | None) -> dt.datetime | None:
        return to_naive_utc(value)
