"""The scorecard on Spark gives the same results as on DuckDB (2,000-lead demo warehouse).

Skipped, with the reason, without pyspark or a JDK; marked ``spark``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from salesops_lib.analyses.kpis import sales_kpis
from tests._spark import MARKS, assert_same_results, demo_frames, local_session

pytestmark = MARKS


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return demo_frames(tmp_path_factory.mktemp("kpi_spark"))


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator[Any]:
    session = local_session("salesops-kpis-spark", tmp_path_factory.mktemp("wh"))
    yield session
    session.stop()


def test_results_equal_duckdb(spark, frames):
    for name, df in frames.items():
        spark.createDataFrame(df).createOrReplaceTempView(name)
    kw = {
        "as_of": "2026-09-30",
        "grain": "quarter",
        "trend_periods": 3,
        "breakdown": "team",
        "gross_margin": 0.8,
        "monthly_churn": 0.01,
    }
    on_spark = sales_kpis(spark, **kw).to_results()
    on_duck = sales_kpis(frames, **kw).to_results()
    assert_same_results(on_spark, on_duck)
