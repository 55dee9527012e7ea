"""Checking pandas DataFrames before they become tables of an in-memory source.

:func:`frame_to_table` turns one DataFrame into an Ibis memtable, or raises the kit's own error
naming the table and the column: column names that are not text, empty or repeated; a frame
without columns; dtypes no engine stores (complex numbers, pandas ``Period`` and ``Interval``);
object columns that mix kinds of values the way Excel exports do (text, numbers and dates in one
column); Python integers beyond 64 bits. ``Decimal`` columns (what database drivers return for
money) become ``float64``, their ``None`` null. Anything else Arrow refuses is caught column by
column, so the message still names the column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from salesops_lib.errors import DataValidationError, SourceError

__all__ = ["frame_to_table"]

_INT64_MAX = 2**63 - 1


def _kind(value: Any) -> str | None:
    """The kind of one value of an object column (``None`` for a missing value)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and value != value:
        return None
    if isinstance(value, bool | np.bool_):
        return "boolean"
    if isinstance(value, decimal.Decimal):
        return "decimal"
    if isinstance(value, numbers.Integral):
        return "integer"
    if isinstance(value, numbers.Real):
        return "number"
    if isinstance(value, numbers.Complex):
        return "complex number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime | np.datetime64):
        return "timestamp"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, bytes):
        return "bytes"
    return type(value).__name__


def _problem(table: str, column: str, rule: str, fix: str, examples: list[Any] = ()) -> Exception:
    return DataValidationError(table=table, column=column, rule=rule, examples=examples, fix=fix)


def _check_names(table: str, df: pd.DataFrame) -> None:
    if df.shape[1] == 0:
        raise SourceError(
            f"The DataFrame for table `{table}` has no columns ({len(df):,} rows).",
            fix=f"pass the `{table}` table with its columns (see DATA_MODEL.md), or leave the "
            "table out of the dict",
        )
    for col in df.columns:
        if not isinstance(col, str):
            raise _problem(
                table,
                repr(col),
                f"column names must be text, but one is a {type(col).__name__}",
                "name every column as in DATA_MODEL.md (e.g. df.columns = [...]; flatten a "
                "MultiIndex header first)",
            )
        if not col.strip():
            raise _problem(
                table,
                repr(col),
                "a column has an empty name (often an unnamed index or a blank header cell "
                "from Excel)",
                "drop or name that column, e.g. df = df.loc[:, df.columns.str.strip() != '']",
            )
    counts = pd.Series(df.columns).value_counts()
    if (counts > 1).any():
        dup = str(counts[counts > 1].index[0])
        raise _problem(
            table,
            dup,
            f"the column name appears {int(counts[dup])} times",
            "keep one column of each name, e.g. df = df.loc[:, ~df.columns.duplicated()]",
        )


def _clean_object(table: str, col: str, s: pd.Series) -> pd.Series:
    """One object column: checked for mixed kinds; ``Decimal`` to float; else unchanged."""
    kinds = s.map(_kind)
    present = kinds.dropna()
    found = list(dict.fromkeys(present))
    if not found:
        return s
    if set(found) <= {"integer", "number"}:
        ints = s[kinds == "integer"]
        big = ints[ints.map(lambda v: abs(int(v)) > _INT64_MAX)]
        if len(big):
            raise _problem(
                table,
                col,
                "holds integers beyond 64 bits, which no engine stores as numbers",
                f"store `{col}` as text if it is an identifier (df[{col!r}] = "
                f"df[{col!r}].astype(str)), else as a float",
                [str(v) for v in big.head(5)],
            )
        return s
    if set(found) <= {"decimal", "integer"}:
        return pd.Series(
            [float(v) if isinstance(k, str) else None for v, k in zip(s, kinds, strict=True)],
            index=s.index,
            dtype="float64",
        )
    if len(found) > 1:
        raise _problem(
            table,
            col,
            "mixes kinds of values in one column (" + ", ".join(found) + "), as an Excel "
            "column typed by hand does",
            f"convert `{col}` to one type before passing it, e.g. df[{col!r}] = "
            f"df[{col!r}].astype('string') for ids and text, pandas.to_numeric for numbers, "
            "pandas.to_datetime for times",
            [f"{s[i]!r} ({k})" for i, k in present.drop_duplicates().items()],
        )
    if found[0] in ("text", "boolean", "timestamp", "date"):
        return s
    raise _problem(
        table,
        col,
        f"holds values of kind {found[0]}, which cannot be stored in a table",
        f"convert `{col}` to text, numbers or timestamps before passing it",
        [repr(v) for v in s[kinds.notna()].head(3)],
    )


def _clean(table: str, df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in df.columns:
        s = df[col]
        dtype = s.dtype
        if isinstance(dtype, pd.PeriodDtype):
            raise _problem(
                table,
                col,
                f"is a pandas Period column ({dtype}), which no engine stores",
                f"convert it to the period's start time: df[{col!r}] = "
                f"df[{col!r}].dt.to_timestamp()",
            )
        if isinstance(dtype, pd.IntervalDtype | pd.SparseDtype) or (
            isinstance(dtype, np.dtype) and dtype.kind in "cmV"
        ):
            raise _problem(
                table,
                col,
                f"has dtype {dtype}, which cannot be stored in a table",
                f"convert `{col}` to text, numbers or timestamps before passing it",
            )
        if isinstance(dtype, pd.CategoricalDtype):
            s = s.astype(s.cat.categories.dtype if len(s.cat.categories) else "object")
            dtype = s.dtype
        if pd.api.types.is_object_dtype(dtype):
            s = _clean_object(table, col, s)
        out[col] = s
    return pd.DataFrame(out, index=df.index)


def frame_to_table(table: str, df: pd.DataFrame, con: Any, prepare: Any = None) -> ir.Table:
    """Store DataFrame ``df`` as table ``table`` of DuckDB connection ``con``.

    Parameters
    ----------
    table
        The table's name (named in every error).
    df
        The DataFrame as given.
    con
        An Ibis DuckDB backend.
    prepare
        Optional callable applied to the cleaned frame first (e.g. cutting nanoseconds).

    Returns
    -------
    ibis.Table

    Raises
    ------
    SourceError
        The frame has no columns, or the engine refuses it and no single column is to blame.
    DataValidationError
        Naming the column: its name is not text, empty or repeated; its dtype cannot be stored;
        it mixes kinds of values; it holds integers beyond 64 bits; the engine refuses it.
    """
    _check_names(table, df)
    df = _clean(table, df)
    if prepare is not None:
        try:
            df = prepare(df)
        except Exception as exc:
            raise _blame(table, df, prepare, exc) from None
    try:
        # ibis 12 + sqlglot 30: create_table(name, DataFrame) and overwrite=True render an
        # empty DROP statement and fail; a memtable without overwrite works
        return con.create_table(table, _memtable(df))
    except Exception as exc:
        raise _blame(table, df, lambda one: _memtable(one).execute(), exc) from None


def _blame(table: str, df: pd.DataFrame, step: Any, exc: Exception) -> Exception:
    """The error for ``step`` failing on ``df``: naming the first column it fails on alone,
    else the table."""
    for col in df.columns:
        try:
            step(df[[col]])
        except Exception as col_exc:
            first = str(col_exc).splitlines()[0][:160] if str(col_exc) else ""
            return _problem(
                table,
                col,
                f"cannot be stored in a table ({type(col_exc).__name__}: {first})",
                f"convert `{col}` to text, numbers or timestamps (between the years 1678 and "
                "2261 for pandas timestamps) before passing it",
            )
    first = str(exc).splitlines()[0][:160] if str(exc) else ""
    return SourceError(
        f"Cannot store the DataFrame for table `{table}`: {type(exc).__name__}: {first}",
        fix="pass plain columns of text, numbers, booleans and timestamps",
    )


def _memtable(df: pd.DataFrame) -> ir.Table:
    mem = ibis.memtable(df)
    if null_cols := [c for c, t in mem.schema().items() if t.is_null()]:
        # all-None columns have no type; DuckDB cannot store them: make them text
        mem = mem.mutate(**{c: mem[c].cast("string") for c in null_cols})
    return mem
