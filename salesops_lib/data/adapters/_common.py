"""Shared helpers of the CRM adapters: strict reading, date parsing, ids, quality summary.

Every helper raises :class:`~salesops_lib.errors.SourceError` naming the file, the column and
the first offending rows, so ``salesops import`` exits 2 and writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from salesops_lib.errors import SourceError

__all__ = [
    "Quality",
    "first_rows",
    "parse_bool",
    "parse_dates",
    "parse_number",
    "read_table",
    "sf_checksum",
    "sf_id",
]

#: Datetime formats tried in order; one format must parse every value of a column.
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f%z",  # Salesforce API / weekly export: 2024-01-15T10:00:00.000+0000
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d %H:%M:%S.%f",  # database / web logs with microseconds, naive UTC
    "%Y-%m-%d %H:%M:%S",  # Data Loader with 'Use European date format' off, naive UTC
    "%Y-%m-%d %H:%M",  # HubSpot UI exports (in the portal's time zone: convert to UTC first)
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)


@dataclass
class Quality:
    """Data-quality summary of one import (written as ``IMPORT_SUMMARY.txt`` and printed)."""

    rows_read: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    mapped: dict[str, list[str]] = field(default_factory=dict)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as text lines."""
        out = ["rows read:"]
        out += [f"  {k}: {v:,}" for k, v in self.rows_read.items()]
        out.append("rows rejected:" + ("" if self.rejected else " none"))
        out += [f"  - {r}" for r in self.rejected]
        out.append("fields mapped:")
        out += [f"  {k}: {', '.join(v)}" for k, v in self.mapped.items()]
        out.append("fields dropped:")
        out += [f"  {k}: {', '.join(v) or '-'}" for k, v in self.dropped.items()]
        out.append("assumptions:")
        out += [f"  - {a}" for a in self.assumptions]
        return out


def first_rows(df: pd.DataFrame, mask: pd.Series, column: str, n: int = 3) -> str:
    """``row 2: 'x', row 5: 'y'`` for the first offending rows (1-based, header is row 1)."""
    idx = list(df.index[mask.fillna(False).to_numpy()][:n])
    return ", ".join(f"row {int(i) + 2}: {df.loc[i, column]!r}" for i in idx)


def read_table(path: Path, required: list[str], quality: Quality | None = None) -> pd.DataFrame:
    """Read one CSV (or Parquet) file as strings, checking it is tabular and has ``required``."""
    if path.suffix.lower() == ".parquet":
        try:
            df = pd.read_parquet(path).astype("string")
        except Exception as exc:
            raise SourceError(
                f"{path} is not a readable Parquet file ({exc}).", fix="re-export the file"
            ) from exc
    else:
        raw = path.read_bytes()[:4096]
        if b"\x00" in raw or raw[:4] in (b"PK\x03\x04", b"%PDF"):
            raise SourceError(
                f"{path} is not a CSV file (it looks binary: a spreadsheet, zip or PDF).",
                fix="export the object as CSV (Salesforce Data Loader / HubSpot 'Export' as CSV)",
            )
        try:
            df = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
            )
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"{path} is not a readable CSV file: {exc}", fix="re-export it as UTF-8 CSV"
            ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SourceError(
            f"{path.name} lacks required column(s) {', '.join(missing)} "
            f"(it has: {', '.join(df.columns)}).",
            fix="include these fields in the export",
        )
    for col in df.columns:
        df[col] = df[col].str.strip().replace("", pd.NA)
    if quality is not None:
        quality.rows_read[path.name] = len(df)
    return df


def check_unique(df: pd.DataFrame, column: str, fname: str) -> None:
    """Raise when ``column`` has duplicated values."""
    dup = df[column].notna() & df[column].duplicated(keep=False)
    if dup.any():
        raise SourceError(
            f"{fname}, column {column}: {int(dup.sum())} rows share an id "
            f"({first_rows(df, dup, column)}).",
            fix="remove the duplicated records (an export run twice, or 15- and 18-character "
            "ids of the same record)",
        )


def parse_dates(
    df: pd.DataFrame, column: str, fname: str, *, fmt: str | None = None, epoch_ms: bool = False
) -> pd.Series:
    """Parse a date/datetime column to naive UTC, with one format for every value.

    Time-zone-aware values are converted to UTC; naive values are taken as UTC. Mixed formats
    in one column are an error (naming the first rows in the other format).
    """
    s = df[column] if column in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")
    present = s.notna()
    if not present.any():
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    if epoch_ms or (fmt is None and s[present].str.fullmatch(r"\d{11,14}").all()):
        num = pd.to_numeric(s, errors="coerce")
        bad = present & num.isna()
        if bad.any():
            raise SourceError(
                f"{fname}, column {column}: not epoch milliseconds "
                f"({first_rows(df, bad, column)}).",
                fix="export dates as numbers",
            )
        return pd.to_datetime(num, unit="ms")
    formats = (fmt,) if fmt else DATETIME_FORMATS
    best, best_bad = None, None
    for f in formats:
        parsed = pd.to_datetime(s, format=f, errors="coerce", utc=True)
        bad = present & parsed.isna()
        if not bad.any():
            return parsed.dt.tz_convert(None)
        if best_bad is None or bad.sum() < best_bad.sum():
            best, best_bad = f, bad
    raise SourceError(
        f"{fname}, column {column}: {int(best_bad.sum())} value(s) do not match the column's "
        f"date format {best!r} (mixed or unknown date formats: "
        f"{first_rows(df, best_bad, column)}).",
        fix="export every date in one format (ISO 8601, e.g. 2024-01-15 or "
        "2024-01-15T10:00:00.000+0000), or give the format in the mapping",
    )


def parse_bool(df: pd.DataFrame, column: str, fname: str) -> pd.Series:
    """'true'/'false'/'1'/'0'/'yes'/'no' (any case) to booleans; anything else is an error."""
    s = df[column].str.lower()
    out = s.map({"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False})
    bad = s.notna() & out.isna()
    if bad.any():
        raise SourceError(
            f"{fname}, column {column}: not a boolean ({first_rows(df, bad, column)}).",
            fix="use true/false",
        )
    return out.astype("boolean")


def parse_number(
    df: pd.DataFrame, column: str, fname: str, *, decimal_comma: bool = False
) -> pd.Series:
    """String-typed numbers (thousands separators dropped) to float; non-numbers are an error."""
    s = df[column]
    if decimal_comma:
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    out = pd.to_numeric(s.str.replace(" ", "", regex=False), errors="coerce")
    bad = df[column].notna() & out.isna()
    if bad.any():
        raise SourceError(
            f"{fname}, column {column}: not a number ({first_rows(df, bad, column)}).",
            fix="export numbers without currency symbols",
        )
    return out.astype("float64")


_SF_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SF_ID = re.compile(r"[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?")


def sf_checksum(id15: str) -> str:
    """The 3-character suffix Salesforce appends to a 15-character id (``CASESAFEID``).

    The id is cut into three chunks of 5 characters; in each chunk, character ``i`` (from the
    left, ``i = 0..4``) sets bit ``i`` when it is an upper-case letter; the chunk's number
    (0-31) picks a character of ``A-Z0-5``. ``001A0000006Vm9r`` → ``IAC``.
    """
    out = []
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(id15[start : start + 5]) if "A" <= ch <= "Z")
        out.append(_SF_SUFFIX[bits])
    return "".join(out)


def _restore_case(id18: str) -> str | None:
    """The 15-character id whose case the suffix of ``id18`` encodes (None if impossible)."""
    chars = []
    for k, flag in enumerate(id18[15:].upper()):
        bits = _SF_SUFFIX.find(flag)
        if bits < 0:
            return None
        for i, ch in enumerate(id18[5 * k : 5 * k + 5]):
            upper = bool(bits >> i & 1)
            if upper and not ch.isalpha():
                return None
            chars.append(ch.upper() if upper else ch.lower())
    return "".join(chars)


def sf_id(s: pd.Series, fname: str = "", column: str = "") -> pd.Series:
    """Salesforce ids in their 18-character form, so 15- and 18-character ids of a record meet.

    A 15-character id (case-sensitive) gets its checksum suffix (:func:`sf_checksum`); an
    18-character id keeps its first 15 characters and the suffix is recomputed from them
    (upper case). An 18-character id whose first 15 characters lost their case (a spreadsheet
    lower- or upper-cased it) has the case restored from its suffix, which encodes it. Values
    that are not 15 or 18 letters and digits are kept as they are.

    Raises
    ------
    SourceError
        An 18-character id whose suffix is not the checksum of its first 15 characters in any
        case (a corrupted id), naming ``fname``, ``column`` and the first rows.
    """
    cache: dict[str, str | None] = {}

    def one(v: object) -> object:
        if not isinstance(v, str) or not _SF_ID.fullmatch(v):
            return v
        if v not in cache:
            head = v[:15]
            if len(v) == 15 or v[15:].upper() == sf_checksum(head):
                cache[v] = head + sf_checksum(head)
            else:
                fixed = _restore_case(v)
                ok = fixed is not None and fixed.lower() == head.lower()
                cache[v] = fixed + sf_checksum(fixed) if ok else None
        return cache[v]

    out = s.map(one)
    bad = s.notna() & out.isna()
    if bad.any():
        frame = pd.DataFrame({column or "Id": s})
        raise SourceError(
            f"{fname}, column {column}: {int(bad.sum())} 18-character id(s) whose last 3 "
            f"characters are not the checksum of the first 15 "
            f"({first_rows(frame, bad, column or 'Id')}).",
            fix="export the ids unchanged from Salesforce (15 or 18 characters, case kept)",
        )
    return out.astype("string")
