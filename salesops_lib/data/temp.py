"""Intermediate tables kept in the engine: computed once, read by several queries, dropped.

An analysis that asks several questions of the same derived table (an experiment's per-unit
outcomes, a funnel's per-lead reach times) would otherwise recompute it, joins and group-bys
over the whole warehouse, for every query. :func:`materialised` computes it once in the engine
(never in pandas), so memory stays in the engine, which can spill to disk.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator

import ibis

__all__ = ["materialised", "temp_table"]


def temp_table(t: ibis.Table) -> tuple[ibis.Table, Callable[[], None]]:
    """``t`` computed once in the engine, and a function that drops it.

    DuckDB and PostgreSQL: a temporary table (``CREATE TEMP TABLE``; allowed on a read-only
    DuckDB file; gone with the connection at the latest); other backends (Spark):
    ``Table.cache()`` (a persisted DataFrame). Ibis' own ``cache().release()`` is not used on
    SQL backends: with the installed sqlglot its ``DROP TABLE`` comes out without the name.
    """
    con = t._find_backend()
    if con.name not in ("duckdb", "postgres"):
        cached = t.cache()
        return cached, cached.release
    name = f"_salesops_tmp_{uuid.uuid4().hex}"
    m = con.create_table(name, t, temp=True)

    def drop() -> None:
        cur = con.raw_sql(f'DROP TABLE IF EXISTS "{name}"')
        if con.name == "postgres":
            cur.close()

    return m, drop


@contextlib.contextmanager
def materialised(t: ibis.Table) -> Iterator[ibis.Table]:
    """``t`` computed once in the engine and read many times, dropped on exit
    (:func:`temp_table`)."""
    m, drop = temp_table(t)
    try:
        yield m
    finally:
        drop()
