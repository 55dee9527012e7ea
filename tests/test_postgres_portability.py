"""The same analyses on PostgreSQL: every analysis's results equal the DuckDB run.

A small demo warehouse (3,000 leads, seed 7) is copied into a fresh schema of the database named
by ``SALESOPS_TEST_PG_URL`` (``.ci/run`` starts Debian's PostgreSQL on loopback and sets it) and
opened as an ``env:`` source, exactly as a user would. Each analysis in the registry runs with
its example params on both engines; ``to_results()`` must agree: counts exactly, floats to 1e-9.
One report also runs end to end through the runner (a kernel) on PostgreSQL.

Skipped, with the reason, without ``SALESOPS_TEST_PG_URL`` or without the ``postgres`` extra
(``pip install -e '.[postgres]'``). Marked ``postgres``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from salesops_lib.analyses import REGISTRY
from salesops_lib.data.demo import generate_demo
from salesops_lib.data.sources import open_source
from salesops_lib.report.params import read_params_file

URL = os.environ.get("SALESOPS_TEST_PG_URL")
REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not URL, reason="SALESOPS_TEST_PG_URL is not set (.ci/run starts PostgreSQL)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("psycopg") is None,
        reason="the postgres extra is not installed (pip install -e '.[postgres]')",
    ),
]

EXAMPLE = {
    "funnel": "funnel_analysis.yaml",
    "experiment": "ab_campaign_evaluation.yaml",
    "benchmark": "benchmarking.yaml",
    "kpis": "sales_kpis.yaml",
    "forecast": "pipeline_forecast.yaml",
}
_PG_TYPES = {
    "VARCHAR": "text",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
}


def _copy_to_postgres(duck_path: Path, url: str, schema: str) -> None:
    """Copy every table of a DuckDB file into ``schema`` (psycopg COPY: ibis 12's DDL on
    PostgreSQL is broken with sqlglot 30, see docs/ARCHITECTURE.md)."""
    import psycopg

    con = duckdb.connect(str(duck_path), read_only=True)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    ]
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute(f'CREATE SCHEMA "{schema}"')
        for t in tables:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_name = '{t}' ORDER BY ordinal_position"
            ).fetchall()
            ddl = ", ".join(f'"{c}" {_PG_TYPES[d]}' for c, d in cols)
            pg.execute(f'CREATE TABLE "{schema}"."{t}" ({ddl})')
            with pg.cursor().copy(f'COPY "{schema}"."{t}" FROM STDIN') as cp:
                for row in con.execute(f'SELECT * FROM "{t}"').fetchall():
                    cp.write_row(row)
    con.close()


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(DuckDB file, env var name holding the PostgreSQL URL of the same tables)."""
    import psycopg

    duck = tmp_path_factory.mktemp("pg") / "demo.duckdb"
    generate_demo(duck, seed=7, leads=3_000)
    schema = f"salesops_{uuid.uuid4().hex[:8]}"
    _copy_to_postgres(duck, URL, schema)  # type: ignore[arg-type]
    sep = "&" if "?" in URL else "?"  # type: ignore[operator]
    os.environ["SALESOPS_PG_PORTABILITY_URL"] = f"{URL}{sep}options=-csearch_path%3D{schema}"
    yield duck, "SALESOPS_PG_PORTABILITY_URL"
    with psycopg.connect(URL, autocommit=True) as pg:  # type: ignore[arg-type]
        pg.execute(f'DROP SCHEMA "{schema}" CASCADE')
    os.environ.pop("SALESOPS_PG_PORTABILITY_URL", None)


def _kwargs(name: str, source: Any) -> dict[str, Any]:
    data = read_params_file(REPO / "params" / EXAMPLE[name])
    data.pop("notebook", None)
    data["source"] = "data/demo.duckdb"
    if "benchmarks_file" in data:
        data["benchmarks_file"] = str(REPO / data["benchmarks_file"])
    kwargs = REGISTRY[name].params.model_validate(data).to_kwargs()
    kwargs["source"] = source
    return kwargs


def assert_same(a: Any, b: Any, path: str = "results") -> None:
    """Equal JSON trees: exact except floats (relative and absolute 1e-9)."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), path
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys differ"
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_results_equal_duckdb(name: str, warehouses: tuple[Path, str]):
    duck, var = warehouses
    on_pg = REGISTRY[name].run(**_kwargs(name, open_source(f"env:{var}", as_of="2026-09-30")))
    on_duck = REGISTRY[name].run(**_kwargs(name, open_source(duck, as_of="2026-09-30")))
    assert_same(on_pg.to_results(), on_duck.to_results())


def test_validation_is_the_same(warehouses: tuple[Path, str]):
    duck, var = warehouses
    pg, dk = open_source(f"env:{var}"), open_source(duck)
    for table in dk.tables:
        assert pg.table(table).count().execute() == dk.table(table).count().execute(), table
    assert pg.fingerprint() == dk.fingerprint()


def test_literal_rows_equal_duckdb(warehouses: tuple[Path, str]):
    """salesops_lib.data.literal on PostgreSQL (``ARRAY[...]``, ``UNNEST``, indexing): the same
    rows, nulls and types as on DuckDB; no rows give no rows."""
    import pandas as pd

    from salesops_lib.data.literal import literal_rows
    from tests.data.test_literal import ROWS, SCHEMA, frame

    duck, var = warehouses
    pg_leads, dk_leads = open_source(f"env:{var}").table("leads"), open_source(duck).table("leads")
    on_pg = literal_rows(ROWS, SCHEMA, like=pg_leads)
    on_duck = literal_rows(ROWS, SCHEMA, like=dk_leads)
    assert on_pg.schema() == on_duck.schema()
    a, b = frame(on_pg), frame(on_duck)
    assert len(a) == len(ROWS)
    pd.testing.assert_frame_equal(a, b)
    assert literal_rows([], SCHEMA, like=pg_leads).count().execute() == 0


@pytest.mark.slow
def test_one_report_end_to_end(warehouses: tuple[Path, str], tmp_path: Path):
    from salesops_lib.report.runner import run_report

    duck, var = warehouses
    params = read_params_file(REPO / "params" / "funnel_analysis.yaml")
    for engine, source in (("pg", f"env:{var}"), ("duck", str(duck))):
        p = {**params, "source": source}
        f = tmp_path / f"{engine}.yaml"
        f.write_text(json.dumps(p))
        res = run_report("funnel_analysis", f, out_dir=tmp_path / engine)
        assert res.ok, res
    docs = [json.loads((tmp_path / e / f"{e}.json").read_text()) for e in ("pg", "duck")]
    assert docs[0]["status"] == "ok"
    assert_same(docs[0]["results"], docs[1]["results"])
