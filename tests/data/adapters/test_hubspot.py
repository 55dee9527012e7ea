"""Tests of the HubSpot adapter on a small hand-written export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import salesops_lib
from salesops_lib.cli import main
from salesops_lib.data.adapters.hubspot import load_hubspot
from salesops_lib.errors import SourceError


def ms(ts: str) -> str:
    return str(int(pd.Timestamp(ts).value // 1_000_000))


@pytest.fixture
def hs_export(tmp_path) -> Path:
    d = tmp_path / "hs"
    d.mkdir()
    contacts = [
        "hs_object_id,createdate,lifecyclestage,hubspot_owner_id,"
        "hs_lifecyclestage_marketingqualifiedlead_date,Became a Sales Qualified Lead date"
    ]
    for i in range(12):  # 6 in 2023-11, 6 in 2024-01; all MQL same day; even ones SQL 10 days later
        day = f"{'2023-11' if i < 6 else '2024-01'}-{i % 6 + 1:02d}"
        sql = (
            ms(f"{day} + 10 days") if False else ms(str(pd.Timestamp(day) + pd.Timedelta(days=10)))
        )
        contacts.append(
            f"{100 + i},{day}T08:00:00Z,"
            f"{'salesqualifiedlead' if i % 2 == 0 else 'marketingqualifiedlead'},"
            f"{1 + i % 2},{ms(day + ' 09:00')},{sql if i % 2 == 0 else ''}"
        )
    (d / "contacts.csv").write_text("\n".join(contacts) + "\n")
    deals = [
        "hs_object_id,dealname,dealstage,pipeline,amount,closedate,createdate,"
        "hubspot_owner_id,hs_date_entered_appointmentscheduled,hs_date_entered_contractsent,"
        "hs_date_entered_closedwon,hs_date_entered_closedlost"
    ]
    for i in range(8):  # 4 in 2023-12, 4 in 2024-02; all appointment; 6 contract; 3 won, 1 lost
        c = pd.Timestamp("2023-12-01" if i < 4 else "2024-02-01") + pd.Timedelta(days=i)
        stage = ["closedwon", "closedlost", "contractsent", "closedwon"][i % 4]
        contract = ms(str(c + pd.Timedelta(days=5))) if i % 4 != 1 else ""
        won = ms(str(c + pd.Timedelta(days=20))) if stage == "closedwon" else ""
        lost = ms(str(c + pd.Timedelta(days=9))) if stage == "closedlost" else ""
        close = (c + pd.Timedelta(days=20)).strftime("%Y-%m-%d")
        deals.append(
            f'{900 + i},D{i},{stage},default,"{1000 * (i + 1)}.50",{close},{ms(str(c))},'
            f"{1 + i % 2},{ms(str(c))},{contract},{won},{lost}"
        )
    (d / "deals.csv").write_text("\n".join(deals) + "\n")
    (d / "owners.csv").write_text("id,firstName,lastName\n1,Ann,Lee\n2,Bo,Chan\n")
    # revenue goal targets per owner and quarter (start epoch ms, end ISO and exclusive)
    (d / "goals.csv").write_text(
        "hs_object_id,hs_goal_name,hubspot_owner_id,hs_start_datetime,hs_end_datetime,"
        "hs_target_amount\n"
        f"g1,Revenue,1,{ms('2023-10-01')},2024-01-01T00:00:00Z,2000\n"
        f"g2,Revenue,1,{ms('2024-01-01')},2024-04-01T00:00:00Z,10000\n"
        f"g3,Revenue,2,{ms('2023-10-01')},2024-01-01T00:00:00Z,4000\n"
        f"g4,Revenue,2,{ms('2024-01-01')},2024-04-01T00:00:00Z,16000\n"
    )
    (d / "engagements.csv").write_text(
        "id,type,timestamp,ownerId,contactId,dealId,durationMilliseconds\n"
        f"e1,CALL,{ms('2024-03-30 10:00')},1,100,,60000\n"
        f"e2,NOTE,{ms('2024-03-30 11:00')},1,100,,\n"
        f"e3,MEETING,{ms('2024-04-02 11:00')},2,,904,1800000\n"
    )
    return d


def test_every_table_mapped_by_hand(hs_export):
    res = load_hubspot(hs_export)
    t = res.tables
    assert set(t) == {
        "leads",
        "lead_history",
        "opportunities",
        "opportunity_history",
        "reps",
        "activities",
        "quotas",
    }
    assert len(t["leads"]) == 12
    assert t["lead_history"]["status"].value_counts().to_dict() == {"MQL": 12, "SQL": 6}
    assert t["leads"].set_index("lead_id").loc["100", "status"] == "SQL"
    opps = t["opportunities"].set_index("opportunity_id")
    assert len(opps) == 8 and int(opps["is_won"].sum()) == 4 and int(opps["is_closed"].sum()) == 6
    assert opps.loc["900", "amount"] == 1000.5  # string number
    assert opps.loc["900", "created_at"] == pd.Timestamp("2023-12-01")  # epoch milliseconds
    assert opps.loc["900", "stage"] == "Closed Won"
    h = t["opportunity_history"]
    assert h["stage"].value_counts().to_dict() == {
        "Appointment Scheduled": 8,
        "Contract Sent": 6,
        "Closed Won": 4,
        "Closed Lost": 2,
    }
    assert t["activities"]["type"].tolist() == ["call", "meeting"]  # the NOTE is left out
    assert t["activities"]["duration_s"].tolist() == [60.0, 1800.0]
    assert t["reps"]["name"].tolist() == ["Ann Lee", "Bo Chan"]
    assert any("NOTE" in r for r in res.quality.rejected)
    q = t["quotas"]
    assert q["rep_id"].tolist() == ["1", "1", "2", "2"]
    assert q["period_start"].astype(str).tolist() == ["2023-10-01", "2024-01-01"] * 2
    assert q["period_end"].astype(str).tolist() == ["2023-12-31", "2024-03-31"] * 2
    assert q["amount"].tolist() == [2000.0, 10000.0, 4000.0, 16000.0]
    assert len(t["lead_history"]) == 12 + 6 and len(h) == 8 + 6 + 4 + 2


def test_goals_of_several_kinds_and_quotas_file(hs_export, tmp_path):
    goals = hs_export / "goals.csv"
    goals.write_text(goals.read_text() + f"g5,Calls made,1,{ms('2024-01-01')},2024-04-01,300\n")
    with pytest.raises(
        SourceError, match=r"goals.csv, column hs_goal_name: 2 goals \(Calls made, Revenue\)"
    ):
        load_hubspot(hs_export)
    res = load_hubspot(hs_export, quota_goal="Revenue")
    assert res.tables["quotas"]["amount"].sum() == 32000.0
    out = tmp_path / "canon"
    args = ["import", "hubspot", str(hs_export), "--out", str(out)]
    assert main([*args, "--quota-goal", "Calls made"]) == 0
    assert pd.read_parquet(out / "quotas.parquet")["amount"].tolist() == [300.0]
    goals.unlink()
    (hs_export / "quotas.csv").write_text(
        "owner_id,period_start,period_end,amount\n1,2024-01-01,2024-03-31,9000\n"
    )
    q = load_hubspot(hs_export).tables["quotas"]
    assert q.to_dict("records") == [
        {
            "rep_id": "1",
            "period_start": pd.Timestamp("2024-01-01").date(),
            "period_end": pd.Timestamp("2024-03-31").date(),
            "amount": 9000.0,
        }
    ]


def test_deal_currencies(hs_export):
    p = hs_export / "deals.csv"
    lines = p.read_text().splitlines()
    lines[0] += ",deal_currency_code"
    lines[1:] = [ln + (",EUR" if k == 2 else ",USD") for k, ln in enumerate(lines[1:])]
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        SourceError, match=r"deals.csv, column deal_currency_code: deals in EUR, USD.*row 4: 'EUR'"
    ):
        load_hubspot(hs_export)
    lines[0] += ",amount_in_home_currency"
    lines[1:] = [ln + f",{2000 * (k + 1)}" for k, ln in enumerate(lines[1:])]
    p.write_text("\n".join(lines) + "\n")
    opps = load_hubspot(hs_export).tables["opportunities"]
    assert opps["amount"].tolist() == [2000.0 * (k + 1) for k in range(8)]
    assert "currency" not in opps
    lines = [ln.replace(",EUR,", ",USD,") for ln in lines]
    p.write_text("\n".join(lines) + "\n")
    opps = load_hubspot(hs_export).tables["opportunities"]
    assert set(opps["currency"]) == {"USD"} and opps["amount"].iloc[0] == 1000.5


def test_import_runs_funnel_with_stage_history(hs_export, tmp_path):
    out = tmp_path / "canon"
    assert main(["import", "hubspot", str(hs_export), "--out", str(out)]) == 0
    assert main(["validate", "--source", str(out)]) == 0
    # as_of 2024-04-02: default period Q1 2024; deals 904-907 created in Q1 all reached
    # Appointment Scheduled, 3 of them (not 905, lost before contract) Contract Sent
    f = salesops_lib.funnel_analysis(
        str(out), stages=["Appointment Scheduled", "Contract Sent"], funnel="opportunity"
    ).to_results()
    assert (f["steps"][0]["reached"], f["steps"][0]["converted"]) == (4, 3)
    # contacts: Q4 2023 = the 6 November contacts (100-105), all MQL ("hs_lifecyclestage_...
    # _date" in epoch ms), the even ones SQL 10 days later ("Became a Sales Qualified Lead date")
    fl = salesops_lib.funnel_analysis(str(out), stages=["MQL", "SQL"], funnel="lead").to_results()
    assert fl["period"]["label"] == "Q4 2023"
    assert [(s["entered"], s["converted"], s["late"]) for s in fl["steps"]] == [(6, 3, 0)]
    b = salesops_lib.benchmark_reps(str(out)).to_results()
    reps = {r["rep_id"]: r for r in b["reps"]}
    assert set(reps) == {"1", "2"}
    # default period Q3 2023 - Q2 2024; won: owner 1 deals 900 + 904 (1000.5 + 5000.5),
    # owner 2 deals 903 + 907 (4000.5 + 8000.5); quotas Q4 2023 + Q1 2024
    assert reps["1"]["won_amount"] == 6001.0 and reps["2"]["won_amount"] == 12001.0
    assert reps["1"]["quota_attainment"] == pytest.approx(6001.0 / 12000)
    assert reps["2"]["quota_attainment"] == pytest.approx(12001.0 / 20000)


def test_unknown_stage_is_named(hs_export, tmp_path):
    p = hs_export / "deals.csv"
    p.write_text(p.read_text().replace("contractsent,default", "12345678,default", 1))
    with pytest.raises(SourceError, match=r"deals.csv, column dealstage.*12345678.*row 4"):
        load_hubspot(hs_export)
    assert main(["import", "hubspot", str(hs_export), "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()


def _edit(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one line (0 = the header) of a CSV file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[line], lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _add_column(path: Path, name: str, values: list[str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"{lines[0]},{name}"] + [f"{ln},{v}" for ln, v in zip(lines[1:], values, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# Each bad input of the issue, through `salesops import hubspot`: exit 2, the message names
# the file, the column and the first offending rows (the header is row 1), nothing is written.
BAD = {
    "not a CSV": (
        lambda d: (d / "deals.csv").write_bytes(b"%PDF-1.4 binary\x00"),
        r"deals.csv is not a CSV file \(it looks binary",
    ),
    "no deals or contacts": (
        lambda d: [(d / f).unlink() for f in ("deals.csv", "contacts.csv")],
        r"has neither deals.csv nor contacts.csv "
        r"\(it has: engagements.csv, goals.csv, owners.csv\)",
    ),
    "missing column": (
        lambda d: (d / "deals.csv").write_text(
            (d / "deals.csv").read_text().replace(",dealstage,", ",stage,", 1)
        ),
        r"deals.csv lacks required column\(s\) dealstage \(it has: hs_object_id, dealname, stage,",
    ),
    "unknown stage": (
        lambda d: _edit(d / "deals.csv", 3, "contractsent,default", "12345678,default"),
        r"deals.csv, column dealstage: unknown stage id\(s\) 12345678 \(row 4: '12345678'\)",
    ),
    "mixed date formats": (
        lambda d: _edit(d / "contacts.csv", 2, "2023-11-02T08:00:00Z", "11/02/2023 08:00"),
        r"contacts.csv, column createdate: 1 value\(s\) do not match .*row 3: '11/02/2023 08:00'",
    ),
    "currency mix without home-currency amounts": (
        lambda d: _add_column(d / "deals.csv", "deal_currency_code", ["USD"] * 7 + ["EUR"]),
        r"deals.csv, column deal_currency_code: deals in EUR, USD and no "
        r"amount_in_home_currency column .*\(row 9: 'EUR'\)",
    ),
    "duplicated id": (
        lambda d: _edit(d / "contacts.csv", 4, "103,", "101,"),
        r"contacts.csv, column hs_object_id: 2 rows share an id \(row 3: '101', row 5: '101'\)",
    ),
    "goal ends before it starts": (
        lambda d: _edit(d / "goals.csv", 1, "2024-01-01T00:00:00Z", "2023-09-01T00:00:00Z"),
        r"goals.csv, column hs_end_datetime: ends before hs_start_datetime "
        r"\(row 2: '2023-09-01T00:00:00Z'\)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_through_the_cli_names_file_column_rows_and_writes_nothing(
    case, hs_export, rejected
):
    spoil, pattern = BAD[case]
    spoil(hs_export)
    rejected(["hubspot", str(hs_export)], pattern)


def test_ui_export_headers_and_labels(tmp_path):
    """An export with the UI's column labels: Record ID, Deal Stage labels, Create Date and
    'Date entered "<stage> (<pipeline>)"' columns, dates as 'YYYY-MM-DD HH:MM'."""
    d = tmp_path / "ui"
    d.mkdir()
    (d / "deals.csv").write_text(
        "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner,"
        '"Date entered ""Appointment Scheduled (Sales Pipeline)""",'
        '"Date entered ""Closed Won (Sales Pipeline)"""\n'
        "11,A,Closed Won,Sales Pipeline,500,2024-02-01 00:00,2024-01-02 09:30,7,"
        "2024-01-02 09:30,2024-02-01 11:00\n"
        "12,B,Appointment Scheduled,Sales Pipeline,,,2024-01-03 10:00,7,2024-01-03 10:00,\n",
        encoding="utf-8",
    )
    t = load_hubspot(d).tables
    opps = t["opportunities"].set_index("opportunity_id")
    assert opps["stage"].to_dict() == {"11": "Closed Won", "12": "Appointment Scheduled"}
    assert opps["is_won"].tolist() == [True, False] and opps["is_closed"].tolist() == [True, False]
    assert opps.loc["11", "created_at"] == pd.Timestamp("2024-01-02 09:30")
    assert opps.loc["11", "segment"] == "Sales Pipeline"
    h = t["opportunity_history"]
    assert h.to_dict("records") == [
        {
            "opportunity_id": "11",
            "changed_at": pd.Timestamp("2024-01-02 09:30"),
            "stage": "Appointment Scheduled",
        },
        {
            "opportunity_id": "11",
            "changed_at": pd.Timestamp("2024-02-01 11:00"),
            "stage": "Closed Won",
        },
        {
            "opportunity_id": "12",
            "changed_at": pd.Timestamp("2024-01-03 10:00"),
            "stage": "Appointment Scheduled",
        },
    ]


def test_a_custom_pipeline_through_a_stages_file(hs_export, tmp_path, capsys):
    # custom stage ids (a second pipeline's numeric ids) need the pipeline-stages file; named
    # with --mapping it maps them, and a --mapping that does not exist is an error, not the
    # default pipeline in its place (before: "unknown stage id(s) 98765 ... or pass stages=")
    deals = hs_export / "deals.csv"
    deals.write_text(deals.read_text().replace("contractsent", "98765"))
    stages = tmp_path / "stages.csv"
    stages.write_text(
        "stage_id,label,is_closed,is_won\n"
        "appointmentscheduled,Demo booked,false,false\n98765,Quote sent,false,false\n"
        "closedwon,Closed Won,true,true\nclosedlost,Closed Lost,true,false\n"
    )
    argv = ["import", "hubspot", str(hs_export)]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 2
    assert "--mapping FILE.csv" in capsys.readouterr().err
    missing = tmp_path / "nope.csv"
    assert main([*argv, "--mapping", str(missing), "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert f"The pipeline-stages file {missing.as_posix()} does not exist." in err
    assert not (tmp_path / "b").exists()
    assert main([*argv, "--mapping", str(stages), "--out", str(tmp_path / "c")]) == 0
    hist = pd.read_parquet(tmp_path / "c" / "opportunity_history.parquet")
    opps = pd.read_parquet(tmp_path / "c" / "opportunities.parquet")
    assert "Quote sent" in set(hist["stage"]) and "Demo booked" in set(hist["stage"])
    assert "Contract Sent" not in set(hist["stage"]) | set(opps["stage"])
