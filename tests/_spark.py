"""What the Spark comparison tests share: their marks, a small demo warehouse as frames, a local
session, and equality of ``to_results()`` trees.

Each test module makes its own module-scoped fixtures from these (one Spark start-up per module).
"""

from __future__ import annotations

import importlib.util
import math
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from salesops_lib.data.demo import generate_demo

MARKS = [
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (pip install -e '.[spark]' to run the Spark tests)",
    ),
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no `java` on PATH: Spark needs a JDK (17 or newer) to start",
    ),
    # pyspark 4.0 with pandas 3: deprecation noise from pyspark's own pandas conversion
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:createDataFrame attempted Arrow optimization"),
]


def demo_frames(folder: Path, *, leads: int = 2000, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Every canonical table of a small demo warehouse built in ``folder``, as DataFrames."""
    out = folder / "demo.duckdb"
    generate_demo(out, seed=seed, leads=leads)
    con = duckdb.connect(str(out), read_only=True)
    try:
        names = [
            r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()
        ]
        return {n: con.sql(f"SELECT * FROM {n}").df() for n in sorted(names)}
    finally:
        con.close()


def local_session(app: str, warehouse: Path) -> Any:
    """A local SparkSession (``local[2]``, UTC, 4 shuffle partitions, no UI, Arrow on, its
    warehouse folder in ``warehouse`` rather than ./spark-warehouse in the repository)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def assert_same_results(spark: Any, duck: Any, path: str = "results", *, tol: float = 1e-9) -> None:
    """Recursive equality of two ``to_results()`` trees: floats within ``tol`` (absolute and
    relative), NaN where the other is NaN, everything else exactly."""
    if isinstance(duck, dict):
        assert isinstance(spark, dict) and set(spark) == set(duck), path
        for k in duck:
            assert_same_results(spark[k], duck[k], f"{path}.{k}", tol=tol)
    elif isinstance(duck, list | tuple):
        assert isinstance(spark, list | tuple) and len(spark) == len(duck), path
        for i, (s, d) in enumerate(zip(spark, duck, strict=True)):
            assert_same_results(s, d, f"{path}[{i}]", tol=tol)
    elif isinstance(duck, float) and isinstance(spark, float):
        if math.isnan(duck):
            assert math.isnan(spark), path
        else:
            assert math.isclose(spark, duck, rel_tol=tol, abs_tol=tol), f"{path}: {spark} != {duck}"
    else:
        assert spark == duck, f"{path}: {spark!r} != {duck!r}"
