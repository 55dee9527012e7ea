"""Adapter for a Salesforce export: a folder of CSV files named after objects, API field names.

Take the export from **Setup → Data Export** (weekly export, one ``<Object>.csv`` per object)
or from **Data Loader** ("Export" of each object, all fields). Objects read (``.csv`` or
``.parquet``; missing optional objects are fine, at least ``Lead`` or ``Opportunity`` must be
there):

========================  ============================  ==============================
object                    canonical table               fields read
========================  ============================  ==============================
Lead                      leads                         Id, CreatedDate, OwnerId, LeadSource,
                                                        Status, ConvertedDate,
                                                        ConvertedOpportunityId,
                                                        ConvertedAccountId, Country, State
LeadHistory               lead_history (Field=Status)   LeadId, Field, NewValue, CreatedDate
Opportunity               opportunities                 Id, CreatedDate, OwnerId, StageName,
                                                        IsClosed, IsWon, Amount, CloseDate,
                                                        AccountId, LeadSource, Type,
                                                        ForecastCategoryName, CampaignId,
                                                        CurrencyIsoCode
OpportunityHistory        opportunity_history           OpportunityId, StageName, Amount,
                                                        CloseDate, CreatedDate
Task, Event               activities                    Id, OwnerId, ActivityDate, TaskSubtype
                                                        / Type, WhoId, WhatId,
                                                        CallDurationInSeconds /
                                                        DurationInMinutes, StartDateTime
User                      reps                          Id, Name, UserRoleId, Department,
                                                        Division, CreatedDate
ForecastingQuota          quotas                        QuotaOwnerId, StartDate, QuotaAmount
Account                   accounts                      Id, Name, Industry, NumberOfEmployees,
                                                        AnnualRevenue, BillingCountry
Campaign                  campaigns                     Id, Name, Type, StartDate, EndDate,
                                                        ActualCost
CampaignMember            campaign_members              CampaignId, LeadId / ContactId,
                                                        Status, CreatedDate
OpportunityStage          (stage check only)            MasterLabel
========================  ============================  ==============================

Ids: Salesforce gives a record a 15-character case-sensitive id and an 18-character
case-insensitive one (the 15 plus a 3-character checksum of their case). Both name the same
record, so every id and lookup field is **brought to its 18-character form**: a 15-character id
gets its checksum (Salesforce's ``CASESAFEID``), an 18-character id keeps its first 15
characters (with their case restored from the suffix if a spreadsheet lost it). Joins between
objects exported in either form then hold; an 18-character id whose suffix does not match is an
error.

Dates: the API / weekly export format (``2024-01-15T10:00:00.000+0000``), ``Z`` suffixes,
Data Loader's ``2024-01-15 10:00:00`` (UTC) and plain dates; aware times are converted to UTC.
One column must use one format (mixed formats are an error).
"""

from __future__ import annotations

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
    sf_id,
)
from salesops_lib.data.adapters.maven_crm import AdapterResult
from salesops_lib.errors import ParamsError, SourceError

__all__ = ["load_salesforce"]

_REQUIRED = {
    "Lead": ["Id", "CreatedDate"],
    "LeadHistory": ["LeadId", "Field", "NewValue", "CreatedDate"],
    "Opportunity": ["Id", "CreatedDate", "OwnerId", "StageName", "IsClosed", "IsWon"],
    "OpportunityHistory": ["OpportunityId", "StageName", "CreatedDate"],
    "Task": ["Id", "OwnerId", "ActivityDate"],
    "Event": ["Id", "OwnerId"],
    "User": ["Id"],
    "ForecastingQuota": ["QuotaOwnerId", "StartDate", "QuotaAmount"],
    "Account": ["Id"],
    "Campaign": ["Id"],
    "CampaignMember": ["CampaignId", "Status"],
    "OpportunityStage": ["MasterLabel"],
}
#: Id and lookup fields of each object, brought to their 18-character form on reading.
_ID_FIELDS = {
    "Lead": ["Id", "OwnerId", "ConvertedOpportunityId", "ConvertedAccountId"],
    "LeadHistory": ["LeadId"],
    "Opportunity": ["Id", "OwnerId", "AccountId", "CampaignId"],
    "OpportunityHistory": ["OpportunityId"],
    "Task": ["Id", "OwnerId", "WhoId", "WhatId"],
    "Event": ["Id", "OwnerId", "WhoId", "WhatId"],
    "User": ["Id", "UserRoleId"],
    "ForecastingQuota": ["QuotaOwnerId"],
    "Account": ["Id"],
    "Campaign": ["Id"],
    "CampaignMember": ["CampaignId", "LeadId", "ContactId"],
}
_PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _find(folder: Path, obj: str) -> Path | None:
    for suffix in (".csv", ".parquet"):
        path = folder / f"{obj}{suffix}"
        if path.is_file():
            return path
    return None


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")


def _ids(df: pd.DataFrame, name: str) -> pd.Series:
    return _col(df, name)  # already in the 18-character form (load_salesforce reads them so)


def _dropped(df: pd.DataFrame, used: list[str]) -> list[str]:
    return [c for c in df.columns if c not in used]


def load_salesforce(
    folder: str | Path,
    *,
    currency_rates: dict[str, float] | None = None,
    quota_period: str = "quarter",
) -> AdapterResult:
    """Map a Salesforce object export (one CSV per object) onto the canonical tables.

    Parameters
    ----------
    folder
        Folder holding ``Lead.csv``, ``Opportunity.csv``, ... (see the module docstring).
    currency_rates
        Conversion rates to one currency, ``{"EUR": 1.08, "USD": 1.0}`` (amount × rate).
        Needed when ``Opportunity.CurrencyIsoCode`` holds more than one currency.
    quota_period
        Length of a ``ForecastingQuota`` period starting at ``StartDate``: ``"month"``,
        ``"quarter"`` (default) or ``"year"`` (Setup → Forecasts Settings shows yours).

    Returns
    -------
    AdapterResult
        Canonical tables, notes, suggested as-of and the data-quality summary.

    Raises
    ------
    SourceError
        A file that is not a CSV, a missing object or column, an unknown stage, mixed date
        formats, a currency mix without rates, duplicated ids (naming file, column, rows).
    """
    if quota_period not in _PERIOD_MONTHS:
        raise ParamsError(
            "quota_period",
            f"{quota_period!r} is not an option",
            expected="'month', 'quarter' or 'year'",
        )
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(
            f"The Salesforce export folder {folder} does not exist.",
            fix="pass the folder holding Opportunity.csv, Lead.csv, ...",
        )
    q = Quality()
    raw: dict[str, pd.DataFrame] = {}
    for obj, required in _REQUIRED.items():
        path = _find(folder, obj)
        if path is not None:
            df = read_table(path, required, q)
            for col in _ID_FIELDS.get(obj, []):
                if col in df.columns:
                    df[col] = sf_id(df[col], path.name, col)
            raw[obj] = df
    if "Lead" not in raw and "Opportunity" not in raw:
        raise SourceError(
            f"The Salesforce export {folder} has neither Lead.csv nor Opportunity.csv "
            f"(it has: {', '.join(sorted(p.name for p in folder.iterdir())) or 'nothing'}).",
            fix="export the Lead and/or Opportunity objects with API field names",
        )
    tables: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    q.assumptions.append(
        "ids in their 18-character form (15-character ids given their checksum suffix)"
    )
    q.assumptions.append("times are UTC (aware times converted, naive times taken as UTC)")

    if "Lead" in raw:
        df = raw["Lead"]
        check_unique(df, "Id", "Lead.csv")
        region = _col(df, "State").fillna(_col(df, "Country"))
        used = [
            "Id",
            "CreatedDate",
            "OwnerId",
            "LeadSource",
            "Status",
            "ConvertedDate",
            "ConvertedOpportunityId",
            "ConvertedAccountId",
            "State",
            "Country",
        ]
        tables["leads"] = pd.DataFrame(
            {
                "lead_id": df["Id"],
                "created_at": parse_dates(df, "CreatedDate", "Lead.csv"),
                "owner_id": _ids(df, "OwnerId"),
                "source": _col(df, "LeadSource"),
                "region": region,
                "status": _col(df, "Status"),
                "converted_at": parse_dates(df, "ConvertedDate", "Lead.csv"),
                "opportunity_id": _ids(df, "ConvertedOpportunityId"),
                "account_id": _ids(df, "ConvertedAccountId"),
            }
        )
        q.mapped["Lead"] = [c for c in used if c in df.columns]
        q.dropped["Lead"] = _dropped(df, used)
    if "LeadHistory" in raw:
        df = raw["LeadHistory"]
        keep = df["Field"].eq("Status")
        if (~keep).any():
            q.rejected.append(
                f"LeadHistory: {int((~keep).sum())} rows with Field other than Status "
                "(not status changes) left out"
            )
        df = df.loc[keep]
        tables["lead_history"] = pd.DataFrame(
            {
                "lead_id": df["LeadId"],
                "status": df["NewValue"],
                "changed_at": parse_dates(df, "CreatedDate", "LeadHistory.csv"),
            }
        ).reset_index(drop=True)
        q.mapped["LeadHistory"] = ["LeadId", "NewValue", "CreatedDate"]
        q.dropped["LeadHistory"] = _dropped(df, ["LeadId", "NewValue", "CreatedDate", "Field"])

    stages_known = None
    if "OpportunityStage" in raw:
        stages_known = set(raw["OpportunityStage"]["MasterLabel"].dropna())
    if "Opportunity" in raw:
        df = raw["Opportunity"]
        check_unique(df, "Id", "Opportunity.csv")
        if stages_known is not None:
            _check_stages(df, "StageName", "Opportunity.csv", stages_known)
        amount = parse_number(df, "Amount", "Opportunity.csv") if "Amount" in df else None
        currency = _col(df, "CurrencyIsoCode")
        codes = sorted(currency.dropna().unique())
        if amount is not None and len(codes) > 1:
            missing = [c for c in codes if c not in (currency_rates or {})]
            if missing:
                mask = currency.notna() & currency.ne(currency.mode().iloc[0])  # minority rows
                raise SourceError(
                    f"Opportunity.csv, column CurrencyIsoCode: amounts in {', '.join(codes)} "
                    f"without conversion rates for {', '.join(missing)} "
                    "("
                    + first_rows(df, mask if mask.any() else currency.notna(), "CurrencyIsoCode")
                    + ").",
                    fix="give a rate for each currency (amount × rate): `salesops import "
                    "salesforce ... --currency-rate EUR=1.08 --currency-rate USD=1` "
                    "(in Python, currency_rates={'EUR': 1.08, 'USD': 1.0}), or export "
                    "converted amounts",
                )
            amount = amount * currency.map(currency_rates).astype("float64")
            q.assumptions.append(f"amounts converted with rates {currency_rates}")
        target = [c for c, r in (currency_rates or {}).items() if float(r) == 1.0]
        out_cur = codes[0] if len(codes) == 1 else None
        if len(codes) > 1:  # converted: into the currency whose rate is 1, when there is one
            out_cur = target[0] if len(target) == 1 else "converted"
        if len(codes) <= 1:
            q.assumptions.append(f"currency: {out_cur or 'not given (one currency assumed)'}")
        used = [
            "Id",
            "CreatedDate",
            "OwnerId",
            "StageName",
            "IsClosed",
            "IsWon",
            "Amount",
            "CloseDate",
            "AccountId",
            "LeadSource",
            "Type",
            "ForecastCategoryName",
            "CampaignId",
            "CurrencyIsoCode",
        ]
        opp = pd.DataFrame(
            {
                "opportunity_id": df["Id"],
                "created_at": parse_dates(df, "CreatedDate", "Opportunity.csv"),
                "owner_id": _ids(df, "OwnerId"),
                "stage": df["StageName"],
                "is_closed": parse_bool(df, "IsClosed", "Opportunity.csv"),
                "is_won": parse_bool(df, "IsWon", "Opportunity.csv"),
                "amount": amount if amount is not None else pd.Series(float("nan"), index=df.index),
                "close_date": parse_dates(df, "CloseDate", "Opportunity.csv").dt.date,
                "account_id": _ids(df, "AccountId"),
                "source": _col(df, "LeadSource"),
                "segment": _col(df, "Type"),
                "campaign_id": _ids(df, "CampaignId"),
                "forecast_category": _col(df, "ForecastCategoryName"),
            }
        )
        if out_cur and out_cur != "converted":
            opp["currency"] = out_cur
        if "leads" in tables:
            conv = tables["leads"].dropna(subset=["opportunity_id"])
            opp["lead_id"] = opp["opportunity_id"].map(
                conv.drop_duplicates("opportunity_id").set_index("opportunity_id")["lead_id"]
            )
        tables["opportunities"] = opp
        q.mapped["Opportunity"] = [c for c in used if c in df.columns]
        q.dropped["Opportunity"] = _dropped(df, used)
    if "OpportunityHistory" in raw:
        df = raw["OpportunityHistory"]
        if stages_known is not None:
            _check_stages(df, "StageName", "OpportunityHistory.csv", stages_known)
        tables["opportunity_history"] = pd.DataFrame(
            {
                "opportunity_id": df["OpportunityId"],
                "changed_at": parse_dates(df, "CreatedDate", "OpportunityHistory.csv"),
                "stage": df["StageName"],
                "amount": parse_number(df, "Amount", "OpportunityHistory.csv")
                if "Amount" in df
                else float("nan"),
                "close_date": parse_dates(df, "CloseDate", "OpportunityHistory.csv").dt.date,
            }
        )
        used = ["OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate"]
        q.mapped["OpportunityHistory"] = [c for c in used if c in df.columns]
        q.dropped["OpportunityHistory"] = _dropped(df, used)

    acts = [_activities(raw[o], o, q) for o in ("Task", "Event") if o in raw]
    if acts:
        act = pd.concat(acts, ignore_index=True)
        check_unique(act, "activity_id", "Task.csv/Event.csv")
        tables["activities"] = act

    if "User" in raw:
        df = raw["User"]
        check_unique(df, "Id", "User.csv")
        tables["reps"] = pd.DataFrame(
            {
                "rep_id": df["Id"],
                "name": _col(df, "Name"),
                "team": _col(df, "Department"),
                "region": _col(df, "Division"),
                "role": _col(df, "UserRoleId"),
                "hired_at": parse_dates(df, "CreatedDate", "User.csv").dt.date,
            }
        )
        used = ["Id", "Name", "Department", "Division", "UserRoleId", "CreatedDate"]
        q.mapped["User"] = [c for c in used if c in df.columns]
        q.dropped["User"] = _dropped(df, used)
        q.assumptions.append("a user's hire date is the user's CreatedDate")
    if "ForecastingQuota" in raw:
        df = raw["ForecastingQuota"]
        start = parse_dates(df, "StartDate", "ForecastingQuota.csv")
        months = _PERIOD_MONTHS[quota_period]
        end = start + pd.DateOffset(months=months) - pd.Timedelta(days=1)
        tables["quotas"] = pd.DataFrame(
            {
                "rep_id": df["QuotaOwnerId"],
                "period_start": start.dt.date,
                "period_end": end.dt.date,
                "amount": parse_number(df, "QuotaAmount", "ForecastingQuota.csv"),
            }
        )
        q.mapped["ForecastingQuota"] = ["QuotaOwnerId", "StartDate", "QuotaAmount"]
        q.dropped["ForecastingQuota"] = _dropped(df, ["QuotaOwnerId", "StartDate", "QuotaAmount"])
        q.assumptions.append(f"a ForecastingQuota period is one {quota_period} from StartDate")
    if "Account" in raw:
        df = raw["Account"]
        check_unique(df, "Id", "Account.csv")
        tables["accounts"] = pd.DataFrame(
            {
                "account_id": df["Id"],
                "name": _col(df, "Name"),
                "industry": _col(df, "Industry"),
                "employees": pd.to_numeric(_col(df, "NumberOfEmployees"), errors="coerce"),
                "revenue": pd.to_numeric(_col(df, "AnnualRevenue"), errors="coerce"),
                "region": _col(df, "BillingCountry"),
            }
        )
        used = ["Id", "Name", "Industry", "NumberOfEmployees", "AnnualRevenue", "BillingCountry"]
        q.mapped["Account"] = [c for c in used if c in df.columns]
        q.dropped["Account"] = _dropped(df, used)
    if "Campaign" in raw:
        df = raw["Campaign"]
        check_unique(df, "Id", "Campaign.csv")
        tables["campaigns"] = pd.DataFrame(
            {
                "campaign_id": df["Id"],
                "name": _col(df, "Name"),
                "type": _col(df, "Type"),
                "start_date": parse_dates(df, "StartDate", "Campaign.csv").dt.date,
                "end_date": parse_dates(df, "EndDate", "Campaign.csv").dt.date,
                "cost": pd.to_numeric(_col(df, "ActualCost"), errors="coerce"),
            }
        )
        q.mapped["Campaign"] = [
            c
            for c in ["Id", "Name", "Type", "StartDate", "EndDate", "ActualCost"]
            if c in df.columns
        ]
    if "CampaignMember" in raw:
        df = raw["CampaignMember"]
        who = _ids(df, "LeadId").fillna(_ids(df, "ContactId"))
        tables["campaign_members"] = pd.DataFrame(
            {
                "campaign_id": df["CampaignId"],
                "lead_id": who,
                "variant": df["Status"],
                "assigned_at": parse_dates(df, "CreatedDate", "CampaignMember.csv"),
            }
        )
        q.mapped["CampaignMember"] = [
            c
            for c in ["CampaignId", "LeadId", "ContactId", "Status", "CreatedDate"]
            if c in df.columns
        ]
        q.assumptions.append("a campaign member's variant is its member Status")

    stamps = [
        t[c]
        for t in tables.values()
        for c in t.columns
        if c.endswith("_at") and pd.api.types.is_datetime64_any_dtype(t[c])
    ]
    as_of = pd.concat(stamps).max() if stamps else None
    return AdapterResult(tables=tables, notes=notes, as_of=as_of, quality=q)


def _check_stages(df: pd.DataFrame, column: str, fname: str, known: set[str]) -> None:
    bad = df[column].notna() & ~df[column].isin(known)
    if bad.any():
        raise SourceError(
            f"{fname}, column {column}: unknown stage(s) "
            f"{', '.join(sorted(df.loc[bad, column].unique()))} not in OpportunityStage.csv "
            f"({first_rows(df, bad, column)}).",
            fix="export OpportunityStage with every stage, or correct the stage names",
        )


def _activities(df: pd.DataFrame, obj: str, q: Quality) -> pd.DataFrame:
    fname = f"{obj}.csv"
    if obj == "Task":
        sub = _col(df, "TaskSubtype").fillna(_col(df, "Type")).str.lower()
        kind = sub.map({"call": "call", "email": "email", "listemail": "email"}).fillna("other")
        when = parse_dates(df, "ActivityDate", fname)
        dur = pd.to_numeric(_col(df, "CallDurationInSeconds"), errors="coerce")
        used = [
            "Id",
            "OwnerId",
            "ActivityDate",
            "TaskSubtype",
            "Type",
            "WhoId",
            "WhatId",
            "CallDurationInSeconds",
        ]
    else:
        kind = pd.Series("meeting", index=df.index)
        col = "StartDateTime" if "StartDateTime" in df.columns else "ActivityDate"
        if col not in df.columns:
            raise SourceError(
                "Event.csv lacks both StartDateTime and ActivityDate.",
                fix="include StartDateTime in the Event export",
            )
        when = parse_dates(df, col, fname)
        dur = pd.to_numeric(_col(df, "DurationInMinutes"), errors="coerce") * 60
        used = [
            "Id",
            "OwnerId",
            "StartDateTime",
            "ActivityDate",
            "WhoId",
            "WhatId",
            "DurationInMinutes",
        ]
    who, what = _ids(df, "WhoId"), _ids(df, "WhatId")
    q.mapped[obj] = [c for c in used if c in df.columns]
    q.dropped[obj] = _dropped(df, used)
    if obj == "Task":
        q.assumptions.append(
            "a task's time is its ActivityDate (midnight UTC); TaskSubtype "
            "Call/Email → call/email, others → other; Event → meeting"
        )
    return pd.DataFrame(
        {
            "activity_id": df["Id"],
            "owner_id": _ids(df, "OwnerId"),
            "type": kind,
            "occurred_at": when,
            "lead_id": who.where(who.str.startswith("00Q", na=False)),  # 00Q = Lead key prefix
            "opportunity_id": what.where(what.str.startswith("006", na=False)),  # 006 = Opportunity
            "account_id": what.where(what.str.startswith("001", na=False)),  # 001 = Account
            "duration_s": dur,
        }
    )
