"""Small tables of literal rows inside an engine query (snapshot times, period indexes).

:func:`literal_rows` builds them from one array literal of row indexes, unnested, and one array
literal per column read at that index: plain SQL arrays, which DuckDB, PostgreSQL and Spark all
compile and run, no temporary table created and nothing registered with the connection (a
read-only DuckDB file is fine). It replaced a union of one-row selects, whose compile time grew
with the rows (0.10-0.25 s for a forecast's ~100 snapshots; docs/benchmarks.md). An array of
structs, faster to compile than the union too, is not used: Ibis writes PostgreSQL a
``STRUCT(...)`` it does not know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

__all__ = ["literal_rows"]


def _plain(v: Any) -> Any:
    """``v`` as a Python value Ibis takes in an array literal (pandas times made plain)."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def literal_rows(
    rows: Sequence[Sequence[Any]], schema: Mapping[str, str], *, like: ir.Table
) -> ir.Table:
    """A table of the literal ``rows`` with the columns and types of ``schema``, built on the
    backend of ``like`` (its rows are not read, only one of them is selected as an anchor).

    Parameters
    ----------
    rows
        The rows, each a sequence of values in the order of ``schema``; ``None`` is a null.
        No rows give an empty table of the same columns.
    schema
        Column name -> Ibis type (``"int64"``, ``"timestamp"``, ``"date"``, ...).
    like
        A table of the connection the rows are for (a non-empty one: the rows are selected
        from one of its rows).

    Returns
    -------
    ibis.Table
        One row per element of ``rows`` (in no particular order, like any table).
    """
    names = list(schema)
    for r in rows:
        if len(r) != len(names):
            raise ValueError(f"a row has {len(r)} values, the schema {len(names)} columns")
    empty = not rows
    cells = [[None] * len(names)] if empty else [[_plain(v) for v in r] for r in rows]
    n = len(cells)
    one = like.select(_i=ibis.literal(list(range(n)), "array<int64>")).limit(1)
    idx = one.select(_i=one._i.unnest())
    out = idx.select(
        **{
            name: ibis.literal([r[c] for r in cells], f"array<{typ}>")[idx._i]
            for c, (name, typ) in enumerate(schema.items())
        }
    )
    return out.filter(ibis.literal(False)) if empty else out
