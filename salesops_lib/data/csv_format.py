"""CSV files as European spreadsheets write them: ``;`` between fields, ``1.234,5``, ``31/12/2026``.

A folder source reads its CSV files as text and the kit's coercion turns the canonical columns
into numbers and times (see :mod:`salesops_lib.data.schema`). For CSV files written with decimal
commas or day-first dates, describe them once, either in a ``csv_format.yaml`` file in the data
folder (so that every report and ``salesops validate`` read them alike)::

    delimiter: ";"
    decimal: ","
    thousands: "."
    day_first: true            # 31/12/2026, 31.12.2026 14:05, 31-12-2026

or with ``open_source(folder, csv_format={...})``. Only the canonical number, date and time
columns are rewritten, in the engine (DuckDB ``try_strptime``); a value that does not fit the
format is left as written, so validation names it as unreadable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from salesops_lib.errors import ParamsError

__all__ = ["CSV_FORMAT_FILE", "CsvFormat", "load_csv_format", "select_sql"]

CSV_FORMAT_FILE = "csv_format.yaml"
#: Day-first formats tried in order when ``day_first`` is set (with ``/``, ``.`` or ``-``).
_DAY_FIRST = [
    f"%d{sep}%m{sep}%Y{time}" for sep in ("/", ".", "-") for time in (" %H:%M:%S", " %H:%M", "")
]


class CsvFormat(BaseModel):
    """How the CSV files of a folder write fields, numbers and dates."""

    model_config = ConfigDict(extra="forbid")

    delimiter: str | None = Field(None, min_length=1, max_length=1)
    decimal: Literal[".", ","] = "."
    thousands: Literal[".", ",", " ", "'"] | None = None
    day_first: bool = False
    date_formats: list[str] = Field(default_factory=list)
    encoding: Literal["utf-8", "utf-16", "latin-1"] = "utf-8"

    @model_validator(mode="after")
    def _distinct(self) -> CsvFormat:
        if self.thousands is not None and self.thousands == self.decimal:
            raise ValueError("thousands and decimal separators must differ")
        for f in self.date_formats:
            if "%" not in f:
                raise ValueError(f"date format {f!r} has no %-codes (e.g. '%d/%m/%Y')")
        return self

    @property
    def formats(self) -> list[str]:
        """The date/time formats to try, in order."""
        return [*self.date_formats, *(_DAY_FIRST if self.day_first else [])]

    @property
    def rewrites_values(self) -> bool:
        return self.decimal != "." or self.thousands is not None or bool(self.formats)


def _validate(data: dict[str, Any], source: str) -> CsvFormat:
    try:
        return CsvFormat.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "csv_format"
        raise ParamsError(
            f"csv_format.{key}" if key != "csv_format" else key,
            first["msg"].removeprefix("Value error, "),
            expected=(
                "delimiter, decimal ('.' or ','), thousands, day_first, date_formats, encoding"
            ),
            source=source,
        ) from None


def load_csv_format(folder: Path, given: Mapping[str, Any] | CsvFormat | None) -> CsvFormat | None:
    """The format of a folder's CSV files: ``given``, else ``csv_format.yaml``, else ``None``.

    Raises
    ------
    ParamsError
        A bad key or value, naming the file (or ``csv_format``).
    """
    if isinstance(given, CsvFormat):
        return given
    if given is not None:
        return _validate(dict(given), "csv_format")
    path = folder / CSV_FORMAT_FILE
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ParamsError("csv_format", f"cannot read {path.as_posix()} ({exc})") from None
    if not isinstance(data, dict):
        raise ParamsError("csv_format", f"{path.as_posix()} does not hold `key: value` pairs")
    return _validate(data, path.as_posix())


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def select_sql(table: str, columns: list[str], kinds: Mapping[str, str], fmt: CsvFormat) -> str:
    """DuckDB SQL that rewrites a text table's number and date columns to the kit's forms.

    Parameters
    ----------
    table
        The registered (all-text) CSV table.
    columns
        Its columns, in order.
    kinds
        Canonical column → kind (``"float"``, ``"int"``, ``"date"``, ``"timestamp"``, ...).
    fmt
        The format.

    Returns
    -------
    str
        ``SELECT ... FROM table``: numbers as ``1234.5``, times as ``2026-12-31 14:05:00``;
        values that do not match are kept as written.
    """
    out = []
    for col in columns:
        c, kind = _q(col), kinds.get(col)
        expr = c
        if kind in ("float", "int") and (fmt.decimal != "." or fmt.thousands):
            v = f"trim({c})"
            if fmt.thousands:
                v = f"replace({v}, {_lit(fmt.thousands)}, '')"
            if fmt.decimal != ".":
                v = f"replace({v}, {_lit(fmt.decimal)}, '.')"
            expr = f"CASE WHEN TRY_CAST({v} AS DOUBLE) IS NOT NULL THEN {v} ELSE {c} END"
        elif kind in ("date", "timestamp") and fmt.formats:
            fmts = "[" + ", ".join(_lit(f) for f in fmt.formats) + "]"
            out_fmt = "'%Y-%m-%d'" if kind == "date" else "'%Y-%m-%d %H:%M:%S'"
            expr = f"coalesce(strftime(try_strptime(trim({c}), {fmts}), {out_fmt}), {c})"
        out.append(f"{expr} AS {c}")
    return f"SELECT {', '.join(out)} FROM {_q(table)}"
