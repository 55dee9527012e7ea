"""Adapter for Maven Analytics' "CRM + Sales Opportunities" export.

The export is a folder of CSV files: ``sales_pipeline.csv`` (one row per deal),
``sales_teams.csv`` (agents, managers, regional offices), ``accounts.csv`` and
``products.csv``. :func:`load_maven_crm` maps them onto the canonical ``opportunities``,
``reps`` and ``accounts`` tables and handles the export's known quirks:

- CRLF line ends and stray spaces around values;
- product ``"GTXPro"`` in the pipeline is ``"GTX Pro"`` in the product list;
- sector ``"technolgy"`` is misspelled;
- deals without an account (``account_id`` left empty: it is optional);
- ``Prospecting`` deals have no ``engage_date``, so no creation time: they are dropped by
  default (``prospecting="drop"``) and counted in the notes;
- open deals have no ``close_date`` / ``close_value``; lost deals have ``close_value`` 0,
  which is revenue, not deal size: ``amount`` is the close value of won deals and empty
  otherwise, and the product's list price is kept as ``list_price``;
- accounts' revenue is in millions of USD: ``revenue`` is converted to USD.

There is no quota, lead or activity data in the export.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from salesops_lib.data._duckdb import DUCKDB_WRITE_CONFIG
from salesops_lib.data.adapters._common import Quality
from salesops_lib.data.sources import open_source
from salesops_lib.errors import ParamsError, SourceError

__all__ = ["AdapterResult", "load_maven_crm"]

_FILES = {
    "pipeline": "sales_pipeline.csv",
    "teams": "sales_teams.csv",
    "accounts": "accounts.csv",
    "products": "products.csv",
}
_COLUMNS = {
    "pipeline": [
        "opportunity_id",
        "sales_agent",
        "product",
        "account",
        "deal_stage",
        "engage_date",
        "close_date",
        "close_value",
    ],
    "teams": ["sales_agent", "manager", "regional_office"],
    "accounts": ["account", "sector", "revenue", "employees", "office_location"],
    "products": ["product", "sales_price"],
}
_PRODUCT_FIXES = {"GTXPro": "GTX Pro"}
_SECTOR_FIXES = {"technolgy": "technology"}


@dataclass
class AdapterResult:
    """What an adapter returns.

    Attributes
    ----------
    tables
        Canonical table name → DataFrame (pass to :func:`~salesops_lib.data.open_source`).
    notes
        What the adapter changed or dropped, in sentences (for a report's data-quality
        section).
    as_of
        Suggested as-of time: the latest event in the export, dates included.
    quality
        Data-quality summary (rows read and rejected, fields mapped and dropped, assumptions).
    """

    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    as_of: pd.Timestamp | None = None
    quality: Quality | None = None

    def open(self, *, as_of: Any = None) -> Any:
        """Open the tables as a :class:`~salesops_lib.data.sources.Source`.

        Parameters
        ----------
        as_of
            As-of time; default :attr:`as_of` (the latest date in the export).
        """
        return open_source(self.tables, as_of=as_of if as_of is not None else self.as_of)

    def summary_lines(self) -> list[str]:
        """The data-quality summary (``quality`` when the adapter gives one) and notes."""
        lines = [f"as of (suggested): {self.as_of}"]
        if self.quality is not None:
            lines += self.quality.lines()
        lines += [f"- {n}" for n in self.notes]
        return lines

    def write(self, folder: str | Path) -> Path:
        """Write the canonical tables atomically: a folder of Parquet files or a ``.duckdb`` file.

        Everything is written to a temporary folder (or file) beside the target and renamed
        into place at the end, so a failed run never leaves a half-written output.
        ``ADAPTER_NOTES.txt`` (inside the folder, or ``<file>.summary.txt`` beside a DuckDB
        file) records the data-quality summary and what the adapter changed. Point a report at
        it with ``source: <folder or file>``.

        Parameters
        ----------
        folder
            Output folder, or a path ending in ``.duckdb``.

        Returns
        -------
        Path
            The folder or file.
        """
        out = Path(folder)
        if out.is_dir():
            foreign = [
                p.name
                for p in out.iterdir()
                if not (p.suffix == ".parquet" or p.name == "ADAPTER_NOTES.txt")
            ]
            if foreign:
                raise SourceError(
                    f"--out {out} holds files that are not an earlier import "
                    f"({', '.join(sorted(foreign)[:5])}); it would be replaced.",
                    fix="choose a new or empty output folder",
                )
        out.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(self.summary_lines()) + "\n"
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
        try:
            if out.suffix == ".duckdb":
                con = duckdb.connect(str(tmp), config=DUCKDB_WRITE_CONFIG)
                try:
                    for name, frame in self.tables.items():
                        con.register("_frame", frame)
                        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                        con.unregister("_frame")
                finally:
                    con.close()
                os.replace(tmp, out)
                out.with_name(out.name + ".summary.txt").write_text(text, encoding="utf-8")
                return out
            tmp.mkdir()
            for name, frame in self.tables.items():
                frame.to_parquet(tmp / f"{name}.parquet", index=False)
            (tmp / "ADAPTER_NOTES.txt").write_text(text, encoding="utf-8")
            if out.exists():
                old = out.parent / f".{out.name}.old-{os.getpid()}"
                os.replace(out, old)
                os.replace(tmp, out)
                shutil.rmtree(old)
            else:
                os.replace(tmp, out)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
        return out


def _read(folder: Path, key: str) -> pd.DataFrame:
    path = folder / _FILES[key]
    if not path.is_file():
        raise SourceError(
            f"The Maven CRM folder {folder} has no {_FILES[key]}.",
            fix="pass the folder that holds sales_pipeline.csv, sales_teams.csv, accounts.csv "
            "and products.csv",
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in _COLUMNS[key] if c not in df.columns]
    if missing:
        raise SourceError(
            f"{_FILES[key]} in {folder} lacks column(s) {', '.join(missing)} "
            f"(it has: {', '.join(df.columns)}).",
            fix="use the original Maven Analytics export",
        )
    for col in df.columns:
        df[col] = df[col].str.strip().replace("", pd.NA)
    return df


def load_maven_crm(
    folder: str | Path, *, prospecting: Literal["drop", "keep"] = "drop"
) -> AdapterResult:
    """Map a Maven Analytics "CRM + Sales Opportunities" export onto the canonical tables.

    Parameters
    ----------
    folder
        Folder holding ``sales_pipeline.csv``, ``sales_teams.csv``, ``accounts.csv`` and
        ``products.csv``.
    prospecting
        ``"drop"`` (default): leave out ``Prospecting`` deals, which have no engage date and
        so no creation time. ``"keep"``: keep them with an empty ``created_at`` (the canonical
        validation will then reject ``opportunities``; only for inspecting the data).

    Returns
    -------
    AdapterResult
        ``tables`` holds ``opportunities``, ``reps`` and ``accounts``.

    Raises
    ------
    SourceError
        If the folder or one of its files is missing or lacks columns.
    ParamsError
        If ``prospecting`` is not ``"drop"`` or ``"keep"``.
    """
    if prospecting not in ("drop", "keep"):
        raise ParamsError(
            "prospecting", f"{prospecting!r} is not an option", expected="'drop' or 'keep'"
        )
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(
            f"The Maven CRM folder {folder} does not exist.",
            fix="pass the folder the export was unpacked into",
        )
    pipeline = _read(folder, "pipeline")
    teams = _read(folder, "teams")
    accounts = _read(folder, "accounts")
    products = _read(folder, "products")
    notes: list[str] = []

    fixed = pipeline["product"].isin(list(_PRODUCT_FIXES))
    if fixed.any():
        pipeline["product"] = pipeline["product"].replace(_PRODUCT_FIXES)
        notes.append(
            f"{int(fixed.sum()):,} deals name product 'GTXPro'; renamed to 'GTX Pro' as in "
            "products.csv."
        )
    no_engage = pipeline["engage_date"].isna()
    if prospecting == "drop" and no_engage.any():
        notes.append(
            f"{int(no_engage.sum()):,} deals without engage date (stage "
            f"{', '.join(sorted(pipeline.loc[no_engage, 'deal_stage'].dropna().unique()))}) "
            "were left out: they have no creation time."
        )
        pipeline = pipeline.loc[~no_engage]
    no_account = pipeline["account"].isna()
    if no_account.any():
        notes.append(f"{int(no_account.sum()):,} deals have no account (account_id left empty).")

    stage = pipeline["deal_stage"]
    is_won = stage.eq("Won")
    is_closed = stage.isin(["Won", "Lost"])
    close_value = pd.to_numeric(pipeline["close_value"], errors="coerce")
    price = products.assign(sales_price=pd.to_numeric(products["sales_price"], errors="coerce"))
    list_price = (
        pipeline["product"].map(price.set_index("product")["sales_price"]).astype("float64")
    )
    office = pipeline["sales_agent"].map(teams.set_index("sales_agent")["regional_office"])
    opportunities = pd.DataFrame(
        {
            "opportunity_id": pipeline["opportunity_id"],
            "created_at": pd.to_datetime(pipeline["engage_date"], format="%Y-%m-%d"),
            "owner_id": pipeline["sales_agent"],
            "stage": stage,
            "is_closed": is_closed,
            "is_won": is_won,
            "amount": close_value.where(is_won),
            "close_date": pd.to_datetime(pipeline["close_date"], format="%Y-%m-%d").dt.date,
            "account_id": pipeline["account"],
            "product": pipeline["product"],
            "region": office,
            "currency": "USD",
            "list_price": list_price,
        }
    ).reset_index(drop=True)
    opportunities["close_date"] = opportunities["close_date"].where(
        opportunities["close_date"].notna(), None
    )
    notes.append(
        "amount is the close value of won deals; lost deals (close value 0) and open deals "
        "have no amount; list_price holds the product's list price."
    )

    reps = pd.DataFrame(
        {
            "rep_id": teams["sales_agent"],
            "name": teams["sales_agent"],
            "team": teams["manager"],
            "manager": teams["manager"],
            "region": teams["regional_office"],
        }
    )
    idle = sorted(set(teams["sales_agent"]) - set(pipeline["sales_agent"]))
    if idle:
        notes.append(f"{len(idle)} agents have no deals: {', '.join(idle)}.")

    sector = accounts["sector"].replace(_SECTOR_FIXES)
    if (sector != accounts["sector"]).any():
        notes.append("sector 'technolgy' corrected to 'technology'.")
    accounts_out = pd.DataFrame(
        {
            "account_id": accounts["account"],
            "name": accounts["account"],
            "industry": sector,
            "employees": pd.to_numeric(accounts["employees"], errors="coerce").astype("Int64"),
            "revenue": pd.to_numeric(accounts["revenue"], errors="coerce") * 1_000_000,
            "region": accounts["office_location"],
            "year_established": pd.to_numeric(
                accounts.get("year_established"), errors="coerce"
            ).astype("Int64"),
            "subsidiary_of": accounts.get("subsidiary_of"),
        }
    )

    dates = pd.concat(
        [
            pd.to_datetime(pipeline["engage_date"], format="%Y-%m-%d"),
            pd.to_datetime(pipeline["close_date"], format="%Y-%m-%d"),
        ]
    ).dropna()
    as_of = pd.Timestamp(dates.max()) if not dates.empty else None
    return AdapterResult(
        tables={"opportunities": opportunities, "reps": reps, "accounts": accounts_out},
        notes=notes,
        as_of=as_of,
    )
