"""Tests of the Salesforce adapter on a small hand-written object export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import salesops_lib
from salesops_lib.cli import main
from salesops_lib.data.adapters.salesforce import load_salesforce
from salesops_lib.data.sources import open_source
from salesops_lib.errors import SourceError

U1, U2 = "005000000000001AAA", "005000000000002"  # U1 given as 18 chars, U2 as 15
OWNERS = [U1, U2]


def _csv(path: Path, header: str, rows: list[str]) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


@pytest.fixture
def sf_export(tmp_path) -> Path:
    d = tmp_path / "sf"
    d.mkdir()
    leads, hist, opps, ohist = [], [], [], []
    # 40 leads, 20 created in 2023-11 and 20 in 2024-01: every lead Open->MQL; every 2nd
    # MQL->SQL; every 4th converted to an opportunity (created at conversion)
    for i in range(40):
        month = "2023-11" if i >= 20 else "2024-01"
        conv_day = "2023-12-10" if i >= 20 else "2024-02-15"
        lid = f"00Q0000000L{i:04d}"
        day = 1 + i % 28
        owner = OWNERS[i % 2]
        conv = i % 4 == 0
        oid = f"0060000000O{i:04d}" if conv else ""
        leads.append(
            f"{lid}XYZ,{month}-{day:02d}T09:00:00.000+0000,{owner},Web,"
            f"{'Qualified' if conv else 'MQL'},{conv_day if conv else ''},{oid},"
            f"{'true' if conv else 'false'},US,CA"
        )
        hist.append(f"{lid},Status,Open,MQL,{month}-{day:02d}T10:00:00.000+0000")
        hist.append(f"{lid},Rating,,Hot,{month}-{day:02d}T10:00:00.000+0000")
        if i % 2 == 0:
            hist.append(f"{lid},Status,MQL,SQL,2024-02-{day:02d}T10:00:00.000+0000")
        if conv:
            won = i % 8 == 0
            opps.append(
                f"{oid},{conv_day}T12:00:00.000Z,{owner},{'Closed Won' if won else 'Closed Lost'},"
                f"true,{'true' if won else 'false'},{1000 + i},2024-03-20,Web,USD"
            )
            ohist.append(f"{oid},Prospecting,{1000 + i},2024-03-31,{conv_day}T12:00:00.000Z")
            ohist.append(f"{oid},Proposal,{1000 + i},2024-03-31,2024-03-01T12:00:00.000Z")
            ohist.append(
                f"{oid},{'Closed Won' if won else 'Closed Lost'},{1000 + i},2024-03-20,"
                "2024-03-20T12:00:00.000Z"
            )
    _csv(
        d / "Lead.csv",
        "Id,CreatedDate,OwnerId,LeadSource,Status,ConvertedDate,"
        "ConvertedOpportunityId,IsConverted,Country,State",
        leads,
    )
    _csv(d / "LeadHistory.csv", "LeadId,Field,OldValue,NewValue,CreatedDate", hist)
    _csv(
        d / "Opportunity.csv",
        "Id,CreatedDate,OwnerId,StageName,IsClosed,IsWon,Amount,"
        "CloseDate,LeadSource,CurrencyIsoCode",
        opps,
    )
    _csv(
        d / "OpportunityHistory.csv", "OpportunityId,StageName,Amount,CloseDate,CreatedDate", ohist
    )
    _csv(
        d / "User.csv",
        "Id,Name,Department,Division,IsActive,CreatedDate",
        [
            f"{U1[:15]},Ann Lee,East,NA,true,2023-01-01T00:00:00.000Z",
            f"{U2}XQZ,Bo Chan,West,NA,true,2023-01-01T00:00:00.000Z",
        ],
    )
    _csv(
        d / "ForecastingQuota.csv",
        "QuotaOwnerId,StartDate,QuotaAmount",
        [f"{U1},2024-01-01,5000", f"{U2},2024-01-01,4000"],
    )
    _csv(
        d / "Task.csv",
        "Id,OwnerId,ActivityDate,TaskSubtype,WhoId,WhatId",
        [
            "00T000000000001,005000000000001,2024-01-05,Call,00Q0000000L0000,",
            "00T000000000002,005000000000002,2024-01-06,Email,,0060000000O0000",
        ],
    )
    _csv(
        d / "Event.csv",
        "Id,OwnerId,StartDateTime,DurationInMinutes,WhoId,WhatId",
        [
            "00U000000000001,005000000000001,2024-02-01T15:00:00.000+0100,30,,0060000000O0004",
            # a meeting after the quarter: as_of falls in Q2, so the default period is Q1 2024
            "00U000000000002,005000000000002,2024-04-02T09:00:00.000+0000,60,,",
        ],
    )
    return d


def test_every_table_mapped_by_hand(sf_export):
    res = load_salesforce(sf_export)
    t = res.tables
    assert set(t) == {
        "leads",
        "lead_history",
        "opportunities",
        "opportunity_history",
        "activities",
        "reps",
        "quotas",
    }
    assert len(t["leads"]) == 40
    assert t["leads"]["lead_id"].str.len().eq(15).all()  # 18-char ids cut to 15
    assert len(t["lead_history"]) == 40 + 20  # Status rows only; Rating rows left out
    assert t["lead_history"]["status"].value_counts().to_dict() == {"MQL": 40, "SQL": 20}
    opps = t["opportunities"].set_index("opportunity_id")
    assert len(opps) == 10 and int(opps["is_won"].sum()) == 5
    assert opps.loc["0060000000O0008", "amount"] == 1008.0
    assert opps.loc["0060000000O0008", "lead_id"] == "00Q0000000L0008"
    assert opps["owner_id"].isin([U1[:15], U2]).all()
    assert len(t["opportunity_history"]) == 30
    assert t["opportunity_history"]["stage"].value_counts()["Proposal"] == 10
    # 15- and 18-character user ids meet: every owner is a rep, every quota a rep
    assert set(opps["owner_id"]) <= set(t["reps"]["rep_id"])
    assert set(t["quotas"]["rep_id"]) == set(t["reps"]["rep_id"])
    assert t["quotas"]["period_end"].astype(str).tolist() == ["2024-03-31"] * 2
    act = t["activities"].set_index("activity_id")
    assert act["type"].tolist() == ["call", "email", "meeting", "meeting"]
    assert act.loc["00U000000000001", "occurred_at"] == pd.Timestamp("2024-02-01 14:00")
    assert act.loc["00U000000000001", "duration_s"] == 1800
    assert act.loc["00T000000000001", "lead_id"] == "00Q0000000L0000"
    assert act.loc["00T000000000002", "opportunity_id"] == "0060000000O0000"
    assert res.quality.rows_read["LeadHistory.csv"] == 40 + 40 + 20
    assert any("Rating" not in r and "LeadHistory" in r for r in res.quality.rejected)


def test_cli_import_validates_and_runs_funnel_and_benchmark(sf_export, tmp_path, capsys):
    out = tmp_path / "canon"
    assert main(["import", "salesforce", str(sf_export), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "rows read" in printed and "assumptions" in printed
    assert (out / "ADAPTER_NOTES.txt").is_file()
    assert main(["validate", "--source", str(out)]) == 0
    db = tmp_path / "canon.duckdb"
    assert main(["import", "salesforce", str(sf_export), "--out", str(db)]) == 0
    src = open_source(db)
    # default period: Q1 2024 (as_of 2024-04-02); 20 leads created in Q1, all reached MQL
    f = salesops_lib.funnel_analysis(src, stages=["MQL", "SQL"], funnel="lead").to_results()
    assert [(s["stage"], s["reached"], s["entered"]) for s in f["steps"]] == [("MQL", 20, 20)]
    # 5 opportunities created in Q1 (leads 0, 4, 8, 12, 16), all moved Prospecting -> Proposal
    fo = salesops_lib.funnel_analysis(
        str(out), stages=["Prospecting", "Proposal", "Closed Won"], funnel="opportunity"
    ).to_results()
    assert (fo["steps"][0]["reached"], fo["steps"][0]["converted"]) == (5, 5)
    reps = {r["rep_id"]: r for r in salesops_lib.benchmark_reps(str(out)).to_results()["reps"]}
    ann = reps[U1[:15]]  # all 10 deals (even leads), closed 2024-03-20; won: leads 0, 8, .., 32
    assert (ann["closed"], ann["won"]) == (10, 5)
    assert ann["won_amount"] == 1000 * 5 + (0 + 8 + 16 + 24 + 32)
    assert ann["quota_attainment"] == pytest.approx(ann["won_amount"] / 5000)


def test_bad_inputs_name_file_column_rows_and_write_nothing(sf_export, tmp_path):
    out = tmp_path / "never"
    (sf_export / "Opportunity.csv").write_text(
        (sf_export / "Opportunity.csv").read_text().replace("2024-03-20", "20/03/2024", 1)
    )
    with pytest.raises(SourceError, match=r"Opportunity.csv, column CloseDate.*row 2"):
        load_salesforce(sf_export)
    assert main(["import", "salesforce", str(sf_export), "--out", str(out)]) == 2
    assert not out.exists() and list(tmp_path.glob(".never*")) == []


def test_currency_mix_duplicates_and_missing_objects(sf_export, tmp_path):
    opp = sf_export / "Opportunity.csv"
    text = opp.read_text()
    lines = text.splitlines()
    lines[2] = lines[2].replace(",USD", ",EUR")
    opp.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError, match=r"CurrencyIsoCode.*EUR, USD.*row 3: 'EUR'"):
        load_salesforce(sf_export)
    res = load_salesforce(sf_export, currency_rates={"EUR": 2.0, "USD": 1.0})
    amounts = res.tables["opportunities"].set_index("opportunity_id")["amount"]
    assert amounts["0060000000O0004"] == 2 * 1004.0 and amounts["0060000000O0000"] == 1000.0
    # the same user as 15 and 18 characters is one record exported twice
    user = sf_export / "User.csv"
    user.write_text(
        user.read_text() + "005000000000001XYZ,Ann Again,East,NA,true,2023-01-01T00:00:00.000Z\n"
    )
    with pytest.raises(SourceError, match=r"User.csv, column Id: 2 rows share an id.*row 2"):
        load_salesforce(sf_export, currency_rates={"EUR": 2.0, "USD": 1.0})
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "User.csv").write_text("Id\n005000000000001\n")
    with pytest.raises(SourceError, match=r"neither Lead.csv nor Opportunity.csv"):
        load_salesforce(empty)
    (empty / "Opportunity.csv").write_text("Id,CreatedDate\n006000000000001,2024-01-01\n")
    with pytest.raises(SourceError, match=r"Opportunity.csv lacks required column.*OwnerId"):
        load_salesforce(empty)
