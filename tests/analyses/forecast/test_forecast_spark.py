"""The pipeline forecast on Spark gives the same results as on DuckDB (2,000-lead demo warehouse):
the deal states and snapshot cells are cached DataFrames there, temp tables on DuckDB.

Skipped, with the reason, without pyspark or a JDK; marked ``spark``.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
from collections.abc import Iterator
from typing import Any

import duckdb
import pandas as pd
import pytest

from salesops_lib.analyses.forecast import pipeline_forecast
from salesops_lib.data.demo import generate_demo

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark missing"),
    pytest.mark.skipif(shutil.which("java") is None, reason="no `java`: Spark needs a JDK"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:createDataFrame attempted Arrow optimization"),
]


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("forecast_spark") / "demo.duckdb"
    generate_demo(out, seed=7, leads=2000)
    con = duckdb.connect(str(out), read_only=True)
    try:
        names = [
            r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        return {n: con.sql(f"SELECT * FROM {n}").df() for n in sorted(names)}
    finally:
        con.close()


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("salesops-forecast-spark")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("wh")))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _same(a: Any, b: Any, path: str = "results") -> None:
    if isinstance(b, dict):
        assert isinstance(a, dict) and set(a) == set(b), path
        for k in b:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(b, float) and isinstance(a, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_results_equal_duckdb(spark, frames):
    for name, df in frames.items():
        spark.createDataFrame(df).createOrReplaceTempView(name)
    # a backtest of 3 windows: each re-reads the shared snapshot cells as seen at its origin
    kw = {"as_of": "2026-06-30", "backtest_periods": 3, "n_sims": 2000, "seed": 11}
    on_spark = pipeline_forecast(spark, **kw).to_results()
    on_duck = pipeline_forecast(frames, **kw).to_results()
    assert on_duck["backtest"], "the backtest ran"
    _same(on_spark, on_duck)
