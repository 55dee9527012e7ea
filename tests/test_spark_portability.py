"""The same analyses on Spark: every metric run on a local SparkSession equals the DuckDB run.

The canonical tables of a small demo warehouse (2,000 leads, seed 7) are loaded once into a
local Spark session (``local[2]``, UTC session time zone) as temp views and opened with
``open_source(ibis.pyspark.connect(session))``; the same pandas frames are opened in DuckDB with
``open_source(frames)``. Counts must be identical, rates and other floats equal to 1e-12, and
validation must reject the same bad data with the same message.

Skipped (with the reason) when pyspark or ``java`` is missing: install the extra with
``pip install -e '.[spark]'`` (a JDK 17+ must be on PATH). Marked ``spark``: deselect with
``-m 'not spark'``. One Spark start-up per module (about 5–10 s).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from salesops_lib.analyses.benchmark import benchmark_reps
from salesops_lib.analyses.experiment import evaluate_experiment
from salesops_lib.analyses.funnel import funnel_analysis
from salesops_lib.data.demo import generate_demo
from salesops_lib.data.sources import Source, open_source
from salesops_lib.errors import DataValidationError
from tests._spark import MARKS, demo_frames, local_session
from tests._spark import assert_same_results as _same_results

pytestmark = MARKS

STAGES = ["created", "MQL", "SQL", "opportunity", "won"]
PERIOD = ("2026-01-01", "2026-03-31")
AS_OF = "2026-09-30 23:59:59"
TOL = 1e-12


# ---------------------------------------------------------------------------- comparison


def _norm(df: pd.DataFrame) -> pd.DataFrame:
    """Reset the index and bring datetime columns to one unit (Spark returns ns, DuckDB us)."""
    out = df.reset_index(drop=True).copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].astype("datetime64[ns]")
    return out


def assert_same_frame(spark: pd.DataFrame, duck: pd.DataFrame, *, what: str) -> None:
    """Same columns, rows in the same order, same dtype kinds; exact for everything that is not
    a float, floats equal within ``TOL`` (absolute and relative), NaN where the other is NaN."""
    a, b = _norm(spark), _norm(duck)
    assert list(a.columns) == list(b.columns), what
    assert a.shape == b.shape, what
    for c in a.columns:
        x, y = a[c], b[c]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            assert pd.api.types.is_float_dtype(x) and pd.api.types.is_float_dtype(y), (what, c)
            np.testing.assert_allclose(
                x.to_numpy(float),
                y.to_numpy(float),
                rtol=TOL,
                atol=TOL,
                equal_nan=True,
                err_msg=f"{what}: column {c}",
            )
        else:
            assert x.dtype.kind == y.dtype.kind, (what, c, x.dtype, y.dtype)
            pd.testing.assert_series_equal(
                x, y, check_dtype=False, check_exact=True, obj=f"{what}.{c}"
            )


def assert_same_results(spark: Any, duck: Any, path: str = "results") -> None:
    """Recursive equality of ``to_results()`` dicts (floats within ``TOL``)."""
    _same_results(spark, duck, path, tol=TOL)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every canonical table of a 2,000-lead demo warehouse, as pandas DataFrames."""
    return demo_frames(tmp_path_factory.mktemp("spark_demo"))


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator[Any]:
    """One local SparkSession for the module (UTC, 4 shuffle partitions, no UI, Arrow on)."""
    session = local_session("salesops-spark-portability", tmp_path_factory.mktemp("wh"))
    yield session
    session.stop()


def _load(session: Any, tables: dict[str, pd.DataFrame]) -> None:
    for name, df in tables.items():
        session.createDataFrame(df).createOrReplaceTempView(name)


@pytest.fixture(scope="module")
def spark_con(spark, frames) -> Any:
    import ibis

    _load(spark, frames)
    return ibis.pyspark.connect(spark)


@pytest.fixture(scope="module")
def sp(spark_con) -> Source:
    return open_source(spark_con)


@pytest.fixture(scope="module")
def dk(frames) -> Source:
    return open_source(frames)


@pytest.fixture
def bad_session(spark) -> Iterator[Any]:
    """A second session on the same Spark context: its own temp views, so the shared tables
    of ``spark`` stay intact (used for bad data and for other ways of loading)."""
    other = spark.newSession()
    other.conf.set("spark.sql.session.timeZone", "UTC")
    yield other
    for name in other.catalog.listTables():
        if name.isTemporary:
            other.catalog.dropTempView(name.name)


# ---------------------------------------------------------------------------- source layer


def test_spark_source_lists_and_validates_every_table(sp, dk, frames):
    assert sp.label == "ibis pyspark connection"
    assert sp.tables == dk.tables == [t for t in sp.tables if t in frames]
    assert len(sp.tables) == len(frames)
    for name in dk.tables:
        # the validated tables have the canonical types on both engines
        assert sp.table(name).schema() == dk.table(name).schema(), name


@pytest.mark.parametrize(
    "name",
    ["leads", "lead_history", "opportunities", "reps", "quotas", "campaigns", "campaign_members"],
)
def test_validated_tables_hold_the_same_rows(sp, dk, frames, name):
    key = list(frames[name].columns[:3])
    a = sp.table(name).execute().sort_values(key, kind="stable")
    b = dk.table(name).execute().sort_values(key, kind="stable")
    assert len(a) == len(frames[name])
    assert_same_frame(a, b, what=name)


def test_as_of_describe_and_fingerprint_agree(sp, dk, frames):
    assert sp.as_of == dk.as_of == frames["activities"]["occurred_at"].max()
    assert_same_frame(sp.describe(), dk.describe(), what="describe")
    assert sp.fingerprint() == dk.fingerprint()


def test_parquet_files_read_by_spark_give_the_same_tables(bad_session, frames, dk, tmp_path):
    """The usual Spark route: files read with spark.read.parquet (timestamps as timestamp_ntz)."""
    import ibis

    names = ["leads", "quotas", "reps"]
    for name in names:
        frames[name].to_parquet(tmp_path / f"{name}.parquet")
        bad_session.read.parquet(str(tmp_path / f"{name}.parquet")).createOrReplaceTempView(name)
    assert bad_session.table("leads").schema["created_at"].dataType.typeName() == "timestamp_ntz"
    src = open_source(ibis.pyspark.connect(bad_session))
    assert src.tables == [n for n in dk.tables if n in names]
    for name in names:
        assert src.table(name).schema() == dk.table(name).schema(), name
        key = list(frames[name].columns[:3])
        a = src.table(name).execute().sort_values(key, kind="stable")
        b = dk.table(name).execute().sort_values(key, kind="stable")
        assert_same_frame(a, b, what=f"{name} (parquet)")
    assert src.as_of == frames["leads"]["created_at"].max()


def test_open_source_takes_a_spark_session(spark, sp):
    src = open_source(spark, as_of=AS_OF)
    assert src.label == "ibis pyspark connection"
    assert src.tables == sp.tables
    assert src.as_of == pd.Timestamp(AS_OF)
    assert src.table("reps").count().execute() == sp.table("reps").count().execute()


def _dup(leads: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([leads, leads.iloc[[3, 10, 10]]], ignore_index=True)


def _before_created(leads: pd.DataFrame) -> pd.DataFrame:
    bad = leads.index % 97 == 0
    conv = leads["converted_at"].where(~bad, leads["created_at"] - pd.Timedelta(days=1))
    return leads.assign(converted_at=conv)


def _unreadable_time(leads: pd.DataFrame) -> pd.DataFrame:
    text = leads["created_at"].astype(str)
    return leads.assign(created_at=text.where(leads.index % 500 != 1, "not a date"))


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (
            _dup,
            "column `lead_id`: ids must be unique, but some appear more than once (5 rows fail); "
            "first offending: 'L0000004', 'L0000011'",
        ),
        (
            _before_created,
            "column `converted_at`: converted_at is before created_at (21 rows "
            "fail); first offending: 'L0000001', 'L0000098', 'L0000195'",
        ),
        (_unreadable_time, "column `created_at`: values must be a timestamp"),
    ],
    ids=["duplicate-id", "converted-before-created", "unreadable-timestamp"],
)
def test_validation_rejects_the_same_rows_with_the_same_message(
    bad_session, frames, breaker, expected
):
    import ibis

    bad = breaker(frames["leads"])
    _load(bad_session, {"leads": bad})
    errors = []
    for source in (ibis.pyspark.connect(bad_session), {"leads": bad}):
        with pytest.raises(DataValidationError) as info:
            open_source(source).table("leads")
        errors.append(str(info.value))
    assert errors[0] == errors[1]
    assert expected in errors[0]


# ---------------------------------------------------------------------------- metrics


@pytest.fixture(scope="module")
def funnels(sp, dk) -> tuple[Any, Any]:
    kw = {
        "stages": STAGES,
        "breakdowns": ["source"],
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "window_days": 90,
        "as_of": AS_OF,
    }
    return funnel_analysis(sp, **kw), funnel_analysis(dk, **kw)


def test_funnel_steps_time_cohorts_and_comparison_equal(funnels, frames):
    s, d = funnels
    assert_same_frame(s.steps.table, d.steps.table, what="steps")
    assert_same_frame(s.time_to_convert.table, d.time_to_convert.table, what="time_to_convert")
    assert_same_frame(s.cohorts.table, d.cohorts.table, what="cohorts")
    assert_same_frame(s.comparison.table, d.comparison.table, what="comparison")
    assert_same_frame(s.campaigns, d.campaigns, what="campaigns")
    # anchored on a hand count: leads created in Q1 2026 enter the first step
    created = frames["leads"]["created_at"]
    n_q1 = int(((created >= "2026-01-01") & (created < "2026-04-01")).sum())
    assert s.steps.table["reached"].iloc[0] == n_q1


def test_funnel_segments_equal_as_sets(funnels):
    s, d = funnels
    key = ["step", "segment"]
    a = s.segments.table.sort_values(key, kind="stable")
    b = d.segments.table.sort_values(key, kind="stable")
    assert_same_frame(a, b, what="segments")
    assert_same_frame(s.segments.tests, d.segments.tests, what="segment tests")


def test_funnel_segments_in_the_same_order_and_results_equal(funnels):
    s, d = funnels
    assert_same_frame(s.segments.table, d.segments.table, what="segments (order)")
    assert_same_results(s.to_results(), d.to_results())


@pytest.fixture(scope="module")
def experiments(sp, dk) -> tuple[Any, Any]:
    kw = {
        "campaign_id": "C_AB_MQL_SLA",
        "control": "control",
        "metrics": [
            {
                "name": "SQL within 30 days",
                "kind": "binary",
                "stage": "SQL",
                "window_days": 30,
                "primary": True,
            }
        ],
    }
    return evaluate_experiment(sp, **kw), evaluate_experiment(dk, **kw)


def test_experiment_arms_effects_and_verdict_equal(experiments, frames):
    s, d = experiments
    assert_same_frame(s.arms, d.arms, what="arms")
    assert_same_frame(s.effects, d.effects, what="effects")
    assert s.metric_arms.keys() == d.metric_arms.keys()
    for k in d.metric_arms:
        assert_same_frame(s.metric_arms[k], d.metric_arms[k], what=f"metric_arms[{k}]")
    assert_same_frame(s.quality.split, d.quality.split, what="split")
    assert s.quality.n_units == d.quality.n_units
    assert s.verdict == d.verdict
    assert s.summary() == d.summary()
    assert_same_results(s.to_results(), d.to_results())
    # anchored on a hand count: leads assigned to exactly one arm, per arm
    m = frames["campaign_members"]
    m = m[m["campaign_id"] == "C_AB_MQL_SLA"].drop_duplicates(["lead_id", "variant"])
    single = m[m.groupby("lead_id")["variant"].transform("size") == 1]
    by_arm = single.groupby("variant").size()
    assert s.arms.set_index("variant")["n_assigned"].to_dict() == by_arm.to_dict()


@pytest.fixture(scope="module")
def benchmarks(sp, dk) -> tuple[Any, Any]:
    kw = {"period_start": "2025-10-01", "period_end": "2026-09-30", "quota_basis": "adjusted"}
    return benchmark_reps(sp, **kw), benchmark_reps(dk, **kw)


def test_benchmark_reps_and_groups_equal(benchmarks, frames):
    s, d = benchmarks
    for part in (
        "reps",
        "teams",
        "regions",
        "territories",
        "benchmarks",
        "attainment",
        "balance",
        "lead_assignment",
        "recognition",
        "coaching",
        "watch",
        "funnel",
    ):
        assert_same_frame(getattr(s, part), getattr(d, part), what=part)
    assert s.summary() == d.summary()
    assert s.warnings() == d.warnings()
    assert_same_results(s.to_results(), d.to_results())
    # every rep of the roster has a row
    assert set(frames["reps"]["rep_id"]) <= set(s.reps["rep_id"])


# ---------------------------------------------------------------------------- literal rows


def test_literal_rows_on_spark_equal_duckdb(spark_con, dk):
    """salesops_lib.data.literal on Spark (its SQL arrays: ``ARRAY``, ``EXPLODE``,
    ``ELEMENT_AT``): the same rows, nulls and types as on DuckDB; no rows give no rows."""
    from salesops_lib.data.literal import literal_rows
    from tests.data.test_literal import ROWS, SCHEMA, frame

    on_spark = literal_rows(ROWS, SCHEMA, like=spark_con.table("leads"))
    on_duck = literal_rows(ROWS, SCHEMA, like=dk.table("leads"))
    assert on_spark.schema() == on_duck.schema()
    a, b = frame(on_spark), frame(on_duck)
    assert len(a) == len(ROWS)
    pd.testing.assert_frame_equal(a, b)
    assert literal_rows([], SCHEMA, like=spark_con.table("leads")).count().execute() == 0


# ---------------------------------------------------------------------------- a report on Spark


def _close(a: Any, b: Any, path: str = "results") -> None:
    """Equal JSON trees: exact except floats (1e-9: the engines sum in different orders)."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), path
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys differ"
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.slow
def test_a_report_runs_end_to_end_on_spark_local(tmp_path):
    """``source: spark:local[2]@<folder of parquet>`` in a params file: the experiment report
    (binary, time-to-event, count and capped value metrics, guardrail, sequential read-out) runs
    through the runner in a kernel on Spark, and its JSON results equal the DuckDB run's."""
    from salesops_lib.report.params import read_params_file
    from salesops_lib.report.runner import run_report

    repo = Path(__file__).resolve().parents[1]
    duck = tmp_path / "demo.duckdb"
    generate_demo(duck, seed=7, leads=3000)
    pq = tmp_path / "parquet"
    con = duckdb.connect(str(duck), read_only=True)
    con.execute(f"EXPORT DATABASE '{pq}' (FORMAT parquet)")
    con.close()
    params = read_params_file(repo / "params" / "ab_campaign_evaluation.yaml")
    docs = {}
    for engine, source in (("spark", f"spark:local[2]@{pq}"), ("duck", str(duck))):
        f = tmp_path / f"{engine}.yaml"
        f.write_text(json.dumps({**params, "source": source, "as_of": "2026-09-30"}))
        res = run_report("ab_campaign_evaluation", f, out_dir=tmp_path / engine)
        assert res.ok, res
        docs[engine] = json.loads((tmp_path / engine / f"{engine}.json").read_text())
    assert docs["spark"]["status"] == "ok"
    assert docs["spark"]["results"]["effects"], "the experiment has effects"
    _close(docs["spark"]["results"], docs["duck"]["results"])
