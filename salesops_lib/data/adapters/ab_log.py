"""One-table A/B test logs (one row per exposure: unit, time, group, converted) → canonical tables.

A web or product test is often exported as a single log, e.g. the Udacity landing-page test::

    user_id,timestamp,group,landing_page,converted
    851104,2017-01-21 22:11:48.556739,control,old_page,0

:func:`load_ab_log` maps it onto the tables the A/B evaluation reads:

- ``leads``: one row per unit (``lead_id`` = the unit id, ``created_at`` = its first exposure);
- ``campaigns``: one row, the test (``campaign_id``, default the file's stem);
- ``campaign_members``: one row per unit and group (``variant`` = the group, ``assigned_at`` =
  the first exposure in that group); a unit seen in two groups keeps both rows, and the
  evaluation leaves it out as assigned to more than one arm;
- ``lead_history``: one ``stage`` event (default ``Converted``) at the exposure time of each unit
  that converted.

Then ``metrics: [{name: Converted, kind: binary, stage: Converted, primary: true}]`` is the
one-binary-metric test (no window: a conversion is recorded with its exposure).

Data-quality findings, in the adapter's summary (``ADAPTER_NOTES.txt``) and notes:

- **group and page disagree**: when a ``check_column`` (default ``landing_page`` when present)
  has one dominant value per group (e.g. control → old_page), rows of a group showing another
  group's value were exposed to the wrong experience; they are dropped and counted;
- **repeated units**: a unit logged more than once in the same group is kept once (its first
  row in file order, the usual clean-up of this data set), and counted;
- conversions that differ between a unit's repeated rows are counted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesops_lib.data.adapters._common import Quality, first_rows, parse_dates, read_table
from salesops_lib.data.adapters.maven_crm import AdapterResult
from salesops_lib.errors import SourceError

__all__ = ["load_ab_log"]

_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n"}


def _find_file(path: Path) -> Path:
    if path.is_file():
        return path
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.name.endswith((".csv", ".csv.gz", ".parquet"))
        )
        if len(files) == 1:
            return files[0]
        raise SourceError(
            f"{path} holds {len(files)} CSV/Parquet files; an A/B log is one table.",
            fix="pass the log file itself, e.g. `salesops import ab-log data/ab_data.csv.gz`",
        )
    raise SourceError(f"{path} does not exist.", fix="pass the path of the A/B test log")


def _read(path: Path, required: list[str], quality: Quality) -> pd.DataFrame:
    if path.name.endswith(".gz"):
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
            raise SourceError(
                f"{path} is not a readable gzip CSV file: {exc}", fix="re-export it as CSV"
            ) from exc
        df.columns = [str(c).strip() for c in df.columns]
        missing = [c for c in required if c not in df.columns]
        if missing:
            raise SourceError(
                f"{path.name} lacks required column(s) {', '.join(missing)} "
                f"(it has: {', '.join(df.columns)}).",
                fix="name the columns with unit=, time=, group=, converted=",
            )
        for col in df.columns:
            df[col] = df[col].str.strip().replace("", pd.NA)
        quality.rows_read[path.name] = len(df)
        return df
    return read_table(path, required, quality)


def load_ab_log(
    path: str | Path,
    *,
    unit: str = "user_id",
    time: str = "timestamp",
    group: str = "group",
    converted: str = "converted",
    check_column: str | None = "landing_page",
    campaign_id: str | None = None,
    stage: str = "Converted",
) -> AdapterResult:
    """Read a one-table A/B test log into the canonical tables.

    Parameters
    ----------
    path
        The log (CSV, gzip CSV or Parquet), or a folder holding exactly one.
    unit, time, group, converted
        Column names: the randomised unit, the exposure time, the arm, and 0/1 (or true/false)
        conversion.
    check_column
        A column that must agree with the group (e.g. ``landing_page``); rows whose value is not
        their group's dominant value are dropped and counted. Ignored when the log has no such
        column; ``None`` turns the check off.
    campaign_id
        Id of the test in ``campaigns`` / ``campaign_members``; default the file name's stem.
    stage
        Status written to ``lead_history`` for a conversion (the metric's ``stage``).

    Returns
    -------
    AdapterResult
        ``leads``, ``campaigns``, ``campaign_members``, ``lead_history``; the notes and quality
        summary count every row dropped and why.

    Raises
    ------
    SourceError
        Missing columns, unreadable times, conversions that are not 0/1, fewer than two groups.
    """
    file = _find_file(Path(path))
    quality = Quality()
    df = _read(file, [unit, time, group, converted], quality)
    fname = file.name
    for col in (unit, time, group, converted):
        bad = df[col].isna()
        if bad.any():
            raise SourceError(
                f"{fname}, column {col}: {int(bad.sum()):,} empty value(s) "
                f"(first at row {int(df.index[bad][0]) + 2}).",
                fix=f"fill or drop the rows without {col}",
            )
    conv = df[converted].str.lower()
    bad = ~conv.isin(_TRUE | _FALSE)
    if bad.any():
        raise SourceError(
            f"{fname}, column {converted}: values other than 0/1 "
            f"({first_rows(df, bad, converted)}).",
            fix="export conversion as 0/1 or true/false",
        )
    df["_conv"] = conv.isin(_TRUE)
    df["_t"] = parse_dates(df, time, fname)
    groups = sorted(df[group].unique())
    if len(groups) < 2:
        raise SourceError(
            f"{fname}, column {group}: one group only ({groups[0]!r}); an A/B test needs two or "
            "more.",
            fix=f"check that `group={group!r}` names the arm column",
        )
    notes: list[str] = []
    n_read = len(df)

    if check_column and check_column in df.columns:
        dominant = df.groupby(group)[check_column].agg(lambda s: s.value_counts().index[0])
        expected = df[group].map(dominant)
        mismatch = df[check_column] != expected
        n_bad = int(mismatch.sum())
        if n_bad:
            pairs = ", ".join(f"{g} → {v}" for g, v in dominant.items())
            what = (
                f"{n_bad:,} of {n_read:,} rows ({n_bad / n_read:.1%}) show a {check_column} that "
                f"is not their group's ({pairs}): these units saw the wrong experience and were "
                "dropped"
            )
            quality.rejected.append(what)
            notes.append(what[0].upper() + what[1:] + ".")
            df = df[~mismatch]
        quality.assumptions.append(
            f"{check_column} checked against the group ({len(dominant)} pairs)"
        )

    dup = df.duplicated([unit, group], keep="first")
    n_dup = int(dup.sum())
    if n_dup:
        changed = df[df.duplicated([unit, group], keep=False)].groupby([unit, group])["_conv"]
        n_conflict = int((changed.nunique() > 1).sum())
        what = (
            (
                f"{n_dup:,} repeated rows of units already logged in the same group were dropped "
                if n_dup > 1
                else "1 repeated row of a unit already logged in the same group was dropped "
            )
            + "(the first row in file order is kept)"
            + (
                f"; {n_conflict:,} of these units have a conversion that differs between rows"
                if n_conflict
                else ""
            )
        )
        quality.rejected.append(what)
        notes.append(what[0].upper() + what[1:] + ".")
        df = df[~dup]
    multi = df.groupby(unit)[group].nunique()
    n_multi = int((multi > 1).sum())
    if n_multi:
        notes.append(
            f"{n_multi:,} units appear in more than one group; the evaluation leaves them out "
            "as assigned to more than one arm."
            if n_multi > 1
            else "1 unit appears in more than one group; the evaluation leaves it out as "
            "assigned to more than one arm."
        )

    test_id = campaign_id or file.name.split(".")[0]
    ids = df[unit].astype(str)
    first_seen = df.assign(_id=ids).groupby("_id", sort=False)["_t"].min()
    leads = pd.DataFrame({"lead_id": first_seen.index.astype(str), "created_at": first_seen.values})
    members = pd.DataFrame(
        {
            "campaign_id": test_id,
            "lead_id": ids.to_numpy(),
            "variant": df[group].to_numpy(),
            "assigned_at": df["_t"].to_numpy(),
        }
    )
    conv_rows = df[df["_conv"].to_numpy()]
    history = pd.DataFrame(
        {
            "lead_id": conv_rows[unit].astype(str).to_numpy(),
            "status": stage,
            "changed_at": conv_rows["_t"].to_numpy(),
        }
    ).drop_duplicates(["lead_id", "status", "changed_at"])
    campaigns = pd.DataFrame(
        {
            "campaign_id": [test_id],
            "name": [test_id],
            "type": ["A/B test"],
            "start_date": [df["_t"].min().date()],
            "end_date": [df["_t"].max().date()],
        }
    )
    quality.mapped[fname] = [
        f"{unit} → lead_id",
        f"{time} → created_at, assigned_at",
        f"{group} → variant",
        f"{converted} → lead_history status {stage!r}",
    ]
    quality.dropped[fname] = [
        c for c in df.columns if c not in (unit, time, group, converted, "_conv", "_t")
    ]
    quality.assumptions.append("times without an offset are taken as UTC")
    quality.assumptions.append(
        f"a conversion is recorded at its exposure time (lead_history status {stage!r})"
    )
    return AdapterResult(
        tables={
            "leads": leads,
            "campaigns": campaigns,
            "campaign_members": members,
            "lead_history": history,
        },
        notes=notes,
        as_of=df["_t"].max(),
        quality=quality,
    )
