"""Spark sources written as text, so that a params file can point a report at Spark.

Forms (the ``source:`` of a params file, or ``open_source(...)``)::

    spark:local[2]@data/demo_parquet     a local session with 2 cores; the folder's
                                         <table>.parquet files become temp views
    spark:local[*]                       all cores; the tables of the session's current database
    spark:env:SALESOPS_SPARK_URL         the master or Spark Connect URL held in that variable
                                         (spark://host:7077, yarn, k8s://..., sc://host:15002)
    spark:env:SALESOPS_SPARK_URL@s3a://bucket/salesops    ... with its tables read from Parquet

Without ``@folder`` the canonical tables are the tables and views of the session's current
database; ``SALESOPS_SPARK_DATABASE`` names another database. The session runs in UTC
(``spark.sql.session.timeZone``), which the kit's timestamps assume. URLs come from the
environment only, like ``env:`` sources, because they may hold credentials.

pyspark is an optional dependency (``pip install -e '.[spark]'``) and a JDK 17+ must be on
``PATH``; see ``docs/SPARK.md``.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salesops_lib.data.schema import TABLES
from salesops_lib.errors import ParamsError, SourceError

__all__ = ["SPARK_PREFIX", "SparkSpec", "open_spark_session", "parse_spark_source"]

SPARK_PREFIX = "spark:"
_LOCAL = re.compile(r"^local(\[(\d+|\*)\])?$")
#: Environment variable naming the Spark database that holds the canonical tables.
DATABASE_VAR = "SALESOPS_SPARK_DATABASE"
#: Spark's local warehouse folder (local sessions only; the kit writes no table there).
_WAREHOUSE = Path(tempfile.gettempdir()) / "salesops-spark-warehouse"


@dataclass(frozen=True)
class SparkSpec:
    """A parsed ``spark:`` source: the master (or Spark Connect URL), where it came from, and the
    optional folder of Parquet tables."""

    master: str
    from_env: str | None
    folder: str | None

    @property
    def label(self) -> str:
        """Printable description (never the URL of an ``env:`` master: it may hold secrets)."""
        where = f"env:{self.from_env}" if self.from_env else self.master
        return f"spark {where}" + (f" @ {self.folder}" if self.folder else "")

    @property
    def is_local(self) -> bool:
        return bool(_LOCAL.match(self.master))


def parse_spark_source(text: str) -> SparkSpec:
    """Parse ``spark:<master>[@<folder>]`` (see the module docstring).

    Raises
    ------
    ParamsError
        Empty master, a master URL written in the params (not ``local[N]`` and not ``env:VAR``),
        or a malformed ``local[...]``.
    SourceError
        ``env:VAR`` with ``VAR`` unset.
    """
    body = text[len(SPARK_PREFIX) :].strip()
    master, _, folder = body.partition("@")
    master, folder = master.strip(), folder.strip() or None
    example = "e.g. 'spark:local[2]@data/demo_parquet' or 'spark:env:SALESOPS_SPARK_URL'"
    if not master:
        raise ParamsError("source", f"{text!r} names no Spark master", expected=example)
    from_env = None
    if master.startswith("env:"):
        from_env = master[len("env:") :].strip()
        url = os.environ.get(from_env, "").strip() if from_env else ""
        if not url:
            raise SourceError(
                f"Environment variable {from_env or '(none)'} is not set (or empty), so source "
                f"{text!r} has no Spark master.",
                fix=f"export {from_env or 'SALESOPS_SPARK_URL'}='spark://host:7077' (a cluster) "
                "or 'sc://host:15002' (Spark Connect), or use 'spark:local[2]'",
            )
        master = url
    elif not _LOCAL.match(master):
        raise ParamsError(
            "source",
            f"Spark master {master!r} is not local[N] and not env:VAR",
            expected=example,
            fix="put a cluster or Spark Connect URL in an environment variable "
            "(it may hold credentials) and write spark:env:THAT_VARIABLE",
        )
    return SparkSpec(master=master, from_env=from_env, folder=folder)


def _local_cores(master: str) -> int:
    m = _LOCAL.match(master)
    n = m.group(2) if m else None
    return (os.cpu_count() or 2) if n in (None, "*") else int(n)


def open_spark_session(spec: SparkSpec) -> Any:
    """Start (or reuse) the SparkSession of ``spec`` and register its Parquet folder as views.

    Local sessions get ``2 × cores`` shuffle partitions (Spark's default of 200 costs seconds
    per query on small aggregates), no UI and Arrow transfers; every session runs in UTC.
    Returns the ``pyspark.sql.SparkSession``.

    Raises
    ------
    SourceError
        pyspark missing, the JVM cannot start or the URL cannot be reached, the folder missing
        or holding none of the canonical tables, ``SALESOPS_SPARK_DATABASE`` unknown.
    """
    try:
        # optional dependency (the `spark` extra); importing pyspark costs ~0.3 s, so only
        # when a spark: source is opened
        from pyspark.sql import SparkSession  # noqa: PLC0415  optional extra; ~0.3 s, only for a spark: source
    except ImportError:
        raise SourceError(
            f"Source {spec.label} needs pyspark, which is not installed.",
            fix="pip install -e '.[spark]' (and a JDK 17+ on PATH)",
        ) from None
    b = SparkSession.builder.appName("salesops").config("spark.sql.session.timeZone", "UTC")
    if spec.master.startswith("sc://"):
        b = b.remote(spec.master)
    else:
        b = b.master(spec.master).config("spark.sql.execution.arrow.pyspark.enabled", "true")
        if spec.is_local:
            b = (
                b.config("spark.sql.shuffle.partitions", str(2 * _local_cores(spec.master)))
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                # not ./spark-warehouse wherever the report happens to run
                .config("spark.sql.warehouse.dir", str(_WAREHOUSE))
            )
    try:
        session = b.getOrCreate()
        if not spec.master.startswith("sc://"):
            session.sparkContext.setLogLevel("ERROR")
        session.conf.set("spark.sql.session.timeZone", "UTC")
    except Exception as exc:  # the JVM / cluster refused: say which source and how to fix it
        msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise SourceError(
            f"Cannot start Spark for source {spec.label}: {type(exc).__name__}: {msg}",
            fix="check that `java -version` shows a JDK 17+ and that the master URL is reachable",
        ) from None
    db = os.environ.get(DATABASE_VAR, "").strip()
    if db:
        try:
            session.catalog.setCurrentDatabase(db)
        except Exception:
            raise SourceError(
                f"Spark database {db!r} (from {DATABASE_VAR}) does not exist for {spec.label}.",
                fix=f"set {DATABASE_VAR} to a database that holds the canonical tables",
            ) from None
    if spec.folder:
        _register_parquet(session, spec)
    return session


def _register_parquet(session: Any, spec: SparkSpec) -> None:
    """Each canonical ``<table>.parquet`` (file or folder) under ``spec.folder`` -> temp view."""
    folder = str(spec.folder)
    remote = "://" in folder
    found = []
    for name in TABLES:
        path = f"{folder.rstrip('/')}/{name}.parquet"
        if not remote:
            if not Path(path).exists():
                continue
            path = str(Path(path).resolve())
        try:
            session.read.parquet(path).createOrReplaceTempView(name)
        except Exception:
            if not remote:
                raise
            continue  # a remote folder need not hold every table
        found.append(name)
    if not found:
        raise SourceError(
            f"{folder} holds none of the canonical tables as <table>.parquet ({spec.label}).",
            fix="write them there, e.g. duckdb data/demo.duckdb "
            "\"EXPORT DATABASE 'data/demo_parquet' (FORMAT parquet)\"",
        )
