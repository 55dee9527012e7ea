"""Small helpers of the demo generator: random delays, Arrow columns, ids, inserts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from salesops_lib.data.demo._tables import _DDL

_DAY = 86_400


def _delay(rng: np.random.Generator, median_days: Any, sigma: float, size: int) -> np.ndarray:
    """Lognormal delays in whole seconds (at least five minutes)."""
    days = np.asarray(median_days, dtype=float) * np.exp(sigma * rng.standard_normal(size))
    return np.maximum((days * _DAY).astype(np.int64), 300)


def _ts(sec: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds → Arrow timestamp[s] (``mask`` True = null)."""
    return pa.array(np.asarray(sec, dtype=np.int64).view("datetime64[s]"), mask=mask)


def _date(sec: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds → Arrow date32 (the UTC calendar day)."""
    days = (np.asarray(sec, dtype=np.int64) // _DAY).astype("datetime64[D]")
    return pa.array(days, mask=mask)


def _cat(codes: np.ndarray, labels: Iterable[str], mask: np.ndarray | None = None) -> pa.Array:
    """Integer codes → Arrow dictionary array (cast to VARCHAR by DuckDB on insert)."""
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(list(labels), type=pa.string()))


def _num(x: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(x), mask=mask)


def _id(fmt: str, col: str) -> str:
    return f"CASE WHEN {col} IS NULL THEN NULL ELSE printf('{fmt}', {col}) END"


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, data: dict[str, pa.Array], ids: dict[str, str]
) -> None:
    """Append one chunk: ``data`` columns as Arrow, ``ids`` maps id columns to printf formats."""
    if not data or len(next(iter(data.values()))) == 0:
        return
    chunk = pa.table(data)
    exprs = []
    for col, _ in _DDL[table]:
        exprs.append(_id(ids[col], col) if col in ids else col)
    con.register("_chunk", chunk)
    try:
        con.execute(f"INSERT INTO {table} SELECT {', '.join(exprs)} FROM _chunk")
    finally:
        con.unregister("_chunk")


def _pick_by_cum(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Categorical draws from cumulative probabilities (rows of ``cum``) and uniforms ``u``."""
    return (u[:, None] > cum).sum(axis=1)


def _median(parts: list[np.ndarray]) -> float | None:
    if not parts:
        return None
    allv = np.concatenate(parts)
    return round(float(np.median(allv)) / _DAY, 1) if allv.size else None
