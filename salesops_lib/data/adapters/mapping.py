"""Adapter for any CSV/Parquet folder described by a YAML mapping onto the canonical tables.

The mapping names, for each canonical table, the file it comes from and the column each
canonical column is taken from; constant columns, value maps (stages, booleans), date formats
and decimal commas are declared, never guessed. A complete example is in
``params/examples/mapping.yaml`` and ``docs/adapters.md``::

    decimal_comma: false          # default for every file; "1.234,5" when true
    date_format: null             # default for every date column (null: ISO 8601 detected)
    currency_rates: {EUR: 1.0, USD: 0.92}   # only when a mapped `currency` column mixes codes
    tables:
      opportunities:
        file: deals.csv           # CSV or Parquet, relative to the export folder
        columns:                  # canonical column: source column
          opportunity_id: Deal Ref
          created_at: Created On
          owner_id: Seller
          stage: Phase
          is_won: Won?
          is_closed: Closed?
          amount: Value
        constants:                # canonical column: value for every row
          currency: EUR
        values:                   # canonical column: {source value: canonical value}
          stage: {Gewonnen: Closed Won, Verloren: Closed Lost}
          is_won: {ja: true, nein: false}
        date_formats:             # canonical column: strftime format
          created_at: "%d.%m.%Y"
        decimal_comma: true       # per file
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from salesops_lib.data.adapters._common import (
    Quality,
    check_unique,
    first_rows,
    parse_bool,
    parse_dates,
    parse_number,
    read_table,
)
from salesops_lib.data.adapters.maven_crm import AdapterResult
from salesops_lib.data.schema import TABLES
from salesops_lib.errors import ParamsError, SourceError

__all__ = ["load_mapping"]

_ID_COLUMNS = {
    "leads": "lead_id",
    "opportunities": "opportunity_id",
    "activities": "activity_id",
    "reps": "rep_id",
    "accounts": "account_id",
    "campaigns": "campaign_id",
}
_KEYS = {"file", "columns", "constants", "values", "date_formats", "decimal_comma"}
_TOP_KEYS = {"tables", "decimal_comma", "date_format", "currency_rates"}


def _load_yaml(mapping: str | Path | dict[str, Any]) -> dict[str, Any]:
    if isinstance(mapping, dict):
        return mapping
    path = Path(mapping)
    if not path.is_file():
        raise ParamsError("mapping", f"file {path} does not exist", expected="a mapping YAML")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParamsError("mapping", f"{path} is not valid YAML ({exc})") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("tables"), dict):
        raise ParamsError(
            "mapping",
            f"{path} has no `tables:` section",
            expected="tables: {canonical table: {file, columns, ...}}",
        )
    return spec


def load_mapping(folder: str | Path, *, mapping: str | Path | dict[str, Any]) -> AdapterResult:
    """Map a folder of CSV/Parquet files onto the canonical tables with a YAML mapping.

    Parameters
    ----------
    folder
        Folder holding the files the mapping names.
    mapping
        Path of the mapping YAML (or the parsed dict); see the module docstring.

    Returns
    -------
    AdapterResult
        Canonical tables, suggested as-of and the data-quality summary.

    Raises
    ------
    ParamsError
        An invalid mapping (unknown table, column or key).
    SourceError
        A missing or non-CSV file, a missing column, a value outside a value map, mixed date
        formats, a non-number, duplicated ids (naming the file, the column and the rows).
    """
    if mapping is None:
        raise ParamsError("mapping", "missing", expected="--mapping FILE.yaml")
    spec = _load_yaml(mapping)
    unknown = set(spec) - _TOP_KEYS
    if unknown:
        raise ParamsError(
            "mapping", f"unknown key(s) {sorted(unknown)}", expected=", ".join(sorted(_TOP_KEYS))
        )
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(
            f"The export folder {folder} does not exist.",
            fix="pass the folder holding the files the mapping names",
        )
    q = Quality()
    q.assumptions.append("times without a UTC offset are UTC; offsets converted to UTC")
    tables: dict[str, pd.DataFrame] = {}
    for table, tspec in spec["tables"].items():
        if table not in TABLES:
            raise ParamsError(
                f"mapping.tables.{table}", "is not a canonical table", expected=", ".join(TABLES)
            )
        unknown = set(tspec) - _KEYS
        if unknown:
            raise ParamsError(
                f"mapping.tables.{table}",
                f"unknown key(s) {sorted(unknown)}",
                expected=", ".join(sorted(_KEYS)),
            )
        tables[table] = _one(folder, table, tspec, spec, q)
    stamps = [
        t[c]
        for t in tables.values()
        for c in t.columns
        if c.endswith("_at") and pd.api.types.is_datetime64_any_dtype(t[c])
    ]
    as_of = pd.concat(stamps).max() if stamps else None
    return AdapterResult(tables=tables, notes=[], as_of=as_of, quality=q)


def _one_currency(
    out: pd.DataFrame,
    df: pd.DataFrame,
    src: str,
    fname: str,
    rates: dict[str, float] | None,
    q: Quality,
) -> pd.DataFrame:
    """One currency per dataset: several codes need ``currency_rates`` (amount × rate)."""
    codes = sorted(out["currency"].dropna().unique())
    if len(codes) <= 1:
        return out
    missing = [c for c in codes if c not in (rates or {})]
    if missing:
        minority = df[src].notna() & df[src].ne(df[src].mode().iloc[0])
        raise SourceError(
            f"{fname}, column {src}: amounts in {', '.join(codes)} without conversion rates "
            f"for {', '.join(missing)} ({first_rows(df, minority, src)}).",
            fix="add `currency_rates: {EUR: 1.0, USD: 0.92}` (amount × rate) at the top of the "
            "mapping, or export converted amounts",
        )
    target = [c for c, r in (rates or {}).items() if float(r) == 1.0]
    out = out.assign(amount=out["amount"] * out["currency"].map(rates).astype("float64"))
    out["currency"] = target[0] if len(target) == 1 else pd.NA
    q.assumptions.append(f"{fname}: amounts converted with currency_rates {rates}")
    return out


def _one(folder: Path, table: str, tspec: dict, spec: dict, q: Quality) -> pd.DataFrame:
    tdef = TABLES[table]
    cols: dict[str, str] = dict(tspec.get("columns") or {})
    consts: dict[str, Any] = dict(tspec.get("constants") or {})
    values: dict[str, dict] = dict(tspec.get("values") or {})
    fmts: dict[str, str] = dict(tspec.get("date_formats") or {})
    comma = bool(tspec.get("decimal_comma", spec.get("decimal_comma", False)))
    kinds = {c.name: c.kind for c in tdef.columns}
    for c in [*cols, *consts]:
        if c not in kinds:
            raise ParamsError(
                f"mapping.tables.{table}.columns.{c}",
                "is not a column of the canonical table",
                expected=", ".join(kinds),
            )
    missing = [c for c in tdef.required_columns if c not in cols and c not in consts]
    if missing:
        raise ParamsError(
            f"mapping.tables.{table}",
            f"maps no source column to {missing}",
            expected="every required canonical column (docs/DATA_MODEL.md)",
        )
    if "file" not in tspec:
        raise ParamsError(f"mapping.tables.{table}.file", "missing")
    path = folder / tspec["file"]
    if not path.is_file():
        raise SourceError(
            f"{path} (for table {table}) does not exist.", fix="check `file:` in the mapping"
        )
    df = read_table(path, list(cols.values()), q)
    fname = path.name
    out = pd.DataFrame(index=df.index)
    for canon, src in cols.items():
        work = df
        if canon in values:
            vmap = {str(k): v for k, v in values[canon].items()}
            bad = df[src].notna() & ~df[src].isin(list(vmap))
            if bad.any():
                raise SourceError(
                    f"{fname}, column {src}: value(s) "
                    f"{', '.join(sorted(df.loc[bad, src].unique())[:5])} not in the mapping's "
                    f"value map for {table}.{canon} ({first_rows(df, bad, src)}).",
                    fix=f"add them under tables.{table}.values.{canon}",
                )
            mapped = df[src].map(vmap)
            work = df.assign(
                **{
                    src: mapped.map(
                        lambda v: (
                            None if pd.isna(v) else str(v).lower() if isinstance(v, bool) else v
                        )
                    )
                }
            )
            if kinds[canon] not in ("boolean",):
                out[canon] = mapped
                continue
        kind = kinds[canon]
        if kind == "timestamp":
            out[canon] = parse_dates(work, src, fname, fmt=fmts.get(canon, spec.get("date_format")))
        elif kind == "date":
            out[canon] = parse_dates(
                work, src, fname, fmt=fmts.get(canon, spec.get("date_format"))
            ).dt.date
        elif kind == "boolean":
            out[canon] = parse_bool(work, src, fname)
        elif kind in ("float", "int"):
            out[canon] = parse_number(work, src, fname, decimal_comma=comma)
        else:
            out[canon] = work[src]
    for canon, value in consts.items():
        out[canon] = value
    if "currency" in cols and "amount" in out.columns:
        out = _one_currency(out, df, cols["currency"], fname, spec.get("currency_rates"), q)
    id_col = _ID_COLUMNS.get(table)
    if id_col in cols:
        check_unique(df, cols[id_col], fname)
    q.mapped[fname] = [f"{s} → {table}.{c}" for c, s in cols.items()]
    q.dropped[fname] = [c for c in df.columns if c not in cols.values()]
    if consts:
        q.assumptions.append(
            f"{table}: constant " + ", ".join(f"{k}={v}" for k, v in consts.items())
        )
    if comma:
        q.assumptions.append(f"{fname}: decimal comma (1.234,5 = 1234.5)")
    return out.reset_index(drop=True)
