"""Open a data source holding the canonical tables, whatever engine holds them.

>>> src = open_source("data/demo.duckdb")            # doctest: +SKIP
>>> leads = src.table("leads")                        # validated, canonical types

A source is one of: a path to a DuckDB file (opened read-only); a folder of ``<table>.parquet``,
``<table>.csv`` or ``<table>.csv.gz`` files named after the canonical tables; ``"env:VAR"``, an
Ibis connection URL held in environment variable ``VAR`` (credentials only ever come from the
environment and are never printed); a ``dict`` of pandas DataFrames (kept in an in-memory
DuckDB); an already-open Ibis backend; or a ``pyspark.sql.SparkSession``.

Opening is cheap: tables are validated on first access (and cached); nothing is read for
tables nobody asks for, except the counts and time spans behind :attr:`Source.as_of`,
:meth:`Source.fingerprint` and :meth:`Source.describe` when those are used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import html
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from salesops_lib._redact import redact
from salesops_lib.data import _validated
from salesops_lib.data._duckdb import DUCKDB_WRITE_CONFIG
from salesops_lib.data._frames import frame_to_table
from salesops_lib.data.csv_format import load_csv_format, select_sql
from salesops_lib.data.period import is_latest, parse_as_of
from salesops_lib.data.schema import TABLES, coerce_table, validate_table
from salesops_lib.data.spark import SPARK_PREFIX, open_spark_session, parse_spark_source
from salesops_lib.data.timeline import (
    FUTURE_EXEMPT,
    HISTORY_OF,
    check_future,
    check_history_order,
    future_cutoff,
)
from salesops_lib.errors import ParamsError, SalesOpsError, SourceError

__all__ = ["DEFAULT_SOURCE", "Source", "open_source"]
log = logging.getLogger("salesops.data")

#: The source reports use when none is given.
DEFAULT_SOURCE = "data/demo.duckdb"

_FILE_SUFFIXES = (".parquet", ".csv", ".csv.gz")
_DUCKDB_SUFFIXES = (".duckdb", ".ddb", ".db")


def _duckdb_tables(con: BaseBackend) -> list[str]:
    # ibis 12's DuckDB list_tables() calls fetch_arrow_table(), which duckdb 2.0 removed
    # (fixed upstream in ibis PR #12001); ask DuckDB directly.
    rows = con.con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = current_schema() "
        "ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _list_tables(con: BaseBackend) -> list[str]:
    if getattr(con, "name", "") == "duckdb":
        return _duckdb_tables(con)
    return list(con.list_tables())


class Source:
    """An open data source: the canonical tables in one Ibis backend.

    Use :func:`open_source` to create one.

    Parameters
    ----------
    con
        The Ibis backend holding the tables.
    label
        How the source is named in messages (never contains a password).
    tables
        Tables available: name → how to get the raw table (``None``: ``con.table(name)``;
        a callable: called once on first access).
    as_of
        Explicit as-of time, or ``None`` for the latest timestamp in the data.
    """

    def __init__(
        self,
        con: BaseBackend,
        *,
        label: str,
        tables: Mapping[str, Any],
        as_of: Any = None,
    ) -> None:
        self.con = con
        self.label = label
        self._loaders = dict(tables)
        self._raw: dict[str, ir.Table] = {}
        self._validated: dict[str, ir.Table] = {}
        self._stats: pd.DataFrame | None = None
        #: ``"table.column"`` -> rows after the load time, left out of :meth:`last_record`.
        self.future_rows: dict[str, int] = {}
        self._as_of = None if as_of is None else parse_as_of(as_of)
        self._as_of_explicit = as_of is not None
        #: What ``salesops import`` changed or dropped (sentences), when the data came through it.
        self.import_notes: list[str] = []
        #: Hash of the files behind the source (``None``: not files); tables that passed
        #: validation are remembered under it (:mod:`salesops_lib.data._validated`).
        self.identity: str | None = None

    # ------------------------------------------------------------------ tables
    @property
    def tables(self) -> list[str]:
        """Canonical tables present in the source, in data-model order."""
        return [t for t in TABLES if t in self._loaders]

    @property
    def all_tables(self) -> list[str]:
        """Every table the source has (canonical or not), sorted."""
        return sorted(self._loaders)

    def has_table(self, name: str) -> bool:
        """Whether the source has canonical table ``name``."""
        return name in self._loaders

    def raw_table(self, name: str) -> ir.Table:
        """The table as stored, without validation or coercion."""
        if name not in self._raw:
            self.require(name, None)
            loader = self._loaders[name]
            with self._engine_errors(name):
                self._raw[name] = self.con.table(name) if loader is None else loader()
        return self._raw[name]

    def table(self, name: str, *, needed_for: str | None = None) -> ir.Table:
        """The canonical table ``name``, validated on first access and cached.

        Parameters
        ----------
        name
            Canonical table name (see ``DATA_MODEL.md``).
        needed_for
            The analysis asking for it, named in the error when the table is missing
            (default: the analyses the data model lists for that table).

        Returns
        -------
        ibis.Table
            Coerced to canonical types (see :func:`~salesops_lib.data.schema.validate_table`).

        Raises
        ------
        SourceError
            If the source has no such table.
        DataValidationError
            If the table breaks the data model.
        """
        if name not in self._validated:
            self.require(name, needed_for)
            raw = self.raw_table(name)
            passed = _validated.key(self.identity, name, future_cutoff(None))
            if _validated.known(passed):  # the same files passed a moment ago (another report)
                with self._engine_errors(name):
                    self._validated[name] = coerce_table(name, raw)
                return self._validated[name]
            with self._engine_errors(name):
                table = validate_table(name, raw)
                check_future(name, table, TABLES[name].unique or (TABLES[name].key or (None,))[0])
            if name in HISTORY_OF and self.has_table(HISTORY_OF[name][0]):
                entity = self.table(HISTORY_OF[name][0])
                with self._engine_errors(name):
                    check_history_order(name, table, entity)
            self._validated[name] = table
            _validated.remember(passed)
        return self._validated[name]

    @contextlib.contextmanager
    def _engine_errors(self, name: str) -> Iterator[None]:
        """Turn an engine failure while reading ``name`` into a SourceError naming it."""
        try:
            yield
        except SalesOpsError:
            raise
        except Exception as exc:
            first = redact(str(exc).splitlines()[0][:200]) if str(exc) else ""
            raise SourceError(
                f"Cannot read table `{name}` from {self.label}: {type(exc).__name__}: {first}",
                fix="check that the file/table is readable, complete and not corrupt (for a "
                "CSV file: one header row, the same number of fields on every line)",
            ) from None

    def require(self, name: str, needed_for: str | None = None) -> None:
        """Raise the one missing-table error (with \"Did you mean\") unless ``name`` is present."""
        if name not in TABLES:
            raise ParamsError(
                "table",
                f"{name!r} is not a canonical table",
                expected="one of " + ", ".join(TABLES),
                fix="use the table names of DATA_MODEL.md",
            )
        if name in self._loaders:
            return
        need = needed_for or TABLES[name].needed_by or "this analysis"
        has = ", ".join(self.all_tables) or "no tables at all"
        hint = ""
        others = [t for t in self._loaders if t not in TABLES]
        close = (
            difflib.get_close_matches(name, others, n=1, cutoff=0.6)
            or [t for t in others if name.rstrip("s") in t.lower()][:1]
        )
        if close:
            hint = f" Did you mean `{close[0]}`? Rename it to `{name}`."
        raise SourceError(
            f"The source {self.label} has no table `{name}` (needed for {need}); it has: {has}."
            + hint,
            fix=f"add a table (or a file `{name}.parquet` / `{name}.csv` in a folder source) "
            f"holding one row per {TABLES[name].one_row_per}, or run an analysis that "
            "does not need it",
        )

    # ------------------------------------------------------------------ summaries
    def _table_stats(self) -> pd.DataFrame:
        """Rows, first/last timestamp (and first/last date) per canonical table, in the engine."""
        if self._stats is None:
            records = []
            cutoff = ibis.literal(future_cutoff().to_pydatetime())
            self.future_rows = {}
            for name in self.tables:
                spec = TABLES[name]
                t = coerce_table(name, self.raw_table(name))
                aggs: dict[str, ir.Scalar] = {"rows": t.count()}
                ts_cols = [c for c in spec.timestamp_columns if c in t.columns]
                ts_cols = [c for c in ts_cols if t[c].type().is_timestamp()]
                date_cols = [c for c in spec.date_columns if c in t.columns]
                date_cols = [c for c in date_cols if t[c].type().is_date()]
                for i, c in enumerate(ts_cols):
                    aggs[f"ts_min{i}"] = t[c].min()
                    aggs[f"ts_max{i}"] = t[c].max()
                    # the as-of time ignores impossible future events (validation names them)
                    aggs[f"ev_max{i}"] = t[c].max(where=t[c] <= cutoff)
                    aggs[f"ev_future{i}"] = (t[c] > cutoff).fill_null(False).ifelse(1, 0).sum()
                for i, c in enumerate(date_cols):
                    aggs[f"d_min{i}"] = t[c].min()
                    aggs[f"d_max{i}"] = t[c].max()
                # a closed deal's close date is a past event (an open deal's is a forecast)
                closed_col = (
                    name == "opportunities"
                    and "close_date" in t.columns
                    and "is_closed" in t.columns
                    and t["close_date"].type().is_date()
                )
                if closed_col:
                    closed = t["is_closed"] & (t["close_date"] <= cutoff.date())
                    aggs["closed_d_max"] = t["close_date"].max(where=closed)
                with self._engine_errors(name):
                    row = t.aggregate(**aggs).execute().iloc[0]

                def span(prefix: str, n: int, row: pd.Series = row) -> tuple[Any, Any]:
                    lows = [row[f"{prefix}_min{i}"] for i in range(n)]
                    highs = [row[f"{prefix}_max{i}"] for i in range(n)]
                    lows = [pd.Timestamp(v) for v in lows if v is not None and not pd.isna(v)]
                    highs = [pd.Timestamp(v) for v in highs if v is not None and not pd.isna(v)]
                    return (min(lows) if lows else pd.NaT, max(highs) if highs else pd.NaT)

                ts_first, ts_last = span("ts", len(ts_cols))
                ev_last = max(
                    (
                        pd.Timestamp(row[f"ev_max{i}"])
                        for i in range(len(ts_cols))
                        if row[f"ev_max{i}"] is not None and not pd.isna(row[f"ev_max{i}"])
                    ),
                    default=pd.NaT,
                )
                for i, c in enumerate(ts_cols):
                    n_future = row[f"ev_future{i}"]
                    planned = (name, c) in FUTURE_EXEMPT  # ignored, but not an error
                    if (
                        n_future is not None
                        and not pd.isna(n_future)
                        and int(n_future)
                        and not planned
                    ):
                        self.future_rows[f"{name}.{c}"] = int(n_future)
                d_first, d_last = span("d", len(date_cols))
                closed_last = row.get("closed_d_max") if closed_col else None
                closed_last = (
                    pd.NaT
                    if closed_last is None or pd.isna(closed_last)
                    else pd.Timestamp(closed_last) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
                )
                records.append(
                    {
                        "table": name,
                        "rows": int(row["rows"]),
                        "ts_first": ts_first,
                        "ts_last": ts_last,
                        "d_first": d_first,
                        "d_last": d_last,
                        "event_last": max(
                            (v for v in (ev_last, closed_last) if not pd.isna(v)), default=pd.NaT
                        ),
                    }
                )
            self._stats = pd.DataFrame.from_records(
                records,
                columns=["table", "rows", "ts_first", "ts_last", "d_first", "d_last", "event_last"],
            )
        return self._stats

    @property
    def as_of_explicit(self) -> bool:
        """Whether ``as_of`` was given (rather than taken from the data)."""
        return self._as_of_explicit

    def with_as_of(self, as_of: Any) -> Source:
        """The same tables (same connection, validation cache shared) cut at another ``as_of``."""
        other = Source(self.con, label=self.label, tables=self._loaders, as_of=as_of)
        other._raw = self._raw
        other._validated = self._validated
        other.identity = self.identity
        other._stats = self._stats
        other.future_rows = self.future_rows
        other.import_notes = list(self.import_notes)
        return other

    @property
    def as_of(self) -> pd.Timestamp:
        """The data's as-of time (naive UTC).

        The explicit value given to :func:`open_source`, else :meth:`last_record`: the latest
        event in the data.
        """
        if self._as_of is None:
            self._as_of = self.last_record()
        return self._as_of

    def last_record(self) -> pd.Timestamp:
        """The latest event in the data, whatever ``as_of`` says (naive UTC).

        The latest value of every timestamp column, and the end of the day of a *closed*
        deal's ``close_date`` (an export's deals closed in its last days count); planning dates
        (an open deal's expected close date, quota and spend periods) are not events and are not
        used.
        """
        stats = self._table_stats()
        if self.future_rows:
            log.warning(
                "%s: the as-of time ignores %s dated after the load time (%s); validation "
                "rejects them when the table is read",
                self.label,
                ", ".join(
                    f"{n:,} {'row' if n == 1 else 'rows'} of {c}"
                    for c, n in self.future_rows.items()
                ),
                f"{future_cutoff():%Y-%m-%d %H:%M} UTC, tolerance included",
            )
        latest = stats["event_last"].dropna()
        if latest.empty:
            raise SourceError(
                f"The source {self.label} has no timestamps to take the as-of time from.",
                fix="pass as_of explicitly (e.g. as_of='2025-06-30')",
            )
        return pd.Timestamp(latest.max())

    def fingerprint(self) -> str:
        """A short hash (12 hex digits) of table names, row counts and latest timestamps.

        Two runs on unchanged data give the same fingerprint; any added/removed row or table
        changes it. The as-of time is included when it was given explicitly.
        """
        stats = self._table_stats()
        parts = [
            f"{r.table}:{r.rows}:{r.ts_last}:{r.d_last}" for r in stats.itertuples(index=False)
        ]
        if self._as_of_explicit:
            parts.append(f"as_of:{self._as_of}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]

    def describe(self) -> pd.DataFrame:
        """One row per canonical table: ``table``, ``rows``, ``first``, ``last``.

        ``first``/``last`` span the table's timestamp columns (its date columns when it has
        no timestamps; ``NaT`` when it has neither).
        """
        stats = self._table_stats()
        out = pd.DataFrame(
            {
                "table": stats["table"],
                "rows": stats["rows"].astype("int64"),
                "first": stats["ts_first"].where(stats["ts_first"].notna(), stats["d_first"]),
                "last": stats["ts_last"].where(stats["ts_last"].notna(), stats["d_last"]),
            }
        )
        out["first"] = pd.to_datetime(out["first"])
        out["last"] = pd.to_datetime(out["last"])
        return out

    def close(self) -> None:
        """Close the connection (when the source opened it)."""
        disconnect = getattr(self.con, "disconnect", None)
        if disconnect is not None:
            disconnect()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        as_of = f", as_of={str(self._as_of)!r}" if self._as_of is not None else ""
        return f"Source({self.label!r}, tables=[{', '.join(self.tables)}]{as_of})"

    def _repr_html_(self) -> str:
        desc = self.describe()
        rows = "".join(
            "<tr>"
            f"<td>{html.escape(r.table)}</td><td style='text-align:right'>{r.rows:,}</td>"
            f"<td>{'' if pd.isna(r.first) else r.first}</td>"
            f"<td>{'' if pd.isna(r.last) else r.last}</td>"
            "</tr>"
            for r in desc.itertuples(index=False)
        )
        try:
            as_of = html.escape(str(self.as_of))
        except SourceError:
            as_of = "unknown"
        return (
            f"<div><strong>Source</strong> {html.escape(self.label)} · as of {as_of}"
            "<table><thead><tr><th>table</th><th>rows</th><th>first</th><th>last</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></div>"
        )


# ---------------------------------------------------------------------- opening


def _open_duckdb_file(path: Path, label: str, as_of: Any) -> Source:
    try:
        con = ibis.duckdb.connect(str(path), read_only=True)
        names = _duckdb_tables(con)
    except Exception as exc:
        first = str(exc).splitlines()[0][:200]
        if "version number" in first and "we can only read" in first:
            raise SourceError(
                f"{label} was written by a newer DuckDB than this one ({duckdb.__version__}): "
                f"{first}",
                fix="Upgrade DuckDB where the kit runs (`pip install -U duckdb`), or write the "
                "file again from here (`salesops demo-data` and `salesops import` write files "
                f"that DuckDB {DUCKDB_WRITE_CONFIG['storage_compatibility_version'][1:]} and "
                "newer can read); a Parquet folder is readable by every version",
            ) from None
        raise SourceError(
            f"Cannot open {label} as a DuckDB database: {first}",
            fix="pass a DuckDB file written by `salesops demo-data` or DuckDB itself, or a "
            "folder of <table>.parquet/.csv files",
        ) from None
    return Source(con, label=label, tables=dict.fromkeys(names), as_of=as_of)


def _open_folder(path: Path, label: str, as_of: Any, csv_format: Any = None) -> Source:
    fmt = load_csv_format(path, csv_format)
    files: dict[str, Path] = {}
    for f in sorted(path.iterdir()):
        if not f.is_file():
            continue
        for suffix in _FILE_SUFFIXES:
            if f.name.endswith(suffix):
                stem = f.name[: -len(suffix)]
                if stem in files:
                    raise SourceError(
                        f"The folder {label} holds table `{stem}` twice: "
                        f"{files[stem].name} and {f.name}.",
                        fix="keep one file per table",
                    )
                files[stem] = f
    canonical = [n for n in files if n in TABLES]
    if not canonical:
        found = ", ".join(f.name for f in sorted(path.iterdir())[:10]) or "nothing"
        raise SourceError(
            f"The folder {label} has no file named after a canonical table (found: {found}).",
            fix="name the files <table>.parquet or <table>.csv with tables from DATA_MODEL.md "
            "(" + ", ".join(TABLES) + ")",
        )
    con = ibis.duckdb.connect()

    def loader(name: str, file: Path) -> Any:
        def load() -> ir.Table:
            if file.name.endswith(".parquet"):
                return con.read_parquet(file, table_name=name)
            # all text: the kit's coercion reads every type and names unreadable values;
            # CSV sniffing would turn ids like "00123" into numbers
            if fmt is None:
                return con.read_csv(file, table_name=name, all_varchar=True)
            options: dict[str, Any] = {"all_varchar": True, "encoding": fmt.encoding}
            if fmt.delimiter:
                options["delim"] = fmt.delimiter
            raw = con.read_csv(file, table_name=f"_raw_{name}", **options)
            if not fmt.rewrites_values or name not in TABLES:
                return raw
            kinds = {c.name: c.kind for c in TABLES[name].columns}
            view = f"_csv_{name}"  # a view, not con.sql(): ibis 12's sql() fails on DuckDB 2.0
            query = select_sql(f"_raw_{name}", list(raw.columns), kinds, fmt)
            con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{view}" AS {query}')
            return con.table(view)

        return load

    return Source(
        con,
        label=label,
        tables={n: loader(n, f) for n, f in files.items()},
        as_of=as_of,
    )


def _open_env(source: str, as_of: Any) -> Source:
    var = source[len("env:") :].strip()
    if not var:
        raise ParamsError(
            "source",
            "'env:' must be followed by the name of an environment variable",
            expected="e.g. 'env:SALESOPS_DB_URL'",
        )
    url = os.environ.get(var)
    if not url:
        raise SourceError(
            f"Environment variable {var} is not set (or empty), so source {source!r} "
            "has no connection URL.",
            fix=f"set {var} to an Ibis connection URL, e.g. "
            f"export {var}='postgres://user:password@host:5432/db' or 'duckdb:///path/file.duckdb'",
        )
    safe = redact(url)
    try:
        con = ibis.connect(url)
        names = _list_tables(con)
    except Exception as exc:
        msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise SourceError(
            f"Cannot connect to {safe} (from environment variable {var}): "
            f"{redact(msg).replace(url, safe)}",
            fix=f"check the URL in {var}, the network and the credentials; the backend's "
            "package must be installed (e.g. pip install 'ibis-framework[postgres]')",
        ) from None
    return Source(con, label=f"env:{var} ({safe})", tables=dict.fromkeys(names), as_of=as_of)


def _microseconds(df: pd.DataFrame) -> pd.DataFrame:
    """Nanosecond timestamps cut to microseconds (DuckDB's precision; Arrow refuses a lossy cast).

    Time-zone-aware columns keep their zone here (the source converts them to naive UTC)."""
    cols = [
        c
        for c in df.columns
        if pd.api.types.is_datetime64_any_dtype(df[c].dtype)
        and getattr(df[c].dtype, "unit", "ns") == "ns"
    ]
    if not cols:
        return df
    df = df.copy()
    for c in cols:
        df[c] = df[c].dt.floor("us")
    return df


def _open_frames(frames: Mapping[str, Any], as_of: Any) -> Source:
    con = ibis.duckdb.connect()
    names = []
    for name, df in frames.items():
        if not isinstance(name, str):
            raise ParamsError("source", f"dict key {name!r} is not a table name")
        if not isinstance(df, pd.DataFrame):
            raise ParamsError(
                "source",
                f"the value for table {name!r} is a {type(df).__name__}, not a pandas DataFrame",
                fix="pass {table name: pandas.DataFrame}",
            )
        frame_to_table(name, df, con, prepare=_microseconds)
        names.append(name)
    return Source(con, label="in-memory DataFrames", tables=dict.fromkeys(names), as_of=as_of)


def _is_spark_session(obj: Any) -> bool:
    """Whether ``obj`` is a (classic or Connect) ``pyspark.sql.SparkSession``, without importing
    pyspark (an optional dependency)."""
    cls = type(obj)
    return cls.__name__ == "SparkSession" and cls.__module__.startswith("pyspark.")


def _connect_spark(session: Any) -> BaseBackend:
    """Wrap a SparkSession in Ibis's PySpark backend (its temp views and tables become tables)."""
    try:
        return ibis.pyspark.connect(session)
    except Exception as exc:
        msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise SourceError(
            f"Cannot use the SparkSession as a data source: {type(exc).__name__}: {msg}",
            fix="install the Spark extra (pip install 'salesops-kit[spark]', i.e. "
            "'ibis-framework[pyspark]') and pass an active session, or pass "
            "ibis.pyspark.connect(session)",
        ) from None


def _open_spark_text(source: str, as_of: Any) -> Source:
    """``spark:<master>[@<folder>]`` (:mod:`salesops_lib.data.spark`); a relative folder is
    found like a relative path (:func:`_find_relative`)."""
    spec = parse_spark_source(source)
    if spec.folder and "://" not in spec.folder:
        folder = _find_relative(Path(spec.folder).expanduser())
        if not folder.is_dir():
            raise SourceError(
                f"The folder {spec.folder} of source {source!r} does not exist.",
                fix="check the path (relative paths start at the current directory: "
                f"{Path.cwd().name}/)",
            )
        spec = dataclasses.replace(spec, folder=str(folder))
    con = _connect_spark(open_spark_session(spec))
    return Source(con, label=spec.label, tables=dict.fromkeys(_list_tables(con)), as_of=as_of)


def _find_relative(path: Path) -> Path:
    """A relative path that is not under the current folder is looked up in its parents.

    A notebook opened in JupyterLab runs in ``notebooks/`` while params say
    ``data/demo.duckdb`` (relative to the kit's root, where ``salesops run`` starts): looking
    upwards, as git does for ``.git``, makes the same params work in both places.
    """
    if path.is_absolute() or path.exists():
        return path
    for parent in Path.cwd().resolve().parents:
        candidate = parent / path
        if candidate.exists():
            return candidate
    return path


def open_source(
    source: Any = DEFAULT_SOURCE, *, as_of: Any = None, csv_format: Any = None
) -> Source:
    """Open a data source holding (some of) the canonical tables.

    Parameters
    ----------
    source
        One of: a path (``str`` or ``Path``) to a DuckDB file, opened read-only; a path to a
        folder of ``<table>.parquet`` / ``<table>.csv`` / ``<table>.csv.gz`` files named after
        the canonical tables; ``"env:VAR"``, an Ibis connection URL held in environment
        variable ``VAR``; a ``dict`` of table name → pandas DataFrame; an open Ibis backend;
        a ``pyspark.sql.SparkSession`` (its tables and temp views, through Ibis's PySpark
        backend; see ``docs/SPARK.md``); ``"spark:local[N][@folder]"`` or
        ``"spark:env:VAR[@folder]"``, a Spark session started from text (a params file), its
        tables read from ``<table>.parquet`` files in ``folder`` or found in the session's
        database (:mod:`salesops_lib.data.spark`); or a :class:`Source` (returned as is, or
        with the new ``as_of``).
    as_of
        The data's as-of time (``str``, ``datetime``, ``date`` or ``pandas.Timestamp``;
        tz-aware values are converted to UTC). Default: the latest timestamp in the data.
    csv_format
        For a folder: how its CSV files write fields, numbers and dates (a mapping such as
        ``{"delimiter": ";", "decimal": ",", "thousands": ".", "day_first": True}``; see
        :mod:`salesops_lib.data.csv_format`). Default: the folder's ``csv_format.yaml``, if any.

    Returns
    -------
    Source

    Raises
    ------
    SourceError
        If the path does not exist, is not a DuckDB file or a folder of table files, or the
        connection fails.
    ParamsError
        If ``source`` is of an unsupported kind or ``as_of`` cannot be read.
    """
    if is_latest(as_of):
        as_of = None  # the data's last record: the default
    if as_of is not None:
        parse_as_of(as_of)  # fail fast, before connecting
    if isinstance(source, Source):
        if as_of is None:
            return source
        other = Source(source.con, label=source.label, tables=source._loaders, as_of=as_of)
        other.identity = source.identity
        return other
    if _is_spark_session(source):
        source = _connect_spark(source)
    if isinstance(source, BaseBackend):
        label = f"ibis {getattr(source, 'name', 'backend')} connection"
        return Source(source, label=label, tables=dict.fromkeys(_list_tables(source)), as_of=as_of)
    if isinstance(source, Mapping):
        return _open_frames(source, as_of)
    if isinstance(source, str) and source.startswith("env:"):
        return _open_env(source, as_of)
    if isinstance(source, str) and source.startswith(SPARK_PREFIX):
        return _open_spark_text(source, as_of)
    if isinstance(source, str) and "://" in source:
        raise ParamsError(
            "source",
            "connection URLs are not accepted directly (they may hold a password)",
            expected="'env:VAR' with the URL in environment variable VAR",
            fix="export SALESOPS_DB_URL='<the url>' and use source: env:SALESOPS_DB_URL",
        )
    if not isinstance(source, str | os.PathLike):
        raise ParamsError(
            "source",
            f"unsupported kind {type(source).__name__}",
            expected="a path to a .duckdb file or folder, 'env:VAR', a dict of DataFrames, "
            "an ibis connection or a SparkSession",
        )
    path = _find_relative(Path(source).expanduser())
    label = str(source)
    if not path.exists():
        hint = (
            "create the demo warehouse with `salesops demo-data --out data/demo.duckdb`"
            if label == DEFAULT_SOURCE
            else "check the path (relative paths start at the current directory: "
            f"{Path.cwd().name}/)"
        )
        raise SourceError(f"The data source {label} does not exist.", fix=hint)
    if path.is_dir():
        src = _open_folder(path, label, as_of, csv_format)
        src.identity = _validated.file_identity(
            (f for f in path.iterdir() if f.is_file()), extra=repr(csv_format)
        )
        return _with_notes(src, path / "ADAPTER_NOTES.txt")
    if path.name.endswith(_FILE_SUFFIXES):
        raise SourceError(
            f"{label} is a single table file; a source is a folder of such files or a DuckDB file.",
            fix=f"pass the folder that holds it ({path.parent.name or '.'}/) and name the "
            "file after its canonical table",
        )
    src = _open_duckdb_file(path, label, as_of)
    wal = path.with_name(path.name + ".wal")
    src.identity = _validated.file_identity([path, *([wal] if wal.exists() else [])])
    return _with_notes(src, path.with_name(path.name + ".summary.txt"))


def _with_notes(src: Source, notes_file: Path) -> Source:
    """Attach what ``salesops import`` found (its notes file beside the data) to ``src``."""
    if notes_file.is_file():
        try:
            lines = notes_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return src
        src.import_notes = [ln[2:].strip() for ln in lines if ln.startswith("- ")]
    return src
