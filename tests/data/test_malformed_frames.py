"""Malformed pandas DataFrames given to open_source end in the kit's errors, naming table and
column."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.funnel import funnel_counts
from salesops_lib.data.sources import open_source
from salesops_lib.errors import DataValidationError, SourceError


def _leads(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(n)],
            "created_at": pd.date_range("2025-01-01", periods=n, freq="D"),
        }
    )


def _with(**columns) -> pd.DataFrame:
    df = _leads()
    for name, values in columns.items():
        df[name] = values
    return df


def _duplicate_columns() -> pd.DataFrame:
    df = _leads()
    df.columns = ["lead_id", "lead_id"]
    return df


# (case, frame, error class, column named in the message)
CASES = [
    ("duplicate column names", _duplicate_columns(), DataValidationError, "lead_id"),
    ("empty column name", _with(**{"": [1, 2, 3, 4]}), DataValidationError, "''"),
    ("non-text column name", _leads().assign(**{"x": 1}).rename(columns={"x": 7}), None, "7"),
    ("Excel mixed types", _with(source=["Web", 12, 2.5, None]), DataValidationError, "source"),
    ("mixed-type id", _with(lead_id=["A1", 2, 3.0, None]), DataValidationError, "lead_id"),
    ("complex numbers", _with(segment=[1 + 2j] * 4), DataValidationError, "segment"),
    (
        "Period column",
        _with(segment=pd.period_range("2025-01", periods=4, freq="M")),
        DataValidationError,
        "segment",
    ),
    ("no columns", pd.DataFrame(), SourceError, None),
    ("no columns but rows", pd.DataFrame(index=range(3)), SourceError, None),
    ("integers beyond 64 bits", _with(lead_id=[2**70, 1, 2, 3]), DataValidationError, "lead_id"),
    (
        "float id beyond float precision",
        _with(lead_id=[2.0**60, 1.0, 2.0, 3.0]),
        DataValidationError,
        "lead_id",
    ),
    ("inf id", _with(lead_id=[np.inf, 1.0, 2.0, 3.0]), DataValidationError, "lead_id"),
    ("huge id", _with(lead_id=[1e300, 1.0, 2.0, 3.0]), DataValidationError, "lead_id"),
    (
        "timestamp at the pandas minimum",
        _with(created_at=pd.Series([pd.Timestamp.min, *pd.date_range("2025-01-01", periods=3)])),
        DataValidationError,
        "created_at",
    ),
    (
        "mixed timestamps",
        _with(created_at=["2025-01-01", pd.Timestamp("2025-01-02"), 5, None]),
        DataValidationError,
        "created_at",
    ),
]


@pytest.mark.parametrize(
    ("frame", "error", "column"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_malformed_frame_is_a_kit_error_naming_table_and_column(frame, error, column):
    with pytest.raises((DataValidationError, SourceError)) as info:
        open_source({"leads": frame}).table("leads")
    err = info.value
    if error is not None:
        assert isinstance(err, error)
    text = str(err)
    assert "`leads`" in text and "How to fix:" in text
    if column is not None:
        assert f"column `{column}`" in text
    for marker in ("Traceback", "ArrowTypeError", "ParserException", "IbisInputError"):
        assert marker not in text


def test_decimal_money_with_none_becomes_float():
    df = _with(amount=[decimal.Decimal("10.50"), None, decimal.Decimal(3), None])
    src = open_source({"accounts": df.rename(columns={"lead_id": "account_id"})})
    t = src.table("accounts")
    assert t.schema()["amount"].is_floating()
    assert t["amount"].sum().execute() == pytest.approx(13.5)


def test_inf_id_stops_at_validation_not_in_the_funnel():
    leads = _with(lead_id=[np.inf, 1.0, 2.0, 3.0])
    history = pd.DataFrame(
        {
            "lead_id": [1.0, 2.0],
            "status": ["MQL", "MQL"],
            "changed_at": pd.to_datetime(["2025-01-02", "2025-01-03"]),
        }
    )
    with pytest.raises(DataValidationError) as info:
        funnel_counts(
            {"leads": leads, "lead_history": history},
            stages=["created", "MQL"],
            period=("2025-01-01", "2025-03-31"),
        )
    assert (info.value.table, info.value.column) == ("leads", "lead_id")
    assert "'inf'" in str(info.value)


def test_whole_float_ids_still_read_as_integers():
    src = open_source({"leads": _with(lead_id=[10.0, 11.0, 12.0, np.nan])})
    with pytest.raises(DataValidationError) as info:  # the NaN is a missing required id
        src.table("leads")
    assert "null" in str(info.value)
    src = open_source({"leads": _with(lead_id=[10.0, 11.0, 12.0, 13.0])})
    ids = sorted(src.table("leads")["lead_id"].execute())
    assert ids == ["10", "11", "12", "13"]
