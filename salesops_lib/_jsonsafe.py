"""Plain JSON from analysis results: the one cleaner every result and the runner use."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["json_safe"]


def json_safe(value: Any) -> Any:
    """Convert a value to plain JSON types.

    numpy/pandas scalars become Python numbers, NaN/±inf/NaT/``pd.NA`` become ``None``,
    timestamps, dates and timedeltas become ISO 8601 strings (naive UTC as given), arrays and
    Series become lists, DataFrames become a list of row records, dataclasses and pydantic
    models become dicts, mapping keys become strings. Anything else becomes ``str(value)``.

    Parameters
    ----------
    value
        Any value.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float``, ``str``, ``list`` or ``dict``.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if type(value).__name__ in {"NaTType", "NAType"}:  # pd.NaT is also a datetime
        return None
    if isinstance(value, int) and not isinstance(value, enum.Enum):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {
            str(json_safe(k)) if not isinstance(k, str) else k: json_safe(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [json_safe(v) for v in items]
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, decimal.Decimal):
        return json_safe(float(value))
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value))
    if hasattr(value, "model_dump"):
        return json_safe(value.model_dump(mode="json"))
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds()
    if isinstance(value, pd.DataFrame):
        return [json_safe(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series | pd.Index):
        return [json_safe(v) for v in value.tolist()]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else json_safe(pd.Timestamp(value))
    if isinstance(value, np.generic):
        return json_safe(value.item())
    return str(value)
