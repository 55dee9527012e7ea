"""Adapter for HubSpot CRM exports (deals, contacts, owners, engagements).

Take the exports from **CRM → Deals / Contacts → Export** (all properties, CSV, internal
property names as column headers, or the UI headers listed below), the owners from
**Settings → Users & Teams** (or ``GET /crm/v3/owners``) and engagements from
**Reports → Activities export** (or the engagements API). Files in the folder:

=====================  ===================  =================================================
file                   canonical table      columns read
=====================  ===================  =================================================
deals.csv              opportunities,       hs_object_id, dealstage, pipeline, amount,
                       opportunity_history  closedate, createdate, hubspot_owner_id, and per
                                            stage ``hs_date_entered_<stage id>`` or
                                            ``Date entered "<stage label> (<pipeline>)"``
contacts.csv           leads, lead_history  hs_object_id, createdate, lifecyclestage,
                                            hubspot_owner_id, hs_analytics_source, and
                                            ``hs_lifecyclestage_<stage>_date`` or
                                            ``Became a <Stage> date``
owners.csv             reps                 id, firstName, lastName, teams (optional)
engagements.csv        activities           id, type (CALL / EMAIL / MEETING / ...),
                                            timestamp, ownerId, contactId, dealId,
                                            durationMilliseconds
goals.csv              quotas               goal targets: hubspot_owner_id,
                                            hs_start_datetime, hs_end_datetime,
                                            hs_target_amount, hs_goal_name (one goal)
quotas.csv             quotas               owner_id, period_start, period_end, amount
                                            (when the goals are kept elsewhere)
pipeline_stages.csv    (stage labels)       stage_id, label, is_closed, is_won
=====================  ===================  =================================================

Only ``deals.csv`` or ``contacts.csv`` is required. Quotas come from the revenue goal's targets
(**Reports → Goals**, or ``GET /crm/v3/objects/goal_targets`` with the properties above; one row
per owner and period) or from a plain ``quotas.csv``. Amounts are in the portal's currency;
deals in several ``deal_currency_code`` values need ``amount_in_home_currency`` (exported as
"Amount in company currency"). Stage internal ids (``appointmentscheduled``,
``closedwon``, or numeric ids of custom pipelines) are mapped to labels through
``pipeline_stages.csv`` (or the file passed as ``stages``); without it the default Sales
Pipeline's ids are known and any other id is an error. Numbers and booleans may be strings;
dates may be epoch milliseconds or ISO 8601 (taken as UTC).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

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
from salesops_lib.errors import SourceError

__all__ = ["load_hubspot"]

#: HubSpot's default Sales Pipeline: internal id -> (label, is_closed, is_won).
DEFAULT_STAGES = {
    "appointmentscheduled": ("Appointment Scheduled", False, False),
    "qualifiedtobuy": ("Qualified To Buy", False, False),
    "presentationscheduled": ("Presentation Scheduled", False, False),
    "decisionmakerboughtin": ("Decision Maker Bought-In", False, False),
    "contractsent": ("Contract Sent", False, False),
    "closedwon": ("Closed Won", True, True),
    "closedlost": ("Closed Lost", True, False),
}
#: Lifecycle stages: internal id -> label used in ``lead_history.status``.
LIFECYCLE = {
    "subscriber": "Subscriber",
    "lead": "Lead",
    "marketingqualifiedlead": "MQL",
    "salesqualifiedlead": "SQL",
    "opportunity": "Opportunity",
    "customer": "Customer",
    "evangelist": "Evangelist",
    "other": "Other",
}
_LIFECYCLE_BY_LABEL = {
    "subscriber": "subscriber",
    "lead": "lead",
    "marketing qualified lead": "marketingqualifiedlead",
    "sales qualified lead": "salesqualifiedlead",
    "opportunity": "opportunity",
    "customer": "customer",
    "evangelist": "evangelist",
    "other": "other",
}
_ENGAGEMENT = {"CALL": "call", "EMAIL": "email", "INCOMING_EMAIL": "email", "MEETING": "meeting"}


def _col(df: pd.DataFrame, *names: str) -> pd.Series:
    for n in names:
        if n in df.columns:
            return df[n]
    return pd.Series(pd.NA, index=df.index, dtype="string")


def _first(df: pd.DataFrame, *names: str) -> str | None:
    return next((n for n in names if n in df.columns), None)


def _stages(path: Path | None, q: Quality) -> dict[str, tuple[str, bool, bool]]:
    if path is None:
        q.assumptions.append("deal stages: HubSpot's default Sales Pipeline ids")
        return dict(DEFAULT_STAGES)
    df = read_table(path, ["stage_id", "label", "is_closed", "is_won"], q)
    closed = parse_bool(df, "is_closed", path.name)
    won = parse_bool(df, "is_won", path.name)
    q.assumptions.append(f"deal stages mapped through {path.name}")
    return {
        s: (lab, bool(c), bool(w))
        for s, lab, c, w in zip(df["stage_id"], df["label"], closed, won, strict=True)
    }


def load_hubspot(
    folder: str | Path, *, stages: str | Path | None = None, quota_goal: str | None = None
) -> AdapterResult:
    """Map HubSpot CRM exports onto the canonical tables.

    Parameters
    ----------
    folder
        Folder holding ``deals.csv`` and/or ``contacts.csv`` (+ optional ``owners.csv``,
        ``engagements.csv``, ``pipeline_stages.csv``); see the module docstring.
    stages
        A pipeline-stages CSV (``stage_id,label,is_closed,is_won``); default
        ``<folder>/pipeline_stages.csv`` when present, else the default Sales Pipeline.
    quota_goal
        The ``hs_goal_name`` of the revenue goal whose targets are the quotas, when
        ``goals.csv`` holds several goals (calls made, meetings booked, ...).

    Returns
    -------
    AdapterResult
        Canonical tables, notes, suggested as-of and the data-quality summary.

    Raises
    ------
    SourceError
        A file that is not a CSV, missing files or columns, an unknown stage id, mixed date
        formats, deals in several currencies without ``amount_in_home_currency``, duplicated
        ids (naming the file, the column and the first rows).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(
            f"The HubSpot export folder {folder} does not exist.",
            fix="pass the folder holding deals.csv and/or contacts.csv",
        )
    q = Quality()
    q.assumptions.append("dates are UTC (epoch milliseconds or ISO 8601)")
    names = ("deals", "contacts", "owners", "engagements", "goals", "quotas")
    have = {n: folder / f"{n}.csv" for n in names}
    have = {n: p for n, p in have.items() if p.is_file()}
    if "deals" not in have and "contacts" not in have:
        raise SourceError(
            f"The HubSpot export {folder} has neither deals.csv nor contacts.csv "
            f"(it has: {', '.join(sorted(p.name for p in folder.iterdir())) or 'nothing'}).",
            fix="export Deals and/or Contacts with all properties as CSV",
        )
    if stages and not Path(stages).is_file():  # not the default pipeline in its place
        raise SourceError(
            f"The pipeline-stages file {Path(stages).as_posix()} does not exist.",
            fix="Pass the CSV of your deal stages (stage_id,label,is_closed,is_won; Settings → "
            "Objects → Deals → Pipelines, or GET /crm/v3/pipelines/deals), or leave it out for "
            "HubSpot's default Sales Pipeline",
        )
    stage_file = Path(stages) if stages else folder / "pipeline_stages.csv"
    stage_map = _stages(stage_file if stage_file.is_file() else None, q)
    tables: dict[str, pd.DataFrame] = {}
    if "deals" in have:
        tables.update(_deals(have["deals"], stage_map, q))
    if "contacts" in have:
        tables.update(_contacts(have["contacts"], q))
    if "owners" in have:
        df = read_table(have["owners"], ["id"], q)
        check_unique(df, "id", "owners.csv")
        name = (
            _col(df, "firstName").fillna("") + " " + _col(df, "lastName").fillna("")
        ).str.strip()
        tables["reps"] = pd.DataFrame(
            {"rep_id": df["id"], "name": name.replace("", pd.NA), "team": _col(df, "teams")}
        )
        q.mapped["owners"] = [c for c in ("id", "firstName", "lastName", "teams") if c in df]
    if "engagements" in have:
        df = read_table(have["engagements"], ["id", "type", "timestamp", "ownerId"], q)
        check_unique(df, "id", "engagements.csv")
        kind = df["type"].str.upper().map(_ENGAGEMENT)
        other = kind.isna()
        if other.any():
            q.rejected.append(
                f"engagements.csv: {int(other.sum())} notes/tasks (not calls, emails or "
                f"meetings) left out ({first_rows(df, other, 'type')})"
            )
        df = df.loc[~other]
        tables["activities"] = pd.DataFrame(
            {
                "activity_id": df["id"],
                "owner_id": df["ownerId"],
                "type": kind[~other],
                "occurred_at": parse_dates(df, "timestamp", "engagements.csv"),
                "lead_id": _col(df, "contactId"),
                "opportunity_id": _col(df, "dealId"),
                "duration_s": pd.to_numeric(_col(df, "durationMilliseconds"), errors="coerce")
                / 1000,
            }
        ).reset_index(drop=True)
        q.mapped["engagements"] = [
            c
            for c in (
                "id",
                "type",
                "timestamp",
                "ownerId",
                "contactId",
                "dealId",
                "durationMilliseconds",
            )
            if c in df.columns
        ]
    if "goals" in have and "quotas" in have:
        raise SourceError(
            f"The HubSpot export {folder} has both goals.csv and quotas.csv.",
            fix="keep one source of quotas (goals.csv from HubSpot goals, or quotas.csv)",
        )
    if "goals" in have:
        tables["quotas"] = _goals(have["goals"], q, quota_goal)
    elif "quotas" in have:
        df = read_table(have["quotas"], ["owner_id", "period_start", "period_end", "amount"], q)
        tables["quotas"] = pd.DataFrame(
            {
                "rep_id": df["owner_id"],
                "period_start": parse_dates(df, "period_start", "quotas.csv").dt.date,
                "period_end": parse_dates(df, "period_end", "quotas.csv").dt.date,
                "amount": parse_number(df, "amount", "quotas.csv"),
            }
        )
        q.mapped["quotas"] = ["owner_id", "period_start", "period_end", "amount"]
    stamps = [
        t[c]
        for t in tables.values()
        for c in t.columns
        if c.endswith("_at") and pd.api.types.is_datetime64_any_dtype(t[c])
    ]
    as_of = pd.concat(stamps).max() if stamps else None
    return AdapterResult(tables=tables, notes=[], as_of=as_of, quality=q)


def _require(df: pd.DataFrame, fname: str, found: dict[str, str | None]) -> None:
    """Raise naming the properties (internal names) for which no column was found."""
    missing = [k for k, v in found.items() if v is None]
    if missing:
        raise SourceError(
            f"{fname} lacks required column(s) {', '.join(missing)} "
            f"(it has: {', '.join(df.columns)}).",
            fix="export with the internal property names (or the default UI headers: "
            "Record ID, Deal Stage, Create Date)",
        )


_ENTERED = re.compile(r"^(?:hs_date_entered_(?P<id>.+)|Date entered \"?(?P<label>.+?)\"?)$")


def _deals(path: Path, stage_map: dict, q: Quality) -> dict[str, pd.DataFrame]:
    fname = path.name
    df = read_table(path, [], q)
    idc = _first(df, "hs_object_id", "Record ID", "Deal ID")
    stc = _first(df, "dealstage", "Deal Stage")
    _require(
        df,
        fname,
        {
            "hs_object_id": idc,
            "dealstage": stc,
            "createdate": _first(df, "createdate", "Create Date"),
        },
    )
    check_unique(df, idc, fname)
    by_label = {v[0]: k for k, v in stage_map.items()}
    stage_id = df[stc].map(lambda s: s if s in stage_map else by_label.get(s, s))
    bad = df[stc].notna() & ~stage_id.isin(list(stage_map))
    if bad.any():
        raise SourceError(
            f"{fname}, column {stc}: unknown stage id(s) "
            f"{', '.join(sorted(df.loc[bad, stc].unique()))} ({first_rows(df, bad, stc)}).",
            fix="add pipeline_stages.csv (stage_id,label,is_closed,is_won) from Settings → "
            "Objects → Deals → Pipelines beside deals.csv, or name it with `salesops import "
            "hubspot ... --mapping FILE.csv` (stages= in Python)",
        )
    info = stage_id.map(stage_map)
    amount_col, currency = _deal_amount(df, fname, q)
    opp = pd.DataFrame(
        {
            "opportunity_id": df[idc],
            "created_at": parse_dates(df, _first(df, "createdate", "Create Date"), fname),
            "owner_id": _col(df, "hubspot_owner_id", "Deal owner"),
            "stage": info.str[0],
            "is_closed": info.str[1].astype(bool),
            "is_won": info.str[2].astype(bool),
            "amount": parse_number(df, amount_col, fname) if amount_col else float("nan"),
            "close_date": parse_dates(df, c, fname).dt.date
            if (c := _first(df, "closedate", "Close Date"))
            else None,
            "segment": _col(df, "pipeline", "Pipeline"),
            "source": _col(df, "hs_analytics_source"),
        }
    )
    if currency:
        opp["currency"] = currency
    if opp["owner_id"].isna().all():
        raise SourceError(
            f"{fname} lacks hubspot_owner_id (or it is empty).",
            fix="export the Deal owner property",
        )
    hist = []
    entered_cols = []
    for col in df.columns:
        m = _ENTERED.match(col)
        if not m:
            continue
        key = m.group("id") or re.sub(r"\s*\([^)]*\)$", "", m.group("label"))
        sid = key if key in stage_map else by_label.get(key)
        if sid is None:
            raise SourceError(
                f"{fname}, column {col}: stage {key!r} is not a known stage id or label.",
                fix="add it to pipeline_stages.csv",
            )
        when = parse_dates(df, col, fname)
        hist.append(
            pd.DataFrame(
                {"opportunity_id": df[idc], "changed_at": when, "stage": stage_map[sid][0]}
            ).dropna(subset=["changed_at"])
        )
        entered_cols.append(col)
    out = {"opportunities": opp}
    if hist:
        out["opportunity_history"] = pd.concat(hist, ignore_index=True).sort_values(
            ["opportunity_id", "changed_at"], ignore_index=True
        )
    used = [
        idc,
        stc,
        "createdate",
        "amount",
        "closedate",
        "hubspot_owner_id",
        "pipeline",
        "hs_analytics_source",
        "deal_currency_code",
        "amount_in_home_currency",
        *entered_cols,
    ]
    q.mapped["deals"] = [c for c in used if c in df.columns]
    q.dropped["deals"] = [c for c in df.columns if c not in used]
    q.assumptions.append("a deal's pipeline is its segment")
    return out


def _deal_amount(df: pd.DataFrame, fname: str, q: Quality) -> tuple[str | None, str | None]:
    """The amount column to read and the one currency code (None when not given)."""
    amount = _first(df, "amount", "Amount")
    code_col = _first(df, "deal_currency_code", "Currency")
    codes = sorted(df[code_col].dropna().unique()) if code_col else []
    if len(codes) <= 1:
        cur = codes[0] if codes else None
        q.assumptions.append(f"amounts in {cur or 'the portal currency (one currency assumed)'}")
        return amount, cur
    home = _first(df, "amount_in_home_currency", "Amount in company currency")
    if home is None:
        minority = df[code_col].notna() & df[code_col].ne(df[code_col].mode().iloc[0])
        raise SourceError(
            f"{fname}, column {code_col}: deals in {', '.join(codes)} and no "
            "amount_in_home_currency column to compare them "
            f"({first_rows(df, minority, code_col)}).",
            fix="export the 'Amount in company currency' property (amount_in_home_currency) "
            "with the deals",
        )
    q.assumptions.append(
        f"deals in {', '.join(codes)}: amounts read from {home} (the portal's company currency)"
    )
    return home, None


def _goals(path: Path, q: Quality, quota_goal: str | None) -> pd.DataFrame:
    """Quotas from HubSpot goal targets: one row per owner and period of the revenue goal."""
    fname = path.name
    cols = ["hubspot_owner_id", "hs_start_datetime", "hs_end_datetime", "hs_target_amount"]
    df = read_table(path, cols, q)
    if "hs_goal_name" in df.columns:
        names = sorted(df["hs_goal_name"].dropna().unique())
        if quota_goal is not None:
            keep = df["hs_goal_name"].eq(quota_goal)
            if not keep.any():
                raise SourceError(
                    f"{fname}, column hs_goal_name: no goal named {quota_goal!r} "
                    f"(goals: {', '.join(names)}).",
                    fix="pass quota_goal= one of the names above",
                )
            df = df.loc[keep]
        elif len(names) > 1:
            raise SourceError(
                f"{fname}, column hs_goal_name: {len(names)} goals ({', '.join(names)}); "
                "which one holds the quotas is not known.",
                fix="keep only the revenue goal's rows in goals.csv, or pass quota_goal=",
            )
    start = parse_dates(df, "hs_start_datetime", fname)
    end = parse_dates(df, "hs_end_datetime", fname)
    # an end at midnight is exclusive (the next period's start): the period ends the day before
    end = end.where(end != end.dt.normalize(), end - pd.Timedelta(days=1))
    bad = start.notna() & end.notna() & (end < start)
    if bad.any():
        raise SourceError(
            f"{fname}, column hs_end_datetime: ends before hs_start_datetime "
            f"({first_rows(df, bad, 'hs_end_datetime')}).",
            fix="re-export the goal targets",
        )
    q.mapped["goals"] = [*cols, *(["hs_goal_name"] if "hs_goal_name" in df.columns else [])]
    q.assumptions.append(
        "quotas: goal targets per owner (hubspot_owner_id); an end at midnight is exclusive"
    )
    return pd.DataFrame(
        {
            "rep_id": df["hubspot_owner_id"],
            "period_start": start.dt.date,
            "period_end": end.dt.date,
            "amount": parse_number(df, "hs_target_amount", fname),
        }
    ).reset_index(drop=True)


_BECAME = re.compile(
    r"^(?:hs_lifecyclestage_(?P<id>[a-z]+)_date|Became an? (?P<label>.+?) date)$", re.IGNORECASE
)


def _contacts(path: Path, q: Quality) -> dict[str, pd.DataFrame]:
    fname = path.name
    df = read_table(path, [], q)
    idc = _first(df, "hs_object_id", "Record ID", "Contact ID")
    cc = _first(df, "createdate", "Create Date")
    _require(df, fname, {"hs_object_id": idc, "createdate": cc})
    check_unique(df, idc, fname)
    stage = _col(df, "lifecyclestage", "Lifecycle Stage").str.lower()
    stage = stage.map(lambda s: _LIFECYCLE_BY_LABEL.get(s, s) if isinstance(s, str) else s)
    bad = stage.notna() & ~stage.isin(list(LIFECYCLE))
    if bad.any():
        col = _first(df, "lifecyclestage", "Lifecycle Stage")
        raise SourceError(
            f"{fname}, column {col}: unknown lifecycle stage(s) ({first_rows(df, bad, col)}).",
            fix=f"use one of {', '.join(LIFECYCLE)}",
        )
    hist, used = [], [idc, cc, "lifecyclestage", "hubspot_owner_id", "hs_analytics_source"]
    converted = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    for col in df.columns:
        m = _BECAME.match(col)
        if not m:
            continue
        key = (m.group("id") or _LIFECYCLE_BY_LABEL.get(m.group("label").lower(), "")).lower()
        if key not in LIFECYCLE:
            raise SourceError(
                f"{fname}, column {col}: unknown lifecycle stage.",
                fix=f"use one of {', '.join(LIFECYCLE)}",
            )
        when = parse_dates(df, col, fname)
        if key == "opportunity":
            converted = when
        hist.append(
            pd.DataFrame({"lead_id": df[idc], "status": LIFECYCLE[key], "changed_at": when}).dropna(
                subset=["changed_at"]
            )
        )
        used.append(col)
    leads = pd.DataFrame(
        {
            "lead_id": df[idc],
            "created_at": parse_dates(df, cc, fname),
            "owner_id": _col(df, "hubspot_owner_id", "Contact owner"),
            "source": _col(df, "hs_analytics_source", "Original Source"),
            "status": stage.map(LIFECYCLE),
            "converted_at": converted,
        }
    )
    q.mapped["contacts"] = [c for c in used if c in df.columns]
    q.dropped["contacts"] = [c for c in df.columns if c not in used]
    q.assumptions.append(
        "a contact is a lead; lifecycle stages become lead_history statuses "
        "(MQL, SQL, Opportunity, Customer, ...)"
    )
    out = {"leads": leads}
    if hist:
        out["lead_history"] = pd.concat(hist, ignore_index=True)
    return out
