"""The pipeline forecast on Spark gives the same results as on DuckDB (2,000-lead demo
warehouse): the deal states and snapshot cells are cached DataFrames there, temp tables on DuckDB.

Skipped, with the reason, without pyspark or a JDK; marked ``spark``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from salesops_lib.analyses.forecast import pipeline_forecast
from tests._spark import MARKS, assert_same_results, demo_frames, local_session

pytestmark = MARKS


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return demo_frames(tmp_path_factory.mktemp("forecast_spark"))


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator[Any]:
    session = local_session("salesops-forecast-spark", tmp_path_factory.mktemp("wh"))
    yield session
    session.stop()


def test_results_equal_duckdb(spark, frames):
    for name, df in frames.items():
        spark.createDataFrame(df).createOrReplaceTempView(name)
    # a backtest of 3 windows: each re-reads the shared snapshot cells as seen at its origin
    kw = {"as_of": "2026-06-30", "backtest_periods": 3, "n_sims": 2000, "seed": 11}
    on_spark = pipeline_forecast(spark, **kw).to_results()
    on_duck = pipeline_forecast(frames, **kw).to_results()
    assert on_duck["backtest"], "the backtest ran"
    assert_same_results(on_spark, on_duck)
