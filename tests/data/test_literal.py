"""Small tables of literal rows inside an engine query (salesops_lib.data.literal) on DuckDB.

The same helper on Spark and PostgreSQL: tests/test_spark_portability.py and
tests/test_postgres_portability.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from salesops_lib.data.literal import literal_rows

SCHEMA = {"i": "int64", "at": "timestamp", "day": "date", "x": "float64", "name": "string"}
ROWS = [
    (0, pd.Timestamp("2026-01-04 10:30:15"), dt.date(2026, 1, 4), 1.5, "a"),
    (1, dt.datetime(2026, 2, 1), dt.date(2024, 2, 29), None, None),
    (2, None, None, -0.25, "c"),
]


@pytest.fixture(scope="module")
def anchor(tmp_path_factory: pytest.TempPathFactory) -> ibis.Table:
    """A table of a read-only DuckDB file (as the kit opens a warehouse), 1,000 rows."""
    path = Path(tmp_path_factory.mktemp("literal")) / "w.duckdb"
    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE base AS SELECT range AS k FROM range(1000)")
    return ibis.duckdb.connect(str(path), read_only=True).table("base")


def frame(t: ibis.Table) -> pd.DataFrame:
    """``t`` read, sorted by ``i``, times in nanoseconds (backends differ in the unit)."""
    df = t.to_pandas().sort_values("i").reset_index(drop=True)
    for c in ("at", "day"):
        if c in df:
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


def test_rows_values_nulls_and_types_come_back(anchor):
    t = literal_rows(ROWS, SCHEMA, like=anchor)
    assert t.schema() == ibis.schema(SCHEMA)
    df = frame(t)
    assert len(df) == len(ROWS)  # one row each, however many rows the anchor has
    assert df.i.tolist() == [0, 1, 2]
    assert df["at"].tolist()[:2] == [
        pd.Timestamp("2026-01-04 10:30:15"),
        pd.Timestamp("2026-02-01"),
    ]
    assert pd.isna(df["at"][2])
    assert [pd.Timestamp(d).date() for d in df.day[:2]] == [
        dt.date(2026, 1, 4),
        dt.date(2024, 2, 29),
    ]
    assert pd.isna(df.day[2])
    assert df.x[0] == 1.5 and pd.isna(df.x[1]) and df.x[2] == -0.25
    assert df.name[0] == "a" and pd.isna(df.name[1]) and df.name[2] == "c"


def test_the_date_column_compares_as_a_date(anchor):
    t = literal_rows(ROWS, SCHEMA, like=anchor)
    n = t.filter(t.day < dt.date(2025, 1, 1)).count().execute()
    assert n == 1


def test_one_row(anchor):
    df = frame(literal_rows(ROWS[:1], SCHEMA, like=anchor))
    assert df.i.tolist() == [0] and df.name.tolist() == ["a"]


def test_no_rows_give_an_empty_table_of_the_same_columns(anchor):
    t = literal_rows([], SCHEMA, like=anchor)
    assert t.schema() == ibis.schema(SCHEMA)
    assert t.count().execute() == 0
    # joined like the callers join it: nothing comes out
    assert anchor.cross_join(t).count().execute() == 0


def test_many_rows_and_a_join(anchor):
    rows = [(i, dt.date(2025, 1, 1) + dt.timedelta(days=7 * i)) for i in range(110)]
    t = literal_rows(rows, {"i": "int64", "day": "date"}, like=anchor)
    j = anchor.join(t, anchor.k == t.i)
    df = j.to_pandas().sort_values("k")
    assert df.k.tolist() == list(range(110))
    assert pd.Timestamp(df.day.iloc[-1]).date() == dt.date(2025, 1, 1) + dt.timedelta(days=7 * 109)


def test_a_row_of_the_wrong_width_is_refused(anchor):
    with pytest.raises(ValueError, match="2 values, the schema 5 columns"):
        literal_rows([(1, None)], SCHEMA, like=anchor)
